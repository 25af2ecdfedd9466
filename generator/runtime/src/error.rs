//! Validation errors, and the context that collects them while a value is checked.

use std::fmt;

use serde_json::Value;

/// One violated rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    /// JSON Pointer of the offending value, in wire names (`/customer/email`); empty for the
    /// whole document.
    pub pointer: String,
    /// The JSON Schema keyword that was violated (`maxLength`, `required`, `anyOf`, ...), or
    /// `json` for input that is not JSON at all.
    pub keyword: &'static str,
    /// The keyword's value in the schema (`50`, `"email"`, the missing property's name), when
    /// it has one.
    pub limit: Option<Value>,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() { "(root)" } else { &self.pointer };
        write!(f, "{pointer}: {} ({})", self.message, self.keyword)
    }
}

/// Every violation found in a value; never empty.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationErrors {
    errors: Vec<ValidationError>,
}

impl ValidationErrors {
    /// Each violation, in the order found.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.errors.iter()
    }

    /// How many violations there are.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Always false: a `ValidationErrors` holds at least one error.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The violations, taken out.
    pub fn into_vec(self) -> Vec<ValidationError> {
        self.errors
    }
}

impl From<ValidationError> for ValidationErrors {
    fn from(error: ValidationError) -> Self {
        Self { errors: vec![error] }
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.errors.len();
        write!(f, "{count} validation error{}", if count == 1 { "" } else { "s" })?;
        for error in &self.errors {
            write!(f, "\n  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

/// Where a check is, and what it has found so far.
///
/// The location is a stack of segments; the JSON Pointer string is built only when a violation
/// is reported, so walking a valid value copies no keys.
#[derive(Debug, Default)]
pub struct Context {
    path: Vec<Segment>,
    errors: Vec<ValidationError>,
}

#[derive(Debug)]
enum Segment {
    /// A property named in the schema: its wire name, known at compile time.
    Key(&'static str),
    /// A property known only at run time (a map's key).
    Entry(String),
    Index(usize),
}

impl Context {
    /// A context at the root of the value (pointer `""`).
    pub fn new() -> Self {
        Self::default()
    }

    /// Enters a property named in the schema.
    pub fn push_key(&mut self, key: &'static str) {
        self.path.push(Segment::Key(key));
    }

    /// Enters a property whose name is known only at run time (an entry of a map).
    pub fn push_entry(&mut self, key: &str) {
        self.path.push(Segment::Entry(key.to_owned()));
    }

    /// Enters an array element.
    pub fn push_index(&mut self, index: usize) {
        self.path.push(Segment::Index(index));
    }

    /// Checks `value` inside the property `key`: every rule of its type, at `<here>/<key>`.
    pub fn nested<T: crate::Validate + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.push_key(key);
        value.validate_at(self);
        self.pop();
    }

    /// Leaves what the last `push_*` entered.
    pub fn pop(&mut self) {
        self.path.pop();
    }

    /// The JSON Pointer (RFC 6901) of the current location.
    pub fn pointer(&self) -> String {
        use std::fmt::Write;
        let mut pointer = String::new();
        for segment in &self.path {
            match segment {
                Segment::Key(key) => escape_into(&mut pointer, key),
                Segment::Entry(key) => escape_into(&mut pointer, key),
                // Writing to a String cannot fail.
                Segment::Index(index) => {
                    let _ = write!(pointer, "/{index}");
                }
            }
        }
        pointer
    }

    /// Reports a violation at the current location.
    pub fn error(&mut self, keyword: &'static str, limit: Option<Value>, message: String) {
        let pointer = self.pointer();
        self.errors.push(ValidationError { pointer, keyword, limit, message });
    }

    /// Reports a violation at `relative`, a JSON Pointer below the current location.
    pub fn error_below(&mut self, relative: &str, keyword: &'static str, limit: Option<Value>, message: String) {
        let pointer = format!("{}{relative}", self.pointer());
        self.errors.push(ValidationError { pointer, keyword, limit, message });
    }

    /// Runs `check` and tells whether it found nothing, discarding what it found. This is how
    /// `anyOf`, `oneOf` and `not` ask whether a subschema matches.
    pub fn probe(&mut self, check: impl FnOnce(&mut Context)) -> bool {
        let before = self.errors.len();
        check(self);
        let matched = self.errors.len() == before;
        self.errors.truncate(before);
        matched
    }

    /// Whether no violation has been reported.
    pub fn is_clean(&self) -> bool {
        self.errors.is_empty()
    }

    /// Ends a check: `Ok` if nothing was found.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors { errors: self.errors })
        }
    }
}

/// Appends `/token` to a pointer, escaping `~` and `/` as RFC 6901 requires.
fn escape_into(pointer: &mut String, token: &str) {
    pointer.push('/');
    if !token.contains(['~', '/']) {
        pointer.push_str(token);
        return;
    }
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// Maps a serde failure to a validation error with its pointer and the keyword it breaks.
pub(crate) fn from_serde(err: serde_path_to_error::Error<serde_json::Error>) -> ValidationErrors {
    use serde_path_to_error::Segment;
    // The input is known to be JSON here (see `parse`): a "syntax" error from serde_json means
    // a value of the wrong kind (`null` for an enum, say), which has a path like any other.
    let inner = err.inner();
    let mut tokens: Vec<String> = Vec::new();
    for segment in err.path().iter() {
        match segment {
            Segment::Seq { index } => tokens.push(index.to_string()),
            Segment::Map { key } => tokens.push(key.clone()),
            Segment::Enum { variant } => tokens.push(variant.clone()),
            Segment::Unknown => {}
        }
    }
    // serde_json appends " at line L column C"; the pointer says where, better.
    let text = inner.to_string();
    let text = match text.rfind(" at line ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    };
    // A failure inside a buffered value (a discriminated union's variant) says where below
    // the path serde tracked: "at `/pet_type`: ...", possibly nested.
    let mut text = text.as_str();
    while let Some((pointer, rest)) = text.strip_prefix("at `").and_then(|rest| rest.split_once("`: ")) {
        tokens.extend(pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")));
        text = rest;
    }
    let (keyword, limit, message) = classify(text, &mut tokens);
    let pointer: String = tokens.iter().map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1"))).collect();
    ValidationError { pointer, keyword, limit, message }.into()
}

/// Names the keyword a serde message is about. A missing or unknown property is reported at
/// the object that holds it, as JSON Schema does.
fn classify(text: &str, tokens: &mut Vec<String>) -> (&'static str, Option<Value>, String) {
    let quoted = |prefix: &str| text.strip_prefix(prefix).and_then(|rest| rest.split('`').next()).map(str::to_owned);
    if let Some(name) = quoted("missing field `") {
        return ("required", Some(Value::String(name.clone())), format!("required property `{name}` is missing"));
    }
    if let Some(name) = quoted("duplicate field `") {
        return ("json", None, format!("property `{name}` appears twice"));
    }
    if let Some(rest) = text.split_once("discriminator property `").map(|(_, rest)| rest) {
        let name = rest.split('`').next().unwrap_or_default();
        return ("discriminator", Some(Value::String(name.to_owned())), text.to_owned());
    }
    if text.contains(" is not a valid ") {
        return ("format", None, text.to_owned());
    }
    if let Some(name) = quoted("unknown field `") {
        if tokens.last() == Some(&name) {
            tokens.pop();
        }
        return ("additionalProperties", Some(Value::Bool(false)), format!("property `{name}` is not allowed here"));
    }
    if text.starts_with("unknown variant")
        || text.starts_with("invalid value: integer") && text.contains("expected one of")
    {
        return ("enum", None, text.to_owned());
    }
    if text.starts_with("data did not match any variant") {
        return ("anyOf", None, "the value matches none of the allowed alternatives".to_owned());
    }
    if text.starts_with("invalid type") || text.starts_with("invalid length") {
        return ("type", None, text.to_owned());
    }
    // Parse failures of typed strings (dates, date-times, UUIDs) and numbers out of a type's
    // range come as plain messages.
    if text.contains("out of range") || text.starts_with("invalid value: integer") {
        return ("type", None, text.to_owned());
    }
    ("format", None, text.to_owned())
}

pub(crate) fn syntax_error(err: &serde_json::Error) -> ValidationError {
    ValidationError { pointer: String::new(), keyword: "json", limit: None, message: format!("not valid JSON: {err}") }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::Context;
    use crate::Validate;

    /// A value that is always wrong, so that every place it is checked shows in the errors.
    struct Wrong;

    impl Validate for Wrong {
        fn validate_at(&self, cx: &mut Context) {
            cx.error("const", None, "wrong".to_owned());
        }
    }

    fn pointers(check: impl FnOnce(&mut Context)) -> Vec<String> {
        let mut cx = Context::new();
        check(&mut cx);
        cx.finish().map_or_else(|errors| errors.iter().map(|e| e.pointer.clone()).collect(), |()| Vec::new())
    }

    #[test]
    fn nested_values_are_checked_at_their_key_index_and_entry() {
        let absent: Option<Vec<Wrong>> = None;
        assert_eq!(pointers(|cx| cx.nested("a", &absent)), Vec::<String>::new());
        let items = Some(vec![Wrong, Wrong]);
        assert_eq!(pointers(|cx| cx.nested("a", &items)), ["/a/0", "/a/1"]);
        let entries: BTreeMap<String, Option<Box<Wrong>>> =
            [("x/y".to_owned(), Some(Box::new(Wrong))), ("z".to_owned(), None)].into();
        assert_eq!(pointers(|cx| cx.nested("m", &entries)), ["/m/x~1y"]);
        assert_eq!(pointers(|cx| Some(Wrong).validate_at(cx)), [""]);
    }
}

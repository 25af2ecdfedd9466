//! Lowering of validation keywords into [`Rules`].
//!
//! Rules are read from the raw JSON of the schema rather than from `openapiv3`'s typed view,
//! which rounds numbers to `i64`/`f64` and drops what it does not model. A subschema that
//! became a named type (through `$ref`, or hoisted from inline) is not expanded: its rules are
//! that type's, referred to by id, which also makes recursive schemas finite.
//!
//! JSON Schema 2020-12's applicators (`prefixItems`, `contains`, `dependentRequired`,
//! `dependentSchemas`, `if`/`then`/`else`, `patternProperties`, `propertyNames`) are read here
//! for every version, since load leaves them where the document wrote them; a 3.0 document
//! that uses them means them too. `unevaluatedProperties` / `unevaluatedItems` become rules
//! only where the keywords beside them decide statically what they leave; elsewhere a warning
//! says why they are not checked.

use serde_json::{Map, Value};

use super::schema::SchemaLowerer;
use crate::diag::pointer_join;
use crate::load::resolve_pointer;
use crate::model::{
    Additional, Bound, Conditional, Contains, Format, JsonType, Rules, TypeRef, UnevaluatedItems, UnevaluatedProperties,
};

/// How much of a schema's rules [`SchemaLowerer::rules_read`] reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Extent {
    Whole,
    /// What [`Rules::object_level`] keeps.
    ObjectLevel,
}

impl SchemaLowerer<'_> {
    /// The rules of the schema at `pointer`. With `own` set, the schema is the one a named
    /// type is being defined from, so it is expanded even though it is registered as a type.
    pub(super) fn rules_at(&mut self, pointer: &str, own: bool, depth: usize) -> Rules {
        self.rules_read(pointer, own, depth, Extent::Whole)
    }

    /// [`Rules::object_level`] of the rules of the schema a struct is being defined from.
    ///
    /// Its properties' rules and its `items` are not read: the object's level keeps neither,
    /// and the struct's fields read their own. Reading them here too made lowering quadratic in
    /// how deep inline objects nest, since every level read every level below it again before
    /// its fields became types (Stripe's request bodies nest six deep).
    pub(super) fn object_rules_at(&mut self, pointer: &str, depth: usize) -> Rules {
        self.rules_read(pointer, true, depth, Extent::ObjectLevel).object_level()
    }

    fn rules_read(&mut self, pointer: &str, own: bool, depth: usize, extent: Extent) -> Rules {
        if !own {
            if let Some(id) = self.type_at(pointer) {
                return Rules { reference: Some(id), ..Rules::default() };
            }
        }
        let spec = self.spec();
        let Some(Value::Object(map)) = resolve_pointer(&spec.raw, pointer) else { return Rules::default() };
        if let Some(Value::String(reference)) = map.get("$ref") {
            return match self.lower_ref_for_rules(reference, pointer, depth) {
                Some(id) => Rules { reference: Some(id), ..Rules::default() },
                None => Rules::default(),
            };
        }
        self.check_type(map, pointer);
        if depth > super::schema::MAX_DEPTH {
            self.diag_error(pointer, "subschemas nest too deeply; the deeper rules are not checked");
            return Rules::default();
        }
        let mut rules = Rules {
            types: map.get("type").and_then(Value::as_str).and_then(JsonType::parse),
            nullable: map.get("nullable").and_then(Value::as_bool).unwrap_or(false),
            min_length: map.get("minLength").and_then(Value::as_u64),
            max_length: map.get("maxLength").and_then(Value::as_u64),
            pattern: self.pattern(map, pointer),
            // Formats the runtime checks. Others (`int32`, `password`, `unix-time`, ...)
            // constrain nothing JSON Schema checks, as JSON Schema treats unknown formats.
            format: map.get("format").and_then(Value::as_str).and_then(|name| Format::parse(name).checked()),
            minimum: bound(map, "minimum", "exclusiveMinimum"),
            maximum: bound(map, "maximum", "exclusiveMaximum"),
            multiple_of: map.get("multipleOf").and_then(Value::as_number).cloned(),
            min_items: map.get("minItems").and_then(Value::as_u64),
            max_items: map.get("maxItems").and_then(Value::as_u64),
            unique_items: map.get("uniqueItems").and_then(Value::as_bool).unwrap_or(false),
            min_properties: map.get("minProperties").and_then(Value::as_u64),
            max_properties: map.get("maxProperties").and_then(Value::as_u64),
            required: map
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                .unwrap_or_default(),
            enumeration: map.get("enum").and_then(Value::as_array).cloned(),
            ..Rules::default()
        };
        if map.contains_key("items") && extent == Extent::Whole {
            rules.items = Some(Box::new(self.rules_at(&pointer_join(pointer, "items"), false, depth + 1)));
        }
        if let Some(Value::Object(properties)) = map.get("properties") {
            let base = pointer_join(pointer, "properties");
            rules.properties = properties
                .keys()
                .map(|name| match extent {
                    Extent::Whole => (name.clone(), self.rules_at(&pointer_join(&base, name), false, depth + 1)),
                    Extent::ObjectLevel => (name.clone(), Rules::default()),
                })
                .collect();
        }
        rules.additional = match map.get("additionalProperties") {
            Some(Value::Bool(false)) => Additional::Refused,
            Some(Value::Object(_)) => {
                let at = pointer_join(pointer, "additionalProperties");
                Additional::Schema(Box::new(self.rules_at(&at, false, depth + 1)))
            }
            _ => Additional::Any,
        };
        for (keyword, list) in
            [("allOf", &mut rules.all_of), ("anyOf", &mut rules.any_of), ("oneOf", &mut rules.one_of)]
        {
            if let Some(Value::Array(members)) = map.get(keyword) {
                let base = pointer_join(pointer, keyword);
                *list = (0..members.len())
                    .map(|i| self.rules_at(&pointer_join(&base, &i.to_string()), false, depth + 1))
                    .collect();
            }
        }
        if map.contains_key("not") {
            rules.not = Some(Box::new(self.rules_at(&pointer_join(pointer, "not"), false, depth + 1)));
        }
        self.rules_2020_12(map, pointer, depth, &mut rules);
        rules
    }

    /// JSON Schema 2020-12's applicators, which OpenAPI 3.1 documents use and load keeps as
    /// they are written (3.0 has no form for them).
    fn rules_2020_12(&mut self, map: &Map<String, Value>, pointer: &str, depth: usize, rules: &mut Rules) {
        let sub = |this: &mut Self, keyword: &str| this.rules_at(&pointer_join(pointer, keyword), false, depth + 1);
        if let Some(Value::Array(members)) = map.get("prefixItems") {
            let base = pointer_join(pointer, "prefixItems");
            rules.prefix_items = (0..members.len())
                .map(|i| self.rules_at(&pointer_join(&base, &i.to_string()), false, depth + 1))
                .collect();
        }
        if map.contains_key("contains") {
            let rules_of = sub(self, "contains");
            let min = map.get("minContains").and_then(Value::as_u64);
            let max = map.get("maxContains").and_then(Value::as_u64);
            rules.contains = Some(Box::new(Contains { rules: rules_of, min, max }));
        }
        if let Some(Value::Object(dependencies)) = map.get("dependentRequired") {
            rules.dependent_required = dependencies
                .iter()
                .map(|(name, list)| {
                    let list = list
                        .as_array()
                        .map(|l| l.iter().filter_map(Value::as_str).map(str::to_owned).collect())
                        .unwrap_or_default();
                    (name.clone(), list)
                })
                .collect();
        }
        for (keyword, list) in
            [("dependentSchemas", &mut rules.dependent_schemas), ("patternProperties", &mut rules.pattern_properties)]
        {
            let Some(Value::Object(schemas)) = map.get(keyword) else { continue };
            let base = pointer_join(pointer, keyword);
            for key in schemas.keys() {
                let at = pointer_join(&base, key);
                let key = if keyword == "patternProperties" {
                    match self.compiled(key, &at) {
                        Some(translated) => translated,
                        None => continue,
                    }
                } else {
                    key.clone()
                };
                list.push((key, self.rules_at(&at, false, depth + 1)));
            }
        }
        if map.contains_key("if") {
            let condition = sub(self, "if");
            let then = map.contains_key("then").then(|| sub(self, "then"));
            let otherwise = map.contains_key("else").then(|| sub(self, "else"));
            // Without `then` or `else`, the condition decides nothing.
            if then.is_some() || otherwise.is_some() {
                rules.conditional = Some(Box::new(Conditional { condition, then, otherwise }));
            }
        } else {
            for keyword in ["then", "else"] {
                if map.contains_key(keyword) {
                    self.diags.warning(
                        pointer_join(pointer, keyword),
                        format!("`{keyword}` without `if` has no effect (JSON Schema ignores it)"),
                    );
                }
            }
        }
        if map.contains_key("propertyNames") {
            rules.property_names = Some(Box::new(sub(self, "propertyNames")));
        }
        if let Some(unevaluated) = map.get("unevaluatedProperties") {
            let at = pointer_join(pointer, "unevaluatedProperties");
            match self.evaluated_properties(map, pointer, 0) {
                Ok(None) => {}
                Ok(Some((names, patterns))) => {
                    // Load wrote `false` as `{not: {}}`: refused outright, with its own message.
                    let rules_of = (*unevaluated != serde_json::json!({ "not": {} }))
                        .then(|| self.rules_at(&at, false, depth + 1));
                    rules.unevaluated_properties =
                        Some(Box::new(UnevaluatedProperties { names, patterns, rules: rules_of }));
                }
                Err(reason) => self.diags.warning(at, format!("`unevaluatedProperties` is not checked: {reason}")),
            }
        }
        if let Some(unevaluated) = map.get("unevaluatedItems") {
            let at = pointer_join(pointer, "unevaluatedItems");
            match self.evaluated_items(map, pointer, 0) {
                Ok(None) => {}
                Ok(Some(evaluated)) => {
                    let rules_of = (*unevaluated != serde_json::json!({ "not": {} }))
                        .then(|| self.rules_at(&at, false, depth + 1));
                    rules.unevaluated_items = Some(Box::new(UnevaluatedItems { evaluated, rules: rules_of }));
                }
                Err(reason) => self.diags.warning(at, format!("`unevaluatedItems` is not checked: {reason}")),
            }
        }
    }

    /// The properties a schema's keywords other than `unevaluatedProperties` evaluate, when
    /// that does not depend on the value: names and (translated) patterns, or `None` when
    /// every property is (an `additionalProperties`). `Err` says why it depends on the value:
    /// a keyword that evaluates properties only where a subschema matches.
    fn evaluated_properties(
        &mut self,
        map: &Map<String, Value>,
        pointer: &str,
        depth: usize,
    ) -> Result<Option<Evaluated>, String> {
        if depth > super::schema::MAX_DEPTH {
            return Err("its `allOf` members nest too deeply to follow".to_owned());
        }
        // An `unevaluatedProperties` of an `allOf` member evaluates whatever that member left
        // (and a value that satisfies the member has nothing else).
        if map.contains_key("additionalProperties") || depth > 0 && map.contains_key("unevaluatedProperties") {
            return Ok(None);
        }
        if let Some(keyword) = ["anyOf", "oneOf", "if", "dependentSchemas"].into_iter().find(|k| map.contains_key(*k)) {
            return Err(format!(
                "which properties it leaves depends on which subschemas of `{keyword}` the value satisfies, which is not decided when the code is generated"
            ));
        }
        let mut names: Vec<String> =
            map.get("properties").and_then(Value::as_object).map(|p| p.keys().cloned().collect()).unwrap_or_default();
        let mut patterns = Vec::new();
        if let Some(Value::Object(schemas)) = map.get("patternProperties") {
            // A pattern that does not compile is reported where its rules are lowered.
            patterns.extend(schemas.keys().map(|p| ecma_to_rust(p)).filter(|p| fancy_regex::Regex::new(p).is_ok()));
        }
        if let Some(Value::Array(members)) = map.get("allOf") {
            for i in 0..members.len() {
                let (member, member_at) = self.follow(&pointer_join(&pointer_join(pointer, "allOf"), &i.to_string()));
                let Some(Value::Object(member)) = member else { continue };
                match self.evaluated_properties(&member, &member_at, depth + 1)? {
                    None => return Ok(None),
                    Some((more_names, more_patterns)) => {
                        for name in more_names {
                            if !names.contains(&name) {
                                names.push(name);
                            }
                        }
                        patterns.extend(more_patterns);
                    }
                }
            }
        }
        Ok(Some((names, patterns)))
    }

    /// How many leading items a schema's keywords other than `unevaluatedItems` evaluate, or
    /// `None` when every item is (an `items`); `Err` says why it depends on the value.
    fn evaluated_items(
        &mut self,
        map: &Map<String, Value>,
        pointer: &str,
        depth: usize,
    ) -> Result<Option<usize>, String> {
        if depth > super::schema::MAX_DEPTH {
            return Err("its `allOf` members nest too deeply to follow".to_owned());
        }
        if map.contains_key("items") || depth > 0 && map.contains_key("unevaluatedItems") {
            return Ok(None);
        }
        if let Some(keyword) = ["contains", "anyOf", "oneOf", "if"].into_iter().find(|k| map.contains_key(*k)) {
            return Err(format!(
                "which items it leaves depends on which items or subschemas of `{keyword}` the value satisfies, which is not decided when the code is generated"
            ));
        }
        let mut evaluated = map.get("prefixItems").and_then(Value::as_array).map_or(0, Vec::len);
        if let Some(Value::Array(members)) = map.get("allOf") {
            for i in 0..members.len() {
                let (member, member_at) = self.follow(&pointer_join(&pointer_join(pointer, "allOf"), &i.to_string()));
                let Some(Value::Object(member)) = member else { continue };
                match self.evaluated_items(&member, &member_at, depth + 1)? {
                    None => return Ok(None),
                    Some(n) => evaluated = evaluated.max(n),
                }
            }
        }
        Ok(Some(evaluated))
    }

    /// The schema at `pointer`, with its `$ref` (a chain of them) followed, and where it is.
    fn follow(&self, pointer: &str) -> (Option<Value>, String) {
        let mut at = pointer.to_owned();
        for _ in 0..super::schema::MAX_DEPTH {
            match resolve_pointer(&self.spec().raw, &at) {
                Some(Value::Object(map)) => match map.get("$ref").and_then(Value::as_str) {
                    Some(target) if target.starts_with('#') => at = target.to_owned(),
                    _ => return (Some(Value::Object(map.clone())), at),
                },
                other => return (other.cloned(), at),
            }
        }
        (None, at)
    }

    /// A `patternProperties` key, translated and checked to compile; a diagnostic where it
    /// does not (its rules are then not checked).
    fn compiled(&mut self, source: &str, at: &str) -> Option<String> {
        let translated = ecma_to_rust(source);
        match fancy_regex::Regex::new(&translated) {
            Ok(_) => Some(translated),
            Err(err) => {
                let reason = err.to_string().lines().last().unwrap_or_default().trim().to_owned();
                self.diag_error(at, &format!("pattern `{source}` cannot be compiled by the `fancy-regex` crate ({reason}); the properties it names are not checked"));
                None
            }
        }
    }

    /// Resolves a `$ref` met in rules to the named type it is (lowering it if nothing did yet).
    fn lower_ref_for_rules(&mut self, reference: &str, at: &str, depth: usize) -> Option<crate::model::TypeId> {
        let mut ty = self.lower_ref_at(reference, at, depth + 1);
        loop {
            match ty {
                TypeRef::Named(id) => return Some(id),
                TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => ty = *inner,
                _ => return None,
            }
        }
    }

    /// `pattern`, translated to the `regex` crate's dialect (which `fancy-regex`, the runtime's
    /// engine, extends with look-around and backreferences) and checked to compile now, so a
    /// pattern that cannot be checked is a generation-time diagnostic, not a runtime surprise.
    fn pattern(&mut self, map: &Map<String, Value>, pointer: &str) -> Option<String> {
        let source = map.get("pattern")?.as_str()?;
        let translated = ecma_to_rust(source);
        match fancy_regex::Regex::new(&translated) {
            Ok(_) => Some(translated),
            Err(err) => {
                let reason = err.to_string().lines().last().unwrap_or_default().trim().to_owned();
                self.diag_error(
                    &pointer_join(pointer, "pattern"),
                    &format!("pattern `{source}` cannot be compiled by the `fancy-regex` crate ({reason}); it is not checked"),
                );
                None
            }
        }
    }
}

/// The property names and (translated) patterns a schema's keywords evaluate.
type Evaluated = (Vec<String>, Vec<String>);

fn bound(map: &Map<String, Value>, keyword: &str, exclusive: &str) -> Option<Bound> {
    let value = map.get(keyword)?.as_number()?.clone();
    Some(Bound { value, exclusive: map.get(exclusive).and_then(Value::as_bool).unwrap_or(false) })
}

/// ECMA-262 reads `\d` and `\w` as ASCII, where the `regex` crate reads them as Unicode:
/// spell the ASCII classes out. ECMA-262's `\s` also matches U+FEFF, and `\cX` is the control
/// character X - 64: spell those out too. A brace that does not make a quantifier (`{n}`,
/// `{n,}`, `{n,m}`) is a literal in ECMA-262 (Annex B) and an error in the `regex` crate:
/// escape it.
pub fn ecma_to_rust(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut chars = pattern.chars();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('d' | 'D' | 'w' | 'W')) => {
                    let set = if matches!(e, 'd' | 'D') { "0-9" } else { "0-9A-Za-z_" };
                    let negated = e.is_ascii_uppercase();
                    match (in_class, negated) {
                        (true, false) => out.push_str(set),
                        // A negated class inside a class has no flat spelling; keep the
                        // Unicode meaning there.
                        (true, true) => {
                            out.push('\\');
                            out.push(e);
                        }
                        (false, false) => out.push_str(&format!("[{set}]")),
                        (false, true) => out.push_str(&format!("[^{set}]")),
                    }
                }
                Some(e @ ('s' | 'S')) => match (in_class, e == 'S') {
                    (true, false) => out.push_str("\\s\\x{FEFF}"),
                    (true, true) => out.push_str("\\S"),
                    (false, false) => out.push_str("[\\s\\x{FEFF}]"),
                    (false, true) => out.push_str("[^\\s\\x{FEFF}]"),
                },
                // A Unicode property escape (`\p{Letter}`): its braces are no quantifier, and
                // the `regex` crate reads it as ECMA-262's `u` mode does.
                Some(e @ ('p' | 'P')) if chars.clone().next() == Some('{') => {
                    out.push('\\');
                    out.push(e);
                    for c in chars.by_ref() {
                        out.push(c);
                        if c == '}' {
                            break;
                        }
                    }
                }
                Some('c') if chars.clone().next().is_some_and(|c| c.is_ascii_alphabetic()) => {
                    let letter = chars.next().unwrap_or('@');
                    out.push_str(&format!("\\x{:02X}", (letter.to_ascii_uppercase() as u8) - b'@'));
                }
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // A `]` right after `[` or `[^` is a literal in both dialects.
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '{' if !in_class => match quantifier_len(chars.as_str()) {
                Some(len) => {
                    out.push('{');
                    out.push_str(&chars.as_str()[..len]);
                    chars.nth(len - 1);
                }
                None => out.push_str("\\{"),
            },
            '}' if !in_class => out.push_str("\\}"),
            _ => out.push(c),
        }
    }
    out
}

/// The length of `n}`, `n,}` or `n,m}` at the start of `rest` (what follows a `{`), if it is
/// one.
fn quantifier_len(rest: &str) -> Option<usize> {
    let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let low = digits(rest);
    if low == 0 {
        return None;
    }
    let mut at = low;
    if rest[at..].starts_with(',') {
        at += 1;
        at += digits(&rest[at..]);
    }
    rest[at..].starts_with('}').then_some(at + 1)
}

#[cfg(test)]
mod tests {
    use super::ecma_to_rust;

    #[test]
    fn braces_that_are_not_quantifiers_are_literals() {
        assert_eq!(ecma_to_rust(r"^a{2}b{1,}c{1,3}$"), r"^a{2}b{1,}c{1,3}$");
        assert_eq!(ecma_to_rust(r"^{[0-9a-f]{4}}$"), r"^\{[0-9a-f]{4}\}$");
        assert_eq!(ecma_to_rust(r"a{,3}"), r"a\{,3\}");
        assert_eq!(ecma_to_rust(r"[{}]\{"), r"[{}]\{");
        assert!(fancy_regex::Regex::new(&ecma_to_rust(r"^(?:{[0-9a-fA-F]{4}(?:-?[0-9a-fA-F]{4}){7}}|x)$")).is_ok());
    }

    #[test]
    fn ascii_classes_are_spelled_out() {
        assert_eq!(ecma_to_rust(r"^\d{3}$"), "^[0-9]{3}$");
        assert_eq!(ecma_to_rust(r"^\D*(?:\d\D*){5,20}$"), "^[^0-9]*(?:[0-9][^0-9]*){5,20}$");
        assert_eq!(ecma_to_rust(r"[\w-]+"), "[0-9A-Za-z_-]+");
        assert_eq!(ecma_to_rust(r"a\.b\\d"), r"a\.b\\d");
        assert_eq!(ecma_to_rust(r"^\s$"), r"^[\s\x{FEFF}]$");
        assert_eq!(ecma_to_rust(r"^\cC$"), r"^\x03$");
        assert_eq!(ecma_to_rust(r"[^\s]"), r"[^\s\x{FEFF}]");
    }

    #[test]
    fn unicode_property_escapes_keep_their_braces() {
        assert_eq!(ecma_to_rust(r"^\p{Letter}+$"), r"^\p{Letter}+$");
        assert_eq!(ecma_to_rust(r"\P{digit}{2}"), r"\P{digit}{2}");
        let letters = fancy_regex::Regex::new(&ecma_to_rust(r"^\p{Letter}+$")).expect("compiles");
        assert_eq!(letters.is_match("école").ok(), Some(true));
        assert_eq!(letters.is_match("123").ok(), Some(false));
    }
}

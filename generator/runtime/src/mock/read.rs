//! What the generated mock code calls to read a request: path templates matched, parameters
//! and form fields read by their shape into JSON values, those values and JSON, XML,
//! form-urlencoded and multipart bodies read into the spec's types, and the security
//! requirements checked. Every failure is reported into a `Context` at the pointer the
//! client's own validation would use, so the mock's `400` names what the client would.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{Answer, Incoming};
use crate::client::Placement;
use crate::{Binary, Context, ValidationError};

/// How a scalar written as text (a parameter, a form field, a part) reads as JSON.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string (also dates, UUIDs, string enums): the text itself.
    Text,
    /// A number, a boolean or any JSON: the text read as JSON where it parses, else as a string
    /// (which the type then refuses, saying what it expected).
    Json,
}

/// How a parameter or form field is shaped.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Scalar(Kind),
    /// An array of scalars: repeated (`explode`), or joined by the separator.
    List(Kind, char),
    /// An object or other JSON: a `deepObject` (`name[key]=value`) in a query or a form, a JSON
    /// document in a multipart part.
    Json,
    /// A file (`format: binary`): read from the part itself, with its name and type.
    Binary,
    /// An array of files.
    BinaryList,
}

/// A piece of a path template.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Segment {
    Literal(&'static str),
    Param,
}

/// The path parameters' values (percent-decoded), in template order, if `path` matches the
/// template. A parameter matches up to the next literal text and never across a `/`.
#[doc(hidden)]
pub fn match_path(template: &[Segment], path: &str) -> Option<Vec<String>> {
    let mut rest = path;
    let mut values = Vec::new();
    for (i, segment) in template.iter().enumerate() {
        match segment {
            Segment::Literal(text) => rest = rest.strip_prefix(text)?,
            Segment::Param => {
                let end = match template.get(i + 1) {
                    Some(Segment::Literal(next)) => {
                        let within = rest.find('/').unwrap_or(rest.len());
                        rest[..within].find(next).or_else(|| next.starts_with('/').then_some(within))?
                    }
                    _ => rest.find('/').unwrap_or(rest.len()),
                };
                if end == 0 {
                    return None;
                }
                values.push(percent_decode(&rest[..end]));
                rest = &rest[end..];
            }
        }
    }
    rest.is_empty().then_some(values)
}

fn percent_decode(text: &str) -> String {
    // `form_urlencoded` would also read `+` as a space, which a path does not.
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A scalar written as text, as JSON.
#[doc(hidden)]
pub fn scalar(text: &str, kind: Kind) -> Value {
    match kind {
        Kind::Text => Value::String(text.to_owned()),
        Kind::Json => serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned())),
    }
}

/// A parameter's values (all the query's values of its name, or a header's) as JSON of its
/// shape; `None` where there are none.
#[doc(hidden)]
pub fn parameter(values: Vec<String>, shape: Shape, explode: bool) -> Option<Value> {
    let first = values.first()?;
    Some(match shape {
        Shape::List(kind, _) if explode => Value::Array(values.iter().map(|v| scalar(v, kind)).collect()),
        Shape::List(kind, separator) => {
            if first.is_empty() {
                Value::Array(Vec::new())
            } else {
                Value::Array(first.split(separator).map(|v| scalar(v, kind)).collect())
            }
        }
        Shape::Scalar(kind) => scalar(first, kind),
        Shape::Json | Shape::Binary | Shape::BinaryList => scalar(first, Kind::Json),
    })
}

/// How the leaves of a `deepObject` parameter read, as its schema says: a property's own
/// kind, and the kind of the keys the schema does not name (its `additionalProperties`, else
/// text, which a type that refuses unknown properties refuses).
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Leaves {
    /// A value, and anything below it, read as this kind.
    Leaf(Kind),
    /// An object: its named properties, and the other keys.
    Object(&'static [(&'static str, Leaves)], &'static Leaves),
}

impl Leaves {
    /// How the value at `path` below this one reads.
    fn kind(&self, path: &[&str]) -> Kind {
        match (self, path.split_first()) {
            (Self::Leaf(kind), _) => *kind,
            // A value where the schema has an object: text, which the type then refuses.
            (Self::Object(..), None) => Kind::Text,
            (Self::Object(named, other), Some((first, rest))) => {
                named.iter().find(|(name, _)| name == first).map_or(*other, |(_, leaves)| leaves).kind(rest)
            }
        }
    }
}

/// A `deepObject` parameter (`name[key][inner]=value`) from the query's pairs, as a JSON
/// object; `None` where no pair has that name. Each leaf reads as `leaves` says: the text
/// alone cannot tell the string `5` from the number.
#[doc(hidden)]
pub fn deep_object(pairs: &[(String, String)], name: &str, leaves: &Leaves) -> Option<Value> {
    let mut object = Value::Object(serde_json::Map::new());
    let mut found = false;
    for (key, value) in pairs {
        let Some(rest) = key.strip_prefix(name).and_then(|r| r.strip_prefix('[')) else { continue };
        found = true;
        let path: Vec<&str> = rest.trim_end_matches(']').split("][").collect();
        insert_path(&mut object, &path, scalar(value, leaves.kind(&path)));
    }
    found.then_some(object)
}

fn insert_path(target: &mut Value, path: &[&str], value: Value) {
    let Some((first, rest)) = path.split_first() else { return };
    let Value::Object(map) = target else { return };
    if rest.is_empty() {
        map.insert((*first).to_owned(), value);
    } else {
        let entry = map.entry((*first).to_owned()).or_insert_with(|| Value::Object(serde_json::Map::new()));
        insert_path(entry, rest, value);
    }
}

/// Reads `value` into `T`, reporting a failure at the context's location (and below it, where
/// serde says).
#[doc(hidden)]
pub fn read_value<T: DeserializeOwned>(cx: &mut Context, value: &Value) -> Option<T> {
    match T::deserialize(value) {
        Ok(read) => Some(read),
        Err(_) => match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(read) => Some(read),
            Err(err) => {
                report(cx, crate::error::from_serde(err).into_vec());
                None
            }
        },
    }
}

/// Reads a JSON body into `T`, reporting a failure (not JSON, a wrong type) at the context's
/// location.
#[doc(hidden)]
pub fn read_json<T: DeserializeOwned>(cx: &mut Context, bytes: &[u8]) -> Option<T> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match crate::parse_json::<T>(bytes) {
        Ok(read) => Some(read),
        Err(errors) => {
            report(cx, errors.into_vec());
            None
        }
    }
}

/// Reads an XML body with the type's generated reader, reporting a failure at the context's
/// location with keyword `xml`.
#[cfg(feature = "xml")]
#[doc(hidden)]
pub fn read_xml<T>(cx: &mut Context, bytes: &[u8], read: fn(&str) -> Result<T, crate::xml::XmlError>) -> Option<T> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            cx.error("xml", None, format!("the body is not UTF-8: {e}"));
            return None;
        }
    };
    match read(text) {
        Ok(read) => Some(read),
        Err(e) => {
            cx.error("xml", None, e.to_string());
            None
        }
    }
}

fn report(cx: &mut Context, errors: Vec<ValidationError>) {
    for error in errors {
        cx.error_below(&error.pointer, error.keyword, error.limit, error.message);
    }
}

/// One part of a `multipart/form-data` body.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

impl Part {
    /// The part as a file, with its file name and content type.
    pub fn to_binary(&self) -> Binary {
        let mut file = Binary::new(self.bytes.clone());
        if let Some(name) = &self.file_name {
            file = file.with_file_name(name.clone());
        }
        if let Some(content_type) = &self.content_type {
            file = file.with_content_type(content_type.clone());
        }
        file
    }
}

/// The parts of a `multipart/form-data` body (RFC 7578), or a failure reported at the
/// context's location with keyword `multipart`.
///
/// Written here rather than with `multer`, which reads a stream asynchronously and brings
/// `encoding_rs` and `mime`: the mock holds the whole body already, and each part's headers
/// are read by `httparse`, which hyper builds anyway.
#[doc(hidden)]
pub fn multipart(cx: &mut Context, request: &Incoming) -> Option<Vec<Part>> {
    let result = request
        .header("content-type")
        .and_then(|value| {
            value.split(';').skip(1).find_map(|p| {
                let (name, value) = p.trim().split_once('=')?;
                name.trim().eq_ignore_ascii_case("boundary").then(|| value.trim().trim_matches('"').to_owned())
            })
        })
        .ok_or_else(|| "the Content-Type names no boundary".to_owned())
        .and_then(|boundary| split_parts(request.body(), &boundary));
    match result {
        Ok(parts) => Some(parts),
        Err(message) => {
            cx.error("multipart", None, message);
            None
        }
    }
}

fn split_parts(body: &[u8], boundary: &str) -> Result<Vec<Part>, String> {
    let delimiter = format!("--{boundary}");
    let find = |haystack: &[u8], from: usize| -> Option<usize> {
        haystack.get(from..)?.windows(delimiter.len()).position(|w| w == delimiter.as_bytes()).map(|p| p + from)
    };
    let mut at = find(body, 0).ok_or("the body has no part delimiter")?;
    let mut parts = Vec::new();
    loop {
        let after = at + delimiter.len();
        if body.get(after..after + 2) == Some(b"--") {
            return Ok(parts);
        }
        let start = after + body.get(after..).map_or(0, |rest| if rest.starts_with(b"\r\n") { 2 } else { 0 });
        let next = find(body, start).ok_or("the body does not end with its closing delimiter")?;
        // The part ends with the line break before the delimiter.
        let end = if body[..next].ends_with(b"\r\n") { next - 2 } else { next };
        let raw = body.get(start..end).ok_or("a part ends before it begins")?;
        parts.push(read_part(raw, parts.len())?);
        at = next;
    }
}

fn read_part(raw: &[u8], index: usize) -> Result<Part, String> {
    let mut headers = [httparse::EMPTY_HEADER; 16];
    let (length, headers) = match httparse::parse_headers(raw, &mut headers) {
        Ok(httparse::Status::Complete((length, headers))) => (length, headers),
        Ok(httparse::Status::Partial) => return Err(format!("part {index}'s headers do not end")),
        Err(e) => return Err(format!("part {index}'s headers do not read: {e}")),
    };
    let header = |name: &str| {
        headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).into_owned())
    };
    let disposition = header("content-disposition").ok_or(format!("part {index} has no Content-Disposition"))?;
    let parameter = |wanted: &str| {
        disposition.split(';').skip(1).find_map(|p| {
            let (name, value) = p.trim().split_once('=')?;
            name.trim().eq_ignore_ascii_case(wanted).then(|| {
                let value = value.trim().trim_matches('"');
                // The escapes browsers (and the client) write in a quoted name (WHATWG).
                value.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n")
            })
        })
    };
    let name = parameter("name").ok_or(format!("part {index}'s Content-Disposition has no name"))?;
    Ok(Part {
        name,
        file_name: parameter("filename"),
        content_type: header("content-type"),
        bytes: raw[length..].to_vec(),
    })
}

/// A form's fields (multipart parts, or form-urlencoded pairs as text parts) as a JSON object,
/// each known field read by its shape; other fields are kept as text, for the type to accept
/// or refuse. A file's place holds its bytes as text: the generated code sets the file itself.
#[doc(hidden)]
pub fn form_document(parts: &[Part], fields: &[(&str, Shape, bool)]) -> Value {
    let mut object = serde_json::Map::new();
    let text = |part: &Part| String::from_utf8_lossy(&part.bytes).into_owned();
    for part in parts {
        if object.contains_key(&part.name) {
            continue;
        }
        let same: Vec<&Part> = parts.iter().filter(|p| p.name == part.name).collect();
        let values: Vec<String> = same.iter().map(|p| text(p)).collect();
        let value = match fields.iter().find(|(name, _, _)| *name == part.name) {
            Some((_, Shape::BinaryList, _)) => Value::Array(values.into_iter().map(Value::String).collect()),
            Some((_, Shape::Binary, _)) => Value::String(text(part)),
            Some((_, shape, explode)) => parameter(values, *shape, *explode).unwrap_or(Value::Null),
            None => Value::String(text(part)),
        };
        object.insert(part.name.clone(), value);
    }
    // `deepObject` fields of a form-urlencoded body (`card[city]=Berlin`).
    for (name, shape, _) in fields {
        if *shape == Shape::Json && !object.contains_key(*name) {
            let pairs: Vec<(String, String)> = parts.iter().map(|p| (p.name.clone(), text(p))).collect();
            // The form's fields carry no schema here yet, so the leaves are read as JSON where
            // they parse (unlike a query's `deepObject`, read by its schema).
            if let Some(value) = deep_object(&pairs, name, &Leaves::Leaf(Kind::Json)) {
                object.retain(|key, _| !key.starts_with(&format!("{name}[")));
                object.insert((*name).to_owned(), value);
            }
        }
    }
    Value::Object(object)
}

/// A form-urlencoded body's pairs as text parts, for [`form_document`].
#[doc(hidden)]
pub fn form_pairs(request: &Incoming) -> Vec<Part> {
    form_urlencoded::parse(request.body())
        .map(|(name, value)| Part {
            name: name.into_owned(),
            file_name: None,
            content_type: None,
            bytes: value.into_owned().into_bytes(),
        })
        .collect()
}

/// The credential of one security scheme: where a request carries it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct Credential {
    /// The scheme's key in `components/securitySchemes`.
    pub scheme: &'static str,
    /// Where the request carries it (as the client puts it there).
    pub place: Placement,
    /// Its JSON Pointer (`/header/authorization`, `/query/api_key`).
    pub pointer: &'static str,
}

impl Credential {
    /// Whether `request` carries it: the scheme's word in `Authorization` in any case, or the
    /// header (its name in lower case), query parameter or cookie.
    fn present(&self, request: &Incoming) -> bool {
        let authorization = |scheme: &str| {
            request
                .header("authorization")
                .and_then(|v| v.get(..scheme.len()))
                .is_some_and(|v| v.eq_ignore_ascii_case(scheme))
        };
        match self.place {
            Placement::Bearer => authorization("bearer "),
            Placement::Basic => authorization("basic "),
            Placement::Header(name) => request.header(name).is_some(),
            Placement::Query(name) => !request.query_values(name).is_empty(),
            Placement::Cookie(name) => request.cookie(name).is_some(),
        }
    }
}

/// The `401` for a request that meets none of `requirements`, or `None` when it meets one.
///
/// OpenAPI's security requirements are alternatives, any one of which suffices, and each
/// alternative needs every scheme it names. An empty alternative lets anyone in, and no
/// alternatives at all ask for nothing. Each unmet requirement is reported once, at its first
/// missing credential, with every credential it misses named.
#[doc(hidden)]
pub fn check_security(request: &Incoming, requirements: &[&[Credential]]) -> Option<Answer> {
    if requirements.is_empty() || requirements.iter().any(|all| all.iter().all(|c| c.present(request))) {
        return None;
    }
    let violations = requirements
        .iter()
        .map(|all| {
            let missing: Vec<&Credential> = all.iter().filter(|c| !c.present(request)).collect();
            let message = if all.len() == 1 {
                format!("the request carries no credential of the security scheme {}", schemes(all.iter()))
            } else {
                format!(
                    "the security requirement {} is not met: the request carries no credential of {}",
                    schemes(all.iter()),
                    schemes(missing.iter().copied())
                )
            };
            // Every requirement here misses something, or the request would have met it.
            let pointer = missing.first().map_or("", |c| c.pointer).to_owned();
            ValidationError { pointer, keyword: "security", limit: None, message }
        })
        .collect();
    Some(Answer::unauthorized(violations))
}

/// Scheme keys as a message names them: `` `a` and `b` ``.
fn schemes<'c>(credentials: impl Iterator<Item = &'c Credential>) -> String {
    credentials.map(|c| format!("`{}`", c.scheme)).collect::<Vec<_>>().join(" and ")
}

/// Reads the query parameter `name` (not `deepObject`: see [`deep_object`]) from the request's
/// query string, as [`read_parameter`] does with what [`parameter`] finds of it.
#[doc(hidden)]
pub fn read_query<T: DeserializeOwned>(
    cx: &mut Context,
    request: &super::Incoming,
    name: &'static str,
    shape: Shape,
    explode: bool,
    required: bool,
) -> Option<T> {
    read_parameter(cx, "query", name, parameter(request.query_values(name), shape, explode), required)
}

/// Reads a parameter at `/<location>/<name>` (`location` is `path`, `query` or `header`) from
/// what the request carries of it (`found`, as [`parameter`] or [`deep_object`] gives it): as a
/// `T`, or `None` with what is wrong reported, its absence too where it is `required`.
#[doc(hidden)]
pub fn read_parameter<T: DeserializeOwned>(
    cx: &mut Context,
    location: &'static str,
    name: &'static str,
    found: Option<Value>,
    required: bool,
) -> Option<T> {
    cx.push_key(location);
    cx.push_key(name);
    let read = match found {
        Some(value) => read_value(cx, &value),
        None => {
            if required {
                let what = match location {
                    "header" => "header",
                    "path" => "path parameter",
                    _ => "query parameter",
                };
                missing(cx, &format!("{what} `{name}`"));
            }
            None
        }
    };
    cx.pop();
    cx.pop();
    read
}

/// A url-encoded form body read as `T`: its pairs made the document `fields` describe (see
/// [`form_document`]), read as `T` with every violation reported where validation is.
#[doc(hidden)]
pub fn read_form<T: DeserializeOwned>(
    cx: &mut Context,
    request: &Incoming,
    fields: &[(&str, Shape, bool)],
) -> Option<T> {
    let document = form_document(&form_pairs(request), fields);
    read_value(cx, &document)
}

/// A body sent under `media_type`, which the operation does not take (`accepted` lists those it
/// does): a `contentType` violation where validation is (the body), and no body read.
#[doc(hidden)]
pub fn unaccepted_media<T>(cx: &mut Context, media_type: Option<&str>, accepted: &str) -> Option<T> {
    cx.error(
        "contentType",
        None,
        format!("the body's media type `{}` is not one the operation takes ({accepted})", media_type.unwrap_or("none")),
    );
    None
}

/// Reports a missing required value at the context's location.
#[doc(hidden)]
pub fn missing(cx: &mut Context, what: &str) {
    cx.error("required", None, format!("the required {what} is missing"));
}

/// Whether the media type is JSON (`application/json`, `text/json`, `+json`).
#[doc(hidden)]
pub fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence == "text/json" || essence.ends_with("+json")
}

/// Whether the media type is XML (`application/xml`, `text/xml`, `+xml`).
#[doc(hidden)]
pub fn is_xml(essence: &str) -> bool {
    essence == "application/xml" || essence == "text/xml" || essence.ends_with("+xml")
}

/// Whether `media_type` (a request's) is one of `accepted` (the spec's, which may be ranges
/// such as `image/*`).
#[doc(hidden)]
pub fn accepts(accepted: &[&str], media_type: &str) -> bool {
    accepted.iter().any(|a| {
        let a = a.to_ascii_lowercase();
        a == media_type
            || a == "*/*"
            || a.strip_suffix("/*").is_some_and(|range| media_type.split('/').next() == Some(range))
    })
}

/// The answer of a documented response: its body, validated already, as JSON.
#[doc(hidden)]
pub fn json_answer<T: serde::Serialize + ?Sized>(status: u16, value: &T) -> Answer {
    match serde_json::to_vec(value) {
        Ok(bytes) => Answer::with_body(status, "application/json", bytes),
        Err(e) => Answer::invalid_answer(vec![ValidationError {
            pointer: "/body".to_owned(),
            keyword: "json",
            limit: None,
            message: format!("the body cannot be written as JSON: {e}"),
        }]),
    }
}

/// The end of a reply's check: the answer with the reply's headers, or, where the reply broke
/// the spec (in `context`, or by a status the client reads as another variant than
/// `variant`: not `documented`), the `500` that lists every violation.
#[doc(hidden)]
pub fn checked_answer(
    mut context: Context,
    answer: Answer,
    documented: bool,
    variant: &str,
    headers: &[(String, String)],
) -> Answer {
    if !documented {
        context.push_key("status");
        context.error(
            "status",
            None,
            format!("the client reads status {} as another response than `{variant}`", answer.status()),
        );
        context.pop();
    }
    if let Err(errors) = context.finish() {
        return Answer::invalid_answer(errors.into_vec());
    }
    headers.iter().fold(answer, |answer, (name, value)| answer.header(name, value))
}

/// A value of `T` from proptest's deterministic runner, the same on every call: what the mock
/// answers with where an operation has no handler and its response no example.
#[cfg(feature = "arbitrary")]
#[doc(hidden)]
pub fn generated<T: proptest::arbitrary::Arbitrary>() -> Option<T> {
    first(proptest::arbitrary::any::<T>())
}

/// [`generated`] by a generated crate's strategy function for a type (its `arbitrary`
/// module's `fn(depth) -> BoxedStrategy<T>`), at the full [`crate::arbitrary::DEPTH`]: an
/// alias's function makes values that keep the alias's own rules, where `T`'s `Arbitrary`
/// knows nothing of them.
#[cfg(feature = "arbitrary")]
#[doc(hidden)]
pub fn generated_by<T: std::fmt::Debug>(strategy: fn(u32) -> proptest::strategy::BoxedStrategy<T>) -> Option<T> {
    first(strategy(crate::arbitrary::DEPTH))
}

/// The first value of `strategy` from proptest's deterministic runner; `None` where it makes
/// none (a filter that rejects too often).
#[cfg(feature = "arbitrary")]
fn first<S: proptest::strategy::Strategy>(strategy: S) -> Option<S::Value> {
    use proptest::strategy::ValueTree as _;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    strategy.new_tree(&mut runner).ok().map(|tree| tree.current())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::Recorded;

    #[test]
    fn paths_match_templates() {
        let template = [
            Segment::Literal("/users/"),
            Segment::Param,
            Segment::Literal("/files/"),
            Segment::Param,
            Segment::Literal(".json"),
        ];
        assert_eq!(
            match_path(&template, "/users/a%20b/files/x.y.json"),
            Some(vec!["a b".to_owned(), "x.y".to_owned()])
        );
        assert_eq!(match_path(&template, "/users/a/b/files/x.json"), None);
        assert_eq!(match_path(&template, "/users//files/x.json"), None);
        assert_eq!(match_path(&[Segment::Literal("/customers")], "/customers"), Some(vec![]));
        assert_eq!(match_path(&[Segment::Literal("/customers")], "/customers/1"), None);
        assert_eq!(match_path(&[Segment::Literal("/c/"), Segment::Param], "/c/1+2"), Some(vec!["1+2".to_owned()]));
    }

    #[test]
    fn parameters_read_by_shape() {
        assert_eq!(parameter(vec!["5".into()], Shape::Scalar(Kind::Json), true), Some(serde_json::json!(5)));
        assert_eq!(parameter(vec!["5".into()], Shape::Scalar(Kind::Text), true), Some(serde_json::json!("5")));
        assert_eq!(parameter(vec!["x".into()], Shape::Scalar(Kind::Json), true), Some(serde_json::json!("x")));
        assert_eq!(parameter(vec!["1,2".into()], Shape::List(Kind::Json, ','), true), Some(serde_json::json!(["1,2"])));
        assert_eq!(parameter(vec!["1,2".into()], Shape::List(Kind::Json, ','), false), Some(serde_json::json!([1, 2])));
        assert_eq!(
            parameter(vec!["a".into(), "b".into()], Shape::List(Kind::Text, ','), true),
            Some(serde_json::json!(["a", "b"]))
        );
        assert_eq!(
            parameter(vec!["a|b".into()], Shape::List(Kind::Text, '|'), false),
            Some(serde_json::json!(["a", "b"]))
        );
        assert_eq!(parameter(vec![], Shape::Scalar(Kind::Text), true), None);
    }

    #[test]
    fn deep_object_leaves_read_by_their_schema() {
        let pairs: Vec<(String, String)> =
            [("f[created][gte]", "5"), ("f[name]", "5"), ("f[on]", "true"), ("f[extra]", "7"), ("g[x]", "1")]
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
        const CREATED: Leaves = Leaves::Object(&[("gte", Leaves::Leaf(Kind::Json))], &Leaves::Leaf(Kind::Text));
        let leaves = Leaves::Object(
            &[("created", CREATED), ("name", Leaves::Leaf(Kind::Text)), ("on", Leaves::Leaf(Kind::Json))],
            &Leaves::Leaf(Kind::Text),
        );
        assert_eq!(
            deep_object(&pairs, "f", &leaves),
            Some(serde_json::json!({"created": {"gte": 5}, "name": "5", "on": true, "extra": "7"}))
        );
        // Without a schema (a form's field), what parses as JSON is JSON.
        assert_eq!(
            deep_object(&pairs, "f", &Leaves::Leaf(Kind::Json)),
            Some(serde_json::json!({"created": {"gte": 5}, "name": 5, "on": true, "extra": 7}))
        );
        assert_eq!(deep_object(&pairs, "h", &leaves), None);
    }

    #[test]
    fn multipart_reads_what_the_client_writes() {
        let body = b"--B\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@b.c\r\n\
            --B\r\nContent-Disposition: form-data; name=\"we%22ird\"\r\n\r\nx\r\n\
            --B\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\r\n\
            --B--\r\n";
        let parts = split_parts(body, "B").unwrap();
        assert_eq!(parts.len(), 3);
        assert_eq!((parts[0].name.as_str(), parts[0].bytes.as_slice()), ("email", &b"a@b.c"[..]));
        assert_eq!(parts[1].name, "we\"ird");
        assert_eq!(parts[2].file_name.as_deref(), Some("p.png"));
        assert_eq!(parts[2].content_type.as_deref(), Some("image/png"));
        assert_eq!(parts[2].bytes, b"\x89PNG\r\n");
        assert_eq!(
            split_parts(b"--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx", "B").unwrap_err(),
            "the body does not end with its closing delimiter"
        );
        assert_eq!(split_parts(b"--B\r\n\r\nx\r\n--B--", "B").unwrap_err(), "part 0 has no Content-Disposition");
    }

    #[test]
    fn secrets_do_not_print() {
        let recorded = Recorded {
            operation: Some("op"),
            method: "GET".into(),
            path: "/".into(),
            query: Some("api_key=hunter2&x=1".into()),
            headers: vec![("authorization".into(), "Bearer hunter2".into()), ("x-api-key".into(), "hunter2".into())],
            body: Vec::new(),
            status: Some(200),
            violations: Vec::new(),
            secrets: &["x-api-key", "api_key"],
            id: 0,
        };
        let shown = format!("{recorded:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("(\"authorization\", \"[redacted]\")"), "{shown}");
    }
}

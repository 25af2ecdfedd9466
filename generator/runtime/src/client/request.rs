//! A request as generated code assembles it: path, query pairs, headers, credentials by
//! where they go, and the body's bytes (JSON, XML, a form, multipart, raw bytes). All of it
//! is plumbing for generated code, hidden from the docs.

use std::borrow::Cow;

use super::{plain_text, Error, HeaderMap, HeaderName, HeaderValue, Method, Secret};
use crate::Binary;

/// A request about to be sent, as generated code assembles it.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Request {
    /// The operation's id, given to [`Hooks`](super::Hooks) and credential providers.
    pub operation: &'static str,
    pub method: Method,
    /// The path, parameters already encoded (`/things/a%20b`); borrowed when the operation's
    /// path has no parameter.
    pub path: Cow<'static, str>,
    /// Name and value of each query pair, in order, not yet percent-encoded.
    pub query: Vec<(Cow<'static, str>, String)>,
    /// The credentials the operation takes, each with where it goes; the transport fills them
    /// in when it sends (from the client's fixed secrets, or from its credential provider).
    pub credentials: Vec<Credential>,
    pub headers: HeaderMap,
    /// Content type and bytes.
    pub body: Option<(Cow<'static, str>, Vec<u8>)>,
}

impl Request {
    pub fn new(operation: &'static str, method: Method, path: impl Into<Cow<'static, str>>) -> Self {
        Self {
            operation,
            method,
            path: path.into(),
            query: Vec::new(),
            credentials: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
        }
    }

    pub fn query(&mut self, name: &'static str, value: String) {
        self.query.push((Cow::Borrowed(name), value));
    }

    /// A credential of the security scheme `scheme` (its key in `securitySchemes`), sent as
    /// `placement` says: `fixed` if the client was given one, else whatever its credential
    /// provider gives, else nothing.
    pub fn credential(&mut self, scheme: &'static str, placement: Placement, fixed: Option<&Secret>) {
        self.credentials.push(Credential { scheme, placement, fixed: fixed.cloned() });
    }

    /// A parameter that is an object (or any JSON value), serialized as `style` says: see
    /// [`serialize_value`].
    pub fn query_value(&mut self, name: &'static str, value: &serde_json::Value, style: Style, explode: bool) {
        let mut pairs = Vec::new();
        serialize_value(&mut pairs, name, value, style, explode);
        self.query.extend(pairs.into_iter().map(|(name, value)| (Cow::Owned(name), value)));
    }

    /// Adds a header; a value that cannot be a header (a line break in it, say) is an error,
    /// and the request is not sent.
    pub fn header(&mut self, name: &'static str, value: &str) -> Result<(), Error> {
        self.append(name, HeaderValue::from_str(value))
    }

    /// [`Request::header`] for a value the generator wrote (an `Accept` list): kept as the
    /// static text it is, not copied; still checked, so a value that cannot be a header is an
    /// error, not a panic.
    pub fn static_header(&mut self, name: &'static str, value: &'static str) -> Result<(), Error> {
        self.append(name, HeaderValue::from_maybe_shared(bytes::Bytes::from_static(value.as_bytes())))
    }

    fn append(
        &mut self,
        name: &'static str,
        value: Result<HeaderValue, reqwest::header::InvalidHeaderValue>,
    ) -> Result<(), Error> {
        let value =
            value.map_err(|_| Error::Request(format!("the value of header `{name}` cannot be sent in a header")))?;
        self.headers.append(header_name(name)?, value);
        Ok(())
    }

    pub fn xml_body(&mut self, document: String) {
        self.body = Some((Cow::Borrowed("application/xml"), document.into_bytes()));
    }

    pub fn json_body<T: serde::Serialize>(&mut self, body: &T) -> Result<(), Error> {
        let bytes =
            serde_json::to_vec(body).map_err(|e| Error::Request(format!("the body cannot be written as JSON: {e}")))?;
        self.body = Some((Cow::Borrowed("application/json"), bytes));
        Ok(())
    }

    /// Bytes, sent with their own content type, or else `default_type`.
    pub fn binary_body(&mut self, body: &Binary, default_type: &'static str) -> Result<(), Error> {
        let content_type = match body.content_type() {
            Some(given) if HeaderValue::from_str(given).is_err() => {
                return Err(Error::Request(format!(
                    "the content type `{}` cannot be sent in a header",
                    given.escape_debug()
                )));
            }
            Some(given) => Cow::Owned(given.to_owned()),
            None => Cow::Borrowed(default_type),
        };
        self.body = Some((content_type, body.bytes().to_vec()));
        Ok(())
    }

    pub fn multipart_body(&mut self, form: Multipart) {
        let (content_type, bytes) = form.finish();
        self.body = Some((Cow::Owned(content_type), bytes));
    }

    /// An `application/x-www-form-urlencoded` body from its pairs (see [`serialize_value`]).
    pub fn form_body(&mut self, pairs: &[(String, String)]) -> Result<(), Error> {
        let text = serde_urlencoded::to_string(pairs)
            .map_err(|e| Error::Request(format!("the form cannot be encoded: {e}")))?;
        self.body = Some((Cow::Borrowed("application/x-www-form-urlencoded"), text.into_bytes()));
        Ok(())
    }

    /// Whether the request carries an `Idempotency-Key`, which makes resending it safe.
    pub fn is_idempotent(&self) -> bool {
        self.headers.contains_key("idempotency-key")
    }
}

/// A credential an operation takes: its scheme, where it goes, and the client's fixed secret.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Credential {
    pub scheme: &'static str,
    pub placement: Placement,
    pub fixed: Option<Secret>,
}

/// Where a credential goes on the wire (OpenAPI's security scheme types).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// `Authorization: Bearer <secret>`.
    Bearer,
    /// `Authorization: Basic <base64 of the secret>` (the secret is `user:password`).
    Basic,
    /// A header of its own (`x-api-key: <secret>`).
    Header(&'static str),
    /// A query parameter (`?api_key=<secret>`). While a request carries one, its URL is a
    /// secret too: errors show it with the value redacted.
    Query(&'static str),
    /// A cookie (`Cookie: name=<secret>`).
    Cookie(&'static str),
}

/// How a parameter, or a property of a form body, is written (OpenAPI's `style`).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Form,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

/// The name-value pairs of a value, as OpenAPI's `style` and `explode` write it in a query or
/// a form body:
///
/// - `null` writes nothing; a string writes itself, a number or a boolean its JSON text;
/// - an array: with `form` and `explode`, one pair per item (`id=1&id=2`); without `explode`,
///   one pair of the items joined by `,` (`spaceDelimited`: a space; `pipeDelimited`: `|`);
///   with `deepObject`, one pair per item named by its index (`id[0]=1&id[1]=2`);
/// - an object: with `form` and `explode`, one pair per property (`a=1&b=2`); without
///   `explode`, one pair of keys and values joined by `,` (`point=a,1,b,2`); with
///   `deepObject`, one pair per property (`point[a]=1&point[b]=2`).
///
/// Values nested deeper than the style defines (an object in an object) are written as
/// `deepObject` does, brackets all the way down (`card[address][city]=Berlin`), which is
/// what servers that take nested forms read; under `form` without `explode` they are written
/// as JSON text.
#[doc(hidden)]
pub fn serialize_value(
    out: &mut Vec<(String, String)>,
    name: &str,
    value: &serde_json::Value,
    style: Style,
    explode: bool,
) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Array(items) => match style {
            Style::DeepObject => nested(out, name, value),
            Style::Form if explode => {
                for item in items {
                    match item {
                        Value::Null => {}
                        Value::Array(_) | Value::Object(_) => nested(out, name, item),
                        _ => out.push((name.to_owned(), plain_text(item))),
                    }
                }
            }
            _ => {
                let separator = match style {
                    Style::SpaceDelimited => " ",
                    Style::PipeDelimited => "|",
                    _ => ",",
                };
                let texts: Vec<String> = items.iter().filter(|v| !v.is_null()).map(plain_text).collect();
                out.push((name.to_owned(), texts.join(separator)));
            }
        },
        Value::Object(map) => match style {
            Style::Form if explode => {
                for (key, item) in map {
                    match item {
                        Value::Array(_) | Value::Object(_) => nested(out, key, item),
                        _ if item.is_null() => {}
                        _ => out.push((key.clone(), plain_text(item))),
                    }
                }
            }
            Style::DeepObject => nested(out, name, value),
            _ => {
                let texts: Vec<String> =
                    map.iter().filter(|(_, v)| !v.is_null()).flat_map(|(k, v)| [k.clone(), plain_text(v)]).collect();
                out.push((name.to_owned(), texts.join(",")));
            }
        },
        scalar => out.push((name.to_owned(), plain_text(scalar))),
    }
}

/// The pairs of a form body: each property of `value` (an object) as its `encoding` says
/// (`(name, style, explode)`; `form` with `explode` where it says nothing). See
/// [`serialize_value`].
#[doc(hidden)]
pub fn form_pairs(value: &serde_json::Value, encodings: &[(&str, Style, bool)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let serde_json::Value::Object(map) = value {
        for (name, property) in map {
            let (style, explode) = encodings
                .iter()
                .find(|(n, _, _)| n == name)
                .map_or((Style::Form, true), |&(_, style, explode)| (style, explode));
            match (property, style, explode) {
                // A property is named by itself, also when it is an object written `form`.
                (serde_json::Value::Object(_), Style::Form, true) => nested(&mut out, name, property),
                _ => serialize_value(&mut out, name, property, style, explode),
            }
        }
    }
    out
}

/// `name[key]=value` and `name[index]=value`, all the way down.
fn nested(out: &mut Vec<(String, String)>, name: &str, value: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                nested(out, &format!("{name}[{i}]"), item);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                nested(out, &format!("{name}[{key}]"), item);
            }
        }
        scalar => out.push((name.to_owned(), plain_text(scalar))),
    }
}

/// A `multipart/form-data` body (RFC 7578), put together part by part.
///
/// Written here rather than with `reqwest::multipart`, whose form is a one-shot stream: a
/// request must keep its bytes to be sent again after a `429` or `503`, and tests compare
/// them.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Multipart {
    parts: Vec<Part>,
}

#[derive(Debug)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    bytes: Vec<u8>,
}

impl Multipart {
    pub fn new() -> Self {
        Self::default()
    }

    /// A text part (no `Content-Type`: `text/plain` is the default).
    pub fn text(&mut self, name: &str, value: String) {
        self.parts.push(Part { name: name.to_owned(), file_name: None, content_type: None, bytes: value.into_bytes() });
    }

    /// A part holding a JSON value (`Content-Type: application/json`): OpenAPI's default for
    /// objects and arrays of objects.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(value)
            .map_err(|e| Error::Request(format!("part `{name}` cannot be written as JSON: {e}")))?;
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: None,
            content_type: Some("application/json".to_owned()),
            bytes,
        });
        Ok(())
    }

    /// A file part: see [`Binary`] for its file name and content type. `default_type` is the
    /// content type when the value has none.
    pub fn file(&mut self, name: &str, file: &Binary, default_type: &str) {
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: Some(file.file_name().unwrap_or(name).to_owned()),
            content_type: Some(file.content_type().unwrap_or(default_type).to_owned()),
            bytes: file.bytes().to_vec(),
        });
    }

    /// The `Content-Type` header (with the boundary) and the body's bytes. The boundary is
    /// random, and chosen again in the unlikely case that some part holds it.
    pub fn finish(self) -> (String, Vec<u8>) {
        let mut boundary = random_boundary();
        while self.parts.iter().any(|p| contains(&p.bytes, boundary.as_bytes())) {
            boundary = random_boundary();
        }
        let mut body = Vec::with_capacity(self.parts.iter().map(|p| p.bytes.len() + 128).sum());
        for part in &self.parts {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quoted(&part.name)).as_bytes(),
            );
            if let Some(file_name) = &part.file_name {
                body.extend_from_slice(format!("; filename=\"{}\"", quoted(file_name)).as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                body.extend_from_slice(
                    format!("Content-Type: {}\r\n", content_type.replace(['\r', '\n'], "")).as_bytes(),
                );
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(&part.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (format!("multipart/form-data; boundary={boundary}"), body)
    }
}

/// A name or file name in a `Content-Disposition` header, escaped as browsers do (WHATWG's
/// multipart/form-data encoding): `"` as `%22`, line breaks as `%0D` / `%0A`.
fn quoted(text: &str) -> String {
    text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// 32 random hexadecimal digits after a fixed prefix, from the standard library's randomly
/// seeded hasher (a boundary needs to be unpredictable to the data, not secret).
fn random_boundary() -> String {
    use std::hash::{BuildHasher, Hasher};
    let state = std::collections::hash_map::RandomState::new();
    let mut high = state.build_hasher();
    high.write_u8(1);
    let mut low = state.build_hasher();
    low.write_u8(2);
    format!("apigen-{:016x}{:016x}", high.finish(), low.finish())
}

/// A header's name as given by generated code: lower case and an RFC 9110 token when the
/// generator wrote it, but an error rather than a panic (as `HeaderName::from_static` would
/// give) if it is not.
pub(super) fn header_name(name: &str) -> Result<HeaderName, Error> {
    HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::Request(format!("`{}` cannot be sent as a header's name", name.escape_debug())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_pairs() {
        let pairs = |value: serde_json::Value, style: Style, explode: bool| {
            let mut out = Vec::new();
            serialize_value(&mut out, "p", &value, style, explode);
            serde_urlencoded::to_string(&out).unwrap()
        };
        let list = serde_json::json!([1, "a b", null, true]);
        assert_eq!(pairs(list.clone(), Style::Form, true), "p=1&p=a+b&p=true");
        assert_eq!(pairs(list.clone(), Style::Form, false), "p=1%2Ca+b%2Ctrue");
        assert_eq!(pairs(list.clone(), Style::SpaceDelimited, false), "p=1+a+b+true");
        assert_eq!(pairs(list.clone(), Style::PipeDelimited, false), "p=1%7Ca+b%7Ctrue");
        assert_eq!(pairs(list, Style::DeepObject, true), "p%5B0%5D=1&p%5B1%5D=a+b&p%5B3%5D=true");
        let object = serde_json::json!({"role": "admin", "tags": ["x", "y"], "card": {"city": "Berlin"}, "gone": null});
        assert_eq!(
            pairs(object.clone(), Style::DeepObject, true),
            "p%5Brole%5D=admin&p%5Btags%5D%5B0%5D=x&p%5Btags%5D%5B1%5D=y&p%5Bcard%5D%5Bcity%5D=Berlin"
        );
        assert_eq!(
            pairs(object.clone(), Style::Form, true),
            "role=admin&tags%5B0%5D=x&tags%5B1%5D=y&card%5Bcity%5D=Berlin"
        );
        assert_eq!(
            pairs(object, Style::Form, false),
            "p=role%2Cadmin%2Ctags%2C%5B%22x%22%2C%22y%22%5D%2Ccard%2C%7B%22city%22%3A%22Berlin%22%7D"
        );
        assert_eq!(pairs(serde_json::json!(null), Style::Form, true), "");
        assert_eq!(pairs(serde_json::json!(2.5), Style::DeepObject, true), "p=2.5");
    }

    #[test]
    fn static_header_values_are_checked() {
        let mut request = Request::new("op", Method::GET, "/");
        request.static_header("accept", "application/json, application/xml").unwrap();
        assert_eq!(request.headers["accept"], "application/json, application/xml");
        let error = request.static_header("accept", "text/plain\r\nx-evil: 1").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the request was not sent: the value of header `accept` cannot be sent in a header"
        );
    }

    #[test]
    fn header_names_that_cannot_be_sent_are_errors() {
        let mut request = Request::new("op", Method::GET, "/".to_owned());
        request.header("x-trace-id", "1").unwrap();
        assert_eq!(request.headers["x-trace-id"], "1");
        for name in ["x trace", "x-tr\u{e4}ce", ""] {
            let error = request.header(name, "1").unwrap_err();
            assert_eq!(
                error.to_string(),
                format!("the request was not sent: `{}` cannot be sent as a header's name", name.escape_debug())
            );
        }
    }

    #[test]
    fn multipart_bytes() {
        let mut form = Multipart::new();
        form.text("email", "a@b.c".to_owned());
        form.text("we\"ird\r\nname", "x".to_owned());
        form.json("address", &serde_json::json!({"city": "Berlin"})).unwrap();
        form.file("photo", &Binary::new(b"\x89PNG".to_vec()), "application/octet-stream");
        form.file(
            "doc",
            &Binary::new(b"%PDF".to_vec()).with_file_name("a.pdf").with_content_type("application/pdf"),
            "x/y",
        );
        let (content_type, body) = form.finish();
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        assert!(boundary.starts_with("apigen-") && boundary.len() == 39, "{boundary}");
        let expected = "--B\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@b.c\r\n\
             --B\r\nContent-Disposition: form-data; name=\"we%22ird%0D%0Aname\"\r\n\r\nx\r\n\
             --B\r\nContent-Disposition: form-data; name=\"address\"\r\nContent-Type: application/json\r\n\r\n{\"city\":\"Berlin\"}\r\n\
             --B\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"photo\"\r\nContent-Type: application/octet-stream\r\n\r\n\u{fffd}PNG\r\n\
             --B\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n\
             --B--\r\n";
        assert_eq!(String::from_utf8_lossy(&body).replace(boundary, "B"), expected);
        // A fresh boundary each time.
        let (again, _) = Multipart::new().finish();
        assert_ne!(again, content_type);
    }
}

//! Client plumbing for generated clients: configuration, sending with a timeout and with
//! retries only where they are safe, credentials that never print, and errors that keep what
//! the server said.
//!
//! Retries: a `429 Too Many Requests` or `503 Service Unavailable` says the request was not
//! processed, so it is sent again, after `Retry-After` (seconds) when the server gives one and
//! it is within [`Config::max_retry_after`], else after a short backoff. A connection that
//! could not be established carried no byte of the request, so it is retried too. Nothing
//! else is: a request the server may have seen (a timeout after sending, a 500) is never sent
//! twice, unless it carries an `Idempotency-Key` header (see `Client::idempotent` in a
//! generated crate, or an operation's own idempotency-key parameter): a server that honours
//! the key performs the request once however often it arrives, so such a request is also
//! retried after any failure to get a response (a timeout, a connection reset) and after a
//! `500`, `502` or `504`.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Method, StatusCode};

use crate::{Binary, ValidationErrors};

/// A credential (token, API key). Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for putting it on the wire.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

/// How a client talks to the server.
#[derive(Debug, Clone)]
pub struct Config {
    /// Scheme, host and base path, without a trailing slash (`https://api.revcent.com/v2`).
    pub base_url: String,
    /// For the whole exchange, from connecting to the last byte of the response.
    pub timeout: Duration,
    /// Check each request against the spec's rules before sending it; an invalid request
    /// never leaves the process.
    pub validate_requests: bool,
    /// How many times a request may be sent again (see the module docs for when).
    pub max_retries: u32,
    /// The longest `Retry-After` that is waited for; a longer one ends the retries.
    pub max_retry_after: Duration,
}

impl Config {
    pub fn new(base_url: impl Into<String>) -> Self {
        let base_url: String = base_url.into();
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            timeout: Duration::from_secs(30),
            validate_requests: true,
            max_retries: 2,
            max_retry_after: Duration::from_secs(30),
        }
    }
}

/// A request about to be sent, as generated code assembles it.
#[derive(Debug)]
pub struct Request {
    pub method: Method,
    /// The path, parameters already encoded (`/things/a%20b`).
    pub path: String,
    /// Name and value of each query pair, in order, not yet percent-encoded.
    pub query: Vec<(Cow<'static, str>, String)>,
    /// Credentials sent in the query, after the other pairs. While a request carries one, its
    /// URL is a secret too: transport errors are reported without it.
    pub secret_query: Vec<(&'static str, Secret)>,
    pub headers: HeaderMap,
    /// Content type and bytes.
    pub body: Option<(Cow<'static, str>, Vec<u8>)>,
}

impl Request {
    pub fn new(method: Method, path: String) -> Self {
        Self { method, path, query: Vec::new(), secret_query: Vec::new(), headers: HeaderMap::new(), body: None }
    }

    pub fn query(&mut self, name: &'static str, value: String) {
        self.query.push((Cow::Borrowed(name), value));
    }

    /// A credential in the query (an API key); see [`Request::secret_query`].
    pub fn query_secret(&mut self, name: &'static str, secret: &Secret) {
        self.secret_query.push((name, secret.clone()));
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
        let value = HeaderValue::from_str(value)
            .map_err(|_| Error::Request(format!("the value of header `{name}` cannot be sent in a header")))?;
        self.headers.append(HeaderName::from_static(name), value);
        Ok(())
    }

    /// Adds a credential header, marked sensitive so that it is kept out of logs.
    pub fn secret_header(&mut self, name: &'static str, value: &str) -> Result<(), Error> {
        let mut value = HeaderValue::from_str(value)
            .map_err(|_| Error::Request(format!("the credential for `{name}` cannot be sent in a header")))?;
        value.set_sensitive(true);
        self.headers.append(HeaderName::from_static(name), value);
        Ok(())
    }

    pub fn xml_body(&mut self, document: String) {
        self.body = Some((Cow::Borrowed("application/xml"), document.into_bytes()));
    }

    pub fn json_body<T: serde::Serialize>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Request(format!("the body cannot be written as JSON: {e}")))?;
        self.body = Some((Cow::Borrowed("application/json"), bytes));
        Ok(())
    }

    /// Bytes, sent with their own content type, or else `default_type`.
    pub fn binary_body(&mut self, body: &Binary, default_type: &'static str) -> Result<(), Error> {
        let content_type = match body.content_type() {
            Some(given) if HeaderValue::from_str(given).is_err() => {
                return Err(Error::Request(format!("the content type `{}` cannot be sent in a header", given.escape_debug())));
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
        let text = serde_urlencoded::to_string(pairs).map_err(|e| Error::Request(format!("the form cannot be encoded: {e}")))?;
        self.body = Some((Cow::Borrowed("application/x-www-form-urlencoded"), text.into_bytes()));
        Ok(())
    }

    /// Whether the request carries an `Idempotency-Key`, which makes resending it safe.
    pub fn is_idempotent(&self) -> bool {
        self.headers.contains_key("idempotency-key")
    }
}

/// How a parameter, or a property of a form body, is written (OpenAPI's `style`).
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
pub fn serialize_value(out: &mut Vec<(String, String)>, name: &str, value: &serde_json::Value, style: Style, explode: bool) {
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
                let texts: Vec<String> = map.iter().filter(|(_, v)| !v.is_null()).flat_map(|(k, v)| [k.clone(), plain_text(v)]).collect();
                out.push((name.to_owned(), texts.join(",")));
            }
        },
        scalar => out.push((name.to_owned(), plain_text(scalar))),
    }
}

/// The pairs of a form body: each property of `value` (an object) as its `encoding` says
/// (`(name, style, explode)`; `form` with `explode` where it says nothing). See
/// [`serialize_value`].
pub fn form_pairs(value: &serde_json::Value, encodings: &[(&str, Style, bool)]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let serde_json::Value::Object(map) = value {
        for (name, property) in map {
            let (style, explode) =
                encodings.iter().find(|(n, _, _)| n == name).map_or((Style::Form, true), |&(_, style, explode)| (style, explode));
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
        let bytes = serde_json::to_vec(value).map_err(|e| Error::Request(format!("part `{name}` cannot be written as JSON: {e}")))?;
        self.parts.push(Part { name: name.to_owned(), file_name: None, content_type: Some("application/json".to_owned()), bytes });
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
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"", quoted(&part.name)).as_bytes());
            if let Some(file_name) = &part.file_name {
                body.extend_from_slice(format!("; filename=\"{}\"", quoted(file_name)).as_bytes());
            }
            body.extend_from_slice(b"\r\n");
            if let Some(content_type) = &part.content_type {
                body.extend_from_slice(format!("Content-Type: {}\r\n", content_type.replace(['\r', '\n'], "")).as_bytes());
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

/// A response as the server sent it.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// A documented response: its status, headers and raw body, and the body typed as the
/// operation's response enum.
#[derive(Debug, Clone)]
pub struct Responded<T> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as sent, also for responses the spec documents without one.
    pub body: Vec<u8>,
    pub value: T,
}

impl<T> Responded<T> {
    pub fn new(response: Response, value: T) -> Self {
        Self { status: response.status, headers: response.headers, body: response.body, value }
    }
}

/// Why a call did not give a documented response.
#[derive(Debug)]
pub enum Error {
    /// The request breaks the spec's rules; it was not sent.
    Invalid(ValidationErrors),
    /// The request could not be put together (a header value with a line break, say); it
    /// was not sent.
    Request(String),
    /// No response: the connection failed, or the exchange timed out.
    Transport(reqwest::Error),
    /// A status the spec does not document for this operation: everything the server sent.
    UnexpectedStatus(Box<Response>),
    /// A documented status whose body is not what the spec documents: everything the server
    /// sent, and why it does not parse.
    Decode { response: Box<Response>, errors: ValidationErrors },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(errors) => write!(f, "the request was not sent: {errors}"),
            Error::Request(message) => write!(f, "the request was not sent: {message}"),
            Error::Transport(error) => write!(f, "no response: {error}"),
            Error::UnexpectedStatus(response) => write!(f, "undocumented status {}", response.status),
            Error::Decode { response, errors } => {
                write!(f, "status {} with a body that does not parse: {errors}", response.status)
            }
        }
    }
}

impl std::error::Error for Error {}

/// Sends requests: one per client, shared by its operations.
#[derive(Debug, Clone)]
pub struct Transport {
    http: reqwest::Client,
    config: Config,
    /// Sent as `Idempotency-Key` with every request (see the module docs).
    idempotency_key: Option<String>,
}

impl Transport {
    pub fn new(config: Config) -> Result<Self, Error> {
        let http = reqwest::Client::builder().timeout(config.timeout).build().map_err(Error::Transport)?;
        Ok(Self { http, config, idempotency_key: None })
    }

    /// A copy that sends `Idempotency-Key: <key>` with its requests, and may therefore send
    /// them again where the server may have seen them. A key that cannot be a header value
    /// is an `Error::Request` when a request is sent.
    pub fn with_idempotency_key(&self, key: String) -> Self {
        Self { idempotency_key: Some(key), ..self.clone() }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The HTTP client, for streamed responses ([`crate::stream`]), which are read as they
    /// arrive rather than by [`Transport::send`].
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.http
    }

    /// Sends `request`, retrying where that is safe (see the module docs).
    pub async fn send(&self, mut request: Request) -> Result<Response, Error> {
        if let Some(key) = &self.idempotency_key {
            if !request.is_idempotent() {
                request.header("idempotency-key", key)?;
            }
        }
        let url = format!("{}{}", self.config.base_url, request.path);
        let idempotent = request.is_idempotent();
        // Shared, not copied, by every attempt.
        let body = request.body.take().map(|(content_type, bytes)| (content_type, bytes::Bytes::from(bytes)));
        let mut attempt = 0;
        loop {
            let mut builder = self.http.request(request.method.clone(), &url).headers(request.headers.clone());
            if !request.query.is_empty() {
                builder = builder.query(&request.query);
            }
            if !request.secret_query.is_empty() {
                let pairs: Vec<(&str, &str)> = request.secret_query.iter().map(|(name, secret)| (*name, secret.expose())).collect();
                builder = builder.query(&pairs);
            }
            // Errors name the URL, which here holds a credential.
            let hide_url = |error: reqwest::Error| if request.secret_query.is_empty() { error } else { error.without_url() };
            if let Some((content_type, body)) = &body {
                builder = builder.header(reqwest::header::CONTENT_TYPE, content_type.as_ref()).body(body.clone());
            }
            let retries_left = attempt < self.config.max_retries;
            match builder.send().await {
                Err(error) if (error.is_connect() || idempotent) && retries_left => {
                    tokio::time::sleep(backoff(attempt)).await;
                }
                Err(error) => return Err(Error::Transport(hide_url(error))),
                Ok(mut response) => {
                    let status = response.status();
                    let headers = std::mem::take(response.headers_mut());
                    let retryable = status == StatusCode::TOO_MANY_REQUESTS
                        || status == StatusCode::SERVICE_UNAVAILABLE
                        || (idempotent
                            && matches!(
                                status,
                                StatusCode::INTERNAL_SERVER_ERROR | StatusCode::BAD_GATEWAY | StatusCode::GATEWAY_TIMEOUT
                            ));
                    let wait = match retry_after(&headers) {
                        Some(wait) if wait <= self.config.max_retry_after => Some(wait),
                        Some(_) => None,
                        None => Some(backoff(attempt)),
                    };
                    match (retryable && retries_left, wait) {
                        (true, Some(wait)) => {
                            // Read the body so that the connection can be reused.
                            let _ = response.bytes().await;
                            tokio::time::sleep(wait).await;
                        }
                        _ => {
                            let body = response.bytes().await.map_err(|e| Error::Transport(hide_url(e)))?;
                            return Ok(Response { status, headers, body: body.into() });
                        }
                    }
                }
            }
            attempt += 1;
        }
    }
}

/// 100 ms, 200 ms, 400 ms, ... capped at 5 s.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(100u64.saturating_mul(1 << attempt.min(6))).min(Duration::from_secs(5))
}

/// `Retry-After` in seconds (the HTTP-date form is read as "no hint").
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Reads a documented JSON body (not validated: a response is taken as the server sent it).
pub fn json<T: serde::de::DeserializeOwned>(response: &Response) -> Result<T, Error> {
    crate::parse_json::<T>(&response.body).map_err(|errors| Error::Decode { response: Box::new(response.clone()), errors })
}

/// `user:password` as HTTP Basic authentication writes it.
pub fn base64(credential: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(credential)
}

/// A parameter of any JSON type as text: a string as itself, anything else as JSON.
pub fn plain_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Whether the response says it is XML (`Content-Type` of `application/xml`, `text/xml` or
/// `+xml`).
pub fn is_xml(response: &Response) -> bool {
    response
        .headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .is_some_and(|essence| essence == "application/xml" || essence == "text/xml" || essence.ends_with("+xml"))
}

/// Reads a documented XML body with the type's generated reader.
#[cfg(feature = "xml")]
pub fn xml<T>(response: &Response, read: fn(&str) -> Result<T, crate::xml::XmlError>) -> Result<T, Error> {
    let decode_error = |message: String| Error::Decode {
        response: Box::new(response.clone()),
        errors: crate::ValidationError { pointer: String::new(), keyword: "xml", limit: None, message }.into(),
    };
    let text = std::str::from_utf8(&response.body).map_err(|e| decode_error(format!("the body is not UTF-8: {e}")))?;
    read(text).map_err(|e| decode_error(e.to_string()))
}

/// Percent-encodes a path parameter: everything but RFC 3986's unreserved characters.
pub fn path_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_do_not_print() {
        let secret = Secret::new("sk_live_123");
        assert_eq!(format!("{secret:?}"), "Secret([redacted])");
        assert_eq!(secret.expose(), "sk_live_123");
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(path_segment("a b/c?d"), "a%20b%2Fc%3Fd");
        assert_eq!(path_segment("ü"), "%C3%BC");
    }

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
        assert_eq!(pairs(object.clone(), Style::Form, true), "role=admin&tags%5B0%5D=x&tags%5B1%5D=y&card%5Bcity%5D=Berlin");
        assert_eq!(
            pairs(object, Style::Form, false),
            "p=role%2Cadmin%2Ctags%2C%5B%22x%22%2C%22y%22%5D%2Ccard%2C%7B%22city%22%3A%22Berlin%22%7D"
        );
        assert_eq!(pairs(serde_json::json!(null), Style::Form, true), "");
        assert_eq!(pairs(serde_json::json!(2.5), Style::DeepObject, true), "p=2.5");
    }

    #[test]
    fn multipart_bytes() {
        let mut form = Multipart::new();
        form.text("email", "a@b.c".to_owned());
        form.text("we\"ird\r\nname", "x".to_owned());
        form.json("address", &serde_json::json!({"city": "Berlin"})).unwrap();
        form.file("photo", &Binary::new(b"\x89PNG".to_vec()), "application/octet-stream");
        form.file("doc", &Binary::new(b"%PDF".to_vec()).with_file_name("a.pdf").with_content_type("application/pdf"), "x/y");
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

    #[test]
    fn backoff_and_retry_after() {
        assert_eq!(backoff(0), Duration::from_millis(100));
        assert_eq!(backoff(3), Duration::from_millis(800));
        assert_eq!(backoff(30), Duration::from_secs(5));
        let mut headers = HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(2)));
        headers.insert(reqwest::header::RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(retry_after(&headers), None);
    }
}

//! Client plumbing for generated clients: configuration, sending with a timeout and with
//! retries only where they are safe, credentials that never print, and errors that keep what
//! the server said.
//!
//! Retries: a `429 Too Many Requests` or `503 Service Unavailable` says the request was not
//! processed, so it is sent again, after `Retry-After` (seconds) when the server gives one and
//! it is within [`Config::max_retry_after`], else after a short backoff. A connection that
//! could not be established carried no byte of the request, so it is retried too. Nothing
//! else is: a request the server may have seen (a timeout after sending, a 500) is never sent
//! twice.

use std::fmt;
use std::time::Duration;

pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Method, StatusCode};

use crate::ValidationErrors;

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
    pub query: Vec<(&'static str, String)>,
    pub headers: HeaderMap,
    pub body: Option<(&'static str, Vec<u8>)>,
}

impl Request {
    pub fn new(method: Method, path: String) -> Self {
        Self { method, path, query: Vec::new(), headers: HeaderMap::new(), body: None }
    }

    pub fn query(&mut self, name: &'static str, value: String) {
        self.query.push((name, value));
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
        self.body = Some(("application/xml", document.into_bytes()));
    }

    pub fn json_body<T: serde::Serialize>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Request(format!("the body cannot be written as JSON: {e}")))?;
        self.body = Some(("application/json", bytes));
        Ok(())
    }
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
}

impl Transport {
    pub fn new(config: Config) -> Result<Self, Error> {
        let http = reqwest::Client::builder().timeout(config.timeout).build().map_err(Error::Transport)?;
        Ok(Self { http, config })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sends `request`, retrying where that is safe (see the module docs).
    pub async fn send(&self, request: Request) -> Result<Response, Error> {
        let url = format!("{}{}", self.config.base_url, request.path);
        let mut attempt = 0;
        loop {
            let mut builder = self.http.request(request.method.clone(), &url).headers(request.headers.clone());
            if !request.query.is_empty() {
                builder = builder.query(&request.query);
            }
            if let Some((content_type, body)) = &request.body {
                builder = builder.header(reqwest::header::CONTENT_TYPE, *content_type).body(body.clone());
            }
            let retries_left = attempt < self.config.max_retries;
            match builder.send().await {
                Err(error) if error.is_connect() && retries_left => {
                    tokio::time::sleep(backoff(attempt)).await;
                }
                Err(error) => return Err(Error::Transport(error)),
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    let retryable = status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE;
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
                            let body = response.bytes().await.map_err(Error::Transport)?.to_vec();
                            return Ok(Response { status, headers, body });
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

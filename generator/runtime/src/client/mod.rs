//! Client plumbing for generated clients: configuration, sending within bounds of time and
//! memory, retries only where they are safe, redirects that keep credentials and bodies at
//! their origin, credentials that never print, and errors that keep what the server said.
//!
//! What a generated client guarantees, whatever the server does (each point is tested against
//! hostile loopback servers; `SECURITY.md` at the repository's root has the matrix):
//!
//! - **Redirects.** A redirect is followed only for a request without a body, only to the
//!   same origin (scheme, host and port), and at most [`Config::max_redirects`] times; any
//!   other `3xx` is the response (`Error::UnexpectedStatus` where the spec does not document
//!   it). So no credential (header, query or cookie) and no body ever goes to another origin,
//!   an `https` to `http` downgrade is never followed, and no `Referer` is sent.
//! - **Retries.** A `429 Too Many Requests` or `503 Service Unavailable` says the request was
//!   not processed, so it is sent again, after `Retry-After` (seconds or an HTTP date) when the
//!   server gives one and it is within [`Config::max_retry_after`], else after a short backoff.
//!   A connection that could not be established carried no byte of the request, so it is
//!   retried too, but only for the first exchange of an attempt: after a redirect the request
//!   has been seen. Nothing else is: a request the server may have seen (a timeout after
//!   sending, a 500) is never sent twice, unless it carries an `Idempotency-Key` header (see
//!   `Client::idempotent` in a generated crate, or an operation's own idempotency-key
//!   parameter): a server that honours the key performs the request once however often it
//!   arrives, so such a request is also retried after any failure to get a response (a
//!   timeout, a connection reset) and after a `500`, `502` or `504`. A `401` to a credential
//!   from a [`CredentialProvider`] is sent once more with a refreshed one.
//! - **Time.** Each attempt is bounded by [`Config::timeout`], the whole call (attempts,
//!   redirects, waits, reading the body) by [`Config::deadline`]; a wait that would end after
//!   the deadline is not begun.
//! - **Memory.** A body is read up to [`Config::max_response_bytes`] and no further, also on
//!   error paths; the body of a response that is retried is not read at all. An error holds
//!   the one copy of the response there is. An operation's `<name>_download` method hands a
//!   large body to the caller piece by piece ([`Download`]).
//! - **Errors** name the URL that failed (credentials in its query redacted), say what failed
//!   (connect, timeout, deadline, a broken response) and keep what arrived.

mod body;
mod config;
mod error;
mod redirect;
#[cfg(feature = "mock")]
pub(crate) use redirect::shown as shown_url;
mod request;
mod send;

use std::fmt;

pub use reqwest;
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Method, StatusCode};

pub use body::Download;
pub use config::{BoxError, BoxFuture, Config, CredentialProvider, Hooks, Secret};
pub use error::{Error, TransportError, TransportErrorKind};
#[doc(hidden)]
pub use request::{form_pairs, serialize_value, Credential, Multipart, Placement, Request, Style};
#[doc(hidden)]
pub use send::Transport;

use crate::ValidationErrors;

/// A response as the server sent it.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body, whole.
    pub body: Vec<u8>,
}

impl Response {
    /// The response read by `read` into a [`Responded`]; if it does not parse, an
    /// `Error::Decode` that holds the response itself (moved, not copied).
    #[doc(hidden)]
    pub fn decode<T>(self, read: impl FnOnce(&Response) -> Result<T, ValidationErrors>) -> Result<Responded<T>, Error> {
        match read(&self) {
            Ok(value) => Ok(Responded::new(self, value)),
            Err(errors) => Err(Error::Decode { response: Box::new(self), errors }),
        }
    }
}

/// A documented response: its status, headers and raw body, and the body typed as the
/// operation's response enum.
#[derive(Debug, Clone)]
pub struct Responded<T> {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as sent, also for responses the spec documents without one.
    pub body: Vec<u8>,
    /// The body, typed.
    pub value: T,
}

impl<T> Responded<T> {
    /// A response and its typed body.
    pub fn new(response: Response, value: T) -> Self {
        Self { status: response.status, headers: response.headers, body: response.body, value }
    }

    /// `Err` for a documented error status (`4xx`, `5xx`), so that `?` stops on it; the error
    /// still carries the typed body. Other statuses are `Ok`.
    pub fn into_result(self) -> Result<Self, ErrorStatus<T>> {
        if self.status.is_client_error() || self.status.is_server_error() {
            Err(ErrorStatus(Box::new(self)))
        } else {
            Ok(self)
        }
    }
}

/// A documented error status, from [`Responded::into_result`]: the response and its typed
/// body.
#[derive(Debug, Clone)]
pub struct ErrorStatus<T>(pub Box<Responded<T>>);

impl<T> fmt::Display for ErrorStatus<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "status {}", self.0.status)
    }
}

impl<T: fmt::Debug> std::error::Error for ErrorStatus<T> {}

/// The body without a UTF-8 byte order mark, which some servers put before JSON and XML.
fn without_bom(body: &[u8]) -> &[u8] {
    body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body)
}

/// How reading a response checks its media type before it reads a body: given the response,
/// and whether JSON and XML are documented for it. A generated crate's `client::read` functions
/// take one: the client's methods pass [`any_media`], the mock's validation proxy passes
/// `mock::expect_media`.
pub type MediaCheck = fn(&Response, bool, bool) -> Result<(), ValidationErrors>;

/// The client's [`MediaCheck`]: a body is read whatever media type it is sent under (its
/// `Content-Type` decides between JSON and XML where both are documented); only the proxy
/// insists on the documented ones.
pub fn any_media(_: &Response, _: bool, _: bool) -> Result<(), ValidationErrors> {
    Ok(())
}

/// Reads a documented JSON body (not validated: a response is taken as the server sent it).
#[doc(hidden)]
pub fn json<T: serde::de::DeserializeOwned>(response: &Response) -> Result<T, ValidationErrors> {
    crate::parse_json::<T>(without_bom(&response.body))
}

/// `user:password` as HTTP Basic authentication writes it.
#[doc(hidden)]
pub fn base64(credential: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(credential)
}

/// A parameter of any JSON type as text: a string as itself, anything else as JSON.
#[doc(hidden)]
pub fn plain_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The essence of the response's `Content-Type` (`application/json`), lower case.
fn essence(response: &Response) -> Option<String> {
    response
        .headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
}

/// Whether the response says it is XML (`Content-Type` of `application/xml`, `text/xml` or
/// `+xml`).
#[doc(hidden)]
pub fn is_xml(response: &Response) -> bool {
    essence(response)
        .is_some_and(|essence| essence == "application/xml" || essence == "text/xml" || essence.ends_with("+xml"))
}

/// Whether the response says it is JSON (`application/json`, `text/json` or `+json`).
#[doc(hidden)]
pub fn is_json(response: &Response) -> bool {
    essence(response)
        .is_some_and(|essence| essence == "application/json" || essence == "text/json" || essence.ends_with("+json"))
}

/// Reads a documented XML body with the type's generated reader.
#[cfg(feature = "xml")]
#[doc(hidden)]
pub fn xml<T>(response: &Response, read: fn(&str) -> Result<T, crate::xml::XmlError>) -> Result<T, ValidationErrors> {
    let error = |message: String| {
        crate::ValidationError { pointer: String::new(), keyword: "xml", limit: None, message }.into()
    };
    let text =
        std::str::from_utf8(without_bom(&response.body)).map_err(|e| error(format!("the body is not UTF-8: {e}")))?;
    read(text).map_err(|e| error(e.to_string()))
}

/// Percent-encodes a path parameter: everything but RFC 3986's unreserved characters.
#[doc(hidden)]
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
    fn a_byte_order_mark_before_json_is_skipped() {
        let response =
            Response { status: StatusCode::OK, headers: HeaderMap::new(), body: b"\xEF\xBB\xBF{\"a\":1}".to_vec() };
        let value: serde_json::Value = json(&response).unwrap();
        assert_eq!(value, serde_json::json!({"a": 1}));
    }
}

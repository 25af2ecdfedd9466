//! Why a call did not give a documented response: [`Error`], and [`TransportError`] for an
//! exchange that failed, which names the URL (secrets redacted), says what failed (connect,
//! timeout, deadline, a body cut short) and keeps whatever did arrive.

use std::fmt;
use std::time::Duration;

use super::config::BoxError;
use super::{HeaderMap, Response, StatusCode};
use crate::ValidationErrors;

/// Why a call did not give a documented response.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks the spec's rules; it was not sent.
    Invalid(ValidationErrors),
    /// The request could not be put together (a header value with a line break, say); it
    /// was not sent.
    Request(String),
    /// A hook or the credential provider refused; the request was not sent.
    Refused(BoxError),
    /// No complete response: see [`TransportError`].
    Transport(Box<TransportError>),
    /// A status the spec does not document for this operation (a redirect that was not
    /// followed, too): everything the server sent.
    UnexpectedStatus(Box<Response>),
    /// A documented status whose body is not what the spec documents: everything the server
    /// sent, and why it does not parse.
    Decode {
        /// The response, moved here (not copied).
        response: Box<Response>,
        /// Why its body does not parse.
        errors: ValidationErrors,
    },
    /// The body is larger than [`Config::max_response_bytes`](super::Config::max_response_bytes);
    /// it was not read further.
    TooLarge {
        /// Where it came from (secrets redacted).
        url: String,
        /// Its status.
        status: StatusCode,
        /// Its headers.
        headers: Box<HeaderMap>,
        /// The limit it went beyond.
        limit: u64,
    },
    /// A [`Download`](super::Download) could not be written where the caller asked.
    Write(std::io::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid(errors) => write!(f, "the request was not sent: {errors}"),
            Error::Request(message) => write!(f, "the request was not sent: {message}"),
            Error::Refused(error) => write!(f, "the request was not sent: {error}"),
            Error::Transport(error) => error.fmt(f),
            Error::UnexpectedStatus(response) => write!(f, "undocumented status {}", response.status),
            Error::Decode { response, errors } => {
                write!(f, "status {} with a body that does not parse: {errors}", response.status)
            }
            Error::Write(error) => write!(f, "the body could not be written: {error}"),
            Error::TooLarge { url, status, limit, .. } => {
                write!(
                    f,
                    "status {status} from {url} with a body of more than {limit} bytes, the limit; it was not read"
                )
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Invalid(errors) | Error::Decode { errors, .. } => Some(errors),
            Error::Refused(error) => Some(error.as_ref()),
            Error::Write(error) => Some(error),
            Error::Transport(error) => error.source.as_ref().map(|e| e as _),
            Error::Request(_) | Error::UnexpectedStatus(_) | Error::TooLarge { .. } => None,
        }
    }
}

/// What failed in an exchange that gave no complete response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made: nothing of the request was sent.
    Connect,
    /// An attempt took longer than [`Config::timeout`](super::Config::timeout), before the
    /// response or while its body arrived.
    Timeout(Duration),
    /// The call took longer than [`Config::deadline`](super::Config::deadline).
    Deadline(Duration),
    /// The response was malformed or cut short (a connection reset, a head that does not
    /// parse, a body shorter than it said).
    Broken,
}

/// An exchange that gave no complete response.
#[derive(Debug)]
pub struct TransportError {
    /// The URL of the request that failed (a redirect's target where one was followed), with
    /// the values of credentials in the query replaced by `[redacted]`.
    pub url: String,
    /// What failed.
    pub kind: TransportErrorKind,
    /// Status, headers and the part of the body that arrived, when the failure came while
    /// the body arrived.
    pub partial: Option<Box<Response>>,
    /// The underlying error, if there is one (the deadline is this runtime's own); it never
    /// names the URL.
    pub source: Option<reqwest::Error>,
}

impl TransportError {
    /// Whether an attempt or the whole call ran out of time.
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind, TransportErrorKind::Timeout(_) | TransportErrorKind::Deadline(_))
    }

    /// Whether no connection could be made.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let url = &self.url;
        let received = self
            .partial
            .as_ref()
            .map(|p| format!(" (status {}, {} bytes of the body received)", p.status, p.body.len()));
        let received = received.as_deref().unwrap_or_default();
        let during = if self.partial.is_some() { "while the body arrived" } else { "before the response" };
        match self.kind {
            TransportErrorKind::Connect => write!(f, "no connection to {url}")?,
            TransportErrorKind::Timeout(after) => write!(f, "timeout after {after:?} {during} from {url}{received}")?,
            TransportErrorKind::Deadline(after) => {
                write!(f, "the call's deadline of {after:?} passed {during} from {url}{received}")?
            }
            TransportErrorKind::Broken => write!(f, "a broken response from {url}{received}")?,
        }
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
            // reqwest's own text is often "error sending request"; its cause says what.
            let mut cause = std::error::Error::source(source);
            while let Some(error) = cause {
                write!(f, ": {error}")?;
                cause = error.source();
            }
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

//! What a caller sets: the [`Config`] of a client, credentials that never print ([`Secret`],
//! [`CredentialProvider`]) and the [`Hooks`] called around every request.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// A credential (token, API key). Its `Debug` never shows it.
///
/// Shared, not copied: every request of a client carries its credentials, and cloning one is
/// a reference count, not an allocation.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Arc<str>);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Arc::from(value.into()))
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
        Self(Arc::from(value))
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(Arc::from(value))
    }
}

/// How a client talks to the server.
///
/// With a `reqwest::Client` of the caller's (`Client::with_http` in a generated crate), every
/// setting here still applies: the timeout is set on each request, redirects are followed by
/// this runtime, and the limits are enforced while reading. What the caller's client does by
/// itself (its proxies, TLS roots, connection pool, default headers, and its redirect policy)
/// comes on top: see [`Config::max_redirects`].
#[derive(Debug, Clone)]
pub struct Config {
    /// Scheme, host and base path, without a trailing slash (`https://api.revcent.com/v2`).
    pub base_url: String,
    /// For each attempt, from connecting to the last byte of the response (default 30 s).
    pub timeout: Duration,
    /// For the whole call: every attempt, every redirect and every wait between attempts
    /// (default 60 s). A wait that would end after it is not waited: the call returns what
    /// it has.
    pub deadline: Duration,
    /// Check each request against the spec's rules before sending it; an invalid request
    /// never leaves the process.
    pub validate_requests: bool,
    /// How many times a request may be sent again (see the module docs for when; default 2).
    pub max_retries: u32,
    /// The longest `Retry-After` that is waited for (default 30 s); a longer one ends the
    /// retries.
    pub max_retry_after: Duration,
    /// The largest response body that is read, in bytes (default 32 MiB). A larger one is
    /// [`Error::TooLarge`](super::Error::TooLarge), found out as soon as the `Content-Length`
    /// says so or, where it is absent or wrong, as soon as that many bytes have arrived; so
    /// reading takes at most about this much memory. Large downloads go through an
    /// operation's `<name>_download` method, which streams instead.
    pub max_response_bytes: u64,
    /// How many same-origin redirects are followed (default 5; see the module docs for
    /// which). The runtime follows them itself: the `reqwest::Client` it builds follows none.
    /// A client given with `Client::with_http` should be built with
    /// `redirect(reqwest::redirect::Policy::none())` too: one that follows redirects itself
    /// does so with its own rules before this runtime sees the response (reqwest's default
    /// follows 10 to any host, removes `Authorization` but keeps other credential headers,
    /// and sends the body again on `307`/`308`). With such a client a failure to connect may
    /// come after a redirect it followed, so it is not retried without an idempotency key.
    pub max_redirects: u32,
    /// The `User-Agent` header. `None` (the default) sends `<crate>/<version> apigen/<version>`,
    /// naming the generated crate; a request that sets its own (from a hook) keeps it.
    pub user_agent: Option<String>,
}

impl Config {
    /// The defaults (documented on each field) for the server at `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        let base_url: String = base_url.into();
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            timeout: Duration::from_secs(30),
            deadline: Duration::from_secs(60),
            validate_requests: true,
            max_retries: 2,
            max_retry_after: Duration::from_secs(30),
            max_response_bytes: 32 * 1024 * 1024,
            max_redirects: 5,
            user_agent: None,
        }
    }
}

/// Called around every request a client sends (each attempt, each redirect), with the
/// operation's id (`createCustomer`): for tracing, extra headers, request signing.
///
/// Both methods do nothing by default. They are not async: work that must wait (fetching a
/// token) belongs in a [`CredentialProvider`].
pub trait Hooks: Send + Sync {
    /// Before the request is sent; it may be changed (a header added, the request signed:
    /// `request.body()` holds its bytes). An error stops the call: the request is not sent.
    fn before_send(&self, operation: &str, request: &mut reqwest::Request) -> Result<(), BoxError> {
        let _ = (operation, request);
        Ok(())
    }

    /// When a response's status and headers have arrived, before its body is read.
    fn after_receive(&self, operation: &str, response: &reqwest::Response) {
        let _ = (operation, response);
    }
}

/// Any error, from a hook or a credential provider.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A future as a [`CredentialProvider`] returns it.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Credentials that can change: an OAuth2 token that expires, a key from a vault.
///
/// A client asks its provider for each scheme it has no fixed secret for (the scheme's key in
/// the spec's `securitySchemes`, `bearerAuth`), before each call. When the server answers
/// `401 Unauthorized` to a request that carried a provided credential, the client asks again
/// with `refresh` set and sends the request once more: a `401` says the request was refused,
/// not processed.
pub trait CredentialProvider: Send + Sync {
    /// The credential for `scheme`, or `None` to send none. `refresh`: the one given before
    /// was refused; get a new one.
    fn credential<'a>(&'a self, scheme: &'a str, refresh: bool) -> BoxFuture<'a, Result<Option<Secret>, BoxError>>;
}

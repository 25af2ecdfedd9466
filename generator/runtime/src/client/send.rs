//! Sending: the [`Transport`] a generated client holds. One call is at most
//! `1 + max_retries` attempts, each at most `1 + max_redirects` exchanges (see
//! [`redirect`](super::redirect) for which are followed), all within the call's deadline;
//! the response's body is then read within the size limit (see [`body`](super::body)).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, COOKIE, RETRY_AFTER, USER_AGENT};
use reqwest::Url;
use tokio::time::Instant;

use super::body::{read_limited, Download};
use super::config::{Config, CredentialProvider, Hooks};
use super::error::{Error, TransportError, TransportErrorKind};
use super::request::{Credential, Placement, Request};
use super::{redirect, HeaderMap, HeaderName, HeaderValue, Method, Response, Secret, StatusCode};

/// Sends requests: one per client, shared by its operations.
#[doc(hidden)]
#[derive(Clone)]
pub struct Transport {
    http: reqwest::Client,
    config: Config,
    /// `config.base_url`, parsed.
    base: Url,
    user_agent: HeaderValue,
    /// Sent as `Idempotency-Key` with every request (see the module docs).
    idempotency_key: Option<String>,
    hooks: Option<Arc<dyn Hooks>>,
    credentials: Option<Arc<dyn CredentialProvider>>,
    /// Whether `http` is this runtime's own client, which follows no redirects: only then does
    /// a failure to connect prove that nothing was sent.
    own_http: bool,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("config", &self.config)
            .field("idempotency_key", &self.idempotency_key)
            .field("hooks", &self.hooks.is_some())
            .field("credential_provider", &self.credentials.is_some())
            .finish_non_exhaustive()
    }
}

/// A request ready for its attempts: the URL with its query, and the headers and body, but
/// not yet its credentials.
struct Call {
    operation: &'static str,
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<(Cow<'static, str>, Bytes)>,
    credentials: Vec<Credential>,
    /// The names of the query pairs that are credentials, redacted in errors.
    secret_query: Vec<&'static str>,
}

impl Call {
    /// The URL with a pair for each query credential (whose value an error redacts anyway).
    fn url_with_secrets(&self) -> Url {
        let mut url = self.url.clone();
        if !self.secret_query.is_empty() {
            url.query_pairs_mut().extend_pairs(self.secret_query.iter().map(|name| (*name, "")));
        }
        url
    }
}

/// How to show where a response came from: its URL (the response's own, which reqwest keeps),
/// with the query credentials redacted. Formatted only when an error needs it.
pub(super) struct At {
    secret_query: Vec<&'static str>,
}

impl At {
    pub(super) fn shown(&self, response: &reqwest::Response) -> String {
        redirect::shown(response.url(), &self.secret_query)
    }
}

/// A [`Call`] with its credentials: the headers they add, and the URL with their query pairs.
/// Kept beside the call rather than merged into a copy of it: the call's headers are copied
/// once per exchange anyway, into the request that reqwest consumes.
struct Sendable {
    /// The credentials' headers, appended to the call's.
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The call's URL with the query credentials, if there are any.
    url: Option<Url>,
    /// The names of the query pairs that are credentials, redacted in errors.
    secret_query: Vec<&'static str>,
    /// Whether a credential came from the provider (so a `401` may be worth a refresh).
    provided: bool,
}

impl Sendable {
    fn url<'a>(&'a self, call: &'a Call) -> &'a Url {
        self.url.as_ref().unwrap_or(&call.url)
    }
}

impl Transport {
    /// A transport with a `reqwest::Client` of its own, which follows no redirects (this
    /// runtime does), sends no `Referer`, and applies [`Config::timeout`] to every request
    /// itself (set once on the client, the timeout costs a request nothing; a caller's client
    /// gets it on each request instead). `product` is the generated crate's `<name>/<version>`,
    /// the first word of the default `User-Agent`.
    pub fn new(config: Config, product: &str) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .timeout(config.timeout)
            .build()
            .map_err(|e| Error::Request(format!("the HTTP client cannot be built: {e}")))?;
        Ok(Self { own_http: true, ..Self::with_http(config, product, http)? })
    }

    /// A transport over the caller's `reqwest::Client` (see [`Config`] for what still applies).
    pub fn with_http(config: Config, product: &str, http: reqwest::Client) -> Result<Self, Error> {
        let user_agent = match &config.user_agent {
            Some(given) => given.clone(),
            None => format!("{product} apigen/{}", env!("CARGO_PKG_VERSION")),
        };
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::Request("the User-Agent cannot be sent in a header".to_owned()))?;
        let base = Url::parse(&config.base_url)
            .ok()
            .filter(|url| !url.cannot_be_a_base() && url.query().is_none() && url.fragment().is_none())
            .ok_or_else(|| {
                Error::Request(format!("the base URL `{}` is not an absolute URL without query", config.base_url))
            })?;
        Ok(Self {
            http,
            config,
            base,
            user_agent,
            idempotency_key: None,
            hooks: None,
            credentials: None,
            own_http: false,
        })
    }

    /// A copy that sends `Idempotency-Key: <key>` with its requests, and may therefore send
    /// them again where the server may have seen them. A key that cannot be a header value
    /// is an `Error::Request` when a request is sent.
    pub fn with_idempotency_key(&self, key: String) -> Self {
        Self { idempotency_key: Some(key), ..self.clone() }
    }

    /// A copy that calls `hooks` around every request.
    pub fn with_hooks(&self, hooks: Arc<dyn Hooks>) -> Self {
        Self { hooks: Some(hooks), ..self.clone() }
    }

    /// A copy that asks `provider` for each credential it has no fixed secret for.
    pub fn with_credential_provider(&self, provider: Arc<dyn CredentialProvider>) -> Self {
        Self { credentials: Some(provider), ..self.clone() }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Sends `request` (retrying where that is safe, following same-origin redirects) and
    /// reads the response's body within [`Config::max_response_bytes`], all within
    /// [`Config::deadline`].
    pub async fn send(&self, request: Request) -> Result<Response, Error> {
        let limit = self.config.max_response_bytes;
        self.within_deadline(request, |response, at| read_limited(response, limit, at, self.config.timeout)).await
    }

    /// Like [`Transport::send`], but the body is not read: the caller streams it from the
    /// [`Download`], with no size limit. The per-attempt timeout still covers the download
    /// (reqwest's timeout runs to the body's last byte): raise [`Config::timeout`] for large
    /// ones.
    pub async fn send_streaming(&self, request: Request) -> Result<Download, Error> {
        let timeout = self.config.timeout;
        self.within_deadline(request, |response, at| async move {
            let url = at.shown(&response);
            Ok(Download::new(response, url, timeout))
        })
        .await
    }

    /// Opens a streamed response ([`crate::stream`]): the request once, with the client's
    /// credentials, `User-Agent`, hooks and same-origin redirect rule, and no total timeout,
    /// since a stream may last as long as the server keeps it open; the caller bounds the wait
    /// for the head and for each read. Nothing is retried here: the stream decides whether it
    /// may open itself again.
    pub(crate) async fn open(&self, request: Request) -> Result<reqwest::Response, Error> {
        let call = self.prepare(request)?;
        let sendable = self.with_credentials(&call, false).await?;
        let mut redirected = None;
        match self.exchange(&call, &sendable, &mut redirected, None).await {
            Ok(response) => Ok(response),
            Err(Failure { error, .. }) => Err(error),
        }
    }

    /// The call (attempts, redirects, waits), then `finish` on its response, all within the
    /// deadline.
    async fn within_deadline<T, F, Fut>(&self, request: Request, finish: F) -> Result<T, Error>
    where
        F: FnOnce(reqwest::Response, At) -> Fut,
        Fut: std::future::Future<Output = Result<T, Error>>,
    {
        let deadline = Instant::now() + self.config.deadline;
        let call = self.prepare(request)?;
        // The target of the redirect being followed, if one is.
        let mut redirected = None;
        // Boxed: the call's state (attempts, redirects, reqwest's own future) is large, and
        // would otherwise be copied into each future that awaits it.
        let run = Box::pin(async {
            let (response, at) = self.run(&call, &mut redirected, deadline).await?;
            finish(response, at).await
        });
        match tokio::time::timeout_at(deadline, run).await {
            Ok(result) => result,
            Err(_) => Err(Error::Transport(Box::new(TransportError {
                url: redirect::shown(&redirected.unwrap_or_else(|| call.url_with_secrets()), &call.secret_query),
                kind: TransportErrorKind::Deadline(self.config.deadline),
                partial: None,
                source: None,
            }))),
        }
    }

    /// The URL and the headers; nothing async, nothing sent.
    fn prepare(&self, mut request: Request) -> Result<Call, Error> {
        if let Some(key) = &self.idempotency_key {
            if !request.is_idempotent() {
                request.header("idempotency-key", key)?;
            }
        }
        // The base is parsed once, with the client: parsing a host (IDNA) is a noticeable part
        // of a request's cost. Only the path is read here.
        let mut url = self.base.clone();
        match self.base.path().trim_end_matches('/') {
            "" => url.set_path(&request.path),
            base => url.set_path(&format!("{base}{}", request.path)),
        }
        if !request.query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(request.query.iter().map(|(name, value)| (name.as_ref(), value.as_str())));
        }
        if !request.headers.contains_key(USER_AGENT) {
            request.headers.insert(USER_AGENT, self.user_agent.clone());
        }
        // Shared, not copied, by every attempt.
        let body = request.body.take().map(|(content_type, bytes)| (content_type, Bytes::from(bytes)));
        if let Some((content_type, _)) = &body {
            let value = HeaderValue::from_str(content_type).map_err(|_| {
                Error::Request(format!("the content type `{}` cannot be sent in a header", content_type.escape_debug()))
            })?;
            request.headers.insert(CONTENT_TYPE, value);
        }
        let secret_query = request
            .credentials
            .iter()
            .filter_map(|c| match c.placement {
                Placement::Query(name) => Some(name),
                _ => None,
            })
            .collect();
        // A fixed secret that goes in a header of its own is the same for every attempt: it is
        // put on now, once. The others (query pairs, cookies, which join what other
        // credentials give, and what a provider gives per attempt) wait for each attempt.
        let mut credentials = Vec::new();
        for credential in request.credentials {
            match credential.fixed.as_ref().and_then(|secret| credential_header(&credential, secret)) {
                Some(header) => {
                    let (name, value) = header?;
                    request.headers.append(name, value);
                }
                None => credentials.push(credential),
            }
        }
        Ok(Call {
            operation: request.operation,
            method: request.method,
            url,
            headers: request.headers,
            body,
            credentials,
            secret_query,
        })
    }

    /// The attempts, and one more after a `401` to a provided credential, refreshed.
    async fn run(
        &self,
        call: &Call,
        redirected: &mut Option<Url>,
        deadline: Instant,
    ) -> Result<(reqwest::Response, At), Error> {
        let mut refresh = false;
        loop {
            let sendable = self.with_credentials(call, refresh).await?;
            let response = self.attempts(call, &sendable, redirected, deadline).await?;
            if response.status() == StatusCode::UNAUTHORIZED && sendable.provided && !refresh {
                refresh = true;
                continue;
            }
            return Ok((response, At { secret_query: sendable.secret_query }));
        }
    }

    /// Puts each credential where it goes: the fixed secret, else the provider's.
    async fn with_credentials(&self, call: &Call, refresh: bool) -> Result<Sendable, Error> {
        let mut sendable =
            Sendable { headers: Vec::new(), url: None, secret_query: call.secret_query.clone(), provided: false };
        let mut query = Vec::new();
        let mut cookies = Vec::new();
        for credential in &call.credentials {
            let provided;
            let secret = match (&credential.fixed, &self.credentials) {
                (Some(fixed), _) => fixed,
                (None, Some(provider)) => {
                    provided = provider.credential(credential.scheme, refresh).await.map_err(Error::Refused)?;
                    match &provided {
                        Some(secret) => {
                            sendable.provided = true;
                            secret
                        }
                        None => continue,
                    }
                }
                (None, None) => continue,
            };
            match credential.placement {
                Placement::Query(name) => query.push((name, secret.clone())),
                Placement::Cookie(name) => cookies.push(format!("{name}={}", secret.expose())),
                Placement::Bearer | Placement::Basic | Placement::Header(_) => {
                    if let Some(header) = credential_header(credential, secret) {
                        sendable.headers.push(header?);
                    }
                }
            }
        }
        if !cookies.is_empty() {
            let (name, value) = (COOKIE, cookies.join("; "));
            let mut value = HeaderValue::from_str(&value)
                .map_err(|_| Error::Request("a credential cannot be sent in a cookie".to_owned()))?;
            value.set_sensitive(true);
            sendable.headers.push((name, value));
        }
        if !query.is_empty() {
            let mut url = call.url.clone();
            url.query_pairs_mut().extend_pairs(query.iter().map(|(name, value)| (*name, value.expose())));
            sendable.url = Some(url);
        }
        Ok(sendable)
    }

    /// Sends the request, and again where that is safe (see the module docs of `client`).
    async fn attempts(
        &self,
        call: &Call,
        sendable: &Sendable,
        redirected: &mut Option<Url>,
        deadline: Instant,
    ) -> Result<reqwest::Response, Error> {
        let idempotent = call.headers.contains_key("idempotency-key");
        let mut attempt = 0;
        loop {
            let retries_left = attempt < self.config.max_retries;
            match self.exchange(call, sendable, redirected, Some(self.config.timeout)).await {
                Err(Failure { error, sent }) => {
                    let wait = backoff(attempt);
                    let retry = matches!(error, Error::Transport(_)) && (!sent || idempotent);
                    if !(retry && retries_left && Instant::now() + wait < deadline) {
                        return Err(error);
                    }
                    tokio::time::sleep(wait).await;
                }
                Ok(response) => {
                    let status = response.status();
                    let retryable = status == StatusCode::TOO_MANY_REQUESTS
                        || status == StatusCode::SERVICE_UNAVAILABLE
                        || (idempotent
                            && matches!(
                                status,
                                StatusCode::INTERNAL_SERVER_ERROR
                                    | StatusCode::BAD_GATEWAY
                                    | StatusCode::GATEWAY_TIMEOUT
                            ));
                    let wait = || match retry_after(response.headers(), SystemTime::now()) {
                        Some(wait) if wait <= self.config.max_retry_after => Some(wait),
                        Some(_) => None,
                        None => Some(backoff(attempt)),
                    };
                    // A wait that would end after the deadline is not begun.
                    let wait = if retryable && retries_left { wait() } else { None };
                    match wait.filter(|wait| Instant::now() + *wait < deadline) {
                        Some(wait) => {
                            // The body is not read: the connection is closed rather than
                            // drained, whatever its size.
                            drop(response);
                            tokio::time::sleep(wait).await;
                        }
                        None => return Ok(response),
                    }
                }
            }
            attempt += 1;
        }
    }

    /// One attempt: the request, and the same-origin redirects this runtime follows, each leg
    /// within `timeout` (from sending to the body's last byte), or with no total timeout.
    async fn exchange(
        &self,
        call: &Call,
        sendable: &Sendable,
        redirected: &mut Option<Url>,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Response, Failure> {
        let mut url = Cow::Borrowed(sendable.url(call));
        let mut method = call.method.clone();
        let mut legs = 0;
        *redirected = None;
        loop {
            let mut request = reqwest::Request::new(method.clone(), url.clone().into_owned());
            let headers = request.headers_mut();
            *headers = call.headers.clone();
            for (name, value) in &sendable.headers {
                headers.append(name, value.clone());
            }
            // The runtime's own client holds `Config::timeout` already (see `Transport::new`);
            // a caller's client is given it here. No timeout at all (a stream) overrides the
            // own client's with one that never ends (tokio takes `Duration::MAX` as "far
            // future"), and leaves a caller's client to its own.
            match (timeout, self.own_http) {
                (Some(timeout), false) => *request.timeout_mut() = Some(timeout),
                (None, true) => *request.timeout_mut() = Some(Duration::MAX),
                (Some(_), true) | (None, false) => {}
            }
            match &call.body {
                Some((_, bytes)) if legs == 0 => *request.body_mut() = Some(bytes.clone().into()),
                // A redirect is followed only for a request without a body.
                _ => {
                    request.headers_mut().remove(CONTENT_TYPE);
                }
            }
            if let Some(hooks) = &self.hooks {
                hooks
                    .before_send(call.operation, &mut request)
                    .map_err(|e| Failure { error: Error::Refused(e), sent: legs > 0 })?;
            }
            let response = match self.http.execute(request).await {
                Ok(response) => response,
                Err(error) => {
                    // Nothing left the process only if the first connection failed: after a
                    // redirect the request has been seen. A caller's client may have followed
                    // one itself before failing to connect, and its error would not say so.
                    let sent = legs > 0 || !error.is_connect() || !self.own_http;
                    let kind = if error.is_timeout() {
                        TransportErrorKind::Timeout(self.config.timeout)
                    } else if error.is_connect() {
                        TransportErrorKind::Connect
                    } else {
                        TransportErrorKind::Broken
                    };
                    let url = redirect::shown(&url, &sendable.secret_query);
                    let error = TransportError { url, kind, partial: None, source: Some(error.without_url()) };
                    return Err(Failure { error: Error::Transport(Box::new(error)), sent });
                }
            };
            if let Some(hooks) = &self.hooks {
                hooks.after_receive(call.operation, &response);
            }
            if legs < self.config.max_redirects {
                if let Some((mut next, next_method)) =
                    redirect::follow(response.status(), response.headers(), &url, &method, call.body.is_some())
                {
                    // The same origin is owed the query credentials, as it is the headers.
                    for name in &sendable.secret_query {
                        if !next.query_pairs().any(|(n, _)| n == *name) {
                            if let Some((_, value)) = sendable.url(call).query_pairs().find(|(n, _)| n == *name) {
                                next.query_pairs_mut().append_pair(name, &value);
                            }
                        }
                    }
                    drop(response);
                    *redirected = Some(next.clone());
                    url = Cow::Owned(next);
                    method = next_method;
                    legs += 1;
                    continue;
                }
            }
            return Ok(response);
        }
    }
}

/// The header a credential placed in one (`Bearer`, `Basic`, a header of its own) is sent as,
/// marked sensitive; `None` for a query pair or a cookie, which are not headers of their own.
fn credential_header(credential: &Credential, secret: &Secret) -> Option<Result<(HeaderName, HeaderValue), Error>> {
    let header = |name: HeaderName, value: &str| -> Result<(HeaderName, HeaderValue), Error> {
        let mut value = HeaderValue::from_str(value).map_err(|_| {
            Error::Request(format!("the credential for `{}` cannot be sent in a header", credential.scheme))
        })?;
        value.set_sensitive(true);
        Ok((name, value))
    };
    Some(match credential.placement {
        Placement::Bearer => header(AUTHORIZATION, &format!("Bearer {}", secret.expose())),
        Placement::Basic => header(AUTHORIZATION, &format!("Basic {}", super::base64(secret.expose()))),
        Placement::Header(name) => super::request::header_name(name).and_then(|name| header(name, secret.expose())),
        Placement::Query(_) | Placement::Cookie(_) => return None,
    })
}

/// An attempt that failed, and whether the request may have reached the server.
struct Failure {
    error: Error,
    sent: bool,
}

/// 100 ms, 200 ms, 400 ms, ... capped at 5 s.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(100u64.saturating_mul(1 << attempt.min(6))).min(Duration::from_secs(5))
}

/// `Retry-After` as seconds or as an HTTP date (a date in the past is no wait).
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_and_retry_after() {
        assert_eq!(backoff(0), Duration::from_millis(100));
        assert_eq!(backoff(3), Duration::from_millis(800));
        assert_eq!(backoff(30), Duration::from_secs(5));
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(2)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 08:28:00 GMT"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(3600)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 07:00:00 GMT"));
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }
}

//! The validation proxy: a loopback server that forwards every request to a real base URL and
//! reports every request and response that breaks the spec, as Prism's proxy mode does.
//!
//! It judges with the mock's own code: a request is routed and checked by the generated
//! routing and request checks (so its violations carry the mock's pointers, `/body/...`,
//! `/query/...`), and the upstream's answer is read as the generated client reads it, then
//! checked by the mock's own answer check. Both come through [`Contract`], which generated code
//! implements; the socket, forwarding, limits and the reports are this module's.
//!
//! What passes through is not changed: the method, path, query, headers (but the hop-by-hop
//! ones, which concern one connection) and body bytes go to the upstream, and its status,
//! headers and body bytes come back. Only an exchange that gives no whole answer (the upstream
//! unreachable, silent past the timeout, resetting, not speaking HTTP, or sending more than the
//! body limit) is answered by the proxy itself, `502`, and reported.

use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming as IncomingBody;

use super::{Answer, Incoming, MAX_BODY_BYTES};
use crate::ValidationError;

/// What the proxy asks of a generated crate's spec. Implemented by generated code, with the
/// mock's routing, request checks and answer checks.
pub trait Contract: Send + Sync + 'static {
    /// The operation `request` is for, if it is valid; else the mock's answer refusing it (`404`,
    /// `405`, `401` or `400`), which names the operation where there is one.
    fn check_request(&self, request: &Incoming) -> Result<&'static str, Answer>;

    /// The violations of `response`, an answer to `operation`: a status the operation does not
    /// document, a media type it does not answer in, a body that does not read as the
    /// response's type or breaks its schema (at `/status` and `/body/...`).
    fn check_response(&self, operation: &'static str, response: crate::client::Response) -> Vec<ValidationError>;
}

/// Which side of an exchange a [`Report`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The caller's request.
    Request,
    /// The upstream's answer (or its failure to give one).
    Response,
}

/// A request or a response that breaks the spec, or an exchange that failed.
///
/// A report holds no header, query or body: credentials travel there, and a report is meant to
/// be printed. The violations' pointers say where the problem is.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The operation (its `operationId`), where the request routes to one.
    pub operation: Option<&'static str>,
    /// The request's method, upper case.
    pub method: String,
    /// The request's path, as sent (percent-encoded).
    pub path: String,
    /// Which side breaks the spec.
    pub side: Side,
    /// For a request, the status the mock would have answered it with (`400`, `401`, `404`,
    /// `405`); for a response, the upstream's status, `None` where it gave no whole answer.
    pub status: Option<u16>,
    /// What is wrong, each with its pointer and keyword.
    pub violations: Vec<ValidationError>,
}

/// A validation proxy's settings, from the generated `mock::proxy(upstream)`.
#[derive(Clone)]
pub struct ProxyBuilder {
    contract: Arc<dyn Contract>,
    upstream: String,
    strict: bool,
    timeout: Duration,
    max_body_bytes: usize,
}

impl ProxyBuilder {
    /// A proxy to `upstream` (a base URL: `https://api.example.com/v1`) judged by `contract`.
    /// Generated code calls this; a test calls the generated `mock::proxy`.
    pub fn new(contract: Arc<dyn Contract>, upstream: &str) -> Self {
        Self {
            contract,
            upstream: upstream.trim_end_matches('/').to_owned(),
            strict: false,
            timeout: Duration::from_secs(30),
            max_body_bytes: MAX_BODY_BYTES,
        }
    }

    /// Refuses a request that breaks the spec with the mock's answer (its `400` problem body,
    /// or `401`, `404`, `405`) instead of forwarding it. It is reported either way.
    pub fn strict(mut self) -> Self {
        self.strict = true;
        self
    }

    /// How long an exchange with the upstream may take, from sending to the last byte of its
    /// answer (default 30 seconds, the client's own); past it the caller gets a `502`.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The largest body read, of a request or of an upstream's answer (default
    /// [`MAX_BODY_BYTES`], the client's own limit); past it the caller gets a `413` or a `502`.
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body_bytes = limit;
        self
    }

    /// Binds `127.0.0.1` on a port the system picks and serves from a task of the current tokio
    /// runtime. Fails where the upstream is not an `http` or `https` URL, or where the HTTP
    /// client cannot be built.
    pub async fn start(self) -> std::io::Result<Proxy> {
        let invalid = |message: String| std::io::Error::new(std::io::ErrorKind::InvalidInput, message);
        let base = reqwest::Url::parse(&self.upstream)
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https") && url.query().is_none())
            .ok_or_else(|| {
                invalid(format!("the upstream `{}` is not an http(s) URL without query", shown(&self.upstream)))
            })?;
        // No redirect is followed: a redirect is an answer, for the caller to see. No proxy from
        // the environment either: the upstream is the one named. No body is decompressed, even
        // where another crate turns reqwest's decompression on: the bytes pass as they came.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .no_proxy()
            .no_gzip()
            .no_brotli()
            .no_deflate()
            .no_zstd()
            .timeout(self.timeout)
            .build()
            .map_err(|e| invalid(format!("the HTTP client cannot be built: {e}")))?;
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let state = Arc::new(State {
            contract: self.contract,
            upstream: base.as_str().trim_end_matches('/').to_owned(),
            shown_upstream: shown(base.as_str()),
            http,
            strict: self.strict,
            max_body_bytes: self.max_body_bytes,
            reports: Mutex::default(),
        });
        let accept = super::serve(listener, Arc::clone(&state), handle);
        Ok(Proxy { url, state, accept })
    }
}

impl fmt::Debug for ProxyBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyBuilder")
            .field("upstream", &shown(&self.upstream))
            .field("strict", &self.strict)
            .field("timeout", &self.timeout)
            .field("max_body_bytes", &self.max_body_bytes)
            .finish_non_exhaustive()
    }
}

/// A running validation proxy. It stops accepting connections when dropped.
pub struct Proxy {
    url: String,
    state: Arc<State>,
    accept: tokio::task::JoinHandle<()>,
}

impl Proxy {
    /// The base URL to give a client: `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every report so far, in order.
    pub fn reports(&self) -> Vec<Report> {
        self.state.reports.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Forgets the reports so far.
    pub fn clear_reports(&self) {
        self.state.reports.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Proxy")
            .field("url", &self.url)
            .field("upstream", &self.state.shown_upstream)
            .finish_non_exhaustive()
    }
}

struct State {
    contract: Arc<dyn Contract>,
    /// The upstream's base URL, without a trailing slash.
    upstream: String,
    /// The same as reports and `Debug` show it: without a user name or password.
    shown_upstream: String,
    http: reqwest::Client,
    strict: bool,
    max_body_bytes: usize,
    reports: Mutex<Vec<Report>>,
}

impl State {
    fn report(
        &self,
        request: &Incoming,
        operation: Option<&'static str>,
        side: Side,
        status: Option<u16>,
        violations: Vec<ValidationError>,
    ) {
        let report =
            Report { operation, method: request.method.clone(), path: request.path.clone(), side, status, violations };
        self.reports.lock().unwrap_or_else(PoisonError::into_inner).push(report);
    }
}

/// Headers that concern one connection (RFC 9110, 7.6.1), and the length, which the side that
/// writes the body sets: none is passed on either way.
const HOP_BY_HOP: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    "content-length",
];

async fn handle(
    state: Arc<State>,
    request: hyper::Request<IncomingBody>,
) -> Result<hyper::Response<Full<Bytes>>, std::convert::Infallible> {
    let headers = request.headers().clone();
    let (incoming, too_large) = super::read_request(request, state.max_body_bytes).await;
    if too_large {
        let detail = format!("the proxy reads bodies of up to {} bytes", state.max_body_bytes);
        let violation =
            failure("/body", "tooLarge", format!("the request's body is larger than {} bytes", state.max_body_bytes));
        state.report(&incoming, None, Side::Request, Some(413), vec![violation]);
        return Ok(super::into_response(Answer::problem(413, "Body too large", &detail, Vec::new())));
    }

    let checked = state.contract.check_request(&incoming);
    let operation = match &checked {
        Ok(operation) => Some(*operation),
        Err(refused) => refused.operation,
    };
    if let Err(refused) = checked {
        state.report(
            &incoming,
            operation,
            Side::Request,
            Some(refused.status),
            request_violations(&refused, &incoming),
        );
        if state.strict {
            return Ok(super::into_response(refused));
        }
    }

    let response = match forward(&state, &incoming, &headers).await {
        Ok(response) => response,
        Err(violation) => {
            let detail = violation.message.clone();
            state.report(&incoming, operation, Side::Response, None, vec![violation]);
            return Ok(super::into_response(Answer::problem(502, "Bad gateway", &detail, Vec::new())));
        }
    };
    if let Some(operation) = operation {
        let violations = state.contract.check_response(operation, response.clone());
        if !violations.is_empty() {
            state.report(&incoming, Some(operation), Side::Response, Some(response.status.as_u16()), violations);
        }
    }
    let mut passed = hyper::Response::new(Full::new(Bytes::from(response.body)));
    *passed.status_mut() = response.status;
    for (name, value) in &response.headers {
        if !HOP_BY_HOP.contains(&name.as_str()) {
            passed.headers_mut().append(name, value.clone());
        }
    }
    Ok(passed)
}

/// A request's violations as the mock listed them, or, for a request the mock routes nowhere
/// (which lists none), what is wrong with its path or method.
fn request_violations(refused: &Answer, request: &Incoming) -> Vec<ValidationError> {
    if !refused.violations.is_empty() {
        return refused.violations.clone();
    }
    match refused.status {
        404 => vec![failure("/path", "path", format!("no operation of the spec has the path `{}`", request.path))],
        405 => {
            let allowed = refused.headers.iter().find(|(n, _)| n == "allow").map_or("", |(_, v)| v.as_str());
            let message = format!("`{}` has no `{}` operation; it has {allowed}", request.path, request.method);
            vec![failure("/method", "method", message)]
        }
        _ => Vec::new(),
    }
}

/// Sends `request` to the upstream and reads its whole answer, or says why there is none.
async fn forward(
    state: &State,
    request: &Incoming,
    headers: &hyper::HeaderMap,
) -> Result<crate::client::Response, ValidationError> {
    let mut url = format!("{}{}", state.upstream, request.path);
    if let Some(query) = &request.query {
        url.push('?');
        url.push_str(query);
    }
    let method = reqwest::Method::from_bytes(request.method.as_bytes())
        .map_err(|_| failure("", "upstream", format!("the method `{}` cannot be sent", request.method)))?;
    let mut sent = state.http.request(method, &url).body(request.body.clone());
    for (name, value) in headers {
        if !HOP_BY_HOP.contains(&name.as_str()) {
            sent = sent.header(name, value);
        }
    }
    // Reports and the `502` name the upstream and the path, not the query, where credentials
    // travel (an API key); reqwest's error would name the whole URL, so it is dropped from it.
    let shown_url = format!("{}{}", state.shown_upstream, request.path);
    let unreachable = |e: reqwest::Error| {
        let what = if e.is_timeout() { "did not answer in time" } else { "gave no answer" };
        failure("", "upstream", format!("the upstream {what} ({shown_url}): {}", error_chain(&e.without_url())))
    };
    let mut response = sent.send().await.map_err(unreachable)?;
    let (status, headers) = (response.status(), response.headers().clone());
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
        if body.len() + chunk.len() > state.max_body_bytes {
            let message = format!("the upstream's body is larger than {} bytes", state.max_body_bytes);
            return Err(failure("/body", "tooLarge", message));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(crate::client::Response { status, headers, body })
}

/// `url` as a report or `Debug` shows it: without the user name and password it may carry (the
/// client's errors show URLs so). Text that is not a URL is shown as it is: it has no
/// credentials a URL parser would find.
fn shown(url: &str) -> String {
    reqwest::Url::parse(url).map_or_else(
        |_| url.to_owned(),
        |parsed| crate::client::shown_url(&parsed, &[]).trim_end_matches('/').to_owned(),
    )
}

/// An error and its sources, `: `-separated: reqwest's own message says little alone.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn failure(pointer: &str, keyword: &'static str, message: String) -> ValidationError {
    ValidationError { pointer: pointer.to_owned(), keyword, limit: None, message }
}

/// The violations of an upstream's answer to one operation (the validation proxy's check): read
/// as the client reads it (`read`, the crate's `client::read` function of the operation), its
/// media type checked with [`expect_media`], then judged as the mock judges its own answers
/// (`send`), at the status the upstream sent.
#[doc(hidden)]
pub fn upstream_violations<R>(
    response: crate::client::Response,
    read: fn(
        crate::client::Response,
        crate::client::MediaCheck,
    ) -> Result<crate::client::Responded<R>, crate::client::Error>,
    send: fn(super::Reply<R>, bool) -> super::Answer,
) -> Vec<ValidationError> {
    let status = response.status.as_u16();
    match read(response, expect_media) {
        Ok(read) => send(super::Reply::new(read.value).with_status(status), false).violations().to_vec(),
        Err(error) => unreadable(error),
    }
}

/// The violations of an upstream's answer that the generated client could not read: a status
/// the operation does not document, or a body that does not read (its errors put under
/// `/body`, where the mock's answer check puts the body's).
#[doc(hidden)]
pub fn unreadable(error: crate::client::Error) -> Vec<ValidationError> {
    match error {
        crate::client::Error::UnexpectedStatus(response) => vec![failure(
            "/status",
            "status",
            format!("the operation documents no response for status {}", response.status.as_u16()),
        )],
        crate::client::Error::Decode { errors, .. } => errors
            .into_vec()
            .into_iter()
            .map(|e| ValidationError { pointer: format!("/body{}", e.pointer), ..e })
            .collect(),
        other => vec![failure("", "response", other.to_string())],
    }
}

/// Whether `response` is in a media type the generated client reads for its status: JSON where
/// the response is documented as JSON, XML where its type has an XML form. Called inside the
/// client's reading, so a wrong one is a decoding error at the body, keyword `contentType`.
#[doc(hidden)]
pub fn expect_media(response: &crate::client::Response, json: bool, xml: bool) -> Result<(), crate::ValidationErrors> {
    if (json && crate::client::is_json(response)) || (xml && crate::client::is_xml(response)) {
        return Ok(());
    }
    let given = response.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("none");
    let documented = match (json, xml) {
        (true, true) => "JSON or XML",
        (false, true) => "XML",
        _ => "JSON",
    };
    Err(failure(
        "",
        "contentType",
        format!(
            "the body's media type `{given}` is not the {documented} the spec documents for status {}",
            response.status.as_u16()
        ),
    )
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, content_type: Option<&str>) -> crate::client::Response {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(value) = content_type {
            headers.insert("content-type", reqwest::header::HeaderValue::from_str(value).unwrap());
        }
        crate::client::Response { status: reqwest::StatusCode::from_u16(status).unwrap(), headers, body: Vec::new() }
    }

    #[test]
    fn upstreams_are_shown_without_their_credentials() {
        assert_eq!(shown("https://ada:pa55@api.example.com/v1"), "https://api.example.com/v1");
        assert_eq!(shown("https://token@api.example.com"), "https://api.example.com");
        assert_eq!(shown("http://127.0.0.1:8080/base"), "http://127.0.0.1:8080/base");
        assert_eq!(shown("not a url"), "not a url");
        let builder = ProxyBuilder::new(Arc::new(Nothing), "https://ada:pa55@api.example.com/");
        assert!(!format!("{builder:?}").contains("pa55"), "{builder:?}");
    }

    struct Nothing;

    impl Contract for Nothing {
        fn check_request(&self, _: &Incoming) -> Result<&'static str, Answer> {
            Ok("op")
        }

        fn check_response(&self, _: &'static str, _: crate::client::Response) -> Vec<ValidationError> {
            Vec::new()
        }
    }

    #[test]
    fn media_types_are_those_documented_for_the_status() {
        assert!(expect_media(&response(200, Some("application/json; charset=utf-8")), true, false).is_ok());
        assert!(expect_media(&response(200, Some("application/problem+json")), true, false).is_ok());
        assert!(expect_media(&response(201, Some("text/xml")), true, true).is_ok());
        let refused = expect_media(&response(201, Some("application/json")), false, true).unwrap_err().into_vec();
        assert_eq!((refused[0].pointer.as_str(), refused[0].keyword), ("", "contentType"));
        assert_eq!(
            refused[0].message,
            "the body's media type `application/json` is not the XML the spec documents for status 201"
        );
        let refused = expect_media(&response(200, None), true, false).unwrap_err().into_vec();
        assert_eq!(
            refused[0].message,
            "the body's media type `none` is not the JSON the spec documents for status 200"
        );
    }

    #[test]
    fn what_the_client_cannot_read_is_put_at_the_status_or_under_the_body() {
        let undocumented = unreadable(crate::client::Error::UnexpectedStatus(Box::new(response(418, None))));
        assert_eq!(
            undocumented,
            vec![failure("/status", "status", "the operation documents no response for status 418".to_owned())]
        );
        let errors = crate::ValidationErrors::from(failure("/customer/email", "type", "expected a string".to_owned()));
        let undecoded = unreadable(crate::client::Error::Decode { response: Box::new(response(200, None)), errors });
        assert_eq!(undecoded, vec![failure("/body/customer/email", "type", "expected a string".to_owned())]);
    }
}

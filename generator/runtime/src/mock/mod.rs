//! The mock server behind a generated crate's `mock` feature: an HTTP/1 server on hyper, in
//! the test's own process, on a loopback port the system picks.
//!
//! This module owns what no API decides: the socket, reading bodies (bounded), recording every
//! request, injecting faults (a status, a delay, a reset connection, a `Retry-After`), and the
//! `application/problem+json` answers (RFC 9457) that list violations with their JSON
//! Pointers. Everything the spec decides (routing, reading parameters and bodies into the
//! generated types, validating them, answering with a documented response) is generated code
//! behind the [`Api`] trait, which calls the small helpers of `read` (re-exported here).
//!
//! The validation proxy (`proxy`) forwards to a real server instead of answering, and judges
//! each exchange with the same generated checks, through the [`Contract`] trait.

use std::collections::VecDeque;
use std::fmt;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming as IncomingBody;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::Value;

use crate::ValidationError;

mod proxy;
mod read;

pub use proxy::{expect_media, unreadable, upstream_violations, Contract, Proxy, ProxyBuilder, Report, Side};
pub use read::*;

/// The largest request body the mock reads (32 MiB, the client's own limit on responses); a
/// larger one is answered `413`.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// What a generated crate's mock does with a request: route it to its operation, check it
/// against the spec, and answer. Implemented by generated code.
pub trait Api: Send + Sync + 'static {
    /// The answer to `request`, which the server records and sends.
    fn answer(&self, request: &Incoming) -> Answer;
}

/// A running mock server. It stops accepting connections when dropped.
pub struct MockServer {
    url: String,
    state: Arc<State>,
    accept: tokio::task::JoinHandle<()>,
}

struct State {
    api: Arc<dyn Api>,
    recorded: Mutex<Vec<Recorded>>,
    faults: Mutex<VecDeque<Fault>>,
    /// Header, query and cookie names that carry credentials: their values never print.
    secrets: &'static [&'static str],
    /// The id of the next request recorded.
    next_id: std::sync::atomic::AtomicU64,
}

impl MockServer {
    /// Binds `127.0.0.1` on a port the system picks and serves `api` from a task of the
    /// current tokio runtime. `secrets` names the headers, query parameters and cookies whose
    /// values [`Recorded`]'s `Debug` hides (credentials); `authorization`, `cookie` and
    /// `proxy-authorization` always are.
    pub async fn start(api: Arc<dyn Api>, secrets: &'static [&'static str]) -> std::io::Result<Self> {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let state = Arc::new(State {
            api,
            recorded: Mutex::default(),
            faults: Mutex::default(),
            secrets,
            next_id: Default::default(),
        });
        let accept = serve(listener, Arc::clone(&state), handle);
        Ok(Self { url, state, accept })
    }

    /// The base URL to give a client: `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Every request received so far, in order, with what the mock answered.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.recorded.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Forgets the requests recorded so far.
    pub fn clear_requests(&self) {
        self.state.recorded.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// Queues a fault: each request takes the first fault queued, if any, instead of (or, for
    /// a delay alone, before) its normal answer.
    pub fn fault(&self, fault: Fault) {
        self.state.faults.lock().unwrap_or_else(PoisonError::into_inner).push_back(fault);
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer").field("url", &self.url).finish_non_exhaustive()
    }
}

/// A fault to inject into one request's answer (see [`MockServer::fault`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fault {
    status: Option<u16>,
    delay: Option<Duration>,
    reset: bool,
    retry_after: Option<u64>,
}

impl Fault {
    /// Answer with `status` and a problem body, whatever the spec documents: a fault is a lie
    /// on purpose, so it is not validated.
    pub fn status(status: u16) -> Self {
        Self { status: Some(status), ..Self::default() }
    }

    /// Wait `delay` before answering (normally, unless the fault says otherwise).
    pub fn delay(delay: Duration) -> Self {
        Self { delay: Some(delay), ..Self::default() }
    }

    /// Close the connection without answering.
    pub fn reset() -> Self {
        Self { reset: true, ..Self::default() }
    }

    /// Also wait `delay` first.
    pub fn with_delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Also send `Retry-After: <seconds>`.
    pub fn with_retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }
}

/// A request the mock received, and what it answered.
#[derive(Clone)]
pub struct Recorded {
    /// The operation the request was routed to (its `operationId`), if any.
    pub operation: Option<&'static str>,
    /// The method, upper case (`POST`).
    pub method: String,
    /// The path, as sent (percent-encoded).
    pub path: String,
    /// The query string, as sent, without the `?`.
    pub query: Option<String>,
    /// The headers, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    /// The body's bytes.
    pub body: Vec<u8>,
    /// The status answered; `None` where no answer was sent (a reset fault, or a client that
    /// gave up during a delay; the operation is then not known either).
    pub status: Option<u16>,
    /// The violations the answer listed (the request's for a `400`, the answer's own for a
    /// `500`); empty for a valid exchange.
    pub violations: Vec<ValidationError>,
    secrets: &'static [&'static str],
    /// Which request of the server's this is, counting from 0.
    id: u64,
}

impl Recorded {
    /// The first value of header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

impl fmt::Debug for Recorded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = |name: &str| {
            ["authorization", "proxy-authorization", "cookie"]
                .iter()
                .chain(self.secrets)
                .any(|s| s.eq_ignore_ascii_case(name))
        };
        let headers: Vec<(&str, &str)> =
            self.headers.iter().map(|(n, v)| (n.as_str(), if secret(n) { "[redacted]" } else { v.as_str() })).collect();
        // A credential sent in the query is hidden with the whole query.
        let query = match &self.query {
            Some(query) if form_urlencoded::parse(query.as_bytes()).any(|(name, _)| secret(&name)) => {
                Some("[redacted]")
            }
            other => other.as_deref(),
        };
        f.debug_struct("Recorded")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("path", &self.path)
            .field("query", &query)
            .field("headers", &headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("status", &self.status)
            .field("violations", &self.violations)
            .finish()
    }
}

/// A request as the generated routing reads it: the whole body is read before it is routed.
#[derive(Debug)]
pub struct Incoming {
    method: String,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Incoming {
    /// A request made by hand, for routing code under test.
    pub fn new(method: &str, target: &str, headers: Vec<(String, String)>, body: Vec<u8>) -> Self {
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path.to_owned(), Some(query.to_owned())),
            None => (target.to_owned(), None),
        };
        let headers = headers.into_iter().map(|(n, v)| (n.to_ascii_lowercase(), v)).collect();
        Self { method: method.to_ascii_uppercase(), path, query, headers, body }
    }

    /// The method, upper case.
    pub fn method(&self) -> &str {
        &self.method
    }

    /// The path, percent-encoded as sent.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The value of header `name` (in lower case) as a list, as [`parameter`] reads it: none,
    /// or the one the request carries.
    pub fn header_values(&self, name: &str) -> Vec<String> {
        self.header(name).map(|value| vec![value.to_owned()]).unwrap_or_default()
    }

    /// Every value of query parameter `name`, decoded, in order.
    pub fn query_values(&self, name: &str) -> Vec<String> {
        self.query_pairs().into_iter().filter(|(n, _)| n == name).map(|(_, v)| v).collect()
    }

    /// Every query pair, decoded, in order.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let query = self.query.as_deref().unwrap_or_default();
        form_urlencoded::parse(query.as_bytes()).map(|(n, v)| (n.into_owned(), v.into_owned())).collect()
    }

    /// The value of cookie `name`.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "cookie")
            .flat_map(|(_, v)| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }

    /// The body's bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The `Content-Type`'s media type, lower case, without parameters.
    pub fn media_type(&self) -> Option<String> {
        let value = self.header("content-type")?;
        Some(value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
    }

    /// Whether the request asks for XML first (`Accept: application/xml`, `text/xml` or
    /// `+xml`, before any JSON type).
    pub fn prefers_xml(&self) -> bool {
        let accept = self.header("accept").unwrap_or_default();
        for range in accept.split(',') {
            let essence = range.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
            if is_xml(&essence) {
                return true;
            }
            if is_json(&essence) {
                return false;
            }
        }
        false
    }
}

/// What the mock answers to one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    operation: Option<&'static str>,
    violations: Vec<ValidationError>,
}

impl Answer {
    /// `status` with no body.
    pub fn empty(status: u16) -> Self {
        Self { status, headers: Vec::new(), body: Vec::new(), operation: None, violations: Vec::new() }
    }

    /// `status` with `body` of `content_type`.
    pub fn with_body(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Self { headers: vec![("content-type".to_owned(), content_type.to_owned())], body, ..Self::empty(status) }
    }

    /// An `application/problem+json` body (RFC 9457): `title`, `detail`, and the violations
    /// with their pointers, keywords, limits and messages.
    pub fn problem(status: u16, title: &str, detail: &str, violations: Vec<ValidationError>) -> Self {
        let listed: Vec<Value> = violations
            .iter()
            .map(|v| {
                let mut entry = serde_json::json!({"pointer": v.pointer, "keyword": v.keyword, "message": v.message});
                if let (Some(limit), Some(map)) = (&v.limit, entry.as_object_mut()) {
                    map.insert("limit".to_owned(), limit.clone());
                }
                entry
            })
            .collect();
        let body = serde_json::json!({
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "violations": listed,
        });
        Self { violations, ..Self::with_body(status, "application/problem+json", body.to_string().into_bytes()) }
    }

    /// A `400` listing what is wrong with the request.
    pub fn invalid_request(violations: Vec<ValidationError>) -> Self {
        let detail = format!(
            "the request breaks the spec in {} place{}",
            violations.len(),
            if violations.len() == 1 { "" } else { "s" }
        );
        Self::problem(400, "Invalid request", &detail, violations)
    }

    /// A `401`: the request meets none of the operation's security requirements. Its
    /// violations name, for each requirement, the credential missing first.
    pub fn unauthorized(violations: Vec<ValidationError>) -> Self {
        let detail = if violations.len() == 1 {
            "the request does not meet the operation's security requirement".to_owned()
        } else {
            format!("the request meets none of the operation's {} security requirements", violations.len())
        };
        Self::problem(401, "Unauthorized", &detail, violations)
    }

    /// A `501`: `operation` has no handler (registered with `Server::<handler>`), and nothing
    /// else to answer with.
    pub fn no_answer(operation: &str, handler: &str) -> Self {
        let detail = format!(
            "`{operation}` has no handler (register one with `Server::{handler}`) and its response has no example in the spec; with the crate's `arbitrary` feature the mock answers with a generated value"
        );
        Self::problem(501, "No answer", &detail, Vec::new())
    }

    /// A `501`: `operation` has no handler, no example, and a response body the value
    /// generators cannot make (a list of an alias with rules of its own).
    pub fn no_generated_answer(operation: &str, handler: &str) -> Self {
        let detail = format!(
            "`{operation}` has no handler (register one with `Server::{handler}`), its response has no example in the spec, and the crate's value generators cannot make its body"
        );
        Self::problem(501, "No answer", &detail, Vec::new())
    }

    /// A `500` listing what is wrong with the answer the mock would have sent: the mock never
    /// sends an answer the spec does not allow.
    pub fn invalid_answer(violations: Vec<ValidationError>) -> Self {
        let detail = format!(
            "the mock's answer breaks the spec in {} place{}",
            violations.len(),
            if violations.len() == 1 { "" } else { "s" }
        );
        Self::problem(500, "Invalid answer", &detail, violations)
    }

    /// A `404`: no operation has this path.
    pub fn no_route(request: &Incoming) -> Self {
        Self::problem(
            404,
            "No such path",
            &format!("no operation of the spec has the path `{}`", request.path()),
            Vec::new(),
        )
    }

    /// A `405`: the path's operations have other methods.
    pub fn wrong_method(request: &Incoming, allowed: &[&str]) -> Self {
        let detail =
            format!("`{}` has no `{}` operation; it has {}", request.path(), request.method(), allowed.join(", "));
        let mut answer = Self::problem(405, "Method not allowed", &detail, Vec::new());
        answer.headers.push(("allow".to_owned(), allowed.join(", ")));
        answer
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// Marks the answer as one of `operation`, for the record.
    pub fn operation(mut self, operation: &'static str) -> Self {
        self.operation = Some(operation);
        self
    }

    /// The status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The violations the answer lists: the request's for a `400` or `401`, the answer's own
    /// for a `500` from the answer check.
    pub fn violations(&self) -> &[ValidationError] {
        &self.violations
    }
}

/// A handler a test registered for one operation: given the request, read into the spec's
/// types (`C`, the operation's `...Call`), the reply (`R`, its response enum).
pub type Handler<C, R> = dyn Fn(&C) -> Reply<R> + Send + Sync;

/// Where a generated mock keeps one operation's handler: none until a test registers one,
/// then the last registered.
pub struct Slot<C, R>(std::sync::RwLock<Option<Box<Handler<C, R>>>>);

impl<C, R> Default for Slot<C, R> {
    fn default() -> Self {
        Self(std::sync::RwLock::new(None))
    }
}

impl<C, R> fmt::Debug for Slot<C, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = self.0.read().unwrap_or_else(PoisonError::into_inner).is_some();
        f.debug_tuple("Slot").field(&if set { "a handler" } else { "empty" }).finish()
    }
}

impl<C, R> Slot<C, R> {
    /// Answers with `handler` from now on: whatever it returns that makes a [`Reply`] (the
    /// response enum's variant itself, or a `Reply` of one with a status or headers).
    pub fn set<F, T>(&self, handler: F)
    where
        F: Fn(&C) -> T + Send + Sync + 'static,
        T: Into<Reply<R>>,
    {
        let handler: Box<Handler<C, R>> = Box::new(move |call| handler(call).into());
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Some(handler);
    }

    /// `answer` given the registered handler, if there is one. (A handler that panicked while
    /// another thread held the slot leaves it as it was: the lock's poisoning is ignored.)
    pub fn answer<A>(&self, answer: impl FnOnce(Option<&Handler<C, R>>) -> A) -> A {
        let handler = self.0.read().unwrap_or_else(PoisonError::into_inner);
        answer(handler.as_deref())
    }
}

/// A typed answer of a handler: a variant of the operation's response enum, with the status
/// to send where the variant stands for several (a range, `default`) and extra headers.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply<R> {
    /// The response.
    pub value: R,
    status: Option<u16>,
    headers: Vec<(String, String)>,
}

impl<R> Reply<R> {
    /// `value`, sent with its variant's own status.
    pub fn new(value: R) -> Self {
        Self { value, status: None, headers: Vec::new() }
    }

    /// Sends `status`, which must be one the client reads as this variant (else the mock
    /// answers `500`).
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_ascii_lowercase(), value.to_owned()));
        self
    }

    /// The status given with [`Reply::with_status`].
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The extra headers.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
}

impl<R> From<R> for Reply<R> {
    fn from(value: R) -> Self {
        Self::new(value)
    }
}

/// The connection is closed without an answer: a reset fault.
#[derive(Debug)]
struct Reset;

impl fmt::Display for Reset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection reset on purpose (a mock fault)")
    }
}

impl std::error::Error for Reset {}

/// Accepts connections on `listener` from a task of the current tokio runtime, each served
/// over HTTP/1 by `handle` with `state`: the mock's and the proxy's server alike.
fn serve<S, F, E>(
    listener: tokio::net::TcpListener,
    state: Arc<S>,
    handle: fn(Arc<S>, hyper::Request<IncomingBody>) -> F,
) -> tokio::task::JoinHandle<()>
where
    S: Send + Sync + 'static,
    F: std::future::Future<Output = Result<hyper::Response<Full<Bytes>>, E>> + Send + 'static,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    tokio::spawn(async move {
        loop {
            // A failed accept (too many open files, say) ends this connection only.
            let Ok((stream, _)) = listener.accept().await else { continue };
            let state = Arc::clone(&state);
            tokio::spawn(async move {
                let service = service_fn(move |request| handle(Arc::clone(&state), request));
                // A connection that ends badly (a reset fault, a client gone) concerns that
                // connection alone.
                let _ =
                    hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    })
}

/// The request with its whole body, and whether the body was larger than `limit` (then empty).
async fn read_request(request: hyper::Request<IncomingBody>, limit: usize) -> (Incoming, bool) {
    let (parts, body) = request.into_parts();
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect();
    let (body, too_large) = match Limited::new(body, limit).collect().await {
        Ok(collected) => (collected.to_bytes().to_vec(), false),
        Err(_) => (Vec::new(), true),
    };
    let incoming = Incoming {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers,
        body,
    };
    (incoming, too_large)
}

/// `answer` as hyper sends it; a header that cannot be sent is left out.
fn into_response(answer: Answer) -> hyper::Response<Full<Bytes>> {
    let mut response = hyper::Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() =
        hyper::StatusCode::from_u16(answer.status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in &answer.headers {
        if let (Ok(name), Ok(value)) =
            (hyper::header::HeaderName::from_bytes(name.as_bytes()), hyper::header::HeaderValue::from_str(value))
        {
            response.headers_mut().append(name, value);
        }
    }
    response
}

async fn handle(
    state: Arc<State>,
    request: hyper::Request<IncomingBody>,
) -> Result<hyper::Response<Full<Bytes>>, Reset> {
    let (incoming, too_large) = read_request(request, MAX_BODY_BYTES).await;
    // Recorded on arrival, so that a request whose client gives up during a delay is there too;
    // what was answered is filled in below.
    let id = state.next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    state.recorded.lock().unwrap_or_else(PoisonError::into_inner).push(Recorded {
        operation: None,
        method: incoming.method.clone(),
        path: incoming.path.clone(),
        query: incoming.query.clone(),
        headers: incoming.headers.clone(),
        body: incoming.body.clone(),
        status: None,
        violations: Vec::new(),
        secrets: state.secrets,
        id,
    });
    let fault = state.faults.lock().unwrap_or_else(PoisonError::into_inner).pop_front().unwrap_or_default();
    if let Some(delay) = fault.delay {
        tokio::time::sleep(delay).await;
    }
    let answer = if fault.reset {
        None
    } else if let Some(status) = fault.status {
        let mut answer = Answer::problem(
            status,
            "Injected fault",
            &format!("a fault queued on the mock answered {status}"),
            Vec::new(),
        );
        if let Some(seconds) = fault.retry_after {
            answer = answer.header("retry-after", &seconds.to_string());
        }
        Some(answer)
    } else if too_large {
        Some(Answer::problem(
            413,
            "Body too large",
            &format!("the mock reads bodies of up to {MAX_BODY_BYTES} bytes"),
            Vec::new(),
        ))
    } else {
        let mut answer = state.api.answer(&incoming);
        if let Some(seconds) = fault.retry_after {
            answer = answer.header("retry-after", &seconds.to_string());
        }
        Some(answer)
    };
    // Found by its id: the list may have been cleared since.
    let mut recorded = state.recorded.lock().unwrap_or_else(PoisonError::into_inner);
    if let (Some(answer), Some(record)) = (&answer, recorded.iter_mut().rev().find(|r| r.id == id)) {
        record.operation = answer.operation;
        record.status = Some(answer.status);
        record.violations = answer.violations.clone();
    }
    drop(recorded);
    let Some(answer) = answer else { return Err(Reset) };
    Ok(into_response(answer))
}

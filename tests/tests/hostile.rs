//! Generated clients against hostile servers on 127.0.0.1: redirects to other origins, bodies
//! without end, lying lengths, slow drips, broken heads, odd `Retry-After` values. Each test
//! counts the requests every host received and checks the headers each one saw; `SECURITY.md`
//! at the repository's root is the matrix these tests pin.
//!
//! The servers here speak HTTP/1.1 over raw TCP, not through hyper, so that they can send what
//! a well-behaved server never would. Two listeners on 127.0.0.1 with different ports are two
//! origins; `localhost` and `127.0.0.1` are two hosts.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use apigen_runtime::client::{
    BoxError, BoxFuture, Config, CredentialProvider, Error, Hooks, Method, Request, Secret, Transport,
    TransportErrorKind,
};
use apigen_tests::fixtures::security;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A request as a host received it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    target: String,
    /// Names in lower case, in order; `host` and `content-length` left out.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// What a host sends back.
enum Answer {
    /// These bytes, then the connection is closed.
    Bytes(Vec<u8>),
    /// This head, then bytes without end (until the client goes away), in chunks of the
    /// chunked encoding or not.
    Endless(String, bool),
    /// This head, then one byte every `every`, without end.
    Drip(String, Duration),
    /// Nothing, ever.
    Hang,
}

/// A complete response with a `Content-Length`.
fn answer(status: u16, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut head = format!("HTTP/1.1 {status} Status\r\ncontent-length: {}\r\nconnection: close\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    Answer::Bytes(format!("{head}\r\n{body}").into_bytes())
}

fn json_answer(status: u16, body: serde_json::Value) -> Answer {
    answer(status, &[("content-type", "application/json")], &body.to_string())
}

type Handler = Arc<dyn Fn(usize, &Seen) -> Answer + Send + Sync>;

struct Host {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Host {
    /// A host that answers the `n`th request it receives (from 0) with `handler(n, request)`.
    async fn start(handler: impl Fn(usize, &Seen) -> Answer + Send + Sync + 'static) -> Host {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let port = listener.local_addr().expect("an address").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let handler: Handler = Arc::new(handler);
        let recorded = seen.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let (recorded, handler) = (recorded.clone(), handler.clone());
                tokio::spawn(async move { serve(stream, recorded, handler).await });
            }
        });
        Host { port, seen }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Reads one request (head and `Content-Length` body), records it and answers it.
async fn serve(mut stream: TcpStream, recorded: Arc<Mutex<Vec<Seen>>>, handler: Handler) {
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break at;
        }
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&buffer[..n]),
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let (method, target) = (first.next().unwrap_or_default().to_owned(), first.next().unwrap_or_default().to_owned());
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize =
        headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = data[head_end + 4..].to_vec();
    while body.len() < length {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => body.extend_from_slice(&buffer[..n]),
        }
    }
    let headers = headers.into_iter().filter(|(n, _)| n != "host" && n != "content-length").collect();
    let request = Seen { method, target, headers, body };
    let index = {
        let mut recorded = recorded.lock().unwrap();
        recorded.push(request.clone());
        recorded.len() - 1
    };
    match handler(index, &request) {
        Answer::Bytes(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Answer::Endless(head, chunked) => {
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let mut chunk = if chunked { b"10000\r\n".to_vec() } else { Vec::new() };
            chunk.extend(std::iter::repeat_n(b'x', 0x10000));
            if chunked {
                chunk.extend_from_slice(b"\r\n");
            }
            while stream.write_all(&chunk).await.is_ok() {}
        }
        Answer::Drip(head, every) => {
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            loop {
                tokio::time::sleep(every).await;
                if stream.write_all(b"x").await.is_err() {
                    return;
                }
            }
        }
        Answer::Hang => std::future::pending::<()>().await,
    }
}

/// A client of the `security` fixture with every credential set.
fn security_client(base: &str, config: impl FnOnce(&mut Config)) -> security::client::Client {
    let mut settings = Config::new(base);
    config(&mut settings);
    security::client::Client::with_config(settings)
        .unwrap()
        .with_header_key("hk-secret")
        .with_query_key("qk-secret")
        .with_cookie_key("ck-secret")
        .with_bearer("bt-secret")
}

/// Whether any of the four credentials appears anywhere in what a host saw.
fn carries_a_credential(seen: &Seen) -> bool {
    let text = format!("{} {:?} {}", seen.target, seen.headers, String::from_utf8_lossy(&seen.body));
    ["hk-secret", "qk-secret", "ck-secret", "bt-secret"].iter().any(|secret| text.contains(secret))
}

fn thing() -> security::types::Thing {
    serde_json::from_value(json!({"id": "t1", "card": "4111111111111111"})).expect("a Thing")
}

#[tokio::test]
async fn no_credential_or_body_follows_a_redirect_to_another_origin() {
    for status in [301, 302, 303, 307, 308] {
        let other = Host::start(|_, _| json_answer(200, json!({"id": "stolen"}))).await;
        // Another port on the same address, and another name (`localhost`) for this host's own
        // address and port: two other origins.
        for to_other_port in [true, false] {
            let port = Arc::new(std::sync::OnceLock::<u16>::new());
            let (own, other_url) = (port.clone(), other.url("/things/1"));
            let first = Host::start(move |_, _| {
                let location = if to_other_port {
                    other_url.clone()
                } else {
                    format!("http://localhost:{}/things/1", own.get().unwrap())
                };
                answer(status, &[("location", &location)], "")
            })
            .await;
            port.set(first.port).unwrap();
            let client = security_client(&first.url(""), |_| {});

            // Without a body (GET) and with one (POST): neither is followed.
            match client.get_thing("1").await {
                Err(Error::UnexpectedStatus(response)) => assert_eq!(response.status, status),
                other => panic!("{status}: expected the redirect itself, got {other:?}"),
            }
            match client.create_thing(&thing()).await {
                Err(Error::UnexpectedStatus(response)) => {
                    assert_eq!(response.status, status);
                    assert!(response.headers.contains_key("location"));
                }
                other => panic!("{status}: expected the redirect itself, got {other:?}"),
            }
            let seen = first.seen();
            assert_eq!(seen.len(), 2, "{status}: the first host saw each request once, and nothing under another name");
            assert!(seen.iter().all(carries_a_credential));
            assert!(seen.iter().all(|s| s.header("referer").is_none()));
        }
        assert_eq!(other.seen().len(), 0, "{status}: the other origin saw nothing");
    }
}

#[tokio::test]
async fn revcent_post_with_its_key_is_not_redirected_to_another_host() {
    let other = Host::start(|_, _| json_answer(200, json!({}))).await;
    let target = other.url("/v2/customers");
    let first = Host::start(move |_, _| answer(307, &[("location", &target)], "")).await;
    let client = revcent::Client::new(first.url("/v2")).unwrap().with_api_key_auth("key-123");
    let body: revcent::types::CreateCustomerRequest = serde_json::from_value(json!({
        "campaign": "Summer",
        "customer": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"},
        "payment": {"credit_card": {"card_number": "4111111111111111", "exp_month": 1, "exp_year": 30}},
    }))
    .unwrap();
    // RevCent documents a `default` response: the 307 is read as one, and its empty body
    // does not parse.
    match client.create_customer(&body).await {
        Err(Error::Decode { response, .. }) => assert_eq!(response.status, 307),
        other => panic!("expected the 307 itself, got {other:?}"),
    }
    let seen = first.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!((seen[0].method.as_str(), seen[0].target.as_str()), ("POST", "/v2/customers"));
    assert_eq!(seen[0].header("x-api-key"), Some("key-123"));
    assert!(String::from_utf8_lossy(&seen[0].body).contains("4111111111111111"));
    assert_eq!(other.seen().len(), 0);
}

#[tokio::test]
async fn same_origin_redirects_without_a_body_are_followed_within_the_bound() {
    let host = Host::start(|n, seen| match (n, seen.target.starts_with("/things/1")) {
        (0, true) => answer(302, &[("location", "/things/2")], ""),
        (_, false) => json_answer(200, json!({"id": "2"})),
        // Every later request for /things/1 redirects to itself.
        _ => answer(302, &[("location", "/things/1")], ""),
    })
    .await;
    let client = security_client(&host.url(""), |_| {});
    let done = client.get_thing("1").await.unwrap();
    assert!(matches!(done.value, security::client::GetThingResponse::Ok(ref t) if t.id.as_deref() == Some("2")));
    let seen = host.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].target, "/things/1?api_key=qk-secret");
    // The same origin gets every credential again, and no Referer.
    assert_eq!(seen[1].target, "/things/2?api_key=qk-secret");
    assert_eq!(seen[1].header("x-api-key"), Some("hk-secret"));
    assert_eq!(seen[1].header("cookie"), Some("session=ck-secret"));
    assert_eq!(seen[1].header("authorization"), Some("Bearer bt-secret"));
    assert_eq!(seen[1].header("referer"), None);

    // A loop ends after 5 redirects (the default bound): 6 requests, and the 302 is the answer.
    match client.get_thing("1").await {
        Err(Error::UnexpectedStatus(response)) => assert_eq!(response.status, 302),
        other => panic!("expected the last redirect, got {other:?}"),
    }
    assert_eq!(host.seen().len(), 2 + 6);

    // With a body, not even the same origin: the 307 is the answer, the body was sent once.
    let host = Host::start(|_, _| answer(307, &[("location", "/things")], "")).await;
    let client = security_client(&host.url(""), |_| {});
    assert!(matches!(client.create_thing(&thing()).await, Err(Error::UnexpectedStatus(r)) if r.status == 307));
    assert_eq!(host.seen().len(), 1);
}

#[tokio::test]
async fn a_failure_after_a_redirect_counts_as_sent() {
    // The redirect's target (same origin) drops the connection without an answer: the request
    // has been seen, so it is not sent again; the error names the failing URL, key redacted.
    let host =
        Host::start(
            |n, _| if n == 0 { answer(302, &[("location", "/things/2")], "") } else { Answer::Bytes(Vec::new()) },
        )
        .await;
    let client = security_client(&host.url(""), |_| {});
    match client.get_thing("1").await {
        Err(Error::Transport(error)) => {
            assert_eq!(error.kind, TransportErrorKind::Broken);
            assert_eq!(error.url, host.url("/things/2?api_key=%5Bredacted%5D"));
            assert!(!error.to_string().contains("qk-secret"), "{error}");
        }
        other => panic!("expected a broken response, got {other:?}"),
    }
    assert_eq!(host.seen().len(), 2);

    // The case: a caller's own client that follows redirects, a POST redirected to a
    // port where nobody listens. Its error looks like a failure to connect, but with a
    // client of the caller's the runtime cannot know it was the first leg: not retried.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed_url = format!("http://127.0.0.1:{}/things", closed.local_addr().unwrap().port());
    drop(closed);
    let first = Host::start(move |_, _| answer(307, &[("location", &closed_url)], "")).await;
    let client = security::client::Client::with_http(Config::new(first.url("")), reqwest::Client::new()).unwrap();
    match client.create_thing(&thing()).await {
        Err(Error::Transport(error)) => assert!(error.is_connect(), "{error}"),
        other => panic!("expected a connection failure, got {other:?}"),
    }
    assert_eq!(first.seen().len(), 1, "the POST was sent once");
}

const MIB: u64 = 1024 * 1024;

/// An error for a body beyond the limit: its status and a header, from the response's head.
fn assert_too_large(result: Result<impl std::fmt::Debug, Error>, status: u16, path: &str) {
    match result {
        Err(Error::TooLarge { status: got, headers, limit, url }) => {
            assert_eq!((got.as_u16(), limit), (status, MIB));
            assert_eq!(headers.get("x-marker").unwrap(), "kept");
            assert!(url.ends_with(path), "{url}");
        }
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn bodies_beyond_the_limit_are_not_read() {
    let limited = |config: &mut Config| config.max_response_bytes = MIB;
    // A declared length beyond the limit: refused before reading (the body never comes).
    let declared = Host::start(|_, _| {
        Answer::Drip(
            format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nx-marker: kept\r\n\r\n", 2 * MIB),
            Duration::from_secs(1),
        )
    })
    .await;
    let start = Instant::now();
    assert_too_large(
        security_client(&declared.url(""), limited).get_thing("1").await,
        200,
        "/things/1?api_key=%5Bredacted%5D",
    );
    assert!(start.elapsed() < Duration::from_millis(900), "{:?}", start.elapsed());
    // No length, delimited by the connection's end, without end; and chunked, without end.
    for (head, chunked) in [
        ("HTTP/1.1 200 OK\r\nx-marker: kept\r\nconnection: close\r\n\r\n", false),
        ("HTTP/1.1 200 OK\r\nx-marker: kept\r\ntransfer-encoding: chunked\r\n\r\n", true),
    ] {
        let endless = Host::start(move |_, _| Answer::Endless(head.to_owned(), chunked)).await;
        assert_too_large(
            security_client(&endless.url(""), limited).get_thing("1").await,
            200,
            "/things/1?api_key=%5Bredacted%5D",
        );
        assert_eq!(endless.seen().len(), 1);
    }
    // An undocumented status (the error path) is read within the limit too.
    let error =
        Host::start(|_, _| Answer::Endless("HTTP/1.1 500 Oops\r\nx-marker: kept\r\n\r\n".to_owned(), false)).await;
    assert_too_large(
        security_client(&error.url(""), limited).get_thing("1").await,
        500,
        "/things/1?api_key=%5Bredacted%5D",
    );
    // The body of a 429 before a retry is not read at all; the retry gets its answer.
    let retried = Host::start(|n, _| match n {
        0 => Answer::Endless("HTTP/1.1 429 Slow Down\r\nretry-after: 0\r\n\r\n".to_owned(), false),
        _ => json_answer(200, json!({"id": "1"})),
    })
    .await;
    let done = security_client(&retried.url(""), limited).get_thing("1").await.unwrap();
    assert_eq!(done.status, 200, "/things/1?api_key=%5Bredacted%5D");
    assert_eq!(retried.seen().len(), 2);
}

/// The peak resident memory of this process (`VmHWM`), in bytes; Linux only.
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb * 1024)
}

/// Peak memory while a server sends 500 MB (with no length, then with a false one) to a client
/// with the default limit of 32 MiB: it must stay within the limit and a small constant.
/// Run alone, in release: `cargo xtask peak-memory` (a test beside others would count their
/// memory too).
#[tokio::test]
#[ignore = "measures the whole process's memory: run alone, through `cargo xtask peak-memory`"]
async fn peak_memory_stays_within_the_limit() {
    let Some(before) = peak_memory() else {
        println!("skipped: no /proc/self/status on this system");
        return;
    };
    let limit = Config::new("http://unused").max_response_bytes;
    for head in [
        "HTTP/1.1 200 OK\r\nx-marker: kept\r\nconnection: close\r\n\r\n",
        "HTTP/1.1 200 OK\r\nx-marker: kept\r\ncontent-length: 33000000\r\n\r\n",
    ] {
        let host = Host::start(move |_, _| Answer::Endless(head.to_owned(), false)).await;
        let client = security_client(&host.url(""), |_| {});
        let result = client.get_thing("1").await;
        let (_, headers) = match &result {
            Err(Error::TooLarge { status, headers, .. }) => (status, headers),
            // 33,000,000 is under 32 MiB (33,554,432): read whole, then not JSON.
            Err(Error::Decode { response, .. }) => {
                assert_eq!(response.body.len(), 33_000_000);
                (&response.status, &Box::new(response.headers.clone()))
            }
            other => panic!("expected the body to be refused, got {other:?}"),
        };
        assert_eq!(headers.get("x-marker").unwrap(), "kept");
    }
    let after = peak_memory().unwrap();
    let grown = after.saturating_sub(before);
    println!(
        "peak resident memory: {} MiB before, {} MiB after ({} MiB more); limit {} MiB",
        before / MIB,
        after / MIB,
        grown / MIB,
        limit / MIB
    );
    assert!(
        grown < limit + 16 * MIB,
        "peak memory grew by {} MiB, beyond the limit of {} MiB and 16 MiB",
        grown / MIB,
        limit / MIB
    );
}

/// An HTTP date `seconds` from now.
fn http_date_in(seconds: u64) -> String {
    httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(seconds))
}

#[tokio::test]
async fn retry_after_as_seconds_and_as_a_date_within_the_deadline() {
    // A date an hour away: beyond max_retry_after, not waited; the 429 is the answer.
    let date = http_date_in(3600);
    let host = Host::start(move |_, _| answer(429, &[("retry-after", &date)], "")).await;
    let start = Instant::now();
    assert!(
        matches!(security_client(&host.url(""), |_| {}).get_thing("1").await, Err(Error::UnexpectedStatus(r)) if r.status == 429)
    );
    assert!(start.elapsed() < Duration::from_millis(500), "{:?}", start.elapsed());
    assert_eq!(host.seen().len(), 1);

    // A date two seconds away is waited for (one to two seconds: dates have whole seconds).
    let date = http_date_in(2);
    let host =
        Host::start(
            move |n, _| if n == 0 { answer(503, &[("retry-after", &date)], "") } else { json_answer(200, json!({})) },
        )
        .await;
    let start = Instant::now();
    assert_eq!(
        security_client(&host.url(""), |_| {}).get_thing("1").await.unwrap().status,
        200,
        "/things/1?api_key=%5Bredacted%5D"
    );
    assert!(start.elapsed() >= Duration::from_millis(900), "{:?}", start.elapsed());
    assert_eq!(host.seen().len(), 2);

    // 10 seconds is within max_retry_after but beyond the call's deadline: not waited.
    let host = Host::start(|_, _| answer(503, &[("retry-after", "10")], "")).await;
    let client = security_client(&host.url(""), |c| c.deadline = Duration::from_secs(2));
    let start = Instant::now();
    assert!(matches!(client.get_thing("1").await, Err(Error::UnexpectedStatus(r)) if r.status == 503));
    assert!(start.elapsed() < Duration::from_millis(500), "{:?}", start.elapsed());
    assert_eq!(host.seen().len(), 1);
}

#[tokio::test]
async fn the_deadline_covers_every_attempt_and_wait() {
    // 503 with a one-second wait, then a server that never answers: each attempt may take 1 s,
    // the call 1.5 s.
    let host = Host::start(|n, _| if n == 0 { answer(503, &[("retry-after", "1")], "") } else { Answer::Hang }).await;
    let client = security_client(&host.url(""), |c| {
        c.timeout = Duration::from_secs(1);
        c.deadline = Duration::from_millis(1500);
    });
    let start = Instant::now();
    match client.get_thing("1").await {
        Err(Error::Transport(error)) => {
            assert_eq!(error.kind, TransportErrorKind::Deadline(Duration::from_millis(1500)));
            assert_eq!(
                error.to_string(),
                format!(
                    "the call's deadline of 1.5s passed before the response from {}",
                    host.url("/things/1?api_key=%5Bredacted%5D")
                )
            );
        }
        other => panic!("expected the deadline, got {other:?}"),
    }
    let elapsed = start.elapsed();
    assert!(elapsed >= Duration::from_millis(1500) && elapsed < Duration::from_millis(2000), "{elapsed:?}");
    assert_eq!(host.seen().len(), 2);
}

#[tokio::test]
async fn a_timeout_while_the_body_arrives_says_timeout_and_keeps_what_arrived() {
    let host = Host::start(|_, _| {
        Answer::Drip(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n".to_owned(),
            Duration::from_millis(50),
        )
    })
    .await;
    let client = security_client(&host.url(""), |c| c.timeout = Duration::from_millis(500));
    match client.get_thing("1").await {
        Err(Error::Transport(error)) => {
            assert_eq!(error.kind, TransportErrorKind::Timeout(Duration::from_millis(500)));
            let partial = error.partial.as_ref().expect("what arrived");
            assert_eq!(partial.status, 200, "/things/1?api_key=%5Bredacted%5D");
            assert!((3..=10).contains(&partial.body.len()), "{} bytes", partial.body.len());
            let text = error.to_string();
            let expected = format!(
                "timeout after 500ms while the body arrived from {} (status 200 OK, ",
                host.url("/things/1?api_key=%5Bredacted%5D")
            );
            assert!(text.starts_with(&expected), "{text}");
            assert!(std::error::Error::source(&error).is_some());
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(host.seen().len(), 1, "a request the server has seen is not sent again");
}

#[tokio::test]
async fn malformed_responses_keep_what_arrived() {
    // A body shorter than its length: status, headers and the bytes that came.
    let short = Host::start(|_, _| {
        Answer::Bytes(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\nx-marker: kept\r\n\r\n{\"id\":".to_vec())
    })
    .await;
    match security_client(&short.url(""), |_| {}).get_thing("1").await {
        Err(Error::Transport(error)) => {
            assert_eq!(error.kind, TransportErrorKind::Broken);
            let partial = error.partial.as_ref().unwrap();
            assert_eq!((partial.status.as_u16(), partial.body.as_slice()), (200, b"{\"id\":".as_slice()));
            assert_eq!(partial.headers.get("x-marker").unwrap(), "kept");
        }
        other => panic!("expected a broken response, got {other:?}"),
    }
    // A head that does not parse: nothing to keep but where and why.
    let broken = Host::start(|_, _| Answer::Bytes(b"HTTP/1.1 200 OK\r\nbad header line\r\n\r\n{}".to_vec())).await;
    match security_client(&broken.url(""), |_| {}).get_thing("1").await {
        Err(Error::Transport(error)) => {
            assert_eq!(error.kind, TransportErrorKind::Broken);
            assert!(
                error.to_string().starts_with(&format!(
                    "a broken response from {}: ",
                    broken.url("/things/1?api_key=%5Bredacted%5D")
                )),
                "{error}"
            );
        }
        other => panic!("expected a broken response, got {other:?}"),
    }
    assert_eq!(broken.seen().len(), 1);
    // A UTF-8 byte order mark before JSON is read past.
    let bom = Host::start(|_, _| answer(200, &[("content-type", "application/json")], "\u{feff}{\"id\":\"b\"}")).await;
    let done = security_client(&bom.url(""), |_| {}).get_thing("1").await.unwrap();
    assert!(matches!(done.value, security::client::GetThingResponse::Ok(ref t) if t.id.as_deref() == Some("b")));
    // An operation that answers only in XML: read as XML with no Content-Type at all.
    let xml = Host::start(|_, _| answer(200, &[], "<report><total>3</total></report>")).await;
    let report = security::client::Client::new(xml.url("")).unwrap().get_report().await.unwrap();
    assert!(matches!(report.value, security::client::GetReportResponse::Ok(ref r) if r.total == Some(3)));
}

/// Adds `x-trace: <operation>` to every request and counts the responses.
struct Tracing(Arc<AtomicUsize>);

impl Hooks for Tracing {
    fn before_send(&self, operation: &str, request: &mut reqwest::Request) -> Result<(), BoxError> {
        request.headers_mut().insert("x-trace", operation.parse()?);
        Ok(())
    }

    fn after_receive(&self, _operation: &str, _response: &reqwest::Response) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A token that is stale until refreshed; every call recorded.
struct Tokens(Mutex<Vec<(String, bool)>>);

impl CredentialProvider for Tokens {
    fn credential<'a>(&'a self, scheme: &'a str, refresh: bool) -> BoxFuture<'a, Result<Option<Secret>, BoxError>> {
        Box::pin(async move {
            self.0.lock().unwrap().push((scheme.to_owned(), refresh));
            Ok((scheme == "bearer").then(|| Secret::new(if refresh { "fresh" } else { "stale" })))
        })
    }
}

#[tokio::test]
async fn hooks_providers_user_agent_and_a_callers_http_client() {
    let host = Host::start(|_, seen| match seen.header("authorization") {
        Some("Bearer fresh") => json_answer(200, json!({"id": "1"})),
        _ => answer(401, &[], ""),
    })
    .await;
    let responses = Arc::new(AtomicUsize::new(0));
    let tokens = Arc::new(Tokens(Mutex::new(Vec::new())));
    struct Shared(Arc<Tokens>);
    impl CredentialProvider for Shared {
        fn credential<'a>(&'a self, scheme: &'a str, refresh: bool) -> BoxFuture<'a, Result<Option<Secret>, BoxError>> {
            self.0.credential(scheme, refresh)
        }
    }
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut config = Config::new(host.url(""));
    config.user_agent = Some("my-app/2.0".to_owned());
    let client = security::client::Client::with_http(config, http)
        .unwrap()
        .with_hooks(Tracing(responses.clone()))
        .with_credential_provider(Shared(tokens.clone()));
    let done = client.get_thing("1").await.unwrap();
    assert_eq!(done.status, 200, "/things/1?api_key=%5Bredacted%5D");
    let seen = host.seen();
    assert_eq!(seen.len(), 2, "one more request after the 401, with a fresh token");
    assert_eq!(
        seen.iter().map(|s| s.header("authorization").unwrap()).collect::<Vec<_>>(),
        ["Bearer stale", "Bearer fresh"]
    );
    for request in &seen {
        assert_eq!(request.header("x-trace"), Some("getThing"));
        assert_eq!(request.header("user-agent"), Some("my-app/2.0"));
        // The provider gave nothing for the other schemes.
        assert_eq!((request.header("x-api-key"), request.header("cookie")), (None, None));
    }
    assert_eq!(responses.load(Ordering::SeqCst), 2);
    let asked: Vec<(String, bool)> = tokens.0.lock().unwrap().clone();
    let expected: Vec<(String, bool)> = [false, true]
        .into_iter()
        .flat_map(|refresh| ["headerKey", "queryKey", "cookieKey", "bearer"].map(|s| (s.to_owned(), refresh)))
        .collect();
    assert_eq!(asked, expected);

    // A provider that refuses stops the call before anything is sent.
    struct Refusing;
    impl CredentialProvider for Refusing {
        fn credential<'a>(&'a self, _: &'a str, _: bool) -> BoxFuture<'a, Result<Option<Secret>, BoxError>> {
            Box::pin(async { Err("the vault is sealed".into()) })
        }
    }
    let client = security::client::Client::new(host.url("")).unwrap().with_credential_provider(Refusing);
    match client.get_thing("1").await {
        Err(error @ Error::Refused(_)) => {
            assert_eq!(error.to_string(), "the request was not sent: the vault is sealed")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(host.seen().len(), 2);
}

#[tokio::test]
async fn into_result_makes_a_documented_error_status_an_error() {
    let host = Host::start(|n, _| {
        if n == 0 {
            json_answer(404, json!({"detail": "gone"}))
        } else {
            json_answer(200, json!({"id": "1"}))
        }
    })
    .await;
    let client = security_client(&host.url(""), |_| {});
    let error = client.get_thing("1").await.unwrap().into_result().unwrap_err();
    assert_eq!(error.to_string(), "status 404 Not Found");
    assert!(
        matches!(error.0.value, security::client::GetThingResponse::NotFound(ref p) if p.detail.as_deref() == Some("gone"))
    );
    let ok = client.get_thing("1").await.unwrap().into_result().unwrap();
    assert_eq!(ok.status, 200, "/things/1?api_key=%5Bredacted%5D");
}

#[tokio::test]
async fn a_download_streams_to_the_callers_writer() {
    let size = 3 * MIB as usize;
    let host = Host::start(move |_, _| {
        let mut bytes = format!("HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\nx-marker: kept\r\ncontent-length: {size}\r\n\r\n").into_bytes();
        bytes.extend((0..size).map(|i| (i % 251) as u8));
        Answer::Bytes(bytes)
    })
    .await;
    // Beyond the body limit, which a download does not have.
    let client = security_client(&host.url(""), |c| c.max_response_bytes = MIB);
    let download = client.get_file_download("a b").await.unwrap();
    assert_eq!(download.status, 200, "/things/1?api_key=%5Bredacted%5D");
    assert_eq!(download.headers.get("content-type").unwrap(), "application/octet-stream");
    let mut written = Vec::new();
    assert_eq!(download.write_to(&mut written).await.unwrap(), size as u64);
    assert_eq!(written.len(), size);
    assert!(written.iter().enumerate().all(|(i, b)| *b == (i % 251) as u8));
    // The plain method reads within the limit.
    assert_too_large(client.get_file("a b").await, 200, "/files/a%20b");
    let seen = host.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].target, "/files/a%20b");

    // The runtime's transport underneath, as generated code calls it.
    let transport = Transport::new(Config::new(host.url("")), "test/1").unwrap();
    let mut download =
        transport.send_streaming(Request::new("getFile", Method::GET, "/files/x".to_owned())).await.unwrap();
    let mut total = 0;
    while let Some(chunk) = download.chunk().await.unwrap() {
        total += chunk.len();
    }
    assert_eq!(total, size);
    assert_eq!(host.seen()[2].header("user-agent"), Some("test/1 apigen/0.1.0"));
    // The fixture's code is compiled into this crate, whose name and version it sends.
    assert_eq!(seen[0].header("user-agent"), Some("apigen-tests/0.1.0 apigen/0.1.0"));
}

#[test]
fn a_base_url_that_is_not_one_is_refused_when_the_client_is_made() {
    for base in ["127.0.0.1:8080", "mailto:a@b.c", "http://h/v2?key=1"] {
        match security::client::Client::new(base) {
            Err(Error::Request(message)) => {
                assert_eq!(message, format!("the base URL `{base}` is not an absolute URL without query"))
            }
            other => panic!("{base}: expected a refusal, got {other:?}"),
        }
    }
}

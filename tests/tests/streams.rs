//! Streamed responses (the `streams` fixture) against a real HTTP server on 127.0.0.1 that
//! sends its body in scripted pieces: the exact events parsed from server-sent events and
//! JSON Lines, a malformed event reported with its position while the stream goes on, the
//! reconnection of a `GET` with `Last-Event-ID` (and none for a `POST`), a refused status, and
//! the bound on one event's size against an endless line.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_runtime::client::Config;
use apigen_runtime::stream::{Event, StreamError, StreamErrorKind};
use apigen_tests::fixtures::streams::client::Client;
use apigen_tests::fixtures::streams::types::{Chunk, CompletionRequest, Tick, TickKind};
use futures_util::StreamExt;
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

/// A request as the server received it.
#[derive(Debug, Clone, PartialEq)]
struct Recorded {
    method: String,
    target: String,
    /// The headers the tests look at: `accept`, `authorization`, `last-event-id`.
    headers: Vec<(String, String)>,
    body: String,
}

/// A piece of a scripted body.
#[derive(Clone)]
enum Piece {
    Bytes(&'static str),
    /// The same bytes again and again, without end.
    Endless(&'static str),
    /// The connection is cut, mid-body.
    Cut,
}

/// The answer to one request: a status, a content type, and the body in pieces, each sent as
/// it comes (a short pause between them, so that they arrive as separate chunks).
#[derive(Clone)]
struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<Piece>,
}

fn events(body: Vec<Piece>) -> Reply {
    Reply { status: 200, content_type: "text/event-stream", body }
}

type Frames = std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Frame<Bytes>, std::io::Error>> + Send>>;

fn frames(pieces: Vec<Piece>) -> Frames {
    Box::pin(futures_util::stream::unfold(VecDeque::from(pieces), |mut pieces| async move {
        let piece = pieces.pop_front()?;
        tokio::time::sleep(Duration::from_millis(5)).await;
        match piece {
            Piece::Bytes(text) => Some((Ok(Frame::data(Bytes::from_static(text.as_bytes()))), pieces)),
            Piece::Endless(text) => {
                pieces.push_front(Piece::Endless(text));
                Some((Ok(Frame::data(Bytes::from_static(text.as_bytes()))), pieces))
            }
            // hyper ends the connection without the chunked body's last chunk.
            Piece::Cut => Some((Err(std::io::Error::other("cut")), VecDeque::new())),
        }
    }))
}

struct Server {
    base: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    async fn start(script: Vec<Reply>) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(VecDeque::from(script)));
        let recorded = requests.clone();
        tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else { return };
                let (recorded, script) = (recorded.clone(), script.clone());
                tokio::spawn(async move {
                    let service = service_fn(move |request: hyper::Request<Incoming>| {
                        let (recorded, script) = (recorded.clone(), script.clone());
                        async move {
                            let method = request.method().to_string();
                            let target = request.uri().path_and_query().map(|p| p.to_string()).unwrap_or_default();
                            let headers = ["accept", "authorization", "last-event-id"]
                                .iter()
                                .filter_map(|name| {
                                    Some((name.to_string(), request.headers().get(*name)?.to_str().ok()?.to_owned()))
                                })
                                .collect();
                            let body =
                                request.into_body().collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
                            let body = String::from_utf8(body).expect("UTF-8");
                            recorded.lock().unwrap().push(Recorded { method, target, headers, body });
                            let next = script.lock().unwrap().pop_front();
                            let next = next.unwrap_or(Reply {
                                status: 500,
                                content_type: "text/plain",
                                body: vec![Piece::Bytes("script exhausted")],
                            });
                            let response = hyper::Response::builder()
                                .status(next.status)
                                .header("content-type", next.content_type)
                                .body(StreamBody::new(frames(next.body)))
                                .expect("a response");
                            Ok::<_, std::convert::Infallible>(response)
                        }
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        Server { base, requests }
    }

    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    fn client(&self) -> Client {
        let mut config = Config::new(&self.base);
        config.timeout = Duration::from_secs(5);
        Client::with_config(config).expect("a client").with_bearer("t0ken")
    }
}

fn get(target: &str, last_event_id: Option<&str>) -> Recorded {
    let mut headers = vec![
        ("accept".to_owned(), "text/event-stream".to_owned()),
        ("authorization".to_owned(), "Bearer t0ken".to_owned()),
    ];
    if let Some(id) = last_event_id {
        headers.push(("last-event-id".to_owned(), id.to_owned()));
    }
    Recorded { method: "GET".to_owned(), target: target.to_owned(), headers, body: String::new() }
}

fn tick(id: Option<&str>, event: &str, seq: i64, kind: Option<TickKind>) -> Event<Tick> {
    let mut data = Tick::new(seq);
    data.kind = kind;
    Event { event: event.to_owned(), id: id.map(str::to_owned), data }
}

/// The stream's items, with errors as (event, line, text).
async fn collect<T>(
    stream: impl futures_util::Stream<Item = Result<T, StreamError>>,
) -> Vec<Result<T, (u64, u64, String)>> {
    stream.map(|item| item.map_err(|e| (e.event, e.line, e.to_string()))).collect().await
}

#[tokio::test]
async fn server_sent_events_are_read_exactly_and_a_bad_one_is_reported_where_it_is() {
    let server = Server::start(vec![events(vec![
        Piece::Bytes(": hello\n\nid: 1\ndata: {\"seq\": 1, \"kind\": \"up\"}\n\n"),
        // An event cut across chunks, with CRLF line ends and two data lines.
        Piece::Bytes("event: tick\r\ndata: {\"seq\":\r"),
        Piece::Bytes("\ndata:  2}\r\n\r\n"),
        // Malformed: a string where the seq belongs; the stream goes on.
        Piece::Bytes("id: 3\ndata: {\"seq\": \"three\"}\n\n"),
        // A kind the spec does not list (the API added it since) is kept.
        Piece::Bytes("data: {\"seq\": 4, \"kind\": \"sideways\"}\n\n"),
        // Not dispatched: the body ends before the event's blank line.
        Piece::Bytes("data: {\"seq\": 5}\n"),
    ])])
    .await;
    let stream = server.client().watch_ticks_stream("ACME").expect("a valid request");
    assert_eq!(server.requests(), [], "nothing is sent before the stream is polled");
    let items = collect(stream).await;
    assert_eq!(
        items,
        [
            Ok(tick(Some("1"), "message", 1, Some(TickKind::Up))),
            Ok(tick(Some("1"), "tick", 2, None)),
            Err((
                3,
                10,
                "event 3 (line 10): the data does not parse: 1 validation error\n  /seq: invalid type: string \"three\", expected an integer (type)"
                    .to_owned()
            )),
            Ok(tick(Some("3"), "message", 4, Some(TickKind::UnknownValue("sideways".to_owned())))),
        ]
    );
    assert_eq!(server.requests(), [get("/ticks?symbol=ACME", None)]);
}

#[tokio::test]
async fn a_done_marker_is_passed_over_and_nothing_after_it_is_lost() {
    let server = Server::start(vec![events(vec![
        Piece::Bytes("data: {\"seq\": 1}\n\n"),
        // OpenAI's last event; the stream still reads to the end of the body.
        Piece::Bytes("data: [DONE]\n\n"),
        Piece::Bytes("data: {\"seq\": 2}\n\n"),
    ])])
    .await;
    let items = collect(server.client().watch_ticks_stream("ACME").expect("a valid request")).await;
    assert_eq!(items, [Ok(tick(None, "message", 1, None)), Ok(tick(None, "message", 2, None))]);
}

#[tokio::test]
async fn a_get_reconnects_with_last_event_id_after_the_servers_retry_time() {
    let server = Server::start(vec![
        events(vec![Piece::Bytes("retry: 20\nid: 7\ndata: {\"seq\": 7}\n\ndata: {\"seq\": 8}\n"), Piece::Cut]),
        events(vec![Piece::Bytes("id: 8\ndata: {\"seq\": 8}\n\n")]),
    ])
    .await;
    let started = std::time::Instant::now();
    let items = collect(server.client().watch_ticks_stream("ACME").expect("a valid request")).await;
    assert!(started.elapsed() >= Duration::from_millis(20), "waited the server's retry time: {:?}", started.elapsed());
    // The half-read event of the cut connection is dropped; the server sends it again.
    assert_eq!(items, [Ok(tick(Some("7"), "message", 7, None)), Ok(tick(Some("8"), "message", 8, None))]);
    assert_eq!(server.requests(), [get("/ticks?symbol=ACME", None), get("/ticks?symbol=ACME", Some("7"))]);
}

#[tokio::test]
async fn reconnection_stops_after_max_retries_failures_in_a_row() {
    let cut = || events(vec![Piece::Cut]);
    let server = Server::start(vec![cut(), cut(), cut(), cut()]).await;
    let started = std::time::Instant::now();
    let items = collect(server.client().watch_ticks_stream("ACME").expect("a valid request")).await;
    // No `retry` from the server: a backoff of 100 ms, then 200 ms.
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
    assert_eq!(items.len(), 1, "{items:?}");
    let Err((1, 1, text)) = &items[0] else { panic!("{items:?} after {} requests", server.requests().len()) };
    assert!(text.starts_with("event 1 (line 1): a broken response from /ticks: "), "{text}");
    // The first connection and `Config::max_retries` (2) more.
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_post_is_never_resent_and_json_lines_are_read_line_by_line() {
    let server = Server::start(vec![Reply {
        status: 200,
        content_type: "application/x-ndjson",
        body: vec![
            Piece::Bytes("{\"text\": \"Hel\"}\n\n{\"te"),
            Piece::Bytes("xt\": \"lo\"}\r\n{\"text\": 3}\n{\"text\": \"!\"}\n"),
            Piece::Cut,
        ],
    }])
    .await;
    let request = CompletionRequest::new("Say hello");
    let items = collect(server.client().create_completion_stream(&request).expect("a valid request")).await;
    let chunk = |text: &str| Ok(Chunk::new(text));
    assert_eq!(items.len(), 5, "{items:?}");
    assert_eq!(items[..2], [chunk("Hel"), chunk("lo")]);
    assert_eq!(
        items[2],
        Err((3, 4, "event 3 (line 4): the data does not parse: 1 validation error\n  /text: invalid type: integer `3`, expected a string (type)".to_owned()))
    );
    assert_eq!(items[3], chunk("!"));
    let Err((5, 6, text)) = &items[4] else { panic!("{items:?}") };
    assert!(text.starts_with("event 5 (line 6): a broken response from /completions: "), "{text}");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "a POST is not sent again");
    assert_eq!(requests[0].method, "POST");
    assert_eq!(requests[0].body, r#"{"prompt":"Say hello"}"#);
    assert_eq!(requests[0].headers[0], ("accept".to_owned(), "application/x-ndjson".to_owned()));
}

#[tokio::test]
async fn an_invalid_request_is_refused_before_any_stream() {
    let server = Server::start(Vec::new()).await;
    let request = CompletionRequest::new("x".repeat(101));
    let error = server.client().create_completion_stream(&request).expect_err("too long a prompt");
    assert_eq!(error.to_string(), "the request was not sent: 1 validation error\n  /body/prompt: must be at most 100 characters long, is 101 (maxLength)");
    assert_eq!(server.requests(), []);
}

#[tokio::test]
async fn a_refused_status_is_the_one_item_and_is_not_retried() {
    let server = Server::start(vec![Reply {
        status: 404,
        content_type: "application/json",
        body: vec![Piece::Bytes("{\"detail\": \"no such symbol\"}")],
    }])
    .await;
    let mut stream = server.client().watch_ticks_stream("NOPE").expect("a valid request");
    let error = stream.next().await.expect("one item").expect_err("a 404");
    let StreamErrorKind::Status(response) = &error.kind else { panic!("{error}") };
    assert_eq!(response.status.as_u16(), 404);
    assert_eq!(response.body, b"{\"detail\": \"no such symbol\"}");
    assert!(stream.next().await.is_none());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_endless_line_ends_the_stream_at_the_event_size_bound() {
    let server = Server::start(vec![events(vec![
        Piece::Bytes("data: {\"seq\": 1}\n\n"),
        Piece::Bytes("data: "),
        Piece::Endless("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
    ])])
    .await;
    let stream = server.client().watch_ticks_stream("ACME").expect("a valid request").max_event_bytes(4096);
    let items = collect(stream).await;
    assert_eq!(
        items,
        [
            Ok(tick(None, "message", 1, None)),
            Err((2, 3, "event 2 (line 3): the event is longer than 4096 bytes".to_owned()))
        ]
    );
    // Not a failed connection: the stream is over, and nothing is sent again.
    assert_eq!(server.requests().len(), 1);
}

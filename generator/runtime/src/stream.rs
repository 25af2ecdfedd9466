//! Streamed responses: `text/event-stream` (server-sent events) and JSON Lines
//! (`application/jsonl`, `application/x-ndjson`, and `application/json-seq`), read as they
//! arrive and handed out as a typed [`Stream`] of events.
//!
//! A generated `<operation>_stream` method validates and assembles its request as the plain
//! method does, and returns an [`EventStream`] at once; the request is sent when the stream is
//! first polled, so everything the server says, a refused status included, comes as an item.
//! Each event's data is parsed into the schema's type where the spec gives one, and is the raw
//! text (server-sent events) or JSON value (JSON Lines) otherwise. An event whose data does not
//! parse is an `Err` item that says which event it was and on which line of the response it
//! began, and the stream goes on with the next event.
//!
//! A server-sent event whose data is `[DONE]` and does not parse as the schema's type is the
//! end-of-stream marker that OpenAI's API and the many compatible with it send last: it is
//! passed over, not reported as an error, and the stream ends when the server closes it, as it
//! always does (nothing after it is dropped). Where the data is read as raw text, `[DONE]` is
//! an event like any other.
//!
//! Memory is bounded per event, not per stream (a stream may rightly run for hours): one event
//! (or line) longer than [`EventStream::max_event_bytes`] ends the stream with an error, however
//! the server sends it, an endless line included.
//!
//! Reconnecting: a stream of server-sent events of a `GET` whose connection fails (an error
//! while reading, or no byte for [`Config::timeout`](crate::client::Config)) is opened again,
//! with `Last-Event-ID` when the server gave ids, after the server's `retry` time (at most
//! `Config::max_retry_after`) or a short backoff, up to `Config::max_retries` times in a row.
//! A `GET` is safe to send again; any other method may have had effects, and is never resent,
//! and JSON Lines have no way to resume, so neither reconnects. A stream the server ends
//! cleanly is over: it is not reopened.
//!
//! The parser of server-sent events is written here, after the WHATWG HTML standard's
//! "Interpreting an event stream", rather than taken from `eventsource-stream`, the crate
//! `reqwest-eventsource` builds on: that crate buffers a line until its end however long it
//! grows, with no bound to set, which a hostile server turns into unbounded memory.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

pub use futures_core::Stream;
use futures_util::StreamExt;

use crate::client::{Error, Request, Response, Transport, TransportError, TransportErrorKind};
use crate::ValidationErrors;

/// The default of [`EventStream::max_event_bytes`]: 1 MiB.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 1 << 20;

/// One server-sent event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The event's type: its `event` field, or `message` where it has none.
    pub event: String,
    /// The last event id the server gave (this event's `id`, or an earlier one's), if any.
    pub id: Option<String>,
    /// The event's data, parsed.
    pub data: T,
}

/// A typed stream of a response's events: `Result<T, StreamError>` items, `None` once the
/// response has ended (or a failure ended it).
pub struct EventStream<T> {
    max_event_bytes: usize,
    start: Option<Box<Start<T>>>,
    inner: Option<Items<T>>,
}

/// The items of a started [`EventStream`].
type Items<T> = Pin<Box<dyn Stream<Item = Result<T, StreamError>> + Send>>;

/// Builds the stream, given the event size bound, at the first poll.
type Start<T> = dyn FnOnce(usize) -> Items<T> + Send;

impl<D: Send + 'static> EventStream<Event<D>> {
    /// Server-sent events of `request`, each event's data read by `decode`. Generated code
    /// calls it.
    pub fn server_sent_events(
        transport: Transport,
        request: Request,
        decode: fn(&str) -> Result<D, ValidationErrors>,
    ) -> Self {
        events(transport, request, Framing::EventStream, decode)
    }
}

impl<D: Send + 'static> EventStream<D> {
    /// JSON Lines (one value a line) or a JSON text sequence of `request`, as `media_type`
    /// says, each value read by `decode`. Generated code calls it.
    pub fn json_lines(
        transport: Transport,
        request: Request,
        media_type: &'static str,
        decode: fn(&str) -> Result<D, ValidationErrors>,
    ) -> Self {
        let essence = media_type.split(';').next().unwrap_or_default().trim();
        let framing = if essence.eq_ignore_ascii_case("application/json-seq") {
            Framing::JsonSeq
        } else {
            Framing::JsonLines(media_type)
        };
        let stream = events(transport, request, framing, decode);
        EventStream {
            max_event_bytes: DEFAULT_MAX_EVENT_BYTES,
            start: Some(Box::new(move |max| {
                let events = stream.max_event_bytes(max);
                Box::pin(events.map(|item| item.map(|event| event.data)))
            })),
            inner: None,
        }
    }
}

impl<T> EventStream<T> {
    /// The most bytes one event (or line) may take, its field names and line ends included
    /// ([`DEFAULT_MAX_EVENT_BYTES`] unless set). Takes effect when set before the first poll.
    pub fn max_event_bytes(mut self, limit: usize) -> Self {
        self.max_event_bytes = limit;
        self
    }
}

impl<T> Stream for EventStream<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(start) = this.start.take() {
            this.inner = Some(start(this.max_event_bytes));
        }
        match &mut this.inner {
            Some(inner) => inner.as_mut().poll_next(cx),
            None => Poll::Ready(None),
        }
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("max_event_bytes", &self.max_event_bytes)
            .field("started", &self.inner.is_some())
            .finish()
    }
}

/// The events of `request`, cut by `framing`, read when first polled.
fn events<D: Send + 'static>(
    transport: Transport,
    request: Request,
    framing: Framing,
    decode: fn(&str) -> Result<D, ValidationErrors>,
) -> EventStream<Event<D>> {
    EventStream {
        max_event_bytes: DEFAULT_MAX_EVENT_BYTES,
        start: Some(Box::new(move |max| {
            let reader = Reader::new(transport, request, framing, decode, max);
            Box::pin(futures_util::stream::unfold(reader, |mut reader| async move {
                let item = reader.next().await?;
                Some((item, reader))
            }))
        })),
        inner: None,
    }
}

/// Reads the data of a server-sent event, or a JSON line, as JSON into `T`.
pub fn json<T: serde::de::DeserializeOwned>(data: &str) -> Result<T, ValidationErrors> {
    crate::parse_json(data.as_bytes())
}

/// Keeps the data of a server-sent event as its text (no schema, or a string one).
pub fn text(data: &str) -> Result<String, ValidationErrors> {
    Ok(data.to_owned())
}

/// Why an item of an [`EventStream`] is not an event, and where.
#[derive(Debug)]
pub struct StreamError {
    /// Which event of the stream (or line, for JSON Lines) it concerns, from 1, counting every
    /// event the stream handed out, good or bad, across reconnections.
    pub event: u64,
    /// The line of the response (of the connection it came in) where that event began, from 1.
    pub line: u64,
    /// What went wrong.
    pub kind: StreamErrorKind,
}

/// What went wrong with an item of an [`EventStream`].
#[derive(Debug)]
pub enum StreamErrorKind {
    /// The event's data is not what the spec documents; the stream goes on.
    Decode(ValidationErrors),
    /// One event is longer than [`EventStream::max_event_bytes`]; the stream ends.
    TooLarge {
        /// The bound, in bytes.
        limit: usize,
    },
    /// The server did not answer with a success status: everything it sent (the body up to
    /// the event size bound); the stream ends.
    Status(Box<Response>),
    /// The connection failed and could not be opened again (or may not be); the stream ends.
    Transport(Error),
    /// No byte arrived for `Config::timeout`; the stream ends.
    Idle(Duration),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "event {} (line {}): ", self.event, self.line)?;
        match &self.kind {
            StreamErrorKind::Decode(errors) => write!(f, "the data does not parse: {errors}"),
            StreamErrorKind::TooLarge { limit } => write!(f, "the event is longer than {limit} bytes"),
            StreamErrorKind::Status(response) => write!(f, "status {} instead of a stream", response.status),
            StreamErrorKind::Transport(error) => write!(f, "{error}"),
            StreamErrorKind::Idle(wait) => write!(f, "nothing arrived for {} ms", wait.as_millis()),
        }
    }
}

impl std::error::Error for StreamError {}

/// How the body is cut into events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    EventStream,
    /// With the media type asked for.
    JsonLines(&'static str),
    /// RFC 7464: each value after a record separator (0x1E), ending with a line feed.
    JsonSeq,
}

impl Framing {
    fn accept(self) -> &'static str {
        match self {
            Framing::EventStream => "text/event-stream",
            Framing::JsonLines(media_type) => media_type,
            Framing::JsonSeq => "application/json-seq",
        }
    }
}

/// One event as cut from the body, before its data is parsed.
#[derive(Debug, PartialEq)]
struct Record {
    event: String,
    id: Option<String>,
    data: String,
    line: u64,
}

/// Cuts a body into [`Record`]s, whatever the chunks it arrives in.
#[derive(Debug)]
struct Parser {
    framing: Framing,
    max: usize,
    /// The line being read, without its end.
    line: Vec<u8>,
    /// The last byte was a CR, whose LF (if it comes next) ends the same line.
    after_cr: bool,
    /// Lines completed in this connection.
    lines: u64,
    /// The event being read: its line, data and type buffers.
    event_line: Option<u64>,
    data: String,
    event: String,
    /// Kept across events and connections, as the standard says.
    last_id: Option<String>,
    retry: Option<Duration>,
}

impl Parser {
    fn new(framing: Framing, max: usize) -> Self {
        Self {
            framing,
            max,
            line: Vec::new(),
            after_cr: false,
            lines: 0,
            event_line: None,
            data: String::new(),
            event: String::new(),
            last_id: None,
            retry: None,
        }
    }

    /// A new connection: what was half read is dropped (an event is only dispatched at its
    /// blank line); the last id and the retry time stay.
    fn restart(&mut self) {
        self.line.clear();
        self.after_cr = false;
        self.lines = 0;
        self.event_line = None;
        self.data.clear();
        self.event.clear();
    }

    /// Reads a chunk; an event grown past the bound is `Err` with the line it began on.
    fn feed(&mut self, mut chunk: &[u8], out: &mut VecDeque<Record>) -> Result<(), u64> {
        while !chunk.is_empty() {
            if std::mem::take(&mut self.after_cr) && chunk[0] == b'\n' {
                chunk = &chunk[1..];
                continue;
            }
            // Server-sent events end lines with CR, LF or CRLF; JSON Lines with LF (a CR
            // before it is trimmed with the line).
            let end = match self.framing {
                Framing::EventStream => chunk.iter().position(|b| matches!(b, b'\n' | b'\r')),
                _ => chunk.iter().position(|b| *b == b'\n'),
            };
            let (text, rest) = match end {
                Some(at) => (&chunk[..at], Some(at)),
                None => (chunk, None),
            };
            self.line.extend_from_slice(text);
            if self.line.len() + self.data.len() + self.event.len() > self.max {
                return Err(self.event_line.unwrap_or(self.lines + 1));
            }
            match rest {
                Some(at) => {
                    self.after_cr = chunk[at] == b'\r';
                    chunk = &chunk[at + 1..];
                    self.end_line(out);
                }
                None => break,
            }
        }
        Ok(())
    }

    /// The body ended: a last JSON line without its line feed still counts; a half-read
    /// server-sent event does not (the standard drops it).
    fn finish(&mut self, out: &mut VecDeque<Record>) {
        if self.framing != Framing::EventStream && !self.line.is_empty() {
            self.end_line(out);
        }
    }

    fn end_line(&mut self, out: &mut VecDeque<Record>) {
        self.lines += 1;
        let line = std::mem::take(&mut self.line);
        let text = String::from_utf8_lossy(&line);
        // A UTF-8 byte order mark before the first line is not part of it.
        let text = if self.lines == 1 { text.strip_prefix('\u{feff}').unwrap_or(&text) } else { &text };
        match self.framing {
            Framing::EventStream => self.event_stream_line(text, out),
            Framing::JsonLines(_) | Framing::JsonSeq => {
                let text = text.trim_start_matches('\u{1e}').trim();
                if !text.is_empty() {
                    out.push_back(Record { event: String::new(), id: None, data: text.to_owned(), line: self.lines });
                }
            }
        }
    }

    /// One line of server-sent events, as the standard interprets it.
    fn event_stream_line(&mut self, text: &str, out: &mut VecDeque<Record>) {
        if text.is_empty() {
            let line = self.event_line.take().unwrap_or(self.lines);
            let event = std::mem::take(&mut self.event);
            if self.data.is_empty() {
                return;
            }
            let mut data = std::mem::take(&mut self.data);
            data.pop();
            let event = if event.is_empty() { "message".to_owned() } else { event };
            out.push_back(Record { event, id: self.last_id.clone(), data, line });
            return;
        }
        if text.starts_with(':') {
            return;
        }
        self.event_line.get_or_insert(self.lines);
        let (field, value) = match text.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (text, ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok().map(Duration::from_millis);
            }
            _ => {}
        }
    }
}

/// The state of one stream: the connection, what was parsed and not yet handed out, and what
/// a reconnection needs.
struct Reader<D> {
    transport: Transport,
    request: Request,
    decode: fn(&str) -> Result<D, ValidationErrors>,
    parser: Parser,
    response: Option<reqwest::Response>,
    ready: VecDeque<Record>,
    /// Events handed out so far.
    events: u64,
    /// Connection failures in a row, with no event between them.
    failures: u32,
    /// The failure that ends the stream, handed out after the events parsed before it.
    ending: Option<StreamError>,
    done: bool,
}

impl<D> Reader<D> {
    fn new(
        transport: Transport,
        request: Request,
        framing: Framing,
        decode: fn(&str) -> Result<D, ValidationErrors>,
        max: usize,
    ) -> Self {
        Self {
            transport,
            request,
            decode,
            parser: Parser::new(framing, max),
            response: None,
            ready: VecDeque::new(),
            events: 0,
            failures: 0,
            ending: None,
            done: false,
        }
    }

    fn error(&self, kind: StreamErrorKind) -> StreamError {
        StreamError { event: self.events + 1, line: self.parser.event_line.unwrap_or(self.parser.lines + 1), kind }
    }

    /// Whether a failed connection may be opened again (see the module docs).
    fn may_reconnect(&self) -> bool {
        self.parser.framing == Framing::EventStream
            && self.request.method == reqwest::Method::GET
            && self.failures < self.transport.config().max_retries
    }

    async fn next(&mut self) -> Option<Result<Event<D>, StreamError>> {
        loop {
            if let Some(record) = self.ready.pop_front() {
                self.events += 1;
                let Record { event, id, data, line } = record;
                match (self.decode)(&data) {
                    Ok(data) => return Some(Ok(Event { event, id, data })),
                    Err(_) if self.parser.framing == Framing::EventStream && data == "[DONE]" => continue,
                    Err(errors) => {
                        return Some(Err(StreamError {
                            event: self.events,
                            line,
                            kind: StreamErrorKind::Decode(errors),
                        }))
                    }
                }
            }
            if let Some(ending) = self.ending.take() {
                self.done = true;
                return Some(Err(ending));
            }
            if self.done {
                return None;
            }
            let idle = self.transport.config().timeout;
            let Some(response) = self.response.as_mut() else {
                match self.connect().await {
                    Ok(response) => {
                        self.parser.restart();
                        self.response = Some(response);
                    }
                    Err(StreamErrorKind::Transport(error)) => self.failed(StreamErrorKind::Transport(error)).await,
                    Err(kind) => self.ending = Some(self.error(kind)),
                }
                continue;
            };
            match tokio::time::timeout(idle, response.chunk()).await {
                Ok(Ok(Some(chunk))) => {
                    let result = self.parser.feed(&chunk, &mut self.ready);
                    // Failures count in a row: a connection that gave an event was not one.
                    if !self.ready.is_empty() {
                        self.failures = 0;
                    }
                    if let Err(line) = result {
                        let limit = self.parser.max;
                        self.ending = Some(StreamError {
                            event: self.events + self.ready.len() as u64 + 1,
                            line,
                            kind: StreamErrorKind::TooLarge { limit },
                        });
                        self.response = None;
                    }
                }
                Ok(Ok(None)) => {
                    self.parser.finish(&mut self.ready);
                    self.response = None;
                    self.done = true;
                }
                Ok(Err(error)) => {
                    // The response's URL may hold a query credential: the error names the path.
                    let error = TransportError {
                        url: self.request.path.to_string(),
                        kind: TransportErrorKind::Broken,
                        partial: None,
                        source: Some(error.without_url()),
                    };
                    self.failed(StreamErrorKind::Transport(Error::Transport(Box::new(error)))).await
                }
                Err(_) => self.failed(StreamErrorKind::Idle(idle)).await,
            }
        }
    }

    /// A connection failed: opened again where that is safe, after the server's retry time
    /// or a backoff; else the stream ends with `kind`.
    async fn failed(&mut self, kind: StreamErrorKind) {
        self.response = None;
        if !self.may_reconnect() {
            self.ending = Some(self.error(kind));
            return;
        }
        let config = self.transport.config();
        let wait = self
            .parser
            .retry
            .unwrap_or_else(|| Duration::from_millis(100u64 << self.failures.min(6)))
            .min(config.max_retry_after);
        self.failures += 1;
        tokio::time::sleep(wait).await;
    }

    /// Sends the request (with `Last-Event-ID` when reconnecting after ids) through the
    /// client's transport, so that it carries the client's credentials, `User-Agent` and
    /// hooks and follows only the redirects the client follows, and waits for the response's
    /// head within `Config::timeout`.
    async fn connect(&mut self) -> Result<reqwest::Response, StreamErrorKind> {
        let config = self.transport.config();
        let mut request = self.request.clone();
        request.header("accept", self.parser.framing.accept()).map_err(StreamErrorKind::Transport)?;
        if self.failures > 0 {
            if let Some(id) = &self.parser.last_id {
                request.header("last-event-id", id).map_err(StreamErrorKind::Transport)?;
            }
        }
        let response = match tokio::time::timeout(config.timeout, self.transport.open(request)).await {
            Ok(Ok(response)) => response,
            Ok(Err(error)) => return Err(StreamErrorKind::Transport(error)),
            Err(_) => return Err(StreamErrorKind::Idle(config.timeout)),
        };
        if response.status().is_success() {
            return Ok(response);
        }
        Err(StreamErrorKind::Status(Box::new(self.read_refusal(response).await)))
    }

    /// What a server that refused to stream said: its status, headers and body, the body cut
    /// at the event size bound.
    async fn read_refusal(&self, mut response: reqwest::Response) -> Response {
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let mut body = Vec::new();
        let idle = self.transport.config().timeout;
        while let Ok(Ok(Some(chunk))) = tokio::time::timeout(idle, response.chunk()).await {
            let room = self.parser.max.saturating_sub(body.len());
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if body.len() >= self.parser.max {
                break;
            }
        }
        Response { status, headers, body }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(framing: Framing, chunks: &[&[u8]]) -> Vec<Record> {
        let mut parser = Parser::new(framing, 1 << 10);
        let mut out = VecDeque::new();
        for chunk in chunks {
            parser.feed(chunk, &mut out).expect("within the bound");
        }
        parser.finish(&mut out);
        out.into_iter().collect()
    }

    fn record(event: &str, id: Option<&str>, data: &str, line: u64) -> Record {
        Record { event: event.to_owned(), id: id.map(str::to_owned), data: data.to_owned(), line }
    }

    #[test]
    fn event_streams_as_the_standard_reads_them() {
        // The standard's own examples: multi-line data, comments, ids, a field without a
        // colon, the space after the colon removed once, and every line ending.
        let body: &[u8] = b"\xEF\xBB\xBF: comment\n\ndata: YHOO\ndata: +2\r\ndata: 10\r\rid: 7\nevent: add\ndata:  two spaces\n\ndata\n\ndata:last, unterminated";
        assert_eq!(
            records(Framing::EventStream, &[body]),
            [
                record("message", None, "YHOO\n+2\n10", 3),
                record("add", Some("7"), " two spaces", 7),
                record("message", Some("7"), "", 11)
            ]
        );
        // The same bytes cut anywhere give the same events, a CRLF split included.
        let cut: Vec<&[u8]> = body.chunks(1).collect();
        assert_eq!(records(Framing::EventStream, &cut), records(Framing::EventStream, &[body]));
    }

    #[test]
    fn json_lines_skip_blank_lines_and_keep_the_last_unterminated_one() {
        assert_eq!(
            records(Framing::JsonLines("application/jsonl"), &[b"{\"a\":1}\r\n\n  \n{\"a\"", b":2}"]),
            [record("", None, "{\"a\":1}", 1), record("", None, "{\"a\":2}", 4)]
        );
        assert_eq!(
            records(Framing::JsonSeq, &[b"\x1e1\n\x1e\"two\"\n"]),
            [record("", None, "1", 1), record("", None, "\"two\"", 2)]
        );
    }

    #[test]
    fn an_endless_line_is_refused_at_the_bound() {
        let mut parser = Parser::new(Framing::EventStream, 16);
        let mut out = VecDeque::new();
        assert_eq!(parser.feed(b"data: ok\n\ndata: 0123456", &mut out), Ok(()));
        assert_eq!(parser.feed(b"789abcdef", &mut out), Err(3));
        assert_eq!(out.len(), 1);
        // Data accumulated over many short lines counts too.
        let mut parser = Parser::new(Framing::EventStream, 16);
        assert_eq!(parser.feed(b"data: 0123\ndata: 4567\ndata: 89ab\n", &mut out), Err(1));
    }
}

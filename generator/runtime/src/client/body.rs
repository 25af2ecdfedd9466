//! Reading a response's body: whole but within a limit ([`read_limited`]), or streamed by the
//! caller ([`Download`]).
//!
//! The limit is enforced while reading, chunk by chunk, not by trusting `Content-Length`: a
//! declared length above the limit ends the read before it starts, and one that is absent or
//! lies is caught when the bytes that have arrived pass the limit. The buffer grows at most to
//! the limit, so memory stays about the limit plus one chunk.

use std::time::Duration;

use bytes::Bytes;

use super::error::{Error, TransportError, TransportErrorKind};
use super::send::At;
use super::{HeaderMap, Response, StatusCode};

/// The whole body of `response`, at most `limit` bytes of it.
pub(super) async fn read_limited(
    mut response: reqwest::Response,
    limit: u64,
    at: At,
    timeout: Duration,
) -> Result<Response, Error> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let too_large =
        |url: String, headers: HeaderMap| Error::TooLarge { url, status, headers: Box::new(headers), limit };
    let declared = response.content_length();
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large(at.shown(&response), headers));
    }
    // usize holds the limit here: it holds the declared length, which is at most the limit.
    let mut body = Vec::with_capacity(declared.unwrap_or(0) as usize);
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let needed = body.len() + chunk.len();
                if needed as u64 > limit {
                    return Err(too_large(at.shown(&response), headers));
                }
                if needed > body.capacity() {
                    // Doubling, but never past the limit.
                    let grown = (body.capacity() * 2).clamp(needed, limit as usize);
                    body.reserve_exact(grown - body.len());
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(Response { status, headers, body }),
            Err(error) => {
                let url = at.shown(&response);
                return Err(broken(url, error, Response { status, headers, body }, timeout));
            }
        }
    }
}

/// A body that failed while it arrived: what did arrive is kept.
fn broken(url: String, error: reqwest::Error, partial: Response, timeout: Duration) -> Error {
    let kind = if error.is_timeout() { TransportErrorKind::Timeout(timeout) } else { TransportErrorKind::Broken };
    Error::Transport(Box::new(TransportError {
        url,
        kind,
        partial: Some(Box::new(partial)),
        source: Some(error.without_url()),
    }))
}

/// A response whose body the caller reads piece by piece (a large file, an image): nothing
/// limits its size, and nothing holds more than one chunk of it.
#[derive(Debug)]
pub struct Download {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// Where it came from (secrets redacted).
    pub url: String,
    response: reqwest::Response,
    timeout: Duration,
}

impl Download {
    pub(super) fn new(mut response: reqwest::Response, url: String, timeout: Duration) -> Self {
        let headers = std::mem::take(response.headers_mut());
        Self { status: response.status(), headers, url, response, timeout }
    }

    /// The next piece of the body, `None` at its end. A failure keeps the status and headers
    /// (the pieces already given are the caller's).
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        self.response.chunk().await.map_err(|error| {
            let partial = Response { status: self.status, headers: self.headers.clone(), body: Vec::new() };
            broken(self.url.clone(), error, partial, self.timeout)
        })
    }

    /// Writes the whole body to `writer` (a file, a socket) and returns how many bytes it had.
    pub async fn write_to<W: tokio::io::AsyncWrite + Unpin>(mut self, writer: &mut W) -> Result<u64, Error> {
        use tokio::io::AsyncWriteExt;
        let mut written = 0;
        while let Some(chunk) = self.chunk().await? {
            writer.write_all(&chunk).await.map_err(Error::Write)?;
            written += chunk.len() as u64;
        }
        writer.flush().await.map_err(Error::Write)?;
        Ok(written)
    }
}

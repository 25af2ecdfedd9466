//! A one-request HTTP/1.1 server on a loopback port, so that the example's client has a server
//! to call without the network. Hand-written over tokio's sockets, rather than with hyper, to
//! keep the example's dependencies to what a user of the generated code needs: it reads one
//! request (headers, then `Content-Length` bytes of body), answers it with a canned response
//! and hands the request's text back.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// A server that answers one request.
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    request: oneshot::Receiver<String>,
}

impl Server {
    /// The request the server received, as text (request line, headers, body).
    pub async fn request(self) -> Result<String, String> {
        self.request.await.map_err(|_| "the server received no request".to_owned())
    }
}

/// Starts a server that answers its first request with `status`, `content_type` and `body`.
pub async fn serve_once(status: u16, content_type: &str, body: &str) -> std::io::Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let response = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let (sender, request) = oneshot::channel();
    tokio::spawn(async move {
        let Ok((mut stream, _)) = listener.accept().await else { return };
        let mut received = Vec::new();
        let mut buffer = [0u8; 4096];
        loop {
            let Ok(n) = stream.read(&mut buffer).await else { return };
            if n == 0 {
                break;
            }
            received.extend_from_slice(&buffer[..n]);
            let text = String::from_utf8_lossy(&received);
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                    })
                    .unwrap_or(0);
                if received.len() >= end + 4 + length {
                    break;
                }
            }
        }
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
        let _ = sender.send(String::from_utf8_lossy(&received).into_owned());
    });
    Ok(Server { base_url, request })
}

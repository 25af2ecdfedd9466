//! A scripted HTTP server on 127.0.0.1 for tests of the generated clients: it records each
//! request exactly as it arrived (method, path and query, headers, body) and answers with the
//! next reply of its script.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;

/// A request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names (lower case) and values, in order, without `host` and `content-length`.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// An answer of the script: a status, a `Content-Type` (none if empty) and a body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Self { status, content_type: "application/json", body: body.to_string() }
    }

    pub fn empty(status: u16) -> Self {
        Self { status, content_type: "", body: String::new() }
    }
}

pub struct Server {
    pub base: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Starts a server that answers each request with the next reply (a `500` once they run
    /// out).
    pub async fn start(script: Vec<Reply>) -> Server {
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
                            let headers = request
                                .headers()
                                .iter()
                                .filter(|(name, _)| !matches!(name.as_str(), "host" | "content-length"))
                                .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("?").to_owned()))
                                .collect();
                            let body =
                                request.into_body().collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
                            recorded.lock().unwrap_or_else(|e| e.into_inner()).push(Recorded {
                                method,
                                target,
                                headers,
                                body,
                            });
                            let next = script.lock().unwrap_or_else(|e| e.into_inner()).pop_front();
                            let next = next
                                .unwrap_or_else(|| Reply::json(500, serde_json::json!({"detail": "script exhausted"})));
                            let mut response = hyper::Response::builder().status(next.status);
                            if !next.content_type.is_empty() {
                                response = response.header("content-type", next.content_type);
                            }
                            Ok::<_, std::convert::Infallible>(
                                response.body(Full::new(Bytes::from(next.body))).expect("a response"),
                            )
                        }
                    });
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
        });
        Server { base, requests }
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

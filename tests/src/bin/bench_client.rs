//! Requests per second through a generated client against a hand-written `reqwest` call that
//! does the same work (JSON body, API key header, status check, typed JSON response), both
//! against one loopback server. Modes are interleaved round by round, in a rotated order.
//!
//! Besides requests per second (the best round of each mode), it reports the CPU time of the
//! whole run per mode: client and server share one thread, so that figure is the work each
//! mode costs, and it holds when other processes take the machine's cores (wall-clock rounds
//! then measure mostly who was scheduled).
//!
//! Run in release: `cargo xtask bench-client`.

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use revcent::types::{CreateCustomerRequest, CreateCustomerSuccess};
use serde_json::json;

const REQUESTS: usize = 2_000;
const ROUNDS: usize = 20;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(run());
}

async fn run() {
    let base = serve().await;
    let body: CreateCustomerRequest = serde_json::from_value(json!({
        "campaign": "Summer",
        "customer": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"},
        "metadata": [{"name": "source", "value": "bench"}],
    }))
    .expect("a valid request");
    let generated = revcent::Client::new(format!("{base}/v2")).expect("a client").with_api_key_auth("key");
    let mut config = apigen_runtime::client::Config::new(format!("{base}/v2"));
    config.validate_requests = false;
    let unvalidated = revcent::Client::with_config(config).expect("a client").with_api_key_auth("key");
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().expect("a reqwest client");
    let url = format!("{base}/v2/customers");

    // For profiling one mode alone (`APIGEN_BENCH_MODE=0|1|2`: generated with validation,
    // without, hand-written), as `perf diff` of two runs wants.
    let only: Option<usize> = std::env::var("APIGEN_BENCH_MODE").ok().and_then(|mode| mode.parse().ok());
    let mut best = [Duration::MAX; 3];
    let mut cpu = [0u64; 3];
    for round in 0..=ROUNDS {
        // Each round runs the three modes in a rotated order, so that none is always the one
        // after (or before) another.
        for k in 0..3 {
            let mode = (round + k) % 3;
            if only.is_some_and(|only| only != mode) {
                continue;
            }
            let start = Instant::now();
            let cpu_start = thread_cpu_ticks();
            for _ in 0..REQUESTS {
                match mode {
                    0 => assert_eq!(generated.create_customer(&body).await.expect("a response").status, 200),
                    1 => assert_eq!(unvalidated.create_customer(&body).await.expect("a response").status, 200),
                    _ => {
                        let response = http
                            .post(&url)
                            .header("x-api-key", "key")
                            .header("accept", "application/json")
                            .header("content-type", "application/json")
                            .body(serde_json::to_vec(&body).expect("JSON"))
                            .send()
                            .await
                            .expect("a response");
                        assert_eq!(response.status(), 200);
                        let bytes = response.bytes().await.expect("a body");
                        let parsed: CreateCustomerSuccess = serde_json::from_slice(&bytes).expect("a success body");
                        std::hint::black_box(parsed);
                    }
                }
            }
            // Round 0 warms up connections and caches.
            if round > 0 {
                best[mode] = best[mode].min(start.elapsed());
                if let (Some(before), Some(after)) = (cpu_start, thread_cpu_ticks()) {
                    cpu[mode] += after - before;
                }
            }
        }
    }
    let rate = |d: Duration| REQUESTS as f64 / d.as_secs_f64();
    println!("{REQUESTS} sequential RevCent CreateCustomer requests to a loopback server, best of {ROUNDS} rounds\n");
    println!("{:<48} {:>12}", "", "requests/s");
    println!("{:<48} {:>12.0}", "generated client (validation on, the default)", rate(best[0]));
    println!("{:<48} {:>12.0}", "generated client (validation off)", rate(best[1]));
    println!("{:<48} {:>12.0}", "hand-written reqwest call", rate(best[2]));
    println!();
    println!("generated (validation on) / hand-written, goal at least 0.95: {:.3}", rate(best[0]) / rate(best[2]));
    println!("generated (validation off) / hand-written:                   {:.3}", rate(best[1]) / rate(best[2]));
    if only.is_none() && cpu.iter().all(|&ticks| ticks > 0) {
        println!();
        println!(
            "CPU time of all rounds (clock ticks): generated {} / {} (validation on / off), hand-written {}",
            cpu[0], cpu[1], cpu[2]
        );
        println!("by CPU time, generated (validation on) / hand-written:        {:.3}", cpu[2] as f64 / cpu[0] as f64);
        println!("by CPU time, generated (validation off) / hand-written:       {:.3}", cpu[2] as f64 / cpu[1] as f64);
    }
}

/// User and system CPU time of this thread so far, in clock ticks (`/proc/thread-self/stat`;
/// `None` where there is no such file). Client and server run on this one thread.
fn thread_cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // utime and stime are the 14th and 15th fields; the 3rd is the first after the name.
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some(user + system)
}

/// A loopback server that answers every request with a RevCent success body.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let success =
        json!({"api_call_id": "a".repeat(20), "code": 1, "customer_id": "c".repeat(20), "result": "ok"}).to_string();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let success = success.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<Incoming>| {
                    let success = success.clone();
                    async move {
                        let _ = request.into_body().collect().await;
                        let response = hyper::Response::builder()
                            .status(200)
                            .header("content-type", "application/json")
                            .body(Full::new(Bytes::from(success)))
                            .expect("a response");
                        Ok::<_, std::convert::Infallible>(response)
                    }
                });
                let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    base
}

//! Requests per second through a generated mock server: the RevCent client against
//! `revcent::mock::Server` with a handler registered, both on one tokio current-thread runtime
//! on 127.0.0.1. Each request is routed, read into the spec's types, checked (credential and
//! body), handed to the handler, and its answer checked and written before it is sent; the
//! client validates the request and decodes the answer as usual.
//!
//! Besides requests per second (best and median round), it reports the CPU time of the whole
//! run: client and server share one thread, so that figure holds when other processes take the
//! machine's cores.
//!
//! With `--proxy`, the client talks to the mock through the validation proxy
//! (`revcent::mock::proxy(server.url())`), on the same thread: each request is also routed and
//! checked at the proxy, forwarded, and its answer read and checked there.
//!
//! Run in release: `cargo xtask bench-mock` (`cargo xtask bench-mock --proxy`).

use std::time::{Duration, Instant};

use revcent::client::CreateCustomerResponse;
use revcent::types::{CreateCustomerRequest, CreateCustomerSuccess};
use serde_json::json;

const REQUESTS: usize = 2_000;
const ROUNDS: usize = 10;

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
    runtime.block_on(run());
}

async fn run() {
    let through_proxy = std::env::args().any(|a| a == "--proxy");
    let server = revcent::mock::Server::start().await.expect("a loopback port");
    let success: CreateCustomerSuccess = serde_json::from_value(
        json!({"api_call_id": "a".repeat(20), "code": 1, "customer_id": "c".repeat(20), "result": "ok"}),
    )
    .expect("a valid answer");
    server.on_create_customer(move |_| CreateCustomerResponse::Ok(Box::new(success.clone())));
    let body: CreateCustomerRequest = serde_json::from_value(json!({
        "campaign": "Summer",
        "customer": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"},
        "metadata": [{"name": "source", "value": "bench"}],
    }))
    .expect("a valid request");
    let proxy = if through_proxy {
        Some(revcent::mock::proxy(server.url()).start().await.expect("a loopback port"))
    } else {
        None
    };
    let url = proxy.as_ref().map_or(server.url(), |p| p.url());
    let client = revcent::Client::new(url).expect("a client").with_api_key_auth("key");

    let mut rounds = Vec::new();
    let cpu_start = thread_cpu_ticks();
    // Round 0 warms up the connection and caches.
    for round in 0..=ROUNDS {
        let start = Instant::now();
        for _ in 0..REQUESTS {
            let done = client.create_customer(&body).await.expect("an answer");
            assert_eq!(done.status, 200);
        }
        if round > 0 {
            rounds.push(start.elapsed());
        }
        // The record of every request would grow without bound.
        server.clear_requests();
        if let Some(proxy) = &proxy {
            assert_eq!(proxy.reports(), Vec::new(), "a valid exchange is not reported");
        }
    }
    let cpu = thread_cpu_ticks().zip(cpu_start).map(|(after, before)| after - before);
    rounds.sort();
    let rate = |d: Duration| REQUESTS as f64 / d.as_secs_f64();
    let path = if through_proxy { "its validation proxy and its generated mock" } else { "its generated mock" };
    println!("{REQUESTS} sequential RevCent CreateCustomer requests through {path}, {ROUNDS} rounds");
    println!("best round:   {:.0} requests/s", rate(rounds[0]));
    println!("median round: {:.0} requests/s", rate(rounds[rounds.len() / 2]));
    println!("worst round:  {:.0} requests/s", rate(rounds[rounds.len() - 1]));
    if let Some(ticks) = cpu {
        println!(
            "CPU time of all rounds, {}: {ticks} clock ticks ({:.0} requests per CPU second)",
            if through_proxy { "client, proxy and mock" } else { "client and mock" },
            (REQUESTS * (ROUNDS + 1)) as f64 / (ticks as f64 / 100.0)
        );
    }
}

/// User and system CPU time of this thread so far, in clock ticks (`/proc/thread-self/stat`;
/// `None` where there is no such file). Client and mock run on this one thread.
fn thread_cpu_ticks() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // utime and stime are the 14th and 15th fields; the 3rd is the first after the name.
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some(user + system)
}

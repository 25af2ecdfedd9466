//! The generated clients against a real HTTP server on 127.0.0.1, started by each test: the
//! exact request on the wire (method, path, query, headers, body bytes), and the parsed
//! response for documented statuses, an undocumented status, a malformed body, a slow server
//! and a `429` followed by success.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_runtime::client::{Config, Error};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

/// A request as the server received it.
#[derive(Debug, Clone)]
struct Recorded {
    method: String,
    /// Path and query, as sent.
    target: String,
    /// Header names (lower case) and values, in order, without the ones reqwest adds itself.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// An answer of the script.
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: String,
    delay: Duration,
}

fn reply(status: u16, body: Value) -> Reply {
    Reply { status, headers: vec![("content-type", "application/json")], body: body.to_string(), delay: Duration::ZERO }
}

struct Server {
    base: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Starts a server on 127.0.0.1 that answers each request with the next reply.
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
                            let headers = request
                                .headers()
                                .iter()
                                .filter(|(name, _)| !matches!(name.as_str(), "host" | "content-length"))
                                .map(|(name, value)| (name.to_string(), value.to_str().unwrap_or("?").to_owned()))
                                .collect();
                            let body = request.into_body().collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
                            recorded.lock().unwrap().push(Recorded { method, target, headers, body });
                            let next = script.lock().unwrap().pop_front();
                            let next = next.unwrap_or_else(|| reply(500, json!({"detail": "script exhausted"})));
                            tokio::time::sleep(next.delay).await;
                            let mut response = hyper::Response::builder().status(next.status);
                            for (name, value) in &next.headers {
                                response = response.header(*name, *value);
                            }
                            Ok::<_, std::convert::Infallible>(response.body(Full::new(Bytes::from(next.body))).expect("a response"))
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
}

fn header<'a>(request: &'a Recorded, name: &str) -> Option<&'a str> {
    request.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

fn revcent_request() -> revcent::types::CreateCustomerRequest {
    serde_json::from_value(json!({
        "campaign": "Summer",
        "customer": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"},
        "metadata": [{"name": "source", "value": "test"}],
    }))
    .expect("a valid request")
}

#[tokio::test]
async fn revcent_sends_the_exact_request_and_reads_success_and_default() {
    let success = json!({"api_call_id": "a".repeat(20), "code": 1, "customer_id": "c".repeat(20), "result": "ok"});
    let failure = json!({"code": 0, "error_code": "invalid_email", "message": "bad"});
    let server = Server::start(vec![reply(200, success), reply(400, failure)]).await;
    let client = revcent::Client::new(format!("{}/v2", server.base)).unwrap().with_api_key_auth("key-123");
    let body = revcent_request();

    let ok = client.create_customer(&body).await.expect("a documented response");
    assert_eq!(ok.status, 200);
    match ok.value {
        revcent::client::CreateCustomerResponse::Ok(success) => assert_eq!(success.customer_id.as_deref(), Some("cccccccccccccccccccc")),
        other => panic!("expected Ok, got {other:?}"),
    }
    let error = client.create_customer(&body).await.expect("default is documented");
    assert_eq!(error.status, 400);
    assert!(matches!(error.value, revcent::client::CreateCustomerResponse::Default(ref e) if e.error_code.as_deref() == Some("invalid_email")));

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let first = &requests[0];
    assert_eq!((first.method.as_str(), first.target.as_str()), ("POST", "/v2/customers"));
    assert_eq!(header(first, "x-api-key"), Some("key-123"));
    assert_eq!(header(first, "content-type"), Some("application/json"));
    assert_eq!(header(first, "accept"), Some("application/json"));
    assert_eq!(
        String::from_utf8(first.body.clone()).unwrap(),
        r#"{"campaign":"Summer","customer":{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com"},"metadata":[{"name":"source","value":"test"}]}"#
    );
}

#[tokio::test]
async fn jtl_headers_query_and_every_documented_status() {
    let customer = json!({"Id": 1});
    let server = Server::start(vec![
        reply(400, json!({"ErrorCode": "E1", "ErrorMessage": "bad"})),
        Reply { status: 402, headers: vec![], body: String::new(), delay: Duration::ZERO },
        reply(201, customer),
    ])
    .await;
    let client = jtl::Client::new(&server.base).unwrap().with_bearer_auth("tok");
    let body: jtl::types::CreateCustomer = serde_json::from_value(json!({
        "CustomerGroupId": 1, "LanguageIso": "DE", "InternalCompanyId": 1,
        "BillingAddress": {"City": "Köln", "CountryIso": "DE"},
    }))
    .unwrap();
    let tenant = "123e4567-e89b-12d3-a456-426614174000".parse().unwrap();
    let options = jtl::client::CustomerHeaderCreateCustomerAsyncOptions {
        disable_automatic_workflows: Some(true),
        api_version: Some("1.0".into()),
        ..Default::default()
    };
    let first = client.customer_header_create_customer_async("MyApp/1.0.0", "1.0.0", tenant, &body, options.clone()).await.unwrap();
    assert!(matches!(first.value, jtl::client::CustomerHeaderCreateCustomerAsyncResponse::BadRequest(ref e) if e.error_code.as_deref() == Some("E1")));
    let second = client.customer_header_create_customer_async("MyApp/1.0.0", "1.0.0", tenant, &body, options.clone()).await.unwrap();
    assert!(matches!(second.value, jtl::client::CustomerHeaderCreateCustomerAsyncResponse::PaymentRequired));
    // A 201 whose body is not a Customer: the error keeps everything the server sent.
    match client.customer_header_create_customer_async("MyApp/1.0.0", "1.0.0", tenant, &body, options).await {
        Err(Error::Decode { response, errors }) => {
            assert_eq!(response.status, 201);
            assert_eq!(response.body, br#"{"Id":1}"#);
            assert!(errors.iter().any(|e| e.keyword == "required"), "{errors}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }

    let request = &server.requests()[0];
    assert_eq!(request.target, "/customers?disableAutomaticWorkflows=true");
    let sent: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(n, _)| n != "content-type" && n != "accept")
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(
        sent,
        vec![
            ("api-version", "1.0"),
            ("x-appid", "MyApp/1.0.0"),
            ("x-appversion", "1.0.0"),
            ("x-tenant-id", "123e4567-e89b-12d3-a456-426614174000"),
            ("authorization", "Bearer tok"),
        ]
    );
}

#[tokio::test]
async fn revnue_429_then_created_is_retried_after_retry_after() {
    let created = json!({"id": 7, "name": "Acme"});
    let throttled = Reply {
        status: 429,
        headers: vec![("content-type", "application/json"), ("retry-after", "0")],
        body: json!({"detail": "Request was throttled. Expected available in 0 seconds."}).to_string(),
        delay: Duration::ZERO,
    };
    let server = Server::start(vec![throttled, reply(201, created)]).await;
    let client = revnue::Client::new(&server.base).unwrap().with_bearer_auth("secret-token");
    let body: revnue::types::CreateCustomerRequest = serde_json::from_value(json!({"company": 1, "name": "Acme"})).unwrap();
    let created = client.create_customer(&body).await.unwrap();
    assert!(matches!(created.value, revnue::client::CreateCustomerResponse::Created(ref c) if c.id == Some(7)));
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the 429 is retried once");
    assert_eq!(requests[0].body, requests[1].body);
    assert_eq!(header(&requests[1], "authorization"), Some("Bearer secret-token"));
    // The token is nowhere in the client's Debug output.
    assert!(!format!("{client:?}").contains("secret-token"));
}

#[tokio::test]
async fn an_undocumented_status_keeps_status_headers_and_body() {
    let teapot = Reply { status: 418, headers: vec![("x-reason", "teapot")], body: "short and stout".into(), delay: Duration::ZERO };
    let server = Server::start(vec![teapot]).await;
    let client = simplepin::Client::new(&server.base).unwrap();
    let body = simplepin::types::CcProfileApiV2Model::default();
    let options = simplepin::client::CreateCustomerOptions { locale: Some("fr".into()) };
    match client.create_customer(&body, options).await {
        Err(Error::UnexpectedStatus(response)) => {
            assert_eq!(response.status, 418);
            assert_eq!(response.headers.get("x-reason").unwrap(), "teapot");
            assert_eq!(response.body, b"short and stout");
        }
        other => panic!("expected an unexpected status, got {other:?}"),
    }
    assert_eq!(server.requests()[0].target, "/v2/customer/add?locale=fr");
}

#[tokio::test]
async fn an_invalid_request_never_leaves_the_process() {
    let server = Server::start(vec![]).await;
    let client = pelcro::Client::new(&server.base).unwrap().with_bearer_auth("t");
    // None of email, old_provider_id, display_name: the spec refuses it.
    let body = pelcro::types::CreateCustomerRequest::default();
    match client.create_customer(42, &body).await {
        Err(Error::Invalid(errors)) => assert_eq!(errors.iter().map(|e| e.keyword).collect::<Vec<_>>(), vec!["anyOf"]),
        other => panic!("expected the request to be refused, got {other:?}"),
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn pelcro_query_and_a_documented_status_without_a_body() {
    let server = Server::start(vec![Reply { status: 200, headers: vec![], body: "{\"id\":1}".into(), delay: Duration::ZERO }]).await;
    let client = pelcro::Client::new(&server.base).unwrap().with_bearer_auth("t");
    let body: pelcro::types::CreateCustomerRequest = serde_json::from_value(json!({"email": "a@b.co"})).unwrap();
    let done = client.create_customer(42, &body).await.unwrap();
    assert!(matches!(done.value, pelcro::client::CreateCustomerResponse::Ok));
    // The spec documents no body for 200, but what the server sent is kept.
    assert_eq!(done.body, b"{\"id\":1}");
    assert_eq!(server.requests()[0].target, "/api/v1/core/customers?site_id=42");
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let slow = Reply { status: 201, headers: vec![], body: "{}".into(), delay: Duration::from_secs(3) };
    let server = Server::start(vec![slow]).await;
    let mut config = Config::new(&server.base);
    config.timeout = Duration::from_millis(200);
    let client = revnue::Client::with_config(config).unwrap();
    let body: revnue::types::CreateCustomerRequest = serde_json::from_value(json!({"company": 1, "name": "Acme"})).unwrap();
    match client.create_customer(&body).await {
        Err(Error::Transport(error)) => assert!(error.is_timeout(), "{error}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "a request the server may have seen is not sent again");
}

#[tokio::test]
async fn simplepin_sends_and_reads_xml() {
    let document = "<cc_profile_model><id>5</id><customer_name>Ada</customer_name><main_address><selected>1</selected></main_address><status>REQUIRES_ACTIVATION</status></cc_profile_model>";
    let created = Reply { status: 201, headers: vec![("content-type", "application/xml")], body: document.into(), delay: Duration::ZERO };
    let server = Server::start(vec![created]).await;
    let client = simplepin::Client::new(&server.base).unwrap();
    let body = simplepin::types::CcProfileApiV2Model {
        customer_name: Some("Ada".into()),
        main_address: Some(simplepin::types::AddressApiV2Model { selected: Some(true), ..Default::default() }),
        ..Default::default()
    };
    let done = client.create_customer_xml(&body, Default::default()).await.unwrap();
    match done.value {
        simplepin::client::CreateCustomerResponse::Created(profile) => {
            assert_eq!(profile.id, Some(5));
            assert_eq!(profile.customer_name.as_deref(), Some("Ada"));
            assert_eq!(profile.main_address.and_then(|a| a.selected), Some(true));
        }
        other => panic!("expected Created, got {other:?}"),
    }
    let request = &server.requests()[0];
    assert_eq!(header(request, "content-type"), Some("application/xml"));
    assert_eq!(header(request, "accept"), Some("application/xml"));
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        "<add_update_cc_profile_model><customer_name>Ada</customer_name><main_address><selected>1</selected></main_address></add_update_cc_profile_model>"
    );
}

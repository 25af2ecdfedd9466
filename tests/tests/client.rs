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
                            let body =
                                request.into_body().collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
                            recorded.lock().unwrap().push(Recorded { method, target, headers, body });
                            let next = script.lock().unwrap().pop_front();
                            let next = next.unwrap_or_else(|| reply(500, json!({"detail": "script exhausted"})));
                            tokio::time::sleep(next.delay).await;
                            let mut response = hyper::Response::builder().status(next.status);
                            for (name, value) in &next.headers {
                                response = response.header(*name, *value);
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

    fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

fn header<'a>(request: &'a Recorded, name: &str) -> Option<&'a str> {
    request.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

/// An object of a JTL schema made of its properties' own examples, as the spec gives them.
fn jtl_example(schema: &str) -> Value {
    fn build(doc: &Value, schema: &Value) -> Value {
        let resolve = |s: &Value| match s.get("$ref").and_then(Value::as_str) {
            Some(r) => doc.pointer(r.trim_start_matches('#')).cloned().unwrap_or(Value::Null),
            None => s.clone(),
        };
        let schema = resolve(schema);
        let mut out = serde_json::Map::new();
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            let value = match property.get("example") {
                Some(example) => example.clone(),
                None if property.get("$ref").is_some() => build(doc, property),
                None if property["type"] == "array" => Value::Array(vec![build(doc, &property["items"])]),
                None => continue,
            };
            out.insert(name.clone(), value);
        }
        Value::Object(out)
    }
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/jtl.yaml")).unwrap();
    let doc: Value = serde_yaml::from_str(&text).unwrap();
    build(&doc, &json!({"$ref": format!("#/components/schemas/{schema}")}))
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
        revcent::client::CreateCustomerResponse::Ok(success) => {
            assert_eq!(success.customer_id.as_deref(), Some("cccccccccccccccccccc"))
        }
        other => panic!("expected Ok, got {other:?}"),
    }
    let error = client.create_customer(&body).await.expect("default is documented");
    assert_eq!(error.status, 400);
    assert!(
        matches!(error.value, revcent::client::CreateCustomerResponse::Default(ref e) if e.error_code.as_deref() == Some("invalid_email"))
    );

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
        Reply { status: 401, headers: vec![], body: String::new(), delay: Duration::ZERO },
        reply(201, jtl_example("Customer")),
    ])
    .await;
    let client = jtl::Client::new(&server.base).unwrap().with_bearer_auth("tok");
    let body: jtl::types::CreateCustomer = serde_json::from_value(json!({
        "CustomerGroupId": 1, "LanguageIso": "DE", "InternalCompanyId": 1,
        "BillingAddress": {"City": "Köln", "CountryIso": "DE"},
    }))
    .unwrap();
    let tenant = "123e4567-e89b-12d3-a456-426614174000".parse().unwrap();
    let options = jtl::client::CustomerHeaderCreateCustomerAsyncOptions::default()
        .with_disable_automatic_workflows(true)
        .with_api_version("1.0");
    let first = client
        .customer_header_create_customer_async("MyApp/1.0.0", "1.0.0", tenant, &body, options.clone())
        .await
        .unwrap();
    assert!(
        matches!(first.value, jtl::client::CustomerHeaderCreateCustomerAsyncResponse::BadRequest(ref e) if e.error_code.as_deref() == Some("E1"))
    );
    let second = client
        .customer_header_create_customer_async("MyApp/1.0.0", "1.0.0", tenant, &body, options.clone())
        .await
        .unwrap();
    assert!(matches!(second.value, jtl::client::CustomerHeaderCreateCustomerAsyncResponse::PaymentRequired));
    // A 201 whose body is not a Customer: the error keeps everything the server sent.
    match client.customer_header_create_customer_async("MyApp/1.0.0", "1.0.0", tenant, &body, options.clone()).await {
        Err(Error::Decode { response, errors }) => {
            assert_eq!(response.status, 201);
            assert_eq!(response.body, br#"{"Id":1}"#);
            assert!(errors.iter().any(|e| e.keyword == "required"), "{errors}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    let fourth = client
        .customer_header_create_customer_async("MyApp/1.0.0", "1.0.0", tenant, &body, options.clone())
        .await
        .unwrap();
    assert!(matches!(fourth.value, jtl::client::CustomerHeaderCreateCustomerAsyncResponse::Unauthorized));
    let created =
        client.customer_header_create_customer_async("MyApp/1.0.0", "1.0.0", tenant, &body, options).await.unwrap();
    assert_eq!(created.status, 201);
    match created.value {
        jtl::client::CustomerHeaderCreateCustomerAsyncResponse::Created(c) => {
            // Every field as sent; the date-time is the same instant, written as chrono writes it.
            assert_eq!(c.customer_since.to_rfc3339(), "2023-02-01T13:30:00+00:00");
            let (mut got, mut sent) = (serde_json::to_value(&c).unwrap(), jtl_example("Customer"));
            for value in [&mut got, &mut sent] {
                value.as_object_mut().unwrap().remove("CustomerSince");
            }
            assert_eq!(got, sent);
        }
        other => panic!("expected Created, got {other:?}"),
    }

    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        r#"{"CustomerGroupId":1,"BillingAddress":{"City":"Köln","CountryIso":"DE"},"LanguageIso":"DE","InternalCompanyId":1}"#
    );
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
            // The generated crate and apigen, by default.
            ("user-agent", "jtl/1.0.0 apigen/0.1.0"),
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
    let body: revnue::types::CreateCustomerRequest =
        serde_json::from_value(json!({"company": 1, "name": "Acme"})).unwrap();
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
    let teapot = Reply {
        status: 418,
        headers: vec![("x-reason", "teapot")],
        body: "short and stout".into(),
        delay: Duration::ZERO,
    };
    let server = Server::start(vec![teapot]).await;
    let client = simplepin::Client::new(&server.base).unwrap();
    let body = simplepin::types::CcProfileApiV2Model::default();
    let options = simplepin::client::CreateCustomerOptions::default().with_locale("fr");
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

/// Pointer and keyword of each violation.
fn violations(errors: &apigen_runtime::ValidationErrors) -> Vec<(String, &'static str)> {
    errors.iter().map(|e| (e.pointer.clone(), e.keyword)).collect()
}

#[tokio::test]
async fn an_invalid_request_never_leaves_the_process() {
    let server = Server::start(vec![]).await;
    let client = pelcro::Client::new(&server.base).unwrap().with_bearer_auth("t");
    // None of email, old_provider_id, display_name: the spec refuses it.
    let body = pelcro::types::CreateCustomerRequest::default();
    match client.create_customer(42, &body).await {
        Err(Error::Invalid(errors)) => assert_eq!(violations(&errors), vec![("/body".to_owned(), "anyOf")]),
        other => panic!("expected the request to be refused, got {other:?}"),
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn parameters_and_body_are_checked_together_before_sending() {
    let server = Server::start(vec![]).await;
    let client = jtl::Client::new(&server.base).unwrap();
    // A country code is at most 5 characters; `x-runas` is a number or a UUID.
    let apigen_tests::JtlInvalidCall { body, tenant, options } = apigen_tests::jtl_invalid_call();
    match client.customer_header_create_customer_async("MyApp/1.0.0", "1.0.0", tenant, &body, options).await {
        Err(Error::Invalid(errors)) => assert_eq!(
            violations(&errors),
            vec![
                ("/header/x-runas".to_owned(), "pattern"),
                ("/body/BillingAddress/CountryIso".to_owned(), "maxLength")
            ]
        ),
        other => panic!("expected the request to be refused, got {other:?}"),
    }
    // Turned off, the same request is sent as it is.
    let server = Server::start(vec![reply(201, json!({"Id": 1, "Number": "K1"}))]).await;
    let mut config = Config::new(&server.base);
    config.validate_requests = false;
    let client = jtl::Client::with_config(config).unwrap();
    let options = jtl::client::CustomerHeaderCreateCustomerAsyncOptions::default().with_x_runas("someone");
    let _ = client.customer_header_create_customer_async("MyApp/1.0.0", "1.0.0", tenant, &body, options).await;
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(header(&requests[0], "x-runas"), Some("someone"));
}

/// The parts of a multipart body, the boundary replaced by `B`, after checking the
/// `Content-Type` that names it.
fn multipart_text(request: &Recorded) -> String {
    let content_type = header(request, "content-type").expect("a content type");
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a multipart body");
    String::from_utf8_lossy(&request.body).replace(boundary, "B")
}

#[tokio::test]
async fn pelcro_multipart_sends_each_field_as_a_part_and_the_photo_as_a_file() {
    let server = Server::start(vec![reply(200, json!({})), reply(200, json!({}))]).await;
    let client = pelcro::Client::new(&server.base).unwrap().with_bearer_auth("t");
    let photo = std::env::temp_dir().join(format!("apigen-photo-{}.png", std::process::id()));
    std::fs::write(&photo, b"\x89PNG\r\n").unwrap();
    let mut body: pelcro::types::CreateCustomerForm = serde_json::from_value(
        json!({"email": "ada@example.com", "first_name": "Ada", "metadata": {"plan": "gold"}, "tele_marketing": true}),
    )
    .unwrap();
    body.profile_photo = Some(apigen_runtime::Binary::from_file(&photo).unwrap().with_content_type("image/png"));
    let done = client.create_customer_multipart(42, &body).await.unwrap();
    assert!(matches!(done.value, pelcro::client::CreateCustomerResponse::Ok));
    // From bytes, without a file name or content type: the property's name and the first
    // content type the spec's `encoding` allows.
    body.profile_photo = Some(apigen_runtime::Binary::new(b"\xff\xd8\xff".to_vec()));
    client.create_customer_multipart(42, &body).await.unwrap();
    std::fs::remove_file(&photo).unwrap();

    let requests = server.requests();
    assert_eq!(
        (requests[0].method.as_str(), requests[0].target.as_str()),
        ("POST", "/api/v1/core/customers?site_id=42")
    );
    assert_eq!(header(&requests[0], "authorization"), Some("Bearer t"));
    let file_name = photo.file_name().unwrap().to_str().unwrap();
    // Bytes that are not UTF-8 read as U+FFFD in the text compared.
    const R: char = '\u{fffd}';
    let fields = "--B\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nada@example.com\r\n\
         --B\r\nContent-Disposition: form-data; name=\"first_name\"\r\n\r\nAda\r\n\
         --B\r\nContent-Disposition: form-data; name=\"tele_marketing\"\r\n\r\ntrue\r\n\
         --B\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n{\"plan\":\"gold\"}\r\n";
    assert_eq!(
        multipart_text(&requests[0]),
        format!("{fields}--B\r\nContent-Disposition: form-data; name=\"profile_photo\"; filename=\"{file_name}\"\r\nContent-Type: image/png\r\n\r\n{R}PNG\r\n\r\n--B--\r\n")
    );
    assert!(requests[0].body.windows(6).any(|w| w == b"\x89PNG\r\n"), "the file's bytes as they are");
    assert_eq!(
        multipart_text(&requests[1]),
        format!("{fields}--B\r\nContent-Disposition: form-data; name=\"profile_photo\"; filename=\"profile_photo\"\r\nContent-Type: image/jpeg\r\n\r\n{R}{R}{R}\r\n--B--\r\n")
    );
}

#[tokio::test]
async fn pelcro_multipart_refuses_a_content_type_the_spec_does_not_allow() {
    let server = Server::start(vec![]).await;
    let client = pelcro::Client::new(&server.base).unwrap();
    let body = pelcro::types::CreateCustomerForm::new()
        .with_email("ada@example.com")
        .with_profile_photo(apigen_runtime::Binary::new(b"GIF89a".to_vec()).with_content_type("image/gif"));
    match client.create_customer_multipart(42, &body).await {
        Err(Error::Invalid(errors)) => {
            assert_eq!(violations(&errors), vec![("/body/profile_photo".to_owned(), "contentType")]);
            assert_eq!(
                errors.iter().next().unwrap().message,
                "content type `image/gif` is not one of image/jpeg, image/png"
            );
        }
        other => panic!("expected the request to be refused, got {other:?}"),
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn an_idempotency_key_makes_resending_safe() {
    // With a key: a timeout and a 500 are retried, with the same key and bytes.
    let slow = Reply { status: 201, headers: vec![], body: "{}".into(), delay: Duration::from_secs(3) };
    let created = json!({"id": 7, "name": "Acme"});
    let server = Server::start(vec![slow, reply(500, json!({"detail": "oops"})), reply(201, created)]).await;
    let mut config = Config::new(&server.base);
    config.timeout = Duration::from_millis(300);
    let client = revnue::Client::with_config(config).unwrap();
    let body: revnue::types::CreateCustomerRequest =
        serde_json::from_value(json!({"company": 1, "name": "Acme"})).unwrap();
    let done = client.idempotent("key-1").create_customer(&body).await.unwrap();
    assert!(matches!(done.value, revnue::client::CreateCustomerResponse::Created(ref c) if c.id == Some(7)));
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(header(request, "idempotency-key"), Some("key-1"));
        assert_eq!(request.body, requests[0].body);
    }
    // The client itself carries no key, and without one a 500 is not sent again.
    let server = Server::start(vec![reply(500, json!({"detail": "oops"})), reply(201, json!({}))]).await;
    let client = revnue::Client::new(&server.base).unwrap();
    match client.create_customer(&body).await {
        Err(Error::UnexpectedStatus(response)) => assert_eq!(response.status, 500),
        other => panic!("expected the 500, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
    assert_eq!(header(&server.requests()[0], "idempotency-key"), None);
    // A key that cannot be a header is refused before anything is sent.
    match client.idempotent("a\nb").create_customer(&body).await {
        Err(Error::Request(message)) => {
            assert_eq!(message, "the value of header `idempotency-key` cannot be sent in a header")
        }
        other => panic!("expected the key to be refused, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn revnue_every_documented_status() {
    let detail = |status: u16| reply(status, json!({"detail": format!("status {status}")}));
    let server = Server::start(vec![
        reply(201, json!({"id": 7, "name": "Acme"})),
        detail(400),
        detail(401),
        detail(404),
        detail(405),
        Reply {
            status: 429,
            headers: vec![("content-type", "application/json"), ("retry-after", "3600")],
            body: json!({"detail": "status 429"}).to_string(),
            delay: Duration::ZERO,
        },
    ])
    .await;
    let client = revnue::Client::new(&server.base).unwrap();
    let body: revnue::types::CreateCustomerRequest =
        serde_json::from_value(json!({"company": 1, "name": "Acme"})).unwrap();
    use revnue::client::CreateCustomerResponse as R;
    let mut seen = Vec::new();
    for _ in 0..6 {
        let done = client.create_customer(&body).await.unwrap();
        let detail = match &done.value {
            R::Created(c) => c.name.clone().unwrap_or_default(),
            R::BadRequest(e) | R::Unauthorized(e) | R::NotFound(e) | R::MethodNotAllowed(e) | R::TooManyRequests(e) => {
                e.detail.clone()
            }
        };
        seen.push((done.status.as_u16(), detail));
    }
    assert_eq!(
        seen,
        vec![
            (201, "Acme".to_owned()),
            (400, "status 400".to_owned()),
            (401, "status 401".to_owned()),
            (404, "status 404".to_owned()),
            (405, "status 405".to_owned()),
            // A Retry-After beyond `max_retry_after` ends the retries: the 429 is the answer.
            (429, "status 429".to_owned()),
        ]
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 6);
    assert_eq!((requests[0].method.as_str(), requests[0].target.as_str()), ("POST", "/api/v2/customer"));
    assert_eq!(requests[0].body, br#"{"company":1,"name":"Acme"}"#);
}

#[tokio::test]
async fn simplepin_every_documented_status() {
    let profile = json!({"id": 5, "customer_name": "Ada"});
    let bare = |status: u16| Reply { status, headers: vec![], body: String::new(), delay: Duration::ZERO };
    let server =
        Server::start(vec![reply(200, profile.clone()), reply(201, profile), bare(401), bare(403), bare(404)]).await;
    let client = simplepin::Client::new(&server.base).unwrap();
    let body = simplepin::types::CcProfileApiV2Model::default();
    use simplepin::client::CreateCustomerResponse as R;
    let mut seen = Vec::new();
    for _ in 0..5 {
        let done = client.create_customer(&body, Default::default()).await.unwrap();
        seen.push(match done.value {
            R::Ok(p) => format!("{} Ok {:?}", done.status, p.customer_name),
            R::Created(p) => format!("{} Created {:?}", done.status, p.id),
            R::Unauthorized => format!("{} Unauthorized", done.status),
            R::Forbidden => format!("{} Forbidden", done.status),
            R::NotFound => format!("{} NotFound", done.status),
        });
    }
    assert_eq!(
        seen,
        vec![
            "200 OK Ok Some(\"Ada\")",
            "201 Created Created Some(5)",
            "401 Unauthorized Unauthorized",
            "403 Forbidden Forbidden",
            "404 Not Found NotFound"
        ]
    );
}

#[tokio::test]
async fn pelcro_and_revcent_every_documented_status() {
    let bare = |status: u16| Reply { status, headers: vec![], body: String::new(), delay: Duration::ZERO };
    let server = Server::start(vec![bare(200), bare(400), bare(401)]).await;
    let client = pelcro::Client::new(&server.base).unwrap();
    let body: pelcro::types::CreateCustomerRequest = serde_json::from_value(json!({"email": "a@b.co"})).unwrap();
    use pelcro::client::CreateCustomerResponse as P;
    let mut seen = Vec::new();
    for _ in 0..3 {
        seen.push(client.create_customer(1, &body).await.unwrap().value);
    }
    assert_eq!(seen, vec![P::Ok, P::BadRequest, P::Unauthorized]);
    // RevCent: 200 and, for every other status, `default`, typed the same.
    let failure = json!({"code": 0, "error_code": "unauthorized", "message": "no key"});
    let server = Server::start(vec![reply(401, failure.clone()), reply(503, failure)]).await;
    let mut config = Config::new(format!("{}/v2", server.base));
    config.max_retries = 0;
    let client = revcent::Client::with_config(config).unwrap();
    for status in [401, 503] {
        let done = client.create_customer(&revcent_request()).await.unwrap();
        assert_eq!(done.status, status);
        assert!(
            matches!(done.value, revcent::client::CreateCustomerResponse::Default(ref e) if e.error_code.as_deref() == Some("unauthorized"))
        );
    }
}

#[tokio::test]
async fn pelcro_query_and_a_documented_status_without_a_body() {
    let server =
        Server::start(vec![Reply { status: 200, headers: vec![], body: "{\"id\":1}".into(), delay: Duration::ZERO }])
            .await;
    let client = pelcro::Client::new(&server.base).unwrap().with_bearer_auth("t");
    let body: pelcro::types::CreateCustomerRequest = serde_json::from_value(json!({"email": "a@b.co"})).unwrap();
    let done = client.create_customer(42, &body).await.unwrap();
    assert!(matches!(done.value, pelcro::client::CreateCustomerResponse::Ok));
    // The spec documents no body for 200, but what the server sent is kept.
    assert_eq!(done.body, b"{\"id\":1}");
    let request = &server.requests()[0];
    assert_eq!((request.method.as_str(), request.target.as_str()), ("POST", "/api/v1/core/customers?site_id=42"));
    assert_eq!(header(request, "content-type"), Some("application/json"));
    assert_eq!(header(request, "authorization"), Some("Bearer t"));
    assert_eq!(request.body, br#"{"email":"a@b.co"}"#);
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let slow = Reply { status: 201, headers: vec![], body: "{}".into(), delay: Duration::from_secs(3) };
    let server = Server::start(vec![slow]).await;
    let mut config = Config::new(&server.base);
    config.timeout = Duration::from_millis(200);
    let client = revnue::Client::with_config(config).unwrap();
    let body: revnue::types::CreateCustomerRequest =
        serde_json::from_value(json!({"company": 1, "name": "Acme"})).unwrap();
    match client.create_customer(&body).await {
        Err(Error::Transport(error)) => assert!(error.is_timeout(), "{error}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 1, "a request the server may have seen is not sent again");
}

#[tokio::test]
async fn simplepin_sends_and_reads_xml() {
    let document = "<cc_profile_model><id>5</id><customer_name>Ada</customer_name><main_address><selected>1</selected></main_address><status>REQUIRES_ACTIVATION</status></cc_profile_model>";
    let created = Reply {
        status: 201,
        headers: vec![("content-type", "application/xml")],
        body: document.into(),
        delay: Duration::ZERO,
    };
    let server = Server::start(vec![created]).await;
    let client = simplepin::Client::new(&server.base).unwrap();
    let body = simplepin::types::CcProfileApiV2Model::new()
        .with_customer_name("Ada")
        .with_main_address(simplepin::types::AddressApiV2Model::new().with_selected(true));
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

// The `forms` fixture (tests/fixtures/forms.yaml): form bodies and parameter styles.
use apigen_tests::fixtures::forms;

#[tokio::test]
async fn a_form_urlencoded_body_follows_its_encoding() {
    let server = Server::start(vec![reply(200, json!({"id": "ch_1"}))]).await;
    let client = forms::client::Client::new(&server.base).unwrap();
    let body: forms::types::CreateChargeRequest = serde_json::from_value(json!({
        "amount": 100,
        "currency": "eur",
        "description": "Tea & cake",
        "tags": ["a", "b"],
        "expand": ["customer"],
        "metadata": {"order": "42"},
        "card": {"name": "Ada", "address": {"city": "Berlin", "lines": ["Unter den Linden 1"]}},
    }))
    .unwrap();
    let done = client.create_charge(&body).await.unwrap();
    assert!(matches!(done.value, forms::client::CreateChargeResponse::Ok(ref c) if c.id.as_deref() == Some("ch_1")));
    let request = &server.requests()[0];
    assert_eq!(header(request, "content-type"), Some("application/x-www-form-urlencoded"));
    assert_eq!(
        String::from_utf8(request.body.clone()).unwrap(),
        "amount=100&currency=eur&description=Tea+%26+cake&tags=a&tags=b&expand%5B0%5D=customer&metadata%5Border%5D=42\
         &card%5Bname%5D=Ada&card%5Baddress%5D%5Bcity%5D=Berlin&card%5Baddress%5D%5Blines%5D%5B0%5D=Unter+den+Linden+1"
    );
}

#[tokio::test]
async fn query_parameters_in_every_style() {
    let ok = || Reply { status: 200, headers: vec![], body: String::new(), delay: Duration::ZERO };
    let server = Server::start(vec![ok(), ok()]).await;
    let client = forms::client::Client::new(&server.base).unwrap();
    let options = forms::client::SearchOptions::default()
        .with_filter(serde_json::from_value(json!({"status": "open", "created": {"gte": 5}})).unwrap())
        .with_ids(vec![1, 2])
        .with_words(vec!["tea".into(), "cake".into()])
        .with_flags(vec!["x".into(), "y".into()])
        .with_limit(10);
    client.search("books", options).await.unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/search/books?filter%5Bstatus%5D=open&filter%5Bcreated%5D%5Bgte%5D=5&ids=1%2C2&words=tea+cake&flags=x%7Cy&limit=10"
    );
    // A credential in the query goes last, and never into an error message.
    let client = client.with_query_key("sk_secret");
    client.search("books", Default::default()).await.unwrap();
    assert_eq!(server.requests()[1].target, "/search/books?api_key=sk_secret");
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let unreachable = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let mut config = Config::new(unreachable);
    config.max_retries = 0;
    let offline = forms::client::Client::with_config(config).unwrap().with_query_key("sk_secret");
    match offline.search("books", Default::default()).await {
        Err(error @ Error::Transport(_)) => {
            let shown = format!("{error} / {error:?}");
            assert!(!shown.contains("sk_secret"), "{shown}");
        }
        other => panic!("expected a connection failure, got {other:?}"),
    }
    // Rules of path and query parameters are checked before sending.
    let options = forms::client::SearchOptions::default().with_limit(0);
    match client.search("Books!", options).await {
        Err(Error::Invalid(errors)) => {
            assert_eq!(
                violations(&errors),
                vec![("/path/kind".to_owned(), "pattern"), ("/query/limit".to_owned(), "minimum")]
            )
        }
        other => panic!("expected the request to be refused, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_multipart_body_with_files_arrays_and_objects() {
    let server =
        Server::start(vec![Reply { status: 201, headers: vec![], body: String::new(), delay: Duration::ZERO }]).await;
    let client = forms::client::Client::new(&server.base).unwrap();
    let body = forms::types::UploadDocumentRequest::new(
        apigen_runtime::Binary::new(b"%PDF-1.7".to_vec()).with_file_name("report \"final\".pdf"),
    )
    .with_title("Report")
    .with_pages(3)
    .with_attachments(vec![
        apigen_runtime::Binary::new(b"png".to_vec()).with_file_name("a.png"),
        apigen_runtime::Binary::new(b"jpg".to_vec()).with_file_name("b.jpg").with_content_type("image/jpeg"),
    ])
    .with_labels(vec!["x".into(), "y".into()])
    .with_owner(serde_json::from_value(json!({"name": "Ada"})).unwrap());
    let done = client.upload_document(Some(&body)).await.unwrap();
    assert!(matches!(done.value, forms::client::UploadDocumentResponse::Created));
    assert_eq!(
        multipart_text(&server.requests()[0]),
        "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"report %22final%22.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\r\n\
         --B\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nReport\r\n\
         --B\r\nContent-Disposition: form-data; name=\"pages\"\r\n\r\n3\r\n\
         --B\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\npng\r\n\
         --B\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"b.jpg\"\r\nContent-Type: image/jpeg\r\n\r\njpg\r\n\
         --B\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\nx\r\n\
         --B\r\nContent-Disposition: form-data; name=\"labels\"\r\n\r\ny\r\n\
         --B\r\nContent-Disposition: form-data; name=\"owner\"\r\nContent-Type: application/json\r\n\r\n{\"name\":\"Ada\"}\r\n\
         --B--\r\n"
    );
}

#[tokio::test]
async fn a_body_of_bytes_with_its_media_type() {
    let stored = || Reply { status: 204, headers: vec![], body: String::new(), delay: Duration::ZERO };
    let server = Server::start(vec![stored(), stored()]).await;
    let client = forms::client::Client::new(&server.base).unwrap();
    // Without a content type of its own: the first media type the spec names.
    let done = client.set_avatar(7, &apigen_runtime::Binary::new(b"\x89PNG".to_vec())).await.unwrap();
    assert!(matches!(done.value, forms::client::SetAvatarResponse::NoContent));
    client
        .set_avatar(7, &apigen_runtime::Binary::new(b"\xff\xd8".to_vec()).with_content_type("image/jpeg"))
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!((requests[0].method.as_str(), requests[0].target.as_str()), ("PUT", "/avatars/7"));
    assert_eq!(header(&requests[0], "content-type"), Some("image/png"));
    assert_eq!(requests[0].body, b"\x89PNG");
    assert_eq!(header(&requests[1], "content-type"), Some("image/jpeg"));
    assert_eq!(requests[1].body, b"\xff\xd8");
    // A media type the spec does not offer is refused before sending.
    match client.set_avatar(7, &apigen_runtime::Binary::new(b"GIF".to_vec()).with_content_type("image/gif")).await {
        Err(Error::Invalid(errors)) => assert_eq!(violations(&errors), vec![("/body".to_owned(), "contentType")]),
        other => panic!("expected the request to be refused, got {other:?}"),
    }
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn parameters_named_like_the_methods_own_locals() {
    let server =
        Server::start(vec![Reply { status: 200, headers: vec![], body: String::new(), delay: Duration::ZERO }]).await;
    let client = forms::client::Client::new(&server.base).unwrap();
    let options = forms::client::CollideOptions::default()
        .with_options2("o")
        .with_body2("bb")
        .with_cx2("c")
        .with_v2("v")
        .with_value2("val")
        .with_form2(true);
    let body = forms::types::CollideRequest::new().with_secret("s");
    client.collide("r q", 5, "ctx", &body, options).await.unwrap();
    let request = &server.requests()[0];
    assert_eq!(request.target, "/collide/r%20q?response=5&options=o&body=bb&cx=c&v=v&form=true");
    assert_eq!(header(request, "context"), Some("ctx"));
    assert_eq!(header(request, "value"), Some("val"));
    assert_eq!(request.body, br#"{"secret":"s"}"#);
}

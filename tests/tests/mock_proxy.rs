//! The validation proxy of the generated crates (`mock::proxy`, feature `mock`) between a
//! generated client and a hand-written upstream on loopback: what passes through is unchanged,
//! and every request and answer that breaks the spec is reported with the pointers and
//! keywords the mock (and the client's own validation) uses. Hostile upstreams (garbage, a
//! reset, silence, too large a body) are a `502` and a report, never a panic.

use std::time::Duration;

use apigen_runtime::client::{Config, Error};
use apigen_runtime::mock::{Report, Side};
use apigen_tests::loopback::{Reply, Server};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A client configuration for `url` that sends each request once.
fn config(url: &str) -> Config {
    let mut config = Config::new(url);
    config.max_retries = 0;
    config
}

/// The same, with the client's own validation off: the request goes out as it is.
fn unchecked(url: &str) -> Config {
    let mut config = config(url);
    config.validate_requests = false;
    config
}

/// Side, status and each violation's pointer and keyword of every report.
type Seen = (Side, Option<u16>, Vec<(String, &'static str)>);

fn seen(reports: &[Report]) -> Vec<Seen> {
    reports
        .iter()
        .map(|r| (r.side, r.status, r.violations.iter().map(|v| (v.pointer.clone(), v.keyword)).collect()))
        .collect()
}

fn violations(errors: &apigen_runtime::ValidationErrors) -> Vec<(String, &'static str)> {
    errors.iter().map(|e| (e.pointer.clone(), e.keyword)).collect()
}

/// An upstream that reads a request and answers with `raw`, as it is (not necessarily HTTP),
/// then closes the connection; with `silent`, it answers nothing and keeps the connection open.
async fn raw_upstream(raw: &'static [u8], silent: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = vec![0; 64 * 1024];
                let _ = stream.read(&mut request).await;
                if silent {
                    tokio::time::sleep(Duration::from_secs(30)).await;
                }
                let _ = stream.write_all(raw).await;
            });
        }
    });
    url
}

fn revcent_request() -> revcent::types::CreateCustomerRequest {
    serde_json::from_value(json!({
        "campaign": "Summer",
        "customer": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"},
    }))
    .unwrap()
}

const REVCENT_SUCCESS: &str =
    r#"{ "api_call_id": "aaaaaaaaaaaaaaaaaaaa", "code": 1, "customer_id": "cccccccccccccccccccc", "result": "ok" }"#;

#[tokio::test]
async fn a_valid_exchange_passes_through_unchanged_and_is_not_reported() {
    // The answer's spacing and its extra header would not survive a re-encoding.
    let raw: &'static [u8] = Box::leak(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: r-17\r\ncontent-length: {}\r\n\r\n{REVCENT_SUCCESS}",
            REVCENT_SUCCESS.len()
        )
        .into_bytes()
        .into_boxed_slice(),
    );
    let upstream = raw_upstream(raw, false).await;
    let proxy = revcent::mock::proxy(&upstream).start().await.unwrap();
    let client = revcent::Client::with_config(config(proxy.url())).unwrap().with_api_key_auth("key-123");
    let done = client.create_customer(&revcent_request()).await.unwrap();
    assert_eq!(done.status, 200);
    assert_eq!(done.body, REVCENT_SUCCESS.as_bytes());
    assert_eq!(done.headers.get("x-request-id").unwrap(), "r-17");
    assert!(matches!(done.value, revcent::client::CreateCustomerResponse::Ok(_)));
    assert_eq!(proxy.reports(), Vec::new());

    // What the upstream receives is what the client sent: method, path, query, headers, body.
    let upstream = Server::start(vec![Reply::json(200, serde_json::from_str(REVCENT_SUCCESS).unwrap())]).await;
    let proxy = revcent::mock::proxy(&upstream.base).start().await.unwrap();
    let http = reqwest::Client::new();
    let body =
        br#"{"campaign":"Summer","customer":{"first_name":"Ada","last_name":"Lovelace","email":"ada@example.com"}}"#;
    let answer = http
        .post(format!("{}/customers?trace=1", proxy.url()))
        .header("x-api-key", "key-123")
        .header("content-type", "application/json")
        .header("x-extra", "kept")
        .body(&body[..])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let forwarded = &upstream.requests()[0];
    assert_eq!((forwarded.method.as_str(), forwarded.target.as_str()), ("POST", "/customers?trace=1"));
    assert_eq!(forwarded.body, body);
    assert_eq!(forwarded.header("x-api-key"), Some("key-123"));
    assert_eq!(forwarded.header("x-extra"), Some("kept"));
    assert_eq!(forwarded.header("content-type"), Some("application/json"));
    assert_eq!(proxy.reports(), Vec::new());
}

#[tokio::test]
async fn an_invalid_request_is_reported_with_the_clients_own_pointers_and_forwarded() {
    let upstream = Server::start(vec![Reply::empty(402)]).await;
    let proxy = jtl::mock::proxy(&upstream.base).start().await.unwrap();
    // A country code is at most 5 characters; `x-runas` is a number or a UUID.
    let apigen_tests::JtlInvalidCall { body, tenant, options } = apigen_tests::jtl_invalid_call();
    let checking = jtl::Client::new(proxy.url()).unwrap().with_bearer_auth("tok-s3cr3t");
    let client_side =
        match checking.customer_header_create_customer_async("a", "1", tenant, &body, options.clone()).await {
            Err(Error::Invalid(errors)) => violations(&errors),
            other => panic!("expected the client to refuse the request, got {other:?}"),
        };
    assert_eq!(
        client_side,
        vec![("/header/x-runas".to_owned(), "pattern"), ("/body/BillingAddress/CountryIso".to_owned(), "maxLength")]
    );

    let client = jtl::Client::with_config(unchecked(proxy.url())).unwrap().with_bearer_auth("tok-s3cr3t");
    let done = client.customer_header_create_customer_async("a", "1", tenant, &body, options.clone()).await.unwrap();
    // Forwarded all the same, and the upstream's answer (documented, valid) came back.
    assert_eq!(done.value, jtl::client::CustomerHeaderCreateCustomerAsyncResponse::PaymentRequired);
    assert_eq!(upstream.requests().len(), 1);
    let reports = proxy.reports();
    assert_eq!(seen(&reports), vec![(Side::Request, Some(400), client_side.clone())]);
    assert_eq!(reports[0].operation, Some("CustomerHeader_CreateCustomerAsync"));
    assert_eq!((reports[0].method.as_str(), reports[0].path.as_str()), ("POST", "/customers"));
    assert_eq!(reports[0].violations[1].limit, Some(json!(5)));
    // A report holds no credential.
    assert!(!format!("{reports:?}").contains("tok-s3cr3t"), "{reports:?}");

    // Strict: refused with the mock's own problem body, and not forwarded.
    let strict = jtl::mock::proxy(&upstream.base).strict().start().await.unwrap();
    let client = jtl::Client::with_config(unchecked(strict.url())).unwrap().with_bearer_auth("tok-s3cr3t");
    let done = client.customer_header_create_customer_async("a", "1", tenant, &body, options).await.unwrap();
    assert_eq!(done.status, 400);
    let problem: Value = serde_json::from_slice(&done.body).unwrap();
    assert_eq!(problem["title"], "Invalid request");
    assert_eq!(problem["violations"][1]["pointer"], "/body/BillingAddress/CountryIso");
    assert_eq!(upstream.requests().len(), 1);
    assert_eq!(seen(&strict.reports()), vec![(Side::Request, Some(400), client_side)]);
}

#[tokio::test]
async fn missing_credentials_and_unknown_routes_are_reported_and_forwarded() {
    // RevCent documents every status but 200 as `default`, a JSON error body.
    let unauthorized = json!({"code": 0, "error_code": "unauthorized", "message": "no key"});
    let upstream = Server::start(vec![Reply::json(401, unauthorized), Reply::empty(404), Reply::empty(405)]).await;
    let proxy = revcent::mock::proxy(&upstream.base).start().await.unwrap();
    let http = reqwest::Client::new();
    let sent = http.post(format!("{}/customers", proxy.url())).body("{}").send().await.unwrap();
    assert_eq!(sent.status(), 401);
    let sent = http.get(format!("{}/nowhere", proxy.url())).send().await.unwrap();
    assert_eq!(sent.status(), 404);
    let sent = http.delete(format!("{}/customers", proxy.url())).send().await.unwrap();
    assert_eq!(sent.status(), 405);
    assert_eq!(upstream.requests().len(), 3);
    let reports = proxy.reports();
    assert_eq!(
        seen(&reports),
        vec![
            (Side::Request, Some(401), vec![("/header/x-api-key".to_owned(), "security")]),
            (Side::Request, Some(404), vec![("/path".to_owned(), "path")]),
            (Side::Request, Some(405), vec![("/method".to_owned(), "method")]),
        ]
    );
    assert_eq!(reports[0].operation, Some("CreateCustomer"));
    assert_eq!(reports[1].operation, None);
    assert_eq!(reports[2].violations[0].message, "`/customers` has no `DELETE` operation; it has POST");
}

#[tokio::test]
async fn an_invalid_answer_an_undocumented_status_and_a_wrong_media_type_are_reported() {
    let upstream = Server::start(vec![
        // Both ids must be 20 characters.
        Reply::json(200, json!({"api_call_id": "short", "code": 1, "customer_id": "c", "result": "ok"})),
        Reply { status: 200, content_type: "text/html", body: "<html>down for maintenance</html>".to_owned() },
        // Read as `default`, as the client reads it: a body that is not the error type.
        Reply::json(503, json!({"message": 5})),
    ])
    .await;
    let proxy = revcent::mock::proxy(&upstream.base).start().await.unwrap();
    let client = revcent::Client::with_config(config(proxy.url())).unwrap().with_api_key_auth("key-123");
    // Passed back as it came: the client reads it (and may validate it itself).
    let done = client.create_customer(&revcent_request()).await.unwrap();
    assert_eq!(done.body, br#"{"api_call_id":"short","code":1,"customer_id":"c","result":"ok"}"#);
    match client.create_customer(&revcent_request()).await {
        Err(Error::Decode { response, .. }) => assert_eq!(response.body, b"<html>down for maintenance</html>"),
        other => panic!("expected the HTML to reach the client, got {other:?}"),
    }
    let _ = client.create_customer(&revcent_request()).await;
    assert_eq!(
        seen(&proxy.reports()),
        vec![
            (
                Side::Response,
                Some(200),
                vec![("/body/api_call_id".to_owned(), "minLength"), ("/body/customer_id".to_owned(), "minLength")]
            ),
            (Side::Response, Some(200), vec![("/body".to_owned(), "contentType")]),
            (Side::Response, Some(503), vec![("/body/message".to_owned(), "type")]),
        ]
    );

    // SimplePin documents five statuses and no `default`: a 418 is none of them.
    let upstream = Server::start(vec![Reply::empty(418)]).await;
    let proxy = simplepin::mock::proxy(&upstream.base).start().await.unwrap();
    let client = simplepin::Client::with_config(config(proxy.url())).unwrap();
    let body = simplepin::types::CcProfileApiV2Model::new().with_customer_name("Ada");
    match client.create_customer(&body, Default::default()).await {
        Err(Error::UnexpectedStatus(response)) => assert_eq!(response.status, 418),
        other => panic!("expected the 418 to reach the client, got {other:?}"),
    }
    let reports = proxy.reports();
    assert_eq!(seen(&reports), vec![(Side::Response, Some(418), vec![("/status".to_owned(), "status")])]);
    assert_eq!(reports[0].violations[0].message, "the operation documents no response for status 418");
}

#[tokio::test]
async fn simplepin_xml_both_ways() {
    const PROFILE: &str = "<cc_profile_model><customer_name>Ada</customer_name><id>5</id><main_address><selected>1</selected></main_address><status>REQUIRES_ACTIVATION</status></cc_profile_model>";
    let upstream = Server::start(vec![
        Reply { status: 201, content_type: "application/xml", body: PROFILE.to_owned() },
        Reply {
            status: 201,
            content_type: "application/xml",
            body: PROFILE.replace("<id>", "<customer_since>any day now</customer_since><id>"),
        },
    ])
    .await;
    let proxy = simplepin::mock::proxy(&upstream.base).start().await.unwrap();
    let client = simplepin::Client::with_config(config(proxy.url())).unwrap();
    let body = simplepin::types::CcProfileApiV2Model::new()
        .with_customer_name("Ada")
        .with_main_address(simplepin::types::AddressApiV2Model::new().with_selected(true));
    let options = simplepin::client::CreateCustomerOptions::default().with_locale("fr");
    let created = client.create_customer_xml(&body, options.clone()).await.unwrap();
    assert_eq!(created.body, PROFILE.as_bytes());
    let forwarded = &upstream.requests()[0];
    assert_eq!(forwarded.header("content-type"), Some("application/xml"));
    assert_eq!(proxy.reports(), Vec::new());
    // Read (the client does not validate answers), and refused by the answer check.
    client.create_customer_xml(&body, options).await.unwrap();
    assert_eq!(
        seen(&proxy.reports()),
        vec![(Side::Response, Some(201), vec![("/body/customer_since".to_owned(), "format")])]
    );
}

#[tokio::test]
async fn pelcro_multipart_is_checked_and_forwarded_byte_for_byte() {
    let upstream = Server::start(vec![Reply::empty(200), Reply::empty(200)]).await;
    let proxy = pelcro::mock::proxy(&upstream.base).start().await.unwrap();
    let client = pelcro::Client::with_config(unchecked(proxy.url())).unwrap().with_bearer_auth("tok-s3cr3t");
    let checking = pelcro::Client::new(proxy.url()).unwrap().with_bearer_auth("tok-s3cr3t");
    let mut form: pelcro::types::CreateCustomerForm = serde_json::from_value(json!({"email": "a@b.co"})).unwrap();
    form.profile_photo =
        Some(apigen_runtime::Binary::new(b"\x89PNG\r\n\x00\xff".to_vec()).with_content_type("image/png"));
    assert_eq!(
        client.create_customer_multipart(7, &form).await.unwrap().value,
        pelcro::client::CreateCustomerResponse::Ok
    );
    assert_eq!(proxy.reports(), Vec::new());
    let forwarded = &upstream.requests()[0];
    assert!(forwarded.header("content-type").unwrap().starts_with("multipart/form-data; boundary="));
    assert!(forwarded.body.windows(8).any(|w| w == b"\x89PNG\r\n\x00\xff"));

    // A photo of a type the spec's encoding does not allow.
    form.profile_photo = Some(apigen_runtime::Binary::new(b"GIF89a".to_vec()).with_content_type("image/gif"));
    let client_side = match checking.create_customer_multipart(7, &form).await {
        Err(Error::Invalid(errors)) => violations(&errors),
        other => panic!("expected the client to refuse the request, got {other:?}"),
    };
    assert_eq!(client_side, vec![("/body/profile_photo".to_owned(), "contentType")]);
    client.create_customer_multipart(7, &form).await.unwrap();
    assert_eq!(seen(&proxy.reports()), vec![(Side::Request, Some(400), client_side)]);
    assert_eq!(upstream.requests().len(), 2);
    assert!(!format!("{:?}", proxy.reports()).contains("tok-s3cr3t"));
}

/// RevCent's create-customer request, valid, sent through `proxy` with `query` after its path.
async fn post_customer(proxy: &apigen_runtime::mock::Proxy, query: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/customers{query}", proxy.url()))
        .header("x-api-key", "key-123")
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&revcent_request()).unwrap())
        .send()
        .await
        .unwrap()
}

/// The problem body of the proxy's own `502`.
async fn bad_gateway(proxy: &apigen_runtime::mock::Proxy) -> Value {
    let answer = post_customer(proxy, "").await;
    assert_eq!(answer.status(), 502);
    assert_eq!(answer.headers()["content-type"], "application/problem+json");
    serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap()
}

#[tokio::test]
async fn a_hostile_upstream_is_a_502_and_a_report() {
    // More than the body limit.
    let large: &'static [u8] = Box::leak(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2048\r\n\r\n\"{}\"",
            "x".repeat(2046)
        )
        .into_bytes()
        .into_boxed_slice(),
    );
    let proxy = revcent::mock::proxy(&raw_upstream(large, false).await).max_body_bytes(1024).start().await.unwrap();
    assert_eq!(bad_gateway(&proxy).await["detail"], "the upstream's body is larger than 1024 bytes");
    assert_eq!(seen(&proxy.reports()), vec![(Side::Response, None, vec![("/body".to_owned(), "tooLarge")])]);

    // Not HTTP, a connection closed with no answer, a body cut short, and silence.
    let hostile: [(&'static [u8], bool); 4] = [
        (b"SSH-2.0-OpenSSH_9.6\r\n\r\n", false),
        (b"", false),
        (b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"api", false),
        (b"", true),
    ];
    for (raw, silent) in hostile {
        let upstream = raw_upstream(raw, silent).await;
        // Short for the silent upstream; long for the others, so that a loaded machine cannot
        // turn their failure into a timeout.
        let timeout = Duration::from_millis(if silent { 500 } else { 10_000 });
        let proxy = revcent::mock::proxy(&upstream).timeout(timeout).start().await.unwrap();
        let problem = bad_gateway(&proxy).await;
        assert_eq!(problem["title"], "Bad gateway");
        let reports = proxy.reports();
        assert_eq!(seen(&reports), vec![(Side::Response, None, vec![(String::new(), "upstream")])]);
        let message = &reports[0].violations[0].message;
        let expected = if silent { "the upstream did not answer in time" } else { "the upstream gave no answer" };
        assert!(message.starts_with(expected), "{message}");
        assert_eq!(reports[0].operation, Some("CreateCustomer"));
    }

    // Nobody listening.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", listener.local_addr().unwrap())
    };
    let proxy = revcent::mock::proxy(&closed).start().await.unwrap();
    bad_gateway(&proxy).await;
    assert_eq!(seen(&proxy.reports()), vec![(Side::Response, None, vec![(String::new(), "upstream")])]);

    // Nobody listening, asked with a credential in the query and in the upstream's URL: the
    // report and the `502` name the upstream and the path, never the credentials.
    let with_secrets = closed.replace("http://", "http://ada:pa55w0rd@");
    let proxy = revcent::mock::proxy(&with_secrets).start().await.unwrap();
    let answer = post_customer(&proxy, "?api_key=q-s3cr3t").await;
    assert_eq!(answer.status(), 502);
    let problem = answer.text().await.unwrap();
    let reports = format!("{:?} {proxy:?}", proxy.reports());
    for secret in ["q-s3cr3t", "pa55w0rd", "key-123"] {
        assert!(!problem.contains(secret) && !reports.contains(secret), "{secret} in {problem} or {reports}");
    }
    assert!(problem.contains(&format!("({closed}/customers)")), "{problem}");

    // Not a URL the proxy can forward to.
    let refused = revcent::mock::proxy("ftp://example.com").start().await.unwrap_err();
    assert_eq!(refused.to_string(), "the upstream `ftp://example.com` is not an http(s) URL without query");
}

#[tokio::test]
async fn a_request_over_the_body_limit_is_refused_and_not_forwarded() {
    let upstream = Server::start(Vec::new()).await;
    let proxy = revcent::mock::proxy(&upstream.base).max_body_bytes(16).start().await.unwrap();
    let answer = reqwest::Client::new()
        .post(format!("{}/customers", proxy.url()))
        .header("x-api-key", "key-123")
        .header("content-type", "application/json")
        .body(serde_json::to_vec(&revcent_request()).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 413);
    assert!(upstream.requests().is_empty());
    assert_eq!(seen(&proxy.reports()), vec![(Side::Request, Some(413), vec![("/body".to_owned(), "tooLarge")])]);
    proxy.clear_reports();
    assert_eq!(proxy.reports(), Vec::new());
}

//! Each generated client against its own generated mock (the crates' `mock` feature): every
//! documented status, the vendors' special bodies (RevCent's `code 1` / `code 0`, SimplePin's
//! XML, Pelcro's multipart), requests refused at the mock with the pointers the client's own
//! validation reports, answers refused when they break the spec, routing, recording and faults.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_runtime::client::{Config, Error};
use serde_json::{json, Value};

/// A client configuration for `url` that sends each request once (so a `429` or `503` is the
/// answer, not a reason to retry).
fn config(url: &str) -> Config {
    let mut config = Config::new(url);
    config.max_retries = 0;
    config
}

/// Pointer and keyword of each violation a recorded answer listed.
fn listed(recorded: &apigen_runtime::mock::Recorded) -> Vec<(String, &'static str)> {
    recorded.violations.iter().map(|v| (v.pointer.clone(), v.keyword)).collect()
}

fn violations(errors: &apigen_runtime::ValidationErrors) -> Vec<(String, &'static str)> {
    errors.iter().map(|e| (e.pointer.clone(), e.keyword)).collect()
}

/// The problem body of an answer the client did not expect.
fn problem(error: Error) -> (u16, Value) {
    match error {
        Error::UnexpectedStatus(response) => {
            assert_eq!(response.headers.get("content-type").unwrap(), "application/problem+json");
            (response.status.as_u16(), serde_json::from_slice(&response.body).unwrap())
        }
        other => panic!("expected an undocumented status, got {other:?}"),
    }
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

/// The status and JSON body of an answer, whether the client read it as a documented response,
/// failed to read it as one (a problem body where RevCent documents `default`), or did not
/// expect its status.
fn answered<T: std::fmt::Debug>(result: Result<apigen_runtime::client::Responded<T>, Error>) -> (u16, Value) {
    match result {
        Ok(done) => (done.status.as_u16(), serde_json::from_slice(&done.body).unwrap()),
        Err(Error::Decode { response, .. } | Error::UnexpectedStatus(response)) => {
            (response.status.as_u16(), serde_json::from_slice(&response.body).unwrap())
        }
        Err(other) => panic!("expected an answer, got {other:?}"),
    }
}

fn revcent_request() -> revcent::types::CreateCustomerRequest {
    serde_json::from_value(json!({
        "campaign": "Summer",
        "customer": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com"},
    }))
    .unwrap()
}

#[tokio::test]
async fn revcent_code_1_and_code_0_round_trip() {
    use revcent::client::CreateCustomerResponse as R;
    let server = revcent::mock::Server::start().await.unwrap();
    let success: revcent::types::CreateCustomerSuccess = serde_json::from_value(
        json!({"api_call_id": "a".repeat(20), "code": 1, "customer_id": "c".repeat(20), "result": "ok"}),
    )
    .unwrap();
    let failure: revcent::types::ApiStandardErrors =
        serde_json::from_value(json!({"code": 0, "error_code": "invalid_email", "message": "bad"})).unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = Arc::new(Mutex::new(Vec::new()));
    {
        let (success, failure, calls, seen) = (success.clone(), failure.clone(), calls.clone(), seen.clone());
        server.on_create_customer(move |call| {
            seen.lock().unwrap().push(call.body.clone());
            match calls.fetch_add(1, Ordering::SeqCst) {
                0 => revcent::mock::Reply::new(R::Ok(Box::new(success.clone()))),
                // `default` stands for every status but 200: the reply says which.
                _ => revcent::mock::Reply::new(R::Default(Box::new(failure.clone()))).with_status(422),
            }
        });
    }
    let client = revcent::Client::with_config(config(server.url())).unwrap().with_api_key_auth("key-123");
    let ok = client.create_customer(&revcent_request()).await.unwrap();
    assert_eq!(ok.status, 200);
    assert_eq!(ok.value, R::Ok(Box::new(success)));
    assert_eq!(
        ok.body,
        format!(r#"{{"api_call_id":"{}","code":1,"customer_id":"{}","result":"ok"}}"#, "a".repeat(20), "c".repeat(20))
            .as_bytes()
    );
    let error = client.create_customer(&revcent_request()).await.unwrap();
    assert_eq!(error.status, 422);
    assert_eq!(error.value, R::Default(Box::new(failure)));
    assert_eq!(error.body, br#"{"code":0,"error_code":"invalid_email","message":"bad"}"#);

    // The handler saw the request as sent; the mock recorded both, valid.
    assert_eq!(*seen.lock().unwrap(), vec![revcent_request(), revcent_request()]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].operation, Some("CreateCustomer"));
    assert_eq!((requests[0].method.as_str(), requests[0].path.as_str()), ("POST", "/customers"));
    assert_eq!(requests.iter().map(|r| r.status).collect::<Vec<_>>(), vec![Some(200), Some(422)]);
    assert!(requests.iter().all(|r| r.violations.is_empty()));
    assert_eq!(requests[0].header("x-api-key"), Some("key-123"));
    // The API key is a credential: the record's Debug hides it.
    let shown = format!("{:?}", requests[0]);
    assert!(!shown.contains("key-123") && shown.contains("(\"x-api-key\", \"[redacted]\")"), "{shown}");
}

#[tokio::test]
async fn revnue_every_documented_status() {
    use revnue::client::CreateCustomerResponse as R;
    let server = revnue::mock::Server::start().await.unwrap();
    let detail =
        |text: &str| Box::new(serde_json::from_value::<revnue::types::ErrorDetail>(json!({"detail": text})).unwrap());
    let customer: revnue::types::Customer = serde_json::from_value(json!({"id": 7, "name": "Acme"})).unwrap();
    let answers = vec![
        R::Created(Box::new(customer)),
        R::BadRequest(detail("400")),
        R::Unauthorized(detail("401")),
        R::NotFound(detail("404")),
        R::MethodNotAllowed(detail("405")),
        R::TooManyRequests(detail("429")),
    ];
    let next = Arc::new(Mutex::new(answers.clone()));
    server.on_create_customer(move |_| next.lock().unwrap().remove(0));
    let client = revnue::Client::with_config(config(server.url())).unwrap().with_bearer_auth("tok");
    let body: revnue::types::CreateCustomerRequest =
        serde_json::from_value(json!({"company": 1, "name": "Acme"})).unwrap();
    let mut got = Vec::new();
    for _ in 0..answers.len() {
        let done = client.create_customer(&body).await.unwrap();
        got.push((done.status.as_u16(), done.value));
    }
    let statuses: Vec<u16> = got.iter().map(|(s, _)| *s).collect();
    assert_eq!(statuses, vec![201, 400, 401, 404, 405, 429]);
    assert_eq!(got.into_iter().map(|(_, v)| v).collect::<Vec<_>>(), answers);
}

#[tokio::test]
async fn jtl_every_documented_status_with_headers_and_query() {
    use jtl::client::CustomerHeaderCreateCustomerAsyncResponse as R;
    let server = jtl::mock::Server::start().await.unwrap();
    // The spec's own `Birthday` example (`1985-01-01T`) is not a date-time: the mock would
    // refuse to send it (see `the_spec_example_is_checked_too`).
    let mut example = jtl_example("Customer");
    example["Birthday"] = json!("1985-01-01T00:00:00Z");
    let customer: jtl::types::Customer = serde_json::from_value(example).unwrap();
    let error: jtl::types::ErrorResponse =
        serde_json::from_value(json!({"ErrorCode": "E1", "ErrorMessage": "bad"})).unwrap();
    let answers =
        vec![R::Created(Box::new(customer)), R::BadRequest(Box::new(error)), R::Unauthorized, R::PaymentRequired];
    let next = Arc::new(Mutex::new(answers.clone()));
    let calls = Arc::new(Mutex::new(Vec::new()));
    {
        let calls = calls.clone();
        server.on_customer_header_create_customer_async(move |call| {
            calls.lock().unwrap().push(call.clone());
            next.lock().unwrap().remove(0)
        });
    }
    let client = jtl::Client::with_config(config(server.url())).unwrap().with_bearer_auth("tok");
    let body: jtl::types::CreateCustomer = serde_json::from_value(json!({
        "CustomerGroupId": 1, "LanguageIso": "DE", "InternalCompanyId": 1,
        "BillingAddress": {"City": "Köln", "CountryIso": "DE"},
    }))
    .unwrap();
    let tenant = "123e4567-e89b-12d3-a456-426614174000".parse().unwrap();
    let options = jtl::client::CustomerHeaderCreateCustomerAsyncOptions::default()
        .with_disable_automatic_workflows(true)
        .with_api_version("1.0");
    let mut got = Vec::new();
    for _ in 0..answers.len() {
        got.push(
            client
                .customer_header_create_customer_async("MyApp/1.0.0", "1.0.0", tenant, &body, options.clone())
                .await
                .unwrap()
                .value,
        );
    }
    assert_eq!(got, answers);
    // The parameters, read into their types.
    let call = calls.lock().unwrap()[0].clone();
    assert_eq!(call.x_appid, "MyApp/1.0.0");
    assert_eq!(call.x_appversion, "1.0.0");
    assert_eq!(call.x_tenant_id, tenant);
    assert_eq!(call.disable_automatic_workflows, Some(true));
    assert_eq!(call.api_version.as_deref(), Some("1.0"));
    assert_eq!(call.x_runas, None);
    assert_eq!(call.body, body);
}

#[tokio::test]
async fn pelcro_every_documented_status_and_a_multipart_round_trip() {
    use pelcro::client::CreateCustomerResponse as R;
    use pelcro::mock::CreateCustomerBody;
    let server = pelcro::mock::Server::start().await.unwrap();
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let next = Arc::new(Mutex::new(vec![R::Ok, R::BadRequest, R::Unauthorized, R::Ok]));
    {
        let bodies = bodies.clone();
        server.on_create_customer(move |call| {
            assert_eq!(call.site_id, 42);
            bodies.lock().unwrap().push(call.body.clone());
            next.lock().unwrap().remove(0)
        });
    }
    let client = pelcro::Client::with_config(config(server.url())).unwrap().with_bearer_auth("t");
    let json_body: pelcro::types::CreateCustomerRequest = serde_json::from_value(json!({"email": "a@b.co"})).unwrap();
    let mut got = Vec::new();
    for _ in 0..3 {
        got.push(client.create_customer(42, &json_body).await.unwrap().value);
    }
    assert_eq!(got, vec![R::Ok, R::BadRequest, R::Unauthorized]);

    // Multipart: every field a part, the photo a file with its name, type and exact bytes.
    let mut form: pelcro::types::CreateCustomerForm = serde_json::from_value(json!({
        "email": "ada@example.com", "first_name": "Ada", "metadata": {"plan": "gold"}, "tele_marketing": true,
    }))
    .unwrap();
    form.profile_photo = Some(
        apigen_runtime::Binary::new(b"\x89PNG\r\n\x00\xff".to_vec())
            .with_file_name("me.png")
            .with_content_type("image/png"),
    );
    let done = client.create_customer_multipart(42, &form).await.unwrap();
    assert_eq!(done.value, R::Ok);
    let bodies = bodies.lock().unwrap();
    assert_eq!(bodies[0], CreateCustomerBody::Json(Box::new(json_body)));
    assert_eq!(bodies[3], CreateCustomerBody::Multipart(Box::new(form)));
}

#[tokio::test]
async fn simplepin_xml_round_trips_and_every_documented_status() {
    use simplepin::client::CreateCustomerResponse as R;
    let server = simplepin::mock::Server::start().await.unwrap();
    let profile: simplepin::types::CcProfileV2Model = serde_json::from_value(
        json!({"id": 5, "customer_name": "Ada", "main_address": {"selected": true}, "status": "REQUIRES_ACTIVATION"}),
    )
    .unwrap();
    let answers = vec![
        R::Created(Box::new(profile.clone())),
        R::Ok(Box::new(profile)),
        R::Unauthorized,
        R::Forbidden,
        R::NotFound,
    ];
    let next = Arc::new(Mutex::new(answers.clone()));
    let bodies = Arc::new(Mutex::new(Vec::new()));
    {
        let bodies = bodies.clone();
        server.on_create_customer(move |call| {
            bodies.lock().unwrap().push((call.body.clone(), call.locale.clone()));
            next.lock().unwrap().remove(0)
        });
    }
    let client = simplepin::Client::with_config(config(server.url())).unwrap();
    let body = simplepin::types::CcProfileApiV2Model::new()
        .with_customer_name("Ada")
        .with_main_address(simplepin::types::AddressApiV2Model::new().with_selected(true));
    // XML out, XML back: the client asks for XML, and the mock answers in it.
    let created = client
        .create_customer_xml(&body, simplepin::client::CreateCustomerOptions::default().with_locale("fr"))
        .await
        .unwrap();
    assert_eq!(created.headers.get("content-type").unwrap(), "application/xml");
    assert_eq!(created.value, answers[0]);
    assert_eq!(
        String::from_utf8(created.body).unwrap(),
        "<cc_profile_model><customer_name>Ada</customer_name><id>5</id><main_address><selected>1</selected></main_address><status>REQUIRES_ACTIVATION</status></cc_profile_model>"
    );
    let request = &server.requests()[0];
    assert_eq!(request.header("content-type"), Some("application/xml"));
    assert_eq!(bodies.lock().unwrap()[0], (body.clone(), Some("fr".to_owned())));
    // The other statuses, as JSON.
    let mut got = vec![created.value];
    for _ in 1..answers.len() {
        got.push(client.create_customer(&body, Default::default()).await.unwrap().value);
    }
    assert_eq!(got, answers);
}

#[tokio::test]
async fn the_spec_example_is_checked_too() {
    // Without a handler, SimplePin's 200 is answered from the spec's example, which is checked
    // like any answer: its `customer_since` is a mask, not a date-time, so the mock refuses it.
    let server = simplepin::mock::Server::start().await.unwrap();
    let client = simplepin::Client::new(server.url()).unwrap();
    let (status, problem) =
        answered(client.create_customer(&simplepin::types::CcProfileApiV2Model::default(), Default::default()).await);
    assert_eq!(status, 500);
    assert_eq!(
        problem["violations"],
        json!([{"pointer": "/body/customer_since", "keyword": "format", "limit": "date-time", "message": "is not a valid date-time"}])
    );
}

#[tokio::test]
async fn without_a_handler_or_an_example_the_mock_answers_with_a_generated_value() {
    // RevCent's spec has no examples; this crate builds it with the `arbitrary` feature
    // (tests/arbitrary.rs), so the mock answers with a generated value of the 200 response,
    // which it checked before sending and the client reads as the `Ok` variant. (Without the
    // feature the answer is a 501 problem saying there is no value to send.)
    let server = revcent::mock::Server::start().await.unwrap();
    let client = revcent::Client::with_config(config(server.url())).unwrap().with_api_key_auth("k");
    match client.create_customer(&revcent_request()).await {
        Ok(responded) => match responded.value {
            revcent::client::CreateCustomerResponse::Ok(success) => {
                assert_eq!(revcent::Validate::validate(&*success), Ok(()))
            }
            other => panic!("not the 200 answer: {other:?}"),
        },
        Err(e) => panic!("{e}"),
    }
}

#[tokio::test]
async fn an_invalid_request_is_refused_with_the_clients_own_pointers() {
    let server = jtl::mock::Server::start().await.unwrap();
    // A country code is at most 5 characters; `x-runas` is a number or a UUID.
    let apigen_tests::JtlInvalidCall { body, tenant, options } = apigen_tests::jtl_invalid_call();
    let checking = jtl::Client::new(server.url()).unwrap().with_bearer_auth("t");
    let client_side =
        match checking.customer_header_create_customer_async("a", "1", tenant, &body, options.clone()).await {
            Err(Error::Invalid(errors)) => violations(&errors),
            other => panic!("expected the client to refuse the request, got {other:?}"),
        };
    assert_eq!(
        client_side,
        vec![("/header/x-runas".to_owned(), "pattern"), ("/body/BillingAddress/CountryIso".to_owned(), "maxLength")]
    );
    assert!(server.requests().is_empty());

    let mut unchecked = config(server.url());
    unchecked.validate_requests = false;
    let client = jtl::Client::with_config(unchecked).unwrap().with_bearer_auth("t");
    // The 400 is documented (an `ErrorResponse`), which the problem body also reads as.
    let done = client.customer_header_create_customer_async("a", "1", tenant, &body, options).await.unwrap();
    assert_eq!(done.status, 400);
    let problem: Value = serde_json::from_slice(&done.body).unwrap();
    assert_eq!(problem["title"], "Invalid request");
    assert_eq!(problem["detail"], "the request breaks the spec in 2 places");
    assert_eq!(problem["violations"][1]["pointer"], "/body/BillingAddress/CountryIso");
    assert_eq!(problem["violations"][1]["limit"], 5);
    assert_eq!(listed(&server.requests()[0]), client_side);
}

#[tokio::test]
async fn pelcro_conditional_rules_and_file_types_are_checked_at_the_mock() {
    let server = pelcro::mock::Server::start().await.unwrap();
    let mut unchecked = config(server.url());
    unchecked.validate_requests = false;
    let client = pelcro::Client::with_config(unchecked).unwrap().with_bearer_auth("t");
    let checking = pelcro::Client::new(server.url()).unwrap().with_bearer_auth("t");
    // None of email, old_provider_id, display_name: the spec's anyOf refuses it.
    let empty = pelcro::types::CreateCustomerRequest::default();
    let client_side = match checking.create_customer(1, &empty).await {
        Err(Error::Invalid(errors)) => violations(&errors),
        other => panic!("expected the client to refuse the request, got {other:?}"),
    };
    assert_eq!(
        client.create_customer(1, &empty).await.unwrap().value,
        pelcro::client::CreateCustomerResponse::BadRequest
    );
    assert_eq!(listed(&server.requests()[0]), client_side);
    assert_eq!(client_side, vec![("/body".to_owned(), "anyOf")]);

    // A photo of a type the spec's encoding does not allow, in a multipart body.
    let mut form: pelcro::types::CreateCustomerForm = serde_json::from_value(json!({"email": "a@b.co"})).unwrap();
    form.profile_photo = Some(apigen_runtime::Binary::new(b"GIF89a".to_vec()).with_content_type("image/gif"));
    let client_side = match checking.create_customer_multipart(1, &form).await {
        Err(Error::Invalid(errors)) => violations(&errors),
        other => panic!("expected the client to refuse the request, got {other:?}"),
    };
    assert_eq!(client.create_customer_multipart(1, &form).await.unwrap().status, 400);
    assert_eq!(listed(&server.requests()[1]), client_side);
    assert_eq!(client_side, vec![("/body/profile_photo".to_owned(), "contentType")]);
}

#[tokio::test]
async fn missing_credentials_parameters_and_unparsable_bodies() {
    let server = pelcro::mock::Server::start().await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/api/v1/core/customers", server.url());
    // No credential: refused before anything else is read.
    let answer =
        http.post(&url).header("content-type", "application/json").body(r#"{"email": 5}"#).send().await.unwrap();
    assert_eq!(answer.status(), 401);
    assert_eq!(answer.headers()["content-type"], "application/problem+json");
    let problem: Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(
        problem,
        json!({
            "type": "about:blank",
            "title": "Unauthorized",
            "status": 401,
            "detail": "the request does not meet the operation's security requirement",
            "violations": [
                {"pointer": "/header/authorization", "keyword": "security", "message": "the request carries no credential of the security scheme `bearerAuth`"},
            ],
        })
    );
    let answer = http
        .post(&url)
        .bearer_auth("t")
        .header("content-type", "application/json")
        .body(r#"{"email": 5}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    assert_eq!(answer.headers()["content-type"], "application/problem+json");
    let problem: Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(
        problem["violations"],
        json!([
            {"pointer": "/query/site_id", "keyword": "required", "message": "the required query parameter `site_id` is missing"},
            {"pointer": "/body/email", "keyword": "type", "message": "invalid type: integer `5`, expected a string"},
        ])
    );
    let answer = http
        .post(format!("{url}?site_id=x"))
        .bearer_auth("t")
        .header("content-type", "text/plain")
        .body("hi")
        .send()
        .await
        .unwrap();
    let problem: Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(
        problem["violations"],
        json!([
            {"pointer": "/query/site_id", "keyword": "type", "message": "invalid type: string \"x\", expected i32"},
            {"pointer": "/body", "keyword": "contentType", "message": "the body's media type `text/plain` is not one the operation takes (application/json, multipart/form-data)"},
        ])
    );
}

#[tokio::test]
async fn an_answer_that_breaks_the_spec_is_a_500() {
    use revcent::client::CreateCustomerResponse as R;
    let server = revcent::mock::Server::start().await.unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    server.on_create_customer(move |_| match calls.fetch_add(1, Ordering::SeqCst) {
        // A customer id is 20 characters.
        0 => {
            revcent::mock::Reply::new(R::Ok(Box::new(serde_json::from_value(json!({"customer_id": "short"})).unwrap())))
        }
        // 200 is the `Ok` response: `default` cannot be sent with it.
        _ => revcent::mock::Reply::new(R::Default(Box::default())).with_status(200),
    });
    let client = revcent::Client::with_config(config(server.url())).unwrap().with_api_key_auth("k");
    for expected in [("/body/customer_id", "minLength"), ("/status", "status")] {
        let (status, problem) = answered(client.create_customer(&revcent_request()).await);
        assert_eq!(status, 500);
        assert_eq!(problem["title"], "Invalid answer");
        assert_eq!(problem["violations"][0]["pointer"], expected.0);
        assert_eq!(problem["violations"][0]["keyword"], expected.1);
    }
    let (_, problem) = answered(client.create_customer(&revcent_request()).await);
    assert_eq!(problem["violations"][0]["message"], "the client reads status 200 as another response than `Default`");
}

#[tokio::test]
async fn unknown_paths_and_methods() {
    let server = revnue::mock::Server::start().await.unwrap();
    let http = reqwest::Client::new();
    let answer = http.get(format!("{}/api/v2/customer", server.url())).send().await.unwrap();
    assert_eq!(answer.status(), 405);
    assert_eq!(answer.headers()["allow"], "POST");
    let problem: Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(problem["detail"], "`/api/v2/customer` has no `GET` operation; it has POST");
    let answer = http.post(format!("{}/api/v2/nothing", server.url())).send().await.unwrap();
    assert_eq!(answer.status(), 404);
    let recorded = server.requests();
    assert_eq!(
        recorded.iter().map(|r| (r.operation, r.status)).collect::<Vec<_>>(),
        vec![(None, Some(405)), (None, Some(404))]
    );
}

#[tokio::test]
async fn faults_on_demand() {
    let server = revnue::mock::Server::start().await.unwrap();
    server.on_create_customer(|call| {
        revnue::client::CreateCustomerResponse::Created(Box::new(
            serde_json::from_value(json!({"id": 1, "name": call.body.name})).unwrap(),
        ))
    });
    let body: revnue::types::CreateCustomerRequest =
        serde_json::from_value(json!({"company": 1, "name": "Acme"})).unwrap();

    // A status with Retry-After, sent as it is (a fault is not checked against the spec).
    server.fault(revnue::mock::Fault::status(503).with_retry_after(7));
    let client = revnue::Client::with_config(config(server.url())).unwrap().with_bearer_auth("t");
    match client.create_customer(&body).await {
        Err(Error::UnexpectedStatus(response)) => {
            assert_eq!(response.status, 503);
            assert_eq!(response.headers.get("retry-after").unwrap(), "7");
        }
        other => panic!("expected the 503, got {other:?}"),
    }
    // The client retries a 503 after its Retry-After: the fault is spent, the next answer is the handler's.
    server.fault(revnue::mock::Fault::status(503).with_retry_after(0));
    let retrying = revnue::Client::new(server.url()).unwrap().with_bearer_auth("t");
    assert_eq!(retrying.create_customer(&body).await.unwrap().status, 201);

    // A reset connection.
    server.fault(revnue::mock::Fault::reset());
    match client.create_customer(&body).await {
        Err(Error::Transport(_)) => {}
        other => panic!("expected a transport error, got {other:?}"),
    }
    // A delay beyond the client's timeout: recorded on arrival, never answered (the client
    // hung up first).
    server.fault(revnue::mock::Fault::delay(Duration::from_secs(1)));
    let mut slow = config(server.url());
    slow.timeout = Duration::from_millis(200);
    let impatient = revnue::Client::with_config(slow).unwrap().with_bearer_auth("t");
    match impatient.create_customer(&body).await {
        Err(Error::Transport(error)) => assert!(error.is_timeout(), "{error}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    let statuses: Vec<Option<u16>> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, vec![Some(503), Some(503), Some(201), None, None]);
    server.clear_requests();
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn problem_bodies_reach_callers_of_undocumented_statuses() {
    // RevNue documents no 500: an answer refused by the mock reaches the client as an
    // undocumented status, with the problem body.
    let server = revnue::mock::Server::start().await.unwrap();
    server.on_create_customer(|_| {
        revnue::mock::Reply::new(revnue::client::CreateCustomerResponse::NotFound(Box::new(
            serde_json::from_value(json!({"detail": "gone"})).unwrap(),
        )))
        .with_status(200)
    });
    let client = revnue::Client::with_config(config(server.url())).unwrap().with_bearer_auth("t");
    let body: revnue::types::CreateCustomerRequest =
        serde_json::from_value(json!({"company": 1, "name": "Acme"})).unwrap();
    let (status, problem) = problem(client.create_customer(&body).await.unwrap_err());
    assert_eq!(status, 500);
    assert_eq!(problem["violations"][0]["message"], "the client reads status 200 as another response than `NotFound`");
}

// The `mocked` fixture (tests/fixtures/mocked.yaml): parameters, a form body, examples.
use apigen_tests::fixtures::mocked;

#[tokio::test]
async fn parameters_are_read_as_their_style_says_and_examples_answer() {
    let server = mocked::mock::Server::start().await.unwrap();
    let client = mocked::client::Client::with_config(config(server.url())).unwrap().with_api_key("k");
    let options =
        mocked::client::GetThingOptions::default().with_tags(vec!["a".to_owned(), "b".to_owned()]).with_limit(5);
    // No handler: the 200's `examples` entry, through its `$ref`.
    let done = client.get_thing(3, options.clone()).await.unwrap();
    assert_eq!(done.body, br#"{"id":7,"name":"seven"}"#);
    let recorded = &server.requests()[0];
    assert_eq!(recorded.query.as_deref(), Some("tags=a%2Cb&limit=5&api_key=k"));
    assert_eq!(recorded.status, Some(200));
    // A concrete path wins over the template that also matches it; its answer is the
    // schema's own example.
    let mine = client.get_mine().await.unwrap();
    assert_eq!(mine.body, br#"{"id":1,"name":"mine"}"#);
    assert_eq!(server.requests()[1].operation, Some("getMine"));

    // The handler gets the parameters typed; a range answers with the status it is given.
    let calls = Arc::new(Mutex::new(Vec::new()));
    {
        let calls = calls.clone();
        server.on_get_thing(move |call| {
            calls.lock().unwrap().push((call.id, call.tags.clone(), call.limit, call.x_trace.clone()));
            let problem: mocked::types::Problem = serde_json::from_value(json!({"detail": "teapot"})).unwrap();
            mocked::mock::Reply::new(mocked::client::GetThingResponse::Status4xx(Box::new(problem))).with_status(418)
        });
    }
    let done = client.get_thing(3, options.with_x_trace("beef")).await.unwrap();
    assert_eq!(done.status, 418);
    assert_eq!(
        *calls.lock().unwrap(),
        vec![(3, Some(vec!["a".to_owned(), "b".to_owned()]), Some(5), Some("beef".to_owned()))]
    );

    // Every rule of every parameter at once (a missing key is a 401 of its own).
    let http = reqwest::Client::new();
    let answer = http
        .get(format!("{}/things/0?tags=a,b,c&limit=500&api_key=k", server.url()))
        .header("x-trace", "XYZ")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let problem: Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    let pointers: Vec<(&str, &str)> = problem["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["pointer"].as_str().unwrap(), v["keyword"].as_str().unwrap()))
        .collect();
    assert_eq!(
        pointers,
        vec![
            ("/path/id", "minimum"),
            ("/query/tags", "maxItems"),
            ("/query/limit", "maximum"),
            ("/header/x-trace", "pattern"),
        ]
    );
}

#[tokio::test]
async fn a_form_urlencoded_body_is_read_into_its_type() {
    let server = mocked::mock::Server::start().await.unwrap();
    let bodies = Arc::new(Mutex::new(Vec::new()));
    {
        let bodies = bodies.clone();
        server.on_create_thing(move |call| {
            bodies.lock().unwrap().push(call.body.clone());
            mocked::client::CreateThingResponse::Created
        });
    }
    let client = mocked::client::Client::new(server.url()).unwrap();
    let body: mocked::types::CreateThingRequest =
        serde_json::from_value(json!({"name": "tea", "count": 2, "tags": ["x", "y"]})).unwrap();
    assert_eq!(client.create_thing(&body).await.unwrap().status, 201);
    assert_eq!(*bodies.lock().unwrap(), vec![body]);
    let http = reqwest::Client::new();
    let answer = http
        .post(format!("{}/things", server.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("name=teapots&count=-1")
        .send()
        .await
        .unwrap();
    let problem: Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(problem["violations"][0]["pointer"], "/body/name");
    assert_eq!(problem["violations"][1]["pointer"], "/body/count");
}

/// Sends `GET path` to the mock with the credentials asked for, and returns the status and,
/// for a refusal, the problem's detail and violations.
async fn secured(server: &mocked::mock::Server, path: &str, key: bool, session: bool, bearer: bool) -> (u16, Value) {
    let mut url = format!("{}{path}", server.url());
    if key {
        url.push_str("?api_key=k");
    }
    let mut request = reqwest::Client::new().get(url);
    if session {
        request = request.header("cookie", "theme=dark; session=s");
    }
    if bearer {
        request = request.bearer_auth("t");
    }
    let answer = request.send().await.unwrap();
    let status = answer.status().as_u16();
    let bytes = answer.bytes().await.unwrap();
    if bytes.is_empty() {
        return (status, Value::Null);
    }
    let problem: Value = serde_json::from_slice(&bytes).unwrap();
    (status, json!([problem["detail"], problem["violations"]]))
}

#[tokio::test]
async fn security_requirements_are_alternatives_of_schemes_all_needed() {
    let server = mocked::mock::Server::start().await.unwrap();
    let no_key = json!({"pointer": "/query/api_key", "keyword": "security", "message": "the security requirement `apiKey` and `session` is not met: the request carries no credential of `apiKey`"});
    let no_session = json!({"pointer": "/cookie/session", "keyword": "security", "message": "the security requirement `apiKey` and `session` is not met: the request carries no credential of `session`"});
    let neither = json!({"pointer": "/query/api_key", "keyword": "security", "message": "the security requirement `apiKey` and `session` is not met: the request carries no credential of `apiKey` and `session`"});
    let no_bearer = json!({"pointer": "/header/authorization", "keyword": "security", "message": "the request carries no credential of the security scheme `bearer`"});
    let one = "the request does not meet the operation's security requirement";
    let two = "the request meets none of the operation's 2 security requirements";

    // AND: the key and the session, both.
    assert_eq!(secured(&server, "/secure/both", true, true, false).await, (204, Value::Null));
    assert_eq!(secured(&server, "/secure/both", true, false, true).await, (401, json!([one, [no_session]])));
    assert_eq!(secured(&server, "/secure/both", false, true, false).await, (401, json!([one, [no_key]])));
    assert_eq!(secured(&server, "/secure/both", false, false, false).await, (401, json!([one, [neither]])));

    // OR: the key and the session, or a bearer token.
    assert_eq!(secured(&server, "/secure/either", true, true, false).await, (204, Value::Null));
    assert_eq!(secured(&server, "/secure/either", false, false, true).await, (204, Value::Null));
    assert_eq!(
        secured(&server, "/secure/either", true, false, false).await,
        (401, json!([two, [no_session, no_bearer]]))
    );
    assert_eq!(
        secured(&server, "/secure/either", false, false, false).await,
        (401, json!([two, [neither, no_bearer]]))
    );

    // `{}`: a token if the caller has one, anyone otherwise.
    assert_eq!(secured(&server, "/secure/optional", false, false, false).await, (204, Value::Null));
    assert_eq!(secured(&server, "/secure/optional", false, false, true).await, (204, Value::Null));

    // The root's requirement, inherited; and replaced by `security: []`.
    assert_eq!(secured(&server, "/secure/root", false, false, true).await, (204, Value::Null));
    assert_eq!(secured(&server, "/secure/root", true, true, false).await, (401, json!([one, [no_bearer]])));
    assert_eq!(secured(&server, "/things/mine", false, false, false).await.0, 200);

    // The generated client sends what it was given; the mock lets the call through.
    let client = mocked::client::Client::with_config(config(server.url())).unwrap().with_bearer("t");
    assert_eq!(client.get_either().await.unwrap().status, 204);
    let refused = mocked::client::Client::with_config(config(server.url())).unwrap().with_api_key("k");
    match refused.get_either().await {
        Err(Error::UnexpectedStatus(answer)) => assert_eq!(answer.status, 401),
        other => panic!("expected the mock to refuse the call with 401, got {other:?}"),
    }
}

#[tokio::test]
async fn deep_object_leaves_are_read_by_the_parameters_schema() {
    let server = mocked::mock::Server::start().await.unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    {
        let seen = seen.clone();
        server.on_search(move |call| {
            seen.lock().unwrap().push(serde_json::to_value(&call.filter).unwrap());
            mocked::mock::Reply::new(mocked::client::SearchResponse::NoContent)
        });
    }
    let http = reqwest::Client::new();
    // A name of digits stays a string; the count and the flag are read as the schema says.
    let url = format!("{}/search?filter[name]=5&filter[count]=3&filter[exact]=true", server.url());
    assert_eq!(http.get(url).send().await.unwrap().status(), 204);
    assert_eq!(*seen.lock().unwrap(), vec![json!({"name": "5", "count": 3, "exact": true})]);
    // A count that is not a number is refused at its pointer.
    let answer = http.get(format!("{}/search?filter[count]=many", server.url())).send().await.unwrap();
    assert_eq!(answer.status(), 400);
    let problem: Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(problem["violations"][0]["pointer"], "/query/filter/count");
}

//! What lowering decides for operations, on the wire: every name of the client distinct
//! (`tests/fixtures/names.yaml`: methods, body forms, credential setters and fields, options
//! fields), path templates checked against their parameters and response arms ordered by
//! specificity (`tests/fixtures/paths.yaml`). Each test would have failed, or not compiled,
//! before the bug it is named after was fixed.

use apigen_runtime::client::Config;
use apigen_tests::fixtures::{names, paths};
use apigen_tests::loopback::{Reply, Server};
use serde_json::json;

fn customer() -> names::types::Customer {
    serde_json::from_value(json!({"type": "vip"})).expect("a customer")
}

/// `createCustomer` (JSON or XML) beside `createCustomerXml`: two methods named
/// `create_customer_xml` before, one sending XML to `/customers` and one JSON to
/// `/customers/xml` now.
#[tokio::test]
async fn an_xml_body_method_and_an_operation_named_like_it_are_distinct() {
    let server = Server::start(vec![Reply::json(201, json!({"type": "vip"})), Reply::empty(204)]).await;
    let client = names::Client::new(&server.base).unwrap();
    let created = client.create_customer_xml(&customer()).await.unwrap();
    assert!(matches!(created.value, names::client::CreateCustomerResponse2::Created(ref c) if c.type_ == "vip"));
    client.create_customer_xml2(&customer()).await.unwrap();
    let requests = server.requests();
    assert_eq!((requests[0].method.as_str(), requests[0].target.as_str()), ("POST", "/customers"));
    assert_eq!(requests[0].header("content-type"), Some("application/xml"));
    assert_eq!(String::from_utf8(requests[0].body.clone()).unwrap(), "<Customer><type>vip</type></Customer>");
    assert_eq!((requests[1].method.as_str(), requests[1].target.as_str()), ("POST", "/customers/xml"));
    assert_eq!(requests[1].header("content-type"), Some("application/json"));
    assert_eq!(String::from_utf8(requests[1].body.clone()).unwrap(), r#"{"type":"vip"}"#);
}

/// Schemes keyed `config` and `transport`: a second `with_config` and a second `transport`
/// field before. The constructor keeps its name; the credentials take the next free ones.
#[tokio::test]
async fn credentials_named_like_the_clients_own_members_are_distinct() {
    let server = Server::start(vec![Reply::empty(204), Reply::empty(204)]).await;
    let client = names::Client::with_config(Config::new(&server.base)).unwrap();
    client.clone().with_config2("token-1").config2().await.unwrap();
    client.with_transport("key-2").transport().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].target, "/config");
    assert_eq!(requests[0].header("authorization"), Some("Bearer token-1"));
    assert_eq!(requests[1].target, "/transport");
    assert_eq!(requests[1].header("x-transport"), Some("key-2"));
}

/// Parameters named like keywords and like the method's locals, and two that differ only in
/// case, each reach the wire under its own name.
#[tokio::test]
async fn parameters_named_like_keywords_and_locals_are_sent_by_their_wire_names() {
    let server = Server::start(vec![Reply::json(200, json!({"id": "c1"}))]).await;
    let client = names::Client::new(&server.base).unwrap();
    let options = names::client::NewOptions2::default()
        .with_request2("r")
        .with_options2("o")
        .with_options3("header")
        .with_x_request("x");
    let done = client.new2("a b", 7, "f", options).await.unwrap();
    assert!(matches!(done.value, names::client::NewResponse::Ok(ref c) if c.id.as_deref() == Some("c1")));
    let request = &server.requests()[0];
    assert_eq!(request.target, "/things/a%20b/7?fn=f&request=r&options=o");
    assert_eq!(request.header("options"), Some("header"));
    assert_eq!(request.header("x-request"), Some("x"));
}

/// `/things/{id}` with no `id` parameter sent `/things/id` before: the placeholder is an
/// argument now, encoded as a path segment.
#[tokio::test]
async fn a_placeholder_without_a_parameter_is_an_argument() {
    let server = Server::start(vec![Reply::json(200, json!({"id": "t"}))]).await;
    let client = paths::Client::new(&server.base).unwrap();
    client.get_thing("a/b c").await.unwrap();
    assert_eq!(server.requests()[0].target, "/things/a%2Fb%20c");
}

/// Path parameters come in template order, whichever level declares them; one without a
/// placeholder is not an argument; a malformed template is sent as written.
#[tokio::test]
async fn path_parameters_follow_the_template() {
    let server = Server::start(vec![Reply::empty(204), Reply::empty(204)]).await;
    let client = paths::Client::new(&server.base).unwrap();
    client.get_part(&paths::types::GetPartPart::AB, 7).await.unwrap();
    client.broken().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].target, "/parts/a%20b/7");
    assert_eq!(requests[1].target, "/broken/%7Bid");
}

/// `4XX` listed before `404`: a 404 decoded as `Status4xx` before (and rustc warned of an
/// unreachable arm). Explicit codes, then ranges, then `default`.
#[tokio::test]
async fn explicit_codes_win_over_ranges_and_ranges_over_default() {
    use paths::client::GetThingResponse;
    let server = Server::start(vec![
        Reply::empty(404),
        Reply::json(418, json!({"message": "teapot"})),
        Reply::json(200, json!({"id": "t"})),
        Reply::empty(500),
    ])
    .await;
    let client = paths::Client::new(&server.base).unwrap();
    let mut got = Vec::new();
    for _ in 0..4 {
        got.push(client.get_thing("t").await.unwrap().value);
    }
    assert!(matches!(got[0], GetThingResponse::NotFound), "{:?}", got[0]);
    assert!(
        matches!(got[1], GetThingResponse::Status4xx(ref e) if e.message.as_deref() == Some("teapot")),
        "{:?}",
        got[1]
    );
    assert!(matches!(got[2], GetThingResponse::Ok(ref t) if t.id.as_deref() == Some("t")), "{:?}", got[2]);
    assert!(matches!(got[3], GetThingResponse::Default), "{:?}", got[3]);
}

//! The same petstore written in Swagger 2.0, OpenAPI 3.0 and OpenAPI 3.1
//! (`fixtures/petstore_v2.yaml`, `_v30`, `_v31`): each generated client, against a loopback
//! server, sends byte for byte the same requests and decodes the same responses into the same
//! values. `tests/tests/versions.rs` pins that the three generate the same public API; this
//! pins what goes over the wire.

use apigen_tests::loopback::{Recorded, Reply, Server};
use serde_json::json;

/// A request as the server saw it: method, target, headers, body as text.
type Request = (String, String, Vec<(String, String)>, String);

/// What one client did: its requests, and the decoded responses (`Debug` of each typed value).
type Exchange = (Vec<Request>, Vec<String>);

fn script() -> Vec<Reply> {
    vec![
        Reply::json(201, json!({"id": 7, "name": "Rex", "tag": null, "born": "2020-02-29"})),
        Reply::json(200, json!([{"id": 7, "name": "Rex"}, {"id": 8, "name": "Tom", "tag": "cat"}])),
        Reply::json(500, json!({"code": 13, "message": "down"})),
    ]
}

fn recorded(requests: Vec<Recorded>) -> Vec<Request> {
    requests
        .into_iter()
        .map(|r| {
            // The User-Agent names the crate, whose name is the fixture's.
            let headers = r.headers.into_iter().filter(|(name, _)| name != "user-agent").collect();
            (r.method, r.target, headers, String::from_utf8(r.body).expect("the bodies are JSON"))
        })
        .collect()
}

/// Creates a pet, lists pets (twice: the second answer is the documented error), through the
/// client of one fixture module.
macro_rules! exchange {
    ($krate:ident) => {{
        use apigen_tests::fixtures::$krate::{client, types, Client};
        let server = Server::start(script()).await;
        let client = Client::new(&server.base).expect("a client").with_basic("user:pass").with_api_key("k-1");
        let created = client.create_pet(&types::NewPet::new("Rex").with_tag(None)).await.expect("the call succeeds");
        let options = client::ListPetsOptions::default()
            .with_limit(20)
            .with_tags(vec!["a b".to_owned(), "c".to_owned()])
            .with_status(vec![types::ListPetsStatusItem::Available, types::ListPetsStatusItem::Sold]);
        let listed = client.list_pets(options.clone()).await.expect("the call succeeds");
        let failed = client.list_pets(options).await.expect("a documented error is a response");
        let values = vec![format!("{:?}", created.value), format!("{:?}", listed.value), format!("{:?}", failed.value)];
        let exchange: Exchange = (recorded(server.requests()), values);
        exchange
    }};
}

#[tokio::test]
async fn three_versions_send_and_decode_the_same() {
    let v30 = exchange!(petstore_v30);
    let (requests, values) = &v30;
    // What 3.0's client sends, exactly.
    assert_eq!(requests.len(), 3);
    let (method, target, headers, body) = &requests[0];
    assert_eq!((method.as_str(), target.as_str(), body.as_str()), ("POST", "/pets", r#"{"name":"Rex","tag":null}"#));
    assert!(headers.contains(&("authorization".to_owned(), "Basic dXNlcjpwYXNz".to_owned())), "{headers:?}");
    assert!(headers.contains(&("content-type".to_owned(), "application/json".to_owned())), "{headers:?}");
    let (method, target, _, body) = &requests[1];
    assert_eq!(
        (method.as_str(), target.as_str(), body.as_str()),
        ("GET", "/pets?limit=20&tags=a+b%2Cc&status=available&status=sold", "")
    );
    assert_eq!(requests[2].1, requests[1].1);
    assert!(values[0].starts_with("Created(Pet {"), "{}", values[0]);
    assert!(values[1].starts_with("Ok(["), "{}", values[1]);
    assert!(values[2].starts_with("Default(Error {"), "{}", values[2]);
    // And the other versions do exactly the same.
    assert_eq!(exchange!(petstore_v2), v30, "Swagger 2.0's client differs from 3.0's");
    assert_eq!(exchange!(petstore_v31), v30, "OpenAPI 3.1's client differs from 3.0's");
}

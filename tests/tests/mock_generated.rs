//! The `mocked` fixture's mock (`tests/fixtures/mocked.yaml`) answering with generated values
//! where an operation has no handler and its response no example: the crate's value generators
//! (feature `arbitrary`), which the fixtures compile behind this crate's own `arbitrary`
//! feature (see `build.rs`): `cargo test -p apigen-tests --features arbitrary --test
//! mock_generated`.

use apigen_tests::fixtures::mocked;
use serde_json::Value;

/// An alias with a pattern of its own is answered with a value that keeps the pattern: the
/// alias's generator, not proptest's `Arbitrary` for `String` (whose value the mock's own
/// check of its answer refused, a `500`).
#[tokio::test]
async fn an_answer_of_an_alias_keeps_the_alias_rules() {
    let server = mocked::mock::Server::start().await.unwrap();
    let client = mocked::client::Client::new(server.url()).unwrap();
    let done = client.get_code().await.unwrap();
    assert_eq!(done.status, 200);
    let mocked::client::GetCodeResponse::Ok(code) = done.value;
    let (letters, digits) = code.split_once('-').unwrap_or_else(|| panic!("{code:?} has no `-`"));
    assert!(letters.len() == 3 && letters.chars().all(|c| c.is_ascii_uppercase()), "{code:?}");
    assert!(digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()), "{code:?}");
    assert_eq!(server.requests()[0].violations, Vec::new());
    // The same value on every call: the runner is deterministic.
    let again = client.get_code().await.unwrap();
    assert_eq!(again.body, done.body);
}

/// A map of any JSON values, which proptest's `Arbitrary` cannot make, is answered with the
/// value generator of its type, where it had been a `501` saying there was no value.
#[tokio::test]
async fn an_answer_of_any_json_values_is_generated() {
    let server = mocked::mock::Server::start().await.unwrap();
    let client = mocked::client::Client::new(server.url()).unwrap().with_bearer("t");
    let done = client.patch_thing(&Default::default()).await.unwrap();
    assert_eq!(done.status, 200);
    let body: Value = serde_json::from_slice(&done.body).unwrap();
    assert!(body.is_object(), "{body}");
}

/// A list of that alias, which proptest's `Arbitrary` for `Vec<String>` would make without
/// the pattern, is a `501` saying there is no value (a handler answers it).
#[tokio::test]
async fn a_list_of_an_alias_with_rules_is_not_generated() {
    let server = mocked::mock::Server::start().await.unwrap();
    let answer = reqwest::get(format!("{}/code-lists", server.url())).await.unwrap();
    assert_eq!(answer.status(), 501);
    let problem: Value = serde_json::from_slice(&answer.bytes().await.unwrap()).unwrap();
    assert_eq!(
        problem["detail"],
        "`listCodes` has no handler (register one with `Server::on_list_codes`), its response has no example in the spec, and the crate's value generators cannot make its body"
    );
    server.on_list_codes(|_| mocked::client::ListCodesResponse::Ok(vec!["ABC-1234".to_owned()]));
    let client = mocked::client::Client::new(server.url()).unwrap();
    assert_eq!(client.list_codes().await.unwrap().body, br#"["ABC-1234"]"#);
}

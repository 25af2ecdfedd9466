//! Forward compatibility (the `forward` fixture): a value the API added after the crate was
//! generated (an enum value, an alternative, a discriminator value) is read into the type's
//! unknown variant instead of failing the whole body, written back as it came, and refused by
//! validation at the pointer and with the keyword reading used to refuse it; a request can
//! therefore never send one. Untagged unions still read a known value into the variant they
//! always did.

use std::sync::{Arc, Mutex};

use apigen_runtime::client::{Config, Error};
use apigen_runtime::{from_json, Validate, ValidationErrors};
use apigen_tests::fixtures::forward::client::{Client, GetAccountResponse};
use apigen_tests::fixtures::forward::types::{Account, Card, CardKind, Payment, Shape, Status, Transfer, TransferKind};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

fn read<T: serde::de::DeserializeOwned>(json: &Value) -> T {
    serde_json::from_value(json.clone()).unwrap_or_else(|e| panic!("{json} is read: {e}"))
}

fn violations(errors: &ValidationErrors) -> Vec<(&str, &str, &str)> {
    errors.iter().map(|e| (e.pointer.as_str(), e.keyword, e.message.as_str())).collect()
}

/// Reads `json` as `T`, checks it writes back unchanged, and returns the violations
/// validation finds.
fn kept<T: serde::de::DeserializeOwned + serde::Serialize + Validate>(
    json: Value,
) -> (T, Vec<(String, String, String)>) {
    let value: T = read(&json);
    assert_eq!(serde_json::to_value(&value).expect("writes"), json, "written back as read");
    let errors = value
        .validate()
        .err()
        .map(|e| violations(&e).into_iter().map(|(p, k, m)| (p.to_owned(), k.to_owned(), m.to_owned())).collect());
    (value, errors.unwrap_or_default())
}

fn owned(expected: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    expected.iter().map(|(p, k, m)| ((*p).to_owned(), (*k).to_owned(), (*m).to_owned())).collect()
}

#[test]
fn an_unlisted_enum_value_is_kept_and_refused_by_validation() {
    let (status, errors) = kept::<Status>(json!("frozen"));
    assert_eq!(status, Status::UnknownValue("frozen".to_owned()));
    assert_eq!(status.as_str(), "frozen");
    assert_eq!(errors, owned(&[("", "enum", r#"must be one of ["active","closed","unknown_value"]"#)]));
    // A spec value that cleans to the reserved name gets a suffix instead.
    assert_eq!(read::<Status>(&json!("unknown_value")), Status::UnknownValue2);
    assert_eq!(kept::<Status>(json!("unknown_value")).1, []);
    // Anything but a string is still a wrong type.
    let errors = from_json::<Status>(b"3").expect_err("a number");
    assert_eq!(violations(&errors), [("", "type", "invalid type: integer `3`, expected a string")]);
}

#[test]
fn from_json_still_refuses_what_the_spec_does_not_list() {
    // No alternative reads the payment as the spec has it (`last4` is no string); allowing
    // unknown values, `Transfer` does (its `kind` unknown, `last4` not its property). Both
    // faults are reported at once, where the first used to stop reading; the verdict is the
    // same, but the payment's fault is told through the alternative that read it.
    let errors =
        from_json::<Account>(br#"{"id": "a1", "status": "frozen", "payment": {"kind": "card", "last4": 4242}}"#)
            .expect_err("two faults");
    assert_eq!(
        violations(&errors),
        [
            ("/status", "enum", r#"must be one of ["active","closed","unknown_value"]"#),
            ("/payment/kind", "enum", r#"must be one of ["transfer","sepa"]"#),
        ]
    );
    let errors = from_json::<Account>(br#"{"id": "a1", "status": "frozen", "payment": {"kind": "card"}}"#)
        .expect_err("an unknown status");
    assert_eq!(violations(&errors), [("/status", "enum", r#"must be one of ["active","closed","unknown_value"]"#)]);
}

#[test]
fn untagged_unions_read_known_values_into_the_variant_they_always_did() {
    // `Card` would read `{"kind": "sepa"}` if unknown kinds were allowed in the first try; a
    // `Transfer` it is.
    let (payment, errors) = kept::<Payment>(json!({"kind": "sepa"}));
    assert_eq!(payment, Payment::Transfer(Box::new(Transfer::new(TransferKind::Sepa))));
    assert_eq!(errors, []);
    let (payment, _) = kept::<Payment>(json!({"kind": "card", "last4": "4242"}));
    assert_eq!(payment, Payment::Card(Box::new(Card::new(CardKind::Card).with_last4("4242"))));
}

#[test]
fn an_alternative_with_a_new_enum_value_is_read_as_the_first_that_fits_and_refused() {
    let (payment, errors) = kept::<Payment>(json!({"kind": "crypto"}));
    assert_eq!(payment, Payment::Card(Box::new(Card::new(CardKind::UnknownValue("crypto".to_owned())))));
    assert_eq!(
        errors,
        owned(&[
            ("/kind", "enum", r#"must be one of ["card"]"#),
            ("", "oneOf", "must match exactly one of the alternatives, matches 0"),
        ])
    );
}

#[test]
fn a_value_no_alternative_reads_is_kept_as_json() {
    let (payment, errors) = kept::<Payment>(json!({"iban": 7}));
    assert_eq!(payment, Payment::Unknown(json!({"iban": 7})));
    assert_eq!(errors, owned(&[("", "oneOf", "must match exactly one of the alternatives, matches 0")]));
    let (payment, _) = kept::<Payment>(json!("a string"));
    assert_eq!(payment, Payment::Unknown(json!("a string")));
    // A property written twice is refused, as in structs, also inside a value kept as JSON.
    let errors = from_json::<Payment>(br#"{"kind": "card", "last4": "1", "last4": "2"}"#).expect_err("twice");
    assert_eq!(violations(&errors), [("", "json", "property `last4` appears twice")]);
}

#[test]
fn an_unknown_discriminator_value_is_kept_and_refused_at_the_property() {
    let (shape, errors) = kept::<Shape>(json!({"shape": "Triangle", "sides": 3}));
    assert_eq!(shape, Shape::Unknown(json!({"shape": "Triangle", "sides": 3})));
    assert_eq!(
        errors,
        owned(&[(
            "/shape",
            "discriminator",
            "`Triangle` is not a value of discriminator property `shape`; expected one of `Circle`, `Square`"
        )])
    );
    // A missing discriminator is malformed, not new: still an error when reading.
    let errors = from_json::<Shape>(br#"{"side": 3}"#).expect_err("no shape");
    assert_eq!(
        violations(&errors),
        [("/shape", "discriminator", "discriminator property `shape` is missing; expected one of `Circle`, `Square`")]
    );
}

/// A server on 127.0.0.1 that answers every request with `body` (200, JSON) and records the
/// requests' targets.
async fn server(body: &'static str) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorded = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let recorded = recorded.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: hyper::Request<Incoming>| {
                    let recorded = recorded.clone();
                    async move {
                        recorded.lock().unwrap().push(format!("{} {}", request.method(), request.uri()));
                        let _ = request.into_body().collect().await;
                        let response =
                            hyper::Response::builder().status(200).header("content-type", "application/json");
                        Ok::<_, std::convert::Infallible>(
                            response.body(Full::new(Bytes::from_static(body.as_bytes()))).expect("a response"),
                        )
                    }
                });
                let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    (base, seen)
}

#[tokio::test]
async fn a_response_with_a_new_value_is_read_and_checked_on_demand_and_never_sent_back() {
    let (base, seen) = server(r#"{"id": "a1", "status": "frozen", "shape": {"shape": "Hexagon", "side": 1}}"#).await;
    let client = Client::with_config(Config::new(&base)).expect("a client");
    let response = client.get_account("a1").await.expect("the body is read");
    let GetAccountResponse::Ok(account) = response.value;
    assert_eq!(account.status, Status::UnknownValue("frozen".to_owned()));
    assert_eq!(account.shape, Some(Shape::Unknown(json!({"shape": "Hexagon", "side": 1}))));
    let errors = account.validate().expect_err("checked on demand");
    assert_eq!(
        violations(&errors),
        [
            ("/status", "enum", r#"must be one of ["active","closed","unknown_value"]"#),
            (
                "/shape/shape",
                "discriminator",
                "`Hexagon` is not a value of discriminator property `shape`; expected one of `Circle`, `Square`"
            ),
        ]
    );
    // Sending it back is refused before anything leaves the process.
    let Err(Error::Invalid(errors)) = client.put_account("a1", &account).await else {
        panic!("an unknown value was sent")
    };
    assert_eq!(
        violations(&errors)[0],
        ("/body/status", "enum", r#"must be one of ["active","closed","unknown_value"]"#)
    );
    assert_eq!(*seen.lock().unwrap(), ["GET /accounts/a1"]);
}

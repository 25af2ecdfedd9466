//! Absent and `null` told apart (the `nullable` fixture): an optional `nullable` property is an
//! `Option<Option<T>>`, `None` when absent and `Some(None)` when `null`, each read and written
//! back exactly; a property that is not `nullable` still refuses `null`. Validation checks a
//! value, never a `null`. Parameters cannot carry `null`: a `nullable` one is held as its value.

use apigen_runtime::{from_json, Validate, ValidationError};
use apigen_tests::fixtures::nullable::types::{Address, Customer, CustomerPatch};
use serde_json::json;

/// Reads `json` (validated), and checks that it writes back as exactly the same text.
fn read_back(json: &str) -> CustomerPatch {
    let patch: CustomerPatch = from_json(json.as_bytes()).unwrap_or_else(|e| panic!("{json}: {e:?}"));
    assert_eq!(serde_json::to_string(&patch).unwrap(), json);
    patch
}

fn violations(json: &str) -> Vec<(String, &'static str)> {
    let errors = from_json::<CustomerPatch>(json.as_bytes()).expect_err(json).into_vec();
    errors.into_iter().map(|ValidationError { pointer, keyword, .. }| (pointer, keyword)).collect()
}

#[test]
fn absent_null_and_a_value_read_and_write_as_themselves() {
    let absent = read_back("{}");
    assert_eq!(absent, CustomerPatch::new());
    assert_eq!(absent.nickname, None);

    let null = read_back(r#"{"nickname":null}"#);
    assert_eq!(null.nickname, Some(None));
    let value = read_back(r#"{"nickname":"Al"}"#);
    assert_eq!(value.nickname, Some(Some("Al".to_owned())));

    // Every kind of nullable property: an integer and a date (read through the strict
    // readers), an object, an array, and a property whose schema is itself nullable.
    let nulls = read_back(r#"{"nickname":null,"age":null,"birthday":null,"address":null,"tags":null,"note":null}"#);
    assert_eq!(
        (nulls.age, nulls.birthday, nulls.address, nulls.tags, nulls.note),
        (Some(None), Some(None), Some(None), Some(None), Some(None))
    );
    let values = read_back(
        r#"{"nickname":"Al","age":40,"birthday":"1985-01-01","address":{"city":"Oslo","zip":null},"tags":["a"],"note":"hi"}"#,
    );
    assert_eq!(values.age, Some(Some(40)));
    assert_eq!(values.birthday, Some(Some(chrono::NaiveDate::from_ymd_opt(1985, 1, 1).unwrap())));
    assert_eq!(values.address, Some(Some(Address::new("Oslo").with_zip(None))));
    // An integer as JSON Schema reads it, `null` or not.
    assert_eq!(read_with_age("40.0").age, Some(Some(40)));
}

fn read_with_age(age: &str) -> CustomerPatch {
    from_json(format!(r#"{{"age":{age}}}"#).as_bytes()).unwrap()
}

#[test]
fn setters_build_each_state() {
    let patch = CustomerPatch::new().with_name("Ada").with_nickname(None).with_age(Some(36)).with_tags(None);
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"name": "Ada", "nickname": null, "age": 36, "tags": null})
    );
    assert_eq!(patch.validate(), Ok(()));
    // Required and nullable: always written, `null` included.
    let customer = Customer::new(1, "Ada", None);
    assert_eq!(serde_json::to_value(&customer).unwrap(), json!({"id": 1, "name": "Ada", "nickname": null}));
    let customer = Customer::new(1, "Ada", Some("Al".to_owned())).with_email("ada@example.com");
    assert_eq!(
        serde_json::to_value(&customer).unwrap(),
        json!({"id": 1, "name": "Ada", "nickname": "Al", "email": "ada@example.com"})
    );
}

#[test]
fn null_is_refused_where_the_schema_is_not_nullable() {
    let errors = from_json::<CustomerPatch>(br#"{"name":null}"#).expect_err("name is not nullable").into_vec();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].pointer, "/name");
    assert_eq!(errors[0].message, "invalid type: null, expected a string");
    // A required nullable property must still be there: absent is not `null`.
    let errors = from_json::<Customer>(br#"{"id":1,"name":"Ada"}"#).expect_err("nickname is required").into_vec();
    assert_eq!(
        (errors[0].pointer.as_str(), errors[0].keyword, errors[0].message.as_str()),
        ("", "required", "required property `nickname` is missing")
    );
    let customer: Customer = from_json(br#"{"id":1,"name":"Ada","nickname":null}"#).unwrap();
    assert_eq!(customer.nickname, None);
}

#[test]
fn validation_checks_values_and_lets_null_through() {
    assert_eq!(violations(r#"{"nickname":"A"}"#), vec![("/nickname".to_owned(), "minLength")]);
    assert_eq!(violations(r#"{"age":151}"#), vec![("/age".to_owned(), "maximum")]);
    assert_eq!(violations(r#"{"tags":["a","b","c"]}"#), vec![("/tags".to_owned(), "maxItems")]);
    assert_eq!(violations(r#"{"address":{"city":""}}"#), vec![("/address/city".to_owned(), "minLength")]);
    assert_eq!(violations(r#"{"address":{"city":"Oslo","zip":"x"}}"#), vec![("/address/zip".to_owned(), "pattern")]);
    assert_eq!(violations(r#"{"note":"far too long"}"#), vec![("/note".to_owned(), "maxLength")]);
    assert_eq!(
        violations(r#"{"name":"Ada","nickname":"A","age":-1}"#),
        vec![("/nickname".to_owned(), "minLength"), ("/age".to_owned(), "minimum")]
    );
    let nulls = r#"{"nickname":null,"age":null,"birthday":null,"address":null,"tags":null,"note":null}"#;
    assert_eq!(from_json::<CustomerPatch>(nulls.as_bytes()).map(|_| ()), Ok(()));
    // A value built in code is judged the same way.
    let errors = CustomerPatch::new().with_nickname(Some("A".into())).validate().expect_err("too short").into_vec();
    assert_eq!((errors[0].pointer.as_str(), errors[0].keyword), ("/nickname", "minLength"));
}

#[test]
fn xml_has_no_null_so_null_is_left_out() {
    let patch = CustomerPatch::from_xml(
        "<CustomerPatch><nickname>Al</nickname><age>3</age><tags>a</tags><tags>b</tags></CustomerPatch>",
    )
    .unwrap();
    assert_eq!(patch.nickname, Some(Some("Al".to_owned())));
    assert_eq!(patch.age, Some(Some(3)));
    assert_eq!(patch.tags, Some(Some(vec!["a".to_owned(), "b".to_owned()])));
    assert_eq!(patch.name, None);
    assert_eq!(patch.birthday, None);
    assert_eq!(
        patch.to_xml(),
        "<CustomerPatch><nickname>Al</nickname><age>3</age><tags>a</tags><tags>b</tags></CustomerPatch>"
    );
    let cleared = CustomerPatch::new().with_name("Ada").with_nickname(None).with_tags(None).with_address(None);
    assert_eq!(cleared.to_xml(), "<CustomerPatch><name>Ada</name></CustomerPatch>");
    let address = CustomerPatch::new().with_address(Some(Address::new("Oslo")));
    assert_eq!(address.to_xml(), "<CustomerPatch><address><city>Oslo</city></address></CustomerPatch>");
    assert_eq!(CustomerPatch::from_xml(&address.to_xml()).unwrap(), address);
}

mod parameters {
    use apigen_tests::fixtures::nullable::client::{Client, ListCustomersOptions};
    use apigen_tests::fixtures::nullable::types::CustomerPatch;

    /// A client whose server is never reached: every request below is refused before sending.
    fn client() -> Client {
        Client::new("http://127.0.0.1:9").unwrap()
    }

    /// A `nullable` parameter is its value (`Option<u32>` in the options, not an
    /// `Option<Option<u32>>`, since `None` can only leave it out) and its rules are checked.
    #[tokio::test]
    async fn nullable_parameters_are_checked_as_their_values() {
        let options = ListCustomersOptions::default().with_limit(0).with_x_trace("far too long");
        let limit: Option<u32> = options.limit;
        assert_eq!(limit, Some(0));
        match client().list_customers("", options).await {
            Err(apigen_runtime::client::Error::Invalid(errors)) => {
                let found: Vec<(String, &str)> =
                    errors.into_vec().into_iter().map(|e| (e.pointer, e.keyword)).collect();
                assert_eq!(
                    found,
                    vec![
                        ("/query/limit".to_owned(), "minimum"),
                        ("/query/cursor".to_owned(), "minLength"),
                        ("/header/X-Trace".to_owned(), "maxLength"),
                    ]
                );
            }
            other => panic!("expected the request to be refused, got {other:?}"),
        }
        match client().update_customer(0, &CustomerPatch::new().with_nickname(Some("A".into()))).await {
            Err(apigen_runtime::client::Error::Invalid(errors)) => {
                let found: Vec<(String, &str)> =
                    errors.into_vec().into_iter().map(|e| (e.pointer, e.keyword)).collect();
                assert_eq!(found, vec![("/path/id".to_owned(), "minimum"), ("/body/nickname".to_owned(), "minLength")]);
            }
            other => panic!("expected the request to be refused, got {other:?}"),
        }
    }
}

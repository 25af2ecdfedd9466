//! Secrets never appear in Debug output or error messages: fields marked `x-sensitive`,
//! `format: password` or `writeOnly`, and the clients' credentials.

use serde_json::json;

#[test]
fn card_data_and_passwords_print_redacted() {
    let request: revcent::types::CreateCustomerRequest = serde_json::from_value(json!({
        "campaign": "c",
        "customer": {"first_name": "A", "last_name": "B", "email": "a@b.co"},
        "payment": {"credit_card": {"card_number": "4111111111111111", "exp_month": 12, "exp_year": 29, "card_code": "737"}},
    }))
    .unwrap();
    let debug = format!("{request:?}");
    assert!(!debug.contains("4111111111111111") && !debug.contains("737"), "{debug}");
    assert!(debug.contains("card_number: Some([redacted])"), "{debug}");
    assert!(debug.contains("exp_month: Some(12)"), "the rest stays visible: {debug}");

    let pelcro: pelcro::types::CreateCustomerRequest =
        serde_json::from_value(json!({"email": "a@b.co", "password": "hunter2", "password_type": "plain_text"}))
            .unwrap();
    let debug = format!("{pelcro:?}");
    assert!(!debug.contains("hunter2") && debug.contains("password: Some([redacted])"), "{debug}");
}

#[test]
fn credentials_never_print() {
    let client = revcent::Client::new("http://127.0.0.1:9").unwrap().with_api_key_auth("key-very-secret");
    assert!(!format!("{client:?}").contains("key-very-secret"));
    let client = jtl::Client::new("http://127.0.0.1:9").unwrap().with_bearer_auth("bearer-very-secret");
    assert!(!format!("{client:?}").contains("bearer-very-secret"));
}

#[test]
fn validation_errors_do_not_repeat_the_value() {
    // A card number breaking a rule is reported by pointer and keyword, not by its value.
    let errors = apigen_runtime::from_json::<pelcro::types::CreateCustomerRequest>(
        json!({"email": "a@b.co", "password": "x".repeat(300), "username": "hunter 2"}).to_string().as_bytes(),
    );
    let text = match errors {
        Err(errors) => errors.to_string(),
        Ok(_) => String::new(),
    };
    assert!(!text.contains("xxxxxxxx") && !text.contains("hunter 2"), "{text}");
}

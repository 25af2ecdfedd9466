//! RevCent (seed 003): its documented examples, and the bodies written here from its spec, through the
//! generated types.

use super::*;

fn revcent_person(prefix: &str) -> Value {
    json!({
        "first_name": format!("{prefix}Jane"),
        "last_name": "Doe",
        "address_line_1": "1 Main St",
        "address_line_2": "Suite 2",
        "city": "Springfield",
        "state": "IL",
        "zip": "62701",
        "country": "USA",
        "company": "Acme Inc.",
        "email": format!("{}jane@example.com", prefix.to_lowercase()),
        "phone": "+1 217 555 0100"
    })
}

fn revcent_full_request() -> Value {
    json!({
        "campaign": "Spring Campaign",
        "customer": revcent_person(""),
        "bill_to": revcent_person("Bill"),
        "payment": {
            "credit_card": {
                "card_number": "4111111111111111",
                "exp_month": 12,
                "exp_year": 29,
                "card_code": "123"
            }
        },
        "internal_customer_id": "ext-42",
        "metadata": [
            {"name": "source", "value": "landing-page"},
            {"name": "n", "value": "v"}
        ]
    })
}

const REVCENT_REQUEST: &str = "/components/schemas/CreateCustomerRequest";

#[test]
fn revcent_full_request_round_trips() {
    let doc = spec("revcent");
    let body = revcent_full_request();
    for (what, pointer, part) in [
        ("request", REVCENT_REQUEST.to_owned(), &body),
        ("customer", format!("{REVCENT_REQUEST}/properties/customer"), &body["customer"]),
        ("bill_to", format!("{REVCENT_REQUEST}/properties/bill_to"), &body["bill_to"]),
        ("payment", format!("{REVCENT_REQUEST}/properties/payment"), &body["payment"]),
        (
            "credit_card",
            format!("{REVCENT_REQUEST}/properties/payment/properties/credit_card"),
            &body["payment"]["credit_card"],
        ),
        ("metadata item", format!("{REVCENT_REQUEST}/properties/metadata/items"), &body["metadata"][0]),
    ] {
        assert_uses_every_property(&format!("RevCent {what}"), &doc, &pointer, part);
    }

    let typed: revcent::types::CreateCustomerRequest = assert_round_trip("RevCent full CreateCustomerRequest", &body);
    assert_eq!(typed.campaign, "Spring Campaign");
    assert_eq!(typed.customer.email, "jane@example.com");
    assert_eq!(typed.bill_to.as_ref().map(|b| b.first_name.as_str()), Some("BillJane"));
    let card = typed.payment.and_then(|p| p.credit_card).expect("credit_card");
    assert_eq!(card.card_number.as_deref(), Some("4111111111111111"));
    assert_eq!((card.exp_month, card.exp_year), (Some(12), Some(29)));
    assert_eq!(card.card_code.as_deref(), Some("123"));
    let metadata = typed.metadata.expect("metadata");
    assert_eq!(metadata.len(), 2);
    assert_eq!((metadata[0].name.as_str(), metadata[0].value.as_str()), ("source", "landing-page"));
}

#[test]
fn revcent_minimal_request_round_trips() {
    let body = json!({
        "campaign": "c1",
        "customer": {"first_name": "A", "last_name": "B", "email": "a@example.com"}
    });
    let typed: revcent::types::CreateCustomerRequest =
        assert_round_trip("RevCent minimal CreateCustomerRequest", &body);
    assert_eq!(typed.customer.first_name, "A");
    assert_eq!(typed.customer.phone, None);
    assert_eq!(typed.bill_to, None);
    assert_eq!(typed.payment, None);
    assert_eq!(typed.internal_customer_id, None);
    assert_eq!(typed.metadata, None);
}

#[test]
fn revcent_partial_shapes_round_trip() {
    // payment without a card, a card with only some fields, bill_to with only its
    // required fields, and an empty metadata array (a value, not an absent field).
    for (what, body) in [
        (
            "payment without credit_card",
            json!({
                "campaign": "c1",
                "customer": {"first_name": "A", "last_name": "B", "email": "a@example.com"},
                "payment": {}
            }),
        ),
        (
            "partial credit_card, minimal bill_to, empty metadata",
            json!({
                "campaign": "c1",
                "customer": {"first_name": "A", "last_name": "B", "email": "a@example.com", "country": "DEU"},
                "bill_to": {"first_name": "C", "last_name": "D", "email": "c@example.com"},
                "payment": {"credit_card": {"card_number": "4111111111111111", "exp_month": 1}},
                "metadata": []
            }),
        ),
    ] {
        let typed: revcent::types::CreateCustomerRequest = assert_round_trip(&format!("RevCent {what}"), &body);
        assert!(typed.payment.is_some(), "{what}: payment must be kept");
    }
}

#[test]
fn revcent_success_body_round_trips() {
    let doc = spec("revcent");
    let body = json!({
        "api_call_id": "AbCdEfGhIjKlMnOpQrSt",
        "api_call_unix": 1706794200,
        "code": 1,
        "customer_id": "ZyXwVuTsRqPoNmLkJiHg",
        "result": "Customer created"
    });
    assert_uses_every_property("RevCent success", &doc, "/components/schemas/CreateCustomerSuccess", &body);
    let typed: revcent::types::CreateCustomerSuccess = assert_round_trip("RevCent CreateCustomerSuccess", &body);
    assert_eq!(typed.code, Some(revcent::types::CreateCustomerSuccessCode::V1));
    assert_eq!(typed.code.unwrap().value(), 1);
    assert_eq!(typed.api_call_unix, Some(1706794200));
    assert_eq!(typed.customer_id.as_deref(), Some("ZyXwVuTsRqPoNmLkJiHg"));

    // Every property is optional.
    let empty: revcent::types::CreateCustomerSuccess = assert_round_trip("RevCent empty success body", &json!({}));
    assert_eq!(empty, revcent::types::CreateCustomerSuccess::default());
}

#[test]
fn revcent_error_body_round_trips() {
    let doc = spec("revcent");
    let body = json!({
        "api_call_id": "AbCdEfGhIjKlMnOpQrSt",
        "api_call_unix": 1706794200,
        "code": 0,
        "error_code": "invalid_email",
        "message": "The customer email is invalid.",
        "result": "Error"
    });
    assert_uses_every_property("RevCent error", &doc, "/components/schemas/ApiStandardErrors", &body);
    let typed: revcent::types::ApiStandardErrors = assert_round_trip("RevCent ApiStandardErrors", &body);
    assert_eq!(typed.code, Some(revcent::types::ApiStandardErrorsCode::V0));
    assert_eq!(typed.code.unwrap().value(), 0);
    assert_eq!(typed.error_code.as_deref(), Some("invalid_email"));
}

#[test]
fn revcent_refuses_codes_outside_the_enum() {
    use revcent::types::{ApiStandardErrors, CreateCustomerSuccess};
    for code in ["2", "0", "-1"] {
        assert_refused::<CreateCustomerSuccess>(
            "RevCent success with a code other than 1",
            &format!(r#"{{"code": {code}, "result": "ok"}}"#),
            &[&format!("unknown variant `{code}`"), "expected one of `1`"],
        );
    }
    for code in ["2", "1"] {
        assert_refused::<ApiStandardErrors>(
            "RevCent error with a code other than 0",
            &format!(r#"{{"code": {code}, "message": "m"}}"#),
            &[&format!("unknown variant `{code}`"), "expected one of `0`"],
        );
    }
    assert_refused::<CreateCustomerSuccess>(
        "RevCent success with code as a string",
        r#"{"code": "1"}"#,
        &["invalid type", "\"1\""],
    );
}

#[test]
fn revcent_refuses_unknown_properties_at_every_level() {
    use revcent::types::{ApiStandardErrors, CreateCustomerRequest, CreateCustomerSuccess};

    // additionalProperties: false on the request and on every nested object.
    for (level, pointer) in [
        ("request", ""),
        ("customer", "/customer"),
        ("bill_to", "/bill_to"),
        ("payment", "/payment"),
        ("credit_card", "/payment/credit_card"),
        ("metadata item", "/metadata/0"),
    ] {
        let mut body = revcent_full_request();
        body.pointer_mut(pointer)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{pointer} is an object"))
            .insert("x_unknown".into(), json!("surprise"));
        assert_refused::<CreateCustomerRequest>(
            &format!("RevCent request with an unknown property in {level}"),
            &body.to_string(),
            &["unknown field `x_unknown`"],
        );
    }
    assert_refused::<CreateCustomerSuccess>(
        "RevCent success with an unknown property",
        r#"{"code": 1, "error_code": "E1"}"#,
        &["unknown field `error_code`"],
    );
    assert_refused::<ApiStandardErrors>(
        "RevCent error with an unknown property",
        r#"{"code": 0, "customer_id": "ZyXwVuTsRqPoNmLkJiHg"}"#,
        &["unknown field `customer_id`"],
    );
}

#[test]
fn revcent_refuses_missing_required_properties() {
    use revcent::types::CreateCustomerRequest;
    for (pointer, field) in [
        ("", "campaign"),
        ("", "customer"),
        ("/customer", "first_name"),
        ("/customer", "last_name"),
        ("/customer", "email"),
        ("/bill_to", "email"),
        ("/metadata/0", "name"),
        ("/metadata/0", "value"),
    ] {
        let mut body = revcent_full_request();
        body.pointer_mut(pointer)
            .and_then(Value::as_object_mut)
            .unwrap_or_else(|| panic!("{pointer} is an object"))
            .remove(field)
            .unwrap_or_else(|| panic!("{pointer}/{field} is in the full request"));
        assert_refused::<CreateCustomerRequest>(
            &format!("RevCent request without {pointer}/{field}"),
            &body.to_string(),
            &[&format!("missing field `{field}`")],
        );
    }
}

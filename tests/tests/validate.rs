//! The generated validators on the five APIs: every violation at once, each with its JSON
//! Pointer in wire names, its keyword and its limit. Exact texts are pinned.

use apigen_runtime::{ValidationError, ValidationErrors};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// Each violation as `pointer keyword limit`, in the order reported.
fn violations(errors: &ValidationErrors) -> Vec<String> {
    errors
        .iter()
        .map(|e: &ValidationError| {
            let limit = e.limit.as_ref().map(Value::to_string).unwrap_or_default();
            format!("{} {} {limit}", e.pointer, e.keyword).trim_end().to_owned()
        })
        .collect()
}

fn check<T: DeserializeOwned + apigen_runtime::Validate>(payload: Value) -> Vec<String> {
    match apigen_runtime::from_json::<T>(payload.to_string().as_bytes()) {
        Ok(_) => Vec::new(),
        Err(errors) => violations(&errors),
    }
}

#[test]
fn pelcro_needs_one_of_email_old_provider_id_or_display_name() {
    type Request = pelcro::types::CreateCustomerRequest;
    assert_eq!(check::<Request>(json!({})), vec![" anyOf"]);
    assert!(check::<Request>(json!({"display_name": "Jo"})).is_empty());
    assert!(check::<Request>(json!({"old_provider_id": "x1"})).is_empty());
    assert!(check::<Request>(json!({"email": "jo@example.com"})).is_empty());
}

#[test]
fn pelcro_password_type_requires_password_and_import_requires_gateway() {
    type Request = pelcro::types::CreateCustomerRequest;
    assert_eq!(check::<Request>(json!({"email": "a@b.co", "password_type": "md5"})), vec![" anyOf"]);
    assert!(check::<Request>(json!({"email": "a@b.co", "password_type": "md5", "password": "x"})).is_empty());
    assert_eq!(check::<Request>(json!({"email": "a@b.co", "import_payment_methods": true})), vec![" anyOf"]);
    assert!(check::<Request>(json!({"email": "a@b.co", "import_payment_methods": false})).is_empty());
    assert!(check::<Request>(
        json!({"email": "a@b.co", "import_payment_methods": true, "payment_gateway_id": "cus_1"})
    )
    .is_empty());
}

#[test]
fn pelcro_reports_every_violation_at_once() {
    let errors = check::<pelcro::types::CreateCustomerRequest>(json!({
        "email": "not-an-email",
        "phone": "12-34",
        "username": "has space",
        "display_name": "x".repeat(101),
        "first_name": "y".repeat(256),
        "password_type": "md5",
    }));
    assert_eq!(
        errors,
        vec![
            "/email format \"email\"",
            "/first_name maxLength 255",
            "/phone pattern \"^[^0-9]*(?:[0-9][^0-9]*){5,20}$\"",
            "/display_name maxLength 100",
            "/username pattern \"^[0-9A-Za-z_-]*$\"",
            " anyOf",
        ]
    );
}

#[test]
fn pelcro_phone_counts_digits_after_stripping_punctuation() {
    type Request = pelcro::types::CreateCustomerRequest;
    assert!(check::<Request>(json!({"email": "a@b.co", "phone": "+1 (555) 010-99"})).is_empty());
    assert_eq!(check::<Request>(json!({"email": "a@b.co", "phone": "1234"})).len(), 1);
    assert_eq!(check::<Request>(json!({"email": "a@b.co", "phone": "1".repeat(21)})).len(), 1);
    // Non-ASCII digits are not digits here, as in ECMA-262 (`\d` is ASCII there).
    assert_eq!(check::<Request>(json!({"email": "a@b.co", "phone": "١٢٣٤٥٦"})).len(), 1);
}

#[test]
fn lengths_count_characters_not_bytes() {
    type Request = revnue::types::CreateCustomerRequest;
    // 50 two-byte characters: 100 bytes, 50 characters, within maxLength 50.
    assert!(check::<Request>(json!({"company": 1, "name": "é".repeat(50)})).is_empty());
    assert_eq!(check::<Request>(json!({"company": 1, "name": "é".repeat(51)})), vec!["/name maxLength 50"]);
}

#[test]
fn revnue_contact_person_name_and_email_together() {
    type Request = revnue::types::CreateCustomerRequest;
    let with = |person: Value| check::<Request>(json!({"company": 1, "name": "Acme", "contact_person": person}));
    assert!(with(json!({})).is_empty());
    assert!(with(json!({"type": "billing"})).is_empty());
    assert!(with(json!({"name": "Jo", "email": "jo@acme.test"})).is_empty());
    assert_eq!(with(json!({"name": "Jo"})), vec!["/contact_person anyOf"]);
    assert_eq!(with(json!({"email": "jo@acme.test"})), vec!["/contact_person anyOf"]);
}

#[test]
fn revnue_custom_field_values_by_data_type() {
    type Request = revnue::types::CreateCustomerRequest;
    let value = |v: Value| {
        check::<Request>(
            json!({"company": 1, "name": "Acme", "template": {"id": 1, "fields": [{"id": 1, "value": 1}, {"id": 2, "value": v}]}}),
        )
    };
    assert!(value(json!(12.5)).is_empty(), "money");
    assert!(value(json!(-42)).is_empty(), "number may be negative");
    assert!(value(json!("2024-01-31")).is_empty(), "date");
    assert!(value(json!("fifty characters at most")).is_empty(), "text");
    // Money may not be negative, and -5.5 is no integer: no data type admits it.
    assert_eq!(value(json!(-5.5)), vec!["/template/fields/1/value minimum 0", "/template/fields/1/value anyOf"]);
    // Beyond both the money and the number ranges.
    assert_eq!(
        value(json!(1_000_000_000_000_000_i64)),
        vec!["/template/fields/1/value maximum 999999999999999", "/template/fields/1/value anyOf"]
    );
    // A 51-character string is neither a date nor a text.
    assert_eq!(
        value(json!("x".repeat(51))),
        vec!["/template/fields/1/value maxLength 50", "/template/fields/1/value anyOf"]
    );
}

#[test]
fn revcent_nested_rules_and_deep_pointers() {
    type Request = revcent::types::CreateCustomerRequest;
    let base = json!({
        "campaign": "c",
        "customer": {"first_name": "A", "last_name": "B", "email": "a@b.co"},
        "metadata": [
            {"name": "n0", "value": "v"},
            {"name": "n1", "value": "v"},
            {"name": "n2", "value": "v"},
            {"name": "", "value": "x".repeat(256)},
        ],
    });
    assert_eq!(check::<Request>(base), vec!["/metadata/3/name minLength 1", "/metadata/3/value maxLength 255"]);
    let bad_email = json!({"campaign": "c", "customer": {"first_name": "A", "last_name": "B", "email": "@"}});
    assert_eq!(check::<Request>(bad_email), vec!["/customer/email format \"email\""]);
}

#[test]
fn revcent_deserialization_failures_have_pointers_and_keywords() {
    type Request = revcent::types::CreateCustomerRequest;
    let unknown =
        json!({"campaign": "c", "customer": {"first_name": "A", "last_name": "B", "email": "a@b.co", "age": 3}});
    assert_eq!(check::<Request>(unknown), vec!["/customer additionalProperties false"]);
    let missing = json!({"campaign": "c", "customer": {"first_name": "A", "last_name": "B"}});
    assert_eq!(check::<Request>(missing), vec!["/customer required \"email\""]);
    let wrong_type = json!({"campaign": "c", "customer": {"first_name": "A", "last_name": "B", "email": "a@b.co"}, "payment": {"credit_card": {"exp_month": "12"}}});
    assert_eq!(check::<Request>(wrong_type), vec!["/payment/credit_card/exp_month type"]);
    // `null` where the schema is not nullable is refused, not read as absent.
    let null =
        json!({"campaign": "c", "customer": {"first_name": "A", "last_name": "B", "email": "a@b.co", "phone": null}});
    assert_eq!(check::<Request>(null), vec!["/customer/phone type"]);
    let malformed = apigen_runtime::from_json::<Request>(b"{\"campaign\": ").unwrap_err();
    assert_eq!(violations(&malformed), vec![" json"]);
}

#[test]
fn jtl_address_lengths_and_formats() {
    type Request = jtl::types::CreateCustomer;
    let customer = |address: Value| json!({"CustomerGroupId": 1, "LanguageIso": "DE", "InternalCompanyId": 1, "BillingAddress": address});
    assert!(check::<Request>(customer(json!({"City": "Köln", "CountryIso": "DE"}))).is_empty());
    assert_eq!(
        check::<Request>(customer(json!({"City": "", "CountryIso": "DEUTSC"}))),
        vec!["/BillingAddress/City minLength 1", "/BillingAddress/CountryIso maxLength 5"]
    );
}

#[test]
fn errors_display_pointer_message_and_keyword() {
    let errors = apigen_runtime::from_json::<revnue::types::CreateCustomerRequest>(
        json!({"company": 1, "name": "x".repeat(51), "website": "y".repeat(51)}).to_string().as_bytes(),
    )
    .unwrap_err();
    assert_eq!(
        errors.to_string(),
        "2 validation errors\n  /name: must be at most 50 characters long, is 51 (maxLength)\n  /website: must be at most 50 characters long, is 51 (maxLength)"
    );
}

#[test]
fn an_alternative_that_only_constrains_admits_any_shape() {
    use apigen_tests::fixtures::shapes::types::OpenUnion;
    // 2.5 is no integer, but the second alternative (minimum 2) admits it.
    assert!(check::<OpenUnion>(json!(2.5)).is_empty());
    assert!(check::<OpenUnion>(json!("text")).is_empty());
    assert!(check::<OpenUnion>(json!(1)).is_empty());
    // 1.5 is neither an integer nor at least 2.
    assert_eq!(check::<OpenUnion>(json!(1.5)), vec![" anyOf"]);
}

#[test]
fn values_are_read_as_json_schema_reads_them() {
    // An integer may be written with a zero fraction or an exponent.
    assert!(check::<revnue::types::CreateCustomerRequest>(json!({"company": 1.0, "name": "x"})).is_empty());
    assert!(check::<revnue::types::CreateCustomerRequest>(json!({"company": 1e1, "name": "x"})).is_empty());
    assert!(check::<revcent::types::CreateCustomerSuccess>(json!({"code": 1.0})).is_empty());
    assert_eq!(
        check::<revnue::types::CreateCustomerRequest>(json!({"company": 1.5, "name": "x"})),
        vec!["/company type"]
    );
    // Dates only in RFC 3339's form, which chrono alone would loosen.
    assert_eq!(
        check::<revnue::types::CreateCustomerRequest>(
            json!({"company": 1, "name": "x", "nda_signed_date": "2024-1-05"})
        ),
        vec!["/nda_signed_date format"]
    );
    let customer = |since: &str| {
        json!({"CustomerGroupId": 1, "LanguageIso": "DE", "InternalCompanyId": 1,
               "BillingAddress": {"City": "Köln", "CountryIso": "DE"}, "CustomerSince": since})
    };
    assert!(check::<jtl::types::CreateCustomer>(customer("2023-02-01T13:30:00.0000000+00:00")).is_empty());
    assert_eq!(check::<jtl::types::CreateCustomer>(customer("2023-02-01 13:30:00Z")), vec!["/CustomerSince format"]);
}

#[test]
fn a_wrong_kind_of_value_for_an_enum_keeps_its_pointer() {
    let errors = check::<pelcro::types::CreateCustomerRequest>(json!({"email": "a@b.co", "language": null}));
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("/language "), "{errors:?}");
    let duplicate =
        apigen_runtime::from_json::<revcent::types::CreateCustomerSuccess>(br#"{"code":1,"code":1}"#).unwrap_err();
    assert_eq!(violations(&duplicate), vec![" json"]);
}

#[test]
fn an_array_is_not_an_object() {
    assert_eq!(check::<revnue::types::ErrorDetail>(json!(["x"])), vec![" type"]);
    assert_eq!(check::<jtl::types::ErrorResponse>(json!([])), vec![" type"]);
    let nested = json!({"campaign": "c", "customer": ["A", "B", "a@b.co"]});
    assert_eq!(check::<revcent::types::CreateCustomerRequest>(nested), vec!["/customer type"]);
}

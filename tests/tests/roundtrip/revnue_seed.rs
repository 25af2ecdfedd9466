//! Revnue (seed 001): its documented examples, and the bodies written here from its spec, through the
//! generated types.

use super::*;

fn revnue_contact() -> Value {
    json!({"name": "Ann Contact", "email": "ann@example.com", "type": "billing"})
}

#[test]
fn revnue_request_with_every_field_round_trips() {
    use revnue::types::{ContactPersonType, CustomFieldValue};
    let doc = spec("revnue");
    let body = json!({
        "company": 1,
        "name": "Acme Corp",
        "category": 3,
        "contact_person": revnue_contact(),
        "address_line_1": "1 Main St",
        "address_line_2": "Floor 2",
        "city": "Springfield",
        "state_province": "IL",
        "zip_postal_code": "62701",
        "country": 840,
        "phone": "+1 217 555 0100",
        "mobile": "+1 217 555 0101",
        "fax": "+1 217 555 0102",
        "website": "https://acme.example",
        "general_description": "General",
        "nda_signed": true,
        "nda_signed_date": "2024-01-15",
        "msa_signed": false,
        "msa_signed_date": "2024-02-29",
        "supplementary_description": "Supplementary",
        "additional_description": "Additional",
        "template": {
            "id": 7,
            "fields": [
                {"id": 1, "value": 12.5},
                {"id": 2, "value": 42},
                {"id": 3, "value": "2024-01-31"},
                {"id": 4, "value": "abc"}
            ]
        }
    });
    let request = "/components/schemas/CreateCustomerRequest";
    assert_uses_every_property("Revnue request", &doc, request, &body);
    assert_uses_every_property(
        "Revnue contact_person",
        &doc,
        "/components/schemas/ContactPerson",
        &body["contact_person"],
    );
    assert_uses_every_property("Revnue template", &doc, &format!("{request}/properties/template"), &body["template"]);
    assert_uses_every_property(
        "Revnue template field",
        &doc,
        &format!("{request}/properties/template/properties/fields/items"),
        &body["template"]["fields"][0],
    );

    let typed: revnue::types::CreateCustomerRequest = assert_round_trip("Revnue CreateCustomerRequest", &body);
    assert_eq!(typed.company, 1);
    assert_eq!(typed.country, Some(840));
    assert_eq!(typed.nda_signed_date, NaiveDate::from_ymd_opt(2024, 1, 15));
    assert_eq!(typed.msa_signed_date, NaiveDate::from_ymd_opt(2024, 2, 29));
    assert_eq!(typed.contact_person.as_ref().and_then(|c| c.type_.clone()), Some(ContactPersonType::Billing));
    let template = typed.template.expect("template");
    assert_eq!(template.id, Some(7));
    let values: Vec<(Option<i64>, Option<CustomFieldValue>)> =
        template.fields.expect("fields").into_iter().map(|f| (f.id, f.value)).collect();
    assert_eq!(
        values,
        vec![
            (Some(1), Some(CustomFieldValue::Money(12.5))),
            // An integer lands in the integer variant, not the float one.
            (Some(2), Some(CustomFieldValue::Number(42))),
            (Some(3), Some(CustomFieldValue::Date(NaiveDate::from_ymd_opt(2024, 1, 31).unwrap()))),
            (Some(4), Some(CustomFieldValue::Text("abc".into()))),
        ]
    );
}

#[test]
fn revnue_customer_response_with_template_fields_map_round_trips() {
    use revnue::types::{CustomFieldValue, CustomerCategory};
    let doc = spec("revnue");
    let body = json!({
        "id": 9001,
        "name": "Acme Corp",
        "category": {"id": 3, "name": "Wholesale"},
        "contact_person": revnue_contact(),
        "address_line_1": "1 Main St",
        "address_line_2": "Floor 2",
        "city": "Springfield",
        "state_province": "IL",
        "zip_postal_code": "62701",
        "country": "United States",
        "phone": "+1 217 555 0100",
        "mobile": "+1 217 555 0101",
        "fax": "+1 217 555 0102",
        "website": "https://acme.example",
        "general_description": "General",
        "nda_signed": true,
        "nda_signed_date": "2024-01-15",
        "msa_signed": false,
        "msa_signed_date": "2024-02-29",
        "supplementary_description": "Supplementary",
        "additional_description": "Additional",
        "template": {
            "id": 7,
            "fields": {
                "money_field": 12.5,
                "number_field": 42,
                "date_field": "2024-01-31",
                "text_field": "abc"
            }
        }
    });
    let customer = "/components/schemas/Customer";
    assert_uses_every_property("Revnue Customer", &doc, customer, &body);
    assert_uses_every_property(
        "Revnue Customer category",
        &doc,
        &format!("{customer}/properties/category"),
        &body["category"],
    );
    assert_uses_every_property(
        "Revnue Customer template",
        &doc,
        &format!("{customer}/properties/template"),
        &body["template"],
    );

    // The map is a BTreeMap: keys come back sorted, which the comparison allows.
    let typed: revnue::types::Customer = assert_round_trip("Revnue Customer", &body);
    assert_eq!(typed.country.as_deref(), Some("United States"));
    assert_eq!(typed.category, Some(CustomerCategory::new().with_id(3).with_name("Wholesale")));
    let fields = typed.template.and_then(|t| t.fields).expect("template.fields");
    assert_eq!(fields.len(), 4);
    assert_eq!(fields["money_field"], CustomFieldValue::Money(12.5));
    assert_eq!(fields["number_field"], CustomFieldValue::Number(42));
    assert_eq!(fields["date_field"], CustomFieldValue::Date(NaiveDate::from_ymd_opt(2024, 1, 31).unwrap()));
    assert_eq!(fields["text_field"], CustomFieldValue::Text("abc".into()));
}

#[test]
fn revnue_error_detail_example_round_trips() {
    let doc = spec("revnue");
    let example = at(&doc, "/paths/~1api~1v2~1customer/post/responses/429/content/application~1json/example");
    let typed: revnue::types::ErrorDetail = assert_round_trip("Revnue 429 example (ErrorDetail)", example);
    assert_eq!(typed.detail, "Request was throttled. Expected available in 40 seconds.");
}

/// `CustomFieldValue` is untagged: the variant is chosen by the JSON shape alone (the
/// field's data type lives in the template, out of the value's reach). Each value must
/// still come back unchanged.
#[test]
fn revnue_custom_field_value_variant_follows_the_json_shape() {
    use revnue::types::CustomFieldValue as V;
    let date = |y, m, d| V::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap());
    let cases: Vec<(Value, V)> = vec![
        (json!(12.5), V::Money(12.5)),
        (json!(0.0), V::Money(0.0)),
        (json!(999999999999999.0), V::Money(999999999999999.0)),
        (json!(42), V::Number(42)),
        (json!(0), V::Number(0)),
        (json!(-999999999999999_i64), V::Number(-999999999999999)),
        // A money amount written without a decimal point is indistinguishable from a
        // number: it lands in Number (and is written back unchanged).
        (json!(100), V::Number(100)),
        (json!("2024-01-31"), date(2024, 1, 31)),
        (json!("2024-02-29"), date(2024, 2, 29)),
        // Not a calendar date / not yyyy-MM-dd: text.
        (json!("2024-02-30"), V::Text("2024-02-30".into())),
        (json!("31.01.2024"), V::Text("31.01.2024".into())),
        (json!("abc"), V::Text("abc".into())),
        (json!(""), V::Text(String::new())),
    ];
    for (input, expected) in cases {
        let typed: V = assert_round_trip(&format!("Revnue CustomFieldValue {input}"), &input);
        assert_eq!(typed, expected, "variant chosen for {input}");
    }
    // A value of a shape no alternative has is kept as JSON, and refused by validation.
    for other in [json!(true), json!(null), json!([]), json!({})] {
        let typed = assert_kept_but_invalid::<V>(
            "Revnue CustomFieldValue of another JSON type",
            &other,
            &[("", "anyOf", "must match at least one of the alternatives")],
        );
        assert_eq!(typed, V::Unknown(other));
    }
}

#[test]
fn revnue_contact_person_types_round_trip() {
    use revnue::types::{ContactPerson, ContactPersonType as T};
    for (wire, variant) in [
        ("account_management", T::AccountManagement),
        ("billing", T::Billing),
        ("executive", T::Executive),
        ("sales", T::Sales),
        ("support", T::Support),
        ("technical", T::Technical),
    ] {
        let body = json!({"name": "N", "email": "n@example.com", "type": wire});
        let typed: ContactPerson = assert_round_trip("Revnue ContactPerson", &body);
        assert_eq!(variant.as_str(), wire);
        assert_eq!(typed.type_, Some(variant));
    }
    // A type the API added since is kept, and refused only by validation.
    let typed = assert_kept_but_invalid::<ContactPerson>(
        "Revnue ContactPerson with an unknown type",
        &json!({"name": "N", "email": "n@example.com", "type": "marketing"}),
        &[(
            "/type",
            "enum",
            r#"must be one of ["account_management","billing","executive","sales","support","technical"]"#,
        )],
    );
    assert_eq!(typed.type_, Some(T::UnknownValue("marketing".to_owned())));
}

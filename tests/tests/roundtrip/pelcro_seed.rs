//! Pelcro (seed 000): its documented examples, and the bodies written here from its spec, through the
//! generated types.

use super::*;

fn pelcro_full_request() -> Value {
    json!({
        "email": "jane@example.com",
        "skip_email_dns_validations": true,
        "first_name": "Jane",
        "last_name": "Doe",
        "phone": "+1 (555) 010-0199",
        "tele_marketing": false,
        "mail_marketing": true,
        "email_hardbounce": false,
        "metadata": {
            "plan": "gold",
            "seats": 3,
            "ratio": 0.75,
            "vip": true,
            "none": null,
            "tags": ["a", "b"],
            "nested": {"z": 1, "a": [1.5, {"k": "v"}]}
        },
        "old_provider_id": "legacy-123",
        "display_name": "jdoe",
        "organization": "Acme",
        "is_imported": true,
        "tin": "DE123456789",
        "password": "correct horse battery staple",
        "password_type": "plain_text",
        "username": "jane_doe-1",
        "title": "Dr.",
        "salutation": "Ms.",
        "timezone": "Europe/Berlin",
        "language": "fr",
        "payment_gateway_id": "cus_123",
        "import_payment_methods": true,
        "email_confirm": true,
        "billing_email": "billing@example.com"
    })
}

#[test]
fn pelcro_request_with_every_field_round_trips() {
    use pelcro::types::{CreateCustomerRequestLanguage, CreateCustomerRequestPasswordType};
    let body = pelcro_full_request();
    assert_uses_every_property("Pelcro request", &spec("pelcro"), "/components/schemas/CreateCustomerRequest", &body);
    let typed: pelcro::types::CreateCustomerRequest = assert_round_trip("Pelcro CreateCustomerRequest", &body);
    assert_eq!(typed.password_type, Some(CreateCustomerRequestPasswordType::PlainText));
    assert_eq!(typed.language, Some(CreateCustomerRequestLanguage::Fr));
    assert_eq!(typed.import_payment_methods, Some(true));
    assert_eq!(typed.payment_gateway_id.as_deref(), Some("cus_123"));
    let metadata = typed.metadata.expect("metadata");
    assert_eq!(metadata.len(), 7);
    assert_eq!(metadata["seats"], json!(3));
    assert_eq!(metadata["ratio"], json!(0.75));
    assert_eq!(metadata["none"], Value::Null);
    assert_eq!(metadata["nested"], json!({"z": 1, "a": [1.5, {"k": "v"}]}));
}

#[test]
fn pelcro_form_with_every_field_round_trips() {
    let doc = spec("pelcro");
    let mut body = pelcro_full_request();
    body["profile_photo"] = json!("photo.png");
    let mut declared = property_names(&doc, "/components/schemas/CreateCustomerRequest");
    declared.extend(property_names(&doc, "/components/schemas/CreateCustomerForm/allOf/1"));
    let declared: BTreeSet<String> = declared.into_iter().collect();
    let used: BTreeSet<String> = body.as_object().unwrap().keys().cloned().collect();
    assert_eq!(declared, used, "Pelcro form payload must use every property (left: spec)");

    let typed: pelcro::types::CreateCustomerForm = assert_round_trip("Pelcro CreateCustomerForm", &body);
    // `format: binary`: in JSON a string, read as its bytes.
    assert_eq!(typed.profile_photo.as_ref().map(|p| p.bytes()), Some(&b"photo.png"[..]));
    assert_eq!(typed.username.as_deref(), Some("jane_doe-1"));
}

#[test]
fn pelcro_enum_values_land_in_their_variants() {
    use pelcro::types::{
        CreateCustomerRequest, CreateCustomerRequestLanguage as L, CreateCustomerRequestPasswordType as P,
    };
    for (wire, variant) in [
        ("plain_text", P::PlainText),
        ("password_bcrypt", P::PasswordBcrypt),
        ("md5", P::Md5),
        ("drupal_v8.2.x", P::DrupalV82X),
        ("bcrypt_wordpress", P::BcryptWordpress),
        ("crypt", P::Crypt),
    ] {
        let body = json!({"email": "a@example.com", "password": "x", "password_type": wire});
        let typed: CreateCustomerRequest = assert_round_trip("Pelcro password_type", &body);
        assert_eq!(variant.as_str(), wire);
        assert_eq!(typed.password_type, Some(variant));
    }
    for (wire, variant) in [("en", L::En), ("fr", L::Fr), ("it", L::It), ("ko", L::Ko), ("es", L::Es)] {
        let body = json!({"display_name": "d", "language": wire});
        let typed: CreateCustomerRequest = assert_round_trip("Pelcro language", &body);
        assert_eq!(variant.as_str(), wire);
        assert_eq!(typed.language, Some(variant));
    }
    let typed = assert_kept_but_invalid::<CreateCustomerRequest>(
        "Pelcro language outside the enum",
        &json!({"email": "a@example.com", "language": "de"}),
        &[("/language", "enum", r#"must be one of ["en","fr","it","ko","es"]"#)],
    );
    assert_eq!(typed.language, Some(L::UnknownValue("de".to_owned())));
    assert_kept_but_invalid::<CreateCustomerRequest>(
        "Pelcro password_type in the wrong case",
        &json!({"email": "a@example.com", "password": "x", "password_type": "MD5"}),
        &[(
            "/password_type",
            "enum",
            r#"must be one of ["plain_text","password_bcrypt","md5","drupal_v8.2.x","bcrypt_wordpress","crypt"]"#,
        )],
    );
}

//! JTL (seed 004): its documented examples, and the bodies written here from its spec, through the
//! generated types.

use super::*;

const JTL_SCHEMAS_WITH_EXAMPLES: [&str; 8] = [
    "CreateCustomer",
    "CreateAddress",
    "CreateOtherAddresses",
    "CreatePaymentSettings",
    "Customer",
    "Address",
    "OtherAddresses",
    "PaymentSettings",
];

#[test]
fn jtl_objects_built_from_the_property_examples_are_complete_and_round_trip() {
    let doc = spec("jtl");
    let table = property_example_schemas();
    for name in JTL_SCHEMAS_WITH_EXAMPLES {
        let pointer = format!("/components/schemas/{name}");
        let (input, expected) = example_object(&doc, &pointer);
        // "Full": every property of the schema is present (nested ones are checked when
        // their own schema comes round in this loop).
        assert_uses_every_property(&format!("JTL {name}"), &doc, &pointer, &input);
        let (_, _, check) = table
            .iter()
            .find(|(a, n, _)| *a == "jtl" && *n == name)
            .expect("every JTL schema with examples is in property_example_schemas()");
        check(&format!("JTL {name} (from its property examples)"), &input, &expected);
    }
}

#[test]
fn jtl_create_customer_from_examples_has_the_documented_values() {
    let doc = spec("jtl");
    let (input, expected) = example_object(&doc, "/components/schemas/CreateCustomer");
    let (typed, back) = round_trip_raw::<jtl::types::CreateCustomer>("JTL CreateCustomer", &input);
    assert_same_json("JTL CreateCustomer", &expected, &back);

    let since = DateTime::parse_from_rfc3339("2023-02-01T13:30:00+00:00").unwrap();
    assert_eq!(typed.customer_since, Some(since));
    assert_eq!(typed.customer_since.unwrap().offset().local_minus_utc(), 0);
    // The seven zero fractional digits are not kept; chrono writes a zero offset as Z.
    assert_eq!(input["CustomerSince"], json!("2023-02-01T13:30:00.0000000+00:00"));
    assert_eq!(back["CustomerSince"], json!("2023-02-01T13:30:00Z"));
    // Birthday's published example is not a date-time; the field is a String.
    assert_eq!(typed.birthday.as_deref(), Some("1985-01-01T"));
    assert_eq!(typed.number.as_deref(), Some("C1005486"));
    assert_eq!(typed.language_iso, "DE");
    assert_eq!(typed.customer_group_id, 0);
    assert_eq!(typed.internal_company_id, 1);
    assert_eq!(typed.customer_category_id, Some(12));
    assert_eq!(typed.accounts_receivable_number, Some(10000));
    assert_eq!(typed.tax_identification_number.as_deref(), Some("123/123/12345"));
    assert_eq!(typed.commercial_register_number.as_deref(), Some("HRB 1234"));
    assert_eq!(typed.website.as_deref(), Some("https://mywebsite.com"));
    assert_eq!(typed.initial_contact.as_deref(), Some("Amazon"));
    assert_eq!(typed.ebay_username.as_deref(), Some("eBaybuyer123"));
    assert_eq!(typed.is_locked, Some(false));
    assert_eq!(typed.is_cash_register_based, Some(false));
    assert_eq!(typed.billing_address.city, "Example City");
    assert_eq!(typed.billing_address.country_iso, "DE");
    let other = typed.other_addresses.expect("OtherAddresses");
    assert_eq!(other.other_billing_addresses.map(|v| v.len()), Some(1));
    let pay = typed.payment_settings.expect("PaymentSettings");
    assert_eq!(pay.discount, Some(serde_json::Number::from(5)));
    assert_eq!(pay.payment_method_id, Some(123));
}

/// `Discount` (`type: number, format: decimal`) carries the documented example `5` back as
/// `5`, not `5.0`.
#[test]
fn jtl_discount_keeps_the_number_exactly_as_written() {
    // `format: decimal` is a `serde_json::Number`: `5` stays `5`, `5.10` stays `5.1` in value
    // and `5.0` stays a float, where an `f64` would have rewritten `5` as `5.0`.
    let create: jtl::types::CreatePaymentSettings = serde_json::from_str(r#"{"Discount": 5}"#).unwrap();
    assert_eq!(create.discount, Some(serde_json::Number::from(5)));
    assert_eq!(serde_json::to_string(&create).unwrap(), r#"{"Discount":5}"#);
    let create: jtl::types::CreatePaymentSettings = serde_json::from_str(r#"{"Discount": 5.0}"#).unwrap();
    assert_eq!(serde_json::to_string(&create).unwrap(), r#"{"Discount":5.0}"#);

    let response: jtl::types::PaymentSettings = serde_json::from_str(
        r#"{"PaymentMethodId":123,"Discount":5,"PaymentTarget":3,"CreditLimit":100,"StopPaymentRequest":false}"#,
    )
    .unwrap();
    assert_eq!(
        serde_json::to_string(&response).unwrap(),
        r#"{"PaymentMethodId":123,"Discount":5,"PaymentTarget":3,"CreditLimit":100,"StopPaymentRequest":false}"#
    );
}

fn jtl_address(id: i64, street: &str) -> Value {
    json!({
        "Id": id,
        "Company": "Sportbedarf Sommer",
        "Company2": "Innovation Division",
        "FormOfAddress": "Mr.",
        "Title": "Dr.",
        "FirstName": "John",
        "LastName": "Doe",
        "Street": street,
        "Address2": "Floor 5, Apt 302",
        "PostalCode": "12345",
        "City": "Example City",
        "State": "Example State",
        "CountryIso": "DE",
        "VatID": "DE123456789",
        "PhoneNumber": "+49 1234 445556661",
        "MobilePhoneNumber": "+49 160 123 4567",
        "EmailAddress": "example@email.com",
        "Fax": "+49 1234 4455566615"
    })
}

/// A complete 201 body: every value seed 004 gives is used as given; the rest (ids,
/// addresses, payment settings) are made up, in the vendor's example style.
fn jtl_seed_customer() -> Value {
    json!({
        "Id": 4711,
        "Number": "C1005486",
        "CustomerGroupId": 1,
        "BillingAddress": jtl_address(100, "Main St. 123"),
        "Shipmentaddress": jtl_address(101, "Harbour Rd. 7"),
        "CustomAddress": jtl_address(102, "Market Sq. 1"),
        "OtherAddresses": {
            "OtherBillingAddresses": [jtl_address(103, "Billing Way 2")],
            "OtherShippingAddresses": [],
            "OtherCustomerAddresses": [jtl_address(104, "Depot Ln. 9"), jtl_address(105, "Depot Ln. 10")]
        },
        "PaymentSettings": {
            "PaymentMethodId": 123,
            "Discount": 2.5,
            "PaymentTarget": 14,
            "CreditLimit": 5000,
            "StopPaymentRequest": true
        },
        "CustomerSince": "2023-02-01T13:30:00.0000000+00:00",
        "LanguageIso": "DE",
        "InternalCompanyId": 1,
        "CustomerCategoryId": 12,
        "TaxIdentificationNumber": "123/123/12345",
        "AccountsReceivableNumber": 10000,
        "CommercialRegisterNumber": "HRB 1234",
        "Website": "https://mywebsite.com",
        "InitialContact": "Amazon",
        "EbayUsername": "eBaybuyer123",
        "Birthday": "1985-01-01T",
        "IsLocked": false,
        "IsCashRegisterBased": false
    })
}

#[test]
fn jtl_seed_customer_response_round_trips() {
    let doc = spec("jtl");
    let body = jtl_seed_customer();
    assert_uses_every_property("JTL Customer body", &doc, "/components/schemas/Customer", &body);
    assert_uses_every_property("JTL Address body", &doc, "/components/schemas/Address", &body["BillingAddress"]);
    assert_uses_every_property(
        "JTL OtherAddresses body",
        &doc,
        "/components/schemas/OtherAddresses",
        &body["OtherAddresses"],
    );
    assert_uses_every_property(
        "JTL PaymentSettings body",
        &doc,
        "/components/schemas/PaymentSettings",
        &body["PaymentSettings"],
    );

    let typed: jtl::types::Customer = assert_round_trip("JTL Customer (seed 004 values)", &body);
    assert_eq!(typed.number, "C1005486");
    assert_eq!(typed.customer_since, DateTime::parse_from_rfc3339("2023-02-01T13:30:00Z").unwrap());
    assert_eq!(typed.language_iso, "DE");
    assert_eq!(typed.tax_identification_number, "123/123/12345");
    assert_eq!(typed.accounts_receivable_number, 10000);
    assert_eq!(typed.commercial_register_number, "HRB 1234");
    assert_eq!(typed.website, "https://mywebsite.com");
    assert_eq!(typed.initial_contact, "Amazon");
    assert_eq!(typed.ebay_username, "eBaybuyer123");
    assert_eq!(typed.birthday, "1985-01-01T");
    assert!(!typed.is_locked);
    assert!(!typed.is_cash_register_based);
    assert_eq!(typed.payment_settings.discount.as_f64(), Some(2.5));
    assert!(typed.other_addresses.other_shipping_addresses.is_empty());
    assert_eq!(typed.other_addresses.other_customer_addresses[1].id, 105);
}

#[test]
fn jtl_error_response_round_trips() {
    let body = json!({
        "ErrorCode": "ValidationError",
        "ValidationErrors": {
            "BillingAddress.City": "The City field is required.",
            "LanguageIso": "Unknown language."
        },
        "ErrorMessage": "The sent data is invalid.",
        "Stacktrace": "at Customers.Create()"
    });
    assert_uses_every_property("JTL ErrorResponse body", &spec("jtl"), "/components/schemas/ErrorResponse", &body);
    let typed: jtl::types::ErrorResponse = assert_round_trip("JTL ErrorResponse", &body);
    let errors = typed.validation_errors.expect("ValidationErrors");
    assert_eq!(errors["LanguageIso"], "Unknown language.");
}

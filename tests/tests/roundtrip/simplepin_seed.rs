//! SimplePin (seed 002): its documented examples, and the bodies written here from its spec, through the
//! generated types.

use super::*;

/// The seed's JSON request body example, copied verbatim from seed 002.
const SIMPLEPIN_SEED_REQUEST: &str = r#"{
"billing_addresses": [
{
"id": 0,
"zip": "string",
"city": "string",
"country": 0,
"province": 0,
"address": "string",
"selected": true
}
],
"contract_email": "string",
"contracts": [
{
"id": 0,
"name": "string"
}
],
"customer_id": "string",
"customer_name": "string",
"customer_since": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
"delete_billing_address_ids": [],
"main_address": {
"id": 0,
"zip": "string",
"city": "string",
"country": 0,
"province": 0,
"address": "string",
"selected": true
},
"mobile_number": "string",
"phone_number": "string"
}"#;

/// The seed's JSON response body example, copied verbatim from seed 002.
const SIMPLEPIN_SEED_RESPONSE: &str = r#"{
"billing_address_id": 0,
"billing_address_models": [
{
"id": 0,
"zip": "string",
"city": "string",
"country": 0,
"province": 0,
"address": "string",
"selected": true
}
],
"contract_email": "string",
"contracts": [
{
"id": 0,
"name": "string"
}
],
"customer_id": "string",
"customer_name": "string",
"customer_since": "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
"id": 0,
"main_address": {
"id": 0,
"zip": "string",
"city": "string",
"country": 0,
"province": 0,
"address": "string",
"selected": true
},
"mobile_number": "string",
"phone_number": "string",
"status": "REQUIRES_ACTIVATION",
"version": 0
}"#;

const SIMPLEPIN_OP: &str = "/paths/~1v2~1customer~1add/post";

fn simplepin_example(doc: &Value, where_: &str) -> Value {
    at(doc, &format!("{SIMPLEPIN_OP}/{where_}/content/application~1json/example")).clone()
}

#[test]
fn simplepin_spec_json_examples_are_the_seed_json() {
    let doc = spec("simplepin");
    let seed_request = parse(SIMPLEPIN_SEED_REQUEST);
    let seed_response = parse(SIMPLEPIN_SEED_RESPONSE);
    for (where_, seed) in
        [("requestBody", &seed_request), ("responses/200", &seed_response), ("responses/201", &seed_response)]
    {
        let in_spec = simplepin_example(&doc, where_);
        // Exact: same value, same key order (serde_json is built with preserve_order).
        assert_eq!(
            serde_json::to_string(&in_spec).unwrap(),
            serde_json::to_string(seed).unwrap(),
            "specs/simplepin.yaml {where_} application/json example drifted from seed 002\n\
             --- spec ---\n{}\n--- seed ---\n{}",
            pretty(&in_spec),
            pretty(seed)
        );
    }
}

#[test]
fn simplepin_request_example_round_trips() {
    let example = simplepin_example(&spec("simplepin"), "requestBody");
    let typed: simplepin::types::CcProfileApiV2Model =
        assert_round_trip("SimplePin request example (CcProfileApiV2Model)", &example);

    // Every property set, so that none can have been read as absent.
    let address = simplepin::types::AddressApiV2Model::new()
        .with_id(0)
        .with_zip("string")
        .with_city("string")
        .with_country(0)
        .with_province(0)
        .with_address("string")
        .with_selected(true);
    assert_eq!(
        typed,
        simplepin::types::CcProfileApiV2Model::new()
            .with_billing_addresses(vec![address.clone()])
            .with_contract_email("string")
            .with_contracts(vec![simplepin::types::CcContractV2Model::new().with_id(0).with_name("string")])
            .with_customer_id("string")
            .with_customer_name("string")
            // The mask is not a date-time, so the field is a String and keeps it verbatim.
            .with_customer_since("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            // An empty array is a value, not an absent field: it must come back as [].
            .with_delete_billing_address_ids(vec![])
            .with_main_address(address)
            .with_mobile_number("string")
            .with_phone_number("string")
    );
}

#[test]
fn simplepin_response_examples_round_trip() {
    let doc = spec("simplepin");
    for status in ["200", "201"] {
        let example = simplepin_example(&doc, &format!("responses/{status}"));
        let typed: simplepin::types::CcProfileV2Model =
            assert_round_trip(&format!("SimplePin {status} response example (CcProfileV2Model)"), &example);
        assert_eq!(typed.status.as_deref(), Some("REQUIRES_ACTIVATION"));
        assert_eq!(typed.version, Some(0));
        assert_eq!(typed.billing_address_id, Some(0));
        assert_eq!(typed.customer_since.as_deref(), Some("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"));
        let models = typed.billing_address_models.expect("billing_address_models");
        assert_eq!(models.len(), 1);
        assert_eq!(models[0].selected, Some(true));
        assert_eq!(typed.contracts.expect("contracts")[0].name.as_deref(), Some("string"));
    }
}

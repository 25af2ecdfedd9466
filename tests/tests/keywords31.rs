//! JSON Schema 2020-12's applicators in an OpenAPI 3.1 document (`fixtures/keywords31.yaml`):
//! the generated validators report every violation with its pointer, keyword and message, and
//! `apigen validate`'s interpreter over the same model reports exactly the same.

use apigen_cli::validate::{Interpreter, Target};
use apigen_tests::fixtures::keywords31::validate_schema;
use serde_json::{json, Value};

/// Each violation as `pointer keyword: message`, as the generated validator reports them,
/// after checking that the interpreter reports the same set.
fn violations(schema: &str, payload: Value) -> Vec<String> {
    let bytes = payload.to_string();
    let generated: Vec<String> = match validate_schema(schema, bytes.as_bytes()).expect("the schema is in the fixture")
    {
        Ok(()) => Vec::new(),
        Err(errors) => errors.iter().map(|e| format!("{} {}: {}", e.pointer, e.keyword, e.message)).collect(),
    };
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/keywords31.yaml"))
        .expect("the fixture reads");
    let spec = apigen::load(&apigen::SpecSource { name: "keywords31.yaml".into(), text }).expect("the fixture loads");
    let (model, _) = apigen::model_of(&spec, &apigen::Options::new("keywords31"));
    let interpreter = Interpreter::new(&model);
    let ty = interpreter.target(&Target::Schema(schema.to_owned())).expect("the schema is in the model");
    let mut interpreted: Vec<String> = interpreter
        .validate(ty, bytes.as_bytes())
        .iter()
        .map(|e| format!("{} {}: {}", e.pointer, e.keyword, e.message))
        .collect();
    let mut sorted = generated.clone();
    sorted.sort();
    interpreted.sort();
    assert_eq!(sorted, interpreted, "the interpreter disagrees with the generated validator on {payload}");
    generated
}

#[test]
fn prefix_items_check_each_position_and_items_the_rest() {
    assert!(violations("Point", json!([12.5, -3, "home"])).is_empty());
    assert_eq!(
        violations("Point", json!([200, "north", "a long label", 4])),
        [
            " maxItems: must have at most 3 items, has 4",
            "/0 maximum: must be at most 180, is 200",
            "/1 type: must be of type number",
            "/2 maxLength: must be at most 8 characters long, is 12",
            "/3 type: must be of type string",
        ]
    );
}

#[test]
fn contains_counts_the_matching_items() {
    assert!(violations("Tags", json!(["a", "primary"])).is_empty());
    assert_eq!(
        violations("Tags", json!(["a", "b"])),
        [" contains: must contain an item that matches the `contains` subschema"]
    );
    assert_eq!(
        violations("Tags", json!(["primary", "primary"])),
        [" maxContains: must contain at most 1 item matching the `contains` subschema, contains 2"]
    );
    assert!(violations("Scores", json!([95, 12, 90])).is_empty());
    assert_eq!(
        violations("Scores", json!([95, 12])),
        [" minContains: must contain at least 2 items matching the `contains` subschema, contains 1"]
    );
}

#[test]
fn pattern_properties_property_names_and_additional_properties() {
    assert!(violations("Labels", json!({"colour": "red", "x_count": 3})).is_empty());
    assert_eq!(
        violations("Labels", json!({"colour": 1, "x_count": -1, "x_size": "big", "Bad-Name": "x"})),
        [
            "/colour type: must be of type string",
            "/x_count minimum: must be at least 0, is -1",
            "/x_size type: must be of type integer",
            " propertyNames: property name `Bad-Name` does not match the `propertyNames` subschema",
        ]
    );
}

#[test]
fn dependent_keywords_and_conditionals() {
    assert!(violations("Shipment", json!({"kind": "parcel", "weight": 2.5})).is_empty());
    assert!(violations("Shipment", json!({"kind": "letter"})).is_empty());
    // `if` holds (a parcel): `then` requires the weight.
    assert_eq!(violations("Shipment", json!({"kind": "parcel"})), [" required: required property `weight` is missing"]);
    // `if` fails (a letter): `else` bounds the weight.
    assert_eq!(
        violations("Shipment", json!({"kind": "letter", "weight": 2})),
        ["/weight maximum: must be at most 0.1, is 2"]
    );
    assert_eq!(
        violations("Shipment", json!({"kind": "letter", "insured_value": 10})),
        [" dependentRequired: property `currency` is required when `insured_value` is present"]
    );
    assert_eq!(
        violations("Shipment", json!({"kind": "letter", "insured_value": 0, "currency": "EURO"})),
        [
            "/currency maxLength: must be at most 3 characters long, is 4",
            "/insured_value exclusiveMinimum: must be greater than 0, is 0",
        ]
    );
}

#[test]
fn unevaluated_keywords_decided_statically() {
    assert!(violations("Closed", json!({"name": "box", "size": 3})).is_empty());
    assert_eq!(
        violations("Closed", json!({"name": "box", "colour": "red"})),
        [" unevaluatedProperties: property `colour` is not allowed here (no keyword of the schema evaluates it)"]
    );
    assert!(violations("Pair", json!(["apples", 3])).is_empty());
    assert_eq!(
        violations("Pair", json!(["apples", 3, true])),
        [" unevaluatedItems: must have at most 2 items (those the schema evaluates), has 3"]
    );
    // Not decided statically, so not checked (a warning says so when generating).
    assert!(violations("Loose", json!({"a": "x", "c": 1})).is_empty());
}

#[test]
fn what_cannot_be_decided_is_a_warning() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/keywords31.yaml"))
        .expect("the fixture reads");
    let spec = apigen::load(&apigen::SpecSource { name: "keywords31.yaml".into(), text }).expect("the fixture loads");
    let output = apigen::generate(&spec, &apigen::Options::new("keywords31"));
    assert_eq!(
        apigen_tests::messages(&output),
        ["warning: #/components/schemas/Loose/unevaluatedProperties: `unevaluatedProperties` is not checked: which properties it leaves depends on which subschemas of `anyOf` the value satisfies, which is not decided when the code is generated"]
    );
}

//! A short differential run inside `cargo test`: the generated validators and `jsonschema`
//! must give the same verdict on every payload (2,000 per API; the full run is the
//! `differential` binary, 100,000 per API).

#[path = "../src/differential/mod.rs"]
#[allow(dead_code)]
mod differential;

use differential::harness::{self, Options};
use differential::spec::APIS;

/// One run serves both checks: every verdict agrees, and every mutation kind was applied
/// somewhere (a kind that never fires means the generator lost track of a schema feature).
#[test]
fn generated_validators_agree_with_jsonschema() {
    use std::collections::BTreeSet;
    let options = Options { per_api: 2_000, seed: 7, examples: 3, include_known_gaps: false };
    let mut failures = Vec::new();
    let mut seen = BTreeSet::new();
    for api in APIS {
        let report = harness::run_api(api, &options);
        assert_eq!(report.payloads(), options.per_api);
        for label in report.by_kind.keys() {
            seen.insert(label.split('(').next().unwrap_or(label).to_owned());
        }
        let text = harness::render(&report);
        println!("{text}");
        if report.failures() > 0 {
            failures.push(text);
        }
    }
    assert!(failures.is_empty(), "verdict disagreements:\n{}", failures.join("\n"));
    for kind in differential::mutate::Kind::ALL {
        assert!(seen.contains(kind.name()), "mutation kind {} never applied; seen {seen:?}", kind.name());
    }
}

/// The OpenAPI 3.1 mode, shortly: JSON Schema 2020-12's applicators against `jsonschema` in
/// its 2020-12 mode, with both verdicts well represented.
#[test]
fn oas31_validators_agree_with_jsonschema_2020_12() {
    let report = differential::oas31::run(7_000, 7, 3);
    let text = differential::oas31::render(&report);
    println!("{text}");
    assert_eq!(report.payloads(), 7_000);
    assert_eq!(report.failures(), 0, "verdict disagreements:\n{text}");
    for (schema, payloads, valid, _) in &report.schemas {
        assert!(
            *valid >= payloads / 50 && payloads - valid >= payloads / 50,
            "{schema}: {valid} of {payloads} valid; both verdicts need cases"
        );
    }
}

#[test]
fn reference_conversion() {
    use serde_json::json;
    let converted = differential::spec::convert(&json!({
        "type": "integer", "format": "int32", "nullable": true, "minimum": 0, "exclusiveMinimum": true,
        "example": 3, "x-note": "n", "xml": {"name": "n"},
        "properties": {"example": {"$ref": "#/components/schemas/A", "description": "ignored"}},
    }));
    assert_eq!(
        converted,
        json!({
            "type": ["integer", "null"], "format": "int32", "exclusiveMinimum": 0,
            "properties": {"example": {"$ref": "#/$defs/A"}},
            "allOf": [{"minimum": i32::MIN, "maximum": i32::MAX}],
        })
    );
    let converted = differential::spec::convert(&json!({"type": "string", "enum": ["a"], "nullable": true}));
    assert_eq!(converted, json!({"type": ["string", "null"], "enum": ["a", null]}));
}

#[test]
fn runs_are_deterministic() {
    let options = Options { per_api: 300, seed: 3, examples: 0, include_known_gaps: false };
    let a = harness::run_api("revnue", &options);
    let b = harness::run_api("revnue", &options);
    assert_eq!(a.by_kind, b.by_kind);
    let counts = |r: &harness::ApiReport| r.schemas.iter().map(|s| (s.valid, s.invalid)).collect::<Vec<_>>();
    assert_eq!(counts(&a), counts(&b));
}

//! Patterns beyond the `regex` crate (`tests/fixtures/patterns.yaml`): look-ahead, look-behind
//! and backreferences are checked, not reported and then left unchecked as before, and a
//! value that would make matching backtrack without end is refused within a bounded number of
//! steps.

use std::time::{Duration, Instant};

use apigen_tests::fixtures::patterns::validate_schema;
use serde_json::{json, Value};

/// Validates `value` against the fixture's schema `schema`: `Ok`, or the errors as text.
fn check(schema: &str, value: Value) -> Result<(), String> {
    validate_schema(schema, value.to_string().as_bytes())
        .expect("the fixture has the schema")
        .map_err(|e| e.to_string())
}

#[test]
fn negative_look_ahead() {
    assert_eq!(check("Slug", json!("order-42")), Ok(()));
    assert_eq!(check("Slug", json!("42-x")), Ok(()));
    assert_eq!(
        check("Slug", json!("42")),
        Err("1 validation error\n  (root): does not match the pattern `^(?![0-9]+$)[a-z0-9_\\-]+$` (pattern)"
            .to_owned())
    );
    assert!(check("Slug", json!("Order")).is_err(), "upper case is refused by the class, not the look-ahead");
}

#[test]
fn look_behind_and_backreferences() {
    assert_eq!(check("Word", json!("sang")), Ok(()));
    assert_eq!(
        check("Word", json!("singing")),
        Err("1 validation error\n  (root): does not match the pattern `^[a-z]+(?<!ing)$` (pattern)".to_owned())
    );
    assert_eq!(check("Doubled", json!("hey hey")), Ok(()));
    assert!(check("Doubled", json!("hey you")).is_err());
}

#[test]
fn every_violation_has_its_pointer() {
    assert_eq!(check("Tags", json!({"slugs": ["ok"], "handle": "root"})), Ok(()));
    assert_eq!(
        check("Tags", json!({"slugs": ["ok", "123"], "handle": "root"})),
        Err("1 validation error\n  /slugs/1: does not match the pattern `^(?![0-9]+$)[a-z0-9_\\-]+$` (pattern)"
            .to_owned())
    );
    // ECMA-262's `\w` is ASCII, in a pattern with look-around too.
    assert_eq!(
        check("Tags", json!({"handle": "日本語"})),
        Err("1 validation error\n  /handle: does not match the pattern `^(?!admin$)[0-9A-Za-z_]{3,}$` (pattern)"
            .to_owned())
    );
    assert_eq!(
        check("Tags", json!({"handle": "admin"})),
        Err("1 validation error\n  /handle: does not match the pattern `^(?!admin$)[0-9A-Za-z_]{3,}$` (pattern)"
            .to_owned())
    );
}

#[test]
fn a_value_that_backtracks_without_end_is_refused_quickly() {
    assert_eq!(check("Nested", json!("aaaa")), Ok(()));
    // `((?=a)a+)+` tries every way to split the run of `a`s before giving up at the `b`:
    // 2^39 ways here, without the limit.
    let hostile = format!("{}b", "a".repeat(40));
    let start = Instant::now();
    let result = check("Nested", json!(hostile));
    let took = start.elapsed();
    assert_eq!(
        result,
        Err("1 validation error\n  (root): could not be matched against the pattern `^((?=a)a+)+$` within 100000 backtracking steps, so it is refused (pattern)".to_owned())
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

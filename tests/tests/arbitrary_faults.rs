//! The `<type>_invalid` strategies of the `faults` fixture (`tests/fixtures/faults.yaml`), whose
//! rules the five APIs lack: aliases with rules of their own, `multipleOf` on integers, decimals
//! and floats, `additionalProperties: false` at the top and further in, and rules two objects
//! deep and inside array items. Each fault is named by the exact pointer and keyword the
//! validator reports, and every value of every strategy is checked to report just that.
//!
//! The fixtures' value generators compile behind this crate's `arbitrary` feature (see
//! `build.rs`): `cargo test -p apigen-tests --features arbitrary --test arbitrary_faults`.

use std::collections::BTreeSet;

use apigen_runtime::arbitrary::Invalid;
use apigen_runtime::proptest::strategy::{BoxedStrategy, Strategy, ValueTree};
use apigen_runtime::proptest::test_runner::TestRunner;
use apigen_tests::fixtures::faults::arbitrary;

/// Every `pointer keyword` a strategy gives in 3,000 values.
fn faults<T: std::fmt::Debug>(strategy: BoxedStrategy<Invalid<T>>) -> Vec<String> {
    let mut runner = TestRunner::deterministic();
    let mut seen = BTreeSet::new();
    for _ in 0..3_000 {
        let invalid = strategy.new_tree(&mut runner).expect("a value").current();
        seen.insert(format!("{} {}", invalid.pointer, invalid.keyword));
    }
    seen.into_iter().collect()
}

#[test]
fn every_fault_of_the_fixture_reports_exactly_itself() {
    for (name, exercise) in arbitrary::INVALID_CHECKS.iter().chain(arbitrary::CHECKS) {
        let report = exercise(1_000).unwrap_or_else(|why| panic!("{name}: {why}"));
        assert_eq!(report.values, 1_000, "{name}");
    }
    let names: Vec<&str> = arbitrary::INVALID_CHECKS.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        ["Code", "Version", "Restricted", "Quantity", "Price", "Ratio", "Order", "Line", "Shipping", "Address"]
    );
}

/// An `enum` with no value of the type (`[3, null]`, `[true, false]` on a nullable string):
/// every valid value is `None` (a strategy of strings would have none to give).
#[test]
fn an_enum_of_null_alone_gives_null() {
    let strategy = arbitrary::version(apigen_runtime::arbitrary::DEPTH);
    let mut runner = TestRunner::deterministic();
    let other = arbitrary::restricted(apigen_runtime::arbitrary::DEPTH);
    for _ in 0..100 {
        assert_eq!(strategy.new_tree(&mut runner).expect("a value").current(), None);
        assert_eq!(other.new_tree(&mut runner).expect("a value").current(), None);
    }
}

#[test]
fn aliases_break_their_own_rules_at_the_root() {
    assert_eq!(faults(arbitrary::code_invalid()), [" pattern"]);
    assert_eq!(faults(arbitrary::version_invalid()), [" enum"]);
    assert_eq!(faults(arbitrary::restricted_invalid()), [" enum"]);
    assert_eq!(faults(arbitrary::quantity_invalid()), [" maximum", " minimum", " multipleOf"]);
    assert_eq!(faults(arbitrary::price_invalid()), [" maximum", " minimum", " multipleOf"]);
    assert_eq!(faults(arbitrary::ratio_invalid()), [" exclusiveMinimum", " maximum", " multipleOf"]);
}

#[test]
fn faults_lie_deep_in_objects_and_array_items() {
    assert_eq!(
        faults(arbitrary::order_invalid()),
        [
            " additionalProperties",
            "/code pattern",
            "/lines/0 additionalProperties",
            "/lines/0/price maximum",
            "/lines/0/price minimum",
            "/lines/0/price multipleOf",
            "/lines/0/quantity maximum",
            "/lines/0/quantity minimum",
            "/lines/0/quantity multipleOf",
            "/lines/0/ratio exclusiveMinimum",
            "/lines/0/ratio maximum",
            "/lines/0/ratio multipleOf",
            "/lines/0/tags/0 maxLength",
            "/shipping/address additionalProperties",
            "/shipping/address/zip pattern",
            "/version enum",
        ]
    );
}

/// A property the object does not declare is a fault the Rust value cannot hold: the value
/// validates, and its JSON, with the property added where the pointer says, is refused there.
#[test]
fn an_extra_property_is_in_the_json_alone() {
    let strategy = arbitrary::shipping_invalid();
    let mut runner = TestRunner::deterministic();
    let invalid = std::iter::repeat_with(|| strategy.new_tree(&mut runner).expect("a value").current())
        .find(|invalid| invalid.keyword == "additionalProperties")
        .expect("one of the faults");
    assert_eq!(invalid.pointer, "/address");
    let json = invalid.json.expect("the fault is in the JSON");
    assert_eq!(json["address"]["unlisted"], serde_json::Value::Bool(true));
    assert_eq!(apigen_runtime::Validate::validate(&invalid.value), Ok(()));
}

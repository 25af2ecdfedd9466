//! The value generators of the five APIs' crates (their `arbitrary` feature): for every type,
//! values each of which passes the generated validator and reads back from its JSON as itself,
//! and for SimplePin's types with an XML form, from its XML too. The rejection rate of every
//! strategy that filters is printed (`cargo test --test arbitrary -- --nocapture`).
//!
//! 200 values per type here, since generation is slow in an unoptimised build (under load,
//! minutes at 1,000); `APIGEN_ARBITRARY_VALUES=1000` asks for more. The
//! 1,000 values per type of issue 15 are `cargo xtask arbitrary-proof`'s, which runs the same
//! tables of the five crates (and of a large corpus spec) with dependencies optimised.

use apigen_runtime::arbitrary::{Exercise, Report};

/// Values per type: `APIGEN_ARBITRARY_VALUES`, or 200.
fn values() -> usize {
    std::env::var("APIGEN_ARBITRARY_VALUES").ok().and_then(|n| n.parse().ok()).unwrap_or(200)
}

/// Runs every check of one crate's table, failing with the type's name and the first bad value;
/// the reports, by type.
fn prove(api: &str, checks: &[(&str, Exercise)]) -> Vec<(String, Report)> {
    checks
        .iter()
        .map(|(name, exercise)| {
            let report = exercise(values()).unwrap_or_else(|why| panic!("{api}::{name}: {why}"));
            assert_eq!(report.values, values(), "{api}::{name}");
            (format!("{api}::{name}"), report)
        })
        .collect()
}

fn print(reports: &[(String, Report)]) {
    let values: usize = reports.iter().map(|(_, r)| r.values).sum();
    println!("{} types, {values} values", reports.len());
    for (name, report) in reports.iter().filter(|(_, r)| r.rejected > 0) {
        let rate = report.rejected as f64 / (report.rejected as f64 + report.values as f64);
        println!("  {name}: {} rejected ({:.1}% of those generated)", report.rejected, rate * 100.0);
    }
}

#[test]
fn every_type_of_the_five_apis_gives_valid_values_that_round_trip_through_json() {
    let mut reports = Vec::new();
    reports.extend(prove("jtl", jtl::arbitrary::CHECKS));
    reports.extend(prove("pelcro", pelcro::arbitrary::CHECKS));
    reports.extend(prove("revcent", revcent::arbitrary::CHECKS));
    reports.extend(prove("revnue", revnue::arbitrary::CHECKS));
    reports.extend(prove("simplepin", simplepin::arbitrary::CHECKS));
    print(&reports);
    // Every schema of every spec is in the tables, by the name of its type.
    for (api, names, checks) in [
        ("jtl", jtl::SCHEMA_NAMES, jtl::arbitrary::CHECKS),
        ("pelcro", pelcro::SCHEMA_NAMES, pelcro::arbitrary::CHECKS),
        ("revcent", revcent::SCHEMA_NAMES, revcent::arbitrary::CHECKS),
        ("revnue", revnue::SCHEMA_NAMES, revnue::arbitrary::CHECKS),
        ("simplepin", simplepin::SCHEMA_NAMES, simplepin::arbitrary::CHECKS),
    ] {
        assert!(checks.len() >= names.len(), "{api}: {} checks for {} schemas", checks.len(), names.len());
    }
}

#[test]
fn simplepins_types_round_trip_through_xml() {
    let reports = prove("simplepin (XML)", simplepin::arbitrary::XML_CHECKS);
    print(&reports);
    assert!(reports.len() >= 4, "{} types with an XML form", reports.len());
}

/// Each `<type>_invalid` value breaks one rule on purpose: the validator reports exactly that
/// rule (one violation, the pointer and keyword the strategy names), on the value as it is and
/// on the value read back from its JSON. A generator that broke two rules, or one the
/// validator does not see, fails here.
#[test]
fn invalid_values_break_exactly_the_one_rule_they_name() {
    let mut reports = Vec::new();
    for (api, checks) in [
        ("jtl", jtl::arbitrary::INVALID_CHECKS),
        ("pelcro", pelcro::arbitrary::INVALID_CHECKS),
        ("revcent", revcent::arbitrary::INVALID_CHECKS),
        ("revnue", revnue::arbitrary::INVALID_CHECKS),
        ("simplepin", simplepin::arbitrary::INVALID_CHECKS),
    ] {
        assert!(!checks.is_empty(), "{api} has rules to break");
        reports.extend(prove(api, checks));
    }
    print(&reports);
}

/// The faults the strategies name, for one type: every kind the five specs allow (lengths,
/// formats, patterns, ranges, enums, item counts, one property deep).
#[test]
fn invalid_values_name_their_pointer_and_keyword() {
    use apigen_runtime::proptest::strategy::{Strategy, ValueTree};
    use apigen_runtime::proptest::test_runner::TestRunner;
    let strategy = revnue::arbitrary::create_customer_request_invalid();
    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..1_000 {
        let invalid = strategy.new_tree(&mut runner).expect("a value").current();
        seen.insert(format!("{} {}", invalid.pointer, invalid.keyword));
    }
    let seen: Vec<&str> = seen.iter().map(String::as_str).collect();
    assert!(seen.contains(&"/name maxLength"), "{seen:?}");
    assert!(seen.contains(&"/contact_person/type enum"), "{seen:?}");
    assert!(seen.contains(&"/contact_person/name maxLength"), "{seen:?}");
    println!("{seen:#?}");
}

/// RevCent's request refuses unknown properties at the top and in nested objects, and holds
/// rules three objects deep and in array items: every such fault is named by its exact pointer.
#[test]
fn invalid_values_reach_extra_properties_and_deep_rules() {
    use apigen_runtime::proptest::strategy::{Strategy, ValueTree};
    use apigen_runtime::proptest::test_runner::TestRunner;
    let strategy = revcent::arbitrary::create_customer_request_invalid();
    let mut runner = TestRunner::deterministic();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..1_000 {
        let invalid = strategy.new_tree(&mut runner).expect("a value").current();
        seen.insert(format!("{} {}", invalid.pointer, invalid.keyword));
    }
    let seen: Vec<&str> = seen.iter().map(String::as_str).collect();
    println!("{seen:#?}");
    for fault in EXPECTED_REVCENT {
        assert!(seen.contains(fault), "{fault} not in {seen:?}");
    }
}

/// Faults of RevCent's request: unknown properties refused at the top, one and two objects
/// in, and in an array's item; the rules of an array's item.
const EXPECTED_REVCENT: &[&str] = &[
    " additionalProperties",
    "/customer additionalProperties",
    "/payment additionalProperties",
    "/payment/credit_card additionalProperties",
    "/metadata/0 additionalProperties",
    "/metadata/0/name maxLength",
    "/metadata/0/name minLength",
    "/metadata/0/value maxLength",
];

/// Values per second of a large type's strategy (JTL's `CreateCustomer`: 26 properties, three
/// nested addresses and arrays of them), generation alone. Ignored by default; BENCHMARKS.md
/// records its figures:
/// `cargo test --release -p apigen-tests --test arbitrary -- --ignored --nocapture generation_speed`.
#[test]
#[ignore = "a measurement: run it in release"]
fn generation_speed() {
    use apigen_runtime::proptest::arbitrary::any;
    use apigen_runtime::proptest::strategy::{Strategy, ValueTree};
    use apigen_runtime::proptest::test_runner::TestRunner;
    const N: usize = 20_000;
    let strategy = any::<jtl::types::CreateCustomer>();
    let mut runner = TestRunner::deterministic();
    let start = std::time::Instant::now();
    let mut bytes = 0usize;
    for _ in 0..N {
        let value = strategy.new_tree(&mut runner).expect("a value").current();
        bytes += std::hint::black_box(&value).number.as_ref().map_or(0, String::len);
    }
    let seconds = start.elapsed().as_secs_f64();
    println!("jtl::CreateCustomer: {N} values in {seconds:.3} s, {:.0} values/s ({bytes})", N as f64 / seconds);
}

//! The conformance run (JSON Schema Test Suite, draft 4, without `optional/`) inside
//! `cargo test`: each file must pass at least as many cases as `CONFORMANCE.md` records, so a
//! regression fails. Raise the numbers here when `CONFORMANCE.md` records more (run
//! `cargo run --release -p apigen-tests --bin conformance`).
//!
//! The suite is read from the copy in `tests/json-schema-test-suite` (or from
//! `$JSON_SCHEMA_TEST_SUITE`), so the test needs nothing beside the repository.

// The harness is shared with the `conformance` binary, which uses the parts this test does
// not (the Markdown report).
#[allow(dead_code)]
#[path = "../src/conformance/mod.rs"]
mod conformance;

/// Cases passed per file, as recorded in `CONFORMANCE.md` (out of the file's applicable
/// cases, in the comment).
const RECORDED: &[(&str, usize)] = &[
    ("additionalItems", 0),         // of 0
    ("additionalProperties", 6),    // of 7
    ("allOf", 20),                  // of 20
    ("anyOf", 13),                  // of 13
    ("default", 5),                 // of 5
    ("definitions", 0),             // of 0
    ("dependencies", 0),            // of 0
    ("enum", 49),                   // of 49
    ("format", 36),                 // of 36
    ("infinite-loop-detection", 2), // of 2
    ("items", 5),                   // of 7
    ("maximum", 14),                // of 14
    ("maxItems", 4),                // of 4
    ("maxLength", 5),               // of 5
    ("maxProperties", 8),           // of 8
    ("minimum", 17),                // of 17
    ("minItems", 4),                // of 4
    ("minLength", 5),               // of 5
    ("minProperties", 8),           // of 8
    ("multipleOf", 11),             // of 11
    ("not", 17),                    // of 17
    ("oneOf", 19),                  // of 21
    ("pattern", 9),                 // of 9
    ("patternProperties", 0),       // of 0
    ("properties", 11),             // of 15
    ("ref", 29),                    // of 31
    ("refRemote", 0),               // of 0
    ("required", 12),               // of 17
    ("type", 50),                   // of 50
    ("uniqueItems", 43),            // of 43
];

#[test]
fn draft4_pass_counts_do_not_regress() {
    let config = conformance::Config::for_repository("test");
    assert!(
        config.suite_dir.is_dir(),
        "the JSON Schema Test Suite is not at {}; set JSON_SCHEMA_TEST_SUITE to its draft4 directory",
        config.suite_dir.display()
    );
    let report = conformance::run(&config, &mut |line| eprintln!("conformance: {line}")).expect("the conformance harness runs");

    let mut regressions = Vec::new();
    for (name, recorded) in RECORDED {
        let Some(file) = report.files.iter().find(|f| f.name == *name) else {
            regressions.push(format!("{name}: not in the suite any more"));
            continue;
        };
        let totals = file.totals();
        if totals.passed < *recorded {
            conformance::report::print_file(report.draft, file);
            regressions.push(format!("{name}: {} cases pass, {recorded} recorded", totals.passed));
        }
    }
    for file in &report.files {
        if !RECORDED.iter().any(|(name, _)| *name == file.name) {
            regressions.push(format!("{}: a suite file with no recorded count", file.name));
        }
    }
    conformance::report::print_totals(&report);
    assert!(regressions.is_empty(), "conformance regressed:\n  {}", regressions.join("\n  "));
}

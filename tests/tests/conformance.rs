//! The conformance runs (JSON Schema Test Suite, draft 4 through OpenAPI 3.0 and draft 2020-12
//! through OpenAPI 3.1, without `optional/`) inside `cargo test`: each file must pass at least
//! as many cases as `CONFORMANCE.md` records, so a regression fails. Raise the numbers here when `CONFORMANCE.md` records more (run
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

/// Cases passed per file of draft 2020-12, as recorded in `CONFORMANCE.md`.
const RECORDED_2020_12: &[(&str, usize)] = &[
    ("additionalProperties", 17),   // of 21
    ("allOf", 30),                  // of 30
    ("anchor", 0),                  // of 0
    ("anyOf", 18),                  // of 18
    ("boolean_schema", 18),         // of 18
    ("const", 54),                  // of 54
    ("contains", 21),               // of 21
    ("content", 18),                // of 18
    ("default", 7),                 // of 7
    ("defs", 0),                    // of 0
    ("dependentRequired", 20),      // of 20
    ("dependentSchemas", 20),       // of 20
    ("dynamicRef", 0),              // of 0
    ("enum", 51),                   // of 51
    ("exclusiveMaximum", 4),        // of 4
    ("exclusiveMinimum", 4),        // of 4
    ("format", 124),                // of 133
    ("if-then-else", 30),           // of 30
    ("infinite-loop-detection", 2), // of 2
    ("items", 27),                  // of 29
    ("maxContains", 14),            // of 14
    ("maximum", 8),                 // of 8
    ("maxItems", 6),                // of 6
    ("maxLength", 7),               // of 7
    ("maxProperties", 10),          // of 10
    ("minContains", 28),            // of 28
    ("minimum", 11),                // of 11
    ("minItems", 6),                // of 6
    ("minLength", 7),               // of 7
    ("minProperties", 10),          // of 10
    ("multipleOf", 11),             // of 11
    ("not", 39),                    // of 40
    ("oneOf", 25),                  // of 27
    ("pattern", 12),                // of 12
    ("patternProperties", 25),      // of 25
    ("prefixItems", 11),            // of 11
    ("properties", 24),             // of 28
    ("propertyNames", 22),          // of 22
    ("ref", 43),                    // of 45
    ("refRemote", 0),               // of 0
    ("required", 13),               // of 18
    ("type", 78),                   // of 80
    ("unevaluatedItems", 54),       // of 69
    ("unevaluatedProperties", 97),  // of 127
    ("uniqueItems", 69),            // of 69
    ("vocabulary", 0),              // of 0
];

#[test]
fn draft4_pass_counts_do_not_regress() {
    pass_counts_do_not_regress(conformance::Draft::Draft4, RECORDED);
}

#[test]
fn draft2020_12_pass_counts_do_not_regress() {
    pass_counts_do_not_regress(conformance::Draft::Draft2020_12, RECORDED_2020_12);
}

fn pass_counts_do_not_regress(draft: conformance::Draft, recorded: &[(&str, usize)]) {
    let config = conformance::Config::for_draft("test", draft);
    assert!(
        config.suite_dir.is_dir(),
        "the JSON Schema Test Suite is not at {}; set JSON_SCHEMA_TEST_SUITE to its directory",
        config.suite_dir.display()
    );
    let report =
        conformance::run(&config, &mut |line| eprintln!("conformance: {line}")).expect("the conformance harness runs");

    let mut regressions = Vec::new();
    for (name, recorded) in recorded {
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
        if !recorded.iter().any(|(name, _)| *name == file.name) {
            regressions.push(format!("{}: a suite file with no recorded count", file.name));
        }
    }
    conformance::report::print_totals(&report);
    assert!(regressions.is_empty(), "conformance ({}) regressed:\n  {}", draft.title(), regressions.join("\n  "));
}

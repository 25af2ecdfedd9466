//! The conformance run against JSON Schema's official test suite: draft 4 through OpenAPI
//! 3.0 specs, then draft 2020-12 through OpenAPI 3.1 specs.
//!
//! ```sh
//! cargo run --release -p apigen-tests --bin conformance -- [--draft 4|2020-12] [--file NAME]... [--no-optional]
//! ```
//!
//! Prints, per suite file, the applicable and left-out groups, the cases passed and failed and
//! every failing case; then totals. A full run (both drafts, no `--file`) also writes
//! `CONFORMANCE.md` at the repository's root, a section per draft. Exits non-zero only when the generator fails (a load error, a panic,
//! code that does not compile) or the harness cannot run, not on failing cases.

#[path = "../conformance/mod.rs"]
mod conformance;

use std::path::Path;
use std::process::ExitCode;

use conformance::{report, Config, Draft};

const USAGE: &str = "usage: conformance [--draft 4|2020-12] [--file NAME]... [--no-optional] [--suite DIR]\n\
  --draft D      run only this draft (default: both)\n\
  --file NAME    run only this suite file (`minLength`, `optional/bignum`); repeatable\n\
  --no-optional  leave out the suite's optional/ tests\n\
  --suite DIR    the suite's directory, holding draft4/ and draft2020-12/ (default: $JSON_SCHEMA_TEST_SUITE or tests/json-schema-test-suite)";

const PREAMBLE_2020_12: &str = "Every group of the suite's draft 2020-12 whose schema one OpenAPI 3.1 document's components can \
hold becomes a component `Case<File>_<n>` of one OpenAPI 3.1.0 spec per suite file, run as draft 4's are (above). A 3.1 \
Schema Object is a 2020-12 schema, so schemas are taken as written; only references within a schema are rewritten into \
its component, and a root `$id` or `$schema` nothing resolves against is dropped (see *Rewritten groups*). Left out: \
base-URI changes, anchors, dynamic references, `$vocabulary` and references to other documents. The scratch crates are \
under `target/conformance/all-draft2020-12/gen/`.\n\n\
`tests/tests/conformance.rs` runs this draft too (without `optional/`) and fails if a file passes fewer cases than \
recorded here.\n\n";

const PREAMBLE: &str = "Every group of the suite whose schema is an OpenAPI 3.0 Schema Object (some after a rewrite that \
keeps their meaning: see *Rewritten groups*) becomes a component `Case<File>_<n>` of one OpenAPI 3.0.3 spec per suite \
file. The crate generated from it with `apigen::generate_from_source` gets a runner that reads each case's data, exactly \
as the suite writes it, with `apigen_runtime::from_json::<Case<File><n>>` and compares `is_ok()` with the suite's \
`valid`. Where the component's type has no `Validate` impl (an alias of a primitive, a `Vec` or `serde_json::Value`), \
`from_json` does not apply and the runner asks the crate's `validate_schema(key, json)` instead (marked *via \
`validate_schema`*). Groups whose schema uses what OpenAPI 3.0 lacks are left out, each with its reason. The scratch \
crates are under `target/conformance/all/gen/`, each with the spec it was generated from (`conformance-spec.json`).\n\n\
`tests/tests/conformance.rs` runs the suite (without `optional/`) in `cargo test` and fails if a file passes fewer cases \
than recorded here. The binary exits non-zero when the generator fails on a group (a load error, a panic, or code that \
does not compile: see *Generation failures*), not on failing cases.\n\n";

fn main() -> ExitCode {
    let mut config = Config::for_repository("all");
    config.optional = true;
    let mut drafts = vec![Draft::Draft4, Draft::Draft2020_12];
    let mut suite: Option<std::path::PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--draft" => match args.next().as_deref() {
                Some("4") => drafts = vec![Draft::Draft4],
                Some("2020-12") => drafts = vec![Draft::Draft2020_12],
                _ => return usage("--draft needs 4 or 2020-12"),
            },
            "--file" => match args.next() {
                Some(name) => config.files.push(name),
                None => return usage("--file needs a name"),
            },
            "--suite" => match args.next() {
                Some(dir) => suite = Some(dir.into()),
                None => return usage("--suite needs a directory"),
            },
            "--no-optional" => config.optional = false,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => return usage(&format!("unknown argument `{other}`")),
        }
    }
    if config.files.iter().any(|f| f.starts_with("optional/")) {
        config.optional = true;
    }

    let mut reports = Vec::new();
    for draft in &drafts {
        let mut config = Config { draft: *draft, ..config.clone() };
        let defaults = Config::for_draft("all", *draft);
        config.work_dir = defaults.work_dir;
        config.target_dir = defaults.target_dir;
        config.suite_dir = match &suite {
            Some(dir) => conformance::suite_dir(dir, *draft),
            None => defaults.suite_dir,
        };
        let report = match conformance::run(&config, &mut |line| eprintln!("conformance: {line}")) {
            Ok(report) => report,
            Err(message) => {
                eprintln!("conformance: {message}");
                return ExitCode::FAILURE;
            }
        };
        println!("=== {}", draft.title());
        for file in &report.files {
            report::print_file(*draft, file);
        }
        report::print_totals(&report);
        reports.push(report);
    }

    if config.files.is_empty() && config.optional && drafts.len() == 2 {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../CONFORMANCE.md");
        let text =
            format!("{}\n{}", report::markdown(&reports[0], PREAMBLE), report::markdown(&reports[1], PREAMBLE_2020_12));
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("conformance: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote CONFORMANCE.md");
    } else {
        println!("(a partial run: CONFORMANCE.md is written only by a full run)");
    }

    let failures: usize = reports.iter().map(|r| r.generation_failures().len()).sum();
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        eprintln!("conformance: the generator failed on {failures} group(s); see above");
        ExitCode::FAILURE
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("conformance: {problem}\n{USAGE}");
    ExitCode::from(2)
}

//! The conformance run against JSON Schema's official test suite (draft 4).
//!
//! ```sh
//! cargo run --release -p apigen-tests --bin conformance -- [--file NAME]... [--no-optional]
//! ```
//!
//! Prints, per suite file, the applicable and left-out groups, the cases passed and failed and
//! every failing case; then totals. A full run (no `--file`) also writes `CONFORMANCE.md` at
//! the repository's root. Exits non-zero only when the generator fails (a load error, a panic,
//! code that does not compile) or the harness cannot run, not on failing cases.

#[path = "../conformance/mod.rs"]
mod conformance;

use std::path::Path;
use std::process::ExitCode;

use conformance::{report, Config};

const USAGE: &str = "usage: conformance [--file NAME]... [--no-optional] [--suite DIR]\n\
  --file NAME    run only this suite file (`minLength`, `optional/bignum`); repeatable\n\
  --no-optional  leave out the suite's optional/ tests\n\
  --suite DIR    the suite's draft4 directory (default: $JSON_SCHEMA_TEST_SUITE or tests/json-schema-test-suite)";

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
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--file" => match args.next() {
                Some(name) => config.files.push(name),
                None => return usage("--file needs a name"),
            },
            "--suite" => match args.next() {
                Some(dir) => {
                    let dir = Path::new(&dir);
                    config.suite_dir = if dir.join("draft4").is_dir() { dir.join("draft4") } else { dir.to_path_buf() };
                }
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

    let report = match conformance::run(&config, &mut |line| eprintln!("conformance: {line}")) {
        Ok(report) => report,
        Err(message) => {
            eprintln!("conformance: {message}");
            return ExitCode::FAILURE;
        }
    };
    for file in &report.files {
        report::print_file(file);
    }
    report::print_totals(&report);

    if config.files.is_empty() && config.optional {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../CONFORMANCE.md");
        let text = report::markdown(&report, PREAMBLE);
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("conformance: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote CONFORMANCE.md");
    } else {
        println!("(a partial run: CONFORMANCE.md is written only by a full run)");
    }

    if report.generation_failures().is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("conformance: the generator failed on {} group(s); see above", report.generation_failures().len());
        ExitCode::FAILURE
    }
}

fn usage(problem: &str) -> ExitCode {
    eprintln!("conformance: {problem}\n{USAGE}");
    ExitCode::from(2)
}

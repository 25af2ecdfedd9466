//! Differential test of the generated validators against `jsonschema`.
//!
//! ```sh
//! cargo run --release -p apigen-tests --bin differential -- [--per-api N] [--seed S] [--api NAME]
//!     [--examples K] [--include-known-gaps]
//! cargo run --release -p apigen-tests --bin differential -- --check API SCHEMA 'JSON'
//! cargo run --release -p apigen-tests --bin differential -- --oas31 [--per-api N] [--seed S]
//! ```
//!
//! `--oas31` runs the OpenAPI 3.1 mode instead: `tests/fixtures/keywords31.yaml` (JSON Schema
//! 2020-12's applicators) against `jsonschema` in its 2020-12 mode, N payloads in all.
//!
//! Prints per API and per schema the payloads, valid/invalid counts (by the reference), verdict
//! and pointer disagreements and time; exits non-zero on any verdict disagreement.

#[path = "../differential/mod.rs"]
mod differential;

use std::process::ExitCode;

use differential::harness::{self, Options};
use differential::spec::APIS;

fn usage() -> ExitCode {
    eprintln!(
        "usage: differential [--per-api N] [--seed S] [--api NAME]... [--examples K] [--include-known-gaps]\n\
         or:    differential --check API SCHEMA JSON   (both verdicts on one payload)\n\
         or:    differential --oas31 [--per-api N] [--seed S]   (the OpenAPI 3.1 fixture, N payloads)\n\
         APIs: {}",
        APIS.join(", ")
    );
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut options = Options::default();
    let mut apis: Vec<&'static str> = Vec::new();
    let mut oas31 = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next();
        match arg.as_str() {
            "--per-api" => match value().and_then(|v| v.replace('_', "").parse().ok()) {
                Some(n) => options.per_api = n,
                None => return usage(),
            },
            "--seed" => match value().and_then(|v| v.parse().ok()) {
                Some(s) => options.seed = s,
                None => return usage(),
            },
            "--examples" => match value().and_then(|v| v.parse().ok()) {
                Some(k) => options.examples = k,
                None => return usage(),
            },
            "--api" => match value().and_then(|v| APIS.iter().find(|a| **a == v)) {
                Some(api) => apis.push(api),
                None => return usage(),
            },
            "--include-known-gaps" => options.include_known_gaps = true,
            "--oas31" => oas31 = true,
            "--check" => {
                let (Some(api), Some(schema), Some(payload)) = (value(), value(), value()) else { return usage() };
                let Some(api) = APIS.iter().find(|a| **a == api) else { return usage() };
                return match harness::check_one(api, &schema, &payload) {
                    Ok(text) => {
                        print!("{text}");
                        ExitCode::SUCCESS
                    }
                    Err(e) => {
                        eprintln!("{e}");
                        ExitCode::from(2)
                    }
                };
            }
            "-h" | "--help" => {
                usage();
                return ExitCode::SUCCESS;
            }
            _ => return usage(),
        }
    }
    if oas31 {
        let report = differential::oas31::run(options.per_api, options.seed, options.examples);
        print!("{}", differential::oas31::render(&report));
        println!("differential --oas31: {} payloads, {} verdict disagreements", report.payloads(), report.failures());
        return if report.failures() == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE };
    }
    if apis.is_empty() {
        apis = APIS.to_vec();
    }
    print!("{}", harness::header(&options));
    let mut failures = 0;
    let mut payloads = 0;
    for api in apis {
        let report = harness::run_api(api, &options);
        print!("{}", harness::render(&report));
        failures += report.failures();
        payloads += report.payloads();
    }
    println!("differential: {payloads} payloads, {failures} verdict disagreements");
    if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

//! Project tasks, run as `cargo xtask <task>`.
//!
//! - `help`: the list of tasks (also printed, with a failure, for a task it does not know).
//! - `generate [NAME]`: regenerates `generated/<name>/` from `specs/<name>.{yaml,yml,json}`
//!   (or `specs/<name>/openapi.yaml` for a spec over several files), for every spec or the one
//!   named. Files are rewritten only when their bytes change, and files the generator no longer
//!   produces are removed. A spec that does not generate is named, and its crate left alone;
//!   the others are still written.
//! - `check`: generates in memory and compares with `generated/`, writing nothing. Exits
//!   non-zero listing every stale (with a diff), missing or extra file, and the command that
//!   fixes it.
//! - `corpus [DIR|FILE]`: generates (in a child process each) and `cargo check`s a crate for
//!   every spec of a corpus of real-world specs (default `../shared/corpus`), in a scratch
//!   workspace under `target/corpus/`, with timings and peak memory. See `corpus/`.
//! - `bench-compile [SPEC...]`: `cargo check` and `cargo build` of a generated crate, whole
//!   and one feature, with time and peak memory (default: Stripe and Plaid from
//!   `../shared/corpus`, skipped when absent). See `bench_compile.rs`.
//! - `arbitrary-proof [SPEC...] [--values N] [--threads N]`: every type's value generators (feature
//!   `arbitrary`) checked on N values each, for the five specs and Plaid from
//!   `../shared/corpus` (skipped when absent), in a scratch workspace under
//!   `target/arbitrary-proof/`. See `arbitrary_proof.rs`.
//! - `compare [DIR|FILE]`: apigen beside `cargo-progenitor` on the same specs. See `compare.rs`.
//! - `fuzz [--cases N] [--seconds S]`: a long run, in release, of the generator's mutation
//!   fuzzer (`generator/tests/fuzz/`). See `fuzz.rs`.
//!
//! - `peak-memory`: the peak memory of a client sent a body far beyond its size limit, in a
//!   process of its own (release).
//! - `validate`, `bench-validation`, `bench-client`, `bench-mock`, `differential`, `conformance`: run the binaries of the
//!   `apigen-tests` crate, which depends on the generated crates (xtask itself must not, or a
//!   broken generated crate would stop it from regenerating them).
//!
//! The generator (`apigen`) is a pure library; reading specs, writing `generated/` and the
//! drift check are `apigen_cli`'s, the same code the `apigen` command runs.

mod arbitrary_proof;
mod bench_compile;
mod codegen;
mod compare;
mod corpus;
mod fuzz;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  help              this list
  generate [NAME]   regenerate generated/ from specs/ (all specs, or specs/NAME.*); a spec
                    that fails is named and its crate left alone, the others are written
  check             fail if generated/ differs from what the generator produces now
  corpus [DIR|FILE] [--no-check] [--clippy] [--only NAME] [--out DIR] [--gen-timeout SECS]
                    generate and cargo-check every spec of DIR (default ../shared/corpus)
                    in target/corpus/, printing timings and peak memory; full report in
                    target/corpus/report.txt; fails on a panic, load error or compile error;
                    --clippy runs cargo clippy instead, its lints counted as warnings
  bench-compile [SPEC...] [--feature NAME] [--no-build] [--against REV] [--out DIR]
                    cargo check and build of each spec's crate (default: stripe and plaid
                    from ../shared/corpus, skipped when absent), whole, with the client and
                    one group, and with no group: time and peak memory, in
                    target/bench-compile/ (delete it afterwards); --against REV builds the
                    generator of commit REV and measures its crate after each run, with ratios
  arbitrary-proof [SPEC...] [--values N] [--threads N] [--out DIR]
                    every type's value generators (feature arbitrary) on N values each
                    (default 1,000): valid ones validate and read back from JSON (and XML),
                    invalid ones report their one rule; default specs: the five of specs/
                    and ../shared/corpus/plaid.yaml (skipped when absent); types shared
                    out over --threads threads (default: one per core); scratch
                    workspace in target/arbitrary-proof/
  compare [DIR|FILE]
                    apigen beside cargo-progenitor (must be installed) on specs/, DIR
                    (default ../shared/corpus) and JTL's full spec: time, peak memory, outcome
  fuzz [--cases N] [--seconds S] [--seed S|random] [--timeout S]
                    mutated specs through load and generate (release): fails on a panic,
                    or on a case slower than the timeout (default 20 s); default 10,000 cases
  validate <api> (--schema NAME | --operation ID) <FILE | ->
                    check JSON Lines payloads with the generated validators
  bench-validation  validation throughput against jsonschema (release build)
  bench-client      requests per second: generated client against hand-written reqwest (release)
  bench-mock        requests per second: a generated client through its generated mock (release);
                    --proxy: through the validation proxy in front of the mock
  peak-memory       peak memory of a client sent 500 MB beyond its body limit, alone (release)
  differential [--per-api N] [--seed S] [--api NAME] [--oas31]
                    generated validators against jsonschema on generated payloads (release)
  conformance [--draft 4|2020-12] [--file NAME]
                    JSON Schema Test Suite (draft 4, draft 2020-12) through the generator (release)";

// The generator allocates small token trees by the million; mimalloc is much faster at that
// than the system allocator (see BENCHMARKS.md, generation speed).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        ["generate"] => codegen::generate(None),
        ["generate", name] => codegen::generate(Some(name)),
        ["check"] => codegen::check(),
        ["corpus", rest @ ..] => corpus::run(rest),
        ["fuzz", rest @ ..] => fuzz::run(rest),
        ["compare", rest @ ..] => compare::run(rest),
        ["bench-compile", rest @ ..] => bench_compile::run(rest),
        ["arbitrary-proof", rest @ ..] => arbitrary_proof::run(rest),
        ["validate", rest @ ..] => run_tests_bin("validate", false, rest),
        ["bench-validation"] => run_tests_bin("bench_validation", true, &[]),
        ["bench-client"] => run_tests_bin("bench_client", true, &[]),
        ["bench-mock"] => run_tests_bin("bench_mock", true, &[]),
        ["bench-mock", "--proxy"] => run_tests_bin("bench_mock", true, &["--proxy"]),
        ["peak-memory"] => peak_memory(),
        ["differential", rest @ ..] => run_tests_bin("differential", true, rest),
        ["conformance", rest @ ..] => run_tests_bin("conformance", true, rest),
        // Internal: one spec's generation, in its own process (see corpus/child.rs).
        ["corpus-one", spec, dir, crate_name] => corpus::run_one(spec, dir, crate_name),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// The ignored test that measures a client's peak memory against an endless body, run alone
/// in its own process (a test beside others would count their memory too).
fn peak_memory() -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let test = "peak_memory_stays_within_the_limit";
    let status = std::process::Command::new(cargo)
        .current_dir(codegen::root())
        .args([
            "test",
            "--release",
            "-p",
            "apigen-tests",
            "--test",
            "hostile",
            "--",
            "--ignored",
            "--exact",
            test,
            "--nocapture",
        ])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{test} failed ({status})"))
    }
}

/// Runs a binary of the `apigen-tests` crate with `args`, passing its exit status on.
fn run_tests_bin(bin: &str, release: bool, args: &[&str]) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = std::process::Command::new(cargo);
    command.current_dir(codegen::root()).args(["run", "--quiet", "-p", "apigen-tests", "--bin", bin]);
    if release {
        command.arg("--release");
    }
    let status = command.arg("--").args(args).status().map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{bin} failed ({status})"))
    }
}

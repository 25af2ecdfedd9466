//! `fuzz [--cases N] [--seconds S] [--seed S] [--timeout S]`: a long run of the mutation
//! fuzzer of `generator/tests/fuzz/` (load and generate on mutated specs: no panic, no hang),
//! in release.
//!
//! The fuzzer is a proptest test of the generator crate; this runs it through `cargo test` with
//! the run's size in environment variables, so that xtask itself does not depend on proptest.
//! A random seed is used unless one is given; the test prints it, and any failure with the
//! minimal input that reproduces it.

use std::process::Command;

use crate::codegen::root;

const USAGE: &str = "usage: cargo xtask fuzz [--cases N] [--seconds S] [--seed S|random] [--timeout S]";

pub fn run(args: &[&str]) -> Result<(), String> {
    let mut cases: Option<u64> = None;
    let mut seconds: Option<u64> = None;
    let mut seed = "random".to_owned();
    let mut timeout: Option<u64> = None;
    let mut iter = args.iter();
    while let Some(&arg) = iter.next() {
        let mut value = |flag: &str| iter.next().copied().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        let number =
            |flag: &str, text: &str| text.parse::<u64>().map_err(|_| format!("{flag}: not a number: {text}\n{USAGE}"));
        match arg {
            "--cases" => cases = Some(number(arg, value(arg)?)?),
            "--seconds" => seconds = Some(number(arg, value(arg)?)?),
            "--timeout" => timeout = Some(number(arg, value(arg)?)?),
            "--seed" => {
                let text = value(arg)?;
                if text != "random" {
                    number(arg, text)?;
                }
                seed = text.to_owned();
            }
            other => return Err(format!("unexpected argument {other}\n{USAGE}")),
        }
    }
    // With only a time budget, the budget decides; with neither, a run of 10,000 cases.
    let cases = match (cases, seconds) {
        (Some(n), _) => n,
        (None, Some(_)) => u64::MAX,
        (None, None) => 10_000,
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    command
        .current_dir(root())
        .args([
            "test",
            "--release",
            "-p",
            "apigen",
            "--test",
            "fuzz",
            "--",
            "--exact",
            "mutated_specs_never_panic_or_hang",
            "--nocapture",
        ])
        .env("APIGEN_FUZZ_CASES", cases.to_string())
        .env("APIGEN_FUZZ_SEED", &seed);
    if let Some(seconds) = seconds {
        command.env("APIGEN_FUZZ_SECONDS", seconds.to_string());
    }
    if let Some(timeout) = timeout {
        command.env("APIGEN_FUZZ_TIMEOUT", timeout.to_string());
    }
    let status = command.status().map_err(|e| format!("cannot run cargo: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the fuzzer found a problem ({status}); the input is saved under target/tmp/"))
    }
}

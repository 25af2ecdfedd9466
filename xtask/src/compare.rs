//! `compare [DIR|FILE]`: apigen beside `cargo-progenitor` on the same specs (the five of
//! `specs/`, then those of DIR, default `../shared/corpus`, and JTL's full spec from
//! `../shared/vendor` when DIR is the default): wall time, peak resident memory and outcome of
//! each, one row per spec as it goes, then totals.
//!
//! Both are run the same way, as a process under `/usr/bin/time -v` that reads the spec and
//! writes a crate: apigen as this binary's `corpus-one` (built in release first), progenitor
//! as `cargo progenitor -i SPEC -o DIR -n NAME -v 0.1.0`, which must be installed
//! (`cargo install cargo-progenitor --locked`). Outputs go to `target/compare/`; nothing is
//! compiled. apigen generates types, validators and a client; progenitor a client and its
//! types.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::codegen::root;
use crate::corpus::{gnu_time, run_captured, spec_files, SpecFile};

/// Per spec and generator.
const TIMEOUT: Duration = Duration::from_secs(300);

pub fn run(args: &[&str]) -> Result<(), String> {
    let (input, default) = match args {
        [] => (root().join("../shared/corpus"), true),
        [path] => (PathBuf::from(path), false),
        _ => return Err("usage: cargo xtask compare [DIR|FILE]".to_owned()),
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let installed = Command::new(&cargo).args(["progenitor", "--help"]).output().is_ok_and(|o| o.status.success());
    if !installed {
        return Err("cargo-progenitor is not installed: `cargo install cargo-progenitor --locked`".to_owned());
    }
    let time = gnu_time().ok_or("`/usr/bin/time` (GNU time) is needed for peak memory")?;
    eprintln!("building xtask in release ...");
    let built = Command::new(&cargo)
        .current_dir(root())
        .args(["build", "--release", "--quiet", "-p", "xtask"])
        .status()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !built.success() {
        return Err("cargo build --release -p xtask failed".to_owned());
    }
    let apigen = root().join("target/release/xtask");

    let mut specs = spec_files(&root().join("specs"))?;
    specs.extend(spec_files(&input)?);
    let vendor = root().join("../shared/vendor/jtl_wawi_cloud_openapi_3.0.4.json");
    if default && vendor.is_file() {
        specs.extend(spec_files(&vendor)?);
    }
    let out = root().join("target/compare");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;

    println!("| spec | apigen s | apigen peak MB | apigen | progenitor s | progenitor peak MB | progenitor |");
    println!("|---|---:|---:|---|---:|---:|---|");
    let (mut apigen_ok, mut progenitor_ok, mut both, mut faster) = (0, 0, 0, 0);
    for spec in &specs {
        let dir = out.join("apigen").join(&spec.crate_name);
        let mut command = Command::new(&time);
        command.arg("-v").arg("-o").arg(out.join("time.txt")).arg(&apigen);
        command.arg("corpus-one").arg(&spec.path).arg(&dir).arg(&spec.crate_name);
        let ours = measure(command, &out.join("time.txt"))?;

        let dir = out.join("progenitor").join(&spec.crate_name);
        let mut command = Command::new(&time);
        command.arg("-v").arg("-o").arg(out.join("time.txt")).arg(&cargo);
        command.args(["progenitor", "-i"]).arg(&spec.path).arg("-o").arg(&dir);
        command.args(["-n", &spec.crate_name, "-v", "0.1.0"]);
        let theirs = measure(command, &out.join("time.txt"))?;

        apigen_ok += usize::from(ours.ok);
        progenitor_ok += usize::from(theirs.ok);
        if ours.ok && theirs.ok {
            both += 1;
            faster += usize::from(ours.seconds < theirs.seconds);
        }
        println!(
            "| `{}` | {:.2} | {} | {} | {:.2} | {} | {} |",
            name(spec),
            ours.seconds,
            ours.peak_mb,
            ours.outcome,
            theirs.seconds,
            theirs.peak_mb,
            theirs.outcome
        );
    }
    println!(
        "\n{} specs: apigen generated {apigen_ok}, progenitor {progenitor_ok}; where both did ({both}), apigen was faster on {faster}",
        specs.len()
    );
    Ok(())
}

fn name(spec: &SpecFile) -> String {
    let under_specs = spec.path.parent().is_some_and(|p| p.ends_with("specs"));
    if under_specs {
        format!("specs/{}", spec.file_name)
    } else {
        spec.file_name.clone()
    }
}

struct Measured {
    ok: bool,
    seconds: f64,
    peak_mb: u64,
    /// `ok`, or what went wrong in a line.
    outcome: String,
}

fn measure(mut command: Command, time_file: &Path) -> Result<Measured, String> {
    // A backtrace would bury the message (and cost time to print).
    command.env("RUST_BACKTRACE", "0");
    let captured = run_captured(&mut command, Some(TIMEOUT))?;
    let report = std::fs::read_to_string(time_file).unwrap_or_default();
    let field =
        |label: &str| report.lines().find_map(|l| l.trim().strip_prefix(label).map(str::trim).map(str::to_owned));
    // `m:ss.cc` or `h:mm:ss`.
    let seconds = field("Elapsed (wall clock) time (h:mm:ss or m:ss):")
        .map(|t| t.split(':').fold(0.0, |total, part| total * 60.0 + part.parse::<f64>().unwrap_or(0.0)))
        .unwrap_or(0.0);
    let peak_mb = field("Maximum resident set size (kbytes):").and_then(|k| k.parse::<u64>().ok()).unwrap_or(0) / 1024;
    let ok = captured.status.is_some_and(|s| s.success());
    let outcome = if ok {
        "ok".to_owned()
    } else if captured.status.is_none() {
        format!("timed out after {} s", TIMEOUT.as_secs())
    } else {
        // progenitor says what failed on standard output, then that it failed on standard error.
        summary(&format!("{}\n{}", captured.stdout, captured.stderr))
    };
    Ok(Measured { ok, seconds, peak_mb, outcome })
}

/// A failure in one line: a panic's message, else the first line of output.
fn summary(stderr: &str) -> String {
    let lines: Vec<&str> =
        stderr.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("Command ")).collect();
    let text = match lines.iter().position(|l| l.contains("panicked at")) {
        Some(i) => format!("panic: {}", lines.get(i + 1).copied().unwrap_or_default()),
        None => lines.first().map_or_else(|| "failed".to_owned(), |l| format!("error: {l}")),
    };
    let text = text.replace('|', "\\|");
    match text.char_indices().nth(100) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text,
    }
}

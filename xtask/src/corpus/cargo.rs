//! Cargo in the scratch workspace: its manifest, `cargo check` (or `clippy`) of one generated
//! crate, and the counts and error lines read from cargo's short-format output.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::child::run_captured;
use super::{Check, Outcome, FIRST_ERRORS};
use crate::codegen::root;

/// The scratch workspace's manifest: every generated crate a member, nothing inherited from
/// above. The lock file is seeded from the project's, so the versions it is tested with are used
/// (and no index update is needed for them); cargo adds the generated crates to it.
pub(super) fn write_workspace(scratch: &Path, outcomes: &[Outcome]) -> Result<(), String> {
    let mut manifest = String::from(
        "# Written by `cargo xtask corpus`: the crates generated from the corpus, checked together.\n\
         # The [workspace] table makes this a workspace root, so cargo does not look further up.\n\
         [workspace]\nresolver = \"2\"\nmembers = [\n",
    );
    for outcome in outcomes.iter().filter(|o| o.generation.produced_crate()) {
        let _ = writeln!(manifest, "    \"crates/{}\",", outcome.spec.crate_name);
    }
    manifest.push_str("]\n");
    let path = scratch.join("Cargo.toml");
    fs::write(&path, manifest).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    // Re-seeded every run, so the versions are the project's current ones.
    let _ = fs::copy(root().join("Cargo.lock"), scratch.join("Cargo.lock"));
    Ok(())
}

pub(super) fn cargo_check(
    cargo: &std::ffi::OsStr,
    time_bin: Option<&str>,
    scratch: &Path,
    crate_name: &str,
    clippy: bool,
) -> Check {
    let time_file = scratch.join(format!("time-{crate_name}.txt"));
    let mut command = match time_bin {
        Some(time) => {
            let mut command = Command::new(time);
            command.arg("-v").arg("-o").arg(&time_file).arg(cargo);
            command
        }
        None => Command::new(cargo),
    };
    command
        .args([
            if clippy { "clippy" } else { "check" },
            "-p",
            crate_name,
            "--message-format",
            "short",
            "--color",
            "never",
        ])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"));
    let captured = match run_captured(&mut command, None) {
        Ok(captured) => captured,
        Err(message) => {
            return Check {
                passed: false,
                warnings: 0,
                errors: 1,
                error_lines: vec![message.clone()],
                time: Duration::ZERO,
                peak_kb: None,
                output: message,
            }
        }
    };
    let peak_kb = time_bin.and_then(|_| {
        let text = fs::read_to_string(&time_file).ok()?;
        let _ = fs::remove_file(&time_file);
        let line = text.lines().find(|l| l.contains("Maximum resident set size"))?;
        line.rsplit(':').next()?.trim().parse().ok()
    });
    let output = captured.stderr + &captured.stdout;
    let (warnings, errors, error_lines) = parse_cargo_output(&output);
    let passed = captured.status.is_some_and(|s| s.success());
    Check {
        passed,
        warnings,
        // A failure with no error counted (a manifest or resolution problem) still counts one.
        errors: if passed { errors } else { errors.max(1) },
        error_lines: if !passed && error_lines.is_empty() {
            output.lines().filter(|l| !l.trim().is_empty()).rev().take(FIRST_ERRORS).map(str::to_owned).collect()
        } else {
            error_lines
        },
        time: captured.elapsed,
        peak_kb,
        output,
    }
}

/// Warnings, errors and error lines from `cargo check --message-format short`. Counts come
/// from cargo's summary lines (`generated N warnings`, `due to N previous errors; M warnings
/// emitted`) when present, else from the diagnostic lines themselves.
fn parse_cargo_output(output: &str) -> (usize, usize, Vec<String>) {
    let mut summary_warnings = None;
    let mut summary_errors = None;
    let mut warning_lines = 0;
    let mut error_lines = Vec::new();
    let number_before = |line: &str, word: &str| -> Option<usize> {
        let at = line.find(word)?;
        line[..at].split_whitespace().last()?.parse().ok()
    };
    for line in output.lines() {
        let kind = diagnostic_kind(line);
        if line.starts_with("warning: `") && line.contains(" generated ") {
            summary_warnings = number_before(line, " warning");
        } else if line.starts_with("error: could not compile") {
            summary_errors = number_before(line, " previous error");
            if let Some(w) = line.split("; ").nth(1).and_then(|rest| number_before(rest, " warning")) {
                summary_warnings = Some(w);
            }
        } else if line.starts_with("error: aborting") {
        } else if kind == Some("error") {
            error_lines.push(line.to_owned());
        } else if kind == Some("warning") {
            warning_lines += 1;
        }
    }
    let errors = summary_errors.unwrap_or(error_lines.len());
    (summary_warnings.unwrap_or(warning_lines), errors, error_lines)
}

/// `error` or `warning` for a short-format diagnostic line (`src/lib.rs:1:2: error[E0412]: ...`
/// or `error: ...`), `None` for anything else.
pub(super) fn diagnostic_kind(line: &str) -> Option<&'static str> {
    let rest = match line.find(": ") {
        Some(at) if !line.starts_with("error") && !line.starts_with("warning") => {
            let location = &line[..at];
            // `path:line:col`
            let mut parts = location.rsplitn(3, ':');
            let (col, row) = (parts.next()?, parts.next()?);
            if !col.chars().all(|c| c.is_ascii_digit()) || !row.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            &line[at + 2..]
        }
        _ => line,
    };
    if rest.starts_with("error:") || rest.starts_with("error[") {
        Some("error")
    } else if rest.starts_with("warning:") || rest.starts_with("warning[") {
        Some("warning")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::report::without_location;

    #[test]
    fn counts_a_failed_check() {
        let output = "    Checking a v0.1.0 (/tmp/a)
a/src/lib.rs:2:15: error[E0425]: cannot find type `Foo` in this scope: not found in this scope
a/src/lib.rs:3:21: error[E0308]: mismatched types: expected `u32`, found `&str`
a/src/lib.rs:1:19: warning: unused variable: `x`: help: prefix it with an underscore: `_x`
warning: `a` (lib) generated 1 warning
error: could not compile `a` (lib) due to 2 previous errors; 1 warning emitted
";
        let (warnings, errors, lines) = parse_cargo_output(output);
        assert_eq!((warnings, errors, lines.len()), (1, 2, 2));
        assert_eq!(without_location(&lines[1]), "error[E0308]: mismatched types: expected `u32`, found `&str`");
    }

    #[test]
    fn counts_a_passing_check() {
        let output = "a/src/lib.rs:1:19: warning: unused variable: `x`
a/src/lib.rs:1:4: warning: function `unused` is never used
warning: `a` (lib) generated 2 warnings (run `cargo fix --lib -p a` to apply 1 suggestion)
    Finished `dev` profile [unoptimized + debuginfo] target(s) in 0.04s
";
        assert_eq!(parse_cargo_output(output), (2, 0, vec![]));
    }
}

//! What `corpus` prints: the table (a row per spec as it is done), the totals, the list of
//! failures, and the full report written to `report.txt`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::time::Duration;

use apigen::Severity;

use super::cargo::diagnostic_kind;
use super::{Args, Check, GenStatus, Generation, Outcome, SpecFile, FIRST_ERRORS};

pub(super) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

pub(super) fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn size(bytes: u64) -> String {
    if bytes < 1024 * 1024 {
        format!("{:.0} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

fn mb(kb: Option<u64>) -> String {
    kb.map(|kb| format!("{:.0}", kb as f64 / 1024.0)).unwrap_or_else(|| "-".to_owned())
}

fn truncate(s: &str, max: usize) -> String {
    let s = s.replace('\n', " ");
    if s.chars().count() <= max {
        s
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

const GEN_WIDTH: usize = 40;

pub(super) fn table_header(width: usize) -> String {
    format!(
        "{:width$} | {:>7} | {:GEN_WIDTH$} | {:>7} | {:>6} | {:16} | {:>5} | {:>7} | {:>8}",
        "spec", "size", "generate", "gen ms", "gen MB", "check", "warn", "check s", "check MB"
    )
}

pub(super) fn table_row(width: usize, spec: &SpecFile, generation: &Generation, check: Option<&Check>) -> String {
    let (check_cell, warn, secs, peak) = match check {
        Some(c) if c.passed => {
            ("ok".to_owned(), c.warnings.to_string(), format!("{:.1}", c.time.as_secs_f64()), mb(c.peak_kb))
        }
        Some(c) => (
            format!("FAIL ({})", plural(c.errors, "error")),
            c.warnings.to_string(),
            format!("{:.1}", c.time.as_secs_f64()),
            mb(c.peak_kb),
        ),
        None => ("-".to_owned(), "-".to_owned(), "-".to_owned(), "-".to_owned()),
    };
    format!(
        "{:width$} | {:>7} | {:GEN_WIDTH$} | {:>7.0} | {:>6} | {:16} | {:>5} | {:>7} | {:>8}",
        spec.file_name,
        size(spec.size),
        truncate(&generation.summary(), GEN_WIDTH),
        ms(generation.time),
        mb(generation.peak_kb),
        check_cell,
        warn,
        secs,
        peak
    )
}

pub(super) fn totals(outcomes: &[Outcome], checked: bool) -> String {
    let generated = outcomes.iter().filter(|o| o.generation.produced_crate()).count();
    let load_errors = outcomes.iter().filter(|o| matches!(o.generation.status, GenStatus::LoadError)).count();
    let panics = outcomes.iter().filter(|o| o.generation.is_panic()).count();
    let with_gen_errors =
        outcomes.iter().filter(|o| o.generation.produced_crate() && o.generation.count(Severity::Error) > 0).count();
    let mut line = format!(
        "\nspecs: {}, generated: {generated} ({with_gen_errors} with generator errors), load errors: {load_errors}, panics: {panics}",
        outcomes.len()
    );
    if checked {
        let compiled = outcomes.iter().filter(|o| o.check.as_ref().is_some_and(|c| c.passed)).count();
        let clean = outcomes.iter().filter(|o| o.check.as_ref().is_some_and(|c| c.passed && c.warnings == 0)).count();
        let failed = outcomes.iter().filter(|o| o.failed_check()).count();
        let check_time: Duration = outcomes.iter().filter_map(|o| o.check.as_ref()).map(|c| c.time).sum();
        let _ = write!(
            line,
            ", compiled: {compiled}, compiled clean (0 warnings): {clean}, failed to compile: {failed} (cargo check total {:.0} s)",
            check_time.as_secs_f64()
        );
    }
    line
}

/// Specs that panicked, failed to load or failed to compile, with their first errors.
pub(super) fn failure_list(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        let name = &o.spec.file_name;
        match &o.generation.status {
            GenStatus::Panic(message) => {
                let _ = writeln!(out, "PANIC {name}: {}", message.lines().next().unwrap_or_default());
            }
            GenStatus::Crash(why) => {
                let _ = writeln!(out, "PANIC {name}: {why}");
            }
            GenStatus::LoadError => {
                let _ = writeln!(out, "LOAD ERROR {name} ({} problems):", o.generation.diagnostics.len());
                for d in o.generation.diagnostics.iter().take(FIRST_ERRORS) {
                    let _ = writeln!(out, "    {d}");
                }
            }
            GenStatus::Ok => {}
        }
        if let Some(check) = o.check.as_ref().filter(|c| !c.passed) {
            let _ = writeln!(out, "FAIL {name} (crate {}, {}):", o.spec.crate_name, plural(check.errors, "error"));
            for line in first_distinct(&check.error_lines, FIRST_ERRORS) {
                let _ = writeln!(out, "    {line}");
            }
        }
    }
    if out.is_empty() {
        out
    } else {
        format!("failures:\n{out}")
    }
}

/// The first `n` lines with distinct messages (ignoring the location).
fn first_distinct(lines: &[String], n: usize) -> Vec<&str> {
    let mut seen = BTreeSet::new();
    lines.iter().map(String::as_str).filter(|l| seen.insert(without_location(l))).take(n).collect()
}

/// A short-format diagnostic line without its `path:line:col: ` prefix.
pub(super) fn without_location(line: &str) -> &str {
    match line.split_once(": ") {
        Some((_, rest))
            if !line.starts_with("error") && !line.starts_with("warning") && diagnostic_kind(line).is_some() =>
        {
            rest
        }
        _ => line,
    }
}

pub(super) fn full_report(
    args: &Args,
    outcomes: &[Outcome],
    width: usize,
    header: &str,
    totals: &str,
    failures: &str,
) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "apigen corpus report: {}", args.input.display());
    let _ = writeln!(
        out,
        "generator built in {} mode; gen ms = load + generate in a child process; gen MB = its peak RSS (VmHWM);\n\
         check s / check MB = wall time and peak RSS (largest process, /usr/bin/time -v) of `cargo check -p <crate>`\n\
         in {} (the first check also checks the dependencies)\n",
        if cfg!(debug_assertions) { "debug" } else { "release" },
        args.out.display()
    );
    let _ = writeln!(out, "{header}");
    for o in outcomes {
        let _ = writeln!(out, "{}", table_row(width, &o.spec, &o.generation, o.check.as_ref()));
    }
    let _ = writeln!(out, "{totals}\n");
    if !failures.is_empty() {
        let _ = writeln!(out, "{failures}");
    }
    for o in outcomes {
        let _ = writeln!(
            out,
            "\n==================== {} ({}, crate {}) ====================",
            o.spec.file_name,
            size(o.spec.size),
            o.spec.crate_name
        );
        let _ = writeln!(out, "spec: {}", o.spec.path.display());
        let _ = writeln!(
            out,
            "generate: {} in {:.0} ms, peak {} MB, {} files",
            o.generation.summary(),
            ms(o.generation.time),
            mb(o.generation.peak_kb),
            o.generation.files
        );
        if let GenStatus::Panic(message) | GenStatus::Crash(message) = &o.generation.status {
            let _ = writeln!(out, "panic: {message}");
        }
        if !o.generation.diagnostics.is_empty() {
            let _ = writeln!(out, "diagnostics ({}):", o.generation.diagnostics.len());
            for d in &o.generation.diagnostics {
                let _ = writeln!(out, "  {d}");
            }
        }
        if let Some(check) = &o.check {
            let _ = writeln!(
                out,
                "check: {} in {:.1} s, peak {} MB, {}, {}",
                if check.passed { "ok" } else { "FAILED" },
                check.time.as_secs_f64(),
                mb(check.peak_kb),
                plural(check.warnings, "warning"),
                plural(check.errors, "error")
            );
            for line in check
                .output
                .lines()
                .filter(|l| !l.trim_start().starts_with("Checking ") && !l.trim_start().starts_with("Compiling "))
            {
                let _ = writeln!(out, "  | {line}");
            }
        }
    }
    out
}

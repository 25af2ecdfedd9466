//! The report: for the console, and `CONFORMANCE.md`.

use std::fmt::Write as _;

use super::diagnosis::{self, Class};
use super::{CaseReport, FileReport, GroupReport, GroupStatus, Outcome, Report, Totals};

/// The command that produces the report.
pub const COMMAND: &str = "cargo run --release -p apigen-tests --bin conformance";

/// A case's data for a report: as the suite wrote it, on one line, cut if long.
fn compact(raw: &str) -> String {
    // JSON strings hold no raw line breaks: every one is layout.
    let text = raw.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    if text.chars().count() > 200 {
        format!("{}...", text.chars().take(200).collect::<String>())
    } else {
        text
    }
}

fn validity(valid: bool) -> &'static str {
    if valid {
        "valid"
    } else {
        "invalid"
    }
}

/// What happened to a failing case, in one line.
fn got_text(case: &CaseReport) -> String {
    match &case.outcome {
        Outcome::Ran { got, via, errors, .. } => {
            let errors = if errors.is_empty() { "no errors".to_owned() } else { errors.join(" | ") };
            let via = if via == "from_json" { String::new() } else { format!(" [{via}]") };
            format!("got {}{via}; our errors: {errors}", validity(*got))
        }
        Outcome::Panicked(message) => format!("the check panicked: {message}"),
        Outcome::NotRun(why) => format!("not run: {}", why.lines().next().unwrap_or_default()),
    }
}

/// `file` is the name `diagnosis.rs` knows it by: with its draft's prefix.
fn diagnosis_text(file: &str, group: &GroupReport, case: &CaseReport) -> String {
    match diagnosis::diagnose(file, &group.description, &case.description) {
        Some(d) => format!("{}: {}", d.class.name(), d.cause),
        None => "undiagnosed".to_owned(),
    }
}

/// Cases where `from_json::<T>` and the crate's `validate_schema` disagree.
fn disagreements(file: &FileReport) -> Vec<(&GroupReport, &CaseReport)> {
    file.groups
        .iter()
        .flat_map(|g| g.cases.iter().map(move |c| (g, c)))
        .filter(|(_, c)| matches!(&c.outcome, Outcome::Ran { got, alt: Some((alt, _)), .. } if got != alt))
        .collect()
}

/// Diagnoses whose cases all pass now (or no longer exist): the table needs pruning.
pub fn stale_diagnoses(report: &Report) -> Vec<String> {
    let prefix = report.draft.diagnosis_prefix();
    let others = [super::Draft::Draft4, super::Draft::Draft2020_12].map(super::Draft::diagnosis_prefix);
    diagnosis::ENTRIES
        .iter()
        // The entries of this draft: with its prefix, and no other draft's longer one.
        .filter(|(file, ..)| {
            file.starts_with(prefix) && !others.iter().any(|o| o.len() > prefix.len() && file.starts_with(o))
        })
        .filter(|(file, group, test, _)| {
            let Some(f) = report.files.iter().find(|f| format!("{prefix}{}", f.name) == *file) else { return false };
            !f.groups
                .iter()
                .filter(|g| g.applicable() && (*group == "*" || g.description == *group))
                .flat_map(|g| g.cases.iter())
                .any(|c| (*test == "*" || c.description == *test) && !c.passed())
        })
        .map(|(file, group, test, _)| format!("{file} / \"{group}\" / \"{test}\""))
        .collect()
}

/// The console report of one file.
pub fn print_file(draft: super::Draft, file: &FileReport) {
    let t = file.totals();
    println!(
        "== {}: {} groups ({} applicable, {} left out); cases {}/{} passed, {} failed",
        file.name,
        t.groups,
        t.applicable_groups,
        t.groups - t.applicable_groups,
        t.passed,
        t.applicable_cases,
        t.failed
    );
    for g in &file.groups {
        match &g.status {
            GroupStatus::LeftOut(reason) => println!("   left out  #{} \"{}\": {reason}", g.index, g.description),
            GroupStatus::Failed(message) => {
                println!("   FAILED    #{} \"{}\": {}", g.index, g.description, message.trim_end())
            }
            GroupStatus::Ran => {
                let passed = g.cases.iter().filter(|c| c.passed()).count();
                println!("   applicable #{} \"{}\": {passed}/{} passed", g.index, g.description, g.cases.len());
            }
        }
        for d in &g.diagnostics {
            println!("      generator said: {d}");
        }
    }
    for g in file.groups.iter().filter(|g| g.applicable()) {
        for c in g.cases.iter().filter(|c| !c.passed()) {
            println!(
                "   FAIL {} / \"{}\" / \"{}\": data {}; expected {}, {}",
                file.name,
                g.description,
                c.description,
                compact(&c.raw),
                validity(c.expected),
                got_text(c)
            );
            println!(
                "        diagnosis: {}",
                diagnosis_text(&format!("{}{}", draft.diagnosis_prefix(), file.name), g, c)
            );
        }
    }
    for (g, c) in disagreements(file) {
        println!("   NOTE from_json and validate_schema disagree on \"{}\" / \"{}\"", g.description, c.description);
    }
}

/// The console totals.
pub fn print_totals(report: &Report) {
    let (required, optional) = section_totals(report);
    println!("== totals");
    for (label, t) in [("required", required), ("optional", optional)] {
        if t.groups > 0 {
            println!(
                "   {label}: {} groups, {} applicable; {} of {} applicable cases passed, {} failed ({} cases left out)",
                t.groups,
                t.applicable_groups,
                t.passed,
                t.applicable_cases,
                t.failed,
                t.cases - t.applicable_cases
            );
        }
    }
    for stale in stale_diagnoses(report) {
        println!("   stale diagnosis (the case passes now; prune tests/src/conformance/diagnosis.rs): {stale}");
    }
    let failures = report.generation_failures();
    if !failures.is_empty() {
        println!("   generation failures: {}", failures.len());
        for (f, g) in failures {
            println!("      {} #{} \"{}\"", f.name, g.index, g.description);
        }
    }
}

fn section_totals(report: &Report) -> (Totals, Totals) {
    let mut required = Totals::default();
    let mut optional = Totals::default();
    for f in &report.files {
        if f.is_optional() {
            optional += f.totals();
        } else {
            required += f.totals();
        }
    }
    (required, optional)
}

fn md_escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn code(text: &str) -> String {
    let text = md_escape(text);
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn totals_table(out: &mut String, files: &[&FileReport], label: &str) {
    let _ = writeln!(out, "| file | groups | applicable | left out | cases | applicable cases | passed | failed |");
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut sum = Totals::default();
    for f in files {
        let t = f.totals();
        sum += t;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            f.name,
            t.groups,
            t.applicable_groups,
            t.groups - t.applicable_groups,
            t.cases,
            t.applicable_cases,
            t.passed,
            t.failed
        );
    }
    let _ = writeln!(
        out,
        "| **{label}** | **{}** | **{}** | **{}** | **{}** | **{}** | **{}** | **{}** |",
        sum.groups,
        sum.applicable_groups,
        sum.groups - sum.applicable_groups,
        sum.cases,
        sum.applicable_cases,
        sum.passed,
        sum.failed
    );
}

/// `CONFORMANCE.md`.
pub fn markdown(report: &Report, preamble: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Conformance: JSON Schema Test Suite, {}\n", report.draft.title());
    let _ = writeln!(out, "Produced by:\n\n```sh\n{COMMAND}\n```\n");
    out.push_str(preamble);
    let required: Vec<&FileReport> = report.files.iter().filter(|f| !f.is_optional()).collect();
    let optional: Vec<&FileReport> = report.files.iter().filter(|f| f.is_optional()).collect();

    let _ = writeln!(out, "## Totals\n");
    totals_table(&mut out, &required, "total");
    if !optional.is_empty() {
        let _ = writeln!(out, "\n### Optional tests (`optional/`)\n");
        totals_table(&mut out, &optional, "total, optional");
    }

    let _ = writeln!(out, "\n## Failing cases\n");
    let _ = writeln!(out, "Each with its diagnosis, one of:\n");
    for class in Class::ALL {
        let _ = writeln!(out, "- *{}*: {}", class.name(), class.meaning());
    }
    let _ = writeln!(out);
    let mut any = false;
    for f in &report.files {
        let failing: Vec<(&GroupReport, &CaseReport)> = f
            .groups
            .iter()
            .filter(|g| g.applicable())
            .flat_map(|g| g.cases.iter().filter(|c| !c.passed()).map(move |c| (g, c)))
            .collect();
        if failing.is_empty() {
            continue;
        }
        any = true;
        let _ = writeln!(out, "### {}\n", f.name);
        let _ = writeln!(out, "| group | test | data | expected | got | our errors | diagnosis |");
        let _ = writeln!(out, "|---|---|---|---|---|---|---|");
        for (g, c) in failing {
            let (got, errors) = match &c.outcome {
                Outcome::Ran { got, via, errors, .. } => {
                    let via = match via.split(' ').next() {
                        Some("from_json") | None => String::new(),
                        Some(how) => format!(" (via `{how}`)"),
                    };
                    (
                        format!("{}{via}", validity(*got)),
                        errors.iter().map(|e| code(e)).collect::<Vec<_>>().join("<br>"),
                    )
                }
                Outcome::Panicked(m) => ("panic".to_owned(), code(m)),
                Outcome::NotRun(why) => ("not run".to_owned(), md_escape(why.lines().next().unwrap_or_default())),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {got} | {errors} | {} |",
                md_escape(&g.description),
                md_escape(&c.description),
                code(&compact(&c.raw)),
                validity(c.expected),
                md_escape(&diagnosis_text(&format!("{}{}", report.draft.diagnosis_prefix(), f.name), g, c))
            );
        }
        let _ = writeln!(out);
    }
    if !any {
        let _ = writeln!(out, "None.\n");
    }

    let split: Vec<(&FileReport, &GroupReport, &CaseReport)> =
        report.files.iter().flat_map(|f| disagreements(f).into_iter().map(move |(g, c)| (f, g, c))).collect();
    if !split.is_empty() {
        let _ = writeln!(out, "## Where `from_json` and `validate_schema` disagree\n");
        let _ = writeln!(
            out,
            "The table above counts `from_json::<T>`. The generated crate's `validate_schema(key, json)` decides these \
             cases differently:\n"
        );
        let _ = writeln!(out, "| file | group | test | expected | `from_json` | `validate_schema` | its errors |");
        let _ = writeln!(out, "|---|---|---|---|---|---|---|");
        for (f, g, c) in split {
            if let Outcome::Ran { got, alt: Some((alt, errors)), .. } = &c.outcome {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} | {} |",
                    f.name,
                    md_escape(&g.description),
                    md_escape(&c.description),
                    validity(c.expected),
                    validity(*got),
                    validity(*alt),
                    errors.iter().map(|e| code(e)).collect::<Vec<_>>().join("<br>")
                );
            }
        }
        let _ = writeln!(out);
    }

    let stale = stale_diagnoses(report);
    if !stale.is_empty() {
        let _ = writeln!(out, "## Stale diagnoses\n");
        let _ = writeln!(out, "Entries of `tests/src/conformance/diagnosis.rs` whose cases pass now:\n");
        for s in stale {
            let _ = writeln!(out, "- {}", md_escape(&s));
        }
        let _ = writeln!(out);
    }

    let failures = report.generation_failures();
    if !failures.is_empty() {
        let _ = writeln!(out, "## Generation failures\n");
        for (f, g) in failures {
            if let GroupStatus::Failed(message) = &g.status {
                let _ = writeln!(
                    out,
                    "- {} #{} \"{}\", schema {}:\n\n```text\n{}\n```\n",
                    f.name,
                    g.index,
                    g.description,
                    code(&compact(&g.schema.to_string())),
                    message.trim_end()
                );
            }
        }
    }

    let _ = writeln!(out, "## Left-out groups\n");
    let _ = writeln!(
        out,
        "Schemas that are not OpenAPI {} Schema Objects, with the reason.\n",
        &report.draft.openapi()[..3]
    );
    let _ = writeln!(out, "| file | group | cases | reason |");
    let _ = writeln!(out, "|---|---|---:|---|");
    for f in &report.files {
        for g in &f.groups {
            if let GroupStatus::LeftOut(reason) = &g.status {
                let _ = writeln!(
                    out,
                    "| {} | #{} {} | {} | {} |",
                    f.name,
                    g.index,
                    md_escape(&g.description),
                    g.cases.len(),
                    md_escape(reason)
                );
            }
        }
    }

    let _ = writeln!(out, "\n## Rewritten groups\n");
    let _ = writeln!(
        out,
        "Applicable groups whose schema was rewritten, keeping its meaning, to be an OpenAPI {} component.\n",
        &report.draft.openapi()[..3]
    );
    let _ = writeln!(out, "| file | group | rewrite |");
    let _ = writeln!(out, "|---|---|---|");
    for f in &report.files {
        for g in f.groups.iter().filter(|g| g.applicable() && !g.adaptations.is_empty()) {
            let _ = writeln!(
                out,
                "| {} | #{} {} | {} |",
                f.name,
                g.index,
                md_escape(&g.description),
                md_escape(&g.adaptations.join("; "))
            );
        }
    }

    let with_diagnostics: Vec<(&FileReport, &GroupReport)> = report
        .files
        .iter()
        .flat_map(|f| f.groups.iter().map(move |g| (f, g)))
        .filter(|(_, g)| !g.diagnostics.is_empty())
        .collect();
    if !with_diagnostics.is_empty() {
        let _ = writeln!(out, "\n## What the generator said\n");
        let _ = writeln!(out, "Diagnostics on applicable groups' components.\n");
        for (f, g) in with_diagnostics {
            for d in &g.diagnostics {
                let _ = writeln!(out, "- {} #{} \"{}\": {}", f.name, g.index, md_escape(&g.description), md_escape(d));
            }
        }
    }
    out
}

//! `corpus [DIR|FILE]`: runs the generator over a corpus of real-world specs and compiles what
//! it produces.
//!
//! For every spec (sorted by file name) this generates a crate in a child process (so a panic,
//! a stack overflow or a hang is contained, and each spec's peak memory is its own), writes it
//! into a scratch workspace (`target/corpus/`), runs `cargo check` on it, and prints a table row
//! as soon as the spec is done. The full report, with every diagnostic and compiler message, goes
//! to `target/corpus/report.txt`. Exits non-zero when a spec panicked, failed to load or failed
//! to compile.
//!
//! The scratch workspace is a virtual workspace of its own (`[workspace]` in its `Cargo.toml`
//! stops cargo looking further up), with one shared target dir, so dependencies are checked once.

mod cargo;
mod child;
mod report;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use apigen::{Diagnostic, Severity};

use self::cargo::{cargo_check, write_workspace};
use self::child::generate_in_child;
pub use self::child::run_one;
pub(crate) use self::child::{gnu_time, run_captured};
use self::report::{failure_list, full_report, ms, plural, table_header, table_row, totals};
use crate::codegen::root;

const USAGE: &str =
    "usage: cargo xtask corpus [DIR|FILE] [--no-check] [--clippy] [--only NAME] [--out DIR] [--gen-timeout SECS]";

/// Generation of one spec is killed after this long (a hang is a bug to report, not to wait on).
const DEFAULT_GEN_TIMEOUT: Duration = Duration::from_secs(600);

/// How many compiler error lines a table's failure list shows per spec.
const FIRST_ERRORS: usize = 3;

struct Args {
    input: PathBuf,
    out: PathBuf,
    only: Option<String>,
    check: bool,
    /// `cargo clippy` rather than `cargo check`: its lints count as warnings.
    clippy: bool,
    gen_timeout: Duration,
}

fn parse_args(args: &[&str]) -> Result<Args, String> {
    let mut input = None;
    let mut out = None;
    let mut only = None;
    let mut check = true;
    let mut clippy = false;
    let mut gen_timeout = DEFAULT_GEN_TIMEOUT;
    let mut iter = args.iter();
    while let Some(&arg) = iter.next() {
        let mut value = |flag: &str| iter.next().copied().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match arg {
            "--no-check" => check = false,
            "--clippy" => clippy = true,
            "--only" => only = Some(value("--only")?.to_owned()),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--gen-timeout" => {
                let secs = value("--gen-timeout")?;
                let secs: u64 = secs.parse().map_err(|_| format!("--gen-timeout: not a number of seconds: {secs}"))?;
                gen_timeout = Duration::from_secs(secs);
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}\n{USAGE}")),
            path if input.is_none() => input = Some(PathBuf::from(path)),
            extra => return Err(format!("unexpected argument {extra}\n{USAGE}")),
        }
    }
    let input = input.unwrap_or_else(|| root().join("../shared/corpus"));
    Ok(Args {
        // `/work/shared/corpus`, not `/work/main/../shared/corpus`, in messages and generated headers.
        input: fs::canonicalize(&input).unwrap_or(input),
        // Absolute: cargo runs inside it.
        out: match out {
            Some(out) if out.is_relative() => {
                std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?.join(out)
            }
            Some(out) => out,
            None => root().join("target/corpus"),
        },
        only,
        check,
        clippy,
        gen_timeout,
    })
}

/// A spec of the corpus and the crate generated from it.
pub(crate) struct SpecFile {
    pub(crate) path: PathBuf,
    pub(crate) file_name: String,
    /// The file name without its extension.
    stem: String,
    pub(crate) crate_name: String,
    size: u64,
}

pub(crate) fn spec_files(input: &Path) -> Result<Vec<SpecFile>, String> {
    let paths: Vec<PathBuf> = if input.is_dir() {
        let entries = fs::read_dir(input).map_err(|e| format!("cannot read {}: {e}", input.display()))?;
        let mut paths = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| format!("cannot read {}: {e}", input.display()))?.path();
            if path.is_file() && matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")) {
                paths.push(path);
            }
        }
        paths
    } else if input.is_file() {
        vec![input.to_path_buf()]
    } else {
        return Err(format!("{}: no such file or directory", input.display()));
    };
    let mut specs = Vec::new();
    let mut taken = BTreeSet::new();
    for path in paths {
        let file_name = path.file_name().and_then(|f| f.to_str()).unwrap_or_default().to_owned();
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let size = fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        specs.push(SpecFile { path, file_name, stem, crate_name: String::new(), size });
    }
    specs.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    for spec in &mut specs {
        spec.crate_name = unique_crate_name(&spec.stem, &mut taken);
    }
    Ok(specs)
}

/// A valid package name from a file stem: lowercase ASCII letters, digits, `-` and `_`, not
/// starting with a digit, not a keyword or the name of a crate the generated code depends on,
/// and unique among the corpus (`-` and `_` count as the same, as they do in a crate name).
fn unique_crate_name(stem: &str, taken: &mut BTreeSet<String>) -> String {
    let mut name: String = stem
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '-' | '_') => c,
            _ => '_',
        })
        .collect();
    let name_trimmed = name.trim_matches(|c| c == '-' || c == '_');
    name = if name_trimmed.is_empty() { "spec".to_owned() } else { name_trimmed.to_owned() };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("spec_{name}");
    }
    const RESERVED: &[&str] = &[
        "as",
        "async",
        "await",
        "break",
        "const",
        "continue",
        "crate",
        "dyn",
        "else",
        "enum",
        "extern",
        "false",
        "fn",
        "for",
        "if",
        "impl",
        "in",
        "let",
        "loop",
        "match",
        "mod",
        "move",
        "mut",
        "pub",
        "ref",
        "return",
        "self",
        "static",
        "struct",
        "super",
        "trait",
        "true",
        "type",
        "unsafe",
        "use",
        "where",
        "while",
        "abstract",
        "become",
        "box",
        "do",
        "final",
        "macro",
        "override",
        "priv",
        "typeof",
        "unsized",
        "virtual",
        "yield",
        "try",
        "gen",
        "std",
        "core",
        "alloc",
        "proc_macro",
        "test",
        "build",
        "serde",
        "serde_json",
        "serde_repr",
        "chrono",
        "uuid",
    ];
    if RESERVED.contains(&name.replace('-', "_").as_str()) {
        name.push_str("_spec");
    }
    let mut candidate = name.clone();
    let mut n = 2;
    while !taken.insert(candidate.replace('-', "_")) {
        candidate = format!("{name}_{n}");
        n += 1;
    }
    candidate
}

enum GenStatus {
    Ok,
    LoadError,
    /// The generator panicked: the message, its location and the generator's frames.
    Panic(String),
    /// The child died without reporting (a stack overflow, an abort) or was killed on timeout.
    Crash(String),
}

struct Generation {
    status: GenStatus,
    diagnostics: Vec<Diagnostic>,
    /// Load and generation, in the child, without process start-up or writing files.
    time: Duration,
    peak_kb: Option<u64>,
    files: usize,
}

impl Generation {
    fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    fn produced_crate(&self) -> bool {
        matches!(self.status, GenStatus::Ok) && self.files > 0
    }

    fn is_panic(&self) -> bool {
        matches!(self.status, GenStatus::Panic(_) | GenStatus::Crash(_))
    }

    /// The table's "generate" cell.
    fn summary(&self) -> String {
        match &self.status {
            GenStatus::Ok => match (self.count(Severity::Error), self.count(Severity::Warning)) {
                (0, 0) => "ok".to_owned(),
                (0, w) => plural(w, "warning"),
                (e, 0) => plural(e, "error"),
                (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
            },
            GenStatus::LoadError => {
                let first =
                    self.diagnostics.first().map(|d| format!("{}: {}", d.pointer, d.message)).unwrap_or_default();
                format!("LOAD ERROR ({}): {first}", self.diagnostics.len())
            }
            GenStatus::Panic(_) => "PANIC".to_owned(),
            GenStatus::Crash(why) => format!("PANIC ({why})"),
        }
    }
}

struct Check {
    passed: bool,
    warnings: usize,
    errors: usize,
    /// The compiler's error lines (short format), in order.
    error_lines: Vec<String>,
    time: Duration,
    peak_kb: Option<u64>,
    /// Everything cargo printed.
    output: String,
}

struct Outcome {
    spec: SpecFile,
    generation: Generation,
    check: Option<Check>,
}

impl Outcome {
    fn failed_check(&self) -> bool {
        self.check.as_ref().is_some_and(|c| !c.passed)
    }
}

pub fn run(args: &[&str]) -> Result<(), String> {
    let args = parse_args(args)?;
    let mut specs = spec_files(&args.input)?;
    if let Some(only) = &args.only {
        specs.retain(|s| [&s.stem, &s.file_name, &s.crate_name].iter().any(|n| n.as_str() == only.as_str()));
        if specs.is_empty() {
            return Err(format!("no spec named `{only}` in {}", args.input.display()));
        }
    }
    if specs.is_empty() {
        return Err(format!("no .yaml, .yml or .json spec in {}", args.input.display()));
    }

    let scratch = &args.out;
    let crates_dir = scratch.join("crates");
    fs::create_dir_all(&crates_dir).map_err(|e| format!("cannot create {}: {e}", crates_dir.display()))?;
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the xtask executable: {e}"))?;
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let time_bin = if args.check { gnu_time() } else { None };

    let build = if cfg!(debug_assertions) { "debug" } else { "release" };
    eprintln!(
        "corpus: {} spec(s) from {}; scratch workspace {}; generator built in {build} mode{}",
        specs.len(),
        args.input.display(),
        scratch.display(),
        match (&time_bin, args.check) {
            (_, false) => "; --no-check".to_owned(),
            (Some(_), true) => "; check peak memory by /usr/bin/time -v".to_owned(),
            (None, true) => "; /usr/bin/time not found, no check peak memory".to_owned(),
        }
    );
    let width = specs.iter().map(|s| s.file_name.len()).max().unwrap_or(4).max(4);
    let header = table_header(width);
    println!("{header}");

    // Generate everything first: the workspace must list every member before cargo runs.
    let mut outcomes = Vec::new();
    for spec in specs {
        let dir = crates_dir.join(&spec.crate_name);
        let generation = generate_in_child(&exe, &spec, &dir, args.gen_timeout);
        if !args.check {
            println!("{}", table_row(width, &spec, &generation, None));
        } else {
            eprintln!("  generated {} in {:.0} ms: {}", spec.file_name, ms(generation.time), generation.summary());
        }
        outcomes.push(Outcome { spec, generation, check: None });
    }

    if args.check {
        write_workspace(scratch, &outcomes)?;
        for outcome in outcomes.iter_mut() {
            if outcome.generation.produced_crate() {
                eprintln!("  checking {} ...", outcome.spec.crate_name);
                outcome.check =
                    Some(cargo_check(&cargo, time_bin.as_deref(), scratch, &outcome.spec.crate_name, args.clippy));
            }
            println!("{}", table_row(width, &outcome.spec, &outcome.generation, outcome.check.as_ref()));
        }
    }

    let totals = totals(&outcomes, args.check);
    println!("{totals}");
    let failures = failure_list(&outcomes);
    if !failures.is_empty() {
        println!("\n{failures}");
    }

    let report_path = scratch.join("report.txt");
    let report = full_report(&args, &outcomes, width, &header, &totals, &failures);
    fs::write(&report_path, report).map_err(|e| format!("cannot write {}: {e}", report_path.display()))?;
    eprintln!("full report: {}", report_path.display());

    let bad = outcomes
        .iter()
        .filter(|o| o.generation.is_panic() || matches!(o.generation.status, GenStatus::LoadError) || o.failed_check())
        .count();
    if bad > 0 {
        Err(format!("corpus: {bad} spec(s) panicked, failed to load or failed to compile"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_are_valid_and_unique() {
        let mut taken = BTreeSet::new();
        let names: Vec<String> = ["Stripe API", "stripe-api", "3scale", "serde", "..", "a.b"]
            .iter()
            .map(|s| unique_crate_name(s, &mut taken))
            .collect();
        assert_eq!(names, ["stripe_api", "stripe-api_2", "spec_3scale", "serde_spec", "spec", "a_b"]);
    }
}

//! `arbitrary-proof [SPEC...] [--values N]`: the value generators of a generated crate (its
//! `arbitrary` feature) proven on every one of its types, for specs too large to keep in the
//! repository's tests.
//!
//! For each spec (default: the five under `specs/`, and Plaid from `../shared/corpus`, which is
//! skipped, saying so, when `../shared` is absent; Stripe, named as an argument, builds in about
//! 21 minutes at 12 GB on this repository's 2-core machine: see `BENCHMARKS.md`), this generates the crate into a scratch
//! workspace (`target/arbitrary-proof/`, or `--out DIR`; see `bench_compile::generate_into`)
//! beside a small binary that depends on it with `arbitrary` (and `xml` where it has XML),
//! every group feature and no client, and runs every entry of the crate's
//! `arbitrary::CHECKS` (N values each, default 1,000: every one validates and reads back from
//! its JSON as itself), of `XML_CHECKS` (the same through the XML form) and of
//! `INVALID_CHECKS` (values breaking one rule report exactly it), the types shared out over
//! `--threads` threads (default: one per core). It prints each type that fails with its first
//! failing value and why, in the tables' order, then per table, as it ends, the types, values,
//! failures, time and values per second (and on stderr, every 100 types, how far it is); it
//! fails when any type does.
//!
//! The generated crate is compiled unoptimised (a large crate builds far faster so), its
//! dependencies (proptest, regex-syntax, serde_json, the runtime) optimised: generation's work
//! is theirs.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::bench_compile::{cargo_run, generate_into};
use crate::codegen::root;
use crate::corpus::gnu_time;

const USAGE: &str = "usage: cargo xtask arbitrary-proof [SPEC...] [--values N] [--threads N] [--out DIR]";

/// The large spec proven when none is named, beside the five of `specs/`: Plaid, whose crate
/// with the feature builds in about 8 minutes at 7 GB on a 2-core machine (Stripe's takes 21
/// minutes and 12 GB: named as an argument, it is proven too).
const DEFAULT_LARGE: &str = "../shared/corpus/plaid.yaml";

/// The binary that runs the tables, one per spec; `CRATE` is the generated crate's name.
const RUNNER: &str = r#"//! Written by `cargo xtask arbitrary-proof`: runs every value generator's check of `CRATE`.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use apigen_runtime::arbitrary::{Exercise, Report};

/// A failing value's text is cut here on the terminal (a large object runs to pages).
const SHOWN: usize = 4_000;

/// How many types of a table between two lines of progress.
const PROGRESS: usize = 100;

fn main() -> ExitCode {
    let values: usize = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(1_000);
    let threads: usize = std::env::args()
        .nth(2)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut tables: Vec<(&str, &[(&str, Exercise)])> =
        vec![("valid", CRATE::arbitrary::CHECKS), ("invalid", CRATE::arbitrary::INVALID_CHECKS)];
    XML_TABLE
    let mut failed = 0;
    for (table, checks) in tables {
        let start = Instant::now();
        let (mut made, mut failures, mut rejected) = (0usize, 0usize, 0u64);
        for (name, outcome) in checks.iter().map(|(name, _)| name).zip(run_all(table, checks, values, threads)) {
            match outcome {
                Ok(report) => {
                    made += report.values;
                    rejected += report.rejected;
                }
                Err(why) => {
                    failures += 1;
                    let mut shown: String = why.chars().take(SHOWN).collect();
                    let cut = why.chars().count().saturating_sub(SHOWN);
                    if cut > 0 {
                        shown.push_str(&format!(" ... ({cut} more characters)"));
                    }
                    println!("FAILED {table} {name}: {shown}");
                }
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "{table}: {} types, {made} values, {failures} failing types, {rejected} rejected by filters, {seconds:.1} s on {threads} threads, {:.0} values/s",
            checks.len(),
            made as f64 / seconds.max(1e-9),
        );
        failed += failures;
    }
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Every check of `checks` on `values` values, on `threads` threads that each take the next
/// type not yet taken; the outcomes in the table's order, whatever the threads' (each check
/// seeds its own generator, so a type's values do not depend on the thread that makes them).
/// Every `PROGRESS` types it says how far the table is, on stderr: a long table (Stripe's run
/// for an hour) that is stopped part way still tells what it had proven.
fn run_all(table: &str, checks: &[(&str, Exercise)], values: usize, threads: usize) -> Vec<Result<Report, String>> {
    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let failing = AtomicUsize::new(0);
    let outcomes: Mutex<Vec<Option<Result<Report, String>>>> = Mutex::new(vec![None; checks.len()]);
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((_, exercise)) = checks.get(i) else { break };
                let outcome = catch_unwind(AssertUnwindSafe(|| exercise(values)))
                    .unwrap_or_else(|panic| Err(format!("panicked: {}", panic_text(&panic))));
                if outcome.is_err() {
                    failing.fetch_add(1, Ordering::Relaxed);
                }
                outcomes.lock().unwrap_or_else(std::sync::PoisonError::into_inner)[i] = Some(outcome);
                let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                if finished % PROGRESS == 0 {
                    eprintln!(
                        "{table}: {finished} of {} types done, {} failing, {:.0} s",
                        checks.len(),
                        failing.load(Ordering::Relaxed),
                        start.elapsed().as_secs_f64(),
                    );
                }
            });
        }
    });
    outcomes
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .map(|outcome| outcome.unwrap_or_else(|| Err("not run".to_owned())))
        .collect()
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".to_owned())
}
"#;

struct Args {
    specs: Vec<PathBuf>,
    values: usize,
    /// Threads the runner checks types on; `None`: as many as the machine has cores.
    threads: Option<usize>,
    out: PathBuf,
}

fn parse_args(args: &[&str]) -> Result<Args, String> {
    let mut specs = Vec::new();
    let mut values = 1_000;
    let mut threads = None;
    let mut out = root().join("target/arbitrary-proof");
    let mut iter = args.iter();
    while let Some(&arg) = iter.next() {
        let mut value = |flag: &str| iter.next().copied().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match arg {
            "--values" => {
                let n = value("--values")?;
                values = n.parse().map_err(|_| format!("--values takes a number, not {n}\n{USAGE}"))?;
            }
            "--threads" => {
                let n = value("--threads")?;
                threads = Some(n.parse().map_err(|_| format!("--threads takes a number, not {n}\n{USAGE}"))?);
            }
            "--out" => {
                out = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?.join(value("--out")?)
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}\n{USAGE}")),
            spec => specs.push(PathBuf::from(spec)),
        }
    }
    Ok(Args { specs, values, threads, out })
}

pub fn run(args: &[&str]) -> Result<(), String> {
    let args = parse_args(args)?;
    let specs = if args.specs.is_empty() {
        let mut specs: Vec<PathBuf> = ["jtl", "pelcro", "revcent", "revnue", "simplepin"]
            .iter()
            .map(|name| root().join(format!("specs/{name}.yaml")))
            .collect();
        let large = root().join(DEFAULT_LARGE);
        if large.is_file() {
            specs.push(large);
        } else {
            println!("skipped {}: not found (the corpus lives in ../shared, beside the repository)", large.display());
        }
        specs
    } else {
        args.specs.clone()
    };
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let time = gnu_time();
    let crates = args.out.join("crates");
    fs::create_dir_all(&crates).map_err(|e| format!("cannot create {}: {e}", crates.display()))?;
    let mut members = Vec::new();
    for spec in &specs {
        let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
        let name = format!("proof_{}", apigen::naming::field_name(stem, "spec"));
        let scratch = generate_into(spec, &name, &crates)?;
        let mut features = vec!["arbitrary".to_owned()];
        features.extend(scratch.xml.then(|| "xml".to_owned()));
        features.extend(scratch.model.features.iter().map(|f| f.name.clone()));
        write_runner(&args.out, &name, &features, scratch.xml)?;
        println!("{}: {} types, {} lines of Rust", spec.display(), scratch.model.types.len(), scratch.lines);
        members.push(name);
    }
    write_workspace(&args.out, &members)?;
    let mut failed = Vec::new();
    for name in &members {
        let runner = format!("run_{name}");
        let build = cargo_run(&cargo, time.as_deref(), &args.out, &["build", "-p", &runner])?;
        let peak = build.peak_kb.map(|kb| format!(", peak {:.2} GB", kb as f64 / 1e6)).unwrap_or_default();
        println!("{name}: built in {:.1} s{peak}", build.time.as_secs_f64());
        if !build.ok {
            return Err(format!("{name} does not build:\n{}", build.output));
        }
        let binary = args.out.join("target/debug").join(&runner);
        let mut command = Command::new(&binary);
        command.arg(args.values.to_string());
        if let Some(threads) = args.threads {
            command.arg(threads.to_string());
        }
        let status = command.status().map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        if !status.success() {
            failed.push(name.clone());
        }
    }
    if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("value generators fail in {}", failed.join(", ")))
    }
}

/// `runners/run_<name>`: the binary of [`RUNNER`] over the crate `name` with `features`.
fn write_runner(out: &Path, name: &str, features: &[String], xml: bool) -> Result<(), String> {
    let dir = out.join("runners").join(format!("run_{name}"));
    fs::create_dir_all(dir.join("src")).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let features: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    let mut manifest = String::new();
    let _ = write!(
        manifest,
        "[package]\nname = \"run_{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\n{name} = {{ path = \"../../crates/{name}\", default-features = false, features = [{}] }}\n\
         apigen-runtime = {{ path = {:?}, features = [\"arbitrary\"] }}\n",
        features.join(", "),
        root().join("generator/runtime").display().to_string(),
    );
    let xml_table = if xml { "tables.push((\"xml\", CRATE::arbitrary::XML_CHECKS));" } else { "" };
    let main = RUNNER.replace("XML_TABLE", xml_table).replace("CRATE", name);
    let write =
        |path: PathBuf, text: &str| fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()));
    write(dir.join("Cargo.toml"), &manifest)?;
    write(dir.join("src/main.rs"), &main)
}

/// The scratch workspace: the crates and their runners, the generated crates unoptimised and
/// everything else optimised.
fn write_workspace(out: &Path, names: &[String]) -> Result<(), String> {
    let members: Vec<String> =
        names.iter().flat_map(|name| [format!("\"crates/{name}\""), format!("\"runners/run_{name}\"")]).collect();
    let manifest = format!(
        "# Written by `cargo xtask arbitrary-proof`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n\n\
         [profile.dev]\ndebug = 0\nincremental = false\n\n[profile.dev.package.\"*\"]\nopt-level = 3\n",
        members.join(", ")
    );
    fs::write(out.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let _ = fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock"));
    Ok(())
}

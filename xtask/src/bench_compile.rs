//! `bench-compile [SPEC...]`: what a generated crate costs to compile, whole and one feature.
//!
//! For each spec (default: Stripe and Plaid from `../shared/corpus`; a default spec that is
//! not there is skipped, saying so, since `../shared` is not part of the repository), this
//! generates the crate into a scratch workspace (`target/bench-compile/`, or `--out DIR`) and
//! runs, under `/usr/bin/time -v` where it exists (wall time, peak resident memory of the
//! largest process), `cargo check` and then `cargo build` of:
//!
//! - the whole crate (its default features: every group, the client, XML);
//! - the client and one group alone (`--no-default-features --features client,<group>`), the
//!   group with the most operations unless `--feature NAME` names one, where the crate is
//!   split into groups;
//! - the client and no group, where it is split: the part every group needs.
//!
//! The dependencies (the runtime with its client, reqwest, tokio, ...) are compiled first by a
//! crate of their own in the same workspace, so each figure is the generated crate's alone;
//! `src/lib.rs` is touched before each run so that cargo compiles the crate again. Printed per
//! spec: generated lines of Rust, types, features, then one line per run. `--no-build` skips
//! the builds. The scratch workspace is left in place for a second look; delete it afterwards
//! (a Stripe build leaves gigabytes).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use apigen::{Options, SpecSource};

use crate::codegen::root;
use crate::corpus::{gnu_time, run_captured};

const USAGE: &str = "usage: cargo xtask bench-compile [SPEC...] [--feature NAME] [--no-build] [--out DIR]";

/// The specs measured when none is named: the two largest of the corpus.
const DEFAULT_SPECS: &[&str] = &["../shared/corpus/stripe.json", "../shared/corpus/plaid.yaml"];

struct Args {
    specs: Vec<PathBuf>,
    feature: Option<String>,
    build: bool,
    out: PathBuf,
}

fn parse_args(args: &[&str]) -> Result<Args, String> {
    let mut specs = Vec::new();
    let mut feature = None;
    let mut build = true;
    let mut out = root().join("target/bench-compile");
    let mut iter = args.iter();
    while let Some(&arg) = iter.next() {
        let mut value = |flag: &str| iter.next().copied().ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match arg {
            "--feature" => feature = Some(value("--feature")?.to_owned()),
            "--no-build" => build = false,
            "--out" => {
                out = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?.join(value("--out")?)
            }
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}\n{USAGE}")),
            spec => specs.push(PathBuf::from(spec)),
        }
    }
    Ok(Args { specs, feature, build, out })
}

pub fn run(args: &[&str]) -> Result<(), String> {
    let args = parse_args(args)?;
    let specs = if args.specs.is_empty() {
        let mut present = Vec::new();
        for spec in DEFAULT_SPECS.iter().map(|s| root().join(s)) {
            if spec.is_file() {
                present.push(spec);
            } else {
                println!(
                    "skipped {}: not found (the corpus lives in ../shared, beside the repository)",
                    spec.display()
                );
            }
        }
        present
    } else {
        args.specs.clone()
    };
    if specs.is_empty() {
        println!("no spec to measure");
        return Ok(());
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let time = gnu_time();
    if time.is_none() {
        println!("/usr/bin/time not found: peak memory is not measured");
    }
    fs::create_dir_all(args.out.join("crates")).map_err(|e| format!("cannot create {}: {e}", args.out.display()))?;
    for spec in &specs {
        measure(spec, &args, &cargo, time.as_deref())?;
    }
    Ok(())
}

fn measure(spec: &Path, args: &Args, cargo: &std::ffi::OsStr, time: Option<&str>) -> Result<(), String> {
    let stem = spec.file_stem().and_then(|s| s.to_str()).unwrap_or("spec");
    let name = format!("bench_{}", apigen::naming::field_name(stem, "spec"));
    let Scratch { model, dir, lines, xml } = generate_into(spec, &name, &args.out.join("crates"))?;
    write_workspace(&args.out, &name, xml)?;

    let group = match &args.feature {
        Some(feature) => model.features.iter().find(|f| f.name == *feature),
        // The first of the largest, in name order.
        None => model.features.iter().rev().max_by_key(|f| f.operations),
    };
    // The types every feature set compiles, by why: shared by groups, or used by none.
    let reached: std::collections::BTreeSet<apigen::model::TypeId> = apigen::lower::groups::closure(
        &model,
        model.operations.iter().flat_map(apigen::lower::groups::operation_roots),
    );
    let always = model.types.iter().filter(|t| t.feature.is_none()).count();
    let unused = model.types.len() - reached.len();
    println!(
        "{}: {} lines of Rust, {} types ({always} always compiled, {unused} of them used by no operation), {} operations, {} features{}",
        spec.display(),
        lines,
        model.types.len(),
        model.operations.len(),
        model.features.len(),
        group.map(|g| format!("; one group: `{}` ({} operations, {} types of its own)", g.name, g.operations, g.types)).unwrap_or_default(),
    );
    if let (Some(feature), None) = (&args.feature, group) {
        return Err(format!("{name} has no feature `{feature}`"));
    }
    let mut runs: Vec<(&str, Vec<String>)> = vec![("whole", Vec::new())];
    if let Some(group) = group {
        runs.push((
            "one group",
            vec!["--no-default-features".into(), "--features".into(), format!("client,{}", group.name)],
        ));
        runs.push(("no group", vec!["--no-default-features".into(), "--features".into(), "client".into()]));
    }
    let commands: &[&str] = if args.build { &["check", "build"] } else { &["check"] };
    for command in commands {
        // The dependencies first, by a crate of their own: the figures below are the crate's.
        let warm = cargo_run(cargo, None, &args.out, &[command, "-p", "warm"])?;
        if !warm.ok {
            return Err(format!("{command} of the dependencies failed:\n{}", warm.output));
        }
        for (what, features) in &runs {
            touch(&dir.join("src/lib.rs"))?;
            let mut cargo_args = vec![*command, "-p", name.as_str()];
            cargo_args.extend(features.iter().map(String::as_str));
            let run = cargo_run(cargo, time, &args.out, &cargo_args)?;
            let peak = run.peak_kb.map(|kb| format!(", peak {:.2} GB", kb as f64 / 1e6)).unwrap_or_default();
            let warnings =
                run.output.lines().filter(|l| l.starts_with("warning:") && !l.contains(" generated ")).count();
            let outcome = match (run.ok, warnings) {
                (false, _) => format!(" FAILED:\n{}", run.output),
                (true, 0) => String::new(),
                (true, n) => format!(", {n} warnings:\n{}", run.output),
            };
            println!("  cargo {command} {what:<9} {:>7.1} s{peak}{outcome}", run.time.as_secs_f64());
        }
    }
    Ok(())
}

/// A crate generated into a scratch workspace.
pub(crate) struct Scratch {
    /// The model it was generated from.
    pub(crate) model: apigen::model::ApiModel,
    /// Its directory.
    pub(crate) dir: PathBuf,
    /// Lines of Rust generated.
    pub(crate) lines: usize,
    /// Whether it has an `xml` feature.
    pub(crate) xml: bool,
}

/// Generates `spec`'s crate, named `name` and depending on this repository's runtime by path,
/// into `crates/<name>` (anything there before is removed).
pub(crate) fn generate_into(spec: &Path, name: &str, crates: &Path) -> Result<Scratch, String> {
    let text = fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let source = SpecSource { name: spec.display().to_string(), text };
    let options = Options::new(name).runtime_path(root().join("generator/runtime").display().to_string());
    let loaded =
        apigen::load_with(&source, &crate::codegen::read_referenced).map_err(|e| format!("{}: {e}", spec.display()))?;
    let (model, _) = apigen::model_of(&loaded, &options);
    let output = apigen::generate(&loaded, &options);
    let dir = crates.join(name);
    let _ = fs::remove_dir_all(&dir);
    let mut lines = 0;
    for file in &output.files {
        let path = dir.join(&file.path);
        fs::create_dir_all(path.parent().unwrap_or(&dir))
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        fs::write(&path, &file.contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        if file.path.ends_with(".rs") {
            lines += file.contents.lines().count();
        }
    }
    let xml = output.files.iter().any(|f| f.path == "src/xml.rs");
    Ok(Scratch { model, dir, lines, xml })
}

/// The scratch workspace: the crate, and `warm`, which depends on the runtime with the
/// features the crate's client turns on, so that building it builds every dependency.
fn write_workspace(out: &Path, name: &str, xml: bool) -> Result<(), String> {
    let manifest = format!(
        "# Written by `cargo xtask bench-compile`.\n[workspace]\nresolver = \"2\"\nmembers = [\"crates/{name}\", \"warm\"]\n"
    );
    let write =
        |path: PathBuf, text: &str| fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()));
    write(out.join("Cargo.toml"), &manifest)?;
    let _ = fs::copy(root().join("Cargo.lock"), out.join("Cargo.lock"));
    fs::create_dir_all(out.join("warm/src")).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let features = if xml { "\"client\", \"xml\"" } else { "\"client\"" };
    let mut warm = String::new();
    let _ = write!(
        warm,
        "[package]\nname = \"warm\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\
         apigen-runtime = {{ path = {:?}, features = [{features}] }}\n",
        root().join("generator/runtime").display().to_string()
    );
    write(out.join("warm/Cargo.toml"), &warm)?;
    write(out.join("warm/src/lib.rs"), "//! Compiles the dependencies of the measured crate.\n")
}

/// A cargo command's outcome.
pub(crate) struct Run {
    pub(crate) ok: bool,
    pub(crate) time: Duration,
    /// Peak resident memory of the largest process, where `/usr/bin/time` measured it.
    pub(crate) peak_kb: Option<u64>,
    /// Its standard error.
    pub(crate) output: String,
}

/// Runs cargo with `args` in the scratch workspace `dir` (offline, quiet, its own target
/// directory), under `time` (`/usr/bin/time`) where given.
pub(crate) fn cargo_run(cargo: &std::ffi::OsStr, time: Option<&str>, dir: &Path, args: &[&str]) -> Result<Run, String> {
    let time_file = dir.join("time.txt");
    let mut command = match time {
        Some(time) => {
            let mut command = Command::new(time);
            command.arg("-v").arg("-o").arg(&time_file).arg(cargo);
            command
        }
        None => Command::new(cargo),
    };
    command.args(args).args(["--offline", "--quiet"]).current_dir(dir).env("CARGO_TARGET_DIR", dir.join("target"));
    let captured = run_captured(&mut command, None)?;
    let peak_kb = time.and_then(|_| {
        let text = fs::read_to_string(&time_file).ok()?;
        let line = text.lines().find(|l| l.contains("Maximum resident set size"))?;
        line.rsplit(':').next()?.trim().parse().ok()
    });
    Ok(Run {
        ok: captured.status.is_some_and(|s| s.success()),
        time: captured.elapsed,
        peak_kb,
        output: captured.stderr,
    })
}

/// Sets the file's modification time to now, so that cargo compiles its crate again.
fn touch(path: &Path) -> Result<(), String> {
    let file =
        fs::File::options().append(true).open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    file.set_modified(std::time::SystemTime::now()).map_err(|e| format!("cannot touch {}: {e}", path.display()))
}

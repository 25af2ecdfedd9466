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

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Write as _};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use apigen::{Diagnostic, Options, Severity, SpecSource};

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

// ---------------------------------------------------------------------------------------------
// The child: `corpus-one <spec> <crate dir> <crate name>`.

static PANIC_MESSAGE: Mutex<Option<String>> = Mutex::new(None);
/// The peak RSS when the generator panicked, before the hook symbolises a backtrace.
static PEAK_AT_PANIC_KB: AtomicU64 = AtomicU64::new(0);

/// Generates one spec and writes its crate into `dir` (replacing what was there), then prints a
/// line-based report on stdout for the parent: `status`, `gen_us`, `peak_kb`, `files`, `diag`
/// and `panic` lines, with tabs and newlines in values escaped.
pub fn run_one(spec: &str, dir: &str, crate_name: &str) -> Result<(), String> {
    let text = fs::read_to_string(spec).map_err(|e| format!("cannot read {spec}: {e}"))?;
    std::panic::set_hook(Box::new(|info| {
        PEAK_AT_PANIC_KB.store(peak_rss_kb().unwrap_or(0), Ordering::Relaxed);
        let payload = info.payload();
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "(non-string panic payload)".to_owned());
        let location =
            info.location().map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
        // The generator's own frames say where the bug is.
        let backtrace = std::backtrace::Backtrace::force_capture().to_string();
        let frames: Vec<&str> = backtrace
            .lines()
            .collect::<Vec<_>>()
            .windows(2)
            .filter(|w| w[0].contains("apigen::"))
            .flat_map(|w| if w[1].trim_start().starts_with("at ") { vec![w[0], w[1]] } else { vec![w[0]] })
            .take(16)
            .collect();
        let mut full = format!("{message}{location}");
        if !frames.is_empty() {
            full.push_str("\nbacktrace (apigen frames):\n");
            full.push_str(&frames.join("\n"));
        }
        *PANIC_MESSAGE.lock().unwrap_or_else(|e| e.into_inner()) = Some(full);
    }));

    let source = SpecSource { name: spec.to_owned(), text };
    // Absolute: the crate is not where the default (`generated/<name>/`) assumes.
    let options = Options::new(crate_name).runtime_path(root().join("generator/runtime").display().to_string());
    let start = Instant::now();
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        apigen::generate_with(&source, &crate::codegen::read_referenced, &options)
    }));
    let elapsed = start.elapsed();
    drop(source);

    let mut report = String::new();
    let _ = writeln!(report, "gen_us\t{}", elapsed.as_micros());
    let diag_line = |report: &mut String, d: &Diagnostic| {
        let level = match d.severity {
            Severity::Error => "E",
            Severity::Warning => "W",
            Severity::Note => "N",
        };
        let _ = writeln!(report, "diag\t{level}\t{}\t{}", escape(&d.pointer), escape(&d.message));
    };
    match result {
        Ok(Ok(output)) => {
            let crate_dir = Path::new(dir);
            if crate_dir.exists() {
                fs::remove_dir_all(crate_dir).map_err(|e| format!("cannot remove {dir}: {e}"))?;
            }
            let mut written = 0;
            for file in &output.files {
                if file.path.split('/').any(|part| part == ".." || part.is_empty()) {
                    let _ = writeln!(report, "bad_path\t{}", escape(&file.path));
                    continue;
                }
                let full = crate_dir.join(&file.path);
                if let Some(parent) = full.parent() {
                    fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                }
                fs::write(&full, &file.contents).map_err(|e| format!("cannot write {}: {e}", full.display()))?;
                written += 1;
            }
            let _ = writeln!(report, "files\t{written}");
            output.diagnostics.iter().for_each(|d| diag_line(&mut report, d));
            let _ = writeln!(report, "status\tok");
        }
        Ok(Err(load_error)) => {
            load_error.diagnostics.iter().for_each(|d| diag_line(&mut report, d));
            let _ = writeln!(report, "status\tload_error");
        }
        Err(_) => {
            let message = PANIC_MESSAGE.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default();
            let _ = writeln!(report, "panic\t{}", escape(&message));
            let _ = writeln!(report, "status\tpanic");
        }
    }
    let at_panic = PEAK_AT_PANIC_KB.load(Ordering::Relaxed);
    if let Some(kb) = if at_panic > 0 { Some(at_panic) } else { peak_rss_kb() } {
        let _ = writeln!(report, "peak_kb\t{kb}");
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(report.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("cannot write the report: {e}"))
}

/// This process's peak resident set size (`VmHWM`), in KiB.
fn peak_rss_kb() -> Option<u64> {
    let status = fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\t', "\\t").replace('\n', "\\n")
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => out.push('\t'),
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The parent.

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

/// `/usr/bin/time` when the shell finds it (GNU time, for `-v`'s maximum resident set size).
pub(crate) fn gnu_time() -> Option<String> {
    let output = Command::new("sh").args(["-c", "command -v /usr/bin/time"]).output().ok()?;
    let path = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    (output.status.success() && !path.is_empty()).then_some(path)
}

fn generate_in_child(exe: &Path, spec: &SpecFile, dir: &Path, timeout: Duration) -> Generation {
    let mut command = Command::new(exe);
    command.arg("corpus-one").arg(&spec.path).arg(dir).arg(&spec.crate_name);
    let crash = |why: String| Generation {
        status: GenStatus::Crash(why),
        diagnostics: Vec::new(),
        time: Duration::ZERO,
        peak_kb: None,
        files: 0,
    };
    let captured = match run_captured(&mut command, Some(timeout)) {
        Ok(captured) => captured,
        Err(message) => return crash(message),
    };
    let mut generation = crash(String::new());
    generation.time = captured.elapsed;
    let mut status = None;
    for line in captured.stdout.lines() {
        let mut fields = line.split('\t');
        match (fields.next(), fields.next(), fields.next(), fields.next()) {
            (Some("status"), Some(s), _, _) => status = Some(s.to_owned()),
            (Some("gen_us"), Some(us), _, _) => generation.time = Duration::from_micros(us.parse().unwrap_or(0)),
            (Some("peak_kb"), Some(kb), _, _) => generation.peak_kb = kb.parse().ok(),
            (Some("files"), Some(n), _, _) => generation.files = n.parse().unwrap_or(0),
            (Some("diag"), Some(level), Some(pointer), Some(message)) => generation.diagnostics.push(Diagnostic {
                severity: match level {
                    "E" => Severity::Error,
                    "N" => Severity::Note,
                    _ => Severity::Warning,
                },
                pointer: unescape(pointer),
                message: unescape(message),
            }),
            (Some("panic"), Some(message), _, _) => generation.status = GenStatus::Panic(unescape(message)),
            (Some("bad_path"), Some(path), _, _) => generation.diagnostics.push(Diagnostic {
                severity: Severity::Error,
                pointer: "#".to_owned(),
                message: format!("(corpus) generated file with an unsafe path not written: {}", unescape(path)),
            }),
            _ => {}
        }
    }
    match (status.as_deref(), captured.status) {
        (Some("ok"), _) => generation.status = GenStatus::Ok,
        (Some("load_error"), _) => generation.status = GenStatus::LoadError,
        (Some("panic"), _) => {}
        (_, None) => generation.status = GenStatus::Crash(format!("timed out after {} s", timeout.as_secs())),
        (_, Some(exit)) => {
            let tail: Vec<&str> = captured.stderr.lines().rev().take(3).collect::<Vec<_>>().into_iter().rev().collect();
            generation.status = GenStatus::Crash(format!("{}: {}", describe_exit(exit), tail.join(" | ")));
        }
    }
    generation
}

fn describe_exit(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => format!("killed by signal {signal}"),
        _ => "abnormal exit".to_owned(),
    }
}

pub(crate) struct Captured {
    /// `None` when killed on timeout.
    pub(crate) status: Option<ExitStatus>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) elapsed: Duration,
}

/// Runs a command to completion (or until `timeout`, when it is killed), reading its output on
/// threads so a chatty child never blocks on a full pipe.
pub(crate) fn run_captured(command: &mut Command, timeout: Option<Duration>) -> Result<Captured, String> {
    let start = Instant::now();
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", command.get_program()))?;
    let reader = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = reader(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let stderr = reader(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if timeout.is_some_and(|t| start.elapsed() > t) => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("cannot wait for {:?}: {e}", command.get_program())),
        }
    };
    let elapsed = start.elapsed();
    Ok(Captured {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        elapsed,
    })
}

/// The scratch workspace's manifest: every generated crate a member, nothing inherited from
/// above. The lock file is seeded from the project's, so the versions it is tested with are used
/// (and no index update is needed for them); cargo adds the generated crates to it.
fn write_workspace(scratch: &Path, outcomes: &[Outcome]) -> Result<(), String> {
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

fn cargo_check(
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
fn diagnostic_kind(line: &str) -> Option<&'static str> {
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

// ---------------------------------------------------------------------------------------------
// Output.

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn ms(d: Duration) -> f64 {
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

fn table_header(width: usize) -> String {
    format!(
        "{:width$} | {:>7} | {:GEN_WIDTH$} | {:>7} | {:>6} | {:16} | {:>5} | {:>7} | {:>8}",
        "spec", "size", "generate", "gen ms", "gen MB", "check", "warn", "check s", "check MB"
    )
}

fn table_row(width: usize, spec: &SpecFile, generation: &Generation, check: Option<&Check>) -> String {
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

fn totals(outcomes: &[Outcome], checked: bool) -> String {
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
fn failure_list(outcomes: &[Outcome]) -> String {
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
fn without_location(line: &str) -> &str {
    match line.split_once(": ") {
        Some((_, rest))
            if !line.starts_with("error") && !line.starts_with("warning") && diagnostic_kind(line).is_some() =>
        {
            rest
        }
        _ => line,
    }
}

fn full_report(args: &Args, outcomes: &[Outcome], width: usize, header: &str, totals: &str, failures: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn crate_names_are_valid_and_unique() {
        let mut taken = BTreeSet::new();
        let names: Vec<String> = ["Stripe API", "stripe-api", "3scale", "serde", "..", "a.b"]
            .iter()
            .map(|s| unique_crate_name(s, &mut taken))
            .collect();
        assert_eq!(names, ["stripe_api", "stripe-api_2", "spec_3scale", "serde_spec", "spec", "a_b"]);
    }

    #[test]
    fn escapes_round_trip() {
        let s = "a\tb\nc\\ d\\n e\\";
        assert!(!escape(s).contains(['\t', '\n']));
        assert_eq!(unescape(&escape(s)), s);
    }
}

//! Child processes: the `corpus-one` child that generates one spec and reports on stdout, the
//! parent's side that runs it and reads that report, and running any command with a timeout
//! and its output captured (`bench-compile` and `compare` use it too).

use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Write as _};
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use apigen::{Diagnostic, Options, Severity, SpecSource};

use super::{GenStatus, Generation, SpecFile};
use crate::codegen::root;

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

/// `/usr/bin/time` when the shell finds it (GNU time, for `-v`'s maximum resident set size).
pub(crate) fn gnu_time() -> Option<String> {
    let output = Command::new("sh").args(["-c", "command -v /usr/bin/time"]).output().ok()?;
    let path = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    (output.status.success() && !path.is_empty()).then_some(path)
}

pub(super) fn generate_in_child(exe: &Path, spec: &SpecFile, dir: &Path, timeout: Duration) -> Generation {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        let s = "a\tb\nc\\ d\\n e\\";
        assert!(!escape(s).contains(['\t', '\n']));
        assert_eq!(unescape(&escape(s)), s);
    }
}

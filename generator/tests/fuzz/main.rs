//! Mutation fuzzing of [`apigen::load`] and [`apigen::generate`]: no input may panic or hang.
//!
//! Seeds are real specs (the five of `specs/`, the fixtures of `tests/fixtures/`, and a few
//! small specs of `../shared/corpus` when it is there), read into JSON values. Each case picks a
//! seed, applies a few mutations to the value (keys deleted, renamed or duplicated, values
//! replaced by odd ones or by values of the wrong type, random `$ref`s to any node, including
//! the node's own ancestors (cycles) and items of arrays, deep nesting, generated schemas with
//! every keyword, keyword soup), writes it as JSON or YAML (sometimes truncated or with bytes
//! mangled), and feeds the text to `load` and then `generate`, on a thread of its own:
//!
//! - a panic fails the case, and proptest shrinks it to a small list of mutations;
//! - a case that runs longer than the time limit is a hang: the input is saved, and the test
//!   exits at once (shrinking a hang would only pile up hung threads);
//! - a diagnostic that calls itself a bug in the generator (tokens that are not Rust) fails
//!   the case too;
//! - the input of the case being run is always in `target/tmp/fuzz-input.txt`, so a crash
//!   that takes the process down (a stack overflow) leaves its reproducer behind.
//!
//! `cargo test` runs a short, fixed-seed run. `cargo xtask fuzz [--cases N] [--seconds S]`
//! runs a long one in release, through these environment variables:
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `APIGEN_FUZZ_CASES` | how many cases to run | 300 |
//! | `APIGEN_FUZZ_SECONDS` | stop starting new cases after this long | none |
//! | `APIGEN_FUZZ_SEED` | the first seed (`random` for a fresh one) | a fixed seed |
//! | `APIGEN_FUZZ_TIMEOUT` | seconds one case may take | 20 |
//!
//! The fuzzer's parts: [`nodes`] addresses nodes of a JSON value, [`mutations`] says what a
//! mutation does, [`strategies`] draws mutations and cases; this file runs them. The
//! regression tests of [`regressions`] pin the bugs this fuzzer found, one spec each.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use serde_json::Value;

mod mutations;
mod nodes;
mod regressions;
mod strategies;

use strategies::case;

// ---------------------------------------------------------------------------------------------
// Seeds.

/// Small specs of the shared corpus used as seeds when the corpus is there.
const CORPUS_SEEDS: &[&str] = &[
    "ex_polymorphism.json",
    "ex_schema_types.json",
    "ex_schema_validation.json",
    "ex_response_schemas.json",
    "oai_uspto.yaml",
    "oai_callback_example.yaml",
    "swagger_petstore3.yaml",
    "oxide_propolis.json",
    "twilio_lookups_v1.json",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every seed spec as a JSON value, with its name.
fn seeds() -> Vec<(String, Value)> {
    let mut paths = Vec::new();
    for dir in ["specs", "tests/fixtures"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        found.retain(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")));
        found.sort();
        paths.extend(found);
    }
    // The corpus seeds are an optional extra: a clone without `../shared` beside it fuzzes the
    // repository's own specs only, and says so.
    let corpus = root().join("../shared/corpus");
    if corpus.is_dir() {
        paths.extend(CORPUS_SEEDS.iter().map(|name| corpus.join(name)).filter(|p| p.is_file()));
    } else {
        eprintln!("fuzz: {} is not there; seeding with specs/ and tests/fixtures/ only", corpus.display());
    }
    let mut seeds = Vec::new();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_owned();
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        // Read through the generator's own loader, which turns YAML into JSON as it does
        // (integer keys such as `200:` become strings).
        if let Ok(spec) = apigen::load(&apigen::SpecSource { name: name.clone(), text }) {
            seeds.push((name, spec.raw));
        }
    }
    assert!(seeds.len() >= 5, "the seed specs of specs/ are missing");
    seeds
}

// ---------------------------------------------------------------------------------------------
// Running one input.

/// What became of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Refused by `load`, with the kind of its first complaint.
    Refused(String),
    Generated,
}

/// A load error's first message without its particulars (names, positions, values), to
/// count what refuses mutated specs.
fn complaint_kind(error: &apigen::LoadError) -> String {
    let Some(first) = error.diagnostics.first() else { return String::new() };
    let mut kind = String::new();
    let mut quoted = false;
    for c in first.message.chars() {
        match c {
            '`' => quoted = !quoted,
            _ if quoted => {}
            ':' | '(' => break,
            c if c.is_ascii_digit() => {}
            c => kind.push(c),
        }
        if kind.len() > 60 {
            break;
        }
    }
    kind.trim().to_owned()
}

/// Loads and generates on a thread of its own (with a main thread's 8 MiB of stack), and waits
/// at most `timeout`. A hang saves the input and ends the process: a hung thread cannot be
/// stopped, and shrinking would start more.
fn run_input(name: &str, text: &str, timeout: Duration) -> Result<(Outcome, Duration), String> {
    let input_file = input_file();
    let _ = std::fs::write(&input_file, text);
    let (tx, rx) = mpsc::channel();
    let source = apigen::SpecSource { name: name.to_owned(), text: text.to_owned() };
    let start = Instant::now();
    let spawned = std::thread::Builder::new().name("fuzz-case".into()).stack_size(8 << 20).spawn(move || {
        let result = std::panic::catch_unwind(|| check(&source));
        let _ = tx.send(result);
    });
    if let Err(e) = spawned {
        return Err(format!("cannot start a thread: {e}"));
    }
    match rx.recv_timeout(timeout) {
        Ok(Ok(Ok(outcome))) => Ok((outcome, start.elapsed())),
        Ok(Ok(Err(bug))) => Err(bug),
        Ok(Err(panic)) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-string panic payload)".to_owned());
            Err(format!("panic: {message}"))
        }
        Err(_) => {
            let saved = input_file.with_file_name(format!("fuzz-hang-{name}"));
            let _ = std::fs::write(&saved, text);
            eprintln!("HANG: load + generate ran longer than {timeout:?}; the input is saved in {}", saved.display());
            std::process::exit(2);
        }
    }
}

fn check(source: &apigen::SpecSource) -> Result<Outcome, String> {
    let spec = match apigen::load(source) {
        Ok(spec) => spec,
        Err(error) => return Ok(Outcome::Refused(complaint_kind(&error))),
    };
    let output = apigen::generate(&spec, &apigen::Options::new("fuzzed"));
    if let Some(bug) = output.diagnostics.iter().find(|d| d.message.contains("bug in the generator")) {
        return Err(format!("generator bug reported: {bug}"));
    }
    for file in &output.files {
        if file.path.is_empty() || file.path.starts_with('/') || file.path.split('/').any(|p| p == "..") {
            return Err(format!("bad file path {:?}", file.path));
        }
    }
    Ok(Outcome::Generated)
}

fn input_file() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-input.txt")
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    match value.parse() {
        Ok(n) => Some(n),
        Err(_) => panic!("{name}={value}: not a number"),
    }
}

#[test]
fn mutated_specs_never_panic_or_hang() {
    let seeds = seeds();
    let cases = env_number("APIGEN_FUZZ_CASES").unwrap_or(300);
    let budget = env_number("APIGEN_FUZZ_SECONDS").map(Duration::from_secs);
    let timeout = Duration::from_secs(env_number("APIGEN_FUZZ_TIMEOUT").unwrap_or(20));
    let first_seed = match std::env::var("APIGEN_FUZZ_SEED").as_deref() {
        Ok("random") => {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
        }
        Ok(seed) => seed.parse().unwrap_or_else(|_| panic!("APIGEN_FUZZ_SEED={seed}: not a number")),
        Err(_) => 0x5eed_a919,
    };
    let strategy = case(seeds.len());
    let start = Instant::now();
    let ran = AtomicUsize::new(0);
    let generated = AtomicUsize::new(0);
    let refusals = std::sync::Mutex::new(std::collections::BTreeMap::<String, usize>::new());
    let slowest_us = AtomicU64::new(0);
    // Batches, each with its own seed, until the cases or the time run out.
    let mut seed = first_seed;
    loop {
        let done = ran.load(Ordering::Relaxed) as u64;
        if done >= cases || budget.is_some_and(|b| start.elapsed() >= b) {
            break;
        }
        let batch = (cases - done).min(64) as u32;
        let config = Config {
            cases: batch,
            rng_seed: RngSeed::Fixed(seed),
            failure_persistence: None,
            max_shrink_iters: 2000,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        let result = runner.run(&strategy, |case| {
            if budget.is_some_and(|b| start.elapsed() >= b) {
                return Ok(());
            }
            let (name, text) = case.text(&seeds);
            let (outcome, took) = run_input(&name, &text, timeout).map_err(TestCaseError::fail)?;
            ran.fetch_add(1, Ordering::Relaxed);
            match outcome {
                Outcome::Generated => {
                    generated.fetch_add(1, Ordering::Relaxed);
                }
                Outcome::Refused(kind) => {
                    *refusals.lock().unwrap_or_else(|e| e.into_inner()).entry(kind).or_default() += 1;
                }
            }
            slowest_us.fetch_max(took.as_micros() as u64, Ordering::Relaxed);
            Ok(())
        });
        match result {
            Ok(()) => {}
            Err(TestError::Fail(reason, case)) => {
                let (name, text) = case.text(&seeds);
                let saved = input_file().with_file_name(format!("fuzz-failure-{name}"));
                let _ = std::fs::write(&saved, &text);
                panic!(
                    "{reason}\nseed {seed} (APIGEN_FUZZ_SEED={seed}), minimal case:\n{case:#?}\ninput saved in {}",
                    saved.display()
                );
            }
            Err(TestError::Abort(reason)) => panic!("fuzzing aborted: {reason}"),
        }
        seed = seed.wrapping_add(1);
    }
    let ran = ran.into_inner();
    let generated = generated.into_inner();
    eprintln!(
        "fuzz: {ran} cases from {} seeds (first seed {first_seed}) in {:.1} s: {generated} generated, {} refused by load; slowest case {:.0} ms",
        seeds.len(),
        start.elapsed().as_secs_f64(),
        ran - generated,
        slowest_us.into_inner() as f64 / 1000.0
    );
    let mut refusals: Vec<(String, usize)> =
        refusals.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().collect();
    refusals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (kind, count) in refusals.iter().take(8) {
        eprintln!("  {count:>6} refused: {kind}");
    }
    // A fuzzer whose inputs all fail to load tests nothing past the loader.
    assert!(ran == 0 || generated * 5 >= ran, "only {generated} of {ran} mutated specs reached generation");
}

/// Runs one saved input (`APIGEN_FUZZ_REPLAY=path`), for debugging what the fuzzer found:
/// `APIGEN_FUZZ_REPLAY=target/tmp/fuzz-input.txt cargo test -p apigen --test fuzz replay -- --ignored --nocapture`.
#[test]
#[ignore = "replays the input named by APIGEN_FUZZ_REPLAY"]
fn replay() {
    let Ok(path) = std::env::var("APIGEN_FUZZ_REPLAY") else { return };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let name = if text.trim_start().starts_with('{') { "replay.json" } else { "replay.yaml" };
    match apigen::load(&apigen::SpecSource { name: name.to_owned(), text }) {
        Err(e) => eprintln!("refused by load:\n{e}"),
        Ok(spec) => {
            let output = apigen::generate(&spec, &apigen::Options::new("fuzzed"));
            for d in &output.diagnostics {
                eprintln!("{d}");
            }
            eprintln!("{} files", output.files.len());
        }
    }
}

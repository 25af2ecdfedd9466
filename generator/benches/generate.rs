//! Generation speed: load + lower + emit + render, per spec, best of several runs; then the
//! five specs of `specs/` together. Larger specs from `../shared/corpus` and JTL's full spec
//! are included when present. Prints a table; run with `cargo bench -p apigen --bench generate`.
//!
//! Each spec is measured in a child process (this binary again, with `APIGEN_BENCH_SPEC` set),
//! so that the peak resident memory (`VmHWM`) printed beside it is that spec's own.
//!
//! Arguments choose among the larger specs: `cargo bench -p apigen --bench generate -- stripe`
//! measures the five specs and Stripe's alone (a larger spec is measured when its file name
//! contains an argument, every one when there is none).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// As `cargo xtask` runs the generator (see xtask/src/main.rs). The library chooses no
// allocator; with the system's, Stripe takes about a quarter longer (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    if let Ok(path) = std::env::var("APIGEN_BENCH_SPEC") {
        return measure_one(Path::new(&path));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("specs"))
        .expect("specs/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    let seeds = specs.clone();
    // Cargo passes `--bench` to a benchmark without a harness: flags are not choices.
    let chosen: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    for extra in [
        "../shared/vendor/jtl_wawi_cloud_openapi_3.0.4.json",
        "../shared/corpus/twilio_api_v2010.json",
        "../shared/corpus/plaid.yaml",
        "../shared/corpus/stripe.json",
    ] {
        let path = root.join(extra);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if path.exists() && (chosen.is_empty() || chosen.iter().any(|c| name.contains(c.as_str()))) {
            specs.push(path);
        }
    }

    println!("{:<40} {:>10} {:>10} {:>12} {:>12}", "spec", "size KB", "types", "best ms", "peak MB");
    let exe = std::env::current_exe().expect("the bench knows its own path");
    for path in &specs {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_owned();
        let child =
            std::process::Command::new(&exe).env("APIGEN_BENCH_SPEC", path).output().expect("the bench runs itself");
        let line = String::from_utf8_lossy(&child.stdout);
        let fields: Vec<&str> = line.trim().split('\t').collect();
        match fields.as_slice() {
            [best, types, peak] if child.status.success() => {
                println!("{name:<40} {:>10} {types:>10} {best:>12} {peak:>12}", size / 1024);
            }
            _ => println!("{name:<40} failed: {}", String::from_utf8_lossy(&child.stderr).trim()),
        }
    }
    let texts: Vec<(String, String)> = seeds
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(p).expect("spec is readable")))
        .collect();
    let (best, _) = best_of(20, || {
        for (name, text) in &texts {
            generate(name, text);
        }
    });
    println!("\nthe {} specs of specs/ together: {:.2} ms (best of 20)", texts.len(), best.as_secs_f64() * 1e3);
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        if let Some(peak) = status.lines().find(|l| l.starts_with("VmHWM")) {
            println!("peak resident memory of that run: {}", peak.trim_start_matches("VmHWM:").trim());
        }
    }
}

/// The child: best time over several runs of one spec, its number of types and this process's
/// peak resident memory, tab-separated on one line.
fn measure_one(path: &Path) {
    let text = std::fs::read_to_string(path).expect("spec is readable");
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_owned();
    let runs = if text.len() > 1_000_000 { 3 } else { 20 };
    let (best, output) = best_of(runs, || generate(&name, &text));
    // `src/types.rs`, or the area files of `src/types/` in a large crate.
    let types: usize = output
        .files
        .iter()
        .filter(|f| f.path == "src/types.rs" || f.path.starts_with("src/types/"))
        .map(|f| f.contents.matches("\npub struct ").count() + f.contents.matches("\npub enum ").count())
        .sum();
    let peak_kb: u64 = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0);
    println!("{:.2}\t{types}\t{:.0}", best.as_secs_f64() * 1e3, peak_kb as f64 / 1024.0);
}

fn generate(name: &str, text: &str) -> apigen::Output {
    let source = apigen::SpecSource { name: name.to_owned(), text: text.to_owned() };
    match apigen::generate_from_source(&source, &apigen::Options::new("bench")) {
        Ok(output) => output,
        Err(err) => panic!("{name} does not load: {err}"),
    }
}

fn best_of<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut last = None;
    for _ in 0..runs {
        let start = Instant::now();
        let out = f();
        best = best.min(start.elapsed());
        last = Some(out);
    }
    (best, last.expect("at least one run"))
}

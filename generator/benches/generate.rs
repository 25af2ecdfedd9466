//! Generation speed: load + lower + emit + render, per spec, best of several runs; then the
//! five specs of `specs/` together. Larger specs from `../shared/corpus` and JTL's full spec
//! are included when present. Prints a table; run with `cargo bench -p apigen --bench generate`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("specs"))
        .expect("specs/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    let seeds = specs.clone();
    for extra in ["../shared/vendor/jtl_wawi_cloud_openapi_3.0.4.json", "../shared/corpus/twilio_api_v2010.json", "../shared/corpus/stripe.json"] {
        let path = root.join(extra);
        if path.exists() {
            specs.push(path);
        }
    }

    println!("{:<40} {:>10} {:>10} {:>12}", "spec", "size KB", "types", "best ms");
    for path in &specs {
        let text = std::fs::read_to_string(path).expect("spec is readable");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_owned();
        let runs = if text.len() > 1_000_000 { 3 } else { 20 };
        let (best, output) = best_of(runs, || generate(&name, &text));
        let types = output
            .files
            .iter()
            .find(|f| f.path == "src/types.rs")
            .map(|f| f.contents.matches("\npub struct ").count() + f.contents.matches("\npub enum ").count())
            .unwrap_or(0);
        println!("{name:<40} {:>10} {types:>10} {:>12.2}", text.len() / 1024, best.as_secs_f64() * 1e3);
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
            println!("peak resident memory of this run: {}", peak.trim_start_matches("VmHWM:").trim());
        }
    }
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

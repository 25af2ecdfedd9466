//! Generates the fixture specs' types into `OUT_DIR`, so that `src/lib.rs` compiles them: the
//! snapshot tests pin the text, and this pins that the text is valid Rust. It also shows the
//! generator serving a build script unchanged.

use std::fmt::Write;
use std::fs;
use std::path::Path;

fn main() {
    let fixtures = Path::new("fixtures");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let out = Path::new(&out_dir).join("fixtures");
    fs::create_dir_all(&out).expect("OUT_DIR is writable");

    // `name.yaml`, and `name/openapi.yaml` for a spec over several files.
    let mut names: Vec<String> = fs::read_dir(fixtures)
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| match n.ends_with(".yaml") {
            true => Some(n),
            false => fixtures.join(&n).join("openapi.yaml").is_file().then(|| format!("{n}/openapi.yaml")),
        })
        .collect();
    names.sort();

    let mut modules = String::new();
    for file in names {
        let stem = file.trim_end_matches("/openapi.yaml").trim_end_matches(".yaml");
        let text = fs::read_to_string(fixtures.join(&file)).expect("fixture is readable");
        let source = apigen::SpecSource { name: format!("tests/fixtures/{file}"), text };
        // Locations are relative to the workspace; this script runs in `tests/`.
        let resolve = |location: &str| fs::read_to_string(location.trim_start_matches("tests/")).map_err(|e| e.to_string());
        let output = apigen::generate_with(&source, &resolve, &apigen::Options::new(stem))
            .unwrap_or_else(|e| panic!("fixture {file} does not load:\n{e}"));
        let mut inner = String::new();
        for generated in output.files.iter().filter(|f| f.path.ends_with(".rs") && f.path != "src/lib.rs") {
            let module = generated.path.trim_start_matches("src/").trim_end_matches(".rs");
            // `include!` takes items only: inner attributes (`//!`) must go.
            let body: String = generated
                .contents
                .lines()
                .filter(|l| !l.starts_with("//!"))
                .map(|l| format!("{l}\n"))
                .collect();
            let path = out.join(format!("{stem}_{module}.rs"));
            fs::write(&path, body).expect("OUT_DIR is writable");
            let _ = write!(
                inner,
                " pub mod {module} {{ include!(concat!(env!(\"OUT_DIR\"), \"/fixtures/{stem}_{module}.rs\")); }}"
            );
        }
        let _ = writeln!(modules, "pub mod {stem} {{{inner} }}");
    }
    fs::write(out.join("mod.rs"), modules).expect("OUT_DIR is writable");
}

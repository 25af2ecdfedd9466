//! Generates the fixture specs' crates into `OUT_DIR`, so that `src/lib.rs` compiles them: the
//! snapshot tests pin the text, and this pins that the text is valid Rust, warning-free and
//! clippy-clean (the workspace's lints apply to this crate). Besides the specs in
//! `fixtures/`, it compiles a crate of more than 200 types (`src/large_spec.rs`), whose
//! `types/` and `validate/` modules are split into one file per area. It also shows the
//! generator serving a build script unchanged.
//!
//! Each crate is written out with its own file layout and mounted as a module by a
//! `#[path]` to its `lib.rs`: a module loaded that way finds its own `mod` files beside it, as
//! a crate root does, so split modules compile as they are.

use std::fmt::Write;
use std::fs;
use std::path::Path;

include!("src/large_spec.rs");

fn main() {
    let fixtures = Path::new("fixtures");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    println!("cargo:rerun-if-changed=src/large_spec.rs");
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let out = Path::new(&out_dir).join("fixtures");
    // Files of an earlier run (a fixture renamed, a module no longer split) must not linger.
    let _ = fs::remove_dir_all(&out);
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
    let mut specs: Vec<(String, String, String)> = names
        .into_iter()
        .map(|file| {
            let text = fs::read_to_string(fixtures.join(&file)).expect("fixture is readable");
            (
                file.trim_end_matches("/openapi.yaml").trim_end_matches(".yaml").to_owned(),
                format!("tests/fixtures/{file}"),
                text,
            )
        })
        .collect();
    specs.push(("large".to_owned(), "tests/src/large_spec.rs".to_owned(), large_spec()));

    let mut modules = String::new();
    for (stem, name, text) in specs {
        let source = apigen::SpecSource { name: name.clone(), text };
        // Locations are relative to the workspace; this script runs in `tests/`.
        let resolve =
            |location: &str| fs::read_to_string(location.trim_start_matches("tests/")).map_err(|e| e.to_string());
        let output = apigen::generate_with(&source, &resolve, &options(&stem))
            .unwrap_or_else(|e| panic!("fixture {name} does not load:\n{e}"));
        let root = out.join(&stem);
        for generated in output.files.iter().filter(|f| f.path.ends_with(".rs")) {
            let path = root.join(&generated.path);
            fs::create_dir_all(path.parent().expect("a file has a directory")).expect("OUT_DIR is writable");
            // A generated crate gates its client and XML modules, and a split crate its groups,
            // behind cargo features, which this crate does not have: each crate is compiled
            // whole, as with every feature on, so the gates are taken out. The mock's
            // `arbitrary` gates stay: this crate has that feature, off.
            fs::write(&path, without_feature_gates(&generated.contents)).expect("OUT_DIR is writable");
        }
        let lib = root.join("src").join("lib.rs");
        let _ = writeln!(modules, "#[path = {:?}]\npub mod {stem};", lib.display().to_string());
    }
    fs::write(out.join("mod.rs"), modules).expect("OUT_DIR is writable");
}

/// The options of a fixture: `groups` is split into features whatever its size.
fn options(stem: &str) -> apigen::Options {
    let options = apigen::Options::new(stem);
    if stem == "groups" {
        options.grouping(apigen::Grouping::Always)
    } else {
        options
    }
}

/// `text` without its `#[cfg(feature = "...")]` and `#[cfg(any(feature = "...", ...))]`
/// attributes, wherever they stand (before an item, or an array's element on the same line).
fn without_feature_gates(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let next = ["#[cfg(feature = ", "#[cfg(any(feature = "]
            .iter()
            .filter_map(|open| Some((rest.find(open)?, *open)))
            .min();
        let Some((start, open)) = next else { break };
        let close = if open.contains("any(") { "))]" } else { ")]" };
        let Some(length) = rest[start..].find(close) else { break };
        let end = start + length + close.len();
        if rest[start..end].contains("\"arbitrary\"") {
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        out.push_str(rest[..start].trim_end_matches([' ', '\t']));
        rest = rest[start + length + close.len()..].trim_start_matches(' ');
        // A gate on a line of its own leaves no empty line behind.
        if out.ends_with('\n') || out.is_empty() {
            rest = rest.strip_prefix('\n').unwrap_or(rest);
        } else {
            out.push(' ');
        }
    }
    out.push_str(rest);
    out
}

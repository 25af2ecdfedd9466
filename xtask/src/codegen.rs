//! `generate` and `check`: the generator's output for every spec, against `generated/`.
//!
//! Reading specs, reporting diagnostics, writing and the drift check are `apigen_cli`'s, the
//! same code the `apigen` command runs; this module knows only this repository's layout.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use apigen::Options;
use apigen_cli::tree::Tree;

/// The workspace root (the parent of this crate's directory).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives inside the workspace").to_path_buf()
}

/// A spec under `specs/` and the crate it generates.
struct SpecFile {
    /// The crate name: the file name without its extension.
    name: String,
    /// Path relative to the workspace root, with `/` separators, as messages name it.
    relative: String,
}

/// Reads a file a spec refers to (`$ref: ./common.yaml#/...`), by its location relative to
/// the working directory. Remote files are not fetched: the generator's error then says to
/// download the file and refer to it by its local path.
pub fn read_referenced(location: &str) -> Result<String, String> {
    if location.starts_with("http://") || location.starts_with("https://") {
        return Err("xtask reads local files only".to_owned());
    }
    fs::read_to_string(location).map_err(|e| e.to_string())
}

/// The specs under `specs/`: each `specs/<name>.yaml` (or `.yml`, `.json`), and each
/// `specs/<name>/openapi.yaml` (or `.yml`, `.json`) whose directory holds the other files it
/// refers to. Those files are read only through the spec's references: they are no crates.
fn spec_files() -> Result<Vec<SpecFile>, String> {
    let dir = root().join("specs");
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut specs = Vec::new();
    let is_spec = |path: &Path| matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"));
    for entry in entries {
        let path = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?.path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else { continue };
        if path.is_dir() {
            let main = ["openapi.yaml", "openapi.yml", "openapi.json"].into_iter().find(|f| path.join(f).is_file());
            if let Some(main) = main {
                specs.push(SpecFile { name: stem.to_owned(), relative: format!("specs/{stem}/{main}") });
            }
        } else if is_spec(&path) {
            let file_name = path.file_name().and_then(|f| f.to_str()).unwrap_or(stem);
            specs.push(SpecFile { name: stem.to_owned(), relative: format!("specs/{file_name}") });
        }
    }
    specs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(specs)
}

/// Generates one spec's crate in memory: crate-relative path -> contents. Prints the
/// generator's diagnostics with their line and column; fails on a spec that does not load or
/// has errors. `specs/apigen.toml`, where it exists, configures the spec.
fn generate_crate(spec: &SpecFile) -> Result<BTreeMap<String, String>, String> {
    let path = root().join(&spec.relative);
    let source = apigen_cli::spec::read(&path, &spec.relative)?;
    let mut options = Options::new(&spec.name);
    if let Some(config) = apigen_cli::spec::optional_config(&root().join("specs/apigen.toml"), &spec.name)? {
        options = config.apply(options);
    }
    let files = apigen_cli::spec::generate(&source, &options)?;
    Ok(files.into_iter().map(|f| (f.path, f.contents)).collect())
}

/// What generating the specs gave: every file of the crates that generated, as a tree under
/// the workspace root that owns `generated/`, their names, and the specs that did not
/// generate, each with why.
struct Generated {
    tree: Tree,
    names: Vec<String>,
    failures: Vec<String>,
}

impl Generated {
    /// `Err` naming every spec that did not generate, if any did not.
    fn failed(&self) -> Result<(), String> {
        if self.failures.is_empty() {
            return Ok(());
        }
        Err(format!("{}\n{} spec(s) did not generate", self.failures.join("\n"), self.failures.len()))
    }
}

/// Generates every spec (or the one named), carrying on past those that fail. The tree owns
/// all of `generated/` (so the crates of deleted specs are removed) when every spec generated,
/// else only the crates that did: a broken spec's crate is left as it was.
fn expected_tree(only: Option<&str>) -> Result<Generated, String> {
    let specs = spec_files()?;
    if let Some(name) = only {
        if !specs.iter().any(|s| s.name == name) {
            return Err(format!("no spec named `{name}` under specs/"));
        }
    }
    let mut tree = Tree { base: root(), files: BTreeMap::new(), owned: Vec::new() };
    let mut names = Vec::new();
    let mut failures = Vec::new();
    for spec in specs.iter().filter(|s| only.is_none_or(|n| n == s.name)) {
        match generate_crate(spec) {
            Ok(crate_files) => {
                for (path, contents) in crate_files {
                    tree.files.insert(Path::new("generated").join(&spec.name).join(path), contents);
                }
                names.push(spec.name.clone());
            }
            Err(message) => failures.push(format!("{message} (crate `{}` left as it was)", spec.name)),
        }
    }
    // `cargo fmt` must leave generated code as the generator formats it (prettyplease), or the
    // drift check would fail after it: rustfmt reads this file above every generated crate.
    tree.files.insert(PathBuf::from("generated/rustfmt.toml"), GENERATED_RUSTFMT.to_owned());
    tree.owned = match only {
        None if failures.is_empty() => vec![PathBuf::from("generated")],
        _ => names.iter().map(|name| Path::new("generated").join(name)).collect(),
    };
    Ok(Generated { tree, names, failures })
}

/// `generated/rustfmt.toml`: rustfmt formats nothing below it.
const GENERATED_RUSTFMT: &str =
    "# Generated code is formatted by the generator (prettyplease), not by rustfmt: `cargo fmt`\n\
# leaves it as generated, so that the drift check keeps passing. Written by `cargo xtask generate`.\n\
disable_all_formatting = true\n";

/// Writes the crate of every spec that generates, and then fails naming those that did not,
/// so that one broken spec does not hold back the rest.
pub fn generate(only: Option<&str>) -> Result<(), String> {
    let generated = expected_tree(only)?;
    let report = generated.tree.write()?;
    for path in &report.written {
        eprintln!("wrote {}", path.display());
    }
    for path in &report.removed {
        eprintln!("removed {}", path.display());
    }
    eprintln!("{} crate(s) generated, {} file(s) changed", generated.names.len(), report.written.len());
    generated.failed()
}

pub fn check() -> Result<(), String> {
    let generated = expected_tree(None)?;
    generated.failed()?;
    let tree = generated.tree;
    let problems = tree.check(Path::new(""))?;
    if problems.is_empty() {
        eprintln!("generated/ is up to date ({} files)", tree.files.len());
        return Ok(());
    }
    Err(format!(
        "generated/ differs from what the generator produces now:\n\n{}\n\nrun `cargo xtask generate` to fix",
        problems.join("\n")
    ))
}

#[cfg(test)]
mod tests {
    /// `cargo test` fails when the committed generated code is stale.
    #[test]
    fn generated_code_is_up_to_date() {
        if let Err(message) = super::check() {
            panic!("{message}");
        }
    }
}

//! `generate` and `check`: the generator's output for every spec, against `generated/`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use apigen::{Options, Severity, SpecSource};

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

fn spec_files() -> Result<Vec<SpecFile>, String> {
    let dir = root().join("specs");
    let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut specs = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?.path();
        let is_spec = matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json"));
        if let (true, Some(stem)) = (is_spec, path.file_stem().and_then(|s| s.to_str())) {
            let file_name = path.file_name().and_then(|f| f.to_str()).unwrap_or(stem);
            specs.push(SpecFile { name: stem.to_owned(), relative: format!("specs/{file_name}") });
        }
    }
    specs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(specs)
}

/// Generates one spec's crate in memory: crate-relative path -> contents. Prints the
/// generator's diagnostics; fails on a spec that does not load or has errors.
fn generate_crate(spec: &SpecFile) -> Result<BTreeMap<String, String>, String> {
    let path = root().join(&spec.relative);
    let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", spec.relative))?;
    let source = SpecSource { name: spec.relative.clone(), text };
    let output = apigen::generate_from_source(&source, &Options::new(&spec.name)).map_err(|e| e.to_string())?;
    for diagnostic in &output.diagnostics {
        eprintln!("{}: {diagnostic}", spec.relative);
    }
    if output.diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(format!("{}: the generator reported errors (above)", spec.relative));
    }
    Ok(output.files.into_iter().map(|f| (f.path, f.contents)).collect())
}

/// What generating the specs gave.
struct Generated {
    /// Every file of the crates that generated, by path relative to the workspace root.
    files: BTreeMap<PathBuf, String>,
    /// The crates that generated.
    names: Vec<String>,
    /// The specs that did not, each with why: (crate name, message).
    failures: Vec<(String, String)>,
}

impl Generated {
    /// `Err` naming every spec that did not generate, if any did not.
    fn failed(&self) -> Result<(), String> {
        if self.failures.is_empty() {
            return Ok(());
        }
        let messages: Vec<&str> = self.failures.iter().map(|(_, m)| m.as_str()).collect();
        let names: Vec<String> = self.failures.iter().map(|(n, _)| format!("`{n}`")).collect();
        Err(format!("{}\n{} spec(s) did not generate: {}", messages.join("\n"), names.len(), names.join(", ")))
    }
}

/// Generates every spec (or the one named), carrying on past those that fail.
fn expected_files(only: Option<&str>) -> Result<Generated, String> {
    let specs = spec_files()?;
    if let Some(name) = only {
        if !specs.iter().any(|s| s.name == name) {
            return Err(format!("no spec named `{name}` under specs/"));
        }
    }
    let mut generated = Generated { files: BTreeMap::new(), names: Vec::new(), failures: Vec::new() };
    for spec in specs.iter().filter(|s| only.is_none_or(|n| n == s.name)) {
        match generate_crate(spec) {
            Ok(crate_files) => {
                for (path, contents) in crate_files {
                    generated.files.insert(Path::new("generated").join(&spec.name).join(path), contents);
                }
                generated.names.push(spec.name.clone());
            }
            Err(message) => generated.failures.push((spec.name.clone(), message)),
        }
    }
    Ok(generated)
}

/// Files currently under `generated/<name>/` for the given crates, or under all of
/// `generated/` when regenerating everything (so crates of deleted specs count as extra).
fn existing_files(crates: Option<&[String]>) -> Result<Vec<PathBuf>, String> {
    let root = root();
    let dirs: Vec<PathBuf> = match crates {
        Some(names) => names.iter().map(|n| Path::new("generated").join(n)).collect(),
        None => vec![PathBuf::from("generated")],
    };
    let mut out = Vec::new();
    for dir in dirs {
        walk(&root, &dir, &mut out)?;
    }
    out.sort();
    Ok(out)
}

fn walk(root: &Path, relative: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let full = root.join(relative);
    if !full.exists() {
        return Ok(());
    }
    for entry in fs::read_dir(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))? {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", full.display()))?;
        let rel = relative.join(entry.file_name());
        if entry.path().is_dir() {
            walk(root, &rel, out)?;
        } else {
            out.push(rel);
        }
    }
    Ok(())
}

/// Writes the crate of every spec that generates, and then fails naming those that did not
/// (whose crates are left as they were), so that one broken spec does not hold back the rest.
pub fn generate(only: Option<&str>) -> Result<(), String> {
    let generated = expected_files(only)?;
    let (expected, names) = (&generated.files, &generated.names);
    let root = root();
    let mut written = 0;
    for (path, contents) in expected {
        let full = root.join(path);
        if fs::read(&full).ok().as_deref() == Some(contents.as_bytes()) {
            continue;
        }
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        fs::write(&full, contents).map_err(|e| format!("cannot write {}: {e}", full.display()))?;
        eprintln!("wrote {}", path.display());
        written += 1;
    }
    let scope = only.map(|_| names.as_slice());
    let failed = |path: &Path| generated.failures.iter().any(|(name, _)| path.starts_with(Path::new("generated").join(name)));
    for stale in existing_files(scope)?.into_iter().filter(|p| !expected.contains_key(p) && !failed(p)) {
        fs::remove_file(root.join(&stale)).map_err(|e| format!("cannot remove {}: {e}", stale.display()))?;
        eprintln!("removed {}", stale.display());
    }
    remove_empty_dirs(&root.join("generated"));
    eprintln!("{} crate(s) generated, {written} file(s) changed", names.len());
    generated.failed()
}

fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_empty_dirs(&path);
            // Fails, as intended, when the directory is not empty.
            let _ = fs::remove_dir(&path);
        }
    }
}

pub fn check() -> Result<(), String> {
    let generated = expected_files(None)?;
    generated.failed()?;
    let expected = generated.files;
    let root = root();
    let mut problems = Vec::new();
    for (path, contents) in &expected {
        match fs::read_to_string(root.join(path)) {
            Err(_) => problems.push(format!("missing: {}", path.display())),
            Ok(actual) if actual != *contents => {
                let diff = similar::TextDiff::from_lines(actual.as_str(), contents.as_str())
                    .unified_diff()
                    .context_radius(2)
                    .header(&format!("{} (committed)", path.display()), &format!("{} (generated now)", path.display()))
                    .to_string();
                problems.push(format!("stale: {}\n{diff}", path.display()));
            }
            Ok(_) => {}
        }
    }
    for extra in existing_files(None)?.into_iter().filter(|p| !expected.contains_key(p)) {
        problems.push(format!("extra: {} (no spec generates it)", extra.display()));
    }
    if problems.is_empty() {
        eprintln!("generated/ is up to date ({} files)", expected.len());
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

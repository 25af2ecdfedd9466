//! Reading a spec and its configuration, generating, and reporting diagnostics with their
//! file, line and column.

use std::path::Path;

use apigen::config::Config;
use apigen::position::SourceMap;
use apigen::{Diagnostic, GeneratedFile, Options, Severity, SpecSource};

/// Reads the spec at `path`, naming it `shown` in messages (the path as the user gave it).
pub fn read(path: &Path, shown: &str) -> Result<SpecSource, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{shown}: error: cannot read the spec: {e}"))?;
    Ok(SpecSource { name: shown.to_owned(), text })
}

/// The spec file's stem (`petstore` for `specs/petstore.yaml`): the default crate name, and
/// the spec's table in `apigen.toml`.
pub fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The options for the spec at `spec_path`: `name` (default: the spec's stem), then the
/// spec's table in the configuration file, if one is given (it must have one), then the
/// runtime path, if one is given.
pub fn options(
    spec_path: &Path,
    name: Option<&str>,
    config: Option<&Path>,
    runtime_path: Option<&str>,
) -> Result<Options, String> {
    let stem = stem(spec_path);
    let mut options = Options::new(name.unwrap_or(&stem));
    if let Some(config_path) = config {
        let shown = config_path.display().to_string();
        let text = std::fs::read_to_string(config_path)
            .map_err(|e| format!("{shown}: error: cannot read the configuration: {e}"))?;
        let config = Config::parse(&shown, &text)?;
        let spec = config
            .spec(&stem)
            .ok_or_else(|| format!("{shown}: error: no `[{stem}]` table for {}", spec_path.display()))?;
        options = spec.apply(options);
        if let Some(name) = name {
            options.crate_name = name.to_owned();
        }
    }
    if let Some(path) = runtime_path {
        options = options.runtime_path(path);
    }
    Ok(options)
}

/// Reads the configuration of `stem` from `path` if that file exists: how `cargo xtask` reads
/// `specs/apigen.toml`, which need not be there, nor mention every spec.
pub fn optional_config(path: &Path, stem: &str) -> Result<Option<apigen::config::SpecConfig>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Config::parse(&path.display().to_string(), &text)?.spec(stem).cloned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("{}: error: cannot read the configuration: {e}", path.display())),
    }
}

/// Every diagnostic as `file:line:column: severity: pointer: message`. The text is indexed
/// only when there is something to report.
pub fn render(source: &SpecSource, diagnostics: &[Diagnostic]) -> Vec<String> {
    if diagnostics.is_empty() {
        return Vec::new();
    }
    let map = SourceMap::new(&source.text);
    diagnostics.iter().map(|d| map.render(&source.name, d)).collect()
}

/// Loads and generates. Prints every diagnostic (with its position) to stderr; fails on a spec
/// that does not load or on generator errors, saying so.
pub fn generate(source: &SpecSource, options: &Options) -> Result<Vec<GeneratedFile>, String> {
    // Files the spec refers to are read by their location relative to the working directory
    // (the spec's own name joined with the reference); remote ones are not fetched.
    let resolve = |location: &str| {
        if location.starts_with("http://") || location.starts_with("https://") {
            return Err("remote files are not fetched".to_owned());
        }
        std::fs::read_to_string(location).map_err(|e| e.to_string())
    };
    let output =
        apigen::generate_with(source, &resolve, options).map_err(|e| render(source, &e.diagnostics).join("\n"))?;
    for line in render(source, &output.diagnostics) {
        eprintln!("{line}");
    }
    if output.diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(format!("{}: the generator reported errors (above)", source.name));
    }
    Ok(output.files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_errors_name_line_and_column() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: '#/components/responses/Nope'\n";
        let source = SpecSource { name: "specs/x.yaml".into(), text: text.into() };
        let err = generate(&source, &Options::new("x")).unwrap_err();
        assert!(err.starts_with("specs/x.yaml:8:11: error: #/paths/~1a/get/responses/200/$ref: "), "{err}");
    }
}

//! Generating from an OpenAPI spec in a build script: `apigen`'s crate, as one module that
//! the crate `include!`s.
//!
//! ```no_run
//! // build.rs, in `fn main`:
//! apigen_build::Config::new("openapi.yaml", "petstore").generate().unwrap();
//! ```
//!
//! ```ignore
//! // src/lib.rs
//! mod petstore {
//!     include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
//! }
//! ```
//!
//! The crate then depends on `apigen-runtime` (with its `client` feature where the spec has
//! operations, `xml` where it has XML bodies), which is all the generated code uses.
//!
//! This is a crate of its own, rather than a module of `apigen`, because it reads and writes
//! files and talks to Cargo: the generator stays a pure library, as the CLI and `cargo xtask`
//! also rely on. Like prost-build, the work is a builder whose last call does it.

use std::fmt;
use std::path::{Path, PathBuf};

use apigen::config::Config as FileConfig;
use apigen::position::SourceMap;
use apigen::{Layout, Options, Severity, SpecSource};

/// What to generate, and where from.
#[derive(Debug, Clone)]
pub struct Config {
    spec: PathBuf,
    options: Options,
    config_file: Option<PathBuf>,
    out_dir: Option<PathBuf>,
}

/// Why generation failed: the spec could not be read or loaded, or the generator reported
/// errors. Each diagnostic is a line `file:line:column: error: pointer: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Generates `$OUT_DIR/<module>.rs` from `spec` with the default options; see [`Config`].
pub fn generate(spec: impl AsRef<Path>, module: &str) -> Result<PathBuf, Error> {
    Config::new(spec, module).generate()
}

impl Config {
    /// The spec at `spec` (relative to the crate's directory, where build scripts run), to be
    /// written as `<module>.rs`.
    pub fn new(spec: impl AsRef<Path>, module: &str) -> Config {
        Config {
            spec: spec.as_ref().to_owned(),
            options: Options::new(module).layout(Layout::Module).regenerate("cargo build"),
            config_file: None,
            out_dir: None,
        }
    }

    /// Reads the spec's table (keyed by the spec file's stem) from an `apigen.toml`: its
    /// operation selection, replaced schemas and extra derives apply (its crate name,
    /// version and runtime do not: there is no crate).
    pub fn config_file(mut self, path: impl AsRef<Path>) -> Config {
        self.config_file = Some(path.as_ref().to_owned());
        self
    }

    /// Extra derives on every generated type (`"Eq"`, `"Hash"`, paths).
    pub fn derive(mut self, derive: &str) -> Config {
        self.options.derive.push(derive.to_owned());
        self
    }

    /// Writes into `dir` rather than `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Config {
        self.out_dir = Some(dir.as_ref().to_owned());
        self
    }

    /// Generates and writes the module, rewriting the file only when its bytes change. Tells
    /// Cargo to run the build script again when the spec (or the configuration) changes, and
    /// passes the generator's warnings on as Cargo warnings. Returns the file's path.
    pub fn generate(self) -> Result<PathBuf, Error> {
        let fail = |message: String| Error { message };
        let shown = self.spec.display().to_string();
        println!("cargo:rerun-if-changed={shown}");
        let text = std::fs::read_to_string(&self.spec)
            .map_err(|e| fail(format!("{shown}: error: cannot read the spec: {e}")))?;
        let mut options = self.options.clone();
        if let Some(path) = &self.config_file {
            let config_shown = path.display().to_string();
            println!("cargo:rerun-if-changed={config_shown}");
            let config_text =
                std::fs::read_to_string(path).map_err(|e| fail(format!("{config_shown}: error: cannot read: {e}")))?;
            let stem = self.spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            if let Some(spec) = FileConfig::parse(&config_shown, &config_text).map_err(fail)?.spec(&stem) {
                let module = options.crate_name.clone();
                options = spec.apply(options);
                options.crate_name = module;
            }
        }
        let source = SpecSource { name: shown, text };
        let output = apigen::generate_from_source(&source, &options).map_err(|e| {
            let map = SourceMap::new(&source.text);
            fail(e.diagnostics.iter().map(|d| map.render(&source.name, d)).collect::<Vec<_>>().join("\n"))
        })?;
        let map = if output.diagnostics.is_empty() { SourceMap::default() } else { SourceMap::new(&source.text) };
        let mut errors = Vec::new();
        for diagnostic in &output.diagnostics {
            let line = map.render(&source.name, diagnostic);
            match diagnostic.severity {
                // Notes are about the value generators, which a module for `include!` leaves out.
                Severity::Note => {}
                Severity::Warning => println!("cargo:warning={line}"),
                Severity::Error => errors.push(line),
            }
        }
        if !errors.is_empty() {
            return Err(fail(errors.join("\n")));
        }
        let dir =
            match &self.out_dir {
                Some(dir) => dir.clone(),
                None => PathBuf::from(std::env::var_os("OUT_DIR").ok_or_else(|| {
                    fail("OUT_DIR is not set: call this from a build script, or set out_dir".to_owned())
                })?),
            };
        let mut written = dir.clone();
        for file in output.files {
            let path = dir.join(&file.path);
            if std::fs::read(&path).ok().as_deref() != Some(file.contents.as_bytes()) {
                std::fs::create_dir_all(&dir).map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
                std::fs::write(&path, &file.contents)
                    .map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
            }
            written = path;
        }
        Ok(written)
    }
}

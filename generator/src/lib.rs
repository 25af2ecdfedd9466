//! apigen: generates Rust crates (types, validators, clients) from OpenAPI 3.0, 3.1 and 3.2
//! and Swagger 2.0 specs.
//!
//! A pure library: a spec and options in, files and diagnostics out. The pipeline is
//! [`load`](mod@load) (text to checked document) -> [`lower`](mod@lower) (document to [`model`], the only phase that
//! knows `openapiv3`) -> [`emit`] (model to tokens, the only phase that uses `quote!`) ->
//! [`render`] (tokens to formatted text). Writing files is the caller's business (see
//! `xtask`), so the same library serves a build script or a CLI.

pub mod config;
pub mod diag;
pub mod emit;
pub mod load;
pub mod lower;
pub mod media;
pub mod model;
pub mod naming;
pub mod position;
pub mod render;
pub mod select;

use std::collections::BTreeMap;

pub use diag::{Diagnostic, Severity};
pub use load::{load, load_with, LoadError, MoreOperation, Resolver, Spec, SpecSource};

/// The version requirement generated crates put on `apigen-runtime`: the runtime released with
/// this generator (they are versioned together).
pub const RUNTIME_VERSION: &str = "0.1";

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Package name of the generated crate (`pelcro`).
    pub crate_name: String,
    /// The crate's version; `None` takes the spec's `info.version` (made a valid semver).
    pub crate_version: Option<String>,
    /// Where the generated crate finds `apigen-runtime`.
    pub runtime: Runtime,
    /// A crate, or one module for a build script.
    pub layout: Layout,
    /// The command that regenerates the output, named in every generated file's header.
    pub regenerate: String,
    /// Extra derives on every generated type (paths: `Eq`, `schemars::JsonSchema`).
    pub derive: Vec<String>,
    /// Extra derives on the types named (their Rust names).
    pub derive_for: BTreeMap<String, Vec<String>>,
    /// Generate only the operations chosen here (all when `None`) ...
    pub include: Option<config::Selector>,
    /// ... less those chosen here. With either, components no kept operation uses are left
    /// out (see [`select`]).
    pub exclude: Option<config::Selector>,
    /// Component schemas replaced by existing Rust types: schema key -> type path. The type
    /// must implement what the generated types derive (`Debug`, `Clone`, `PartialEq`, serde's
    /// `Serialize` and `Deserialize`); the generated validators do not check its values.
    pub replace: BTreeMap<String, String>,
    /// Whether the crate's operations are split into cargo features (see [`lower::groups`]).
    pub grouping: Grouping,
}

/// Whether a crate's operations, and the types they use, are split into cargo features,
/// one per group (a tag, or a first path segment). In `apigen.toml`, `features = "auto"`,
/// `"always"` or `"never"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    /// Split where the spec has at least [`lower::groups::MIN_OPERATIONS`] operations in two
    /// groups or more: below that, a crate compiles in seconds whole, and features would only
    /// add `cfg` lines.
    Auto,
    /// Split wherever the spec's operations make two groups or more, whatever their number.
    Always,
    /// One group: no features beyond `client` and `xml`.
    Never,
}

/// What the output is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A crate: `Cargo.toml` and `src/`.
    Crate,
    /// One file, `<crate name>.rs`, holding the crate's items as one module's, for a build
    /// script to write to `OUT_DIR` and a crate to `include!` inside `mod name { ... }` (see
    /// [`emit::single_module`]). The crate that includes it depends on `apigen-runtime`.
    Module,
}

/// Where a generated crate finds `apigen-runtime`: the dependency line of its `Cargo.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// From a registry, by version requirement (`apigen-runtime = { version = "0.1" }`): a
    /// generated crate then builds anywhere. A workspace that builds the runtime from source
    /// (this one) overrides it with `[patch.crates-io]`.
    Version(String),
    /// A path dependency, relative to the generated crate's directory or absolute.
    Path(String),
}

impl Options {
    pub fn new(crate_name: impl Into<String>) -> Self {
        Self {
            crate_name: crate_name.into(),
            crate_version: None,
            runtime: Runtime::Version(RUNTIME_VERSION.to_owned()),
            layout: Layout::Crate,
            regenerate: "cargo xtask generate".to_owned(),
            derive: Vec::new(),
            derive_for: BTreeMap::new(),
            include: None,
            exclude: None,
            replace: BTreeMap::new(),
            grouping: Grouping::Auto,
        }
    }

    /// Splits the crate into features by [`Grouping`] (the default is [`Grouping::Auto`]).
    pub fn grouping(mut self, grouping: Grouping) -> Self {
        self.grouping = grouping;
        self
    }

    /// One module's file for a build script instead of a crate.
    pub fn layout(mut self, layout: Layout) -> Self {
        self.layout = layout;
        self
    }

    /// Names `command` as the way to regenerate, in every generated file's header.
    pub fn regenerate(mut self, command: impl Into<String>) -> Self {
        self.regenerate = command.into();
        self
    }

    /// Depends on the runtime by path instead of by version.
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime = Runtime::Path(path.into());
        self
    }

    /// Versions the crate `version` instead of the spec's `info.version`.
    pub fn crate_version(mut self, version: impl Into<String>) -> Self {
        self.crate_version = Some(version.into());
        self
    }
}

/// A file of the generated crate: a path relative to the crate root, with `/` separators, and
/// its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// The generated crate, and everything the generator has to say about the spec.
#[derive(Debug, Clone)]
pub struct Output {
    pub files: Vec<GeneratedFile>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Generates a crate from a loaded spec. Never fails: what cannot be expressed is a
/// diagnostic, and generation carries on with the rest.
pub fn generate(spec: &Spec, options: &Options) -> Output {
    let mut diags = diag::Diagnostics::default();
    let selected = select::select(spec, options, &mut diags);
    let model = lower::lower(selected.as_ref().unwrap_or(spec), options, &mut diags);
    let header =
        format!("Generated by apigen from `{}`. Do not edit by hand: run `{}`.", spec.name, options.regenerate);
    if options.layout == Layout::Module {
        let mut files = Vec::new();
        match render::render_rust(emit::single_module(&model), &header) {
            Ok(contents) => files.push(GeneratedFile { path: format!("{}.rs", options.crate_name), contents }),
            Err(message) => diags.error("#", format!("{}.rs: {message}", options.crate_name)),
        }
        return Output { files, diagnostics: diags.into_vec() };
    }
    // Each file is emitted and formatted on its own (formatting is most of the time on a large
    // spec), several at once; the results keep the files' order, so the output does not depend
    // on the number of threads. A file comes with the notes its emitter made: the value
    // generators' (where they filter with the validator; a crate only, the module for
    // `include!` has no generators).
    let rendered = in_parallel(&emit::makers(&model), |make| match make(&model, &header) {
        emit::EmittedFile::Text { path, contents } => {
            (Ok(GeneratedFile { path, contents: render::normalise(&contents) }), Vec::new())
        }
        emit::EmittedFile::Rust { path, tokens, notes } => match render::render_rust(tokens, &header) {
            Ok(contents) => (Ok(GeneratedFile { path, contents }), notes),
            Err(message) => (Err(format!("{path}: {message}")), notes),
        },
    });
    // The notes first, then any file's error, as they were when the notes had a pass of their own.
    for note in rendered.iter().flat_map(|(_, notes)| notes) {
        diags.note(note.pointer.clone(), note.message.clone());
    }
    let mut files = Vec::new();
    for (file, _) in rendered {
        match file {
            Ok(file) => files.push(file),
            Err(message) => diags.error("#", message),
        }
    }
    let mut diagnostics = spec.warnings.clone();
    diagnostics.extend(load::relocate(diags.into_vec(), &spec.origins));
    Output { files, diagnostics }
}

/// `f` of every task, in the tasks' order, computed on up to as many threads as the machine
/// has cores, each taking the next task left, from the last: the last files (validate, client)
/// are large, so starting them first balances the threads best. A thread
/// that cannot be started leaves its share to the others, and to the calling thread, which
/// takes part too.
fn in_parallel<T: Sync, R: Send>(tasks: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get).min(tasks.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<std::sync::Mutex<Option<R>>> = tasks.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let work = || loop {
        let taken = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Some(i) = tasks.len().checked_sub(taken + 1) else { break };
        let task = &tasks[i];
        let result = f(task);
        *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
    };
    std::thread::scope(|scope| {
        // A main thread's stack: emitting and formatting recurse as deep as the spec's schemas.
        let helpers: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().stack_size(8 << 20).spawn_scoped(scope, work).ok())
            .collect();
        work();
        for helper in helpers {
            if let Err(panic) = helper.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().unwrap_or_else(|e| e.into_inner()).expect("every task was run"))
        .collect()
}

/// The model of the crate `generate` would make, and what the generator had to say: for tools
/// that work from the model itself (the CLI's validator interprets its rules).
pub fn model_of(spec: &Spec, options: &Options) -> (model::ApiModel, Vec<Diagnostic>) {
    let mut diags = diag::Diagnostics::default();
    let selected = select::select(spec, options, &mut diags);
    let model = lower::lower(selected.as_ref().unwrap_or(spec), options, &mut diags);
    (model, diags.into_vec())
}

/// Loads and generates in one call, for a spec that refers to no other file.
pub fn generate_from_source(source: &SpecSource, options: &Options) -> Result<Output, LoadError> {
    let spec = load(source)?;
    Ok(generate(&spec, options))
}

/// Loads and generates in one call, reading the files the spec refers to through `resolve`.
pub fn generate_with(source: &SpecSource, resolve: &Resolver<'_>, options: &Options) -> Result<Output, LoadError> {
    let spec = load_with(source, resolve)?;
    Ok(generate(&spec, options))
}

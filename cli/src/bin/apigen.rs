//! `apigen`: generate a crate from an OpenAPI spec, check a committed one for drift, or
//! validate JSON payloads against any spec.
//!
//! Exit status: 0 on success; 1 when the check found drift, a payload was invalid or the
//! generator reported errors; 2 on a usage error or a file that cannot be read or written.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use apigen_cli::tree::Tree;
use apigen_cli::validate::{Interpreter, Target};
use apigen_cli::{readme, spec};
use clap::{Args, Parser, Subcommand};

// The generator allocates small token trees by the million; mimalloc is much faster at that
// than the system allocator, with which Stripe's spec takes about a quarter longer (BENCHMARKS.md,
// generation speed). The same as `cargo xtask` and the generation benchmark.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "apigen",
    version,
    about = "OpenAPI (Swagger 2.0, OpenAPI 3.0, 3.1, 3.2) to Rust: types, validators and clients"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes a standalone crate (Cargo.toml, src/, README.md) generated from SPEC into the `--out` directory.
    Generate {
        /// The spec: a Swagger 2.0 or OpenAPI 3.0, 3.1 or 3.2 document (YAML or JSON), which may refer to other files.
        spec: PathBuf,
        /// The crate's directory (created if need be).
        #[arg(long)]
        out: PathBuf,
        #[command(flatten)]
        options: GenerateOptions,
    },
    /// Fails (exit 1) with a unified diff per stale file if DIR is not what SPEC generates;
    /// writes nothing.
    Check {
        spec: PathBuf,
        dir: PathBuf,
        #[command(flatten)]
        options: GenerateOptions,
    },
    /// Checks JSON Lines payloads (FILE, or `-` for standard input) against a schema or an
    /// operation's JSON request body of SPEC; prints one line per payload.
    Validate {
        spec: PathBuf,
        /// A schema of `#/components/schemas`, by its key.
        #[arg(long, conflicts_with = "operation", required_unless_present = "operation")]
        schema: Option<String>,
        /// An operation with a JSON request body, by its `operationId`.
        #[arg(long)]
        operation: Option<String>,
        file: String,
    },
}

#[derive(Args, Clone)]
struct GenerateOptions {
    /// The crate's name (default: the spec file's stem).
    #[arg(long)]
    name: Option<String>,
    /// An `apigen.toml` with a table for this spec (keyed by the spec file's stem).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Depend on apigen-runtime by this path (relative to DIR, or absolute) instead of by
    /// version.
    #[arg(long)]
    runtime_path: Option<String>,
}

impl GenerateOptions {
    /// The options as command-line arguments, as given: for the commands the generated files
    /// name.
    fn as_args(&self) -> String {
        let mut args = String::new();
        if let Some(name) = &self.name {
            args.push_str(&format!(" --name {}", quoted(name)));
        }
        if let Some(config) = &self.config {
            args.push_str(&format!(" --config {}", quoted(&config.display().to_string())));
        }
        if let Some(path) = &self.runtime_path {
            args.push_str(&format!(" --runtime-path {}", quoted(path)));
        }
        args
    }
}

/// Why the command failed: a finding (exit 1) or a usage or I/O error (exit 2).
enum Failure {
    Found(String),
    Usage(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate { spec, out, options } => generate(&spec, &out, &options),
        Command::Check { spec, dir, options } => check(&spec, &dir, &options),
        Command::Validate { spec, schema, operation, file } => {
            let target = match (schema, operation) {
                (Some(name), _) => Target::Schema(name),
                (None, Some(id)) => Target::Operation(id),
                (None, None) => unreachable!("clap requires --schema or --operation"),
            };
            validate(&spec, &target, &file)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Found(message)) => {
            if !message.is_empty() {
                eprintln!("{message}");
            }
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// The generated crate for `spec`, as a tree under `dir`: the generator's files and the README.
fn crate_tree(spec_path: &Path, dir: &Path, options: &GenerateOptions) -> Result<Tree, Failure> {
    let shown_spec = spec_path.display().to_string();
    let shown_dir = dir.display().to_string();
    let generate = format!("apigen generate {} --out {}{}", quoted(&shown_spec), quoted(&shown_dir), options.as_args());
    let check = format!("apigen check {} {}{}", quoted(&shown_spec), quoted(&shown_dir), options.as_args());
    let source = spec::read(spec_path, &shown_spec).map_err(Failure::Usage)?;
    let settings =
        spec::options(spec_path, options.name.as_deref(), options.config.as_deref(), options.runtime_path.as_deref())
            .map_err(Failure::Usage)?
            .regenerate(generate.clone());
    let crate_name = settings.crate_name.clone();
    let files = spec::generate(&source, &settings).map_err(Failure::Found)?;
    let mut tree = Tree { base: dir.to_owned(), files: Default::default(), owned: vec![PathBuf::from("src")] };
    for file in files {
        tree.files.insert(PathBuf::from(file.path), file.contents);
    }
    tree.files.insert(PathBuf::from("README.md"), readme::readme(&crate_name, &shown_spec, &generate, &check));
    Ok(tree)
}

fn generate(spec_path: &Path, out: &Path, options: &GenerateOptions) -> Result<(), Failure> {
    let tree = crate_tree(spec_path, out, options)?;
    let report = tree.write().map_err(Failure::Usage)?;
    for path in &report.written {
        eprintln!("wrote {}", out.join(path).display());
    }
    for path in &report.removed {
        eprintln!("removed {}", out.join(path).display());
    }
    eprintln!(
        "{}: {} file(s), {} changed",
        out.display(),
        tree.files.len(),
        report.written.len() + report.removed.len()
    );
    Ok(())
}

fn check(spec_path: &Path, dir: &Path, options: &GenerateOptions) -> Result<(), Failure> {
    let tree = crate_tree(spec_path, dir, options)?;
    let problems = tree.check(dir).map_err(Failure::Usage)?;
    if problems.is_empty() {
        eprintln!("{} is up to date ({} files)", dir.display(), tree.files.len());
        return Ok(());
    }
    let fix = format!(
        "apigen generate {} --out {}{}",
        quoted(&spec_path.display().to_string()),
        quoted(&dir.display().to_string()),
        options.as_args()
    );
    Err(Failure::Found(format!(
        "{} differs from what {} generates now:\n\n{}\n\nrun `{fix}` to fix",
        dir.display(),
        spec_path.display(),
        problems.join("\n")
    )))
}

fn validate(spec_path: &Path, target: &Target, file: &str) -> Result<(), Failure> {
    let shown = spec_path.display().to_string();
    let source = spec::read(spec_path, &shown).map_err(Failure::Usage)?;
    let loaded = apigen::load(&source).map_err(|e| Failure::Usage(spec::render(&source, &e.diagnostics).join("\n")))?;
    let (model, _) = apigen::model_of(&loaded, &apigen::Options::new(spec::stem(spec_path)));
    let interpreter = Interpreter::new(&model);
    let Some(ty) = interpreter.target(target) else {
        let (what, name, known) = match target {
            Target::Schema(name) => ("schema", name, interpreter.schema_names()),
            Target::Operation(id) => ("operation with a JSON request body", id, interpreter.operation_ids()),
        };
        return Err(Failure::Usage(format!("{shown} has no {what} named `{name}`; it has: {}", known.join(", "))));
    };
    let input: Box<dyn Read> = if file == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(file).map_err(|e| Failure::Usage(format!("cannot open {file}: {e}")))?)
    };
    let (mut valid, mut invalid) = (0usize, 0usize);
    for (index, line) in BufReader::new(input).lines().enumerate() {
        let line = line.map_err(|e| Failure::Usage(format!("cannot read {file}: {e}")))?;
        if line.trim().is_empty() {
            continue;
        }
        let number = index + 1;
        match interpreter.validate(ty, line.as_bytes()) {
            errors if errors.is_empty() => {
                valid += 1;
                println!("{number}: valid");
            }
            errors => {
                invalid += 1;
                let found: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{} {}", if e.pointer.is_empty() { "(root)" } else { &e.pointer }, e.keyword))
                    .collect();
                println!("{number}: invalid {}", found.join("; "));
                for error in &errors {
                    println!("  {error}");
                }
            }
        }
    }
    eprintln!("{} payload(s): {valid} valid, {invalid} invalid", valid + invalid);
    if invalid == 0 {
        Ok(())
    } else {
        Err(Failure::Found(String::new()))
    }
}

/// `s` as a shell word: unchanged when it needs no quoting, else in single quotes.
fn quoted(s: &str) -> String {
    if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:@+,".contains(c)) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

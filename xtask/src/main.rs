//! Project tasks, run as `cargo xtask <task>`.
//!
//! - `generate [NAME]`: regenerates `generated/<name>/` from `specs/<name>.{yaml,yml,json}`,
//!   for every spec or the one named. Files are rewritten only when their bytes change, and
//!   files the generator no longer produces are removed.
//! - `check`: generates in memory and compares with `generated/`, writing nothing. Exits
//!   non-zero listing every stale (with a diff), missing or extra file, and the command that
//!   fixes it.
//!
//! This binary owns all file I/O; the generator (`apigen`) is a pure library.

mod codegen;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  generate [NAME]   regenerate generated/ from specs/ (all specs, or specs/NAME.*)
  check             fail if generated/ differs from what the generator produces now";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["generate"] => codegen::generate(None),
        ["generate", name] => codegen::generate(Some(name)),
        ["check"] => codegen::check(),
        _ => Err(USAGE.to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

//! The `apigen` command's library: everything around the generator that touches files, shared
//! by the `apigen` binary and this repository's `cargo xtask`.
//!
//! The generator (`apigen`) is a pure library: a spec's text and options in, files and
//! diagnostics out. Here are the parts that read and write: [`spec`] reads a spec (and its
//! `apigen.toml`) and prints diagnostics with their file, line and column; [`tree`] writes a
//! generated tree, rewriting only files whose bytes change and removing those no longer
//! generated, or checks it without writing and describes every difference as a unified diff;
//! [`validate`] checks JSON Lines payloads against any spec with an interpreter over the
//! model's rules.

pub mod readme;
pub mod spec;
pub mod tree;
pub mod validate;

//! Differential testing of the generated validators against the `jsonschema` crate.
//!
//! For every body schema of the five specs (and of `tests/fixtures/patterns.yaml`, for
//! look-around), seeded payloads (about half valid, half with one
//! rule broken) are read by the generated type (`apigen_runtime::from_json`) and validated by
//! `jsonschema` against the same schema converted from OpenAPI 3.0 to JSON Schema. The verdicts
//! must agree; the violated JSON Pointers are compared as a softer metric.
//!
//! Used by the `differential` binary and by `tests/differential.rs`.

pub mod generate;
pub mod harness;
pub mod mutate;
pub mod registry;
pub mod schema;
pub mod spec;

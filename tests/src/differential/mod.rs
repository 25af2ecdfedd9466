//! Differential testing of the generated validators against the `jsonschema` crate.
//!
//! For every body schema of the five specs (and of `tests/fixtures/patterns.yaml`, for
//! look-around), seeded payloads (about half valid, half with one
//! rule broken) are read by the generated type (`apigen_runtime::from_json`) and validated by
//! `jsonschema` against the same schema converted from OpenAPI 3.0 to JSON Schema. The verdicts
//! must agree; the violated JSON Pointers are compared as a softer metric.
//!
//! A second mode ([`oas31`]) compares the validators of an OpenAPI 3.1 fixture, whose schemas
//! use JSON Schema 2020-12's applicators, with `jsonschema` in its 2020-12 mode.
//!
//! Used by the `differential` binary and by `tests/differential.rs`.

pub mod generate;
pub mod harness;
pub mod mutate;
pub mod oas31;
pub mod registry;
pub mod schema;
pub mod spec;

//! Integration tests of the generator and the generated crates.

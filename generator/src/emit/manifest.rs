//! Emit of the generated crate's `Cargo.toml`.
//!
//! TOML is not Rust, so this is the one file assembled as text. The one dependency is
//! `apigen-runtime`, with the features the generated code uses: generated code reaches serde,
//! serde_json, chrono and uuid through the runtime's re-exports, so the versions always agree
//! with the runtime's and a user adds nothing by hand.

use std::fmt::Write;

use crate::model::ApiModel;
use crate::Runtime;

pub fn cargo_toml(model: &ApiModel, header: &str) -> String {
    let quote = |s: &str| serde_json::Value::String(s.to_owned()).to_string();
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = writeln!(out, "# {header}");
    let _ = writeln!(out, "[package]");
    let _ = writeln!(out, "name = {}", quote(&model.crate_name));
    let _ = writeln!(out, "version = {}", quote(&model.crate_version));
    let _ = writeln!(out, "edition = \"2021\"");
    let _ = writeln!(out, "description = {}", quote(&format!("Types for {}, generated from its OpenAPI spec", model.title.trim())));
    let _ = writeln!(out, "publish = false");
    let _ = writeln!(out);
    let _ = writeln!(out, "[dependencies]");
    let features: Vec<&str> = [("client", !model.operations.is_empty()), ("xml", super::xml::needed(model))]
        .into_iter()
        .filter_map(|(feature, needed)| needed.then_some(feature))
        .collect();
    let source = match &model.runtime {
        Runtime::Version(version) => format!("version = {}", quote(version)),
        Runtime::Path(path) => format!("path = {}", quote(path)),
    };
    if features.is_empty() {
        let _ = writeln!(out, "apigen-runtime = {{ {source} }}");
    } else {
        let list: Vec<String> = features.iter().map(|f| quote(f)).collect();
        let _ = writeln!(out, "apigen-runtime = {{ {source}, features = [{}] }}", list.join(", "));
    }
    out
}

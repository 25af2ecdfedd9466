//! Emit of the generated crate's `Cargo.toml`.
//!
//! TOML is not Rust, so this is the one file assembled as text. The one dependency is
//! `apigen-runtime`, whose features the crate's own turn on: generated code reaches serde,
//! serde_json, chrono and uuid through the runtime's re-exports, so the versions always agree
//! with the runtime's and a user adds nothing by hand.

use std::fmt::Write;

use crate::model::{ApiModel, Feature, GroupedBy};
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
    let _ = writeln!(
        out,
        "description = {}",
        quote(&format!("Types for {}, generated from its OpenAPI spec", model.title.trim()))
    );
    let _ = writeln!(out, "publish = false");
    let _ = writeln!(out);
    let _ = writeln!(out, "[dependencies]");
    let source = match &model.runtime {
        Runtime::Version(version) => format!("version = {}", quote(version)),
        Runtime::Path(path) => format!("path = {}", quote(path)),
    };
    // The runtime's features follow the crate's own (see `write_features`).
    let _ = writeln!(out, "apigen-runtime = {{ {source} }}");
    write_features(&mut out, !model.operations.is_empty(), super::xml::needed(model), &model.features);
    out
}

/// The crate's features: `client` (the `Client`, on reqwest, tokio and rustls) where it has
/// operations, `xml` where some type has an XML form; both on by default, so that
/// `default-features = false` leaves the types and validators alone. In a crate with both,
/// `client` turns `xml` on: its methods read the XML responses the spec documents, and a
/// client that could not would answer differently depending on a feature. A crate with
/// operations also has `mock` (the mock server, which answers with the client's response
/// enums, so it turns `client` on), off by default. Every crate has an `arbitrary` feature,
/// off by default: `proptest` strategies for its types (the mock answers with their values
/// where the spec has no example).
///
/// A crate split into groups (see `lower::groups`) has a feature per group too, all on by
/// default, and one for the component schemas no operation uses: with
/// `default-features = false`, `client` and one group, a user compiles that corner of the API
/// alone. A group's feature turns on nothing else: which code (types,
/// client, XML) and which part of the API are separate choices.
fn write_features(out: &mut String, client: bool, xml: bool, groups: &[Feature]) {
    let _ = writeln!(out);
    let _ = writeln!(out, "[features]");
    if client || xml {
        let defaults: Vec<String> = [if client { "client" } else { "xml" }]
            .into_iter()
            .chain(groups.iter().map(|g| g.name.as_str()))
            .map(|name| format!("\"{name}\""))
            .collect();
        let _ = writeln!(out, "default = [{}]", defaults.join(", "));
    }
    let _ = writeln!(out, "# Value generators (`arbitrary`: a proptest `Arbitrary` for every type), on proptest.");
    let _ = writeln!(out, "arbitrary = [\"apigen-runtime/arbitrary\"]");
    if client {
        let _ = writeln!(
            out,
            "# The async HTTP client (`Client`, one method per operation), on reqwest, tokio and rustls."
        );
        let xml_too = if xml { ", \"xml\"" } else { "" };
        let _ = writeln!(out, "client = [\"apigen-runtime/client\"{xml_too}]");
    }
    if xml {
        let _ = writeln!(out, "# XML reading and writing (`from_xml`, `to_xml`), on quick-xml.");
        let _ = writeln!(out, "xml = [\"apigen-runtime/xml\"]");
    }
    if client {
        let _ = writeln!(
            out,
            "# A mock server for tests (`mock::Server`), on hyper, checking requests and answers against the spec."
        );
        // The mock serves every operation, so in a crate split into groups it turns them all on
        // (its handlers are not gated per group); it needs no schema that no operation uses.
        let all_groups: String =
            groups.iter().filter(|g| g.by != GroupedBy::NoOperation).map(|g| format!(", \"{}\"", g.name)).collect();
        let _ = writeln!(out, "mock = [\"client\", \"apigen-runtime/mock\"{all_groups}]");
    }
    let plural = |n: usize, one: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") };
    for group in groups {
        let labels: Vec<String> = group.labels.iter().map(|l| format!("`{l}`")).collect();
        let what = match group.by {
            GroupedBy::Tag => "tagged",
            GroupedBy::PathSegment => "under the path segment",
            GroupedBy::NoOperation => {
                let _ = writeln!(
                    out,
                    "# The component schemas no operation uses (webhook payloads, for one): {} only they use.",
                    plural(group.types, "type"),
                );
                let _ = writeln!(out, "{} = []", group.name);
                continue;
            }
        };
        let _ = writeln!(
            out,
            "# The operations {what} {} ({}), and the {} only they use.",
            labels.join(" or "),
            plural(group.operations, "operation"),
            plural(group.types, "type"),
        );
        let _ = writeln!(out, "{} = []", group.name);
    }
}

//! Emit of the generated crate's `Cargo.toml`.
//!
//! TOML is not Rust, so this is the one file assembled as text. Dependencies are exactly what
//! the generated code uses, at the versions the generator is tested with.

use std::fmt::Write;

use crate::model::{ApiModel, Primitive, TypeKind, TypeRef};

/// What the generated code needs, decided from the model.
#[derive(Debug, Default, Clone, Copy)]
pub struct Needs {
    pub chrono: bool,
    pub uuid: bool,
    /// Some type has an XML form: the runtime's `xml` feature.
    pub xml: bool,
}

impl Needs {
    pub fn of(model: &ApiModel) -> Self {
        let mut needs = Needs { xml: super::xml::needed(model), ..Needs::default() };
        for def in &model.types {
            match &def.kind {
                TypeKind::Struct(s) => {
                    s.fields.iter().for_each(|f| needs.visit(&f.ty));
                    s.additional.iter().for_each(|(_, ty)| needs.visit(ty));
                }
                TypeKind::Union(variants) => variants.iter().for_each(|v| needs.visit(&v.ty)),
                TypeKind::Alias(ty) => needs.visit(ty),
                TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
            }
        }
        for operation in &model.operations {
            operation.parameters.iter().for_each(|p| needs.visit(&p.ty));
            operation.json_body.iter().for_each(|b| needs.visit(&b.ty));
            operation.responses.iter().filter_map(|r| r.body.as_ref()).for_each(|ty| needs.visit(ty));
        }
        needs
    }

    fn visit(&mut self, ty: &TypeRef) {
        match ty {
            TypeRef::Primitive(Primitive::Date | Primitive::DateTime) => self.chrono = true,
            TypeRef::Primitive(Primitive::Uuid) => self.uuid = true,
            TypeRef::Primitive(_) | TypeRef::Named(_) => {}
            TypeRef::Nullable(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
                self.visit(inner)
            }
        }
    }
}

pub fn cargo_toml(model: &ApiModel, header: &str) -> String {
    let needs = Needs::of(model);
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
    let _ = writeln!(out, "apigen-runtime = {{ path = {} }}", quote(&model.runtime_path));
    if needs.chrono {
        let _ = writeln!(out, "chrono = {{ version = \"0.4\", default-features = false, features = [\"std\", \"serde\"] }}");
    }
    let _ = writeln!(out, "serde = {{ version = \"1\", features = [\"derive\"] }}");
    let _ = writeln!(out, "serde_json = \"1\"");
    if needs.uuid {
        let _ = writeln!(out, "uuid = {{ version = \"1\", features = [\"serde\"] }}");
    }
    write_features(&mut out, !model.operations.is_empty(), needs.xml);
    out
}

/// The crate's features: `client` (the `Client`, on reqwest, tokio and rustls) where it has
/// operations, `xml` where some type has an XML form; both on by default, so that
/// `default-features = false` leaves the types and validators alone. In a crate with both,
/// `client` turns `xml` on: its methods read the XML responses the spec documents, and a
/// client that could not would answer differently depending on a feature.
fn write_features(out: &mut String, client: bool, xml: bool) {
    if !client && !xml {
        return;
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "[features]");
    let _ = writeln!(out, "default = [{}]", if client { "\"client\"" } else { "\"xml\"" });
    if client {
        let _ = writeln!(out, "# The async HTTP client (`Client`, one method per operation), on reqwest, tokio and rustls.");
        let xml_too = if xml { ", \"xml\"" } else { "" };
        let _ = writeln!(out, "client = [\"apigen-runtime/client\"{xml_too}]");
    }
    if xml {
        let _ = writeln!(out, "# XML reading and writing (`from_xml`, `to_xml`), on quick-xml.");
        let _ = writeln!(out, "xml = [\"apigen-runtime/xml\"]");
    }
}

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
    let features: Vec<&str> = [("client", !model.operations.is_empty()), ("xml", needs.xml)]
        .into_iter()
        .filter_map(|(feature, needed)| needed.then_some(feature))
        .collect();
    if features.is_empty() {
        let _ = writeln!(out, "apigen-runtime = {{ path = {} }}", quote(&model.runtime_path));
    } else {
        let list: Vec<String> = features.iter().map(|f| quote(f)).collect();
        let _ = writeln!(out, "apigen-runtime = {{ path = {}, features = [{}] }}", quote(&model.runtime_path), list.join(", "));
    }
    if needs.chrono {
        let _ = writeln!(out, "chrono = {{ version = \"0.4\", default-features = false, features = [\"std\", \"serde\"] }}");
    }
    let _ = writeln!(out, "serde = {{ version = \"1\", features = [\"derive\"] }}");
    let _ = writeln!(out, "serde_json = \"1\"");
    if needs.uuid {
        let _ = writeln!(out, "uuid = {{ version = \"1\", features = [\"serde\"] }}");
    }
    out
}

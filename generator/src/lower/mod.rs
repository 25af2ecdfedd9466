//! Lower: the only phase that knows `openapiv3`. It reads a loaded [`Spec`] and fills an
//! [`ApiModel`], reporting what it cannot express as diagnostics.
//!
//! Order is a decision: component schemas are named first, in the spec's order, so that they
//! keep their own names; inline schemas that need a type of their own are hoisted as they are
//! met, walking components and then operations in the spec's order.

mod arena;
mod cycles;
pub mod groups;
mod operation;
mod rules;
mod schema;
mod shared;
mod xml;

use crate::diag::{pointer_join, Diagnostics};
use crate::load::Spec;
use crate::model::{ApiModel, TypeKind, TypeRef};
use crate::Options;

pub use schema::SchemaLowerer;

/// Lowers a spec into the model of its crate.
pub fn lower(spec: &Spec, options: &Options, diags: &mut Diagnostics) -> ApiModel {
    let info = &spec.openapi.info;
    let mut lowerer = SchemaLowerer::new(spec, diags);
    if !spec.openapi.paths.paths.is_empty() {
        // The client module defines `Client` beside its glob import of the types: a schema of
        // that name would be shadowed there.
        lowerer.claim_type_name("Client");
    }
    lowerer.lower_components();
    let mut client = operation::ClientNames::new();
    let security_schemes = lowerer.lower_security_schemes(&mut client);
    lowerer.lower_operations(&mut client);
    let default_base_url = lowerer.default_base_url();
    let (mut types, schemas, operations) = lowerer.finish();
    cycles::break_alias_cycles(&mut types, diags);
    let mut model = ApiModel {
        crate_name: options.crate_name.clone(),
        crate_version: match &options.crate_version {
            Some(version) => version.clone(),
            None => crate_version(&info.version, diags),
        },
        title: info.title.clone(),
        description: info.description.clone(),
        source_name: spec.name.clone(),
        runtime: options.runtime.clone(),
        types,
        schemas,
        operations,
        security_schemes,
        default_base_url,
        xml_bodies: Vec::new(),
        replaced: Default::default(),
        derives: Default::default(),
        features: Vec::new(),
    };
    xml::lower_xml(spec, &mut model, diags);
    drop_xml_methods_without_xml(&mut model, diags);
    customise(&mut model, options, diags);
    shared::merge_identical(&mut model);
    // One module for a build script has no `Cargo.toml` to declare features in.
    let grouping = if options.layout == crate::Layout::Module { crate::Grouping::Never } else { options.grouping };
    groups::assign(&mut model, grouping);
    point_into_files_as_written(&mut model, spec);
    model
}

/// Applies the configuration's replaced schemas and extra derives to the model's types.
fn customise(model: &mut ApiModel, options: &Options, diags: &mut Diagnostics) {
    for (key, path) in &options.replace {
        // A schema no kept operation uses has been left out (see `select`): nothing to replace.
        let Some((_, TypeRef::Named(id))) = model.schemas.iter().find(|(k, _)| k == key) else { continue };
        if syn::parse_str::<syn::Type>(path).is_err() {
            continue; // reported by `select`
        }
        let def = model.type_def(*id);
        if def.xml.is_some() {
            diags.warning(
                &def.doc.pointer,
                format!("replace: `{key}` is used in an XML body: `{path}` must implement `apigen_runtime::xml::XmlValue` too"),
            );
        }
        model.replaced.insert(def.name.clone(), path.clone());
    }
    for (name, _) in options.derive_for.iter().filter(|(name, _)| !model.types.iter().any(|t| t.name == **name)) {
        diags.error("#", format!("derive_for: no generated type is named `{name}`"));
    }
    for derive in options.derive.iter().chain(options.derive_for.values().flatten()) {
        if syn::parse_str::<syn::Path>(derive).is_err() {
            diags.error("#", format!("derive: `{derive}` is not a path"));
        }
    }
    for def in &model.types {
        let own = options.derive_for.get(&def.name);
        let derives: Vec<String> = options.derive.iter().chain(own.into_iter().flatten()).cloned().collect();
        if derives.is_empty() {
            continue;
        }
        if matches!(def.kind, crate::model::TypeKind::Alias(_)) {
            // A derive cannot stand on a type alias; asked for by name, that is an error.
            if own.is_some() {
                diags.error(
                    &def.doc.pointer,
                    format!("derive_for: `{}` is a type alias, which takes no derives", def.name),
                );
            }
            continue;
        }
        model.derives.insert(def.name.clone(), derives);
    }
}

/// An operation's `_xml` method writes the body with its type's `to_xml`: where the type has
/// no XML form (the XML lowering said why), or the body may be `null`, which XML cannot
/// write, there is no such method.
fn drop_xml_methods_without_xml(model: &mut ApiModel, diags: &mut Diagnostics) {
    for i in 0..model.operations.len() {
        let op = &model.operations[i];
        let (Some(name), Some(body)) = (&op.xml_method_name, &op.json_body) else { continue };
        let (nullable, inner) = match &body.ty {
            TypeRef::Nullable(inner) => (true, &**inner),
            other => (false, other),
        };
        if nullable && has_xml_form(model, inner) {
            diags.warning(
                pointer_join(&op.pointer, "requestBody"),
                format!("the body may be `null`, which has no XML form; there is no `{name}` method"),
            );
        }
        if nullable || !has_xml_form(model, &body.ty) {
            model.operations[i].xml_method_name = None;
        }
    }
}

/// Whether the named type `ty` stands for (through aliases) has an XML form.
fn has_xml_form(model: &ApiModel, ty: &TypeRef) -> bool {
    matches!(model.resolve(ty), TypeRef::Named(id) if model.type_def(*id).xml.is_some())
}

/// Points every doc comment into the files as written, not into the normalised document
/// (`#/definitions/Pet` of a Swagger 2.0 spec, not `#/components/schemas/Pet`).
fn point_into_files_as_written(model: &mut ApiModel, spec: &Spec) {
    let relocate = |pointer: &mut String| {
        if !pointer.is_empty() {
            *pointer = spec.original_pointer(pointer);
        }
    };
    for ty in &mut model.types {
        relocate(&mut ty.doc.pointer);
        match &mut ty.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| relocate(&mut f.doc.pointer)),
            TypeKind::Union(variants) => variants.iter_mut().for_each(|v| relocate(&mut v.doc.pointer)),
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) | TypeKind::Alias(_) => {}
        }
    }
    for op in &mut model.operations {
        relocate(&mut op.pointer);
        relocate(&mut op.doc.pointer);
        op.parameters.iter_mut().for_each(|p| relocate(&mut p.doc.pointer));
        op.responses.iter_mut().for_each(|r| relocate(&mut r.doc.pointer));
        op.form_bodies.iter_mut().for_each(|f| relocate(&mut f.pointer));
    }
    model.security_schemes.iter_mut().for_each(|s| relocate(&mut s.doc.pointer));
    model.xml_bodies.iter_mut().for_each(|b| relocate(&mut b.pointer));
}

/// Turns `info.version` into a valid crate version: up to three numeric components, padded
/// with zeros (`1.0` -> `1.0.0`, `v2` -> `2.0.0`). A version with no number in it gives
/// `0.0.0`, with a warning.
fn crate_version(version: &str, diags: &mut Diagnostics) -> String {
    let numbers: Vec<u64> = version
        .split(|c: char| !c.is_ascii_digit())
        .filter(|part| !part.is_empty())
        .take(3)
        .map_while(|part| part.parse().ok())
        .collect();
    if numbers.is_empty() {
        diags.warning(
            "#/info/version",
            format!("`{version}` has no version number in it; the crate is versioned 0.0.0"),
        );
        return "0.0.0".to_owned();
    }
    let component = |i: usize| numbers.get(i).copied().unwrap_or(0);
    format!("{}.{}.{}", component(0), component(1), component(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_versions() {
        let mut d = Diagnostics::default();
        assert_eq!(crate_version("1.0", &mut d), "1.0.0");
        assert_eq!(crate_version("v2", &mut d), "2.0.0");
        assert_eq!(crate_version("2020-08-27", &mut d), "2020.8.27");
        assert_eq!(crate_version("1.2.3-beta", &mut d), "1.2.3");
        assert!(d.into_vec().is_empty());
        let mut d = Diagnostics::default();
        assert_eq!(crate_version("latest", &mut d), "0.0.0");
        assert_eq!(d.into_vec().len(), 1);
    }
}

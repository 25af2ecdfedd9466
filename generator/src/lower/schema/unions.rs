//! Unions: the alternatives of a `oneOf` / `anyOf` as the variants of an enum, the
//! discriminator values that select each (when every variant can carry them), and the order
//! untagged deserialization tries them in.

use std::collections::BTreeMap;

use openapiv3::{ReferenceOr, Schema};

use super::{doc_of, hint_from_pointer, Flat, Hint, SchemaLowerer};
use crate::diag::pointer_join;
use crate::load::percent_decode;
use crate::model::{Doc, Field, Format, Primitive, Rules, TypeId, TypeKind, TypeRef, UnionVariant};
use crate::naming::{self, type_name, Namespace};

impl SchemaLowerer<'_> {
    /// The type of a `oneOf` / `anyOf` schema (reserved as `id`): its variants, tagged by the
    /// discriminator's values where the spec gives a discriminator and every variant can carry
    /// them.
    pub(super) fn lower_union_def(
        &mut self,
        id: TypeId,
        members: Vec<(String, &ReferenceOr<Schema>)>,
        open: bool,
        discriminator: Option<&openapiv3::Discriminator>,
        pointer: &str,
        depth: usize,
    ) -> (TypeKind, Rules) {
        let name = self.name_of(id);
        let plan = discriminator.map(|d| tag_plan(d, &members, open));
        let (kind, tagged) = self.lower_union(members, open, &name, plan, depth);
        if let TypeKind::Union(variants) = &kind {
            // A union with a variant of any JSON reads every value already.
            if !variants.iter().any(|v| v.ty == TypeRef::Primitive(Primitive::Value)) {
                self.types[id.0].unknown = Some(naming::UNKNOWN_ALTERNATIVE.to_owned());
            }
        }
        match (discriminator, tagged) {
            (Some(discriminator), Ok(())) => {
                self.types[id.0].discriminator = Some(discriminator.property_name.clone());
                self.tagged_unions.push((id, pointer.to_owned()));
            }
            (Some(discriminator), Err(reason)) => self.untagged(pointer, &discriminator.property_name, &reason),
            (None, _) => {}
        }
        (kind, self.rules_at(pointer, true, depth))
    }

    /// Lowers the alternatives of a union. With a discriminator `plan` (the values that select
    /// each alternative, from [`tag_plan`]), the variants get their values; `Err` passes on why
    /// there are none.
    fn lower_union(
        &mut self,
        members: Vec<(String, &ReferenceOr<Schema>)>,
        open: bool,
        name: &str,
        plan: Option<Result<Vec<Vec<String>>, String>>,
        depth: usize,
    ) -> (TypeKind, Result<(), String>) {
        let mut hints = Namespace::new();
        // Claimed first, so that the fallback variant has the same name in every union and an
        // alternative named the same gets the suffix.
        hints.reserve(naming::UNKNOWN_ALTERNATIVE);
        let mut variants: Vec<UnionVariant> = Vec::new();
        let (mut plan, tagged) = match plan {
            Some(Ok(plan)) => (Some(plan), Ok(())),
            Some(Err(reason)) => (None, Err(reason)),
            None => (None, Ok(())),
        };
        for (index, (member_pointer, member)) in members.into_iter().enumerate() {
            let tags = plan.as_mut().map(|p| std::mem::take(&mut p[index])).unwrap_or_default();
            let base = match member {
                ReferenceOr::Reference { reference } => hint_from_pointer(reference),
                ReferenceOr::Item(schema) => match &schema.schema_data.title {
                    Some(title) => type_name(title, "Variant"),
                    None => kind_word(&Flat::new(schema)).to_owned(),
                },
            };
            let base = hints.unique(base);
            let ty = self.lower_schema(
                member,
                &member_pointer,
                &Hint::Joined(&Hint::Name(name), &base, "Variant"),
                depth + 1,
            );
            let doc = match member {
                ReferenceOr::Item(schema) => doc_of(schema, &member_pointer),
                ReferenceOr::Reference { .. } => Doc { pointer: member_pointer.clone(), ..Doc::default() },
            };
            if let Some(twin) = variants.iter_mut().find(|v| v.ty == ty) {
                // Two alternatives with the same Rust type (a date and a text, both strings
                // here): one variant carries both; validation tells them apart. Discriminator
                // values of either select it.
                twin.tags.extend(tags);
                let twin = twin.rust_name.clone();
                self.diags.warning(
                    &member_pointer,
                    format!(
                        "this alternative has the same Rust type as variant `{twin}` of `{name}`, which carries both"
                    ),
                );
                continue;
            }
            let rules = self.rules_at(&member_pointer, false, depth + 1);
            variants.push(UnionVariant { rust_name: base, ty, doc, rules, tags });
        }
        if open && !variants.iter().any(|v| v.ty == TypeRef::Primitive(Primitive::Value)) {
            // An alternative that only constrains (`{minimum: 2}`) admits values of any shape:
            // they are read as JSON, and the rules decide.
            variants.push(UnionVariant {
                rust_name: hints.unique("Other".to_owned()),
                ty: TypeRef::Primitive(Primitive::Value),
                doc: Doc {
                    description: Some(
                        "A value of another shape, which an alternative that only constrains may admit.".to_owned(),
                    ),
                    ..Doc::default()
                },
                rules: Rules::default(),
                tags: Vec::new(),
            });
        }
        // Untagged deserialization takes the first variant that fits, so the most specific
        // go first (an integer before a float, a date before any string); stable, so objects
        // keep the spec's order.
        variants.sort_by_key(|v| self.specificity(&v.ty));
        (TypeKind::Union(variants), tagged)
    }

    /// Reads by their discriminator only the unions whose every variant can carry its values;
    /// the others become untagged, with a warning.
    pub(super) fn check_tagged_unions(&mut self) {
        for (id, pointer) in std::mem::take(&mut self.tagged_unions) {
            let def = &self.types[id.0];
            let (TypeKind::Union(variants), Some(property)) = (&def.kind, &def.discriminator) else { continue };
            if let Err(reason) = self.check_tagged(variants, property) {
                let property = property.clone();
                self.untagged(&pointer, &property, &reason);
                let def = &mut self.types[id.0];
                def.discriminator = None;
                if let TypeKind::Union(variants) = &mut def.kind {
                    variants.iter_mut().for_each(|v| v.tags.clear());
                }
            }
        }
    }

    /// Reports a discriminator that the union at `pointer` cannot be read by.
    fn untagged(&mut self, pointer: &str, property: &str, reason: &str) {
        self.diags.warning(
            pointer_join(pointer, "discriminator"),
            format!("`discriminator` (`{property}`) cannot be honoured: {reason}; the union is read untagged (the first alternative that fits)"),
        );
    }

    /// Whether every variant can be read by the discriminator: a struct that declares the
    /// property (so that writing it writes the value back) as a string that may hold each of
    /// the variant's values.
    fn check_tagged(&self, variants: &[UnionVariant], property: &str) -> Result<(), String> {
        for variant in variants {
            let Some((type_name, fields)) = self.struct_of(&variant.ty) else {
                return Err(format!("alternative `{}` is not an object", variant.rust_name));
            };
            let Some(field) = fields.iter().find(|f| f.wire_name == property) else {
                return Err(format!("`{type_name}` does not declare the property `{property}`"));
            };
            match self.string_values(&field.ty, self.types.len()) {
                None => return Err(format!("property `{property}` of `{type_name}` is not a string")),
                Some(None) => {}
                Some(Some(allowed)) => {
                    if let Some(tag) = variant.tags.iter().find(|tag| !allowed.contains(tag)) {
                        let allowed: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
                        return Err(format!(
                            "the value `{tag}` selects `{type_name}`, whose `{property}` allows only {}",
                            allowed.join(", ")
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The struct a variant holds (through nullability, boxes and aliases), with its name.
    fn struct_of(&self, ty: &TypeRef) -> Option<(&str, &[Field])> {
        let mut ty = ty;
        for _ in 0..=self.types.len() {
            match ty {
                TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => ty = inner,
                TypeRef::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Struct(s) => return Some((&self.types[id.0].name, &s.fields)),
                    TypeKind::Alias(target) => ty = target,
                    _ => return None,
                },
                _ => return None,
            }
        }
        None
    }

    /// For a string type: `Some(None)` for any string, `Some(Some(values))` for a string enum;
    /// `None` for anything else. Follows at most `aliases` aliases (see
    /// [`Self::specificity_within`]).
    fn string_values(&self, ty: &TypeRef, aliases: usize) -> Option<Option<Vec<String>>> {
        match ty {
            TypeRef::Primitive(Primitive::String) => Some(None),
            TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => self.string_values(inner, aliases),
            TypeRef::Named(id) => match &self.types[id.0].kind {
                TypeKind::StringEnum(variants) => Some(Some(variants.iter().map(|v| v.value.clone()).collect())),
                TypeKind::Alias(target) if aliases > 0 => self.string_values(target, aliases - 1),
                _ => None,
            },
            _ => None,
        }
    }

    /// Lower sorts first. See [`Self::lower_union`].
    fn specificity(&self, ty: &TypeRef) -> u8 {
        self.specificity_within(ty, self.types.len())
    }

    /// Follows at most `aliases` aliases: until `finish` breaks them (see `cycles.rs`), aliases
    /// may form a cycle (`A: {$ref: B}`, `B: {$ref: A}`), which would otherwise recurse without
    /// end. A cycle of aliases holds any value.
    fn specificity_within(&self, ty: &TypeRef, aliases: usize) -> u8 {
        match ty {
            TypeRef::Named(id) => match &self.types[id.0].kind {
                TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => 0,
                TypeKind::Struct(s) if s.deny_unknown_fields || s.fields.iter().any(|f| f.required) => 1,
                TypeKind::Alias(_) if aliases == 0 => 10,
                TypeKind::Alias(inner) => self.specificity_within(inner, aliases - 1),
                _ => 2,
            },
            TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => self.specificity_within(inner, aliases),
            TypeRef::Vec(_) => 3,
            TypeRef::Primitive(p) => match p {
                Primitive::Bool => 3,
                Primitive::I32 | Primitive::U32 => 4,
                Primitive::I64 | Primitive::U64 => 5,
                Primitive::F32 | Primitive::F64 | Primitive::Decimal => 6,
                Primitive::Date | Primitive::DateTime | Primitive::Uuid => 7,
                Primitive::String | Primitive::Binary => 8,
                Primitive::Value => 10,
            },
            TypeRef::Map(_) => 9,
        }
    }
}

/// Which discriminator values select which alternative, from the `$ref` targets alone: each
/// explicit `mapping` entry (a schema name or a reference) names its alternative, and an
/// alternative no entry names is selected by its component schema's name, as OpenAPI 3.0 says.
/// Returns the values of each alternative, in the spec's order; `Err` says why the union
/// cannot be read by its discriminator.
fn tag_plan(
    discriminator: &openapiv3::Discriminator,
    members: &[(String, &ReferenceOr<Schema>)],
    open: bool,
) -> Result<Vec<Vec<String>>, String> {
    if open {
        return Err("an alternative only constrains the value, so a value of any shape may match it".to_owned());
    }
    let mut targets = Vec::with_capacity(members.len());
    for (pointer, member) in members {
        match member {
            ReferenceOr::Reference { reference } => {
                targets.push(percent_decode(reference).unwrap_or_else(|| reference.clone()))
            }
            ReferenceOr::Item(_) => {
                return Err(format!("alternative `{pointer}` is inline, not a `$ref`, so no value can name it"))
            }
        }
    }
    let mut tags = vec![Vec::new(); members.len()];
    for (value, target) in &discriminator.mapping {
        let target_pointer = if target.starts_with('#') {
            percent_decode(target).unwrap_or_else(|| target.clone())
        } else {
            pointer_join("#/components/schemas", target)
        };
        let mut found = false;
        for (i, _) in targets.iter().enumerate().filter(|(_, t)| **t == target_pointer) {
            tags[i].push(value.clone());
            found = true;
        }
        if !found {
            return Err(format!("`mapping` gives `{value}` to `{target}`, which is not one of the alternatives"));
        }
    }
    for (i, target) in targets.iter().enumerate() {
        if !tags[i].is_empty() {
            continue;
        }
        match target.strip_prefix("#/components/schemas/").filter(|name| !name.contains('/')) {
            Some(name) => tags[i].push(name.replace("~1", "/").replace("~0", "~")),
            None => {
                return Err(format!(
                    "`{target}` is not a component schema, so it has no implicit value; give it one in `mapping`"
                ));
            }
        }
    }
    // A value selects one schema: the same value for two different ones is ambiguous.
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (i, values) in tags.iter().enumerate() {
        for value in values {
            match seen.insert(value, &targets[i]) {
                Some(other) if other != targets[i] => {
                    return Err(format!("the value `{value}` would select both `{other}` and `{}`", targets[i]));
                }
                _ => {}
            }
        }
    }
    Ok(tags)
}

/// A variant name for an untitled inline union member, from what it is.
fn kind_word(flat: &Flat<'_>) -> &'static str {
    match (flat.typ.as_deref(), flat.format.as_ref()) {
        (Some("string"), Some(Format::Date)) => "Date",
        (Some("string"), Some(Format::DateTime)) => "DateTime",
        (Some("string"), _) => "String",
        (Some("integer"), _) => "Integer",
        (Some("number"), _) => "Number",
        (Some("boolean"), _) => "Boolean",
        (Some("array"), _) => "Array",
        (Some("object"), _) => "Object",
        _ if !flat.properties.is_empty() => "Object",
        _ => "Value",
    }
}

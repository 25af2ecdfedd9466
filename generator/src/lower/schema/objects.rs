//! Structs: the properties of an object schema, gathered from it and from the `allOf`
//! members merged into it, each lowered into a field (named, documented, optional or not),
//! with what the object allows beyond them.

use std::collections::BTreeSet;

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use super::{doc_of, has_pattern_properties, shapes_value, Flat, Hint, SchemaLowerer, MAX_DEPTH, NAME_KEYWORDS};
use crate::diag::pointer_join;
use crate::load::resolve_pointer;
use crate::model::{Doc, Field, Format, Primitive, Rules, Struct, TypeKind, TypeRef};
use crate::naming::{field_name, Namespace};

/// Properties of an object, gathered from the schema and its `allOf` members.
#[derive(Default)]
struct ObjectParts {
    /// Wire name, schema, pointer of the property schema.
    properties: Vec<(String, ReferenceOr<Box<Schema>>, String)>,
    required: BTreeSet<String>,
    /// Object-level rules of the schema and of each merged member.
    conditionals: Vec<Rules>,
    /// Pointers of the schemas merged so far. Each is merged once: merging it again adds
    /// nothing, and `allOf: [$ref: A, $ref: A]` at every level of a chain (or in a cycle)
    /// would otherwise take `2^depth` merges.
    merged: BTreeSet<String>,
}

impl SchemaLowerer<'_> {
    /// The object-level rules of a schema that is merged into a struct: its conditionals and
    /// property counts, with the `allOf` members that were merged (which shape the struct)
    /// left out, since their own rules are gathered separately.
    fn object_conditionals(&mut self, flat: &Flat<'_>, pointer: &str, depth: usize) -> Rules {
        let mut rules = self.object_rules_at(pointer, depth);
        let merged: Vec<bool> = flat.all_of.iter().map(shapes_value).collect();
        let mut index = 0;
        rules.all_of.retain(|_| {
            let keep = !merged.get(index).copied().unwrap_or(false);
            index += 1;
            keep
        });
        rules
    }

    pub(super) fn lower_struct(
        &mut self,
        flat: &Flat<'_>,
        pointer: &str,
        name: &str,
        depth: usize,
    ) -> (TypeKind, Rules) {
        let mut parts = ObjectParts::default();
        self.collect_object(flat, pointer, &mut parts, depth);
        let mut ns = Namespace::new();
        let mut fields = Vec::new();
        for (wire, schema, prop_pointer) in &parts.properties {
            let rust_name = ns.unique(field_name(wire, "field"));
            let ty =
                self.lower_schema(schema, prop_pointer, &Hint::Joined(&Hint::Name(name), wire, "Field"), depth + 1);
            let doc = match schema {
                ReferenceOr::Item(schema) => doc_of(schema, prop_pointer),
                ReferenceOr::Reference { .. } => self.sibling_doc(prop_pointer),
            };
            let rules = self.rules_at(prop_pointer, false, depth + 1);
            let sensitive = self.is_sensitive(prop_pointer);
            fields.push(Field {
                rust_name,
                wire_name: wire.clone(),
                ty,
                required: parts.required.contains(wire),
                doc,
                rules,
                sensitive,
                xml: None,
                xml_items: None,
                setter: None,
            });
        }
        // `required` may name a property that has no schema: it must be present, with any value.
        for wire in &parts.required {
            if !parts.properties.iter().any(|(name, _, _)| name == wire) {
                fields.push(Field {
                    rust_name: ns.unique(field_name(wire, "field")),
                    wire_name: wire.clone(),
                    ty: TypeRef::Primitive(Primitive::Value),
                    required: true,
                    doc: Doc {
                        description: Some("Listed in `required` without a schema of its own: any JSON value.".into()),
                        pointer: pointer_join(pointer, "required"),
                        ..Doc::default()
                    },
                    rules: Rules::default(),
                    sensitive: false,
                    xml: None,
                    xml_items: None,
                    setter: None,
                });
            }
        }
        let mut methods = crate::naming::struct_methods();
        for field in fields.iter_mut().filter(|f| !f.required) {
            field.setter = Some(methods.unique(crate::naming::setter_name(&field.rust_name)));
        }
        let additional_pointer = pointer_join(pointer, "additionalProperties");
        let spec = self.spec;
        let keeps_unknown = parts.merged.iter().any(|at| {
            matches!(resolve_pointer(&spec.raw, at), Some(Value::Object(map)) if NAME_KEYWORDS.iter().any(|k| map.contains_key(*k)))
        });
        let (deny_unknown_fields, additional) = match flat.additional {
            // The validator refuses what `additionalProperties: false` refuses, knowing the
            // patterns and names the type cannot (see `Rules::object_level`).
            Some(AdditionalProperties::Any(false)) | None if keeps_unknown => {
                (false, Some((ns.unique("additional_properties".into()), TypeRef::Primitive(Primitive::Value))))
            }
            Some(AdditionalProperties::Any(false)) => (true, None),
            Some(AdditionalProperties::Any(true)) => {
                (false, Some((ns.unique("additional_properties".into()), TypeRef::Primitive(Primitive::Value))))
            }
            // Properties that match a pattern may have another type than the others.
            Some(AdditionalProperties::Schema(_)) if has_pattern_properties(spec, &parts.merged) => {
                (false, Some((ns.unique("additional_properties".into()), TypeRef::Primitive(Primitive::Value))))
            }
            Some(AdditionalProperties::Schema(schema)) => {
                let ty = self.lower_schema(
                    schema,
                    &additional_pointer,
                    &Hint::Joined(&Hint::Name(name), "value", "Value"),
                    depth + 1,
                );
                (false, Some((ns.unique("additional_properties".into()), ty)))
            }
            None => (false, None),
        };
        let mut conditionals: Vec<Rules> = parts.conditionals.into_iter().filter(|r| !r.is_empty()).collect();
        let rules = match conditionals.len() {
            0 => Rules::default(),
            1 => conditionals.remove(0),
            _ => Rules { all_of: conditionals, ..Rules::default() },
        };
        (TypeKind::Struct(Struct { fields, deny_unknown_fields, additional }), rules)
    }

    /// Gathers properties and `required` from a schema and, recursively, its `allOf` members.
    fn collect_object(&mut self, flat: &Flat<'_>, pointer: &str, parts: &mut ObjectParts, depth: usize) {
        if depth > MAX_DEPTH {
            self.diags
                .error(pointer, format!("`allOf` nesting is deeper than {MAX_DEPTH}; deeper members are not merged"));
            return;
        }
        parts.merged.insert(pointer.to_owned());
        // Members that only constrain stay in this schema's conditionals; members that shape
        // the value are merged.
        for (i, member) in flat.all_of.iter().enumerate().filter(|(_, m)| shapes_value(m)) {
            let member_pointer = pointer_join(&pointer_join(pointer, "allOf"), &i.to_string());
            let Some((schema, schema_pointer)) = self.resolve_schema(member, &member_pointer, depth) else { continue };
            if parts.merged.contains(&schema_pointer) {
                continue;
            }
            let member_flat = Flat::new(&schema);
            let shapes_other =
                matches!(member_flat.typ.as_deref(), Some(t) if t != "object") || member_flat.items.is_some();
            if shapes_other {
                self.diags.warning(&member_pointer, "an `allOf` member that is not an object is not merged into the struct's type; validation checks it");
                let rules = self.rules_at(&member_pointer, false, depth + 1);
                parts.conditionals.push(rules);
                continue;
            }
            if member_flat.one_of.iter().chain(member_flat.any_of).any(shapes_value) {
                self.diags.warning(&member_pointer, "the `oneOf`/`anyOf` alternatives of an `allOf` member are not part of the struct's type; validation checks them");
            }
            if matches!(member, ReferenceOr::Item(_)) && schema.schema_data.discriminator.is_some() {
                // A referenced member is a type of its own, whose lowering reports it.
                self.diags.warning(
                    pointer_join(&member_pointer, "discriminator"),
                    "`discriminator` on an `allOf` member chooses no type: its properties are merged into the struct",
                );
            }
            self.collect_object(&member_flat, &schema_pointer, parts, depth + 1);
        }
        let properties_pointer = pointer_join(pointer, "properties");
        for (wire, schema) in &flat.properties {
            if parts.properties.iter().any(|(name, _, _)| name == *wire) {
                // The same property from two members: JSON Schema requires the value to match
                // both; the type follows the first, validation checks both.
                continue;
            }
            let schema: ReferenceOr<Box<Schema>> = (*schema).clone();
            parts.properties.push(((*wire).clone(), schema, pointer_join(&properties_pointer, wire)));
        }
        parts.required.extend(flat.required.iter().cloned());
        let conditionals = self.object_conditionals(flat, pointer, depth);
        parts.conditionals.push(conditionals);
    }

    /// The doc of a property that is a `$ref`: the `title` and `description` beside it, which
    /// describe this use of the type (OpenAPI 3.1 lets them stand there, and they win over
    /// the target's own, which documents the type); none where there are none.
    fn sibling_doc(&self, pointer: &str) -> Doc {
        let text = |key: &str| match resolve_pointer(&self.spec.raw, pointer) {
            Some(Value::Object(map)) => map.get(key).and_then(Value::as_str).map(str::to_owned),
            _ => None,
        };
        Doc { title: text("title"), description: text("description"), pointer: pointer.to_owned() }
    }

    /// Whether the schema at `pointer` (or the one its `$ref` names) marks a secret:
    /// `x-sensitive: true`, `format: password` or `writeOnly: true`.
    fn is_sensitive(&self, pointer: &str) -> bool {
        let marks = |value: &Value| {
            value.get("x-sensitive").and_then(Value::as_bool) == Some(true)
                || value.get("format").and_then(Value::as_str).map(Format::parse) == Some(Format::Password)
                || value.get("writeOnly").and_then(Value::as_bool) == Some(true)
        };
        let Some(value) = resolve_pointer(&self.spec.raw, pointer) else { return false };
        let target = value.get("$ref").and_then(Value::as_str).and_then(|r| resolve_pointer(&self.spec.raw, r));
        marks(value) || target.is_some_and(marks)
    }
}

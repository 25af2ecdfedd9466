//! Lowering of JSON Schema objects into model types.
//!
//! Each schema is read through [`Flat`], one view of its keywords whichever `SchemaKind`
//! `openapiv3` chose, and then given a [`Shape`]: a struct, an enum, a union, a pass-through to
//! one `allOf` member, or a plain value type (primitive, array, map). Schemas reached through a
//! `$ref` always get a named type (an alias where the shape is a plain value), so references
//! and recursion resolve by index. Inline schemas get a named type only where Rust needs one,
//! named after where they stand (`Customer` + `contact_person` -> `CustomerContactPerson`).
//!
//! Subschemas that only constrain (`{required: [email]}` under `anyOf`, a `not`) shape no type:
//! they are rules for the validators, and the type is what the wire can carry.
//!
//! This file gives schemas their shape and lowers enums and plain values; [`flat`] reads a
//! schema's keywords, [`objects`] lowers structs, [`unions`] lowers unions, and
//! [`super::arena`] finishes the arena.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema};
use serde_json::Value;

use crate::diag::{pointer_join, Diagnostics};
use crate::load::{percent_decode, read_ref_target, resolve_pointer, Spec};
use crate::media::is_json;
use crate::model::{Body, Doc, EnumVariant, Format, Operation, Primitive, Rules, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::{self, type_name, Namespace};

mod flat;
mod objects;
mod unions;

use self::flat::{AsSchema, Flat};
use super::arena;

/// Keywords a Schema Object may hold in OpenAPI 3.0. Anything else (other than `x-`
/// extensions) is reported, since it would otherwise be dropped without a word.
const SCHEMA_KEYWORDS: &[&str] = &[
    "$ref",
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    // JSON Schema 2020-12's, which the rules express (see `rules.rs`).
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "dependentRequired",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "patternProperties",
    "propertyNames",
    "unevaluatedProperties",
    "unevaluatedItems",
];

/// Keywords about property names that a struct cannot judge unless it keeps the properties it
/// does not declare: a struct with any of them keeps them in a map, for its validator.
/// `if` and the dependent keywords may name properties the struct does not declare.
const NAME_KEYWORDS: &[&str] =
    &["patternProperties", "propertyNames", "unevaluatedProperties", "dependentRequired", "dependentSchemas", "if"];

/// How deep `$ref` chains and nested `allOf`s are followed before giving up with a diagnostic.
pub(super) const MAX_DEPTH: usize = 64;

/// Lowers the schemas of one spec into a type arena.
pub struct SchemaLowerer<'a> {
    pub(super) spec: &'a Spec,
    pub(super) diags: &'a mut Diagnostics,
    /// The arena. A type is reserved (named, with a placeholder kind) before its schema is
    /// lowered, which is what lets recursive types refer to themselves.
    types: Vec<TypeDef>,
    names: Namespace,
    /// Every schema that became a named type, by the JSON Pointer it was found at.
    by_pointer: BTreeMap<String, TypeId>,
    /// Named types whose schema says `nullable: true`: a reference to them is nullable.
    nullable: BTreeSet<TypeId>,
    /// The order types are emitted in: each component schema, followed by the types hoisted
    /// while lowering it; then the types of operations, as met.
    order: Vec<TypeId>,
    schemas: Vec<(String, TypeRef)>,
    pub(super) operations: Vec<Operation>,
    /// Unions given discriminator values, with the pointer of their schema: whether each
    /// variant can carry its values is checked in [`Self::finish`], once every type is
    /// defined (a variant may still be in the making when a union is lowered inside it).
    tagged_unions: Vec<(TypeId, String)>,
}

/// What a schema becomes in Rust.
enum Shape<'s> {
    /// `allOf` with one member that shapes the value (the others only constrain): the type is
    /// that member's.
    Passthrough(&'s ReferenceOr<Schema>, String),
    Struct,
    StringEnum,
    IntegerEnum,
    /// Members of a `oneOf` / `anyOf` that shape the value, with their pointers; `true` when
    /// some other member only constrains, so that a value of any shape may match it.
    Union(Vec<(String, &'s ReferenceOr<Schema>)>, bool),
    /// A primitive, an array, a map or any value: no named type of its own.
    Value,
}

impl<'a> SchemaLowerer<'a> {
    pub fn new(spec: &'a Spec, diags: &'a mut Diagnostics) -> Self {
        let mut names = Namespace::new();
        // `client.rs` declares `Client` beside its glob import of the types, and its own item
        // would shadow a schema type of that name (gotify's `Client`).
        names.reserve("Client");
        Self {
            spec,
            diags,
            types: Vec::new(),
            names,
            by_pointer: BTreeMap::new(),
            nullable: BTreeSet::new(),
            order: Vec::new(),
            schemas: Vec::new(),
            operations: Vec::new(),
            tagged_unions: Vec::new(),
        }
    }

    /// Lowers `#/components/schemas` in the spec's order, then the schemas inside the other
    /// component maps (request bodies, responses, parameters, headers).
    pub fn lower_components(&mut self) {
        let spec = self.spec;
        let Some(components) = &spec.openapi.components else { return };
        // Claim every component name first, so that no hoisted inline type takes it.
        let mut reserved = Vec::new();
        for key in components.schemas.keys() {
            let pointer = pointer_join("#/components/schemas", key);
            let id = self.reserve(&type_name(key, "Schema"));
            self.by_pointer.insert(pointer.clone(), id);
            reserved.push((id, key, pointer));
        }
        for (id, key, pointer) in reserved {
            self.order.push(id);
            let first_new = self.types.len();
            self.define(id, &components.schemas[key], &pointer, 0);
            self.order.extend((first_new..self.types.len()).map(TypeId));
            self.schemas.push((key.clone(), self.named(id)));
        }
        for (key, body) in &components.request_bodies {
            let pointer = pointer_join("#/components/requestBodies", key);
            if let ReferenceOr::Item(body) = body {
                self.lower_content(&body.content, &pointer, &type_name(key, "RequestBody"));
            }
        }
        for (key, response) in &components.responses {
            let pointer = pointer_join("#/components/responses", key);
            if let ReferenceOr::Item(response) = response {
                self.lower_content(&response.content, &pointer, &type_name(key, "Response"));
            }
        }
        for (key, parameter) in &components.parameters {
            let pointer = pointer_join("#/components/parameters", key);
            if let ReferenceOr::Item(parameter) = parameter {
                self.lower_parameter(parameter, &pointer, &type_name(key, "Parameter"));
            }
        }
    }

    /// Finishes the arena: puts the types in emission order and boxes the fields that make
    /// types recursive. Returns the types, the component schemas and the operations.
    pub fn finish(mut self) -> (Vec<TypeDef>, Vec<(String, TypeRef)>, Vec<Operation>) {
        self.check_tagged_unions();
        let mut order = self.order;
        let listed: BTreeSet<TypeId> = order.iter().copied().collect();
        // Types hoisted outside any component (from operations) come last, as they were met.
        order.extend((0..self.types.len()).map(TypeId).filter(|id| !listed.contains(id)));
        let mut schemas = self.schemas;
        let mut operations = self.operations;
        let types = arena::arrange(self.types, &order, &mut schemas, &mut operations);
        (types, schemas, operations)
    }

    /// Lowers the schema of every media type; returns the JSON one's, if any.
    pub(super) fn lower_content(&mut self, content: &openapiv3::Content, pointer: &str, hint: &str) -> Option<Body> {
        self.lower_content_all(content, pointer, hint).into_iter().find(|body| is_json(&body.media_type))
    }

    /// Lowers the schema of every media type that has one, in the spec's order.
    pub(super) fn lower_content_all(&mut self, content: &openapiv3::Content, pointer: &str, hint: &str) -> Vec<Body> {
        let content_pointer = pointer_join(pointer, "content");
        let mut bodies = Vec::new();
        for (media, media_type) in content {
            if let Some(schema) = &media_type.schema {
                let pointer = pointer_join(&pointer_join(&content_pointer, media), "schema");
                let ty = self.lower_schema(schema, &pointer, &Hint::Name(hint), 0);
                bodies.push(Body { media_type: media.clone(), ty });
            }
        }
        bodies
    }

    /// Whether values of `ty` are structs (through aliases and `nullable`).
    pub(super) fn is_struct(&self, ty: &TypeRef) -> bool {
        let mut ty = ty;
        for _ in 0..=self.types.len() {
            match ty {
                TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => ty = inner,
                TypeRef::Named(id) => match &self.types[id.0].kind {
                    TypeKind::Alias(target) => ty = target,
                    kind => return matches!(kind, TypeKind::Struct(_)),
                },
                _ => return false,
            }
        }
        false
    }

    /// Lowers a parameter's schema (or its JSON content) and returns its type.
    pub(super) fn lower_parameter(
        &mut self,
        parameter: &openapiv3::Parameter,
        pointer: &str,
        hint: &str,
    ) -> Option<TypeRef> {
        match &parameter.parameter_data_ref().format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => {
                Some(self.lower_schema(schema, &pointer_join(pointer, "schema"), &Hint::Name(hint), 0))
            }
            openapiv3::ParameterSchemaOrContent::Content(content) => {
                self.lower_content(content, pointer, hint).map(|body| body.ty)
            }
        }
    }

    fn reserve(&mut self, candidate: &str) -> TypeId {
        let name = self.names.unique(candidate.to_owned());
        self.types.push(TypeDef {
            name,
            doc: Doc::default(),
            kind: TypeKind::Alias(TypeRef::Primitive(Primitive::Value)),
            rules: Rules::default(),
            nullable: false,
            xml: None,
            discriminator: None,
            unknown: None,
            gate: crate::model::Gate::Always,
        });
        TypeId(self.types.len() - 1)
    }

    fn name_of(&self, id: TypeId) -> String {
        self.types[id.0].name.clone()
    }

    fn fill(&mut self, id: TypeId, doc: Doc, kind: TypeKind, rules: Rules) {
        let nullable = self.nullable.contains(&id);
        let def = &mut self.types[id.0];
        def.doc = doc;
        def.kind = kind;
        def.rules = rules;
        def.nullable = nullable;
    }

    /// Claims a type name in the crate's one namespace of type names.
    pub(super) fn claim_type_name(&mut self, candidate: &str) -> String {
        self.names.unique(candidate.to_owned())
    }

    pub(super) fn spec(&self) -> &'a Spec {
        self.spec
    }

    /// The named type defined from the schema at `pointer`, if one was.
    pub(super) fn type_at(&self, pointer: &str) -> Option<TypeId> {
        self.by_pointer.get(pointer).copied()
    }

    pub(super) fn diag_error(&mut self, pointer: &str, message: &str) {
        self.diags.error(pointer, message);
    }

    pub(super) fn lower_ref_at(&mut self, reference: &str, at: &str, depth: usize) -> TypeRef {
        self.lower_ref(reference, at, depth)
    }

    fn named(&self, id: TypeId) -> TypeRef {
        if self.nullable.contains(&id) {
            TypeRef::Nullable(Box::new(TypeRef::Named(id)))
        } else {
            TypeRef::Named(id)
        }
    }

    /// Lowers a schema or a reference to one.
    fn lower_schema<S: AsSchema>(
        &mut self,
        schema: &ReferenceOr<S>,
        pointer: &str,
        hint: &Hint<'_>,
        depth: usize,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_ref(reference, pointer, depth),
            ReferenceOr::Item(schema) => self.lower_inline(schema.as_schema(), pointer, hint, depth),
        }
    }

    /// Lowers a `$ref`: the target always becomes a named type, defined once.
    fn lower_ref(&mut self, reference: &str, at: &str, depth: usize) -> TypeRef {
        let target = percent_decode(reference).unwrap_or_else(|| reference.to_owned());
        if let Some(&id) = self.by_pointer.get(&target) {
            return self.named(id);
        }
        if depth > MAX_DEPTH {
            self.diags.error(
                at,
                format!("`$ref` chain through `{reference}` is deeper than {MAX_DEPTH}; typed as any JSON value"),
            );
            return TypeRef::Primitive(Primitive::Value);
        }
        let Some(value) = resolve_pointer(&self.spec.raw, reference) else {
            self.diags.error(at, format!("reference `{reference}` does not resolve; typed as any JSON value"));
            return TypeRef::Primitive(Primitive::Value);
        };
        let schema: ReferenceOr<Schema> = match read_ref_target(value, &target, true) {
            Ok(schema) => schema,
            Err(err) => {
                self.diags.error(
                    &target,
                    format!("referenced from {at}, but not a valid schema: {err}; typed as any JSON value"),
                );
                return TypeRef::Primitive(Primitive::Value);
            }
        };
        let id = self.reserve(&hint_from_pointer(&target));
        self.by_pointer.insert(target.clone(), id);
        self.define(id, &schema, &target, depth + 1);
        self.named(id)
    }

    /// Defines a reserved named type from its schema.
    fn define(&mut self, id: TypeId, schema: &ReferenceOr<Schema>, pointer: &str, depth: usize) {
        let name = self.name_of(id);
        let schema = match schema {
            ReferenceOr::Reference { reference } => {
                let target = self.lower_ref(reference, pointer, depth + 1);
                let doc = Doc { pointer: pointer.to_owned(), ..Doc::default() };
                self.fill(id, doc, TypeKind::Alias(target), Rules::default());
                return;
            }
            ReferenceOr::Item(schema) => schema,
        };
        self.check_keywords(pointer);
        let flat = Flat::new(schema);
        let doc = doc_of(schema, pointer);
        match self.shape(&flat, pointer, depth) {
            Shape::Passthrough(member, member_pointer) => {
                let target = self.lower_schema(member, &member_pointer, &Hint::Name(&name), depth + 1);
                let rules = self.rules_at(pointer, true, depth);
                self.fill(id, doc, TypeKind::Alias(nullable_if(target, schema.schema_data.nullable)), rules);
            }
            Shape::Value => {
                let target = self.lower_value(&flat, pointer, &Hint::Name(&name), depth);
                let rules = self.rules_at(pointer, true, depth);
                self.fill(id, doc, TypeKind::Alias(nullable_if(target, schema.schema_data.nullable)), rules);
            }
            shape => {
                if schema.schema_data.nullable {
                    self.nullable.insert(id);
                }
                let (kind, rules) = self.lower_def(id, shape, &flat, pointer, &name, depth);
                self.fill(id, doc, kind, rules);
            }
        }
    }

    /// Lowers an inline schema; it gets a named type only if its shape needs one.
    fn lower_inline(&mut self, schema: &Schema, pointer: &str, hint: &Hint<'_>, depth: usize) -> TypeRef {
        if let Some(&id) = self.by_pointer.get(pointer) {
            return self.named(id);
        }
        self.check_keywords(pointer);
        let flat = Flat::new(schema);
        let nullable = schema.schema_data.nullable;
        let ty = match self.shape(&flat, pointer, depth) {
            Shape::Passthrough(member, member_pointer) => self.lower_schema(member, &member_pointer, hint, depth + 1),
            Shape::Value => self.lower_value(&flat, pointer, hint, depth),
            shape => {
                let id = self.reserve(&hint.name());
                self.by_pointer.insert(pointer.to_owned(), id);
                let name = self.name_of(id);
                let (kind, rules) = self.lower_def(id, shape, &flat, pointer, &name, depth);
                self.fill(id, doc_of(schema, pointer), kind, rules);
                TypeRef::Named(id)
            }
        };
        nullable_if(ty, nullable)
    }

    fn shape<'s>(&mut self, flat: &Flat<'s>, pointer: &str, depth: usize) -> Shape<'s> {
        let shape = self.shape_of(flat, pointer, depth);
        if let Some(discriminator) = &flat.schema.schema_data.discriminator {
            if !matches!(shape, Shape::Union(..)) {
                // The polymorphism pattern (`Pet` with a discriminator, `Cat: allOf: [Pet,
                // ...]`): nothing lists the subtypes here, so there is nothing to choose from.
                self.diags.warning(
                    pointer_join(pointer, "discriminator"),
                    format!(
                        "`discriminator` (`{}`) on a schema without `oneOf` / `anyOf` alternatives chooses no type: a value here is read as this schema alone; list the subtypes under `oneOf` with this discriminator to read them by it",
                        discriminator.property_name
                    ),
                );
            }
        }
        shape
    }

    fn shape_of<'s>(&mut self, flat: &Flat<'s>, pointer: &str, depth: usize) -> Shape<'s> {
        let typed_members =
            |members: &'s [ReferenceOr<Schema>], keyword: &str| -> Vec<(String, &'s ReferenceOr<Schema>)> {
                members
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| shapes_value(m))
                    .map(|(i, m)| (pointer_join(&pointer_join(pointer, keyword), &i.to_string()), m))
                    .collect()
            };
        let all_of = typed_members(flat.all_of, "allOf");
        let object_typed = flat.typ.as_deref() == Some("object");
        if !all_of.is_empty() {
            let own_shape = !flat.properties.is_empty() || flat.items.is_some() || !flat.enumeration.is_empty();
            let no_alternatives = flat.one_of.is_empty() && flat.any_of.is_empty();
            // One shaping member, or members that are all scalars (`allOf: [{$ref: Id},
            // {type: string, description: ...}]`): the type is the first member's, and the
            // others are rules. Only objects merge into a struct.
            let scalars = all_of.iter().all(|(p, m)| !self.is_object_like(m, p, depth));
            if !own_shape && no_alternatives && (all_of.len() == 1 || scalars) && !object_typed {
                let (member_pointer, member) = all_of.into_iter().next().expect("at least one member");
                return Shape::Passthrough(member, member_pointer);
            }
            return Shape::Struct;
        }
        if !flat.properties.is_empty() {
            return Shape::Struct;
        }
        if object_typed && matches!(flat.additional, Some(AdditionalProperties::Any(false))) {
            return Shape::Struct;
        }
        let enum_values = &flat.enumeration;
        if !enum_values.is_empty() {
            let non_null = enum_values.iter().filter(|v| !v.is_null());
            match flat.typ.as_deref() {
                Some("string") | None if non_null.clone().all(Value::is_string) && non_null.clone().count() > 0 => {
                    return Shape::StringEnum;
                }
                Some("integer") if non_null.clone().all(Value::is_i64) && non_null.clone().count() > 0 => {
                    return Shape::IntegerEnum;
                }
                _ => {}
            }
        }
        let one_of = typed_members(flat.one_of, "oneOf");
        let any_of = typed_members(flat.any_of, "anyOf");
        if !one_of.is_empty() && !any_of.is_empty() {
            self.diags.warning(pointer, "both `oneOf` and `anyOf` shape this value; the type follows `oneOf`, and `anyOf` is left to validation");
        }
        let (members, all) = if one_of.is_empty() { (any_of, flat.any_of) } else { (one_of, flat.one_of) };
        if !members.is_empty() {
            if flat.typ.is_some() && flat.typ.as_deref() != Some("object") {
                // `type: string` beside `oneOf: [{enum}, {pattern}]` and the like: every member
                // narrows the same primitive.
                return Shape::Value;
            }
            let open = members.len() < all.len();
            if members.len() == 1 && !open && flat.schema.schema_data.discriminator.is_none() {
                // `anyOf: [{$ref: X}]` (often beside `nullable: true`): a value is an X; a
                // one-variant enum around it would only be a second type for the same values.
                let (member_pointer, member) = members.into_iter().next().expect("one member");
                return Shape::Passthrough(member, member_pointer);
            }
            return Shape::Union(members, open);
        }
        let _ = depth;
        Shape::Value
    }

    fn lower_def(
        &mut self,
        id: TypeId,
        shape: Shape<'_>,
        flat: &Flat<'_>,
        pointer: &str,
        name: &str,
        depth: usize,
    ) -> (TypeKind, Rules) {
        match shape {
            Shape::Struct => self.lower_struct(flat, pointer, name, depth),
            Shape::StringEnum => {
                let mut ns = Namespace::new();
                ns.reserve(naming::UNKNOWN_VALUE);
                self.types[id.0].unknown = Some(naming::UNKNOWN_VALUE.to_owned());
                let variants = flat
                    .enumeration
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|value| EnumVariant {
                        rust_name: ns.unique(type_name(value, "Empty")),
                        value: value.to_owned(),
                    })
                    .collect();
                (TypeKind::StringEnum(variants), Rules::default())
            }
            Shape::IntegerEnum => {
                let mut ns = Namespace::new();
                let variants = flat
                    .enumeration
                    .iter()
                    .filter_map(Value::as_i64)
                    .map(|value| EnumVariant { rust_name: ns.unique(type_name(&value.to_string(), "Value")), value })
                    .collect();
                (TypeKind::IntegerEnum(variants), Rules::default())
            }
            Shape::Union(members, open) => {
                self.lower_union_def(id, members, open, flat.schema.schema_data.discriminator.as_ref(), pointer, depth)
            }
            Shape::Passthrough(..) | Shape::Value => {
                let kind = TypeKind::Alias(self.lower_value(flat, pointer, &Hint::Name(name), depth));
                (kind, self.rules_at(pointer, true, depth))
            }
        }
    }

    /// Whether a schema (following references) describes an object.
    fn is_object_like(&mut self, schema: &ReferenceOr<Schema>, pointer: &str, depth: usize) -> bool {
        match self.resolve_schema(schema, pointer, depth) {
            Some((schema, _)) => {
                let flat = Flat::new(&schema);
                match flat.typ.as_deref() {
                    Some("object") => true,
                    Some(_) => false,
                    None => !flat.properties.is_empty() || flat.additional.is_some() || !flat.all_of.is_empty(),
                }
            }
            None => false,
        }
    }

    /// Resolves a schema or reference to the schema itself, with its pointer.
    fn resolve_schema(
        &mut self,
        schema: &ReferenceOr<Schema>,
        pointer: &str,
        depth: usize,
    ) -> Option<(Schema, String)> {
        let mut current = schema.clone();
        let mut current_pointer = pointer.to_owned();
        for _ in depth..MAX_DEPTH {
            match current {
                ReferenceOr::Item(schema) => return Some((schema, current_pointer)),
                ReferenceOr::Reference { reference } => {
                    let Some(value) = resolve_pointer(&self.spec.raw, &reference) else {
                        self.diags.error(&current_pointer, format!("reference `{reference}` does not resolve"));
                        return None;
                    };
                    let target = percent_decode(&reference).unwrap_or_else(|| reference.clone());
                    match read_ref_target(value, &target, true) {
                        Ok(next) => current = next,
                        Err(err) => {
                            self.diags.error(&reference, format!("not a valid schema: {err}"));
                            return None;
                        }
                    }
                    current_pointer = percent_decode(&reference).unwrap_or(reference);
                }
            }
        }
        self.diags.error(pointer, format!("`$ref` chain is deeper than {MAX_DEPTH}"));
        None
    }

    /// Types a schema that needs no named type of its own.
    fn lower_value(&mut self, flat: &Flat<'_>, pointer: &str, hint: &Hint<'_>, depth: usize) -> TypeRef {
        let typ = flat.typ.as_deref().or_else(|| {
            // Without `type`, the keywords still tell what the value is.
            if flat.items.is_some() {
                Some("array")
            } else if flat.additional.is_some() {
                Some("object")
            } else {
                None
            }
        });
        match typ {
            Some("string") => self.string_type(flat, pointer),
            Some("integer") => TypeRef::Primitive(match flat.format {
                Some(Format::Int32 | Format::Int16 | Format::Int8) => Primitive::I32,
                Some(Format::Uint32 | Format::Uint16 | Format::Uint8) => Primitive::U32,
                Some(Format::Uint64 | Format::Uint) => Primitive::U64,
                _ => Primitive::I64,
            }),
            Some("number") => TypeRef::Primitive(match flat.format {
                Some(Format::Decimal) => Primitive::Decimal,
                _ => Primitive::F64,
            }),
            Some("boolean") => TypeRef::Primitive(Primitive::Bool),
            Some("array") => {
                // Items before and after `prefixItems` may each have a type of their own: the
                // array is of any JSON values, and its validator checks each position's rules.
                let tuple = matches!(resolve_pointer(&self.spec.raw, pointer), Some(Value::Object(map)) if map.contains_key("prefixItems"));
                let item = match flat.items {
                    _ if tuple => TypeRef::Primitive(Primitive::Value),
                    Some(items) => self.lower_schema(
                        items,
                        &pointer_join(pointer, "items"),
                        &Hint::Joined(hint, "item", "Item"),
                        depth + 1,
                    ),
                    None => TypeRef::Primitive(Primitive::Value),
                };
                TypeRef::Vec(Box::new(item))
            }
            Some("object") => {
                let value = match flat.additional {
                    // Properties that match a pattern may have another type than the others.
                    Some(AdditionalProperties::Schema(_))
                        if has_pattern_properties(self.spec, &BTreeSet::from([pointer.to_owned()])) =>
                    {
                        TypeRef::Primitive(Primitive::Value)
                    }
                    Some(AdditionalProperties::Schema(schema)) => self.lower_schema(
                        schema,
                        &pointer_join(pointer, "additionalProperties"),
                        &Hint::Joined(hint, "value", "Value"),
                        depth + 1,
                    ),
                    _ => TypeRef::Primitive(Primitive::Value),
                };
                TypeRef::Map(Box::new(value))
            }
            // Reported by `check_type`, which every schema lowered here has been through.
            Some(_) | None => TypeRef::Primitive(Primitive::Value),
        }
    }

    /// A string, or a richer type for the formats that have one (`date`, `date-time`,
    /// `uuid`) when every example the spec gives for it parses.
    fn string_type(&mut self, flat: &Flat<'_>, pointer: &str) -> TypeRef {
        let format = flat.format.as_ref();
        let (primitive, parses): (Primitive, fn(&str) -> bool) = match format {
            Some(Format::Date) => (Primitive::Date, |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()),
            Some(Format::DateTime) => (Primitive::DateTime, |s| chrono::DateTime::parse_from_rfc3339(s).is_ok()),
            Some(Format::Uuid) => (Primitive::Uuid, |s| uuid::Uuid::parse_str(s).is_ok()),
            Some(Format::Binary) => return TypeRef::Primitive(Primitive::Binary),
            _ => return TypeRef::Primitive(Primitive::String),
        };
        let data = &flat.schema.schema_data;
        let documented = data.example.iter().chain(data.default.iter());
        for value in documented {
            if let Some(text) = value.as_str().filter(|text| !parses(text)) {
                self.diags.warning(
                    pointer,
                    format!(
                        "`format: {}`, but the spec's own value `{text}` does not parse as one; typed as `String` so that such values are not refused (validation still checks the format)",
                        format.map(Format::as_str).unwrap_or_default()
                    ),
                );
                return TypeRef::Primitive(Primitive::String);
            }
        }
        TypeRef::Primitive(primitive)
    }

    /// Reports keywords that OpenAPI 3.0 schemas do not have, which would otherwise vanish,
    /// and a `type` that is none of OpenAPI 3.0's.
    fn check_keywords(&mut self, pointer: &str) {
        let Some(Value::Object(map)) = resolve_pointer(&self.spec.raw, pointer) else { return };
        self.check_type(map, pointer);
        for key in map.keys() {
            if !key.starts_with("x-") && !SCHEMA_KEYWORDS.contains(&key.as_str()) {
                self.diags.warning(
                    pointer_join(pointer, key),
                    format!("`{key}` is not an OpenAPI 3.0 schema keyword; it is ignored"),
                );
            }
        }
    }
}

impl SchemaLowerer<'_> {
    /// Reports a `type` that is none of OpenAPI 3.0's (`type: strng`): an error, since the
    /// value's type is then unknown (it is typed as any JSON value, so the rest can be read).
    pub(super) fn check_type(&mut self, schema: &serde_json::Map<String, Value>, pointer: &str) {
        if let Some(message) = schema.get("type").and_then(Value::as_str).and_then(crate::load::unknown_type) {
            self.diags.error(pointer_join(pointer, "type"), message);
        }
    }
}

/// The wire spelling of an `openapiv3` format (`date-time`), if any.
/// Whether any of the schemas at `pointers` has `patternProperties`.
fn has_pattern_properties(spec: &Spec, pointers: &BTreeSet<String>) -> bool {
    pointers.iter().any(|at| matches!(resolve_pointer(&spec.raw, at), Some(Value::Object(map)) if map.contains_key("patternProperties")))
}

/// Whether a subschema shapes the value (has a type, properties, items, an enum, or is a
/// reference), as opposed to only constraining it (`{required: [email]}`, `{not: ...}`).
fn shapes_value(schema: &ReferenceOr<Schema>) -> bool {
    match schema {
        ReferenceOr::Reference { .. } => true,
        ReferenceOr::Item(schema) => {
            let flat = Flat::new(schema);
            flat.typ.is_some()
                || !flat.properties.is_empty()
                || flat.items.is_some()
                || !flat.enumeration.is_empty()
                || matches!(flat.additional, Some(AdditionalProperties::Schema(_)))
                || flat.one_of.iter().chain(flat.any_of).chain(flat.all_of).any(shapes_value)
        }
    }
}

/// A type name from where a schema stands: `#/components/schemas/Pet` -> `Pet`,
/// `#/components/schemas/Pet/allOf/0` -> `PetAllOf0`.
pub(super) fn hint_from_pointer(pointer: &str) -> String {
    let tokens: Vec<String> = pointer
        .trim_start_matches('#')
        .split('/')
        .filter(|t| !t.is_empty())
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect();
    let meaningful: Vec<&str> = match tokens.first().map(String::as_str) {
        Some("components") => tokens.iter().skip(2).map(String::as_str).collect(),
        _ => tokens.iter().map(String::as_str).collect(),
    };
    let words: Vec<&str> =
        meaningful.into_iter().filter(|t| !matches!(*t, "properties" | "schema" | "content")).collect();
    // Cased as a whole, so that an index reads `PetAllOf0`, not `PetAllOfV0`.
    type_name(&words.join(" "), "Schema")
}

/// A type-name stem for an operation: its `operationId`, or its method and path.
pub(super) fn operation_type_name(operation: &openapiv3::Operation, method: &str, path: &str) -> String {
    match &operation.operation_id {
        Some(id) => type_name(id, "Operation"),
        None => type_name(&format!("{method} {}", path.replace(['{', '}'], " ")), "Operation"),
    }
}

fn doc_of(schema: &Schema, pointer: &str) -> Doc {
    Doc {
        title: schema.schema_data.title.clone(),
        description: schema.schema_data.description.clone(),
        pointer: pointer.to_owned(),
    }
}

fn nullable_if(ty: TypeRef, nullable: bool) -> TypeRef {
    match ty {
        TypeRef::Nullable(_) => ty,
        ty if nullable => TypeRef::Nullable(Box::new(ty)),
        ty => ty,
    }
}

/// What a type made for an inline schema is named from. A joined hint is spelled
/// (`type_name("{of} {word}", fallback)`) only when a type is made: most properties are
/// strings or numbers, which make none, and spelling every property's hint took a sixth of
/// Stripe's lowering.
#[derive(Clone, Copy)]
pub(super) enum Hint<'a> {
    Name(&'a str),
    Joined(&'a Hint<'a>, &'a str, &'static str),
}

impl Hint<'_> {
    pub(super) fn name(&self) -> String {
        match self {
            Hint::Name(name) => (*name).to_owned(),
            Hint::Joined(of, word, fallback) => type_name(&format!("{} {word}", of.name()), fallback),
        }
    }
}

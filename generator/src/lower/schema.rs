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

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use crate::diag::{pointer_join, Diagnostics};
use crate::load::{percent_decode, read_ref_target, resolve_pointer, Spec};
use crate::media::is_json;
use crate::model::{
    Body, Doc, EnumVariant, Field, Operation, Primitive, Rules, Struct, TypeDef, TypeId, TypeKind, TypeRef,
    UnionVariant,
};
use crate::naming::{self, field_name, type_name, Namespace};

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

/// One view of a schema's keywords, whichever `SchemaKind` `openapiv3` parsed it into.
struct Flat<'s> {
    schema: &'s Schema,
    typ: Option<String>,
    format: Option<String>,
    properties: Vec<(&'s String, &'s ReferenceOr<Box<Schema>>)>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
    items: Option<&'s ReferenceOr<Box<Schema>>>,
    enumeration: Vec<Value>,
    one_of: &'s [ReferenceOr<Schema>],
    any_of: &'s [ReferenceOr<Schema>],
    all_of: &'s [ReferenceOr<Schema>],
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
        let new_id = new_ids(&order, self.types.len());
        let mut types = reorder(self.types, &order);
        box_recursive_fields(&mut types);
        box_struct_variants(&mut types);
        let mut schemas = self.schemas;
        for (_, ty) in &mut schemas {
            renumber(ty, &new_id);
        }
        let mut operations = self.operations;
        for operation in &mut operations {
            let bodies = operation.json_body.iter_mut().map(|b| &mut b.ty);
            let forms = operation.form_bodies.iter_mut().map(|f| &mut f.ty);
            let parameters = operation.parameters.iter_mut().map(|p| &mut p.ty);
            let responses = operation.responses.iter_mut().filter_map(|r| r.body.as_mut());
            let stream = operation.stream.iter_mut().filter_map(|s| s.item.as_mut());
            for ty in bodies.chain(forms).chain(parameters).chain(responses).chain(stream) {
                renumber(ty, &new_id);
            }
            for parameter in &mut operation.parameters {
                renumber_rules(&mut parameter.rules, &new_id);
            }
        }
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
                let ty = self.lower_schema(schema, &pointer, hint, 0);
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
                Some(self.lower_schema(schema, &pointer_join(pointer, "schema"), hint, 0))
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
            feature: None,
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
        hint: &str,
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
                let target = self.lower_schema(member, &member_pointer, &name, depth + 1);
                let rules = self.rules_at(pointer, true, depth);
                self.fill(id, doc, TypeKind::Alias(nullable_if(target, schema.schema_data.nullable)), rules);
            }
            Shape::Value => {
                let target = self.lower_value(&flat, pointer, &name, depth);
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
    fn lower_inline(&mut self, schema: &Schema, pointer: &str, hint: &str, depth: usize) -> TypeRef {
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
                let id = self.reserve(hint);
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
                let discriminator = flat.schema.schema_data.discriminator.as_ref();
                let plan = discriminator.map(|d| tag_plan(d, &members, open));
                let (kind, tagged) = self.lower_union(members, open, name, plan, depth);
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
            Shape::Passthrough(..) | Shape::Value => {
                let kind = TypeKind::Alias(self.lower_value(flat, pointer, name, depth));
                (kind, self.rules_at(pointer, true, depth))
            }
        }
    }

    /// The object-level rules of a schema that is merged into a struct: its conditionals and
    /// property counts, with the `allOf` members that were merged (which shape the struct)
    /// left out, since their own rules are gathered separately.
    fn object_conditionals(&mut self, flat: &Flat<'_>, pointer: &str, depth: usize) -> Rules {
        let mut rules = self.rules_at(pointer, true, depth).object_level();
        let merged: Vec<bool> = flat.all_of.iter().map(shapes_value).collect();
        let mut index = 0;
        rules.all_of.retain(|_| {
            let keep = !merged.get(index).copied().unwrap_or(false);
            index += 1;
            keep
        });
        rules
    }

    fn lower_struct(&mut self, flat: &Flat<'_>, pointer: &str, name: &str, depth: usize) -> (TypeKind, Rules) {
        let mut parts = ObjectParts::default();
        self.collect_object(flat, pointer, &mut parts, depth);
        let mut ns = Namespace::new();
        let mut fields = Vec::new();
        for (wire, schema, prop_pointer) in &parts.properties {
            let rust_name = ns.unique(field_name(wire, "field"));
            let hint = type_name(&format!("{name} {wire}"), "Field");
            let ty = self.lower_schema(schema, prop_pointer, &hint, depth + 1);
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
                let hint = type_name(&format!("{name} value"), "Value");
                let ty = self.lower_schema(schema, &additional_pointer, &hint, depth + 1);
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
                || value.get("format").and_then(Value::as_str) == Some("password")
                || value.get("writeOnly").and_then(Value::as_bool) == Some(true)
        };
        let Some(value) = resolve_pointer(&self.spec.raw, pointer) else { return false };
        let target = value.get("$ref").and_then(Value::as_str).and_then(|r| resolve_pointer(&self.spec.raw, r));
        marks(value) || target.is_some_and(marks)
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
            let ty =
                self.lower_schema(member, &member_pointer, &type_name(&format!("{name} {base}"), "Variant"), depth + 1);
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
    fn check_tagged_unions(&mut self) {
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

    /// Types a schema that needs no named type of its own.
    fn lower_value(&mut self, flat: &Flat<'_>, pointer: &str, hint: &str, depth: usize) -> TypeRef {
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
            Some("integer") => TypeRef::Primitive(match flat.format.as_deref() {
                Some("int32" | "int16" | "int8") => Primitive::I32,
                Some("uint32" | "uint16" | "uint8") => Primitive::U32,
                Some("uint64" | "uint") => Primitive::U64,
                _ => Primitive::I64,
            }),
            Some("number") => TypeRef::Primitive(match flat.format.as_deref() {
                Some("decimal") => Primitive::Decimal,
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
                        &type_name(&format!("{hint} item"), "Item"),
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
                        &type_name(&format!("{hint} value"), "Value"),
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
        let format = flat.format.as_deref();
        let (primitive, parses): (Primitive, fn(&str) -> bool) = match format {
            Some("date") => (Primitive::Date, |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()),
            Some("date-time") => (Primitive::DateTime, |s| chrono::DateTime::parse_from_rfc3339(s).is_ok()),
            Some("uuid") => (Primitive::Uuid, |s| uuid::Uuid::parse_str(s).is_ok()),
            Some("binary") => return TypeRef::Primitive(Primitive::Binary),
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
                        format.unwrap_or_default()
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

/// `ReferenceOr<Schema>` and `ReferenceOr<Box<Schema>>` both occur in `openapiv3`.
trait AsSchema {
    fn as_schema(&self) -> &Schema;
}

impl AsSchema for Schema {
    fn as_schema(&self) -> &Schema {
        self
    }
}

impl AsSchema for Box<Schema> {
    fn as_schema(&self) -> &Schema {
        self
    }
}

impl<'s> Flat<'s> {
    fn new(schema: &'s Schema) -> Self {
        let mut flat = Flat {
            schema,
            typ: None,
            format: None,
            properties: Vec::new(),
            required: &[],
            additional: None,
            items: None,
            enumeration: Vec::new(),
            one_of: &[],
            any_of: &[],
            all_of: &[],
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                flat.typ = Some("string".into());
                flat.format = format_name(&t.format);
                flat.enumeration = t.enumeration.iter().map(|v| v.clone().map_or(Value::Null, Value::String)).collect();
            }
            SchemaKind::Type(Type::Number(t)) => {
                flat.typ = Some("number".into());
                flat.format = format_name(&t.format);
                flat.enumeration = t.enumeration.iter().map(|v| v.map_or(Value::Null, Value::from)).collect();
            }
            SchemaKind::Type(Type::Integer(t)) => {
                flat.typ = Some("integer".into());
                flat.format = format_name(&t.format);
                flat.enumeration = t.enumeration.iter().map(|v| v.map_or(Value::Null, Value::from)).collect();
            }
            SchemaKind::Type(Type::Boolean(t)) => {
                flat.typ = Some("boolean".into());
                flat.enumeration = t.enumeration.iter().map(|v| v.map_or(Value::Null, Value::Bool)).collect();
            }
            SchemaKind::Type(Type::Object(t)) => {
                flat.typ = Some("object".into());
                flat.properties = t.properties.iter().collect();
                flat.required = &t.required;
                flat.additional = t.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(t)) => {
                flat.typ = Some("array".into());
                flat.items = t.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => flat.one_of = one_of,
            SchemaKind::AllOf { all_of } => flat.all_of = all_of,
            SchemaKind::AnyOf { any_of } => flat.any_of = any_of,
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(any) => {
                flat.typ = any.typ.clone();
                flat.format = any.format.clone();
                flat.properties = any.properties.iter().collect();
                flat.required = &any.required;
                flat.additional = any.additional_properties.as_ref();
                flat.items = any.items.as_ref();
                flat.enumeration = any.enumeration.clone();
                flat.one_of = &any.one_of;
                flat.any_of = &any.any_of;
                flat.all_of = &any.all_of;
            }
        }
        flat
    }
}

/// The wire spelling of an `openapiv3` format (`date-time`), if any.
/// Whether any of the schemas at `pointers` has `patternProperties`.
fn has_pattern_properties(spec: &Spec, pointers: &BTreeSet<String>) -> bool {
    pointers.iter().any(|at| matches!(resolve_pointer(&spec.raw, at), Some(Value::Object(map)) if map.contains_key("patternProperties")))
}

fn format_name<T: serde::Serialize>(format: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        openapiv3::VariantOrUnknownOrEmpty::Item(item) => {
            serde_json::to_value(item).ok().and_then(|v| v.as_str().map(str::to_owned))
        }
        openapiv3::VariantOrUnknownOrEmpty::Unknown(name) => Some(name.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
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
    match (flat.typ.as_deref(), flat.format.as_deref()) {
        (Some("string"), Some("date")) => "Date",
        (Some("string"), Some("date-time")) => "DateTime",
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

/// For each old id, its position in `order`.
fn new_ids(order: &[TypeId], len: usize) -> Vec<usize> {
    let mut new_id = vec![0; len];
    for (new, old) in order.iter().enumerate() {
        new_id[old.0] = new;
    }
    new_id
}

/// Permutes the arena into `order` (a permutation of its ids) and renumbers every reference.
fn reorder(types: Vec<TypeDef>, order: &[TypeId]) -> Vec<TypeDef> {
    let new_id = new_ids(order, types.len());
    let mut slots: Vec<Option<TypeDef>> = types.into_iter().map(Some).collect();
    let mut out: Vec<TypeDef> = order.iter().filter_map(|old| slots[old.0].take()).collect();
    for def in &mut out {
        renumber_rules(&mut def.rules, &new_id);
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    renumber(&mut field.ty, &new_id);
                    renumber_rules(&mut field.rules, &new_id);
                }
                if let Some((_, ty)) = &mut s.additional {
                    renumber(ty, &new_id);
                }
            }
            TypeKind::Union(variants) => {
                for variant in variants {
                    renumber(&mut variant.ty, &new_id);
                    renumber_rules(&mut variant.rules, &new_id);
                }
            }
            TypeKind::Alias(ty) => renumber(ty, &new_id),
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
        }
    }
    out
}

fn renumber_rules(rules: &mut Rules, new_id: &[usize]) {
    if let Some(id) = &mut rules.reference {
        id.0 = new_id[id.0];
    }
    for sub in rules.children_mut() {
        renumber_rules(sub, new_id);
    }
}

fn renumber(ty: &mut TypeRef, new_id: &[usize]) {
    match ty {
        TypeRef::Named(id) => id.0 = new_id[id.0],
        TypeRef::Nullable(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
            renumber(inner, new_id)
        }
        TypeRef::Primitive(_) => {}
    }
}

/// Boxes every field and variant that refers, without indirection through a `Vec` or a map,
/// to a type in its own strongly connected component: exactly the references that would make
/// a type infinitely large.
fn box_recursive_fields(types: &mut [TypeDef]) {
    let edges: Vec<BTreeSet<usize>> = types
        .iter()
        .map(|t| {
            let mut out = BTreeSet::new();
            for ty in direct_refs(&t.kind) {
                direct_targets(ty, &mut out);
            }
            out
        })
        .collect();
    let component = strongly_connected(&edges);
    for (i, def) in types.iter_mut().enumerate() {
        let boxes = |target: usize| component[target] == component[i] && (target != i || edges[i].contains(&i));
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    box_direct(&mut field.ty, &boxes);
                }
            }
            TypeKind::Union(variants) => {
                for variant in variants {
                    box_direct(&mut variant.ty, &boxes);
                }
            }
            _ => {}
        }
    }
}

/// Boxes every union variant that holds a struct: an enum is as large as its largest variant,
/// and a union of an id and an object (Stripe's expandable fields) would otherwise carry the
/// whole object inline wherever the id is all there is, kilobytes per field.
fn box_struct_variants(types: &mut [TypeDef]) {
    let is_struct: Vec<bool> = types.iter().map(|t| matches!(t.kind, TypeKind::Struct(_))).collect();
    for def in types.iter_mut() {
        if let TypeKind::Union(variants) = &mut def.kind {
            for variant in variants {
                box_direct(&mut variant.ty, &|target| is_struct[target]);
            }
        }
    }
}

fn direct_refs(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Union(v) => v.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => Vec::new(),
    }
}

fn direct_targets(ty: &TypeRef, out: &mut BTreeSet<usize>) {
    match ty {
        TypeRef::Named(id) => {
            out.insert(id.0);
        }
        TypeRef::Nullable(inner) => direct_targets(inner, out),
        TypeRef::Primitive(_) | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Boxed(_) => {}
    }
}

fn box_direct(ty: &mut TypeRef, boxes: &dyn Fn(usize) -> bool) {
    match ty {
        TypeRef::Named(id) if boxes(id.0) => {
            *ty = TypeRef::Boxed(Box::new(TypeRef::Named(*id)));
        }
        TypeRef::Nullable(inner) => box_direct(inner, boxes),
        _ => {}
    }
}

/// Tarjan's algorithm: the strongly connected component of every node, as an index.
fn strongly_connected(edges: &[BTreeSet<usize>]) -> Vec<usize> {
    struct State<'e> {
        edges: &'e [BTreeSet<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        component: Vec<usize>,
        components: usize,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in s.edges[v].iter() {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(wi) if s.on_stack[w] => s.low[v] = s.low[v].min(wi),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                s.component[w] = s.components;
                if w == v {
                    break;
                }
            }
            s.components += 1;
        }
    }
    let n = edges.len();
    let mut state = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        component: vec![0; n],
        components: 0,
    };
    for v in 0..n {
        if state.index[v].is_none() {
            visit(&mut state, v);
        }
    }
    state.component
}

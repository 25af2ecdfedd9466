//! Validation of JSON against any spec, without generating code: an interpreter over the
//! model's types and rules (plain data, see `apigen::model`), reporting through
//! `apigen_runtime`'s checks, so that messages, keywords and pointers read as the generated
//! validators' do.
//!
//! It is a second implementation of what the generated validators do, written from the model
//! rather than emitted from it; `tests/tests/interpreter.rs` runs both on the same payloads.
//! Where the generated code reads a value into a Rust type first (a wrong type, a missing
//! required property, an unknown one where the schema refuses them), this checks the JSON
//! value directly and reports the same keyword at the same pointer.

use apigen::model::{Additional, ApiModel, Primitive, Rules, TypeId, TypeKind, TypeRef};
use apigen_runtime::check::{self, Num};
use apigen_runtime::format::Format;
use apigen_runtime::{Context, ValidationError};
use serde_json::Value;

/// Validates JSON against one spec's model.
pub struct Interpreter<'m> {
    model: &'m ApiModel,
}

/// What to check a payload against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A schema of `#/components/schemas`, by its key.
    Schema(String),
    /// The JSON request body of an operation, by its `operationId`.
    Operation(String),
}

impl<'m> Interpreter<'m> {
    pub fn new(model: &'m ApiModel) -> Self {
        Interpreter { model }
    }

    /// The schema names it knows, in the spec's order.
    pub fn schema_names(&self) -> Vec<&str> {
        self.model.schemas.iter().map(|(name, _)| name.as_str()).collect()
    }

    /// The operations with a JSON request body, in the spec's order.
    pub fn operation_ids(&self) -> Vec<&str> {
        self.model.operations.iter().filter(|o| o.json_body.is_some()).map(|o| o.id.as_str()).collect()
    }

    /// The type a target names, if the spec has it.
    pub fn target(&self, target: &Target) -> Option<&'m TypeRef> {
        match target {
            Target::Schema(name) => self.model.schemas.iter().find(|(n, _)| n == name).map(|(_, ty)| ty),
            Target::Operation(id) => {
                self.model.operations.iter().find(|o| o.id == *id)?.json_body.as_ref().map(|b| &b.ty)
            }
        }
    }

    /// Every violation of `json` (bytes of one JSON document) against `ty`, each once: none
    /// when it is valid.
    pub fn validate(&self, ty: &TypeRef, json: &[u8]) -> Vec<ValidationError> {
        let mut cx = Context::new();
        match serde_json::from_slice::<Value>(json) {
            Ok(value) => self.check_type(&mut cx, &value, ty),
            Err(e) => cx.error("json", None, format!("not valid JSON: {e}")),
        }
        // A rule can be reached twice (a property's own rules and those of the type it
        // refers to both say `minLength`); it is one violation.
        let mut errors: Vec<ValidationError> = Vec::new();
        for error in cx.finish().err().into_iter().flatten() {
            if !errors
                .iter()
                .any(|e| e.pointer == error.pointer && e.keyword == error.keyword && e.message == error.message)
            {
                errors.push(error);
            }
        }
        errors
    }

    fn check_type(&self, cx: &mut Context, value: &Value, ty: &TypeRef) {
        match ty {
            TypeRef::Nullable(inner) => {
                if !value.is_null() {
                    self.check_type(cx, value, inner);
                }
            }
            TypeRef::Boxed(inner) => self.check_type(cx, value, inner),
            TypeRef::Vec(inner) => match value {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        cx.push_index(i);
                        self.check_type(cx, item, inner);
                        cx.pop();
                    }
                }
                _ => check::wrong_type(cx, "array"),
            },
            TypeRef::Map(inner) => match value {
                Value::Object(map) => {
                    for (key, item) in map {
                        cx.push_entry(key);
                        self.check_type(cx, item, inner);
                        cx.pop();
                    }
                }
                _ => check::wrong_type(cx, "object"),
            },
            TypeRef::Primitive(primitive) => check_primitive(cx, value, *primitive),
            TypeRef::Named(id) => self.check_def(cx, value, *id),
        }
    }

    fn check_def(&self, cx: &mut Context, value: &Value, id: TypeId) {
        let def = self.model.type_def(id);
        if def.nullable && value.is_null() {
            return;
        }
        // A type replaced by an existing Rust type (apigen.toml) carries no rules of the spec.
        if self.model.replaced.contains_key(&def.name) {
            return;
        }
        match &def.kind {
            TypeKind::Struct(s) => {
                let Value::Object(object) = value else { return check::wrong_type(cx, "object") };
                for field in &s.fields {
                    match object.get(&field.wire_name) {
                        None if field.required => check::required(cx, &field.wire_name),
                        None => {}
                        Some(Value::Null)
                            if !field.required
                                && !matches!(field.ty, TypeRef::Nullable(_))
                                && !self.is_nullable(&field.ty) =>
                        {
                            cx.push_entry(&field.wire_name);
                            check::wrong_type(cx, json_type_of(self.model, &field.ty));
                            cx.pop();
                        }
                        Some(item) => {
                            cx.push_entry(&field.wire_name);
                            self.check_type(cx, item, &field.ty);
                            self.check_rules(cx, item, &field.rules, named(&field.ty));
                            cx.pop();
                        }
                    }
                }
                let known = |key: &str| s.fields.iter().any(|f| f.wire_name == key);
                for (key, item) in object.iter().filter(|(k, _)| !known(k)) {
                    if s.deny_unknown_fields {
                        check::additional_property(cx, key);
                    } else if let Some((_, ty)) = &s.additional {
                        cx.push_entry(key);
                        self.check_type(cx, item, ty);
                        cx.pop();
                    }
                }
            }
            TypeKind::StringEnum(variants) => match value {
                Value::String(s) if variants.iter().any(|v| v.value == *s) => {}
                Value::String(_) => {
                    let allowed: Vec<Value> = variants.iter().map(|v| Value::from(v.value.clone())).collect();
                    check::enumeration(cx, value, &allowed);
                }
                _ => check::wrong_type(cx, "string"),
            },
            TypeKind::IntegerEnum(variants) => match value {
                Value::Number(n) if variants.iter().any(|v| Num::from_json(n) == Num::Int(v.value.into())) => {}
                Value::Number(_) => {
                    let allowed: Vec<Value> = variants.iter().map(|v| Value::from(v.value)).collect();
                    check::enumeration(cx, value, &allowed);
                }
                _ => check::wrong_type(cx, "integer"),
            },
            TypeKind::Union(variants) => {
                if let Some(property) = &def.discriminator {
                    let found = value.get(property).and_then(Value::as_str);
                    match variants.iter().find(|v| found.is_some_and(|f| v.tags.iter().any(|t| t == f))) {
                        Some(variant) => {
                            self.check_type(cx, value, &variant.ty);
                            self.check_rules(cx, value, &variant.rules, named(&variant.ty));
                        }
                        None if value.is_object() => {
                            let values: Vec<&str> =
                                variants.iter().flat_map(|v| v.tags.iter().map(String::as_str)).collect();
                            // The runtime's check takes the property's name for the life of the
                            // program, as generated code has it; this reports the same.
                            cx.push_entry(property);
                            let expected = values.join("`, `");
                            match found {
                                None => cx.error("discriminator", None, format!("the discriminator property is missing or not a string; expected one of `{expected}`")),
                                Some(found) => cx.error("discriminator", None, format!("`{found}` is not one of `{expected}`")),
                            }
                            cx.pop();
                        }
                        None => check::wrong_type(cx, "object"),
                    }
                    return self.check_rules(cx, value, &def.rules.object_level_without_alternatives(), None);
                }
                // Reading takes the first variant that fits; the rules (`oneOf` / `anyOf` over
                // every alternative) judge the value as a whole.
                if !variants.iter().any(|v| cx.probe(|cx| self.check_type(cx, value, &v.ty))) {
                    check::any_of(cx, false);
                }
            }
            TypeKind::Alias(target) => self.check_type(cx, value, target),
        }
        self.check_rules(cx, value, &def.rules, None);
    }

    /// Whether `ty` names a type whose schema says `nullable`.
    fn is_nullable(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Nullable(_) => true,
            TypeRef::Boxed(inner) => self.is_nullable(inner),
            TypeRef::Named(id) => {
                let def = self.model.type_def(*id);
                def.nullable || matches!(&def.kind, TypeKind::Alias(target) if self.is_nullable(target))
            }
            _ => false,
        }
    }

    /// Checks JSON Schema's keywords. `checked` is a type already checked at this value, so
    /// that a `$ref` to it is not checked twice.
    fn check_rules(&self, cx: &mut Context, value: &Value, rules: &Rules, checked: Option<TypeId>) {
        if let Some(id) = rules.reference.filter(|id| Some(*id) != checked) {
            self.check_def(cx, value, id);
        }
        if value.is_null() && rules.nullable {
            return;
        }
        if let Some(expected) = rules.types {
            check::json_type(cx, value, expected.as_str());
        }
        if let Value::String(s) = value {
            if let Some(limit) = rules.min_length {
                check::min_length(cx, s, limit);
            }
            if let Some(limit) = rules.max_length {
                check::max_length(cx, s, limit);
            }
            if let Some(pattern) = &rules.pattern {
                // The runtime's `Pattern` holds its source for the program's life, as generated
                // code's statics do; here the pattern comes from the spec at run time.
                check::pattern_of(cx, s, pattern);
            }
            if let Some(format) = rules.format {
                check::format(cx, s, format);
            }
        }
        if let Value::Number(n) = value {
            let n = Num::from_json(n);
            if let Some(bound) = &rules.minimum {
                check::minimum(cx, n, Num::from_json(&bound.value), bound.exclusive);
            }
            if let Some(bound) = &rules.maximum {
                check::maximum(cx, n, Num::from_json(&bound.value), bound.exclusive);
            }
            if let Some(divisor) = &rules.multiple_of {
                check::multiple_of(cx, n, Num::from_json(divisor));
            }
        }
        if let Value::Array(items) = value {
            if let Some(limit) = rules.min_items {
                check::min_items(cx, items.len(), limit);
            }
            if let Some(limit) = rules.max_items {
                check::max_items(cx, items.len(), limit);
            }
            if rules.unique_items {
                check::unique_values(cx, items);
            }
            if let Some(item_rules) = &rules.items {
                // After `prefixItems`, `items` concerns only the items past the prefix.
                for (i, item) in items.iter().enumerate().skip(rules.prefix_items.len()) {
                    cx.push_index(i);
                    self.check_rules(cx, item, item_rules, None);
                    cx.pop();
                }
            }
            self.check_array_2020_12(cx, items, rules);
        }
        if let Value::Object(object) = value {
            if let Some(limit) = rules.min_properties {
                check::min_properties(cx, object.len(), limit);
            }
            if let Some(limit) = rules.max_properties {
                check::max_properties(cx, object.len(), limit);
            }
            for name in rules.required.iter().filter(|name| !object.contains_key(*name)) {
                check::required(cx, name);
            }
            for (name, property_rules) in &rules.properties {
                if let Some(item) = object.get(name) {
                    cx.push_entry(name);
                    self.check_rules(cx, item, property_rules, None);
                    cx.pop();
                }
            }
            if rules.additional.is_set() {
                let known = |key: &str| {
                    rules.properties.iter().any(|(name, _)| name == key)
                        || rules.pattern_properties.iter().any(|(pattern, _)| check::matches_name_of(key, pattern))
                };
                for (key, item) in object.iter().filter(|(k, _)| !known(k)) {
                    match &rules.additional {
                        Additional::Any => {}
                        Additional::Refused => check::additional_property(cx, key),
                        Additional::Schema(additional_rules) => {
                            cx.push_entry(key);
                            self.check_rules(cx, item, additional_rules, None);
                            cx.pop();
                        }
                    }
                }
            }
            self.check_object_2020_12(cx, value, object, rules);
        }
        if let Some(allowed) = &rules.enumeration {
            check::enumeration(cx, value, allowed);
        }
        if let Some(conditional) = &rules.conditional {
            // The condition's own violations are not the value's.
            let branch = if cx.probe(|cx| self.check_rules(cx, value, &conditional.condition, None)) {
                &conditional.then
            } else {
                &conditional.otherwise
            };
            if let Some(branch) = branch {
                self.check_rules(cx, value, branch, None);
            }
        }
        for sub in &rules.all_of {
            self.check_rules(cx, value, sub, None);
        }
        if !rules.any_of.is_empty() {
            let matched = rules.any_of.iter().any(|sub| cx.probe(|cx| self.check_rules(cx, value, sub, None)));
            check::any_of(cx, matched);
        }
        if !rules.one_of.is_empty() {
            let matches =
                rules.one_of.iter().filter(|sub| cx.probe(|cx| self.check_rules(cx, value, sub, None))).count();
            check::one_of(cx, matches);
        }
        if let Some(sub) = &rules.not {
            let matched = cx.probe(|cx| self.check_rules(cx, value, sub, None));
            check::not(cx, matched);
        }
    }
}

impl Interpreter<'_> {
    /// `prefixItems`, `contains` and `unevaluatedItems`.
    fn check_array_2020_12(&self, cx: &mut Context, items: &[Value], rules: &Rules) {
        for (i, (item, position)) in items.iter().zip(&rules.prefix_items).enumerate() {
            cx.push_index(i);
            self.check_rules(cx, item, position, None);
            cx.pop();
        }
        if let Some(contains) = &rules.contains {
            let matches =
                items.iter().filter(|item| cx.probe(|cx| self.check_rules(cx, item, &contains.rules, None))).count();
            check::contains(cx, matches, contains.min, contains.max);
        }
        if let Some(unevaluated) = &rules.unevaluated_items {
            match &unevaluated.rules {
                None if items.len() > unevaluated.evaluated => {
                    check::unevaluated_items(cx, items.len(), unevaluated.evaluated)
                }
                None => {}
                Some(rest) => {
                    for (i, item) in items.iter().enumerate().skip(unevaluated.evaluated) {
                        cx.push_index(i);
                        self.check_rules(cx, item, rest, None);
                        cx.pop();
                    }
                }
            }
        }
    }

    /// `dependentRequired`, `dependentSchemas`, `patternProperties`, `propertyNames` and
    /// `unevaluatedProperties`.
    fn check_object_2020_12(
        &self,
        cx: &mut Context,
        value: &Value,
        object: &serde_json::Map<String, Value>,
        rules: &Rules,
    ) {
        for (name, required) in rules.dependent_required.iter().filter(|(name, _)| object.contains_key(name)) {
            for missing in required.iter().filter(|m| !object.contains_key(*m)) {
                check::dependent_required(cx, name, missing);
            }
        }
        for (_, dependent) in rules.dependent_schemas.iter().filter(|(name, _)| object.contains_key(name)) {
            self.check_rules(cx, value, dependent, None);
        }
        for (pattern, property) in &rules.pattern_properties {
            if property.is_empty() {
                continue;
            }
            for (key, item) in object {
                if check::name_matches_of(cx, key, pattern) {
                    cx.push_entry(key);
                    self.check_rules(cx, item, property, None);
                    cx.pop();
                }
            }
        }
        if let Some(names) = &rules.property_names {
            for key in object.keys() {
                let name = Value::String(key.clone());
                if !cx.probe(|cx| self.check_rules(cx, &name, names, None)) {
                    check::property_name(cx, key);
                }
            }
        }
        if let Some(unevaluated) = &rules.unevaluated_properties {
            let evaluated = |key: &str| {
                unevaluated.names.iter().any(|n| n == key)
                    || unevaluated.patterns.iter().any(|p| check::matches_name_of(key, p))
            };
            for (key, item) in object.iter().filter(|(k, _)| !evaluated(k)) {
                match &unevaluated.rules {
                    None => check::unevaluated_property(cx, key),
                    Some(rest) => {
                        cx.push_entry(key);
                        self.check_rules(cx, item, rest, None);
                        cx.pop();
                    }
                }
            }
        }
    }
}

trait WithoutAlternatives {
    fn object_level_without_alternatives(&self) -> Rules;
}

impl WithoutAlternatives for Rules {
    /// A tagged union's rules less its `oneOf` / `anyOf`: the discriminator has decided which
    /// alternative judges the value.
    fn object_level_without_alternatives(&self) -> Rules {
        Rules { any_of: Vec::new(), one_of: Vec::new(), ..self.clone() }
    }
}

fn named(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => named(inner),
        _ => None,
    }
}

/// The check of a value read into a primitive Rust type: the JSON type it needs, the range of
/// the integer type, and the exact forms `chrono` and `uuid` are read in.
fn check_primitive(cx: &mut Context, value: &Value, primitive: Primitive) {
    let integer_range = |min: i128, max: i128| match value {
        Value::Number(n) => matches!(Num::from_json(n), Num::Int(i) if (min..=max).contains(&i)),
        _ => false,
    };
    let ok = match primitive {
        Primitive::String => value.is_string(),
        Primitive::Bool => value.is_boolean(),
        Primitive::I32 => integer_range(i32::MIN.into(), i32::MAX.into()),
        Primitive::I64 => integer_range(i64::MIN.into(), i64::MAX.into()),
        Primitive::U32 => integer_range(0, u32::MAX.into()),
        Primitive::U64 => integer_range(0, u64::MAX.into()),
        Primitive::F32 | Primitive::F64 | Primitive::Decimal => value.is_number(),
        Primitive::Date | Primitive::DateTime | Primitive::Uuid => {
            let Value::String(s) = value else { return check::wrong_type(cx, "string") };
            let format = match primitive {
                Primitive::Date => Format::Date,
                Primitive::DateTime => Format::DateTime,
                _ => Format::Uuid,
            };
            return check::format(cx, s, format);
        }
        Primitive::Binary => value.is_string(),
        Primitive::Value => true,
    };
    if !ok {
        check::wrong_type(cx, primitive_json_type(primitive));
    }
}

fn primitive_json_type(primitive: Primitive) -> &'static str {
    match primitive {
        Primitive::Bool => "boolean",
        Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64 => "integer",
        Primitive::F32 | Primitive::F64 | Primitive::Decimal => "number",
        Primitive::String
        | Primitive::Date
        | Primitive::DateTime
        | Primitive::Uuid
        | Primitive::Binary
        | Primitive::Value => "string",
    }
}

/// The JSON type a field's values have, for the message when it is `null`.
fn json_type_of(model: &ApiModel, ty: &TypeRef) -> &'static str {
    match ty {
        TypeRef::Primitive(p) => primitive_json_type(*p),
        TypeRef::Vec(_) => "array",
        TypeRef::Map(_) => "object",
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => json_type_of(model, inner),
        TypeRef::Named(id) => match &model.type_def(*id).kind {
            TypeKind::Struct(_) => "object",
            TypeKind::StringEnum(_) => "string",
            TypeKind::IntegerEnum(_) => "integer",
            TypeKind::Alias(target) => json_type_of(model, target),
            TypeKind::Union(_) => "object",
        },
    }
}

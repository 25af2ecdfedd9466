//! A flattened view of an OpenAPI 3.0 schema for the payload generator: `$ref`s followed,
//! `allOf` members merged, and `anyOf` / `oneOf` / `not` split into alternatives that shape the
//! value (`CustomFieldValue`'s money | number | date | text) and conditionals that only
//! constrain it (Pelcro's "one of email, old_provider_id, display_name").

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{Map, Number, Value};

#[derive(Debug, Clone, Copy)]
pub enum Additional {
    /// `additionalProperties` absent or `true`.
    Open,
    /// `additionalProperties: false`.
    Closed,
    Schema(&'static Value),
}

#[derive(Debug, Clone)]
pub struct Eff {
    /// Declared types; empty means any.
    pub types: Vec<&'static str>,
    pub nullable: bool,
    pub properties: Vec<(&'static str, &'static Value)>,
    pub required: Vec<&'static str>,
    pub additional: Additional,
    pub enumeration: Option<&'static [Value]>,
    pub format: Option<&'static str>,
    pub pattern: Option<&'static str>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<&'static Number>,
    pub maximum: Option<&'static Number>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub items: Option<&'static Value>,
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    /// Members of an `anyOf` / `oneOf` that shape the value.
    pub alternatives: Vec<&'static Value>,
    /// `anyOf` / `oneOf` / `not` that only constrain the value.
    pub conditionals: Vec<&'static Value>,
    /// Property names the conditionals mention.
    pub conditional_names: Vec<&'static str>,
    /// The JSON types a value may have here, alternatives included; `None` for any.
    pub allowed: Option<Vec<&'static str>>,
}

impl Default for Eff {
    fn default() -> Self {
        Eff {
            types: Vec::new(),
            nullable: false,
            properties: Vec::new(),
            required: Vec::new(),
            additional: Additional::Open,
            enumeration: None,
            format: None,
            pattern: None,
            min_length: None,
            max_length: None,
            minimum: None,
            maximum: None,
            exclusive_minimum: false,
            exclusive_maximum: false,
            items: None,
            min_items: None,
            max_items: None,
            alternatives: Vec::new(),
            conditionals: Vec::new(),
            conditional_names: Vec::new(),
            allowed: None,
        }
    }
}

impl Eff {
    pub fn property(&self, name: &str) -> Option<&'static Value> {
        self.properties.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
    }

    /// The JSON types a value may have here (`integer` implies `number` values too, but a
    /// wrong-type mutation only needs to avoid what is listed).
    pub fn allowed_types(&self) -> Option<&[&'static str]> {
        self.allowed.as_deref()
    }
}

fn shapes(member: &Value) -> bool {
    member
        .as_object()
        .is_some_and(|m| ["type", "$ref", "properties", "items", "allOf", "enum"].iter().any(|k| m.contains_key(*k)))
}

fn mentioned_names(schema: &'static Value, out: &mut Vec<&'static str>) {
    let Value::Object(map) = schema else { return };
    if let Some(Value::Array(required)) = map.get("required") {
        for name in required.iter().filter_map(Value::as_str) {
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    if let Some(Value::Object(props)) = map.get("properties") {
        for name in props.keys() {
            if !out.contains(&name.as_str()) {
                out.push(name.as_str());
            }
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        for member in map.get(key).and_then(Value::as_array).into_iter().flatten() {
            mentioned_names(member, out);
        }
    }
    if let Some(not) = map.get("not") {
        mentioned_names(not, out);
    }
}

/// The component schemas of one spec, and a cache of flattened views keyed by address.
pub struct Schemas {
    pub components: &'static Map<String, Value>,
    cache: RefCell<HashMap<usize, Rc<Eff>>>,
}

impl Schemas {
    pub fn new(components: &'static Map<String, Value>) -> Self {
        Schemas { components, cache: RefCell::new(HashMap::new()) }
    }

    /// Follows `$ref`s to the schema they name.
    pub fn resolve(&self, mut schema: &'static Value) -> &'static Value {
        for _ in 0..64 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(r) => {
                    let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("non-local $ref {r}"));
                    schema = self.components.get(name).unwrap_or_else(|| panic!("dangling $ref {r}"));
                }
                None => return schema,
            }
        }
        panic!("$ref cycle")
    }

    pub fn named(&self, name: &str) -> &'static Value {
        self.components.get(name).unwrap_or_else(|| panic!("no schema {name}"))
    }

    pub fn eff(&self, schema: &'static Value) -> Rc<Eff> {
        let key = schema as *const Value as usize;
        if let Some(found) = self.cache.borrow().get(&key) {
            return found.clone();
        }
        let mut eff = Eff::default();
        self.merge(schema, &mut eff, 0);
        if eff.types.is_empty()
            && (!eff.properties.is_empty() || !eff.required.is_empty())
            && eff.alternatives.is_empty()
        {
            eff.types.push("object");
        }
        eff.allowed = if eff.alternatives.is_empty() {
            (!eff.types.is_empty()).then(|| eff.types.clone())
        } else {
            let mut all = Some(Vec::new());
            for alt in &eff.alternatives {
                match (self.eff(alt).allowed_types(), all.as_mut()) {
                    (Some(types), Some(all)) => all.extend_from_slice(types),
                    _ => all = None,
                }
            }
            all
        };
        let eff = Rc::new(eff);
        self.cache.borrow_mut().insert(key, eff.clone());
        eff
    }

    fn merge(&self, schema: &'static Value, eff: &mut Eff, depth: usize) {
        assert!(depth < 32, "allOf nesting too deep");
        let schema = self.resolve(schema);
        let Some(map) = schema.as_object() else { return };
        for member in map.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.merge(member, eff, depth + 1);
        }
        if let Some(t) = map.get("type").and_then(Value::as_str) {
            if !eff.types.contains(&t) {
                eff.types.push(t);
            }
        }
        if map.get("nullable") == Some(&Value::Bool(true)) {
            eff.nullable = true;
        }
        if let Some(Value::Object(props)) = map.get("properties") {
            for (name, s) in props {
                if !eff.properties.iter().any(|(n, _)| n == name) {
                    eff.properties.push((name.as_str(), s));
                }
            }
        }
        if let Some(Value::Array(required)) = map.get("required") {
            for name in required.iter().filter_map(Value::as_str) {
                if !eff.required.contains(&name) {
                    eff.required.push(name);
                }
            }
        }
        match map.get("additionalProperties") {
            Some(Value::Bool(false)) => eff.additional = Additional::Closed,
            Some(s @ Value::Object(_)) => eff.additional = Additional::Schema(s),
            _ => {}
        }
        if let Some(Value::Array(values)) = map.get("enum") {
            eff.enumeration = Some(values.as_slice());
        }
        if let Some(f) = map.get("format").and_then(Value::as_str) {
            eff.format = Some(f);
        }
        if let Some(p) = map.get("pattern").and_then(Value::as_str) {
            eff.pattern = Some(p);
        }
        let int = |k: &str| map.get(k).and_then(Value::as_u64);
        eff.min_length = int("minLength").or(eff.min_length);
        eff.max_length = int("maxLength").or(eff.max_length);
        eff.min_items = int("minItems").or(eff.min_items);
        eff.max_items = int("maxItems").or(eff.max_items);
        if let Some(Value::Number(n)) = map.get("minimum") {
            eff.minimum = Some(n);
        }
        if let Some(Value::Number(n)) = map.get("maximum") {
            eff.maximum = Some(n);
        }
        if map.get("exclusiveMinimum") == Some(&Value::Bool(true)) {
            eff.exclusive_minimum = true;
        }
        if map.get("exclusiveMaximum") == Some(&Value::Bool(true)) {
            eff.exclusive_maximum = true;
        }
        if let Some(items) = map.get("items") {
            eff.items = Some(items);
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(members)) = map.get(key) {
                if members.iter().any(shapes) {
                    eff.alternatives.extend(members.iter());
                } else {
                    eff.conditionals.push(schema);
                    for member in members {
                        mentioned_names(member, &mut eff.conditional_names);
                    }
                }
            }
        }
        if let Some(not) = map.get("not") {
            eff.conditionals.push(schema);
            mentioned_names(not, &mut eff.conditional_names);
        }
    }
}

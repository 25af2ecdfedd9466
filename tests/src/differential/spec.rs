//! The specs as JSON values, the body schemas they name, and the reference: each body schema
//! converted from OpenAPI 3.0 to a JSON Schema (Draft 2020-12) document for `jsonschema`.

use std::path::PathBuf;

use serde_json::{json, Map, Value};

/// The five APIs, in the order the harness runs them, and the fixture of patterns with
/// look-around and backreferences (`tests/fixtures/patterns.yaml`), which none of them has.
pub const APIS: [&str; 6] = ["pelcro", "revnue", "simplepin", "revcent", "jtl", "patterns"];

/// The draft the reference validates with, and why, printed at the top of a run.
pub const REFERENCE: &str = "jsonschema 0.33, Draft 2020-12, format validation on";

/// What the conversion does beyond the brief's list, printed at the top of a run so that the
/// reference's semantics are never implicit.
pub const CONVERSION_NOTES: &[&str] = &[
    "$ref siblings are dropped (OpenAPI 3.0: a Reference Object's other keys are ignored)",
    "nullable: true -> type [t, \"null\"] (and null added to an enum); boolean exclusiveMinimum/Maximum -> numeric",
    "xml, example, x-*, readOnly, writeOnly, discriminator, deprecated, externalDocs dropped",
    "type integer + format int32/int64 -> minimum/maximum of that signed range (OpenAPI 3.0 Data Types: \
     int32 is 'signed 32 bits'); jsonschema does not know these formats",
    "unknown formats (password, binary, unix-time, decimal, int32, int64) are ignored, as JSON Schema says",
];

/// A spec loaded as a JSON value, leaked so that schemas can be borrowed for the whole run.
pub struct Spec {
    pub api: &'static str,
    pub doc: &'static Value,
    pub components: &'static Map<String, Value>,
}

pub fn spec_path(api: &str) -> PathBuf {
    if api == "patterns" {
        return PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join("patterns.yaml");
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("specs").join(format!("{api}.yaml"))
}

pub fn load(api: &'static str) -> Spec {
    let path = spec_path(api);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let doc: Value = serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{} is not YAML: {e}", path.display()));
    let doc: &'static Value = Box::leak(Box::new(doc));
    let components = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .unwrap_or_else(|| panic!("{} has no components/schemas", path.display()));
    Spec { api, doc, components }
}

impl Spec {
    /// The named component schemas used as request or response bodies, in document order,
    /// each once.
    pub fn body_schemas(&self) -> Vec<String> {
        let mut names = Vec::new();
        let mut visit = |content: &Value| {
            if let Some(content) = content.as_object() {
                for media in content.values() {
                    if let Some(name) = media
                        .pointer("/schema/$ref")
                        .and_then(Value::as_str)
                        .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    {
                        if !names.iter().any(|n| n == name) {
                            names.push(name.to_owned());
                        }
                    }
                }
            }
        };
        let paths = self.doc.get("paths").and_then(Value::as_object).into_iter().flatten();
        for (_, item) in paths {
            for (_, op) in item.as_object().into_iter().flatten() {
                if let Some(content) = op.pointer("/requestBody/content") {
                    visit(content);
                }
                for (_, response) in op.get("responses").and_then(Value::as_object).into_iter().flatten() {
                    if let Some(content) = response.get("content") {
                        visit(content);
                    }
                }
            }
        }
        names
    }

    /// The reference document for one component schema: the schema itself at the root, every
    /// component under `$defs`.
    pub fn reference_document(&self, name: &str) -> Value {
        let schema = self.components.get(name).unwrap_or_else(|| panic!("{}: no schema {name}", self.api));
        let mut root = match convert(schema) {
            Value::Object(map) => map,
            other => {
                let mut map = Map::new();
                map.insert("allOf".into(), json!([other]));
                map
            }
        };
        let defs: Map<String, Value> = self.components.iter().map(|(k, v)| (k.clone(), convert(v))).collect();
        root.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
        root.insert("$defs".into(), Value::Object(defs));
        Value::Object(root)
    }

    /// The compiled reference validator for one component schema.
    pub fn reference_validator(&self, name: &str) -> jsonschema::Validator {
        let document = self.reference_document(name);
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .should_validate_formats(true)
            .build(&document)
            .unwrap_or_else(|e| panic!("{}: reference schema for {name} does not compile: {e}", self.api))
    }
}

/// OpenAPI 3.0 Schema Object -> JSON Schema 2020-12.
pub fn convert(schema: &Value) -> Value {
    let Value::Object(map) = schema else { return schema.clone() };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        let target = match reference.strip_prefix("#/components/schemas/") {
            Some(name) => format!("#/$defs/{name}"),
            None => reference.to_owned(),
        };
        return json!({ "$ref": target });
    }
    let mut out = Map::new();
    for (key, value) in map {
        match key.as_str() {
            "xml" | "example" | "readOnly" | "writeOnly" | "discriminator" | "deprecated" | "externalDocs"
            | "nullable" | "exclusiveMinimum" | "exclusiveMaximum" => {}
            k if k.starts_with("x-") => {}
            "properties" => {
                let props: Map<String, Value> =
                    value.as_object().into_iter().flatten().map(|(name, s)| (name.clone(), convert(s))).collect();
                out.insert(key.clone(), Value::Object(props));
            }
            "items" | "additionalProperties" | "not" => {
                out.insert(key.clone(), convert(value));
            }
            "allOf" | "anyOf" | "oneOf" => {
                let members: Vec<Value> = value.as_array().into_iter().flatten().map(convert).collect();
                out.insert(key.clone(), Value::Array(members));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    for (flag, bound, exclusive) in
        [("exclusiveMinimum", "minimum", "exclusiveMinimum"), ("exclusiveMaximum", "maximum", "exclusiveMaximum")]
    {
        match map.get(flag) {
            Some(Value::Bool(true)) => {
                if let Some(limit) = out.remove(bound) {
                    out.insert(exclusive.into(), limit);
                }
            }
            // Already numeric (not OpenAPI 3.0, but harmless): keep it.
            Some(n @ Value::Number(_)) => {
                out.insert(exclusive.into(), n.clone());
            }
            _ => {}
        }
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        if let Some(t) = out.get("type").cloned() {
            let mut types = match t {
                Value::Array(a) => a,
                other => vec![other],
            };
            if !types.contains(&json!("null")) {
                types.push(json!("null"));
            }
            out.insert("type".into(), Value::Array(types));
        }
        if let Some(Value::Array(values)) = out.get_mut("enum") {
            if !values.contains(&Value::Null) {
                values.push(Value::Null);
            }
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("integer") {
        let range = match map.get("format").and_then(Value::as_str) {
            Some("int32") => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
            Some("int64") => Some((i64::MIN, i64::MAX)),
            _ => None,
        };
        if let Some((min, max)) = range {
            let bound = json!({ "minimum": min, "maximum": max });
            match out.get_mut("allOf") {
                Some(Value::Array(members)) => members.push(bound),
                _ => {
                    out.insert("allOf".into(), json!([bound]));
                }
            }
        }
    }
    Value::Object(out)
}

//! Which test-suite schemas are OpenAPI 3.0 Schema Objects, and their translation into
//! `#/components/schemas` entries.
//!
//! A group is applicable when its schema uses only what an OpenAPI 3.0 Schema Object has.
//! Rewrites are made only where they keep the meaning exactly, and each is recorded:
//! `definitions` are hoisted into components of their own and `$ref`s to them (or to the root,
//! `#`) become component references; a `$ref` into the inside of a schema becomes a pointer
//! into its component; `items: {}` is added beside `type: array` (OpenAPI 3.0 requires
//! `items` there, and `{}` is what its absence means); the annotations `$comment` and a root
//! `$schema` are dropped, as is a root `id` when every `$ref` is a plain `#/...` pointer
//! (which a base URI does not affect).

use serde_json::{Map, Value};

/// An applicable group's schema, as components of the spec.
#[derive(Debug, Clone)]
pub struct Translated {
    /// The component that is the group's schema.
    pub root_key: String,
    /// Every component of the group (the root first, then hoisted `definitions`).
    pub components: Vec<(String, Value)>,
    /// Each rewrite made, in words.
    pub adaptations: Vec<String>,
}

/// The JSON Schema types that OpenAPI 3.0's `type` has.
const OAS_TYPES: &[&str] = &["string", "number", "integer", "boolean", "object", "array"];

/// Keywords of an OpenAPI 3.0 Schema Object kept as they are (subschema keywords are walked
/// separately).
const PLAIN_KEYWORDS: &[&str] = &[
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
    "description",
    "format",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
];

/// Translates a group's schema, or says why it is not an OpenAPI 3.0 Schema Object.
pub fn translate(schema: &Value, root_key: &str) -> Result<Translated, String> {
    let Value::Object(root) = schema else {
        return Err(format!("the schema is `{schema}`, not an object (boolean schemas are not OpenAPI 3.0)"));
    };
    let mut cx = Cx {
        root_key: root_key.to_owned(),
        hoisted: Vec::new(),
        reasons: Vec::new(),
        adaptations: Vec::new(),
        refs: Vec::new(),
    };

    // Base-URI changes: an `id` anywhere but the root changes how `$ref`s resolve, which
    // OpenAPI 3.0 cannot say; a root `id` changes nothing for `#/...` pointers.
    let mut ids = Vec::new();
    let mut refs = Vec::new();
    scan(schema, &mut Vec::new(), &mut ids, &mut refs);
    let nested_ids: Vec<&Vec<String>> = ids.iter().filter(|p| !p.is_empty()).collect();
    if !nested_ids.is_empty() {
        cx.reason("`id` in a subschema (a base-URI change; OpenAPI 3.0 has no `id`)".to_owned());
    } else if ids.iter().any(Vec::is_empty) {
        if refs.iter().all(|r| r == "#" || r.starts_with("#/")) {
            cx.adaptations.push(
                "the root `id` is dropped: every `$ref` is a `#/...` pointer, which a base URI does not affect"
                    .to_owned(),
            );
        } else {
            cx.reason("a root `id` that `$ref`s resolve against (OpenAPI 3.0 has no `id`)".to_owned());
        }
    }
    if let Some(s) = root.get("$schema") {
        cx.adaptations.push(format!("the root `$schema` ({s}) is dropped"));
    }

    // Hoist `definitions` (at any depth) into components, so `$ref`s can reach them.
    cx.hoisted.push((Vec::new(), root_key.to_owned()));
    hoist(schema, &mut Vec::new(), &mut cx);
    if cx.hoisted.len() > 1 {
        cx.adaptations.push(format!(
            "`definitions` hoisted into components {}",
            cx.hoisted[1..]
                .iter()
                .map(|(p, k)| format!("`{k}` (`#{}`)", pointer_text(p)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }

    let mut components = Vec::new();
    for (pointer, key) in cx.hoisted.clone() {
        let value = lookup(schema, &pointer).expect("hoisted pointers come from the schema");
        let translated = translate_schema(value, &pointer, true, &mut cx);
        components.push((key, translated));
    }

    // Every rewritten `$ref` must land on a schema of the translated components.
    for (key, rest, original) in cx.refs.clone() {
        let component = components.iter().find(|(k, _)| *k == key).map(|(_, v)| v);
        let target = component.and_then(|c| lookup(c, &rest));
        if !matches!(target, Some(Value::Object(_))) {
            cx.reason(format!("`$ref: {original}` does not point at a schema"));
        }
    }

    if cx.reasons.is_empty() {
        Ok(Translated { root_key: root_key.to_owned(), components, adaptations: cx.adaptations })
    } else {
        let mut reasons = cx.reasons;
        reasons.dedup();
        Err(reasons.join("; "))
    }
}

struct Cx {
    root_key: String,
    /// Schemas that become components: their pointer in the original schema, their key.
    hoisted: Vec<(Vec<String>, String)>,
    reasons: Vec<String>,
    adaptations: Vec<String>,
    /// Rewritten references: component key, pointer inside it, the original `$ref`.
    refs: Vec<(String, Vec<String>, String)>,
}

impl Cx {
    fn reason(&mut self, reason: String) {
        if !self.reasons.contains(&reason) {
            self.reasons.push(reason);
        }
    }

    fn adapt(&mut self, adaptation: String) {
        if !self.adaptations.contains(&adaptation) {
            self.adaptations.push(adaptation);
        }
    }
}

/// The subschemas of a schema object, with the pointer tokens that lead to them.
fn children(map: &Map<String, Value>) -> Vec<(Vec<String>, &Value)> {
    let mut out = Vec::new();
    for (key, value) in map {
        match (key.as_str(), value) {
            ("properties" | "patternProperties" | "definitions" | "dependencies", Value::Object(members)) => {
                for (name, member) in members {
                    if member.is_object() {
                        out.push((vec![key.clone(), name.clone()], member));
                    }
                }
            }
            ("allOf" | "anyOf" | "oneOf" | "items", Value::Array(members)) => {
                for (i, member) in members.iter().enumerate() {
                    out.push((vec![key.clone(), i.to_string()], member));
                }
            }
            ("not" | "items" | "additionalProperties" | "additionalItems", Value::Object(_)) => {
                out.push((vec![key.clone()], value));
            }
            _ => {}
        }
    }
    out
}

/// Collects the pointers of every `id` and every `$ref` string.
fn scan(schema: &Value, at: &mut Vec<String>, ids: &mut Vec<Vec<String>>, refs: &mut Vec<String>) {
    let Value::Object(map) = schema else { return };
    if map.contains_key("id") {
        ids.push(at.clone());
    }
    if let Some(Value::String(r)) = map.get("$ref") {
        refs.push(r.clone());
    }
    for (tokens, child) in children(map) {
        let len = at.len();
        at.extend(tokens);
        scan(child, at, ids, refs);
        at.truncate(len);
    }
}

fn hoist(schema: &Value, at: &mut Vec<String>, cx: &mut Cx) {
    let Value::Object(map) = schema else { return };
    for (tokens, child) in children(map) {
        let len = at.len();
        at.extend(tokens);
        if at.len() >= 2 && at[at.len() - 2] == "definitions" && child.is_object() {
            let key = format!("{}_def{}", cx.root_key, cx.hoisted.len() - 1);
            cx.hoisted.push((at.clone(), key));
        }
        hoist(child, at, cx);
        at.truncate(len);
    }
}

fn lookup<'v>(value: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    tokens.iter().try_fold(value, |v, t| match v {
        Value::Object(map) => map.get(t),
        Value::Array(items) => t.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

fn pointer_text(tokens: &[String]) -> String {
    tokens.iter().map(|t| format!("/{}", t.replace('~', "~0").replace('/', "~1"))).collect()
}

/// A JSON Pointer token inside a URI fragment: escaped, and percent-encoded beyond the
/// unreserved characters.
fn fragment_token(token: &str) -> String {
    let escaped = token.replace('~', "~0").replace('/', "~1");
    let mut out = String::new();
    for byte in escaped.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(s.get(i + 1..i + 3)?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Rewrites a `$ref` of the original schema into a reference into the components.
fn rewrite_ref(reference: &str, cx: &mut Cx) -> Option<String> {
    if reference != "#" && !reference.starts_with("#/") {
        if reference.starts_with('#') {
            cx.reason(format!(
                "`$ref: {reference}` names a location-independent identifier (an `id`), which OpenAPI 3.0 lacks"
            ));
        } else {
            cx.reason(format!("remote `$ref: {reference}` (OpenAPI 3.0 references here resolve within the document)"));
        }
        return None;
    }
    let Some(decoded) = percent_decode(&reference[1..]) else {
        cx.reason(format!("`$ref: {reference}` is not a valid pointer"));
        return None;
    };
    let tokens: Vec<String> = if decoded.is_empty() {
        Vec::new()
    } else {
        decoded[1..].split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect()
    };
    let (prefix, key) = cx
        .hoisted
        .iter()
        .filter(|(p, _)| tokens.starts_with(p))
        .max_by_key(|(p, _)| p.len())
        .cloned()
        .expect("the root is hoisted, and prefixes every pointer");
    let rest = tokens[prefix.len()..].to_vec();
    cx.refs.push((key.clone(), rest.clone(), reference.to_owned()));
    let mut out = format!("#/components/schemas/{key}");
    for token in &rest {
        out.push('/');
        out.push_str(&fragment_token(token));
    }
    if rest.is_empty() && prefix.is_empty() {
        cx.adapt(format!("`$ref: {reference}` (the root) becomes a reference to the component itself"));
    } else if !rest.is_empty() {
        cx.adapt(format!("`$ref: {reference}` becomes `{out}`"));
    }
    Some(out)
}

/// Whether a `default` has the JSON type `type` names.
fn conforms(value: &Value, typ: &str) -> bool {
    match typ {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => true,
    }
}

fn translate_schema(schema: &Value, at: &[String], is_component: bool, cx: &mut Cx) -> Value {
    let Value::Object(map) = schema else {
        cx.reason(format!("a subschema at `#{}` is `{schema}`, not an object", pointer_text(at)));
        return schema.clone();
    };
    let child = |key: &str| -> Vec<String> {
        let mut p = at.to_vec();
        p.push(key.to_owned());
        p
    };
    let mut out = Map::new();
    for (key, value) in map {
        match key.as_str() {
            "$ref" => match value {
                Value::String(reference) => {
                    if let Some(rewritten) = rewrite_ref(reference, cx) {
                        out.insert(key.clone(), Value::String(rewritten));
                    }
                }
                _ => cx.reason("a `$ref` that is not a string".to_owned()),
            },
            "type" => match value {
                Value::String(t) if OAS_TYPES.contains(&t.as_str()) => {
                    out.insert(key.clone(), value.clone());
                }
                Value::String(t) if t == "null" => cx.reason(
                    "`type: null` (OpenAPI 3.0 has no null type, only `nullable` beside another type)".to_owned(),
                ),
                Value::Array(_) => {
                    cx.reason("`type` as an array of types (OpenAPI 3.0 has one type per schema)".to_owned())
                }
                _ => cx.reason(format!("`type: {value}` is not an OpenAPI 3.0 type")),
            },
            "properties" => match value {
                Value::Object(props) => {
                    let mut translated = Map::new();
                    for (name, prop) in props {
                        let mut p = child("properties");
                        p.push(name.clone());
                        translated.insert(name.clone(), translate_schema(prop, &p, false, cx));
                    }
                    out.insert(key.clone(), Value::Object(translated));
                }
                _ => cx.reason("`properties` that is not an object".to_owned()),
            },
            "additionalProperties" => match value {
                Value::Bool(_) => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {
                    let translated = translate_schema(value, &child(key), false, cx);
                    out.insert(key.clone(), translated);
                }
            },
            "items" => match value {
                Value::Object(_) => {
                    let translated = translate_schema(value, &child(key), false, cx);
                    out.insert(key.clone(), translated);
                }
                Value::Array(_) => cx.reason(
                    "`items` as an array of schemas (tuple validation; OpenAPI 3.0 `items` is one schema)".to_owned(),
                ),
                _ => cx.reason(format!("`items: {value}` is not a schema")),
            },
            "allOf" | "anyOf" | "oneOf" => match value {
                Value::Array(members) if !members.is_empty() => {
                    let translated = members
                        .iter()
                        .enumerate()
                        .map(|(i, m)| {
                            let mut p = child(key);
                            p.push(i.to_string());
                            translate_schema(m, &p, false, cx)
                        })
                        .collect();
                    out.insert(key.clone(), Value::Array(translated));
                }
                _ => cx.reason(format!("`{key}` that is not a non-empty array of schemas")),
            },
            "not" => {
                let translated = translate_schema(value, &child(key), false, cx);
                out.insert(key.clone(), translated);
            }
            // Hoisted into components of their own (see `hoist`).
            "definitions" => {}
            "$comment" => cx.adapt("`$comment` (an annotation) is dropped".to_owned()),
            "$schema" if at.is_empty() && is_component => {}
            // Judged for the whole schema at once (see `translate`).
            "id" => {}
            "default" => {
                if let Some(Value::String(t)) = map.get("type") {
                    if !conforms(value, t) {
                        cx.reason(format!(
                            "`default: {value}` does not conform to `type: {t}` (OpenAPI 3.0 requires a default to conform to the schema's type)"
                        ));
                    }
                }
                out.insert(key.clone(), value.clone());
            }
            "patternProperties" | "dependencies" | "additionalItems" | "$schema" => {
                cx.reason(format!("`{key}` is not an OpenAPI 3.0 keyword"))
            }
            k if PLAIN_KEYWORDS.contains(&k) || k.starts_with("x-") => {
                out.insert(key.clone(), value.clone());
            }
            _ => cx.reason(format!("`{key}` is not an OpenAPI 3.0 keyword")),
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("array")
        && !map.contains_key("items")
        && !map.contains_key("$ref")
    {
        out.insert("items".to_owned(), Value::Object(Map::new()));
        cx.adapt(
            "`items: {}` added beside `type: array` (OpenAPI 3.0 requires `items`; `{}` is what its absence means)"
                .to_owned(),
        );
    }
    Value::Object(out)
}

/// The 2020-12 suite's schemas as OpenAPI 3.1 components: a 3.1 Schema Object is a JSON
/// Schema 2020-12 schema (in OpenAPI's dialect), so a schema is taken as it is, but for what
/// a component of one document cannot say. References within the schema (`#`, `#/$defs/a`,
/// `#/properties/b`) become references into its component; a root `$id` and `$schema` are
/// dropped where nothing resolves against them. Left out: base-URI changes (`$id` below the
/// root), anchors and dynamic references (`$anchor`, `$dynamicRef`, `$dynamicAnchor`),
/// `$vocabulary`, and references to other documents, none of which one OpenAPI document's
/// components can hold.
pub fn translate_2020_12(schema: &Value, root_key: &str) -> Result<Translated, String> {
    let mut cx = Cx {
        root_key: root_key.to_owned(),
        hoisted: Vec::new(),
        reasons: Vec::new(),
        adaptations: Vec::new(),
        refs: Vec::new(),
    };
    let mut refs = Vec::new();
    let mut ids = Vec::new();
    scan_2020_12(schema, &mut Vec::new(), &mut ids, &mut refs, &mut cx);
    if ids.iter().any(|p| !p.is_empty()) {
        cx.reason(
            "`$id` in a subschema (a base-URI change, which references within one OpenAPI document cannot follow)"
                .to_owned(),
        );
    } else if !ids.is_empty() {
        if refs.iter().all(|r| r == "#" || r.starts_with("#/")) {
            cx.adaptations.push(
                "the root `$id` is dropped: every `$ref` is a `#/...` pointer, which a base URI does not affect"
                    .to_owned(),
            );
        } else {
            cx.reason("a root `$id` that `$ref`s resolve against".to_owned());
        }
    }
    for reference in &refs {
        if let Some(keyword) = reference.strip_prefix("#/").and_then(data_keyword) {
            cx.reason(format!(
                "`$ref: {reference}` points into `{keyword}`, which holds no subschema OpenAPI 3.1 reads"
            ));
        }
        if reference != "#" && !reference.starts_with("#/") {
            if reference.starts_with('#') {
                cx.reason(format!(
                    "`$ref: {reference}` names an anchor, which one OpenAPI document's components cannot hold"
                ));
            } else {
                cx.reason(format!("`$ref: {reference}` refers to another document"));
            }
        }
    }
    let translated = rewrite_2020_12(schema, &mut Vec::new(), &mut cx);
    if cx.reasons.is_empty() {
        Ok(Translated {
            root_key: root_key.to_owned(),
            components: vec![(root_key.to_owned(), translated)],
            adaptations: cx.adaptations,
        })
    } else {
        Err(cx.reasons.join("; "))
    }
}

/// The meta-schemas whose keywords mean what OpenAPI 3.1's dialect says.
const DIALECTS_2020_12: &[&str] =
    &["https://json-schema.org/draft/2020-12/schema", "https://spec.openapis.org/oas/3.1/dialect/base"];

/// Keywords whose value is a map of subschemas, in 2020-12.
const MAPS_2020_12: &[&str] = &["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"];
/// Keywords whose value is a list of subschemas.
const LISTS_2020_12: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];
/// Keywords whose value is one subschema.
const ONE_2020_12: &[&str] = &[
    "items",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "additionalProperties",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
];
/// Keywords a component cannot carry, with why.
const UNSUPPORTED_2020_12: &[(&str, &str)] = &[
    ("$anchor", "an anchor, which one OpenAPI document's components cannot hold"),
    ("$dynamicAnchor", "dynamic references, which apigen does not resolve"),
    ("$dynamicRef", "dynamic references, which apigen does not resolve"),
    ("$recursiveRef", "a draft 2019-09 recursive reference"),
    ("$vocabulary", "a meta-schema's vocabularies, which describe a dialect, not values"),
];

/// The first keyword on a pointer's way (`examples/0`, `$defs/a/foo/0`) that is not one whose
/// value is (or holds) subschemas, if any: what it points at is data, not a schema.
fn data_keyword(pointer: &str) -> Option<String> {
    let mut tokens = pointer.split('/').map(|t| t.replace("~1", "/").replace("~0", "~"));
    while let Some(keyword) = tokens.next() {
        if MAPS_2020_12.contains(&keyword.as_str()) || LISTS_2020_12.contains(&keyword.as_str()) {
            // The member's name or index.
            tokens.next()?;
        } else if !ONE_2020_12.contains(&keyword.as_str()) {
            return Some(keyword);
        }
    }
    None
}

/// Each subschema of a 2020-12 schema object, with the pointer tokens that lead to it.
fn children_2020_12(map: &Map<String, Value>) -> Vec<(Vec<String>, &Value)> {
    let mut out = Vec::new();
    for (key, value) in map {
        match value {
            Value::Object(members) if MAPS_2020_12.contains(&key.as_str()) => {
                out.extend(members.iter().map(|(name, member)| (vec![key.clone(), name.clone()], member)));
            }
            Value::Array(members) if LISTS_2020_12.contains(&key.as_str()) => {
                out.extend(members.iter().enumerate().map(|(i, member)| (vec![key.clone(), i.to_string()], member)));
            }
            _ if ONE_2020_12.contains(&key.as_str()) => out.push((vec![key.clone()], value)),
            _ => {}
        }
    }
    out
}

fn scan_2020_12(schema: &Value, at: &mut Vec<String>, ids: &mut Vec<Vec<String>>, refs: &mut Vec<String>, cx: &mut Cx) {
    let Value::Object(map) = schema else { return };
    if map.contains_key("$id") {
        ids.push(at.clone());
    }
    if !at.is_empty() && map.contains_key("$schema") {
        cx.reason("`$schema` in a subschema (a change of dialect within the schema)".to_owned());
    }
    for (keyword, why) in UNSUPPORTED_2020_12 {
        if map.contains_key(*keyword) {
            cx.reason(format!("`{keyword}`: {why}"));
        }
    }
    if let Some(Value::String(r)) = map.get("$ref") {
        refs.push(r.clone());
    }
    for (tokens, child) in children_2020_12(map) {
        let len = at.len();
        at.extend(tokens);
        scan_2020_12(child, at, ids, refs, cx);
        at.truncate(len);
    }
}

fn rewrite_2020_12(schema: &Value, at: &mut Vec<String>, cx: &mut Cx) -> Value {
    // Boolean schemas stay: OpenAPI 3.1 has them, and load reads them.
    let Value::Object(map) = schema else { return schema.clone() };
    let mut out = Map::new();
    for (key, value) in map {
        match key.as_str() {
            "$ref" => {
                let Value::String(reference) = value else {
                    cx.reason("a `$ref` that is not a string".to_owned());
                    continue;
                };
                if reference == "#" || reference.starts_with("#/") {
                    let rewritten = format!("#/components/schemas/{}{}", cx.root_key, &reference[1..]);
                    if reference == "#" {
                        cx.adapt("`$ref: #` (the root) becomes a reference to the component itself".to_owned());
                    } else {
                        cx.adapt(format!("`$ref: {reference}` becomes `{rewritten}`"));
                    }
                    out.insert(key.clone(), Value::String(rewritten));
                }
            }
            "$schema"
                if at.is_empty()
                    && !DIALECTS_2020_12.contains(&value.as_str().unwrap_or_default().trim_end_matches('#')) =>
            {
                cx.reason(format!(
                    "`$schema: {value}`, a meta-schema of its own, whose vocabularies change what the keywords mean"
                ));
            }
            "$id" | "$schema" if at.is_empty() => {
                cx.adapt(format!("the root `{key}` ({value}) is dropped"));
            }
            "$comment" => cx.adapt("`$comment` (an annotation) is dropped".to_owned()),
            _ => {
                let rewritten = match value {
                    Value::Object(members) if MAPS_2020_12.contains(&key.as_str()) => Value::Object(
                        members
                            .iter()
                            .map(|(name, member)| {
                                at.extend([key.clone(), name.clone()]);
                                let member = rewrite_2020_12(member, at, cx);
                                at.truncate(at.len() - 2);
                                (name.clone(), member)
                            })
                            .collect(),
                    ),
                    Value::Array(members) if LISTS_2020_12.contains(&key.as_str()) => Value::Array(
                        members
                            .iter()
                            .enumerate()
                            .map(|(i, member)| {
                                at.extend([key.clone(), i.to_string()]);
                                let member = rewrite_2020_12(member, at, cx);
                                at.truncate(at.len() - 2);
                                member
                            })
                            .collect(),
                    ),
                    _ if ONE_2020_12.contains(&key.as_str()) => {
                        at.push(key.clone());
                        let member = rewrite_2020_12(value, at, cx);
                        at.pop();
                        member
                    }
                    _ => value.clone(),
                };
                out.insert(key.clone(), rewritten);
            }
        }
    }
    Value::Object(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn definitions_and_root_refs_become_components() {
        let t = translate(
            &json!({"definitions": {"a": {"type": "integer"}}, "properties": {"x": {"$ref": "#/definitions/a"}, "y": {"$ref": "#"}}}),
            "C",
        )
        .unwrap();
        assert_eq!(
            t.components[0].1,
            json!({"properties": {"x": {"$ref": "#/components/schemas/C_def0"}, "y": {"$ref": "#/components/schemas/C"}}})
        );
        assert_eq!(t.components[1], ("C_def0".to_owned(), json!({"type": "integer"})));
    }

    #[test]
    fn what_oas_lacks_is_left_out() {
        assert!(translate(&json!({"type": ["string", "null"]}), "C").is_err());
        assert!(translate(&json!({"items": [{}]}), "C").is_err());
        assert!(translate(&json!({"$ref": "http://example.com/x.json"}), "C").is_err());
        assert!(translate(&json!({"properties": {"a": {"type": "null"}}}), "C").is_err());
    }
}

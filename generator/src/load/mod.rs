//! Load: spec text in, a checked OpenAPI 3.0 document out, whatever version was written.
//!
//! The text (YAML or JSON) is first read into a plain JSON value, so every later phase can
//! follow a JSON Pointer anywhere in the document, including `$ref`s into arrays
//! (`#/components/schemas/X/allOf/0`) that `openapiv3` alone cannot follow. Then, one step per
//! module: references to other files are bundled into the document (`bundle.rs`, through the
//! caller's [`Resolver`]: the library reads no files), and a Swagger 2.0 (`swagger2.rs`) or
//! OpenAPI 3.1 / 3.2 (`oas31.rs`) document is rewritten as the OpenAPI 3.0 document that says
//! the same, so that `lower` reads one form only. Each step records where it moved nodes
//! ([`pointers`]), and every diagnostic, here and in later phases, points into the file as
//! written. What a version says that 3.0 cannot is a warning at its own pointer.
//!
//! The whole document is then checked, before any code is generated: shape (through
//! `openapiv3`, with the path of the first mismatch), dangling `$ref`s, and duplicate
//! operation ids. Every problem found is reported, not just the first.

mod bundle;
mod oas31;
pub mod pointers;
mod swagger2;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::diag::{pointer_join, Diagnostic, Diagnostics, Severity};
pub use pointers::Origins;

/// A spec as read from disk (or anywhere else): a name for messages, and its text.
#[derive(Debug, Clone)]
pub struct SpecSource {
    /// How to name the spec in messages, usually its path (`specs/pelcro.yaml`). Relative
    /// references to other files are resolved against it.
    pub name: String,
    pub text: String,
}

/// Reads a file that a spec refers to (`$ref: './common.yaml#/Error'`): given its location
/// (the reference's path joined to the referring file's name, `specs/pets/common.yaml`, or an
/// `http(s)` URL as written), its text, or why it cannot be read.
pub type Resolver<'a> = dyn Fn(&str) -> Result<String, String> + 'a;

/// A loaded and checked document, as OpenAPI 3.0.
#[derive(Debug, Clone)]
pub struct Spec {
    pub name: String,
    /// The normalised document as plain JSON, for following pointers.
    pub raw: Value,
    pub openapi: openapiv3::OpenAPI,
    /// Where each node of [`Spec::raw`] was in the files as written.
    pub origins: Origins,
    /// Operations under methods `openapiv3` has no field for: OpenAPI 3.2's `query` and
    /// `additionalOperations`, in the document's order.
    pub more_operations: Vec<MoreOperation>,
    /// What loading had to say that is no error: what the version as written says that the
    /// generator does not express, each at its pointer in the file as written.
    pub warnings: Vec<Diagnostic>,
}

impl Spec {
    /// Where a pointer into the normalised document is in the files as written.
    pub fn original_pointer(&self, pointer: &str) -> String {
        self.origins.original(pointer)
    }
}

/// An operation under a method that `openapiv3`'s Path Item has no field for.
#[derive(Debug, Clone)]
pub struct MoreOperation {
    /// The path, as a key of `paths`.
    pub path: String,
    /// The method, lower-case (`query`, `copy`).
    pub method: String,
    /// JSON Pointer of the operation (`#/paths/~1pets/query`, or
    /// `#/paths/~1pets/additionalOperations/COPY`).
    pub pointer: String,
    pub operation: openapiv3::Operation,
}

/// Why a spec could not be loaded: every problem found, each with its JSON Pointer.
#[derive(Debug, Clone)]
pub struct LoadError {
    pub file: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: {d}", self.file)?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// The versions read, each normalised to OpenAPI 3.0 by its own module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    Swagger2,
    Oas30,
    /// 3.1 and 3.2: JSON Schema 2020-12 schemas.
    Oas31,
}

/// Reads and checks a spec that refers to no other file (a reference to one is an error that
/// says so). See [`load_with`].
pub fn load(source: &SpecSource) -> Result<Spec, LoadError> {
    load_with(source, &|location: &str| {
        Err(format!("no resolver was given to read `{location}` (the spec refers to other files)"))
    })
}

/// Reads and checks a spec, reading the files it refers to through `resolve`.
pub fn load_with(source: &SpecSource, resolve: &Resolver<'_>) -> Result<Spec, LoadError> {
    let fail = |diagnostics: Vec<Diagnostic>| LoadError { file: source.name.clone(), diagnostics };
    let mut raw = parse_text(&source.text).map_err(|d| fail(vec![d]))?;

    let mut diags = Diagnostics::default();
    let Some(version) = check_version(&raw, &mut diags) else {
        return Err(fail(diags.into_vec()));
    };
    let mut origins = Origins::default();
    // A reference bundling could not follow stays as written, and is reported once, by it.
    origins.push(bundle::bundle(&mut raw, &source.name, version == Version::Swagger2, resolve, &mut diags));
    match version {
        Version::Swagger2 => raw = swagger2::to_oas30(&raw, &mut origins, &mut diags),
        Version::Oas31 => oas31::to_oas30(&mut raw, &mut origins, &mut diags),
        Version::Oas30 => oas31::keywords_in_oas30(&raw, &mut diags),
    }
    // The steps above report at pointers of the files as written; the checks below at
    // pointers of the normalised document, translated back when they are reported.
    let early = diags.into_vec();
    let mut diags = Diagnostics::default();
    check_refs(&raw, "#", &raw, false, &mut diags);
    find_schemas(&raw, "#", false, &mut diags);
    check_operations(&raw, &mut diags);

    let finish = |diags: Diagnostics| {
        let mut all = early.clone();
        all.extend(relocate(diags.into_vec(), &origins));
        all
    };
    // A failed load also reports what lowering would have found in the schemas.
    let finish_failed = |diags: Diagnostics| {
        let mut all = early.clone();
        all.extend(relocate(diags.into_vec_with_deferred(), &origins));
        all
    };
    if diags.has_errors() {
        return Err(fail(finish_failed(diags)));
    }
    // Tracking the path costs as much again as reading: it is done only to report a failure.
    let openapi = match <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&raw)
        .or_else(|_| serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw))
    {
        Ok(openapi) => Some(openapi),
        Err(err) => {
            let pointer = path_to_pointer(err.path());
            diags.error(pointer, format!("not a valid OpenAPI document: {}", err.inner()));
            None
        }
    };
    let more_operations = more_operations(&raw, &mut diags);
    if let Some(openapi) = &openapi {
        check_operation_ids(openapi, &more_operations, &mut diags);
    }
    let failed = diags.has_errors() || early.iter().any(|d| d.severity == Severity::Error);
    let (Some(openapi), false) = (openapi, failed) else {
        return Err(fail(finish_failed(diags)));
    };
    // Warnings are reported by `generate`, with those of the later phases.
    let warnings = finish(diags);
    Ok(Spec { name: source.name.clone(), raw, openapi, origins, more_operations, warnings })
}

/// Points each diagnostic into the files as written.
pub(crate) fn relocate(diagnostics: Vec<Diagnostic>, origins: &Origins) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = Vec::with_capacity(diagnostics.len());
    for mut d in diagnostics {
        d.pointer = origins.original(&d.pointer);
        if !out.contains(&d) {
            out.push(d);
        }
    }
    out
}

/// Parses YAML or JSON (JSON is YAML, but a JSON parser gives better positions for it).
pub(crate) fn parse_text(text: &str) -> Result<Value, Diagnostic> {
    // A byte-order mark is not JSON, but editors on Windows write one.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let syntax = |message: String| Diagnostic { severity: Severity::Error, pointer: "#".into(), message };
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| syntax(format!("invalid JSON: {e}")));
    }
    serde_yaml::from_str::<Json>(text).map(|j| j.0).map_err(|e| syntax(format!("invalid YAML: {e}")))
}

/// A JSON value read from YAML. Scalar keys become strings, since YAML writes status codes as
/// integer keys (`200:`) where JSON has `"200"`; integers beyond 64 bits (OpenAI's `minimum:
/// -9223372036854776000`) are read as the nearest float, as a JSON reader would, where
/// `serde_yaml::Value` refuses them; a tag (`!foo value`) is its value.
struct Json(Value);

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor).map(Json)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::from(i))
    }
    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::from(u))
    }
    fn visit_i128<E: serde::de::Error>(self, i: i128) -> Result<Value, E> {
        self.visit_f64(i as f64)
    }
    fn visit_u128<E: serde::de::Error>(self, u: u128) -> Result<Value, E> {
        self.visit_f64(u as f64)
    }
    fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(f)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a non-finite number cannot be represented in JSON"))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Json(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(Json(key)) = map.next_key()? {
            let key = match key {
                Value::String(s) => s,
                Value::Null => "null".to_owned(),
                Value::Bool(_) | Value::Number(_) => key.to_string(),
                Value::Array(_) | Value::Object(_) => {
                    return Err(serde::de::Error::custom(
                        "a mapping key that is not a scalar cannot be represented in JSON",
                    ))
                }
            };
            let Json(value) = map.next_value()?;
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("duplicate key `{key}`")));
            }
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use serde::de::VariantAccess;
        let (_tag, variant) = data.variant::<serde::de::IgnoredAny>()?;
        variant.newtype_variant::<Json>().map(|j| j.0)
    }
}

fn check_version(raw: &Value, diags: &mut Diagnostics) -> Option<Version> {
    match (raw.get("openapi"), raw.get("swagger")) {
        (Some(Value::String(v)), _) if v.starts_with("3.0.") => Some(Version::Oas30),
        (Some(Value::String(v)), _) if v.starts_with("3.1.") || v.starts_with("3.2.") => Some(Version::Oas31),
        (Some(Value::String(v)), _) => {
            diags.error(
                "#/openapi",
                format!("OpenAPI version {v} is not supported; this generator reads 3.0, 3.1 and 3.2, and Swagger 2.0"),
            );
            None
        }
        (None, Some(Value::String(v))) if v == "2.0" => Some(Version::Swagger2),
        (None, Some(v)) => {
            diags.error("#/swagger", format!("Swagger version {} is not supported; this generator reads Swagger 2.0, and OpenAPI 3.0, 3.1 and 3.2", json_type(v)));
            None
        }
        (Some(v), _) => {
            diags.error(
                "#/openapi",
                format!("`openapi` must be a version string such as `3.1.0`, found {}", json_type(v)),
            );
            None
        }
        (None, None) => {
            diags.error("#", "missing the `openapi` (or `swagger`) version field; is this an OpenAPI document?");
            None
        }
    }
}

/// Keys whose values are data, not schema or document structure: a `$ref` key inside them is
/// an ordinary property of the example, not a reference.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

/// Whether the value under `key`, in the node at `pointer` (which is not a map of names),
/// is data. `#/components/examples` holds Example objects, which may be references, and whose
/// `value` (`dataValue`, `serializedValue` in 3.2) is data; everywhere else `examples` is data.
pub(crate) fn is_data(pointer: &str, key: &str) -> bool {
    if matches!(key, "value" | "dataValue" | "serializedValue") && pointer.rsplit('/').nth(1) == Some("examples") {
        return true;
    }
    is_data_key(key) && !(key == "examples" && pointer == "#/components")
}

/// Maps whose keys are names chosen by the spec's author (a property called `default` or
/// `example` is a schema, not data), not keywords.
pub(crate) fn holds_names(key: &str) -> bool {
    matches!(
        key,
        "properties"
            | "schemas"
            | "responses"
            | "parameters"
            | "requestBodies"
            | "headers"
            | "securitySchemes"
            | "links"
            | "callbacks"
            | "content"
            | "encoding"
            | "variables"
            | "paths"
            | "definitions"
            | "securityDefinitions"
            | "$defs"
            | "patternProperties"
            | "dependentSchemas"
            | "webhooks"
            | "pathItems"
            | "additionalOperations"
    )
}

/// Calls `f` with the pointer of the object holding each `$ref` string found in structure
/// (not data) under `node`, and the reference.
pub(crate) fn for_each_ref(node: &Value, pointer: &str, keys_are_names: bool, f: &mut impl FnMut(&str, &str)) {
    match node {
        Value::Object(map) => {
            if let (false, Some(Value::String(target))) = (keys_are_names, map.get("$ref")) {
                f(pointer, target);
            }
            for (key, value) in map {
                if keys_are_names || !is_data(pointer, key) {
                    let names = !keys_are_names && holds_names(key);
                    for_each_ref(value, &pointer_join(pointer, key), names, f);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                for_each_ref(item, &pointer_join(pointer, &i.to_string()), false, f);
            }
        }
        _ => {}
    }
}

/// The node at a `#/...` pointer, to change it.
pub(crate) fn pointer_mut<'a>(root: &'a mut Value, pointer: &str) -> Option<&'a mut Value> {
    root.pointer_mut(pointer.strip_prefix('#')?)
}

/// Reports every `$ref` that is external or does not resolve, with the pointer of the `$ref`.
/// `keys_are_names` is set for the maps of [`holds_names`], whose keys are never data keys.
fn check_refs(node: &Value, pointer: &str, root: &Value, keys_are_names: bool, diags: &mut Diagnostics) {
    match node {
        Value::Object(map) => {
            if let (false, Some(Value::String(target))) = (keys_are_names, map.get("$ref")) {
                let at = pointer_join(pointer, "$ref");
                // References to other files were bundled, or reported, before.
                if target.starts_with('#') && resolve_pointer(root, target).is_none() {
                    let hint =
                        nearest_pointer(root, target).map(|p| format!("; did you mean `{p}`?")).unwrap_or_default();
                    diags.error(at, format!("reference `{target}` does not resolve to anything in the document{hint}"));
                }
            }
            for (key, value) in map {
                if keys_are_names || !is_data(pointer, key) {
                    let names = !keys_are_names && holds_names(key);
                    check_refs(value, &pointer_join(pointer, key), root, names, diags);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                check_refs(item, &pointer_join(pointer, &i.to_string()), root, false, diags);
            }
        }
        _ => {}
    }
}

/// Finds every schema in the document (under `components/schemas` and behind every `schema`
/// key) and checks the JSON types of its keywords.
fn find_schemas(node: &Value, pointer: &str, keys_are_names: bool, diags: &mut Diagnostics) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let here = pointer_join(pointer, key);
                if !keys_are_names && (key == "schema" || pointer == "#/components/schemas") {
                    check_schema(value, &here, diags);
                } else if pointer == "#/components" && key == "schemas" {
                    find_schemas(value, &here, false, diags);
                } else if keys_are_names || !is_data(pointer, key) {
                    find_schemas(value, &here, !keys_are_names && holds_names(key), diags);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find_schemas(item, &pointer_join(pointer, &i.to_string()), false, diags);
            }
        }
        _ => {}
    }
}

/// Checks that each keyword of a Schema Object has the JSON type OpenAPI 3.0 gives it, and
/// recurses into subschemas. `openapiv3` would stop at the first mismatch and, inside a schema,
/// lose the path to it; this reports every one, each at its own pointer.
///
/// It must catch everything `openapiv3` refuses inside a schema: `openapiv3` reads each
/// subschema twice when it fails (once as a schema, once more for its error message), so a
/// mismatch nested `n` schemas deep costs `2^n` reads, and 25 levels of `allOf` take hours.
fn check_schema(schema: &Value, pointer: &str, diags: &mut Diagnostics) {
    let Value::Object(map) = schema else {
        diags.error(pointer, format!("a schema must be an object, found {}", json_type(schema)));
        return;
    };
    // A Reference Object: its siblings are ignored. (A `$ref` that is not a string is not a
    // reference: it is reported below, and the rest is read as a schema.)
    if map.get("$ref").is_some_and(Value::is_string) {
        return;
    }
    for (key, value) in map {
        let here = pointer_join(pointer, key);
        let expected = match key.as_str() {
            "title" | "description" | "pattern" | "format" | "$ref" => "string",
            "type" => "string",
            "multipleOf" | "maximum" | "minimum" => "number",
            "maxLength" | "minLength" | "maxItems" | "minItems" | "maxProperties" | "minProperties" => {
                "non-negative integer"
            }
            "exclusiveMaximum" | "exclusiveMinimum" | "uniqueItems" | "nullable" | "readOnly" | "writeOnly"
            | "deprecated" => "boolean",
            "required" => "array of strings",
            "enum" => "array",
            "allOf" | "oneOf" | "anyOf" => "array of schemas",
            "not" | "items" => "schema",
            "properties" => "map of schemas",
            "additionalProperties" => "boolean or schema",
            "discriminator" | "externalDocs" => "object",
            _ => continue,
        };
        if let ("type", Value::String(typ)) = (key.as_str(), value) {
            if let Some(message) = unknown_type(typ) {
                diags.deferred_error(&here, message);
            }
        }
        let fits = match expected {
            "string" => value.is_string(),
            "number" => value.is_number(),
            "non-negative integer" => value.is_u64(),
            "boolean" => value.is_boolean(),
            "array of strings" => value.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
            "array" | "array of schemas" => value.is_array(),
            "schema" | "map of schemas" | "object" => value.is_object(),
            _ => value.is_boolean() || value.is_object(),
        };
        if !fits {
            let hint = match (key.as_str(), value) {
                ("exclusiveMinimum" | "exclusiveMaximum", Value::Number(_)) => {
                    " (a number here is OpenAPI 3.1 / JSON Schema draft 6 style; in 3.0 it is a boolean beside `minimum`/`maximum`)"
                }
                ("type", Value::Array(_)) => " (a list of types is OpenAPI 3.1 style; 3.0 uses one type and `nullable`)",
                _ => "",
            };
            let article = if expected.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            diags.error(&here, format!("`{key}` must be {article} {expected}, found {}{hint}", json_type(value)));
            continue;
        }
        match (key.as_str(), value) {
            ("allOf" | "oneOf" | "anyOf", Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    check_schema(item, &pointer_join(&here, &i.to_string()), diags);
                }
            }
            ("not" | "items", _) | ("additionalProperties", Value::Object(_)) => check_schema(value, &here, diags),
            ("properties", Value::Object(props)) => {
                for (name, prop) in props {
                    check_schema(prop, &pointer_join(&here, name), diags);
                }
            }
            ("discriminator", Value::Object(fields)) => {
                check_field(fields, &here, "propertyName", true, Value::is_string, "a string", diags);
                let strings = |v: &Value| v.as_object().is_some_and(|m| m.values().all(Value::is_string));
                check_field(fields, &here, "mapping", false, strings, "a map of strings", diags);
            }
            ("externalDocs", Value::Object(fields)) => {
                check_field(fields, &here, "url", true, Value::is_string, "a string", diags);
                check_field(fields, &here, "description", false, Value::is_string, "a string", diags);
            }
            _ => {}
        }
    }
}

/// The error for a `type` that is none of OpenAPI 3.0's (`type: strng`), if it is one.
/// Lowering reports it, and types the value as any JSON value; load reports it too when the
/// document fails to load for another reason.
pub(crate) fn unknown_type(typ: &str) -> Option<String> {
    const TYPES: &[&str] = &["array", "boolean", "integer", "number", "object", "string"];
    if TYPES.contains(&typ) {
        return None;
    }
    let then = match crate::naming::nearest(typ, TYPES.iter().copied()) {
        Some(near) => format!("; did you mean `{near}`? The value is typed as any JSON value"),
        None => "; the value is typed as any JSON value".to_owned(),
    };
    Some(format!("`type: {typ}` is not an OpenAPI 3.0 type (`array`, `boolean`, `integer`, `number`, `object` or `string`){then}"))
}

/// Checks one field of a small object inside a schema (a Discriminator or an External
/// Documentation Object), which `openapiv3` reads strictly.
fn check_field(
    fields: &serde_json::Map<String, Value>,
    pointer: &str,
    name: &str,
    required: bool,
    fits: impl Fn(&Value) -> bool,
    expected: &str,
    diags: &mut Diagnostics,
) {
    match fields.get(name) {
        Some(value) if !fits(value) => {
            diags.error(pointer_join(pointer, name), format!("`{name}` must be {expected}, found {}", json_type(value)))
        }
        None if required => diags.error(pointer, format!("missing `{name}`, which must be {expected}")),
        _ => {}
    }
}

fn json_type(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.len() <= 40 => format!("the string `{s}`"),
        Value::String(_) => "a string".to_owned(),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// Reads a value reached through a `$ref` as an `openapiv3` type: a Schema Object (`schema`) or
/// an object holding schemas (a Request Body Object), after the checks [`load`] makes on the
/// document's own schemas. `openapiv3` reads a failing subschema twice (once more for its error
/// message), so a mismatch nested `n` schemas deep in a value that [`load`] never checked (a
/// `$ref` into an `xml` object, say) would cost `2^n` reads. The error is the first problem the
/// checks find, with its pointer, or else `openapiv3`'s.
pub(crate) fn read_ref_target<T: serde::de::DeserializeOwned>(
    value: &Value,
    pointer: &str,
    schema: bool,
) -> Result<T, String> {
    let mut diags = Diagnostics::default();
    if schema {
        check_schema(value, pointer, &mut diags);
    } else {
        find_schemas(value, pointer, false, &mut diags);
    }
    if let Some(first) = diags.into_vec().into_iter().find(|d| d.severity == Severity::Error) {
        return Err(format!("{}: {}", first.pointer, first.message));
    }
    serde_json::from_value(value.clone()).map_err(|e| e.to_string())
}

/// Follows a `#/...` reference within the document. Handles `~0`/`~1` escapes and
/// percent-encoding in the fragment.
pub fn resolve_pointer<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    let fragment = reference.strip_prefix('#')?;
    let decoded = if fragment.contains('%') { Cow::Owned(percent_decode(fragment)?) } else { Cow::Borrowed(fragment) };
    // What `Value::pointer` does, without allocating for every token: lowering follows a
    // pointer for every schema it meets.
    if decoded.is_empty() {
        return Some(root);
    }
    let mut node = root;
    for token in decoded.strip_prefix('/')?.split('/') {
        let token = if token.contains('~') {
            Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(token)
        };
        node = match node {
            Value::Object(map) => map.get(token.as_ref())?,
            // As `Value::pointer` reads an index: no sign, no leading zero.
            Value::Array(items) if !token.starts_with('+') && (!token.starts_with('0') || token.len() == 1) => {
                items.get(token.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(node)
}

/// For a reference that does not resolve: the same pointer with its first token that names
/// nothing replaced by the nearest name there (`#/components/schemas/Custmer` ->
/// `#/components/schemas/Customer`), if one is near enough and the result resolves.
fn nearest_pointer(root: &Value, reference: &str) -> Option<String> {
    let tokens: Vec<&str> = reference.strip_prefix("#/")?.split('/').collect();
    for i in 0..tokens.len() {
        let parent = format!("#/{}", tokens[..i].join("/"));
        let parent = parent.trim_end_matches('/');
        let Some(Value::Object(map)) = resolve_pointer(root, parent) else { return None };
        let token = tokens[i].replace("~1", "/").replace("~0", "~");
        if map.contains_key(&token) {
            continue;
        }
        let near = crate::naming::nearest(&token, map.keys().map(String::as_str))?;
        let mut fixed = tokens.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
        fixed[i] = near.replace('~', "~0").replace('/', "~1");
        let fixed = format!("#/{}", fixed.join("/"));
        return resolve_pointer(root, &fixed).is_some().then_some(fixed);
    }
    None
}

pub(crate) fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Turns serde_path_to_error's path into a JSON Pointer.
fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = pointer_join(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = pointer_join(&pointer, key),
            Segment::Enum { variant } => pointer = pointer_join(&pointer, variant),
            Segment::Unknown => {}
        }
    }
    pointer
}

/// Reports an operation without `responses` at the operation: `openapiv3` would refuse the
/// whole path item, at the path.
fn check_operations(raw: &Value, diags: &mut Diagnostics) {
    const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let Some(Value::Object(paths)) = raw.get("paths") else { return };
    for (path, item) in paths {
        let Value::Object(item) = item else { continue };
        for method in METHODS {
            if let Some(Value::Object(operation)) = item.get(*method) {
                if !operation.contains_key("responses") {
                    diags.error(
                        pointer_join(&pointer_join("#/paths", path), method),
                        "missing `responses`: an operation must document at least one response (`responses: {'200': {description: OK}}`)",
                    );
                }
            }
        }
    }
}

/// OpenAPI 3.2's `query` operations and `additionalOperations`, read as `openapiv3`
/// operations. A method must be an HTTP token (RFC 9110), since it is sent as written.
fn more_operations(raw: &Value, diags: &mut Diagnostics) -> Vec<MoreOperation> {
    let mut more = Vec::new();
    let Some(Value::Object(paths)) = raw.get("paths") else { return more };
    for (path, item) in paths {
        let item_pointer = pointer_join("#/paths", path);
        let mut found: Vec<(String, String, &Value)> = Vec::new();
        if let Some(query) = item.get("query") {
            found.push(("query".to_owned(), pointer_join(&item_pointer, "query"), query));
        }
        if let Some(Value::Object(additional)) = item.get("additionalOperations") {
            for (method, operation) in additional {
                let pointer = pointer_join(&pointer_join(&item_pointer, "additionalOperations"), method);
                let token = !method.is_empty()
                    && method.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
                if !token {
                    diags.error(
                        &pointer,
                        format!(
                            "`{method}` is not an HTTP method name (a token of letters, digits and `!#$%&'*+-.^_`|~`)"
                        ),
                    );
                    continue;
                }
                found.push((method.to_ascii_lowercase(), pointer, operation));
            }
        }
        for (method, pointer, operation) in found {
            match serde_json::from_value::<openapiv3::Operation>(operation.clone()) {
                Ok(operation) => more.push(MoreOperation { path: path.clone(), method, pointer, operation }),
                Err(e) => diags.error(&pointer, format!("not a valid Operation Object: {e}")),
            }
        }
    }
    more
}

fn check_operation_ids(openapi: &openapiv3::OpenAPI, more: &[MoreOperation], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    let fixed = openapi
        .operations()
        .map(|(path, method, operation)| (pointer_join(&pointer_join("#/paths", path), method), operation));
    let more = more.iter().map(|m| (m.pointer.clone(), &m.operation));
    for (here, operation) in fixed.chain(more) {
        let Some(id) = operation.operation_id.as_deref() else { continue };
        if let Some(first) = seen.get(id) {
            diags.error(
                pointer_join(&here, "operationId"),
                format!("duplicate operationId `{id}`: also used at {first}"),
            );
        } else {
            seen.insert(id, here);
        }
    }
}

//! Load: spec text in, a checked document out.
//!
//! The text (YAML or JSON) is first read into a plain JSON value, so every later phase can
//! follow a JSON Pointer anywhere in the document, including `$ref`s into arrays
//! (`#/components/schemas/X/allOf/0`) that `openapiv3` alone cannot follow. The whole document
//! is checked here, before any code is generated: version, shape (through `openapiv3`, with the
//! path of the first mismatch), dangling or external `$ref`s, and duplicate operation ids.
//! Every problem found is reported, not just the first.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde_json::Value;

use crate::diag::{pointer_join, Diagnostic, Diagnostics, Severity};

/// A spec as read from disk (or anywhere else): a name for messages, and its text.
#[derive(Debug, Clone)]
pub struct SpecSource {
    /// How to name the spec in messages, usually its path (`specs/pelcro.yaml`).
    pub name: String,
    pub text: String,
}

/// A loaded and checked OpenAPI 3.0 document.
#[derive(Debug, Clone)]
pub struct Spec {
    pub name: String,
    /// The document as plain JSON, for following pointers.
    pub raw: Value,
    pub openapi: openapiv3::OpenAPI,
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

/// Reads and checks a spec.
pub fn load(source: &SpecSource) -> Result<Spec, LoadError> {
    let fail = |diagnostics: Vec<Diagnostic>| LoadError { file: source.name.clone(), diagnostics };
    let raw = parse_text(&source.text).map_err(|d| fail(vec![d]))?;

    let mut diags = Diagnostics::default();
    check_version(&raw, &mut diags);
    if diags.has_errors() {
        return Err(fail(diags.into_vec()));
    }
    check_refs(&raw, "#", &raw, false, &mut diags);
    find_schemas(&raw, "#", false, &mut diags);
    check_operations(&raw, &mut diags);

    if diags.has_errors() {
        return Err(fail(diags.into_vec()));
    }
    // Tracking the path costs as much again as reading: it is done only to report a failure.
    let openapi = match <openapiv3::OpenAPI as serde::Deserialize>::deserialize(&raw)
        .or_else(|_| serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw))
    {
        Ok(openapi) => Some(openapi),
        Err(err) => {
            let pointer = path_to_pointer(err.path());
            diags.error(pointer, format!("not a valid OpenAPI 3.0 document: {}", err.inner()));
            None
        }
    };
    if let Some(openapi) = &openapi {
        check_operation_ids(openapi, &mut diags);
    }
    match openapi {
        Some(openapi) if !diags.has_errors() => {
            Ok(Spec { name: source.name.clone(), raw, openapi })
        }
        _ => Err(fail(diags.into_vec())),
    }
}

/// Parses YAML or JSON (JSON is YAML, but a JSON parser gives better positions for it).
fn parse_text(text: &str) -> Result<Value, Diagnostic> {
    let syntax = |message: String| Diagnostic { severity: Severity::Error, pointer: "#".into(), message };
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text).map_err(|e| syntax(format!("invalid JSON: {e}")));
    }
    let yaml: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| syntax(format!("invalid YAML: {e}")))?;
    yaml_to_json(yaml, "#")
}

/// Converts YAML to JSON. Scalar keys become strings, since YAML writes status codes as
/// integer keys (`200:`) where JSON has `"200"`.
fn yaml_to_json(yaml: serde_yaml::Value, pointer: &str) -> Result<Value, Diagnostic> {
    use serde_yaml::Value as Y;
    let unsupported = |what: &str| Diagnostic {
        severity: Severity::Error,
        pointer: pointer.to_owned(),
        message: format!("{what} cannot be represented in JSON"),
    };
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f).map(Value::Number).ok_or_else(|| unsupported("a non-finite number"))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &pointer_join(pointer, &i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    _ => return Err(unsupported("a mapping key that is not a scalar")),
                };
                let value = yaml_to_json(value, &pointer_join(pointer, &key))?;
                out.insert(key, value);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

fn check_version(raw: &Value, diags: &mut Diagnostics) {
    match raw.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) => diags.error("#/openapi", format!("OpenAPI version {v} is not supported; this generator reads 3.0.x")),
        None if raw.get("swagger").is_some() => {
            diags.error("#/swagger", "Swagger 2.0 documents are not supported; convert the document to OpenAPI 3.0 first")
        }
        None => diags.error("#", "missing the `openapi` version field; is this an OpenAPI 3.0 document?"),
    }
}

/// Keys whose values are data, not schema or document structure: a `$ref` key inside them is
/// an ordinary property of the example, not a reference.
fn is_data_key(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum") || key.starts_with("x-")
}

/// Maps whose keys are names chosen by the spec's author (a property called `default` or
/// `example` is a schema, not data), not keywords.
fn holds_names(key: &str) -> bool {
    matches!(
        key,
        "properties" | "schemas" | "responses" | "parameters" | "requestBodies" | "headers"
            | "securitySchemes" | "links" | "callbacks" | "content" | "encoding" | "variables"
            | "paths"
    )
}

/// Reports every `$ref` that is external or does not resolve, with the pointer of the `$ref`.
/// `keys_are_names` is set for the maps of [`holds_names`], whose keys are never data keys.
fn check_refs(node: &Value, pointer: &str, root: &Value, keys_are_names: bool, diags: &mut Diagnostics) {
    match node {
        Value::Object(map) => {
            if let (false, Some(Value::String(target))) = (keys_are_names, map.get("$ref")) {
                let at = pointer_join(pointer, "$ref");
                if !target.starts_with('#') {
                    diags.error(at, format!("external reference `{target}` is not supported; only references within the document (`#/...`) are"));
                } else if resolve_pointer(root, target).is_none() {
                    let hint = nearest_pointer(root, target).map(|p| format!("; did you mean `{p}`?")).unwrap_or_default();
                    diags.error(at, format!("reference `{target}` does not resolve to anything in the document{hint}"));
                }
            }
            for (key, value) in map {
                // `#/components/examples` holds Example objects, which may be references;
                // everywhere else `examples` is data.
                let is_data = is_data_key(key) && !(key == "examples" && pointer == "#/components");
                if keys_are_names || !is_data {
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
                } else if keys_are_names || !is_data_key(key) {
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
pub(crate) fn read_ref_target<T: serde::de::DeserializeOwned>(value: &Value, pointer: &str, schema: bool) -> Result<T, String> {
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
        let token = if token.contains('~') { Cow::Owned(token.replace("~1", "/").replace("~0", "~")) } else { Cow::Borrowed(token) };
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

fn check_operation_ids(openapi: &openapiv3::OpenAPI, diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    for (path, method, operation) in openapi.operations() {
        let Some(id) = operation.operation_id.as_deref() else { continue };
        let here = pointer_join(&pointer_join("#/paths", path), method);
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

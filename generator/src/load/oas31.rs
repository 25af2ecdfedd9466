//! Load: an OpenAPI 3.1 or 3.2 document rewritten, in place, as the OpenAPI 3.0 document that
//! says the same.
//!
//! Two steps, each recording what it moved. The first moves whole nodes: `$defs` are hoisted
//! into `components/schemas` (references into them follow), path items referred to from
//! `components/pathItems` are copied where they are used, and each webhook's inline payload
//! schema becomes a component schema, so its type is generated (a client makes no method for
//! a webhook, and says so). The second rewrites every schema as 3.0 reads it: a `type` list
//! with `"null"` is one type and `nullable`, a `{type: "null"}` alternative is `nullable` on
//! the union, `const` a one-value `enum`, `examples` an `example`, a numeric
//! `exclusiveMinimum` a `minimum` that excludes, a `$ref` with keywords beside it an `allOf`
//! of the reference and the keywords (they apply in 3.1), `contentEncoding: base64` and
//! `contentMediaType` the formats `byte` and `binary`. JSON Schema 2020-12 keywords that have
//! no 3.0 form stay in the document for the rules (in a 3.0 document that uses them too, each
//! is a warning at its pointer).
//! 3.0's own `nullable` and boolean exclusive bounds, which many 3.1 documents still carry,
//! are read as their authors meant, with one warning that counts them.

use serde_json::{json, Map, Value};

use super::pointers::{Origins, PointerMap};
use super::{for_each_ref, holds_names, is_data, pointer_mut, resolve_pointer};
use crate::diag::{pointer_join, Diagnostics};

/// The dialect OpenAPI 3.1 and 3.2 schemas are in unless the document says otherwise.
const DIALECTS: [&str; 3] = [
    "https://spec.openapis.org/oas/3.1/dialect/base",
    "https://spec.openapis.org/oas/3.2/dialect/base",
    "https://json-schema.org/draft/2020-12/schema",
];

/// Keywords beside a `$ref` that describe rather than constrain: 3.0 ignores them beside a
/// reference, and so loses nothing a value must satisfy.
const ANNOTATIONS: [&str; 12] = [
    "description",
    "title",
    "summary",
    "$comment",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "default",
    "externalDocs",
    "$schema",
];

/// The methods of a Path Item Object (3.2's `query` among them).
const OPERATIONS: [&str; 9] = ["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"];

/// Keywords whose value is one subschema.
const ONE_SCHEMA: [&str; 9] =
    ["items", "additionalProperties", "not", "contains", "if", "then", "else", "propertyNames", "unevaluatedItems"];

/// JSON Schema 2020-12's applicators, which have no OpenAPI 3.0 form: they stay where the
/// document writes them, and lowering reads them into rules.
const KEYWORDS_2020_12: [&str; 13] = [
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

/// An OpenAPI 3.0 document that uses JSON Schema 2020-12's applicators (some do, as 3.1
/// would): each is a warning at its pointer, since 3.0 does not have it, and is checked as
/// 2020-12 defines it, as its author meant.
pub(super) fn keywords_in_oas30(doc: &Value, diags: &mut Diagnostics) {
    fn visit(schema: &Value, at: &str, diags: &mut Diagnostics) {
        let Value::Object(map) = schema else { return };
        for (key, value) in map {
            let here = pointer_join(at, key);
            if KEYWORDS_2020_12.contains(&key.as_str()) {
                diags.warning(&here, format!("`{key}` is JSON Schema 2020-12 (OpenAPI 3.1), not OpenAPI 3.0; it is checked as 2020-12 defines it"));
            }
            match (key.as_str(), value) {
                ("properties" | "patternProperties" | "dependentSchemas", Value::Object(schemas)) => {
                    for (name, schema) in schemas {
                        visit(schema, &pointer_join(&here, name), diags);
                    }
                }
                ("allOf" | "anyOf" | "oneOf" | "prefixItems", Value::Array(schemas)) => {
                    for (i, schema) in schemas.iter().enumerate() {
                        visit(schema, &pointer_join(&here, &i.to_string()), diags);
                    }
                }
                (key, schema) if ONE_SCHEMA.contains(&key) || key == "unevaluatedProperties" => {
                    visit(schema, &here, diags)
                }
                _ => {}
            }
        }
    }
    for root in schema_roots(doc) {
        if let Some(schema) = resolve_pointer(doc, &root) {
            visit(schema, &root, diags);
        }
    }
}

/// Rewrites a 3.1 or 3.2 document as 3.0; records what moved in `origins`.
pub(super) fn to_oas30(doc: &mut Value, origins: &mut Origins, diags: &mut Diagnostics) {
    let mut moves = PointerMap::default();
    document(doc, &mut moves, diags);
    path_items(doc, &mut moves);
    webhooks(doc, &mut moves, diags);
    item_schemas(doc, &mut moves, diags);
    hoist_defs(doc, &mut moves);
    origins.push(moves);

    // Reports of the second step are at pointers of the document after the first.
    let mut step =
        Schemas { map: PointerMap::default(), warnings: Vec::new(), nullable: Vec::new(), boolean_bounds: Vec::new() };
    for root in schema_roots(doc) {
        if let Some(schema) = pointer_mut(doc, &root) {
            step.schema(schema, &root);
        }
    }
    let Schemas { map, warnings, nullable, boolean_bounds } = step;
    let shown = |at: &str| {
        let mut later = origins.clone();
        later.push(map.clone());
        later.original(at)
    };
    for (at, message) in warnings {
        diags.warning(shown(&at), message);
    }
    if let Some(first) = nullable.first() {
        diags.warning(
            shown(first),
            format!(
                "`nullable` is OpenAPI 3.0, not 3.1 (which writes `type: [..., \"null\"]`); read as meant: null is allowed ({} in this document, the first here)",
                count(nullable.len(), "place")
            ),
        );
    }
    if let Some(first) = boolean_bounds.first() {
        diags.warning(
            shown(first),
            format!(
                "a boolean `exclusiveMinimum` / `exclusiveMaximum` is OpenAPI 3.0, not 3.1 (which writes the bound itself); read as meant: the bound beside it is excluded ({} in this document, the first here)",
                count(boolean_bounds.len(), "place")
            ),
        );
    }
    origins.push(map);
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The document's own fields: version, dialect, paths, security schemes 3.0 lacks.
fn document(doc: &mut Value, moves: &mut PointerMap, diags: &mut Diagnostics) {
    let Value::Object(map) = doc else { return };
    if let Some(Value::String(dialect)) = map.get("jsonSchemaDialect") {
        if !DIALECTS.contains(&dialect.trim_end_matches('#')) {
            diags.warning(
                "#/jsonSchemaDialect",
                format!("schemas are read as OpenAPI's JSON Schema 2020-12 dialect, not as `{dialect}`"),
            );
        }
    }
    map.insert("openapi".into(), json!("3.0.3"));
    // 3.1 documents may have webhooks or components only, and operations without responses:
    // with none documented, any status is the operation's `default`, with no body.
    let paths = map.entry("paths").or_insert_with(|| json!({}));
    if let Value::Object(paths) = paths {
        for (path, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let item_at = pointer_join("#/paths", path);
            if let Some(parameters) = item.get_mut("parameters") {
                querystring_parameters(parameters, &pointer_join(&item_at, "parameters"), moves, diags);
            }
            let mut operations: Vec<(String, &mut Value)> = Vec::new();
            let mut additional = None;
            for (method, operation) in item.iter_mut() {
                if OPERATIONS.contains(&method.as_str()) {
                    operations.push((pointer_join(&item_at, method), operation));
                } else if method == "additionalOperations" {
                    additional = Some(operation);
                }
            }
            if let Some(Value::Object(more)) = additional {
                let more_at = pointer_join(&item_at, "additionalOperations");
                operations.extend(more.iter_mut().map(|(m, op)| (pointer_join(&more_at, m), op)));
            }
            for (at, operation) in operations {
                let Value::Object(operation) = operation else { continue };
                if let Some(parameters) = operation.get_mut("parameters") {
                    querystring_parameters(parameters, &pointer_join(&at, "parameters"), moves, diags);
                }
                if !operation.contains_key("responses") {
                    operation.insert("responses".into(), json!({ "default": { "description": "" } }));
                    diags.warning(at, "the operation documents no responses: any status is read as its `default` response, with no body");
                }
            }
        }
    }
    if let Some(Value::Object(schemes)) = map.get_mut("components").and_then(|c| c.get_mut("securitySchemes")) {
        let mtls: Vec<String> = schemes
            .iter()
            .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(k, _)| k.clone())
            .collect();
        for key in mtls {
            schemes.shift_remove(&key);
            diags.warning(
                pointer_join("#/components/securitySchemes", &key),
                "a `mutualTLS` scheme is not set up by the client: give the client certificate to its HTTP client yourself",
            );
        }
    }
}

/// OpenAPI 3.2's `in: querystring` parameters (the whole query string as one value, serialised
/// as its `content` says): the client does not send them yet, so each is taken out of the
/// operation with a warning that says so, rather than failing the whole document.
fn querystring_parameters(parameters: &mut Value, at: &str, moves: &mut PointerMap, diags: &mut Diagnostics) {
    let Value::Array(list) = parameters else { return };
    let mut kept = Vec::new();
    for (index, parameter) in std::mem::take(list).into_iter().enumerate() {
        let here = pointer_join(at, &index.to_string());
        if parameter.get("in").and_then(Value::as_str) != Some("querystring") {
            // The parameters after a removed one move up: their pointers lead back.
            if kept.len() != index {
                moves.insert(pointer_join(at, &kept.len().to_string()), here);
            }
            kept.push(parameter);
            continue;
        }
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or_default();
        diags.warning(
            here,
            format!("`in: querystring` parameter `{name}` (the whole query string) is not sent by the client: build the query string yourself (a request hook can set it)"),
        );
    }
    *list = kept;
}

/// Path items (and webhooks) that refer to `components/pathItems`: the item copied in place,
/// with the keywords beside the reference over it.
fn path_items(doc: &mut Value, moves: &mut PointerMap) {
    for section in ["paths", "webhooks"] {
        let Some(Value::Object(items)) = doc.get(section) else { continue };
        let referring: Vec<(String, String)> = items
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.get("$ref")?.as_str()?.to_owned())))
            .filter(|(_, target)| target.starts_with("#/components/pathItems/"))
            .collect();
        for (key, target) in referring {
            let Some(Value::Object(item)) = resolve_pointer(doc, &target).cloned() else { continue };
            let at = pointer_join(&pointer_join("#", section), &key);
            if let Some(Value::Object(node)) = pointer_mut(doc, &at) {
                node.remove("$ref");
                for (k, v) in item {
                    node.entry(k).or_insert(v);
                }
            }
            moves.insert(at, target);
        }
    }
}

/// Each webhook's inline payload schemas become component schemas, so their types are made;
/// a client has no method for a webhook, which is said once per webhook.
fn webhooks(doc: &mut Value, moves: &mut PointerMap, diags: &mut Diagnostics) {
    let Some(Value::Object(hooks)) = doc.get("webhooks").cloned() else { return };
    for (name, item) in hooks {
        let Value::Object(item) = item else { continue };
        let at = pointer_join("#/webhooks", &name);
        diags.warning(
            &at,
            format!("webhook `{name}`: no client method is made (the API calls the receiver); its payload types are generated"),
        );
        for (method, operation) in &item {
            let op_at = pointer_join(&at, method);
            let stem = operation.get("operationId").and_then(Value::as_str).unwrap_or(&name).to_owned();
            let Some(body) = operation.get("requestBody") else { continue };
            let (body, body_at) = match body.get("$ref").and_then(Value::as_str) {
                Some(target) => match resolve_pointer(doc, target) {
                    Some(body) => (body.clone(), target.to_owned()),
                    None => continue,
                },
                None => (body.clone(), pointer_join(&op_at, "requestBody")),
            };
            let Some(Value::Object(content)) = body.get("content") else { continue };
            for (media_type, media) in content {
                let Some(schema) = media.get("schema") else { continue };
                if schema.get("$ref").is_some() {
                    continue;
                }
                let name = free_name(doc, &format!("{stem}Payload"));
                let from = pointer_join(&pointer_join(&pointer_join(&body_at, "content"), media_type), "schema");
                // The webhook may itself be a path item copied from `components/pathItems`.
                let from = moves.before(&from).unwrap_or(from);
                let now = pointer_join("#/components/schemas", &name);
                schemas_mut(doc).insert(name, schema.clone());
                moves.insert(now, from);
            }
        }
    }
}

/// OpenAPI 3.2's `itemSchema`, the schema of each item of a streamed body (server-sent
/// events, JSON Lines), becomes a component schema named after the operation (`StreamEventsItem`),
/// so its type is generated; the body itself is read as bytes, which is said.
fn item_schemas(doc: &mut Value, moves: &mut PointerMap, diags: &mut Diagnostics) {
    let mut found = Vec::new();
    let Some(Value::Object(paths)) = doc.get("paths") else { return };
    for (path, item) in paths {
        let Value::Object(item) = item else { continue };
        for (method, operation) in item.iter().filter(|(m, _)| OPERATIONS.contains(&m.as_str())) {
            let op_at = pointer_join(&pointer_join("#/paths", path), method);
            let stem = operation
                .get("operationId")
                .and_then(Value::as_str)
                .map_or_else(|| format!("{method} {path}"), str::to_owned);
            let mut bodies: Vec<(String, &Value)> = Vec::new();
            if let Some(body) = operation.get("requestBody") {
                bodies.push((pointer_join(&op_at, "requestBody"), body));
            }
            if let Some(Value::Object(responses)) = operation.get("responses") {
                for (code, response) in responses {
                    bodies.push((pointer_join(&pointer_join(&op_at, "responses"), code), response));
                }
            }
            for (body_at, body) in bodies {
                let Some(Value::Object(content)) = body.get("content") else { continue };
                for (media_type, media) in content {
                    if let Some(schema) = media.get("itemSchema") {
                        let at =
                            pointer_join(&pointer_join(&pointer_join(&body_at, "content"), media_type), "itemSchema");
                        found.push((stem.clone(), at, schema.clone()));
                    }
                }
            }
        }
    }
    for (stem, at, schema) in found {
        let name = match schema.get("$ref").and_then(Value::as_str) {
            Some(target) => target.rsplit('/').next().unwrap_or("").to_owned(),
            None => {
                let name = free_name(doc, &format!("{stem} item"));
                schemas_mut(doc).insert(name.clone(), schema);
                moves.insert(pointer_join("#/components/schemas", &name), &at);
                name
            }
        };
        diags.warning(
            &at,
            format!("each item of this stream is typed (`{}`), but the client reads the body as bytes: read the items with that type yourself", crate::naming::type_name(&name, "Schema")),
        );
    }
}

/// `$defs`, wherever they stand in a component schema (or at the document's root), hoisted
/// into `components/schemas`; references into them follow.
fn hoist_defs(doc: &mut Value, moves: &mut PointerMap) {
    // Defs inside hoisted defs are found on the next round.
    for _ in 0..64 {
        let mut found = Vec::new();
        if doc.get("$defs").is_some() {
            found.push("#/$defs".to_owned());
        }
        if let Some(Value::Object(schemas)) = doc.get("components").and_then(|c| c.get("schemas")) {
            for (name, schema) in schemas {
                find_defs(schema, &pointer_join("#/components/schemas", name), &mut found);
            }
        }
        if found.is_empty() {
            return;
        }
        let mut renamed: Vec<(String, String)> = Vec::new();
        for defs_at in found {
            let Some(Value::Object(defs)) = pointer_mut(doc, &defs_at).map(Value::take) else { continue };
            let parent = defs_at.trim_end_matches("/$defs").rsplit('/').next().unwrap_or("").to_owned();
            for (name, schema) in defs {
                let old = pointer_join(&defs_at, &name);
                let chosen = free_name(doc, &name);
                let chosen = if chosen == name || parent.is_empty() || parent == "#" {
                    chosen
                } else {
                    free_name(doc, &format!("{parent}_{name}"))
                };
                let now = pointer_join("#/components/schemas", &chosen);
                schemas_mut(doc).insert(chosen, schema);
                moves.insert(&now, &old);
                renamed.push((old, now));
            }
            // The emptied `$defs` goes.
            if let Some((parent_at, _)) = defs_at.rsplit_once('/') {
                if let Some(Value::Object(parent)) = pointer_mut(doc, parent_at) {
                    parent.remove("$defs");
                } else if parent_at == "#" {
                    if let Value::Object(root) = doc {
                        root.remove("$defs");
                    }
                }
            }
        }
        let mut rewrites = Vec::new();
        for_each_ref(doc, "#", false, &mut |at, target| {
            // A reference is a URI fragment (`#/$defs/percent%25field`); the pointers compared
            // are not encoded.
            let target = match target.contains('%') {
                true => super::percent_decode(target).unwrap_or_else(|| target.to_owned()),
                false => target.to_owned(),
            };
            for (old, now) in &renamed {
                if let Some(rest) = target.strip_prefix(old.as_str()) {
                    if rest.is_empty() || rest.starts_with('/') {
                        // Written back as a fragment: a `%` in a name is `%25` there.
                        rewrites.push((at.to_owned(), format!("{now}{rest}").replace('%', "%25")));
                    }
                }
            }
        });
        for (at, target) in rewrites {
            if let Some(Value::Object(node)) = pointer_mut(doc, &at) {
                node.insert("$ref".into(), Value::String(target));
            }
        }
    }
}

/// Pointers of the `$defs` maps in a schema and its subschemas.
fn find_defs(schema: &Value, at: &str, found: &mut Vec<String>) {
    let Value::Object(map) = schema else { return };
    for (key, value) in map {
        let here = pointer_join(at, key);
        match (key.as_str(), value) {
            ("$defs", Value::Object(_)) => found.push(here),
            ("properties" | "patternProperties" | "dependentSchemas", Value::Object(schemas)) => {
                for (name, schema) in schemas {
                    find_defs(schema, &pointer_join(&here, name), found);
                }
            }
            ("allOf" | "anyOf" | "oneOf" | "prefixItems", Value::Array(schemas)) => {
                for (i, schema) in schemas.iter().enumerate() {
                    find_defs(schema, &pointer_join(&here, &i.to_string()), found);
                }
            }
            (key, schema) if ONE_SCHEMA.contains(&key) || key == "unevaluatedProperties" => {
                find_defs(schema, &here, found)
            }
            _ => {}
        }
    }
}

/// `components/schemas`, made if missing.
fn schemas_mut(doc: &mut Value) -> &mut Map<String, Value> {
    let root = match doc {
        Value::Object(root) => root,
        other => {
            *other = json!({});
            let Value::Object(root) = other else { unreachable!("just made an object") };
            root
        }
    };
    let components = root.entry("components").or_insert_with(|| json!({}));
    if !components.is_object() {
        *components = json!({});
    }
    let schemas = components.as_object_mut().map(|c| c.entry("schemas").or_insert_with(|| json!({})));
    let Some(schemas) = schemas else { unreachable!("components is an object") };
    if !schemas.is_object() {
        *schemas = json!({});
    }
    match schemas {
        Value::Object(schemas) => schemas,
        _ => unreachable!("schemas is an object"),
    }
}

/// `name`, or `name2`, `name3`, ... whichever `components/schemas` does not have yet.
fn free_name(doc: &Value, name: &str) -> String {
    let taken = |n: &str| doc.get("components").and_then(|c| c.get("schemas")).and_then(|s| s.get(n)).is_some();
    if !taken(name) {
        return name.to_owned();
    }
    (2..).map(|i| format!("{name}{i}")).find(|n| !taken(n)).unwrap_or_else(|| name.to_owned())
}

/// Pointers of every schema that is not inside another: component schemas, and the value of
/// each `schema` (and 3.2's `itemSchema`) key in the document's structure.
fn schema_roots(doc: &Value) -> Vec<String> {
    let mut roots = Vec::new();
    find_roots(doc, "#", false, &mut roots);
    roots
}

fn find_roots(node: &Value, at: &str, keys_are_names: bool, roots: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                let here = pointer_join(at, key);
                if !keys_are_names && (key == "schema" || key == "itemSchema") || at == "#/components/schemas" {
                    roots.push(here);
                } else if keys_are_names || !is_data(at, key) {
                    find_roots(value, &here, !keys_are_names && holds_names(key), roots);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find_roots(item, &pointer_join(at, &i.to_string()), false, roots);
            }
        }
        _ => {}
    }
}

/// The schema-rewriting step: what moved, and what to report.
struct Schemas {
    map: PointerMap,
    warnings: Vec<(String, String)>,
    /// Where 3.0's `nullable` was met.
    nullable: Vec<String>,
    /// Where a boolean `exclusiveMinimum` / `exclusiveMaximum` was met.
    boolean_bounds: Vec<String>,
}

impl Schemas {
    fn schema(&mut self, schema: &mut Value, at: &str) {
        match schema {
            Value::Bool(true) => *schema = json!({}),
            Value::Bool(false) => *schema = json!({ "not": {} }),
            _ => {}
        }
        let Value::Object(map) = schema else { return };
        if map.contains_key("nullable") {
            self.nullable.push(pointer_join(at, "nullable"));
        }
        self.reference_with_siblings(map, at);
        self.types(map, at);
        self.null_alternatives(map, at);
        if let Some(value) = map.remove("const") {
            if !map.contains_key("enum") {
                map.insert("enum".into(), Value::Array(vec![value]));
                self.map.insert(pointer_join(at, "enum"), pointer_join(at, "const"));
            }
        }
        if let Some(Value::Array(examples)) = map.remove("examples") {
            if let (false, Some(first)) = (map.contains_key("example"), examples.into_iter().next()) {
                map.insert("example".into(), first);
                self.map.insert(pointer_join(at, "example"), pointer_join(&pointer_join(at, "examples"), "0"));
            }
        }
        // A count written as a number with a zero fraction (`maxLength: 2.0`) is that integer
        // in 2020-12; 3.0 (and its parser) want an integer.
        for count in [
            "minLength",
            "maxLength",
            "minItems",
            "maxItems",
            "minProperties",
            "maxProperties",
            "minContains",
            "maxContains",
        ] {
            if let Some(Value::Number(n)) = map.get(count) {
                if let Some(f) = n.as_f64().filter(|f| !n.is_u64() && *f >= 0.0 && f.fract() == 0.0 && *f < 9.0e15) {
                    map.insert(count.into(), json!(f as u64));
                }
            }
        }
        self.bound(map, at, "exclusiveMinimum", "minimum", |bound, exclusive| bound <= exclusive);
        self.bound(map, at, "exclusiveMaximum", "maximum", |bound, exclusive| bound >= exclusive);
        self.content(map, at);
        // A comment is for the reader of the spec.
        map.remove("$comment");
        for (key, value) in map.iter_mut() {
            let here = pointer_join(at, key);
            match (key.as_str(), value) {
                ("properties" | "patternProperties" | "dependentSchemas", Value::Object(schemas)) => {
                    for (name, schema) in schemas.iter_mut() {
                        self.schema(schema, &pointer_join(&here, name));
                    }
                }
                ("allOf" | "anyOf" | "oneOf" | "prefixItems", Value::Array(schemas)) => {
                    for (i, schema) in schemas.iter_mut().enumerate() {
                        self.schema(schema, &pointer_join(&here, &i.to_string()));
                    }
                }
                // 3.0 has `additionalProperties: false` (and `true`) itself.
                ("additionalProperties", Value::Bool(_)) => {}
                (key, schema) if ONE_SCHEMA.contains(&key) || key == "unevaluatedProperties" => {
                    self.schema(schema, &here)
                }
                _ => {}
            }
        }
    }

    /// `{$ref: X, minLength: 1}`: in 3.1 both apply, so it becomes `{allOf: [{$ref: X}],
    /// minLength: 1}`. Keywords that only describe stay beside the reference, as 3.0 reads
    /// them (the type is the reference's).
    fn reference_with_siblings(&mut self, map: &mut Map<String, Value>, at: &str) {
        let Some(Value::String(_)) = map.get("$ref") else { return };
        if map.keys().all(|k| k == "$ref" || ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-")) {
            return;
        }
        let Some(reference) = map.remove("$ref") else { return };
        let all_of = map.entry("allOf").or_insert_with(|| json!([]));
        if let Value::Array(members) = all_of {
            for i in 0..members.len() {
                self.map.insert(
                    pointer_join(&pointer_join(at, "allOf"), &(i + 1).to_string()),
                    pointer_join(&pointer_join(at, "allOf"), &i.to_string()),
                );
            }
            members.insert(0, json!({ "$ref": reference }));
            self.map.insert(pointer_join(&pointer_join(at, "allOf"), "0"), at);
        }
    }

    /// A `type` list: `"null"` is `nullable`; several other types are alternatives.
    fn types(&mut self, map: &mut Map<String, Value>, at: &str) {
        let types: Vec<String> = match map.get("type") {
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            Some(Value::String(t)) if t == "null" => vec![t.clone()],
            _ => return,
        };
        let rest: Vec<&String> = types.iter().filter(|t| *t != "null").collect();
        if rest.len() < types.len() {
            map.insert("nullable".into(), json!(true));
        }
        match rest.as_slice() {
            // `type: "null"` alone: only null, which 3.0 says as a nullable `enum: [null]`.
            [] => {
                map.remove("type");
                if !map.contains_key("enum") {
                    map.insert("enum".into(), json!([null]));
                    self.map.insert(pointer_join(at, "enum"), pointer_join(at, "type"));
                }
            }
            [one] => {
                map.insert("type".into(), json!(one));
            }
            several if !map.contains_key("anyOf") => {
                map.remove("type");
                let alternatives: Vec<Value> = several.iter().map(|t| json!({ "type": t })).collect();
                map.insert("anyOf".into(), Value::Array(alternatives));
                self.map.insert(pointer_join(at, "anyOf"), pointer_join(at, "type"));
            }
            _ => {
                map.remove("type");
                self.warnings.push((
                    pointer_join(at, "type"),
                    "a list of types beside `anyOf` is not expressed: the value's type is left to the `anyOf`"
                        .to_owned(),
                ));
            }
        }
    }

    /// `anyOf` / `oneOf` alternatives that are only `{type: "null"}` make the union nullable.
    fn null_alternatives(&mut self, map: &mut Map<String, Value>, at: &str) {
        for keyword in ["anyOf", "oneOf"] {
            let Some(Value::Array(members)) = map.get_mut(keyword) else { continue };
            let is_null = |m: &Value| {
                let Value::Object(m) = m else { return false };
                let null_type = match m.get("type") {
                    Some(Value::String(t)) => t == "null",
                    Some(Value::Array(list)) => list.iter().all(|t| t == "null"),
                    _ => false,
                };
                null_type && m.keys().all(|k| k == "type" || ANNOTATIONS.contains(&k.as_str()))
            };
            if !members.iter().any(is_null) || members.iter().all(is_null) {
                continue;
            }
            let here = pointer_join(at, keyword);
            let mut kept = Vec::new();
            for (i, member) in std::mem::take(members).into_iter().enumerate() {
                if !is_null(&member) {
                    if kept.len() != i {
                        self.map
                            .insert(pointer_join(&here, &kept.len().to_string()), pointer_join(&here, &i.to_string()));
                    }
                    kept.push(member);
                }
            }
            *members = kept;
            map.insert("nullable".into(), json!(true));
        }
    }

    /// A numeric exclusive bound (2020-12) as 3.0's bound and boolean.
    fn bound(
        &mut self,
        map: &mut Map<String, Value>,
        at: &str,
        exclusive: &str,
        inclusive: &str,
        weaker: fn(f64, f64) -> bool,
    ) {
        match map.get(exclusive) {
            Some(Value::Bool(_)) => self.boolean_bounds.push(pointer_join(at, exclusive)),
            Some(Value::Number(n)) => {
                let n = n.clone();
                let bound = map.get(inclusive).and_then(Value::as_f64);
                match (bound, n.as_f64()) {
                    // The inclusive bound is the stricter: the exclusive one adds nothing.
                    (Some(bound), Some(x)) if !weaker(bound, x) => {
                        map.remove(exclusive);
                    }
                    _ => {
                        map.insert(inclusive.into(), Value::Number(n));
                        map.insert(exclusive.into(), json!(true));
                        self.map.insert(pointer_join(at, inclusive), pointer_join(at, exclusive));
                    }
                }
            }
            _ => {}
        }
    }

    /// `contentEncoding: base64` is 3.0's `format: byte`; `contentEncoding: binary`, or a
    /// `contentMediaType` without an encoding, raw bytes, is `format: binary`.
    fn content(&mut self, map: &mut Map<String, Value>, at: &str) {
        if map.contains_key("format") || map.get("type").and_then(Value::as_str) != Some("string") {
            return;
        }
        match (map.get("contentEncoding").and_then(Value::as_str), map.contains_key("contentMediaType")) {
            (Some("base64"), _) => {
                map.remove("contentEncoding");
                map.remove("contentMediaType");
                map.insert("format".into(), json!("byte"));
                self.map.insert(pointer_join(at, "format"), pointer_join(at, "contentEncoding"));
            }
            // Not an encoding JSON Schema names, but what Discord writes for a file part: the
            // bytes as they are.
            (Some("binary"), _) => {
                map.remove("contentEncoding");
                map.insert("format".into(), json!("binary"));
                self.map.insert(pointer_join(at, "format"), pointer_join(at, "contentEncoding"));
            }
            // Another encoding stays, and lowering reports it as a keyword it does not express.
            (Some(_), _) => {}
            (None, true) => {
                map.remove("contentMediaType");
                map.insert("format".into(), json!("binary"));
                self.map.insert(pointer_join(at, "format"), pointer_join(at, "contentMediaType"));
            }
            (None, false) => {}
        }
    }
}

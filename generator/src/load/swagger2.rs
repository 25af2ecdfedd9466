//! Load: a Swagger 2.0 document rewritten as the OpenAPI 3.0 document that says the same.
//!
//! `definitions`, global `parameters` and `responses`, and `securityDefinitions` move under
//! `components`; a body parameter becomes the request body, sent as each media type the
//! operation `consumes`; `formData` parameters become the properties of a
//! `multipart/form-data` or `application/x-www-form-urlencoded` body (`type: file` a binary
//! part); a response's `schema` is its content under each media type it `produces`;
//! `host`, `basePath` and `schemes` are the servers; `collectionFormat` becomes `style` and
//! `explode`; `x-nullable` is `nullable`, and a `discriminator` (a property name in 2.0) a
//! Discriminator Object. Every moved node is recorded with where it was, so later diagnostics
//! point into the 2.0 document; what 2.0 says that 3.0 cannot is a warning at its 2.0 pointer.

use serde_json::{json, Map, Value};

use super::pointers::{Origins, PointerMap};
use super::{for_each_ref, pointer_mut, resolve_pointer};
use crate::diag::{pointer_join, Diagnostics};
use crate::media::essence;

const METHODS: [&str; 7] = ["get", "put", "post", "delete", "options", "head", "patch"];

/// Keywords of a 2.0 non-body parameter, header or items object that are its schema.
const SCHEMA_FIELDS: [&str; 17] = [
    "type",
    "format",
    "items",
    "default",
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
    "enum",
    "multipleOf",
    "x-nullable",
];

const MULTIPART: &str = "multipart/form-data";
const URLENCODED: &str = "application/x-www-form-urlencoded";

/// The OpenAPI 3.0 form of a Swagger 2.0 document; records what moved in `origins`.
pub(super) fn to_oas30(doc: &Value, origins: &mut Origins, diags: &mut Diagnostics) -> Value {
    let strings = |key: &str| -> Vec<String> {
        doc.get(key)
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
            .unwrap_or_default()
    };
    let mut converter = Converter {
        doc,
        map: PointerMap::default(),
        diags,
        consumes: strings("consumes"),
        produces: strings("produces"),
    };
    let mut out = converter.document();
    rewrite_refs(&mut out);
    origins.push(converter.map);
    out
}

struct Converter<'a> {
    doc: &'a Value,
    map: PointerMap,
    diags: &'a mut Diagnostics,
    /// The document's default media types.
    consumes: Vec<String>,
    produces: Vec<String>,
}

/// A parameter as used by an operation: its object (a reference to a global non-body
/// parameter followed), and its pointer in the 2.0 document.
struct Param {
    value: Map<String, Value>,
    at: String,
    /// The `$ref` it was reached through, kept for a non-body parameter.
    reference: Option<String>,
}

impl Param {
    fn location(&self) -> &str {
        self.value.get("in").and_then(Value::as_str).unwrap_or("")
    }

    fn name(&self) -> &str {
        self.value.get("name").and_then(Value::as_str).unwrap_or("")
    }
}

impl Converter<'_> {
    fn document(&mut self) -> Value {
        let doc = self.doc;
        let mut out = Map::new();
        out.insert("openapi".into(), json!("3.0.3"));
        for key in ["info", "tags", "externalDocs", "security"] {
            if let Some(value) = doc.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        copy_extensions(doc, &mut out);
        if let Some(servers) = self.servers() {
            out.insert("servers".into(), servers);
        }

        let mut paths = Map::new();
        if let Some(Value::Object(items)) = doc.get("paths") {
            for (path, item) in items {
                if path.starts_with("x-") {
                    paths.insert(path.clone(), item.clone());
                } else {
                    paths.insert(path.clone(), self.path_item(path, item));
                }
            }
        }
        out.insert("paths".into(), Value::Object(paths));

        let mut components = Map::new();
        if let Some(Value::Object(definitions)) = doc.get("definitions") {
            let mut schemas = Map::new();
            for (name, schema) in definitions {
                let mut schema = schema.clone();
                convert_schema(&mut schema);
                schemas.insert(name.clone(), schema);
            }
            self.map.insert("#/components/schemas", "#/definitions");
            components.insert("schemas".into(), Value::Object(schemas));
        }
        if let Some(Value::Object(globals)) = doc.get("parameters") {
            let mut parameters = Map::new();
            for (name, parameter) in globals {
                let at = pointer_join("#/parameters", name);
                let Value::Object(value) = parameter else { continue };
                let param = Param { value: value.clone(), at, reference: None };
                // Body and form parameters are no 3.0 parameters: they are folded into the
                // request body of each operation that refers to them.
                if matches!(param.location(), "body" | "formData") {
                    continue;
                }
                let now = pointer_join("#/components/parameters", name);
                parameters.insert(name.clone(), self.parameter(&param, &now));
            }
            components.insert("parameters".into(), Value::Object(parameters));
        }
        if let Some(Value::Object(globals)) = doc.get("responses") {
            let mut responses = Map::new();
            let produces = self.produces.clone();
            for (name, response) in globals {
                let now = pointer_join("#/components/responses", name);
                let response = self.response(response, &produces, &now, &pointer_join("#/responses", name));
                responses.insert(name.clone(), response);
            }
            components.insert("responses".into(), Value::Object(responses));
        }
        if let Some(Value::Object(definitions)) = doc.get("securityDefinitions") {
            let mut schemes = Map::new();
            for (name, scheme) in definitions {
                let at = pointer_join("#/securityDefinitions", name);
                if let Some(scheme) = self.security_scheme(scheme, &at) {
                    self.map.insert(pointer_join("#/components/securitySchemes", name), at);
                    schemes.insert(name.clone(), scheme);
                }
            }
            components.insert("securitySchemes".into(), Value::Object(schemes));
        }
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        Value::Object(out)
    }

    /// `host`, `basePath` and `schemes` as servers, one per scheme (the first the default).
    fn servers(&mut self) -> Option<Value> {
        let host = self.doc.get("host").and_then(Value::as_str);
        let base_path = self.doc.get("basePath").and_then(Value::as_str);
        if host.is_none() && base_path.is_none() {
            return None;
        }
        let base_path = base_path.unwrap_or("");
        let from = if host.is_some() { "#/host" } else { "#/basePath" };
        let mut schemes: Vec<&str> = self
            .doc
            .get("schemes")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        // Swagger 2.0: without `schemes`, the scheme the document was served with; https is
        // the safe guess.
        if schemes.is_empty() {
            schemes.push("https");
        }
        let servers: Vec<Value> = match host {
            Some(host) => schemes
                .iter()
                .filter(|s| matches!(**s, "http" | "https"))
                .map(|scheme| json!({ "url": format!("{scheme}://{host}{base_path}") }))
                .collect(),
            None => vec![json!({ "url": if base_path.is_empty() { "/" } else { base_path } })],
        };
        for i in 0..servers.len() {
            self.map.insert(format!("#/servers/{i}"), from);
        }
        Some(Value::Array(servers))
    }

    fn path_item(&mut self, path: &str, item: &Value) -> Value {
        let at = pointer_join("#/paths", path);
        let Value::Object(item) = item else { return item.clone() };
        if item.contains_key("$ref") {
            return Value::Object(item.clone());
        }
        let mut out = Map::new();
        copy_extensions_of(item, &mut out);
        let shared = self.params(item.get("parameters"), &pointer_join(&at, "parameters"));
        // Body and form parameters of the path apply to each operation's body.
        let (body_shared, plain_shared): (Vec<Param>, Vec<Param>) =
            shared.into_iter().partition(|p| matches!(p.location(), "body" | "formData"));
        if !plain_shared.is_empty() {
            let list = self.parameter_list(&plain_shared, &pointer_join(&at, "parameters"));
            out.insert("parameters".into(), Value::Array(list));
        }
        for method in METHODS {
            let Some(operation) = item.get(method) else { continue };
            let op_at = pointer_join(&at, method);
            out.insert(method.into(), self.operation(operation, &op_at, &body_shared));
        }
        Value::Object(out)
    }

    fn operation(&mut self, operation: &Value, at: &str, body_shared: &[Param]) -> Value {
        let Value::Object(operation) = operation else { return operation.clone() };
        let mut out = Map::new();
        for key in ["tags", "summary", "description", "externalDocs", "operationId", "deprecated", "security"] {
            if let Some(value) = operation.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        copy_extensions_of(operation, &mut out);
        // The client sends to the first server, whose scheme is the document's first (https
        // where it names none): only an operation that does not allow it is reported.
        let default_scheme = self.doc.get("schemes").and_then(|s| s.get(0)).and_then(Value::as_str).unwrap_or("https");
        let allowed = |schemes: &Value| schemes.as_array().is_some_and(|list| list.iter().any(|s| s == default_scheme));
        if operation.get("schemes").is_some_and(|schemes| !allowed(schemes)) {
            self.diags.warning(
                pointer_join(at, "schemes"),
                "the operation's own `schemes` are not kept: the client sends every operation to the same base URL",
            );
        }
        let media = |key: &str, default: &[String]| -> Vec<String> {
            match operation.get(key).and_then(Value::as_array) {
                Some(list) => list.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
                None => default.to_vec(),
            }
        };
        let consumes = media("consumes", &self.consumes);
        let produces = media("produces", &self.produces);

        let own = self.params(operation.get("parameters"), &pointer_join(at, "parameters"));
        let (mut body, plain): (Vec<Param>, Vec<Param>) =
            own.into_iter().partition(|p| matches!(p.location(), "body" | "formData"));
        // The path's body and form parameters, unless the operation has its own of the name.
        for shared in body_shared {
            if !body.iter().any(|p| p.name() == shared.name() && p.location() == shared.location()) {
                body.push(Param { value: shared.value.clone(), at: shared.at.clone(), reference: None });
            }
        }
        if !plain.is_empty() {
            let list = self.parameter_list(&plain, &pointer_join(at, "parameters"));
            out.insert("parameters".into(), Value::Array(list));
        }
        if let Some(request_body) = self.request_body(&body, &consumes, &pointer_join(at, "requestBody")) {
            out.insert("requestBody".into(), request_body);
        }
        let mut responses = Map::new();
        if let Some(Value::Object(given)) = operation.get("responses") {
            for (code, response) in given {
                let now = pointer_join(&pointer_join(at, "responses"), code);
                if code.starts_with("x-") {
                    responses.insert(code.clone(), response.clone());
                } else {
                    responses.insert(code.clone(), self.response(response, &produces, &now, &now));
                }
            }
        }
        out.insert("responses".into(), Value::Object(responses));
        Value::Object(out)
    }

    /// The parameters of a list, references to global parameters followed.
    fn params(&mut self, list: Option<&Value>, at: &str) -> Vec<Param> {
        let Some(Value::Array(list)) = list else { return Vec::new() };
        let mut out = Vec::new();
        for (i, param) in list.iter().enumerate() {
            let here = pointer_join(at, &i.to_string());
            let reference = param.get("$ref").and_then(Value::as_str);
            let (value, origin) = match reference {
                Some(target) => match resolve_pointer(self.doc, target) {
                    Some(Value::Object(value)) => (value.clone(), target.to_owned()),
                    // A dangling reference is reported when the document is checked.
                    _ => (Map::from_iter([("$ref".to_owned(), json!(target))]), here),
                },
                None => match param {
                    Value::Object(value) => (value.clone(), here),
                    _ => continue,
                },
            };
            out.push(Param { value, at: origin, reference: reference.map(str::to_owned) });
        }
        out
    }

    /// 3.0 parameters, at `at/<index>`: references stay references to the global parameter.
    fn parameter_list(&mut self, params: &[Param], at: &str) -> Vec<Value> {
        let mut list = Vec::new();
        for (i, param) in params.iter().enumerate() {
            let now = pointer_join(at, &i.to_string());
            match &param.reference {
                Some(reference) => {
                    list.push(json!({ "$ref": reference }));
                    self.map.insert(&now, reference.as_str());
                }
                None => list.push(self.parameter(param, &now)),
            }
        }
        list
    }

    /// A non-body parameter: its schema keywords move under `schema`, `collectionFormat`
    /// becomes `style` and `explode`.
    fn parameter(&mut self, param: &Param, now: &str) -> Value {
        let mut out = Map::new();
        for key in ["name", "in", "description", "required", "allowEmptyValue", "deprecated", "$ref"] {
            if let Some(value) = param.value.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        copy_extensions_of(&param.value, &mut out);
        self.map.insert(now, &param.at);
        if out.contains_key("$ref") {
            return Value::Object(out);
        }
        let location = param.location().to_owned();
        if location == "path" {
            out.insert("required".into(), json!(true));
        }
        let mut schema = schema_of(&param.value);
        if param.value.get("type").and_then(Value::as_str) == Some("array") {
            match self.collection_format(&param.value, &location, &param.at) {
                Some((style, explode)) => {
                    out.insert("style".into(), json!(style));
                    out.insert("explode".into(), json!(explode));
                }
                None => schema = one_string(&schema),
            }
        }
        if param.value.get("type").and_then(Value::as_str) == Some("file") {
            self.diags.warning(
                pointer_join(&param.at, "type"),
                format!("`type: file` belongs to a formData parameter; this {location} parameter is read as a string"),
            );
            schema = json!({ "type": "string" });
        }
        out.insert("schema".into(), schema);
        self.map.insert(pointer_join(now, "schema"), &param.at);
        Value::Object(out)
    }

    /// `collectionFormat` as OpenAPI 3.0's `style` and `explode`, or `None` (with a
    /// warning) where 3.0 has no style for it: the parameter is then one string.
    fn collection_format(
        &mut self,
        param: &Map<String, Value>,
        location: &str,
        at: &str,
    ) -> Option<(&'static str, bool)> {
        let format = param.get("collectionFormat").and_then(Value::as_str).unwrap_or("csv");
        let style = match (location, format) {
            ("query" | "formData", "csv") => Some(("form", false)),
            ("query" | "formData", "multi") => Some(("form", true)),
            ("query" | "formData", "ssv") => Some(("spaceDelimited", false)),
            ("query" | "formData", "pipes") => Some(("pipeDelimited", false)),
            ("path" | "header", "csv") => Some(("simple", false)),
            _ => None,
        };
        if style.is_none() {
            let why = match format {
                "tsv" => "`tsv` has no OpenAPI 3.0 style".to_owned(),
                _ => format!("`{format}` is not a collection format of a {location} parameter"),
            };
            let joiner = match format {
                "tsv" => "tabs",
                "ssv" => "spaces",
                "pipes" => "`|`",
                _ => "the separator the API expects",
            };
            self.diags.warning(
                pointer_join(at, "collectionFormat"),
                format!("{why}: the parameter is one string; join the items with {joiner} yourself"),
            );
        }
        style
    }

    /// The request body made of a body parameter, or of the form parameters.
    fn request_body(&mut self, params: &[Param], consumes: &[String], now: &str) -> Option<Value> {
        let (bodies, form): (Vec<&Param>, Vec<&Param>) = params.iter().partition(|p| p.location() == "body");
        if let Some(body) = bodies.first() {
            for extra in bodies.iter().skip(1).chain(&form) {
                self.diags.warning(&extra.at, "an operation has one body: this parameter is left out (the first body parameter is the request body)");
            }
            return Some(self.body_parameter(body, consumes, now));
        }
        if form.is_empty() {
            return None;
        }
        let has_file = form.iter().any(|p| p.value.get("type").and_then(Value::as_str) == Some("file"));
        let mut media: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|m| essence(m) == MULTIPART || essence(m) == URLENCODED)
            .collect();
        if media.is_empty() {
            media.push(if has_file { MULTIPART } else { URLENCODED });
        }
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        for param in &form {
            let name = param.name().to_owned();
            let mut schema = schema_of(&param.value);
            if let Some(description) = param.value.get("description") {
                schema["description"] = description.clone();
            }
            if param.value.get("type").and_then(Value::as_str) == Some("array") {
                match self.collection_format(&param.value, "formData", &param.at) {
                    Some((style, explode)) => {
                        encoding.insert(name.clone(), json!({ "style": style, "explode": explode }));
                    }
                    None => schema = one_string(&schema),
                }
            }
            if param.value.get("required") == Some(&json!(true)) {
                required.push(json!(name));
            }
            properties.insert(name, schema);
        }
        let mut content = Map::new();
        for media_type in media {
            let media_at = pointer_join(&pointer_join(now, "content"), media_type);
            let mut schema = json!({ "type": "object", "properties": properties.clone() });
            if !required.is_empty() {
                schema["required"] = Value::Array(required.clone());
            }
            let mut entry = json!({ "schema": schema });
            if essence(media_type) == URLENCODED && !encoding.is_empty() {
                entry["encoding"] = Value::Object(encoding.clone());
            }
            // The object stands for the operation's form parameters as a whole.
            let parameters_at = form[0].at.rsplit_once('/').map_or(form[0].at.clone(), |(list, _)| list.to_owned());
            self.map.insert(pointer_join(&media_at, "schema"), parameters_at);
            for param in &form {
                self.map.insert(
                    pointer_join(&pointer_join(&pointer_join(&media_at, "schema"), "properties"), param.name()),
                    &param.at,
                );
            }
            content.insert(media_type.to_owned(), entry);
        }
        Some(json!({ "required": !required.is_empty(), "content": content }))
    }

    fn body_parameter(&mut self, body: &Param, consumes: &[String], now: &str) -> Value {
        let mut schema = body.value.get("schema").cloned().unwrap_or_else(|| json!({}));
        convert_schema(&mut schema);
        let media: Vec<String> =
            if consumes.is_empty() { vec!["application/json".to_owned()] } else { consumes.to_vec() };
        let mut content = Map::new();
        for media_type in &media {
            content.insert(media_type.clone(), json!({ "schema": schema.clone() }));
            let schema_at = pointer_join(&pointer_join(&pointer_join(now, "content"), media_type), "schema");
            self.map.insert(schema_at, pointer_join(&body.at, "schema"));
        }
        self.map.insert(now, &body.at);
        let mut out = json!({ "content": content });
        for key in ["description", "required"] {
            if let Some(value) = body.value.get(key) {
                out[key] = value.clone();
            }
        }
        out
    }

    /// A response: its schema under each media type produced, its headers' keywords under
    /// `schema`, its examples beside the schema of their media type.
    fn response(&mut self, response: &Value, produces: &[String], now: &str, was: &str) -> Value {
        let Value::Object(response) = response else { return response.clone() };
        if response.contains_key("$ref") {
            return Value::Object(response.clone());
        }
        if now != was {
            self.map.insert(now, was);
        }
        let mut out = Map::new();
        out.insert("description".into(), response.get("description").cloned().unwrap_or_else(|| json!("")));
        copy_extensions_of(response, &mut out);
        if let Some(schema) = response.get("schema") {
            let mut schema = schema.clone();
            convert_schema(&mut schema);
            let media: Vec<String> =
                if produces.is_empty() { vec!["application/json".to_owned()] } else { produces.to_vec() };
            let mut content = Map::new();
            for media_type in &media {
                let mut entry = json!({ "schema": schema.clone() });
                let media_at = pointer_join(&pointer_join(now, "content"), media_type);
                self.map.insert(pointer_join(&media_at, "schema"), pointer_join(was, "schema"));
                if let Some(example) = response.get("examples").and_then(|e| e.get(media_type)) {
                    entry["example"] = example.clone();
                    self.map.insert(
                        pointer_join(&media_at, "example"),
                        pointer_join(&pointer_join(was, "examples"), media_type),
                    );
                }
                content.insert(media_type.clone(), entry);
            }
            out.insert("content".into(), Value::Object(content));
        }
        if let Some(Value::Object(examples)) = response.get("examples") {
            let kept = |m: &String| {
                response.contains_key("schema")
                    && (produces.contains(m) || (produces.is_empty() && m == "application/json"))
            };
            for media_type in examples.keys().filter(|m| !kept(m)) {
                self.diags.warning(
                    pointer_join(&pointer_join(was, "examples"), media_type),
                    format!("an example for `{media_type}`, which the response does not have as a schema's media type, is not kept"),
                );
            }
        }
        if let Some(Value::Object(headers)) = response.get("headers") {
            let mut out_headers = Map::new();
            for (name, header) in headers {
                let Value::Object(header) = header else { continue };
                let header_was = pointer_join(&pointer_join(was, "headers"), name);
                let header_now = pointer_join(&pointer_join(now, "headers"), name);
                let mut schema = schema_of(header);
                if header.get("type").and_then(Value::as_str) == Some("array")
                    && self.collection_format(header, "header", &header_was).is_none()
                {
                    schema = one_string(&schema);
                }
                let mut entry = json!({ "schema": schema });
                if let Some(description) = header.get("description") {
                    entry["description"] = description.clone();
                }
                self.map.insert(pointer_join(&header_now, "schema"), &header_was);
                self.map.insert(&header_now, header_was);
                out_headers.insert(name.clone(), entry);
            }
            out.insert("headers".into(), Value::Object(out_headers));
        }
        Value::Object(out)
    }

    fn security_scheme(&mut self, scheme: &Value, at: &str) -> Option<Value> {
        let kind = scheme.get("type").and_then(Value::as_str).unwrap_or("");
        let mut out = match kind {
            "basic" => json!({ "type": "http", "scheme": "basic" }),
            "apiKey" => json!({ "type": "apiKey", "name": scheme.get("name"), "in": scheme.get("in") }),
            "oauth2" => {
                let flow = match scheme.get("flow").and_then(Value::as_str) {
                    Some("implicit") => "implicit",
                    Some("password") => "password",
                    Some("application") => "clientCredentials",
                    Some("accessCode") => "authorizationCode",
                    other => {
                        self.diags.error(
                            pointer_join(at, "flow"),
                            format!("unknown OAuth2 flow {}", other.map_or("(none)".to_owned(), |f| format!("`{f}`"))),
                        );
                        return None;
                    }
                };
                let mut settings = json!({ "scopes": scheme.get("scopes").cloned().unwrap_or_else(|| json!({})) });
                for key in ["authorizationUrl", "tokenUrl"] {
                    if let Some(url) = scheme.get(key) {
                        settings[key] = url.clone();
                    }
                }
                json!({ "type": "oauth2", "flows": { flow: settings } })
            }
            _ => {
                self.diags.error(
                    pointer_join(at, "type"),
                    format!("unknown security scheme type `{kind}`; Swagger 2.0 has basic, apiKey and oauth2"),
                );
                return None;
            }
        };
        if let Some(description) = scheme.get("description") {
            out["description"] = description.clone();
        }
        Some(out)
    }
}

/// Rewrites a 2.0 Schema Object in place as 3.0 reads it.
fn convert_schema(schema: &mut Value) {
    let Value::Object(map) = schema else { return };
    if map.get("$ref").is_some_and(Value::is_string) {
        return;
    }
    if map.get("x-nullable") == Some(&json!(true)) {
        map.insert("nullable".into(), json!(true));
    }
    if map.get("type").and_then(Value::as_str) == Some("file") {
        map.insert("type".into(), json!("string"));
        map.insert("format".into(), json!("binary"));
    }
    if let Some(Value::String(property)) = map.get("discriminator") {
        let property = property.clone();
        map.insert("discriminator".into(), json!({ "propertyName": property }));
    }
    for (key, value) in map.iter_mut() {
        match (key.as_str(), value) {
            ("properties", Value::Object(properties)) => properties.values_mut().for_each(convert_schema),
            ("allOf" | "anyOf" | "oneOf", Value::Array(items)) => items.iter_mut().for_each(convert_schema),
            ("items" | "additionalProperties" | "not", value) => convert_schema(value),
            _ => {}
        }
    }
}

/// The schema keywords of a non-body parameter, header or items object.
fn schema_of(object: &Map<String, Value>) -> Value {
    let mut schema = Map::new();
    for key in SCHEMA_FIELDS {
        if let Some(value) = object.get(key) {
            let value = match (key, value) {
                ("items", Value::Object(items)) => schema_of(items),
                _ => value.clone(),
            };
            schema.insert(key.to_owned(), value);
        }
    }
    let mut schema = Value::Object(schema);
    convert_schema(&mut schema);
    schema
}

/// An array that 3.0 cannot serialize as 2.0 did, as one string the caller joins.
fn one_string(schema: &Value) -> Value {
    let mut out = json!({ "type": "string" });
    if let Some(description) = schema.get("description") {
        out["description"] = description.clone();
    }
    out
}

fn copy_extensions(from: &Value, to: &mut Map<String, Value>) {
    if let Value::Object(from) = from {
        copy_extensions_of(from, to);
    }
}

fn copy_extensions_of(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    for (key, value) in from.iter().filter(|(k, _)| k.starts_with("x-")) {
        to.insert(key.clone(), value.clone());
    }
}

/// References into 2.0's sections, to where those sections now are.
fn rewrite_refs(out: &mut Value) {
    let mut found = Vec::new();
    for_each_ref(out, "#", false, &mut |at, target| {
        for (from, to) in [
            ("#/definitions/", "#/components/schemas/"),
            ("#/parameters/", "#/components/parameters/"),
            ("#/responses/", "#/components/responses/"),
        ] {
            if let Some(rest) = target.strip_prefix(from) {
                found.push((at.to_owned(), format!("{to}{rest}")));
            }
        }
    });
    for (at, target) in found {
        if let Some(Value::Object(map)) = pointer_mut(out, &at) {
            map.insert("$ref".into(), Value::String(target));
        }
    }
}

//! Lowering of operations, security schemes and servers: what the client is made from.
//!
//! Parameter order is a written rule (path parameters in template order, then required query
//! parameters, then required headers, then the body; optional parameters go into an options
//! struct), applied by the emitter to the lists built here in the spec's order.

use openapiv3::{ReferenceOr, SecurityScheme as SpecScheme};

use super::schema::{operation_type_name, SchemaLowerer};
use super::xml::is_xml;
use crate::diag::pointer_join;
use crate::load::{read_ref_target, resolve_pointer};
use crate::model::{
    Doc, Operation, ParamLocation, Parameter, ResponseCase, SecurityKind, SecurityScheme, Status,
};
use crate::naming::{field_name, type_name, Namespace};

/// Method names the client itself defines, which operations must not take.
const CLIENT_METHODS: &[&str] = &["new", "with_config", "config"];

impl SchemaLowerer<'_> {
    /// Lowers every operation: its parameters, body, responses and security.
    pub fn lower_operations(&mut self) {
        let spec = self.spec;
        let mut methods = Namespace::new();
        CLIENT_METHODS.iter().for_each(|m| methods.reserve(m));
        for scheme in spec.openapi.components.iter().flat_map(|c| c.security_schemes.keys()) {
            methods.reserve(&format!("with_{}", field_name(scheme, "auth")));
        }
        for (path, item) in spec.openapi.paths.iter() {
            let item_pointer = pointer_join("#/paths", path);
            let ReferenceOr::Item(item) = item else {
                self.diags.error(&item_pointer, "a `$ref` path item is not supported; its operations are not generated");
                continue;
            };
            for (method, operation) in item.iter() {
                let op_pointer = pointer_join(&item_pointer, method);
                let type_stem = operation_type_name(operation, method, path);
                let id = operation.operation_id.clone().unwrap_or_else(|| format!("{} {path}", method.to_uppercase()));
                let method_name = methods.unique(field_name(&type_stem, "call"));

                // Path-level parameters first, then the operation's, which win a name clash.
                let mut names = Namespace::new();
                names.reserve("body");
                names.reserve("options");
                let mut parameters: Vec<Parameter> = Vec::new();
                let sources = item
                    .parameters
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (pointer_join(&pointer_join(&item_pointer, "parameters"), &i.to_string()), p))
                    .chain(
                        operation
                            .parameters
                            .iter()
                            .enumerate()
                            .map(|(i, p)| (pointer_join(&pointer_join(&op_pointer, "parameters"), &i.to_string()), p)),
                    )
                    .collect::<Vec<_>>();
                for (pointer, parameter) in sources {
                    let Some((parameter, pointer)) = self.resolve_parameter(parameter, &pointer) else { continue };
                    if let Some(parameter) = self.lower_one_parameter(&parameter, &pointer, &type_stem, &mut names) {
                        parameters.retain(|p| !(p.wire_name == parameter.wire_name && p.location == parameter.location));
                        parameters.push(parameter);
                    }
                }
                // The rust names were claimed in the order met; an overridden parameter's name
                // stays claimed, which only costs a suffix in a rare case.

                let xml_body = match &operation.request_body {
                    Some(ReferenceOr::Item(body)) => body.content.keys().any(|m| is_xml(m)),
                    _ => false,
                };
                let (json_body, body_required) = match &operation.request_body {
                    Some(ReferenceOr::Item(body)) => {
                        let pointer = pointer_join(&op_pointer, "requestBody");
                        let json = self.lower_content(&body.content, &pointer, &format!("{type_stem}Request"));
                        if json.is_none() && !body.content.is_empty() {
                            let media: Vec<&String> = body.content.keys().collect();
                            self.diags.warning(
                                &pointer,
                                format!("the client sends JSON bodies only; this body's media types ({}) are not sent yet", join(&media)),
                            );
                        }
                        (json, body.required)
                    }
                    Some(ReferenceOr::Reference { reference }) => {
                        let required = resolve_pointer(&spec.raw, reference)
                            .and_then(|v| v.get("required"))
                            .and_then(serde_json::Value::as_bool)
                            .unwrap_or(false);
                        (self.lower_body_ref(reference, &op_pointer), required)
                    }
                    None => (None, false),
                };

                let responses = self.lower_responses(operation, &op_pointer, &type_stem);
                let requirements = operation.security.as_ref().or(spec.openapi.security.as_ref());
                let mut security: Vec<String> = Vec::new();
                for requirement in requirements.into_iter().flatten() {
                    for scheme in requirement.keys() {
                        if !security.contains(scheme) {
                            security.push(scheme.clone());
                        }
                    }
                }
                let response_type = self.claim_type_name(&format!("{type_stem}Response"));
                let options_type = self.claim_type_name(&format!("{type_stem}Options"));
                self.operations.push(Operation {
                    id,
                    method_name,
                    type_stem,
                    response_type,
                    options_type,
                    method: method.to_owned(),
                    path: path.clone(),
                    pointer: op_pointer.clone(),
                    doc: Doc {
                        title: operation.summary.clone(),
                        description: operation.description.clone(),
                        pointer: op_pointer.clone(),
                    },
                    parameters,
                    xml_body: xml_body && json_body.is_some(),
                    json_body,
                    body_required,
                    responses,
                    security,
                });
            }
        }
    }

    /// A parameter or a `$ref` to one, resolved, with its pointer.
    fn resolve_parameter(
        &mut self,
        parameter: &ReferenceOr<openapiv3::Parameter>,
        pointer: &str,
    ) -> Option<(openapiv3::Parameter, String)> {
        match parameter {
            ReferenceOr::Item(parameter) => Some((parameter.clone(), pointer.to_owned())),
            ReferenceOr::Reference { reference } => {
                let value = resolve_pointer(&self.spec.raw, reference)?;
                // Checked first: `openapiv3` takes time exponential in how deep a bad schema sits.
                match read_ref_target(value, reference, false) {
                    Ok(parameter) => Some((parameter, reference.clone())),
                    Err(err) => {
                        self.diags.error(pointer, format!("`{reference}` is not a valid Parameter Object: {err}; the parameter is left out"));
                        None
                    }
                }
            }
        }
    }

    fn lower_one_parameter(
        &mut self,
        parameter: &openapiv3::Parameter,
        pointer: &str,
        type_stem: &str,
        names: &mut Namespace,
    ) -> Option<Parameter> {
        let data = parameter.parameter_data_ref();
        let (location, explode) = match parameter {
            openapiv3::Parameter::Path { .. } => (ParamLocation::Path, false),
            openapiv3::Parameter::Query { style, .. } => {
                if !matches!(style, openapiv3::QueryStyle::Form) {
                    self.diags.warning(pointer, format!("query parameter `{}`: only the `form` style is supported; it is sent as `form`", data.name));
                }
                (ParamLocation::Query, data.explode.unwrap_or(true))
            }
            openapiv3::Parameter::Header { .. } => (ParamLocation::Header, false),
            openapiv3::Parameter::Cookie { .. } => {
                self.diags.warning(pointer, format!("cookie parameter `{}` is not supported; it is not sent", data.name));
                return None;
            }
        };
        let hint = type_name(&format!("{type_stem} {}", data.name), "Parameter");
        let ty = self.lower_parameter(parameter, pointer, &hint)?;
        Some(Parameter {
            wire_name: data.name.clone(),
            rust_name: names.unique(field_name(&data.name, "param")),
            location,
            // Path parameters are always required, whatever the spec says.
            required: data.required || location == ParamLocation::Path,
            ty,
            explode,
            doc: Doc { title: None, description: data.description.clone(), pointer: pointer.to_owned() },
        })
    }

    fn lower_responses(&mut self, operation: &openapiv3::Operation, op_pointer: &str, type_stem: &str) -> Vec<ResponseCase> {
        let responses = &operation.responses;
        let cases = responses
            .responses
            .iter()
            .map(|(code, r)| {
                let status = match code {
                    openapiv3::StatusCode::Code(n) => Status::Code(*n),
                    openapiv3::StatusCode::Range(n) => Status::Range(*n),
                };
                (code.to_string(), status, r)
            })
            .chain(responses.default.iter().map(|r| ("default".to_owned(), Status::Default, r)))
            .collect::<Vec<_>>();
        let mut variants = Namespace::new();
        let mut out = Vec::new();
        for (key, status, response) in cases {
            let pointer = pointer_join(&pointer_join(op_pointer, "responses"), &key);
            let hint = type_name(&format!("{type_stem} response {key}"), "Response");
            let (response, content_pointer) = match response {
                ReferenceOr::Item(response) => (response.clone(), pointer.clone()),
                ReferenceOr::Reference { reference } => {
                    let Some(value) = resolve_pointer(&self.spec.raw, reference) else { continue };
                    match read_ref_target::<openapiv3::Response>(value, reference, false) {
                        Ok(response) => (response, reference.clone()),
                        Err(err) => {
                            self.diags.error(&pointer, format!("`{reference}` is not a valid Response Object: {err}"));
                            continue;
                        }
                    }
                }
            };
            let body = self.lower_content(&response.content, &content_pointer, &hint).map(|b| b.ty);
            out.push(ResponseCase {
                status,
                variant: variants.unique(status_variant(status)),
                body,
                doc: Doc { title: None, description: Some(response.description.clone()), pointer },
            });
        }
        out
    }

    /// `components/securitySchemes`, in the spec's order.
    pub fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let spec = self.spec;
        let mut names = Namespace::new();
        let mut out = Vec::new();
        for (key, scheme) in spec.openapi.components.iter().flat_map(|c| c.security_schemes.iter()) {
            let pointer = pointer_join("#/components/securitySchemes", key);
            let ReferenceOr::Item(scheme) = scheme else {
                self.diags.error(&pointer, "a `$ref` security scheme is not supported; it is left out");
                continue;
            };
            let (kind, description) = match scheme {
                SpecScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("bearer") => {
                    (SecurityKind::Bearer, description)
                }
                SpecScheme::HTTP { scheme, description, .. } if scheme.eq_ignore_ascii_case("basic") => {
                    (SecurityKind::Basic, description)
                }
                SpecScheme::APIKey { location: openapiv3::APIKeyLocation::Header, name, description, .. } => {
                    (SecurityKind::ApiKeyHeader(name.to_ascii_lowercase()), description)
                }
                SpecScheme::APIKey { location: openapiv3::APIKeyLocation::Query, name, description, .. } => {
                    (SecurityKind::ApiKeyQuery(name.clone()), description)
                }
                SpecScheme::OAuth2 { description, .. } | SpecScheme::OpenIDConnect { description, .. } => {
                    // The client does not run the flow; it sends the token the caller got.
                    (SecurityKind::Bearer, description)
                }
                other => {
                    self.diags.warning(&pointer, format!("security scheme `{key}` ({other:?}) is not supported; it is left out"));
                    continue;
                }
            };
            out.push(SecurityScheme {
                key: key.clone(),
                rust_name: names.unique(field_name(key, "auth")),
                kind,
                doc: Doc { title: None, description: description.clone(), pointer },
            });
        }
        out
    }

    /// The first server's URL, its variables replaced by their defaults, if it is absolute.
    pub fn default_base_url(&self) -> Option<String> {
        let server = self.spec.openapi.servers.first()?;
        let mut url = server.url.clone();
        for (name, variable) in server.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &variable.default);
        }
        (url.starts_with("http://") || url.starts_with("https://")).then(|| url.trim_end_matches('/').to_owned())
    }
}

fn join(items: &[&String]) -> String {
    items.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
}

/// The response enum's variant for a status: the reason phrase where there is a common one.
fn status_variant(status: Status) -> String {
    match status {
        Status::Default => "Default".to_owned(),
        Status::Range(n) => format!("Status{n}xx"),
        Status::Code(code) => match code {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            204 => "NoContent",
            301 => "MovedPermanently",
            302 => "Found",
            304 => "NotModified",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            409 => "Conflict",
            410 => "Gone",
            415 => "UnsupportedMediaType",
            422 => "UnprocessableEntity",
            429 => "TooManyRequests",
            500 => "InternalServerError",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ => return format!("Status{code}"),
        }
        .to_owned(),
    }
}

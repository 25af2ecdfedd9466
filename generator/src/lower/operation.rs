//! Lowering of operations, security schemes and servers: what the client is made from.
//!
//! Parameter order is a written rule (path parameters in template order, then required query
//! parameters, then required headers, then the body; optional parameters go into an options
//! struct), applied by the emitter to the lists built here in the spec's order.
//!
//! Every name the client module defines is claimed here, before anything is emitted: the
//! client's methods (constructors, credential setters, one method per operation and one per
//! other form of its body or response: `_xml`, `_form`, `_multipart`, `_bytes`, `_stream`,
//! `_download`) in one namespace, its
//! fields in another, each method's arguments in a third. The path template is parsed here
//! too, once, and checked against the path parameters.

use openapiv3::{ReferenceOr, SecurityScheme as SpecScheme};

use super::schema::{hint_from_pointer, operation_type_name, SchemaLowerer};
use crate::diag::pointer_join;
use crate::load::{percent_decode, read_ref_target, resolve_pointer};
use crate::media::{form_kind, is_binary, is_json, is_stream, is_xml};
use crate::model::{
    Body, Doc, FormBody, FormKind, Method, MockNames, Operation, ParamLocation, Parameter, PartEncoding, PathPart,
    Primitive, ResponseCase, Rules, SecurityKind, SecurityScheme, Status, StreamResponse, Style, TypeRef,
};
use crate::naming::{field_name, type_name, Namespace};

/// Names a generated method uses for its own arguments and locals, which parameters must not
/// take (a parameter named `request` would be shadowed by the request being built); `this` and
/// `accepts` are those of the function that builds a request for two methods.
const METHOD_LOCALS: &[&str] = &[
    "body", "options", "request", "response", "context", "cx", "v", "value", "form", "secret", "item", "files", "file",
    "i", "key", "this", "accepts",
];

/// Method names the client itself defines, which operations and credential setters must not
/// take.
const CLIENT_METHODS: &[&str] = &["new", "with_config", "config", "idempotent"];

/// Fields the client itself has, which credentials must not take.
const CLIENT_FIELDS: &[&str] = &["transport"];

/// Methods of the mock's `Server`, which handler registrations must not take.
const MOCK_METHODS: &[&str] = &["start", "url", "requests", "clear_requests", "fault"];

/// The scopes of names of the generated `Client` (its methods and its fields) and of the mock's
/// `Server` (its methods).
#[derive(Debug, Clone)]
pub struct ClientNames {
    methods: Namespace,
    fields: Namespace,
    mock_methods: Namespace,
}

impl ClientNames {
    pub fn new() -> Self {
        let mut names = Self { methods: Namespace::new(), fields: Namespace::new(), mock_methods: Namespace::new() };
        CLIENT_METHODS.iter().for_each(|m| names.methods.reserve(m));
        CLIENT_FIELDS.iter().for_each(|f| names.fields.reserve(f));
        MOCK_METHODS.iter().for_each(|m| names.mock_methods.reserve(m));
        names
    }
}

impl SchemaLowerer<'_> {
    /// Lowers every operation: its parameters, body, responses and security.
    /// Credential setters must have been claimed first ([`Self::lower_security_schemes`]), so
    /// that they keep their names.
    pub fn lower_operations(&mut self, client: &mut ClientNames) {
        let spec = self.spec;
        let ClientNames { methods, mock_methods, .. } = client;
        for (path, item) in spec.openapi.paths.iter() {
            let item_pointer = pointer_join("#/paths", path);
            let ReferenceOr::Item(item) = item else {
                self.diags
                    .error(&item_pointer, "a `$ref` path item is not supported; its operations are not generated");
                continue;
            };
            // OpenAPI 3.2's `query` and `additionalOperations`, which `openapiv3` has no field
            // for, follow the fixed methods.
            let fixed = item
                .iter()
                .map(|(method, operation)| (method.to_owned(), pointer_join(&item_pointer, method), operation));
            let more = spec
                .more_operations
                .iter()
                .filter(|m| m.path == *path)
                .map(|m| (m.method.clone(), m.pointer.clone(), &m.operation));
            for (method, op_pointer, operation) in fixed.chain(more).collect::<Vec<_>>() {
                let method = method.as_str();
                let type_stem = operation_type_name(operation, method, path);
                let id = operation.operation_id.clone().unwrap_or_else(|| format!("{} {path}", method.to_uppercase()));
                let method_name = methods.unique(field_name(&type_stem, "call"));

                // Path-level parameters first, then the operation's, which win a name clash.
                let mut names = Namespace::new();
                // The method's own arguments and the locals of its body.
                METHOD_LOCALS.iter().for_each(|name| names.reserve(name));
                let mut parameters: Vec<Parameter> = Vec::new();
                let sources =
                    item.parameters
                        .iter()
                        .enumerate()
                        .map(|(i, p)| (pointer_join(&pointer_join(&item_pointer, "parameters"), &i.to_string()), p))
                        .chain(
                            operation.parameters.iter().enumerate().map(|(i, p)| {
                                (pointer_join(&pointer_join(&op_pointer, "parameters"), &i.to_string()), p)
                            }),
                        )
                        .collect::<Vec<_>>();
                for (pointer, parameter) in sources {
                    let Some((parameter, pointer)) = self.resolve_parameter(parameter, &pointer) else { continue };
                    if let Some(parameter) = self.lower_one_parameter(&parameter, &pointer, &type_stem, &mut names) {
                        parameters
                            .retain(|p| !(p.wire_name == parameter.wire_name && p.location == parameter.location));
                        parameters.push(parameter);
                    }
                }
                // The rust names were claimed in the order met; an overridden parameter's name
                // stays claimed, which only costs a suffix in a rare case.
                let mut setters = crate::naming::struct_methods();
                for parameter in parameters.iter_mut().filter(|p| !p.required) {
                    parameter.setter = Some(setters.unique(crate::naming::setter_name(&parameter.rust_name)));
                }

                let template = self.path_template(path, &op_pointer, &mut parameters, &mut names);
                let mut xml_method_name = None;
                let (json_body, xml_body, form_bodies, body_required) = match &operation.request_body {
                    Some(body) => match self.resolve_body(body, &op_pointer) {
                        Some((body, pointer)) => {
                            let hint = match &operation.request_body {
                                Some(ReferenceOr::Reference { .. }) => hint_from_pointer(&pointer),
                                _ => type_name(&format!("{type_stem} request"), "Request"),
                            };
                            let lowered = self.lower_content_all(&body.content, &pointer, &hint);
                            let json = lowered.iter().find(|b| is_json(&b.media_type)).cloned();
                            let xml = json.is_some() && body.content.keys().any(|m| is_xml(m));
                            // Claimed now, in the order the methods are emitted; dropped in
                            // `lower` if the body's type turns out to have no XML form.
                            xml_method_name = xml.then(|| methods.unique(format!("{method_name}_xml")));
                            let mut forms = self.form_bodies(
                                &body.content,
                                &lowered,
                                &pointer,
                                json.is_none(),
                                &method_name,
                                methods,
                            );
                            // Every other media type (an image, `application/octet-stream`, text,
                            // XML without a JSON form) is sent as bytes, by one method.
                            let raw: Vec<String> = body
                                .content
                                .keys()
                                .filter(|m| !is_json(m) && form_kind(m).is_none() && !(xml && is_xml(m)))
                                .cloned()
                                .collect();
                            if !raw.is_empty() {
                                let method_name = if json.is_none() && forms.is_empty() {
                                    method_name.clone()
                                } else {
                                    methods.unique(format!("{method_name}_bytes"))
                                };
                                forms.push(FormBody {
                                    kind: FormKind::Raw,
                                    method_name,
                                    ty: TypeRef::Primitive(Primitive::Binary),
                                    pointer: pointer_join(&pointer, "content"),
                                    encoding: Vec::new(),
                                    media_types: raw,
                                });
                            }
                            (json, xml, forms, body.required)
                        }
                        None => (None, false, Vec::new(), false),
                    },
                    None => (None, false, Vec::new(), false),
                };

                if !operation.callbacks.is_empty() {
                    self.diags.warning(
                        pointer_join(&op_pointer, "callbacks"),
                        "callbacks are requests the server makes, not the client: nothing is generated for them",
                    );
                }
                let (responses, stream) = self.lower_responses(operation, &op_pointer, &type_stem);
                let stream = stream.map(|stream| StreamResponse {
                    method_name: methods.unique(format!("{method_name}_stream")),
                    ..stream
                });
                let download_method_name =
                    responses.iter().any(|r| r.binary).then(|| methods.unique(format!("{method_name}_download")));
                let requirements = operation.security.as_ref().or(spec.openapi.security.as_ref());
                let mut security: Vec<String> = Vec::new();
                let mut security_requirements: Vec<Vec<String>> = Vec::new();
                for requirement in requirements.into_iter().flatten() {
                    for scheme in requirement.keys() {
                        if !security.contains(scheme) {
                            security.push(scheme.clone());
                        }
                    }
                    security_requirements.push(requirement.keys().cloned().collect());
                }
                let response_type = self.claim_type_name(&type_name(&format!("{type_stem} response"), "Response"));
                let options_type = self.claim_type_name(&type_name(&format!("{type_stem} options"), "Options"));
                // The mock's own types sit beside a glob import of the schema types, as the
                // client's do: claimed in the same namespace, so neither shadows the other.
                let mock = MockNames {
                    call: self.claim_type_name(&type_name(&format!("{type_stem} call"), "Call")),
                    body: self.claim_type_name(&type_name(&format!("{type_stem} body"), "Body")),
                    handler: mock_methods.unique(format!("on_{method_name}")),
                };
                self.operations.push(Operation {
                    id,
                    method_name,
                    type_stem,
                    response_type,
                    options_type,
                    method: Method::parse(method),
                    path: path.clone(),
                    template,
                    pointer: op_pointer.clone(),
                    doc: Doc {
                        title: operation.summary.clone(),
                        description: operation.description.clone(),
                        pointer: op_pointer.clone(),
                    },
                    parameters,
                    xml_body,
                    xml_method_name,
                    download_method_name,
                    json_body,
                    form_bodies,
                    body_required,
                    responses,
                    security,
                    security_requirements,
                    stream,
                    mock,
                    tags: operation.tags.clone(),
                    feature: None,
                });
            }
        }
    }

    /// Parses the path template once, and checks it against the path parameters (OpenAPI:
    /// each placeholder must have one, and each path parameter a placeholder). A placeholder
    /// without a parameter becomes a required string parameter of its own, since the template
    /// says the path needs a value there; a path parameter without a placeholder is dropped,
    /// since there is nowhere to send it. Both are warnings that say so.
    fn path_template(
        &mut self,
        path: &str,
        op_pointer: &str,
        parameters: &mut Vec<Parameter>,
        names: &mut Namespace,
    ) -> Vec<PathPart> {
        let (template, malformed) = parse_template(path);
        if let Some(problem) = malformed {
            self.diags.warning(op_pointer, format!("the path `{path}` has {problem}; it is sent as written there"));
        }
        for part in &template {
            let PathPart::Param(name) = part else { continue };
            if parameters.iter().any(|p| p.location == ParamLocation::Path && &p.wire_name == name) {
                continue;
            }
            let rust_name = names.unique(field_name(name, "param"));
            self.diags.warning(
                op_pointer,
                format!(
                    "the path `{path}` has a placeholder `{{{name}}}`, but the operation declares no path parameter `{name}`; the method takes it as a required string argument `{rust_name}`"
                ),
            );
            parameters.push(Parameter {
                wire_name: name.clone(),
                rust_name,
                // Required: no setter on the options struct.
                setter: None,
                location: ParamLocation::Path,
                required: true,
                ty: TypeRef::Primitive(Primitive::String),
                explode: false,
                style: Style::Simple,
                rules: Rules::default(),
                doc: Doc {
                    title: None,
                    description: Some("Named by the path template; the spec declares no parameter for it.".to_owned()),
                    pointer: op_pointer.to_owned(),
                },
            });
        }
        parameters.retain(|p| {
            let placed = template.iter().any(|part| matches!(part, PathPart::Param(name) if *name == p.wire_name));
            if p.location == ParamLocation::Path && !placed {
                self.diags.warning(
                    &p.doc.pointer,
                    format!(
                        "path parameter `{}` has no placeholder in the path `{path}`; it cannot be sent, so the method does not take it",
                        p.wire_name
                    ),
                );
            }
            p.location != ParamLocation::Path || placed
        });
        template
    }

    /// A request body or a `$ref` to one, resolved, with its pointer.
    fn resolve_body(
        &mut self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        op_pointer: &str,
    ) -> Option<(openapiv3::RequestBody, String)> {
        let pointer = pointer_join(op_pointer, "requestBody");
        match body {
            ReferenceOr::Item(body) => Some((body.clone(), pointer)),
            ReferenceOr::Reference { reference } => {
                let Some(value) = resolve_pointer(&self.spec.raw, reference) else {
                    self.diags
                        .error(&pointer, format!("request body `{reference}` does not resolve; the body is not sent"));
                    return None;
                };
                let target = percent_decode(reference).unwrap_or_else(|| reference.clone());
                match read_ref_target(value, &target, false) {
                    Ok(body) => Some((body, target)),
                    Err(err) => {
                        self.diags.error(
                            &pointer,
                            format!("request body `{reference}` is not a valid Request Body Object: {err}"),
                        );
                        None
                    }
                }
            }
        }
    }

    /// The `multipart/form-data` and `application/x-www-form-urlencoded` forms of a body
    /// (their schemas were lowered with the others by `lower_content`). The first takes the
    /// operation's plain method name where the body has no JSON form; the others get a suffix.
    fn form_bodies(
        &mut self,
        content: &openapiv3::Content,
        lowered: &[Body],
        pointer: &str,
        first_is_plain: bool,
        method_name: &str,
        methods: &mut Namespace,
    ) -> Vec<FormBody> {
        let mut forms: Vec<FormBody> = Vec::new();
        // JSON first, then form-urlencoded, then multipart: the plain method sends the first.
        let mut found: Vec<(FormKind, &String, &openapiv3::MediaType)> =
            content.iter().filter_map(|(media, m)| Some((form_kind(media)?, media, m))).collect();
        found.sort_by_key(|(kind, _, _)| *kind == FormKind::Multipart);
        for (kind, media, media_type) in found {
            let here = pointer_join(&pointer_join(pointer, "content"), media);
            if forms.iter().any(|f| f.kind == kind) {
                self.diags.warning(&here, format!("a second {media} media type; only the first is sent"));
                continue;
            }
            let Some(ty) = lowered.iter().find(|b| &b.media_type == media).map(|b| b.ty.clone()) else {
                self.diags
                    .warning(&here, format!("{media} without a schema: there is nothing to send; no method for it"));
                continue;
            };
            if !self.is_struct(&ty) {
                self.diags.warning(
                    &here,
                    format!("a {media} body must be an object with properties to be sent as a form; no method for it"),
                );
                continue;
            }
            let encoding = media_type
                .encoding
                .iter()
                .map(|(name, e)| {
                    let content_types = e
                        .content_type
                        .iter()
                        .flat_map(|c| c.split(','))
                        .map(|c| c.trim().to_owned())
                        .filter(|c| !c.is_empty())
                        .collect();
                    let style = match e.style {
                        Some(openapiv3::QueryStyle::DeepObject) => Style::DeepObject,
                        Some(openapiv3::QueryStyle::SpaceDelimited) => Style::SpaceDelimited,
                        Some(openapiv3::QueryStyle::PipeDelimited) => Style::PipeDelimited,
                        _ => Style::Form,
                    };
                    // `openapiv3` reads an absent `explode` as false; its default is true for `form`.
                    let written =
                        resolve_pointer(&self.spec.raw, &pointer_join(&pointer_join(&here, "encoding"), name))
                            .and_then(|e| e.get("explode"))
                            .and_then(serde_json::Value::as_bool);
                    let explode = written.unwrap_or(style == Style::Form);
                    (name.clone(), PartEncoding { content_types, style, explode })
                })
                .collect();
            let method_name = if first_is_plain && forms.is_empty() {
                method_name.to_owned()
            } else {
                let suffix = match kind {
                    FormKind::Multipart => "multipart",
                    FormKind::UrlEncoded => "form",
                    FormKind::Raw => "bytes",
                };
                methods.unique(format!("{method_name}_{suffix}"))
            };
            forms.push(FormBody { kind, method_name, ty, pointer: here, encoding, media_types: vec![media.clone()] });
        }
        forms
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
                        self.diags.error(
                            pointer,
                            format!("`{reference}` is not a valid Parameter Object: {err}; the parameter is left out"),
                        );
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
        let (location, style) = match parameter {
            openapiv3::Parameter::Path { style, .. } => {
                if !matches!(style, openapiv3::PathStyle::Simple) {
                    self.diags.warning(
                        pointer,
                        format!(
                            "path parameter `{}`: only the `simple` style is supported; it is sent as `simple`",
                            data.name
                        ),
                    );
                }
                (ParamLocation::Path, Style::Simple)
            }
            openapiv3::Parameter::Query { style, .. } => (
                ParamLocation::Query,
                match style {
                    openapiv3::QueryStyle::Form => Style::Form,
                    openapiv3::QueryStyle::SpaceDelimited => Style::SpaceDelimited,
                    openapiv3::QueryStyle::PipeDelimited => Style::PipeDelimited,
                    openapiv3::QueryStyle::DeepObject => Style::DeepObject,
                },
            ),
            openapiv3::Parameter::Header { .. } => {
                if !is_header_name(&data.name) {
                    self.diags.warning(
                        pointer,
                        format!("header parameter `{}` is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only); it is not sent", data.name.escape_debug()),
                    );
                    return None;
                }
                (ParamLocation::Header, Style::Simple)
            }
            openapiv3::Parameter::Cookie { .. } => {
                self.diags
                    .warning(pointer, format!("cookie parameter `{}` is not supported; it is not sent", data.name));
                return None;
            }
        };
        let hint = type_name(&format!("{type_stem} {}", data.name), "Parameter");
        let ty = self.lower_parameter(parameter, pointer, &hint)?;
        let rules = match &data.format {
            openapiv3::ParameterSchemaOrContent::Schema(_) => self.rules_at(&pointer_join(pointer, "schema"), false, 0),
            openapiv3::ParameterSchemaOrContent::Content(_) => Rules::default(),
        };
        let explode = data.explode.unwrap_or(style == Style::Form);
        Some(Parameter {
            wire_name: data.name.clone(),
            rust_name: names.unique(field_name(&data.name, "param")),
            location,
            // Path parameters are always required, whatever the spec says.
            required: data.required || location == ParamLocation::Path,
            ty,
            explode,
            style,
            rules,
            doc: Doc { title: None, description: data.description.clone(), pointer: pointer.to_owned() },
            setter: None,
        })
    }

    /// The documented responses, and the first success response with a streaming media type
    /// (its method name left to the caller).
    fn lower_responses(
        &mut self,
        operation: &openapiv3::Operation,
        op_pointer: &str,
        type_stem: &str,
    ) -> (Vec<ResponseCase>, Option<StreamResponse>) {
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
        let mut stream = None;
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
            // JSON where the response has it; else XML, which the client then reads first.
            let bodies = self.lower_content_all(&response.content, &content_pointer, &hint);
            let json = bodies.iter().find(|b| is_json(&b.media_type));
            let xml_only = json.is_none() && bodies.iter().any(|b| is_xml(&b.media_type));
            let body = json.or_else(|| bodies.iter().find(|b| is_xml(&b.media_type))).map(|b| b.ty.clone());
            let binary = response.content.keys().any(|m| is_binary(m));
            let success = matches!(status, Status::Code(200..=299) | Status::Range(2));
            if let Some(media) = response.content.keys().find(|m| success && stream.is_none() && is_stream(m)) {
                let item = bodies.iter().find(|b| &b.media_type == media).map(|b| b.ty.clone());
                stream = Some(StreamResponse {
                    method_name: String::new(),
                    media_type: media.clone(),
                    item: item.filter(|ty| *ty != TypeRef::Primitive(Primitive::String)),
                    pointer: pointer_join(&pointer_join(&content_pointer, "content"), media),
                });
            }
            if !response.links.is_empty() {
                self.diags.warning(
                    pointer_join(&content_pointer, "links"),
                    "links describe how responses feed later requests; the client does not follow them (nothing is generated)",
                );
            }
            out.push(ResponseCase {
                status,
                variant: variants.unique(status_variant(status)),
                body,
                xml_only,
                binary,
                example: json.and_then(|b| example(&response.content, &b.media_type, &self.spec.raw)),
                doc: Doc { title: None, description: Some(response.description.clone()), pointer },
            });
        }
        // Explicit codes take precedence over ranges, and both over `default` (OpenAPI 3.0,
        // Responses Object); a stable sort keeps the spec's order within each group.
        out.sort_by_key(|case| match case.status {
            Status::Code(_) => 0,
            Status::Range(_) => 1,
            Status::Default => 2,
        });
        (out, stream)
    }

    /// `components/securitySchemes`, in the spec's order.
    /// Their fields and setters are claimed among the client's own (a scheme keyed `config`
    /// must not take the `with_config` constructor's name, nor one keyed `transport` the
    /// transport's field).
    pub fn lower_security_schemes(&mut self, client: &mut ClientNames) -> Vec<SecurityScheme> {
        let spec = self.spec;
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
                    if !is_header_name(name) {
                        self.diags.warning(
                            &pointer,
                            format!("security scheme `{key}`: `{}` is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only); the scheme is left out", name.escape_debug()),
                        );
                        continue;
                    }
                    (SecurityKind::ApiKeyHeader(name.to_ascii_lowercase()), description)
                }
                SpecScheme::APIKey { location: openapiv3::APIKeyLocation::Query, name, description, .. } => {
                    (SecurityKind::ApiKeyQuery(name.clone()), description)
                }
                SpecScheme::APIKey { location: openapiv3::APIKeyLocation::Cookie, name, description, .. } => {
                    (SecurityKind::ApiKeyCookie(name.clone()), description)
                }
                SpecScheme::OAuth2 { description, .. } | SpecScheme::OpenIDConnect { description, .. } => {
                    // The client does not run the flow; it sends the token the caller got.
                    (SecurityKind::Bearer, description)
                }
                other => {
                    self.diags.warning(
                        &pointer,
                        format!("security scheme `{key}` ({other:?}) is not supported; it is left out"),
                    );
                    continue;
                }
            };
            let stem = field_name(key, "auth");
            let rust_name = client.fields.unique(stem.clone());
            let setter = client.methods.unique(format!("with_{stem}"));
            out.push(SecurityScheme {
                key: key.clone(),
                rust_name,
                setter,
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

/// Whether a response under `media` is a stream of events.
/// Whether `name` can be a header's name: an RFC 9110 token (section 5.6.2). Anything else
/// cannot be sent at all, so the runtime would refuse every request that carried it.
fn is_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A path template (`/things/{id}/parts`) as literal text and placeholders, and what is wrong
/// with it, if anything: a `{` with no `}` after it, or a placeholder with no name, is text.
fn parse_template(path: &str) -> (Vec<PathPart>, Option<String>) {
    let mut parts = Vec::new();
    let mut problem = None;
    let mut literal = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        literal.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find(['}', '{']).filter(|&close| after[close..].starts_with('}'));
        match close {
            Some(close) if close > 0 => {
                if !literal.is_empty() {
                    parts.push(PathPart::Literal(std::mem::take(&mut literal)));
                }
                parts.push(PathPart::Param(after[..close].to_owned()));
                rest = &after[close + 1..];
            }
            Some(_) => {
                problem.get_or_insert_with(|| "an empty placeholder `{}`".to_owned());
                literal.push_str("{}");
                rest = &after[1..];
            }
            None => {
                problem.get_or_insert_with(|| "a `{` that no `}` closes".to_owned());
                literal.push('{');
                rest = after;
            }
        }
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(PathPart::Literal(literal));
    }
    (parts, problem)
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

/// The spec's example of a response's body under `media_type`: the media type's `example`,
/// else its first `examples` entry's `value` (through a `$ref` to `components/examples`), else
/// the schema's own `example` (through a `$ref`). The mock answers with it, after reading and
/// validating it as the response's type.
fn example(content: &openapiv3::Content, media_type: &str, raw: &serde_json::Value) -> Option<serde_json::Value> {
    let media = content.get(media_type)?;
    if let Some(example) = &media.example {
        return Some(example.clone());
    }
    if let Some((_, first)) = media.examples.first() {
        let value = match first {
            ReferenceOr::Item(example) => example.value.clone(),
            ReferenceOr::Reference { reference } => {
                resolve_pointer(raw, reference).and_then(|e| e.get("value")).cloned()
            }
        };
        if value.is_some() {
            return value;
        }
    }
    match media.schema.as_ref()? {
        ReferenceOr::Item(schema) => schema.schema_data.example.clone(),
        ReferenceOr::Reference { reference } => resolve_pointer(raw, reference).and_then(|s| s.get("example")).cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(text: &str) -> PathPart {
        PathPart::Literal(text.to_owned())
    }

    fn param(name: &str) -> PathPart {
        PathPart::Param(name.to_owned())
    }

    #[test]
    fn templates_parse_into_text_and_placeholders() {
        assert_eq!(parse_template("/things/{id}/parts"), (vec![lit("/things/"), param("id"), lit("/parts")], None));
        assert_eq!(parse_template("/{a}{b}"), (vec![lit("/"), param("a"), param("b")], None));
        assert_eq!(parse_template("/plain"), (vec![lit("/plain")], None));
    }

    #[test]
    fn malformed_templates_are_text_and_say_why() {
        assert_eq!(parse_template("/a/{id"), (vec![lit("/a/{id")], Some("a `{` that no `}` closes".to_owned())));
        assert_eq!(parse_template("/a/{}/b"), (vec![lit("/a/{}/b")], Some("an empty placeholder `{}`".to_owned())));
        assert_eq!(
            parse_template("/a/{x{id}"),
            (vec![lit("/a/{x"), param("id")], Some("a `{` that no `}` closes".to_owned()))
        );
    }
}

//! Emit of `src/mock.rs`, the crate's mock server (its `mock` feature): routing each request to
//! its operation, reading the parameters and the body into the spec's types, checking them
//! with the same checks the client runs before sending (so violations carry the same
//! pointers: `/query/limit`, `/body/customer/email`), and answering from a registered handler,
//! the spec's example, or a generated value, each answer checked before it is sent.
//!
//! The socket, recording and faults are the runtime's (`apigen_runtime::mock`); what is
//! emitted here is what the spec decides. The code that names schema types sits in a private
//! module `ops` beside a glob import of the types, as the client's does; its own types are
//! claimed in lowering with the schema types, so neither shadows the other. The module root,
//! which defines `Server`, names no schema type. What a request is answered with, and the
//! check of every answer before it is sent, are `answer`'s.

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::client::{content_type_checks, form_struct, is_scalar, path_order, response_body, xml_form};
use super::doc::doc_attrs;
use super::types::{ident, type_tokens};
use super::uses;
use super::validate::Checks;
use crate::diag::pointer_join;
use crate::emit::prelude::{BOX, ERR, NONE, OK, OPTION, RESULT, SOME, STRING, VEC};
use crate::model::{
    ApiModel, FormBody, FormKind, Operation, ParamLocation, Parameter, PathPart, Primitive, SecurityKind, Style,
    TypeKind, TypeRef,
};
use answer::{fallback_reply, send_function};

mod answer;

pub fn mock_module(model: &ApiModel) -> TokenStream {
    let mut checks = Checks::new(model);
    let mut security = SecuritySets::default();
    let strategies = crate::emit::arbitrary::function_names(model);
    let mut ops = Vec::new();
    let mut request_checks = Vec::new();
    for op in &model.operations {
        let (answering, request_check) = operation_items(model, &mut checks, &mut security, &strategies, op);
        ops.push(answering);
        request_checks.push(request_check);
    }
    let mut statics = security.statics();
    statics.extend(checks.statics());
    let exported: Vec<TokenStream> = model
        .operations
        .iter()
        .flat_map(|op| {
            let call = ident(&op.mock.call);
            let body = needs_body_enum(op).then(|| ident(&op.mock.body));
            std::iter::once(quote!(#call)).chain(body.map(|b| quote!(#b)))
        })
        .collect();
    let fields = model.operations.iter().map(|op| {
        let field = ident(&op.method_name);
        let call = ident(&op.mock.call);
        let response = ident(&op.response_type);
        quote! { #field: mock::Slot<ops::#call, super::client::#response>, }
    });
    let registrations = model.operations.iter().map(|op| {
        let name = ident(&op.mock.handler);
        let field = ident(&op.method_name);
        let call = ident(&op.mock.call);
        let response = ident(&op.response_type);
        let doc = format!(
            " Answers `{}` with `handler` from now on: it receives the request, read into the spec's types and valid, and returns one of `{}`'s variants (or a `Reply` of one, with a status or headers), which is checked against the spec before it is sent.",
            op.id, op.response_type
        );
        quote! {
            #[doc = #doc]
            pub fn #name<F, R>(&self, handler: F)
            where
                F: ::std::ops::Fn(&#call) -> R + ::std::marker::Send + ::std::marker::Sync + 'static,
                R: ::std::convert::Into<Reply<super::client::#response>>,
            {
                self.handlers.#field.set(handler);
            }
        }
    });
    let route = route_function(model);
    let (answers, requests, responses) = dispatch(model);
    // The path parameters' values, where some operation has any.
    let path = if model.operations.iter().any(has_params) { quote!(path) } else { quote!(_path) };
    let secrets = secrets(model);
    let title = format!(" A mock server of {}, in this process, on a loopback port.", model.title.trim());
    let runtime = super::runtime_modules(&["check", "client", "mock"]);
    quote! {
        //! The mock server (feature `mock`): every request checked against the spec, every
        //! answer too. See `Server`; and `proxy`, which forwards to a real server and reports
        //! what breaks the spec.

        pub use ::apigen_runtime::mock::{Fault, Proxy, Recorded, Reply, Report, Side};
        pub use ops::{ #( #exported ),* };
        use ::apigen_runtime::mock::Handler;
        #runtime

        /// Headers, query parameters and cookies that carry credentials, hidden in `Recorded`'s
        /// `Debug`.
        const SECRETS: &[&str] = &[ #( #secrets ),* ];


        #[doc = #title]
        ///
        /// Each request is routed to its operation (`404` for an unknown path, `405` for a
        /// known path with another method). One that meets none of the operation's security
        /// requirements (alternatives, each of schemes all needed together) is answered `401`
        /// with what it misses. The rest is read and checked as the spec says: path, query and
        /// header parameters, and the body in each media type the client sends. A request that breaks the spec is
        /// answered `400` with an `application/problem+json` body listing every violation, at
        /// the pointers the client's own validation reports (`/body/...`, `/query/...`).
        ///
        /// A valid request is answered by the operation's handler (`on_<method>`), else with
        /// the spec's example of its first success response, else (feature `arbitrary`) with a
        /// value generated for it; with none of these it is answered `501`. Every answer is
        /// checked against its response's schema and status first: one that breaks the spec
        /// is answered `500` with the violations instead, so the mock never lies about the API.
        /// Faults (`Server::fault`) are sent as they are.
        pub struct Server {
            inner: mock::MockServer,
            handlers: ::std::sync::Arc<Handlers>,
        }

        impl Server {
            /// Starts a mock server on `127.0.0.1`, on a port the system picks, served by the
            /// current tokio runtime; it stops when dropped.
            pub async fn start() -> ::std::io::Result<Self> {
                let handlers = ::std::sync::Arc::new(Handlers::default());
                let inner = mock::MockServer::start(handlers.clone(), SECRETS).await?;
                #OK(Self { inner, handlers })
            }

            /// The base URL to give the client (`http://127.0.0.1:<port>`).
            pub fn url(&self) -> &str {
                self.inner.url()
            }

            /// Every request received so far, in order, with the status answered and the
            /// violations found.
            pub fn requests(&self) -> #VEC<Recorded> {
                self.inner.requests()
            }

            /// Forgets the requests recorded so far.
            pub fn clear_requests(&self) {
                self.inner.clear_requests()
            }

            /// Queues a fault for the next request that has none: a status, a delay, a reset
            /// connection, a `Retry-After`.
            pub fn fault(&self, fault: Fault) {
                self.inner.fault(fault)
            }

            #( #registrations )*
        }

        impl ::std::fmt::Debug for Server {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("Server").field("url", &self.inner.url()).finish_non_exhaustive()
            }
        }

        /// The registered handlers, one per operation.
        #[derive(Default)]
        struct Handlers {
            #( #fields )*
        }

        impl mock::Api for Handlers {
            fn answer(&self, request: &mock::Incoming) -> mock::Answer {
                let (operation, #path) = match route(request) {
                    #OK(found) => found,
                    #ERR(refused) => return refused,
                };
                match operation {
                    #answers
                    _ => mock::Answer::no_route(request),
                }
            }
        }

        /// A validation proxy to `upstream` (a base URL): a loopback server that forwards every
        /// request unchanged and passes the answer back unchanged, and reports each request
        /// and answer that breaks the spec, judged by the mock's own checks (see
        /// `apigen_runtime::mock::Proxy`). `.strict()` refuses a request that breaks the spec
        /// as the mock does, instead of forwarding it.
        pub fn proxy(upstream: &str) -> mock::ProxyBuilder {
            mock::ProxyBuilder::new(::std::sync::Arc::new(Spec), upstream)
        }

        /// The spec as the validation proxy judges exchanges by it: the mock's routing, its
        /// request checks, and its answer checks on what the client reads from the upstream.
        struct Spec;

        impl mock::Contract for Spec {
            fn check_request(
                &self,
                request: &mock::Incoming,
            ) -> #RESULT<&'static str, mock::Answer> {
                let (operation, #path) = route(request)?;
                let checked = match operation {
                    #requests
                    _ => #OK(()),
                };
                checked.map(|()| operation).map_err(|refused| refused.operation(operation))
            }

            fn check_response(
                &self,
                operation: &'static str,
                response: client::Response,
            ) -> #VEC<::apigen_runtime::ValidationError> {
                match operation {
                    #responses
                    _ => #VEC::new(),
                }
            }
        }

        #route

        /// What names the spec's types: reading, checking and answering each operation.
        mod ops {
            #[allow(unused_imports)]
            use super::super::types::*;
            use super::Reply;
            #runtime

            #( #ops )*

            /// Each operation's request check, named as its client method: what the mock
            /// answers with, and the proxy reports, when a request breaks the spec.
            pub(super) mod requests {
                use super::*;

                #( #request_checks )*
            }

            #statics
        }
    }
}

/// The routing, `fn route`: the operation a request is for, with its path parameters' values,
/// or the answer for a path no operation has (`404`) or a method its operations lack (`405`).
/// Templates without parameters are tried first (OpenAPI: a concrete path wins over a
/// templated one that also matches), each in the spec's order. The mock and the proxy both
/// route through it.
fn route_function(model: &ApiModel) -> TokenStream {
    let mut ordered: Vec<&Operation> = model.operations.iter().filter(|op| !has_params(op)).collect();
    ordered.extend(model.operations.iter().filter(|op| has_params(op)));
    let arms = ordered.iter().map(|op| {
        let segments = op.template.iter().map(|part| match part {
            PathPart::Literal(text) => quote!(mock::Segment::Literal(#text)),
            PathPart::Param(_) => quote!(mock::Segment::Param),
        });
        let method = op.method.as_str();
        let id = &op.id;
        let matched = quote!(mock::match_path(&[ #( #segments ),* ], request.path()));
        let (test, path) = if has_params(op) {
            (quote!(let #SOME(path) = #matched), quote!(path))
        } else {
            (quote!(#matched.is_some()), quote!(#VEC::new()))
        };
        quote! {
            if #test {
                if request.method() == #method {
                    return #OK((#id, #path));
                }
                allowed.push(#method);
            }
        }
    });
    quote! {
        /// The operation a request is for (its `operationId`), with its path parameters'
        /// values, or the answer for a path no operation has (`404`) or a method its
        /// operations lack (`405`).
        fn route(
            request: &mock::Incoming,
        ) -> #RESULT<(&'static str, #VEC<#STRING>), mock::Answer> {
            let mut allowed: #VEC<&str> = #VEC::new();
            #( #arms )*
            if allowed.is_empty() {
                #ERR(mock::Answer::no_route(request))
            } else {
                #ERR(mock::Answer::wrong_method(request, &allowed))
            }
        }
    }
}

/// The mock's dispatch (each routed request answered by its operation's function, with its
/// handler) and the proxy's (each routed request, and each upstream answer, checked by its
/// operation's checks), one `match` on the operation id each.
fn dispatch(model: &ApiModel) -> (TokenStream, TokenStream, TokenStream) {
    let mut answers = Vec::new();
    let mut requests = Vec::new();
    let mut responses = Vec::new();
    for op in &model.operations {
        let id = &op.id;
        let field = ident(&op.method_name);
        let function = ident(&op.method_name);
        let path = has_params(op).then(|| quote!(&path,));
        answers.push(quote! {
            #id => self.#field.answer(|handler| ops::#function(request, #path handler).operation(#id)),
        });
        requests.push(quote!(#id => ops::requests::#function(request, #path).map(|_| ()),));
        let send = format_ident!("send_{}", op.method_name);
        responses.push(quote!(#id => mock::upstream_violations(response, super::client::read::#function, ops::#send),));
    }
    (quote!(#( #answers )*), quote!(#( #requests )*), quote!(#( #responses )*))
}

fn has_params(op: &Operation) -> bool {
    op.template.iter().any(|part| matches!(part, PathPart::Param(_)))
}

/// The names whose values carry credentials, lower case for headers, each once.
fn secrets(model: &ApiModel) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for scheme in &model.security_schemes {
        let name = match &scheme.kind {
            SecurityKind::ApiKeyHeader(name) => name.to_ascii_lowercase(),
            SecurityKind::ApiKeyQuery(name) | SecurityKind::ApiKeyCookie(name) => name.clone(),
            SecurityKind::Bearer | SecurityKind::Basic => continue,
        };
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// The check of an operation's security requirements (see [`Operation::security_requirements`]),
/// or `None` where every request meets them.
///
/// A scheme the model left out (one apigen does not support, or a key no scheme has) cannot be
/// checked, so it counts as present: the mock must never refuse a request the spec allows. An
/// alternative that needs nothing else then lets every request in, and no check is emitted.
fn security_check(model: &ApiModel, sets: &mut SecuritySets, op: &Operation) -> Option<TokenStream> {
    let mut alternatives: Vec<TokenStream> = Vec::new();
    for requirement in &op.security_requirements {
        let credentials: Vec<TokenStream> = requirement
            .iter()
            .filter_map(|key| model.security_schemes.iter().find(|s| &s.key == key))
            .map(|scheme| {
                let (place, pointer) = match &scheme.kind {
                    SecurityKind::Bearer => (quote!(Bearer), "/header/authorization".to_owned()),
                    SecurityKind::Basic => (quote!(Basic), "/header/authorization".to_owned()),
                    SecurityKind::ApiKeyHeader(name) => {
                        let lower = name.to_ascii_lowercase();
                        let pointer = pointer_join("/header", &lower);
                        (quote!(Header(#lower)), pointer)
                    }
                    SecurityKind::ApiKeyQuery(name) => (quote!(Query(#name)), pointer_join("/query", name)),
                    SecurityKind::ApiKeyCookie(name) => (quote!(Cookie(#name)), pointer_join("/cookie", name)),
                };
                let key = &scheme.key;
                quote! {
                    mock::Credential {
                        scheme: #key,
                        place: client::Placement::#place,
                        pointer: #pointer,
                    }
                }
            })
            .collect();
        if credentials.is_empty() {
            return None;
        }
        alternatives.push(quote!(&[ #( #credentials ),* ]));
    }
    if alternatives.is_empty() {
        return None;
    }
    let set = sets.name(quote!(&[ #( #alternatives ),* ]));
    Some(quote! {
        if let #SOME(refused) = mock::check_security(request, #set) {
            return #ERR(refused);
        }
    })
}

/// The operations' security requirements, one static per distinct set (most operations of an
/// API ask for the same), in the order of their first use.
#[derive(Default)]
struct SecuritySets {
    sets: Vec<TokenStream>,
    index: BTreeMap<String, usize>,
}

impl SecuritySets {
    /// The static holding `set`.
    fn name(&mut self, set: TokenStream) -> Ident {
        let next = self.sets.len();
        let at = *self.index.entry(set.to_string()).or_insert(next);
        if at == next {
            self.sets.push(set);
        }
        format_ident!("SECURITY_{}", at)
    }

    fn statics(&self) -> TokenStream {
        let statics = self.sets.iter().enumerate().map(|(at, set)| {
            let name = format_ident!("SECURITY_{}", at);
            quote! {
                /// Security requirements: any one of them, each with every credential it names.
                static #name: &[&[mock::Credential]] = #set;
            }
        });
        quote!(#( #statics )*)
    }
}

/// The forms a body may come in, each with the type it is read into.
struct BodyForm<'o> {
    /// The variant of the body enum.
    variant: &'static str,
    ty: TypeRef,
    /// `None` for the JSON body (read as JSON, and as XML where the operation takes it).
    form: Option<&'o FormBody>,
}

fn body_forms(op: &Operation) -> Vec<BodyForm<'_>> {
    let mut out = Vec::new();
    if let Some(body) = &op.json_body {
        out.push(BodyForm { variant: "Json", ty: body.ty.clone(), form: None });
    }
    for form in &op.form_bodies {
        let variant = match form.kind {
            FormKind::Multipart => "Multipart",
            FormKind::UrlEncoded => "Form",
            FormKind::Raw => "Bytes",
        };
        out.push(BodyForm { variant, ty: form.ty.clone(), form: Some(form) });
    }
    out
}

/// A body whose forms are read into different types is an enum of them.
fn needs_body_enum(op: &Operation) -> bool {
    let forms = body_forms(op);
    forms.iter().any(|f| f.ty != forms[0].ty)
}

/// The items of one operation: its call struct, its body enum where it needs one, the function
/// that answers a request and the one that checks and writes an answer (for `ops`); the
/// function that reads and checks a request (for `ops::requests`). Each is named as the
/// operation's client method, unique among operations, in a module of its own kind, so no two
/// can collide. (The proxy judges an upstream's answer with the client's `read` function and the
/// answer's `send_` function: see `dispatch`.)
fn operation_items(
    model: &ApiModel,
    checks: &mut Checks<'_>,
    security: &mut SecuritySets,
    strategies: &[(Ident, Ident)],
    op: &Operation,
) -> (TokenStream, TokenStream) {
    let call = ident(&op.mock.call);
    let body_name = ident(&op.mock.body);
    let response = ident(&op.response_type);
    let forms = body_forms(op);
    let body_enum = needs_body_enum(op);

    // The call struct.
    let params: Vec<&Parameter> = {
        let path = path_order(op);
        let mut all = path.clone();
        all.extend(op.parameters.iter().filter(|p| p.location != ParamLocation::Path));
        all
    };
    let mut fields = Vec::new();
    for p in &params {
        let name = ident(&p.rust_name);
        let ty = type_tokens(model, p.ty.non_null());
        let doc = doc_attrs(&p.doc);
        fields.push(if p.required { quote!(#doc pub #name: #ty,) } else { quote!(#doc pub #name: #OPTION<#ty>,) });
    }
    let body_ty = if forms.is_empty() {
        None
    } else if body_enum {
        Some(quote!(#body_name))
    } else {
        Some(type_tokens(model, &forms[0].ty))
    };
    if let Some(ty) = &body_ty {
        fields.push(if op.body_required {
            quote!(#[doc = " The body."] pub body: #ty,)
        } else {
            quote!(#[doc = " The body, where the request has one."] pub body: #OPTION<#ty>,)
        });
    }
    let call_doc = format!(
        " A `{}` request (`{} {}`) as the mock received it: read into the spec's types, and valid.",
        op.id, op.method, op.path
    );
    let body_enum_item = body_enum.then(|| {
        let variants = forms.iter().map(|f| {
            let variant = ident(f.variant);
            let ty = type_tokens(model, &f.ty);
            let doc = match f.form {
                None if op.xml_body => " The body sent as JSON or XML.".to_owned(),
                None => " The body sent as JSON.".to_owned(),
                Some(form) => format!(" The body sent as {}.", form.media_types.join(", ")),
            };
            quote!(#[doc = #doc] #variant(#BOX<#ty>),)
        });
        let doc = format!(" The body of a `{}` request, in the form it came in.", op.id);
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            pub enum #body_name {
                #( #variants )*
            }
        }
    });

    // Reading the parameters.
    let mut reads = Vec::new();
    let mut validation = Vec::new();
    for p in &params {
        let arg = ident(&p.rust_name);
        let ty = type_tokens(model, p.ty.non_null());
        let wire = &p.wire_name;
        let location = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        };
        let shape = shape(model, p.ty.non_null(), p.style);
        let explode = p.explode;
        // Wire names are pointers' tokens as they are: `Context` escapes them.
        let wire_key = wire.clone();
        let required = p.required;
        // Read from what the request carries of it, by `mock::read_parameter`; a plain query
        // parameter is found and read by one call.
        let found = |values: TokenStream| quote!(mock::read_parameter(cx, #location, #wire_key, #values, #required));
        let read = match p.location {
            ParamLocation::Path => {
                let index = path_order(op).iter().position(|q| q.wire_name == p.wire_name).unwrap_or_default();
                let get = if index == 0 {
                    quote!(first())
                } else {
                    let index = Literal::usize_unsuffixed(index);
                    quote!(get(#index))
                };
                found(quote!(path.#get.and_then(|text| mock::parameter(::std::vec![text.clone()], #shape, false))))
            }
            ParamLocation::Query if p.style == Style::DeepObject => {
                let leaves = deep_leaves(model, &p.ty, 0);
                found(quote!(mock::deep_object(&request.query_pairs(), #wire, &#leaves)))
            }
            ParamLocation::Query => quote!(mock::read_query(cx, request, #wire_key, #shape, #explode, #required)),
            ParamLocation::Header => {
                let lower = wire.to_ascii_lowercase();
                found(quote!(mock::parameter(request.header_values(#lower), #shape, false)))
            }
        };
        reads.push(quote!(let #arg: #OPTION<#ty> = #read;));
        // The same checks as the client's, at the same pointers.
        let check = checks.check(p.ty.non_null(), &p.rules);
        if !check.is_empty() {
            validation.push(quote! {
                if let #SOME(v) = &#arg {
                    cx.push_key(#location);
                    cx.push_key(#wire_key);
                    #check
                    cx.pop();
                    cx.pop();
                }
            });
        }
    }

    // The security requirements, checked before anything else: a request that meets none is
    // answered `401`, as a server asks for credentials before it reads what they guard.
    let security = security_check(model, security, op);

    // Reading and checking the body.
    let body_read = body_ty.as_ref().map(|ty| {
        let mut arms = Vec::new();
        let mut accepted: Vec<String> = Vec::new();
        for form in &forms {
            let rust = type_tokens(model, &form.ty);
            let wrap = |value: TokenStream| {
                if body_enum {
                    let variant = ident(form.variant);
                    quote!(#body_name::#variant(#BOX::new(#value)))
                } else {
                    value
                }
            };
            match form.form {
                None => {
                    accepted.push("application/json".to_owned());
                    let json = body_enum.then(|| {
                        let value = wrap(quote!(body));
                        quote!(.map(|body| #value))
                    });
                    arms.push(quote! {
                        #SOME(media) if mock::is_json(media) => {
                            mock::read_json::<#rust>(cx, request.body()) #json
                        }
                    });
                    if op.xml_method_name.is_some() {
                        if let Some((reader, false)) = xml_form(model, &form.ty) {
                            accepted.push("application/xml".to_owned());
                            arms.push(quote! {
                                #SOME(media) if mock::is_xml(media) => {
                                    mock::read_xml(cx, request.body(), #reader::from_xml) #json
                                }
                            });
                        }
                    }
                }
                Some(body) if body.kind == FormKind::Raw => {
                    accepted.extend(body.media_types.iter().cloned());
                    let types = &body.media_types;
                    let value =
                        wrap(quote!(::apigen_runtime::Binary::new(request.body().to_vec()).with_content_type(media)));
                    arms.push(quote! {
                        #SOME(media) if mock::accepts(&[ #( #types ),* ], media) => {
                            #SOME(#value)
                        }
                    });
                }
                Some(body) => {
                    let media = if body.kind == FormKind::Multipart {
                        "multipart/form-data"
                    } else {
                        "application/x-www-form-urlencoded"
                    };
                    accepted.push(media.to_owned());
                    let Some(s) = form_struct(model, body) else { continue };
                    let encoding = |wire: &str| body.encoding.iter().find(|(name, _)| name == wire).map(|(_, e)| e);
                    let fields = s.fields.iter().map(|field| {
                        let wire = &field.wire_name;
                        let style = encoding(wire).map_or(Style::Form, |e| e.style);
                        let explode = encoding(wire).is_none_or(|e| e.explode);
                        let shape = shape(model, field.ty.non_null(), style);
                        quote!((#wire, #shape, #explode))
                    });
                    let mut files = Vec::new();
                    for field in &s.fields {
                        let name = ident(&field.rust_name);
                        let wire = &field.wire_name;
                        let nullable = matches!(field.ty, TypeRef::Nullable(_));
                        let set = |value: TokenStream| match (field.required, nullable) {
                            (true, false) => value,
                            (false, true) => quote!(#SOME(#SOME(#value))),
                            _ => quote!(#SOME(#value)),
                        };
                        match field.ty.non_null() {
                            TypeRef::Primitive(Primitive::Binary) => {
                                let value = set(quote!(part.to_binary()));
                                files.push(quote! {
                                    if let #SOME(part) = parts.iter().find(|p| p.name == #wire) {
                                        body.#name = #value;
                                    }
                                });
                            }
                            TypeRef::Vec(item) if matches!(**item, TypeRef::Primitive(Primitive::Binary)) => {
                                let value = set(quote!(files));
                                files.push(quote! {
                                    let files: #VEC<::apigen_runtime::Binary> =
                                        parts.iter().filter(|p| p.name == #wire).map(mock::Part::to_binary).collect();
                                    if !files.is_empty() {
                                        body.#name = #value;
                                    }
                                });
                            }
                            _ => {}
                        }
                    }
                    let binding = if files.is_empty() { quote!(body) } else { quote!(mut body) };
                    let parts = if body.kind == FormKind::Multipart {
                        quote!(mock::multipart(cx, request))
                    } else {
                        quote!(#SOME(mock::form_pairs(request)))
                    };
                    let value = wrap(quote!(body));
                    if files.is_empty() && body.kind != FormKind::Multipart {
                        let read = quote!(mock::read_form::<#rust>(cx, request, &[ #( #fields ),* ]));
                        arms.push(if value.to_string() == "body" {
                            quote!(#SOME(#media) => #read,)
                        } else {
                            quote!(#SOME(#media) => #read.map(|body| #value),)
                        });
                        continue;
                    }
                    arms.push(quote! {
                        #SOME(#media) => #parts.and_then(|parts| {
                            let document = mock::form_document(&parts, &[ #( #fields ),* ]);
                            let #binding = mock::read_value::<#rust>(cx, &document)?;
                            #( #files )*
                            #SOME(#value)
                        }),
                    });
                }
            }
        }
        let required = op.body_required.then(|| quote!(mock::missing(cx, "body");));
        let accepted = accepted.join(", ");
        quote! {
            let body: #OPTION<#ty> = {
                cx.push_key("body");
                let media_type = request.media_type();
                let read = match media_type.as_deref() {
                    #( #arms )*
                    _ if request.body().is_empty() => {
                        #required
                        #NONE
                    }
                    other => mock::unaccepted_media(cx, other, #accepted),
                };
                cx.pop();
                read
            };
        }
    });
    if body_ty.is_some() {
        let mut arms = Vec::new();
        for form in &forms {
            let mut check = checks.check(&form.ty, &crate::model::Rules::default());
            if let Some(body) = form.form {
                check.extend(content_type_checks(model, body));
            }
            if body_enum {
                let variant = ident(form.variant);
                // A form with nothing to check binds nothing (Kubernetes' JSON patch beside its
                // raw ones).
                arms.push(if uses(&check, "v") {
                    quote!(#body_name::#variant(v) => { let v = &**v; #check })
                } else {
                    quote!(#body_name::#variant(_) => { #check })
                });
            } else if !check.is_empty() {
                arms.push(check);
            }
        }
        if body_enum {
            validation.push(quote! {
                if let #SOME(v) = &body {
                    cx.push_key("body");
                    match v { #( #arms )* }
                    cx.pop();
                }
            });
        } else if let Some(check) = arms.first() {
            let located = crate::emit::validate::at_key("body", check.clone());
            validation.push(quote! {
                if let #SOME(v) = &body {
                    #located
                }
            });
        }
    }

    // The call, once everything read is valid.
    let mut required: Vec<proc_macro2::Ident> =
        params.iter().filter(|p| p.required).map(|p| ident(&p.rust_name)).collect();
    if body_ty.is_some() && op.body_required {
        required.push(ident("body"));
    }
    let unwrap = match required.len() {
        0 => TokenStream::new(),
        1 => {
            let one = &required[0];
            quote!(let #SOME(#one) = #one else { return #ERR(mock::Answer::invalid_request(#VEC::new())); };)
        }
        _ => {
            // A constant cannot be named inside a repetition (`quote!` binds its names there).
            let some = SOME;
            quote! {
            let ( #( #some(#required) ),* ) = ( #( #required ),* ) else {
                return #ERR(mock::Answer::invalid_request(#VEC::new()));
            };
            }
        }
    };
    let mut field_names: Vec<proc_macro2::Ident> = params.iter().map(|p| ident(&p.rust_name)).collect();
    if body_ty.is_some() {
        field_names.push(ident("body"));
    }
    let reads_anything = !reads.is_empty() || body_read.is_some();
    let checked = reads_anything.then(|| {
        quote! {
            let mut context = ::apigen_runtime::Context::new();
            let cx = &mut context;
            #( #reads )*
            #body_read
            #( #validation )*
            if let #ERR(errors) = context.finish() {
                return #ERR(mock::Answer::invalid_request(errors.into_vec()));
            }
            #unwrap
        }
    });

    let function = ident(&op.method_name);
    let send = ident(&format!("send_{}", op.method_name));
    let (path_arg, path_value) =
        if has_params(op) { (quote!(path: &[#STRING],), quote!(path,)) } else { (quote!(), quote!()) };
    let fallback = fallback_reply(model, strategies, op);
    // Whether some answer may be XML or JSON, as the request asks (see `arm`).
    let uses_xml = op.responses.iter().any(|case| {
        !case.xml_only
            && response_body(model, case).is_some_and(|ty| {
                !matches!(model.underlying(ty), TypeRef::Primitive(Primitive::Binary))
                    && matches!(xml_form(model, ty), Some((_, false)))
            })
    });
    // An operation with nothing to read but its path, accepted whatever else the request holds.
    let uses_request =
        params.iter().any(|p| p.location != ParamLocation::Path) || security.is_some() || body_ty.is_some();
    let request_arg = if uses_request { quote!(request) } else { quote!(_request) };
    let prefers_xml = if uses_xml { quote!(request.prefers_xml()) } else { quote!(false) };
    let send_fn = send_function(model, checks, op, uses_xml);
    let doc = format!(" Reads, checks and answers a `{}` request.", op.id);
    let check_doc = format!(
        " Reads and checks a `{}` request: the call, read into the spec's types and valid, or the answer that refuses it (`401`, `400`).",
        op.id
    );
    let answering = quote! {
        #[doc = #call_doc]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #call {
            #( #fields )*
        }

        #body_enum_item

    };
    let request_check = quote! {
        #[doc = #check_doc]
        pub(in super::super) fn #function(
            #request_arg: &mock::Incoming,
            #path_arg
        ) -> #RESULT<#call, mock::Answer> {
            #security
            #checked
            #OK(#call { #( #field_names ),* })
        }
    };
    let answering = quote! {
        #answering

        #[doc = #doc]
        pub(super) fn #function(
            request: &mock::Incoming,
            #path_arg
            handler: #OPTION<&super::Handler<#call, super::super::client::#response>>,
        ) -> mock::Answer {
            let call = match requests::#function(request, #path_value) {
                #OK(call) => call,
                #ERR(refused) => return refused,
            };
            let reply = match handler {
                #SOME(handler) => handler(&call),
                #NONE => #fallback,
            };
            #send(reply, #prefers_xml)
        }

        #send_fn
    };
    (answering, request_check)
}

/// How a scalar of type `ty` is written as text: as itself (strings, dates, string enums), or
/// as JSON (numbers, booleans, anything else).
fn kind(model: &ApiModel, ty: &TypeRef) -> TokenStream {
    let text = match model.underlying(ty) {
        TypeRef::Primitive(
            Primitive::String | Primitive::Date | Primitive::DateTime | Primitive::Uuid | Primitive::Binary,
        ) => true,
        TypeRef::Named(id) => matches!(model.type_def(*id).kind, TypeKind::StringEnum(_)),
        _ => false,
    };
    if text {
        quote!(mock::Kind::Text)
    } else {
        quote!(mock::Kind::Json)
    }
}

/// How the leaves of a `deepObject` parameter of type `ty` read (`apigen_runtime::mock::Leaves`):
/// an object's properties each by its own type, an array's items by theirs. Past a few levels
/// (a type that contains itself) a leaf reads as JSON, as it did before the schema was asked.
fn deep_leaves(model: &ApiModel, ty: &TypeRef, depth: usize) -> TokenStream {
    const DEEPEST: usize = 4;
    let leaf = |kind: TokenStream| quote!(mock::Leaves::Leaf(#kind));
    match model.underlying(ty) {
        TypeRef::Vec(item) => deep_leaves(model, item, depth),
        TypeRef::Named(id) if depth < DEEPEST => match &model.type_def(*id).kind {
            TypeKind::Struct(object) => {
                let named = object.fields.iter().map(|field| {
                    let wire = &field.wire_name;
                    let leaves = deep_leaves(model, &field.ty, depth + 1);
                    quote!((#wire, #leaves))
                });
                let other = match &object.additional {
                    Some((_, ty)) => deep_leaves(model, ty, depth + 1),
                    None => leaf(quote!(mock::Kind::Text)),
                };
                quote!(mock::Leaves::Object(&[ #( #named ),* ], &#other))
            }
            _ => leaf(kind(model, ty)),
        },
        other => leaf(kind(model, other)),
    }
}

/// How a parameter or form field of type `ty` is written as text.
fn shape(model: &ApiModel, ty: &TypeRef, style: Style) -> TokenStream {
    let kind = |ty: &TypeRef| kind(model, ty);
    match model.underlying(ty) {
        TypeRef::Primitive(Primitive::Binary) => quote!(mock::Shape::Binary),
        TypeRef::Vec(item) if matches!(model.underlying(item), TypeRef::Primitive(Primitive::Binary)) => {
            quote!(mock::Shape::BinaryList)
        }
        TypeRef::Vec(item) if style != Style::DeepObject && is_scalar(model, item) => {
            let kind = kind(item);
            let separator = match style {
                Style::SpaceDelimited => ' ',
                Style::PipeDelimited => '|',
                _ => ',',
            };
            quote!(mock::Shape::List(#kind, #separator))
        }
        resolved
            if style != Style::DeepObject
                && (is_scalar(model, resolved) || matches!(resolved, TypeRef::Primitive(Primitive::Value))) =>
        {
            let kind = kind(resolved);
            quote!(mock::Shape::Scalar(#kind))
        }
        _ => quote!(mock::Shape::Json),
    }
}

//! Emit of `src/client.rs`: a `Client` with one async method per operation, and per operation
//! a response enum (one variant per documented status) and, where it has optional
//! parameters, an options struct.
//!
//! Arguments follow a written order: path parameters in template order, then required query
//! parameters, then required headers, then the body, then the options struct.
//!
//! How parameters are taken and written is in [`params`], form bodies in [`forms`].

mod forms;
mod params;

use std::collections::HashMap;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::doc::doc_attrs;
use super::types::{ident, type_tokens};
use super::uses;
use super::validate::Checks;
use crate::emit::prelude::{BOX, ERR, NONE, OK, OPTION, RESULT, SOME, STRING};
use crate::model::{
    ApiModel, FormBody, FormKind, Gate, Method, Operation, ParamLocation, Parameter, PathPart, Primitive, ResponseCase,
    Rules, SecurityKind, Status, StreamResponse, TypeKind, TypeRef,
};
use forms::form_body;
pub(super) use forms::{content_type_checks, form_struct, is_scalar};
use params::{argument_type, by_reference, put_query, str_arg};

pub fn client_module(model: &ApiModel) -> TokenStream {
    let credentials = model.security_schemes.iter().map(|scheme| {
        let field = ident(&scheme.rust_name);
        let doc = doc_attrs(&scheme.doc);
        quote! { #doc #field: #OPTION<client::Secret>, }
    });
    let unset: Vec<TokenStream> = model
        .security_schemes
        .iter()
        .map(|scheme| {
            let field = ident(&scheme.rust_name);
            quote! { #field: #NONE, }
        })
        .collect();
    let setters = model.security_schemes.iter().map(|scheme| {
        let field = ident(&scheme.rust_name);
        let setter = ident(&scheme.setter);
        let what = match &scheme.kind {
            SecurityKind::Bearer => "a token sent as `Authorization: Bearer <token>`".to_owned(),
            SecurityKind::Basic => "`user:password`, sent as `Authorization: Basic ...`".to_owned(),
            SecurityKind::ApiKeyHeader(name) => format!("an API key sent in the `{name}` header"),
            SecurityKind::ApiKeyQuery(name) => format!("an API key sent as the `{name}` query parameter"),
            SecurityKind::ApiKeyCookie(name) => format!("an API key sent as the `{name}` cookie"),
        };
        let doc = format!(" Sets the credential of `{}`: {what}. It never appears in `Debug` output.", scheme.key);
        quote! {
            #[doc = #doc]
            pub fn #setter(mut self, credential: impl ::std::convert::Into<client::Secret>) -> Self {
                self.#field = #SOME(credential.into());
                self
            }
        }
    });
    let default_url = model.default_base_url.as_ref().map(|url| {
        quote! {
            /// The first server the spec names, with its variables' defaults.
            pub const DEFAULT_BASE_URL: &str = #url;
        }
    });
    let mut checks = Checks::new(model);
    let mut methods: Vec<TokenStream> = Vec::new();
    let mut builders: Vec<TokenStream> = Vec::new();
    let mut readers: Vec<TokenStream> = Vec::new();
    for op in &model.operations {
        checks.set_gate(Gate::of(op.feature.as_deref()));
        let first = methods.len();
        // The plain method sends JSON, or no body, unless a form has taken its name.
        if !op.form_bodies.iter().any(|f| f.method_name == op.method_name) {
            methods.push(method(model, &mut checks, op, Sends::Json, false));
            if op.download_method_name.is_some() {
                methods.push(method(model, &mut checks, op, Sends::Json, true));
                let gate = super::gate_attr(&Gate::of(op.feature.as_deref()));
                builders.push(super::gated(&gate, shared_request(model, &mut checks, op)));
            }
        }
        if op.xml_method_name.is_some() {
            methods.push(method(model, &mut checks, op, Sends::Xml, false));
        }
        for form in &op.form_bodies {
            methods.push(method(model, &mut checks, op, Sends::Form(form), false));
        }
        if let Some(stream) = &op.stream {
            // With the JSON body, or none (the body of a streamed call is a request to stream).
            methods.push(method(model, &mut checks, op, Sends::JsonForStream(stream), false));
        }
        // The operation's methods and types are compiled with its group's feature.
        let gate = super::gate_attr(&Gate::of(op.feature.as_deref()));
        readers.push(super::gated(&gate, reader(model, op)));
        for method in &mut methods[first..] {
            *method = super::gated(&gate, std::mem::take(method));
        }
    }
    let statics = checks.statics();
    let shared_options = SharedOptions::of(model);
    let items: Vec<TokenStream> = model
        .operations
        .iter()
        .enumerate()
        .flat_map(|(i, op)| {
            let gate = super::gate_attr(&Gate::of(op.feature.as_deref()));
            let options = match shared_options.first[i] {
                Some(first) if first == i => super::gated(
                    &super::gate_attr(&shared_options.gates[&first]),
                    options_struct(model, op, shared_options.count[&first] - 1),
                ),
                Some(first) => super::gated(&gate, options_alias(op, &model.operations[first])),
                None => TokenStream::new(),
            };
            [super::gated(&gate, response_enum(model, op)), options]
        })
        .collect();
    let shared = (!builders.is_empty()).then(|| {
        quote! {
            /// The requests of operations with a `_download` method beside their typed one,
            /// each built (and checked) by one function that both call.
            mod request {
                #[allow(unused_imports)]
                use super::*;

                #( #builders )*
            }
        }
    });
    let title = format!(" A client of {}.", model.title.trim());
    let runtime = super::runtime_modules(&["check", "client"]);
    quote! {
        //! The client: one async method per operation of the spec.
        #[allow(unused_imports)]
        use super::types::*;
        #runtime

        /// This crate as the first word of the default `User-Agent`.
        const PRODUCT: &str = ::std::concat!(::std::env!("CARGO_PKG_NAME"), "/", ::std::env!("CARGO_PKG_VERSION"));

        #default_url

        #[doc = #title]
        ///
        /// Requests are checked against the spec's rules before they are sent (see
        /// `Config::validate_requests`); credentials never appear in `Debug` output.
        #[derive(Debug, Clone)]
        pub struct Client {
            transport: client::Transport,
            #( #credentials )*
        }

        impl Client {
            /// A client of the server at `base_url`, with the default configuration (see
            /// `Config`): a 30 s timeout per attempt and 60 s per call, requests validated
            /// before sending, up to 2 retries where they are safe, bodies up to 32 MiB.
            pub fn new(base_url: impl ::std::convert::Into<#STRING>) -> #RESULT<Self, client::Error> {
                Self::with_config(client::Config::new(base_url))
            }

            /// A client with the given configuration.
            pub fn with_config(config: client::Config) -> #RESULT<Self, client::Error> {
                let transport = client::Transport::new(config, PRODUCT)?;
                #OK(Self { transport, #( #unset )* })
            }

            /// A client that sends through `http`, the caller's own `reqwest::Client` (proxies,
            /// TLS roots, a shared connection pool). Every `Config` setting still applies; build
            /// `http` with `redirect(Policy::none())`, or it follows redirects by its own rules
            /// before this client sees them (see `Config::max_redirects`).
            pub fn with_http(
                config: client::Config,
                http: client::reqwest::Client,
            ) -> #RESULT<Self, client::Error> {
                let transport = client::Transport::with_http(config, PRODUCT, http)?;
                #OK(Self { transport, #( #unset )* })
            }

            /// The configuration.

            pub fn config(&self) -> &client::Config {
                self.transport.config()
            }

            /// A copy of the client that calls `hooks` before sending each request and after
            /// receiving each response (for tracing, extra headers, request signing), given the
            /// operation's id.
            pub fn with_hooks(mut self, hooks: impl client::Hooks + 'static) -> Self {
                self.transport = self.transport.with_hooks(::std::sync::Arc::new(hooks));
                self
            }

            /// A copy of the client that asks `provider` for every credential it was not given
            /// a fixed secret for, and asks again (`refresh`) after a `401`, sending the request
            /// once more.
            pub fn with_credential_provider(mut self, provider: impl client::CredentialProvider + 'static) -> Self {
                self.transport = self.transport.with_credential_provider(::std::sync::Arc::new(provider));
                self
            }

            /// A copy of the client whose requests carry `Idempotency-Key: <key>`, for one
            /// call: `client.idempotent(key).create_customer(...)`. A server that honours the
            /// key performs the request once however often it arrives, so such a request is
            /// also sent again after a timeout, a connection reset or a `500`/`502`/`504`
            /// (within `Config::max_retries`). Use a new key for every distinct request.
            pub fn idempotent(&self, key: impl ::std::convert::Into<#STRING>) -> Self {
                let mut client = self.clone();
                client.transport = client.transport.with_idempotency_key(key.into());
                client
            }

            #( #setters )*
            #( #methods )*
        }

        #shared

        /// Each operation's reading of its response, by status, as its response enum's variant:
        /// what its methods return, and what the mock's validation proxy judges an upstream's
        /// answer by.
        pub(crate) mod read {
            #[allow(unused_imports)]
            use super::*;

            #( #readers )*
        }

        #( #items )*
        #statics
    }
}

/// The Rust name of an operation's response enum.
fn response_name(op: &Operation) -> proc_macro2::Ident {
    ident(&op.response_type)
}

fn options_name(op: &Operation) -> proc_macro2::Ident {
    ident(&op.options_type)
}

fn has_options(op: &Operation) -> bool {
    op.parameters.iter().any(|p| !p.required)
}

fn response_enum(model: &ApiModel, op: &Operation) -> TokenStream {
    let name = response_name(op);
    let variants = op.responses.iter().map(|case| {
        let variant = ident(&case.variant);
        let doc = doc_attrs(&case.doc);
        match response_body(model, case) {
            Some(ty) if boxed(model, ty) => {
                let ty = type_tokens(model, ty);
                quote! { #doc #variant(#BOX<#ty>), }
            }
            Some(ty) => {
                let ty = type_tokens(model, ty);
                quote! { #doc #variant(#ty), }
            }
            None => quote! { #doc #variant, },
        }
    });
    let doc = format!(" The documented responses of `{}`, one variant per status.", op.id);
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #variants )*
        }
    }
}

/// The type a response's body is read into: its JSON body's, or its XML body's where the type
/// has an XML form (an XML body without one is kept as bytes only).
pub(super) fn response_body<'m>(model: &'m ApiModel, case: &'m ResponseCase) -> Option<&'m TypeRef> {
    case.body.as_ref().filter(|ty| !case.xml_only || xml_form(model, ty).is_some())
}

/// Operations whose optional parameters are the same (names, types, setters and descriptions;
/// Kubernetes' list and watch calls have the same eleven) share one options struct, declared
/// with the first of them, which the others' names are aliases of: as identical schemas share
/// one type (`lower::shared`).
struct SharedOptions {
    /// For each operation with options, the first operation with the same.
    first: Vec<Option<usize>>,
    /// For each first operation: the features that compile it or any of the others.
    gates: HashMap<usize, Gate>,
    /// For each first operation: how many operations share its options.
    count: HashMap<usize, usize>,
}

impl SharedOptions {
    fn of(model: &ApiModel) -> Self {
        let mut firsts: HashMap<String, usize> = HashMap::new();
        let mut shared = SharedOptions { first: Vec::new(), gates: HashMap::new(), count: HashMap::new() };
        for (i, op) in model.operations.iter().enumerate() {
            if !has_options(op) {
                shared.first.push(None);
                continue;
            }
            let key: Vec<String> = op
                .parameters
                .iter()
                .filter(|p| !p.required)
                .map(|p| {
                    let ty = type_tokens(model, p.ty.non_null());
                    format!(
                        "{} {} {:?} {ty} {:?} {:?} {:?}",
                        p.rust_name, p.wire_name, p.location, p.setter, p.doc.title, p.doc.description
                    )
                })
                .collect();
            let first = *firsts.entry(key.join("\n")).or_insert(i);
            shared.first.push(Some(first));
            let gate = Gate::of(op.feature.as_deref());
            shared.gates.entry(first).and_modify(|g| g.widen(&gate)).or_insert(gate);
            *shared.count.entry(first).or_insert(0) += 1;
        }
        shared
    }
}

/// The options type of `op` as an alias of `first`'s, whose parameters are the same.
fn options_alias(op: &Operation, first: &Operation) -> TokenStream {
    let (name, target) = (options_name(op), options_name(first));
    let doc = format!(" The optional parameters of `{}`: the same type as [`{target}`], as the parameters are.", op.id);
    quote! {
        #[doc = #doc]
        pub type #name = #target;
    }
}

/// The options struct of `op`, which `others` more operations share.
fn options_struct(model: &ApiModel, op: &Operation, others: usize) -> TokenStream {
    let name = options_name(op);
    let fields = op.parameters.iter().filter(|p| !p.required).map(|p| {
        let field = ident(&p.rust_name);
        let doc = doc_attrs(&p.doc);
        let ty = type_tokens(model, p.ty.non_null());
        quote! { #doc pub #field: #OPTION<#ty>, }
    });
    let setters: Vec<TokenStream> = op
        .parameters
        .iter()
        .filter(|p| !p.required)
        .filter_map(|p| {
            let setter = ident(p.setter.as_deref()?);
            let field = ident(&p.rust_name);
            let argument = super::types::argument(model, p.ty.non_null());
            let ty = &argument.ty;
            let value = argument.value(quote!(value));
            let location = match p.location {
                ParamLocation::Path => "path parameter",
                ParamLocation::Query => "query parameter",
                ParamLocation::Header => "header",
            };
            let doc = format!(" Sets the `{}` {location}.", super::doc::escape_controls(&p.wire_name));
            Some(quote! {
                #[doc = #doc]
                pub fn #setter(mut self, value: #ty) -> Self {
                    self.#field = #SOME(#value);
                    self
                }
            })
        })
        .collect();
    let example = op.parameters.iter().find_map(|p| p.setter.as_deref()).unwrap_or_default();
    let also = match others {
        0 => String::new(),
        1 => " (and of one other operation with the same)".to_owned(),
        n => format!(" (and of {n} other operations with the same)"),
    };
    let doc = format!(
        " The optional parameters of `{}`{also}, each left out unless set: `{name}::default().{example}(...)`.",
        op.id
    );
    // `non_exhaustive`, as generated structs are: a parameter the spec adds later breaks no
    // code written today. A `nullable` parameter is held as its value: a query, a path or a
    // header cannot carry `null`, so `None` leaves it out.
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
        }

        impl #name {
            #( #setters )*
        }
    }
}

/// What a method sends as the body.
#[derive(Clone, Copy)]
enum Sends<'a> {
    /// The JSON body, if the operation has one (the plain method).
    Json,
    /// The JSON body's type written as XML, with XML responses asked for (`<name>_xml`).
    Xml,
    /// A form of the body (`<name>_multipart`, `<name>_form`, or the plain name).
    Form(&'a FormBody),
    /// The JSON body, or none, with the response read as a stream of events (`<name>_stream`).
    JsonForStream(&'a StreamResponse),
}

/// One method of an operation: see [`Sends`]. With `download`, `<name>_download`, which
/// returns the response unread, for the caller to stream (large binary bodies).
///
/// The method validates its arguments, builds the request (path, query, headers, credentials,
/// body), sends it and reads the response by its status; each step is a function below, in
/// that order.
fn method(model: &ApiModel, checks: &mut Checks<'_>, op: &Operation, sends: Sends<'_>, download: bool) -> TokenStream {
    let name = method_name(op, sends, download);
    let doc = method_doc(op, sends, download);
    let body_ty = body_type(op, sends);
    let args = arguments(model, op, body_ty);
    let allows = allows(model, op, &args, 1);
    let head = quote! {
        #doc
        #( #allows )*
    };
    let build = if op.download_method_name.is_some() && matches!(sends, Sends::Json) {
        // Built by the function the typed method and `_download` share.
        let names = argument_names(op, body_ty);
        let name = ident(&op.method_name);
        let accept = match accept_media(op, sends, download) {
            Some(media) => quote!(#SOME(#media)),
            None => quote!(#NONE),
        };
        quote! { let request = request::#name(self, #accept, #( #names ),*)?; }
    } else {
        let accept = accept_media(op, sends, download).map(|media| quote!(request.static_header("accept", #media)?;));
        build_request(model, checks, op, sends, &quote!(self), accept).0
    };
    if let Sends::JsonForStream(stream) = sends {
        let (item, open) = stream_reading(model, stream);
        return quote! {
            #head
            pub fn #name(&self, #( #args ),*) -> #RESULT<::apigen_runtime::stream::EventStream<#item>, client::Error> {
                #build
                #OK(#open)
            }
        };
    }
    if download {
        return quote! {
            #head
            pub async fn #name(&self, #( #args ),*) -> #RESULT<client::Download, client::Error> {
                #build
                self.transport.send_streaming(request).await
            }
        };
    }
    let response = response_name(op);
    let read = ident(&op.method_name);
    quote! {
        #head
        pub async fn #name(&self, #( #args ),*) -> #RESULT<client::Responded<#response>, client::Error> {
            #build
            read::#read(self.transport.send(request).await?, client::any_media)
        }
    }
}

/// `read::<method>`: an operation's reading of its response, by its status, as its response
/// enum's variant; what its methods return, and what the mock's proxy judges an upstream's
/// answer by (with the media type checked too).
fn reader(model: &ApiModel, op: &Operation) -> TokenStream {
    let name = ident(&op.method_name);
    let response = response_name(op);
    let arms = response_arms(model, op);
    let media = if uses(&arms, "media") { quote!(media) } else { quote!(_media) };
    let doc = format!(
        " Reads a response to `{}` as the variant of `{}` its status documents, `media` checking the media type of a body first.",
        op.id, op.response_type
    );
    quote! {
        #[doc = #doc]
        pub(crate) fn #name(response: client::Response, #media: client::MediaCheck) -> #RESULT<client::Responded<#response>, client::Error> {
            #arms
        }
    }
}

/// The type of the body a method sends, in the form [`Sends`] says, if it sends one.
fn body_type<'o>(op: &'o Operation, sends: Sends<'o>) -> Option<&'o TypeRef> {
    match sends {
        Sends::Json | Sends::Xml | Sends::JsonForStream(_) => op.json_body.as_ref().map(|b| &b.ty),
        Sends::Form(form) => Some(&form.ty),
    }
}

/// The function that builds the request of an operation with a `_download` method, for it
/// and the typed method alike (`request::<method name>`), with the `Accept` each asks for.
fn shared_request(model: &ApiModel, checks: &mut Checks<'_>, op: &Operation) -> TokenStream {
    let body_ty = body_type(op, Sends::Json);
    let args = arguments(model, op, body_ty);
    let allows = allows(model, op, &args, 2);
    let name = ident(&op.method_name);
    // `Accept` is the typed method's, and a download asks for anything.
    let accept = quote! {
        if let #SOME(accept) = accepts {
            request.static_header("accept", accept)?;
        }
    };
    let (build, reads_client) = build_request(model, checks, op, Sends::Json, &quote!(this), Some(accept));
    let this = if reads_client { quote!(this) } else { quote!(_this) };
    quote! {
        #( #allows )*
        pub(super) fn #name(#this: &Client, accepts: #OPTION<&'static str>, #( #args ),*) -> #RESULT<client::Request, client::Error> {
            #build
            #OK(request)
        }
    }
}

/// The statements that check the arguments and build `request` (path, query, headers,
/// credentials, then `accept`, then the body), with `receiver` the client; and whether they
/// read it (for the switch of checks, or credentials).
fn build_request(
    model: &ApiModel,
    checks: &mut Checks<'_>,
    op: &Operation,
    sends: Sends<'_>,
    receiver: &TokenStream,
    accept: Option<TokenStream>,
) -> (TokenStream, bool) {
    let body_ty = body_type(op, sends);
    let path = path_expression(model, op);
    let method = http_method(op);
    let operation = &op.id;
    let validate = validation(model, checks, op, sends, body_ty, receiver);
    let setup = request_setup(model, op, receiver);
    let send_body = body_ty.map(|_| put_body(model, op, sends));
    let request =
        if setup.is_empty() && send_body.is_none() && accept.is_none() { quote!(request) } else { quote!(mut request) };
    let credentials = op.security.iter().any(|key| model.security_schemes.iter().any(|s| &s.key == key));
    let reads_receiver = validate.is_some() || credentials;
    let build = quote! {
        #validate
        let #request = client::Request::new(#operation, #method, #path);
        #( #setup )*
        #accept
        #send_body
    };
    (build, reads_receiver)
}

/// The lints a method (or its request's builder) allows, with `leading` arguments before
/// `args` (`self`): as many arguments as the operation has required parameters, which is the
/// API; a required array parameter is a `&Vec` like the options' fields, which the checks read.
fn allows(model: &ApiModel, op: &Operation, args: &[TokenStream], leading: usize) -> Vec<TokenStream> {
    let list_arg = op.parameters.iter().any(|p| p.required && matches!(model.underlying(&p.ty), TypeRef::Vec(_)));
    let mut allows = Vec::new();
    if args.len() + leading > 7 {
        allows.push(quote!(#[allow(clippy::too_many_arguments)]));
    }
    if list_arg {
        allows.push(quote!(#[allow(clippy::ptr_arg)]));
    }
    allows
}

/// The method's name: the operation's, or that of the variant [`Sends`] and `download` say.
fn method_name(op: &Operation, sends: Sends<'_>, download: bool) -> Ident {
    match sends {
        Sends::Json if download => ident(op.download_method_name.as_deref().unwrap_or_default()),
        Sends::Json => ident(&op.method_name),
        Sends::Xml => ident(op.xml_method_name.as_deref().unwrap_or_default()),
        Sends::Form(form) => ident(&form.method_name),
        Sends::JsonForStream(stream) => ident(&stream.method_name),
    }
}

/// The method's docs: the operation's, then a line with its HTTP method and path and what
/// this variant of it sends and reads.
fn method_doc(op: &Operation, sends: Sends<'_>, download: bool) -> TokenStream {
    let mut doc = op.doc.clone();
    let line = match sends {
        Sends::Json => format!("`{} {}`", op.method, op.path),
        Sends::Xml => {
            format!("`{} {}`, with the body as XML and XML responses asked for.", op.method, op.path)
        }
        Sends::JsonForStream(stream) => {
            let reconnects = if stream.is_event_stream() && op.method == Method::Get {
                "A connection that fails is opened again with `Last-Event-ID`"
            } else {
                "A connection that fails ends the stream (it is not resent)"
            };
            format!(
                "`{} {}`, the response read as a stream of events (`{}`) as they arrive; the request is sent when the stream is first polled. {reconnects}; see `apigen_runtime::stream`.",
                op.method,
                op.path,
                stream.media_type
            )
        }
        Sends::Form(form) => format!(
            "`{} {}`, with the body as {}.",
            op.method,
            op.path,
            match form.kind {
                FormKind::Multipart => "`multipart/form-data`".to_owned(),
                FormKind::UrlEncoded => "`application/x-www-form-urlencoded`".to_owned(),
                FormKind::Raw => {
                    let types: Vec<String> = form.media_types.iter().map(|m| format!("`{m}`")).collect();
                    format!("bytes ({})", types.join(", "))
                }
            }
        ),
    };
    let line = if download {
        format!(
            "{line}\n\nThe body is not read: it streams from the `Download`, whatever the status, with no size limit."
        )
    } else {
        line
    };
    doc.description = Some(match doc.description.take() {
        Some(text) => format!("{text}\n\n{line}"),
        None => line,
    });
    doc_attrs(&doc)
}

/// The method's arguments, in the written order: the path parameters in template order, the
/// required query parameters, the required headers, the body, then the options.
/// The names of [`arguments`], in their order.
fn argument_names(op: &Operation, body_ty: Option<&TypeRef>) -> Vec<Ident> {
    let required = |location: ParamLocation| op.parameters.iter().filter(move |p| p.required && p.location == location);
    let mut names: Vec<Ident> = path_order(op)
        .into_iter()
        .chain(required(ParamLocation::Query))
        .chain(required(ParamLocation::Header))
        .map(|p| ident(&p.rust_name))
        .collect();
    if body_ty.is_some() {
        names.push(ident("body"));
    }
    if has_options(op) {
        names.push(ident("options"));
    }
    names
}

fn arguments(model: &ApiModel, op: &Operation, body_ty: Option<&TypeRef>) -> Vec<TokenStream> {
    let path_params = path_order(op);
    let required = |location: ParamLocation| op.parameters.iter().filter(move |p| p.required && p.location == location);
    let mut args: Vec<TokenStream> = Vec::new();
    for p in path_params.iter().copied().chain(required(ParamLocation::Query)).chain(required(ParamLocation::Header)) {
        let arg = ident(&p.rust_name);
        let ty = argument_type(model, &p.ty);
        args.push(quote!(#arg: #ty));
    }
    if let Some(ty) = body_ty {
        let body = type_tokens(model, ty);
        args.push(if op.body_required { quote!(body: &#body) } else { quote!(body: #OPTION<&#body>) });
    }
    if has_options(op) {
        let options = options_name(op);
        args.push(quote!(options: #options));
    }
    args
}

/// The expression of the request's path, with its parameters encoded.
fn path_expression(model: &ApiModel, op: &Operation) -> TokenStream {
    let mut format = String::new();
    let mut values = Vec::new();
    for part in &op.template {
        match part {
            PathPart::Literal(text) => format.push_str(&text.replace('{', "{{").replace('}', "}}")),
            // Lowering gave every placeholder a parameter.
            PathPart::Param(name) => {
                let Some(p) = path_param(op, name) else { continue };
                format.push_str("{}");
                let arg = ident(&p.rust_name);
                let text = str_arg(model, quote!(#arg), &p.ty);
                values.push(quote!(client::path_segment(#text)));
            }
        }
    }
    if values.is_empty() {
        // No placeholder: the path is its text, unescaped.
        let text: String = op
            .template
            .iter()
            .map(|part| if let PathPart::Literal(text) = part { text.as_str() } else { "" })
            .collect();
        quote!(#text)
    } else {
        quote!(::std::format!(#format, #( #values ),*))
    }
}

/// The request's HTTP method, as an `http::Method`.
fn http_method(op: &Operation) -> TokenStream {
    let name = op.method.as_str();
    if op.method.has_constant() {
        let method = format_ident!("{name}");
        quote!(client::Method::#method)
    } else {
        // A method `http` has no constant for (OpenAPI 3.2's `QUERY`, `additionalOperations`):
        // loading checked that it is a token, which `from_bytes` accepts.
        let token = proc_macro2::Literal::byte_string(name.as_bytes());
        let expect = format!("`{name}` is a valid method token");
        quote!(client::Method::from_bytes(#token).expect(#expect))
    }
}

/// Validation of the parameters and the body, into one list of violations, each pointer into
/// the request as a whole (`/query/site_id`, `/body/email`), when the client's configuration
/// asks for it; `None` where there is nothing to check.
fn validation(
    model: &ApiModel,
    checks: &mut Checks<'_>,
    op: &Operation,
    sends: Sends<'_>,
    body_ty: Option<&TypeRef>,
    receiver: &TokenStream,
) -> Option<TokenStream> {
    let mut validation: Vec<TokenStream> = Vec::new();
    for p in &op.parameters {
        // A parameter is never `null` (a query, a path or a header cannot say it), so it is
        // held without the `Option` that `nullable` would add: checked as what it holds.
        let check = checks.check(p.ty.non_null(), &p.rules);
        if check.is_empty() {
            continue;
        }
        let location = match p.location {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        };
        let wire = &p.wire_name;
        let located = quote! { cx.push_key(#location); cx.push_key(#wire); #check cx.pop(); cx.pop(); };
        let arg = ident(&p.rust_name);
        validation.push(if !p.required {
            quote! { if let #SOME(v) = &options.#arg { #located } }
        } else if by_reference(model, &p.ty) {
            quote! { { let v = #arg; #located } }
        } else {
            quote! { { let v = &#arg; #located } }
        });
    }
    if let Some(ty) = body_ty {
        let mut check = checks.check(ty, &Rules::default());
        if let Sends::Form(form) = sends {
            check.extend(content_type_checks(model, form));
        }
        if !check.is_empty() {
            let located = super::validate::at_key("body", check);
            validation.push(if op.body_required {
                quote! { { let v = body; #located } }
            } else {
                quote! { if let #SOME(v) = body { #located } }
            });
        }
    }
    (!validation.is_empty()).then(|| {
        quote! {
            if #receiver.transport.config().validate_requests {
                let mut context = ::apigen_runtime::Context::new();
                let cx = &mut context;
                #( #validation )*
                context.finish().map_err(client::Error::Invalid)?;
            }
        }
    })
}

/// The statements that put the query parameters, the headers and the credentials (the
/// client's: `receiver`) on `request`.
fn request_setup(model: &ApiModel, op: &Operation, receiver: &TokenStream) -> Vec<TokenStream> {
    let mut setup: Vec<TokenStream> = Vec::new();
    for p in op.parameters.iter().filter(|p| p.location != ParamLocation::Path) {
        let wire = p.wire_name.to_ascii_lowercase();
        let wire = if p.location == ParamLocation::Header { wire } else { p.wire_name.clone() };
        let put = |value: TokenStream| -> TokenStream {
            match p.location {
                ParamLocation::Query => put_query(model, &wire, value, p),
                _ => {
                    let text = str_arg(model, value, &p.ty);
                    quote! { request.header(#wire, #text)?; }
                }
            }
        };
        if p.required {
            let arg = ident(&p.rust_name);
            setup.push(put(quote!(#arg)));
        } else {
            let field = ident(&p.rust_name);
            let inner = put(quote!(value));
            setup.push(quote! { if let #SOME(value) = &options.#field { #inner } });
        }
    }
    for key in &op.security {
        let Some(scheme) = model.security_schemes.iter().find(|s| &s.key == key) else { continue };
        let field = ident(&scheme.rust_name);
        let placement = match &scheme.kind {
            SecurityKind::Bearer => quote!(Bearer),
            SecurityKind::Basic => quote!(Basic),
            SecurityKind::ApiKeyHeader(name) => quote!(Header(#name)),
            SecurityKind::ApiKeyQuery(name) => quote!(Query(#name)),
            SecurityKind::ApiKeyCookie(name) => quote!(Cookie(#name)),
        };
        let key = &scheme.key;
        setup.push(quote! { request.credential(#key, client::Placement::#placement, #receiver.#field.as_ref()); });
    }
    setup
}

/// The media type a method asks for in `Accept`, where responses have bodies. A stream asks
/// for its own (`apigen_runtime::stream`), a download for anything.
fn accept_media(op: &Operation, sends: Sends<'_>, download: bool) -> Option<&'static str> {
    if op.responses.iter().any(|r| r.body.is_some()) && !download && !matches!(sends, Sends::JsonForStream(_)) {
        Some(if matches!(sends, Sends::Xml) { "application/xml" } else { "application/json" })
    } else {
        None
    }
}

/// The statement that puts the body on `request`, in the form [`Sends`] says; an optional
/// body only when it is given.
fn put_body(model: &ApiModel, op: &Operation, sends: Sends<'_>) -> TokenStream {
    let put_body = match sends {
        Sends::Json | Sends::JsonForStream(_) => quote!(request.json_body(body)?;),
        Sends::Xml => quote!(request.xml_body(body.to_xml());),
        Sends::Form(form) => form_body(model, form),
    };
    if op.body_required {
        put_body
    } else {
        quote! { if let #SOME(body) = body { #put_body } }
    }
}

/// The expression that reads `response` by its status: a `match` with an arm per documented
/// status or range, each decoding the body into the response enum's variant, and the
/// `default` response (or an unexpected-status error) for the rest.
///
/// With `media`, as the mock's validation proxy reads an upstream's answer, a body must also
/// come in a media type the spec documents for its status (JSON, or XML where the type has an
/// XML form, XML alone where the response is documented only as XML); the client itself reads
/// what it can.
fn response_arms(model: &ApiModel, op: &Operation) -> TokenStream {
    let response = response_name(op);
    let mut arms = Vec::new();
    let mut fallback = quote!(#ERR(client::Error::UnexpectedStatus(
        #BOX::new(response)
    )));
    for case in &op.responses {
        let variant = ident(&case.variant);
        let result = match response_body(model, case) {
            Some(ty) => {
                // By the response's `Content-Type`: XML where the type has an XML form (first,
                // unless it says JSON, where the operation answers only in XML).
                let decoded = if let Some((rust, nullable)) = xml_form(model, ty) {
                    let read = if nullable {
                        quote!(|text| #rust::from_xml(text).map(#SOME))
                    } else {
                        quote!(#rust::from_xml)
                    };
                    let (test, first, second) = if case.xml_only {
                        (quote!(is_json), quote!(json(response)), quote!(xml(response, #read)))
                    } else {
                        (quote!(is_xml), quote!(xml(response, #read)), quote!(json(response)))
                    };
                    quote! {
                        if client::#test(response) {
                            client::#first?
                        } else {
                            client::#second?
                        }
                    }
                } else {
                    quote!(client::json(response)?)
                };
                let value = if boxed(model, ty) { quote!(#BOX::new(#decoded)) } else { decoded };
                let binary = matches!(model.underlying(ty), TypeRef::Primitive(Primitive::Binary));
                let read = quote!(#OK(#response::#variant(#value)));
                let read = if binary {
                    read
                } else {
                    let (json, xml) = (!case.xml_only, xml_form(model, ty).is_some());
                    quote!({ media(response, #json, #xml)?; #read })
                };
                // The response moves into the result or the error: its body is never copied.
                quote!(response.decode(|response| #read))
            }
            None => {
                quote!(#OK(client::Responded::new(response, #response::#variant)))
            }
        };
        match case.status {
            Status::Code(code) => {
                let code = proc_macro2::Literal::u16_unsuffixed(code);
                arms.push(quote!(#code => #result,));
            }
            Status::Range(n) => {
                let (low, high) =
                    (proc_macro2::Literal::u16_unsuffixed(n * 100), proc_macro2::Literal::u16_unsuffixed(n * 100 + 99));
                arms.push(quote!(#low..=#high => #result,));
            }
            Status::Default => fallback = result,
        }
    }
    // With only a `default` response, every status is it: no match.
    if arms.is_empty() {
        fallback
    } else {
        quote! {
            match response.status.as_u16() {
                #( #arms )*
                _ => #fallback,
            }
        }
    }
}

/// The item type of a stream method's `EventStream`, and the expression that makes the stream
/// of `request`: each event's data read as the schema's type, or kept as text (server-sent
/// events) or JSON (JSON Lines) where the spec gives no type.
fn stream_reading(model: &ApiModel, stream: &StreamResponse) -> (TokenStream, TokenStream) {
    let (data, decode) = match (&stream.item, stream.is_event_stream()) {
        (Some(ty), _) => {
            let ty = type_tokens(model, ty);
            (ty.clone(), quote!(::apigen_runtime::stream::json::<#ty>))
        }
        (None, true) => (quote!(#STRING), quote!(::apigen_runtime::stream::text)),
        (None, false) => (
            quote!(::apigen_runtime::serde_json::Value),
            quote!(::apigen_runtime::stream::json::<::apigen_runtime::serde_json::Value>),
        ),
    };
    if stream.is_event_stream() {
        let item = quote!(::apigen_runtime::stream::Event<#data>);
        (
            item,
            quote!(::apigen_runtime::stream::EventStream::server_sent_events(self.transport.clone(), request, #decode)),
        )
    } else {
        let media_type = &stream.media_type;
        (
            data,
            quote!(::apigen_runtime::stream::EventStream::json_lines(self.transport.clone(), request, #media_type, #decode)),
        )
    }
}

/// The type whose generated `from_xml` / `to_xml` (the crate's XML support) reads and writes
/// values of `ty`, and whether `ty` is that type made nullable (an `Option` of it). Aliases
/// are followed, but not through a nullable one: `Option` has no XML form of its own.
pub(super) fn xml_form(model: &ApiModel, ty: &TypeRef) -> Option<(TokenStream, bool)> {
    let nullable = matches!(ty, TypeRef::Nullable(_));
    let TypeRef::Named(id) = model.resolve(ty.non_null()) else { return None };
    model.type_def(*id).xml.is_some().then(|| (type_tokens(model, &TypeRef::Named(*id)), nullable))
}

/// Struct and union bodies are boxed in response enums, so that one large body does not make
/// every variant as large.
pub(super) fn boxed(model: &ApiModel, ty: &TypeRef) -> bool {
    match model.underlying(ty) {
        TypeRef::Named(id) => matches!(model.type_def(*id).kind, TypeKind::Struct(_) | TypeKind::Union(_)),
        _ => false,
    }
}

/// Path parameters in the order the template names them (each once).
pub(super) fn path_order(op: &Operation) -> Vec<&Parameter> {
    let mut out: Vec<&Parameter> = Vec::new();
    for part in &op.template {
        if let PathPart::Param(name) = part {
            match path_param(op, name) {
                Some(p) if !out.iter().any(|q| q.wire_name == p.wire_name) => out.push(p),
                _ => {}
            }
        }
    }
    out
}

pub(super) fn path_param<'o>(op: &'o Operation, name: &str) -> Option<&'o Parameter> {
    op.parameters.iter().find(|p| p.location == ParamLocation::Path && p.wire_name == name)
}

/// The inner type of a named alias (through aliases) of a nullable type.
pub(super) fn alias_of_nullable<'m>(model: &'m ApiModel, ty: &'m TypeRef) -> Option<&'m TypeRef> {
    let TypeRef::Named(id) = ty else { return None };
    match &model.type_def(*id).kind {
        TypeKind::Alias(TypeRef::Nullable(inner)) => Some(inner),
        TypeKind::Alias(target) => alias_of_nullable(model, target),
        _ => None,
    }
}

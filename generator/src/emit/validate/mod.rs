//! Emit of `src/validate.rs`: a `Validate` impl per struct, union and enum.
//!
//! A value's rules are checked against its Rust type: what the type already guarantees is
//! skipped (a `String` is a string, a required field is present), the rest becomes calls into
//! `apigen_runtime::check`. Where a rule cannot be judged from the typed value alone (an
//! alternative of a `oneOf` that is another type, an `enum` of objects), the value is
//! serialized and checked as JSON, so every rule is checked one way or the other.
//!
//! Every check works on a binding named `v` (a reference) and reports into `cx`.
//!
//! This file holds the entry points, the registries and what both kinds of check share; the
//! checks of a typed value are in [`typed`], those of a JSON value in [`json`].

use std::collections::BTreeMap;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

mod json;
mod typed;

pub(crate) use typed::is_delegation;

use super::types::{ident, type_tokens};
use crate::emit::prelude::{OPTION, RESULT, STRING};
use crate::emit::uses;
use crate::model::{
    ApiModel, Bound, CheckedFormat, Gate, JsonType, Primitive, Rules, TypeDef, TypeId, TypeKind, TypeRef,
};

/// `src/validate.rs`: every `Validate` impl, and the registries.
pub fn validate_module(model: &ApiModel) -> TokenStream {
    let all: Vec<TypeId> = (0..model.types.len()).map(TypeId).collect();
    validate_file(model, &all, &[])
}

/// `src/validate/mod.rs` of a crate split into areas: the registries, and the areas' modules
/// (those that have a `Validate` impl), which hold the impls.
pub fn validate_root(model: &ApiModel, modules: &[String]) -> TokenStream {
    validate_file(model, &[], modules)
}

/// One area's file of a split `validate` module: the impls of its types, and the statics of
/// the patterns they use (each file has its own, so that files can be emitted apart).
pub fn validate_area(model: &ApiModel, area: &super::areas::Area) -> TokenStream {
    let mut emitter = Emitter::new(model);
    let impls: Vec<TokenStream> =
        area.types.iter().filter_map(|&id| emitter.type_impl(id, model.type_def(id))).collect();
    let statics = emitter.statics();
    let doc =
        format!(" `Validate` for the types whose names start with {}.", super::types::prefix_list(&area.prefixes));
    quote! {
        #![doc = #doc]
        #[allow(unused_imports)]
        use super::*;
        #statics
        #( #impls )*
    }
}

/// Whether a type has a `Validate` impl: all but aliases do.
pub fn has_impl(def: &TypeDef) -> bool {
    !matches!(def.kind, TypeKind::Alias(_))
}

fn validate_file(model: &ApiModel, impl_types: &[TypeId], modules: &[String]) -> TokenStream {
    let mut emitter = Emitter::new(model);
    let impls: Vec<TokenStream> =
        impl_types.iter().filter_map(|&id| emitter.type_impl(id, model.type_def(id))).collect();
    let modules = modules.iter().map(|m| ident(m));
    let schemas: Vec<(String, TypeRef)> = model.schemas.clone();
    let schema_fn = emitter.registry(
        quote!(validate_schema),
        quote!(name),
        "SCHEMA_CHECKS",
        "Checks JSON against a schema of `#/components/schemas`, by its name in the spec: every\n violation, or `None` if the spec has no schema of that name.",
        &schemas,
    );
    let bodies: Vec<(String, TypeRef)> =
        model.operations.iter().filter_map(|o| Some((o.id.clone(), o.json_body.as_ref()?.ty.clone()))).collect();
    let request_fn = emitter.registry(
        quote!(validate_request),
        quote!(operation_id),
        "REQUEST_CHECKS",
        "Checks JSON against the JSON request body of an operation, by its `operationId`: every\n violation, or `None` if no operation of that id has a JSON body.",
        &bodies,
    );
    // Each name is there where its type is (the registries' rows are gated the same way).
    let listed = |entries: &[(String, TypeRef)]| -> Vec<TokenStream> {
        entries
            .iter()
            .map(|(name, ty)| {
                let gate = super::gate_attr(model.gate_of(ty));
                quote!(#gate #name)
            })
            .collect()
    };
    let names = listed(&schemas);
    let ids = listed(&bodies);
    let statics = emitter.statics();
    let runtime = super::runtime_modules(&["check"]);
    quote! {
        //! `Validate` for every type: the rules of the spec that the types do not enforce.
        #[allow(unused_imports)]
        use super::types::*;
        #runtime
        /// The names [`validate_schema`] knows, in the spec's order.
        pub const SCHEMA_NAMES: &[&str] = &[#( #names ),*];
        /// The operations [`validate_request`] knows, in the spec's order.
        pub const OPERATION_IDS: &[&str] = &[#( #ids ),*];
        #schema_fn
        #request_fn
        #statics
        #( mod #modules; )*
        #( #impls )*
    }
}

struct Emitter<'m> {
    model: &'m ApiModel,
    /// Patterns met so far, each compiled once in a static.
    patterns: BTreeMap<String, Ident>,
    /// The features of the items that use each pattern, for its static's gate.
    pattern_users: BTreeMap<String, Gate>,
    /// The feature of the item being emitted.
    gate: Gate,
}

impl<'m> Emitter<'m> {
    fn new(model: &'m ApiModel) -> Self {
        Self { model, patterns: BTreeMap::new(), pattern_users: BTreeMap::new(), gate: Gate::Always }
    }

    /// One static per pattern met, each behind the features of the items that use it.
    fn statics(&self) -> TokenStream {
        pattern_statics(&self.patterns, &self.pattern_users)
    }
}

impl Emitter<'_> {
    /// A function that checks JSON bytes against one of `entries`, by name, through a table of
    /// [`JsonCheck`](apigen_runtime) pointers; `checks` names the table. An entry whose rules are
    /// its type's own `Validate` (or none) points at a runtime function; any other gets a small
    /// function of its own, named after the entry. A `match` with a closure per entry would be
    /// one huge function, which costs the compiler far more than many small ones.
    fn registry(
        &mut self,
        function: TokenStream,
        argument: TokenStream,
        checks: &str,
        doc: &str,
        entries: &[(String, TypeRef)],
    ) -> TokenStream {
        let doc: Vec<String> = doc.lines().map(|l| format!(" {}", l.trim_start())).collect();
        let table = format_ident!("{}", checks);
        // `SCHEMA_CHECKS` -> `schema_account`.
        let prefix = checks.split('_').next().unwrap_or(checks).to_lowercase();
        let own_rules = quote! { ::apigen_runtime::Validate::validate_at(v, cx); }.to_string();
        let mut functions = Vec::new();
        let mut names = crate::naming::Namespace::new();
        let rows: Vec<TokenStream> = entries
            .iter()
            .map(|(name, ty)| {
                self.gate = self.model.gate_of(ty).clone();
                let gate = super::gate_attr(&self.gate);
                let rust = type_tokens(self.model, ty);
                let check = self.check(ty, &Rules::default());
                let pointer = if check.is_empty() {
                    quote!(::apigen_runtime::json_parses::<#rust>)
                } else if check.to_string() == own_rules {
                    quote!(::apigen_runtime::json_validates::<#rust>)
                } else {
                    let helper = names.unique(format!("{prefix}_{}", crate::naming::field_name(name, "entry")));
                    let helper = format_ident!("{}", helper);
                    functions.push(quote! {
                        #gate
                        fn #helper(json: &[u8]) -> #RESULT<(), ::apigen_runtime::ValidationErrors> {
                            ::apigen_runtime::from_json_with::<#rust>(json, |v, cx| { #check }).map(drop)
                        }
                    });
                    quote!(#helper)
                };
                quote! { #gate (#name, #pointer) }
            })
            .collect();
        self.gate = Gate::Always;
        quote! {
            #( #[doc = #doc] )*
            pub fn #function(#argument: &str, json: &[u8]) -> #OPTION<#RESULT<(), ::apigen_runtime::ValidationErrors>> {
                ::apigen_runtime::check_by_key(#table, #argument, json)
            }
            static #table: &[(&str, ::apigen_runtime::JsonCheck)] = &[#( #rows ),*];
            #( #functions )*
        }
    }

    fn type_impl(&mut self, id: TypeId, def: &TypeDef) -> Option<TokenStream> {
        self.gate = def.gate.clone();
        let gate = super::gate_attr(&def.gate);
        let name = ident(&def.name);
        let body = match &def.kind {
            TypeKind::Alias(_) => return None,
            TypeKind::StringEnum(variants) => {
                // The variant that keeps a value the spec does not list is refused as any
                // value outside the `enum` is.
                let unknown = ident(super::types::unknown_variant(def));
                let values = variants.iter().map(|v| &v.value);
                quote! {
                    if let Self::#unknown(value) = self {
                        check::enumeration_str(cx, value, &[#( #values ),*]);
                    }
                }
            }
            TypeKind::IntegerEnum(_) => TokenStream::new(),
            TypeKind::Struct(s) => self.struct_body(id, s, &def.rules),
            TypeKind::Union(variants) => self.union_body(def, variants),
        };
        let cx = if body.is_empty() { quote!(_cx) } else { quote!(cx) };
        Some(quote! {
            #gate
            impl ::apigen_runtime::Validate for #name {
                fn validate_at(&self, #cx: &mut ::apigen_runtime::Context) {
                    #body
                }
            }
        })
    }

    /// `allOf`, `anyOf`, `oneOf` and `not`, each member checked by `member`. A member with
    /// nothing to check matches every value.
    fn combinators(&mut self, rules: &Rules, mut member: impl FnMut(&mut Self, &Rules) -> TokenStream) -> TokenStream {
        let mut out = Vec::new();
        for sub in &rules.all_of {
            out.push(member(self, sub));
        }
        if !rules.any_of.is_empty() {
            let checks: Vec<TokenStream> = rules.any_of.iter().map(|sub| member(self, sub)).collect();
            // An alternative that always matches makes the whole `anyOf` hold.
            if checks.iter().all(|c| !c.is_empty()) {
                let probes = checks.iter().map(probe);
                out.push(quote! { let matched = #( #probes )||*; check::any_of(cx, matched); });
            }
        }
        if !rules.one_of.is_empty() {
            let probes: Vec<TokenStream> = rules
                .one_of
                .iter()
                .map(|sub| {
                    let check = member(self, sub);
                    if check.is_empty() {
                        quote!(true)
                    } else {
                        probe(&check)
                    }
                })
                .collect();
            out.push(quote! {
                let matches = [#( #probes ),*].into_iter().filter(|matched| *matched).count();
                check::one_of(cx, matches);
            });
        }
        if let Some(sub) = &rules.not {
            let check = member(self, sub);
            let matched = if check.is_empty() { quote!(true) } else { probe(&check) };
            out.push(quote! { let matched = #matched; check::not(cx, matched); });
        }
        quote!(#( #out )*)
    }

    fn string_keywords(&mut self, rules: &Rules, s: TokenStream) -> TokenStream {
        let mut out = Vec::new();
        if let Some(n) = rules.min_length {
            out.push(quote! { check::min_length(cx, #s, #n); });
        }
        if let Some(n) = rules.max_length {
            out.push(quote! { check::max_length(cx, #s, #n); });
        }
        if let Some(pattern) = &rules.pattern {
            let name = self.pattern_static(pattern);
            out.push(quote! { check::pattern(cx, #s, &#name); });
        }
        if let Some(format) = rules.format {
            let variant = format_variant(format);
            out.push(quote! { check::format(cx, #s, ::apigen_runtime::Format::#variant); });
        }
        quote!(#( #out )*)
    }

    fn pattern_static(&mut self, pattern: &str) -> Ident {
        self.pattern_users
            .entry(pattern.to_owned())
            .and_modify(|users| users.widen(&self.gate))
            .or_insert_with(|| self.gate.clone());
        let next = self.patterns.len();
        self.patterns.entry(pattern.to_owned()).or_insert_with(|| format_ident!("PATTERN_{}", next)).clone()
    }
}

/// The binding of an entry's value in a loop over an object's entries: `v`, or `_` where the
/// check does not read it (a refusal that names only the key).
fn entry_binding(check: &TokenStream) -> TokenStream {
    if uses(check, "v") {
        quote!(v)
    } else {
        quote!(_)
    }
}

/// `cx.probe(...)` around a check: whether it finds nothing.
fn probe(check: &TokenStream) -> TokenStream {
    quote!(cx.probe(|cx| { #check }))
}

fn numeric_keywords(rules: &Rules, num: &TokenStream) -> TokenStream {
    let mut out = Vec::new();
    if let Some(Bound { value, exclusive }) = &rules.minimum {
        let limit = num_literal(value);
        out.push(quote! { check::minimum(cx, #num, #limit, #exclusive); });
    }
    if let Some(Bound { value, exclusive }) = &rules.maximum {
        let limit = num_literal(value);
        out.push(quote! { check::maximum(cx, #num, #limit, #exclusive); });
    }
    if let Some(divisor) = &rules.multiple_of {
        let limit = num_literal(divisor);
        out.push(quote! { check::multiple_of(cx, #num, #limit); });
    }
    quote!(#( #out )*)
}

fn array_counts(rules: &Rules, len: TokenStream) -> TokenStream {
    let min = rules.min_items.map(|n| quote! { check::min_items(cx, #len, #n); });
    let max = rules.max_items.map(|n| quote! { check::max_items(cx, #len, #n); });
    quote!(#min #max)
}

fn object_counts(rules: &Rules, len: TokenStream) -> TokenStream {
    let min = rules.min_properties.map(|n| quote! { check::min_properties(cx, #len, #n); });
    let max = rules.max_properties.map(|n| quote! { check::max_properties(cx, #len, #n); });
    quote!(#min #max)
}

fn num_literal(n: &serde_json::Number) -> TokenStream {
    if let Some(i) = n.as_i64() {
        let lit = Literal::i128_unsuffixed(i.into());
        quote!(check::Num::Int(#lit))
    } else if let Some(u) = n.as_u64() {
        let lit = Literal::i128_unsuffixed(u.into());
        quote!(check::Num::Int(#lit))
    } else {
        let f = n.as_f64().unwrap_or_default();
        if f.fract() == 0.0 && f.abs() < 1e18 {
            let lit = Literal::i128_unsuffixed(f as i128);
            quote!(check::Num::Int(#lit))
        } else {
            let lit = Literal::f64_unsuffixed(f);
            quote!(check::Num::Float(#lit))
        }
    }
}

/// Tokens that build a JSON value at run time.
/// `check` (of a value bound to `v`) at the property `key` of where validation is: one call,
/// `cx.nested(key, v)`, where the check is only the value's own `Validate`; else the check
/// between entering the key and leaving it.
pub(crate) fn at_key(key: &str, check: TokenStream) -> TokenStream {
    if is_delegation(&check) {
        quote! { cx.nested(#key, v); }
    } else {
        quote! { cx.push_key(#key); #check cx.pop(); }
    }
}

pub(super) fn json_literal(value: &Value) -> TokenStream {
    match value {
        Value::Null => quote!(::apigen_runtime::serde_json::Value::Null),
        Value::Bool(b) => quote!(::apigen_runtime::serde_json::Value::Bool(#b)),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                let lit = Literal::i64_suffixed(i);
                quote!(::apigen_runtime::serde_json::Value::from(#lit))
            } else if let Some(u) = n.as_u64() {
                let lit = Literal::u64_suffixed(u);
                quote!(::apigen_runtime::serde_json::Value::from(#lit))
            } else {
                let lit = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
                quote!(::apigen_runtime::serde_json::Value::from(#lit))
            }
        }
        Value::String(s) => quote!(::apigen_runtime::serde_json::Value::from(#s)),
        Value::Array(items) => {
            let items = items.iter().map(json_literal);
            quote!(::apigen_runtime::serde_json::Value::Array(::std::vec![#( #items ),*]))
        }
        Value::Object(map) => {
            let entries = map.iter().map(|(k, v)| {
                let v = json_literal(v);
                quote!((#STRING::from(#k), #v))
            });
            quote!(::apigen_runtime::serde_json::Value::Object(::apigen_runtime::serde_json::Map::from_iter([#( #entries ),*])))
        }
    }
}

pub(super) fn format_variant(format: CheckedFormat) -> Ident {
    let name = match format {
        CheckedFormat::Date => "Date",
        CheckedFormat::DateTime => "DateTime",
        CheckedFormat::Time => "Time",
        CheckedFormat::Email => "Email",
        CheckedFormat::Hostname => "Hostname",
        CheckedFormat::Ipv4 => "Ipv4",
        CheckedFormat::Ipv6 => "Ipv6",
        CheckedFormat::Uri => "Uri",
        CheckedFormat::Uuid => "Uuid",
    };
    Ident::new(name, Span::call_site())
}

/// The JSON type every value of `ty` has, if the Rust type fixes it.
fn json_type_of(model: &ApiModel, ty: &TypeRef) -> Option<JsonType> {
    match model.resolve(ty) {
        TypeRef::Primitive(p) => match p {
            Primitive::String | Primitive::Date | Primitive::DateTime | Primitive::Uuid | Primitive::Binary => {
                Some(JsonType::String)
            }
            Primitive::Bool => Some(JsonType::Boolean),
            Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64 => Some(JsonType::Integer),
            Primitive::F32 | Primitive::F64 | Primitive::Decimal => Some(JsonType::Number),
            Primitive::Value => None,
        },
        TypeRef::Vec(_) => Some(JsonType::Array),
        TypeRef::Map(_) => Some(JsonType::Object),
        TypeRef::Named(id) => match &model.type_def(*id).kind {
            TypeKind::Struct(_) => Some(JsonType::Object),
            TypeKind::StringEnum(_) => Some(JsonType::String),
            TypeKind::IntegerEnum(_) => Some(JsonType::Integer),
            TypeKind::Union(_) | TypeKind::Alias(_) => None,
        },
        TypeRef::Nullable(_) | TypeRef::Boxed(_) => None,
    }
}

/// The checks of the `Validate` impls, for values the client holds (parameters and bodies),
/// with the patterns they use compiled in statics of the client's own module.
pub struct Checks<'m>(Emitter<'m>);

impl<'m> Checks<'m> {
    pub fn new(model: &'m ApiModel) -> Self {
        Self(Emitter::new(model))
    }

    /// Every rule of a value of type `ty` at a position with `rules`, checked on a reference
    /// bound to `v`, reported into `cx`; empty if there is nothing to check.
    pub fn check(&mut self, ty: &TypeRef, rules: &Rules) -> TokenStream {
        self.0.check(ty, rules)
    }

    /// Checks made from now on are for an item behind `gate` (see [`Self::statics`]).
    pub fn set_gate(&mut self, gate: Gate) {
        self.0.gate = gate;
    }

    /// The static of `pattern`, which an item behind the current gate uses (for a check, or to
    /// generate strings from): one per pattern, among [`Self::statics`].
    pub fn pattern(&mut self, pattern: &str) -> Ident {
        self.0.pattern_static(pattern)
    }

    /// The statics of the patterns the checks use, each behind the features of its users.
    pub fn statics(&self) -> TokenStream {
        self.0.statics()
    }
}

/// One static per pattern, compiled on first use, and only where an item that uses it is.
fn pattern_statics(patterns: &BTreeMap<String, Ident>, users: &BTreeMap<String, Gate>) -> TokenStream {
    let mut patterns: Vec<(&String, &Ident)> = patterns.iter().collect();
    patterns.sort_by_key(|(_, ident)| ident.to_string());
    let statics = patterns.iter().map(|(source, name)| {
        let gate = users.get(*source).map(super::gate_attr).unwrap_or_default();
        quote! { #gate static #name: check::Pattern = check::Pattern::new(#source); }
    });
    quote!(#( #statics )*)
}

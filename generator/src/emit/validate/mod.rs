//! Emit of `src/validate.rs`: a `Validate` impl per struct, union and enum.
//!
//! A value's rules are checked against its Rust type: what the type already guarantees is
//! skipped (a `String` is a string, a required field is present), the rest becomes calls into
//! `apigen_runtime::check`. Where a rule cannot be judged from the typed value alone (an
//! alternative of a `oneOf` that is another type, an `enum` of objects), the value is
//! serialized and checked as JSON, so every rule is checked one way or the other.
//!
//! Every check works on a binding named `v` (a reference) and reports into `cx`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Delimiter, Ident, Literal, Span, TokenStream, TokenTree};
use quote::{format_ident, quote};
use serde_json::Value;

use super::types::{ident, type_tokens};
use crate::model::{ApiModel, Bound, Primitive, Rules, Struct, TypeDef, TypeId, TypeKind, TypeRef};

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
                let gate = super::feature_gate(model.feature_of(ty));
                quote!(#gate #name)
            })
            .collect()
    };
    let names = listed(&schemas);
    let ids = listed(&bodies);
    let statics = emitter.statics();
    quote! {
        //! `Validate` for every type: the rules of the spec that the types do not enforce.
        #[allow(unused_imports)]
        use super::types::*;
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
    pattern_users: BTreeMap<String, BTreeSet<Option<String>>>,
    /// The feature of the item being emitted.
    feature: Option<String>,
}

impl<'m> Emitter<'m> {
    fn new(model: &'m ApiModel) -> Self {
        Self { model, patterns: BTreeMap::new(), pattern_users: BTreeMap::new(), feature: None }
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
                self.feature = self.model.feature_of(ty).map(str::to_owned);
                let gate = super::feature_gate(self.feature.as_deref());
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
                        fn #helper(json: &[u8]) -> ::std::result::Result<(), ::apigen_runtime::ValidationErrors> {
                            ::apigen_runtime::from_json_with::<#rust>(json, |v, cx| { #check }).map(drop)
                        }
                    });
                    quote!(#helper)
                };
                quote! { #gate (#name, #pointer) }
            })
            .collect();
        self.feature = None;
        quote! {
            #( #[doc = #doc] )*
            pub fn #function(#argument: &str, json: &[u8]) -> ::std::option::Option<::std::result::Result<(), ::apigen_runtime::ValidationErrors>> {
                ::apigen_runtime::check_by_key(#table, #argument, json)
            }
            static #table: &[(&str, ::apigen_runtime::JsonCheck)] = &[#( #rows ),*];
            #( #functions )*
        }
    }

    fn type_impl(&mut self, id: TypeId, def: &TypeDef) -> Option<TokenStream> {
        self.feature = def.feature.clone();
        let gate = super::feature_gate(def.feature.as_deref());
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
                        ::apigen_runtime::check::enumeration_str(cx, value, &[#( #values ),*]);
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

    fn struct_body(&mut self, id: TypeId, s: &Struct, rules: &Rules) -> TokenStream {
        let mut out = Vec::new();
        for field in &s.fields {
            let name = ident(&field.rust_name);
            let wire = &field.wire_name;
            if field.required {
                let check = self.check(&field.ty, &field.rules);
                if !check.is_empty() {
                    let check = bind(quote!(&self.#name), check);
                    out.push(quote! { cx.push_key(#wire); #check cx.pop(); });
                }
            } else {
                let check = self.check(&field.ty, &field.rules);
                if !check.is_empty() {
                    out.push(if_some(quote!(self.#name), true, quote! { cx.push_key(#wire); #check cx.pop(); }));
                }
            }
        }
        if let Some((field, ty)) = &s.additional {
            let name = ident(field);
            let check = self.check(ty, &Rules::default());
            if !check.is_empty() {
                out.push(quote! { for (k, v) in &self.#name { cx.push_entry(k); #check cx.pop(); } });
            }
        }
        let object = self.apply(&TypeRef::Named(id), rules);
        if !object.is_empty() {
            out.push(bind(quote!(self), object));
        }
        quote!(#( #out )*)
    }

    /// A union checks its variant against that alternative's rules; then, since JSON Schema
    /// decides `oneOf` / `anyOf` over every alternative and not just the first that fits,
    /// the value as JSON against all of them.
    fn union_body(&mut self, def: &TypeDef, variants: &[crate::model::UnionVariant]) -> TokenStream {
        if let Some(property) = &def.discriminator {
            return self.tagged_union_body(def, variants, property);
        }
        // A value no alternative reads matches none of them: the one error, and nothing else
        // to judge.
        let unknown = super::types::unknown_alternative(def).map(|unknown| {
            let unknown = ident(unknown);
            let error = if def.rules.one_of.is_empty() {
                quote!(::apigen_runtime::check::any_of(cx, false))
            } else {
                quote!(::apigen_runtime::check::one_of(cx, 0))
            };
            (
                (
                    quote! { if let Self::#unknown(_) = self { #error; } },
                    quote! { if let Self::#unknown(_) = self { #error; return; } },
                ),
                quote! { Self::#unknown(_) => {} },
            )
        });
        let (unknown_first, unknown_arm) = unknown.unzip();
        let mut arms: Vec<TokenStream> = variants
            .iter()
            .map(|variant| {
                let name = ident(&variant.rust_name);
                let check = self.check(&variant.ty, &variant.rules);
                if uses(&check, "v") {
                    quote! { Self::#name(v) => { #check } }
                } else {
                    quote! { Self::#name(_) => { #check } }
                }
            })
            .collect();
        arms.extend(unknown_arm);
        let typed_checks = variants.iter().any(|variant| !self.check(&variant.ty, &variant.rules).is_empty());
        let typed = if typed_checks {
            quote! { match self { #( #arms )* } }
        } else {
            TokenStream::new()
        };
        let body = self.union_rules(def, variants, typed);
        // Nothing after it to skip: no `return` (clippy's `needless_return`).
        let unknown_first = unknown_first.map(|(alone, first)| if body.is_empty() { alone } else { first });
        quote!(#unknown_first #body)
    }

    /// The rest of [`Self::union_body`]: `typed` checks the variant against its alternative's
    /// rules; then the value as JSON against every alternative.
    fn union_rules(
        &mut self,
        def: &TypeDef,
        variants: &[crate::model::UnionVariant],
        typed: TokenStream,
    ) -> TokenStream {
        let rest = Rules { one_of: Vec::new(), any_of: Vec::new(), reference: None, ..def.rules.clone() };
        let rest = self.dynamic(&rest);
        let rest = if rest.is_empty() { rest } else { bind(quote!(&json), rest) };
        // `json` is the value as JSON, computed only where a check reads it.
        let with_json = |body: TokenStream| {
            if uses(&body, "json") {
                quote! { let json = ::apigen_runtime::check::to_json(self); #body }
            } else {
                body
            }
        };
        if variants.iter().any(|v| v.ty == TypeRef::Primitive(Primitive::Value)) {
            // A variant that holds any JSON proves nothing by its shape: the union is judged
            // on its JSON form alone, against every alternative.
            let rules = Rules { reference: None, ..def.rules.clone() };
            let check = self.dynamic(&rules);
            return with_json(bind(quote!(&json), check));
        }
        if !def.rules.one_of.is_empty() {
            let probes: Vec<TokenStream> = def
                .rules
                .one_of
                .iter()
                .map(|member| {
                    let check = self.dynamic(member);
                    if check.is_empty() {
                        quote!(true)
                    } else {
                        probe(&bind(quote!(&json), check))
                    }
                })
                .collect();
            let body = with_json(quote! {
                let matches = [#( #probes ),*].into_iter().filter(|matched| *matched).count();
                ::apigen_runtime::check::one_of(cx, matches);
                #rest
            });
            return quote!(#typed #body);
        }
        let checks: Vec<TokenStream> = def.rules.any_of.iter().map(|member| self.dynamic(member)).collect();
        // With no `anyOf`, or an alternative that always matches, the union always holds
        // beyond its variant's own rules.
        if typed.is_empty() || checks.is_empty() || checks.iter().any(TokenStream::is_empty) {
            let rest = with_json(rest);
            return quote!(#typed #rest);
        }
        let probes: Vec<TokenStream> = checks.into_iter().map(|check| probe(&bind(quote!(&json), check))).collect();
        let fallback = with_json(quote! {
            if !(#( #probes )||*) {
                #typed
                ::apigen_runtime::check::any_of(cx, false);
            }
        });
        let rest = with_json(rest);
        quote! {
            if !cx.probe(|cx| #typed) {
                #fallback
            }
            #rest
        }
    }

    /// A union with a discriminator is judged by the alternative its discriminator selects,
    /// not by every alternative (two alternatives that both fit a value are not a `oneOf`
    /// failure): the variant's own rules, and that its discriminator property holds one of the
    /// values selecting it (a variant built in code may say otherwise).
    fn tagged_union_body(
        &mut self,
        def: &TypeDef,
        variants: &[crate::model::UnionVariant],
        property: &str,
    ) -> TokenStream {
        let arms: Vec<TokenStream> = variants
            .iter()
            .map(|variant| {
                let name = ident(&variant.rust_name);
                let check = self.check(&variant.ty, &variant.rules);
                let tag = discriminator_check(self.model, &variant.ty, property, &variant.tags);
                // The check may rebind `v` (to unbox it): in a block of its own.
                let check = (!check.is_empty()).then(|| quote!({ #check }));
                let binding = if uses(&tag, "v") || check.is_some() { quote!(v) } else { quote!(_) };
                quote! { Self::#name(#binding) => { #check #tag } }
            })
            .collect();
        // An object whose discriminator value no alternative has: the error reading it would
        // have given, and nothing else to judge.
        let unknown = ident(super::types::unknown_alternative(def).unwrap_or_default());
        let values: Vec<&String> = variants.iter().flat_map(|v| &v.tags).collect();
        let unknown_first = quote! {
            if let Self::#unknown(object) = self {
                ::apigen_runtime::check::unknown_discriminator(cx, #property, object, &[#( #values ),*]);
                return;
            }
        };
        let arms: Vec<TokenStream> = arms.into_iter().chain([quote! { Self::#unknown(_) => {} }]).collect();
        // Every variant is a struct, so the value is an object.
        let types = def.rules.types.clone().filter(|t| t != "object");
        let rest = Rules { one_of: Vec::new(), any_of: Vec::new(), reference: None, types, ..def.rules.clone() };
        let rest = self.dynamic(&rest);
        let rest = if rest.is_empty() {
            rest
        } else {
            let rest = bind(quote!(&json), rest);
            quote! { let json = ::apigen_runtime::check::to_json(self); #rest }
        };
        quote! { #unknown_first match self { #( #arms )* } #rest }
    }

    /// Everything to check of a value `v` of type `ty` at a position with `rules`: the type's
    /// own validation (nested structs, items, alias rules) and the position's rules.
    fn check(&mut self, ty: &TypeRef, rules: &Rules) -> TokenStream {
        match ty {
            TypeRef::Nullable(inner) => {
                let inner = self.check(inner, rules);
                if inner.is_empty() {
                    return inner;
                }
                if_some(quote!(v), false, inner)
            }
            TypeRef::Boxed(inner) => {
                let inner = self.check(inner, rules);
                if inner.is_empty() {
                    return inner;
                }
                bind(quote!(&**v), inner)
            }
            TypeRef::Named(id) => {
                let def = self.model.type_def(*id);
                match &def.kind {
                    TypeKind::Alias(target) => {
                        let own = self.check(target, &def.rules);
                        let here = self.apply(target, &without_reference(rules, *id));
                        quote!(#own #here)
                    }
                    TypeKind::IntegerEnum(_) => self.apply(ty, rules),
                    TypeKind::StringEnum(_) | TypeKind::Struct(_) | TypeKind::Union(_) => {
                        let here = self.apply(ty, &without_reference(rules, *id));
                        quote! { ::apigen_runtime::Validate::validate_at(v, cx); #here }
                    }
                }
            }
            TypeRef::Vec(inner) => {
                let here = self.apply(ty, rules);
                let item_rules = rules.items.as_deref().cloned().unwrap_or_default();
                let item = self.check(inner, &item_rules);
                // After `prefixItems`, `items` concerns only the items past the prefix.
                let skip = after_prefix(rules);
                let items = (!item.is_empty()).then(|| {
                    quote! { for (i, v) in v.iter().enumerate() #skip { cx.push_index(i); #item cx.pop(); } }
                });
                quote!(#here #items)
            }
            TypeRef::Map(inner) => {
                let here = self.apply(ty, rules);
                let value = self.check(inner, &Rules::default());
                let entries = (!value.is_empty()).then(|| {
                    quote! { for (k, v) in v { cx.push_entry(k); #value cx.pop(); } }
                });
                quote!(#here #entries)
            }
            TypeRef::Primitive(_) => self.apply(ty, rules),
        }
    }

    /// The position's rules against `v` of type `ty`, without the type's own validation.
    fn apply(&mut self, ty: &TypeRef, rules: &Rules) -> TokenStream {
        if rules.is_empty() {
            return TokenStream::new();
        }
        match ty {
            TypeRef::Nullable(inner) => {
                let inner = self.apply(inner, rules);
                if inner.is_empty() {
                    return inner;
                }
                if_some(quote!(v), false, inner)
            }
            TypeRef::Boxed(inner) => {
                let inner = self.apply(inner, rules);
                if inner.is_empty() {
                    return inner;
                }
                bind(quote!(&**v), inner)
            }
            _ => {
                let mut out = Vec::new();
                if let Some(reference) = rules.reference {
                    if named_id(ty) != Some(reference) {
                        let check = self.reference_dynamic(reference);
                        out.push(quote! { { let json = ::apigen_runtime::check::to_json(v); let v = &json; #check } });
                    }
                }
                // The 2020-12 applicators cut across the Rust type (a pattern over property
                // names, a condition over the whole value, positions of a tuple): they are
                // checked on the value's JSON form, which is what the wire carries. A value of
                // any JSON is that form already.
                let (typed, json) = if resolve(self.model, ty) == TypeRef::Primitive(Primitive::Value) {
                    (rules.clone(), Rules::default())
                } else {
                    split_2020_12(rules)
                };
                out.push(self.keywords(ty, &typed));
                out.push(self.combinators(&typed, |this, member| this.apply(ty, member)));
                out.push(self.as_json(&json));
                quote!(#( #out )*)
            }
        }
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
                out.push(quote! { let matched = #( #probes )||*; ::apigen_runtime::check::any_of(cx, matched); });
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
                ::apigen_runtime::check::one_of(cx, matches);
            });
        }
        if let Some(sub) = &rules.not {
            let check = member(self, sub);
            let matched = if check.is_empty() { quote!(true) } else { probe(&check) };
            out.push(quote! { let matched = #matched; ::apigen_runtime::check::not(cx, matched); });
        }
        quote!(#( #out )*)
    }

    /// The keywords (not the combinators) against a typed `v`.
    fn keywords(&mut self, ty: &TypeRef, rules: &Rules) -> TokenStream {
        let static_type = json_type_of(self.model, ty);
        let mut out = Vec::new();
        if let (Some(expected), Some(actual)) = (rules.types.as_deref(), static_type) {
            // An integer is a number; a number may be an integer, which is checked on the value.
            let may_fit = expected == actual
                || (expected == "number" && actual == "integer")
                || (expected == "integer" && actual == "number");
            if !may_fit {
                out.push(quote! { ::apigen_runtime::check::wrong_type(cx, #expected); });
            }
        }
        match resolve(self.model, ty) {
            TypeRef::Primitive(Primitive::String) => {
                out.push(self.string_keywords(rules, quote!(v)));
                if let Some(values) = &rules.enumeration {
                    let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                    out.push(quote! { ::apigen_runtime::check::enumeration_str(cx, v, &[#( #strings ),*]); });
                }
            }
            TypeRef::Primitive(
                p @ (Primitive::I32
                | Primitive::I64
                | Primitive::U32
                | Primitive::U64
                | Primitive::F32
                | Primitive::F64
                | Primitive::Decimal),
            ) => {
                let num = if p == Primitive::Decimal {
                    quote!(::apigen_runtime::check::Num::from_json(v))
                } else {
                    quote!(*v)
                };
                if rules.types.as_deref() == Some("integer")
                    && matches!(p, Primitive::F32 | Primitive::F64 | Primitive::Decimal)
                {
                    out.push(quote! { ::apigen_runtime::check::json_type(cx, &::apigen_runtime::check::to_json(v), "integer"); });
                }
                out.push(numeric_keywords(rules, &num));
                out.push(self.enum_dynamic(rules));
            }
            TypeRef::Vec(_) => {
                out.push(array_counts(rules, quote!(v.len())));
                if rules.unique_items {
                    out.push(quote! { ::apigen_runtime::check::unique_items(cx, v); });
                }
                out.push(self.enum_dynamic(rules));
            }
            TypeRef::Map(inner) => {
                out.push(object_counts(rules, quote!(v.len())));
                for name in &rules.required {
                    out.push(quote! { if !v.contains_key(#name) { ::apigen_runtime::check::required(cx, #name); } });
                }
                let properties = Rules {
                    properties: rules.properties.clone(),
                    additional: rules.additional.clone(),
                    ..Rules::default()
                };
                if !properties.properties.is_empty() || properties.additional.is_some() {
                    // Entries' own types were checked by `check`; here only this position's
                    // property rules apply.
                    out.push(self.map_entries_rules(&inner, &properties));
                }
                out.push(self.enum_dynamic(rules));
            }
            TypeRef::Named(id) => match &self.model.type_def(id).kind {
                TypeKind::Struct(s) => out.push(self.struct_keywords(s, rules)),
                TypeKind::StringEnum(variants) => {
                    let strings = self.string_keywords(rules, quote!(v.as_str()));
                    out.push(strings);
                    if let Some(values) = &rules.enumeration {
                        let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                        // An `enum` here that allows every value of the type's own would only
                        // repeat the type's refusal of its unknown variant.
                        if !variants.iter().all(|v| strings.contains(&v.value.as_str())) {
                            out.push(quote! { ::apigen_runtime::check::enumeration_str(cx, v.as_str(), &[#( #strings ),*]); });
                        }
                    }
                }
                TypeKind::IntegerEnum(_) => {
                    out.push(numeric_keywords(rules, &quote!(v.value())));
                    out.push(self.enum_dynamic(rules));
                }
                TypeKind::Union(_) | TypeKind::Alias(_) => out.push(self.as_json(rules)),
            },
            // Dates, UUIDs and booleans: what the type does not fix is checked on the JSON.
            TypeRef::Primitive(Primitive::Value) => {
                let check = self.dynamic_keywords(rules);
                out.push(check);
            }
            TypeRef::Primitive(_) => {
                let rest = Rules { types: None, format: None, ..keywords_only(rules) };
                out.push(self.as_json(&rest));
            }
            TypeRef::Nullable(_) | TypeRef::Boxed(_) => {}
        }
        quote!(#( #out )*)
    }

    /// Property rules of a map position, for entries already type-checked.
    fn map_entries_rules(&mut self, inner: &TypeRef, rules: &Rules) -> TokenStream {
        let mut arms = Vec::new();
        let mut named = Vec::new();
        for (name, property) in &rules.properties {
            named.push(name.clone());
            let check = self.apply(inner, property);
            if !check.is_empty() {
                arms.push(quote! { #name => { #check } });
            }
        }
        let other = match &rules.additional {
            Some(None) => quote! { ::apigen_runtime::check::additional_property(cx, k); },
            Some(Some(extra)) => self.apply(inner, extra),
            None => TokenStream::new(),
        };
        if arms.is_empty() && other.is_empty() {
            return TokenStream::new();
        }
        let body = if named.is_empty() {
            other
        } else if other.is_empty() {
            quote! { match k.as_str() { #( #arms )* _ => {} } }
        } else {
            quote! { match k.as_str() { #( #arms )* #( #named )|* => {} _ => { #other } } }
        };
        quote! { for (k, v) in v { cx.push_entry(k); #body cx.pop(); } }
    }

    fn as_json(&mut self, rules: &Rules) -> TokenStream {
        let check = self.dynamic_keywords(rules);
        if check.is_empty() {
            return check;
        }
        quote! { { let json = ::apigen_runtime::check::to_json(v); let v = &json; #check } }
    }

    fn enum_dynamic(&mut self, rules: &Rules) -> TokenStream {
        match &rules.enumeration {
            Some(values) => {
                let literals = values.iter().map(json_literal);
                quote! { ::apigen_runtime::check::enumeration(cx, &::apigen_runtime::check::to_json(v), &[#( #literals ),*]); }
            }
            None => TokenStream::new(),
        }
    }

    fn string_keywords(&mut self, rules: &Rules, s: TokenStream) -> TokenStream {
        let mut out = Vec::new();
        if let Some(n) = rules.min_length {
            out.push(quote! { ::apigen_runtime::check::min_length(cx, #s, #n); });
        }
        if let Some(n) = rules.max_length {
            out.push(quote! { ::apigen_runtime::check::max_length(cx, #s, #n); });
        }
        if let Some(pattern) = &rules.pattern {
            let name = self.pattern_static(pattern);
            out.push(quote! { ::apigen_runtime::check::pattern(cx, #s, &#name); });
        }
        if let Some(format) = &rules.format {
            let variant = format_variant(format);
            out.push(quote! { ::apigen_runtime::check::format(cx, #s, ::apigen_runtime::Format::#variant); });
        }
        quote!(#( #out )*)
    }

    fn pattern_static(&mut self, pattern: &str) -> Ident {
        self.pattern_users.entry(pattern.to_owned()).or_default().insert(self.feature.clone());
        let next = self.patterns.len();
        self.patterns.entry(pattern.to_owned()).or_insert_with(|| format_ident!("PATTERN_{}", next)).clone()
    }

    /// Rules against a typed struct `v`: `required` and `properties` from conditionals, the
    /// unknown-property rule, property counts.
    fn struct_keywords(&mut self, s: &Struct, rules: &Rules) -> TokenStream {
        let mut out = Vec::new();
        let field_of = |wire: &str| s.fields.iter().find(|f| f.wire_name == wire);
        for name in &rules.required {
            match (field_of(name), &s.additional) {
                (Some(field), _) if field.required => {}
                (Some(field), _) => {
                    let f = ident(&field.rust_name);
                    out.push(quote! { if v.#f.is_none() { ::apigen_runtime::check::required(cx, #name); } });
                }
                (None, Some((map, _))) => {
                    let map = ident(map);
                    out.push(
                        quote! { if !v.#map.contains_key(#name) { ::apigen_runtime::check::required(cx, #name); } },
                    );
                }
                (None, None) => out.push(quote! { ::apigen_runtime::check::required(cx, #name); }),
            }
        }
        for (name, property) in &rules.properties {
            match (field_of(name), &s.additional) {
                (Some(field), _) => {
                    let f = ident(&field.rust_name);
                    if field.required {
                        let check = self.apply(&field.ty, property);
                        if !check.is_empty() {
                            out.push(quote! { { cx.push_key(#name); let v = &v.#f; #check cx.pop(); } });
                        }
                    } else {
                        let check = self.apply(&field.ty, property);
                        if !check.is_empty() {
                            out.push(quote! { if let ::std::option::Option::Some(v) = &v.#f { cx.push_key(#name); #check cx.pop(); } });
                        }
                    }
                }
                (None, Some((map, ty))) => {
                    let map = ident(map);
                    let check = self.apply(ty, property);
                    if !check.is_empty() {
                        out.push(quote! { if let ::std::option::Option::Some(v) = v.#map.get(#name) { cx.push_key(#name); #check cx.pop(); } });
                    }
                }
                (None, None) => {}
            }
        }
        if let Some(additional) = &rules.additional {
            let listed = |wire: &str| rules.properties.iter().any(|(n, _)| n == wire);
            for field in s.fields.iter().filter(|f| !listed(&f.wire_name)) {
                let f = ident(&field.rust_name);
                let wire = &field.wire_name;
                match (additional, field.required) {
                    (None, true) => out.push(quote! { ::apigen_runtime::check::additional_property(cx, #wire); }),
                    (None, false) => out.push(quote! {
                        if v.#f.is_some() { ::apigen_runtime::check::additional_property(cx, #wire); }
                    }),
                    (Some(extra), true) => {
                        let check = self.apply(&field.ty, extra);
                        if !check.is_empty() {
                            out.push(quote! { { cx.push_key(#wire); let v = &v.#f; #check cx.pop(); } });
                        }
                    }
                    (Some(extra), false) => {
                        let check = self.apply(&field.ty, extra);
                        if !check.is_empty() {
                            out.push(quote! { if let ::std::option::Option::Some(v) = &v.#f { cx.push_key(#wire); #check cx.pop(); } });
                        }
                    }
                }
            }
            if let Some((map, ty)) = &s.additional {
                let map = ident(map);
                let names: Vec<&String> = rules.properties.iter().map(|(n, _)| n).collect();
                let unlisted = (!names.is_empty()).then(|| quote!(.filter(|k| !matches!(k.as_str(), #( #names )|*))));
                match additional {
                    None => out.push(quote! {
                        for k in v.#map.keys() #unlisted { ::apigen_runtime::check::additional_property(cx, k); }
                    }),
                    Some(extra) => {
                        let check = self.apply(ty, extra);
                        if !check.is_empty() {
                            let unlisted = (!names.is_empty())
                                .then(|| quote!(.filter(|(k, _)| !matches!(k.as_str(), #( #names )|*))));
                            let value = entry_binding(&check);
                            out.push(quote! { for (k, #value) in v.#map.iter() #unlisted { cx.push_entry(k); #check cx.pop(); } });
                        }
                    }
                }
            }
        }
        if rules.min_properties.is_some() || rules.max_properties.is_some() {
            let mut terms: Vec<TokenStream> = Vec::new();
            let always = s.fields.iter().filter(|f| f.required).count();
            if always > 0 {
                terms.push(quote!(#always));
            }
            for field in s.fields.iter().filter(|f| !f.required) {
                let f = ident(&field.rust_name);
                terms.push(quote!(usize::from(v.#f.is_some())));
            }
            if let Some((map, _)) = &s.additional {
                let map = ident(map);
                terms.push(quote!(v.#map.len()));
            }
            let count = if terms.is_empty() { quote!(0) } else { quote!(#( #terms )+*) };
            let counts = object_counts(rules, quote!(count));
            out.push(quote! { { let count: usize = #count; #counts } });
        }
        out.push(self.enum_dynamic(rules));
        quote!(#( #out )*)
    }

    /// A value that must also be valid as another named type, checked as JSON.
    fn reference_dynamic(&mut self, id: TypeId) -> TokenStream {
        let def = self.model.type_def(id);
        match &def.kind {
            TypeKind::Alias(_) => {
                let rules = def.rules.clone();
                self.dynamic(&rules)
            }
            _ => {
                let name = ident(&def.name);
                quote! { ::apigen_runtime::check::as_type::<#name>(cx, v); }
            }
        }
    }

    /// All rules against `v: &serde_json::Value`.
    fn dynamic(&mut self, rules: &Rules) -> TokenStream {
        if rules.is_empty() {
            return TokenStream::new();
        }
        let mut out = Vec::new();
        if let Some(id) = rules.reference {
            out.push(self.reference_dynamic(id));
        }
        out.push(self.dynamic_keywords(rules));
        out.push(self.combinators(rules, |this, member| this.dynamic(member)));
        quote!(#( #out )*)
    }

    /// The keywords of `rules` against `v: &serde_json::Value`, each for the JSON type it
    /// applies to.
    fn dynamic_keywords(&mut self, rules: &Rules) -> TokenStream {
        let mut out = Vec::new();
        if let Some(expected) = &rules.types {
            let check = quote! { ::apigen_runtime::check::json_type(cx, v, #expected); };
            out.push(if rules.nullable {
                quote! { if !v.is_null() { #check } }
            } else {
                check
            });
        }
        let strings = self.string_keywords(rules, quote!(s));
        if !strings.is_empty() {
            out.push(quote! { if let ::std::option::Option::Some(s) = v.as_str() { #strings } });
        }
        let numbers = numeric_keywords(rules, &quote!(n));
        if !numbers.is_empty() {
            out.push(quote! { if let ::std::option::Option::Some(n) = v.as_number() { let n = ::apigen_runtime::check::Num::from_json(n); #numbers } });
        }
        let mut array = vec![array_counts(rules, quote!(a.len()))];
        if rules.unique_items {
            array.push(quote! { ::apigen_runtime::check::unique_values(cx, a); });
        }
        if let Some(items) = &rules.items {
            let check = self.dynamic(items);
            if !check.is_empty() {
                let skip = after_prefix(rules);
                array.push(quote! { for (i, v) in a.iter().enumerate() #skip { cx.push_index(i); #check cx.pop(); } });
            }
        }
        array.push(self.array_2020_12(rules));
        let array = quote!(#( #array )*);
        if !array.is_empty() {
            out.push(quote! { if let ::std::option::Option::Some(a) = v.as_array() { #array } });
        }
        let mut object = vec![object_counts(rules, quote!(o.len()))];
        for name in &rules.required {
            object.push(quote! { if !o.contains_key(#name) { ::apigen_runtime::check::required(cx, #name); } });
        }
        for (name, property) in &rules.properties {
            let check = self.dynamic(property);
            if !check.is_empty() {
                object.push(quote! { if let ::std::option::Option::Some(v) = o.get(#name) { cx.push_key(#name); #check cx.pop(); } });
            }
        }
        if let Some(additional) = &rules.additional {
            let names: Vec<&String> = rules.properties.iter().map(|(n, _)| n).collect();
            let patterns: Vec<&String> = rules.pattern_properties.iter().map(|(p, _)| p).collect();
            let unlisted = self.unlisted(&names, &patterns);
            match additional {
                None => {
                    let unlisted = unlisted.map(|test| quote!(.filter(|k| !(#test))));
                    object.push(
                        quote! { for k in o.keys() #unlisted { ::apigen_runtime::check::additional_property(cx, k); } },
                    );
                }
                Some(extra) => {
                    let check = self.dynamic(extra);
                    if !check.is_empty() {
                        let unlisted = unlisted.map(|test| quote!(.filter(|(k, _)| !(#test))));
                        let value = entry_binding(&check);
                        object.push(
                            quote! { for (k, #value) in o.iter() #unlisted { cx.push_entry(k); #check cx.pop(); } },
                        );
                    }
                }
            }
        }
        object.push(self.object_2020_12(rules));
        let object = quote!(#( #object )*);
        if !object.is_empty() {
            out.push(quote! { if let ::std::option::Option::Some(o) = v.as_object() { #object } });
        }
        if let Some(values) = &rules.enumeration {
            let literals = values.iter().map(json_literal);
            out.push(quote! { ::apigen_runtime::check::enumeration(cx, v, &[#( #literals ),*]); });
        }
        if let Some(conditional) = &rules.conditional {
            out.push(self.conditional(conditional));
        }
        quote!(#( #out )*)
    }

    /// A test of whether a property name `k` (a `&String`) is listed in `names` or matches one
    /// of `patterns`; `None` when there are neither.
    fn unlisted(&mut self, names: &[&String], patterns: &[&String]) -> Option<TokenStream> {
        let mut tests = Vec::new();
        if !names.is_empty() {
            tests.push(quote!(matches!(k.as_str(), #( #names )|*)));
        }
        for pattern in patterns {
            let name = self.pattern_static(pattern);
            tests.push(quote!(::apigen_runtime::check::matches_name(k, &#name)));
        }
        (!tests.is_empty()).then(|| quote!(#( #tests )||*))
    }

    /// `prefixItems`, `contains` and `unevaluatedItems` against an array `a`.
    fn array_2020_12(&mut self, rules: &Rules) -> TokenStream {
        let mut out = Vec::new();
        for (i, position) in rules.prefix_items.iter().enumerate() {
            let check = self.dynamic(position);
            if !check.is_empty() {
                // `a.get(0)` is clippy's `get_first`.
                let item = if i == 0 { quote!(a.first()) } else { quote!(a.get(#i)) };
                out.push(
                    quote! { if let ::std::option::Option::Some(v) = #item { cx.push_index(#i); #check cx.pop(); } },
                );
            }
        }
        if let Some(contains) = &rules.contains {
            let check = self.dynamic(&contains.rules);
            let count = if check.is_empty() {
                quote!(a.len())
            } else {
                quote!(a.iter().filter(|v| { let v: &::apigen_runtime::serde_json::Value = v; cx.probe(|cx| { #check }) }).count())
            };
            let min = option_u64(contains.min);
            let max = option_u64(contains.max);
            out.push(quote! { let matched = #count; ::apigen_runtime::check::contains(cx, matched, #min, #max); });
        }
        if let Some(unevaluated) = &rules.unevaluated_items {
            let evaluated = unevaluated.evaluated;
            match &unevaluated.rules {
                None => out.push(quote! {
                    if a.len() > #evaluated { ::apigen_runtime::check::unevaluated_items(cx, a.len(), #evaluated); }
                }),
                Some(rest) => {
                    let check = self.dynamic(rest);
                    if !check.is_empty() {
                        // No `.skip(0)` (clippy's `iter_skip_zero`) where nothing is evaluated before.
                        let skip = (evaluated > 0).then(|| quote!(.skip(#evaluated)));
                        out.push(
                            quote! { for (i, v) in a.iter().enumerate() #skip { cx.push_index(i); #check cx.pop(); } },
                        );
                    }
                }
            }
        }
        quote!(#( #out )*)
    }

    /// `dependentRequired`, `dependentSchemas`, `patternProperties`, `propertyNames` and
    /// `unevaluatedProperties` against an object `o` (which is `v`).
    fn object_2020_12(&mut self, rules: &Rules) -> TokenStream {
        let mut out = Vec::new();
        for (name, required) in &rules.dependent_required {
            for missing in required {
                out.push(quote! {
                    if o.contains_key(#name) && !o.contains_key(#missing) { ::apigen_runtime::check::dependent_required(cx, #name, #missing); }
                });
            }
        }
        for (name, dependent) in &rules.dependent_schemas {
            let check = self.dynamic(dependent);
            if !check.is_empty() {
                // In a block of its own: a check that is one `if` would read to clippy as a
                // collapsible `if`.
                out.push(quote! { if o.contains_key(#name) { { #check } } });
            }
        }
        for (pattern, property) in &rules.pattern_properties {
            let check = self.dynamic(property);
            if !check.is_empty() {
                let name = self.pattern_static(pattern);
                out.push(quote! {
                    for (k, v) in o.iter() {
                        if ::apigen_runtime::check::name_matches(cx, k, &#name) { cx.push_entry(k); #check cx.pop(); }
                    }
                });
            }
        }
        if let Some(names) = &rules.property_names {
            let check = self.dynamic(names);
            if !check.is_empty() {
                out.push(quote! {
                    for k in o.keys() {
                        let name = ::apigen_runtime::serde_json::Value::String(k.clone());
                        let v = &name;
                        if !cx.probe(|cx| { #check }) { ::apigen_runtime::check::property_name(cx, k); }
                    }
                });
            }
        }
        if let Some(unevaluated) = &rules.unevaluated_properties {
            let names: Vec<&String> = unevaluated.names.iter().collect();
            let patterns: Vec<&String> = unevaluated.patterns.iter().collect();
            let unlisted = self.unlisted(&names, &patterns);
            match &unevaluated.rules {
                None => {
                    let unlisted = unlisted.map(|test| quote!(.filter(|k| !(#test))));
                    out.push(quote! { for k in o.keys() #unlisted { ::apigen_runtime::check::unevaluated_property(cx, k); } });
                }
                Some(rest) => {
                    let check = self.dynamic(rest);
                    if !check.is_empty() {
                        let unlisted = unlisted.map(|test| quote!(.filter(|(k, _)| !(#test))));
                        let value = entry_binding(&check);
                        out.push(
                            quote! { for (k, #value) in o.iter() #unlisted { cx.push_entry(k); #check cx.pop(); } },
                        );
                    }
                }
            }
        }
        quote!(#( #out )*)
    }

    /// `if` / `then` / `else` against `v`: the condition is probed (its violations are not
    /// the value's), then the branch it selects is checked and reports as its own keywords do.
    fn conditional(&mut self, conditional: &crate::model::Conditional) -> TokenStream {
        let condition = self.dynamic(&conditional.condition);
        let then = conditional.then.as_ref().map(|r| self.dynamic(r)).unwrap_or_default();
        let otherwise = conditional.otherwise.as_ref().map(|r| self.dynamic(r)).unwrap_or_default();
        if condition.is_empty() {
            // An empty condition holds for every value.
            return then;
        }
        if then.is_empty() && otherwise.is_empty() {
            return TokenStream::new();
        }
        // Each part a closure of its own: written as nested `if`s, a branch that is one `if`
        // itself would read to clippy as a collapsible `if`.
        let closure = |check: TokenStream| if check.is_empty() { quote!(|_| {}) } else { quote!(|cx| { #check }) };
        let (condition, then, otherwise) = (closure(condition), closure(then), closure(otherwise));
        quote! { ::apigen_runtime::check::conditional(cx, #condition, #then, #otherwise); }
    }
}

/// `.skip(n)` after `enumerate()`, where `prefixItems` has `n` positions: the items `items`
/// concerns.
fn after_prefix(rules: &Rules) -> Option<TokenStream> {
    let n = rules.prefix_items.len();
    (n > 0).then(|| quote!(.skip(#n)))
}

fn option_u64(n: Option<u64>) -> TokenStream {
    match n {
        Some(n) => quote!(::std::option::Option::Some(#n)),
        None => quote!(::std::option::Option::None),
    }
}

/// Rules split in two: those checked on the typed value, and the 2020-12 applicators, checked
/// on its JSON form. With `patternProperties`, `additionalProperties` goes with them, since
/// which properties it concerns depends on the patterns; the names of `properties` go too
/// (without their rules, which stay with the typed value) so that it knows them.
fn split_2020_12(rules: &Rules) -> (Rules, Rules) {
    if !rules.has_2020_12() {
        return (rules.clone(), Rules::default());
    }
    let mut typed = rules.clone();
    let json = Rules {
        prefix_items: std::mem::take(&mut typed.prefix_items),
        contains: typed.contains.take(),
        dependent_required: std::mem::take(&mut typed.dependent_required),
        dependent_schemas: std::mem::take(&mut typed.dependent_schemas),
        conditional: typed.conditional.take(),
        pattern_properties: std::mem::take(&mut typed.pattern_properties),
        property_names: typed.property_names.take(),
        unevaluated_properties: typed.unevaluated_properties.take(),
        unevaluated_items: typed.unevaluated_items.take(),
        ..Rules::default()
    };
    let json = if json.pattern_properties.is_empty() {
        json
    } else {
        let names = rules.properties.iter().map(|(name, _)| (name.clone(), Rules::default())).collect();
        Rules { additional: typed.additional.take(), properties: names, ..json }
    };
    (typed, json)
}

/// The check that `v`, a variant of a discriminated union of type `ty`, holds one of `tags` in
/// its discriminator property. Lowering made sure the variant is a struct (through boxes,
/// aliases and `nullable`) declaring the property as a string or a string enum.
fn discriminator_check(model: &ApiModel, ty: &TypeRef, property: &str, tags: &[String]) -> TokenStream {
    let mut ty = ty;
    let mut nullable = false;
    let mut fields = None;
    // Bounded, as aliases are followed: every step is a different type or a wrapper.
    for _ in 0..=2 * model.types.len() {
        match ty {
            TypeRef::Nullable(inner) => {
                nullable = true;
                ty = inner;
            }
            TypeRef::Boxed(inner) => ty = inner,
            TypeRef::Named(id) => match &model.type_def(*id).kind {
                TypeKind::Alias(target) => ty = target,
                TypeKind::Struct(s) => {
                    fields = Some(&s.fields);
                    break;
                }
                _ => break,
            },
            _ => break,
        }
    }
    let Some(fields) = fields else { return TokenStream::new() };
    let Some(field) = fields.iter().find(|f| f.wire_name == property) else { return TokenStream::new() };
    let name = ident(&field.rust_name);
    // Through aliases: how many `Option`s the field's Rust type has (an optional field of an
    // alias that is itself nullable has two), and whether it holds a `String` or a string enum.
    let mut options = usize::from(!field.required);
    let mut field_ty = &field.ty;
    let mut string = false;
    for _ in 0..=2 * model.types.len() {
        match field_ty {
            TypeRef::Nullable(inner) => {
                options += 1;
                field_ty = inner;
            }
            TypeRef::Named(id) => match &model.type_def(*id).kind {
                TypeKind::Alias(target) => field_ty = target,
                // A present enum whose every value selects this variant needs no check.
                TypeKind::StringEnum(values) if options == 0 && values.iter().all(|v| tags.contains(&v.value)) => {
                    return TokenStream::new();
                }
                _ => break,
            },
            _ => {
                string = true;
                break;
            }
        }
    }
    let found = match (options, string) {
        (0, _) => quote!(::std::option::Option::Some(v.#name.as_str())),
        (1, true) => quote!(v.#name.as_deref()),
        (_, true) => quote!(v.#name.as_ref().and_then(|tag| tag.as_deref())),
        (1, false) => quote!(v.#name.as_ref().map(|tag| tag.as_str())),
        (_, false) => quote!(v.#name.as_ref().and_then(|tag| tag.as_ref()).map(|tag| tag.as_str())),
    };
    let check = quote! { ::apigen_runtime::check::discriminator(cx, #property, #found, &[#( #tags ),*]); };
    if nullable {
        quote! { if let ::std::option::Option::Some(v) = v { #check } }
    } else {
        check
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

/// Whether `tokens` mention the identifier `name` (so a binding of it is used).
fn uses(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == name,
        TokenTree::Group(group) => uses(&group.stream(), name),
        _ => false,
    })
}

/// `if let Some(v) = &<place> { check }`, or `if <place>.is_some()` when the check does not
/// look at the value. `borrow` is false where `place` is already a reference.
fn if_some(place: TokenStream, borrow: bool, check: TokenStream) -> TokenStream {
    if !uses(&check, "v") {
        return quote! { if #place.is_some() { #check } };
    }
    let place = if borrow { quote!(&#place) } else { place };
    // `Option<Option<T>>` (an optional nullable property, a nullable alias of a nullable type):
    // one pattern, `Some(Some(v))`, rather than an `if let` directly inside another, which
    // clippy's `collapsible_match` refuses.
    if let Some((pattern, inner)) = if_let_some_of_v(&check) {
        return quote! { if let ::std::option::Option::Some(#pattern) = #place { #inner } };
    }
    quote! { if let ::std::option::Option::Some(v) = #place { #check } }
}

/// The pattern and body of `check` when it is exactly `if let Some(...) = v { body }`.
fn if_let_some_of_v(check: &TokenStream) -> Option<(TokenStream, TokenStream)> {
    let trees: Vec<TokenTree> = check.clone().into_iter().collect();
    let (TokenTree::Group(body), head) = trees.split_last()? else { return None };
    let [TokenTree::Ident(if_), TokenTree::Ident(let_), pattern @ .., TokenTree::Punct(eq), TokenTree::Ident(v)] = head
    else {
        return None;
    };
    // One statement only: a pattern holds no `=` and no block (`if let .. = v { .. } if let ..`
    // is two statements, whose first must stay as it is).
    let one_statement = pattern.iter().all(|tree| match tree {
        TokenTree::Punct(p) => p.as_char() != '=',
        TokenTree::Group(g) => g.delimiter() != Delimiter::Brace,
        _ => true,
    });
    let pattern: TokenStream = pattern.iter().cloned().collect();
    let is_some = one_statement && pattern.to_string().starts_with(&quote!(::std::option::Option::Some).to_string());
    (body.delimiter() == Delimiter::Brace && if_ == "if" && let_ == "let" && eq.as_char() == '=' && v == "v" && is_some)
        .then(|| (pattern, body.stream()))
}

/// `let v = <value>; check`, without the binding when the check does not use it.
fn bind(value: TokenStream, check: TokenStream) -> TokenStream {
    if uses(&check, "v") {
        quote! { let v = #value; #check }
    } else {
        check
    }
}

fn numeric_keywords(rules: &Rules, num: &TokenStream) -> TokenStream {
    let mut out = Vec::new();
    if let Some(Bound { value, exclusive }) = &rules.minimum {
        let limit = num_literal(value);
        out.push(quote! { ::apigen_runtime::check::minimum(cx, #num, #limit, #exclusive); });
    }
    if let Some(Bound { value, exclusive }) = &rules.maximum {
        let limit = num_literal(value);
        out.push(quote! { ::apigen_runtime::check::maximum(cx, #num, #limit, #exclusive); });
    }
    if let Some(divisor) = &rules.multiple_of {
        let limit = num_literal(divisor);
        out.push(quote! { ::apigen_runtime::check::multiple_of(cx, #num, #limit); });
    }
    quote!(#( #out )*)
}

fn array_counts(rules: &Rules, len: TokenStream) -> TokenStream {
    let min = rules.min_items.map(|n| quote! { ::apigen_runtime::check::min_items(cx, #len, #n); });
    let max = rules.max_items.map(|n| quote! { ::apigen_runtime::check::max_items(cx, #len, #n); });
    quote!(#min #max)
}

fn object_counts(rules: &Rules, len: TokenStream) -> TokenStream {
    let min = rules.min_properties.map(|n| quote! { ::apigen_runtime::check::min_properties(cx, #len, #n); });
    let max = rules.max_properties.map(|n| quote! { ::apigen_runtime::check::max_properties(cx, #len, #n); });
    quote!(#min #max)
}

fn num_literal(n: &serde_json::Number) -> TokenStream {
    if let Some(i) = n.as_i64() {
        let lit = Literal::i128_unsuffixed(i.into());
        quote!(::apigen_runtime::check::Num::Int(#lit))
    } else if let Some(u) = n.as_u64() {
        let lit = Literal::i128_unsuffixed(u.into());
        quote!(::apigen_runtime::check::Num::Int(#lit))
    } else {
        let f = n.as_f64().unwrap_or_default();
        if f.fract() == 0.0 && f.abs() < 1e18 {
            let lit = Literal::i128_unsuffixed(f as i128);
            quote!(::apigen_runtime::check::Num::Int(#lit))
        } else {
            let lit = Literal::f64_unsuffixed(f);
            quote!(::apigen_runtime::check::Num::Float(#lit))
        }
    }
}

/// Tokens that build a JSON value at run time.
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
                quote!((::std::string::String::from(#k), #v))
            });
            quote!(::apigen_runtime::serde_json::Value::Object(::apigen_runtime::serde_json::Map::from_iter([#( #entries ),*])))
        }
    }
}

pub(super) fn format_variant(format: &str) -> Ident {
    let name = match format {
        "date" => "Date",
        "date-time" => "DateTime",
        "time" => "Time",
        "email" => "Email",
        "hostname" => "Hostname",
        "ipv4" => "Ipv4",
        "ipv6" => "Ipv6",
        "uri" => "Uri",
        _ => "Uuid",
    };
    Ident::new(name, Span::call_site())
}

fn named_id(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => named_id(inner),
        _ => None,
    }
}

fn without_reference(rules: &Rules, id: TypeId) -> Rules {
    if rules.reference == Some(id) {
        Rules { reference: None, ..rules.clone() }
    } else {
        rules.clone()
    }
}

/// The keywords of `rules` without its combinators and reference.
fn keywords_only(rules: &Rules) -> Rules {
    Rules { reference: None, all_of: Vec::new(), any_of: Vec::new(), one_of: Vec::new(), not: None, ..rules.clone() }
}

/// Follows aliases to the type they name.
fn resolve(model: &ApiModel, ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Named(id) => match &model.type_def(*id).kind {
            TypeKind::Alias(target) => resolve(model, target),
            _ => ty.clone(),
        },
        other => other.clone(),
    }
}

/// The JSON type every value of `ty` has, if the Rust type fixes it.
fn json_type_of(model: &ApiModel, ty: &TypeRef) -> Option<&'static str> {
    match resolve(model, ty) {
        TypeRef::Primitive(p) => match p {
            Primitive::String | Primitive::Date | Primitive::DateTime | Primitive::Uuid | Primitive::Binary => {
                Some("string")
            }
            Primitive::Bool => Some("boolean"),
            Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64 => Some("integer"),
            Primitive::F32 | Primitive::F64 | Primitive::Decimal => Some("number"),
            Primitive::Value => None,
        },
        TypeRef::Vec(_) => Some("array"),
        TypeRef::Map(_) => Some("object"),
        TypeRef::Named(id) => match &model.type_def(id).kind {
            TypeKind::Struct(_) => Some("object"),
            TypeKind::StringEnum(_) => Some("string"),
            TypeKind::IntegerEnum(_) => Some("integer"),
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

    /// Checks made from now on are for an item behind `feature` (see [`Self::statics`]).
    pub fn set_feature(&mut self, feature: Option<&str>) {
        self.0.feature = feature.map(str::to_owned);
    }

    /// The statics of the patterns the checks use, each behind the features of its users.
    pub fn statics(&self) -> TokenStream {
        self.0.statics()
    }
}

/// One static per pattern, compiled on first use, and only where an item that uses it is.
fn pattern_statics(
    patterns: &BTreeMap<String, Ident>,
    users: &BTreeMap<String, BTreeSet<Option<String>>>,
) -> TokenStream {
    let mut patterns: Vec<(&String, &Ident)> = patterns.iter().collect();
    patterns.sort_by_key(|(_, ident)| ident.to_string());
    let statics = patterns.iter().map(|(source, name)| {
        let gate = users.get(*source).map(super::any_feature_gate).unwrap_or_default();
        quote! { #gate static #name: ::apigen_runtime::check::Pattern = ::apigen_runtime::check::Pattern::new(#source); }
    });
    quote!(#( #statics )*)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_option_of_an_option_is_one_pattern_and_two_statements_stay_two() {
        let one = quote! { if let ::std::option::Option::Some(v) = v { f(v); } };
        assert_eq!(
            if_some(quote!(v), false, one).to_string(),
            quote! { if let ::std::option::Option::Some(::std::option::Option::Some(v)) = v { f(v); } }.to_string()
        );
        let two = quote! { if let ::std::option::Option::Some(v) = v { a(v); } if let ::std::option::Option::Some(v) = v { b(v); } };
        assert_eq!(
            if_some(quote!(self.x), true, two.clone()).to_string(),
            quote! { if let ::std::option::Option::Some(v) = &self.x { #two } }.to_string()
        );
    }
}

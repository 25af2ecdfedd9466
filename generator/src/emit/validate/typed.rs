//! The checks of a typed value: a struct's fields, a union's variants, a value's keywords
//! against its Rust type, skipping what the type already guarantees.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use serde_json::Value;

use super::json::{after_prefix, split_2020_12};
use super::{array_counts, entry_binding, ident, json_type_of, numeric_keywords, object_counts, probe, Emitter};
use crate::emit::prelude::SOME;
use crate::emit::uses;
use crate::model::{Additional, ApiModel, JsonType, Primitive, Rules, Struct, TypeDef, TypeId, TypeKind, TypeRef};

impl Emitter<'_> {
    pub(super) fn struct_body(&mut self, id: TypeId, s: &Struct, rules: &Rules) -> TokenStream {
        let mut out = Vec::new();
        for field in &s.fields {
            let name = ident(&field.rust_name);
            let wire = &field.wire_name;
            let check = self.check(&field.ty, &field.rules);
            if check.is_empty() {
                continue;
            }
            // A field checked by its type's own rules alone (through `Option`, `Vec` and
            // `BTreeMap`, which the runtime's `Validate` walks) is one call.
            if is_delegation(&check) {
                out.push(quote! { cx.nested(#wire, &self.#name); });
            } else if field.required {
                let check = bind(quote!(&self.#name), check);
                out.push(quote! { cx.push_key(#wire); #check cx.pop(); });
            } else {
                out.push(if_some(quote!(self.#name), true, quote! { cx.push_key(#wire); #check cx.pop(); }));
            }
        }
        if let Some((field, ty)) = &s.additional {
            let name = ident(field);
            let check = self.check(ty, &Rules::default());
            if is_delegation(&check) {
                out.push(quote! { ::apigen_runtime::Validate::validate_at(&self.#name, cx); });
            } else if !check.is_empty() {
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
    pub(super) fn union_body(&mut self, def: &TypeDef, variants: &[crate::model::UnionVariant]) -> TokenStream {
        if let Some(property) = &def.discriminator {
            return self.tagged_union_body(def, variants, property);
        }
        // A value no alternative reads matches none of them: the one error, and nothing else
        // to judge.
        let unknown = crate::emit::types::unknown_alternative(def).map(|unknown| {
            let unknown = ident(unknown);
            let error = if def.rules.one_of.is_empty() {
                quote!(check::any_of(cx, false))
            } else {
                quote!(check::one_of(cx, 0))
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
                quote! { let json = check::to_json(self); #body }
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
                check::one_of(cx, matches);
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
                check::any_of(cx, false);
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
        let unknown = ident(crate::emit::types::unknown_alternative(def).unwrap_or_default());
        let values: Vec<&String> = variants.iter().flat_map(|v| &v.tags).collect();
        let unknown_first = quote! {
            if let Self::#unknown(object) = self {
                check::unknown_discriminator(cx, #property, object, &[#( #values ),*]);
                return;
            }
        };
        let arms: Vec<TokenStream> = arms.into_iter().chain([quote! { Self::#unknown(_) => {} }]).collect();
        // Every variant is a struct, so the value is an object.
        let types = def.rules.types.filter(|t| *t != JsonType::Object);
        let rest = Rules { one_of: Vec::new(), any_of: Vec::new(), reference: None, types, ..def.rules.clone() };
        let rest = self.dynamic(&rest);
        let rest = if rest.is_empty() {
            rest
        } else {
            let rest = bind(quote!(&json), rest);
            quote! { let json = check::to_json(self); #rest }
        };
        quote! { #unknown_first match self { #( #arms )* } #rest }
    }

    /// Everything to check of a value `v` of type `ty` at a position with `rules`: the type's
    /// own validation (nested structs, items, alias rules) and the position's rules.
    pub(super) fn check(&mut self, ty: &TypeRef, rules: &Rules) -> TokenStream {
        match ty {
            TypeRef::Nullable(inner) => {
                let inner = self.check(inner, rules);
                if inner.is_empty() || is_delegation(&inner) {
                    return inner;
                }
                if_some(quote!(v), false, inner)
            }
            TypeRef::Boxed(inner) => {
                let inner = self.check(inner, rules);
                if inner.is_empty() || is_delegation(&inner) {
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
                        let delegation = delegation();
                        quote! { #delegation #here }
                    }
                }
            }
            TypeRef::Vec(inner) => {
                let here = self.apply(ty, rules);
                let item_rules = rules.items.as_deref().cloned().unwrap_or_default();
                let item = self.check(inner, &item_rules);
                // After `prefixItems`, `items` concerns only the items past the prefix.
                let skip = after_prefix(rules);
                if here.is_empty() && skip.is_none() && is_delegation(&item) {
                    return item;
                }
                let items = (!item.is_empty()).then(|| {
                    quote! { for (i, v) in v.iter().enumerate() #skip { cx.push_index(i); #item cx.pop(); } }
                });
                quote!(#here #items)
            }
            TypeRef::Map(inner) => {
                let here = self.apply(ty, rules);
                let value = self.check(inner, &Rules::default());
                if here.is_empty() && is_delegation(&value) {
                    return value;
                }
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
                    if ty.named() != Some(reference) {
                        let check = self.reference_dynamic(reference);
                        out.push(quote! { { let json = check::to_json(v); let v = &json; #check } });
                    }
                }
                // The 2020-12 applicators cut across the Rust type (a pattern over property
                // names, a condition over the whole value, positions of a tuple): they are
                // checked on the value's JSON form, which is what the wire carries. A value of
                // any JSON is that form already.
                let (typed, json) = if *self.model.resolve(ty) == TypeRef::Primitive(Primitive::Value) {
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
                    out.push(quote! { if v.#f.is_none() { check::required(cx, #name); } });
                }
                (None, Some((map, _))) => {
                    let map = ident(map);
                    out.push(quote! { if !v.#map.contains_key(#name) { check::required(cx, #name); } });
                }
                (None, None) => out.push(quote! { check::required(cx, #name); }),
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
                            out.push(quote! { if let #SOME(v) = &v.#f { cx.push_key(#name); #check cx.pop(); } });
                        }
                    }
                }
                (None, Some((map, ty))) => {
                    let map = ident(map);
                    let check = self.apply(ty, property);
                    if !check.is_empty() {
                        out.push(
                            quote! { if let #SOME(v) = v.#map.get(#name) { cx.push_key(#name); #check cx.pop(); } },
                        );
                    }
                }
                (None, None) => {}
            }
        }
        if rules.additional.is_set() {
            let listed = |wire: &str| rules.properties.iter().any(|(n, _)| n == wire);
            for field in s.fields.iter().filter(|f| !listed(&f.wire_name)) {
                let f = ident(&field.rust_name);
                let wire = &field.wire_name;
                match (&rules.additional, field.required) {
                    (Additional::Any, _) => {}
                    (Additional::Refused, true) => out.push(quote! { check::additional_property(cx, #wire); }),
                    (Additional::Refused, false) => out.push(quote! {
                        if v.#f.is_some() { check::additional_property(cx, #wire); }
                    }),
                    (Additional::Schema(extra), true) => {
                        let check = self.apply(&field.ty, extra);
                        if !check.is_empty() {
                            out.push(quote! { { cx.push_key(#wire); let v = &v.#f; #check cx.pop(); } });
                        }
                    }
                    (Additional::Schema(extra), false) => {
                        let check = self.apply(&field.ty, extra);
                        if !check.is_empty() {
                            out.push(quote! { if let #SOME(v) = &v.#f { cx.push_key(#wire); #check cx.pop(); } });
                        }
                    }
                }
            }
            if let Some((map, ty)) = &s.additional {
                let map = ident(map);
                let names: Vec<&String> = rules.properties.iter().map(|(n, _)| n).collect();
                let unlisted = (!names.is_empty()).then(|| quote!(.filter(|k| !matches!(k.as_str(), #( #names )|*))));
                match &rules.additional {
                    Additional::Any => {}
                    Additional::Refused => out.push(quote! {
                        for k in v.#map.keys() #unlisted { check::additional_property(cx, k); }
                    }),
                    Additional::Schema(extra) => {
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

    /// The keywords (not the combinators) against a typed `v`.
    fn keywords(&mut self, ty: &TypeRef, rules: &Rules) -> TokenStream {
        let static_type = json_type_of(self.model, ty);
        let mut out = Vec::new();
        if let (Some(expected), Some(actual)) = (rules.types, static_type) {
            // An integer is a number; a number may be an integer, which is checked on the value.
            let may_fit = expected == actual
                || matches!(
                    (expected, actual),
                    (JsonType::Number, JsonType::Integer) | (JsonType::Integer, JsonType::Number)
                );
            if !may_fit {
                let expected = expected.as_str();
                out.push(quote! { check::wrong_type(cx, #expected); });
            }
        }
        match self.model.resolve(ty) {
            TypeRef::Primitive(Primitive::String) => {
                out.push(self.string_keywords(rules, quote!(v)));
                if let Some(values) = &rules.enumeration {
                    let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                    out.push(quote! { check::enumeration_str(cx, v, &[#( #strings ),*]); });
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
                let num = if *p == Primitive::Decimal { quote!(check::Num::from_json(v)) } else { quote!(*v) };
                if rules.types == Some(JsonType::Integer)
                    && matches!(p, Primitive::F32 | Primitive::F64 | Primitive::Decimal)
                {
                    out.push(quote! { check::json_type(cx, &check::to_json(v), "integer"); });
                }
                out.push(numeric_keywords(rules, &num));
                out.push(self.enum_dynamic(rules));
            }
            TypeRef::Vec(_) => {
                out.push(array_counts(rules, quote!(v.len())));
                if rules.unique_items {
                    out.push(quote! { check::unique_items(cx, v); });
                }
                out.push(self.enum_dynamic(rules));
            }
            TypeRef::Map(inner) => {
                out.push(object_counts(rules, quote!(v.len())));
                for name in &rules.required {
                    out.push(quote! { if !v.contains_key(#name) { check::required(cx, #name); } });
                }
                let properties = Rules {
                    properties: rules.properties.clone(),
                    additional: rules.additional.clone(),
                    ..Rules::default()
                };
                if !properties.properties.is_empty() || properties.additional.is_set() {
                    // Entries' own types were checked by `check`; here only this position's
                    // property rules apply.
                    out.push(self.map_entries_rules(inner, &properties));
                }
                out.push(self.enum_dynamic(rules));
            }
            TypeRef::Named(id) => match &self.model.type_def(*id).kind {
                TypeKind::Struct(s) => out.push(self.struct_keywords(s, rules)),
                TypeKind::StringEnum(variants) => {
                    let strings = self.string_keywords(rules, quote!(v.as_str()));
                    out.push(strings);
                    if let Some(values) = &rules.enumeration {
                        let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                        // An `enum` here that allows every value of the type's own would only
                        // repeat the type's refusal of its unknown variant.
                        if !variants.iter().all(|v| strings.contains(&v.value.as_str())) {
                            out.push(quote! { check::enumeration_str(cx, v.as_str(), &[#( #strings ),*]); });
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
            // A boolean, a date or a UUID is one JSON type on the wire: a string's keywords and
            // `enum` can fail on it, the other types' keywords hold of it whatever it is (a
            // boolean query parameter with `uniqueItems`, as Kubernetes writes them).
            TypeRef::Primitive(_) => {
                let string = static_type == Some(JsonType::String);
                let rest = Rules {
                    min_length: rules.min_length.filter(|_| string),
                    max_length: rules.max_length.filter(|_| string),
                    pattern: rules.pattern.clone().filter(|_| string),
                    enumeration: rules.enumeration.clone(),
                    ..Rules::default()
                };
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
            Additional::Refused => quote! { check::additional_property(cx, k); },
            Additional::Schema(extra) => self.apply(inner, extra),
            Additional::Any => TokenStream::new(),
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
        (0, _) => quote!(#SOME(v.#name.as_str())),
        (1, true) => quote!(v.#name.as_deref()),
        (_, true) => quote!(v.#name.as_ref().and_then(|tag| tag.as_deref())),
        (1, false) => quote!(v.#name.as_ref().map(|tag| tag.as_str())),
        (_, false) => quote!(v.#name.as_ref().and_then(|tag| tag.as_ref()).map(|tag| tag.as_str())),
    };
    let check = quote! { check::discriminator(cx, #property, #found, &[#( #tags ),*]); };
    if nullable {
        quote! { if let #SOME(v) = v { #check } }
    } else {
        check
    }
}

/// What `check` emits for a value whose only rules are those of its type, which implements
/// `Validate`.
fn delegation() -> TokenStream {
    quote! { ::apigen_runtime::Validate::validate_at(v, cx); }
}

/// Whether `check` is exactly [`delegation`]: then an `Option`, `Vec`, `Box` or `BTreeMap` of
/// the value is checked by the same call, through the runtime's `Validate` for them, which
/// walks it as the loop or `if let` written out would.
pub(crate) fn is_delegation(check: &TokenStream) -> bool {
    thread_local! {
        static DELEGATION: (usize, String) = (delegation().into_iter().count(), delegation().to_string());
    }
    // The count first, which is cheap: most checks are longer.
    DELEGATION.with(|(count, text)| check.clone().into_iter().count() == *count && *text == check.to_string())
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
        return quote! { if let #SOME(#pattern) = #place { #inner } };
    }
    quote! { if let #SOME(v) = #place { #check } }
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
    let is_some = one_statement && pattern.to_string().starts_with(&quote!(#SOME).to_string());
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

fn without_reference(rules: &Rules, id: TypeId) -> Rules {
    if rules.reference == Some(id) {
        Rules { reference: None, ..rules.clone() }
    } else {
        rules.clone()
    }
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

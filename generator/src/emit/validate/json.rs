//! The checks of a JSON value (`v: &serde_json::Value`): the rules a typed value cannot be
//! judged by (an alternative that is another type, an `enum` of objects), and the 2020-12
//! applicators (`prefixItems`, `contains`, `patternProperties`, `unevaluated*`, `if`), which
//! work on the value's JSON form.

use proc_macro2::TokenStream;
use quote::quote;

use super::{array_counts, entry_binding, ident, json_literal, numeric_keywords, object_counts, Emitter};
use crate::emit::prelude::{NONE, SOME};
use crate::model::{Additional, Rules, TypeId, TypeKind};

impl Emitter<'_> {
    pub(super) fn as_json(&mut self, rules: &Rules) -> TokenStream {
        let check = self.dynamic_keywords(rules);
        if check.is_empty() {
            return check;
        }
        quote! { { let json = check::to_json(v); let v = &json; #check } }
    }

    pub(super) fn enum_dynamic(&mut self, rules: &Rules) -> TokenStream {
        match &rules.enumeration {
            Some(values) => {
                let literals = values.iter().map(json_literal);
                quote! { check::enumeration(cx, &check::to_json(v), &[#( #literals ),*]); }
            }
            None => TokenStream::new(),
        }
    }

    /// A value that must also be valid as another named type, checked as JSON.
    pub(super) fn reference_dynamic(&mut self, id: TypeId) -> TokenStream {
        let def = self.model.type_def(id);
        match &def.kind {
            TypeKind::Alias(_) => {
                let rules = def.rules.clone();
                self.dynamic(&rules)
            }
            _ => {
                let name = ident(&def.name);
                quote! { check::as_type::<#name>(cx, v); }
            }
        }
    }

    /// All rules against `v: &serde_json::Value`.
    pub(super) fn dynamic(&mut self, rules: &Rules) -> TokenStream {
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
    pub(super) fn dynamic_keywords(&mut self, rules: &Rules) -> TokenStream {
        let mut out = Vec::new();
        if let Some(expected) = rules.types {
            let expected = expected.as_str();
            let check = quote! { check::json_type(cx, v, #expected); };
            out.push(if rules.nullable {
                quote! { if !v.is_null() { #check } }
            } else {
                check
            });
        }
        let strings = self.string_keywords(rules, quote!(s));
        if !strings.is_empty() {
            out.push(quote! { if let #SOME(s) = v.as_str() { #strings } });
        }
        let numbers = numeric_keywords(rules, &quote!(n));
        if !numbers.is_empty() {
            out.push(quote! { if let #SOME(n) = v.as_number() { let n = check::Num::from_json(n); #numbers } });
        }
        let mut array = vec![array_counts(rules, quote!(a.len()))];
        if rules.unique_items {
            array.push(quote! { check::unique_values(cx, a); });
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
            out.push(quote! { if let #SOME(a) = v.as_array() { #array } });
        }
        let mut object = vec![object_counts(rules, quote!(o.len()))];
        for name in &rules.required {
            object.push(quote! { if !o.contains_key(#name) { check::required(cx, #name); } });
        }
        for (name, property) in &rules.properties {
            let check = self.dynamic(property);
            if !check.is_empty() {
                object.push(quote! { if let #SOME(v) = o.get(#name) { cx.push_key(#name); #check cx.pop(); } });
            }
        }
        let names: Vec<&String> = rules.properties.iter().map(|(n, _)| n).collect();
        let patterns: Vec<&String> = rules.pattern_properties.iter().map(|(p, _)| p).collect();
        match &rules.additional {
            Additional::Any => {}
            Additional::Refused => {
                let unlisted = self.unlisted(&names, &patterns).map(|test| quote!(.filter(|k| !(#test))));
                object.push(quote! { for k in o.keys() #unlisted { check::additional_property(cx, k); } });
            }
            Additional::Schema(extra) => {
                let unlisted = self.unlisted(&names, &patterns);
                let check = self.dynamic(extra);
                if !check.is_empty() {
                    let unlisted = unlisted.map(|test| quote!(.filter(|(k, _)| !(#test))));
                    let value = entry_binding(&check);
                    object
                        .push(quote! { for (k, #value) in o.iter() #unlisted { cx.push_entry(k); #check cx.pop(); } });
                }
            }
        }
        object.push(self.object_2020_12(rules));
        let object = quote!(#( #object )*);
        if !object.is_empty() {
            out.push(quote! { if let #SOME(o) = v.as_object() { #object } });
        }
        if let Some(values) = &rules.enumeration {
            let literals = values.iter().map(json_literal);
            out.push(quote! { check::enumeration(cx, v, &[#( #literals ),*]); });
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
            tests.push(quote!(check::matches_name(k, &#name)));
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
                out.push(quote! { if let #SOME(v) = #item { cx.push_index(#i); #check cx.pop(); } });
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
            out.push(quote! { let matched = #count; check::contains(cx, matched, #min, #max); });
        }
        if let Some(unevaluated) = &rules.unevaluated_items {
            let evaluated = unevaluated.evaluated;
            match &unevaluated.rules {
                None => out.push(quote! {
                    if a.len() > #evaluated { check::unevaluated_items(cx, a.len(), #evaluated); }
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
                    if o.contains_key(#name) && !o.contains_key(#missing) { check::dependent_required(cx, #name, #missing); }
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
                        if check::name_matches(cx, k, &#name) { cx.push_entry(k); #check cx.pop(); }
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
                        if !cx.probe(|cx| { #check }) { check::property_name(cx, k); }
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
                    out.push(quote! { for k in o.keys() #unlisted { check::unevaluated_property(cx, k); } });
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
        quote! { check::conditional(cx, #condition, #then, #otherwise); }
    }
}

/// `.skip(n)` after `enumerate()`, where `prefixItems` has `n` positions: the items `items`
/// concerns.
pub(super) fn after_prefix(rules: &Rules) -> Option<TokenStream> {
    let n = rules.prefix_items.len();
    (n > 0).then(|| quote!(.skip(#n)))
}

fn option_u64(n: Option<u64>) -> TokenStream {
    match n {
        Some(n) => quote!(#SOME(#n)),
        None => quote!(#NONE),
    }
}

/// Rules split in two: those checked on the typed value, and the 2020-12 applicators, checked
/// on its JSON form. With `patternProperties`, `additionalProperties` goes with them, since
/// which properties it concerns depends on the patterns; the names of `properties` go too
/// (without their rules, which stay with the typed value) so that it knows them.
pub(super) fn split_2020_12(rules: &Rules) -> (Rules, Rules) {
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
        Rules { additional: std::mem::take(&mut typed.additional), properties: names, ..json }
    };
    (typed, json)
}

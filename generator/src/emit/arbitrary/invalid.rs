//! Emit of the `<type>_invalid` strategies of `src/arbitrary.rs`: values that break exactly
//! one rule, each with the pointer and keyword its validator reports, and the choice of which
//! rules a value can break alone.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{uses, Emitter};
use crate::emit::types::ident;
use crate::model::{ApiModel, Bound, Primitive, Rules, Struct, TypeId, TypeKind, TypeRef};

impl Emitter<'_> {
    /// Whether a type has a `<type>_invalid` function.
    pub(super) fn has_faults(&mut self, id: TypeId) -> bool {
        let def = self.model.type_def(id);
        match &def.kind {
            TypeKind::Struct(s) if !self.model.replaced.contains_key(&def.name) => {
                !self.struct_faults(id, s, true).is_empty()
            }
            _ => false,
        }
    }

    /// `<type>_invalid`: values that break exactly one rule, for a type with rules it can break
    /// (see [`Self::faults`]); `None` for a type without.
    pub(super) fn invalid_function(&mut self, id: TypeId, name: &Ident) -> Option<TokenStream> {
        let def = self.model.type_def(id);
        let TypeKind::Struct(s) = &def.kind else { return None };
        let ty = ident(&def.name);
        let function = self.names[id.0].0.clone();
        let mut options = Vec::new();
        for Fault { path, bad, keyword } in self.struct_faults(id, s, true) {
            let pointer: String = path.iter().map(|step| crate::diag::pointer_join("", &step.wire)).collect();
            options.push(match path.as_slice() {
                [field] => {
                    let present = field.presence(quote!(v));
                    let assign = field.assign(quote!(v), quote!(bad));
                    quote! {
                        (#function(::apigen_runtime::arbitrary::DEPTH), #bad)
                            .prop_filter_map("the property to break is absent", |(mut v, bad)| {
                                #present
                                #assign
                                ::std::option::Option::Some(::apigen_runtime::arbitrary::Invalid { value: v, pointer: ::std::string::String::from(#pointer), keyword: #keyword })
                            })
                            .boxed()
                    }
                }
                [outer, field] => {
                    let inner_function = &self.names[outer.holds.unwrap_or(id).0].0;
                    let (outer_present, present) = (outer.presence(quote!(v)), field.presence(quote!(inner)));
                    let assign = field.assign(quote!(inner), quote!(bad));
                    let assign_outer = outer.assign(quote!(v), quote!(inner));
                    quote! {
                        (#function(::apigen_runtime::arbitrary::DEPTH), #inner_function(::apigen_runtime::arbitrary::DEPTH - 1), #bad)
                            .prop_filter_map("the property to break is absent", |(mut v, mut inner, bad)| {
                                #outer_present
                                #present
                                #assign
                                #assign_outer
                                ::std::option::Option::Some(::apigen_runtime::arbitrary::Invalid { value: v, pointer: ::std::string::String::from(#pointer), keyword: #keyword })
                            })
                            .boxed()
                    }
                }
                _ => continue,
            });
        }
        if options.is_empty() {
            return None;
        }
        let options = quote!(::std::vec::Vec::from([#( #options ),*]));
        let depth = uses(&options, "depth").then(|| quote!(let depth = ::apigen_runtime::arbitrary::DEPTH - 1;));
        let doc = format!(
            " Values of [`{}`] that break exactly one rule, each with the pointer and keyword its validator reports.",
            def.name
        );
        Some(quote! {
            #[doc = #doc]
            pub fn #name() -> ::apigen_runtime::proptest::strategy::BoxedStrategy<::apigen_runtime::arbitrary::Invalid<#ty>> {
                #depth
                ::apigen_runtime::proptest::strategy::Union::new(#options).boxed()
            }
        })
    }

    /// The rules of a struct's fields that a value can break alone: for each, where, a strategy
    /// of bad values, and the keyword. With `nest`, also those of the structs its fields hold
    /// (one level). Fields that a rule of the object as a whole looks into are left alone, so
    /// that breaking one breaks nothing else.
    fn struct_faults(&mut self, id: TypeId, s: &Struct, nest: bool) -> Vec<Fault> {
        let whole = &self.model.type_def(id).rules;
        if whole.enumeration.is_some() {
            return Vec::new();
        }
        let mut faults = Vec::new();
        for field in &s.fields {
            if mentions(whole, &field.wire_name) {
                continue;
            }
            let ty = through_aliases(self.model, &field.ty);
            let step = Step {
                rust: field.rust_name.clone(),
                wire: field.wire_name.clone(),
                required: field.required,
                ty,
                holds: None,
            };
            let core = unwrap(&field.ty);
            // The rules at the field: its own, or, for a field that only names an alias, the alias's.
            let (core, rules) = match core {
                TypeRef::Named(id) => match &self.model.type_def(*id).kind {
                    TypeKind::Alias(target) if Rules { reference: None, ..field.rules.clone() }.is_empty() => {
                        (unwrap(target).clone(), self.model.type_def(*id).rules.clone())
                    }
                    _ => (core.clone(), field.rules.clone()),
                },
                _ => (core.clone(), field.rules.clone()),
            };
            if matches!(core, TypeRef::Named(named) if self.model.replaced.contains_key(&self.model.type_def(named).name))
            {
                continue;
            }
            for (bad, keyword) in self.value_faults(&core, &rules) {
                faults.push(Fault { path: vec![step.clone()], bad, keyword });
            }
            if let (true, TypeRef::Named(inner_id)) = (nest, &core) {
                let inner = self.model.type_def(*inner_id);
                if let TypeKind::Struct(inner_struct) = &inner.kind {
                    if *inner_id != id && !self.model.replaced.contains_key(&inner.name) {
                        let holds = Step { holds: Some(*inner_id), ..step.clone() };
                        for fault in self.struct_faults(*inner_id, inner_struct, false) {
                            let mut path = vec![holds.clone()];
                            path.extend(fault.path);
                            faults.push(Fault { path, ..fault });
                        }
                    }
                }
            }
        }
        faults
    }

    /// Bad values of a type (not nullable, not boxed) at a position with `rules`, each with the
    /// one keyword it breaks: only where the value can break that keyword and no other.
    fn value_faults(&mut self, core: &TypeRef, rules: &Rules) -> Vec<(TokenStream, &'static str)> {
        let combined =
            !rules.all_of.is_empty() || !rules.any_of.is_empty() || !rules.one_of.is_empty() || rules.not.is_some();
        if combined {
            return Vec::new();
        }
        let mut out = Vec::new();
        let just = |value: TokenStream| quote!(::apigen_runtime::proptest::strategy::Just(#value));
        match core {
            TypeRef::Primitive(Primitive::String) => {
                let min = rules.min_length.unwrap_or(0);
                let max = rules.max_length.unwrap_or(u64::MAX);
                let fits = |s: &str| (min..=max).contains(&(s.chars().count() as u64));
                let text = |s: &str| just(quote!(::std::string::String::from(#s)));
                if let Some(values) = &rules.enumeration {
                    let bad = "not-a-listed-value";
                    if rules.pattern.is_none()
                        && rules.format.is_none()
                        && fits(bad)
                        && !values.iter().any(|v| v == bad)
                    {
                        out.push((text(bad), "enum"));
                    }
                    return out;
                }
                let (pattern, format) = (rules.pattern.as_deref(), rules.format.as_deref());
                if pattern.is_none() && format.is_none() {
                    if let Some(n) = rules.max_length.filter(|n| *n < 4096) {
                        out.push((text(&"x".repeat(n as usize + 1)), "maxLength"));
                    }
                    if let Some(n) = rules.min_length.filter(|n| (1..4096).contains(n)) {
                        out.push((text(&"x".repeat(n as usize - 1)), "minLength"));
                    }
                }
                if let (Some(format), None) = (format, pattern) {
                    let bad = match format {
                        "date" => "2024-13-45",
                        "date-time" => "2024-13-45T00:00:00Z",
                        "time" => "25:61:00Z",
                        "email" => "no-at-sign",
                        "hostname" => "-bad-host-",
                        "ipv4" => "256.1.1.1",
                        "ipv6" => "1:::2",
                        "uri" => "no scheme",
                        _ => "not-a-uuid",
                    };
                    if fits(bad) {
                        out.push((text(bad), "format"));
                    }
                }
                if let (Some(pattern), None) = (pattern, format) {
                    if let Ok(regex) = fancy_regex::Regex::new(pattern) {
                        let reps = 1..=(min.min(64) as usize + 1);
                        let candidate = ["", "!", "x", "~", "0", "A", " ", "x!", "ab12"]
                            .iter()
                            .flat_map(|c| reps.clone().map(move |r| c.repeat(r)))
                            .find(|s| fits(s) && regex.is_match(s).ok() == Some(false));
                        if let Some(bad) = candidate {
                            out.push((text(&bad), "pattern"));
                        }
                    }
                }
            }
            TypeRef::Primitive(p @ (Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64))
                if rules.enumeration.is_none() && rules.multiple_of.is_none() =>
            {
                let (low, high): (i128, i128) = match p {
                    Primitive::I32 => (i32::MIN.into(), i32::MAX.into()),
                    Primitive::I64 => (i64::MIN.into(), i64::MAX.into()),
                    Primitive::U32 => (0, u32::MAX.into()),
                    _ => (0, u64::MAX.into()),
                };
                // A literal of the field's own type (`-1i64`); `bad` is within its range.
                let typed = |bad: i128| match p {
                    Primitive::I32 => Literal::i32_suffixed(bad as i32),
                    Primitive::I64 => Literal::i64_suffixed(bad as i64),
                    Primitive::U32 => Literal::u32_suffixed(bad as u32),
                    _ => Literal::u64_suffixed(bad as u64),
                };
                let value = |b: &Bound| b.value.as_i64().map(i128::from);
                if let Some((m, exclusive)) = rules.minimum.as_ref().and_then(|b| Some((value(b)?, b.exclusive))) {
                    let bad = if exclusive { m } else { m - 1 };
                    if (low..=high).contains(&bad) {
                        let lit = typed(bad);
                        out.push((just(quote!(#lit)), if exclusive { "exclusiveMinimum" } else { "minimum" }));
                    }
                }
                if let Some((m, exclusive)) = rules.maximum.as_ref().and_then(|b| Some((value(b)?, b.exclusive))) {
                    let bad = if exclusive { m } else { m + 1 };
                    if (low..=high).contains(&bad) {
                        let lit = typed(bad);
                        out.push((just(quote!(#lit)), if exclusive { "exclusiveMaximum" } else { "maximum" }));
                    }
                }
            }
            TypeRef::Primitive(Primitive::F64)
                if rules.enumeration.is_none()
                    && rules.multiple_of.is_none()
                    && rules.types.as_deref() != Some("integer") =>
            {
                if let Some(Bound { value, exclusive }) = &rules.minimum {
                    let m = value.as_f64().unwrap_or(0.0);
                    let lit = Literal::f64_unsuffixed(if *exclusive { m } else { m - 1.0 });
                    out.push((just(quote!(#lit)), if *exclusive { "exclusiveMinimum" } else { "minimum" }));
                }
                if let Some(Bound { value, exclusive }) = &rules.maximum {
                    let m = value.as_f64().unwrap_or(0.0);
                    let lit = Literal::f64_unsuffixed(if *exclusive { m } else { m + 1.0 });
                    out.push((just(quote!(#lit)), if *exclusive { "exclusiveMaximum" } else { "maximum" }));
                }
            }
            TypeRef::Named(id) => {
                let def = self.model.type_def(*id);
                if let (TypeKind::StringEnum(values), None) = (&def.kind, &rules.enumeration) {
                    let bad = "not-a-listed-value";
                    if !values.iter().any(|v| v.value == bad) {
                        let name = ident(&def.name);
                        let unknown = ident(crate::emit::types::unknown_variant(def));
                        out.push((just(quote!(#name::#unknown(::std::string::String::from(#bad)))), "enum"));
                    }
                }
            }
            TypeRef::Vec(item) if rules.enumeration.is_none() => {
                let items = rules.items.as_deref().cloned().unwrap_or_default();
                let unique = rules.unique_items;
                let sized = |this: &mut Self, n: u64| {
                    let strategy = this.position(item, &items, "");
                    let n = Literal::u64_unsuffixed(n);
                    quote!(::apigen_runtime::arbitrary::array(#strategy.boxed(), 1, #n, ::std::option::Option::Some(#n), #unique))
                };
                if let Some(n) = rules.max_items.filter(|n| *n < 64) {
                    out.push((sized(self, n + 1), "maxItems"));
                }
                if let Some(n) = rules.min_items.filter(|n| (1..64).contains(n)) {
                    out.push((sized(self, n - 1), "minItems"));
                }
            }
            _ => {}
        }
        out
    }
}

/// One rule broken on purpose: the fields leading to it, from the struct down, bad values, and
/// the keyword.
struct Fault {
    path: Vec<Step>,
    bad: TokenStream,
    keyword: &'static str,
}

/// A field on the way to a [`Fault`].
#[derive(Clone)]
struct Step {
    rust: String,
    wire: String,
    required: bool,
    ty: TypeRef,
    /// The struct the field holds, where the fault is further in.
    holds: Option<TypeId>,
}

impl Step {
    /// `return None` when the field is optional and absent in `owner`.
    fn presence(&self, owner: TokenStream) -> TokenStream {
        let field = ident(&self.rust);
        if self.required {
            TokenStream::new()
        } else {
            quote!(#owner.#field.as_ref()?;)
        }
    }

    /// `owner.field = value`, wrapped as the field's type needs.
    fn assign(&self, owner: TokenStream, value: TokenStream) -> TokenStream {
        let field = ident(&self.rust);
        let value = wrap(&self.ty, value);
        let value = if self.required { value } else { quote!(::std::option::Option::Some(#value)) };
        quote!(#owner.#field = #value;)
    }
}

/// `value` of the core type made into a value of `ty` (through `Option` and `Box`).
fn wrap(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Nullable(inner) => {
            let inner = wrap(inner, value);
            quote!(::std::option::Option::Some(#inner))
        }
        TypeRef::Boxed(inner) => {
            let inner = wrap(inner, value);
            quote!(::std::boxed::Box::new(#inner))
        }
        _ => value,
    }
}

/// `ty` with the aliases in its wrappers (`Option`, `Box`) replaced by what they name, so
/// that [`wrap`] sees every `Option` the Rust type has.
fn through_aliases(model: &ApiModel, ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(through_aliases(model, inner))),
        TypeRef::Boxed(inner) => TypeRef::Boxed(Box::new(through_aliases(model, inner))),
        TypeRef::Named(id) => match &model.type_def(*id).kind {
            TypeKind::Alias(target)
                if matches!(target, TypeRef::Nullable(_) | TypeRef::Boxed(_) | TypeRef::Named(_)) =>
            {
                through_aliases(model, target)
            }
            _ => ty.clone(),
        },
        other => other.clone(),
    }
}

/// The type inside any `Option` and `Box`.
fn unwrap(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => unwrap(inner),
        other => other,
    }
}

/// Whether a rule of `rules` (or of a subschema of them) looks at the value of the property
/// `wire`.
fn mentions(rules: &Rules, wire: &str) -> bool {
    rules.properties.iter().any(|(name, _)| name == wire)
        || rules
            .all_of
            .iter()
            .chain(&rules.any_of)
            .chain(&rules.one_of)
            .chain(rules.not.as_deref())
            .any(|sub| mentions(sub, wire))
}

//! Emit of the `<type>_invalid` strategies of `src/arbitrary.rs`: values that break exactly
//! one rule, each with the pointer and keyword its validator reports, and the choice of which
//! rules a value can break alone.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{quote, ToTokens};

use super::{none, some, Emitter};
use crate::emit::prelude::{BOX, STRING, VEC};
use crate::emit::types::ident;
use crate::emit::uses;
use crate::model::{ApiModel, Bound, CheckedFormat, JsonType, Primitive, Rules, TypeId, TypeKind, TypeRef};

/// How many structs below a type a fault may lie: values nest `DEPTH` (3) deep and hold
/// optional values above depth 0 only, so that a field two structs down is present often
/// enough to break.
const NESTING: usize = 2;

/// The most faults one type's `_invalid` strategy chooses from, the shallowest first: a large
/// API's objects hold hundreds of nested rules, and each is code.
const MOST_FAULTS: usize = 64;

impl Emitter<'_> {
    /// Whether a type has a `<type>_invalid` function.
    pub(super) fn has_faults(&mut self, id: TypeId) -> bool {
        !self.faults(id).is_empty()
    }

    /// The rules a value of the type can break alone: a struct's (see [`Self::struct_faults`]),
    /// or an alias's own rules, at the value itself.
    fn faults(&mut self, id: TypeId) -> Vec<Fault> {
        let def = self.model.type_def(id);
        if self.model.replaced.contains_key(&def.name) {
            return Vec::new();
        }
        match &def.kind {
            TypeKind::Struct(_) => {
                let mut faults = Vec::new();
                self.struct_faults(id, &[], NESTING, &mut vec![id], &mut faults);
                // Stable: the spec's order within a depth.
                faults.sort_by_key(|fault| fault.path.iter().filter(|step| matches!(step, Step::Field { .. })).count());
                faults.truncate(MOST_FAULTS);
                faults
            }
            // An alias of another named type has that type's rules too: left alone.
            TypeKind::Alias(target) if !matches!(unwrap(target), TypeRef::Named(_)) => {
                let rules = def.rules.clone();
                self.value_faults(unwrap(target), &rules)
                    .into_iter()
                    .map(|(bad, keyword)| Fault { path: Vec::new(), bad: Bad::Value(bad), keyword })
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// `<type>_invalid`: values that break exactly one rule, for a type with rules it can break
    /// (see [`Self::faults`]); `None` for a type without.
    pub(super) fn invalid_function(&mut self, id: TypeId, name: &Ident) -> Option<TokenStream> {
        let faults = self.faults(id);
        if faults.is_empty() {
            return None;
        }
        let def = self.model.type_def(id);
        let ty = ident(&def.name);
        let function = self.names[id.0].0.clone();
        let none = none();
        let invalid = |pointer: &str, keyword: &str| quote!(arbitrary::Invalid { value: v, pointer: #STRING::from(#pointer), keyword: #keyword, json: #none });
        let mut options = Vec::new();
        for Fault { path, bad, keyword } in faults {
            let pointer: String = path.iter().map(Step::token).collect();
            options.push(match (bad, path.split_last()) {
                (Bad::Extra(property), _) => quote! {
                    #function(arbitrary::DEPTH)
                        .prop_filter_map("the object to break is absent", |v| arbitrary::with_extra(v, #pointer, #property))
                        .boxed()
                },
                // An alias: the bad value is the value.
                (Bad::Value(bad), None) => {
                    let TypeKind::Alias(target) = &def.kind else { continue };
                    let value = wrap(&through_aliases(self.model, target), quote!(bad));
                    let invalid = invalid("", keyword);
                    quote!(#bad.prop_map(|bad| { let v = #value; #invalid }).boxed())
                }
                (Bad::Value(bad), Some((last, through))) => {
                    let steps = through.iter().map(Step::enter);
                    let set = last.set(quote!(bad));
                    let done = some(quote!(()));
                    quote! {
                        arbitrary::fault(#function(arbitrary::DEPTH), #bad, #pointer, #keyword, |target, bad| {
                            #( #steps )*
                            #set
                            #done
                        })
                    }
                }
            });
        }
        let options = quote!(#VEC::from([#( #options ),*]));
        let depth = uses(&options, "depth").then(|| quote!(let depth = arbitrary::DEPTH - 1;));
        let doc = format!(
            " Values of [`{}`] that break exactly one rule, each with the pointer and keyword its validator reports.",
            def.name
        );
        Some(quote! {
            #[doc = #doc]
            pub fn #name() -> strategy::BoxedStrategy<arbitrary::Invalid<#ty>> {
                #depth
                arbitrary::one_of(#options)
            }
        })
    }

    /// The rules a struct's value can break alone, below `path` (the struct's place in the
    /// type the faults are of): an extra property where it refuses unknown ones, each field's
    /// own rules, and, `nesting` structs deep, those of the structs its fields hold and of the
    /// first item of its arrays. Fields that a rule of the object as a whole looks into are
    /// left alone, so that breaking one breaks nothing else; so are fields whose own rules add
    /// to their type's (breaking the type's rule could break those too). `visiting` holds the
    /// structs on the way, so that recursive types end.
    fn struct_faults(
        &mut self,
        id: TypeId,
        path: &[Step],
        nesting: usize,
        visiting: &mut Vec<TypeId>,
        out: &mut Vec<Fault>,
    ) {
        let def = self.model.type_def(id);
        let TypeKind::Struct(s) = &def.kind else { return };
        let whole = &def.rules;
        if whole.enumeration.is_some() {
            return;
        }
        if s.deny_unknown_fields {
            let mut property = "unlisted".to_owned();
            while s.fields.iter().any(|f| f.wire_name == property) {
                property.push('_');
            }
            out.push(Fault { path: path.to_vec(), bad: Bad::Extra(property), keyword: "additionalProperties" });
        }
        for field in &s.fields {
            if mentions(whole, &field.wire_name) {
                continue;
            }
            let step = Step::Field {
                rust: field.rust_name.clone(),
                wire: field.wire_name.clone(),
                required: field.required,
                ty: through_aliases(self.model, &field.ty),
            };
            let (core, rules) = self.rules_at(&field.ty, &field.rules);
            if matches!(core, TypeRef::Named(named) if self.model.replaced.contains_key(&self.model.type_def(named).name))
            {
                continue;
            }
            let mut here = path.to_vec();
            here.push(step);
            for (bad, keyword) in self.value_faults(&core, &rules) {
                out.push(Fault { path: here.clone(), bad: Bad::Value(bad), keyword });
            }
            if nesting == 0 {
                continue;
            }
            match &core {
                TypeRef::Named(_) if plain(&rules) => self.nested_faults(&core, &here, nesting, visiting, out),
                TypeRef::Vec(item)
                    if !rules.unique_items
                        && plain(&Rules { items: None, min_items: None, max_items: None, ..rules.clone() }) =>
                {
                    let items = rules.items.as_deref().cloned().unwrap_or_default();
                    let mut at_item = here.clone();
                    at_item.push(Step::Item { ty: through_aliases(self.model, item) });
                    let (item_core, item_rules) = self.rules_at(item, &items);
                    for (bad, keyword) in self.value_faults(&item_core, &item_rules) {
                        out.push(Fault { path: at_item.clone(), bad: Bad::Value(bad), keyword });
                    }
                    if plain(&item_rules) {
                        self.nested_faults(&item_core, &at_item, nesting, visiting, out);
                    }
                }
                _ => {}
            }
        }
    }

    /// The faults of the struct `core` names, one struct deeper, unless it is on the way already.
    fn nested_faults(
        &mut self,
        core: &TypeRef,
        path: &[Step],
        nesting: usize,
        visiting: &mut Vec<TypeId>,
        out: &mut Vec<Fault>,
    ) {
        let TypeRef::Named(inner) = core else { return };
        let def = self.model.type_def(*inner);
        if !matches!(def.kind, TypeKind::Struct(_))
            || visiting.contains(inner)
            || self.model.replaced.contains_key(&def.name)
        {
            return;
        }
        visiting.push(*inner);
        self.struct_faults(*inner, path, nesting - 1, visiting, out);
        visiting.pop();
    }

    /// The type inside a position's `Option`s and `Box`es, and the rules at it: its own, or, for
    /// a position that only names an alias, the alias's, with the alias's type.
    fn rules_at(&self, ty: &TypeRef, rules: &Rules) -> (TypeRef, Rules) {
        let core = unwrap(ty);
        match core {
            TypeRef::Named(id) => match &self.model.type_def(*id).kind {
                TypeKind::Alias(target) if Rules { reference: None, ..rules.clone() }.is_empty() => {
                    (unwrap(target).clone(), self.model.type_def(*id).rules.clone())
                }
                _ => (core.clone(), rules.clone()),
            },
            _ => (core.clone(), rules.clone()),
        }
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
        let just = |value: TokenStream| quote!(strategy::Just(#value));
        match core {
            TypeRef::Primitive(Primitive::String) => {
                let min = rules.min_length.unwrap_or(0);
                let max = rules.max_length.unwrap_or(u64::MAX);
                let fits = |s: &str| (min..=max).contains(&(s.chars().count() as u64));
                let text = |s: &str| just(quote!(#STRING::from(#s)));
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
                let (pattern, format) = (rules.pattern.as_deref(), rules.format);
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
                        CheckedFormat::Date => "2024-13-45",
                        CheckedFormat::DateTime => "2024-13-45T00:00:00Z",
                        CheckedFormat::Time => "25:61:00Z",
                        CheckedFormat::Email => "no-at-sign",
                        CheckedFormat::Hostname => "-bad-host-",
                        CheckedFormat::Ipv4 => "256.1.1.1",
                        CheckedFormat::Ipv6 => "1:::2",
                        CheckedFormat::Uri => "no scheme",
                        CheckedFormat::Uuid => "not-a-uuid",
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
                if rules.enumeration.is_none() =>
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
                // Bad values are multiples of a whole `multipleOf`, but for its own fault; a
                // fractional one is left alone (the valid values are filtered for it).
                let step = match &rules.multiple_of {
                    None => 1,
                    Some(m) => match m.as_i64().map(i128::from) {
                        Some(m) if m != 0 => m.abs(),
                        _ => return out,
                    },
                };
                let value = |b: &Bound| b.value.as_i64().map(i128::from);
                let first = rules.minimum.as_ref().and_then(|b| Some(value(b)? + i128::from(b.exclusive)));
                let last = rules.maximum.as_ref().and_then(|b| Some(value(b)? - i128::from(b.exclusive)));
                let mut push = |bad: i128, keyword: &'static str| {
                    if (low..=high).contains(&bad) {
                        let lit = typed(bad);
                        out.push((just(quote!(#lit)), keyword));
                    }
                };
                if let (Some(first), Some(bound)) = (first, &rules.minimum) {
                    // The last multiple below the first allowed value.
                    push(
                        (first - 1).div_euclid(step) * step,
                        if bound.exclusive { "exclusiveMinimum" } else { "minimum" },
                    );
                }
                if let (Some(last), Some(bound)) = (last, &rules.maximum) {
                    push(
                        (last + 1 + step - 1).div_euclid(step) * step,
                        if bound.exclusive { "exclusiveMaximum" } else { "maximum" },
                    );
                }
                if step > 1 {
                    // One past the first multiple within the bounds (from 0 where they allow it).
                    let from = first.unwrap_or(low).max(0.min(last.unwrap_or(high)));
                    let multiple = from.div_euclid(step) * step + if from.rem_euclid(step) == 0 { 0 } else { step };
                    if multiple < last.unwrap_or(high) {
                        push(multiple + 1, "multipleOf");
                    }
                }
            }
            TypeRef::Primitive(p @ (Primitive::F64 | Primitive::Decimal))
                if rules.enumeration.is_none() && rules.types != Some(JsonType::Integer) =>
            {
                let literal = |bad: f64| {
                    let lit = Literal::f64_unsuffixed(bad);
                    if *p == Primitive::Decimal {
                        quote!(strategy::Just(#lit).prop_filter_map("not a finite number", ::apigen_runtime::serde_json::Number::from_f64))
                    } else {
                        just(quote!(#lit))
                    }
                };
                // Bad values are multiples of `multipleOf`, but for its own fault.
                let step = match rules.multiple_of.as_ref().map(|m| m.as_f64()) {
                    None => None,
                    Some(Some(m)) if m != 0.0 && m.is_finite() => Some(m.abs()),
                    Some(_) => return out,
                };
                let bound = |b: &Bound| b.value.as_f64().filter(|v| v.is_finite());
                if let Some((m, exclusive)) = rules.minimum.as_ref().and_then(|b| Some((bound(b)?, b.exclusive))) {
                    let bad = match step {
                        None if exclusive => m,
                        None => m - 1.0,
                        Some(step) => {
                            let k = (m / step).floor();
                            if k * step < m || exclusive {
                                k * step
                            } else {
                                (k - 1.0) * step
                            }
                        }
                    };
                    out.push((literal(bad), if exclusive { "exclusiveMinimum" } else { "minimum" }));
                }
                if let Some((m, exclusive)) = rules.maximum.as_ref().and_then(|b| Some((bound(b)?, b.exclusive))) {
                    let bad = match step {
                        None if exclusive => m,
                        None => m + 1.0,
                        Some(step) => {
                            let k = (m / step).ceil();
                            if k * step > m || exclusive {
                                k * step
                            } else {
                                (k + 1.0) * step
                            }
                        }
                    };
                    out.push((literal(bad), if exclusive { "exclusiveMaximum" } else { "maximum" }));
                }
                if let Some(step) = step {
                    // Half a step past the first multiple within the bounds (from 0 where they
                    // allow it): a whole half of the divisor from any multiple.
                    let min = rules.minimum.as_ref().and_then(bound);
                    let max = rules.maximum.as_ref().and_then(bound).unwrap_or(f64::MAX);
                    let min_excluded = rules.minimum.as_ref().is_some_and(|b| b.exclusive);
                    let from = match min {
                        _ if max < 0.0 => (max / step).floor() * step - step,
                        None => 0.0,
                        Some(min) if min < 0.0 || (min == 0.0 && !min_excluded) => 0.0,
                        Some(min) => {
                            let first = (min / step).ceil() * step;
                            if first == min && min_excluded {
                                first + step
                            } else {
                                first
                            }
                        }
                    };
                    let min = min.unwrap_or(f64::MIN);
                    let bad = from + step / 2.0;
                    if bad < max && bad > min && bad.is_finite() {
                        out.push((literal(bad), "multipleOf"));
                    }
                }
            }
            TypeRef::Named(id) => {
                let def = self.model.type_def(*id);
                if let (TypeKind::StringEnum(values), None) = (&def.kind, &rules.enumeration) {
                    let bad = "not-a-listed-value";
                    if !values.iter().any(|v| v.value == bad) {
                        let name = ident(&def.name);
                        let unknown = ident(crate::emit::types::unknown_variant(def));
                        out.push((just(quote!(#name::#unknown(#STRING::from(#bad)))), "enum"));
                    }
                }
            }
            TypeRef::Vec(item) if rules.enumeration.is_none() => {
                let items = rules.items.as_deref().cloned().unwrap_or_default();
                let unique = rules.unique_items;
                let sized = |this: &mut Self, n: u64| {
                    let strategy = this.position(item, &items, "");
                    let max = some(Literal::u64_unsuffixed(n).into_token_stream());
                    let n = Literal::u64_unsuffixed(n);
                    quote!(arbitrary::array(#strategy, 1, #n, #max, #unique))
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

/// One rule broken on purpose: the steps from the type's value down to where, what breaks it,
/// and the keyword.
struct Fault {
    path: Vec<Step>,
    bad: Bad,
    keyword: &'static str,
}

/// What breaks a [`Fault`]'s rule.
enum Bad {
    /// A strategy of bad values for the place the path ends at.
    Value(TokenStream),
    /// A property of this name added to the JSON of the object the path ends at.
    Extra(String),
}

/// A step on the way to a [`Fault`].
#[derive(Clone)]
enum Step {
    /// A field of a struct, of the type `ty` (aliases in its wrappers resolved, see
    /// [`through_aliases`]).
    Field { rust: String, wire: String, required: bool, ty: TypeRef },
    /// The first item of an array, of the type `ty`.
    Item { ty: TypeRef },
}

impl Step {
    /// The step's JSON Pointer token, with its `/`.
    fn token(&self) -> String {
        match self {
            Step::Field { wire, .. } => crate::diag::pointer_join("", wire),
            Step::Item { .. } => "/0".to_owned(),
        }
    }

    /// `target` (a `&mut` to the value the step starts from) moved to the value it reaches,
    /// through any `Option` (returning `None` when absent) and `Box`.
    fn enter(&self) -> TokenStream {
        let (reach, ty) = match self {
            Step::Field { rust, required, ty, .. } => {
                let field = ident(rust);
                let present = (!required).then(|| quote!(let target = target.as_mut()?;));
                (quote!(let target = &mut target.#field; #present), ty)
            }
            Step::Item { ty } => (quote!(let target = target.first_mut()?;), ty),
        };
        let mut steps = reach;
        let mut ty = ty;
        loop {
            match ty {
                TypeRef::Nullable(inner) => {
                    steps.extend(quote!(let target = target.as_mut()?;));
                    ty = inner;
                }
                TypeRef::Boxed(inner) => {
                    steps.extend(quote!(let target = &mut **target;));
                    ty = inner;
                }
                _ => return steps,
            }
        }
    }

    /// The value the step reaches in `target` set to `value` (of the core type), wrapped as the
    /// place's type needs. A field that is optional and absent stays so (`return None`): setting
    /// it could break a count of the object's properties as well.
    fn set(&self, value: TokenStream) -> TokenStream {
        match self {
            Step::Field { rust, required, ty, .. } => {
                let field = ident(rust);
                let value = wrap(ty, value);
                if *required {
                    quote!(target.#field = #value;)
                } else {
                    let value = some(value);
                    quote!(target.#field.as_ref()?; target.#field = #value;)
                }
            }
            Step::Item { ty } => {
                let value = wrap(ty, value);
                quote!(*target.first_mut()? = #value;)
            }
        }
    }
}

/// Whether the rules of a position are only its type's: no rule of its own that a value could
/// break beside the type's.
fn plain(rules: &Rules) -> bool {
    Rules { reference: None, types: None, nullable: false, ..rules.clone() }.is_empty()
}

/// `value` of the core type made into a value of `ty` (through `Option` and `Box`).
fn wrap(ty: &TypeRef, value: TokenStream) -> TokenStream {
    match ty {
        TypeRef::Nullable(inner) => some(wrap(inner, value)),
        TypeRef::Boxed(inner) => {
            let inner = wrap(inner, value);
            quote!(#BOX::new(#inner))
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

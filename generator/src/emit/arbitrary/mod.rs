//! Emit of `src/arbitrary.rs` (the crate's `arbitrary` feature): a `proptest` strategy for every
//! type, whose values pass the type's validator, and for the types with rules, strategies of
//! values that break exactly one of them.
//!
//! Strategies are built from the model's [`Rules`], by construction wherever the runtime has a
//! generator for the rule (`apigen_runtime::arbitrary`: lengths, patterns, formats, ranges,
//! `multipleOf`, `enum`, item and property counts, `uniqueItems`). A rule that cannot be met by
//! construction (rules of an object as a whole, `anyOf` / `oneOf` / `not`, a pattern with
//! look-around) is met by filtering with the generated validator's own check of that position,
//! and [`arbitrary_module`] notes each such place with its pointer, so a user knows where values
//! are rejected on the way. Every struct, enum and union implements
//! `proptest::arbitrary::Arbitrary`; every type, aliases included, has a function of the
//! module (`customer(depth)`) that the impls and the other strategies call.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote, ToTokens};
use serde_json::Value;

mod invalid;

use super::types::ident;
use super::validate::{format_variant, json_literal, Checks};
use crate::diag::Diagnostic;
use crate::emit::prelude::{BOX, NONE, SOME, VEC};
use crate::emit::uses;
use crate::model::{
    Additional, ApiModel, Bound, Gate, JsonType, Primitive, Rules, Struct, TypeDef, TypeId, TypeKind, TypeRef,
    UnionVariant,
};

/// The `arbitrary` module, and the places where a strategy filters with the validator, as
/// notes: what the generator could not meet by construction, with the pointer of the schema it
/// stands in. Both come from one pass over the types.
pub fn arbitrary_module(model: &ApiModel) -> (TokenStream, Vec<Diagnostic>) {
    // The module names the runtime's `arbitrary` and proptest's `proptest` and `strategy` by
    // the modules imported at its top (`arbitrary::optional`, `strategy::BoxedStrategy`), not
    // by their full paths (with `Some` and `None`, see `emit::prelude`, a quarter of the
    // tokens of Stripe's module), each of which is built, parsed and formatted again. A
    // module's name cannot collide with a type's (types are `PascalCase`, and a function of
    // this module named `arbitrary` is a value, not a module). The imports allow being unused:
    // a crate split into features may compile none of the items that use one.
    let mut emitter = Emitter::new(model);
    // In a crate split into groups (`lower::groups`), a type's generators are behind its
    // group's feature, as the type is; the statics they use behind their users' features.
    let items: Vec<TokenStream> = (0..model.types.len())
        .map(|i| {
            let gate = &model.types[i].gate;
            emitter.set_gate(gate);
            let items = emitter.type_items(TypeId(i));
            super::gated(&super::gate_attr(gate), items)
        })
        .collect();
    emitter.set_gate(&Gate::Always);
    let table = emitter.checks_table();
    let checks = emitter.checks.statics();
    let runtime = super::runtime_modules(&["check"]);
    let tokens = quote! {
        //! Value generators: a `proptest` strategy for every type, whose values pass its
        //! validator (`Arbitrary` for structs, enums and unions, a function per type for all,
        //! aliases included), and for every type with rules, a strategy of values that break
        //! exactly one of them (`<type>_invalid`).
        #[allow(unused_imports)]
        use super::types::*;
        #[allow(unused_imports)]
        use ::apigen_runtime::{arbitrary, proptest::{self, strategy}};
        use ::apigen_runtime::proptest::strategy::Strategy as _;
        #runtime
        #checks
        #table
        #( #items )*
    };
    (tokens, emitter.into_notes())
}

/// The name of the module's function for a type, and of its invalid values' (`customer`,
/// `customer_invalid`): claimed in one namespace in the types' order, so they are unique and
/// stable.
pub(crate) fn function_names(model: &ApiModel) -> Vec<(Ident, Ident)> {
    let mut names = crate::naming::Namespace::new();
    model
        .types
        .iter()
        .map(|def| {
            let base = crate::naming::field_name(&def.name, "value");
            let valid = names.unique(base.clone());
            let invalid = names.unique(format!("{valid}_invalid"));
            (format_ident!("{}", valid), format_ident!("{}", invalid))
        })
        .collect()
}

struct Emitter<'m> {
    model: &'m ApiModel,
    names: Vec<(Ident, Ident)>,
    /// The validator's checks of positions filtered on, with the patterns they use, and
    /// those strings are generated from: one static per pattern, whichever uses it.
    checks: Checks<'m>,
    /// The feature of the type being emitted.
    gate: Gate,
    /// (pointer, message) of every filter, in the types' order, each once.
    notes: Vec<(String, String)>,
}

/// `Some(value)`, as `emit::prelude` writes it (by its full path where a type of the spec is
/// named like one of the prelude's names: the module imports every type).
fn some(value: impl ToTokens) -> TokenStream {
    quote!(#SOME(#value))
}

/// `None`, as `emit::prelude` writes it.
fn none() -> TokenStream {
    quote!(#NONE)
}

impl<'m> Emitter<'m> {
    fn new(model: &'m ApiModel) -> Self {
        Self { model, names: function_names(model), checks: Checks::new(model), gate: Gate::Always, notes: Vec::new() }
    }

    /// Items emitted from now on are behind `feature` (see [`super::feature_gate`]).
    fn set_gate(&mut self, gate: &Gate) {
        self.gate = gate.clone();
        self.checks.set_gate(gate.clone());
    }

    /// The notes made, as diagnostics, in the order they were made.
    fn into_notes(self) -> Vec<Diagnostic> {
        self.notes
            .into_iter()
            .map(|(pointer, message)| Diagnostic { severity: crate::Severity::Note, pointer, message })
            .collect()
    }

    fn note(&mut self, pointer: &str, message: String) {
        let note = (pointer.to_owned(), message);
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }

    /// `CHECKS`, every type by name with the function that generates values of it and checks
    /// each (it validates, its JSON reads back as itself), and `XML_CHECKS` the same for the XML
    /// form of the types that have one: the crate's own proof that its strategies hold, which
    /// its tests (and any user's) can run.
    fn checks_table(&mut self) -> TokenStream {
        let mut rows = Vec::new();
        let mut xml_rows = Vec::new();
        let mut invalid_rows = Vec::new();
        for (i, def) in self.model.types.iter().enumerate() {
            if self.model.replaced.contains_key(&def.name) {
                continue;
            }
            let name = &def.name;
            let function = self.names[i].0.clone();
            let gate = super::gate_attr(&def.gate);
            self.set_gate(&def.gate);
            // An alias has no `Validate` of its own: its check is written out, and handed to the
            // `_by` forms of the runtime's checks, unless it is the `Validate` of what it names
            // (an alias of a struct, or of an array of them).
            let check = match def.kind {
                TypeKind::Alias(_) => {
                    let check = self.checks.check(&TypeRef::Named(TypeId(i)), &Rules::default());
                    if super::validate::is_delegation(&check) {
                        None
                    } else {
                        let v = if uses(&check, "v") { quote!(v) } else { quote!(_) };
                        let cx = if uses(&check, "cx") { quote!(cx) } else { quote!(_) };
                        Some(quote!(|#v, #cx| { #check }))
                    }
                }
                _ => None,
            };
            if self.has_faults(TypeId(i)) {
                let invalid = self.names[i].1.clone();
                invalid_rows.push(match &check {
                    Some(check) => {
                        quote! { #gate (#name, |count| arbitrary::exercise_invalid_by(#invalid, #check, count)) }
                    }
                    None => quote! { #gate (#name, |count| arbitrary::exercise_invalid(#invalid, count)) },
                });
            }
            rows.push(match &check {
                Some(check) => quote! { #gate (#name, |count| arbitrary::exercise_by(#function, #check, count)) },
                None => quote! { #gate (#name, |count| arbitrary::exercise(#function, count)) },
            });
            if super::xml::has_form(def) {
                let ty = ident(name);
                xml_rows.push(quote! { #gate (#name, |count| arbitrary::exercise_xml(#function, #ty::to_xml, #ty::from_xml, count)) });
            }
        }
        self.set_gate(&Gate::Always);
        let xml = (!xml_rows.is_empty()).then(|| {
            quote! {
                /// Like [`CHECKS`], for the XML form of the types that have one: each value's
                /// document reads back as the same value.
                #[cfg(feature = "xml")]
                pub static XML_CHECKS: &[(&str, arbitrary::Exercise)] = &[#( #xml_rows ),*];
            }
        });
        quote! {
            /// Every type by name, with a function that generates that many values of it (the
            /// same ones on every run) and checks each: the validator finds nothing, and its
            /// JSON reads back as the same value. The crate's own proof that its strategies
            /// hold; the `Report` counts the values the strategy's filters rejected.
            pub static CHECKS: &[(&str, arbitrary::Exercise)] = &[#( #rows ),*];
            /// The types with rules a value can break alone, by name, with a function that
            /// generates that many values of `<type>_invalid` and checks that the validator
            /// reports exactly the one broken rule, at its pointer, of its keyword, whether the
            /// value is validated as it is or read from its JSON.
            pub static INVALID_CHECKS: &[(&str, arbitrary::Exercise)] = &[#( #invalid_rows ),*];
            #xml
        }
    }

    /// The function of a type, its `Arbitrary` impl where it is a type of its own, and its
    /// invalid values' function.
    fn type_items(&mut self, id: TypeId) -> TokenStream {
        let def = self.model.type_def(id);
        let name = ident(&def.name);
        let (function, invalid_function) = self.names[id.0].clone();
        let replaced = self.model.replaced.contains_key(&def.name);
        let body = if replaced {
            self.note(
                &def.doc.pointer,
                format!("replaced by `{}`: its strategy gives no value", self.model.replaced[&def.name]),
            );
            quote!(arbitrary::impossible("a type replaced by one of the user's"))
        } else {
            match &def.kind {
                TypeKind::Struct(s) => self.struct_strategy(def, s),
                TypeKind::StringEnum(variants) => {
                    let variants = variants.iter().map(|v| ident(&v.rust_name));
                    select(quote!(#VEC::from([#( #name::#variants ),*])))
                }
                TypeKind::IntegerEnum(variants) => {
                    let variants = variants.iter().map(|v| ident(&v.rust_name));
                    select(quote!(#VEC::from([#( #name::#variants ),*])))
                }
                TypeKind::Union(variants) => self.union_strategy(def, variants),
                TypeKind::Alias(target) => self.position(target, &def.rules, &def.doc.pointer),
            }
        };
        let depth = if uses(&body, "depth") { quote!(depth) } else { quote!(_depth) };
        let doc = format!(" Values of [`{}`] that pass its validator, nested at most `depth` deep.", def.name);
        let own_type = !replaced && !matches!(def.kind, TypeKind::Alias(_));
        let arbitrary = own_type.then(|| quote!(arbitrary::impl_arbitrary!(#name, #function);));
        let invalid = if replaced { None } else { self.invalid_function(id, &invalid_function) };
        quote! {
            #arbitrary
            #[doc = #doc]
            pub fn #function(#depth: u32) -> strategy::BoxedStrategy<#name> {
                #body.boxed()
            }
            #invalid
        }
    }

    fn struct_strategy(&mut self, def: &TypeDef, s: &Struct) -> TokenStream {
        let name = ident(&def.name);
        let mut strategies = Vec::new();
        let mut fields = Vec::new();
        for field in &s.fields {
            let value = self.position(&field.ty, &field.rules, &field.doc.pointer);
            strategies.push(if field.required { value } else { quote!(arbitrary::optional(depth, #value)) });
            fields.push(ident(&field.rust_name));
        }
        if let Some((field, ty)) = &s.additional {
            let value = self.position(ty, &Rules::default(), &def.doc.pointer);
            let taken = s.fields.iter().map(|f| &f.wire_name);
            let none = none();
            strategies.push(quote!(arbitrary::map(#value, depth, 0, #none, &[#( #taken ),*])));
            fields.push(ident(field));
        }
        let bindings: Vec<Ident> = (0..fields.len()).map(|i| format_ident!("f{}", i)).collect();
        let built = match strategies.len() {
            0 => quote!(strategy::Just(#name {})),
            1 => {
                let (strategy, binding, field) = (&strategies[0], &bindings[0], &fields[0]);
                quote!(#strategy.prop_map(|#binding| #name { #field: #binding }))
            }
            _ => {
                let tuple = nest(&strategies);
                let pattern = nest(&bindings.iter().map(|b| quote!(#b)).collect::<Vec<_>>());
                quote!(#tuple.prop_map(|#pattern| #name { #( #fields: #bindings ),* }))
            }
        };
        let whole = Rules { types: None, nullable: false, reference: None, ..def.rules.clone() };
        if whole.is_empty() {
            return built;
        }
        self.note(
            &def.doc.pointer,
            format!("{} of the object as a whole: values are filtered with the validator", describe(&whole)),
        );
        quote!(#built.prop_filter("breaks a rule of the object as a whole", |v| ::apigen_runtime::Validate::validate(v).is_ok()))
    }

    /// A union: one of its alternatives' values. Untagged, a value must also read back as the
    /// variant it is (the wire cannot tell a date from a string that holds one); tagged, its
    /// discriminator property holds a value that selects its variant.
    fn union_strategy(&mut self, def: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
        let name = ident(&def.name);
        let mut options = Vec::new();
        for variant in variants {
            let variant_name = ident(&variant.rust_name);
            let value = self.position(&variant.ty, &variant.rules, &variant.doc.pointer);
            options.push(match &def.discriminator {
                Some(property) => {
                    let tags = &variant.tags;
                    quote! {
                        (#value, proptest::sample::select(&[#( #tags ),*][..]))
                            .prop_filter_map("does not read with its tag", |(v, tag)| arbitrary::with_tag(&v, #property, tag))
                            .prop_map(#name::#variant_name)
                            .boxed()
                    }
                }
                None => quote!(#value.prop_map(#name::#variant_name).boxed()),
            });
        }
        let union = if options.is_empty() {
            quote!(arbitrary::impossible::<#name>("a union without alternatives"))
        } else {
            quote!(arbitrary::one_of(#VEC::from([#( #options ),*])))
        };
        let union = if def.discriminator.is_none() {
            quote!(#union.prop_filter("reads back as another variant", arbitrary::round_trips))
        } else {
            union
        };
        // A discriminated union is judged by the variant its tag selects, not by `oneOf` over
        // every alternative; an untagged one must fit exactly one alternative of a `oneOf`.
        let one_of = if def.discriminator.is_some() { Vec::new() } else { def.rules.one_of.clone() };
        let rest =
            Rules { types: None, nullable: false, reference: None, any_of: Vec::new(), one_of, ..def.rules.clone() };
        let any_json = variants.iter().any(|v| v.ty == TypeRef::Primitive(Primitive::Value));
        if rest.is_empty() && !any_json {
            return union;
        }
        let why = if any_json { "an alternative of any JSON value".to_owned() } else { describe(&rest) };
        self.note(&def.doc.pointer, format!("{why}: values are filtered with the validator"));
        quote!(#union.prop_filter("breaks a rule of the union", |v| ::apigen_runtime::Validate::validate(v).is_ok()))
    }

    /// A strategy of values of `ty` that meet `rules` (those of the position: a field, an item,
    /// an alias), as an expression that may refer to `depth`.
    fn position(&mut self, ty: &TypeRef, rules: &Rules, pointer: &str) -> TokenStream {
        match ty {
            // An `enum` with no value of the type (Plaid's `type: string`, `enum: [3, null]`
            // or `enum: [true, false]`): `null`, which validation lets through, is the one
            // valid value.
            TypeRef::Nullable(inner) if no_value_of_type(inner, rules) => {
                let none = none();
                quote!(strategy::Just(#none))
            }
            TypeRef::Nullable(inner) => {
                let inner = self.position(inner, rules, pointer);
                quote!(arbitrary::optional(depth, #inner))
            }
            TypeRef::Boxed(inner) => {
                let inner = self.position(inner, rules, pointer);
                quote!(#inner.prop_map(#BOX::new))
            }
            _ => {
                let (strategy, rest) = self.construct(ty, rules, pointer);
                if rest.is_empty() {
                    return strategy;
                }
                self.note(pointer, format!("{}: values are filtered with the validator", describe(&rest)));
                let check = self.checks.check(ty, rules);
                if check.is_empty() {
                    return strategy;
                }
                let (v, cx) = (
                    if uses(&check, "v") { quote!(v) } else { quote!(_) },
                    if uses(&check, "cx") { quote!(cx) } else { quote!(_) },
                );
                quote! {
                    #strategy.prop_filter("breaks a rule", |v| arbitrary::passes(v, |#v, #cx| { #check }))
                }
            }
        }
    }

    /// A strategy for `ty` (not nullable, not boxed) that meets what it can of `rules`, and the
    /// rules it leaves to a filter.
    fn construct(&mut self, ty: &TypeRef, rules: &Rules, pointer: &str) -> (TokenStream, Rules) {
        // `type` and `nullable` are the Rust type's, which the strategy makes.
        let mut rest = Rules { types: None, nullable: false, ..rules.clone() };
        let strategy = match ty {
            TypeRef::Named(id) => {
                if rest.reference == Some(*id) {
                    rest.reference = None;
                }
                // `allOf: [{$ref: X}]` on a value of type `X` (OpenAPI 3.0's way of putting
                // keywords beside a `$ref`) asks nothing the type does not.
                let itself = Rules { reference: Some(*id), ..Rules::default() };
                rest.all_of.retain(|member| *member != itself);
                // Nor does an `anyOf` or `oneOf` of that one member (OpenAPI 3.0's nullable
                // `$ref`: `nullable: true, anyOf: [{$ref: X}]`).
                for alternatives in [&mut rest.any_of, &mut rest.one_of] {
                    if alternatives.len() == 1 && alternatives[0] == itself {
                        alternatives.clear();
                    }
                }
                let def = self.model.type_def(*id);
                let function = &self.names[id.0].0;
                match def.kind {
                    // An alias's own rules are its function's; nothing refers back to itself
                    // through aliases alone, so it is called as it is.
                    TypeKind::Alias(_) => quote!(#function(depth)),
                    _ => quote!(arbitrary::lazy(#function, depth)),
                }
            }
            TypeRef::Vec(inner) => {
                let items = rules.items.as_deref().cloned().unwrap_or_default();
                let item = self.position(inner, &items, &format!("{pointer}/items"));
                let min = Literal::u64_unsuffixed(rules.min_items.unwrap_or(0));
                let max = option_u64(rules.max_items);
                let unique = rules.unique_items;
                rest.items = None;
                rest.min_items = None;
                rest.max_items = None;
                rest.unique_items = false;
                quote!(arbitrary::array(#item, depth, #min, #max, #unique))
            }
            TypeRef::Map(inner) => {
                // `additionalProperties` with a schema: every entry's value meets it.
                let entries = match &rules.additional {
                    Additional::Schema(entries) if rules.properties.is_empty() => {
                        rest.additional = Additional::Any;
                        (**entries).clone()
                    }
                    _ => Rules::default(),
                };
                let value = self.position(inner, &entries, &format!("{pointer}/additionalProperties"));
                let min = Literal::u64_unsuffixed(rules.min_properties.unwrap_or(0));
                let max = option_u64(rules.max_properties);
                rest.min_properties = None;
                rest.max_properties = None;
                quote!(arbitrary::map(#value, depth, #min, #max, &[]))
            }
            TypeRef::Primitive(p) => self.primitive(*p, rules, &mut rest, pointer),
            TypeRef::Nullable(_) | TypeRef::Boxed(_) => {
                let strategy = self.position(ty, rules, pointer);
                return (strategy, Rules::default());
            }
        };
        (strategy, rest)
    }

    fn primitive(&mut self, p: Primitive, rules: &Rules, rest: &mut Rules, pointer: &str) -> TokenStream {
        if let Some(values) = &rules.enumeration {
            rest.enumeration = None;
            return match p {
                Primitive::String => {
                    let strings: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
                    quote!(arbitrary::one_of_str(&[#( #strings ),*]))
                }
                _ => {
                    let values = values.iter().map(json_literal);
                    quote!(arbitrary::one_of_json(#VEC::from([#( #values ),*])))
                }
            };
        }
        match p {
            Primitive::String => self.string(rules, rest, pointer),
            Primitive::Bool => quote!(proptest::arbitrary::any::<bool>()),
            Primitive::I32 => integer(quote!(i32), i32::MIN.into(), i32::MAX.into(), rules, rest),
            Primitive::I64 => integer(quote!(i64), i64::MIN.into(), i64::MAX.into(), rules, rest),
            Primitive::U32 => integer(quote!(u32), 0, u32::MAX.into(), rules, rest),
            Primitive::U64 => integer(quote!(u64), 0, u64::MAX.into(), rules, rest),
            Primitive::F64 => number(rules, rest),
            Primitive::F32 => {
                // Rounding to `f32` may cross a bound: the value is checked as `f32`.
                let number = number(rules, rest);
                *rest = Rules {
                    minimum: rules.minimum.clone(),
                    maximum: rules.maximum.clone(),
                    multiple_of: rules.multiple_of.clone(),
                    ..rest.clone()
                };
                let check = numeric_check(rules);
                if check.is_empty() {
                    quote!(#number.prop_map(|x| x as f32))
                } else {
                    *rest = Rules { minimum: None, maximum: None, multiple_of: None, ..rest.clone() };
                    quote!(#number.prop_map(|x| x as f32).prop_filter("crosses a bound as f32", |x| arbitrary::passes(x, |v, cx| { let v = *v; #check })))
                }
            }
            Primitive::Decimal => {
                let number = number(rules, rest);
                quote!(#number.prop_filter_map("not a finite number", ::apigen_runtime::serde_json::Number::from_f64))
            }
            // The type is the format.
            Primitive::Date | Primitive::DateTime | Primitive::Uuid if rules.format.is_some() => {
                rest.format = None;
                self.primitive(p, &Rules { format: None, ..rules.clone() }, rest, pointer)
            }
            Primitive::Date => quote!(arbitrary::date()),
            Primitive::DateTime => quote!(arbitrary::date_time()),
            Primitive::Uuid => quote!(arbitrary::uuid()),
            Primitive::Binary => quote!(arbitrary::binary()),
            Primitive::Value => self.any_json(rules, rest, pointer),
        }
    }

    /// Any JSON value; of the JSON type the rules name, when they name one, made as that type's
    /// value is.
    fn any_json(&mut self, rules: &Rules, rest: &mut Rules, pointer: &str) -> TokenStream {
        let as_type = |p: Primitive| TypeRef::Primitive(p);
        let typed = match rules.types {
            Some(JsonType::String) => Some(as_type(Primitive::String)),
            Some(JsonType::Integer) => Some(as_type(Primitive::I64)),
            Some(JsonType::Number) => Some(as_type(Primitive::F64)),
            Some(JsonType::Boolean) => Some(as_type(Primitive::Bool)),
            Some(JsonType::Array) => Some(TypeRef::Vec(Box::new(as_type(Primitive::Value)))),
            Some(JsonType::Object) => Some(TypeRef::Map(Box::new(as_type(Primitive::Value)))),
            Some(JsonType::Null) | None => None,
        };
        let Some(typed) = typed else {
            return quote!(arbitrary::json_value(depth));
        };
        let (strategy, left) = self.construct(&typed, rules, pointer);
        *rest = left;
        let value = if rules.nullable {
            quote!(arbitrary::optional(depth, #strategy.prop_map(::apigen_runtime::serde_json::Value::from)).prop_map(|v| v.unwrap_or_default()))
        } else {
            quote!(#strategy.prop_map(::apigen_runtime::serde_json::Value::from))
        };
        match typed {
            TypeRef::Map(_) => {
                quote!(#strategy.prop_map(|m| ::apigen_runtime::serde_json::Value::Object(m.into_iter().collect())))
            }
            _ => value,
        }
    }

    fn string(&mut self, rules: &Rules, rest: &mut Rules, pointer: &str) -> TokenStream {
        let min = Literal::u64_unsuffixed(rules.min_length.unwrap_or(0));
        let max = option_u64(rules.max_length);
        rest.min_length = None;
        rest.max_length = None;
        if let Some(format) = rules.format {
            rest.format = None;
            let variant = format_variant(format);
            return quote!(arbitrary::format(::apigen_runtime::Format::#variant, #min, #max));
        }
        if let Some(pattern) = &rules.pattern {
            rest.pattern = None;
            if !exact_inverse(pattern) {
                self.note(
                    pointer,
                    format!("`pattern` `{pattern}` has look-around, a backreference or an anchor within: strings are generated from the rest of it and filtered with the pattern"),
                );
            }
            let name = self.checks.pattern(pattern);
            return quote!(arbitrary::pattern(&#name, #min, #max));
        }
        quote!(arbitrary::string(#min, #max))
    }
}

/// Whether the rules have an `enum` that holds no value of the primitive `ty`.
fn no_value_of_type(ty: &TypeRef, rules: &Rules) -> bool {
    let (TypeRef::Primitive(p), Some(values)) = (ty, &rules.enumeration) else { return false };
    let of_type = |v: &Value| match p {
        Primitive::String | Primitive::Date | Primitive::DateTime | Primitive::Uuid | Primitive::Binary => {
            v.is_string()
        }
        Primitive::Bool => v.is_boolean(),
        Primitive::I32 | Primitive::I64 | Primitive::U32 | Primitive::U64 => v.is_i64() || v.is_u64(),
        Primitive::F32 | Primitive::F64 | Primitive::Decimal => v.is_number(),
        Primitive::Value => !v.is_null(),
    };
    !values.iter().any(of_type)
}

/// Strategies (or patterns) grouped into nested tuples of at most ten, which proptest knows
/// as strategies (up to twelve).
fn nest(items: &[TokenStream]) -> TokenStream {
    if items.len() <= 10 {
        return quote!(( #( #items ),* ));
    }
    let groups: Vec<TokenStream> = items
        .chunks(10)
        .map(|chunk| {
            if chunk.len() == 1 {
                let only = &chunk[0];
                quote!((#only,))
            } else {
                quote!(( #( #chunk ),* ))
            }
        })
        .collect();
    nest(&groups)
}

fn select(values: TokenStream) -> TokenStream {
    quote!(proptest::sample::select(#values))
}

fn option_u64(n: Option<u64>) -> TokenStream {
    match n {
        Some(n) => some(Literal::u64_unsuffixed(n).into_token_stream()),
        None => none(),
    }
}

/// An integer strategy of the Rust type `rust` (whose range is `low..=high`) within the rules'
/// bounds, a multiple of their `multipleOf` where that is a whole number.
fn integer(rust: TokenStream, low: i128, high: i128, rules: &Rules, rest: &mut Rules) -> TokenStream {
    // The first (`up`) or last integer within a bound.
    let bound = |b: &Bound, up: bool| -> i128 {
        let step = if up { 1 } else { -1 };
        match (b.value.as_i64().map(i128::from).or_else(|| b.value.as_u64().map(i128::from)), b.value.as_f64()) {
            (Some(n), _) => n + if b.exclusive { step } else { 0 },
            (None, Some(f)) => {
                let whole = if up { f.ceil() } else { f.floor() };
                let n = whole.clamp(-1e38, 1e38) as i128;
                n + if b.exclusive && whole == f { step } else { 0 }
            }
            (None, None) => {
                if up {
                    low
                } else {
                    high
                }
            }
        }
    };
    let min = rules.minimum.as_ref().map_or(low, |b| bound(b, true).max(low));
    let max = rules.maximum.as_ref().map_or(high, |b| bound(b, false).min(high));
    rest.minimum = None;
    rest.maximum = None;
    let multiple = match rules.multiple_of.as_ref().map(|m| (m.as_i64(), m)) {
        Some((Some(m), _)) => {
            rest.multiple_of = None;
            some(Literal::i128_unsuffixed(m.into()).into_token_stream())
        }
        // A fractional divisor of an integer is left to the filter.
        _ => none(),
    };
    let (min, max) = (Literal::i128_unsuffixed(min), Literal::i128_unsuffixed(max));
    quote!(arbitrary::integer::<#rust>(#min, #max, #multiple))
}

/// A float strategy within the rules' bounds, a multiple of their `multipleOf`, integral where
/// they say `type: integer`.
fn number(rules: &Rules, rest: &mut Rules) -> TokenStream {
    let bound = |b: &Option<Bound>| match b {
        Some(Bound { value, exclusive }) => {
            let value = Literal::f64_unsuffixed(value.as_f64().unwrap_or(0.0));
            some(quote!((#value, #exclusive)))
        }
        None => none(),
    };
    let (min, max) = (bound(&rules.minimum), bound(&rules.maximum));
    let multiple = match &rules.multiple_of {
        Some(m) => some(Literal::f64_unsuffixed(m.as_f64().unwrap_or(0.0)).into_token_stream()),
        None => none(),
    };
    let integral = rules.types == Some(JsonType::Integer);
    rest.minimum = None;
    rest.maximum = None;
    rest.multiple_of = None;
    quote!(arbitrary::number(#min, #max, #multiple, #integral))
}

/// The numeric checks of `rules` on a number `v`, as the validator makes them.
fn numeric_check(rules: &Rules) -> TokenStream {
    let mut out = Vec::new();
    let literal = |n: &serde_json::Number| {
        let f = Literal::f64_unsuffixed(n.as_f64().unwrap_or(0.0));
        quote!(check::Num::Float(#f))
    };
    if let Some(Bound { value, exclusive }) = &rules.minimum {
        let limit = literal(value);
        out.push(quote! { check::minimum(cx, v, #limit, #exclusive); });
    }
    if let Some(Bound { value, exclusive }) = &rules.maximum {
        let limit = literal(value);
        out.push(quote! { check::maximum(cx, v, #limit, #exclusive); });
    }
    if let Some(divisor) = &rules.multiple_of {
        let limit = literal(divisor);
        out.push(quote! { check::multiple_of(cx, v, #limit); });
    }
    quote!(#( #out )*)
}

/// The keywords a set of rules holds, for a note: `anyOf, not`.
fn describe(rules: &Rules) -> String {
    let mut keywords = Vec::new();
    let mut add = |present: bool, keyword: &str| {
        if present {
            keywords.push(format!("`{keyword}`"));
        }
    };
    add(rules.reference.is_some(), "$ref");
    add(rules.types.is_some(), "type");
    add(rules.min_length.is_some(), "minLength");
    add(rules.max_length.is_some(), "maxLength");
    add(rules.pattern.is_some(), "pattern");
    add(rules.format.is_some(), "format");
    add(rules.minimum.is_some(), "minimum");
    add(rules.maximum.is_some(), "maximum");
    add(rules.multiple_of.is_some(), "multipleOf");
    add(rules.min_items.is_some(), "minItems");
    add(rules.max_items.is_some(), "maxItems");
    add(rules.unique_items, "uniqueItems");
    add(rules.items.is_some(), "items");
    add(rules.min_properties.is_some(), "minProperties");
    add(rules.max_properties.is_some(), "maxProperties");
    add(!rules.required.is_empty(), "required");
    add(!rules.properties.is_empty(), "properties");
    add(rules.additional.is_set(), "additionalProperties");
    add(rules.enumeration.is_some(), "enum");
    add(!rules.all_of.is_empty(), "allOf");
    add(!rules.any_of.is_empty(), "anyOf");
    add(!rules.one_of.is_empty(), "oneOf");
    add(rules.not.is_some(), "not");
    add(!rules.prefix_items.is_empty(), "prefixItems");
    add(rules.contains.is_some(), "contains");
    add(!rules.dependent_required.is_empty(), "dependentRequired");
    add(!rules.dependent_schemas.is_empty(), "dependentSchemas");
    add(rules.conditional.is_some(), "if");
    add(!rules.pattern_properties.is_empty(), "patternProperties");
    add(rules.property_names.is_some(), "propertyNames");
    add(rules.unevaluated_properties.is_some(), "unevaluatedProperties");
    add(rules.unevaluated_items.is_some(), "unevaluatedItems");
    keywords.join(", ")
}

/// Whether strings generated from `pattern` by `apigen_runtime::arbitrary::pattern` always match
/// it: the same test as the runtime's `invertible` (regex-syntax reads it, and its only anchors
/// are a `^` at the very start and a `$` at the very end), made here to report the others.
fn exact_inverse(pattern: &str) -> bool {
    fn anchors_only_at_ends(hir: &regex_syntax::hir::Hir, first: bool, last: bool) -> bool {
        use regex_syntax::hir::{HirKind, Look};
        match hir.kind() {
            HirKind::Look(Look::Start) => first,
            HirKind::Look(Look::End) => last,
            HirKind::Look(_) => false,
            HirKind::Concat(subs) => {
                let n = subs.len();
                subs.iter().enumerate().all(|(i, sub)| anchors_only_at_ends(sub, first && i == 0, last && i + 1 == n))
            }
            HirKind::Alternation(subs) => subs.iter().all(|sub| anchors_only_at_ends(sub, first, last)),
            HirKind::Capture(capture) => anchors_only_at_ends(&capture.sub, first, last),
            HirKind::Repetition(repetition) => anchors_only_at_ends(&repetition.sub, false, false),
            HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) => true,
        }
    }
    match regex_syntax::ParserBuilder::new().build().parse(pattern) {
        Ok(hir) => anchors_only_at_ends(&hir, true, true),
        Err(_) => false,
    }
}

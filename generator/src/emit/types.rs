//! Emit of `src/types.rs`: one item per model type.
//!
//! Each function returns self-contained tokens for one concept. Paths are absolute
//! (`::std::option::Option`), so a spec type named `Option` or `Result` shadows nothing.

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::quote;

use super::doc::{doc_attrs, doc_attrs_with, escape_controls, field_doc_attrs};
use crate::emit::prelude::{BOX, ERR, NONE, OK, OPTION, RESULT, SOME, STRING, VEC};
use crate::model::{ApiModel, EnumVariant, Field, Primitive, Struct, TypeDef, TypeKind, TypeRef, UnionVariant};

/// The `types` module of a crate not split into areas: every model type.
pub fn types_module(model: &ApiModel) -> TokenStream {
    let items = model.types.iter().map(|def| type_item(model, def));
    let runtime = super::runtime_modules(&["de", "ser", "serde"]);
    quote! {
        //! Types of every schema in the spec, mirroring what the wire carries.
        #runtime
        #( #items )*
    }
}

/// `src/types/mod.rs` of a crate split into areas: each area's module, its types re-exported.
/// An area whose every type is behind a group's feature is compiled only with one of them: a
/// glob re-export of an empty module would be an unused import.
pub fn types_root(model: &ApiModel, areas: &[super::areas::Area]) -> TokenStream {
    let modules = areas.iter().map(|area| {
        let module = ident(&area.module);
        let mut users = area.types.first().map(|&id| model.type_def(id).gate.clone()).unwrap_or_default();
        for &id in &area.types {
            users.widen(&model.type_def(id).gate);
        }
        let gate = super::gate_attr(&users);
        quote!(#gate mod #module; #gate pub use #module::*;)
    });
    quote! {
        //! Types of every schema in the spec, mirroring what the wire carries.
        //!
        //! One file per area of the spec (types grouped by the first words of their names), all
        //! re-exported here: `types::Foo` names a type wherever it is declared.
        #( #modules )*
    }
}

/// One area's file of a split `types` module.
pub fn types_area(model: &ApiModel, area: &super::areas::Area) -> TokenStream {
    let doc = format!(" Types whose names start with {}.", prefix_list(&area.prefixes));
    let items = area.types.iter().map(|&id| type_item(model, model.type_def(id)));
    let runtime = super::runtime_modules(&["de", "ser", "serde"]);
    quote! {
        #![doc = #doc]
        #[allow(unused_imports)]
        use super::*;
        #runtime
        #( #items )*
    }
}

/// `` `Account`, `Address` `` for a doc comment.
pub fn prefix_list(prefixes: &[String]) -> String {
    prefixes.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
}

/// A type's items, behind its group's feature where it has one.
fn type_item(model: &ApiModel, def: &TypeDef) -> TokenStream {
    super::gated(&super::gate_attr(&def.gate), ungated_type_item(model, def))
}

fn ungated_type_item(model: &ApiModel, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let mut doc = match &def.kind {
        // A `$ref` of another schema, or a schema identical to an earlier one (`lower::shared`).
        TypeKind::Alias(TypeRef::Named(target)) => {
            doc_attrs_with(&def.doc, format!("The same type as [`{}`].", model.type_def(*target).name))
        }
        _ => doc_attrs(&def.doc),
    };
    // The configuration's extra derives ride with the docs, ahead of the item's own, less those
    // the item derives anyway (a second `Eq` would conflict). Lowering reported those that are
    // not paths.
    let own: &[&str] = match &def.kind {
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {
            &["Debug", "Clone", "Copy", "PartialEq", "Eq", "Hash", "PartialOrd", "Ord"]
        }
        TypeKind::Struct(s) if s.fields.iter().all(|f| !f.required) => &["Debug", "Clone", "PartialEq", "Default"],
        _ => &["Debug", "Clone", "PartialEq"],
    };
    let extra: Vec<syn::Path> = model
        .derives
        .get(&def.name)
        .into_iter()
        .flatten()
        .filter_map(|d| syn::parse_str::<syn::Path>(d).ok())
        .filter(|path| !path.segments.last().is_some_and(|last| own.iter().any(|o| last.ident == o)))
        .collect();
    let extra_derives = !extra.is_empty();
    if extra_derives {
        doc.extend(quote!(#[derive(#( #extra ),*)]));
    }
    if let Some(path) = model.replaced.get(&def.name).and_then(|p| syn::parse_str::<syn::Type>(p).ok()) {
        return quote! { #doc pub type #name = #path; };
    }
    match &def.kind {
        TypeKind::Struct(s) => struct_item(model, &name, &doc, s, extra_derives),
        TypeKind::StringEnum(variants) => string_enum_item(&name, &doc, variants, unknown_variant(def)),
        TypeKind::IntegerEnum(variants) => integer_enum_item(&name, &doc, variants),
        TypeKind::Union(variants) => match &def.discriminator {
            Some(property) => {
                tagged_union_item(model, &name, &doc, variants, property, unknown_alternative(def).unwrap_or_default())
            }
            None => union_item(model, &name, &doc, variants, unknown_alternative(def)),
        },
        TypeKind::Alias(target) => {
            let target = type_tokens(model, target);
            quote! { #doc pub type #name = #target; }
        }
    }
}

fn struct_item(model: &ApiModel, name: &Ident, doc: &TokenStream, s: &Struct, extra_derives: bool) -> TokenStream {
    // `Serialize` is `struct_serialize`'s, through the runtime, except where the struct keeps
    // properties the schema does not name (serde's derive writes those flattened into the
    // object, which a struct written field by field cannot), and where the configuration adds
    // derives of its own: those may read serde's attributes for the wire names (schemars'
    // `JsonSchema` does), which only serde's derive allows on the fields.
    let derived = s.additional.is_some() || extra_derives;
    let fields = s.fields.iter().map(|f| field_item(model, f, derived));
    let additional = s.additional.as_ref().map(|(field, ty)| {
        let field = ident(field);
        let ty = type_tokens(model, ty);
        quote! {
            /// Properties not named in the schema, as `additionalProperties` allows.
            #[serde(flatten)]
            pub #field: ::std::collections::BTreeMap<#STRING, #ty>,
        }
    });
    // A struct whose every field may be absent has an obvious empty value.
    let default = s.fields.iter().all(|f| !f.required).then(|| quote!(Default,));
    // Secrets never print: a struct with a sensitive field gets a `Debug` that redacts it.
    let redacts = s.fields.iter().any(|f| f.sensitive);
    let debug = (!redacts).then(|| quote!(Debug,));
    let debug_impl = redacts.then(|| redacting_debug(name, s));
    let builders = builders(model, name, s);
    let deserialize = struct_deserialize(model, name, s);
    let (derive_serialize, serde_crate, serialize_impl) = if derived {
        let serde_crate = quote!(#[serde(crate = "::apigen_runtime::serde")]);
        (quote!(serde::Serialize), serde_crate, TokenStream::new())
    } else {
        (TokenStream::new(), TokenStream::new(), struct_serialize(name, s))
    };
    // `Deserialize` is `struct_deserialize`'s, through the runtime.
    //
    // `non_exhaustive`: outside the crate a value is built by `new` and the setters, never by
    // a struct literal, so a property the spec adds later breaks no code written today.
    quote! {
        #doc
        #[derive(#debug Clone, PartialEq, #default #derive_serialize)]
        #serde_crate
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
            #additional
        }

        #builders

        #serialize_impl

        #deserialize

        #debug_impl
    }
}

/// A struct's `Serialize`: what serde's derive would write (`rename` to the wire name,
/// `skip_serializing_if = "Option::is_none"` on optional properties), one runtime call per
/// field (`apigen_runtime::ser`), without the derive's branch and `?` per field.
fn struct_serialize(name: &Ident, s: &Struct) -> TokenStream {
    let type_name = name.to_string();
    let required = Literal::usize_unsuffixed(s.fields.iter().filter(|f| f.required).count());
    let optional = s.fields.iter().filter(|f| !f.required).map(|f| ident(&f.rust_name));
    let writes = s.fields.iter().map(|f| {
        let (field, wire) = (ident(&f.rust_name), &f.wire_name);
        if f.required {
            quote! { fields.field(#wire, &self.#field); }
        } else {
            quote! { fields.optional(#wire, &self.#field); }
        }
    });
    let binding = if s.fields.is_empty() { quote!(fields) } else { quote!(mut fields) };
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(
                &self,
                serializer: S,
            ) -> #RESULT<S::Ok, S::Error> {
                let #binding = ser::object(serializer, #type_name, #required, &[#( self.#optional.is_some() ),*])?;
                #( #writes )*
                fields.end()
            }
        }
    }
}

/// A struct's `Deserialize`: `apigen_runtime::de::object` reads a JSON object (only) into it
/// through its `apigen_runtime::de::Object` impl, which names the properties in a table and
/// reads each field with one line: `Entries::value`, or `Entries::strict` for the types read
/// through `apigen_runtime::de::Strict`. Each field is read into an `Option` first, so that an
/// optional property that is there is `Some` whatever its value (`null` is refused where the
/// schema is not `nullable`, and is `Some(None)` where it is), and a required one that is
/// absent is an error, `nullable` or not. This is far less code for the compiler than serde's
/// derive, which adds per struct a field enum and its visitor, a visitor of arrays that a
/// schema of `type: object` refuses, and a wrapper type for each `deserialize_with`.
fn struct_deserialize(model: &ApiModel, name: &Ident, s: &Struct) -> TokenStream {
    let type_name = name.to_string();
    let wire = s.fields.iter().map(|f| f.wire_name.as_str());
    let others = match (&s.additional, s.deny_unknown_fields) {
        (Some(_), _) => quote!(Keep),
        (None, true) => quote!(Refuse),
        (None, false) => quote!(Skip),
    };
    let slots: Vec<Ident> = (0..s.fields.len()).map(|i| ident(&format!("f{i}"))).collect();
    let lets = slots.iter().map(|slot| quote!(let mut #slot = #NONE;));
    let reads: Vec<TokenStream> = s
        .fields
        .iter()
        .zip(&slots)
        .map(
            |(f, slot)| {
                if is_strict(model, &f.ty) {
                    quote!(map.strict(&mut #slot))
                } else {
                    quote!(map.value(&mut #slot))
                }
            },
        )
        .collect();
    let other = s.additional.as_ref().map(|_| quote!(map.other(&mut others)));
    // Without a map of other properties, the last field's arm takes what the others leave:
    // `next_field` gives no other index then. The arms' errors leave by one `?` after the
    // `match`, not one per arm: each `?` is a path out of the function that drops every slot,
    // and for a struct of many fields those paths were a good part of what the compiler
    // checks of the whole crate (OpenAI's peak memory, 7%).
    let body = match (reads.split_last(), other.as_ref()) {
        (None, None) => quote!(while map.next_field()?.is_some() {}),
        (None, Some(only)) | (Some((only, [])), None) => quote! {
            while map.next_field()?.is_some() {
                #only?;
            }
        },
        (Some((last, rest)), other) => {
            let (arms, fallback) = match other {
                Some(other) => (&reads[..], other),
                None => (rest, last),
            };
            let indices = (0..arms.len()).map(Literal::usize_unsuffixed);
            quote! {
                while let #SOME(field) = map.next_field()? {
                    match field {
                        #( #indices => #arms, )*
                        _ => #fallback,
                    }?;
                }
            }
        }
    };
    let (others_let, others_init) = match &s.additional {
        Some((field, _)) => {
            let field = ident(field);
            (Some(quote!(let mut others = ::std::collections::BTreeMap::new();)), Some(quote!(#field: others,)))
        }
        None => (None, None),
    };
    // Two required fields or more are taken by one `match` on their slots, for the reason the
    // arms above share one `?`: its other arm is serde's `missing field` for the first absent.
    let required: Vec<(usize, &Ident)> = s
        .fields
        .iter()
        .zip(&slots)
        .enumerate()
        .filter(|(_, (f, _))| f.required)
        .map(|(i, (_, slot))| (i, slot))
        .collect();
    let one_by_one = required.len() < 2;
    let inits = s.fields.iter().zip(&slots).enumerate().map(|(i, (f, slot))| {
        let field = ident(&f.rust_name);
        if f.required && one_by_one {
            let index = Literal::usize_unsuffixed(i);
            quote!(#field: map.required(#slot, #index)?,)
        } else {
            quote!(#field: #slot,)
        }
    });
    let built = quote!(#OK(Self { #( #inits )* #others_init }));
    let built = if one_by_one {
        built
    } else {
        let slots: Vec<&Ident> = required.iter().map(|(_, slot)| *slot).collect();
        let indices = required.iter().map(|(i, _)| Literal::usize_unsuffixed(*i));
        // A constant cannot be named inside a repetition (`quote!` binds its names there).
        let some = SOME;
        quote! {
            match (#( #slots ),*) {
                (#( #some(#slots) ),*) => #built,
                (#( #slots ),*) => #ERR(map.missing(&[#( (#indices, #slots.is_some()) ),*])),
            }
        }
    };
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #RESULT<Self, D::Error> {
                de::object(deserializer)
            }
        }

        #[doc(hidden)]
        impl<'de> de::Object<'de> for #name {
            const NAME: &'static str = #type_name;
            const FIELDS: &'static [&'static str] = &[#( #wire ),*];
            const OTHERS: de::Others = de::Others::#others;

            fn read<A: serde::de::MapAccess<'de>>(
                mut map: de::Entries<'de, A>,
            ) -> #RESULT<Self, A::Error> {
                #( #lets )*
                #others_let
                #body
                #built
            }
        }
    }
}

/// `new`, taking the required fields in the struct's order (every other field absent), and a
/// chainable setter per optional field (`with_email`), with the names lowering claimed.
fn builders(model: &ApiModel, name: &Ident, s: &Struct) -> TokenStream {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    let params = required.iter().map(|f| {
        let field = ident(&f.rust_name);
        let ty = argument(model, &f.ty).ty;
        quote!(#field: #ty)
    });
    let inits = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let argument = argument(model, &f.ty);
        if !f.required {
            quote!(#field: #NONE,)
        } else if argument.into || argument.boxed {
            let value = argument.value(quote!(#field));
            quote!(#field: #value,)
        } else {
            quote!(#field,)
        }
    });
    let additional = s.additional.as_ref().map(|(field, _)| {
        let field = ident(field);
        quote!(#field: ::std::collections::BTreeMap::new(),)
    });
    let new_doc = if required.is_empty() {
        format!(" A new `{name}` with every property absent.")
    } else {
        let listed: Vec<String> = required.iter().map(|f| format!("`{}`", escape_controls(&f.wire_name))).collect();
        format!(" A new `{name}` with its required properties ({}), the others absent.", listed.join(", "))
    };
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    // A property named by digits alone (Plaid's `529`) is the parameter `_529`, the name the
    // struct's field has too; clippy's `just_underscores_and_digits` would ask for another.
    let digits_only = required.iter().any(|f| f.rust_name.chars().all(|c| c == '_' || c.is_ascii_digit()));
    let allow_digits = digits_only.then(|| quote!(#[allow(clippy::just_underscores_and_digits)]));
    let allow = quote!(#allow #allow_digits);
    let setters = s.fields.iter().filter_map(|f| {
        let setter = ident(f.setter.as_deref()?);
        let field = ident(&f.rust_name);
        let argument = argument(model, &f.ty);
        let ty = &argument.ty;
        let value = argument.value(quote!(value));
        let wire = escape_controls(&f.wire_name);
        let doc = match f.ty {
            TypeRef::Nullable(_) => format!(" Sets `{wire}`: `None` sends it as `null`."),
            _ => format!(" Sets `{wire}`."),
        };
        Some(quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: #ty) -> Self {
                self.#field = #SOME(#value);
                self
            }
        })
    });
    // With nothing required the struct derives `Default`, which says the same.
    let body = if required.is_empty() { quote!(Self::default()) } else { quote!(Self { #( #inits )* #additional }) };
    quote! {
        impl #name {
            #[doc = #new_doc]
            #allow
            pub fn new(#( #params ),*) -> Self {
                #body
            }

            #( #setters )*
        }
    }
}

/// How `new` and the setters take a value of a field's type. Strings are taken as
/// `impl Into<String>`, so that a `&str` will do; a boxed (recursive) value is taken unboxed.
/// Anything else is taken as it is: `impl Into` on a number would leave a literal's type to
/// inference, which picks `i32` and fails for a `u32`.
pub struct Argument {
    /// The parameter's type.
    pub ty: TokenStream,
    into: bool,
    boxed: bool,
}

impl Argument {
    /// The field's value made from the parameter `value`.
    pub fn value(&self, value: TokenStream) -> TokenStream {
        let value = if self.into { quote!(#value.into()) } else { value };
        if self.boxed {
            quote!(#BOX::new(#value))
        } else {
            value
        }
    }
}

pub fn argument(model: &ApiModel, ty: &TypeRef) -> Argument {
    let (ty, boxed) = match ty {
        TypeRef::Boxed(inner) => (&**inner, true),
        other => (other, false),
    };
    if matches!(model.resolve(ty), TypeRef::Primitive(Primitive::String)) {
        Argument { ty: quote!(impl ::std::convert::Into<#STRING>), into: true, boxed }
    } else {
        Argument { ty: type_tokens(model, ty), into: false, boxed }
    }
}

/// `Debug` that shows every field but the sensitive ones, which print as `[redacted]`
/// (`Some([redacted])` / `None` when optional, so presence stays visible).
fn redacting_debug(name: &Ident, s: &Struct) -> TokenStream {
    let type_name = name.to_string();
    let fields = s.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let label = &f.rust_name;
        if f.sensitive {
            quote! { .field(#label, &::apigen_runtime::Redacted::of(&self.#field)) }
        } else {
            quote! { .field(#label, &self.#field) }
        }
    });
    let additional = s.additional.as_ref().map(|(field, _)| {
        let ident = ident(field);
        quote! { .field(#field, &self.#ident) }
    });
    quote! {
        impl ::std::fmt::Debug for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name)
                    #( #fields )*
                    #additional
                    .finish()
            }
        }
    }
}

/// A struct's field; with `derived`, the attributes of serde's derived `Serialize`.
fn field_item(model: &ApiModel, field: &Field, derived: bool) -> TokenStream {
    let name = ident(&field.rust_name);
    let doc = field_doc_attrs(&field.doc, &field.rules);
    let mut serde = Vec::new();
    if derived && field.rust_name != field.wire_name {
        let wire = &field.wire_name;
        serde.push(quote!(rename = #wire));
    }
    // Deserialization is the struct's own (see `struct_deserialize`): these are serde's for
    // writing.
    let ty = type_tokens(model, &field.ty);
    let ty = if field.required {
        ty
    } else {
        if derived {
            serde.push(quote!(skip_serializing_if = "::std::option::Option::is_none"));
        }
        quote!(#OPTION<#ty>)
    };
    let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
    quote! {
        #doc
        #serde
        pub #name: #ty,
    }
}

/// Dates, date-times and UUIDs (following aliases).
fn is_strict_format(model: &ApiModel, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Primitive(p) => matches!(p, Primitive::Date | Primitive::DateTime | Primitive::Uuid),
        TypeRef::Named(id) => match &model.type_def(*id).kind {
            TypeKind::Alias(target) => is_strict_format(model, target),
            _ => false,
        },
        _ => false,
    }
}

/// Types whose values serde alone would read differently from JSON Schema (integers written
/// `12.0`, dates in forms RFC 3339 does not allow), and arrays and maps of them: they are read
/// through `apigen_runtime::de::Strict`.
fn is_strict(model: &ApiModel, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Primitive(p) => matches!(
            p,
            Primitive::I32
                | Primitive::I64
                | Primitive::U32
                | Primitive::U64
                | Primitive::Date
                | Primitive::DateTime
                | Primitive::Uuid
        ),
        TypeRef::Named(id) => match &model.type_def(*id).kind {
            TypeKind::Alias(target) => is_strict(model, target),
            _ => false,
        },
        TypeRef::Vec(item) | TypeRef::Map(item) | TypeRef::Nullable(item) => is_strict(model, item),
        TypeRef::Boxed(_) => false,
    }
}

/// A string enum. A value the spec does not list reads into the `unknown` variant and writes
/// back as the same text, so that one value the API added does not fail a whole response;
/// validation refuses it.
fn string_enum_item(name: &Ident, doc: &TokenStream, variants: &[EnumVariant<String>], unknown: &str) -> TokenStream {
    let unknown = ident(unknown);
    let items = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        quote! { #variant, }
    });
    let as_str = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.value;
        quote! { Self::#variant => #wire, }
    });
    let reads = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.value;
        quote! { #wire => #SOME(Self::#variant), }
    });
    let values = variants.iter().map(|v| &v.value);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #items )*
            /// A value the spec does not list (the API may have added it since), kept as sent.
            /// Validation refuses it, so a request never carries one.
            #unknown(#STRING),
        }

        impl #name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #as_str )*
                    Self::#unknown(value) => value,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> #RESULT<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #RESULT<Self, D::Error> {
                de::string_enum(
                    deserializer,
                    &[#( #values ),*],
                    |value| match value {
                        #( #reads )*
                        _ => #NONE,
                    },
                    Self::#unknown,
                )
            }
        }
    }
}

fn integer_enum_item(name: &Ident, doc: &TokenStream, variants: &[EnumVariant<i64>]) -> TokenStream {
    let items = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = Literal::i64_unsuffixed(v.value);
        quote! { #variant = #value, }
    });
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = Literal::i128_unsuffixed(v.value.into());
        quote! { #value => #OK(Self::#variant), }
    });
    let expected = variants.iter().map(|v| format!("`{}`", v.value)).collect::<Vec<_>>().join(", ");
    let type_name = name.to_string();
    quote! {
        #doc
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(i64)]
        pub enum #name {
            #( #items )*
        }

        impl #name {
            /// The value as it is written on the wire.
            pub fn value(self) -> i64 {
                self as i64
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> #RESULT<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #RESULT<Self, D::Error> {
                // Read as JSON Schema reads integers (`1.0` is 1), then matched.
                match de::integer(deserializer, i64::MIN.into(), i64::MAX.into(), #type_name)? {
                    #( #arms )*
                    other => #ERR(<D::Error as serde::de::Error>::custom(
                        ::std::format!("unknown variant `{other}`, expected one of {}", #expected),
                    )),
                }
            }
        }
    }
}

fn union_item(
    model: &ApiModel,
    name: &Ident,
    doc: &TokenStream,
    variants: &[UnionVariant],
    unknown: Option<&str>,
) -> TokenStream {
    let Some(unknown) = unknown.map(ident) else {
        let items = variants.iter().map(|v| {
            // Dates and UUIDs in their exact form only.
            let with = strict_format_reader(model, &v.ty).map(|reader| {
                let with = match reader {
                    StrictReader::Nullable => "::apigen_runtime::de::strict_nullable",
                    StrictReader::Plain => "::apigen_runtime::de::strict",
                };
                quote!(#[serde(deserialize_with = #with)])
            });
            union_variant(model, v, with)
        });
        return quote! {
            #doc
            ///
            /// Reading JSON takes the first variant, in declaration order, that the value fits.
            // The variants mirror the spec's alternatives, a struct beside a string as often as
            // not: boxing them would only move the cost to every use.
            #[allow(clippy::large_enum_variant)]
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(crate = "::apigen_runtime::serde")]
            #[serde(untagged)]
            pub enum #name {
                #( #items )*
            }
        };
    };
    let items = variants.iter().map(|v| union_variant(model, v, None));
    // Each alternative in declaration order, from the value `apigen_runtime::de::untagged`
    // buffered, as serde's untagged derive would try them.
    let mut reads = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let read = match strict_format_reader(model, &v.ty) {
            Some(StrictReader::Nullable) => quote!(de::strict_nullable),
            Some(StrictReader::Plain) => quote!(de::strict),
            None => quote!(serde::Deserialize::deserialize),
        };
        quote!(#read(value).map(Self::#variant))
    });
    let read = match reads.next() {
        Some(first) => quote!(#first #( .or_else(|_| #reads) )*),
        // No alternative: every value is the unknown one.
        None => quote! {
            #ERR(<::apigen_runtime::serde_json::Error as serde::de::Error>::custom(""))
        },
    };
    let type_name = name.to_string();
    let unknown_doc = format!(" value that none fits is kept as JSON in `{unknown}`.");
    // Writing is derived; reading goes through `apigen_runtime::de::untagged`, which falls back
    // to the unknown variant.
    quote! {
        #doc
        ///
        /// Reading JSON takes the first variant, in declaration order, that the value fits; a
        #[doc = #unknown_doc]
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(crate = "::apigen_runtime::serde")]
        #[serde(untagged)]
        pub enum #name {
            #( #items )*
            /// A value no alternative reads (the API may have added one since), kept as JSON.
            /// Validation refuses it, so a request never carries one.
            #unknown(::apigen_runtime::serde_json::Value),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #RESULT<Self, D::Error> {
                de::untagged(deserializer, #type_name, |value| #read, Self::#unknown)
            }
        }
    }
}

/// A variant of an untagged union, with its `#[serde(...)]` attribute if any.
fn union_variant(model: &ApiModel, v: &UnionVariant, with: Option<TokenStream>) -> TokenStream {
    let variant = ident(&v.rust_name);
    let doc = doc_attrs(&v.doc);
    let ty = type_tokens(model, &v.ty);
    quote! { #doc #with #variant(#ty), }
}

/// How an untagged union's alternative that is a date, date-time or UUID (or a nullable one)
/// is read, so that it is read in its exact form only: `apigen_runtime::de::strict_nullable`
/// or `strict`. Integers stay as serde reads them here: `0.0` belongs to a float alternative
/// declared after the integer one, and reading it as the integer would rewrite the wire form.
enum StrictReader {
    Nullable,
    Plain,
}

fn strict_format_reader(model: &ApiModel, ty: &TypeRef) -> Option<StrictReader> {
    match ty {
        TypeRef::Nullable(inner) if is_strict_format(model, inner) => Some(StrictReader::Nullable),
        ty if is_strict_format(model, ty) => Some(StrictReader::Plain),
        _ => None,
    }
}

/// A union with a discriminator: written untagged (each variant's struct writes the
/// discriminator property itself, once), read by the property's value, which selects exactly
/// one variant (see `apigen_runtime::de::Tagged`).
fn tagged_union_item(
    model: &ApiModel,
    name: &Ident,
    doc: &TokenStream,
    variants: &[UnionVariant],
    property: &str,
    unknown: &str,
) -> TokenStream {
    let items = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let doc = doc_attrs(&v.doc);
        let ty = type_tokens(model, &v.ty);
        quote! { #doc #variant(#ty), }
    });
    let unknown = ident(unknown);
    let values: Vec<&String> = variants.iter().flat_map(|v| &v.tags).collect();
    let mut next = 0usize;
    let arms = variants.iter().enumerate().map(|(i, v)| {
        let variant = ident(&v.rust_name);
        let indices = (next..next + v.tags.len()).map(Literal::usize_unsuffixed);
        next += v.tags.len();
        // `Tagged::read` gives only indices of values listed, so the last variant takes what
        // is left.
        let pattern = if i + 1 == variants.len() { quote!(_) } else { quote!(#( #indices )|*) };
        quote! { #SOME(#pattern) => tagged.variant().map(Self::#variant), }
    });
    let select = quote! {
        match tagged.index() {
            #( #arms )*
            #NONE => #OK(Self::#unknown(tagged.into_object())),
        }
    };
    let selection: Vec<String> = variants
        .iter()
        .map(|v| {
            let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t}`")).collect();
            format!(" `{}` when it is {}.", v.rust_name, tags.join(" or "))
        })
        .collect();
    let read_doc = format!(" Reading JSON reads the variant its `{property}` property selects:");
    let unknown_doc = format!(" `{unknown}` when it is another string.");
    quote! {
        #doc
        ///
        #[doc = #read_doc]
        #( #[doc = #selection] )*
        #[doc = #unknown_doc]
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(crate = "::apigen_runtime::serde")]
        #[serde(untagged)]
        pub enum #name {
            #( #items )*
            /// An object whose discriminator value this crate does not know (the API may have
            /// added an alternative since), kept as JSON. Validation refuses it, so a request
            /// never carries one.
            #unknown(::apigen_runtime::serde_json::Value),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> #RESULT<Self, D::Error> {
                let tagged = de::Tagged::read(deserializer, #property, &[#( #values ),*])?;
                #select
            }
        }
    }
}

/// The name of a string enum's variant for values the spec does not list: lowering names it in
/// every string enum.
pub fn unknown_variant(def: &TypeDef) -> &str {
    def.unknown.as_deref().unwrap_or(crate::naming::UNKNOWN_VALUE)
}

/// The name of a union's variant for values no alternative reads: lowering names it in every
/// union without a variant of any JSON, discriminated unions included.
pub fn unknown_alternative(def: &TypeDef) -> Option<&str> {
    def.unknown.as_deref().or(def.discriminator.is_some().then_some(crate::naming::UNKNOWN_ALTERNATIVE))
}

/// The Rust type of a type reference.
pub fn type_tokens(model: &ApiModel, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Primitive(p) => primitive_tokens(*p),
        TypeRef::Named(id) => {
            let name = ident(&model.type_def(*id).name);
            quote!(#name)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(model, inner);
            quote!(#OPTION<#inner>)
        }
        TypeRef::Vec(inner) => {
            let inner = type_tokens(model, inner);
            quote!(#VEC<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(model, inner);
            quote!(::std::collections::BTreeMap<#STRING, #inner>)
        }
        TypeRef::Boxed(inner) => {
            let inner = type_tokens(model, inner);
            quote!(#BOX<#inner>)
        }
    }
}

fn primitive_tokens(p: Primitive) -> TokenStream {
    match p {
        Primitive::String => quote!(#STRING),
        Primitive::Bool => quote!(bool),
        Primitive::I32 => quote!(i32),
        Primitive::I64 => quote!(i64),
        Primitive::U32 => quote!(u32),
        Primitive::U64 => quote!(u64),
        Primitive::F32 => quote!(f32),
        Primitive::F64 => quote!(f64),
        Primitive::Decimal => quote!(::apigen_runtime::serde_json::Number),
        Primitive::Date => quote!(::apigen_runtime::chrono::NaiveDate),
        Primitive::DateTime => quote!(::apigen_runtime::chrono::DateTime<::apigen_runtime::chrono::FixedOffset>),
        Primitive::Uuid => quote!(::apigen_runtime::uuid::Uuid),
        Primitive::Binary => quote!(::apigen_runtime::Binary),
        Primitive::Value => quote!(::apigen_runtime::serde_json::Value),
    }
}

pub fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

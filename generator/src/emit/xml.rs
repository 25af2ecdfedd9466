//! Emit of `src/xml.rs`: the XML form of every type that has one ([`TypeDef::xml`]), as
//! explicit code per type over `apigen_runtime::xml`.
//!
//! Each such struct, enum and union implements `apigen_runtime::xml::XmlValue` (read from an
//! element, write as one); enums implement `XmlText` too, so that they can be attributes.
//! Each also gets `from_xml` and `to_xml` for a whole document whose root element is the
//! type's own. Properties are read and written in the schema's order, attributes first; the
//! names, namespaces, prefixes and wrapping are those lowering resolved.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::types::{ident, type_tokens};
use crate::emit::prelude::{BOX, ERR, OK, RESULT, SOME, STRING, VEC};
use crate::model::{ApiModel, EnumVariant, Field, Struct, TypeDef, TypeKind, TypeRef, UnionVariant, Xml};

/// Whether the crate has any type with an XML form, and so an `xml` module.
pub fn needed(model: &ApiModel) -> bool {
    model.types.iter().any(has_form)
}

pub(super) fn has_form(def: &TypeDef) -> bool {
    def.xml.is_some() && !matches!(def.kind, TypeKind::Alias(_))
}

/// Items for `lib.rs`: the module and the error type, where the crate has an XML form, each
/// behind `gate` (the crate's `xml` feature, or nothing where the crate is one module).
pub fn lib_items(module: TokenStream, gate: &TokenStream) -> TokenStream {
    quote! {
        #gate
        #module

        #gate
        pub use ::apigen_runtime::xml::XmlError;
    }
}

/// The whole `xml` module.
pub fn xml_module(model: &ApiModel) -> TokenStream {
    let items = model
        .types
        .iter()
        .filter(|def| has_form(def))
        .map(|def| super::gated(&super::gate_attr(&def.gate), type_impls(model, def)));
    let runtime = super::runtime_modules(&["xml"]);
    quote! {
        //! XML reading and writing of the types used under an XML media type, and the types
        //! they contain, as the spec's `xml` objects say. See `apigen_runtime::xml` for how
        //! values are read and written.

        #[allow(unused_imports)]
        use super::types::*;
        #runtime

        #( #items )*
    }
}

fn type_impls(model: &ApiModel, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let root = def.xml.as_ref().map(name_tokens).unwrap_or_default();
    let root_text = def.xml.as_ref().map(|x| x.name.clone()).unwrap_or_default();
    let read_doc = format!(" Reads a whole XML document whose root element is `<{root_text}>`.");
    let read_note = " Reading does not check the spec's rules: call `validate` on the value for that.";
    let write_doc = format!(" Writes the value as a whole XML document, with the root element `<{root_text}>`.");
    let root_doc = format!(" The root element of a document holding a `{}`.", def.name);
    let (value_impl, text_impl) = match &def.kind {
        TypeKind::Struct(s) => (struct_impl(model, s), TokenStream::new()),
        TypeKind::StringEnum(variants) => string_enum_impl(&name, variants, super::types::unknown_variant(def)),
        TypeKind::IntegerEnum(variants) => integer_enum_impl(&name, variants),
        TypeKind::Union(variants) => (union_impl(model, def, variants), TokenStream::new()),
        TypeKind::Alias(_) => return TokenStream::new(),
    };
    quote! {
        impl #name {
            #[doc = #root_doc]
            pub const XML_ROOT: xml::XmlName<'static> = #root;

            #[doc = #read_doc]
            ///
            #[doc = #read_note]
            pub fn from_xml(xml: &str) -> #RESULT<Self, xml::XmlError> {
                xml::from_document(xml, &Self::XML_ROOT)
            }

            #[doc = #write_doc]
            pub fn to_xml(&self) -> #STRING {
                xml::to_document(self, &Self::XML_ROOT)
            }
        }

        impl xml::XmlValue for #name {
            #value_impl
        }

        #text_impl
    }
}

/// `XmlName::new("id").namespace("urn:x").prefix("x")`.
fn name_tokens(xml: &Xml) -> TokenStream {
    let local = &xml.name;
    let mut tokens = quote!(xml::XmlName::new(#local));
    if let Some(namespace) = &xml.namespace {
        tokens = quote!(#tokens.namespace(#namespace));
    }
    if let Some(prefix) = &xml.prefix {
        tokens = quote!(#tokens.prefix(#prefix));
    }
    tokens
}

/// How a field's value sits in its element, seen through aliases.
enum Shape {
    /// A list: the Rust type of an item, and whether the field holds it in a `Box`.
    List { item: TokenStream, boxed: bool },
    /// Anything else: one element (or attribute) of the field's own type.
    Single,
}

fn shape(model: &ApiModel, ty: &TypeRef) -> Shape {
    let (ty, boxed) = match ty {
        TypeRef::Boxed(inner) => (inner.as_ref(), true),
        other => (other, false),
    };
    let resolved = model.resolve(ty);
    if let TypeRef::Vec(item) = resolved {
        return Shape::List { item: type_tokens(model, item), boxed };
    }
    Shape::Single
}

/// The field's type without the `Option` of an optional or nullable field, and whether it has
/// one. XML has no `null`: a `null` is written as an absent element or attribute, as `None` is.
fn value_type(field: &Field) -> (&TypeRef, bool) {
    match &field.ty {
        TypeRef::Nullable(inner) => (inner.as_ref(), true),
        other => (other, !field.required),
    }
}

/// An optional field that is also nullable: its `Option<Option<T>>` is read and written
/// through the inner `Option`, the outer one `Some` where the XML has a value.
fn doubly_optional(field: &Field) -> bool {
    !field.required && matches!(field.ty, TypeRef::Nullable(_))
}

fn struct_impl(model: &ApiModel, s: &Struct) -> TokenStream {
    let deny = s.deny_unknown_fields;
    let mut reads = Vec::new();
    let mut attribute_writes = Vec::new();
    let mut element_writes = Vec::new();
    for field in &s.fields {
        let member = ident(&field.rust_name);
        let xml = field.xml.clone().unwrap_or_else(|| Xml { name: field.wire_name.clone(), ..Xml::default() });
        let name = name_tokens(&xml);
        let (ty, optional) = value_type(field);
        let double = doubly_optional(field);
        // Where the value is: the field, or for a doubly optional one the inner `Option`,
        // bound by the `if let` around its write below.
        let place = if double { quote!(value) } else { quote!(self.#member) };
        let (read, write) = if xml.attribute {
            let ty = type_tokens(model, ty);
            if optional {
                (quote!(fields.attribute::<#ty>(&#name)?), quote!(writer.attribute(&#name, #place.as_ref());))
            } else {
                (
                    quote!(fields.required_attribute::<#ty>(&#name)?),
                    quote!(writer.attribute(&#name, #SOME(&self.#member));),
                )
            }
        } else {
            match shape(model, ty) {
                Shape::List { item, boxed } => {
                    let items_xml = field.xml_items.clone().unwrap_or_else(|| xml.clone());
                    let item_name = name_tokens(&items_xml);
                    list_field(&place, &name, &item_name, &item, xml.wrapped, optional, boxed)
                }
                Shape::Single => {
                    let ty = type_tokens(model, ty);
                    if optional {
                        (quote!(fields.element::<#ty>(&#name)?), quote!(writer.element(&#name, #place.as_ref());))
                    } else {
                        (
                            quote!(fields.required_element::<#ty>(&#name)?),
                            quote!(writer.element(&#name, #SOME(&self.#member));),
                        )
                    }
                }
            }
        };
        let (read, write) = if double {
            (quote!(#read.map(#SOME)), quote! { if let #SOME(value) = &self.#member { #write } })
        } else {
            (read, write)
        };
        reads.push(quote!(#member: #read,));
        if xml.attribute {
            attribute_writes.push(write);
        } else {
            element_writes.push(write);
        }
    }
    let additional = s.additional.as_ref().map(|(field, _)| {
        let field = ident(field);
        quote!(#field: ::std::collections::BTreeMap::new(),)
    });
    let fields_binding = if s.fields.is_empty() { quote!(fields) } else { quote!(mut fields) };
    quote! {
        fn read_xml(element: &xml::Element<'_>) -> #RESULT<Self, xml::XmlError> {
            let #fields_binding = xml::Fields::new(element, #deny);
            let value = Self {
                #( #reads )*
                #additional
            };
            fields.finish()?;
            #OK(value)
        }

        fn write_xml(&self, writer: &mut xml::XmlWriter, name: &xml::XmlName<'_>) {
            writer.start(name);
            #( #attribute_writes )*
            #( #element_writes )*
            writer.end();
        }
    }
}

/// Reading and writing of a list field, wrapped or not.
fn list_field(
    place: &TokenStream,
    name: &TokenStream,
    item_name: &TokenStream,
    item: &TokenStream,
    wrapped: bool,
    optional: bool,
    boxed: bool,
) -> (TokenStream, TokenStream) {
    let boxing = |read: TokenStream| match (boxed, optional) {
        (false, _) => read,
        (true, false) => quote!(#BOX::new(#read)),
        (true, true) => quote!(#read.map(#BOX::new)),
    };
    let slices = match (optional, boxed) {
        (false, _) => quote!(#SOME(#place.as_slice())),
        (true, false) => quote!(#place.as_deref()),
        (true, true) => quote!(#place.as_deref().map(#VEC::as_slice)),
    };
    match (wrapped, optional) {
        (true, true) => (
            boxing(quote!(fields.wrapped::<#item>(&#name, &#item_name)?)),
            quote!(writer.wrapped(&#name, &#item_name, #slices);),
        ),
        (true, false) => (
            boxing(quote!(fields.required_wrapped::<#item>(&#name, &#item_name)?)),
            quote!(writer.wrapped(&#name, &#item_name, #slices);),
        ),
        (false, true) => (
            boxing(quote!(fields.optional_list::<#item>(&#item_name)?)),
            quote!(writer.list(&#item_name, #slices.unwrap_or_default());),
        ),
        (false, false) => {
            (boxing(quote!(fields.list::<#item>(&#item_name)?)), quote!(writer.list(&#item_name, #place.as_slice());))
        }
    }
}

/// `XmlValue` for an enum, through its `XmlText`.
fn text_value_impl() -> TokenStream {
    quote! {
        const EMPTY_IS_ABSENT: bool = true;

        fn read_xml(element: &xml::Element<'_>) -> #RESULT<Self, xml::XmlError> {
            xml::read_text(element)
        }

        fn write_xml(&self, writer: &mut xml::XmlWriter, name: &xml::XmlName<'_>) {
            xml::write_text(writer, name, self);
        }
    }
}

fn expected_one_of(values: &[String]) -> String {
    let listed: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    format!("expected one of {}", listed.join(", "))
}

/// A value the spec does not list reads into the enum's unknown variant, as in JSON.
fn string_enum_impl(
    name: &proc_macro2::Ident,
    variants: &[EnumVariant<String>],
    unknown: &str,
) -> (TokenStream, TokenStream) {
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let wire = &v.value;
        quote!(#wire => Self::#variant,)
    });
    let unknown = ident(unknown);
    let text_impl = quote! {
        impl xml::XmlText for #name {
            fn from_xml_text(text: &str) -> #RESULT<Self, #STRING> {
                #OK(match text.trim() {
                    #( #arms )*
                    other => Self::#unknown(other.to_owned()),
                })
            }

            fn to_xml_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    };
    (text_value_impl(), text_impl)
}

fn integer_enum_impl(name: &proc_macro2::Ident, variants: &[EnumVariant<i64>]) -> (TokenStream, TokenStream) {
    let arms = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = Literal::i64_unsuffixed(v.value);
        quote!(#OK(#value) => #OK(Self::#variant),)
    });
    let expected = expected_one_of(&variants.iter().map(|v| v.value.to_string()).collect::<Vec<_>>());
    let text_impl = quote! {
        impl xml::XmlText for #name {
            fn from_xml_text(text: &str) -> #RESULT<Self, #STRING> {
                match text.trim().parse::<i64>() {
                    #( #arms )*
                    _ => #ERR(#STRING::from(#expected)),
                }
            }

            fn to_xml_text(&self) -> ::std::borrow::Cow<'_, str> {
                ::std::borrow::Cow::Owned(self.value().to_string())
            }
        }
    };
    (text_value_impl(), text_impl)
}

/// XML has no form for a value no alternative reads: reading stays an error, and the unknown
/// variant (read from JSON) writes its JSON as `serde_json::Value` does.
fn union_impl(model: &ApiModel, def: &TypeDef, variants: &[UnionVariant]) -> TokenStream {
    let type_name = &def.name;
    let tries = variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = type_tokens(model, &v.ty);
        quote! {
            if let #OK(value) = <#ty as xml::XmlValue>::read_xml(element) {
                return #OK(Self::#variant(value));
            }
        }
    });
    let arms =
        variants.iter().map(|v| v.rust_name.as_str()).chain(super::types::unknown_alternative(def)).map(|variant| {
            let variant = ident(variant);
            quote!(Self::#variant(value) => xml::XmlValue::write_xml(value, writer, name),)
        });
    quote! {
        fn read_xml(element: &xml::Element<'_>) -> #RESULT<Self, xml::XmlError> {
            #( #tries )*
            #ERR(xml::no_alternative(element, #type_name))
        }

        fn write_xml(&self, writer: &mut xml::XmlWriter, name: &xml::XmlName<'_>) {
            match self {
                #( #arms )*
            }
        }
    }
}

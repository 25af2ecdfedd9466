//! Parameters: how a method takes each (by value, by reference, as `&str`) and the
//! statements that write it into the path, the query or a header as text, in its style.

use proc_macro2::TokenStream;
use quote::quote;

use super::forms::is_scalar;
use crate::emit::prelude::{STRING, VEC};
use crate::emit::types::type_tokens;
use crate::model::{ApiModel, Parameter, Primitive, Style, TypeKind, TypeRef};

/// How a required parameter is taken: strings as `&str`, small copyable values by value,
/// anything else by reference.
pub(super) fn argument_type(model: &ApiModel, ty: &TypeRef) -> TokenStream {
    let written = type_tokens(model, ty.non_null());
    match model.underlying(ty) {
        TypeRef::Primitive(Primitive::String) => quote!(&str),
        _ if by_reference(model, ty) => quote!(&#written),
        _ => written,
    }
}

/// Whether [`argument_type`] takes the parameter by reference.
pub(super) fn by_reference(model: &ApiModel, ty: &TypeRef) -> bool {
    match model.underlying(ty) {
        TypeRef::Primitive(Primitive::String | Primitive::Value | Primitive::Decimal | Primitive::Binary) => true,
        TypeRef::Primitive(_) => false,
        // String enums hold their unknown variant's text, so only integer enums are `Copy`.
        TypeRef::Named(id) => !matches!(model.type_def(*id).kind, TypeKind::IntegerEnum(_)),
        _ => true,
    }
}

/// A parameter value as the text that goes on the wire. `value` is the argument (a value or a
/// reference; method calls auto-reference).
pub(super) fn to_text(model: &ApiModel, value: TokenStream, ty: &TypeRef) -> TokenStream {
    match model.underlying(ty) {
        TypeRef::Primitive(Primitive::String) => quote!(#value.to_string()),
        TypeRef::Primitive(Primitive::DateTime) => quote!(#value.to_rfc3339()),
        TypeRef::Primitive(Primitive::Value) => quote!(client::plain_text(#value)),
        TypeRef::Primitive(Primitive::Binary) => {
            quote!(#STRING::from_utf8_lossy(#value.bytes()).into_owned())
        }
        TypeRef::Primitive(_) => quote!(#value.to_string()),
        TypeRef::Named(id) => match &model.type_def(*id).kind {
            TypeKind::StringEnum(_) => quote!(#value.as_str().to_owned()),
            TypeKind::IntegerEnum(_) => quote!(#value.value().to_string()),
            _ => quote!(check::to_json(#value).to_string()),
        },
        _ => quote!(check::to_json(#value).to_string()),
    }
}

/// A parameter value as a `&str` expression: a string as it is, anything else through its
/// wire text.
pub(super) fn str_arg(model: &ApiModel, value: TokenStream, ty: &TypeRef) -> TokenStream {
    let string_enum = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => matches!(model.type_def(*id).kind, TypeKind::StringEnum(_)),
        _ => false,
    };
    let resolved = model.underlying(ty);
    if matches!(resolved, TypeRef::Primitive(Primitive::String)) {
        value
    } else if string_enum(resolved) {
        quote!(#value.as_str())
    } else {
        let text = to_text(model, value, ty);
        quote!(&#text)
    }
}

/// A query parameter, as its `style` and `explode` say: scalars as themselves; arrays as
/// repeated pairs (`explode`) or one value joined by `,` (` ` for `spaceDelimited`, `|` for
/// `pipeDelimited`); objects and `deepObject` through `Request::query_value`.
pub(super) fn put_query(model: &ApiModel, wire: &str, value: TokenStream, p: &Parameter) -> TokenStream {
    let ty = &p.ty;
    let resolved = model.underlying(ty);
    let scalar_items = match resolved {
        TypeRef::Vec(item) if p.style != Style::DeepObject && is_scalar(model, item) => Some(&**item),
        _ => None,
    };
    if let Some(item) = scalar_items {
        let text = to_text(model, quote!(item), item);
        let separator = match p.style {
            Style::SpaceDelimited => " ",
            Style::PipeDelimited => "|",
            _ => ",",
        };
        return if p.explode && p.style == Style::Form {
            quote! { for item in #value.iter() { request.query(#wire, #text); } }
        } else {
            quote! { request.query(#wire, #value.iter().map(|item| #text).collect::<#VEC<_>>().join(#separator)); }
        };
    }
    if p.style == Style::DeepObject
        || !is_scalar(model, ty) && !matches!(resolved, TypeRef::Primitive(Primitive::Value))
    {
        let style = style_tokens(p.style);
        let explode = p.explode;
        return quote! { request.query_value(#wire, &check::to_json(#value), #style, #explode); };
    }
    let text = to_text(model, value, ty);
    quote! { request.query(#wire, #text); }
}

pub(super) fn style_tokens(style: Style) -> TokenStream {
    match style {
        Style::Simple | Style::Form => quote!(client::Style::Form),
        Style::SpaceDelimited => quote!(client::Style::SpaceDelimited),
        Style::PipeDelimited => quote!(client::Style::PipeDelimited),
        Style::DeepObject => quote!(client::Style::DeepObject),
    }
}

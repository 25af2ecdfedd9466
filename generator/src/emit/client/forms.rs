//! Form bodies: the struct a `multipart/form-data` or `application/x-www-form-urlencoded`
//! body is made from, the statements that write each of its fields as a part or a pair, and
//! the checks of the content types its `encoding` allows.

use proc_macro2::TokenStream;
use quote::quote;

use super::alias_of_nullable;
use super::params::{style_tokens, to_text};
use crate::emit::prelude::{OPTION, SOME};
use crate::emit::types::ident;
use crate::model::{ApiModel, Field, FormBody, FormKind, Primitive, Struct, TypeKind, TypeRef};

/// The struct a form body is made from, through aliases.
pub(in crate::emit) fn form_struct<'m>(model: &'m ApiModel, form: &FormBody) -> Option<&'m Struct> {
    match model.underlying(&form.ty) {
        TypeRef::Named(id) => match &model.type_def(*id).kind {
            TypeKind::Struct(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// The content types the form's `encoding` allows for a property, if it lists any.
fn allowed_types<'f>(form: &'f FormBody, wire: &str) -> Option<&'f [String]> {
    form.encoding
        .iter()
        .find(|(name, _)| name == wire)
        .map(|(_, e)| e.content_types.as_slice())
        .filter(|t| !t.is_empty())
}

/// Checks of the file parts' content types against the form's `encoding`, on `v` (the body);
/// for bytes, of the body's content type against the body's media types.
pub(in crate::emit) fn content_type_checks(model: &ApiModel, form: &FormBody) -> TokenStream {
    if form.kind == FormKind::Raw {
        let allowed = &form.media_types;
        return quote! { ::apigen_runtime::binary::check_content_type(cx, v, &[#( #allowed ),*]); };
    }
    let Some(s) = form_struct(model, form) else { return TokenStream::new() };
    let mut out = Vec::new();
    for field in &s.fields {
        let Some(allowed) = allowed_types(form, &field.wire_name) else { continue };
        let (each, is_list) = match model.underlying(&field.ty) {
            TypeRef::Vec(item) => (model.underlying(item), true),
            other => (other, false),
        };
        if !matches!(each, TypeRef::Primitive(Primitive::Binary)) {
            continue;
        }
        let wire = &field.wire_name;
        let check = if is_list {
            quote! { for (i, file) in files.iter().enumerate() { cx.push_index(i); ::apigen_runtime::binary::check_content_type(cx, file, &[#( #allowed ),*]); cx.pop(); } }
        } else {
            quote! { ::apigen_runtime::binary::check_content_type(cx, files, &[#( #allowed ),*]); }
        };
        out.push(with_field(quote!(v), field, quote!(files), quote! { cx.push_key(#wire); #check cx.pop(); }));
    }
    quote!(#( #out )*)
}

/// `body` with `binding` bound to a reference to `owner`'s field, run only when the field has
/// a value (it is an `Option` where it is not required, and where it is nullable: both, an
/// `Option<Option<T>>`, for an optional nullable one). A form cannot say `null`: it is left
/// out, as an absent value is.
fn with_field(owner: TokenStream, field: &Field, binding: TokenStream, body: TokenStream) -> TokenStream {
    let name = ident(&field.rust_name);
    let nullable = matches!(field.ty, TypeRef::Nullable(_));
    if !field.required && nullable {
        quote! { if let #SOME(#SOME(#binding)) = &#owner.#name { #body } }
    } else if !field.required || nullable {
        quote! { if let #SOME(#binding) = &#owner.#name { #body } }
    } else {
        quote! { { let #binding = &#owner.#name; #body } }
    }
}

/// Puts a form body (`body`) on the request.
pub(super) fn form_body(model: &ApiModel, form: &FormBody) -> TokenStream {
    match form.kind {
        FormKind::Raw => {
            // The first media type that names one type, else the generic one.
            let default =
                form.media_types.iter().find(|m| !m.contains('*')).map_or("application/octet-stream", String::as_str);
            quote! { request.binary_body(body, #default)?; }
        }
        FormKind::UrlEncoded => {
            let encodings = form.encoding.iter().map(|(name, e)| {
                let style = style_tokens(e.style);
                let explode = e.explode;
                quote!((#name, #style, #explode))
            });
            quote! {
                request.form_body(&client::form_pairs(&check::to_json(body), &[#( #encodings ),*]))?;
            }
        }
        FormKind::Multipart => {
            let Some(s) = form_struct(model, form) else { return quote!() };
            let mut parts = Vec::new();
            for field in &s.fields {
                let wire = &field.wire_name;
                let default_type = allowed_types(form, wire)
                    .and_then(|t| t.first())
                    .map_or("application/octet-stream", String::as_str);
                let put = multipart_part(model, quote!(#wire), quote!(value), &field.ty, default_type);
                parts.push(with_field(quote!(body), field, quote!(value), put));
            }
            if let Some((field, ty)) = &s.additional {
                let name = ident(field);
                let put = multipart_part(model, quote!(key), quote!(value), ty, "application/octet-stream");
                parts.push(quote! { for (key, value) in &body.#name { #put } });
            }
            quote! {
                let mut form = client::Multipart::new();
                #( #parts )*
                request.multipart_body(form);
            }
        }
    }
}

/// The part(s) of one property of a multipart body (`value`, a reference), as OpenAPI 3.0
/// says: a file for a binary value, text for a scalar, one part per item for an array of
/// those, JSON for anything else.
fn multipart_part(
    model: &ApiModel,
    name: TokenStream,
    value: TokenStream,
    ty: &TypeRef,
    default_type: &str,
) -> TokenStream {
    // A name for a nullable type (OpenAI's `PartialImages`, `anyOf: [integer, null]`) is an
    // `Option`: a null value sends no part.
    if let Some(inner) = alias_of_nullable(model, ty) {
        let put = multipart_part(model, name, quote!(value), inner, default_type);
        // Through `as_ref`, which clippy does not ask to fold into the field's own `if let`.
        return quote! { if let #SOME(value) = #OPTION::as_ref(#value) { #put } };
    }
    let resolved = model.underlying(ty);
    if let TypeRef::Vec(item) = resolved {
        if is_scalar(model, item) {
            let each = multipart_part(model, name, quote!(item), item, default_type);
            return quote! { for item in #value.iter() { #each } };
        }
    }
    match resolved {
        TypeRef::Primitive(Primitive::Binary) => quote! { form.file(#name, #value, #default_type); },
        TypeRef::Primitive(Primitive::Value) => {
            quote! { form.text(#name, client::plain_text(#value)); }
        }
        _ if is_scalar(model, resolved) => {
            let text = to_text(model, value, resolved);
            quote! { form.text(#name, #text); }
        }
        _ => quote! { form.json(#name, #value)?; },
    }
}

/// Strings, numbers, booleans, dates, UUIDs, enums and files: what a part holds as itself.
pub(in crate::emit) fn is_scalar(model: &ApiModel, ty: &TypeRef) -> bool {
    match model.underlying(ty) {
        TypeRef::Primitive(Primitive::Value) => false,
        TypeRef::Primitive(_) => true,
        TypeRef::Named(id) => matches!(model.type_def(*id).kind, TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_)),
        _ => false,
    }
}

//! Emit of the mock's answers (`src/mock.rs`, feature `mock`): what a valid request is
//! answered with when no handler is registered (the spec's example, a generated value, or a
//! `501` saying there is none), and the `send_<operation>` function that checks every answer
//! against its response's schema and status before it is sent, as JSON or XML as the request
//! asks.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use crate::emit::client::{boxed, response_body, xml_form};
use crate::emit::prelude::{BOX, NONE, OPTION, SOME};
use crate::emit::types::{ident, type_tokens};
use crate::emit::validate::Checks;
use crate::model::{ApiModel, Operation, Primitive, ResponseCase, Rules, Status, TypeKind, TypeRef};

/// The response a request is answered with when no handler is registered: the first success
/// response (else the first documented), with no body, or the spec's example, or a generated
/// value (feature `arbitrary`; `strategies` are the names of the `arbitrary` module's
/// functions, by type), or else `501` saying there is none.
pub(super) fn fallback_reply(model: &ApiModel, strategies: &[(Ident, Ident)], op: &Operation) -> TokenStream {
    let response = ident(&op.response_type);
    let response = quote!(super::super::client::#response);
    let success = op.responses.iter().find(|case| matches!(case.status, Status::Code(200..=299) | Status::Range(2)));
    let Some(case) = success.or(op.responses.first()) else {
        return no_answer(op, quote!(no_answer));
    };
    let variant = ident(&case.variant);
    let Some(ty) = response_body(model, case) else {
        return quote!(Reply::new(#response::#variant));
    };
    let rust = type_tokens(model, ty);
    let wrap = |value: TokenStream| if boxed(model, ty) { quote!(#BOX::new(#value)) } else { value };
    if let Some(example) = &case.example {
        let text = example.to_string();
        let value = wrap(quote!(value));
        return quote! {
            {
                let mut context = ::apigen_runtime::Context::new();
                let cx = &mut context;
                cx.push_key("body");
                match mock::read_json::<#rust>(cx, #text.as_bytes()) {
                    #SOME(value) => Reply::new(#response::#variant(#value)),
                    #NONE => {
                        return mock::Answer::invalid_answer(context.finish().err().map(|e| e.into_vec()).unwrap_or_default());
                    }
                }
            }
        };
    }
    let none_made = no_answer(op, quote!(no_answer));
    // A named type's values come from its function in the `arbitrary` module, which an alias
    // has too, with the alias's own rules (a `pattern` on a string): proptest's `Arbitrary`
    // for what an alias names knows nothing of them. Other bodies (a list, a map) through
    // `Arbitrary`, where proptest can make them.
    let generate = match ty {
        TypeRef::Named(id) if !model.replaced.contains_key(&model.type_def(*id).name) => {
            let function = &strategies[id.0].0;
            quote!(mock::generated_by(super::super::arbitrary::#function))
        }
        _ if generable(model, ty) => quote!(mock::generated()),
        _ => return no_answer(op, quote!(no_generated_answer)),
    };
    let value = wrap(quote!(value));
    // Gated by the crate's `arbitrary` feature, which has the value generators; a
    // deterministic runner, so that the mock answers the same every time.
    quote! {
        {
            #[cfg(not(feature = "arbitrary"))]
            let generated: #OPTION<#rust> = #NONE;
            #[cfg(feature = "arbitrary")]
            let generated: #OPTION<#rust> = #generate;
            match generated {
                #SOME(value) => Reply::new(#response::#variant(#value)),
                #NONE => #none_made,
            }
        }
    }
}

/// `501`: no handler, no example and no generated value, by the runtime's `answer`
/// (`no_answer`, or `no_generated_answer` where the value generators cannot make the body).
fn no_answer(op: &Operation, answer: TokenStream) -> TokenStream {
    let (id, handler) = (&op.id, &op.mock.handler);
    quote!(return mock::Answer::#answer(#id, #handler))
}

/// Whether proptest can make a valid value of `ty` through `Arbitrary`: generated structs,
/// enums and unions (feature `arbitrary`), aliases of what it can make that add no rules of
/// their own (an alias has a strategy function but no `Arbitrary` of its own:
/// `mock::generated` asks for the type it names, whose values know nothing of the alias's
/// rules), and the primitives and collections proptest itself knows (not any JSON value:
/// Discord's and Plaid's maps of them).
fn generable(model: &ApiModel, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => {
            let def = model.type_def(*id);
            match &def.kind {
                _ if model.replaced.contains_key(&def.name) => false,
                TypeKind::Alias(target) => {
                    let own = Rules { reference: None, types: None, nullable: false, ..def.rules.clone() };
                    own.is_empty() && generable(model, target)
                }
                _ => true,
            }
        }
        TypeRef::Primitive(p) => matches!(
            p,
            Primitive::String
                | Primitive::Bool
                | Primitive::I32
                | Primitive::I64
                | Primitive::U32
                | Primitive::U64
                | Primitive::F32
                | Primitive::F64
        ),
        TypeRef::Nullable(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
            generable(model, inner)
        }
    }
}

/// The function that checks a reply against its response (body and status) and writes it.
pub(super) fn send_function(model: &ApiModel, checks: &mut Checks<'_>, op: &Operation, uses_xml: bool) -> TokenStream {
    let send = ident(&format!("send_{}", op.method_name));
    let response = ident(&op.response_type);
    let codes: Vec<u16> =
        op.responses.iter().filter_map(|c| if let Status::Code(code) = c.status { Some(code) } else { None }).collect();
    let ranges: Vec<u16> =
        op.responses.iter().filter_map(|c| if let Status::Range(n) = c.status { Some(n) } else { None }).collect();
    let arms = op.responses.iter().map(|case| arm(model, checks, case, &codes, &ranges, &response));
    let xml = if uses_xml { quote!(xml) } else { quote!(_xml) };
    let doc = format!(
        " Checks a reply to `{}` against the spec (its body's schema, and that the client reads its status as its variant), and writes it.",
        op.id
    );
    let arms: Vec<TokenStream> = arms.collect();
    let context = if arms.iter().any(|arm| crate::emit::uses(arm, "cx")) {
        quote! { let mut context = ::apigen_runtime::Context::new(); let cx = &mut context; }
    } else {
        quote! { let context = ::apigen_runtime::Context::new(); }
    };
    quote! {
        #[doc = #doc]
        pub(super) fn #send(reply: Reply<super::super::client::#response>, #xml: bool) -> mock::Answer {
            #context
            let given = reply.status();
            let (answer, documented, variant) = match &reply.value {
                #( #arms )*
            };
            mock::checked_answer(context, answer, documented, variant, reply.headers())
        }
    }
}

/// One variant of the response enum: its status, its body checked and written.
fn arm(
    model: &ApiModel,
    checks: &mut Checks<'_>,
    case: &ResponseCase,
    codes: &[u16],
    ranges: &[u16],
    response: &proc_macro2::Ident,
) -> TokenStream {
    let variant = ident(&case.variant);
    let name = &case.variant;
    let (status, documented) = match case.status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            (quote!(#code), quote!(status == #code))
        }
        Status::Range(n) => {
            let (low, high) = (Literal::u16_unsuffixed(n * 100), Literal::u16_unsuffixed(n * 100 + 99));
            let inside: Vec<Literal> =
                codes.iter().filter(|c| **c / 100 == n).map(|c| Literal::u16_unsuffixed(*c)).collect();
            let documented = if inside.is_empty() {
                quote!((#low..=#high).contains(&status))
            } else {
                quote!((#low..=#high).contains(&status) && !::std::matches!(status, #( #inside )|*))
            };
            (quote!(#low), documented)
        }
        Status::Default => {
            let mut taken: Vec<TokenStream> = codes
                .iter()
                .map(|c| {
                    let c = Literal::u16_unsuffixed(*c);
                    quote!(#c)
                })
                .collect();
            taken.extend(ranges.iter().map(|n| {
                let (low, high) = (Literal::u16_unsuffixed(n * 100), Literal::u16_unsuffixed(n * 100 + 99));
                quote!(#low..=#high)
            }));
            let documented =
                if taken.is_empty() { quote!(true) } else { quote!(!::std::matches!(status, #( #taken )|*)) };
            (quote!(500), documented)
        }
    };
    let Some(ty) = response_body(model, case) else {
        return quote! {
            super::super::client::#response::#variant => {
                let status = given.unwrap_or(#status);
                (mock::Answer::empty(status), #documented, #name)
            }
        };
    };
    let check = checks.check(ty, &crate::model::Rules::default());
    let deref = boxed(model, ty).then(|| quote!(let v = &**v;));
    let written = match (model.underlying(ty), xml_form(model, ty)) {
        (TypeRef::Primitive(Primitive::Binary), _) => quote! {
            mock::Answer::with_body(status, v.content_type().unwrap_or("application/octet-stream"), v.bytes().to_vec())
        },
        (_, Some((rust, false))) if case.xml_only => quote! {
            mock::Answer::with_body(status, "application/xml", #rust::to_xml(v).into_bytes())
        },
        (_, Some((rust, false))) => quote! {
            if xml {
                mock::Answer::with_body(status, "application/xml", #rust::to_xml(v).into_bytes())
            } else {
                mock::json_answer(status, v)
            }
        },
        _ => quote!(mock::json_answer(status, v)),
    };
    let checked = (!check.is_empty()).then(|| crate::emit::validate::at_key("body", check));
    quote! {
        super::super::client::#response::#variant(v) => {
            #deref
            let status = given.unwrap_or(#status);
            #checked
            (#written, #documented, #name)
        }
    }
}

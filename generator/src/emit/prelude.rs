//! The standard library's names the generated code uses most (`Option`, `Some`, `None`,
//! `String`, `Result`, `Ok`, `Err`, `Box`, `Vec`), written as the prelude names them where
//! that is sound, and by their full paths (`::std::option::Option::Some`) where it is not.
//!
//! It is not sound where a type of the spec has one of those names: every module of the crate
//! imports the types, and an import shadows the prelude. It is not sound in the single module a
//! build script `include!`s either: that sits in the user's crate, which may be
//! `#![no_implicit_prelude]`. So the short names are used only while a crate's files are
//! emitted ([`for_crate`]) and its model names none of them.
//!
//! Why it matters: the nine names are about a tenth of the tokens of a large crate (Stripe's
//! 40,000 `Option`s alone), and every token is built, parsed and formatted once per generation.
//! The choice is a thread-local flag rather than an argument, because the names are written at
//! some two hundred `quote!` sites across the emitters.

use std::cell::Cell;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{quote, ToTokens, TokenStreamExt};

use crate::model::ApiModel;

thread_local! {
    /// Whether the file being emitted on this thread writes the short names.
    static SHORT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `emit` (which makes one file of the crate of `model`) with the short names, where the
/// model allows them.
pub(crate) fn for_crate<R>(model: &ApiModel, emit: impl FnOnce() -> R) -> R {
    with_short(!shadows(model.types.iter().map(|def| def.name.as_str())), emit)
}

/// Whether a type of one of `type_names` would shadow one of the names.
fn shadows<'a>(mut type_names: impl Iterator<Item = &'a str>) -> bool {
    type_names.any(|type_name| Name::ALL.iter().any(|name| name.short() == type_name))
}

fn with_short<R>(short: bool, emit: impl FnOnce() -> R) -> R {
    let before = SHORT.replace(short);
    let result = emit();
    SHORT.set(before);
    result
}

/// One of the names; interpolated into `quote!` as `#OPTION`, `#SOME`, ...
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Name {
    Option,
    Some,
    None,
    String,
    Result,
    Ok,
    Err,
    Box,
    Vec,
}

pub(crate) const OPTION: Name = Name::Option;
pub(crate) const SOME: Name = Name::Some;
pub(crate) const NONE: Name = Name::None;
pub(crate) const STRING: Name = Name::String;
pub(crate) const RESULT: Name = Name::Result;
pub(crate) const OK: Name = Name::Ok;
pub(crate) const ERR: Name = Name::Err;
pub(crate) const BOX: Name = Name::Box;
pub(crate) const VEC: Name = Name::Vec;

impl Name {
    const ALL: [Name; 9] = [OPTION, SOME, NONE, STRING, RESULT, OK, ERR, BOX, VEC];

    /// The name as the prelude has it.
    fn short(self) -> &'static str {
        match self {
            Name::Option => "Option",
            Name::Some => "Some",
            Name::None => "None",
            Name::String => "String",
            Name::Result => "Result",
            Name::Ok => "Ok",
            Name::Err => "Err",
            Name::Box => "Box",
            Name::Vec => "Vec",
        }
    }

    /// The name by its full path.
    fn long(self) -> TokenStream {
        match self {
            Name::Option => quote!(::std::option::Option),
            Name::Some => quote!(::std::option::Option::Some),
            Name::None => quote!(::std::option::Option::None),
            Name::String => quote!(::std::string::String),
            Name::Result => quote!(::std::result::Result),
            Name::Ok => quote!(::std::result::Result::Ok),
            Name::Err => quote!(::std::result::Result::Err),
            Name::Box => quote!(::std::boxed::Box),
            Name::Vec => quote!(::std::vec::Vec),
        }
    }
}

impl ToTokens for Name {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        if SHORT.get() {
            tokens.append(Ident::new(self.short(), Span::call_site()));
        } else {
            tokens.extend(self.long());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_only_inside_a_crate_whose_types_shadow_none_of_the_names() {
        assert!(!shadows(["Pet", "Options", "Results", "Boxed"].into_iter()));
        assert!(shadows(["Pet", "Result"].into_iter()));
        assert!(shadows(["None"].into_iter()));
        let ty = || quote!(#OPTION<#VEC<#STRING>>).to_string();
        let long = ":: std :: option :: Option < :: std :: vec :: Vec < :: std :: string :: String >>";
        assert_eq!(ty(), long);
        assert_eq!(with_short(true, ty), "Option < Vec < String >>");
        assert_eq!(with_short(false, ty), long);
        // The flag is the thread's again afterwards.
        assert_eq!(quote!(#SOME(1)).to_string(), ":: std :: option :: Option :: Some (1)");
    }
}

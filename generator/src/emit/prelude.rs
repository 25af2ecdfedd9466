//! The standard library's names the generated code uses most (`Option`, `Some`, `None`,
//! `String`, `Result`, `Ok`, `Err`, `Box`, `Vec`), written as the prelude names them where
//! that is sound, and by their full paths (`::std::option::Option::Some`) where it is not.
//!
//! A name is not sound short where a type of the spec has that name: every module of the crate
//! imports the types, and an import shadows the prelude (a type `Some` shadows `Some`, and no
//! other). No name is sound short in the single module a build script `include!`s: that sits in
//! the user's crate, which may be `#![no_implicit_prelude]`. So a name is written short only
//! while a crate's files are emitted ([`for_crate`]) and no type of its model has that name.
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
    /// The names the file being emitted on this thread writes short, one bit per [`Name`].
    static SHORT: Cell<u16> = const { Cell::new(0) };
}

/// Runs `emit` (which makes one file of the crate of `model`) with the names that no type of the
/// model shadows written short.
pub(crate) fn for_crate<R>(model: &ApiModel, emit: impl FnOnce() -> R) -> R {
    with_short(unshadowed(model.types.iter().map(|def| def.name.as_str())), emit)
}

/// The names (as [`SHORT`]'s bits) that no type of `type_names` shadows.
fn unshadowed<'a>(type_names: impl Iterator<Item = &'a str>) -> u16 {
    let mut short = Name::ALL.iter().fold(0, |bits, name| bits | name.bit());
    for type_name in type_names {
        if let Some(name) = Name::ALL.iter().find(|name| name.short() == type_name) {
            short &= !name.bit();
        }
    }
    short
}

fn with_short<R>(short: u16, emit: impl FnOnce() -> R) -> R {
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

    /// The name's bit in [`SHORT`].
    fn bit(self) -> u16 {
        1 << self as u16
    }

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
        if SHORT.get() & self.bit() != 0 {
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
    fn each_name_short_unless_a_type_shadows_it_and_only_inside_a_crate() {
        let all = unshadowed(["Pet", "Options", "Results", "Boxed"].into_iter());
        assert_eq!(all, unshadowed(std::iter::empty()));
        let ty = || quote!(#OPTION<#VEC<#STRING>>, #SOME(1), #NONE).to_string();
        let long = ":: std :: option :: Option < :: std :: vec :: Vec < :: std :: string :: String >> , :: std :: option :: Option :: Some (1) , :: std :: option :: Option :: None";
        assert_eq!(ty(), long);
        assert_eq!(with_short(all, ty), "Option < Vec < String >> , Some (1) , None");
        // A type `Some` shadows `Some` alone; `String` and `Vec` shadow themselves.
        assert_eq!(
            with_short(unshadowed(["Some"].into_iter()), ty),
            "Option < Vec < String >> , :: std :: option :: Option :: Some (1) , None"
        );
        assert_eq!(
            with_short(unshadowed(["Pet", "String", "Vec"].into_iter()), ty),
            "Option < :: std :: vec :: Vec < :: std :: string :: String >> , Some (1) , None"
        );
        assert_eq!(with_short(0, ty), long);
        // The flags are the thread's again afterwards.
        assert_eq!(ty(), long);
    }
}

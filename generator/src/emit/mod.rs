//! Emit: the only phase that uses `quote!`. It turns the model into the files of a crate, as
//! token streams for Rust files and text for `Cargo.toml`; [`crate::render`] formats them.

pub mod arbitrary;
pub mod areas;
mod client;
mod doc;
mod manifest;
mod mock;
pub(crate) mod prelude;
mod types;
mod validate;
mod xml;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use crate::diag::Diagnostic;
use crate::model::{ApiModel, Doc, Gate, GroupedBy};

/// One emitted file, before rendering.
pub enum EmittedFile {
    /// A Rust file, with the notes its emitter had to make about the spec (the value
    /// generators' filters; empty for the other files): they come out of the same pass that
    /// emits the tokens, rather than a second pass over every type for them alone.
    Rust {
        path: String,
        tokens: TokenStream,
        notes: Vec<Diagnostic>,
    },
    Text {
        path: String,
        contents: String,
    },
}

impl EmittedFile {
    /// A Rust file with nothing to note.
    fn rust(path: impl Into<String>, tokens: TokenStream) -> Self {
        EmittedFile::Rust { path: path.into(), tokens, notes: Vec::new() }
    }
}

/// The import of the runtime's modules that a module's generated paths start from
/// (`check::max_length`, `serde::Serializer`, `mock::Answer`) rather than spelling
/// `::apigen_runtime::` at each: fewer tokens to build, parse, format and compile, and code that
/// reads as written by hand. A module's name cannot collide with a type's (types are
/// `PascalCase`) nor with a function's (another namespace); the crate's own `client`, `mock`
/// and `xml` modules are named from inside others by `super::` paths. Unused imports are
/// allowed: a crate split into features may compile none of the items that use one.
pub(crate) fn runtime_modules(modules: &[&str]) -> TokenStream {
    let modules = modules.iter().map(|m| proc_macro2::Ident::new(m, proc_macro2::Span::call_site()));
    quote! {
        #[allow(unused_imports)]
        use ::apigen_runtime::{ #( #modules ),* };
    }
}

/// Makes one file of the crate from the model and the generated-file header.
pub type FileMaker = Box<dyn Fn(&ApiModel, &str) -> EmittedFile + Send + Sync>;

/// Every file of the crate, in a fixed order, each as the function that makes it. No file
/// depends on another, so a caller may make them on several threads (`crate::generate` does:
/// tokens cannot cross threads, but the rendered text can).
///
/// A crate with many types has its `types` and `validate` modules split into one file per
/// area (see [`areas`]): `src/types/mod.rs` re-exports every area's types, so
/// `crate::types::Foo` names a type wherever it is declared.
pub fn makers(model: &ApiModel) -> Vec<FileMaker> {
    let mut files: Vec<FileMaker> = vec![
        Box::new(|model, header| EmittedFile::Text {
            path: "Cargo.toml".to_owned(),
            contents: manifest::cargo_toml(model, header),
        }),
        Box::new(|model, _| EmittedFile::rust("src/lib.rs", lib_module(model))),
    ];
    let areas = areas::areas(model);
    if areas.is_empty() {
        files.push(Box::new(|model, _| EmittedFile::rust("src/types.rs", types::types_module(model))));
        files.push(Box::new(|model, _| EmittedFile::rust("src/validate.rs", validate::validate_module(model))));
    } else {
        // An area of aliases only has no `Validate` impl, so no `validate` file.
        let validated: Vec<String> = areas
            .iter()
            .filter(|a| a.types.iter().any(|&id| validate::has_impl(model.type_def(id))))
            .map(|a| a.module.clone())
            .collect();
        let all = areas.clone();
        files.push(Box::new(move |model, _| EmittedFile::rust("src/types/mod.rs", types::types_root(model, &all))));
        for area in areas.clone() {
            files.push(Box::new(move |model, _| {
                EmittedFile::rust(format!("src/types/{}.rs", area.module), types::types_area(model, &area))
            }));
        }
        files.push(Box::new(move |model, _| {
            EmittedFile::rust("src/validate/mod.rs", validate::validate_root(model, &validated))
        }));
        for area in areas.into_iter().filter(|a| a.types.iter().any(|&id| validate::has_impl(model.type_def(id)))) {
            files.push(Box::new(move |model, _| {
                EmittedFile::rust(format!("src/validate/{}.rs", area.module), validate::validate_area(model, &area))
            }));
        }
    }
    if xml::needed(model) {
        files.push(Box::new(|model, _| EmittedFile::rust("src/xml.rs", xml::xml_module(model))));
    }
    files.push(Box::new(|model, _| {
        let (tokens, notes) = arbitrary::arbitrary_module(model);
        EmittedFile::Rust { path: "src/arbitrary.rs".to_owned(), tokens, notes }
    }));
    if !model.operations.is_empty() {
        files.push(Box::new(|model, _| EmittedFile::rust("src/client.rs", client::client_module(model))));
        files.push(Box::new(|model, _| EmittedFile::rust("src/mock.rs", mock::mock_module(model))));
    }
    // Each file writes the prelude's names short where the model allows (see `prelude`).
    files
        .into_iter()
        .map(|make| -> FileMaker { Box::new(move |model, header| prelude::for_crate(model, || make(model, header))) })
        .collect()
}

/// The whole crate as the items of one module, for a build script's `include!` inside
/// `mod name { ... }`: every module inline, and no inner attributes at the top (`include!`
/// refuses them, E0753), so the crate's own docs are left out. The generated code refers to
/// its own items only by `super::`-relative paths, so the module may be nested anywhere. The
/// `types` and `validate` modules are never split into areas here: there are no files to
/// split them into.
pub fn single_module(model: &ApiModel) -> TokenStream {
    lib_items(model, true)
}

fn lib_module(model: &ApiModel) -> TokenStream {
    lib_items(model, false)
}

/// The crate root's items: with `inline`, each module's body in place of its file.
fn lib_items(model: &ApiModel, inline: bool) -> TokenStream {
    let module = |name: &str, public: bool, body: &dyn Fn(&ApiModel) -> TokenStream| {
        let name = types::ident(name);
        let vis = public.then(|| quote!(pub));
        if inline {
            let body = body(model);
            quote!(#vis mod #name { #body })
        } else {
            quote!(#vis mod #name;)
        }
    };
    let docs = (!inline).then(|| {
        let crate_doc =
            Doc { title: Some(model.title.clone()), description: model.description.clone(), pointer: String::new() };
        let mut lines = doc::doc_lines(&crate_doc);
        lines.push(String::new());
        lines.push(format!(" Generated from `{}`.", model.source_name));
        if !model.features.is_empty() {
            // A split crate says how to compile a part of it, where a user of docs.rs looks.
            let features: Vec<String> = model
                .features
                .iter()
                .filter(|f| f.by != GroupedBy::NoOperation)
                .map(|f| format!("`{}`", f.name))
                .collect();
            lines.push(String::new());
            lines.push(
                " Each group of operations is a cargo feature, all on by default, compiling its client".to_owned(),
            );
            lines.push(" methods and the types it uses (the generated `Cargo.toml` says more):".to_owned());
            // Wrapped as a hand-written comment would be.
            let mut line = String::new();
            for (i, feature) in features.iter().enumerate() {
                let piece = if i + 1 == features.len() { format!("{feature}.") } else { format!("{feature},") };
                if !line.is_empty() && line.len() + piece.len() > 90 {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(' ');
                line.push_str(&piece);
            }
            lines.push(line);
            if let Some(unused) = model.features.iter().find(|f| f.by == GroupedBy::NoOperation) {
                lines.push(String::new());
                lines.push(format!(
                    " The component schemas no operation uses (webhook payloads, for one) are behind `{}`,",
                    unused.name
                ));
                lines.push(" on by default too.".to_owned());
            }
        }
        quote!( #( #![doc = #lines] )* )
    });
    let types = module("types", true, &|model| types::types_module(model));
    let validate = module("validate", false, &validate::validate_module);
    // Behind the crate's features (see `manifest`): without `client` and `xml` the crate is its
    // types and validators, and builds no HTTP stack. A crate included as one module has no
    // features of its own: what it uses is what its includer depends on.
    let gate = |feature: &str| if inline { TokenStream::new() } else { quote!(#[cfg(feature = #feature)]) };
    let xml_items = xml::needed(model).then(|| xml::lib_items(module("xml", false, &xml::xml_module), &gate("xml")));
    let client_items = (!model.operations.is_empty()).then(|| {
        let client = module("client", true, &client::client_module);
        let gate = gate("client");
        quote! {
            #gate
            #client
            #gate
            pub use client::Client;
            #gate
            pub use ::apigen_runtime::client::{Config, Error, Responded, Secret};
        }
    });
    // The mock server needs the crate's features (it serves on hyper, behind `mock`): a crate
    // included as one module has none, so it has no mock.
    let mock_items = (!model.operations.is_empty() && !inline).then(|| {
        quote! {
            #[cfg(feature = "mock")]
            pub mod mock;
        }
    });
    // The value generators, behind the crate's `arbitrary` feature; left out of a crate
    // included as one module, which has no feature to put them behind.
    let arbitrary = (!inline).then(|| {
        quote! {
            #[cfg(feature = "arbitrary")]
            pub mod arbitrary;
        }
    });
    quote! {
        #docs

        #types
        #validate
        #arbitrary

        pub use ::apigen_runtime::{from_json, from_value, Validate, ValidationError, ValidationErrors};
        pub use validate::{validate_request, validate_schema, OPERATION_IDS, SCHEMA_NAMES};
        #xml_items
        #client_items
        #mock_items
    }
}

/// Whether `tokens` mention the identifier `name` (so a binding of it is used).
pub(crate) fn uses(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == name,
        TokenTree::Group(group) => uses(&group.stream(), name),
        _ => false,
    })
}

/// The attribute of an item behind `gate` (see `lower::groups`): `#[cfg(feature = "...")]`
/// for one feature, `#[cfg(any(feature = "...", ...))]` for several, nothing for an item
/// always compiled.
pub(crate) fn gate_attr(gate: &Gate) -> TokenStream {
    let Gate::AnyOf(features) = gate else { return TokenStream::new() };
    let features: Vec<&str> = features.iter().map(String::as_str).collect();
    match features.as_slice() {
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#( feature = #many ),*))]),
    }
}

/// `items` with `gate` before each of its top-level items. An emitter returns one concept's
/// items as one stream (a struct, its impls); rather than have every emitter return a list,
/// the stream is cut here where items end: after a `;`, or after a `{ ... }` body not followed
/// by `;` (which ends the item with it, as in `const _: () = { ... };`). Attributes, whose
/// groups are brackets, never end an item.
pub(crate) fn gated(gate: &TokenStream, items: TokenStream) -> TokenStream {
    if gate.is_empty() {
        return items;
    }
    let mut out = TokenStream::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut trees = items.into_iter().peekable();
    while let Some(tree) = trees.next() {
        let ends = match &tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        };
        item.push(tree);
        if ends {
            out.extend(gate.clone());
            out.extend(item.drain(..));
        }
    }
    if !item.is_empty() {
        out.extend(gate.clone());
        out.extend(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_top_level_item_is_gated() {
        let items = quote! {
            #[doc = " A pet."]
            pub struct Pet { name: String }
            impl Pet { pub fn new() -> Self { todo!() } }
            pub struct Unit;
            const _: () = { let _ = 1; };
            pub type Name = ::std::string::String;
            fn f(x: [u8; 2]) {}
        };
        let gate = gate_attr(&Gate::feature("pets"));
        let expected = quote! {
            #[cfg(feature = "pets")] #[doc = " A pet."] pub struct Pet { name: String }
            #[cfg(feature = "pets")] impl Pet { pub fn new() -> Self { todo!() } }
            #[cfg(feature = "pets")] pub struct Unit;
            #[cfg(feature = "pets")] const _: () = { let _ = 1; };
            #[cfg(feature = "pets")] pub type Name = ::std::string::String;
            #[cfg(feature = "pets")] fn f(x: [u8; 2]) {}
        };
        assert_eq!(gated(&gate, items).to_string(), expected.to_string());
        assert_eq!(
            gated(
                &gate_attr(&Gate::Always),
                quote!(
                    struct A;
                )
            )
            .to_string(),
            quote!(
                struct A;
            )
            .to_string()
        );
    }

    #[test]
    fn shared_items_are_gated_by_any_user() {
        let widened = |gates: &[Gate]| {
            let mut users = gates[0].clone();
            for gate in &gates[1..] {
                users.widen(gate);
            }
            gate_attr(&users).to_string()
        };
        assert_eq!(
            widened(&[Gate::feature("b"), Gate::feature("a")]),
            quote!(#[cfg(any(feature = "a", feature = "b"))]).to_string()
        );
        assert_eq!(widened(&[Gate::feature("a"), Gate::feature("a")]), quote!(#[cfg(feature = "a")]).to_string());
        assert!(widened(&[Gate::feature("a"), Gate::Always]).is_empty());
        assert!(widened(&[Gate::Always, Gate::feature("a")]).is_empty());
    }
}

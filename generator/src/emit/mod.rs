//! Emit: the only phase that uses `quote!`. It turns the model into the files of a crate, as
//! token streams for Rust files and text for `Cargo.toml`; [`crate::render`] formats them.

mod client;
mod doc;
mod manifest;
mod types;
mod validate;
mod xml;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{ApiModel, Doc};

/// One emitted file, before rendering.
pub enum EmittedFile {
    Rust { path: &'static str, tokens: TokenStream },
    Text { path: &'static str, contents: String },
}

/// Every file of the crate, in a fixed order.
pub fn emit(model: &ApiModel, header: &str) -> Vec<EmittedFile> {
    let mut files: Vec<EmittedFile> = Vec::new();
    for part in makers(model).iter().map(|make| make(model, header)) {
        // Parts of one file are runs of its items: their tokens join into the file's.
        match (files.last_mut(), part) {
            (Some(EmittedFile::Rust { path, tokens }), EmittedFile::Rust { path: part_path, tokens: more }) if *path == part_path => {
                tokens.extend(more);
            }
            (_, part) => files.push(part),
        }
    }
    files
}

/// Makes one file of the crate, or a part of it, from the model and the generated-file header.
pub type FileMaker = Box<dyn Fn(&ApiModel, &str) -> EmittedFile + Send + Sync>;

/// How many types each part of `src/types.rs` holds.
const TYPES_PER_PART: usize = 500;

/// The files of [`emit`], in the same order, each as the function that makes it; a large file
/// comes in parts (consecutive, with the same path), each a run of its top-level items. No file
/// or part depends on another, so a caller may make them on several threads (`crate::generate`
/// does: tokens cannot cross threads, but the rendered text can).
pub fn makers(model: &ApiModel) -> Vec<FileMaker> {
    let mut files: Vec<FileMaker> = vec![
        Box::new(|model, header| EmittedFile::Text { path: "Cargo.toml", contents: manifest::cargo_toml(model, header) }),
        Box::new(|model, _| EmittedFile::Rust { path: "src/lib.rs", tokens: lib_module(model) }),
    ];
    // `types.rs` is most of a large crate.
    for start in (0..model.types.len().max(1)).step_by(TYPES_PER_PART) {
        let end = model.types.len().min(start + TYPES_PER_PART);
        files.push(Box::new(move |model, _| EmittedFile::Rust {
            path: "src/types.rs",
            tokens: types::types_module_part(model, start..end),
        }));
    }
    files.push(Box::new(|model, _| EmittedFile::Rust { path: "src/validate.rs", tokens: validate::validate_module(model) }));
    if xml::needed(model) {
        files.push(Box::new(|model, _| EmittedFile::Rust { path: "src/xml.rs", tokens: xml::xml_module(model) }));
    }
    if !model.operations.is_empty() {
        files.push(Box::new(|model, _| EmittedFile::Rust { path: "src/client.rs", tokens: client::client_module(model) }));
    }
    files
}

fn lib_module(model: &ApiModel) -> TokenStream {
    let crate_doc = Doc { title: Some(model.title.clone()), description: model.description.clone(), pointer: String::new() };
    let mut lines = doc::doc_lines(&crate_doc);
    lines.push(String::new());
    lines.push(format!(" Generated from `{}`.", model.source_name));
    let xml_items = xml::lib_items(model);
    let client_items = (!model.operations.is_empty()).then(|| {
        quote! {
            pub mod client;
            pub use client::Client;
            pub use ::apigen_runtime::client::{Config, Error, Responded, Secret};
        }
    });
    quote! {
        #( #![doc = #lines] )*

        pub mod types;
        mod validate;

        pub use ::apigen_runtime::{from_json, from_value, Validate, ValidationError, ValidationErrors};
        pub use validate::{validate_request, validate_schema, OPERATION_IDS, SCHEMA_NAMES};
        #xml_items
        #client_items
    }
}

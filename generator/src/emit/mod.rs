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
    let mut files = vec![
        EmittedFile::Text { path: "Cargo.toml", contents: manifest::cargo_toml(model, header) },
        EmittedFile::Rust { path: "src/lib.rs", tokens: lib_module(model) },
        EmittedFile::Rust { path: "src/types.rs", tokens: types::types_module(model) },
        EmittedFile::Rust { path: "src/validate.rs", tokens: validate::validate_module(model) },
    ];
    if xml::needed(model) {
        files.push(EmittedFile::Rust { path: "src/xml.rs", tokens: xml::xml_module(model) });
    }
    if !model.operations.is_empty() {
        files.push(EmittedFile::Rust { path: "src/client.rs", tokens: client::client_module(model) });
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

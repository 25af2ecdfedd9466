//! XML reading and writing for generated types, as the spec's `xml` objects say (element and
//! attribute names, namespaces and prefixes, wrapped and unwrapped arrays). Enabled by the
//! `xml` feature; generated crates with a schema under an XML media type turn it on.
//!
//! Reading parses the whole document with `quick-xml` into a tree of [`Element`]s, then the
//! generated code reads its values from the tree ([`XmlValue::read_xml`], [`Fields`]).
//! The parser is strict where safety needs it and lenient where documents differ harmlessly:
//!
//! - A DTD (`<!DOCTYPE ...>`, and with it every entity declaration) is refused. Entities are
//!   never expanded: only the five predefined ones (`&lt;` ...) and character references
//!   (`&#49;`) are read; any other entity reference is an error.
//! - Elements nested deeper than [`Limits::max_depth`] (128 by default, as `serde_json`'s
//!   recursion limit) are refused, before anything deeper is read. The tree borrows names
//!   and text from the input wherever it can, so memory is linear in the input's size.
//! - Every error is an [`XmlError`] with the byte offset, line and column where it happened.
//!   Nothing here panics, whatever the input.
//! - Elements are matched by local name, and also by namespace where the schema gives one.
//!   Elements the schema does not name are skipped, unless it forbids them
//!   (`additionalProperties: false`). Child elements may come in any order.
//!
//! Writing ([`XmlWriter`]) uses `quick-xml`'s writer, with no indentation and no XML
//! declaration. Namespace declarations are written where a namespace first comes into scope.
//!
//! Values, in both directions:
//!
//! - Booleans read `1`, `0`, `true` and `false` (XML Schema's `xs:boolean`) and are written
//!   `1` and `0`, as SimplePin writes them.
//! - Numbers, booleans, dates and enums ignore surrounding whitespace; strings keep their
//!   text exactly (a carriage return is written as `&#13;` so that it survives).
//! - An empty element (`<x/>`) is a present, empty value where the type has one: an empty
//!   string, an object with no properties set, an empty list. Where the type has no empty
//!   value (numbers, booleans, dates, enums), an empty element of an optional property reads
//!   as absent; of a required one, it is an error. `xsi:nil="true"` reads as absent too.
//! - A list with no items is written as an empty wrapper element when the array is
//!   `wrapped`; an unwrapped empty list writes nothing, so it reads back as absent when the
//!   property is optional.
//!
//! Its files: `tree.rs` parses a document into [`Element`]s, `value.rs` reads and writes each
//! kind of value ([`XmlValue`], [`XmlText`]), `fields.rs` reads an object's properties
//! ([`Fields`]), and `write.rs` writes documents ([`XmlWriter`]).

mod fields;
mod tree;
mod value;
mod write;

use std::fmt;

pub use fields::Fields;
pub use tree::{Attribute, Element};
pub use value::{no_alternative, read_text, write_text, XmlText, XmlValue};
pub use write::XmlWriter;

/// The XML Schema instance namespace, of `xsi:nil`.
pub const XSI_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The namespace the `xml` prefix is bound to in every document.
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

/// How much of a document reading accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Deepest nesting of elements; the root element is at depth 1.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_depth: 128 }
    }
}

/// Why a document could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    message: String,
    offset: usize,
    line: usize,
    column: usize,
}

impl XmlError {
    /// An error at a byte offset of the document. Line and column are filled in by
    /// [`from_document`] and [`parse`], which have the document.
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        Self { message: message.into(), offset, line: 0, column: 0 }
    }

    /// What went wrong, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Byte offset in the document.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Line, from 1; 0 when the error was made without the document at hand.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Column in characters, from 1; 0 when the error was made without the document at hand.
    pub fn column(&self) -> usize {
        self.column
    }

    /// Fills in line and column from the document the offset is in.
    fn locate(mut self, input: &str) -> Self {
        let end = self.offset.min(input.len());
        let mut line = 1;
        let mut column = 1;
        for &byte in &input.as_bytes()[..end] {
            if byte == b'\n' {
                line += 1;
                column = 1;
            } else if byte & 0xC0 != 0x80 {
                // Counts characters: UTF-8 continuation bytes do not start one.
                column += 1;
            }
        }
        self.line = line;
        self.column = column;
        self
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
        } else {
            write!(f, "byte {}: {}", self.offset, self.message)
        }
    }
}

impl std::error::Error for XmlError {}

/// The name of an element or attribute as the schema gives it: a local name, and optionally
/// a namespace and the prefix to write it with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XmlName<'n> {
    /// The name without its prefix.
    pub local: &'n str,
    /// The namespace the name is in, if any.
    pub namespace: Option<&'n str>,
    /// The prefix the document used, if any.
    pub prefix: Option<&'n str>,
}

impl<'n> XmlName<'n> {
    /// A name in no particular namespace.
    pub const fn new(local: &'n str) -> Self {
        Self { local, namespace: None, prefix: None }
    }

    /// The same name in `namespace`.
    pub const fn namespace(self, namespace: &'n str) -> Self {
        Self { namespace: Some(namespace), ..self }
    }

    /// The same name, written with `prefix`.
    pub const fn prefix(self, prefix: &'n str) -> Self {
        Self { prefix: Some(prefix), ..self }
    }

    /// Whether a name read from a document is this one: the same local name and, where the
    /// schema gives a namespace, the same namespace.
    pub fn matches(&self, local: &str, namespace: Option<&str>) -> bool {
        self.local == local && (self.namespace.is_none() || self.namespace == namespace)
    }
}

/// Parses a document into its root element, with the default [`Limits`].
pub fn parse(input: &str) -> Result<Element<'_>, XmlError> {
    parse_with(input, Limits::default())
}

/// Parses a document into its root element.
pub fn parse_with(input: &str, limits: Limits) -> Result<Element<'_>, XmlError> {
    tree::parse(input, limits).map_err(|e| e.locate(input))
}

/// Reads a whole document whose root element is `root`.
pub fn from_document<T: XmlValue>(input: &str, root: &XmlName<'_>) -> Result<T, XmlError> {
    from_document_with(input, root, Limits::default())
}

/// [`from_document`] with other [`Limits`].
pub fn from_document_with<T: XmlValue>(input: &str, root: &XmlName<'_>, limits: Limits) -> Result<T, XmlError> {
    let element = parse_with(input, limits)?;
    if !root.matches(element.local_name(), element.namespace()) {
        let expected = match root.namespace {
            Some(ns) => format!("`<{}>` in namespace `{ns}`", root.local),
            None => format!("`<{}>`", root.local),
        };
        let found = match element.namespace() {
            Some(ns) => format!("`<{}>` in namespace `{ns}`", element.qname),
            None => format!("`<{}>`", element.qname),
        };
        return Err(
            XmlError::new(element.offset, format!("expected the root element {expected}, found {found}")).locate(input)
        );
    }
    T::read_xml(&element).map_err(|e| e.locate(input))
}

/// Writes a whole document: `value` as the root element `root`.
pub fn to_document<T: XmlValue>(value: &T, root: &XmlName<'_>) -> String {
    let mut writer = XmlWriter::new();
    value.write_xml(&mut writer, root);
    writer.finish()
}

/// Whether `name` can be an element's local name (see [`crate::names::is_xml_name`]).
pub use crate::names::is_xml_name as is_name;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let err = parse("<a>\n  <b>é</c>\n</a>").unwrap_err();
        assert_eq!((err.line(), err.column()), (2, 7), "{err}");
        assert!(err.message().starts_with("malformed XML"), "{err}");
    }

    #[test]
    fn text_and_references() {
        let root = parse("<a x=\"1&amp;2\">x &lt; y &#49;<![CDATA[<z>]]></a>").unwrap();
        assert_eq!(root.text(), "x < y 1<z>");
        assert_eq!(root.attributes()[0].value(), "1&2");
    }

    #[test]
    fn escaping_round_trips() {
        let tricky = "a & b < c > d \" ' \r\n\t\u{1} é";
        let mut writer = XmlWriter::new();
        writer.start(&XmlName::new("t"));
        writer.attribute(&XmlName::new("v"), Some(&tricky.to_owned()));
        writer.text(tricky);
        writer.end();
        let doc = writer.finish();
        let root = parse(&doc).unwrap();
        assert_eq!(root.text(), tricky);
        assert_eq!(root.attributes()[0].value(), tricky);
    }

    #[test]
    fn namespaces_are_declared_once_in_scope() {
        let mut writer = XmlWriter::new();
        writer.start(&XmlName::new("a").namespace("urn:x").prefix("x"));
        writer.start(&XmlName::new("b").namespace("urn:x").prefix("x"));
        writer.end();
        writer.start(&XmlName::new("c").prefix("x"));
        writer.end();
        writer.start(&XmlName::new("d").prefix("y"));
        writer.end();
        writer.end();
        assert_eq!(writer.finish(), r#"<x:a xmlns:x="urn:x"><x:b/><x:c/><d/></x:a>"#);
    }
}

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

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

use quick_xml::events::attributes::Attribute as RawAttribute;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::{QName, ResolveResult};
use quick_xml::NsReader;

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

/// An element of a parsed document: its name, attributes, child elements and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element<'a> {
    qname: Cow<'a, str>,
    namespace: Option<Rc<str>>,
    attributes: Vec<Attribute<'a>>,
    children: Vec<Element<'a>>,
    text: Cow<'a, str>,
    offset: usize,
    text_offset: Option<usize>,
}

/// An attribute of an [`Element`]. Namespace declarations (`xmlns`, `xmlns:p`) are not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'a> {
    qname: Cow<'a, str>,
    namespace: Option<Rc<str>>,
    value: Cow<'a, str>,
    offset: usize,
}

fn local_part(qname: &str) -> &str {
    match qname.split_once(':') {
        Some((_, local)) => local,
        None => qname,
    }
}

impl<'a> Element<'a> {
    /// The name as written, with its prefix (`p:item`).
    pub fn qualified_name(&self) -> &str {
        &self.qname
    }

    /// The local name (`item`).
    pub fn local_name(&self) -> &str {
        local_part(&self.qname)
    }

    /// The namespace the name is in, if any.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The element's attributes, in document order.
    pub fn attributes(&self) -> &[Attribute<'a>] {
        &self.attributes
    }

    /// The element's child elements, in document order.
    pub fn children(&self) -> &[Element<'a>] {
        &self.children
    }

    /// The element's own character data (not its children's), concatenated, with references
    /// resolved.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Byte offset of the element's `<` in the document.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Byte offset of the first character of the text that is not whitespace, or of the
    /// element when there is none.
    pub fn text_offset(&self) -> usize {
        self.text_offset.unwrap_or(self.offset)
    }

    /// No child elements, no attributes and no text but whitespace: `<x/>`.
    pub fn is_empty(&self) -> bool {
        self.children.is_empty() && self.attributes.is_empty() && self.text.trim().is_empty()
    }

    /// `xsi:nil="true"` (or `1`).
    pub fn is_nil(&self) -> bool {
        self.attributes.iter().any(|a| {
            a.local_name() == "nil" && a.namespace() == Some(XSI_NAMESPACE) && matches!(a.value.trim(), "true" | "1")
        })
    }

    fn unexpected_text(&self) -> XmlError {
        XmlError::new(
            self.text_offset(),
            format!("unexpected text {} in `<{}>`, which holds elements", describe(&self.text), self.qname),
        )
    }
}

impl Attribute<'_> {
    /// The name as written, prefix included.
    pub fn qualified_name(&self) -> &str {
        &self.qname
    }

    /// The name without its prefix.
    pub fn local_name(&self) -> &str {
        local_part(&self.qname)
    }

    /// The namespace, if any.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The value, with references resolved.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// Byte offset of the attribute's name in the document.
    pub fn offset(&self) -> usize {
        self.offset
    }
}

/// Parses a document into its root element, with the default [`Limits`].
pub fn parse(input: &str) -> Result<Element<'_>, XmlError> {
    parse_with(input, Limits::default())
}

/// Parses a document into its root element.
pub fn parse_with(input: &str, limits: Limits) -> Result<Element<'_>, XmlError> {
    Parser { input, namespaces: Vec::new() }.parse(limits).map_err(|e| e.locate(input))
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
        return Err(XmlError::new(element.offset, format!("expected the root element {expected}, found {found}")).locate(input));
    }
    T::read_xml(&element).map_err(|e| e.locate(input))
}

/// Writes a whole document: `value` as the root element `root`.
pub fn to_document<T: XmlValue>(value: &T, root: &XmlName<'_>) -> String {
    let mut writer = XmlWriter::new();
    value.write_xml(&mut writer, root);
    writer.finish()
}

struct Parser<'a> {
    input: &'a str,
    /// Namespace names met so far, shared by every element in them.
    namespaces: Vec<Rc<str>>,
}

impl<'a> Parser<'a> {
    fn parse(&mut self, limits: Limits) -> Result<Element<'a>, XmlError> {
        let mut reader = NsReader::from_str(self.input);
        reader.config_mut().check_comments = true;
        let mut stack: Vec<Element<'a>> = Vec::new();
        let mut root: Option<Element<'a>> = None;
        loop {
            let offset = usize::try_from(reader.buffer_position()).unwrap_or(usize::MAX);
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(err) => {
                    let at = usize::try_from(reader.error_position()).unwrap_or(offset);
                    return Err(XmlError::new(at, format!("malformed XML: {err}")));
                }
            };
            match event {
                Event::Start(ref start) | Event::Empty(ref start) => {
                    let empty = matches!(event, Event::Empty(_));
                    if stack.len() >= limits.max_depth {
                        return Err(XmlError::new(
                            offset,
                            format!("elements are nested deeper than {} levels", limits.max_depth),
                        ));
                    }
                    if stack.is_empty() && root.is_some() {
                        return Err(XmlError::new(offset, "a second root element: a document has exactly one"));
                    }
                    let element = self.open(&reader, start, offset)?;
                    if empty {
                        close(element, &mut stack, &mut root);
                    } else {
                        stack.push(element);
                    }
                }
                Event::End(_) => {
                    if let Some(element) = stack.pop() {
                        close(element, &mut stack, &mut root);
                    }
                }
                Event::Text(text) => {
                    let content = text
                        .xml10_content()
                        .map_err(|e| XmlError::new(offset, format!("malformed XML: {e}")))?;
                    let content = self.borrowed(content);
                    append_text(&mut stack, content, offset)?;
                }
                Event::CData(data) => {
                    let content = data.decode().map_err(|e| XmlError::new(offset, format!("malformed XML: {e}")))?;
                    let content = self.borrowed(content);
                    // Text inside CDATA starts after `<![CDATA[`.
                    append_text(&mut stack, content, offset + 9)?;
                }
                Event::GeneralRef(reference) => {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => c,
                        Ok(None) => {
                            let name = reference.decode().map_err(|e| XmlError::new(offset, format!("malformed XML: {e}")))?;
                            match &*name {
                                "lt" => '<',
                                "gt" => '>',
                                "amp" => '&',
                                "apos" => '\'',
                                "quot" => '"',
                                _ => return Err(entity_error(offset, &name)),
                            }
                        }
                        Err(err) => return Err(XmlError::new(offset, format!("malformed XML: {err}"))),
                    };
                    append_text(&mut stack, Cow::Owned(resolved.to_string()), offset)?;
                }
                Event::DocType(_) => {
                    return Err(XmlError::new(
                        offset,
                        "a document type declaration (`<!DOCTYPE`) is not allowed: DTDs and entity declarations are refused, and entities are never expanded",
                    ));
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Eof => break,
            }
        }
        if let Some(open) = stack.last() {
            return Err(XmlError::new(open.offset, format!("`<{}>` is not closed before the end of the document", open.qname)));
        }
        root.ok_or_else(|| XmlError::new(self.input.len(), "the document has no root element"))
    }

    /// A string from the reader, borrowed from the input where it is a slice of it.
    fn borrowed(&self, text: Cow<'_, str>) -> Cow<'a, str> {
        match self.slice_of(text.as_bytes()) {
            Some(slice) => Cow::Borrowed(slice),
            None => Cow::Owned(text.into_owned()),
        }
    }

    /// The input's own slice at the same place as `bytes`, if `bytes` lies in the input.
    fn slice_of(&self, bytes: &[u8]) -> Option<&'a str> {
        let start = self.offset_of(bytes)?;
        self.input.get(start..start.checked_add(bytes.len())?)
    }

    fn offset_of(&self, bytes: &[u8]) -> Option<usize> {
        let start = (bytes.as_ptr() as usize).checked_sub(self.input.as_ptr() as usize)?;
        (start.checked_add(bytes.len())? <= self.input.len()).then_some(start)
    }

    fn bytes_to_str(&self, bytes: &[u8], offset: usize) -> Result<Cow<'a, str>, XmlError> {
        if let Some(slice) = self.slice_of(bytes) {
            return Ok(Cow::Borrowed(slice));
        }
        std::str::from_utf8(bytes)
            .map(|s| Cow::Owned(s.to_owned()))
            .map_err(|_| XmlError::new(offset, "malformed XML: a name is not UTF-8"))
    }

    fn intern(&mut self, namespace: &[u8], offset: usize) -> Result<Rc<str>, XmlError> {
        let namespace =
            std::str::from_utf8(namespace).map_err(|_| XmlError::new(offset, "malformed XML: a namespace name is not UTF-8"))?;
        if let Some(known) = self.namespaces.iter().find(|n| &***n == namespace) {
            return Ok(Rc::clone(known));
        }
        let interned: Rc<str> = Rc::from(namespace);
        // Documents use a handful of namespaces; a document that declares thousands gets
        // them uninterned rather than a slow lookup.
        if self.namespaces.len() < 64 {
            self.namespaces.push(Rc::clone(&interned));
        }
        Ok(interned)
    }

    fn resolve(&mut self, result: ResolveResult<'_>, qname: &str, offset: usize) -> Result<Option<Rc<str>>, XmlError> {
        match result {
            ResolveResult::Bound(ns) => self.intern(ns.into_inner(), offset).map(Some),
            ResolveResult::Unbound => Ok(None),
            ResolveResult::Unknown(prefix) => Err(XmlError::new(
                offset,
                format!("the namespace prefix `{}` of `{qname}` is not declared", String::from_utf8_lossy(&prefix)),
            )),
        }
    }

    fn open(&mut self, reader: &NsReader<&'a [u8]>, start: &BytesStart<'_>, offset: usize) -> Result<Element<'a>, XmlError> {
        let qname = self.bytes_to_str(start.name().into_inner(), offset)?;
        let (resolved, _) = reader.resolver().resolve_element(start.name());
        let namespace = self.resolve(resolved, &qname, offset)?;
        let mut attributes = Vec::new();
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| attribute_error(offset, e))?;
            if attribute.key.as_namespace_binding().is_some() {
                continue;
            }
            let at = self.offset_of(attribute.key.into_inner()).unwrap_or(offset);
            let name = self.bytes_to_str(attribute.key.into_inner(), at)?;
            let (resolved, _) = reader.resolver().resolve_attribute(attribute.key);
            let attribute_namespace = self.resolve(resolved, &name, at)?;
            let value = attribute
                .decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, reader.decoder())
                .map_err(|err| match err {
                    quick_xml::Error::Escape(quick_xml::escape::EscapeError::UnrecognizedEntity(_, entity)) => {
                        entity_error(at, &entity)
                    }
                    other => XmlError::new(at, format!("malformed XML: attribute `{name}`: {other}")),
                })?;
            let value = self.borrowed(value);
            attributes.push(Attribute { qname: name, namespace: attribute_namespace, value, offset: at });
        }
        Ok(Element {
            qname,
            namespace,
            attributes,
            children: Vec::new(),
            text: Cow::Borrowed(""),
            offset,
            text_offset: None,
        })
    }
}

/// A malformed attribute, at its position: `quick-xml` counts from after the tag's `<`.
fn attribute_error(offset: usize, err: quick_xml::events::attributes::AttrError) -> XmlError {
    use quick_xml::events::attributes::AttrError;
    let (at, message) = match err {
        AttrError::ExpectedEq(at) => (at, "an attribute name must be followed by `=`".to_owned()),
        AttrError::ExpectedValue(at) => (at, "`=` must be followed by an attribute value".to_owned()),
        AttrError::UnquotedValue(at) => (at, "an attribute value must be enclosed in `\"` or `'`".to_owned()),
        AttrError::ExpectedQuote(at, quote) => {
            (at, format!("an attribute value is missing its closing quote `{}`", char::from(quote)))
        }
        AttrError::Duplicated(at, _) => (at, "an attribute appears twice".to_owned()),
    };
    XmlError::new(offset.saturating_add(1).saturating_add(at), format!("malformed XML: {message}"))
}

fn entity_error(offset: usize, name: &str) -> XmlError {
    XmlError::new(
        offset,
        format!("the entity reference `&{name};` is not allowed: only the predefined entities and character references are read, and entities are never expanded"),
    )
}

fn close<'a>(element: Element<'a>, stack: &mut [Element<'a>], root: &mut Option<Element<'a>>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

fn append_text<'a>(stack: &mut [Element<'a>], content: Cow<'a, str>, offset: usize) -> Result<(), XmlError> {
    let leading = content.len() - content.trim_start().len();
    let Some(element) = stack.last_mut() else {
        if content.trim().is_empty() {
            return Ok(());
        }
        return Err(XmlError::new(offset + leading, format!("text {} outside the root element", describe(&content))));
    };
    if element.text_offset.is_none() && leading < content.len() {
        element.text_offset = Some(offset + leading);
    }
    if element.text.is_empty() {
        element.text = content;
    } else {
        element.text.to_mut().push_str(&content);
    }
    Ok(())
}

/// Text for a message: quoted and cut short, or `nothing`.
fn describe(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return "nothing".to_owned();
    }
    let mut shown: String = trimmed.chars().take(40).collect();
    if shown.len() < trimmed.len() {
        shown.push_str("...");
    }
    format!("`{shown}`")
}

/// A value that reads from and writes as one XML element.
///
/// Generated structs, enums and unions implement it; so do the scalar types, [`Option`]
/// (absent as `xsi:nil`), [`Box`], [`Vec`] (each item an element of the same name as the
/// list), [`BTreeMap`] (one element per entry, named by its key) and `serde_json::Value`.
pub trait XmlValue: Sized {
    /// Whether an empty element stands for no value, where the value is optional: true for
    /// types without an empty value (numbers, booleans, dates, enums).
    const EMPTY_IS_ABSENT: bool = false;

    /// Reads the value from the element that holds it.
    fn read_xml(element: &Element<'_>) -> Result<Self, XmlError>;

    /// Writes the value as an element named `name`.
    fn write_xml(&self, writer: &mut XmlWriter, name: &XmlName<'_>);
}

/// A scalar: a value written as text, in an element or an attribute.
pub trait XmlText: Sized {
    /// Parses the text; the error says what was expected (`expected a 64-bit integer`).
    fn from_xml_text(text: &str) -> Result<Self, String>;

    /// The value as XML text (not yet escaped).
    fn to_xml_text(&self) -> Cow<'_, str>;
}

/// [`XmlValue::read_xml`] for a scalar: the element's text, which must not hold elements.
pub fn read_text<T: XmlText>(element: &Element<'_>) -> Result<T, XmlError> {
    if let Some(child) = element.children.first() {
        return Err(XmlError::new(
            child.offset,
            format!("`<{}>` holds a value as text, but has the element `<{}>` in it", element.qname, child.qname),
        ));
    }
    T::from_xml_text(&element.text).map_err(|expected| {
        XmlError::new(element.text_offset(), format!("`<{}>`: {expected}, found {}", element.qname, describe(&element.text)))
    })
}

/// [`XmlValue::write_xml`] for a scalar.
pub fn write_text<T: XmlText>(writer: &mut XmlWriter, name: &XmlName<'_>, value: &T) {
    writer.start(name);
    writer.text(&value.to_xml_text());
    writer.end();
}

/// The error of a union that no alternative reads.
pub fn no_alternative(element: &Element<'_>, type_name: &str) -> XmlError {
    XmlError::new(element.offset, format!("`<{}>` is none of the alternatives of `{type_name}`", element.qname))
}

macro_rules! scalar_value {
    ($($ty:ty => $absent:expr),* $(,)?) => {
        $(
            impl XmlValue for $ty {
                const EMPTY_IS_ABSENT: bool = $absent;

                fn read_xml(element: &Element<'_>) -> Result<Self, XmlError> {
                    read_text(element)
                }

                fn write_xml(&self, writer: &mut XmlWriter, name: &XmlName<'_>) {
                    write_text(writer, name, self);
                }
            }
        )*
    };
}

scalar_value!(
    String => false,
    bool => true,
    i32 => true,
    i64 => true,
    u32 => true,
    u64 => true,
    f32 => true,
    f64 => true,
    serde_json::Number => true,
    chrono::NaiveDate => true,
    chrono::DateTime<chrono::FixedOffset> => true,
    uuid::Uuid => true,
    crate::Binary => false,
);

/// The element's text as UTF-8 bytes; bytes that are not UTF-8 are written with U+FFFD in
/// their place (XML carries text only).
impl XmlText for crate::Binary {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        Ok(crate::Binary::new(text.as_bytes()))
    }

    fn to_xml_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(self.bytes())
    }
}

impl XmlText for String {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        Ok(text.to_owned())
    }

    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl XmlText for bool {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        match text.trim() {
            "1" | "true" => Ok(true),
            "0" | "false" => Ok(false),
            _ => Err("expected a boolean (`1`, `0`, `true` or `false`)".to_owned()),
        }
    }

    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "1" } else { "0" })
    }
}

macro_rules! integer_text {
    ($($ty:ty => $what:expr),* $(,)?) => {
        $(
            impl XmlText for $ty {
                fn from_xml_text(text: &str) -> Result<Self, String> {
                    let text = text.trim();
                    // `+5` is a valid xs:integer; Rust's parser takes it too.
                    text.parse().map_err(|_| format!("expected {}", $what))
                }

                fn to_xml_text(&self) -> Cow<'_, str> {
                    Cow::Owned(self.to_string())
                }
            }
        )*
    };
}

integer_text!(
    i32 => "a 32-bit integer",
    i64 => "a 64-bit integer",
    u32 => "a 32-bit unsigned integer",
    u64 => "a 64-bit unsigned integer",
);

macro_rules! float_text {
    ($($ty:ty),*) => {
        $(
            impl XmlText for $ty {
                fn from_xml_text(text: &str) -> Result<Self, String> {
                    // JSON has no NaN or infinity, so neither does a value that is also JSON.
                    match text.trim().parse::<$ty>() {
                        Ok(value) if value.is_finite() => Ok(value),
                        _ => Err("expected a number".to_owned()),
                    }
                }

                fn to_xml_text(&self) -> Cow<'_, str> {
                    Cow::Owned(self.to_string())
                }
            }
        )*
    };
}

float_text!(f32, f64);

impl XmlText for serde_json::Number {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        serde_json::from_str(text.trim()).map_err(|_| "expected a number".to_owned())
    }

    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_string())
    }
}

impl XmlText for chrono::NaiveDate {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        let text = text.trim();
        crate::Format::Date
            .is_valid(text)
            .then(|| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
            .flatten()
            .ok_or_else(|| "expected a date (`YYYY-MM-DD`)".to_owned())
    }

    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.format("%Y-%m-%d").to_string())
    }
}

impl XmlText for chrono::DateTime<chrono::FixedOffset> {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        // As JSON reads it: the format first, then chrono (lowercase `t` and `z` included).
        let text = text.trim();
        crate::Format::DateTime
            .is_valid(text)
            .then(|| chrono::DateTime::parse_from_rfc3339(&text.to_ascii_uppercase()).ok())
            .flatten()
            .ok_or_else(|| "expected an RFC 3339 date-time".to_owned())
    }

    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.to_rfc3339())
    }
}

impl XmlText for uuid::Uuid {
    fn from_xml_text(text: &str) -> Result<Self, String> {
        // As JSON reads it: only the hyphenated form.
        let text = text.trim();
        crate::Format::Uuid
            .is_valid(text)
            .then(|| uuid::Uuid::parse_str(text).ok())
            .flatten()
            .ok_or_else(|| "expected a UUID".to_owned())
    }

    fn to_xml_text(&self) -> Cow<'_, str> {
        Cow::Owned(self.hyphenated().to_string())
    }
}

impl<T: XmlValue> XmlValue for Box<T> {
    const EMPTY_IS_ABSENT: bool = T::EMPTY_IS_ABSENT;

    fn read_xml(element: &Element<'_>) -> Result<Self, XmlError> {
        T::read_xml(element).map(Box::new)
    }

    fn write_xml(&self, writer: &mut XmlWriter, name: &XmlName<'_>) {
        (**self).write_xml(writer, name);
    }
}

/// A nullable value: `None` is written `xsi:nil="true"`; it reads from that, and from an
/// empty element where `T` has no empty value.
impl<T: XmlValue> XmlValue for Option<T> {
    fn read_xml(element: &Element<'_>) -> Result<Self, XmlError> {
        if element.is_nil() || (T::EMPTY_IS_ABSENT && element.is_empty()) {
            return Ok(None);
        }
        T::read_xml(element).map(Some)
    }

    fn write_xml(&self, writer: &mut XmlWriter, name: &XmlName<'_>) {
        match self {
            Some(value) => value.write_xml(writer, name),
            None => {
                writer.start(name);
                writer.nil();
                writer.end();
            }
        }
    }
}

/// A list inside a list: the element holds one child element per item, each named as the
/// list is (OpenAPI's default name for items).
impl<T: XmlValue> XmlValue for Vec<T> {
    fn read_xml(element: &Element<'_>) -> Result<Self, XmlError> {
        element.children.iter().map(T::read_xml).collect()
    }

    fn write_xml(&self, writer: &mut XmlWriter, name: &XmlName<'_>) {
        writer.start(name);
        for item in self {
            item.write_xml(writer, name);
        }
        writer.end();
    }
}

/// A map: one child element per entry, named by its key. Entries whose keys are not XML
/// names have no element and are not written.
impl<T: XmlValue> XmlValue for BTreeMap<String, T> {
    fn read_xml(element: &Element<'_>) -> Result<Self, XmlError> {
        let mut map = BTreeMap::new();
        for child in &element.children {
            let key = child.local_name().to_owned();
            if map.contains_key(&key) {
                return Err(XmlError::new(
                    child.offset,
                    format!("element `<{}>` appears more than once in `<{}>`", child.qname, element.qname),
                ));
            }
            map.insert(key, T::read_xml(child)?);
        }
        Ok(map)
    }

    fn write_xml(&self, writer: &mut XmlWriter, name: &XmlName<'_>) {
        writer.start(name);
        for (key, value) in self.iter().filter(|(key, _)| is_name(key)) {
            value.write_xml(writer, &XmlName::new(key));
        }
        writer.end();
    }
}

/// A value of no particular type: an element with child elements reads as an object of
/// them (repeated names as arrays), any other as its text. Written back, scalars are text,
/// objects are child elements and arrays repeat the element's name inside it.
impl XmlValue for serde_json::Value {
    fn read_xml(element: &Element<'_>) -> Result<Self, XmlError> {
        use serde_json::Value;
        if element.children.is_empty() {
            if element.is_nil() {
                return Ok(Value::Null);
            }
            return Ok(Value::String(element.text.clone().into_owned()));
        }
        let mut map = serde_json::Map::new();
        for child in &element.children {
            let value = Self::read_xml(child)?;
            match map.get_mut(child.local_name()) {
                Some(Value::Array(items)) => items.push(value),
                Some(existing) => {
                    let first = existing.take();
                    *existing = Value::Array(vec![first, value]);
                }
                None => {
                    map.insert(child.local_name().to_owned(), value);
                }
            }
        }
        Ok(Value::Object(map))
    }

    fn write_xml(&self, writer: &mut XmlWriter, name: &XmlName<'_>) {
        use serde_json::Value;
        writer.start(name);
        match self {
            Value::Null => writer.nil(),
            Value::Bool(b) => writer.text(&b.to_xml_text()),
            Value::Number(n) => writer.text(&n.to_string()),
            Value::String(s) => writer.text(s),
            Value::Array(items) => {
                for item in items {
                    item.write_xml(writer, name);
                }
            }
            Value::Object(map) => {
                for (key, value) in map.iter().filter(|(key, _)| is_name(key)) {
                    value.write_xml(writer, &XmlName::new(key));
                }
            }
        }
        writer.end();
    }
}

/// Whether `name` can be an element's local name (an XML `NCName`, approximately: letters,
/// digits, `_`, `-` and `.`, not starting with a digit, `-` or `.`).
pub fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) if first.is_alphabetic() || first == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Reads the properties of an object from its element: each child element or attribute is
/// taken once, by name; [`Fields::finish`] then refuses what is left if the schema forbids
/// unknown properties.
pub struct Fields<'e, 'a> {
    element: &'e Element<'a>,
    children_used: Vec<bool>,
    attributes_used: Vec<bool>,
    deny_unknown: bool,
}

impl<'e, 'a> Fields<'e, 'a> {
    /// `deny_unknown`: elements, attributes and text that no property takes are errors.
    pub fn new(element: &'e Element<'a>, deny_unknown: bool) -> Self {
        Self {
            element,
            children_used: vec![false; element.children.len()],
            attributes_used: vec![false; element.attributes.len()],
            deny_unknown,
        }
    }

    /// The one child element named `name` that no property has taken yet.
    fn take(&mut self, name: &XmlName<'_>) -> Result<Option<&'e Element<'a>>, XmlError> {
        let element: &'e Element<'a> = self.element;
        let mut found = None;
        for (i, child) in element.children.iter().enumerate() {
            if self.children_used[i] || !name.matches(child.local_name(), child.namespace()) {
                continue;
            }
            if found.is_some() {
                return Err(XmlError::new(
                    child.offset,
                    format!("element `<{}>` appears more than once in `<{}>`", child.qname, element.qname),
                ));
            }
            found = Some(i);
        }
        Ok(found.map(|i| {
            self.children_used[i] = true;
            &element.children[i]
        }))
    }

    fn missing(&self, what: &str) -> XmlError {
        XmlError::new(self.element.offset, format!("`<{}>` is missing {what}", self.element.qname))
    }

    /// An optional property held in an element.
    pub fn element<T: XmlValue>(&mut self, name: &XmlName<'_>) -> Result<Option<T>, XmlError> {
        match self.take(name)? {
            None => Ok(None),
            Some(child) if child.is_nil() || (T::EMPTY_IS_ABSENT && child.is_empty()) => Ok(None),
            Some(child) => T::read_xml(child).map(Some),
        }
    }

    /// A required property held in an element.
    pub fn required_element<T: XmlValue>(&mut self, name: &XmlName<'_>) -> Result<T, XmlError> {
        match self.take(name)? {
            None => Err(self.missing(&format!("the required element `<{}>`", name.local))),
            Some(child) => T::read_xml(child),
        }
    }

    /// An optional property held in an attribute.
    pub fn attribute<T: XmlText>(&mut self, name: &XmlName<'_>) -> Result<Option<T>, XmlError> {
        let element: &'e Element<'a> = self.element;
        let position = element.attributes.iter().enumerate().position(|(i, a)| {
            !self.attributes_used[i] && name.matches(a.local_name(), a.namespace())
        });
        let Some(i) = position else { return Ok(None) };
        self.attributes_used[i] = true;
        let attribute = &element.attributes[i];
        T::from_xml_text(&attribute.value).map(Some).map_err(|expected| {
            XmlError::new(
                attribute.offset,
                format!("attribute `{}` of `<{}>`: {expected}, found {}", attribute.qname, element.qname, describe(&attribute.value)),
            )
        })
    }

    /// A required property held in an attribute.
    pub fn required_attribute<T: XmlText>(&mut self, name: &XmlName<'_>) -> Result<T, XmlError> {
        match self.attribute(name)? {
            Some(value) => Ok(value),
            None => Err(self.missing(&format!("the required attribute `{}`", name.local))),
        }
    }

    /// An optional wrapped list: the wrapper element holds one element per item. An empty
    /// wrapper is an empty list.
    pub fn wrapped<T: XmlValue>(&mut self, wrapper: &XmlName<'_>, item: &XmlName<'_>) -> Result<Option<Vec<T>>, XmlError> {
        match self.take(wrapper)? {
            None => Ok(None),
            Some(list) if list.is_nil() => Ok(None),
            Some(list) => self.items(list, item).map(Some),
        }
    }

    /// A required wrapped list.
    pub fn required_wrapped<T: XmlValue>(&mut self, wrapper: &XmlName<'_>, item: &XmlName<'_>) -> Result<Vec<T>, XmlError> {
        match self.take(wrapper)? {
            None => Err(self.missing(&format!("the required element `<{}>`", wrapper.local))),
            Some(list) => self.items(list, item),
        }
    }

    fn items<T: XmlValue>(&self, list: &Element<'_>, item: &XmlName<'_>) -> Result<Vec<T>, XmlError> {
        let mut items = Vec::new();
        for child in &list.children {
            if item.matches(child.local_name(), child.namespace()) {
                items.push(T::read_xml(child)?);
            } else if self.deny_unknown {
                return Err(XmlError::new(
                    child.offset,
                    format!("unknown element `<{}>` in `<{}>`, which holds `<{}>` items", child.qname, list.qname, item.local),
                ));
            }
        }
        if self.deny_unknown && !list.text.trim().is_empty() {
            return Err(list.unexpected_text());
        }
        Ok(items)
    }

    /// A required unwrapped list: every child element named `item`, in order.
    pub fn list<T: XmlValue>(&mut self, item: &XmlName<'_>) -> Result<Vec<T>, XmlError> {
        let element: &'e Element<'a> = self.element;
        let mut items = Vec::new();
        for (i, child) in element.children.iter().enumerate() {
            if !self.children_used[i] && item.matches(child.local_name(), child.namespace()) {
                self.children_used[i] = true;
                items.push(T::read_xml(child)?);
            }
        }
        Ok(items)
    }

    /// An optional unwrapped list: absent when there is no item.
    pub fn optional_list<T: XmlValue>(&mut self, item: &XmlName<'_>) -> Result<Option<Vec<T>>, XmlError> {
        let items = self.list(item)?;
        Ok((!items.is_empty()).then_some(items))
    }

    /// Ends reading: where unknown properties are refused, an element, attribute or text that
    /// no property took is an error. Attributes in the `xsi` namespace are always allowed.
    pub fn finish(self) -> Result<(), XmlError> {
        if !self.deny_unknown {
            return Ok(());
        }
        let element = self.element;
        if let Some((child, _)) = element.children.iter().zip(&self.children_used).find(|(_, used)| !**used) {
            return Err(XmlError::new(child.offset, format!("unknown element `<{}>` in `<{}>`", child.qname, element.qname)));
        }
        let unknown_attribute = element
            .attributes
            .iter()
            .zip(&self.attributes_used)
            .find(|(a, used)| !**used && a.namespace() != Some(XSI_NAMESPACE));
        if let Some((attribute, _)) = unknown_attribute {
            return Err(XmlError::new(
                attribute.offset,
                format!("unknown attribute `{}` on `<{}>`", attribute.qname, element.qname),
            ));
        }
        if !element.text.trim().is_empty() {
            return Err(element.unexpected_text());
        }
        Ok(())
    }
}

/// An element being written: its name as written, and the namespaces it declares.
struct Open {
    qname: String,
    /// (prefix, or `""` for the default namespace; namespace).
    declared: Vec<(String, String)>,
}

/// Writes a document, element by element. The start tag of the element last started stays
/// open for attributes until its first content; an element ended with no content is written
/// empty (`<x/>`).
pub struct XmlWriter {
    writer: quick_xml::Writer<Vec<u8>>,
    pending: Option<BytesStart<'static>>,
    open: Vec<Open>,
}

impl Default for XmlWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl XmlWriter {
    /// An empty document.
    pub fn new() -> Self {
        Self { writer: quick_xml::Writer::new(Vec::new()), pending: None, open: Vec::new() }
    }

    /// The namespace `prefix` (`""` for the default namespace) is bound to where the writer is.
    fn bound(&self, prefix: &str) -> Option<&str> {
        if prefix == "xml" {
            return Some(XML_NAMESPACE);
        }
        self.open
            .iter()
            .rev()
            .flat_map(|open| open.declared.iter().rev())
            .find(|(p, _)| p == prefix)
            .map(|(_, ns)| ns.as_str())
    }

    fn write(&mut self, event: Event<'_>) {
        // Writing into a `Vec` cannot fail.
        let _ = self.writer.write_event(event);
    }

    fn flush(&mut self) {
        if let Some(start) = self.pending.take() {
            self.write(Event::Start(start));
        }
    }

    /// Starts an element. Its namespace is declared unless it is already in scope; a prefix
    /// without a namespace is written only where an enclosing element has declared it.
    pub fn start(&mut self, name: &XmlName<'_>) {
        self.flush();
        let mut declare = None;
        let qname = match (name.prefix, name.namespace) {
            (Some(prefix), Some(namespace)) => {
                if self.bound(prefix) != Some(namespace) {
                    declare = Some((prefix, namespace));
                }
                format!("{prefix}:{}", name.local)
            }
            (None, Some(namespace)) => {
                if self.bound("") != Some(namespace) {
                    declare = Some(("", namespace));
                }
                name.local.to_owned()
            }
            (Some(prefix), None) if self.bound(prefix).is_some() => format!("{prefix}:{}", name.local),
            _ => name.local.to_owned(),
        };
        self.pending = Some(BytesStart::new(qname.clone()));
        self.open.push(Open { qname, declared: Vec::new() });
        if let Some((prefix, namespace)) = declare {
            self.declare(prefix, namespace);
        }
    }

    fn declare(&mut self, prefix: &str, namespace: &str) {
        let key = if prefix.is_empty() { "xmlns".to_owned() } else { format!("xmlns:{prefix}") };
        self.push_attribute(&key, namespace);
        if let Some(open) = self.open.last_mut() {
            open.declared.push((prefix.to_owned(), namespace.to_owned()));
        }
    }

    fn push_attribute(&mut self, key: &str, value: &str) {
        if let Some(start) = &mut self.pending {
            let escaped = escape(value, true);
            start.push_attribute(RawAttribute { key: QName(key.as_bytes()), value: Cow::Owned(escaped.into_bytes()) });
        }
    }

    /// Adds an attribute to the element just started, before any content. `None` writes
    /// nothing.
    pub fn attribute<T: XmlText>(&mut self, name: &XmlName<'_>, value: Option<&T>) {
        let Some(value) = value else { return };
        if self.pending.is_none() {
            return;
        }
        let key = match (name.prefix, name.namespace) {
            (Some(prefix), Some(namespace)) => {
                if self.bound(prefix) != Some(namespace) {
                    self.declare(prefix, namespace);
                }
                format!("{prefix}:{}", name.local)
            }
            (Some(prefix), None) if self.bound(prefix).is_some() => format!("{prefix}:{}", name.local),
            _ => name.local.to_owned(),
        };
        self.push_attribute(&key, &value.to_xml_text());
    }

    /// Marks the element just started `xsi:nil="true"`.
    pub fn nil(&mut self) {
        self.attribute(&XmlName::new("nil").namespace(XSI_NAMESPACE).prefix("xsi"), Some(&true.to_string()));
    }

    /// Writes an element holding `value`; `None` writes nothing.
    pub fn element<T: XmlValue>(&mut self, name: &XmlName<'_>, value: Option<&T>) {
        if let Some(value) = value {
            value.write_xml(self, name);
        }
    }

    /// Writes a wrapped list: the wrapper element, with one element per item. `None` writes
    /// nothing; an empty list writes an empty wrapper.
    pub fn wrapped<T: XmlValue>(&mut self, wrapper: &XmlName<'_>, item: &XmlName<'_>, values: Option<&[T]>) {
        let Some(values) = values else { return };
        self.start(wrapper);
        self.list(item, values);
        self.end();
    }

    /// Writes an unwrapped list: one element per item, in the enclosing element.
    pub fn list<T: XmlValue>(&mut self, item: &XmlName<'_>, values: &[T]) {
        for value in values {
            value.write_xml(self, item);
        }
    }

    /// Writes text in the element just started.
    pub fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.flush();
        self.write(Event::Text(BytesText::from_escaped(escape(text, false))));
    }

    /// Ends the element last started.
    pub fn end(&mut self) {
        let Some(open) = self.open.pop() else { return };
        match self.pending.take() {
            Some(start) => self.write(Event::Empty(start)),
            None => self.write(Event::End(BytesEnd::new(open.qname))),
        }
    }

    /// The document written.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        match String::from_utf8(self.writer.into_inner()) {
            Ok(text) => text,
            Err(err) => String::from_utf8_lossy(err.as_bytes()).into_owned(),
        }
    }
}

/// Escapes text for an element (`attribute: false`) or an attribute value. Besides `&`, `<`
/// and `>`, carriage returns and other control characters are written as character
/// references, so that they read back as they were; in attributes, so are quotes, tabs and
/// newlines, which attribute-value normalization would otherwise turn into spaces.
fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\n' if !attribute => out.push('\n'),
            '\t' if !attribute => out.push('\t'),
            c if c.is_control() => {
                out.push_str("&#");
                out.push_str(&u32::from(c).to_string());
                out.push(';');
            }
            c => out.push(c),
        }
    }
    out
}

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

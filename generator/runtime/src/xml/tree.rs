//! The parsed document: [`Element`]s and their [`Attribute`]s, and the parser that builds
//! them from `quick-xml`'s events (the safety rules of the module docs are kept here).

use std::borrow::Cow;
use std::rc::Rc;

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use quick_xml::NsReader;

use super::{Limits, XmlError, XSI_NAMESPACE};

/// An element of a parsed document: its name, attributes, child elements and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element<'a> {
    pub(super) qname: Cow<'a, str>,
    pub(super) namespace: Option<Rc<str>>,
    pub(super) attributes: Vec<Attribute<'a>>,
    pub(super) children: Vec<Element<'a>>,
    pub(super) text: Cow<'a, str>,
    pub(super) offset: usize,
    pub(super) text_offset: Option<usize>,
}

/// An attribute of an [`Element`]. Namespace declarations (`xmlns`, `xmlns:p`) are not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute<'a> {
    pub(super) qname: Cow<'a, str>,
    pub(super) namespace: Option<Rc<str>>,
    pub(super) value: Cow<'a, str>,
    pub(super) offset: usize,
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

    pub(super) fn unexpected_text(&self) -> XmlError {
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

/// A document's root element, read by a [`Parser`].
pub(super) fn parse(input: &str, limits: Limits) -> Result<Element<'_>, XmlError> {
    Parser { input, namespaces: Vec::new() }.parse(limits)
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
                    let content =
                        text.xml10_content().map_err(|e| XmlError::new(offset, format!("malformed XML: {e}")))?;
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
                            let name =
                                reference.decode().map_err(|e| XmlError::new(offset, format!("malformed XML: {e}")))?;
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
            return Err(XmlError::new(
                open.offset,
                format!("`<{}>` is not closed before the end of the document", open.qname),
            ));
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
        let namespace = std::str::from_utf8(namespace)
            .map_err(|_| XmlError::new(offset, "malformed XML: a namespace name is not UTF-8"))?;
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

    fn open(
        &mut self,
        reader: &NsReader<&'a [u8]>,
        start: &BytesStart<'_>,
        offset: usize,
    ) -> Result<Element<'a>, XmlError> {
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
pub(super) fn describe(text: &str) -> String {
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

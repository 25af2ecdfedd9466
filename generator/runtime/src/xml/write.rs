//! [`XmlWriter`]: documents written element by element, with namespace declarations
//! where a namespace first comes into scope.

use std::borrow::Cow;

use quick_xml::events::attributes::Attribute as RawAttribute;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event};
use quick_xml::name::QName;

use super::value::{XmlText, XmlValue};
use super::{XmlName, XML_NAMESPACE, XSI_NAMESPACE};

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

//! [`Fields`]: the properties of an object read from its element, each taken once.

use super::tree::{describe, Element};
use super::value::{XmlText, XmlValue};
use super::{XmlError, XmlName, XSI_NAMESPACE};

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
        let position = element
            .attributes
            .iter()
            .enumerate()
            .position(|(i, a)| !self.attributes_used[i] && name.matches(a.local_name(), a.namespace()));
        let Some(i) = position else { return Ok(None) };
        self.attributes_used[i] = true;
        let attribute = &element.attributes[i];
        T::from_xml_text(&attribute.value).map(Some).map_err(|expected| {
            XmlError::new(
                attribute.offset,
                format!(
                    "attribute `{}` of `<{}>`: {expected}, found {}",
                    attribute.qname,
                    element.qname,
                    describe(&attribute.value)
                ),
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
    pub fn wrapped<T: XmlValue>(
        &mut self,
        wrapper: &XmlName<'_>,
        item: &XmlName<'_>,
    ) -> Result<Option<Vec<T>>, XmlError> {
        match self.take(wrapper)? {
            None => Ok(None),
            Some(list) if list.is_nil() => Ok(None),
            Some(list) => self.items(list, item).map(Some),
        }
    }

    /// A required wrapped list.
    pub fn required_wrapped<T: XmlValue>(
        &mut self,
        wrapper: &XmlName<'_>,
        item: &XmlName<'_>,
    ) -> Result<Vec<T>, XmlError> {
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
                    format!(
                        "unknown element `<{}>` in `<{}>`, which holds `<{}>` items",
                        child.qname, list.qname, item.local
                    ),
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
            return Err(XmlError::new(
                child.offset,
                format!("unknown element `<{}>` in `<{}>`", child.qname, element.qname),
            ));
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

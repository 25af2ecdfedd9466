//! [`XmlValue`] and [`XmlText`]: how each kind of value reads from an element and writes
//! as one, for the scalar types and the containers generated types are made of.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::tree::{describe, Element};
use super::write::XmlWriter;
use super::{is_name, XmlError, XmlName};

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
        XmlError::new(
            element.text_offset(),
            format!("`<{}>`: {expected}, found {}", element.qname, describe(&element.text)),
        )
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

//! [`Flat`]: one view of a schema's keywords, whichever `SchemaKind` `openapiv3` parsed it
//! into, so that the rest of lowering reads `type`, `format`, `properties` and the
//! combinators in one place.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;

use crate::model::Format;

/// One view of a schema's keywords, whichever `SchemaKind` `openapiv3` parsed it into.
pub(super) struct Flat<'s> {
    pub(super) schema: &'s Schema,
    pub(super) typ: Option<String>,
    pub(super) format: Option<Format>,
    pub(super) properties: Vec<(&'s String, &'s ReferenceOr<Box<Schema>>)>,
    pub(super) required: &'s [String],
    pub(super) additional: Option<&'s AdditionalProperties>,
    pub(super) items: Option<&'s ReferenceOr<Box<Schema>>>,
    pub(super) enumeration: Vec<Value>,
    pub(super) one_of: &'s [ReferenceOr<Schema>],
    pub(super) any_of: &'s [ReferenceOr<Schema>],
    pub(super) all_of: &'s [ReferenceOr<Schema>],
}

/// `ReferenceOr<Schema>` and `ReferenceOr<Box<Schema>>` both occur in `openapiv3`.
pub(super) trait AsSchema {
    fn as_schema(&self) -> &Schema;
}

impl AsSchema for Schema {
    fn as_schema(&self) -> &Schema {
        self
    }
}

impl AsSchema for Box<Schema> {
    fn as_schema(&self) -> &Schema {
        self
    }
}

impl<'s> Flat<'s> {
    pub(super) fn new(schema: &'s Schema) -> Self {
        let mut flat = Flat {
            schema,
            typ: None,
            format: None,
            properties: Vec::new(),
            required: &[],
            additional: None,
            items: None,
            enumeration: Vec::new(),
            one_of: &[],
            any_of: &[],
            all_of: &[],
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                flat.typ = Some("string".into());
                flat.format = format_name(&t.format);
                flat.enumeration = t.enumeration.iter().map(|v| v.clone().map_or(Value::Null, Value::String)).collect();
            }
            SchemaKind::Type(Type::Number(t)) => {
                flat.typ = Some("number".into());
                flat.format = format_name(&t.format);
                flat.enumeration = t.enumeration.iter().map(|v| v.map_or(Value::Null, Value::from)).collect();
            }
            SchemaKind::Type(Type::Integer(t)) => {
                flat.typ = Some("integer".into());
                flat.format = format_name(&t.format);
                flat.enumeration = t.enumeration.iter().map(|v| v.map_or(Value::Null, Value::from)).collect();
            }
            SchemaKind::Type(Type::Boolean(t)) => {
                flat.typ = Some("boolean".into());
                flat.enumeration = t.enumeration.iter().map(|v| v.map_or(Value::Null, Value::Bool)).collect();
            }
            SchemaKind::Type(Type::Object(t)) => {
                flat.typ = Some("object".into());
                flat.properties = t.properties.iter().collect();
                flat.required = &t.required;
                flat.additional = t.additional_properties.as_ref();
            }
            SchemaKind::Type(Type::Array(t)) => {
                flat.typ = Some("array".into());
                flat.items = t.items.as_ref();
            }
            SchemaKind::OneOf { one_of } => flat.one_of = one_of,
            SchemaKind::AllOf { all_of } => flat.all_of = all_of,
            SchemaKind::AnyOf { any_of } => flat.any_of = any_of,
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(any) => {
                flat.typ = any.typ.clone();
                flat.format = any.format.as_deref().map(Format::parse);
                flat.properties = any.properties.iter().collect();
                flat.required = &any.required;
                flat.additional = any.additional_properties.as_ref();
                flat.items = any.items.as_ref();
                flat.enumeration = any.enumeration.clone();
                flat.one_of = &any.one_of;
                flat.any_of = &any.any_of;
                flat.all_of = &any.all_of;
            }
        }
        flat
    }
}

fn format_name<T: serde::Serialize>(format: &openapiv3::VariantOrUnknownOrEmpty<T>) -> Option<Format> {
    match format {
        openapiv3::VariantOrUnknownOrEmpty::Item(item) => {
            serde_json::to_value(item).ok().and_then(|v| v.as_str().map(Format::parse))
        }
        openapiv3::VariantOrUnknownOrEmpty::Unknown(name) => Some(Format::parse(name)),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

//! Lowering of XML Objects (`xml`): which types have an XML form, and the element or
//! attribute each of their properties reads from and writes as.
//!
//! It runs after the types are lowered, over the finished model and the spec's JSON, and
//! only adds to the model: [`ApiModel::xml_bodies`], [`TypeDef::xml`](crate::model::TypeDef),
//! [`Field::xml`](crate::model::Field) and `Field::xml_items`.
//!
//! - The types with an XML form are those of the bodies under an XML media type
//!   (`application/xml`, `text/xml`, `+xml`), request bodies and responses, and every type
//!   they contain.
//! - A value's XML Object is its use site's (the property or `items` schema, or a one-member
//!   `allOf` wrapping a `$ref`, since siblings of `$ref` are ignored in OpenAPI 3.0) merged
//!   with those of the schemas it refers to, each key taken from the first that sets it. So
//!   `items: {$ref: Tag}` takes `Tag`'s `xml.name`, and a use site's own name wins.
//! - Default names, as OpenAPI 3.0 gives them: a property's element is named after the
//!   property; a root element after its component schema (or its Rust type, for an inline
//!   schema); the items of an array after the array, which is its wrapper's name when
//!   `wrapped` and the property's name otherwise (`xml.name` on an unwrapped array has no
//!   effect, as the specification says).
//! - What XML cannot carry is a warning with its JSON Pointer, and the value falls back to
//!   what can: a name that is not an XML name takes the default, `attribute` on a value that
//!   is not a scalar is an element, a namespace on an unprefixed attribute is dropped.

use std::collections::{BTreeMap, BTreeSet};

use apigen_runtime::names::is_xml_name;
use serde_json::Value;

use super::schema::MAX_DEPTH;
use crate::diag::{pointer_join, Diagnostics};
use crate::load::{percent_decode, resolve_pointer, Spec};
use crate::media::is_xml;
use crate::model::{ApiModel, Primitive, TypeId, TypeKind, TypeRef, Xml, XmlBody};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Fills in the XML side of the model.
pub fn lower_xml(spec: &Spec, model: &mut ApiModel, diags: &mut Diagnostics) {
    let by_pointer: BTreeMap<String, TypeId> =
        model.types.iter().enumerate().map(|(i, def)| (def.doc.pointer.clone(), TypeId(i))).collect();
    let lowerer = XmlLowerer { raw: &spec.raw, by_pointer };
    let bodies = lowerer.bodies(diags);
    let mut roots = Vec::new();
    for body in &bodies {
        match root_of(&body.ty) {
            Root::Named(id) => roots.push(id),
            Root::Array(inner) => {
                diags.warning(
                    &body.pointer,
                    "an XML body that is an array has no root element of its own in OpenAPI; the type of its items gets an XML form, the list does not",
                );
                roots.extend(inner);
            }
            Root::Scalar => diags.warning(
                &body.pointer,
                "an XML body that is not an object has no element structure in the spec; it is carried as text, with no XML form",
            ),
        }
        // A body's named type may be an alias: its target carries the form.
    }
    let marked = closure(model, roots);
    for id in &marked {
        lowerer.lower_type(model, *id, diags);
    }
    model.xml_bodies = bodies;
}

/// What a body's type gives an XML form to.
enum Root {
    Named(TypeId),
    Array(Option<TypeId>),
    Scalar,
}

fn root_of(ty: &TypeRef) -> Root {
    match ty {
        TypeRef::Named(id) => Root::Named(*id),
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => root_of(inner),
        TypeRef::Vec(inner) => Root::Array(match root_of(inner) {
            Root::Named(id) => Some(id),
            Root::Array(id) => id,
            Root::Scalar => None,
        }),
        TypeRef::Map(_) | TypeRef::Primitive(_) => Root::Scalar,
    }
}

/// Every type reachable from `roots`, in id order.
fn closure(model: &ApiModel, roots: Vec<TypeId>) -> BTreeSet<TypeId> {
    let mut marked = BTreeSet::new();
    let mut queue = roots;
    while let Some(id) = queue.pop() {
        if id.0 >= model.types.len() || !marked.insert(id) {
            continue;
        }
        let mut refs = Vec::new();
        match &model.types[id.0].kind {
            TypeKind::Struct(s) => refs.extend(s.fields.iter().map(|f| &f.ty)),
            TypeKind::Union(variants) => refs.extend(variants.iter().map(|v| &v.ty)),
            TypeKind::Alias(ty) => refs.push(ty),
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
        }
        for ty in refs {
            named_in(ty, &mut queue);
        }
    }
    marked
}

fn named_in(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Nullable(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
            named_in(inner, out)
        }
        TypeRef::Primitive(_) => {}
    }
}

/// The keys of the XML Objects along a schema's chain, each with the pointer it came from.
#[derive(Default)]
struct Merged {
    name: Option<(String, String)>,
    namespace: Option<(String, String)>,
    prefix: Option<(String, String)>,
    attribute: Option<bool>,
    wrapped: Option<bool>,
}

/// What a field's type is, seen through aliases, for XML.
#[derive(PartialEq, Eq)]
enum Kind {
    /// A string, number, boolean, date or enum: text, in an element or an attribute.
    Scalar,
    List,
    Map,
    /// An object, a union or any value.
    Other,
}

struct XmlLowerer<'s> {
    raw: &'s Value,
    by_pointer: BTreeMap<String, TypeId>,
}

impl<'s> XmlLowerer<'s> {
    /// Every body under an XML media type, request bodies and responses of the operations
    /// (references followed) and of `#/components`, each once.
    fn bodies(&self, diags: &mut Diagnostics) -> Vec<XmlBody> {
        let mut sites = Vec::new();
        if let Some(paths) = self.raw.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                let item_pointer = pointer_join("#/paths", path);
                for method in METHODS {
                    let Some(operation) = item.get(*method) else { continue };
                    let op_pointer = pointer_join(&item_pointer, method);
                    if let Some(body) = operation.get("requestBody") {
                        sites.push(self.follow(body, pointer_join(&op_pointer, "requestBody")));
                    }
                    if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
                        let responses_pointer = pointer_join(&op_pointer, "responses");
                        for (status, response) in responses {
                            sites.push(self.follow(response, pointer_join(&responses_pointer, status)));
                        }
                    }
                }
            }
        }
        let components = self.raw.get("components");
        for (section, base) in
            [("requestBodies", "#/components/requestBodies"), ("responses", "#/components/responses")]
        {
            if let Some(map) = components.and_then(|c| c.get(section)).and_then(Value::as_object) {
                for (key, value) in map {
                    sites.push(self.follow(value, pointer_join(base, key)));
                }
            }
        }
        let mut seen = BTreeSet::new();
        let mut bodies = Vec::new();
        for (value, pointer) in sites.into_iter().flatten() {
            if !seen.insert(pointer.clone()) {
                continue;
            }
            let Some(content) = value.get("content").and_then(Value::as_object) else { continue };
            let content_pointer = pointer_join(&pointer, "content");
            for (media, media_type) in content {
                let Some(schema) = media_type.get("schema").filter(|_| is_xml(media)) else { continue };
                let schema_pointer = pointer_join(&pointer_join(&content_pointer, media), "schema");
                if let Some(ty) = self.type_of(schema, &schema_pointer, 0) {
                    bodies.push(XmlBody { media_type: media.clone(), pointer: schema_pointer, ty });
                } else {
                    diags.warning(&schema_pointer, "the type of this XML body is not known; it gets no XML form");
                }
            }
        }
        bodies
    }

    /// Follows `$ref`s to the object itself, with its pointer.
    fn follow(&self, value: &'s Value, pointer: String) -> Option<(&'s Value, String)> {
        let mut value = value;
        let mut pointer = pointer;
        for _ in 0..MAX_DEPTH {
            let Some(reference) = value.get("$ref").and_then(Value::as_str) else { return Some((value, pointer)) };
            value = resolve_pointer(self.raw, reference)?;
            pointer = percent_decode(reference).unwrap_or_else(|| reference.to_owned());
        }
        None
    }

    /// The model's type of the schema at `pointer`, found from the types lowering made.
    fn type_of(&self, schema: &'s Value, pointer: &str, depth: usize) -> Option<TypeRef> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let target = percent_decode(reference).unwrap_or_else(|| reference.to_owned());
            if let Some(id) = self.by_pointer.get(&target) {
                return Some(TypeRef::Named(*id));
            }
            let value = resolve_pointer(self.raw, reference)?;
            return self.type_of(value, &target, depth + 1);
        }
        if let Some(id) = self.by_pointer.get(pointer) {
            return Some(TypeRef::Named(*id));
        }
        if let Some((i, member)) = passthrough_member(schema) {
            let member_pointer = pointer_join(&pointer_join(pointer, "allOf"), &i.to_string());
            return self.type_of(member, &member_pointer, depth + 1);
        }
        let typ = schema.get("type").and_then(Value::as_str);
        if let Some(items) = schema.get("items").filter(|_| matches!(typ, None | Some("array"))) {
            let item = self.type_of(items, &pointer_join(pointer, "items"), depth + 1);
            return Some(TypeRef::Vec(Box::new(item.unwrap_or(TypeRef::Primitive(Primitive::Value)))));
        }
        Some(TypeRef::Primitive(match typ {
            Some("string") => Primitive::String,
            Some("boolean") => Primitive::Bool,
            Some("integer") => Primitive::I64,
            Some("number") => Primitive::F64,
            _ => Primitive::Value,
        }))
    }

    /// The schemas whose XML Objects apply to a value, use site first: through `$ref`s and
    /// one-member `allOf` wrappers. A `$ref`'s own siblings are ignored, as OpenAPI 3.0 says.
    fn chain(&self, value: &'s Value, pointer: &str) -> Vec<(&'s Value, String)> {
        let mut out = Vec::new();
        let mut value = value;
        let mut pointer = pointer.to_owned();
        for _ in 0..MAX_DEPTH {
            if let Some(reference) = value.get("$ref").and_then(Value::as_str) {
                let Some(target) = resolve_pointer(self.raw, reference) else { break };
                value = target;
                pointer = percent_decode(reference).unwrap_or_else(|| reference.to_owned());
                continue;
            }
            out.push((value, pointer.clone()));
            match passthrough_member(value) {
                Some((i, member)) => {
                    value = member;
                    pointer = pointer_join(&pointer_join(&pointer, "allOf"), &i.to_string());
                }
                None => break,
            }
        }
        out
    }

    fn merged(&self, value: &'s Value, pointer: &str) -> Merged {
        let mut merged = Merged::default();
        for (schema, schema_pointer) in self.chain(value, pointer) {
            let Some(xml) = schema.get("xml").and_then(Value::as_object) else { continue };
            let xml_pointer = pointer_join(&schema_pointer, "xml");
            let text = |key: &str| {
                xml.get(key).and_then(Value::as_str).map(|s| (s.to_owned(), pointer_join(&xml_pointer, key)))
            };
            merged.name = merged.name.or_else(|| text("name"));
            merged.namespace = merged.namespace.or_else(|| text("namespace"));
            merged.prefix = merged.prefix.or_else(|| text("prefix"));
            merged.attribute = merged.attribute.or_else(|| xml.get("attribute").and_then(Value::as_bool));
            merged.wrapped = merged.wrapped.or_else(|| xml.get("wrapped").and_then(Value::as_bool));
        }
        merged
    }

    /// The first `items` schema along a value's chain, with its pointer.
    fn items_of(&self, value: &'s Value, pointer: &str) -> Option<(&'s Value, String)> {
        self.chain(value, pointer).into_iter().find_map(|(schema, schema_pointer)| {
            schema.get("items").map(|items| (items, pointer_join(&schema_pointer, "items")))
        })
    }

    fn lower_type(&self, model: &mut ApiModel, id: TypeId, diags: &mut Diagnostics) {
        let def = &model.types[id.0];
        let pointer = def.doc.pointer.clone();
        let default_name = match pointer.strip_prefix("#/components/schemas/") {
            Some(key) if !key.contains('/') => key.replace("~1", "/").replace("~0", "~"),
            _ => def.name.clone(),
        };
        let merged =
            resolve_pointer(self.raw, &pointer).map(|schema| self.merged(schema, &pointer)).unwrap_or_default();
        let root = element(&merged, &default_name, &pointer, diags);
        let mut fields_xml = Vec::new();
        if let TypeKind::Struct(s) = &def.kind {
            if s.additional.is_some() {
                diags.warning(
                    &pointer,
                    "properties not named in the schema (`additionalProperties`) are not read from or written to XML",
                );
            }
            let mut taken: Vec<(bool, String, Option<String>, String)> = Vec::new();
            for field in &s.fields {
                let kind = kind_of(model, &field.ty);
                let field_pointer = field.doc.pointer.clone();
                let schema =
                    resolve_pointer(self.raw, &field_pointer).filter(|_| !field_pointer.ends_with("/required"));
                let merged = schema.map(|v| self.merged(v, &field_pointer)).unwrap_or_default();
                let mut xml = element(&merged, &field.wire_name, &field_pointer, diags);
                if merged.attribute == Some(true) {
                    if kind == Kind::Scalar {
                        xml.attribute = true;
                        if xml.namespace.is_some() && xml.prefix.is_none() {
                            diags.warning(
                                &field_pointer,
                                "an attribute in a namespace needs a prefix; without `xml.prefix` the attribute is written without the namespace",
                            );
                            xml.namespace = None;
                        }
                    } else {
                        diags.warning(
                            &field_pointer,
                            "`xml.attribute` on a value that is not a scalar: it is an element",
                        );
                    }
                }
                if merged.wrapped == Some(true) {
                    if kind == Kind::List {
                        xml.wrapped = true;
                    } else {
                        diags.warning(&field_pointer, "`xml.wrapped` on a value that is not an array has no effect");
                    }
                }
                if kind == Kind::Map {
                    diags.warning(
                        &field_pointer,
                        "a map has no XML form in OpenAPI: its entries are elements named by their keys, and entries whose keys are not XML names are not written",
                    );
                }
                let items = (kind == Kind::List).then(|| {
                    // The items are named after the array: its wrapper when wrapped, the
                    // property otherwise.
                    let array_name = if xml.wrapped {
                        xml.name.clone()
                    } else if is_xml_name(&field.wire_name) {
                        field.wire_name.clone()
                    } else {
                        clean_name(&field.wire_name)
                    };
                    let items_merged = schema
                        .and_then(|v| self.items_of(v, &field_pointer))
                        .map(|(items, items_pointer)| self.merged(items, &items_pointer))
                        .unwrap_or_default();
                    let mut item = element(&items_merged, &array_name, &field_pointer, diags);
                    item.attribute = false;
                    item.wrapped = false;
                    item
                });
                let read_as = if xml.attribute {
                    (true, xml.name.clone(), xml.namespace.clone())
                } else if let (Some(item), false) = (&items, xml.wrapped) {
                    (false, item.name.clone(), item.namespace.clone())
                } else {
                    (false, xml.name.clone(), xml.namespace.clone())
                };
                if let Some((_, _, _, other)) =
                    taken.iter().find(|(a, n, ns, _)| (*a, n, ns) == (read_as.0, &read_as.1, &read_as.2))
                {
                    diags.warning(
                        &field_pointer,
                        format!(
                            "property `{}` has the same XML name `{}` as property `{other}`; reading gives each element to the first",
                            field.wire_name, read_as.1
                        ),
                    );
                }
                taken.push((read_as.0, read_as.1, read_as.2, field.wire_name.clone()));
                fields_xml.push((xml, items));
            }
        }
        let def = &mut model.types[id.0];
        def.xml = Some(root);
        if let TypeKind::Struct(s) = &mut def.kind {
            for (field, (xml, items)) in s.fields.iter_mut().zip(fields_xml) {
                field.xml = Some(xml);
                field.xml_items = items;
            }
        }
    }
}

/// An element's XML from a merged XML Object, with the name defaulting to `default`; names,
/// prefixes and namespaces that XML cannot carry are warned about and dropped.
fn element(merged: &Merged, default: &str, pointer: &str, diags: &mut Diagnostics) -> Xml {
    let default_name = if is_xml_name(default) {
        default.to_owned()
    } else {
        let cleaned = clean_name(default);
        diags.warning(pointer, format!("`{default}` is not an XML name; its element is named `{cleaned}`"));
        cleaned
    };
    let name = match &merged.name {
        Some((name, _)) if is_xml_name(name) => name.clone(),
        Some((name, name_pointer)) => {
            diags.warning(
                name_pointer,
                format!("`{name}` is not an XML name; the default name `{default_name}` is used"),
            );
            default_name
        }
        None => default_name,
    };
    let namespace = match &merged.namespace {
        Some((namespace, _)) if !namespace.trim().is_empty() => Some(namespace.clone()),
        Some((_, namespace_pointer)) => {
            diags.warning(namespace_pointer, "an empty namespace is no namespace; it is ignored");
            None
        }
        None => None,
    };
    let prefix = match &merged.prefix {
        Some((prefix, _)) if is_xml_name(prefix) && !prefix.eq_ignore_ascii_case("xmlns") => Some(prefix.clone()),
        Some((prefix, prefix_pointer)) => {
            diags.warning(prefix_pointer, format!("`{prefix}` cannot be a namespace prefix; it is ignored"));
            None
        }
        None => None,
    };
    Xml { name, namespace, prefix, attribute: false, wrapped: false }
}

/// An XML name made from `name`: other characters become `_`, and a leading `_` is added
/// where it does not start as a name does.
fn clean_name(name: &str) -> String {
    let mut cleaned: String =
        name.chars().map(|c| if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') { c } else { '_' }).collect();
    if !cleaned.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        cleaned.insert(0, '_');
    }
    cleaned
}

/// A one-member `allOf` that stands for its member (`{allOf: [{$ref: X}], xml: ...}`): the
/// member's index and schema.
fn passthrough_member(schema: &Value) -> Option<(usize, &Value)> {
    if schema.get("properties").is_some() || schema.get("items").is_some() {
        return None;
    }
    let members = schema.get("allOf")?.as_array()?;
    let mut shaping = members.iter().enumerate().filter(|(_, m)| shapes_value(m));
    let first = shaping.next()?;
    shaping.next().is_none().then_some(first)
}

fn shapes_value(schema: &Value) -> bool {
    ["$ref", "type", "properties", "items", "enum", "allOf", "oneOf", "anyOf", "additionalProperties"]
        .iter()
        .any(|key| schema.get(*key).is_some())
}

/// What a field's type is, through nullability, boxes and aliases.
fn kind_of(model: &ApiModel, ty: &TypeRef) -> Kind {
    let mut ty = ty;
    for _ in 0..MAX_DEPTH {
        match ty {
            TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => ty = inner,
            TypeRef::Vec(_) => return Kind::List,
            TypeRef::Map(_) => return Kind::Map,
            TypeRef::Primitive(Primitive::Value) => return Kind::Other,
            TypeRef::Primitive(_) => return Kind::Scalar,
            TypeRef::Named(id) => match model.types.get(id.0).map(|d| &d.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                Some(TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_)) => return Kind::Scalar,
                _ => return Kind::Other,
            },
        }
    }
    Kind::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_names() {
        assert_eq!(clean_name("##default"), "__default");
        assert_eq!(clean_name("2fa"), "_2fa");
        assert_eq!(clean_name("a b"), "a_b");
    }
}

//! What a mutation does to a document: [`Op`], and [`apply`] that carries one out.

use serde_json::{json, Value};

use super::nodes::{get, get_mut, reference, Filter, Pick, Tok};

/// Where a generated `$ref` points.
#[derive(Debug, Clone)]
pub(super) enum RefTo {
    /// Any node of the document (an object, an array, a string, the root, a path item...).
    Node(Pick, bool),
    /// The node `n` levels above the `$ref` (0: the node holding the `$ref` itself): a cycle.
    Ancestor(u8),
    /// A spelling that resolves to nothing, or oddly.
    Odd(&'static str),
}

#[derive(Debug, Clone)]
pub(super) enum Op {
    /// Removes the node (a key of its object, or an item of its array).
    Delete(Pick),
    /// Replaces the node with another value.
    Replace(Pick, Value),
    /// Replaces a node where a schema stands with a generated schema.
    Schema(Pick, Value),
    /// Adds (or replaces) a component schema.
    Component(String, Value),
    /// Copies the first node into the second (under a key, or appended to an array).
    Duplicate(Pick, Pick, String),
    /// Exchanges two nodes (when neither contains the other).
    Swap(Pick, Pick),
    /// Gives the node a value of another JSON type.
    WrongType(Pick, u8),
    /// Puts a `$ref` in an object beside its keys, or replaces the node with a reference.
    Ref(Pick, RefTo, bool),
    /// Wraps the node in `levels` levels of a keyword (`allOf`, `items`, ...).
    Nest(Pick, u8, u8),
    /// Renames the node's key in its object.
    Rename(Pick, String),
    /// Adds keywords, with values of any type, to an object.
    Soup(Pick, Vec<(String, Value)>),
}

/// `$ref` placeholders in generated values are written `@N` (any node) or `@sN` (a schema) and
/// resolved against the document when they are put in.
fn resolve_placeholders(value: &mut Value, doc: &Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get_mut("$ref") {
                if let Some(rest) = r.strip_prefix('@') {
                    let (filter, n) = match rest.strip_prefix('s') {
                        Some(n) => (Filter::Schema, n),
                        None => (Filter::Any, rest),
                    };
                    let index = n.parse().unwrap_or(0);
                    let path = Pick { index, filter }.resolve(doc).unwrap_or_default();
                    *r = reference(&path, index % 7 == 0);
                }
            }
            for v in map.values_mut() {
                resolve_placeholders(v, doc);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| resolve_placeholders(v, doc)),
        _ => {}
    }
}

pub(super) fn apply(doc: &mut Value, op: &Op) {
    match op {
        Op::Delete(pick) => {
            let Some(path) = pick.resolve(doc) else { return };
            let Some((last, parent)) = path.split_last() else { return };
            match (get_mut(doc, parent), last) {
                (Some(Value::Object(map)), Tok::Key(k)) => {
                    map.shift_remove(k);
                }
                (Some(Value::Array(items)), Tok::Index(i)) if *i < items.len() => {
                    items.remove(*i);
                }
                _ => {}
            }
        }
        Op::Replace(pick, value) | Op::Schema(pick, value) => {
            let Some(path) = pick.resolve(doc) else { return };
            let mut value = value.clone();
            resolve_placeholders(&mut value, doc);
            if let Some(node) = get_mut(doc, &path) {
                *node = value;
            }
        }
        Op::Component(name, schema) => {
            let mut schema = schema.clone();
            resolve_placeholders(&mut schema, doc);
            let Value::Object(root) = doc else { return };
            let components = root.entry("components").or_insert_with(|| json!({}));
            if !components.is_object() {
                *components = json!({});
            }
            let schemas = components.as_object_mut().map(|c| c.entry("schemas").or_insert_with(|| json!({})));
            if let Some(schemas) = schemas {
                if !schemas.is_object() {
                    *schemas = json!({});
                }
                if let Value::Object(map) = schemas {
                    map.insert(name.clone(), schema);
                }
            }
        }
        Op::Duplicate(from, to, key) => {
            let (Some(from), Some(to)) = (from.resolve(doc), to.resolve(doc)) else { return };
            let Some(copy) = get(doc, &from).cloned() else { return };
            match get_mut(doc, &to) {
                Some(Value::Object(map)) => {
                    map.insert(key.clone(), copy);
                }
                Some(Value::Array(items)) => items.push(copy),
                _ => {}
            }
        }
        Op::Swap(a, b) => {
            let (Some(a), Some(b)) = (a.resolve(doc), b.resolve(doc)) else { return };
            if a.starts_with(&b) || b.starts_with(&a) {
                return;
            }
            let (Some(va), Some(vb)) = (get(doc, &a).cloned(), get(doc, &b).cloned()) else { return };
            if let Some(node) = get_mut(doc, &a) {
                *node = vb;
            }
            if let Some(node) = get_mut(doc, &b) {
                *node = va;
            }
        }
        Op::WrongType(pick, how) => {
            let Some(path) = pick.resolve(doc) else { return };
            let Some(node) = get_mut(doc, &path) else { return };
            let old = std::mem::take(node);
            *node = match (old, how % 4) {
                (Value::Object(map), 0) => Value::Array(map.into_iter().map(|(_, v)| v).collect()),
                (Value::Array(items), 0) => {
                    Value::Object(items.into_iter().enumerate().map(|(i, v)| (i.to_string(), v)).collect())
                }
                (Value::String(s), 0) => json!(s.len()),
                (Value::Number(n), 0) => json!(n.to_string()),
                (Value::Bool(b), 0) => json!(b.to_string()),
                (old, 1) => json!([old]),
                (old, 2) => json!({ "value": old }),
                _ => Value::Null,
            };
        }
        Op::Ref(pick, to, beside) => {
            let Some(path) = pick.resolve(doc) else { return };
            let target = match to {
                RefTo::Node(target, percent) => reference(&target.resolve(doc).unwrap_or_default(), *percent),
                RefTo::Ancestor(n) => reference(&path[..path.len().saturating_sub(usize::from(*n))], false),
                RefTo::Odd(s) => (*s).to_owned(),
            };
            let Some(node) = get_mut(doc, &path) else { return };
            match node {
                Value::Object(map) if *beside => {
                    map.insert("$ref".to_owned(), Value::String(target));
                }
                node => *node = json!({ "$ref": target }),
            }
        }
        Op::Nest(pick, how, levels) => {
            let Some(path) = pick.resolve(doc) else { return };
            let Some(node) = get_mut(doc, &path) else { return };
            let mut value = std::mem::take(node);
            for _ in 0..*levels {
                value = match how % 8 {
                    0 => json!({ "allOf": [value] }),
                    1 => json!({ "type": "array", "items": value }),
                    2 => json!({ "type": "object", "properties": { "a": value } }),
                    3 => json!({ "oneOf": [value, { "type": "string" }] }),
                    4 => json!({ "anyOf": [value] }),
                    5 => json!({ "not": value }),
                    6 => json!({ "additionalProperties": value }),
                    _ => json!([value]),
                };
            }
            *node = value;
        }
        Op::Rename(pick, name) => {
            let Some(path) = pick.resolve(doc) else { return };
            let Some((Tok::Key(old), parent)) = path.split_last() else { return };
            if let Some(Value::Object(map)) = get_mut(doc, parent) {
                // Keep the key's position, so that order-dependent naming is exercised.
                let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
                for (k, v) in entries {
                    let k = if &k == old { name.clone() } else { k };
                    map.insert(k, v);
                }
            }
        }
        Op::Soup(pick, words) => {
            let Some(path) = pick.resolve(doc) else { return };
            let mut words = words.clone();
            for (_, v) in &mut words {
                resolve_placeholders(v, doc);
            }
            if let Some(Value::Object(map)) = get_mut(doc, &path) {
                for (k, v) in words {
                    map.insert(k, v);
                }
            }
        }
    }
}

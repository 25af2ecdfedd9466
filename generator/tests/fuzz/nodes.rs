//! Addressing the nodes of a JSON value: a path of keys and indices, picked among the
//! document's nodes (or its schema places), read, written, and spelled as a `$ref`.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Key(String),
    Index(usize),
}

/// Which nodes a mutation may pick.
#[derive(Debug, Clone, Copy)]
pub(super) enum Filter {
    Any,
    Object,
    /// Nodes that stand where a schema stands (`schema`, `items`, a property, a component
    /// schema, a member of `allOf`, ...), falling back to objects.
    Schema,
}

/// A node of the document, chosen by index among the nodes the filter admits (modulo their
/// number), so that a pick means something whatever the mutations before it did.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pick {
    pub(super) index: usize,
    pub(super) filter: Filter,
}

fn walk(value: &Value, path: &mut Vec<Tok>, out: &mut Vec<(Vec<Tok>, bool)>) {
    out.push((path.clone(), value.is_object()));
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                path.push(Tok::Key(k.clone()));
                walk(v, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Tok::Index(i));
                walk(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn is_schema_place(path: &[Tok]) -> bool {
    let last = path.last();
    let parent = path.len().checked_sub(2).and_then(|i| path.get(i));
    let key = |t: Option<&Tok>, names: &[&str]| matches!(t, Some(Tok::Key(k)) if names.contains(&k.as_str()));
    key(last, &["schema", "items", "additionalProperties", "not"])
        || key(parent, &["schemas", "properties", "allOf", "oneOf", "anyOf"])
}

impl Pick {
    pub(super) fn resolve(self, doc: &Value) -> Option<Vec<Tok>> {
        let mut all = Vec::new();
        walk(doc, &mut Vec::new(), &mut all);
        let candidates: Vec<Vec<Tok>> = match self.filter {
            Filter::Any => all.into_iter().map(|(p, _)| p).collect(),
            Filter::Object => all.into_iter().filter(|(_, o)| *o).map(|(p, _)| p).collect(),
            Filter::Schema => {
                let schemas: Vec<Vec<Tok>> =
                    all.iter().filter(|(p, o)| *o && is_schema_place(p)).map(|(p, _)| p.clone()).collect();
                if schemas.is_empty() {
                    all.into_iter().filter(|(_, o)| *o).map(|(p, _)| p).collect()
                } else {
                    schemas
                }
            }
        };
        if candidates.is_empty() {
            None
        } else {
            Some(candidates[self.index % candidates.len()].clone())
        }
    }
}

pub(super) fn get_mut<'a>(value: &'a mut Value, path: &[Tok]) -> Option<&'a mut Value> {
    let mut node = value;
    for tok in path {
        node = match (node, tok) {
            (Value::Object(map), Tok::Key(k)) => map.get_mut(k)?,
            (Value::Array(items), Tok::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

pub(super) fn get<'a>(value: &'a Value, path: &[Tok]) -> Option<&'a Value> {
    let mut node = value;
    for tok in path {
        node = match (node, tok) {
            (Value::Object(map), Tok::Key(k)) => map.get(k)?,
            (Value::Array(items), Tok::Index(i)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// The `$ref` spelling of a path (`#/components/schemas/A~1B/allOf/0`), percent-encoding
/// some characters when asked, as specs do.
pub(super) fn reference(path: &[Tok], percent: bool) -> String {
    let mut out = String::from("#");
    for tok in path {
        out.push('/');
        match tok {
            Tok::Key(k) => {
                let escaped = k.replace('~', "~0").replace('/', "~1");
                if percent {
                    for c in escaped.chars() {
                        match c {
                            ' ' | '{' | '}' | '%' | '"' => out.push_str(&format!("%{:02X}", c as u32)),
                            c => out.push(c),
                        }
                    }
                } else {
                    out.push_str(&escaped);
                }
            }
            Tok::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

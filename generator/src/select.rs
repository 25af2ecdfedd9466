//! Select: the part of a spec a configuration asks for, before lowering.
//!
//! Operations are kept or dropped by tag, path glob or operation id ([`Options::include`],
//! [`Options::exclude`]); then every component that no kept operation reaches through `$ref`s
//! is left out, so a subset of a large spec generates a small crate. Schemas replaced by
//! existing Rust types ([`Options::replace`]) become empty schemas here, so that nothing they
//! referred to is generated for them; lowering names the replacement.
//!
//! This works on the document as plain JSON, then reads it into `openapiv3` again: the
//! pointers of everything kept stay as they were, so diagnostics still point into the file.

use std::collections::BTreeSet;

use globset::GlobMatcher;
use serde_json::{Map, Value};

use crate::config::Selector;
use crate::diag::{pointer_join, Diagnostics};
use crate::load::Spec;
use crate::Options;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Component maps whose entries are left out when nothing uses them. Security schemes stay:
/// the client offers a credential setter for each.
const PRUNED: [&str; 5] = ["schemas", "responses", "parameters", "requestBodies", "headers"];

/// The spec as `options` select it, or `None` when they select all of it unchanged.
pub fn select(spec: &Spec, options: &Options, diags: &mut Diagnostics) -> Option<Spec> {
    let filtering = options.include.is_some() || options.exclude.is_some();
    if !filtering && options.replace.is_empty() {
        return None;
    }
    let mut raw = spec.raw.clone();
    if filtering {
        let include = options.include.as_ref().map(|s| Compiled::new(s, "include", diags));
        let exclude = options.exclude.as_ref().map(|s| Compiled::new(s, "exclude", diags));
        if let Some(Value::Object(paths)) = raw.get_mut("paths") {
            for (path, item) in paths.iter_mut() {
                let Value::Object(item) = item else { continue };
                item.retain(|key, operation| {
                    !METHODS.contains(&key.as_str())
                        || (include.as_ref().is_none_or(|s| s.matches(path, operation))
                            && !exclude.as_ref().is_some_and(|s| s.matches(path, operation)))
                });
            }
            paths.retain(|_, item| item.get("$ref").is_some() || METHODS.iter().any(|m| item.get(m).is_some()));
        }
        for (selector, which) in [(&include, "include"), (&exclude, "exclude")] {
            if let Some(selector) = selector {
                selector.report_unmatched(&spec.raw, which, diags);
            }
        }
    }
    for (key, path) in &options.replace {
        let pointer = pointer_join("#/components/schemas", key);
        if syn::parse_str::<syn::Type>(path).is_err() {
            diags.error(&pointer, format!("replace: `{path}` is not a Rust type"));
            continue;
        }
        match raw.pointer_mut(&pointer[1..]) {
            Some(schema) => *schema = Value::Object(Map::new()),
            None => diags.error("#/components/schemas", format!("replace: the spec has no schema `{key}`")),
        }
    }
    if filtering {
        prune(&mut raw);
    }
    match serde_json::from_value(raw.clone()) {
        Ok(openapi) => Some(Spec {
            name: spec.name.clone(),
            raw,
            openapi,
            origins: spec.origins.clone(),
            more_operations: spec.more_operations.clone(),
            warnings: spec.warnings.clone(),
        }),
        // Only entries were removed from a document that read before; should it not read
        // now, the whole spec is generated and the reason said.
        Err(e) => {
            diags.error("#", format!("the selected part of the spec is not a valid document ({e}); generated it all"));
            None
        }
    }
}

/// A selector with its globs compiled.
struct Compiled<'s> {
    selector: &'s Selector,
    globs: Vec<GlobMatcher>,
}

impl<'s> Compiled<'s> {
    fn new(selector: &'s Selector, which: &str, diags: &mut Diagnostics) -> Self {
        let globs = selector
            .paths
            .iter()
            .filter_map(|p| match globset::GlobBuilder::new(p).literal_separator(true).build() {
                Ok(glob) => Some(glob.compile_matcher()),
                Err(e) => {
                    diags.error("#/paths", format!("{which}: `{p}` is not a path glob: {e}"));
                    None
                }
            })
            .collect();
        Compiled { selector, globs }
    }

    fn matches(&self, path: &str, operation: &Value) -> bool {
        let id = operation.get("operationId").and_then(Value::as_str);
        let tags = operation.get("tags").and_then(Value::as_array);
        id.is_some_and(|id| self.selector.operations.iter().any(|o| o == id))
            || tags.is_some_and(|tags| {
                tags.iter().any(|t| t.as_str().is_some_and(|t| self.selector.tags.iter().any(|s| s == t)))
            })
            || self.globs.iter().any(|g| g.is_match(path))
    }

    /// A tag, id or glob that matches no operation of the spec is a warning: likely a typo,
    /// and never silently nothing.
    fn report_unmatched(&self, raw: &Value, which: &str, diags: &mut Diagnostics) {
        let mut ids = BTreeSet::new();
        let mut tags = BTreeSet::new();
        let mut paths = Vec::new();
        for (path, item) in raw.get("paths").and_then(Value::as_object).into_iter().flatten() {
            paths.push(path.as_str());
            for operation in METHODS.iter().filter_map(|m| item.get(m)) {
                ids.extend(operation.get("operationId").and_then(Value::as_str));
                tags.extend(
                    operation.get("tags").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str),
                );
            }
        }
        for id in self.selector.operations.iter().filter(|id| !ids.contains(id.as_str())) {
            diags.warning("#/paths", format!("{which}: no operation has the id `{id}`"));
        }
        for tag in self.selector.tags.iter().filter(|tag| !tags.contains(tag.as_str())) {
            diags.warning("#/paths", format!("{which}: no operation has the tag `{tag}`"));
        }
        for (glob, matcher) in self.selector.paths.iter().zip(&self.globs) {
            if !paths.iter().any(|p| matcher.is_match(p)) {
                diags.warning("#/paths", format!("{which}: no path matches `{glob}`"));
            }
        }
    }
}

/// Leaves out every component in [`PRUNED`] that the paths do not reach through `$ref`s.
fn prune(raw: &mut Value) {
    let mut reached: BTreeSet<(String, String)> = BTreeSet::new();
    let mut pending: Vec<(String, String)> = Vec::new();
    let mut refs = Vec::new();
    if let Some(paths) = raw.get("paths") {
        collect_refs(paths, &mut refs);
    }
    loop {
        for reference in refs.drain(..) {
            let mut tokens = reference.strip_prefix("#/components/").unwrap_or("").split('/');
            if let (Some(kind), Some(key)) = (tokens.next(), tokens.next()) {
                let key = key.replace("~1", "/").replace("~0", "~");
                if reached.insert((kind.to_owned(), key.clone())) {
                    pending.push((kind.to_owned(), key));
                }
            }
        }
        let Some((kind, key)) = pending.pop() else { break };
        if let Some(component) = raw.get("components").and_then(|c| c.get(&kind)).and_then(|m| m.get(&key)) {
            collect_refs(component, &mut refs);
        }
    }
    if let Some(Value::Object(components)) = raw.get_mut("components") {
        for kind in PRUNED {
            if let Some(Value::Object(map)) = components.get_mut(kind) {
                map.retain(|key, _| reached.contains(&(kind.to_owned(), key.clone())));
            }
        }
    }
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                out.push(reference.clone());
            }
            // A discriminator's mapping names schemas by `$ref` or by name.
            let mapping = map.get("discriminator").and_then(|d| d.get("mapping")).and_then(Value::as_object);
            for target in mapping.into_iter().flat_map(|m| m.values()).filter_map(Value::as_str) {
                match target.starts_with('#') {
                    true => out.push(target.to_owned()),
                    false => out.push(pointer_join("#/components/schemas", target)),
                }
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

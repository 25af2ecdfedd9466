//! Load: references to other files, bundled into the one document.
//!
//! A `$ref` to another file (`./common.yaml#/components/schemas/Error`, `pet.json`) is read
//! through the caller's [`Resolver`] (the library does no I/O), and what it points to is copied
//! into this document where a reference of its kind belongs: a schema under
//! `components/schemas` (`definitions` in Swagger 2.0), a parameter under `parameters`, and so
//! on, named after the last token of the fragment (the file's stem when there is none), so
//! types from other files are named by the same rules as this file's own. The copy's own
//! references are followed in turn, relative to its file; each target is copied once, so
//! cycles across files end. A path item is copied in place. The reference is then rewritten
//! to the copy, and the copy's origin (`common.yaml#/components/schemas/Error`) recorded.

use std::collections::HashMap;

use serde_json::Value;

use super::pointers::PointerMap;
use super::{for_each_ref, parse_text, pointer_mut, resolve_pointer, Resolver};
use crate::diag::{pointer_join, Diagnostics};

/// Bundles every reference to another file into `root` (the spec named `name`). Returns where
/// the copies came from.
pub(super) fn bundle(
    root: &mut Value,
    name: &str,
    swagger2: bool,
    resolve: &Resolver<'_>,
    diags: &mut Diagnostics,
) -> PointerMap {
    let mut bundler = Bundler {
        main: normalise_path(name),
        swagger2,
        resolve,
        files: HashMap::new(),
        placed: HashMap::new(),
        in_place: HashMap::new(),
        queue: Vec::new(),
        map: PointerMap::default(),
    };
    let mut refs = Vec::new();
    for_each_ref(root, "#", false, &mut |at, target| {
        if !target.starts_with('#') {
            refs.push((at.to_owned(), target.to_owned()));
        }
    });
    if refs.is_empty() {
        return bundler.map;
    }
    let main = bundler.main.clone();
    bundler.rewrite(root, refs, &main, diags);
    // Each copy's references are relative to the file it came from.
    while let Some((at, file)) = bundler.queue.pop() {
        let Some(node) = root.pointer(at.trim_start_matches('#')) else { continue };
        let mut refs = Vec::new();
        for_each_ref(node, &at, false, &mut |here, target| refs.push((here.to_owned(), target.to_owned())));
        bundler.rewrite(root, refs, &file, diags);
    }
    bundler.map
}

/// How many copies of one path item (or callback) are made before a cycle is suspected.
const IN_PLACE_LIMIT: usize = 1000;

struct Bundler<'r, 'a> {
    /// The spec's own location, normalised, so that a file referring back to it is not read
    /// as another file.
    main: String,
    swagger2: bool,
    resolve: &'r Resolver<'a>,
    /// Every file read, by location: its document, or why it could not be read.
    files: HashMap<String, Result<Value, String>>,
    /// Every target copied (`file#fragment`), and where its copy is.
    placed: HashMap<String, String>,
    /// How many times each target was copied in place of a reference.
    in_place: HashMap<String, usize>,
    /// Copies whose references are still to be followed, with the file each came from.
    queue: Vec<(String, String)>,
    map: PointerMap,
}

/// Where a reference's target belongs, decided by where the reference stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Schema,
    Parameter,
    Response,
    RequestBody,
    Header,
    Example,
    /// Copied in place of the reference (a path item, a callback).
    InPlace,
}

impl Bundler<'_, '_> {
    /// Rewrites each reference (`at` is the object holding it) found in a node from `file`.
    fn rewrite(&mut self, root: &mut Value, refs: Vec<(String, String)>, file: &str, diags: &mut Diagnostics) {
        for (at, target) in refs {
            let (path, fragment) = target.split_once('#').unwrap_or((&target, ""));
            let location = if path.is_empty() { file.to_owned() } else { join(file, path) };
            if location == self.main {
                // Back into the spec itself: a plain local reference.
                set_ref(root, &at, format!("#{fragment}"));
                continue;
            }
            let fragment = fragment.to_owned();
            let kind = kind_at(&at);
            match self.place(root, &location, &fragment, kind, &at) {
                Ok(Some(local)) => set_ref(root, &at, local),
                Ok(None) => {}
                Err(message) => diags.error(pointer_join(&self.shown(&at), "$ref"), message),
            }
        }
    }

    /// Where a pointer of the bundled document is, for a message.
    fn shown(&self, at: &str) -> String {
        let mut map = super::Origins::default();
        map.push(self.map.clone());
        map.original(at)
    }

    /// Copies `location#fragment` into the document (once) and returns the pointer of the
    /// copy; for a target copied in place of the reference at `at`, `None`.
    fn place(
        &mut self,
        root: &mut Value,
        location: &str,
        fragment: &str,
        kind: Kind,
        at: &str,
    ) -> Result<Option<String>, String> {
        let key = format!("{location}#{fragment}");
        if let Some(local) = self.placed.get(&key) {
            return Ok(Some(local.clone()));
        }
        let document = self.read(location)?;
        let target = resolve_pointer(document, &format!("#{fragment}"))
            .ok_or_else(|| format!("`#{fragment}` does not resolve to anything in `{location}`"))?
            .clone();
        // Swagger 2.0 has no section for these: they stand where they are used.
        let kind = if self.swagger2 && matches!(kind, Kind::Header | Kind::Example | Kind::RequestBody) {
            Kind::InPlace
        } else {
            kind
        };
        if kind == Kind::InPlace {
            // A path item is copied anew at each use; one that holds a reference to itself
            // (through a callback) would be copied forever.
            let uses = self.in_place.entry(key.clone()).or_insert(0);
            *uses += 1;
            if *uses > IN_PLACE_LIMIT {
                return Err(format!("`{key}` is copied in place of its references more than {IN_PLACE_LIMIT} times: does it refer to itself?"));
            }
            if let Some(node) = pointer_mut(root, at) {
                *node = target;
            }
            self.map.insert(at, key);
            self.queue.push((at.to_owned(), location.to_owned()));
            return Ok(None);
        }
        let section = self.section(kind);
        let stem = file_stem(location);
        let last = fragment.rsplit('/').next().map(|t| t.replace("~1", "/").replace("~0", "~")).unwrap_or_default();
        let name = if last.is_empty() || last.bytes().all(|b| b.is_ascii_digit()) { stem.clone() } else { last };
        let map = ensure_map(root, section);
        // A name this document already uses is taken by its own item; the copy is named
        // after its file as well (`common_Error`), then numbered.
        let mut chosen = name.clone();
        let mut n = 1;
        while map.contains_key(&chosen) {
            n += 1;
            chosen = if n == 2 { format!("{stem}_{name}") } else { format!("{stem}_{name}_{n}") };
        }
        map.insert(chosen.clone(), target);
        let local = section.iter().fold("#".to_owned(), |p, t| pointer_join(&p, t));
        let local = pointer_join(&local, &chosen);
        self.placed.insert(key.clone(), local.clone());
        self.map.insert(&local, key);
        self.queue.push((local.clone(), location.to_owned()));
        Ok(Some(local))
    }

    fn section(&self, kind: Kind) -> &'static [&'static str] {
        match (self.swagger2, kind) {
            (true, Kind::Parameter) => &["parameters"],
            (true, Kind::Response) => &["responses"],
            (true, _) => &["definitions"],
            (false, Kind::Parameter) => &["components", "parameters"],
            (false, Kind::Response) => &["components", "responses"],
            (false, Kind::RequestBody) => &["components", "requestBodies"],
            (false, Kind::Header) => &["components", "headers"],
            (false, Kind::Example) => &["components", "examples"],
            (false, _) => &["components", "schemas"],
        }
    }

    /// Reads and parses a file, once.
    fn read(&mut self, location: &str) -> Result<&Value, String> {
        let resolve = self.resolve;
        let entry = self.files.entry(location.to_owned()).or_insert_with(|| {
            let remote = location.starts_with("http://") || location.starts_with("https://");
            match resolve(location) {
                Ok(text) => parse_text(&text).map_err(|d| format!("`{location}`: {}", d.message)),
                Err(why) if remote => Err(format!(
                    "remote reference `{location}` was not fetched ({why}): download the file and refer to it by a local path"
                )),
                Err(why) => Err(format!("cannot read `{location}`: {why}")),
            }
        });
        entry.as_ref().map_err(Clone::clone)
    }
}

/// The kind of a reference's target, from where the reference stands (`at` is the pointer of
/// the object holding the `$ref`).
fn kind_at(at: &str) -> Kind {
    let mut tokens = at.rsplit('/');
    let last = tokens.next().unwrap_or("");
    let parent = tokens.next().unwrap_or("");
    match (parent, last) {
        (_, "requestBody") | ("requestBodies", _) => Kind::RequestBody,
        ("parameters", _) => Kind::Parameter,
        ("responses", _) => Kind::Response,
        ("headers", _) => Kind::Header,
        ("examples", _) => Kind::Example,
        ("paths" | "callbacks" | "webhooks" | "pathItems", _) => Kind::InPlace,
        ("#", "paths") => Kind::InPlace,
        _ if parent_is_callback(at) => Kind::InPlace,
        _ => Kind::Schema,
    }
}

/// A path item of a callback (`.../callbacks/onEvent/{$request.body#/url}`).
fn parent_is_callback(at: &str) -> bool {
    at.rsplit('/').nth(2) == Some("callbacks")
}

fn set_ref(root: &mut Value, at: &str, target: String) {
    if let Some(Value::Object(map)) = pointer_mut(root, at) {
        map.insert("$ref".to_owned(), Value::String(target));
    }
}

/// The map at `section` (`components/schemas`), made if missing.
fn ensure_map<'a>(root: &'a mut Value, section: &[&str]) -> &'a mut serde_json::Map<String, Value> {
    let mut node = root;
    for token in section {
        if !node.is_object() {
            *node = Value::Object(serde_json::Map::new());
        }
        let Value::Object(map) = node else { unreachable!("made an object above") };
        node = map.entry((*token).to_owned()).or_insert_with(|| Value::Object(serde_json::Map::new()));
    }
    if !node.is_object() {
        *node = Value::Object(serde_json::Map::new());
    }
    match node {
        Value::Object(map) => map,
        _ => unreachable!("made an object above"),
    }
}

/// `base`'s directory joined with `relative` (a URL or an absolute path stands alone), with
/// `.` and `..` resolved, so that one file has one location however it is reached.
fn join(base: &str, relative: &str) -> String {
    if relative.contains("://") || relative.starts_with('/') {
        return normalise_path(relative);
    }
    let dir = base.rfind('/').map_or("", |i| &base[..=i]);
    normalise_path(&format!("{dir}{relative}"))
}

fn normalise_path(path: &str) -> String {
    let (scheme, rest) = match path.find("://") {
        Some(i) => path.split_at(i + 3),
        None => ("", path),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in rest.split('/') {
        match part {
            "." => {}
            ".." if parts.last().is_some_and(|p| *p != ".." && !p.is_empty()) => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    format!("{scheme}{}", joined.strip_prefix("./").unwrap_or(&joined))
}

/// A file's name without directory or extension (`specs/pets/common.yaml` -> `common`).
fn file_stem(location: &str) -> String {
    let name = location.rsplit('/').next().unwrap_or(location);
    name.split('.').next().filter(|s| !s.is_empty()).unwrap_or(name).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join_relative_to_the_referring_file() {
        assert_eq!(join("specs/pets/openapi.yaml", "./common.yaml"), "specs/pets/common.yaml");
        assert_eq!(join("specs/pets/openapi.yaml", "../shared/a.json"), "specs/shared/a.json");
        assert_eq!(join("openapi.yaml", "schemas/pet.yaml"), "schemas/pet.yaml");
        assert_eq!(join("specs/a.yaml", "https://example.com/x/../y.yaml"), "https://example.com/y.yaml");
        assert_eq!(file_stem("specs/pets/common.schema.yaml"), "common");
    }

    #[test]
    fn kinds_follow_where_the_reference_stands() {
        assert_eq!(kind_at("#/paths/~1pets/get/parameters/0"), Kind::Parameter);
        assert_eq!(kind_at("#/paths/~1pets/get/responses/200"), Kind::Response);
        assert_eq!(kind_at("#/paths/~1pets"), Kind::InPlace);
        assert_eq!(kind_at("#/paths/~1pets/post/requestBody"), Kind::RequestBody);
        assert_eq!(kind_at("#/components/schemas/Pet/properties/tag"), Kind::Schema);
        assert_eq!(kind_at("#/paths/~1pets/get/responses/200/content/application~1json/schema"), Kind::Schema);
    }
}

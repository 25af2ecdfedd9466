//! Mutation fuzzing of [`apigen::load`] and [`apigen::generate`]: no input may panic or hang.
//!
//! Seeds are real specs (the five of `specs/`, the fixtures of `tests/fixtures/`, and a few
//! small specs of `../shared/corpus` when it is there), read into JSON values. Each case picks a
//! seed, applies a few mutations to the value (keys deleted, renamed or duplicated, values
//! replaced by odd ones or by values of the wrong type, random `$ref`s to any node, including
//! the node's own ancestors (cycles) and items of arrays, deep nesting, generated schemas with
//! every keyword, keyword soup), writes it as JSON or YAML (sometimes truncated or with bytes
//! mangled), and feeds the text to `load` and then `generate`, on a thread of its own:
//!
//! - a panic fails the case, and proptest shrinks it to a small list of mutations;
//! - a case that runs longer than the time limit is a hang: the input is saved, and the test
//!   exits at once (shrinking a hang would only pile up hung threads);
//! - a diagnostic that calls itself a bug in the generator (tokens that are not Rust) fails
//!   the case too;
//! - the input of the case being run is always in `target/tmp/fuzz-input.txt`, so a crash
//!   that takes the process down (a stack overflow) leaves its reproducer behind.
//!
//! `cargo test` runs a short, fixed-seed run. `cargo xtask fuzz [--cases N] [--seconds S]`
//! runs a long one in release, through these environment variables:
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `APIGEN_FUZZ_CASES` | how many cases to run | 300 |
//! | `APIGEN_FUZZ_SECONDS` | stop starting new cases after this long | none |
//! | `APIGEN_FUZZ_SEED` | the first seed (`random` for a fresh one) | a fixed seed |
//! | `APIGEN_FUZZ_TIMEOUT` | seconds one case may take | 20 |
//!
//! The regression tests below pin the bugs this fuzzer found, one spec each.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};
use serde_json::{json, Map, Value};

// ---------------------------------------------------------------------------------------------
// Seeds.

/// Small specs of the shared corpus used as seeds when the corpus is there.
const CORPUS_SEEDS: &[&str] = &[
    "ex_polymorphism.json",
    "ex_schema_types.json",
    "ex_schema_validation.json",
    "ex_response_schemas.json",
    "oai_uspto.yaml",
    "oai_callback_example.yaml",
    "swagger_petstore3.yaml",
    "oxide_propolis.json",
    "twilio_lookups_v1.json",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every seed spec as a JSON value, with its name.
fn seeds() -> Vec<(String, Value)> {
    let mut paths = Vec::new();
    for dir in ["specs", "tests/fixtures"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        found.retain(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")));
        found.sort();
        paths.extend(found);
    }
    // The corpus seeds are an optional extra: a clone without `../shared` beside it fuzzes the
    // repository's own specs only, and says so.
    let corpus = root().join("../shared/corpus");
    if corpus.is_dir() {
        paths.extend(CORPUS_SEEDS.iter().map(|name| corpus.join(name)).filter(|p| p.is_file()));
    } else {
        eprintln!("fuzz: {} is not there; seeding with specs/ and tests/fixtures/ only", corpus.display());
    }
    let mut seeds = Vec::new();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("?").to_owned();
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        // Read through the generator's own loader, which turns YAML into JSON as it does
        // (integer keys such as `200:` become strings).
        if let Ok(spec) = apigen::load(&apigen::SpecSource { name: name.clone(), text }) {
            seeds.push((name, spec.raw));
        }
    }
    assert!(seeds.len() >= 5, "the seed specs of specs/ are missing");
    seeds
}

// ---------------------------------------------------------------------------------------------
// Addressing nodes of a JSON value.

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Key(String),
    Index(usize),
}

/// Which nodes a mutation may pick.
#[derive(Debug, Clone, Copy)]
enum Filter {
    Any,
    Object,
    /// Nodes that stand where a schema stands (`schema`, `items`, a property, a component
    /// schema, a member of `allOf`, ...), falling back to objects.
    Schema,
}

/// A node of the document, chosen by index among the nodes the filter admits (modulo their
/// number), so that a pick means something whatever the mutations before it did.
#[derive(Debug, Clone, Copy)]
struct Pick {
    index: usize,
    filter: Filter,
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
    fn resolve(self, doc: &Value) -> Option<Vec<Tok>> {
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

fn get_mut<'a>(value: &'a mut Value, path: &[Tok]) -> Option<&'a mut Value> {
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

fn get<'a>(value: &'a Value, path: &[Tok]) -> Option<&'a Value> {
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
fn reference(path: &[Tok], percent: bool) -> String {
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

// ---------------------------------------------------------------------------------------------
// Mutations.

/// Where a generated `$ref` points.
#[derive(Debug, Clone)]
enum RefTo {
    /// Any node of the document (an object, an array, a string, the root, a path item...).
    Node(Pick, bool),
    /// The node `n` levels above the `$ref` (0: the node holding the `$ref` itself): a cycle.
    Ancestor(u8),
    /// A spelling that resolves to nothing, or oddly.
    Odd(&'static str),
}

#[derive(Debug, Clone)]
enum Op {
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

fn apply(doc: &mut Value, op: &Op) {
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

// ---------------------------------------------------------------------------------------------
// Strategies.

/// Names that are hard to turn into Rust: empty, keywords, digits, signs, collisions once
/// cased, non-ASCII, punctuation, names the generated code itself uses.
const NAMES: &[&str] = &[
    "",
    " ",
    "_",
    "__",
    "-",
    "+",
    "0",
    "1",
    "-1",
    "+1",
    "1.5",
    "type",
    "Type",
    "self",
    "Self",
    "crate",
    "super",
    "r#type",
    "gen",
    "$ref",
    "default",
    "example",
    "enum",
    "x-foo",
    "FooBar",
    "foo_bar",
    "foo-bar",
    "FOO_BAR",
    "fooBar",
    "é",
    "日本",
    "🦀",
    "a/b",
    "a~b",
    "~1",
    "%",
    "%20",
    "{id}",
    "a b",
    "\"",
    "\\",
    "\n",
    "'",
    "`",
    "*/",
    "additional_properties",
    "Validate",
    "ValidationErrors",
    "String",
    "Option",
    "Vec",
    "Box",
    "Result",
    "Some",
    "None",
    "Ok",
    "std",
    "core",
    "serde",
    "apigen_runtime",
    "validate_schema",
    "types",
    "Other",
    "Value",
    "Empty",
    "V1",
    "v1",
    "properties",
    "allOf",
    "schemas",
    "content",
    "application/json",
    "application/xml",
    "text/xml",
    "application/problem+json",
    "multipart/form-data",
    "200",
    "default",
    "4XX",
    "get",
    "post",
    "HEAD",
    "trace",
    "/",
    "//",
    "/a/{b}/{b}",
    "Pet",
    "Pet2",
    "pet",
    "Item",
    "Map",
    "Request",
    "Response",
];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => select(NAMES).prop_map(str::to_owned),
        1 => "[a-zA-Z_ 0-9./{}~-]{0,12}",
        1 => (1usize..400).prop_map(|n| "x".repeat(n)),
        1 => any::<String>().prop_map(|s| s.chars().take(16).collect()),
    ]
}

/// Odd scalar and container values.
fn odd_value() -> impl Strategy<Value = Value> {
    let strings: &[&str] = &[
        "",
        " ",
        "\0",
        "\u{feff}",
        "🦀",
        "é",
        "-",
        "+",
        "1",
        "1.0",
        "true",
        "null",
        "self",
        "r#type",
        "\"}{",
        "#/",
        "/",
        "~",
        "%zz",
        "\n",
        "\r\n",
        "\\",
        "*/",
        "/*",
        "//",
        "///",
        "```",
        "#[doc]",
        "date-time",
        "date",
        "uuid",
        "2020-13-45",
        "1985-01-01T",
        "0000-00-00",
        "application/json",
        "object",
        "array",
        "string",
        "integer",
        "number",
        "boolean",
        "null",
        "file",
        "any",
    ];
    prop_oneof![
        select(strings).prop_map(|s| json!(s)),
        select(vec![
            json!(null),
            json!(true),
            json!(false),
            json!(0),
            json!(-1),
            json!(1.5),
            json!(-0.0),
            json!(1e300),
            json!(-1e300),
            json!(1e-300),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(i64::MAX),
            json!(9_007_199_254_740_993_u64),
            json!([]),
            json!({}),
            json!([null]),
            json!({ "": {} }),
            json!([[[]]]),
        ]),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        (1usize..100_000).prop_map(|n| json!("a".repeat(n))),
        any::<String>().prop_map(Value::String),
        name().prop_map(Value::String),
    ]
}

fn string_list() -> impl Strategy<Value = Value> {
    vec(name(), 0..4).prop_map(|names| json!(names))
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        select(vec![
            json!(0),
            json!(1),
            json!(-1),
            json!(0.5),
            json!(1e-300),
            json!(1e300),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(2.5)
        ]),
        any::<i32>().prop_map(|n| json!(n)),
    ]
}

/// A value for one schema keyword: usually of the type the keyword takes, sometimes not.
fn keyword() -> impl Strategy<Value = (String, Value)> {
    let kw = |k: &'static str| Just(k.to_owned());
    let typed = prop_oneof![
        (kw("type"), select(vec!["string", "integer", "number", "boolean", "object", "array", "null", "file", ""]).prop_map(|t| json!(t))),
        (kw("format"), select(vec!["date", "date-time", "time", "uuid", "email", "hostname", "ipv4", "ipv6", "uri", "int32", "int64", "uint8", "uint64", "decimal", "float", "double", "byte", "binary", "unix-time", "", "weird"]).prop_map(|f| json!(f))),
        (kw("nullable"), any::<bool>().prop_map(|b| json!(b))),
        (select(vec!["readOnly", "writeOnly", "deprecated", "uniqueItems", "exclusiveMinimum", "exclusiveMaximum"]).prop_map(str::to_owned), any::<bool>().prop_map(|b| json!(b))),
        (select(vec!["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"]).prop_map(str::to_owned), select(vec![json!(0), json!(1), json!(3), json!(u64::MAX)])),
        (select(vec!["minimum", "maximum", "multipleOf"]).prop_map(str::to_owned), number()),
        (kw("pattern"), select(vec!["(", "\\", "^\\d{3}$", "[\\w-]+", "\\p{L}+", "(?=a)", "a{1000000}", "(a+)+$", "\\cA", "[^\\D]", "\\u0041", "", "^$", "[", "a{2,1}", "\\1"]).prop_map(|p| json!(p))),
        (kw("enum"), vec(odd_value(), 0..6).prop_map(Value::Array)),
        (kw("enum"), vec(select(vec![json!("a"), json!("A"), json!("a-b"), json!(""), json!("1"), json!(null), json!("-1"), json!("+1"), json!("self")]), 0..6).prop_map(Value::Array)),
        (kw("enum"), vec(select(vec![json!(0), json!(-1), json!(1), json!(i64::MIN), json!(i64::MAX), json!(u64::MAX), json!(null)]), 0..5).prop_map(Value::Array)),
        (select(vec!["default", "example"]).prop_map(str::to_owned), odd_value()),
        (kw("required"), string_list()),
        (select(vec!["title", "description"]).prop_map(str::to_owned), prop_oneof![name().prop_map(Value::String), any::<String>().prop_map(Value::String), select(vec!["*/ /*", "```rust\nfn main() {}\n```", "# Heading\n\n[link](x) <b>", "\r\n\r\n", "a\u{0}b", "\\", "#[doc = \"x\"]"]).prop_map(|s| json!(s))]),
        (kw("discriminator"), (name(), vec((name(), Just("@s3")), 0..3)).prop_map(|(p, m)| json!({ "propertyName": p, "mapping": m.into_iter().map(|(k, v)| (k, json!(v))).collect::<Map<String, Value>>() }))),
        (kw("xml"), (name(), any::<bool>(), any::<bool>(), select(vec!["", "urn:x", "http://a/b"]), name()).prop_map(|(n, a, w, ns, p)| json!({ "name": n, "attribute": a, "wrapped": w, "namespace": ns, "prefix": p }))),
        (kw("additionalProperties"), any::<bool>().prop_map(|b| json!(b))),
        (kw("x-ext"), odd_value()),
    ];
    prop_oneof![
        6 => typed,
        1 => (select(vec!["type", "properties", "items", "allOf", "oneOf", "anyOf", "not", "required", "enum", "additionalProperties", "nullable", "$ref", "minLength", "maximum", "xml", "discriminator"]).prop_map(str::to_owned), odd_value()),
        1 => (name(), odd_value()),
    ]
}

/// A schema with any of OpenAPI 3.0's keywords, nested, with `$ref`s to anywhere.
fn schema() -> impl Strategy<Value = Value> {
    let reference = prop_oneof![
        (0usize..200).prop_map(|n| json!({ "$ref": format!("@s{n}") })),
        (0usize..2000).prop_map(|n| json!({ "$ref": format!("@{n}") })),
    ];
    let leaf = prop_oneof![
        3 => vec(keyword(), 0..4).prop_map(|kws| Value::Object(kws.into_iter().collect())),
        1 => reference,
        1 => Just(json!({})),
    ];
    leaf.prop_recursive(4, 48, 5, |inner| {
        let with_keywords = |s: BoxedStrategy<Value>| {
            (s, vec(keyword(), 0..3)).prop_map(|(mut s, kws)| {
                if let Value::Object(map) = &mut s {
                    for (k, v) in kws {
                        map.entry(k).or_insert(v);
                    }
                }
                s
            })
        };
        prop_oneof![
            with_keywords(vec((name(), inner.clone()), 0..5).prop_map(|props| json!({ "type": "object", "properties": props.into_iter().collect::<Map<String, Value>>() })).boxed()),
            with_keywords(vec((name(), inner.clone()), 1..4).prop_map(|props| json!({ "properties": props.into_iter().collect::<Map<String, Value>>() })).boxed()),
            with_keywords(inner.clone().prop_map(|i| json!({ "type": "array", "items": i })).boxed()),
            with_keywords(inner.clone().prop_map(|i| json!({ "type": "object", "additionalProperties": i })).boxed()),
            with_keywords(vec(inner.clone(), 0..4).prop_map(|m| json!({ "allOf": m })).boxed()),
            with_keywords(vec(inner.clone(), 0..4).prop_map(|m| json!({ "oneOf": m })).boxed()),
            with_keywords(vec(inner.clone(), 0..4).prop_map(|m| json!({ "anyOf": m })).boxed()),
            with_keywords(inner.clone().prop_map(|i| json!({ "not": i })).boxed()),
            with_keywords((vec(inner.clone(), 1..3), vec(inner, 1..3)).prop_map(|(a, b)| json!({ "oneOf": a, "anyOf": b })).boxed()),
        ]
    })
}

fn pick() -> impl Strategy<Value = Pick> {
    (any::<usize>(), prop_oneof![2 => Just(Filter::Any), 1 => Just(Filter::Object), 3 => Just(Filter::Schema)])
        .prop_map(|(index, filter)| Pick { index, filter })
}

fn ref_to() -> impl Strategy<Value = RefTo> {
    let odd: &[&'static str] = &[
        "#",
        "#/",
        "#//",
        "#/components",
        "#/components/schemas",
        "#/components/schemas/",
        "#/paths",
        "#/~2",
        "#/~",
        "#/%",
        "#/%zz",
        "#/%C3",
        "#/%FF",
        "other.yaml#/x",
        "",
        "#/info",
        "#/openapi",
        "#/components/schemas/Missing",
        "http://example.com/schema.json",
        "#a",
        "##/x",
    ];
    prop_oneof![
        4 => (pick(), any::<bool>()).prop_map(|(p, pct)| RefTo::Node(p, pct)),
        3 => (0u8..6).prop_map(RefTo::Ancestor),
        1 => select(odd).prop_map(RefTo::Odd),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => pick().prop_map(Op::Delete),
        1 => (pick(), odd_value()).prop_map(|(p, v)| Op::Replace(p, v)),
        5 => (pick(), schema()).prop_map(|(p, s)| Op::Schema(p, s)),
        4 => (name(), schema()).prop_map(|(n, s)| Op::Component(n, s)),
        1 => (pick(), pick(), name()).prop_map(|(a, b, n)| Op::Duplicate(a, b, n)),
        1 => (pick(), pick()).prop_map(|(a, b)| Op::Swap(a, b)),
        1 => (pick(), any::<u8>()).prop_map(|(p, h)| Op::WrongType(p, h)),
        4 => (pick(), ref_to(), any::<bool>()).prop_map(|(p, t, b)| Op::Ref(p, t, b)),
        1 => (pick(), any::<u8>(), prop_oneof![3 => 1u8..8, 2 => 8u8..70, 1 => 70u8..140]).prop_map(|(p, h, l)| Op::Nest(p, h, l)),
        2 => (pick(), name()).prop_map(|(p, n)| Op::Rename(p, n)),
        2 => (pick(), vec(keyword(), 1..8)).prop_map(|(p, w)| Op::Soup(p, w)),
    ]
}

/// How the mutated document is written.
#[derive(Debug, Clone)]
enum Format {
    Json,
    Pretty,
    Yaml,
}

/// What is done to the text afterwards.
#[derive(Debug, Clone)]
enum Mangle {
    None,
    /// Cut at this fraction (per mille) of the text.
    Truncate(u16),
    /// Replace the byte at this fraction with this ASCII byte.
    Byte(u16, u8),
    /// Insert a string at this fraction.
    Insert(u16, &'static str),
}

fn mangle() -> impl Strategy<Value = Mangle> {
    prop_oneof![
        24 => Just(Mangle::None),
        1 => (0u16..1000).prop_map(Mangle::Truncate),
        1 => (0u16..1000, 0u8..128).prop_map(|(at, b)| Mangle::Byte(at, b)),
        1 => (0u16..1000, select(vec!["\t", "\0", "&a", "*a", "!!binary", "- ", ": ", "{", "]", "\"", "'", "#", "%YAML 1.2\n", "<<: *a\n", "? ", "|\n"])).prop_map(|(at, s)| Mangle::Insert(at, s)),
    ]
}

/// One fuzz case.
#[derive(Debug, Clone)]
struct Case {
    seed: usize,
    ops: Vec<Op>,
    format: Format,
    mangle: Mangle,
}

fn case(seeds: usize) -> impl Strategy<Value = Case> {
    (0..seeds, vec(op(), 1..5), prop_oneof![Just(Format::Json), Just(Format::Pretty), Just(Format::Yaml)], mangle())
        .prop_map(|(seed, ops, format, mangle)| Case { seed, ops, format, mangle })
}

fn char_boundary(text: &str, per_mille: u16) -> usize {
    let mut at = text.len() * usize::from(per_mille.min(1000)) / 1000;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl Case {
    /// The text fed to the generator, and the name it is given (its extension says which
    /// parser reads it first, as for a file).
    fn text(&self, seeds: &[(String, Value)]) -> (String, String) {
        let (seed_name, seed) = &seeds[self.seed % seeds.len()];
        let mut doc = seed.clone();
        for op in &self.ops {
            apply(&mut doc, op);
        }
        let (ext, mut text) = match self.format {
            Format::Json => ("json", serde_json::to_string(&doc).unwrap_or_default()),
            Format::Pretty => ("json", serde_json::to_string_pretty(&doc).unwrap_or_default()),
            Format::Yaml => ("yaml", serde_yaml::to_string(&doc).unwrap_or_default()),
        };
        match &self.mangle {
            Mangle::None => {}
            Mangle::Truncate(at) => text.truncate(char_boundary(&text, *at)),
            Mangle::Byte(at, byte) => {
                let at = char_boundary(&text, *at);
                if at < text.len() {
                    let width = text[at..].chars().next().map_or(1, char::len_utf8);
                    text.replace_range(at..at + width, &char::from(*byte).to_string());
                }
            }
            Mangle::Insert(at, s) => text.insert_str(char_boundary(&text, *at), s),
        }
        (format!("fuzz-{seed_name}.{ext}"), text)
    }
}

// ---------------------------------------------------------------------------------------------
// Running one input.

/// What became of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Refused by `load`, with the kind of its first complaint.
    Refused(String),
    Generated,
}

/// A load error's first message without its particulars (names, positions, values), to
/// count what refuses mutated specs.
fn complaint_kind(error: &apigen::LoadError) -> String {
    let Some(first) = error.diagnostics.first() else { return String::new() };
    let mut kind = String::new();
    let mut quoted = false;
    for c in first.message.chars() {
        match c {
            '`' => quoted = !quoted,
            _ if quoted => {}
            ':' | '(' => break,
            c if c.is_ascii_digit() => {}
            c => kind.push(c),
        }
        if kind.len() > 60 {
            break;
        }
    }
    kind.trim().to_owned()
}

/// Loads and generates on a thread of its own (with a main thread's 8 MiB of stack), and waits
/// at most `timeout`. A hang saves the input and ends the process: a hung thread cannot be
/// stopped, and shrinking would start more.
fn run_input(name: &str, text: &str, timeout: Duration) -> Result<(Outcome, Duration), String> {
    let input_file = input_file();
    let _ = std::fs::write(&input_file, text);
    let (tx, rx) = mpsc::channel();
    let source = apigen::SpecSource { name: name.to_owned(), text: text.to_owned() };
    let start = Instant::now();
    let spawned = std::thread::Builder::new().name("fuzz-case".into()).stack_size(8 << 20).spawn(move || {
        let result = std::panic::catch_unwind(|| check(&source));
        let _ = tx.send(result);
    });
    if let Err(e) = spawned {
        return Err(format!("cannot start a thread: {e}"));
    }
    match rx.recv_timeout(timeout) {
        Ok(Ok(Ok(outcome))) => Ok((outcome, start.elapsed())),
        Ok(Ok(Err(bug))) => Err(bug),
        Ok(Err(panic)) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(non-string panic payload)".to_owned());
            Err(format!("panic: {message}"))
        }
        Err(_) => {
            let saved = input_file.with_file_name(format!("fuzz-hang-{name}"));
            let _ = std::fs::write(&saved, text);
            eprintln!("HANG: load + generate ran longer than {timeout:?}; the input is saved in {}", saved.display());
            std::process::exit(2);
        }
    }
}

fn check(source: &apigen::SpecSource) -> Result<Outcome, String> {
    let spec = match apigen::load(source) {
        Ok(spec) => spec,
        Err(error) => return Ok(Outcome::Refused(complaint_kind(&error))),
    };
    let output = apigen::generate(&spec, &apigen::Options::new("fuzzed"));
    if let Some(bug) = output.diagnostics.iter().find(|d| d.message.contains("bug in the generator")) {
        return Err(format!("generator bug reported: {bug}"));
    }
    for file in &output.files {
        if file.path.is_empty() || file.path.starts_with('/') || file.path.split('/').any(|p| p == "..") {
            return Err(format!("bad file path {:?}", file.path));
        }
    }
    Ok(Outcome::Generated)
}

fn input_file() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-input.txt")
}

fn env_number(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    match value.parse() {
        Ok(n) => Some(n),
        Err(_) => panic!("{name}={value}: not a number"),
    }
}

#[test]
fn mutated_specs_never_panic_or_hang() {
    let seeds = seeds();
    let cases = env_number("APIGEN_FUZZ_CASES").unwrap_or(300);
    let budget = env_number("APIGEN_FUZZ_SECONDS").map(Duration::from_secs);
    let timeout = Duration::from_secs(env_number("APIGEN_FUZZ_TIMEOUT").unwrap_or(20));
    let first_seed = match std::env::var("APIGEN_FUZZ_SEED").as_deref() {
        Ok("random") => {
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
        }
        Ok(seed) => seed.parse().unwrap_or_else(|_| panic!("APIGEN_FUZZ_SEED={seed}: not a number")),
        Err(_) => 0x5eed_a919,
    };
    let strategy = case(seeds.len());
    let start = Instant::now();
    let ran = AtomicUsize::new(0);
    let generated = AtomicUsize::new(0);
    let refusals = std::sync::Mutex::new(std::collections::BTreeMap::<String, usize>::new());
    let slowest_us = AtomicU64::new(0);
    // Batches, each with its own seed, until the cases or the time run out.
    let mut seed = first_seed;
    loop {
        let done = ran.load(Ordering::Relaxed) as u64;
        if done >= cases || budget.is_some_and(|b| start.elapsed() >= b) {
            break;
        }
        let batch = (cases - done).min(64) as u32;
        let config = Config {
            cases: batch,
            rng_seed: RngSeed::Fixed(seed),
            failure_persistence: None,
            max_shrink_iters: 2000,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        let result = runner.run(&strategy, |case| {
            if budget.is_some_and(|b| start.elapsed() >= b) {
                return Ok(());
            }
            let (name, text) = case.text(&seeds);
            let (outcome, took) = run_input(&name, &text, timeout).map_err(TestCaseError::fail)?;
            ran.fetch_add(1, Ordering::Relaxed);
            match outcome {
                Outcome::Generated => {
                    generated.fetch_add(1, Ordering::Relaxed);
                }
                Outcome::Refused(kind) => {
                    *refusals.lock().unwrap_or_else(|e| e.into_inner()).entry(kind).or_default() += 1;
                }
            }
            slowest_us.fetch_max(took.as_micros() as u64, Ordering::Relaxed);
            Ok(())
        });
        match result {
            Ok(()) => {}
            Err(TestError::Fail(reason, case)) => {
                let (name, text) = case.text(&seeds);
                let saved = input_file().with_file_name(format!("fuzz-failure-{name}"));
                let _ = std::fs::write(&saved, &text);
                panic!(
                    "{reason}\nseed {seed} (APIGEN_FUZZ_SEED={seed}), minimal case:\n{case:#?}\ninput saved in {}",
                    saved.display()
                );
            }
            Err(TestError::Abort(reason)) => panic!("fuzzing aborted: {reason}"),
        }
        seed = seed.wrapping_add(1);
    }
    let ran = ran.into_inner();
    let generated = generated.into_inner();
    eprintln!(
        "fuzz: {ran} cases from {} seeds (first seed {first_seed}) in {:.1} s: {generated} generated, {} refused by load; slowest case {:.0} ms",
        seeds.len(),
        start.elapsed().as_secs_f64(),
        ran - generated,
        slowest_us.into_inner() as f64 / 1000.0
    );
    let mut refusals: Vec<(String, usize)> =
        refusals.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().collect();
    refusals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (kind, count) in refusals.iter().take(8) {
        eprintln!("  {count:>6} refused: {kind}");
    }
    // A fuzzer whose inputs all fail to load tests nothing past the loader.
    assert!(ran == 0 || generated * 5 >= ran, "only {generated} of {ran} mutated specs reached generation");
}

/// Runs one saved input (`APIGEN_FUZZ_REPLAY=path`), for debugging what the fuzzer found:
/// `APIGEN_FUZZ_REPLAY=target/tmp/fuzz-input.txt cargo test -p apigen --test fuzz replay -- --ignored --nocapture`.
#[test]
#[ignore = "replays the input named by APIGEN_FUZZ_REPLAY"]
fn replay() {
    let Ok(path) = std::env::var("APIGEN_FUZZ_REPLAY") else { return };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let name = if text.trim_start().starts_with('{') { "replay.json" } else { "replay.yaml" };
    match apigen::load(&apigen::SpecSource { name: name.to_owned(), text }) {
        Err(e) => eprintln!("refused by load:\n{e}"),
        Ok(spec) => {
            let output = apigen::generate(&spec, &apigen::Options::new("fuzzed"));
            for d in &output.diagnostics {
                eprintln!("{d}");
            }
            eprintln!("{} files", output.files.len());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Regressions: what the fuzzer found, one spec each.

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

/// Loads and generates `text` on a thread with a main thread's stack, failing on a panic or
/// after `seconds`.
fn load_and_generate(text: &str, seconds: u64) -> Result<apigen::Output, apigen::LoadError> {
    let source = apigen::SpecSource { name: "regression.yaml".to_owned(), text: text.to_owned() };
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let _ =
                tx.send(apigen::load(&source).map(|spec| apigen::generate(&spec, &apigen::Options::new("regression"))));
        })
        .expect("a thread starts");
    match rx.recv_timeout(Duration::from_secs(seconds)) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("load + generate took longer than {seconds} s"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("load + generate panicked"),
    }
}

/// The errors and warnings (notes, which say where value generators filter, are left out).
fn messages(output: &apigen::Output) -> Vec<String> {
    output.diagnostics.iter().filter(|d| d.severity != apigen::Severity::Note).map(ToString::to_string).collect()
}

fn type_item<'a>(output: &'a apigen::Output, name: &str) -> &'a str {
    let types = output.files.iter().find(|f| f.path == "src/types.rs").expect("a types.rs");
    let start = types.contents.find(&format!("pub type {name} = ")).unwrap_or_else(|| panic!("no alias {name}"));
    types.contents[start..].lines().next().unwrap_or_default()
}

/// Found by the fuzzer: a `$ref` that leads back to itself through aliases only (a property
/// `{$ref: '#/.../properties/self'}`, `A: {$ref: B}` and `B: {$ref: A}`, `allOf: [$ref: self]`)
/// made an alias of itself, and every emitter that follows aliases recursed until the stack
/// overflowed (`emit::types::is_strict` first; lowering's `specificity` for a union over such
/// an alias). Now the cycle is cut (`lower/cycles.rs`): the alias is any JSON value, with an
/// error saying so.
#[test]
fn regression_alias_cycles_are_cut() {
    let text = format!(
        "{HEAD}components:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n    Me:\n      allOf: [{{$ref: '#/components/schemas/Me'}}]\n    Either:\n      oneOf: [{{$ref: '#/components/schemas/A'}}, {{type: string}}]\n    Holder:\n      type: object\n      properties:\n        loop: {{$ref: '#/components/schemas/Holder/properties/loop'}}\n"
    );
    let output = load_and_generate(&text, 20).expect("loads");
    assert_eq!(type_item(&output, "B"), "pub type B = ::apigen_runtime::serde_json::Value;");
    assert_eq!(type_item(&output, "A"), "pub type A = B;");
    assert_eq!(type_item(&output, "Me"), "pub type Me = ::apigen_runtime::serde_json::Value;");
    assert_eq!(type_item(&output, "HolderLoop"), "pub type HolderLoop = ::apigen_runtime::serde_json::Value;");
    assert_eq!(
        messages(&output),
        [
            "error: #/components/schemas/B: `$ref`s from here lead back here (through `A`) without ever reaching a schema; typed as any JSON value",
            "error: #/components/schemas/Me: `$ref`s from here lead back here without ever reaching a schema; typed as any JSON value",
            "error: #/components/schemas/Holder/properties/loop: `$ref`s from here lead back here without ever reaching a schema; typed as any JSON value",
        ]
    );
}

/// Found by the fuzzer: an array or a map of itself (`Nested: {type: array, items: {$ref:
/// Nested}}`) is an alias `pub type Nested = Vec<Nested>`, which rustc refuses and the emitters
/// followed without end (a stack overflow). The inner reference is now any JSON value, with a
/// warning.
#[test]
fn regression_recursive_array_and_map_aliases() {
    let text = format!(
        "{HEAD}components:\n  schemas:\n    Nested:\n      type: array\n      maxItems: 3\n      items: {{$ref: '#/components/schemas/Nested'}}\n    Tree:\n      type: object\n      additionalProperties: {{$ref: '#/components/schemas/Tree'}}\n"
    );
    let output = load_and_generate(&text, 20).expect("loads");
    assert_eq!(type_item(&output, "Nested"), "pub type Nested = ::std::vec::Vec<::apigen_runtime::serde_json::Value>;");
    let types = &output.files.iter().find(|f| f.path == "src/types.rs").expect("a types.rs").contents;
    assert!(
        types.contains("pub type Tree = ::std::collections::BTreeMap<\n    ::std::string::String,\n    ::apigen_runtime::serde_json::Value,\n>;\n"),
        "{types}"
    );
    assert_eq!(
        messages(&output),
        [
            "warning: #/components/schemas/Nested: `Nested` contains itself with no object in between, which a Rust type alias cannot express; the inner reference is typed as any JSON value, and validation checks the value down to there",
            "warning: #/components/schemas/Tree: `Tree` contains itself with no object in between, which a Rust type alias cannot express; the inner reference is typed as any JSON value, and validation checks the value down to there",
        ]
    );
}

/// Found by the fuzzer (a hang): a schema `openapiv3` refuses, nested in 25 levels of `allOf`.
/// `openapiv3` reads a failing subschema twice (once more for its error message), so the
/// failure cost `2^25` reads. The loader's own checks now catch what `openapiv3` would refuse
/// inside a schema (here a `discriminator` without `propertyName`) before it runs.
#[test]
fn regression_deep_invalid_schema_is_refused_quickly() {
    let mut schema = "{type: object, discriminator: {mapping: {}}}".to_owned();
    for _ in 0..25 {
        schema = format!("{{allOf: [{schema}]}}");
    }
    let text = format!("{HEAD}components:\n  schemas:\n    Deep: {schema}\n");
    let error = load_and_generate(&text, 10).expect_err("refused").to_string();
    let pointer = format!("#/components/schemas/Deep{}/discriminator", "/allOf/0".repeat(25));
    assert_eq!(error, format!("regression.yaml: error: {pointer}: missing `propertyName`, which must be a string"));

    let text = format!(
        "{HEAD}components:\n  schemas:\n    A:\n      type: object\n      externalDocs: {{description: 1}}\n      properties:\n        b: {{$ref: 5, type: string}}\n"
    );
    let error = load_and_generate(&text, 10).expect_err("refused").to_string();
    assert_eq!(
        error,
        "regression.yaml: error: #/components/schemas/A/externalDocs: missing `url`, which must be a string\n\
         regression.yaml: error: #/components/schemas/A/externalDocs/description: `description` must be a string, found the number 1\n\
         regression.yaml: error: #/components/schemas/A/properties/b/$ref: `$ref` must be a string, found the number 5"
    );
}

/// Found while reading the code for the hang above, and confirmed (no output after 20 s):
/// `allOf: [$ref: self, $ref: self, ...]` merged each member again at every level, `2^64`
/// merges before the depth limit. A schema is now merged into a struct once.
#[test]
fn regression_repeated_all_of_members_merge_once() {
    let text = format!(
        "{HEAD}components:\n  schemas:\n    Twice:\n      allOf:\n        - {{$ref: '#/components/schemas/Twice'}}\n        - {{$ref: '#/components/schemas/Twice'}}\n        - {{$ref: '#/components/schemas/Part'}}\n        - {{$ref: '#/components/schemas/Part'}}\n    Part:\n      type: object\n      properties:\n        x: {{type: string}}\n"
    );
    let output = load_and_generate(&text, 10).expect("loads");
    let types = &output.files.iter().find(|f| f.path == "src/types.rs").expect("a types.rs").contents;
    assert!(types.contains("pub struct Twice {"), "{types}");
    assert_eq!(types.matches("pub x: ").count(), 2, "Twice and Part each have one `x`:\n{types}");
    assert_eq!(messages(&output), Vec::<String>::new());
}

/// Found by the fuzzer (a hang): a `$ref` into a place `load` does not check as a schema (here
/// an `xml` object) whose value nests schemas 30 deep around a mismatch. Lowering read it with
/// `openapiv3`, which took `2^30` reads to fail; it is now checked first, as `load` checks
/// schemas, and reported.
#[test]
fn regression_deep_invalid_ref_target_is_reported_quickly() {
    let mut nested = "{type: array, items: true}".to_owned();
    for _ in 0..30 {
        nested = format!("{{type: array, items: {nested}}}");
    }
    let target = format!("#/components/schemas/A/xml/x-odd{}", "/items".repeat(30));
    let text = format!(
        "{HEAD}components:\n  schemas:\n    A:\n      type: object\n      xml: {{x-odd: {nested}}}\n      properties:\n        b: {{$ref: '{target}'}}\n"
    );
    let output = load_and_generate(&text, 10).expect("loads");
    assert_eq!(
        messages(&output),
        [format!(
            "error: {target}: referenced from #/components/schemas/A/properties/b, but not a valid schema: {target}/items: `items` must be a schema, found `true`; typed as any JSON value"
        )]
    );
}

/// The same hang through a `$ref`'d Parameter or Response Object (`lower/operation.rs`), found by
/// looking for the other places that read a `$ref` target with `openapiv3` (confirmed: no
/// output after 60 s at 24 levels).
#[test]
fn regression_deep_invalid_parameter_and_response_refs_are_reported_quickly() {
    let mut nested = "{type: array, items: true}".to_owned();
    for _ in 0..30 {
        nested = format!("{{type: array, items: {nested}}}");
    }
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/schemas/A/x-param'\n      responses:\n        '200':\n          $ref: '#/components/schemas/A/x-response'\ncomponents:\n  schemas:\n    A:\n      type: object\n      x-param: {{name: p, in: query, schema: {nested}}}\n      x-response: {{description: d, content: {{application/json: {{schema: {nested}}}}}}}\n"
    );
    let output = load_and_generate(&text, 10).expect("loads");
    let deep = "/items".repeat(31);
    assert_eq!(
        messages(&output),
        [
            format!("error: #/paths/~1a/get/parameters/0: `#/components/schemas/A/x-param` is not a valid Parameter Object: #/components/schemas/A/x-param/schema{deep}: `items` must be a schema, found `true`; the parameter is left out"),
            format!("error: #/paths/~1a/get/responses/200: `#/components/schemas/A/x-response` is not a valid Response Object: #/components/schemas/A/x-response/content/application~1json/schema{deep}: `items` must be a schema, found `true`"),
        ]
    );
}

#[test]
fn regression_nullable_xml_bodies_generate_valid_rust() {
    // A nullable object with an XML form, as a response and as a request body offered in XML
    // beside JSON: `Option<Pet>::from_xml` is not Rust (and `Option` has no XML form).
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pet:\n    put:\n      operationId: updatePet\n      requestBody:\n        content:\n          application/json: {schema: {$ref: '#/components/schemas/Pet'}}\n          application/xml: {schema: {$ref: '#/components/schemas/Pet'}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/xml: {schema: {$ref: '#/components/schemas/Pet'}}\n            application/json: {schema: {$ref: '#/components/schemas/Pet'}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      nullable: true\n      properties:\n        name: {type: string}\n";
    let output = load_and_generate(text, 10).expect("loads");
    // The body is an `Option<Pet>`, which has no `to_xml`: no XML method for it, and a warning
    // that says so.
    assert_eq!(
        messages(&output),
        ["warning: #/paths/~1pet/put/requestBody: the body may be `null`, which has no XML form; there is no `update_pet_xml` method"]
    );
    let client = &output.files.iter().find(|f| f.path == "src/client.rs").expect("a client").contents;
    assert!(client.contains("|text| Pet::from_xml(text).map(::std::option::Option::Some)"), "{client}");
    assert!(!client.contains("update_pet_xml"), "{client}");
}

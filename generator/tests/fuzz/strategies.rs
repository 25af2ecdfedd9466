//! The proptest strategies: odd names and values, schemas with every keyword, mutations,
//! the ways a document is written out and mangled, and whole cases.

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Map, Value};

use super::mutations::{apply, Op, RefTo};
use super::nodes::{Filter, Pick};

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
pub(super) struct Case {
    seed: usize,
    ops: Vec<Op>,
    format: Format,
    mangle: Mangle,
}

pub(super) fn case(seeds: usize) -> impl Strategy<Value = Case> {
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
    pub(super) fn text(&self, seeds: &[(String, Value)]) -> (String, String) {
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

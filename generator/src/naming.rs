//! Naming: every Rust identifier the generator emits comes from here.
//!
//! The spec's names (schema keys, property names, enum values, operation ids) are wire names:
//! they may be keywords, start with a digit, hold punctuation or non-ASCII letters, be empty,
//! or collide with each other once cased. This module turns them into valid, readable Rust
//! identifiers, and [`Namespace`] keeps identifiers unique within one scope. The wire name is
//! always kept beside the Rust name by the caller, so `#[serde(rename)]` appears exactly where
//! the two differ.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words that cannot be used as identifiers, in any edition the generated code may use.
/// Raw identifiers (`r#type`) are not used: `self`, `Self`, `super` and `crate` cannot be raw,
/// and one rule for all keywords reads better.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod",
    "move", "mut", "override", "priv", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// The variant of every string enum that keeps a value the spec does not list
/// (`Status::UnknownValue("archived")`). Reserved in the enum's scope before the spec's values
/// are named, so a value that cleans to it gets a suffix instead; `Other` and `Unknown` are
/// common enum values, this is not.
pub const UNKNOWN_VALUE: &str = "UnknownValue";

/// The variant of every union that keeps, as JSON, a value no alternative reads (an
/// alternative or a discriminator value added to the API since). Reserved in the union's scope
/// before its alternatives are named.
pub const UNKNOWN_ALTERNATIVE: &str = "Unknown";

/// A `PascalCase` name for a type or an enum variant.
///
/// `fallback` is used when nothing usable is left of `raw` (an empty or all-punctuation name).
pub fn type_name(raw: &str, fallback: &str) -> String {
    let cased = spell_signs(raw).to_upper_camel_case();
    finish(ascii_ident(&cased), fallback, "V")
}

/// A `snake_case` name for a field, a method, a module or a parameter.
pub fn field_name(raw: &str, fallback: &str) -> String {
    let cased = spell_signs(raw).to_snake_case();
    finish(ascii_ident(&cased), fallback, "_")
}

/// A `snake_case` name for a module of the generated crate. Beyond [`field_name`], it is never
/// the name of a primitive type: generated code names those unqualified (`bool`, `i64`), and a
/// module of that name in scope would shadow them.
pub fn module_name(raw: &str, fallback: &str) -> String {
    const PRIMITIVES: &[&str] = &[
        "bool", "char", "str", "f32", "f64", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64",
        "u128", "usize",
    ];
    let name = field_name(raw, fallback);
    if PRIMITIVES.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// A cargo feature's name for a group of operations (a tag, a path segment): `snake_case`
/// ASCII letters, digits and underscores, which every Cargo and crates.io accept (a feature
/// name is no identifier, so keywords and leading digits are fine as they are).
pub fn feature_name(raw: &str, fallback: &str) -> String {
    let cased = ascii_ident(&raw.to_snake_case());
    let name = cased.trim_matches('_');
    if name.is_empty() {
        fallback.to_owned()
    } else {
        name.to_owned()
    }
}

/// Spells out a leading sign, so that the enum values `-1` and `1` stay apart.
fn spell_signs(raw: &str) -> String {
    let trimmed = raw.trim();
    if let Some(rest) = trimmed.strip_prefix('-') {
        format!("minus {rest}")
    } else if let Some(rest) = trimmed.strip_prefix('+') {
        format!("plus {rest}")
    } else {
        trimmed.to_owned()
    }
}

/// Keeps ASCII letters, digits and underscores. Identifiers stay ASCII so that generated code
/// never trips the `non_ascii_idents` or `uncommon_codepoints` lints; the wire name keeps the
/// original spelling.
fn ascii_ident(cased: &str) -> String {
    cased.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

fn finish(ident: String, fallback: &str, digit_prefix: &str) -> String {
    let ident = ident.trim_matches('_').to_owned();
    let ident = if ident.is_empty() { fallback.to_owned() } else { ident };
    let ident = if ident.starts_with(|c: char| c.is_ascii_digit()) { format!("{digit_prefix}{ident}") } else { ident };
    if KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// Methods every generated struct may have besides its setters: the constructor, XML's, and
/// the traits' (serde's, `Default`'s, validation's) that method calls would otherwise find
/// behind an inherent method of the same name.
pub const STRUCT_METHODS: &[&str] =
    &["new", "default", "serialize", "deserialize", "from_xml", "to_xml", "validate", "validate_at"];

/// The chainable setter of a field (`email` -> `with_email`, `type_` -> `with_type`): `with_`
/// and the field's name without the underscores that escape keywords or a leading digit. The
/// caller claims it in the struct's method [`Namespace`], after [`STRUCT_METHODS`].
pub fn setter_name(field: &str) -> String {
    format!("with_{}", field.trim_matches('_'))
}

/// A [`Namespace`] for the methods of a generated struct, [`STRUCT_METHODS`] taken.
pub fn struct_methods() -> Namespace {
    let mut methods = Namespace::new();
    STRUCT_METHODS.iter().for_each(|m| methods.reserve(m));
    methods
}

/// The candidate nearest to `word`, for a "did you mean" in a diagnostic: the one fewest edits
/// away (insertions, deletions, substitutions and swaps of neighbours, as `strsim` counts them),
/// if that is at most a third of the word's length (and at least one edit); the first in
/// `candidates`' order on a tie, so the answer is deterministic.
pub fn nearest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let allowed = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = strsim::damerau_levenshtein(word, candidate);
        if distance <= allowed && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// One scope of identifiers (a module's types, a struct's fields, an enum's variants).
///
/// `unique` hands out each identifier once: a second wire name that cleans to the same
/// identifier gets a numeric suffix, in the order the names are claimed. Callers claim names
/// in the spec's order, so the result is deterministic.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks `ident` as used without claiming it for an item (for names the generated code
    /// itself defines in this scope).
    pub fn reserve(&mut self, ident: &str) {
        self.taken.insert(ident.to_owned());
    }

    pub fn unique(&mut self, ident: String) -> String {
        if self.taken.insert(ident.clone()) {
            return ident;
        }
        // `Foo` taken: try `Foo2`, `Foo3`, ... A name ending in a digit gets an underscore
        // first, so `V1` and its twin read `V1_2`, not `V12`.
        let separator = if ident.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        (2..)
            .map(|n| format!("{ident}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modules_never_shadow_primitive_types() {
        assert_eq!(module_name("Bool", "m"), "bool_");
        assert_eq!(module_name("I64", "m"), "i64_");
        assert_eq!(module_name("Type", "m"), "type_");
        assert_eq!(module_name("BoolValue", "m"), "bool_value");
    }

    #[test]
    fn feature_names_are_snake_case_ascii() {
        assert_eq!(feature_name("Tax Rates", "group"), "tax_rates");
        assert_eq!(feature_name("payment_intents", "group"), "payment_intents");
        assert_eq!(feature_name("Api20100401Call", "group"), "api20100401_call");
        assert_eq!(feature_name("type", "group"), "type");
        assert_eq!(feature_name("3ds", "group"), "3ds");
        assert_eq!(feature_name("Zahlungen (neu)", "group"), "zahlungen_neu");
        assert_eq!(feature_name("---", "group"), "group");
        assert_eq!(feature_name("ünïcode", "group"), "ncode");
    }

    #[test]
    fn keywords_are_suffixed() {
        assert_eq!(field_name("type", "field"), "type_");
        assert_eq!(field_name("self", "field"), "self_");
        assert_eq!(field_name("crate", "field"), "crate_");
        assert_eq!(field_name("gen", "field"), "gen_");
        assert_eq!(type_name("Self", "Type"), "Self_");
        assert_eq!(type_name("self", "Type"), "Self_");
    }

    #[test]
    fn underscore_and_empty_names_fall_back() {
        assert_eq!(field_name("_", "field"), "field");
        assert_eq!(field_name("", "field"), "field");
        assert_eq!(type_name("", "Empty"), "Empty");
        assert_eq!(type_name("***", "Value"), "Value");
    }

    #[test]
    fn leading_digits_get_a_prefix() {
        assert_eq!(field_name("2fa_enabled", "field"), "_2fa_enabled");
        assert_eq!(type_name("3d_secure", "Type"), "V3dSecure");
        assert_eq!(type_name("1", "Value"), "V1");
    }

    #[test]
    fn signs_are_spelled() {
        assert_eq!(type_name("-1", "Value"), "Minus1");
        assert_eq!(type_name("+1", "Value"), "Plus1");
    }

    #[test]
    fn wire_punctuation_and_case() {
        assert_eq!(type_name("drupal_v8.2.x", "Value"), "DrupalV82X");
        assert_eq!(field_name("Shipmentaddress", "field"), "shipmentaddress");
        assert_eq!(field_name("CustomerGroupId", "field"), "customer_group_id");
        assert_eq!(field_name("X-SessionId", "field"), "x_session_id");
        assert_eq!(type_name("REQUIRES_ACTIVATION", "Value"), "RequiresActivation");
        assert_eq!(field_name("café_größe", "field"), "caf_gre");
    }

    #[test]
    fn setters_are_with_and_the_field() {
        assert_eq!(setter_name("email"), "with_email");
        assert_eq!(setter_name("type_"), "with_type");
        assert_eq!(setter_name("_2fa_enabled"), "with_2fa_enabled");
        let mut methods = struct_methods();
        assert_eq!(methods.unique(setter_name("type_")), "with_type");
        // A field that cleans to the same setter gets a suffix, never another's name.
        assert_eq!(methods.unique(setter_name("type")), "with_type2");
        assert_eq!(methods.unique("new".to_owned()), "new2");
    }

    #[test]
    fn reserved_fallback_variants_push_spec_values_aside() {
        let mut ns = Namespace::new();
        ns.reserve(UNKNOWN_VALUE);
        assert_eq!(ns.unique(type_name("unknown_value", "V")), "UnknownValue2");
        assert_eq!(ns.unique(type_name("unknown", "V")), "Unknown");
        let mut ns = Namespace::new();
        ns.reserve(UNKNOWN_ALTERNATIVE);
        assert_eq!(ns.unique(type_name("Unknown", "V")), "Unknown2");
    }

    #[test]
    fn nearest_names() {
        let names = ["Customer", "Customers", "Order", "string"];
        assert_eq!(nearest("Custmer", names), Some("Customer"));
        assert_eq!(nearest("Customers", names), Some("Customers"));
        assert_eq!(nearest("Ordre", names), Some("Order"));
        assert_eq!(nearest("strng", names), Some("string"));
        assert_eq!(nearest("Invoice", names), None);
        assert_eq!(nearest("", names), None);
    }

    #[test]
    fn namespace_dedups_in_claim_order() {
        let mut ns = Namespace::new();
        assert_eq!(ns.unique(field_name("fooBar", "f")), "foo_bar");
        assert_eq!(ns.unique(field_name("foo_bar", "f")), "foo_bar2");
        assert_eq!(ns.unique(field_name("FOO-BAR", "f")), "foo_bar3");
        assert_eq!(ns.unique(type_name("1", "V")), "V1");
        assert_eq!(ns.unique(type_name("v1", "V")), "V1_2");
    }
}

//! Keyword checks, called by generated `Validate` impls. Each reports into a [`Context`] at
//! its current location and never panics.
//!
//! Semantics follow JSON Schema: lengths count Unicode code points, not bytes; numbers compare
//! by value whatever their representation (`1` equals `1.0`); keywords for one JSON type
//! ignore values of another.

use std::sync::OnceLock;

use fancy_regex::{Regex, RegexBuilder};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::format::Format;
use crate::{Context, Validate};

/// A number as JSON Schema compares it: integers exactly, anything else as a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    /// An integer, exactly.
    Int(i128),
    /// Any other number.
    Float(f64),
}

impl Num {
    fn as_f64(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }

    /// Compares two numbers: exactly when both are integers, as floats otherwise.
    fn cmp(self, other: Num) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
            (a, b) => a.as_f64().partial_cmp(&b.as_f64()),
        }
    }

    /// A JSON number, as JSON Schema reads it (`12.0` is the integer 12).
    pub fn from_json(n: &serde_json::Number) -> Num {
        if let Some(i) = n.as_i64() {
            Num::Int(i.into())
        } else if let Some(u) = n.as_u64() {
            Num::Int(u.into())
        } else {
            let f = n.as_f64().unwrap_or(f64::NAN);
            if f.fract() == 0.0 && f.abs() < 1e38 {
                Num::Int(f as i128)
            } else {
                Num::Float(f)
            }
        }
    }
}

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Num::Int(i) => write!(f, "{i}"),
            Num::Float(x) => write!(f, "{x}"),
        }
    }
}

macro_rules! num_from_int {
    ($($t:ty),*) => { $(impl From<$t> for Num { fn from(v: $t) -> Self { Num::Int(v.into()) } })* };
}
num_from_int!(i8, i16, i32, i64, u8, u16, u32, u64);

impl From<f64> for Num {
    fn from(v: f64) -> Self {
        Num::Float(v)
    }
}

impl From<f32> for Num {
    fn from(v: f32) -> Self {
        Num::Float(v.into())
    }
}

fn limit_json(limit: Num) -> Value {
    match limit {
        Num::Int(i) => i64::try_from(i).map(Value::from).unwrap_or_else(|_| Value::from(i as f64)),
        Num::Float(f) => Value::from(f),
    }
}

/// `minLength`: at least `limit` characters (Unicode scalar values, as JSON Schema counts them).
pub fn min_length(cx: &mut Context, s: &str, limit: u64) {
    // A UTF-8 character is at most four bytes: enough bytes settle it without counting.
    if (s.len() as u64) >= limit.saturating_mul(4) {
        return;
    }
    let length = s.chars().count() as u64;
    if length < limit {
        cx.error(
            "minLength",
            Some(limit.into()),
            format!("must be at least {} long, is {length}", counted(limit, "character", "characters")),
        );
    }
}

/// `1 character`, `2 characters`: a count with its noun in the right number.
fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `maxLength`: at most `limit` characters.
pub fn max_length(cx: &mut Context, s: &str, limit: u64) {
    // Counting stops early: the byte length bounds the character count from above.
    if (s.len() as u64) <= limit {
        return;
    }
    let length = s.chars().count() as u64;
    if length > limit {
        cx.error(
            "maxLength",
            Some(limit.into()),
            format!("must be at most {} long, is {length}", counted(limit, "character", "characters")),
        );
    }
}

/// How many backtracking steps matching one value against one pattern may take. Patterns
/// without look-around or backreferences run on the `regex` crate, in time linear in the value,
/// and never count a step; the others backtrack, and a value built for it (or a careless
/// pattern) could take exponential time. 100,000 steps take a few milliseconds; a value that
/// needs more is refused with a violation that says so, since it could not be shown to match.
pub const BACKTRACK_LIMIT: usize = 100_000;

/// A regular expression from the spec, compiled on first use and then shared.
///
/// It is compiled by `fancy-regex`, which reads look-around (`(?!...)`, `(?<=...)`) and
/// backreferences and hands every part without them to the `regex` crate. The generator checks
/// at generation time that every pattern compiles, so a compile error here means the
/// `fancy-regex` in use differs from the generator's; it is reported as a violation rather than
/// a panic.
pub struct Pattern {
    source: &'static str,
    compiled: OnceLock<Result<Regex, String>>,
}

/// Why a value could not be checked against a [`Pattern`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unchecked {
    /// The pattern does not compile (the message says why).
    Compile(String),
    /// Matching took more than [`BACKTRACK_LIMIT`] steps.
    TooComplex,
}

impl Pattern {
    /// A pattern from its ECMA-262 source; compiled on first use.
    pub const fn new(source: &'static str) -> Self {
        Self { source, compiled: OnceLock::new() }
    }

    /// The pattern's source, as the spec wrote it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `s` matches (anywhere, as JSON Schema's `pattern` does); `Err` when the
    /// pattern does not compile or the match needs more than [`BACKTRACK_LIMIT`] steps.
    pub fn is_match(&self, s: &str) -> Result<bool, Unchecked> {
        matches(self.compiled.get_or_init(|| compile(self.source)), s)
    }
}

/// The engine every pattern check uses: fancy-regex (look-around and backreferences, the rest
/// delegated to the regex crate) with its backtracking bounded.
fn compile(source: &str) -> Result<Regex, String> {
    RegexBuilder::new(source).backtrack_limit(BACKTRACK_LIMIT).build().map_err(|e| e.to_string())
}

fn matches(compiled: &Result<Regex, String>, s: &str) -> Result<bool, Unchecked> {
    match compiled {
        Ok(regex) => regex.is_match(s).map_err(|e| match e {
            fancy_regex::Error::RuntimeError(fancy_regex::RuntimeError::BacktrackLimitExceeded) => {
                Unchecked::TooComplex
            }
            other => Unchecked::Compile(other.to_string()),
        }),
        Err(message) => Err(Unchecked::Compile(message.clone())),
    }
}

/// `pattern`: `s` matches the regular expression.
pub fn pattern(cx: &mut Context, s: &str, pattern: &Pattern) {
    report_pattern(cx, pattern.source(), pattern.is_match(s));
}

/// `pattern` for a pattern known only at run time (an interpreter of a spec's rules): the same
/// engine, bound and messages as [`pattern`], compiled on each call.
pub fn pattern_of(cx: &mut Context, s: &str, source: &str) {
    report_pattern(cx, source, matches(&compile(source), s));
}

fn report_pattern(cx: &mut Context, source: &str, outcome: Result<bool, Unchecked>) {
    let message = match outcome {
        Ok(true) => return,
        Ok(false) => format!("does not match the pattern `{source}`"),
        Err(Unchecked::TooComplex) => format!(
            "could not be matched against the pattern `{source}` within {BACKTRACK_LIMIT} backtracking steps, so it is refused"
        ),
        Err(Unchecked::Compile(message)) => format!("the pattern `{source}` does not compile: {message}"),
    };
    cx.error("pattern", Some(source.into()), message);
}

/// Whether the property name `name` matches a `patternProperties` (or evaluated-property)
/// pattern. A name that cannot be matched within the backtracking bound is refused, at the
/// object, with keyword `patternProperties`, and counts as not matching.
pub fn name_matches(cx: &mut Context, name: &str, pattern: &Pattern) -> bool {
    report_name_match(cx, name, pattern.source(), pattern.is_match(name))
}

/// Whether the property name `name` matches `pattern`, for telling which properties
/// `additionalProperties` or `unevaluatedProperties` concern. A name that cannot be matched
/// counts as not matching; [`name_matches`], called for the same pattern's own
/// `patternProperties` entry, reports it.
pub fn matches_name(name: &str, pattern: &Pattern) -> bool {
    pattern.is_match(name).unwrap_or(false)
}

/// [`matches_name`] for a pattern known only at run time.
pub fn matches_name_of(name: &str, source: &str) -> bool {
    matches(&compile(source), name).unwrap_or(false)
}

/// [`name_matches`] for a pattern known only at run time (an interpreter of a spec's rules).
pub fn name_matches_of(cx: &mut Context, name: &str, source: &str) -> bool {
    report_name_match(cx, name, source, matches(&compile(source), name))
}

fn report_name_match(cx: &mut Context, name: &str, source: &str, outcome: Result<bool, Unchecked>) -> bool {
    let message = match outcome {
        Ok(matched) => return matched,
        Err(Unchecked::TooComplex) => format!(
            "property name `{name}` could not be matched against the pattern `{source}` within {BACKTRACK_LIMIT} backtracking steps, so it is refused"
        ),
        Err(Unchecked::Compile(message)) => format!("the pattern `{source}` does not compile: {message}"),
    };
    cx.error("patternProperties", Some(source.into()), message);
    false
}

/// `contains`, with `minContains` / `maxContains`: `matches` items satisfy the subschema; at
/// least `min` (1 where `minContains` is absent) and at most `max` must.
pub fn contains(cx: &mut Context, matches: usize, min: Option<u64>, max: Option<u64>) {
    let found = matches as u64;
    match min {
        None if found == 0 => {
            cx.error("contains", None, "must contain an item that matches the `contains` subschema".to_owned())
        }
        Some(min) if found < min => cx.error(
            "minContains",
            Some(min.into()),
            format!(
                "must contain at least {} matching the `contains` subschema, contains {found}",
                counted(min, "item", "items")
            ),
        ),
        _ => {}
    }
    if let Some(max) = max.filter(|max| found > *max) {
        cx.error(
            "maxContains",
            Some(max.into()),
            format!(
                "must contain at most {} matching the `contains` subschema, contains {found}",
                counted(max, "item", "items")
            ),
        );
    }
}

/// `if` / `then` / `else`: where `condition` finds nothing, `then` is checked, else
/// `otherwise`. The condition's own violations are never reported: they only choose.
pub fn conditional(
    cx: &mut Context,
    condition: impl FnOnce(&mut Context),
    then: impl FnOnce(&mut Context),
    otherwise: impl FnOnce(&mut Context),
) {
    if cx.probe(condition) {
        then(cx);
    } else {
        otherwise(cx);
    }
}

/// `dependentRequired`: `name` is present, and `missing`, which it requires, is not (called
/// only then).
pub fn dependent_required(cx: &mut Context, name: &str, missing: &str) {
    cx.error(
        "dependentRequired",
        Some(missing.into()),
        format!("property `{missing}` is required when `{name}` is present"),
    );
}

/// `propertyNames`: the property name `name` does not satisfy the subschema (called only then).
pub fn property_name(cx: &mut Context, name: &str) {
    cx.error("propertyNames", None, format!("property name `{name}` does not match the `propertyNames` subschema"));
}

/// `unevaluatedProperties: false`: no other keyword evaluates the property `name`.
pub fn unevaluated_property(cx: &mut Context, name: &str) {
    cx.error(
        "unevaluatedProperties",
        Some(false.into()),
        format!("property `{name}` is not allowed here (no keyword of the schema evaluates it)"),
    );
}

/// `unevaluatedItems: false`: the array has items beyond the `evaluated` that other keywords
/// evaluate (called only then).
pub fn unevaluated_items(cx: &mut Context, len: usize, evaluated: usize) {
    cx.error(
        "unevaluatedItems",
        Some(false.into()),
        format!(
            "must have at most {} (those the schema evaluates), has {len}",
            counted(evaluated as u64, "item", "items")
        ),
    );
}

/// `format`: `s` is a valid value of the format.
pub fn format(cx: &mut Context, s: &str, format: Format) {
    if !format.is_valid(s) {
        cx.error("format", Some(format.name().into()), format!("is not a valid {}", format.name()));
    }
}

/// `minimum` (or `exclusiveMinimum` where `exclusive`).
pub fn minimum(cx: &mut Context, value: impl Into<Num>, limit: Num, exclusive: bool) {
    let value = value.into();
    let ok = match value.cmp(limit) {
        Some(std::cmp::Ordering::Greater) => true,
        Some(std::cmp::Ordering::Equal) => !exclusive,
        _ => false,
    };
    if !ok {
        let (keyword, relation) =
            if exclusive { ("exclusiveMinimum", "greater than") } else { ("minimum", "at least") };
        cx.error(keyword, Some(limit_json(limit)), format!("must be {relation} {limit}, is {value}"));
    }
}

/// `maximum` (or `exclusiveMaximum` where `exclusive`).
pub fn maximum(cx: &mut Context, value: impl Into<Num>, limit: Num, exclusive: bool) {
    let value = value.into();
    let ok = match value.cmp(limit) {
        Some(std::cmp::Ordering::Less) => true,
        Some(std::cmp::Ordering::Equal) => !exclusive,
        _ => false,
    };
    if !ok {
        let (keyword, relation) = if exclusive { ("exclusiveMaximum", "less than") } else { ("maximum", "at most") };
        cx.error(keyword, Some(limit_json(limit)), format!("must be {relation} {limit}, is {value}"));
    }
}

/// `multipleOf`: `value` is a whole multiple of `divisor`.
pub fn multiple_of(cx: &mut Context, value: impl Into<Num>, divisor: Num) {
    let value = value.into();
    let ok = match (value, divisor) {
        (Num::Int(v), Num::Int(d)) if d != 0 => v % d == 0,
        (v, d) => {
            let (v, d) = (v.as_f64(), d.as_f64());
            let quotient = v / d;
            if quotient.is_finite() {
                // Float division is inexact (0.0075 / 0.0001 = 75.00000000000001): accept a
                // quotient within rounding error of a whole number.
                (quotient - quotient.round()).abs() <= quotient.abs().max(1.0) * 1e-12
            } else {
                // The quotient overflows (1e308 / 0.5): the remainder is still exact.
                d != 0.0 && (v % d) == 0.0
            }
        }
    };
    if !ok {
        cx.error("multipleOf", Some(limit_json(divisor)), format!("must be a multiple of {divisor}, is {value}"));
    }
}

/// `minItems`.
pub fn min_items(cx: &mut Context, len: usize, limit: u64) {
    if (len as u64) < limit {
        cx.error(
            "minItems",
            Some(limit.into()),
            format!("must have at least {}, has {len}", counted(limit, "item", "items")),
        );
    }
}

/// `maxItems`.
pub fn max_items(cx: &mut Context, len: usize, limit: u64) {
    if (len as u64) > limit {
        cx.error(
            "maxItems",
            Some(limit.into()),
            format!("must have at most {}, has {len}", counted(limit, "item", "items")),
        );
    }
}

/// `minProperties`.
pub fn min_properties(cx: &mut Context, count: usize, limit: u64) {
    if (count as u64) < limit {
        cx.error(
            "minProperties",
            Some(limit.into()),
            format!("must have at least {}, has {count}", counted(limit, "property", "properties")),
        );
    }
}

/// `maxProperties`.
pub fn max_properties(cx: &mut Context, count: usize, limit: u64) {
    if (count as u64) > limit {
        cx.error(
            "maxProperties",
            Some(limit.into()),
            format!("must have at most {}, has {count}", counted(limit, "property", "properties")),
        );
    }
}

/// `uniqueItems`: items are compared as JSON values, numbers by value.
pub fn unique_items<T: Serialize>(cx: &mut Context, items: &[T]) {
    let values: Vec<Value> = items.iter().map(|item| serde_json::to_value(item).unwrap_or(Value::Null)).collect();
    unique_values(cx, &values);
}

/// `uniqueItems`: no two values are equal.
pub fn unique_values(cx: &mut Context, values: &[Value]) {
    for (i, a) in values.iter().enumerate() {
        if let Some(j) = values[..i].iter().position(|b| json_equal(a, b)) {
            cx.error("uniqueItems", Some(true.into()), format!("items {j} and {i} are equal"));
            return;
        }
    }
}

/// `required`: the property `name` is missing (called only when it is).
pub fn required(cx: &mut Context, name: &str) {
    cx.error("required", Some(name.into()), format!("required property `{name}` is missing"));
}

/// OpenAPI's `discriminator`, on a value of a discriminated union: its discriminator property
/// (`found`, `None` when absent) must hold one of the `values` that select the variant the
/// value is. Reported at the property.
pub fn discriminator(cx: &mut Context, property: &'static str, found: Option<&str>, values: &[&str]) {
    if found.is_some_and(|found| values.contains(&found)) {
        return;
    }
    let message = match found {
        None => crate::de::discriminator_message(property, None, values),
        Some(found) => {
            let expected: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            format!(
                "`{found}` is not a value of discriminator property `{property}` that selects this alternative; expected {}",
                expected.join(" or ")
            )
        }
    };
    cx.push_key(property);
    cx.error("discriminator", Some(property.into()), message);
    cx.pop();
}

/// The unknown variant of a discriminated union: an object whose discriminator property holds
/// a value the union does not know. The error reading it would have given, at the property.
pub fn unknown_discriminator(cx: &mut Context, property: &'static str, object: &Value, values: &[&str]) {
    cx.push_key(property);
    cx.error(
        "discriminator",
        Some(property.into()),
        crate::de::discriminator_message(property, object.get(property), values),
    );
    cx.pop();
}

/// `additionalProperties: false` on a value whose properties are not known in advance.
pub fn additional_property(cx: &mut Context, name: &str) {
    cx.error("additionalProperties", Some(false.into()), format!("property `{name}` is not allowed here"));
}

/// `enum`, for values whose type does not already restrict them.
pub fn enumeration(cx: &mut Context, value: &Value, allowed: &[Value]) {
    if !allowed.iter().any(|a| json_equal(a, value)) {
        cx.error(
            "enum",
            Some(Value::Array(allowed.to_vec())),
            format!("must be one of {}", Value::Array(allowed.to_vec())),
        );
    }
}

/// `enum` of strings, for a string value.
pub fn enumeration_str(cx: &mut Context, value: &str, allowed: &[&str]) {
    if !allowed.contains(&value) {
        let list: Vec<Value> = allowed.iter().map(|a| Value::from(*a)).collect();
        cx.error("enum", Some(Value::Array(list.clone())), format!("must be one of {}", Value::Array(list)));
    }
}

/// Serializes a typed value for a rule that compares JSON values (`enum` of objects, say).
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The JSON Schema type names a value has: an integer-valued number is both `integer` and
/// `number`.
pub fn has_type(value: &Value, expected: &str) -> bool {
    match (expected, value) {
        ("null", Value::Null) | ("boolean", Value::Bool(_)) | ("string", Value::String(_)) => true,
        ("array", Value::Array(_)) | ("object", Value::Object(_)) | ("number", Value::Number(_)) => true,
        ("integer", Value::Number(n)) => matches!(Num::from_json(n), Num::Int(_)),
        _ => false,
    }
}

/// `type`: `value` is of the JSON type `expected`.
pub fn json_type(cx: &mut Context, value: &Value, expected: &'static str) {
    if !has_type(value, expected) {
        cx.error("type", Some(expected.into()), format!("must be of type {expected}"));
    }
}

/// A type mismatch known without looking at the value (a typed field checked against a
/// subschema that asks for another type).
pub fn wrong_type(cx: &mut Context, expected: &'static str) {
    cx.error("type", Some(expected.into()), format!("must be of type {expected}"));
}

/// `anyOf`: at least one alternative matched.
pub fn any_of(cx: &mut Context, matched: bool) {
    if !matched {
        cx.error("anyOf", None, "must match at least one of the alternatives".to_owned());
    }
}

/// `oneOf`: exactly one alternative matched (`matches` is how many did).
pub fn one_of(cx: &mut Context, matches: usize) {
    if matches != 1 {
        cx.error("oneOf", None, format!("must match exactly one of the alternatives, matches {matches}"));
    }
}

/// `not`: the schema must not match.
pub fn not(cx: &mut Context, matched: bool) {
    if matched {
        cx.error("not", None, "must not match the subschema".to_owned());
    }
}

/// JSON equality as JSON Schema defines it: numbers by value (`1 == 1.0`), objects whatever
/// their key order.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            Num::from_json(x).cmp(Num::from_json(y)) == Some(std::cmp::Ordering::Equal)
        }
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_equal(a, b)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

/// A JSON value that must be valid as the generated type `T` (an alternative of a `oneOf`, a
/// `$ref` inside a conditional): it must deserialize as `T` and pass `T`'s rules.
pub fn as_type<T: DeserializeOwned + Validate>(cx: &mut Context, value: &Value) {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(typed) => typed.validate_at(cx),
        Err(err) => {
            for error in crate::error::from_serde(err) {
                cx.error_below(&error.pointer, error.keyword, error.limit, error.message);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The messages of the violations `check` finds.
    fn messages(check: impl FnOnce(&mut Context)) -> Vec<String> {
        let mut cx = Context::new();
        check(&mut cx);
        cx.finish().err().map(|e| e.iter().map(|e| e.message.clone()).collect()).unwrap_or_default()
    }

    #[test]
    fn counts_agree_with_their_nouns() {
        assert_eq!(messages(|cx| min_length(cx, "", 1)), ["must be at least 1 character long, is 0"]);
        assert_eq!(messages(|cx| min_length(cx, "a", 2)), ["must be at least 2 characters long, is 1"]);
        assert_eq!(messages(|cx| max_length(cx, "ab", 1)), ["must be at most 1 character long, is 2"]);
        assert_eq!(messages(|cx| min_items(cx, 0, 1)), ["must have at least 1 item, has 0"]);
        assert_eq!(messages(|cx| max_items(cx, 3, 1)), ["must have at most 1 item, has 3"]);
        assert_eq!(messages(|cx| max_items(cx, 3, 2)), ["must have at most 2 items, has 3"]);
        assert_eq!(messages(|cx| min_properties(cx, 0, 1)), ["must have at least 1 property, has 0"]);
        assert_eq!(messages(|cx| max_properties(cx, 2, 1)), ["must have at most 1 property, has 2"]);
    }

    #[test]
    fn patterns_with_look_around_are_checked() {
        static SLUG: Pattern = Pattern::new(r"^(?![0-9]+$)[a-z0-9_\-]+$");
        assert_eq!(SLUG.is_match("a-1"), Ok(true));
        assert_eq!(SLUG.is_match("123"), Ok(false));
        static NESTED: Pattern = Pattern::new("^((?=a)a+)+$");
        assert_eq!(NESTED.is_match(&format!("{}b", "a".repeat(40))), Err(Unchecked::TooComplex));
    }
}

//! Value generators (feature `arbitrary`): the building blocks of the `proptest` strategies that
//! generated crates implement `proptest::arbitrary::Arbitrary` with.
//!
//! Each function here makes values that pass one of the runtime's checks by construction:
//! strings of a length in code points, strings matching a pattern (inverted with proptest's
//! regex generator), values of every format [`Format`] checks, integers and numbers in a range
//! and a multiple of a divisor. The generated code combines them as the spec's rules say, and
//! filters with the generated validator only where a rule cannot be met by construction (the
//! generator says where, as a note). Nothing here panics: a rule no value can meet (an empty
//! range) gives a strategy that rejects every value, which proptest reports as too many
//! rejections.

use std::net::{Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::check::{json_equal, Pattern};
use crate::{Binary, Context, Format, Validate};

/// How deep generated values nest: a type's strategy hands `depth - 1` to the types it
/// contains, and at depth 0 optional and nullable values are absent and arrays and maps hold
/// as few entries as their rules allow, so that recursive types end.
pub const DEPTH: u32 = 3;

/// A value that breaks exactly one rule, and where: what `<type>_invalid()` strategies of a
/// generated crate's `arbitrary` module give. Validating `value` reports exactly one
/// violation, at `pointer` (RFC 6901, wire names), of `keyword`.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid<T> {
    /// The value, valid but for the one rule.
    pub value: T,
    /// Where the broken rule applies, relative to the value.
    pub pointer: String,
    /// The JSON Schema keyword broken (`maxLength`, `minimum`, `enum`, ...).
    pub keyword: &'static str,
}

impl<T> Invalid<T> {
    /// The same fault, inside a larger value: `wrap` puts this value at `token` of it.
    pub fn within<U>(self, token: &str, wrap: impl FnOnce(T) -> U) -> Invalid<U> {
        let mut pointer = String::with_capacity(token.len() + 1 + self.pointer.len());
        pointer.push('/');
        pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
        pointer.push_str(&self.pointer);
        Invalid { value: wrap(self.value), pointer, keyword: self.keyword }
    }
}

/// A strategy that never produces a value: for a rule no value meets. Proptest reports it as
/// too many rejections, naming `why`.
pub fn impossible<T: std::fmt::Debug + 'static>(why: &'static str) -> BoxedStrategy<T> {
    Just(()).prop_filter_map(why, |()| None).boxed()
}

/// A strategy made on each use by `make(depth)`: how a type's strategy refers to another
/// type's, so that building one builds none of the types it contains (Stripe's types refer to
/// hundreds of others), and recursion ends with the depth.
pub fn lazy<T: std::fmt::Debug + 'static>(make: fn(u32) -> BoxedStrategy<T>, depth: u32) -> BoxedStrategy<T> {
    Just(()).prop_flat_map(move |()| make(depth)).boxed()
}

/// A value that may be absent (an optional field, a nullable value): absent about one time in
/// five, and always at depth 0.
pub fn optional<T: std::fmt::Debug + 'static>(depth: u32, value: BoxedStrategy<T>) -> BoxedStrategy<Option<T>> {
    if depth == 0 {
        proptest::strategy::LazyJust::new(|| None).boxed()
    } else {
        proptest::option::weighted(0.8, value).boxed()
    }
}

/// A value the validator's `check` finds nothing wrong with: the filter of positions whose
/// rules are not all met by construction.
pub fn passes<T>(value: &T, check: impl FnOnce(&T, &mut Context)) -> bool {
    let mut cx = Context::new();
    check(value, &mut cx);
    cx.is_clean()
}

/// Whether a value reads back from its JSON as itself. A union's variants can overlap on the
/// wire (a date is also a string), and reading takes the first that fits: a union's strategy
/// keeps only the values that reading gives back, since no others can come from the wire.
pub fn round_trips<T: Serialize + DeserializeOwned + PartialEq>(value: &T) -> bool {
    serde_json::to_value(value)
        .ok()
        .and_then(|json| serde_json::from_value::<T>(json).ok())
        .is_some_and(|back| back == *value)
}

/// `value` with its `property` set to `tag` (through its JSON form): a discriminated union's
/// variant with a discriminator value that selects it. `None` if the result does not read.
pub fn with_tag<T: Serialize + DeserializeOwned>(value: &T, property: &str, tag: &str) -> Option<T> {
    let mut json = serde_json::to_value(value).ok()?;
    json.as_object_mut()?.insert(property.to_owned(), Value::from(tag));
    serde_json::from_value(json).ok()
}

/// The characters of generated text: mostly printable ASCII, with some of the rest of Unicode
/// (lengths count code points, and a string of two-, three- and four-byte characters shows it),
/// never a control character (XML cannot carry most of them).
fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        12 => proptest::char::range(' ', '~'),
        1 => proptest::char::range('\u{a0}', '\u{7ff}'),
        1 => proptest::char::range('\u{800}', '\u{d7ff}'),
        1 => proptest::char::range('\u{10000}', '\u{10ffff}'),
    ]
}

/// A string of `min` to `max` code points (`min + 16` when the schema sets no maximum).
pub fn string(min: u64, max: Option<u64>) -> BoxedStrategy<String> {
    let max = max.unwrap_or(min.saturating_add(16));
    if max < min {
        return impossible("minLength above maxLength");
    }
    let (min, max) = (usize::try_from(min).unwrap_or(usize::MAX), usize::try_from(max).unwrap_or(usize::MAX));
    proptest::collection::vec(text_char(), min..=max).prop_map(String::from_iter).boxed()
}

/// A string from `set` (an `enum` of strings).
pub fn one_of_str(set: &'static [&'static str]) -> BoxedStrategy<String> {
    if set.is_empty() {
        return impossible("an empty enum");
    }
    proptest::sample::select(set).prop_map(str::to_owned).boxed()
}

/// A value from `set` (an `enum` of JSON values), read as `T`: values that do not read as `T`
/// are rejected (the schema's type refuses them anyway).
pub fn one_of_json<T: DeserializeOwned + std::fmt::Debug + 'static>(set: Vec<Value>) -> BoxedStrategy<T> {
    if set.is_empty() {
        return impossible("an empty enum");
    }
    proptest::sample::select(set)
        .prop_filter_map("a value of the enum that does not read as the type", |v| serde_json::from_value(v).ok())
        .boxed()
}

/// A string matching `pattern` (a [`Pattern`]'s source), of `min` to `max` code points.
///
/// Proptest's regex generator produces strings that a regular expression matches, but knows
/// no anchors or look-around: a leading `^` and trailing `$` are dropped (a string generated
/// from the rest matches with them too), look-around groups are taken out and any other anchor
/// or boundary read as empty. What is generated then is filtered with the pattern itself, so a
/// value never fails it; only the inexact cases (which the generator reports) reject any.
pub fn pattern(pattern: &'static Pattern, min: u64, max: Option<u64>) -> BoxedStrategy<String> {
    let source = pattern.source();
    let (hir, _exact) = match invertible(source) {
        Some(inverted) => inverted,
        None => {
            // Not a regular expression proptest can read (a backreference): any string, which
            // the filter below will mostly refuse.
            return string(min, max)
                .prop_filter("does not match the pattern", move |s| pattern.is_match(s) == Ok(true))
                .boxed();
        }
    };
    let Ok(strategy) = proptest::string::string_regex_parsed(&hir) else {
        return string(min, max)
            .prop_filter("does not match the pattern", move |s| pattern.is_match(s) == Ok(true))
            .boxed();
    };
    strategy
        .prop_filter("does not match the pattern, or has the wrong length", move |s| {
            let length = s.chars().count() as u64;
            length >= min && max.is_none_or(|max| length <= max) && pattern.is_match(s) == Ok(true)
        })
        .boxed()
}

/// The pattern as a regular expression proptest can generate from, and whether it is exact
/// (every generated string matches). `None` when `regex-syntax` cannot read it even without
/// its look-around.
///
/// Written here rather than found in a crate: proptest leaves anchors to its caller, and no
/// crate strips look-around from an ECMA-262 pattern. The generator runs the same test to
/// decide which patterns to report.
pub fn invertible(source: &str) -> Option<(regex_syntax::hir::Hir, bool)> {
    let (without, had_look_around) = strip_look_around(source);
    let hir = regex_syntax::ParserBuilder::new().build().parse(&without).ok()?;
    let (hir, inner_anchors) = drop_anchors(hir, true, true);
    Some((hir, !had_look_around && !inner_anchors))
}

/// The pattern without its look-around groups (`(?=...)`, `(?!...)`, `(?<=...)`, `(?<!...)`),
/// and whether it had any.
fn strip_look_around(source: &str) -> (String, bool) {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut found = false;
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            out.push(c);
            if let Some(next) = chars.get(i + 1) {
                out.push(*next);
            }
            i += 2;
            continue;
        }
        if in_class {
            in_class = c != ']';
            out.push(c);
            i += 1;
            continue;
        }
        if c == '[' {
            in_class = true;
            out.push(c);
            i += 1;
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 4)].iter().collect();
        if c == '('
            && (rest.starts_with("(?=")
                || rest.starts_with("(?!")
                || rest.starts_with("(?<=")
                || rest.starts_with("(?<!"))
        {
            found = true;
            i = skip_group(&chars, i);
            continue;
        }
        out.push(c);
        i += 1;
    }
    (out, found)
}

/// The index just past the group that opens at `open`.
fn skip_group(chars: &[char], open: usize) -> usize {
    let mut depth = 0usize;
    let mut in_class = false;
    let mut i = open;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            ']' if in_class => in_class = false,
            _ if in_class => {}
            '[' => in_class = true,
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    chars.len()
}

/// `hir` with its anchors and boundaries taken out: a `^` at the very start and a `$` at the
/// very end exactly (`first`, `last` say whether `hir` stands there), any other as empty,
/// which the returned flag reports.
fn drop_anchors(hir: regex_syntax::hir::Hir, first: bool, last: bool) -> (regex_syntax::hir::Hir, bool) {
    use regex_syntax::hir::{Capture, Hir, HirKind, Look, Repetition};
    match hir.into_kind() {
        HirKind::Look(look) => {
            let exact = (first && matches!(look, Look::Start)) || (last && matches!(look, Look::End));
            (Hir::empty(), !exact)
        }
        HirKind::Concat(subs) => {
            let n = subs.len();
            let mut inexact = false;
            let subs: Vec<Hir> = subs
                .into_iter()
                .enumerate()
                .map(|(i, sub)| {
                    let (sub, inner) = drop_anchors(sub, first && i == 0, last && i + 1 == n);
                    inexact |= inner;
                    sub
                })
                .collect();
            (Hir::concat(subs), inexact)
        }
        HirKind::Alternation(subs) => {
            let mut inexact = false;
            let subs: Vec<Hir> = subs
                .into_iter()
                .map(|sub| {
                    let (sub, inner) = drop_anchors(sub, first, last);
                    inexact |= inner;
                    sub
                })
                .collect();
            (Hir::alternation(subs), inexact)
        }
        HirKind::Capture(capture) => {
            let (sub, inexact) = drop_anchors(*capture.sub, first, last);
            (Hir::capture(Capture { sub: Box::new(sub), ..capture }), inexact)
        }
        HirKind::Repetition(repetition) => {
            let (sub, inexact) = drop_anchors(*repetition.sub, false, false);
            (Hir::repetition(Repetition { sub: Box::new(sub), ..repetition }), inexact)
        }
        kind @ (HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_)) => (hir_of(kind), false),
    }
}

fn hir_of(kind: regex_syntax::hir::HirKind) -> regex_syntax::hir::Hir {
    use regex_syntax::hir::{Hir, HirKind};
    match kind {
        HirKind::Literal(literal) => Hir::literal(literal.0),
        HirKind::Class(class) => Hir::class(class),
        _ => Hir::empty(),
    }
}

/// A host name label: a letter or digit, then up to ten letters, digits or hyphens ending with a
/// letter or digit.
fn label() -> BoxedStrategy<String> {
    regex("[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?")
}

/// Strings from one of this module's own regular expressions (which all compile).
fn regex(source: &str) -> BoxedStrategy<String> {
    match proptest::string::string_regex(source) {
        Ok(strategy) => strategy.boxed(),
        Err(_) => impossible("a generator's own regular expression does not compile"),
    }
}

fn hostname() -> BoxedStrategy<String> {
    proptest::collection::vec(label(), 1..=3).prop_map(|labels| labels.join(".")).boxed()
}

/// A string of `format`, of `min` to `max` code points. Values are at most 60 characters, so a
/// `maxLength` of 60 or more never rejects one.
pub fn format(format: Format, min: u64, max: Option<u64>) -> BoxedStrategy<String> {
    let values: BoxedStrategy<String> = match format {
        Format::Date => date().prop_map(|d| d.format("%Y-%m-%d").to_string()).boxed(),
        Format::DateTime => date_time().prop_map(|d| d.to_rfc3339()).boxed(),
        Format::Time => (date_time(), any::<bool>())
            .prop_map(|(d, utc)| {
                if utc {
                    d.naive_utc().format("%H:%M:%S%.fZ").to_string()
                } else {
                    d.format("%H:%M:%S%.f%:z").to_string()
                }
            })
            .boxed(),
        Format::Email => {
            let local = regex("[a-z0-9]{1,10}(\\.[a-z0-9+_-]{1,8})?");
            (local, hostname()).prop_map(|(local, host)| format!("{local}@{host}")).boxed()
        }
        Format::Hostname => hostname(),
        Format::Ipv4 => any::<[u8; 4]>().prop_map(|b| Ipv4Addr::from(b).to_string()).boxed(),
        Format::Ipv6 => any::<[u16; 8]>().prop_map(|b| Ipv6Addr::from(b).to_string()).boxed(),
        Format::Uri => {
            let path = proptest::collection::vec(label(), 0..=2);
            (prop_oneof![Just("https"), Just("http"), Just("urn")], hostname(), path)
                .prop_map(|(scheme, host, path)| match scheme {
                    "urn" => format!("urn:{host}"),
                    _ if path.is_empty() => format!("{scheme}://{host}"),
                    _ => format!("{scheme}://{host}/{}", path.join("/")),
                })
                .boxed()
        }
        Format::Uuid => uuid().prop_map(|u| u.hyphenated().to_string()).boxed(),
    };
    if min == 0 && max.is_none_or(|max| max >= 60) {
        return values;
    }
    values
        .prop_filter("has the wrong length", move |s| {
            let length = s.chars().count() as u64;
            length >= min && max.is_none_or(|max| length <= max)
        })
        .boxed()
}

/// A date between 1900 and 2099 (RFC 3339 `full-date`, four-digit years).
pub fn date() -> BoxedStrategy<chrono::NaiveDate> {
    let first = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    (0i64..73_049).prop_map(move |days| first + chrono::Days::new(days.unsigned_abs())).boxed()
}

/// A date-time between 1900 and 2099, with milliseconds or none, at an offset of whole minutes
/// (RFC 3339 cannot write seconds in an offset).
pub fn date_time() -> BoxedStrategy<chrono::DateTime<chrono::FixedOffset>> {
    let seconds = -2_208_988_800i64..4_102_444_800;
    let millis = prop_oneof![Just(0u32), 0u32..1000];
    let offset = prop_oneof![Just(0i32), -(12 * 60)..=(14 * 60)];
    (seconds, millis, offset)
        .prop_filter_map("a date-time chrono cannot represent", |(seconds, millis, minutes)| {
            let offset = chrono::FixedOffset::east_opt(minutes * 60)?;
            let utc = chrono::DateTime::from_timestamp(seconds, millis * 1_000_000)?;
            Some(utc.with_timezone(&offset))
        })
        .boxed()
}

/// Any UUID.
pub fn uuid() -> BoxedStrategy<uuid::Uuid> {
    any::<u128>().prop_map(uuid::Uuid::from_u128).boxed()
}

/// A file's bytes: up to 64 characters of text, since the JSON form of a binary value is a
/// string and bytes that are not UTF-8 have none (a multipart body carries any bytes, but the
/// same value must serialize as JSON too).
pub fn binary() -> BoxedStrategy<Binary> {
    string(0, Some(64)).prop_map(|text| Binary::new(text.into_bytes())).boxed()
}

/// An integer from `min` to `max` (inclusive), a multiple of `multiple` where given, as `T`: the
/// bounds, the end values and any value between.
pub fn integer<T>(min: i128, max: i128, multiple: Option<i128>) -> BoxedStrategy<T>
where
    T: TryFrom<i128> + std::fmt::Debug + 'static,
{
    let (step, low, high) = match multiple {
        Some(m) if m != 0 => {
            let m = m.abs();
            (m, min.div_euclid(m) + i128::from(min.rem_euclid(m) != 0), max.div_euclid(m))
        }
        _ => (1, min, max),
    };
    if low > high {
        return impossible("no integer meets the bounds");
    }
    prop_oneof![1 => Just(low), 1 => Just(high), 8 => low..=high]
        .prop_filter_map("an integer beyond the type", move |k| T::try_from(k.checked_mul(step)?).ok())
        .boxed()
}

/// A number from `min` to `max` (either end excluded where its flag says so), a multiple of
/// `multiple` where given, and integral where `integral` (a schema that says `type: integer`
/// of a float). Unbounded ends are ±10^6.
pub fn number(
    min: Option<(f64, bool)>,
    max: Option<(f64, bool)>,
    multiple: Option<f64>,
    integral: bool,
) -> BoxedStrategy<f64> {
    let (low, low_excluded) = min.unwrap_or((-1e6, false));
    let (high, high_excluded) = max.unwrap_or((1e6, false));
    // Values serde_json reads back exactly: it parses numbers of more than 15 significant
    // digits by a fast method that may miss the last bit (unless its `float_roundtrip` feature
    // is on), so values are rounded to `decimals` places, and to 15 significant digits.
    let decimals = multiple.map_or(6, decimals_of);
    let round = move |x: f64| {
        let whole_digits = if x.abs() >= 1.0 { x.abs().log10().floor() as i32 + 1 } else { 0 };
        let scale = 10f64.powi(decimals.min(15 - whole_digits));
        let rounded = (x * scale).round() / scale;
        if rounded.is_finite() {
            rounded
        } else {
            x
        }
    };
    let inside =
        move |x: &f64| (x > &low || (!low_excluded && *x == low)) && (x < &high || (!high_excluded && *x == high));
    let step = match (multiple, integral) {
        (Some(m), _) if m != 0.0 && m.is_finite() => {
            Some(if integral && m.fract() != 0.0 { f64::NAN } else { m.abs() })
        }
        (_, true) => Some(1.0),
        _ => None,
    };
    match step {
        Some(m) if m.is_nan() => impossible("an integral multiple of a fraction"),
        Some(m) => {
            let (first, last) = ((low / m).ceil(), (high / m).floor());
            // NaN bounds compare as unordered: no multiple then either.
            if first.partial_cmp(&last).is_none_or(|order| order.is_gt()) || (last - first) > 9e15 {
                return impossible("no multiple within the bounds");
            }
            // Whole multiples, as integers: exact, so `multipleOf` holds within its tolerance.
            (first as i64..=last as i64)
                .prop_map(move |k| round(k as f64 * m))
                .prop_filter("an excluded bound", inside)
                .boxed()
        }
        None if low > high => impossible("no number meets the bounds"),
        None => prop_oneof![1 => Just(low), 1 => Just(high), 8 => (low..=high).prop_map(round)]
            .prop_filter("an excluded bound", inside)
            .boxed(),
    }
}

/// How many decimal places `m` has, as Rust writes it shortest (`0.05` has 2).
fn decimals_of(m: f64) -> i32 {
    let shown = format!("{m}");
    shown.split_once('.').map_or(0, |(_, fraction)| i32::try_from(fraction.len()).unwrap_or(15)).min(15)
}

/// Any JSON value: `null`, booleans, integers, short numbers and strings, and arrays and objects
/// of them nested as deep as `depth`.
pub fn json_value(depth: u32) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1_000_000_000i64..1_000_000_000).prop_map(|n| Value::from(n as f64 / 1000.0)),
        string(0, Some(12)).prop_map(Value::from),
    ];
    leaf.prop_recursive(depth, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(string(0, Some(8)), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// `items` without repeats (compared as JSON values, as `uniqueItems` compares them), the
/// first of each kept.
pub fn unique<T: Serialize>(items: Vec<T>) -> Vec<T> {
    let mut seen: Vec<Value> = Vec::with_capacity(items.len());
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        let json = serde_json::to_value(&item).unwrap_or(Value::Null);
        if !seen.iter().any(|s| json_equal(s, &json)) {
            seen.push(json);
            kept.push(item);
        }
    }
    kept
}

/// An array of `min` to `max` items (`min + 3` when unbounded, `min` at depth 0), without
/// repeats where `unique`.
pub fn array<T: Serialize + std::fmt::Debug + Clone + 'static>(
    item: BoxedStrategy<T>,
    depth: u32,
    min: u64,
    max: Option<u64>,
    unique_items: bool,
) -> BoxedStrategy<Vec<T>> {
    let min = usize::try_from(min).unwrap_or(usize::MAX);
    let max =
        max.map_or(min.saturating_add(3), |max| usize::try_from(max).unwrap_or(usize::MAX).min(min.saturating_add(3)));
    if max < min {
        return impossible("minItems above maxItems");
    }
    let max = if depth == 0 { min } else { max };
    let items = proptest::collection::vec(item, min..=max);
    if unique_items {
        items.prop_map(unique).prop_filter("too few distinct items", move |items| items.len() >= min).boxed()
    } else {
        items.boxed()
    }
}

/// A map of `min` to `max` entries (`min + 3` when unbounded, `min` at depth 0) whose keys are
/// none of `taken` (a struct's own properties, beside which the map is flattened).
pub fn map<T: std::fmt::Debug + Clone + 'static>(
    value: BoxedStrategy<T>,
    depth: u32,
    min: u64,
    max: Option<u64>,
    taken: &'static [&'static str],
) -> BoxedStrategy<std::collections::BTreeMap<String, T>> {
    let min = usize::try_from(min).unwrap_or(usize::MAX);
    let max =
        max.map_or(min.saturating_add(3), |max| usize::try_from(max).unwrap_or(usize::MAX).min(min.saturating_add(3)));
    if max < min {
        return impossible("minProperties above maxProperties");
    }
    let max = if depth == 0 { min } else { max };
    let key = string(1, Some(12)).prop_filter("a property the struct has", move |k| !taken.contains(&k.as_str()));
    proptest::collection::btree_map(key, value, min..=max).boxed()
}

/// How a type's strategy fared in [`exercise`]: values made, and values its filters rejected on
/// the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Values generated and checked.
    pub values: usize,
    /// Values the strategy's filters rejected before it gave those.
    pub rejected: u64,
}

/// An entry of a generated crate's `arbitrary::CHECKS`: checks `count` values of one type.
pub type Exercise = fn(usize) -> Result<Report, String>;

/// A runner that makes the same values on every run (a fixed seed), and allows a thousand
/// rejections per value asked for before it gives up.
fn runner(count: usize) -> proptest::test_runner::TestRunner {
    let config = proptest::test_runner::Config {
        max_local_rejects: u32::try_from(count.saturating_mul(1000)).unwrap_or(u32::MAX),
        ..proptest::test_runner::Config::default()
    };
    let rng = proptest::test_runner::TestRng::deterministic_rng(config.rng_algorithm);
    proptest::test_runner::TestRunner::new_with_rng(config, rng)
}

/// The rejections so far: proptest counts them but shows the count only in the runner's
/// `Debug` output (`local_rejects: N`, beside its configuration's `max_local_rejects: M`).
fn rejections(runner: &proptest::test_runner::TestRunner) -> u64 {
    let shown = format!("{runner:?}");
    let key = "local_rejects: ";
    shown
        .match_indices(key)
        .find(|(at, _)| !shown[..*at].ends_with('_'))
        .and_then(|(at, _)| shown[at + key.len()..].split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Generates `count` values from `strategy` (at [`DEPTH`]) and checks each: `check` (the
/// type's validator) finds nothing, and its JSON reads back as the same value. The first value
/// that fails is the error, with why.
pub fn exercise<T>(
    strategy: fn(u32) -> BoxedStrategy<T>,
    check: fn(&T, &mut Context),
    count: usize,
) -> Result<Report, String>
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    each_value(strategy(DEPTH), count, |value| {
        let mut cx = Context::new();
        check(value, &mut cx);
        if let Err(errors) = cx.finish() {
            return Err(format!("does not validate: {errors}"));
        }
        let json = serde_json::to_string(value).map_err(|e| format!("does not serialize: {e}"))?;
        let back: T = serde_json::from_str(&json).map_err(|e| format!("its JSON {json} does not read back: {e}"))?;
        if back != *value {
            return Err(format!("its JSON {json} reads back as {back:?}"));
        }
        Ok(())
    })
}

/// Like [`exercise`], for the XML form: each value's document reads back as the same value.
#[cfg(feature = "xml")]
pub fn exercise_xml<T>(
    strategy: fn(u32) -> BoxedStrategy<T>,
    to_xml: fn(&T) -> String,
    from_xml: fn(&str) -> Result<T, crate::xml::XmlError>,
    count: usize,
) -> Result<Report, String>
where
    T: PartialEq + std::fmt::Debug,
{
    each_value(strategy(DEPTH), count, |value| {
        let xml = to_xml(value);
        let back = from_xml(&xml).map_err(|e| format!("its XML {xml} does not read back: {e}"))?;
        if back != *value {
            return Err(format!("its XML {xml} reads back as {back:?}"));
        }
        Ok(())
    })
}

/// Generates `count` values from `strategy`, each breaking one rule (see [`Invalid`]), and
/// checks that the validator reports exactly that: one violation, at its pointer, of its
/// keyword; and the same when the value is read from its JSON by [`from_json`](crate::from_json).
pub fn exercise_invalid<T>(strategy: fn() -> BoxedStrategy<Invalid<T>>, count: usize) -> Result<Report, String>
where
    T: Validate + Serialize + DeserializeOwned + std::fmt::Debug,
{
    each_value(strategy(), count, |invalid| {
        let expected = format!("{} at `{}`", invalid.keyword, invalid.pointer);
        let judge = |outcome: Result<(), crate::ValidationErrors>, how: &str| {
            let errors = outcome.err().ok_or_else(|| format!("{how}: passes, but should break {expected}"))?;
            let found: Vec<String> = errors.iter().map(|e| format!("{} at `{}`", e.keyword, e.pointer)).collect();
            if found != [expected.clone()] {
                return Err(format!("{how}: reports {}, not just {expected}", found.join(", ")));
            }
            Ok(())
        };
        judge(invalid.value.validate(), "validated")?;
        let json = serde_json::to_vec(&invalid.value).map_err(|e| format!("does not serialize: {e}"))?;
        judge(crate::from_json::<T>(&json).map(drop), "read from its JSON")
    })
}

fn each_value<T: std::fmt::Debug>(
    strategy: BoxedStrategy<T>,
    count: usize,
    mut check: impl FnMut(&T) -> Result<(), String>,
) -> Result<Report, String> {
    use proptest::strategy::ValueTree;
    let mut runner = runner(count);
    for i in 0..count {
        let value =
            strategy.new_tree(&mut runner).map_err(|e| format!("value {i} could not be generated: {e}"))?.current();
        check(&value).map_err(|why| format!("value {i}, {value:?}, {why}"))?;
    }
    Ok(Report { values: count, rejected: rejections(&runner) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    fn sample<T: std::fmt::Debug>(strategy: &BoxedStrategy<T>, n: usize) -> Vec<T> {
        let mut runner = TestRunner::deterministic();
        (0..n).map(|_| strategy.new_tree(&mut runner).expect("a value").current()).collect()
    }

    #[test]
    fn patterns_are_inverted_and_anchors_dropped() {
        static ZIP: Pattern = Pattern::new(r"^[0-9]{5}(-[0-9]{4})?$");
        for s in sample(&pattern(&ZIP, 0, None), 200) {
            assert_eq!(ZIP.is_match(&s), Ok(true), "{s}");
        }
        assert!(invertible(r"^[0-9]{5}$").is_some_and(|(_, exact)| exact));
        assert!(invertible(r"^a\bb$").is_some_and(|(_, exact)| !exact));
        assert!(invertible(r"^(?![0-9]+$)[a-z0-9_\-]+$").is_some_and(|(_, exact)| !exact));
    }

    #[test]
    fn look_around_is_filtered() {
        static SLUG: Pattern = Pattern::new(r"^(?![0-9]+$)[a-z0-9_\-]+$");
        for s in sample(&pattern(&SLUG, 1, Some(8)), 200) {
            assert_eq!(SLUG.is_match(&s), Ok(true), "{s}");
            assert!((1..=8).contains(&s.chars().count()), "{s}");
        }
    }

    #[test]
    fn every_format_passes_its_check() {
        let formats = [
            Format::Date,
            Format::DateTime,
            Format::Time,
            Format::Email,
            Format::Hostname,
            Format::Ipv4,
            Format::Ipv6,
            Format::Uri,
            Format::Uuid,
        ];
        for f in formats {
            for s in sample(&format(f, 0, None), 300) {
                assert!(f.is_valid(&s), "{} {s}", f.name());
                assert!(s.chars().count() <= 60, "{} {s}", f.name());
            }
        }
    }

    #[test]
    fn integers_meet_bounds_and_divisors() {
        let values: Vec<i64> = sample(&integer::<i64>(-7, 20, Some(3)), 300);
        assert!(values.iter().all(|v| (-7..=20).contains(v) && v % 3 == 0), "{values:?}");
        assert!(values.contains(&-6) && values.contains(&18));
        let none: BoxedStrategy<i64> = integer(5, 4, None);
        assert!(none.new_tree(&mut TestRunner::deterministic()).is_err());
    }

    #[test]
    fn numbers_meet_exclusive_bounds_and_divisors() {
        for v in sample(&number(Some((0.0, true)), Some((1.0, true)), Some(0.25), false), 200) {
            assert!([0.25, 0.5, 0.75].contains(&v), "{v}");
        }
        for v in sample(&number(Some((-2.5, false)), Some((2.5, false)), None, true), 200) {
            assert!(v.fract() == 0.0 && (-2.0..=2.0).contains(&v), "{v}");
        }
    }

    #[test]
    fn strings_count_code_points() {
        for s in sample(&string(3, Some(5)), 300) {
            assert!((3..=5).contains(&s.chars().count()), "{s:?}");
            assert!(!s.chars().any(char::is_control), "{s:?}");
        }
    }

    /// The proof a generated crate runs fails on a value its check refuses, and on one that
    /// does not read back as itself.
    #[test]
    fn exercise_reports_the_first_bad_value() {
        fn short(_: u32) -> BoxedStrategy<String> {
            string(0, Some(3))
        }
        fn refuse(_: &String, cx: &mut Context) {
            cx.error("maxLength", None, "refused".to_owned());
        }
        let refused = exercise(short, refuse, 10).unwrap_err();
        assert!(
            refused.starts_with("value 0, ") && refused.contains("does not validate: 1 validation error"),
            "{refused}"
        );
        fn nan(_: u32) -> BoxedStrategy<f64> {
            Just(f64::NAN).boxed()
        }
        let unread = exercise(nan, |_, _| {}, 10).unwrap_err();
        assert!(unread.starts_with("value 0, NaN, its JSON null does not read back"), "{unread}");
        assert_eq!(exercise(short, |_, _| {}, 10), Ok(Report { values: 10, rejected: 0 }));
    }

    #[test]
    fn unique_arrays_hold_no_repeats() {
        let items = sample(&array(prop_oneof![Just(1u8), Just(2u8), Just(3u8)].boxed(), 3, 2, Some(3), true), 100);
        for v in items {
            assert!((2..=3).contains(&v.len()), "{v:?}");
            let mut sorted = v.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), v.len());
        }
    }
}

//! Value generators (feature `arbitrary`): the building blocks of the `proptest` strategies that
//! generated crates implement `proptest::arbitrary::Arbitrary` with.
//!
//! Each function here makes values that pass one of the runtime's checks by construction:
//! integers and numbers in a range and a multiple of a divisor, dates, UUIDs, arrays and maps
//! of a size, values from an `enum`, and the plumbing of a type's strategy (depth, optional
//! values, tags of discriminated unions); strings are `text`'s (lengths, patterns, formats),
//! and the proof a generated crate runs over its strategies is `exercise`'s. The generated code
//! combines them as the spec's rules say, and filters with the generated validator only where
//! a rule cannot be met by construction (the generator says where, as a note). Nothing here
//! panics: a rule no value can meet (an empty range) gives a strategy that rejects every value,
//! which proptest reports as too many rejections.

mod exercise;
mod text;
mod tree;

#[cfg(feature = "xml")]
pub use exercise::exercise_xml;
pub use exercise::{exercise, exercise_by, exercise_invalid, exercise_invalid_by, Exercise, Report};
pub use text::{format, invertible, pattern, string};

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::check::json_equal;
use crate::{Binary, Context};

/// Implements `proptest::arbitrary::Arbitrary` for a generated type from its strategy
/// function (`fn(depth: u32) -> BoxedStrategy<Type>`), at the full [`DEPTH`]: one line per
/// type in a generated crate's `arbitrary` module, `arbitrary::impl_arbitrary!(Pet, pet);`.
#[doc(hidden)]
#[macro_export]
macro_rules! __impl_arbitrary {
    ($type:ident, $strategy:ident) => {
        impl $crate::proptest::arbitrary::Arbitrary for $type {
            type Parameters = ();
            type Strategy = $crate::proptest::strategy::BoxedStrategy<Self>;

            fn arbitrary_with((): ()) -> Self::Strategy {
                $strategy($crate::arbitrary::DEPTH)
            }
        }
    };
}

#[doc(inline)]
pub use crate::__impl_arbitrary as impl_arbitrary;

/// How deep generated values nest: a type's strategy hands `depth - 1` to the types it
/// contains, and at depth 0 optional and nullable values are absent and arrays and maps hold
/// as few entries as their rules allow, so that recursive types end.
pub const DEPTH: u32 = 3;

/// A value that breaks exactly one rule, and where: what `<type>_invalid()` strategies of a
/// generated crate's `arbitrary` module give. Validating `value` reports exactly one
/// violation, at `pointer` (RFC 6901, wire names), of `keyword`; or, where the fault is one
/// the Rust value cannot hold (a property an object with `additionalProperties: false` does not
/// declare), `value` is valid and reading `json` reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid<T> {
    /// The value, valid but for the one rule.
    pub value: T,
    /// Where the broken rule applies, relative to the value.
    pub pointer: String,
    /// The JSON Schema keyword broken (`maxLength`, `minimum`, `enum`, ...).
    pub keyword: &'static str,
    /// The value's JSON with the fault in it, where `value` cannot hold the fault.
    pub json: Option<Value>,
}

/// Values of `value` with one position replaced by a value of `bad`, breaking the rule
/// `keyword` at `pointer`: `set` puts the bad value in place, and gives `None` when the value
/// has nothing there (an optional field that is absent, an empty array), which is rejected.
/// What a generated `<type>_invalid()` strategy offers for each rule its type can break.
pub fn fault<T, B>(
    value: BoxedStrategy<T>,
    bad: impl Strategy<Value = B> + 'static,
    pointer: &'static str,
    keyword: &'static str,
    set: fn(&mut T, B) -> Option<()>,
) -> BoxedStrategy<Invalid<T>>
where
    T: std::fmt::Debug + 'static,
    B: std::fmt::Debug + 'static,
{
    (value, bad)
        .prop_filter_map("the value to break is absent", move |(mut value, bad)| {
            set(&mut value, bad)?;
            Some(Invalid { value, pointer: pointer.to_owned(), keyword, json: None })
        })
        .boxed()
}

/// `value` with a property `name` added, in its JSON, to the object at `pointer`: a fault of
/// `additionalProperties: false`, which the Rust value cannot hold. `None` when there is no
/// object at `pointer` (an optional value that is absent, an empty array).
pub fn with_extra<T: Serialize>(value: T, pointer: &'static str, name: &str) -> Option<Invalid<T>> {
    let mut json = serde_json::to_value(&value).ok()?;
    json.pointer_mut(pointer)?.as_object_mut()?.insert(name.to_owned(), Value::Bool(true));
    Some(Invalid { value, pointer: pointer.to_owned(), keyword: "additionalProperties", json: Some(json) })
}

/// A strategy that never produces a value: for a rule no value meets. Proptest reports it as
/// too many rejections, naming `why`.
pub fn impossible<T: std::fmt::Debug + 'static>(why: &'static str) -> BoxedStrategy<T> {
    Just(()).prop_filter_map(why, |()| None).boxed()
}

/// A strategy made on each use by `make`, one level below `depth`: how a type's strategy
/// refers to another type's, so that building one builds none of the types it contains
/// (Stripe's types refer to hundreds of others), and recursion ends with the depth.
pub fn lazy<T: std::fmt::Debug + 'static>(make: fn(u32) -> BoxedStrategy<T>, depth: u32) -> BoxedStrategy<T> {
    tree::Lazy { make, depth: depth.saturating_sub(1) }.boxed()
}

/// One of `options`' values, each option as likely, as `proptest::strategy::Union` gives them
/// but without a clone of the test runner in every value (see `tree`). No options: a strategy
/// that rejects every value.
pub fn one_of<T: std::fmt::Debug + 'static>(options: Vec<BoxedStrategy<T>>) -> BoxedStrategy<T> {
    if options.is_empty() {
        return impossible("no alternatives to choose from");
    }
    tree::OneOf { options: options.into() }.boxed()
}

/// A value that may be absent (an optional field, a nullable value): absent about one time in
/// five, and always at depth 0.
pub fn optional<S>(depth: u32, value: S) -> BoxedStrategy<Option<S::Value>>
where
    S: Strategy + 'static,
    S::Value: std::fmt::Debug,
{
    if depth == 0 {
        proptest::strategy::LazyJust::new(|| None).boxed()
    } else {
        tree::Maybe { present: 0.8, value }.boxed()
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

/// A date between 1900 and 2099 (RFC 3339 `full-date`, four-digit years).
pub fn date() -> BoxedStrategy<chrono::NaiveDate> {
    let first = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    (0i64..73_049).prop_map(move |days| first + chrono::Days::new(days.unsigned_abs())).boxed()
}

/// A date-time between 1900 and 2099, with milliseconds or none, at an offset of whole minutes
/// (RFC 3339 cannot write seconds in an offset).
pub fn date_time() -> BoxedStrategy<chrono::DateTime<chrono::FixedOffset>> {
    let seconds = -2_208_988_800i64..4_102_444_800;
    // Whole seconds and UTC half the time each (`false` says "none" and shrinks first); a
    // tuple rather than `prop_oneof!`, whose values keep a clone of the runner.
    let millis = (any::<bool>(), 0u32..1000).prop_map(|(some, millis)| if some { millis } else { 0 });
    let offset = (any::<bool>(), -(12 * 60)..=(14 * 60)).prop_map(|(some, minutes)| if some { minutes } else { 0 });
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
    ends_or_between(low, high, low..=high)
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
        None => {
            ends_or_between(low, high, (low..=high).prop_map(round)).prop_filter("an excluded bound", inside).boxed()
        }
    }
}

/// `low` one time in ten, `high` one in ten, else a value of `between`. The choice is a number
/// drawn beside the value (its `0` shrinks first, to `low`), not `prop_oneof!`, whose values
/// keep a clone of the test runner for the choices not taken.
fn ends_or_between<T, S>(low: T, high: T, between: S) -> impl Strategy<Value = T>
where
    T: Clone + std::fmt::Debug + 'static,
    S: Strategy<Value = T>,
{
    (0u8..10, between).prop_map(move |(choice, value)| match choice {
        0 => low.clone(),
        1 => high.clone(),
        _ => value,
    })
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
pub fn array<S>(item: S, depth: u32, min: u64, max: Option<u64>, unique_items: bool) -> BoxedStrategy<Vec<S::Value>>
where
    S: Strategy + 'static,
    S::Value: Serialize + std::fmt::Debug + Clone,
{
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
pub fn map<S>(
    value: S,
    depth: u32,
    min: u64,
    max: Option<u64>,
    taken: &'static [&'static str],
) -> BoxedStrategy<std::collections::BTreeMap<String, S::Value>>
where
    S: Strategy + 'static,
    S::Value: std::fmt::Debug + Clone,
{
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

/// `n` values of `strategy`, the same on every run: for the tests of this module and its
/// children.
#[cfg(test)]
fn sample<T: std::fmt::Debug>(strategy: &BoxedStrategy<T>, n: usize) -> Vec<T> {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..n).map(|_| strategy.new_tree(&mut runner).expect("a value").current()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::test_runner::TestRunner;

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

//! The proof a generated crate's `arbitrary::CHECKS`, `XML_CHECKS` and `INVALID_CHECKS` run:
//! values generated with a fixed seed, each checked (it validates and reads back as itself, or
//! it reports exactly the one rule it breaks), with the first failing value as the error.

use proptest::strategy::{BoxedStrategy, Strategy};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{Invalid, DEPTH};
use crate::{Context, Validate};

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

/// Generates `count` values from `strategy` (at [`DEPTH`]) and checks each: its validator finds
/// nothing, and its JSON reads back as the same value. The first value that fails is the error,
/// with why.
pub fn exercise<T>(strategy: fn(u32) -> BoxedStrategy<T>, count: usize) -> Result<Report, String>
where
    T: Validate + Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    exercise_by(strategy, |value, cx| value.validate_at(cx), count)
}

/// Like [`exercise`], for a type whose validator is a function of the crate rather than a
/// `Validate` impl (an alias: `type Code = String` with a `pattern`), `check`.
pub fn exercise_by<T>(
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
/// A fault the value cannot hold (its `json`) must leave the value valid and be reported when
/// the JSON is read.
pub fn exercise_invalid<T>(strategy: fn() -> BoxedStrategy<Invalid<T>>, count: usize) -> Result<Report, String>
where
    T: Validate + Serialize + DeserializeOwned + std::fmt::Debug,
{
    judge_invalid(strategy(), count, |value| value.validate())
}

/// Like [`exercise_invalid`], for a type whose validator is a function of the crate rather than
/// a `Validate` impl (an alias: `type Code = String` with a `pattern`), `check`.
pub fn exercise_invalid_by<T>(
    strategy: fn() -> BoxedStrategy<Invalid<T>>,
    check: fn(&T, &mut Context),
    count: usize,
) -> Result<Report, String>
where
    T: Serialize + DeserializeOwned + std::fmt::Debug,
{
    judge_invalid(strategy(), count, |value| {
        let mut cx = Context::new();
        check(value, &mut cx);
        cx.finish()
    })
}

fn judge_invalid<T>(
    strategy: BoxedStrategy<Invalid<T>>,
    count: usize,
    validate: impl Fn(&T) -> Result<(), crate::ValidationErrors>,
) -> Result<Report, String>
where
    T: Serialize + DeserializeOwned + std::fmt::Debug,
{
    each_value(strategy, count, |invalid| {
        let expected = format!("{} at `{}`", invalid.keyword, invalid.pointer);
        let judge = |outcome: Result<(), crate::ValidationErrors>, how: &str| {
            let errors = outcome.err().ok_or_else(|| format!("{how}: passes, but should break {expected}"))?;
            let found: Vec<String> = errors.iter().map(|e| format!("{} at `{}`", e.keyword, e.pointer)).collect();
            if found != [expected.clone()] {
                return Err(format!("{how}: reports {}, not just {expected}", found.join(", ")));
            }
            Ok(())
        };
        let json = match &invalid.json {
            Some(json) => {
                if let Err(errors) = validate(&invalid.value) {
                    return Err(format!("validated: reports {errors}, but only its JSON should break {expected}"));
                }
                serde_json::to_vec(json)
            }
            None => {
                judge(validate(&invalid.value), "validated")?;
                serde_json::to_vec(&invalid.value)
            }
        };
        let json = json.map_err(|e| format!("does not serialize: {e}"))?;
        let read = crate::parse_json::<T>(&json).and_then(|value| validate(&value));
        judge(read, "read from its JSON")
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
    use crate::arbitrary::string;
    use proptest::strategy::Just;

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
        let refused = exercise_by(short, refuse, 10).unwrap_err();
        assert!(
            refused.starts_with("value 0, ") && refused.contains("does not validate: 1 validation error"),
            "{refused}"
        );
        fn nan(_: u32) -> BoxedStrategy<f64> {
            Just(f64::NAN).boxed()
        }
        let unread = exercise_by(nan, |_, _| {}, 10).unwrap_err();
        assert!(unread.starts_with("value 0, NaN, its JSON null does not read back"), "{unread}");
        assert_eq!(exercise_by(short, |_, _| {}, 10), Ok(Report { values: 10, rejected: 0 }));
    }
}

//! Strings for the value generators: of a length in code points, matching a pattern (inverted
//! with proptest's regex generator, anchors and look-around handled here), and of every format
//! [`Format`] checks.

use std::net::{Ipv4Addr, Ipv6Addr};

use proptest::prelude::*;
use proptest::strategy::BoxedStrategy;

use super::{date, date_time, impossible, uuid};
use crate::check::Pattern;
use crate::Format;

/// The characters of generated text: mostly printable ASCII, with some of the rest of Unicode
/// (lengths count code points, and a string of two-, three- and four-byte characters shows it),
/// never a control character (XML cannot carry most of them).
///
/// One `CharStrategy` over ranges, which picks a range uniformly and then a character in it:
/// printable ASCII is listed 12 times of 15. Not `prop_oneof!` of one range each, whose every
/// character carried a tree per range (with a clone of the test runner for those not taken),
/// which made text most of the cost of generating Stripe's values.
fn text_char() -> proptest::char::CharStrategy<'static> {
    static RANGES: std::sync::LazyLock<Vec<std::ops::RangeInclusive<char>>> = std::sync::LazyLock::new(|| {
        std::iter::repeat_n(' '..='~', 12)
            .chain(['\u{a0}'..='\u{7ff}', '\u{800}'..='\u{d7ff}', '\u{10000}'..='\u{10ffff}'])
            .collect()
    });
    proptest::char::ranges(std::borrow::Cow::Borrowed(RANGES.as_slice()))
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

#[cfg(test)]
mod tests {
    use super::super::sample;
    use super::*;

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
    fn strings_count_code_points() {
        for s in sample(&string(3, Some(5)), 300) {
            assert!((3..=5).contains(&s.chars().count()), "{s:?}");
            assert!(!s.chars().any(char::is_control), "{s:?}");
        }
    }
}

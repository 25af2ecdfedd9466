//! Mutations of a valid payload, each breaking one rule at one place (its "site"): a value in
//! the payload together with the schema that governs it.

use rand::seq::IndexedRandom;
use rand::Rng;
use serde_json::{json, Value};

use super::generate::{int_value, Generator, BAD_DATES, BAD_DATE_TIMES, BAD_EMAILS, BAD_UUIDS};
use super::schema::{Additional, Eff};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    DropRequired,
    TooLong,
    TooShort,
    BreakPattern,
    BadFormat,
    WrongType,
    UnknownField,
    OutOfRange,
    Null,
    NotInEnum,
    BreakConditional,
    /// Any of the kinds above, inside item 3 or later of an array.
    DeepArray,
    /// An integer written with a fraction or an exponent (`12.0`, `1e1`).
    IntegralFloat,
    /// An integer beyond the 64-bit signed range.
    BeyondI64,
    /// A date or date-time that RFC 3339 refuses but a lenient parser takes (`2024-1-05`,
    /// `2023-02-01 13:30:00Z`).
    LenientFormat,
    /// A JSON array where an object is expected (serde reads a struct from a sequence of its
    /// fields in order).
    ArrayForObject,
    /// A property of the root object written twice, the first time with another value. JSON
    /// (RFC 8259) leaves duplicate names to the reader: serde's derive refuses a known one,
    /// `serde_json::Value` (what the reference sees) keeps the last.
    DuplicateKey,
}

impl Kind {
    pub const ALL: [Kind; 17] = [
        Kind::DropRequired,
        Kind::TooLong,
        Kind::TooShort,
        Kind::BreakPattern,
        Kind::BadFormat,
        Kind::WrongType,
        Kind::UnknownField,
        Kind::OutOfRange,
        Kind::Null,
        Kind::NotInEnum,
        Kind::BreakConditional,
        Kind::DeepArray,
        Kind::IntegralFloat,
        Kind::BeyondI64,
        Kind::LenientFormat,
        Kind::ArrayForObject,
        Kind::DuplicateKey,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::DropRequired => "drop-required",
            Kind::TooLong => "too-long",
            Kind::TooShort => "too-short",
            Kind::BreakPattern => "break-pattern",
            Kind::BadFormat => "bad-format",
            Kind::WrongType => "wrong-type",
            Kind::UnknownField => "unknown-field",
            Kind::OutOfRange => "out-of-range",
            Kind::Null => "null-not-nullable",
            Kind::NotInEnum => "not-in-enum",
            Kind::BreakConditional => "break-conditional",
            Kind::DeepArray => "deep-array",
            Kind::IntegralFloat => "integral-float",
            Kind::BeyondI64 => "beyond-i64",
            Kind::LenientFormat => "lenient-format",
            Kind::ArrayForObject => "array-for-object",
            Kind::DuplicateKey => "duplicate-key",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

pub fn pointer(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => format!("/{i}"),
        })
        .collect()
}

fn at_mut<'v>(mut value: &'v mut Value, path: &[Seg]) -> &'v mut Value {
    for seg in path {
        value = match (seg, value) {
            (Seg::Key(k), Value::Object(m)) => m.get_mut(k).expect("site key exists"),
            (Seg::Index(i), Value::Array(a)) => &mut a[*i],
            _ => panic!("site path does not match the payload"),
        };
    }
    value
}

fn at<'v>(mut value: &'v Value, path: &[Seg]) -> &'v Value {
    for seg in path {
        value = match (seg, value) {
            (Seg::Key(k), Value::Object(m)) => &m[k],
            (Seg::Index(i), Value::Array(a)) => &a[*i],
            _ => panic!("site path does not match the payload"),
        };
    }
    value
}

#[derive(Debug, Clone)]
pub struct Site {
    pub path: Vec<Seg>,
    pub schema: &'static Value,
}

/// What a mutation did, for the report.
#[derive(Debug, Clone)]
pub struct Mutation {
    pub kind: Kind,
    /// For [`Kind::DeepArray`], the kind applied inside the array item.
    pub inner: Option<Kind>,
    /// For [`Kind::DuplicateKey`]: the root property written first, and its first value.
    pub duplicate: Option<(String, Value)>,
    pub pointer: String,
}

impl Mutation {
    pub fn label(&self) -> String {
        match self.inner {
            Some(inner) => format!("{}({})", self.kind.name(), inner.name()),
            None => self.kind.name().to_owned(),
        }
    }
}

impl Generator {
    /// Every value of the payload with the schema that governs it, root first.
    pub fn sites(&self, value: &Value, schema: &'static Value) -> Vec<Site> {
        let mut out = Vec::new();
        self.walk(value, schema, &mut Vec::new(), &mut out);
        out
    }

    fn walk(&self, value: &Value, schema: &'static Value, path: &mut Vec<Seg>, out: &mut Vec<Site>) {
        out.push(Site { path: path.clone(), schema });
        let eff = self.schemas.eff(schema);
        if !eff.alternatives.is_empty() {
            return;
        }
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let child = eff.property(k).or(match eff.additional {
                        Additional::Schema(s) => Some(s),
                        _ => None,
                    });
                    if let Some(child) = child {
                        path.push(Seg::Key(k.clone()));
                        self.walk(v, child, path, out);
                        path.pop();
                    }
                }
            }
            Value::Array(items) => {
                if let Some(item_schema) = eff.items {
                    for (i, v) in items.iter().enumerate() {
                        path.push(Seg::Index(i));
                        self.walk(v, item_schema, path, out);
                        path.pop();
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether `kind` can break the value at `site`.
    pub fn applies(&self, kind: Kind, value: &Value, eff: &Eff) -> bool {
        let is_int = eff.types.contains(&"integer");
        match kind {
            Kind::DropRequired => value.as_object().is_some_and(|m| eff.required.iter().any(|r| m.contains_key(*r))),
            Kind::TooLong => value.is_string() && eff.max_length.is_some(),
            Kind::TooShort => value.is_string() && eff.min_length.is_some_and(|m| m > 0),
            Kind::BreakPattern => value.is_string() && eff.pattern.is_some(),
            Kind::BadFormat => value.is_string() && matches!(eff.format, Some("email" | "date" | "date-time" | "uuid")),
            Kind::WrongType => eff.allowed_types().is_some(),
            Kind::UnknownField => value.is_object() && matches!(eff.additional, Additional::Closed),
            Kind::OutOfRange => {
                value.is_number() && (eff.minimum.is_some() || eff.maximum.is_some() || eff.format == Some("int32"))
            }
            Kind::Null => !value.is_null() && !eff.nullable && eff.allowed_types().is_some(),
            Kind::NotInEnum => eff.enumeration.is_some(),
            Kind::BreakConditional => !eff.conditionals.is_empty() || !eff.alternatives.is_empty(),
            Kind::DeepArray => value.is_array() && eff.items.is_some(),
            Kind::IntegralFloat | Kind::BeyondI64 => is_int && value.is_number(),
            Kind::LenientFormat => value.is_string() && matches!(eff.format, Some("date" | "date-time")),
            Kind::ArrayForObject => value.is_object() && eff.allowed_types().is_some_and(|t| !t.contains(&"array")),
            // Only at the root (see `mutate`), where the bytes are written by the harness.
            Kind::DuplicateKey => value.as_object().is_some_and(|m| !m.is_empty()),
        }
    }

    /// A mutated payload: a valid one with one rule broken. `excluded` kinds are not chosen;
    /// `reference` tells whether a whole payload is valid (used to break conditionals).
    pub fn mutate(
        &mut self,
        root_schema: &'static Value,
        mut payload: Value,
        excluded: &[Kind],
        reference: &dyn Fn(&Value) -> bool,
    ) -> (Value, Option<Mutation>) {
        let sites = self.sites(&payload, root_schema);
        let mut options: Vec<(Kind, usize)> = Vec::new();
        for (i, site) in sites.iter().enumerate() {
            let eff = self.schemas.eff(site.schema);
            let value = at(&payload, &site.path);
            for kind in Kind::ALL {
                let here = kind != Kind::DuplicateKey || site.path.is_empty();
                if here && !excluded.contains(&kind) && self.applies(kind, value, &eff) {
                    options.push((kind, i));
                }
            }
        }
        // Kinds first, uniformly, then a site of that kind: rare kinds are not drowned.
        let mut kinds: Vec<Kind> = options.iter().map(|(k, _)| *k).collect();
        kinds.sort();
        kinds.dedup();
        let Some(&kind) = kinds.choose(&mut self.rng) else { return (payload, None) };
        let candidates: Vec<usize> = options.iter().filter(|(k, _)| *k == kind).map(|(_, i)| *i).collect();
        let site = sites[*candidates.choose(&mut self.rng).expect("non-empty")].clone();
        if kind == Kind::DeepArray {
            return self.deep_array(payload, &site, excluded, reference);
        }
        if kind == Kind::DuplicateKey {
            let map = payload.as_object().expect("root object");
            let keys: Vec<&String> = map.keys().collect();
            let key = (*keys.choose(&mut self.rng).expect("non-empty")).clone();
            let first = match self.schemas.eff(root_schema).property(&key) {
                Some(s) if self.chance(0.7) => self.valid(s, 1),
                _ => map[&key].clone(),
            };
            let duplicate = Some((key, first));
            return (payload, Some(Mutation { kind, inner: None, pointer: String::new(), duplicate }));
        }
        self.apply(kind, &mut payload, &site, reference);
        (payload, Some(Mutation { kind, inner: None, pointer: pointer(&site.path), duplicate: None }))
    }

    fn deep_array(
        &mut self,
        mut payload: Value,
        site: &Site,
        excluded: &[Kind],
        reference: &dyn Fn(&Value) -> bool,
    ) -> (Value, Option<Mutation>) {
        let eff = self.schemas.eff(site.schema);
        let item_schema = eff.items.expect("array site has items");
        let target = self.rng.random_range(4..=6);
        let index = self.rng.random_range(3..target);
        // New items are sampled until the payload is still valid, so that the one fault is
        // the one put into item `index`.
        let original_len = at(&payload, &site.path).as_array().map_or(0, Vec::len);
        for _ in 0..20 {
            let array = at_mut(&mut payload, &site.path).as_array_mut().expect("array site");
            array.truncate(original_len);
            while array.len() < target {
                let item = self.valid(item_schema, site.path.len() + 1);
                array.push(item);
            }
            if reference(&payload) {
                break;
            }
        }
        let mut item_path = site.path.clone();
        item_path.push(Seg::Index(index));
        let item = at(&payload, &item_path).clone();
        let mut inner_sites = Vec::new();
        self.walk(&item, item_schema, &mut item_path.clone(), &mut inner_sites);
        let mut options = Vec::new();
        for (i, s) in inner_sites.iter().enumerate() {
            let eff = self.schemas.eff(s.schema);
            let value = at(&payload, &s.path);
            for kind in Kind::ALL {
                let nested = kind != Kind::DeepArray && kind != Kind::DuplicateKey;
                if nested && !excluded.contains(&kind) && self.applies(kind, value, &eff) {
                    options.push((kind, i));
                }
            }
        }
        let mut kinds: Vec<Kind> = options.iter().map(|(k, _)| *k).collect();
        kinds.sort();
        kinds.dedup();
        let Some(&kind) = kinds.choose(&mut self.rng) else {
            let pointer = pointer(&item_path);
            return (payload, Some(Mutation { kind: Kind::DeepArray, inner: None, pointer, duplicate: None }));
        };
        let candidates: Vec<usize> = options.iter().filter(|(k, _)| *k == kind).map(|(_, i)| *i).collect();
        let inner = inner_sites[*candidates.choose(&mut self.rng).expect("non-empty")].clone();
        self.apply(kind, &mut payload, &inner, reference);
        let pointer = pointer(&inner.path);
        (payload, Some(Mutation { kind: Kind::DeepArray, inner: Some(kind), pointer, duplicate: None }))
    }

    fn apply(&mut self, kind: Kind, payload: &mut Value, site: &Site, reference: &dyn Fn(&Value) -> bool) {
        let eff = self.schemas.eff(site.schema);
        if kind == Kind::BreakConditional {
            self.break_conditional(payload, site, &eff, reference);
            return;
        }
        let current = at(payload, &site.path).clone();
        let new = match kind {
            Kind::DropRequired => {
                let mut map = current.as_object().expect("object").clone();
                let present: Vec<&str> = eff.required.iter().copied().filter(|r| map.contains_key(*r)).collect();
                let name = self.pick(&present);
                map.shift_remove(name);
                Value::Object(map)
            }
            Kind::TooLong => {
                let max = eff.max_length.expect("maxLength") as usize;
                let n = max + self.rng.random_range(1..=3);
                Value::String(self.filler(&eff, n))
            }
            Kind::TooShort => {
                let min = eff.min_length.expect("minLength") as usize;
                let n = self.rng.random_range(0..min);
                Value::String(self.filler(&eff, n))
            }
            Kind::BreakPattern => Value::String(self.pattern_invalid(eff.pattern.expect("pattern"), &eff)),
            Kind::BadFormat => {
                let pool = match eff.format {
                    Some("email") => BAD_EMAILS,
                    Some("date") => BAD_DATES,
                    Some("date-time") => BAD_DATE_TIMES,
                    _ => BAD_UUIDS,
                };
                Value::String(self.pick(pool).to_owned())
            }
            Kind::WrongType => self.wrong_type(&eff),
            Kind::UnknownField => {
                let mut map = current.as_object().expect("object").clone();
                // Near misses of real names too: serde matches names exactly, as JSON Schema does.
                let mut candidates: Vec<String> = vec!["unexpected".into(), "x-extra".into(), "".into()];
                for (name, _) in &eff.properties {
                    candidates.push(name.to_uppercase());
                    candidates.push(format!("{name} "));
                }
                candidates.retain(|c| eff.property(c).is_none());
                let key = candidates.choose(&mut self.rng).expect("non-empty").clone();
                let value = self.any(3);
                map.insert(key, value);
                Value::Object(map)
            }
            Kind::OutOfRange => self.out_of_range(&eff),
            Kind::Null => Value::Null,
            Kind::NotInEnum => self.not_in_enum(&eff),
            Kind::IntegralFloat => {
                let i = current.as_i64().unwrap_or(12).clamp(-(1 << 52), 1 << 52);
                json!(i as f64)
            }
            Kind::BeyondI64 => {
                let big: i128 = match self.rng.random_range(0..4) {
                    0 => i128::from(i64::MAX) + 1,
                    1 => i128::from(u64::MAX),
                    2 => i128::from(i64::MIN) - 1,
                    _ => self.rng.random_range(i128::from(i64::MAX) + 1..=i128::from(u64::MAX)),
                };
                int_value(big)
            }
            Kind::LenientFormat => {
                let s = if eff.format == Some("date") { self.lenient_date() } else { self.lenient_date_time() };
                Value::String(s)
            }
            Kind::ArrayForObject => {
                // The values of the first few properties, in declared order: what serde's
                // sequence form of a struct would take.
                let n = self.rng.random_range(0..=eff.properties.len().min(4));
                let items: Vec<Value> = eff.properties[..n].iter().map(|(_, s)| self.valid(s, 3)).collect();
                Value::Array(items)
            }
            Kind::BreakConditional | Kind::DeepArray | Kind::DuplicateKey => unreachable!("handled above"),
        };
        *at_mut(payload, &site.path) = new;
    }

    /// A string of exactly `n` code points, matching the site's pattern where it has one, so
    /// that a length mutation breaks the length only.
    fn filler(&mut self, eff: &Eff, n: usize) -> String {
        match eff.pattern {
            Some(pattern) => {
                let s = self.pattern_valid(pattern, n, n, n);
                if s.chars().count() == n {
                    s
                } else {
                    self.text_exact(n)
                }
            }
            None => self.text_exact(n),
        }
    }

    fn pattern_invalid(&mut self, pattern: &str, eff: &Eff) -> String {
        match pattern {
            "^[^0-9]*(?:[0-9][^0-9]*){5,20}$" => {
                let digits = if self.chance(0.5) { self.rng.random_range(0..5) } else { self.rng.random_range(21..30) };
                self.phone(digits)
            }
            "^[0-9A-Za-z_-]*$" => {
                let max = eff.max_length.unwrap_or(30) as usize;
                let n = self.rng.random_range(0..max);
                let mut s = self.pattern_valid("^[0-9A-Za-z_-]*$", n, 0, max);
                let bad = self.pick(&[" ", ".", "é", "@", "٣", "+", "\u{0}", "Ａ"]);
                if self.chance(0.2) {
                    s.push('\n');
                } else {
                    let at = self.rng.random_range(0..=s.len());
                    s.insert_str(at, bad);
                }
                s
            }
            // The patterns fixture's look-aheads: values the class admits and the look-ahead
            // refuses, beside values the class refuses.
            r"^(?![0-9]+$)[a-z0-9_\-]+$" => self.pick(&["123", "0", "2024", "Slug", "a b", ""]).to_owned(),
            // No non-ASCII word here: in a pattern with look-around, the reference (jsonschema on
            // fancy-regex) reads `\w` as Unicode, where ECMA-262 and the generated validators
            // read it as ASCII (`tests/patterns.rs` pins ours).
            r"^(?!admin$)\w{3,}$" => self.pick(&["admin", "ab", "a-b-c", "a b"]).to_owned(),
            _ => self.pick(&["\u{0}", "\n", "!!!", "日本語", " "]).to_owned(),
        }
    }

    fn wrong_type(&mut self, eff: &Eff) -> Value {
        let allowed = eff.allowed_types().unwrap_or_default();
        let mut candidates: Vec<Value> = Vec::new();
        if !allowed.contains(&"string") {
            candidates.extend([json!("12"), json!(""), json!("true")]);
        }
        if !allowed.contains(&"number") {
            if !allowed.contains(&"integer") {
                candidates.extend([json!(12), json!(0), json!(-7)]);
            }
            candidates.extend([json!(1.5), json!(-0.25)]);
        }
        if !allowed.contains(&"boolean") {
            candidates.extend([json!(true), json!(false)]);
        }
        // An array where an object is expected is a kind of its own (`ArrayForObject`).
        if !allowed.contains(&"array") && !allowed.contains(&"object") {
            candidates.extend([json!([]), json!(["a"]), json!([1, 2])]);
        }
        if !allowed.contains(&"object") {
            candidates.extend([json!({}), json!({"a": 1})]);
        }
        candidates.choose(&mut self.rng).cloned().unwrap_or(Value::Null)
    }

    fn out_of_range(&mut self, eff: &Eff) -> Value {
        let is_int = eff.types.contains(&"integer");
        let above = match (eff.minimum.is_some(), eff.maximum.is_some() || eff.format == Some("int32")) {
            (true, true) | (false, false) => self.chance(0.5),
            (true, false) => false,
            (false, true) => true,
        };
        if is_int {
            let (lo, hi) = self.int_bounds(eff);
            let step = if self.chance(0.7) { 1 } else { self.rng.random_range(2..1_000_000i128) };
            int_value(if above { hi + step } else { lo - step })
        } else {
            let (lo, hi) = self.float_bounds(eff);
            let step = self.pick(&[0.5, 1.0, 1e-3, 1e6]);
            let x = if above { hi + step } else { lo - step };
            // Exactly at an exclusive bound is out of range too.
            let x = if self.chance(0.2) {
                if above && eff.exclusive_maximum {
                    hi
                } else if !above && eff.exclusive_minimum {
                    lo
                } else {
                    x
                }
            } else {
                x
            };
            json!(x)
        }
    }

    fn not_in_enum(&mut self, eff: &Eff) -> Value {
        let values = eff.enumeration.expect("enum");
        let mut candidates: Vec<Value> = Vec::new();
        for v in values {
            match v {
                Value::String(s) => {
                    candidates.push(json!(s.to_uppercase()));
                    candidates.push(json!(format!("{s} ")));
                    candidates.push(json!(s.replace('_', "-")));
                }
                Value::Number(n) => {
                    if let Some(i) = n.as_i64() {
                        candidates.push(json!(i + 1));
                        candidates.push(json!(i - 1));
                    }
                }
                Value::Bool(b) => candidates.push(json!(!b)),
                _ => {}
            }
        }
        candidates.retain(|c| !values.contains(c));
        candidates.choose(&mut self.rng).cloned().unwrap_or(json!("not-in-enum"))
    }

    /// Breaks an `anyOf` / `oneOf` / `not`: for an object, adds or removes the properties the
    /// conditionals mention until the reference rejects the payload; for alternatives that
    /// shape the value, picks a value that fits none of them.
    fn break_conditional(&mut self, payload: &mut Value, site: &Site, eff: &Eff, reference: &dyn Fn(&Value) -> bool) {
        let original = at(payload, &site.path).clone();
        let mut last = original.clone();
        for _ in 0..60 {
            let candidate = if let Value::Object(map) = &original {
                let mut map = map.clone();
                for &name in &eff.conditional_names {
                    if self.chance(0.5) {
                        if map.contains_key(name) {
                            map.shift_remove(name);
                        } else {
                            let value = match eff.property(name) {
                                Some(s) => self.valid(s, 2),
                                None => self.any(2),
                            };
                            map.insert(name.to_owned(), value);
                        }
                    }
                }
                Value::Object(map)
            } else {
                let n = self.rng.random_range(51..80);
                let long: String = self.text_exact(n);
                let options = [
                    json!(-0.5),
                    json!(-1.5),
                    json!(1_000_000_000_000_000i64),
                    json!(-1_000_000_000_000_000i64),
                    json!(1e16),
                    json!(-1e300),
                    json!(long),
                    json!(true),
                    json!({}),
                    json!([]),
                ];
                options.choose(&mut self.rng).expect("non-empty").clone()
            };
            *at_mut(payload, &site.path) = candidate.clone();
            last = candidate;
            if !reference(payload) {
                return;
            }
        }
        *at_mut(payload, &site.path) = last;
    }
}

//! Valid payloads, generated from the spec's own schemas with a seeded RNG: random subsets of
//! optional properties, strings within their lengths and patterns, real formats, numbers within
//! bounds, arrays of 0 to 3 items. Conditionals (`anyOf` / `oneOf` / `not` that only constrain)
//! are met by rejection sampling against the reference.

use std::cell::RefCell;
use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::Rng;
use serde_json::{json, Map, Number, Value};

use super::schema::{Additional, Eff, Schemas};

pub struct Generator {
    pub schemas: Schemas,
    pub rng: StdRng,
    /// Chance that an optional property is present, drawn per payload.
    pub density: f64,
    /// Strings known to match each pattern the specs use that has no generator of its own.
    pattern_pools: RefCell<HashMap<&'static str, Vec<&'static str>>>,
}

/// Valid e-mail addresses (RFC 5321 as `email_address` reads them, with a host-name domain).
pub const EMAILS: &[&str] = &[
    "jane@example.com",
    "john.doe+tag@mail.example.org",
    "a@b.co",
    "user_name@sub.domain.example",
    "o'brien@example.ie",
    "x@[192.168.0.1]",
    "test@localhost",
    "first.last@xn--bcher-kva.example",
    "\"quoted local\"@example.com",
    "UPPER@EXAMPLE.COM",
    "1234567890@numbers.example",
    "hy-phen@my-domain.example",
];

/// Strings that are not e-mail addresses.
pub const BAD_EMAILS: &[&str] = &[
    "jane@",
    "@example.com",
    "jane.example.com",
    "jane@-bad-.com",
    "a b@c.com",
    "jane@exa_mple.com",
    "jane@example..com",
    "",
    "jane@example.com.",
    "jane@@example.com",
    "jane@[300.1.1.1]",
    "jane@example.com ",
    " jane@example.com",
];

/// Strings that are not RFC 3339 full-dates and that no date parser should take (lenient
/// ones are in [`Generator::lenient_date`]).
pub const BAD_DATES: &[&str] = &[
    "2023-02-29",
    "2024-13-01",
    "2024/01/01",
    "2024-01-01T",
    "12024-01-01",
    "2024-00-10",
    "2024-01-32",
    "2024-04-31",
    "20240101",
    "2024-01-01T00:00:00Z",
    "1900-02-29",
    "",
    "\u{ff12}\u{ff10}\u{ff12}\u{ff14}-01-01",
    "2024-01-00",
];

/// Strings that are not RFC 3339 date-times and that no date-time parser should take (lenient
/// ones are in [`Generator::lenient_date_time`]).
pub const BAD_DATE_TIMES: &[&str] = &[
    "2023-02-01T13:30:00",
    "2023-02-01T25:00:00Z",
    "1985-01-01T",
    "2023-02-01T13:30Z",
    "2023-02-01T13:30:00.Z",
    "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
    "2023-02-01T13:30:00+24:00",
    "2023-02-30T13:30:00Z",
    "2023-02-01T13:30:00+01",
    "2023-02-01T13:60:00Z",
    "2023-02-01",
    "",
    "2023-02-01T13:30:00,5Z",
    "2023-02-01T13:30:00+01:60",
    "2023-02-01T13:30:00ZZ",
    "2023-02-01T13:30:61Z",
    "2023-02-01T13:30:00.123+1:00",
];

pub const BAD_UUIDS: &[&str] = &[
    "123e4567e89b12d3a456426614174000",
    "123e4567-e89b-12d3-a456-42661417400",
    "123e4567-e89b-12d3-a456-4266141740000",
    "g23e4567-e89b-12d3-a456-426614174000",
    "{123e4567-e89b-12d3-a456-426614174000}",
    "",
];

/// Characters strings are made of: mostly ASCII, some that take several bytes or look special
/// (lengths count code points, not bytes).
const CHARS: &[char] = &[
    'a', 'b', 'c', 'x', 'y', 'z', 'A', 'M', 'Z', '0', '1', '9', ' ', '-', '_', '.', ',', '@', '/', '~', '"', '\\',
    '\n', '\t', '\u{0}', '\u{7f}', 'é', 'ß', 'ü', '日', '本', '😀', '\u{301}', '\u{200d}', '٣', 'Ω',
];

const ASCII: &[char] = &['a', 'e', 'i', 'o', 'n', 's', 't', 'r', 'J', 'D', ' ', '0', '7'];

pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// A JSON number for an integer, whatever its size.
pub fn int_value(i: i128) -> Value {
    if let Ok(v) = i64::try_from(i) {
        Value::from(v)
    } else if let Ok(v) = u64::try_from(i) {
        Value::from(v)
    } else {
        Value::from(i as f64)
    }
}

pub fn num_i128(n: &Number) -> Option<i128> {
    if let Some(i) = n.as_i64() {
        Some(i.into())
    } else if let Some(u) = n.as_u64() {
        Some(u.into())
    } else {
        let f = n.as_f64()?;
        (f.fract() == 0.0 && f.abs() < 1e30).then_some(f as i128)
    }
}

impl Generator {
    pub fn new(schemas: Schemas, rng: StdRng) -> Self {
        Generator { schemas, rng, density: 0.5, pattern_pools: RefCell::new(HashMap::new()) }
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        *items.choose(&mut self.rng).expect("non-empty choice")
    }

    /// A valid value for `schema` (conditionals aside, which the caller samples for).
    pub fn valid(&mut self, schema: &'static Value, depth: usize) -> Value {
        let eff = self.schemas.eff(schema);
        if let Some(values) = eff.enumeration {
            return self.pick_ref(values).clone();
        }
        if !eff.alternatives.is_empty() {
            // Now and then a value that sits on the edge between alternatives: an integral
            // float (an integer by JSON Schema), a string that parses as no date but is short
            // text. The reference says whether it fits.
            if self.chance(0.15) {
                let edge = [
                    json!(-5.0),
                    json!(-999_999_999_999_999.0),
                    json!(100.0),
                    json!(0.0),
                    json!(-0.0),
                    json!(999_999_999_999_999u64),
                    json!(-999_999_999_999_999i64),
                    json!(999_999_999_999_999.5),
                    json!(1e-300),
                    json!("2024-02-30"),
                    json!("2024-1-5"),
                    json!(" 2024-01-01"),
                    json!(""),
                    json!("12"),
                ];
                return self.pick_ref(&edge).clone();
            }
            let alt = self.pick(&eff.alternatives);
            return self.valid(alt, depth + 1);
        }
        let ty = if eff.types.is_empty() { None } else { Some(self.pick(&eff.types)) };
        match ty {
            Some("object") => self.object(&eff, depth),
            Some("array") => {
                let items = eff.items;
                let lo = eff.min_items.unwrap_or(0) as usize;
                let hi = eff.max_items.map_or(lo.max(3), |m| m as usize).max(lo);
                let n = self.rng.random_range(lo..=hi.min(lo + 3));
                let items: Vec<Value> = (0..n)
                    .map(|_| match items {
                        Some(s) => self.valid(s, depth + 1),
                        None => self.any(depth + 1),
                    })
                    .collect();
                Value::Array(items)
            }
            Some("string") => self.string(&eff),
            Some("integer") => self.integer(&eff),
            Some("number") => self.number(&eff),
            Some("boolean") => Value::Bool(self.chance(0.5)),
            _ => self.any(depth),
        }
    }

    fn pick_ref<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        items.choose(&mut self.rng).expect("non-empty choice")
    }

    pub fn object(&mut self, eff: &Eff, depth: usize) -> Value {
        let mut map = Map::new();
        for &(name, schema) in &eff.properties {
            if eff.required.contains(&name) || self.chance(self.density) {
                let value = self.valid(schema, depth + 1);
                map.insert(name.to_owned(), value);
            }
        }
        for &name in &eff.required {
            if !map.contains_key(name) {
                let value = self.any(depth + 1);
                map.insert(name.to_owned(), value);
            }
        }
        match eff.additional {
            Additional::Closed => {}
            Additional::Open => {
                // An open object takes unknown properties: send one now and then.
                if self.chance(0.08) {
                    let key = self.pick(&["extra_field", "X-Unknown", "emailAddress", ""]);
                    if eff.property(key).is_none() {
                        let value = self.any(depth + 1);
                        map.insert(key.to_owned(), value);
                    }
                }
            }
            Additional::Schema(schema) => {
                let n = self.rng.random_range(0..=3);
                for _ in 0..n {
                    let key = self.key();
                    if eff.property(&key).is_none() {
                        let value = self.valid(schema, depth + 1);
                        map.insert(key, value);
                    }
                }
            }
        }
        Value::Object(map)
    }

    fn key(&mut self) -> String {
        let keys = ["1", "42", "field_a", "Name", "a/b", "t~0", "é", "", "key with space"];
        let mut key = self.pick(&keys).to_owned();
        if self.chance(0.5) {
            key.push_str(&self.rng.random_range(0..100).to_string());
        }
        key
    }

    /// Any JSON value, for schemas that say nothing.
    pub fn any(&mut self, depth: usize) -> Value {
        let top = if depth > 3 { 5 } else { 7 };
        match self.rng.random_range(0..top) {
            0 => Value::Null,
            1 => Value::Bool(self.chance(0.5)),
            2 => int_value(self.rng.random_range(-1000..1000)),
            3 => json!(self.rng.random_range(-1e6..1e6f64)),
            4 => Value::String(self.text(0, 12)),
            5 => {
                let n = self.rng.random_range(0..3);
                Value::Array((0..n).map(|_| self.any(depth + 1)).collect())
            }
            _ => {
                let n = self.rng.random_range(0..3);
                let mut map = Map::new();
                for _ in 0..n {
                    let key = self.key();
                    let value = self.any(depth + 1);
                    map.insert(key, value);
                }
                Value::Object(map)
            }
        }
    }

    /// A string of `lo..=hi` code points.
    pub fn text(&mut self, lo: usize, hi: usize) -> String {
        let n = self.rng.random_range(lo..=hi);
        self.text_exact(n)
    }

    pub fn text_exact(&mut self, n: usize) -> String {
        let exotic = self.chance(0.3);
        (0..n).map(|_| if exotic { self.pick(CHARS) } else { self.pick(ASCII) }).collect()
    }

    fn string(&mut self, eff: &Eff) -> Value {
        match eff.format {
            Some("email") => {
                if self.chance(0.1) {
                    // Length limits of host names and their labels (the reference decides).
                    let label = "a".repeat(self.rng.random_range(60..=65));
                    let long = format!("{}.example", ["b"; 126].join("."));
                    let domain = if self.chance(0.5) { format!("{label}.example") } else { long };
                    return Value::String(format!("jo@{domain}"));
                }
                return Value::String(self.pick(EMAILS).to_owned());
            }
            Some("date") => return Value::String(self.date()),
            Some("date-time") => return Value::String(self.date_time()),
            Some("uuid") => return Value::String(self.uuid()),
            _ => {}
        }
        let lo = eff.min_length.unwrap_or(0) as usize;
        let hi = eff.max_length.map_or(lo + 24, |m| m as usize);
        let n = match self.rng.random_range(0..10) {
            0 => lo,
            1 if eff.max_length.is_some() => hi,
            _ => self.rng.random_range(lo..=hi.min(lo + 24)),
        };
        if let Some(pattern) = eff.pattern {
            return Value::String(self.pattern_valid(pattern, n, lo, hi));
        }
        Value::String(self.text_exact(n))
    }

    pub fn date(&mut self) -> String {
        let year: i64 = match self.rng.random_range(0..10) {
            0 => self.rng.random_range(0..=9999),
            1 => self.pick(&[2000, 2024, 1900, 2100, 1600]),
            _ => self.rng.random_range(1950..=2030),
        };
        let month = self.rng.random_range(1..=12);
        let last = days_in_month(year, month);
        let day = if self.chance(0.15) { last } else { self.rng.random_range(1..=last) };
        format!("{year:04}-{month:02}-{day:02}")
    }

    pub fn date_time(&mut self) -> String {
        let date = self.date();
        let sep = if self.chance(0.05) { 't' } else { 'T' };
        if self.chance(0.03) {
            // A leap second, valid only where it is 23:59 UTC.
            let leap = self.pick(&["23:59:60Z", "23:59:60+00:00", "15:59:60-08:00", "01:29:60+01:30", "23:59:60.5z"]);
            return format!("{date}{sep}{leap}");
        }
        let hour = self.rng.random_range(0..24);
        let minute = self.rng.random_range(0..60);
        let second = self.rng.random_range(0..60);
        let fraction = if self.chance(0.5) {
            String::new()
        } else {
            let digits = self.rng.random_range(1..=12);
            let f: String = (0..digits).map(|_| char::from(b'0' + self.rng.random_range(0..10u8))).collect();
            format!(".{f}")
        };
        let offset = match self.rng.random_range(0..20) {
            0..=7 => "Z".to_owned(),
            8 => "z".to_owned(),
            9 => "-00:00".to_owned(),
            _ => {
                let sign = if self.chance(0.5) { '+' } else { '-' };
                let oh = self.rng.random_range(0..24);
                let om = if self.chance(0.7) { self.pick(&[0, 30, 45]) } else { self.rng.random_range(0..60) };
                format!("{sign}{oh:02}:{om:02}")
            }
        };
        format!("{date}{sep}{hour:02}:{minute:02}:{second:02}{fraction}{offset}")
    }

    /// A string that is not an RFC 3339 full-date but that a lenient parser takes: fields not
    /// zero-padded, a two-digit or signed year, white space around or inside.
    pub fn lenient_date(&mut self) -> String {
        let date = self.date();
        let (y, rest) = date.split_at(4);
        let (m, d) = (&rest[1..3], &rest[4..6]);
        match self.rng.random_range(0..7) {
            0 => format!("{y}-{}-{d}", m.trim_start_matches('0')),
            1 => format!("{y}-{m}-{}", d.trim_start_matches('0')),
            2 => format!("{}-{m}-{d}", &y[2..]),
            3 => format!(" {date}"),
            4 => format!("{date} "),
            5 => format!("{}{y}-{m}-{d}", self.pick(&["+", "-", "+1"])),
            _ => format!("{y} -{m}-{d}"),
        }
    }

    /// A string that is not an RFC 3339 date-time but that a lenient parser takes: a space
    /// for `T`, an offset without its colon, a leap second that is not 23:59:60 UTC, fields
    /// not zero-padded, white space around.
    pub fn lenient_date_time(&mut self) -> String {
        let date = self.date();
        let hour = self.rng.random_range(0..24);
        let minute = self.rng.random_range(0..60);
        let second = self.rng.random_range(0..60);
        let time = format!("{hour:02}:{minute:02}:{second:02}");
        match self.rng.random_range(0..8) {
            0 => format!("{date} {time}Z"),
            1 => format!("{date}T{time}{}{:02}{:02}", self.pick(&["+", "-"]), hour % 14, minute),
            2 => format!("{date}T{:02}:{:02}:60Z", self.rng.random_range(0..23), minute),
            3 => format!("{}T{time}Z", self.lenient_date()),
            4 => format!("{date}T{hour}:{minute:02}:{second:02}Z").replacen("T0", "T", 1),
            5 => format!("{date}T{time} Z"),
            6 => format!("{date}T{time}Z "),
            _ => format!(" {date}T{time}+01:00"),
        }
    }

    pub fn uuid(&mut self) -> String {
        let hex = |r: &mut StdRng, n: usize| -> String {
            (0..n).map(|_| char::from(b"0123456789abcdefABCDEF"[r.random_range(0..22)])).collect()
        };
        let r = &mut self.rng;
        format!("{}-{}-{}-{}-{}", hex(r, 8), hex(r, 4), hex(r, 4), hex(r, 4), hex(r, 12))
    }

    fn integer(&mut self, eff: &Eff) -> Value {
        let (lo, hi) = self.int_bounds(eff);
        let i = match self.rng.random_range(0..10) {
            0 => lo,
            1 => hi,
            2..=5 => {
                let (a, b) = (lo.max(-100), hi.min(1000));
                if a <= b {
                    self.rng.random_range(a..=b)
                } else {
                    lo
                }
            }
            _ => self.rng.random_range(lo..=hi),
        };
        int_value(i)
    }

    /// The integers valid here: the declared bounds, within the generated type's range
    /// (`int32` is `i32`, any other integer `i64`).
    pub fn int_bounds(&self, eff: &Eff) -> (i128, i128) {
        let (mut lo, mut hi) = match eff.format {
            Some("int32") => (i128::from(i32::MIN), i128::from(i32::MAX)),
            _ => (i128::from(i64::MIN), i128::from(i64::MAX)),
        };
        if let Some(min) = eff.minimum {
            let m = num_i128(min).unwrap_or_else(|| min.as_f64().unwrap_or(0.0).ceil() as i128);
            lo = lo.max(if eff.exclusive_minimum { m + 1 } else { m });
        }
        if let Some(max) = eff.maximum {
            let m = num_i128(max).unwrap_or_else(|| max.as_f64().unwrap_or(0.0).floor() as i128);
            hi = hi.min(if eff.exclusive_maximum { m - 1 } else { m });
        }
        (lo, hi)
    }

    pub fn float_bounds(&self, eff: &Eff) -> (f64, f64) {
        let lo = eff.minimum.and_then(Number::as_f64).unwrap_or(-1e12);
        let hi = eff.maximum.and_then(Number::as_f64).unwrap_or(1e12);
        (lo, hi)
    }

    fn number(&mut self, eff: &Eff) -> Value {
        let (lo, hi) = self.float_bounds(eff);
        let x: f64 = match self.rng.random_range(0..10) {
            0 if !eff.exclusive_minimum => lo,
            1 if !eff.exclusive_maximum => hi,
            2 | 3 => {
                // A whole number, written as an integer.
                let (a, b) = (lo.max(-1000.0).ceil() as i64, hi.min(1000.0).floor() as i64);
                if a <= b {
                    return Value::from(self.rng.random_range(a..=b));
                }
                lo
            }
            4 => {
                let x: f64 = self.rng.random_range(0.0..1.0);
                (lo + (hi - lo) * x * 1e-9).max(lo)
            }
            _ => self.rng.random_range(lo..=hi),
        };
        let x = if eff.exclusive_minimum && x <= lo || eff.exclusive_maximum && x >= hi { (lo + hi) / 2.0 } else { x };
        json!(x)
    }

    /// A string of about `n` code points (within `lo..=hi`) that matches `pattern`.
    pub fn pattern_valid(&mut self, pattern: &'static str, n: usize, lo: usize, hi: usize) -> String {
        match pattern {
            // Pelcro phone: 5 to 20 ASCII digits, anything else around them.
            "^[^0-9]*(?:[0-9][^0-9]*){5,20}$" => {
                let digits = self.rng.random_range(5..=20);
                self.phone(digits)
            }
            // Pelcro username: ASCII alphanumerics, `-` and `_`.
            "^[0-9A-Za-z_-]*$" => {
                const SET: &[u8] = b"0123456789ABCXYZabcxyz_-";
                (0..n).map(|_| char::from(*SET.choose(&mut self.rng).expect("non-empty"))).collect()
            }
            _ => {
                let pool = self.pattern_pool(pattern, lo, hi);
                match pool.choose(&mut self.rng) {
                    Some(s) => (*s).to_owned(),
                    None => self.text_exact(n),
                }
            }
        }
    }

    pub fn phone(&mut self, digits: usize) -> String {
        const SEPARATORS: &[&str] = &["", "", "", " ", "-", "(", ")", "+", ".", "/", "x", "٣", "é", " ext "];
        let mut s = String::new();
        if self.chance(0.3) {
            s.push_str(self.pick(&["+", "(", "tel: "]));
        }
        for _ in 0..digits {
            s.push(char::from(b'0' + self.rng.random_range(0..10u8)));
            s.push_str(self.pick(SEPARATORS));
        }
        s
    }

    /// Candidate strings that match a pattern with no generator of its own, checked by the
    /// reference's own regex engine.
    fn pattern_pool(&self, pattern: &'static str, lo: usize, hi: usize) -> Vec<&'static str> {
        if let Some(pool) = self.pattern_pools.borrow().get(pattern) {
            return pool.clone();
        }
        const CANDIDATES: &[&str] = &[
            "",
            "a",
            "abc",
            "ABC",
            "123",
            "a1",
            "abc-123",
            "a_b",
            "A1B2C3",
            "DE",
            "DEU",
            "de-DE",
            "+1 555 0100",
            "2024-01-01",
            "x@y.z",
            "hello world",
            "ABCDEFGHIJKLMNOPQRST",
            "00000000000000000000",
        ];
        let check = jsonschema::validator_for(&json!({ "pattern": pattern })).expect("pattern compiles");
        let pool: Vec<&'static str> = CANDIDATES
            .iter()
            .copied()
            .filter(|c| check.is_valid(&json!(c)) && (lo..=hi).contains(&c.chars().count()))
            .collect();
        self.pattern_pools.borrow_mut().insert(pattern, pool.clone());
        pool
    }
}

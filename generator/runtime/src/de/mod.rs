//! Serde helpers used by generated types.
//!
//! Generated structs read through [`Object`] and [`object`]; their fields and union
//! alternatives call these so that deserialization reads values exactly as JSON Schema does:
//! an integer may be written `12.0` or `1e1`; a date, date-time or UUID must be in the exact
//! RFC 3339 / hyphenated form (the chrono and uuid parsers alone accept more); an optional
//! property that is not `nullable` refuses `null`.
//!
//! It also keeps responses readable when the API grows: a string enum value or a union
//! alternative the crate does not know is read into the type's explicit unknown variant
//! (`UnknownValue(String)`, `Unknown(serde_json::Value)`) rather than failing the whole body,
//! and validation refuses that variant (see [`string_enum`], [`untagged`], [`Tagged`]).

use std::cell::Cell;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::de::{DeserializeSeed, Deserializer, Error, Visitor};

mod object;
mod strict;

pub use object::{object, Entries, Object, Others};
pub use strict::{integer, strict, strict_nullable, Strict};
/// An object read for a union with an OpenAPI `discriminator`: its discriminator property's
/// value, as an index into the values the union knows, and the object itself, buffered, from
/// which the variant that value selects is then read. Generated `Deserialize` impls do
///
/// ```ignore
/// let tagged = Tagged::read(deserializer, "pet_type", &["Cat", "Dog"])?;
/// match tagged.index() {
///     Some(0) => tagged.variant().map(Self::Cat),
///     Some(_) => tagged.variant().map(Self::Dog),
///     None => Ok(Self::Unknown(tagged.into_object())),
/// }
/// ```
///
/// so exactly one variant is tried, and the `Some(_)` arm is reached only by the last
/// value(s), since [`Tagged::read`] gives no index for a value not listed.
pub struct Tagged {
    index: Option<usize>,
    object: serde_json::Value,
}

impl Tagged {
    /// Reads a JSON object and finds `property` among `values`. A missing property, or one
    /// that is not a string, is an error at the property (see [`discriminator_message`]). A
    /// string that is not one of `values` (a value the API added since) has no index: the
    /// caller keeps the object as its unknown variant, except while an enclosing untagged
    /// union tries its variants as the spec has them (see [`untagged`]), where it is the same
    /// error.
    pub fn read<'de, D: Deserializer<'de>>(
        deserializer: D,
        property: &'static str,
        values: &'static [&'static str],
    ) -> Result<Self, D::Error> {
        let object = deserializer.deserialize_map(ObjectVisitor)?;
        let found = object.get(property);
        let tag = found.and_then(serde_json::Value::as_str);
        match tag.map(|tag| values.iter().position(|v| *v == tag)) {
            Some(Some(index)) => Ok(Self { index: Some(index), object: serde_json::Value::Object(object) }),
            Some(None) if !known_only() => Ok(Self { index: None, object: serde_json::Value::Object(object) }),
            _ => Err(D::Error::custom(at(&[property], &discriminator_message(property, found, values)))),
        }
    }

    /// Which of the values given to [`Tagged::read`] the object carries; `None` for a string
    /// the union does not know.
    pub fn index(&self) -> Option<usize> {
        self.index
    }

    /// The object, for the unknown variant.
    pub fn into_object(self) -> serde_json::Value {
        self.object
    }

    /// Reads the variant from the buffered object. A failure names where inside the object it
    /// happened, since the path a caller tracks ends at the object.
    pub fn variant<T: DeserializeOwned, E: Error>(&self) -> Result<T, E> {
        match T::deserialize(&self.object) {
            Ok(value) => Ok(value),
            Err(first) => match serde_path_to_error::deserialize::<_, T>(&self.object) {
                Err(err) => {
                    let path: Vec<String> = err.path().iter().filter_map(segment_token).collect();
                    let tokens: Vec<&str> = path.iter().map(String::as_str).collect();
                    Err(E::custom(at(&tokens, &err.into_inner().to_string())))
                }
                // The same value failed a moment ago.
                Ok(_) => Err(E::custom(first)),
            },
        }
    }
}

/// The message for a discriminator property that is missing (`found` is `None`) or holds a
/// value that selects no variant; deserialization and validation say the same.
pub fn discriminator_message(property: &str, found: Option<&serde_json::Value>, values: &[&str]) -> String {
    let expected: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    let expected = expected.join(", ");
    match found {
        None => format!("discriminator property `{property}` is missing; expected one of {expected}"),
        Some(serde_json::Value::String(tag)) => {
            format!("`{tag}` is not a value of discriminator property `{property}`; expected one of {expected}")
        }
        Some(other) => {
            format!("`{other}` is not a value of discriminator property `{property}`; expected one of {expected}")
        }
    }
}

/// Prefixes a message with the JSON Pointer, below the value being read, that it is about:
/// "at `/pet_type`: ...". [`crate::from_json`] moves such prefixes into the error's pointer.
fn at(tokens: &[&str], message: &str) -> String {
    if tokens.is_empty() {
        return message.to_owned();
    }
    let mut pointer = String::new();
    for token in tokens {
        pointer.push('/');
        pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
    }
    format!("at `{pointer}`: {message}")
}

fn segment_token(segment: &serde_path_to_error::Segment) -> Option<String> {
    use serde_path_to_error::Segment;
    match segment {
        Segment::Seq { index } => Some(index.to_string()),
        Segment::Map { key } => Some(key.clone()),
        Segment::Enum { variant } => Some(variant.clone()),
        Segment::Unknown => None,
    }
}

/// Reads a JSON object into a map, refusing a property written twice (as derived structs do)
/// rather than keeping the last, at any depth.
struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = serde_json::Map<String, serde_json::Value>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(JsonSeed)?;
            if object.contains_key(&key) {
                return Err(A::Error::custom(format!("duplicate field `{key}`")));
            }
            object.insert(key, value);
        }
        Ok(object)
    }
}

/// Reads any JSON value as [`ObjectVisitor`] reads objects: `serde_json::Value`'s own
/// `Deserialize` keeps the last of two equal keys, where generated structs refuse them.
struct JsonSeed;

impl<'de> DeserializeSeed<'de> for JsonSeed {
    type Value = serde_json::Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<serde_json::Value, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = serde_json::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: Error>(self, v: bool) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E: Error>(self, v: i64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E: Error>(self, v: u64) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E: Error>(self, v: f64) -> Result<serde_json::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number))
    }
    fn visit_str<E: Error>(self, v: &str) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E: Error>(self, v: String) -> Result<serde_json::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E: Error>(self) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E: Error>(self) -> Result<serde_json::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<serde_json::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<serde_json::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(JsonSeed)? {
            items.push(item);
        }
        Ok(serde_json::Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<serde_json::Value, A::Error> {
        ObjectVisitor.visit_map(map).map(serde_json::Value::Object)
    }
}

thread_local! {
    /// How many untagged unions up this thread's stack are trying their variants as the spec
    /// has them, unknown values refused (see [`untagged`]). A thread-local rather than state
    /// carried by the deserializer: the derived code between a union and an enum deep inside
    /// it cannot pass anything down, and deserialization never suspends, so the count always
    /// belongs to the one value being read.
    static KNOWN_ONLY: Cell<u32> = const { Cell::new(0) };
}

fn known_only() -> bool {
    KNOWN_ONLY.with(Cell::get) > 0
}

/// Runs `read` with unknown enum values and discriminator values refused.
fn with_known_only<T>(read: impl FnOnce() -> T) -> T {
    /// Restores the count however `read` ends.
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            KNOWN_ONLY.with(|count| count.set(count.get().saturating_sub(1)));
        }
    }
    KNOWN_ONLY.with(|count| count.set(count.get() + 1));
    let _leave = Leave;
    read()
}

/// Reads a string enum: `known` maps a listed value to its variant; any other string becomes
/// `unknown(text)`, the variant that keeps it (validation refuses it), so that a value the API
/// added since does not fail the whole body. While an enclosing untagged union tries its
/// variants as the spec has them, an unlisted value is serde's `unknown variant` error, so
/// the union picks the variant it always picked.
pub fn string_enum<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    values: &'static [&'static str],
    known: fn(&str) -> Option<T>,
    unknown: fn(String) -> T,
) -> Result<T, D::Error> {
    struct Text<T> {
        values: &'static [&'static str],
        known: fn(&str) -> Option<T>,
        unknown: fn(String) -> T,
    }
    impl<T> Text<T> {
        /// `None` for an unlisted value that is to be kept.
        fn known<E: Error>(&self, text: &str) -> Result<Option<T>, E> {
            match (self.known)(text) {
                Some(value) => Ok(Some(value)),
                None if known_only() => Err(E::unknown_variant(text, self.values)),
                None => Ok(None),
            }
        }
    }
    impl<'de, T> Visitor<'de> for Text<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: Error>(self, v: &str) -> Result<T, E> {
            Ok(self.known(v)?.unwrap_or_else(|| (self.unknown)(v.to_owned())))
        }
        fn visit_string<E: Error>(self, v: String) -> Result<T, E> {
            // Moved into the unknown variant rather than copied.
            match self.known(&v)? {
                Some(value) => Ok(value),
                None => Ok((self.unknown)(v)),
            }
        }
    }
    deserializer.deserialize_str(Text { values, known, unknown })
}

/// Reads an untagged union: `read` is the union's derived untagged reading (each variant in
/// declaration order, the first that fits), tried first with unknown enum and discriminator
/// values refused, so that a value is read into exactly the variant it always was. Only if no
/// variant fits that way is it read again allowing them (a known alternative holding a new
/// enum value); if none fits even so, the value is kept as JSON in `unknown(value)`, which
/// validation refuses. Inside another union's first try, no fit is the usual untagged error.
///
/// A property written twice is refused, at any depth, as generated structs refuse it.
pub fn untagged<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    name: &'static str,
    read: fn(&serde_json::Value) -> Result<T, serde_json::Error>,
    unknown: fn(serde_json::Value) -> T,
) -> Result<T, D::Error> {
    let value = JsonSeed.deserialize(deserializer)?;
    if let Ok(typed) = with_known_only(|| read(&value)) {
        return Ok(typed);
    }
    if known_only() {
        return Err(D::Error::custom(format!("data did not match any variant of untagged enum {name}")));
    }
    match read(&value) {
        Ok(typed) => Ok(typed),
        Err(_) => Ok(unknown(value)),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::de::MapAccess;

    use super::*;

    /// What a generated struct with a required nullable integer, an optional string and a
    /// map of other properties looks like (see `struct_deserialize` in the generator).
    #[derive(Debug, PartialEq)]
    struct Kept {
        count: Option<i64>,
        name: Option<String>,
        others: BTreeMap<String, serde_json::Value>,
    }

    impl<'de> Object<'de> for Kept {
        const NAME: &'static str = "Kept";
        const FIELDS: &'static [&'static str] = &["count", "name"];
        const OTHERS: Others = Others::Keep;

        fn read<A: MapAccess<'de>>(mut map: Entries<'de, A>) -> Result<Self, A::Error> {
            let (mut f0, mut f1) = (None, None);
            let mut others = BTreeMap::new();
            while let Some(field) = map.next_field()? {
                match field {
                    0 => map.strict(&mut f0),
                    1 => map.value(&mut f1),
                    _ => map.other(&mut others),
                }?;
            }
            Ok(Self { count: map.required(f0, 0)?, name: f1, others })
        }
    }

    /// Two required fields around an optional one: taken by one `match`, as a generated
    /// struct with two or more takes them.
    #[derive(Debug, PartialEq)]
    struct Pair {
        a: bool,
        note: Option<String>,
        b: bool,
    }

    impl<'de> Object<'de> for Pair {
        const NAME: &'static str = "Pair";
        const FIELDS: &'static [&'static str] = &["a", "note", "b"];
        const OTHERS: Others = Others::Skip;

        fn read<A: MapAccess<'de>>(mut map: Entries<'de, A>) -> Result<Self, A::Error> {
            let (mut f0, mut f1, mut f2) = (None, None, None);
            while let Some(field) = map.next_field()? {
                match field {
                    0 => map.value(&mut f0),
                    1 => map.value(&mut f1),
                    _ => map.value(&mut f2),
                }?;
            }
            match (f0, f2) {
                (Some(f0), Some(f2)) => Ok(Self { a: f0, note: f1, b: f2 }),
                (f0, f2) => Err(map.missing(&[(0, f0.is_some()), (2, f2.is_some())])),
            }
        }
    }

    #[test]
    fn the_first_absent_required_field_is_missing() {
        assert_eq!(read(r#"{"b": false, "a": true}"#), Ok(Pair { a: true, note: None, b: false }));
        assert_eq!(read::<Pair>(r#"{"note": "n"}"#), Err("missing field `a` at line 1 column 13".to_owned()));
        assert_eq!(read::<Pair>(r#"{"b": true}"#), Err("missing field `a` at line 1 column 11".to_owned()));
        assert_eq!(read::<Pair>(r#"{"a": true}"#), Err("missing field `b` at line 1 column 11".to_owned()));
    }

    /// One optional nullable field; unknown properties are skipped or refused.
    #[derive(Debug, PartialEq)]
    struct Closed<const REFUSE: bool> {
        note: Option<Option<String>>,
    }

    impl<'de, const REFUSE: bool> Object<'de> for Closed<REFUSE> {
        const NAME: &'static str = "Closed";
        const FIELDS: &'static [&'static str] = &["note"];
        const OTHERS: Others = if REFUSE { Others::Refuse } else { Others::Skip };

        fn read<A: MapAccess<'de>>(mut map: Entries<'de, A>) -> Result<Self, A::Error> {
            let mut f0 = None;
            while map.next_field()?.is_some() {
                map.value(&mut f0)?;
            }
            Ok(Self { note: f0 })
        }
    }

    fn read<T: for<'de> Object<'de>>(json: &str) -> Result<T, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        object::<_, T>(&mut de).map_err(|e| e.to_string())
    }

    #[test]
    fn objects_read_as_their_schema_says() {
        let kept = |count, name: Option<&str>, others: &[(&str, serde_json::Value)]| Kept {
            count,
            name: name.map(str::to_owned),
            others: others.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
        };
        assert_eq!(read(r#"{"count": 2.0, "name": "a"}"#), Ok(kept(Some(2), Some("a"), &[])));
        // Required and nullable: `null` is there, absent is not.
        assert_eq!(read(r#"{"count": null}"#), Ok(kept(None, None, &[])));
        assert_eq!(read::<Kept>(r#"{"name": "a"}"#), Err("missing field `count` at line 1 column 13".to_owned()));
        // Optional, not nullable: `null` is refused by the value's type.
        assert_eq!(
            read::<Kept>(r#"{"count": 1, "name": null}"#),
            Err("invalid type: null, expected a string at line 1 column 25".to_owned())
        );
        assert_eq!(
            read::<Kept>(r#"{"count": 1, "count": 2}"#),
            Err("duplicate field `count` at line 1 column 20".to_owned())
        );
        assert_eq!(
            read::<Kept>(r#"[1, "a"]"#),
            Err("invalid type: sequence, expected struct Kept at line 1 column 0".to_owned())
        );
        // Other properties are kept; of one written twice, the last value.
        let json = r#"{"x": 1, "count": 1, "y": [true], "x": 2}"#;
        assert_eq!(read(json), Ok(kept(Some(1), None, &[("x", 2.into()), ("y", serde_json::json!([true]))])));
    }

    #[test]
    fn unknown_properties_are_skipped_or_refused() {
        assert_eq!(read(r#"{"x": {"deep": [1]}, "note": null}"#), Ok(Closed::<false> { note: Some(None) }));
        assert_eq!(read(r#"{}"#), Ok(Closed::<false> { note: None }));
        assert_eq!(read(r#"{"note": "n"}"#), Ok(Closed::<true> { note: Some(Some("n".to_owned())) }));
        assert_eq!(
            read::<Closed<true>>(r#"{"note": "n", "x": 1}"#),
            Err("unknown field `x`, expected `note` at line 1 column 17".to_owned())
        );
        assert_eq!(
            read::<Closed<true>>(r#"{"note": null, "note": null}"#),
            Err("duplicate field `note` at line 1 column 21".to_owned())
        );
        // Keys read from a `Value` (as unions read their alternatives) are the same.
        let value = serde_json::json!({"note": "n", "x": 1});
        assert_eq!(
            object::<_, Closed<true>>(&value).map_err(|e| e.to_string()),
            Err("unknown field `x`, expected `note`".to_owned())
        );
    }

    fn int(json: &str) -> Result<i64, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        i64::deserialize_strict(&mut de).map_err(|e| e.to_string())
    }

    #[test]
    fn integers_as_json_schema_reads_them() {
        assert_eq!(int("12"), Ok(12));
        assert_eq!(int("12.0"), Ok(12));
        assert_eq!(int("1e1"), Ok(10));
        assert!(int("12.5").is_err());
        assert_eq!(int("9223372036854775808"), Err("integer 9223372036854775808 out of range for i64".to_owned()));
        let mut de = serde_json::Deserializer::from_str("3000000000");
        assert!(i32::deserialize_strict(&mut de).is_err());
    }

    #[test]
    fn strict_reading_composes_through_arrays_maps_and_null() {
        let mut de = serde_json::Deserializer::from_str("[1, 2.0, 3e0]");
        assert_eq!(Vec::<i64>::deserialize_strict(&mut de).map_err(|e| e.to_string()), Ok(vec![1, 2, 3]));
        let mut de = serde_json::Deserializer::from_str("[1, 2.5]");
        assert!(Vec::<i64>::deserialize_strict(&mut de).is_err());
        let mut de = serde_json::Deserializer::from_str(r#"{"a": 1.0, "b": null}"#);
        let map =
            std::collections::BTreeMap::<String, Option<i32>>::deserialize_strict(&mut de).map_err(|e| e.to_string());
        assert_eq!(map, Ok([("a".to_owned(), Some(1)), ("b".to_owned(), None)].into_iter().collect()));
    }

    #[test]
    fn dates_only_in_rfc_3339_form() {
        let date = |json: &str| {
            let mut de = serde_json::Deserializer::from_str(json);
            chrono::NaiveDate::deserialize_strict(&mut de).map_err(|e| e.to_string())
        };
        assert!(date("\"2024-01-05\"").is_ok());
        assert_eq!(date("\"2024-1-05\""), Err("`2024-1-05` is not a valid date".to_owned()));
        assert!(date("\" 2024-01-05\"").is_err());
        let time = |json: &str| {
            let mut de = serde_json::Deserializer::from_str(json);
            chrono::DateTime::<chrono::FixedOffset>::deserialize_strict(&mut de).map_err(|e| e.to_string())
        };
        assert!(time("\"2023-02-01T13:30:00.0000000+00:00\"").is_ok());
        assert!(time("\"2023-02-01t13:30:00z\"").is_ok());
        assert!(time("\"2023-02-01 13:30:00Z\"").is_err());
        assert!(time("\"2023-02-01T13:30:00+0100\"").is_err());
    }
}

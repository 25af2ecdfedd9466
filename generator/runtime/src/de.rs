//! Serde helpers used by generated types.
//!
//! Field attributes call these so that deserialization reads values exactly as JSON Schema
//! does: an integer may be written `12.0` or `1e1`; a date, date-time or UUID must be in the
//! exact RFC 3339 / hyphenated form (the chrono and uuid parsers alone accept more); an
//! optional property that is not `nullable` refuses `null`.
//!
//! It also keeps responses readable when the API grows: a string enum value or a union
//! alternative the crate does not know is read into the type's explicit unknown variant
//! (`UnknownValue(String)`, `Unknown(serde_json::Value)`) rather than failing the whole body,
//! and validation refuses that variant (see [`string_enum`], [`untagged`], [`Tagged`]).

use std::cell::Cell;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, Unexpected, Visitor};
use serde::Deserialize;

use crate::format::Format;

/// For an optional property whose schema is not `nullable`: absent is `None` (with
/// `#[serde(default)]`), and an explicit `null` is refused, as the schema refuses it, instead
/// of being read as `None`.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// Reads a struct from a JSON object only. serde's derived `Deserialize` also reads a struct
/// from an array of its fields in order, which a schema of `type: object` refuses; generated
/// structs deserialize through this wrapper, which asks the format for a map.
///
/// It also reads a value that is there as there, for the optional properties named in
/// `present`: their `Option` is `Some` whatever the value, so `null` is refused where the
/// schema is not `nullable` (the inner type refuses it, as [`present`] does for one field) and
/// is `Some(None)` where it is. And it refuses an object without one of the `required`
/// (required and `nullable`) properties, which serde would read as `None`, as if `null` had
/// been written. Lists per struct cost the compiler far less than a `deserialize_with` per
/// field, for which serde derives a wrapper type and its `Deserialize` impl twice (Stripe has
/// thousands of such fields).
pub struct ObjectOnly<D> {
    deserializer: D,
    properties: Properties,
}

impl<D> ObjectOnly<D> {
    /// `present`: the wire names of the optional properties read as there when there;
    /// `required`: those of the required, nullable ones.
    pub fn new(deserializer: D, present: &'static [&'static str], required: &'static [&'static str]) -> Self {
        Self { deserializer, properties: Properties { present, required } }
    }
}

/// The properties [`ObjectOnly`] reads with care, by wire name.
#[derive(Clone, Copy)]
struct Properties {
    present: &'static [&'static str],
    required: &'static [&'static str],
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for ObjectOnly<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserializer.deserialize_any(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        if self.properties.present.is_empty() && self.properties.required.is_empty() {
            self.deserializer.deserialize_map(visitor)
        } else {
            self.deserializer.deserialize_map(CarefulFields { visitor, properties: self.properties })
        }
    }

    fn is_human_readable(&self) -> bool {
        self.deserializer.is_human_readable()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct enum identifier ignored_any
    }
}

/// The struct's visitor, given a map that reads with care (see [`ObjectOnly`]).
struct CarefulFields<V> {
    visitor: V,
    properties: Properties,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for CarefulFields<V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let seen = Seen { present: false, required: vec![false; self.properties.required.len()] };
        self.visitor.visit_map(CarefulEntries { map, properties: self.properties, seen })
    }
}

/// What the keys read so far say.
struct Seen {
    /// The key just read is one of [`Properties::present`]: its value is read with [`NonNull`].
    present: bool,
    /// Which of [`Properties::required`] have been read.
    required: Vec<bool>,
}

impl Seen {
    fn note(&mut self, properties: &Properties, key: &[u8]) {
        self.present = properties.present.iter().any(|k| k.as_bytes() == key);
        if let Some(i) = properties.required.iter().position(|k| k.as_bytes() == key) {
            self.required[i] = true;
        }
    }
}

/// Entries of a map, read with care (see [`ObjectOnly`]).
struct CarefulEntries<A> {
    map: A,
    properties: Properties,
    seen: Seen,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for CarefulEntries<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        self.seen.present = false;
        let key = self.map.next_key_seed(KeySeed { seed, properties: &self.properties, seen: &mut self.seen })?;
        if key.is_none() {
            // The object is over: every required nullable property must have been there.
            if let Some(missing) = self.seen.required.iter().position(|seen| !seen) {
                return Err(A::Error::missing_field(self.properties.required[missing]));
            }
        }
        Ok(key)
    }

    fn next_value_seed<S: DeserializeSeed<'de>>(&mut self, seed: S) -> Result<S::Value, A::Error> {
        if std::mem::take(&mut self.seen.present) {
            self.map.next_value_seed(NonNullSeed(seed))
        } else {
            self.map.next_value_seed(seed)
        }
    }

    fn size_hint(&self) -> Option<usize> {
        self.map.size_hint()
    }
}

/// Reads a key with `seed`, noting it in `seen`.
struct KeySeed<'a, S> {
    seed: S,
    properties: &'a Properties,
    seen: &'a mut Seen,
}

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for KeySeed<'_, S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.seed.deserialize(Key { deserializer, properties: self.properties, seen: self.seen })
    }
}

/// A key's deserializer that shows the key's text to [`KeyVisitor`].
struct Key<'a, D> {
    deserializer: D,
    properties: &'a Properties,
    seen: &'a mut Seen,
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Key<'_, D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserializer.deserialize_any(KeyVisitor { visitor, properties: self.properties, seen: self.seen })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserializer.deserialize_identifier(KeyVisitor { visitor, properties: self.properties, seen: self.seen })
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserializer.deserialize_str(KeyVisitor { visitor, properties: self.properties, seen: self.seen })
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.deserializer.deserialize_string(KeyVisitor { visitor, properties: self.properties, seen: self.seen })
    }

    fn is_human_readable(&self) -> bool {
        self.deserializer.is_human_readable()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum ignored_any
    }
}

/// Passes a key on to the struct's field visitor, noting it in `seen`.
struct KeyVisitor<'a, V> {
    visitor: V,
    properties: &'a Properties,
    seen: &'a mut Seen,
}

impl<'de, V: Visitor<'de>> Visitor<'de> for KeyVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<V::Value, E> {
        self.seen.note(self.properties, v.as_bytes());
        self.visitor.visit_str(v)
    }

    fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<V::Value, E> {
        self.seen.note(self.properties, v.as_bytes());
        self.visitor.visit_borrowed_str(v)
    }

    fn visit_string<E: Error>(self, v: String) -> Result<V::Value, E> {
        self.seen.note(self.properties, v.as_bytes());
        self.visitor.visit_string(v)
    }

    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<V::Value, E> {
        self.seen.note(self.properties, v);
        self.visitor.visit_bytes(v)
    }

    fn visit_borrowed_bytes<E: Error>(self, v: &'de [u8]) -> Result<V::Value, E> {
        self.seen.note(self.properties, v);
        self.visitor.visit_borrowed_bytes(v)
    }

    fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<V::Value, E> {
        self.seen.note(self.properties, &v);
        self.visitor.visit_byte_buf(v)
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<V::Value, E> {
        self.visitor.visit_u64(v)
    }
}

/// Reads a value with `seed` through [`NonNull`].
struct NonNullSeed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for NonNullSeed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(NonNull(deserializer))
    }
}

/// A deserializer on which an `Option` always reads `Some`: `null` goes on to the inner type,
/// which refuses it with its own message, exactly as [`present`] does.
struct NonNull<D>(D);

impl<'de, D: Deserializer<'de>> Deserializer<'de> for NonNull<D> {
    type Error = D::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        visitor.visit_some(self.0)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

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

/// A leaf type read the way JSON Schema reads its values.
pub trait Strict: Sized {
    /// Reads a value, refusing what the lenient reading would coerce.
    fn deserialize_strict<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// A required property of a [`Strict`] type.
pub fn strict<'de, D: Deserializer<'de>, T: Strict>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_strict(deserializer)
}

/// An optional, non-`nullable` property of a [`Strict`] type: `null` is refused.
pub fn strict_present<'de, D: Deserializer<'de>, T: Strict>(deserializer: D) -> Result<Option<T>, D::Error> {
    T::deserialize_strict(deserializer).map(Some)
}

/// A `nullable` property of a [`Strict`] type: `null` is `None`.
pub fn strict_nullable<'de, D: Deserializer<'de>, T: Strict>(deserializer: D) -> Result<Option<T>, D::Error> {
    struct Nullable<T>(std::marker::PhantomData<T>);
    impl<'de, T: Strict> Visitor<'de> for Nullable<T> {
        type Value = Option<T>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("null or a value")
        }
        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            T::deserialize_strict(deserializer).map(Some)
        }
    }
    deserializer.deserialize_option(Nullable(std::marker::PhantomData))
}

/// [`Strict`] through one level of `DeserializeSeed`, for elements of sequences and maps.
struct StrictSeed<T>(std::marker::PhantomData<T>);

impl<'de, T: Strict> serde::de::DeserializeSeed<'de> for StrictSeed<T> {
    type Value = T;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize_strict(deserializer)
    }
}

impl<T: Strict> Strict for Vec<T> {
    fn deserialize_strict<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Items<T>(std::marker::PhantomData<T>);
        impl<'de, T: Strict> Visitor<'de> for Items<T> {
            type Value = Vec<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element_seed(StrictSeed(std::marker::PhantomData))? {
                    items.push(item);
                }
                Ok(items)
            }
        }
        deserializer.deserialize_seq(Items(std::marker::PhantomData))
    }
}

impl<T: Strict> Strict for std::collections::BTreeMap<String, T> {
    fn deserialize_strict<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<T>(std::marker::PhantomData<T>);
        impl<'de, T: Strict> Visitor<'de> for Entries<T> {
            type Value = std::collections::BTreeMap<String, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = std::collections::BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value = map.next_value_seed(StrictSeed(std::marker::PhantomData))?;
                    entries.insert(key, value);
                }
                Ok(entries)
            }
        }
        deserializer.deserialize_map(Entries(std::marker::PhantomData))
    }
}

/// A `nullable` element: `null` is `None`.
impl<T: Strict> Strict for Option<T> {
    fn deserialize_strict<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        strict_nullable(deserializer)
    }
}

/// Reads an integer as JSON Schema does: any number with no fractional part.
struct IntegerVisitor;

impl<'de> Visitor<'de> for IntegerVisitor {
    type Value = i128;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer")
    }
    fn visit_i64<E: Error>(self, v: i64) -> Result<i128, E> {
        Ok(v.into())
    }
    fn visit_u64<E: Error>(self, v: u64) -> Result<i128, E> {
        Ok(v.into())
    }
    fn visit_f64<E: Error>(self, v: f64) -> Result<i128, E> {
        // 2^63 and beyond cannot be an i64 or u64 anyway; the range check below says so.
        if v.fract() == 0.0 && v.abs() < 1e20 {
            Ok(v as i128)
        } else {
            Err(E::invalid_type(Unexpected::Float(v), &self))
        }
    }
}

/// An integer of any width, with a range error that names the type.
pub fn integer<'de, D: Deserializer<'de>>(deserializer: D, min: i128, max: i128, name: &str) -> Result<i128, D::Error> {
    let value = deserializer.deserialize_any(IntegerVisitor)?;
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(D::Error::custom(format!("integer {value} out of range for {name}")))
    }
}

macro_rules! strict_integer {
    ($($t:ty),*) => {$(
        impl Strict for $t {
            fn deserialize_strict<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = integer(deserializer, <$t>::MIN.into(), <$t>::MAX.into(), stringify!($t))?;
                // In range, checked above.
                Ok(value as $t)
            }
        }
    )*};
}
strict_integer!(i32, i64, u32, u64);

/// Reads a string that must have `format` before `parse` reads it.
fn formatted<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    format: Format,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, D::Error> {
    let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
    if !format.is_valid(&text) {
        return Err(D::Error::custom(format!("`{text}` is not a valid {}", format.name())));
    }
    parse(&text).ok_or_else(|| D::Error::custom(format!("`{text}` is not a valid {}", format.name())))
}

impl Strict for chrono::NaiveDate {
    fn deserialize_strict<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        formatted(deserializer, Format::Date, |s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
    }
}

impl Strict for chrono::DateTime<chrono::FixedOffset> {
    fn deserialize_strict<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        formatted(deserializer, Format::DateTime, |s| {
            // chrono reads `:60` only as the leap second it is; the format check above already
            // placed it at 23:59 UTC. Lowercase `t` / `z` are RFC 3339 too.
            chrono::DateTime::parse_from_rfc3339(&s.to_ascii_uppercase()).ok()
        })
    }
}

impl Strict for uuid::Uuid {
    fn deserialize_strict<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        formatted(deserializer, Format::Uuid, |s| uuid::Uuid::parse_str(s).ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

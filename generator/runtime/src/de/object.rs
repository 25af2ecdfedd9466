//! Reading a generated struct from a JSON object through its table of property names
//! ([`Object`], [`object`], [`Entries`]), in place of serde's derived `Deserialize`.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, Unexpected, Visitor};
use serde::Deserialize;

use super::strict::{Strict, StrictSeed};

/// A generated struct, read from a JSON object by [`object`].
///
/// serde's derived `Deserialize` emits, per struct, an enum of its fields with a visitor of
/// its own, a visitor that reads the struct from a map and another that reads it from a
/// sequence of its fields in order (which a schema of `type: object` refuses), and a
/// duplicate and missing check per field. On a spec of thousands of structs that is most of
/// what the compiler checks. A generated struct instead names its properties in a table here,
/// and its [`Object::read`] is a loop over [`Entries`] with one line per field: finding the
/// key in the table, refusing or skipping the keys the schema does not name, and the
/// duplicate and missing checks are this module's, written once.
///
/// The struct reads exactly as the schema says:
///
/// - only from an object (a map), never from an array;
/// - a property written twice is refused (`duplicate field`), where the object is;
/// - a required property that is absent is refused (`missing field`), `nullable` or not;
/// - an optional property that is absent is `None`, and one that is there is `Some` whatever
///   its value: so `null` is refused where the schema is not `nullable` (the inner type
///   refuses it) and is `Some(None)` where it is;
/// - a property the schema does not name is skipped, refused (`additionalProperties: false`,
///   `unknown field`), or kept in the struct's map of other properties ([`Others`]).
pub trait Object<'de>: Sized {
    /// The struct's name, for "expected struct Name".
    const NAME: &'static str;
    /// The wire names of its properties, in the order of its fields; [`Entries::next_field`]
    /// gives the index of a key in this table.
    const FIELDS: &'static [&'static str];
    /// What a property not in [`Object::FIELDS`] does.
    const OTHERS: Others;

    /// Reads the struct's fields from the object's entries.
    fn read<A: MapAccess<'de>>(map: Entries<'de, A>) -> Result<Self, A::Error>;
}

/// What a generated struct does with a property its schema does not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Others {
    /// It is skipped (`additionalProperties` not given).
    Skip,
    /// It is an error (`additionalProperties: false`): serde's `unknown field`.
    Refuse,
    /// It is kept, with [`Entries::other`], in the struct's map of other properties.
    Keep,
}

/// The `Deserialize` of a generated struct: reads `T` from a map only (see [`Object`]).
pub fn object<'de, D: Deserializer<'de>, T: Object<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectOf(PhantomData))
}

/// Reads an [`Object`] from a map; anything else is `invalid type: ..., expected struct Name`.
struct ObjectOf<T>(PhantomData<T>);

impl<'de, T: Object<'de>> Visitor<'de> for ObjectOf<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(Entries { map, fields: T::FIELDS, others: T::OTHERS, field: 0, other: None, lifetime: PhantomData })
    }
}

/// The entries of an object being read into an [`Object`]: its keys as indices into the
/// struct's table of properties, and its values into the struct's fields, each read once.
pub struct Entries<'de, A> {
    map: A,
    fields: &'static [&'static str],
    others: Others,
    /// The index in `fields` of the key read last.
    field: usize,
    /// The key read last, where it is not in `fields` and is kept ([`Others::Keep`]).
    other: Option<String>,
    lifetime: PhantomData<&'de ()>,
}

impl<'de, A: MapAccess<'de>> Entries<'de, A> {
    /// Reads the next key: `Some` of its index in [`Object::FIELDS`], or of the table's length
    /// for a key kept for [`Entries::other`]; `None` at the end of the object. A key the
    /// struct skips is skipped with its value; one it refuses is an error.
    pub fn next_field(&mut self) -> Result<Option<usize>, A::Error> {
        loop {
            match self.map.next_key_seed(FieldSeed { fields: self.fields, others: self.others })? {
                None => return Ok(None),
                Some(Field::Known(index)) => {
                    self.field = index;
                    return Ok(Some(index));
                }
                Some(Field::Other(key)) => {
                    self.other = Some(key);
                    return Ok(Some(self.fields.len()));
                }
                Some(Field::Skipped) => {
                    self.map.next_value::<IgnoredAny>()?;
                }
            }
        }
    }

    /// Reads the value of the key just read into `slot`; a second value for the same field is
    /// serde's `duplicate field`, an error at the object.
    pub fn value<T: Deserialize<'de>>(&mut self, slot: &mut Option<T>) -> Result<(), A::Error> {
        self.vacant(slot)?;
        *slot = Some(self.map.next_value()?);
        Ok(())
    }

    /// [`Entries::value`] for a [`Strict`] type.
    pub fn strict<T: Strict>(&mut self, slot: &mut Option<T>) -> Result<(), A::Error> {
        self.vacant(slot)?;
        *slot = Some(self.map.next_value_seed(StrictSeed(PhantomData))?);
        Ok(())
    }

    /// Reads the value of a key the struct keeps ([`Others::Keep`]) into `others`. Of a key
    /// written twice the last value stays, as a map keeps it.
    pub fn other<T: Deserialize<'de>>(&mut self, others: &mut BTreeMap<String, T>) -> Result<(), A::Error> {
        let value = self.map.next_value()?;
        if let Some(key) = self.other.take() {
            others.insert(key, value);
        }
        Ok(())
    }

    /// The value of the required field `index` (in [`Object::FIELDS`]): serde's
    /// `missing field` where the object did not have it.
    pub fn required<T>(&self, slot: Option<T>, index: usize) -> Result<T, A::Error> {
        slot.ok_or_else(|| A::Error::missing_field(self.fields.get(index).copied().unwrap_or_default()))
    }

    /// serde's `missing field` for the first of the required fields (each its index in
    /// [`Object::FIELDS`] and whether its slot is filled) that is absent: what [`Self::required`]
    /// says of it.
    pub fn missing(&self, required: &[(usize, bool)]) -> A::Error {
        let index = required.iter().find(|(_, present)| !present).map_or(usize::MAX, |(index, _)| *index);
        A::Error::missing_field(self.fields.get(index).copied().unwrap_or_default())
    }

    fn vacant<T>(&self, slot: &Option<T>) -> Result<(), A::Error> {
        match slot {
            Some(_) => Err(A::Error::duplicate_field(self.fields.get(self.field).copied().unwrap_or_default())),
            None => Ok(()),
        }
    }
}

/// A key of an object read into an [`Object`].
enum Field {
    /// The index of a property the struct names.
    Known(usize),
    /// Another property, kept.
    Other(String),
    /// Another property, skipped.
    Skipped,
}

/// Reads a key as a [`Field`] (as an identifier, as serde's derived field visitors do).
#[derive(Clone, Copy)]
struct FieldSeed {
    fields: &'static [&'static str],
    others: Others,
}

impl FieldSeed {
    /// The field `key` names, or what the struct does with another key; `owned` makes the
    /// key to keep.
    fn field<E: Error>(self, key: &str, owned: impl FnOnce() -> String) -> Result<Field, E> {
        match self.fields.iter().position(|field| *field == key) {
            Some(index) => Ok(Field::Known(index)),
            None => match self.others {
                Others::Skip => Ok(Field::Skipped),
                Others::Refuse => Err(E::unknown_field(key, self.fields)),
                Others::Keep => Ok(Field::Other(owned())),
            },
        }
    }
}

impl<'de> DeserializeSeed<'de> for FieldSeed {
    type Value = Field;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Field, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldSeed {
    type Value = Field;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Field, E> {
        self.field(v, || v.to_owned())
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Field, E> {
        // Moved into the map of other properties rather than copied.
        match self.field(&v, String::new)? {
            Field::Other(_) => Ok(Field::Other(v)),
            field => Ok(field),
        }
    }

    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Field, E> {
        match std::str::from_utf8(v) {
            Ok(text) => self.visit_str(text),
            Err(_) => match self.others {
                Others::Skip => Ok(Field::Skipped),
                Others::Refuse => Err(E::unknown_field(&String::from_utf8_lossy(v), self.fields)),
                Others::Keep => Err(E::invalid_value(Unexpected::Bytes(v), &"a UTF-8 property name")),
            },
        }
    }
}

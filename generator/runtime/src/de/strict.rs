//! Leaf values read the way JSON Schema reads them ([`Strict`]): integers written `12.0` or
//! `1e1`, dates, date-times and UUIDs in their exact RFC form only.

use std::fmt;

use serde::de::{Deserializer, Error, Unexpected, Visitor};
use serde::Deserialize;

use crate::format::Format;

/// A leaf type read the way JSON Schema reads its values.
pub trait Strict: Sized {
    /// Reads a value, refusing what the lenient reading would coerce.
    fn deserialize_strict<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// A required property of a [`Strict`] type.
pub fn strict<'de, D: Deserializer<'de>, T: Strict>(deserializer: D) -> Result<T, D::Error> {
    T::deserialize_strict(deserializer)
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
pub(super) struct StrictSeed<T>(pub(super) std::marker::PhantomData<T>);

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

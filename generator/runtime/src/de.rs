//! Serde helpers used by generated types.

use serde::{Deserialize, Deserializer};

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

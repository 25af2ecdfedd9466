//! Writing a generated struct: what serde's derived `Serialize` writes, field for field, through
//! one small generic type instead of code of its own in every struct.
//!
//! Serde's derive gives each field an `if`, a `?` and a `skip_field` branch. On a crate with a
//! thousand structs that code is about a seventh of the memory `cargo check` needs (measured on
//! OpenAI's spec: BENCHMARKS.md). A generated struct now writes
//!
//! ```text
//! let mut fields = ser::object(serializer, "Customer", 1, &[self.email.is_some()])?;
//! fields.field("id", &self.id);
//! fields.optional("email", &self.email);
//! fields.end()
//! ```
//!
//! which calls the serializer exactly as the derive would: `serialize_struct` with the number
//! of fields written, then `serialize_field` for each field that is there and `skip_field` for
//! each optional one that is absent, in declaration order. The first error stops the writing:
//! later calls do nothing, and [`Fields::end`] returns it.

use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

/// Starts writing the struct `name`, of `required` fields that are always written and optional
/// ones, each there or not: serde is told the number of fields that will be written, as its
/// derive counts them.
pub fn object<S: Serializer>(
    serializer: S,
    name: &'static str,
    required: usize,
    optional: &[bool],
) -> Result<Fields<S::SerializeStruct>, S::Error> {
    let len = required + optional.iter().filter(|there| **there).count();
    Ok(Fields { state: serializer.serialize_struct(name, len)?, error: None })
}

/// A struct being written; see the module's documentation.
pub struct Fields<S: SerializeStruct> {
    state: S,
    error: Option<S::Error>,
}

impl<S: SerializeStruct> Fields<S> {
    /// Writes a field that is always there (a required property, `null` included).
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if self.error.is_none() {
            if let Err(error) = self.state.serialize_field(key, value) {
                self.error = Some(error);
            }
        }
    }

    /// Writes an optional property's field, the whole `Option` as serde's derive does, or skips
    /// it when it is absent (`skip_serializing_if = "Option::is_none"`).
    pub fn optional<T: Serialize>(&mut self, key: &'static str, value: &Option<T>) {
        if value.is_some() {
            self.field(key, value);
        } else if self.error.is_none() {
            if let Err(error) = self.state.skip_field(key) {
                self.error = Some(error);
            }
        }
    }

    /// Ends the struct, or returns the first error.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.state.end(),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::object;

    /// The same shape twice: once written by serde's derive, once by this module.
    #[derive(Serialize)]
    struct Derived {
        id: u32,
        #[serde(rename = "e-mail", skip_serializing_if = "Option::is_none")]
        email: Option<Option<String>>,
        note: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        tags: Option<Vec<String>>,
    }

    struct Written(Derived);

    impl Serialize for Written {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let v = &self.0;
            let mut fields = object(serializer, "Derived", 2, &[v.email.is_some(), v.tags.is_some()])?;
            fields.field("id", &v.id);
            fields.optional("e-mail", &v.email);
            fields.field("note", &v.note);
            fields.optional("tags", &v.tags);
            fields.end()
        }
    }

    #[test]
    fn writes_what_the_derive_writes() {
        let values = [
            Derived { id: 1, email: None, note: None, tags: None },
            Derived { id: 2, email: Some(None), note: Some("n".into()), tags: Some(vec!["a".into()]) },
            Derived { id: 3, email: Some(Some("x@y".into())), note: None, tags: Some(Vec::new()) },
        ];
        for value in values {
            let derived = serde_json::to_string(&value).unwrap();
            assert_eq!(serde_json::to_string(&Written(value)).unwrap(), derived);
        }
        assert_eq!(
            serde_json::to_string(&Written(Derived { id: 2, email: Some(None), note: None, tags: None })).unwrap(),
            r#"{"id":2,"e-mail":null,"note":null}"#
        );
    }

    /// A serializer's error stops the writing and comes back from `end`.
    #[test]
    fn the_first_error_is_returned() {
        struct Failing;
        impl Serialize for Failing {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no"))
            }
        }
        struct Two;
        impl Serialize for Two {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut fields = object(serializer, "Two", 2, &[])?;
                fields.field("a", &Failing);
                fields.field("b", &1);
                fields.end()
            }
        }
        assert_eq!(serde_json::to_string(&Two).unwrap_err().to_string(), "no");
    }
}

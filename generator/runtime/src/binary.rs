//! [`Binary`]: the value of a `type: string, format: binary` schema, a file to upload.

use std::fmt;
use std::path::Path;

/// The contents of a file, with the file name and content type a `multipart/form-data` part
/// carries (`format: binary` in the spec).
///
/// In a multipart body each `Binary` is a part of its own: `filename` is the file name given,
/// or else the property's name (servers treat a part without one as a plain field), and its
/// `Content-Type` the one given, or else the first the spec's `encoding` lists for the
/// property, or else `application/octet-stream`. Validation checks a given content type
/// against the ones the spec's `encoding` allows.
///
/// JSON can carry only text, so in a JSON document a `Binary` is a string: it reads any
/// string (as its UTF-8 bytes), and writing one whose bytes are not UTF-8 is an error.
///
/// `Debug` shows the size, file name and content type, never the bytes.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Binary {
    bytes: Vec<u8>,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl Binary {
    /// Bytes with no file name or content type.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Self { bytes: bytes.into(), file_name: None, content_type: None }
    }

    /// Reads a file; its name (the last component of `path`) becomes the file name. The
    /// content type is left to [`Binary::with_content_type`] or the spec.
    pub fn from_file(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)?;
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        Ok(Self { bytes, file_name, content_type: None })
    }

    /// The same bytes, with a file name (sent in a multipart part's `Content-Disposition`).
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The part's `Content-Type` (`image/png`).
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The bytes, taken out.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    /// The file name, if one was given.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The content type, if one was given.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// How many bytes there are.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Binary")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Self::new(bytes)
    }
}

impl From<&[u8]> for Binary {
    fn from(bytes: &[u8]) -> Self {
        Self::new(bytes)
    }
}

impl serde::Serialize for Binary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.bytes) {
            Ok(text) => serializer.serialize_str(text),
            Err(_) => {
                Err(serde::ser::Error::custom("binary content that is not UTF-8 cannot be written as a JSON string"))
            }
        }
    }
}

impl<'de> serde::Deserialize<'de> for Binary {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| Self::new(text.into_bytes()))
    }
}

impl crate::RedactedValue for Binary {
    fn presence(&self) -> Option<bool> {
        None
    }
}

/// Checks a binary value's content type against the ones the spec's `encoding` allows for
/// its part (`image/png, image/jpeg`; `image/*` and `*/*` match a whole range). A value
/// without a content type is sent with the first allowed one, so it passes.
pub fn check_content_type(cx: &mut crate::Context, value: &Binary, allowed: &[&str]) {
    let Some(given) = value.content_type() else { return };
    let essence = given.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let fits = |pattern: &&str| {
        let pattern = pattern.trim().to_ascii_lowercase();
        match pattern.strip_suffix("/*") {
            Some("*") => true,
            Some(kind) => essence.split('/').next() == Some(kind),
            None => pattern == essence,
        }
    };
    if !allowed.iter().any(fits) {
        let limit = serde_json::Value::from(allowed.to_vec());
        cx.error("contentType", Some(limit), format!("content type `{given}` is not one of {}", allowed.join(", ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_bytes() {
        let file = Binary::new(b"secret bytes".to_vec()).with_file_name("a.png").with_content_type("image/png");
        assert_eq!(
            format!("{file:?}"),
            r#"Binary { len: 12, file_name: Some("a.png"), content_type: Some("image/png") }"#
        );
    }

    #[test]
    fn json_is_a_string() {
        let file: Binary = serde_json::from_str(r#""héllo""#).unwrap();
        assert_eq!(file.bytes(), "héllo".as_bytes());
        assert_eq!(serde_json::to_string(&file).unwrap(), r#""héllo""#);
        let err = serde_json::to_string(&Binary::new(vec![0xff])).unwrap_err();
        assert_eq!(err.to_string(), "binary content that is not UTF-8 cannot be written as a JSON string");
    }

    #[test]
    fn content_types() {
        let check = |given: Option<&str>, allowed: &[&str]| {
            let mut value = Binary::new(Vec::new());
            if let Some(given) = given {
                value = value.with_content_type(given);
            }
            let mut cx = crate::Context::new();
            check_content_type(&mut cx, &value, allowed);
            cx.finish().map_err(|e| e.into_vec().iter().map(ToString::to_string).collect::<Vec<_>>())
        };
        assert_eq!(check(None, &["image/png"]), Ok(()));
        assert_eq!(check(Some("image/PNG"), &["image/jpeg", "image/png"]), Ok(()));
        assert_eq!(check(Some("image/gif"), &["image/*"]), Ok(()));
        assert_eq!(check(Some("text/plain; charset=utf-8"), &["*/*"]), Ok(()));
        assert_eq!(
            check(Some("image/gif"), &["image/jpeg", "image/png"]),
            Err(vec!["(root): content type `image/gif` is not one of image/jpeg, image/png (contentType)".to_owned()])
        );
    }
}

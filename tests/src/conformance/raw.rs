//! The exact text of each case's `data` in a suite file.
//!
//! `serde_json` (without `arbitrary_precision`) reads
//! `12345678910111213141516171819202122232425262728293031` as a float and writes it back as
//! `1.2345678910111214e52`; the runner must see what the suite wrote, so the data is cut from
//! the file's text rather than re-serialized.

/// A JSON value: its byte span in the text, and its members.
struct Node {
    start: usize,
    end: usize,
    kind: Kind,
}

enum Kind {
    Object(Vec<(String, Node)>),
    Array(Vec<Node>),
    Scalar,
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.text.as_bytes().get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Skips a string, quotes included.
    fn string(&mut self) -> Option<()> {
        (self.peek()? == b'"').then_some(())?;
        self.at += 1;
        loop {
            match self.peek()? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                _ => self.at += 1,
            }
        }
    }

    /// After an item of a list: `,` to go on (true) or `close` to stop (false).
    fn next_or_close(&mut self, close: u8) -> Option<bool> {
        self.skip_ws();
        let b = self.peek()?;
        self.at += 1;
        match b {
            b',' => Some(true),
            b if b == close => Some(false),
            _ => None,
        }
    }

    fn value(&mut self) -> Option<Node> {
        self.skip_ws();
        let start = self.at;
        let kind = match self.peek()? {
            open @ (b'{' | b'[') => {
                let close = if open == b'{' { b'}' } else { b']' };
                self.at += 1;
                let mut members = Vec::new();
                let mut items = Vec::new();
                self.skip_ws();
                let mut more = if self.peek()? == close {
                    self.at += 1;
                    false
                } else {
                    true
                };
                while more {
                    if open == b'{' {
                        self.skip_ws();
                        let key_start = self.at;
                        self.string()?;
                        let key: String = serde_json::from_str(&self.text[key_start..self.at]).ok()?;
                        self.skip_ws();
                        (self.peek()? == b':').then_some(())?;
                        self.at += 1;
                        members.push((key, self.value()?));
                    } else {
                        items.push(self.value()?);
                    }
                    more = self.next_or_close(close)?;
                }
                if open == b'{' {
                    Kind::Object(members)
                } else {
                    Kind::Array(items)
                }
            }
            b'"' => {
                self.string()?;
                Kind::Scalar
            }
            _ => {
                while self.peek().is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace()) {
                    self.at += 1;
                }
                Kind::Scalar
            }
        };
        Some(Node { start, end: self.at, kind })
    }
}

fn member<'n>(node: &'n Node, key: &str) -> Option<&'n Node> {
    match &node.kind {
        Kind::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn items(node: &Node) -> &[Node] {
    match &node.kind {
        Kind::Array(items) => items,
        _ => &[],
    }
}

/// The text of every case's `data`, by group and test; `None` where it could not be cut out
/// (the caller then re-serializes the parsed value).
pub fn case_data(text: &str) -> Vec<Vec<Option<String>>> {
    let mut parser = Parser { text, at: 0 };
    let Some(root) = parser.value() else { return Vec::new() };
    items(&root)
        .iter()
        .map(|group| {
            member(group, "tests")
                .map(items)
                .unwrap_or_default()
                .iter()
                .map(|test| member(test, "data").map(|d| text[d.start..d.end].to_owned()))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn data_is_cut_exactly() {
        let text = r#"[{"description": "x", "tests": [{"data": 123456789012345678901234567890, "valid": true}, {"valid": false, "data": {"a": [1.0, "]"]}}]}]"#;
        let data = super::case_data(text);
        assert_eq!(data[0][0].as_deref(), Some("123456789012345678901234567890"));
        assert_eq!(data[0][1].as_deref(), Some(r#"{"a": [1.0, "]"]}"#));
    }
}

//! Positions: where in the spec's text a JSON Pointer points, so that every diagnostic can
//! name its file, line and column (`specs/x.yaml:25:7: error: ...`), not only syntax errors.
//!
//! `serde_yaml` gives positions only with its errors, and `serde_json` none at all, so the
//! text is read a second time by `yaml-rust2`, whose parser reports the line and column of
//! every event; JSON is YAML, so one index serves both. A hand-written scan of the YAML
//! block structure would break on flow collections, block scalars and quoted keys, which
//! the parser handles. The index is built only when there is something to report.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::diag::{pointer_join, Diagnostic};

/// The line and column (both from 1) of every node of a document, by JSON Pointer.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    positions: HashMap<String, (usize, usize)>,
}

impl SourceMap {
    /// Indexes `text`. A text the parser cannot read gives an empty map: the caller reports
    /// such a text's syntax error, which carries its own position, and nothing else.
    pub fn new(text: &str) -> SourceMap {
        let mut index = Indexer { map: SourceMap::default(), stack: Vec::new() };
        let mut parser = Parser::new_from_str(text);
        if parser.load(&mut index, false).is_err() {
            return SourceMap::default();
        }
        index.map
    }

    /// Where `pointer` (`#/paths/~1pets/get`) is: a map entry's key, an array item's first
    /// character. A pointer to something the text does not hold (a default the generator
    /// filled in) gives the position of its nearest ancestor that it does.
    pub fn locate(&self, pointer: &str) -> Option<(usize, usize)> {
        let mut pointer = pointer;
        loop {
            if let Some(&position) = self.positions.get(pointer) {
                return Some(position);
            }
            pointer = &pointer[..pointer.rfind('/')?];
        }
    }

    /// `file:line:column: severity: pointer: message`, or without the position where the
    /// pointer cannot be placed.
    pub fn render(&self, file: &str, diagnostic: &Diagnostic) -> String {
        // A syntax error stands at the document's root, and its parser's message says where.
        let syntax = (diagnostic.pointer == "#").then(|| syntax_position(&diagnostic.message)).flatten();
        match syntax.or_else(|| self.locate(&diagnostic.pointer)) {
            Some((line, column)) => format!("{file}:{line}:{column}: {diagnostic}"),
            None => format!("{file}: {diagnostic}"),
        }
    }
}

/// The position `serde_yaml` and `serde_json` give in their messages (`... at line 3 column
/// 8`), the last one if there are several.
fn syntax_position(message: &str) -> Option<(usize, usize)> {
    let at = message.rfind(" at line ")?;
    let mut words = message[at..].split_whitespace().skip(2);
    let line = words.next()?.parse().ok()?;
    let column = words.next().filter(|w| *w == "column").and(words.next())?;
    let column = column.trim_end_matches(|c: char| !c.is_ascii_digit()).parse().ok()?;
    Some((line, column))
}

/// The line and column (both from 1, the column in characters) of a byte offset in `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..text.floor_char_boundary_compat(offset)];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// `str::floor_char_boundary` is not stable yet.
trait FloorCharBoundary {
    fn floor_char_boundary_compat(&self, offset: usize) -> usize;
}

impl FloorCharBoundary for str {
    fn floor_char_boundary_compat(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.len());
        while !self.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

/// What to add to `Marker::col` for a column counted from 1.
const COLUMN_BASE: usize = 1;

/// A collection being read, with its pointer.
enum Frame {
    /// A mapping, and the key just read whose value comes next.
    Map {
        pointer: String,
        key: Option<String>,
    },
    Seq {
        pointer: String,
        next: usize,
    },
}

struct Indexer {
    map: SourceMap,
    stack: Vec<Frame>,
}

impl Indexer {
    /// The pointer of the node that starts at `mark`, recording where it is; `None` for a
    /// mapping key (recorded as its entry's position).
    fn node(&mut self, scalar: Option<&str>, mark: Marker) -> Option<String> {
        let position = (mark.line(), mark.col() + COLUMN_BASE);
        // The parser marks a block collection's start after its first key; it starts no later
        // than its first child.
        if let Some(Frame::Map { pointer, .. } | Frame::Seq { pointer, .. }) = self.stack.last() {
            if let Some(start) = self.map.positions.get_mut(pointer) {
                *start = (*start).min(position);
            }
        }
        let pointer = match self.stack.last_mut() {
            None => "#".to_owned(),
            Some(Frame::Map { pointer, key }) => match key.take() {
                Some(key) => pointer_join(pointer, &key),
                None => {
                    // A key: the entry is where its key is. A complex key (a mapping or a
                    // sequence as a key) cannot be in a JSON Pointer; its entry is not indexed.
                    let name = scalar.unwrap_or_default().to_owned();
                    self.map.positions.insert(pointer_join(pointer, &name), position);
                    *key = Some(name);
                    return None;
                }
            },
            Some(Frame::Seq { pointer, next }) => {
                *next += 1;
                pointer_join(pointer, &(*next - 1).to_string())
            }
        };
        self.map.positions.entry(pointer.clone()).or_insert(position);
        Some(pointer)
    }
}

impl MarkedEventReceiver for Indexer {
    fn on_event(&mut self, event: Event, mark: Marker) {
        match event {
            Event::Scalar(value, ..) => {
                self.node(Some(&value), mark);
            }
            Event::Alias(_) => {
                self.node(None, mark);
            }
            Event::MappingStart(..) => {
                let pointer = self.node(None, mark).unwrap_or_default();
                self.stack.push(Frame::Map { pointer, key: None });
            }
            Event::SequenceStart(..) => {
                let pointer = self.node(None, mark).unwrap_or_default();
                self.stack.push(Frame::Seq { pointer, next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart | Event::DocumentEnd => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: &str = "openapi: 3.0.3
paths:
  /pets/{id}:
    get:
      responses:
        200:
          description: ok
tags: [a, {name: b}]
";

    #[test]
    fn yaml_positions() {
        let map = SourceMap::new(YAML);
        assert_eq!(map.locate("#"), Some((1, 1)));
        assert_eq!(map.locate("#/openapi"), Some((1, 1)));
        assert_eq!(map.locate("#/paths/~1pets~1{id}/get"), Some((4, 5)));
        assert_eq!(map.locate("#/paths/~1pets~1{id}/get/responses/200/description"), Some((7, 11)));
        assert_eq!(map.locate("#/tags/1/name"), Some((8, 12)));
        // Not in the text: its nearest ancestor that is.
        assert_eq!(map.locate("#/paths/~1pets~1{id}/get/parameters/0"), Some((4, 5)));
    }

    #[test]
    fn json_positions() {
        let map = SourceMap::new("{\n  \"openapi\": \"3.0.3\",\n  \"paths\": {\"/a\": {\"get\": {}}}\n}\n");
        assert_eq!(map.locate("#/openapi"), Some((2, 3)));
        assert_eq!(map.locate("#/paths/~1a/get"), Some((3, 20)));
    }

    #[test]
    fn syntax_errors_take_the_parsers_position() {
        let text = "openapi: 3.0.3\ninfo: [\n";
        let source = crate::SpecSource { name: "x.yaml".into(), text: text.into() };
        let err = crate::load(&source).unwrap_err();
        let map = SourceMap::new(text);
        let shown = map.render("x.yaml", &err.diagnostics[0]);
        assert!(shown.starts_with("x.yaml:3:1: error: #: invalid YAML: "), "{shown}");
        let json = "{\n  \"openapi\": 3.0.3,\n}";
        let source = crate::SpecSource { name: "x.json".into(), text: json.into() };
        let err = crate::load(&source).unwrap_err();
        let shown = SourceMap::new(json).render("x.json", &err.diagnostics[0]);
        assert_eq!(shown, "x.json:2:17: error: #: invalid JSON: expected `,` or `}` at line 2 column 17");
    }

    #[test]
    fn byte_offsets() {
        assert_eq!(line_column("ab\ncé\nx", 0), (1, 1));
        assert_eq!(line_column("ab\ncé\nx", 3), (2, 1));
        assert_eq!(line_column("ab\ncé\nx", 7), (3, 1));
        assert_eq!(line_column("ab\ncé\nx", 5), (2, 2));
    }
}

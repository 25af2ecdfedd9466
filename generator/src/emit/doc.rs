//! Doc comments: spec text made safe for rustdoc.
//!
//! Descriptions are vendor prose in loose Markdown. Left as they are, they would make
//! `cargo doc` warn (bare URLs, `[brackets]` read as broken intra-doc links, stray HTML tags)
//! and `cargo test` fail (indented or fenced text compiled as a doctest). This module keeps
//! the text readable while removing those traps, and emits one `#[doc]` attribute per line.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Doc;

/// `#[doc]` attributes for an item: title, description, then where it came from in the spec.
pub fn doc_attrs(doc: &Doc) -> TokenStream {
    let lines = doc_lines(doc);
    quote! { #( #[doc = #lines] )* }
}

/// The doc text of an item, one entry per line, each starting with a space as `///` does.
pub fn doc_lines(doc: &Doc) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(title) = doc.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        paragraphs.push(sanitize(title));
    }
    if let Some(description) = doc.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        if doc.title.as_deref().map(str::trim) != Some(description) {
            paragraphs.push(sanitize(description));
        }
    }
    if !doc.pointer.is_empty() {
        paragraphs.push(format!("JSON Pointer: `{}`", doc.pointer.replace('`', "'")));
    }
    let mut lines = Vec::new();
    for (i, paragraph) in paragraphs.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        lines.extend(paragraph.lines().map(str::to_owned));
    }
    lines
        .into_iter()
        // Tabs are spaces in docs: clippy's `tabs_in_doc_comments` (AutoRest's `?q=a\tb`).
        .map(|line| if line.is_empty() { line } else { format!(" {}", escape_controls(&line).replace('\t', "    ")) })
        .collect()
}

/// Control characters (a lone CR in a property name, say) are not allowed in doc comments:
/// they are written as escapes.
pub fn escape_controls(line: &str) -> String {
    if !line.contains(|c: char| c.is_control() && c != '\t') {
        return line.to_owned();
    }
    line.chars()
        .map(|c| if c.is_control() && c != '\t' { c.escape_default().to_string() } else { c.to_string() })
        .collect()
}

/// Makes spec prose safe for rustdoc: fences become `text` blocks, no line is indented
/// (indentation would start a code block), brackets and angle brackets are escaped, and bare
/// URLs are wrapped in `<...>` so that they become links. A line that continues a list item
/// without saying so (Markdown's lazy continuation) is indented under the item, which reads
/// the same and is what clippy's `doc_lazy_continuation` asks for.
pub fn sanitize(text: &str) -> String {
    let mut out = Vec::new();
    let mut in_fence = false;
    // The indentation that continues the current list item, if the previous line was in one.
    let mut continuation: Option<String> = None;
    for raw_line in text.lines() {
        let line = raw_line.trim_end();
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            out.push(if in_fence { "```".to_owned() } else { "```text".to_owned() });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(line.to_owned());
            continue;
        }
        let escaped = escape_inline(trimmed);
        if trimmed.is_empty() {
            continuation = None;
        } else if let Some(marker) = block_marker(trimmed) {
            continuation = Some(marker);
        } else if let Some(prefix) = &continuation {
            out.push(format!("{prefix}{escaped}"));
            continue;
        }
        out.push(escaped);
    }
    if in_fence {
        out.push("```".to_owned());
    }
    out.join("\n")
}

/// What continues a line that starts a list item: its content's indentation (`- a` -> two
/// spaces, `10. a` -> four, `2.  a` -> four: the marker and the spaces after it, as Markdown
/// counts them). (Quotes need nothing: a leading `>` is escaped.)
fn block_marker(line: &str) -> Option<String> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let marker = if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        1
    } else if digits > 0 && digits <= 9 && (line[digits..].starts_with(". ") || line[digits..].starts_with(") ")) {
        digits + 1
    } else {
        return None;
    };
    // One to four spaces after the marker; with more, the content starts after the first
    // (the rest indents a code block), as CommonMark says.
    let spaces = line[marker..].bytes().take_while(|&b| b == b' ').count();
    let spaces = if spaces > 4 { 1 } else { spaces };
    Some(" ".repeat(marker + spaces))
}

fn escape_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        if let Some(url_len) = url_at(rest) {
            let (url, tail) = rest.split_at(url_len);
            out.push('<');
            out.push_str(url);
            out.push('>');
            rest = tail;
            continue;
        }
        let mut chars = rest.chars();
        let c = chars.next().unwrap_or_default();
        match c {
            '[' | ']' | '<' | '>' | '\\' | '*' | '_' | '#' if needs_escape(c, out.as_str()) => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        rest = chars.as_str();
    }
    out
}

/// Brackets, angle brackets and backslashes are always escaped. Emphasis markers and `#` are
/// escaped only where Markdown would act on them: `#` at the start of a line (a heading).
fn needs_escape(c: char, before: &str) -> bool {
    match c {
        '[' | ']' | '<' | '>' | '\\' => true,
        '#' => before.trim().is_empty(),
        _ => false,
    }
}

/// The length of a URL starting at the beginning of `text`, if one does.
fn url_at(text: &str) -> Option<usize> {
    if !(text.starts_with("http://") || text.starts_with("https://")) {
        return None;
    }
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']'))
        .unwrap_or(text.len());
    // A sentence's closing punctuation is not part of the URL.
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_wrapped_and_brackets_escaped() {
        assert_eq!(
            sanitize("See https://revcent.com/docs. Use [this] <b>now</b>"),
            "See <https://revcent.com/docs>. Use \\[this\\] \\<b\\>now\\</b\\>"
        );
    }

    #[test]
    fn indentation_and_fences_cannot_become_doctests() {
        assert_eq!(sanitize("a\n    indented\n```\nlet x;\n```"), "a\nindented\n```text\nlet x;\n```");
        assert_eq!(sanitize("```json\n{}"), "```text\n{}\n```");
    }

    #[test]
    fn lazy_continuations_are_made_explicit() {
        assert_eq!(sanitize("Test\n- one\n- two\n*italics*\n\nafter"), "Test\n- one\n- two\n  *italics*\n\nafter");
        assert_eq!(sanitize("10. ten\nmore"), "10. ten\n    more");
        assert_eq!(sanitize("2.  two spaces\nmore"), "2.  two spaces\n    more");
        assert_eq!(sanitize("a - b\nc"), "a - b\nc");
    }

    #[test]
    fn control_characters_are_escaped() {
        let doc = Doc { title: None, description: None, pointer: "#/properties/foo\rbar".into() };
        assert_eq!(doc_lines(&doc), vec![" JSON Pointer: `#/properties/foo\\rbar`"]);
    }

    #[test]
    fn lines_end_with_the_pointer() {
        let doc = Doc { title: Some("T".into()), description: Some("one\ntwo".into()), pointer: "#/a/b".into() };
        assert_eq!(doc_lines(&doc), vec![" T", "", " one", " two", "", " JSON Pointer: `#/a/b`"]);
    }
}

//! Doc comments: spec text made safe for rustdoc.
//!
//! Descriptions are vendor prose in loose Markdown. Left as they are, they would make
//! `cargo doc` warn (bare URLs, `[brackets]` read as broken intra-doc links, stray HTML tags)
//! and `cargo test` fail (indented or fenced text compiled as a doctest). This module keeps
//! the text readable while removing those traps, and emits one `#[doc]` attribute per line.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Bound, Doc, Rules};

/// `#[doc]` attributes for an item: title, description, then where it came from in the spec.
pub fn doc_attrs(doc: &Doc) -> TokenStream {
    let lines = doc_lines(doc);
    quote! { #( #[doc = #lines] )* }
}

/// `#[doc]` attributes for an item, as [`doc_attrs`], with a paragraph of the emitter's own
/// before the pointer.
pub fn doc_attrs_with(doc: &Doc, note: String) -> TokenStream {
    let lines = doc_lines_with(doc, Some(note));
    quote! { #( #[doc = #lines] )* }
}

/// `#[doc]` attributes for a property: as [`doc_attrs`], with what its validator demands in
/// words before the pointer, so that rustdoc shows a user the rules a value must meet.
/// (Whether it is required, its type says: `Option` or not.)
pub fn field_doc_attrs(doc: &Doc, rules: &Rules) -> TokenStream {
    let lines = doc_lines_with(doc, rules_in_words(rules));
    quote! { #( #[doc = #lines] )* }
}

/// The doc text of an item, one entry per line, each starting with a space as `///` does.
pub fn doc_lines(doc: &Doc) -> Vec<String> {
    doc_lines_with(doc, None)
}

/// [`doc_lines`], with a paragraph of rules before the pointer.
fn doc_lines_with(doc: &Doc, rules: Option<String>) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    if let Some(title) = doc.title.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        paragraphs.push(sanitize(title));
    }
    if let Some(description) = doc.description.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        if doc.title.as_deref().map(str::trim) != Some(description) {
            paragraphs.push(sanitize(description));
        }
    }
    paragraphs.extend(rules);
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

/// The rules of a value in words (`Rules: 1 to 100 characters; format `email`.`), or `None`
/// where it has none. Rules a named type carries itself are documented on that type.
pub fn rules_in_words(rules: &Rules) -> Option<String> {
    let parts = value_rules(rules);
    if parts.is_empty() {
        return None;
    }
    Some(escape_controls(&format!("Rules: {}.", parts.join("; "))))
}

/// The rules of one value, in words, one entry per rule.
fn value_rules(rules: &Rules) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(range) = count_range(rules.min_length, rules.max_length, "character") {
        parts.push(range);
    }
    if let Some(format) = rules.format {
        parts.push(format!("format {}", code(format.name())));
    }
    if let Some(pattern) = &rules.pattern {
        parts.push(format!("matches {}", code(pattern)));
    }
    match (&rules.minimum, &rules.maximum) {
        (Some(min), Some(max)) => parts.push(format!("{} and {}", lower(min), upper(max))),
        (Some(min), None) => parts.push(lower(min)),
        (None, Some(max)) => parts.push(upper(max)),
        (None, None) => {}
    }
    if let Some(step) = &rules.multiple_of {
        parts.push(format!("a multiple of {step}"));
    }
    if let Some(values) = &rules.enumeration {
        const LISTED: usize = 12;
        if values.len() <= LISTED {
            let listed: Vec<String> = values.iter().map(|v| code(&v.to_string())).collect();
            parts.push(format!("one of {}", listed.join(", ")));
        } else {
            parts.push(format!("one of {} values", values.len()));
        }
    }
    if let Some(range) = count_range(rules.min_items, rules.max_items, "item") {
        parts.push(range);
    }
    if rules.unique_items {
        parts.push("items all different".to_owned());
    }
    if let Some(items) = &rules.items {
        let each = value_rules(items);
        if !each.is_empty() {
            parts.push(format!("each item: {}", each.join(", ")));
        }
    }
    if let Some(range) = count_range(rules.min_properties, rules.max_properties, "property") {
        parts.push(range);
    }
    parts
}

/// `1 to 100 characters`, `at least 1 item`, `at most 5 properties`, `exactly 2 characters`.
fn count_range(min: Option<u64>, max: Option<u64>, noun: &str) -> Option<String> {
    let counted = |n: u64| match (n, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "property") => format!("{n} properties"),
        _ => format!("{n} {noun}s"),
    };
    match (min.filter(|&n| n > 0), max) {
        (Some(min), Some(max)) if min == max => Some(format!("exactly {}", counted(min))),
        (Some(min), Some(max)) => Some(format!("{min} to {}", counted(max))),
        (Some(min), None) => Some(format!("at least {}", counted(min))),
        (None, Some(max)) => Some(format!("at most {}", counted(max))),
        (None, None) => None,
    }
}

fn lower(bound: &Bound) -> String {
    if bound.exclusive {
        format!("greater than {}", bound.value)
    } else {
        format!("at least {}", bound.value)
    }
}

fn upper(bound: &Bound) -> String {
    if bound.exclusive {
        format!("less than {}", bound.value)
    } else {
        format!("at most {}", bound.value)
    }
}

/// `text` as a Markdown code span, whatever backticks it holds.
fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
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
    let end =
        text.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`' | ')' | ']')).unwrap_or(text.len());
    // A sentence's closing punctuation is not part of the URL.
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', '\'']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::CheckedFormat;

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
    fn rules_read_as_words() {
        let number = |n: i64| serde_json::Number::from(n);
        let rules = Rules {
            min_length: Some(1),
            max_length: Some(100),
            format: Some(CheckedFormat::Email),
            pattern: Some("^a`b$".into()),
            ..Rules::default()
        };
        assert_eq!(rules_in_words(&rules).unwrap(), "Rules: 1 to 100 characters; format `email`; matches ``^a`b$``.");
        let rules = Rules {
            minimum: Some(Bound { value: number(0), exclusive: true }),
            maximum: Some(Bound { value: number(10), exclusive: false }),
            multiple_of: Some(number(5)),
            enumeration: Some(vec![serde_json::json!("a"), serde_json::json!(1)]),
            ..Rules::default()
        };
        assert_eq!(
            rules_in_words(&rules).unwrap(),
            "Rules: greater than 0 and at most 10; a multiple of 5; one of `\"a\"`, `1`."
        );
        let rules = Rules {
            min_items: Some(1),
            unique_items: true,
            items: Some(Box::new(Rules { max_length: Some(1), ..Rules::default() })),
            min_properties: Some(2),
            max_properties: Some(2),
            ..Rules::default()
        };
        assert_eq!(
            rules_in_words(&rules).unwrap(),
            "Rules: at least 1 item; items all different; each item: at most 1 character; exactly 2 properties."
        );
        assert_eq!(rules_in_words(&Rules::default()), None);
    }

    #[test]
    fn lines_end_with_the_pointer() {
        let doc = Doc { title: Some("T".into()), description: Some("one\ntwo".into()), pointer: "#/a/b".into() };
        assert_eq!(doc_lines(&doc), vec![" T", "", " one", " two", "", " JSON Pointer: `#/a/b`"]);
    }
}

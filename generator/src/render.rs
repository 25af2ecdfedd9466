//! Render: formats emitted tokens with `prettyplease` (pinned by `Cargo.lock`, so output does
//! not depend on the machine's rustfmt), adds the generated-file header and normalises line
//! endings.
//!
//! Items are parsed and formatted one at a time: parsing a whole 9 MB file at once (Stripe's
//! `types.rs`) builds one huge token buffer and syntax tree, which is slower than the same
//! items one by one, and holds far more memory. A file may also come in parts (runs of its items, see
//! [`crate::emit::makers`]), formatted on several threads with [`format_chunks`] and joined in
//! order with [`assemble`].

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// Formats a Rust file. Fails only if the emitter produced tokens that are not a Rust file,
/// which is a generator bug; the message says so.
pub fn render_rust(tokens: TokenStream, header: &str) -> Result<String, String> {
    Ok(assemble(header, &format_chunks(tokens)?))
}

/// The formatted chunks of a Rust file (or of a run of its items): its inner attributes, if
/// any, then each item. [`assemble`] joins them into the file.
pub fn format_chunks(tokens: TokenStream) -> Result<Vec<String>, String> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    match split_items(&trees).and_then(|(head, items)| format_items(head, items)) {
        Some(chunks) => Ok(chunks),
        None => format_file(trees.into_iter().collect()),
    }
}

/// A Rust file from its formatted chunks, in order: the header, then the chunks with a blank
/// line between them.
pub fn assemble(header: &str, chunks: &[String]) -> String {
    let body: Vec<&str> = chunks.iter().map(|c| c.trim_end()).collect();
    normalise(&format!("// {header}\n\n{}", body.join("\n\n")))
}

/// Parses and formats the inner attributes (`head`) and each item. `None` if some item does not
/// parse, for the caller to take the plain path, which says where.
fn format_items(head: &[TokenTree], items: Vec<&[TokenTree]>) -> Option<Vec<String>> {
    let mut chunks = Vec::with_capacity(items.len() + 1);
    if !head.is_empty() {
        let file: syn::File = syn::parse2(head.iter().cloned().collect()).ok()?;
        chunks.push(prettyplease::unparse(&file));
    }
    for item in items {
        let item: syn::Item = syn::parse2(item.iter().cloned().collect()).ok()?;
        chunks.push(prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items: vec![item] }));
    }
    Some(chunks)
}

/// Splits a file's tokens into its leading inner attributes (`#![doc = ...]`) and its top-level
/// items. `None` where an item is of a kind the split does not know (a macro call, say), for the
/// caller to take the plain path.
///
/// Angle brackets are not groups in a token stream, so an item's end is found from its kind:
/// `use`, `static`, `const` and `type` items end at their `;` (their values and paths may hold
/// braces: `use a::{b, c};`), the others (`struct`, `enum`, `fn`, `impl`, `mod`, `trait`) at
/// their `;` or their body, whichever comes first (`struct A;`, `struct A(u8);`, `mod a;`).
fn split_items(trees: &[TokenTree]) -> Option<(&[TokenTree], Vec<&[TokenTree]>)> {
    let mut at = 0;
    // Inner attributes: `#` `!` `[...]`.
    while let (Some(TokenTree::Punct(hash)), Some(TokenTree::Punct(bang)), Some(TokenTree::Group(group))) =
        (trees.get(at), trees.get(at + 1), trees.get(at + 2))
    {
        if hash.as_char() != '#' || bang.as_char() != '!' || group.delimiter() != Delimiter::Bracket {
            break;
        }
        at += 3;
    }
    let head = &trees[..at];
    let mut items = Vec::new();
    while at < trees.len() {
        let start = at;
        let ends_at_body = match item_keyword(&trees[at..])?.as_str() {
            "use" | "static" | "const" | "type" => false,
            "struct" | "enum" | "union" | "fn" | "impl" | "mod" | "trait" => true,
            _ => return None,
        };
        loop {
            let tree = trees.get(at)?;
            at += 1;
            match tree {
                TokenTree::Punct(p) if p.as_char() == ';' => break,
                TokenTree::Group(g) if ends_at_body && g.delimiter() == Delimiter::Brace => break,
                _ => {}
            }
        }
        items.push(&trees[start..at]);
    }
    Some((head, items))
}

/// The keyword that says what an item is, after its outer attributes, its visibility and its
/// qualifiers (`const fn` is a function).
fn item_keyword(trees: &[TokenTree]) -> Option<String> {
    let mut at = 0;
    loop {
        match trees.get(at)? {
            // `#[...]`
            TokenTree::Punct(p) if p.as_char() == '#' => at += 2,
            // `pub(crate)`: the group after `pub`.
            TokenTree::Group(g) if g.delimiter() == Delimiter::Parenthesis => at += 1,
            // `extern "C"`
            TokenTree::Literal(_) => at += 1,
            TokenTree::Ident(ident) => {
                let word = ident.to_string();
                let next_is_fn = matches!(trees.get(at + 1), Some(TokenTree::Ident(n)) if n == "fn" || n == "unsafe" || n == "async" || n == "extern");
                match word.as_str() {
                    "pub" | "unsafe" | "async" | "extern" | "default" => at += 1,
                    "const" if next_is_fn => at += 1,
                    _ => return Some(word),
                }
            }
            _ => return None,
        }
    }
}

/// The plain path: the whole file parsed at once, then formatted item by item.
fn format_file(tokens: TokenStream) -> Result<Vec<String>, String> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| format!("generated tokens are not valid Rust ({e}); this is a bug in the generator"))?;
    // prettyplease sets items flush against each other; a blank line between top-level items
    // reads better, so each is formatted on its own.
    let mut chunks = Vec::with_capacity(file.items.len() + 1);
    if !file.attrs.is_empty() {
        let head = syn::File { shebang: None, attrs: file.attrs, items: Vec::new() };
        chunks.push(prettyplease::unparse(&head));
    }
    for item in file.items {
        let single = syn::File { shebang: None, attrs: Vec::new(), items: vec![item] };
        chunks.push(prettyplease::unparse(&single));
    }
    Ok(chunks)
}

/// One trailing newline, `\n` line endings, no trailing spaces.
pub fn normalise(text: &str) -> String {
    let mut out: String = text.lines().map(|l| l.trim_end()).collect::<Vec<_>>().join("\n");
    while out.ends_with('\n') {
        out.pop();
    }
    out.push('\n');
    out
}

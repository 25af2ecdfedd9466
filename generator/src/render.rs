//! Render: formats emitted tokens with `prettyplease` (pinned by `Cargo.lock`, so output does
//! not depend on the machine's rustfmt), adds the generated-file header and normalises line
//! endings.
//!
//! Items are parsed and formatted one at a time: parsing a whole 9 MB file at once (Stripe's
//! `types.rs`) builds one huge token buffer and syntax tree, which is slower than the same
//! items one by one, and holds far more memory.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// Formats a Rust file. Fails only if the emitter produced tokens that are not a Rust file,
/// which is a generator bug; the message says so.
pub fn render_rust(tokens: TokenStream, header: &str) -> Result<String, String> {
    Ok(assemble(header, &format_chunks(tokens)?))
}

/// The formatted chunks of a Rust file: its inner attributes, if any, then each item.
/// [`assemble`] joins them into the file.
fn format_chunks(tokens: TokenStream) -> Result<Vec<String>, String> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    match split_items(&trees) {
        Some((head, items)) => format_items(trees, head, &items),
        None => format_file(trees.into_iter().collect()),
    }
}

/// A Rust file from its formatted chunks, in order: the header, then the chunks with a blank
/// line between them, and between the members of each `impl`, `trait` and `mod` in them.
fn assemble(header: &str, chunks: &[String]) -> String {
    let body: Vec<String> = chunks.iter().map(|c| space_members(c.trim_end())).collect();
    normalise(&format!("// {header}\n\n{}", body.join("\n\n")))
}

/// `chunk` (one item, as prettyplease formats it) with a blank line between the members of
/// every `impl`, `trait` and `mod` block in it, nested ones included: prettyplease sets them
/// flush against each other, which reads poorly once each has its doc comment.
///
/// This works on prettyplease's layout, which is regular: a block's members start at its
/// indentation plus four spaces, and each ends with a line at that indentation that ends in
/// `}` or `;` (a body's closing brace, `type X = Y;`); anything longer is at a deeper
/// indentation. Function bodies are left alone: their statements are not members.
fn space_members(chunk: &str) -> String {
    let lines: Vec<&str> = chunk.lines().collect();
    let mut out = Vec::with_capacity(lines.len() + lines.len() / 4);
    space_block(&lines, 0, &mut out);
    out.join("\n")
}

/// Copies `lines`, the items of a block at `indent`, to `out`, with a blank line between
/// them and the members of the containers among them spaced the same way.
fn space_block<'a>(lines: &[&'a str], indent: usize, out: &mut Vec<&'a str>) {
    let mut at = 0;
    while at < lines.len() {
        // One item: from its first line (attributes and docs included) to the line at this
        // indentation that ends it.
        let start = at;
        while at + 1 < lines.len() && !ends_item(lines[at], indent) {
            at += 1;
        }
        let item = &lines[start..=at];
        // A container's block opens at the first line at this indentation that ends in `{`
        // from its keyword on (a `where` clause may come between), and closes at its last.
        let open = item.iter().position(|line| at_indent(line, indent).is_some_and(is_container)).and_then(|keyword| {
            (keyword..item.len()).find(|&k| at_indent(item[k], indent).is_some_and(|t| t.ends_with('{')))
        });
        match open {
            Some(open) if open + 1 < item.len() => {
                out.extend_from_slice(&item[..=open]);
                space_block(&item[open + 1..item.len() - 1], indent + 4, out);
                out.push(item[item.len() - 1]);
            }
            _ => out.extend_from_slice(item),
        }
        at += 1;
        if at < lines.len() {
            out.push("");
        }
    }
}

/// The text of `line` if it is at exactly `indent`.
fn at_indent(line: &str, indent: usize) -> Option<&str> {
    let text = line.trim_start_matches(' ');
    (line.len() - text.len() == indent).then_some(text)
}

/// Whether `line`, at exactly `indent`, ends an item there: a closing brace or a semicolon
/// (a comment that happens to end in one does not).
fn ends_item(line: &str, indent: usize) -> bool {
    at_indent(line, indent).is_some_and(|text| !text.starts_with("//") && (text.ends_with('}') || text.ends_with(';')))
}

/// Whether `text` begins an `impl`, `trait` or `mod` (after its visibility and `unsafe`).
fn is_container(text: &str) -> bool {
    let mut words = text.split_whitespace().skip_while(|w| w.starts_with("pub") || *w == "unsafe");
    matches!(words.next(), Some(word) if word == "impl" || word.starts_with("impl<") || word == "trait" || word == "mod")
}

/// Parses and formats the inner attributes (the first `head` trees) and each item (the next
/// `items[0]` trees, and so on). The trees are moved into each item's parse, not copied, and
/// each item's are freed once it is formatted: the next items reuse their memory, where copies
/// kept to the end of the file would have held a large file's tokens twice.
fn format_items(trees: Vec<TokenTree>, head: usize, items: &[usize]) -> Result<Vec<String>, String> {
    let mut trees = trees.into_iter();
    let mut chunks = Vec::with_capacity(items.len() + 1);
    if head > 0 {
        let file: syn::File = syn::parse2(trees.by_ref().take(head).collect()).map_err(unparsable)?;
        chunks.push(prettyplease::unparse(&file));
    }
    for &length in items {
        chunks.push(format_item(trees.by_ref().take(length).collect(), &[])?);
    }
    Ok(chunks)
}

fn unparsable(e: syn::Error) -> String {
    format!("generated tokens are not valid Rust ({e}); this is a bug in the generator")
}

/// A block an item is formatted inside: `mod` or `impl`, whose members prettyplease sets one
/// level deeper.
#[derive(Clone, Copy)]
enum Block {
    Mod,
    Impl,
}

/// A `mod` or `impl` of at least this many members is formatted member by member.
const SPLIT_MEMBERS: usize = 16;

/// One item, formatted as prettyplease sets it inside the blocks `within` (outermost first).
///
/// A large `mod` or `impl` (a client's `impl Client` holds every operation's method) is
/// formatted member by member, as a file is item by item, and for the same reason: one parse of
/// it all builds a syntax tree of tens of megabytes. The text is what prettyplease makes of the
/// whole block. Its members are set one under the other, each laid out on its own at the
/// block's indentation; the header's lines are laid out before the forced line break that
/// follows `{`, and so are the same whatever the members are: [`format_within`] makes them
/// with one short member in place of all.
fn format_item(trees: Vec<TokenTree>, within: &[Block]) -> Result<String, String> {
    let block = match item_keyword(&trees).as_deref() {
        Some("mod") => Some(Block::Mod),
        Some("impl") => Some(Block::Impl),
        _ => None,
    };
    let (Some(block), Some(TokenTree::Group(body))) = (block, trees.last()) else {
        return format_within(trees.into_iter().collect(), within);
    };
    let members: Vec<TokenTree> = body.stream().into_iter().collect();
    let split = match split_items(&members) {
        Some((0, lengths)) if body.delimiter() == Delimiter::Brace && lengths.len() >= SPLIT_MEMBERS => lengths,
        _ => return format_within(trees.into_iter().collect(), within),
    };
    // The header: the block with one member that takes one line, which is then dropped with
    // the closing brace.
    let placeholder = match block {
        Block::Mod => quote::quote! { use placeholder; },
        Block::Impl => quote::quote! { const PLACEHOLDER: u8 = 0; },
    };
    let mut header = trees;
    header.pop();
    header.push(TokenTree::Group(proc_macro2::Group::new(Delimiter::Brace, placeholder)));
    let mut text = without_lines(&format_within(header.into_iter().collect(), within)?, 0, 2);
    let inner: Vec<Block> = within.iter().copied().chain([block]).collect();
    let mut members = members.into_iter();
    for length in split {
        text.push_str(&format_item(members.by_ref().take(length).collect(), &inner)?);
    }
    text.push_str(&"    ".repeat(within.len()));
    text.push_str("}\n");
    Ok(text)
}

/// `item` formatted by prettyplease inside the blocks `within`: parsed inside stand-ins for
/// them (`mod a { impl A { item } }`), whose own lines are then dropped.
fn format_within(item: TokenStream, within: &[Block]) -> Result<String, String> {
    let mut tokens = item;
    for block in within.iter().rev() {
        tokens = match block {
            Block::Mod => quote::quote!(mod within { #tokens }),
            Block::Impl => quote::quote!(impl Within { #tokens }),
        };
    }
    let item: syn::Item = syn::parse2(tokens).map_err(unparsable)?;
    let text = prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items: vec![item] });
    if within.is_empty() {
        return Ok(text);
    }
    Ok(without_lines(&text, within.len(), within.len()))
}

/// `text` without its first `first` and last `last` lines, each line ending in `\n`.
fn without_lines(text: &str, first: usize, last: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let kept = lines.get(first..lines.len().saturating_sub(last)).unwrap_or_default();
    let mut out = kept.join("\n");
    out.push('\n');
    out
}

/// Splits a file's tokens into its leading inner attributes (`#![doc = ...]`) and its top-level
/// items, as the number of trees of each. `None` where an item is of a kind the split does not know (a macro call, say), for the
/// caller to take the plain path.
///
/// Angle brackets are not groups in a token stream, so an item's end is found from its kind:
/// `use`, `static`, `const` and `type` items end at their `;` (their values and paths may hold
/// braces: `use a::{b, c};`), the others (`struct`, `enum`, `fn`, `impl`, `mod`, `trait`) at
/// their `;` or their body, whichever comes first (`struct A;`, `struct A(u8);`, `mod a;`).
fn split_items(trees: &[TokenTree]) -> Option<(usize, Vec<usize>)> {
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
    let head = at;
    let mut items = Vec::new();
    while at < trees.len() {
        let start = at;
        let ends_at_body = match item_keyword(&trees[at..])?.as_str() {
            "use" | "static" | "const" | "type" => false,
            // `macro_rules! name { ... }`, or a macro called as an item: `name!(...);` or
            // `name! { ... }`.
            "struct" | "enum" | "union" | "fn" | "impl" | "mod" | "trait" | "!" => true,
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
        items.push(at - start);
    }
    Some((head, items))
}

/// The keyword that says what an item is, after its outer attributes, its visibility and its
/// qualifiers (`const fn` is a function); `!` for a macro (`macro_rules!` and calls).
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
                // A macro called by its path: `name!`, `module::name!`.
                let mut end = at + 1;
                while let (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)), Some(TokenTree::Ident(_))) =
                    (trees.get(end), trees.get(end + 1), trees.get(end + 2))
                {
                    if a.as_char() != ':' || b.as_char() != ':' {
                        break;
                    }
                    end += 3;
                }
                if matches!(trees.get(end), Some(TokenTree::Punct(bang)) if bang.as_char() == '!') {
                    return Some("!".to_owned());
                }
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
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("generated tokens are not valid Rust ({e}); this is a bug in the generator"))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn members_of_impls_traits_and_mods_are_spaced_and_bodies_are_not() {
        let chunk = "\
/// A thing.
impl<T> Thing<T>
where
    T: Clone,
{
    /// New; with a semicolon.
    pub fn new() -> Self {
        let a = 1;
        let b = 2;
        Self {}
    }
    type Alias = Vec<
        T,
    >;
    #[inline]
    fn empty() {}
}";
        let expected = "\
/// A thing.
impl<T> Thing<T>
where
    T: Clone,
{
    /// New; with a semicolon.
    pub fn new() -> Self {
        let a = 1;
        let b = 2;
        Self {}
    }

    type Alias = Vec<
        T,
    >;

    #[inline]
    fn empty() {}
}";
        assert_eq!(space_members(chunk), expected);
        let module = "pub mod inner {\n    use super::*;\n    pub trait T {\n        fn a();\n        fn b();\n    }\n    impl T for X {}\n}";
        assert_eq!(
            space_members(module),
            "pub mod inner {\n    use super::*;\n\n    pub trait T {\n        fn a();\n\n        fn b();\n    }\n\n    impl T for X {}\n}"
        );
        // Not containers: their lines stay as they are.
        for flush in
            ["fn f() {\n    a();\n    b();\n}", "pub struct S {\n    pub a: u8,\n}", "mod declared;", "impl X for Y {}"]
        {
            assert_eq!(space_members(flush), flush);
        }
    }

    /// Formatting a large block member by member gives exactly what prettyplease makes of the
    /// whole: headers that wrap (generics, `where`), members that wrap at the margin one level
    /// or two deeper, a block within a block, and a small block left whole.
    #[test]
    fn large_blocks_are_formatted_member_by_member_as_prettyplease_formats_them_whole() {
        let methods: Vec<TokenStream> = (0..SPLIT_MEMBERS)
            .map(|i| {
                let name = quote::format_ident!("operation_with_a_rather_long_name_{i}");
                quote! {
                    /// A method.
                    pub async fn #name(&self, first_argument: SomeLongTypeName, second_argument: Option<AnotherLongTypeName>) -> Result<Response, Error> {
                        self.send(first_argument, second_argument, "a literal long enough to wrap the call").await
                    }
                }
            })
            .collect();
        let file = quote! {
            /// The client.
            impl<'de, T: serde::Deserialize<'de> + Clone + std::fmt::Debug> VeryLongClientTypeNameThatWrapsTheHeader<T> where T: Send + Sync + 'static {
                #( #methods )*
            }
            mod outer {
                use super::*;
                #( #methods )*
                pub(super) mod inner {
                    use super::*;
                    impl Client {
                        #( #methods )*
                    }
                    impl Small { fn one() {} }
                }
            }
        };
        let whole = prettyplease::unparse(&syn::parse2(file.clone()).expect("the test's tokens are a file"));
        let trees: Vec<TokenTree> = file.into_iter().collect();
        let (head, items) = split_items(&trees).expect("items of known kinds");
        let split = format_items(trees, head, &items).expect("formats").concat();
        assert_eq!(split, whole);
        // The blocks were split indeed: the header's wrapping survives the placeholder.
        assert!(
            whole.contains("VeryLongClientTypeNameThatWrapsTheHeader<T>\nwhere\n    T: Send + Sync + 'static,\n{\n")
        );
        assert!(whole.contains("        impl Client {\n            /// A method.\n"));
    }

    #[test]
    fn macros_are_items_of_their_own() {
        let tokens: Vec<TokenTree> = quote::quote! {
            use a::b;
            macro_rules! m { ($t:ident) => { impl X for $t {} }; }
            #[cfg(feature = "f")]
            m!(A);
            m! { B }
            a::b::m!(C);
            fn f() {}
        }
        .into_iter()
        .collect();
        let (head, items) = split_items(&tokens).expect("every item is of a kind the split knows");
        assert_eq!(head, 0);
        let mut at = 0;
        let shown: Vec<String> = items
            .iter()
            .map(|&length| {
                at += length;
                tokens[at - length..at].iter().cloned().collect::<TokenStream>().to_string()
            })
            .collect();
        assert_eq!(
            shown,
            [
                "use a :: b ;",
                "macro_rules ! m { ($ t : ident) => { impl X for $ t { } } ; }",
                "# [cfg (feature = \"f\")] m ! (A) ;",
                "m ! { B }",
                "a :: b :: m ! (C) ;",
                "fn f () { }",
            ]
        );
    }
}

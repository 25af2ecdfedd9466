//! Render: formats emitted tokens with `prettyplease` (pinned by `Cargo.lock`, so output does
//! not depend on the machine's rustfmt), adds the generated-file header and normalises line
//! endings.

use proc_macro2::TokenStream;

/// Formats a Rust file. Fails only if the emitter produced tokens that are not a Rust file,
/// which is a generator bug; the message says so.
pub fn render_rust(tokens: TokenStream, header: &str) -> Result<String, String> {
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
    let body: Vec<&str> = chunks.iter().map(|c| c.trim_end()).collect();
    Ok(normalise(&format!("// {header}\n\n{}", body.join("\n\n"))))
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

//! Diagnostics: what the generator could not express, or had to decide, with where in the spec.
//!
//! Every phase reports problems here instead of panicking or skipping silently. A diagnostic
//! carries the JSON Pointer (RFC 6901, as a URI fragment) of the construct it is about, so a
//! user can find it in the spec.

use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Nothing is wrong, and the output is faithful; how it meets the spec is worth knowing
    /// (a value generator that filters with the validator where it cannot construct).
    Note,
    /// Generation carried on and the output is faithful, but a decision was made that the
    /// user should know about (for example a `format` typed as `String` because the spec's
    /// own example does not parse).
    Warning,
    /// Something in the spec could not be expressed. Generation carried on where that is
    /// sound; the affected item is named.
    Error,
}

/// One problem found in a spec, with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// JSON Pointer of the construct, as a URI fragment (`#/components/schemas/Pet`).
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{level}: {}: {}", self.pointer, self.message)
    }
}

/// Collects diagnostics during one phase; phases hand it on rather than returning early.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
    /// Errors a later phase finds and reports itself (see [`Diagnostics::deferred_error`]).
    deferred: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn note(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Note, pointer.into(), message.into());
    }

    pub fn warning(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Warning, pointer.into(), message.into());
    }

    pub fn error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Error, pointer.into(), message.into());
    }

    fn push(&mut self, severity: Severity, pointer: String, message: String) {
        let diagnostic = Diagnostic { severity, pointer, message };
        // The same construct can be reached twice (a schema referenced from two places);
        // report it once.
        if !self.items.contains(&diagnostic) {
            self.items.push(diagnostic);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }

    /// An error that a later phase finds again and reports itself, noted now because this
    /// phase may fail for another reason and stop the run: a failed phase reports it with its
    /// own errors ([`Diagnostics::into_vec_with_deferred`]), so a user fixes the file in one
    /// go rather than once per phase. It does not make this phase fail.
    pub fn deferred_error(&mut self, pointer: impl Into<String>, message: impl Into<String>) {
        let diagnostic = Diagnostic { severity: Severity::Error, pointer: pointer.into(), message: message.into() };
        if !self.deferred.contains(&diagnostic) {
            self.deferred.push(diagnostic);
        }
    }

    /// The diagnostics, then the deferred errors: what a failed phase reports.
    pub fn into_vec_with_deferred(mut self) -> Vec<Diagnostic> {
        self.items.append(&mut self.deferred);
        self.items
    }
}

/// Appends one reference token to a JSON Pointer, escaping `~` and `/` as RFC 6901 requires.
pub fn pointer_join(base: &str, token: &str) -> String {
    let mut pointer = String::with_capacity(base.len() + token.len() + 1);
    pointer.push_str(base);
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
    pointer
}

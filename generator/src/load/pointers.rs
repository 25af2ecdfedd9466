//! Load: where each node of the normalised document came from.
//!
//! Normalising moves nodes (Swagger 2.0's `definitions` become `components/schemas`, a body
//! parameter becomes a request body, a schema from another file is bundled into this one), but
//! diagnostics and doc comments must point into the files as their authors wrote them. Each
//! step that moves nodes records, in a [`PointerMap`], the new pointer of every moved subtree
//! and where it was; a pointer below a recorded one is translated by its longest recorded
//! prefix. The maps of successive steps are stacked in [`Origins`] and read back from the last.

use std::collections::HashMap;

/// One normalising step's moves: new pointer -> where the subtree was before the step.
#[derive(Debug, Clone, Default)]
pub struct PointerMap {
    // A `HashMap` is only looked up here, never iterated, so output does not depend on it.
    moved: HashMap<String, String>,
}

impl PointerMap {
    /// Records that the subtree now at `now` was at `was` (a `#/...` pointer, or
    /// `file#/...` for a node bundled from another file).
    pub fn insert(&mut self, now: impl Into<String>, was: impl Into<String>) {
        self.moved.insert(now.into(), was.into());
    }

    /// Where `pointer` was before this step: the longest recorded prefix (at a token
    /// boundary) replaced by its origin, or `None` if nothing above it moved.
    pub(crate) fn before(&self, pointer: &str) -> Option<String> {
        if self.moved.is_empty() {
            return None;
        }
        let mut end = pointer.len();
        loop {
            let prefix = &pointer[..end];
            if let Some(was) = self.moved.get(prefix) {
                return Some(format!("{was}{}", &pointer[end..]));
            }
            end = prefix.rfind('/')?;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.moved.is_empty()
    }
}

/// Every step's [`PointerMap`], in the order the steps ran.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    steps: Vec<PointerMap>,
}

impl Origins {
    pub(crate) fn push(&mut self, step: PointerMap) {
        if !step.is_empty() {
            self.steps.push(step);
        }
    }

    /// Where a pointer of the normalised document is in the file as written: `#/...` in the
    /// spec itself, `other.yaml#/...` in a file it refers to.
    pub fn original(&self, pointer: &str) -> String {
        let mut at = pointer.to_owned();
        for step in self.steps.iter().rev() {
            // A pointer into another file (`common.yaml#/...`) was placed by bundling, the
            // first step; later steps never moved it.
            if !at.starts_with('#') {
                break;
            }
            if let Some(was) = step.before(&at) {
                at = was;
            }
        }
        at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_prefix_at_a_token_boundary_wins() {
        let mut step = PointerMap::default();
        step.insert("#/components/schemas", "#/definitions");
        step.insert("#/components/schemas/Pet/allOf/0", "#/definitions/Pet");
        let mut origins = Origins::default();
        origins.push(step);
        assert_eq!(origins.original("#/components/schemas/Tag/properties/a"), "#/definitions/Tag/properties/a");
        assert_eq!(origins.original("#/components/schemas/Pet/allOf/0/$ref"), "#/definitions/Pet/$ref");
        assert_eq!(origins.original("#/components/schemasX"), "#/components/schemasX");
        assert_eq!(origins.original("#/paths"), "#/paths");
    }

    #[test]
    fn steps_are_read_back_from_the_last() {
        let mut bundle = PointerMap::default();
        bundle.insert("#/definitions/Error", "common.yaml#/definitions/Error");
        let mut convert = PointerMap::default();
        convert.insert("#/components/schemas", "#/definitions");
        let mut origins = Origins::default();
        origins.push(bundle);
        origins.push(convert);
        assert_eq!(
            origins.original("#/components/schemas/Error/properties/code"),
            "common.yaml#/definitions/Error/properties/code"
        );
        assert_eq!(origins.original("#/components/schemas/Pet"), "#/definitions/Pet");
    }
}

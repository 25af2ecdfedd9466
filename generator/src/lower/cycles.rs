//! Breaks cycles through type aliases, which Rust cannot express and emitting cannot follow.
//!
//! A type alias is expanded wherever it is used: `pub type A = Vec<A>;` is refused by rustc
//! ("cycle detected when expanding type alias"), and the emitters inline an alias's type and
//! rules where it is used, so a cycle of aliases would recurse without end. Structs and unions
//! are where recursion belongs: they are named types, boxed where needed, and their rules are a
//! call to their own `Validate`.
//!
//! Specs do write such cycles: a schema whose `$ref` leads back to itself (`A: {$ref: B}`,
//! `B: {$ref: A}`, or a property `{$ref: '#/.../properties/self'}`), or an array or a map of
//! itself (`A: {type: array, items: {$ref: A}}`). Every edge that closes a cycle (found by a
//! depth-first walk in arena order, so the result is deterministic) is cut, with a diagnostic:
//! a reference in the alias's type becomes any JSON value, and a reference in its rules is
//! dropped (the value is still checked down to the point where the recursion starts).

use crate::diag::Diagnostics;
use crate::model::{Primitive, Rules, TypeDef, TypeKind, TypeRef};

/// An edge from an alias to another alias: the `index`-th named reference, in walking order,
/// of its type (`in_type`) or of its rules.
#[derive(Clone, Copy)]
struct Edge {
    target: usize,
    in_type: bool,
    index: usize,
}

/// Cuts every alias-to-alias edge that closes a cycle; see the module docs.
pub(super) fn break_alias_cycles(types: &mut [TypeDef], diags: &mut Diagnostics) {
    let is_alias: Vec<bool> = types.iter().map(|t| matches!(t.kind, TypeKind::Alias(_))).collect();
    let edges_of = |def: &TypeDef| -> Vec<Edge> {
        let TypeKind::Alias(target) = &def.kind else { return Vec::new() };
        let mut in_type = Vec::new();
        type_refs(target, &mut in_type);
        let mut in_rules = Vec::new();
        rule_refs(&def.rules, &mut in_rules);
        let in_type = in_type.into_iter().enumerate().map(|(index, target)| Edge { target, in_type: true, index });
        let in_rules = in_rules.into_iter().enumerate().map(|(index, target)| Edge { target, in_type: false, index });
        in_type.chain(in_rules).filter(|e| is_alias.get(e.target).copied().unwrap_or(false)).collect()
    };
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnStack,
        Done,
    }
    let mut mark = vec![Mark::New; types.len()];
    let mut cuts: Vec<(usize, Edge)> = Vec::new();
    for start in 0..types.len() {
        if mark[start] != Mark::New || !is_alias[start] {
            continue;
        }
        // An explicit stack: alias chains can be as long as the spec has schemas.
        let mut stack: Vec<(usize, Vec<Edge>, usize)> = vec![(start, edges_of(&types[start]), 0)];
        mark[start] = Mark::OnStack;
        while let Some((node, edges, next)) = stack.last_mut() {
            let Some(&edge) = edges.get(*next) else {
                mark[*node] = Mark::Done;
                stack.pop();
                continue;
            };
            *next += 1;
            let node = *node;
            match mark[edge.target] {
                Mark::OnStack => cuts.push((node, edge)),
                Mark::Done => {}
                Mark::New => {
                    mark[edge.target] = Mark::OnStack;
                    stack.push((edge.target, edges_of(&types[edge.target]), 0));
                }
            }
        }
    }
    // Cut the later occurrences of a type first, so that the indices of the earlier ones
    // still hold.
    cuts.sort_by_key(|(node, edge)| (*node, !edge.in_type, std::cmp::Reverse(edge.index)));
    let mut reported = Vec::new();
    for (node, edge) in cuts {
        let through =
            if edge.target == node { String::new() } else { format!(" (through `{}`)", types[edge.target].name) };
        let def = &mut types[node];
        let (name, pointer) = (def.name.clone(), def.doc.pointer.clone());
        let message = if edge.in_type {
            let TypeKind::Alias(ty) = &mut def.kind else { continue };
            let pure = matches!(strip(ty), TypeRef::Named(_));
            cut_type_ref(ty, &mut edge.index.clone());
            if pure {
                diags.error(
                    &pointer,
                    format!("`$ref`s from here lead back here{through} without ever reaching a schema; typed as any JSON value"),
                );
                reported.push(node);
                continue;
            }
            format!("`{name}` contains itself{through} with no object in between, which a Rust type alias cannot express; the inner reference is typed as any JSON value, and validation checks the value down to there")
        } else {
            cut_rule_ref(&mut def.rules, &mut edge.index.clone());
            format!("the rules of `{name}` lead back to themselves{through} with no object in between; the value is checked down to there, not recursively")
        };
        // One word per alias: its type's cut says what its rules' would.
        if !reported.contains(&node) {
            diags.warning(&pointer, message);
            reported.push(node);
        }
    }
}

fn strip(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Nullable(inner) | TypeRef::Boxed(inner) => strip(inner),
        other => other,
    }
}

/// The named types `ty` mentions, in walking order.
fn type_refs(ty: &TypeRef, out: &mut Vec<usize>) {
    match ty {
        TypeRef::Named(id) => out.push(id.0),
        TypeRef::Nullable(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
            type_refs(inner, out)
        }
        TypeRef::Primitive(_) => {}
    }
}

/// Replaces the `index`-th named type of [`type_refs`] with any JSON value.
fn cut_type_ref(ty: &mut TypeRef, index: &mut usize) -> bool {
    match ty {
        TypeRef::Named(_) if *index == 0 => {
            *ty = TypeRef::Primitive(Primitive::Value);
            true
        }
        TypeRef::Named(_) => {
            *index -= 1;
            false
        }
        TypeRef::Nullable(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
            cut_type_ref(inner, index)
        }
        TypeRef::Primitive(_) => false,
    }
}

/// The types the rules refer to, in walking order: a node's own reference, then its
/// subschemas' in the order of [`Rules::children`].
fn rule_refs(rules: &Rules, out: &mut Vec<usize>) {
    out.extend(rules.reference.map(|id| id.0));
    for child in rules.children() {
        rule_refs(child, out);
    }
}

/// Drops the `index`-th reference of [`rule_refs`]; true once it is dropped.
fn cut_rule_ref(rules: &mut Rules, index: &mut usize) -> bool {
    if rules.reference.is_some() {
        if *index == 0 {
            rules.reference = None;
            return true;
        }
        *index -= 1;
    }
    for child in rules.children_mut() {
        if cut_rule_ref(child, index) {
            return true;
        }
    }
    false
}

//! The arena's final shape, once every schema is lowered: the types put in emission order
//! (every reference renumbered) and the references boxed that recursion would make infinitely
//! large. Cycles through aliases, which no box can fix, are [`super::cycles`]'.

use std::collections::BTreeSet;

use crate::model::{Operation, Rules, TypeDef, TypeId, TypeKind, TypeRef};

/// Puts the arena in `order` (a permutation of its ids), renumbering every reference to it
/// from the types, the component `schemas` and the `operations`, and boxes the fields and
/// variants that need a box (see [`box_recursive_fields`], [`box_struct_variants`]).
pub(super) fn arrange(
    types: Vec<TypeDef>,
    order: &[TypeId],
    schemas: &mut [(String, TypeRef)],
    operations: &mut [Operation],
) -> Vec<TypeDef> {
    let new_id = new_ids(order, types.len());
    let mut types = reorder(types, order);
    box_recursive_fields(&mut types);
    box_struct_variants(&mut types);
    for (_, ty) in schemas.iter_mut() {
        renumber(ty, &new_id);
    }
    for operation in operations {
        let bodies = operation.json_body.iter_mut().map(|b| &mut b.ty);
        let forms = operation.form_bodies.iter_mut().map(|f| &mut f.ty);
        let parameters = operation.parameters.iter_mut().map(|p| &mut p.ty);
        let responses = operation.responses.iter_mut().filter_map(|r| r.body.as_mut());
        let stream = operation.stream.iter_mut().filter_map(|s| s.item.as_mut());
        for ty in bodies.chain(forms).chain(parameters).chain(responses).chain(stream) {
            renumber(ty, &new_id);
        }
        for parameter in &mut operation.parameters {
            renumber_rules(&mut parameter.rules, &new_id);
        }
    }
    types
}

/// For each old id, its position in `order`.
fn new_ids(order: &[TypeId], len: usize) -> Vec<usize> {
    let mut new_id = vec![0; len];
    for (new, old) in order.iter().enumerate() {
        new_id[old.0] = new;
    }
    new_id
}

/// Permutes the arena into `order` (a permutation of its ids) and renumbers every reference.
fn reorder(types: Vec<TypeDef>, order: &[TypeId]) -> Vec<TypeDef> {
    let new_id = new_ids(order, types.len());
    let mut slots: Vec<Option<TypeDef>> = types.into_iter().map(Some).collect();
    let mut out: Vec<TypeDef> = order.iter().filter_map(|old| slots[old.0].take()).collect();
    for def in &mut out {
        def_ids_mut(def, &mut |id| id.0 = new_id[id.0]);
    }
    out
}

fn renumber_rules(rules: &mut Rules, new_id: &[usize]) {
    rule_ids_mut(rules, &mut |id| id.0 = new_id[id.0]);
}

fn renumber(ty: &mut TypeRef, new_id: &[usize]) {
    type_ids_mut(ty, &mut |id| id.0 = new_id[id.0]);
}

/// Calls `f` on every reference to a type that `def` holds (its kind's, then its rules'), in a
/// fixed order.
pub(super) fn def_ids_mut(def: &mut TypeDef, f: &mut impl FnMut(&mut TypeId)) {
    match &mut def.kind {
        TypeKind::Struct(s) => {
            for field in &mut s.fields {
                type_ids_mut(&mut field.ty, f);
                rule_ids_mut(&mut field.rules, f);
            }
            if let Some((_, ty)) = &mut s.additional {
                type_ids_mut(ty, f);
            }
        }
        TypeKind::Union(variants) => {
            for variant in variants {
                type_ids_mut(&mut variant.ty, f);
                rule_ids_mut(&mut variant.rules, f);
            }
        }
        TypeKind::Alias(ty) => type_ids_mut(ty, f),
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
    }
    rule_ids_mut(&mut def.rules, f);
}

/// Calls `f` on every reference to a type in `ty`.
fn type_ids_mut(ty: &mut TypeRef, f: &mut impl FnMut(&mut TypeId)) {
    match ty {
        TypeRef::Named(id) => f(id),
        TypeRef::Nullable(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
            type_ids_mut(inner, f)
        }
        TypeRef::Primitive(_) => {}
    }
}

/// Calls `f` on every reference to a type in `rules` and their subschemas'.
fn rule_ids_mut(rules: &mut Rules, f: &mut impl FnMut(&mut TypeId)) {
    if let Some(id) = &mut rules.reference {
        f(id);
    }
    for sub in rules.children_mut() {
        rule_ids_mut(sub, f);
    }
}

/// Boxes every field and variant that refers, without indirection through a `Vec` or a map,
/// to a type in its own strongly connected component: exactly the references that would make
/// a type infinitely large.
fn box_recursive_fields(types: &mut [TypeDef]) {
    let edges: Vec<BTreeSet<usize>> = types
        .iter()
        .map(|t| {
            let mut out = BTreeSet::new();
            for ty in direct_refs(&t.kind) {
                direct_targets(ty, &mut out);
            }
            out
        })
        .collect();
    let component = strongly_connected(&edges);
    for (i, def) in types.iter_mut().enumerate() {
        let boxes = |target: usize| component[target] == component[i] && (target != i || edges[i].contains(&i));
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    box_direct(&mut field.ty, &boxes);
                }
            }
            TypeKind::Union(variants) => {
                for variant in variants {
                    box_direct(&mut variant.ty, &boxes);
                }
            }
            _ => {}
        }
    }
}

/// Boxes every union variant that holds a struct: an enum is as large as its largest variant,
/// and a union of an id and an object (Stripe's expandable fields) would otherwise carry the
/// whole object inline wherever the id is all there is, kilobytes per field.
fn box_struct_variants(types: &mut [TypeDef]) {
    let is_struct: Vec<bool> = types.iter().map(|t| matches!(t.kind, TypeKind::Struct(_))).collect();
    for def in types.iter_mut() {
        if let TypeKind::Union(variants) = &mut def.kind {
            for variant in variants {
                box_direct(&mut variant.ty, &|target| is_struct[target]);
            }
        }
    }
}

fn direct_refs(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Union(v) => v.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) => vec![ty],
        TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => Vec::new(),
    }
}

fn direct_targets(ty: &TypeRef, out: &mut BTreeSet<usize>) {
    match ty {
        TypeRef::Named(id) => {
            out.insert(id.0);
        }
        TypeRef::Nullable(inner) => direct_targets(inner, out),
        TypeRef::Primitive(_) | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Boxed(_) => {}
    }
}

fn box_direct(ty: &mut TypeRef, boxes: &dyn Fn(usize) -> bool) {
    match ty {
        TypeRef::Named(id) if boxes(id.0) => {
            *ty = TypeRef::Boxed(Box::new(TypeRef::Named(*id)));
        }
        TypeRef::Nullable(inner) => box_direct(inner, boxes),
        _ => {}
    }
}

/// Tarjan's algorithm: the strongly connected component of every node, as an index.
fn strongly_connected(edges: &[BTreeSet<usize>]) -> Vec<usize> {
    struct State<'e> {
        edges: &'e [BTreeSet<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        component: Vec<usize>,
        components: usize,
    }
    fn visit(s: &mut State<'_>, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in s.edges[v].iter() {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(wi) if s.on_stack[w] => s.low[v] = s.low[v].min(wi),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                s.component[w] = s.components;
                if w == v {
                    break;
                }
            }
            s.components += 1;
        }
    }
    let n = edges.len();
    let mut state = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        component: vec![0; n],
        components: 0,
    };
    for v in 0..n {
        if state.index[v].is_none() {
            visit(&mut state, v);
        }
    }
    state.component
}

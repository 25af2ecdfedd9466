//! Groups: a large spec's operations split into cargo features, one per group, as
//! async-stripe splits Stripe by resource, so that a user of one corner of a huge API compiles
//! that corner alone (issue 14).
//!
//! An operation's group is its first tag; in a spec whose tags make fewer than two groups
//! (Stripe has none, Plaid tags everything `plaid`), the first segment of its path that is
//! neither a version (`v1`, `2010-04-01`) nor a parameter. Labels that clean to the same
//! feature name are one group. A feature compiles its operations' client methods, their
//! response enums and options structs, and the types its operations reach ([`closure`]:
//! through bodies, parameters, fields, union alternatives, aliases, items, map values and the
//! rules' references).
//!
//! A type is compiled where any feature that reaches it is on (`cfg(any(...))`), so a user of
//! one group compiles that group's types and no other's. Two kinds of type are compiled
//! whatever the features: those every group reaches (a `cfg(any)` of every group says nothing,
//! and the part of Stripe that its expandable fields tie together is reached by all 61),
//! and those an operation in no group reaches (one at `/`). Component schemas no operation
//! uses (webhook payloads, for one) are a feature of their own, [`UNUSED_SCHEMAS`], on by
//! default like the groups: without it, a user of one group of Plaid does not compile its
//! 239 webhook payloads. There is no `common` feature: every group would need it, and a
//! feature that cannot be turned off is no feature.
//!
//! A type's gate includes every gate of the types that use it (its users' groups reach it
//! through them), so no item is compiled without the types it names.
//!
//! A spec is split only when that buys something: with [`crate::Grouping::Auto`], at least
//! [`MIN_OPERATIONS`] operations in two groups or more. A crate built as one module for a
//! build script is never split: it has no `Cargo.toml` to declare features in.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{ApiModel, Feature, Gate, GroupedBy, Operation, Rules, TypeId, TypeKind, TypeRef};
use crate::naming;
use crate::Grouping;

/// The fewest operations a spec has for [`crate::Grouping::Auto`] to split it. Below it a
/// crate checks in a few seconds whole (the five seed specs have one operation each, the
/// petstore fixture 19), and a feature per tag would add `cfg` lines and save nothing.
pub const MIN_OPERATIONS: usize = 20;

/// The feature of the component schemas that no operation uses, in a crate split into groups.
pub const UNUSED_SCHEMAS: &str = "other_schemas";

/// Feature names a group never takes: the crate's own (`default`, `client`, `xml`,
/// [`UNUSED_SCHEMAS`]), the test kit's (`arbitrary`, `mock`), and `std`, which users expect to
/// mean what it does elsewhere. A group whose name would be one of them gets `_ops` after it.
pub const RESERVED_FEATURES: &[&str] = &["default", "client", "xml", UNUSED_SCHEMAS, "arbitrary", "mock", "std"];

/// Splits the model's operations into features per `grouping`: fills [`ApiModel::features`],
/// the `feature` of every operation in a group and the `gate` of every type.
pub fn assign(model: &mut ApiModel, grouping: Grouping) {
    let Some((by, labels)) = labels(&model.operations) else { return };
    // Groups by feature name, with their labels and operations, in name order.
    let mut groups: BTreeMap<String, (Vec<String>, Vec<usize>)> = BTreeMap::new();
    for (i, label) in labels.iter().enumerate() {
        let Some(label) = label else { continue };
        let (group_labels, ops) = groups.entry(feature_name(label)).or_default();
        if !group_labels.contains(label) {
            group_labels.push(label.clone());
        }
        ops.push(i);
    }
    let split = match grouping {
        Grouping::Never => false,
        Grouping::Always => groups.len() >= 2,
        Grouping::Auto => groups.len() >= 2 && model.operations.len() >= MIN_OPERATIONS,
    };
    if !split {
        return;
    }
    // Which groups reach each type, as indices into `groups` (in name order).
    let edges = edges(model);
    let mut reached_by: Vec<Vec<usize>> = vec![Vec::new(); model.types.len()];
    for (g, (_, ops)) in groups.values().enumerate() {
        let roots = ops.iter().flat_map(|&i| operation_roots(&model.operations[i]));
        for (i, reached) in reach(&edges, roots).into_iter().enumerate() {
            if reached {
                reached_by[i].push(g);
            }
        }
    }
    // What the component schemas no operation uses reach, and what is compiled whatever the
    // features: the roots of operations in no group, and everything those reach.
    let unused = reach(&edges, (0..model.types.len()).filter(|&i| reached_by[i].is_empty()).map(TypeId));
    let ungrouped =
        labels.iter().zip(&model.operations).filter(|(l, _)| l.is_none()).flat_map(|(_, op)| operation_roots(op));
    let always = reach(&edges, ungrouped);
    let names: Vec<&String> = groups.keys().collect();
    let gates: Vec<Gate> = reached_by
        .iter()
        .enumerate()
        .map(|(i, groups_reaching)| {
            if always[i] || groups_reaching.len() == groups.len() {
                return Gate::Always;
            }
            let mut features: BTreeSet<String> = groups_reaching.iter().map(|&g| names[g].clone()).collect();
            if unused[i] {
                features.insert(UNUSED_SCHEMAS.to_owned());
            }
            Gate::AnyOf(features)
        })
        .collect();
    for (def, gate) in model.types.iter_mut().zip(gates) {
        def.gate = gate;
    }
    let own_types = |model: &ApiModel, name: &str| model.types.iter().filter(|t| t.gate.is_only(name)).count();
    model.features = groups
        .into_iter()
        .map(|(name, (labels, ops))| {
            for &i in &ops {
                model.operations[i].feature = Some(name.clone());
            }
            let types = own_types(model, &name);
            Feature { name, labels, by, operations: ops.len(), types }
        })
        .collect();
    // The unused schemas' feature, where some type is behind it.
    let behind_unused = model.types.iter().any(|t| matches!(&t.gate, Gate::AnyOf(set) if set.contains(UNUSED_SCHEMAS)));
    if behind_unused {
        let types = own_types(model, UNUSED_SCHEMAS);
        model.features.push(Feature {
            name: UNUSED_SCHEMAS.to_owned(),
            labels: Vec::new(),
            by: GroupedBy::NoOperation,
            operations: 0,
            types,
        });
    }
}

/// Every type reachable from `roots` (the roots included): through struct fields and their
/// map of unknown properties, union alternatives, alias targets, array items and map values,
/// and the references in every rule (a field's `allOf` member, a `not`), since a validator
/// checks a value against those types too.
pub fn closure(model: &ApiModel, roots: impl IntoIterator<Item = TypeId>) -> BTreeSet<TypeId> {
    let reached = reach(&edges(model), roots);
    reached.into_iter().enumerate().filter(|(_, r)| *r).map(|(i, _)| TypeId(i)).collect()
}

/// Whether each type is reachable from `roots` along `edges` (the roots included).
fn reach(edges: &[Vec<TypeId>], roots: impl IntoIterator<Item = TypeId>) -> Vec<bool> {
    let mut seen = vec![false; edges.len()];
    let mut stack: Vec<TypeId> = roots.into_iter().collect();
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id.0], true) {
            continue;
        }
        stack.extend(edges[id.0].iter().filter(|next| !seen[next.0]));
    }
    seen
}

/// The types each type refers to directly, each once: what [`closure`] follows. A spec split
/// into many groups walks its types once per group (Stripe: 61 groups that nearly all reach
/// the same 3,000 types), so the references are collected once.
fn edges(model: &ApiModel) -> Vec<Vec<TypeId>> {
    model
        .types
        .iter()
        .map(|def| {
            let mut next = Vec::new();
            rule_types(&def.rules, &mut next);
            match &def.kind {
                TypeKind::Struct(s) => {
                    for field in &s.fields {
                        ref_types(&field.ty, &mut next);
                        rule_types(&field.rules, &mut next);
                    }
                    if let Some((_, ty)) = &s.additional {
                        ref_types(ty, &mut next);
                    }
                }
                TypeKind::Union(variants) => {
                    for variant in variants {
                        ref_types(&variant.ty, &mut next);
                        rule_types(&variant.rules, &mut next);
                    }
                }
                TypeKind::Alias(target) => ref_types(target, &mut next),
                TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => {}
            }
            next.sort_unstable();
            next.dedup();
            next
        })
        .collect()
}

/// The types an operation's client method names: its parameters', bodies' (JSON, forms,
/// bytes), responses' and stream's.
pub fn operation_roots(op: &Operation) -> Vec<TypeId> {
    let mut out = Vec::new();
    for parameter in &op.parameters {
        ref_types(&parameter.ty, &mut out);
        rule_types(&parameter.rules, &mut out);
    }
    if let Some(body) = &op.json_body {
        ref_types(&body.ty, &mut out);
    }
    for form in &op.form_bodies {
        ref_types(&form.ty, &mut out);
    }
    for body in op.responses.iter().filter_map(|r| r.body.as_ref()) {
        ref_types(body, &mut out);
    }
    if let Some(item) = op.stream.as_ref().and_then(|s| s.item.as_ref()) {
        ref_types(item, &mut out);
    }
    out
}

/// Each operation's group label, and what they are by: first tags where those make two
/// groups or more, else first path segments. `None` where there are no operations.
fn labels(operations: &[Operation]) -> Option<(GroupedBy, Vec<Option<String>>)> {
    if operations.is_empty() {
        return None;
    }
    let by_tag: Vec<Option<String>> =
        operations.iter().map(|op| op.tags.first().cloned().or_else(|| path_segment(&op.path))).collect();
    let tags: BTreeSet<String> = operations.iter().filter_map(|op| op.tags.first()).map(|t| feature_name(t)).collect();
    if tags.len() >= 2 {
        return Some((GroupedBy::Tag, by_tag));
    }
    Some((GroupedBy::PathSegment, operations.iter().map(|op| path_segment(&op.path)).collect()))
}

/// The first segment of `path` that is neither a parameter (`{id}`, `items{.format}`) nor a
/// version (`v1`, `V2`, `2010-04-01`, `1.0`; not `3d_secure`, a resource).
fn path_segment(path: &str) -> Option<String> {
    let is_version = |s: &str| {
        let number = s.strip_prefix(['v', 'V']).unwrap_or(s);
        number.starts_with(|c: char| c.is_ascii_digit())
            && number.chars().all(|c| c.is_ascii_digit() || ".-_".contains(c))
    };
    path.split('/').filter(|s| !s.is_empty() && !s.contains('{')).find(|s| !is_version(s)).map(str::to_owned)
}

/// The feature of a group label: its cleaned name, out of the way of [`RESERVED_FEATURES`].
fn feature_name(label: &str) -> String {
    let name = naming::feature_name(label, "other");
    if RESERVED_FEATURES.contains(&name.as_str()) {
        format!("{name}_ops")
    } else {
        name
    }
}

fn ref_types(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Nullable(inner) | TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Boxed(inner) => {
            ref_types(inner, out)
        }
        TypeRef::Primitive(_) => {}
    }
}

fn rule_types(rules: &Rules, out: &mut Vec<TypeId>) {
    out.extend(rules.reference);
    for child in rules.children() {
        rule_types(child, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `A` holds a `B` and a list of `C`; `B` is a union of `D` and a map of `E`; `F` is
    /// reached only through a rule (`not`) of `A`'s; `G` through an alias; `Lone` from nothing.
    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Closure, version: "1"}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        b: {$ref: "#/components/schemas/B"}
        cs: {type: array, items: {$ref: "#/components/schemas/C"}}
        name: {type: string, not: {$ref: "#/components/schemas/F"}}
        g: {$ref: "#/components/schemas/GAlias"}
    B:
      oneOf:
        - {$ref: "#/components/schemas/D"}
        - {type: object, additionalProperties: {$ref: "#/components/schemas/E"}}
    C: {type: object, properties: {back: {$ref: "#/components/schemas/A"}}}
    D: {type: object, required: [d], properties: {d: {type: integer}}}
    E: {type: string, enum: [x, y]}
    F: {type: string, enum: [forbidden]}
    GAlias: {$ref: "#/components/schemas/G"}
    G: {type: object, properties: {g: {type: boolean}}}
    Lone: {type: object, properties: {a: {$ref: "#/components/schemas/A"}}}
"##;

    fn model(text: &str, grouping: Grouping) -> ApiModel {
        let spec =
            crate::load(&crate::SpecSource { name: "closure.yaml".into(), text: text.into() }).expect("the spec loads");
        let (model, diagnostics) = crate::model_of(&spec, &crate::Options::new("closure").grouping(grouping));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        model
    }

    fn names(model: &ApiModel, ids: &BTreeSet<TypeId>) -> Vec<String> {
        let mut names: Vec<String> = ids.iter().map(|&id| model.type_def(id).name.clone()).collect();
        names.sort();
        names
    }

    fn id(model: &ApiModel, name: &str) -> TypeId {
        TypeId(model.types.iter().position(|t| t.name == name).unwrap_or_else(|| panic!("no type {name}")))
    }

    #[test]
    fn the_closure_follows_fields_unions_items_maps_aliases_and_rules() {
        let model = model(SPEC, Grouping::Auto);
        let from_a = closure(&model, [id(&model, "A")]);
        assert_eq!(names(&model, &from_a), ["A", "B", "C", "D", "E", "F", "G", "GAlias"]);
        // A cycle (`C` back to `A`) ends; a leaf reaches itself alone.
        assert_eq!(
            names(&model, &closure(&model, [id(&model, "C")])),
            names(&model, &from_a).iter().filter(|n| *n != "Lone").cloned().collect::<Vec<_>>()
        );
        assert_eq!(names(&model, &closure(&model, [id(&model, "E")])), ["E"]);
        assert_eq!(names(&model, &closure(&model, [id(&model, "GAlias")])), ["G", "GAlias"]);
        assert!(closure(&model, []).is_empty());
    }

    const OPERATIONS: &str = r##"
openapi: 3.0.3
info: {title: Operations, version: "1"}
paths:
  /v1/pets/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}}}
  /v1/2020-01-01/users:
    post:
      requestBody: {content: {application/json: {schema: {$ref: "#/components/schemas/User"}}}}
      responses:
        "204": {description: ok}
        "400": {description: bad, content: {application/json: {schema: {$ref: "#/components/schemas/Shared"}}}}
  /v1/xml:
    get:
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Shared"}}}}}
  /v1/Pets:
    delete:
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Shared"}}}}}
  /:
    get:
      responses: {"200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Root"}}}}}
components:
  schemas:
    Pet: {type: object, properties: {owner: {$ref: "#/components/schemas/User"}}}
    User: {type: object, properties: {name: {type: string}}}
    Shared: {type: object, properties: {n: {type: integer}}}
    Root: {type: object, properties: {n: {type: integer}}}
    Hook: {type: object, properties: {user: {$ref: "#/components/schemas/User"}}}
"##;

    #[test]
    fn untagged_operations_are_grouped_by_path_segment_past_versions() {
        let model = model(OPERATIONS, Grouping::Always);
        let features: Vec<(&str, Vec<&str>, usize, usize)> = model
            .features
            .iter()
            .map(|f| (f.name.as_str(), f.labels.iter().map(String::as_str).collect(), f.operations, f.types))
            .collect();
        // `pets` and `Pets` are one group; `xml` is reserved; `Hook` is used by no operation.
        assert_eq!(
            features,
            [
                ("pets", vec!["pets", "Pets"], 2, 1),
                ("users", vec!["users"], 1, 0),
                ("xml_ops", vec!["xml"], 1, 0),
                (UNUSED_SCHEMAS, vec![], 0, 1)
            ]
        );
        let by: Vec<GroupedBy> = model.features.iter().map(|f| f.by).collect();
        assert_eq!(
            by,
            [GroupedBy::PathSegment, GroupedBy::PathSegment, GroupedBy::PathSegment, GroupedBy::NoOperation]
        );
        let gates: Vec<(&str, Vec<&str>)> = model
            .types
            .iter()
            .map(|t| {
                let features = match &t.gate {
                    Gate::Always => vec!["(always)"],
                    Gate::AnyOf(set) => set.iter().map(String::as_str).collect(),
                };
                (t.name.as_str(), features)
            })
            .collect();
        // `User` is reached by `pets` (through `Pet`), `users` and the unused `Hook`; `Shared`
        // by every group; `Root` by the operation at `/`, in no group.
        assert_eq!(
            gates,
            [
                ("Pet", vec!["pets"]),
                ("User", vec![UNUSED_SCHEMAS, "pets", "users"]),
                ("Shared", vec!["(always)"]),
                ("Root", vec!["(always)"]),
                ("Hook", vec![UNUSED_SCHEMAS]),
            ]
        );
        let ops: Vec<Option<&str>> = model.operations.iter().map(|o| o.feature.as_deref()).collect();
        assert_eq!(ops, [Some("pets"), Some("users"), Some("xml_ops"), Some("pets"), None]);
    }

    #[test]
    fn a_small_spec_keeps_one_group_unless_asked() {
        for grouping in [Grouping::Auto, Grouping::Never] {
            let model = model(OPERATIONS, grouping);
            assert!(model.features.is_empty(), "{grouping:?}");
            assert!(
                model.types.iter().all(|t| t.gate == Gate::Always)
                    && model.operations.iter().all(|o| o.feature.is_none())
            );
        }
    }

    #[test]
    fn path_segments_skip_versions_and_parameters() {
        assert_eq!(path_segment("/v1/customers/{id}"), Some("customers".into()));
        assert_eq!(path_segment("/2010-04-01/Accounts/{Sid}.json"), Some("Accounts".into()));
        assert_eq!(path_segment("/{tenant}/V2/items"), Some("items".into()));
        assert_eq!(path_segment("/vaults/{id}"), Some("vaults".into()));
        assert_eq!(path_segment("/"), None);
        assert_eq!(path_segment("/v1/{id}"), None);
        // Stripe's `/v1/3d_secure` is a resource, not a version.
        assert_eq!(path_segment("/v1/3d_secure/{id}"), Some("3d_secure".into()));
        assert_eq!(path_segment("/v1.2_3/users"), Some("users".into()));
    }
}

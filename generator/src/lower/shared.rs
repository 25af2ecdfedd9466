//! Identical types, one definition. Large specs repeat themselves: Stripe writes the same
//! inline enum (`exclusive`, `inclusive`, `unspecified`) at 29 places and the same empty-string
//! enum at 464, and its request bodies restate whole objects of its responses. Each place gets
//! a named type of its own when it is lowered, and each such type costs the compiler as much as
//! any other: Stripe's 4,539 types hold 1,726 different shapes.
//!
//! Types whose shapes are the same (what the emitters read of them but their names, docs and
//! gates: fields and their wire names, types, rules, setters and secrecy; variants and values;
//! the object's rules; XML names; extra derives), and whose references lead to types of the same
//! shapes in turn, are one type. Each type lowering hoisted from an inline schema (and named
//! after where it was) becomes an alias of the first component schema of its class, or else of
//! the first member, keeping its own name, docs and gate: every name is still there and still
//! means a type of that shape. Component schemas keep definitions of their own, since their
//! names are the spec author's, and fields, parameters and bodies keep naming the type they
//! named: only definitions are shared.
//!
//! Which types are the same is decided as a finite automaton is minimised (Moore's partition
//! refinement): start from classes of equal shapes, with every reference read as a blank, and
//! split a class while its members refer, at the same place, to types of different classes. What
//! is left is the coarsest split in which every member's references agree, so recursive types
//! are merged too where they are identical all the way down.

use std::collections::{HashMap, HashSet};

use crate::model::{ApiModel, Doc, Gate, Rules, TypeDef, TypeId, TypeKind, TypeRef};

/// Turns every type that is identical to an earlier one into an alias of it (see the module
/// docs). Types replaced by the configuration are left alone.
pub(super) fn merge_identical(model: &mut ApiModel) {
    let count = model.types.len();
    // Each type's shape, as an index into `shapes`, and the types it refers to, in the order
    // its shape names them. A type that is never merged has a class of its own. Shapes are
    // the definitions themselves, hashed and compared as values (their `Debug` text, which
    // this compared before, took twice as long to write as all the rest of this pass).
    let mut shapes: HashMap<(TypeDef, Option<&Vec<String>>), usize> = HashMap::new();
    let mut class = vec![0; count];
    let mut refs: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, def) in model.types.iter().enumerate() {
        let mergeable = !matches!(def.kind, TypeKind::Alias(_)) && !model.replaced.contains_key(&def.name);
        if !mergeable {
            class[i] = usize::MAX - i;
            continue;
        }
        let mut shape = def.clone();
        shape.name.clear();
        shape.doc = Doc::default();
        shape.gate = Gate::Always;
        // Fields and variants keep their descriptions, where their pointers differ: the shared
        // definition documents every member's fields as its own did.
        match &mut shape.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| f.doc.pointer.clear()),
            TypeKind::Union(variants) => variants.iter_mut().for_each(|v| v.doc.pointer.clear()),
            TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) | TypeKind::Alias(_) => {}
        }
        super::arena::def_ids_mut(&mut shape, &mut |id| {
            refs[i].push(id.0);
            id.0 = 0;
        });
        let next = shapes.len();
        class[i] = *shapes.entry((shape, model.derives.get(&def.name))).or_insert(next);
    }
    let mut classes = distinct(&class);
    loop {
        let mut split: HashMap<(usize, Vec<usize>), usize> = HashMap::new();
        let next: Vec<usize> = (0..count)
            .map(|i| {
                let key = (class[i], refs[i].iter().map(|&r| class[r]).collect());
                let len = split.len();
                *split.entry(key).or_insert(len)
            })
            .collect();
        let settled = split.len() == classes;
        classes = split.len();
        class = next;
        if settled {
            break;
        }
    }
    // Every component schema keeps its definition: the names a spec's author gave are types of
    // their own, for each of which a user may implement a trait. The names lowering made up for
    // inline schemas become aliases of the class's first component schema, or else of its first
    // member.
    let components: HashSet<usize> = model.schemas.iter().filter_map(|(_, ty)| ty.named()).map(|id| id.0).collect();
    let mut first: HashMap<usize, usize> = HashMap::new();
    for (i, &c) in class.iter().enumerate() {
        let canonical = first.entry(c).or_insert(i);
        if components.contains(&i) && !components.contains(canonical) {
            *canonical = i;
        }
    }
    for (i, &c) in class.iter().enumerate() {
        let canonical = first[&c];
        if canonical == i || components.contains(&i) {
            continue;
        }
        let target = TypeId(canonical);
        let def = &mut model.types[i];
        model.derives.remove(&def.name);
        def.kind = TypeKind::Alias(TypeRef::Named(target));
        // Checked as JSON by the type it names; its typed checks are that type's `Validate`.
        // The rest (`nullable`, `xml`, `unknown`, ...) was equal to begin with.
        def.rules = Rules { reference: Some(target), ..Rules::default() };
    }
}

/// How many different values `values` holds.
fn distinct(values: &[usize]) -> usize {
    values.iter().collect::<HashSet<_>>().len()
}

#[cfg(test)]
mod tests {
    use crate::model::{ApiModel, Gate, TypeKind, TypeRef};

    /// Inline schemas that repeat a component (`Status`), each other (the two `colour`s), or
    /// nothing (the `owner`s differ in one rule); a recursive pair (`Node` and its inline
    /// `next`); and a second component (`Copy`) identical to the first. The third tag keeps the
    /// types of the first two behind features.
    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Shared, version: "1"}
paths:
  /pets:
    post:
      tags: [pets]
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                status: {type: string, enum: [active, gone]}
                colour: {type: string, enum: [red, blue]}
                owner: {type: object, properties: {name: {type: string, maxLength: 5}}}
      responses: {"204": {description: Done.}}
  /users:
    post:
      tags: [users]
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                status: {type: string, enum: [active, gone], description: Said otherwise.}
                colour: {type: string, enum: [red, blue]}
                owner: {type: object, properties: {name: {type: string, maxLength: 6}}}
                node: {$ref: "#/components/schemas/Node"}
      responses: {"204": {description: Done.}}
  /store:
    get:
      tags: [store]
      responses: {"204": {description: Done.}}
components:
  schemas:
    Status: {type: string, enum: [active, gone]}
    Copy: {type: string, enum: [active, gone]}
    Node:
      type: object
      properties:
        next:
          type: object
          properties:
            next: {$ref: "#/components/schemas/Node"}
"##;

    fn model() -> ApiModel {
        let spec = crate::load(&crate::SpecSource { name: "shared.yaml".into(), text: SPEC.into() }).expect("loads");
        let (model, diagnostics) =
            crate::model_of(&spec, &crate::Options::new("shared").grouping(crate::Grouping::Always));
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        model
    }

    /// Each type's name and what it became: its own definition, or the type it is an alias of.
    fn shapes(model: &ApiModel) -> Vec<(String, String)> {
        model
            .types
            .iter()
            .map(|def| {
                let kind = match &def.kind {
                    TypeKind::Alias(TypeRef::Named(id)) => format!("= {}", model.type_def(*id).name),
                    TypeKind::Alias(_) => "alias".to_owned(),
                    TypeKind::Struct(_) => "struct".to_owned(),
                    TypeKind::StringEnum(_) | TypeKind::IntegerEnum(_) => "enum".to_owned(),
                    TypeKind::Union(_) => "union".to_owned(),
                };
                (def.name.clone(), kind)
            })
            .collect()
    }

    #[test]
    fn identical_inline_schemas_are_aliases_of_one_definition() {
        let model = model();
        let shapes = shapes(&model);
        let shapes: Vec<(&str, &str)> = shapes.iter().map(|(n, k)| (n.as_str(), k.as_str())).collect();
        assert_eq!(
            shapes,
            [
                ("Status", "enum"),
                ("Copy", "enum"),
                ("Node", "struct"),
                ("NodeNext", "= Node"),
                ("PostPetsRequest", "struct"),
                ("PostPetsRequestStatus", "= Status"),
                ("PostPetsRequestColour", "enum"),
                ("PostPetsRequestOwner", "struct"),
                ("PostUsersRequest", "struct"),
                ("PostUsersRequestStatus", "= Status"),
                ("PostUsersRequestColour", "= PostPetsRequestColour"),
                ("PostUsersRequestOwner", "struct"),
            ]
        );
        // An alias keeps its own docs; the fields keep naming it.
        let users_status = model.types.iter().find(|t| t.name == "PostUsersRequestStatus").expect("there");
        assert_eq!(users_status.doc.description.as_deref(), Some("Said otherwise."));
        let TypeKind::Struct(users) = &model.types.iter().find(|t| t.name == "PostUsersRequest").expect("there").kind
        else {
            panic!("a struct")
        };
        let status = users.fields.iter().find(|f| f.wire_name == "status").expect("a field");
        assert_eq!(model.type_def(status.ty.named().expect("named")).name, "PostUsersRequestStatus");
    }

    #[test]
    fn the_shared_definition_is_compiled_wherever_an_alias_is() {
        let model = model();
        let gate = |name: &str| model.types.iter().find(|t| t.name == name).expect("there").gate.clone();
        let any_of = |features: &[&str]| Gate::AnyOf(features.iter().map(|f| f.to_string()).collect());
        assert_eq!(gate("PostPetsRequestColour"), any_of(&["pets", "users"]));
        assert_eq!(gate("PostUsersRequestColour"), any_of(&["users"]));
        assert_eq!(gate("Status"), any_of(&["pets", "users"]));
        assert_eq!(gate("PostPetsRequestStatus"), any_of(&["pets"]));
        // `Copy` is used by no operation.
        assert_eq!(gate("Copy"), any_of(&["other_schemas"]));
    }
}

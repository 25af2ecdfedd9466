//! Features per tag (issue 14): the groups and the types each compiles, pinned on the
//! `groups` fixture; and the generated crate compiled with every feature, with none, and with
//! one tag's (with and without the client), warnings denied, so that no set of features
//! leaves a type without what it uses or an unused item behind; likewise a crate large
//! enough for its types to be split into one file per area.
//!
//! The crate is built in a scratch workspace under Cargo's temporary directory for tests with
//! `cargo --offline` (only crates this workspace already uses, at its `Cargo.lock`'s versions),
//! like `growth.rs`; nothing is read from `../shared`. The scratch target directory is kept
//! between runs, so only the first is cold.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use apigen::lower::groups::UNUSED_SCHEMAS;
use apigen::lower::groups::{closure, operation_roots};
use apigen::model::{ApiModel, Gate, TypeId};

fn spec() -> apigen::Spec {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/groups.yaml");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    apigen::load(&apigen::SpecSource { name: "tests/fixtures/groups.yaml".into(), text })
        .unwrap_or_else(|e| panic!("{e}"))
}

fn options() -> apigen::Options {
    apigen::Options::new("groups").grouping(apigen::Grouping::Always)
}

fn model() -> ApiModel {
    let (model, diagnostics) = apigen::model_of(&spec(), &options());
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    model
}

fn names(model: &ApiModel, ids: impl IntoIterator<Item = TypeId>) -> Vec<String> {
    let mut names: Vec<String> = ids.into_iter().map(|id| model.type_def(id).name.clone()).collect();
    names.sort();
    names
}

#[test]
fn groups_and_what_each_compiles() {
    let model = model();
    let features: Vec<(&str, Vec<&str>, usize, usize)> = model
        .features
        .iter()
        .map(|f| (f.name.as_str(), f.labels.iter().map(String::as_str).collect(), f.operations, f.types))
        .collect();
    assert_eq!(
        features,
        [
            // The tag `Client` would be the crate's `client` feature: it gets `_ops`.
            ("client_ops", vec!["Client"], 1, 1),
            ("pets", vec!["pets"], 3, 3),
            // Its own `order` enum is an alias of the one `pets` declared first (lower::shared).
            ("store", vec!["store"], 1, 3),
            ("users", vec!["Users"], 2, 1),
            // Not a group of operations: the schemas no operation uses.
            ("other_schemas", vec![], 0, 2),
        ]
    );
    let operations: Vec<(&str, Option<&str>)> =
        model.operations.iter().map(|o| (o.id.as_str(), o.feature.as_deref())).collect();
    assert_eq!(
        operations,
        [
            // At `/`, with no tag: in no group, always compiled.
            ("health", None),
            ("listPets", Some("pets")),
            ("addPet", Some("pets")),
            ("getOrder", Some("store")),
            // Their options are one struct, compiled with either (`client::SharedOptions`).
            ("searchPets", Some("pets")),
            ("searchUsers", Some("users")),
            ("createUser", Some("users")),
            ("clientInfo", Some("client_ops")),
        ]
    );
    let types: Vec<(&str, Vec<&str>)> = model.types.iter().map(|t| (t.name.as_str(), gate(&t.gate))).collect();
    assert_eq!(
        types,
        [
            // Reached by the operation at `/`, in no group.
            ("Health", vec!["(always)"]),
            ("PetKind", vec!["pets"]),
            ("Pet", vec!["pets"]),
            // `pets` operations reach it, and so does `Legacy`, which no operation uses.
            ("Category", vec!["other_schemas", "pets"]),
            // Reached through a rule (`not`) alone.
            ("BannedName", vec!["pets"]),
            ("Order", vec!["store"]),
            ("OrderStatus", vec!["store"]),
            ("User", vec!["users"]),
            // `store` and `users` both reach it.
            ("Address", vec!["store", "users"]),
            ("Error", vec!["pets", "store"]),
            ("Legacy", vec!["other_schemas"]),
            ("Note", vec!["other_schemas"]),
            // The `order` enum of `listPets`, and `getOrder`'s, an alias of it: the definition
            // is compiled wherever the alias is.
            ("ListPetsOrder", vec!["pets", "store"]),
            ("GetOrderOrder", vec!["store"]),
            ("ClientInfoResponse200", vec!["client_ops"]),
        ]
    );
}

/// A gate's features, or `(always)`.
fn gate(gate: &Gate) -> Vec<&str> {
    match gate {
        Gate::Always => vec!["(always)"],
        Gate::AnyOf(features) => features.iter().map(String::as_str).collect(),
    }
}

#[test]
fn closures_per_group() {
    let model = model();
    let of = |feature: &str| {
        let roots = model.operations.iter().filter(|o| o.feature.as_deref() == Some(feature)).flat_map(operation_roots);
        names(&model, closure(&model, roots))
    };
    assert_eq!(of("pets"), ["BannedName", "Category", "Error", "ListPetsOrder", "Pet", "PetKind"]);
    assert_eq!(of("store"), ["Address", "Error", "GetOrderOrder", "ListPetsOrder", "Order", "OrderStatus"]);
    assert_eq!(of("users"), ["Address", "User"]);
    assert_eq!(of("client_ops"), ["ClientInfoResponse200"]);
    let legacy = model.types.iter().position(|t| t.name == "Legacy").map(TypeId).expect("Legacy");
    let unused = names(&model, closure(&model, [legacy]));
    assert_eq!(unused, ["Category", "Legacy", "Note"]);
    let groups: Vec<&str> = model.features.iter().map(|f| f.name.as_str()).filter(|f| *f != UNUSED_SCHEMAS).collect();
    // Every gated type is behind the groups whose closures hold it, and behind the unused
    // schemas' feature where their closure holds it; no group reaches every type here.
    for (i, def) in model.types.iter().enumerate() {
        let Gate::AnyOf(features) = &def.gate else { continue };
        let mut reaching: BTreeSet<&str> = groups.iter().copied().filter(|f| of(f).contains(&def.name)).collect();
        if unused.contains(&def.name) {
            reaching.insert(UNUSED_SCHEMAS);
        }
        assert_eq!(reaching, features.iter().map(String::as_str).collect(), "type {i} `{}`", def.name);
    }
}

#[test]
fn a_build_script_module_has_no_gates() {
    let output = apigen::generate(&spec(), &options().layout(apigen::Layout::Module));
    let module = &output.files[0].contents;
    assert!(module.contains("pub struct Pet {") && !module.contains("cfg(feature"), "{module}");
}

/// Two tags of 110 types each, every type of a tag used by that tag alone: above the 200
/// types at which `types/` is split into one file per area, each area (`account`, `payment`)
/// wholly behind one feature.
fn areas_spec() -> String {
    use std::fmt::Write as _;
    let mut spec = String::from("openapi: 3.0.3\ninfo: {title: Areas, version: '1'}\npaths:\n");
    for (tag, name) in [("accounts", "AccountItem"), ("payments", "PaymentItem")] {
        let _ = write!(
            spec,
            "  /{tag}:\n    get:\n      operationId: get{name}\n      tags: [{tag}]\n      responses:\n        '200':\n          \
             description: ok\n          content: {{application/json: {{schema: {{$ref: '#/components/schemas/{name}0'}}}}}}\n"
        );
    }
    spec.push_str("components:\n  schemas:\n");
    // The first type of each tag holds all the others.
    for name in ["AccountItem", "PaymentItem"] {
        let others: String =
            (1..110).map(|i| format!(", item{i}: {{$ref: '#/components/schemas/{name}{i}'}}")).collect();
        let _ = writeln!(spec, "    {name}0: {{type: object, properties: {{id: {{type: string}}{others}}}}}");
        for i in 1..110 {
            let _ = writeln!(
                spec,
                "    {name}{i}: {{type: object, properties: {{id: {{type: string, pattern: '^[a-z]+$'}}}}}}"
            );
        }
    }
    spec
}

#[test]
fn an_area_behind_one_feature_is_declared_behind_it() {
    let source = apigen::SpecSource { name: "areas.yaml".into(), text: areas_spec() };
    let output =
        apigen::generate_from_source(&source, &apigen::Options::new("areas").grouping(apigen::Grouping::Always))
            .unwrap();
    let root = output.files.iter().find(|f| f.path == "src/types/mod.rs").expect("types are split into areas");
    let expected = "\n#[cfg(feature = \"accounts\")]\nmod account;\n\n#[cfg(feature = \"accounts\")]\npub use account::*;\n\n\
                    #[cfg(feature = \"payments\")]\nmod payment;\n\n#[cfg(feature = \"payments\")]\npub use payment::*;\n";
    assert!(root.contents.ends_with(expected), "{}", root.contents);
}

/// Every set of features CI tries compiles without a warning: all (the default), none, one
/// tag's types alone, one tag with the client, and two tags that share a type, one tag with the
/// value generators; and a crate split into areas with one tag's.
#[test]
fn the_crate_compiles_with_every_set_of_features() {
    let scratch = scratch();
    let sets: [&[&str]; 13] = [
        &["default"],
        // The mock serves every operation: it turns every group on.
        &["mock"],
        &[],
        &["pets"],
        // The schemas no operation uses, alone and with a group they share a type with.
        &["other_schemas"],
        &["other_schemas", "pets"],
        // A type that two groups share (`Address`), with one of them.
        &["client", "users"],
        // Value generators follow their types' gates.
        &["arbitrary", "pets"],
        &["areas/arbitrary", "areas/payments"],
        &["client", "store"],
        &["client", "store", "users"],
        &["areas/client", "areas/payments"],
        &["areas/default"],
    ];
    let clippy = Command::new(cargo()).args(["clippy", "--version"]).output().is_ok_and(|o| o.status.success());
    if !clippy {
        eprintln!("cargo clippy is not installed: the feature sets are compiled with `cargo check` instead");
    }
    for features in sets {
        let mut command = Command::new(cargo());
        command.arg(if clippy { "clippy" } else { "check" });
        command.args(["--offline", "--quiet", "--all-targets", "--manifest-path"]).arg(scratch.join("Cargo.toml"));
        let package = if features.iter().any(|f| f.starts_with("areas/")) { "areas" } else { "groups" };
        command.args(["-p", package]);
        let features: Vec<&str> = features.iter().map(|f| f.trim_start_matches("areas/")).collect();
        if features != ["default"] {
            command.args(["--no-default-features", "--features", &features.join(",")]);
        }
        if clippy {
            command.args(["--", "-D", "warnings"]);
        }
        let output = command
            .env("CARGO_TARGET_DIR", scratch.join("target"))
            .env("RUSTFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "features {features:?}:\n{stderr}");
        assert!(!stderr.contains("warning"), "features {features:?}:\n{stderr}");
    }
}

/// The generated crates (`groups`, `areas`), written into a scratch workspace of their own.
fn scratch() -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("groups");
    fs::create_dir_all(&root).unwrap();
    // Its own workspace, or Cargo would take it for a stray member of this one.
    fs::write(root.join("Cargo.toml"), "[workspace]\nresolver = \"2\"\nmembers = [\"groups\", \"areas\"]\n").unwrap();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    let runtime = workspace.join("generator/runtime").canonicalize().unwrap().display().to_string();
    let areas = apigen::load(&apigen::SpecSource { name: "areas.yaml".into(), text: areas_spec() }).unwrap();
    let crates = [
        ("groups", apigen::generate(&spec(), &options().runtime_path(runtime.as_str()))),
        (
            "areas",
            apigen::generate(
                &areas,
                &apigen::Options::new("areas").grouping(apigen::Grouping::Always).runtime_path(runtime.as_str()),
            ),
        ),
    ];
    for (name, output) in crates {
        // Notes say where value generators filter; nothing else is reported.
        assert!(output.diagnostics.iter().all(|d| d.severity == apigen::Severity::Note), "{:?}", output.diagnostics);
        let _ = fs::remove_dir_all(root.join(name));
        for file in &output.files {
            let path = root.join(name).join(&file.path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, &file.contents).unwrap();
        }
    }
    root
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

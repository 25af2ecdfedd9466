//! Every `apigen.toml` option, on Swagger's Petstore 3 (`tests/fixtures/cli/petstore3.yaml`):
//! what each does to the generated crate, and the errors for options that cannot apply.
//! (`scratch.rs` compiles a crate generated with several of them.)

use apigen::config::Config;
use apigen::{Options, Output, SpecSource};

const SPEC: &str = include_str!("../../tests/fixtures/cli/petstore3.yaml");

fn generate(toml: &str) -> Output {
    let config = Config::parse("apigen.toml", toml).unwrap_or_else(|e| panic!("{e}"));
    let options = config.spec("petstore3").expect("a [petstore3] table").apply(Options::new("petstore3"));
    let source = SpecSource { name: "petstore3.yaml".into(), text: SPEC.into() };
    apigen::generate_from_source(&source, &options).unwrap_or_else(|e| panic!("{e}"))
}

fn file<'o>(output: &'o Output, path: &str) -> &'o str {
    &output.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}")).contents
}

/// The names of the types declared in `src/types.rs`, in order.
fn types(output: &Output) -> Vec<String> {
    file(output, "src/types.rs")
        .lines()
        .filter_map(|l| l.strip_prefix("pub struct ").or(l.strip_prefix("pub enum ")).or(l.strip_prefix("pub type ")))
        .map(|rest| rest.split([' ', '(', '=']).next().unwrap_or_default().to_owned())
        .collect()
}

/// The client's operation methods, in order.
fn operations(output: &Output) -> Vec<String> {
    file(output, "src/client.rs")
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("pub async fn "))
        .map(|rest| rest.split('(').next().unwrap_or_default().to_owned())
        .collect()
}

fn diagnostics(output: &Output) -> Vec<String> {
    output.diagnostics.iter().map(ToString::to_string).filter(|d| !d.contains("XML body")).collect()
}

#[test]
fn crate_name_and_version() {
    let output = generate("[petstore3]\nname = \"pets\"\nversion = \"3.1.4\"\n");
    let manifest = file(&output, "Cargo.toml");
    assert!(manifest.contains("\nname = \"pets\"\nversion = \"3.1.4\"\n"), "{manifest}");
    // Without them: the stem, and the spec's info.version (1.0.27-SNAPSHOT) as semver.
    let output = generate("[petstore3]\n");
    assert!(file(&output, "Cargo.toml").contains("\nname = \"petstore3\"\nversion = \"1.0.27\"\n"));
}

#[test]
fn runtime_source() {
    let by_path = generate("[petstore3]\nruntime = { path = \"../rt\" }\n");
    assert!(file(&by_path, "Cargo.toml").contains("[dependencies]\napigen-runtime = { path = \"../rt\" }\n"));
    let by_version = generate("[petstore3]\nruntime = { version = \"0.1.5\" }\n");
    assert!(file(&by_version, "Cargo.toml").contains("[dependencies]\napigen-runtime = { version = \"0.1.5\" }\n"));
    let default = generate("[petstore3]\n");
    assert!(file(&default, "Cargo.toml").contains("[dependencies]\napigen-runtime = { version = \"0.1\" }\n"));
}

#[test]
fn include_by_tag_prunes_unused_schemas() {
    let all = generate("[petstore3]\n");
    // 19 operations; bodies offered as XML or a form too have a method each for those.
    assert_eq!(operations(&all).len(), 29);
    let output = generate("[petstore3]\ninclude = { tags = [\"store\"] }\n");
    assert_eq!(
        operations(&output),
        ["get_inventory", "place_order", "place_order_xml", "place_order_form", "get_order_by_id", "delete_order"]
    );
    assert_eq!(types(&output), ["Order", "OrderStatus"]);
    assert_eq!(diagnostics(&output), Vec::<String>::new());
}

#[test]
fn include_by_path_glob() {
    let output = generate("[petstore3]\ninclude = { paths = [\"/user/*\"] }\n");
    // `*` stays within a segment: `/user` itself is not matched.
    assert_eq!(
        operations(&output),
        [
            "create_users_with_list_input",
            "login_user",
            "logout_user",
            "get_user_by_name",
            "update_user",
            "update_user_xml",
            "update_user_form",
            "delete_user"
        ]
    );
    assert_eq!(types(&output), ["User"]);
    let output = generate("[petstore3]\ninclude = { paths = [\"/store/**\"] }\n");
    assert_eq!(
        operations(&output),
        ["get_inventory", "place_order", "place_order_xml", "place_order_form", "get_order_by_id", "delete_order"]
    );
}

#[test]
fn include_by_operation_id_and_exclude() {
    let output = generate("[petstore3]\ninclude = { operations = [\"getPetById\", \"deletePet\"] }\n");
    assert_eq!(operations(&output), ["get_pet_by_id", "delete_pet"]);
    assert_eq!(types(&output), ["Category", "Tag", "Pet", "PetStatus"]);
    let output = generate("[petstore3]\ninclude = { tags = [\"pet\"] }\nexclude = { operations = [\"uploadFile\"], paths = [\"/pet/findBy*\"] }\n");
    assert_eq!(
        operations(&output),
        [
            "update_pet",
            "update_pet_xml",
            "update_pet_form",
            "add_pet",
            "add_pet_xml",
            "add_pet_form",
            "get_pet_by_id",
            "update_pet_with_form",
            "delete_pet"
        ]
    );
    // `ApiResponse` was `uploadFile`'s alone.
    assert_eq!(types(&output), ["Category", "Tag", "Pet", "PetStatus"]);
}

#[test]
fn selectors_that_match_nothing_are_warnings() {
    let output =
        generate("[petstore3]\ninclude = { tags = [\"pets\"], operations = [\"getPet\"], paths = [\"/pets/*\"] }\n");
    assert_eq!(
        diagnostics(&output),
        [
            "warning: #/paths: include: no operation has the id `getPet`",
            "warning: #/paths: include: no operation has the tag `pets`",
            "warning: #/paths: include: no path matches `/pets/*`",
        ]
    );
    // No operation left: no client.
    assert!(output.files.iter().all(|f| f.path != "src/client.rs"));
}

#[test]
fn replace_a_schema_by_a_rust_type() {
    let output = generate("[petstore3]\ninclude = { tags = [\"store\"] }\nreplace = { Order = \"crate::MyOrder\" }\n");
    assert!(file(&output, "src/types.rs").contains("pub type Order = crate::MyOrder;\n"));
    // What only the replaced schema used (its status enum) is not generated.
    assert_eq!(types(&output), ["Order"]);
    let output = generate("[petstore3]\nreplace = { Nope = \"crate::X\", User = \"not a type!\" }\n");
    assert_eq!(
        diagnostics(&output),
        [
            "error: #/components/schemas: replace: the spec has no schema `Nope`",
            "error: #/components/schemas/User: replace: `not a type!` is not a Rust type"
        ]
    );
    // Pet is read and written as XML too, which the replacement must then do.
    let output = generate("[petstore3]\nreplace = { Pet = \"crate::MyPet\" }\n");
    let xml: Vec<String> = output
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .filter(|d| d.starts_with("warning") && d.contains("replace"))
        .collect();
    assert_eq!(xml, ["warning: #/components/schemas/Pet: replace: `Pet` is used in an XML body: `crate::MyPet` must implement `apigen_runtime::xml::XmlValue` too"]);
    // The value generators have none for a type of the user's, and say so.
    assert!(output
        .diagnostics
        .iter()
        .any(|d| d.to_string()
            == "note: #/components/schemas/Pet: replaced by `crate::MyPet`: its strategy gives no value"));
}

#[test]
fn extra_derives_on_all_and_named_types() {
    let output =
        generate("[petstore3]\nderive = [\"Eq\"]\nderive_for = { Pet = [\"Hash\", \"serde_with::SomeDerive\"] }\n");
    let types_rs = file(&output, "src/types.rs");
    let pet = types_rs.split("pub struct Pet {").next().unwrap_or_default();
    assert!(pet.ends_with("#[derive(Eq, Hash, serde_with::SomeDerive)]\n#[derive(Debug, Clone, PartialEq, serde::Serialize)]\n#[serde(crate = \"::apigen_runtime::serde\")]\n#[non_exhaustive]\n"), "{}", &pet[pet.len() - 400..]);
    // Enums derive `Eq` already: nothing is added to them.
    let status = types_rs.split("pub enum PetStatus {").next().unwrap_or_default();
    assert!(!status[status.len() - 300..].contains("#[derive(Eq"), "{status}");
    assert_eq!(types_rs.matches("#[derive(Eq)]\n").count(), 5, "Order, Category, User, Tag, ApiResponse");
    let output = generate("[petstore3]\nderive_for = { Pets = [\"Hash\"] }\nderive = [\"not a path\"]\n");
    assert_eq!(
        diagnostics(&output),
        ["error: #: derive_for: no generated type is named `Pets`", "error: #: derive: `not a path` is not a path"]
    );
}

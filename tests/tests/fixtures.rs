//! Snapshots of the code generated for the one-concern fixture specs in `tests/fixtures/`
//! (also compiled, by `build.rs`), with the diagnostics each produces; and determinism: the
//! same spec gives the same bytes every time.

use std::fs;
use std::path::Path;

fn generate(path: &Path) -> apigen::Output {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let stem = path.file_stem().and_then(|s| s.to_str()).expect("fixture file name");
    let name = format!("tests/fixtures/{}", path.file_name().and_then(|f| f.to_str()).expect("file name"));
    // `groups` is split into features whatever its size, as `build.rs` compiles it.
    let grouping = if stem == "groups" { apigen::Grouping::Always } else { apigen::Grouping::Auto };
    apigen::generate_from_source(&apigen::SpecSource { name, text }, &apigen::Options::new(stem).grouping(grouping))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn fixture(name: &str) -> apigen::Output {
    generate(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(format!("{name}.yaml")))
}

/// One snapshot per generated Rust file, and one of the diagnostics.
fn assert_fixture(name: &str) {
    let output = fixture(name);
    for file in &output.files {
        let snapshot = format!("{name}__{}", file.path.replace(['/', '.'], "_"));
        insta::assert_snapshot!(snapshot, &file.contents);
    }
    let diagnostics: Vec<String> = output.diagnostics.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(format!("{name}__diagnostics"), diagnostics.join("\n"));
}

#[test]
fn keywords_and_name_collisions() {
    assert_fixture("keywords");
}

#[test]
fn schema_shapes() {
    assert_fixture("shapes");
}

#[test]
fn references_and_operation_schemas() {
    assert_fixture("refs");
}

#[test]
fn ordering_follows_the_spec() {
    assert_fixture("ordering");
}

#[test]
fn xml_objects() {
    assert_fixture("xml");
}

#[test]
fn forms_and_parameter_styles() {
    assert_fixture("forms");
}

#[test]
fn what_the_mock_reads_and_answers() {
    assert_fixture("mocked");
}

/// The petstore that `versions.rs` also reads in Swagger 2.0 and OpenAPI 3.1.
#[test]
fn petstore() {
    assert_fixture("petstore_v30");
}

#[test]
fn discriminated_unions() {
    assert_fixture("discriminator");
}

/// Optional `nullable` properties as `Option<Option<T>>`, and `nullable` parameters held as
/// their value (issue 13's bug 6: their checks read an `Option` the field does not have).
#[test]
fn nullable_properties_and_parameters() {
    assert_fixture("nullable");
}

#[test]
fn forward_compatible_types() {
    assert_fixture("forward");
}

#[test]
fn streamed_responses() {
    assert_fixture("streams");
}

#[test]
fn credentials_in_every_placement() {
    assert_fixture("security");
}

/// prost-build's test, in spirit: generate ten times, compare bytes. Covers every fixture
/// and every spec under `specs/`.
#[test]
fn generation_is_deterministic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths: Vec<_> = ["fixtures", "../specs"]
        .iter()
        .flat_map(|dir| fs::read_dir(root.join(dir)).expect("directory exists"))
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 9, "expected the fixtures and the five specs, found {paths:?}");
    for path in paths {
        let first = generate(&path).files;
        for _ in 0..9 {
            assert_eq!(generate(&path).files, first, "{} generated different bytes on a later run", path.display());
        }
    }
}

#[test]
fn hostile_names() {
    assert_fixture("names");
}

#[test]
fn path_templates_and_response_order() {
    assert_fixture("paths");
}

/// Operations in cargo features by tag, with the types only each tag uses (see
/// `tests/groups.rs`, which compiles the crate with several sets of features).
#[test]
fn features_per_tag() {
    assert_fixture("groups");
}

#[test]
fn patterns_beyond_the_regex_crate() {
    assert_fixture("patterns");
}

#[test]
fn json_schema_2020_12_keywords() {
    assert_fixture("keywords31");
}

/// Rules a value can break alone, for the value generators' `<type>_invalid` (run by
/// `tests/arbitrary_faults.rs`).
#[test]
fn faults_to_break() {
    assert_fixture("faults");
}

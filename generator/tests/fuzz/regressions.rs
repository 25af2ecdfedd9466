//! Regressions: what the fuzzer found, one spec each, run as plain tests.

use std::sync::mpsc;
use std::time::Duration;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";

/// Loads and generates `text` on a thread with a main thread's stack, failing on a panic or
/// after `seconds`.
fn load_and_generate(text: &str, seconds: u64) -> Result<apigen::Output, apigen::LoadError> {
    let source = apigen::SpecSource { name: "regression.yaml".to_owned(), text: text.to_owned() };
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || {
            let _ =
                tx.send(apigen::load(&source).map(|spec| apigen::generate(&spec, &apigen::Options::new("regression"))));
        })
        .expect("a thread starts");
    match rx.recv_timeout(Duration::from_secs(seconds)) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("load + generate took longer than {seconds} s"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("load + generate panicked"),
    }
}

/// The errors and warnings (notes, which say where value generators filter, are left out).
fn messages(output: &apigen::Output) -> Vec<String> {
    output.diagnostics.iter().filter(|d| d.severity != apigen::Severity::Note).map(ToString::to_string).collect()
}

fn type_item<'a>(output: &'a apigen::Output, name: &str) -> &'a str {
    let types = output.files.iter().find(|f| f.path == "src/types.rs").expect("a types.rs");
    let start = types.contents.find(&format!("pub type {name} = ")).unwrap_or_else(|| panic!("no alias {name}"));
    types.contents[start..].lines().next().unwrap_or_default()
}

/// Found by the fuzzer: a `$ref` that leads back to itself through aliases only (a property
/// `{$ref: '#/.../properties/self'}`, `A: {$ref: B}` and `B: {$ref: A}`, `allOf: [$ref: self]`)
/// made an alias of itself, and every emitter that follows aliases recursed until the stack
/// overflowed (`emit::types::is_strict` first; lowering's `specificity` for a union over such
/// an alias). Now the cycle is cut (`lower/cycles.rs`): the alias is any JSON value, with an
/// error saying so.
#[test]
fn regression_alias_cycles_are_cut() {
    let text = format!(
        "{HEAD}components:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n    Me:\n      allOf: [{{$ref: '#/components/schemas/Me'}}]\n    Either:\n      oneOf: [{{$ref: '#/components/schemas/A'}}, {{type: string}}]\n    Holder:\n      type: object\n      properties:\n        loop: {{$ref: '#/components/schemas/Holder/properties/loop'}}\n"
    );
    let output = load_and_generate(&text, 20).expect("loads");
    assert_eq!(type_item(&output, "B"), "pub type B = ::apigen_runtime::serde_json::Value;");
    assert_eq!(type_item(&output, "A"), "pub type A = B;");
    assert_eq!(type_item(&output, "Me"), "pub type Me = ::apigen_runtime::serde_json::Value;");
    assert_eq!(type_item(&output, "HolderLoop"), "pub type HolderLoop = ::apigen_runtime::serde_json::Value;");
    assert_eq!(
        messages(&output),
        [
            "error: #/components/schemas/B: `$ref`s from here lead back here (through `A`) without ever reaching a schema; typed as any JSON value",
            "error: #/components/schemas/Me: `$ref`s from here lead back here without ever reaching a schema; typed as any JSON value",
            "error: #/components/schemas/Holder/properties/loop: `$ref`s from here lead back here without ever reaching a schema; typed as any JSON value",
        ]
    );
}

/// Found by the fuzzer: an array or a map of itself (`Nested: {type: array, items: {$ref:
/// Nested}}`) is an alias `pub type Nested = Vec<Nested>`, which rustc refuses and the emitters
/// followed without end (a stack overflow). The inner reference is now any JSON value, with a
/// warning.
#[test]
fn regression_recursive_array_and_map_aliases() {
    let text = format!(
        "{HEAD}components:\n  schemas:\n    Nested:\n      type: array\n      maxItems: 3\n      items: {{$ref: '#/components/schemas/Nested'}}\n    Tree:\n      type: object\n      additionalProperties: {{$ref: '#/components/schemas/Tree'}}\n"
    );
    let output = load_and_generate(&text, 20).expect("loads");
    assert_eq!(type_item(&output, "Nested"), "pub type Nested = Vec<::apigen_runtime::serde_json::Value>;");
    let types = &output.files.iter().find(|f| f.path == "src/types.rs").expect("a types.rs").contents;
    assert!(
        types.contains("pub type Tree = ::std::collections::BTreeMap<\n    String,\n    ::apigen_runtime::serde_json::Value,\n>;\n"),
        "{types}"
    );
    assert_eq!(
        messages(&output),
        [
            "warning: #/components/schemas/Nested: `Nested` contains itself with no object in between, which a Rust type alias cannot express; the inner reference is typed as any JSON value, and validation checks the value down to there",
            "warning: #/components/schemas/Tree: `Tree` contains itself with no object in between, which a Rust type alias cannot express; the inner reference is typed as any JSON value, and validation checks the value down to there",
        ]
    );
}

/// Found by the fuzzer (a hang): a schema `openapiv3` refuses, nested in 25 levels of `allOf`.
/// `openapiv3` reads a failing subschema twice (once more for its error message), so the
/// failure cost `2^25` reads. The loader's own checks now catch what `openapiv3` would refuse
/// inside a schema (here a `discriminator` without `propertyName`) before it runs.
#[test]
fn regression_deep_invalid_schema_is_refused_quickly() {
    let mut schema = "{type: object, discriminator: {mapping: {}}}".to_owned();
    for _ in 0..25 {
        schema = format!("{{allOf: [{schema}]}}");
    }
    let text = format!("{HEAD}components:\n  schemas:\n    Deep: {schema}\n");
    let error = load_and_generate(&text, 10).expect_err("refused").to_string();
    let pointer = format!("#/components/schemas/Deep{}/discriminator", "/allOf/0".repeat(25));
    assert_eq!(error, format!("regression.yaml: error: {pointer}: missing `propertyName`, which must be a string"));

    let text = format!(
        "{HEAD}components:\n  schemas:\n    A:\n      type: object\n      externalDocs: {{description: 1}}\n      properties:\n        b: {{$ref: 5, type: string}}\n"
    );
    let error = load_and_generate(&text, 10).expect_err("refused").to_string();
    assert_eq!(
        error,
        "regression.yaml: error: #/components/schemas/A/externalDocs: missing `url`, which must be a string\n\
         regression.yaml: error: #/components/schemas/A/externalDocs/description: `description` must be a string, found the number 1\n\
         regression.yaml: error: #/components/schemas/A/properties/b/$ref: `$ref` must be a string, found the number 5"
    );
}

/// Found while reading the code for the hang above, and confirmed (no output after 20 s):
/// `allOf: [$ref: self, $ref: self, ...]` merged each member again at every level, `2^64`
/// merges before the depth limit. A schema is now merged into a struct once.
#[test]
fn regression_repeated_all_of_members_merge_once() {
    let text = format!(
        "{HEAD}components:\n  schemas:\n    Twice:\n      allOf:\n        - {{$ref: '#/components/schemas/Twice'}}\n        - {{$ref: '#/components/schemas/Twice'}}\n        - {{$ref: '#/components/schemas/Part'}}\n        - {{$ref: '#/components/schemas/Part'}}\n    Part:\n      type: object\n      properties:\n        x: {{type: string}}\n"
    );
    let output = load_and_generate(&text, 10).expect("loads");
    let types = &output.files.iter().find(|f| f.path == "src/types.rs").expect("a types.rs").contents;
    assert!(types.contains("pub struct Twice {"), "{types}");
    assert_eq!(types.matches("pub x: ").count(), 2, "Twice and Part each have one `x`:\n{types}");
    assert_eq!(messages(&output), Vec::<String>::new());
}

/// Found by the fuzzer (a hang): a `$ref` into a place `load` does not check as a schema (here
/// an `xml` object) whose value nests schemas 30 deep around a mismatch. Lowering read it with
/// `openapiv3`, which took `2^30` reads to fail; it is now checked first, as `load` checks
/// schemas, and reported.
#[test]
fn regression_deep_invalid_ref_target_is_reported_quickly() {
    let mut nested = "{type: array, items: true}".to_owned();
    for _ in 0..30 {
        nested = format!("{{type: array, items: {nested}}}");
    }
    let target = format!("#/components/schemas/A/xml/x-odd{}", "/items".repeat(30));
    let text = format!(
        "{HEAD}components:\n  schemas:\n    A:\n      type: object\n      xml: {{x-odd: {nested}}}\n      properties:\n        b: {{$ref: '{target}'}}\n"
    );
    let output = load_and_generate(&text, 10).expect("loads");
    assert_eq!(
        messages(&output),
        [format!(
            "error: {target}: referenced from #/components/schemas/A/properties/b, but not a valid schema: {target}/items: `items` must be a schema, found `true`; typed as any JSON value"
        )]
    );
}

/// The same hang through a `$ref`'d Parameter or Response Object (`lower/operation.rs`), found by
/// looking for the other places that read a `$ref` target with `openapiv3` (confirmed: no
/// output after 60 s at 24 levels).
#[test]
fn regression_deep_invalid_parameter_and_response_refs_are_reported_quickly() {
    let mut nested = "{type: array, items: true}".to_owned();
    for _ in 0..30 {
        nested = format!("{{type: array, items: {nested}}}");
    }
    let text = format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/schemas/A/x-param'\n      responses:\n        '200':\n          $ref: '#/components/schemas/A/x-response'\ncomponents:\n  schemas:\n    A:\n      type: object\n      x-param: {{name: p, in: query, schema: {nested}}}\n      x-response: {{description: d, content: {{application/json: {{schema: {nested}}}}}}}\n"
    );
    let output = load_and_generate(&text, 10).expect("loads");
    let deep = "/items".repeat(31);
    assert_eq!(
        messages(&output),
        [
            format!("error: #/paths/~1a/get/parameters/0: `#/components/schemas/A/x-param` is not a valid Parameter Object: #/components/schemas/A/x-param/schema{deep}: `items` must be a schema, found `true`; the parameter is left out"),
            format!("error: #/paths/~1a/get/responses/200: `#/components/schemas/A/x-response` is not a valid Response Object: #/components/schemas/A/x-response/content/application~1json/schema{deep}: `items` must be a schema, found `true`"),
        ]
    );
}

#[test]
fn regression_nullable_xml_bodies_generate_valid_rust() {
    // A nullable object with an XML form, as a response and as a request body offered in XML
    // beside JSON: `Option<Pet>::from_xml` is not Rust (and `Option` has no XML form).
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pet:\n    put:\n      operationId: updatePet\n      requestBody:\n        content:\n          application/json: {schema: {$ref: '#/components/schemas/Pet'}}\n          application/xml: {schema: {$ref: '#/components/schemas/Pet'}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/xml: {schema: {$ref: '#/components/schemas/Pet'}}\n            application/json: {schema: {$ref: '#/components/schemas/Pet'}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      nullable: true\n      properties:\n        name: {type: string}\n";
    let output = load_and_generate(text, 10).expect("loads");
    // The body is an `Option<Pet>`, which has no `to_xml`: no XML method for it, and a warning
    // that says so.
    assert_eq!(
        messages(&output),
        ["warning: #/paths/~1pet/put/requestBody: the body may be `null`, which has no XML form; there is no `update_pet_xml` method"]
    );
    let client = &output.files.iter().find(|f| f.path == "src/client.rs").expect("a client").contents;
    assert!(client.contains("|text| Pet::from_xml(text).map(Some)"), "{client}");
    assert!(!client.contains("update_pet_xml"), "{client}");
}

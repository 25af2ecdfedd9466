//! Broken specs give errors that name the file and the JSON Pointer of each problem, and
//! unsupported constructs are reported, never dropped in silence. Exact texts are pinned.

use apigen::{Severity, SpecSource};

fn load_error(name: &str, text: &str) -> String {
    match apigen::load(&SpecSource { name: name.to_owned(), text: text.to_owned() }) {
        Ok(_) => panic!("{name} loaded, but it is broken"),
        Err(e) => e.to_string(),
    }
}

fn warnings(text: &str) -> Vec<String> {
    let source = SpecSource { name: "warn.yaml".to_owned(), text: text.to_owned() };
    let output = apigen::generate_from_source(&source, &apigen::Options::new("warn")).unwrap_or_else(|e| panic!("{e}"));
    output.diagnostics.iter().filter(|d| d.severity == Severity::Warning).map(ToString::to_string).collect()
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn invalid_yaml_names_file_and_position() {
    let err = load_error("specs/bad.yaml", "openapi: 3.0.3\ninfo: [unclosed\n");
    assert!(err.starts_with("specs/bad.yaml: error: #: invalid YAML: "), "unexpected message: {err}");
    assert!(err.contains("line 3"), "the YAML position is missing: {err}");
}

#[test]
fn invalid_json_names_file_and_position() {
    let err = load_error("specs/bad.json", "{\"openapi\": \"3.0.3\",\n \"info\": }");
    assert_eq!(err, "specs/bad.json: error: #: invalid JSON: expected value at line 2 column 10");
}

#[test]
fn dangling_and_external_refs_are_all_reported() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/Missing'}}\n        c: {{$ref: 'other.yaml#/C'}}\n        d: {{$ref: '#/components/schemas/A/properties/zzz'}}\n"
    );
    assert_eq!(
        load_error("spec.yaml", &text),
        "spec.yaml: error: #/components/schemas/A/properties/c/$ref: cannot read `other.yaml`: no resolver was given to read `other.yaml` (the spec refers to other files)\n\
         spec.yaml: error: #/components/schemas/A/properties/b/$ref: reference `#/components/schemas/Missing` does not resolve to anything in the document\n\
         spec.yaml: error: #/components/schemas/A/properties/d/$ref: reference `#/components/schemas/A/properties/zzz` does not resolve to anything in the document"
    );
}

#[test]
fn ref_keys_in_example_data_are_not_references() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      example: {{$ref: 'not a reference'}}\n      properties:\n        example: {{type: string}}\n"
    );
    assert!(apigen::load(&SpecSource { name: "ok.yaml".into(), text }).is_ok());
}

#[test]
fn duplicate_operation_ids_name_both_places() {
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: same\n      responses: {{'200': {{description: ok}}}}\n  /b:\n    post:\n      operationId: same\n      responses: {{'200': {{description: ok}}}}\n"
    );
    assert_eq!(
        load_error("dup.yaml", &text),
        "dup.yaml: error: #/paths/~1b/post/operationId: duplicate operationId `same`: also used at #/paths/~1a/get"
    );
}

#[test]
fn unsupported_versions_are_refused() {
    assert_eq!(
        load_error("v33.yaml", "openapi: 3.3.0\ninfo: {title: t, version: '1'}\npaths: {}\n"),
        "v33.yaml: error: #/openapi: OpenAPI version 3.3.0 is not supported; this generator reads 3.0, 3.1 and 3.2, and Swagger 2.0"
    );
}

#[test]
fn a_mistyped_keyword_names_its_pointer() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        n: {{type: integer, exclusiveMinimum: 5}}\n"
    );
    assert_eq!(
        load_error("typed.yaml", &text),
        "typed.yaml: error: #/components/schemas/A/properties/n/exclusiveMinimum: `exclusiveMinimum` must be a boolean, found the number 5 (a number here is OpenAPI 3.1 / JSON Schema draft 6 style; in 3.0 it is a boolean beside `minimum`/`maximum`)"
    );
}

#[test]
fn every_mistyped_keyword_is_reported_at_once() {
    let text = format!(
        "{HEAD}paths:\n  /x:\n    get:\n      parameters:\n        - {{name: q, in: query, schema: {{type: [string, 'null']}}}}\n      responses: {{'200': {{description: ok}}}}\ncomponents:\n  schemas:\n    A:\n      required: email\n      properties:\n        n: {{maxLength: -1}}\n"
    );
    assert_eq!(
        load_error("many.yaml", &text),
        "many.yaml: error: #/paths/~1x/get/parameters/0/schema/type: `type` must be a string, found an array (a list of types is OpenAPI 3.1 style; 3.0 uses one type and `nullable`)\n\
         many.yaml: error: #/components/schemas/A/required: `required` must be an array of strings, found the string `email`\n\
         many.yaml: error: #/components/schemas/A/properties/n/maxLength: `maxLength` must be a non-negative integer, found the number -1"
    );
}

#[test]
fn keywords_outside_openapi_3_0_are_reported_not_dropped() {
    // `const` has no meaning in 3.0 and is dropped; 2020-12's applicators are checked, as meant.
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      patternProperties: {{'^x': {{type: string}}}}\n      properties:\n        c: {{type: string, const: fixed}}\n"
    );
    assert_eq!(
        warnings(&text),
        vec![
            "warning: #/components/schemas/A/patternProperties: `patternProperties` is JSON Schema 2020-12 (OpenAPI 3.1), not OpenAPI 3.0; it is checked as 2020-12 defines it",
            "warning: #/components/schemas/A/properties/c/const: `const` is not an OpenAPI 3.0 schema keyword; it is ignored",
        ]
    );
}

#[test]
fn a_format_whose_documented_value_does_not_parse_is_a_string_with_a_warning() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: string\n      format: date-time\n      example: '1985-01-01T'\n"
    );
    assert_eq!(
        warnings(&text),
        vec!["warning: #/components/schemas/A: `format: date-time`, but the spec's own value `1985-01-01T` does not parse as one; typed as `String` so that such values are not refused (validation still checks the format)"]
    );
}

fn errors(text: &str) -> Vec<String> {
    let source = SpecSource { name: "err.yaml".to_owned(), text: text.to_owned() };
    let output = apigen::generate_from_source(&source, &apigen::Options::new("err")).unwrap_or_else(|e| panic!("{e}"));
    output.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(ToString::to_string).collect()
}

#[test]
fn an_unknown_type_is_an_error_with_the_nearest_type() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        name: {{type: strng}}\n        any: {{type: widget}}\n    B:\n      type: obect\n      properties:\n        n: {{type: integer}}\n"
    );
    assert_eq!(
        errors(&text),
        [
            "error: #/components/schemas/A/properties/name/type: `type: strng` is not an OpenAPI 3.0 type (`array`, `boolean`, `integer`, `number`, `object` or `string`); did you mean `string`? The value is typed as any JSON value",
            "error: #/components/schemas/A/properties/any/type: `type: widget` is not an OpenAPI 3.0 type (`array`, `boolean`, `integer`, `number`, `object` or `string`); the value is typed as any JSON value",
            "error: #/components/schemas/B/type: `type: obect` is not an OpenAPI 3.0 type (`array`, `boolean`, `integer`, `number`, `object` or `string`); did you mean `object`? The value is typed as any JSON value",
        ]
    );
}

#[test]
fn a_dangling_ref_suggests_the_nearest_name() {
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Customer: {{type: string}}\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/Custmer'}}\n        c: {{$ref: '#/component/schemas/Customer'}}\n        d: {{$ref: '#/components/schemas/Invoice'}}\n"
    );
    assert_eq!(
        load_error("refs.yaml", &text),
        "refs.yaml: error: #/components/schemas/A/properties/b/$ref: reference `#/components/schemas/Custmer` does not resolve to anything in the document; did you mean `#/components/schemas/Customer`?\n\
         refs.yaml: error: #/components/schemas/A/properties/c/$ref: reference `#/component/schemas/Customer` does not resolve to anything in the document; did you mean `#/components/schemas/Customer`?\n\
         refs.yaml: error: #/components/schemas/A/properties/d/$ref: reference `#/components/schemas/Invoice` does not resolve to anything in the document"
    );
}

#[test]
fn missing_responses_are_reported_at_the_operation() {
    let text = format!("{HEAD}paths:\n  /a:\n    get:\n      operationId: a\n    post:\n      responses: {{'200': {{description: ok}}}}\n");
    assert_eq!(
        load_error("responses.yaml", &text),
        "responses.yaml: error: #/paths/~1a/get: missing `responses`: an operation must document at least one response (`responses: {'200': {description: OK}}`)"
    );
}

#[test]
fn header_names_http_cannot_carry_are_reported_and_not_sent() {
    let text = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      parameters:\n        - {{name: 'X Trace', in: header, schema: {{type: string}}}}\n        - {{name: X-Ok, in: header, schema: {{type: string}}}}\n      responses: {{'204': {{description: none}}}}\n\
         components:\n  securitySchemes:\n    key: {{type: apiKey, in: header, name: 'api key'}}\n"
    );
    assert_eq!(
        warnings(&text),
        [
            "warning: #/components/securitySchemes/key: security scheme `key`: `api key` is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only); the scheme is left out",
            "warning: #/paths/~1a/get/parameters/0: header parameter `X Trace` is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only); it is not sent",
        ]
    );
}

#[test]
fn a_document_that_fails_to_load_also_reports_what_lowering_would() {
    // A mistyped keyword stops loading; the unknown `type` beside it, which lowering would
    // report next, is reported in the same run.
    let text = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        n: {{type: integer, maxLength: -1}}\n        s: {{type: strng}}\n"
    );
    assert_eq!(
        load_error("once.yaml", &text),
        "once.yaml: error: #/components/schemas/A/properties/n/maxLength: `maxLength` must be a non-negative integer, found the number -1\n\
         once.yaml: error: #/components/schemas/A/properties/s/type: `type: strng` is not an OpenAPI 3.0 type (`array`, `boolean`, `integer`, `number`, `object` or `string`); did you mean `string`? The value is typed as any JSON value"
    );
}

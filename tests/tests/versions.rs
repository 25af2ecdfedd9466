//! Swagger 2.0 and OpenAPI 3.1 / 3.2 read through the one pipeline, and specs over several
//! files: the same API written in each version generates the same crate, diagnostics and doc
//! comments point into the files as written, and every new diagnostic text is pinned.

use std::fs;
use std::path::Path;

use apigen::{Options, Severity, SpecSource};
use apigen_tests::messages;

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
}

/// Reads a file the way xtask does, relative to the workspace root.
fn resolve(location: &str) -> Result<String, String> {
    let relative =
        location.strip_prefix("tests/fixtures/").ok_or_else(|| format!("outside the fixtures: {location}"))?;
    fs::read_to_string(fixtures().join(relative)).map_err(|e| e.to_string())
}

fn generate(file: &str) -> apigen::Output {
    let text = fs::read_to_string(fixtures().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    let source = SpecSource { name: format!("tests/fixtures/{file}"), text };
    apigen::generate_with(&source, &resolve, &Options::new("petstore")).unwrap_or_else(|e| panic!("{e}"))
}

/// Every generated file, without the lines that name the spec file or a pointer into it.
fn public_api(output: &apigen::Output) -> Vec<(String, String)> {
    output
        .files
        .iter()
        .map(|f| {
            let text: Vec<&str> = f
                .contents
                .lines()
                .filter(|l| !l.contains("JSON Pointer: `") && !l.contains("tests/fixtures/petstore_v"))
                .collect();
            (f.path.clone(), text.join("\n"))
        })
        .collect()
}

fn load_error(text: &str) -> String {
    match apigen::load(&SpecSource { name: "spec.yaml".into(), text: text.into() }) {
        Ok(_) => panic!("loaded, but it is broken"),
        Err(e) => e.to_string(),
    }
}

fn warnings(text: &str) -> Vec<String> {
    let source = SpecSource { name: "spec.yaml".into(), text: text.into() };
    let output = apigen::generate_from_source(&source, &Options::new("w")).unwrap_or_else(|e| panic!("{e}"));
    output.diagnostics.iter().filter(|d| d.severity == Severity::Warning).map(ToString::to_string).collect()
}

#[test]
fn one_petstore_in_three_versions_is_one_crate() {
    let v30 = generate("petstore_v30.yaml");
    let v2 = generate("petstore_v2.yaml");
    let v31 = generate("petstore_v31.yaml");
    assert_eq!(messages(&v30), Vec::<String>::new());
    assert_eq!(messages(&v2), Vec::<String>::new());
    assert_eq!(messages(&v31), Vec::<String>::new());
    let expected = public_api(&v30);
    assert!(expected.iter().any(|(path, _)| path == "src/client.rs"), "the fixture has a client");
    for (version, output) in [("2.0", &v2), ("3.1", &v31)] {
        for ((path, text), (_, want)) in public_api(output).iter().zip(&expected) {
            assert_eq!(text, want, "{path} of the {version} petstore differs from 3.0's");
        }
        assert_eq!(public_api(output).len(), expected.len());
    }
}

#[test]
fn doc_comments_point_into_the_swagger_2_document() {
    let v2 = generate("petstore_v2.yaml");
    let types = &v2.files.iter().find(|f| f.path == "src/types.rs").expect("types.rs").contents;
    for pointer in ["#/definitions/NewPet/properties/tag", "#/definitions/Pet", "#/definitions/Error/properties/code"] {
        assert!(types.contains(&format!("JSON Pointer: `{pointer}`")), "no doc points at {pointer}");
    }
    assert!(!types.contains("#/components/"), "a doc points into the converted document");
    let client = &v2.files.iter().find(|f| f.path == "src/client.rs").expect("client.rs").contents;
    assert!(client.contains("JSON Pointer: `#/paths/~1pets/get`"));
    assert!(client.contains("pub const DEFAULT_BASE_URL: &str = \"https://petstore.example.com/v1\";"));
}

#[test]
fn a_spec_over_three_files_with_a_cycle_is_one_crate() {
    let output = generate("multifile/openapi.yaml");
    assert_eq!(messages(&output), Vec::<String>::new());
    let types = &output.files.iter().find(|f| f.path == "src/types.rs").expect("types.rs").contents;
    // Names follow the usual rules: the fragment's last token, else the file's stem; a name
    // the document already has is taken by its own schema.
    for declared in ["pub struct Error {", "pub struct CommonError {", "pub struct Owner {", "pub struct Pet {"] {
        assert!(types.contains(declared), "missing `{declared}` in:\n{types}");
    }
    for pointer in [
        "tests/fixtures/multifile/schemas/pet.json#/Pet/properties/owner",
        "tests/fixtures/multifile/schemas/owner.yaml#/properties/pets",
        "tests/fixtures/multifile/schemas/common.yaml#/Error/properties/message",
        "#/components/schemas/Error/properties/local",
    ] {
        assert!(types.contains(&format!("JSON Pointer: `{pointer}`")), "no doc points at {pointer}");
    }
    // The cycles Pet -> Owner -> Pet and Pet -> Pet are boxed where they must be (a list
    // already is a pointer).
    assert!(types.contains("pub owner: Option<Owner>,"), "{types}");
    assert!(types.contains("pub friend: Option<Box<Pet>>,"), "{types}");
}

#[test]
fn files_a_spec_cannot_read_are_errors_that_say_what_to_do() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      properties:\n        b: {$ref: 'other.yaml#/B'}\n        c: {$ref: 'https://example.com/c.yaml'}\n";
    assert_eq!(
        load_error(text),
        "spec.yaml: error: #/components/schemas/A/properties/b/$ref: cannot read `other.yaml`: no resolver was given to read `other.yaml` (the spec refers to other files)\n\
         spec.yaml: error: #/components/schemas/A/properties/c/$ref: remote reference `https://example.com/c.yaml` was not fetched (no resolver was given to read `https://example.com/c.yaml` (the spec refers to other files)): download the file and refer to it by a local path"
    );
    let source = SpecSource {
        name: "tests/fixtures/spec.yaml".into(),
        text: text.replace("other.yaml#/B", "multifile/schemas/pet.json#/Nope"),
    };
    let err = apigen::load_with(&source, &resolve).expect_err("a broken reference").to_string();
    assert!(
        err.starts_with("tests/fixtures/spec.yaml: error: #/components/schemas/A/properties/b/$ref: `#/Nope` does not resolve to anything in `tests/fixtures/multifile/schemas/pet.json`\n"),
        "{err}"
    );
}

#[test]
fn ref_keys_in_example_values_and_extensions_are_data() {
    let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-vendor: {$ref: 'https://example.com/x'}\ncomponents:\n  examples:\n    User:\n      value: {$ref: 'https://api.example.com/scim/v2/Users/1'}\n    Shared: {$ref: '#/components/examples/User'}\n  schemas:\n    A:\n      type: object\n      x-meta: {$ref: './nowhere.yaml'}\n      example: {$ref: 'not a reference'}\n";
    assert!(apigen::load(&SpecSource { name: "ok.yaml".into(), text: text.into() }).is_ok());
}

#[test]
fn versions_that_are_not_read_say_which_are() {
    assert_eq!(
        load_error("openapi: 4.0.0\ninfo: {title: t, version: '1'}\n"),
        "spec.yaml: error: #/openapi: OpenAPI version 4.0.0 is not supported; this generator reads 3.0, 3.1 and 3.2, and Swagger 2.0"
    );
    assert_eq!(
        load_error("swagger: '1.2'\ninfo: {title: t, version: '1'}\n"),
        "spec.yaml: error: #/swagger: Swagger version the string `1.2` is not supported; this generator reads Swagger 2.0, and OpenAPI 3.0, 3.1 and 3.2"
    );
    assert_eq!(
        load_error("info: {title: t, version: '1'}\n"),
        "spec.yaml: error: #: missing the `openapi` (or `swagger`) version field; is this an OpenAPI document?"
    );
}

const SWAGGER: &str = "swagger: '2.0'\ninfo: {title: t, version: '1'}\n";

#[test]
fn what_swagger_2_says_and_3_0_cannot_is_a_warning_at_its_2_0_pointer() {
    let text = format!(
        "{SWAGGER}paths:\n  /a/{{ids}}:\n    post:\n      operationId: a\n      schemes: [http]\n      parameters:\n        - {{name: ids, in: path, required: true, type: array, items: {{type: string}}, collectionFormat: pipes}}\n        - {{name: t, in: query, type: array, items: {{type: string}}, collectionFormat: tsv}}\n        - {{name: f, in: header, type: file}}\n        - {{name: one, in: body, schema: {{type: string}}}}\n        - {{name: two, in: body, schema: {{type: string}}}}\n      responses:\n        '200':\n          description: ok\n          schema: {{type: string}}\n          examples: {{text/plain: hello}}\n"
    );
    assert_eq!(
        warnings(&text),
        [
            "warning: #/paths/~1a~1{ids}/post/schemes: the operation's own `schemes` are not kept: the client sends every operation to the same base URL",
            "warning: #/paths/~1a~1{ids}/post/parameters/0/collectionFormat: `pipes` is not a collection format of a path parameter: the parameter is one string; join the items with `|` yourself",
            "warning: #/paths/~1a~1{ids}/post/parameters/1/collectionFormat: `tsv` has no OpenAPI 3.0 style: the parameter is one string; join the items with tabs yourself",
            "warning: #/paths/~1a~1{ids}/post/parameters/2/type: `type: file` belongs to a formData parameter; this header parameter is read as a string",
            "warning: #/paths/~1a~1{ids}/post/parameters/4: an operation has one body: this parameter is left out (the first body parameter is the request body)",
            "warning: #/paths/~1a~1{ids}/post/responses/200/examples/text~1plain: an example for `text/plain`, which the response does not have as a schema's media type, is not kept",
        ]
    );
}

#[test]
fn security_definitions_3_0_cannot_read_are_errors() {
    let text = format!(
        "{SWAGGER}paths: {{}}\nsecurityDefinitions:\n  a: {{type: oauth2, flow: magic, scopes: {{}}}}\n  b: {{type: cookie}}\n"
    );
    assert_eq!(
        load_error(&text),
        "spec.yaml: error: #/securityDefinitions/a/flow: unknown OAuth2 flow `magic`\n\
         spec.yaml: error: #/securityDefinitions/b/type: unknown security scheme type `cookie`; Swagger 2.0 has basic, apiKey and oauth2"
    );
}

const OAS31: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n";

#[test]
fn what_3_1_says_and_3_0_cannot_is_a_warning() {
    let text = format!(
        "{OAS31}jsonSchemaDialect: https://example.com/my-dialect\npaths:\n  /a:\n    get: {{operationId: a}}\nwebhooks:\n  petAdded:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {{type: object, properties: {{id: {{type: integer}}}}}}\n      responses:\n        '200': {{description: ok}}\ncomponents:\n  securitySchemes:\n    tls: {{type: mutualTLS}}\n  schemas:\n    A:\n      type: object\n      properties:\n        a: {{type: string, nullable: true}}\n        b: {{type: integer, minimum: 1, exclusiveMinimum: true}}\n        c: {{type: string, nullable: true}}\n        d: {{type: string, contentEncoding: base32}}\n        e: {{type: [string, integer], anyOf: [{{minLength: 1}}, {{minimum: 1}}]}}\n        f: {{type: array, prefixItems: [{{type: string}}]}}\n"
    );
    assert_eq!(
        warnings(&text),
        [
            "warning: #/jsonSchemaDialect: schemas are read as OpenAPI's JSON Schema 2020-12 dialect, not as `https://example.com/my-dialect`",
            "warning: #/paths/~1a/get: the operation documents no responses: any status is read as its `default` response, with no body",
            "warning: #/components/securitySchemes/tls: a `mutualTLS` scheme is not set up by the client: give the client certificate to its HTTP client yourself",
            "warning: #/webhooks/petAdded: webhook `petAdded`: no client method is made (the API calls the receiver); its payload types are generated",
            "warning: #/components/schemas/A/properties/e/type: a list of types beside `anyOf` is not expressed: the value's type is left to the `anyOf`",
            "warning: #/components/schemas/A/properties/a/nullable: `nullable` is OpenAPI 3.0, not 3.1 (which writes `type: [..., \"null\"]`); read as meant: null is allowed (2 places in this document, the first here)",
            "warning: #/components/schemas/A/properties/b/exclusiveMinimum: a boolean `exclusiveMinimum` / `exclusiveMaximum` is OpenAPI 3.0, not 3.1 (which writes the bound itself); read as meant: the bound beside it is excluded (1 place in this document, the first here)",
            "warning: #/components/schemas/A/properties/d/contentEncoding: `contentEncoding` is not an OpenAPI 3.0 schema keyword; it is ignored",
        ]
    );
}

#[test]
fn json_schema_2020_12_reads_as_3_0_says_it() {
    let text = format!(
        "{OAS31}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [kind, size, owner, note]\n      properties:\n        kind: {{const: pet}}\n        size: {{type: integer, exclusiveMinimum: 0, exclusiveMaximum: 10}}\n        owner: {{$ref: '#/$defs/Owner', minProperties: 1}}\n        note: {{anyOf: [{{$ref: '#/components/schemas/B'}}, {{type: 'null'}}]}}\n        maybe: {{type: [integer, 'null'], examples: [3]}}\n        blob: {{type: string, contentEncoding: base64}}\n    B: {{type: string}}\n$defs:\n  Owner: {{type: object, properties: {{name: {{type: string}}}}}}\n"
    );
    let spec = apigen::load(&SpecSource { name: "spec.yaml".into(), text }).unwrap_or_else(|e| panic!("{e}"));
    let a = &spec.raw["components"]["schemas"]["A"]["properties"];
    assert_eq!(a["kind"], serde_json::json!({ "enum": ["pet"] }));
    assert_eq!(
        a["size"],
        serde_json::json!({ "type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true })
    );
    assert_eq!(
        a["owner"],
        serde_json::json!({ "minProperties": 1, "allOf": [{ "$ref": "#/components/schemas/Owner" }] })
    );
    assert_eq!(a["note"], serde_json::json!({ "anyOf": [{ "$ref": "#/components/schemas/B" }], "nullable": true }));
    assert_eq!(a["maybe"], serde_json::json!({ "type": "integer", "nullable": true, "example": 3 }));
    assert_eq!(a["blob"], serde_json::json!({ "type": "string", "format": "byte" }));
    // Pointers into the normalised document lead back to the 3.1 document.
    assert_eq!(
        spec.original_pointer("#/components/schemas/A/properties/size/minimum"),
        "#/components/schemas/A/properties/size/exclusiveMinimum"
    );
    assert_eq!(
        spec.original_pointer("#/components/schemas/A/properties/owner/allOf/0"),
        "#/components/schemas/A/properties/owner"
    );
    assert_eq!(spec.original_pointer("#/components/schemas/Owner/properties/name"), "#/$defs/Owner/properties/name");
}

#[test]
fn query_and_additional_operations_of_3_2_get_client_methods() {
    let text = "openapi: 3.2.0\ninfo: {title: t, version: '1'}\nservers: [{url: 'https://x.example'}]\npaths:\n  /pets:\n    query:\n      operationId: searchPets\n      requestBody:\n        content:\n          application/json:\n            schema: {type: object, properties: {name: {type: string}}}\n      responses:\n        '200': {description: ok}\n    additionalOperations:\n      COPY:\n        operationId: copyPets\n        responses:\n          '204': {description: copied}\n";
    let source = SpecSource { name: "spec.yaml".into(), text: text.into() };
    let output = apigen::generate_from_source(&source, &Options::new("q")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(messages(&output), Vec::<String>::new());
    let client = &output.files.iter().find(|f| f.path == "src/client.rs").expect("client.rs").contents;
    for wanted in [
        "pub async fn search_pets(",
        "client::Method::from_bytes(b\"QUERY\")",
        "pub async fn copy_pets(",
        "client::Method::from_bytes(b\"COPY\")",
        "JSON Pointer: `#/paths/~1pets/additionalOperations/COPY`",
    ] {
        assert!(client.contains(wanted), "no `{wanted}` in:\n{client}");
    }
    let bad = text.replace("COPY:", "'CO PY':");
    assert_eq!(
        load_error(&bad),
        "spec.yaml: error: #/paths/~1pets/additionalOperations/CO PY: `CO PY` is not an HTTP method name (a token of letters, digits and `!#$%&'*+-.^_`|~`)"
    );
}

#[test]
fn item_schemas_of_3_2_streams_are_types() {
    let text = "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /events:\n    get:\n      operationId: streamEvents\n      responses:\n        '200':\n          description: events\n          content:\n            text/event-stream:\n              itemSchema: {type: object, required: [id], properties: {id: {type: integer}}}\n";
    let source = SpecSource { name: "spec.yaml".into(), text: text.into() };
    let output = apigen::generate_from_source(&source, &Options::new("s")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        messages(&output),
        ["warning: #/paths/~1events/get/responses/200/content/text~1event-stream/itemSchema: each item of this stream is typed (`StreamEventsItem`), but the client reads the body as bytes: read the items with that type yourself"]
    );
    let types = &output.files.iter().find(|f| f.path == "src/types.rs").expect("types.rs").contents;
    assert!(types.contains("pub struct StreamEventsItem {"), "{types}");
    assert!(
        types.contains("JSON Pointer: `#/paths/~1events/get/responses/200/content/text~1event-stream/itemSchema`"),
        "{types}"
    );
}

#[test]
fn a_nullable_alias_in_a_multipart_body_sends_no_part_for_null() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /images:\n    post:\n      operationId: edit\n      requestBody:\n        content:\n          multipart/form-data:\n            schema:\n              type: object\n              properties:\n                partial: {$ref: '#/components/schemas/Partial'}\n      responses:\n        '204': {description: done}\ncomponents:\n  schemas:\n    Partial:\n      anyOf: [{type: integer}, {type: 'null'}]\n";
    let source = SpecSource { name: "spec.yaml".into(), text: text.into() };
    let output = apigen::generate_from_source(&source, &Options::new("m")).unwrap_or_else(|e| panic!("{e}"));
    let client = &output.files.iter().find(|f| f.path == "src/client.rs").expect("client.rs").contents;
    let types = &output.files.iter().find(|f| f.path == "src/types.rs").expect("types.rs").contents;
    assert!(types.contains("pub type Partial = Option<i64>;"), "{types}");
    assert!(client.contains("if let Some(value) = Option::as_ref(value) {\n"), "{client}");
    assert!(client.contains("form.text(\"partial\", value.to_string());"), "{client}");
}

#[test]
fn swagger_2_form_parameters_and_discriminators_read_as_3_0_says_them() {
    let text = format!(
        "{SWAGGER}consumes: [application/x-www-form-urlencoded]\npaths:\n  /a:\n    post:\n      operationId: a\n      parameters:\n        - {{name: ids, in: formData, required: true, type: array, items: {{type: integer}}, collectionFormat: multi}}\n        - {{name: note, in: formData, type: string, description: A note.}}\n      responses:\n        '204': {{description: done}}\ndefinitions:\n  Pet:\n    type: object\n    discriminator: kind\n    required: [kind]\n    properties:\n      kind: {{type: string}}\n"
    );
    let spec = apigen::load(&SpecSource { name: "spec.yaml".into(), text }).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        spec.raw["paths"]["/a"]["post"]["requestBody"],
        serde_json::json!({
            "required": true,
            "content": { "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "ids": { "type": "array", "items": { "type": "integer" } },
                        "note": { "type": "string", "description": "A note." },
                    },
                    "required": ["ids"],
                },
                "encoding": { "ids": { "style": "form", "explode": true } },
            } },
        })
    );
    assert_eq!(
        spec.raw["components"]["schemas"]["Pet"]["discriminator"],
        serde_json::json!({ "propertyName": "kind" })
    );
    assert_eq!(
        spec.original_pointer(
            "#/paths/~1a/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/note"
        ),
        "#/paths/~1a/post/parameters/1"
    );
}

#[test]
fn a_description_beside_a_ref_documents_the_field() {
    let text = format!(
        "{OAS31}paths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        owner: {{$ref: '#/components/schemas/Owner', description: Who feeds the pet.}}\n        vet: {{$ref: '#/components/schemas/Owner'}}\n    Owner:\n      description: A person.\n      type: object\n      properties:\n        name: {{type: string}}\n"
    );
    let spec = apigen::load(&SpecSource { name: "spec.yaml".into(), text }).unwrap_or_else(|e| panic!("{e}"));
    let output = apigen::generate(&spec, &Options::new("w"));
    let types = &output.files.iter().find(|f| f.path == "src/types.rs").expect("types.rs").contents;
    let field = |name: &str| {
        let at = types.find(&format!("pub {name}:")).unwrap_or_else(|| panic!("no field {name} in:\n{types}"));
        let before = &types[..at];
        before[before.rfind("pub struct Pet").expect("the struct")..].rsplit("pub ").next().expect("a field").to_owned()
    };
    // The sibling describes this use of the type, and wins over the type's own description.
    assert!(field("owner").contains("/// Who feeds the pet.\n"), "{}", field("owner"));
    assert!(!field("owner").contains("A person."), "{}", field("owner"));
    // Without one, the field says only where it is; the type's doc stays on the type.
    assert!(!field("vet").contains("A person."), "{}", field("vet"));
    assert!(field("vet").contains("/// JSON Pointer: `#/components/schemas/Pet/properties/vet`"), "{}", field("vet"));
}

#[test]
fn a_querystring_parameter_is_a_warning_and_a_list_of_types_a_union() {
    let text = "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths:\n  /search:\n    get:\n      operationId: search\n      parameters:\n        - {name: filter, in: querystring, content: {application/x-www-form-urlencoded: {schema: {type: object}}}}\n        - {name: page, in: query, schema: {type: integer, minimum: 1}}\n      responses:\n        '200': {description: ok}\ncomponents:\n  schemas:\n    Id:\n      type: [string, integer]\n";
    assert_eq!(
        warnings(text),
        ["warning: #/paths/~1search/get/parameters/0: `in: querystring` parameter `filter` (the whole query string) is not sent by the client: build the query string yourself (a request hook can set it)"]
    );
    let spec =
        apigen::load(&SpecSource { name: "spec.yaml".into(), text: text.to_owned() }).unwrap_or_else(|e| panic!("{e}"));
    // The parameter after the one taken out still points where the document has it.
    assert_eq!(
        spec.original_pointer("#/paths/~1search/get/parameters/0/schema"),
        "#/paths/~1search/get/parameters/1/schema"
    );
    let output = apigen::generate(&spec, &Options::new("w"));
    let types = &output.files.iter().find(|f| f.path == "src/types.rs").expect("types.rs").contents;
    // Several non-null types: an untagged union, the integer tried before the string.
    let union = &types[types.find("pub enum Id {").expect("a union")..];
    let integer = union.find("Integer(i64),").expect("an integer variant");
    let string = union.find("String(String),").expect("a string variant");
    assert!(integer < string, "{union}");
}

#[test]
fn what_2020_12_keywords_cannot_decide_is_said() {
    let text = format!(
        "{OAS31}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: array\n      contains: {{type: string}}\n      unevaluatedItems: false\n    B:\n      type: object\n      then: {{required: [a]}}\n      patternProperties:\n        '(': {{type: string}}\n"
    );
    let source = SpecSource { name: "spec.yaml".into(), text };
    let output = apigen::generate_from_source(&source, &Options::new("w")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        messages(&output),
        [
            "warning: #/components/schemas/A/unevaluatedItems: `unevaluatedItems` is not checked: which items it leaves depends on which items or subschemas of `contains` the value satisfies, which is not decided when the code is generated",
            "error: #/components/schemas/B/patternProperties/(: pattern `(` cannot be compiled by the `fancy-regex` crate (Parsing error at position 1: Opening parenthesis without closing parenthesis); the properties it names are not checked",
            "warning: #/components/schemas/B/then: `then` without `if` has no effect (JSON Schema ignores it)",
        ]
    );
}

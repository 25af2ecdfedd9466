// Included (`include!`) by `build.rs`, which compiles the crate generated from it, and by
// `tests/layout.rs`, which checks its file layout: one spec, so that what is compiled is what
// is checked.

/// A spec of 300 object schemas, `Account0`..`Account149` and `Payment0`..`Payment149`, each
/// payment referring to an account (so areas refer to each other), and an operation whose
/// client refers to them: above the 200 types at which `types/` and `validate/` are split.
/// Built here rather than committed, deterministically.
pub fn large_spec() -> String {
    use std::fmt::Write as _;
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: Large, version: '1'}\npaths:\n  /payments/{id}:\n    get:\n      operationId: getPayment\n      parameters:\n        - {name: id, in: path, required: true, schema: {type: string, maxLength: 8}}\n      responses:\n        '200':\n          description: The payment.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Payment0'}\ncomponents:\n  schemas:\n",
    );
    for i in 0..150 {
        let _ = writeln!(spec, "    Account{i}:\n      type: object\n      properties:\n        id: {{type: string, maxLength: 8}}");
        let _ = writeln!(
            spec,
            "    Payment{i}:\n      type: object\n      required: [account]\n      properties:\n        account: {{$ref: '#/components/schemas/Account{i}'}}"
        );
    }
    spec
}

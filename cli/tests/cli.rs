//! The `apigen` binary: `validate` against any spec (output and exit status as `cargo xtask
//! validate`'s), and diagnostics that name file, line and column.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("cli/ is inside the repository").to_owned()
}

/// Runs `apigen` in the repository's root with `input` on stdin: exit code, stdout, stderr.
fn run(args: &[&str], input: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_apigen"))
        .current_dir(repo())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("apigen starts");
    child.stdin.take().expect("stdin is piped").write_all(input.as_bytes()).expect("stdin accepts input");
    let output = child.wait_with_output().expect("apigen ends");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn validate_reports_pointer_keyword_and_message_per_payload() {
    // The payloads of tests/tests/validate_cli.rs, whose verdicts come from the generated
    // validators: the interpreter gives the same.
    let input = concat!(
        r#"{"campaign":"c","customer":{"first_name":"A","last_name":"B","email":"a@b.co"}}"#,
        "\n",
        r#"{"campaign":"c","customer":{"first_name":"A","last_name":"B","email":"bad"},"metadata":[{"name":"","value":"v"}]}"#,
        "\n",
        "\n",
        r#"{"campaign":"c"}"#,
        "\n",
        "not json\n",
    );
    let (code, stdout, stderr) = run(&["validate", "specs/revcent.yaml", "--operation", "CreateCustomer", "-"], input);
    assert_eq!(
        stdout,
        "1: valid\n\
         2: invalid /customer/email format; /metadata/0/name minLength\n  \
         /customer/email: is not a valid email (format)\n  \
         /metadata/0/name: must be at least 1 character long, is 0 (minLength)\n\
         4: invalid (root) required\n  \
         (root): required property `customer` is missing (required)\n\
         5: invalid (root) json\n  \
         (root): not valid JSON: expected ident at line 1 column 2 (json)\n"
    );
    assert_eq!(stderr, "4 payload(s): 1 valid, 3 invalid\n");
    assert_eq!(code, 1);
}

#[test]
fn validate_all_valid_exits_zero_and_reads_files() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payloads.jsonl");
    std::fs::write(&file, "{\"detail\":\"x\"}\n").unwrap();
    let (code, stdout, _) =
        run(&["validate", "specs/revnue.yaml", "--schema", "ErrorDetail", file.to_str().unwrap()], "");
    assert_eq!((code, stdout.as_str()), (0, "1: valid\n"));
}

#[test]
fn validate_usage_errors_exit_two_and_list_the_choices() {
    let (code, _, stderr) = run(&["validate", "specs/revcent.yaml", "--schema", "Nope", "-"], "");
    assert_eq!(code, 2);
    assert_eq!(stderr, "specs/revcent.yaml has no schema named `Nope`; it has: CreateCustomerRequest, CreateCustomerSuccess, ApiStandardErrors\n");
    let (code, _, stderr) = run(&["validate", "specs/nope.yaml", "--schema", "X", "-"], "");
    assert_eq!(code, 2);
    assert!(stderr.starts_with("specs/nope.yaml: error: cannot read the spec: "), "{stderr}");
    let (code, _, _) = run(&["validate", "specs/revcent.yaml", "-"], "");
    assert_eq!(code, 2, "--schema or --operation is required");
}

#[test]
fn generator_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("broken.json");
    // A JSON spec whose operation's response refers to a schema that is not there.
    std::fs::write(
        &spec,
        "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"t\", \"version\": \"1\"},\n  \"paths\": {\n    \"/a\": {\n      \"get\": {\n        \"responses\": {\"200\": {\"$ref\": \"#/components/responses/Gone\"}}\n      }\n    }\n  }\n}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let (code, _, stderr) = run(&["generate", spec.to_str().unwrap(), "--out", out.to_str().unwrap()], "");
    assert_eq!(code, 1);
    let shown = spec.display();
    assert_eq!(
        stderr,
        format!("{shown}:7:31: error: #/paths/~1a/get/responses/200/$ref: reference `#/components/responses/Gone` does not resolve to anything in the document\n")
    );
    assert!(!out.exists(), "nothing is written when the spec has errors");
}

#[test]
fn name_config_and_runtime_path_options() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("apigen.toml");
    std::fs::write(&config, "[revcent]\nname = \"from-config\"\nversion = \"9.9.9\"\n").unwrap();
    let out = dir.path().join("out");
    let (out_arg, config_arg) = (out.to_str().unwrap(), config.to_str().unwrap());
    let args = ["generate", "specs/revcent.yaml", "--out", out_arg, "--config", config_arg, "--runtime-path", "../rt"];
    let (code, _, stderr) = run(&args, "");
    assert_eq!(code, 0, "{stderr}");
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\nname = \"from-config\"\nversion = \"9.9.9\"\n"), "{manifest}");
    assert!(manifest.contains("\napigen-runtime = { path = \"../rt\" }\n"), "{manifest}");
    assert!(manifest.contains("\n[features]\ndefault = [\"client\"]\n"), "{manifest}");
    // --name wins over the configuration; the check must be given the same options.
    let (code, _, _) =
        run(&["check", "specs/revcent.yaml", out_arg, "--config", config_arg, "--runtime-path", "../rt"], "");
    assert_eq!(code, 0);
    let (code, _, stderr) = run(
        &["check", "specs/revcent.yaml", out_arg, "--config", config_arg, "--runtime-path", "../rt", "--name", "other"],
        "",
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("-name = \"from-config\"\n+name = \"other\"\n"), "{stderr}");
    // A configuration without a table for the spec is an error, not silently nothing.
    std::fs::write(&config, "[pelcro]\n").unwrap();
    let (code, _, stderr) = run(&["check", "specs/revcent.yaml", out_arg, "--config", config_arg], "");
    assert_eq!((code, stderr), (2, format!("{config_arg}: error: no `[revcent]` table for specs/revcent.yaml\n")));
}

//! The JSON Lines checker: one line per payload, exit status by outcome.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], input: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_validate"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the validate binary starts");
    child.stdin.take().expect("stdin is piped").write_all(input.as_bytes()).expect("stdin accepts input");
    let output = child.wait_with_output().expect("the validate binary ends");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn one_line_per_payload_with_pointers_and_keywords() {
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
    let (code, stdout, stderr) = run(&["revcent", "--operation", "CreateCustomer", "-"], input);
    assert_eq!(
        stdout,
        "1: valid\n2: invalid /customer/email format; /metadata/0/name minLength\n4: invalid (root) required\n5: invalid (root) json\n"
    );
    assert_eq!(stderr, "4 payload(s): 1 valid, 3 invalid\n");
    assert_eq!(code, 1);
}

#[test]
fn all_valid_exits_zero() {
    let (code, stdout, _) = run(&["revnue", "--schema", "ErrorDetail", "-"], "{\"detail\":\"x\"}\n");
    assert_eq!((code, stdout.as_str()), (0, "1: valid\n"));
}

#[test]
fn unknown_names_are_usage_errors_that_list_the_choices() {
    let (code, _, stderr) = run(&["revcent", "--schema", "Nope", "-"], "");
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        "revcent has no schema named `Nope`; it has: CreateCustomerRequest, CreateCustomerSuccess, ApiStandardErrors\n"
    );
    let (code, _, stderr) = run(&["stripe", "--schema", "X", "-"], "");
    assert_eq!(code, 2);
    assert_eq!(stderr, "no API named `stripe`; the APIs are: jtl, pelcro, revcent, revnue, simplepin\n");
}

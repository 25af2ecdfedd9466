//! Types that survive spec growth: one user program, written against the crate generated from
//! a spec, still compiles, and does the same, against the crate generated from the same spec
//! plus one optional property. And the fragile form, a struct literal, does not compile even
//! against the first: generated structs are `non_exhaustive`, so nobody can write code that a
//! new property would break.
//!
//! Two scratch crates (the generated one and the user's, in one scratch workspace under
//! Cargo's temporary directory for tests) are built with `cargo --offline`: only crates the
//! workspace already uses, at the versions of its `Cargo.lock`. Nothing is read from
//! `../shared`. The scratch target directory is kept between runs, so only the first is cold.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const SPEC: &str = r##"openapi: 3.0.3
info: {title: Growing, version: 1.0.0}
paths: {}
components:
  schemas:
    Customer:
      type: object
      additionalProperties: false
      required: [name, address]
      properties:
        name: {type: string, minLength: 1}
        email: {type: string, format: email}
        nickname: {type: string, nullable: true}
        address: {$ref: "#/components/schemas/Address"}
    Address:
      type: object
      required: [city]
      properties:
        city: {type: string}
        zip: {type: string}
"##;

/// The property the spec gains: optional, beside the others.
const NEW_PROPERTY: &str = "        phone: {type: string, maxLength: 20}\n";

/// The user's program: builds values, reads fields, destructures, validates, reads and writes
/// JSON, the way the crate's README shows.
const USER_PROGRAM: &str = r##"use growing::types::{Address, Customer};
use growing::Validate;

fn main() {
    let customer = Customer::new("Ada", Address::new("Oslo").with_zip("0150"))
        .with_email("ada@example.com")
        .with_nickname(None);
    customer.validate().expect("valid");
    let Customer { name, address, .. } = &customer;
    println!("{name} lives in {}", address.city);
    println!("{}", serde_json::to_string(&customer).expect("serializes"));
    let read: Customer = growing::from_json(br#"{"name":"Bo","address":{"city":"Rome"},"nickname":"B"}"#).expect("reads");
    println!("{:?} {:?}", read.nickname, read.email);
    let invalid = Customer::new("", Address::new("Rome"));
    for error in invalid.validate().expect_err("empty name").iter() {
        println!("{} {}", error.pointer, error.keyword);
    }
}
"##;

/// What the program prints, against either crate.
const EXPECTED: &str = r#"Ada lives in Oslo
{"name":"Ada","email":"ada@example.com","nickname":null,"address":{"city":"Oslo","zip":"0150"}}
Some(Some("B")) None
/name minLength
"#;

/// A struct literal: what a new property would break, refused outright.
const LITERAL_PROGRAM: &str = r#"fn main() {
    let address = growing::types::Address { city: "Oslo".into(), zip: None };
    println!("{}", address.city);
}
"#;

#[test]
fn a_user_program_compiles_against_the_spec_and_the_spec_grown() {
    let grown = SPEC.replace("        address: {$ref", &format!("{NEW_PROPERTY}        address: {{$ref"));
    assert_ne!(grown, SPEC, "the property is added");

    let scratch = Scratch::new();
    scratch.generate(SPEC);
    let before = scratch.run("user");
    assert_eq!(before, EXPECTED);
    let refused = scratch.build_fails("literal");
    assert!(refused.contains("error[E0639]: cannot create non-exhaustive struct using struct expression"), "{refused}");

    scratch.generate(&grown);
    assert!(scratch.api_source().contains("pub phone:"), "the grown crate has the new field");
    assert_eq!(scratch.run("user"), EXPECTED);
}

/// The scratch workspace: `api/` (the generated crate, without its default features, so
/// nothing beyond the types is built) and `user/` (the programs).
struct Scratch {
    root: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("growth");
        let _ = fs::remove_dir_all(root.join("api"));
        fs::create_dir_all(root.join("user/src/bin")).unwrap();
        // Its own workspace, or Cargo would take it for a stray member of this one.
        fs::write(root.join("Cargo.toml"), "[workspace]\nresolver = \"2\"\nmembers = [\"api\", \"user\"]\n").unwrap();
        // The versions this workspace builds with, all in Cargo's cache already.
        let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        fs::copy(workspace.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
        fs::write(
            root.join("user/Cargo.toml"),
            "[package]\nname = \"user\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n\
             growing = { path = \"../api\", default-features = false }\nserde_json = \"1\"\n",
        )
        .unwrap();
        fs::write(root.join("user/src/bin/user.rs"), USER_PROGRAM).unwrap();
        fs::write(root.join("user/src/bin/literal.rs"), LITERAL_PROGRAM).unwrap();
        Self { root }
    }

    /// Generates the `growing` crate from `spec` into `api/`, replacing what was there.
    fn generate(&self, spec: &str) {
        let runtime = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generator/runtime").canonicalize().unwrap();
        let options = apigen::Options::new("growing").runtime_path(runtime.display().to_string());
        let source = apigen::SpecSource { name: "growing.yaml".into(), text: spec.to_owned() };
        let output = apigen::generate_from_source(&source, &options).unwrap_or_else(|e| panic!("{e}"));
        let api = self.root.join("api");
        let _ = fs::remove_dir_all(&api);
        for file in &output.files {
            let path = api.join(&file.path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, &file.contents).unwrap();
        }
    }

    fn api_source(&self) -> String {
        fs::read_to_string(self.root.join("api/src/types.rs")).unwrap()
    }

    fn cargo(&self, args: &[&str]) -> std::process::Output {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        Command::new(cargo)
            .args(args)
            .args(["--offline", "--quiet", "--manifest-path"])
            .arg(self.root.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", self.root.join("target"))
            .env_remove("RUSTFLAGS")
            .output()
            .expect("cargo runs")
    }

    /// Builds and runs a program of `user/`: what it prints.
    fn run(&self, bin: &str) -> String {
        let output = self.cargo(&["run", "-p", "user", "--bin", bin]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "`{bin}` failed:\n{stderr}");
        String::from_utf8(output.stdout).unwrap()
    }

    /// Builds a program of `user/` that must not compile: the compiler's errors.
    fn build_fails(&self, bin: &str) -> String {
        let output = self.cargo(&["build", "-p", "user", "--bin", bin]);
        assert!(!output.status.success(), "`{bin}` compiled");
        String::from_utf8_lossy(&output.stderr).into_owned()
    }
}

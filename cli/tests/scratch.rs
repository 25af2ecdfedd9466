//! Both routes end to end, as a user outside this repository takes them: a scratch cargo
//! project in a temporary directory, with Swagger's Petstore 3 as its spec
//! (`tests/fixtures/cli/petstore3.yaml`).
//!
//! - The CLI: `apigen generate` writes a crate, `apigen check` passes, the project builds
//!   against it, and after an edit of the spec `apigen check` fails with a diff and the
//!   command that fixes it.
//! - The build script: `apigen-build` writes `$OUT_DIR/built.rs` (with an `apigen.toml` that
//!   selects the `pet` operations and adds derives), included in a nested module.
//!
//! The program calls both generated clients against a loopback server. It builds offline:
//! the generated crate depends on `apigen-runtime` by version, and the project's
//! `[patch.crates-io]` points that at this repository's `generator/runtime`, as a project
//! would before the runtime is published. Its target directory is kept under `target/tmp`, so
//! only the first run builds its dependencies.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("cli/ is inside the repository").to_owned()
}

fn apigen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_apigen")).current_dir(dir).args(args).output().expect("apigen runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const MAIN: &str = r##"//! Calls the CLI-generated client and the build-script one against a loopback server.

use std::io::{Read, Write};

mod api {
    pub mod built {
        include!(concat!(env!("OUT_DIR"), "/built.rs"));
    }
}

/// Answers `count` requests with the same pet, one connection each, and sends back each
/// request line.
fn serve(count: usize) -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (sender, lines) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let mut stream = stream.unwrap();
            let mut request = Vec::new();
            let mut buffer = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let n = stream.read(&mut buffer).unwrap();
                if n == 0 { break; }
                request.extend_from_slice(&buffer[..n]);
            }
            let body = r#"{"id":7,"name":"Rex","photoUrls":[],"status":"sold"}"#;
            let response = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            stream.write_all(response.as_bytes()).unwrap();
            let text = String::from_utf8_lossy(&request).into_owned();
            sender.send(text.lines().next().unwrap_or_default().to_owned()).unwrap();
        }
    });
    (base, lines)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let (base, lines) = serve(2);
    let cli = petstore::Client::new(&base).unwrap().get_pet_by_id(7).await.unwrap();
    let petstore::client::GetPetByIdResponse::Ok(pet) = cli.value else { panic!("{:?}", cli.value) };
    println!("cli: {} ({:?}), request {}", pet.name, pet.status, lines.recv().unwrap());
    let built = api::built::Client::new(&base).unwrap().get_pet_by_id(7).await.unwrap();
    let api::built::client::GetPetByIdResponse::Ok(pet) = built.value else { panic!("{:?}", built.value) };
    // `Hash` and `Eq` come from apigen.toml's `derive`.
    let mut set = std::collections::HashSet::new();
    set.insert(*pet.clone());
    println!("build script: {} ({:?}), request {}", pet.name, pet.status, lines.recv().unwrap());
    // The operations with a JSON body: the pet's, since apigen.toml's `include` left out the
    // store's and the user's (`placeOrder`, `createUser`, ...).
    println!("validators: {:?}", api::built::OPERATION_IDS);
}
"##;

#[test]
fn cli_and_build_script_routes_from_a_scratch_project() {
    let repo = repo();
    let scratch = tempfile::tempdir().expect("a temporary directory");
    let dir = scratch.path();
    std::fs::copy(repo.join("tests/fixtures/cli/petstore3.yaml"), dir.join("openapi.yaml")).expect("the spec copies");

    // The CLI route: generate, then a clean check.
    let generated = apigen(dir, &["generate", "openapi.yaml", "--out", "petstore", "--name", "petstore"]);
    assert!(generated.status.success(), "{}", text(&generated.stderr));
    let mut files: Vec<String> = walk(&dir.join("petstore"));
    files.sort();
    assert_eq!(
        files,
        [
            "Cargo.toml",
            "README.md",
            "src/arbitrary.rs",
            "src/client.rs",
            "src/lib.rs",
            "src/mock.rs",
            "src/types.rs",
            "src/validate.rs",
            "src/xml.rs"
        ]
    );
    let manifest = std::fs::read_to_string(dir.join("petstore/Cargo.toml")).unwrap();
    assert!(manifest.contains("[dependencies]\napigen-runtime = { version = \"0.1\" }\n"), "{manifest}");
    assert!(manifest.contains("\n[features]\ndefault = [\"client\"]\n"), "{manifest}");
    let readme = std::fs::read_to_string(dir.join("petstore/README.md")).unwrap();
    assert!(readme.contains("\n```sh\napigen generate openapi.yaml --out petstore --name petstore\n```\n"), "{readme}");
    assert!(readme.contains("\n```sh\napigen check openapi.yaml petstore --name petstore\n```\n"), "{readme}");
    let lib = std::fs::read_to_string(dir.join("petstore/src/lib.rs")).unwrap();
    assert!(lib.starts_with("// Generated by apigen from `openapi.yaml`. Do not edit by hand: run `apigen generate openapi.yaml --out petstore --name petstore`.\n"));
    let check = apigen(dir, &["check", "openapi.yaml", "petstore", "--name", "petstore"]);
    assert_eq!(
        (check.status.code(), text(&check.stderr).lines().last()),
        (Some(0), Some("petstore is up to date (9 files)"))
    );

    // The build-script route, and a program that uses both.
    let runtime = repo.join("generator/runtime");
    let build = repo.join("build");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            r#"[package]
name = "scratch"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
petstore = {{ path = "petstore" }}
apigen-runtime = {{ version = "0.1", features = ["client", "xml"] }}
tokio = {{ version = "1", features = ["rt", "macros"] }}

[build-dependencies]
apigen-build = {{ path = {build:?} }}

# Until apigen-runtime is published: the generated crate asks for it by version.
[patch.crates-io]
apigen-runtime = {{ path = {runtime:?} }}

[workspace]
"#
        ),
    )
    .unwrap();
    std::fs::write(dir.join("apigen.toml"), "[openapi]\ninclude = { tags = [\"pet\"] }\nexclude = { operations = [\"uploadFile\"] }\nderive = [\"Eq\", \"Hash\"]\n").unwrap();
    std::fs::write(
        dir.join("build.rs"),
        "fn main() {\n    if let Err(e) = apigen_build::Config::new(\"openapi.yaml\", \"built\").config_file(\"apigen.toml\").generate() {\n        eprintln!(\"{e}\");\n        std::process::exit(1);\n    }\n}\n",
    )
    .unwrap();
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("src/main.rs"), MAIN).unwrap();
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scratch-target");
    let run = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", &target)
        .args(["run", "--quiet", "--offline"])
        .output()
        .expect("cargo runs");
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(
        text(&run.stdout),
        "cli: Rex (Some(Sold)), request GET /pet/7 HTTP/1.1\n\
         build script: Rex (Some(Sold)), request GET /pet/7 HTTP/1.1\n\
         validators: [\"updatePet\", \"addPet\"]\n"
    );

    // Drift: the spec changes, the committed crate does not.
    let spec = std::fs::read_to_string(dir.join("openapi.yaml")).unwrap();
    std::fs::write(
        dir.join("openapi.yaml"),
        spec.replace("summary: Find pet by ID.", "summary: Find a pet by its ID."),
    )
    .unwrap();
    let check = apigen(dir, &["check", "openapi.yaml", "petstore", "--name", "petstore"]);
    let stderr = text(&check.stderr);
    assert_eq!(check.status.code(), Some(1), "{stderr}");
    // The spec's warnings come first, then the drift.
    let stderr = &stderr[stderr.find("petstore differs").unwrap_or_else(|| panic!("{stderr}"))..];
    assert!(stderr.starts_with("petstore differs from what openapi.yaml generates now:\n\nstale: petstore/src/client.rs\n--- petstore/src/client.rs (on disk)\n+++ petstore/src/client.rs (generated now)\n"), "{stderr}");
    assert!(stderr.contains("\n-    /// Find pet by ID.\n+    /// Find a pet by its ID.\n"), "{stderr}");
    assert!(
        stderr.ends_with("\n\nrun `apigen generate openapi.yaml --out petstore --name petstore` to fix\n"),
        "{stderr}"
    );
    let fixed = apigen(dir, &["generate", "openapi.yaml", "--out", "petstore", "--name", "petstore"]);
    assert!(fixed.status.success());
    assert_eq!(apigen(dir, &["check", "openapi.yaml", "petstore", "--name", "petstore"]).status.code(), Some(0));
}

fn walk(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path).into_iter().map(|p| format!("{}/{p}", entry.file_name().to_string_lossy())));
        } else {
            out.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    out
}

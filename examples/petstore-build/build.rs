//! Generates the Petstore spec's types, validators and client into `$OUT_DIR/petstore.rs`.

fn main() {
    if let Err(e) = apigen_build::Config::new("openapi.yaml", "petstore").derive("Eq").generate() {
        // A build script reports failure by exiting non-zero, with the reason on stderr.
        eprintln!("{e}");
        std::process::exit(1);
    }
}

//! The file layout of a large generated crate: `src/types/` and `src/validate/` with one file
//! per area, every area declared by its `mod.rs`, every type in exactly one area, the same
//! bytes on every run. (The corpus, `cargo xtask corpus`, compiles such crates.)

use std::collections::BTreeSet;

include!("../src/large_spec.rs");

fn generate() -> apigen::Output {
    let source = apigen::SpecSource { name: "large.yaml".to_owned(), text: large_spec() };
    apigen::generate_from_source(&source, &apigen::Options::new("large")).expect("the spec loads")
}

/// The modules a `mod.rs` declares.
fn declared(mod_rs: &str) -> BTreeSet<String> {
    mod_rs.lines().filter_map(|l| l.trim().strip_prefix("mod ")?.strip_suffix(';').map(str::to_owned)).collect()
}

#[test]
fn a_large_crate_has_one_file_per_area() {
    let output = generate();
    let file = |path: &str| output.files.iter().find(|f| f.path == path).map(|f| f.contents.as_str());
    assert!(file("src/types.rs").is_none() && file("src/validate.rs").is_none());
    for module in ["types", "validate"] {
        let root = file(&format!("src/{module}/mod.rs")).unwrap_or_else(|| panic!("src/{module}/mod.rs"));
        let areas: BTreeSet<String> = output
            .files
            .iter()
            .filter_map(|f| f.path.strip_prefix(&format!("src/{module}/"))?.strip_suffix(".rs").map(str::to_owned))
            .filter(|name| name != "mod")
            .collect();
        assert!(areas.len() >= 2, "{module}: {areas:?}");
        assert_eq!(declared(root), areas, "src/{module}/mod.rs declares exactly the area files");
    }
    // `types::Foo` names every type: each is declared once, in an area re-exported by `mod.rs`.
    let types_root = file("src/types/mod.rs").unwrap_or_default();
    for area in declared(types_root) {
        assert!(types_root.contains(&format!("pub use {area}::*;")), "{area} is re-exported");
    }
    for i in 0..150 {
        for name in [format!("Account{i}"), format!("Payment{i}")] {
            let declaring =
                output.files.iter().filter(|f| f.contents.contains(&format!("pub struct {name} {{"))).count();
            assert_eq!(declaring, 1, "{name} is declared in exactly one file");
        }
    }
}

#[test]
fn the_layout_is_deterministic() {
    let first = generate().files;
    for _ in 0..3 {
        assert_eq!(generate().files, first);
    }
}

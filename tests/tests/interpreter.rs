//! Two implementations of the same validators, run side by side: the generated code of the five
//! APIs, and `apigen validate`'s interpreter over the model's rules (`apigen_cli::validate`),
//! on the differential harness's payloads (valid ones and mutations). Verdicts must agree on
//! every payload, and for rejected payloads the violated pointers too (where deserializing
//! the generated type failed, which stops at the first failure, its pointer must be among the
//! interpreter's).

#[path = "../src/differential/mod.rs"]
#[allow(dead_code)]
mod differential;

use std::collections::BTreeSet;

use apigen_cli::validate::{Interpreter, Target};
use differential::generate::Generator;
use differential::mutate::Kind;
use differential::schema::Schemas;
use differential::spec::{self, APIS};
use rand::rngs::StdRng;
use rand::SeedableRng;

const PER_API: usize = 1_000;

#[test]
fn interpreter_agrees_with_the_generated_validators() {
    let mut disagreements = Vec::new();
    let (mut compared, mut rejected) = (0, 0);
    for api in APIS {
        let text = std::fs::read_to_string(spec::spec_path(api)).expect("the spec reads");
        let source = apigen::SpecSource { name: format!("specs/{api}.yaml"), text };
        let loaded = apigen::load(&source).expect("the spec loads");
        let (model, _) = apigen::model_of(&loaded, &apigen::Options::new(api));
        let interpreter = Interpreter::new(&model);
        let reference_spec = spec::load(api);
        let entries = differential::registry::for_api(api);
        let validators: Vec<jsonschema::Validator> =
            entries.iter().map(|e| reference_spec.reference_validator(e.schema)).collect();
        let mut generator = Generator::new(Schemas::new(reference_spec.components), StdRng::seed_from_u64(11));
        for i in 0..PER_API {
            let which = i % entries.len();
            let entry = &entries[which];
            let ty = interpreter.target(&Target::Schema(entry.schema.to_owned())).expect("the schema is in the model");
            let root = generator.schemas.named(entry.schema);
            let reference = |v: &serde_json::Value| validators[which].is_valid(v);
            let mut payload = generator.valid(root, 0);
            for _ in 0..50 {
                if reference(&payload) {
                    break;
                }
                payload = generator.valid(root, 0);
            }
            let mut label = "unmutated".to_owned();
            if generator.chance(0.5) {
                // A duplicated key exists only in bytes the harness writes; a value has none.
                let (mutated, mutation) = generator.mutate(root, payload, &[Kind::DuplicateKey], &reference);
                payload = mutated;
                label = mutation.map_or(label, |m| m.label());
            }
            let bytes = serde_json::to_vec(&payload).expect("a value serializes");
            let generated = (entry.check)(&bytes);
            let interpreted = interpreter.validate(ty, &bytes);
            compared += 1;
            rejected += usize::from(generated.is_err());
            let generated_pointers: BTreeSet<String> =
                generated.as_ref().err().into_iter().flatten().map(|e| e.pointer.clone()).collect();
            let interpreted_pointers: BTreeSet<String> = interpreted.iter().map(|e| e.pointer.clone()).collect();
            // Reading into the generated type stops at its first failure, where the interpreter
            // goes on: then the generated pointers need only be among the interpreter's.
            let pointers_agree = if (entry.deserializes)(&bytes) {
                generated_pointers == interpreted_pointers
            } else {
                generated_pointers.is_subset(&interpreted_pointers)
            };
            if generated.is_ok() != interpreted.is_empty() || !pointers_agree {
                disagreements.push(format!(
                    "{api} {} ({label}): generated {:?}, interpreted {:?}\n  {}",
                    entry.schema,
                    generated
                        .err()
                        .map(|e| e.iter().map(|e| format!("{} {}", e.pointer, e.keyword)).collect::<Vec<_>>()),
                    interpreted.iter().map(|e| format!("{} {}", e.pointer, e.keyword)).collect::<Vec<_>>(),
                    String::from_utf8_lossy(&bytes)
                ));
            }
        }
    }
    assert_eq!(compared, APIS.len() * PER_API);
    // Half the payloads are mutated: a run that rejects none (or all) compared nothing useful.
    assert!(rejected > compared / 5 && rejected < compared * 4 / 5, "{rejected} of {compared} rejected");
    println!("{compared} payloads, {rejected} rejected by both, {} disagreements", disagreements.len());
    let shown: Vec<&String> = disagreements.iter().take(15).collect();
    assert!(
        disagreements.is_empty(),
        "{} of {compared} payloads disagree:\n{}",
        disagreements.len(),
        shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
}

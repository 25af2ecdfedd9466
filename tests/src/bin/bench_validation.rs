//! Validation throughput on one shared set of RevCent-shaped payloads (the request body of
//! `CreateCustomer`), printed as payloads per second:
//!
//! - (a) typed `serde_json` parse alone;
//! - (b) typed parse plus the generated validation (`apigen_runtime::from_json`);
//! - (c) `jsonschema`: parse to `Value` plus validation, fastest mode (`is_valid`) and
//!   all-errors mode (`iter_errors`);
//! - the validation step alone on input already parsed: generated `validate()` against
//!   `jsonschema`'s `is_valid` and `iter_errors`.
//!
//! Run in release: `cargo xtask bench-validation` (or
//! `cargo run --release -p apigen-tests --bin bench_validation`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use apigen_runtime::Validate;
use revcent::types::CreateCustomerRequest;
use serde_json::{json, Value};

const PAYLOADS: usize = 2_000;
const ROUNDS: usize = 15;

/// One way of handling the whole payload set.
type Mode<'a> = Box<dyn FnMut() + 'a>;

fn main() {
    let payloads = payloads();
    let bytes: Vec<Vec<u8>> = payloads.iter().map(|p| serde_json::to_vec(p).expect("payloads serialize")).collect();
    let schema = reference_schema();
    let validator =
        jsonschema::options().should_validate_formats(true).build(&schema).expect("the RevCent schema compiles");
    let typed: Vec<CreateCustomerRequest> =
        bytes.iter().map(|b| serde_json::from_slice(b).expect("payloads are valid")).collect();
    // Every payload is valid for both validators: the comparison is like for like.
    assert!(typed.iter().all(|t| t.validate().is_ok()));
    assert!(payloads.iter().all(|p| validator.is_valid(p)));

    let mean_bytes = bytes.iter().map(Vec::len).sum::<usize>() / bytes.len();
    println!("{} RevCent CreateCustomer payloads, {mean_bytes} bytes on average; best of {ROUNDS} rounds, modes interleaved\n", bytes.len());

    // Every round runs every mode once, so a slow patch of the machine slows all modes alike.
    let mut modes: Vec<(&str, Mode<'_>)> = vec![
        (
            "(a) typed parse (serde_json::from_slice)",
            Box::new(|| {
                for b in &bytes {
                    black_box(serde_json::from_slice::<CreateCustomerRequest>(b).is_ok());
                }
            }),
        ),
        (
            "(b) typed parse + generated validation",
            Box::new(|| {
                for b in &bytes {
                    black_box(apigen_runtime::from_json::<CreateCustomerRequest>(b).is_ok());
                }
            }),
        ),
        (
            "(c) jsonschema: parse to Value + is_valid",
            Box::new(|| {
                for b in &bytes {
                    let value: Value = serde_json::from_slice(b).expect("valid JSON");
                    black_box(validator.is_valid(&value));
                }
            }),
        ),
        (
            "(c) jsonschema: parse to Value + iter_errors",
            Box::new(|| {
                for b in &bytes {
                    let value: Value = serde_json::from_slice(b).expect("valid JSON");
                    black_box(validator.iter_errors(&value).count());
                }
            }),
        ),
        (
            "validation alone: generated validate()",
            Box::new(|| {
                for t in &typed {
                    black_box(t.validate().is_ok());
                }
            }),
        ),
        (
            "validation alone: jsonschema is_valid",
            Box::new(|| {
                for p in &payloads {
                    black_box(validator.is_valid(p));
                }
            }),
        ),
        (
            "validation alone: jsonschema iter_errors",
            Box::new(|| {
                for p in &payloads {
                    black_box(validator.iter_errors(p).count());
                }
            }),
        ),
    ];
    let mut best = vec![Duration::MAX; modes.len()];
    for (_, run) in modes.iter_mut() {
        run(); // warm-up
    }
    for _ in 0..ROUNDS {
        for (i, (_, run)) in modes.iter_mut().enumerate() {
            let start = Instant::now();
            run();
            best[i] = best[i].min(start.elapsed());
        }
    }
    let per: Vec<f64> = best.iter().map(|d| d.as_secs_f64() / PAYLOADS as f64).collect();
    println!("{:<52} {:>14} {:>12}", "", "payloads/s", "us/payload");
    for ((label, _), t) in modes.iter().zip(&per) {
        println!("{label:<52} {:>14.0} {:>12.3}", 1.0 / t, t * 1e6);
    }
    let (a, b, c_fast, c_all, v_gen, v_fast, v_all) = (per[0], per[1], per[2], per[3], per[4], per[5], per[6]);
    println!();
    println!("(b) / (a), goal at most 1.15:                        {:.2}", b / a);
    println!("(c, is_valid) / (b), goal at least 1.8:              {:.2}", c_fast / b);
    println!("(c, iter_errors) / (b):                              {:.2}", c_all / b);
    println!("jsonschema is_valid / generated, goal at least 5:    {:.2}", v_fast / v_gen);
    println!("jsonschema iter_errors / generated:                  {:.2}", v_all / v_gen);
}

/// Deterministic, varied, valid payloads: every optional object present or not, metadata of
/// 0 to 8 entries, strings of varied lengths.
fn payloads() -> Vec<Value> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let word =
        |n: u64, len: u64| -> String { (0..(3 + n % len)).map(|i| (b'a' + ((n >> i) % 26) as u8) as char).collect() };
    (0..PAYLOADS)
        .map(|i| {
            let n = next();
            let person = |n: u64| {
                json!({
                    "first_name": word(n, 10), "last_name": word(n >> 3, 14),
                    "address_line_1": format!("{} {} Street", n % 999, word(n >> 5, 8)),
                    "city": word(n >> 7, 12), "state": "CA", "zip": format!("{:05}", n % 99_999),
                    "country": "USA", "email": format!("{}.{}@example.com", word(n, 6), i),
                    "phone": format!("+1 555 {:04}", n % 9_999),
                })
            };
            let mut payload = json!({"campaign": format!("campaign-{}", n % 17), "customer": person(n)});
            if n % 3 == 0 {
                payload["bill_to"] = person(n >> 11);
            }
            if n % 4 != 0 {
                payload["payment"] = json!({"credit_card": {
                    "card_number": "4111111111111111", "exp_month": 1 + n % 12, "exp_year": 27 + n % 5, "card_code": "123"
                }});
            }
            if n % 5 != 0 {
                payload["internal_customer_id"] = json!(format!("ext-{i}"));
            }
            let entries = (n >> 20) % 9;
            payload["metadata"] = Value::Array(
                (0..entries).map(|k| json!({"name": format!("key{k}"), "value": word(n >> k, 40)})).collect(),
            );
            payload
        })
        .collect()
}

/// The request schema from `specs/revcent.yaml`, as the reference validator reads it.
fn reference_schema() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/revcent.yaml");
    let text = std::fs::read_to_string(path).expect("specs/revcent.yaml is readable");
    let spec: Value = serde_yaml::from_str(&text).expect("specs/revcent.yaml is YAML");
    spec["components"]["schemas"]["CreateCustomerRequest"].clone()
}

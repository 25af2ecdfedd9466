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
const ROUNDS: usize = 7;

fn main() {
    let payloads = payloads();
    let bytes: Vec<Vec<u8>> = payloads.iter().map(|p| serde_json::to_vec(p).expect("payloads serialize")).collect();
    let schema = reference_schema();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the RevCent schema compiles");
    let typed: Vec<CreateCustomerRequest> =
        bytes.iter().map(|b| serde_json::from_slice(b).expect("payloads are valid")).collect();
    // Every payload is valid for both validators: the comparison is like for like.
    assert!(typed.iter().all(|t| t.validate().is_ok()));
    assert!(payloads.iter().all(|p| validator.is_valid(p)));

    let mean_bytes = bytes.iter().map(Vec::len).sum::<usize>() / bytes.len();
    println!("{} RevCent CreateCustomer payloads, {mean_bytes} bytes on average; best of {ROUNDS} rounds\n", bytes.len());
    println!("{:<52} {:>14} {:>12}", "", "payloads/s", "us/payload");

    let a = measure("(a) typed parse (serde_json::from_slice)", &bytes, |b| {
        black_box(serde_json::from_slice::<CreateCustomerRequest>(b).is_ok());
    });
    let b = measure("(b) typed parse + generated validation", &bytes, |b| {
        black_box(apigen_runtime::from_json::<CreateCustomerRequest>(b).is_ok());
    });
    let c_fast = measure("(c) jsonschema: parse to Value + is_valid", &bytes, |b| {
        let value: Value = serde_json::from_slice(b).expect("valid JSON");
        black_box(validator.is_valid(&value));
    });
    let c_all = measure("(c) jsonschema: parse to Value + iter_errors", &bytes, |b| {
        let value: Value = serde_json::from_slice(b).expect("valid JSON");
        black_box(validator.iter_errors(&value).count());
    });
    println!();
    let v_gen = measure("validation alone: generated validate()", &typed, |t| {
        black_box(t.validate().is_ok());
    });
    let v_fast = measure("validation alone: jsonschema is_valid", &payloads, |p| {
        black_box(validator.is_valid(p));
    });
    let v_all = measure("validation alone: jsonschema iter_errors", &payloads, |p| {
        black_box(validator.iter_errors(p).count());
    });

    println!();
    println!("(b) / (a), goal at most 1.15:                        {:.2}", b / a);
    println!("(c, is_valid) / (b), goal at least 1.8:              {:.2}", c_fast / b);
    println!("(c, iter_errors) / (b):                              {:.2}", c_all / b);
    println!("jsonschema is_valid / generated, goal at least 5:    {:.2}", v_fast / v_gen);
    println!("jsonschema iter_errors / generated:                  {:.2}", v_all / v_gen);
}

/// Runs `f` over every input, `ROUNDS` times; prints and returns the best time per input, in
/// seconds.
fn measure<T>(label: &str, inputs: &[T], mut f: impl FnMut(&T)) -> f64 {
    // One warm-up pass.
    inputs.iter().for_each(&mut f);
    let mut best = Duration::MAX;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        for _ in 0..5 {
            inputs.iter().for_each(&mut f);
        }
        best = best.min(start.elapsed() / 5);
    }
    let per = best.as_secs_f64() / inputs.len() as f64;
    println!("{label:<52} {:>14.0} {:>12.3}", 1.0 / per, per * 1e6);
    per
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
    let word = |n: u64, len: u64| -> String { (0..(3 + n % len)).map(|i| (b'a' + ((n >> i) % 26) as u8) as char).collect() };
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

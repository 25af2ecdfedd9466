//! Checks a file of JSON payloads (JSON Lines) against a schema or an operation's request body
//! of one of the generated APIs, with the generated validators.
//!
//! ```text
//! cargo xtask validate <api> (--schema NAME | --operation ID) <FILE | ->
//! ```
//!
//! Prints one line per payload: `valid`, or `invalid` and each violation's pointer and
//! keyword. Exits 0 when every payload is valid, 1 when any is not, 2 on a usage error.

use std::io::{BufRead, BufReader, Read};
use std::process::ExitCode;

use apigen_runtime::ValidationErrors;

type Check = fn(&str, &[u8]) -> Option<Result<(), ValidationErrors>>;

/// Each generated API: its name, its schema and request-body checks, and what they know.
struct Api {
    name: &'static str,
    schema: Check,
    request: Check,
    schemas: &'static [&'static str],
    operations: &'static [&'static str],
}

const APIS: &[Api] = &[
    Api {
        name: "jtl",
        schema: jtl::validate_schema,
        request: jtl::validate_request,
        schemas: jtl::SCHEMA_NAMES,
        operations: jtl::OPERATION_IDS,
    },
    Api {
        name: "pelcro",
        schema: pelcro::validate_schema,
        request: pelcro::validate_request,
        schemas: pelcro::SCHEMA_NAMES,
        operations: pelcro::OPERATION_IDS,
    },
    Api {
        name: "revcent",
        schema: revcent::validate_schema,
        request: revcent::validate_request,
        schemas: revcent::SCHEMA_NAMES,
        operations: revcent::OPERATION_IDS,
    },
    Api {
        name: "revnue",
        schema: revnue::validate_schema,
        request: revnue::validate_request,
        schemas: revnue::SCHEMA_NAMES,
        operations: revnue::OPERATION_IDS,
    },
    Api {
        name: "simplepin",
        schema: simplepin::validate_schema,
        request: simplepin::validate_request,
        schemas: simplepin::SCHEMA_NAMES,
        operations: simplepin::OPERATION_IDS,
    },
];

const USAGE: &str = "usage: validate <api> (--schema NAME | --operation ID) <FILE | ->";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

/// Returns whether every payload was valid.
fn run(args: &[String]) -> Result<bool, String> {
    let [api, kind, target, file] = args else { return Err(USAGE.to_owned()) };
    let names: Vec<&str> = APIS.iter().map(|a| a.name).collect();
    let api = APIS
        .iter()
        .find(|a| a.name == api)
        .ok_or_else(|| format!("no API named `{api}`; the APIs are: {}", names.join(", ")))?;
    let (check, known, what) = match kind.as_str() {
        "--schema" => (api.schema, api.schemas, "schema"),
        "--operation" => (api.request, api.operations, "operation with a JSON request body"),
        _ => return Err(USAGE.to_owned()),
    };
    if !known.contains(&target.as_str()) {
        return Err(format!("{} has no {what} named `{target}`; it has: {}", api.name, known.join(", ")));
    }
    let input: Box<dyn Read> = if file == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(file).map_err(|e| format!("cannot open {file}: {e}"))?)
    };
    let (mut valid, mut invalid) = (0usize, 0usize);
    for (index, line) in BufReader::new(input).lines().enumerate() {
        let line = line.map_err(|e| format!("cannot read {file}: {e}"))?;
        if line.trim().is_empty() {
            continue;
        }
        let number = index + 1;
        match check(target, line.as_bytes()) {
            Some(Ok(())) => {
                valid += 1;
                println!("{number}: valid");
            }
            Some(Err(errors)) => {
                invalid += 1;
                let found: Vec<String> = errors
                    .iter()
                    .map(|e| format!("{} {}", if e.pointer.is_empty() { "(root)" } else { &e.pointer }, e.keyword))
                    .collect();
                println!("{number}: invalid {}", found.join("; "));
            }
            None => return Err(format!("{} has no {what} named `{target}`", api.name)),
        }
    }
    eprintln!("{} payload(s): {valid} valid, {invalid} invalid", valid + invalid);
    Ok(invalid == 0)
}

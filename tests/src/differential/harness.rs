//! The differential run: generate payloads, ask both validators, compare verdicts (hard) and
//! violated pointers (soft), and report.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::SeedableRng;
use serde_json::Value;

use super::generate::Generator;
use super::mutate::{Kind, Mutation};
use super::registry::{self, Entry};
use super::schema::Schemas;
use super::spec;

/// Mutation kinds whose disagreements are known and reported elsewhere. Their payloads are
/// still generated, run and counted, in a line of their own; their disagreements do not fail
/// the run unless `--include-known-gaps` is given.
pub const KNOWN_GAPS: &[(Kind, Accepts, &str)] = &[
    (
        Kind::BeyondI64,
        Accepts::Reference,
        "integers beyond i64 for integer fields without an int32/int64 format: JSON Schema sets no bound, \
         the generated i64 fields refuse them; known generator gap",
    ),
    (
        Kind::DuplicateKey,
        Accepts::Reference,
        "a root property written twice: RFC 8259 leaves duplicate names to the reader; serde's derive \
         refuses a known field twice, serde_json::Value (what jsonschema sees) keeps the last; documented \
         choice, not a bug",
    ),
];

/// Which side accepts in a disagreement. A known gap excuses one direction only: the other
/// direction fails the run like any disagreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepts {
    Ours,
    Reference,
}

impl Accepts {
    fn name(self) -> &'static str {
        match self {
            Accepts::Ours => "ours accepts",
            Accepts::Reference => "reference accepts",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub per_api: usize,
    pub seed: u64,
    /// Verdict disagreements printed in full per API; the rest are counted.
    pub examples: usize,
    /// Treat the known gaps like any other mutation kind.
    pub include_known_gaps: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options { per_api: 100_000, seed: 1, examples: 8, include_known_gaps: false }
    }
}

#[derive(Debug, Default, Clone)]
pub struct SchemaStats {
    pub schema: &'static str,
    pub payloads: usize,
    pub mutated: usize,
    pub valid: usize,
    pub invalid: usize,
    pub verdict_disagreements: usize,
    pub pointer_exact: usize,
    pub pointer_subset: usize,
    pub pointer_disagreements: usize,
    pub time: Duration,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct KindStats {
    pub payloads: usize,
    /// Payloads the reference rejects: a mutation that still passes did not break anything
    /// (an unmutated payload that fails means rejection sampling gave up).
    pub invalid: usize,
    pub disagreements: usize,
}

#[derive(Debug, Default, Clone)]
pub struct GapStats {
    pub payloads: usize,
    pub disagreements: usize,
}

#[derive(Debug, Default)]
pub struct ApiReport {
    pub api: &'static str,
    pub schemas: Vec<SchemaStats>,
    /// Per mutation label (`too-long`, `deep-array(null-not-nullable)`, `unmutated`).
    pub by_kind: BTreeMap<String, KindStats>,
    /// Per known gap: payloads of that kind, and how many disagreed.
    pub gaps: BTreeMap<&'static str, GapStats>,
    /// Disagreement classes: (schema, mutation label, who accepted) -> count.
    pub classes: BTreeMap<(String, String, &'static str), usize>,
    pub examples: Vec<String>,
    /// Pointer disagreements per (schema, mutation label): count, and the first example.
    pub pointer_classes: BTreeMap<(String, String), (usize, String)>,
    pub time: Duration,
}

impl ApiReport {
    /// Verdict disagreements that fail the run.
    pub fn failures(&self) -> usize {
        self.schemas.iter().map(|s| s.verdict_disagreements).sum()
    }

    pub fn payloads(&self) -> usize {
        self.schemas.iter().map(|s| s.payloads).sum()
    }
}

fn api_seed(seed: u64, api: &str) -> u64 {
    // FNV-1a of the name, mixed with the seed: each API has its own stream.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in api.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

fn ours_pointers(errors: &apigen_runtime::ValidationErrors) -> BTreeSet<String> {
    errors.iter().map(|e| e.pointer.clone()).collect()
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}... ({} chars)", s.chars().count())
    }
}

/// Runs one API.
pub fn run_api(api: &'static str, options: &Options) -> ApiReport {
    let started = Instant::now();
    let spec = spec::load(api);
    let entries: Vec<Entry> = registry::for_api(api);
    let bodies: BTreeSet<String> = spec.body_schemas().into_iter().collect();
    let registered: BTreeSet<String> = entries.iter().map(|e| e.schema.to_owned()).collect();
    assert_eq!(registered, bodies, "{api}: the registry must list exactly the body schemas of the spec");
    let validators: Vec<jsonschema::Validator> = entries.iter().map(|e| spec.reference_validator(e.schema)).collect();
    let schemas = Schemas::new(spec.components);
    let mut generator = Generator::new(schemas, StdRng::seed_from_u64(api_seed(options.seed, api)));

    let mut report = ApiReport { api, ..ApiReport::default() };
    report.schemas = entries.iter().map(|e| SchemaStats { schema: e.schema, ..SchemaStats::default() }).collect();
    for (kind, _, _) in KNOWN_GAPS {
        report.gaps.insert(kind.name(), GapStats::default());
    }

    for i in 0..options.per_api {
        let which = i % entries.len();
        let entry = &entries[which];
        let validator = &validators[which];
        let root = generator.schemas.named(entry.schema);
        let t0 = Instant::now();

        generator.density = *[0.2, 0.5, 0.9, 1.0].choose(&mut generator.rng).expect("non-empty");
        let reference = |v: &Value| validator.is_valid(v);
        let mut payload = generator.valid(root, 0);
        for _ in 0..50 {
            if reference(&payload) {
                break;
            }
            payload = generator.valid(root, 0);
        }
        let mut mutation: Option<Mutation> = None;
        if generator.chance(0.5) {
            let (mutated, m) = generator.mutate(root, payload, &[], &reference);
            payload = mutated;
            mutation = m;
        }

        let mut bytes = serde_json::to_vec(&payload).expect("a JSON value serializes");
        if let Some((key, first)) = mutation.as_ref().and_then(|m| m.duplicate.as_ref()) {
            // `{"k":first,` then the object as serialized: `k` is written twice, the first
            // value is the one a last-wins reader drops.
            let mut written = serde_json::to_vec(&serde_json::json!({ key.as_str(): first })).expect("serializes");
            written.pop();
            written.push(b',');
            written.extend_from_slice(&bytes[1..]);
            bytes = written;
        }
        let instance: Value = serde_json::from_slice(&bytes).expect("serialized JSON parses");
        let reference_valid = validator.is_valid(&instance);
        let ours = (entry.check)(&bytes);

        let stats = &mut report.schemas[which];
        stats.payloads += 1;
        stats.mutated += usize::from(mutation.is_some());
        if reference_valid {
            stats.valid += 1;
        } else {
            stats.invalid += 1;
        }
        let label = mutation.as_ref().map_or_else(|| "unmutated".to_owned(), Mutation::label);
        let disagrees = ours.is_ok() != reference_valid;
        let accepts = if ours.is_ok() { Accepts::Ours } else { Accepts::Reference };
        let gap = mutation.as_ref().and_then(|m| {
            let kinds = [Some(m.kind), m.inner];
            KNOWN_GAPS.iter().find(|(g, _, _)| kinds.contains(&Some(*g))).map(|(g, direction, _)| (*g, *direction))
        });
        let by_kind = report.by_kind.entry(label.clone()).or_default();
        by_kind.payloads += 1;
        by_kind.invalid += usize::from(!reference_valid);
        by_kind.disagreements += usize::from(disagrees);
        // A disagreement is excused only in the known gap's own direction.
        let mut counts = true;
        if let Some((g, direction)) = gap {
            let gs = report.gaps.get_mut(g.name()).expect("gap registered");
            gs.payloads += 1;
            if disagrees && accepts == direction {
                gs.disagreements += 1;
                counts = options.include_known_gaps;
            }
        }

        let reference_errors = || -> Vec<(String, String)> {
            validator.iter_errors(&instance).map(|e| (e.instance_path.as_str().to_owned(), e.to_string())).collect()
        };
        if disagrees {
            if counts {
                stats.verdict_disagreements += 1;
            }
            let who = accepts.name();
            *report.classes.entry((entry.schema.to_owned(), label.clone(), who)).or_default() += 1;
            if counts && report.examples.len() < options.examples {
                let mut text = String::new();
                let _ = writeln!(text, "VERDICT DISAGREEMENT  api {api}  schema {}  mutation {label}", entry.schema);
                if let Some(m) = &mutation {
                    let _ =
                        writeln!(text, "  mutated at: {}", if m.pointer.is_empty() { "(root)" } else { &m.pointer });
                }
                let _ = writeln!(text, "  payload: {}", truncate(&String::from_utf8_lossy(&bytes), 1500));
                match &ours {
                    Ok(()) => {
                        let _ = writeln!(text, "  ours: valid");
                    }
                    Err(errors) => {
                        let _ = writeln!(text, "  ours: invalid");
                        for e in errors {
                            let _ = writeln!(text, "    {e}");
                        }
                    }
                }
                let errs = reference_errors();
                let _ = writeln!(text, "  reference: {}", if reference_valid { "valid" } else { "invalid" });
                for (path, message) in errs {
                    let path = if path.is_empty() { "(root)".to_owned() } else { path };
                    let _ = writeln!(text, "    {path}: {}", truncate(&message, 300));
                }
                report.examples.push(text);
            }
        } else if let Err(errors) = &ours {
            let theirs: BTreeSet<String> = reference_errors().into_iter().map(|(p, _)| p).collect();
            let mine = ours_pointers(errors);
            if mine == theirs {
                stats.pointer_exact += 1;
            } else if mine.is_subset(&theirs) && !(entry.deserializes)(&bytes) {
                stats.pointer_subset += 1;
            } else {
                stats.pointer_disagreements += 1;
                let class = report.pointer_classes.entry((entry.schema.to_owned(), label.clone())).or_default();
                class.0 += 1;
                if class.1.is_empty() {
                    let ours_text: Vec<String> =
                        errors.iter().map(|e| format!("{} ({})", e.pointer, e.keyword)).collect();
                    class.1 = format!(
                        "ours {ours_text:?}  reference {theirs:?}  payload {}",
                        truncate(&String::from_utf8_lossy(&bytes), 300)
                    );
                }
            }
        }
        report.schemas[which].time += t0.elapsed();
    }
    report.time = started.elapsed();
    report
}

/// The report as text: one line per schema, then the classes, examples and known gaps.
pub fn render(report: &ApiReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<10} {:<24} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>10} {:>8} {:>9}",
        "api",
        "schema",
        "payloads",
        "mutated",
        "valid",
        "invalid",
        "verdict≠",
        "ptr-same",
        "ptr-subset",
        "ptr≠",
        "time"
    );
    for s in &report.schemas {
        let _ = writeln!(
            out,
            "{:<10} {:<24} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>10} {:>8} {:>8.2}s",
            report.api,
            s.schema,
            s.payloads,
            s.mutated,
            s.valid,
            s.invalid,
            s.verdict_disagreements,
            s.pointer_exact,
            s.pointer_subset,
            s.pointer_disagreements,
            s.time.as_secs_f64()
        );
    }
    let total = |f: fn(&SchemaStats) -> usize| report.schemas.iter().map(f).sum::<usize>();
    let _ = writeln!(
        out,
        "{:<10} {:<24} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>10} {:>8} {:>8.2}s",
        report.api,
        "TOTAL",
        total(|s| s.payloads),
        total(|s| s.mutated),
        total(|s| s.valid),
        total(|s| s.invalid),
        total(|s| s.verdict_disagreements),
        total(|s| s.pointer_exact),
        total(|s| s.pointer_subset),
        total(|s| s.pointer_disagreements),
        report.time.as_secs_f64()
    );
    let kinds: Vec<String> = report
        .by_kind
        .iter()
        .map(|(k, n)| {
            let disagree = if n.disagreements > 0 { format!(", {} disagree", n.disagreements) } else { String::new() };
            format!("{k} {} ({} invalid{disagree})", n.payloads, n.invalid)
        })
        .collect();
    let _ = writeln!(out, "  payloads by mutation (invalid = rejected by the reference): {}", kinds.join(", "));
    for (kind, direction, reason) in KNOWN_GAPS {
        let g = &report.gaps[kind.name()];
        let _ = writeln!(
            out,
            "  excluded: {} where {} ({reason}): {} payloads of the kind, {} such disagreements not counted \
             as failures",
            kind.name(),
            direction.name(),
            g.payloads,
            g.disagreements
        );
    }
    for ((schema, label, who), n) in &report.classes {
        let _ = writeln!(out, "  disagreement class: {schema} / {label} / {who}: {n}");
    }
    for e in &report.examples {
        out.push_str(e);
    }
    for ((schema, label), (n, example)) in &report.pointer_classes {
        let _ = writeln!(out, "  pointer disagreement class: {schema} / {label}: {n}; e.g. {example}");
    }
    out
}

/// Both verdicts on one payload, for reproducing a disagreement by hand.
pub fn check_one(api: &'static str, schema: &str, payload: &str) -> Result<String, String> {
    let spec = spec::load(api);
    let entry = registry::for_api(api)
        .into_iter()
        .find(|e| e.schema == schema)
        .ok_or_else(|| format!("{api} has no body schema {schema}"))?;
    let instance: Value = serde_json::from_str(payload).map_err(|e| format!("payload is not JSON: {e}"))?;
    let validator = spec.reference_validator(schema);
    let mut out = String::new();
    match (entry.check)(payload.as_bytes()) {
        Ok(()) => out.push_str("ours: valid\n"),
        Err(errors) => {
            out.push_str("ours: invalid\n");
            for e in &errors {
                let _ = writeln!(out, "  {e}");
            }
        }
    }
    let _ = writeln!(out, "reference: {}", if validator.is_valid(&instance) { "valid" } else { "invalid" });
    for e in validator.iter_errors(&instance) {
        let path = e.instance_path.as_str();
        let _ = writeln!(out, "  {}: {e}", if path.is_empty() { "(root)" } else { path });
    }
    Ok(out)
}

/// The header printed before a run.
pub fn header(options: &Options) -> String {
    let mut out = format!(
        "differential: {} payloads per API, seed {}, reference {}\n",
        options.per_api,
        options.seed,
        spec::REFERENCE
    );
    for note in spec::CONVERSION_NOTES {
        let _ = writeln!(out, "  reference conversion: {note}");
    }
    let _ = writeln!(
        out,
        "  pointers: ptr-same = same set of pointers; ptr-subset = ours stopped at the first structural \
         failure and its pointer is among the reference's; ptr≠ = anything else (soft metric)"
    );
    out
}

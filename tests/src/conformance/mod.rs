//! The conformance run of apigen's validators against JSON Schema's official test suite:
//! draft 4, the dialect OpenAPI 3.0's Schema Object extends, through OpenAPI 3.0 specs, and
//! draft 2020-12, OpenAPI 3.1's dialect, through OpenAPI 3.1 specs ([`Draft`]).
//!
//! For each suite file: every group whose schema a Schema Object of that OpenAPI version can
//! hold (see [`translate`]) becomes a component of one spec; the crate generated from it
//! gets a runner binary that reads each case's data with
//! `apigen_runtime::from_json::<Case..>` and compares `is_ok()` with the suite's `valid`.
//! The crates live in a scratch workspace under `target/conformance/`, built with cargo.
//!
//! Used by the `conformance` binary (which also writes `CONFORMANCE.md`) and by
//! `tests/tests/conformance.rs`.

pub mod diagnosis;
pub mod raw;
pub mod report;
pub mod scratch;
pub mod translate;

use std::collections::BTreeMap;
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{json, Value};

use scratch::{RunnerCase, RunnerGroup};

/// A draft of the suite, and the OpenAPI version whose Schema Object is in its dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Draft {
    /// Draft 4, through OpenAPI 3.0.3 specs.
    Draft4,
    /// Draft 2020-12, through OpenAPI 3.1.0 specs.
    Draft2020_12,
}

impl Draft {
    /// The suite's directory of the draft.
    pub fn dir_name(self) -> &'static str {
        match self {
            Draft::Draft4 => "draft4",
            Draft::Draft2020_12 => "draft2020-12",
        }
    }

    /// The draft's name in reports (`draft 4`).
    pub fn title(self) -> &'static str {
        match self {
            Draft::Draft4 => "draft 4",
            Draft::Draft2020_12 => "draft 2020-12",
        }
    }

    /// The `openapi` version of the specs the draft's schemas go through.
    pub fn openapi(self) -> &'static str {
        match self {
            Draft::Draft4 => "3.0.3",
            Draft::Draft2020_12 => "3.1.0",
        }
    }

    /// The prefix of the draft's entries in `diagnosis.rs` (draft 4's have none).
    pub fn diagnosis_prefix(self) -> &'static str {
        match self {
            Draft::Draft4 => "",
            Draft::Draft2020_12 => "draft2020-12/",
        }
    }
}

/// Where things are, and what to run.
#[derive(Debug, Clone)]
pub struct Config {
    pub draft: Draft,
    /// The suite's directory of the draft (`draft4`).
    pub suite_dir: PathBuf,
    /// Files to run, by name (`minLength`, `optional/bignum`); empty for every file.
    pub files: Vec<String>,
    /// Whether to run `optional/` too.
    pub optional: bool,
    /// The scratch workspace.
    pub work_dir: PathBuf,
    /// cargo's target directory for the scratch workspace.
    pub target_dir: PathBuf,
    /// Absolute path of `apigen-runtime`, for the generated crates' manifests.
    pub runtime_path: PathBuf,
    /// The repository's `Cargo.lock`, which seeds the scratch workspace's.
    pub lock_file: PathBuf,
    pub cargo: String,
}

impl Config {
    /// The layout of this repository: the suite in `tests/json-schema-test-suite` (a copy
    /// kept in the repository, or at `$JSON_SCHEMA_TEST_SUITE`), scratch space under
    /// `target/conformance/<name>`.
    pub fn for_repository(name: &str) -> Config {
        Config::for_draft(name, Draft::Draft4)
    }

    /// [`Config::for_repository`] for a draft: its suite directory, and scratch space of its
    /// own (`target/conformance/<name>-draft2020-12`) beside draft 4's.
    pub fn for_draft(name: &str, draft: Draft) -> Config {
        let repo =
            Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the repository").to_path_buf();
        let suite = std::env::var_os("JSON_SCHEMA_TEST_SUITE")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo.join("tests/json-schema-test-suite"));
        let suite_dir = suite_dir(&suite, draft);
        // Each draft builds in a target directory of its own: the drafts' crates have the
        // same names (`cf_format`), and one's runner binaries would overwrite the other's.
        let (work, target) = match draft {
            Draft::Draft4 => (name.to_owned(), "target".to_owned()),
            Draft::Draft2020_12 => (format!("{name}-{}", draft.dir_name()), format!("target-{}", draft.dir_name())),
        };
        Config {
            draft,
            suite_dir,
            files: Vec::new(),
            optional: false,
            work_dir: repo.join("target/conformance").join(work),
            target_dir: repo.join("target/conformance").join(target),
            runtime_path: repo.join("generator/runtime"),
            lock_file: repo.join("Cargo.lock"),
            cargo: std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()),
        }
    }
}

/// The draft's directory in a suite: `suite/draft4` where `suite` holds the drafts, else
/// `suite` itself (given as the draft's directory).
pub fn suite_dir(suite: &Path, draft: Draft) -> PathBuf {
    let dir = suite.join(draft.dir_name());
    if dir.is_dir() {
        dir
    } else {
        suite.to_path_buf()
    }
}

/// The outcome of the whole run.
#[derive(Debug, Clone)]
pub struct Report {
    pub draft: Draft,
    pub files: Vec<FileReport>,
}

#[derive(Debug, Clone)]
pub struct FileReport {
    /// `minLength`, `optional/bignum`.
    pub name: String,
    pub groups: Vec<GroupReport>,
}

#[derive(Debug, Clone)]
pub struct GroupReport {
    pub index: usize,
    pub description: String,
    pub schema: Value,
    pub status: GroupStatus,
    /// Rewrites made to make the schema an OpenAPI 3.0 component.
    pub adaptations: Vec<String>,
    /// What the generator said about the group's components.
    pub diagnostics: Vec<String>,
    pub cases: Vec<CaseReport>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum GroupStatus {
    /// Not an OpenAPI 3.0 Schema Object, for this reason.
    LeftOut(String),
    /// Generated, compiled and run.
    Ran,
    /// The generator failed (load error, panic) or its code did not compile: every case
    /// counts as failed.
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct CaseReport {
    pub description: String,
    /// The data's JSON text as the suite wrote it (what the runner reads).
    pub raw: String,
    pub expected: bool,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ran {
        got: bool,
        /// How the runner checked the value (`from_json`, or a fallback).
        via: String,
        errors: Vec<String>,
        /// What the crate's `validate_schema` said, when it exposes one.
        alt: Option<(bool, Vec<String>)>,
    },
    Panicked(String),
    /// The case has no result (the group failed, or the runner died first).
    NotRun(String),
}

impl CaseReport {
    pub fn passed(&self) -> bool {
        matches!(self.outcome, Outcome::Ran { got, .. } if got == self.expected)
    }
}

impl GroupReport {
    pub fn applicable(&self) -> bool {
        !matches!(self.status, GroupStatus::LeftOut(_))
    }
}

/// Counts for a file or for everything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub groups: usize,
    pub applicable_groups: usize,
    pub cases: usize,
    pub applicable_cases: usize,
    pub passed: usize,
    pub failed: usize,
}

impl std::ops::AddAssign for Totals {
    fn add_assign(&mut self, o: Totals) {
        self.groups += o.groups;
        self.applicable_groups += o.applicable_groups;
        self.cases += o.cases;
        self.applicable_cases += o.applicable_cases;
        self.passed += o.passed;
        self.failed += o.failed;
    }
}

impl FileReport {
    pub fn totals(&self) -> Totals {
        let mut t = Totals { groups: self.groups.len(), ..Totals::default() };
        for g in &self.groups {
            t.cases += g.cases.len();
            if g.applicable() {
                t.applicable_groups += 1;
                t.applicable_cases += g.cases.len();
                let passed = g.cases.iter().filter(|c| c.passed()).count();
                t.passed += passed;
                t.failed += g.cases.len() - passed;
            }
        }
        t
    }

    pub fn is_optional(&self) -> bool {
        self.name.starts_with("optional/")
    }
}

impl Report {
    /// Groups the generator failed on (load error, panic, code that does not compile).
    pub fn generation_failures(&self) -> Vec<(&FileReport, &GroupReport)> {
        self.files
            .iter()
            .flat_map(|f| f.groups.iter().map(move |g| (f, g)))
            .filter(|(_, g)| matches!(g.status, GroupStatus::Failed(_)))
            .collect()
    }
}

/// The suite's files, as names relative to the draft directory without `.json`, sorted:
/// the required ones, then `optional/` ones if asked.
pub fn suite_files(config: &Config) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut dirs = vec![(config.suite_dir.clone(), String::new())];
    while let Some((dir, prefix)) = dirs.pop() {
        let entries = fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if path.is_dir() {
                if config.optional
                    && (prefix.is_empty() && file_name == "optional" || prefix == "optional/" && file_name == "format")
                {
                    dirs.push((path, format!("{prefix}{file_name}/")));
                }
            } else if let Some(stem) = file_name.strip_suffix(".json") {
                names.push(format!("{prefix}{stem}"));
            }
        }
    }
    names.sort_by_key(|n| (n.matches('/').count(), n.to_lowercase()));
    if !config.files.is_empty() {
        let wanted: Vec<String> = config.files.iter().map(|f| f.trim_end_matches(".json").to_owned()).collect();
        for w in &wanted {
            if !names.contains(w) {
                return Err(format!(
                    "no suite file `{w}` in {} (optional files need the optional section)",
                    config.suite_dir.display()
                ));
            }
        }
        names.retain(|n| wanted.contains(n));
    }
    Ok(names)
}

/// A suite file's name as a Rust-friendly stem: `optional/format/date-time` ->
/// `optional_format_date_time`.
fn snake(name: &str) -> String {
    apigen::naming::field_name(&name.replace('/', " "), "file")
}

/// The component key of group `n` of a file: `CaseMinLength_0`.
pub fn component_key(file: &str, n: usize) -> String {
    format!("Case{}_{n}", apigen::naming::type_name(&file.replace('/', " "), "File"))
}

/// One crate to generate: some groups of one file.
struct Unit {
    crate_name: String,
    file: usize,
    groups: Vec<usize>,
    /// The runner's path to `validate_schema`, if the crate exposes one.
    schema_fn: Option<String>,
    /// Component key -> Rust type name.
    types: BTreeMap<usize, String>,
}

/// The state of one file while it is processed.
struct FileWork {
    name: String,
    groups: Vec<GroupReport>,
    translated: BTreeMap<usize, translate::Translated>,
}

/// Runs the conformance: generate, build, run, collect. `Err` only when the harness itself
/// cannot work (the suite is missing, cargo cannot run at all).
pub fn run(config: &Config, log: &mut dyn FnMut(&str)) -> Result<Report, String> {
    let names = suite_files(config)?;
    let mut files: Vec<FileWork> = Vec::new();
    for name in &names {
        files.push(load_file(config, name)?);
    }
    let draft = config.draft;

    // Generate one crate per file; a file the generator fails on is retried group by group.
    let mut units: Vec<Unit> = Vec::new();
    for (f, file) in files.iter_mut().enumerate() {
        let applicable: Vec<usize> = file.translated.keys().copied().collect();
        if applicable.is_empty() {
            continue;
        }
        let crate_name = format!("cf_{}", snake(&file.name));
        match generate_unit(config, file, f, &crate_name, &applicable) {
            Ok(unit) => units.push(unit),
            Err(message) => {
                log(&format!(
                    "{}: generation failed for the whole file ({message}); retrying group by group",
                    file.name
                ));
                for &g in &applicable {
                    let crate_name = format!("cf_{}_g{g}", snake(&file.name));
                    match generate_unit(config, file, f, &crate_name, &[g]) {
                        Ok(unit) => units.push(unit),
                        Err(message) => fail_group(&mut file.groups[g], message),
                    }
                }
            }
        }
    }

    // Build; crates that do not compile are split into one crate per group and built again.
    log(&format!("building {} generated crates in {}", units.len(), config.work_dir.display()));
    let mut built = build_units(config, &units)?;
    let broken: Vec<usize> = (0..units.len()).filter(|&u| built.errors.contains_key(&units[u].crate_name)).collect();
    let mut retry: Vec<Unit> = Vec::new();
    for &u in &broken {
        let unit = &units[u];
        let errors = built.errors[&unit.crate_name].clone();
        let file = &mut files[unit.file];
        if unit.groups.len() == 1 {
            fail_group(&mut file.groups[unit.groups[0]], compile_failure(&errors));
            continue;
        }
        log(&format!("{}: the generated crate does not compile; retrying group by group", file.name));
        for &g in &unit.groups {
            let crate_name = format!("cf_{}_g{g}", snake(&file.name));
            match generate_unit(config, file, unit.file, &crate_name, &[g]) {
                Ok(single) => retry.push(single),
                Err(message) => fail_group(&mut file.groups[g], message),
            }
        }
    }
    let mut units: Vec<Unit> =
        units.into_iter().enumerate().filter(|(u, _)| !broken.contains(u)).map(|(_, u)| u).collect();
    if !retry.is_empty() {
        let all: Vec<&Unit> = units.iter().chain(retry.iter()).collect();
        let again = build_refs(config, &all)?;
        for unit in &retry {
            if let Some(errors) = again.errors.get(&unit.crate_name) {
                fail_group(&mut files[unit.file].groups[unit.groups[0]], compile_failure(errors));
            }
        }
        built.executables.extend(again.executables);
        units.extend(retry.into_iter().filter(|u| !again.errors.contains_key(&u.crate_name)));
    }

    // Run.
    for unit in &units {
        let file = &mut files[unit.file];
        let Some(exe) = built.executables.get(&unit.crate_name) else {
            for &g in &unit.groups {
                fail_group(&mut file.groups[g], "the runner was not built".to_owned());
            }
            continue;
        };
        let (stdout, ending) = scratch::run_runner(exe, Duration::from_secs(120))?;
        let mut results: BTreeMap<(usize, usize), Outcome> = BTreeMap::new();
        for line in stdout.lines() {
            let Ok(v) = serde_json::from_str::<Value>(line) else { continue };
            let (Some(g), Some(t)) = (v["group"].as_u64(), v["test"].as_u64()) else { continue };
            let strings = |v: &Value| -> Vec<String> {
                v.as_array()
                    .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_owned)).collect())
                    .unwrap_or_default()
            };
            let outcome = if let Some(p) = v["panic"].as_str() {
                Outcome::Panicked(p.to_owned())
            } else {
                Outcome::Ran {
                    got: v["got"].as_bool().unwrap_or(false),
                    via: v["via"].as_str().unwrap_or_default().to_owned(),
                    errors: strings(&v["errors"]),
                    alt: v["alt"].as_object().map(|a| (a["got"].as_bool().unwrap_or(false), strings(&a["errors"]))),
                }
            };
            results.insert((g as usize, t as usize), outcome);
        }
        let missing = match &ending {
            Some(how) => format!("the runner died before this case ({how})"),
            None => "the runner printed no result for this case".to_owned(),
        };
        for &g in &unit.groups {
            let group = &mut file.groups[g];
            group.status = GroupStatus::Ran;
            for (t, case) in group.cases.iter_mut().enumerate() {
                case.outcome = results.remove(&(g, t)).unwrap_or_else(|| Outcome::NotRun(missing.clone()));
            }
        }
    }

    Ok(Report { draft, files: files.into_iter().map(|f| FileReport { name: f.name, groups: f.groups }).collect() })
}

fn load_file(config: &Config, name: &str) -> Result<FileWork, String> {
    let path = config.suite_dir.join(format!("{name}.json"));
    let text = fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let suite: Value = serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))?;
    let Value::Array(raw_groups) = suite else { return Err(format!("{} is not an array of groups", path.display())) };
    let texts = raw::case_data(&text);
    let mut groups = Vec::new();
    let mut translated = BTreeMap::new();
    for (index, g) in raw_groups.iter().enumerate() {
        let description = g["description"].as_str().unwrap_or_default().to_owned();
        let schema = g["schema"].clone();
        let cases: Vec<CaseReport> = g["tests"]
            .as_array()
            .map(|tests| {
                tests
                    .iter()
                    .enumerate()
                    .map(|(n, t)| CaseReport {
                        description: t["description"].as_str().unwrap_or_default().to_owned(),
                        raw: texts
                            .get(index)
                            .and_then(|g| g.get(n).cloned().flatten())
                            .filter(|text| serde_json::from_str::<Value>(text).ok().as_ref() == Some(&t["data"]))
                            .unwrap_or_else(|| t["data"].to_string()),
                        expected: t["valid"].as_bool().unwrap_or(false),
                        outcome: Outcome::NotRun("left out".to_owned()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let key = component_key(name, index);
        let translated_group = match config.draft {
            Draft::Draft4 => translate::translate(&schema, &key),
            Draft::Draft2020_12 => translate::translate_2020_12(&schema, &key),
        };
        let (status, adaptations) = match translated_group {
            Ok(t) => {
                let adaptations = t.adaptations.clone();
                translated.insert(index, t);
                (GroupStatus::Ran, adaptations)
            }
            Err(reason) => (GroupStatus::LeftOut(reason), Vec::new()),
        };
        groups.push(GroupReport { index, description, schema, status, adaptations, diagnostics: Vec::new(), cases });
    }
    Ok(FileWork { name: name.to_owned(), groups, translated })
}

fn fail_group(group: &mut GroupReport, message: String) {
    for case in &mut group.cases {
        case.outcome = Outcome::NotRun(message.clone());
    }
    group.status = GroupStatus::Failed(message);
}

fn compile_failure(errors: &[String]) -> String {
    let mut text = format!("the generated code does not compile ({} error(s)):\n", errors.len());
    for e in errors.iter().take(3) {
        text.push_str(e);
        text.push('\n');
    }
    text
}

/// The OpenAPI document holding the given groups' components.
pub fn spec_text(draft: Draft, file: &str, groups: &[&translate::Translated]) -> String {
    let mut schemas = serde_json::Map::new();
    for t in groups {
        for (key, schema) in &t.components {
            schemas.insert(key.clone(), schema.clone());
        }
    }
    let spec = json!({
        "openapi": draft.openapi(),
        "info": {
            "title": format!("JSON Schema Test Suite, {}, {file}", draft.title()),
            "description": format!("The suite's schemas that are OpenAPI {} Schema Objects, one component per test group (generated by tests/src/conformance).", draft.openapi()),
            "version": "1.0.0",
        },
        "paths": {},
        "components": {"schemas": schemas},
    });
    let mut text = String::new();
    write_json(&spec, 0, &mut text);
    text.push('\n');
    text
}

/// Pretty JSON whose every number reads back, through `serde_json`, as exactly the value
/// held. `serde_json` (without `float_roundtrip`, as here and in the generator) does not
/// round every decimal correctly: it reads its own `9.727837981879871e+26` as
/// `9.727837981879873e26`. The spec must carry the suite's numbers, so each is written in the
/// first spelling that reads back exactly.
fn write_json(value: &Value, indent: usize, out: &mut String) {
    let pad = |n: usize| "  ".repeat(n);
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            for (i, (key, member)) in map.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(": ");
                write_json(member, indent + 1, out);
                out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad(indent + 1));
                write_json(item, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&pad(indent));
            out.push(']');
        }
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or_default();
            let candidates = [n.to_string(), format!("{f}"), format!("{f:e}"), format!("{f:?}")];
            let exact = candidates.iter().find(|c| serde_json::from_str::<f64>(c).ok() == Some(f));
            out.push_str(exact.unwrap_or(&candidates[0]));
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Generates a crate for some groups of a file, writes it with its runner, and records the
/// generator's diagnostics on each group. `Err` when the generator fails or panics.
fn generate_unit(
    config: &Config,
    file: &mut FileWork,
    file_index: usize,
    crate_name: &str,
    groups: &[usize],
) -> Result<Unit, String> {
    let members: Vec<&translate::Translated> = groups.iter().map(|g| &file.translated[g]).collect();
    let source = apigen::SpecSource {
        name: format!("{}/{}.json", config.draft.dir_name(), file.name),
        text: spec_text(config.draft, &file.name, &members),
    };
    let options = apigen::Options::new(crate_name).runtime_path(config.runtime_path.to_string_lossy().into_owned());
    let output = match catch_unwind(AssertUnwindSafe(|| apigen::generate_from_source(&source, &options))) {
        Ok(Ok(output)) => output,
        Ok(Err(load_error)) => return Err(format!("the spec does not load: {load_error}")),
        Err(payload) => {
            let text = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            return Err(format!("the generator panicked: {text}"));
        }
    };
    let file_text =
        |path: &str| output.files.iter().find(|f| f.path == path).map(|f| f.contents.as_str()).unwrap_or_default();
    let types_rs = file_text("src/types.rs");
    let lib_rs = file_text("src/lib.rs");
    let validate_rs = file_text("src/validate.rs");
    // `validate_schema` is reachable only where the crate exposes it.
    let schema_fn = if !validate_rs.contains("pub fn validate_schema(") {
        None
    } else if lib_rs.contains("pub mod validate") {
        Some("validate::validate_schema".to_owned())
    } else if lib_rs.lines().any(|l| l.contains("pub use") && l.contains("validate_schema")) {
        Some("validate_schema".to_owned())
    } else {
        None
    };

    let mut unit = Unit {
        crate_name: crate_name.to_owned(),
        file: file_index,
        groups: Vec::new(),
        schema_fn,
        types: BTreeMap::new(),
    };
    for &g in groups {
        let t = &file.translated[&g];
        let group = &mut file.groups[g];
        group.diagnostics = output
            .diagnostics
            .iter()
            .filter(|d| {
                t.components.iter().any(|(key, _)| {
                    let prefix = format!("#/components/schemas/{key}");
                    d.pointer == prefix || d.pointer.starts_with(&format!("{prefix}/"))
                })
            })
            .map(|d| d.to_string())
            .collect();
        let name = apigen::naming::type_name(&t.root_key, "Schema");
        let declared = types_rs.lines().any(|l| {
            let l = l.trim_start();
            [
                format!("pub struct {name} "),
                format!("pub enum {name} "),
                format!("pub type {name} ="),
                format!("pub struct {name}("),
            ]
            .iter()
            .any(|p| l.starts_with(p.as_str()))
        });
        if declared {
            unit.types.insert(g, name);
            unit.groups.push(g);
        } else {
            fail_group(group, format!("the generated types.rs declares no `{name}` for component `{}`", t.root_key));
        }
    }

    let dir = config.work_dir.join("gen").join(crate_name);
    for generated in &output.files {
        scratch::write_if_changed(&dir.join(&generated.path), &generated.contents)?;
    }
    scratch::write_if_changed(&dir.join("conformance-spec.json"), &source.text)?;
    let runner_groups: Vec<RunnerGroup> = unit
        .groups
        .iter()
        .map(|&g| RunnerGroup {
            group: g,
            key: file.translated[&g].root_key.clone(),
            type_name: unit.types[&g].clone(),
        })
        .collect();
    let cases: Vec<RunnerCase> = unit
        .groups
        .iter()
        .flat_map(|&g| {
            file.groups[g].cases.iter().enumerate().map(move |(t, c)| RunnerCase {
                group: g,
                test: t,
                valid: c.expected,
                json: c.raw.clone(),
            })
        })
        .collect();
    let runner = scratch::runner_source(crate_name, unit.schema_fn.as_deref(), &runner_groups, &cases);
    scratch::write_if_changed(&dir.join("src/bin").join(format!("{}.rs", scratch::runner_name(crate_name))), &runner)?;
    Ok(unit)
}

fn build_units(config: &Config, units: &[Unit]) -> Result<scratch::Built, String> {
    build_refs(config, &units.iter().collect::<Vec<_>>())
}

fn build_refs(config: &Config, units: &[&Unit]) -> Result<scratch::Built, String> {
    let members: Vec<String> = units.iter().map(|u| u.crate_name.clone()).collect();
    if members.is_empty() {
        return Ok(scratch::Built::default());
    }
    scratch::write_workspace(&config.work_dir, &members, &config.lock_file)?;
    let built = scratch::build(&config.cargo, &config.work_dir, &config.target_dir, &members)?;
    if let Some(failure) = &built.failure {
        return Err(format!("cargo failed building the scratch workspace {}:\n{failure}", config.work_dir.display()));
    }
    Ok(built)
}

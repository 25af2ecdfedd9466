//! Configuration: `apigen.toml`, read from text into [`Options`] (the caller reads the file).
//!
//! One table per spec, keyed by the spec file's stem (`petstore` for `petstore.yaml`), so one
//! file serves a repository with several specs (this one's `specs/apigen.toml` too):
//!
//! ```toml
//! [petstore]
//! name = "petstore-client"          # crate name (default: the stem)
//! version = "1.0.0"                 # crate version (default: the spec's info.version)
//! runtime = { path = "../runtime" } # or { version = "0.1" } (the default)
//! derive = ["Eq", "Hash"]           # extra derives on every type
//!
//! [petstore.derive_for]             # extra derives on the types named (Rust names)
//! Pet = ["PartialOrd"]
//!
//! [petstore.include]                # generate only these operations ...
//! tags = ["pets"]
//! paths = ["/pets/*"]               # globs: `*` stays within a segment, `**` crosses them
//! operations = ["showPetById"]      # operation ids
//!
//! [petstore.exclude]                # ... less these (same keys)
//! operations = ["deletePet"]
//!
//! [petstore.replace]                # component schema -> an existing Rust type
//! Error = "::my_crate::ApiError"
//! ```
//!
//! and `features = "auto"` (the default), `"always"` or `"never"`: whether the crate has a
//! cargo feature per tag (see [`crate::Grouping`]).
//!
//! With `include` or `exclude`, components that no kept operation uses are left out. Parsing
//! uses `toml` and serde with unknown keys refused, so a misspelt option is an error with
//! its line and column rather than silently ignored.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::{Options, Runtime};

/// The configuration of one spec.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecConfig {
    pub name: Option<String>,
    pub version: Option<String>,
    pub runtime: Option<RuntimeConfig>,
    #[serde(default)]
    pub derive: Vec<String>,
    #[serde(default)]
    pub derive_for: BTreeMap<String, Vec<String>>,
    pub include: Option<Selector>,
    pub exclude: Option<Selector>,
    #[serde(default)]
    pub replace: BTreeMap<String, String>,
    /// A cargo feature per group of operations: `auto`, `always` or `never`.
    pub features: Option<crate::Grouping>,
}

/// `runtime = { version = "0.1" }` or `runtime = { path = "..." }`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
pub enum RuntimeConfig {
    Version(String),
    Path(String),
}

/// Operations chosen by tag, path glob or operation id: an operation is chosen when any entry
/// matches it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selector {
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub operations: Vec<String>,
}

/// Every spec's configuration, by the spec file's stem.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub specs: BTreeMap<String, SpecConfig>,
}

impl Config {
    /// Parses `apigen.toml`. The error names the file, line and column (`file` is how to name
    /// it in messages).
    pub fn parse(file: &str, text: &str) -> Result<Config, String> {
        let specs: BTreeMap<String, SpecConfig> = toml::from_str(text).map_err(|e| {
            let at = e.span().map(|span| {
                let (line, column) = crate::position::line_column(text, span.start);
                format!(":{line}:{column}")
            });
            format!("{file}{}: error: {}", at.unwrap_or_default(), e.message())
        })?;
        Ok(Config { specs })
    }

    /// The configuration of the spec whose file stem is `stem`, if the file has one.
    pub fn spec(&self, stem: &str) -> Option<&SpecConfig> {
        self.specs.get(stem)
    }
}

impl SpecConfig {
    /// Applies this configuration to `options`: what it sets wins.
    pub fn apply(&self, mut options: Options) -> Options {
        if let Some(name) = &self.name {
            options.crate_name = name.clone();
        }
        if let Some(version) = &self.version {
            options.crate_version = Some(version.clone());
        }
        match &self.runtime {
            Some(RuntimeConfig::Version(version)) => options.runtime = Runtime::Version(version.clone()),
            Some(RuntimeConfig::Path(path)) => options.runtime = Runtime::Path(path.clone()),
            None => {}
        }
        options.derive.extend(self.derive.iter().cloned());
        for (name, derives) in &self.derive_for {
            options.derive_for.entry(name.clone()).or_default().extend(derives.iter().cloned());
        }
        options.include = self.include.clone().or(options.include);
        options.exclude = self.exclude.clone().or(options.exclude);
        options.replace.extend(self.replace.iter().map(|(k, v)| (k.clone(), v.clone())));
        options.grouping = self.features.unwrap_or(options.grouping);
        options
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_option() {
        let text = r#"
[petstore]
name = "petstore-client"
version = "1.2.0"
runtime = { path = "../runtime" }
derive = ["Eq"]
derive_for = { Pet = ["Hash"] }
include = { tags = ["pets"], paths = ["/pets/*"], operations = ["listPets"] }
exclude = { operations = ["deletePet"] }
replace = { Error = "::my::Error" }
features = "always"
"#;
        let config = Config::parse("apigen.toml", text).unwrap();
        let options = config.spec("petstore").unwrap().apply(Options::new("petstore"));
        assert_eq!(options.crate_name, "petstore-client");
        assert_eq!(options.crate_version.as_deref(), Some("1.2.0"));
        assert_eq!(options.runtime, Runtime::Path("../runtime".into()));
        assert_eq!(options.derive, ["Eq"]);
        assert_eq!(options.derive_for["Pet"], ["Hash"]);
        let include = options.include.unwrap();
        assert_eq!(
            (include.tags, include.paths, include.operations),
            (vec!["pets".into()], vec!["/pets/*".into()], vec!["listPets".into()])
        );
        assert_eq!(options.exclude.unwrap().operations, ["deletePet"]);
        assert_eq!(options.replace["Error"], "::my::Error");
        assert_eq!(options.grouping, crate::Grouping::Always);
        assert!(config.spec("other").is_none());
        let err = Config::parse("apigen.toml", "[petstore]\nfeatures = \"tags\"\n").unwrap_err();
        assert_eq!(err, "apigen.toml:2:12: error: unknown variant `tags`, expected one of `auto`, `always`, `never`");
    }

    #[test]
    fn unknown_keys_are_errors_with_their_position() {
        let err = Config::parse("apigen.toml", "[petstore]\nname = \"a\"\nderives = [\"Eq\"]\n").unwrap_err();
        assert!(err.starts_with("apigen.toml:3:1: error: unknown field `derives`, expected one of"), "{err}");
        let err = Config::parse("apigen.toml", "[petstore]\nruntime = { git = \"x\" }\n").unwrap_err();
        assert!(err.starts_with("apigen.toml:2:13: error: unknown variant `git`"), "{err}");
    }
}

//! Areas: how a large crate's `types` and `validate` modules are split into files.
//!
//! A crate with more than [`TYPES_PER_FILE`] types gets one file per area instead of one giant
//! file. An area is a run of types whose names share their first words (`Account`,
//! `AccountBacsDebitPaymentsSettings`, ... in `account.rs`): types are grouped by their first
//! word, a group larger than the limit by its first two words, and so on; then neighbouring
//! groups (in the order of their words) are merged while they fit the limit together. The
//! grouping depends on the type names only, so it is deterministic, and adding a type moves
//! few others. Within an area, types keep the order of the model.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::model::{ApiModel, TypeId};
use crate::naming;

/// The most types one file of a split module holds (a single name prefix with more stays
/// whole), and the number of types above which a crate's modules are split.
pub const TYPES_PER_FILE: usize = 200;

/// One file of a split module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// The module's name (`account`), unique among the areas.
    pub module: String,
    /// The name prefixes of its types, in `PascalCase` (`Account`, `Address`), for its doc.
    pub prefixes: Vec<String>,
    /// Its types, in the model's order.
    pub types: Vec<TypeId>,
}

/// The areas of a model, in the order of their names' words; empty when the model is small
/// enough for one file per module.
pub fn areas(model: &ApiModel) -> Vec<Area> {
    if model.types.len() <= TYPES_PER_FILE {
        return Vec::new();
    }
    let names: Vec<&str> = model.types.iter().map(|t| t.name.as_str()).collect();
    group(&names, TYPES_PER_FILE)
        .into_iter()
        .map(|(module, prefixes, ids)| Area { module, prefixes, types: ids.into_iter().map(TypeId).collect() })
        .collect()
}

/// Groups `names` (indices into it) into areas of at most `max` names where the prefixes
/// allow: (module name, prefixes, indices in order).
fn group(names: &[&str], max: usize) -> Vec<(String, Vec<String>, Vec<usize>)> {
    let words: Vec<Vec<String>> =
        names.iter().map(|n| n.to_snake_case().split('_').map(str::to_owned).collect()).collect();
    let mut leaves = Vec::new();
    partition(&words, (0..names.len()).collect(), 1, max, &mut leaves);
    // Neighbouring groups merged while they fit together.
    let mut runs: Vec<(Vec<Vec<String>>, Vec<usize>)> = Vec::new();
    for (prefix, members) in leaves {
        match runs.last_mut() {
            Some((prefixes, run)) if run.len() + members.len() <= max => {
                prefixes.push(prefix);
                run.extend(members);
            }
            _ => runs.push((vec![prefix], members)),
        }
    }
    let mut modules = naming::Namespace::new();
    runs.into_iter()
        .map(|(prefixes, mut members)| {
            members.sort_unstable();
            let module = modules.unique(naming::module_name(&prefixes[0].join("_"), "other"));
            let prefixes = prefixes.iter().map(|p| p.join("_").to_upper_camel_case()).collect();
            (module, prefixes, members)
        })
        .collect()
}

/// Splits `members` by their first `depth` words, recursing into a group larger than `max`
/// while some of its names have more words. Leaves come out in the order of their words.
fn partition(
    words: &[Vec<String>],
    members: Vec<usize>,
    depth: usize,
    max: usize,
    out: &mut Vec<(Vec<String>, Vec<usize>)>,
) {
    let mut groups: BTreeMap<&[String], Vec<usize>> = BTreeMap::new();
    for i in members {
        let w = &words[i];
        groups.entry(&w[..depth.min(w.len())]).or_default().push(i);
    }
    for (prefix, group) in groups {
        if group.len() > max && group.iter().any(|&i| words[i].len() > depth) {
            partition(words, group, depth + 1, max, out);
        } else {
            out.push((prefix.to_vec(), group));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_by_first_words_then_merged() {
        let names = ["Account", "AccountLink", "AccountSettings", "Address", "Balance", "BalanceAmount", "Zebra"];
        let groups = group(&names, 3);
        let summary: Vec<(&str, Vec<&str>, Vec<usize>)> = groups
            .iter()
            .map(|(m, p, ids)| (m.as_str(), p.iter().map(String::as_str).collect(), ids.clone()))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("account", vec!["Account"], vec![0, 1, 2]),
                ("address", vec!["Address", "Balance"], vec![3, 4, 5]),
                ("zebra", vec!["Zebra"], vec![6]),
            ]
        );
    }

    #[test]
    fn a_large_prefix_is_split_by_its_next_word() {
        let names = ["ApiV1Call", "ApiV1CallList", "ApiV1Queue", "ApiV1QueueMember", "ApiV1Queues", "Bool"];
        let groups = group(&names, 2);
        let modules: Vec<&str> = groups.iter().map(|(m, _, _)| m.as_str()).collect();
        assert_eq!(modules, ["api_v1_call", "api_v1_queue", "api_v1_queues"]);
        assert_eq!(groups[1].2, vec![2, 3]);
        assert_eq!(groups[2].1, ["ApiV1Queues", "Bool"]);
    }
}

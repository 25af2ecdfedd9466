//! Writing a generated tree, and the drift check that compares one with the disk.
//!
//! A [`Tree`] is the generator's files under a base directory, with the directories it owns
//! wholly (a file there that the generator does not produce is stale). [`Tree::write`]
//! rewrites only the files whose bytes differ, so a build that watches them rebuilds only what
//! changed; [`Tree::check`] writes nothing and lists every stale file with a unified diff,
//! every missing file and every extra file in an owned directory.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// Generated files by path relative to [`Tree::base`].
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub base: PathBuf,
    pub files: BTreeMap<PathBuf, String>,
    /// Directories, relative to the base, that hold only generated files: a file there that
    /// is not in [`Tree::files`] is extra (removed by `write`, reported by `check`).
    pub owned: Vec<PathBuf>,
}

/// What [`Tree::write`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Written {
    /// Files written, relative to the base, because they were new or their bytes changed.
    pub written: Vec<PathBuf>,
    pub removed: Vec<PathBuf>,
}

impl Tree {
    /// Writes every file whose bytes differ and removes the extra files in owned directories
    /// (and the directories this leaves empty).
    pub fn write(&self) -> Result<Written, String> {
        let mut report = Written::default();
        for (path, contents) in &self.files {
            let full = self.base.join(path);
            if fs::read(&full).ok().as_deref() == Some(contents.as_bytes()) {
                continue;
            }
            if let Some(parent) = full.parent() {
                fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            fs::write(&full, contents).map_err(|e| format!("cannot write {}: {e}", full.display()))?;
            report.written.push(path.clone());
        }
        for extra in self.extra_files()? {
            let full = self.base.join(&extra);
            fs::remove_file(&full).map_err(|e| format!("cannot remove {}: {e}", full.display()))?;
            report.removed.push(extra);
        }
        for dir in &self.owned {
            remove_empty_dirs(&self.base.join(dir));
        }
        Ok(report)
    }

    /// Every difference between the tree and the disk, each a paragraph: `stale: PATH` with a
    /// unified diff (committed -> generated now), `missing: PATH`, `extra: PATH`. Paths are
    /// shown as `shown` joined with the relative path. Empty when the disk is up to date.
    pub fn check(&self, shown: &Path) -> Result<Vec<String>, String> {
        let mut problems = Vec::new();
        for (path, contents) in &self.files {
            let name = shown.join(path);
            match fs::read(self.base.join(path)) {
                Err(_) => problems.push(format!("missing: {}", name.display())),
                Ok(bytes) if bytes != contents.as_bytes() => {
                    let actual = String::from_utf8_lossy(&bytes);
                    let diff = similar::TextDiff::from_lines(actual.as_ref(), contents.as_str())
                        .unified_diff()
                        .context_radius(2)
                        .header(
                            &format!("{} (on disk)", name.display()),
                            &format!("{} (generated now)", name.display()),
                        )
                        .to_string();
                    problems.push(format!("stale: {}\n{diff}", name.display()));
                }
                Ok(_) => {}
            }
        }
        for extra in self.extra_files()? {
            problems.push(format!("extra: {} (not generated any more)", shown.join(extra).display()));
        }
        Ok(problems)
    }

    /// Files under the owned directories that the tree does not hold, sorted.
    fn extra_files(&self) -> Result<Vec<PathBuf>, String> {
        let mut found = Vec::new();
        for dir in &self.owned {
            walk(&self.base, dir, &mut found)?;
        }
        found.sort();
        found.dedup();
        Ok(found.into_iter().filter(|p| !self.files.contains_key(p)).collect())
    }
}

fn walk(base: &Path, relative: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let full = base.join(relative);
    if !full.is_dir() {
        return Ok(());
    }
    for entry in fs::read_dir(&full).map_err(|e| format!("cannot read {}: {e}", full.display()))? {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", full.display()))?;
        let rel = relative.join(entry.file_name());
        if entry.path().is_dir() {
            walk(base, &rel, out)?;
        } else {
            out.push(rel);
        }
    }
    Ok(())
}

fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_empty_dirs(&path);
            // Fails, as intended, when the directory is not empty.
            let _ = fs::remove_dir(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(base: &Path, files: &[(&str, &str)]) -> Tree {
        Tree {
            base: base.to_owned(),
            files: files.iter().map(|(p, c)| (PathBuf::from(p), c.to_string())).collect(),
            owned: vec![PathBuf::from("src")],
        }
    }

    #[test]
    fn writes_only_changes_and_checks_every_difference() {
        let dir = tempfile::tempdir().unwrap();
        let first = tree(dir.path(), &[("Cargo.toml", "a\n"), ("src/lib.rs", "x\n"), ("src/old.rs", "o\n")]);
        let report = first.write().unwrap();
        assert_eq!(report.written.len(), 3);
        let second = tree(dir.path(), &[("Cargo.toml", "a\n"), ("src/lib.rs", "y\n"), ("src/new.rs", "n\n")]);
        let problems = second.check(Path::new("out")).unwrap();
        assert_eq!(
            problems,
            [
                "stale: out/src/lib.rs\n--- out/src/lib.rs (on disk)\n+++ out/src/lib.rs (generated now)\n@@ -1 +1 @@\n-x\n+y\n",
                "missing: out/src/new.rs",
                "extra: out/src/old.rs (not generated any more)",
            ]
        );
        let report = second.write().unwrap();
        assert_eq!(report.written, [PathBuf::from("src/lib.rs"), PathBuf::from("src/new.rs")]);
        assert_eq!(report.removed, [PathBuf::from("src/old.rs")]);
        assert!(second.check(Path::new("out")).unwrap().is_empty());
        // A file outside the owned directories is the user's.
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        assert!(second.check(Path::new("out")).unwrap().is_empty());
    }
}

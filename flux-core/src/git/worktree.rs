//! Writes the tree of a fetched commit to the checkout directory, without
//! ever following a symbolic link and without leaving the directory.
//!
//! ```
//! use fluxcd_core::git::worktree::in_sparse;
//!
//! let sparse = vec!["apps/prod".to_string()];
//! assert!(in_sparse("apps", true, &sparse));
//! assert!(in_sparse("apps/prod/x.yaml", false, &sparse));
//! assert!(!in_sparse("infra", true, &sparse));
//! ```

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use gix::objs::tree::EntryKind;

use super::GitError;

/// Normalises `spec.sparseCheckout` entries: a leading `./` and trailing `/`
/// are dropped (`.` or an empty entry stands for the whole tree).
pub fn normalise_sparse(dirs: &[String]) -> Vec<String> {
    dirs.iter()
        .map(|d| {
            let d = d.strip_prefix("./").unwrap_or(d);
            d.trim_end_matches('/').to_string()
        })
        .collect()
}

/// Whether the repository path `rel` (`/`-separated) is part of a sparse
/// checkout of `dirs` (already normalised); an empty list means everything.
pub fn in_sparse(rel: &str, is_dir: bool, dirs: &[String]) -> bool {
    if dirs.is_empty() || dirs.iter().any(|d| d.is_empty() || d == ".") {
        return true;
    }
    dirs.iter().any(|d| {
        rel == d
            || rel
                .strip_prefix(d.as_str())
                .is_some_and(|r| r.starts_with('/'))
            || (is_dir && d.strip_prefix(rel).is_some_and(|r| r.starts_with('/')))
    })
}

fn safe_name(name: &[u8]) -> bool {
    !(name.is_empty()
        || name == b"."
        || name == b".."
        || name.eq_ignore_ascii_case(b".git")
        || name.contains(&b'/')
        || name.contains(&b'\\')
        || name.contains(&0))
}

pub(crate) struct Writer<'a> {
    pub repo: &'a gix::Repository,
    pub sparse: Vec<String>,
    pub max_size: Option<u64>,
    pub interrupt: &'a AtomicBool,
    pub written: u64,
    pub files: usize,
}

impl Writer<'_> {
    pub(crate) fn write_tree(
        &mut self,
        tree: gix::ObjectId,
        dir: &Path,
        rel: &str,
    ) -> Result<(), GitError> {
        let tree = self
            .repo
            .find_tree(tree)
            .map_err(|e| GitError::Checkout(format!("unable to read tree {tree}: {e}")))?;
        let decoded = tree
            .decode()
            .map_err(|e| GitError::Checkout(format!("unable to decode tree: {e}")))?;
        let entries: Vec<(EntryKind, Vec<u8>, gix::ObjectId)> = decoded
            .entries
            .iter()
            .map(|e| (e.mode.kind(), e.filename.to_vec(), e.oid.to_owned()))
            .collect();
        for (kind, name, oid) in entries {
            if self.interrupt.load(Ordering::Relaxed) {
                return Err(GitError::Interrupted);
            }
            if !safe_name(&name) {
                return Err(GitError::UnsafePath(format!(
                    "{}{}",
                    if rel.is_empty() {
                        String::new()
                    } else {
                        format!("{rel}/")
                    },
                    String::from_utf8_lossy(&name)
                )));
            }
            let name_str = String::from_utf8_lossy(&name).into_owned();
            let child_rel = if rel.is_empty() {
                name_str.clone()
            } else {
                format!("{rel}/{name_str}")
            };
            let path = dir.join(&name_str);
            let is_dir = matches!(kind, EntryKind::Tree | EntryKind::Commit);
            if !in_sparse(&child_rel, is_dir, &self.sparse) {
                continue;
            }
            match kind {
                EntryKind::Tree => {
                    make_dir(&path, &child_rel)?;
                    self.write_tree(oid, &path, &child_rel)?;
                }
                // A submodule: an empty directory (submodules are not recursed).
                EntryKind::Commit => make_dir(&path, &child_rel)?,
                EntryKind::Link => {
                    let blob = self.blob(oid, &child_rel)?;
                    let target = String::from_utf8_lossy(&blob).into_owned();
                    std::os::unix::fs::symlink(&target, &path).map_err(|e| {
                        GitError::Io(format!("unable to create symlink '{child_rel}': {e}"))
                    })?;
                }
                EntryKind::Blob | EntryKind::BlobExecutable => {
                    let blob = self.blob(oid, &child_rel)?;
                    self.written += blob.len() as u64;
                    if let Some(max) = self.max_size {
                        if self.written > max {
                            return Err(GitError::TooLarge {
                                limit: max,
                                what: format!("checkout (at '{child_rel}')"),
                            });
                        }
                    }
                    let mode = if kind == EntryKind::BlobExecutable {
                        0o755
                    } else {
                        0o644
                    };
                    let mut f = fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .mode(mode)
                        .open(&path)
                        .map_err(|e| GitError::Io(format!("unable to write '{child_rel}': {e}")))?;
                    f.write_all(&blob)
                        .map_err(|e| GitError::Io(format!("unable to write '{child_rel}': {e}")))?;
                    self.files += 1;
                }
            }
        }
        Ok(())
    }

    fn blob(&self, oid: gix::ObjectId, rel: &str) -> Result<Vec<u8>, GitError> {
        let mut blob = self
            .repo
            .find_blob(oid)
            .map_err(|e| GitError::Checkout(format!("unable to read '{rel}' ({oid}): {e}")))?;
        Ok(blob.take_data())
    }
}

fn make_dir(path: &Path, rel: &str) -> Result<(), GitError> {
    match fs::create_dir(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let md =
                fs::symlink_metadata(path).map_err(|e| GitError::Io(format!("'{rel}': {e}")))?;
            if md.is_dir() {
                Ok(())
            } else {
                Err(GitError::UnsafePath(rel.to_string()))
            }
        }
        Err(e) => Err(GitError::Io(format!(
            "unable to create directory '{rel}': {e}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_matching() {
        let dirs = normalise_sparse(&["./apps/".to_string(), "infra".to_string()]);
        assert_eq!(dirs, vec!["apps", "infra"]);
        assert!(in_sparse("apps", true, &dirs));
        assert!(in_sparse("apps/a.yaml", false, &dirs));
        assert!(!in_sparse("apps2", true, &dirs));
        assert!(!in_sparse("README.md", false, &dirs));
        let nested = normalise_sparse(&["a/b".to_string()]);
        assert!(in_sparse("a", true, &nested));
        assert!(!in_sparse("a", false, &nested));
        assert!(!in_sparse("a/c", true, &nested));
        assert!(in_sparse("anything", false, &[]));
    }

    #[test]
    fn unsafe_names() {
        assert!(!safe_name(b".."));
        assert!(!safe_name(b".GIT"));
        assert!(!safe_name(b"a/b"));
        assert!(safe_name(b".gitignore"));
    }
}

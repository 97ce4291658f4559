//! Finding the YAML files of a checkout: every `.yaml`/`.yml` file under the
//! root, sorted, `.git` skipped, symbolic links never followed (each one
//! reported), unreadable folders reported; nothing outside the root is read.
//!
//! ```
//! let dir = std::env::temp_dir().join(format!("fluxcd-core-discover-doc-{}", std::process::id()));
//! std::fs::create_dir_all(dir.join("a/.git")).unwrap();
//! std::fs::write(dir.join("a/x.yaml"), "a: 1\n").unwrap();
//! std::fs::write(dir.join("a/.git/config.yaml"), "a: 1\n").unwrap();
//! std::fs::write(dir.join("a/readme.md"), "#\n").unwrap();
//! let found = fluxcd_core::plan::discover::discover(&dir);
//! assert_eq!(found.files, [dir.join("a/x.yaml")]);
//! assert!(found.diagnostics.is_empty());
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

use std::path::{Path, PathBuf};

use super::fs::{Disk, EntryKind, FileSystem};
use crate::diagnostic::{Diagnostic, Location};

/// What [`discover`] found.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    /// The YAML files, sorted.
    pub files: Vec<PathBuf>,
    /// Symbolic links skipped and folders that could not be read.
    pub diagnostics: Vec<Diagnostic>,
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// Lists the YAML files under `root` (or `root` itself when it is a file), on disk.
pub fn discover(root: &Path) -> Discovery {
    discover_in(&Disk, root)
}

/// [`discover`] on the file system `fs`.
pub fn discover_in(fs: &dyn FileSystem, root: &Path) -> Discovery {
    let mut out = Discovery::default();
    if fs.is_file(root) {
        out.files.push(root.to_path_buf());
        return out;
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs.read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                out.diagnostics.push(
                    Diagnostic::error("io.read", format!("cannot read folder: {e}")).at(Location {
                        file: Some(rel(root, &dir)),
                        ..Location::default()
                    }),
                );
                continue;
            }
        };
        for (p, kind) in entries {
            if kind == EntryKind::Symlink {
                let target = fs
                    .read_link(&p)
                    .map(|t| t.display().to_string())
                    .unwrap_or_default();
                let why = match (fs.canonicalize(&p), fs.canonicalize(root)) {
                    (Err(_), _) => "broken or looping",
                    (Ok(t), Ok(r)) if !t.starts_with(&r) => "pointing outside the checkout",
                    _ => "inside the checkout",
                };
                out.diagnostics.push(
                    Diagnostic::info(
                        "plan.symlink_skipped",
                        format!("symbolic link to {target} ({why}) is not followed"),
                    )
                    .at(Location {
                        file: Some(rel(root, &p)),
                        ..Location::default()
                    })
                    .with_hint("Flux builds from the source artifact; replace the link with the files if Flux should apply them"),
                );
            } else if kind == EntryKind::Dir {
                if p.file_name().is_none_or(|n| n != ".git") {
                    stack.push(p);
                }
            } else if kind == EntryKind::File
                && p.extension().is_some_and(|e| e == "yaml" || e == "yml")
            {
                out.files.push(p);
            }
        }
    }
    out.files.sort();
    out.diagnostics
        .sort_by(|a, b| a.location.file.cmp(&b.location.file));
    out
}

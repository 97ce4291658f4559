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

/// Lists the YAML files under `root` (or `root` itself when it is a file).
pub fn discover(root: &Path) -> Discovery {
    let mut out = Discovery::default();
    if root.is_file() {
        out.files.push(root.to_path_buf());
        return out;
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match std::fs::read_dir(&dir) {
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
        for entry in entries.flatten() {
            let Ok(ft) = entry.file_type() else { continue };
            let p = entry.path();
            if ft.is_symlink() {
                let target = std::fs::read_link(&p)
                    .map(|t| t.display().to_string())
                    .unwrap_or_default();
                let why = match (p.canonicalize(), root.canonicalize()) {
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
            } else if ft.is_dir() {
                if entry.file_name() != ".git" {
                    stack.push(p);
                }
            } else if ft.is_file() && p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.files.push(p);
            }
        }
    }
    out.files.sort();
    out.diagnostics
        .sort_by(|a, b| a.location.file.cmp(&b.location.file));
    out
}

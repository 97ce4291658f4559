//! Which files a Flux Kustomization's `spec.path` applies, as
//! kustomize-controller builds it.
//!
//! A folder with a `kustomization.yaml` (or `.yml`, or `Kustomization`) is built
//! from its `resources` (files and folders, recursively), `components` and the
//! legacy `bases`. A folder without one gets a generated configuration, as
//! kustomize-controller does: every `.yaml`/`.yml` file under it, recursively,
//! and every sub-folder that holds its own kustomization file as a resource
//! (not descended into). What the build does that this resolution does not
//! expand (patches, generators, transformers, remote bases, Helm charts) is
//! returned in [`Resolution::skipped`], never silently dropped.
//!
//! Nothing outside the source root is read and symbolic links are not followed.
//! Used by [`crate::plan`] and by the postBuild linter.
//!
//! ```
//! use fluxcd_core::plan::resolve::{resolve, read_config_file};
//!
//! let dir = std::env::temp_dir().join(format!("fluxcd-core-resolve-doc-{}", std::process::id()));
//! std::fs::create_dir_all(dir.join("apps/base")).unwrap();
//! std::fs::write(dir.join("apps/kustomization.yaml"), "resources: [base, extra.yaml]\npatches: [{path: p.yaml}]\n").unwrap();
//! std::fs::write(dir.join("apps/extra.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n").unwrap();
//! std::fs::write(dir.join("apps/base/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n").unwrap();
//! let r = resolve(&dir, &dir.join("apps"), &[], &read_config_file);
//! let files: Vec<_> = r.files.iter().map(|f| f.rel.as_str()).collect();
//! assert_eq!(files, ["apps/base/cm.yaml", "apps/extra.yaml"]);
//! assert_eq!(r.skipped[0].field, "patches");
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::fs::{Disk, EntryKind, FileSystem};
use crate::yaml::{self, LoadOptions};

pub use super::fs::normalize;

/// The names kustomize reads as a folder's configuration, in its order.
pub const KUSTOMIZE_FILES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

/// Fields of a kustomization file that change or add objects and that the
/// resolution does not apply.
pub const NOT_APPLIED_FIELDS: [&str; 18] = [
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "configMapGenerator",
    "secretGenerator",
    "generators",
    "transformers",
    "validators",
    "helmCharts",
    "helmChartInflationGenerator",
    "replacements",
    "images",
    "namePrefix",
    "nameSuffix",
    "replicas",
    "vars",
    "crds",
    "openapi",
];

/// One file of the build, with the namespace a kustomization file's
/// `namespace:` sets on its objects (the outermost one wins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedFile {
    /// The file (absolute).
    pub file: PathBuf,
    /// Its path relative to the source root, `/`-separated.
    pub rel: String,
    /// `namespace:` of an enclosing kustomization file.
    pub namespace: Option<String>,
}

/// Why an entry of the build is not expanded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// A generator, patch, transformer, remote base...: reported, not applied.
    NotApplied,
    /// A `resources`/`components` entry that does not exist: the build fails.
    NotFound,
    /// An entry that leaves the source root, or a symbolic link: not read.
    Outside,
}

/// An entry of the build that the resolution does not expand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The kustomization file holding it (relative to the source root,
    /// `/`-separated); for `spec.components`, the built folder.
    pub config: String,
    /// The field (`patches`, `resources`, ...).
    pub field: String,
    /// The index in the field's list, when it is a list entry.
    pub index: Option<usize>,
    /// What it is, e.g. `remote resource https://...` or `3 patches`.
    pub what: String,
    /// Why it is skipped.
    pub reason: SkipReason,
}

/// The build of a folder: files in build order, and what was not expanded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolution {
    /// The files whose objects are applied, in build order, each once.
    pub files: Vec<AppliedFile>,
    /// Entries not expanded.
    pub skipped: Vec<Skipped>,
    /// Symbolic links met in plain folders (not followed).
    pub symlinks: Vec<PathBuf>,
}

/// Reads and parses a kustomization file from disk (the first document).
pub fn read_config_file(path: &Path) -> Option<Value> {
    read_config_file_in(&Disk, path)
}

/// [`read_config_file`] on the file system `fs`.
pub fn read_config_file_in(fs: &dyn FileSystem, path: &Path) -> Option<Value> {
    let bytes = fs.read(path).ok()?;
    let (docs, _) = yaml::parse_bytes(&bytes, &LoadOptions::default());
    docs.into_iter().find_map(|d| d.root).map(|n| n.to_json())
}

/// The kustomization file of a folder on disk, if it has one.
pub fn kustomize_file(dir: &Path) -> Option<PathBuf> {
    kustomize_file_in(&Disk, dir)
}

/// [`kustomize_file`] on the file system `fs` (a symbolic link does not count).
pub fn kustomize_file_in(fs: &dyn FileSystem, dir: &Path) -> Option<PathBuf> {
    KUSTOMIZE_FILES
        .iter()
        .map(|n| dir.join(n))
        .find(|p| matches!(fs.kind(p), Ok(EntryKind::File)))
}

fn is_remote(s: &str) -> bool {
    s.contains("://")
        || s.starts_with("github.com/")
        || s.starts_with("gitlab.com/")
        || s.starts_with("bitbucket.org/")
        || s.starts_with("git@")
        || s.starts_with("ssh:")
}

struct Walker<'a> {
    fs: &'a dyn FileSystem,
    root: PathBuf,
    root_canon: Option<PathBuf>,
    read: &'a dyn Fn(&Path) -> Option<Value>,
    visited: HashSet<PathBuf>,
    seen_files: HashSet<PathBuf>,
    out: Resolution,
}

impl Walker<'_> {
    /// True when `p` (lexically normalized) stays under the root and no part
    /// of it below the root is a symbolic link.
    fn inside(&self, p: &Path) -> bool {
        if !p.starts_with(&self.root) {
            return false;
        }
        let Ok(rel) = p.strip_prefix(&self.root) else {
            return false;
        };
        let mut cur = self.root.clone();
        for c in rel.components() {
            cur.push(c.as_os_str());
            match self.fs.kind(&cur) {
                Ok(EntryKind::Symlink) => return false,
                Ok(_) => {}
                Err(_) => return true, // missing: reported by the caller
            }
        }
        match (&self.root_canon, self.fs.canonicalize(p)) {
            (Some(rc), Ok(c)) => c.starts_with(rc),
            _ => true,
        }
    }

    fn rel(&self, p: &Path) -> String {
        p.strip_prefix(&self.root)
            .unwrap_or(p)
            .to_string_lossy()
            .replace('\\', "/")
    }

    fn add_file(&mut self, file: PathBuf, namespace: Option<&str>) {
        if self.seen_files.insert(file.clone()) {
            let rel = self.rel(&file);
            self.out.files.push(AppliedFile {
                file,
                rel,
                namespace: namespace.map(String::from),
            });
        }
    }

    fn build(&mut self, dir: &Path, namespace: Option<&str>) {
        if !self.visited.insert(dir.to_path_buf()) {
            return;
        }
        match kustomize_file_in(self.fs, dir) {
            Some(k) => self.kustomization(dir, &k, namespace),
            None => self.plain(dir, namespace),
        }
    }

    fn plain(&mut self, dir: &Path, namespace: Option<&str>) {
        let Ok(mut list) = self.fs.read_dir(dir) else {
            return;
        };
        list.sort_by(|a, b| a.0.cmp(&b.0));
        for (p, kind) in list {
            if p.file_name().is_some_and(|n| n == ".git") {
                continue;
            }
            if kind == EntryKind::Symlink {
                self.out.symlinks.push(p);
            } else if kind == EntryKind::Dir {
                if kustomize_file_in(self.fs, &p).is_some() {
                    self.build(&p, namespace);
                } else if self.visited.insert(p.clone()) {
                    self.plain(&p, namespace);
                }
            } else if kind == EntryKind::File
                && p.extension().is_some_and(|e| e == "yaml" || e == "yml")
            {
                self.add_file(p, namespace);
            }
        }
    }

    fn kustomization(&mut self, dir: &Path, kfile: &Path, outer_ns: Option<&str>) {
        let Some(cfg) = (self.read)(kfile) else {
            return;
        };
        let own_ns = cfg.get("namespace").and_then(Value::as_str);
        let config = self.rel(kfile);
        let ns = outer_ns.or(own_ns).map(String::from);
        for field in ["resources", "components", "bases"] {
            let Some(list) = cfg.get(field).and_then(Value::as_array) else {
                continue;
            };
            for (i, entry) in list.iter().enumerate() {
                let Some(s) = entry.as_str() else { continue };
                let skip = |what: String, reason| Skipped {
                    config: config.clone(),
                    field: field.to_string(),
                    index: Some(i),
                    what,
                    reason,
                };
                if is_remote(s) {
                    self.out.skipped.push(skip(
                        format!("remote {field} entry {s}"),
                        SkipReason::NotApplied,
                    ));
                    continue;
                }
                let p = normalize(&dir.join(s));
                if !self.inside(&p) {
                    self.out.skipped.push(skip(
                        format!(
                            "{field} entry {s} is outside the source or a symbolic link; not read"
                        ),
                        SkipReason::Outside,
                    ));
                    continue;
                }
                match self.fs.kind_followed(&p) {
                    Ok(EntryKind::Dir) => self.build(&p, ns.as_deref()),
                    Ok(EntryKind::File) => self.add_file(p, ns.as_deref()),
                    _ => self.out.skipped.push(skip(
                        format!("{field} entry {s} does not exist"),
                        SkipReason::NotFound,
                    )),
                }
            }
        }
        for field in NOT_APPLIED_FIELDS {
            let Some(v) = cfg.get(field).filter(|v| !v.is_null()) else {
                continue;
            };
            let what = match v {
                Value::Array(a) => format!("{field} ({} entries)", a.len()),
                Value::Object(m) => format!("{field} ({} entries)", m.len()),
                _ => field.to_string(),
            };
            self.out.skipped.push(Skipped {
                config: config.clone(),
                field: field.to_string(),
                index: None,
                what,
                reason: SkipReason::NotApplied,
            });
        }
    }
}

/// The build of `dir` (a folder or a file) inside the source `root`, plus
/// `components` (Flux's `spec.components`, relative to `dir`).
///
/// `read` returns the parsed content of a kustomization file
/// ([`read_config_file`] reads it from disk; the plan passes the files it
/// already loaded).
pub fn resolve(
    root: &Path,
    dir: &Path,
    components: &[String],
    read: &dyn Fn(&Path) -> Option<Value>,
) -> Resolution {
    resolve_in(&Disk, root, dir, components, read)
}

/// [`resolve`] on the file system `fs`.
pub fn resolve_in(
    fs: &dyn FileSystem,
    root: &Path,
    dir: &Path,
    components: &[String],
    read: &dyn Fn(&Path) -> Option<Value>,
) -> Resolution {
    let abs = |p: &Path| fs.absolute(p);
    let root = abs(root);
    let mut w = Walker {
        fs,
        root_canon: fs.canonicalize(&root).ok(),
        root,
        read,
        visited: HashSet::new(),
        seen_files: HashSet::new(),
        out: Resolution::default(),
    };
    let dir = abs(dir);
    if !w.inside(&dir) {
        return w.out;
    }
    if fs.is_file(&dir) {
        w.add_file(dir.clone(), None);
    } else {
        w.build(&dir, None);
    }
    for c in components {
        let p = normalize(&dir.join(c));
        if is_remote(c) || !w.inside(&p) || !fs.exists(&p) {
            let config = w.rel(&dir);
            w.out.skipped.push(Skipped {
                config,
                field: "spec.components".into(),
                index: None,
                what: format!("component {c} is remote, outside the source or missing"),
                reason: if is_remote(c) {
                    SkipReason::NotApplied
                } else if fs.exists(&p) {
                    SkipReason::Outside
                } else {
                    SkipReason::NotFound
                },
            });
            continue;
        }
        w.build(&p, None);
    }
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Tmp(PathBuf);
    impl Drop for Tmp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
    fn tmp(name: &str) -> Tmp {
        let d =
            std::env::temp_dir().join(format!("fluxcd-core-resolve-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Tmp(d)
    }
    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    fn rels(_root: &Path, r: &Resolution) -> Vec<String> {
        r.files.iter().map(|f| f.rel.clone()).collect()
    }
    const CM: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n";

    #[test]
    fn plain_folder_is_recursive_and_stops_at_kustomization_dirs() {
        let t = tmp("plain");
        let r = &t.0;
        write(r, "apps/a.yaml", CM);
        write(r, "apps/notes.txt", "x");
        write(r, "apps/sub/b.yml", CM);
        write(r, "apps/sub/c.json", "{}");
        write(r, "apps/kz/kustomization.yaml", "resources: [in.yaml]\n");
        write(r, "apps/kz/in.yaml", CM);
        write(r, "apps/kz/not-listed.yaml", CM);
        let res = resolve(r, &r.join("apps"), &[], &read_config_file);
        assert_eq!(
            rels(r, &res),
            ["apps/a.yaml", "apps/kz/in.yaml", "apps/sub/b.yml"]
        );
        assert!(res.skipped.is_empty());
    }

    #[test]
    fn resources_missing_outside_and_not_applied() {
        let t = tmp("res");
        let r = &t.0.join("repo");
        write(&t.0, "secret.yaml", CM);
        write(
            r,
            "k/kustomization.yaml",
            "namespace: team\nresources:\n- ok.yaml\n- gone.yaml\n- ../../secret.yaml\n- https://github.com/x/y//base\nconfigMapGenerator:\n- name: g\npatches:\n- path: p.yaml\n",
        );
        write(r, "k/ok.yaml", CM);
        let res = resolve(r, &r.join("k"), &[], &read_config_file);
        assert_eq!(rels(r, &res), ["k/ok.yaml"]);
        assert_eq!(res.files[0].namespace.as_deref(), Some("team"));
        let reasons: Vec<(&str, Option<usize>, SkipReason)> = res
            .skipped
            .iter()
            .map(|s| (s.field.as_str(), s.index, s.reason))
            .collect();
        assert_eq!(
            reasons,
            [
                ("resources", Some(1), SkipReason::NotFound),
                ("resources", Some(2), SkipReason::Outside),
                ("resources", Some(3), SkipReason::NotApplied),
                ("patches", None, SkipReason::NotApplied),
                ("configMapGenerator", None, SkipReason::NotApplied),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_not_followed_and_loops_end() {
        let t = tmp("links");
        let r = &t.0.join("repo");
        write(&t.0, "outside/x.yaml", CM);
        write(r, "apps/a.yaml", CM);
        std::os::unix::fs::symlink(t.0.join("outside"), r.join("apps/out")).unwrap();
        std::os::unix::fs::symlink(r.join("apps"), r.join("apps/loop")).unwrap();
        let res = resolve(r, &r.join("apps"), &[], &read_config_file);
        assert_eq!(rels(r, &res), ["apps/a.yaml"]);
        assert_eq!(res.symlinks.len(), 2);
        // A kustomization cycle ends too.
        write(r, "c1/kustomization.yaml", "resources: [../c2]\n");
        write(r, "c2/kustomization.yaml", "resources: [../c1, y.yaml]\n");
        write(r, "c2/y.yaml", CM);
        let res = resolve(r, &r.join("c1"), &[], &read_config_file);
        assert_eq!(rels(r, &res), ["c2/y.yaml"]);
    }

    #[test]
    fn components_are_built_too() {
        let t = tmp("comp");
        let r = &t.0;
        write(r, "app/a.yaml", CM);
        write(
            r,
            "comp/kustomization.yaml",
            "kind: Component\nresources: [c.yaml]\n",
        );
        write(r, "comp/c.yaml", CM);
        let res = resolve(
            r,
            &r.join("app"),
            &["../comp".to_string(), "../none".to_string()],
            &read_config_file,
        );
        assert_eq!(rels(r, &res), ["app/a.yaml", "comp/c.yaml"]);
        assert_eq!(res.skipped[0].reason, SkipReason::NotFound);
    }
}

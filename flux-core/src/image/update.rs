//! What an ImageUpdateAutomation (Setters strategy) would commit for a given choice of
//! tags: every ImageUpdateAutomation, ImagePolicy and ImageRepository of a checkout is
//! read, and the marked fields under each automation's `update.path` are rewritten
//! with the values of the policies in the automation's namespace.
//!
//! The image name of a policy is its ImageRepository's `spec.image` as written.
//! Without any ImageUpdateAutomation in the checkout, the whole checkout is in scope
//! and every selected policy is a setter.
//!
//! ```
//! use fluxcd_core::image::update::{update_tree, Selected};
//! use std::collections::BTreeMap;
//! let dir = std::env::temp_dir().join(format!("fluxcd-core-update-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("policy.yaml"), "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: app, namespace: apps}\nspec: {image: ghcr.io/acme/app}\n---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: app, namespace: apps}\nspec:\n  imageRepositoryRef: {name: app}\n  policy: {semver: {range: 1.x}}\n").unwrap();
//! std::fs::write(dir.join("deploy.yaml"), "image: ghcr.io/acme/app:1.0.0 # {\"$imagepolicy\": \"apps:app\"}\n").unwrap();
//! let mut sel = BTreeMap::new();
//! sel.insert("apps:app".to_string(), Selected { tag: "1.2.0".into(), digest: None });
//! let report = update_tree(&dir, &sel).unwrap();
//! assert_eq!(report.files[0].content, "image: ghcr.io/acme/app:1.2.0 # {\"$imagepolicy\": \"apps:app\"}\n");
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use super::setters::{rewrite, Change};
use super::template::{render, Change as TChange, TemplateData};
use crate::diagnostic::{Diagnostic, Location};
use crate::manifest;

/// The tag (and digest) chosen for a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Selected {
    /// The tag.
    pub tag: String,
    /// The digest (`sha256:...`), when digest reflection is on.
    pub digest: Option<String>,
}

impl Selected {
    /// Reads `TAG` or `TAG@DIGEST`.
    pub fn parse(s: &str) -> Selected {
        match s.split_once('@') {
            Some((t, d)) => Selected {
                tag: t.to_string(),
                digest: Some(d.to_string()),
            },
            None => Selected {
                tag: s.to_string(),
                digest: None,
            },
        }
    }
}

/// One file the automation would change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileUpdate {
    /// The path relative to the checkout, with `/`.
    pub file: String,
    /// The text before.
    pub original: String,
    /// The text after.
    pub content: String,
    /// The changed fields.
    pub changes: Vec<Change>,
}

/// The result of [`update_tree`].
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UpdateReport {
    /// The changed files, in path order.
    pub files: Vec<FileUpdate>,
    /// How many markers were found.
    pub markers: usize,
    /// Markers naming unknown or out-of-namespace policies, unreadable files, commit
    /// message templates that do not render.
    pub diagnostics: Vec<Diagnostic>,
    /// The commit message each ImageUpdateAutomation with changes would write.
    pub messages: Vec<CommitMessage>,
}

/// The commit message of one automation (`spec.git.commit.messageTemplate` rendered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitMessage {
    /// `namespace/name` of the ImageUpdateAutomation.
    pub automation: String,
    /// The rendered message (`None` when the template does not render).
    pub message: Option<String>,
}

struct Scope {
    namespace: Option<String>,
    path: PathBuf,
    automation: String,
    template: Option<String>,
    values: BTreeMap<String, String>,
    location: Location,
    changes: Vec<(String, String, TChange)>,
}

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str()
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn clean(path: &str) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in Path::new(path).components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir | Component::RootDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Rewrites the marked fields of the checkout at `root` for `selections`
/// (`namespace:name` of an ImagePolicy → its tag). Nothing is written to disk.
///
/// # Errors
///
/// The checkout cannot be listed.
pub fn update_tree(
    root: &Path,
    selections: &BTreeMap<String, Selected>,
) -> std::io::Result<UpdateReport> {
    let files = manifest::yaml_files(root)?;
    let contents = files
        .into_iter()
        .filter_map(|f| std::fs::read(&f).ok().map(|b| (f, b)))
        .collect();
    Ok(update_files(root, contents, selections))
}

/// [`update_tree`] over files held in memory: each YAML file's path (under
/// `root`) and its bytes, in the order a directory walk lists them.
pub fn update_files(
    root: &Path,
    files: Vec<(PathBuf, Vec<u8>)>,
    selections: &BTreeMap<String, Selected>,
) -> UpdateReport {
    let mut texts: Vec<(PathBuf, Option<String>, Vec<u8>)> = Vec::new();
    let mut repos: BTreeMap<String, String> = BTreeMap::new();
    let mut policies: BTreeMap<String, String> = BTreeMap::new(); // ns:name -> repo key
    let mut scopes: Vec<Scope> = Vec::new();
    let mut report = UpdateReport::default();
    for (f, bytes) in files {
        let text = String::from_utf8(bytes.clone()).ok();
        if let Some(t) = &text {
            if t.contains("image.toolkit.fluxcd.io") {
                let set = manifest::load_str(t, Some(&rel(root, &f)));
                for m in &set.objects {
                    if m.group() != "image.toolkit.fluxcd.io" {
                        continue;
                    }
                    let ns = m.namespace().unwrap_or("default").to_string();
                    let v = &m.value;
                    match m.kind() {
                        "ImageRepository" => {
                            if let Some(img) = str_at(v, &["spec", "image"]) {
                                repos.insert(format!("{ns}/{}", m.name()), img.to_string());
                            }
                        }
                        "ImagePolicy" => {
                            let rn =
                                str_at(v, &["spec", "imageRepositoryRef", "name"]).unwrap_or("");
                            let rns = str_at(v, &["spec", "imageRepositoryRef", "namespace"])
                                .unwrap_or(&ns);
                            policies.insert(format!("{ns}:{}", m.name()), format!("{rns}/{rn}"));
                        }
                        "ImageUpdateAutomation" => {
                            let strategy =
                                str_at(v, &["spec", "update", "strategy"]).unwrap_or("Setters");
                            if strategy != "Setters" {
                                continue;
                            }
                            let p = str_at(v, &["spec", "update", "path"]).unwrap_or(".");
                            if let Some(path) = clean(p) {
                                let values = v
                                    .pointer("/spec/git/commit/messageTemplateValues")
                                    .and_then(Value::as_object)
                                    .map(|m| {
                                        m.iter()
                                            .map(|(k, x)| {
                                                (k.clone(), x.as_str().unwrap_or("").to_string())
                                            })
                                            .collect()
                                    })
                                    .unwrap_or_default();
                                scopes.push(Scope {
                                    automation: format!("{ns}/{}", m.name()),
                                    namespace: Some(ns),
                                    path,
                                    template: v
                                        .pointer("/spec/git/commit/messageTemplate")
                                        .and_then(Value::as_str)
                                        .map(str::to_string),
                                    values,
                                    location: m.locate("spec.git.commit.messageTemplate"),
                                    changes: Vec::new(),
                                });
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        texts.push((f, text, bytes));
    }
    if scopes.is_empty() {
        scopes.push(Scope {
            namespace: None,
            path: PathBuf::new(),
            automation: String::new(),
            template: None,
            values: BTreeMap::new(),
            location: Location::default(),
            changes: Vec::new(),
        });
    }
    let value_of = |ns: &Option<String>, setter: &str| -> Option<String> {
        let mut parts = setter.splitn(3, ':');
        let (pns, pname, field) = (parts.next()?, parts.next()?, parts.next());
        if ns.as_deref().is_some_and(|n| n != pns) {
            return None;
        }
        let key = format!("{pns}:{pname}");
        let sel = selections.get(&key)?;
        let image = policies.get(&key).and_then(|r| repos.get(r));
        match field {
            None => {
                let image = image?;
                let mut s = format!("{image}:{}", sel.tag);
                if let Some(d) = &sel.digest {
                    s.push('@');
                    s.push_str(d);
                }
                Some(s)
            }
            Some("tag") => Some(sel.tag.clone()),
            Some("name") => image.cloned(),
            Some("digest") => sel.digest.clone(),
            Some(_) => None,
        }
    };
    let mut reported: BTreeSet<(String, usize)> = BTreeSet::new();
    for (path, text, bytes) in &texts {
        let file = rel(root, path);
        let root_path = root.to_path_buf();
        let in_scopes: Vec<usize> = (0..scopes.len())
            .filter(|&i| path.starts_with(root_path.join(&scopes[i].path)))
            .collect();
        if in_scopes.is_empty() {
            continue;
        }
        let Some(text) = text else {
            if bytes.windows(14).any(|w| w == b"\"$imagepolicy\"") {
                report.diagnostics.push(
                    Diagnostic::error(
                        "imageupdate.invalid_utf8",
                        format!("{file} is not UTF-8; the automation cannot read it"),
                    )
                    .at(Location {
                        file: Some(file.clone()),
                        ..Location::default()
                    }),
                );
            }
            continue;
        };
        if !text.contains("\"$imagepolicy\"") {
            continue;
        }
        let mut content = text.clone();
        let mut changes = Vec::new();
        // The objects of the file by first line, for the template's object keys.
        let objects: Vec<(u32, String)> = manifest::load_str(text, None)
            .objects
            .iter()
            .map(|m| {
                (
                    m.location.line,
                    format!("{} {}/{}", m.kind(), m.namespace().unwrap_or(""), m.name()),
                )
            })
            .collect();
        for si in in_scopes {
            let ns = scopes[si].namespace.clone();
            let r = rewrite(&content, &|s: &str| value_of(&ns, s));
            let scope = &scopes[si];
            for m in &r.markers {
                if !reported.insert((file.clone(), m.line)) {
                    continue;
                }
                report.markers += 1;
                let key = format!("{}:{}", m.namespace, m.name);
                let loc = Location {
                    file: Some(file.clone()),
                    line: m.line as u32,
                    column: 1,
                    ..Location::default()
                };
                if let Some(ns) = &scope.namespace {
                    if *ns != m.namespace {
                        report.diagnostics.push(
                            Diagnostic::warning(
                                "imageupdate.cross_namespace",
                                format!("marker names ImagePolicy {key}, but the ImageUpdateAutomation is in namespace {ns}: upstream only uses policies of its own namespace"),
                            )
                            .at(loc),
                        );
                        continue;
                    }
                }
                if !policies.contains_key(&key) {
                    report.diagnostics.push(
                        Diagnostic::warning(
                            "imageupdate.policy_not_found",
                            format!("marker names ImagePolicy {key}, which is not defined here"),
                        )
                        .at(loc),
                    );
                }
            }
            for c in &r.changes {
                let obj = objects
                    .iter()
                    .rev()
                    .find(|(l, _)| (*l as usize) <= c.line)
                    .map_or(String::new(), |(_, o)| o.clone());
                scopes[si].changes.push((
                    file.clone(),
                    obj,
                    TChange {
                        old: c.old.clone(),
                        new: c.new.clone(),
                        setter: c.setter.clone(),
                    },
                ));
            }
            changes.extend(r.changes);
            content = r.content;
        }
        if !changes.is_empty() {
            report.files.push(FileUpdate {
                file,
                original: text.clone(),
                content,
                changes,
            });
        }
    }
    report.files.sort_by(|a, b| a.file.cmp(&b.file));
    for scope in &scopes {
        if scope.automation.is_empty() || scope.changes.is_empty() {
            continue;
        }
        let data = TemplateData {
            automation: scope.automation.clone(),
            changes: scope.changes.clone(),
            values: scope.values.clone(),
        };
        // Upstream's default message when no template is set.
        let default = "Update from image update automation";
        let message = match scope.template.as_deref().filter(|t| !t.is_empty()) {
            None => Some(default.to_string()),
            Some(t) => match render(t, &data) {
                Ok(m) => Some(m),
                Err(e) => {
                    report.diagnostics.push(
                        Diagnostic::error(
                            "imageupdate.template",
                            format!("the messageTemplate of ImageUpdateAutomation {} does not render: {e}", scope.automation),
                        )
                        .at(scope.location.clone()),
                    );
                    None
                }
            },
        };
        report.messages.push(CommitMessage {
            automation: scope.automation.clone(),
            message,
        });
    }
    report
}

/// A unified diff of one file update (`--- a/<file>` / `+++ b/<file>`, one hunk per
/// changed line with no context).
pub fn diff(u: &FileUpdate) -> String {
    let mut out = format!("--- a/{}\n+++ b/{}\n", u.file, u.file);
    let old: Vec<&str> = u.original.split_inclusive('\n').collect();
    let new: Vec<&str> = u.content.split_inclusive('\n').collect();
    for (i, (a, b)) in old.iter().zip(&new).enumerate() {
        if a != b {
            out.push_str(&format!("@@ -{0},1 +{0},1 @@\n-{1}", i + 1, a));
            if !a.ends_with('\n') {
                out.push('\n');
            }
            out.push_str(&format!("+{b}"));
            if !b.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    out
}

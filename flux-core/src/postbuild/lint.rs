//! The postBuild linter: what Flux 2.9's strict substitution will reject in a
//! repository, found before it is pushed.
//!
//! For every Flux Kustomization with `spec.postBuild`, the linter reads the
//! objects under its `spec.path` (a plain directory of YAML, or a
//! `kustomization.yaml` with `resources` and `components` files and folders;
//! patches, generators and remote bases are reported, not applied), gathers the
//! variables it would get (inline `substitute`, ConfigMaps and Secrets of
//! `substituteFrom` found in the repository, caller-supplied variable files) and
//! reports, each at its file, line and column in the original file:
//!
//! | code | severity | what |
//! | --- | --- | --- |
//! | `subst.undefined` | error | a `${var}` without default whose variable is not defined (strict mode) |
//! | `subst.*` (parse codes) | error | a malformed `${…}` (the whole resource fails) |
//! | `postbuild.invalid_var_name` | error | a variable name Flux rejects (every resource fails) |
//! | `postbuild.source_not_found` | error | a required `substituteFrom` object is declared in the repository, but in another namespace |
//! | `postbuild.yaml` | error | the substituted resource is no longer valid YAML |
//! | `postbuild.undefined_unless_external` | warning | a `${var}` without default that only a `substituteFrom` object missing from the repository could define |
//! | `postbuild.unknown_source` | info | a `substituteFrom` object is not in the repository: undefined-variable checks are skipped for that Kustomization |
//! | `postbuild.defaults_not_applied` | warning | no variables at all, so substitution does not run and `${var:=default}` stays as written |
//! | `postbuild.bare_variable` | info | `$var` (without braces), which Flux never substitutes |
//! | `postbuild.path_not_found` | info | `spec.path` is not in the repository |
//! | `postbuild.kustomize_not_applied` | info | a `kustomization.yaml` uses patches, generators or remote bases the linter does not apply |
//!
//! Only what Flux would really raise is reported as an error: every resource is
//! also run through the real pipeline ([`super::substitute_resource`]) and a
//! located finding is kept only when the pipeline fails too.
//!
//! ```
//! use fluxcd_core::postbuild::lint::{lint_path, LintOptions};
//!
//! let dir = std::env::temp_dir().join(format!("fluxcd-core-lint-doc-{}", std::process::id()));
//! std::fs::create_dir_all(dir.join("apps")).unwrap();
//! std::fs::write(dir.join("ks.yaml"), "\
//! apiVersion: kustomize.toolkit.fluxcd.io/v1
//! kind: Kustomization
//! metadata: {name: apps, namespace: flux-system}
//! spec:
//!   interval: 10m
//!   path: ./apps
//!   prune: true
//!   sourceRef: {kind: GitRepository, name: flux-system}
//!   postBuild:
//!     substitute: {domain: example.com}
//! ").unwrap();
//! std::fs::write(dir.join("apps/cm.yaml"), "\
//! apiVersion: v1
//! kind: ConfigMap
//! metadata: {name: web}
//! data:
//!   host: web.${domain}
//!   owner: ${team}
//! ").unwrap();
//! let report = lint_path(&dir, &LintOptions::default()).unwrap();
//! let d = &report.diagnostics[0];
//! assert_eq!(d.code, "subst.undefined");
//! assert_eq!(d.location.file.as_deref(), Some("apps/cm.yaml"));
//! assert_eq!((d.location.line, d.location.column), (6, 10));
//! # std::fs::remove_dir_all(&dir).ok();
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{
    is_disabled, load_vars, read_var_object, substitute_text, Error, Found, Kustomization, Options,
    Origin, RefKind, VarStore, Vars,
};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::manifest::{self, ManifestSet};
use crate::subst::{self, Operator};
use crate::yaml::{self, LoadOptions, Node, NodeValue, Pos};

/// Linter settings.
#[derive(Debug, Clone, Default)]
pub struct LintOptions {
    /// Flux version and strictness.
    pub subst: Options,
    /// Caller-supplied variables (e.g. the values of cluster ConfigMaps that are
    /// not in the repository), each set named by its file. They are applied after
    /// `substituteFrom` and before the inline `substitute`; when any is given,
    /// `substituteFrom` objects missing from the repository are assumed to be
    /// covered by them.
    pub var_files: Vec<(String, BTreeMap<String, String>)>,
    /// Sources mapped to folders: a Kustomization whose `sourceRef` is the
    /// GitRepository named first is built from the folder (second), its files
    /// named with the prefix (third) in locations. Others use the repository.
    pub sources: Vec<(String, PathBuf, String)>,
}

/// What the linter found.
#[derive(Debug, Clone, Default)]
pub struct LintReport {
    /// Findings, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// Flux Kustomizations with `spec.postBuild`.
    pub kustomizations: usize,
    /// Resources (documents) examined under their paths.
    pub resources: usize,
    /// `${…}` expressions seen.
    pub placeholders: usize,
}

impl LintReport {
    /// Number of error findings.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }
}

/// Loads the repository at `root` and lints it.
pub fn lint_path(root: &Path, opts: &LintOptions) -> std::io::Result<LintReport> {
    let set = manifest::load_path(root, &LoadOptions::default())?;
    Ok(lint_set(root, &set, opts))
}

/// Lints the Flux Kustomizations of an already-loaded repository rooted at `root`.
pub fn lint_set(root: &Path, set: &ManifestSet, opts: &LintOptions) -> LintReport {
    lint_set_in(&crate::plan::fs::Disk, root, set, opts)
}

/// [`lint_set`] reading the resources from the file system `fs`.
pub fn lint_set_in(
    fs: &dyn crate::plan::fs::FileSystem,
    root: &Path,
    set: &ManifestSet,
    opts: &LintOptions,
) -> LintReport {
    let store = RepoStore::new(set, !opts.var_files.is_empty());
    let mut report = LintReport::default();
    let mut seen: HashSet<(Option<String>, u32, u32, String, String)> = HashSet::new();
    let mut out = Vec::new();
    for m in &set.objects {
        if m.kind() != "Kustomization" || m.group() != "kustomize.toolkit.fluxcd.io" {
            continue;
        }
        if m.role != manifest::Role::Object {
            continue;
        }
        let Ok(ks) = Kustomization::from_value(&m.value) else {
            continue;
        };
        if !ks.post_build {
            continue;
        }
        report.kustomizations += 1;
        lint_one(fs, root, m, &ks, &store, opts, &mut report, &mut out);
    }
    for d in out {
        let key = (
            d.location.file.clone(),
            d.location.line,
            d.location.column,
            d.code.clone(),
            d.message.clone(),
        );
        if seen.insert(key) {
            report.diagnostics.push(d);
        }
    }
    report.diagnostics.sort_by(|a, b| {
        (
            &a.location.file,
            a.location.line,
            a.location.column,
            &a.code,
        )
            .cmp(&(
                &b.location.file,
                b.location.line,
                b.location.column,
                &b.code,
            ))
    });
    report
}

/// ConfigMaps and Secrets of the repository, by kind and name.
pub(crate) struct RepoStore {
    by_name: HashMap<(RefKind, String), Vec<StoredObject>>,
    covered_by_files: bool,
}

pub(crate) struct StoredObject {
    pub(crate) namespace: Option<String>,
    pub(crate) data: BTreeMap<String, String>,
    pub(crate) location: Location,
    pub(crate) key_locations: BTreeMap<String, Location>,
    /// SOPS-encrypted: the keys are known, the values are not.
    pub(crate) encrypted: bool,
}

impl RepoStore {
    pub(crate) fn new(set: &ManifestSet, covered_by_files: bool) -> Self {
        let mut by_name: HashMap<(RefKind, String), Vec<StoredObject>> = HashMap::new();
        for m in &set.objects {
            if m.role != manifest::Role::Object {
                continue;
            }
            let encrypted = m.value.get("sops").is_some();
            let parsed = if encrypted {
                // SOPS-encrypted: the keys are known, the values are not.
                strip_values(&m.value)
            } else {
                m.value.clone()
            };
            let read = read_var_object(&parsed, "")
                .or_else(|_| read_var_object(&strip_values(&m.value), ""));
            let Ok(Some((kind, ns, name, data))) = read else {
                continue;
            };
            let mut key_locations = BTreeMap::new();
            for field in ["data", "stringData"] {
                if let Some(NodeValue::Map(entries)) = m.node.get(field).map(|n| &n.value) {
                    for e in entries {
                        let mut loc = m.location.clone();
                        loc.line = e.key_pos.line;
                        loc.column = e.key_pos.column;
                        loc.path = format!("{field}.{}", e.key);
                        key_locations.insert(e.key.clone(), loc);
                    }
                }
            }
            by_name.entry((kind, name)).or_default().push(StoredObject {
                namespace: (!ns.is_empty()).then_some(ns),
                data,
                location: m.location.clone(),
                key_locations,
                encrypted,
            });
        }
        RepoStore {
            by_name,
            covered_by_files,
        }
    }

    pub(crate) fn object(
        &self,
        kind: RefKind,
        namespace: &str,
        name: &str,
    ) -> Result<&StoredObject, bool> {
        let Some(list) = self.by_name.get(&(kind, name.to_string())) else {
            return Err(false);
        };
        // The same namespace, then an object whose namespace is set elsewhere
        // (a kustomization.yaml `namespace:`), then, when the Kustomization's
        // own namespace is not written down, anything with that name.
        if let Some(o) = list
            .iter()
            .find(|o| o.namespace.as_deref() == Some(namespace))
        {
            return Ok(o);
        }
        if let Some(o) = list.iter().find(|o| o.namespace.is_none()) {
            return Ok(o);
        }
        if namespace.is_empty() {
            return list.first().ok_or(false);
        }
        Err(true)
    }
}

impl VarStore for RepoStore {
    fn find(&self, kind: RefKind, namespace: &str, name: &str) -> Found<'_> {
        match self.object(kind, namespace, name) {
            Ok(o) => Found::Present(&o.data),
            // Declared in the repository, but in another namespace: Flux will not find it.
            Err(true) if !self.covered_by_files => Found::NotFound,
            // Not in the repository: it may well exist in the cluster.
            _ => Found::Unknown,
        }
    }
}

fn strip_values(v: &Value) -> Value {
    let mut v = v.clone();
    for field in ["data", "stringData"] {
        if let Some(Value::Object(m)) = v.get_mut(field) {
            for (_, val) in m.iter_mut() {
                *val = Value::String(String::new());
            }
        }
    }
    if let Some(Value::Object(m)) = v.get_mut("data") {
        // Move to stringData so nothing is base64-decoded.
        let taken = std::mem::take(m);
        v["stringData"] = Value::Object(taken);
        v.as_object_mut().map(|o| o.remove("data"));
    }
    v
}

#[allow(clippy::too_many_lines)]
fn lint_one(
    fs: &dyn crate::plan::fs::FileSystem,
    root: &Path,
    m: &manifest::Manifest,
    ks: &Kustomization,
    store: &RepoStore,
    opts: &LintOptions,
    report: &mut LintReport,
    out: &mut Vec<Diagnostic>,
) {
    let ks_label = format!(
        "Kustomization {}{}",
        if ks.namespace.is_empty() {
            String::new()
        } else {
            format!("{}/", ks.namespace)
        },
        ks.name
    );
    let strict = opts.subst.is_strict();
    // Variables, as Flux gathers them (plus the caller's files before inline values).
    let mut vars = match load_vars(
        ks,
        store,
        &Options {
            dry_run: false,
            ..opts.subst
        },
    ) {
        Ok(v) => v,
        Err(e) => {
            let mut d = Diagnostic::error(e.code(), e.to_string())
                .at(m.locate("spec.postBuild.substituteFrom"))
                .with_hint(format!(
                    "{ks_label} fails to build every resource; the object is declared in the repository under another namespace than the Kustomization's"
                ));
            d.message = format!("{} ({ks_label})", d.message);
            out.push(d);
            return;
        }
    };
    if !opts.var_files.is_empty() {
        let inline = ks.substitute.clone().unwrap_or_default();
        for (path, map) in &opts.var_files {
            for (k, v) in map {
                if !inline.contains_key(k) {
                    vars.insert(k.clone(), v, Origin::File { path: path.clone() });
                }
            }
        }
    }
    for r in &vars.unknown_sources {
        if let Some(kind) = r.kind {
            out.push(
                Diagnostic::info(
                    "postbuild.unknown_source",
                    format!(
                        "substituteFrom {kind}/{} is not in the repository: variables it may define are unknown, so variables undefined in the repository under {} are warnings, not errors ({ks_label})",
                        r.name,
                        ks_path_text(ks_path(m)),
                    ),
                )
                .at(m.locate("spec.postBuild.substituteFrom"))
                .with_hint("pass its values with --vars FILE to check them too"),
            );
        }
    }
    let complete = vars.unknown_sources.is_empty();
    let runs = !vars.is_empty() || ks.always || !complete;
    // Invalid names break every resource: report them once, at their definition.
    for name in vars.invalid_names() {
        let origin = &vars.map[name].origin;
        let loc = match origin {
            Origin::Inline => m.locate(&format!("spec.postBuild.substitute[\"{name}\"]")),
            Origin::ConfigMap { name: obj, .. } | Origin::Secret { name: obj, .. } => {
                let kind = if matches!(origin, Origin::Secret { .. }) {
                    RefKind::Secret
                } else {
                    RefKind::ConfigMap
                };
                match store.object(kind, &ks.namespace, obj) {
                    Ok(o) => o
                        .key_locations
                        .get(name)
                        .cloned()
                        .unwrap_or_else(|| o.location.clone()),
                    Err(_) => m.locate("spec.postBuild"),
                }
            }
            Origin::File { .. } => m.locate("spec.postBuild"),
        };
        let e = Error::InvalidVarName {
            name: name.to_string(),
            origin: origin.clone(),
        };
        out.push(
            Diagnostic::error(e.code(), format!("{e} (variable from {origin}, used by {ks_label})"))
                .at(loc)
                .with_hint("Flux fails every resource of this Kustomization: rename the key (letters, digits and `_`, not starting with a digit) or move it to an object that is not in substituteFrom"),
        );
    }
    let names_ok = vars.invalid_names().is_empty();

    let Some(rel) = ks_path(m) else { return };
    let source = m.value.pointer("/spec/sourceRef");
    let mapped = (source.and_then(|s| s.get("kind")).and_then(Value::as_str)
        == Some("GitRepository"))
    .then(|| source.and_then(|s| s.get("name")).and_then(Value::as_str))
    .flatten()
    .and_then(|name| opts.sources.iter().find(|(n, _, _)| n == name));
    let (root, prefix) = match mapped {
        Some((_, dir, prefix)) => (dir.as_path(), prefix.as_str()),
        None => (root, ""),
    };
    let dir = crate::plan::resolve::normalize(&root.join(rel.trim_start_matches("./")));
    if !fs.exists(&dir) {
        out.push(
            Diagnostic::info(
                "postbuild.path_not_found",
                format!("spec.path {rel:?} is not in this repository; its resources are not checked ({ks_label})"),
            )
            .at(m.locate("spec.path")),
        );
        return;
    }
    let components: Vec<String> = m
        .value
        .pointer("/spec/components")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(String::from)
        .collect();
    let read = |p: &Path| crate::plan::resolve::read_config_file_in(fs, p);
    let resolution = crate::plan::resolve::resolve_in(fs, root, &dir, &components, &read);
    // Not applied by the linter: one finding per kustomization file.
    let mut skipped: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for s in &resolution.skipped {
        if s.reason == crate::plan::resolve::SkipReason::NotApplied {
            skipped.entry(&s.config).or_default().insert(s.what.clone());
        }
    }
    for (config, what) in skipped {
        out.push(
            Diagnostic::info(
                "postbuild.kustomize_not_applied",
                format!(
                    "not applied by the postBuild linter: {}; resources are checked as written",
                    what.into_iter().collect::<Vec<_>>().join(", ")
                ),
            )
            .at(Location {
                file: Some(format!("{prefix}{config}")),
                document: 0,
                line: 1,
                column: 1,
                path: String::new(),
            }),
        );
    }
    let files: Vec<(PathBuf, String)> = resolution
        .files
        .into_iter()
        .map(|f| (f.file, format!("{prefix}{}", f.rel)))
        .collect();
    for (file, rel_file) in files {
        let Ok(text) = fs.read_to_string(&file) else {
            continue;
        };
        let load = LoadOptions {
            schema: yaml::Schema::Kustomize,
            ..LoadOptions::default()
        };
        let (docs, _) = yaml::parse_documents(&text, &load);
        let lines = LineIndex::new(&text);
        for doc in docs {
            let Some(node) = doc.root else { continue };
            let value = node.to_json();
            if value.get("kind").and_then(Value::as_str).is_none() {
                continue;
            }
            report.resources += 1;
            if is_disabled(&value) {
                continue;
            }
            let ctx = DocCtx {
                file: &rel_file,
                text: &text,
                lines: &lines,
                document: doc.index,
            };
            let mut found = Vec::new();
            let mut placeholders = 0;
            scan(
                &node,
                &ctx,
                &vars,
                strict,
                runs,
                &mut found,
                &mut placeholders,
            );
            report.placeholders += placeholders;
            if !runs {
                // No variables at all: nothing is substituted.
                out.extend(
                    found
                        .into_iter()
                        .filter(|d| d.code == "postbuild.defaults_not_applied")
                        .map(|mut d| {
                            d.message = format!("{} ({ks_label})", d.message);
                            d
                        }),
                );
                continue;
            }
            let (errors, others): (Vec<_>, Vec<_>) = found
                .into_iter()
                .partition(|d| d.severity == Severity::Error);
            out.extend(
                others
                    .into_iter()
                    .filter(|d| d.code != "postbuild.defaults_not_applied"),
            );
            if !complete || !names_ok {
                // Unknown variables: only parse errors fail whatever they are; an
                // undefined variable fails unless an unknown source defines it.
                let unknown: Vec<String> = vars
                    .unknown_sources
                    .iter()
                    .filter_map(|r| r.kind.map(|k| format!("{k}/{}", r.name)))
                    .collect();
                for d in errors {
                    if d.code == "subst.undefined" && names_ok {
                        let mut w = d.clone();
                        w.code = "postbuild.undefined_unless_external".into();
                        w.severity = Severity::Warning;
                        w.message = format!(
                            "{} unless {} defines it (not in the repository; substituted by {ks_label})",
                            d.message,
                            unknown.join(" or ")
                        );
                        out.push(w);
                    } else if d.code != "subst.undefined" {
                        out.push(with_ks(d, &ks_label));
                    }
                }
                continue;
            }
            // The truth: the real pipeline on the re-emitted resource.
            let truth = crate::yaml::emit::json_to_yaml(&value)
                .map_err(|e| Error::Emit(e.to_string()))
                .and_then(|emitted| substitute_text(&emitted, &vars, strict));
            match truth {
                Ok(_) => {}
                Err(e) => {
                    let same_kind: Vec<Diagnostic> = errors
                        .iter()
                        .filter(|d| {
                            d.code == e.code() || is_parse_code(&d.code) && is_parse_code(e.code())
                        })
                        .cloned()
                        .collect();
                    if same_kind.is_empty() {
                        let loc = Location {
                            file: Some(rel_file.clone()),
                            document: doc.index,
                            line: node.pos.line,
                            column: node.pos.column,
                            path: String::new(),
                        };
                        out.push(
                            Diagnostic::error(
                                e.code(),
                                format!("{} ({ks_label})", e.controller_message(&value)),
                            )
                            .at(loc)
                            .with_hint(hint_for(e.code())),
                        );
                    } else {
                        out.extend(same_kind.into_iter().map(|d| with_ks(d, &ks_label)));
                    }
                }
            }
        }
    }
}

fn with_ks(mut d: Diagnostic, ks_label: &str) -> Diagnostic {
    d.message = format!("{} (substituted by {ks_label})", d.message);
    d
}

fn is_parse_code(code: &str) -> bool {
    code.starts_with("subst.") && code != "subst.undefined"
}

fn hint_for(code: &str) -> &'static str {
    match code {
        "subst.undefined" => UNDEFINED_HINT,
        "postbuild.yaml" => "a substituted value changes the YAML structure (`: `, `#`, a leading `{` or `[`); quote it in the variable, e.g. with the `${q}${var}${q}` trick or `!!str`",
        _ => "escape literal `${` as `$${` or add the label kustomize.toolkit.fluxcd.io/substitute: disabled to this object",
    }
}

const UNDEFINED_HINT: &str = "define the variable (spec.postBuild.substitute or a substituteFrom ConfigMap/Secret), give it a default (`${name:=value}`), write `$${name}` if Flux should leave it as is, or add the label or annotation kustomize.toolkit.fluxcd.io/substitute: disabled to this object";

fn ks_path(m: &manifest::Manifest) -> Option<String> {
    let p = m
        .value
        .get("spec")
        .and_then(|s| s.get("path"))
        .and_then(Value::as_str)
        .unwrap_or("./");
    Some(p.to_string())
}

fn ks_path_text(p: Option<String>) -> String {
    p.unwrap_or_else(|| "./".into())
}

/// Byte offsets of line starts, for turning a byte offset into line:column.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }
    /// Byte offset of a 1-based line and column (in characters).
    fn offset(&self, text: &str, pos: Pos) -> usize {
        let Some(&start) = self.starts.get(pos.line.saturating_sub(1) as usize) else {
            return text.len();
        };
        text[start..]
            .char_indices()
            .nth(pos.column.saturating_sub(1) as usize)
            .map_or(text.len(), |(i, _)| start + i)
    }
    fn pos(&self, text: &str, offset: usize) -> Pos {
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = text[start..offset.min(text.len())].chars().count() + 1;
        Pos {
            line: line as u32,
            column: column as u32,
        }
    }
}

struct DocCtx<'a> {
    file: &'a str,
    text: &'a str,
    lines: &'a LineIndex,
    document: usize,
}

impl DocCtx<'_> {
    /// The position of `needle` at or after `from` (the scalar's start), falling
    /// back to the scalar's start when the text is not written verbatim (escapes,
    /// folding).
    fn find(&self, from: Pos, needle: &str, path: &str) -> Location {
        let start = self.lines.offset(self.text, from);
        let window = &self.text[start..];
        let pos = match window.find(needle) {
            Some(i) if i < 1 << 16 => self.lines.pos(self.text, start + i),
            _ => from,
        };
        Location {
            file: Some(self.file.to_string()),
            document: self.document,
            line: pos.line,
            column: pos.column,
            path: path.to_string(),
        }
    }
}

/// Walks every string (keys included) of a document.
fn scan(
    root: &Node,
    ctx: &DocCtx<'_>,
    vars: &Vars,
    strict: bool,
    runs: bool,
    out: &mut Vec<Diagnostic>,
    count: &mut usize,
) {
    let mut stack: Vec<(&Node, String)> = vec![(root, String::new())];
    while let Some((node, path)) = stack.pop() {
        match &node.value {
            NodeValue::String(s) => {
                check_string(s, node.pos, &path, ctx, vars, strict, runs, out, count)
            }
            NodeValue::Seq(items) => {
                for (i, item) in items.iter().enumerate().rev() {
                    stack.push((item, format!("{path}[{i}]")));
                }
            }
            NodeValue::Map(entries) => {
                for e in entries.iter().rev() {
                    let child = if path.is_empty() {
                        e.key.clone()
                    } else {
                        format!("{path}.{}", e.key)
                    };
                    stack.push((&e.value, child.clone()));
                    if e.key.contains('$') {
                        check_string(
                            &e.key, e.key_pos, &child, ctx, vars, strict, runs, out, count,
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_string(
    s: &str,
    at: Pos,
    path: &str,
    ctx: &DocCtx<'_>,
    vars: &Vars,
    strict: bool,
    runs: bool,
    out: &mut Vec<Diagnostic>,
    count: &mut usize,
) {
    if !s.contains('$') {
        return;
    }
    let template = match subst::parse(s) {
        Ok(t) => t,
        Err(e) => {
            let p = e.position();
            // The text from the start of the bad expression, to find it in the file.
            let from = s[..p.offset.min(s.len())].rfind("${").unwrap_or(0);
            let needle: String = s[from..].chars().take(24).collect();
            let mut loc = ctx.find(at, &needle, path);
            if needle.is_empty() {
                loc = ctx.find(at, "", path);
            }
            out.push(
                Diagnostic::error(e.code(), e.upstream_message())
                    .at(loc)
                    .with_hint(hint_for(e.code())),
            );
            return;
        }
    };
    let list = template.placeholders();
    *count += list.len();
    for p in &list {
        let expr = &s[p.span.clone()];
        let defined = vars.map.contains_key(&p.name);
        if !runs {
            if p.operator == Operator::Default && p.depth == 0 {
                out.push(
                    Diagnostic::warning(
                        "postbuild.defaults_not_applied",
                        format!(
                            "{expr} stays as written: there are no variables, so substitution does not run (substituteStrategy WithVariables)"
                        ),
                    )
                    .at(ctx.find(at, expr, path))
                    .with_hint("set spec.postBuild.substituteStrategy: Always, or define at least one variable"),
                );
            }
            continue;
        }
        if strict && !defined && p.operator != Operator::Default {
            let e = subst::Error::Undefined {
                name: p.name.clone(),
                at: subst::Position::locate(s, p.span.start),
            };
            out.push(
                Diagnostic::error(e.code(), e.upstream_message())
                    .at(ctx.find(at, expr, path))
                    .with_hint(UNDEFINED_HINT),
            );
        }
    }
    if runs {
        for (i, name) in bare_variables(s) {
            let needle = format!("${name}");
            let _ = i;
            out.push(
                Diagnostic::new(
                    "postbuild.bare_variable",
                    Severity::Info,
                    format!("${name} is not substituted: Flux replaces only ${{{name}}}"),
                )
                .at(ctx.find(at, &needle, path))
                .with_hint(format!("write ${{{name}}} if Flux should substitute it; leave it as is for shell or application syntax")),
            );
        }
    }
}

/// `$name` (no brace) occurrences outside `$$` pairs and `${…}`: byte offset and name.
fn bare_variables(s: &str) -> Vec<(usize, String)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'$' if depth == 0 && b.get(i + 1) == Some(&b'$') => i += 2,
            b'$' if b.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 2;
            }
            b'}' if depth > 0 => {
                depth -= 1;
                i += 1;
            }
            b'$' if depth == 0
                && b.get(i + 1)
                    .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') =>
            {
                let end = b[i + 1..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .map_or(b.len(), |n| i + 1 + n);
                out.push((i, s[i + 1..end].to_string()));
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_variables_skip_escapes_and_braces() {
        let found: Vec<String> = bare_variables("echo $HOME $$USER ${x} ${y:=$z} $_a1-b")
            .into_iter()
            .map(|(_, n)| n)
            .collect();
        assert_eq!(found, vec!["HOME", "_a1"]);
    }

    #[test]
    fn line_index_round_trips() {
        let text = "ab\ncé${x}\n";
        let idx = LineIndex::new(text);
        let off = idx.offset(text, Pos { line: 2, column: 3 });
        assert_eq!(&text[off..off + 4], "${x}");
        assert_eq!(idx.pos(text, off), Pos { line: 2, column: 3 });
    }
}

//! Loading manifests: YAML text or a file tree → located, validated, typed objects.
//!
//! Every Kubernetes object (a document with `apiVersion` and `kind`) is kept,
//! Flux or not: ConfigMaps and Secrets are needed by substitution and values
//! composition. Flux objects at their served version are validated and typed;
//! objects at a removed version get `api.removed_version` with the current one.
//! YAML documents that are not Kubernetes objects (Helm values files, CI
//! configuration) are counted and otherwise left alone.
//!
//! ```
//! use fluxcd_core::manifest::load_str;
//!
//! let text = "apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata:\n  name: podinfo\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: vars\ndata:\n  a: b\n";
//! let set = load_str(text, Some("apps.yaml"));
//! assert_eq!(set.objects.len(), 2);
//! assert_eq!(set.objects[1].kind(), "ConfigMap");
//! let d = &set.diagnostics[0];
//! assert_eq!(d.code, "api.removed_version");
//! assert_eq!((d.location.line, d.location.column), (1, 13));
//! assert!(d.message.contains("helm.toolkit.fluxcd.io/v2"));
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::Value;

use crate::api::FluxObject;
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::migrate::{self, VersionStatus};
use crate::validate;
use crate::yaml::{self, LoadOptions, Node, NodeValue, Pos};

/// What a document is in the fleet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// A whole object.
    Object,
    /// A kustomize patch (referenced from a `kustomization.yaml`): a partial object.
    Patch,
}

/// A kustomize configuration file (`kustomization.yaml`), kept for later stages.
#[derive(Debug, Clone)]
pub struct KustomizeConfig {
    /// Where it is.
    pub location: Location,
    /// Its content.
    pub value: Value,
    /// The document tree with positions, for locating its fields.
    pub node: Node,
}

/// One Kubernetes object read from a YAML document.
#[derive(Clone)]
pub struct Manifest {
    /// Whole object or patch.
    pub role: Role,
    /// Where the document starts.
    pub location: Location,
    /// The whole document as JSON, exactly as written (nothing dropped).
    pub value: Value,
    /// The document tree with positions, for locating fields.
    pub node: Node,
    /// The typed object when this is a valid Flux object of a served kind.
    pub typed: Option<FluxObject>,
}

impl Manifest {
    /// `apiVersion` as written.
    pub fn api_version(&self) -> &str {
        self.value
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
    /// `kind` as written.
    pub fn kind(&self) -> &str {
        self.value.get("kind").and_then(Value::as_str).unwrap_or("")
    }
    /// `metadata.name`, or `""`.
    pub fn name(&self) -> &str {
        self.value
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
    /// `metadata.namespace` as written.
    pub fn namespace(&self) -> Option<&str> {
        self.value
            .pointer("/metadata/namespace")
            .and_then(Value::as_str)
    }
    /// The API group (`""` for the core group).
    pub fn group(&self) -> &str {
        self.api_version().rsplit_once('/').map_or("", |(g, _)| g)
    }
    /// True for a Secret, whose values are never printed.
    pub fn is_secret(&self) -> bool {
        self.kind() == "Secret" && self.group().is_empty()
    }
    /// Position of a field given by dotted path, or of the document.
    pub fn locate(&self, path: &str) -> Location {
        let pos = self.node.locate(path).unwrap_or(self.node.pos);
        Location {
            line: pos.line,
            column: pos.column,
            path: path.to_string(),
            ..self.location.clone()
        }
    }
    /// The summary printed by `plan` and the bindings.
    pub fn summary(&self) -> ObjectSummary {
        ObjectSummary {
            api_version: self.api_version().to_string(),
            kind: self.kind().to_string(),
            namespace: self.namespace().map(String::from),
            name: self.name().to_string(),
            file: self.location.file.clone(),
            document: self.location.document,
            line: self.location.line,
            column: self.location.column,
            flux: self.typed.is_some(),
            patch: self.role == Role::Patch,
        }
    }
}

/// Redacts what must never be printed: a Secret's `data` and `stringData`.
impl fmt::Debug for Manifest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.value.clone();
        if self.is_secret() {
            if let Some(obj) = shown.as_object_mut() {
                for key in ["data", "stringData"] {
                    if let Some(Value::Object(m)) = obj.get_mut(key) {
                        for v in m.values_mut() {
                            *v = Value::String("<redacted>".into());
                        }
                    }
                }
            }
        }
        f.debug_struct("Manifest")
            .field("location", &self.location)
            .field("value", &shown)
            .field("typed", &self.typed.as_ref().map(|t| t.kind()))
            .finish()
    }
}

/// What `plan --output json` prints for each object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ObjectSummary {
    /// apiVersion.
    pub api_version: String,
    /// kind.
    pub kind: String,
    /// metadata.namespace as written.
    pub namespace: Option<String>,
    /// metadata.name.
    pub name: String,
    /// File it came from.
    pub file: Option<String>,
    /// Document index in the file.
    pub document: usize,
    /// Line where the object's mapping starts.
    pub line: u32,
    /// Column where the object's mapping starts.
    pub column: u32,
    /// True for a typed Flux object.
    pub flux: bool,
    /// True for a kustomize patch (a partial object, not applied by itself).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub patch: bool,
}

/// Counts of what was loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Stats {
    /// YAML files read.
    pub files: usize,
    /// Bytes read.
    pub bytes: usize,
    /// YAML documents (empty ones included).
    pub documents: usize,
    /// Kubernetes objects kept.
    pub objects: usize,
    /// Typed Flux objects.
    pub flux_objects: usize,
    /// Documents that are not Kubernetes objects (values files, CI config, ...).
    pub other_documents: usize,
    /// Kustomize patch documents.
    pub patches: usize,
    /// `kustomization.yaml` files.
    pub kustomize_configs: usize,
}

/// The result of loading: objects, diagnostics and counts.
#[derive(Debug, Clone, Default)]
pub struct ManifestSet {
    /// Every Kubernetes object, in file then document order.
    pub objects: Vec<Manifest>,
    /// Every finding, in file then document order.
    pub diagnostics: Vec<Diagnostic>,
    /// The `kustomization.yaml` files found.
    pub kustomize_configs: Vec<KustomizeConfig>,
    /// Counts.
    pub stats: Stats,
}

impl ManifestSet {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The typed Flux objects with their manifests.
    pub fn flux_objects(&self) -> impl Iterator<Item = (&Manifest, &FluxObject)> {
        self.objects
            .iter()
            .filter_map(|m| m.typed.as_ref().map(|t| (m, t)))
    }

    fn extend(&mut self, other: ManifestSet) {
        self.objects.extend(other.objects);
        self.diagnostics.extend(other.diagnostics);
        self.kustomize_configs.extend(other.kustomize_configs);
        let (a, b) = (&mut self.stats, other.stats);
        a.patches += b.patches;
        a.kustomize_configs += b.kustomize_configs;
        a.files += b.files;
        a.bytes += b.bytes;
        a.documents += b.documents;
        a.objects += b.objects;
        a.flux_objects += b.flux_objects;
        a.other_documents += b.other_documents;
    }
}

/// Loads manifests from YAML text; `file` names it in locations.
pub fn load_str(text: &str, file: Option<&str>) -> ManifestSet {
    load_bytes(text.as_bytes(), file, &LoadOptions::default())
}

/// Loads manifests from raw bytes (checked for size and UTF-8 first).
pub fn load_bytes(bytes: &[u8], file: Option<&str>, opts: &LoadOptions) -> ManifestSet {
    let parsed = yaml::parse_bytes(bytes, opts);
    let kustomize = file.is_some_and(is_kustomize_file);
    process(parsed, bytes.len(), file, Role::Object, kustomize)
}

/// True for the file names kustomize reads as its configuration.
pub fn is_kustomize_file(path: &str) -> bool {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    matches!(
        name,
        "kustomization.yaml" | "kustomization.yml" | "Kustomization"
    )
}

fn process(
    (docs, diags): (Vec<yaml::Document>, Vec<Diagnostic>),
    len: usize,
    file: Option<&str>,
    role: Role,
    kustomize: bool,
) -> ManifestSet {
    let bytes_len = len;
    let mut set = ManifestSet::default();
    set.stats.files = 1;
    set.stats.bytes = bytes_len;
    set.stats.documents = docs.len();
    let file_owned = file.map(String::from);
    for mut d in diags {
        d.location.file = file_owned.clone();
        set.diagnostics.push(d);
    }
    for doc in docs {
        let Some(root) = doc.root else { continue };
        let base = Location {
            file: file_owned.clone(),
            document: doc.index,
            line: root.pos.line,
            column: root.pos.column,
            path: String::new(),
        };
        if kustomize {
            set.stats.kustomize_configs += 1;
            set.kustomize_configs.push(KustomizeConfig {
                location: base,
                value: root.to_json(),
                node: root,
            });
            continue;
        }
        load_document(root, base, role, &mut set);
    }
    set
}

/// The files a kustomization's patches point at, relative to the same root.
fn patch_files(config: &Value, config_file: &str) -> Vec<String> {
    let dir = config_file.rsplit_once('/').map_or("", |(d, _)| d);
    let mut out = Vec::new();
    let mut add = |p: &str| {
        if !p.contains('\n')
            && (p.ends_with(".yaml") || p.ends_with(".yml") || p.ends_with(".json"))
        {
            out.push(normalize(&if dir.is_empty() {
                p.to_string()
            } else {
                format!("{dir}/{p}")
            }));
        }
    };
    for key in ["patches", "patchesJson6902"] {
        for item in config
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(p) = item.get("path").and_then(Value::as_str) {
                add(p);
            }
        }
    }
    for item in config
        .get("patchesStrategicMerge")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(p) = item.as_str() {
            add(p);
        }
    }
    out
}

/// Lexically resolves `.` and `..` in a `/`-separated relative path.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

fn at(base: &Location, pos: Pos, path: &str) -> Location {
    Location {
        line: pos.line,
        column: pos.column,
        path: path.to_string(),
        ..base.clone()
    }
}

fn load_document(root: Node, base: Location, role: Role, set: &mut ManifestSet) {
    let NodeValue::Map(entries) = &root.value else {
        if role == Role::Patch {
            // A JSON 6902 patch is a list of operations.
            set.stats.patches += 1;
            return;
        }
        // Fleets hold YAML that is not meant for the cluster (CI config, label
        // lists): a warning here; a later stage that applies the file errs.
        let article = if root.type_name() == "array" {
            "an"
        } else {
            "a"
        };
        set.diagnostics.push(
            Diagnostic::warning(
                "manifest.not_an_object",
                format!(
                    "document is {article} {}, not a Kubernetes object; Flux fails on it if this file is applied",
                    root.type_name()
                ),
            )
            .at(base),
        );
        set.stats.other_documents += 1;
        return;
    };
    let field = |k: &str| entries.iter().find(|e| e.key == k);
    let api_version = field("apiVersion");
    let kind = field("kind");
    let (api_version, kind) = match (api_version, kind) {
        (None, None) => {
            set.stats.other_documents += 1;
            return;
        }
        (Some(a), Some(k)) => match (a.value.as_str(), k.value.as_str()) {
            (Some(av), Some(kv)) if !av.is_empty() && !kv.is_empty() => (a, k),
            _ => {
                let bad = if a.value.as_str().is_none_or(str::is_empty) {
                    a
                } else {
                    k
                };
                set.diagnostics.push(
                    Diagnostic::error(
                        "manifest.bad_type_meta",
                        format!("`{}` must be a non-empty string", bad.key),
                    )
                    .at(at(&base, bad.value.pos, &bad.key)),
                );
                return;
            }
        },
        (Some(present), None) | (None, Some(present)) => {
            let missing = if present.key == "kind" {
                "apiVersion"
            } else {
                "kind"
            };
            set.diagnostics.push(
                Diagnostic::error(
                    "manifest.bad_type_meta",
                    format!("document has `{}` but no `{missing}`", present.key),
                )
                .at(at(&base, present.key_pos, missing)),
            );
            return;
        }
    };
    let av = api_version.value.as_str().unwrap_or_default().to_string();
    let kv = kind.value.as_str().unwrap_or_default().to_string();
    let av_loc = at(&base, api_version.value.pos, "apiVersion");
    let kind_loc = at(&base, kind.value.pos, "kind");
    let value = root.to_json();
    let mut manifest = Manifest {
        role,
        location: base.clone(),
        value,
        node: root,
        typed: None,
    };
    if role == Role::Patch {
        set.stats.patches += 1;
    } else {
        set.stats.objects += 1;
    }
    match migrate::version_status(&av, &kv) {
        VersionStatus::Served => {
            let partial = role == Role::Patch;
            if !partial {
                check_metadata(&manifest, set);
            }
            let findings = validate::validate_document(
                &kv,
                &manifest.node,
                Some(&manifest.value),
                validate::Options { partial },
            );
            let schema_errors = partial || findings.iter().any(|f| f.severity == Severity::Error);
            for f in findings {
                let mut d =
                    Diagnostic::new(f.code, f.severity, f.message).at(at(&base, f.pos, &f.path));
                d.hint = f.hint;
                set.diagnostics.push(d);
            }
            if !schema_errors {
                match FluxObject::from_value(&manifest.value) {
                    Ok(typed) => {
                        if typed.is_some() {
                            set.stats.flux_objects += 1;
                        }
                        manifest.typed = typed;
                    }
                    Err(e) => set
                        .diagnostics
                        .push(Diagnostic::error(e.code(), e.to_string()).at(base.clone())),
                }
            }
        }
        VersionStatus::Removed {
            current,
            removed_in,
        } => {
            set.diagnostics.push(
                Diagnostic::error(
                    "api.removed_version",
                    format!("{kv} {av} is no longer served (removed in Flux {removed_in}); use {current}"),
                )
                .at(av_loc)
                .with_hint("run `fluxcd-core migrate --write` on this file"),
            );
        }
        VersionStatus::UnknownVersion { current } => {
            set.diagnostics.push(
                Diagnostic::error(
                    "api.unknown_version",
                    format!("{kv} is not served at {av}; the served version is {current}"),
                )
                .at(av_loc),
            );
        }
        VersionStatus::NotFlux => {
            let group = av.rsplit_once('/').map_or("", |(g, _)| g);
            if migrate::is_flux_group(group) {
                let kinds = migrate::served_kinds()
                    .iter()
                    .filter(|k| k.group == group)
                    .map(|k| k.kind);
                let hint =
                    validate::did_you_mean(&kv, kinds).map(|s| format!("did you mean `{s}`?"));
                let mut d =
                    Diagnostic::error("api.unknown_kind", format!("{group} has no kind `{kv}`"))
                        .at(kind_loc);
                d.hint = hint;
                set.diagnostics.push(d);
            }
        }
    }
    set.objects.push(manifest);
}

fn check_metadata(m: &Manifest, set: &mut ManifestSet) {
    let name = m.value.pointer("/metadata/name");
    let generate = m.value.pointer("/metadata/generateName");
    match name {
        None | Some(Value::Null) if generate.is_none() => set.diagnostics.push(
            Diagnostic::error("manifest.missing_name", "`metadata.name` is required")
                .at(m.locate("metadata.name")),
        ),
        Some(Value::String(n)) if !n.contains("${") && !is_dns_subdomain(n) => {
            set.diagnostics.push(
                Diagnostic::error(
                    "manifest.invalid_name",
                    format!("metadata.name {n:?} must be a lowercase RFC 1123 subdomain (a-z, 0-9, '-', '.'; at most 253 characters)"),
                )
                .at(m.locate("metadata.name")),
            )
        }
        _ => {}
    }
}

fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        })
}

/// Lists the YAML files under `path` (or `path` itself), sorted, skipping `.git`.
pub fn yaml_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if path.is_file() {
        out.push(path.to_path_buf());
        return Ok(out);
    }
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let ft = entry.file_type()?;
            let p = entry.path();
            if ft.is_dir() {
                if entry.file_name() != ".git" {
                    stack.push(p);
                }
            } else if ft.is_file() && p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Loads every YAML file under `root`; file names in locations are relative to `root`.
///
/// Files are parsed on all available cores; the result is in sorted file order.
/// Documents referenced as patches by a `kustomization.yaml` are loaded as
/// partial objects ([`Role::Patch`]). An unreadable file gives an `io.read`
/// diagnostic and loading goes on.
pub fn load_path(root: &Path, opts: &LoadOptions) -> std::io::Result<ManifestSet> {
    let files = yaml_files(root)?;
    let base = if root.is_file() {
        root.parent().unwrap_or(Path::new(""))
    } else {
        root
    };
    Ok(load_files(base, &files, opts))
}

/// Loads the given files (found by the caller under `base`); file names in
/// locations are relative to `base`. See [`load_path`].
pub fn load_files(base: &Path, files: &[PathBuf], opts: &LoadOptions) -> ManifestSet {
    load_files_in(&crate::plan::fs::Disk, base, files, opts)
}

/// [`load_files`] reading from the file system `fs`.
pub fn load_files_in(
    fs: &dyn crate::plan::fs::FileSystem,
    base: &Path,
    files: &[PathBuf],
    opts: &LoadOptions,
) -> ManifestSet {
    let rels: Vec<String> = files
        .iter()
        .map(|p| {
            p.strip_prefix(base)
                .unwrap_or(p)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    // Pass 1 (parallel): read and parse.
    let parsed = parallel_map(files, |i, p| read_and_parse(fs, p, &rels[i], opts));
    // Which files are patches, according to the kustomization files.
    let mut patches = std::collections::HashSet::new();
    for (i, r) in parsed.iter().enumerate() {
        if let Ok((docs, _)) = &r.1 {
            if is_kustomize_file(&rels[i]) {
                for d in docs {
                    if let Some(root) = &d.root {
                        patches.extend(patch_files(&root.to_json(), &rels[i]));
                    }
                }
            }
        }
    }
    // Pass 2 (parallel): validate and type.
    let slots: Vec<std::sync::Mutex<Option<_>>> = parsed
        .into_iter()
        .map(|p| std::sync::Mutex::new(Some(p)))
        .collect();
    let parts = parallel_map(&rels, |i, rel| {
        let taken = slots[i].lock().unwrap_or_else(|e| e.into_inner()).take();
        match taken {
            Some((len, Ok(p))) => {
                let role = if patches.contains(rel) {
                    Role::Patch
                } else {
                    Role::Object
                };
                process(p, len, Some(rel), role, is_kustomize_file(rel))
            }
            Some((_, Err(d))) => {
                let mut s = ManifestSet::default();
                s.stats.files = 1;
                s.diagnostics.push(d);
                s
            }
            None => ManifestSet::default(),
        }
    });
    let mut set = ManifestSet::default();
    for p in parts {
        set.extend(p);
    }
    set
}

type Parsed = (Vec<yaml::Document>, Vec<Diagnostic>);

fn read_and_parse(
    fs: &dyn crate::plan::fs::FileSystem,
    p: &Path,
    rel: &str,
    opts: &LoadOptions,
) -> (usize, Result<Parsed, Diagnostic>) {
    let loc = |line| Location {
        file: Some(rel.to_string()),
        line,
        column: line,
        ..Location::default()
    };
    match fs.len(p) {
        Ok(len) if len > opts.max_bytes as u64 => (
            len as usize,
            Err(Diagnostic::error(
                "yaml.file_too_large",
                format!(
                    "file is {len} bytes, more than the limit of {} bytes; not parsed",
                    opts.max_bytes
                ),
            )
            .at(loc(1))),
        ),
        _ => match fs.read(p) {
            Ok(bytes) => (bytes.len(), Ok(yaml::parse_bytes(&bytes, opts))),
            Err(e) => (
                0,
                Err(Diagnostic::error("io.read", format!("cannot read file: {e}")).at(loc(0))),
            ),
        },
    }
}

/// Maps `f` over `items` on all available cores, keeping the order.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        if i >= items.len() {
                            break;
                        }
                        mine.push((i, f(i, &items[i])));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    results.sort_by_key(|r| r.0);
    results.into_iter().map(|r| r.1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_values_never_in_debug() {
        let set = load_str(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: c3VwZXJzZWNyZXQ=\nstringData:\n  token: hunter2\n",
            None,
        );
        let dbg = format!("{:?}", set.objects[0]);
        assert!(!dbg.contains("c3VwZXJzZWNyZXQ="), "{dbg}");
        assert!(!dbg.contains("hunter2"), "{dbg}");
        assert!(dbg.contains("<redacted>"));
    }

    #[test]
    fn secret_with_yaml_error_does_not_leak() {
        let set = load_str(
            "apiVersion: v1\nkind: Secret\nstringData:\n  token: \"hunter2\n  x: [\n",
            None,
        );
        for d in &set.diagnostics {
            assert!(!d.message.contains("hunter2"), "{d}");
        }
        assert!(!set.diagnostics.is_empty());
    }

    #[test]
    fn bad_documents_do_not_stop_the_rest() {
        let text = "- a\n- b\n---\njust a scalar\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\nkind: Kustomization\n---\nfoo: [unclosed\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok2\n";
        let set = load_str(text, Some("f.yaml"));
        let names: Vec<_> = set.objects.iter().map(|o| o.name()).collect();
        assert_eq!(names, ["ok", "ok2"]);
        let codes: Vec<_> = set
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.location.document))
            .collect();
        assert_eq!(
            codes,
            [
                ("yaml.syntax", 4),
                ("manifest.not_an_object", 0),
                ("manifest.not_an_object", 1),
                ("manifest.bad_type_meta", 3),
            ]
        );
    }

    #[test]
    fn unknown_kind_and_version() {
        let set = load_str(
            "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomisation\nmetadata:\n  name: a\n---\napiVersion: notification.toolkit.fluxcd.io/v1\nkind: Alert\nmetadata:\n  name: a\n",
            None,
        );
        let d: Vec<_> = set
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.hint.clone()))
            .collect();
        assert_eq!(
            d[0],
            (
                "api.unknown_kind",
                Some("did you mean `Kustomization`?".into())
            )
        );
        assert_eq!(d[1].0, "api.unknown_version");
    }

    #[test]
    fn patch_paths_resolve_relative_to_the_kustomization() {
        let cfg = serde_json::json!({"patches": [{"path": "../base/patch.yaml"}, {"patch": "inline"}],
            "patchesStrategicMerge": ["./sm.yaml", "apiVersion: v1\nkind: X\n"],
            "patchesJson6902": [{"path": "ops.yaml"}]});
        assert_eq!(
            patch_files(&cfg, "apps/prod/kustomization.yaml"),
            [
                "apps/base/patch.yaml",
                "apps/prod/ops.yaml",
                "apps/prod/sm.yaml"
            ]
        );
    }

    #[test]
    fn invalid_names() {
        let set = load_str(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n",
            None,
        );
        assert!(
            set.diagnostics.is_empty(),
            "non-Flux objects are not checked"
        );
        let set = load_str(
            "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: Bad_Name\nspec:\n  interval: 1m\n  url: https://x/y\n",
            None,
        );
        assert_eq!(set.diagnostics[0].code, "manifest.invalid_name");
        assert_eq!(set.diagnostics[0].location.line, 4);
    }
}

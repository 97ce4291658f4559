//! The whole-repository plan: what Flux will do with a fleet checkout, offline.
//!
//! [`plan`] loads every YAML file of the checkout once (and of each folder
//! mapped to a source with [`PlanOptions::sources`]), types every object, and
//! for every Flux Kustomization resolves its source and `spec.path` to the
//! objects it applies ([`resolve`]), runs the postBuild substitution on them,
//! then composes every HelmRelease's values and release names, orders the
//! Kustomizations and HelmReleases by `dependsOn`, and merges the diagnostics
//! of every engine (loader, schema, postBuild, values, release names,
//! dependencies, and the object rules of [`crate::lint`]), deduplicated and
//! sorted. The JSON form is documented by `docs/plan-schema.json`.
//!
//! ```
//! use fluxcd_core::plan::{plan, PlanOptions};
//!
//! let dir = std::env::temp_dir().join(format!("fluxcd-core-plan-doc-{}", std::process::id()));
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
//!     substitute: {env: prod}
//! ").unwrap();
//! std::fs::write(dir.join("apps/cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-${env}\n").unwrap();
//! let p = plan(&dir, &PlanOptions::default()).unwrap();
//! let ks = &p.kustomizations[0];
//! assert_eq!(ks.id, "flux-system/apps");
//! assert_eq!(ks.objects[0].name, "web-prod");
//! assert!(ks.objects[0].substituted);
//! assert_eq!(p.order.kustomizations.as_deref(), Some(&["flux-system/apps".to_string()][..]));
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

pub mod discover;
pub mod fs;
pub mod resolve;
pub mod text;
pub mod tree;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::api::FluxObject;
use crate::deps::{self, Kind};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::manifest::{self, Manifest, ManifestSet, ObjectSummary, Role, Stats};
use crate::postbuild::{self, lint::RepoStore, Outcome, Pipeline, RefKind};
use crate::release;
use crate::values::{self, explain};
use crate::yaml::LoadOptions;
use fs::{Disk, FileSystem};

/// The lint rules, profiles, configuration and SARIF output.
pub use crate::lint;

/// Version of the JSON report format (`docs/plan-schema.json`).
pub const FORMAT_VERSION: u32 = 2;

/// What [`plan`] needs besides the checkout.
#[derive(Debug, Clone, Default)]
pub struct PlanOptions {
    /// `--source NAME=DIR`: a Kustomization whose `sourceRef` is the
    /// GitRepository `NAME` is built from `DIR` (other sources: the checkout).
    pub sources: Vec<(String, PathBuf)>,
    /// `--vars FILE`: variables of `substituteFrom` objects that are not in the
    /// repository, each set named by its file.
    pub var_files: Vec<(String, BTreeMap<String, String>)>,
    /// Flux version and strictness of substitution.
    pub subst: postbuild::Options,
    /// Lint profiles and disabled rules; `None`: `.fluxcd-core.yaml` of the
    /// checkout, or the defaults.
    pub lint: Option<lint::Config>,
    /// `--profile`: the lint profiles, instead of the configuration's.
    pub profiles: Option<lint::Profiles>,
}

/// A folder mapped to a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SourceMapping {
    /// The GitRepository's name.
    pub name: String,
    /// The folder, as given; file names of its objects start with it.
    pub path: String,
}

/// One object a Kustomization applies.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AppliedObject {
    /// Index in [`Plan::objects`].
    pub object: usize,
    /// apiVersion (after substitution).
    pub api_version: String,
    /// kind (after substitution).
    pub kind: String,
    /// The namespace it lands in: `spec.targetNamespace`, else a
    /// kustomization file's `namespace:`, else as written (after substitution).
    pub namespace: Option<String>,
    /// metadata.name (after substitution).
    pub name: String,
    /// File it comes from.
    pub file: Option<String>,
    /// Line where it starts.
    pub line: u32,
    /// True when postBuild substitution changed or ran on it.
    pub substituted: bool,
    /// The variables its `${…}` expressions use.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub variables: Vec<String>,
    /// The code of the postBuild failure Flux would report for it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub substitution_error: Option<String>,
}

/// One postBuild variable of a Kustomization (Secret values never shown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Variable {
    /// The name.
    pub name: String,
    /// Where it comes from (`spec.postBuild.substitute`, `ConfigMap ns/name key k`, ...).
    pub origin: String,
    /// The value; `null` for a Secret's.
    pub value: Option<String>,
}

/// What a Flux Kustomization applies.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct KustomizationPlan {
    /// `namespace/name`.
    pub id: String,
    /// Index in [`Plan::objects`].
    pub object: usize,
    /// File it is defined in.
    pub file: Option<String>,
    /// Line where it starts.
    pub line: u32,
    /// `Kind/namespace/name` of `spec.sourceRef`.
    pub source_ref: String,
    /// The folder its source is read from: `.` for the checkout, a mapped
    /// folder, or `null` when the source is not this checkout and not mapped.
    pub source_dir: Option<String>,
    /// `spec.path` (after substitution by a parent Kustomization).
    pub path: String,
    /// Whether `spec.path` exists in the source.
    pub path_found: bool,
    /// `dependsOn`, as `namespace/name`.
    pub depends_on: Vec<String>,
    /// The Kustomizations that apply this one.
    pub applied_by: Vec<String>,
    /// The objects it applies, in build order.
    pub objects: Vec<AppliedObject>,
    /// What the plan does not expand (patches, generators, remote bases...).
    pub not_applied: Vec<String>,
    /// Its postBuild variables (empty without postBuild).
    pub variables: Vec<Variable>,
}

/// The Helm release of a HelmRelease.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReleasePlan {
    /// The HelmRelease, `namespace/name`.
    pub helm_release: String,
    /// Index in [`Plan::objects`].
    pub object: usize,
    /// The name Helm sees (shortened past 53 bytes).
    pub release_name: Option<String>,
    /// Where the chart's objects go.
    pub release_namespace: Option<String>,
    /// Where Helm stores the release.
    pub storage_namespace: Option<String>,
    /// The generated HelmChart, `namespace/name` (`null` with `chartRef`).
    pub helm_chart: Option<String>,
    /// True when the release name was shortened.
    pub shortened: bool,
    /// Why no release could be composed (a diagnostic code).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
}

/// The values helm-controller passes to Helm for one HelmRelease.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ValuesPlan {
    /// The HelmRelease, `namespace/name`.
    pub helm_release: String,
    /// Index in [`Plan::objects`].
    pub object: usize,
    /// The composed values; leaves from Secrets are `<redacted>`.
    pub values: Value,
    /// Paths of the redacted leaves.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub redacted: Vec<String>,
    /// `valuesFrom` objects not in the repository (left out of the values).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub unresolved: Vec<String>,
    /// The code of the composition error, when helm-controller would fail.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub error: Option<String>,
}

/// Flux's dependency order (`dependency.Sort`) of each kind; `null` on a cycle.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    /// Kustomizations, `namespace/name`.
    pub kustomizations: Option<Vec<String>>,
    /// HelmReleases, `namespace/name`.
    pub helm_releases: Option<Vec<String>>,
}

/// Install waves of each kind: wave 0 depends on nothing, wave n waits for n-1.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Waves {
    /// Kustomizations.
    pub kustomizations: Vec<Vec<String>>,
    /// HelmReleases.
    pub helm_releases: Vec<Vec<String>>,
}

/// Counts of diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Errors.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
    /// Count by code.
    pub by_rule: BTreeMap<String, usize>,
}

/// The report of a plan, serialized as the CLI's `--output json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// Report format version.
    pub format_version: u32,
    /// Folders mapped to sources.
    pub sources: Vec<SourceMapping>,
    /// Counts of what was loaded.
    pub stats: Stats,
    /// Every Kubernetes object found (patches included, marked `patch: true`).
    pub objects: Vec<ObjectSummary>,
    /// Every Flux Kustomization with what it applies.
    pub kustomizations: Vec<KustomizationPlan>,
    /// Dependency order.
    pub order: Order,
    /// Install waves.
    pub waves: Waves,
    /// Every HelmRelease's Helm release.
    pub releases: Vec<ReleasePlan>,
    /// Every HelmRelease's composed values.
    pub values: Vec<ValuesPlan>,
    /// Every diagnostic, deduplicated, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts of the diagnostics.
    pub summary: Summary,
}

impl Plan {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Number of diagnostics of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    /// The JSON Schema of the report (`docs/plan-schema.json`).
    pub fn json_schema() -> Value {
        let schema = schemars::schema_for!(Plan);
        serde_json::to_value(schema).unwrap_or(Value::Null)
    }
}

/// Plans a fleet checkout (a folder or a single file) with default options.
pub fn plan_path(path: &Path) -> std::io::Result<Plan> {
    plan(path, &PlanOptions::default())
}

/// One loaded source: the checkout or a mapped folder.
struct Source {
    name: Option<String>,
    /// As given (for messages).
    dir: PathBuf,
    /// Prefix of its file names in locations.
    prefix: String,
}

/// Everything loaded, with indexes.
struct Loaded {
    set: ManifestSet,
    sources: Vec<Source>,
    /// Location file name → object indexes (whole objects only).
    by_file: HashMap<String, Vec<usize>>,
    /// Absolute kustomization file path → index in `set.kustomize_configs`.
    configs: HashMap<PathBuf, usize>,
    /// Location file name → index in `set.kustomize_configs`.
    configs_by_name: HashMap<String, usize>,
}

fn load(fs: &dyn FileSystem, root: &Path, opts: &PlanOptions) -> std::io::Result<Loaded> {
    if !fs.exists(root) {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file or directory",
        ));
    }
    let mut all = ManifestSet::default();
    let mut sources = Vec::new();
    let mut configs = HashMap::new();
    let load_opts = LoadOptions::default();
    let mut roots: Vec<(Option<String>, PathBuf, String)> =
        vec![(None, root.to_path_buf(), String::new())];
    for (name, dir) in &opts.sources {
        let mut prefix = dir.display().to_string().replace('\\', "/");
        if !prefix.ends_with('/') {
            prefix.push('/');
        }
        roots.push((Some(name.clone()), dir.clone(), prefix));
    }
    for (name, dir, prefix) in roots {
        let found = discover::discover_in(fs, &dir);
        let base = if fs.is_file(&dir) {
            dir.parent().unwrap_or(Path::new("")).to_path_buf()
        } else {
            dir.clone()
        };
        let mut set = manifest::load_files_in(fs, &base, &found.files, &load_opts);
        set.diagnostics.extend(found.diagnostics);
        let abs_base = fs.absolute(&base);
        let rename = |loc: &mut Location| {
            if !prefix.is_empty() {
                if let Some(f) = &loc.file {
                    loc.file = Some(format!("{prefix}{f}"));
                }
            }
        };
        for m in &mut set.objects {
            rename(&mut m.location);
        }
        for d in &mut set.diagnostics {
            rename(&mut d.location);
        }
        let offset = all.kustomize_configs.len();
        for (j, k) in set.kustomize_configs.iter_mut().enumerate() {
            if let Some(f) = &k.location.file {
                configs.insert(abs_base.join(f), offset + j);
            }
            rename(&mut k.location);
        }
        let s = &mut all.stats;
        let t = &set.stats;
        s.files += t.files;
        s.bytes += t.bytes;
        s.documents += t.documents;
        s.objects += t.objects;
        s.flux_objects += t.flux_objects;
        s.other_documents += t.other_documents;
        s.patches += t.patches;
        s.kustomize_configs += t.kustomize_configs;
        all.objects.extend(set.objects);
        all.diagnostics.extend(set.diagnostics);
        all.kustomize_configs.extend(set.kustomize_configs);
        sources.push(Source { name, dir, prefix });
    }
    let mut by_file: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, m) in all.objects.iter().enumerate() {
        if m.role == Role::Object {
            if let Some(f) = &m.location.file {
                by_file.entry(f.clone()).or_default().push(i);
            }
        }
    }
    let configs_by_name = all
        .kustomize_configs
        .iter()
        .enumerate()
        .filter_map(|(i, k)| k.location.file.clone().map(|f| (f, i)))
        .collect();
    Ok(Loaded {
        set: all,
        sources,
        by_file,
        configs,
        configs_by_name,
    })
}

/// The `namespace:` of the nearest kustomization file in the folder of
/// `file` or a parent folder (kustomize sets it when it builds that folder).
fn inherited_namespace(set: &ManifestSet, file: Option<&str>) -> Option<String> {
    let mut dir = file?.rsplit_once('/').map_or("", |(d, _)| d);
    loop {
        for k in &set.kustomize_configs {
            let kdir = k
                .location
                .file
                .as_deref()
                .map(|f| f.rsplit_once('/').map_or("", |(d, _)| d));
            if kdir == Some(dir) {
                if let Some(ns) = k.value.get("namespace").and_then(Value::as_str) {
                    return Some(ns.to_string());
                }
            }
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    }
}

fn id_of(namespace: Option<&str>, name: &str) -> String {
    format!("{}/{name}", namespace.unwrap_or(""))
}

fn is_ks(m: &Manifest) -> bool {
    m.role == Role::Object
        && m.kind() == "Kustomization"
        && m.group() == "kustomize.toolkit.fluxcd.io"
}

fn is_hr(m: &Manifest) -> bool {
    m.role == Role::Object && m.kind() == "HelmRelease" && m.group() == "helm.toolkit.fluxcd.io"
}

fn str_at<'a>(v: &'a Value, p: &str) -> Option<&'a str> {
    v.pointer(p).and_then(Value::as_str)
}

/// One copy operation of an ArtifactGenerator: files under `from` of the
/// source `alias` land under `to` in the artifact.
#[derive(Debug, Clone)]
struct CopyOp {
    /// The GitRepository the alias names.
    source: String,
    /// Folder in the source (`""` or ending with `/`).
    from: String,
    /// Folder in the artifact (`""` or ending with `/`).
    to: String,
}

/// The folder part of a copy pattern: up to the first glob character.
fn glob_dir(p: &str) -> String {
    let cut = p.find(['*', '?', '[', '{']).unwrap_or(p.len());
    let head = &p[..cut];
    let dir = if cut < p.len() {
        head.rsplit_once('/').map_or("", |(d, _)| d)
    } else {
        head.trim_end_matches('/')
    };
    let dir = dir.trim_start_matches("./").trim_matches('/');
    if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    }
}

/// ExternalArtifact name → copy operations, from the ArtifactGenerators.
fn artifact_maps(set: &ManifestSet) -> HashMap<String, Vec<CopyOp>> {
    let mut out: HashMap<String, Vec<CopyOp>> = HashMap::new();
    for m in &set.objects {
        if m.role != Role::Object || m.kind() != "ArtifactGenerator" {
            continue;
        }
        let aliases: HashMap<&str, &str> = m
            .value
            .pointer("/spec/sources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| Some((s.get("alias")?.as_str()?, s.get("name")?.as_str()?)))
            .collect();
        for a in m
            .value
            .pointer("/spec/artifacts")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(name) = a.get("name").and_then(Value::as_str) else {
                continue;
            };
            let ops = out.entry(name.to_string()).or_default();
            for c in a
                .get("copy")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let (Some(from), Some(to)) = (
                    c.get("from").and_then(Value::as_str),
                    c.get("to").and_then(Value::as_str),
                ) else {
                    continue;
                };
                let Some((alias, from_path)) = from
                    .strip_prefix('@')
                    .map(|f| f.split_once('/').unwrap_or((f, "")))
                else {
                    continue;
                };
                let to_path = to.strip_prefix("@artifact").unwrap_or(to);
                if let Some(source) = aliases.get(alias) {
                    ops.push(CopyOp {
                        source: (*source).to_string(),
                        from: glob_dir(from_path),
                        to: glob_dir(to_path),
                    });
                }
            }
        }
    }
    out
}

/// The result of resolving one Kustomization (for one effective value).
struct Built {
    /// Index in `Loaded::sources`; `None` when the source is not this
    /// checkout nor mapped.
    source_root: Option<usize>,
    path: String,
    path_found: bool,
    skipped: Vec<resolve::Skipped>,
    /// Applied objects: (object index, namespace from a kustomization file).
    objects: Vec<(usize, Option<String>)>,
}

struct Engine<'a> {
    fs: &'a dyn FileSystem,
    loaded: Loaded,
    store: RepoStore,
    /// Defined sources: (kind, name) → namespaces.
    defined_sources: HashMap<(String, String), Vec<Option<String>>>,
    artifacts: HashMap<String, Vec<CopyOp>>,
    cache: HashMap<(usize, String, Vec<String>), resolve::Resolution>,
}

impl Engine<'_> {
    fn mapped(&self, git_name: &str) -> Option<usize> {
        self.loaded
            .sources
            .iter()
            .position(|s| s.name.as_deref() == Some(git_name))
    }

    /// The source a Kustomization reads and its path inside it.
    fn locate(&self, ks: &Value, rel: &str) -> (Option<usize>, String) {
        let kind = str_at(ks, "/spec/sourceRef/kind").unwrap_or("");
        let name = str_at(ks, "/spec/sourceRef/name").unwrap_or("");
        match kind {
            "GitRepository" => (Some(self.mapped(name).unwrap_or(0)), rel.to_string()),
            "ExternalArtifact" => {
                let Some(ops) = self.artifacts.get(name) else {
                    return (Some(0), rel.to_string());
                };
                let with_slash = format!("{}/", rel.trim_end_matches('/'));
                let best = ops
                    .iter()
                    .filter(|op| {
                        with_slash.starts_with(op.to.as_str()) || rel.is_empty() && op.to.is_empty()
                    })
                    .max_by_key(|op| op.to.len());
                match best {
                    Some(op) => {
                        let rest = rel.get(op.to.len().min(rel.len())..).unwrap_or("");
                        (
                            Some(self.mapped(&op.source).unwrap_or(0)),
                            format!("{}{rest}", op.from)
                                .trim_end_matches('/')
                                .to_string(),
                        )
                    }
                    None => (None, rel.to_string()),
                }
            }
            _ => (Some(0), rel.to_string()),
        }
    }

    fn build(&mut self, ks: &Value) -> Built {
        let raw_path = str_at(ks, "/spec/path").unwrap_or("").to_string();
        let components: Vec<String> = ks
            .pointer("/spec/components")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(String::from)
            .collect();
        let trimmed = raw_path.trim_start_matches("./").trim_start_matches('/');
        let trimmed = if trimmed == "." { "" } else { trimmed };
        let (source_root, rel) = self.locate(ks, trimmed);
        let Some(si) = source_root else {
            return Built {
                source_root,
                path: raw_path,
                path_found: false,
                skipped: Vec::new(),
                objects: Vec::new(),
            };
        };
        let src_dir = if self.fs.is_file(&self.loaded.sources[si].dir) {
            self.loaded.sources[si]
                .dir
                .parent()
                .unwrap_or(Path::new(""))
                .to_path_buf()
        } else {
            self.loaded.sources[si].dir.clone()
        };
        let abs_src = self.fs.absolute(&src_dir);
        let dir = resolve::normalize(&abs_src.join(&rel));
        let path_found = dir.starts_with(&abs_src) && self.fs.exists(&dir);
        let key = (si, rel.clone(), components.clone());
        if !self.cache.contains_key(&key) {
            let configs = &self.loaded.configs;
            let set = &self.loaded.set;
            let fs = self.fs;
            let read = |p: &Path| -> Option<Value> {
                match configs.get(p) {
                    Some(&i) => set.kustomize_configs.get(i).map(|k| k.value.clone()),
                    None => resolve::read_config_file_in(fs, p),
                }
            };
            let r = if path_found {
                resolve::resolve_in(fs, &abs_src, &dir, &components, &read)
            } else {
                resolve::Resolution::default()
            };
            self.cache.insert(key.clone(), r);
        }
        let r = &self.cache[&key];
        let prefix = &self.loaded.sources[si].prefix;
        let mut objects = Vec::new();
        for f in &r.files {
            let name = format!("{prefix}{}", f.rel);
            if let Some(list) = self.loaded.by_file.get(&name) {
                objects.extend(list.iter().map(|&i| (i, f.namespace.clone())));
            }
        }
        Built {
            source_root,
            path: raw_path,
            path_found,
            skipped: r.skipped.clone(),
            objects,
        }
    }
}

fn object_id_parts(v: &Value) -> (String, String, Option<String>, String) {
    (
        str_at(v, "/apiVersion").unwrap_or("").to_string(),
        str_at(v, "/kind").unwrap_or("").to_string(),
        str_at(v, "/metadata/namespace").map(String::from),
        str_at(v, "/metadata/name").unwrap_or("").to_string(),
    )
}

/// True when a string or key of `v` holds a `$`.
fn has_dollar(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('$'),
        Value::Array(a) => a.iter().any(has_dollar),
        Value::Object(m) => m.iter().any(|(k, v)| k.contains('$') || has_dollar(v)),
        _ => false,
    }
}

/// Names of the variables used by `${…}` expressions of a substitution.
fn used_names(s: &postbuild::Substitution) -> Vec<String> {
    let set: BTreeSet<String> = s.uses.iter().map(|u| u.name.clone()).collect();
    set.into_iter().collect()
}

/// Plans a fleet checkout.
///
/// # Errors
///
/// Only when `root` does not exist; every problem inside is a diagnostic.
pub fn plan(root: &Path, opts: &PlanOptions) -> std::io::Result<Plan> {
    plan_in(&Disk, root, opts)
}

/// [`plan`] on the file system `fs`: a checkout on disk ([`fs::Disk`]) or files
/// held in memory ([`fs::MemoryFs`], planned with `root` `/`).
///
/// # Errors
///
/// Only when `root` does not exist in `fs`.
#[allow(clippy::too_many_lines)]
pub fn plan_in(fs: &dyn FileSystem, root: &Path, opts: &PlanOptions) -> std::io::Result<Plan> {
    let loaded = load(fs, root, opts)?;
    let store = RepoStore::new(&loaded.set, !opts.var_files.is_empty());
    let mut defined_sources: HashMap<(String, String), Vec<Option<String>>> = HashMap::new();
    for m in &loaded.set.objects {
        if m.role == Role::Object && m.group() == "source.toolkit.fluxcd.io" {
            defined_sources
                .entry((m.kind().to_string(), m.name().to_string()))
                .or_default()
                .push(m.namespace().map(String::from));
        }
    }
    let artifacts = artifact_maps(&loaded.set);
    for name in artifacts.keys() {
        defined_sources
            .entry(("ExternalArtifact".to_string(), name.clone()))
            .or_default()
            .push(None);
    }
    // Flux Operator's FluxInstance creates the bootstrap source.
    for m in &loaded.set.objects {
        if m.role == Role::Object && m.kind() == "FluxInstance" {
            let kind = str_at(&m.value, "/spec/sync/kind").unwrap_or("GitRepository");
            let name = str_at(&m.value, "/spec/sync/name")
                .or(m.namespace())
                .unwrap_or("flux-system");
            defined_sources
                .entry((kind.to_string(), name.to_string()))
                .or_default()
                .push(None);
        }
    }
    let mut engine = Engine {
        fs,
        loaded,
        store,
        defined_sources,
        artifacts,
        cache: HashMap::new(),
    };
    let mut diags: Vec<Diagnostic> = Vec::new();
    let ks_idx: Vec<usize> = engine
        .loaded
        .set
        .objects
        .iter()
        .enumerate()
        .filter(|(_, m)| is_ks(m))
        .map(|(i, _)| i)
        .collect();
    let ks_pos: HashMap<usize, usize> = ks_idx.iter().enumerate().map(|(p, &i)| (i, p)).collect();

    // Effective Kustomization values: a Kustomization applied by a parent with
    // postBuild is substituted by it (its path, dependsOn, postBuild may hold
    // `${…}`). Iterate until stable (bounded).
    let mut effective: Vec<Value> = ks_idx
        .iter()
        .map(|&i| engine.loaded.set.objects[i].value.clone())
        .collect();
    let mut builds: Vec<Built> = Vec::new();
    let subst_opts = opts.subst;
    let ks_model = |v: &Value, var_files: &[(String, BTreeMap<String, String>)]| {
        postbuild::Kustomization::from_value(v).map(|mut k| {
            if k.post_build && !var_files.is_empty() {
                let mut merged: BTreeMap<String, String> = BTreeMap::new();
                for (_, m) in var_files {
                    merged.extend(m.clone());
                }
                if let Some(inline) = &k.substitute {
                    merged.extend(inline.clone());
                }
                k.substitute = Some(merged);
            }
            k
        })
    };
    for _round in 0..6 {
        builds = effective.iter().map(|v| engine.build(v)).collect();
        let mut next = effective.clone();
        let mut parent_of: Vec<Option<usize>> = vec![None; ks_idx.len()];
        for (p, b) in builds.iter().enumerate() {
            for (oi, _) in &b.objects {
                if let Some(&c) = ks_pos.get(oi) {
                    if parent_of[c].is_none() && c != p {
                        parent_of[c] = Some(p);
                    }
                }
            }
        }
        for (c, parent) in parent_of.iter().enumerate() {
            let Some(p) = *parent else { continue };
            let Ok(pk) = ks_model(&effective[p], &opts.var_files) else {
                continue;
            };
            if !pk.post_build {
                continue;
            }
            let pipeline = Pipeline::new(&pk, &engine.store, &subst_opts).provenance(false);
            let raw = &engine.loaded.set.objects[ks_idx[c]].value;
            if let Ok(s) = pipeline.substitute(raw) {
                if let Outcome::Substituted(v) = s.outcome {
                    next[c] = v;
                }
            }
        }
        if next == effective {
            break;
        }
        effective = next;
    }

    // Substitute every applied object; build the Kustomization entries.
    let mut substituted: HashMap<usize, Value> = HashMap::new();
    let mut applied_by: Vec<Vec<String>> = vec![Vec::new(); engine.loaded.set.objects.len()];
    let mut kustomizations = Vec::new();
    for (p, &oi) in ks_idx.iter().enumerate() {
        let m = &engine.loaded.set.objects[oi];
        let v = &effective[p];
        let (_, _, ns, name) = object_id_parts(v);
        let ns = ns.or_else(|| inherited_namespace(&engine.loaded.set, m.location.file.as_deref()));
        let id = id_of(ns.as_deref(), &name);
        let b = &builds[p];
        let label = format!("Kustomization {id}");
        let src_kind = str_at(v, "/spec/sourceRef/kind").unwrap_or("");
        let src_name = str_at(v, "/spec/sourceRef/name").unwrap_or("");
        let src_ns = str_at(v, "/spec/sourceRef/namespace")
            .map(String::from)
            .or(ns.clone());
        let mapped = matches!(b.source_root, Some(i) if i > 0);
        let defined = engine
            .defined_sources
            .get(&(src_kind.to_string(), src_name.to_string()))
            .is_some_and(|list| {
                list.iter()
                    .any(|n| n.is_none() || src_ns.is_none() || *n == src_ns)
            });
        // `flux-system` is the bootstrap source (`flux bootstrap`, Flux
        // Operator): the checkout itself, usually not committed.
        let bootstrap = src_name == "flux-system";
        if !src_name.is_empty() && !mapped && !defined && !bootstrap {
            diags.push(
                Diagnostic::warning(
                    "plan.source_not_found",
                    format!("{label}: sourceRef {src_kind}/{src_name} is defined nowhere in the repository; the plan reads its path from this checkout"),
                )
                .at(m.locate("spec.sourceRef.name"))
                .with_hint(format!("define the {src_kind} in the repository, fix the name, or map it with --source {src_name}=DIR")),
            );
        }
        let external = b.source_root.is_none()
            || (!mapped
                && defined
                && src_kind == "GitRepository"
                && src_name != "flux-system"
                && !b.path_found);
        if !b.path_found {
            if external {
                diags.push(
                    Diagnostic::info(
                        "plan.source_not_mapped",
                        format!("{label}: spec.path {:?} is not in this checkout; it is read from {src_kind}/{src_name}, which is not mapped", b.path),
                    )
                    .at(m.locate("spec.path"))
                    .with_hint(format!("pass --source {src_name}=DIR with a checkout of that repository to plan it")),
                );
            } else {
                let where_ = match b.source_root {
                    Some(i) if i > 0 => {
                        format!("in {}", engine.loaded.sources[i].dir.display())
                    }
                    _ => "in this checkout".to_string(),
                };
                diags.push(
                    Diagnostic::error(
                        "plan.path_not_found",
                        format!("{label}: spec.path {:?} does not exist {where_}; Flux fails with `kustomization path not found`", b.path),
                    )
                    .at(m.locate(if v.pointer("/spec/path").is_some() { "spec.path" } else { "spec" }))
                    .with_hint("fix spec.path (it is relative to the root of the source), or map the source with --source NAME=DIR"),
                );
            }
        }
        for s in &b.skipped {
            let file = format!(
                "{}{}",
                b.source_root
                    .map_or("", |i| engine.loaded.sources[i].prefix.as_str()),
                s.config
            );
            let loc = match engine.loaded.configs_by_name.get(&file) {
                Some(&ci) => {
                    let k = &engine.loaded.set.kustomize_configs[ci];
                    let path = match s.index {
                        Some(i) => format!("{}[{i}]", s.field),
                        None => s.field.clone(),
                    };
                    let pos = k.node.locate(&path).unwrap_or(k.node.pos);
                    Location {
                        line: pos.line,
                        column: pos.column,
                        path,
                        ..k.location.clone()
                    }
                }
                None => m.locate("spec.components"),
            };
            let d = match s.reason {
                resolve::SkipReason::NotApplied => Diagnostic::info(
                    "plan.not_applied",
                    format!("{}: not expanded by the plan; the objects it adds or changes are not shown", s.what),
                )
                .with_hint("the plan lists resources as written; run `kustomize build` on this folder to see the result"),
                resolve::SkipReason::NotFound => Diagnostic::error(
                    "plan.resource_not_found",
                    format!("{}; kustomize build fails, so Flux applies nothing of {label}", s.what),
                )
                .with_hint("fix the entry or add the missing file or folder"),
                resolve::SkipReason::Outside => Diagnostic::warning(
                    "plan.outside_source",
                    s.what.clone(),
                )
                .with_hint("Flux builds only from the source artifact; keep the files inside the repository"),
            };
            diags.push(d.at(loc));
        }
        // The variables and the pipeline.
        let model = ks_model(v, &opts.var_files);
        let mut variables = Vec::new();
        let mut objects = Vec::new();
        let target_ns = str_at(v, "/spec/targetNamespace").map(String::from);
        match &model {
            Ok(k) => {
                let pipeline = Pipeline::new(k, &engine.store, &subst_opts);
                if let Ok(vars) = pipeline.vars() {
                    for (name, var) in &vars.map {
                        let secret = var.origin.is_secret();
                        variables.push(Variable {
                            name: name.clone(),
                            origin: var.origin.to_string(),
                            value: (!secret).then(|| var.value.clone()),
                        });
                    }
                }
                for (obj, kns) in &b.objects {
                    let om = &engine.loaded.set.objects[*obj];
                    let mut value = om.value.clone();
                    let mut is_sub = false;
                    let mut used = Vec::new();
                    let mut error = None;
                    let clean = !has_dollar(&om.value)
                        && !postbuild::is_disabled(&om.value)
                        && pipeline
                            .vars()
                            .is_ok_and(|v| v.first_invalid_name().is_none());
                    if k.post_build && clean {
                        // Nothing to substitute: the pipeline would give the
                        // object back as it is (skip the YAML round trip).
                        is_sub = pipeline.vars().is_ok_and(|v| !v.is_empty()) || k.always;
                    } else if k.post_build {
                        match pipeline.substitute(&om.value) {
                            Ok(s) => {
                                used = used_names(&s);
                                if let Outcome::Substituted(nv) = s.outcome {
                                    is_sub = true;
                                    value = nv;
                                }
                            }
                            Err(e) => error = Some(e.code().to_string()),
                        }
                    }
                    if is_sub {
                        substituted.entry(*obj).or_insert_with(|| value.clone());
                    }
                    if *obj != oi {
                        applied_by[*obj].push(id.clone());
                    }
                    let (api_version, kind, ons, oname) = object_id_parts(&value);
                    objects.push(AppliedObject {
                        object: *obj,
                        api_version,
                        kind,
                        namespace: target_ns.clone().or(kns.clone()).or(ons),
                        name: oname,
                        file: om.location.file.clone(),
                        line: om.location.line,
                        substituted: is_sub,
                        variables: used,
                        substitution_error: error,
                    });
                }
            }
            Err(_) => {
                for (obj, kns) in &b.objects {
                    let om = &engine.loaded.set.objects[*obj];
                    if *obj != oi {
                        applied_by[*obj].push(id.clone());
                    }
                    let (api_version, kind, ons, oname) = object_id_parts(&om.value);
                    objects.push(AppliedObject {
                        object: *obj,
                        api_version,
                        kind,
                        namespace: target_ns.clone().or(kns.clone()).or(ons),
                        name: oname,
                        file: om.location.file.clone(),
                        line: om.location.line,
                        substituted: false,
                        variables: Vec::new(),
                        substitution_error: Some("postbuild.bad_spec".into()),
                    });
                }
            }
        }
        let depends_on = v
            .pointer("/spec/dependsOn")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|d| {
                let n = d.get("name").and_then(Value::as_str)?;
                let dns = d
                    .get("namespace")
                    .and_then(Value::as_str)
                    .map(String::from)
                    .or(ns.clone());
                Some(id_of(dns.as_deref(), n))
            })
            .collect();
        kustomizations.push(KustomizationPlan {
            id,
            object: oi,
            file: m.location.file.clone(),
            line: m.location.line,
            source_ref: format!(
                "{src_kind}/{}{src_name}",
                src_ns
                    .as_deref()
                    .map(|n| format!("{n}/"))
                    .unwrap_or_default()
            ),
            source_dir: match b.source_root {
                _ if external => None,
                Some(0) => Some(".".into()),
                Some(i) => Some(engine.loaded.sources[i].dir.display().to_string()),
                None => None,
            },
            path: b.path.clone(),
            path_found: b.path_found,
            depends_on,
            applied_by: Vec::new(),
            objects,
            not_applied: b
                .skipped
                .iter()
                .filter(|s| s.reason == resolve::SkipReason::NotApplied)
                .map(|s| format!("{}: {}", s.config, s.what))
                .collect(),
            variables,
        });
    }
    for k in &mut kustomizations {
        k.applied_by = applied_by[k.object].clone();
    }

    // HelmReleases and sources named by HelmReleases/HelmCharts.
    let set = &engine.loaded.set;
    for m in set.objects.iter().filter(|m| m.role == Role::Object) {
        let (field, kind, name) = if is_hr(m) {
            if let Some(k) = str_at(&m.value, "/spec/chart/spec/sourceRef/kind") {
                (
                    "spec.chart.spec.sourceRef.name",
                    k,
                    str_at(&m.value, "/spec/chart/spec/sourceRef/name").unwrap_or(""),
                )
            } else if let Some(k) = str_at(&m.value, "/spec/chartRef/kind") {
                (
                    "spec.chartRef.name",
                    k,
                    str_at(&m.value, "/spec/chartRef/name").unwrap_or(""),
                )
            } else {
                continue;
            }
        } else if m.kind() == "HelmChart" && m.group() == "source.toolkit.fluxcd.io" {
            match str_at(&m.value, "/spec/sourceRef/kind") {
                Some(k) => (
                    "spec.sourceRef.name",
                    k,
                    str_at(&m.value, "/spec/sourceRef/name").unwrap_or(""),
                ),
                None => continue,
            }
        } else {
            continue;
        };
        if name.is_empty() || name.contains("${") {
            continue;
        }
        if !engine
            .defined_sources
            .contains_key(&(kind.to_string(), name.to_string()))
        {
            diags.push(
                Diagnostic::warning(
                    "plan.source_not_found",
                    format!(
                        "{} {}: sourceRef {kind}/{name} is defined nowhere in the repository",
                        m.kind(),
                        id_of(m.namespace(), m.name())
                    ),
                )
                .at(m.locate(field))
                .with_hint(format!(
                    "define the {kind} in the repository or fix the name"
                )),
            );
        }
    }

    // Releases and values.
    let mut hr_set = ManifestSet::default();
    let mut releases = Vec::new();
    let mut values_out = Vec::new();
    for (oi, m) in set.objects.iter().enumerate().filter(|(_, m)| is_hr(m)) {
        let value = substituted
            .get(&oi)
            .cloned()
            .unwrap_or_else(|| m.value.clone());
        let typed = match FluxObject::from_value(&value) {
            Ok(Some(t)) => Some(t),
            _ => None,
        };
        let (_, _, ns, name) = object_id_parts(&value);
        let hr_id = id_of(
            Some(ns.as_deref().unwrap_or(release::CHECK_DEFAULT_NAMESPACE)),
            &name,
        );
        if let Some(FluxObject::HelmRelease(hr)) = &typed {
            match release::resolve(hr, release::CHECK_DEFAULT_NAMESPACE) {
                Ok(info) => releases.push(ReleasePlan {
                    helm_release: hr_id.clone(),
                    object: oi,
                    release_name: Some(info.release_name),
                    release_namespace: Some(info.release_namespace),
                    storage_namespace: Some(info.storage_namespace),
                    helm_chart: info.helm_chart.map(|c| c.to_string()),
                    shortened: info.shortened,
                    error: None,
                }),
                Err(e) => releases.push(ReleasePlan {
                    helm_release: hr_id.clone(),
                    object: oi,
                    release_name: None,
                    release_namespace: None,
                    storage_namespace: None,
                    helm_chart: None,
                    shortened: false,
                    error: Some(e.code().to_string()),
                }),
            }
        }
        if typed.is_some() {
            let mut copy = m.clone();
            copy.value = value.clone();
            copy.typed = typed;
            hr_set.objects.push(copy);
        }
        values_out.push(compose_values(
            &engine.store,
            m,
            &value,
            oi,
            &hr_id,
            &mut diags,
        ));
    }
    diags.extend(release::check(&hr_set));

    // Dependencies.
    let analysis = deps::analyze(set);
    diags.extend(analysis.diagnostics.iter().cloned());
    let mut order = Order::default();
    let mut waves = Waves::default();
    for g in &analysis.graphs {
        let ids = |list: &[usize]| -> Vec<String> {
            list.iter().map(|&n| g.nodes[n].id.to_string()).collect()
        };
        let o = g
            .order
            .as_ref()
            .ok()
            .map(|o| o.iter().map(ToString::to_string).collect());
        let w: Vec<Vec<String>> = g.waves.iter().map(|w| ids(w)).collect();
        match g.kind {
            Kind::Kustomization => {
                order.kustomizations = o;
                waves.kustomizations = w;
            }
            Kind::HelmRelease => {
                order.helm_releases = o;
                waves.helm_releases = w;
            }
        }
    }
    if analysis.graph(Kind::Kustomization).is_none() {
        order.kustomizations = Some(Vec::new());
    }
    if analysis.graph(Kind::HelmRelease).is_none() {
        order.helm_releases = Some(Vec::new());
    }

    // postBuild findings (strict substitution, variable names...).
    let lint_opts = postbuild::lint::LintOptions {
        subst: opts.subst,
        var_files: opts.var_files.clone(),
        sources: engine
            .loaded
            .sources
            .iter()
            .skip(1)
            .map(|s| {
                (
                    s.name.clone().unwrap_or_default(),
                    s.dir.clone(),
                    s.prefix.clone(),
                )
            })
            .collect(),
    };
    let lint_root = if fs.is_file(root) {
        root.parent().unwrap_or(Path::new("."))
    } else {
        root
    };
    let report = postbuild::lint::lint_set_in(fs, lint_root, set, &lint_opts);
    diags.extend(report.diagnostics.into_iter().filter(|d| {
        d.code != "postbuild.path_not_found" && d.code != "postbuild.kustomize_not_applied"
    }));

    // Object rules, profiles and disabled rules.
    let config = match &opts.lint {
        Some(c) => c.clone(),
        None => {
            let dir = if fs.is_file(root) {
                root.parent().unwrap_or(Path::new("."))
            } else {
                root
            };
            match lint::Config::load_in(fs, dir) {
                Ok(c) => c,
                Err(d) => {
                    diags.push(d);
                    lint::Config::default()
                }
            }
        }
    };
    let profiles = opts
        .profiles
        .clone()
        .or_else(|| config.profiles.clone())
        .unwrap_or_default();
    diags.extend(lint::check_set(set, &profiles));

    let mut all = engine.loaded.set.diagnostics.clone();
    all.extend(diags);
    let mut seen = HashSet::new();
    all.retain(|d| {
        config.is_enabled(&d.code)
            && seen.insert((
                d.location.file.clone(),
                d.location.line,
                d.location.column,
                d.code.clone(),
                d.message.clone(),
            ))
    });
    all.sort_by(|a, b| {
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
    let mut summary = Summary::default();
    for d in &all {
        match d.severity {
            Severity::Error => summary.errors += 1,
            Severity::Warning => summary.warnings += 1,
            Severity::Info => summary.infos += 1,
        }
        *summary.by_rule.entry(d.code.clone()).or_default() += 1;
    }
    Ok(Plan {
        format_version: FORMAT_VERSION,
        sources: engine
            .loaded
            .sources
            .iter()
            .skip(1)
            .map(|s| SourceMapping {
                name: s.name.clone().unwrap_or_default(),
                path: s.dir.display().to_string(),
            })
            .collect(),
        stats: engine.loaded.set.stats.clone(),
        objects: engine
            .loaded
            .set
            .objects
            .iter()
            .map(Manifest::summary)
            .collect(),
        kustomizations,
        order,
        waves,
        releases,
        values: values_out,
        diagnostics: all,
        summary,
    })
}

/// Composes one HelmRelease's values from the objects of the repository.
fn compose_values(
    store: &RepoStore,
    m: &Manifest,
    value: &Value,
    oi: usize,
    hr_id: &str,
    diags: &mut Vec<Diagnostic>,
) -> ValuesPlan {
    let mut out = ValuesPlan {
        helm_release: hr_id.to_string(),
        object: oi,
        values: Value::Object(serde_json::Map::new()),
        redacted: Vec::new(),
        unresolved: Vec::new(),
        error: None,
    };
    let release = match values::ReleaseValues::from_manifest(value) {
        Ok(r) => r,
        Err(e) => {
            out.error = Some(e.code().to_string());
            return out;
        }
    };
    let mut objects = postbuild::ObjectStore::new();
    let mut refs = release.refs.clone();
    for r in &mut refs {
        let kind = match r.kind.as_str() {
            "ConfigMap" => RefKind::ConfigMap,
            "Secret" => RefKind::Secret,
            _ => continue,
        };
        match store.object(kind, &release.namespace, &r.name) {
            Ok(o) if !o.encrypted => match kind {
                RefKind::ConfigMap => {
                    objects.insert_config_map(&release.namespace, &r.name, o.data.clone())
                }
                RefKind::Secret => {
                    objects.insert_secret(&release.namespace, &r.name, o.data.clone())
                }
            },
            _ => {
                // Not in the repository (or encrypted): it may exist in the
                // cluster; left out of the values rather than failing.
                out.unresolved.push(format!("{}/{}", r.kind, r.name));
                r.optional = true;
            }
        }
    }
    match values::compose_detailed(&release.namespace, release.inline.as_ref(), &refs, &objects) {
        Ok(c) => {
            let ex = explain::explain(&release.namespace, release.inline.as_ref(), &refs, &c);
            let (redacted, paths) = explain::redact_secret_leaves(&c.values.to_json(), &ex);
            out.values = redacted;
            out.redacted = paths;
            for mut d in ex.diagnostics {
                d.location = m.locate("spec.valuesFrom");
                d.message = format!("HelmRelease {hr_id}: {}", d.message);
                diags.push(d);
            }
        }
        Err(e) => {
            out.error = Some(e.code().to_string());
            diags.push(
                Diagnostic::error(e.code(), format!("HelmRelease {hr_id}: {e}"))
                    .at(m.locate("spec.valuesFrom"))
                    .with_hint("helm-controller fails to compose the values: fix the valuesFrom entry or the object it names"),
            );
        }
    }
    out
}

//! The postBuild pipeline of a Flux Kustomization: what kustomize-controller
//! does to every resource of a build when `spec.postBuild` is set
//! (`SubstituteVariables` in `github.com/fluxcd/pkg/kustomize` v1.35.4, as
//! kustomize-controller v1.9.x calls it).
//!
//! For each resource, in this order:
//!
//! 1. the resource is re-emitted as YAML the way kustomize does it (JSON, then
//!    `sigs.k8s.io/yaml.JSONToYAML`: keys sorted, comments and quoting gone,
//!    long strings folded at 80 columns; see [`crate::yaml::emit`]);
//! 2. a label or annotation `kustomize.toolkit.fluxcd.io/substitute: disabled`
//!    (exactly that value) leaves the resource untouched;
//! 3. variables are gathered: `substituteFrom` ConfigMaps and Secrets in list
//!    order (a later one wins), from the Kustomization's namespace only, a
//!    missing one is skipped when `optional` and fails otherwise; then the inline
//!    `substitute` map on top. Every `\n` is removed from every value;
//! 4. when there is at least one variable (or `substituteStrategy: Always`), every
//!    variable name must match `^[_[:alpha:]][_[:alpha:][:digit:]]*$`, then the
//!    text is substituted ([`crate::subst`]) and read back as YAML 1.1
//!    (`yes` → `true`, `0755` → `493`, an empty value → `null`).
//!
//! Flux 2.9 substitutes in strict mode by default (an unset variable without a
//! default fails the build); Flux 2.8 and earlier did not. [`Options`] selects
//! either, and an explicit `strict` wins over the version.
//!
//! ```
//! use fluxcd_core::postbuild::{substitute_resource, Kustomization, ObjectStore, Options, Outcome};
//! use serde_json::json;
//!
//! let ks = json!({
//!     "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
//!     "kind": "Kustomization",
//!     "metadata": {"name": "apps", "namespace": "flux-system"},
//!     "spec": {"postBuild": {
//!         "substitute": {"replicas": "3"},
//!         "substituteFrom": [{"kind": "ConfigMap", "name": "cluster-vars"}]
//!     }}
//! });
//! let ks = Kustomization::from_value(&ks).unwrap();
//!
//! let mut store = ObjectStore::new();
//! store.insert_config_map("flux-system", "cluster-vars", [("region", "eu-west-1")]);
//!
//! let res = json!({
//!     "apiVersion": "apps/v1", "kind": "Deployment",
//!     "metadata": {"name": "web", "labels": {"region": "${region}"}},
//!     "spec": {"replicas": "${replicas}"}
//! });
//! let out = substitute_resource(&ks, &res, &store, &Options::default()).unwrap();
//! let Outcome::Substituted(value) = &out.outcome else { panic!() };
//! assert_eq!(value["spec"]["replicas"], 3); // the quotes are gone: an integer
//! assert_eq!(value["metadata"]["labels"]["region"], "eu-west-1");
//! // Where each value came from.
//! assert_eq!(out.uses[0].name, "region");
//! assert_eq!(out.uses[0].source.to_string(), "ConfigMap flux-system/cluster-vars key region");
//!
//! // Strict mode (Flux 2.9): an unset variable fails the whole build.
//! let bad = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"},
//!                  "data": {"a": "${missing}"}});
//! let err = substitute_resource(&ks, &bad, &store, &Options::default()).unwrap_err();
//! assert_eq!(err.code(), "subst.undefined");
//! assert_eq!(
//!     err.to_string(),
//!     "envsubst error: variable substitution failed: variable not set (strict mode): \"missing\""
//! );
//! ```
#![deny(missing_docs)]

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde_json::{Map, Value};

use crate::subst::{self, Lookup, Operator};
use crate::yaml::{self, LoadOptions};

pub mod lint;

/// The label and annotation that turn substitution off for one resource.
pub const DISABLE_KEY: &str = "kustomize.toolkit.fluxcd.io/substitute";
/// The only value of [`DISABLE_KEY`] that turns substitution off (compared
/// exactly: `Disabled` does not work).
pub const DISABLED_VALUE: &str = "disabled";
/// The pattern every variable name must match (Go regexp: ASCII classes).
pub const VAR_NAME_PATTERN: &str = "^[_[:alpha:]][_[:alpha:][:digit:]]*$";

/// The version of `github.com/fluxcd/pkg/kustomize` whose `SubstituteVariables`
/// this module reproduces.
pub const KUSTOMIZE_PKG_VERSION: &str = "v1.35.4";

/// Which Flux release's defaults to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub enum FluxVersion {
    /// Flux 2.8 and earlier: substitution is lenient by default (an unset
    /// variable reads as the empty string).
    V2_8,
    /// Flux 2.9 (kustomize-controller v1.9): strict by default
    /// (feature gate `StrictPostBuildSubstitutions=true`).
    #[default]
    V2_9,
}

impl FluxVersion {
    /// Parses `2.8`, `2.9`, `v2.9.4`, … (any 2.x below 2.9 means [`FluxVersion::V2_8`]).
    pub fn parse(s: &str) -> Option<FluxVersion> {
        let s = s.trim().trim_start_matches('v');
        let mut parts = s.split('.');
        let major: u32 = parts.next()?.parse().ok()?;
        let minor: u32 = parts.next()?.parse().ok()?;
        match (major, minor) {
            (2, m) if m >= 9 => Some(FluxVersion::V2_9),
            (2, _) => Some(FluxVersion::V2_8),
            _ => None,
        }
    }
}

/// How to run the pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// The Flux release whose default strictness applies.
    pub flux: FluxVersion,
    /// Strict mode on or off regardless of [`Options::flux`] (the controller's
    /// `--feature-gates=StrictPostBuildSubstitutions=…`).
    pub strict: Option<bool>,
    /// `flux build ks --dry-run`: `substituteFrom` is not read (inline
    /// `substitute` still is).
    pub dry_run: bool,
}

impl Options {
    /// Whether substitution is strict with these options.
    pub fn is_strict(&self) -> bool {
        self.strict.unwrap_or(self.flux >= FluxVersion::V2_9)
    }
}

/// The kind of object a `substituteFrom` entry reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RefKind {
    /// A ConfigMap: its `data` is read (`binaryData` is not).
    ConfigMap,
    /// A Secret: its `data`, base64-decoded, with `stringData` over it.
    Secret,
}

impl RefKind {
    /// `ConfigMap` or `Secret`.
    pub fn as_str(self) -> &'static str {
        match self {
            RefKind::ConfigMap => "ConfigMap",
            RefKind::Secret => "Secret",
        }
    }
    fn plural(self) -> &'static str {
        match self {
            RefKind::ConfigMap => "configmaps",
            RefKind::Secret => "secrets",
        }
    }
}

impl fmt::Display for RefKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One `spec.postBuild.substituteFrom` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubstituteRef {
    /// `ConfigMap` or `Secret`; `None` for any other kind (ignored, as upstream does).
    pub kind: Option<RefKind>,
    /// The object's name (in the Kustomization's namespace).
    pub name: String,
    /// Skip the entry when the object does not exist.
    pub optional: bool,
}

/// The parts of a Flux Kustomization the postBuild pipeline reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kustomization {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace` (where `substituteFrom` objects are looked up).
    pub namespace: String,
    /// Whether `spec.postBuild` is set at all; without it nothing is substituted.
    pub post_build: bool,
    /// `spec.postBuild.substitute`, or `None` when absent.
    pub substitute: Option<BTreeMap<String, String>>,
    /// `spec.postBuild.substituteFrom`, in order.
    pub substitute_from: Vec<SubstituteRef>,
    /// `spec.postBuild.substituteStrategy: Always`.
    pub always: bool,
}

impl Kustomization {
    /// Reads a Kustomization object (as JSON). Fails where the controller's
    /// unstructured accessors fail (a `substitute` value that is not a string, a
    /// `substituteFrom` that is not a list of objects).
    pub fn from_value(value: &Value) -> Result<Kustomization, Error> {
        let meta = value.get("metadata");
        let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or("").to_string();
        let name = text(meta.and_then(|m| m.get("name")));
        let namespace = text(meta.and_then(|m| m.get("namespace")));
        let pb = value.get("spec").and_then(|s| s.get("postBuild"));
        let pb = match pb {
            None | Some(Value::Null) => None,
            Some(v) => Some(v),
        };
        let mut out = Kustomization {
            name,
            namespace,
            post_build: pb.is_some(),
            substitute: None,
            substitute_from: Vec::new(),
            always: false,
        };
        let Some(pb) = pb else {
            return Ok(out);
        };
        out.always = pb.get("substituteStrategy").and_then(Value::as_str) == Some("Always");
        match pb.get("substitute") {
            None | Some(Value::Null) => {}
            Some(Value::Object(m)) => {
                let mut vars = BTreeMap::new();
                for (k, v) in m {
                    match v {
                        Value::String(s) => {
                            vars.insert(k.clone(), s.clone());
                        }
                        other => {
                            return Err(Error::BadSpec(format!(
                                ".spec.postBuild.substitute accessor error: contains non-string value in the map under key {}: {} is of the type {}, expected string",
                                go_quote(k),
                                go_value_text(other),
                                go_type_name(other)
                            )))
                        }
                    }
                }
                out.substitute = Some(vars);
            }
            Some(other) => {
                return Err(Error::BadSpec(format!(
                    ".spec.postBuild.substitute accessor error: {} is of the type {}, expected map[string]interface{{}}",
                    go_value_text(other),
                    go_type_name(other)
                )))
            }
        }
        match pb.get("substituteFrom") {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let Some(m) = item.as_object() else {
                        return Err(Error::BadSpec(format!(
                            "unable to get subsituteFrom: unable to convert patch {i} to map[string]interface{{}}"
                        )));
                    };
                    let kind = match m.get("kind").and_then(Value::as_str) {
                        Some("ConfigMap") => Some(RefKind::ConfigMap),
                        Some("Secret") => Some(RefKind::Secret),
                        _ => None,
                    };
                    out.substitute_from.push(SubstituteRef {
                        kind,
                        name: text(m.get("name")),
                        optional: m.get("optional").and_then(Value::as_bool).unwrap_or(false),
                    });
                }
            }
            Some(other) => {
                return Err(Error::BadSpec(format!(
                    ".spec.postBuild.substituteFrom accessor error: {} is of the type {}, expected []interface{{}}",
                    go_value_text(other),
                    go_type_name(other)
                )))
            }
        }
        Ok(out)
    }
}

/// What a store knows about one ConfigMap or Secret.
#[derive(Debug, Clone, Copy)]
pub enum Found<'a> {
    /// It exists, with this data (Secret values already decoded).
    Present(&'a BTreeMap<String, String>),
    /// It does not exist.
    NotFound,
    /// Nobody knows (a linter looking at a repository that does not hold it).
    Unknown,
}

/// Where `substituteFrom` objects are looked up (the cluster, for the controller).
pub trait VarStore {
    /// The object `kind` `namespace/name`.
    fn find(&self, kind: RefKind, namespace: &str, name: &str) -> Found<'_>;
}

/// A [`VarStore`] holding ConfigMaps and Secrets in memory; anything else is
/// not found.
#[derive(Debug, Clone, Default)]
pub struct ObjectStore {
    objects: HashMap<(RefKind, String, String), BTreeMap<String, String>>,
}

impl ObjectStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a ConfigMap's `data`.
    pub fn insert_config_map<K: Into<String>, V: Into<String>>(
        &mut self,
        namespace: &str,
        name: &str,
        data: impl IntoIterator<Item = (K, V)>,
    ) {
        let data = data
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self.objects.insert(
            (RefKind::ConfigMap, namespace.to_string(), name.to_string()),
            data,
        );
    }

    /// Adds a Secret with already-decoded values.
    pub fn insert_secret<K: Into<String>, V: Into<String>>(
        &mut self,
        namespace: &str,
        name: &str,
        data: impl IntoIterator<Item = (K, V)>,
    ) {
        let data = data
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self.objects.insert(
            (RefKind::Secret, namespace.to_string(), name.to_string()),
            data,
        );
    }

    /// Adds a `v1` ConfigMap or Secret manifest (JSON), as the API server would
    /// store it: a Secret's `data` is base64-decoded and its `stringData` merged
    /// over it. A missing namespace means `default_namespace`. Returns `false`
    /// for anything that is not a ConfigMap or Secret.
    pub fn insert_manifest(
        &mut self,
        value: &Value,
        default_namespace: &str,
    ) -> Result<bool, Error> {
        let Some((kind, namespace, name, data)) = read_var_object(value, default_namespace)? else {
            return Ok(false);
        };
        self.objects.insert((kind, namespace, name), data);
        Ok(true)
    }

    /// Number of objects held.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// Whether the store is empty.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }
}

impl VarStore for ObjectStore {
    fn find(&self, kind: RefKind, namespace: &str, name: &str) -> Found<'_> {
        match self
            .objects
            .get(&(kind, namespace.to_string(), name.to_string()))
        {
            Some(d) => Found::Present(d),
            None => Found::NotFound,
        }
    }
}

/// A ConfigMap or Secret: kind, namespace, name and (decoded) data.
pub(crate) type VarObject = (RefKind, String, String, BTreeMap<String, String>);

/// Reads a ConfigMap or Secret manifest into `(kind, namespace, name, data)`.
pub(crate) fn read_var_object(
    value: &Value,
    default_namespace: &str,
) -> Result<Option<VarObject>, Error> {
    let kind = match (
        value.get("apiVersion").and_then(Value::as_str),
        value.get("kind").and_then(Value::as_str),
    ) {
        (Some("v1"), Some("ConfigMap")) => RefKind::ConfigMap,
        (Some("v1"), Some("Secret")) => RefKind::Secret,
        _ => return Ok(None),
    };
    let meta = value.get("metadata");
    let name = meta
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let namespace = meta
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or(default_namespace)
        .to_string();
    let mut data = BTreeMap::new();
    if let Some(Value::Object(m)) = value.get("data") {
        for (k, v) in m {
            let text = scalar_text(v);
            let text = match kind {
                RefKind::ConfigMap => text,
                RefKind::Secret => decode_base64(&text).ok_or_else(|| Error::SecretData {
                    name: name.clone(),
                    key: k.clone(),
                })?,
            };
            data.insert(k.clone(), text);
        }
    }
    if kind == RefKind::Secret {
        if let Some(Value::Object(m)) = value.get("stringData") {
            for (k, v) in m {
                data.insert(k.clone(), scalar_text(v));
            }
        }
    }
    Ok(Some((kind, namespace, name, data)))
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Go's `base64.StdEncoding` (padding required), as `encoding/json` decodes a
/// `[]byte`. Returns `None` for invalid input. Bytes that are not UTF-8 are
/// kept as U+FFFD replacement characters (see [`Var::is_binary`]).
fn decode_base64(s: &str) -> Option<String> {
    use base64::Engine;
    // encoding/json ignores `\r` and `\n` inside base64 strings.
    let cleaned: String = s.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Where a variable's value came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    /// `spec.postBuild.substitute`.
    Inline,
    /// A `substituteFrom` ConfigMap's key.
    ConfigMap {
        /// Namespace of the ConfigMap.
        namespace: String,
        /// Its name.
        name: String,
        /// The data key.
        key: String,
    },
    /// A `substituteFrom` Secret's key (its value is never shown).
    Secret {
        /// Namespace of the Secret.
        namespace: String,
        /// Its name.
        name: String,
        /// The data key.
        key: String,
    },
    /// A variables file supplied by the caller (not something Flux reads).
    File {
        /// The file, as named by the caller.
        path: String,
    },
}

impl Origin {
    /// Whether values from here must never be printed.
    pub fn is_secret(&self) -> bool {
        matches!(self, Origin::Secret { .. })
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Inline => f.write_str("spec.postBuild.substitute"),
            Origin::ConfigMap {
                namespace,
                name,
                key,
            } => write!(f, "ConfigMap {namespace}/{name} key {key}"),
            Origin::Secret {
                namespace,
                name,
                key,
            } => write!(f, "Secret {namespace}/{name} key {key}"),
            Origin::File { path } => write!(f, "variables file {path}"),
        }
    }
}

/// One variable: its value (without `\n`) and where it came from.
#[derive(Clone, PartialEq, Eq)]
pub struct Var {
    /// The value, with every `\n` removed as Flux does.
    pub value: String,
    /// Where it came from.
    pub origin: Origin,
}

impl Var {
    /// A Secret value whose bytes are not UTF-8 (kept with U+FFFD replacement
    /// characters). Flux substitutes the raw bytes and then fails to read the
    /// YAML back; using such a variable fails the same way here.
    pub fn is_binary(&self) -> bool {
        self.origin.is_secret() && self.value.contains('\u{FFFD}')
    }
}

impl fmt::Debug for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value: &dyn fmt::Debug = if self.origin.is_secret() {
            &"<redacted>"
        } else {
            &self.value
        };
        f.debug_struct("Var")
            .field("value", value)
            .field("origin", &self.origin)
            .finish()
    }
}

/// The variables of a Kustomization, merged in Flux's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vars {
    /// Name → variable.
    pub map: BTreeMap<String, Var>,
    /// `substituteFrom` entries the store could not answer for
    /// ([`Found::Unknown`]): the variables are incomplete.
    pub unknown_sources: Vec<SubstituteRef>,
}

impl Vars {
    /// Inserts (or overrides) a variable, removing every `\n` from its value.
    pub fn insert(&mut self, name: impl Into<String>, value: &str, origin: Origin) {
        self.map.insert(
            name.into(),
            Var {
                value: value.replace('\n', ""),
                origin,
            },
        );
    }

    /// Number of variables.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The first variable name (in byte order) that Flux rejects, if any.
    ///
    /// Flux checks the names in Go map order, so with several invalid names the
    /// one it reports varies between runs; we always report the smallest.
    pub fn first_invalid_name(&self) -> Option<&str> {
        self.map
            .keys()
            .map(String::as_str)
            .find(|k| !is_valid_var_name(k))
    }

    /// Every invalid name, sorted.
    pub fn invalid_names(&self) -> Vec<&str> {
        self.map
            .keys()
            .map(String::as_str)
            .filter(|k| !is_valid_var_name(k))
            .collect()
    }
}

impl Lookup for Vars {
    fn lookup(&self, name: &str) -> Option<std::borrow::Cow<'_, str>> {
        self.map
            .get(name)
            .map(|v| std::borrow::Cow::Borrowed(v.value.as_str()))
    }
}

/// Whether `name` matches [`VAR_NAME_PATTERN`] (ASCII letters, digits and `_`,
/// not starting with a digit).
pub fn is_valid_var_name(name: &str) -> bool {
    let b = name.as_bytes();
    match b.first() {
        Some(c) if c.is_ascii_alphabetic() || *c == b'_' => {}
        _ => return false,
    }
    b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_')
}

/// Gathers the variables of `ks` (`LoadVariables` plus the inline map) from
/// `store`. In dry-run mode `substituteFrom` is not read.
pub fn load_vars(ks: &Kustomization, store: &dyn VarStore, opts: &Options) -> Result<Vars, Error> {
    let mut vars = Vars::default();
    if !opts.dry_run {
        for r in &ks.substitute_from {
            let Some(kind) = r.kind else { continue };
            match store.find(kind, &ks.namespace, &r.name) {
                Found::Present(data) => {
                    for (k, v) in data {
                        let origin = match kind {
                            RefKind::ConfigMap => Origin::ConfigMap {
                                namespace: ks.namespace.clone(),
                                name: r.name.clone(),
                                key: k.clone(),
                            },
                            RefKind::Secret => Origin::Secret {
                                namespace: ks.namespace.clone(),
                                name: r.name.clone(),
                                key: k.clone(),
                            },
                        };
                        vars.insert(k.clone(), v, origin);
                    }
                }
                Found::NotFound if r.optional => {}
                Found::NotFound => {
                    return Err(Error::SourceNotFound {
                        kind,
                        name: r.name.clone(),
                    })
                }
                Found::Unknown => vars.unknown_sources.push(r.clone()),
            }
        }
    }
    if let Some(inline) = &ks.substitute {
        for (k, v) in inline {
            vars.insert(k.clone(), v, Origin::Inline);
        }
    }
    Ok(vars)
}

/// What happened to one resource.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Substituted: the resource as the controller applies it.
    Substituted(Value),
    /// Left as it was: no `postBuild`, or no variables and the default strategy.
    Unchanged,
    /// Left as it was because of the disable label or annotation.
    Disabled,
}

/// How one placeholder was resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A variable's value.
    Variable(Origin),
    /// The variable is unset or empty and the expression's default was used.
    Default,
    /// Lenient mode (Flux 2.8): the variable is unset and reads as `""`.
    EmptyNotStrict,
    /// Strict mode, unset, no default: Flux fails here.
    Unset,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Variable(o) => o.fmt(f),
            Source::Default => f.write_str("the expression's default"),
            Source::EmptyNotStrict => f.write_str("unset (empty: not strict)"),
            Source::Unset => f.write_str("unset (strict mode: error)"),
        }
    }
}

/// Provenance of one `${…}` expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Use {
    /// The variable's name.
    pub name: String,
    /// The expression as it appears in the re-emitted YAML.
    pub expression: String,
    /// 1-based line and column in the re-emitted YAML ([`Substitution::emitted`]).
    pub line: u32,
    /// See [`Use::line`].
    pub column: u32,
    /// Nesting depth (0 for a top-level expression).
    pub depth: usize,
    /// How it was resolved.
    pub source: Source,
    /// What the expression produced; `None` when it depends on a Secret value
    /// (never shown) or could not be evaluated.
    pub value: Option<String>,
}

/// The result of the pipeline for one resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Substitution {
    /// What happened.
    pub outcome: Outcome,
    /// The resource as kustomize re-emitted it before substitution (the text
    /// envsubst runs on).
    pub emitted: String,
    /// Every expression found, in order, with its provenance (empty unless
    /// substitution ran).
    pub uses: Vec<Use>,
}

/// A postBuild failure. Messages are Flux's own (`envsubst error: …`,
/// `substitute from 'ConfigMap/x' error: …`); none contains a variable value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A required `substituteFrom` object does not exist.
    #[error("substitute from '{kind}/{name}' error: {} \"{name}\" not found", kind.plural())]
    SourceNotFound {
        /// Its kind.
        kind: RefKind,
        /// Its name.
        name: String,
    },
    /// The Kustomization's postBuild cannot be read.
    #[error("{0}")]
    BadSpec(String),
    /// A Secret's `data` value is not base64 (or not UTF-8 once decoded).
    #[error("Secret '{name}': data key '{key}' is not valid base64-encoded UTF-8 text")]
    SecretData {
        /// The Secret.
        name: String,
        /// The key.
        key: String,
    },
    /// A variable name does not match [`VAR_NAME_PATTERN`].
    #[error("envsubst error: '{name}' var name is invalid, must match '{VAR_NAME_PATTERN}'")]
    InvalidVarName {
        /// The name (the smallest invalid one).
        name: String,
        /// Where it came from.
        origin: Origin,
    },
    /// envsubst failed (strict mode, or a malformed expression).
    #[error("envsubst error: variable substitution failed: {}", .0.upstream_message())]
    Subst(subst::Error),
    /// The substituted text is no longer valid YAML (or holds a number JSON cannot write).
    #[error("envsubst error: YAMLToJSON: {message}")]
    Yaml {
        /// The parser's message (never quoting the text).
        message: String,
        /// 1-based line in the substituted text (0 when unknown).
        line: u32,
        /// 1-based column.
        column: u32,
    },
    /// The substituted document is not an object.
    #[error(
        "UnmarshalJSON: json: cannot unmarshal {0} into Go value of type map[string]interface {{}}"
    )]
    NotAnObject(&'static str),
    /// The resource cannot be re-emitted (nested deeper than the emitter allows).
    #[error("{0}")]
    Emit(String),
}

impl Error {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::SourceNotFound { .. } => "postbuild.source_not_found",
            Error::BadSpec(_) => "postbuild.bad_spec",
            Error::SecretData { .. } => "postbuild.secret_data",
            Error::InvalidVarName { .. } => "postbuild.invalid_var_name",
            Error::Subst(e) => e.code(),
            Error::Yaml { .. } => "postbuild.yaml",
            Error::NotAnObject(_) => "postbuild.not_an_object",
            Error::Emit(_) => "postbuild.emit",
        }
    }

    /// The message kustomize-controller puts in the Kustomization's Ready
    /// condition: `post build failed for '<Kind.version.group>/<name>': …`.
    pub fn controller_message(&self, resource: &Value) -> String {
        format!(
            "post build failed for '{}/{}': {}",
            kustomize_gvk(resource),
            resource
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(Value::as_str)
                .unwrap_or(""),
            self
        )
    }
}

/// kustomize's `resid.Gvk` text: `Kind.version.group` with `[noGrp]`,
/// `[noVer]` and `[noKind]` for missing parts.
pub fn kustomize_gvk(resource: &Value) -> String {
    let api = resource
        .get("apiVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    let kind = resource.get("kind").and_then(Value::as_str).unwrap_or("");
    let (group, version) = match api.rsplit_once('/') {
        Some((g, v)) => (g, v),
        None => ("", api),
    };
    let or = |s: &str, d: &'static str| {
        if s.is_empty() {
            d.to_string()
        } else {
            s.to_string()
        }
    };
    format!(
        "{}.{}.{}",
        or(kind, "[noKind]"),
        or(version, "[noVer]"),
        or(group, "[noGrp]")
    )
}

/// Replaces every `v1` `List` (or `*List` kind with `items`) by its items, as
/// `kustomize build` does with the objects it reads.
pub fn expand_lists(objects: Vec<Value>) -> Vec<Value> {
    let mut out = Vec::with_capacity(objects.len());
    for v in objects {
        let is_list = v
            .get("kind")
            .and_then(Value::as_str)
            .is_some_and(|k| k.ends_with("List"))
            && v.get("items").is_some_and(Value::is_array);
        match v {
            Value::Object(mut m) if is_list => {
                if let Some(Value::Array(items)) = m.remove("items") {
                    out.extend(items.into_iter().filter(Value::is_object));
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether a resource carries the disable label or annotation.
pub fn is_disabled(resource: &Value) -> bool {
    let meta = resource.get("metadata");
    ["labels", "annotations"].iter().any(|f| {
        meta.and_then(|m| m.get(*f))
            .and_then(|m| m.get(DISABLE_KEY))
            .and_then(Value::as_str)
            == Some(DISABLED_VALUE)
    })
}

/// Runs the whole postBuild pipeline of `ks` on one resource (the JSON form of
/// the object as `kustomize build` produced it), with provenance.
///
/// For many resources of one Kustomization, [`Pipeline`] reads the variables
/// once.
pub fn substitute_resource(
    ks: &Kustomization,
    resource: &Value,
    store: &dyn VarStore,
    opts: &Options,
) -> Result<Substitution, Error> {
    Pipeline::new(ks, store, opts).substitute(resource)
}

/// The postBuild pipeline of one Kustomization, ready to run on each resource
/// of its build. The variables are read once (upstream reads them again for
/// every resource, with the same result).
#[derive(Debug, Clone)]
pub struct Pipeline<'k> {
    ks: &'k Kustomization,
    vars: Result<Vars, Error>,
    strict: bool,
    provenance: bool,
    binary: bool,
}

impl<'k> Pipeline<'k> {
    /// Reads the variables of `ks` from `store`.
    pub fn new(ks: &'k Kustomization, store: &dyn VarStore, opts: &Options) -> Self {
        let vars = if ks.post_build {
            load_vars(ks, store, opts)
        } else {
            Ok(Vars::default())
        };
        let binary = vars
            .as_ref()
            .is_ok_and(|v| v.map.values().any(Var::is_binary));
        Pipeline {
            ks,
            vars,
            strict: opts.is_strict(),
            provenance: true,
            binary,
        }
    }

    /// Whether to compute [`Substitution::uses`] (on by default).
    pub fn provenance(mut self, on: bool) -> Self {
        self.provenance = on;
        self
    }

    /// The variables, or the error every non-disabled resource fails with.
    pub fn vars(&self) -> Result<&Vars, &Error> {
        self.vars.as_ref()
    }

    /// Runs the pipeline on one resource.
    pub fn substitute(&self, resource: &Value) -> Result<Substitution, Error> {
        if !self.ks.post_build {
            return Ok(Substitution {
                outcome: Outcome::Unchanged,
                emitted: String::new(),
                uses: Vec::new(),
            });
        }
        let emitted =
            crate::yaml::emit::json_to_yaml(resource).map_err(|e| Error::Emit(e.to_string()))?;
        if is_disabled(resource) {
            return Ok(Substitution {
                outcome: Outcome::Disabled,
                emitted,
                uses: Vec::new(),
            });
        }
        let vars = self.vars.as_ref().map_err(Clone::clone)?;
        if vars.is_empty() && !self.ks.always {
            return Ok(Substitution {
                outcome: Outcome::Unchanged,
                emitted,
                uses: Vec::new(),
            });
        }
        let (value, uses) = run(&emitted, vars, self.strict, self.provenance, self.binary)?;
        Ok(Substitution {
            outcome: Outcome::Substituted(value),
            emitted,
            uses,
        })
    }
}

/// `varSubstitution`: checks the variable names, substitutes `emitted` and
/// reads the result back as Kubernetes reads YAML. Returns the resulting
/// object and the provenance of every expression.
pub fn substitute_text(
    emitted: &str,
    vars: &Vars,
    strict: bool,
) -> Result<(Value, Vec<Use>), Error> {
    let binary = vars.map.values().any(Var::is_binary);
    run(emitted, vars, strict, true, binary)
}

fn run(
    emitted: &str,
    vars: &Vars,
    strict: bool,
    provenance: bool,
    binary: bool,
) -> Result<(Value, Vec<Use>), Error> {
    if let Some(name) = vars.first_invalid_name() {
        let origin = vars.map[name].origin.clone();
        return Err(Error::InvalidVarName {
            name: name.to_string(),
            origin,
        });
    }
    let opts = subst::Options::strict(strict);
    let out = subst::envsubst(emitted, vars, opts).map_err(Error::Subst)?;
    let template = if provenance || binary {
        Some(subst::parse(emitted).map_err(Error::Subst)?)
    } else {
        None
    };
    if let Some(t) = template.as_ref().filter(|_| binary) {
        if let Some(p) = t
            .placeholders()
            .into_iter()
            .find(|p| vars.map.get(&p.name).is_some_and(Var::is_binary))
        {
            let at = subst::Position::locate(emitted, p.span.start);
            return Err(Error::Yaml {
                message: "yaml: invalid leading UTF-8 octet".into(),
                line: at.line,
                column: at.column,
            });
        }
    }
    let value = yaml_to_json(&out)?;
    let uses = match template.as_ref().filter(|_| provenance) {
        Some(t) => provenance_of(t, vars, strict),
        None => Vec::new(),
    };
    Ok((value, uses))
}

/// Provenance of every expression of a parsed template.
pub fn provenance_of(template: &subst::Template, vars: &Vars, strict: bool) -> Vec<Use> {
    let src = template.source();
    let list = template.placeholders();
    // Which expressions depend (directly or through nesting) on a Secret value.
    let mut secret = vec![false; list.len()];
    for (i, p) in list.iter().enumerate() {
        if vars.map.get(&p.name).is_some_and(|v| v.origin.is_secret()) {
            let mut at = Some(i);
            while let Some(j) = at {
                secret[j] = true;
                at = list[j].parent;
            }
        }
    }
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            let var = vars.map.get(&p.name);
            let empty = var.is_none_or(|v| v.value.is_empty());
            let source = match var {
                _ if p.operator == Operator::Default && empty => Source::Default,
                Some(v) => Source::Variable(v.origin.clone()),
                None if strict => Source::Unset,
                None => Source::EmptyNotStrict,
            };
            let expression = src[p.span.clone()].to_string();
            let value = if secret[i] {
                None
            } else if p.operator == Operator::Value {
                match var {
                    Some(v) => Some(v.value.clone()),
                    None if strict => None,
                    None => Some(String::new()),
                }
            } else {
                subst::envsubst(&expression, vars, subst::Options::strict(strict)).ok()
            };
            let at = subst::Position::locate(src, p.span.start);
            Use {
                name: p.name.clone(),
                expression,
                line: at.line,
                column: at.column,
                depth: p.depth,
                source,
                value,
            }
        })
        .collect()
}

/// `sigs.k8s.io/yaml.YAMLToJSON` of the substituted text, then the object as
/// kustomize stores it (`Resource.UnmarshalJSON`: every number through a Go
/// `float64`).
pub fn yaml_to_json(text: &str) -> Result<Value, Error> {
    let (docs, diags) = yaml::parse_documents(text, &LoadOptions::default());
    if let Some(d) = diags
        .iter()
        .find(|d| d.is_error() && d.code != "yaml.duplicate_key")
    {
        return Err(Error::Yaml {
            message: d.message.clone(),
            line: d.location.line,
            column: d.location.column,
        });
    }
    let root = docs.into_iter().next().and_then(|d| d.root);
    let Some(root) = root else {
        return Err(Error::NotAnObject("null"));
    };
    if let Some((bad, pos)) = non_finite(&root) {
        return Err(Error::Yaml {
            message: format!("json: unsupported value: {bad}"),
            line: pos.line,
            column: pos.column,
        });
    }
    let json = root.to_json();
    match &json {
        Value::Object(_) => Ok(through_float64(json)),
        Value::Null => Err(Error::NotAnObject("null")),
        Value::Array(_) => Err(Error::NotAnObject("array")),
        Value::String(_) => Err(Error::NotAnObject("string")),
        Value::Number(_) => Err(Error::NotAnObject("number")),
        Value::Bool(_) => Err(Error::NotAnObject("bool")),
    }
}

/// The first infinite or NaN float (which Go's JSON encoder refuses), as Go prints it.
fn non_finite(root: &yaml::Node) -> Option<(&'static str, yaml::Pos)> {
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match &n.value {
            yaml::NodeValue::Float(f) if !f.is_finite() => {
                let text = if f.is_nan() {
                    "NaN"
                } else if *f > 0.0 {
                    "+Inf"
                } else {
                    "-Inf"
                };
                return Some((text, n.pos));
            }
            yaml::NodeValue::Seq(items) => stack.extend(items.iter().rev()),
            yaml::NodeValue::Map(entries) => stack.extend(entries.iter().rev().map(|e| &e.value)),
            _ => {}
        }
    }
    None
}

/// Every number becomes a `float64` and back (what `json.Unmarshal` into a map
/// followed by kyaml's round trip does): integers above 2^53 lose precision,
/// integral values are written as integers.
fn through_float64(v: Value) -> Value {
    match v {
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(0.0);
            number_from_f64(f)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(through_float64).collect()),
        Value::Object(m) => {
            let mut out = Map::with_capacity(m.len());
            for (k, v) in m {
                out.insert(k, through_float64(v));
            }
            Value::Object(out)
        }
        other => other,
    }
}

fn number_from_f64(f: f64) -> Value {
    if f.fract() == 0.0 && (-(2f64.powi(63))..2f64.powi(63)).contains(&f) {
        Value::from(f as i64)
    } else if f.fract() == 0.0 && (0.0..2f64.powi(64)).contains(&f) {
        Value::from(f as u64)
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// Go's `%q` of a string (enough for keys: ASCII printable kept, others escaped).
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn go_type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "<nil>",
        Value::Bool(_) => "bool",
        Value::Number(n) if n.is_f64() => "float64",
        Value::Number(_) => "int64",
        Value::String(_) => "string",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
    }
}

fn go_value_text(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::String(s) => s.clone(),
        Value::Array(_) | Value::Object(_) => "<value>".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests;

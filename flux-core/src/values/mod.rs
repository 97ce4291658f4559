//! HelmRelease values composition: what helm-controller v1.6.3 passes to Helm as
//! the release's values (`ChartValuesFromReferences` and `MergeMaps` in
//! `github.com/fluxcd/pkg/chartutil` v1.27.1, with Helm v4.2.2's `--set` parser
//! for `targetPath`, see [`strvals`]).
//!
//! `spec.valuesFrom` entries are applied in order: a ConfigMap's `data` or a
//! Secret's (decoded) `data` holds, under `valuesKey` (default `values.yaml`),
//! either a YAML map deep-merged into the result, or, with `targetPath`, one value
//! written at that path. `spec.values` (inline) is merged last. Maps merge
//! recursively; lists and scalars replace; `null` is kept.
//!
//! The documentation says a `targetPath` value wins over inline values. It does
//! only when the write lands in a map or list *shared* with the inline values:
//! Go's maps and slices are references, `MergeMaps` copies only the maps it
//! merges and shares every other child, and the `--set` parser writes in place.
//! This module models values the same way ([`Val`] holds `Rc<RefCell<..>>`
//! maps and lists), so the outcome is Go's in every case:
//!
//! ```
//! use fluxcd_core::values::{compose, ValuesReference};
//! use fluxcd_core::postbuild::ObjectStore;
//! use serde_json::json;
//!
//! let mut store = ObjectStore::new();
//! store.insert_secret("apps", "s", [("v", "fromref")]);
//! store.insert_config_map("apps", "cm", [("values.yaml", "a: {c: 1}\n")]);
//! let tp = ValuesReference::secret("s").key("v").target_path("a.b");
//!
//! // `a` comes only from inline values: the write reaches them, targetPath wins.
//! let inline = json!({"a": {"b": "inline"}});
//! let out = compose("apps", Some(&inline), &[tp.clone()], &store).unwrap();
//! assert_eq!(out.to_json(), json!({"a": {"b": "fromref"}}));
//!
//! // An earlier entry also defines map `a`: the write goes to a merged copy,
//! // and the inline value wins.
//! let refs = [ValuesReference::config_map("cm"), tp];
//! let out = compose("apps", Some(&inline), &refs, &store).unwrap();
//! // (numbers read from YAML are float64, as in Go)
//! assert_eq!(out.to_json(), json!({"a": {"b": "inline", "c": 1.0}}));
//!
//! // The status digest of the values (`lastAttemptedConfigDigest`).
//! assert_eq!(
//!     fluxcd_core::values::digest(&out),
//!     "sha256:".to_string() + &fluxcd_core::values::sha256_hex(b"a:\n  b: inline\n  c: 1\n")
//! );
//! ```
#![deny(missing_docs)]

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::rc::Rc;

use serde_json::Value;

use crate::postbuild::{Found, ObjectStore, RefKind, VarStore};
use crate::yaml::{self, LoadOptions};

pub mod explain;
mod fastyaml;
pub mod strvals;

pub use crate::sha256::sha256_hex;

/// A Go `map[string]interface{}`: shared and mutable.
pub type MapRef = Rc<RefCell<BTreeMap<String, Val>>>;
/// A Go `[]interface{}`: shared and mutable (an in-place element write is seen by
/// every holder; growing makes a new list, as `setIndex` does).
pub type ListRef = Rc<RefCell<Vec<Val>>>;

/// A Helm value as Go holds it (`interface{}`): numbers from YAML and JSON are
/// `float64`, numbers from `--set` are `int64`; maps and lists are references.
#[derive(Debug, Clone)]
pub enum Val {
    /// `nil`.
    Null,
    /// `bool`.
    Bool(bool),
    /// `int64` (from the `--set` parser).
    Int(i64),
    /// `float64` (every number read from YAML or JSON).
    Float(f64),
    /// `string`.
    Str(String),
    /// `map[string]interface{}`.
    Map(MapRef),
    /// `[]interface{}`.
    List(ListRef),
}

impl Val {
    /// A new empty shared map.
    pub fn new_map() -> MapRef {
        Rc::new(RefCell::new(BTreeMap::new()))
    }

    /// Reads JSON as Go's `encoding/json` decodes it into `interface{}` (every
    /// number a `float64`).
    pub fn from_json(v: &Value) -> Val {
        match v {
            Value::Null => Val::Null,
            Value::Bool(b) => Val::Bool(*b),
            Value::Number(n) => Val::Float(n.as_f64().unwrap_or(0.0)),
            Value::String(s) => Val::Str(s.clone()),
            Value::Array(a) => Val::List(Rc::new(RefCell::new(
                a.iter().map(Val::from_json).collect(),
            ))),
            Value::Object(m) => Val::Map(Rc::new(RefCell::new(
                m.iter()
                    .map(|(k, v)| (k.clone(), Val::from_json(v)))
                    .collect(),
            ))),
        }
    }

    /// The value as JSON (`int64` as an integer, `float64` as a float number;
    /// compare numbers by value). Map keys come out sorted.
    pub fn to_json(&self) -> Value {
        match self {
            Val::Null => Value::Null,
            Val::Bool(b) => Value::Bool(*b),
            Val::Int(i) => Value::from(*i),
            Val::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Val::Str(s) => Value::String(s.clone()),
            Val::List(l) => Value::Array(l.borrow().iter().map(Val::to_json).collect()),
            Val::Map(m) => Value::Object(
                m.borrow()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }
}

/// The composed values of a release: a top-level map.
#[derive(Debug, Clone)]
pub struct Values(pub MapRef);

impl Values {
    /// The values as a JSON object.
    pub fn to_json(&self) -> Value {
        Val::Map(self.0.clone()).to_json()
    }

    /// The values as YAML, the way `sigs.k8s.io/yaml` writes them (keys sorted).
    ///
    /// # Errors
    ///
    /// When go-yaml could not write the value (see [`crate::yaml::emit::EmitError`]).
    pub fn to_yaml(&self) -> Result<String, crate::yaml::emit::EmitError> {
        crate::yaml::emit::json_to_yaml(&self.to_json())
    }
}

/// `MergeMaps(a, b)`: a new map holding `a`'s entries, then `b`'s; where both
/// hold a map under a key, a new merged map (recursively); anything else from
/// `b` replaces, **shared** (not copied).
pub fn merge_maps(a: Option<&MapRef>, b: Option<&MapRef>) -> MapRef {
    let mut out: BTreeMap<String, Val> = match a {
        Some(a) => a.borrow().clone(),
        None => BTreeMap::new(),
    };
    if let Some(b) = b {
        for (k, v) in b.borrow().iter() {
            // An existing key is overwritten in place (no new key string).
            match out.get_mut(k) {
                Some(slot) => {
                    let merged = match (&*slot, v) {
                        (Val::Map(am), Val::Map(bm)) => Val::Map(merge_maps(Some(am), Some(bm))),
                        _ => v.clone(),
                    };
                    *slot = merged;
                }
                None => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
    }
    Rc::new(RefCell::new(out))
}

/// `merge_maps(Some(&a), b)` for a caller that gives `a` up. A map that nobody
/// else holds (one strong reference) cannot be observed by anyone else, so it is
/// updated in place instead of copied: the tree, and what it shares with `b` and
/// with everything else, is exactly what [`merge_maps`] builds.
fn merge_maps_owned(a: MapRef, b: Option<&MapRef>) -> MapRef {
    let mut out = match Rc::try_unwrap(a) {
        Ok(cell) => cell.into_inner(),
        Err(shared) => shared.borrow().clone(),
    };
    if let Some(b) = b {
        for (k, v) in b.borrow().iter() {
            match out.get_mut(k) {
                Some(slot) => {
                    let merged = match (std::mem::replace(slot, Val::Null), v) {
                        (Val::Map(am), Val::Map(bm)) => Val::Map(merge_maps_owned(am, Some(bm))),
                        _ => v.clone(),
                    };
                    *slot = merged;
                }
                None => {
                    out.insert(k.clone(), v.clone());
                }
            }
        }
    }
    Rc::new(RefCell::new(out))
}

/// One `spec.valuesFrom` entry (`meta.ValuesReference`).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValuesReference {
    /// `ConfigMap` or `Secret` (anything else is an error).
    pub kind: String,
    /// The object's name, in the HelmRelease's namespace.
    pub name: String,
    /// The data key; empty means `values.yaml`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub values_key: String,
    /// Where to write the (whole) data value instead of merging it as YAML.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target_path: String,
    /// Skip the entry when the object or the key is missing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    /// With `targetPath`: write the value verbatim (no `--set` syntax).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub literal: bool,
}

impl ValuesReference {
    /// A ConfigMap reference.
    pub fn config_map(name: &str) -> Self {
        ValuesReference {
            kind: "ConfigMap".into(),
            name: name.into(),
            ..Default::default()
        }
    }
    /// A Secret reference.
    pub fn secret(name: &str) -> Self {
        ValuesReference {
            kind: "Secret".into(),
            name: name.into(),
            ..Default::default()
        }
    }
    /// With `valuesKey`.
    pub fn key(mut self, key: &str) -> Self {
        self.values_key = key.into();
        self
    }
    /// With `targetPath`.
    pub fn target_path(mut self, path: &str) -> Self {
        self.target_path = path.into();
        self
    }
    /// With `optional: true`.
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
    /// With `literal: true`.
    pub fn literal(mut self) -> Self {
        self.literal = true;
        self
    }
    /// `GetValuesKey`: the key, `values.yaml` when empty.
    pub fn values_key(&self) -> &str {
        if self.values_key.is_empty() {
            "values.yaml"
        } else {
            &self.values_key
        }
    }
}

/// Why a reference failed (`chartutil.ErrValuesRefReason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// `resource not found`.
    ResourceNotFound,
    /// `key not found`.
    KeyNotFound,
    /// `unsupported values reference kind`.
    UnsupportedKind,
    /// `failed to read values data` (YAML).
    DataRead,
    /// `failed to merge value` (targetPath).
    ValueMerge,
}

impl Reason {
    /// The sentinel error text.
    pub fn text(self) -> &'static str {
        match self {
            Reason::ResourceNotFound => "resource not found",
            Reason::KeyNotFound => "key not found",
            Reason::UnsupportedKind => "unsupported values reference kind",
            Reason::DataRead => "failed to read values data",
            Reason::ValueMerge => "failed to merge value",
        }
    }
}

/// A values composition error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// `ErrValuesReference`: a `valuesFrom` entry could not be resolved.
    #[error("{}", reference_text(.reason, .kind, .namespace, .name, .key, *.optional, .cause.as_deref()))]
    Reference {
        /// Why.
        reason: Reason,
        /// The reference's kind.
        kind: String,
        /// The HelmRelease namespace.
        namespace: String,
        /// The object name.
        name: String,
        /// The values key (default applied).
        key: String,
        /// Whether the reference is optional.
        optional: bool,
        /// The wrapped error's text, if any.
        cause: Option<String>,
    },
    /// The HelmRelease (or a ConfigMap/Secret) cannot be read.
    #[error("{0}")]
    BadSpec(String),
    /// A Secret's `data` value is not base64.
    #[error("{0}")]
    SecretData(String),
}

fn reference_text(
    reason: &Reason,
    kind: &str,
    namespace: &str,
    name: &str,
    key: &str,
    optional: bool,
    cause: Option<&str>,
) -> String {
    let mut b = String::from("could not resolve");
    if optional {
        b.push_str(" optional");
    }
    if !kind.is_empty() {
        b.push(' ');
        b.push_str(kind);
    }
    b.push_str(" chart values reference");
    // types.NamespacedName.String() is "ns/name", never empty here.
    b.push_str(&format!(" '{namespace}/{name}'"));
    if !key.is_empty() {
        b.push_str(&format!(" with key '{key}'"));
    }
    b.push_str(": ");
    b.push_str(cause.unwrap_or(reason.text()));
    b
}

impl Error {
    /// The stable diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Reference { reason, .. } => match reason {
                Reason::ResourceNotFound => "values.not_found",
                Reason::KeyNotFound => "values.key_not_found",
                Reason::UnsupportedKind => "values.unsupported_kind",
                Reason::DataRead => "values.read",
                Reason::ValueMerge => "values.target_path",
            },
            Error::BadSpec(_) => "values.bad_spec",
            Error::SecretData(_) => "values.secret_data",
        }
    }
}

/// Reads a values document as Helm's `common.ReadValues` does
/// (`sigs.k8s.io/yaml.Unmarshal` into a map: YAML 1.1, the first document, every
/// number a float64, an empty or `null` document is `{}`).
///
/// # Errors
///
/// The YAML error text, or Go's `json: cannot unmarshal <type> into Go value of
/// type common.Values` for a document that is not a map.
pub fn read_values(data: &str) -> Result<MapRef, String> {
    if data.is_empty() {
        return Ok(Val::new_map());
    }
    // Plain block mappings (most values files) skip the full loader and the
    // Node -> JSON -> value conversions; the fast path declines anything else.
    if let Some(m) = fastyaml::read(data) {
        return Ok(m);
    }
    read_values_full(data)
}

/// [`read_values`] through the full YAML loader only.
fn read_values_full(data: &str) -> Result<MapRef, String> {
    if data.is_empty() {
        return Ok(Val::new_map());
    }
    let (docs, diags) = yaml::parse_documents(data, &LoadOptions::default());
    if let Some(d) = diags.iter().find(|d| {
        d.severity == crate::Severity::Error
            && d.code != "yaml.duplicate_key"
            && d.location.document == 0
    }) {
        return Err(format!("error converting YAML to JSON: {}", d.message));
    }
    let root = docs
        .first()
        .and_then(|d| d.root.as_ref())
        .map(|n| n.to_json());
    let what = match root {
        None | Some(Value::Null) => return Ok(Val::new_map()),
        Some(Value::Object(m)) => {
            return Ok(match Val::from_json(&Value::Object(m)) {
                Val::Map(m) => m,
                _ => Val::new_map(),
            })
        }
        Some(Value::String(_)) => "string",
        Some(Value::Bool(_)) => "bool",
        Some(Value::Number(_)) => "number",
        Some(Value::Array(_)) => "array",
    };
    Err(format!(
        "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal {what} into Go value of type common.Values"
    ))
}

/// `ReplacePathValue`: writes `value` at `path` with the `--set` parser; a value
/// quoted with `'` or `"` at both ends loses every leading and trailing quote
/// and stays a string.
///
/// # Errors
///
/// The parser's error.
pub fn replace_path_value(
    values: &MapRef,
    path: &str,
    value: &str,
) -> Result<(), strvals::ParseError> {
    let single = value.starts_with('\'') && value.ends_with('\'');
    let double = value.starts_with('"') && value.ends_with('"');
    if single || double {
        let v = value.trim_matches(['\'', '"']);
        return strvals::parse_into_string(&format!("{path}={v}"), values);
    }
    strvals::parse_into(&format!("{path}={value}"), values)
}

/// `ReplacePathLiteralValue`: writes `value` verbatim at `path` (`\.` still works in the path).
///
/// # Errors
///
/// The parser's error (from the path only).
pub fn replace_path_literal_value(
    values: &MapRef,
    path: &str,
    value: &str,
) -> Result<(), strvals::ParseError> {
    let mut escaped = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if matches!(c, '\\' | ',' | '[' | ']' | '{' | '}') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    strvals::parse_into_string(&format!("{path}={escaped}"), values)
}

/// What one `valuesFrom` entry contributed (for [`explain`]).
#[derive(Debug, Clone)]
pub enum Layer {
    /// Entry skipped: optional and the object or key is missing.
    Skipped,
    /// A YAML map merged into the result.
    Merged(MapRef),
    /// A raw value written at the targetPath.
    Path(String),
}

/// [`compose`] with what each entry contributed.
#[derive(Debug, Clone)]
pub struct Composition {
    /// The values.
    pub values: Values,
    /// One per `valuesFrom` entry, in order.
    pub layers: Vec<Layer>,
}

/// `ChartValuesFromReferences(namespace, inline, refs)` over the objects in `store`.
///
/// `inline` is `spec.values` as JSON; anything but an object counts as no values
/// (helm-controller ignores its unmarshal error).
///
/// # Errors
///
/// [`Error::Reference`] with chartutil's text.
pub fn compose(
    namespace: &str,
    inline: Option<&Value>,
    refs: &[ValuesReference],
    store: &ObjectStore,
) -> Result<Values, Error> {
    compose_detailed(namespace, inline, refs, store).map(|c| c.values)
}

/// [`compose`], keeping each entry's contribution.
///
/// # Errors
///
/// As [`compose`].
pub fn compose_detailed(
    namespace: &str,
    inline: Option<&Value>,
    refs: &[ValuesReference],
    store: &ObjectStore,
) -> Result<Composition, Error> {
    let inline = match inline.map(Val::from_json) {
        Some(Val::Map(m)) => Some(m),
        _ => None,
    };
    let mut result = Val::new_map();
    let mut layers = Vec::with_capacity(refs.len());
    // Fetched objects (kind+ns/name), None when not found.
    let mut seen: HashMap<(String, String), bool> = HashMap::new();
    for r in refs {
        let err = |reason: Reason, cause: Option<String>| Error::Reference {
            reason,
            kind: r.kind.clone(),
            namespace: namespace.to_string(),
            name: r.name.clone(),
            key: r.values_key().to_string(),
            optional: r.optional,
            cause,
        };
        let kind = match r.kind.as_str() {
            "ConfigMap" => RefKind::ConfigMap,
            "Secret" => RefKind::Secret,
            _ => return Err(err(Reason::UnsupportedKind, None)),
        };
        let first = !seen.contains_key(&(r.kind.clone(), r.name.clone()));
        let found = store.find(kind, namespace, &r.name);
        let data = match found {
            Found::Present(d) => {
                seen.insert((r.kind.clone(), r.name.clone()), true);
                d
            }
            Found::NotFound | Found::Unknown => {
                seen.insert((r.kind.clone(), r.name.clone()), false);
                if r.optional {
                    layers.push(Layer::Skipped);
                    continue;
                }
                let cause = first.then(|| {
                    let plural = if kind == RefKind::Secret {
                        "secrets"
                    } else {
                        "configmaps"
                    };
                    format!("{plural} \"{}\" not found", r.name)
                });
                return Err(err(Reason::ResourceNotFound, cause));
            }
        };
        let Some(text) = data.get(r.values_key()) else {
            if r.optional {
                layers.push(Layer::Skipped);
                continue;
            }
            return Err(err(Reason::KeyNotFound, None));
        };
        if !r.target_path.is_empty() {
            result = merge_maps_owned(result, inline.as_ref());
            let res = if r.literal {
                replace_path_literal_value(&result, &r.target_path, text)
            } else {
                replace_path_value(&result, &r.target_path, text)
            };
            if let Err(e) = res {
                return Err(err(Reason::ValueMerge, Some(e.0)));
            }
            layers.push(Layer::Path(text.clone()));
            continue;
        }
        let parsed = read_values(text).map_err(|e| err(Reason::DataRead, Some(e)))?;
        result = merge_maps_owned(result, Some(&parsed));
        layers.push(Layer::Merged(parsed));
    }
    let values = merge_maps_owned(result, inline.as_ref());
    Ok(Composition {
        values: Values(values),
        layers,
    })
}

/// A digest algorithm of `opencontainers/go-digest`, as `chartutil.DigestValues`
/// takes it. helm-controller digests `status.lastAttemptedConfigDigest` with its
/// `--snapshot-digest-algo` (default [`DigestAlgorithm::Sha256`]; `sha384`,
/// `sha512` and `blake3` are accepted too), and registers `sha1` so that
/// `VerifyValues` still accepts legacy digests. BLAKE3 is not supported here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// `sha256` (64 hex digits), the canonical one.
    Sha256,
    /// `sha384` (96 hex digits).
    Sha384,
    /// `sha512` (128 hex digits).
    Sha512,
    /// `sha1` (40 hex digits): legacy digests only.
    Sha1,
}

impl DigestAlgorithm {
    /// The algorithm named `name` (`sha256`, `sha384`, `sha512`, `sha1`; exact,
    /// lowercase).
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "sha1" => Some(Self::Sha1),
            "sha256" => Some(Self::Sha256),
            "sha384" => Some(Self::Sha384),
            "sha512" => Some(Self::Sha512),
            _ => None,
        }
    }

    /// The algorithm's name, the prefix of a digest string.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
            Self::Sha1 => "sha1",
        }
    }

    /// The number of hex digits of a digest.
    pub fn hex_len(self) -> usize {
        match self {
            Self::Sha256 => 64,
            Self::Sha384 => 96,
            Self::Sha512 => 128,
            Self::Sha1 => 40,
        }
    }

    fn hex(self, data: &[u8]) -> String {
        match self {
            Self::Sha256 => sha256_hex(data),
            Self::Sha384 => crate::sha512::sha384_hex(data),
            Self::Sha512 => crate::sha512::sha512_hex(data),
            Self::Sha1 => crate::sha1::sha1_hex(data),
        }
    }
}

/// The text `DigestValues` hashes: go-yaml v2 block YAML with keys sorted (byte
/// order) at every level; empty values are the empty text. `None` when the
/// encoder fails (upstream then returns the empty digest `""`).
fn digest_text(values: &Values) -> Option<String> {
    if values.0.borrow().is_empty() {
        return Some(String::new());
    }
    crate::yaml::emit::go_yaml_marshal_sorted(&values.to_json()).ok()
}

/// `DigestValues(sha256, values)`: `sha256:` and the hex SHA-256 of the values
/// written as go-yaml v2 block YAML with keys sorted (byte order) at every level;
/// empty values digest the empty input.
pub fn digest(values: &Values) -> String {
    digest_with(DigestAlgorithm::Sha256, values)
}

/// `DigestValues(algo, values)`: as [`digest`] with another algorithm.
///
/// ```
/// use fluxcd_core::values::{digest_with, DigestAlgorithm, Val, Values};
///
/// let v = Val::from_json(&serde_json::json!({"foo": "bar", "baz": {"cool": "stuff"}}));
/// let Val::Map(m) = v else { unreachable!() };
/// let d = digest_with(DigestAlgorithm::Sha512, &Values(m));
/// assert!(d.starts_with("sha512:b5f9cd4855ca3b08"));
/// ```
pub fn digest_with(algo: DigestAlgorithm, values: &Values) -> String {
    match digest_text(values) {
        Some(text) => format!("{}:{}", algo.name(), algo.hex(text.as_bytes())),
        None => String::new(),
    }
}

/// `VerifyValues(digest, values)`: whether `digest` (`<algorithm>:<hex>`, lowercase
/// hex of the algorithm's length) is the digest of `values`. A malformed digest or
/// an unknown algorithm is `false`.
pub fn verify_values(digest: &str, values: &Values) -> bool {
    let Some((name, hex)) = digest.split_once(':') else {
        return false;
    };
    let Some(algo) = DigestAlgorithm::parse(name) else {
        return false;
    };
    if hex.len() != algo.hex_len() || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return false;
    }
    match digest_text(values) {
        Some(text) => algo.hex(text.as_bytes()) == hex,
        None => false,
    }
}

/// A HelmRelease's values inputs, read from its manifest.
#[derive(Debug, Clone, Default)]
pub struct ReleaseValues {
    /// `metadata.namespace` (empty: `default`).
    pub namespace: String,
    /// `metadata.name`.
    pub name: String,
    /// `spec.values`.
    pub inline: Option<Value>,
    /// `spec.valuesFrom`.
    pub refs: Vec<ValuesReference>,
}

impl ReleaseValues {
    /// Reads a HelmRelease manifest (JSON).
    ///
    /// # Errors
    ///
    /// [`Error::BadSpec`] when it is not a HelmRelease or `valuesFrom` is malformed.
    pub fn from_manifest(v: &Value) -> Result<Self, Error> {
        if v.get("kind").and_then(Value::as_str) != Some("HelmRelease") {
            return Err(Error::BadSpec("not a HelmRelease".to_string()));
        }
        let meta = v.get("metadata");
        let s = |k: &str| {
            meta.and_then(|m| m.get(k))
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let mut namespace = s("namespace");
        if namespace.is_empty() {
            namespace = "default".to_string();
        }
        let spec = v.get("spec");
        let inline = spec.and_then(|s| s.get("values")).cloned();
        let refs = match spec.and_then(|s| s.get("valuesFrom")) {
            None | Some(Value::Null) => Vec::new(),
            Some(r) => serde_json::from_value(r.clone())
                .map_err(|e| Error::BadSpec(format!("spec.valuesFrom: {e}")))?,
        };
        Ok(ReleaseValues {
            namespace,
            name: s("name"),
            inline,
            refs,
        })
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Layer::Skipped => f.write_str("skipped"),
            Layer::Merged(_) => f.write_str("merged"),
            Layer::Path(_) => f.write_str("targetPath"),
        }
    }
}

#[cfg(test)]
mod tests;

//! The facade the language bindings (Python, Node, WASM) call: JSON in, JSON out.
//!
//! Every function here decodes plain data ([`serde_json::Value`] objects with their
//! Kubernetes field names, strings, maps), calls the module that knows the answer, and
//! encodes the result as plain data again. There is no Flux logic in this module: a
//! binding that calls it needs no `if` about Flux semantics either.
//!
//! Every failure is one [`Error`]: the module's stable dotted code (`subst.undefined`,
//! `deps.cycle`, ...), the upstream message where the engine reproduces one, a
//! location when there is one, a [`Category`] the bindings map to their exception
//! classes, and `details` (such as the `cycle` of a dependency cycle).
//!
//! Besides the functions of the user-facing API (`parse`, `parse_resources`, `validate`, `envsubst`,
//! `substitute`, `compose_values`, `explain_values`, `release_name`, `release_names`,
//! `dependency_order`, `graph`, `plan`, `plan_sarif`, `plan_files`, `plan_files_sarif`, `migrate`,
//! `schema`, and natively `fetch`, `archive`, `tar_stream`, `artifact_path`), a few lower-level entry
//! points expose exactly what the conformance vectors of `conformance/` pin
//! (`yaml_to_json`, `json_to_yaml`, `envsubst_bytes`, `envsubst_tree`,
//! `substitute_resource`, `parse_set`, `parse_set_lines`, `replace_path_value`,
//! `merge_values`, `values_digest`, `values_digest_with`, `verify_values`,
//! `compose_release_name`, `shorten_release_name`, `shorten_release_name_bytes`,
//! `is_valid_release_name`, `sort_dependents`, `check_ready_expr`, `semver_parse`,
//! `semver_compare`, `semver_check`, `semver_constraint`), so every binding can
//! run the vectors through its public API.
//!
//! ```
//! use fluxcd_core::embed;
//! use serde_json::json;
//!
//! let objects = embed::parse(
//!     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  replicas: \"${replicas:=2}\"\n",
//!     None,
//! ).unwrap();
//! let ks = json!({
//!     "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
//!     "metadata": {"name": "apps", "namespace": "flux-system"},
//!     "spec": {"postBuild": {"substitute": {"cluster": "prod"}}},
//! });
//! let out = embed::substitute(&objects, &ks, &[], &embed::SubstituteOptions::default()).unwrap();
//! // As in Flux: the resource is re-emitted without the quotes before envsubst runs,
//! // so the value reads back as a number.
//! assert_eq!(out[0]["data"]["replicas"], 2);
//!
//! let err = embed::envsubst("${missing}", &Default::default(), true).unwrap_err();
//! assert_eq!(err.code, "subst.undefined");
//! assert_eq!(err.message, "variable not set (strict mode): \"missing\"");
//! assert_eq!(err.category, embed::Category::Substitution);
//! ```

// The error is built once per failed call and crosses into another language right
// away: its size does not matter, plain fields are easier for the bindings.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::api::FluxObject;
use crate::deps::{self, DependentObject, Kind};
use crate::diagnostic::{Diagnostic, Location};
use crate::manifest::{self, ManifestSet};
use crate::plan::fs::{Disk, FileSystem, MemoryFs};
use crate::postbuild::{self, ObjectStore, Outcome};
use crate::release;
use crate::semver::{Constraints, SemverError, Version};
use crate::subst;
use crate::values::{self, strvals, Val, Values};
use crate::yaml::{self, LoadOptions};

/// What kind of failure an [`Error`] is; the bindings pick their exception class by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Category {
    /// The input is not a readable manifest (YAML, type, schema, API version).
    Manifest,
    /// postBuild substitution failed (envsubst, `substituteFrom`, the result's YAML).
    Substitution,
    /// HelmRelease values composition failed.
    Values,
    /// Objects depend on each other in a cycle.
    DependencyCycle,
    /// No valid Helm release name can be made.
    Release,
    /// A source could not be fetched, or its signature not verified.
    Fetch,
    /// Anything else (a bad argument, an unreadable file).
    Other,
}

impl Category {
    /// The category of a stable code, by its prefix.
    pub fn of(code: &str) -> Category {
        let prefix = code.split('.').next().unwrap_or("");
        match prefix {
            _ if code == "deps.cycle" => Category::DependencyCycle,
            "subst" | "postbuild" => Category::Substitution,
            "values" => Category::Values,
            "release" => Category::Release,
            "fetch" | "git" | "artifact" | "signature" => Category::Fetch,
            "yaml" | "manifest" | "api" | "schema" | "migrate" | "deps" => Category::Manifest,
            _ => Category::Other,
        }
    }
}

/// A failure of a facade function.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Error {
    /// The stable dotted code (see `docs/error-codes.md`).
    pub code: String,
    /// The message: upstream's own text where the engine reproduces it (envsubst,
    /// `SubstituteVariables`, chartutil, `dependency.Sort`, Helm's `--set` parser).
    pub message: String,
    /// Where it happened, when known (lines and columns are 1-based).
    pub location: Option<Location>,
    /// What kind of failure it is.
    pub category: Category,
    /// Structured extras: `cycle` for `deps.cycle`, `controllerMessage` and `resource`
    /// for postBuild failures, `diagnostics` for unreadable YAML; `{}` otherwise.
    pub details: Value,
}

impl Error {
    /// An error with `code` and `message`, its category taken from the code.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Error {
            code: code.to_string(),
            message: message.into(),
            location: None,
            category: Category::of(code),
            details: Value::Object(Map::new()),
        }
    }

    fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    fn with(mut self, key: &str, value: Value) -> Self {
        if let Value::Object(m) = &mut self.details {
            m.insert(key.to_string(), value);
        }
        self
    }

    fn invalid(message: impl Into<String>) -> Self {
        Error::new("embed.invalid_argument", message)
    }

    /// The error as JSON: `{code, message, location, category, details}`.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for Error {}

fn at_position(line: u32, column: u32) -> Location {
    Location {
        line,
        column,
        ..Location::default()
    }
}

impl From<subst::Error> for Error {
    fn from(e: subst::Error) -> Self {
        Error::new(e.code(), e.upstream_message()).at(at_position(e.line(), e.column()))
    }
}

impl From<postbuild::Error> for Error {
    fn from(e: postbuild::Error) -> Self {
        let err = Error::new(e.code(), e.to_string());
        match &e {
            postbuild::Error::Yaml { line, column, .. } => err.at(at_position(*line, *column)),
            postbuild::Error::Subst(s) => err.at(at_position(s.line(), s.column())),
            _ => err,
        }
    }
}

impl From<values::Error> for Error {
    fn from(e: values::Error) -> Self {
        Error::new(e.code(), e.to_string())
    }
}

impl From<release::ReleaseError> for Error {
    fn from(e: release::ReleaseError) -> Self {
        Error::new(e.code(), e.to_string())
    }
}

impl From<crate::image::policy::PolicyError> for Error {
    fn from(e: crate::image::policy::PolicyError) -> Self {
        Error::new(e.code(), e.to_string())
    }
}

impl From<SemverError> for Error {
    fn from(e: SemverError) -> Self {
        Error::new(e.code(), e.to_string())
    }
}

impl From<deps::Error> for Error {
    fn from(e: deps::Error) -> Self {
        let err = Error::new(e.code(), e.to_string());
        match &e {
            deps::Error::Cycle { path } | deps::Error::CycleGroup { cycle: path, .. } => {
                let cycle: Vec<String> = path.iter().map(ToString::to_string).collect();
                err.with("cycle", json!(cycle))
            }
            _ => err,
        }
    }
}

impl From<crate::api::TypeError> for Error {
    fn from(e: crate::api::TypeError) -> Self {
        Error::new(e.code(), e.to_string())
    }
}

impl From<yaml::EmitError> for Error {
    fn from(e: yaml::EmitError) -> Self {
        Error::new("yaml.emit", e.to_string())
    }
}

impl From<strvals::ParseError> for Error {
    fn from(e: strvals::ParseError) -> Self {
        Error::new("values.strvals", e.to_string())
    }
}

impl From<&Diagnostic> for Error {
    fn from(d: &Diagnostic) -> Self {
        Error::new(&d.code, d.message.clone()).at(d.location.clone())
    }
}

fn yaml_error(diagnostics: &[&Diagnostic]) -> Option<Error> {
    let first = diagnostics.first()?;
    let all: Vec<Value> = diagnostics
        .iter()
        .map(|d| serde_json::to_value(d).unwrap_or(Value::Null))
        .collect();
    Some(Error::from(*first).with("diagnostics", Value::Array(all)))
}

// ---------------------------------------------------------------------------
// Manifests
// ---------------------------------------------------------------------------

/// Reads YAML text as the Kubernetes API server reads manifests, and returns every
/// document that is a mapping, as JSON with its keys exactly as written (camelCase).
/// Empty documents, lists and scalars are skipped. `file` names the text in locations.
///
/// Only unreadable YAML is an error (`yaml.*`, such as `yaml.syntax` or
/// `yaml.duplicate_key`); schema problems are [`validate`]'s business.
///
/// # Errors
///
/// The first YAML error, with its location; `details.diagnostics` lists them all.
pub fn parse(text: &str, file: Option<&str>) -> Result<Vec<Value>, Error> {
    let (docs, diags) = yaml::parse_documents(text, &LoadOptions::default());
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    if let Some(mut err) = yaml_error(&errors) {
        if let Some(loc) = &mut err.location {
            loc.file = file.map(String::from);
        }
        return Err(err);
    }
    Ok(docs
        .into_iter()
        .filter_map(|d| d.root.map(|n| n.to_json()))
        .filter(Value::is_object)
        .collect())
}

/// Reads YAML text as `kustomize build` reads resources (kyaml: the YAML 1.2 core
/// schema, so `yes` stays a string), keeps the documents that are mappings and
/// replaces every `List` by its items: the objects kustomize-controller's postBuild
/// pipeline receives (the input of [`substitute`]). `file` names the text in
/// locations.
///
/// # Errors
///
/// The first YAML error, with its location; `details.diagnostics` lists them all.
pub fn parse_resources(text: &str, file: Option<&str>) -> Result<Vec<Value>, Error> {
    let opts = LoadOptions {
        schema: yaml::Schema::Kustomize,
        ..LoadOptions::default()
    };
    let (docs, diags) = yaml::parse_documents(text, &opts);
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    if let Some(mut err) = yaml_error(&errors) {
        if let Some(loc) = &mut err.location {
            loc.file = file.map(String::from);
        }
        return Err(err);
    }
    Ok(postbuild::expand_lists(
        docs.into_iter()
            .filter_map(|d| d.root.map(|n| n.to_json()))
            .filter(Value::is_object)
            .collect(),
    ))
}

/// Every diagnostic of YAML text (YAML, API versions, CRD schemas, CEL rules), as
/// `fluxcd-core validate` reports them. `file` names the text in locations.
pub fn validate(text: &str, file: Option<&str>) -> Vec<Diagnostic> {
    manifest::load_str(text, file).diagnostics
}

/// [`validate`] for objects already parsed: each is written as YAML (as
/// `sigs.k8s.io/yaml` writes it, keys sorted) and the documents are validated in
/// order, so `document` in a location is the index of the object and lines count in
/// the object's YAML form.
///
/// # Errors
///
/// `yaml.emit` when an object has no YAML form (see [`json_to_yaml`]).
pub fn validate_objects(objects: &[Value]) -> Result<Vec<Diagnostic>, Error> {
    Ok(load_objects(objects)?.diagnostics)
}

fn load_objects(objects: &[Value]) -> Result<ManifestSet, Error> {
    let mut text = String::new();
    for (i, o) in objects.iter().enumerate() {
        if i > 0 {
            text.push_str("---\n");
        }
        text.push_str(&yaml::emit::json_to_yaml(o)?);
    }
    Ok(manifest::load_str(&text, None))
}

/// Reads YAML text into one JSON value per document (`null` for an empty document),
/// with the scalar rules of `schema`: `"kubernetes"` reads as `sigs.k8s.io/yaml`'s
/// `YAMLToJSON` does (YAML 1.1, duplicate keys accepted, the last one winning),
/// `"kustomize"` as kustomize's kyaml reads a resource (YAML 1.2 core schema,
/// duplicate keys rejected).
///
/// # Errors
///
/// `embed.invalid_argument` for another schema name; the first YAML error otherwise
/// (`details.diagnostics` lists them all).
pub fn yaml_to_json(text: &str, schema: &str) -> Result<Vec<Value>, Error> {
    let schema = match schema {
        "kubernetes" => yaml::Schema::Kubernetes,
        "kustomize" => yaml::Schema::Kustomize,
        other => {
            return Err(Error::invalid(format!(
                "unknown YAML schema {other:?}: expected \"kubernetes\" or \"kustomize\""
            )))
        }
    };
    let opts = LoadOptions {
        schema,
        ..LoadOptions::default()
    };
    let (docs, diags) = yaml::parse_documents(text, &opts);
    let errors: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| {
            d.is_error() && !(schema == yaml::Schema::Kubernetes && d.code == "yaml.duplicate_key")
        })
        .collect();
    if let Some(err) = yaml_error(&errors) {
        return Err(err);
    }
    Ok(docs
        .into_iter()
        .map(|d| d.root.map_or(Value::Null, |n| n.to_json()))
        .collect())
}

/// Writes a JSON value as YAML exactly as `sigs.k8s.io/yaml`'s `JSONToYAML` does
/// (keys sorted, go-yaml v2 quoting and folding); the text ends with a line break.
///
/// # Errors
///
/// `yaml.emit` for a value go-yaml cannot write (too deep, some control characters).
pub fn json_to_yaml(value: &Value) -> Result<String, Error> {
    Ok(yaml::emit::json_to_yaml(value)?)
}

/// Rewrites the `apiVersion` of every Flux object on a removed version to the served
/// one. Returns `{text, changes: [{line, column, kind, from, to}], warnings:
/// [Diagnostic]}`; `text` is byte-identical to the input when nothing changed.
pub fn migrate(text: &str) -> Value {
    let r = crate::migrate::migrate(text);
    json!({
        "text": r.text,
        "changes": r.changes.iter().map(|c| json!({
            "line": c.line, "column": c.column, "kind": c.kind, "from": c.from, "to": c.to,
        })).collect::<Vec<_>>(),
        "warnings": r.warnings,
    })
}

/// The JSON Schema (draft 2020-12) of one Flux kind (`HelmRelease`, case-insensitive),
/// or with `None` the combined schema that accepts any Flux object.
///
/// # Errors
///
/// `embed.unknown_kind` for a kind Flux does not serve.
pub fn schema(kind: Option<&str>) -> Result<Value, Error> {
    match kind {
        None => Ok(crate::schema::combined_schema()),
        Some(k) => crate::schema::kind_schema(k).ok_or_else(|| {
            let known: Vec<&str> = crate::schema::all_schemas()
                .into_iter()
                .map(|(k, _)| k)
                .collect();
            Error::new(
                "embed.unknown_kind",
                format!("unknown Flux kind {k:?}; known kinds: {}", known.join(", ")),
            )
        }),
    }
}

// ---------------------------------------------------------------------------
// Substitution
// ---------------------------------------------------------------------------

/// Flux's envsubst (fluxcd/pkg/envsubst) on `text` with `vars`; `strict` fails on a
/// variable that is not set and has no default, as Flux 2.9 does by default.
///
/// # Errors
///
/// The `subst.*` error with envsubst's message and the line and column of the
/// expression.
pub fn envsubst(
    text: &str,
    vars: &BTreeMap<String, String>,
    strict: bool,
) -> Result<String, Error> {
    Ok(subst::envsubst(text, vars, subst::Options::strict(strict))?)
}

/// [`envsubst`] returning bytes: byte-based substrings and pattern removals can cut a
/// multi-byte character in two, as Flux's do; [`envsubst`] fails with
/// `subst.invalid_utf8` there.
///
/// # Errors
///
/// As [`envsubst`], except `subst.invalid_utf8`.
pub fn envsubst_bytes(
    text: &str,
    vars: &BTreeMap<String, String>,
    strict: bool,
) -> Result<Vec<u8>, Error> {
    Ok(subst::envsubst_bytes(
        text,
        vars,
        subst::Options::strict(strict),
    )?)
}

/// The parse tree envsubst builds of `text`: a list of `{"text": ...}` and `{"param":
/// name, "name": operator, "args": [...]}` nodes (the shape of fluxcd/pkg/envsubst's
/// `parse.Tree`, as the conformance vectors record it).
///
/// # Errors
///
/// The `subst.*` parse error.
pub fn envsubst_tree(text: &str) -> Result<Value, Error> {
    fn node(t: &subst::Template, id: subst::NodeId) -> Value {
        match t.node(id) {
            subst::Node::Text(x) => json!({ "text": x.value }),
            subst::Node::Expr(e) => json!({
                "param": e.name,
                "name": e.op,
                "args": e.args.iter().map(|&a| node(t, a)).collect::<Vec<_>>(),
            }),
        }
    }
    let t = subst::parse(text)?;
    Ok(Value::Array(
        t.root().iter().map(|&id| node(&t, id)).collect(),
    ))
}

/// Options of [`substitute`] and [`substitute_resource`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SubstituteOptions {
    /// Strict mode on or off; `None` is Flux 2.9's default (strict).
    pub strict: Option<bool>,
    /// `flux build ks --dry-run`: `substituteFrom` objects are not read.
    pub dry_run: bool,
}

impl SubstituteOptions {
    fn postbuild(&self) -> postbuild::Options {
        postbuild::Options {
            strict: self.strict,
            dry_run: self.dry_run,
            ..postbuild::Options::default()
        }
    }
}

fn var_store(resources: &[Value], default_namespace: &str) -> Result<ObjectStore, Error> {
    let mut store = ObjectStore::new();
    for r in resources {
        store.insert_manifest(r, default_namespace)?;
    }
    Ok(store)
}

fn postbuild_error(e: postbuild::Error, resource: &Value) -> Error {
    let controller = e.controller_message(resource);
    let id = |p: &str| resource.pointer(p).and_then(Value::as_str).unwrap_or("");
    Error::from(e)
        .with("controllerMessage", Value::String(controller))
        .with(
            "resource",
            json!({"kind": id("/kind"), "namespace": id("/metadata/namespace"), "name": id("/metadata/name")}),
        )
}

/// kustomize-controller's whole postBuild pipeline for the Kustomization
/// `kustomization` on each of `objects` (the resources as `kustomize build` produced
/// them): re-emit as YAML, envsubst with `spec.postBuild.substitute` and the
/// `substituteFrom` ConfigMaps and Secrets found in `resources` (a missing namespace
/// means `default`), read back. Returns the objects as the controller applies them.
///
/// # Errors
///
/// The first failure with Flux's message; `details.controllerMessage` is the text of
/// the Kustomization's Ready condition and `details.resource` the failing object.
pub fn substitute(
    objects: &[Value],
    kustomization: &Value,
    resources: &[Value],
    options: &SubstituteOptions,
) -> Result<Vec<Value>, Error> {
    let ks = postbuild::Kustomization::from_value(kustomization)?;
    let store = var_store(resources, "default")?;
    let opts = options.postbuild();
    let pipeline = postbuild::Pipeline::new(&ks, &store, &opts).provenance(false);
    let mut out = Vec::with_capacity(objects.len());
    for o in objects {
        match pipeline.substitute(o) {
            Ok(s) => out.push(match s.outcome {
                Outcome::Substituted(v) => v,
                _ => o.clone(),
            }),
            Err(e) => return Err(postbuild_error(e, o)),
        }
    }
    Ok(out)
}

/// [`substitute`] on one resource, with what happened: `{"outcome": "substituted" |
/// "unchanged" | "disabled", "object": the resource as applied, "emitted": the YAML
/// text envsubst ran on ("" when postBuild is absent)}`.
///
/// # Errors
///
/// As [`substitute`].
pub fn substitute_resource(
    resource: &Value,
    kustomization: &Value,
    resources: &[Value],
    options: &SubstituteOptions,
) -> Result<Value, Error> {
    let ks = postbuild::Kustomization::from_value(kustomization)?;
    let store = var_store(resources, "default")?;
    let s = postbuild::Pipeline::new(&ks, &store, &options.postbuild())
        .provenance(false)
        .substitute(resource)
        .map_err(|e| postbuild_error(e, resource))?;
    let (outcome, object) = match s.outcome {
        Outcome::Substituted(v) => ("substituted", v),
        Outcome::Unchanged => ("unchanged", resource.clone()),
        Outcome::Disabled => ("disabled", resource.clone()),
    };
    Ok(json!({"outcome": outcome, "object": object, "emitted": s.emitted}))
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

fn release_values(
    helmrelease: &Value,
    resources: &[Value],
) -> Result<(values::ReleaseValues, values::Composition), Error> {
    let release = values::ReleaseValues::from_manifest(helmrelease)?;
    let store = var_store(resources, &release.namespace)?;
    let composition = values::compose_detailed(
        &release.namespace,
        release.inline.as_ref(),
        &release.refs,
        &store,
    )?;
    Ok((release, composition))
}

/// The values helm-controller passes to Helm for a HelmRelease: `spec.valuesFrom` in
/// order, then `spec.values`, with the ConfigMaps and Secrets of `resources` (a
/// missing namespace means the HelmRelease's).
///
/// # Errors
///
/// `values.*` with chartutil's message (`could not resolve ConfigMap chart values
/// reference ...`).
pub fn compose_values(helmrelease: &Value, resources: &[Value]) -> Result<Value, Error> {
    Ok(release_values(helmrelease, resources)?.1.values.to_json())
}

/// Where each leaf of [`compose_values`] comes from: `{"leaves": [{path, value,
/// source, shadowed}], "diagnostics": [...]}` (Secret values redacted).
///
/// # Errors
///
/// As [`compose_values`].
pub fn explain_values(helmrelease: &Value, resources: &[Value]) -> Result<Value, Error> {
    let (release, composition) = release_values(helmrelease, resources)?;
    let ex = values::explain::explain(
        &release.namespace,
        release.inline.as_ref(),
        &release.refs,
        &composition,
    );
    serde_json::to_value(&ex).map_err(|e| Error::new("embed.internal", e.to_string()))
}

fn map_of(v: Option<&Value>) -> values::MapRef {
    match v.map(Val::from_json) {
        Some(Val::Map(m)) => m,
        _ => Val::new_map(),
    }
}

/// Helm's `--set` parser (strvals): writes `set` (`a.b=1,c[0]=x`) into `dest` (an
/// object; anything else counts as `{}`) and returns the result. With `string`, as
/// `--set-string` (every value a string).
///
/// # Errors
///
/// `values.strvals` with Helm's message.
pub fn parse_set(set: &str, dest: Option<&Value>, string: bool) -> Result<Value, Error> {
    let dest = map_of(dest);
    if string {
        strvals::parse_into_string(set, &dest)?;
    } else {
        strvals::parse_into(set, &dest)?;
    }
    Ok(Val::Map(dest).to_json())
}

/// [`parse_set`] for several lines in order, each written into the result of the
/// previous ones (as `helm --set a=1 --set b=2` does, or Go calling `ParseInto`
/// twice on one map). With `dest` `None` the first line starts from `{}`: the same as
/// strvals' `Parse` (`ParseString` with `string`).
///
/// ```
/// use fluxcd_core::embed;
/// use serde_json::json;
///
/// let v = embed::parse_set_lines(&["a.b=1", "a.c=x,a.b=2"], None, false).unwrap();
/// assert_eq!(v, json!({"a": {"b": 2, "c": "x"}}));
/// ```
///
/// # Errors
///
/// `values.strvals` with Helm's message, for the first line that fails (later
/// lines are not read).
pub fn parse_set_lines(lines: &[&str], dest: Option<&Value>, string: bool) -> Result<Value, Error> {
    let dest = map_of(dest);
    for line in lines {
        if string {
            strvals::parse_into_string(line, &dest)?;
        } else {
            strvals::parse_into(line, &dest)?;
        }
    }
    Ok(Val::Map(dest).to_json())
}

/// chartutil's `ReplacePathValue` (`literal` false) or `ReplacePathLiteralValue`
/// (`literal` true): writes `value` at the `--set` path `path` of `dest` (an object;
/// anything else counts as `{}`) and returns the result. Not literal, the value is
/// read as `--set` reads it, except that a value quoted with `'` or `"` at both ends
/// loses its quotes and stays a string; literal, it is written verbatim as a string.
///
/// ```
/// use fluxcd_core::embed;
/// use serde_json::json;
///
/// let dest = json!({"image": {"tag": "1.0"}});
/// let v = embed::replace_path_value(Some(&dest), "image.tag", "2", false).unwrap();
/// assert_eq!(v, json!({"image": {"tag": 2}}));
/// let v = embed::replace_path_value(Some(&dest), "image.tag", "a,b", true).unwrap();
/// assert_eq!(v, json!({"image": {"tag": "a,b"}}));
/// ```
///
/// # Errors
///
/// `values.strvals` with Helm's message (literal: from the path only).
pub fn replace_path_value(
    dest: Option<&Value>,
    path: &str,
    value: &str,
    literal: bool,
) -> Result<Value, Error> {
    let dest = map_of(dest);
    if literal {
        values::replace_path_literal_value(&dest, path, value)?;
    } else {
        values::replace_path_value(&dest, path, value)?;
    }
    Ok(Val::Map(dest).to_json())
}

/// chartutil's `MergeMaps(a, b)`: `b` over `a`, maps merged recursively. `None`
/// stands for a nil map; a value that is not an object counts as `{}`.
pub fn merge_values(a: Option<&Value>, b: Option<&Value>) -> Value {
    let a = a.map(|v| map_of(Some(v)));
    let b = b.map(|v| map_of(Some(v)));
    Val::Map(values::merge_maps(a.as_ref(), b.as_ref())).to_json()
}

/// The digest helm-controller records for values (`sha256:<hex>` of their JSON
/// text as Go writes it); a value that is not an object counts as `{}`.
pub fn values_digest(values: &Value) -> String {
    values::digest(&Values(map_of(Some(values))))
}

/// chartutil's `DigestValues(algorithm, values)`: [`values_digest`] with the
/// algorithm helm-controller's `--snapshot-digest-algo` names: `sha256`, `sha384`,
/// `sha512`, or `sha1` (legacy digests). The digest is `<algorithm>:<hex>`.
///
/// ```
/// use fluxcd_core::embed;
/// use serde_json::json;
///
/// let d = embed::values_digest_with(&json!({"a": 1}), "sha512").unwrap();
/// assert!(d.starts_with("sha512:") && d.len() == "sha512:".len() + 128);
/// assert_eq!(embed::values_digest_with(&json!({"a": 1}), "sha256").unwrap(),
///            embed::values_digest(&json!({"a": 1})));
/// ```
///
/// # Errors
///
/// `embed.invalid_argument` for another algorithm name (`blake3` is not supported).
pub fn values_digest_with(values: &Value, algorithm: &str) -> Result<String, Error> {
    let algo = values::DigestAlgorithm::parse(algorithm).ok_or_else(|| {
        Error::invalid(format!(
            "unknown digest algorithm {algorithm:?}: expected \"sha256\", \"sha384\", \"sha512\" or \"sha1\""
        ))
    })?;
    Ok(values::digest_with(algo, &Values(map_of(Some(values)))))
}

/// chartutil's `VerifyValues(digest, values)`: whether `digest`
/// (`<algorithm>:<hex>`, as [`values_digest_with`] writes it) is the digest of
/// `values` (a value that is not an object counts as `{}`). A malformed digest or an
/// unknown algorithm is `false`, not an error.
///
/// ```
/// use fluxcd_core::embed;
/// use serde_json::json;
///
/// let v = json!({"a": 1});
/// assert!(embed::verify_values(&embed::values_digest(&v), &v));
/// assert!(!embed::verify_values("sha256:00", &v));
/// ```
pub fn verify_values(digest: &str, values: &Value) -> bool {
    values::verify_values(digest, &Values(map_of(Some(values))))
}

// ---------------------------------------------------------------------------
// Releases
// ---------------------------------------------------------------------------

fn helmrelease(hr: &Value) -> Result<crate::api::helm::HelmRelease, Error> {
    match FluxObject::from_value(hr)? {
        Some(FluxObject::HelmRelease(hr)) => Ok(hr),
        _ => Err(Error::invalid(format!(
            "not a helm.toolkit.fluxcd.io/v2 HelmRelease (apiVersion {:?}, kind {:?})",
            hr.get("apiVersion").and_then(Value::as_str).unwrap_or(""),
            hr.get("kind").and_then(Value::as_str).unwrap_or("")
        ))),
    }
}

/// The Helm release name helm-controller uses for a HelmRelease (`spec.releaseName`,
/// else `<targetNamespace>-<name>`, shortened past 53 bytes). A HelmRelease without
/// namespace is taken to be in `default`.
///
/// # Errors
///
/// `release.*` when Helm would reject the name; `api.type_mismatch` or
/// `embed.invalid_argument` when `hr` is not a readable HelmRelease.
pub fn release_name(hr: &Value) -> Result<String, Error> {
    Ok(release::resolve(&helmrelease(hr)?, release::CHECK_DEFAULT_NAMESPACE)?.release_name)
}

/// [`release_name`] with the namespaces and the generated HelmChart:
/// `{releaseName, releaseNamespace, storageNamespace, helmChart ("namespace/name",
/// null with chartRef), composedName, shortened}`.
///
/// # Errors
///
/// As [`release_name`].
pub fn release_names(hr: &Value) -> Result<Value, Error> {
    let info = release::resolve(&helmrelease(hr)?, release::CHECK_DEFAULT_NAMESPACE)?;
    Ok(json!({
        "releaseName": info.release_name,
        "releaseNamespace": info.release_namespace,
        "storageNamespace": info.storage_namespace,
        "helmChart": info.helm_chart.as_ref().map(ToString::to_string),
        "composedName": info.composed_name,
        "shortened": info.shortened,
    }))
}

/// The release name before shortening: `release_name` if set, else
/// `<target_namespace>-<name>` if that is set, else `name` (empty strings count as
/// unset).
pub fn compose_release_name(
    name: &str,
    target_namespace: Option<&str>,
    release_name: Option<&str>,
) -> String {
    release::compose_name(name, target_namespace, release_name)
}

/// helm-controller's `ShortenName`: names over 53 bytes become their first 40 bytes,
/// `-` and 12 hex digits of their SHA-256.
///
/// # Errors
///
/// `release.split_character` when the cut falls inside a multi-byte character (see
/// [`shorten_release_name_bytes`] for the bytes Go produces).
pub fn shorten_release_name(name: &str) -> Result<String, Error> {
    Ok(release::shorten_name(name)?)
}

/// [`shorten_release_name`] on bytes, exactly as Go does even when the cut splits a
/// character.
pub fn shorten_release_name_bytes(name: &[u8]) -> Vec<u8> {
    release::shorten_name_bytes(name)
}

/// Whether Helm v4 accepts a release name.
pub fn is_valid_release_name(name: &str) -> bool {
    release::is_valid_release_name(name)
}

// ---------------------------------------------------------------------------
// Semantic versions (Masterminds/semver v3.5.0)
// ---------------------------------------------------------------------------

/// Reads a version as Masterminds/semver's `NewVersion` does: an object with `string`
/// (the normalised `major.minor.patch-pre+meta` form), `major`, `minor`, `patch`,
/// `prerelease`, `metadata` and `original`.
///
/// # Errors
///
/// `semver.invalid_version` with the library's text (`invalid semantic version`, ...).
pub fn semver_parse(version: &str) -> Result<Value, Error> {
    let v = Version::parse(version)?;
    Ok(json!({
        "string": v.to_string(),
        "major": v.major(),
        "minor": v.minor(),
        "patch": v.patch(),
        "prerelease": v.prerelease(),
        "metadata": v.metadata(),
        "original": v.original(),
    }))
}

/// Masterminds' `Compare`: -1, 0 or 1 (build metadata ignored).
///
/// # Errors
///
/// `semver.invalid_version` for the first version that cannot be read.
pub fn semver_compare(a: &str, b: &str) -> Result<i32, Error> {
    let (a, b) = (Version::parse(a)?, Version::parse(b)?);
    Ok(a.compare(&b) as i32)
}

/// Whether `version` satisfies the Masterminds constraint `constraint` (`Check`,
/// pre-releases only when the matching group asks for one).
///
/// # Errors
///
/// `semver.invalid_constraint` (checked first) or `semver.invalid_version`, with the
/// library's text.
pub fn semver_check(constraint: &str, version: &str) -> Result<bool, Error> {
    let c = Constraints::parse(constraint)?;
    Ok(c.check(&Version::parse(version)?))
}

/// The constraint as the library prints it back (`String()`): each comparison as
/// operator + version text, groups joined by ` || `.
///
/// # Errors
///
/// `semver.invalid_constraint` with the library's text.
pub fn semver_constraint(constraint: &str) -> Result<String, Error> {
    Ok(Constraints::parse(constraint)?.to_string())
}

// ---------------------------------------------------------------------------
// Image automation
// ---------------------------------------------------------------------------

/// The tag an ImagePolicy (as JSON) selects from `tags`, as image-reflector-controller
/// v1.2 computes it: `{tag, candidates, dropped, ambiguous?}` (`ambiguous` lists the
/// tags upstream's map order could pick instead, when there are several).
///
/// # Errors
///
/// `imagepolicy.*` with the controller's message (`version list argument cannot be
/// empty`, `invalid policy: ...`, ...).
pub fn image_policy(policy: &Value, tags: &[String]) -> Result<Value, Error> {
    if !policy.is_object() {
        return Err(Error::invalid("policy: an ImagePolicy object is required"));
    }
    let s = crate::image::policy::select(policy, tags)?;
    Ok(serde_json::to_value(s).unwrap_or(Value::Null))
}

/// What the ImageUpdateAutomations of the checkout at `path` would change for
/// `selections` (`"namespace:name"` of an ImagePolicy → `TAG` or `TAG@DIGEST`):
/// `{files: [{file, original, content, changes: [{line, setter, old, new}], diff}],
/// markers, diagnostics, messages: [{automation, message}]}` (the commit message each
/// automation would write). Nothing is written.
///
/// # Errors
///
/// `imageupdate.invalid_select` for a key that is not `namespace:name`; `io.read`
/// when the checkout cannot be listed.
pub fn image_update(path: &Path, selections: &BTreeMap<String, String>) -> Result<Value, Error> {
    let sel = image_selections(selections)?;
    let report = crate::image::update::update_tree(path, &sel)
        .map_err(|e| Error::new("io.read", format!("{}: {e}", path.display())))?;
    Ok(image_update_json(&report))
}

/// [`image_update`] over the files of a checkout held in memory (each file's
/// path relative to the checkout root, `/` between names, to its text), as
/// [`plan_files`] takes them: only `.yaml` / `.yml` files are read.
///
/// # Errors
///
/// `imageupdate.invalid_select` for a key that is not `namespace:name`.
pub fn image_update_files(
    files: &BTreeMap<String, String>,
    selections: &BTreeMap<String, String>,
) -> Result<Value, Error> {
    let sel = image_selections(selections)?;
    let root = Path::new("/");
    let contents = files
        .iter()
        .filter(|(k, _)| k.ends_with(".yaml") || k.ends_with(".yml"))
        .map(|(k, v)| (root.join(k.trim_start_matches('/')), v.clone().into_bytes()))
        .collect();
    let report = crate::image::update::update_files(root, contents, &sel);
    Ok(image_update_json(&report))
}

fn image_selections(
    selections: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, crate::image::update::Selected>, Error> {
    use crate::image::update::Selected;
    let mut sel = BTreeMap::new();
    for (k, v) in selections {
        let parts: Vec<&str> = k.split(':').collect();
        if parts.len() != 2 || parts.iter().any(|p| p.is_empty()) || v.is_empty() {
            return Err(Error::new(
                "imageupdate.invalid_select",
                format!("selection {k:?}={v:?}: expected namespace:name=TAG[@DIGEST]"),
            ));
        }
        sel.insert(k.clone(), Selected::parse(v));
    }
    Ok(sel)
}

fn image_update_json(report: &crate::image::update::UpdateReport) -> Value {
    use crate::image::update::diff;
    let files: Vec<Value> = report
        .files
        .iter()
        .map(|f| {
            let mut v = serde_json::to_value(f).unwrap_or(Value::Null);
            v["diff"] = json!(diff(f));
            v
        })
        .collect();
    json!({
        "files": files,
        "markers": report.markers,
        "diagnostics": report.diagnostics,
        "messages": report.messages,
    })
}

// ---------------------------------------------------------------------------
// Dependencies
// ---------------------------------------------------------------------------

/// Flux's `dependency.Sort` of the Kustomizations among `objects`, then of the
/// HelmReleases (each kind depends only on its own kind), as `namespace/name`.
///
/// # Errors
///
/// `deps.cycle` with Flux's `circular dependency detected: a -> b -> a` and
/// `details.cycle` (the path, its first and last entries equal).
pub fn dependency_order(objects: &[Value]) -> Result<Vec<String>, Error> {
    let set = load_objects(objects)?;
    let mut out = Vec::new();
    for kind in Kind::ALL {
        let (objects, _) = deps::objects_of(&set, kind);
        out.extend(deps::sort(&objects)?.iter().map(ToString::to_string));
    }
    Ok(out)
}

/// `dependency.Sort` on plain entries `{"name", "namespace", "dependsOn": [{"name",
/// "namespace"?}]}` (the form of the conformance vectors).
///
/// # Errors
///
/// `embed.invalid_argument` for entries of another shape; `deps.cycle` as
/// [`dependency_order`].
pub fn sort_dependents(entries: &Value) -> Result<Vec<String>, Error> {
    let objects: Vec<DependentObject> = serde_json::from_value(entries.clone())
        .map_err(|e| Error::invalid(format!("dependents: {e}")))?;
    Ok(deps::sort(&objects)?
        .iter()
        .map(ToString::to_string)
        .collect())
}

/// Compiles a `dependsOn[].readyExpr` as Flux does (CEL, variables `self` and `dep`,
/// a bool result).
///
/// # Errors
///
/// `deps.ready_expr_syntax` or `deps.ready_expr_type` with cel-go's message.
pub fn check_ready_expr(expr: &str) -> Result<(), Error> {
    Ok(deps::check_ready_expr(expr)?)
}

/// Both dependency graphs of `objects` (waves, critical path, cycles, diagnostics):
/// the JSON document of `fluxcd-core graph --format json`.
///
/// # Errors
///
/// `yaml.emit` when an object has no YAML form.
pub fn graph(objects: &[Value]) -> Result<Value, Error> {
    let set = load_objects(objects)?;
    Ok(deps::export::to_json(&deps::analyze(&set)))
}

// ---------------------------------------------------------------------------
// Plan
// ---------------------------------------------------------------------------

/// Options of [`plan`] and [`plan_sarif`]: those of `fluxcd-core plan`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PlanOptions {
    /// `--profile`: the lint profiles (`flux`, `conventions`). Empty: those of the
    /// checkout's `.fluxcd-core.yaml`, else `flux`.
    pub profiles: Vec<String>,
    /// Variables of `substituteFrom` objects that are not in the checkout, as one
    /// more `--vars` file (after those of `var_files`, so these win).
    pub vars: BTreeMap<String, String>,
    /// `--vars FILE`: files of variables (a JSON/YAML map or dotenv), in order.
    pub var_files: Vec<String>,
    /// `--source NAME=DIR`: a Kustomization whose `sourceRef` is the GitRepository
    /// `NAME` is built from the folder `DIR` (other sources read the checkout).
    pub sources: BTreeMap<String, String>,
}

fn engine_plan(
    fs: &dyn FileSystem,
    path: &Path,
    options: &PlanOptions,
) -> Result<crate::plan::Plan, Error> {
    if !fs.exists(path) {
        return Err(Error::new(
            "io.read",
            format!("{}: no such file or directory", path.display()),
        ));
    }
    let mut opts = crate::plan::PlanOptions::default();
    if !options.profiles.is_empty() {
        let profiles =
            crate::lint::Profiles::from_names(options.profiles.iter().map(String::as_str))
                .map_err(|e| Error::new(e.code(), e.to_string()))?;
        opts.profiles = Some(profiles);
    }
    for f in &options.var_files {
        let text = fs
            .read_to_string(Path::new(f))
            .map_err(|e| Error::new("io.read", format!("{f}: {e}")))?;
        let vars = subst::vars::parse_vars(&text)
            .map_err(|e| Error::new(e.code(), format!("{f}: {e}")))?;
        opts.var_files.push((f.clone(), vars));
    }
    if !options.vars.is_empty() {
        opts.var_files
            .push(("vars".to_string(), options.vars.clone()));
    }
    for (name, dir) in &options.sources {
        let folder = Path::new(dir);
        if name.is_empty() || !fs.is_dir(folder) {
            return Err(Error::invalid(format!(
                "sources: {name:?} -> {dir:?}: expected a GitRepository name and a folder"
            )));
        }
        opts.sources.push((name.clone(), folder.to_path_buf()));
    }
    crate::plan::plan_in(fs, path, &opts)
        .map_err(|e| Error::new("io.read", format!("{}: {e}", path.display())))
}

/// The files of `files` (path → content) in memory; `embed.invalid_argument` for
/// a path that cannot be a file.
fn memory_fs(files: &BTreeMap<String, String>) -> Result<MemoryFs, Error> {
    MemoryFs::new(files).map_err(|e| Error::invalid(format!("files: {e}")))
}

/// The plan of a fleet checkout (a folder or one file): the JSON of `fluxcd-core plan
/// --output json` with the same options (`docs/plan-schema.json`).
///
/// # Errors
///
/// `io.read` when the path or a `var_files` file cannot be read;
/// `subst.vars_file` for a variables file that is neither a map nor dotenv;
/// `lint.profile` for an unknown profile; `embed.invalid_argument` for a source
/// that is not a folder. Problems inside the checkout are diagnostics of the plan.
pub fn plan(path: &Path, options: &PlanOptions) -> Result<Value, Error> {
    let plan = engine_plan(&Disk, path, options)?;
    serde_json::to_value(&plan).map_err(|e| Error::new("embed.internal", e.to_string()))
}

/// [`plan`] of files held in memory: `files` maps each file's path in the checkout
/// (`clusters/prod/ks.yaml`, `/`-separated, relative to its root) to its text. The
/// plan is the one of the same files on disk. `var_files` and `sources` name paths
/// of `files` (a source is a folder of them). What the WebAssembly package calls.
///
/// ```
/// use std::collections::BTreeMap;
/// use fluxcd_core::embed::{plan_files, PlanOptions};
///
/// let files = BTreeMap::from([("cm.yaml".to_string(), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n".to_string())]);
/// let plan = plan_files(&files, &PlanOptions::default()).unwrap();
/// assert_eq!(plan["objects"][0]["file"], "cm.yaml");
/// ```
///
/// # Errors
///
/// As [`plan`]; `embed.invalid_argument` for a path that cannot be a file (empty,
/// leaving the root with `..`, a file that is also a folder, given twice).
pub fn plan_files(files: &BTreeMap<String, String>, options: &PlanOptions) -> Result<Value, Error> {
    let fs = memory_fs(files)?;
    let plan = engine_plan(&fs, Path::new("/"), options)?;
    serde_json::to_value(&plan).map_err(|e| Error::new("embed.internal", e.to_string()))
}

/// The diagnostics of [`plan`] as a SARIF 2.1.0 log: the JSON of `fluxcd-core plan
/// --output sarif` (file names relative to `path` when it is a folder).
///
/// # Errors
///
/// As [`plan`].
pub fn plan_sarif(path: &Path, options: &PlanOptions) -> Result<Value, Error> {
    let plan = engine_plan(&Disk, path, options)?;
    let root = path.is_dir().then_some(path);
    Ok(crate::lint::to_sarif(
        &plan.diagnostics,
        env!("CARGO_PKG_VERSION"),
        root,
    ))
}

/// [`plan_sarif`] of files held in memory, as [`plan_files`] takes them (file
/// names relative to the root of `files`).
///
/// # Errors
///
/// As [`plan_files`].
pub fn plan_files_sarif(
    files: &BTreeMap<String, String>,
    options: &PlanOptions,
) -> Result<Value, Error> {
    let fs = memory_fs(files)?;
    let plan = engine_plan(&fs, Path::new("/"), options)?;
    Ok(crate::lint::to_sarif(
        &plan.diagnostics,
        env!("CARGO_PKG_VERSION"),
        None,
    ))
}

// ---------------------------------------------------------------------------
// GitRepository signature verification (native only)
// ---------------------------------------------------------------------------

#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
impl From<crate::signature::SignatureError> for Error {
    fn from(e: crate::signature::SignatureError) -> Self {
        let mut err = Error::new(e.code(), e.to_string())
            .with("reason", json!(e.reason()))
            .with("stalling", json!(e.is_stalling()));
        if let crate::signature::SignatureError::Failed { signed_by, .. } = &e {
            err = err.with("signedBy", json!(signed_by));
        }
        if let Some(h) = e.hint() {
            err = err.with("hint", json!(h));
        }
        err
    }
}

#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
fn verified_json(v: &crate::signature::Verified) -> Value {
    json!({"keyId": v.key_id, "signatureType": v.signature_type.as_str()})
}

/// Verify the signature of a raw commit object (`git cat-file commit`) with
/// the keys of a verification Secret (`data` already base64-decoded: keys
/// ending `.asc` or without a known suffix are PGP key rings, `.sshpub` are
/// authorized_keys): `{keyId, signatureType}`, the key as Flux prints it.
///
/// # Errors
///
/// `signature.*` with source-controller's message (`signature verification of
/// commit '<commit>' failed: ...`); `details` has the condition `reason`,
/// `stalling`, `signedBy` (who signed, when readable) and a `hint`.
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
pub fn verify_commit_signature(
    raw_commit: &[u8],
    commit: &str,
    keys: &BTreeMap<String, Vec<u8>>,
) -> Result<Value, Error> {
    let ring = crate::signature::KeyRing::from_secret(keys);
    let v = crate::signature::verify_commit(raw_commit, commit, &ring)?;
    Ok(verified_json(&v))
}

/// Verify the signature of a raw annotated tag object (`git cat-file tag`):
/// `{tag, keyId, signatureType}`, `tag` being the tag as Flux prints it
/// (`<name>@<tag object hash>`; `name` is used when the object has no `tag`
/// header).
///
/// # Errors
///
/// As [`verify_commit_signature`] (`signature verification of tag ...`).
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
pub fn verify_tag_signature(
    raw_tag: &[u8],
    keys: &BTreeMap<String, Vec<u8>>,
    name: Option<&str>,
) -> Result<Value, Error> {
    let ring = crate::signature::KeyRing::from_secret(keys);
    let label = crate::signature::tag_label(raw_tag, name.unwrap_or(""));
    let v = crate::signature::verify_tag(raw_tag, &label, &ring)?;
    let mut out = verified_json(&v);
    out["tag"] = json!(label);
    Ok(out)
}

/// source-controller's `verifySignature` for a checkout: `mode` as written in
/// `spec.verify.mode` (`GetMode`: anything but `Tag`/`TagAndHEAD` is `HEAD`;
/// empty skips verification), the commit, the full reference checked out
/// through and the annotated tag object when there is one. Gives `{mode,
/// message, tag: {tag, keyId, signatureType} | null, commit: {commit, keyId,
/// signatureType} | null}` (`mode` null and `message` empty when skipped).
///
/// # Errors
///
/// As [`verify_commit_signature`], plus `signature.no_tag_reference` and
/// `signature.tag_not_signed`.
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
pub fn verify_checkout_signatures(
    mode: &str,
    commit: &str,
    raw_commit: &[u8],
    keys: &BTreeMap<String, Vec<u8>>,
    reference: Option<&str>,
    raw_tag: Option<&[u8]>,
) -> Result<Value, Error> {
    use crate::signature::{verify_checkout, CheckoutObjects, KeyRing, VerifyMode};
    let Some(mode) = VerifyMode::from_spec_opt(Some(mode)) else {
        return Ok(json!({"mode": null, "message": "", "tag": null, "commit": null}));
    };
    let ring = KeyRing::from_secret(keys);
    let co = CheckoutObjects {
        commit,
        reference,
        raw_commit,
        raw_tag: raw_tag.map(|t| ("", t)),
    };
    let v = verify_checkout(mode, &co, &ring)?;
    let part = |key: &str, x: &Option<(String, crate::signature::Verified)>| match x {
        None => Value::Null,
        Some((label, v)) => {
            let mut o = verified_json(v);
            o[key] = json!(label);
            o
        }
    };
    Ok(json!({
        "mode": v.mode.as_str(),
        "message": v.message,
        "tag": part("tag", &v.tag),
        "commit": part("commit", &v.commit),
    }))
}

/// The options of [`fetch`] (JSON object, camelCase keys; all optional except `outDir`).
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FetchOptions {
    /// `spec.ref`: `{branch, tag, semver, name, commit}`.
    #[serde(default, rename = "ref")]
    pub reference: Option<crate::git::refs::GitRef>,
    /// The auth Secret's data as text: `username`/`password`, `bearerToken`,
    /// `identity`/`known_hosts` (SSH).
    #[serde(default)]
    pub secret: BTreeMap<String, String>,
    /// Timeout in seconds (default 60).
    #[serde(default)]
    pub timeout: Option<f64>,
    /// History depth (0 = full).
    #[serde(default)]
    pub depth: Option<u32>,
    /// `spec.ignore`.
    #[serde(default)]
    pub ignore: Option<String>,
    /// `spec.sparseCheckout`.
    #[serde(default)]
    pub sparse_checkout: Vec<String>,
    /// `spec.include`: `{name, artifact (a .tar.gz or a directory), fromPath?, toPath?}`.
    #[serde(default)]
    pub include: Vec<FetchInclude>,
    /// `spec.verify`: `{mode, keys: {name: armored key text}}`.
    #[serde(default)]
    pub verify: Option<FetchVerify>,
    /// Storage root; the artifact is written at `<outDir>/gitrepository/<ns>/<name>/<commit>.tar.gz`.
    pub out_dir: String,
    /// Namespace of the storage path (default `default`).
    #[serde(default)]
    pub namespace: Option<String>,
    /// Name of the storage path (default: from the URL).
    #[serde(default)]
    pub name: Option<String>,
    /// Size limit in bytes.
    #[serde(default)]
    pub max_size: Option<u64>,
}

/// An entry of [`FetchOptions::include`].
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FetchInclude {
    /// The included GitRepository's name.
    pub name: String,
    /// Its artifact: a `.tar.gz` file or a directory.
    pub artifact: String,
    /// `fromPath`.
    #[serde(default)]
    pub from_path: Option<String>,
    /// `toPath` (default: `name`).
    #[serde(default)]
    pub to_path: Option<String>,
}

/// [`FetchOptions::verify`].
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FetchVerify {
    /// `HEAD`, `Tag` or `TagAndHEAD`.
    pub mode: String,
    /// The verification Secret's data (`*.asc` PGP, `*.sshpub` SSH).
    #[serde(default)]
    pub keys: BTreeMap<String, String>,
}

/// Fetches a Git repository as source-controller does and writes its artifact:
/// returns `{revision, digest, path, storagePath, size, files, commit, reference,
/// verified}` (the JSON of `fluxcd-core fetch --output json`).
///
/// # Errors
///
/// `embed.invalid_argument` for options that do not decode; the `git.*`,
/// `artifact.*` and `signature.*` codes of the fetch (category `Fetch`).
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
pub fn fetch(url: &str, options: &Value) -> Result<Value, Error> {
    use crate::git;
    let o: FetchOptions = serde_json::from_value(options.clone())
        .map_err(|e| Error::invalid(format!("fetch options: {e}")))?;
    let secret: BTreeMap<String, Vec<u8>> = o
        .secret
        .iter()
        .map(|(k, v)| (k.clone(), v.clone().into_bytes()))
        .collect();
    let auth =
        git::Auth::from_secret(&secret).map_err(|e| Error::new("git.auth", e.to_string()))?;
    let mut opts = git::FetchOptions::new(url);
    opts.reference = o.reference.clone().unwrap_or_default();
    opts.auth = auth;
    if let Some(t) = o.timeout {
        if !(t.is_finite() && t > 0.0) {
            return Err(Error::invalid(format!(
                "fetch options: timeout must be a positive number of seconds, got {t}"
            )));
        }
        opts.timeout = std::time::Duration::from_secs_f64(t);
    }
    opts.depth = o.depth;
    opts.max_size = o.max_size;
    opts.sparse_checkout = o.sparse_checkout.clone();
    let spec = git::ArtifactSpec {
        namespace: o.namespace.clone().unwrap_or_default(),
        name: o.name.clone().unwrap_or_default(),
        ignore: o.ignore.clone(),
        include: o
            .include
            .iter()
            .map(|i| git::Include {
                name: i.name.clone(),
                artifact: i.artifact.clone().into(),
                from_path: i.from_path.clone(),
                to_path: i.to_path.clone(),
            })
            .collect(),
        verify: o.verify.as_ref().map(|v| git::Verify {
            mode: v.mode.clone(),
            keys: v
                .keys
                .iter()
                .map(|(k, v)| (k.clone(), v.clone().into_bytes()))
                .collect(),
        }),
        max_files: None,
    };
    let result = git::fetch_artifact(&spec, opts, Path::new(&o.out_dir))
        .map_err(|e| Error::new(e.code(), e.to_string()))?;
    serde_json::to_value(&result).map_err(|e| Error::new("embed.internal", e.to_string()))
}

// ---------------------------------------------------------------------------
// GitRepository artifacts (native only, feature `git`)
// ---------------------------------------------------------------------------

#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
impl From<crate::artifact::ArtifactError> for Error {
    fn from(e: crate::artifact::ArtifactError) -> Self {
        Error::new(e.code(), e.to_string())
    }
}

/// Options of [`archive`] and [`tar_stream`]: `spec.ignore` and the limits.
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
pub type ArchiveOptions = crate::artifact::ArchiveOptions;

/// Archives a checkout folder as source-controller does (ignore rules of the
/// checkout and `spec.ignore`, Go's tar stream, gzip) to `out`; returns
/// `{digest, size, files}`.
///
/// # Errors
///
/// `artifact.*` (`artifact.invalid_dir`, `artifact.too_large`, ...), category `Fetch`.
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
pub fn archive(dir: &Path, out: &Path, options: &ArchiveOptions) -> Result<Value, Error> {
    let a = crate::artifact::archive(dir, out, options)?;
    Ok(json!({"digest": a.digest, "size": a.size, "files": a.files}))
}

/// The uncompressed tar stream of [`archive`] (byte for byte Go's).
///
/// # Errors
///
/// As [`archive`].
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
pub fn tar_stream(dir: &Path, options: &ArchiveOptions) -> Result<Vec<u8>, Error> {
    Ok(crate::artifact::tar_stream(dir, options)?)
}

/// The storage path of an artifact: `<lowercase kind>/<namespace>/<name>/<commit>.tar.gz`.
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
pub fn artifact_path(kind: &str, namespace: &str, name: &str, commit: &str) -> String {
    crate::artifact::artifact_path(kind, namespace, name, commit)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KS: &str = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n";

    fn ks(name: &str, deps: &[&str]) -> Value {
        json!({
            "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
            "metadata": {"name": name, "namespace": "flux-system"},
            "spec": {"interval": "10m", "prune": true,
                     "sourceRef": {"kind": "GitRepository", "name": "flux-system"},
                     "dependsOn": deps.iter().map(|d| json!({"name": d})).collect::<Vec<_>>()},
        })
    }

    #[cfg(all(feature = "git", not(target_arch = "wasm32")))]
    #[test]
    fn artifact_functions() {
        let dir =
            std::env::temp_dir().join(format!("fluxcd-core-embed-artifact-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.yaml"), "a").unwrap();
        let tar = tar_stream(&dir, &ArchiveOptions::default()).unwrap();
        assert_eq!(tar.len(), 512 * 5);
        let out = dir.with_extension("tgz");
        let a = archive(&dir, &out, &ArchiveOptions::default()).unwrap();
        assert_eq!(a["files"], 1);
        assert!(a["digest"].as_str().unwrap().starts_with("sha256:"));
        let opts = ArchiveOptions {
            max_files: Some(0),
            ..Default::default()
        };
        let err = tar_stream(&dir, &opts).unwrap_err();
        assert_eq!(err.code, "artifact.too_many_files");
        assert_eq!(err.category, Category::Fetch);
        let err = tar_stream(&dir.join("missing"), &ArchiveOptions::default()).unwrap_err();
        assert_eq!(err.code, "artifact.invalid_dir");
        assert_eq!(
            artifact_path("GitRepository", "ns", "n", "c"),
            "gitrepository/ns/n/c.tar.gz"
        );
        std::fs::remove_dir_all(&dir).unwrap();
        std::fs::remove_file(&out).unwrap();
    }

    #[test]
    fn parse_keeps_keys_and_reports_yaml_errors_with_location() {
        let objs = parse(KS, Some("ks.yaml")).unwrap();
        assert_eq!(objs[0]["spec"]["sourceRef"]["kind"], "GitRepository");
        let err = parse("a: [1\n", Some("bad.yaml")).unwrap_err();
        assert_eq!(err.code, "yaml.syntax");
        assert_eq!(err.category, Category::Manifest);
        let loc = err.location.unwrap();
        assert_eq!(loc.file.as_deref(), Some("bad.yaml"));
        assert!(loc.line >= 1);
        assert!(err.details["diagnostics"]
            .as_array()
            .is_some_and(|d| !d.is_empty()));
    }

    #[test]
    fn parse_resources_reads_as_kustomize() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n  data:\n    k: yes\n";
        let objs = parse_resources(text, None).unwrap();
        assert_eq!(objs.len(), 1);
        assert_eq!(objs[0]["data"], json!({"k": "yes"}));
        // The same text read as the API server reads it: YAML 1.1 booleans, no unwrapping.
        let k8s = parse(text, None).unwrap();
        assert_eq!(k8s[0]["items"][0]["data"], json!({"k": true}));
    }

    #[test]
    fn validate_text_and_objects_agree() {
        let bad = KS.replace("  interval: 10m\n", "");
        let from_text = validate(&bad, None);
        assert!(from_text.iter().any(|d| d.code == "schema.required"));
        let objs = parse(&bad, None).unwrap();
        let from_objects = validate_objects(&objs).unwrap();
        assert!(from_objects.iter().any(|d| d.code == "schema.required"));
        assert!(validate(KS, None).is_empty());
    }

    #[test]
    fn envsubst_errors_carry_code_message_and_position() {
        let vars = BTreeMap::from([("a".to_string(), "x".to_string())]);
        assert_eq!(envsubst("${a}-${b:=y}", &vars, true).unwrap(), "x-y");
        let err = envsubst("ok\n  ${nope}", &vars, true).unwrap_err();
        assert_eq!(err.code, "subst.undefined");
        let loc = err.location.unwrap();
        assert_eq!((loc.line, loc.column), (2, 3));
        assert_eq!(envsubst("${nope}", &vars, false).unwrap(), "");
        assert_eq!(
            envsubst_tree("a${b:-c}").unwrap(),
            json!([{"text": "a"}, {"param": "b", "name": ":-", "args": [{"text": "c"}]}])
        );
    }

    #[test]
    fn substitute_reads_substitute_from_resources() {
        let ks = json!({
            "apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
            "metadata": {"name": "apps", "namespace": "default"},
            "spec": {"postBuild": {"substituteFrom": [{"kind": "ConfigMap", "name": "vars"}]}},
        });
        let obj = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"},
                         "data": {"env": "${env}"}});
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "vars"},
                        "data": {"env": "prod"}});
        let out = substitute(
            std::slice::from_ref(&obj),
            &ks,
            &[cm],
            &SubstituteOptions::default(),
        )
        .unwrap();
        assert_eq!(out[0]["data"]["env"], "prod");
        let err = substitute(
            std::slice::from_ref(&obj),
            &ks,
            &[],
            &SubstituteOptions::default(),
        )
        .unwrap_err();
        assert_eq!(err.code, "postbuild.source_not_found");
        assert_eq!(
            err.message,
            "substitute from 'ConfigMap/vars' error: configmaps \"vars\" not found"
        );
        assert!(err.details["controllerMessage"]
            .as_str()
            .unwrap()
            .starts_with("post build failed for 'ConfigMap.v1.[noGrp]/x': "));
        // Dry run: substituteFrom is not read, so there are no variables and the
        // default strategy leaves the resource alone.
        let dry = SubstituteOptions {
            strict: None,
            dry_run: true,
        };
        let one = substitute_resource(&obj, &ks, &[], &dry).unwrap();
        assert_eq!(one["outcome"], "unchanged");
        assert_eq!(one["object"], obj);
        assert!(one["emitted"].as_str().unwrap().contains("env: ${env}"));
    }

    #[test]
    fn values_and_release_names() {
        let hr = json!({
            "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
            "metadata": {"name": "podinfo", "namespace": "apps"},
            "spec": {"interval": "5m", "targetNamespace": "web",
                     "chart": {"spec": {"chart": "podinfo", "sourceRef": {"kind": "HelmRepository", "name": "repo"}}},
                     "values": {"a": 1},
                     "valuesFrom": [{"kind": "ConfigMap", "name": "v"}]},
        });
        let cm = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "v"},
                        "data": {"values.yaml": "a: 0\nb: 2\n"}});
        let v = compose_values(&hr, std::slice::from_ref(&cm)).unwrap();
        assert_eq!(v, json!({"a": 1.0, "b": 2.0}));
        let ex = explain_values(&hr, &[cm]).unwrap();
        assert!(ex["leaves"].as_array().is_some_and(|l| l.len() == 2));
        let err = compose_values(&hr, &[]).unwrap_err();
        assert_eq!(err.code, "values.not_found");
        assert_eq!(err.category, Category::Values);
        assert_eq!(release_name(&hr).unwrap(), "web-podinfo");
        let names = release_names(&hr).unwrap();
        assert_eq!(names["releaseNamespace"], "web");
        assert_eq!(names["storageNamespace"], "apps");
        assert_eq!(names["helmChart"], "apps/apps-podinfo");
        let mut bad = hr.clone();
        bad["spec"]["releaseName"] = json!("Bad_Name");
        assert_eq!(release_name(&bad).unwrap_err().code, "release.invalid_name");
        assert_eq!(
            release_name(&json!({"kind": "ConfigMap"}))
                .unwrap_err()
                .code,
            "embed.invalid_argument"
        );
        assert_eq!(
            parse_set("a.b=1,c=x", None, false).unwrap(),
            json!({"a": {"b": 1}, "c": "x"})
        );
        assert_eq!(parse_set("a=1", None, true).unwrap(), json!({"a": "1"}));
        assert_eq!(
            parse_set("a", None, false).unwrap_err().code,
            "values.strvals"
        );
        assert_eq!(
            merge_values(
                Some(&json!({"a": {"b": 1, "c": 2}})),
                Some(&json!({"a": {"b": 3}}))
            ),
            json!({"a": {"b": 3.0, "c": 2.0}})
        );
        assert!(values_digest(&json!({"a": 1})).starts_with("sha256:"));
        assert_eq!(
            parse_set_lines(&["a=1", "b=2"], Some(&json!({"z": true})), true).unwrap(),
            json!({"z": true, "a": "1", "b": "2"})
        );
        assert_eq!(
            parse_set_lines(&["a=1", "b"], None, false)
                .unwrap_err()
                .code,
            "values.strvals"
        );
        let dest = json!({"a": {"b": "x"}});
        assert_eq!(
            replace_path_value(Some(&dest), "a.b", "'7'", false).unwrap(),
            json!({"a": {"b": "7"}})
        );
        assert_eq!(
            replace_path_value(Some(&dest), "a.c", "[1]", true).unwrap(),
            json!({"a": {"b": "x", "c": "[1]"}})
        );
        assert_eq!(
            replace_path_value(None, "l[-3].a", "1", false)
                .unwrap_err()
                .code,
            "values.strvals"
        );
        let v = json!({"a": 1});
        for algo in ["sha1", "sha256", "sha384", "sha512"] {
            let d = values_digest_with(&v, algo).unwrap();
            assert!(d.starts_with(&format!("{algo}:")), "{d}");
            assert!(verify_values(&d, &v));
            assert!(!verify_values(&d, &json!({"a": 2})));
        }
        assert_eq!(
            values_digest_with(&v, "blake3").unwrap_err().code,
            "embed.invalid_argument"
        );
        assert!(!verify_values("nonsense", &v));
        let long = "a".repeat(60);
        let short = shorten_release_name(&long).unwrap();
        assert_eq!(short.len(), 53);
        assert_eq!(
            shorten_release_name_bytes(long.as_bytes()),
            short.as_bytes()
        );
        assert!(is_valid_release_name(&short));
        assert_eq!(compose_release_name("n", Some("t"), None), "t-n");
    }

    #[test]
    fn dependency_order_and_cycles() {
        let order = dependency_order(&[ks("apps", &["infra"]), ks("infra", &[])]).unwrap();
        assert_eq!(order, ["flux-system/infra", "flux-system/apps"]);
        let err = dependency_order(&[ks("a", &["b"]), ks("b", &["a"])]).unwrap_err();
        assert_eq!(err.code, "deps.cycle");
        assert_eq!(err.category, Category::DependencyCycle);
        assert!(err.message.starts_with("circular dependency detected: "));
        let cycle = err.details["cycle"].as_array().unwrap();
        assert_eq!(cycle.first(), cycle.last());
        let g = graph(&[ks("apps", &["infra"]), ks("infra", &[])]).unwrap();
        assert!(g.is_object());
        let entries = json!([{"name": "a", "namespace": "n", "dependsOn": [{"name": "b"}]}, {"name": "b", "namespace": "n"}]);
        assert_eq!(sort_dependents(&entries).unwrap(), ["n/b", "n/a"]);
        assert!(check_ready_expr("dep.status.ready == true").is_ok());
        assert_eq!(
            check_ready_expr("dep.status.ready").unwrap_err().code,
            "deps.ready_expr_type"
        );
    }

    #[test]
    fn yaml_roundtrip_migrate_schema_plan() {
        assert_eq!(
            yaml_to_json("a: 1\na: 2\n", "kubernetes").unwrap(),
            [json!({"a": 2})]
        );
        assert!(yaml_to_json("a: 1\na: 2\n", "kustomize").is_err());
        assert_eq!(
            yaml_to_json("x: 1", "toml").unwrap_err().code,
            "embed.invalid_argument"
        );
        assert_eq!(
            json_to_yaml(&json!({"b": 1, "a": "yes"})).unwrap(),
            "a: \"yes\"\nb: 1\n"
        );
        let m = migrate("apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\n");
        assert_eq!(
            m["text"],
            "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
        );
        assert_eq!(m["changes"][0]["from"], "helm.toolkit.fluxcd.io/v2beta1");
        assert!(schema(Some("helmrelease")).unwrap().is_object());
        assert!(schema(None).unwrap().is_object());
        assert_eq!(schema(Some("Nope")).unwrap_err().code, "embed.unknown_kind");
        let err = plan(
            Path::new("/nonexistent/fluxcd-core"),
            &PlanOptions::default(),
        )
        .unwrap_err();
        assert_eq!(err.code, "io.read");
    }

    #[test]
    fn plan_takes_the_cli_options() {
        let dir =
            std::env::temp_dir().join(format!("fluxcd-core-embed-plan-{}", std::process::id()));
        let tenant = dir.join("tenant");
        std::fs::create_dir_all(tenant.join("deploy")).unwrap();
        std::fs::write(
            dir.join("ks.yaml"),
            "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: tenant\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./deploy\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: tenant\n  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: tenant-vars\n",
        )
        .unwrap();
        std::fs::write(
            tenant.join("deploy/cm.yaml"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${team}\n  namespace: default\n",
        )
        .unwrap();
        std::fs::write(dir.join("vars.env"), "team=blue\n").unwrap();
        let opts = PlanOptions {
            var_files: vec![dir.join("vars.env").display().to_string()],
            sources: BTreeMap::from([("tenant".to_string(), tenant.display().to_string())]),
            ..PlanOptions::default()
        };
        let p = plan(&dir, &opts).unwrap();
        assert_eq!(p["kustomizations"][0]["objects"][0]["name"], "app-blue");
        assert_eq!(p["sources"][0]["name"], "tenant");
        // Inline vars come after the files, so they win.
        let opts = PlanOptions {
            vars: BTreeMap::from([("team".to_string(), "red".to_string())]),
            ..opts
        };
        let p = plan(&dir, &opts).unwrap();
        assert_eq!(p["kustomizations"][0]["objects"][0]["name"], "app-red");
        let sarif = plan_sarif(&dir, &opts).unwrap();
        assert_eq!(sarif["version"], "2.1.0");
        let bad = |o: PlanOptions| plan(&dir, &o).unwrap_err().code;
        assert_eq!(
            bad(PlanOptions {
                profiles: vec!["prod".into()],
                ..PlanOptions::default()
            }),
            "lint.profile"
        );
        assert_eq!(
            bad(PlanOptions {
                var_files: vec![dir.join("missing.env").display().to_string()],
                ..PlanOptions::default()
            }),
            "io.read"
        );
        assert_eq!(
            bad(PlanOptions {
                sources: BTreeMap::from([("x".to_string(), "/definitely/not/here".to_string())]),
                ..PlanOptions::default()
            }),
            "embed.invalid_argument"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn errors_serialize_with_every_field() {
        let e = Error::new("deps.cycle", "x").with("cycle", json!(["a", "a"]));
        let v = e.to_json();
        assert_eq!(v["category"], "DependencyCycle");
        assert_eq!(v["details"]["cycle"], json!(["a", "a"]));
        assert_eq!(v["location"], Value::Null);
        assert_eq!(Category::of("postbuild.yaml"), Category::Substitution);
        assert_eq!(Category::of("deps.missing"), Category::Manifest);
        assert_eq!(Category::of("embed.invalid_argument"), Category::Other);
    }

    #[cfg(all(feature = "git", not(target_arch = "wasm32")))]
    #[test]
    fn signature_errors_carry_code_reason_and_category() {
        let raw = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n\nm\n";
        let hash = "0123456789abcdef0123456789abcdef01234567";
        let keys = BTreeMap::from([("k.asc".to_string(), b"x".to_vec())]);
        let err = verify_commit_signature(raw, hash, &keys).unwrap_err();
        assert_eq!(err.code, "signature.unsupported_type");
        assert_eq!(err.category, Category::Fetch);
        assert_eq!(err.details["reason"], "InvalidCommitSignature");
        assert_eq!(
            err.message,
            format!("signature verification of commit '{hash}' failed: unsupported signature type: empty")
        );
        let err =
            verify_checkout_signatures("Tag", hash, raw, &keys, Some("refs/heads/main"), None)
                .unwrap_err();
        assert_eq!(err.code, "signature.no_tag_reference");
        assert_eq!(err.details["stalling"], true);
        let skipped = verify_checkout_signatures("", hash, raw, &keys, None, None).unwrap();
        assert_eq!(skipped["mode"], Value::Null);
        let err = verify_tag_signature(b"garbage", &keys, Some("v1")).unwrap_err();
        assert_eq!(err.code, "signature.malformed_object");
    }
}

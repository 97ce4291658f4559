//! WebAssembly binding of fluxcd-core: the npm package `fluxcd-core-wasm`.
//!
//! The API of the Node package (`fluxcd-core`), for Node and browsers: the same
//! functions with the same camelCase names, arguments, options objects (last), results
//! and errors, except what needs the operating system. There is no `fetch`, and `plan`
//! and `planSarif` take the checkout as an object mapping file paths to their text
//! (`{'clusters/prod/ks.yaml': '...'}`) instead of a folder; `varFiles` and `sources`
//! name paths among those files. Bytes are `Uint8Array`s (Node's `Buffer` is one).
//!
//! Every function decodes its arguments, calls one function of
//! [`fluxcd_core::embed`] (the JSON facade all bindings share) and encodes the result
//! or the error. There is no Flux logic here: conversions live in [`convert`], the
//! error mapping in [`errors`].
#![deny(missing_docs)]

mod convert;
mod errors;

use std::collections::BTreeMap;

use fluxcd_core::embed;
use js_sys::{Array, Map, Object, Reflect};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use convert::{from_js, from_js_list, from_js_object, opt_string, options, string, to_js};
use errors::{arg_error, js, ArgError};

/// The result of a call: a JavaScript value or the thrown error.
type JsResult = Result<JsValue, JsValue>;

fn serialized<T: serde::Serialize>(v: &T) -> JsValue {
    to_js(&serde_json::to_value(v).unwrap_or(Value::Null))
}

/// The version of the fluxcd-core crate this package was built from.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

// ---------------------------------------------------------------------------
// Manifests
// ---------------------------------------------------------------------------

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ParseOptions {
    file: Option<String>,
}

/// Reads YAML text as the Kubernetes API server reads manifests: every document that
/// is a mapping, keys as written. Throws a `ManifestError` for unreadable YAML.
#[wasm_bindgen]
pub fn parse(text: JsValue, options: JsValue) -> JsResult {
    let text = string(&text, "text")?;
    let o: ParseOptions = options_of(&options)?;
    Ok(convert::to_js_list(&js(embed::parse(
        &text,
        o.file.as_deref(),
    ))?))
}

fn options_of<T: serde::de::DeserializeOwned + Default>(v: &JsValue) -> Result<T, JsValue> {
    options(v, "options")
}

/// Reads YAML text as `kustomize build` reads resources (YAML 1.2 core schema, `List`s
/// unwrapped). Throws a `ManifestError` as `parse` does.
#[wasm_bindgen(js_name = parseResources)]
pub fn parse_resources(text: JsValue, options: JsValue) -> JsResult {
    let text = string(&text, "text")?;
    let o: ParseOptions = options_of(&options)?;
    Ok(convert::to_js_list(&js(embed::parse_resources(
        &text,
        o.file.as_deref(),
    ))?))
}

/// Every diagnostic of YAML text or of parsed objects.
#[wasm_bindgen]
pub fn validate(input: JsValue, options: JsValue) -> JsResult {
    let o: ParseOptions = options_of(&options)?;
    let diagnostics = match input.as_string() {
        Some(text) => embed::validate(&text, o.file.as_deref()),
        None => js(embed::validate_objects(&from_js_list(&input, "input")?))?,
    };
    Ok(serialized(&diagnostics))
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct YamlOptions {
    schema: Option<String>,
}

/// Reads YAML text into one JSON value per document (`null` for an empty document).
#[wasm_bindgen(js_name = yamlToJson)]
pub fn yaml_to_json(text: JsValue, options: JsValue) -> JsResult {
    let text = string(&text, "text")?;
    let o: YamlOptions = options_of(&options)?;
    let schema = o.schema.unwrap_or_else(|| "kubernetes".to_string());
    Ok(convert::to_js_list(&js(embed::yaml_to_json(
        &text, &schema,
    ))?))
}

/// Writes a value as YAML exactly as `sigs.k8s.io/yaml`'s `JSONToYAML` does.
#[wasm_bindgen(js_name = jsonToYaml)]
pub fn json_to_yaml(value: JsValue) -> Result<String, JsValue> {
    js(embed::json_to_yaml(&from_js(&value)?))
}

/// Rewrites the `apiVersion` of every Flux object on a removed version to the served
/// one, keeping comments and formatting.
#[wasm_bindgen]
pub fn migrate(text: JsValue) -> Result<String, JsValue> {
    let text = string(&text, "text")?;
    Ok(
        match embed::migrate(&text).get("text").and_then(Value::as_str) {
            Some(t) => t.to_string(),
            None => text,
        },
    )
}

/// `migrate` with what it did: `{text, changes, warnings}`.
#[wasm_bindgen(js_name = migrateReport)]
pub fn migrate_report(text: JsValue) -> JsResult {
    let text = string(&text, "text")?;
    Ok(to_js(&embed::migrate(&text)))
}

/// The JSON Schema of one Flux kind, or without a kind that of every Flux object.
#[wasm_bindgen]
pub fn schema(kind: JsValue) -> JsResult {
    let kind = opt_string(&kind, "kind")?;
    Ok(to_js(&js(embed::schema(kind.as_deref()))?))
}

// ---------------------------------------------------------------------------
// Substitution
// ---------------------------------------------------------------------------

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct EnvsubstOptions {
    strict: Option<bool>,
}

fn string_map(v: &JsValue, what: &str) -> Result<BTreeMap<String, String>, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(BTreeMap::new());
    }
    let value = from_js_object(v, what)?;
    serde_json::from_value(value).map_err(|e| {
        arg_error(
            ArgError::InvalidArg,
            &format!("{what}: {e} (values must be strings)"),
        )
    })
}

/// Flux's envsubst on `text`. Throws a `SubstitutionError`.
#[wasm_bindgen]
pub fn envsubst(text: JsValue, vars: JsValue, options: JsValue) -> Result<String, JsValue> {
    let text = string(&text, "text")?;
    let vars = string_map(&vars, "vars")?;
    let o: EnvsubstOptions = options_of(&options)?;
    js(embed::envsubst(&text, &vars, o.strict.unwrap_or(true)))
}

/// `envsubst` returning bytes (a `Uint8Array`), as Go's byte-based substrings give them.
#[wasm_bindgen(js_name = envsubstBytes)]
pub fn envsubst_bytes(text: JsValue, vars: JsValue, options: JsValue) -> Result<Vec<u8>, JsValue> {
    let text = string(&text, "text")?;
    let vars = string_map(&vars, "vars")?;
    let o: EnvsubstOptions = options_of(&options)?;
    js(embed::envsubst_bytes(
        &text,
        &vars,
        o.strict.unwrap_or(true),
    ))
}

/// The parse tree envsubst builds of `text`.
#[wasm_bindgen(js_name = envsubstTree)]
pub fn envsubst_tree(text: JsValue) -> JsResult {
    let text = string(&text, "text")?;
    Ok(to_js(&js(embed::envsubst_tree(&text))?))
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct SubstituteOptions {
    resources: Vec<Value>,
    strict: Option<bool>,
    dry_run: Option<bool>,
}

impl SubstituteOptions {
    fn split(self) -> (Vec<Value>, embed::SubstituteOptions) {
        let opts = embed::SubstituteOptions {
            strict: self.strict,
            dry_run: self.dry_run.unwrap_or(false),
        };
        (self.resources, opts)
    }
}

/// kustomize-controller's postBuild pipeline for `kustomization` on each of `objects`.
/// Throws a `SubstitutionError` with Flux's message.
#[wasm_bindgen]
pub fn substitute(objects: JsValue, kustomization: JsValue, options: JsValue) -> JsResult {
    let objects = from_js_list(&objects, "objects")?;
    let ks = from_js_object(&kustomization, "kustomization")?;
    let (resources, opts) = options_of::<SubstituteOptions>(&options)?.split();
    Ok(convert::to_js_list(&js(embed::substitute(
        &objects, &ks, &resources, &opts,
    ))?))
}

/// `substitute` on one resource, with what happened: `{outcome, object, emitted}`.
#[wasm_bindgen(js_name = substituteResource)]
pub fn substitute_resource(
    resource: JsValue,
    kustomization: JsValue,
    options: JsValue,
) -> JsResult {
    let resource = from_js_object(&resource, "resource")?;
    let ks = from_js_object(&kustomization, "kustomization")?;
    let (resources, opts) = options_of::<SubstituteOptions>(&options)?.split();
    Ok(to_js(&js(embed::substitute_resource(
        &resource, &ks, &resources, &opts,
    ))?))
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ValuesOptions {
    resources: Vec<Value>,
}

/// The values helm-controller passes to Helm for a HelmRelease. Throws a `ValuesError`.
#[wasm_bindgen(js_name = composeValues)]
pub fn compose_values(helmrelease: JsValue, options: JsValue) -> JsResult {
    let hr = from_js_object(&helmrelease, "helmrelease")?;
    let o: ValuesOptions = options_of(&options)?;
    Ok(to_js(&js(embed::compose_values(&hr, &o.resources))?))
}

/// Where each leaf of `composeValues` comes from: `{leaves, diagnostics}`.
#[wasm_bindgen(js_name = explainValues)]
pub fn explain_values(helmrelease: JsValue, options: JsValue) -> JsResult {
    let hr = from_js_object(&helmrelease, "helmrelease")?;
    let o: ValuesOptions = options_of(&options)?;
    Ok(to_js(&js(embed::explain_values(&hr, &o.resources))?))
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ParseSetOptions {
    dest: Option<Value>,
    string: Option<bool>,
}

/// Helm's `--set` parser: writes `set` (one line or an array of lines) into `dest`.
#[wasm_bindgen(js_name = parseSet)]
pub fn parse_set(set: JsValue, options: JsValue) -> JsResult {
    let lines: Vec<String> = match set.as_string() {
        Some(line) => vec![line],
        None if Array::is_array(&set) => set
            .unchecked_ref::<Array>()
            .iter()
            .map(|l| string(&l, "set"))
            .collect::<Result<_, _>>()?,
        None => {
            return Err(arg_error(
                ArgError::InvalidArg,
                "set must be a string or an array of strings",
            ))
        }
    };
    let o: ParseSetOptions = options_of(&options)?;
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    Ok(to_js(&js(embed::parse_set_lines(
        &lines,
        o.dest.as_ref(),
        o.string.unwrap_or(false),
    ))?))
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ReplacePathOptions {
    literal: Option<bool>,
}

fn opt_object(v: &JsValue) -> Result<Option<Value>, JsValue> {
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        from_js(v).map(Some)
    }
}

/// chartutil's `ReplacePathValue` (or with `literal`, `ReplacePathLiteralValue`).
#[wasm_bindgen(js_name = replacePathValue)]
pub fn replace_path_value(
    dest: JsValue,
    path: JsValue,
    value: JsValue,
    options: JsValue,
) -> JsResult {
    let dest = opt_object(&dest)?;
    let path = string(&path, "path")?;
    let value = string(&value, "value")?;
    let o: ReplacePathOptions = options_of(&options)?;
    Ok(to_js(&js(embed::replace_path_value(
        dest.as_ref(),
        &path,
        &value,
        o.literal.unwrap_or(false),
    ))?))
}

/// chartutil's `MergeMaps(a, b)`; `null` or `undefined` stands for a nil map.
#[wasm_bindgen(js_name = mergeValues)]
pub fn merge_values(a: JsValue, b: JsValue) -> JsResult {
    let a = opt_object(&a)?;
    let b = opt_object(&b)?;
    Ok(to_js(&embed::merge_values(a.as_ref(), b.as_ref())))
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct DigestOptions {
    algorithm: Option<String>,
}

/// The digest helm-controller records for values (`<algorithm>:<hex>`).
#[wasm_bindgen(js_name = valuesDigest)]
pub fn values_digest(values: JsValue, options: JsValue) -> Result<String, JsValue> {
    let values = from_js_object(&values, "values")?;
    let o: DigestOptions = options_of(&options)?;
    js(embed::values_digest_with(
        &values,
        o.algorithm.as_deref().unwrap_or("sha256"),
    ))
}

/// chartutil's `VerifyValues`: whether `digest` is the digest of `values`.
#[wasm_bindgen(js_name = verifyValues)]
pub fn verify_values(digest: JsValue, values: JsValue) -> Result<bool, JsValue> {
    let digest = string(&digest, "digest")?;
    let values = from_js_object(&values, "values")?;
    Ok(embed::verify_values(&digest, &values))
}

// ---------------------------------------------------------------------------
// Releases
// ---------------------------------------------------------------------------

/// The Helm release name helm-controller uses for a HelmRelease.
#[wasm_bindgen(js_name = releaseName)]
pub fn release_name(helmrelease: JsValue) -> Result<String, JsValue> {
    let hr = from_js_object(&helmrelease, "helmrelease")?;
    js(embed::release_name(&hr))
}

/// `releaseName` with the namespaces and the generated HelmChart.
#[wasm_bindgen(js_name = releaseNames)]
pub fn release_names(helmrelease: JsValue) -> JsResult {
    let hr = from_js_object(&helmrelease, "helmrelease")?;
    Ok(to_js(&js(embed::release_names(&hr))?))
}

#[derive(Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
struct ComposeReleaseNameOptions {
    target_namespace: Option<String>,
    release_name: Option<String>,
}

/// The release name before shortening.
#[wasm_bindgen(js_name = composeReleaseName)]
pub fn compose_release_name(name: JsValue, options: JsValue) -> Result<String, JsValue> {
    let name = string(&name, "name")?;
    let o: ComposeReleaseNameOptions = options_of(&options)?;
    Ok(embed::compose_release_name(
        &name,
        o.target_namespace.as_deref(),
        o.release_name.as_deref(),
    ))
}

/// helm-controller's `ShortenName`.
#[wasm_bindgen(js_name = shortenReleaseName)]
pub fn shorten_release_name(name: JsValue) -> Result<String, JsValue> {
    let name = string(&name, "name")?;
    js(embed::shorten_release_name(&name))
}

/// `shortenReleaseName` on bytes (a string or a `Uint8Array`), exactly as Go does.
#[wasm_bindgen(js_name = shortenReleaseNameBytes)]
pub fn shorten_release_name_bytes(name: JsValue) -> Result<Vec<u8>, JsValue> {
    let bytes = convert::bytes(&name, "name")?;
    Ok(embed::shorten_release_name_bytes(&bytes))
}

/// Whether Helm v4 accepts a release name.
#[wasm_bindgen(js_name = isValidReleaseName)]
pub fn is_valid_release_name(name: JsValue) -> Result<bool, JsValue> {
    let name = string(&name, "name")?;
    Ok(embed::is_valid_release_name(&name))
}

// ---------------------------------------------------------------------------
// Dependencies
// ---------------------------------------------------------------------------

/// Flux's `dependency.Sort` of the Kustomizations, then of the HelmReleases. Throws a
/// `DependencyCycleError` whose `cycle` is the path.
#[wasm_bindgen(js_name = dependencyOrder)]
pub fn dependency_order(objects: JsValue) -> JsResult {
    let objects = from_js_list(&objects, "objects")?;
    Ok(convert::to_js_strings(&js(embed::dependency_order(
        &objects,
    ))?))
}

/// `dependency.Sort` on plain entries `{name, namespace, dependsOn}`.
#[wasm_bindgen(js_name = sortDependents)]
pub fn sort_dependents(entries: JsValue) -> JsResult {
    let entries = from_js(&entries)?;
    Ok(convert::to_js_strings(&js(embed::sort_dependents(
        &entries,
    ))?))
}

/// Compiles a `dependsOn[].readyExpr` as Flux does.
#[wasm_bindgen(js_name = checkReadyExpr)]
pub fn check_ready_expr(expr: JsValue) -> Result<(), JsValue> {
    let expr = string(&expr, "expr")?;
    js(embed::check_ready_expr(&expr))
}

/// Both dependency graphs of `objects` (waves, critical path, cycles, diagnostics).
#[wasm_bindgen]
pub fn graph(objects: JsValue) -> JsResult {
    let objects = from_js_list(&objects, "objects")?;
    Ok(to_js(&js(embed::graph(&objects))?))
}

// ---------------------------------------------------------------------------
// Plan
// ---------------------------------------------------------------------------

/// The files of a checkout: a plain object or a `Map` of path → text.
fn files(v: &JsValue) -> Result<BTreeMap<String, String>, JsValue> {
    let bad = || {
        arg_error(
            ArgError::ObjectExpected,
            "files must map file paths to their text (an object or a Map of strings)",
        )
    };
    let mut out = BTreeMap::new();
    if let Some(map) = v.dyn_ref::<Map>() {
        for entry in map.entries() {
            let pair: Array = entry?.unchecked_into();
            let (k, text) = (pair.get(0), pair.get(1));
            out.insert(
                k.as_string().ok_or_else(bad)?,
                text.as_string().ok_or_else(bad)?,
            );
        }
        return Ok(out);
    }
    if !v.is_object() || Array::is_array(v) {
        return Err(bad());
    }
    let obj: &Object = v.unchecked_ref();
    for key in Object::keys(obj).iter() {
        let text = Reflect::get(obj, &key)?;
        out.insert(
            key.as_string().ok_or_else(bad)?,
            text.as_string().ok_or_else(bad)?,
        );
    }
    Ok(out)
}

/// The plan of a fleet checkout given as files (`{path: text}`): the JSON of
/// `fluxcd-core plan --output json` on the same files. Problems in the files are
/// diagnostics of the plan; a bad option or path throws.
#[wasm_bindgen]
pub fn plan(files_: JsValue, options: JsValue) -> JsResult {
    let files = files(&files_)?;
    let o: embed::PlanOptions = options_of(&options)?;
    Ok(to_js(&js(embed::plan_files(&files, &o))?))
}

/// The diagnostics of `plan` as a SARIF 2.1.0 log; the same arguments as `plan`.
#[wasm_bindgen(js_name = planSarif)]
pub fn plan_sarif(files_: JsValue, options: JsValue) -> JsResult {
    let files = files(&files_)?;
    let o: embed::PlanOptions = options_of(&options)?;
    Ok(to_js(&js(embed::plan_files_sarif(&files, &o))?))
}

// ---------------------------------------------------------------------------
// Semantic versions (Masterminds/semver v3)
// ---------------------------------------------------------------------------

/// A version as Masterminds/semver v3's `NewVersion` reads it.
#[wasm_bindgen(js_name = semverParse)]
pub fn semver_parse(version: JsValue) -> JsResult {
    let version = string(&version, "version")?;
    Ok(to_js(&js(embed::semver_parse(&version))?))
}

/// Masterminds' `Compare`: -1, 0 or 1 (build metadata ignored).
#[wasm_bindgen(js_name = semverCompare)]
pub fn semver_compare(a: JsValue, b: JsValue) -> Result<i32, JsValue> {
    let a = string(&a, "a")?;
    let b = string(&b, "b")?;
    js(embed::semver_compare(&a, &b))
}

/// Whether `version` satisfies the Masterminds constraint `constraint`.
#[wasm_bindgen(js_name = semverCheck)]
pub fn semver_check(constraint: JsValue, version: JsValue) -> Result<bool, JsValue> {
    let constraint = string(&constraint, "constraint")?;
    let version = string(&version, "version")?;
    js(embed::semver_check(&constraint, &version))
}

/// The constraint as the library prints it back (`String()`).
#[wasm_bindgen(js_name = semverConstraint)]
pub fn semver_constraint(constraint: JsValue) -> Result<String, JsValue> {
    let constraint = string(&constraint, "constraint")?;
    js(embed::semver_constraint(&constraint))
}

// ---------------------------------------------------------------------------
// Image automation
// ---------------------------------------------------------------------------

/// The tag an ImagePolicy selects from `tags`, as image-reflector-controller does.
#[wasm_bindgen(js_name = imagePolicy)]
pub fn image_policy(policy: JsValue, tags: JsValue) -> JsResult {
    let policy = from_js_object(&policy, "policy")?;
    let tags: Vec<String> = from_js_list(&tags, "tags")?
        .into_iter()
        .map(|t| match t {
            Value::String(s) => Ok(s),
            _ => Err(arg_error(
                ArgError::InvalidArg,
                "tags: every tag must be a string",
            )),
        })
        .collect::<Result<_, _>>()?;
    Ok(to_js(&js(embed::image_policy(&policy, &tags))?))
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct ImageUpdateOptions {
    select: BTreeMap<String, String>,
}

/// What the ImageUpdateAutomations among `files` (path → text, as `plan` takes them)
/// would change for the selected tags. Nothing is written.
#[wasm_bindgen(js_name = imageUpdate)]
pub fn image_update(files_: JsValue, options: JsValue) -> JsResult {
    let files = files(&files_)?;
    let o: ImageUpdateOptions = options_of(&options)?;
    Ok(to_js(&js(embed::image_update_files(&files, &o.select))?))
}

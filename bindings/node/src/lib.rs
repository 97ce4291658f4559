//! Node-API binding of fluxcd-core: the npm package `fluxcd-core`.
//!
//! Every function decodes its arguments, calls one function of
//! [`fluxcd_core::embed`] (the JSON facade all bindings share) and encodes the result
//! or the error. There is no Flux logic here: conversions live in [`convert`], the
//! error mapping in [`errors`].
//!
//! Names follow JavaScript (`composeValues`), options come as an object in the last
//! argument, and Kubernetes objects cross as plain objects with the keys of their YAML.
//! Errors are `Error` objects with `code`, `location`, `details` (and `cycle` for a
//! dependency cycle): see `errors.rs`.
//!
//! `fetch` (native Git) is not here yet: the core has no fetch engine (issue 6).
#![deny(missing_docs)]

mod convert;
mod errors;

use std::collections::HashMap;
use std::path::Path;

use fluxcd_core::embed;
use napi::bindgen_prelude::{Buffer, Either};
use napi::Env;
use napi_derive::napi;
use serde_json::Value;

/// The core's result as napi's: the error becomes a JavaScript `Error` with `code`.
fn js<T>(env: &Env, r: Result<T, embed::Error>) -> napi::Result<T> {
    r.map_err(|e| errors::to_js(env, e))
}

/// The version of the fluxcd-core crate this package was built from.
#[napi]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

// ---------------------------------------------------------------------------
// Manifests
// ---------------------------------------------------------------------------

/// Options of `parse` and `validate`.
#[napi(object)]
#[derive(Default)]
pub struct ParseOptions {
    /// The file name used in locations.
    pub file: Option<String>,
}

/// Reads YAML text as the Kubernetes API server reads manifests and returns every
/// document that is a mapping, with its keys exactly as written.
///
/// Throws a `ManifestError` (`yaml.*` code, `location`, `details.diagnostics`) when the
/// YAML is unreadable.
///
/// ```js
/// const [cm] = parse(fs.readFileSync('configmap.yaml', 'utf8'), { file: 'configmap.yaml' })
/// cm.metadata.name // 'app'
/// ```
#[napi(ts_return_type = "Array<KubernetesObject>")]
pub fn parse(env: Env, text: String, options: Option<ParseOptions>) -> napi::Result<Vec<Value>> {
    let file = options.unwrap_or_default().file;
    js(&env, embed::parse(&text, file.as_deref()))
}

/// Reads YAML text as `kustomize build` reads resources (YAML 1.2 core schema, so `yes`
/// stays a string), keeps the mappings and replaces every `List` by its items: the
/// objects the postBuild pipeline (`substitute`) receives.
///
/// Throws a `ManifestError` as `parse` does.
#[napi(ts_return_type = "Array<KubernetesObject>")]
pub fn parse_resources(
    env: Env,
    text: String,
    options: Option<ParseOptions>,
) -> napi::Result<Vec<Value>> {
    let file = options.unwrap_or_default().file;
    js(&env, embed::parse_resources(&text, file.as_deref()))
}

/// Every diagnostic of YAML text or of parsed objects (YAML, API versions, CRD
/// schemas, CEL rules), as `fluxcd-core validate` reports them. For objects,
/// `document` in a location is the object's index.
#[napi(ts_return_type = "Array<Diagnostic>")]
pub fn validate(
    env: Env,
    #[napi(ts_arg_type = "string | Array<KubernetesObject>")] input: Either<String, Vec<Value>>,
    options: Option<ParseOptions>,
) -> napi::Result<Value> {
    let diagnostics = match input {
        Either::A(text) => Ok(embed::validate(
            &text,
            options.unwrap_or_default().file.as_deref(),
        )),
        Either::B(objects) => embed::validate_objects(&convert::from_js_list(objects)),
    };
    let diagnostics = js(&env, diagnostics)?;
    Ok(serde_json::to_value(diagnostics).unwrap_or(Value::Null))
}

/// Options of `yamlToJson`.
#[napi(object)]
#[derive(Default)]
pub struct YamlOptions {
    /// `'kubernetes'` (default): as `sigs.k8s.io/yaml` reads manifests (YAML 1.1,
    /// duplicate keys accepted); `'kustomize'`: as kustomize reads a resource (YAML 1.2
    /// core schema, duplicate keys rejected).
    #[napi(ts_type = "'kubernetes' | 'kustomize'")]
    pub schema: Option<String>,
}

/// Reads YAML text into one JSON value per document (`null` for an empty document).
#[napi(ts_return_type = "Array<unknown>")]
pub fn yaml_to_json(
    env: Env,
    text: String,
    options: Option<YamlOptions>,
) -> napi::Result<Vec<Value>> {
    let schema = options
        .unwrap_or_default()
        .schema
        .unwrap_or_else(|| "kubernetes".to_string());
    js(&env, embed::yaml_to_json(&text, &schema))
}

/// Writes a value as YAML exactly as `sigs.k8s.io/yaml`'s `JSONToYAML` does (keys
/// sorted, go-yaml v2 quoting).
#[napi]
pub fn json_to_yaml(
    env: Env,
    #[napi(ts_arg_type = "unknown")] value: Value,
) -> napi::Result<String> {
    js(&env, embed::json_to_yaml(&convert::from_js(value)))
}

/// Rewrites the `apiVersion` of every Flux object on a removed version to the served
/// one, keeping comments and formatting; the text is unchanged when nothing moved.
#[napi]
pub fn migrate(text: String) -> String {
    match embed::migrate(&text).get("text").and_then(Value::as_str) {
        Some(t) => t.to_string(),
        None => text,
    }
}

/// `migrate` with what it did: `{text, changes: [{line, column, kind, from, to}],
/// warnings}`.
#[napi(ts_return_type = "MigrateResult")]
pub fn migrate_report(text: String) -> Value {
    embed::migrate(&text)
}

/// The JSON Schema of one Flux kind (`'HelmRelease'`, any case), or without a kind
/// the combined schema of every Flux object.
#[napi(ts_return_type = "Record<string, unknown>")]
pub fn schema(env: Env, kind: Option<String>) -> napi::Result<Value> {
    js(&env, embed::schema(kind.as_deref()))
}

// ---------------------------------------------------------------------------
// Substitution
// ---------------------------------------------------------------------------

/// Options of `envsubst`, `envsubstBytes`.
#[napi(object)]
#[derive(Default)]
pub struct EnvsubstOptions {
    /// Fail on a variable that is unset and has no default (default `true`, as Flux
    /// 2.9's postBuild).
    pub strict: Option<bool>,
}

/// Flux's envsubst (fluxcd/pkg/envsubst) on `text`.
///
/// Throws a `SubstitutionError` (`subst.*` code, envsubst's message, the `location`
/// of the expression).
///
/// ```js
/// envsubst('replicas: ${replicas:=2}', {}) // 'replicas: 2'
/// ```
#[napi]
pub fn envsubst(
    env: Env,
    text: String,
    vars: Option<HashMap<String, String>>,
    options: Option<EnvsubstOptions>,
) -> napi::Result<String> {
    let strict = options.unwrap_or_default().strict.unwrap_or(true);
    js(
        &env,
        embed::envsubst(&text, &convert::string_map(vars), strict),
    )
}

/// `envsubst` returning bytes: byte-based substrings can cut a character in two, as
/// Flux's do (where `envsubst` throws `subst.invalid_utf8`).
#[napi]
pub fn envsubst_bytes(
    env: Env,
    text: String,
    vars: Option<HashMap<String, String>>,
    options: Option<EnvsubstOptions>,
) -> napi::Result<Buffer> {
    let strict = options.unwrap_or_default().strict.unwrap_or(true);
    js(
        &env,
        embed::envsubst_bytes(&text, &convert::string_map(vars), strict).map(Buffer::from),
    )
}

/// The parse tree envsubst builds of `text`: `{text}` and `{param, name, args}` nodes.
#[napi(ts_return_type = "Array<EnvsubstNode>")]
pub fn envsubst_tree(env: Env, text: String) -> napi::Result<Value> {
    js(&env, embed::envsubst_tree(&text))
}

/// Options of `substitute` and `substituteResource`.
#[napi(object)]
#[derive(Default)]
pub struct SubstituteOptions {
    /// The ConfigMaps and Secrets `spec.postBuild.substituteFrom` refers to (a missing
    /// namespace means `default`).
    #[napi(ts_type = "Array<KubernetesObject>")]
    pub resources: Option<Vec<Value>>,
    /// Strict mode on or off; unset is Flux 2.9's default (strict).
    pub strict: Option<bool>,
    /// As `flux build ks --dry-run`: `substituteFrom` is not read.
    pub dry_run: Option<bool>,
}

impl SubstituteOptions {
    fn split(self) -> (Vec<Value>, embed::SubstituteOptions) {
        let opts = embed::SubstituteOptions {
            strict: self.strict,
            dry_run: self.dry_run.unwrap_or(false),
        };
        (
            convert::from_js_list(self.resources.unwrap_or_default()),
            opts,
        )
    }
}

/// kustomize-controller's postBuild pipeline for `kustomization` on each of `objects`:
/// emit as YAML, envsubst with `spec.postBuild.substitute` and `substituteFrom`, read
/// back. Returns the objects as the controller applies them.
///
/// Throws a `SubstitutionError` with Flux's message; `details.controllerMessage` is the
/// Ready condition's text and `details.resource` the failing object.
#[napi(ts_return_type = "Array<KubernetesObject>")]
pub fn substitute(
    env: Env,
    #[napi(ts_arg_type = "Array<KubernetesObject>")] objects: Vec<Value>,
    #[napi(ts_arg_type = "KubernetesObject")] kustomization: Value,
    options: Option<SubstituteOptions>,
) -> napi::Result<Vec<Value>> {
    let (resources, opts) = options.unwrap_or_default().split();
    js(
        &env,
        embed::substitute(
            &convert::from_js_list(objects),
            &convert::from_js(kustomization),
            &resources,
            &opts,
        ),
    )
}

/// `substitute` on one resource, with what happened: `{outcome, object, emitted}`.
#[napi(ts_return_type = "SubstituteResult")]
pub fn substitute_resource(
    env: Env,
    #[napi(ts_arg_type = "KubernetesObject")] resource: Value,
    #[napi(ts_arg_type = "KubernetesObject")] kustomization: Value,
    options: Option<SubstituteOptions>,
) -> napi::Result<Value> {
    let (resources, opts) = options.unwrap_or_default().split();
    js(
        &env,
        embed::substitute_resource(
            &convert::from_js(resource),
            &convert::from_js(kustomization),
            &resources,
            &opts,
        ),
    )
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

/// Options of `composeValues` and `explainValues`.
#[napi(object)]
#[derive(Default)]
pub struct ValuesOptions {
    /// The ConfigMaps and Secrets `spec.valuesFrom` refers to (a missing namespace
    /// means the HelmRelease's).
    #[napi(ts_type = "Array<KubernetesObject>")]
    pub resources: Option<Vec<Value>>,
}

/// The values helm-controller passes to Helm for a HelmRelease: `spec.valuesFrom` in
/// order, then `spec.values`.
///
/// Throws a `ValuesError` (`values.*`) with chartutil's message.
#[napi(ts_return_type = "Record<string, unknown>")]
pub fn compose_values(
    env: Env,
    #[napi(ts_arg_type = "KubernetesObject")] helmrelease: Value,
    options: Option<ValuesOptions>,
) -> napi::Result<Value> {
    let resources =
        convert::from_js_list(options.unwrap_or_default().resources.unwrap_or_default());
    js(
        &env,
        embed::compose_values(&convert::from_js(helmrelease), &resources),
    )
}

/// Where each leaf of `composeValues` comes from: `{leaves, diagnostics}` (Secret
/// values redacted).
#[napi(ts_return_type = "ValuesExplanation")]
pub fn explain_values(
    env: Env,
    #[napi(ts_arg_type = "KubernetesObject")] helmrelease: Value,
    options: Option<ValuesOptions>,
) -> napi::Result<Value> {
    let resources =
        convert::from_js_list(options.unwrap_or_default().resources.unwrap_or_default());
    js(
        &env,
        embed::explain_values(&convert::from_js(helmrelease), &resources),
    )
}

/// Options of `parseSet`.
#[napi(object)]
#[derive(Default)]
pub struct ParseSetOptions {
    /// The values to write into (default `{}`).
    #[napi(ts_type = "Record<string, unknown>")]
    pub dest: Option<Value>,
    /// As `--set-string`: every value a string.
    pub string: Option<bool>,
}

/// Helm's `--set` parser: writes `set` (`a.b=1,c[0]=x`) into `dest` and returns it.
/// `set` may be an array of lines, written in order into the same values (as
/// repeated `--set` flags).
///
/// ```js
/// parseSet(['a=1', 'a=2,b=x']) // { a: 2, b: 'x' }
/// ```
#[napi(ts_return_type = "Record<string, unknown>")]
pub fn parse_set(
    env: Env,
    set: Either<String, Vec<String>>,
    options: Option<ParseSetOptions>,
) -> napi::Result<Value> {
    let o = options.unwrap_or_default();
    let dest = o.dest.map(convert::from_js);
    let lines: Vec<String> = match set {
        Either::A(line) => vec![line],
        Either::B(lines) => lines,
    };
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    js(
        &env,
        embed::parse_set_lines(&lines, dest.as_ref(), o.string.unwrap_or(false)),
    )
}

/// Options of `replacePathValue`.
#[napi(object)]
#[derive(Default)]
pub struct ReplacePathOptions {
    /// As `ReplacePathLiteralValue`: the value is written verbatim as a string.
    pub literal: Option<bool>,
}

/// chartutil's `ReplacePathValue`: writes `value` at the `--set` path `path` of
/// `dest` (`null` for `{}`) and returns the result. The value is read as `--set`
/// reads it, except that one quoted with `'` or `"` stays a string without its
/// quotes; with `literal`, as `ReplacePathLiteralValue`, it is written verbatim.
///
/// ```js
/// replacePathValue({ image: { tag: '1.0' } }, 'image.tag', '2') // { image: { tag: 2 } }
/// ```
#[napi(ts_return_type = "Record<string, unknown>")]
pub fn replace_path_value(
    env: Env,
    #[napi(ts_arg_type = "Record<string, unknown> | null")] dest: Option<Value>,
    path: String,
    value: String,
    options: Option<ReplacePathOptions>,
) -> napi::Result<Value> {
    let dest = dest.filter(|v| !v.is_null()).map(convert::from_js);
    let literal = options.unwrap_or_default().literal.unwrap_or(false);
    js(
        &env,
        embed::replace_path_value(dest.as_ref(), &path, &value, literal),
    )
}

/// chartutil's `MergeMaps(a, b)`: `b` over `a`, maps merged recursively; `null` or
/// `undefined` stands for a nil map.
#[napi(ts_return_type = "Record<string, unknown>")]
pub fn merge_values(
    #[napi(ts_arg_type = "Record<string, unknown> | null")] a: Option<Value>,
    #[napi(ts_arg_type = "Record<string, unknown> | null")] b: Option<Value>,
) -> Value {
    let a = a.filter(|v| !v.is_null()).map(convert::from_js);
    let b = b.filter(|v| !v.is_null()).map(convert::from_js);
    embed::merge_values(a.as_ref(), b.as_ref())
}

/// Options of `valuesDigest`.
#[napi(object)]
#[derive(Default)]
pub struct DigestOptions {
    /// `sha256` (the default), `sha384`, `sha512` or `sha1` (legacy digests).
    pub algorithm: Option<String>,
}

/// The digest helm-controller records for values (`<algorithm>:<hex>`), chartutil's
/// `DigestValues`. Throws (`embed.invalid_argument`) for an unknown algorithm.
#[napi]
pub fn values_digest(
    env: Env,
    #[napi(ts_arg_type = "Record<string, unknown>")] values: Value,
    options: Option<DigestOptions>,
) -> napi::Result<String> {
    let algorithm = options.unwrap_or_default().algorithm;
    js(
        &env,
        embed::values_digest_with(
            &convert::from_js(values),
            algorithm.as_deref().unwrap_or("sha256"),
        ),
    )
}

/// chartutil's `VerifyValues`: whether `digest` (as `valuesDigest` writes it, any of
/// its algorithms) is the digest of `values`; a malformed digest is `false`.
#[napi]
pub fn verify_values(
    digest: String,
    #[napi(ts_arg_type = "Record<string, unknown>")] values: Value,
) -> bool {
    embed::verify_values(&digest, &convert::from_js(values))
}

// ---------------------------------------------------------------------------
// Releases
// ---------------------------------------------------------------------------

/// The Helm release name helm-controller uses for a HelmRelease.
///
/// Throws a `ReleaseError` (`release.*`) when Helm would reject the name.
///
/// ```js
/// releaseName({apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease',
///   metadata: {name: 'podinfo', namespace: 'apps'}, spec: {targetNamespace: 'web', ...}})
/// // 'web-podinfo'
/// ```
#[napi]
pub fn release_name(
    env: Env,
    #[napi(ts_arg_type = "KubernetesObject")] helmrelease: Value,
) -> napi::Result<String> {
    js(&env, embed::release_name(&convert::from_js(helmrelease)))
}

/// `releaseName` with the namespaces and the generated HelmChart.
#[napi(ts_return_type = "ReleaseNames")]
pub fn release_names(
    env: Env,
    #[napi(ts_arg_type = "KubernetesObject")] helmrelease: Value,
) -> napi::Result<Value> {
    js(&env, embed::release_names(&convert::from_js(helmrelease)))
}

/// Options of `composeReleaseName`.
#[napi(object)]
#[derive(Default)]
pub struct ComposeReleaseNameOptions {
    /// `spec.targetNamespace`.
    pub target_namespace: Option<String>,
    /// `spec.releaseName`.
    pub release_name: Option<String>,
}

/// The release name before shortening: `releaseName` if set, else
/// `<targetNamespace>-<name>`, else `name`.
#[napi]
pub fn compose_release_name(name: String, options: Option<ComposeReleaseNameOptions>) -> String {
    let o = options.unwrap_or_default();
    embed::compose_release_name(
        &name,
        o.target_namespace.as_deref(),
        o.release_name.as_deref(),
    )
}

/// helm-controller's `ShortenName`: over 53 bytes, the first 40, `-` and 12 hex digits
/// of the SHA-256. Throws `release.split_character` when the cut splits a character.
#[napi]
pub fn shorten_release_name(env: Env, name: String) -> napi::Result<String> {
    js(&env, embed::shorten_release_name(&name))
}

/// `shortenReleaseName` on bytes, exactly as Go does even when the cut splits a
/// character.
#[napi]
pub fn shorten_release_name_bytes(name: Either<String, Buffer>) -> Buffer {
    let bytes: &[u8] = match &name {
        Either::A(s) => s.as_bytes(),
        Either::B(b) => b,
    };
    Buffer::from(embed::shorten_release_name_bytes(bytes))
}

/// Whether Helm v4 accepts a release name.
#[napi]
pub fn is_valid_release_name(name: String) -> bool {
    embed::is_valid_release_name(&name)
}

// ---------------------------------------------------------------------------
// Semantic versions (Masterminds/semver v3.5.0)
// ---------------------------------------------------------------------------

/// Reads a version as Masterminds/semver v3's `NewVersion` does: `{string, major,
/// minor, patch, prerelease, metadata, original}`; throws `semver.invalid_version`
/// with the library's text.
#[napi(ts_return_type = "SemverVersion")]
pub fn semver_parse(env: Env, version: String) -> napi::Result<Value> {
    js(&env, embed::semver_parse(&version))
}

/// Masterminds' `Compare`: -1, 0 or 1 (build metadata ignored).
#[napi]
pub fn semver_compare(env: Env, a: String, b: String) -> napi::Result<i32> {
    js(&env, embed::semver_compare(&a, &b))
}

/// Whether `version` satisfies the Masterminds constraint `constraint` (pre-releases
/// only when the matching group names one); throws `semver.invalid_constraint` or
/// `semver.invalid_version`.
#[napi]
pub fn semver_check(env: Env, constraint: String, version: String) -> napi::Result<bool> {
    js(&env, embed::semver_check(&constraint, &version))
}

/// The constraint as the library prints it back (`String()`).
#[napi]
pub fn semver_constraint(env: Env, constraint: String) -> napi::Result<String> {
    js(&env, embed::semver_constraint(&constraint))
}

// ---------------------------------------------------------------------------
// Image automation
// ---------------------------------------------------------------------------

/// The tag an ImagePolicy selects from `tags`, as image-reflector-controller v1.2
/// does: `{tag, candidates, dropped, ambiguous?}`; throws `imagepolicy.*` with the
/// controller's message.
#[napi(ts_return_type = "ImagePolicySelection")]
pub fn image_policy(
    env: Env,
    #[napi(ts_arg_type = "KubernetesObject")] policy: Value,
    tags: Vec<String>,
) -> napi::Result<Value> {
    js(&env, embed::image_policy(&convert::from_js(policy), &tags))
}

/// Options of `imageUpdate`.
#[napi(object)]
pub struct ImageUpdateOptions {
    /// `namespace:name` of an ImagePolicy to `TAG` or `TAG@DIGEST`.
    pub select: HashMap<String, String>,
}

/// What the ImageUpdateAutomations of the checkout at `path` would change for the
/// selected tags: `{files: [{file, original, content, changes, diff}], markers,
/// diagnostics}`. Nothing is written.
#[napi(ts_return_type = "ImageUpdateReport")]
pub fn image_update(env: Env, path: String, options: ImageUpdateOptions) -> napi::Result<Value> {
    let sel = convert::string_map(Some(options.select));
    js(&env, embed::image_update(Path::new(&path), &sel))
}

// ---------------------------------------------------------------------------
// Dependencies
// ---------------------------------------------------------------------------

/// Flux's `dependency.Sort` of the Kustomizations among `objects`, then of the
/// HelmReleases, as `namespace/name`.
///
/// Throws a `DependencyCycleError` (`deps.cycle`, Flux's message) whose `cycle` is the
/// path (first and last entries equal).
#[napi]
pub fn dependency_order(
    env: Env,
    #[napi(ts_arg_type = "Array<KubernetesObject>")] objects: Vec<Value>,
) -> napi::Result<Vec<String>> {
    js(
        &env,
        embed::dependency_order(&convert::from_js_list(objects)),
    )
}

/// `dependency.Sort` on plain entries `{name, namespace, dependsOn: [{name,
/// namespace?}]}`.
#[napi]
pub fn sort_dependents(
    env: Env,
    #[napi(ts_arg_type = "Array<DependentEntry>")] entries: Value,
) -> napi::Result<Vec<String>> {
    js(&env, embed::sort_dependents(&convert::from_js(entries)))
}

/// Compiles a `dependsOn[].readyExpr` as Flux does; throws `deps.ready_expr_syntax` or
/// `deps.ready_expr_type` with cel-go's message.
#[napi]
pub fn check_ready_expr(env: Env, expr: String) -> napi::Result<()> {
    js(&env, embed::check_ready_expr(&expr))
}

/// Both dependency graphs of `objects` (waves, critical path, cycles, diagnostics): the
/// JSON of `fluxcd-core graph --format json`.
#[napi(ts_return_type = "Record<string, unknown>")]
pub fn graph(
    env: Env,
    #[napi(ts_arg_type = "Array<KubernetesObject>")] objects: Vec<Value>,
) -> napi::Result<Value> {
    js(&env, embed::graph(&convert::from_js_list(objects)))
}

// ---------------------------------------------------------------------------
// Plan
// ---------------------------------------------------------------------------

/// Options of `plan` and `planSarif`: those of `fluxcd-core plan`.
#[napi(object)]
#[derive(Default)]
pub struct PlanOptions {
    /// `--profile`: the lint profiles (`flux`, `conventions`); default: the
    /// checkout's `.fluxcd-core.yaml`, else `flux`.
    pub profiles: Option<Vec<String>>,
    /// Variables of `substituteFrom` objects that are not in the checkout, as one
    /// more variables file after `varFiles` (these win).
    pub vars: Option<HashMap<String, String>>,
    /// `--vars FILE`: files of variables (a JSON/YAML map or dotenv), in order.
    pub var_files: Option<Vec<String>>,
    /// `--source NAME=DIR`: GitRepository name to the local folder its
    /// Kustomizations are built from.
    pub sources: Option<HashMap<String, String>>,
}

fn plan_options(options: Option<PlanOptions>) -> embed::PlanOptions {
    let o = options.unwrap_or_default();
    embed::PlanOptions {
        profiles: o.profiles.unwrap_or_default(),
        vars: convert::string_map(o.vars),
        var_files: o.var_files.unwrap_or_default(),
        sources: convert::string_map(o.sources),
    }
}

/// The plan of a fleet checkout (a folder or one file): the JSON of `fluxcd-core plan
/// --output json` (`docs/plan-schema.json`), with the CLI's options. Problems in the
/// checkout are diagnostics of the plan; a bad option throws.
///
/// ```js
/// const { diagnostics } = plan('fleet', { profiles: ['flux', 'conventions'], varFiles: ['prod.env'] })
/// ```
#[napi(ts_return_type = "Record<string, unknown>")]
pub fn plan(env: Env, path: String, options: Option<PlanOptions>) -> napi::Result<Value> {
    js(&env, embed::plan(Path::new(&path), &plan_options(options)))
}

/// The diagnostics of `plan` as a SARIF 2.1.0 log (`fluxcd-core plan --output
/// sarif`), for code-scanning upload; the same options as `plan`.
#[napi(ts_return_type = "Record<string, unknown>")]
pub fn plan_sarif(env: Env, path: String, options: Option<PlanOptions>) -> napi::Result<Value> {
    js(
        &env,
        embed::plan_sarif(Path::new(&path), &plan_options(options)),
    )
}

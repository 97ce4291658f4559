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
//! `fetch` fetches a GitRepository's artifact natively; signature verification of fetched
//! objects is here too (`verifyCommitSignature`, `verifyTagSignature`, `verifyCheckoutSignatures`).
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
// Fetch
// ---------------------------------------------------------------------------

/// `spec.ref` of a GitRepository; precedence commit > name > tag > semver > branch
/// (default branch `master`).
#[napi(object)]
#[derive(Default)]
pub struct GitRef {
    /// A branch name.
    pub branch: Option<String>,
    /// A tag name.
    pub tag: Option<String>,
    /// A Masterminds/semver constraint over the tags.
    pub semver: Option<String>,
    /// A full reference (`refs/pull/420/head`).
    pub name: Option<String>,
    /// A full commit hash.
    pub commit: Option<String>,
}

/// An entry of `spec.include`.
#[napi(object)]
pub struct FetchInclude {
    /// The included GitRepository's name.
    pub name: String,
    /// Its artifact: a `.tar.gz` file or a directory.
    pub artifact: String,
    /// `fromPath`.
    pub from_path: Option<String>,
    /// `toPath` (default: `name`).
    pub to_path: Option<String>,
}

/// `spec.verify`.
#[napi(object)]
pub struct FetchVerify {
    /// `HEAD`, `Tag` or `TagAndHEAD`.
    pub mode: String,
    /// The verification Secret's data: `*.asc` PGP keyrings, `*.sshpub` SSH keys.
    pub keys: Option<HashMap<String, String>>,
}

/// Options of `fetch`.
#[napi(object)]
pub struct FetchOptions {
    /// Storage root: the artifact goes to `<outDir>/gitrepository/<ns>/<name>/<commit>.tar.gz`.
    pub out_dir: String,
    /// `spec.ref`.
    #[napi(js_name = "ref")]
    pub reference: Option<GitRef>,
    /// The auth Secret's data: `username`/`password`, `bearerToken`, `identity`/`known_hosts`.
    pub secret: Option<HashMap<String, String>>,
    /// `spec.ignore`.
    pub ignore: Option<String>,
    /// `spec.sparseCheckout`.
    pub sparse_checkout: Option<Vec<String>>,
    /// `spec.include`.
    pub include: Option<Vec<FetchInclude>>,
    /// `spec.verify`.
    pub verify: Option<FetchVerify>,
    /// Timeout in seconds (default 60).
    pub timeout: Option<f64>,
    /// History depth (0 = full; default 1, full for a commit).
    pub depth: Option<u32>,
    /// Size limit in bytes.
    pub max_size: Option<f64>,
    /// Namespace of the storage path (default `default`).
    pub namespace: Option<String>,
    /// Name of the storage path (default: from the URL).
    pub name: Option<String>,
}

/// Fetches a Git repository as source-controller does and writes its artifact;
/// returns `{revision, digest, path, storagePath, size, files, commit, reference,
/// verified}`. Throws `FetchError` (codes `git.*`, `artifact.*`, `signature.*`).
/// Blocks until the fetch is done.
///
/// ```js
/// const r = fetch('https://github.com/stefanprodan/podinfo', { ref: { tag: '6.7.0' }, outDir: 'store' })
/// ```
#[napi(ts_return_type = "FetchResult")]
pub fn fetch(env: Env, url: String, options: FetchOptions) -> napi::Result<Value> {
    let r = options.reference.unwrap_or_default();
    let mut o = serde_json::Map::new();
    o.insert(
        "ref".into(),
        serde_json::json!({"branch": r.branch, "tag": r.tag, "semver": r.semver, "name": r.name, "commit": r.commit}),
    );
    o.insert("outDir".into(), options.out_dir.into());
    o.insert(
        "secret".into(),
        serde_json::to_value(convert::string_map(options.secret)).unwrap_or_default(),
    );
    if let Some(v) = options.ignore {
        o.insert("ignore".into(), v.into());
    }
    if let Some(v) = options.sparse_checkout {
        o.insert("sparseCheckout".into(), v.into());
    }
    if let Some(v) = options.include {
        let list: Vec<Value> = v
            .into_iter()
            .map(|i| serde_json::json!({"name": i.name, "artifact": i.artifact, "fromPath": i.from_path, "toPath": i.to_path}))
            .collect();
        o.insert("include".into(), list.into());
    }
    if let Some(v) = options.verify {
        o.insert(
            "verify".into(),
            serde_json::json!({"mode": v.mode, "keys": convert::string_map(v.keys)}),
        );
    }
    if let Some(v) = options.timeout {
        o.insert("timeout".into(), v.into());
    }
    if let Some(v) = options.depth {
        o.insert("depth".into(), v.into());
    }
    if let Some(v) = options.max_size {
        if !(v.is_finite() && v >= 0.0) {
            return js(
                &env,
                Err(embed::Error::new(
                    "embed.invalid_argument",
                    format!("maxSize must be a non-negative number, got {v}"),
                )),
            );
        }
        o.insert("maxSize".into(), (v as u64).into());
    }
    if let Some(v) = options.namespace {
        o.insert("namespace".into(), v.into());
    }
    if let Some(v) = options.name {
        o.insert("name".into(), v.into());
    }
    js(&env, embed::fetch(&url, &Value::Object(o)))
}

// ---------------------------------------------------------------------------
// GitRepository signature verification
// ---------------------------------------------------------------------------

/// A verification Secret's data (strings or Buffers) as bytes.
fn secret_keys(
    keys: HashMap<String, Either<String, Buffer>>,
) -> std::collections::BTreeMap<String, Vec<u8>> {
    keys.into_iter()
        .map(|(k, v)| {
            let bytes = match v {
                Either::A(s) => s.into_bytes(),
                Either::B(b) => b.to_vec(),
            };
            (k, bytes)
        })
        .collect()
}

/// Verify the signature of a raw commit object (the bytes of `git cat-file commit
/// <hash>`) as GitRepository `spec.verify` does, with the keys of the verification
/// Secret (`keys`: data key to value; `.asc` and suffix-less keys are PGP key rings,
/// `.sshpub` keys are authorized_keys). Returns `{keyId, signatureType}` (the PGP
/// key id or the SSH `SHA256:` fingerprint); throws a `FetchError` (`signature.*`)
/// with source-controller's message otherwise.
#[napi(ts_return_type = "{ keyId: string; signatureType: string }")]
pub fn verify_commit_signature(
    env: Env,
    raw_commit: Buffer,
    commit: String,
    #[napi(ts_arg_type = "Record<string, string | Buffer>")] keys: HashMap<
        String,
        Either<String, Buffer>,
    >,
) -> napi::Result<Value> {
    js(
        &env,
        embed::verify_commit_signature(&raw_commit, &commit, &secret_keys(keys)),
    )
}

/// Options of `verifyTagSignature`.
#[napi(object)]
#[derive(Default)]
pub struct VerifyTagOptions {
    /// The tag name, used when the object has no `tag` header.
    pub name: Option<String>,
}

/// Verify the signature of a raw annotated tag object (`git cat-file tag`):
/// `{tag, keyId, signatureType}` with `tag` as Flux prints it (`<name>@<tag object
/// hash>`).
#[napi(ts_return_type = "{ tag: string; keyId: string; signatureType: string }")]
pub fn verify_tag_signature(
    env: Env,
    raw_tag: Buffer,
    #[napi(ts_arg_type = "Record<string, string | Buffer>")] keys: HashMap<
        String,
        Either<String, Buffer>,
    >,
    options: Option<VerifyTagOptions>,
) -> napi::Result<Value> {
    let name = options.unwrap_or_default().name;
    js(
        &env,
        embed::verify_tag_signature(&raw_tag, &secret_keys(keys), name.as_deref()),
    )
}

/// Options of `verifyCheckoutSignatures`.
#[napi(object)]
#[derive(Default)]
pub struct VerifyCheckoutOptions {
    /// The full reference checked out through (`refs/heads/main`, `refs/tags/v1`).
    pub reference: Option<String>,
    /// The annotated tag object (`git cat-file tag`), when the checkout went
    /// through one.
    pub raw_tag: Option<Buffer>,
}

/// source-controller's `verifySignature` for a checkout: `mode` as in
/// `spec.verify.mode` (anything but `Tag`/`TagAndHEAD` means `HEAD`; `''` skips), the
/// commit and its raw object, and in the options the reference checked out through
/// and the annotated tag object. Returns `{mode, message, tag, commit}` (`message`
/// is the `SourceVerified` one).
#[napi(
    ts_return_type = "{ mode: string | null; message: string; tag: { tag: string; keyId: string; signatureType: string } | null; commit: { commit: string; keyId: string; signatureType: string } | null }"
)]
pub fn verify_checkout_signatures(
    env: Env,
    mode: String,
    commit: String,
    raw_commit: Buffer,
    #[napi(ts_arg_type = "Record<string, string | Buffer>")] keys: HashMap<
        String,
        Either<String, Buffer>,
    >,
    options: Option<VerifyCheckoutOptions>,
) -> napi::Result<Value> {
    let o = options.unwrap_or_default();
    js(
        &env,
        embed::verify_checkout_signatures(
            &mode,
            &commit,
            &raw_commit,
            &secret_keys(keys),
            o.reference.as_deref(),
            o.raw_tag.as_deref(),
        ),
    )
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

// ---------------------------------------------------------------------------
// GitRepository artifacts
// ---------------------------------------------------------------------------

/// Options of `archive` and `tarStream`.
#[napi(object)]
#[derive(Default)]
pub struct ArchiveOptions {
    /// `spec.ignore`: patterns in `.gitignore` format, one per line (they replace
    /// the default exclusions, as `.sourceignore` files do).
    pub ignore: Option<String>,
    /// The most bytes of file content (before compression) the artifact may hold;
    /// checked on each file's size before it is read.
    pub max_size: Option<i64>,
    /// The most regular files the artifact may hold.
    pub max_files: Option<u32>,
}

fn archive_options(options: Option<ArchiveOptions>) -> embed::ArchiveOptions {
    let o = options.unwrap_or_default();
    embed::ArchiveOptions {
        ignore: o.ignore,
        max_size: o.max_size.map(|n| n.max(0) as u64),
        max_files: o.max_files.map(|n| n as usize),
    }
}

/// What `archive` returns.
#[napi(object)]
pub struct ArchiveResult {
    /// `sha256:<hex>` of the compressed bytes.
    pub digest: String,
    /// Compressed size in bytes.
    pub size: i64,
    /// Regular files archived.
    pub files: u32,
}

/// Archives a checkout folder to `out` as source-controller writes a GitRepository
/// artifact (the checkout's `.sourceignore` files and `ignore` as `spec.ignore`,
/// Go's tar stream, gzip).
///
/// ```js
/// const { digest, size, files } = archive('checkout', 'artifact.tar.gz', { ignore: '*.md\n' })
/// ```
#[napi]
pub fn archive(
    env: Env,
    dir: String,
    out: String,
    options: Option<ArchiveOptions>,
) -> napi::Result<ArchiveResult> {
    let v = js(
        &env,
        embed::archive(Path::new(&dir), Path::new(&out), &archive_options(options)),
    )?;
    Ok(ArchiveResult {
        digest: v["digest"].as_str().unwrap_or_default().to_string(),
        size: v["size"].as_i64().unwrap_or_default(),
        files: v["files"].as_u64().unwrap_or_default() as u32,
    })
}

/// The uncompressed tar stream `archive` compresses: byte for byte what
/// source-controller's Go code writes for the same folder.
#[napi]
pub fn tar_stream(env: Env, dir: String, options: Option<ArchiveOptions>) -> napi::Result<Buffer> {
    js(
        &env,
        embed::tar_stream(Path::new(&dir), &archive_options(options)).map(Buffer::from),
    )
}

/// The storage path of an artifact: `<lowercase kind>/<namespace>/<name>/<commit>.tar.gz`.
///
/// ```js
/// artifactPath('GitRepository', 'flux-system', 'podinfo', 'abc123') // 'gitrepository/flux-system/podinfo/abc123.tar.gz'
/// ```
#[napi]
pub fn artifact_path(kind: String, namespace: String, name: String, commit: String) -> String {
    embed::artifact_path(&kind, &namespace, &name, &commit)
}

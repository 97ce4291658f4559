//! The registry of diagnostic codes: every code this crate can report, with its
//! usual severity and what it means. `docs/error-codes.md` is generated from it.
//!
//! ```
//! let all = fluxcd_core::codes::all();
//! let removed = all.iter().find(|c| c.code == "api.removed_version").unwrap();
//! assert_eq!(removed.severity, fluxcd_core::Severity::Error);
//! assert!(all.iter().any(|c| c.code == "schema.rule.chart_xor_chart_ref"));
//! ```

use crate::diagnostic::Severity;

/// One diagnostic code.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CodeInfo {
    /// The stable dotted code.
    pub code: &'static str,
    /// The severity it is reported with.
    pub severity: Severity,
    /// What it means.
    pub summary: String,
}

const FIXED: &[(&str, Severity, &str)] = &[
    ("io.read", Severity::Error, "A file could not be read."),
    ("yaml.syntax", Severity::Error, "The document is not valid YAML; the other documents of the file still load."),
    ("yaml.duplicate_key", Severity::Error, "A mapping repeats a key (the API server's YAML reader rejects it); the last value is kept."),
    ("yaml.complex_key", Severity::Error, "A mapping key is itself a mapping or a list, which Kubernetes cannot read."),
    ("yaml.unsupported_key", Severity::Error, "A mapping key is null (`~:`, `: x`) or an integer above the int64 range: sigs.k8s.io/yaml rejects the document (`unsupported map key`); the entry is kept under its text."),
    ("yaml.limit", Severity::Error, "The document exceeds a safety limit (nesting depth, aliases, node count): alias bombs and deep nesting stop here."),
    ("yaml.file_too_large", Severity::Error, "The file is larger than the loader's limit and is not parsed."),
    ("yaml.too_many_documents", Severity::Error, "A file holds more YAML documents than the loader's limit (10,000 by default); the documents after it are not loaded. See docs/limits.md."),
    ("yaml.invalid_utf8", Severity::Error, "The file is not UTF-8; it is decoded with replacement characters."),
    ("yaml.empty", Severity::Info, "The file holds no YAML document."),
    ("manifest.too_many_files", Severity::Error, "A folder holds more YAML files than the loader's limit (50,000 by default); the files after it, in sorted order, are not loaded. See docs/limits.md."),
    ("manifest.not_an_object", Severity::Warning, "A document is a list or a scalar, not a Kubernetes object."),
    ("manifest.bad_type_meta", Severity::Error, "`apiVersion` or `kind` is missing, empty or not a string."),
    ("manifest.missing_name", Severity::Error, "A Flux object has no `metadata.name`."),
    ("manifest.invalid_name", Severity::Error, "A Flux object's name is not a lowercase RFC 1123 subdomain."),
    ("api.removed_version", Severity::Error, "A Flux kind uses an apiVersion that Flux no longer serves; the message names the served one (`fluxcd-core migrate` rewrites it)."),
    ("api.unknown_version", Severity::Error, "A Flux kind uses an apiVersion that never existed for it."),
    ("api.unknown_kind", Severity::Error, "A Flux API group has no such kind (a typo such as `Kustomisation`)."),
    ("api.type_mismatch", Severity::Error, "The object passed the schema checks but does not fit the typed model."),
    ("schema.type", Severity::Error, "A field has the wrong type (a number where a string is required, ...)."),
    ("schema.required", Severity::Error, "A required field is missing."),
    ("schema.enum", Severity::Error, "A field's value is not one of the allowed values."),
    ("schema.enum_extension", Severity::Warning, "A value outside the upstream enum that Flux Operator adds to the CRD (e.g. `FluxInstance` event sources)."),
    ("schema.pattern", Severity::Error, "A string does not match the field's pattern (durations, URLs, ...)."),
    ("schema.length", Severity::Error, "A string is shorter or longer than allowed."),
    ("schema.items", Severity::Error, "A list has fewer or more items than allowed."),
    ("schema.range", Severity::Error, "A number is out of range."),
    ("schema.unknown_field", Severity::Warning, "A field the schema does not know; the API server drops it. A close match is suggested."),
    ("migrate.bad_api_version", Severity::Warning, "`migrate` found an apiVersion of a Flux group it cannot parse."),
    ("subst.vars_file", Severity::Error, "A variables file (`--vars`) is not a JSON/YAML map of scalars nor a dotenv file."),
    ("subst.undefined", Severity::Error, "Strict post-build substitution: a variable used without a default operator (`${var}`, `${#var}`, `${var^^}`, ...) is not set; Flux fails with `variable not set (strict mode)`."),
    ("subst.missing_brace", Severity::Error, "A `${name` is followed by a character that starts no operator (e.g. `${var-default}`, `${a.b}`) or by the end of the text: `missing closing brace`."),
    ("subst.bad_substitution", Severity::Error, "A substitution operator is malformed or not closed where it must be (e.g. `${var^^^}`, `${var:é}`): `bad substitution`."),
    ("subst.bad_name", Severity::Error, "`${` is not followed by a variable name (e.g. `${}`): `unable to parse variable name`."),
    ("subst.bad_function", Severity::Error, "An operator's argument cannot be read (e.g. `${var:}`, `${var#}`, or the text ends inside a default): `unable to parse substitution within function`."),
    ("subst.negative_length", Severity::Error, "`${var:offset:length}` ends before it starts (a negative length); Flux's envsubst v1.7.0 panics on it."),
    ("subst.invalid_utf8", Severity::Error, "The substituted text is not UTF-8 because a byte-based substring or pattern removal cut a character in two; Flux then fails to read the YAML."),
    ("subst.output_too_large", Severity::Error, "The substituted text would exceed the output limit (64 MiB by default): nested replacements such as `${a//a/${a//a/x}}` multiply sizes. A fluxcd-core limit (Flux has none); see docs/limits.md."),
    ("subst.too_deep", Severity::Error, "`${…}` expressions nest deeper than the limit (100 by default). A fluxcd-core limit (Flux has none); see docs/limits.md."),
    ("postbuild.source_not_found", Severity::Error, "A required `substituteFrom` ConfigMap/Secret does not exist in the Kustomization's namespace: `substitute from 'ConfigMap/x' error: configmaps \"x\" not found`."),
    ("postbuild.bad_spec", Severity::Error, "`spec.postBuild` cannot be read (a `substitute` value that is not a string, a `substituteFrom` that is not a list of objects)."),
    ("postbuild.secret_data", Severity::Error, "A Secret's `data` value is not base64-encoded UTF-8 text."),
    ("postbuild.invalid_var_name", Severity::Error, "A variable name (inline or a `substituteFrom` key) does not match `^[_[:alpha:]][_[:alpha:][:digit:]]*$`; Flux fails every resource of the Kustomization."),
    ("postbuild.yaml", Severity::Error, "The substituted resource is no longer valid YAML, or holds a number JSON cannot write (`YAMLToJSON: ...`)."),
    ("postbuild.not_an_object", Severity::Error, "The substituted document is not an object."),
    ("postbuild.emit", Severity::Error, "The resource cannot be re-emitted as YAML the way go-yaml v2 does (nested too deeply, a control character or a key go-yaml cannot write)."),
    ("postbuild.unknown_source", Severity::Info, "A `substituteFrom` object is not in the repository: the linter cannot know its variables and skips reports its undefined variables as warnings (pass its values with `--vars`)."),
    ("postbuild.undefined_unless_external", Severity::Warning, "Strict post-build substitution: a `${var}` without default is defined nowhere in the repository, and only a `substituteFrom` object that is not in the repository could define it; Flux fails unless it does."),
    ("postbuild.defaults_not_applied", Severity::Warning, "The Kustomization has no variables at all, so with `substituteStrategy: WithVariables` nothing is substituted and `${var:=default}` stays as written."),
    ("postbuild.bare_variable", Severity::Info, "`$var` without braces: Flux substitutes only `${var}`, so this stays as written (fine for shell syntax)."),
    ("postbuild.path_not_found", Severity::Info, "A Kustomization's `spec.path` is not in the repository; its resources are not linted."),
    ("postbuild.kustomize_not_applied", Severity::Info, "A `kustomization.yaml` uses patches, generators, transformers or remote bases that the postBuild linter does not apply; resources are checked as written."),
    ("deps.cycle", Severity::Error, "Kustomizations (or HelmReleases) depend on each other, or one on itself: none of them ever becomes ready. The message lists exactly the objects of the cycle with file:line; Flux's own `dependency.Sort` says `circular dependency detected: a -> b -> a`."),
    ("deps.missing", Severity::Warning, "A `dependsOn` entry names an object defined nowhere in the repository (an entry without namespace means the dependent's namespace); the dependent waits with `dependency '<ns>/<name>' not found` unless it comes from elsewhere."),
    ("deps.cross_kind", Severity::Error, "A `dependsOn` entry names an object that exists only as the other kind: a Kustomization can only depend on Kustomizations, a HelmRelease only on HelmReleases."),
    ("deps.duplicate", Severity::Warning, "Two objects of the same kind have the same namespace and name (expected in a repository with one folder per cluster); the graph merges their dependencies, as Flux's sort does."),
    ("deps.ready_expr_syntax", Severity::Error, "A `dependsOn[].readyExpr` does not compile (syntax error, a variable other than `self` and `dep`, operands of the wrong type): Flux fails terminally with `failed to parse the CEL expression`."),
    ("deps.ready_expr_type", Severity::Error, "A `dependsOn[].readyExpr` compiles but is not a bool (e.g. `dep.status.ready` is `dyn`; write `dep.status.ready == true`): `CEL expression output type mismatch: expected bool, got dyn`."),
    ("release.missing_name", Severity::Error, "A HelmRelease has no `metadata.name`, so no Helm release name can be composed."),
    ("release.invalid_name", Severity::Error, "The Helm release name of a HelmRelease (`spec.releaseName`, else `<targetNamespace>-<name>`, shortened past 53 bytes) does not match Helm's `^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`: every install and upgrade fails with `invalid release name`."),
    ("release.split_character", Severity::Error, "The composed release name is over 53 bytes and byte 40, where helm-controller cuts it, falls inside a multi-byte character: the shortened name is not UTF-8 and Helm rejects it."),
    ("release.duplicate", Severity::Error, "Two HelmReleases resolve to the same storage namespace and (shortened) Helm release name: they fight over one Helm release. Both are named with file:line."),
    ("release.shortened", Severity::Info, "The composed release name is longer than 53 bytes; Helm sees its first 40 bytes, `-` and 12 hex digits of its SHA-256. The message shows the real name."),
    ("values.not_found", Severity::Error, "A `valuesFrom` ConfigMap/Secret does not exist in the HelmRelease's namespace and the entry is not `optional`: `could not resolve ConfigMap chart values reference 'ns/name' with key 'values.yaml': configmaps \"name\" not found`."),
    ("values.key_not_found", Severity::Error, "A `valuesFrom` object exists but has no such key (`valuesKey`, default `values.yaml`) and the entry is not `optional`: `... key not found`."),
    ("values.unsupported_kind", Severity::Error, "A `valuesFrom` entry's kind is neither `ConfigMap` nor `Secret`: `... unsupported values reference kind`."),
    ("values.read", Severity::Error, "A `valuesFrom` value is not a YAML map (a scalar, a list, invalid YAML): Helm's `ReadValues` fails."),
    ("values.target_path", Severity::Error, "A `targetPath` write fails in Helm's `--set` parser: a `,` in a non-literal value (`key \"x\" has no value`), an unclosed `{` list, an index above 65536, a path through a non-map value (`unable to parse key: interface conversion: ...`)."),
    ("values.bad_spec", Severity::Error, "The HelmRelease's `spec.valuesFrom` cannot be read, or the file holds no HelmRelease."),
    ("values.secret_data", Severity::Error, "A Secret's `data` value is not base64-encoded UTF-8 text."),
    ("values.target_path_overridden", Severity::Warning, "A `targetPath` value is silently overridden by inline `spec.values`: the documentation says targetPath wins over everything, but it does only when the write reaches a map or list shared with the inline values (not for a top-level key, nor when an earlier `valuesFrom` also defines the parent map)."),
    ("values.target_path_aliased", Severity::Info, "A `targetPath` value overrides inline `spec.values` (as documented), which happens only because the write reached a map or list shared with the inline values."),
    ("values.strvals", Severity::Error, "A Helm `--set` expression cannot be parsed (the bindings' `parse_set`): Helm's own message, e.g. `key \"a\" has no value`."),
    ("yaml.emit", Severity::Error, "A value has no YAML form as `sigs.k8s.io/yaml.JSONToYAML` writes it (nested too deeply, a control character go-yaml refuses, a key go-yaml cannot read back)."),
    ("embed.invalid_argument", Severity::Error, "A binding function got an argument of the wrong shape (a HelmRelease that is not one, an unknown YAML schema name, malformed dependency entries)."),
    ("embed.unknown_kind", Severity::Error, "`schema(kind)` was asked for a kind Flux does not serve; the message lists the known kinds."),
    ("embed.unsupported", Severity::Error, "A binding function got an option this version does not implement yet (none today: the plan options are implemented)."),
    ("embed.internal", Severity::Error, "A result could not be encoded as JSON (a bug: please report it)."),
    ("plan.path_not_found", Severity::Error, "A Flux Kustomization's `spec.path` does not exist in its source (this checkout, or the folder mapped with `--source`): Flux fails with `kustomization path not found`."),
    ("plan.source_not_found", Severity::Warning, "A Kustomization, HelmRelease or HelmChart `sourceRef` names a source defined nowhere in the repository and not mapped with `--source`."),
    ("plan.source_not_mapped", Severity::Info, "A Kustomization reads another repository (a source defined here, other than the bootstrap one) whose `spec.path` is not in this checkout: map it with `--source NAME=DIR` to plan it."),
    ("plan.not_applied", Severity::Info, "A kustomization file uses patches, generators, transformers, Helm charts or remote bases that the plan does not expand: the objects they add or change are not in the plan."),
    ("plan.resource_not_found", Severity::Error, "A kustomization file's `resources`/`components` entry (or a Kustomization's `spec.components` entry) does not exist: `kustomize build` fails and Flux applies nothing of that Kustomization."),
    ("plan.outside_source", Severity::Warning, "A kustomization file's entry leaves the source root or goes through a symbolic link: the plan does not read it (Flux builds only from the source artifact)."),
    ("plan.symlink_skipped", Severity::Info, "A symbolic link in the checkout is not followed by the plan (loops and links out of the checkout are harmless)."),
    ("semver.invalid_version", Severity::Error, "A version is not a semantic version as Masterminds/semver v3 (`NewVersion`) reads it; the message is the library's (`invalid semantic version`, `version segment starts with 0`, ...)."),
    ("semver.invalid_constraint", Severity::Error, "A semver range is not a Masterminds/semver v3 constraint; the message is the library's (`improper constraint: \"...\"`, `constraint parser error`, ...)."),
    ("imagepolicy.invalid_policy", Severity::Error, "An ImagePolicy has no `spec.policy` choice, an order other than `asc`/`desc`, or a semver range Masterminds/semver rejects: `invalid policy: ...` (the controller's text)."),
    ("imagepolicy.invalid_pattern", Severity::Error, "`spec.filterTags.pattern` is not a Go RE2 regular expression (or uses syntax Go rejects, such as `(?x)` or a repeat above 1000): `failed to filter tags: invalid regular expression pattern ...`."),
    ("imagepolicy.no_candidates", Severity::Error, "No tag is left to choose from (none given, or none matches `filterTags.pattern`): `version list argument cannot be empty`."),
    ("imagepolicy.no_match", Severity::Error, "A semver policy finds no tag that is a version (two dots at least) inside the range: `unable to determine latest version from provided list`."),
    ("imagepolicy.not_numeric", Severity::Error, "A numerical policy meets a candidate that Go's `strconv.ParseFloat` rejects: `failed to parse invalid numeric value '<tag>'`; the whole policy fails."),
    ("imagepolicy.interval_required", Severity::Error, "`digestReflectionPolicy: Always` without `spec.interval`: the controller stalls the ImagePolicy."),
    ("imagepolicy.interval_not_accepted", Severity::Error, "`spec.interval` without `digestReflectionPolicy: Always`: the API server rejects the ImagePolicy (CRD rule)."),
    ("imageupdate.policy_not_found", Severity::Warning, "A setter marker names an ImagePolicy that is not defined in the repository (or has no tag selected): the field is left as it is."),
    ("imageupdate.cross_namespace", Severity::Warning, "A setter marker names an ImagePolicy in another namespace than the ImageUpdateAutomation: upstream only uses policies of the automation's namespace, so the field is never updated."),
    ("imageupdate.invalid_utf8", Severity::Error, "A file under the automation's update path that contains a marker is not UTF-8: the controller fails to read it; nothing is rewritten in it."),
    ("imageupdate.template", Severity::Error, "An ImageUpdateAutomation's `messageTemplate` does not render with the data upstream passes (`.AutomationObject`, `.Changed`, `.Values`), or uses Go template syntax the preview does not understand (said in the message)."),
    ("imageupdate.invalid_select", Severity::Error, "A `--select` argument is not `namespace:name=TAG[@DIGEST]`."),
    ("lint.config", Severity::Error, "`.fluxcd-core.yaml` cannot be used: invalid YAML, an unknown key, an unknown profile or an unknown rule code in `disable` (located in that file, with a suggestion)."),
    ("lint.profile", Severity::Error, "An unknown lint profile was asked for (`--profile`); the profiles are `flux` and `conventions`."),
    ("git.invalid_url", Severity::Error, "A GitRepository URL cannot be fetched: an unsupported scheme (use a path, file://, git://, http(s):// or ssh://) or an unparsable URL."),
    ("git.url_credentials", Severity::Error, "The URL carries credentials (`https://user:pass@host/...`); they belong in the secret (username/password or bearerToken). The message shows the URL redacted."),
    ("git.auth", Severity::Error, "The secret's credentials cannot be used: basic auth together with a bearer token, an ssh:// URL without `identity` or `known_hosts`, a value that is not UTF-8 (upstream's texts)."),
    ("git.invalid_ref", Severity::Error, "`spec.ref.name` begins or ends with `/` (`ref <ref> is invalid; Git refs cannot begin or end with a slash '/'`) or a branch/tag name is not a valid ref."),
    ("git.ref_not_found", Severity::Error, "The branch, tag, ref name or commit does not exist on the remote: `unable to clone: couldn't find remote ref 'refs/heads/x': git repository: '<url>'`, `unable to resolve ref '<ref>' to a specific commit`, `unable to resolve commit object for '<hash>': object not found`."),
    ("git.empty_repository", Severity::Error, "The remote repository has no commit: `git repository is empty` (reason `EmptyGitRepository`)."),
    ("git.semver_parse", Severity::Error, "`spec.ref.semver` is not a Masterminds/semver v3 constraint: `semver parse error: <library text>`."),
    ("git.semver_no_match", Severity::Error, "No tag with at least three dot-separated parts satisfies `spec.ref.semver`: `no match found for semver: <constraint>`."),
    ("git.transport", Severity::Error, "The transport failed: connection refused, authentication refused (HTTP 401/403), a pack cut short by the server, a protocol error. Credentials are scrubbed from the message."),
    ("git.timeout", Severity::Error, "The fetch did not finish within the timeout (`spec.timeout`, default 60s)."),
    ("git.too_large", Severity::Error, "The fetched pack or the checked-out files exceed the size limit (`--max-size`)."),
    ("git.unsafe_path", Severity::Error, "A tree entry would be written outside the checkout or into `.git` (`..`, `.git`, a name with a slash, a path through a symbolic link); nothing is written there."),
    ("git.checkout", Severity::Error, "The fetched objects cannot be read or written to the checkout directory."),
    ("git.io", Severity::Error, "A file system operation of the fetch failed (creating the checkout directory, writing a file)."),
    ("git.interrupted", Severity::Error, "The fetch was interrupted (size limit reached or timeout) before it finished."),
    ("artifact.invalid_dir", Severity::Error, "The directory to archive does not exist or is not a directory: `invalid dir path: <dir>`."),
    ("artifact.ignore_load", Severity::Error, "A `.sourceignore` file or a directory of the checkout could not be read: `failed to load source ignore patterns from repository: ...`."),
    ("artifact.walk", Severity::Error, "A file or directory of the checkout could not be read while archiving: `unable to archive artifact to storage: ...`."),
    ("artifact.write", Severity::Error, "The artifact file could not be written (nothing is left behind)."),
    ("artifact.too_large", Severity::Error, "The files to archive exceed the size limit (`max_size`, bytes of content before compression); checked on each file's size before it is read."),
    ("artifact.too_many_files", Severity::Error, "The files to archive exceed the file count limit (`max_files`)."),
    ("artifact.include_path", Severity::Error, "An include's `toPath` cannot be resolved inside the checkout: `path calculation for include '<n>' failed: ...`."),
    ("artifact.include_copy", Severity::Error, "An include could not be copied (missing `fromPath`, non-empty destination, bad archive): `failed to copy '<n>' include from <from> to <to>: ...`."),
    ("artifact.sparse_resolve", Severity::Error, "A `spec.sparseCheckout` path cannot be resolved inside the checkout (symlink loop)."),
    ("artifact.sparse_missing", Severity::Error, "A `spec.sparseCheckout` path does not exist after checkout: `failed to sparse checkout directories : sparse checkout dir '<p>' does not exist in repository: ...`."),
    ("signature.no_tag_reference", Severity::Error, "`spec.verify.mode` is `Tag` or `TagAndHEAD` but the checkout did not go through a tag (`tag`, `semver` or `ref.name: refs/tags/...`): `cannot verify tag object's signature if a tag reference is not specified` (reason `InvalidVerificationMode`, stalled)."),
    ("signature.tag_not_signed", Severity::Error, "The tag to verify is lightweight or its annotated object has no signature: `cannot verify signature of tag '<tag>' since it is not signed` (reason `InvalidGitObject`)."),
    ("signature.no_pgp_keys", Severity::Error, "The object has an OpenPGP signature but the verification Secret has no PGP key ring (keys ending in `.asc`, or without a known suffix)."),
    ("signature.no_ssh_keys", Severity::Error, "The object has an SSH signature but the verification Secret has no authorized_keys entry (keys ending in `.sshpub`)."),
    ("signature.unsupported_type", Severity::Error, "The object is not signed (`unsupported signature type: empty`) or signed in a format Flux cannot check (`x509`, `unknown`)."),
    ("signature.unreadable_keys", Severity::Error, "No entry of the Secret of the needed kind could be read as a PGP key ring / authorized_keys text (the first entry's error is given)."),
    ("signature.unreadable_signature", Severity::Error, "The SSH signature block of the object cannot be decoded."),
    ("signature.no_matching_key", Severity::Error, "No key of the Secret verifies the signature: signed by another key, or the object was changed after signing (the hint names the signing key)."),
    ("signature.malformed_object", Severity::Error, "The bytes given as a commit or tag object are not one git can read."),
];

/// Every code, fixed ones first, then the CRDs' CEL rules.
pub fn all() -> Vec<CodeInfo> {
    let mut out: Vec<CodeInfo> = FIXED
        .iter()
        .map(|(code, severity, summary)| CodeInfo {
            code,
            severity: *severity,
            summary: summary.to_string(),
        })
        .collect();
    for r in crate::lint::rules() {
        out.push(CodeInfo {
            code: r.code,
            severity: r.severity,
            summary: format!(
                "{} Lint profile `{}`; see docs/lint-rules.md.",
                r.summary, r.profile
            ),
        });
    }
    let mut seen = std::collections::BTreeSet::new();
    for (code, kind, message) in crate::validate::rules::rule_codes() {
        if seen.insert(code) {
            out.push(CodeInfo {
                code,
                severity: Severity::Error,
                summary: format!("{kind} CEL rule of the CRD: \"{message}\""),
            });
        }
    }
    out
}

/// The Markdown table written to `docs/error-codes.md`.
pub fn markdown() -> String {
    let mut s = String::from(
        "# Diagnostic codes\n\n<!-- generated by `cargo xtask error-codes`; do not edit -->\n\n\
         Every diagnostic carries one of these stable codes. Bindings expose it as data.\n\n\
         | code | severity | meaning |\n|---|---|---|\n",
    );
    for c in all() {
        s.push_str(&format!(
            "| `{}` | {} | {} |\n",
            c.code,
            c.severity,
            c.summary.replace('|', "\\|")
        ));
    }
    s
}

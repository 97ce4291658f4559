//! The cross-field rules of the Flux CRDs (`x-kubernetes-validations`), checked offline.
//!
//! The Flux CRDs carry a handful of CEL expressions that the Kubernetes API server
//! evaluates on create and update, next to the plain OpenAPI keywords. There is no CEL
//! interpreter here: every rule is written out by hand in Rust, and a test reads the
//! CRD files to prove that each upstream rule has a counterpart in
//! [`implemented_rules`].
//!
//! [`check`] takes the whole document (apiVersion, kind, metadata, spec) as a
//! [`serde_json::Value`] and returns one [`RuleViolation`] per broken rule, with the
//! dotted path of the object that carries the rule and the message `kubectl apply`
//! would print.
//!
//! ```
//! use fluxcd_core::validate::rules::check;
//! use serde_json::json;
//!
//! let release = json!({
//!     "apiVersion": "helm.toolkit.fluxcd.io/v2",
//!     "kind": "HelmRelease",
//!     "metadata": { "name": "podinfo", "namespace": "apps" },
//!     "spec": {
//!         "interval": "10m",
//!         "chartRef": { "kind": "OCIRepository", "name": "podinfo" },
//!         "kubeConfig": {}
//!     }
//! });
//! let found = check("HelmRelease", &release);
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].code, "schema.rule.kubeconfig_one_of_none");
//! assert_eq!(found[0].path, "spec.kubeConfig");
//! assert_eq!(
//!     found[0].message,
//!     "exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified"
//! );
//! ```
//!
//! # How the CEL semantics are reproduced
//!
//! * A rule runs only when the object that carries it is present; `null` counts as
//!   absent (the API server drops `null` for fields that are not nullable).
//! * `has(self.f)` is true when `f` is present and not `null`, even when its value
//!   is `""`, `[]` or `{}`.
//! * CRD defaults that a rule reads are applied first, as the API server defaults an
//!   object before it validates it. The only one that changes an outcome is the
//!   Bucket `spec.provider` default (`generic`). (ImagePolicy's
//!   `spec.digestReflectionPolicy` default `Never` gives the same results as an
//!   absent field, so it needs no special handling.)
//! * Evaluation is three-valued like CEL: reading a missing field or a value of the
//!   wrong type is an evaluation error, and `||` / `&&` absorb an error when the other
//!   side already decides the result (`true || error` is true, `false && error` is
//!   false). A rule whose result is an error is not reported here: it can only happen
//!   when a required field is missing or a field has the wrong type, which the plain
//!   schema check reports.
//! * The API server skips all CEL rules of an object that has a type or enum error.
//!   [`check`] does not know the schema, so it assumes the document passed the
//!   plain OpenAPI checks; a caller that found type or enum errors may skip it.
//! * `all(...)` over a list is false as soon as one element is false. For the
//!   ArtifactGenerator name rule (carried by `spec`) one violation is reported per
//!   offending artifact, at `spec.artifacts[N]`, so a caller can point at the entry.
//!
//! # Transition rules
//!
//! Rules that read `oldSelf` compare an update with the stored object and cannot be
//! checked on a single file. The CRD snapshot in `shared/flux-crds` has none, so
//! nothing is skipped today; a new upstream transition rule would have to be added to
//! the skip list of the coverage test.
//!
//! # Codes
//!
//! | kind | path | code |
//! |---|---|---|
//! | HelmRelease | `spec` | `schema.rule.chart_xor_chart_ref` |
//! | HelmRelease | `spec.install.strategy` | `schema.rule.install_strategy_retry_interval` |
//! | HelmRelease, Kustomization | `spec.kubeConfig` | `schema.rule.kubeconfig_one_of_none` |
//! | HelmRelease, Kustomization | `spec.kubeConfig` | `schema.rule.kubeconfig_one_of_both` |
//! | HelmRelease | `spec.upgrade.strategy` | `schema.rule.upgrade_strategy_retry_interval` |
//! | ImagePolicy | `spec` | `schema.rule.image_policy_interval_needs_always` |
//! | ImagePolicy | `spec` | `schema.rule.image_policy_always_needs_interval` |
//! | Provider | `spec` | `schema.rule.provider_commit_status_expr_type` |
//! | Receiver | `spec` | `schema.rule.receiver_oidc_providers_required` |
//! | Receiver | `spec` | `schema.rule.receiver_oidc_providers_forbidden` |
//! | Receiver | `spec` | `schema.rule.receiver_secret_ref_forbidden` |
//! | Receiver | `spec` | `schema.rule.receiver_secret_ref_required` |
//! | ArtifactGenerator | `spec.artifacts[N]` | `schema.rule.artifact_name_valid` |
//! | Bucket | `spec` | `schema.rule.bucket_sts_provider_unsupported` |
//! | Bucket | `spec` | `schema.rule.bucket_sts_aws_provider` |
//! | Bucket | `spec` | `schema.rule.bucket_sts_generic_provider` |
//! | Bucket | `spec` | `schema.rule.bucket_sts_aws_secret_ref` |
//! | Bucket | `spec` | `schema.rule.bucket_sts_aws_cert_secret_ref` |
//! | Bucket | `spec` | `schema.rule.bucket_generic_service_account` |
//! | Bucket | `spec` | `schema.rule.bucket_secret_ref_and_service_account` |
//! | GitRepository | `spec` | `schema.rule.git_service_account_provider` |
//! | HelmChart | `spec` | `schema.rule.helm_chart_verify_source_kind` |
//!
//! The two kubeConfig rules are the same in both CRDs and share their codes.

use std::sync::OnceLock;

use regex::Regex;
use serde_json::{Map, Value};

/// One violated cross-field rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleViolation {
    /// Stable code, `schema.rule.<name>`.
    pub code: &'static str,
    /// Dotted path of the object the rule sits on, e.g. `spec.kubeConfig` or
    /// `spec.artifacts[2]`.
    pub path: String,
    /// The message the API server prints for this rule (the CRD's `message`).
    pub message: String,
}

/// Checks every CEL rule of the CRD for `kind` (e.g. `"HelmRelease"`) against the
/// document.
///
/// `doc` is the whole object. Unknown kinds, and kinds whose CRD has no rules, give
/// an empty list. Violations come in the order the rules appear in the CRD.
pub fn check(kind: &str, doc: &Value) -> Vec<RuleViolation> {
    let mut found = Vec::new();
    for rule in RULES.iter().filter(|r| r.kind == kind) {
        let Some(node) = resolve(doc, rule.node) else {
            continue;
        };
        for rel in (rule.eval)(node) {
            let path = if rel.is_empty() {
                rule.node.to_string()
            } else {
                format!("{}.{rel}", rule.node)
            };
            found.push(RuleViolation {
                code: rule.code,
                path,
                message: rule.message.to_string(),
            });
        }
    }
    found
}

/// Every rule implemented here, as `(kind, dotted path of the schema node that
/// carries it, CEL text)`.
///
/// The CEL text is the CRD's, byte for byte; tests use it to prove that every
/// upstream rule is covered.
pub fn implemented_rules() -> &'static [(&'static str, &'static str, &'static str)] {
    static TABLE: OnceLock<Vec<(&'static str, &'static str, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| RULES.iter().map(|r| (r.kind, r.node, r.cel)).collect())
}

/// A CEL result: `Some(bool)`, or `None` when the evaluation errors.
type Tri = Option<bool>;

/// Every rule's code with the kind it applies to and the message it reports.
pub fn rule_codes() -> Vec<(&'static str, &'static str, &'static str)> {
    RULES.iter().map(|r| (r.code, r.kind, r.message)).collect()
}

type Obj = Map<String, Value>;

struct Rule {
    kind: &'static str,
    /// Dotted path of the object the rule sits on.
    node: &'static str,
    cel: &'static str,
    code: &'static str,
    message: &'static str,
    /// Paths (relative to `node`, empty for the node itself) where the rule fails.
    eval: fn(&Obj) -> Vec<String>,
}

const KUBECONFIG_MESSAGE: &str =
    "exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified";
const KUBECONFIG_NONE_CEL: &str = "has(self.configMapRef) || has(self.secretRef)";
const KUBECONFIG_BOTH_CEL: &str = "!has(self.configMapRef) || !has(self.secretRef)";

fn kubeconfig_none(s: &Obj) -> Vec<String> {
    verdict(or(&[has(s, "configMapRef"), has(s, "secretRef")]))
}

fn kubeconfig_both(s: &Obj) -> Vec<String> {
    verdict(or(&[not(has(s, "configMapRef")), not(has(s, "secretRef"))]))
}

static RULES: &[Rule] = &[
    // ---- HelmRelease ----
    Rule {
        kind: "HelmRelease",
        node: "spec",
        cel: "(has(self.chart) && !has(self.chartRef)) || (!has(self.chart) && has(self.chartRef))",
        code: "schema.rule.chart_xor_chart_ref",
        message: "either chart or chartRef must be set",
        eval: |s| {
            verdict(or(&[
                and(&[has(s, "chart"), not(has(s, "chartRef"))]),
                and(&[not(has(s, "chart")), has(s, "chartRef")]),
            ]))
        },
    },
    Rule {
        kind: "HelmRelease",
        node: "spec.install.strategy",
        cel: "!has(self.retryInterval) || self.name != 'RemediateOnFailure'",
        code: "schema.rule.install_strategy_retry_interval",
        message: ".retryInterval cannot be set when .name is 'RemediateOnFailure'",
        eval: |s| {
            verdict(or(&[
                not(has(s, "retryInterval")),
                ne(text(s, "name"), "RemediateOnFailure"),
            ]))
        },
    },
    Rule {
        kind: "HelmRelease",
        node: "spec.kubeConfig",
        cel: KUBECONFIG_NONE_CEL,
        code: "schema.rule.kubeconfig_one_of_none",
        message: KUBECONFIG_MESSAGE,
        eval: kubeconfig_none,
    },
    Rule {
        kind: "HelmRelease",
        node: "spec.kubeConfig",
        cel: KUBECONFIG_BOTH_CEL,
        code: "schema.rule.kubeconfig_one_of_both",
        message: KUBECONFIG_MESSAGE,
        eval: kubeconfig_both,
    },
    Rule {
        kind: "HelmRelease",
        node: "spec.upgrade.strategy",
        cel: "!has(self.retryInterval) || self.name == 'RetryOnFailure'",
        code: "schema.rule.upgrade_strategy_retry_interval",
        message: ".retryInterval can only be set when .name is 'RetryOnFailure'",
        eval: |s| {
            verdict(or(&[
                not(has(s, "retryInterval")),
                eq(text(s, "name"), "RetryOnFailure"),
            ]))
        },
    },
    // ---- ImagePolicy ----
    Rule {
        kind: "ImagePolicy",
        node: "spec",
        cel: "!has(self.interval) || (has(self.digestReflectionPolicy) && self.digestReflectionPolicy == 'Always')",
        code: "schema.rule.image_policy_interval_needs_always",
        message: "spec.interval is only accepted when spec.digestReflectionPolicy is set to 'Always'",
        eval: |s| {
            verdict(or(&[
                not(has(s, "interval")),
                and(&[
                    has(s, "digestReflectionPolicy"),
                    eq(text(s, "digestReflectionPolicy"), "Always"),
                ]),
            ]))
        },
    },
    Rule {
        kind: "ImagePolicy",
        node: "spec",
        cel: "has(self.interval) || !has(self.digestReflectionPolicy) || self.digestReflectionPolicy != 'Always'",
        code: "schema.rule.image_policy_always_needs_interval",
        message: "spec.interval must be set when spec.digestReflectionPolicy is set to 'Always'",
        eval: |s| {
            verdict(or(&[
                has(s, "interval"),
                not(has(s, "digestReflectionPolicy")),
                ne(text(s, "digestReflectionPolicy"), "Always"),
            ]))
        },
    },
    // ---- Kustomization ----
    Rule {
        kind: "Kustomization",
        node: "spec.kubeConfig",
        cel: KUBECONFIG_NONE_CEL,
        code: "schema.rule.kubeconfig_one_of_none",
        message: KUBECONFIG_MESSAGE,
        eval: kubeconfig_none,
    },
    Rule {
        kind: "Kustomization",
        node: "spec.kubeConfig",
        cel: KUBECONFIG_BOTH_CEL,
        code: "schema.rule.kubeconfig_one_of_both",
        message: KUBECONFIG_MESSAGE,
        eval: kubeconfig_both,
    },
    // ---- Provider ----
    Rule {
        kind: "Provider",
        node: "spec",
        cel: "self.type == 'github' || self.type == 'gitlab' || self.type == 'gitea' || self.type == 'bitbucketserver' || self.type == 'bitbucket' || self.type == 'azuredevops' || !has(self.commitStatusExpr)",
        code: "schema.rule.provider_commit_status_expr_type",
        message: "spec.commitStatusExpr is only supported for the 'github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops' provider types",
        eval: |s| {
            let ty = text(s, "type");
            verdict(or(&[
                eq(ty, "github"),
                eq(ty, "gitlab"),
                eq(ty, "gitea"),
                eq(ty, "bitbucketserver"),
                eq(ty, "bitbucket"),
                eq(ty, "azuredevops"),
                not(has(s, "commitStatusExpr")),
            ]))
        },
    },
    // ---- Receiver ----
    Rule {
        kind: "Receiver",
        node: "spec",
        cel: "self.type != 'generic-oidc' || (has(self.oidcProviders) && size(self.oidcProviders) > 0)",
        code: "schema.rule.receiver_oidc_providers_required",
        message: "generic-oidc receivers must define at least one oidcProvider",
        eval: |s| {
            verdict(or(&[
                ne(text(s, "type"), "generic-oidc"),
                and(&[
                    has(s, "oidcProviders"),
                    size(s, "oidcProviders").map(|n| n > 0),
                ]),
            ]))
        },
    },
    Rule {
        kind: "Receiver",
        node: "spec",
        cel: "self.type == 'generic-oidc' || !has(self.oidcProviders) || size(self.oidcProviders) == 0",
        code: "schema.rule.receiver_oidc_providers_forbidden",
        message: "oidcProviders can only be set when type is generic-oidc",
        eval: |s| {
            verdict(or(&[
                eq(text(s, "type"), "generic-oidc"),
                not(has(s, "oidcProviders")),
                size(s, "oidcProviders").map(|n| n == 0),
            ]))
        },
    },
    Rule {
        kind: "Receiver",
        node: "spec",
        cel: "self.type != 'generic-oidc' || !has(self.secretRef)",
        code: "schema.rule.receiver_secret_ref_forbidden",
        message: "secretRef cannot be set when type is generic-oidc",
        eval: |s| {
            verdict(or(&[
                ne(text(s, "type"), "generic-oidc"),
                not(has(s, "secretRef")),
            ]))
        },
    },
    Rule {
        kind: "Receiver",
        node: "spec",
        cel: "self.type == 'generic-oidc' || has(self.secretRef)",
        code: "schema.rule.receiver_secret_ref_required",
        message: "secretRef is required when type is not generic-oidc",
        eval: |s| verdict(or(&[eq(text(s, "type"), "generic-oidc"), has(s, "secretRef")])),
    },
    // ---- ArtifactGenerator ----
    Rule {
        kind: "ArtifactGenerator",
        node: "spec",
        cel: "has(self.pathPattern) && size(self.pathPattern) > 0 || self.artifacts.all(a, a.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'))",
        code: "schema.rule.artifact_name_valid",
        message: "artifact names must be valid Kubernetes object names when pathPattern is not set",
        eval: artifact_names,
    },
    // ---- Bucket ----
    Rule {
        kind: "Bucket",
        node: "spec",
        cel: "self.provider == 'aws' || self.provider == 'generic' || !has(self.sts)",
        code: "schema.rule.bucket_sts_provider_unsupported",
        message: "STS configuration is only supported for the 'aws' and 'generic' Bucket providers",
        eval: |s| {
            let provider = bucket_provider(s);
            verdict(or(&[
                eq(provider, "aws"),
                eq(provider, "generic"),
                not(has(s, "sts")),
            ]))
        },
    },
    Rule {
        kind: "Bucket",
        node: "spec",
        cel: "self.provider != 'aws' || !has(self.sts) || self.sts.provider == 'aws'",
        code: "schema.rule.bucket_sts_aws_provider",
        message: "'aws' is the only supported STS provider for the 'aws' Bucket provider",
        eval: |s| {
            verdict(or(&[
                ne(bucket_provider(s), "aws"),
                not(has(s, "sts")),
                eq(object(s, "sts").and_then(|sts| text(sts, "provider")), "aws"),
            ]))
        },
    },
    Rule {
        kind: "Bucket",
        node: "spec",
        cel: "self.provider != 'generic' || !has(self.sts) || self.sts.provider == 'ldap'",
        code: "schema.rule.bucket_sts_generic_provider",
        message: "'ldap' is the only supported STS provider for the 'generic' Bucket provider",
        eval: |s| {
            verdict(or(&[
                ne(bucket_provider(s), "generic"),
                not(has(s, "sts")),
                eq(object(s, "sts").and_then(|sts| text(sts, "provider")), "ldap"),
            ]))
        },
    },
    Rule {
        kind: "Bucket",
        node: "spec",
        cel: "!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.secretRef)",
        code: "schema.rule.bucket_sts_aws_secret_ref",
        message: "spec.sts.secretRef is not required for the 'aws' STS provider",
        eval: |s| {
            let sts = object(s, "sts");
            verdict(or(&[
                not(has(s, "sts")),
                ne(sts.and_then(|sts| text(sts, "provider")), "aws"),
                not(sts.map(|sts| field(sts, "secretRef").is_some())),
            ]))
        },
    },
    Rule {
        kind: "Bucket",
        node: "spec",
        cel: "!has(self.sts) || self.sts.provider != 'aws' || !has(self.sts.certSecretRef)",
        code: "schema.rule.bucket_sts_aws_cert_secret_ref",
        message: "spec.sts.certSecretRef is not required for the 'aws' STS provider",
        eval: |s| {
            let sts = object(s, "sts");
            verdict(or(&[
                not(has(s, "sts")),
                ne(sts.and_then(|sts| text(sts, "provider")), "aws"),
                not(sts.map(|sts| field(sts, "certSecretRef").is_some())),
            ]))
        },
    },
    Rule {
        kind: "Bucket",
        node: "spec",
        cel: "self.provider != 'generic' || !has(self.serviceAccountName)",
        code: "schema.rule.bucket_generic_service_account",
        message: "ServiceAccountName is not supported for the 'generic' Bucket provider",
        eval: |s| {
            verdict(or(&[
                ne(bucket_provider(s), "generic"),
                not(has(s, "serviceAccountName")),
            ]))
        },
    },
    Rule {
        kind: "Bucket",
        node: "spec",
        cel: "!has(self.secretRef) || !has(self.serviceAccountName)",
        code: "schema.rule.bucket_secret_ref_and_service_account",
        message: "cannot set both .spec.secretRef and .spec.serviceAccountName",
        eval: |s| {
            verdict(or(&[
                not(has(s, "secretRef")),
                not(has(s, "serviceAccountName")),
            ]))
        },
    },
    // ---- GitRepository ----
    Rule {
        kind: "GitRepository",
        node: "spec",
        cel: "!has(self.serviceAccountName) || (has(self.provider) && (self.provider == 'azure' || self.provider == 'aws'))",
        code: "schema.rule.git_service_account_provider",
        message: "serviceAccountName can only be set when provider is 'azure' or 'aws'",
        eval: |s| {
            let provider = text(s, "provider");
            verdict(or(&[
                not(has(s, "serviceAccountName")),
                and(&[
                    has(s, "provider"),
                    or(&[eq(provider, "azure"), eq(provider, "aws")]),
                ]),
            ]))
        },
    },
    // ---- HelmChart ----
    Rule {
        kind: "HelmChart",
        node: "spec",
        cel: "!has(self.verify) || self.sourceRef.kind == 'HelmRepository'",
        code: "schema.rule.helm_chart_verify_source_kind",
        message: "spec.verify is only supported when spec.sourceRef.kind is 'HelmRepository'",
        eval: |s| {
            verdict(or(&[
                not(has(s, "verify")),
                eq(
                    object(s, "sourceRef").and_then(|r| text(r, "kind")),
                    "HelmRepository",
                ),
            ]))
        },
    },
];

/// The ArtifactGenerator rule: either a non-empty `pathPattern`, or every artifact
/// name is a DNS-1123 subdomain. Reports each offending artifact.
fn artifact_names(s: &Obj) -> Vec<String> {
    static NAME: OnceLock<Regex> = OnceLock::new();
    let name_re = NAME.get_or_init(|| {
        Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
            .expect("valid regex")
    });
    let pattern_set = and(&[has(s, "pathPattern"), size(s, "pathPattern").map(|n| n > 0)]);
    let Some(artifacts) = field(s, "artifacts").and_then(Value::as_array) else {
        // `self.artifacts` missing or not a list: an evaluation error unless the
        // left-hand side already holds; either way nothing to report here.
        return Vec::new();
    };
    let per_item: Vec<Tri> = artifacts
        .iter()
        .map(|a| {
            a.as_object()
                .and_then(|a| text(a, "name"))
                .map(|name| name_re.is_match(name))
        })
        .collect();
    if or(&[pattern_set, and(&per_item)]) != Some(false) {
        return Vec::new();
    }
    per_item
        .iter()
        .enumerate()
        .filter(|(_, r)| **r == Some(false))
        .map(|(i, _)| format!("artifacts[{i}]"))
        .collect()
}

/// `self.provider` of a Bucket after API defaulting (`generic` when absent).
fn bucket_provider(s: &Obj) -> Option<&str> {
    match field(s, "provider") {
        None => Some("generic"),
        Some(v) => v.as_str(),
    }
}

/// Walks a dotted path of object keys; `None` when a step is absent, null or not an
/// object (the rule then does not run).
fn resolve<'a>(doc: &'a Value, path: &str) -> Option<&'a Obj> {
    let mut cur = doc.as_object()?;
    for key in path.split('.') {
        cur = field(cur, key)?.as_object()?;
    }
    Some(cur)
}

/// A present, non-null field.
fn field<'a>(o: &'a Obj, key: &str) -> Option<&'a Value> {
    o.get(key).filter(|v| !v.is_null())
}

/// `has(self.key)`.
fn has(o: &Obj, key: &str) -> Tri {
    Some(field(o, key).is_some())
}

/// `self.key` as an object; `None` stands for the evaluation error of a missing field
/// or a wrong type.
fn object<'a>(o: &'a Obj, key: &str) -> Option<&'a Obj> {
    field(o, key)?.as_object()
}

/// `self.key` as a string; `None` stands for an evaluation error.
fn text<'a>(o: &'a Obj, key: &str) -> Option<&'a str> {
    field(o, key)?.as_str()
}

/// `size(self.key)`: code points of a string, entries of a list. The fields the
/// rules measure are strings or lists; any other type is a schema type error.
fn size(o: &Obj, key: &str) -> Option<usize> {
    match field(o, key)? {
        Value::String(s) => Some(s.chars().count()),
        Value::Array(a) => Some(a.len()),
        _ => None,
    }
}

fn eq(value: Option<&str>, literal: &str) -> Tri {
    value.map(|v| v == literal)
}

fn ne(value: Option<&str>, literal: &str) -> Tri {
    value.map(|v| v != literal)
}

fn not(t: Tri) -> Tri {
    t.map(|b| !b)
}

/// CEL `||`: true if any side is true, even when another side errors.
fn or(terms: &[Tri]) -> Tri {
    if terms.contains(&Some(true)) {
        Some(true)
    } else if terms.iter().all(Option::is_some) {
        Some(false)
    } else {
        None
    }
}

/// CEL `&&`: false if any side is false, even when another side errors.
fn and(terms: &[Tri]) -> Tri {
    if terms.contains(&Some(false)) {
        Some(false)
    } else if terms.iter().all(Option::is_some) {
        Some(true)
    } else {
        None
    }
}

/// A rule on its node: a violation only when the expression is definitely false.
fn verdict(t: Tri) -> Vec<String> {
    if t == Some(false) {
        vec![String::new()]
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(api_version: &str, kind: &str, spec: Value) -> Value {
        json!({
            "apiVersion": api_version,
            "kind": kind,
            "metadata": { "name": "test", "namespace": "flux-system" },
            "spec": spec,
        })
    }

    fn codes(kind: &str, d: &Value) -> Vec<(&'static str, String)> {
        check(kind, d)
            .into_iter()
            .map(|v| (v.code, v.path))
            .collect()
    }

    /// Asserts exactly one violation, with this code, path and message.
    #[track_caller]
    fn assert_one(kind: &str, d: &Value, code: &str, path: &str, message: &str) {
        let found = check(kind, d);
        assert_eq!(found.len(), 1, "expected one violation, got {found:?}");
        assert_eq!(found[0].code, code);
        assert_eq!(found[0].path, path);
        assert_eq!(found[0].message, message);
    }

    #[track_caller]
    fn assert_clean(kind: &str, d: &Value) {
        let found = check(kind, d);
        assert!(found.is_empty(), "expected no violation, got {found:?}");
    }

    // ---------- HelmRelease ----------

    fn hr(spec: Value) -> Value {
        doc("helm.toolkit.fluxcd.io/v2", "HelmRelease", spec)
    }

    fn chart() -> Value {
        json!({ "spec": { "chart": "podinfo", "sourceRef": { "kind": "HelmRepository", "name": "podinfo" } } })
    }

    #[test]
    fn hr_chart_xor_chart_ref() {
        let msg = "either chart or chartRef must be set";
        assert_clean(
            "HelmRelease",
            &hr(json!({ "interval": "5m", "chart": chart() })),
        );
        assert_clean(
            "HelmRelease",
            &hr(json!({ "interval": "5m", "chartRef": { "kind": "OCIRepository", "name": "p" } })),
        );
        assert_one(
            "HelmRelease",
            &hr(json!({ "interval": "5m" })),
            "schema.rule.chart_xor_chart_ref",
            "spec",
            msg,
        );
        assert_one(
            "HelmRelease",
            &hr(
                json!({ "interval": "5m", "chart": chart(), "chartRef": { "kind": "OCIRepository", "name": "p" } }),
            ),
            "schema.rule.chart_xor_chart_ref",
            "spec",
            msg,
        );
        // An empty object is present for has(); null is absent.
        assert_clean(
            "HelmRelease",
            &hr(json!({ "interval": "5m", "chart": {}, "chartRef": null })),
        );
        assert_one(
            "HelmRelease",
            &hr(json!({ "interval": "5m", "chart": null, "chartRef": null })),
            "schema.rule.chart_xor_chart_ref",
            "spec",
            msg,
        );
    }

    #[test]
    fn hr_install_strategy_retry_interval() {
        let base = |strategy: Value| {
            hr(json!({ "interval": "5m", "chart": chart(), "install": { "strategy": strategy } }))
        };
        assert_clean(
            "HelmRelease",
            &base(json!({ "name": "RetryOnFailure", "retryInterval": "1m" })),
        );
        assert_clean(
            "HelmRelease",
            &base(json!({ "name": "RemediateOnFailure" })),
        );
        assert_one(
            "HelmRelease",
            &base(json!({ "name": "RemediateOnFailure", "retryInterval": "1m" })),
            "schema.rule.install_strategy_retry_interval",
            "spec.install.strategy",
            ".retryInterval cannot be set when .name is 'RemediateOnFailure'",
        );
        // Required `name` missing: an evaluation error, left to the required check.
        assert_clean("HelmRelease", &base(json!({ "retryInterval": "1m" })));
        // No strategy at all: the rule does not run.
        assert_clean(
            "HelmRelease",
            &hr(json!({ "interval": "5m", "chart": chart(), "install": {} })),
        );
    }

    #[test]
    fn hr_upgrade_strategy_retry_interval() {
        let base = |strategy: Value| {
            hr(json!({ "interval": "5m", "chart": chart(), "upgrade": { "strategy": strategy } }))
        };
        assert_clean(
            "HelmRelease",
            &base(json!({ "name": "RetryOnFailure", "retryInterval": "1m" })),
        );
        assert_clean(
            "HelmRelease",
            &base(json!({ "name": "RemediateOnFailure" })),
        );
        assert_one(
            "HelmRelease",
            &base(json!({ "name": "RemediateOnFailure", "retryInterval": "" })),
            "schema.rule.upgrade_strategy_retry_interval",
            "spec.upgrade.strategy",
            ".retryInterval can only be set when .name is 'RetryOnFailure'",
        );
    }

    fn kubeconfig_cases(kind: &str, make: &dyn Fn(Value) -> Value) {
        let msg = "exactly one of spec.kubeConfig.configMapRef or spec.kubeConfig.secretRef must be specified";
        assert_clean(kind, &make(json!({ "secretRef": { "name": "kc" } })));
        assert_clean(kind, &make(json!({ "configMapRef": { "name": "kc" } })));
        assert_one(
            kind,
            &make(json!({})),
            "schema.rule.kubeconfig_one_of_none",
            "spec.kubeConfig",
            msg,
        );
        assert_one(
            kind,
            &make(json!({ "configMapRef": { "name": "a" }, "secretRef": { "name": "b" } })),
            "schema.rule.kubeconfig_one_of_both",
            "spec.kubeConfig",
            msg,
        );
        // Null kubeConfig is absent: nothing runs.
        assert_clean(kind, &make(Value::Null));
    }

    #[test]
    fn hr_kubeconfig() {
        kubeconfig_cases("HelmRelease", &|kc| {
            hr(json!({ "interval": "5m", "chart": chart(), "kubeConfig": kc }))
        });
    }

    // ---------- Kustomization ----------

    #[test]
    fn ks_kubeconfig() {
        kubeconfig_cases("Kustomization", &|kc| {
            doc(
                "kustomize.toolkit.fluxcd.io/v1",
                "Kustomization",
                json!({
                    "interval": "10m", "prune": true,
                    "sourceRef": { "kind": "GitRepository", "name": "flux-system" },
                    "kubeConfig": kc,
                }),
            )
        });
    }

    // ---------- ImagePolicy ----------

    fn ip(extra: Value) -> Value {
        let mut spec = json!({
            "imageRepositoryRef": { "name": "podinfo" },
            "policy": { "semver": { "range": "5.x" } },
        });
        spec.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        doc("image.toolkit.fluxcd.io/v1", "ImagePolicy", spec)
    }

    #[test]
    fn image_policy_interval_needs_always() {
        assert_clean("ImagePolicy", &ip(json!({})));
        assert_clean(
            "ImagePolicy",
            &ip(json!({ "interval": "5m", "digestReflectionPolicy": "Always" })),
        );
        let msg =
            "spec.interval is only accepted when spec.digestReflectionPolicy is set to 'Always'";
        assert_one(
            "ImagePolicy",
            &ip(json!({ "interval": "5m" })),
            "schema.rule.image_policy_interval_needs_always",
            "spec",
            msg,
        );
        assert_one(
            "ImagePolicy",
            &ip(json!({ "interval": "5m", "digestReflectionPolicy": "IfNotPresent" })),
            "schema.rule.image_policy_interval_needs_always",
            "spec",
            msg,
        );
    }

    #[test]
    fn image_policy_always_needs_interval() {
        assert_clean(
            "ImagePolicy",
            &ip(json!({ "digestReflectionPolicy": "Never" })),
        );
        assert_one(
            "ImagePolicy",
            &ip(json!({ "digestReflectionPolicy": "Always" })),
            "schema.rule.image_policy_always_needs_interval",
            "spec",
            "spec.interval must be set when spec.digestReflectionPolicy is set to 'Always'",
        );
    }

    // ---------- Provider ----------

    #[test]
    fn provider_commit_status_expr() {
        let p = |spec: Value| doc("notification.toolkit.fluxcd.io/v1beta3", "Provider", spec);
        for ty in [
            "github",
            "gitlab",
            "gitea",
            "bitbucketserver",
            "bitbucket",
            "azuredevops",
        ] {
            assert_clean(
                "Provider",
                &p(json!({ "type": ty, "commitStatusExpr": "event.metadata.x" })),
            );
        }
        assert_clean("Provider", &p(json!({ "type": "slack" })));
        assert_one(
            "Provider",
            &p(json!({ "type": "slack", "commitStatusExpr": "" })),
            "schema.rule.provider_commit_status_expr_type",
            "spec",
            "spec.commitStatusExpr is only supported for the 'github', 'gitlab', 'gitea', 'bitbucketserver', 'bitbucket', 'azuredevops' provider types",
        );
        // Missing required `type`: evaluation error, not reported here.
        assert_clean("Provider", &p(json!({ "commitStatusExpr": "x" })));
    }

    // ---------- Receiver ----------

    fn rcv(spec: Value) -> Value {
        let mut s = json!({ "resources": [{ "kind": "GitRepository", "name": "x" }] });
        s.as_object_mut()
            .unwrap()
            .extend(spec.as_object().unwrap().clone());
        doc("notification.toolkit.fluxcd.io/v1", "Receiver", s)
    }

    #[test]
    fn receiver_valid() {
        assert_clean(
            "Receiver",
            &rcv(json!({ "type": "github", "secretRef": { "name": "s" } })),
        );
        assert_clean(
            "Receiver",
            &rcv(json!({ "type": "generic-oidc", "oidcProviders": [{ "issuer": "https://x" }] })),
        );
        // An empty list of oidcProviders is fine on other types.
        assert_clean(
            "Receiver",
            &rcv(json!({ "type": "github", "secretRef": { "name": "s" }, "oidcProviders": [] })),
        );
    }

    #[test]
    fn receiver_oidc_providers_required() {
        let msg = "generic-oidc receivers must define at least one oidcProvider";
        assert_one(
            "Receiver",
            &rcv(json!({ "type": "generic-oidc" })),
            "schema.rule.receiver_oidc_providers_required",
            "spec",
            msg,
        );
        assert_one(
            "Receiver",
            &rcv(json!({ "type": "generic-oidc", "oidcProviders": [] })),
            "schema.rule.receiver_oidc_providers_required",
            "spec",
            msg,
        );
    }

    #[test]
    fn receiver_oidc_providers_forbidden() {
        assert_one(
            "Receiver",
            &rcv(
                json!({ "type": "gitlab", "secretRef": { "name": "s" }, "oidcProviders": [{ "issuer": "https://x" }] }),
            ),
            "schema.rule.receiver_oidc_providers_forbidden",
            "spec",
            "oidcProviders can only be set when type is generic-oidc",
        );
    }

    #[test]
    fn receiver_secret_ref_forbidden() {
        assert_one(
            "Receiver",
            &rcv(
                json!({ "type": "generic-oidc", "oidcProviders": [{ "issuer": "https://x" }], "secretRef": { "name": "s" } }),
            ),
            "schema.rule.receiver_secret_ref_forbidden",
            "spec",
            "secretRef cannot be set when type is generic-oidc",
        );
    }

    #[test]
    fn receiver_secret_ref_required() {
        assert_one(
            "Receiver",
            &rcv(json!({ "type": "generic" })),
            "schema.rule.receiver_secret_ref_required",
            "spec",
            "secretRef is required when type is not generic-oidc",
        );
    }

    #[test]
    fn receiver_several_rules_at_once() {
        assert_eq!(
            codes(
                "Receiver",
                &rcv(json!({ "type": "generic", "oidcProviders": [{}] }))
            ),
            vec![
                (
                    "schema.rule.receiver_oidc_providers_forbidden",
                    "spec".to_string()
                ),
                (
                    "schema.rule.receiver_secret_ref_required",
                    "spec".to_string()
                ),
            ]
        );
    }

    // ---------- ArtifactGenerator ----------

    fn ag(spec: Value) -> Value {
        doc(
            "source.extensions.fluxcd.io/v1beta1",
            "ArtifactGenerator",
            spec,
        )
    }

    fn artifact(name: &str) -> Value {
        json!({ "name": name, "copy": [{ "from": "@src/**", "to": "@out/" }] })
    }

    #[test]
    fn artifact_name_valid() {
        let sources = json!([{ "alias": "src", "kind": "GitRepository", "name": "repo" }]);
        assert_clean(
            "ArtifactGenerator",
            &ag(json!({ "sources": sources, "artifacts": [artifact("app"), artifact("a.b-c")] })),
        );
        let msg =
            "artifact names must be valid Kubernetes object names when pathPattern is not set";
        let bad = ag(json!({
            "sources": sources,
            "artifacts": [artifact("ok"), artifact("Bad_Name"), artifact("fine"), artifact("-x")],
        }));
        let found = check("ArtifactGenerator", &bad);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].code, "schema.rule.artifact_name_valid");
        assert_eq!(found[0].path, "spec.artifacts[1]");
        assert_eq!(found[0].message, msg);
        assert_eq!(found[1].path, "spec.artifacts[3]");
        // With a pathPattern the names may be anything.
        assert_clean(
            "ArtifactGenerator",
            &ag(
                json!({ "sources": sources, "pathPattern": "{{ .Path }}", "artifacts": [artifact("Bad_Name")] }),
            ),
        );
        // An empty pathPattern does not count.
        assert_one(
            "ArtifactGenerator",
            &ag(
                json!({ "sources": sources, "pathPattern": "", "artifacts": [artifact("Bad_Name")] }),
            ),
            "schema.rule.artifact_name_valid",
            "spec.artifacts[0]",
            msg,
        );
        // `all` is false when any element is false, even if another errors.
        assert_eq!(
            codes(
                "ArtifactGenerator",
                &ag(
                    json!({ "sources": sources, "artifacts": [{ "copy": [] }, artifact("UPPER")] })
                )
            ),
            vec![(
                "schema.rule.artifact_name_valid",
                "spec.artifacts[1]".to_string()
            )]
        );
    }

    // ---------- Bucket ----------

    fn bucket(extra: Value) -> Value {
        let mut spec = json!({ "bucketName": "b", "endpoint": "minio:9000", "interval": "5m" });
        spec.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        doc("source.toolkit.fluxcd.io/v1", "Bucket", spec)
    }

    #[test]
    fn bucket_valid() {
        assert_clean("Bucket", &bucket(json!({})));
        assert_clean(
            "Bucket",
            &bucket(
                json!({ "provider": "aws", "sts": { "provider": "aws", "endpoint": "https://sts" } }),
            ),
        );
        assert_clean(
            "Bucket",
            &bucket(
                json!({ "provider": "generic", "sts": { "provider": "ldap", "endpoint": "https://sts", "secretRef": { "name": "s" }, "certSecretRef": { "name": "c" } } }),
            ),
        );
        // `provider` defaults to generic.
        assert_clean(
            "Bucket",
            &bucket(json!({ "sts": { "provider": "ldap", "endpoint": "https://sts" } })),
        );
        assert_clean(
            "Bucket",
            &bucket(json!({ "provider": "aws", "serviceAccountName": "sa" })),
        );
        assert_clean(
            "Bucket",
            &bucket(json!({ "provider": "gcp", "secretRef": { "name": "s" } })),
        );
    }

    #[test]
    fn bucket_sts_provider_unsupported() {
        assert_one(
            "Bucket",
            &bucket(
                json!({ "provider": "gcp", "sts": { "provider": "aws", "endpoint": "https://sts" } }),
            ),
            "schema.rule.bucket_sts_provider_unsupported",
            "spec",
            "STS configuration is only supported for the 'aws' and 'generic' Bucket providers",
        );
    }

    #[test]
    fn bucket_sts_aws_provider() {
        assert_one(
            "Bucket",
            &bucket(
                json!({ "provider": "aws", "sts": { "provider": "ldap", "endpoint": "https://sts" } }),
            ),
            "schema.rule.bucket_sts_aws_provider",
            "spec",
            "'aws' is the only supported STS provider for the 'aws' Bucket provider",
        );
    }

    #[test]
    fn bucket_sts_generic_provider() {
        let msg = "'ldap' is the only supported STS provider for the 'generic' Bucket provider";
        assert_one(
            "Bucket",
            &bucket(
                json!({ "provider": "generic", "sts": { "provider": "aws", "endpoint": "https://sts" } }),
            ),
            "schema.rule.bucket_sts_generic_provider",
            "spec",
            msg,
        );
        // The same through the API default of `provider`.
        assert_one(
            "Bucket",
            &bucket(
                json!({ "provider": null, "sts": { "provider": "aws", "endpoint": "https://sts" } }),
            ),
            "schema.rule.bucket_sts_generic_provider",
            "spec",
            msg,
        );
    }

    #[test]
    fn bucket_sts_aws_secret_refs() {
        assert_eq!(
            codes(
                "Bucket",
                &bucket(
                    json!({ "provider": "aws", "sts": { "provider": "aws", "endpoint": "https://sts", "secretRef": { "name": "s" } } })
                )
            ),
            vec![("schema.rule.bucket_sts_aws_secret_ref", "spec".to_string())]
        );
        assert_one(
            "Bucket",
            &bucket(
                json!({ "provider": "aws", "sts": { "provider": "aws", "endpoint": "https://sts", "secretRef": { "name": "s" } } }),
            ),
            "schema.rule.bucket_sts_aws_secret_ref",
            "spec",
            "spec.sts.secretRef is not required for the 'aws' STS provider",
        );
        assert_one(
            "Bucket",
            &bucket(
                json!({ "provider": "aws", "sts": { "provider": "aws", "endpoint": "https://sts", "certSecretRef": { "name": "c" } } }),
            ),
            "schema.rule.bucket_sts_aws_cert_secret_ref",
            "spec",
            "spec.sts.certSecretRef is not required for the 'aws' STS provider",
        );
    }

    #[test]
    fn bucket_sts_rules_together() {
        // A generic bucket with an aws STS that carries both refs breaks three
        // rules at once, reported in CRD order.
        assert_eq!(
            codes(
                "Bucket",
                &bucket(
                    json!({ "provider": "generic", "sts": { "provider": "aws", "endpoint": "e", "secretRef": {}, "certSecretRef": {} } })
                )
            ),
            vec![
                (
                    "schema.rule.bucket_sts_generic_provider",
                    "spec".to_string()
                ),
                ("schema.rule.bucket_sts_aws_secret_ref", "spec".to_string()),
                (
                    "schema.rule.bucket_sts_aws_cert_secret_ref",
                    "spec".to_string()
                ),
            ]
        );
    }

    #[test]
    fn bucket_generic_service_account() {
        let msg = "ServiceAccountName is not supported for the 'generic' Bucket provider";
        assert_one(
            "Bucket",
            &bucket(json!({ "provider": "generic", "serviceAccountName": "sa" })),
            "schema.rule.bucket_generic_service_account",
            "spec",
            msg,
        );
        assert_one(
            "Bucket",
            &bucket(json!({ "serviceAccountName": "sa" })),
            "schema.rule.bucket_generic_service_account",
            "spec",
            msg,
        );
    }

    #[test]
    fn bucket_secret_ref_and_service_account() {
        assert_one(
            "Bucket",
            &bucket(
                json!({ "provider": "azure", "serviceAccountName": "sa", "secretRef": { "name": "s" } }),
            ),
            "schema.rule.bucket_secret_ref_and_service_account",
            "spec",
            "cannot set both .spec.secretRef and .spec.serviceAccountName",
        );
    }

    // ---------- GitRepository ----------

    #[test]
    fn git_service_account_provider() {
        let g = |extra: Value| {
            let mut spec = json!({ "url": "https://github.com/x/y", "interval": "1m" });
            spec.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            doc("source.toolkit.fluxcd.io/v1", "GitRepository", spec)
        };
        assert_clean("GitRepository", &g(json!({})));
        assert_clean(
            "GitRepository",
            &g(json!({ "provider": "azure", "serviceAccountName": "sa" })),
        );
        assert_clean(
            "GitRepository",
            &g(json!({ "provider": "aws", "serviceAccountName": "sa" })),
        );
        let msg = "serviceAccountName can only be set when provider is 'azure' or 'aws'";
        assert_one(
            "GitRepository",
            &g(json!({ "serviceAccountName": "sa" })),
            "schema.rule.git_service_account_provider",
            "spec",
            msg,
        );
        assert_one(
            "GitRepository",
            &g(json!({ "provider": "github", "serviceAccountName": "" })),
            "schema.rule.git_service_account_provider",
            "spec",
            msg,
        );
    }

    // ---------- HelmChart ----------

    #[test]
    fn helm_chart_verify_source_kind() {
        let hc = |kind: &str, verify: Value| {
            doc(
                "source.toolkit.fluxcd.io/v1",
                "HelmChart",
                json!({ "chart": "podinfo", "interval": "5m", "sourceRef": { "kind": kind, "name": "x" }, "verify": verify }),
            )
        };
        assert_clean(
            "HelmChart",
            &hc("HelmRepository", json!({ "provider": "cosign" })),
        );
        assert_clean("HelmChart", &hc("GitRepository", Value::Null));
        assert_one(
            "HelmChart",
            &hc("GitRepository", json!({ "provider": "cosign" })),
            "schema.rule.helm_chart_verify_source_kind",
            "spec",
            "spec.verify is only supported when spec.sourceRef.kind is 'HelmRepository'",
        );
    }

    // ---------- general ----------

    #[test]
    fn rules_do_not_run_without_their_node() {
        assert!(check("HelmRelease", &json!({ "kind": "HelmRelease" })).is_empty());
        assert!(check("Bucket", &json!({ "spec": null })).is_empty());
        assert!(check("Bucket", &json!({ "spec": "not an object" })).is_empty());
        assert!(check("Bucket", &json!([])).is_empty());
        assert!(check("ConfigMap", &json!({ "spec": {} })).is_empty());
        // Kinds whose CRD has no CEL rule.
        for kind in [
            "OCIRepository",
            "HelmRepository",
            "ExternalArtifact",
            "ImageRepository",
            "ImageUpdateAutomation",
            "Alert",
        ] {
            assert!(check(kind, &json!({ "spec": {} })).is_empty());
        }
    }

    #[test]
    fn codes_are_well_formed_and_unique_per_rule() {
        let code_re = Regex::new(r"^schema\.rule\.[a-z][a-z0-9_]*$").unwrap();
        let mut by_code: std::collections::BTreeMap<&str, (&str, &str)> = Default::default();
        let mut seen = std::collections::BTreeSet::new();
        for r in RULES {
            assert!(code_re.is_match(r.code), "bad code {}", r.code);
            // A code names one rule: shared only by identical rules in two CRDs.
            if let Some((cel, msg)) = by_code.insert(r.code, (r.cel, r.message)) {
                assert_eq!((cel, msg), (r.cel, r.message), "code {} reused", r.code);
            }
            assert!(
                seen.insert((r.kind, r.code)),
                "{} twice on {}",
                r.code,
                r.kind
            );
        }
        assert_eq!(implemented_rules().len(), RULES.len());
        assert_eq!(by_code.len(), 22);
    }

    // ---------- coverage against the upstream CRDs ----------

    /// Transition rules (reading `oldSelf`) cannot be checked offline; `(kind, path,
    /// CEL)` of each one we knowingly skip. The current CRDs have none.
    const SKIPPED_TRANSITION_RULES: &[(&str, &str, &str)] = &[];

    fn crd_dir() -> Option<std::path::PathBuf> {
        [
            concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/flux-crds"),
            concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/flux-crds"),
        ]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|p| p.is_dir())
    }

    /// Every `x-kubernetes-validations` entry of a schema, with the dotted path of
    /// its node (`[]` for list items, `[*]` for map values).
    fn collect(node: &Value, path: &str, out: &mut Vec<(String, String, String)>) {
        let Some(o) = node.as_object() else { return };
        if let Some(list) = o.get("x-kubernetes-validations").and_then(Value::as_array) {
            for v in list {
                let rule = v.get("rule").and_then(Value::as_str).unwrap_or_default();
                let message = v.get("message").and_then(Value::as_str).unwrap_or_default();
                out.push((path.to_string(), rule.to_string(), message.to_string()));
            }
        }
        if let Some(props) = o.get("properties").and_then(Value::as_object) {
            for (k, v) in props {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                collect(v, &p, out);
            }
        }
        if let Some(items) = o.get("items") {
            collect(items, &format!("{path}[]"), out);
        }
        if let Some(extra) = o.get("additionalProperties") {
            collect(extra, &format!("{path}[*]"), out);
        }
    }

    #[test]
    fn every_crd_rule_is_implemented() {
        let Some(dir) = crd_dir() else {
            eprintln!("skipping: ../shared not found");
            return;
        };
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        assert_eq!(files.len(), 15, "expected the 15 Flux CRDs in {dir:?}");

        let mut upstream = Vec::new();
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            let crd: Value =
                serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let kind = crd["spec"]["names"]["kind"].as_str().unwrap().to_string();
            for version in crd["spec"]["versions"].as_array().unwrap() {
                let mut found = Vec::new();
                collect(&version["schema"]["openAPIV3Schema"], "", &mut found);
                for (path, cel, message) in found {
                    upstream.push((kind.clone(), path, cel, message));
                }
            }
        }

        let mut missing = Vec::new();
        for (kind, path, cel, message) in &upstream {
            let key = (kind.as_str(), path.as_str(), cel.as_str());
            if SKIPPED_TRANSITION_RULES.contains(&key) {
                continue;
            }
            if cel.contains("oldSelf") {
                missing.push(format!(
                    "{kind} {path}: transition rule `{cel}` must be listed as skipped"
                ));
                continue;
            }
            if !implemented_rules().contains(&key) {
                missing.push(format!("{kind} {path}: `{cel}`"));
                continue;
            }
            let ours = RULES
                .iter()
                .find(|r| (r.kind, r.node, r.cel) == key)
                .unwrap();
            assert_eq!(
                ours.message, message,
                "message of {kind} {path} `{cel}` differs from the CRD"
            );
        }
        assert!(
            missing.is_empty(),
            "CRD rules without a Rust implementation:\n{}",
            missing.join("\n")
        );

        // And nothing implemented that upstream no longer has.
        for (kind, path, cel) in implemented_rules() {
            assert!(
                upstream.iter().any(
                    |(k, p, c, _)| (k.as_str(), p.as_str(), c.as_str()) == (*kind, *path, *cel)
                ),
                "{kind} {path}: `{cel}` is not in the CRDs any more"
            );
        }
        assert_eq!(
            upstream.len(),
            implemented_rules().len() + SKIPPED_TRANSITION_RULES.len()
        );
    }
}

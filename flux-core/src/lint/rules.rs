//! The lint rules that need only the loaded objects, and their table.
//!
//! Each rule below names, in a comment, the upstream code that makes it true
//! (snapshots of flux-semantics §0: helm-controller 0f61a86, kustomize-controller
//! 186fb3b). Rules read the typed object when the loader could type it, so an
//! object that already failed the schema is not reported twice; the two rules on
//! misplaced kustomize configuration read the document as written.
//!
//! ```
//! use fluxcd_core::lint::{check_objects, Profiles};
//! use fluxcd_core::manifest::load_str;
//!
//! let hr = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: web\n      version: 1.2.3\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n  values:\n    auth:\n      password: hunter2\n";
//! let set = load_str(hr, Some("web.yaml"));
//! let found = check_objects(&set.objects, &Profiles::parse("conventions").unwrap());
//! let secret = found.iter().find(|d| d.code == "conventions.secret_literal").unwrap();
//! assert_eq!(secret.location.line, 16);
//! assert!(!secret.message.contains("hunter2"));
//! ```

use serde::Serialize;
use serde_json::Value;

use crate::api::{helm::HelmRelease, kustomize::Kustomization, FluxObject};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::manifest::{KustomizeConfig, Manifest, ManifestSet, Role};

use super::{Profile, Profiles};

/// One lint rule: its stable code, profile, severity and documentation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleInfo {
    /// The stable dotted code of its diagnostics.
    pub code: &'static str,
    /// The profile that enables it.
    pub profile: Profile,
    /// The severity it reports with.
    pub severity: Severity,
    /// One line: what it catches.
    pub summary: &'static str,
    /// How to fix a finding.
    pub fix: &'static str,
    /// Why, with the upstream code that makes it so.
    pub reason: &'static str,
}

const RULES: &[RuleInfo] = &[
    RuleInfo {
        code: "conventions.image_update_direct_push",
        profile: Profile::Conventions,
        severity: Severity::Warning,
        summary: "An ImageUpdateAutomation in a production-like place (its file or `spec.update.path` has a `prod`, `production`, `prd` or `live` path segment) sets no `spec.git.push.branch`: it commits new image tags straight to the branch production deploys from.",
        fix: "Set `spec.git.push.branch` (e.g. `image-updates`) and merge its commits through a reviewed pull request. Whether the deploy key is read-only cannot be known offline: check it in the Git host.",
        reason: "image-automation-controller pushes to `spec.git.checkout.ref.branch` (or the GitRepository's branch) when `spec.git.push` is unset (internal/source: `pushBranch` falls back to the checkout branch), so every selected tag reaches production without review.",
    },
    RuleInfo {
        code: "plan.wait_ignores_health_checks",
        profile: Profile::Flux,
        severity: Severity::Warning,
        summary: "A Kustomization sets `spec.wait: true` and lists `spec.healthChecks`: the list is ignored.",
        fix: "Drop `healthChecks` (wait already checks every applied object), or set `wait: false` to check only the listed objects.",
        reason: "kustomize-controller `checkHealth` (internal/controller/kustomization_controller.go) reads `spec.healthChecks` only when `wait` is false; with `wait: true` it checks the whole inventory instead.",
    },
    RuleInfo {
        code: "plan.implicit_remediate_last_failure",
        profile: Profile::Flux,
        severity: Severity::Warning,
        summary: "A HelmRelease sets `install.remediation.retries` or `upgrade.remediation.retries` above 0 without `remediateLastFailure`, whose default differs between the two.",
        fix: "Write `remediateLastFailure: true` (or `false`) next to `retries`.",
        reason: "helm-controller api/v2/helmrelease_types.go: `UpgradeRemediation.MustRemediateLastFailure` defaults to true when retries > 0, `InstallRemediation.MustRemediateLastFailure` defaults to false: the last failed install is left in place, the last failed upgrade is rolled back.",
    },
    RuleInfo {
        code: "plan.create_namespace_ignored",
        profile: Profile::Flux,
        severity: Severity::Warning,
        summary: "A HelmRelease sets `install.createNamespace: true` without `spec.targetNamespace`: the flag is ignored.",
        fix: "Set `spec.targetNamespace`, or create the namespace elsewhere and drop `createNamespace`.",
        reason: "helm-controller `newInstall` (internal/action/install.go) passes `createNamespace` to Helm only when `spec.targetNamespace` is set.",
    },
    RuleInfo {
        code: "plan.native_kustomize_fields",
        profile: Profile::Flux,
        severity: Severity::Error,
        summary: "A Flux Kustomization (kustomize.toolkit.fluxcd.io) holds kustomize configuration fields (`resources`, `patchesStrategicMerge`, `bases`, `configMapGenerator`, ...): Flux never reads them.",
        fix: "Move these fields into a `kustomization.yaml` (kustomize.config.k8s.io/v1beta1) under the Flux Kustomization's `spec.path`.",
        reason: "The Kustomization CRD (kustomize.toolkit.fluxcd.io_kustomizations.yaml) has a structural schema without preserved unknown fields, so the API server prunes them; kustomize-controller builds only what `spec.path` holds.",
    },
    RuleInfo {
        code: "plan.kustomize_file_as_flux_object",
        profile: Profile::Flux,
        severity: Severity::Error,
        summary: "A file named `kustomization.yaml`, `kustomization.yml` or `Kustomization` holds a Flux object: kustomize reads that file as its own configuration and fails, so the folder never builds.",
        fix: "Rename the file (e.g. `flux-kustomization.yaml`) and list it in the folder's kustomize `resources`, or keep only kustomize configuration in it.",
        reason: "kustomize-controller builds `spec.path` with kustomize (fluxcd/pkg kustomize generator), which reads a folder's kustomization file as its configuration: kustomize api/types/kustomization.go `Kustomization.Unmarshal` rejects unknown fields such as `spec`, and `EnforceFields` requires kind Kustomization/Component at kustomize.config.k8s.io.",
    },
    RuleInfo {
        code: "conventions.chart_version_unpinned",
        profile: Profile::Conventions,
        severity: Severity::Warning,
        summary: "A HelmRelease `spec.chart.spec.version` (or HelmChart `spec.version`) is missing, `*`, a range, an `x` wildcard or a partial version: any new chart release is installed.",
        fix: "Pin an exact version such as `1.4.2` and update it with a pull request.",
        reason: "helm-controller api/v2/helmrelease_types.go defaults `version` to `*` (kubebuilder default); source-controller picks the newest chart matching the constraint.",
    },
    RuleInfo {
        code: "conventions.create_namespace",
        profile: Profile::Conventions,
        severity: Severity::Warning,
        summary: "A HelmRelease does not set `install.createNamespace: false` explicitly.",
        fix: "Declare the Namespace as an object in Git and set `install.createNamespace: false`.",
        reason: "A namespace created by Helm (`newInstall` in internal/action/install.go) carries no labels or policies from Git, is not pruned and outlives the release.",
    },
    RuleInfo {
        code: "conventions.remediation_retries",
        profile: Profile::Conventions,
        severity: Severity::Warning,
        summary: "A HelmRelease leaves `install.remediation.retries` or `upgrade.remediation.retries` unset (0): a failed action is never retried.",
        fix: "Set `retries` (e.g. 3) under `spec.install.remediation` and `spec.upgrade.remediation`.",
        reason: "helm-controller api/v2/helmrelease_types.go: `Retries` defaults to 0 and `RetriesExhausted` is true after the first failure.",
    },
    RuleInfo {
        code: "conventions.cleanup_on_fail",
        profile: Profile::Conventions,
        severity: Severity::Warning,
        summary: "A HelmRelease does not set `upgrade.cleanupOnFail: true`: objects created by a failed upgrade are left behind.",
        fix: "Set `spec.upgrade.cleanupOnFail: true`.",
        reason: "helm-controller internal/action/upgrade.go passes `upgrade.cleanupOnFail` (default false) to Helm's upgrade action.",
    },
    RuleInfo {
        code: "conventions.secret_literal",
        profile: Profile::Conventions,
        severity: Severity::Warning,
        summary: "Inline `spec.values` hold a non-empty string literal under a secret-looking key (password, token, secret, apiKey, privateKey, ...); the value is never printed.",
        fix: "Move the value to a Secret and reference it with `spec.valuesFrom` (kind: Secret, optionally `targetPath`).",
        reason: "Inline values live in Git and in the HelmRelease object, readable by anyone who can read HelmReleases; `valuesFrom` Secrets are read by helm-controller at reconcile time (`ChartValuesFromReferences`).",
    },
    RuleInfo {
        code: "conventions.health_checks",
        profile: Profile::Conventions,
        severity: Severity::Warning,
        summary: "An infrastructure Kustomization (name or `spec.path` contains `infra`, `controllers` or `crds`) has neither `healthChecks` nor `wait: true`: it is Ready before its workloads are.",
        fix: "Set `spec.wait: true`, or list the controllers' Deployments in `spec.healthChecks`.",
        reason: "kustomize-controller `checkHealth` returns at once when neither `healthChecks` nor `wait` is set, so Kustomizations that `dependsOn` it start before the controllers and CRDs are ready.",
    },
    RuleInfo {
        code: "conventions.retry_interval",
        profile: Profile::Conventions,
        severity: Severity::Warning,
        summary: "A Kustomization with `interval` of 1h or more has no `retryInterval`: after a failure it waits a whole interval before trying again.",
        fix: "Set `spec.retryInterval` (e.g. `2m`).",
        reason: "kustomize-controller api/v1/kustomization_types.go `GetRetryInterval` falls back to `interval`.",
    },
    RuleInfo {
        code: "conventions.crd_prune",
        profile: Profile::Conventions,
        severity: Severity::Warning,
        summary: "A Kustomization that applies CRDs (name or `spec.path` contains `crd`) prunes (`prune: true`): removing or renaming it deletes the CRDs and every custom resource of them.",
        fix: "Set `spec.prune: false` on the CRD Kustomization.",
        reason: "kustomize-controller `prune` (internal/controller/kustomization_controller.go) deletes the objects that left the inventory, and a Kustomization deleted with `prune: true` deletes its whole inventory; deleting a CRD deletes its custom resources.",
    },
];

/// Every rule of this module, in a stable order (profile `flux` first).
pub fn rules() -> &'static [RuleInfo] {
    RULES
}

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static RuleInfo> {
    RULES.iter().find(|r| r.code == code)
}

/// Builds the diagnostic of rule `code` at `location`, with the rule's fix as hint.
fn finding(code: &str, location: Location, message: String) -> Diagnostic {
    let info = rule(code);
    let severity = info.map_or(Severity::Warning, |r| r.severity);
    let mut d = Diagnostic::new(code, severity, message).at(location);
    d.hint = info.map(|r| r.fix.to_string());
    d
}

/// Runs every rule of the selected profiles that needs only the objects.
///
/// Patches (partial objects from a `kustomization.yaml`) are skipped. The result
/// is in object order, then rule order.
pub fn check_objects(objects: &[Manifest], profiles: &Profiles) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for m in objects.iter().filter(|m| m.role == Role::Object) {
        if profiles.contains(Profile::Flux) && is_flux_kustomization(m.api_version(), m.kind()) {
            native_kustomize_fields(m, &mut out);
        }
        if profiles.contains(Profile::Conventions)
            && m.kind() == "ImageUpdateAutomation"
            && m.group() == "image.toolkit.fluxcd.io"
        {
            image_update_direct_push(m, &mut out);
        }
        let Some(typed) = &m.typed else { continue };
        let ctx = Ctx {
            m,
            flux: profiles.contains(Profile::Flux),
            conventions: profiles.contains(Profile::Conventions),
        };
        match typed {
            FluxObject::Kustomization(k) => ctx.kustomization(k, &mut out),
            FluxObject::HelmRelease(hr) => ctx.helm_release(hr, &mut out),
            FluxObject::HelmChart(hc) if ctx.conventions => {
                let version = hc.spec.as_ref().and_then(|s| s.version.as_deref());
                ctx.chart_version(version, "spec.version", "spec", &mut out);
            }
            _ => {}
        }
    }
    out
}

/// Runs the rules on `kustomization.yaml` files (profile `flux`).
pub fn check_kustomize_configs(
    configs: &[KustomizeConfig],
    profiles: &Profiles,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if !profiles.contains(Profile::Flux) {
        return out;
    }
    // kustomize reads these files as its configuration (kustomize.config.k8s.io);
    // a Flux object there is not an object to apply but an invalid configuration.
    // Upstream: fluxcd/pkg kustomize generator uses the folder's kustomization file;
    // kustomize api/types/kustomization.go decodes it disallowing unknown fields
    // (`spec`) and `EnforceFields` checks its kind and apiVersion.
    for c in configs {
        let api_version = c
            .value
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("");
        let kind = c.value.get("kind").and_then(Value::as_str).unwrap_or("");
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        if !crate::migrate::is_flux_group(group) {
            continue;
        }
        let file = c.location.file.as_deref().unwrap_or("kustomization.yaml");
        let name = file.rsplit('/').next().unwrap_or(file);
        out.push(finding(
            "plan.kustomize_file_as_flux_object",
            c.location.clone(),
            format!("`{name}` holds a Flux {kind} ({api_version}), but kustomize reads this file as its own configuration: the folder does not build"),
        ));
    }
    out
}

/// [`check_objects`] and [`check_kustomize_configs`] on a whole loaded set.
pub fn check_set(set: &ManifestSet, profiles: &Profiles) -> Vec<Diagnostic> {
    let mut out = check_objects(&set.objects, profiles);
    out.extend(check_kustomize_configs(&set.kustomize_configs, profiles));
    out
}

fn production_like(path: &str) -> bool {
    path.split(['/', '\\']).any(|seg| {
        matches!(
            seg.to_ascii_lowercase().as_str(),
            "prod" | "production" | "prd" | "live"
        )
    })
}

fn image_update_direct_push(m: &Manifest, out: &mut Vec<Diagnostic>) {
    let spec = m.value.get("spec");
    let push_branch = spec
        .and_then(|s| s.pointer("/git/push/branch"))
        .and_then(Value::as_str)
        .is_some_and(|b| !b.is_empty());
    let refspec = spec
        .and_then(|s| s.pointer("/git/push/refspec"))
        .and_then(Value::as_str)
        .is_some_and(|b| !b.is_empty());
    if push_branch || refspec {
        return;
    }
    let update_path = spec
        .and_then(|s| s.pointer("/update/path"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let file = m.location.file.as_deref().unwrap_or("");
    if !(production_like(file) || production_like(update_path)) {
        return;
    }
    out.push(finding(
        "conventions.image_update_direct_push",
        m.locate("spec.git"),
        format!(
            "ImageUpdateAutomation {}/{} has no `spec.git.push.branch`: image updates are committed directly to the branch it checks out",
            m.namespace().unwrap_or("default"),
            m.name()
        ),
    ));
}

fn is_flux_kustomization(api_version: &str, kind: &str) -> bool {
    kind == "Kustomization" && api_version.starts_with("kustomize.toolkit.fluxcd.io/")
}

/// kustomize configuration fields that a Flux Kustomization's `spec` does not have.
const NATIVE_IN_SPEC: &[&str] = &[
    "resources",
    "bases",
    "patchesStrategicMerge",
    "patchesJson6902",
    "configMapGenerator",
    "secretGenerator",
    "generatorOptions",
    "generators",
    "transformers",
    "validators",
    "commonLabels",
    "commonAnnotations",
    "labels",
    "replicas",
    "replacements",
    "vars",
    "crds",
    "helmCharts",
    "helmGlobals",
    "helmChartInflationGenerator",
    "openapi",
    "sortOptions",
    "namespace",
];

/// Fields that are valid inside `spec` but kustomize configuration when top-level.
const NATIVE_TOP_LEVEL_ONLY: &[&str] = &[
    "images",
    "patches",
    "components",
    "namePrefix",
    "nameSuffix",
];

// Upstream: the kustomize.toolkit.fluxcd.io Kustomization CRD is structural without
// x-kubernetes-preserve-unknown-fields, so unknown fields are pruned on admission;
// kustomize-controller only builds the folder at spec.path.
fn native_kustomize_fields(m: &Manifest, out: &mut Vec<Diagnostic>) {
    let mut report = |path: String, field: &str| {
        out.push(finding(
            "plan.native_kustomize_fields",
            m.locate(&path),
            format!("Flux Kustomization `{}` holds the kustomize field `{field}` (at {path}); Flux drops it and builds only what `spec.path` holds", m.name()),
        ));
    };
    if let Some(top) = m.value.as_object() {
        for key in top.keys() {
            if NATIVE_IN_SPEC.contains(&key.as_str())
                || NATIVE_TOP_LEVEL_ONLY.contains(&key.as_str())
            {
                report(key.clone(), key);
            }
        }
    }
    if let Some(spec) = m.value.get("spec").and_then(Value::as_object) {
        for key in spec.keys() {
            if NATIVE_IN_SPEC.contains(&key.as_str()) {
                report(format!("spec.{key}"), key);
            }
        }
    }
}

struct Ctx<'a> {
    m: &'a Manifest,
    flux: bool,
    conventions: bool,
}

impl Ctx<'_> {
    fn at(&self, path: &str) -> Location {
        self.m.locate(path)
    }

    fn what(&self) -> String {
        format!("{} `{}`", self.m.kind(), self.m.name())
    }

    fn kustomization(&self, k: &Kustomization, out: &mut Vec<Diagnostic>) {
        let Some(spec) = &k.spec else { return };
        let wait = spec.wait == Some(true);
        let has_checks = spec.health_checks.as_ref().is_some_and(|h| !h.is_empty());
        let name = self.m.name().to_ascii_lowercase();
        let path = spec.path.as_deref().unwrap_or("").to_ascii_lowercase();
        if self.flux && wait && has_checks {
            // Upstream: kustomize-controller internal/controller/kustomization_controller.go
            // `checkHealth`: healthChecks are turned into the object set only when !wait.
            out.push(finding(
                "plan.wait_ignores_health_checks",
                self.at("spec.healthChecks"),
                format!("{} sets `wait: true`, so its `healthChecks` are ignored: every applied object is waited on instead", self.what()),
            ));
        }
        if !self.conventions {
            return;
        }
        // Heuristic: infrastructure is named so in the name or path (`infra`,
        // `infrastructure`, `controllers`, `crds`).
        let infra = ["infra", "controllers", "crds"]
            .iter()
            .any(|w| name.contains(w) || path.contains(w));
        if infra && !wait && !has_checks {
            // Upstream: `checkHealth` returns early with neither healthChecks nor wait.
            out.push(finding(
                "conventions.health_checks",
                self.at("spec"),
                format!("{} looks like infrastructure (name or path) but has neither `healthChecks` nor `wait: true`: it turns Ready before its workloads are", self.what()),
            ));
        }
        if spec.retry_interval.is_none() {
            // Upstream: api/v1/kustomization_types.go `GetRetryInterval` falls back to interval.
            if let Ok(d) = crate::api::duration::parse(&spec.interval) {
                if d.as_secs() >= 3600 {
                    out.push(finding(
                        "conventions.retry_interval",
                        self.at("spec.interval"),
                        format!("{} has `interval: {}` and no `retryInterval`: a failure is retried only after the whole interval", self.what(), spec.interval),
                    ));
                }
            }
        }
        if spec.prune && (name.contains("crd") || path.contains("crd")) {
            // Upstream: kustomize-controller `prune` garbage-collects the inventory.
            out.push(finding(
                "conventions.crd_prune",
                self.at("spec.prune"),
                format!("{} applies CRDs and has `prune: true`: deleting or renaming it deletes the CRDs and all their custom resources", self.what()),
            ));
        }
    }

    fn helm_release(&self, hr: &HelmRelease, out: &mut Vec<Diagnostic>) {
        let Some(spec) = &hr.spec else { return };
        let install = spec.install.as_ref();
        let upgrade = spec.upgrade.as_ref();
        let create_ns = install.and_then(|i| i.create_namespace);
        let install_rem = install.and_then(|i| i.remediation.as_ref());
        let upgrade_rem = upgrade.and_then(|u| u.remediation.as_ref());
        if self.flux {
            // Upstream: helm-controller api/v2/helmrelease_types.go
            // `InstallRemediation.MustRemediateLastFailure` (unset => false) and
            // `UpgradeRemediation.MustRemediateLastFailure` (unset => retries > 0).
            if let Some(r) = install_rem {
                if r.retries.unwrap_or(0) > 0 && r.remediate_last_failure.is_none() {
                    out.push(finding(
                        "plan.implicit_remediate_last_failure",
                        self.at("spec.install.remediation.retries"),
                        format!("{} retries a failed install but leaves `install.remediation.remediateLastFailure` unset, which means false: the last failed install is not uninstalled", self.what()),
                    ));
                }
            }
            if let Some(r) = upgrade_rem {
                if r.retries.unwrap_or(0) > 0 && r.remediate_last_failure.is_none() {
                    out.push(finding(
                        "plan.implicit_remediate_last_failure",
                        self.at("spec.upgrade.remediation.retries"),
                        format!("{} retries a failed upgrade and leaves `upgrade.remediation.remediateLastFailure` unset, which means true here (unlike install): the last failed upgrade is remediated ({})",
                            self.what(),
                            r.strategy.map_or("rollback".to_string(), |s| s.to_string())),
                    ));
                }
            }
            let target = spec.target_namespace.as_deref().unwrap_or("");
            if create_ns == Some(true) && target.is_empty() {
                // Upstream: helm-controller internal/action/install.go `newInstall`.
                out.push(finding(
                    "plan.create_namespace_ignored",
                    self.at("spec.install.createNamespace"),
                    format!("{} sets `install.createNamespace: true` without `spec.targetNamespace`: helm-controller ignores it and the namespace is not created", self.what()),
                ));
            }
        }
        if !self.conventions {
            return;
        }
        if let Some(chart) = &spec.chart {
            self.chart_version(
                chart.spec.version.as_deref(),
                "spec.chart.spec.version",
                "spec.chart.spec",
                out,
            );
        }
        if create_ns != Some(false) {
            out.push(finding(
                "conventions.create_namespace",
                self.at("spec.install.createNamespace"),
                format!(
                    "{} does not set `install.createNamespace: false`",
                    self.what()
                ),
            ));
        }
        for (action, rem) in [
            ("install", install_rem.and_then(|r| r.retries)),
            ("upgrade", upgrade_rem.and_then(|r| r.retries)),
        ] {
            if rem.is_none() {
                out.push(finding(
                    "conventions.remediation_retries",
                    self.at(&format!("spec.{action}.remediation.retries")),
                    format!("{} does not set `{action}.remediation.retries`: a failed {action} is not retried", self.what()),
                ));
            }
        }
        if upgrade.and_then(|u| u.cleanup_on_fail) != Some(true) {
            out.push(finding(
                "conventions.cleanup_on_fail",
                self.at("spec.upgrade.cleanupOnFail"),
                format!("{} does not set `upgrade.cleanupOnFail: true`: objects created by a failed upgrade stay", self.what()),
            ));
        }
        if let Some(values) = &spec.values {
            let mut path = String::from("spec.values");
            secret_literals(values, &mut path, &mut |p| {
                out.push(finding(
                    "conventions.secret_literal",
                    self.at(p),
                    format!("{} has a secret-looking literal in its inline values at {p} (value not shown)", self.what()),
                ));
            });
        }
    }

    // Upstream: the HelmRelease chart template and the HelmChart default `version`
    // to `*` (kubebuilder default); source-controller takes the newest match.
    fn chart_version(
        &self,
        version: Option<&str>,
        path: &str,
        parent: &str,
        out: &mut Vec<Diagnostic>,
    ) {
        let problem = match version {
            None => Some("no `version`, which means `*` (the newest chart)".to_string()),
            Some(v) => unpinned(v).map(|why| format!("`version: {v}` is {why}")),
        };
        if let Some(problem) = problem {
            let loc = if version.is_some() {
                self.at(path)
            } else {
                self.at(parent)
            };
            out.push(finding(
                "conventions.chart_version_unpinned",
                loc,
                format!("{} has {problem}: the chart is not pinned", self.what()),
            ));
        }
    }
}

/// Why a chart version constraint is not an exact version, or `None` when it is.
///
/// Variables (`${...}`, set by postBuild substitution) are not judged.
fn unpinned(v: &str) -> Option<&'static str> {
    let v = v.trim();
    if v.contains("${") {
        return None;
    }
    if v.is_empty() || v == "*" {
        return Some("a wildcard");
    }
    if v.contains(['^', '~', '>', '<', '|', ',', ' ']) || v.starts_with('=') && v.len() == 1 {
        return Some("a range");
    }
    let core = v.trim_start_matches(['=', 'v']);
    // Exact: MAJOR.MINOR.PATCH with an optional -prerelease/+build.
    let numbers = core.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = numbers.split('.').collect();
    if parts.iter().any(|p| matches!(*p, "x" | "X" | "*")) {
        return Some("an `x` wildcard");
    }
    if parts.len() < 3 {
        // Masterminds semver reads a missing part as a wildcard (`1.2` = `1.2.x`).
        return Some("a partial version (a wildcard for the missing parts)");
    }
    None
}

/// Calls `report` with the path of every secret-looking string literal under `value`.
fn secret_literals(value: &Value, path: &mut String, report: &mut dyn FnMut(&str)) {
    match value {
        Value::Object(map) => {
            // Next to `existingSecret`, keys such as `secretKey` name keys of that Secret.
            let refers = map
                .keys()
                .any(|k| k.to_ascii_lowercase().starts_with("existing"));
            for (k, v) in map {
                let len = path.len();
                push_key(path, k);
                match v {
                    Value::String(s) if !refers && secret_literal(k, s) => report(path),
                    Value::String(_) => {}
                    _ => secret_literals(v, path, report),
                }
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                secret_literals(v, path, report);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

/// True for a secret-looking key holding a literal (not empty, not a `${var}`,
/// and for `...secret` keys not an object name: charts take a Secret's name in
/// keys such as `githubConfigSecret`).
fn secret_literal(key: &str, value: &str) -> bool {
    let value = value.trim();
    if !secret_key(key) || value.is_empty() || value.contains("${") {
        return false;
    }
    let k: String = key
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    let names_a_secret = k.ends_with("secret") && !k.ends_with("clientsecret");
    !(names_a_secret && is_object_name(value))
}

/// A lowercase RFC 1123 name, as Secrets are named.
fn is_object_name(s: &str) -> bool {
    s.len() <= 253
        && s.split('.').all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// Appends `.key`, or `["key"]` when the key is not a plain word.
fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && !key.bytes().all(|b| b.is_ascii_digit())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if plain {
        path.push('.');
        path.push_str(key);
    } else {
        path.push_str("[\"");
        for c in key.chars() {
            if c == '"' || c == '\\' {
                path.push('\\');
            }
            path.push(c);
        }
        path.push_str("\"]");
    }
}

/// Heuristic: the key names a credential itself, not a reference to one.
///
/// Lowercased with `-`/`_` removed, the key must contain one of `password`,
/// `passwd`, `secret`, `token`, `apikey`, `privatekey`, `accesskey`,
/// `credential`; keys that name a reference or a setting are left out
/// (`existingSecret`, `secretName`, `passwordKey`, `tokenFile`, `secretRef`,
/// `tokenTTL`, `tokenEnv`, `...Enabled`, `...Path`), as are annotation-like keys
/// holding `.` or `/`. The caller also skips the keys of a mapping that has an
/// `existing...` key (they name keys of that existing Secret).
fn secret_key(key: &str) -> bool {
    let k: String = key
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    const WORDS: &[&str] = &[
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "privatekey",
        "accesskey",
        "credential",
    ];
    if !WORDS.iter().any(|w| k.contains(w)) {
        return false;
    }
    // Annotation and label keys (`secret.reloader.stakater.com/reload`) hold names.
    if key.contains(['.', '/']) {
        return false;
    }
    if k.starts_with("existing") || k.starts_with("use") || k.starts_with("create") {
        return false;
    }
    // Keys that are credentials although they end in "key".
    const KEYS: &[&str] = &[
        "apikey",
        "privatekey",
        "accesskey",
        "secretkey",
        "secretaccesskey",
    ];
    if k.ends_with("key") && !KEYS.iter().any(|w| k.ends_with(w)) {
        return false;
    }
    const SUFFIXES: &[&str] = &[
        "name",
        "env",
        "envvar",
        "var",
        "names",
        "ref",
        "refs",
        "file",
        "path",
        "dir",
        "enabled",
        "enable",
        "ttl",
        "length",
        "policy",
        "type",
        "mode",
        "mount",
        "mountpath",
        "namespace",
        "annotations",
        "labels",
        "template",
        "expiry",
        "expiration",
        "duration",
        "url",
        "endpoint",
        "header",
        "format",
        "source",
        "provider",
        "id",
        "keys",
    ];
    !SUFFIXES.iter().any(|s| k.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_table_is_consistent() {
        let mut codes: Vec<_> = rules().iter().map(|r| r.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), rules().len());
        for r in rules() {
            let prefix = match r.profile {
                Profile::Flux => "plan.",
                Profile::Conventions => "conventions.",
            };
            assert!(r.code.starts_with(prefix), "{}", r.code);
            assert!(!r.fix.is_empty() && !r.reason.is_empty() && !r.summary.is_empty());
        }
    }

    #[test]
    fn versions() {
        for v in [
            "1.2.3",
            "v1.2.3",
            "=1.2.3",
            "1.2.3-rc.1",
            "1.2.3+build.5",
            "${chart_version}",
        ] {
            assert_eq!(unpinned(v), None, "{v}");
        }
        for v in [
            "*",
            "",
            "^1.2.3",
            "~1.2",
            ">=1.0.0",
            ">=1.0.0 <2.0.0",
            "1.x",
            "1.2.X",
            "1.2",
            "1",
            "1.2.*",
            "1.2.3 || 1.2.4",
        ] {
            assert!(unpinned(v).is_some(), "{v}");
        }
    }

    #[test]
    fn secret_keys() {
        for k in [
            "password",
            "adminPassword",
            "api_key",
            "apiKey",
            "token",
            "auth-token",
            "clientSecret",
            "secretKey",
            "privateKey",
            "secret",
            "AWS_SECRET_ACCESS_KEY",
        ] {
            assert!(secret_key(k), "{k}");
        }
        for k in [
            "existingSecret",
            "secretName",
            "passwordKey",
            "tokenFile",
            "secretRef",
            "tokenTTL",
            "replicaCount",
            "image",
            "passwordSecretKeyRef",
            "createSecret",
            "useSecret",
        ] {
            assert!(!secret_key(k), "{k}");
        }
    }

    #[test]
    fn secret_literals_need_a_literal() {
        assert!(secret_literal("password", "changeme"));
        assert!(!secret_literal("password", "  "));
        assert!(!secret_literal("password", "${db_password}"));
        assert!(!secret_literal(
            "githubConfigSecret",
            "gha-runner-scale-set"
        ));
        assert!(secret_literal("githubConfigSecret", "ghp_Zx81kq"));
        assert!(secret_literal("clientSecret", "abc-def"));
        assert!(secret_literal("token", "abc-def"));
    }

    #[test]
    fn paths_quote_odd_keys() {
        let mut p = String::from("spec.values");
        push_key(&mut p, "a.b");
        push_key(&mut p, "ok");
        assert_eq!(p, "spec.values[\"a.b\"].ok");
    }
}

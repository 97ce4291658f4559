//! Defaults the Flux API and controllers apply, as methods on the typed specs.
//!
//! Parsing never injects defaults into a document; these methods answer "what
//! will Flux use" for a field the user left out. Two kinds of default exist:
//! the API server's (CRD `default:`), and the controller's Go-level ones (for
//! example the Kustomization timeout of `interval − 30s`, floored at 30s).
//!
//! ```
//! use fluxcd_core::api::kustomize::KustomizationSpec;
//! use std::time::Duration;
//!
//! let spec: KustomizationSpec = serde_json::from_value(serde_json::json!({
//!     "interval": "10m", "prune": true,
//!     "sourceRef": {"kind": "GitRepository", "name": "flux-system"}
//! })).unwrap();
//! assert_eq!(spec.timeout_or_default().unwrap(), Duration::from_secs(570));
//! assert_eq!(spec.retry_interval_or_default().unwrap(), Duration::from_secs(600));
//! ```

use std::time::Duration;

use super::common::*;
use super::duration::{self, DurationError};
use super::helm::*;
use super::image::*;
use super::kustomize::*;
use super::notification::*;
use super::source::*;

const SOURCE_TIMEOUT: &str = "60s";

impl GitRepositorySpec {
    /// `spec.provider`, `generic` when unset.
    pub fn provider_or_default(&self) -> GitRepositoryProvider {
        self.provider.unwrap_or(GitRepositoryProvider::Generic)
    }
    /// `spec.timeout`, `60s` when unset.
    pub fn timeout_or_default(&self) -> &str {
        self.timeout.as_deref().unwrap_or(SOURCE_TIMEOUT)
    }
    /// The reference source-controller checks out: `spec.ref`, or branch `master`
    /// when `spec.ref` is absent or sets nothing (not `main`, not the remote HEAD).
    pub fn ref_or_default(&self) -> GitRepositoryRef {
        match &self.r#ref {
            Some(r)
                if r.branch.is_some()
                    || r.tag.is_some()
                    || r.semver.is_some()
                    || r.name.is_some()
                    || r.commit.is_some() =>
            {
                r.clone()
            }
            _ => GitRepositoryRef {
                branch: Some("master".into()),
                commit: None,
                name: None,
                semver: None,
                tag: None,
            },
        }
    }
}

impl GitRepositoryVerification {
    /// `mode`, `HEAD` when unset.
    pub fn mode_or_default(&self) -> GitVerificationMode {
        self.mode.unwrap_or(GitVerificationMode::HeadUpper)
    }
}

impl OCIRepositorySpec {
    /// `spec.provider`, `generic` when unset.
    pub fn provider_or_default(&self) -> CloudProvider {
        self.provider.unwrap_or(CloudProvider::Generic)
    }
    /// `spec.timeout`, `60s` when unset.
    pub fn timeout_or_default(&self) -> &str {
        self.timeout.as_deref().unwrap_or(SOURCE_TIMEOUT)
    }
    /// The tag pulled when `spec.ref` sets no digest, semver or tag: `latest`.
    pub fn tag_or_default(&self) -> &str {
        self.r#ref
            .as_ref()
            .and_then(|r| r.tag.as_deref())
            .unwrap_or("latest")
    }
}

impl HelmRepositorySpec {
    /// `spec.type`, `default` when unset.
    pub fn type_or_default(&self) -> HelmRepositoryType {
        self.r#type.unwrap_or(HelmRepositoryType::Default)
    }
    /// `spec.provider`, `generic` when unset (only used for `type: oci`).
    pub fn provider_or_default(&self) -> CloudProvider {
        self.provider.unwrap_or(CloudProvider::Generic)
    }
    /// `spec.timeout`, `60s` when unset (a controller default: the CRD has none).
    pub fn timeout_or_default(&self) -> &str {
        self.timeout.as_deref().unwrap_or(SOURCE_TIMEOUT)
    }
}

impl HelmChartSpec {
    /// `spec.version`, `*` (latest) when unset.
    pub fn version_or_default(&self) -> &str {
        self.version.as_deref().unwrap_or("*")
    }
    /// `spec.reconcileStrategy`, `ChartVersion` when unset.
    pub fn reconcile_strategy_or_default(&self) -> ReconcileStrategy {
        self.reconcile_strategy
            .unwrap_or(ReconcileStrategy::ChartVersion)
    }
}

impl BucketSpec {
    /// `spec.provider`, `generic` when unset.
    pub fn provider_or_default(&self) -> BucketProvider {
        self.provider.unwrap_or(BucketProvider::Generic)
    }
    /// `spec.timeout`, `60s` when unset.
    pub fn timeout_or_default(&self) -> &str {
        self.timeout.as_deref().unwrap_or(SOURCE_TIMEOUT)
    }
}

impl KustomizationSpec {
    /// The timeout kustomize-controller uses: `spec.timeout`, else `interval − 30s`;
    /// any result below 30s (even an explicit one) becomes 30s.
    pub fn timeout_or_default(&self) -> Result<Duration, DurationError> {
        let floor = Duration::from_secs(30);
        let t = match &self.timeout {
            Some(t) => duration::parse(t)?,
            None => duration::parse(&self.interval)?.saturating_sub(floor),
        };
        Ok(t.max(floor))
    }
    /// `spec.retryInterval`, else `spec.interval`.
    pub fn retry_interval_or_default(&self) -> Result<Duration, DurationError> {
        duration::parse(self.retry_interval.as_deref().unwrap_or(&self.interval))
    }
    /// `spec.deletionPolicy`, `MirrorPrune` when unset.
    pub fn deletion_policy_or_default(&self) -> DeletionPolicy {
        self.deletion_policy.unwrap_or(DeletionPolicy::MirrorPrune)
    }
    /// `spec.path`, the artifact root (`""`) when unset.
    pub fn path_or_default(&self) -> &str {
        self.path.as_deref().unwrap_or("")
    }
    /// `spec.postBuild.substituteStrategy`, `WithVariables` when unset.
    pub fn substitute_strategy_or_default(&self) -> SubstituteStrategy {
        self.post_build
            .as_ref()
            .and_then(|p| p.substitute_strategy)
            .unwrap_or(SubstituteStrategy::WithVariables)
    }
}

impl HelmReleaseSpec {
    /// `spec.timeout`, `5m` when unset.
    pub fn timeout_or_default(&self) -> &str {
        self.timeout.as_deref().unwrap_or("5m")
    }
    /// `spec.maxHistory`, 5 when unset (0 means unlimited).
    pub fn max_history_or_default(&self) -> i64 {
        self.max_history.unwrap_or(5)
    }
    /// `spec.persistentClient`, true when unset.
    pub fn persistent_client_or_default(&self) -> bool {
        self.persistent_client.unwrap_or(true)
    }
    /// Drift detection mode: `disabled` when `driftDetection` or its mode is unset.
    pub fn drift_detection_mode(&self) -> DriftDetectionMode {
        self.drift_detection
            .as_ref()
            .and_then(|d| d.mode)
            .unwrap_or(DriftDetectionMode::Disabled)
    }
    /// `spec.install.crds`, `Create` when unset.
    pub fn install_crds_or_default(&self) -> CrdsPolicy {
        self.install
            .as_ref()
            .and_then(|i| i.crds)
            .unwrap_or(CrdsPolicy::Create)
    }
    /// `spec.upgrade.crds`: `Create` when unset — the code's default, although
    /// the API documentation says `Skip`.
    pub fn upgrade_crds_or_default(&self) -> CrdsPolicy {
        self.upgrade
            .as_ref()
            .and_then(|u| u.crds)
            .unwrap_or(CrdsPolicy::Create)
    }
    /// Install strategy name, `RemediateOnFailure` when unset.
    pub fn install_strategy_or_default(&self) -> ActionStrategyName {
        self.install
            .as_ref()
            .and_then(|i| i.strategy.as_ref())
            .map(|s| s.name)
            .unwrap_or(ActionStrategyName::RemediateOnFailure)
    }
    /// Upgrade remediation strategy, `rollback` when unset.
    pub fn upgrade_remediation_strategy_or_default(&self) -> RemediationStrategy {
        self.upgrade
            .as_ref()
            .and_then(|u| u.remediation.as_ref())
            .and_then(|r| r.strategy)
            .unwrap_or(RemediationStrategy::Rollback)
    }
    /// `spec.upgrade.chartNameChangeStrategy`, `Reinstall` when unset.
    pub fn chart_name_change_strategy_or_default(&self) -> ChartNameChangeStrategy {
        self.upgrade
            .as_ref()
            .and_then(|u| u.chart_name_change_strategy)
            .unwrap_or(ChartNameChangeStrategy::Reinstall)
    }
    /// `spec.install.serverSideApply`, true when unset.
    pub fn install_server_side_apply_or_default(&self) -> bool {
        self.install
            .as_ref()
            .and_then(|i| i.server_side_apply)
            .unwrap_or(true)
    }
    /// `spec.postRenderStrategy`, `combined` when unset.
    pub fn post_render_strategy_or_default(&self) -> PostRenderStrategy {
        self.post_render_strategy
            .unwrap_or(PostRenderStrategy::Combined)
    }
    /// `spec.waitStrategy.name`, `poller` when unset.
    pub fn wait_strategy_or_default(&self) -> WaitStrategyName {
        self.wait_strategy
            .as_ref()
            .map(|w| w.name)
            .unwrap_or(WaitStrategyName::Poller)
    }
    /// `spec.uninstall.deletionPropagation`, `background` when unset.
    pub fn deletion_propagation_or_default(&self) -> DeletionPropagation {
        self.uninstall
            .as_ref()
            .and_then(|u| u.deletion_propagation)
            .unwrap_or(DeletionPropagation::Background)
    }
    /// `spec.values` when it is a JSON object; anything else counts as no values
    /// (helm-controller ignores a non-object silently).
    pub fn values_object(&self) -> Option<&serde_json::Map<String, serde_json::Value>> {
        self.values.as_ref().and_then(|v| v.as_object())
    }
}

impl HelmChartTemplateSpec {
    /// `version`, `*` when unset.
    pub fn version_or_default(&self) -> &str {
        self.version.as_deref().unwrap_or("*")
    }
    /// `reconcileStrategy`, `ChartVersion` when unset.
    pub fn reconcile_strategy_or_default(&self) -> ReconcileStrategy {
        self.reconcile_strategy
            .unwrap_or(ReconcileStrategy::ChartVersion)
    }
}

impl UpgradeRemediation {
    /// Whether the last failure is remediated: `remediateLastFailure`, else true
    /// exactly when `retries > 0`.
    pub fn must_remediate_last_failure(&self) -> bool {
        self.remediate_last_failure
            .unwrap_or(self.retries.unwrap_or(0) > 0)
    }
}

impl InstallRemediation {
    /// Whether the last failure is remediated: `remediateLastFailure`, else false.
    pub fn must_remediate_last_failure(&self) -> bool {
        self.remediate_last_failure.unwrap_or(false)
    }
}

impl ImageRepositorySpec {
    /// `spec.provider`, `generic` when unset.
    pub fn provider_or_default(&self) -> CloudProvider {
        self.provider.unwrap_or(CloudProvider::Generic)
    }
    /// `spec.exclusionList`, `["^.*\.sig$"]` when unset.
    pub fn exclusion_list_or_default(&self) -> Vec<String> {
        self.exclusion_list
            .clone()
            .unwrap_or_else(|| vec![r"^.*\.sig$".to_string()])
    }
}

impl ImagePolicySpec {
    /// `spec.digestReflectionPolicy`, `Never` when unset.
    pub fn digest_reflection_policy_or_default(&self) -> ReflectionPolicy {
        self.digest_reflection_policy
            .unwrap_or(ReflectionPolicy::Never)
    }
}

impl SortPolicy {
    /// `order`, `asc` when unset.
    pub fn order_or_default(&self) -> SortOrder {
        self.order.unwrap_or(SortOrder::Asc)
    }
}

impl ImageUpdateAutomationSpec {
    /// `spec.update.strategy`, `Setters` when unset (the only strategy).
    pub fn update_strategy_or_default(&self) -> UpdateStrategyName {
        self.update
            .as_ref()
            .and_then(|u| u.strategy)
            .unwrap_or(UpdateStrategyName::Setters)
    }
}

impl AlertSpec {
    /// `spec.eventSeverity`, `info` when unset.
    pub fn event_severity_or_default(&self) -> EventSeverity {
        self.event_severity.unwrap_or(EventSeverity::Info)
    }
}

impl ReceiverSpec {
    /// `spec.interval`, `10m` when unset.
    pub fn interval_or_default(&self) -> &str {
        self.interval.as_deref().unwrap_or("10m")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ks(extra: serde_json::Value) -> KustomizationSpec {
        let mut base = json!({"interval": "10m", "prune": true,
            "sourceRef": {"kind": "GitRepository", "name": "x"}});
        base.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        serde_json::from_value(base).unwrap()
    }

    #[test]
    fn kustomization_timeout_rules() {
        assert_eq!(ks(json!({})).timeout_or_default().unwrap().as_secs(), 570);
        assert_eq!(
            ks(json!({"interval": "40s"}))
                .timeout_or_default()
                .unwrap()
                .as_secs(),
            30
        );
        assert_eq!(
            ks(json!({"timeout": "5s"}))
                .timeout_or_default()
                .unwrap()
                .as_secs(),
            30
        );
        assert_eq!(
            ks(json!({"timeout": "2m"}))
                .timeout_or_default()
                .unwrap()
                .as_secs(),
            120
        );
        assert_eq!(
            ks(json!({"retryInterval": "1m"}))
                .retry_interval_or_default()
                .unwrap()
                .as_secs(),
            60
        );
    }

    #[test]
    fn git_ref_defaults_to_master() {
        let spec: GitRepositorySpec =
            serde_json::from_value(json!({"url": "https://x/y", "interval": "1m", "ref": {}}))
                .unwrap();
        assert_eq!(spec.ref_or_default().branch.as_deref(), Some("master"));
        let spec: GitRepositorySpec = serde_json::from_value(
            json!({"url": "https://x/y", "interval": "1m", "ref": {"tag": "v1"}}),
        )
        .unwrap();
        assert_eq!(spec.ref_or_default().branch, None);
    }

    #[test]
    fn helmrelease_defaults() {
        let spec: HelmReleaseSpec = serde_json::from_value(json!({"interval": "5m",
            "values": ["not", "an", "object"]}))
        .unwrap();
        assert_eq!(spec.upgrade_crds_or_default(), CrdsPolicy::Create);
        assert_eq!(spec.max_history_or_default(), 5);
        assert_eq!(spec.drift_detection_mode(), DriftDetectionMode::Disabled);
        assert!(spec.values_object().is_none());
        let r: UpgradeRemediation = serde_json::from_value(json!({"retries": 2})).unwrap();
        assert!(r.must_remediate_last_failure());
        let r: UpgradeRemediation = serde_json::from_value(json!({})).unwrap();
        assert!(!r.must_remediate_last_failure());
    }
}

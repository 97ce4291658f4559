//! Generator of the typed Flux API models from the upstream CRD OpenAPI schemas.
//!
//! Every object schema becomes a struct, every string enum an enum (through the
//! `string_enum!` macro of `fluxcd_core::api`). Shapes that several kinds share
//! (same properties, types and constraints, descriptions ignored) become one type
//! in `common.rs`. Type names follow the upstream Go type names where the schema
//! reveals them, else `<Kind><Field>`. Doc comments are written here from the
//! field names and constraints, never copied from upstream descriptions.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use serde_json::{Map, Value};

/// One CRD, reduced to what the generator needs.
#[derive(Clone)]
struct Crd {
    group: String,
    version: String,
    kind: String,
    plural: String,
    short_names: Vec<String>,
    schema: Value,
}

fn module_of(group: &str) -> &'static str {
    match group {
        "source.toolkit.fluxcd.io" => "source",
        "kustomize.toolkit.fluxcd.io" => "kustomize",
        "helm.toolkit.fluxcd.io" => "helm",
        "image.toolkit.fluxcd.io" => "image",
        "notification.toolkit.fluxcd.io" => "notification",
        "source.extensions.fluxcd.io" => "source_extensions",
        other => panic!("unknown Flux API group {other}"),
    }
}

/// Names for shared enums whose `<Kind><Field>` name would be misleading.
fn enum_name_override(values: &[String]) -> Option<&'static str> {
    let v: Vec<&str> = values.iter().map(String::as_str).collect();
    Some(match v.as_slice() {
        ["Skip", "Create", "CreateReplace"] => "CrdsPolicy",
        ["RemediateOnFailure", "RetryOnFailure"] => "ActionStrategyName",
        ["enabled", "disabled", "auto"] => "ServerSideApplyMode",
        ["True", "False", "Unknown"] => "ConditionStatus",
        ["cosign", "notation"] => "VerificationProvider",
        ["asc", "desc"] => "SortOrder",
        _ => return None,
    })
}

/// Names for struct shapes whose path-derived name would read badly, keyed by
/// the first place the shape is found.
fn name_override(kind: &str, path: &str) -> Option<&'static str> {
    Some(match (kind, path) {
        ("GitRepository", "spec.include[].repository") => "LocalObjectReference",
        ("GitRepository", "status.artifact") => "Artifact",
        ("GitRepository", "status.conditions[]") => "Condition",
        ("GitRepository", "spec.verify") => "GitRepositoryVerification",
        ("GitRepository", "spec.verify.mode") => "GitVerificationMode",
        ("OCIRepository", "spec.layerSelector") => "OCILayerSelector",
        ("OCIRepository", "spec.layerSelector.operation") => "LayerOperation",
        ("OCIRepository", "spec.verify") => "OCIRepositoryVerification",
        ("OCIRepository", "spec.provider") => "CloudProvider",
        ("HelmChart", "spec.verify") => "HelmChartVerification",
        ("HelmChart", "spec.sourceRef") => "LocalHelmChartSourceReference",
        ("HelmChart", "spec.sourceRef.kind") => "HelmChartSourceKind",
        ("HelmChart", "spec.reconcileStrategy") => "ReconcileStrategy",
        ("HelmRepository", "spec.accessFrom") => "AccessFrom",
        ("HelmRepository", "spec.accessFrom.namespaceSelectors[]") => "NamespaceSelector",
        ("Bucket", "spec.sts") => "BucketStsSpec",
        ("Bucket", "spec.sts.provider") => "BucketStsProvider",
        ("ExternalArtifact", "spec.sourceRef") => "NamespacedObjectKindReference",
        ("Kustomization", "spec.commonMetadata") => "CommonMetadata",
        ("Kustomization", "spec.ignore[].target") => "Selector",
        ("Kustomization", "spec.images[]") => "Image",
        ("Kustomization", "spec.kubeConfig") => "KubeConfigReference",
        ("Kustomization", "spec.kubeConfig.secretRef") => "SecretKeyReference",
        ("Kustomization", "spec.patches[]") => "Patch",
        ("Kustomization", "spec.postBuild") => "PostBuild",
        ("Kustomization", "spec.sourceRef") => "CrossNamespaceSourceReference",
        ("Kustomization", "spec.sourceRef.kind") => "KustomizationSourceKind",
        ("Kustomization", "spec.buildMetadata[]") => "BuildMetadata",
        ("Kustomization", "spec.decryption.provider") => "DecryptionProvider",
        ("Kustomization", "spec.deletionPolicy") => "DeletionPolicy",
        ("Kustomization", "spec.postBuild.substituteFrom[].kind") => "ConfigKind",
        ("Kustomization", "spec.postBuild.substituteStrategy") => "SubstituteStrategy",
        ("Kustomization", "status.history[]") => "KustomizationHistoryEntry",
        ("Kustomization", "status.inventory") => "ResourceInventory",
        ("HelmRelease", "spec.chart") => "HelmChartTemplate",
        ("HelmRelease", "spec.chart.spec") => "HelmChartTemplateSpec",
        ("HelmRelease", "spec.chart.spec.sourceRef") => "ChartSourceReference",
        ("HelmRelease", "spec.chart.spec.verify") => "HelmChartTemplateVerification",
        ("HelmRelease", "spec.chartRef") => "ChartReference",
        ("HelmRelease", "spec.chartRef.kind") => "ChartRefKind",
        ("HelmRelease", "spec.driftDetection") => "DriftDetection",
        ("HelmRelease", "spec.driftDetection.mode") => "DriftDetectionMode",
        ("HelmRelease", "spec.install") => "Install",
        ("HelmRelease", "spec.install.remediation") => "InstallRemediation",
        ("HelmRelease", "spec.install.strategy") => "InstallStrategy",
        ("HelmRelease", "spec.postRenderStrategy") => "PostRenderStrategy",
        ("HelmRelease", "spec.postRenderers[].kustomize") => "Kustomize",
        ("HelmRelease", "spec.rollback") => "Rollback",
        ("HelmRelease", "spec.test") => "Test",
        ("HelmRelease", "spec.test.filters[]") => "TestFilter",
        ("HelmRelease", "spec.uninstall") => "Uninstall",
        ("HelmRelease", "spec.uninstall.deletionPropagation") => "DeletionPropagation",
        ("HelmRelease", "spec.upgrade") => "Upgrade",
        ("HelmRelease", "spec.upgrade.chartNameChangeStrategy") => "ChartNameChangeStrategy",
        ("HelmRelease", "spec.upgrade.remediation") => "UpgradeRemediation",
        ("HelmRelease", "spec.upgrade.remediation.strategy") => "RemediationStrategy",
        ("HelmRelease", "spec.upgrade.strategy") => "UpgradeStrategy",
        ("HelmRelease", "spec.waitStrategy") => "WaitStrategy",
        ("HelmRelease", "spec.waitStrategy.name") => "WaitStrategyName",
        ("HelmRelease", "status.history[]") => "HelmReleaseSnapshot",
        ("HelmRelease", "status.history[].testHooks.*") => "TestHookStatus",
        ("HelmRelease", "status.lastAttemptedReleaseAction") => "ReleaseAction",
        ("ImageRepository", "status.lastScanResult") => "ScanResult",
        ("ImagePolicy", "spec.digestReflectionPolicy") => "ReflectionPolicy",
        ("ImagePolicy", "spec.filterTags") => "TagFilter",
        ("ImagePolicy", "spec.imageRepositoryRef") => "NamespacedObjectReference",
        ("ImagePolicy", "spec.policy") => "ImagePolicyChoice",
        ("ImagePolicy", "spec.policy.alphabetical") => "SortPolicy",
        ("ImagePolicy", "spec.policy.semver") => "SemVerPolicy",
        ("ImagePolicy", "status.latestRef") => "ImageRef",
        ("ImageUpdateAutomation", "spec.git") => "GitSpec",
        ("ImageUpdateAutomation", "spec.git.checkout") => "GitCheckoutSpec",
        ("ImageUpdateAutomation", "spec.git.commit") => "CommitSpec",
        ("ImageUpdateAutomation", "spec.git.commit.author") => "CommitUser",
        ("ImageUpdateAutomation", "spec.git.commit.signingKey") => "SigningKey",
        ("ImageUpdateAutomation", "spec.git.commit.signingKey.type") => "SigningKeyType",
        ("ImageUpdateAutomation", "spec.git.push") => "PushSpec",
        ("ImageUpdateAutomation", "spec.policySelector") => "LabelSelector",
        ("ImageUpdateAutomation", "spec.policySelector.matchExpressions[]") => {
            "LabelSelectorRequirement"
        }
        ("ImageUpdateAutomation", "spec.sourceRef") => "AutomationSourceReference",
        ("ImageUpdateAutomation", "spec.sourceRef.kind") => "AutomationSourceKind",
        ("ImageUpdateAutomation", "spec.update") => "UpdateStrategy",
        ("ImageUpdateAutomation", "spec.update.strategy") => "UpdateStrategyName",
        ("Alert", "spec.eventSources[].kind") => "EventSourceKind",
        ("Alert", "spec.eventSeverity") => "EventSeverity",
        ("ArtifactGenerator", "spec.artifacts[].copy[].strategy") => "CopyStrategy",
        ("ArtifactGenerator", "spec.sources[].kind") => "GeneratorSourceKind",
        _ => return None,
    })
}

/// Enum fields typed as plain strings, because real clusters extend them: Flux
/// Operator adds its kinds (FluxInstance, ResourceSet) to the event-source enums.
/// The schema still lists the upstream values, so validation reports the rest.
fn open_enum(kind: &str, path: &str) -> bool {
    matches!(
        (kind, path),
        ("Alert", "spec.eventSources[].kind") | ("Receiver", "spec.resources[].kind")
    )
}

/// Short explanations of field names that recur across kinds, in our own words.
fn gloss(field: &str) -> Option<&'static str> {
    Some(match field {
        "interval" => "How often the object is reconciled (Go duration string).",
        "timeout" => "How long one reconciliation step may take (Go duration string).",
        "retryInterval" => "How long to wait before retrying after a failure.",
        "suspend" => "Stops reconciliation of this object while true.",
        "secretRef" => "Secret in the same namespace holding credentials.",
        "certSecretRef" => "Secret holding TLS client certificate and CA data.",
        "proxySecretRef" => "Secret holding the proxy address and credentials.",
        "serviceAccountName" => {
            "Kubernetes ServiceAccount used for impersonation or workload identity."
        }
        "sourceRef" => "Reference to the source object to read from.",
        "url" => "Address of the remote resource.",
        "provider" => "Cloud or service provider used for authentication.",
        "name" => "Name of the referenced object.",
        "namespace" => "Namespace of the referenced object; defaults to the referrer's namespace.",
        "kind" => "Kind of the referenced object.",
        "apiVersion" => "API version of the referenced object.",
        "key" => "Key inside the referenced object.",
        "ignore" => "Ignore patterns in .gitignore syntax.",
        "dependsOn" => "Objects that must be ready before this one is reconciled.",
        "conditions" => "Current conditions of the object, as reported by its controller.",
        "observedGeneration" => "Last `metadata.generation` the controller acted on.",
        "lastHandledReconcileAt" => "Value of the reconcile-request annotation last handled.",
        "artifact" => "The artifact produced by the last successful reconciliation.",
        "digest" => "Content digest in `<algorithm>:<hex>` form.",
        "revision" => "Human-readable identifier of the source revision.",
        "path" => "Path inside the artifact or repository.",
        "insecure" => "Allows plain HTTP or unverified TLS connections.",
        "targetNamespace" => "Namespace that all applied objects are moved into.",
        "values" => "Free-form Helm values (any YAML object).",
        "valuesFrom" => "ConfigMaps and Secrets that Helm values are read from, in order.",
        "verify" => "Signature verification settings.",
        "accessFrom" => "Namespaces allowed to reference this object.",
        "force" => "Recreates objects when an in-place change is impossible.",
        "prune" => "Deletes objects that were applied before but are gone from the source.",
        "wait" => "Waits for all applied objects to become ready.",
        "healthChecks" => "Objects whose readiness decides the health of this object.",
        "postBuild" => "Variable substitution applied after the kustomize build.",
        "patches" => "Strategic-merge or JSON6902 patches applied after the build.",
        "images" => "Image name, tag and digest overrides applied after the build.",
        "components" => "Kustomize components included in the build.",
        "decryption" => "How encrypted Secrets (SOPS) are decrypted.",
        "kubeConfig" => "KubeConfig used to reach a remote cluster.",
        "releaseName" => "Helm release name; defaults to `[targetNamespace-]name`.",
        "storageNamespace" => {
            "Namespace where Helm stores the release; defaults to the object's namespace."
        }
        "chart" => "The chart template used to create a HelmChart.",
        "chartRef" => {
            "Reference to an existing chart source (OCIRepository, HelmChart, ExternalArtifact)."
        }
        "lastTransitionTime" => "When the condition last changed status.",
        "message" => "Human-readable details.",
        "reason" => "Machine-readable reason in CamelCase.",
        "status" => "Status of the condition: True, False or Unknown.",
        "type" => "Type of this entry.",
        "metadata" => "Extra metadata attached to the entry.",
        "size" => "Size in bytes.",
        "lastUpdateTime" => "When this was last updated.",
        "address" => "Address of the notification endpoint.",
        "channel" => "Channel, room or topic to post to.",
        "username" => "Name the notifications are posted as.",
        "eventSeverity" => "Minimum severity of the events that are forwarded.",
        "eventSources" => "Objects whose events are forwarded.",
        "resources" => "Objects reconciled when a webhook call arrives.",
        "image" => "Image repository address, without tag.",
        "exclusionList" => "Regular expressions of tags to leave out.",
        "policy" => "How the latest image is chosen.",
        "filterTags" => "Which tags are considered, and what part of them is compared.",
        "update" => "How files are updated.",
        "git" => "Git checkout, commit and push settings.",
        "version" => "Version constraint or exact version.",
        "reconcileStrategy" => "What change triggers a new artifact.",
        "valuesFiles" => "Values files merged into the chart's values, in order.",
        "optional" => "Missing objects (and keys) are tolerated when true.",
        "targetPath" => "Dotted path (Helm `--set` syntax) the value is written to.",
        "valuesKey" => "Key of the data entry holding the values; defaults to `values.yaml`.",
        "commonMetadata" => "Labels and annotations added to every applied object.",
        "labels" => "Labels (string map).",
        "annotations" => "Annotations (string map).",
        "readyExpr" => "CEL expression deciding when the dependency counts as ready.",
        _ => return None,
    })
}

/// `ignoreMissingComponents` -> `Ignore missing components`.
fn humanize(field: &str) -> String {
    let words = snake(field).replace('_', " ");
    let mut c = words.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use",
    "where", "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv",
    "typeof", "unsized", "virtual", "yield", "try", "gen",
];

fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None => false,
                Some(p) if p.is_ascii_lowercase() || p.is_ascii_digit() => true,
                Some(p) if p.is_ascii_uppercase() => {
                    // `TLSVerify` -> `tls_verify`, but `CRDs` stays one word.
                    let after = chars.get(i + 2).copied();
                    let plural_acronym =
                        next == Some('s') && after.is_none_or(|a| a.is_ascii_uppercase());
                    next.is_some_and(|n| n.is_ascii_lowercase()) && !plural_acronym
                }
                _ => false,
            };
            if boundary {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push('_');
        }
    }
    out
}

/// What serde's `rename_all = "camelCase"` makes of a snake_case field name.
fn serde_camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn pascal(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            upper = true;
            continue;
        }
        if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    if out.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    out
}

fn variant_name(value: &str) -> String {
    if value.is_empty() {
        return "Empty".into();
    }
    let all_upper = value.chars().all(|c| !c.is_ascii_lowercase());
    if all_upper && value.chars().all(|c| c.is_ascii_alphabetic()) {
        // `HEAD` -> `Head`; collisions with `head` are resolved by the caller.
        let mut s = value.to_ascii_lowercase();
        s[..1].make_ascii_uppercase();
        return s;
    }
    pascal(value)
}

/// Removes descriptions (and nothing else) from a schema node, recursively.
fn strip(node: &Value) -> Value {
    let Some(obj) = node.as_object() else {
        return node.clone();
    };
    let mut out = Map::new();
    for (k, v) in obj {
        match k.as_str() {
            "description" => {}
            "properties" => {
                let props = v
                    .as_object()
                    .map(|p| p.iter().map(|(n, s)| (n.clone(), strip(s))).collect())
                    .unwrap_or_default();
                out.insert(k.clone(), Value::Object(props));
            }
            "items" | "additionalProperties" => {
                out.insert(k.clone(), strip(v));
            }
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    Value::Object(out)
}

fn signature(node: &Value) -> String {
    serde_json::to_string(&strip(node)).unwrap()
}

fn is_struct_schema(node: &Value) -> bool {
    node.get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty())
}

fn enum_values(node: &Value) -> Option<Vec<String>> {
    let vals = node.get("enum")?.as_array()?;
    if node.get("type").and_then(Value::as_str) != Some("string") {
        return None;
    }
    Some(
        vals.iter()
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect(),
    )
}

/// The Go type name an object schema's description starts with, if it has one.
fn go_name(node: &Value) -> Option<String> {
    let desc = node.get("description")?.as_str()?;
    let first = desc.split_whitespace().next()?;
    let second = desc.split_whitespace().nth(1).unwrap_or("");
    let ok = first.len() > 3
        && first.chars().next()?.is_ascii_uppercase()
        && first.chars().all(|c| c.is_ascii_alphanumeric())
        && first.chars().any(|c| c.is_ascii_lowercase())
        && first.chars().skip(1).any(|c| c.is_ascii_uppercase())
        && matches!(
            second,
            "is" | "are"
                | "defines"
                | "contains"
                | "holds"
                | "specifies"
                | "represents"
                | "configures"
                | "describes"
                | "stores"
                | "has"
                | "allows"
                | "references"
                | "provides"
                | "sets"
                | "enables"
                | "define"
                | "specify"
                | "can"
        );
    ok.then(|| first.to_string())
}

/// Where a shape was found: the kind and the dotted path inside the document.
#[derive(Clone)]
struct Site {
    kind: String,
    module: &'static str,
    path: String,
}

struct TypeDef {
    name: String,
    module: &'static str,
    sites: Vec<Site>,
    body: Body,
}

enum Body {
    Struct {
        schema: Value,
        top_kind: Option<usize>,
    },
    Enum {
        values: Vec<String>,
    },
}

struct Gen {
    crds: Vec<Crd>,
    /// signature -> kinds it occurs in (to decide what is shared).
    sig_kinds: HashMap<String, BTreeSet<String>>,
    /// signature -> index into `types`.
    by_sig: HashMap<String, usize>,
    types: Vec<TypeDef>,
    names: HashMap<String, String>, // name -> signature
}

impl Gen {
    fn census(&mut self, node: &Value, kind: &str) {
        if is_struct_schema(node) {
            self.sig_kinds
                .entry(signature(node))
                .or_default()
                .insert(kind.to_string());
            for (_, p) in node["properties"].as_object().unwrap() {
                self.census(p, kind);
            }
        } else if enum_values(node).is_some() {
            self.sig_kinds
                .entry(signature(node))
                .or_default()
                .insert(kind.to_string());
        }
        if let Some(items) = node.get("items") {
            self.census(items, kind);
        }
        if let Some(ap) = node.get("additionalProperties").filter(|v| v.is_object()) {
            self.census(ap, kind);
        }
    }

    fn unique_name(&mut self, preferred: &[String], sig: &str) -> String {
        for cand in preferred {
            match self.names.get(cand) {
                None => {
                    self.names.insert(cand.clone(), sig.to_string());
                    return cand.clone();
                }
                Some(existing) if existing == sig => return cand.clone(),
                _ => {}
            }
        }
        let base = preferred.last().unwrap().clone();
        for n in 2.. {
            let cand = format!("{base}{n}");
            if !self.names.contains_key(&cand) {
                self.names.insert(cand.clone(), sig.to_string());
                return cand;
            }
        }
        unreachable!()
    }

    /// Registers the type for an object or enum schema and returns its name.
    fn type_for(&mut self, node: &Value, site: Site, path_name: String) -> String {
        let sig = signature(node);
        if let Some(&i) = self.by_sig.get(&sig) {
            let known = self.types[i]
                .sites
                .iter()
                .any(|s| s.kind == site.kind && s.path == site.path);
            if !known {
                self.types[i].sites.push(site);
            }
            return self.types[i].name.clone();
        }
        let shared = self.sig_kinds.get(&sig).is_some_and(|k| k.len() > 1);
        let module = if shared { "common" } else { site.module };
        let mut preferred = Vec::new();
        let body = if let Some(values) = enum_values(node) {
            if let Some(n) = name_override(&site.kind, &site.path) {
                preferred.push(n.to_string());
            }
            if let Some(n) = enum_name_override(&values) {
                preferred.push(n.to_string());
            }
            preferred.push(path_name);
            Body::Enum { values }
        } else {
            if let Some(n) = name_override(&site.kind, &site.path) {
                preferred.push(n.to_string());
            } else if site.path.ends_with("[]") {
                // The description of a list item is the Go type's own doc comment,
                // so its first word is the upstream type name.
                if let Some(g) = go_name(node) {
                    preferred.push(g);
                }
            }
            preferred.push(path_name);
            Body::Struct {
                schema: node.clone(),
                top_kind: None,
            }
        };
        let name = self.unique_name(&preferred, &sig);
        self.by_sig.insert(sig, self.types.len());
        self.types.push(TypeDef {
            name: name.clone(),
            module,
            sites: vec![site],
            body,
        });
        let idx = self.types.len() - 1;
        if let Body::Struct { schema, .. } = &self.types[idx].body {
            let schema = schema.clone();
            let site = self.types[idx].sites[0].clone();
            self.walk_fields(&schema, &site, &name);
        }
        name
    }

    fn walk_fields(&mut self, schema: &Value, site: &Site, owner: &str) {
        let props = schema["properties"].as_object().unwrap().clone();
        for (field, fnode) in &props {
            let path = if site.path.is_empty() {
                field.clone()
            } else {
                format!("{}.{}", site.path, field)
            };
            self.rust_type(fnode, site, &path, owner, field);
        }
    }

    /// The Rust type of a property schema, registering nested types.
    fn rust_type(
        &mut self,
        node: &Value,
        site: &Site,
        path: &str,
        owner: &str,
        field: &str,
    ) -> String {
        let kind_prefix = site.kind.clone();
        let sub = Site {
            kind: site.kind.clone(),
            module: site.module,
            path: path.to_string(),
        };
        if enum_values(node).is_some() && open_enum(&site.kind, path) {
            return "String".into();
        }
        if enum_values(node).is_some() {
            let name = format!("{kind_prefix}{}", pascal(field));
            return self.type_for(node, sub, name);
        }
        if is_struct_schema(node) {
            let name = if path == "spec" || path == "status" {
                format!("{kind_prefix}{}", pascal(path))
            } else {
                let owner_base = owner.strip_suffix("Spec").unwrap_or(owner);
                format!("{owner_base}{}", pascal(field))
            };
            return self.type_for(node, sub, name);
        }
        let ty = node.get("type").and_then(Value::as_str).unwrap_or("");
        match ty {
            "string" => "String".into(),
            "boolean" => "bool".into(),
            "number" => "f64".into(),
            "integer" => match node.get("format").and_then(Value::as_str) {
                Some("int32") => "i32".into(),
                _ => "i64".into(),
            },
            "array" => {
                let items = node.get("items").cloned().unwrap_or(Value::Null);
                let singular = field.strip_suffix('s').unwrap_or(field);
                let inner = self.rust_type(&items, site, &format!("{path}[]"), owner, singular);
                format!("Vec<{inner}>")
            }
            "object" => match node.get("additionalProperties") {
                Some(ap) if ap.is_object() => {
                    let inner = self.rust_type(ap, site, &format!("{path}.*"), owner, field);
                    format!("BTreeMap<String, {inner}>")
                }
                _ => "JsonObject".into(),
            },
            _ => "serde_json::Value".into(),
        }
    }
}

fn load_crds(dir: &Path) -> Result<Vec<Crd>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        let doc: Value =
            serde_saphyr::from_str(&text).map_err(|e| format!("{}: {e}", f.display()))?;
        let spec = &doc["spec"];
        let versions = spec["versions"].as_array().ok_or("no versions")?;
        let served: Vec<&Value> = versions.iter().filter(|v| v["served"] == true).collect();
        if served.len() != 1 {
            return Err(format!("{}: expected one served version", f.display()));
        }
        let names = &spec["names"];
        out.push(Crd {
            group: spec["group"].as_str().unwrap().into(),
            version: served[0]["name"].as_str().unwrap().into(),
            kind: names["kind"].as_str().unwrap().into(),
            plural: names["plural"].as_str().unwrap().into(),
            short_names: names["shortNames"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|s| s.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default(),
            schema: served[0]["schema"]["openAPIV3Schema"].clone(),
        });
    }
    // Stable order: by module, then the order Flux documents the kinds in.
    let order = [
        "GitRepository",
        "OCIRepository",
        "HelmRepository",
        "HelmChart",
        "Bucket",
        "ExternalArtifact",
        "Kustomization",
        "HelmRelease",
        "ImageRepository",
        "ImagePolicy",
        "ImageUpdateAutomation",
        "Provider",
        "Alert",
        "Receiver",
        "ArtifactGenerator",
    ];
    out.sort_by_key(|c| order.iter().position(|k| *k == c.kind).unwrap_or(99));
    Ok(out)
}

pub fn run(crd_dir: &Path, out_dir: &Path, check: bool) -> Result<(), String> {
    let crds = load_crds(crd_dir)?;
    let mut gen = Gen {
        crds: Vec::new(),
        sig_kinds: HashMap::new(),
        by_sig: HashMap::new(),
        types: Vec::new(),
        names: HashMap::new(),
    };
    for c in &crds {
        for part in ["spec", "status"] {
            if let Some(node) = c.schema["properties"].get(part) {
                gen.census(node, &c.kind);
            }
        }
    }
    // Reserve the kind names themselves.
    for c in &crds {
        gen.names.insert(c.kind.clone(), format!("kind:{}", c.kind));
    }
    for (i, c) in crds.iter().enumerate() {
        let module = module_of(&c.group);
        let site = Site {
            kind: c.kind.clone(),
            module,
            path: String::new(),
        };
        for part in ["spec", "status"] {
            if let Some(node) = c.schema["properties"].get(part) {
                gen.rust_type(node, &site, part, &c.kind, part);
            }
        }
        gen.types.push(TypeDef {
            name: c.kind.clone(),
            module,
            sites: vec![site],
            body: Body::Struct {
                schema: c.schema.clone(),
                top_kind: Some(i),
            },
        });
    }
    gen.crds = crds;

    if std::env::var_os("XTASK_DEBUG").is_some() {
        for t in &gen.types {
            let s = &t.sites[0];
            eprintln!(
                "{} {} <- {} {} ({} sites)",
                t.module,
                t.name,
                s.kind,
                s.path,
                t.sites.len()
            );
        }
    }
    let mut files: BTreeMap<String, String> = BTreeMap::new();
    let modules = [
        "common",
        "source",
        "kustomize",
        "helm",
        "image",
        "notification",
        "source_extensions",
    ];
    for m in modules {
        files.insert(format!("{m}.rs"), render_module(&mut gen, m));
    }
    files.insert("mod.rs".into(), render_mod(&gen));

    let mut stale = Vec::new();
    for (name, text) in &files {
        let formatted = rustfmt(text)?;
        let path = out_dir.join(name);
        if check {
            let current = std::fs::read_to_string(&path).unwrap_or_default();
            if current != formatted {
                stale.push(path.display().to_string());
            }
        } else {
            std::fs::create_dir_all(out_dir).map_err(|e| e.to_string())?;
            std::fs::write(&path, formatted).map_err(|e| e.to_string())?;
        }
    }
    if !stale.is_empty() {
        return Err(format!(
            "generated API models are stale: {} (run `cargo xtask gen-api`)",
            stale.join(", ")
        ));
    }
    if !check {
        eprintln!("wrote {} files to {}", files.len(), out_dir.display());
    }
    Ok(())
}

fn rustfmt(text: &str) -> Result<String, String> {
    use std::io::Write;
    let mut child = Command::new("rustfmt")
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("rustfmt: {e}"))?;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!(
            "rustfmt failed on generated code: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8(out.stdout).unwrap())
}

const HEADER: &str = "// @generated by `cargo xtask gen-api` from the upstream Flux CRDs.\n// Do not edit by hand: change xtask/src/gen.rs and regenerate.\n\n";

fn sites_text(sites: &[Site]) -> String {
    let mut seen = BTreeSet::new();
    let mut parts = Vec::new();
    for s in sites {
        let t = format!("{} `{}`", s.kind, s.path);
        if seen.insert(t.clone()) {
            parts.push(t);
        }
    }
    if parts.len() > 4 {
        let n = parts.len() - 4;
        parts.truncate(4);
        parts.push(format!("and {n} more"));
    }
    parts.join(", ")
}

fn render_module(gen: &mut Gen, module: &str) -> String {
    let mut out = String::from(HEADER);
    let title = match module {
        "common" => "Shapes shared by several Flux kinds.".to_string(),
        m => {
            let kinds: Vec<String> = gen
                .crds
                .iter()
                .filter(|c| module_of(&c.group) == m)
                .map(|c| format!("`{}`", c.kind))
                .collect();
            let group = gen
                .crds
                .iter()
                .find(|c| module_of(&c.group) == m)
                .map(|c| format!("{}/{}", c.group, c.version))
                .unwrap_or_default();
            format!("`{group}`: {}.", kinds.join(", "))
        }
    };
    let _ = writeln!(out, "//! {title}\n");
    out.push_str("#[allow(unused_imports)]\nuse std::collections::BTreeMap;\n\n");
    out.push_str("use serde::{Deserialize, Serialize};\n\n");
    if module != "common" {
        out.push_str("#[allow(unused_imports)]\nuse super::common::*;\n");
    }
    out.push_str(
        "#[allow(unused_imports)]\nuse crate::api::{string_enum, JsonObject, ObjectMeta};\n\n",
    );
    let idxs: Vec<usize> = (0..gen.types.len())
        .filter(|&i| gen.types[i].module == module)
        .collect();
    for i in idxs {
        let t = &gen.types[i];
        match &t.body {
            Body::Enum { values } => out.push_str(&render_enum(&t.name, values, &t.sites)),
            Body::Struct { schema, top_kind } => {
                let schema = schema.clone();
                let top = top_kind.map(|k| gen.crds[k].clone());
                let text = render_struct(gen, i, &schema, top.as_ref());
                out.push_str(&text);
            }
        }
    }
    out
}

fn render_enum(name: &str, values: &[String], sites: &[Site]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "string_enum! {{");
    let list: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
    let _ = writeln!(out, "    /// One of {}.", list.join(", "));
    let _ = writeln!(out, "    ///\n    /// Used by {}.", sites_text(sites));
    let _ = writeln!(out, "    pub enum {name} {{");
    let mut used = BTreeSet::new();
    for v in values {
        let mut vn = variant_name(v);
        if !used.insert(vn.clone()) {
            vn = format!("{vn}Upper");
            used.insert(vn.clone());
        }
        let _ = writeln!(out, "        /// `{v}`");
        let _ = writeln!(out, "        {vn} = {v:?},");
    }
    out.push_str("    }\n}\n\n");
    out
}

fn constraint_doc(node: &Value, required: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if required {
        lines.push("Required.".to_string());
    }
    if let Some(d) = node.get("default") {
        lines.push(format!("The API server defaults it to `{}`.", d));
    }
    if let Some(p) = node.get("pattern").and_then(Value::as_str) {
        lines.push(format!("Must match `{}`.", p.replace('`', "'")));
    }
    let min = node.get("minLength").and_then(Value::as_u64);
    let max = node.get("maxLength").and_then(Value::as_u64);
    match (min, max) {
        (Some(a), Some(b)) => lines.push(format!("Length {a} to {b}.")),
        (Some(a), None) => lines.push(format!("At least {a} characters.")),
        (None, Some(b)) => lines.push(format!("At most {b} characters.")),
        _ => {}
    }
    let min = node.get("minItems").and_then(Value::as_u64);
    let max = node.get("maxItems").and_then(Value::as_u64);
    match (min, max) {
        (Some(a), Some(b)) => lines.push(format!("{a} to {b} items.")),
        (Some(a), None) => lines.push(format!("At least {a} items.")),
        (None, Some(b)) => lines.push(format!("At most {b} items.")),
        _ => {}
    }
    if let Some(m) = node.get("minimum") {
        lines.push(format!("Minimum {m}."));
    }
    if let Some(m) = node.get("maximum") {
        lines.push(format!("Maximum {m}."));
    }
    if node.get("x-kubernetes-validations").is_some() {
        lines.push("Cross-field rules apply (see `validate::rules`).".into());
    }
    lines
}

fn schemars_attrs(node: &Value, inner: bool) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(p) = node.get("pattern").and_then(Value::as_str) {
        parts.push(format!("regex(pattern = r#\"{p}\"#)"));
    }
    let is_array = node.get("type").and_then(Value::as_str) == Some("array");
    let (kmin, kmax) = if is_array {
        ("minItems", "maxItems")
    } else {
        ("minLength", "maxLength")
    };
    let min = node.get(kmin).and_then(Value::as_u64);
    let max = node.get(kmax).and_then(Value::as_u64);
    match (min, max) {
        (Some(a), Some(b)) => parts.push(format!("length(min = {a}, max = {b})")),
        (Some(a), None) => parts.push(format!("length(min = {a})")),
        (None, Some(b)) => parts.push(format!("length(max = {b})")),
        _ => {}
    }
    let rmin = node.get("minimum");
    let rmax = node.get("maximum");
    match (rmin, rmax) {
        (Some(a), Some(b)) => parts.push(format!("range(min = {a}, max = {b})")),
        (Some(a), None) => parts.push(format!("range(min = {a})")),
        (None, Some(b)) => parts.push(format!("range(max = {b})")),
        _ => {}
    }
    if !inner {
        if let Some(items) = node.get("items") {
            if enum_values(items).is_none() && !is_struct_schema(items) {
                let i = schemars_attrs(items, true);
                if !i.is_empty() {
                    parts.push(format!("inner({})", i.join(", ")));
                }
            }
        }
        if let Some(d) = node.get("default") {
            parts.push(format!("extend(\"default\" = {})", rust_json_literal(d)));
        }
        if node.get("format").and_then(Value::as_str) == Some("date-time") {
            parts.push("extend(\"format\" = \"date-time\")".into());
        }
        if node.get("x-kubernetes-preserve-unknown-fields") == Some(&Value::Bool(true)) {
            parts.push("extend(\"x-kubernetes-preserve-unknown-fields\" = true)".into());
        }
    }
    parts
}

fn rust_json_literal(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Bool(_) | Value::Number(_) | Value::Null => v.to_string(),
        other => format!("serde_json::json!({})", other),
    }
}

fn render_struct(gen: &mut Gen, idx: usize, schema: &Value, top: Option<&Crd>) -> String {
    let name = gen.types[idx].name.clone();
    let sites = gen.types[idx].sites.clone();
    let site = sites[0].clone();
    let mut out = String::new();
    match top {
        Some(c) => {
            let _ = writeln!(
                out,
                "/// A Flux `{}` (`{}/{}`), as written in a manifest.",
                c.kind, c.group, c.version
            );
            if !c.short_names.is_empty() {
                let _ = writeln!(
                    out,
                    "///\n/// kubectl short names: {}; plural `{}`.",
                    c.short_names.join(", "),
                    c.plural
                );
            }
        }
        None => {
            let article = if site.kind.starts_with(['A', 'E', 'I', 'O', 'U']) {
                "an"
            } else {
                "a"
            };
            let _ = writeln!(
                out,
                "/// The `{}` object of {article} {}.",
                site.path, site.kind
            );
            if sites.len() > 1 {
                let _ = writeln!(out, "///\n/// Also used by {}.", sites_text(&sites[1..]));
            }
        }
    }
    out.push_str(
        "#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]\n",
    );
    out.push_str("#[serde(rename_all = \"camelCase\")]\n");
    let _ = writeln!(out, "pub struct {name} {{");
    let required: BTreeSet<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let props = schema["properties"].as_object().unwrap().clone();
    for (field, fnode) in &props {
        let path = if site.path.is_empty() {
            field.clone()
        } else {
            format!("{}.{}", site.path, field)
        };
        let is_required = required.contains(field);
        let mut ty = if top.is_some() && field == "metadata" {
            "ObjectMeta".to_string()
        } else {
            gen.rust_type(fnode, &site, &path, &name, field)
        };
        // Top-level apiVersion/kind are plain strings kept as written.
        let top_plain = top.is_some() && (field == "apiVersion" || field == "kind");
        let mut doc: Vec<String> = Vec::new();
        let head = match (top.is_some(), field.as_str()) {
            (true, "spec") => "`spec`: the desired state.".to_string(),
            (true, "status") => {
                "`status`: the observed state, written by the controller.".to_string()
            }
            _ => match gloss(field) {
                Some(g) => format!("`{field}`: {g}"),
                None => format!("`{field}`: {}.", humanize(field)),
            },
        };
        doc.push(head);
        if top_plain {
            doc = vec![format!("`{field}` as written in the document.")];
        }
        if top.is_some() && field == "metadata" {
            doc = vec!["Standard Kubernetes object metadata.".into()];
        }
        if let Some(vals) = enum_values(fnode) {
            let list: Vec<String> = vals.iter().map(|v| format!("`{v}`")).collect();
            doc.push(format!("One of {}.", list.join(", ")));
        }
        doc.extend(constraint_doc(fnode, is_required));
        for (i, line) in doc.iter().enumerate() {
            if i == 1 {
                out.push_str("    ///\n");
            }
            let _ = writeln!(out, "    /// {line}");
        }
        let snake_name = snake(field);
        let rust_field = if RUST_KEYWORDS.contains(&snake_name.as_str()) {
            format!("r#{snake_name}")
        } else {
            snake_name.clone()
        };
        if serde_camel(&snake_name) != *field {
            let _ = writeln!(out, "    #[serde(rename = {field:?})]");
        }
        let mut attrs = schemars_attrs(fnode, false);
        if let (Some(vals), true) = (enum_values(fnode), ty == "String") {
            attrs.push(format!("extend(\"enum\" = {:?})", vals));
        }
        if !attrs.is_empty() {
            let _ = writeln!(out, "    #[schemars({})]", attrs.join(", "));
        }
        if top_plain || (top.is_some() && field == "metadata") {
            // Missing apiVersion/kind/metadata deserialize as empty; the schema
            // must not claim a default the API server does not apply.
            out.push_str("    #[serde(default)]\n");
            out.push_str("    #[schemars(transform = crate::schema::without_default)]\n");
        } else if !is_required {
            out.push_str("    #[serde(default, skip_serializing_if = \"Option::is_none\")]\n");
            ty = format!("Option<{ty}>");
        }
        let _ = writeln!(out, "    pub {rust_field}: {ty},");
    }
    out.push_str("}\n\n");
    out
}

fn render_mod(gen: &Gen) -> String {
    let mut out = String::from(HEADER);
    out.push_str(
        "//! Typed models of every kind Flux serves, generated from the upstream CRDs.\n\n",
    );
    for m in [
        "common",
        "source",
        "kustomize",
        "helm",
        "image",
        "notification",
        "source_extensions",
    ] {
        let _ = writeln!(out, "pub mod {m};");
    }
    out.push('\n');
    out.push_str(
        "/// Every Flux kind this crate knows: `(group, version, kind, plural, short names)`.\n",
    );
    out.push_str("pub const KINDS: &[(&str, &str, &str, &str, &[&str])] = &[\n");
    for c in &gen.crds {
        let sn: Vec<String> = c.short_names.iter().map(|s| format!("{s:?}")).collect();
        let _ = writeln!(
            out,
            "    ({:?}, {:?}, {:?}, {:?}, &[{}]),",
            c.group,
            c.version,
            c.kind,
            c.plural,
            sn.join(", ")
        );
    }
    out.push_str("];\n\n");
    out.push_str("crate::api::flux_object! {\n");
    for c in &gen.crds {
        let _ = writeln!(
            out,
            "    {kind}({m}::{kind}) = ({g:?}, {v:?}),",
            kind = c.kind,
            m = module_of(&c.group),
            g = c.group,
            v = c.version
        );
    }
    out.push_str("}\n");
    out
}

//! Validation of Flux objects against the upstream CRD rules, with locations.
//!
//! Two layers, both re-implemented in Rust:
//! - the OpenAPI keywords of the schema (`type`, `required`, `enum`, `pattern`,
//!   lengths, item counts, bounds), walked over the YAML tree so every finding
//!   points at the field's line and column; unknown fields are kept and reported
//!   as warnings with a "did you mean" suggestion;
//! - the CRDs' `x-kubernetes-validations` (CEL) rules, in [`rules`].
//!
//! Strings holding a postBuild variable (`${...}`) are not checked against
//! patterns, enums or types: substitution replaces them before Flux applies them.
//!
//! ```
//! use fluxcd_core::validate::validate_node;
//! use fluxcd_core::yaml::{parse_documents, LoadOptions};
//!
//! let text = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\nspec:\n  interval: 1d\n  prune: true\n  dependOn: []\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n";
//! let (docs, _) = parse_documents(text, &LoadOptions::default());
//! let findings = validate_node("Kustomization", docs[0].root.as_ref().unwrap());
//! let codes: Vec<_> = findings.iter().map(|f| (f.code, f.path.as_str(), f.pos.line)).collect();
//! assert_eq!(codes, [("schema.pattern", "spec.interval", 6), ("schema.unknown_field", "spec.dependOn", 8)]);
//! assert_eq!(findings[1].hint.as_deref(), Some("did you mean `dependsOn`?"));
//! ```

pub mod rules;

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use serde_json::Value;

use crate::diagnostic::Severity;
use crate::yaml::{Node, NodeValue, Pos};

/// One finding of the schema or rule checks, located in the YAML tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Stable code (`schema.required`, `schema.enum`, `schema.rule.*`, ...).
    pub code: &'static str,
    /// Error for what the API server rejects; warning for unknown fields.
    pub severity: Severity,
    /// Message; field values appear in it only for Flux objects (never Secrets).
    pub message: String,
    /// Dotted path of the field (`spec.ref.branch`, `spec.dependsOn[0].name`).
    pub path: String,
    /// Line and column of the field (its key) or of the closest existing parent.
    pub pos: Pos,
    /// Suggested fix.
    pub hint: Option<String>,
}

struct Compiled {
    schemas: HashMap<&'static str, Value>,
    regexes: HashMap<String, Regex>,
}

fn collect_patterns(node: &Value, out: &mut HashMap<String, Regex>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(p)) = map.get("pattern") {
                if !out.contains_key(p) {
                    // Upstream patterns are RE2, which the regex crate reads the same way.
                    if let Ok(re) = Regex::new(p) {
                        out.insert(p.clone(), re);
                    }
                }
            }
            for (k, v) in map {
                if k != "enum" && k != "default" {
                    collect_patterns(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_patterns(v, out)),
        _ => {}
    }
}

fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        let mut schemas = HashMap::new();
        let mut regexes = HashMap::new();
        for (kind, schema) in crate::schema::all_schemas() {
            collect_patterns(&schema, &mut regexes);
            schemas.insert(kind, schema);
        }
        Compiled { schemas, regexes }
    })
}

/// True when a string will be rewritten by postBuild substitution.
fn has_variable(s: &str) -> bool {
    s.contains("${")
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Suggests the closest allowed name for a misspelt one.
pub fn did_you_mean<'a>(
    given: &str,
    allowed: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = given.to_ascii_lowercase();
    let mut best: Option<(&str, f64)> = None;
    for cand in allowed {
        let score = if cand.to_ascii_lowercase() == lower {
            2.0
        } else {
            strsim::jaro_winkler(&lower, &cand.to_ascii_lowercase())
        };
        if score > best.map_or(0.0, |b| b.1) {
            best = Some((cand, score));
        }
    }
    best.filter(|b| b.1 >= 0.85).map(|b| b.0)
}

/// How strictly to validate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The document is a kustomize patch (a partial object): required fields and
    /// cross-field rules are not checked, everything that is written still is.
    pub partial: bool,
}

/// Kinds that Flux Operator adds to the notification CRDs' event-source enums;
/// the upstream CRDs reject them.
const OPERATOR_KINDS: &[&str] = &[
    "FluxInstance",
    "ResourceSet",
    "ResourceSetInputProvider",
    "FluxReport",
];

struct Walker<'a> {
    regexes: &'a HashMap<String, Regex>,
    options: Options,
    out: Vec<Finding>,
}

impl Walker<'_> {
    fn push(
        &mut self,
        code: &'static str,
        severity: Severity,
        path: &str,
        pos: Pos,
        message: String,
        hint: Option<String>,
    ) {
        self.out.push(Finding {
            code,
            severity,
            message,
            path: path.to_string(),
            pos,
            hint,
        });
    }

    fn type_ok(expected: &str, node: &Node) -> bool {
        matches!(
            (expected, &node.value),
            ("object", NodeValue::Map(_))
                | ("array", NodeValue::Seq(_))
                | ("string", NodeValue::String(_))
                | ("boolean", NodeValue::Bool(_))
                | ("integer", NodeValue::Int(_) | NodeValue::UInt(_))
                | (
                    "number",
                    NodeValue::Int(_) | NodeValue::UInt(_) | NodeValue::Float(_)
                )
        )
    }

    /// Walks `node` (at `path`, located at `pos`) against `schema`.
    fn walk(&mut self, schema: &Value, node: &Node, path: &str, pos: Pos) {
        let Some(schema) = schema.as_object() else {
            return; // `true`: anything goes
        };
        if node.is_null() {
            return; // the API server drops nulls of optional fields
        }
        if let Some(expected) = schema.get("type").and_then(Value::as_str) {
            if !Self::type_ok(expected, node) {
                let deferred = node.as_str().is_some_and(has_variable);
                if !deferred {
                    let hint = match (expected, &node.value) {
                        (
                            "string",
                            NodeValue::Int(_)
                            | NodeValue::UInt(_)
                            | NodeValue::Float(_)
                            | NodeValue::Bool(_),
                        ) => Some("quote the value to make it a string".to_string()),
                        ("boolean", NodeValue::String(s)) if s == "true" || s == "false" => {
                            Some(format!("write {s} without quotes"))
                        }
                        _ => None,
                    };
                    self.push(
                        "schema.type",
                        Severity::Error,
                        path,
                        pos,
                        format!("expected {expected}, found {}", node.type_name()),
                        hint,
                    );
                }
                return;
            }
        }
        match &node.value {
            NodeValue::String(s) => self.check_string(schema, s, path, pos),
            NodeValue::Int(_) | NodeValue::UInt(_) | NodeValue::Float(_) => {
                self.check_number(schema, node, path, pos)
            }
            NodeValue::Seq(items) => {
                let n = items.len() as u64;
                if let Some(min) = schema.get("minItems").and_then(Value::as_u64) {
                    if n < min {
                        self.push(
                            "schema.items",
                            Severity::Error,
                            path,
                            pos,
                            format!("must have at least {min} item(s), has {n}"),
                            None,
                        );
                    }
                }
                if let Some(max) = schema.get("maxItems").and_then(Value::as_u64) {
                    if n > max {
                        self.push(
                            "schema.items",
                            Severity::Error,
                            path,
                            pos,
                            format!("must have at most {max} item(s), has {n}"),
                            None,
                        );
                    }
                }
                if let Some(item_schema) = schema.get("items") {
                    for (i, item) in items.iter().enumerate() {
                        self.walk(item_schema, item, &format!("{path}[{i}]"), item.pos);
                    }
                }
            }
            NodeValue::Map(entries) => {
                let props = schema.get("properties").and_then(Value::as_object);
                let required = schema
                    .get("required")
                    .and_then(Value::as_array)
                    .filter(|_| !self.options.partial);
                if let Some(required) = required {
                    for r in required.iter().filter_map(Value::as_str) {
                        let present = entries.iter().any(|e| e.key == r && !e.value.is_null());
                        if !present {
                            self.push(
                                "schema.required",
                                Severity::Error,
                                &join(path, r),
                                pos,
                                format!("missing required field `{r}`"),
                                None,
                            );
                        }
                    }
                }
                let additional = schema.get("additionalProperties");
                for e in entries {
                    let child = join(path, &e.key);
                    if let Some(sub) = props.and_then(|p| p.get(&e.key)) {
                        self.walk(sub, &e.value, &child, e.key_pos);
                    } else if let Some(ap) = additional {
                        if ap.is_object() {
                            self.walk(ap, &e.value, &child, e.key_pos);
                        }
                    } else if let Some(props) = props {
                        if schema.get("x-kubernetes-preserve-unknown-fields")
                            == Some(&Value::Bool(true))
                        {
                            continue;
                        }
                        let hint = did_you_mean(&e.key, props.keys().map(String::as_str))
                            .map(|s| format!("did you mean `{s}`?"));
                        self.push(
                            "schema.unknown_field",
                            Severity::Warning,
                            &child,
                            e.key_pos,
                            format!("unknown field `{}`; the API server drops it", e.key),
                            hint,
                        );
                    }
                }
            }
            NodeValue::Bool(_) | NodeValue::Null => {}
        }
    }

    fn check_string(
        &mut self,
        schema: &serde_json::Map<String, Value>,
        s: &str,
        path: &str,
        pos: Pos,
    ) {
        if has_variable(s) {
            return;
        }
        if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
            let allowed: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
            if !allowed.contains(&s) {
                if OPERATOR_KINDS.contains(&s)
                    && allowed.contains(&"GitRepository")
                    && path.ends_with(".kind")
                {
                    self.push(
                        "schema.enum_extension",
                        Severity::Warning,
                        path,
                        pos,
                        format!("kind {s:?} is not in the upstream CRD enum; only clusters where Flux Operator extends the CRD accept it"),
                        None,
                    );
                    return;
                }
                let hint = did_you_mean(s, allowed.iter().copied())
                    .map(|a| format!("did you mean `{a}`?"));
                let list: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
                self.push(
                    "schema.enum",
                    Severity::Error,
                    path,
                    pos,
                    format!(
                        "unsupported value {s:?}: must be one of {}",
                        list.join(", ")
                    ),
                    hint,
                );
                return;
            }
        }
        if let Some(p) = schema.get("pattern").and_then(Value::as_str) {
            if let Some(re) = self.regexes.get(p) {
                if !re.is_match(s) {
                    let hint = if p.contains("(ms|s|m|h)") || p.contains("(ms|s|m)") {
                        Some(if p.contains("|h)") {
                            "use a Go duration such as 30s, 5m or 1h30m".to_string()
                        } else {
                            "use a Go duration in ms, s or m (hours are not allowed here), such as 60s or 5m".to_string()
                        })
                    } else {
                        None
                    };
                    self.push(
                        "schema.pattern",
                        Severity::Error,
                        path,
                        pos,
                        format!("value {s:?} does not match `{p}`"),
                        hint,
                    );
                }
            }
        }
        let chars = s.chars().count() as u64;
        if let Some(min) = schema.get("minLength").and_then(Value::as_u64) {
            if chars < min {
                self.push(
                    "schema.length",
                    Severity::Error,
                    path,
                    pos,
                    format!("must be at least {min} character(s), is {chars}"),
                    None,
                );
            }
        }
        if let Some(max) = schema.get("maxLength").and_then(Value::as_u64) {
            if chars > max {
                self.push(
                    "schema.length",
                    Severity::Error,
                    path,
                    pos,
                    format!("must be at most {max} characters, is {chars}"),
                    None,
                );
            }
        }
    }

    fn check_number(
        &mut self,
        schema: &serde_json::Map<String, Value>,
        node: &Node,
        path: &str,
        pos: Pos,
    ) {
        let v = match node.value {
            NodeValue::Int(i) => i as f64,
            NodeValue::UInt(u) => u as f64,
            NodeValue::Float(f) => f,
            _ => return,
        };
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
            if v < min {
                self.push(
                    "schema.range",
                    Severity::Error,
                    path,
                    pos,
                    format!("must be at least {min}, is {v}"),
                    None,
                );
            }
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
            if v > max {
                self.push(
                    "schema.range",
                    Severity::Error,
                    path,
                    pos,
                    format!("must be at most {max}, is {v}"),
                    None,
                );
            }
        }
        if schema.get("format").and_then(Value::as_str) == Some("int32")
            && (v < i32::MIN as f64 || v > i32::MAX as f64)
        {
            self.push(
                "schema.range",
                Severity::Error,
                path,
                pos,
                format!("{v} does not fit a 32-bit integer"),
                None,
            );
        }
    }
}

/// Validates a document of a served Flux `kind` against its schema and CEL rules.
///
/// CEL rules only run when the schema layer found no error, as the API server
/// does. Unknown kinds yield no findings.
pub fn validate_node(kind: &str, root: &Node) -> Vec<Finding> {
    validate_node_with(kind, root, Options::default())
}

/// [`validate_node`] with options (partial objects for kustomize patches).
pub fn validate_node_with(kind: &str, root: &Node, options: Options) -> Vec<Finding> {
    validate_document(kind, root, None, options)
}

/// [`validate_node_with`] for a caller that already holds the document as JSON
/// (`root.to_json()`), which the CEL rules read.
pub fn validate_document(
    kind: &str,
    root: &Node,
    json: Option<&Value>,
    options: Options,
) -> Vec<Finding> {
    let c = compiled();
    let Some(schema) = c.schemas.get(kind) else {
        return Vec::new();
    };
    let mut w = Walker {
        regexes: &c.regexes,
        options,
        out: Vec::new(),
    };
    // apiVersion/kind/metadata are checked by the manifest layer.
    if let (Some(props), NodeValue::Map(entries)) = (schema.get("properties"), &root.value) {
        for e in entries {
            match e.key.as_str() {
                "spec" | "status" => {
                    if let Some(sub) = props.get(&e.key) {
                        w.walk(sub, &e.value, &e.key, e.key_pos);
                    }
                }
                "apiVersion" | "kind" | "metadata" => {}
                other => {
                    let hint =
                        did_you_mean(other, ["apiVersion", "kind", "metadata", "spec", "status"])
                            .map(|s| format!("did you mean `{s}`?"));
                    w.push(
                        "schema.unknown_field",
                        Severity::Warning,
                        other,
                        e.key_pos,
                        format!("unknown field `{other}`; the API server drops it"),
                        hint,
                    );
                }
            }
        }
    }
    if !options.partial && !w.out.iter().any(|f| f.severity == Severity::Error) {
        let owned;
        let json = match json {
            Some(j) => j,
            None => {
                owned = root.to_json();
                &owned
            }
        };
        for v in rules::check(kind, json) {
            let pos = root.locate(&v.path).unwrap_or(root.pos);
            w.out.push(Finding {
                code: v.code,
                severity: Severity::Error,
                message: v.message,
                path: v.path,
                pos,
                hint: None,
            });
        }
    }
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse_documents, LoadOptions};

    fn findings(text: &str, kind: &str) -> Vec<(&'static str, String, u32)> {
        let (docs, diags) = parse_documents(text, &LoadOptions::default());
        assert!(diags.is_empty(), "{diags:?}");
        validate_node(kind, docs[0].root.as_ref().unwrap())
            .into_iter()
            .map(|f| (f.code, f.path, f.pos.line))
            .collect()
    }

    const HR: &str = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\nspec:\n";

    #[test]
    fn valid_helmrelease_has_no_findings() {
        let t = format!("{HR}  interval: 10m\n  chart:\n    spec:\n      chart: podinfo\n      version: '6.x'\n      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n  values:\n    replicaCount: 2\n    anything: [1, {{a: b}}]\n");
        assert_eq!(findings(&t, "HelmRelease"), vec![]);
    }

    #[test]
    fn required_enum_type_and_length() {
        let t = format!("{HR}  releaseName: {}\n  chart:\n    spec:\n      chart: podinfo\n      version: 6.1\n      sourceRef:\n        kind: HelmRepo\n        name: podinfo\n", "x".repeat(54));
        let f = findings(&t, "HelmRelease");
        assert_eq!(
            f,
            vec![
                ("schema.required", "spec.interval".to_string(), 5),
                ("schema.length", "spec.releaseName".to_string(), 6),
                ("schema.type", "spec.chart.spec.version".to_string(), 10),
                (
                    "schema.enum",
                    "spec.chart.spec.sourceRef.kind".to_string(),
                    12
                ),
            ]
        );
    }

    #[test]
    fn cel_rule_runs_when_schema_is_clean() {
        let t = format!("{HR}  interval: 10m\n");
        assert_eq!(
            findings(&t, "HelmRelease"),
            vec![("schema.rule.chart_xor_chart_ref", "spec".to_string(), 5)]
        );
    }

    #[test]
    fn variables_defer_checks() {
        let t = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: a\nspec:\n  interval: ${INTERVAL}\n  prune: ${PRUNE}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n";
        assert_eq!(findings(t, "Kustomization"), vec![]);
    }

    #[test]
    fn source_timeouts_reject_hours_with_hint() {
        let t = "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: a\nspec:\n  interval: 1h\n  timeout: 1h\n  url: https://example.com/repo\n";
        let (docs, _) = parse_documents(t, &LoadOptions::default());
        let f = validate_node("GitRepository", docs[0].root.as_ref().unwrap());
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].path, "spec.timeout");
        assert!(f[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("hours are not allowed"));
    }

    #[test]
    fn unknown_top_level_field() {
        let t = "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: a\nspce:\n  interval: 1h\n";
        let f = findings(t, "GitRepository");
        assert_eq!(f, vec![("schema.unknown_field", "spce".to_string(), 5)]);
    }

    #[test]
    fn patches_skip_required_but_check_values() {
        let t = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: a\nspec:\n  interval: 1d\n";
        let (docs, _) = parse_documents(t, &LoadOptions::default());
        let f = validate_node_with(
            "Kustomization",
            docs[0].root.as_ref().unwrap(),
            Options { partial: true },
        );
        assert_eq!(
            f.iter().map(|f| f.code).collect::<Vec<_>>(),
            ["schema.pattern"]
        );
    }

    #[test]
    fn flux_operator_kinds_are_warnings() {
        let t = "apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Alert\nmetadata:\n  name: a\nspec:\n  providerRef:\n    name: p\n  eventSources:\n    - kind: FluxInstance\n      name: '*'\n    - kind: Kustomisation\n      name: '*'\n";
        let (docs, _) = parse_documents(t, &LoadOptions::default());
        let f = validate_node("Alert", docs[0].root.as_ref().unwrap());
        let got: Vec<_> = f
            .iter()
            .map(|f| (f.code, f.severity, f.path.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "schema.enum_extension",
                    Severity::Warning,
                    "spec.eventSources[0].kind"
                ),
                ("schema.enum", Severity::Error, "spec.eventSources[1].kind"),
            ]
        );
        assert_eq!(f[1].hint.as_deref(), Some("did you mean `Kustomization`?"));
    }

    #[test]
    fn did_you_mean_is_conservative() {
        assert_eq!(
            did_you_mean("dependOn", ["dependsOn", "decryption"]),
            Some("dependsOn")
        );
        assert_eq!(did_you_mean("INTERVAL", ["interval"]), Some("interval"));
        assert_eq!(did_you_mean("zzz", ["interval", "prune"]), None);
    }
}

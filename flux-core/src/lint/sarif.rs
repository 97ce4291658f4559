//! SARIF 2.1.0 output, for code-scanning upload (GitHub, GitLab, Azure DevOps).
//!
//! One run whose driver is `fluxcd-core`; its rules are every lint rule of
//! [`rules()`](super::rules::rules) plus every other code that a diagnostic carries
//! (described from [`codes::all`](crate::codes::all)). Each diagnostic is a
//! result with its code as `ruleId`, `error`/`warning`/`note` as level, the fix
//! hint appended to the message and kept in `properties.hint`, and a physical
//! location whose URI is relative to the repository root (`uriBaseId`
//! `%SRCROOT%`). The output is checked against the official 2.1.0 JSON schema by
//! `scripts/test-all.sh` (see `flux-core/tests/sarif_schema.rs`).
//!
//! ```
//! use fluxcd_core::{Diagnostic, Location};
//! use fluxcd_core::lint::to_sarif;
//!
//! let d = Diagnostic::warning("plan.create_namespace_ignored", "createNamespace is ignored")
//!     .at(Location { file: Some("apps/web.yaml".into()), document: 0, line: 12, column: 5, path: "spec.install.createNamespace".into() })
//!     .with_hint("set spec.targetNamespace");
//! let log = to_sarif(&[d], "0.1.0", None);
//! assert_eq!(log["version"], "2.1.0");
//! let result = &log["runs"][0]["results"][0];
//! assert_eq!(result["ruleId"], "plan.create_namespace_ignored");
//! assert_eq!(result["level"], "warning");
//! let loc = &result["locations"][0]["physicalLocation"];
//! assert_eq!(loc["artifactLocation"]["uri"], "apps/web.yaml");
//! assert_eq!(loc["region"]["startLine"], 12);
//! assert_eq!(loc["region"]["startColumn"], 5);
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::diagnostic::{Diagnostic, Severity};

/// Where the SARIF 2.1.0 schema is published (the log's `$schema`).
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The project's home page (the driver's `informationUri`).
pub const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF 2.1.0 log of `diagnostics`.
///
/// `tool_version` is the driver's version. File names in locations are taken as
/// relative to the repository root; an absolute one is made relative to
/// `repo_root` when it lies under it.
pub fn to_sarif(diagnostics: &[Diagnostic], tool_version: &str, repo_root: Option<&Path>) -> Value {
    // Rules: the lint table first (stable indices), then the other codes met, sorted.
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut rules: Vec<Value> = Vec::new();
    for r in super::rules() {
        index.insert(r.code.to_string(), rules.len());
        rules.push(json!({
            "id": r.code,
            "name": rule_name(r.code),
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": format!("{} {}", r.summary, r.reason)},
            "help": {"text": format!("Fix: {}", r.fix)},
            "helpUri": format!("{INFORMATION_URI}/blob/main/docs/lint-rules.md"),
            "defaultConfiguration": {"level": level(r.severity)},
            "properties": {"profile": r.profile.as_str(), "tags": [r.profile.as_str()]},
        }));
    }
    let registry = crate::codes::all();
    let mut others: Vec<&str> = diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .filter(|c| !index.contains_key(*c))
        .collect();
    others.sort_unstable();
    others.dedup();
    for code in others {
        let info = registry.iter().find(|c| c.code == code);
        let summary = info.map_or_else(|| code.to_string(), |c| c.summary.clone());
        let sev = info.map_or_else(
            || {
                diagnostics
                    .iter()
                    .find(|d| d.code == code)
                    .map_or(Severity::Warning, |d| d.severity)
            },
            |c| c.severity,
        );
        index.insert(code.to_string(), rules.len());
        rules.push(json!({
            "id": code,
            "name": rule_name(code),
            "shortDescription": {"text": summary},
            "helpUri": format!("{INFORMATION_URI}/blob/main/docs/error-codes.md"),
            "defaultConfiguration": {"level": level(sev)},
        }));
    }

    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if !d.location.path.is_empty() && !text.contains(&d.location.path) {
                text.push_str(&format!(" (at {})", d.location.path));
            }
            if let Some(h) = &d.hint {
                text.push_str(&format!("\nFix: {h}"));
            }
            let mut r = Map::new();
            r.insert("ruleId".into(), json!(d.code));
            r.insert("ruleIndex".into(), json!(index[&d.code]));
            r.insert("level".into(), json!(level(d.severity)));
            r.insert("message".into(), json!({"text": text}));
            if let Some(file) = &d.location.file {
                let mut physical = Map::new();
                physical.insert(
                    "artifactLocation".into(),
                    json!({"uri": uri(file, repo_root), "uriBaseId": "%SRCROOT%"}),
                );
                if d.location.line > 0 {
                    let mut region = json!({"startLine": d.location.line});
                    if d.location.column > 0 {
                        region["startColumn"] = json!(d.location.column);
                    }
                    physical.insert("region".into(), region);
                }
                let mut loc = json!({"physicalLocation": physical});
                if !d.location.path.is_empty() {
                    loc["logicalLocations"] =
                        json!([{"fullyQualifiedName": d.location.path, "kind": "member"}]);
                }
                r.insert("locations".into(), json!([loc]));
            }
            let mut props = Map::new();
            if let Some(h) = &d.hint {
                props.insert("hint".into(), json!(h));
            }
            if d.location.file.is_some() {
                props.insert("document".into(), json!(d.location.document));
            }
            if !props.is_empty() {
                r.insert("properties".into(), Value::Object(props));
            }
            Value::Object(r)
        })
        .collect();

    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "fluxcd-core",
                "version": tool_version,
                "semanticVersion": tool_version,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// `plan.create_namespace_ignored` → `PlanCreateNamespaceIgnored`.
fn rule_name(code: &str) -> String {
    code.split(['.', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A relative URI reference for `file`: `/` separators, percent-encoded.
fn uri(file: &str, repo_root: Option<&Path>) -> String {
    let mut rel = file.replace('\\', "/");
    if let Some(root) = repo_root {
        if let Ok(stripped) = Path::new(file).strip_prefix(root) {
            rel = stripped.to_string_lossy().replace('\\', "/");
        }
    }
    let rel = rel.trim_start_matches("./");
    let mut out = String::with_capacity(rel.len());
    for b in rel.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;

    fn at(file: Option<&str>, line: u32, column: u32) -> Location {
        Location {
            file: file.map(String::from),
            document: 1,
            line,
            column,
            path: String::new(),
        }
    }

    #[test]
    fn levels_rules_and_locations() {
        let diags = vec![
            Diagnostic::error("deps.cycle", "a -> b -> a").at(at(
                Some("clusters/prod/a.yaml"),
                3,
                1,
            )),
            Diagnostic::info("release.shortened", "long").at(at(Some("/repo/apps/x y.yaml"), 0, 0)),
            Diagnostic::warning("made.up_code", "no file"),
            Diagnostic::warning("plan.create_namespace_ignored", "ignored")
                .at(at(Some("apps/hr.yaml"), 7, 5))
                .with_hint("set targetNamespace"),
        ];
        let log = to_sarif(&diags, "9.9.9", Some(Path::new("/repo")));
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "fluxcd-core");
        assert_eq!(run["tool"]["driver"]["version"], "9.9.9");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
        let n = super::super::rules().len();
        assert_eq!(
            &ids[n..],
            ["deps.cycle", "made.up_code", "release.shortened"]
        );
        assert_eq!(rules[n]["defaultConfiguration"]["level"], "error");
        assert_eq!(rules[n + 1]["shortDescription"]["text"], "made.up_code");
        let results = run["results"].as_array().unwrap();
        let levels: Vec<&str> = results
            .iter()
            .map(|r| r["level"].as_str().unwrap())
            .collect();
        assert_eq!(levels, ["error", "note", "warning", "warning"]);
        for r in results {
            let idx = r["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[idx]["id"], r["ruleId"]);
        }
        let loc1 = &results[1]["locations"][0]["physicalLocation"];
        assert_eq!(loc1["artifactLocation"]["uri"], "apps/x%20y.yaml");
        assert!(loc1.get("region").is_none(), "line 0 has no region");
        assert!(results[2].get("locations").is_none());
        assert_eq!(
            results[3]["message"]["text"],
            "ignored\nFix: set targetNamespace"
        );
        assert_eq!(results[3]["properties"]["hint"], "set targetNamespace");
    }

    #[test]
    fn names() {
        assert_eq!(
            rule_name("plan.create_namespace_ignored"),
            "PlanCreateNamespaceIgnored"
        );
    }
}

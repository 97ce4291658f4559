//! The graphs as text, JSON, Graphviz DOT and Mermaid.
//!
//! # JSON shape (`formatVersion` 1)
//!
//! ```text
//! {
//!   "formatVersion": 1,
//!   "graphs": [                                   // Kustomization first, then HelmRelease
//!     {
//!       "kind": "Kustomization",
//!       "nodes": [                                // in order of first mention
//!         { "id": "flux-system/apps", "namespace": "flux-system", "name": "apps",
//!           "defined": true,                      // false: only named by a dependsOn entry
//!           "file": "clusters/prod/apps.yaml", "line": 1, "column": 1,   // absent when not defined
//!           "wave": 1,                            // null: never ready (cycle, blocked, not defined)
//!           "cycle": null,                        // index into "cycles"
//!           "blocked": false }                    // waits for a cycle or an undefined object
//!       ],
//!       "edges": [                                // every dependsOn entry, in input order
//!         { "dependent": "flux-system/apps", "dependency": "flux-system/infra",
//!           "file": "...", "line": 9, "column": 7, "readyExpr": "..." }   // readyExpr when set
//!       ],
//!       "waves": [["flux-system/infra"], ["flux-system/apps"]],
//!       "cycles": [{ "members": ["ns/a", "ns/b"], "path": ["ns/a", "ns/b", "ns/a"] }],
//!       "criticalPath": ["flux-system/infra", "flux-system/apps"],
//!       "criticalPathLength": 2,                  // objects on the critical path
//!       "order": ["flux-system/infra", "flux-system/apps"],   // Flux's Sort; null on a cycle
//!       "orderError": "circular dependency detected: ..."     // only on a cycle
//!     }
//!   ],
//!   "diagnostics": [ /* fluxcd_core::Diagnostic objects */ ]
//! }
//! ```
//!
//! In DOT and Mermaid, arrows point from a dependency to its dependent: the
//! order in which a fresh cluster reconciles them.

use std::fmt::Write as _;

use serde::Serialize;

use super::graph::{Analysis, Graph};
use crate::diagnostic::Diagnostic;

/// Version of the JSON shape.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonReport<'a> {
    format_version: u32,
    graphs: Vec<JsonGraph>,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonGraph {
    kind: &'static str,
    nodes: Vec<JsonNode>,
    edges: Vec<JsonEdge>,
    waves: Vec<Vec<String>>,
    cycles: Vec<JsonCycle>,
    critical_path: Vec<String>,
    critical_path_length: usize,
    order: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    order_error: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonNode {
    id: String,
    namespace: String,
    name: String,
    defined: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
    wave: Option<usize>,
    cycle: Option<usize>,
    blocked: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonEdge {
    dependent: String,
    dependency: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ready_expr: Option<String>,
}

#[derive(Serialize)]
struct JsonCycle {
    members: Vec<String>,
    path: Vec<String>,
}

fn json_graph(g: &Graph) -> JsonGraph {
    let id = |u: usize| g.nodes[u].id.to_string();
    let ids = |v: &[usize]| v.iter().map(|&u| id(u)).collect::<Vec<_>>();
    JsonGraph {
        kind: g.kind.as_str(),
        nodes: g
            .nodes
            .iter()
            .map(|n| JsonNode {
                id: n.id.to_string(),
                namespace: n.id.namespace.clone(),
                name: n.id.name.clone(),
                defined: n.defined,
                file: n.location.as_ref().and_then(|l| l.file.clone()),
                line: n.location.as_ref().map(|l| l.line),
                column: n.location.as_ref().map(|l| l.column),
                wave: n.wave,
                cycle: n.cycle,
                blocked: n.blocked,
            })
            .collect(),
        edges: g
            .edges
            .iter()
            .map(|e| JsonEdge {
                dependent: id(e.dependent),
                dependency: id(e.dependency),
                file: e.location.as_ref().and_then(|l| l.file.clone()),
                line: e.location.as_ref().map(|l| l.line),
                column: e.location.as_ref().map(|l| l.column),
                ready_expr: e.ready_expr.clone(),
            })
            .collect(),
        waves: g.waves.iter().map(|w| ids(w)).collect(),
        cycles: g
            .cycles
            .iter()
            .zip(&g.cycle_paths)
            .map(|(c, p)| JsonCycle {
                members: ids(c),
                path: ids(p),
            })
            .collect(),
        critical_path: ids(&g.critical_path),
        critical_path_length: g.critical_path_length(),
        order: g
            .order
            .as_ref()
            .ok()
            .map(|o| o.iter().map(ToString::to_string).collect()),
        order_error: g.order.as_ref().err().map(ToString::to_string),
    }
}

/// The analysis as the JSON value described in the module documentation.
pub fn to_json(a: &Analysis) -> serde_json::Value {
    let report = JsonReport {
        format_version: FORMAT_VERSION,
        graphs: a.graphs.iter().map(json_graph).collect(),
        diagnostics: &a.diagnostics,
    };
    serde_json::to_value(report).unwrap_or(serde_json::Value::Null)
}

/// A short human summary: per kind the waves, the critical path, the cycles
/// and the objects that never become ready (diagnostics are not included).
pub fn to_text(a: &Analysis) -> String {
    let mut s = String::new();
    for g in &a.graphs {
        let name = |u: usize| g.nodes[u].id.to_string();
        let names = |v: &[usize]| v.iter().map(|&u| name(u)).collect::<Vec<_>>();
        let defined = g.nodes.iter().filter(|n| n.defined).count();
        let _ = writeln!(
            s,
            "{}: {} objects, {} dependsOn entries, {} waves, critical path length {}",
            g.kind.as_str(),
            defined,
            g.edges.len(),
            g.waves.len(),
            g.critical_path_length()
        );
        for (i, w) in g.waves.iter().enumerate() {
            let _ = writeln!(s, "  wave {i}: {}", names(w).join(", "));
        }
        if !g.critical_path.is_empty() {
            let _ = writeln!(
                s,
                "  critical path: {}",
                names(&g.critical_path).join(" -> ")
            );
        }
        for p in &g.cycle_paths {
            let _ = writeln!(s, "  cycle: {}", names(p).join(" -> "));
        }
        let blocked: Vec<String> = g
            .nodes
            .iter()
            .filter(|n| n.blocked)
            .map(|n| n.id.to_string())
            .collect();
        if !blocked.is_empty() {
            let _ = writeln!(
                s,
                "  never ready (waiting for a cycle or a missing object): {}",
                blocked.join(", ")
            );
        }
        let missing: Vec<String> = g
            .nodes
            .iter()
            .filter(|n| !n.defined)
            .map(|n| n.id.to_string())
            .collect();
        if !missing.is_empty() {
            let _ = writeln!(s, "  not defined: {}", missing.join(", "));
        }
    }
    s
}

fn prefix(g: &Graph) -> &'static str {
    match g.kind {
        super::Kind::Kustomization => "ks",
        super::Kind::HelmRelease => "hr",
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Graphviz DOT: one cluster per kind that has `dependsOn` entries (a kind
/// without any is only named in a comment); dashed nodes are not defined, red ones
/// are on a cycle; an arrow goes from a dependency to its dependent.
pub fn to_dot(a: &Analysis) -> String {
    let mut s = String::from("digraph dependencies {\n  rankdir=LR;\n  node [shape=box];\n");
    for g in &a.graphs {
        let p = prefix(g);
        if g.edges.is_empty() {
            let _ = writeln!(
                s,
                "  // {}: {} objects, no dependsOn",
                g.kind.as_str(),
                g.nodes.len()
            );
            continue;
        }
        let _ = writeln!(
            s,
            "  subgraph cluster_{p} {{\n    label=\"{}\";",
            g.kind.as_str()
        );
        for (u, n) in g.nodes.iter().enumerate() {
            let mut attrs = format!("label=\"{}\"", dot_escape(&n.id.to_string()));
            if !n.defined {
                attrs.push_str(", style=dashed");
            } else if n.cycle.is_some() {
                attrs.push_str(", color=red, fontcolor=red");
            } else if n.blocked {
                attrs.push_str(", color=orange");
            }
            let _ = writeln!(s, "    {p}{u} [{attrs}];");
        }
        for e in &g.edges {
            let style = if e.ready_expr.is_some() {
                " [label=\"readyExpr\"]"
            } else {
                ""
            };
            let _ = writeln!(s, "    {p}{} -> {p}{}{style};", e.dependency, e.dependent);
        }
        s.push_str("  }\n");
    }
    s.push_str("}\n");
    s
}

fn mermaid_escape(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// Mermaid flowchart: one subgraph per kind that has `dependsOn` entries (a
/// kind without any is only named in a comment); an arrow goes from a dependency
/// to its dependent; classes mark undefined (`missing`), cyclic (`cycle`)
/// and blocked objects.
pub fn to_mermaid(a: &Analysis) -> String {
    let mut s = String::from("flowchart LR\n");
    for g in &a.graphs {
        let p = prefix(g);
        if g.edges.is_empty() {
            let _ = writeln!(
                s,
                "  %% {}: {} objects, no dependsOn",
                g.kind.as_str(),
                g.nodes.len()
            );
            continue;
        }
        let _ = writeln!(s, "  subgraph {p}[\"{}\"]", g.kind.as_str());
        for (u, n) in g.nodes.iter().enumerate() {
            let class = if !n.defined {
                ":::missing"
            } else if n.cycle.is_some() {
                ":::cycle"
            } else if n.blocked {
                ":::blocked"
            } else {
                ""
            };
            let _ = writeln!(
                s,
                "    {p}{u}[\"{}\"]{class}",
                mermaid_escape(&n.id.to_string())
            );
        }
        for e in &g.edges {
            let arrow = if e.ready_expr.is_some() {
                "-->|readyExpr|"
            } else {
                "-->"
            };
            let _ = writeln!(s, "    {p}{} {arrow} {p}{}", e.dependency, e.dependent);
        }
        s.push_str("  end\n");
    }
    s.push_str("  classDef missing stroke-dasharray: 5 5\n");
    s.push_str("  classDef cycle fill:#fdd,stroke:#c00\n");
    s.push_str("  classDef blocked fill:#fed,stroke:#c80\n");
    s
}

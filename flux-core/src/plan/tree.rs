//! `fluxcd-core tree`: what `flux tree kustomization` shows in a cluster,
//! offline: each Kustomization with its `dependsOn`, and under it the objects
//! it applies, nested Kustomizations and HelmReleases expanded.
//!
//! ```
//! use fluxcd_core::plan::{plan, tree, PlanOptions};
//!
//! let dir = std::env::temp_dir().join(format!("fluxcd-core-tree-doc-{}", std::process::id()));
//! std::fs::create_dir_all(dir.join("apps")).unwrap();
//! std::fs::write(dir.join("ks.yaml"), "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec:\n  interval: 10m\n  path: ./apps\n  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}\n").unwrap();
//! std::fs::write(dir.join("apps/ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n").unwrap();
//! let p = plan(&dir, &PlanOptions::default()).unwrap();
//! let roots = tree::build(&p, None).unwrap();
//! assert_eq!(tree::render(&roots), "Kustomization/flux-system/apps\n└── Namespace/web\n");
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::Plan;

/// One node of the tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TreeNode {
    /// kind.
    pub kind: String,
    /// namespace (as applied).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// name.
    pub name: String,
    /// File it comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Line in the file.
    pub line: u32,
    /// For a Kustomization: its `dependsOn`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// For a HelmRelease: `release ns/name, chart ns/name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// What it applies.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<TreeNode>,
}

impl TreeNode {
    fn label(&self) -> String {
        let mut s = match &self.namespace {
            Some(ns) if !ns.is_empty() => format!("{}/{ns}/{}", self.kind, self.name),
            _ => format!("{}/{}", self.kind, self.name),
        };
        if !self.depends_on.is_empty() {
            s.push_str(&format!(" (depends on {})", self.depends_on.join(", ")));
        }
        if let Some(d) = &self.detail {
            s.push_str(&format!(" ({d})"));
        }
        s
    }
}

fn ks_node(plan: &Plan, k: usize, seen: &mut HashSet<usize>) -> TreeNode {
    let by_object: HashMap<usize, usize> = plan
        .kustomizations
        .iter()
        .enumerate()
        .map(|(i, k)| (k.object, i))
        .collect();
    let releases: HashMap<usize, &super::ReleasePlan> =
        plan.releases.iter().map(|r| (r.object, r)).collect();
    let ks = &plan.kustomizations[k];
    let (ns, name) = ks.id.split_once('/').unwrap_or(("", &ks.id));
    let mut node = TreeNode {
        kind: "Kustomization".into(),
        namespace: Some(ns.to_string()),
        name: name.to_string(),
        file: ks.file.clone(),
        line: ks.line,
        depends_on: ks.depends_on.clone(),
        detail: (!ks.path_found).then(|| format!("path {} not found", ks.path)),
        children: Vec::new(),
    };
    seen.insert(k);
    for o in &ks.objects {
        if let Some(&child) = by_object.get(&o.object) {
            if child != k && !seen.contains(&child) {
                node.children.push(ks_node(plan, child, seen));
                continue;
            }
        }
        let detail = releases.get(&o.object).map(|r| {
            let mut d = match (&r.release_namespace, &r.release_name) {
                (Some(ns), Some(n)) => format!("release {ns}/{n}"),
                _ => format!("no release: {}", r.error.as_deref().unwrap_or("?")),
            };
            if let Some(c) = &r.helm_chart {
                d.push_str(&format!(", chart {c}"));
            }
            d
        });
        node.children.push(TreeNode {
            kind: o.kind.clone(),
            namespace: o.namespace.clone(),
            name: o.name.clone(),
            file: o.file.clone(),
            line: o.line,
            depends_on: Vec::new(),
            detail,
            children: Vec::new(),
        });
    }
    node
}

/// The trees: one per Kustomization that no other applies (in dependency
/// order), or only the one named (`name` or `namespace/name`).
///
/// # Errors
///
/// When no Kustomization has that name.
pub fn build(plan: &Plan, only: Option<&str>) -> Result<Vec<TreeNode>, String> {
    let matches = |id: &str, q: &str| id == q || id.split_once('/').is_some_and(|(_, n)| n == q);
    let mut roots: Vec<usize> = match only {
        Some(q) => {
            let found: Vec<usize> = (0..plan.kustomizations.len())
                .filter(|&i| matches(&plan.kustomizations[i].id, q))
                .collect();
            if found.is_empty() {
                return Err(format!("no Kustomization {q:?} in the plan"));
            }
            found
        }
        None => (0..plan.kustomizations.len())
            .filter(|&i| plan.kustomizations[i].applied_by.is_empty())
            .collect(),
    };
    if let Some(order) = &plan.order.kustomizations {
        let pos: HashMap<&str, usize> = order
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        roots.sort_by_key(|&i| {
            pos.get(plan.kustomizations[i].id.as_str())
                .copied()
                .unwrap_or(usize::MAX)
        });
    }
    Ok(roots
        .into_iter()
        .map(|r| ks_node(plan, r, &mut HashSet::new()))
        .collect())
}

fn draw(node: &TreeNode, prefix: &str, out: &mut String) {
    let n = node.children.len();
    for (i, c) in node.children.iter().enumerate() {
        let last = i + 1 == n;
        out.push_str(prefix);
        out.push_str(if last { "└── " } else { "├── " });
        out.push_str(&c.label());
        out.push('\n');
        let next = format!("{prefix}{}", if last { "    " } else { "│   " });
        draw(c, &next, out);
    }
}

/// Draws the trees as text.
pub fn render(roots: &[TreeNode]) -> String {
    let mut out = String::new();
    for r in roots {
        out.push_str(&r.label());
        out.push('\n');
        draw(r, "", &mut out);
    }
    out
}

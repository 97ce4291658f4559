//! Where each composed value came from: for every leaf of the values, the layer
//! that set it (inline `spec.values`, or a `valuesFrom` entry with its kind,
//! name, key and targetPath) and the layers it shadowed. Values from Secrets are
//! redacted.
//!
//! It also reports the documented-vs-actual `targetPath` trap: a `targetPath`
//! value that inline values silently override (`values.target_path_overridden`),
//! and one that overrides inline values only because the write reached a map or
//! list shared with them (`values.target_path_aliased`).
//!
//! ```
//! use fluxcd_core::postbuild::ObjectStore;
//! use fluxcd_core::values::{compose_detailed, explain::explain, ValuesReference};
//! use serde_json::json;
//!
//! let mut store = ObjectStore::new();
//! store.insert_config_map("apps", "cm", [("replicas", "3")]);
//! let refs = [ValuesReference::config_map("cm").key("replicas").target_path("replicaCount")];
//! let inline = json!({"replicaCount": 1});
//! let c = compose_detailed("apps", Some(&inline), &refs, &store).unwrap();
//! let ex = explain("apps", Some(&inline), &refs, &c);
//! assert_eq!(ex.leaves[0].path, "replicaCount");
//! assert_eq!(ex.leaves[0].source.to_string(), "spec.values");
//! assert_eq!(ex.leaves[0].shadowed[0].source.to_string(),
//!            "valuesFrom[0] ConfigMap apps/cm key replicas targetPath replicaCount");
//! assert_eq!(ex.diagnostics[0].code, "values.target_path_overridden");
//! ```

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::{
    replace_path_literal_value, replace_path_value, Composition, Layer, Val, ValuesReference,
};
use crate::{Diagnostic, Location};

/// The text shown instead of a value read from a Secret.
pub const REDACTED: &str = "<redacted>";

/// A layer of the composition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "layer", rename_all = "camelCase")]
pub enum Source {
    /// `spec.values`.
    Inline,
    /// `spec.valuesFrom[index]`.
    #[serde(rename_all = "camelCase")]
    Ref {
        /// Position in `valuesFrom`.
        index: usize,
        /// `ConfigMap` or `Secret`.
        kind: String,
        /// `namespace/name`.
        name: String,
        /// The values key.
        key: String,
        /// The targetPath, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        target_path: Option<String>,
    },
}

impl Source {
    fn is_secret(&self) -> bool {
        matches!(self, Source::Ref { kind, .. } if kind == "Secret")
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Inline => f.write_str("spec.values"),
            Source::Ref {
                index,
                kind,
                name,
                key,
                target_path,
            } => {
                write!(f, "valuesFrom[{index}] {kind} {name} key {key}")?;
                if let Some(tp) = target_path {
                    write!(f, " targetPath {tp}")?;
                }
                Ok(())
            }
        }
    }
}

/// A value a layer set at a path and that did not win.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shadow {
    /// The layer.
    pub source: Source,
    /// Its value (redacted for Secrets).
    pub value: Value,
}

/// One leaf of the composed values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Leaf {
    /// The path, in `targetPath` syntax (`a.b\.c[0]`).
    pub path: String,
    /// The value (redacted when it came from a Secret).
    pub value: Value,
    /// The layer that set it.
    pub source: Source,
    /// The other layers that set this path, earliest first.
    pub shadowed: Vec<Shadow>,
}

/// Provenance of every leaf, and the targetPath diagnostics.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// Every leaf (scalars, empty maps and lists), in sorted path order.
    pub leaves: Vec<Leaf>,
    /// `values.target_path_overridden` warnings and `values.target_path_aliased` notes,
    /// located at the entry's `spec.valuesFrom[i].targetPath` (path only: the caller
    /// that has the HelmRelease's YAML fills in file, line and column).
    pub diagnostics: Vec<Diagnostic>,
}

fn escape_key(k: &str) -> String {
    let mut out = String::with_capacity(k.len());
    for c in k.chars() {
        if matches!(c, '.' | '[' | ']' | ',' | '=' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A path step.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

fn render(path: &[Step]) -> String {
    let mut s = String::new();
    for st in path {
        match st {
            Step::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(&escape_key(k));
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Every leaf with its path, iteratively.
fn leaves(v: &Value, skip_null_items: bool) -> Vec<(Vec<Step>, Value)> {
    let mut out = Vec::new();
    let mut stack: Vec<(Vec<Step>, &Value)> = vec![(Vec::new(), v)];
    while let Some((path, v)) = stack.pop() {
        match v {
            Value::Object(m) if !m.is_empty() => {
                for (k, c) in m.iter().rev() {
                    let mut p = path.clone();
                    p.push(Step::Key(k.clone()));
                    stack.push((p, c));
                }
            }
            Value::Array(a) if !a.is_empty() => {
                for (i, c) in a.iter().enumerate().rev() {
                    if skip_null_items && c.is_null() {
                        continue;
                    }
                    let mut p = path.clone();
                    p.push(Step::Index(i));
                    stack.push((p, c));
                }
            }
            _ if path.is_empty() => {}
            other => out.push((path, other.clone())),
        }
    }
    out
}

fn lookup<'a>(v: &'a Value, path: &[Step]) -> Option<&'a Value> {
    let mut cur = v;
    for st in path {
        cur = match (st, cur) {
            (Step::Key(k), Value::Object(m)) => m.get(k)?,
            (Step::Index(i), Value::Array(a)) => a.get(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

struct LayerTree {
    source: Source,
    tree: Value,
    leaves: std::collections::HashSet<String>,
    target_path: bool,
}

/// Explains a composition made by [`super::compose_detailed`] from the same inputs.
pub fn explain(
    namespace: &str,
    inline: Option<&Value>,
    refs: &[ValuesReference],
    composition: &Composition,
) -> Explanation {
    let mut layers: Vec<LayerTree> = Vec::new();
    for (index, (r, layer)) in refs.iter().zip(&composition.layers).enumerate() {
        let source = Source::Ref {
            index,
            kind: r.kind.clone(),
            name: format!("{namespace}/{}", r.name),
            key: r.values_key().to_string(),
            target_path: (!r.target_path.is_empty()).then(|| r.target_path.clone()),
        };
        let (tree, target_path) = match layer {
            Layer::Skipped => continue,
            Layer::Merged(m) => (Val::Map(m.clone()).to_json(), false),
            Layer::Path(raw) => {
                let m = Val::new_map();
                let _ = if r.literal {
                    replace_path_literal_value(&m, &r.target_path, raw)
                } else {
                    replace_path_value(&m, &r.target_path, raw)
                };
                (Val::Map(m).to_json(), true)
            }
        };
        let lv = leaves(&tree, target_path)
            .into_iter()
            .map(|(p, _)| render(&p))
            .collect();
        layers.push(LayerTree {
            source,
            tree,
            leaves: lv,
            target_path,
        });
    }
    if let Some(Value::Object(_)) = inline {
        let tree = Val::from_json(inline.unwrap_or(&Value::Null)).to_json();
        let lv = leaves(&tree, false)
            .into_iter()
            .map(|(p, _)| render(&p))
            .collect();
        layers.push(LayerTree {
            source: Source::Inline,
            tree,
            leaves: lv,
            target_path: false,
        });
    }
    let result = composition.values.to_json();
    let mut out = Explanation {
        leaves: Vec::new(),
        diagnostics: Vec::new(),
    };
    for (path, value) in leaves(&result, false) {
        let p = render(&path);
        let setters: Vec<usize> = (0..layers.len())
            .filter(|&i| layers[i].leaves.contains(&p))
            .collect();
        let value_of = |i: usize| {
            lookup(&layers[i].tree, &path)
                .cloned()
                .unwrap_or(Value::Null)
        };
        let winner = setters
            .iter()
            .rev()
            .copied()
            .find(|&i| same(&value_of(i), &value))
            .or_else(|| setters.last().copied());
        let Some(winner) = winner else { continue };
        let inline_idx = setters
            .iter()
            .copied()
            .find(|&i| layers[i].source == Source::Inline);
        for &i in &setters {
            if !layers[i].target_path {
                continue;
            }
            let Some(ii) = inline_idx else { continue };
            if same(&value_of(i), &value_of(ii)) {
                continue;
            }
            // Both diagnostics point at the entry's targetPath; the message names
            // the inline value too.
            let at = Location {
                path: match &layers[i].source {
                    Source::Ref { index, .. } => format!("spec.valuesFrom[{index}].targetPath"),
                    Source::Inline => "spec.values".to_string(),
                },
                ..Location::default()
            };
            if winner == ii {
                out.diagnostics.push(Diagnostic::warning(
                    "values.target_path_overridden",
                    format!(
                        "`{p}`: {} is documented to override inline values, but spec.values sets `{p}` too and wins (the targetPath write went to a copy that the final merge of spec.values overwrote)",
                        layers[i].source
                    ),
                ).with_hint("set the value in one place only, or remove it from spec.values").at(at));
            } else if winner == i {
                out.diagnostics.push(Diagnostic::new(
                    "values.target_path_aliased",
                    crate::Severity::Info,
                    format!(
                        "`{p}`: {} overrides spec.values only because the write reached a map or list shared with spec.values",
                        layers[i].source
                    ),
                ).at(at));
            }
        }
        let show = |i: usize, v: Value| {
            if layers[i].source.is_secret() {
                Value::String(REDACTED.into())
            } else {
                v
            }
        };
        let shadowed = setters
            .iter()
            .copied()
            .filter(|&i| i != winner)
            .map(|i| Shadow {
                source: layers[i].source.clone(),
                value: show(i, value_of(i)),
            })
            .collect();
        out.leaves.push(Leaf {
            path: p,
            value: show(winner, value),
            source: layers[winner].source.clone(),
            shadowed,
        });
    }
    out
}

/// `values` with every leaf that an explanation attributes to a Secret
/// replaced by [`REDACTED`], and the paths of those leaves (for reports that
/// print composed values).
pub fn redact_secret_leaves(values: &Value, explanation: &Explanation) -> (Value, Vec<String>) {
    let secret: std::collections::HashSet<&str> = explanation
        .leaves
        .iter()
        .filter(|l| l.source.is_secret())
        .map(|l| l.path.as_str())
        .collect();
    let mut out = values.clone();
    let mut paths = Vec::new();
    if secret.is_empty() {
        return (out, paths);
    }
    for (path, _) in leaves(values, false) {
        let p = render(&path);
        if !secret.contains(p.as_str()) {
            continue;
        }
        let mut cur = &mut out;
        for st in &path {
            let next = match (st, cur) {
                (Step::Key(k), Value::Object(m)) => m.get_mut(k),
                (Step::Index(i), Value::Array(a)) => a.get_mut(*i),
                _ => None,
            };
            match next {
                Some(n) => cur = n,
                None => return (out, paths),
            }
        }
        *cur = Value::String(REDACTED.into());
        paths.push(p);
    }
    (out, paths)
}

//! `dependsOn`: Flux's dependency order, cycles, install waves and graph export.
//!
//! Kustomizations and HelmReleases wait for the objects their
//! `spec.dependsOn` names. This module has:
//!
//! * [`sort`]: the order of fluxcd/pkg `runtime/dependency.Sort` (runtime
//!   v0.110.1, as pinned by kustomize-controller v1.9.4), which the
//!   controller uses to enqueue objects after a source changes; same order,
//!   same error text (`circular dependency detected: a -> b -> a`), checked
//!   against the Go code by the vectors in `conformance/deps`;
//! * [`analyze`]: the graphs of a whole repository, one per kind (a
//!   Kustomization only waits for Kustomizations, a HelmRelease only for
//!   HelmReleases), with what upstream does not tell: every cycle with
//!   exactly its objects, dependencies that exist nowhere or only as the
//!   other kind, duplicates, `readyExpr`s that do not compile to a `bool`,
//!   install waves and the critical path;
//! * [`export`]: text, JSON (a documented, stable shape), DOT and Mermaid.
//!
//! Everything is iterative: a chain of 100,000 objects is fine.
//!
//! ```
//! use fluxcd_core::deps::{self, DependentObject, Graph, Kind};
//!
//! // Flux's order: dependencies first, ties in input order.
//! let objects = vec![
//!     DependentObject::new("default", "frontend").depends_on("linkerd", "linkerd").depends_on("", "backend"),
//!     DependentObject::new("linkerd", "linkerd"),
//!     DependentObject::new("default", "backend").depends_on("linkerd", "linkerd"),
//! ];
//! let order: Vec<String> = deps::sort(&objects).unwrap().iter().map(|r| r.to_string()).collect();
//! assert_eq!(order, ["linkerd/linkerd", "default/backend", "default/frontend"]);
//!
//! // Waves: what a fresh cluster reconciles in parallel, step by step.
//! let g = Graph::build(Kind::Kustomization, &objects);
//! assert_eq!(g.waves.len(), 3);
//! assert_eq!(g.critical_path_length(), 3);
//!
//! // A cycle: Flux's error text, with the search path.
//! let cyclic = vec![
//!     DependentObject::new("ns", "a").depends_on("", "b"),
//!     DependentObject::new("ns", "b").depends_on("", "c"),
//!     DependentObject::new("ns", "c").depends_on("", "b"),
//! ];
//! let err = deps::sort(&cyclic).unwrap_err();
//! assert_eq!(err.to_string(), "circular dependency detected: ns/a -> ns/b -> ns/c -> ns/b");
//! assert_eq!(err.code(), "deps.cycle");
//! // The graph knows the cycle is only b and c; a never becomes ready.
//! let g = Graph::build(Kind::Kustomization, &cyclic);
//! assert_eq!(g.cycles, vec![vec![1, 2]]);
//! assert!(g.nodes[0].blocked && g.waves.is_empty());
//!
//! // A whole repository.
//! let set = fluxcd_core::manifest::load_str(
//!     "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  dependsOn:\n    - name: infra\n      readyExpr: dep.status.ready\n  interval: 10m\n  prune: true\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n",
//!     Some("apps.yaml"),
//! );
//! let analysis = deps::analyze(&set);
//! let codes: Vec<&str> = analysis.diagnostics.iter().map(|d| d.code.as_str()).collect();
//! assert_eq!(codes, ["deps.missing", "deps.ready_expr_type"]);
//! assert_eq!(analysis.diagnostics[0].location.line, 8);
//! assert!(deps::export::to_mermaid(&analysis).starts_with("flowchart LR\n"));
//! ```
//!
//! # CEL for `readyExpr`
//!
//! [`check_ready_expr`] uses the [`cel`] crate (cel-rust, maintained, MIT) for
//! parsing only: its parser is generated from cel-go's ANTLR grammar, so it
//! accepts what Flux accepts and its syntax errors carry cel-go's words and
//! positions. Its interpreter and type registry are not used: Flux's check is
//! a compile-time type check with `self` and `dep` as
//! `google.protobuf.Struct`, which the crate does not do, so a small type
//! inference of our own runs over the crate's syntax tree (see
//! [`check_ready_expr`] for what it knows).

mod error;
pub mod export;
mod fx;
mod graph;
mod ready_expr;
mod sort;
#[cfg(test)]
mod tests;

pub use error::Error;
pub use graph::{analyze, objects_of, severity, Analysis, Edge, Graph, Kind, Located, Node};
pub use ready_expr::{check_ready_expr, MAX_CODE_POINTS, MAX_OPERATORS};
pub use sort::{sort, DependencyRef, Dependent, DependentObject, ObjectRef};

/// The version of `github.com/fluxcd/pkg/runtime` whose `dependency.Sort` this
/// module reproduces.
pub const RUNTIME_VERSION: &str = "v0.110.1";

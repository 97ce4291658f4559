//! # fluxcd-core
//!
//! The pure logic of [Flux CD](https://fluxcd.io), offline: typed Flux API objects
//! parsed from YAML with locations, validated against the upstream CRDs, migrated
//! from removed API versions, exported as JSON Schema, and ordered by `dependsOn`
//! as Flux orders them.
//!
//! ```
//! use fluxcd_core::manifest::load_str;
//!
//! let set = load_str("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n", Some("apps.yaml"));
//! assert_eq!(set.objects.len(), 1);
//! assert_eq!(set.objects[0].kind(), "Kustomization");
//! assert!(set.diagnostics.is_empty());
//! ```
#![deny(missing_docs)]

pub mod api;
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
pub mod artifact;
pub mod codes;
pub mod deps;
pub mod diagnostic;
pub mod embed;
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
pub mod git;
pub mod image;
pub mod lint;
pub mod manifest;
pub mod migrate;
pub mod plan;
pub mod postbuild;
pub mod release;
pub mod schema;
pub mod semver;
pub mod sha1;
pub mod sha256;
pub mod sha512;
#[cfg(all(feature = "git", not(target_arch = "wasm32")))]
pub mod signature;
pub mod subst;
pub mod validate;
pub mod values;
pub mod yaml;

pub use diagnostic::{Diagnostic, Location, Severity};

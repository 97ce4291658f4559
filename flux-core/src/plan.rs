//! The whole-repository plan: what `fluxcd-core plan` prints.
//!
//! Today the plan is the inventory of a fleet checkout: every Kubernetes object
//! with its location, and every diagnostic. Later stages (substitution, values,
//! ordering) add to the same report.
//!
//! ```
//! let dir = std::env::temp_dir().join(format!("fluxcd-core-plan-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("repo.yaml"), "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 5m\n  url: https://github.com/stefanprodan/podinfo\n").unwrap();
//! let plan = fluxcd_core::plan::plan_path(&dir).unwrap();
//! assert_eq!(plan.objects[0].kind, "GitRepository");
//! assert_eq!(plan.objects[0].file.as_deref(), Some("repo.yaml"));
//! assert!(!plan.has_errors());
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

use std::path::Path;

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::manifest::{self, ObjectSummary, Stats};
use crate::yaml::LoadOptions;

/// Version of the JSON report format.
pub const FORMAT_VERSION: u32 = 1;

/// The report of a plan, serialized as the CLI's `--output json`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// Report format version.
    pub format_version: u32,
    /// Every Kubernetes object found (patches included, marked `patch: true`).
    pub objects: Vec<ObjectSummary>,
    /// Every diagnostic, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts.
    pub stats: Stats,
}

impl Plan {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Number of diagnostics of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// Plans a fleet checkout (a folder or a single file).
pub fn plan_path(path: &Path) -> std::io::Result<Plan> {
    let set = manifest::load_path(path, &LoadOptions::default())?;
    let mut diagnostics = set.diagnostics;
    diagnostics.sort_by(|a, b| {
        (&a.location.file, a.location.line, a.location.column).cmp(&(
            &b.location.file,
            b.location.line,
            b.location.column,
        ))
    });
    Ok(Plan {
        format_version: FORMAT_VERSION,
        objects: set.objects.iter().map(|m| m.summary()).collect(),
        diagnostics,
        stats: set.stats,
    })
}

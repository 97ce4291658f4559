//! The human-readable plan report: grouped by Kustomization, then releases,
//! order and waves, then a summary table by severity and by rule.
//!
//! ```
//! use fluxcd_core::plan::{plan, text, PlanOptions};
//!
//! let dir = std::env::temp_dir().join(format!("fluxcd-core-text-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("ks.yaml"), "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec:\n  interval: 10m\n  path: ./missing\n  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}\n").unwrap();
//! let p = plan(&dir, &PlanOptions::default()).unwrap();
//! let report = text::render(&p, &dir, false);
//! assert!(report.contains("Kustomization flux-system/apps"));
//! assert!(report.contains("plan.path_not_found"));
//! assert!(!report.contains("\x1b["));
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use super::Plan;
use crate::diagnostic::{Diagnostic, Severity};

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    fn severity(&self, sev: Severity) -> String {
        let code = match sev {
            Severity::Error => "31",
            Severity::Warning => "33",
            Severity::Info => "36",
        };
        self.paint(code, sev.as_str())
    }
}

fn file_name(root: &Path, file: Option<&str>, mapped: &[String]) -> String {
    match file {
        Some(f) if mapped.iter().any(|m| f.starts_with(m.as_str())) => f.to_string(),
        Some(f) if root.is_dir() => root.join(f).display().to_string(),
        Some(f) => f.to_string(),
        None => root.display().to_string(),
    }
}

fn diagnostic(
    out: &mut String,
    st: &Style,
    root: &Path,
    mapped: &[String],
    d: &Diagnostic,
    indent: &str,
) {
    let _ = write!(
        out,
        "{indent}{}:{}:{}: {}[{}]: {}",
        file_name(root, d.location.file.as_deref(), mapped),
        d.location.line,
        d.location.column,
        st.severity(d.severity),
        d.code,
        d.message
    );
    if !d.location.path.is_empty() {
        let _ = write!(out, " (at {})", d.location.path);
    }
    out.push('\n');
    if let Some(h) = &d.hint {
        let _ = writeln!(out, "{indent}  hint: {h}");
    }
}

/// Renders the report; `root` is the planned path (file names are joined to
/// it); `color` adds ANSI colours.
pub fn render(plan: &Plan, root: &Path, color: bool) -> String {
    let st = Style { color };
    let mapped: Vec<String> = plan
        .sources
        .iter()
        .map(|s| {
            let mut p = s.path.replace('\\', "/");
            if !p.ends_with('/') {
                p.push('/');
            }
            p
        })
        .collect();
    let mut out = String::new();
    let s = &plan.stats;
    let _ = writeln!(
        out,
        "{} {}: {} files, {} objects ({} Flux), {} Kustomizations, {} HelmReleases",
        st.bold("Plan of"),
        root.display(),
        s.files,
        s.objects,
        s.flux_objects,
        plan.kustomizations.len(),
        plan.releases.len()
    );
    for m in &plan.sources {
        let _ = writeln!(out, "  source GitRepository {} = {}", m.name, m.path);
    }
    let wave_of: BTreeMap<&str, usize> = plan
        .waves
        .kustomizations
        .iter()
        .enumerate()
        .flat_map(|(i, w)| w.iter().map(move |id| (id.as_str(), i)))
        .collect();
    let release_of: BTreeMap<usize, &super::ReleasePlan> =
        plan.releases.iter().map(|r| (r.object, r)).collect();
    // Each diagnostic is shown once, under the first Kustomization that
    // defines or applies the file it points at.
    let mut shown: HashSet<usize> = HashSet::new();
    let by_file: BTreeMap<&str, Vec<usize>> = {
        let mut m: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, d) in plan.diagnostics.iter().enumerate() {
            if let Some(f) = &d.location.file {
                m.entry(f.as_str()).or_default().push(i);
            }
        }
        m
    };
    // Kustomizations in the order Flux reconciles them: by wave, then by name.
    let mut kustomizations: Vec<&super::KustomizationPlan> = plan.kustomizations.iter().collect();
    kustomizations.sort_by_key(|k| {
        (
            wave_of.get(k.id.as_str()).copied().unwrap_or(usize::MAX),
            &k.id,
        )
    });
    for k in kustomizations {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}  ({}:{})",
            st.bold(&format!("Kustomization {}", k.id)),
            file_name(root, k.file.as_deref(), &mapped),
            k.line
        );
        let _ = write!(
            out,
            "  source {}  path {}",
            k.source_ref,
            if k.path.is_empty() { "./" } else { &k.path }
        );
        if let Some(w) = wave_of.get(k.id.as_str()) {
            let _ = write!(out, "  wave {w}");
        }
        out.push('\n');
        if !k.depends_on.is_empty() {
            let _ = writeln!(out, "  depends on: {}", k.depends_on.join(", "));
        }
        if !k.applied_by.is_empty() {
            let _ = writeln!(out, "  applied by: {}", k.applied_by.join(", "));
        }
        if !k.variables.is_empty() {
            let names: Vec<&str> = k.variables.iter().map(|v| v.name.as_str()).collect();
            let _ = writeln!(out, "  postBuild variables: {}", names.join(", "));
        }
        if !k.path_found {
            let _ = writeln!(out, "  applies nothing: path not found in its source");
        } else {
            let _ = writeln!(out, "  applies {} object(s):", k.objects.len());
        }
        for o in &k.objects {
            let ns = o.namespace.as_deref().unwrap_or("-");
            let _ = write!(
                out,
                "    {:<22} {}/{}  {}:{}",
                o.kind,
                ns,
                o.name,
                o.file.as_deref().unwrap_or("<input>"),
                o.line
            );
            if o.substituted {
                if o.variables.is_empty() {
                    let _ = write!(out, "  (substituted)");
                } else {
                    let _ = write!(out, "  (substituted: {})", o.variables.join(", "));
                }
            }
            if let Some(e) = &o.substitution_error {
                let _ = write!(
                    out,
                    "  {}",
                    st.paint("31", &format!("(postBuild fails: {e})"))
                );
            }
            if let Some(r) = release_of.get(&o.object) {
                if let (Some(n), Some(ns)) = (&r.release_name, &r.release_namespace) {
                    let _ = write!(out, "  release {ns}/{n}");
                }
            }
            out.push('\n');
        }
        for n in &k.not_applied {
            let _ = writeln!(out, "    not applied: {n}");
        }
        let mut files: Vec<&str> = k.objects.iter().filter_map(|o| o.file.as_deref()).collect();
        files.extend(k.file.as_deref());
        files.sort_unstable();
        files.dedup();
        let mut mine: Vec<usize> = files
            .iter()
            .flat_map(|f| by_file.get(f).into_iter().flatten().copied())
            .filter(|i| !shown.contains(i))
            .collect();
        mine.sort_unstable();
        if !mine.is_empty() {
            let _ = writeln!(out, "  findings:");
            for i in mine {
                shown.insert(i);
                diagnostic(&mut out, &st, root, &mapped, &plan.diagnostics[i], "    ");
            }
        }
    }
    let rest: Vec<usize> = (0..plan.diagnostics.len())
        .filter(|i| !shown.contains(i))
        .collect();
    if !rest.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            st.bold("Findings outside the Kustomizations' objects")
        );
        for i in rest {
            diagnostic(&mut out, &st, root, &mapped, &plan.diagnostics[i], "  ");
        }
    }
    if !plan.releases.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{}", st.bold("HelmReleases"));
        let values_of: BTreeMap<usize, &super::ValuesPlan> =
            plan.values.iter().map(|v| (v.object, v)).collect();
        for r in &plan.releases {
            let _ = write!(out, "  {:<40}", r.helm_release);
            match (&r.release_name, &r.release_namespace, &r.storage_namespace) {
                (Some(n), Some(ns), Some(sns)) => {
                    let _ = write!(out, " release {ns}/{n} (storage {sns})");
                }
                _ => {
                    let _ = write!(out, " no release: {}", r.error.as_deref().unwrap_or("?"));
                }
            }
            if let Some(c) = &r.helm_chart {
                let _ = write!(out, " chart {c}");
            }
            if let Some(v) = values_of.get(&r.object) {
                let keys = v.values.as_object().map_or(0, |m| m.len());
                let _ = write!(out, " values: {keys} top-level key(s)");
                if !v.redacted.is_empty() {
                    let _ = write!(out, ", {} redacted", v.redacted.len());
                }
                if !v.unresolved.is_empty() {
                    let _ = write!(out, ", not in repo: {}", v.unresolved.join(", "));
                }
            }
            out.push('\n');
        }
    }
    for (label, order, waves) in [
        (
            "Kustomizations",
            &plan.order.kustomizations,
            &plan.waves.kustomizations,
        ),
        (
            "HelmReleases",
            &plan.order.helm_releases,
            &plan.waves.helm_releases,
        ),
    ] {
        if waves.is_empty() {
            continue;
        }
        out.push('\n');
        let _ = writeln!(out, "{}", st.bold(&format!("Order of {label}")));
        match order {
            Some(o) => {
                let _ = writeln!(out, "  {}", o.join(" -> "));
            }
            None => {
                let _ = writeln!(out, "  none: a dependency cycle (see deps.cycle)");
            }
        }
        for (i, w) in waves.iter().enumerate() {
            let _ = writeln!(out, "  wave {i}: {}", w.join(", "));
        }
    }
    out.push('\n');
    let _ = writeln!(out, "{}", st.bold("Summary"));
    let sm = &plan.summary;
    let _ = writeln!(out, "  {:<44} {:>6}", "severity", "count");
    let _ = writeln!(
        out,
        "  {:<44} {:>6}",
        st.severity(Severity::Error),
        sm.errors
    );
    let _ = writeln!(
        out,
        "  {:<44} {:>6}",
        st.severity(Severity::Warning),
        sm.warnings
    );
    let _ = writeln!(out, "  {:<44} {:>6}", st.severity(Severity::Info), sm.infos);
    if !sm.by_rule.is_empty() {
        let _ = writeln!(out, "  {:<44} {:>6}  severity", "rule", "count");
        for (code, n) in &sm.by_rule {
            let sev = plan
                .diagnostics
                .iter()
                .find(|d| &d.code == code)
                .map_or(Severity::Info, |d| d.severity);
            let _ = writeln!(out, "  {code:<44} {n:>6}  {}", st.severity(sev));
        }
    }
    let _ = writeln!(
        out,
        "{}: {} error(s), {} warning(s), {} info",
        root.display(),
        sm.errors,
        sm.warnings,
        sm.infos
    );
    out
}

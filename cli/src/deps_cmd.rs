//! `fluxcd-core order` and `fluxcd-core graph`: Flux's dependency order of some
//! files, and the dependency graphs of a whole repository.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use fluxcd_core::deps::{self, export, Kind};
use fluxcd_core::manifest::{self, ManifestSet};
use fluxcd_core::yaml::LoadOptions;

/// Output of `graph`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum GraphFormat {
    /// Waves, critical path, cycles, then the diagnostics.
    Text,
    /// The JSON document of `fluxcd_core::deps::export` (formatVersion 1).
    Json,
    /// Graphviz DOT.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

fn load(paths: &[PathBuf]) -> Result<ManifestSet, String> {
    let mut set = ManifestSet::default();
    for p in paths {
        if !p.exists() {
            return Err(format!("{}: no such file or directory", p.display()));
        }
        let one = manifest::load_path(p, &LoadOptions::default())
            .map_err(|e| format!("{}: {e}", p.display()))?;
        set.objects.extend(one.objects);
        set.diagnostics.extend(one.diagnostics);
        set.kustomize_configs.extend(one.kustomize_configs);
    }
    Ok(set)
}

/// `order FILE...`: Flux's `dependency.Sort` of the Kustomizations, then of
/// the HelmReleases, of the files in the order given. Exit 1 with Flux's
/// `circular dependency detected: ...` on standard error on a cycle.
pub fn run_order(files: &[PathBuf], json: bool) -> Result<ExitCode, String> {
    let set = load(files)?;
    let mut sections = Vec::new();
    for kind in Kind::ALL {
        let (objects, _) = deps::objects_of(&set, kind);
        if objects.is_empty() {
            continue;
        }
        match deps::sort(&objects) {
            Ok(order) => sections.push((kind, order)),
            Err(e) => {
                eprintln!("{e}");
                return Ok(ExitCode::from(1));
            }
        }
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let w = |e: std::io::Error| e.to_string();
    if json {
        let all: Vec<String> = sections
            .iter()
            .flat_map(|(_, o)| o.iter().map(ToString::to_string))
            .collect();
        let text = serde_json::to_string_pretty(&all).map_err(|e| e.to_string())?;
        writeln!(out, "{text}").map_err(w)?;
    } else {
        let headers = sections.len() > 1;
        for (kind, order) in &sections {
            if headers {
                writeln!(out, "# {}", kind.as_str()).map_err(w)?;
            }
            for r in order {
                writeln!(out, "{r}").map_err(w)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `graph PATH`: both dependency graphs of a repository with waves, critical
/// path and diagnostics. Exit 1 when a diagnostic is an error.
pub fn run_graph(path: &Path, format: GraphFormat) -> Result<ExitCode, String> {
    let set = load(&[path.to_path_buf()])?;
    let analysis = deps::analyze(&set);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let w = |e: std::io::Error| e.to_string();
    match format {
        GraphFormat::Json => {
            let text = serde_json::to_string_pretty(&export::to_json(&analysis))
                .map_err(|e| e.to_string())?;
            writeln!(out, "{text}").map_err(w)?;
        }
        GraphFormat::Dot => write!(out, "{}", export::to_dot(&analysis)).map_err(w)?,
        GraphFormat::Mermaid => write!(out, "{}", export::to_mermaid(&analysis)).map_err(w)?,
        GraphFormat::Text => {
            if analysis.graphs.is_empty() {
                writeln!(out, "no Kustomization or HelmRelease found").map_err(w)?;
            }
            write!(out, "{}", export::to_text(&analysis)).map_err(w)?;
            for d in &analysis.diagnostics {
                let file = match &d.location.file {
                    Some(f) if path.is_dir() => path.join(f).display().to_string(),
                    Some(f) => f.clone(),
                    None => path.display().to_string(),
                };
                writeln!(
                    out,
                    "{file}:{}:{}: {}[{}]: {}",
                    d.location.line, d.location.column, d.severity, d.code, d.message
                )
                .map_err(w)?;
                if let Some(h) = &d.hint {
                    writeln!(out, "  hint: {h}").map_err(w)?;
                }
            }
        }
    }
    // DOT and Mermaid have no room for diagnostics: standard error.
    if matches!(format, GraphFormat::Dot | GraphFormat::Mermaid) {
        for d in &analysis.diagnostics {
            eprintln!("{d}");
        }
    }
    Ok(if analysis.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

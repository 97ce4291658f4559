//! `fluxcd-core values`: the values helm-controller passes to Helm for a
//! HelmRelease (`spec.valuesFrom` then `spec.values`), and where each came from.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use fluxcd_core::postbuild::ObjectStore;
use fluxcd_core::values::{self, explain, ReleaseValues};
use fluxcd_core::yaml::{self, LoadOptions};
use fluxcd_core::Severity;
use serde_json::Value;

/// Output of `values`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ValuesOutput {
    /// YAML, as `sigs.k8s.io/yaml` writes it (keys sorted).
    Yaml,
    /// One JSON object.
    Json,
}

/// Arguments of `values`.
#[derive(Args, Debug)]
pub struct ValuesArgs {
    /// A file holding the HelmRelease (the first one in the file is used);
    /// ConfigMaps and Secrets in it are used too.
    pub helmrelease_file: PathBuf,
    /// Files with the ConfigMaps and Secrets of `spec.valuesFrom` (repeatable).
    #[arg(long = "resources")]
    pub resources: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "yaml")]
    pub output: ValuesOutput,
    /// Print, for every leaf, the layer that set it and the layers it shadowed
    /// (Secret values redacted), and the targetPath precedence warnings.
    #[arg(long)]
    pub explain: bool,
    /// Print values that come from Secrets as they are (by default each such
    /// leaf is printed as `<redacted>` and a note on standard error says so).
    #[arg(long)]
    pub show_secrets: bool,
}

fn documents(path: &Path) -> Result<Vec<Value>, String> {
    Ok(yaml_documents(path)?
        .iter()
        .filter_map(|d| d.root.as_ref().map(|n| n.to_json()))
        .collect())
}

fn yaml_documents(path: &Path) -> Result<Vec<yaml::Document>, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (docs, diags) = yaml::parse_bytes(&bytes, &LoadOptions::default());
    if let Some(d) = diags.iter().find(|d| d.severity == Severity::Error) {
        return Err(format!(
            "{}:{}:{}: {}",
            path.display(),
            d.location.line,
            d.location.column,
            d.message
        ));
    }
    Ok(docs)
}

/// Runs `values`; exit 1 with the message on standard error on any error
/// (helm-controller's own text for a composition error).
pub fn run(args: ValuesArgs) -> Result<ExitCode, String> {
    match run_inner(args) {
        Ok(out) => {
            print!("{out}");
            Ok(ExitCode::SUCCESS)
        }
        Err(message) => {
            eprintln!("{message}");
            Ok(ExitCode::from(1))
        }
    }
}

fn run_inner(args: ValuesArgs) -> Result<String, String> {
    let ydocs = yaml_documents(&args.helmrelease_file)?;
    let docs: Vec<(usize, &yaml::Node, Value)> = ydocs
        .iter()
        .filter_map(|d| d.root.as_ref().map(|n| (d.index, n, n.to_json())))
        .collect();
    let (hr_index, hr_node, hr) = docs
        .iter()
        .find(|(_, _, d)| d.get("kind").and_then(Value::as_str) == Some("HelmRelease"))
        .ok_or_else(|| format!("{}: no HelmRelease found", args.helmrelease_file.display()))?;
    let docs: Vec<Value> = docs.iter().map(|(_, _, v)| v.clone()).collect();
    let release = ReleaseValues::from_manifest(hr).map_err(|e| e.to_string())?;
    let mut store = ObjectStore::new();
    let mut all = docs.clone();
    for p in &args.resources {
        all.extend(documents(p)?);
    }
    for d in &all {
        store
            .insert_manifest(d, &release.namespace)
            .map_err(|e| e.to_string())?;
    }
    let composition = values::compose_detailed(
        &release.namespace,
        release.inline.as_ref(),
        &release.refs,
        &store,
    )
    .map_err(|e| e.to_string())?;
    let out = if args.explain {
        let mut ex = explain::explain(
            &release.namespace,
            release.inline.as_ref(),
            &release.refs,
            &composition,
        );
        for d in &mut ex.diagnostics {
            let pos = hr_node.locate(&d.location.path).unwrap_or(hr_node.pos);
            d.location.file = Some(args.helmrelease_file.display().to_string());
            d.location.document = *hr_index;
            d.location.line = pos.line;
            d.location.column = pos.column;
        }
        match args.output {
            ValuesOutput::Json => {
                serde_json::to_string_pretty(&ex).map_err(|e| e.to_string())? + "\n"
            }
            ValuesOutput::Yaml => explain_text(&ex),
        }
    } else {
        let json = composition.values.to_json();
        // Leaves that came from a Secret are redacted unless asked for.
        let (json, redacted) = if args.show_secrets {
            (json, Vec::new())
        } else {
            let ex = explain::explain(
                &release.namespace,
                release.inline.as_ref(),
                &release.refs,
                &composition,
            );
            explain::redact_secret_leaves(&json, &ex)
        };
        if !redacted.is_empty() {
            eprintln!(
                "note: {} value(s) from Secrets printed as {} ({}); --show-secrets prints them",
                redacted.len(),
                explain::REDACTED,
                redacted.join(", ")
            );
        }
        match args.output {
            ValuesOutput::Json => {
                serde_json::to_string_pretty(&json).map_err(|e| e.to_string())? + "\n"
            }
            ValuesOutput::Yaml if redacted.is_empty() => {
                if composition.values.0.borrow().is_empty() {
                    "{}\n".to_string()
                } else {
                    composition.values.to_yaml().map_err(|e| e.to_string())?
                }
            }
            ValuesOutput::Yaml => {
                fluxcd_core::yaml::emit::json_to_yaml(&json).map_err(|e| e.to_string())?
            }
        }
    };
    Ok(out)
}

/// A leaf value as Go's JSON writes it (a float64 `1` is `1`).
fn show(v: &Value) -> String {
    match v {
        Value::Number(n) if n.is_f64() => {
            fluxcd_core::yaml::emit::go_json_float(n.as_f64().unwrap_or(0.0))
        }
        v => v.to_string(),
    }
}

fn explain_text(ex: &explain::Explanation) -> String {
    let mut s = String::new();
    for leaf in &ex.leaves {
        s.push_str(&format!(
            "{} = {}\n    from {}\n",
            leaf.path,
            show(&leaf.value),
            leaf.source
        ));
        for sh in &leaf.shadowed {
            s.push_str(&format!(
                "    shadows {} = {}\n",
                sh.source,
                show(&sh.value)
            ));
        }
    }
    for d in &ex.diagnostics {
        s.push_str(&format!("{d}\n"));
    }
    s
}

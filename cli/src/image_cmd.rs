//! `fluxcd-core image-policy` (which tag an ImagePolicy selects from a tag list) and
//! `fluxcd-core image-update` (what the ImageUpdateAutomations of a checkout would
//! change for chosen tags), as image-reflector-controller and
//! image-automation-controller v1.2 do.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use fluxcd_core::embed;
use fluxcd_core::manifest;
use serde_json::Value;

use crate::Output;

/// Arguments of `image-policy`.
#[derive(Args)]
pub struct PolicyArgs {
    /// A YAML file with the ImagePolicy (the first one is used unless --name is given).
    pub policy_file: PathBuf,
    /// The tags: a file with one tag per line or a JSON array, `-` for stdin.
    #[arg(long)]
    pub tags: String,
    /// The ImagePolicy's name, when the file holds several.
    #[arg(long)]
    pub name: Option<String>,
    /// Output format: the tag, or JSON with tag, candidates, dropped (and ambiguous).
    #[arg(long, short, value_enum, default_value = "text")]
    pub output: Output,
}

/// Arguments of `image-update`.
#[derive(Args)]
pub struct UpdateArgs {
    /// The checkout (its ImageUpdateAutomations, ImagePolicies, ImageRepositories and marked files).
    pub path: PathBuf,
    /// `namespace:name=TAG[@DIGEST]`: the tag chosen for an ImagePolicy (repeatable).
    #[arg(long = "select", required = true)]
    pub select: Vec<String>,
    /// Write the changed files instead of printing a diff.
    #[arg(long)]
    pub write: bool,
    /// Output format: a unified diff, or JSON (files, changes, diagnostics).
    #[arg(long, short, value_enum, default_value = "text")]
    pub output: Output,
}

fn read_tags(spec: &str) -> Result<Vec<String>, String> {
    let mut bytes = Vec::new();
    if spec == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("stdin: {e}"))?;
    } else {
        bytes = std::fs::read(spec).map_err(|e| format!("{spec}: {e}"))?;
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{spec}: the tag list is not UTF-8 (byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    if text.trim_start().starts_with('[') {
        return serde_json::from_str(&text)
            .map_err(|e| format!("{spec}: not a JSON list of strings: {e}"));
    }
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

/// Runs `image-policy`: exit 0 with the tag, 1 when the controller would fail.
pub fn run_policy(args: PolicyArgs) -> Result<ExitCode, String> {
    let text = std::fs::read_to_string(&args.policy_file)
        .map_err(|e| format!("{}: {e}", args.policy_file.display()))?;
    let set = manifest::load_str(&text, Some(&args.policy_file.display().to_string()));
    let policy: Value = set
        .objects
        .iter()
        .find(|m| {
            m.kind() == "ImagePolicy"
                && m.group() == "image.toolkit.fluxcd.io"
                && args.name.as_deref().is_none_or(|n| m.name() == n)
        })
        .map(|m| m.value.clone())
        .ok_or_else(|| format!("{}: no ImagePolicy found", args.policy_file.display()))?;
    let tags = read_tags(&args.tags)?;
    match embed::image_policy(&policy, &tags) {
        Ok(v) => {
            let mut out = std::io::stdout().lock();
            let line = match args.output {
                Output::Json => serde_json::to_string_pretty(&v).unwrap_or_default(),
                Output::Text => v["tag"].as_str().unwrap_or("").to_string(),
            };
            let _ = writeln!(out, "{line}");
            if let Some(a) = v.get("ambiguous").and_then(Value::as_array) {
                let list: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
                eprintln!(
                    "note: upstream may pick any of {} (equal values; Go map order)",
                    list.join(", ")
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {} [{}]", e.message, e.code);
            Ok(ExitCode::from(1))
        }
    }
}

/// Runs `image-update`: a diff (or the files written); exit 1 on an error diagnostic.
pub fn run_update(args: UpdateArgs) -> Result<ExitCode, String> {
    let mut selections = BTreeMap::new();
    for s in &args.select {
        let (k, v) = s
            .split_once('=')
            .ok_or_else(|| format!("--select {s:?}: expected namespace:name=TAG[@DIGEST]"))?;
        selections.insert(k.to_string(), v.to_string());
    }
    let report = embed::image_update(&args.path, &selections).map_err(|e| e.message)?;
    let files = report["files"].as_array().cloned().unwrap_or_default();
    let mut errors = false;
    for d in report["diagnostics"].as_array().into_iter().flatten() {
        let sev = d["severity"].as_str().unwrap_or("");
        errors |= sev == "error";
        eprintln!(
            "{}:{}: {}: {} [{}]",
            d["file"].as_str().unwrap_or(""),
            d["line"],
            sev,
            d["message"].as_str().unwrap_or(""),
            d["code"].as_str().unwrap_or("")
        );
    }
    let mut out = std::io::stdout().lock();
    if args.write {
        for f in &files {
            let file = f["file"].as_str().unwrap_or("");
            let path = args.path.join(file);
            std::fs::write(&path, f["content"].as_str().unwrap_or(""))
                .map_err(|e| format!("{}: {e}", path.display()))?;
            let _ = writeln!(out, "wrote {file}");
        }
    }
    match args.output {
        Output::Json => {
            let _ = writeln!(
                out,
                "{}",
                serde_json::to_string_pretty(&report).unwrap_or_default()
            );
        }
        Output::Text if !args.write => {
            for f in &files {
                let _ = write!(out, "{}", f["diff"].as_str().unwrap_or(""));
            }
            if files.is_empty() {
                eprintln!("no change ({} markers)", report["markers"]);
            }
        }
        Output::Text => {}
    }
    Ok(if errors {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

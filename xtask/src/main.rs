//! Workspace tasks for fluxcd-core.
//!
//! `cargo xtask gen-api [--check]` generates the typed Flux API models in
//! `flux-core/src/api/generated/` from the upstream CRDs in `../shared/flux-crds`.
//! With `--check` it regenerates in memory and fails when the committed files differ.
//!
//! `cargo xtask schemas [--check]` writes the JSON Schemas of every kind to `schemas/`.
//!
//! `cargo xtask plan-schema [--check]` writes `docs/plan-schema.json`, the schema of
//! `fluxcd-core plan --output json`, from the Rust types.
//! `cargo xtask error-codes` writes `docs/error-codes.md` from `fluxcd_core::codes`.
//! `cargo xtask lint-rules` writes `docs/lint-rules.md` from `fluxcd_core::lint`.

mod gen;

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the workspace")
        .to_path_buf();
    match args.first().map(String::as_str) {
        Some("gen-api") => {
            let check = args.iter().any(|a| a == "--check");
            let crds = args
                .iter()
                .position(|a| a == "--crds")
                .and_then(|i| args.get(i + 1))
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("../shared/flux-crds"));
            if !crds.is_dir() {
                if check {
                    eprintln!(
                        "skipping gen-api --check: {} not found (needs ../shared)",
                        crds.display()
                    );
                    return ExitCode::SUCCESS;
                }
                eprintln!("error: CRD folder {} not found", crds.display());
                return ExitCode::from(2);
            }
            match gen::run(&crds, &root.join("flux-core/src/api/generated"), check) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("schemas") => {
            let check = args.iter().any(|a| a == "--check");
            let dir = root.join("schemas");
            let mut stale = Vec::new();
            let mut files: Vec<(String, serde_json::Value)> = fluxcd_core::schema::all_schemas()
                .into_iter()
                .map(|(k, v)| (format!("{}.json", k.to_ascii_lowercase()), v))
                .collect();
            files.push(("all.json".into(), fluxcd_core::schema::combined_schema()));
            std::fs::create_dir_all(&dir).expect("create schemas/");
            for (name, value) in files {
                let text = serde_json::to_string_pretty(&value).expect("schema to JSON") + "\n";
                let path = dir.join(&name);
                if check {
                    if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                        stale.push(name);
                    }
                } else {
                    std::fs::write(&path, text).expect("write schema");
                }
            }
            if !stale.is_empty() {
                eprintln!(
                    "error: schemas/ is stale ({}): run `cargo xtask schemas`",
                    stale.join(", ")
                );
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Some("plan-schema") => {
            let check = args.iter().any(|a| a == "--check");
            let path = root.join("docs/plan-schema.json");
            let text = serde_json::to_string_pretty(&fluxcd_core::plan::Plan::json_schema())
                .expect("schema to JSON")
                + "\n";
            if check {
                if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                    eprintln!(
                        "error: docs/plan-schema.json is stale: run `cargo xtask plan-schema`"
                    );
                    return ExitCode::FAILURE;
                }
            } else {
                std::fs::create_dir_all(path.parent().unwrap()).expect("create docs/");
                std::fs::write(&path, text).expect("write docs/plan-schema.json");
                eprintln!("wrote {}", path.display());
            }
            ExitCode::SUCCESS
        }
        Some("error-codes") => {
            let path = root.join("docs/error-codes.md");
            std::fs::create_dir_all(path.parent().unwrap()).expect("create docs/");
            std::fs::write(&path, fluxcd_core::codes::markdown())
                .expect("write docs/error-codes.md");
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        Some("lint-rules") => {
            let path = root.join("docs/lint-rules.md");
            std::fs::create_dir_all(path.parent().unwrap()).expect("create docs/");
            std::fs::write(&path, fluxcd_core::lint::markdown()).expect("write docs/lint-rules.md");
            eprintln!("wrote {}", path.display());
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!(
                "usage: cargo xtask gen-api [--check] [--crds DIR] | schemas [--check] | plan-schema [--check] | error-codes | lint-rules"
            );
            ExitCode::from(2)
        }
    }
}

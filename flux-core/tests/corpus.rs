//! Loads every YAML file of the four real fleet repositories in ../shared/corpus,
//! types every Flux object, and prints what it found.

mod common;

use std::collections::BTreeMap;

use fluxcd_core::manifest::load_path;
use fluxcd_core::migrate::{version_status, VersionStatus};
use fluxcd_core::yaml::LoadOptions;

#[test]
fn corpus_loads_and_every_served_flux_object_types() {
    let Some(corpus) = common::shared("corpus") else {
        return;
    };
    let mut repos: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    repos.sort();
    assert_eq!(repos.len(), 4);
    let mut failures = Vec::new();
    let mut total_flux = 0;
    for repo in &repos {
        let set = load_path(repo, &LoadOptions::default()).unwrap();
        let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &set.diagnostics {
            *by_code.entry(d.code.as_str()).or_default() += 1;
        }
        let s = &set.stats;
        eprintln!(
            "{}: {} files, {} bytes, {} documents, {} objects, {} Flux objects, {} patches, {} kustomization files, {} other documents; diagnostics {:?}",
            repo.file_name().unwrap().to_string_lossy(),
            s.files, s.bytes, s.documents, s.objects, s.flux_objects, s.patches, s.kustomize_configs, s.other_documents, by_code
        );
        total_flux += s.flux_objects;
        for m in &set.objects {
            let errors: Vec<_> = set
                .diagnostics
                .iter()
                .filter(|d| {
                    d.is_error()
                        && d.location.file == m.location.file
                        && d.location.document == m.location.document
                })
                .collect();
            match version_status(m.api_version(), m.kind()) {
                VersionStatus::Served => {
                    let is_patch = m.role == fluxcd_core::manifest::Role::Patch;
                    if (m.typed.is_none() && !is_patch) || !errors.is_empty() {
                        failures.push(format!(
                            "{}:{} {} {}: {:?}",
                            m.location.file.as_deref().unwrap_or(""),
                            m.location.line,
                            m.kind(),
                            m.name(),
                            errors.iter().map(|d| d.to_string()).collect::<Vec<_>>()
                        ));
                    }
                }
                VersionStatus::Removed { .. }
                    if !errors.iter().any(|d| d.code == "api.removed_version") =>
                {
                    failures.push(format!("{:?} lacks api.removed_version", m.location));
                }
                _ => {}
            }
        }
    }
    assert!(
        total_flux > 100,
        "expected hundreds of Flux objects, got {total_flux}"
    );
    assert!(
        failures.is_empty(),
        "{} objects failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Nothing is lost in the typed models: every typed Flux object of the corpus
/// serializes back to exactly the document it was read from.
#[test]
fn typed_corpus_objects_round_trip() {
    let Some(corpus) = common::shared("corpus") else {
        return;
    };
    let set = load_path(&corpus, &LoadOptions::default()).unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for (m, typed) in set.flux_objects() {
        let back = serde_json::to_value(typed).unwrap();
        checked += 1;
        if back != m.value {
            failures.push(format!(
                "{}:{} {} {}",
                m.location.file.as_deref().unwrap_or(""),
                m.location.line,
                m.kind(),
                m.name()
            ));
        }
    }
    eprintln!("{checked} typed objects round-tripped");
    assert!(checked > 300);
    assert!(
        failures.is_empty(),
        "{} objects changed when typed and serialized back:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

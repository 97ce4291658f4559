//! Plans every repository of ../shared/corpus and prints the counts by rule
//! (SKIPPED when ../shared is absent).

mod common;

use fluxcd_core::plan::{plan, PlanOptions};

#[test]
fn plan_runs_on_every_corpus_repository() {
    let Some(corpus) = common::shared("corpus") else {
        return;
    };
    let mut repos: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    repos.sort();
    assert!(!repos.is_empty());
    for repo in &repos {
        let start = std::time::Instant::now();
        let p = plan(repo, &PlanOptions::default()).unwrap();
        let took = start.elapsed();
        let applied: usize = p.kustomizations.iter().map(|k| k.objects.len()).sum();
        eprintln!(
            "plan {}: {} Kustomizations applying {} objects, {} HelmReleases; {} error(s), {} warning(s), {} info in {:?}; by rule {:?}",
            repo.file_name().unwrap().to_string_lossy(),
            p.kustomizations.len(),
            applied,
            p.releases.len(),
            p.summary.errors,
            p.summary.warnings,
            p.summary.infos,
            took,
            p.summary.by_rule
        );
        // Every Flux Kustomization of the repository is planned, and the
        // counts agree with the diagnostics.
        let ks = p
            .objects
            .iter()
            .filter(|o| {
                o.kind == "Kustomization"
                    && o.api_version.starts_with("kustomize.toolkit")
                    && !o.patch
            })
            .count();
        assert_eq!(p.kustomizations.len(), ks);
        assert_eq!(
            p.summary.by_rule.values().sum::<usize>(),
            p.diagnostics.len()
        );
        assert!(applied > 0, "{}: nothing applied", repo.display());
        // No Secret value leaks into the report.
        let json = serde_json::to_string(&p).unwrap();
        for v in &p.values {
            for path in &v.redacted {
                assert!(!path.is_empty());
            }
        }
        assert!(json.contains("\"formatVersion\":2"));
    }
}

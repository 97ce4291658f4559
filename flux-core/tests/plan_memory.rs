//! A checkout planned from memory (`plan::fs::MemoryFs`, what the WebAssembly
//! package plans) gives the same plan as the same files planned from disk: the
//! example fleet through `embed` (JSON and SARIF, with options), every corpus
//! repository through the engine, and a source mapped to a folder of the files.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fluxcd_core::embed::{self, PlanOptions};
use fluxcd_core::plan::fs::MemoryFs;
use fluxcd_core::plan::{self as engine};
use serde_json::{json, Value};

/// Every file under `dir` (relative path, bytes); symbolic links are listed apart.
fn files_of(dir: &Path) -> (BTreeMap<String, Vec<u8>>, Vec<PathBuf>) {
    let mut files = BTreeMap::new();
    let mut links = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let ft = e.file_type().unwrap();
            let p = e.path();
            if ft.is_symlink() {
                links.push(p);
            } else if ft.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    (files, links)
}

fn fleet() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/fleet"))
}

fn text_files(dir: &Path) -> BTreeMap<String, String> {
    let (files, links) = files_of(dir);
    assert!(links.is_empty(), "{links:?}");
    files
        .into_iter()
        .map(|(k, v)| (k, String::from_utf8(v).unwrap()))
        .collect()
}

#[test]
fn example_fleet_from_memory_is_the_plan_from_disk() {
    let dir = fleet();
    let files = text_files(&dir);
    assert!(files.len() >= 20, "{} files", files.len());
    let option_sets = [
        PlanOptions::default(),
        PlanOptions {
            profiles: vec!["flux".into(), "conventions".into()],
            ..PlanOptions::default()
        },
        PlanOptions {
            profiles: vec!["flux".into()],
            vars: BTreeMap::from([("cluster".to_string(), "prod".to_string())]),
            ..PlanOptions::default()
        },
    ];
    for opts in &option_sets {
        let disk = embed::plan(&dir, opts).unwrap();
        let memory = embed::plan_files(&files, opts).unwrap();
        assert!(disk["kustomizations"]
            .as_array()
            .is_some_and(|k| k.len() >= 5));
        assert!(disk["diagnostics"]
            .as_array()
            .is_some_and(|d| !d.is_empty()));
        assert_eq!(memory, disk, "plan with {opts:?}");
        let disk = embed::plan_sarif(&dir, opts).unwrap();
        let memory = embed::plan_files_sarif(&files, opts).unwrap();
        assert_eq!(memory, disk, "SARIF with {opts:?}");
    }
    // A changed file changes the plan: the comparison sees the contents.
    let mut changed = files.clone();
    let (name, text) = changed
        .iter_mut()
        .find(|(_, t)| t.contains("kind: Kustomization"))
        .unwrap();
    let name = name.clone();
    text.push_str("\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${undefined_here}\n");
    let memory = embed::plan_files(&changed, &PlanOptions::default()).unwrap();
    assert_ne!(memory, embed::plan(&dir, &PlanOptions::default()).unwrap());
    assert!(memory["objects"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["file"] == json!(name) && o["kind"] == "ConfigMap"));
}

#[test]
fn corpus_from_memory_is_the_plan_from_disk() {
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
        let (files, links) = files_of(repo);
        if !links.is_empty() {
            // A MemoryFs has no links; the disk plan reports each one.
            eprintln!("SKIPPED {}: {} symbolic links", repo.display(), links.len());
            continue;
        }
        let fs = MemoryFs::new(&files).unwrap();
        let opts = engine::PlanOptions::default();
        let disk = engine::plan(repo, &opts).unwrap();
        let memory = engine::plan_in(&fs, Path::new("/"), &opts).unwrap();
        assert!(!disk.kustomizations.is_empty());
        assert_eq!(
            serde_json::to_value(&memory).unwrap(),
            serde_json::to_value(&disk).unwrap(),
            "{}",
            repo.display()
        );
    }
}

#[test]
fn memory_sources_and_var_files_name_paths_among_the_files() {
    let files = BTreeMap::from([
        (
            "ks.yaml".to_string(),
            "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: tenant, namespace: flux-system}\nspec:\n  interval: 10m\n  path: ./deploy\n  prune: true\n  sourceRef: {kind: GitRepository, name: tenant}\n  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: tenant-vars\n".to_string(),
        ),
        (
            "tenant/deploy/cm.yaml".to_string(),
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${team}\n  namespace: default\n".to_string(),
        ),
        ("vars.env".to_string(), "team=blue\n".to_string()),
    ]);
    let sources = BTreeMap::from([("tenant".to_string(), "tenant".to_string())]);
    let opts = PlanOptions {
        var_files: vec!["vars.env".into()],
        sources: sources.clone(),
        ..PlanOptions::default()
    };
    let p = embed::plan_files(&files, &opts).unwrap();
    assert_eq!(p["sources"][0]["name"], "tenant");
    let obj = &p["kustomizations"][0]["objects"][0];
    assert_eq!(obj["name"], "app-blue");
    assert_eq!(obj["file"], "tenant/deploy/cm.yaml");
    let p = embed::plan_files(
        &files,
        &PlanOptions {
            vars: BTreeMap::from([("team".to_string(), "red".to_string())]),
            ..opts.clone()
        },
    )
    .unwrap();
    assert_eq!(p["kustomizations"][0]["objects"][0]["name"], "app-red");
    // Without the source mapping, ./deploy is not in the checkout.
    let p = embed::plan_files(&files, &PlanOptions::default()).unwrap();
    assert_eq!(p["kustomizations"][0]["pathFound"], Value::Bool(false));

    let err = |opts: PlanOptions| embed::plan_files(&files, &opts).unwrap_err().code;
    let missing = PlanOptions {
        var_files: vec!["missing.env".into()],
        ..PlanOptions::default()
    };
    assert_eq!(err(missing), "io.read");
    let not_a_folder = PlanOptions {
        sources: BTreeMap::from([("tenant".to_string(), "vars.env".to_string())]),
        ..PlanOptions::default()
    };
    assert_eq!(err(not_a_folder), "embed.invalid_argument");
    let bad_profile = PlanOptions {
        profiles: vec!["prod".into()],
        ..PlanOptions::default()
    };
    assert_eq!(err(bad_profile), "lint.profile");
    for bad in ["../x.yaml", "", "ks.yaml/inner.yaml"] {
        let mut f = files.clone();
        f.insert(bad.to_string(), String::new());
        let e = embed::plan_files(&f, &PlanOptions::default()).unwrap_err();
        assert_eq!(e.code, "embed.invalid_argument", "{bad:?}");
    }
    // No files at all: an empty plan, as for an empty folder.
    let empty = embed::plan_files(&BTreeMap::new(), &PlanOptions::default()).unwrap();
    assert_eq!(empty["kustomizations"], json!([]));
}

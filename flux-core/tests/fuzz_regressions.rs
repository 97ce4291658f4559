//! Replays every input kept under `fuzz/regressions/<target>/` (inputs that
//! once crashed or hung a cargo-fuzz target, see fuzz/README.md) through the
//! same entry points and properties as the target, on stable Rust, in the
//! normal test suite.
//!
//! Byte-input targets keep the raw input (`envsubst`, `strvals`, `yaml_load`);
//! structured targets keep a readable reproduction: `deps_graph/*.json` (a list
//! of `{namespace, name, dependsOn}`), `values_compose/*.json`
//! (`{objects: [v1 ConfigMap/Secret], refs: [ValuesReference], inline}`) and
//! `plan_repo/<case>/` (a fleet folder).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use fluxcd_core::deps::{self, DependentObject};
use fluxcd_core::postbuild::ObjectStore;
use fluxcd_core::subst::{self, Options};
use fluxcd_core::values::{self, ValuesReference};
use fluxcd_core::yaml::LoadOptions;

/// The properties the fuzz targets check, shared with them.
#[path = "../../fuzz/properties.rs"]
mod properties;

fn dir(target: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../fuzz/regressions")).join(target)
}

/// Every entry of a target's folder (files or folders), sorted.
fn entries(target: &str) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir(target)) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n != "README.md" && n != ".gitkeep")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn envsubst_regressions() {
    let vars: HashMap<String, String> = [
        ("a", "aaaa"),
        ("b", "x/y/z"),
        ("c", ""),
        ("d", "ÀéΩɐ"),
        ("n", "12"),
        ("neg", "-3"),
        ("path", "/a/b/c.d"),
        ("star", "*?[]"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let files = entries("envsubst");
    assert!(
        !files.is_empty(),
        "the envsubst regressions are kept in the repository"
    );
    for f in files {
        let data = std::fs::read(&f).unwrap();
        let _ = subst::envsubst_bytes(&String::from_utf8_lossy(&data), &vars, Options::default());
        if let Ok(text) = std::str::from_utf8(&data) {
            for opts in [Options::strict(true), Options::strict(false)] {
                if let Ok(out) = subst::envsubst(text, &vars, opts) {
                    assert!(out.len() <= opts.max_output_bytes(), "{}", f.display());
                }
            }
        }
    }
}

#[test]
fn strvals_regressions() {
    for f in entries("strvals") {
        let data = std::fs::read(&f).unwrap();
        let Ok(line) = std::str::from_utf8(&data) else {
            continue;
        };
        properties::strvals_round_trip(line);
    }
}

#[test]
fn yaml_load_regressions() {
    for f in entries("yaml_load") {
        let data = std::fs::read(&f).unwrap();
        let set =
            fluxcd_core::manifest::load_bytes(&data, Some("fuzz.yaml"), &LoadOptions::default());
        for d in &set.diagnostics {
            assert!(!d.code.is_empty());
        }
        properties::yaml_emit_fixed_point(&data);
    }
}

#[test]
fn deps_graph_regressions() {
    for f in entries("deps_graph") {
        let objects: Vec<DependentObject> =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        if let Ok(order) = deps::sort(&objects) {
            let pos: BTreeMap<_, _> = order
                .iter()
                .enumerate()
                .map(|(i, r)| (r.clone(), i))
                .collect();
            for o in &objects {
                let me = deps::ObjectRef::new(o.namespace.clone(), o.name.clone());
                for d in &o.depends_on {
                    assert!(pos[&d.resolve(&o.namespace)] < pos[&me], "{}", f.display());
                }
            }
        }
        let _ = deps::Graph::build(deps::Kind::Kustomization, &objects);
    }
}

#[test]
fn values_compose_regressions() {
    for f in entries("values_compose") {
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let mut store = ObjectStore::new();
        for o in case["objects"].as_array().into_iter().flatten() {
            let _ = store.insert_manifest(o, "ns");
        }
        let refs: Vec<ValuesReference> =
            serde_json::from_value(case["refs"].clone()).unwrap_or_default();
        let inline = case.get("inline");
        if let Ok(v) = values::compose("ns", inline, &refs, &store) {
            assert!(v.to_json().is_object());
        }
    }
}

#[test]
fn plan_repo_regressions() {
    for d in entries("plan_repo").into_iter().filter(|p| p.is_dir()) {
        let p = fluxcd_core::plan::plan(Path::new(&d), &Default::default()).unwrap();
        let _ = fluxcd_core::plan::text::render(&p, &d, false);
        let _ = serde_json::to_string(&p).unwrap();
    }
}

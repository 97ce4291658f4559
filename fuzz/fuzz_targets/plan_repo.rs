//! The whole-repository plan on random small fleets written to a temp dir.
//!
//! A fleet is a handful of files built from fuzzed choices: Flux
//! Kustomizations (path, dependsOn, postBuild with inline variables and
//! substituteFrom), HelmReleases (valuesFrom with targetPath, inline values),
//! ConfigMaps and Secrets, kustomization.yaml files whose resources may point
//! anywhere (parents, cycles, missing files), and one file of raw bytes.
//!
//! Properties: no panic; the plan renders as text, JSON and SARIF and its tree
//! builds; every diagnostic has a code; the order holds each Kustomization
//! once; no Secret value (`secret-value-N`) appears in any rendering.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use arbitrary::Arbitrary;
use fluxcd_core::plan::{self, PlanOptions};
use libfuzzer_sys::fuzz_target;

const DIRS: [&str; 4] = ["apps", "infra", "apps/base", "clusters/prod"];

#[derive(Debug, Arbitrary)]
enum Item {
    Kustomization {
        name: u8,
        path: u8,
        deps: Vec<u8>,
        vars: Vec<(u8, String)>,
        from_secret: bool,
        body: String,
    },
    HelmRelease {
        name: u8,
        target_path: Option<String>,
        secret: bool,
        values: String,
        target_namespace: Option<u8>,
    },
    ConfigMap {
        name: u8,
        data: Vec<(u8, String)>,
    },
    Secret {
        name: u8,
        keys: Vec<u8>,
    },
    KustomizeFile {
        resources: Vec<u8>,
        namespace: Option<u8>,
    },
    Raw(Vec<u8>),
}

#[derive(Debug, Arbitrary)]
struct Fleet {
    items: Vec<(u8, Item)>,
}

/// A fuzzed string as a YAML (JSON) quoted scalar; the Secret marker is taken
/// out so that only real Secret values can carry it.
fn q(s: &str) -> String {
    serde_json::to_string(&s.replace("secret-value-", "sv")).unwrap()
}

fn write(root: &Path, dir: u8, file: &str, text: &[u8]) {
    let d = root.join(DIRS[usize::from(dir) % DIRS.len()]);
    let _ = std::fs::create_dir_all(&d);
    let p = d.join(file);
    let mut old = std::fs::read(&p).unwrap_or_default();
    if !old.is_empty() {
        old.extend_from_slice(b"\n---\n");
    }
    old.extend_from_slice(text);
    let _ = std::fs::write(p, old);
}

static N: AtomicUsize = AtomicUsize::new(0);

fuzz_target!(|fleet: Fleet| {
    let root: PathBuf = std::env::temp_dir().join(format!(
        "fluxcd-core-fuzz-plan-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    for (i, (dir, item)) in fleet.items.iter().take(12).enumerate() {
        match item {
            Item::Kustomization {
                name,
                path,
                deps,
                vars,
                from_secret,
                body,
            } => {
                let deps: Vec<String> = deps
                    .iter()
                    .take(3)
                    .map(|d| format!("{{name: ks{}}}", d % 6))
                    .collect();
                let vars: String = vars
                    .iter()
                    .take(3)
                    .map(|(k, v)| format!(", v{}: {}", k % 4, q(v)))
                    .collect();
                let from = if *from_secret { "Secret" } else { "ConfigMap" };
                let text = format!(
                    "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ks{}\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  path: ./{}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  dependsOn: [{}]\n  postBuild:\n    substitute: {{x: y{vars}}}\n    substituteFrom:\n    - kind: {from}\n      name: vars{}\n      optional: true\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: body{i}\n  namespace: default\ndata:\n  body: {}\n",
                    name % 6,
                    DIRS[usize::from(*path) % DIRS.len()],
                    deps.join(", "),
                    name % 3,
                    q(body),
                );
                write(&root, *dir, &format!("ks{i}.yaml"), text.as_bytes());
            }
            Item::HelmRelease {
                name,
                target_path,
                secret,
                values,
                target_namespace,
            } => {
                let tp = target_path
                    .as_deref()
                    .map(|t| format!("\n    targetPath: {}", q(t)))
                    .unwrap_or_default();
                let tn = target_namespace
                    .map(|t| format!("\n  targetNamespace: ns{}", t % 3))
                    .unwrap_or_default();
                let text = format!(
                    "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: hr{}\n  namespace: default\nspec:\n  interval: 5m{tn}\n  chart:\n    spec:\n      chart: podinfo\n      sourceRef:\n        kind: HelmRepository\n        name: repo\n  valuesFrom:\n  - kind: {}\n    name: vals{}\n    valuesKey: k{}{tp}\n  values:\n    inline: {}\n",
                    name % 4,
                    if *secret { "Secret" } else { "ConfigMap" },
                    name % 3,
                    name % 2,
                    q(values),
                );
                write(&root, *dir, &format!("hr{i}.yaml"), text.as_bytes());
            }
            Item::ConfigMap { name, data } => {
                let data: String = data
                    .iter()
                    .take(4)
                    .map(|(k, v)| format!("\n  k{}: {}", k % 3, q(v)))
                    .collect();
                let n = if name % 2 == 0 { "vars" } else { "vals" };
                let text = format!(
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {n}{}\n  namespace: {}\ndata:{}\n",
                    name % 3,
                    if name % 4 < 2 { "flux-system" } else { "default" },
                    if data.is_empty() { " {}".to_string() } else { data },
                );
                write(&root, *dir, &format!("cm{i}.yaml"), text.as_bytes());
            }
            Item::Secret { name, keys } => {
                let data: String = keys
                    .iter()
                    .take(4)
                    .map(|k| format!("\n  k{}: secret-value-{}", k % 3, k % 3))
                    .collect();
                let n = if name % 2 == 0 { "vars" } else { "vals" };
                let text = format!(
                    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {n}{}\n  namespace: {}\nstringData:{}\n",
                    name % 3,
                    if name % 4 < 2 { "flux-system" } else { "default" },
                    if data.is_empty() { " {}".to_string() } else { data },
                );
                write(&root, *dir, &format!("secret{i}.yaml"), text.as_bytes());
            }
            Item::KustomizeFile {
                resources,
                namespace,
            } => {
                const TARGETS: [&str; 6] = [
                    "../apps",
                    "base",
                    "../infra",
                    "missing.yaml",
                    "..",
                    "cm0.yaml",
                ];
                let res: String = resources
                    .iter()
                    .take(4)
                    .map(|r| format!("\n- {}", TARGETS[usize::from(*r) % TARGETS.len()]))
                    .collect();
                let ns = namespace
                    .map(|n| format!("namespace: ns{}\n", n % 3))
                    .unwrap_or_default();
                let text = format!(
                    "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n{ns}resources:{}\n",
                    if res.is_empty() { " []".to_string() } else { res },
                );
                let d = root.join(DIRS[usize::from(*dir) % DIRS.len()]);
                let _ = std::fs::create_dir_all(&d);
                let _ = std::fs::write(d.join("kustomization.yaml"), text);
            }
            Item::Raw(bytes) => {
                let text = String::from_utf8_lossy(bytes).replace("secret-value-", "sv");
                write(&root, *dir, &format!("raw{i}.yaml"), text.as_bytes())
            }
        }
    }
    let result = plan::plan(&root, &PlanOptions::default());
    if let Ok(p) = result {
        for d in &p.diagnostics {
            assert!(!d.code.is_empty());
        }
        let text = plan::text::render(&p, &root, false);
        let json = serde_json::to_string(&p).expect("plan serializes");
        let sarif =
            fluxcd_core::lint::sarif::to_sarif(&p.diagnostics, "fuzz", Some(root.as_path()))
                .to_string();
        for list in [&p.order.kustomizations, &p.order.helm_releases]
            .into_iter()
            .flatten()
        {
            let mut order = list.clone();
            order.sort();
            order.dedup();
            assert_eq!(
                list.len(),
                order.len(),
                "an object is ordered twice: {list:?}"
            );
        }
        if let Ok(roots) = plan::tree::build(&p, None) {
            let _ = plan::tree::render(&roots);
        }
        for out in [&text, &json, &sarif] {
            assert!(
                !out.contains("secret-value-"),
                "a Secret value leaked: {out}"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&root);
});

//! End-to-end tests of `fluxcd-core order` and `fluxcd-core graph`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fluxcd-core"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("fluxcd-core-deps-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A Kustomization, `deps` as `namespace/name` or `name`.
fn ks(namespace: &str, name: &str, deps: &[&str]) -> String {
    let mut s = format!(
        "---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n"
    );
    if !deps.is_empty() {
        s.push_str("  dependsOn:\n");
        for d in deps {
            match d.split_once('/') {
                Some((ns, n)) => s.push_str(&format!("    - name: {n}\n      namespace: {ns}\n")),
                None => s.push_str(&format!("    - name: {d}\n")),
            }
        }
    }
    s.push_str("  interval: 10m\n  prune: true\n  path: ./\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n");
    s
}

fn write(dir: &Path, file: &str, text: &str) -> PathBuf {
    let p = dir.join(file);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn order_prints_upstream_order_as_text_and_json() {
    let d = tempdir("order");
    // Upstream's "simple" case, split over two files read in the order given.
    let a = write(
        &d,
        "a.yaml",
        &(ks("default", "frontend", &["linkerd/linkerd", "backend"])
            + &ks("linkerd", "linkerd", &[])),
    );
    let b = write(
        &d,
        "b.yaml",
        &ks("default", "backend", &["linkerd/linkerd"]),
    );
    let out = bin().arg("order").arg(&a).arg(&b).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "linkerd/linkerd\ndefault/backend\ndefault/frontend\n"
    );
    // Read the other way round: the same order, as the ties do not matter here.
    let out = bin()
        .args(["order", "--output", "json"])
        .arg(&b)
        .arg(&a)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!(["linkerd/linkerd", "default/backend", "default/frontend"])
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn order_reports_a_cycle_with_upstreams_text() {
    let d = tempdir("cycle");
    let f = write(
        &d,
        "ks.yaml",
        &(ks("default", "dependency", &["endless"])
            + &ks("default", "endless", &["circular"])
            + &ks("default", "circular", &["dependency"])),
    );
    let out = bin().arg("order").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
    assert_eq!(
        stderr(&out),
        "circular dependency detected: default/dependency -> default/endless -> default/circular -> default/dependency\n"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn order_of_a_long_chain_and_a_self_dependency() {
    let d = tempdir("chain");
    let n = 3_000;
    let mut text = String::new();
    for i in (0..n).rev() {
        let dep = format!("k{}", i.max(1) - 1);
        let deps: Vec<&str> = if i == 0 { vec![] } else { vec![dep.as_str()] };
        text.push_str(&ks("flux-system", &format!("k{i}"), &deps));
    }
    let f = write(&d, "chain.yaml", &text);
    let out = bin().arg("order").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    assert_eq!(lines.len(), n);
    assert_eq!(lines[0], "flux-system/k0");
    assert_eq!(lines[n - 1], format!("flux-system/k{}", n - 1));

    let f = write(&d, "self.yaml", &ks("apps", "loop", &["loop"]));
    let out = bin().arg("order").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "circular dependency detected: apps/loop -> apps/loop\n"
    );
    let out = bin().arg("graph").arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("self.yaml:2:1: error[deps.cycle]"), "{text}");
    assert!(text.contains("apps/loop (self.yaml:2)"), "{text}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn graph_of_the_example_fleet_in_every_format() {
    let fleet = root().join("examples/fleet");
    let out = bin()
        .args(["graph", "--format", "json"])
        .arg(&fleet)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["formatVersion"], 1);
    let ks = v["graphs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"] == "Kustomization")
        .unwrap();
    let edges = ks["edges"].as_array().unwrap();
    assert!(!edges.is_empty());
    // Every edge goes from a later wave to an earlier one.
    let wave = |id: &serde_json::Value| {
        ks["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| &n["id"] == id)
            .unwrap()["wave"]
            .as_u64()
    };
    for e in edges {
        assert!(wave(&e["dependency"]) < wave(&e["dependent"]), "{e}");
    }
    assert_eq!(
        ks["criticalPathLength"].as_u64().unwrap() as usize,
        ks["waves"].as_array().unwrap().len()
    );
    for (format, start) in [
        ("dot", "digraph dependencies {"),
        ("mermaid", "flowchart LR"),
        ("text", "Kustomization: "),
    ] {
        let out = bin()
            .args(["graph", "--format", format])
            .arg(&fleet)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        assert!(
            stdout(&out).starts_with(start),
            "{format}: {}",
            stdout(&out)
        );
    }
}

#[test]
fn graph_exits_1_on_errors_and_names_each_place() {
    let d = tempdir("graph");
    write(
        &d,
        "ks.yaml",
        &(ks("flux-system", "apps", &["infra", "nowhere"])
            + &ks("flux-system", "infra", &["apps"])),
    );
    write(
        &d,
        "hr.yaml",
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: flux-system\nspec:\n  dependsOn:\n    - name: infra\n    - name: db\n      readyExpr: dep.status.ready\n  interval: 10m\n  chart:\n    spec:\n      chart: web\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n",
    );
    let out = bin()
        .args(["graph", "-f", "json"])
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("deps.cross_kind", "hr.yaml", 8),
        ("deps.missing", "hr.yaml", 9),
        ("deps.ready_expr_type", "hr.yaml", 10),
        ("deps.cycle", "ks.yaml", 2),
        ("deps.missing", "ks.yaml", 10),
    ];
    let expected: Vec<(String, String, u64)> = expected
        .iter()
        .map(|(c, f, l)| (c.to_string(), f.to_string(), *l))
        .collect();
    assert_eq!(found, expected);
    let out = bin()
        .args(["graph", "-f", "mermaid"])
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[deps.cycle]"),
        "{}",
        stderr(&out)
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn missing_paths_give_exit_2() {
    let out = bin()
        .args(["order", "/nonexistent/fluxcd-core.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin()
        .args(["graph", "/nonexistent/fluxcd-core"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// The real repositories of `../shared/corpus`: a sensible Mermaid graph.
#[test]
fn corpus_home_ops_renders_as_mermaid() {
    let repo = root().join("../shared/corpus/onedr0p__home-ops");
    if !repo.exists() {
        eprintln!(
            "SKIPPED: {} not found; this test needs ../shared beside the project (CI has it)",
            repo.display()
        );
        return;
    }
    let out = bin()
        .args(["graph", "--format", "mermaid"])
        .arg(&repo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("flowchart LR\n  subgraph ks[\"Kustomization\"]\n"));
    // Dependencies resolved through kustomization.yaml namespaces: none missing.
    assert!(!text.contains(":::missing"), "{text}");
    assert!(text.contains("[\"kube-system/multus-networks\"]"));
    let arrows = text.lines().filter(|l| l.contains(" --> ")).count();
    assert!(arrows >= 10, "{arrows} arrows");
}

//! `fluxcd-core plan` and `fluxcd-core tree`: formats, options and exit codes.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_fluxcd-core"));
    c.env_remove("NO_COLOR");
    c
}

struct Repo(PathBuf);

impl Repo {
    fn new(name: &str) -> Repo {
        let d = std::env::temp_dir().join(format!(
            "fluxcd-core-plan-cli-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Repo(d)
    }
    fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn ks(name: &str, path: &str, source: &str, extra: &str) -> String {
    format!(
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: {name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: {path}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: {source}\n{extra}"
    )
}

fn fleet(name: &str) -> Repo {
    let r = Repo::new(name);
    r.write(
        "clusters/prod/infra.yaml",
        &ks("infra", "./infra", "flux-system", ""),
    )
    .write(
        "clusters/prod/apps.yaml",
        &ks(
            "apps",
            "./apps",
            "flux-system",
            "  dependsOn:\n    - name: infra\n  postBuild:\n    substitute:\n      env: prod\n",
        ),
    )
    .write(
        "infra/ns.yaml",
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n",
    )
    .write(
        "apps/web.yaml",
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: web\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: web\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n  values:\n    env: ${env}\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: web\nspec:\n  interval: 1h\n  url: https://charts.example.com\n",
    );
    r
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn plan_json_has_the_documented_sections() {
    let r = fleet("fleet1");
    let out = bin()
        .args(["plan", "-o", "json"])
        .arg(r.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    assert_eq!(v["formatVersion"], 2);
    assert_eq!(
        v["order"]["kustomizations"],
        serde_json::json!(["flux-system/infra", "flux-system/apps"])
    );
    assert_eq!(
        v["waves"]["kustomizations"],
        serde_json::json!([["flux-system/infra"], ["flux-system/apps"]])
    );
    let apps = v["kustomizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == "flux-system/apps")
        .unwrap();
    assert_eq!(apps["objects"][0]["kind"], "HelmRelease");
    assert_eq!(apps["objects"][0]["substituted"], true);
    let rel = &v["releases"][0];
    for key in [
        "helmRelease",
        "releaseName",
        "releaseNamespace",
        "storageNamespace",
        "helmChart",
    ] {
        assert!(rel.get(key).is_some(), "{key}");
    }
    assert_eq!(rel["helmChart"], "web/web-web");
    // Values come from the substituted HelmRelease.
    assert_eq!(v["values"][0]["values"]["env"], "prod");
}

#[test]
fn plan_text_groups_by_kustomization_without_colour_when_piped() {
    let r = fleet("fleet2");
    r.write(
        "clusters/prod/bad.yaml",
        &ks("bad", "./nowhere", "flux-system", ""),
    );
    let out = bin().args(["plan"]).arg(r.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("\x1b["), "colour on a pipe");
    let bad = text.find("Kustomization flux-system/bad").unwrap();
    let finding = text.find("error[plan.path_not_found]").unwrap();
    assert!(finding > bad, "the finding is under its Kustomization");
    assert!(text.contains("Summary"));
    assert!(text.contains("plan.path_not_found"));
    assert!(text.contains("wave 1: flux-system/apps"));
}

#[test]
fn plan_sarif_and_exit_codes() {
    let r = fleet("fleet3");
    let out = bin()
        .args(["plan", "-o", "sarif"])
        .arg(r.path())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    assert_eq!(v["version"], "2.1.0");
    assert!(v["runs"][0]["results"].as_array().unwrap().is_empty());
    // With the conventions profile the HelmRelease breaks conventions: results.
    let out = bin()
        .args(["plan", "-o", "sarif", "--profile", "flux,conventions"])
        .arg(r.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "conventions.chart_version_unpinned"),
        "{results:?}"
    );
    r.write(
        "clusters/prod/bad.yaml",
        &ks("bad", "./nowhere", "flux-system", ""),
    );
    let out = bin()
        .args(["plan", "-o", "json"])
        .arg(r.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn plan_options_are_checked() {
    let r = fleet("fleet4");
    for args in [
        vec!["--source", "nodir"],
        vec!["--source", "x=/definitely/not/here"],
        vec!["--profile", "nope"],
        vec!["--vars", "/definitely/not/here.env"],
    ] {
        let out = bin()
            .arg("plan")
            .arg(r.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
    let out = bin()
        .args(["plan", "/definitely/not/here"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn plan_with_source_and_vars() {
    let r = Repo::new("main");
    let tenant = Repo::new("tenant");
    tenant.write(
        "deploy/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${team}\ndata:\n  k: v\n",
    );
    r.write(
        "ks.yaml",
        &ks(
            "tenant",
            "./deploy",
            "tenant",
            "  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: tenant-vars\n",
        ),
    )
    .write(
        "repo.yaml",
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: tenant\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://example.com/t.git\n",
    )
    .write("vars.env", "team=blue\n");
    let out = bin()
        .args(["plan", "-o", "json"])
        .arg(r.path())
        .arg("--source")
        .arg(format!("tenant={}", tenant.path().display()))
        .arg("--vars")
        .arg(r.path().join("vars.env"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v = json_of(&out);
    let k = &v["kustomizations"][0];
    assert_eq!(k["objects"][0]["name"], "app-blue");
    assert_eq!(v["sources"][0]["name"], "tenant");
}

#[test]
fn tree_text_and_json() {
    let r = fleet("fleet5");
    r.write(
        "clusters/prod/root.yaml",
        &ks("root", "./clusters/prod", "flux-system", ""),
    );
    let out = bin().arg("tree").arg(r.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Kustomization/flux-system/root\n"),
        "{text}"
    );
    assert!(
        text.contains("├── Kustomization/flux-system/apps (depends on flux-system/infra)"),
        "{text}"
    );
    assert!(
        text.contains("HelmRelease/web/web (release web/web, chart web/web-web)"),
        "{text}"
    );
    let out = bin()
        .args(["tree", "-o", "json"])
        .arg(r.path())
        .arg("infra")
        .output()
        .unwrap();
    let v = json_of(&out);
    assert_eq!(v[0]["name"], "infra");
    assert_eq!(v[0]["children"][0]["kind"], "Namespace");
    let out = bin()
        .arg("tree")
        .arg(r.path())
        .arg("nope")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

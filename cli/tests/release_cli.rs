//! End-to-end tests of `fluxcd-core release-name`.

use std::path::PathBuf;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fluxcd-core"))
}

/// A file in its own temporary directory, removed when the test ends.
struct TempFile {
    dir: PathBuf,
    path: PathBuf,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl std::ops::Deref for TempFile {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.path
    }
}

impl AsRef<std::ffi::OsStr> for TempFile {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.path.as_os_str()
    }
}

fn write(name: &str, text: &str) -> TempFile {
    let dir =
        std::env::temp_dir().join(format!("fluxcd-core-release-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    TempFile { dir, path }
}

fn hr(name: &str, namespace: &str, spec: &str) -> String {
    format!(
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: {name}\n  namespace: {namespace}\nspec:\n  interval: 10m\n{spec}"
    )
}

const CHART: &str = "  chart:\n    spec:\n      chart: podinfo\n      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n";

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

#[test]
fn prints_the_shortened_name() {
    let spec = format!("  targetNamespace: my-target-namespace\n{CHART}");
    let p = write(
        "long.yaml",
        &hr(
            "my-helmrelease-name-that-is-quite-long-x",
            "flux-system",
            &spec,
        ),
    );
    let out = run(&["release-name", p.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "my-target-namespace-my-helmrelease-name--41ead3e80fda\n"
    );
}

#[test]
fn json_object() {
    let spec = format!(
        "  targetNamespace: apps\n  storageNamespace: helm-state\n{}",
        CHART.replace(
            "name: podinfo\n",
            "name: podinfo\n        namespace: sources\n"
        )
    );
    let p = write("json.yaml", &hr("podinfo", "flux-system", &spec));
    let out = run(&["release-name", p.to_str().unwrap(), "--output", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "releaseName": "apps-podinfo",
            "releaseNamespace": "apps",
            "storageNamespace": "helm-state",
            "helmChart": "sources/flux-system-podinfo"
        })
    );
}

#[test]
fn chart_ref_has_no_helm_chart() {
    let spec = "  releaseName: web\n  chartRef:\n    kind: OCIRepository\n    name: podinfo\n";
    let p = write("chartref.yaml", &hr("podinfo", "flux-system", spec));
    let out = run(&["release-name", p.to_str().unwrap(), "-o", "json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["releaseName"], "web");
    assert!(v["helmChart"].is_null());
}

#[test]
fn invalid_name_exits_1_with_the_code() {
    let spec = format!("  releaseName: My_Release\n{CHART}");
    let p = write("invalid.yaml", &hr("podinfo", "flux-system", &spec));
    let out = run(&["release-name", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("release.invalid_name"), "{err}");
    assert!(err.contains("\"My_Release\""), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn split_character_exits_1() {
    let spec = format!("  targetNamespace: {}é\n{CHART}", "t".repeat(39));
    let p = write("split.yaml", &hr(&"c".repeat(30), "flux-system", &spec));
    let out = run(&["release-name", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("release.split_character"));
}

#[test]
fn no_helm_release_and_missing_file_exit_1() {
    let p = write(
        "cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n",
    );
    let out = run(&["release-name", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no readable"));
    let out = run(&["release-name", "/definitely/not/here.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a file"));
}

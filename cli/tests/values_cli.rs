//! End-to-end tests of `fluxcd-core values`.

use std::path::PathBuf;
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fluxcd-core"))
}

/// A temporary directory removed when the test ends (even on failure).
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for TempDir {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

fn tempdir(name: &str) -> TempDir {
    let d = std::env::temp_dir().join(format!("fluxcd-core-values-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    TempDir(d)
}

fn out(o: &Output) -> (String, String, i32) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        o.status.code().unwrap_or(-1),
    )
}

const HR: &str = "apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 5m
  chart:
    spec:
      chart: web
      sourceRef: {kind: HelmRepository, name: charts}
  valuesFrom:
    - kind: ConfigMap
      name: web-values
    - kind: Secret
      name: web-secret
      valuesKey: password
      targetPath: auth.password
    - kind: ConfigMap
      name: web-values
      valuesKey: replicas
      targetPath: replicaCount
  values:
    replicaCount: 1
    auth:
      user: admin
";

const RES: &str = "apiVersion: v1
kind: ConfigMap
metadata:
  name: web-values
  namespace: apps
data:
  values.yaml: |
    image:
      tag: v1
    on: yes
  replicas: \"3\"
---
apiVersion: v1
kind: Secret
metadata:
  name: web-secret
  namespace: apps
data:
  password: czNjcjN0
";

fn setup(name: &str, hr: &str) -> (TempDir, PathBuf, PathBuf) {
    let d = tempdir(name);
    std::fs::write(d.join("hr.yaml"), hr).unwrap();
    std::fs::write(d.join("res.yaml"), RES).unwrap();
    let (hr, res) = (d.join("hr.yaml"), d.join("res.yaml"));
    (d, hr, res)
}

#[test]
fn composes_yaml_and_json() {
    let (_dir, hr, res) = setup("compose", HR);
    let run = |extra: &[&str]| {
        let o = bin()
            .arg("values")
            .args(extra)
            .arg(&hr)
            .arg("--resources")
            .arg(&res)
            .output()
            .unwrap();
        out(&o)
    };
    // `on: yes` is YAML 1.1: key "true", value true. The top-level targetPath
    // `replicaCount` loses to the inline value; `auth.password` wins because
    // `auth` comes only from the inline values (shared map). It comes from a
    // Secret, so it is redacted unless --show-secrets is given.
    let (stdout, stderr, code) = run(&["--show-secrets"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "auth:\n  password: s3cr3t\n  user: admin\nimage:\n  tag: v1\nreplicaCount: 1\n\"true\": true\n"
    );
    let (stdout, stderr, code) = run(&[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "auth:\n  password: <redacted>\n  user: admin\nimage:\n  tag: v1\nreplicaCount: 1\n\"true\": true\n"
    );
    assert!(!stdout.contains("s3cr3t") && !stderr.contains("s3cr3t"));
    assert!(stderr.contains("auth.password"), "{stderr}");

    let (stdout, _, code) = run(&["--output", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["auth"]["password"], "<redacted>");
    assert_eq!(v["replicaCount"], 1.0);
    let (stdout, _, _) = run(&["--output", "json", "--show-secrets"]);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["auth"]["password"], "s3cr3t");
}

#[test]
fn explain_names_layers_redacts_secrets_and_warns() {
    let (_dir, hr, res) = setup("explain", HR);
    let o = bin()
        .args(["values", "--explain"])
        .arg(&hr)
        .arg("--resources")
        .arg(&res)
        .output()
        .unwrap();
    let (stdout, stderr, code) = out(&o);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("auth.password = \"<redacted>\"\n    from valuesFrom[1] Secret apps/web-secret key password targetPath auth.password\n"), "{stdout}");
    assert!(!stdout.contains("s3cr3t"), "{stdout}");
    assert!(stdout.contains("replicaCount = 1\n    from spec.values\n    shadows valuesFrom[2] ConfigMap apps/web-values key replicas targetPath replicaCount = 3\n"), "{stdout}");
    // At the entry's targetPath in the HelmRelease file (line 22, column 7).
    let at = format!("{}:22:7: warning[values.target_path_overridden]: `replicaCount`: valuesFrom[2] ConfigMap apps/web-values key replicas targetPath replicaCount is documented to override inline values", hr.display());
    assert!(stdout.contains(&at), "{stdout}");
    assert!(
        stdout.contains("(at spec.valuesFrom[2].targetPath)\n"),
        "{stdout}"
    );
    assert!(stdout.contains("image.tag = \"v1\"\n    from valuesFrom[0] ConfigMap apps/web-values key values.yaml\n"), "{stdout}");
    let o = bin()
        .args(["values", "--explain", "-o", "json"])
        .arg(&hr)
        .arg("--resources")
        .arg(&res)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["code"], "values.target_path_overridden");
    assert_eq!(v["diagnostics"][0]["line"], 22);
    assert_eq!(v["diagnostics"][0]["column"], 7);
    assert_eq!(v["diagnostics"][0]["path"], "spec.valuesFrom[2].targetPath");
}

#[test]
fn errors_exit_1_with_upstream_text() {
    let (_dir, hr, _) = setup("missing", HR);
    let o = bin().arg("values").arg(&hr).output().unwrap();
    let (stdout, stderr, code) = out(&o);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert_eq!(
        stderr,
        "could not resolve ConfigMap chart values reference 'apps/web-values' with key 'values.yaml': configmaps \"web-values\" not found\n"
    );
    let bad = HR.replace("targetPath: auth.password", "targetPath: auth.password[x]");
    let (_dir, hr, res) = setup("badpath", &bad);
    let o = bin()
        .arg("values")
        .arg(&hr)
        .arg("--resources")
        .arg(&res)
        .output()
        .unwrap();
    let (_, stderr, code) = out(&o);
    assert_eq!(code, 1);
    assert_eq!(stderr, "could not resolve Secret chart values reference 'apps/web-secret' with key 'password': error parsing index: strconv.Atoi: parsing \"x\": invalid syntax\n");
    let d = tempdir("nohr");
    std::fs::write(d.join("x.yaml"), "a: 1\n").unwrap();
    let o = bin().arg("values").arg(d.join("x.yaml")).output().unwrap();
    let (_, stderr, code) = out(&o);
    assert_eq!(code, 1);
    assert!(stderr.contains("no HelmRelease found"), "{stderr}");
}

#[test]
fn secret_data_not_base64_is_a_clean_error() {
    let d = tempdir("b64");
    std::fs::write(d.join("hr.yaml"), HR).unwrap();
    std::fs::write(d.join("res.yaml"), RES.replace("czNjcjN0", "not-base64!")).unwrap();
    let o = bin()
        .arg("values")
        .arg(d.join("hr.yaml"))
        .arg("--resources")
        .arg(d.join("res.yaml"))
        .output()
        .unwrap();
    let (_, stderr, code) = out(&o);
    assert_eq!(code, 1);
    assert!(stderr.contains("web-secret"), "{stderr}");
}

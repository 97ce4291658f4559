//! End-to-end tests of `fluxcd-core substitute` and `fluxcd-core lint`.

use std::path::PathBuf;
use std::process::Command;

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
    let d = std::env::temp_dir().join(format!("fluxcd-core-pb-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    TempDir(d)
}

const KS: &str = "\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      replicas: \"3\"
    substituteFrom:
      - kind: ConfigMap
        name: cluster-vars
      - kind: Secret
        name: cluster-secrets
        optional: true
";

const VARS: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-vars
  namespace: flux-system
data:
  domain: example.com
  enabled: \"yes\"
---
apiVersion: v1
kind: Secret
metadata:
  name: cluster-secrets
  namespace: flux-system
data:
  token: czNjcjN0
";

const OBJECTS: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
  annotations:
    host: \"web.${domain}\"
spec:
  replicas: \"${replicas}\"
  enabled: '${enabled}'
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: script
  namespace: apps
  labels:
    kustomize.toolkit.fluxcd.io/substitute: disabled
data:
  run.sh: echo ${HOME} $$x
";

fn write_inputs(d: &std::path::Path) {
    std::fs::write(d.join("ks.yaml"), KS).unwrap();
    std::fs::write(d.join("vars.yaml"), VARS).unwrap();
    std::fs::write(d.join("objects.yaml"), OBJECTS).unwrap();
}

#[test]
fn substitute_applies_the_whole_pipeline() {
    let d = tempdir("subst");
    write_inputs(&d);
    let out = bin()
        .args([
            "substitute",
            "--output",
            "json",
            "--provenance",
            "--kustomization",
        ])
        .arg(d.join("ks.yaml"))
        .arg("--resources")
        .arg(d.join("vars.yaml"))
        .arg(d.join("objects.yaml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let objs = v.as_array().unwrap();
    assert_eq!(objs.len(), 2);
    // Quotes in Git do not survive: the re-emitted text is substituted, then re-typed.
    assert_eq!(objs[0]["spec"]["replicas"], 3);
    assert_eq!(objs[0]["spec"]["enabled"], true);
    assert_eq!(
        objs[0]["metadata"]["annotations"]["host"],
        "web.example.com"
    );
    // Disabled: untouched, `$$` kept.
    assert_eq!(objs[1]["data"]["run.sh"], "echo ${HOME} $$x");
    // Provenance on stderr names sources; the Secret value is never printed.
    assert!(
        stderr.contains(
            "${domain} = \"example.com\" (from ConfigMap flux-system/cluster-vars key domain)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cr3t"));

    // YAML output is what kustomize prints (keys sorted).
    let out = bin()
        .args(["substitute", "--kustomization"])
        .arg(d.join("ks.yaml"))
        .arg("--resources")
        .arg(d.join("vars.yaml"))
        .arg(d.join("objects.yaml"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    host: web.example.com\n"), "{text}");
    assert!(text.contains("\n---\napiVersion: v1\n"));
}

#[test]
fn substitute_fails_like_the_controller() {
    let d = tempdir("subst-err");
    write_inputs(&d);
    // No --resources: the required ConfigMap does not exist.
    let out = bin()
        .args(["substitute", "--kustomization"])
        .arg(d.join("ks.yaml"))
        .arg(d.join("objects.yaml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("post build failed for 'Deployment.v1.apps/web': substitute from 'ConfigMap/cluster-vars' error: configmaps \"cluster-vars\" not found"), "{stderr}");

    // Strict (Flux 2.9 default) vs 2.8.
    std::fs::write(
        d.join("u.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: u\ndata:\n  a: ${undefined}\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        bin()
            .arg("substitute")
            .args(extra)
            .arg("--kustomization")
            .arg(d.join("ks.yaml"))
            .arg("--resources")
            .arg(d.join("vars.yaml"))
            .arg(d.join("u.yaml"))
            .output()
            .unwrap()
    };
    let strict = run(&[]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&strict.stderr)
        .contains("variable not set (strict mode): \"undefined\""));
    let old = run(&["--flux-version", "2.8"]);
    assert_eq!(
        old.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&old.stderr)
    );
    assert!(String::from_utf8_lossy(&old.stdout).contains("a: null"));
    assert_eq!(
        run(&["--flux-version", "2.8", "--strict"]).status.code(),
        Some(1)
    );
    assert_eq!(run(&["--no-strict"]).status.code(), Some(0));
}

#[test]
fn lint_reports_strict_failures_in_the_original_files() {
    let d = tempdir("lint");
    std::fs::create_dir_all(d.join("apps")).unwrap();
    std::fs::write(d.join("ks.yaml"), KS).unwrap();
    std::fs::write(d.join("cluster-vars.yaml"), VARS).unwrap();
    std::fs::write(
        d.join("apps/web.yaml"),
        "# ${in_a_comment} is dropped by the re-emission\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: apps\ndata:\n  host: \"web.${domain}\"\n  owner: \"team-${team}\"\n  shell: echo $HOME\n  ok: ${missing:=fine}\n",
    )
    .unwrap();
    let out = bin().args(["lint", "-o", "json"]).arg(&d).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap();
    let errors: Vec<_> = diags.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{diags:#?}");
    assert_eq!(errors[0]["code"], "subst.undefined");
    assert_eq!(errors[0]["file"], "apps/web.yaml");
    assert_eq!(
        (errors[0]["line"].as_u64(), errors[0]["column"].as_u64()),
        (Some(9), Some(16))
    );
    assert!(errors[0]["hint"].as_str().unwrap().contains("$${name}"));
    assert!(diags
        .iter()
        .any(|d| d["code"] == "postbuild.bare_variable" && d["line"] == 10));
    // Supplying the variable (as a cluster would) clears it.
    std::fs::write(d.join("extra.env"), "team=platform\n").unwrap();
    let out = bin()
        .arg("lint")
        .arg(&d)
        .arg("--vars")
        .arg(d.join("extra.env"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // Flux 2.8 semantics: not strict, nothing fails.
    let out = bin()
        .args(["lint", "--flux-version", "2.8"])
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

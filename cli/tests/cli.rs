//! End-to-end tests of the `fluxcd-core` binary: output formats and exit codes.

use std::path::PathBuf;
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fluxcd-core"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("fluxcd-core-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn plan_example_fleet_json() {
    let out = bin()
        .args(["plan", "--output", "json"])
        .arg(root().join("examples/fleet"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    let objects = v["objects"].as_array().unwrap();
    assert!(objects.len() >= 10);
    for o in objects {
        for key in ["apiVersion", "kind", "namespace", "name", "file", "line"] {
            assert!(o.get(key).is_some(), "object lacks {key}: {o}");
        }
    }
    let hr = objects
        .iter()
        .find(|o| o["kind"] == "HelmRelease" && o["name"] == "harbor")
        .unwrap();
    assert_eq!(hr["namespace"], "harbor");
    assert_eq!(hr["file"], "platform/harbor/release.yaml");
    assert_eq!(hr["line"], 10);
    // The fleet's deliberate mistakes are warnings and information only
    // (tests/example_fleet.rs checks which).
    for d in v["diagnostics"].as_array().unwrap() {
        assert_ne!(d["severity"], "error", "{d}");
    }
}

#[test]
fn errors_give_exit_1_with_located_diagnostics() {
    let d = tempdir("errors");
    std::fs::write(
        d.join("ks.yaml"),
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\nspec:\n  interval: 1d\n  dependOn: []\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n",
    )
    .unwrap();
    let out = bin().args(["plan", "-o", "json"]).arg(&d).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = json_of(&out);
    let diags = v["diagnostics"].as_array().unwrap();
    let summary: Vec<(String, String, u64, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["severity"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("schema.required".to_string(), "error".to_string(), 5, 1),
            ("schema.pattern".to_string(), "error".to_string(), 6, 3),
            (
                "schema.unknown_field".to_string(),
                "warning".to_string(),
                7,
                3
            ),
        ]
    );
    assert_eq!(diags[0]["file"], "ks.yaml");
    assert_eq!(diags[2]["hint"], "did you mean `dependsOn`?");
    // Text output names the file:line:col and the hint.
    let out = bin().arg("validate").arg(&d).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ks.yaml:6:3: error[schema.pattern]"),
        "{text}"
    );
    assert!(text.contains("hint: did you mean `dependsOn`?"), "{text}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn usage_and_io_errors_give_exit_2() {
    let out = bin()
        .args(["plan", "/definitely/not/here"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such file"));
    let out = bin()
        .args(["plan", "--output", "xml", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().arg("frobnicate").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().args(["schema", "NoSuchKind"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn migrate_rewrites_in_place_keeping_comments() {
    let d = tempdir("migrate");
    let f = d.join("hr.yaml");
    let text = "# my release\nkind: HelmRelease # kind first\nmetadata:\n  name: podinfo\napiVersion: helm.toolkit.fluxcd.io/v2beta2 # old\nspec:\n  interval: 5m\n";
    std::fs::write(&f, text).unwrap();
    let out = bin().arg("migrate").arg(&d).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains(
        "hr.yaml:5: HelmRelease helm.toolkit.fluxcd.io/v2beta2 -> helm.toolkit.fluxcd.io/v2"
    ));
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        text,
        "dry run must not write"
    );
    let out = bin().args(["migrate", "--write"]).arg(&f).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&f).unwrap(),
        text.replace("v2beta2 # old", "v2 # old")
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn migrate_notes_fields_the_served_version_lacks() {
    let d = tempdir("migrate-notes");
    let f = d.join("ks.yaml");
    std::fs::write(
        &f,
        "apiVersion: kustomize.toolkit.fluxcd.io/v1beta2\nkind: Kustomization\nmetadata:\n  name: apps\nspec:\n  interval: 5m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  patchesStrategicMerge: []\n",
    )
    .unwrap();
    let out = bin().arg("migrate").arg(&f).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "ks.yaml:11:3: note: `spec.patchesStrategicMerge` does not exist in the served version"
        ),
        "{text}"
    );
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn schema_of_one_kind_and_all() {
    let out = bin().args(["schema", "HelmRelease"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    assert_eq!(
        v["properties"]["spec"]["required"],
        serde_json::json!(["interval"])
    );
    let out = bin().arg("schema").output().unwrap();
    let v = json_of(&out);
    assert_eq!(v["allOf"].as_array().unwrap().len(), 15);
}

#[test]
fn plan_corpus_home_ops() {
    let corpus = root().join("../shared/corpus/onedr0p__home-ops");
    if !corpus.is_dir() {
        eprintln!("SKIPPED: ../shared/corpus not found");
        return;
    }
    let out = bin()
        .args(["plan", "--output", "json"])
        .arg(&corpus)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    assert!(v["objects"].as_array().unwrap().len() > 300);
    assert!(v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["severity"] != "error"));
}

#[test]
fn envsubst_strict_default_vars_and_stdin() {
    use std::io::Write;
    let d = tempdir("envsubst");
    let vars = d.join("vars.env");
    std::fs::write(&vars, "export DOMAIN=example.com\nREPLICAS=\"2\"\n").unwrap();
    let input = d.join("in.yaml");
    std::fs::write(
        &input,
        "host: app.${DOMAIN}\nreplicas: ${REPLICAS}\nenv: ${ENV:=dev}\nliteral: $${KEEP}\n",
    )
    .unwrap();
    let out = bin()
        .arg("envsubst")
        .arg("--vars")
        .arg(&vars)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "host: app.example.com\nreplicas: 2\nenv: dev\nliteral: ${KEEP}\n"
    );
    // Strict by default: an unset variable is an error with Flux's text.
    let mut child = bin()
        .args(["envsubst", "--var", "A=1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"a: ${A}\nb: ${MISSING}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("variable not set (strict mode): \"MISSING\""),
        "{err}"
    );
    assert!(err.contains("subst.undefined"), "{err}");
    // --no-strict: unset reads as empty; --var wins over --vars.
    let out = bin()
        .args(["envsubst", "--no-strict", "--var", "DOMAIN=override.org"])
        .arg("--vars")
        .arg(&vars)
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("host: app.override.org\n"));
    std::fs::remove_dir_all(&d).unwrap();
}

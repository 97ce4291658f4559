//! Secret hygiene: a fleet full of Secrets (`data` and `stringData`) with
//! distinctive values, referenced by postBuild `substituteFrom` and by
//! HelmRelease `valuesFrom` (merged and with `targetPath`), including broken
//! Secrets whose errors must not quote them. Every CLI command runs in every
//! output mode, then the embed facade and the Debug strings of the error types;
//! no Secret value, raw or base64-encoded, may appear anywhere.
//!
//! Deliberate exceptions, by contract, are the outputs a caller asks for by
//! name: `values --show-secrets`, `substitute --show-secrets`, and the library
//! functions that return composed values, substituted objects or a rewritten
//! file (`embed::compose_values`, `embed::substitute`, `embed::migrate`'s
//! `text`), whose errors and other fields are still checked.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

const SECRETS: &[&str] = &[
    "S3cr3tStringDataAlpha7781",
    "S3cr3tDataBravo4412",
    "S3cr3tValuesCharlie9923",
    "S3cr3tTargetPathDelta5561",
    "S3cr3tBadBase64Echo3310",
    "S3cr3tBadYamlFoxtrot6620",
    "S3cr3tLiteralGolf1209",
    "S3cr3tUnusedHotel8876",
    "s3cr3t-name-india-4455",
];

/// Standard base64 with padding (what a Secret's `data` holds).
fn b64(s: &str) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in s.as_bytes().chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Every form a Secret value could leak in: raw, base64 (padded or not), and
/// the base64 of the value with a trailing newline.
fn needles() -> Vec<String> {
    let mut out = Vec::new();
    for s in SECRETS {
        out.push((*s).to_string());
        out.push(b64(s));
        out.push(b64(s).trim_end_matches('=').to_string());
        out.push(b64(&format!("{s}\n")));
    }
    // The bad-base64 value is not valid base64: its raw text is the needle.
    out
}

fn assert_clean(what: &str, text: &str) {
    for n in needles() {
        assert!(
            !text.contains(&n),
            "{what} leaks a Secret value ({n}):\n{text}"
        );
    }
}

struct Fleet(PathBuf);

impl Drop for Fleet {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn fleet(tag: &str) -> Fleet {
    let root =
        std::env::temp_dir().join(format!("fluxcd-core-secrets-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let [alpha, bravo, charlie, delta, echo, foxtrot, golf, hotel, india] = SECRETS else {
        unreachable!()
    };
    write(
        &root,
        "clusters/prod/sync.yaml",
        &format!(
            r#"apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://example.com/fleet.git
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./apps
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      region: eu
    substituteFrom:
    - kind: Secret
      name: app-vars
    - kind: Secret
      name: bad-vars
      optional: true
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps-ok
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./apps-ok
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substituteFrom:
    - kind: Secret
      name: app-vars
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: releases
  namespace: flux-system
spec:
  dependsOn:
  - name: apps
  interval: 10m
  prune: true
  path: ./releases
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substituteFrom:
    - kind: Secret
      name: app-vars
---
apiVersion: v1
kind: Secret
metadata:
  name: app-vars
  namespace: flux-system
stringData:
  token: {alpha}
  unused: {hotel}
  cmname: {india}
data:
  password: {bravo_b64}
"#,
            bravo_b64 = b64(bravo)
        ),
    );
    write(
        &root,
        "clusters/prod/bad-vars.yaml",
        &format!(
            r#"apiVersion: v1
kind: Secret
metadata:
  name: bad-vars
  namespace: flux-system
data:
  broken: "{echo}!!"
"#
        ),
    );
    write(
        &root,
        "apps/app.yaml",
        r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: default
data:
  url: https://user:${password}@db.example.com
  token: ${token}
  token_upper: ${token^^}
  token_len: "${#token}"
  token_cut: ${token:2:5}
  region: ${region}
  missing: ${not_defined}
  bad: ${token:0:-100}
"#,
    );
    write(
        &root,
        "apps-ok/app.yaml",
        r#"apiVersion: v1
kind: ConfigMap
metadata:
  name: ok-${cmname}
  namespace: default
  labels:
    owner: ${token}
data:
  url: https://user:${password}@db.example.com
  token: ${token}
  token_upper: ${token^^}
"#,
    );
    write(
        &root,
        "releases/release.yaml",
        &format!(
            r#"apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
  namespace: default
spec:
  interval: 5m
  chart:
    spec:
      chart: app
      version: 1.2.3
      sourceRef:
        kind: HelmRepository
        name: charts
  valuesFrom:
  - kind: Secret
    name: app-values
  - kind: Secret
    name: app-values
    valuesKey: dsn
    targetPath: db.dsn
  - kind: Secret
    name: app-values
    valuesKey: literal
    targetPath: db.literal
  values:
    image: app:1.0
    db:
      user: app
      apitoken: ${{token}}
      url: postgres://app:${{password}}@db
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
  namespace: default
spec:
  interval: 1h
  url: https://charts.example.com
---
apiVersion: v1
kind: Secret
metadata:
  name: app-values
  namespace: default
stringData:
  values.yaml: |
    db:
      password: {charlie}
      replicas: 2
  dsn: {delta}
data:
  literal: {golf_b64}
---
apiVersion: v1
kind: Secret
metadata:
  name: broken-values
  namespace: default
stringData:
  values.yaml: "db: [{foxtrot}"
"#,
            golf_b64 = b64(golf)
        ),
    );
    write(
        &root,
        "releases/bad-release.yaml",
        r#"apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: bad
  namespace: default
spec:
  interval: 5m
  chart:
    spec:
      chart: app
      sourceRef:
        kind: HelmRepository
        name: charts
  valuesFrom:
  - kind: Secret
    name: broken-values
"#,
    );
    // Standalone inputs for `substitute` and `values`.
    write(
        &root,
        "standalone/ks.yaml",
        r#"apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./apps
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substituteFrom:
    - kind: Secret
      name: app-vars
"#,
    );
    let _ = (alpha, echo);
    Fleet(root)
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fluxcd-core"))
}

/// Runs the CLI; returns everything it printed (stdout then stderr).
fn run(args: &[&str]) -> (String, i32) {
    let o = bin().args(args).output().unwrap();
    let mut all = String::from_utf8_lossy(&o.stdout).into_owned();
    all.push_str(&String::from_utf8_lossy(&o.stderr));
    (all, o.status.code().unwrap_or(-1))
}

#[test]
fn no_cli_command_prints_a_secret_value() {
    let f = fleet("cli");
    let root = f.0.to_str().unwrap();
    let p = |rel: &str| format!("{root}/{rel}");
    let bad_vars = p("clusters/prod/bad-vars.yaml");
    let (sync, apps, release, bad_release, ks) = (
        p("clusters/prod/sync.yaml"),
        p("apps/app.yaml"),
        p("releases/release.yaml"),
        p("releases/bad-release.yaml"),
        p("standalone/ks.yaml"),
    );
    let mut runs: Vec<Vec<String>> = Vec::new();
    let s = |v: &[&str]| v.iter().map(|x| (*x).to_string()).collect::<Vec<_>>();
    for o in ["text", "json", "sarif"] {
        runs.push(s(&["plan", root, "--output", o]));
        runs.push(s(&[
            "plan",
            root,
            "--output",
            o,
            "--profile",
            "flux,conventions",
        ]));
        runs.push(s(&["plan", root, "--output", o, "--no-strict"]));
    }
    for o in ["text", "json"] {
        runs.push(s(&["tree", root, "--output", o]));
        runs.push(s(&["tree", root, "flux-system/apps", "--output", o]));
        runs.push(s(&["tree", root, "flux-system/apps-ok", "--output", o]));
        runs.push(s(&["validate", root, "--output", o]));
        runs.push(s(&["lint", root, "--output", o]));
        runs.push(s(&["lint", root, "--output", o, "--no-strict"]));
        runs.push(s(&["order", &sync, "--output", o]));
        runs.push(s(&["release-name", &release, "--output", o]));
    }
    for fmt in ["text", "json", "dot", "mermaid"] {
        runs.push(s(&["graph", root, "--format", fmt]));
    }
    runs.push(s(&["migrate", root]));
    for o in ["yaml", "json"] {
        for extra in [&[][..], &["--explain"][..]] {
            let mut v = s(&["values", &release, "--resources", &release, "--output", o]);
            v.extend(s(extra));
            runs.push(v);
            let mut v = s(&[
                "values",
                &bad_release,
                "--resources",
                &release,
                "--output",
                o,
            ]);
            v.extend(s(extra));
            runs.push(v);
        }
        // Substituting objects that use the Secret's variables: the errors
        // (undefined variable, negative substring) must not quote them.
        for extra in [
            &[][..],
            &["--provenance"][..],
            &["--no-strict"][..],
            &["--no-strict", "--provenance"][..],
            &["--resources", &bad_vars][..],
        ] {
            let mut v = s(&[
                "substitute",
                "--kustomization",
                &ks,
                "--resources",
                &sync,
                "--output",
                o,
            ]);
            v.extend(s(extra));
            let mut ok = v.clone();
            v.push(apps.clone());
            runs.push(v);
            ok.push(p("apps-ok/app.yaml"));
            runs.push(ok);
        }
        // A Secret object among the objects prints redacted too.
        runs.push(s(&[
            "substitute",
            "--kustomization",
            &ks,
            "--resources",
            &sync,
            "--output",
            o,
            &sync,
        ]));
    }
    let mut failures = Vec::new();
    for args in &runs {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let (out, code) = run(&a);
        assert!(code != 101 && code >= 0, "{a:?} crashed:\n{out}");
        for n in needles() {
            if out.contains(&n) {
                failures.push(format!("{a:?} prints {n}"));
            }
        }
    }
    assert!(failures.is_empty(), "leaks:\n{}", failures.join("\n"));
}

#[test]
fn substitute_prints_secret_sourced_values_redacted_unless_asked() {
    let f = fleet("substitute");
    let root = f.0.to_str().unwrap();
    let ok = format!("{root}/standalone/ok.yaml");
    std::fs::write(
        &ok,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\ndata:\n  token: ${token}\n  url: https://u:${password}@h\n",
    )
    .unwrap();
    let args = |extra: &[&str]| {
        let mut v = vec![
            "substitute".to_string(),
            "--kustomization".into(),
            format!("{root}/standalone/ks.yaml"),
            "--resources".into(),
            format!("{root}/clusters/prod/sync.yaml"),
        ];
        v.extend(extra.iter().map(|s| (*s).to_string()));
        v.push(ok.clone());
        v
    };
    let a = args(&[]);
    let (out, code) = run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{out}");
    assert_clean("substitute", &out);
    assert!(out.contains("<redacted>"), "{out}");
    let a = args(&["--show-secrets"]);
    let (out, code) = run(&a.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(SECRETS[0]) && out.contains(SECRETS[1]),
        "{out}"
    );
}

fn docs(path: &Path) -> Vec<Value> {
    fluxcd_core::embed::parse(&std::fs::read_to_string(path).unwrap(), None).unwrap()
}

#[test]
fn no_library_output_error_or_debug_string_holds_a_secret_value() {
    use fluxcd_core::embed;
    let f = fleet("lib");
    let root = &f.0;
    let sync = docs(&root.join("clusters/prod/sync.yaml"));
    let bad_vars = docs(&root.join("clusters/prod/bad-vars.yaml"));
    let release_docs = docs(&root.join("releases/release.yaml"));
    let bad = docs(&root.join("releases/bad-release.yaml"))[0].clone();
    let apps = docs(&root.join("apps/app.yaml"));
    let ks = docs(&root.join("standalone/ks.yaml"))[0].clone();
    let hr = release_docs[0].clone();
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut keep = |what: &str, text: String| seen.push((what.to_string(), text));

    let opts = embed::PlanOptions::default();
    keep("embed::plan", embed::plan(root, &opts).unwrap().to_string());
    keep(
        "embed::plan_sarif",
        embed::plan_sarif(root, &opts).unwrap().to_string(),
    );
    keep(
        "embed::explain_values",
        embed::explain_values(&hr, &release_docs)
            .unwrap()
            .to_string(),
    );
    let err = embed::compose_values(&bad, &release_docs).unwrap_err();
    keep("embed::compose_values error (Display)", err.to_string());
    keep("embed::compose_values error (Debug)", format!("{err:?}"));
    keep(
        "embed::compose_values error (JSON)",
        serde_json::to_string(&err).unwrap_or_default(),
    );
    let err = embed::explain_values(&bad, &release_docs).unwrap_err();
    keep("embed::explain_values error", format!("{err} {err:?}"));
    for sopts in [
        embed::SubstituteOptions::default(),
        serde_json::from_value(json!({"strict": false})).unwrap(),
    ] {
        match embed::substitute(&apps, &ks, &sync, &sopts) {
            Ok(_) => {}
            Err(e) => keep("embed::substitute error", format!("{e} {e:?}")),
        }
        if let Err(e) = embed::substitute(&apps, &ks, &bad_vars, &sopts) {
            keep("embed::substitute error (bad Secret)", format!("{e} {e:?}"));
        }
        for o in &apps {
            if let Err(e) = embed::substitute_resource(o, &ks, &sync, &sopts) {
                keep("embed::substitute_resource error", format!("{e} {e:?}"));
            }
        }
    }
    for text in [
        std::fs::read_to_string(root.join("clusters/prod/sync.yaml")).unwrap(),
        std::fs::read_to_string(root.join("clusters/prod/bad-vars.yaml")).unwrap(),
        std::fs::read_to_string(root.join("releases/release.yaml")).unwrap(),
    ] {
        keep(
            "embed::validate",
            format!("{:?}", embed::validate(&text, Some("f.yaml"))),
        );
        // `text` is the rewritten file itself (by contract); the rest must be clean.
        let mut migrated = embed::migrate(&text);
        if let Some(o) = migrated.as_object_mut() {
            o.remove("text");
        }
        keep(
            "embed::migrate (without the rewritten text)",
            migrated.to_string(),
        );
        match embed::parse_resources(&text, None) {
            Ok(_) => {}
            Err(e) => keep("embed::parse_resources error", format!("{e} {e:?}")),
        }
    }
    keep(
        "embed::graph",
        embed::graph(&sync)
            .map(|v| v.to_string())
            .unwrap_or_default(),
    );

    // The engines' own error types, Display and Debug.
    let store_err = fluxcd_core::postbuild::ObjectStore::new()
        .insert_manifest(&bad_vars[0], "default")
        .unwrap_err();
    keep("postbuild::Error", format!("{store_err} {store_err:?}"));
    let release = fluxcd_core::values::ReleaseValues::from_manifest(&bad).unwrap();
    let mut store = fluxcd_core::postbuild::ObjectStore::new();
    for d in &release_docs {
        let _ = store.insert_manifest(d, "default");
    }
    let verr = fluxcd_core::values::compose("default", None, &release.refs, &store).unwrap_err();
    keep("values::Error", format!("{verr} {verr:?}"));
    let serr = fluxcd_core::subst::envsubst(
        "${token:0:-100}",
        &std::collections::HashMap::from([("token".to_string(), SECRETS[0].to_string())]),
        fluxcd_core::subst::Options::strict(true),
    )
    .unwrap_err();
    keep("subst::Error", format!("{serr} {serr:?}"));
    // A values document that is not YAML, read through the loader.
    let set = fluxcd_core::manifest::load_str(
        &format!("a: [{}\nb: {}: c\n", SECRETS[5], SECRETS[5]),
        Some("x.yaml"),
    );
    keep("manifest diagnostics", format!("{:?}", set.diagnostics));

    for (what, text) in &seen {
        assert_clean(what, text);
    }
}

//! The SARIF written by `lint::to_sarif` validates against the official SARIF
//! 2.1.0 JSON schema.
//!
//! The schema is not in the repository: `scripts/fetch-sarif-schema.sh` fetches
//! it from the npm registry (package `@microsoft/jest-sarif`, file
//! `lib/schemas/sarif-2.1.0-rtm.5.json`, SHA-256 pinned) into a cache folder, and
//! `scripts/test-all.sh` passes its path in `FLUXCD_SARIF_SCHEMA` with
//! `FLUXCD_SARIF_REQUIRED=1`. The check itself runs `scripts/validate-sarif.py`
//! (Python `jsonschema`, Draft 4 as the schema declares). Without the schema or
//! Python's `jsonschema`, the test prints SKIPPED, unless required.

use std::path::{Path, PathBuf};
use std::process::Command;

use fluxcd_core::lint::{check_set, to_sarif, Profiles};
use fluxcd_core::manifest::load_path;
use fluxcd_core::yaml::LoadOptions;
use fluxcd_core::{Diagnostic, Location};

fn schema() -> Option<PathBuf> {
    let explicit = std::env::var_os("FLUXCD_SARIF_SCHEMA").map(PathBuf::from);
    let cached = std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".cache/fluxcd-core/sarif/sarif-schema-2.1.0.json"));
    explicit.or(cached).filter(|p| p.is_file())
}

fn required() -> bool {
    std::env::var("FLUXCD_SARIF_REQUIRED").is_ok_and(|v| v == "1")
}

/// A small fleet with findings of several engines (loader, schema, lint).
fn fleet_diagnostics() -> (Vec<Diagnostic>, PathBuf) {
    let dir = std::env::temp_dir().join(format!("fluxcd-core-sarif-{}", std::process::id()));
    let apps = dir.join("apps dir");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::write(
        apps.join("web.yaml"),
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: web\n      version: \"*\"\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n  install:\n    createNamespace: true\n  values:\n    password: not-printed\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("infra.yaml"),
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: infra-crds\nspec:\n  interval: 1h\n  prune: true\n  wait: true\n  healthChecks: [{kind: Deployment, name: x, namespace: apps}]\n  resources: [a.yaml]\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1beta2\nkind: Kustomization\nmetadata:\n  name: old\n",
    )
    .unwrap();
    std::fs::write(
        apps.join("kustomization.yaml"),
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: x\n",
    )
    .unwrap();
    let set = load_path(&dir, &LoadOptions::default()).unwrap();
    let mut diags = set.diagnostics.clone();
    diags.extend(check_set(&set, &Profiles::all()));
    diags.push(Diagnostic::error("lint.config", "no file"));
    diags.push(
        Diagnostic::info("release.shortened", "line 0").at(Location {
            file: Some("x.yaml".into()),
            ..Location::default()
        }),
    );
    (diags, dir)
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    let (diags, dir) = fleet_diagnostics();
    let log = to_sarif(&diags, env!("CARGO_PKG_VERSION"), Some(&dir));
    let out = dir.join("out.sarif");
    std::fs::write(&out, serde_json::to_string_pretty(&log).unwrap()).unwrap();
    let status = schema().map(|schema| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/validate-sarif.py");
        Command::new("python3")
            .arg(script)
            .arg(&schema)
            .arg(&out)
            .output()
    });
    let text = serde_json::to_string(&log).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();

    // Checks that need no schema.
    assert!(!text.contains("not-printed"));
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    for code in [
        "api.removed_version",
        "schema.unknown_field",
        "plan.native_kustomize_fields",
        "plan.wait_ignores_health_checks",
        "plan.create_namespace_ignored",
        "plan.kustomize_file_as_flux_object",
        "conventions.secret_literal",
        "conventions.crd_prune",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let uris: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"apps%20dir/web.yaml"), "{uris:?}");
    assert!(uris.iter().all(|u| !u.starts_with('/')), "{uris:?}");

    match status {
        None if required() => panic!("FLUXCD_SARIF_REQUIRED=1 but no schema: run scripts/fetch-sarif-schema.sh"),
        None => println!("SKIPPED: SARIF schema validation (no schema; run scripts/fetch-sarif-schema.sh and set FLUXCD_SARIF_SCHEMA)"),
        Some(Err(e)) if !required() => println!("SKIPPED: SARIF schema validation (python3: {e})"),
        Some(Err(e)) => panic!("cannot run python3: {e}"),
        Some(Ok(o)) => {
            let stdout = String::from_utf8_lossy(&o.stdout);
            let stderr = String::from_utf8_lossy(&o.stderr);
            if o.status.code() == Some(3) && !required() {
                println!("SKIPPED: SARIF schema validation ({})", stderr.trim());
                return;
            }
            assert!(o.status.success(), "SARIF does not validate:\n{stdout}{stderr}");
            println!("{}", stdout.trim());
        }
    }
}

#[test]
fn an_invalid_log_is_rejected() {
    // The validator must be able to fail: a result with a level SARIF does not know.
    let Some(schema) = schema() else {
        assert!(!required(), "FLUXCD_SARIF_REQUIRED=1 but no schema");
        println!("SKIPPED: SARIF schema validation (no schema)");
        return;
    };
    let mut log = to_sarif(&[Diagnostic::warning("deps.cycle", "x")], "0.0.0", None);
    log["runs"][0]["results"][0]["level"] = "info".into();
    let file = std::env::temp_dir().join(format!("fluxcd-core-bad-{}.sarif", std::process::id()));
    std::fs::write(&file, log.to_string()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/validate-sarif.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(&schema)
        .arg(&file)
        .output();
    std::fs::remove_file(&file).unwrap();
    match out {
        Ok(o) if o.status.code() == Some(3) || o.status.code().is_none() => {
            assert!(!required(), "python3 jsonschema missing");
            println!("SKIPPED: no python3 jsonschema");
        }
        Ok(o) => {
            assert_eq!(
                o.status.code(),
                Some(1),
                "{}",
                String::from_utf8_lossy(&o.stdout)
            );
            assert!(String::from_utf8_lossy(&o.stdout).contains("level"));
        }
        Err(e) => {
            assert!(!required(), "cannot run python3: {e}");
            println!("SKIPPED: python3 not found");
        }
    }
}

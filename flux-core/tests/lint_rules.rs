//! Every lint rule of `fluxcd_core::lint` on small fleets loaded through the
//! manifest loader: a case that fires (with the field's line:column) and one that
//! does not. Also: `docs/lint-rules.md` is fresh, and the rules run on the real
//! fleets of ../shared/corpus (counts by rule printed).

mod common;

use fluxcd_core::lint::{check_objects, check_set, rules, Profile, Profiles};
use fluxcd_core::manifest::{load_path, load_str};
use fluxcd_core::yaml::LoadOptions;
use fluxcd_core::Diagnostic;

fn run(yaml: &str, profiles: &str) -> Vec<Diagnostic> {
    let set = load_str(yaml, Some("fleet.yaml"));
    check_objects(&set.objects, &Profiles::parse(profiles).unwrap())
}

/// (line, column) of every finding of `code`.
fn found(yaml: &str, profiles: &str, code: &str) -> Vec<(u32, u32)> {
    run(yaml, profiles)
        .into_iter()
        .filter(|d| d.code == code)
        .map(|d| {
            assert_eq!(d.location.file.as_deref(), Some("fleet.yaml"));
            assert!(d.hint.is_some(), "{d} has no hint");
            let rule = rules().iter().find(|r| r.code == code).unwrap();
            assert_eq!(d.severity, rule.severity);
            (d.location.line, d.location.column)
        })
        .collect()
}

const KS_HEAD: &str = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: NAME\n  namespace: flux-system\nspec:\n  interval: 10m\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n";

fn ks(name: &str, extra: &str) -> String {
    format!("{}{extra}", KS_HEAD.replace("NAME", name))
}

const HR_HEAD: &str = "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: web\n      version: VERSION\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n";

fn hr(version: &str, extra: &str) -> String {
    format!("{}{extra}", HR_HEAD.replace("VERSION", version))
}

/// A HelmRelease that follows every convention.
const HR_GOOD: &str = "  install:\n    createNamespace: false\n    remediation:\n      retries: 3\n      remediateLastFailure: true\n  upgrade:\n    cleanupOnFail: true\n    remediation:\n      retries: 3\n      remediateLastFailure: false\n  values:\n    existingSecret: web-auth\n    passwordKey: admin-password\n    auth:\n      password: ${web_password}\n      token: \"\"\n";

#[test]
fn wait_ignores_health_checks() {
    let code = "plan.wait_ignores_health_checks";
    let checks =
        "  healthChecks:\n    - kind: Deployment\n      name: web\n      namespace: apps\n";
    let y = ks("apps", &format!("  prune: true\n  wait: true\n{checks}"));
    assert_eq!(found(&y, "flux", code), [(13, 3)]);
    // Not in the conventions profile alone.
    assert!(found(&y, "conventions", code).is_empty());
    // wait: false (or absent) uses the list.
    let y = ks("apps", &format!("  prune: true\n  wait: false\n{checks}"));
    assert!(found(&y, "flux", code).is_empty());
    let y = ks("apps", "  prune: true\n  wait: true\n  healthChecks: []\n");
    assert!(found(&y, "flux", code).is_empty());
}

#[test]
fn implicit_remediate_last_failure() {
    let code = "plan.implicit_remediate_last_failure";
    let y = hr(
        "1.0.0",
        "  install:\n    remediation:\n      retries: 3\n  upgrade:\n    remediation:\n      retries: 2\n      strategy: uninstall\n",
    );
    assert_eq!(found(&y, "flux", code), [(17, 7), (20, 7)]);
    let msgs: Vec<String> = run(&y, "flux")
        .into_iter()
        .filter(|d| d.code == code)
        .map(|d| d.message)
        .collect();
    assert!(msgs[0].contains("means false"), "{}", msgs[0]);
    assert!(
        msgs[1].contains("means true") && msgs[1].contains("uninstall"),
        "{}",
        msgs[1]
    );
    // Explicit, zero or unlimited (negative) retries: nothing implicit to report.
    let y = hr(
        "1.0.0",
        "  install:\n    remediation:\n      retries: 3\n      remediateLastFailure: false\n  upgrade:\n    remediation:\n      retries: 0\n",
    );
    assert!(found(&y, "flux", code).is_empty());
    let y = hr("1.0.0", "  upgrade:\n    remediation:\n      retries: -1\n");
    assert!(found(&y, "flux", code).is_empty());
}

#[test]
fn create_namespace_ignored() {
    let code = "plan.create_namespace_ignored";
    let y = hr("1.0.0", "  install:\n    createNamespace: true\n");
    assert_eq!(found(&y, "flux", code), [(16, 5)]);
    let y = hr(
        "1.0.0",
        "  targetNamespace: web\n  install:\n    createNamespace: true\n",
    );
    assert!(found(&y, "flux", code).is_empty());
    let y = hr("1.0.0", "  install:\n    createNamespace: false\n");
    assert!(found(&y, "flux", code).is_empty());
}

#[test]
fn native_kustomize_fields() {
    let code = "plan.native_kustomize_fields";
    let y = ks(
        "apps",
        "  prune: true\n  resources:\n    - deploy.yaml\n  patchesStrategicMerge:\n    - p.yaml\n  images:\n    - name: web\n      newTag: \"2\"\n",
    );
    // `images` is a Flux field inside spec; the other two are not.
    assert_eq!(found(&y, "flux", code), [(12, 3), (14, 3)]);
    let y = format!(
        "{}configMapGenerator:\n  - name: x\n",
        ks("apps", "  prune: true\n")
    );
    assert_eq!(found(&y, "flux", code), [(12, 1)]);
    // A kustomize configuration (kustomize.config.k8s.io) is not a Flux Kustomization.
    let y = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nmetadata:\n  name: x\nresources:\n  - a.yaml\n";
    assert!(found(y, "flux", code).is_empty());
    let y = ks(
        "apps",
        "  prune: true\n  path: ./apps\n  patches:\n    - path: p.yaml\n",
    );
    assert!(found(&y, "flux", code).is_empty());
}

#[test]
fn kustomize_file_as_flux_object() {
    let code = "plan.kustomize_file_as_flux_object";
    let dir = std::env::temp_dir().join(format!("fluxcd-core-lint-kfile-{}", std::process::id()));
    let apps = dir.join("apps");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::write(
        apps.join("kustomization.yaml"),
        ks("apps", "  prune: true\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - apps.yaml\n",
    )
    .unwrap();
    std::fs::write(dir.join("apps.yaml"), ks("apps", "  prune: true\n")).unwrap();
    let set = load_path(&dir, &LoadOptions::default());
    std::fs::remove_dir_all(&dir).unwrap();
    let set = set.unwrap();
    let d: Vec<_> = check_set(&set, &Profiles::default())
        .into_iter()
        .filter(|d| d.code == code)
        .collect();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(
        d[0].location.file.as_deref(),
        Some("apps/kustomization.yaml")
    );
    assert_eq!(d[0].location.line, 1);
    assert!(d[0].message.contains("kustomize.toolkit.fluxcd.io/v1"));
    assert!(check_set(&set, &Profiles::parse("conventions").unwrap())
        .iter()
        .all(|d| d.code != code));
}

#[test]
fn chart_version_unpinned() {
    let code = "conventions.chart_version_unpinned";
    for v in ["\"*\"", "\">=1.0.0 <2.0.0\"", "^1.2.0", "1.2.x", "\"1.2\""] {
        assert_eq!(
            found(&hr(v, HR_GOOD), "conventions", code),
            [(11, 7)],
            "{v}"
        );
        assert!(found(&hr(v, HR_GOOD), "flux", code).is_empty());
    }
    for v in ["1.2.3", "v1.2.3-rc.1", "${web_version}"] {
        assert!(
            found(&hr(v, HR_GOOD), "conventions", code).is_empty(),
            "{v}"
        );
    }
    // No version at all: reported at chart.spec.
    let y = hr("1.0.0", HR_GOOD).replace("      version: 1.0.0\n", "");
    assert_eq!(found(&y, "conventions", code), [(9, 5)]);
    // HelmChart objects too.
    let chart = "apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmChart\nmetadata:\n  name: web\nspec:\n  interval: 10m\n  chart: web\n  version: \"~1.4\"\n  sourceRef:\n    kind: HelmRepository\n    name: charts\n";
    assert_eq!(found(chart, "conventions", code), [(8, 3)]);
    assert!(found(&chart.replace("\"~1.4\"", "1.4.2"), "conventions", code).is_empty());
}

#[test]
fn conventions_on_a_bare_helm_release() {
    let y = hr("1.0.0", "");
    assert_eq!(
        found(&y, "conventions", "conventions.create_namespace"),
        [(6, 1)]
    );
    assert_eq!(
        found(&y, "conventions", "conventions.remediation_retries"),
        [(6, 1), (6, 1)]
    );
    assert_eq!(
        found(&y, "conventions", "conventions.cleanup_on_fail"),
        [(6, 1)]
    );
    // With parts present, the location is the deepest present field.
    let y = hr(
        "1.0.0",
        "  install:\n    createNamespace: true\n    remediation:\n      retries: 2\n  upgrade:\n    cleanupOnFail: false\n",
    );
    assert_eq!(
        found(&y, "conventions", "conventions.create_namespace"),
        [(16, 5)]
    );
    assert_eq!(
        found(&y, "conventions", "conventions.remediation_retries"),
        [(19, 3)]
    );
    assert_eq!(
        found(&y, "conventions", "conventions.cleanup_on_fail"),
        [(20, 5)]
    );
    // The good release is silent in both profiles.
    assert!(run(&hr("1.0.0", HR_GOOD), "flux,conventions").is_empty());
}

#[test]
fn secret_literal() {
    let code = "conventions.secret_literal";
    let y = hr(
        "1.0.0",
        &format!("{HR_GOOD}    admin:\n      adminPassword: s3cr3t-value\n    env:\n      - name: X\n        apiKey: abc123\n    \"odd.key\":\n      client_secret: zzz\n"),
    );
    assert_eq!(found(&y, "conventions", code), [(32, 7), (35, 9), (37, 7)]);
    let ds = run(&y, "conventions");
    let paths: Vec<&str> = ds
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.location.path.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "spec.values.admin.adminPassword",
            "spec.values.env[0].apiKey",
            "spec.values[\"odd.key\"].client_secret"
        ]
    );
    for d in &ds {
        for secret in ["s3cr3t-value", "abc123", "zzz"] {
            assert!(!d.message.contains(secret), "{d}");
            assert!(!d.to_string().contains(secret), "{d}");
        }
    }
    // References, variables, empty strings and non-strings are fine.
    assert!(found(&hr("1.0.0", HR_GOOD), "conventions", code).is_empty());
    let y = hr(
        "1.0.0",
        &format!("{HR_GOOD}    tls:\n      secretName: web-tls\n    token: 42\n    githubConfigSecret: runner-secret\n    podAnnotations:\n      secret.reloader.stakater.com/reload: web-auth\n    slack:\n      existingSecret: slack-app\n      clientSecretKey: client_secret\n    botTokenEnv: SLACK_BOT_TOKEN\n"),
    );
    assert!(found(&y, "conventions", code).is_empty());
}

#[test]
fn health_checks() {
    let code = "conventions.health_checks";
    for (name, extra) in [
        ("infrastructure", ""),
        ("platform", "  path: ./clusters/prod/controllers\n"),
        ("cert-manager-crds", ""),
    ] {
        let y = ks(
            name,
            &format!("  prune: false\n  retryInterval: 1m\n{extra}"),
        );
        assert_eq!(found(&y, "conventions", code), [(6, 1)], "{name}");
        assert!(found(&y, "flux", code).is_empty());
    }
    let y = ks("infra", "  prune: true\n  wait: true\n");
    assert!(found(&y, "conventions", code).is_empty());
    let y = ks("infra", "  prune: true\n  healthChecks:\n    - kind: Deployment\n      name: x\n      namespace: y\n");
    assert!(found(&y, "conventions", code).is_empty());
    let y = ks("apps", "  prune: true\n  path: ./apps\n");
    assert!(found(&y, "conventions", code).is_empty());
}

#[test]
fn retry_interval() {
    let code = "conventions.retry_interval";
    for interval in ["1h", "90m", "2h30m", "3600s"] {
        let y = ks("apps", "  prune: true\n")
            .replace("interval: 10m", &format!("interval: {interval}"));
        assert_eq!(found(&y, "conventions", code), [(7, 3)], "{interval}");
    }
    let y = ks("apps", "  prune: true\n").replace("interval: 10m", "interval: 59m59s");
    assert!(found(&y, "conventions", code).is_empty());
    let y =
        ks("apps", "  prune: true\n  retryInterval: 2m\n").replace("interval: 10m", "interval: 1h");
    assert!(found(&y, "conventions", code).is_empty());
}

#[test]
fn crd_prune() {
    let code = "conventions.crd_prune";
    let y = ks("cert-manager-crds", "  prune: true\n  wait: true\n");
    assert_eq!(found(&y, "conventions", code), [(11, 3)]);
    let y = ks(
        "istio",
        "  prune: true\n  wait: true\n  path: ./infra/istio/CRDs\n",
    );
    assert_eq!(found(&y, "conventions", code), [(11, 3)]);
    let y = ks("cert-manager-crds", "  prune: false\n  wait: true\n");
    assert!(found(&y, "conventions", code).is_empty());
    let y = ks("apps", "  prune: true\n");
    assert!(found(&y, "conventions", code).is_empty());
}

#[test]
fn broken_and_untyped_objects_do_not_panic() {
    // Schema errors leave the object untyped: typed rules skip it, the raw rule still runs.
    let y = "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: x\nspec:\n  wait: true\n  resources: [a.yaml]\n---\napiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata:\n  name: old\nspec:\n  install:\n    createNamespace: true\n---\n- just\n- a list\n";
    let d = run(y, "flux,conventions");
    let codes: Vec<&str> = d.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["plan.native_kustomize_fields"]);
}

#[test]
fn every_rule_is_documented_and_registered() {
    let registry: Vec<&str> = fluxcd_core::codes::all().iter().map(|c| c.code).collect();
    for r in rules() {
        assert!(registry.contains(&r.code), "{} not in codes.rs", r.code);
    }
    assert!(rules().iter().any(|r| r.profile == Profile::Flux));
    assert!(rules().iter().any(|r| r.profile == Profile::Conventions));
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/lint-rules.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == fluxcd_core::lint::markdown(),
        "docs/lint-rules.md is stale: run `cargo run -q -p xtask -- lint-rules`"
    );
}

#[test]
fn corpus_findings_are_located_and_print_no_secret() {
    let Some(corpus) = common::shared("corpus") else {
        return;
    };
    let mut repos: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    repos.sort();
    let mut total = 0;
    for repo in &repos {
        let set = load_path(repo, &LoadOptions::default()).unwrap();
        let found = check_set(&set, &Profiles::all());
        let mut by_code = std::collections::BTreeMap::<&str, usize>::new();
        for d in &found {
            *by_code.entry(d.code.as_str()).or_default() += 1;
            let file = d.location.file.as_deref().expect("located in a file");
            assert!(d.location.line > 0 && d.location.column > 0, "{d}");
            assert!(d.hint.is_some(), "{d}");
            if d.code == "conventions.secret_literal" {
                // The message names the path, never the value.
                let m = set
                    .objects
                    .iter()
                    .find(|m| {
                        m.location.file.as_deref() == Some(file)
                            && m.location.document == d.location.document
                    })
                    .unwrap();
                let path = d.location.path.replacen("spec.values", "", 1);
                let pointer = fluxcd_core::yaml::parse_path(&path)
                    .iter()
                    .map(|seg| match seg {
                        fluxcd_core::yaml::PathSeg::Key(k) => {
                            format!("/{}", k.replace('~', "~0").replace('/', "~1"))
                        }
                        fluxcd_core::yaml::PathSeg::Index(i) => format!("/{i}"),
                    })
                    .collect::<String>();
                let value = m
                    .value
                    .pointer(&format!("/spec/values{pointer}"))
                    .and_then(|v| v.as_str())
                    .unwrap();
                let shown = d
                    .to_string()
                    .replace(m.name(), "")
                    .replace(&d.location.path, "");
                assert!(!shown.contains(value), "{d}");
            }
        }
        if std::env::var_os("LINT_SHOW").is_some() {
            // LINT_SHOW=1 prints every finding (to judge plausibility by eye).
            for d in &found {
                eprintln!("  {d}");
            }
        }
        total += found.len();
        eprintln!(
            "{}: lint {:?}",
            repo.file_name().unwrap().to_string_lossy(),
            by_code
        );
    }
    assert!(
        total > 0,
        "the conventions profile finds nothing in four real fleets"
    );
}

#[test]
fn image_update_direct_push() {
    let code = "conventions.image_update_direct_push";
    let iua = |path: &str, push: &str| {
        format!("apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 30m\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  git:\n    commit:\n      author:\n        name: bot\n        email: bot@example.com\n{push}  update:\n    path: {path}\n    strategy: Setters\n")
    };
    assert_eq!(
        found(&iua("./clusters/production", ""), "conventions", code),
        [(11, 3)]
    );
    assert_eq!(
        found(&iua("./apps/prd/web", ""), "conventions", code).len(),
        1
    );
    assert!(found(&iua("./clusters/production", ""), "flux", code).is_empty());
    assert!(found(&iua("./clusters/staging", ""), "conventions", code).is_empty());
    assert!(found(&iua("./products", ""), "conventions", code).is_empty());
    let push = "    push:\n      branch: image-updates\n";
    assert!(found(&iua("./clusters/production", push), "conventions", code).is_empty());
}

//! The example fleet (`examples/fleet`, the README's main job): an SRE platform whose
//! Kustomizations form one dependsOn chain and whose few mistakes are deliberate, each
//! marked `# deliberate mistake: <code> — <why>`. These tests keep the fleet, its
//! comments, the README table and the tools' answers in agreement.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use fluxcd_core::Severity;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fluxcd-core"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fleet() -> PathBuf {
    root().join("examples/fleet")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(out), stderr(out)))
}

/// The chain the fleet models, in the order Flux applies it.
const CHAIN: [&str; 12] = [
    "sre-core",
    "sre-istio",
    "sre-cert-manager",
    "sre-kyverno",
    "sre-monitoring",
    "sre-logging",
    "sre-openbao",
    "sre-harbor",
    "sre-neuvector",
    "sre-keycloak",
    "sre-tempo",
    "sre-velero",
];

/// Codes the fleet must demonstrate (issue 7, item 5).
const REQUIRED_MISTAKES: [&str; 7] = [
    "plan.wait_ignores_health_checks",
    "plan.create_namespace_ignored",
    "values.target_path_overridden",
    "plan.implicit_remediate_last_failure",
    "conventions.chart_version_unpinned",
    "conventions.secret_literal",
    "release.shortened",
];

/// Every YAML file of the fleet, relative path first.
fn fleet_files() -> Vec<(String, String)> {
    fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, base, out);
            } else if p.extension().is_some_and(|e| e == "yaml" || e == "yml") {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(&fleet(), &fleet(), &mut out);
    out
}

/// (code, file, 1-based line) of every `# deliberate mistake: CODE — why` comment.
fn deliberate_mistakes() -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    for (file, text) in fleet_files() {
        for (i, line) in text.lines().enumerate() {
            let Some(rest) = line.trim_start().strip_prefix("# deliberate mistake: ") else {
                continue;
            };
            let (code, why) = rest
                .split_once(" — ")
                .unwrap_or_else(|| panic!("{file}:{}: no ` — why` after the code", i + 1));
            assert!(!why.trim().is_empty(), "{file}:{}: empty reason", i + 1);
            out.push((code.to_string(), file.clone(), i + 1));
        }
    }
    out
}

fn deliberate_codes() -> BTreeSet<String> {
    deliberate_mistakes()
        .into_iter()
        .map(|(c, _, _)| c)
        .collect()
}

#[test]
fn the_deliberate_mistakes_cover_the_required_rules_and_match_the_readme() {
    let codes = deliberate_codes();
    for code in REQUIRED_MISTAKES {
        assert!(codes.contains(code), "no deliberate mistake for {code}");
    }
    // Registered codes among them must not be errors: the main job has to exit 0.
    for info in fluxcd_core::codes::all() {
        if codes.contains(info.code) {
            assert_ne!(info.severity, Severity::Error, "{}", info.code);
        }
    }
    // The README's table lists exactly the codes the fleet's comments name.
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme
        .split("## The example fleet")
        .nth(1)
        .expect("README has an `## The example fleet` section");
    let section = section.split("\n## ").next().unwrap();
    let in_table: BTreeSet<String> = section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .filter_map(|l| l.split('`').nth(1))
        .filter(|c| c.contains('.'))
        .map(str::to_string)
        .collect();
    assert_eq!(in_table, codes);
}

#[test]
fn the_main_job_exits_0_and_reports_only_the_deliberate_mistakes() {
    let out = bin()
        .args(["plan", "--output", "json"])
        .arg(fleet())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let objects = v["objects"].as_array().unwrap();
    let count = |kind: &str| objects.iter().filter(|o| o["kind"] == kind).count();
    assert_eq!(count("Kustomization"), 13); // the root + the 12 of the chain
    assert_eq!(count("HelmRelease"), 13);
    assert_eq!(count("GitRepository"), 1);
    assert_eq!(count("OCIRepository"), 1);
    let git = objects
        .iter()
        .find(|o| o["kind"] == "GitRepository")
        .unwrap();
    assert_eq!(git["name"], "sre-platform");
    assert_eq!(
        git["file"],
        "clusters/production/flux-system/gotk-sync.yaml"
    );
    let codes = deliberate_codes();
    let diagnostics = v["diagnostics"].as_array().unwrap();
    for d in diagnostics {
        assert_ne!(d["severity"], "error", "{d}");
        let code = d["code"].as_str().unwrap();
        assert!(codes.contains(code), "unintended finding: {d}");
    }
    // Once the whole-repo plan runs the lint rules (it then lists the Kustomizations it
    // expanded), every deliberate mistake with a registered rule must be reported.
    if v.get("kustomizations").is_some() {
        let registered: BTreeSet<&str> = fluxcd_core::codes::all().iter().map(|c| c.code).collect();
        for code in codes.iter().filter(|c| registered.contains(c.as_str())) {
            assert!(
                diagnostics.iter().any(|d| d["code"] == code.as_str()),
                "plan does not report the deliberate {code}"
            );
        }
    }
}

#[test]
fn order_and_graph_follow_the_chain() {
    let dir = fleet().join("clusters/production/sre");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort(); // alphabetical, so the order below comes from dependsOn alone
    let out = bin()
        .args(["order", "--output", "json"])
        .args(&files)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expected: Vec<String> = CHAIN.iter().map(|n| format!("flux-system/{n}")).collect();
    assert_eq!(json(&out), serde_json::json!(expected));

    let out = bin()
        .args(["graph", "--format", "json"])
        .arg(fleet())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let graphs = v["graphs"].as_array().unwrap();
    let ks = graphs
        .iter()
        .find(|g| g["kind"] == "Kustomization")
        .unwrap();
    assert_eq!(ks["waves"].as_array().unwrap().len(), 12);
    assert_eq!(ks["criticalPathLength"], 12);
    let hr = graphs.iter().find(|g| g["kind"] == "HelmRelease").unwrap();
    assert_eq!(hr["waves"].as_array().unwrap().len(), 2); // istio-base -> istiod, loki -> alloy
}

#[test]
fn postbuild_variables_are_all_defined() {
    let out = bin()
        .args(["lint", "--output", "json"])
        .arg(fleet())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    assert_eq!(v["kustomizations"], 12);
    assert!(v["placeholders"].as_u64().unwrap() >= 30, "{v}");
    let codes = deliberate_codes();
    for d in v["diagnostics"].as_array().unwrap() {
        assert!(
            codes.contains(d["code"].as_str().unwrap()),
            "unintended: {d}"
        );
    }
}

#[test]
fn harbor_external_url_is_the_target_path_trap() {
    let hr = fleet().join("platform/harbor/release.yaml");
    let values = fleet().join("platform/harbor/values.yaml");
    let out = bin()
        .args(["values", "--explain", "--output", "json"])
        .arg(&hr)
        .arg("--resources")
        .arg(&values)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        !text.contains("example-harbor-admin-not-real"),
        "a Secret value is printed"
    );
    let v = json(&out);
    let diags = v["diagnostics"].as_array().unwrap();
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["values.target_path_overridden"], "{v}");
    assert!(diags[0]["message"]
        .as_str()
        .unwrap()
        .contains("externalURL"));
    // The composed values keep the inline URL, not the ConfigMap's.
    let out = bin()
        .args(["values", "--output", "json"])
        .arg(&hr)
        .arg("--resources")
        .arg(&values)
        .output()
        .unwrap();
    assert_eq!(
        json(&out)["externalURL"],
        "https://registry.${cluster_domain}"
    );
    // The comment sits on the inline value that wins.
    let (_, file, line) = deliberate_mistakes()
        .into_iter()
        .find(|(c, _, _)| c == "values.target_path_overridden")
        .unwrap();
    assert_eq!(file, "platform/harbor/release.yaml");
    let text = std::fs::read_to_string(&hr).unwrap();
    assert!(text
        .lines()
        .skip(line)
        .find(|l| !l.trim_start().starts_with('#'))
        .unwrap()
        .trim_start()
        .starts_with("externalURL:"));
}

#[test]
fn every_other_release_composes_without_findings() {
    for (file, resources) in [
        ("platform/istio/istio-base.yaml", None),
        ("platform/istio/istiod.yaml", None),
        ("platform/cert-manager/release.yaml", None),
        ("platform/kyverno/release.yaml", None),
        (
            "platform/monitoring/release.yaml",
            Some("platform/monitoring/values.yaml"),
        ),
        ("platform/logging/loki.yaml", None),
        ("platform/logging/alloy.yaml", None),
        ("platform/openbao/release.yaml", None),
        ("platform/neuvector/release.yaml", None),
        (
            "platform/keycloak/release.yaml",
            Some("platform/keycloak/values.yaml"),
        ),
        ("platform/tempo/release.yaml", None),
        (
            "platform/velero/release.yaml",
            Some("platform/velero/credentials.yaml"),
        ),
    ] {
        let mut cmd = bin();
        cmd.args(["values", "--explain", "--output", "json"])
            .arg(fleet().join(file));
        if let Some(r) = resources {
            cmd.arg("--resources").arg(fleet().join(r));
        }
        let out = cmd.output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr(&out));
        assert_eq!(json(&out)["diagnostics"], serde_json::json!([]), "{file}");
    }
}

#[test]
fn the_neuvector_release_name_is_shortened() {
    let hr = fleet().join("platform/neuvector/release.yaml");
    let out = bin()
        .args(["release-name", "--output", "json"])
        .arg(&hr)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v = json(&out);
    let composed = "cattle-neuvector-system-neuvector-core-runtime-scanner";
    assert_eq!(composed.len(), 54);
    let name = v["releaseName"].as_str().unwrap();
    assert_eq!(name.len(), 53);
    assert!(name.starts_with(&composed[..40]), "{name}");
    assert_eq!(v["releaseNamespace"], "cattle-neuvector-system");
    assert_eq!(v["storageNamespace"], "flux-system");

    // The fleet-wide check names it (and only it), as information.
    let set = fluxcd_core::manifest::load_path(&fleet(), &Default::default()).unwrap();
    let found: Vec<_> = fluxcd_core::release::check(&set)
        .into_iter()
        .map(|d| (d.code.to_string(), d.severity, d.location.file.clone()))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "release.shortened");
    assert_eq!(found[0].1, Severity::Info);
    assert!(found[0]
        .2
        .as_deref()
        .is_some_and(|f| f.ends_with("platform/neuvector/release.yaml")));
}

#[test]
fn every_file_validates() {
    let out = bin().arg("validate").arg(fleet()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).ends_with(": 0 error(s), 0 warning(s), 0 info\n"));
}

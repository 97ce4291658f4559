//! Conformance of `fluxcd_core::release` with the Go code helm-controller
//! v1.6.3 runs: the vectors in `conformance/release` (see its README), computed
//! by `conformance/oracle-release` with helm-controller's `api/v2` getters, its
//! `internal/release.ShortenName` and Helm v4's `ValidateReleaseName`.

mod common;

use std::path::PathBuf;

use fluxcd_core::api::FluxObject;
use fluxcd_core::release::{
    compose_name, is_valid_release_name, resolve, shorten_name, shorten_name_bytes,
};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
struct File {
    meta: Meta,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Meta {
    helm_controller_version: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Hr {
    name: String,
    namespace: String,
    #[serde(default)]
    release_name: Option<String>,
    #[serde(default)]
    target_namespace: Option<String>,
    #[serde(default)]
    storage_namespace: Option<String>,
    #[serde(default)]
    chart_source_namespace: Option<String>,
    #[serde(default)]
    chart_ref: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Expect {
    #[serde(default)]
    composed: String,
    short: Option<String>,
    short_hex: String,
    helm_error: String,
    #[serde(default)]
    release_namespace: String,
    #[serde(default)]
    storage_namespace: String,
    #[serde(default)]
    helm_chart: Option<String>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    #[serde(default)]
    shorten: Option<String>,
    #[serde(default)]
    hr: Option<Hr>,
    expect: Expect,
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn to_doc(h: &Hr) -> serde_json::Value {
    let mut spec = serde_json::Map::new();
    spec.insert("interval".into(), json!("10m"));
    for (k, v) in [
        ("releaseName", &h.release_name),
        ("targetNamespace", &h.target_namespace),
        ("storageNamespace", &h.storage_namespace),
    ] {
        if let Some(v) = v {
            spec.insert(k.into(), json!(v));
        }
    }
    if h.chart_ref {
        spec.insert(
            "chartRef".into(),
            json!({"kind": "OCIRepository", "name": "chart"}),
        );
    } else {
        let mut source = json!({"kind": "HelmRepository", "name": "repo"});
        if let Some(ns) = &h.chart_source_namespace {
            source["namespace"] = json!(ns);
        }
        spec.insert(
            "chart".into(),
            json!({"spec": {"chart": "chart", "sourceRef": source}}),
        );
    }
    json!({
        "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
        "metadata": {"name": h.name, "namespace": h.namespace},
        "spec": spec,
    })
}

/// Checks one case; returns a description of the first difference.
fn check(c: &Case) -> Result<(), String> {
    let e = &c.expect;
    let composed = match (&c.shorten, &c.hr) {
        (Some(s), _) => s.clone(),
        (None, Some(h)) => compose_name(
            &h.name,
            h.target_namespace.as_deref(),
            h.release_name.as_deref(),
        ),
        _ => return Err("case has neither shorten nor hr".into()),
    };
    if c.hr.is_some() && composed != e.composed {
        return Err(format!("composed {composed:?}, Go {:?}", e.composed));
    }
    let bytes = hex(&shorten_name_bytes(composed.as_bytes()));
    if bytes != e.short_hex {
        return Err(format!("shortened bytes {bytes}, Go {}", e.short_hex));
    }
    match (&e.short, shorten_name(&composed)) {
        (Some(go), Ok(ours)) if *go == ours => {}
        (None, Err(err)) if err.code() == "release.split_character" => {}
        (go, ours) => return Err(format!("shorten_name {ours:?}, Go {go:?}")),
    }
    let Some(h) = &c.hr else {
        let ours = e.short.as_deref().is_some_and(is_valid_release_name);
        if ours != e.helm_error.is_empty() {
            return Err(format!("valid={ours}, Helm says {:?}", e.helm_error));
        }
        return Ok(());
    };
    let Some(FluxObject::HelmRelease(hr)) =
        FluxObject::from_value(&to_doc(h)).map_err(|e| e.to_string())?
    else {
        return Err("not typed as a HelmRelease".into());
    };
    match resolve(&hr, "default") {
        Ok(info) => {
            if !e.helm_error.is_empty() {
                return Err(format!("accepted, Helm says {:?}", e.helm_error));
            }
            let got = (
                Some(info.release_name.clone()),
                info.release_namespace.as_str(),
                info.storage_namespace.as_str(),
                info.helm_chart.as_ref().map(|c| c.to_string()),
            );
            let want = (
                e.short.clone(),
                e.release_namespace.as_str(),
                e.storage_namespace.as_str(),
                e.helm_chart.clone(),
            );
            if got != want {
                return Err(format!("got {got:?}, Go {want:?}"));
            }
            if info.shortened != (info.release_name != info.composed_name) {
                return Err("shortened flag wrong".into());
            }
        }
        Err(err) => {
            if e.helm_error.is_empty() {
                return Err(format!("rejected ({err}), Helm accepts"));
            }
            let want = if e.short.is_none() {
                "release.split_character"
            } else {
                "release.invalid_name"
            };
            if err.code() != want {
                return Err(format!("error code {}, expected {want}", err.code()));
            }
            // Helm's own wording follows "invalid release name".
            let tail = e.helm_error.trim_start_matches("invalid release name, ");
            if want == "release.invalid_name" && !err.to_string().contains(tail) {
                return Err(format!("message {err:?} lacks Helm's {tail:?}"));
            }
        }
    }
    Ok(())
}

fn run(file: &str, min_cases: usize) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../conformance/release")
        .join(file);
    let f: File = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(
        f.meta.helm_controller_version,
        fluxcd_core::release::HELM_CONTROLLER_VERSION
    );
    assert!(
        f.cases.len() >= min_cases,
        "{file}: only {} cases",
        f.cases.len()
    );
    let failures: Vec<String> = f
        .cases
        .iter()
        .filter_map(|c| check(c).err().map(|e| format!("{}: {e}", c.name)))
        .collect();
    common::report(
        &format!("release/{file}"),
        f.cases.len() - failures.len(),
        0,
        0,
    );
    assert!(
        failures.is_empty(),
        "{file}: {} of {} cases differ:\n{}",
        failures.len(),
        f.cases.len(),
        failures.join("\n")
    );
}

#[test]
fn upstream_cases() {
    run("upstream.json", 15);
}

#[test]
fn generated_cases() {
    run("generated.json", 150);
}

#[test]
fn the_checker_catches_a_wrong_answer() {
    // A vector with a wrong hash must fail: the comparison is not vacuous.
    let c: Case = serde_json::from_value(json!({
        "name": "tampered", "shorten": "release-name-with-very-long-name-which-is-longer-than-53-characters",
        "expect": {"short": "release-name-with-very-long-name-which-i-000000000000",
                   "shortHex": "00", "helmError": ""}
    }))
    .unwrap();
    assert!(check(&c).unwrap_err().starts_with("shortened bytes"));
}

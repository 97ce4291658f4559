//! Conformance of `fluxcd_core::semver` with Masterminds/semver v3.5.0 (the version
//! Flux 2.9 pins): the vectors in `conformance/semver`, computed by
//! `conformance/oracle-semver` (see its README). A case is one check: a version's
//! parts or its error text, a comparison, or a constraint's error text / `String()`
//! and its `Check` answer for every listed version.

mod common;

use std::path::PathBuf;

use fluxcd_core::semver::{Constraints, Version};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct File {
    meta: Value,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    constraint: Option<String>,
    #[serde(default)]
    versions: Vec<String>,
    #[serde(default)]
    compare: Vec<String>,
    expect: Value,
}

fn parsed(v: &Version) -> Value {
    json!({
        "string": v.to_string(),
        "major": v.major().to_string(),
        "minor": v.minor().to_string(),
        "patch": v.patch().to_string(),
        "prerelease": v.prerelease(),
        "metadata": v.metadata(),
        "original": v.original(),
    })
}

fn check(c: &Case) -> Result<(), String> {
    let e = &c.expect;
    let want_err = e["error"].as_str().unwrap_or("");
    let got_err: String;
    if let Some(s) = &c.version {
        match Version::parse(s) {
            Ok(v) => {
                if !want_err.is_empty() {
                    return Err(format!("accepted as {v}, Go: {want_err}"));
                }
                if parsed(&v) != e["version"] {
                    return Err(format!("got {}, Go {}", parsed(&v), e["version"]));
                }
                return Ok(());
            }
            Err(err) => got_err = err.to_string(),
        }
    } else if let Some(s) = &c.constraint {
        match Constraints::parse(s) {
            Ok(cs) => {
                if !want_err.is_empty() {
                    return Err(format!("accepted, Go: {want_err}"));
                }
                if cs.to_string() != e["constraint"].as_str().unwrap_or("") {
                    return Err(format!(
                        "String() {:?}, Go {}",
                        cs.to_string(),
                        e["constraint"]
                    ));
                }
                let got: Vec<Value> = c
                    .versions
                    .iter()
                    .map(|v| Version::parse(v).map_or(Value::Null, |v| json!(cs.check(&v))))
                    .collect();
                if json!(got) != e["check"] {
                    return Err(format!(
                        "check {:?} on {:?}, Go {}",
                        got, c.versions, e["check"]
                    ));
                }
                return Ok(());
            }
            Err(err) => got_err = err.to_string(),
        }
    } else {
        let (a, b) = (Version::parse(&c.compare[0]), Version::parse(&c.compare[1]));
        match (a, b) {
            (Ok(a), Ok(b)) => {
                let got = a.compare(&b) as i8;
                if json!(got) != e["compare"] || !want_err.is_empty() {
                    return Err(format!("compare {got}, Go {} {want_err}", e["compare"]));
                }
                return Ok(());
            }
            (Err(err), _) | (_, Err(err)) => got_err = err.to_string(),
        }
    }
    if got_err != want_err {
        return Err(format!("error {got_err:?}, Go {want_err:?}"));
    }
    Ok(())
}

fn run(file: &str, min_cases: usize) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../conformance/semver")
        .join(file);
    let f: File = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(f.meta["masterminds_semver_version"], "v3.5.0");
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
        &format!("semver/{file}"),
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
    run("upstream.json", 300);
}

#[test]
fn generated_cases() {
    run("generated.json", 500);
}

#[test]
fn the_checker_catches_a_wrong_answer() {
    let c: Case = serde_json::from_value(json!({
        "name": "tampered", "constraint": "^1.2", "versions": ["1.9.0", "2.0.0"],
        "expect": {"error": "", "constraint": "^1.2", "check": [true, true]}
    }))
    .unwrap();
    assert!(check(&c).unwrap_err().starts_with("check"));
}

//! Conformance of `fluxcd_core::image::policy` with image-reflector-controller
//! v1.2.0's `internal/policy`: the vectors in `conformance/image`, computed by
//! `conformance/oracle-image` (see its README). One case = one tag list: the selected
//! tag (one of `possible` when upstream's map order makes it vary) or the error text
//! (for a bad pattern, the text up to Go's own regexp parser message), the filter's
//! candidates (sorted) and dropped tags.

mod common;

use std::path::PathBuf;

use fluxcd_core::image::policy::select;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct File {
    meta: Value,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    name: String,
    policy: Value,
    #[serde(default)]
    filter_tags: Option<Value>,
    tags: Vec<String>,
    expect: Expect,
}

#[derive(Deserialize)]
struct Expect {
    tag: String,
    error: String,
    candidates: Option<Vec<String>>,
    dropped: Option<Vec<String>>,
    #[serde(default)]
    possible: Vec<String>,
}

const PATTERN_ERROR: &str = "failed to filter tags: invalid regular expression pattern '";

fn check(c: &Case) -> Result<(), String> {
    let mut spec = json!({"policy": c.policy});
    if let Some(f) = &c.filter_tags {
        spec["filterTags"] = f.clone();
    }
    let e = &c.expect;
    match select(&json!({ "spec": spec }), &c.tags) {
        Err(err) => {
            let got = err.to_string();
            if e.error.is_empty() {
                return Err(format!("error {got:?}, Go selects {:?}", e.tag));
            }
            if e.error.starts_with(PATTERN_ERROR) {
                // Go's regexp parser wording is not reproduced: compare up to it.
                let cut = e.error.find("': error parsing regexp: ").map(|i| i + 25);
                let prefix = &e.error[..cut.unwrap_or(e.error.len())];
                if !got.starts_with(prefix) {
                    return Err(format!("error {got:?}, Go {:?}", e.error));
                }
            } else if got != e.error {
                return Err(format!("error {got:?}, Go {:?}", e.error));
            }
            Ok(())
        }
        Ok(s) => {
            if !e.error.is_empty() {
                return Err(format!("selects {:?}, Go: {}", s.tag, e.error));
            }
            let ok_tag = if e.possible.is_empty() {
                s.tag == e.tag
            } else {
                e.possible.contains(&s.tag)
            };
            if !ok_tag {
                return Err(format!(
                    "selects {:?}, Go {:?} {:?}",
                    s.tag, e.tag, e.possible
                ));
            }
            let mut cands = s.candidates.clone();
            if c.filter_tags.is_some() {
                cands.sort();
            }
            if Some(&cands) != e.candidates.as_ref() {
                return Err(format!("candidates {cands:?}, Go {:?}", e.candidates));
            }
            if Some(&s.dropped) != e.dropped.as_ref() {
                return Err(format!("dropped {:?}, Go {:?}", s.dropped, e.dropped));
            }
            Ok(())
        }
    }
}

fn run(file: &str, min_cases: usize) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../conformance/image")
        .join(file);
    let f: File = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(f.meta["image_reflector_controller_version"], "v1.2.0");
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
        &format!("image/{file}"),
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
fn generated_cases() {
    run("generated.json", 100);
}

#[test]
fn the_checker_catches_a_wrong_answer() {
    let c: Case = serde_json::from_value(json!({
        "name": "tampered", "policy": {"alphabetical": {}}, "tags": ["a", "b"],
        "expect": {"tag": "a", "error": "", "candidates": ["a", "b"], "dropped": []}
    }))
    .unwrap();
    assert!(check(&c).unwrap_err().starts_with("selects"));
}

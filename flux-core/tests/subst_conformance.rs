//! Conformance of `fluxcd_core::subst` with Flux's envsubst: every case of
//! `conformance/subst/*.json`, whose expectations the Go oracle computed with
//! `github.com/fluxcd/pkg/envsubst` (see `conformance/subst/README.md`).
//!
//! For each case: the output bytes must be equal; or, when Flux fails, we must
//! fail with the same code and a message containing Flux's; or, when Flux
//! panics, we must return a clean error. Parse trees recorded by the oracle must
//! equal ours.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use fluxcd_core::subst::{self, Node, NodeId, Options, Template};
use serde_json::{json, Value};

/// Cases where we knowingly differ from Flux: `(file, case name, reason)`.
/// Keep this list small; every entry is also in `conformance/COMPATIBILITY.md`.
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[];

/// The vector directory; `SUBST_VECTORS_DIR` points the test at another one
/// (e.g. a large throw-away batch of random cases from the oracle).
fn dir() -> PathBuf {
    match std::env::var_os("SUBST_VECTORS_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/subst"),
    }
}

fn vector_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("conformance/subst exists")
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".json") && !name.ends_with(".input.json")
        })
        .collect();
    files.sort();
    files
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Our tree in the oracle's JSON shape.
fn tree(t: &Template) -> Value {
    fn node(t: &Template, id: NodeId) -> Value {
        match t.node(id) {
            Node::Text(x) => json!({ "text": x.value }),
            Node::Expr(e) => json!({
                "param": e.name,
                "name": e.op,
                "args": e.args.iter().map(|&a| node(t, a)).collect::<Vec<_>>(),
            }),
        }
    }
    Value::Array(t.root().iter().map(|&id| node(t, id)).collect())
}

/// Checks one case; `Err` describes the mismatch.
fn check(case: &Value) -> Result<(), String> {
    let input = case["input"].as_str().expect("input");
    let strict = case["strict"].as_bool().unwrap_or(false);
    let vars: HashMap<String, String> = case["vars"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let opts = Options::strict(strict);
    let expect = &case["expect"];
    let got = subst::envsubst_bytes(input, &vars, opts);
    let got_str = subst::envsubst(input, &vars, opts);

    if let Some(want) = case.get("tree") {
        let ours = subst::parse(input).map_err(|e| format!("oracle parsed it, we failed: {e}"))?;
        let ours = tree(&ours);
        if &ours != want {
            return Err(format!("tree differs:\n  want {want}\n  got  {ours}"));
        }
    }

    if case["panics"].as_bool() == Some(true) {
        return match got {
            Err(e) if e.code() == "subst.negative_length" => Ok(()),
            other => Err(format!(
                "Flux panics ({}); we must return a subst.negative_length error, got {other:?}",
                expect["panic"]
            )),
        };
    }
    if let Some(err) = expect.get("error") {
        let (code, message) = (
            err["code"].as_str().unwrap(),
            err["message"].as_str().unwrap(),
        );
        return match got {
            Err(e) if e.code() == code && e.to_string().contains(message) => match got_str {
                Err(e2) if e2 == e => Ok(()),
                other => Err(format!("envsubst and envsubst_bytes disagree: {other:?}")),
            },
            other => Err(format!("want error {code} {message:?}, got {other:?}")),
        };
    }
    let want: Vec<u8> = if let Some(s) = expect.get("output").and_then(Value::as_str) {
        s.as_bytes().to_vec()
    } else if let Some(h) = expect.get("output_hex").and_then(Value::as_str) {
        hex(h)
    } else {
        return Err(format!("unknown expectation {expect}"));
    };
    match got {
        Ok(bytes) if bytes == want => {}
        Ok(bytes) => {
            return Err(format!(
                "want {:?}, got {:?}",
                String::from_utf8_lossy(&want),
                String::from_utf8_lossy(&bytes)
            ))
        }
        Err(e) => {
            return Err(format!(
                "want {:?}, got error {e}",
                String::from_utf8_lossy(&want)
            ))
        }
    }
    match (String::from_utf8(want), got_str) {
        (Ok(w), Ok(s)) if w == s => Ok(()),
        (Err(_), Err(e)) if e.code() == "subst.invalid_utf8" => Ok(()),
        (_, other) => Err(format!("the String API disagrees: {other:?}")),
    }
}

#[test]
fn conformance_with_flux_envsubst() {
    let files = vector_files();
    if std::env::var_os("SUBST_VECTORS_DIR").is_none() {
        assert!(files.len() >= 6, "vector files missing: {files:?}");
    }
    let mut failures = Vec::new();
    let mut total = 0;
    let mut known_seen = Vec::new();
    for path in &files {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let data: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap())
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            data["envsubst_version"].as_str(),
            Some(subst::ENVSUBST_VERSION),
            "{file} was computed with another envsubst version"
        );
        let cases = data["cases"].as_array().expect("cases");
        let (mut pass, mut known) = (0, 0);
        for case in cases {
            let name = case["name"].as_str().unwrap();
            let result = check(case);
            let is_known = KNOWN_DIFFERENCES
                .iter()
                .any(|(f, n, _)| *f == file && *n == name);
            match (result, is_known) {
                (Ok(()), false) => pass += 1,
                (Err(_), true) => {
                    known += 1;
                    known_seen.push((file.clone(), name.to_string()));
                }
                (Ok(()), true) => failures.push(format!(
                    "{file} :: {name}: listed as a known difference but passes; remove it"
                )),
                (Err(why), false) => failures.push(format!("{file} :: {name}: {why}")),
            }
        }
        total += cases.len();
        if std::env::var_os("SUBST_VECTORS_DIR").is_none() {
            common::report(&format!("subst/{file}"), pass, known, 0);
        }
        println!(
            "{file}: {pass}/{} pass, {known} known differences",
            cases.len()
        );
    }
    println!("total: {total} cases");
    for (f, n, _) in KNOWN_DIFFERENCES {
        assert!(
            known_seen.iter().any(|(kf, kn)| kf == f && kn == n),
            "known difference {f} :: {n} matches no case"
        );
    }
    if !failures.is_empty() {
        let shown: Vec<_> = failures.iter().take(40).collect();
        panic!(
            "{} of {total} cases fail:\n{}",
            failures.len(),
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

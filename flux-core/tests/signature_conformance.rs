//! Conformance of `fluxcd_core::signature` with the Go code source-controller
//! v1.9.1 runs: the vectors in `conformance/signature` (see its README), real
//! git objects signed with GnuPG and SSH keys, verified by
//! `conformance/oracle-signature` with go-git v5.19.1 and fluxcd/pkg/git v0.52.0.
//! Every case compares the key id, the tag label, the success message and
//! mode, or the error message and reason, text for text.
#![cfg(all(feature = "git", not(target_arch = "wasm32")))]

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use base64::Engine as _;
use fluxcd_core::signature::{
    tag_label, verify_checkout, verify_commit, verify_tag, CheckoutObjects, KeyRing, VerifyMode,
};
use serde_json::Value;

/// Cases that differ from the oracle, with the reason (none today).
const KNOWN_DIFFERENCES: &[&str] = &[];

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn raw(obj: &Value) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s(obj, "raw"))
        .expect("base64 object")
}

/// Run one case; `Err` describes the disagreement.
fn check(doc: &Value, case: &Value) -> Result<(), String> {
    let secret = &doc["secrets"][s(case, "secret")];
    let mut data = BTreeMap::new();
    for (k, name) in secret.as_object().unwrap() {
        let text = s(&doc["keys"], name.as_str().unwrap());
        data.insert(k.clone(), text.as_bytes().to_vec());
    }
    let keys = KeyRing::from_secret(&data);
    let expect = &case["expect"];
    let obj = &doc["objects"][s(case, "object")];
    let compare_err = |e: fluxcd_core::signature::SignatureError| -> Result<(), String> {
        if expect.get("error").is_none() {
            return Err(format!("expected success {expect}, got error {e}"));
        }
        if e.to_string() != s(expect, "error") {
            return Err(format!(
                "error text\n  want {:?}\n  got  {:?}",
                s(expect, "error"),
                e.to_string()
            ));
        }
        if e.reason() != s(expect, "reason") {
            return Err(format!("reason {} != {}", e.reason(), s(expect, "reason")));
        }
        Ok(())
    };
    match s(case, "verify") {
        "commit" => match verify_commit(&raw(obj), s(obj, "hash"), &keys) {
            Ok(v) if v.key_id == s(expect, "keyId") => Ok(()),
            Ok(v) => Err(format!("key id {} != expected {expect}", v.key_id)),
            Err(e) => compare_err(e),
        },
        "tag" => {
            let bytes = raw(obj);
            let label = tag_label(&bytes, s(obj, "name"));
            if label != s(expect, "label") {
                return Err(format!("label {label} != {}", s(expect, "label")));
            }
            match verify_tag(&bytes, &label, &keys) {
                Ok(v) if v.key_id == s(expect, "keyId") => Ok(()),
                Ok(v) => Err(format!("key id {} != expected {expect}", v.key_id)),
                Err(e) => compare_err(e),
            }
        }
        "checkout" => {
            let Some(mode) = VerifyMode::from_spec_opt(case.get("mode").and_then(Value::as_str))
            else {
                return if expect.get("skipped").is_some() {
                    Ok(())
                } else {
                    Err("mode is empty but the oracle verified".into())
                };
            };
            let raw_commit = raw(obj);
            let tag = case
                .get("tagObject")
                .and_then(Value::as_str)
                .map(|t| &doc["objects"][t]);
            let raw_tag = tag.map(|t| (s(t, "name").to_string(), raw(t)));
            let co = CheckoutObjects {
                commit: s(obj, "hash"),
                reference: case.get("reference").and_then(Value::as_str),
                raw_commit: &raw_commit,
                raw_tag: raw_tag.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
            };
            match verify_checkout(mode, &co, &keys) {
                Ok(v) => {
                    if v.message != s(expect, "message") || v.mode.as_str() != s(expect, "mode") {
                        Err(format!(
                            "success {:?} ({}) != expected {expect}",
                            v.message, v.mode
                        ))
                    } else {
                        Ok(())
                    }
                }
                Err(e) => compare_err(e),
            }
        }
        other => Err(format!("unknown case kind {other}")),
    }
}

#[test]
fn signature_vectors_match_the_go_oracle() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance/signature/objects.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() > 500, "too few cases: {}", cases.len());
    let (mut pass, mut known) = (0, 0);
    let mut failures = Vec::new();
    for case in cases {
        let name = s(case, "name");
        let result = check(&doc, case);
        match (result, KNOWN_DIFFERENCES.contains(&name)) {
            (Ok(()), false) => pass += 1,
            (Ok(()), true) => {
                failures.push(format!("{name}: listed as a known difference but agrees"))
            }
            (Err(_), true) => known += 1,
            (Err(e), false) => failures.push(format!("{name}: {e}")),
        }
    }
    common::report("signature/objects.json", pass, known, 0);
    assert!(
        failures.is_empty(),
        "{} of {} cases disagree with the oracle:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

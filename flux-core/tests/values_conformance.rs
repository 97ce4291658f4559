//! The values conformance vectors (`conformance/values/*.json`, computed by
//! `conformance/oracle-values` with fluxcd/pkg/chartutil and Helm's strvals).

mod common;

use std::path::Path;

use fluxcd_core::postbuild::ObjectStore;
use fluxcd_core::values::{self, strvals, Val, Values, ValuesReference};
use serde_json::{json, Value};

fn num_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| num_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| num_eq(v, w)))
        }
        _ => a == b,
    }
}

fn map_of(v: Option<&Value>) -> fluxcd_core::values::MapRef {
    match v.map(Val::from_json) {
        Some(Val::Map(m)) => m,
        _ => Val::new_map(),
    }
}

/// Runs one case: `Ok(json)` or `Err(error text)`.
fn run(c: &Value) -> Result<Value, String> {
    match c["kind"].as_str().unwrap() {
        "compose" => {
            let mut store = ObjectStore::new();
            for o in c["objects"].as_array().into_iter().flatten() {
                let m = json!({"apiVersion": "v1", "kind": o["kind"], "metadata": {"name": o["name"]},
                               "data": o["data"], "stringData": o["stringData"]});
                store
                    .insert_manifest(&m, "flux-system")
                    .map_err(|e| e.to_string())?;
            }
            let refs: Vec<ValuesReference> =
                serde_json::from_value(c.get("refs").cloned().unwrap_or(json!([]))).unwrap();
            values::compose("flux-system", c.get("inline"), &refs, &store)
                .map(|v| v.to_json())
                .map_err(|e| e.to_string())
        }
        "strvals" => {
            // Parse / ParseString start from an empty map, as ParseInto /
            // ParseIntoString into a new map do.
            let func = match c.get("func").and_then(Value::as_str) {
                Some(f) => f,
                None if c["string"] == true => "ParseIntoString",
                None => "ParseInto",
            };
            let (dest, strings) = match func {
                "Parse" => (Val::new_map(), false),
                "ParseString" => (Val::new_map(), true),
                "ParseInto" => (map_of(c.get("dest")), false),
                "ParseIntoString" => (map_of(c.get("dest")), true),
                f => panic!("unknown func {f}"),
            };
            let parse = |line: &str| {
                if strings {
                    strvals::parse_into_string(line, &dest)
                } else {
                    strvals::parse_into(line, &dest)
                }
            };
            let mut r = parse(c["set"].as_str().unwrap());
            if let (Ok(()), Some(then)) = (&r, c.get("then").and_then(Value::as_str)) {
                r = parse(then);
            }
            r.map(|()| Val::Map(dest.clone()).to_json())
                .map_err(|e| e.to_string())
        }
        "replace" => {
            let dest = map_of(c.get("dest"));
            let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("");
            let write = |path: &str, value: &str| {
                if c["literal"] == true {
                    values::replace_path_literal_value(&dest, path, value)
                } else {
                    values::replace_path_value(&dest, path, value)
                }
            };
            let mut r = write(s("path"), s("value"));
            if let (Ok(()), Some(p)) = (&r, c.get("then_path").and_then(Value::as_str)) {
                r = write(p, s("then_value"));
            }
            r.map(|()| Val::Map(dest.clone()).to_json())
                .map_err(|e| e.to_string())
        }
        "verify" => Ok(Value::Bool(values::verify_values(
            c["digest"].as_str().unwrap_or(""),
            &Values(map_of(c.get("values"))),
        ))),
        "merge" => {
            let a = c.get("a").map(|_| map_of(c.get("a")));
            let b = c.get("b").map(|_| map_of(c.get("b")));
            Ok(Val::Map(values::merge_maps(a.as_ref(), b.as_ref())).to_json())
        }
        "digest" => {
            let algo = match c.get("algo").and_then(Value::as_str) {
                None => values::DigestAlgorithm::Sha256,
                Some(a) => values::DigestAlgorithm::parse(a).expect("known algorithm"),
            };
            Ok(Value::String(values::digest_with(
                algo,
                &Values(map_of(c.get("values"))),
            )))
        }
        k => panic!("unknown kind {k}"),
    }
}

#[test]
fn values_vectors_match_the_go_oracle() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/values");
    let mut total = 0;
    let mut failures = Vec::new();
    for name in ["upstream", "strvals", "strvals-upstream", "generated"] {
        let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap();
        let file: Value = serde_json::from_str(&text).unwrap();
        let failed_before = failures.len();
        let cases = file["cases"].as_array().unwrap();
        for c in cases {
            total += 1;
            let got = run(c);
            let ok = match (&got, c.get("error")) {
                (Err(g), Some(Value::String(w))) => g == w,
                (Ok(g), None) => {
                    let want = if c["expect_null"] == true {
                        Value::Null
                    } else {
                        c["expect"].clone()
                    };
                    num_eq(g, &want)
                }
                _ => false,
            };
            if !ok {
                failures.push(format!(
                    "{name}: {}\n  got:  {got:?}\n  want: {}",
                    c["name"],
                    c.get("error").unwrap_or(&c["expect"])
                ));
            }
        }
        let failed = failures.len() - failed_before;
        common::report(&format!("values/{name}.json"), cases.len() - failed, 0, 0);
    }
    assert!(total >= 590, "too few vectors: {total}");
    assert!(
        failures.is_empty(),
        "{} of {total} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

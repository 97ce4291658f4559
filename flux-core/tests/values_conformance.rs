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
            let dest = map_of(c.get("dest"));
            let set = c["set"].as_str().unwrap();
            let r = if c["string"].as_bool() == Some(true) {
                strvals::parse_into_string(set, &dest)
            } else {
                strvals::parse_into(set, &dest)
            };
            r.map(|()| Val::Map(dest).to_json())
                .map_err(|e| e.to_string())
        }
        "merge" => {
            let a = c.get("a").map(|_| map_of(c.get("a")));
            let b = c.get("b").map(|_| map_of(c.get("b")));
            Ok(Val::Map(values::merge_maps(a.as_ref(), b.as_ref())).to_json())
        }
        "digest" => Ok(Value::String(values::digest(&Values(map_of(
            c.get("values"),
        ))))),
        k => panic!("unknown kind {k}"),
    }
}

#[test]
fn values_vectors_match_the_go_oracle() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../conformance/values");
    let mut total = 0;
    let mut failures = Vec::new();
    for name in ["upstream", "strvals", "generated"] {
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
    assert!(total >= 400, "too few vectors: {total}");
    assert!(
        failures.is_empty(),
        "{} of {total} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

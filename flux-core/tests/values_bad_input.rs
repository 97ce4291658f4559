//! Hostile inputs to values composition: clean errors, no panic, no blow-up.

use std::time::{Duration, Instant};

use fluxcd_core::postbuild::ObjectStore;
use fluxcd_core::values::{compose, strvals, Val, ValuesReference};
use serde_json::json;

fn with_value(value: &str, path: &str) -> Result<serde_json::Value, String> {
    let mut store = ObjectStore::new();
    store.insert_config_map("ns", "cm", [("v", value)]);
    let r = ValuesReference::config_map("cm").key("v").target_path(path);
    compose("ns", Some(&json!({"keep": 1})), &[r], &store)
        .map(|v| v.to_json())
        .map_err(|e| e.to_string())
}

fn timed<T>(f: impl FnOnce() -> T) -> T {
    let t = Instant::now();
    let out = f();
    assert!(
        t.elapsed() < Duration::from_secs(5),
        "took {:?}",
        t.elapsed()
    );
    out
}

#[test]
fn target_path_of_10000_segments() {
    let path = vec!["a"; 10_000].join(".");
    let e = timed(|| with_value("x", &path)).unwrap_err();
    assert!(
        e.ends_with("value name nested level is greater than maximum supported nested level of 30"),
        "{e}"
    );
    // 10,000 nested list indexes: Helm recurses without limit; we stop at 128.
    let path = format!("a{}", "[0]".repeat(10_000));
    let e = timed(|| with_value("x", &path)).unwrap_err();
    assert!(
        e.ends_with(
            "list index nested level is greater than maximum supported nested level of 128"
        ),
        "{e}"
    );
    // Just under the cap works, and builds the nested lists.
    let path = format!("a{}", "[0]".repeat(100));
    let v = with_value("x", &path).unwrap();
    let mut cur = &v["a"];
    for _ in 0..99 {
        cur = &cur[0];
    }
    assert_eq!(cur, &json!(["x"]));
}

#[test]
fn huge_indexes() {
    let e = with_value("x", "a[1000000000]").unwrap_err();
    assert!(
        e.ends_with(": index of 1000000000 is greater than maximum supported index of 65536"),
        "{e}"
    );
    let e = with_value("x", "a[99999999999999999999]").unwrap_err();
    assert!(e.ends_with(": error parsing index: strconv.Atoi: parsing \"99999999999999999999\": value out of range"), "{e}");
    let e = with_value("x", "a[-1]").unwrap_err();
    assert!(e.ends_with(": negative -1 index not allowed"), "{e}");
    let v = timed(|| with_value("x", "a[65536]")).unwrap();
    assert_eq!(v["a"].as_array().unwrap().len(), 65537);
}

#[test]
fn long_set_lines_are_linear() {
    let line: String = (0..100_000).map(|i| format!("k{i}=v,")).collect();
    let m = Val::new_map();
    timed(|| strvals::parse_into(&line, &m)).unwrap(); // a trailing `,` is fine
    assert_eq!(m.borrow().len(), 100_000);
    let big = "x".repeat(1_000_000);
    let v = timed(|| with_value(&big, "a.b")).unwrap();
    assert_eq!(v["a"]["b"].as_str().unwrap().len(), 1_000_000);
}

#[test]
fn yaml_bombs_and_deep_yaml_are_errors() {
    let mut bomb = String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for i in 0..12 {
        let prev = if i == 0 {
            "a".to_string()
        } else {
            format!("b{}", i - 1)
        };
        bomb.push_str(&format!("b{i}: &b{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    let mut store = ObjectStore::new();
    store.insert_config_map("ns", "bomb", [("values.yaml", bomb.as_str())]);
    let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    let deep = format!("a: {deep}\n");
    store.insert_config_map("ns", "deep", [("values.yaml", deep.as_str())]);
    for name in ["bomb", "deep"] {
        let e = timed(|| compose("ns", None, &[ValuesReference::config_map(name)], &store).err())
            .unwrap();
        assert_eq!(e.code(), "values.read", "{e}");
        assert!(e.to_string().starts_with(&format!("could not resolve ConfigMap chart values reference 'ns/{name}' with key 'values.yaml': ")), "{e}");
    }
}

#[test]
fn secret_data_not_base64() {
    let mut store = ObjectStore::new();
    let s = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"}, "data": {"values.yaml": "not base64!"}});
    let e = store.insert_manifest(&s, "ns").unwrap_err();
    assert!(e.to_string().contains('s'), "{e}");
}

#[test]
fn keys_with_every_escape() {
    let v = with_value("v", r"a\.b\[c\]\,d\=e\\f\{g\}.h").unwrap();
    assert_eq!(v, json!({"keep": 1.0, r"a.b[c],d=e\f{g}": {"h": "v"}}));
    // A trailing backslash ends the input quietly, as in Helm.
    let m = Val::new_map();
    strvals::parse_into("a=b\\", &m).unwrap();
    assert_eq!(Val::Map(m).to_json(), json!({"a": "b"}));
    // Literal values keep every special character.
    let mut store = ObjectStore::new();
    let raw = "a,b=c{d}[e]\\f\n'g\"";
    store.insert_config_map("ns", "cm", [("v", raw)]);
    let r = ValuesReference::config_map("cm")
        .key("v")
        .target_path(r"x\.y")
        .literal();
    let v = compose("ns", None, &[r], &store).unwrap().to_json();
    assert_eq!(v, json!({"x.y": raw}));
}

//! Hostile inputs to values composition: clean errors, no panic, no blow-up.
//!
//! No timing asserts: the inputs are sized so that a quadratic step (or an alias
//! expansion) would not finish in any reasonable time, so such a regression hangs
//! the test run instead of passing.

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

#[test]
fn target_path_of_10000_segments() {
    let path = vec!["a"; 10_000].join(".");
    let e = with_value("x", &path).unwrap_err();
    assert!(
        e.ends_with("value name nested level is greater than maximum supported nested level of 30"),
        "{e}"
    );
    // 10,000 nested list indexes: Helm recurses without limit; we stop at 128.
    let path = format!("a{}", "[0]".repeat(10_000));
    let e = with_value("x", &path).unwrap_err();
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
fn target_path_of_a_million_segments_and_a_million_character_key() {
    // 2 MB of path: stops at the 31st name, whatever follows.
    let path = vec!["a"; 1_000_000].join(".");
    let e = with_value("x", &path).unwrap_err();
    assert!(e.ends_with("maximum supported nested level of 30"), "{e}");
    // One key of 1,000,000 escaped characters (each `\.` a literal dot): read in
    // one pass (quadratic would be 10^12 steps).
    let key = r"\.".repeat(1_000_000);
    let v = with_value("x", &key).unwrap();
    assert_eq!(v[".".repeat(1_000_000)], json!("x"));
    // 1,000,000 list indexes: the 128 cap fires before any allocation grows.
    let path = format!("a{}", "[65536]".repeat(1_000_000));
    let e = with_value("x", &path).unwrap_err();
    assert!(e.ends_with("maximum supported nested level of 128"), "{e}");
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
    let v = with_value("x", "a[65536]").unwrap();
    assert_eq!(v["a"].as_array().unwrap().len(), 65537);
    assert_eq!(v["a"][65536], json!("x"));
    assert_eq!(v["a"][0], json!(null));
    // 20,000 writes at the largest index into the same list, and 20,000 into
    // fresh lists of 65,537: each write is O(index) at worst, never O(index^2).
    let line: String = (0..20_000).map(|_| "a[65536]=x,").collect();
    let m = Val::new_map();
    strvals::parse_into(&line, &m).unwrap();
    let line: String = (0..2_000).map(|i| format!("k{i}[65536]=x,")).collect();
    let m = Val::new_map();
    strvals::parse_into(&line, &m).unwrap();
    assert_eq!(m.borrow().len(), 2_000);
}

#[test]
fn long_set_lines_are_linear() {
    let line: String = (0..300_000).map(|i| format!("k{i}=v,")).collect();
    let m = Val::new_map();
    strvals::parse_into(&line, &m).unwrap(); // a trailing `,` is fine
    assert_eq!(m.borrow().len(), 300_000);
    // A list of 300,000 items, and a value of 300,000 escapes.
    let line = format!("l={{{}}}", vec!["v"; 300_000].join(","));
    let m = Val::new_map();
    strvals::parse_into(&line, &m).unwrap();
    assert_eq!(
        Val::Map(m).to_json()["l"].as_array().unwrap().len(),
        300_000
    );
    let v = with_value(&r"\,".repeat(300_000), "a").unwrap();
    assert_eq!(v["a"], json!(",".repeat(300_000)));
    let big = "x".repeat(1_000_000);
    let v = with_value(&big, "a.b").unwrap();
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
        let e = compose("ns", None, &[ValuesReference::config_map(name)], &store)
            .err()
            .unwrap();
        assert_eq!(e.code(), "values.read", "{e}");
        assert!(e.to_string().starts_with(&format!("could not resolve ConfigMap chart values reference 'ns/{name}' with key 'values.yaml': ")), "{e}");
    }
}

#[test]
fn secret_data_not_base64() {
    for bad in ["not base64!", "YWJj=", "YQ", "\u{e9}t\u{e9}"] {
        let mut store = ObjectStore::new();
        let s = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                       "data": {"values.yaml": bad}});
        let e = store.insert_manifest(&s, "ns").unwrap_err();
        assert_eq!(e.code(), "postbuild.secret_data", "{e}");
        assert_eq!(
            e.to_string(),
            "Secret 's': data key 'values.yaml' is not valid base64-encoded UTF-8 text"
        );
        assert!(!e.to_string().contains(bad));
    }
    // 4 MB of non-base64 data: one linear pass, then the same error.
    let big = "!".repeat(4_000_000);
    let mut store = ObjectStore::new();
    let s = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                   "data": {"k": big}});
    let e = store.insert_manifest(&s, "ns").unwrap_err();
    assert_eq!(e.code(), "postbuild.secret_data");
    // Valid base64 with line breaks (as encoding/json accepts) is fine.
    let s = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                   "data": {"values.yaml": "YTog\nMQ=="}});
    store.insert_manifest(&s, "ns").unwrap();
    let v = compose("ns", None, &[ValuesReference::secret("s")], &store).unwrap();
    assert_eq!(v.to_json(), json!({"a": 1.0}));
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
    // Every escape at once in a key, typed and string modes, and in values.
    for (line, want) in [
        (r"k\\=\,", json!({r"k\": ","})),
        (r"a\=b\,c\.d\[0\]\{\}=v", json!({"a=b,c.d[0]{}": "v"})),
        (r"a=\{x\,y\}", json!({"a": "{x,y}"})),
        (r"a={x\,y,z}", json!({"a": ["x,y", "z"]})),
    ] {
        for strings in [false, true] {
            let m = Val::new_map();
            if strings {
                strvals::parse_into_string(line, &m).unwrap();
            } else {
                strvals::parse_into(line, &m).unwrap();
            }
            assert_eq!(Val::Map(m).to_json(), want, "{line}");
        }
    }
}

//! Conformance of [`fluxcd_core::yaml::emit::json_to_yaml`] with Go's
//! `sigs.k8s.io/yaml.JSONToYAML` (v1.6.0, go-yaml v2.4.4), and of the
//! [`Schema::Kustomize`] loader with kustomize's reading of a resource (kyaml, go-yaml
//! v3.0.4) and `Resource.MarshalJSON`.
//!
//! The vectors are computed by the Go oracle in `conformance/oracle-postbuild`; their
//! format is described in `conformance/postbuild/README.md` (sections `emit` and
//! `source`):
//!
//! - `conformance/postbuild/emit.json`: cases `{"name", "json": "<JSON text>"}` with
//!   `"yaml"` (the text `JSONToYAML` returns), `"error"` (its message), or
//!   `"nondeterministic": true` and `"lines"` (the emitted lines in byte order, for key
//!   sets go-yaml v2 orders at random);
//! - `conformance/postbuild/source.json`: cases `{"name", "yaml": "<one document>",
//!   "resource_count"}` with `"json"` (`MarshalJSON`) and `"emitted"` (`AsYAML`),
//!   `"json_error"` / `"emit_error"`, or `"error"` when kustomize fails to build it.
//!
//! A missing file is skipped with a message.

mod common;

use std::path::PathBuf;

use fluxcd_core::yaml::emit::{go_yaml_key_less, json_to_yaml};
use fluxcd_core::yaml::{parse_documents, LoadOptions, Schema};
use serde_json::{Map, Number, Value};

/// `emit.json` cases whose text has no [`Value`] that stands for it, and why: texts that
/// are not JSON (the oracle reads the text with go-yaml v2, which takes YAML that is not
/// JSON; Go's encoding/json never writes such text) and JSON whose spelling matters.
/// They are skipped with the reason printed.
const NOT_REPRESENTABLE: &[(&str, &str)] = &[
    (
        "error/empty",
        "empty text: not JSON (go-yaml v2 reads it as null)",
    ),
    (
        "error/unclosed",
        "truncated text: not JSON (go-yaml v2 fails too)",
    ),
    (
        "error/trailing-comma",
        "`{\"a\":1,}`: not JSON (go-yaml v2 reads a flow mapping)",
    ),
    (
        "error/bare",
        "`{a:1}`: not JSON (go-yaml v2 reads the key `a:1`)",
    ),
    (
        "error/two-docs",
        "two JSON texts: not one JSON text (go-yaml v2 reads the first)",
    ),
    (
        "number/-0.0",
        "go-yaml v2 reads the spelling `-0.0` as the float -0 (written `-0`), but Go's \
         encoding/json writes the value -0.0 as `-0`, which go-yaml v2 reads as the integer 0: \
         json_to_yaml follows the text Go writes for the value (`0`, as `scalar/020 -0` of \
         source.json shows)",
    ),
    (
        "escapes/lone-surrogate",
        "`\\ud800` alone is no character: serde_json rejects it, go-yaml v2 fails too",
    ),
    (
        "escapes/json",
        "go-yaml v2 refuses the escaped surrogate pair `\\ud83d\\ude00` in the text (`found \
         invalid Unicode character escape code`); the decoded value holds a valid U+1F600, \
         which Go's encoding/json writes as is (never escaped): the failure belongs to this \
         spelling of the text, not to the value json_to_yaml receives",
    ),
];

/// `source.json` cases where the [`Schema::Kustomize`] loader differs from kustomize on
/// purpose, and why. A listed case that starts matching fails the test (remove it here and
/// in `conformance/COMPATIBILITY.md`).
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[];

/// Messages of kustomize's checks of the built resources (not of the YAML reading):
/// builds failing with these are not loader failures.
const RESOURCE_CHECKS: &[&str] = &[
    "missing kind in object",
    "missing metadata.name in object",
    "missing Resource metadata",
];

fn vectors(file: &str) -> Option<Vec<Value>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../conformance/postbuild")
        .join(file);
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!(
            "skipping: conformance/postbuild/{file} not generated yet (run the oracle in \
             conformance/oracle-postbuild)"
        );
        return None;
    };
    let doc: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
    let cases = match doc {
        Value::Object(mut map) => match map.remove("cases") {
            Some(Value::Array(cases)) => cases,
            _ => panic!("{}: no `cases` list", path.display()),
        },
        _ => panic!("{}: not an object with `cases`", path.display()),
    };
    assert!(!cases.is_empty(), "{}: no cases", path.display());
    Some(cases)
}

fn text<'c>(case: &'c Value, field: &str) -> Option<&'c str> {
    case.get(field).and_then(Value::as_str)
}

fn assert_listed_cases_exist(cases: &[Value], list: &[(&str, &str)], what: &str) {
    for (name, _) in list {
        assert!(
            cases.iter().any(|c| c["name"] == *name),
            "{what} names a case that does not exist: {name}"
        );
    }
}

#[test]
fn json_to_yaml_matches_go() {
    let Some(cases) = vectors("emit.json") else {
        return;
    };
    assert_listed_cases_exist(&cases, NOT_REPRESENTABLE, "NOT_REPRESENTABLE");
    let mut failures = Vec::new();
    let (mut exact, mut unordered, mut errors, mut skipped, mut passed) = (0, 0, 0, 0, 0);
    for case in &cases {
        let name = text(case, "name").unwrap_or("?");
        let json = text(case, "json").unwrap_or_else(|| panic!("{name}: no `json`"));
        let go_error = text(case, "error");
        if let Some((_, why)) = NOT_REPRESENTABLE.iter().find(|(n, _)| *n == name) {
            println!("skipped {name}: {why}");
            skipped += 1;
            continue;
        }
        let value = parse_json(json).unwrap_or_else(|e| {
            panic!("{name}: the text is not JSON ({e}); list it in NOT_REPRESENTABLE")
        });
        let got = json_to_yaml(&value);
        let nondeterministic = case.get("nondeterministic") == Some(&Value::Bool(true));
        let ok = match (&got, go_error) {
            (Err(g), Some(want)) => {
                errors += 1;
                g.to_string().starts_with(want)
            }
            (Ok(g), None) if nondeterministic => {
                let want: Vec<&str> = case["lines"]
                    .as_array()
                    .unwrap_or_else(|| panic!("{name}: nondeterministic without `lines`"))
                    .iter()
                    .map(|l| l.as_str().expect("lines are strings"))
                    .collect();
                let mut lines: Vec<&str> = g.lines().collect();
                lines.sort_unstable();
                unordered += 1;
                // Our comparison sees the same cycle in the keys as Go's.
                lines == want && has_unordered_keys(&value)
            }
            (Ok(g), None) => {
                exact += 1;
                Some(g.as_str()) == text(case, "yaml")
            }
            _ => false,
        };
        if ok {
            passed += 1;
        } else {
            failures.push(format!(
                "{name}: json {json}\n  want {}\n  got  {got:?}",
                match go_error {
                    Some(e) => format!("error {e:?}"),
                    None if nondeterministic => format!("lines {}", case["lines"]),
                    None => format!("{:?}", text(case, "yaml")),
                }
            ));
        }
    }
    println!(
        "emit: {} cases: {exact} exact, {unordered} compared by sorted lines (Go orders their \
         keys at random), {errors} errors, {skipped} skipped (no JSON value stands for the text)",
        cases.len()
    );
    common::report("postbuild/emit.json", passed, 0, skipped);
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// What the Go side says about a `source.json` case.
enum Expect<'c> {
    /// kustomize builds nothing, or several resources (a `kind: List` is unwrapped).
    Count(u64),
    /// The build fails in kustomize's checks of the resources, not while reading YAML.
    ResourceCheck,
    /// The build (reading the YAML) or `MarshalJSON` fails.
    Fails(&'c str),
    /// `MarshalJSON` gives this JSON text and `AsYAML` this text (or fails).
    Json(&'c str, Result<&'c str, &'c str>),
}

fn expectation<'c>(name: &str, case: &'c Value) -> Expect<'c> {
    if let Some(e) = text(case, "error") {
        if RESOURCE_CHECKS.iter().any(|c| e.contains(c)) {
            return Expect::ResourceCheck;
        }
        return Expect::Fails(e);
    }
    let count = case["resource_count"]
        .as_u64()
        .unwrap_or_else(|| panic!("{name}: no `resource_count`"));
    if count != 1 {
        return Expect::Count(count);
    }
    if let Some(e) = text(case, "json_error") {
        return Expect::Fails(e);
    }
    let json = text(case, "json").unwrap_or_else(|| panic!("{name}: no `json`"));
    match (text(case, "emitted"), text(case, "emit_error")) {
        (Some(y), _) => Expect::Json(json, Ok(y)),
        (None, Some(e)) => Expect::Json(json, Err(e)),
        (None, None) => panic!("{name}: neither `emitted` nor `emit_error`"),
    }
}

#[test]
fn kustomize_schema_matches_kyaml() {
    let Some(cases) = vectors("source.json") else {
        return;
    };
    assert_listed_cases_exist(&cases, KNOWN_DIFFERENCES, "KNOWN_DIFFERENCES");
    let opts = LoadOptions {
        schema: Schema::Kustomize,
        ..LoadOptions::default()
    };
    let mut failures = Vec::new();
    let (mut passed, mut known, mut not_loader, mut lists) = (0, 0, 0, 0);
    for case in &cases {
        let name = text(case, "name").unwrap_or("?");
        let src = text(case, "yaml").unwrap_or_else(|| panic!("{name}: no `yaml`"));
        let (docs, diags) = parse_documents(src, &opts);
        let roots: Vec<_> = docs.iter().filter_map(|d| d.root.as_ref()).collect();
        let failed = diags.iter().any(|d| d.is_error());
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        let problem = match expectation(name, case) {
            Expect::ResourceCheck => {
                not_loader += 1;
                continue;
            }
            Expect::Count(n) if n > 1 => {
                lists += 1;
                continue;
            }
            Expect::Count(_) => (failed || !roots.is_empty())
                .then(|| format!("no resource, we load {roots:?} ({messages:?})")),
            Expect::Fails(e) => (!failed).then(|| format!("Go fails ({e}) but the document loads")),
            Expect::Json(want, emitted) => {
                let want = parse_json(want).unwrap_or_else(|e| panic!("{name}: bad `json`: {e}"));
                match roots.as_slice() {
                    [root] if !failed => {
                        let ours = root.to_json();
                        let ours_emitted = json_to_yaml(&ours);
                        if !json_eq(&ours, &want) {
                            Some(format!("want {want}\n  got  {ours}"))
                        } else {
                            match (emitted, &ours_emitted) {
                                (Ok(w), Ok(g)) if w == g => None,
                                (Err(_), Err(_)) => None,
                                (w, g) => Some(format!("want emitted {w:?}\n  got          {g:?}")),
                            }
                        }
                    }
                    _ => Some(format!("Go loads it but we report {messages:?}")),
                }
            }
        };
        let listed = KNOWN_DIFFERENCES.iter().any(|(n, _)| *n == name);
        match (problem, listed) {
            (None, false) => passed += 1,
            (None, true) => failures.push(format!(
                "{name}: listed in KNOWN_DIFFERENCES but now matches kustomize"
            )),
            (Some(_), true) => known += 1,
            (Some(p), false) => failures.push(format!("{name}: source {src:?}\n  {p}")),
        }
    }
    println!(
        "source: {} cases: {passed} match, {known} known differences, {not_loader} skipped \
         (the build fails in kustomize's resource checks, not in reading YAML), {lists} skipped \
         (kustomize unwraps a `kind: List` into several resources)",
        cases.len()
    );
    common::report("postbuild/source.json", passed, known, not_loader + lists);
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// True when some object's keys are not ranked consistently by go-yaml's key order.
fn has_unordered_keys(v: &Value) -> bool {
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => {
                let keys: Vec<&String> = map.keys().collect();
                if keys.len() <= 64 {
                    for a in &keys {
                        for b in &keys {
                            if !go_yaml_key_less(a, b) {
                                continue;
                            }
                            for c in &keys {
                                if go_yaml_key_less(b, c) && !go_yaml_key_less(a, c) {
                                    return true;
                                }
                            }
                        }
                    }
                }
                stack.extend(map.values());
            }
            _ => {}
        }
    }
    false
}

/// Equality with numbers compared by value (`1` equals `1.0`).
fn json_eq(a: &Value, b: &Value) -> bool {
    let mut stack = vec![(a, b)];
    while let Some((a, b)) = stack.pop() {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                let same = match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
                    (Some(p), Some(q), _, _) => p == q,
                    (_, _, Some(p), Some(q)) => p == q,
                    _ => x.as_f64() == y.as_f64(),
                };
                if !same {
                    return false;
                }
            }
            (Value::Array(x), Value::Array(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                stack.extend(x.iter().zip(y));
            }
            (Value::Object(x), Value::Object(y)) => {
                if x.len() != y.len() {
                    return false;
                }
                for (k, v) in x {
                    match y.get(k) {
                        Some(w) => stack.push((v, w)),
                        None => return false,
                    }
                }
            }
            (x, y) => {
                if x != y {
                    return false;
                }
            }
        }
    }
    true
}

/// Parses JSON text, reading numbers with Rust's correctly rounded `str::parse`
/// (serde_json without its `float_roundtrip` feature can be one unit in the last place
/// off, which changes the shortest digits Go writes for a float). A number beyond the
/// float64 range becomes the string of its spelling, as go-yaml v2 reads it.
fn parse_json(text: &str) -> Result<Value, String> {
    enum Frame {
        Arr(Vec<Value>),
        Obj(Map<String, Value>, String),
    }
    let b = text.as_bytes();
    let mut i = 0usize;
    let ws = |i: &mut usize| {
        while *i < b.len() && matches!(b[*i], b' ' | b'\t' | b'\n' | b'\r') {
            *i += 1;
        }
    };
    let string = |i: &mut usize| -> Result<String, String> {
        if b.get(*i) != Some(&b'"') {
            return Err(format!("expected a string at {i}"));
        }
        let start = *i;
        *i += 1;
        let mut escaped = false;
        while *i < b.len() {
            match b[*i] {
                b'\\' if !escaped => escaped = true,
                b'"' if !escaped => {
                    *i += 1;
                    return serde_json::from_str(&text[start..*i]).map_err(|e| e.to_string());
                }
                _ => escaped = false,
            }
            *i += 1;
        }
        Err("unterminated string".into())
    };
    let key = |i: &mut usize| -> Result<String, String> {
        ws(i);
        let k = string(i)?;
        ws(i);
        if b.get(*i) != Some(&b':') {
            return Err(format!("expected ':' at {i}"));
        }
        *i += 1;
        Ok(k)
    };
    let mut stack: Vec<Frame> = Vec::new();
    loop {
        ws(&mut i);
        let mut value = match b.get(i) {
            Some(b'[') => {
                i += 1;
                ws(&mut i);
                if b.get(i) == Some(&b']') {
                    i += 1;
                    Some(Value::Array(Vec::new()))
                } else {
                    stack.push(Frame::Arr(Vec::new()));
                    None
                }
            }
            Some(b'{') => {
                i += 1;
                ws(&mut i);
                if b.get(i) == Some(&b'}') {
                    i += 1;
                    Some(Value::Object(Map::new()))
                } else {
                    let k = key(&mut i)?;
                    stack.push(Frame::Obj(Map::new(), k));
                    None
                }
            }
            Some(b'"') => Some(Value::String(string(&mut i)?)),
            Some(_) if text[i..].starts_with("true") => {
                i += 4;
                Some(Value::Bool(true))
            }
            Some(_) if text[i..].starts_with("false") => {
                i += 5;
                Some(Value::Bool(false))
            }
            Some(_) if text[i..].starts_with("null") => {
                i += 4;
                Some(Value::Null)
            }
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                let start = i;
                while i < b.len() && matches!(b[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9')
                {
                    i += 1;
                }
                let t = &text[start..i];
                let int = if t.contains(['.', 'e', 'E']) {
                    None
                } else {
                    t.parse::<i64>()
                        .ok()
                        .map(Number::from)
                        .or_else(|| t.parse::<u64>().ok().map(Number::from))
                };
                match int {
                    Some(n) => Some(Value::Number(n)),
                    None => match t.parse::<f64>() {
                        Ok(f) if f.is_finite() => Number::from_f64(f).map(Value::Number),
                        // Beyond the float64 range (`1e400`): go-yaml v2 fails to read the
                        // plain scalar as a float and keeps it as a string (Go's JSON
                        // encoder never writes such a number).
                        Ok(_) => Some(Value::String(t.to_string())),
                        Err(_) => return Err(format!("bad number {t}")),
                    },
                }
            }
            _ => return Err(format!("unexpected input at {i}")),
        };
        // Attach the value, then close the collections that end after it.
        while let Some(v) = value.take() {
            match stack.last_mut() {
                None => {
                    ws(&mut i);
                    return if i == b.len() {
                        Ok(v)
                    } else {
                        Err(format!("trailing data at {i}"))
                    };
                }
                Some(Frame::Arr(items)) => items.push(v),
                Some(Frame::Obj(map, k)) => {
                    map.insert(std::mem::take(k), v);
                }
            }
            ws(&mut i);
            match (stack.last_mut(), b.get(i)) {
                (Some(Frame::Arr(_)), Some(b',')) => i += 1,
                (Some(Frame::Obj(_, k)), Some(b',')) => {
                    i += 1;
                    *k = key(&mut i)?;
                }
                (Some(Frame::Arr(_)), Some(b']')) | (Some(Frame::Obj(..)), Some(b'}')) => {
                    i += 1;
                    value = match stack.pop() {
                        Some(Frame::Arr(items)) => Some(Value::Array(items)),
                        Some(Frame::Obj(map, _)) => Some(Value::Object(map)),
                        None => None,
                    };
                }
                _ => return Err(format!("unexpected input at {i}")),
            }
        }
    }
}

#[test]
fn the_json_reader_reads_floats_exactly() {
    let v = parse_json(r#"{"a": [760788174804383.2, -1e-7, 18446744073709551615, -5, {}], "b": "\u00e9\"", "c": [true, false, null, []]}"#)
        .unwrap();
    assert_eq!(v["a"][0].as_f64(), Some(760788174804383.2));
    assert_eq!(v["a"][2].as_u64(), Some(u64::MAX));
    assert_eq!(v["a"][3].as_i64(), Some(-5));
    assert_eq!(v["b"], "é\"");
    assert_eq!(v["c"][3], Value::Array(Vec::new()));
    assert_eq!(
        parse_json("[1e400, -1e400]").unwrap(),
        serde_json::json!(["1e400", "-1e400"])
    );
    assert!(parse_json("[1,").is_err());
    assert!(parse_json("{} x").is_err());
}

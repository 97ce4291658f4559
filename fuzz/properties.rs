//! Properties shared by the cargo-fuzz targets (`fuzz_targets/*.rs`, nightly)
//! and by `flux-core/tests/fuzz_regressions.rs` (stable, normal test suite),
//! so a kept regression input is replayed against exactly the property that
//! once failed on it. Each function panics with a description when its
//! property does not hold.

#![allow(dead_code)]

use fluxcd_core::values::{strvals, Val};
use fluxcd_core::yaml::emit::{go_yaml_key_less, json_to_yaml};
use fluxcd_core::yaml::{parse_bytes, parse_documents, LoadOptions};
use serde_json::Value;

fn escape(s: &str, special: &[char]) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\\' || special.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `path=value` lines for every leaf of a string-mode tree; `None` when the
/// tree has a shape a line cannot express (an empty map or list, an empty key).
fn render_set_lines(prefix: &str, v: &Value, out: &mut Vec<String>) -> Option<()> {
    match v {
        Value::Object(m) => {
            if m.is_empty() {
                return None;
            }
            for (k, v) in m {
                if k.is_empty() {
                    return None;
                }
                let key = escape(k, &['=', '[', ',', '.', ']', '{', '}']);
                let p = if prefix.is_empty() {
                    key
                } else {
                    format!("{prefix}.{key}")
                };
                render_set_lines(&p, v, out)?;
            }
        }
        Value::Array(a) => {
            if a.iter().all(Value::is_null) {
                return None;
            }
            for (i, v) in a.iter().enumerate() {
                if !v.is_null() {
                    render_set_lines(&format!("{prefix}[{i}]"), v, out)?;
                }
            }
        }
        Value::String(s) => {
            if prefix.is_empty() {
                return None;
            }
            // The trailing comma matters: Helm drops an empty value under a list
            // item when it ends the input (`a[0].b=` gives `a: []`, while
            // `a[0].b=,` gives `a: [{b: ""}]`; conformance/values/strvals.json
            // has both from the Go oracle).
            out.push(format!(
                "{prefix}={},",
                escape(s, &[',', '{', '}', '[', ']'])
            ));
        }
        _ => return None,
    }
    Some(())
}

/// Helm's `--set` parser: no panic in typed or string mode; whatever string
/// mode accepts, rendered back as canonical `path=value,` lines (escaped keys
/// and values), parses again to the same tree.
pub fn strvals_round_trip(line: &str) {
    let typed = Val::new_map();
    let _ = strvals::parse_into(line, &typed);
    let _ = Val::Map(typed).to_json();
    let dest = Val::new_map();
    if strvals::parse_into_string(line, &dest).is_err() {
        return;
    }
    let first = Val::Map(dest).to_json();
    let mut lines = Vec::new();
    if render_set_lines("", &first, &mut lines).is_none() || lines.is_empty() {
        return;
    }
    let again = Val::new_map();
    for l in &lines {
        strvals::parse_into_string(l, &again)
            .unwrap_or_else(|e| panic!("canonical line {l:?} of {line:?} rejected: {e}"));
    }
    assert_eq!(
        first,
        Val::Map(again).to_json(),
        "round trip of {line:?} via {lines:?}"
    );
}

/// Characters go-yaml (YAML 1.1) reads as line breaks inside a scalar and our
/// YAML 1.2 parser does not (conformance/COMPATIBILITY.md, `line-break-*`).
fn has_yaml11_break(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains(['\u{85}', '\u{2028}', '\u{2029}']),
        Value::Array(a) => a.iter().any(has_yaml11_break),
        Value::Object(m) => m
            .iter()
            .any(|(k, v)| has_yaml11_break(&Value::String(k.clone())) || has_yaml11_break(v)),
        _ => false,
    }
}

/// Whether some mapping's keys are not totally ordered by go-yaml v2's key
/// order (it is not transitive on some mixes of digit runs and letters, see
/// `yaml::emit::go_yaml_key_less`): Go then emits them in an order that depends
/// on its random map iteration, and we in an order that depends on the input's,
/// so no emission order is "the" one. A complete antisymmetric relation is a
/// total order exactly when it has no cycle of three.
fn has_key_order_cycle(v: &Value) -> bool {
    match v {
        Value::Array(a) => a.iter().any(has_key_order_cycle),
        Value::Object(m) => {
            let keys: Vec<&str> = m.keys().map(String::as_str).collect();
            let less = |a: &str, b: &str| go_yaml_key_less(a, b);
            for (i, a) in keys.iter().enumerate() {
                for (j, b) in keys.iter().enumerate().skip(i + 1) {
                    if !less(a, b) {
                        continue;
                    }
                    // a < b: a cycle needs some c with b < c < a.
                    if keys
                        .iter()
                        .enumerate()
                        .any(|(k, c)| k != i && k != j && less(b, c) && less(c, a))
                    {
                        return true;
                    }
                }
            }
            for (i, a) in keys.iter().enumerate() {
                for b in keys.iter().skip(i + 1) {
                    if less(b, a) && keys.iter().any(|c| less(a, c) && less(c, b)) {
                        return true;
                    }
                }
            }
            m.values().any(has_key_order_cycle)
        }
        _ => false,
    }
}

/// The re-emission Flux performs (`JSONToYAML`) reads back without error and
/// is a fixed point after one round (emit, read back, emit again gives the
/// same text), for every document of `data`. Exempt: values holding a YAML 1.1
/// line break character (go-yaml folds the indentation after it when reading,
/// we do not: a documented parser difference) and mappings whose keys go-yaml's
/// key order does not totally order (Go's own output order is random there).
pub fn yaml_emit_fixed_point(data: &[u8]) {
    let opts = LoadOptions::default();
    let (docs, _) = parse_bytes(data, &opts);
    for doc in docs {
        let Some(root) = doc.root else { continue };
        let json = root.to_json();
        if has_yaml11_break(&json) || has_key_order_cycle(&json) {
            continue;
        }
        let Ok(first) = json_to_yaml(&json) else {
            continue;
        };
        let (back, diags) = parse_documents(&first, &opts);
        assert!(
            diags.iter().all(|d| !d.is_error()),
            "emitted YAML does not read back: {first:?} {diags:?}"
        );
        let again = back
            .into_iter()
            .find_map(|d| d.root)
            .map(|n| n.to_json())
            .unwrap_or(Value::Null);
        let second = json_to_yaml(&again).expect("emitted value emits again");
        assert_eq!(first, second, "JSONToYAML is not a fixed point");
    }
}

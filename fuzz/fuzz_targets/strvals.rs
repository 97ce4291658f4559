//! Helm's `--set` parser (targetPath).
//!
//! Properties: no panic on any input (typed and string modes); whatever the
//! string mode accepts, rendered back as a canonical `--set` line (escaped keys
//! and values, one `path=value` per leaf), parses again to the same values.
#![no_main]

use fluxcd_core::values::{strvals, Val};
use libfuzzer_sys::fuzz_target;
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

/// `path=value` lines for every leaf; `None` when the tree has a shape a line
/// cannot express (an empty map or list, or an empty key).
fn render(prefix: &str, v: &Value, out: &mut Vec<String>) -> Option<()> {
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
                render(&p, v, out)?;
            }
        }
        Value::Array(a) => {
            if a.iter().all(Value::is_null) {
                return None;
            }
            for (i, v) in a.iter().enumerate() {
                if !v.is_null() {
                    render(&format!("{prefix}[{i}]"), v, out)?;
                }
            }
        }
        Value::String(s) => {
            if prefix.is_empty() {
                return None;
            }
            out.push(format!(
                "{prefix}={}",
                escape(s, &[',', '{', '}', '[', ']'])
            ));
        }
        _ => return None,
    }
    Some(())
}

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let typed = Val::new_map();
    let _ = strvals::parse_into(line, &typed);
    let _ = Val::Map(typed).to_json();
    let dest = Val::new_map();
    if strvals::parse_into_string(line, &dest).is_err() {
        return;
    }
    let first = Val::Map(dest).to_json();
    let mut lines = Vec::new();
    if render("", &first, &mut lines).is_none() || lines.is_empty() {
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
});

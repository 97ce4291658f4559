//! Every property of every upstream CRD schema exists in our exported schema with
//! the same type, enum, required-ness and constraints. Each mismatch is named.

mod common;

use serde_json::Value;

/// Keywords compared between the upstream schema node and ours, besides `type`.
const COMPARED: &[&str] = &[
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minimum",
    "maximum",
    "default",
    "format",
];

fn required_of(node: &Value) -> Vec<String> {
    let mut r: Vec<String> = node
        .get("required")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    r.sort();
    r
}

fn compare(path: &str, up: &Value, ours: &Value, out: &mut Vec<String>) {
    let up_type = up.get("type");
    let our_type = ours.get("type");
    // Untyped upstream nodes (free-form values) accept anything; so must we.
    if up_type.is_some() && up_type != our_type {
        out.push(format!(
            "{path}: type upstream {:?}, ours {:?}",
            up_type, our_type
        ));
    }
    if up_type.is_none() && our_type.is_some() {
        out.push(format!(
            "{path}: upstream is untyped, ours is {:?}",
            our_type
        ));
    }
    for k in COMPARED {
        let (u, o) = (up.get(*k), ours.get(*k));
        // Integer formats: we only require that int32 stays int32.
        if *k == "format" && up_type == Some(&Value::String("integer".into())) && u.is_none() {
            continue;
        }
        let equal = match (u, o) {
            (Some(Value::Number(a)), Some(Value::Number(b))) => a.as_f64() == b.as_f64(),
            _ => u == o,
        };
        if !equal {
            out.push(format!("{path}: `{k}` upstream {:?}, ours {:?}", u, o));
        }
    }
    if up.get("properties").is_some() || ours.get("properties").is_some() {
        let (ur, or) = (required_of(up), required_of(ours));
        if ur != or {
            out.push(format!("{path}: required upstream {ur:?}, ours {or:?}"));
        }
    }
    if let Some(props) = up.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            let child = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            match ours.get("properties").and_then(|p| p.get(name)) {
                Some(o) => {
                    // `metadata` is a bare object upstream; ours is typed.
                    if child == "metadata" {
                        continue;
                    }
                    compare(&child, sub, o, out)
                }
                None => out.push(format!("{child}: missing in our schema")),
            }
        }
        if let Some(our_props) = ours.get("properties").and_then(Value::as_object) {
            for name in our_props.keys() {
                if !props.contains_key(name) {
                    out.push(format!("{path}.{name}: in our schema but not upstream"));
                }
            }
        }
    }
    if let Some(items) = up.get("items") {
        match ours.get("items") {
            Some(o) => compare(&format!("{path}[]"), items, o, out),
            None => out.push(format!("{path}[]: items missing in our schema")),
        }
    }
    if let Some(ap) = up.get("additionalProperties").filter(|v| v.is_object()) {
        match ours.get("additionalProperties").filter(|v| v.is_object()) {
            Some(o) => compare(&format!("{path}.*"), ap, o, out),
            None => out.push(format!(
                "{path}.*: additionalProperties missing in our schema"
            )),
        }
    }
}

#[test]
fn every_crd_property_is_in_our_schema() {
    let Some(dir) = common::shared("flux-crds") else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 15, "expected the 15 upstream CRDs");
    let mut mismatches = Vec::new();
    let mut paths = 0usize;
    for f in &files {
        let crd: Value = serde_saphyr::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let kind = crd["spec"]["names"]["kind"].as_str().unwrap();
        let version = crd["spec"]["versions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["served"] == true)
            .unwrap();
        let upstream = &version["schema"]["openAPIV3Schema"];
        let ours = fluxcd_core::schema::kind_schema(kind)
            .unwrap_or_else(|| panic!("no schema for kind {kind}"));
        let mut out = Vec::new();
        compare("", upstream, &ours, &mut out);
        paths += count_paths(upstream);
        mismatches.extend(out.into_iter().map(|m| format!("{kind} {m}")));
    }
    eprintln!(
        "compared {paths} property paths across {} CRDs",
        files.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

fn count_paths(node: &Value) -> usize {
    let mut n = 0;
    if let Some(props) = node.get("properties").and_then(Value::as_object) {
        for sub in props.values() {
            n += 1 + count_paths(sub);
        }
    }
    if let Some(items) = node.get("items") {
        n += count_paths(items);
    }
    if let Some(ap) = node.get("additionalProperties").filter(|v| v.is_object()) {
        n += count_paths(ap);
    }
    n
}

/// The generated schema must not silently accept what the CRD rejects: a mutated
/// upstream (a removed enum value) is reported.
#[test]
fn comparison_detects_a_difference() {
    let up = serde_json::json!({"type": "object", "properties": {
        "mode": {"type": "string", "enum": ["a", "b"]}}, "required": ["mode"]});
    let ours = serde_json::json!({"type": "object", "properties": {
        "mode": {"type": "string", "enum": ["a"]}}});
    let mut out = Vec::new();
    compare("", &up, &ours, &mut out);
    assert_eq!(out.len(), 2, "{out:?}");
    assert!(out[0].contains("required"));
    assert!(out[1].contains("mode: `enum`"));
}

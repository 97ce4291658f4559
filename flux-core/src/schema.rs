//! JSON Schema export of the typed models, for editors (yaml-language-server) and tools.
//!
//! The schemas are derived from the Rust types themselves (schemars), so they say
//! exactly what this crate accepts. Optional fields are plain (not nullable),
//! defaults are the API server's, and every kind is a self-contained schema.
//!
//! ```
//! let schema = fluxcd_core::schema::kind_schema("GitRepository").unwrap();
//! let spec = &schema["properties"]["spec"];
//! assert_eq!(spec["required"], serde_json::json!(["interval", "url"]));
//! assert_eq!(spec["properties"]["timeout"]["default"], "60s");
//! ```

use schemars::{transform::Transform, JsonSchema, Schema};
use serde_json::Value;

use crate::api::FluxObject;

/// Removes the `null` alternative schemars adds for `Option` fields: Kubernetes
/// treats an explicit null as an absent field, and the CRDs have no nullable fields.
#[derive(Clone)]
struct NotNullable;

impl Transform for NotNullable {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(obj) = schema.as_object_mut() {
            if let Some(Value::Array(types)) = obj.get("type") {
                let kept: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
                let new = if kept.len() == 1 {
                    kept[0].clone()
                } else {
                    Value::Array(kept)
                };
                obj.insert("type".into(), new);
            }
            for key in ["anyOf", "oneOf"] {
                if let Some(Value::Array(alts)) = obj.get(key) {
                    let kept: Vec<Value> = alts
                        .iter()
                        .filter(|a| a.get("type") != Some(&Value::String("null".into())))
                        .cloned()
                        .collect();
                    if kept.len() == 1 {
                        let only = kept[0].clone();
                        obj.remove(key);
                        if let Value::Object(m) = only {
                            for (k, v) in m {
                                obj.entry(k).or_insert(v);
                            }
                        }
                    } else {
                        obj.insert(key.into(), Value::Array(kept));
                    }
                }
            }
            if obj.get("enum").and_then(Value::as_array).is_some() {
                if let Some(Value::Array(vals)) = obj.get_mut("enum") {
                    vals.retain(|v| !v.is_null());
                }
            }
        }
        schemars::transform::transform_subschemas(self, schema);
    }
}

/// The inlined JSON Schema (draft 2020-12) of a type.
pub fn schema_for<T: JsonSchema>() -> Schema {
    let settings = schemars::generate::SchemaSettings::draft2020_12().with(|s| {
        s.inline_subschemas = true;
    });
    let mut schema = settings
        .with_transform(NotNullable)
        .into_generator()
        .into_root_schema_for::<T>();
    NotNullable.transform(&mut schema);
    schema
}

/// The schema of one Flux kind by name (`HelmRelease`), as JSON.
pub fn kind_schema(kind: &str) -> Option<Value> {
    FluxObject::schemas()
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(kind))
        .map(|(_, s)| s.to_value())
}

/// Every kind's schema, keyed by kind name, in the order Flux documents them.
pub fn all_schemas() -> Vec<(&'static str, Value)> {
    FluxObject::schemas()
        .into_iter()
        .map(|(k, s)| (k, s.to_value()))
        .collect()
}

/// One schema accepting any Flux object, dispatching on `apiVersion` and `kind`
/// (`if`/`then` per kind), for a yaml-language-server `# yaml-language-server: $schema=` line.
pub fn combined_schema() -> Value {
    let mut all_of = Vec::new();
    for (group, version, kind, _, _) in crate::api::KINDS {
        if let Some(mut s) = kind_schema(kind) {
            if let Some(o) = s.as_object_mut() {
                o.remove("$schema");
            }
            all_of.push(serde_json::json!({
                "if": {"properties": {
                    "apiVersion": {"const": format!("{group}/{version}")},
                    "kind": {"const": kind}
                }, "required": ["apiVersion", "kind"]},
                "then": s
            }));
        }
    }
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Flux CD objects (fluxcd-core)",
        "type": "object",
        "allOf": all_of
    })
}

/// Drops the `default` schemars derives from `#[serde(default)]`, for fields where
/// the default is ours (an empty value while parsing) and not the API server's.
#[doc(hidden)]
pub fn without_default(schema: &mut Schema) {
    if let Some(obj) = schema.as_object_mut() {
        obj.remove("default");
    }
}

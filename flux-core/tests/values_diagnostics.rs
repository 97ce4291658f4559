//! The targetPath precedence diagnostics of `values::explain`: where they point
//! and what they say.

use fluxcd_core::postbuild::ObjectStore;
use fluxcd_core::values::{compose_detailed, explain::explain, ValuesReference};
use fluxcd_core::{Diagnostic, Severity};
use serde_json::{json, Value};

fn diagnostics(inline: Option<Value>, refs: &[ValuesReference]) -> Vec<Diagnostic> {
    let mut store = ObjectStore::new();
    store.insert_secret("apps", "s", [("v", "fromref")]);
    store.insert_config_map(
        "apps",
        "cm",
        [("values.yaml", "a: {c: 1}\n"), ("v", "fromcm")],
    );
    let c = compose_detailed("apps", inline.as_ref(), refs, &store).unwrap();
    explain("apps", inline.as_ref(), refs, &c).diagnostics
}

#[test]
fn aliased_targetpath_write_is_a_note_at_the_entry() {
    // `a` exists only in spec.values: the strvals write reaches the inline map,
    // so the targetPath value survives the final merge (the documented behaviour).
    let refs = [ValuesReference::secret("s").key("v").target_path("a.b")];
    let d = diagnostics(Some(json!({"a": {"b": "inline"}})), &refs);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, "values.target_path_aliased");
    assert_eq!(d[0].severity, Severity::Info);
    assert_eq!(d[0].location.path, "spec.valuesFrom[0].targetPath");
    assert_eq!(
        d[0].message,
        "`a.b`: valuesFrom[0] Secret apps/s key v targetPath a.b overrides spec.values only because the write reached a map or list shared with spec.values"
    );
    // The Secret's value is never in the message.
    assert!(!d[0].message.contains("fromref"));
}

#[test]
fn overridden_targetpath_write_is_a_warning_at_the_entry() {
    // An earlier valuesFrom entry defines map `a`: MergeMaps builds a new map, the
    // write does not reach spec.values, and the inline value wins.
    let refs = [
        ValuesReference::config_map("cm"),
        ValuesReference::config_map("cm")
            .key("v")
            .target_path("a.b"),
    ];
    let d = diagnostics(Some(json!({"a": {"b": "inline"}})), &refs);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, "values.target_path_overridden");
    assert_eq!(d[0].severity, Severity::Warning);
    assert_eq!(d[0].location.path, "spec.valuesFrom[1].targetPath");
    assert_eq!(
        d[0].message,
        "`a.b`: valuesFrom[1] ConfigMap apps/cm key v targetPath a.b is documented to override inline values, but spec.values sets `a.b` too and wins (the targetPath write went to a copy that the final merge of spec.values overwrote)"
    );
    assert_eq!(
        d[0].hint.as_deref(),
        Some("set the value in one place only, or remove it from spec.values")
    );
}

#[test]
fn top_level_targetpath_is_overridden() {
    let refs = [ValuesReference::secret("s")
        .key("v")
        .target_path("replicas")];
    let d = diagnostics(Some(json!({"replicas": 1})), &refs);
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].code, "values.target_path_overridden");
    assert_eq!(d[0].location.path, "spec.valuesFrom[0].targetPath");
    assert!(d[0].message.starts_with(
        "`replicas`: valuesFrom[0] Secret apps/s key v targetPath replicas is documented"
    ));
}

#[test]
fn no_diagnostic_without_a_conflict() {
    let refs = [ValuesReference::secret("s").key("v").target_path("a.b")];
    // No inline values, inline values elsewhere, or the same value inline.
    assert!(diagnostics(None, &refs).is_empty());
    assert!(diagnostics(Some(json!({"x": 1})), &refs).is_empty());
    assert!(diagnostics(Some(json!({"a": {"b": "fromref"}})), &refs).is_empty());
}

//! YAML load + type: the located tree, the manifest loader and its typing.
//!
//! Properties: no panic on any bytes, under both schemas; every diagnostic
//! has a code (and a column only with a line); the re-emission Flux performs
//! (`JSONToYAML`) is a fixed point after one round (emit, read back, emit
//! again gives the same text).
#![no_main]

use fluxcd_core::manifest::load_bytes;
use fluxcd_core::yaml::{emit::json_to_yaml, parse_bytes, parse_documents, LoadOptions, Schema};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = LoadOptions::default();
    let set = load_bytes(data, Some("fuzz.yaml"), &opts);
    for d in &set.diagnostics {
        assert!(!d.code.is_empty());
        assert!(d.location.line > 0 || d.location.column == 0, "{d:?}");
    }
    for m in &set.objects {
        let _ = (m.kind(), m.name(), m.namespace(), m.summary());
    }
    let _ = set.flux_objects().count();
    let kopts = LoadOptions {
        schema: Schema::Kustomize,
        ..LoadOptions::default()
    };
    let _ = parse_bytes(data, &kopts);
    let (docs, _) = parse_bytes(data, &opts);
    for doc in docs {
        let Some(root) = doc.root else { continue };
        let json = root.to_json();
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
            .unwrap_or(serde_json::Value::Null);
        let second = json_to_yaml(&again).expect("emitted value emits again");
        assert_eq!(first, second, "JSONToYAML is not a fixed point");
    }
});

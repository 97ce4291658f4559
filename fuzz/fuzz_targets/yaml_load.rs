//! YAML load + type: the located tree, the manifest loader and its typing.
//!
//! Properties: no panic on any bytes, under both schemas; every diagnostic
//! has a code (and a column only with a line); the re-emission Flux performs
//! (`JSONToYAML`) is a fixed point after one round (emit, read back, emit
//! again gives the same text), except for values holding a YAML 1.1 line
//! break character (`properties::yaml_emit_fixed_point`).
#![no_main]

use fluxcd_core::manifest::load_bytes;
use fluxcd_core::yaml::{parse_bytes, LoadOptions, Schema};
use libfuzzer_sys::fuzz_target;

#[path = "../properties.rs"]
mod properties;

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
    properties::yaml_emit_fixed_point(data);
});

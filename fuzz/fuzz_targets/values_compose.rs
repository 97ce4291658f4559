//! HelmRelease values composition (valuesFrom, targetPath, inline values).
//!
//! Properties: no panic for any ConfigMaps, Secrets, references and inline
//! values; a successful composition is a map that serializes to JSON and YAML,
//! is deterministic, and has a digest that verifies.
#![no_main]

use arbitrary::Arbitrary;
use fluxcd_core::postbuild::ObjectStore;
use fluxcd_core::values::{self, ValuesReference};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Ref {
    secret: bool,
    name: u8,
    key: Option<u8>,
    target_path: Option<String>,
    optional: bool,
    literal: bool,
}

#[derive(Debug, Arbitrary)]
struct Input {
    /// Data of up to 4 ConfigMaps and 4 Secrets (`cm0..3`, `s0..3`).
    objects: Vec<(bool, u8, Vec<(u8, String)>)>,
    refs: Vec<Ref>,
    inline: Option<String>,
}

const KEYS: [&str; 4] = ["values.yaml", "a", "b.yaml", "x"];

fn name(secret: bool, n: u8) -> String {
    format!("{}{}", if secret { "s" } else { "cm" }, n % 4)
}

fuzz_target!(|input: Input| {
    let mut store = ObjectStore::new();
    for (secret, n, data) in input.objects.iter().take(8) {
        let data: Vec<(String, String)> = data
            .iter()
            .take(4)
            .map(|(k, v)| (KEYS[usize::from(*k) % KEYS.len()].to_string(), v.clone()))
            .collect();
        if *secret {
            store.insert_secret("ns", &name(true, *n), data);
        } else {
            store.insert_config_map("ns", &name(false, *n), data);
        }
    }
    let refs: Vec<ValuesReference> = input
        .refs
        .iter()
        .take(8)
        .map(|r| ValuesReference {
            kind: if r.secret { "Secret" } else { "ConfigMap" }.to_string(),
            name: name(r.secret, r.name),
            values_key: r
                .key
                .map(|k| KEYS[usize::from(k) % KEYS.len()].to_string())
                .unwrap_or_default(),
            target_path: r.target_path.clone().unwrap_or_default(),
            optional: r.optional,
            literal: r.literal,
        })
        .collect();
    let inline: Option<serde_json::Value> = input
        .inline
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok());
    let Ok(v) = values::compose("ns", inline.as_ref(), &refs, &store) else {
        return;
    };
    let json = v.to_json();
    assert!(json.is_object());
    let _ = v.to_yaml();
    let again = values::compose("ns", inline.as_ref(), &refs, &store).expect("deterministic");
    assert_eq!(json, again.to_json());
    let digest = values::digest(&v);
    assert!(values::verify_values(&digest, &again));
    let detailed =
        values::compose_detailed("ns", inline.as_ref(), &refs, &store).expect("deterministic");
    assert_eq!(json, detailed.values.to_json());
    let explanation = values::explain::explain("ns", inline.as_ref(), &refs, &detailed);
    let _ = values::explain::redact_secret_leaves(&json, &explanation);
});

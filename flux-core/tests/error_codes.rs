//! Every diagnostic code used in the source is registered, and the generated
//! `docs/error-codes.md` is up to date.

use std::path::Path;

use regex::Regex;

fn scan(dir: &Path, re: &Regex, out: &mut Vec<(String, String)>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            scan(&p, re, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&p).unwrap();
            for c in re.captures_iter(&text) {
                out.push((c[1].to_string(), p.display().to_string()));
            }
        }
    }
}

#[test]
fn every_code_in_the_source_is_registered() {
    let re = Regex::new(
        r#""((?:yaml|manifest|schema|api|io|migrate|subst|postbuild|deps|release|values|plan|conventions|lint|embed|git|artifact|signature|semver|imagepolicy|imageupdate)\.[a-z_.]+[a-z])""#,
    )
    .unwrap();
    let mut used = Vec::new();
    scan(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &re,
        &mut used,
    );
    // `values.yaml` is the default `valuesKey` of a HelmRelease, not a code.
    used.retain(|(c, _)| c != "values.yaml");
    let known: Vec<&str> = fluxcd_core::codes::all().iter().map(|c| c.code).collect();
    let missing: Vec<_> = used
        .iter()
        .filter(|(c, _)| !known.contains(&c.as_str()))
        .collect();
    assert!(
        used.len() > 40,
        "the scan found too few codes: {}",
        used.len()
    );
    assert!(
        missing.is_empty(),
        "codes used but not registered in codes.rs: {missing:?}"
    );
    let mut sorted = known.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), known.len(), "duplicate codes in the registry");
}

#[test]
fn error_codes_doc_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/error-codes.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == fluxcd_core::codes::markdown(),
        "docs/error-codes.md is stale: run `cargo xtask error-codes`"
    );
}

//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// `../shared` beside the project root, or `None` (with a visible message) when absent.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared")).join(sub);
    if p.exists() {
        Some(p)
    } else {
        eprintln!(
            "SKIPPED: {} not found; this test needs ../shared beside the project (CI has it)",
            p.display()
        );
        None
    }
}

/// Records the counts of one vector file for `conformance/STATUS.json` (see
/// `conformance/RUNNERS.md`): writes
/// `$CONFORMANCE_REPORT_DIR/rust/<file>.json` when that variable is set.
/// `file` is the path under `conformance/`, e.g. `subst/generated.json`.
pub fn report(file: &str, pass: usize, known: usize, skip: usize) {
    let Some(dir) = std::env::var_os("CONFORMANCE_REPORT_DIR") else {
        return;
    };
    let path = PathBuf::from(dir).join("rust").join(file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create the report folder");
    }
    let text = format!("{{\"pass\": {pass}, \"known\": {known}, \"skip\": {skip}}}\n");
    std::fs::write(&path, text).expect("write the conformance report");
}

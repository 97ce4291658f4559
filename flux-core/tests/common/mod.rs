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

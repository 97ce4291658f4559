//! envsubst parse + eval (Flux's `${var}` language).
//!
//! Properties: no panic on any input; strict and non-strict agree whenever
//! strict succeeds; evaluation is deterministic; the output stays within the
//! configured output limit and within a bound computed from the input size,
//! the longest variable value and the nesting depth of the expressions
//! (counts, not time).
#![no_main]

use std::collections::HashMap;

use fluxcd_core::subst::{self, Options};
use libfuzzer_sys::fuzz_target;

fn vars() -> HashMap<String, String> {
    [
        ("a", "aaaa"),
        ("b", "x/y/z"),
        ("c", ""),
        ("d", "ÀéΩɐ"),
        ("n", "12"),
        ("neg", "-3"),
        ("path", "/a/b/c.d"),
        ("star", "*?[]"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fuzz_target!(|data: &[u8]| {
    let vars = vars();
    let longest = vars.values().map(String::len).max().unwrap_or(0);
    // Any text (NUL and replaced invalid UTF-8 included) must never panic.
    let _ = subst::envsubst_bytes(&String::from_utf8_lossy(data), &vars, Options::default());
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let strict = Options {
        strict: true,
        ..Options::default()
    };
    let lax = Options::default();
    let depth = match subst::placeholders(text) {
        Ok(p) => p.iter().map(|p| p.depth).max().map_or(0, |d| d + 1),
        Err(_) => {
            // A parse error is the same error whatever the mode.
            let a = subst::envsubst(text, &vars, strict).unwrap_err();
            let b = subst::envsubst(text, &vars, lax).unwrap_err();
            assert_eq!(a.code(), b.code());
            return;
        }
    };
    let s = subst::envsubst(text, &vars, strict);
    let l = subst::envsubst(text, &vars, lax);
    if let Ok(out) = &s {
        assert_eq!(
            Ok(out),
            l.as_ref().map_err(|e| e.code()),
            "strict and lax differ"
        );
    }
    if let Ok(out) = &l {
        assert_eq!(
            Ok(out),
            subst::envsubst(text, &vars, lax)
                .as_ref()
                .map_err(|e| e.code())
        );
        assert!(out.len() <= lax.max_output_bytes());
        // Each expression level can multiply the size by at most the longest
        // value (replacement inserted at every position) and case mapping by
        // 3/2; the plain text passes through once.
        let factor = 3 * (longest + 2);
        let bound = (text.len() + 1).saturating_mul(factor.saturating_pow(depth as u32));
        assert!(
            out.len() <= bound,
            "output {} > bound {bound} (depth {depth})",
            out.len()
        );
    }
});

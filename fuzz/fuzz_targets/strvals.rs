//! Helm's `--set` parser (targetPath).
//!
//! Properties (`properties::strvals_round_trip`): no panic on any input (typed
//! and string modes); whatever the string mode accepts, rendered back as
//! canonical `path=value,` lines (escaped keys and values), parses again to the
//! same values.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "../properties.rs"]
mod properties;

fuzz_target!(|data: &[u8]| {
    if let Ok(line) = std::str::from_utf8(data) {
        properties::strvals_round_trip(line);
    }
});

//! Link settings of the WebAssembly module.
//!
//! WebAssembly has no threads, so `checkReadyExpr` runs the CEL parser (cel-go's
//! recursion limit of 250 nested expressions) on the caller's stack instead of on a
//! thread of its own: the module's stack is made 16 MiB instead of Rust's 1 MiB.
//! The stack lies first in linear memory, so an overflow traps instead of writing
//! over data.

fn main() {
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if arch == "wasm32" {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size=16777216");
    }
    println!("cargo:rerun-if-changed=build.rs");
}

#!/usr/bin/env bash
# Builds the WebAssembly package (npm `fluxcd-core-wasm`) with Debian's rustc-web and
# -Z build-std (../shared/docs/toolchain.md §1, route A), then runs wasm-bindgen twice:
#
#   bindings/wasm/pkg/  --target nodejs: CommonJS for Node (the package's main, via index.js)
#   bindings/wasm/web/  --target web:    an ES module for browsers (`await init()` first)
#
# Needs: rustc-web cargo-web rust-web-src lld-22 (apt) and wasm-bindgen 0.2.130
# (`cargo install wasm-bindgen-cli --version 0.2.130`); .ci/run installs them.
# Environment: WASM_TARGET_DIR (default: $CARGO_TARGET_DIR/wasm, else target/wasm),
# WASM_PROFILE (default: wasm, see Cargo.toml).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

base="${CARGO_TARGET_DIR:-$root/target}"
case "$base" in /*) ;; *) base="$root/$base" ;; esac
target_dir="${WASM_TARGET_DIR:-$base/wasm}"
profile="${WASM_PROFILE:-wasm}"

for f in /usr/bin/rustc /usr/bin/cargo /usr/src/rustc-*/library/std/Cargo.toml; do
  [ -e "$f" ] || { echo "missing $f: apt-get install -y rustc-web cargo-web rust-web-src lld-22" >&2; exit 1; }
done
command -v wasm-bindgen >/dev/null || { echo "missing wasm-bindgen: cargo install wasm-bindgen-cli --version 0.2.130" >&2; exit 1; }
case "$(wasm-bindgen --version)" in
  *" 0.2.130"*) ;;
  *) echo "wasm-bindgen $(wasm-bindgen --version) found; the crate pins 0.2.130" >&2; exit 1 ;;
esac

# ~/.cargo/bin (rustup) comes first on PATH: call Debian's cargo and rustc by path.
# The host triple test-all.sh exports must not leak into this build.
(
  cd "$root"
  env -u CARGO_BUILD_TARGET -u RUSTFLAGS \
    RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR="$target_dir" \
    /usr/bin/cargo build -q -p fluxcd-core-wasm --profile "$profile" \
    --target wasm32-unknown-unknown -Z build-std=std,panic_abort
)
wasm="$target_dir/wasm32-unknown-unknown/$profile/fluxcd_core_wasm.wasm"

rm -rf "$here/pkg" "$here/web"
wasm-bindgen --target nodejs --out-dir "$here/pkg" "$wasm"
wasm-bindgen --target web --out-dir "$here/web" "$wasm"
# An ES module for Node too (the playground's tests import it), without a warning.
printf '{\n  "type": "module"\n}\n' > "$here/web/package.json"
# The typed API of the web module: the package's declarations plus `init`.
web_dts="$(node "$here/scripts/dts.mjs" web)"
printf "%s\n" "$web_dts" > "$here/web/fluxcd_core_wasm.d.ts"
ls -l "$here/pkg/fluxcd_core_wasm_bg.wasm" | awk '{print "built", $NF, $5, "bytes"}'

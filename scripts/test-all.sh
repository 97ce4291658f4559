#!/usr/bin/env bash
# Runs every check and test of the project. This is the README's test command,
# and what .ci/run calls after installing prerequisites.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# One dependency graph for cargo, maturin and napi (napi always passes --target).
export CARGO_BUILD_TARGET="${CARGO_BUILD_TARGET:-x86_64-unknown-linux-gnu}"

# Every conformance runner (Rust, Python, Node) writes its per-file counts here;
# conformance/STATUS.json is checked against them at the end (conformance/RUNNERS.md).
TARGET="${CARGO_TARGET_DIR:-target}"
case "$TARGET" in /*) ;; *) TARGET="$PWD/$TARGET" ;; esac
export CONFORMANCE_REPORT_DIR="$TARGET/conformance-reports"
rm -rf "$CONFORMANCE_REPORT_DIR"
mkdir -p "$CONFORMANCE_REPORT_DIR"

step() { printf '\n==> %s\n' "$*"; }

if [ ! -d ../shared ]; then
  echo "NOTE: ../shared not found: tests that read it print SKIPPED and pass."
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "generated API models are fresh (cargo xtask gen-api --check)"
cargo run -q -p xtask -- gen-api --check

step "exported JSON Schemas are fresh (cargo xtask schemas --check)"
cargo run -q -p xtask -- schemas --check

step "Python package: pip install ./bindings/python (dev profile, shared target dir)"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check maturin pytest mypy
PATH="$PWD/.venv/bin:$PATH" MATURIN_PEP517_ARGS="--profile dev" .venv/bin/pip install -q \
  --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps ./bindings/python
# Build pyo3 for cargo with the interpreter config maturin wrote, so cargo and maturin
# share one build of it instead of rebuilding each other's.
for f in "$TARGET"/maturin/pyo3-config-*.txt; do
  if [ -f "$f" ]; then export PYO3_CONFIG_FILE="$f"; fi
done

step "cargo clippy (all targets, warnings are errors)"
cargo clippy -q --workspace --all-targets -- -D warnings

step "cargo test (unit, integration, doc tests)"
cargo test --workspace

step "Python bindings: stubtest, pytest (API, docstring examples, every conformance vector)"
.venv/bin/python -m mypy.stubtest --mypy-config-file bindings/python/pyproject.toml fluxcd_core
.venv/bin/pytest -q -p no:cacheprovider bindings/python/tests

step "conformance/STATUS.json is fresh and the counts are equal across runtimes"
python3 scripts/conformance-status.py --check "$CONFORMANCE_REPORT_DIR" --runtimes rust,python

step "corpus counts (the corpus test again, with its report shown)"
cargo test -q -p fluxcd-core --test corpus -- --nocapture 2>&1 | grep -E '^(SKIPPED|[A-Za-z0-9_.-]+__[A-Za-z0-9_.-]+:)' || true

step "cargo doc (missing docs and broken links are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p fluxcd-core

step "benchmarks compile (run them with: cargo bench -p fluxcd-core-benches)"
cargo bench -q -p fluxcd-core-benches --no-run

step "the main job on the example fleet"
cargo run -q -p fluxcd-core-cli -- plan examples/fleet --output json > /dev/null

echo
echo "all checks passed"

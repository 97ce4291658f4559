#!/usr/bin/env bash
# Runs every check and test of the project. This is the README's test command,
# and what .ci/run calls after installing prerequisites.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

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

step "plan JSON schema is fresh (cargo xtask plan-schema --check)"
cargo run -q -p xtask -- plan-schema --check

step "cargo clippy (all targets, warnings are errors)"
cargo clippy -q --workspace --all-targets -- -D warnings

step "SARIF 2.1.0 schema for the SARIF test (npm package @microsoft/jest-sarif, cached; validated with python3 jsonschema)"
if schema="$(bash scripts/fetch-sarif-schema.sh)" && python3 -c 'import jsonschema' 2>/dev/null; then
  export FLUXCD_SARIF_SCHEMA="$schema" FLUXCD_SARIF_REQUIRED=1
  echo "schema: $schema"
elif [ "${CI:-}" = true ]; then
  echo "error: cannot fetch the SARIF schema (npm) or python3 jsonschema is missing" >&2
  exit 1
else
  echo "NOTE: no SARIF schema or no python3 jsonschema: the SARIF schema test prints SKIPPED."
fi

step "cargo test (unit, integration, doc tests)"
cargo test --workspace

step "corpus counts (the corpus test again, with its report shown)"
cargo test -q -p fluxcd-core --test corpus -- --nocapture 2>&1 | grep -E '^(SKIPPED|[A-Za-z0-9_.-]+__[A-Za-z0-9_.-]+:)' || true

step "plan on every corpus repository (counts by rule)"
cargo test -q -p fluxcd-core --test plan_corpus -- --nocapture 2>&1 | grep -E '^(SKIPPED|plan )' || true

step "SARIF validation against the 2.1.0 schema (the sarif_schema test again, with its report shown)"
cargo test -q -p fluxcd-core --test sarif_schema -- --nocapture 2>&1 | grep -E '(valid SARIF|SKIPPED|does not validate)' || true

step "cargo doc (missing docs and broken links are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p fluxcd-core

step "benchmarks compile (run them with: cargo bench -p fluxcd-core-benches)"
cargo bench -q -p fluxcd-core-benches --no-run

step "the main job on the example fleet"
cargo run -q -p fluxcd-core-cli -- plan examples/fleet --output json > /dev/null

echo
echo "all checks passed"

#!/usr/bin/env bash
# Times helm-controller's values composition (Go: fluxcd/pkg/chartutil
# ChartValuesFromReferences over a controller-runtime fake client, as pinned by
# conformance/oracle-values) and fluxcd_core::values::compose on the same
# HelmRelease (10 valuesFrom ConfigMaps of 1,000 keys each), and prints the
# ratio. Needs Go and Rust.
set -euo pipefail
cd "$(dirname "$0")/.."
file="$(mktemp --suffix=.json)"
trap 'rm -f "$file"' EXIT
rust_ns="$(cargo run -q --release -p fluxcd-core-benches --example values_vs_go -- "$file")"
go_ns="$(cd conformance/oracle-values && go run . bench "$file" 30 | sed -e 's/.*"best_ns":\([0-9]*\).*/\1/')"
awk -v r="$rust_ns" -v g="$go_ns" 'BEGIN {
  printf "Values of 10 layers x 1,000 keys: Go %.3f ms, Rust %.3f ms: Rust is %.2fx the speed of Go\n", g / 1e6, r / 1e6, g / r
}'

#!/usr/bin/env bash
# Times Flux's dependency.Sort (Go, fluxcd/pkg runtime as pinned by
# conformance/oracle-deps) and fluxcd_core::deps::sort on the same random DAG
# of 10,000 Kustomizations, and prints the ratio. Needs Go and Rust.
set -euo pipefail
cd "$(dirname "$0")/.."
file="$(mktemp --suffix=.json)"
trap 'rm -f "$file"' EXIT
rust_ns="$(cargo run -q --release -p fluxcd-core-benches --example deps_vs_go -- "$file")"
go_ns="$(cd conformance/oracle-deps && go run . bench "$file")"
awk -v r="$rust_ns" -v g="$go_ns" 'BEGIN {
  printf "Sort of 10,000 Kustomizations: Go %.3f ms, Rust %.3f ms: Rust is %.2fx the speed of Go\n", g / 1e6, r / 1e6, g / r
}'

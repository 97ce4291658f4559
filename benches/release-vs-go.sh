#!/usr/bin/env bash
# Times helm-controller's ShortenName (Go, the real function through the
# oracle's -overlay build, conformance/oracle-release) and
# fluxcd_core::release::shorten_name on the same 100,000 names, and prints the
# ratio. Needs Go and Rust.
set -euo pipefail
cd "$(dirname "$0")/.."
file="$(mktemp --suffix=.txt)"
trap 'rm -f "$file"' EXIT
rust_ns="$(cargo run -q --release -p fluxcd-core-benches --example release_vs_go -- "$file")"
go_ns="$(conformance/oracle-release/run.sh bench "$file")"
awk -v r="$rust_ns" -v g="$go_ns" 'BEGIN {
  printf "ShortenName of 100,000 names: Go %.3f ms, Rust %.3f ms: Rust is %.2fx the speed of Go\n", g / 1e6, r / 1e6, g / r
}'

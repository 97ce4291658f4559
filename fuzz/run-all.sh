#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600), at most JOBS (default 2) at
# once, each under `nice -n 19`, and prints executions and findings per target.
# Build first: `cargo +nightly fuzz build -s none` (the crate forbids unsafe, so
# no sanitizer is needed). Corpora go to fuzz/corpus/<target>, crashes to
# fuzz/artifacts/<target>/, logs to fuzz/logs/<target>.log (all git-ignored).
#
# Usage: bash fuzz/run-all.sh [SECONDS] [JOBS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-600}
jobs=${2:-2}
shift $(( $# > 2 ? 2 : $# )) || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(envsubst strvals values_compose yaml_load deps_graph plan_repo artifact_tar)
bin_dir="${CARGO_TARGET_DIR:-target}/x86_64-unknown-linux-gnu/release"
mkdir -p logs
run() {
  local t=$1
  mkdir -p "corpus/$t" "artifacts/$t"
  nice -n 19 "$bin_dir/$t" "corpus/$t" -max_total_time="$secs" -timeout=60 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="artifacts/$t/" > "logs/$t.log" 2>&1 || true
}
running=0
for t in "${targets[@]}"; do
  run "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n
    running=$((running - 1))
  fi
done
wait
printf '%-16s %12s %10s %8s %s\n' target executions exec/s corpus findings
for t in "${targets[@]}"; do
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$t.log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "logs/$t.log" | tail -1)
  corpus=$(ls "corpus/$t" | wc -l)
  found=$(ls "artifacts/$t" | wc -l)
  printf '%-16s %12s %10s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" "$corpus" "$found"
done

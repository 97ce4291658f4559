#!/usr/bin/env bash
# postBuild substitution: fluxcd-core against the upstream Go code, same input, same run.
#
# Generates a deterministic 1.4 MB stream of 4,000 resources (13,200 placeholders) with
# the Go oracle, times (a) envsubst over the whole text and (b) the whole postBuild
# pipeline per resource, in Go (fluxcd/pkg envsubst + kustomize.SubstituteVariables)
# and in Rust (fluxcd_core::subst + fluxcd_core::postbuild), and prints the ratios.
# Needs Go (and the module proxy on first run). Not a test: timings vary by machine.
set -euo pipefail
cd "$(dirname "$0")/.."
GO_ITER=${GO_ITER:-3}
RUST_ITER=${RUST_ITER:-20}
mkdir -p benches/data
stream=benches/data/postbuild-stream.yaml
vars=benches/data/postbuild-vars.json
(cd conformance/oracle-postbuild && go run . gen-bench-stream "../../$stream" "../../$vars")
echo "go: timing $GO_ITER iteration(s) (the Go pipeline takes several seconds each)..." >&2
go_json=$(cd conformance/oracle-postbuild && go run . bench "../../$stream" "../../$vars" "$GO_ITER")
rust_json=$(cargo run --release -q -p fluxcd-core-benches --example subst_vs_go -- "$stream" "$vars" "$RUST_ITER")
python3 - "$go_json" "$rust_json" <<'PY'
import json, sys
go, rs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
mb = rs["bytes"] / 1e6
print(f"input: {rs['bytes']} bytes, {rs['resources']} resources")
for key, label in (("envsubst_ns_per_iter", "envsubst over the whole stream"),
                   ("pipeline_ns_per_iter", "postBuild pipeline, every resource")):
    g, r = go[key] / 1e6, rs[key] / 1e6
    print(f"{label:38s} go {g:9.2f} ms   rust {r:8.2f} ms   ({mb / (r / 1e3):6.0f} MB/s)   rust is {g / r:6.1f}x faster")
PY

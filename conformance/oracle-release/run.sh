#!/usr/bin/env bash
# Builds and runs the release oracle with the upstream files overlaid (see README).
#   ./run.sh ../release          regenerate every DIR/<name>.json
#   ./run.sh gen ../release      rewrite generated.input.json
#   ./run.sh bench NAMES_FILE    time ShortenName on the names of a file
set -euo pipefail
cd "$(dirname "$0")"
HC=github.com/fluxcd/helm-controller@v1.6.3
HELM=helm.sh/helm/v4@v4.2.2
dir() { go mod download -json "$1" | sed -n 's/.*"Dir": "\(.*\)",/\1/p'; }
hc=$(dir $HC); helm=$(dir $HELM)
here=$(pwd)
overlay=$(mktemp); trap 'rm -f "$overlay"' EXIT
cat > "$overlay" <<JSON
{"Replace": {
  "$here/upstream/hcrelease/name.go": "$hc/internal/release/name.go",
  "$here/upstream/helmutil/validate_name.go": "$helm/pkg/chart/v2/util/validate_name.go"
}}
JSON
go build -overlay "$overlay" -o "${ORACLE_BIN:-/tmp/oracle-release}" .
exec "${ORACLE_BIN:-/tmp/oracle-release}" "$@"

#!/usr/bin/env bash
# Builds and runs the semver oracle (Masterminds/semver v3.5.0, see README.md).
#   ./run.sh ../semver          regenerate every DIR/<name>.json
#   ./run.sh gen ../semver      rewrite generated.input.json
#   ./run.sh upstream ../semver rewrite upstream.input.json from the library's own tests
set -euo pipefail
cd "$(dirname "$0")"
if [ "${1:-}" = upstream ]; then
  dir=$(go mod download -json github.com/Masterminds/semver/v3@v3.5.0 | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  exec python3 transcribe.py "$dir" "$2/upstream.input.json"
fi
go build -o "${ORACLE_BIN:-/tmp/oracle-semver}" .
exec "${ORACLE_BIN:-/tmp/oracle-semver}" "$@"

#!/usr/bin/env bash
# Builds and runs the image policy oracle with image-reflector-controller v1.2.0's
# internal/policy overlaid from the module cache (see README.md).
#   ./run.sh ../image          regenerate every DIR/<name>.json
#   ./run.sh gen ../image      rewrite generated.input.json
set -euo pipefail
cd "$(dirname "$0")"
# The proxy's checksum database does not know this tag: skip it for this download only.
IRC=$(GOSUMDB=off GOFLAGS=-mod=mod go mod download -json github.com/fluxcd/image-reflector-controller@v1.2.0 | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
here=$(pwd)
overlay=$(mktemp); trap 'rm -f "$overlay"' EXIT
{
  printf '{"Replace": {'
  sep=''
  for f in alphabetical.go filter.go numerical.go policer.go semver.go; do
    printf '%s"%s/upstream/policy/%s": "%s/internal/policy/%s"' "$sep" "$here" "$f" "$IRC" "$f"
    sep=','
  done
  printf '}}\n'
} > "$overlay"
go build -overlay "$overlay" -o "${ORACLE_BIN:-/tmp/oracle-image}" .
exec "${ORACLE_BIN:-/tmp/oracle-image}" "$@"

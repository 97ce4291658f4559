#!/usr/bin/env bash
# Fetches the SARIF 2.1.0 JSON schema (2.1.0-rtm.5, the schema of the final 2.1.0
# specification, draft-04) from the npm registry package @microsoft/jest-sarif,
# which ships it as lib/schemas/sarif-2.1.0-rtm.5.json, into a cache directory,
# checks its SHA-256 and prints its path. Nothing is committed: the test
# flux-core/tests/sarif_schema.rs reads it through FLUXCD_SARIF_SCHEMA.
set -euo pipefail
cache="${FLUXCD_CORE_CACHE:-$HOME/.cache/fluxcd-core}/sarif"
schema="$cache/sarif-schema-2.1.0.json"
want=2d99159ae54a3eea97f81781cff48780548657c35949f4b7f25e99a2ba4de4f8
if [ -f "$schema" ] && [ "$(sha256sum "$schema" | cut -d' ' -f1)" = "$want" ]; then
  echo "$schema"
  exit 0
fi
mkdir -p "$cache"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null 2>&1)
tar -xzf "$tmp"/microsoft-jest-sarif-1.0.0-beta.0.tgz -C "$tmp" package/lib/schemas/sarif-2.1.0-rtm.5.json
got="$(sha256sum "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" | cut -d' ' -f1)"
if [ "$got" != "$want" ]; then
  echo "SARIF schema checksum mismatch: $got" >&2
  exit 1
fi
cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$schema"
echo "$schema"

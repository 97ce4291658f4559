#!/usr/bin/env bash
# Serves the playground locally: builds the browser build of the WASM package if it
# is missing (bindings/wasm/build.sh), bundles the example fleet, and serves the
# repository statically on 127.0.0.1 with our own tiny Node server.
#
#   bash bindings/wasm/playground/serve.sh [--port N] [--rebuild]
#
# Then open the printed URL. Needs node (20 or later); the WASM build needs what
# bindings/wasm/build.sh needs (see its header).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
port=8080
rebuild=0
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --rebuild) rebuild=1; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "serve.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [ "$rebuild" = 1 ] || ! ls "$root"/bindings/wasm/web/*.wasm >/dev/null 2>&1; then
  echo "==> building the WASM package (bindings/wasm/build.sh)"
  bash "$root/bindings/wasm/build.sh"
fi
node "$here/bundle-fleet.mjs"
exec node "$here/server.mjs" --root "$root" --port "$port"

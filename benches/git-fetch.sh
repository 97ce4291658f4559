#!/usr/bin/env bash
# Fetch + artifact of a 5,000-file repository over loopback smart HTTP (git-http-backend
# behind flux-core/tests/support/git_http_server.py): `fluxcd-core fetch` (gix, shallow,
# our tar.gz writer) timed in the same run as `git clone --depth 1` + `tar czf` of the
# same tree. Prints the median of N runs of each and the ratio (goal: ratio <= 1.0).
#
# Usage: bash benches/git-fetch.sh [--runs N] [--bin FILE] [--files N]
#   --runs N    runs of each side (default 5; the median is printed)
#   --bin FILE  time this fluxcd-core binary instead of building the release one
#   --files N   files in the repository (default 5000, in 350 directories)
# Environment: CARGO_TARGET_DIR is honoured.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
bin=
files=5000
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    --files) files="$2"; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ -z "$bin" ]; then
  cargo build -q --release -p fluxcd-core-cli
  bin="${CARGO_TARGET_DIR:-target}/release/fluxcd-core"
fi
[ -x "$bin" ] || { echo "no binary at $bin" >&2; exit 2; }

work="$(mktemp -d)"
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
g() { git -c user.name=bench -c user.email=bench@example.com -c init.defaultBranch=master "$@"; }

# The repository: $files YAML files in 350 directories, 5 commits.
src="$work/src"
mkdir -p "$src"
g -C "$src" init -q
python3 - "$src" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, f"apps/team-{i % 35:02d}/svc-{i % 350:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"res-{i:05d}.yaml"), "w") as f:
        f.write(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n  namespace: team-{i % 35}\n"
                f"data:\n  index: \"{i}\"\n  payload: \"{'x' * (i % 700)}\"\n")
PY
g -C "$src" add -A && g -C "$src" commit -q -m "c1"
for c in 2 3 4 5; do
  find "$src/apps" -name "res-*$c.yaml" -exec sh -c 'echo "# rev '"$c"'" >> "$1"' _ {} \;
  g -C "$src" commit -q -am "c$c"
done
mkdir -p "$work/srv"
g clone -q --bare "$src" "$work/srv/repo.git"
pack_kb=$(du -sk "$work/srv/repo.git/objects" | cut -f1)

# The server.
exec 3< <(python3 flux-core/tests/support/git_http_server.py "$work/srv")
server_pid=$!
read -r _ port <&3
url="http://127.0.0.1:$port/repo.git"

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

ours_t=(); git_t=()
for i in $(seq 1 "$runs"); do
  rm -rf "$work/o" "$work/g" "$work/g.tar.gz"
  t0=$(now)
  "$bin" fetch "$url" --branch master --out "$work/o.tar.gz" --output json > "$work/o.json"
  t1=$(now)
  g clone -q --depth 1 --branch master "$url" "$work/g"
  tar czf "$work/g.tar.gz" -C "$work/g" --exclude=.git .
  t2=$(now)
  ours_t+=("$(echo "$t1 - $t0" | bc -l)")
  git_t+=("$(echo "$t2 - $t1" | bc -l)")
done

ours=$(printf '%s\n' "${ours_t[@]}" | median)
gitm=$(printf '%s\n' "${git_t[@]}" | median)
ratio=$(echo "$ours / $gitm" | bc -l)
ofiles=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"])' "$work/o.json")
gfiles=$(tar tzf "$work/g.tar.gz" | grep -vc '/$' || true)
printf 'repository: %s files in 350 dirs, 5 commits, %s KiB of objects; %s runs each\n' "$files" "$pack_kb" "$runs"
printf 'fluxcd-core fetch (gix + artifact):  median %.3f s  (files in artifact: %s, size %s B)\n' "$ours" "$ofiles" "$(stat -c %s "$work/o.tar.gz")"
printf 'git clone --depth 1 + tar czf:       median %.3f s  (entries in tarball: %s, size %s B)\n' "$gitm" "$gfiles" "$(stat -c %s "$work/g.tar.gz")"
printf 'ratio fluxcd-core / git: %.2f (goal <= 1.00)\n' "$ratio"

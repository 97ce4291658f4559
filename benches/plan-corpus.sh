#!/usr/bin/env bash
# Times `fluxcd-core plan` (release build) on every repository of ../shared/corpus and on
# examples/fleet: median wall time and peak RSS of N runs per repository, and whether the
# largest repository meets the goal of issue 7 (< 300 ms, < 200 MB).
#
# When a peer tool can run here, it is timed on the same repositories in the same run and the
# ratio printed. The peer is flux-local (`flux-local build all --no-enable-helm PATH`, which
# renders the Kustomizations without inflating charts, the closest match to `plan`); it needs
# the `flux` and `kustomize` binaries on PATH. When it cannot run, the script says why.
#
# Usage: bash benches/plan-corpus.sh [--runs N] [--install-peer] [--corpus DIR] [--bin FILE]
#   --runs N          runs per repository (default 5; the median is printed)
#   --bin FILE        time this fluxcd-core binary instead of building the release one
#   --install-peer    try `pip install flux-local` into a temporary venv (removed at exit)
#                     when no flux-local is on PATH
#   --corpus DIR      the corpus (default ../shared/corpus)
# Environment: CARGO_TARGET_DIR is honoured; FLUX_LOCAL=path/to/flux-local selects the peer.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
install_peer=0
corpus=../shared/corpus
bin=
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --install-peer) install_peer=1; shift ;;
    --corpus) corpus="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

if [ -z "$bin" ]; then
  cargo build -q --release -p fluxcd-core-cli
  bin="${CARGO_TARGET_DIR:-target}/release/fluxcd-core"
fi
[ -x "$bin" ] || { echo "no binary at $bin" >&2; exit 2; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

peer="${FLUX_LOCAL:-$(command -v flux-local || true)}"
if [ -z "$peer" ] && [ "$install_peer" = 1 ]; then
  if python3 -m venv "$tmp/venv" >/dev/null 2>&1 &&
     "$tmp/venv/bin/pip" install -q flux-local >"$tmp/pip.log" 2>&1; then
    peer="$tmp/venv/bin/flux-local"
    echo "peer: installed flux-local $("$tmp/venv/bin/pip" show flux-local | sed -n 's/^Version: //p') into a temporary venv"
  else
    echo "peer: pip install flux-local failed: $(tail -n 1 "$tmp/pip.log" 2>/dev/null)"
  fi
fi

repos=()
if [ -d "$corpus" ]; then
  for d in "$corpus"/*/; do repos+=("${d%/}"); done
else
  echo "NOTE: $corpus not found: only examples/fleet is timed"
fi
repos+=(examples/fleet)

python3 - "$bin" "$runs" "$peer" "${repos[@]}" <<'PY'
import os, shutil, statistics, subprocess, sys, time

binary, runs, peer, repos = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
GOAL_MS, GOAL_MB = 300.0, 200.0


def run_once(cmd):
    """Wall time (s), peak RSS (MB) and exit status of one run of cmd."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    err = p.stderr.read().decode(errors="replace")
    p.stderr.close()
    p.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024.0, p.returncode, err


def measure(cmd):
    times, rss, code, err = [], [], 0, ""
    for _ in range(runs):
        w, m, code, err = run_once(cmd)
        times.append(w)
        rss.append(m)
    return statistics.median(times) * 1000.0, max(rss), code, err


def size(repo):
    files, total = 0, 0
    for root, _, names in os.walk(repo):
        for n in names:
            try:
                total += os.path.getsize(os.path.join(root, n))
                files += 1
            except OSError:
                pass
    return files, total


def peer_problem():
    """None when the peer can run here, else why it cannot."""
    why = []
    if not peer:
        why.append("flux-local is not installed (it is on PyPI: run with --install-peer, "
                   "or set FLUX_LOCAL)")
    else:
        try:
            p = subprocess.run([peer, "--help"], capture_output=True, text=True, timeout=120)
            if p.returncode != 0:
                last = (p.stderr.strip().splitlines() or ["(no message)"])[-1]
                why.append(f"flux-local does not start with this Python "
                           f"({sys.version.split()[0]}): {last}")
        except OSError as e:
            why.append(f"{peer}: {e}")
    missing = [b for b in ("flux", "kustomize") if shutil.which(b) is None]
    if missing:
        why.append("flux-local shells out to " + " and ".join(f"`{b}`" for b in missing)
                   + ", not on PATH (no package of the registries reachable here provides them)")
    return "; ".join(why) or None


problem = peer_problem()
print(f"fluxcd-core plan, release build, median of {runs} run(s), peak RSS of the process")
header = f"{'repository':<42} {'files':>6} {'KiB':>7} {'exit':>4} {'median ms':>10} {'peak MB':>8}"
if problem is None:
    header += f" {'flux-local ms':>14} {'ratio':>7}"
print(header)
rows = []
for repo in repos:
    files, total = size(repo)
    ms, mb, code, err = measure([binary, "plan", repo, "--output", "json"])
    if code not in (0, 1):  # 1 = error diagnostics found, a normal outcome of plan
        print(f"{repo}: plan failed with exit {code}: {err.strip()[:300]}")
    label = repo if repo.startswith("examples/") else os.path.basename(repo)
    line = f"{label:<42} {files:>6} {total // 1024:>7} {code:>4} {ms:>10.1f} {mb:>8.1f}"
    if problem is None:
        pms, _, pcode, perr = measure([peer, "build", "all", "--no-enable-helm", repo])
        if pcode == 0:
            line += f" {pms:>14.1f} {pms / ms:>6.1f}x"
        else:
            tail = (perr.strip().splitlines() or [""])[-1][:120]
            line += f" {'failed':>14} ({tail})"
    print(line)
    rows.append((total, repo, ms, mb))

largest = max(rows)
ok = largest[2] < GOAL_MS and largest[3] < GOAL_MB
print(f"goal on the largest repository ({largest[1]}): "
      f"{largest[2]:.1f} ms < {GOAL_MS:.0f} ms and {largest[3]:.1f} MB < {GOAL_MB:.0f} MB: "
      + ("MET" if ok else "NOT MET"))
if problem is not None:
    print(f"peer not timed: {problem}")
PY

#!/usr/bin/env bash
# fluxcd-core against upstream Go, every engine, one run, one table.
#
# Builds the release CLI and the bench examples, builds the Go oracles
# (conformance/oracle-*, the upstream packages at the versions Flux 2.9 pins),
# then times both sides on the same input files in the same run and prints one
# table (operation, input size, ours median, Go median, ratio). Writes the table
# and a description of the machine (CPU model, cores, load) to
# docs/benchmarks.md.
#
# Rows: envsubst, the postBuild pipeline, values composition, release-name
# shortening, dependency sort, corpus load + type, plan of each corpus
# repository (no upstream equivalent: Go column says so), Git fetch + artifact
# (benches/git-fetch.sh: vs `git clone --depth 1` + `tar czf` over loopback HTTP).
#
# "Median" is the median over --runs runs of each side's timing mode; each run
# reports what its mode measures (envsubst/pipeline: mean per iteration;
# values/names/sort: best of the mode's inner loop on both sides; corpus load:
# criterion's median for ours, the median of the Go loop; plan and fetch: wall
# time of one process). Timings vary by machine and load; ratios are what to read.
#
# Usage: bash benches/compare.sh [--quick] [--runs N] [--no-write] [--corpus DIR]
#   --quick     one run per row and shorter inner loops (about a minute once built)
#   --runs N    runs per row (default 3)
#   --no-write  print the table only; leave docs/benchmarks.md alone
#   --corpus D  the fleet corpus (default ../shared/corpus; rows that need it
#               say "SKIPPED" when it is absent)
# Needs: cargo, Go (module proxy on the first run), python3, git, tar.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
quick=0
write=1
corpus=../shared/corpus
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; runs=1; shift ;;
    --runs) runs="$2"; shift 2 ;;
    --no-write) write=0; shift ;;
    --corpus) corpus="$2"; shift 2 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

target="${CARGO_TARGET_DIR:-target}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
started=$(date +%s)

echo "building (release): fluxcd-core CLI, bench examples, criterion bench..." >&2
cargo build -q --release -p fluxcd-core-cli
cargo build -q --release -p fluxcd-core-benches --examples
echo "building the Go oracles..." >&2
(cd conformance/oracle-postbuild && go build -o "$tmp/oracle-postbuild" .)
(cd conformance/oracle-deps && go build -o "$tmp/oracle-deps" .)
(cd conformance/oracle-values && go build -o "$tmp/oracle-values" .)
# oracle-release needs its -overlay build; run.sh builds it to ORACLE_BIN.
printf 'a\n' > "$tmp/one-name.txt"
ORACLE_BIN="$tmp/oracle-release" conformance/oracle-release/run.sh bench "$tmp/one-name.txt" >/dev/null 2>&1

python3 - "$target" "$tmp" "$runs" "$quick" "$write" "$corpus" "$started" <<'PY'
import json, os, platform, re, shutil, statistics, subprocess, sys, time

target, tmp, runs, quick, write, corpus, started = sys.argv[1:8]
runs, quick, write, started = int(runs), quick == "1", write == "1", int(started)
ex = lambda name: os.path.join(target, "release", "examples", name)
cli = os.path.join(target, "release", "fluxcd-core")
rows = []  # (operation, input, ours_ns or None, go_ns or None, note)


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def median(xs):
    return statistics.median(xs) if xs else None


def fmt_ms(ns):
    return "—" if ns is None else f"{ns / 1e6:.3f} ms" if ns < 1e9 else f"{ns / 1e9:.2f} s"


def wall(cmd, cwd=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, cwd=cwd)
    d = (time.perf_counter() - t) * 1e9
    return d, p


# envsubst and the postBuild pipeline: the same 1.4 MB stream of 4,000 resources.
stream, vars_ = os.path.join(tmp, "stream.yaml"), os.path.join(tmp, "vars.json")
sh([os.path.join(tmp, "oracle-postbuild"), "gen-bench-stream", stream, vars_])
go_iter, rs_iter = ("1", "5") if quick else ("2", "20")
go_env, go_pipe, rs_env, rs_pipe = [], [], [], []
for _ in range(runs):
    g = json.loads(sh([os.path.join(tmp, "oracle-postbuild"), "bench", stream, vars_, go_iter]))
    r = json.loads(sh([ex("subst_vs_go"), stream, vars_, rs_iter]))
    go_env.append(g["envsubst_ns_per_iter"]); go_pipe.append(g["pipeline_ns_per_iter"])
    rs_env.append(r["envsubst_ns_per_iter"]); rs_pipe.append(r["pipeline_ns_per_iter"])
size = f"{r['bytes'] / 1e6:.1f} MB, {r['resources']} resources"
rows.append(("envsubst (whole stream)", size, median(rs_env), median(go_env), "fluxcd/pkg/envsubst v1.7.0"))
rows.append(("postBuild pipeline (every resource)", size, median(rs_pipe), median(go_pipe),
             "kustomize.SubstituteVariables; Go's figure includes its fake client"))

# values composition, shortening, dependency sort: each example writes the input file.
def paired(op, size, rust_ex, go_cmd, parse_go, note):
    f = os.path.join(tmp, rust_ex + ".input")
    rs, go = [], []
    for _ in range(runs):
        rs.append(int(sh([ex(rust_ex), f]).strip()))
        go.append(parse_go(sh(go_cmd(f))))
    rows.append((op, size, median(rs), median(go), note))

paired("values composition", "10 valuesFrom layers × 1,000 keys", "values_vs_go",
       lambda f: [os.path.join(tmp, "oracle-values"), "bench", f, "10" if quick else "30"],
       lambda out: json.loads(out)["best_ns"], "chartutil.ChartValuesFromReferences (fake client)")
paired("release name shortening", "100,000 names", "release_vs_go",
       lambda f: [os.path.join(tmp, "oracle-release"), "bench", f],
       lambda out: int(out.strip()), "helm-controller ShortenName (SHA-256)")
paired("dependency sort", "10,000 Kustomizations", "deps_vs_go",
       lambda f: [os.path.join(tmp, "oracle-deps"), "bench", f],
       lambda out: int(out.strip()), "fluxcd/pkg/runtime dependency.Sort")

# Corpus load + type: criterion (ours) and the Go loop (sigs.k8s.io/yaml).
have_corpus = os.path.isdir(corpus)
if have_corpus:
    crit = ["cargo", "bench", "-q", "-p", "fluxcd-core-benches", "--bench", "load_corpus", "--",
            "--noplot"]
    if quick:
        crit += ["--warm-up-time", "1", "--measurement-time", "2"]
    subprocess.run(crit, check=True, capture_output=True)
    est = os.path.join(target, "criterion", "corpus", "load_validate_type", "new", "estimates.json")
    ours = json.load(open(est))["median"]["point_estimate"]
    g = json.loads(sh([os.path.join(tmp, "oracle-postbuild"), "bench-load", corpus,
                       "3" if quick else str(max(5, runs * 2))]))
    rows.append(("corpus load + type", f"{g['files']} files, {g['bytes'] / 1e6:.1f} MB", ours,
                 g["median_ns"], "Go: sigs.k8s.io/yaml per document, Kustomizations into the v1 "
                 "API type, the rest into maps (no validation); ours: load, validate, type all 15 kinds"))
else:
    rows.append(("corpus load + type", "SKIPPED: no corpus", None, None, f"{corpus} not found"))

# Plan of each corpus repository (and the example fleet): no upstream equivalent.
repos = ([os.path.join(corpus, d) for d in sorted(os.listdir(corpus))] if have_corpus else []) + ["examples/fleet"]
for repo in repos:
    if not os.path.isdir(repo):
        continue
    files = total = 0
    for root, dirs, names in os.walk(repo):
        dirs[:] = [d for d in dirs if d != ".git"]
        for n in names:
            if n.endswith((".yaml", ".yml")):
                files += 1
                total += os.path.getsize(os.path.join(root, n))
    ts = [wall([cli, "plan", repo, "--output", "json"])[0] for _ in range(max(runs, 3))]
    label = repo if repo.startswith("examples/") else os.path.basename(repo)
    rows.append((f"plan {label}", f"{files} YAML files, {total // 1024} KiB", median(ts), None,
                 "no Go equivalent: Flux plans nothing offline; flux-local (the nearest peer) "
                 "cannot run here (needs the flux and kustomize binaries)"))

# Git fetch + artifact vs git clone --depth 1 + tar czf: benches/git-fetch.sh (a
# 5,000-file repository with 5 commits, served over loopback smart HTTP) with our
# release binary, both sides in the same run.
has_fetch = subprocess.run([cli, "fetch", "--help"], capture_output=True).returncode == 0
if not has_fetch:
    rows.append(("Git fetch + artifact", "—", None, None,
                 "not built: this fluxcd-core has no `fetch` subcommand"))
elif shutil.which("git") is None or shutil.which("git-http-backend") is None and not any(
        os.path.exists(os.path.join(d, "git-http-backend"))
        for d in ("/usr/lib/git-core", "/usr/libexec/git-core")):
    rows.append(("Git fetch + artifact", "—", None, None, "SKIPPED: git or git-http-backend not installed"))
else:
    files = 1000 if quick else 5000
    p = subprocess.run(["bash", "benches/git-fetch.sh", "--bin", cli, "--runs", str(max(runs, 3)),
                        "--files", str(files)], capture_output=True, text=True)
    got = re.findall(r"median ([0-9.]+) s", p.stdout)
    if p.returncode != 0 or len(got) != 2:
        rows.append(("Git fetch + artifact", f"{files} files", None, None,
                     "fetch failed: " + (p.stderr or p.stdout).strip()[-200:]))
    else:
        kib = re.search(r"([0-9]+) KiB of objects", p.stdout)
        rows.append(("Git fetch + artifact", f"{files} files, 5 commits, {kib.group(1) if kib else '?'} KiB "
                     "of objects, loopback smart HTTP", float(got[0]) * 1e9, float(got[1]) * 1e9,
                     "peer column: `git clone --depth 1` + `tar czf` of the same tree (not Go: "
                     "source-controller cannot run offline); benches/git-fetch.sh"))

# The table.
def ratio(o, g):
    return "—" if o is None or g is None else f"{g / o:.1f}×"

header = ("operation", "input", "ours (median)", "Go (median)", "Go ÷ ours", "notes")
table = [header] + [(op, size, fmt_ms(o), fmt_ms(g) if g is not None else ("n/a" if o is not None else "—"),
                     ratio(o, g), note) for op, size, o, g, note in rows]
w = [max(len(r[i]) for r in table) for i in range(5)]
for r in table:
    print("  ".join(r[i].ljust(w[i]) for i in range(5)))

def read(path):
    try:
        return open(path).read()
    except OSError:
        return ""

cpu = next((l.split(":", 1)[1].strip() for l in read("/proc/cpuinfo").splitlines()
            if l.startswith("model name")), platform.processor() or "unknown")
load = " ".join(read("/proc/loadavg").split()[:3]) or "unknown"
go_version = sh(["go", "version"]).strip()
rustc = sh(["rustc", "--version"]).strip()
elapsed = int(time.time()) - started
print(f"\nmachine: {cpu}, {os.cpu_count()} cores, load average {load}; {go_version}; {rustc}; "
      f"{runs} run(s) per row; total {elapsed} s")
if write:
    md = ["# Benchmarks: fluxcd-core against upstream Go", "",
          "Generated by `bash benches/compare.sh" + (" --quick" if quick else "") + "` "
          "(do not edit: rerun the command). Both sides run on the same input files in the same run.", "",
          f"- Machine: {cpu}, {os.cpu_count()} cores, load average {load} (1/5/15 min) when the table was written",
          f"- Toolchains: {rustc}; {go_version}",
          f"- Runs per row: {runs}; the command took {elapsed} s", "",
          "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in table[1:]:
        md.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
    md += ["", "How each figure is measured: see the header of `benches/compare.sh`. \"n/a\" means "
           "there is no upstream program doing the same work; \"not built\" that our side of the row "
           "does not exist yet. The Go programs are `conformance/oracle-*` (upstream packages at the "
           "versions Flux 2.9 pins); their timing modes are `bench` (envsubst/pipeline, values, "
           "names, sort) and `bench-load` (corpus).", ""]
    os.makedirs("docs", exist_ok=True)
    open("docs/benchmarks.md", "w").write("\n".join(md))
    print("wrote docs/benchmarks.md")
PY

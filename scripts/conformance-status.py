#!/usr/bin/env python3
"""Writes or checks conformance/STATUS.json from the conformance runners' reports.

Each runner (Rust, Python, Node, and the Node runner on the WebAssembly package),
run with CONFORMANCE_REPORT_DIR=DIR, writes
DIR/<runtime>/<area>/<file>.json = {"pass": n, "known": n, "skip": n} for every
vector file it ran (see conformance/RUNNERS.md).

    scripts/conformance-status.py --write DIR --runtimes rust,python,node,wasm
    scripts/conformance-status.py --check DIR --runtimes rust,python,node,wasm

--check fails when a vector file has no report from a runtime, when the counts
differ between runtimes, or when the committed STATUS.json is not what --write
would write.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFORMANCE = ROOT / "conformance"
STATUS = CONFORMANCE / "STATUS.json"
FIELDS = ("pass", "known", "skip")
# Areas whose API needs the operating system (files, archives, Git objects): the
# WebAssembly package does not have it, so its runner does not run them.
NATIVE_ONLY = {"wasm": {"artifact", "signature"}}


def vector_files() -> list[str]:
    return sorted(
        str(p.relative_to(CONFORMANCE))
        for p in CONFORMANCE.glob("*/*.json")
        if not p.name.endswith(".input.json") and p.parent.name != "schema"
    )


def build(reports: Path, runtimes: list[str]) -> tuple[dict, list[str]]:
    problems: list[str] = []
    files: dict[str, dict] = {}
    totals = {rt: {f: 0 for f in FIELDS} for rt in runtimes}
    for rel in vector_files():
        row: dict[str, dict] = {}
        for rt in runtimes:
            if rel.split("/")[0] in NATIVE_ONLY.get(rt, set()):
                continue
            path = reports / rt / rel
            if not path.is_file():
                problems.append(f"{rel}: no report from {rt} ({path})")
                continue
            counts = json.loads(path.read_text())
            row[rt] = {f: int(counts[f]) for f in FIELDS}
            for f in FIELDS:
                totals[rt][f] += row[rt][f]
        distinct = {json.dumps(v, sort_keys=True) for v in row.values()}
        if len(distinct) > 1:
            problems.append(f"{rel}: counts differ between runtimes: {row}")
        files[rel] = row
    for rt in runtimes:
        extra = sorted(
            str(p.relative_to(reports / rt))
            for p in (reports / rt).glob("*/*.json")
            if str(p.relative_to(reports / rt)) not in files
        ) if (reports / rt).is_dir() else []
        for e in extra:
            problems.append(f"{rt} reports {e}, which is not a vector file")
    return {"files": files, "totals": totals}, problems


def render(status: dict) -> str:
    text = json.dumps(status, indent=2)
    # One line per runtime's counts.
    text = re.sub(
        r'\{\s*"pass": (\d+),\s*"known": (\d+),\s*"skip": (\d+)\s*\}',
        r'{"pass": \1, "known": \2, "skip": \3}',
        text,
    )
    return text + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", metavar="DIR", type=Path)
    mode.add_argument("--check", metavar="DIR", type=Path)
    ap.add_argument("--runtimes", default="rust,python,node,wasm")
    args = ap.parse_args()
    runtimes = [r for r in args.runtimes.split(",") if r]
    reports = args.write or args.check
    status, problems = build(reports, runtimes)
    text = render(status)
    if args.write:
        STATUS.write_text(text)
        print(f"wrote {STATUS.relative_to(ROOT)}")
    else:
        committed = STATUS.read_text() if STATUS.is_file() else ""
        if committed != text:
            problems.append(
                "conformance/STATUS.json is stale: regenerate it with "
                f"scripts/conformance-status.py --write DIR --runtimes {','.join(runtimes)}"
            )
    for rt in runtimes:
        t = status["totals"][rt]
        print(f"{rt}: {t['pass']} pass, {t['known']} known differences, {t['skip']} skipped")
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

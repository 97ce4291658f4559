"""Every vector file of ``conformance/`` through the Python API.

The same files and the same per-case rules as the Rust conformance tests
(``flux-core/tests/*_conformance.rs``): the same comparisons (errors by code and by
upstream message text where the Rust test compares the text), the same skipped cases
and the same known-differences lists, copied with their reasons. One pytest test per
check, with the id ``<area>/<file>::<case>``. See ``conformance/RUNNERS.md``.

With ``CONFORMANCE_REPORT_DIR`` set, the pass/known/skip counts of each file are
written to ``$CONFORMANCE_REPORT_DIR/python/<area>/<file>`` for
``conformance/STATUS.json``.
"""

from __future__ import annotations

import copy
import json
import math
import os
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import pytest

import fluxcd_core as fc

ROOT = Path(__file__).resolve().parents[3]
CONFORMANCE = ROOT / "conformance"

#: A check returns None when it agrees with the oracle, else a description of the
#: difference. The string "skip: <why>" skips it.
Check = Callable[[], Optional[str]]

COUNTS: Dict[str, Dict[str, int]] = defaultdict(lambda: {"pass": 0, "known": 0, "skip": 0})


def load(rel: str) -> Any:
    return json.loads((CONFORMANCE / rel).read_text(encoding="utf-8"))


def vector_files() -> List[str]:
    return sorted(
        str(p.relative_to(CONFORMANCE))
        for p in CONFORMANCE.glob("*/*.json")
        if not p.name.endswith(".input.json") and p.parent.name != "schema"
    )


# ---------------------------------------------------------------------------
# Comparisons
# ---------------------------------------------------------------------------


def _is_num(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def same_exact_ints(a: Any, b: Any) -> bool:
    """JSON equality; integers exactly, other numbers by float64 value (as the
    Rust tests' ``same``/``json_eq``)."""
    if _is_num(a) and _is_num(b):
        if isinstance(a, int) and isinstance(b, int):
            return a == b
        return float(a) == float(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_exact_ints(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(k in b and same_exact_ints(v, b[k]) for k, v in a.items())
    if _is_num(a) or _is_num(b):
        return False
    return type(a) is type(b) and a == b


def same_f64(a: Any, b: Any) -> bool:
    """JSON equality with every number compared as a float64."""
    if _is_num(a) and _is_num(b):
        return float(a) == float(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_f64(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(k in b and same_f64(v, b[k]) for k, v in a.items())
    if _is_num(a) or _is_num(b):
        return False
    return type(a) is type(b) and a == b


def go_json(text: str) -> Any:
    """JSON text as the emit test reads it: integers in the int64/uint64 range stay
    integers, other numbers are float64, and a number beyond the float64 range is
    the string of its spelling (as go-yaml v2 reads it)."""

    def num(t: str) -> Any:
        try:
            v = int(t)
            if -(2**63) <= v < 2**64:
                return v
        except ValueError:
            pass
        f = float(t)
        return f if math.isfinite(f) else t

    return json.loads(text, parse_int=num, parse_float=num)


def err_of(fn: Callable[[], Any]) -> Tuple[Any, Optional[fc.FluxError]]:
    try:
        return fn(), None
    except fc.FluxError as e:
        return None, e


# ---------------------------------------------------------------------------
# yaml/scalars.json (flux-core/tests/yaml_conformance.rs)
# ---------------------------------------------------------------------------

YAML_KNOWN = {
    "special-float-.inf": "`.inf`/`.nan` values have no JSON form: Kubernetes rejects the "
    "document, we load a non-finite float (which becomes null)",
    **{
        n: "as special-float-.inf"
        for n in [
            "special-float-.Inf",
            "special-float-.INF",
            "special-float-+.inf",
            "special-float-+.Inf",
            "special-float-+.INF",
            "special-float--.inf",
            "special-float--.Inf",
            "special-float--.INF",
            "special-float-.nan",
            "special-float-.NaN",
            "special-float-.NAN",
            "tag-float-inf",
        ]
    },
    "line-break-ps-single-quoted": "a raw U+2029 (or U+2028, U+0085) inside a scalar is a line "
    "break for go-yaml v2 (YAML 1.1), which drops the indentation after it; our YAML 1.2 parser "
    "keeps it as an ordinary character",
    **{
        n: "as line-break-ps-single-quoted"
        for n in [
            "line-break-ps-double-quoted",
            "line-break-ps-plain",
            "line-break-ls-single-quoted",
            "line-break-nel-single-quoted",
        ]
    },
}


def yaml_checks(rel: str, data: Any = None) -> Iterator[Tuple[str, Check, bool]]:
    cases = load(rel) if data is None else data
    names = {c["name"] for c in cases}
    if data is None:
        assert all(n in names for n in YAML_KNOWN), "YAML_KNOWN names a missing case"
    for case in cases:

        def check(case: Dict[str, Any] = case) -> Optional[str]:
            docs, err = err_of(lambda: fc.yaml_to_json(case["yaml"]))
            if case.get("expect_error") is True:
                return None if err is not None else f"oracle fails ({case.get('error')}), we load {docs}"
            if err is not None:
                return f"we fail: {err.code}: {err}"
            first = docs[0] if docs else None
            if same_exact_ints(first, case["expect"]):
                return None
            return f"want {case['expect']!r}, got {first!r}"

        yield case["name"], check, case["name"] in YAML_KNOWN


# ---------------------------------------------------------------------------
# postbuild/emit.json and postbuild/source.json (emit_conformance.rs)
# ---------------------------------------------------------------------------

EMIT_NOT_REPRESENTABLE = {
    "error/empty": "empty text: not JSON (go-yaml v2 reads it as null)",
    "error/unclosed": "truncated text: not JSON (go-yaml v2 fails too)",
    "error/trailing-comma": '`{"a":1,}`: not JSON (go-yaml v2 reads a flow mapping)',
    "error/bare": "`{a:1}`: not JSON (go-yaml v2 reads the key `a:1`)",
    "error/two-docs": "two JSON texts: not one JSON text (go-yaml v2 reads the first)",
    "number/-0.0": "Go's encoding/json writes the value -0.0 as `-0`, read back as the integer 0",
    "escapes/lone-surrogate": "`\\ud800` alone is no character",
    "escapes/json": "go-yaml v2 refuses the escaped surrogate pair in the text, not the value",
}


def emit_checks(rel: str, data: Any = None) -> Iterator[Tuple[str, Check, bool]]:
    cases = (load(rel) if data is None else data)["cases"]
    names = {c["name"] for c in cases}
    assert all(n in names for n in EMIT_NOT_REPRESENTABLE)
    for case in cases:

        def check(case: Dict[str, Any] = case) -> Optional[str]:
            name = case["name"]
            if name in EMIT_NOT_REPRESENTABLE:
                return "skip: " + EMIT_NOT_REPRESENTABLE[name]
            value = go_json(case["json"])
            got, err = err_of(lambda: fc.json_to_yaml(value))
            go_error = case.get("error")
            if go_error is not None:
                if err is not None and str(err).startswith(go_error):
                    return None
                return f"want error {go_error!r}, got {got!r} / {err}"
            if err is not None:
                return f"want YAML, got error {err.code}: {err}"
            if case.get("nondeterministic") is True:
                # Go orders these keys at random: compare the sorted lines. (The Rust
                # test also checks that our key order has the same intransitive cycle;
                # that is a property of the vector, not of the API.)
                lines = sorted(got.split("\n")[:-1] if got.endswith("\n") else got.split("\n"))
                return None if lines == case["lines"] else f"lines differ: {lines} vs {case['lines']}"
            return None if got == case.get("yaml") else f"want {case.get('yaml')!r}, got {got!r}"

        yield case["name"], check, False


SOURCE_KNOWN: Dict[str, str] = {}
RESOURCE_CHECKS = [
    "missing kind in object",
    "missing metadata.name in object",
    "missing Resource metadata",
]


def source_checks(rel: str, data: Any = None) -> Iterator[Tuple[str, Check, bool]]:
    cases = (load(rel) if data is None else data)["cases"]
    for case in cases:

        def check(case: Dict[str, Any] = case) -> Optional[str]:
            error = case.get("error")
            if error is not None and any(c in error for c in RESOURCE_CHECKS):
                return "skip: the build fails in kustomize's resource checks, not in reading YAML"
            docs, err = err_of(lambda: fc.yaml_to_json(case["yaml"], schema="kustomize"))
            roots = [d for d in (docs or []) if d is not None]
            failed = err is not None
            if error is not None:
                return None if failed else f"Go fails ({error}) but the document loads"
            count = case["resource_count"]
            if count > 1:
                return "skip: kustomize unwraps a `kind: List` into several resources"
            if count == 0:
                return None if not failed and not roots else f"no resource, we load {roots} ({err})"
            if case.get("json_error") is not None:
                return None if failed else f"Go fails ({case['json_error']}) but the document loads"
            want = go_json(case["json"])
            if failed or len(roots) != 1:
                return f"Go loads it but we report {err}"
            ours = roots[0]
            if not same_exact_ints(ours, want):
                return f"want {want}, got {ours}"
            emitted, emit_err = err_of(lambda: fc.json_to_yaml(ours))
            if "emitted" in case and case["emitted"] is not None:
                return None if emitted == case["emitted"] else f"emitted {emitted!r}, want {case['emitted']!r}"
            return None if emit_err is not None else f"Go fails to emit, we emit {emitted!r}"

        yield case["name"], check, case["name"] in SOURCE_KNOWN


# ---------------------------------------------------------------------------
# postbuild/{upstream-pkg,upstream-controller,generated}.json (postbuild_conformance.rs)
# ---------------------------------------------------------------------------

POSTBUILD_KNOWN = {
    # `\r` in a value: go-yaml v2 takes the carriage return as a line break.
    'typing/83 "a\\rb" [ConfigMap/t-single-quoted]',
    'typing/83 "a\\rb" [ConfigMap/t-double-quoted]',
    'typing/83 "a\\rb" [ConfigMap/t-quote-trick]',
    # An unbalanced `"` from a variable opens a double-quoted scalar over several lines.
    "random/020 [ConfigMap/r1]",
    # `&anchor` as a whole key: go-yaml v2 reads an anchored null key and fails.
    'typing/62 "&anchor" [ConfigMap/t-key]',
    # A tab as a whole list item: go-yaml v2 fails, we read an empty string.
    'typing/80 "\\t" [ConfigMap/t-list-item]',
    # kyaml cannot re-read its own output of the result; we keep the result.
    'typing/78 "\\\\n" [ConfigMap/t-double-quoted]',
}


def _ident(v: Dict[str, Any]) -> Tuple[str, str, str]:
    meta = v.get("metadata") if isinstance(v.get("metadata"), dict) else {}
    s = lambda x: x if isinstance(x, str) else ""  # noqa: E731
    return (s(v.get("kind")), s(meta.get("namespace")), s(meta.get("name")))


def postbuild_checks(rel: str, data: Any = None) -> Iterator[Tuple[str, Check, bool]]:
    cases = (load(rel) if data is None else data)["cases"]
    for case in cases:
        name = case.get("name", "?")
        if case.get("build_error") is not None:
            yield name, (lambda: "skip: kustomize fails to build the case"), False
            continue
        kss = fc.parse(case.get("kustomization") or "")
        ks: Optional[Dict[str, Any]] = kss[0] if kss else None
        if ks is not None and case.get("direct") is True:
            # Cases from upstream unit tests call SubstituteVariables directly,
            # whatever the Kustomization's postBuild says.
            ks = copy.deepcopy(ks)
            spec = ks.setdefault("spec", {})
            if case.get("post_build", True):
                if not isinstance(spec.get("postBuild"), dict):
                    spec["postBuild"] = {}
                always = case.get("substitute_always")
                if isinstance(always, bool):
                    if always:
                        spec["postBuild"]["substituteStrategy"] = "Always"
                    else:
                        spec["postBuild"].pop("substituteStrategy", None)
            else:
                spec.pop("postBuild", None)
        cluster = fc.parse(case.get("cluster") or "")
        resources = fc.parse_resources(case.get("resources") or "")
        strict = case["strict"] if isinstance(case.get("strict"), bool) else True
        dry_run = case.get("dry_run") is True
        for want in case.get("results") or []:
            key = (want.get("kind", ""), want.get("namespace", ""), want.get("name", ""))
            label = f"{name} [{key[0]}/{key[2]}]"

            def check(
                want: Dict[str, Any] = want,
                key: Tuple[str, str, str] = key,
                ks: Optional[Dict[str, Any]] = ks,
                cluster: List[Any] = cluster,
                resources: List[Any] = resources,
                strict: bool = strict,
                dry_run: bool = dry_run,
                case: Dict[str, Any] = case,
            ) -> Optional[str]:
                if ks is None:
                    return "no Kustomization"
                res = next((r for r in resources if _ident(r) == key), None)
                if res is None:
                    return f"resource {key} not found in our reading"
                got, err = err_of(
                    lambda: fc.substitute_resource(
                        res, ks, resources=cluster, strict=strict, dry_run=dry_run
                    )
                )
                outcome = want.get("outcome", "")
                if outcome == "error":
                    if err is None:
                        return f"expected error {want.get('error')!r}, got {got['outcome']}"
                    want_err = want.get("error", "")
                    ours = str(err)
                    if err.code == "postbuild.yaml":
                        ok = want_err.startswith("envsubst error: YAMLToJSON: ")
                    elif err.code == "postbuild.invalid_var_name":
                        names = case.get("invalid_names") or []
                        ok = "var name is invalid" in want_err and bool(names) and f"'{names[0]}'" in ours
                    else:
                        ok = ours == want_err
                    if not ok:
                        return f"error\n  ours: {ours}\n  want: {want_err}"
                    controller = want.get("controller_error")
                    if controller is not None and err.code not in (
                        "postbuild.yaml",
                        "postbuild.invalid_var_name",
                    ):
                        mine = err.details.get("controllerMessage")
                        if mine != controller:
                            return f"controller error\n  ours: {mine}\n  want: {controller}"
                    return None
                if err is not None:
                    return f"unexpected error {err.code}: {err}"
                if got["outcome"] != outcome:
                    return f"outcome {got['outcome']}, want {outcome}"
                emitted = want.get("emitted")
                if emitted is not None and got["emitted"] and got["emitted"] != emitted:
                    return f"emitted text differs\n  ours: {got['emitted']!r}\n  want: {emitted!r}"
                if want.get("json") is not None:
                    expect = json.loads(want["json"])
                    if not same_f64(got["object"], expect):
                        return f"result\n  ours: {got['object']}\n  want: {expect}"
                return None

            yield label, check, label in POSTBUILD_KNOWN


# ---------------------------------------------------------------------------
# release/*.json (release_conformance.rs)
# ---------------------------------------------------------------------------


def _hr_doc(h: Dict[str, Any]) -> Dict[str, Any]:
    spec: Dict[str, Any] = {"interval": "10m"}
    for k in ("releaseName", "targetNamespace", "storageNamespace"):
        if h.get(k) is not None:
            spec[k] = h[k]
    if h.get("chartRef"):
        spec["chartRef"] = {"kind": "OCIRepository", "name": "chart"}
    else:
        source: Dict[str, Any] = {"kind": "HelmRepository", "name": "repo"}
        if h.get("chartSourceNamespace") is not None:
            source["namespace"] = h["chartSourceNamespace"]
        spec["chart"] = {"spec": {"chart": "chart", "sourceRef": source}}
    return {
        "apiVersion": "helm.toolkit.fluxcd.io/v2",
        "kind": "HelmRelease",
        "metadata": {"name": h["name"], "namespace": h["namespace"]},
        "spec": spec,
    }


def release_check(c: Dict[str, Any]) -> Optional[str]:
    e = c["expect"]
    h = c.get("hr")
    if c.get("shorten") is not None:
        composed = c["shorten"]
    elif h is not None:
        composed = fc.compose_release_name(
            h["name"],
            target_namespace=h.get("targetNamespace"),
            release_name=h.get("releaseName"),
        )
    else:
        return "case has neither shorten nor hr"
    if h is not None and composed != e.get("composed", ""):
        return f"composed {composed!r}, Go {e.get('composed')!r}"
    short_hex = fc.shorten_release_name_bytes(composed.encode()).hex()
    if short_hex != e["shortHex"]:
        return f"shortened bytes {short_hex}, Go {e['shortHex']}"
    ours, err = err_of(lambda: fc.shorten_release_name(composed))
    go_short = e.get("short")
    if not ((go_short is not None and ours == go_short) or (
        go_short is None and err is not None and err.code == "release.split_character"
    )):
        return f"shorten_release_name {ours!r}/{err}, Go {go_short!r}"
    if h is None:
        valid = go_short is not None and fc.is_valid_release_name(go_short)
        if valid != (e["helmError"] == ""):
            return f"valid={valid}, Helm says {e['helmError']!r}"
        return None
    info, err = err_of(lambda: fc.release_names(_hr_doc(h)))
    if err is not None and err.code.startswith(("api.", "embed.")):
        return f"not typed as a HelmRelease: {err}"
    if err is None:
        if e["helmError"]:
            return f"accepted, Helm says {e['helmError']!r}"
        got = (info["releaseName"], info["releaseNamespace"], info["storageNamespace"], info["helmChart"])
        want = (go_short, e.get("releaseNamespace", ""), e.get("storageNamespace", ""), e.get("helmChart"))
        if got != want:
            return f"got {got}, Go {want}"
        if info["shortened"] != (info["releaseName"] != info["composedName"]):
            return "shortened flag wrong"
        return None
    if not e["helmError"]:
        return f"rejected ({err}), Helm accepts"
    want_code = "release.split_character" if go_short is None else "release.invalid_name"
    if err.code != want_code:
        return f"error code {err.code}, expected {want_code}"
    tail = e["helmError"]
    prefix = "invalid release name, "
    while tail.startswith(prefix):
        tail = tail[len(prefix):]
    if want_code == "release.invalid_name" and tail not in str(err):
        return f"message {str(err)!r} lacks Helm's {tail!r}"
    return None


def release_checks(rel: str, data: Any = None) -> Iterator[Tuple[str, Check, bool]]:
    for c in (load(rel) if data is None else data)["cases"]:
        yield c["name"], (lambda c=c: release_check(c)), False


# ---------------------------------------------------------------------------
# deps/*.json (deps_conformance.rs)
# ---------------------------------------------------------------------------

#: readyExpr cases whose message differs from cel-go's (validity and class agree):
#: after a syntax error, ANTLR's Go runtime narrows the expected tokens where the
#: Rust runtime lists every token that could follow.
READY_EXPR_KNOWN = {"expr-126", "expr-127"}


def sort_checks(rel: str, data: Any = None) -> Iterator[Tuple[str, Check, bool]]:
    for c in (load(rel) if data is None else data)["cases"]:

        def check(c: Dict[str, Any] = c) -> Optional[str]:
            order, err = err_of(lambda: fc.sort_dependents(c["objects"]))
            want_order = c["expect"].get("order")
            want_err = c["expect"].get("error")
            if want_order is not None and want_err is None and err is None:
                return None if order == want_order else f"order {order}, want {want_order}"
            if want_order is None and want_err is not None and err is not None:
                if not isinstance(err, fc.DependencyCycleError) or err.code != "deps.cycle":
                    return f"not a cycle error: {err.code}"
                if str(err) != want_err:
                    return f"message {str(err)!r}, want {want_err!r}"
                cycle = err.cycle
                if not cycle or cycle[-1] not in cycle[:-1]:
                    return f"the cycle {cycle} does not close"
                return None
            return f"expected {want_order} / {want_err}, got {order} / {err}"

        yield c["name"], check, False


def ready_expr_checks(rel: str, data: Any = None) -> Iterator[Tuple[str, Check, bool]]:
    for c in (load(rel) if data is None else data)["cases"]:

        def check(c: Dict[str, Any] = c) -> Optional[str]:
            want = c["expect"].get("error")
            if c["expect"]["valid"] != (want is None):
                return "inconsistent vector"
            _, err = err_of(lambda: fc.check_ready_expr(c["expr"]))
            if want is None:
                return None if err is None else f"valid for cel-go, we say {err.code}: {err}"
            if err is None:
                return f"cel-go says {want!r}, we accept it"
            if want.startswith("failed to parse the CEL expression"):
                cls = "deps.ready_expr_syntax"
            elif want.startswith("CEL expression output type mismatch"):
                cls = "deps.ready_expr_type"
            else:
                return f"unexpected oracle error {want}"
            if err.code != cls:
                return f"{err.code}: {err}\n  want: {want}"
            if str(err) != want:
                return f"message differs\n  ours: {err}\n  go:   {want}"
            return None

        yield c["name"], check, c["name"] in READY_EXPR_KNOWN


# ---------------------------------------------------------------------------
# subst/*.json (subst_conformance.rs)
# ---------------------------------------------------------------------------

SUBST_KNOWN: Dict[Tuple[str, str], str] = {}


def subst_check(case: Dict[str, Any]) -> Optional[str]:
    text = case["input"]
    strict = case.get("strict") is True
    vars_ = case.get("vars") or {}
    expect = case["expect"]
    got, err = err_of(lambda: fc.envsubst_bytes(text, vars_, strict=strict))
    got_str, err_str = err_of(lambda: fc.envsubst(text, vars_, strict=strict))
    if "tree" in case:
        tree, terr = err_of(lambda: fc.envsubst_tree(text))
        if terr is not None:
            return f"oracle parsed it, we failed: {terr}"
        if tree != case["tree"]:
            return f"tree differs:\n  want {case['tree']}\n  got  {tree}"
    if case.get("panics") is True:
        if err is not None and err.code == "subst.negative_length":
            return None
        return f"Flux panics ({expect.get('panic')}); we must raise subst.negative_length, got {got!r}/{err}"
    if "error" in expect:
        code, message = expect["error"]["code"], expect["error"]["message"]
        if err is None or err.code != code or message not in str(err):
            return f"want error {code} {message!r}, got {got!r}/{err and err.code} {err}"
        if err_str is None or (err_str.code, str(err_str)) != (err.code, str(err)):
            return f"envsubst and envsubst_bytes disagree: {got_str!r}/{err_str}"
        return None
    if isinstance(expect.get("output"), str):
        want = expect["output"].encode()
    elif isinstance(expect.get("output_hex"), str):
        want = bytes.fromhex(expect["output_hex"])
    else:
        return f"unknown expectation {expect}"
    if err is not None:
        return f"want {want!r}, got error {err}"
    if got != want:
        return f"want {want!r}, got {got!r}"
    try:
        want_text: Optional[str] = want.decode("utf-8")
    except UnicodeDecodeError:
        want_text = None
    if want_text is not None and err_str is None and got_str == want_text:
        return None
    if want_text is None and err_str is not None and err_str.code == "subst.invalid_utf8":
        return None
    return f"the str API disagrees: {got_str!r}/{err_str}"


def subst_checks(rel: str, data: Any = None) -> Iterator[Tuple[str, Check, bool]]:
    fname = Path(rel).name
    for c in (load(rel) if data is None else data)["cases"]:
        yield c["name"], (lambda c=c: subst_check(c)), (fname, c["name"]) in SUBST_KNOWN


# ---------------------------------------------------------------------------
# values/*.json (values_conformance.rs)
# ---------------------------------------------------------------------------


def values_map(v: Any) -> Dict[str, Any]:
    """A map as the Rust test's ``map_of`` reads it: anything but an object is ``{}``."""
    return v if isinstance(v, dict) else {}


def values_run(c: Dict[str, Any]) -> Tuple[Any, Optional[str]]:
    kind = c["kind"]
    if kind == "compose":
        objects = [
            {
                "apiVersion": "v1",
                "kind": o.get("kind"),
                "metadata": {"name": o.get("name")},
                "data": o.get("data"),
                "stringData": o.get("stringData"),
            }
            for o in c.get("objects") or []
        ]
        spec: Dict[str, Any] = {"valuesFrom": c.get("refs") or []}
        if "inline" in c:
            spec["values"] = c["inline"]
        hr = {
            "apiVersion": "helm.toolkit.fluxcd.io/v2",
            "kind": "HelmRelease",
            "metadata": {"name": "release", "namespace": "flux-system"},
            "spec": spec,
        }
        got, err = err_of(lambda: fc.compose_values(hr, resources=objects))
    elif kind == "strvals":
        # Parse / ParseString start from an empty map, as ParseInto / ParseIntoString
        # into a new map do; `then` is a second line into the same map.
        func = c.get("func") or ("ParseIntoString" if c.get("string") is True else "ParseInto")
        if func not in ("Parse", "ParseString", "ParseInto", "ParseIntoString"):
            raise AssertionError(f"unknown func {func}")
        dest = c.get("dest") if func in ("ParseInto", "ParseIntoString") else None
        lines = [c["set"]] + ([c["then"]] if isinstance(c.get("then"), str) else [])
        got, err = err_of(
            lambda: fc.parse_set(lines, dest=dest, string=func in ("ParseString", "ParseIntoString"))
        )
    elif kind == "replace":

        def replace() -> Any:
            def text(k: str) -> str:
                v = c.get(k)
                return v if isinstance(v, str) else ""

            literal = c.get("literal") is True
            out = fc.replace_path_value(c.get("dest"), text("path"), text("value"), literal=literal)
            if isinstance(c.get("then_path"), str):
                out = fc.replace_path_value(out, c["then_path"], text("then_value"), literal=literal)
            return out

        got, err = err_of(replace)
    elif kind == "verify":
        digest = c.get("digest") if isinstance(c.get("digest"), str) else ""
        got, err = fc.verify_values(digest, values_map(c.get("values"))), None
    elif kind == "merge":
        # A present key is a map (a non-map value counts as `{}`); a missing one is nil.
        a = (c["a"] if c["a"] is not None else {}) if "a" in c else None
        b = (c["b"] if c["b"] is not None else {}) if "b" in c else None
        got, err = fc.merge_values(a, b), None
    elif kind == "digest":
        algo = c.get("algo") or "sha256"
        got, err = fc.values_digest(values_map(c.get("values")), algorithm=algo), None
    else:
        raise AssertionError(f"unknown kind {kind}")
    return got, (str(err) if err is not None else None)


def values_checks(rel: str, data: Any = None) -> Iterator[Tuple[str, Check, bool]]:
    for c in (load(rel) if data is None else data)["cases"]:

        def check(c: Dict[str, Any] = c) -> Optional[str]:
            got, err = values_run(c)
            want_err = c.get("error")
            if want_err is not None:
                return None if err == want_err else f"want error {want_err!r}, got {got!r}/{err!r}"
            if err is not None:
                return f"unexpected error {err!r}"
            want = None if c.get("expect_null") is True else c.get("expect")
            return None if same_f64(got, want) else f"want {want!r}, got {got!r}"

        yield c["name"], check, False


# ---------------------------------------------------------------------------
# semver/*.json (flux-core/tests/semver_conformance.rs)
# ---------------------------------------------------------------------------


def semver_check_case(c: Dict[str, Any]) -> Optional[str]:
    e = c["expect"]
    want_err = e.get("error") or ""
    if "version" in c:
        got, err = err_of(lambda: fc.semver_parse(c["version"]))
        if err is None:
            if want_err:
                return f"accepted as {got['string']}, Go: {want_err}"
            w = e["version"]
            mine = {k: got[k] for k in ("string", "prerelease", "metadata", "original")}
            mine.update({k: str(got[k]) for k in ("major", "minor", "patch")})
            if mine != w:
                return f"got {mine}, Go {w}"
            return None
    elif "constraint" in c:
        norm, err = err_of(lambda: fc.semver_constraint(c["constraint"]))
        if err is None:
            if want_err:
                return f"accepted, Go: {want_err}"
            if norm != e.get("constraint", ""):
                return f"String() {norm!r}, Go {e.get('constraint')!r}"
            check = []
            for v in c.get("versions", []):
                _, verr = err_of(lambda v=v: fc.semver_parse(v))
                check.append(None if verr else fc.semver_check(c["constraint"], v))
            if check != e.get("check"):
                return f"check {check} on {c.get('versions')}, Go {e.get('check')}"
            return None
    else:
        got, err = err_of(lambda: fc.semver_compare(c["compare"][0], c["compare"][1]))
        if err is None:
            if got != e.get("compare") or want_err:
                return f"compare {got}, Go {e.get('compare')} {want_err}"
            return None
    assert err is not None
    if err.code not in ("semver.invalid_version", "semver.invalid_constraint"):
        return f"code {err.code}"
    if str(err) != want_err:
        return f"error {str(err)!r}, Go {want_err!r}"
    return None


def semver_checks(rel: str, data: Any = None) -> Iterator[Tuple[str, Check, bool]]:
    for c in (data or load(rel))["cases"]:
        yield c["name"], (lambda c=c: semver_check_case(c)), False


# ---------------------------------------------------------------------------
# artifact/generated.json (artifact_conformance.rs)
# ---------------------------------------------------------------------------


def _random_bytes(r: Dict[str, Any]) -> bytes:
    """The oracle's xorshift32 content."""
    x = r["seed"] & 0xFFFFFFFF
    alphabet = r["alphabet"].encode()
    out = bytearray(r["size"])
    for i in range(r["size"]):
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        out[i] = alphabet[x % len(alphabet)] if alphabet else x & 0xFF
    return bytes(out)


def _build_tree(root: Path, entries: List[Dict[str, Any]]) -> None:
    for e in entries:
        p = root / e["path"]
        p.parent.mkdir(parents=True, exist_ok=True)
        kind = e.get("type", "")
        mode = int(e["mode"], 8) if e.get("mode") else None
        if kind == "dir":
            p.mkdir(parents=True, exist_ok=True)
            os.chmod(p, mode if mode is not None else 0o755)
        elif kind == "symlink":
            os.symlink(e["target"], p)
        else:
            if e.get("random"):
                content = _random_bytes(e["random"])
            else:
                content = (e.get("content", "") * (e.get("repeat") or 1)).encode()
            p.write_bytes(content)
            os.chmod(p, mode if mode is not None else 0o644)


def artifact_checks(rel: str, data: Any = None) -> Iterator[Tuple[str, Check, bool]]:
    """Per tree: the tar stream byte for byte, and the gzip artifact with Go's digest and size."""
    import base64
    import gzip
    import hashlib
    import tempfile

    for t in load(rel) if data is None else data:

        def check(t: Dict[str, Any] = t) -> Optional[str]:
            with tempfile.TemporaryDirectory(prefix="fluxcd-core-artifact-") as tmp:
                root = Path(tmp) / "checkout"
                root.mkdir()
                _build_tree(root, t["entries"])
                tar = fc.tar_stream(root, ignore=t["ignore"])
                out = Path(tmp) / "a.tar.gz"
                a = fc.archive(root, out, ignore=t["ignore"])
                gz = out.read_bytes()
            if hashlib.sha256(tar).hexdigest() != t["tar_sha256"] or len(tar) != t["tar_size"]:
                want = base64.b64decode(t["tar_base64"])
                first = next((i for i, (x, y) in enumerate(zip(tar, want)) if x != y), min(len(tar), len(want)))
                return f"tar stream differs: {len(tar)} bytes vs {t['tar_size']}, first difference at byte {first}"
            if a["files"] != t["files"]:
                return f"files {a['files']}, want {t['files']}"
            if gzip.decompress(gz) != tar:
                return "the gzip artifact does not hold the tar stream"
            if a["digest"] != t["digest"] or a["size"] != t["size"]:
                return f"gzip artifact {a['digest']} ({a['size']} bytes), Go's {t['digest']} ({t['size']} bytes)"
            return None

        yield t["name"], check, False


# ---------------------------------------------------------------------------
# image/*.json (flux-core/tests/image_conformance.rs)
# ---------------------------------------------------------------------------

PATTERN_ERROR = "failed to filter tags: invalid regular expression pattern '"


def image_check_case(c: Dict[str, Any]) -> Optional[str]:
    spec: Dict[str, Any] = {"policy": c["policy"]}
    if c.get("filterTags") is not None:
        spec["filterTags"] = c["filterTags"]
    e = c["expect"]
    got, err = err_of(lambda: fc.image_policy({"spec": spec}, c["tags"]))
    if err is not None:
        if not e["error"]:
            return f"error {err}, Go selects {e['tag']!r}"
        if e["error"].startswith(PATTERN_ERROR):
            i = e["error"].find("': error parsing regexp: ")
            prefix = e["error"][: i + 25] if i >= 0 else e["error"]
            if not str(err).startswith(prefix):
                return f"error {str(err)!r}, Go {e['error']!r}"
        elif str(err) != e["error"]:
            return f"error {str(err)!r}, Go {e['error']!r}"
        return None
    if e["error"]:
        return f"selects {got['tag']!r}, Go: {e['error']}"
    possible = e.get("possible") or []
    if (got["tag"] not in possible) if possible else (got["tag"] != e["tag"]):
        return f"selects {got['tag']!r}, Go {e['tag']!r} {possible}"
    cands = sorted(got["candidates"]) if c.get("filterTags") is not None else got["candidates"]
    if cands != e.get("candidates"):
        return f"candidates {cands}, Go {e.get('candidates')}"
    if got["dropped"] != e.get("dropped"):
        return f"dropped {got['dropped']}, Go {e.get('dropped')}"
    return None


def image_checks(rel: str, data: Any = None) -> Iterator[Tuple[str, Check, bool]]:
    for c in (data or load(rel))["cases"]:
        yield c["name"], (lambda c=c: image_check_case(c)), False


# ---------------------------------------------------------------------------
# The suite
# ---------------------------------------------------------------------------

# ---------------------------------------------------------------------------
# signature/objects.json (signature_conformance.rs)
# ---------------------------------------------------------------------------

SIGNATURE_KNOWN: Dict[str, str] = {}


def signature_check(doc: Dict[str, Any], c: Dict[str, Any]) -> Optional[str]:
    import base64

    keys = {k: doc["keys"][v].encode() for k, v in doc["secrets"][c["secret"]].items()}
    obj = doc["objects"][c["object"]]
    raw = base64.b64decode(obj["raw"])
    want = c["expect"]
    if c["verify"] == "commit":
        got, err = err_of(lambda: fc.verify_commit_signature(raw, obj["hash"], keys))
        ok = lambda g: None if g["keyId"] == want.get("keyId") else f"key id {g['keyId']} != {want}"
    elif c["verify"] == "tag":
        got, err = err_of(lambda: fc.verify_tag_signature(raw, keys, name=obj["name"]))
        if got is not None and got["tag"] != want.get("label"):
            return f"label {got['tag']} != {want.get('label')}"
        ok = lambda g: None if g["keyId"] == want.get("keyId") else f"key id {g['keyId']} != {want}"
    else:
        tag = c.get("tagObject")
        raw_tag = base64.b64decode(doc["objects"][tag]["raw"]) if tag else None
        got, err = err_of(
            lambda: fc.verify_checkout_signatures(
                c["mode"], obj["hash"], raw, keys, reference=c.get("reference"), raw_tag=raw_tag
            )
        )
        if want.get("skipped"):
            return None if got is not None and got["mode"] is None else f"not skipped: {got} {err}"
        ok = (
            lambda g: None
            if g["message"] == want.get("message") and g["mode"] == want.get("mode")
            else f"success {g} != {want}"
        )
    if err is not None:
        if "error" not in want:
            return f"expected success {want}, got {err.code}: {err}"
        if str(err) != want["error"]:
            return f"message differs\n  ours: {err!s}\n  go:   {want['error']}"
        if err.details.get("reason") != want["reason"]:
            return f"reason {err.details.get('reason')} != {want['reason']}"
        return None
    if "error" in want:
        return f"go fails with {want['error']!r}, we verify: {got}"
    return ok(got)


def signature_checks(rel: str, data: Any = None) -> Iterator[Tuple[str, Check, bool]]:
    doc = load(rel) if data is None else data
    for c in doc["cases"]:

        def check(c: Dict[str, Any] = c) -> Optional[str]:
            return signature_check(doc, c)

        yield c["name"], check, c["name"] in SIGNATURE_KNOWN


RUNNERS: Dict[str, Callable[..., Iterator[Tuple[str, Check, bool]]]] = {
    "yaml/scalars.json": yaml_checks,
    "postbuild/emit.json": emit_checks,
    "postbuild/source.json": source_checks,
    "postbuild/upstream-pkg.json": postbuild_checks,
    "postbuild/upstream-controller.json": postbuild_checks,
    "postbuild/generated.json": postbuild_checks,
    "release/upstream.json": release_checks,
    "release/generated.json": release_checks,
    "deps/upstream-sort.json": sort_checks,
    "deps/generated.json": sort_checks,
    "deps/ready-expr.json": ready_expr_checks,
    "values/upstream.json": values_checks,
    "values/strvals.json": values_checks,
    "values/strvals-upstream.json": values_checks,
    "values/generated.json": values_checks,
    "semver/upstream.json": semver_checks,
    "semver/generated.json": semver_checks,
    "signature/objects.json": signature_checks,
    "artifact/generated.json": artifact_checks,
    "image/generated.json": image_checks,
}
for _f in vector_files():
    if _f.startswith("subst/"):
        RUNNERS[_f] = subst_checks


def collect() -> List[Any]:
    params = []
    for rel in vector_files():
        runner = RUNNERS.get(rel)
        if runner is None:
            continue  # test_every_vector_file_has_a_runner fails
        for name, check, known in runner(rel):
            params.append(pytest.param(rel, check, known, id=f"{rel}::{name}"))
    return params


def test_every_vector_file_has_a_runner() -> None:
    files = vector_files()
    assert len(files) >= 20, files
    missing = [f for f in files if f not in RUNNERS]
    assert not missing, f"vector files without a Python runner: {missing}"


@pytest.fixture(scope="session", autouse=True)
def _report() -> Iterator[None]:
    yield
    out = os.environ.get("CONFORMANCE_REPORT_DIR")
    if not out:
        return
    for rel, counts in COUNTS.items():
        path = Path(out) / "python" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            '{"pass": %d, "known": %d, "skip": %d}\n' % (counts["pass"], counts["known"], counts["skip"])
        )


@pytest.mark.parametrize("rel,check,known", collect())
def test_vector(rel: str, check: Check, known: bool) -> None:
    problem = check()
    if problem is not None and problem.startswith("skip: "):
        COUNTS[rel]["skip"] += 1
        pytest.skip(problem[len("skip: "):])
    if known:
        assert problem is not None, "listed as a known difference but agrees now: remove it from the list"
        COUNTS[rel]["known"] += 1
        pytest.xfail(problem)
    assert problem is None, problem
    COUNTS[rel]["pass"] += 1


def test_the_checks_catch_wrong_answers() -> None:
    """A tampered vector must fail each kind of check: the comparisons are not vacuous."""
    sub = next(c for c in load("subst/upstream-eval.json")["cases"] if "output" in c["expect"])
    bad = copy.deepcopy(sub)
    bad["expect"]["output"] += "!"
    assert subst_check(sub) is None and subst_check(bad) is not None

    rel = next(c for c in load("release/upstream.json")["cases"] if c["expect"].get("short"))
    bad = copy.deepcopy(rel)
    bad["expect"]["shortHex"] = "00"
    assert release_check(rel) is None and (release_check(bad) or "").startswith("shortened bytes")

    sv = next(c for c in load("semver/generated.json")["cases"] if c["expect"].get("check"))
    bad = copy.deepcopy(sv)
    bad["expect"]["check"] = [None if x is None else not x for x in bad["expect"]["check"]]
    assert semver_check_case(sv) is None and (semver_check_case(bad) or "").startswith("check")
    sig = load("signature/objects.json")
    good = next(c for c in sig["cases"] if c["verify"] == "commit" and "keyId" in c["expect"])
    bad = copy.deepcopy(good)
    bad["expect"]["keyId"] = "0000000000000000"
    assert signature_check(sig, good) is None and signature_check(sig, bad) is not None
    failing = next(c for c in sig["cases"] if c["verify"] == "checkout" and "error" in c["expect"])
    bad = copy.deepcopy(failing)
    bad["expect"]["error"] += "!"
    assert signature_check(sig, failing) is None and signature_check(sig, bad) is not None

    im = next(c for c in load("image/generated.json")["cases"] if c["expect"]["tag"])
    bad = copy.deepcopy(im)
    bad["expect"]["tag"] += "!"
    bad["expect"].pop("possible", None)
    assert image_check_case(im) is None and (image_check_case(bad) or "").startswith("selects")

    for rel_file, runner in [
        ("values/upstream.json", values_checks),
        ("deps/generated.json", sort_checks),
        ("yaml/scalars.json", yaml_checks),
    ]:
        data = load(rel_file)
        cases = data if isinstance(data, list) else data["cases"]
        case = next(c for c in cases if "error" not in c and not c.get("expect_error") and not c.get("expect_null"))
        bad = copy.deepcopy(case)
        if "order" in bad.get("expect", {}) and bad["expect"]["order"]:
            bad["expect"]["order"] = list(reversed(bad["expect"]["order"])) + ["x/y"]
        else:
            bad["expect"] = {"tampered": True}
        tampered = [bad] if isinstance(data, list) else {**data, "cases": [bad]}
        problems = [check() for _, check, _ in runner(rel_file, tampered)]
        assert problems and problems[0] is not None, rel_file

"""The Python API itself: docstring examples, signatures, exceptions, types."""

from __future__ import annotations

import doctest
import inspect
import pickle
import tempfile
from pathlib import Path

import pytest

import fluxcd_core as fc
from fluxcd_core import _errors

ROOT = Path(__file__).resolve().parents[3]


def _documented():
    yield "fluxcd_core", fc
    yield "fluxcd_core._errors", _errors
    for name in fc.__all__:
        obj = getattr(fc, name)
        if callable(obj) and getattr(obj, "__module__", "") == "fluxcd_core._native":
            yield name, obj


@pytest.mark.parametrize("name,obj", list(_documented()), ids=lambda x: x if isinstance(x, str) else "")
def test_docstring_examples_run(name, obj):
    finder = doctest.DocTestFinder(exclude_empty=False)
    tests = finder.find(obj, name, globs={})
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    examples = 0
    for t in tests:
        examples += len(t.examples)
        runner.run(t)
    if name != "plan":  # plan needs a checkout on disk: tested below
        assert examples > 0, f"{name} has no example in its docstring"
    assert runner.failures == 0, f"{runner.failures} failing example(s) in {name}"


def test_every_native_function_is_exported_and_documented():
    from fluxcd_core import _native

    for name in _native.__all__:
        assert name in fc.__all__, name
        obj = getattr(_native, name)
        if callable(obj):
            assert obj.__doc__ and len(obj.__doc__) > 40, name


def test_options_are_keyword_only():
    for fn, opts in [
        (fc.parse, ["file"]),
        (fc.envsubst, ["strict"]),
        (fc.substitute, ["resources", "strict", "dry_run"]),
        (fc.compose_values, ["resources"]),
        (fc.explain_values, ["resources"]),
        (fc.plan, ["profiles", "vars", "var_files", "sources"]),
        (fc.plan_sarif, ["profiles", "vars", "var_files", "sources"]),
        (fc.fetch, ["out_dir", "branch", "tag", "semver", "commit", "ref_name", "secret", "timeout"]),
        (fc.yaml_to_json, ["schema"]),
        (fc.parse_set, ["dest", "string"]),
        (fc.replace_path_value, ["literal"]),
        (fc.values_digest, ["algorithm"]),
        (fc.verify_tag_signature, ["name"]),
        (fc.verify_checkout_signatures, ["reference", "raw_tag"]),
        (fc.archive, ["ignore", "max_size", "max_files"]),
        (fc.tar_stream, ["ignore", "max_size", "max_files"]),
    ]:
        params = inspect.signature(fn).parameters
        for o in opts:
            assert params[o].kind is inspect.Parameter.KEYWORD_ONLY, (fn.__name__, o)
    with pytest.raises(TypeError):
        fc.envsubst("x", {}, False)  # type: ignore[misc]


def test_exception_hierarchy_and_fields():
    with pytest.raises(fc.SubstitutionError) as info:
        fc.envsubst("a\n  ${nope}", {})
    e = info.value
    assert isinstance(e, fc.FluxError) and isinstance(e, ValueError)
    assert e.code == "subst.undefined"
    assert str(e) == 'variable not set (strict mode): "nope"'
    assert (e.location.line, e.location.column) == (2, 3)
    assert e.details == {}
    again = pickle.loads(pickle.dumps(e))
    assert type(again) is fc.SubstitutionError
    assert (again.code, again.location, str(again)) == (e.code, e.location, str(e))

    with pytest.raises(fc.ManifestError) as info:
        fc.parse("a: [1\n", file="bad.yaml")
    assert info.value.code == "yaml.syntax"
    assert info.value.location.file == "bad.yaml"
    assert info.value.details["diagnostics"]

    with pytest.raises(fc.ValuesError) as info:
        fc.parse_set("a")
    assert info.value.code == "values.strvals"

    assert issubclass(fc.FetchError, OSError) and issubclass(fc.FetchError, fc.FluxError)
    assert not issubclass(fc.DependencyCycleError, ValueError)


def _ks(name, *deps):
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": name, "namespace": "flux-system"},
        "spec": {
            "interval": "10m",
            "prune": True,
            "sourceRef": {"kind": "GitRepository", "name": "flux-system"},
            "dependsOn": [{"name": d} for d in deps],
        },
    }


def test_dependency_cycle_error_carries_the_cycle():
    with pytest.raises(fc.DependencyCycleError) as info:
        fc.dependency_order([_ks("a", "b"), _ks("b", "c"), _ks("c", "a")])
    e = info.value
    assert e.code == "deps.cycle"
    assert str(e).startswith("circular dependency detected: ")
    assert e.cycle[0] == e.cycle[-1] and len(e.cycle) == 4
    assert " -> ".join(e.cycle) in str(e)


def test_substitute_error_details_and_resources():
    ks = {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": "apps", "namespace": "default"},
        "spec": {"postBuild": {"substituteFrom": [{"kind": "Secret", "name": "vars"}]}},
    }
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"v": "${token}"}}
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "vars"}, "stringData": {"token": "abc"}}
    assert fc.substitute([cm], ks, resources=(secret,))[0]["data"] == {"v": "abc"}
    with pytest.raises(fc.SubstitutionError) as info:
        fc.substitute([cm], ks)
    assert info.value.code == "postbuild.source_not_found"
    assert info.value.details["controllerMessage"].startswith("post build failed for 'ConfigMap.v1.[noGrp]/x'")
    assert info.value.details["resource"]["name"] == "x"


def test_validate_text_and_objects():
    text = (ROOT / "examples" / "fleet").glob("**/*.yaml")
    some = next(iter(sorted(text)))
    diags = fc.validate(some.read_text(), file=str(some))
    assert isinstance(diags, list)
    bad = _ks("apps")
    del bad["spec"]["interval"]
    codes = [d["code"] for d in fc.validate([bad])]
    assert "schema.required" in codes
    assert fc.validate([_ks("apps")]) == []


FLEET = ROOT / "examples" / "fleet"

#: The deliberate mistakes of examples/fleet (commented in its YAML; issue 7).
FLEET_MISTAKES = {
    "plan.wait_ignores_health_checks",
    "plan.create_namespace_ignored",
    "values.target_path_overridden",
    "plan.implicit_remediate_last_failure",
    "release.shortened",
    "conventions.chart_version_unpinned",
    "conventions.secret_literal",
}


def _codes(report):
    return {d["code"] for d in report["diagnostics"]}


def test_plan_is_the_cli_report():
    report = fc.plan(FLEET)
    assert report["formatVersion"] == 2
    assert report["stats"]["objects"] == len(report["objects"]) > 0
    assert {"apiVersion", "kind", "name", "file", "line"} <= set(report["objects"][0])
    # The fleet's deliberate mistakes, each commented where it is made; its
    # .fluxcd-core.yaml turns the conventions profile on.
    assert FLEET_MISTAKES <= _codes(report), FLEET_MISTAKES - _codes(report)
    # Every comment "deliberate mistake: <code>" in the fleet is found.
    commented = set()
    for f in FLEET.rglob("*.yaml"):
        for line in f.read_text(encoding="utf-8").splitlines():
            if "deliberate mistake: " in line:
                commented.add(line.split("deliberate mistake: ")[1].split()[0])
    assert commented and commented <= _codes(report), commented - _codes(report)
    ks = {k["id"]: k for k in report["kustomizations"]}
    assert "flux-system/sre-keycloak" in ks
    assert report["order"]["kustomizations"].index("flux-system/sre-istio") < report["order"][
        "kustomizations"
    ].index("flux-system/sre-keycloak")
    # Only the flux profile: the conventions findings go, the flux ones stay.
    flux_only = _codes(fc.plan(FLEET, profiles=["flux"]))
    assert not {c for c in flux_only if c.startswith("conventions.")}
    assert "plan.wait_ignores_health_checks" in flux_only
    with pytest.raises(fc.FluxError) as info:
        fc.plan(FLEET, profiles=["prod"])
    assert info.value.code == "lint.profile"
    with pytest.raises(fc.FluxError) as info:
        fc.plan(ROOT / "no-such-dir")
    assert info.value.code == "io.read"


def test_plan_sarif_lists_the_fleet_findings():
    log = fc.plan_sarif(FLEET)
    assert log["version"] == "2.1.0"
    rules = {r["ruleId"] for r in log["runs"][0]["results"]}
    assert FLEET_MISTAKES <= rules, FLEET_MISTAKES - rules
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
        if r["ruleId"] == "conventions.secret_literal"
    }
    assert uris == {"platform/keycloak/release.yaml"}, uris


def test_plan_vars_and_sources():
    # A temporary fleet, removed afterwards (not a pytest tmp_path, which is kept).
    with tempfile.TemporaryDirectory(prefix="fluxcd-core-py-plan-") as tmp:
        _plan_vars_and_sources(Path(tmp))


def _plan_vars_and_sources(tmp_path):
    tenant = tmp_path / "tenant"
    (tenant / "deploy").mkdir(parents=True)
    (tmp_path / "ks.yaml").write_text(
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\n"
        "metadata: {name: tenant, namespace: flux-system}\n"
        "spec:\n  interval: 10m\n  path: ./deploy\n  prune: true\n"
        "  sourceRef: {kind: GitRepository, name: tenant}\n"
        "  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: tenant-vars\n"
    )
    (tenant / "deploy" / "cm.yaml").write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${team}\n  namespace: default\n"
    )
    (tmp_path / "vars.env").write_text("team=blue\n")
    sources = {"tenant": str(tenant)}
    report = fc.plan(tmp_path, var_files=[tmp_path / "vars.env"], sources=sources)
    assert report["sources"][0]["name"] == "tenant"
    assert report["kustomizations"][0]["objects"][0]["name"] == "app-blue"
    report = fc.plan(tmp_path, var_files=[tmp_path / "vars.env"], vars={"team": "red"}, sources=sources)
    assert report["kustomizations"][0]["objects"][0]["name"] == "app-red"
    # Without the source mapping, ./deploy is looked for in the checkout.
    report = fc.plan(tmp_path, vars={"team": "red"})
    assert report["kustomizations"][0]["pathFound"] is False
    with pytest.raises(fc.FluxError) as info:
        fc.plan(tmp_path, sources={"tenant": str(tmp_path / "nope")})
    assert info.value.code == "embed.invalid_argument"
    with pytest.raises(fc.FluxError) as info:
        fc.plan(tmp_path, var_files=[tmp_path / "missing.env"])
    assert info.value.code == "io.read"


def test_values_helpers():
    # Several --set lines go into one map in order; a failing line stops there.
    assert fc.parse_set(["a.b=1", "a.c=x,a.b=2"], dest={"z": 0}) == {"z": 0, "a": {"b": 2, "c": "x"}}
    assert fc.parse_set(("a=1",), string=True) == {"a": "1"}
    with pytest.raises(fc.ValuesError) as info:
        fc.parse_set(["a=1", "b"])
    assert info.value.code == "values.strvals"
    with pytest.raises(TypeError):
        fc.parse_set(["a=1", 2])  # type: ignore[list-item]
    # The caller's dict is not changed.
    dest = {"image": {"tag": "1.0"}}
    assert fc.replace_path_value(dest, "image.tag", "'2'") == {"image": {"tag": "2"}}
    assert fc.replace_path_value(dest, "image.tag", "2") == {"image": {"tag": 2}}
    assert fc.replace_path_value(dest, "image.tag", "[a]", literal=True) == {"image": {"tag": "[a]"}}
    assert dest == {"image": {"tag": "1.0"}}
    with pytest.raises(fc.ValuesError):
        fc.replace_path_value(None, "l[-1].a", "x")
    for algo in ["sha1", "sha256", "sha384", "sha512"]:
        d = fc.values_digest({"a": 1}, algorithm=algo)
        assert d.startswith(algo + ":")
        assert fc.verify_values(d, {"a": 1}) and not fc.verify_values(d, {"a": 2})
    assert fc.values_digest({"a": 1}) == fc.values_digest({"a": 1}, algorithm="sha256")
    with pytest.raises(fc.FluxError) as info:
        fc.values_digest({}, algorithm="blake3")
    assert info.value.code == "embed.invalid_argument"
    assert fc.verify_values("", {}) is False


def test_schema_and_errors_for_bad_arguments():
    assert fc.schema()["$schema"].startswith("https://json-schema.org/")
    with pytest.raises(fc.FluxError) as info:
        fc.schema("Nope")
    assert info.value.code == "embed.unknown_kind"
    with pytest.raises(TypeError):
        fc.envsubst("x", {"a": 1})  # type: ignore[dict-item]
    with pytest.raises(fc.FluxError) as info:
        fc.release_name({"apiVersion": "v1", "kind": "ConfigMap"})
    assert info.value.code == "embed.invalid_argument"


def test_readme_python_example_runs():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("and in Python")
    block = text[text.index("```python\n", start) + len("```python\n"):]
    block = block[: block.index("```")]
    exec(compile(block, "README.md", "exec"), {})


def test_semver_functions_and_errors():
    v = fc.semver_parse("v1.2-rc.1+b7")
    assert v == {"string": "1.2.0-rc.1+b7", "major": 1, "minor": 2, "patch": 0,
                 "prerelease": "rc.1", "metadata": "b7", "original": "v1.2-rc.1+b7"}
    assert fc.semver_parse("18446744073709551615.0.0")["major"] == 2**64 - 1
    assert fc.semver_compare("1.10.0", "1.9.0") == 1
    assert fc.semver_check("^1.2", "1.9.0") and not fc.semver_check("~1.2", "1.3.0")
    assert fc.semver_check(">=1.0.0-0", "1.2.0-rc.1") and not fc.semver_check(">=1.0.0", "1.2.0-rc.1")
    assert fc.semver_constraint("1.2 - 1.4") == ">=1.2 <=1.4"
    with pytest.raises(fc.FluxError) as e:
        fc.semver_check("!!1", "1.0.0")
    assert e.value.code == "semver.invalid_constraint" and str(e.value) == 'improper constraint: "!!1"'
    with pytest.raises(fc.FluxError) as e:
        fc.semver_parse("1.2.3.4")
    assert e.value.code == "semver.invalid_version" and str(e.value) == "invalid semantic version"

def test_signature_verification_of_real_signed_objects():
    """Commits and tags signed by git with GnuPG and SSH keys (conformance/signature)."""
    import base64
    import json

    doc = json.loads((ROOT / "conformance" / "signature" / "objects.json").read_text())
    objs = doc["objects"]
    raw = lambda name: base64.b64decode(objs[name]["raw"])  # noqa: E731
    ed_asc = doc["keys"]["pgp_ed"]
    ssh_ed = doc["keys"]["ssh_ed"].encode()

    pgp = fc.verify_commit_signature(raw("c_pgp_ed"), objs["c_pgp_ed"]["hash"], {"ed.asc": ed_asc})
    assert pgp["signatureType"] == "openpgp" and len(pgp["keyId"]) == 16 and pgp["keyId"].isupper()
    ok = fc.verify_commit_signature(raw("c_ssh_ed"), objs["c_ssh_ed"]["hash"], {"me.sshpub": ssh_ed})
    assert ok["signatureType"] == "ssh" and ok["keyId"].startswith("SHA256:")
    tag = fc.verify_tag_signature(raw("t_ssh_ed"), {"me.sshpub": ssh_ed})
    assert tag["tag"].startswith("v1.1.0@") and tag["keyId"] == ok["keyId"]

    with pytest.raises(fc.FetchError) as e:
        fc.verify_commit_signature(raw("c_pgp_ed_tampered"), objs["c_pgp_ed_tampered"]["hash"], {"ed.asc": ed_asc})
    assert e.value.code == "signature.no_matching_key"
    assert e.value.details["reason"] == "InvalidCommitSignature"
    assert e.value.details["signedBy"] == [pgp["keyId"]]
    assert "BEGIN PGP" not in str(e.value)

    res = fc.verify_checkout_signatures(
        "TagAndHEAD",
        objs["c_ssh_ed"]["hash"],
        raw("c_ssh_ed"),
        {"me.sshpub": ssh_ed},
        reference="refs/tags/v1.1.0",
        raw_tag=raw("t_ssh_ed"),
    )
    assert res["mode"] == "TagAndHEAD"
    assert res["message"].startswith("verified signature of\n\t- tag 'v1.1.0@")
    assert res["commit"]["commit"] == objs["c_ssh_ed"]["hash"]
    with pytest.raises(fc.FetchError) as e:
        fc.verify_checkout_signatures("Tag", "0" * 40, raw("c_ssh_ed"), {}, reference="refs/heads/main")
    assert e.value.code == "signature.no_tag_reference" and e.value.details["stalling"] is True
    with pytest.raises(TypeError):
        fc.verify_commit_signature(raw("c_ssh_ed"), "x", {"k": 1})  # type: ignore[dict-item]


def test_artifact_archive_tar_stream_and_path(tmp_path: Path) -> None:
    import gzip
    import io
    import os
    import tarfile

    repo = tmp_path / "repo"
    (repo / "deploy").mkdir(parents=True)
    (repo / "deploy" / "app.yaml").write_text("kind: ConfigMap\n")
    (repo / "deploy" / "run.sh").write_text("#!/bin/sh\n")
    os.chmod(repo / "deploy" / "run.sh", 0o755)
    (repo / "logo.png").write_text("png")  # a default exclusion
    (repo / ".git").mkdir()
    (repo / ".git" / "config").write_text("[core]\n")
    os.symlink("/etc/passwd", repo / "passwd")

    tar = fc.tar_stream(repo)
    with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
        members = {m.name: m for m in tf.getmembers()}
    assert sorted(members) == [".", "deploy", "deploy/app.yaml", "deploy/run.sh"]
    assert members["deploy"].mode == 0o750
    assert members["deploy/app.yaml"].mode == 0o600
    assert members["deploy/run.sh"].mode == 0o700
    assert members["deploy/app.yaml"].mtime == 0 and members["deploy/app.yaml"].uid == 0

    # spec.ignore replaces the default patterns: the png is kept, app.yaml is not.
    tar = fc.tar_stream(repo, ignore="app.yaml\n")
    with tarfile.open(fileobj=io.BytesIO(tar)) as tf:
        assert sorted(tf.getnames()) == [".", "deploy", "deploy/run.sh", "logo.png"]

    out = tmp_path / "out" / "a.tar.gz"
    a = fc.archive(repo, out)
    data = out.read_bytes()
    assert a["size"] == len(data) and a["files"] == 2
    import hashlib

    assert a["digest"] == "sha256:" + hashlib.sha256(data).hexdigest()
    assert gzip.decompress(data) == fc.tar_stream(repo)

    with pytest.raises(fc.FetchError) as e:
        fc.tar_stream(repo, max_files=1)
    assert e.value.code == "artifact.too_many_files"
    with pytest.raises(fc.FetchError) as e:
        fc.archive(repo, tmp_path / "b.tar.gz", max_size=3)
    assert e.value.code == "artifact.too_large"
    assert not (tmp_path / "b.tar.gz").exists()
    with pytest.raises(fc.FetchError) as e:
        fc.tar_stream(tmp_path / "missing")
    assert e.value.code == "artifact.invalid_dir"
    assert str(e.value).startswith("invalid dir path: ")

    assert fc.artifact_path("GitRepository", "ns", "app", "c0ffee") == "gitrepository/ns/app/c0ffee.tar.gz"

def test_image_policy_and_update_on_the_example_fleet(tmp_path):
    fleet = ROOT / "examples" / "fleet"
    policy = fc.parse((fleet / "clusters/production/flux-system/image-automation.yaml").read_text())[1]
    s = fc.image_policy(policy, ["24.2.0", "24.4.0", "25.0.0", "24.5.0-rc.1", "latest"])
    assert s["tag"] == "24.4.0" and s["dropped"] == ["24.5.0-rc.1", "latest"]
    with pytest.raises(fc.FluxError) as e:
        fc.image_policy(policy, ["latest"])
    assert e.value.code == "imagepolicy.no_candidates"
    out = fc.image_update(fleet, select={"flux-system:keycloak-chart": "24.4.0"})
    [f] = out["files"]
    assert f["file"] == "platform/keycloak/release.yaml"
    assert f["changes"][0]["old"] == "24.3.1" and f["changes"][0]["new"] == "24.4.0"
    assert f["content"] == f["original"].replace("tag: 24.3.1 #", "tag: 24.4.0 #")
    with pytest.raises(fc.FluxError) as e:
        fc.image_update(fleet, select={"keycloak-chart": "1"})
    assert e.value.code == "imageupdate.invalid_select"


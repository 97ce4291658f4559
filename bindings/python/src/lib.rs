//! `fluxcd_core._native`: the Python face of `fluxcd_core::embed`.
//!
//! Each function decodes its arguments (`convert.rs`), calls one `embed` function and
//! encodes the result, or raises the exception `errors.rs` picks. No Flux logic lives
//! here. The docstrings below are the Python docstrings; their examples run in the
//! test suite (`tests/test_api.py`).

use std::path::PathBuf;

use fluxcd_core::embed::{self, PlanOptions, SubstituteOptions};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

mod convert;
mod errors;

use errors::IntoPy;

/// Read YAML text as the Kubernetes API server reads manifests.
///
/// Returns every document that is a mapping, as a dict with its keys exactly as
/// written (camelCase). Only unreadable YAML raises (``ManifestError`` with code
/// ``yaml.syntax``, ``yaml.duplicate_key``, ...); use ``validate`` for schema checks.
///
/// >>> from fluxcd_core import parse
/// >>> parse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n")[0]["metadata"]
/// {'name': 'app'}
#[pyfunction]
#[pyo3(signature = (text, *, file=None))]
fn parse<'py>(py: Python<'py>, text: &str, file: Option<&str>) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let objs = embed::parse(text, file).py_err(py)?;
    objs.iter().map(|o| convert::to_py(py, o)).collect()
}

/// Read YAML text as ``kustomize build`` reads resources (the YAML 1.2 core
/// schema, so ``yes`` stays a string; every ``List`` replaced by its items): the
/// objects ``substitute`` expects.
///
/// >>> from fluxcd_core import parse_resources
/// >>> parse_resources("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: yes\n")[0]["data"]
/// {'k': 'yes'}
#[pyfunction]
#[pyo3(signature = (text, *, file=None))]
fn parse_resources<'py>(
    py: Python<'py>,
    text: &str,
    file: Option<&str>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let objs = embed::parse_resources(text, file).py_err(py)?;
    objs.iter().map(|o| convert::to_py(py, o)).collect()
}

/// Every diagnostic of YAML text, or of a list of objects (dicts).
///
/// Each diagnostic is a dict: ``code``, ``severity`` (``error``, ``warning`` or
/// ``info``), ``message``, ``file`` (if given), ``document``, ``line``, ``column``,
/// ``path`` and ``hint`` (when there is one). For objects, ``document`` is the
/// object's index and lines count in its YAML form.
///
/// >>> from fluxcd_core import validate
/// >>> ks = {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
/// ...       "metadata": {"name": "apps", "namespace": "flux-system"},
/// ...       "spec": {"prune": True, "sourceRef": {"kind": "GitRepository", "name": "flux-system"}}}
/// >>> [(d["code"], d["path"]) for d in validate([ks])]
/// [('schema.required', 'spec.interval')]
#[pyfunction]
#[pyo3(signature = (text_or_objects, *, file=None))]
fn validate<'py>(
    py: Python<'py>,
    text_or_objects: &Bound<'py, PyAny>,
    file: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let diags = match text_or_objects.extract::<String>() {
        Ok(text) => embed::validate(&text, file),
        Err(_) => {
            let objs = convert::values(text_or_objects, "objects")?;
            embed::validate_objects(&objs).py_err(py)?
        }
    };
    convert::ser_to_py(py, &diags)
}

/// Flux's envsubst (fluxcd/pkg/envsubst v1.7.0) on ``text`` with ``vars``.
///
/// With ``strict`` (Flux 2.9's default) a variable that is not set and has no
/// default raises ``SubstitutionError`` (code ``subst.undefined``).
///
/// >>> from fluxcd_core import envsubst
/// >>> envsubst("${app}-${env:=dev}", {"app": "web"})
/// 'web-dev'
/// >>> envsubst("${missing}", {}, strict=False)
/// ''
#[pyfunction]
#[pyo3(signature = (text, vars, *, strict=true))]
fn envsubst(py: Python<'_>, text: &str, vars: &Bound<'_, PyAny>, strict: bool) -> PyResult<String> {
    let vars = convert::string_map(vars, "vars")?;
    embed::envsubst(text, &vars, strict).py_err(py)
}

/// ``envsubst`` returning bytes: byte-based substrings and pattern removals can
/// cut a multi-byte character in two, as Flux's do (``envsubst`` raises
/// ``subst.invalid_utf8`` there).
///
/// >>> from fluxcd_core import envsubst_bytes
/// >>> envsubst_bytes("${v:0:1}", {"v": "é"})
/// b'\xc3'
#[pyfunction]
#[pyo3(signature = (text, vars, *, strict=true))]
fn envsubst_bytes<'py>(
    py: Python<'py>,
    text: &str,
    vars: &Bound<'py, PyAny>,
    strict: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let vars = convert::string_map(vars, "vars")?;
    let out = embed::envsubst_bytes(text, &vars, strict).py_err(py)?;
    Ok(PyBytes::new(py, &out))
}

/// The parse tree envsubst builds of ``text``: ``{"text": ...}`` and
/// ``{"param": name, "name": operator, "args": [...]}`` nodes.
///
/// >>> from fluxcd_core import envsubst_tree
/// >>> envsubst_tree("a${b:-c}")
/// [{'text': 'a'}, {'param': 'b', 'name': ':-', 'args': [{'text': 'c'}]}]
#[pyfunction]
fn envsubst_tree<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let tree = embed::envsubst_tree(text).py_err(py)?;
    convert::to_py(py, &tree)
}

fn subst_options(strict: bool, dry_run: bool) -> SubstituteOptions {
    SubstituteOptions {
        strict: Some(strict),
        dry_run,
    }
}

/// kustomize-controller's whole postBuild pipeline of ``kustomization`` on
/// ``objects`` (re-emit as YAML, envsubst, read back), with the ConfigMaps and
/// Secrets of ``substituteFrom`` taken from ``resources``.
///
/// Raises ``SubstitutionError`` with Flux's message; ``.details`` holds
/// ``controllerMessage`` (the Kustomization's Ready condition text) and
/// ``resource``.
///
/// >>> from fluxcd_core import substitute
/// >>> ks = {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
/// ...       "metadata": {"name": "apps", "namespace": "flux-system"},
/// ...       "spec": {"postBuild": {"substitute": {"replicas": "3"}}}}
/// >>> cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"},
/// ...       "data": {"replicas": "${replicas}"}}
/// >>> substitute([cm], ks)[0]["data"]
/// {'replicas': 3}
#[pyfunction]
#[pyo3(signature = (objects, kustomization, *, resources=None, strict=true, dry_run=false))]
fn substitute<'py>(
    py: Python<'py>,
    objects: &Bound<'py, PyAny>,
    kustomization: &Bound<'py, PyAny>,
    resources: Option<&Bound<'py, PyAny>>,
    strict: bool,
    dry_run: bool,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let objs = convert::values(objects, "objects")?;
    let ks = convert::value(kustomization, "kustomization")?;
    let res = convert::opt_values(resources, "resources")?;
    let out = embed::substitute(&objs, &ks, &res, &subst_options(strict, dry_run)).py_err(py)?;
    out.iter().map(|o| convert::to_py(py, o)).collect()
}

/// ``substitute`` on one resource, with what happened: ``{"outcome":
/// "substituted" | "unchanged" | "disabled", "object": ..., "emitted": the YAML
/// text envsubst ran on}``.
///
/// >>> from fluxcd_core import substitute_resource
/// >>> ks = {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
/// ...       "metadata": {"name": "apps", "namespace": "flux-system"},
/// ...       "spec": {"postBuild": {"substitute": {"x": "1"}}}}
/// >>> cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app",
/// ...       "labels": {"kustomize.toolkit.fluxcd.io/substitute": "disabled"}}}
/// >>> substitute_resource(cm, ks)["outcome"]
/// 'disabled'
#[pyfunction]
#[pyo3(signature = (resource, kustomization, *, resources=None, strict=true, dry_run=false))]
fn substitute_resource<'py>(
    py: Python<'py>,
    resource: &Bound<'py, PyAny>,
    kustomization: &Bound<'py, PyAny>,
    resources: Option<&Bound<'py, PyAny>>,
    strict: bool,
    dry_run: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let obj = convert::value(resource, "resource")?;
    let ks = convert::value(kustomization, "kustomization")?;
    let res = convert::opt_values(resources, "resources")?;
    let out =
        embed::substitute_resource(&obj, &ks, &res, &subst_options(strict, dry_run)).py_err(py)?;
    convert::to_py(py, &out)
}

/// The values helm-controller passes to Helm for a HelmRelease: ``valuesFrom``
/// in order, then ``values``, with the ConfigMaps and Secrets of ``resources``.
///
/// Raises ``ValuesError`` with chartutil's message. Numbers come out as floats,
/// as Helm reads them.
///
/// >>> from fluxcd_core import compose_values
/// >>> hr = {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
/// ...       "metadata": {"name": "web", "namespace": "apps"},
/// ...       "spec": {"values": {"replicas": 2},
/// ...                "valuesFrom": [{"kind": "ConfigMap", "name": "common"}]}}
/// >>> cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "common"},
/// ...       "data": {"values.yaml": "replicas: 1\nimage: nginx\n"}}
/// >>> compose_values(hr, resources=[cm])
/// {'image': 'nginx', 'replicas': 2.0}
#[pyfunction]
#[pyo3(signature = (helmrelease, *, resources=None))]
fn compose_values<'py>(
    py: Python<'py>,
    helmrelease: &Bound<'py, PyAny>,
    resources: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let hr = convert::value(helmrelease, "helmrelease")?;
    let res = convert::opt_values(resources, "resources")?;
    let out = embed::compose_values(&hr, &res).py_err(py)?;
    convert::to_py(py, &out)
}

/// Where each leaf of ``compose_values`` comes from: ``{"leaves": [{"path",
/// "value", "source", "shadowed"}], "diagnostics": [...]}``; Secret values are
/// redacted.
///
/// >>> from fluxcd_core import explain_values
/// >>> hr = {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
/// ...       "metadata": {"name": "web", "namespace": "apps"}, "spec": {"values": {"a": 1}}}
/// >>> [leaf["path"] for leaf in explain_values(hr)["leaves"]]
/// ['a']
#[pyfunction]
#[pyo3(signature = (helmrelease, *, resources=None))]
fn explain_values<'py>(
    py: Python<'py>,
    helmrelease: &Bound<'py, PyAny>,
    resources: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let hr = convert::value(helmrelease, "helmrelease")?;
    let res = convert::opt_values(resources, "resources")?;
    let out = embed::explain_values(&hr, &res).py_err(py)?;
    convert::to_py(py, &out)
}

/// Helm's ``--set`` parser: writes ``set`` into ``dest`` (or ``{}``) and returns
/// the result; with ``string``, as ``--set-string``. ``set`` may be a list of
/// lines, written in order into the same values (as repeated ``--set`` flags).
/// Raises ``ValuesError`` (code ``values.strvals``) with Helm's message.
///
/// >>> from fluxcd_core import parse_set
/// >>> parse_set("a.b=1,c[0]=x")
/// {'a': {'b': 1}, 'c': ['x']}
/// >>> parse_set(["a=1", "a=2,b=3"], string=True)
/// {'a': '2', 'b': '3'}
#[pyfunction]
#[pyo3(signature = (set, *, dest=None, string=false))]
fn parse_set<'py>(
    py: Python<'py>,
    set: &Bound<'py, PyAny>,
    dest: Option<&Bound<'py, PyAny>>,
    string: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let lines: Vec<String> = match set.extract::<String>() {
        Ok(line) => vec![line],
        Err(_) => {
            let mut lines = Vec::new();
            for (i, item) in set
                .try_iter()
                .map_err(|_| PyTypeError::new_err("set: expected a str or a sequence of str"))?
                .enumerate()
            {
                lines.push(
                    item?
                        .extract::<String>()
                        .map_err(|_| PyTypeError::new_err(format!("set[{i}]: expected a str")))?,
                );
            }
            lines
        }
    };
    let dest = match dest {
        Some(d) if !d.is_none() => Some(convert::value(d, "dest")?),
        _ => None,
    };
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    let out = embed::parse_set_lines(&lines, dest.as_ref(), string).py_err(py)?;
    convert::to_py(py, &out)
}

/// chartutil's ``ReplacePathValue``: writes ``value`` at the ``--set`` path
/// ``path`` of ``dest`` (or ``{}``) and returns the result. The value is read as
/// ``--set`` reads it, except that one quoted with ``'`` or ``"`` stays a string
/// without its quotes; with ``literal``, as ``ReplacePathLiteralValue``, it is
/// written verbatim as a string. Raises ``ValuesError`` (code ``values.strvals``).
///
/// >>> from fluxcd_core import replace_path_value
/// >>> replace_path_value({"image": {"tag": "1.0"}}, "image.tag", "2")
/// {'image': {'tag': 2}}
/// >>> replace_path_value(None, "a.b", "x,y", literal=True)
/// {'a': {'b': 'x,y'}}
#[pyfunction]
#[pyo3(signature = (dest, path, value, *, literal=false))]
fn replace_path_value<'py>(
    py: Python<'py>,
    dest: Option<&Bound<'py, PyAny>>,
    path: &str,
    value: &str,
    literal: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let dest = match dest {
        Some(d) if !d.is_none() => Some(convert::value(d, "dest")?),
        _ => None,
    };
    let out = embed::replace_path_value(dest.as_ref(), path, value, literal).py_err(py)?;
    convert::to_py(py, &out)
}

/// chartutil's ``MergeMaps(a, b)``: ``b`` over ``a``, maps merged recursively
/// (``None`` is a nil map).
///
/// >>> from fluxcd_core import merge_values
/// >>> merge_values({"a": {"b": 1, "c": 2}}, {"a": {"b": 3}})
/// {'a': {'b': 3.0, 'c': 2.0}}
#[pyfunction]
fn merge_values<'py>(
    py: Python<'py>,
    a: Option<&Bound<'py, PyAny>>,
    b: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let conv = |o: Option<&Bound<'py, PyAny>>, w: &str| match o {
        Some(o) if !o.is_none() => convert::value(o, w).map(Some),
        _ => Ok(None),
    };
    let (a, b) = (conv(a, "a")?, conv(b, "b")?);
    convert::to_py(py, &embed::merge_values(a.as_ref(), b.as_ref()))
}

/// The digest helm-controller records for values (``<algorithm>:<hex>``),
/// chartutil's ``DigestValues``; ``algorithm`` is ``"sha256"`` (the default),
/// ``"sha384"``, ``"sha512"`` or ``"sha1"`` (legacy digests). Another name raises
/// ``FluxError`` (code ``embed.invalid_argument``).
///
/// >>> from fluxcd_core import values_digest
/// >>> values_digest({}) == values_digest({"a": None})
/// False
/// >>> values_digest({"a": 1}, algorithm="sha384").startswith("sha384:")
/// True
#[pyfunction]
#[pyo3(signature = (values, *, algorithm="sha256"))]
fn values_digest(py: Python<'_>, values: &Bound<'_, PyAny>, algorithm: &str) -> PyResult<String> {
    embed::values_digest_with(&convert::value(values, "values")?, algorithm).py_err(py)
}

/// chartutil's ``VerifyValues``: whether ``digest`` (as ``values_digest`` writes
/// it, any of its algorithms) is the digest of ``values``. A malformed digest is
/// ``False``.
///
/// >>> from fluxcd_core import values_digest, verify_values
/// >>> verify_values(values_digest({"a": 1}, algorithm="sha512"), {"a": 1})
/// True
/// >>> verify_values("sha256:0", {"a": 1})
/// False
#[pyfunction]
fn verify_values(digest: &str, values: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(embed::verify_values(
        digest,
        &convert::value(values, "values")?,
    ))
}

/// The Helm release name helm-controller uses for a HelmRelease
/// (``releaseName``, else ``<targetNamespace>-<name>``, shortened past 53 bytes).
/// Raises ``ReleaseError`` when Helm would reject it.
///
/// >>> from fluxcd_core import release_name
/// >>> release_name({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
/// ...               "metadata": {"name": "podinfo", "namespace": "apps"},
/// ...               "spec": {"interval": "5m", "targetNamespace": "web",
/// ...                        "chartRef": {"kind": "OCIRepository", "name": "podinfo"}}})
/// 'web-podinfo'
#[pyfunction]
fn release_name(py: Python<'_>, helmrelease: &Bound<'_, PyAny>) -> PyResult<String> {
    let hr = convert::value(helmrelease, "helmrelease")?;
    embed::release_name(&hr).py_err(py)
}

/// ``release_name`` with the namespaces and the generated HelmChart:
/// ``releaseName``, ``releaseNamespace``, ``storageNamespace``, ``helmChart``
/// (``namespace/name``, ``None`` with ``chartRef``), ``composedName``,
/// ``shortened``.
///
/// >>> from fluxcd_core import release_names
/// >>> r = release_names({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
/// ...                    "metadata": {"name": "podinfo", "namespace": "apps"},
/// ...                    "spec": {"interval": "5m", "chart": {"spec": {"chart": "podinfo",
/// ...                             "sourceRef": {"kind": "HelmRepository", "name": "repo"}}}}})
/// >>> r["releaseNamespace"], r["helmChart"]
/// ('apps', 'apps/apps-podinfo')
#[pyfunction]
fn release_names<'py>(
    py: Python<'py>,
    helmrelease: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let hr = convert::value(helmrelease, "helmrelease")?;
    let out = embed::release_names(&hr).py_err(py)?;
    convert::to_py(py, &out)
}

/// The release name before shortening: ``release_name`` if set, else
/// ``<target_namespace>-<name>``, else ``name``.
///
/// >>> from fluxcd_core import compose_release_name
/// >>> compose_release_name("podinfo", target_namespace="web")
/// 'web-podinfo'
#[pyfunction]
#[pyo3(signature = (name, *, target_namespace=None, release_name=None))]
fn compose_release_name(
    name: &str,
    target_namespace: Option<&str>,
    release_name: Option<&str>,
) -> String {
    embed::compose_release_name(name, target_namespace, release_name)
}

/// helm-controller's ``ShortenName``: past 53 bytes, the first 40 bytes, ``-`` and
/// 12 hex digits of the SHA-256. Raises ``ReleaseError``
/// (``release.split_character``) when the cut splits a character.
///
/// >>> from fluxcd_core import shorten_release_name
/// >>> len(shorten_release_name("a" * 60))
/// 53
#[pyfunction]
fn shorten_release_name(py: Python<'_>, name: &str) -> PyResult<String> {
    embed::shorten_release_name(name).py_err(py)
}

/// ``shorten_release_name`` on bytes, exactly as Go does even when the cut splits
/// a character.
///
/// >>> from fluxcd_core import shorten_release_name_bytes
/// >>> shorten_release_name_bytes(b"short")
/// b'short'
#[pyfunction]
fn shorten_release_name_bytes<'py>(py: Python<'py>, name: &[u8]) -> Bound<'py, PyBytes> {
    PyBytes::new(py, &embed::shorten_release_name_bytes(name))
}

/// Whether Helm v4 accepts a release name.
///
/// >>> from fluxcd_core import is_valid_release_name
/// >>> is_valid_release_name("web-podinfo"), is_valid_release_name("Web")
/// (True, False)
#[pyfunction]
fn is_valid_release_name(name: &str) -> bool {
    embed::is_valid_release_name(name)
}

/// Flux's ``dependency.Sort`` of the Kustomizations among ``objects``, then of
/// the HelmReleases, as ``namespace/name`` (dependencies first).
///
/// Raises ``DependencyCycleError`` with Flux's ``circular dependency detected: ...``
/// and ``.cycle`` (the path, first and last entries equal).
///
/// >>> from fluxcd_core import dependency_order
/// >>> def ks(name, *deps):
/// ...     return {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
/// ...             "metadata": {"name": name, "namespace": "flux-system"},
/// ...             "spec": {"dependsOn": [{"name": d} for d in deps]}}
/// >>> dependency_order([ks("apps", "infra"), ks("infra")])
/// ['flux-system/infra', 'flux-system/apps']
#[pyfunction]
fn dependency_order(py: Python<'_>, objects: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let objs = convert::values(objects, "objects")?;
    embed::dependency_order(&objs).py_err(py)
}

/// ``dependency.Sort`` on plain entries ``{"name", "namespace", "dependsOn":
/// [{"name", "namespace"}]}``.
///
/// >>> from fluxcd_core import sort_dependents
/// >>> sort_dependents([{"name": "a", "namespace": "n", "dependsOn": [{"name": "b"}]},
/// ...                  {"name": "b", "namespace": "n"}])
/// ['n/b', 'n/a']
#[pyfunction]
fn sort_dependents(py: Python<'_>, entries: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    let entries = serde_json::Value::Array(convert::values(entries, "entries")?);
    embed::sort_dependents(&entries).py_err(py)
}

/// Compiles a ``dependsOn[].readyExpr`` as Flux does; raises ``ManifestError``
/// (``deps.ready_expr_syntax`` or ``deps.ready_expr_type``) with cel-go's message.
///
/// >>> from fluxcd_core import check_ready_expr
/// >>> check_ready_expr("dep.status.ready == true")
#[pyfunction]
fn check_ready_expr(py: Python<'_>, expr: &str) -> PyResult<()> {
    embed::check_ready_expr(expr).py_err(py)
}

/// Both dependency graphs of ``objects``: waves, critical path, cycles and
/// diagnostics (the JSON of ``fluxcd-core graph --format json``).
///
/// >>> from fluxcd_core import graph
/// >>> sorted(graph([])) == sorted(graph([]).keys())
/// True
#[pyfunction]
fn graph<'py>(py: Python<'py>, objects: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
    let objs = convert::values(objects, "objects")?;
    let out = embed::graph(&objs).py_err(py)?;
    convert::to_py(py, &out)
}

/// A verification Secret's data: str or bytes values, as bytes.
fn secret_keys(keys: &Bound<'_, PyAny>) -> PyResult<std::collections::BTreeMap<String, Vec<u8>>> {
    let mut out = std::collections::BTreeMap::new();
    let dict = keys
        .cast::<pyo3::types::PyDict>()
        .map_err(|_| PyTypeError::new_err("keys: expected a mapping of str to bytes or str"))?;
    for (k, v) in dict.iter() {
        let k: String = k
            .extract()
            .map_err(|_| PyTypeError::new_err("keys: the keys must be str"))?;
        let v: Vec<u8> = if let Ok(b) = v.cast::<PyBytes>() {
            b.as_bytes().to_vec()
        } else if let Ok(t) = v.extract::<String>() {
            t.into_bytes()
        } else {
            return Err(PyTypeError::new_err(format!(
                "keys[{k:?}]: expected bytes or str"
            )));
        };
        out.insert(k, v);
    }
    Ok(out)
}

/// Verify the signature of a raw commit object (the bytes of ``git cat-file
/// commit <hash>``) as GitRepository ``spec.verify`` does, with the keys of the
/// verification Secret (``keys``: data key to value; ``.asc`` and suffix-less
/// keys are PGP key rings, ``.sshpub`` keys are authorized_keys). Returns
/// ``{"keyId", "signatureType"}`` (the PGP key id or the SSH ``SHA256:``
/// fingerprint); raises ``FetchError`` (``signature.*``) with
/// source-controller's message otherwise.
///
/// >>> from fluxcd_core import verify_commit_signature, FetchError
/// >>> raw = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nunsigned\n"
/// >>> try:
/// ...     verify_commit_signature(raw, "0" * 40, {"a.asc": b"..."})
/// ... except FetchError as e:
/// ...     print(e.code)
/// signature.unsupported_type
#[pyfunction]
fn verify_commit_signature<'py>(
    py: Python<'py>,
    raw_commit: &[u8],
    commit: &str,
    keys: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let keys = secret_keys(keys)?;
    let out = embed::verify_commit_signature(raw_commit, commit, &keys).py_err(py)?;
    convert::to_py(py, &out)
}

/// Verify the signature of a raw annotated tag object (``git cat-file tag``):
/// ``{"tag", "keyId", "signatureType"}`` with ``tag`` as Flux prints it
/// (``<name>@<tag object hash>``).
///
/// >>> from fluxcd_core import verify_tag_signature, FetchError
/// >>> try:
/// ...     verify_tag_signature(b"not a tag", {}, name="v1")
/// ... except FetchError as e:
/// ...     print(e.code)
/// signature.malformed_object
#[pyfunction]
#[pyo3(signature = (raw_tag, keys, *, name=None))]
fn verify_tag_signature<'py>(
    py: Python<'py>,
    raw_tag: &[u8],
    keys: &Bound<'py, PyAny>,
    name: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let keys = secret_keys(keys)?;
    let out = embed::verify_tag_signature(raw_tag, &keys, name).py_err(py)?;
    convert::to_py(py, &out)
}

/// source-controller's ``verifySignature`` for a checkout: ``mode`` as in
/// ``spec.verify.mode`` (anything but ``Tag``/``TagAndHEAD`` means ``HEAD``;
/// ``""`` skips), the commit and its raw object, the full ``reference`` checked
/// out through and the annotated ``raw_tag`` object. Returns ``{"mode",
/// "message", "tag", "commit"}`` (``message`` is the ``SourceVerified`` one).
///
/// >>> from fluxcd_core import verify_checkout_signatures, FetchError
/// >>> raw = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nm\n"
/// >>> try:
/// ...     verify_checkout_signatures("Tag", "0" * 40, raw, {}, reference="refs/heads/main")
/// ... except FetchError as e:
/// ...     print(e)
/// cannot verify tag object's signature if a tag reference is not specified
#[pyfunction]
#[pyo3(signature = (mode, commit, raw_commit, keys, *, reference=None, raw_tag=None))]
fn verify_checkout_signatures<'py>(
    py: Python<'py>,
    mode: &str,
    commit: &str,
    raw_commit: &[u8],
    keys: &Bound<'py, PyAny>,
    reference: Option<&str>,
    raw_tag: Option<&[u8]>,
) -> PyResult<Bound<'py, PyAny>> {
    let keys = secret_keys(keys)?;
    let out =
        embed::verify_checkout_signatures(mode, commit, raw_commit, &keys, reference, raw_tag)
            .py_err(py)?;
    convert::to_py(py, &out)
}

/// The options of ``plan`` / ``plan_sarif`` as the core's.
fn plan_options<'py>(
    profiles: Option<Vec<String>>,
    vars: Option<&Bound<'py, PyAny>>,
    var_files: Option<Vec<PathBuf>>,
    sources: Option<&Bound<'py, PyAny>>,
) -> PyResult<PlanOptions> {
    let map = |o: Option<&Bound<'py, PyAny>>, w: &str| match o {
        Some(o) if !o.is_none() => convert::string_map(o, w),
        _ => Ok(Default::default()),
    };
    Ok(PlanOptions {
        profiles: profiles.unwrap_or_default(),
        vars: map(vars, "vars")?,
        var_files: var_files
            .unwrap_or_default()
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        sources: map(sources, "sources")?,
    })
}

/// The plan of a fleet checkout (a folder or one file): the same JSON as
/// ``fluxcd-core plan --output json`` (``docs/plan-schema.json``), with its options:
/// ``profiles`` as ``--profile`` (``"flux"``, ``"conventions"``; default: the
/// checkout's ``.fluxcd-core.yaml``), ``var_files`` as ``--vars FILE``, ``vars`` as
/// one more variables file given inline (it wins), ``sources`` as ``--source
/// NAME=DIR`` (GitRepository name to a folder). Problems in the checkout are
/// diagnostics of the plan; a bad option raises ``FluxError``.
///
/// >>> import tempfile
/// >>> from fluxcd_core import plan
/// >>> with tempfile.TemporaryDirectory() as empty:
/// ...     report = plan(empty, profiles=["flux", "conventions"])
/// >>> report["kustomizations"], report["summary"]["errors"]
/// ([], 0)
#[pyfunction]
#[pyo3(signature = (path, *, profiles=None, vars=None, var_files=None, sources=None))]
fn plan<'py>(
    py: Python<'py>,
    path: PathBuf,
    profiles: Option<Vec<String>>,
    vars: Option<&Bound<'py, PyAny>>,
    var_files: Option<Vec<PathBuf>>,
    sources: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = plan_options(profiles, vars, var_files, sources)?;
    let out = embed::plan(&path, &options).py_err(py)?;
    convert::to_py(py, &out)
}

/// The diagnostics of ``plan`` as a SARIF 2.1.0 log (``fluxcd-core plan --output
/// sarif``), for code-scanning upload; the same options as ``plan``.
///
/// >>> import tempfile
/// >>> from fluxcd_core import plan_sarif
/// >>> with tempfile.TemporaryDirectory() as empty:
/// ...     log = plan_sarif(empty)
/// >>> log["version"], log["runs"][0]["results"]
/// ('2.1.0', [])
#[pyfunction]
#[pyo3(signature = (path, *, profiles=None, vars=None, var_files=None, sources=None))]
fn plan_sarif<'py>(
    py: Python<'py>,
    path: PathBuf,
    profiles: Option<Vec<String>>,
    vars: Option<&Bound<'py, PyAny>>,
    var_files: Option<Vec<PathBuf>>,
    sources: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = plan_options(profiles, vars, var_files, sources)?;
    let out = embed::plan_sarif(&path, &options).py_err(py)?;
    convert::to_py(py, &out)
}

/// Rewrites the ``apiVersion`` of every Flux object on a removed version to the
/// served one; comments and formatting are kept.
///
/// >>> from fluxcd_core import migrate
/// >>> migrate("apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\n")
/// 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n'
#[pyfunction]
fn migrate(text: &str) -> String {
    embed::migrate(text)["text"]
        .as_str()
        .unwrap_or(text)
        .to_string()
}

/// ``migrate`` with what it did: ``{"text", "changes": [{"line", "column",
/// "kind", "from", "to"}], "warnings": [diagnostics]}``.
///
/// >>> from fluxcd_core import migrate_report
/// >>> migrate_report("apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\n")["changes"][0]["to"]
/// 'helm.toolkit.fluxcd.io/v2'
#[pyfunction]
fn migrate_report<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    convert::to_py(py, &embed::migrate(text))
}

/// The JSON Schema (draft 2020-12) of a Flux kind (case-insensitive), or with no
/// kind the combined schema accepting any Flux object.
///
/// >>> from fluxcd_core import schema
/// >>> "spec" in schema("HelmRelease")["properties"]
/// True
#[pyfunction]
#[pyo3(signature = (kind=None))]
fn schema<'py>(py: Python<'py>, kind: Option<&str>) -> PyResult<Bound<'py, PyAny>> {
    let out = embed::schema(kind).py_err(py)?;
    convert::to_py(py, &out)
}

/// YAML text to one value per document (``None`` for an empty one).
/// ``schema="kubernetes"`` reads as ``sigs.k8s.io/yaml`` (YAML 1.1, duplicate keys
/// accepted), ``"kustomize"`` as kustomize's kyaml (YAML 1.2, duplicate keys
/// rejected).
///
/// >>> from fluxcd_core import yaml_to_json
/// >>> yaml_to_json("a: yes\nb: 0x1F\n---\n")
/// [{'a': True, 'b': 31}, None]
#[pyfunction]
#[pyo3(signature = (text, *, schema="kubernetes"))]
fn yaml_to_json<'py>(
    py: Python<'py>,
    text: &str,
    schema: &str,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let docs = embed::yaml_to_json(text, schema).py_err(py)?;
    docs.iter().map(|d| convert::to_py(py, d)).collect()
}

/// A value as YAML text, exactly as ``sigs.k8s.io/yaml``'s ``JSONToYAML`` writes it.
///
/// >>> from fluxcd_core import json_to_yaml
/// >>> json_to_yaml({"b": 1, "a": "yes"})
/// 'a: "yes"\nb: 1\n'
#[pyfunction]
fn json_to_yaml(py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<String> {
    let v = convert::value(value, "value")?;
    embed::json_to_yaml(&v).py_err(py)
}

/// Reads a version as Masterminds/semver v3's ``NewVersion`` does (the library Flux
/// uses for semver image policies and GitRepository ``ref.semver``).
///
/// Raises ``FluxError`` (code ``semver.invalid_version``) with the library's text.
///
/// >>> from fluxcd_core import semver_parse
/// >>> semver_parse("v1.2")["string"]
/// '1.2.0'
#[pyfunction]
fn semver_parse<'py>(py: Python<'py>, version: &str) -> PyResult<Bound<'py, PyAny>> {
    let out = embed::semver_parse(version).py_err(py)?;
    convert::to_py(py, &out)
}

/// Masterminds' ``Compare``: -1, 0 or 1, build metadata ignored.
///
/// >>> from fluxcd_core import semver_compare
/// >>> semver_compare("1.0.0-rc.1", "1.0.0"), semver_compare("1.0.0+a", "1.0.0+b")
/// (-1, 0)
#[pyfunction]
fn semver_compare(py: Python<'_>, a: &str, b: &str) -> PyResult<i32> {
    embed::semver_compare(a, b).py_err(py)
}

/// Whether ``version`` satisfies the Masterminds constraint ``constraint``;
/// pre-releases match only a group that names a pre-release.
///
/// >>> from fluxcd_core import semver_check
/// >>> semver_check(">=1.0.0 <2.0.0", "1.4.0"), semver_check(">=1.0.0", "1.4.0-rc.1")
/// (True, False)
#[pyfunction]
fn semver_check(py: Python<'_>, constraint: &str, version: &str) -> PyResult<bool> {
    embed::semver_check(constraint, version).py_err(py)
}

/// The constraint as the library prints it back (``String()``).
///
/// >>> from fluxcd_core import semver_constraint
/// >>> semver_constraint(">= 1.2, < 3")
/// '>=1.2 <3'
#[pyfunction]
fn semver_constraint(py: Python<'_>, constraint: &str) -> PyResult<String> {
    embed::semver_constraint(constraint).py_err(py)
}

// ---------------------------------------------------------------------------
// GitRepository artifacts
// ---------------------------------------------------------------------------

fn archive_options(
    ignore: Option<String>,
    max_size: Option<u64>,
    max_files: Option<usize>,
) -> embed::ArchiveOptions {
    embed::ArchiveOptions {
        ignore,
        max_size,
        max_files,
    }
}

/// Archives a checkout folder to ``out`` as source-controller writes a
/// GitRepository artifact (the checkout's ``.sourceignore`` files and ``ignore``
/// as ``spec.ignore``, Go's tar stream, gzip); returns ``{digest, size, files}``.
/// ``max_size`` (bytes of file content) and ``max_files`` are limits checked
/// before anything is read.
///
/// >>> import os, tempfile
/// >>> from fluxcd_core import archive
/// >>> with tempfile.TemporaryDirectory() as d:
/// ...     os.mkdir(os.path.join(d, "repo"))
/// ...     _ = open(os.path.join(d, "repo", "app.yaml"), "w").write("kind: ConfigMap\n")
/// ...     a = archive(os.path.join(d, "repo"), os.path.join(d, "a.tar.gz"))
/// >>> a["files"], a["digest"].startswith("sha256:")
/// (1, True)
#[pyfunction]
#[pyo3(signature = (dir, out, *, ignore=None, max_size=None, max_files=None))]
fn archive<'py>(
    py: Python<'py>,
    dir: PathBuf,
    out: PathBuf,
    ignore: Option<String>,
    max_size: Option<u64>,
    max_files: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    let options = archive_options(ignore, max_size, max_files);
    let a = embed::archive(&dir, &out, &options).py_err(py)?;
    convert::to_py(py, &a)
}

/// The uncompressed tar stream ``archive`` compresses: byte for byte what
/// source-controller's Go code writes for the same folder.
///
/// >>> import tempfile
/// >>> from fluxcd_core import tar_stream
/// >>> with tempfile.TemporaryDirectory() as d:
/// ...     len(tar_stream(d))
/// 1536
#[pyfunction]
#[pyo3(signature = (dir, *, ignore=None, max_size=None, max_files=None))]
fn tar_stream<'py>(
    py: Python<'py>,
    dir: PathBuf,
    ignore: Option<String>,
    max_size: Option<u64>,
    max_files: Option<usize>,
) -> PyResult<Bound<'py, PyBytes>> {
    let options = archive_options(ignore, max_size, max_files);
    let tar = embed::tar_stream(&dir, &options).py_err(py)?;
    Ok(PyBytes::new(py, &tar))
}

/// The storage path of an artifact: ``<lowercase kind>/<namespace>/<name>/<commit>.tar.gz``.
///
/// >>> from fluxcd_core import artifact_path
/// >>> artifact_path("GitRepository", "flux-system", "podinfo", "abc123")
/// 'gitrepository/flux-system/podinfo/abc123.tar.gz'
#[pyfunction]
fn artifact_path(kind: &str, namespace: &str, name: &str, commit: &str) -> String {
    embed::artifact_path(kind, namespace, name, commit)
}

/// The tag an ImagePolicy selects from ``tags``, as image-reflector-controller
/// v1.2 does: ``{"tag", "candidates", "dropped"}`` (plus ``"ambiguous"`` when
/// upstream's map order could pick another of equal tags). Raises ``FluxError``
/// (codes ``imagepolicy.*``) with the controller's message.
///
/// >>> from fluxcd_core import image_policy
/// >>> p = {"spec": {"policy": {"semver": {"range": "1.x"}}}}
/// >>> image_policy(p, ["1.0.0", "1.4.2", "2.0.0", "latest"])["tag"]
/// '1.4.2'
#[pyfunction]
fn image_policy<'py>(
    py: Python<'py>,
    policy: &Bound<'py, PyAny>,
    tags: Vec<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let p = convert::value(policy, "policy")?;
    let out = embed::image_policy(&p, &tags).py_err(py)?;
    convert::to_py(py, &out)
}

/// What the ImageUpdateAutomations of the checkout at ``path`` would change when
/// the ImagePolicies of ``select`` (``"namespace:name"`` to ``"TAG"`` or
/// ``"TAG@DIGEST"``) pick those tags: ``{"files": [{"file", "original", "content",
/// "changes", "diff"}], "markers", "diagnostics"}``. Nothing is written.
///
/// >>> import tempfile
/// >>> from fluxcd_core import image_update
/// >>> with tempfile.TemporaryDirectory() as empty:
/// ...     image_update(empty, select={"apps:app": "1.2.3"})["files"]
/// []
#[pyfunction]
#[pyo3(signature = (path, *, select))]
fn image_update<'py>(
    py: Python<'py>,
    path: PathBuf,
    select: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let sel = convert::string_map(select, "select")?;
    let out = embed::image_update(&path, &sel).py_err(py)?;
    convert::to_py(py, &out)
}

/// The native module; `fluxcd_core` re-exports everything.
/// Fetch a Git repository as source-controller does (``spec.ref`` precedence,
/// shallow clone, ``spec.ignore``, ``spec.include``, ``spec.sparseCheckout``,
/// ``spec.verify``) and write its artifact under ``out_dir`` at
/// ``gitrepository/<namespace>/<name>/<commit>.tar.gz``. Returns ``revision``,
/// ``digest``, ``path``, ``storagePath``, ``size``, ``files``, ``commit``,
/// ``reference`` and ``verified``. ``secret`` is the auth Secret's data
/// (``username``/``password``, ``bearerToken``, ``identity``/``known_hosts``).
/// Raises ``FetchError`` (codes ``git.*``, ``artifact.*``, ``signature.*``).
/// The GIL is released while fetching.
///
/// >>> from fluxcd_core import fetch, FetchError
/// >>> try:
/// ...     fetch("https://bot:s3cret@127.0.0.1:9/repo.git", out_dir="store")
/// ... except FetchError as e:
/// ...     print(e.code, "s3cret" in str(e))
/// git.url_credentials False
// The closure returns embed's error once per fetch, across the GIL release: its size
// does not matter there.
#[allow(clippy::result_large_err)]
#[pyfunction]
#[pyo3(signature = (url, *, out_dir, branch=None, tag=None, semver=None, commit=None, ref_name=None, secret=None, ignore=None, sparse_checkout=None, include=None, verify=None, timeout=None, depth=None, max_size=None, namespace=None, name=None))]
fn fetch<'py>(
    py: Python<'py>,
    url: String,
    out_dir: PathBuf,
    branch: Option<String>,
    tag: Option<String>,
    semver: Option<String>,
    commit: Option<String>,
    ref_name: Option<String>,
    secret: Option<&Bound<'py, PyAny>>,
    ignore: Option<String>,
    sparse_checkout: Option<Vec<String>>,
    include: Option<&Bound<'py, PyAny>>,
    verify: Option<&Bound<'py, PyAny>>,
    timeout: Option<f64>,
    depth: Option<u32>,
    max_size: Option<u64>,
    namespace: Option<String>,
    name: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let mut o = serde_json::Map::new();
    o.insert(
        "ref".into(),
        serde_json::json!({"branch": branch, "tag": tag, "semver": semver, "name": ref_name, "commit": commit}),
    );
    if let Some(s) = secret {
        o.insert(
            "secret".into(),
            serde_json::to_value(convert::string_map(s, "secret")?).unwrap_or_default(),
        );
    }
    o.insert(
        "outDir".into(),
        out_dir.to_string_lossy().into_owned().into(),
    );
    if let Some(v) = ignore {
        o.insert("ignore".into(), v.into());
    }
    if let Some(v) = sparse_checkout {
        o.insert("sparseCheckout".into(), v.into());
    }
    if let Some(v) = include {
        o.insert("include".into(), convert::value(v, "include")?);
    }
    if let Some(v) = verify {
        o.insert("verify".into(), convert::value(v, "verify")?);
    }
    if let Some(v) = timeout {
        o.insert("timeout".into(), v.into());
    }
    if let Some(v) = depth {
        o.insert("depth".into(), v.into());
    }
    if let Some(v) = max_size {
        o.insert("maxSize".into(), v.into());
    }
    if let Some(v) = namespace {
        o.insert("namespace".into(), v.into());
    }
    if let Some(v) = name {
        o.insert("name".into(), v.into());
    }
    let options = serde_json::Value::Object(o);
    let out = py.detach(|| embed::fetch(&url, &options)).py_err(py)?;
    convert::to_py(py, &out)
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(parse, m)?)?;
    m.add_function(wrap_pyfunction!(parse_resources, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(envsubst, m)?)?;
    m.add_function(wrap_pyfunction!(envsubst_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(envsubst_tree, m)?)?;
    m.add_function(wrap_pyfunction!(substitute, m)?)?;
    m.add_function(wrap_pyfunction!(substitute_resource, m)?)?;
    m.add_function(wrap_pyfunction!(compose_values, m)?)?;
    m.add_function(wrap_pyfunction!(explain_values, m)?)?;
    m.add_function(wrap_pyfunction!(parse_set, m)?)?;
    m.add_function(wrap_pyfunction!(merge_values, m)?)?;
    m.add_function(wrap_pyfunction!(values_digest, m)?)?;
    m.add_function(wrap_pyfunction!(replace_path_value, m)?)?;
    m.add_function(wrap_pyfunction!(verify_values, m)?)?;
    m.add_function(wrap_pyfunction!(release_name, m)?)?;
    m.add_function(wrap_pyfunction!(release_names, m)?)?;
    m.add_function(wrap_pyfunction!(compose_release_name, m)?)?;
    m.add_function(wrap_pyfunction!(shorten_release_name, m)?)?;
    m.add_function(wrap_pyfunction!(shorten_release_name_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(is_valid_release_name, m)?)?;
    m.add_function(wrap_pyfunction!(dependency_order, m)?)?;
    m.add_function(wrap_pyfunction!(sort_dependents, m)?)?;
    m.add_function(wrap_pyfunction!(check_ready_expr, m)?)?;
    m.add_function(wrap_pyfunction!(graph, m)?)?;
    m.add_function(wrap_pyfunction!(verify_commit_signature, m)?)?;
    m.add_function(wrap_pyfunction!(verify_tag_signature, m)?)?;
    m.add_function(wrap_pyfunction!(verify_checkout_signatures, m)?)?;
    m.add_function(wrap_pyfunction!(plan, m)?)?;
    m.add_function(wrap_pyfunction!(fetch, m)?)?;
    m.add_function(wrap_pyfunction!(plan_sarif, m)?)?;
    m.add_function(wrap_pyfunction!(archive, m)?)?;
    m.add_function(wrap_pyfunction!(tar_stream, m)?)?;
    m.add_function(wrap_pyfunction!(artifact_path, m)?)?;
    m.add_function(wrap_pyfunction!(migrate, m)?)?;
    m.add_function(wrap_pyfunction!(migrate_report, m)?)?;
    m.add_function(wrap_pyfunction!(schema, m)?)?;
    m.add_function(wrap_pyfunction!(yaml_to_json, m)?)?;
    m.add_function(wrap_pyfunction!(json_to_yaml, m)?)?;
    m.add_function(wrap_pyfunction!(semver_parse, m)?)?;
    m.add_function(wrap_pyfunction!(image_policy, m)?)?;
    m.add_function(wrap_pyfunction!(image_update, m)?)?;
    m.add_function(wrap_pyfunction!(semver_compare, m)?)?;
    m.add_function(wrap_pyfunction!(semver_check, m)?)?;
    m.add_function(wrap_pyfunction!(semver_constraint, m)?)?;
    Ok(())
}

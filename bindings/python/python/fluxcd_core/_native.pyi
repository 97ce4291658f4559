# Stubs of the native module (src/lib.rs), checked against the built module by
# `python -m mypy.stubtest fluxcd_core` in scripts/test-all.sh.
from os import PathLike
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from ._types import JSON, ArchiveResult, Diagnostic, Object, ReleaseNames, SubstituteResult

__all__ = [
    "__version__",
    "parse",
    "parse_resources",
    "validate",
    "envsubst",
    "envsubst_bytes",
    "envsubst_tree",
    "substitute",
    "substitute_resource",
    "compose_values",
    "explain_values",
    "parse_set",
    "merge_values",
    "values_digest",
    "replace_path_value",
    "verify_values",
    "release_name",
    "release_names",
    "compose_release_name",
    "shorten_release_name",
    "shorten_release_name_bytes",
    "is_valid_release_name",
    "dependency_order",
    "sort_dependents",
    "check_ready_expr",
    "graph",
    "plan",
    "plan_sarif",
    "fetch",
    "archive",
    "tar_stream",
    "artifact_path",
    "migrate",
    "migrate_report",
    "schema",
    "yaml_to_json",
    "json_to_yaml",
    "semver_parse",
    "semver_compare",
    "semver_check",
    "semver_constraint",
    "verify_commit_signature",
    "verify_tag_signature",
    "verify_checkout_signatures",
    "image_policy",
    "image_update",
]

__version__: str

def parse(text: str, *, file: Optional[str] = None) -> List[Object]: ...
def parse_resources(text: str, *, file: Optional[str] = None) -> List[Object]: ...
def validate(
    text_or_objects: Union[str, Iterable[Object]], *, file: Optional[str] = None
) -> List[Diagnostic]: ...
def envsubst(text: str, vars: Mapping[str, str], *, strict: bool = True) -> str: ...
def envsubst_bytes(text: str, vars: Mapping[str, str], *, strict: bool = True) -> bytes: ...
def envsubst_tree(text: str) -> List[Dict[str, Any]]: ...
def substitute(
    objects: Iterable[Object],
    kustomization: Object,
    *,
    resources: Optional[Iterable[Object]] = None,
    strict: bool = True,
    dry_run: bool = False,
) -> List[Object]: ...
def substitute_resource(
    resource: Object,
    kustomization: Object,
    *,
    resources: Optional[Iterable[Object]] = None,
    strict: bool = True,
    dry_run: bool = False,
) -> SubstituteResult: ...
def compose_values(
    helmrelease: Object, *, resources: Optional[Iterable[Object]] = None
) -> Dict[str, JSON]: ...
def explain_values(
    helmrelease: Object, *, resources: Optional[Iterable[Object]] = None
) -> Dict[str, JSON]: ...
def parse_set(
    set: Union[str, Sequence[str]],
    *,
    dest: Optional[Mapping[str, JSON]] = None,
    string: bool = False,
) -> Dict[str, JSON]: ...
def merge_values(
    a: Optional[Mapping[str, JSON]], b: Optional[Mapping[str, JSON]]
) -> Dict[str, JSON]: ...
def values_digest(values: Mapping[str, JSON], *, algorithm: str = "sha256") -> str: ...
def replace_path_value(
    dest: Optional[Mapping[str, JSON]], path: str, value: str, *, literal: bool = False
) -> Dict[str, JSON]: ...
def verify_values(digest: str, values: Mapping[str, JSON]) -> bool: ...
def release_name(helmrelease: Object) -> str: ...
def release_names(helmrelease: Object) -> ReleaseNames: ...
def compose_release_name(
    name: str, *, target_namespace: Optional[str] = None, release_name: Optional[str] = None
) -> str: ...
def shorten_release_name(name: str) -> str: ...
def shorten_release_name_bytes(name: bytes) -> bytes: ...
def is_valid_release_name(name: str) -> bool: ...
def dependency_order(objects: Iterable[Object]) -> List[str]: ...
def sort_dependents(entries: Iterable[Mapping[str, JSON]]) -> List[str]: ...
def check_ready_expr(expr: str) -> None: ...
def graph(objects: Iterable[Object]) -> Dict[str, JSON]: ...
def plan(
    path: Union[str, PathLike[str]],
    *,
    profiles: Optional[Sequence[str]] = None,
    vars: Optional[Mapping[str, str]] = None,
    var_files: Optional[Sequence[Union[str, PathLike[str]]]] = None,
    sources: Optional[Mapping[str, str]] = None,
) -> Dict[str, JSON]: ...
def plan_sarif(
    path: Union[str, PathLike[str]],
    *,
    profiles: Optional[Sequence[str]] = None,
    vars: Optional[Mapping[str, str]] = None,
    var_files: Optional[Sequence[Union[str, PathLike[str]]]] = None,
    sources: Optional[Mapping[str, str]] = None,
) -> Dict[str, JSON]: ...
def fetch(
    url: str,
    *,
    out_dir: Union[str, PathLike[str]],
    branch: Optional[str] = None,
    tag: Optional[str] = None,
    semver: Optional[str] = None,
    commit: Optional[str] = None,
    ref_name: Optional[str] = None,
    secret: Optional[Mapping[str, str]] = None,
    ignore: Optional[str] = None,
    sparse_checkout: Optional[Sequence[str]] = None,
    include: Optional[Sequence[Mapping[str, str]]] = None,
    verify: Optional[Mapping[str, JSON]] = None,
    timeout: Optional[float] = None,
    depth: Optional[int] = None,
    max_size: Optional[int] = None,
    namespace: Optional[str] = None,
    name: Optional[str] = None,
) -> Dict[str, JSON]: ...
def migrate(text: str) -> str: ...
def migrate_report(text: str) -> Dict[str, JSON]: ...
def schema(kind: Optional[str] = None) -> Dict[str, JSON]: ...
def yaml_to_json(text: str, *, schema: str = "kubernetes") -> List[JSON]: ...
def json_to_yaml(value: JSON) -> str: ...
def semver_parse(version: str) -> Dict[str, Any]: ...
def semver_compare(a: str, b: str) -> int: ...
def semver_check(constraint: str, version: str) -> bool: ...
def semver_constraint(constraint: str) -> str: ...
def verify_commit_signature(
    raw_commit: bytes, commit: str, keys: Mapping[str, Union[bytes, str]]
) -> Dict[str, str]: ...
def verify_tag_signature(
    raw_tag: bytes, keys: Mapping[str, Union[bytes, str]], *, name: Optional[str] = None
) -> Dict[str, str]: ...
def verify_checkout_signatures(
    mode: str,
    commit: str,
    raw_commit: bytes,
    keys: Mapping[str, Union[bytes, str]],
    *,
    reference: Optional[str] = None,
    raw_tag: Optional[bytes] = None,
) -> Dict[str, Any]: ...
def archive(
    dir: Union[str, PathLike[str]],
    out: Union[str, PathLike[str]],
    *,
    ignore: Optional[str] = None,
    max_size: Optional[int] = None,
    max_files: Optional[int] = None,
) -> ArchiveResult: ...
def tar_stream(
    dir: Union[str, PathLike[str]],
    *,
    ignore: Optional[str] = None,
    max_size: Optional[int] = None,
    max_files: Optional[int] = None,
) -> bytes: ...
def artifact_path(kind: str, namespace: str, name: str, commit: str) -> str: ...
def image_policy(policy: Object, tags: Sequence[str]) -> Dict[str, Any]: ...
def image_update(
    path: Union[str, "PathLike[str]"], *, select: Mapping[str, str]
) -> Dict[str, Any]: ...

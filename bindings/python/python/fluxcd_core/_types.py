"""Shapes of the plain dicts fluxcd_core returns (for type checkers; at run time
they are ordinary dicts)."""

from __future__ import annotations

from typing import Any, Dict, Optional, TypedDict

__all__ = ["JSON", "Object", "Diagnostic", "ReleaseNames", "SubstituteResult", "ArchiveResult"]

#: Any JSON-like value: dicts, lists, str, int, float, bool, None.
JSON = Any
#: A Kubernetes object (or any JSON object) as a dict, keys as in YAML.
Object = Dict[str, Any]


class _DiagnosticRequired(TypedDict):
    code: str
    severity: str
    message: str
    document: int
    line: int
    column: int


class Diagnostic(_DiagnosticRequired, total=False):
    """One finding of ``validate``: ``file``, ``path`` and ``hint`` are present only
    when known."""

    file: str
    path: str
    hint: str


class ReleaseNames(TypedDict):
    """What ``release_names`` returns."""

    releaseName: str
    releaseNamespace: str
    storageNamespace: str
    helmChart: Optional[str]
    composedName: str
    shortened: bool


class SubstituteResult(TypedDict):
    """What ``substitute_resource`` returns."""

    outcome: str
    object: Dict[str, Any]
    emitted: str


class ArchiveResult(TypedDict):
    """What ``archive`` returns."""

    digest: str
    size: int
    files: int

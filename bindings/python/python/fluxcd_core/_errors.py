"""The exceptions every ``fluxcd_core`` function raises.

Each carries the stable dotted ``code`` of the failure (the same codes as the Rust
library, the CLI and the Node package; see ``docs/error-codes.md``), the message
(Flux's own text where the engine reproduces it), a ``location`` when there is one,
and ``details`` (structured extras such as the ``cycle`` of a dependency cycle).

>>> from fluxcd_core import envsubst, SubstitutionError
>>> try:
...     envsubst("${missing}", {})
... except SubstitutionError as e:
...     print(e.code, e.location.line, e.location.column)
subst.undefined 1 1
"""

from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional

__all__ = [
    "Location",
    "FluxError",
    "ManifestError",
    "SubstitutionError",
    "ValuesError",
    "DependencyCycleError",
    "ReleaseError",
    "FetchError",
]


class Location(NamedTuple):
    """Where a failure happened: 1-based ``line`` and ``column`` (0 when unknown),
    the ``file`` when the input came from one, the YAML ``document`` index and the
    dotted ``path`` of the field when known."""

    file: Optional[str]
    line: int
    column: int
    document: int = 0
    path: str = ""


class FluxError(Exception):
    """Base class of every fluxcd_core error.

    ``code`` is the stable dotted code (``subst.undefined``, ``deps.cycle``, ...),
    ``message`` the text, ``location`` a ``Location`` or ``None``, ``details`` a
    dict of structured extras (``{}`` when there are none).
    """

    code: str
    message: str
    location: Optional[Location]
    details: Dict[str, Any]

    def __init__(
        self,
        message: str,
        *,
        code: str,
        location: Optional[Dict[str, Any]] = None,
        details: Optional[Dict[str, Any]] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.location = (
            Location(
                file=location.get("file"),
                line=int(location.get("line", 0)),
                column=int(location.get("column", 0)),
                document=int(location.get("document", 0)),
                path=str(location.get("path", "")),
            )
            if location is not None
            else None
        )
        self.details = dict(details or {})

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> Any:
        loc = self.location._asdict() if self.location is not None else None
        return (_rebuild, (type(self), self.message, self.code, loc, self.details))


def _rebuild(
    cls: type,
    message: str,
    code: str,
    location: Optional[Dict[str, Any]],
    details: Dict[str, Any],
) -> FluxError:
    err: FluxError = cls(message, code=code, location=location, details=details)
    return err


class ManifestError(FluxError, ValueError):
    """The input is not a readable manifest: YAML (``yaml.*``), API types
    (``api.*``), a readyExpr that does not compile (``deps.ready_expr_*``)."""


class SubstitutionError(FluxError, ValueError):
    """postBuild substitution failed (``subst.*``, ``postbuild.*``). For a
    resource of ``substitute``, ``details["controllerMessage"]`` is the text of the
    Kustomization's Ready condition."""


class ValuesError(FluxError, ValueError):
    """HelmRelease values composition failed (``values.*``), with chartutil's
    message."""


class DependencyCycleError(FluxError):
    """Objects depend on each other in a cycle (``deps.cycle``). ``cycle`` is the
    path Flux reports, ``namespace/name`` entries whose first and last are equal."""

    @property
    def cycle(self) -> List[str]:
        return list(self.details.get("cycle", []))


class ReleaseError(FluxError, ValueError):
    """No valid Helm release name can be made (``release.*``)."""


class FetchError(FluxError, OSError):
    """A source could not be fetched (``fetch.*``)."""

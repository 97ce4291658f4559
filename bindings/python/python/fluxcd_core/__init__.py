"""fluxcd_core: the pure logic of Flux CD, offline.

Every answer comes from the Rust library ``fluxcd-core`` and is exactly Flux's:
postBuild substitution, HelmRelease values, Helm release names, ``dependsOn``
order, manifest validation, API migration and JSON Schemas. Kubernetes objects
cross as plain dicts with their YAML keys (camelCase); options are keyword-only.

>>> import fluxcd_core
>>> fluxcd_core.envsubst("replicas: ${replicas:=2}", {})
'replicas: 2'

Failures raise ``FluxError`` subclasses carrying a stable ``code``.
"""

from ._errors import (
    DependencyCycleError,
    FetchError,
    FluxError,
    Location,
    ManifestError,
    ReleaseError,
    SubstitutionError,
    ValuesError,
)
from ._native import (
    __version__,
    check_ready_expr,
    compose_release_name,
    compose_values,
    dependency_order,
    envsubst,
    envsubst_bytes,
    envsubst_tree,
    explain_values,
    graph,
    image_policy,
    image_update,
    is_valid_release_name,
    json_to_yaml,
    merge_values,
    migrate,
    migrate_report,
    parse,
    parse_resources,
    parse_set,
    plan,
    plan_sarif,
    release_name,
    release_names,
    replace_path_value,
    schema,
    semver_check,
    semver_compare,
    semver_constraint,
    semver_parse,
    shorten_release_name,
    shorten_release_name_bytes,
    sort_dependents,
    substitute,
    substitute_resource,
    validate,
    values_digest,
    verify_values,
    yaml_to_json,
)
from ._types import JSON, Diagnostic, Object, ReleaseNames, SubstituteResult

__all__ = [
    "__version__",
    # functions
    "check_ready_expr",
    "compose_release_name",
    "compose_values",
    "dependency_order",
    "envsubst",
    "envsubst_bytes",
    "envsubst_tree",
    "explain_values",
    "graph",
    "image_policy",
    "image_update",
    "is_valid_release_name",
    "json_to_yaml",
    "merge_values",
    "migrate",
    "migrate_report",
    "parse",
    "parse_resources",
    "parse_set",
    "plan",
    "plan_sarif",
    "release_name",
    "release_names",
    "replace_path_value",
    "schema",
    "semver_check",
    "semver_compare",
    "semver_constraint",
    "semver_parse",
    "shorten_release_name",
    "shorten_release_name_bytes",
    "sort_dependents",
    "substitute",
    "substitute_resource",
    "validate",
    "values_digest",
    "verify_values",
    "yaml_to_json",
    # errors
    "DependencyCycleError",
    "FetchError",
    "FluxError",
    "Location",
    "ManifestError",
    "ReleaseError",
    "SubstitutionError",
    "ValuesError",
    # types
    "JSON",
    "Diagnostic",
    "Object",
    "ReleaseNames",
    "SubstituteResult",
]

//! What the dependency checks find, with stable codes.

use super::ObjectRef;

/// A problem with `dependsOn`: the error of [`sort`](super::sort) and
/// [`check_ready_expr`](super::check_ready_expr), and the findings of
/// [`analyze`](super::analyze) before they become diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Upstream's `Sort` met an object twice on its search path. `path` is
    /// that search path: from the object where the search started, through
    /// the cycle, back to the object met twice.
    #[error("circular dependency detected: {}", join(path))]
    Cycle {
        /// The search path; the last object is also on it earlier.
        path: Vec<ObjectRef>,
    },
    /// Objects that depend on each other (a strongly connected component, or
    /// one object that depends on itself): none of them ever becomes ready.
    #[error("{kind}s in a dependency cycle never become ready: {}; cycle: {}", members.join(", "), join(cycle))]
    CycleGroup {
        /// `Kustomization` or `HelmRelease`.
        kind: &'static str,
        /// Every object of the component with its `file:line`.
        members: Vec<String>,
        /// One cycle through the first member, ending where it starts.
        cycle: Vec<ObjectRef>,
    },
    /// A `dependsOn` entry names an object that is defined nowhere in the input.
    #[error("dependency '{dependency}' not found: no {kind} {dependency} in the repository")]
    Missing {
        /// The kind of the dependent (and so of the dependency).
        kind: &'static str,
        /// The object named.
        dependency: ObjectRef,
    },
    /// A `dependsOn` entry names an object that exists only as the other kind.
    #[error("dependency '{dependency}' not found: it is a {other_kind}, and a {kind} can only depend on {kind}s")]
    CrossKind {
        /// The kind of the dependent.
        kind: &'static str,
        /// The kind of the object named.
        other_kind: &'static str,
        /// The object named.
        dependency: ObjectRef,
    },
    /// Two objects of the same kind share a namespace and a name.
    #[error("{kind} '{object}' is defined more than once (first at {first}); the graph merges their dependencies")]
    Duplicate {
        /// The kind.
        kind: &'static str,
        /// The object.
        object: ObjectRef,
        /// `file:line` of the first definition.
        first: String,
    },
    /// A `readyExpr` does not compile: syntax error, unknown variable, or
    /// operands of the wrong type. The text is Flux's.
    #[error("failed to parse the CEL expression '{expr}': {detail}")]
    ReadyExprSyntax {
        /// The expression.
        expr: String,
        /// cel-go's rendering of the errors.
        detail: String,
    },
    /// A `readyExpr` compiles but is not a `bool`. The text is Flux's.
    #[error("CEL expression output type mismatch: expected bool, got {got}")]
    ReadyExprType {
        /// The type it has, as CEL names it (`dyn`, `int`, `map(string, dyn)`, ...).
        got: String,
    },
}

fn join(path: &[ObjectRef]) -> String {
    path.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" -> ")
}

impl Error {
    /// The stable diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Cycle { .. } | Error::CycleGroup { .. } => "deps.cycle",
            Error::Missing { .. } => "deps.missing",
            Error::CrossKind { .. } => "deps.cross_kind",
            Error::Duplicate { .. } => "deps.duplicate",
            Error::ReadyExprSyntax { .. } => "deps.ready_expr_syntax",
            Error::ReadyExprType { .. } => "deps.ready_expr_type",
        }
    }

    /// A suggestion for fixing it.
    pub fn hint(&self) -> String {
        match self {
            Error::Cycle { .. } | Error::CycleGroup { .. } => {
                "remove one `dependsOn` entry of the cycle; Flux does not reject cycles, the objects just wait for each other forever".into()
            }
            Error::Missing { kind, .. } => format!(
                "check the name and the namespace (an entry without namespace means the dependent's namespace); if the {kind} comes from outside this repository, ignore this"
            ),
            Error::CrossKind { kind, .. } => format!(
                "a {kind} cannot wait for another kind; depend on the {kind} that applies it instead"
            ),
            Error::Duplicate { .. } => {
                "in a repository with one folder per cluster this is expected: graph one cluster's folder to see its own graph".into()
            }
            Error::ReadyExprSyntax { .. } => {
                "the variables are `self` (this object) and `dep` (the dependency), e.g. `dep.status.ready == true`".into()
            }
            Error::ReadyExprType { .. } => {
                "the expression must be a bool: compare the field, e.g. `dep.status.ready == true`".into()
            }
        }
    }
}

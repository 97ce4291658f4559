//! The upstream topological order: `Sort` of fluxcd/pkg `runtime/dependency`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::fx::{Csr, FxHashMap, Interner};
use super::Error;

/// A `namespace/name` pair, printed as upstream's `NamespacedObjectReference`
/// prints it: `namespace/name`, or only `name` when the namespace is empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ObjectRef {
    /// The namespace; empty when unknown.
    pub namespace: String,
    /// The name.
    pub name: String,
}

impl ObjectRef {
    /// A reference from a namespace and a name.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        ObjectRef {
            namespace: namespace.into(),
            name: name.into(),
        }
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.namespace.is_empty() {
            f.write_str(&self.name)
        } else {
            write!(f, "{}/{}", self.namespace, self.name)
        }
    }
}

/// One `spec.dependsOn` entry as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DependencyRef {
    /// `name`.
    pub name: String,
    /// `namespace`; empty means the dependent's own namespace.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub namespace: String,
    /// `readyExpr`, a CEL expression, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ready_expr: Option<String>,
}

impl DependencyRef {
    /// The object this entry names, for a dependent in `dependent_namespace`.
    pub fn resolve(&self, dependent_namespace: &str) -> ObjectRef {
        let namespace = if self.namespace.is_empty() {
            dependent_namespace
        } else {
            &self.namespace
        };
        ObjectRef::new(namespace, self.name.clone())
    }
}

/// What [`sort`] needs of an object: upstream's `Dependent` interface.
pub trait Dependent {
    /// `metadata.name`.
    fn name(&self) -> &str;
    /// `metadata.namespace` (empty when unset).
    fn namespace(&self) -> &str;
    /// `spec.dependsOn`, in declared order.
    fn depends_on(&self) -> &[DependencyRef];
}

/// A plain [`Dependent`]: what tests, vectors and the CLI build.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DependentObject {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace`.
    #[serde(default)]
    pub namespace: String,
    /// `spec.dependsOn`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<DependencyRef>,
}

impl DependentObject {
    /// An object without dependencies.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        DependentObject {
            name: name.into(),
            namespace: namespace.into(),
            depends_on: Vec::new(),
        }
    }

    /// Adds a `dependsOn` entry (`namespace` may be empty).
    pub fn depends_on(mut self, namespace: &str, name: &str) -> Self {
        self.depends_on.push(DependencyRef {
            name: name.to_string(),
            namespace: namespace.to_string(),
            ready_expr: None,
        });
        self
    }
}

impl Dependent for DependentObject {
    fn name(&self) -> &str {
        &self.name
    }
    fn namespace(&self) -> &str {
        &self.namespace
    }
    fn depends_on(&self) -> &[DependencyRef] {
        &self.depends_on
    }
}

/// The input on interned vertices.
pub(crate) struct Interned<'a> {
    /// The vertex of each object, in input order.
    pub(crate) roots: Vec<usize>,
    /// `(dependent, dependency)` of each `dependsOn` entry, in input order.
    pub(crate) pairs: Vec<(usize, usize)>,
    /// The `(namespace, name)` of each vertex, in order of first mention.
    pub(crate) keys: Vec<(&'a str, &'a str)>,
}

/// Numbers namespaces in order of first mention.
#[derive(Default)]
struct Namespaces<'a> {
    numbers: FxHashMap<&'a str, usize>,
    /// The namespace asked for last, and its number.
    last: Option<(&'a str, usize)>,
}

impl<'a> Namespaces<'a> {
    #[inline]
    fn number(&mut self, ns: &'a str) -> usize {
        match self.last {
            Some((s, n)) if s == ns => n,
            _ => {
                let next = self.numbers.len();
                let n = *self.numbers.entry(ns).or_insert(next);
                self.last = Some((ns, n));
                n
            }
        }
    }
}

/// Numbers every object and every object named by a `dependsOn` entry, in
/// order of first mention (what upstream's sort does with its map), without
/// an allocation per key.
pub(crate) fn intern_all<D: Dependent>(objects: &[D]) -> Interned<'_> {
    let mut table = Interner::with_capacity(objects.len());
    // Namespaces are numbered first: an entry without namespace reuses its
    // dependent's number, and most objects share the namespace before them.
    let mut namespaces = Namespaces::default();
    let mut keys = Vec::with_capacity(objects.len());
    let mut roots = Vec::with_capacity(objects.len());
    let mut pairs = Vec::with_capacity(objects.len() * 2);
    for obj in objects {
        let namespace = obj.namespace();
        let ns = namespaces.number(namespace);
        let (u, new) = table.intern(ns, obj.name());
        if new {
            keys.push((namespace, obj.name()));
        }
        roots.push(u);
        for dep in obj.depends_on() {
            let (dep_ns, key) = if dep.namespace.is_empty() {
                (ns, (namespace, dep.name.as_str()))
            } else {
                (
                    namespaces.number(&dep.namespace),
                    (dep.namespace.as_str(), dep.name.as_str()),
                )
            };
            let (v, new) = table.intern(dep_ns, key.1);
            if new {
                keys.push(key);
            }
            pairs.push((u, v));
        }
    }
    Interned { roots, pairs, keys }
}

const UNMARKED: u8 = 0;
const TEMPORARY: u8 = 1;
const PERMANENT: u8 = 2;

/// Orders objects so that every object comes after its dependencies, exactly as
/// Flux's `dependency.Sort` (fluxcd/pkg runtime v0.110.1) does.
///
/// * Depth-first, post-order: objects are visited in input order, and each
///   object's dependencies in `dependsOn` order, so ties keep input order.
/// * A `dependsOn` entry without namespace means the dependent's namespace.
/// * Dependencies that are not among the inputs still appear in the output.
/// * Objects that share a namespace and name are one vertex whose
///   dependencies are those of every copy, in input order.
/// * The first cycle met ends the sort with [`Error::Cycle`], whose text is
///   upstream's: the depth-first search path from the object where the search
///   started, through the cycle, back to the first object met twice.
///
/// Iterative: a chain of any length is fine (O(objects + edges)).
pub fn sort<D: Dependent>(objects: &[D]) -> Result<Vec<ObjectRef>, Error> {
    let Interned { roots, pairs, keys } = intern_all(objects);
    let edges = Csr::from_pairs(keys.len(), &pairs);
    let object_ref = |u: usize| ObjectRef::new(keys[u].0, keys[u].1);
    match sort_indices(&roots, &edges) {
        Ok(order) => Ok(order.into_iter().map(object_ref).collect()),
        Err(path) => Err(Error::Cycle {
            path: path.into_iter().map(object_ref).collect(),
        }),
    }
}

/// The search of [`sort`] on interned vertices: `roots` in input order (with
/// repeats), `edges.get(u)` the dependencies of `u` in order. The order as
/// vertex indices, or the search path that ends on a cycle.
pub(crate) fn sort_indices(roots: &[usize], edges: &Csr) -> Result<Vec<usize>, Vec<usize>> {
    let mut mark = vec![UNMARKED; edges.len()];
    let mut sorted = Vec::with_capacity(edges.len());
    // The search stack: a vertex, the position of its next dependency in
    // `targets` and the end of its dependencies.
    let targets = edges.targets();
    let mut stack: Vec<(usize, usize, usize)> = Vec::new();
    for &root in roots {
        if mark[root] != UNMARKED {
            continue;
        }
        mark[root] = TEMPORARY;
        let r = edges.range(root);
        stack.push((root, r.start, r.end));
        while let Some(top) = stack.last_mut() {
            let (u, next, end) = *top;
            if next < end {
                let v = targets[next];
                top.1 += 1;
                match mark[v] {
                    PERMANENT => {}
                    TEMPORARY => {
                        let mut path: Vec<usize> = stack.iter().map(|&(w, _, _)| w).collect();
                        path.push(v);
                        return Err(path);
                    }
                    _ => {
                        mark[v] = TEMPORARY;
                        let r = edges.range(v);
                        stack.push((v, r.start, r.end));
                    }
                }
            } else {
                stack.pop();
                mark[u] = PERMANENT;
                sorted.push(u);
            }
        }
    }
    Ok(sorted)
}

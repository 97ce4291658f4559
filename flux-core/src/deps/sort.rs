//! The upstream topological order: `Sort` of fluxcd/pkg `runtime/dependency`.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

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

fn intern<'a>(
    ids: &mut HashMap<(&'a str, &'a str), usize>,
    keys: &mut Vec<(&'a str, &'a str)>,
    edges: &mut Vec<Vec<usize>>,
    key: (&'a str, &'a str),
) -> usize {
    *ids.entry(key).or_insert_with(|| {
        keys.push(key);
        edges.push(Vec::new());
        keys.len() - 1
    })
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
    // Vertices are interned by borrowed namespace and name: no allocation
    // per edge.
    let mut ids: HashMap<(&str, &str), usize> = HashMap::with_capacity(objects.len());
    let mut keys: Vec<(&str, &str)> = Vec::with_capacity(objects.len());
    let mut vertices = Vec::with_capacity(objects.len());
    let mut edges: Vec<Vec<usize>> = Vec::with_capacity(objects.len());
    for obj in objects {
        let namespace = obj.namespace();
        let u = intern(&mut ids, &mut keys, &mut edges, (namespace, obj.name()));
        vertices.push(u);
        for dep in obj.depends_on() {
            let ns = if dep.namespace.is_empty() {
                namespace
            } else {
                dep.namespace.as_str()
            };
            let v = intern(&mut ids, &mut keys, &mut edges, (ns, dep.name.as_str()));
            edges[u].push(v);
        }
    }
    match sort_indices(&vertices, &edges) {
        Ok(order) => Ok(order
            .into_iter()
            .map(|u| ObjectRef::new(keys[u].0, keys[u].1))
            .collect()),
        Err(path) => Err(Error::Cycle {
            path: path
                .into_iter()
                .map(|u| ObjectRef::new(keys[u].0, keys[u].1))
                .collect(),
        }),
    }
}

/// The search of [`sort`] on interned vertices: `roots` in input order (with
/// repeats), `edges[u]` the dependencies of `u` in order. The order as
/// vertex indices, or the search path that ends on a cycle.
pub(crate) fn sort_indices(
    roots: &[usize],
    edges: &[Vec<usize>],
) -> Result<Vec<usize>, Vec<usize>> {
    let mut mark = vec![UNMARKED; edges.len()];
    let mut sorted = Vec::with_capacity(edges.len());
    // The search stack: a vertex and the index of its next dependency.
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for &root in roots {
        if mark[root] != UNMARKED {
            continue;
        }
        mark[root] = TEMPORARY;
        stack.push((root, 0));
        while let Some(top) = stack.last_mut() {
            let (u, next) = *top;
            if let Some(&v) = edges[u].get(next) {
                top.1 += 1;
                match mark[v] {
                    PERMANENT => {}
                    TEMPORARY => {
                        let mut path: Vec<usize> = stack.iter().map(|&(w, _)| w).collect();
                        path.push(v);
                        return Err(path);
                    }
                    _ => {
                        mark[v] = TEMPORARY;
                        stack.push((v, 0));
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

//! The dependency graph of a repository: cycles, missing and cross-kind
//! dependencies, install waves and the critical path.

use std::collections::{HashMap, VecDeque};

use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use serde_json::Value;

use super::fx::{Csr, FxHashSet};
use super::sort::{intern_all, sort_indices, Interned};
use super::{check_ready_expr, DependencyRef, DependentObject, Error, ObjectRef};
use crate::diagnostic::{Diagnostic, Location, Severity};
use crate::manifest::{ManifestSet, Role};

/// The two kinds with `spec.dependsOn`. Each has its own graph: a Kustomization
/// only waits for Kustomizations, a HelmRelease only for HelmReleases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `kustomize.toolkit.fluxcd.io` Kustomization.
    Kustomization,
    /// `helm.toolkit.fluxcd.io` HelmRelease.
    HelmRelease,
}

impl Kind {
    /// Both kinds, in report order.
    pub const ALL: [Kind; 2] = [Kind::Kustomization, Kind::HelmRelease];

    /// The kind's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Kustomization => "Kustomization",
            Kind::HelmRelease => "HelmRelease",
        }
    }

    /// The API group of the kind.
    pub fn group(self) -> &'static str {
        match self {
            Kind::Kustomization => "kustomize.toolkit.fluxcd.io",
            Kind::HelmRelease => "helm.toolkit.fluxcd.io",
        }
    }

    /// The other kind.
    pub fn other(self) -> Kind {
        match self {
            Kind::Kustomization => Kind::HelmRelease,
            Kind::HelmRelease => Kind::Kustomization,
        }
    }

    /// The kind of a manifest, when it is one of the two.
    pub fn of(group: &str, kind: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.group() == group && k.as_str() == kind)
    }
}

/// Where an object and its `dependsOn` entries are written. All optional:
/// graphs built from plain objects have no locations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Located {
    /// The object.
    pub object: Option<Location>,
    /// Each `dependsOn` entry, in order.
    pub entries: Vec<Location>,
    /// Each entry's `readyExpr`, in order.
    pub ready_exprs: Vec<Option<Location>>,
}

/// One object of a graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// `namespace/name`.
    pub id: ObjectRef,
    /// False for an object that is only named by a `dependsOn` entry.
    pub defined: bool,
    /// Where it is defined (the first definition).
    pub location: Option<Location>,
    /// Where it is defined again, when it is.
    pub duplicates: Vec<Location>,
    /// Its install wave; `None` when it never becomes ready.
    pub wave: Option<usize>,
    /// The index in [`Graph::cycles`] of the cycle it is on.
    pub cycle: Option<usize>,
    /// It waits, directly or not, for an object on a cycle or not defined.
    pub blocked: bool,
}

/// One `dependsOn` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// The node that has the entry.
    pub dependent: usize,
    /// The node it names.
    pub dependency: usize,
    /// Where the entry is written.
    pub location: Option<Location>,
    /// Its `readyExpr`.
    pub ready_expr: Option<String>,
    /// Where the `readyExpr` is written.
    pub ready_expr_location: Option<Location>,
}

/// The dependency graph of one kind, analysed.
#[derive(Debug, Clone)]
pub struct Graph {
    /// Kustomization or HelmRelease.
    pub kind: Kind,
    /// Every object defined or named, in order of first mention.
    pub nodes: Vec<Node>,
    /// Every `dependsOn` entry, in input order.
    pub edges: Vec<Edge>,
    /// Install waves: wave 0 has no dependencies, wave n waits for wave n-1.
    /// The objects of a wave can be reconciled in parallel, in input order.
    pub waves: Vec<Vec<usize>>,
    /// Each cycle: the nodes of a strongly connected component (or one node
    /// that depends on itself), in input order.
    pub cycles: Vec<Vec<usize>>,
    /// One cycle path through each cycle's first node, ending where it starts.
    pub cycle_paths: Vec<Vec<usize>>,
    /// The longest chain of dependencies, from wave 0 to the last wave.
    pub critical_path: Vec<usize>,
    /// What Flux's `dependency.Sort` answers for the defined objects in input
    /// order (duplicates included, as Flux would list them).
    pub order: Result<Vec<ObjectRef>, Error>,
}

impl Graph {
    /// Builds and analyses the graph of plain objects (no locations).
    pub fn build(kind: Kind, objects: &[DependentObject]) -> Graph {
        Graph::build_located(kind, objects, &[])
    }

    /// Builds and analyses the graph; `located[i]` says where `objects[i]` is.
    pub fn build_located(kind: Kind, objects: &[DependentObject], located: &[Located]) -> Graph {
        // Nodes are interned once, in order of first mention; everything
        // after works on their indices.
        let Interned { roots, pairs, keys } = intern_all(objects);
        let mut nodes: Vec<Node> = keys
            .iter()
            .map(|&(namespace, name)| Node {
                id: ObjectRef::new(namespace, name),
                defined: false,
                location: None,
                duplicates: Vec::new(),
                wave: None,
                cycle: None,
                blocked: false,
            })
            .collect();
        let mut edges = Vec::with_capacity(pairs.len());
        let none = Located::default();
        for (i, obj) in objects.iter().enumerate() {
            let loc = located.get(i).unwrap_or(&none);
            let node = &mut nodes[roots[i]];
            if node.defined {
                node.duplicates.push(loc.object.clone().unwrap_or_default());
            } else {
                node.defined = true;
                node.location = loc.object.clone();
            }
            let first = edges.len();
            edges.extend(obj.depends_on.iter().enumerate().map(|(j, dep)| {
                let (dependent, dependency) = pairs[first + j];
                Edge {
                    dependent,
                    dependency,
                    location: loc.entries.get(j).cloned(),
                    ready_expr: dep.ready_expr.clone(),
                    ready_expr_location: loc.ready_exprs.get(j).cloned().flatten(),
                }
            }));
        }
        // The dependencies of each node, deduplicated, in `dependsOn` order.
        let mut adj = Csr::from_pairs(nodes.len(), &pairs);
        adj.dedup();
        let mut graph = Graph {
            kind,
            nodes,
            edges,
            waves: Vec::new(),
            cycles: Vec::new(),
            cycle_paths: Vec::new(),
            critical_path: Vec::new(),
            order: Ok(Vec::new()),
        };
        // Interning in first-mention order, as upstream's sort does, and
        // dropping repeated entries (a repeat is always skipped) give the
        // same search: Flux's order without a second pass over the input.
        let topo = match sort_indices(&roots, &adj) {
            Ok(order) => {
                graph.order = Ok(order.iter().map(|&u| graph.nodes[u].id.clone()).collect());
                Some(order)
            }
            Err(path) => {
                graph.order = Err(Error::Cycle {
                    path: path
                        .into_iter()
                        .map(|u| graph.nodes[u].id.clone())
                        .collect(),
                });
                None
            }
        };
        graph.analyse(&adj, topo.as_deref());
        graph
    }

    /// Cycles, waves and the critical path. `topo` is the order of the sort
    /// when it found no cycle: then it has every node, dependencies first.
    fn analyse(&mut self, adj: &Csr, topo: Option<&[usize]>) {
        let n = self.nodes.len();

        match topo {
            // Every node with a dependency is a root of the sort's search,
            // so every cycle is met by it: no cycle when it succeeded.
            Some(order) => {
                debug_assert_eq!(order.len(), n);
                waves_in_order(&mut self.nodes, adj, order);
            }
            None => {
                self.find_cycles(adj);
                waves_kahn(&mut self.nodes, adj);
            }
        }

        let depth = self.nodes.iter().filter_map(|x| x.wave).max();
        self.waves = vec![Vec::new(); depth.map_or(0, |d| d + 1)];
        for (u, node) in self.nodes.iter_mut().enumerate() {
            match node.wave {
                Some(w) => self.waves[w].push(u),
                None => node.blocked = node.defined && node.cycle.is_none(),
            }
        }

        // The critical path: from the first object of the last wave back
        // through the first dependency one wave earlier.
        if let Some(&last) = self.waves.last().and_then(|w| w.first()) {
            let mut path = vec![last];
            let mut u = last;
            while let Some(w) = self.nodes[u].wave.filter(|&w| w > 0) {
                let Some(&prev) = adj
                    .get(u)
                    .iter()
                    .find(|&&v| self.nodes[v].wave == Some(w - 1))
                else {
                    break;
                };
                path.push(prev);
                u = prev;
            }
            path.reverse();
            self.critical_path = path;
        }
    }

    /// Cycles: strongly connected components with more than one node, or
    /// with an edge from a node to itself (kosaraju_scc is iterative).
    fn find_cycles(&mut self, adj: &Csr) {
        let n = self.nodes.len();
        let mut g: DiGraph<(), ()> = DiGraph::with_capacity(n, adj.edge_count());
        for _ in 0..n {
            g.add_node(());
        }
        for (u, deps) in adj.iter().enumerate() {
            for &v in deps {
                g.add_edge(NodeIndex::new(u), NodeIndex::new(v), ());
            }
        }
        let mut cycles: Vec<Vec<usize>> = kosaraju_scc(&g)
            .into_iter()
            .map(|c| {
                let mut c: Vec<usize> = c.into_iter().map(NodeIndex::index).collect();
                c.sort_unstable();
                c
            })
            .filter(|c| c.len() > 1 || adj.get(c[0]).contains(&c[0]))
            .collect();
        cycles.sort_unstable_by_key(|c| c[0]);
        for (i, c) in cycles.iter().enumerate() {
            for &u in c {
                self.nodes[u].cycle = Some(i);
            }
        }
        let mut scratch = PathScratch::new(n);
        self.cycle_paths = cycles
            .iter()
            .enumerate()
            .map(|(i, c)| scratch.cycle_path(i, c, adj))
            .collect();
        self.cycles = cycles;
    }

    /// The number of objects on the critical path (the number of waves).
    pub fn critical_path_length(&self) -> usize {
        self.critical_path.len()
    }

    /// The findings as [`Error`]s with their locations: duplicates, missing
    /// and cross-kind dependencies, cycles and bad `readyExpr`s.
    /// `other_kind` says whether an object exists as the other kind.
    pub fn problems(&self, other_kind: &dyn Fn(&ObjectRef) -> bool) -> Vec<(Error, Location)> {
        let kind = self.kind.as_str();
        let mut out = Vec::new();
        for node in &self.nodes {
            for dup in &node.duplicates {
                out.push((
                    Error::Duplicate {
                        kind,
                        object: node.id.clone(),
                        first: file_line(node.location.as_ref()),
                    },
                    dup.clone(),
                ));
            }
        }
        for e in &self.edges {
            let target = &self.nodes[e.dependency];
            let at = e.location.clone().unwrap_or_default();
            if !target.defined {
                let err = if other_kind(&target.id) {
                    Error::CrossKind {
                        kind,
                        other_kind: self.kind.other().as_str(),
                        dependency: target.id.clone(),
                    }
                } else {
                    Error::Missing {
                        kind,
                        dependency: target.id.clone(),
                    }
                };
                out.push((err, at.clone()));
            }
            if let Some(expr) = &e.ready_expr {
                if let Err(err) = check_ready_expr(expr) {
                    out.push((err, e.ready_expr_location.clone().unwrap_or(at)));
                }
            }
        }
        for (c, path) in self.cycles.iter().zip(&self.cycle_paths) {
            let first = &self.nodes[c[0]];
            out.push((
                Error::CycleGroup {
                    kind,
                    members: c
                        .iter()
                        .map(|&u| {
                            let node = &self.nodes[u];
                            format!("{} ({})", node.id, file_line(node.location.as_ref()))
                        })
                        .collect(),
                    cycle: path.iter().map(|&u| self.nodes[u].id.clone()).collect(),
                },
                first.location.clone().unwrap_or_default(),
            ));
        }
        out
    }
}

/// Waves from a topological order (dependencies first) of an acyclic graph:
/// an object is ready once every dependency is.
fn waves_in_order(nodes: &mut [Node], adj: &Csr, order: &[usize]) {
    for &u in order {
        if !nodes[u].defined {
            continue;
        }
        let mut wave = 0;
        let mut ready = true;
        for &v in adj.get(u) {
            match nodes[v].wave {
                Some(w) => wave = wave.max(w + 1),
                None => {
                    ready = false;
                    break;
                }
            }
        }
        nodes[u].wave = ready.then_some(wave);
    }
}

/// Waves (Kahn) of any graph: an object is ready once every dependency is;
/// objects on cycles never are. `nodes[u].cycle` must be set.
fn waves_kahn(nodes: &mut [Node], adj: &Csr) {
    let n = nodes.len();
    let dependents = adj.reversed();
    let mut remaining: Vec<usize> = adj.iter().map(<[usize]>::len).collect();
    let eligible = |nodes: &[Node], u: usize| nodes[u].defined && nodes[u].cycle.is_none();
    let mut wave = vec![0usize; n];
    let mut queue: VecDeque<usize> = (0..n)
        .filter(|&u| remaining[u] == 0 && eligible(nodes, u))
        .collect();
    while let Some(u) = queue.pop_front() {
        nodes[u].wave = Some(wave[u]);
        for &d in dependents.get(u) {
            wave[d] = wave[d].max(wave[u] + 1);
            remaining[d] -= 1;
            if remaining[d] == 0 && eligible(nodes, d) {
                queue.push_back(d);
            }
        }
    }
}

fn file_line(l: Option<&Location>) -> String {
    match l {
        Some(l) => format!("{}:{}", l.file.as_deref().unwrap_or("<input>"), l.line),
        None => "<input>".into(),
    }
}

/// Arrays indexed by node for [`PathScratch::cycle_path`], reused from one
/// cycle to the next (each search only resets what it touched).
struct PathScratch {
    /// `member[u] == i + 1` when `u` is on cycle `i`.
    member: Vec<usize>,
    /// The node the search came from; `usize::MAX` when not reached.
    parent: Vec<usize>,
    /// The nodes whose `parent` is set.
    reached: Vec<usize>,
    queue: VecDeque<usize>,
}

impl PathScratch {
    fn new(n: usize) -> Self {
        PathScratch {
            member: vec![0; n],
            parent: vec![usize::MAX; n],
            reached: Vec::new(),
            queue: VecDeque::new(),
        }
    }

    /// The shortest cycle from `c[0]` back to itself inside the component `c`
    /// (number `i`), breadth-first, following `dependsOn` in order.
    fn cycle_path(&mut self, i: usize, c: &[usize], adj: &Csr) -> Vec<usize> {
        for &u in c {
            self.member[u] = i + 1;
        }
        let start = c[0];
        let path = self.search(i + 1, start, adj);
        for u in self.reached.drain(..) {
            self.parent[u] = usize::MAX;
        }
        self.queue.clear();
        path
    }

    fn search(&mut self, id: usize, start: usize, adj: &Csr) -> Vec<usize> {
        self.queue.push_back(start);
        while let Some(u) = self.queue.pop_front() {
            for &v in adj.get(u) {
                if self.member[v] != id {
                    continue;
                }
                if v == start {
                    let mut path = vec![u];
                    let mut w = u;
                    while w != start {
                        w = self.parent[w];
                        path.push(w);
                    }
                    path.reverse();
                    path.push(start);
                    return path;
                }
                if self.parent[v] == usize::MAX {
                    self.parent[v] = u;
                    self.reached.push(v);
                    self.queue.push_back(v);
                }
            }
        }
        vec![start, start]
    }
}

/// Every graph of a repository and what is wrong with them.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The Kustomization graph, then the HelmRelease graph (each only when
    /// the input has objects of that kind).
    pub graphs: Vec<Graph>,
    /// Findings, sorted by file, line and column.
    pub diagnostics: Vec<Diagnostic>,
}

impl Analysis {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// The graph of a kind.
    pub fn graph(&self, kind: Kind) -> Option<&Graph> {
        self.graphs.iter().find(|g| g.kind == kind)
    }
}

/// The severity each finding is reported with.
pub fn severity(code: &str) -> Severity {
    match code {
        "deps.missing" | "deps.duplicate" => Severity::Warning,
        _ => Severity::Error,
    }
}

/// The Kustomizations or HelmReleases of a loaded repository, in file order,
/// with where they and their `dependsOn` entries are written.
///
/// An object without `metadata.namespace` takes the `namespace` of the
/// nearest `kustomization.yaml` in its folder or a parent folder (kustomize
/// sets it when it builds that folder); without one it stays empty.
pub fn objects_of(set: &ManifestSet, kind: Kind) -> (Vec<DependentObject>, Vec<Located>) {
    let mut namespaces: HashMap<&str, &str> = HashMap::new();
    for k in &set.kustomize_configs {
        if let (Some(file), Some(ns)) = (
            k.location.file.as_deref(),
            k.value.get("namespace").and_then(Value::as_str),
        ) {
            let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
            namespaces.insert(dir, ns);
        }
    }
    let inherited = |file: Option<&str>| -> Option<&str> {
        let mut dir = file?.rsplit_once('/').map_or("", |(d, _)| d);
        loop {
            if let Some(ns) = namespaces.get(dir) {
                return Some(ns);
            }
            if dir.is_empty() {
                return None;
            }
            dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
        }
    };
    let mut objects = Vec::new();
    let mut located = Vec::new();
    for m in &set.objects {
        if m.role != Role::Object || Kind::of(m.group(), m.kind()) != Some(kind) {
            continue;
        }
        let namespace = m
            .namespace()
            .or_else(|| inherited(m.location.file.as_deref()))
            .unwrap_or("");
        let mut obj = DependentObject::new(namespace, m.name());
        let mut loc = Located {
            object: Some(m.location.clone()),
            ..Located::default()
        };
        let entries = m.value.pointer("/spec/dependsOn").and_then(Value::as_array);
        for (i, entry) in entries.into_iter().flatten().enumerate() {
            let Some(name) = entry.get("name").and_then(Value::as_str) else {
                continue;
            };
            let ready_expr = entry.get("readyExpr").and_then(Value::as_str);
            obj.depends_on.push(DependencyRef {
                name: name.to_string(),
                namespace: entry
                    .get("namespace")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                ready_expr: ready_expr.map(String::from),
            });
            loc.entries.push(m.locate(&format!("spec.dependsOn[{i}]")));
            loc.ready_exprs
                .push(ready_expr.map(|_| m.locate(&format!("spec.dependsOn[{i}].readyExpr"))));
        }
        objects.push(obj);
        located.push(loc);
    }
    (objects, located)
}

/// Builds both graphs of a loaded repository and reports what is wrong.
pub fn analyze(set: &ManifestSet) -> Analysis {
    let mut graphs = Vec::new();
    for kind in Kind::ALL {
        let (objects, located) = objects_of(set, kind);
        if !objects.is_empty() {
            graphs.push(Graph::build_located(kind, &objects, &located));
        }
    }
    let defined: HashMap<Kind, FxHashSet<&ObjectRef>> = graphs
        .iter()
        .map(|g| {
            let set = g
                .nodes
                .iter()
                .filter(|n| n.defined)
                .map(|n| &n.id)
                .collect();
            (g.kind, set)
        })
        .collect();
    let mut diagnostics = Vec::new();
    for g in &graphs {
        let other = defined.get(&g.kind.other());
        let exists = |r: &ObjectRef| other.is_some_and(|s| s.contains(r));
        for (err, at) in g.problems(&exists) {
            diagnostics.push(
                Diagnostic::new(err.code(), severity(err.code()), err.to_string())
                    .at(at)
                    .with_hint(err.hint()),
            );
        }
    }
    diagnostics.sort_by(|a, b| {
        (&a.location.file, a.location.line, a.location.column).cmp(&(
            &b.location.file,
            b.location.line,
            b.location.column,
        ))
    });
    Analysis {
        graphs,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random objects in three namespaces, some defined twice, depending on
    /// earlier objects (or on objects defined nowhere) when `acyclic`, on any
    /// object otherwise.
    fn random_objects(n: usize, seed: u64, acyclic: bool) -> Vec<DependentObject> {
        let mut state = seed;
        let mut next = move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            (z ^ (z >> 31)) as usize
        };
        let namespaces = ["a", "b", ""];
        (0..n)
            .map(|i| {
                let id = if next() % 8 == 0 { next() % (i + 1) } else { i };
                let mut o = DependentObject::new(namespaces[id % 3], format!("o{id}"));
                for _ in 0..next() % 4 {
                    let dep = if acyclic {
                        next() % i.max(1)
                    } else {
                        next() % (n + 2)
                    };
                    if acyclic && dep >= id.min(i) {
                        continue;
                    }
                    let ns = if next() % 3 == 0 {
                        namespaces[dep % 3]
                    } else {
                        ""
                    };
                    o = o.depends_on(ns, &format!("o{dep}"));
                }
                o
            })
            .collect()
    }

    #[test]
    fn waves_from_the_order_are_those_of_kahn() {
        let mut acyclic = 0;
        for seed in 0..300 {
            let objects = random_objects(1 + seed as usize % 60, seed, seed % 3 != 0);
            let g = Graph::build(Kind::Kustomization, &objects);
            let Interned { pairs, .. } = intern_all(&objects);
            let mut adj = Csr::from_pairs(g.nodes.len(), &pairs);
            adj.dedup();
            let mut nodes = g.nodes.clone();
            for node in &mut nodes {
                node.wave = None;
            }
            waves_kahn(&mut nodes, &adj);
            assert_eq!(nodes, g.nodes, "seed {seed}");
            if g.order.is_ok() {
                acyclic += 1;
                assert!(g.cycles.is_empty());
            } else {
                assert!(!g.cycles.is_empty());
            }
        }
        assert!((100..300).contains(&acyclic), "{acyclic}");
    }
}

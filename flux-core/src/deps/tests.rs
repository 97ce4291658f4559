//! Unit tests of the dependency module: bad input, the analysis, the exports.

use super::*;
use crate::manifest::load_str;

fn chain(n: usize) -> Vec<DependentObject> {
    (0..n)
        .map(|i| {
            let o = DependentObject::new("flux-system", format!("k{i}"));
            if i == 0 {
                o
            } else {
                o.depends_on("", &format!("k{}", i - 1))
            }
        })
        .collect()
}

fn names(g: &Graph, nodes: &[usize]) -> Vec<String> {
    nodes.iter().map(|&u| g.nodes[u].id.to_string()).collect()
}

#[test]
fn a_chain_of_100000_objects_sorts_and_has_100000_waves() {
    let mut objects = chain(100_000);
    objects.reverse(); // the deepest search: the first object waits for all others
    let order = sort(&objects).unwrap();
    assert_eq!(order.len(), 100_000);
    assert_eq!(order[0].to_string(), "flux-system/k0");
    assert_eq!(order[99_999].to_string(), "flux-system/k99999");
    let g = Graph::build(Kind::Kustomization, &objects);
    assert_eq!(g.waves.len(), 100_000);
    assert_eq!(g.critical_path_length(), 100_000);
    assert_eq!(g.nodes[g.critical_path[0]].id.name, "k0");
    assert!(g.cycles.is_empty());
}

#[test]
fn a_ring_of_100000_objects_is_one_cycle() {
    let mut objects = chain(100_000);
    objects[0] = objects[0].clone().depends_on("", "k99999");
    let err = sort(&objects).unwrap_err();
    let Error::Cycle { path } = &err else {
        panic!("{err}")
    };
    assert_eq!(path.len(), 100_001);
    assert_eq!(path[0], path[100_000]);
    let g = Graph::build(Kind::Kustomization, &objects);
    assert_eq!(g.cycles.len(), 1);
    assert_eq!(g.cycles[0].len(), 100_000);
    assert_eq!(g.cycle_paths[0].len(), 100_001);
    assert!(g.waves.is_empty());
}

#[test]
fn an_object_that_depends_on_itself() {
    let objects = vec![
        DependentObject::new("apps", "base"),
        DependentObject::new("apps", "x")
            .depends_on("", "base")
            .depends_on("apps", "x"),
        DependentObject::new("apps", "after").depends_on("", "x"),
    ];
    let err = sort(&objects).unwrap_err();
    assert_eq!(
        err.to_string(),
        "circular dependency detected: apps/x -> apps/x"
    );
    let g = Graph::build(Kind::Kustomization, &objects);
    assert_eq!(g.cycles, vec![vec![1]]);
    assert_eq!(names(&g, &g.cycle_paths[0]), ["apps/x", "apps/x"]);
    assert_eq!(names(&g, &g.waves[0]), ["apps/base"]);
    assert_eq!(g.waves.len(), 1);
    assert!(g.nodes[2].blocked);
    assert_eq!(g.nodes[1].wave, None);
    let problems = g.problems(&|_| false);
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].0.code(), "deps.cycle");
}

#[test]
fn duplicates_merge_their_dependencies_as_upstream_does() {
    let objects = vec![
        DependentObject::new("ns", "app").depends_on("", "a"),
        DependentObject::new("ns", "b"),
        DependentObject::new("ns", "app").depends_on("", "b"),
        DependentObject::new("ns", "a"),
    ];
    let order: Vec<String> = sort(&objects)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(order, ["ns/a", "ns/b", "ns/app"]);
    let g = Graph::build(Kind::HelmRelease, &objects);
    assert_eq!(g.nodes.iter().filter(|n| n.defined).count(), 3);
    assert_eq!(g.nodes[0].duplicates.len(), 1);
    assert_eq!(names(&g, &g.waves[1]), ["ns/app"]);
    let codes: Vec<&str> = g.problems(&|_| false).iter().map(|p| p.0.code()).collect();
    assert_eq!(codes, ["deps.duplicate"]);
}

#[test]
fn waves_and_the_critical_path_of_a_diamond() {
    let objects = vec![
        DependentObject::new("f", "apps")
            .depends_on("", "configs")
            .depends_on("", "monitoring"),
        DependentObject::new("f", "monitoring").depends_on("", "crds"),
        DependentObject::new("f", "configs").depends_on("", "controllers"),
        DependentObject::new("f", "controllers").depends_on("", "crds"),
        DependentObject::new("f", "crds"),
        DependentObject::new("f", "tenants"),
    ];
    let g = Graph::build(Kind::Kustomization, &objects);
    let waves: Vec<Vec<String>> = g.waves.iter().map(|w| names(&g, w)).collect();
    assert_eq!(
        waves,
        vec![
            vec!["f/crds", "f/tenants"],
            vec!["f/monitoring", "f/controllers"],
            vec!["f/configs"],
            vec!["f/apps"],
        ]
    );
    assert_eq!(
        names(&g, &g.critical_path),
        ["f/crds", "f/controllers", "f/configs", "f/apps"]
    );
    assert_eq!(g.critical_path_length(), 4);
}

#[test]
fn a_cycle_reports_exactly_its_members() {
    // a -> b -> c -> b, d -> c: the cycle is b and c; a and d wait forever.
    let objects = vec![
        DependentObject::new("n", "a").depends_on("", "b"),
        DependentObject::new("n", "b").depends_on("", "c"),
        DependentObject::new("n", "c").depends_on("", "b"),
        DependentObject::new("n", "d").depends_on("", "c"),
        DependentObject::new("n", "e"),
    ];
    let g = Graph::build(Kind::Kustomization, &objects);
    assert_eq!(g.cycles.len(), 1);
    assert_eq!(names(&g, &g.cycles[0]), ["n/b", "n/c"]);
    assert_eq!(names(&g, &g.cycle_paths[0]), ["n/b", "n/c", "n/b"]);
    assert!(g.nodes[0].blocked && g.nodes[3].blocked && !g.nodes[4].blocked);
    assert_eq!(names(&g, &g.waves[0]), ["n/e"]);
    // Upstream prints the search path, from a.
    assert_eq!(
        g.order.as_ref().unwrap_err().to_string(),
        "circular dependency detected: n/a -> n/b -> n/c -> n/b"
    );
}

const REPO: &str = "\
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infra
  namespace: flux-system
spec:
  dependsOn:
    - name: apps
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  dependsOn:
    - name: infra
    - name: podinfo
      namespace: podinfo
    - name: nowhere
    - name: infra
      readyExpr: dep.status.ready
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: podinfo
spec:
  dependsOn:
    - name: redis
      readyExpr: \"dep.status.ready ==\"
  interval: 10m
  chart:
    spec:
      chart: podinfo
      sourceRef:
        kind: HelmRepository
        name: podinfo
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: redis
  namespace: podinfo
spec:
  interval: 10m
  chart:
    spec:
      chart: redis
      sourceRef:
        kind: HelmRepository
        name: podinfo
";

#[test]
fn analyze_reports_every_problem_where_it_is() {
    let set = load_str(REPO, Some("repo.yaml"));
    let a = analyze(&set);
    let found: Vec<(String, u32, Severity)> = a
        .diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.location.line, d.severity))
        .collect();
    use crate::Severity;
    assert_eq!(
        found,
        vec![
            ("deps.cycle".to_string(), 1, Severity::Error),
            ("deps.cross_kind".to_string(), 23, Severity::Error),
            ("deps.missing".to_string(), 25, Severity::Warning),
            ("deps.ready_expr_type".to_string(), 27, Severity::Error),
            ("deps.ready_expr_syntax".to_string(), 42, Severity::Error),
        ]
    );
    let cycle = &a.diagnostics[0];
    assert!(
        cycle
            .message
            .contains("flux-system/infra (repo.yaml:1), flux-system/apps (repo.yaml:15)"),
        "{}",
        cycle.message
    );
    assert!(cycle.hint.is_some());
    assert!(a.diagnostics[1].message.contains("it is a HelmRelease"));
    assert!(a.has_errors());
    let hr = a.graph(Kind::HelmRelease).unwrap();
    assert_eq!(
        names(hr, &hr.critical_path),
        ["podinfo/redis", "podinfo/podinfo"]
    );
    assert_eq!(
        hr.edges[0].ready_expr.as_deref(),
        Some("dep.status.ready ==")
    );
}

#[test]
fn namespaces_come_from_the_nearest_kustomization_yaml() {
    let dir = std::env::temp_dir().join(format!("fluxcd-core-deps-ns-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("apps/db")).unwrap();
    std::fs::write(
        dir.join("apps/kustomization.yaml"),
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: apps\nresources:\n  - db/ks.yaml\n",
    )
    .unwrap();
    let ks = |name: &str, extra: &str| {
        format!("apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: {name}\n{extra}spec:\n  interval: 1h\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n")
    };
    std::fs::write(
        dir.join("apps/db/ks.yaml"),
        format!(
            "{}---\n{}",
            ks("db", ""),
            ks("app", "  namespace: other\n").replace(
                "spec:\n",
                "spec:\n  dependsOn:\n    - name: db\n      namespace: apps\n"
            )
        ),
    )
    .unwrap();
    let set = crate::manifest::load_path(&dir, &Default::default()).unwrap();
    let a = analyze(&set);
    std::fs::remove_dir_all(&dir).unwrap();
    let g = a.graph(Kind::Kustomization).unwrap();
    assert_eq!(names(g, &g.critical_path), ["apps/db", "other/app"]);
    assert!(a.diagnostics.is_empty(), "{:?}", a.diagnostics);
}

#[test]
fn exports() {
    let set = load_str(REPO, Some("repo.yaml"));
    let a = analyze(&set);
    let dot = export::to_dot(&a);
    assert!(dot.starts_with("digraph dependencies {"));
    assert!(dot.contains("ks0 -> ks1;"), "{dot}");
    assert!(dot.contains("label=\"flux-system/nowhere\", style=dashed"));
    let mermaid = export::to_mermaid(&a);
    assert!(
        mermaid.contains("    hr1 -->|readyExpr| hr0\n"),
        "{mermaid}"
    );
    assert!(mermaid.contains("ks0[\"flux-system/infra\"]:::cycle"));
    let json = export::to_json(&a);
    assert_eq!(json["formatVersion"], 1);
    let ks = &json["graphs"][0];
    assert_eq!(ks["kind"], "Kustomization");
    assert_eq!(
        ks["cycles"][0]["members"],
        serde_json::json!(["flux-system/infra", "flux-system/apps"])
    );
    assert_eq!(ks["order"], serde_json::Value::Null);
    assert!(ks["orderError"].as_str().unwrap().starts_with(
        "circular dependency detected: flux-system/infra -> flux-system/apps -> flux-system/infra"
    ));
    assert_eq!(ks["edges"][1]["line"], 22);
    assert_eq!(json["diagnostics"].as_array().unwrap().len(), 5);
    let text = export::to_text(&a);
    assert!(
        text.contains("cycle: flux-system/infra -> flux-system/apps -> flux-system/infra"),
        "{text}"
    );
}

#[test]
fn ready_expr_limits_do_not_overflow_the_stack() {
    let deep = format!("{}dep.x == 1{}", "(".repeat(100_000), ")".repeat(100_000));
    let err = check_ready_expr(&deep).unwrap_err();
    assert!(err.to_string().contains("exceeds limit"), "{err}");
    let deep = format!("{}dep.x == 1{}", "[".repeat(40_000), "]".repeat(40_000));
    let err = check_ready_expr(&deep).unwrap_err();
    assert!(
        err.to_string()
            .ends_with("expression recursion limit exceeded: 250"),
        "{err}"
    );
    let long = format!("dep.x == {}", vec!["1"; 20_000].join(" + "));
    let err = check_ready_expr(&long).unwrap_err();
    assert!(
        err.to_string().contains("more than 5000 operators"),
        "{err}"
    );
    let long = format!("dep.x == {}", vec!["1"; 1_000].join(" + "));
    let err = check_ready_expr(&long).unwrap_err();
    assert!(
        err.to_string().ends_with("max recursion depth exceeded"),
        "{err}"
    );
    let wide = vec!["dep.x == 1"; 400].join(" && ");
    assert_eq!(check_ready_expr(&wide), Ok(()));
}

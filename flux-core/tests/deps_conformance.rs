//! Conformance of `fluxcd_core::deps` with the Go code Flux runs: the vectors in
//! `conformance/deps` (see its README), computed by `conformance/oracle-deps`
//! with fluxcd/pkg runtime's `dependency.Sort` and `cel.NewExpression`.

mod common;

use std::path::PathBuf;

use fluxcd_core::deps::{self, check_ready_expr, DependentObject, Graph, Kind};
use serde::Deserialize;

#[derive(Deserialize)]
struct File<C> {
    runtime_version: String,
    cases: Vec<C>,
}

#[derive(Deserialize)]
struct SortCase {
    name: String,
    objects: Vec<DependentObject>,
    expect: SortExpect,
}

#[derive(Deserialize)]
struct SortExpect {
    order: Option<Vec<String>>,
    error: Option<String>,
}

#[derive(Deserialize)]
struct ExprCase {
    name: String,
    expr: String,
    expect: ExprExpect,
}

#[derive(Deserialize)]
struct ExprExpect {
    valid: bool,
    error: Option<String>,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../conformance/deps")
}

fn load<C: for<'de> Deserialize<'de>>(name: &str) -> File<C> {
    let path = dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file: File<C> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        file.runtime_version,
        deps::RUNTIME_VERSION,
        "{name}: oracle version"
    );
    file
}

/// Sort answers exactly as upstream; the graph's own cycle search agrees.
fn check_sort_file(name: &str, min_cases: usize) {
    let file: File<SortCase> = load(name);
    assert!(
        file.cases.len() >= min_cases,
        "{name}: only {} cases",
        file.cases.len()
    );
    let (mut orders, mut errors) = (0, 0);
    for c in &file.cases {
        let got = deps::sort(&c.objects);
        let got_copy = got.clone();
        let graph = Graph::build(Kind::Kustomization, &c.objects);
        assert_eq!(
            graph.order, got_copy,
            "{name}: {}: the graph's order",
            c.name
        );
        match (&c.expect.order, &c.expect.error, got) {
            (Some(want), None, Ok(order)) => {
                let order: Vec<String> = order.iter().map(ToString::to_string).collect();
                assert_eq!(&order, want, "{name}: {}", c.name);
                assert!(
                    graph.cycles.is_empty(),
                    "{name}: {}: cycles in a sortable graph",
                    c.name
                );
                // Every dependency sits in an earlier wave than its dependent.
                for e in &graph.edges {
                    if let (Some(a), Some(b)) = (
                        graph.nodes[e.dependency].wave,
                        graph.nodes[e.dependent].wave,
                    ) {
                        assert!(a < b, "{name}: {}: wave order", c.name);
                    }
                }
                orders += 1;
            }
            (None, Some(want), Err(err)) => {
                assert_eq!(&err.to_string(), want, "{name}: {}", c.name);
                assert_eq!(err.code(), "deps.cycle");
                // The part of the search path from the object met twice is a
                // cycle, and the graph has it.
                let deps::Error::Cycle { path } = err else {
                    panic!("{name}: {}: not a cycle error", c.name)
                };
                let last = path.last().unwrap();
                let start = path.iter().position(|p| p == last).unwrap();
                for p in &path[start..] {
                    let node = graph.nodes.iter().find(|n| &n.id == p).unwrap();
                    assert!(
                        node.cycle.is_some(),
                        "{name}: {}: {p} not on a cycle",
                        c.name
                    );
                    assert_eq!(node.wave, None);
                }
                errors += 1;
            }
            (_, _, got) => panic!(
                "{name}: {}: expected {:?} / {:?}, got {got:?}",
                c.name, c.expect.order, c.expect.error
            ),
        }
    }
    eprintln!(
        "{name}: {} cases pass ({orders} orders, {errors} cycle errors)",
        file.cases.len()
    );
    common::report(&format!("deps/{name}"), orders + errors, 0, 0);
}

#[test]
fn upstream_sort_test_cases() {
    check_sort_file("upstream-sort.json", 5);
}

#[test]
fn generated_graphs() {
    check_sort_file("generated.json", 150);
}

/// readyExpr cases whose message differs from cel-go's (validity and class
/// still agree): after a syntax error, ANTLR's Go runtime narrows the set of
/// expected tokens (`expecting <EOF>`, `expecting ':'`) where the Rust runtime
/// lists every token that could follow (`expecting {<EOF>, '==', ...}`).
const KNOWN_MESSAGE_DIFFERENCES: &[&str] = &["expr-126", "expr-127"];

#[test]
fn ready_expr_checks() {
    let file: File<ExprCase> = load("ready-expr.json");
    assert!(file.cases.len() >= 100);
    let (mut valid, mut syntax, mut types, mut differ) = (0, 0, 0, Vec::new());
    let mut failures = Vec::new();
    for c in &file.cases {
        assert_eq!(c.expect.valid, c.expect.error.is_none(), "{}", c.name);
        let got = check_ready_expr(&c.expr);
        let label = format!(
            "{}: {:?}",
            c.name,
            c.expr.chars().take(80).collect::<String>()
        );
        match (&c.expect.error, got) {
            (None, Ok(())) => valid += 1,
            (Some(want), Err(err)) => {
                let class = if want.starts_with("failed to parse the CEL expression") {
                    "deps.ready_expr_syntax"
                } else if want.starts_with("CEL expression output type mismatch") {
                    "deps.ready_expr_type"
                } else {
                    panic!("{label}: unexpected oracle error {want}")
                };
                if err.code() != class {
                    failures.push(format!("{label}: {err}\n  want: {want}"));
                    continue;
                }
                if class == "deps.ready_expr_type" {
                    types += 1;
                } else {
                    syntax += 1;
                }
                if &err.to_string() != want {
                    differ.push(c.name.clone());
                    if !KNOWN_MESSAGE_DIFFERENCES.contains(&c.name.as_str()) {
                        eprintln!("{label}\n  ours: {err}\n  go:   {want}");
                    }
                }
            }
            (want, got) => failures.push(format!("{label}: expected {want:?}, got {got:?}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} readyExpr cases disagree with cel-go:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let unexpected: Vec<&String> = differ
        .iter()
        .filter(|n| !KNOWN_MESSAGE_DIFFERENCES.contains(&n.as_str()))
        .collect();
    let fixed: Vec<&&str> = KNOWN_MESSAGE_DIFFERENCES
        .iter()
        .filter(|n| !differ.iter().any(|d| d == *n))
        .collect();
    eprintln!(
        "ready-expr.json: {} cases: {valid} valid, {syntax} do not compile, {types} not bool; {} messages differ (known)",
        file.cases.len(),
        differ.len()
    );
    common::report(
        "deps/ready-expr.json",
        valid + syntax + types - differ.len(),
        differ.len(),
        0,
    );
    assert!(
        unexpected.is_empty(),
        "messages differ from cel-go: {unexpected:?}"
    );
    assert!(
        fixed.is_empty(),
        "no longer differ, remove from the list: {fixed:?}"
    );
}

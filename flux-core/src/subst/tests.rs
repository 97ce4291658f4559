//! Unit tests of the public API. Conformance with Flux is checked against the
//! oracle's vectors in `tests/subst_conformance.rs`.

use std::collections::{BTreeMap, HashMap};

use super::*;

fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

const STRICT: Options = Options::strict(true);
const LENIENT: Options = Options::strict(false);

#[test]
fn lookups() {
    let map = vars(&[("a", "1")]);
    let tree: BTreeMap<String, String> = map.clone().into_iter().collect();
    let f = |name: &str| (name == "a").then(|| "1".to_string());
    assert_eq!(envsubst("${a}", &map, STRICT).unwrap(), "1");
    assert_eq!(envsubst("${a}", &tree, STRICT).unwrap(), "1");
    assert_eq!(envsubst("${a}", &f, STRICT).unwrap(), "1");
    let dynamic: &dyn Lookup = &map;
    assert_eq!(envsubst("${a}", dynamic, STRICT).unwrap(), "1");
}

#[test]
fn strict_and_lenient() {
    let v = vars(&[("empty", "")]);
    assert_eq!(envsubst("[${missing}]", &v, LENIENT).unwrap(), "[]");
    assert_eq!(envsubst("[${empty}]", &v, STRICT).unwrap(), "[]");
    let e = envsubst("x ${missing^^}", &v, STRICT).unwrap_err();
    assert_eq!(e.code(), "subst.undefined");
    assert_eq!(e.offset(), 2);
    // Arguments are evaluated eagerly.
    let v = vars(&[("a", "set")]);
    let e = envsubst("${a:=${b}}", &v, STRICT).unwrap_err();
    assert_eq!(e.offset(), 5);
    assert!(e.to_string().contains("\"b\""));
}

#[test]
fn parse_errors_carry_positions() {
    let cases = [
        (
            "${var-default}",
            "subst.missing_brace",
            5,
            "missing closing brace",
        ),
        (
            "a\n${}",
            "subst.bad_name",
            4,
            "unable to parse variable name",
        ),
        (
            "${v:=x",
            "subst.bad_function",
            6,
            "unable to parse substitution within function",
        ),
        ("${v^^^}", "subst.bad_substitution", 5, "bad substitution"),
        ("${v:é}", "subst.bad_substitution", 4, "bad substitution"),
    ];
    for (text, code, offset, msg) in cases {
        let e = parse(text).unwrap_err();
        assert_eq!(e.code(), code, "{text}");
        assert_eq!(e.offset(), offset, "{text}");
        assert!(e.to_string().starts_with(msg), "{text}: {e}");
        assert_eq!(e.upstream_message(), msg);
    }
    let e = parse("é\n  ${v").unwrap_err();
    assert_eq!((e.line(), e.column()), (2, 6));
    let d = e.to_diagnostic(Some("apps.yaml"), 1, "spec.x");
    assert_eq!(d.code, "subst.missing_brace");
    assert_eq!(d.location.line, 2);
}

#[test]
fn negative_length_is_a_clean_error() {
    let v = vars(&[("v", "hello"), ("l", "-1")]);
    let e = envsubst("${v:1:${l}}", &v, LENIENT).unwrap_err();
    assert_eq!(e.code(), "subst.negative_length");
    assert!(e.to_string().contains("panics"));
    // An unused argument is still evaluated, and still fails.
    let e = envsubst("${v:=${v:1:${l}}}", &v, LENIENT).unwrap_err();
    assert_eq!(e.code(), "subst.negative_length");
}

#[test]
fn byte_results() {
    let v = vars(&[("v", "héllo")]);
    assert_eq!(envsubst("${#v}", &v, STRICT).unwrap(), "6");
    assert_eq!(envsubst_bytes("${v:2}", &v, STRICT).unwrap(), b"\xA9llo");
    let e = envsubst("ok ${v}\n${v:2}", &v, STRICT).unwrap_err();
    assert_eq!(e.code(), "subst.invalid_utf8");
    assert_eq!((e.line(), e.column()), (2, 1));
}

#[test]
fn nul_ends_the_text() {
    let v = vars(&[]);
    assert_eq!(envsubst("ab\0${missing}", &v, STRICT).unwrap(), "ab");
    assert_eq!(envsubst("\0${v-x}", &v, STRICT).unwrap(), "");
}

#[test]
fn placeholder_listing() {
    let text = "a ${x} ${y:=${z}-${#w}} $${not} ${q/a/${r}}";
    let p = placeholders(text).unwrap();
    let names: Vec<&str> = p.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["x", "y", "z", "w", "q", "r"]);
    assert_eq!(&text[p[1].span.clone()], "${y:=${z}-${#w}}");
    assert_eq!(&text[p[1].name_span.clone()], "y");
    assert_eq!(p[1].op, ":=");
    assert!(p[1].has_default);
    assert_eq!((p[2].parent, p[2].depth), (Some(1), 1));
    assert_eq!(p[3].operator, Operator::Length);
    assert!(!p[3].has_default);
    assert_eq!(p[4].operator, Operator::ReplaceFirst);
    assert_eq!(p[5].parent, Some(4));
    assert_eq!(p[0].parent, None);
}

#[test]
fn template_structure() {
    let t = parse(r"x $$ ${s/\/a/b\\}").unwrap();
    assert_eq!(t.root().len(), 2);
    let Node::Text(text) = t.node(t.root()[0]) else {
        panic!()
    };
    assert_eq!((text.value.as_str(), text.span.clone()), ("x $ ", 0..5));
    let Node::Expr(e) = t.node(t.root()[1]) else {
        panic!()
    };
    let args: Vec<_> = e
        .args
        .iter()
        .map(|&a| match t.node(a) {
            Node::Text(x) => x.value.clone(),
            Node::Expr(_) => panic!(),
        })
        .collect();
    assert_eq!(args, ["/a", "b\\"]);
    assert!(!t.is_literal());
    assert!(parse("plain $$").unwrap().is_literal());
}

const TEN_MB: usize = 10 * 1024 * 1024;

#[test]
fn ten_megabyte_lines_are_linear() {
    // Sized to hang if any step were quadratic (no timing assertion: a
    // quadratic evaluator would not finish within the test harness's patience).
    let v = vars(&[("v", "x")]);
    let text = "a".repeat(TEN_MB);
    let out = envsubst(&text, &v, STRICT).unwrap();
    assert_eq!(out.len(), TEN_MB);
    let text = "$$".repeat(TEN_MB / 2);
    let out = envsubst(&text, &v, STRICT).unwrap();
    assert_eq!(out.len(), TEN_MB / 4 * 2);
    let text = "${v}".repeat(TEN_MB / 4);
    let out = envsubst(&text, &v, STRICT).unwrap();
    assert_eq!(out.len(), TEN_MB / 4);
    let text = format!("${{e:={}}}", "d".repeat(TEN_MB));
    let out = envsubst(&text, &v, STRICT).unwrap();
    assert_eq!(out.len(), TEN_MB);
    let text = format!("{}${{v", "${v}".repeat(TEN_MB / 4));
    let e = envsubst(&text, &v, STRICT).unwrap_err();
    assert_eq!((e.code(), e.offset()), ("subst.missing_brace", text.len()));
}

#[test]
fn deep_nesting_uses_no_recursion() {
    // Run on a small stack: any recursion proportional to depth would overflow.
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let v = vars(&[("z", "0")]);
            // Without the nesting limit (tested in tests/limits.rs).
            const STRICT: Options = Options {
                max_depth: Some(usize::MAX),
                ..Options::strict(true)
            };
            for depth in [10_000, 200_000] {
                let text = format!("{}x{}", "${a:=".repeat(depth), "}".repeat(depth));
                let out = envsubst(&text, &v, STRICT).unwrap();
                assert_eq!(out, "x");
                let p = placeholders(&text).unwrap();
                assert_eq!((p.len(), p[depth - 1].depth), (depth, depth - 1));
                let text = format!("{}x{}", "${a:=x".repeat(depth), "}".repeat(depth));
                let out = envsubst(&text, &v, STRICT).unwrap();
                assert_eq!(out.len(), depth + 1);
                let text = format!("{}0{}", "${z:".repeat(depth), "}".repeat(depth));
                let out = envsubst(&text, &v, STRICT).unwrap();
                assert_eq!(out, "0");
                let text = "${a:=".repeat(depth);
                let e = parse(&text).unwrap_err();
                assert_eq!(e.code(), "subst.bad_function");
                let text = "${".repeat(depth);
                assert_eq!(parse(&text).unwrap_err().code(), "subst.bad_name");
                let text = format!("{}${{b}}{}", "${a:=".repeat(depth), "}".repeat(depth));
                let e = envsubst(&text, &v, STRICT).unwrap_err();
                assert_eq!((e.code(), e.offset()), ("subst.undefined", 5 * depth));
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn control_characters_pass_through() {
    let v = vars(&[("v", "\u{1}\t")]);
    assert_eq!(
        envsubst("\u{7f}${v}\r\n${e:=\u{8}}", &v, LENIENT).unwrap(),
        "\u{7f}\u{1}\t\r\n\u{8}"
    );
}

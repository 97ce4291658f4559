//! One test per resource limit of docs/limits.md: each input exceeds the
//! limit (default or lowered through the documented option) and must get the
//! documented error code, promptly, without panic.

use std::collections::HashMap;
use std::path::PathBuf;

use fluxcd_core::manifest::{load_path, load_str};
use fluxcd_core::plan::{plan, PlanOptions};
use fluxcd_core::postbuild::ObjectStore;
use fluxcd_core::subst::{self, Options};
use fluxcd_core::values::{self, strvals, Val, ValuesReference};
use fluxcd_core::yaml::{parse_documents, LoadOptions};

fn codes(diags: &[fluxcd_core::Diagnostic]) -> Vec<&str> {
    diags.iter().map(|d| d.code.as_str()).collect()
}

/// A temp folder removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let p =
            std::env::temp_dir().join(format!("fluxcd-core-limits-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn yaml_alias_expansion_is_capped() {
    // Billion laughs: 10 levels of 10 aliases each.
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let prev = format!("*a{}", i - 1);
        let row = [prev.as_str(); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{row}]\n"));
    }
    let (_, diags) = parse_documents(&text, &LoadOptions::default());
    let limit: Vec<_> = diags.iter().filter(|d| d.code == "yaml.limit").collect();
    assert_eq!(limit.len(), 1, "{diags:?}");
    assert!(limit[0].message.contains("alias"), "{}", limit[0].message);
    // The option lowers it: 3 aliases allowed, 4 used.
    let opts = LoadOptions {
        max_aliases: 3,
        ..LoadOptions::default()
    };
    let (_, diags) = parse_documents("a: &a 1\nb: [*a, *a, *a, *a]\n", &opts);
    assert_eq!(codes(&diags), ["yaml.limit"], "{diags:?}");
}

#[test]
fn yaml_nesting_depth_is_capped() {
    let deep = format!("{}1{}", "[".repeat(129), "]".repeat(129));
    let (_, diags) = parse_documents(&deep, &LoadOptions::default());
    assert_eq!(codes(&diags), ["yaml.limit"], "{diags:?}");
    assert!(diags[0].message.contains("128"), "{}", diags[0].message);
    let ok = format!("{}1{}", "[".repeat(100), "]".repeat(100));
    assert!(parse_documents(&ok, &LoadOptions::default()).1.is_empty());
}

#[test]
fn yaml_document_size_is_capped() {
    let opts = LoadOptions {
        max_bytes: 64,
        ..LoadOptions::default()
    };
    let text = format!("a: {}\n", "x".repeat(100));
    let (docs, diags) = parse_documents(&text, &opts);
    assert!(docs.is_empty());
    assert_eq!(codes(&diags), ["yaml.file_too_large"]);
    assert!(
        diags[0].message.contains("limit of 64 bytes"),
        "{}",
        diags[0].message
    );
    // The default is 32 MiB.
    assert_eq!(LoadOptions::default().max_bytes, 32 * 1024 * 1024);
}

#[test]
fn documents_per_file_are_capped() {
    let text = "a: 1\n---\n".repeat(10_001);
    let (docs, diags) = parse_documents(&text, &LoadOptions::default());
    assert_eq!(docs.len(), 10_000);
    assert_eq!(codes(&diags), ["yaml.too_many_documents"], "{diags:?}");
    assert!(
        diags[0].message.contains("limit of 10000"),
        "{}",
        diags[0].message
    );
    // The `---` of the first document dropped (document 10,000) is on line 20,000.
    assert_eq!(diags[0].location.line, 20_000);
    let opts = LoadOptions {
        max_documents: 2,
        ..LoadOptions::default()
    };
    let (docs, diags) = parse_documents("a: 1\n---\nb: 2\n---\nc: 3\n", &opts);
    assert_eq!(docs.len(), 2);
    assert_eq!(codes(&diags), ["yaml.too_many_documents"]);
}

#[test]
fn files_per_repo_are_capped() {
    let dir = TempDir::new("files");
    for i in 0..5 {
        std::fs::write(
            dir.0.join(format!("cm{i}.yaml")),
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\n"),
        )
        .unwrap();
    }
    let opts = LoadOptions {
        max_files: 3,
        ..LoadOptions::default()
    };
    let set = load_path(&dir.0, &opts).unwrap();
    assert_eq!(set.objects.len(), 3);
    assert_eq!(codes(&set.diagnostics), ["manifest.too_many_files"]);
    assert!(
        set.diagnostics[0]
            .message
            .contains("files from cm3.yaml on"),
        "{}",
        set.diagnostics[0].message
    );
    // The whole-repo plan takes the same option.
    let p = plan(
        &dir.0,
        &PlanOptions {
            load: opts,
            ..PlanOptions::default()
        },
    )
    .unwrap();
    assert!(codes(&p.diagnostics).contains(&"manifest.too_many_files"));
    assert_eq!(p.objects.len(), 3);
    assert_eq!(LoadOptions::default().max_files, 50_000);
}

#[test]
fn target_path_length_is_capped_by_the_crd() {
    let hr = |tp: &str| {
        format!(
            "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\n  namespace: default\nspec:\n  interval: 5m\n  chart:\n    spec:\n      chart: app\n      sourceRef:\n        kind: HelmRepository\n        name: repo\n  valuesFrom:\n  - kind: ConfigMap\n    name: vals\n    targetPath: {tp}\n"
        )
    };
    let ok = load_str(&hr(&"a".repeat(250)), Some("hr.yaml"));
    assert!(!codes(&ok.diagnostics).contains(&"schema.length"));
    let long = load_str(&hr(&"a".repeat(251)), Some("hr.yaml"));
    let d: Vec<_> = long
        .diagnostics
        .iter()
        .filter(|d| d.code == "schema.length")
        .collect();
    assert_eq!(d.len(), 1, "{:?}", long.diagnostics);
    assert_eq!(d[0].location.path, "spec.valuesFrom[0].targetPath");
}

#[test]
fn target_path_index_and_nesting_are_capped() {
    let dest = Val::new_map();
    let err = strvals::parse_into(&format!("a[{}]=1", strvals::MAX_INDEX + 1), &dest).unwrap_err();
    assert!(err.to_string().contains("65536"), "{err}");
    let deep = ["k"; strvals::MAX_NESTED_NAME_LEVEL + 2].join(".") + "=1";
    let err = strvals::parse_into(&deep, &Val::new_map()).unwrap_err();
    assert!(err.to_string().contains("30"), "{err}");
    let lists = format!("a{}=1", "[0]".repeat(strvals::MAX_NESTED_LIST_LEVEL + 2));
    let err = strvals::parse_into(&lists, &Val::new_map()).unwrap_err();
    assert!(err.to_string().contains("nested level"), "{err}");
    // Through composition: the stable code of a targetPath failure.
    let mut store = ObjectStore::new();
    store.insert_config_map("ns", "vals", [("values.yaml", "x")]);
    let r = ValuesReference::config_map("vals").target_path("a[70000]");
    let err = values::compose("ns", None, &[r], &store).unwrap_err();
    assert_eq!(err.code(), "values.target_path");
}

#[test]
fn envsubst_nesting_is_capped() {
    let vars: HashMap<String, String> = HashMap::new();
    let nested = |n: usize| format!("{}x{}", "${a:=".repeat(n), "}".repeat(n));
    assert_eq!(
        subst::envsubst(
            &nested(subst::DEFAULT_MAX_DEPTH),
            &vars,
            Options::strict(true)
        )
        .unwrap(),
        "x"
    );
    let err = subst::envsubst(
        &nested(subst::DEFAULT_MAX_DEPTH + 2),
        &vars,
        Options::strict(true),
    )
    .unwrap_err();
    assert_eq!(err.code(), "subst.too_deep");
    assert!(err.to_string().contains("limit of 100000"), "{err}");
    let lowered = Options {
        max_depth: Some(2),
        ..Options::strict(true)
    };
    let err = subst::envsubst(&nested(4), &vars, lowered).unwrap_err();
    assert_eq!(err.code(), "subst.too_deep");
}

#[test]
fn envsubst_output_is_capped() {
    // Each nesting level multiplies the size by 16: 16^7 = 256 MiB > 64 MiB.
    let vars = HashMap::from([("a".to_string(), "a".repeat(16))]);
    let mut text = "x".to_string();
    for _ in 0..7 {
        text = format!("${{a//a/{text}}}");
    }
    let err = subst::envsubst(&text, &vars, Options::strict(true)).unwrap_err();
    assert_eq!(err.code(), "subst.output_too_large");
    assert!(err.to_string().contains("67108864"), "{err}");
    // Lowered: 16^2 = 256 bytes is fine, 16^3 is not.
    let small = Options {
        max_output: Some(1000),
        ..Options::strict(true)
    };
    assert_eq!(
        subst::envsubst("${a//a/${a//a/x}}", &vars, small)
            .unwrap()
            .len(),
        256
    );
    let err = subst::envsubst("${a//a/${a//a/${a//a/x}}}", &vars, small).unwrap_err();
    assert_eq!(err.code(), "subst.output_too_large");
    // The plain path too: many copies of a long value.
    let long = HashMap::from([("v".to_string(), "v".repeat(600))]);
    let err = subst::envsubst("${v}${v}", &long, small).unwrap_err();
    assert_eq!(err.code(), "subst.output_too_large");
}

//! The plan engine on small repositories built in a temporary folder:
//! resolution of spec.path, not-applied reporting, --source, --vars,
//! values redaction, bad input, and the JSON schema of the report.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fluxcd_core::plan::{plan, Plan, PlanOptions};
use serde_json::Value;

struct Repo(PathBuf);

impl Repo {
    fn new(name: &str) -> Repo {
        let d =
            std::env::temp_dir().join(format!("fluxcd-core-plan-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Repo(d)
    }
    fn write(&self, rel: &str, text: &str) -> &Self {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }
    fn plan(&self) -> Plan {
        plan(&self.0, &PlanOptions::default()).unwrap()
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn ks(name: &str, path: &str, extra: &str) -> String {
    format!(
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: {name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: {path}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n{extra}"
    )
}

fn cm(name: &str, data: &str) -> String {
    format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\ndata:\n{data}")
}

fn applied(p: &Plan, ks_id: &str) -> Vec<String> {
    p.kustomizations
        .iter()
        .find(|k| k.id == ks_id)
        .unwrap_or_else(|| panic!("no {ks_id}"))
        .objects
        .iter()
        .map(|o| format!("{}/{}", o.kind, o.name))
        .collect()
}

fn codes(p: &Plan) -> Vec<&str> {
    p.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn plain_folder_applies_every_yaml_recursively() {
    let r = Repo::new("plain");
    r.write("clusters/ks.yaml", &ks("apps", "./apps", ""))
        .write("apps/a.yaml", &cm("a", "  k: v\n"))
        .write("apps/deep/b.yml", &cm("b", "  k: v\n"))
        .write("apps/readme.md", "# not yaml")
        .write("other/c.yaml", &cm("c", "  k: v\n"));
    let p = r.plan();
    assert_eq!(
        applied(&p, "flux-system/apps"),
        ["ConfigMap/a", "ConfigMap/b"]
    );
    assert!(p.kustomizations[0].path_found);
}

#[test]
fn kustomization_resources_namespace_and_not_applied() {
    let r = Repo::new("kfile");
    r.write("ks.yaml", &ks("apps", "./apps/prod", ""))
        .write(
            "apps/prod/kustomization.yaml",
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: team\nresources:\n  - ../base\n  - extra.yaml\n  - https://github.com/example/repo//deploy\npatches:\n  - path: patch.yaml\nconfigMapGenerator:\n  - name: gen\n    literals: [a=b]\n",
        )
        .write("apps/prod/extra.yaml", &cm("extra", "  k: v\n"))
        .write("apps/prod/unlisted.yaml", &cm("unlisted", "  k: v\n"))
        .write("apps/prod/patch.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\ndata:\n  k: patched\n")
        .write("apps/base/kustomization.yaml", "resources: [base.yaml]\n")
        .write("apps/base/base.yaml", &cm("base", "  k: v\n"));
    let p = r.plan();
    assert_eq!(
        applied(&p, "flux-system/apps"),
        ["ConfigMap/base", "ConfigMap/extra"]
    );
    let k = &p.kustomizations[0];
    assert!(k
        .objects
        .iter()
        .all(|o| o.namespace.as_deref() == Some("team")));
    let not_applied: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.code == "plan.not_applied")
        .map(|d| {
            (
                d.location.file.clone().unwrap(),
                d.location.line,
                d.location.path.clone(),
            )
        })
        .collect();
    assert_eq!(
        not_applied,
        [
            (
                "apps/prod/kustomization.yaml".to_string(),
                7,
                "resources[2]".to_string()
            ),
            (
                "apps/prod/kustomization.yaml".to_string(),
                8,
                "patches".to_string()
            ),
            (
                "apps/prod/kustomization.yaml".to_string(),
                10,
                "configMapGenerator".to_string()
            ),
        ]
    );
    assert_eq!(k.not_applied.len(), 3);
}

#[test]
fn missing_path_and_missing_resource_are_errors_and_plan_completes() {
    let r = Repo::new("missing");
    r.write("ks.yaml", &ks("gone", "./nowhere", ""))
        .write("ks2.yaml", &ks("broken", "./b", ""))
        .write("b/kustomization.yaml", "resources:\n  - here.yaml\n  - absent.yaml\n")
        .write("b/here.yaml", &cm("here", "  k: v\n"))
        // No spec.path at all: the source root.
        .write(
            "nopath.yaml",
            "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: root\n  namespace: flux-system\nspec:\n  interval: 1m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n",
        );
    let p = r.plan();
    assert!(p.has_errors());
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.code == "plan.path_not_found")
        .unwrap();
    assert_eq!(d.location.file.as_deref(), Some("ks.yaml"));
    assert_eq!(
        (d.location.line, d.location.path.as_str()),
        (8, "spec.path")
    );
    assert!(d.hint.is_some());
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.code == "plan.resource_not_found")
        .unwrap();
    assert_eq!(
        (d.location.file.as_deref(), d.location.line),
        (Some("b/kustomization.yaml"), 3)
    );
    let root = p
        .kustomizations
        .iter()
        .find(|k| k.id == "flux-system/root")
        .unwrap();
    assert!(root.path_found);
    assert!(root.objects.iter().any(|o| o.name == "here"));
}

#[test]
fn source_mapping_reads_another_folder() {
    let r = Repo::new("source-main");
    let other = Repo::new("source-other");
    other.write("deploy/app.yaml", &cm("tenant-app", "  k: v\n"));
    r.write(
        "tenants.yaml",
        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: tenant\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://example.com/tenant.git\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: tenant\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./deploy\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: tenant\n",
    );
    // Not mapped: the path is not in this checkout, and that is only information.
    let p = r.plan();
    assert!(
        codes(&p).contains(&"plan.source_not_mapped"),
        "{:?}",
        codes(&p)
    );
    assert!(!p.has_errors());
    assert_eq!(p.kustomizations[0].source_dir, None);
    // Mapped: the objects come from the other folder, named with its prefix.
    let opts = PlanOptions {
        sources: vec![("tenant".into(), other.0.clone())],
        ..PlanOptions::default()
    };
    let p = plan(&r.0, &opts).unwrap();
    let k = &p.kustomizations[0];
    assert_eq!(applied(&p, "flux-system/tenant"), ["ConfigMap/tenant-app"]);
    assert!(k.objects[0]
        .file
        .as_deref()
        .unwrap()
        .ends_with("/deploy/app.yaml"));
    assert_eq!(p.sources[0].name, "tenant");
    assert!(!codes(&p).contains(&"plan.source_not_mapped"));
}

#[test]
fn undefined_source_is_reported() {
    let r = Repo::new("nosource");
    r.write(
        "ks.yaml",
        &ks("apps", "./apps", "").replace("name: flux-system\n", "name: typo-repo\n"),
    )
    .write("apps/a.yaml", &cm("a", "  k: v\n"));
    let p = r.plan();
    let d = p
        .diagnostics
        .iter()
        .find(|d| d.code == "plan.source_not_found")
        .unwrap();
    assert!(d.message.contains("GitRepository/typo-repo"));
    assert_eq!(d.location.path, "spec.sourceRef.name");
}

#[test]
fn substitution_inline_repo_configmap_and_vars_file() {
    let r = Repo::new("subst");
    r.write(
        "ks.yaml",
        &ks(
            "apps",
            "./apps",
            "  postBuild:\n    substitute:\n      env: prod\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-vars\n      - kind: Secret\n        name: cluster-secrets\n",
        ),
    )
    .write("vars.yaml", &cm("cluster-vars", "  region: eu-1\n").replace("name: cluster-vars", "name: cluster-vars\n  namespace: flux-system"))
    .write("apps/app.yaml", &cm("web-${env}", "  region: ${region}\n  token: ${token}\n"));
    let p = r.plan();
    let o = &p.kustomizations[0].objects[0];
    // Without the Secret (not in the repository), strict substitution fails on ${token}.
    assert_eq!(o.substitution_error.as_deref(), Some("subst.undefined"));
    assert!(codes(&p).contains(&"postbuild.undefined_unless_external"));
    // With --vars supplying it, everything is substituted.
    let opts = PlanOptions {
        var_files: vec![(
            "cluster-secrets.env".into(),
            BTreeMap::from([("token".to_string(), "t0".to_string())]),
        )],
        ..PlanOptions::default()
    };
    let p = plan(&r.0, &opts).unwrap();
    let k = &p.kustomizations[0];
    let o = &k.objects[0];
    assert_eq!(o.substitution_error, None);
    assert!(o.substituted);
    assert_eq!(o.name, "web-prod");
    assert_eq!(o.variables, ["env", "region", "token"]);
    let names: Vec<&str> = k.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["env", "region", "token"]);
    assert!(!codes(&p).contains(&"subst.undefined"));
}

#[test]
fn nested_kustomization_is_substituted_by_its_parent() {
    let r = Repo::new("nested");
    r.write(
        "clusters/prod/root.yaml",
        &ks(
            "root",
            "./clusters/prod/apps",
            "  postBuild:\n    substitute:\n      cluster: prod\n",
        ),
    )
    .write(
        "clusters/prod/apps/apps.yaml",
        &ks("apps", "./apps/${cluster}", ""),
    )
    .write("apps/prod/a.yaml", &cm("a", "  k: v\n"));
    let p = r.plan();
    let apps = p
        .kustomizations
        .iter()
        .find(|k| k.id == "flux-system/apps")
        .unwrap();
    assert_eq!(apps.path, "./apps/prod");
    assert!(apps.path_found);
    assert_eq!(apps.applied_by, ["flux-system/root"]);
    assert_eq!(applied(&p, "flux-system/apps"), ["ConfigMap/a"]);
    assert!(!p.has_errors(), "{:?}", p.diagnostics);
    let roots = fluxcd_core::plan::tree::build(&p, None).unwrap();
    assert_eq!(roots.len(), 1);
    assert_eq!(
        fluxcd_core::plan::tree::render(&roots),
        "Kustomization/flux-system/root\n└── Kustomization/flux-system/apps\n    └── ConfigMap/a\n"
    );
}

#[test]
fn helmrelease_values_releases_order_and_redaction() {
    let r = Repo::new("helm");
    r.write("ks.yaml", &ks("apps", "./apps", ""))
        .write(
            "apps/hr.yaml",
            "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: web\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n  dependsOn:\n    - name: db\n  values:\n    replicas: 2\n  valuesFrom:\n    - kind: ConfigMap\n      name: web-values\n    - kind: Secret\n      name: web-secret\n      valuesKey: password\n      targetPath: auth.password\n    - kind: Secret\n      name: in-cluster-only\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: db\n  namespace: apps\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: db\n      sourceRef:\n        kind: HelmRepository\n        name: charts\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: apps\nspec:\n  interval: 1h\n  url: https://charts.example.com\n",
        )
        .write(
            "apps/values.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-values\n  namespace: apps\ndata:\n  values.yaml: |\n    image: web:1\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: web-secret\n  namespace: apps\nstringData:\n  password: hunter2\n",
        );
    let p = r.plan();
    let rel = p
        .releases
        .iter()
        .find(|r| r.helm_release == "apps/web")
        .unwrap();
    assert_eq!(rel.release_name.as_deref(), Some("web"));
    assert_eq!(rel.storage_namespace.as_deref(), Some("apps"));
    assert_eq!(rel.helm_chart.as_deref(), Some("apps/apps-web"));
    let v = p
        .values
        .iter()
        .find(|v| v.helm_release == "apps/web")
        .unwrap();
    assert_eq!(v.values["image"], "web:1");
    assert_eq!(v.values["replicas"].as_f64(), Some(2.0));
    assert_eq!(v.values["auth"]["password"], "<redacted>");
    assert_eq!(v.redacted, ["auth.password"]);
    assert_eq!(v.unresolved, ["Secret/in-cluster-only"]);
    let json = serde_json::to_string(&p).unwrap();
    assert!(!json.contains("hunter2"));
    assert_eq!(
        p.order.helm_releases.as_deref().unwrap(),
        ["apps/db", "apps/web"]
    );
    assert_eq!(p.waves.helm_releases, [vec!["apps/db"], vec!["apps/web"]]);
}

#[test]
fn bad_input_is_reported_and_plan_completes() {
    let r = Repo::new("bad");
    r.write("ks.yaml", &ks("apps", "./apps", ""))
        .write("apps/broken.yaml", "a: [unclosed\n")
        .write("apps/ok.yaml", &cm("ok", "  k: v\n"));
    std::fs::write(
        r.0.join("apps/binary.yaml"),
        [0u8, 159, 146, 150, 255, 0, 1],
    )
    .unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(r.0.join("apps"), r.0.join("apps/loop")).unwrap();
        std::os::unix::fs::symlink("/etc", r.0.join("outside")).unwrap();
        std::os::unix::fs::symlink(r.0.join("missing"), r.0.join("apps/dangling.yaml")).unwrap();
    }
    let p = r.plan();
    let c = codes(&p);
    assert!(c.contains(&"yaml.syntax"), "{c:?}");
    assert!(c.contains(&"yaml.invalid_utf8"), "{c:?}");
    #[cfg(unix)]
    {
        let links = p
            .diagnostics
            .iter()
            .filter(|d| d.code == "plan.symlink_skipped")
            .count();
        assert_eq!(links, 3);
        assert!(p
            .objects
            .iter()
            .all(|o| !o.file.as_deref().unwrap_or("").starts_with("outside")));
    }
    assert!(applied(&p, "flux-system/apps").contains(&"ConfigMap/ok".to_string()));
}

#[test]
fn twenty_thousand_files() {
    let r = Repo::new("many");
    r.write("ks.yaml", &ks("apps", "./apps", ""));
    for i in 0..20_000 {
        let dir = format!("apps/d{}", i / 500);
        r.write(
            &format!("{dir}/cm{i}.yaml"),
            &cm(&format!("cm{i}"), "  k: v\n"),
        );
    }
    let p = r.plan();
    assert_eq!(p.kustomizations[0].objects.len(), 20_000);
    assert_eq!(p.stats.files, 20_001);
}

#[test]
fn disabled_rules_are_filtered() {
    let r = Repo::new("disabled");
    r.write("ks.yaml", &ks("gone", "./nowhere", ""));
    let mut cfg = fluxcd_core::plan::lint::Config::default();
    cfg.disabled.insert("plan.path_not_found".into());
    let opts = PlanOptions {
        lint: Some(cfg),
        ..PlanOptions::default()
    };
    let p = plan(&r.0, &opts).unwrap();
    assert!(!codes(&p).contains(&"plan.path_not_found"));
    assert!(!p.has_errors());
}

// ---------------------------------------------------------------------------
// The JSON schema of the report, checked on real output.
// ---------------------------------------------------------------------------

/// A validator for the subset of JSON Schema 2020-12 that schemars writes:
/// type (or list of types), properties, required, additionalProperties,
/// items, $ref to $defs, enum, const, oneOf/anyOf, minimum.
fn validate(schema: &Value, root: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        let target = &root["$defs"][name];
        assert!(!target.is_null(), "dangling $ref {r}");
        validate(target, root, v, path, errors);
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        });
        if !ok {
            errors.push(format!("{path}: {v} is not {types:?}"));
            return;
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            errors.push(format!("{path}: {v} not in {e:?}"));
        }
    }
    if let Some(c) = schema.get("const") {
        if c != v {
            errors.push(format!("{path}: {v} != const {c}"));
        }
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_f64), v.as_f64()) {
        if n < min {
            errors.push(format!("{path}: {n} < {min}"));
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            let passing = list
                .iter()
                .filter(|s| {
                    let mut e = Vec::new();
                    validate(s, root, v, path, &mut e);
                    e.is_empty()
                })
                .count();
            if passing == 0 || (key == "oneOf" && passing > 1) {
                errors.push(format!("{path}: {passing} branches of {key} match"));
            }
        }
    }
    if let Value::Object(map) = v {
        let props = schema.get("properties").and_then(Value::as_object);
        for req in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !map.contains_key(req) {
                errors.push(format!("{path}: missing required {req}"));
            }
        }
        for (k, child) in map {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(s, root, child, &format!("{path}.{k}"), errors),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errors.push(format!("{path}: unexpected property {k}"))
                    }
                    Some(s @ Value::Object(_)) => {
                        validate(s, root, child, &format!("{path}.{k}"), errors)
                    }
                    _ => {}
                },
            }
        }
    }
    if let (Value::Array(items), Some(s)) = (v, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(s, root, item, &format!("{path}[{i}]"), errors);
        }
    }
}

fn schema_file() -> Value {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/plan-schema.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn committed_schema_is_the_generated_one() {
    assert_eq!(
        schema_file(),
        Plan::json_schema(),
        "run `cargo xtask plan-schema`"
    );
}

#[test]
fn real_plan_output_validates_against_the_schema() {
    let schema = schema_file();
    let mut checked = 0;
    let mut repos: Vec<PathBuf> =
        vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/fleet")];
    if let Some(corpus) = common::shared("corpus") {
        repos.extend(
            std::fs::read_dir(corpus)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.is_dir()),
        );
    }
    for repo in repos {
        let p = plan(&repo, &PlanOptions::default()).unwrap();
        let v = serde_json::to_value(&p).unwrap();
        let mut errors = Vec::new();
        validate(&schema, &schema, &v, "$", &mut errors);
        assert!(
            errors.is_empty(),
            "{}: {:?}",
            repo.display(),
            &errors[..errors.len().min(10)]
        );
        for key in [
            "formatVersion",
            "objects",
            "diagnostics",
            "kustomizations",
            "order",
            "waves",
            "releases",
            "values",
        ] {
            assert!(v.get(key).is_some(), "{key}");
        }
        checked += 1;
    }
    // The validator does reject a wrong document.
    let mut bad = serde_json::to_value(
        plan(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/fleet"),
            &PlanOptions::default(),
        )
        .unwrap(),
    )
    .unwrap();
    bad["formatVersion"] = Value::String("two".into());
    bad["kustomizations"] = serde_json::json!([{"id": 3}]);
    let mut errors = Vec::new();
    validate(&schema, &schema, &bad, "$", &mut errors);
    assert!(errors.len() >= 2, "{errors:?}");
    assert!(checked >= 1);
}

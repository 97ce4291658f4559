use super::*;
use serde_json::json;

fn ks(post_build: Value) -> Kustomization {
    Kustomization::from_value(&json!({
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": "apps", "namespace": "flux-system"},
        "spec": {"postBuild": post_build}
    }))
    .unwrap()
}

fn cm(data: Value) -> Value {
    json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "res"}, "data": data})
}

fn run(
    k: &Kustomization,
    res: &Value,
    store: &ObjectStore,
    strict: bool,
) -> Result<Substitution, Error> {
    let opts = Options {
        strict: Some(strict),
        ..Options::default()
    };
    substitute_resource(k, res, store, &opts)
}

fn substituted(s: Substitution) -> Value {
    match s.outcome {
        Outcome::Substituted(v) => v,
        other => panic!("not substituted: {other:?}"),
    }
}

#[test]
fn versions_select_strictness() {
    assert!(Options::default().is_strict());
    let old = Options {
        flux: FluxVersion::V2_8,
        ..Options::default()
    };
    assert!(!old.is_strict());
    assert!(Options {
        strict: Some(true),
        ..old
    }
    .is_strict());
    assert_eq!(FluxVersion::parse("v2.9.4"), Some(FluxVersion::V2_9));
    assert_eq!(FluxVersion::parse("2.10"), Some(FluxVersion::V2_9));
    assert_eq!(FluxVersion::parse("2.7"), Some(FluxVersion::V2_8));
    assert_eq!(FluxVersion::parse("3"), None);
}

#[test]
fn precedence_later_sources_then_inline() {
    let k = ks(json!({
        "substitute": {"a": "inline"},
        "substituteFrom": [
            {"kind": "ConfigMap", "name": "one"},
            {"kind": "Secret", "name": "two"},
            {"kind": "ConfigMap", "name": "gone", "optional": true}
        ]
    }));
    let mut store = ObjectStore::new();
    store.insert_config_map(
        "flux-system",
        "one",
        [("a", "cm"), ("b", "cm"), ("c", "cm")],
    );
    store.insert_secret("flux-system", "two", [("b", "secret\nvalue")]);
    let vars = load_vars(&k, &store, &Options::default()).unwrap();
    assert_eq!(vars.map["a"].value, "inline");
    assert_eq!(vars.map["b"].value, "secretvalue");
    assert!(vars.map["b"].origin.is_secret());
    assert_eq!(
        vars.map["c"].origin.to_string(),
        "ConfigMap flux-system/one key c"
    );
    // Secret values never show in Debug output.
    assert!(!format!("{vars:?}").contains("secretvalue"));
    assert!(format!("{vars:?}").contains("<redacted>"));
}

#[test]
fn required_source_missing_is_upstreams_error() {
    let k = ks(json!({"substituteFrom": [{"kind": "ConfigMap", "name": "app-vars"}]}));
    let err = run(&k, &cm(json!({})), &ObjectStore::new(), true).unwrap_err();
    assert_eq!(err.code(), "postbuild.source_not_found");
    assert_eq!(
        err.to_string(),
        "substitute from 'ConfigMap/app-vars' error: configmaps \"app-vars\" not found"
    );
    // Another namespace does not count.
    let mut store = ObjectStore::new();
    store.insert_config_map("default", "app-vars", [("a", "1")]);
    assert!(run(&k, &cm(json!({})), &store, true).is_err());
    // Dry run does not read substituteFrom.
    let opts = Options {
        dry_run: true,
        ..Options::default()
    };
    let out = substitute_resource(&k, &cm(json!({})), &store, &opts).unwrap();
    assert_eq!(out.outcome, Outcome::Unchanged);
}

#[test]
fn disable_label_is_exact() {
    let k = ks(json!({"substitute": {"x": "1"}}));
    let mut res = cm(json!({"a": "${missing}"}));
    res["metadata"]["annotations"] = json!({DISABLE_KEY: "disabled"});
    assert_eq!(
        run(&k, &res, &ObjectStore::new(), true).unwrap().outcome,
        Outcome::Disabled
    );
    res["metadata"]["annotations"] = json!({DISABLE_KEY: "Disabled"});
    assert!(run(&k, &res, &ObjectStore::new(), true).is_err());
    res["metadata"]["annotations"] = json!({});
    res["metadata"]["labels"] = json!({DISABLE_KEY: "disabled"});
    assert_eq!(
        run(&k, &res, &ObjectStore::new(), true).unwrap().outcome,
        Outcome::Disabled
    );
}

#[test]
fn without_variables_nothing_runs_unless_always() {
    let res = cm(json!({"a": "${x:=dflt}", "b": "${y}"}));
    let out = run(&ks(json!({})), &res, &ObjectStore::new(), true).unwrap();
    assert_eq!(out.outcome, Outcome::Unchanged);
    let always = ks(json!({"substituteStrategy": "Always"}));
    let err = run(&always, &res, &ObjectStore::new(), true).unwrap_err();
    assert_eq!(err.code(), "subst.undefined");
    let v = substituted(run(&always, &res, &ObjectStore::new(), false).unwrap());
    assert_eq!(v["data"], json!({"a": "dflt", "b": null}));
    // No postBuild at all.
    let none = Kustomization::from_value(&json!({"metadata": {"name": "x"}, "spec": {}})).unwrap();
    assert!(!none.post_build);
}

#[test]
fn values_are_retyped_as_yaml_1_1() {
    let k = ks(json!({"substitute": {
        "n": "123", "b": "yes", "o": "0755", "e": "", "f": "1.5", "s": "!!str 42", "q": "\""
    }}));
    let res = cm(json!({
        "n": "${n}", "b": "${b}", "o": "${o}", "e": "${e}", "f": "${f}", "s": "${s}",
        "quoted": "${q}${n}${q}", "mixed": "v${n}"
    }));
    let v = substituted(run(&k, &res, &ObjectStore::new(), true).unwrap());
    assert_eq!(v["data"]["n"], 123);
    assert_eq!(v["data"]["b"], true);
    assert_eq!(v["data"]["o"], 493);
    assert_eq!(v["data"]["e"], Value::Null);
    assert_eq!(v["data"]["f"], 1.5);
    assert_eq!(v["data"]["s"], "42");
    assert_eq!(v["data"]["quoted"], "123");
    assert_eq!(v["data"]["mixed"], "v123");
}

#[test]
fn invalid_names_are_reported_deterministically() {
    let k = ks(json!({"substitute": {"ok": "1", "my-var": "x", "app.properties": "y"}}));
    let err = run(&k, &cm(json!({})), &ObjectStore::new(), true).unwrap_err();
    assert_eq!(err.code(), "postbuild.invalid_var_name");
    assert_eq!(
        err.to_string(),
        "envsubst error: 'app.properties' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'"
    );
    assert!(is_valid_var_name("_a1"));
    assert!(!is_valid_var_name("1a"));
    assert!(!is_valid_var_name("é"));
    assert!(!is_valid_var_name(""));
}

#[test]
fn broken_yaml_after_substitution() {
    let k = ks(json!({"substitute": {"v": "a: b"}}));
    let err = run(&k, &cm(json!({"x": "${v}"})), &ObjectStore::new(), true).unwrap_err();
    assert_eq!(err.code(), "postbuild.yaml");
    assert!(err.to_string().starts_with("envsubst error: YAMLToJSON: "));
    let k = ks(json!({"substitute": {"v": ".inf"}}));
    let err = run(&k, &cm(json!({"x": "${v}"})), &ObjectStore::new(), true).unwrap_err();
    assert_eq!(
        err.to_string(),
        "envsubst error: YAMLToJSON: json: unsupported value: +Inf"
    );
}

#[test]
fn provenance_redacts_secrets() {
    let k = ks(json!({
        "substitute": {"host": "example.com"},
        "substituteFrom": [{"kind": "Secret", "name": "creds"}]
    }));
    let mut store = ObjectStore::new();
    store.insert_secret("flux-system", "creds", [("token", "s3cr3t")]);
    let res =
        cm(json!({"a": "${host}", "b": "${token}", "c": "${x:=${token}}", "d": "${y:-dflt}"}));
    let out = run(&k, &res, &store, true).unwrap();
    let by = |expr: &str| {
        out.uses
            .iter()
            .find(|u| u.expression == expr)
            .unwrap()
            .clone()
    };
    assert_eq!(by("${host}").value.as_deref(), Some("example.com"));
    assert_eq!(by("${host}").source, Source::Variable(Origin::Inline));
    assert_eq!(by("${token}").value, None);
    assert_eq!(by("${x:=${token}}").value, None);
    assert_eq!(by("${x:=${token}}").source, Source::Default);
    assert_eq!(by("${y:-dflt}").value.as_deref(), Some("dflt"));
    // Provenance never carries the value (the substituted object does: it is the result).
    assert!(!format!("{:?}", out.uses).contains("s3cr3t"));
    assert_eq!(substituted(out)["data"]["b"], "s3cr3t");
}

#[test]
fn secret_manifests_decode_like_the_api_server() {
    let mut store = ObjectStore::new();
    let secret = json!({
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
        "data": {"a": "aGVsbG8=", "b": "b2xk"},
        "stringData": {"b": "new"}
    });
    assert!(store.insert_manifest(&secret, "flux-system").unwrap());
    let Found::Present(d) = store.find(RefKind::Secret, "flux-system", "s") else {
        panic!()
    };
    assert_eq!(d["a"], "hello");
    assert_eq!(d["b"], "new");
    let bad = json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "t"}, "data": {"k": "%%%"}});
    let err = store.insert_manifest(&bad, "ns").unwrap_err();
    assert_eq!(err.code(), "postbuild.secret_data");
    assert!(!store
        .insert_manifest(&json!({"apiVersion": "apps/v1", "kind": "Deployment"}), "x")
        .unwrap());
}

#[test]
fn controller_message_uses_kustomize_gvk() {
    let e = Error::Subst(subst::Error::Undefined {
        name: "x".into(),
        at: subst::Position::locate("${x}", 0),
    });
    let sa = json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "sa"}});
    assert_eq!(
        e.controller_message(&sa),
        "post build failed for 'ServiceAccount.v1.[noGrp]/sa': envsubst error: variable substitution failed: variable not set (strict mode): \"x\""
    );
    let d = json!({"apiVersion": "apps/v1", "kind": "Deployment"});
    assert_eq!(kustomize_gvk(&d), "Deployment.v1.apps");
}

#[test]
fn non_string_inline_values_fail_like_the_accessor() {
    let err = Kustomization::from_value(&json!({
        "metadata": {"name": "a"},
        "spec": {"postBuild": {"substitute": {"port": 8080}}}
    }))
    .unwrap_err();
    assert_eq!(err.code(), "postbuild.bad_spec");
    assert!(err
        .to_string()
        .contains("under key \"port\": 8080 is of the type int64, expected string"));
}

#[test]
fn bad_input_gives_clean_errors() {
    let k = ks(json!({"substitute": {"x": "1"}}));
    let store = ObjectStore::new();
    // 10,000 nested `${` inside one value: a parse error, no stack overflow.
    let nested = "${a:=".repeat(10_000);
    let err = run(&k, &cm(json!({"n": nested})), &store, true).unwrap_err();
    assert!(err.code().starts_with("subst."), "{err}");
    // Unterminated at the end of the text.
    let err = run(&k, &cm(json!({"n": "${x"})), &store, true).unwrap_err();
    assert!(err.to_string().contains("missing closing brace") || err.code().starts_with("subst."));
    // A 10 MB line substitutes (and folds) in linear time.
    let long = format!("{}${{x}}", "a".repeat(10 << 20));
    let v = substituted(run(&k, &cm(json!({"l": long})), &store, true).unwrap());
    assert_eq!(v["data"]["l"].as_str().unwrap().len(), (10 << 20) + 1);
    // NUL in a value: emitted escaped (`\0` in double quotes), substituted normally.
    let v = substituted(run(&k, &cm(json!({"z": "a\u{0}b ${x}"})), &store, true).unwrap());
    assert_eq!(v["data"]["z"], "a\u{0}b 1");
}

#[test]
fn deeply_nested_resources_do_not_overflow() {
    let k = ks(json!({"substitute": {"x": "1"}}));
    let mut deep = json!("${x}");
    for _ in 0..200 {
        deep = json!([deep]);
    }
    let res = cm(json!({"d": deep}));
    // Emitted and substituted; reading the result back hits the loader's depth cap
    // (128), a clean error.
    let err = run(&k, &res, &ObjectStore::new(), true).unwrap_err();
    assert_eq!(err.code(), "postbuild.yaml", "{err}");
}

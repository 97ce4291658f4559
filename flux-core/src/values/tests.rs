use super::*;
use serde_json::json;

fn store() -> ObjectStore {
    let mut s = ObjectStore::new();
    s.insert_secret(
        "ns",
        "s",
        [("v", "fromref"), ("three", "3"), ("single", "value")],
    );
    s.insert_config_map("ns", "ac", [("values.yaml", "a: {c: 1}\n")]);
    s.insert_config_map("ns", "later", [("values.yaml", "a: {b: later}\n")]);
    s
}

fn run(inline: Value, refs: &[ValuesReference]) -> Result<Value, Error> {
    let inline = (!inline.is_null()).then_some(inline);
    compose("ns", inline.as_ref(), refs, &store()).map(|v| v.to_json())
}

fn num_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| num_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| num_eq(v, w)))
        }
        _ => a == b,
    }
}

#[track_caller]
fn check(inline: Value, refs: &[ValuesReference], want: Value) {
    let got = run(inline, refs).unwrap();
    assert!(num_eq(&got, &want), "got {got}, want {want}");
}

fn s_tp(path: &str) -> ValuesReference {
    ValuesReference::secret("s").key("v").target_path(path)
}

#[test]
fn aliasing_cases_of_the_semantics_doc() {
    check(
        json!({"replicaCount": 1}),
        &[ValuesReference::secret("s")
            .key("three")
            .target_path("replicaCount")],
        json!({"replicaCount": 1}),
    );
    check(
        json!({"a": {"b": "inline"}}),
        &[s_tp("a.b")],
        json!({"a": {"b": "fromref"}}),
    );
    check(
        json!({"a": {"b": {"c": "inline"}}}),
        &[s_tp("a.b.c")],
        json!({"a": {"b": {"c": "fromref"}}}),
    );
    check(
        json!({"a": {"b": "inline"}}),
        &[ValuesReference::config_map("ac"), s_tp("a.b")],
        json!({"a": {"c": 1, "b": "inline"}}),
    );
    check(
        json!({"a": {"l": ["x", "y"]}}),
        &[ValuesReference::config_map("ac"), s_tp("a.l[0]")],
        json!({"a": {"c": 1, "l": ["fromref", "y"]}}),
    );
    check(
        Value::Null,
        &[s_tp("a.b"), ValuesReference::config_map("later")],
        json!({"a": {"b": "later"}}),
    );
    check(
        json!({"a": {"b": "inline"}}),
        &[s_tp("a.b"), ValuesReference::config_map("later")],
        json!({"a": {"b": "fromref"}}),
    );
    check(
        json!({"a": {"l": ["x"]}}),
        &[ValuesReference::config_map("ac"), s_tp("a.l[3]")],
        json!({"a": {"c": 1, "l": ["x"]}}),
    );
    check(
        json!({"a": {"l": ["x"]}}),
        &[s_tp("a.l[3]")],
        json!({"a": {"l": ["x", null, null, "fromref"]}}),
    );
}

#[test]
fn errors_have_upstream_text() {
    let e = run(Value::Null, &[ValuesReference::config_map("nope")]).unwrap_err();
    assert_eq!(e.to_string(), "could not resolve ConfigMap chart values reference 'ns/nope' with key 'values.yaml': configmaps \"nope\" not found");
    assert_eq!(e.code(), "values.not_found");
    let e = run(Value::Null, &[ValuesReference::secret("s").key("missing")]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "could not resolve Secret chart values reference 'ns/s' with key 'missing': key not found"
    );
    let e = run(
        Value::Null,
        &[ValuesReference {
            kind: "Foo".into(),
            name: "x".into(),
            ..Default::default()
        }],
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "could not resolve Foo chart values reference 'ns/x' with key 'values.yaml': unsupported values reference kind");
    // A second reference to the same missing object has no wrapped error.
    let e = run(
        Value::Null,
        &[
            ValuesReference::config_map("nope").optional(),
            ValuesReference::config_map("nope"),
        ],
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .ends_with("'ns/nope' with key 'values.yaml': resource not found"),
        "{e}"
    );
    // Optional skips a missing object and a missing key.
    assert_eq!(
        run(
            Value::Null,
            &[
                ValuesReference::config_map("nope").optional(),
                ValuesReference::secret("s").key("k").optional()
            ]
        )
        .unwrap(),
        json!({})
    );
    let e = run(
        Value::Null,
        &[ValuesReference::secret("s").key("v").target_path("a[x]")],
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "could not resolve Secret chart values reference 'ns/s' with key 'v': error parsing index: strconv.Atoi: parsing \"x\": invalid syntax");
}

#[test]
fn strvals_panics_are_reported() {
    let m = Val::new_map();
    strvals::parse_into("a=1", &m).unwrap();
    let e = strvals::parse_into("a.b=2", &m).unwrap_err();
    assert_eq!(e.to_string(), "unable to parse key: interface conversion: interface {} is int64, not map[string]interface {}");
    let e = strvals::parse_into("a[0]=2", &m).unwrap_err();
    assert_eq!(
        e.to_string(),
        "unable to parse key: interface conversion: interface {} is int64, not []interface {}"
    );
    let e = strvals::parse_into("n=null,n.x=1", &m).unwrap_err();
    assert_eq!(e.to_string(), "unable to parse key: interface conversion: interface {} is nil, not map[string]interface {}");
}

#[test]
fn digest_vectors() {
    let v = |j: Value| {
        Values(match Val::from_json(&j) {
            Val::Map(m) => m,
            _ => unreachable!(),
        })
    };
    assert_eq!(
        digest(&v(json!({}))),
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        digest(&v(
            json!({"replicas": 3, "image": {"tag": "latest", "repository": "nginx"},
            "ports": [{"protocol": "TCP", "port": 8080}, {"port": 9090, "protocol": "UDP"}]})
        )),
        "sha256:fcdc2b0de1581a3633ada4afee3f918f6eaa5b5ab38c3fef03d5b48d3f85d9f6"
    );
}

#[test]
fn read_values_like_helm() {
    let m = read_values("yes: on\nn: 0x10\n").unwrap();
    assert_eq!(Val::Map(m).to_json(), json!({"true": true, "false": 16.0}));
    assert_eq!(read_values("invalid").unwrap_err(), "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type common.Values");
    assert!(Val::Map(read_values("~").unwrap()).to_json() == json!({}));
    assert!(Val::Map(read_values("a: 1\na: 2\n").unwrap()).to_json() == json!({"a": 2.0}));
}

//! Hostile and broken input: each case gives a clear, located diagnostic, the
//! other documents still load, and nothing panics.

use fluxcd_core::manifest::{load_bytes, load_path};
use fluxcd_core::yaml::LoadOptions;

const GOOD: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: survivor\ndata:\n  a: b\n";

/// `bad` as the first document, a good ConfigMap after it: returns the codes with
/// their (line, column), and asserts the ConfigMap survived.
fn with_survivor(bad: &str) -> Vec<(String, u32, u32)> {
    let text = format!("{bad}\n---\n{GOOD}");
    let set = load_bytes(text.as_bytes(), Some("bad.yaml"), &LoadOptions::default());
    assert!(
        set.objects.iter().any(|o| o.name() == "survivor"),
        "the good document was lost after {bad:.60?}: {:?}",
        set.diagnostics
    );
    for d in &set.diagnostics {
        assert!(d.location.line > 0, "diagnostic without a line: {d}");
        assert_eq!(d.location.file.as_deref(), Some("bad.yaml"));
    }
    set.diagnostics
        .iter()
        .map(|d| (d.code.clone(), d.location.line, d.location.column))
        .collect()
}

fn codes(v: &[(String, u32, u32)]) -> Vec<&str> {
    v.iter().map(|c| c.0.as_str()).collect()
}

#[test]
fn invalid_yaml() {
    let d = with_survivor("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n");
    assert_eq!(codes(&d), ["yaml.syntax"]);
}

#[test]
fn wrong_types() {
    let d = with_survivor(
        "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: x\nspec:\n  interval: 10m\n  prune: \"yes please\"\n  sourceRef: flux-system\n",
    );
    assert_eq!(
        d,
        [("schema.type".into(), 7, 3), ("schema.type".into(), 8, 3)]
    );
}

#[test]
fn duplicate_keys() {
    let d = with_survivor("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n");
    assert_eq!(d, [("yaml.duplicate_key".into(), 5, 3)]);
}

#[test]
fn alias_bomb_is_capped_quickly() {
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 1..10 {
        let prev = (b'a' + i - 1) as char;
        let cur = (b'a' + i) as char;
        bomb.push_str(&format!(
            "{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    let d = with_survivor(&bomb);
    assert_eq!(codes(&d), ["yaml.limit"]);
}

#[test]
fn nesting_deeper_than_the_limit() {
    let deep = format!("a: {}{}", "[".repeat(100_000), "]".repeat(100_000));
    let d = with_survivor(&deep);
    assert_eq!(codes(&d), ["yaml.limit"]);
    let mut block = String::new();
    for i in 0..1000 {
        block.push_str(&" ".repeat(i));
        block.push_str("k:\n");
    }
    let d = with_survivor(&block);
    assert_eq!(codes(&d), ["yaml.limit"]);
}

#[test]
fn non_utf8_bytes() {
    let mut bytes =
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \xff\xfe\n---\n"
            .to_vec();
    bytes.extend_from_slice(GOOD.as_bytes());
    let set = load_bytes(&bytes, Some("bin.yaml"), &LoadOptions::default());
    let d: Vec<_> = set
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.location.line, d.location.column))
        .collect();
    assert_eq!(d, [("yaml.invalid_utf8", 6, 6)]);
    assert!(set.objects.iter().any(|o| o.name() == "survivor"));
}

#[test]
fn empty_file_and_comment_only_file() {
    for text in ["", "# nothing here\n", "---\n"] {
        let set = load_bytes(text.as_bytes(), Some("e.yaml"), &LoadOptions::default());
        assert!(set.objects.is_empty());
        let d: Vec<_> = set.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(d, ["yaml.empty"], "{text:?}");
    }
}

#[test]
fn list_and_scalar_documents() {
    let d = with_survivor("- a\n- b\n---\nhello");
    assert_eq!(
        d,
        [
            ("manifest.not_an_object".into(), 1, 1),
            ("manifest.not_an_object".into(), 4, 1)
        ]
    );
}

#[test]
fn hundred_megabyte_file_is_refused_without_reading() {
    let dir = std::env::temp_dir().join(format!("fluxcd-core-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = std::fs::File::create(dir.join("big.yaml")).unwrap();
    big.set_len(100 * 1024 * 1024).unwrap();
    std::fs::write(dir.join("ok.yaml"), GOOD).unwrap();
    let set = load_path(&dir, &LoadOptions::default()).unwrap();
    let d: Vec<_> = set
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.location.file.as_deref(), d.location.line))
        .collect();
    assert_eq!(d, [("yaml.file_too_large", Some("big.yaml"), 1)]);
    assert_eq!(set.objects.len(), 1);
    // In memory, the same limit applies.
    let bytes = vec![b'a'; 100 * 1024 * 1024];
    let set = load_bytes(&bytes, Some("mem.yaml"), &LoadOptions::default());
    assert_eq!(set.diagnostics[0].code, "yaml.file_too_large");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn garbage_never_panics() {
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let alphabet = b"ab:- \n\t[]{}&*!|>'\"#%@`,?~0123\\\xc3\xa9";
    for len in 0..3000usize {
        let mut bytes = Vec::with_capacity(len % 200);
        for _ in 0..(len % 200) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            bytes.push(alphabet[(state % alphabet.len() as u64) as usize]);
        }
        let _ = load_bytes(&bytes, None, &LoadOptions::default());
    }
}

#[test]
fn secret_values_never_appear_in_messages() {
    let cases = [
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: \"hunter2\n",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: hunter2\n  password: hunter3\n",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  token: {hunter2: [\n",
    ];
    for text in cases {
        let set = load_bytes(text.as_bytes(), None, &LoadOptions::default());
        assert!(!set.diagnostics.is_empty(), "{text}");
        for d in &set.diagnostics {
            let shown = format!("{d} {d:?}");
            assert!(!shown.contains("hunter"), "leak: {shown}");
        }
        for o in &set.objects {
            assert!(!format!("{o:?}").contains("hunter"));
        }
    }
}

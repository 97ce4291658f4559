//! `fluxcd-core image-policy` and `image-update`: the README's examples on the example
//! fleet, run as written, and bad input (catastrophic patterns, 100,000 tags, invalid
//! UTF-8, a marker inside a string) answered cleanly.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fluxcd-core"))
}

fn fleet() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/fleet")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn with_stdin(mut cmd: Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!(
            "fluxcd-core-image-cli-{tag}-{}",
            std::process::id()
        ));
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

const POLICY: &str = "clusters/production/flux-system/image-automation.yaml";
const TAGS: &str = "24.2.0\n24.3.1\n24.4.0\n25.0.0\n24.4.1-rc.1\nlatest\n";

/// The README's console block of the image section.
fn readme_block() -> String {
    let readme = std::fs::read_to_string(fleet().join("../../README.md")).unwrap();
    let section = readme
        .split("### Image automation on the example fleet")
        .nth(1)
        .unwrap();
    section
        .split("```console\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn the_readme_examples_answer_as_shown() {
    let block = readme_block();
    let mut cmd = bin();
    cmd.current_dir(fleet())
        .args(["image-policy", POLICY, "--tags", "-"]);
    let out = with_stdin(cmd, TAGS.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "24.4.0\n");
    assert!(block.contains("--tags /tmp/tags.txt\n24.4.0\n"));

    let mut cmd = bin();
    cmd.current_dir(fleet())
        .args(["image-policy", POLICY, "--tags", "-", "--output", "json"]);
    let out = with_stdin(cmd, TAGS.as_bytes());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let shown: serde_json::Value = serde_json::from_str(
        block
            .split("--output json\n")
            .nth(1)
            .unwrap()
            .split("\n$")
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(v, shown);

    let out = bin()
        .current_dir(fleet())
        .args([
            "image-update",
            ".",
            "--select",
            "flux-system:keycloak-chart=24.4.0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let diff = text(&out.stdout);
    assert!(
        block.contains(&diff),
        "README shows another diff than:\n{diff}"
    );
    assert!(diff.contains("+    tag: 24.4.0 # {\"$imagepolicy\""));
}

#[test]
fn write_rewrites_only_the_marked_scalar() {
    let dir = TempDir::new("write");
    let deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web   # keep me\n  namespace: apps\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: \"ghcr.io/acme/web:1.0.0\" # {\"$imagepolicy\": \"apps:web\"}\n          env:\n            - name: NOTE\n              value: \"v1 # {\\\"$imagepolicy\\\": \\\"apps:web\\\"}\"\n        - name: side\n          image: ghcr.io/acme/side:1.0.0 # {\"$imagepolicy\": \"other:side\"}\n";
    let objs = "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: web, namespace: apps}\nspec: {image: ghcr.io/acme/web, interval: 5m}\n---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: web, namespace: apps}\nspec:\n  imageRepositoryRef: {name: web}\n  policy: {semver: {range: 1.x}}\n---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata: {name: apps, namespace: apps}\nspec:\n  interval: 5m\n  sourceRef: {kind: GitRepository, name: apps}\n  git: {commit: {author: {name: b, email: b@example.com}}}\n  update: {path: ./, strategy: Setters}\n";
    std::fs::write(dir.0.join("deploy.yaml"), deploy).unwrap();
    std::fs::write(dir.0.join("image.yaml"), objs).unwrap();
    std::fs::write(
        dir.0.join("binary.yaml"),
        b"image: x # {\"$imagepolicy\": \"apps:web\"}\n\xff\xfe\n",
    )
    .unwrap();
    let out = bin()
        .arg("image-update")
        .arg(&dir.0)
        .args([
            "--select",
            "apps:web=1.2.0",
            "--select",
            "other:side=2.0.0",
            "--write",
        ])
        .output()
        .unwrap();
    let err = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the non-UTF-8 file is an error: {err}"
    );
    assert!(err.contains("imageupdate.invalid_utf8"), "{err}");
    assert!(err.contains("imageupdate.cross_namespace"), "{err}");
    let after = std::fs::read_to_string(dir.0.join("deploy.yaml")).unwrap();
    assert_eq!(
        after,
        deploy.replace("\"ghcr.io/acme/web:1.0.0\"", "\"ghcr.io/acme/web:1.2.0\""),
        "only the marked scalar changes; the marker inside a string is no marker"
    );
    assert_eq!(
        std::fs::read(dir.0.join("binary.yaml")).unwrap()[..5],
        *b"image"
    );
}

#[test]
fn bad_input_is_answered_cleanly() {
    let dir = TempDir::new("bad");
    // Catastrophic for a backtracking engine; linear here.
    let policy = "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: p, namespace: ns}\nspec:\n  imageRepositoryRef: {name: r}\n  filterTags:\n    pattern: '^(a+)+$'\n  policy: {alphabetical: {order: asc}}\n";
    let file = dir.0.join("policy.yaml");
    std::fs::write(&file, policy).unwrap();
    let mut tags = String::new();
    for i in 0..100_000 {
        tags.push_str(&format!("{}!\n", "a".repeat(20 + i % 7)));
    }
    tags.push_str("aaaa\n");
    let mut cmd = bin();
    cmd.arg("image-policy").arg(&file).args(["--tags", "-"]);
    let out = with_stdin(cmd, tags.as_bytes());
    assert_eq!(text(&out.stdout), "aaaa\n", "{}", text(&out.stderr));

    let mut cmd = bin();
    cmd.arg("image-policy").arg(&file).args(["--tags", "-"]);
    let out = with_stdin(cmd, b"a\n\xff\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not UTF-8"));

    std::fs::write(&file, policy.replace("^(a+)+$", "(?x) a")).unwrap();
    let mut cmd = bin();
    cmd.arg("image-policy").arg(&file).args(["--tags", "-"]);
    let out = with_stdin(cmd, b"a\n");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("[imagepolicy.invalid_pattern]"),
        "{}",
        text(&out.stderr)
    );

    let out = bin()
        .arg("image-update")
        .arg(&dir.0)
        .args(["--select", "no-colon=1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

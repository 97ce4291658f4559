//! End-to-end tests of `fluxcd-core fetch` against repositories served on
//! 127.0.0.1 (git-http-backend behind the test HTTP server, git daemon).

#[path = "../../flux-core/tests/support/gitserve.rs"]
mod gitserve;

use std::process::{Command, Output};

use gitserve::*;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_fluxcd-core"))
}

fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = bin();
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("fluxcd-core runs")
}

struct Repo {
    tmp: Tmp,
    commits: std::collections::BTreeMap<String, String>,
}

fn repo() -> Repo {
    let tmp = Tmp::new("fetchcli");
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let commits = strategy_fixture(&work);
    // Content for the ignore rules.
    commit(
        &work,
        &[("docs/notes.md", "# notes\n"), ("logo.png", "png")],
        "docs",
        1_800_000_000,
    );
    let head = git(&work, &["rev-parse", "HEAD"]);
    let mut commits = commits;
    commits.insert("master".into(), head);
    let srv = tmp.path().join("srv");
    std::fs::create_dir_all(&srv).unwrap();
    bare(&work, &srv, "repo");
    Repo { tmp, commits }
}

#[test]
fn fetch_over_http_prints_json_and_writes_the_artifact() {
    let r = repo();
    let s = http_server(&r.tmp.path().join("srv"), &[]);
    let url = format!("http://127.0.0.1:{}/repo.git", s.port);
    let store = r.tmp.path().join("store");
    let out = run(
        &[
            "fetch",
            &url,
            "--branch",
            "staging",
            "--storage",
            store.to_str().unwrap(),
            "--output",
            "json",
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let staging = &r.commits["staging"];
    assert_eq!(v["revision"], format!("staging@sha1:{staging}"));
    assert_eq!(
        v["storagePath"],
        format!("gitrepository/flux-system/repo/{staging}.tar.gz")
    );
    let path = std::path::PathBuf::from(v["path"].as_str().unwrap());
    assert_eq!(
        path,
        store.join(format!("gitrepository/flux-system/repo/{staging}.tar.gz"))
    );
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(v["size"], bytes.len() as u64);
    assert_eq!(
        v["digest"],
        format!("sha256:{}", fluxcd_core::sha256::sha256_hex(&bytes))
    );
    assert!(v["files"].as_u64().unwrap() >= 3);
    // No progress bar when stderr is not a terminal.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn fetch_text_output_out_file_and_ignore() {
    let r = repo();
    let d = git_daemon(&r.tmp.path().join("srv"));
    let url = format!("git://127.0.0.1:{}/repo.git", d.port);
    let file = r.tmp.path().join("a.tar.gz");
    let out = run(&["fetch", &url, "--out", file.to_str().unwrap()], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("revision: master@sha1:{}", r.commits["master"])),
        "{text}"
    );
    assert!(text.contains("digest:   sha256:"), "{text}");
    let list = Command::new("tar").arg("tzf").arg(&file).output().unwrap();
    let names = String::from_utf8_lossy(&list.stdout).to_string();
    assert!(
        !names.lines().any(|l| l == "logo.png"),
        "default rules drop *.png: {names}"
    );
    assert!(names.lines().any(|l| l == "docs/notes.md"), "{names}");
    let default_files: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("files:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    // With a user pattern the default exclusions (*.png) are dropped: one more file, minus the docs.
    let out = run(
        &[
            "fetch",
            &url,
            "--out",
            file.to_str().unwrap(),
            "--ignore",
            "docs/",
            "--output",
            "json",
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["files"].as_u64().unwrap(), default_files); // +logo.png -docs/notes.md
    let list = Command::new("tar").arg("tzf").arg(&file).output().unwrap();
    let names = String::from_utf8_lossy(&list.stdout);
    assert!(names.lines().any(|l| l == "logo.png"), "{names}");
    assert!(
        !names.contains("notes.md") && !names.contains(".git/"),
        "{names}"
    );
    assert!(!r
        .tmp
        .path()
        .join(format!(".fluxcd-core-fetch-{}", std::process::id()))
        .exists());
}

#[test]
fn fetch_every_reference_flag() {
    let r = repo();
    let srv = r.tmp.path().join("srv");
    let url = format!("file://{}", srv.join("repo.git").display());
    let c = &r.commits;
    for (args, want) in [
        (
            vec!["--tag", "v0.1.0"],
            format!("v0.1.0@sha1:{}", c["v0.1.0"]),
        ),
        (
            vec!["--semver", "<v0.2.1"],
            format!("0.2.0@sha1:{}", c["0.2.0"]),
        ),
        (
            vec!["--commit", c["v1.1.0"].as_str()],
            format!("sha1:{}", c["v1.1.0"]),
        ),
        (
            vec!["--ref-name", "refs/pull/420/head"],
            format!("refs/pull/420/head@sha1:{}", c["pull"]),
        ),
    ] {
        let file = r.tmp.path().join("x.tar.gz");
        let mut a = vec![
            "fetch",
            url.as_str(),
            "--out",
            file.to_str().unwrap(),
            "-o",
            "json",
        ];
        a.extend(args.iter().copied());
        let out = run(&a, &[]);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["revision"], want, "{args:?}");
    }
}

#[test]
fn fetch_failures_exit_1_with_the_message() {
    let r = repo();
    let url = format!("file://{}", r.tmp.path().join("srv/repo.git").display());
    let out = run(
        &[
            "fetch",
            &url,
            "--tag",
            "v9.9.9",
            "--storage",
            r.tmp.path().to_str().unwrap(),
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("couldn't find remote ref 'refs/tags/v9.9.9'")
            && err.contains("git.ref_not_found"),
        "{err}"
    );
    let out = run(&["fetch", &url, "--semver", ">=5.0.0", "-o", "json"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["message"], "no match found for semver: >=5.0.0");
}

#[test]
fn fetch_basic_auth_password_from_env_never_printed() {
    let r = repo();
    let s = http_server(&r.tmp.path().join("srv"), &["--auth", "bot:CorrectHorse9"]);
    let url = format!("http://127.0.0.1:{}/repo.git", s.port);
    let file = r.tmp.path().join("auth.tar.gz");
    let f = file.to_str().unwrap();
    let ok = run(
        &[
            "fetch",
            &url,
            "--out",
            f,
            "--username",
            "bot",
            "--password-env",
            "GIT_PW",
        ],
        &[("GIT_PW", "CorrectHorse9")],
    );
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let bad = run(
        &[
            "fetch",
            &url,
            "--out",
            f,
            "--username",
            "bot",
            "--password-env",
            "GIT_PW",
        ],
        &[("GIT_PW", "WrongBattery7")],
    );
    assert_eq!(bad.status.code(), Some(1));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&bad.stdout),
        String::from_utf8_lossy(&bad.stderr)
    );
    assert!(!all.contains("WrongBattery7"), "{all}");
    assert!(all.contains("git.transport"), "{all}");
    // Credentials in the URL: refused, redacted.
    let cred_url = format!("http://bot:CorrectHorse9@127.0.0.1:{}/repo.git", s.port);
    let out = run(&["fetch", &cred_url, "--out", f], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("CorrectHorse9") && err.contains("git.url_credentials"),
        "{err}"
    );
}

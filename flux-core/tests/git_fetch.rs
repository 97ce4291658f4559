//! Fetches against real servers on 127.0.0.1: `git daemon`, git-http-backend
//! (smart HTTP, with and without basic auth, cut mid-pack, stalled), local paths
//! and file:// URLs. Repositories are built with the git CLI.
#![cfg(feature = "git")]

#[path = "support/gitserve.rs"]
mod gitserve;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use fluxcd_core::git::{checkout, refs::GitRef, Auth, FetchOptions, GitError, Progress};
use gitserve::*;

struct Fixture {
    _tmp: Tmp,
    root: std::path::PathBuf,
    commits: BTreeMap<String, String>,
    scratch: std::path::PathBuf,
}

fn fixture() -> Fixture {
    let tmp = Tmp::new("gitfetch");
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let commits = strategy_fixture(&work);
    let root = tmp.path().join("srv");
    std::fs::create_dir_all(&root).unwrap();
    bare(&work, &root, "repo");
    // An empty repository.
    git(&root, &["init", "-q", "--bare", "empty.git"]);
    let scratch = tmp.path().join("out");
    std::fs::create_dir_all(&scratch).unwrap();
    Fixture {
        root,
        commits,
        scratch,
        _tmp: tmp,
    }
}

fn fetch(url: &str, r: GitRef, dest: &Path) -> Result<fluxcd_core::git::Checkout, GitError> {
    let mut o = FetchOptions::new(url);
    o.reference = r;
    o.timeout = Duration::from_secs(60);
    checkout(o, dest)
}

fn dest(f: &Fixture, name: &str) -> std::path::PathBuf {
    f.scratch.join(name)
}

/// The §5.3 checkoutStrategy vectors, reproduced on a real repository.
fn strategy_table(f: &Fixture, url: &str, tag: &str) {
    let c = &f.commits;
    let cases: Vec<(GitRef, String, &str)> = vec![
        (
            GitRef::default(),
            format!("master@sha1:{}", c["master"]),
            "master\n",
        ),
        (
            GitRef::branch("staging"),
            format!("staging@sha1:{}", c["staging"]),
            "master\n",
        ),
        (
            GitRef {
                tag: Some("v0.1.0".into()),
                ..Default::default()
            },
            format!("v0.1.0@sha1:{}", c["v0.1.0"]),
            "v0.1.0\n",
        ),
        (
            GitRef {
                branch: Some("staging".into()),
                commit: Some(c["v2.0.0"].clone()),
                ..Default::default()
            },
            format!("staging@sha1:{}", c["v2.0.0"]),
            "v2.0.0\n",
        ),
        (
            GitRef {
                name: Some("refs/heads/staging".into()),
                ..Default::default()
            },
            format!("refs/heads/staging@sha1:{}", c["staging"]),
            "master\n",
        ),
        (
            GitRef {
                name: Some("refs/pull/420/head".into()),
                ..Default::default()
            },
            format!("refs/pull/420/head@sha1:{}", c["pull"]),
            "master\n",
        ),
        (
            GitRef {
                semver: Some("*".into()),
                ..Default::default()
            },
            format!("v2.0.0@sha1:{}", c["v2.0.0"]),
            "v2.0.0\n",
        ),
        (
            GitRef {
                semver: Some("<v0.2.1".into()),
                ..Default::default()
            },
            format!("0.2.0@sha1:{}", c["0.2.0"]),
            "0.2.0\n",
        ),
        (
            GitRef {
                semver: Some(">=1.0.0-0 <1.1.0-0".into()),
                ..Default::default()
            },
            format!("v1.0.0-alpha@sha1:{}", c["v1.0.0-alpha"]),
            "v1.0.0-alpha\n",
        ),
        (
            GitRef {
                commit: Some(c["v0.2.1"].clone()),
                ..Default::default()
            },
            format!("sha1:{}", c["v0.2.1"]),
            "v0.2.1\n",
        ),
        // tag wins over semver (the code's order, not the docs').
        (
            GitRef {
                tag: Some("v0.2.1".into()),
                semver: Some("*".into()),
                ..Default::default()
            },
            format!("v0.2.1@sha1:{}", c["v0.2.1"]),
            "v0.2.1\n",
        ),
    ];
    for (i, (r, want, file)) in cases.into_iter().enumerate() {
        let d = dest(f, &format!("{tag}-{i}"));
        let co = fetch(url, r.clone(), &d).unwrap_or_else(|e| panic!("{tag} {r:?}: {e}"));
        assert_eq!(co.revision, want, "{tag} {r:?}");
        assert_eq!(co.commit.len(), 40);
        assert_eq!(
            std::fs::read_to_string(d.join("file.txt")).unwrap(),
            file,
            "{tag} {r:?}"
        );
        assert!(co.raw_commit.starts_with(b"tree "), "raw commit bytes");
    }
}

#[test]
fn every_ref_kind_over_git_daemon() {
    let f = fixture();
    let d = git_daemon(&f.root);
    strategy_table(
        &f,
        &format!("git://127.0.0.1:{}/repo.git", d.port),
        "daemon",
    );
}

#[test]
fn every_ref_kind_over_smart_http() {
    let f = fixture();
    let s = http_server(&f.root, &[]);
    strategy_table(&f, &format!("http://127.0.0.1:{}/repo.git", s.port), "http");
}

#[test]
fn every_ref_kind_over_file_url_and_path() {
    let f = fixture();
    let path = f.root.join("repo.git");
    strategy_table(&f, &format!("file://{}", path.display()), "fileurl");
    let co = fetch(
        path.to_str().unwrap(),
        GitRef::branch("staging"),
        &dest(&f, "path"),
    )
    .unwrap();
    assert_eq!(
        co.revision,
        format!("staging@sha1:{}", f.commits["staging"])
    );
}

#[test]
fn annotated_tag_object_and_peeled_commit() {
    let f = fixture();
    let url = format!("file://{}", f.root.join("repo.git").display());
    let co = fetch(
        &url,
        GitRef {
            tag: Some("0.2.0".into()),
            ..Default::default()
        },
        &dest(&f, "annot"),
    )
    .unwrap();
    // Revision carries the commit, not the tag object.
    assert_eq!(co.commit, f.commits["0.2.0"]);
    let (name, raw) = co.raw_tag.expect("annotated tag bytes");
    assert_eq!(name, "0.2.0");
    assert!(String::from_utf8_lossy(&raw).contains(&format!("object {}", f.commits["0.2.0"])));
    let light = fetch(
        &url,
        GitRef {
            tag: Some("v1.1.0".into()),
            ..Default::default()
        },
        &dest(&f, "light"),
    )
    .unwrap();
    assert!(light.raw_tag.is_none());
    // Shallow: only one commit fetched.
    let shallow =
        std::fs::read_to_string(dest(&f, "annot").join(".git/shallow")).unwrap_or_default();
    assert!(
        shallow.contains(&f.commits["0.2.0"]),
        "depth 1 clone: {shallow:?}"
    );
}

#[test]
fn missing_refs_and_bad_refs_have_upstream_texts() {
    let f = fixture();
    let d = git_daemon(&f.root);
    let url = format!("git://127.0.0.1:{}/repo.git", d.port);
    let e = fetch(&url, GitRef::branch("nope"), &dest(&f, "m1")).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "unable to clone: couldn't find remote ref 'refs/heads/nope': git repository: '{url}'"
        )
    );
    assert_eq!(e.code(), "git.ref_not_found");
    let e = fetch(
        &url,
        GitRef {
            tag: Some("v9".into()),
            ..Default::default()
        },
        &dest(&f, "m2"),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("couldn't find remote ref 'refs/tags/v9'"),
        "{e}"
    );
    let e = fetch(
        &url,
        GitRef {
            name: Some("refs/heads/nope".into()),
            ..Default::default()
        },
        &dest(&f, "m3"),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "unable to resolve ref 'refs/heads/nope' to a specific commit"
    );
    let e = fetch(
        &url,
        GitRef {
            name: Some("/refs/heads/x".into()),
            ..Default::default()
        },
        &dest(&f, "m4"),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "ref /refs/heads/x is invalid; Git refs cannot begin or end with a slash '/'"
    );
    let e = fetch(
        &url,
        GitRef {
            semver: Some(">=9.0.0".into()),
            ..Default::default()
        },
        &dest(&f, "m5"),
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "no match found for semver: >=9.0.0");
    let e = fetch(
        &url,
        GitRef {
            semver: Some("!!1".into()),
            ..Default::default()
        },
        &dest(&f, "m6"),
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("semver parse error: "), "{e}");
    let missing = "0123456789abcdef0123456789abcdef01234567";
    let e = fetch(
        &url,
        GitRef {
            commit: Some(missing.into()),
            ..Default::default()
        },
        &dest(&f, "m7"),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("unable to resolve commit object for '{missing}': object not found")
    );
    // A non-semver tag is fetchable by name but never a semver candidate.
    let co = fetch(
        &url,
        GitRef {
            tag: Some("non-semver-tag".into()),
            ..Default::default()
        },
        &dest(&f, "m8"),
    )
    .unwrap();
    assert_eq!(
        co.revision,
        format!("non-semver-tag@sha1:{}", f.commits["non-semver-tag"])
    );
}

#[test]
fn empty_repository() {
    let f = fixture();
    let s = http_server(&f.root, &[]);
    let url = format!("http://127.0.0.1:{}/empty.git", s.port);
    let e = fetch(&url, GitRef::default(), &dest(&f, "e1")).unwrap_err();
    assert_eq!(e.to_string(), "git repository is empty");
    assert_eq!(e.code(), "git.empty_repository");
}

#[test]
fn semver_ties_follow_committer_time() {
    let tmp = Tmp::new("semtie");
    let work = tmp.path().join("w");
    std::fs::create_dir_all(&work).unwrap();
    git(&work, &["init", "-q", "-b", "master"]);
    // build-3 is on the latest commit although tagged first.
    commit(&work, &[("f", "1")], "1", 1_000);
    git(&work, &["tag", "v0.0.1"]);
    let c2 = commit(&work, &[("f", "2")], "2", 2_000);
    git(&work, &["tag", "-a", "v0.1.0+build-1", "-m", "b1"]);
    commit(&work, &[("f", "3")], "3", 3_000);
    git(&work, &["tag", "v0.1.0+build-2"]);
    let c4 = commit(&work, &[("f", "4")], "4", 4_000);
    git(&work, &["tag", "v0.1.0+build-3"]);
    commit(&work, &[("f", "5")], "5", 5_000);
    git(&work, &["tag", "0.2.0"]);
    let url = format!("file://{}", work.display());
    let out = tmp.path().join("o");
    let co = fetch(
        &url,
        GitRef {
            semver: Some("<0.2.0".into()),
            ..Default::default()
        },
        &out.join("a"),
    )
    .unwrap();
    assert_eq!(co.revision, format!("v0.1.0+build-3@sha1:{c4}"));
    let co = fetch(
        &url,
        GitRef {
            semver: Some(">0.1.0".into()),
            ..Default::default()
        },
        &out.join("b"),
    )
    .unwrap();
    assert!(co.revision.starts_with("0.2.0@sha1:"));
    let _ = c2;
}

#[test]
fn basic_auth_right_and_wrong_credentials() {
    let f = fixture();
    let s = http_server(&f.root, &["--auth", "flux:Sup3rSecretPw"]);
    let url = format!("http://127.0.0.1:{}/repo.git", s.port);
    let mut o = FetchOptions::new(&url);
    o.auth = Auth {
        username: Some("flux".into()),
        password: Some("Sup3rSecretPw".into()),
        ..Default::default()
    };
    let co = checkout(o, &dest(&f, "auth-ok")).unwrap();
    assert_eq!(co.revision, format!("master@sha1:{}", f.commits["master"]));

    let mut o = FetchOptions::new(&url);
    o.auth = Auth {
        username: Some("flux".into()),
        password: Some("WrongPassw0rd".into()),
        ..Default::default()
    };
    let e = checkout(o, &dest(&f, "auth-bad")).unwrap_err();
    let text = format!("{e} {e:?}");
    assert!(!text.contains("WrongPassw0rd"), "{text}");
    assert_eq!(e.code(), "git.transport", "{e}");

    let e = checkout(FetchOptions::new(&url), &dest(&f, "auth-none")).unwrap_err();
    assert_eq!(e.code(), "git.transport", "{e}");

    // A bearer token is sent as a header (this server wants basic auth: refused, token not shown).
    let mut o = FetchOptions::new(&url);
    o.auth = Auth {
        bearer_token: Some("TokenValue123".into()),
        ..Default::default()
    };
    let e = checkout(o, &dest(&f, "auth-bearer")).unwrap_err();
    assert!(!format!("{e} {e:?}").contains("TokenValue123"));
}

#[test]
fn url_with_credentials_is_refused_and_redacted() {
    let e = checkout(
        FetchOptions::new("http://flux:Hunter22@127.0.0.1:1/repo.git"),
        &std::env::temp_dir().join("fluxcd-core-never-created"),
    )
    .unwrap_err();
    assert_eq!(e.code(), "git.url_credentials");
    assert!(!e.to_string().contains("Hunter22"), "{e}");
    assert!(
        e.to_string().contains("http://***@127.0.0.1:1/repo.git"),
        "{e}"
    );
    assert!(!std::env::temp_dir()
        .join("fluxcd-core-never-created")
        .exists());
}

#[test]
fn server_stopping_mid_pack_is_an_error() {
    let f = fixture();
    let s = http_server(&f.root, &["--cut-after", "200"]);
    let url = format!("http://127.0.0.1:{}/repo.git", s.port);
    let e = fetch(&url, GitRef::default(), &dest(&f, "cut")).unwrap_err();
    assert_eq!(e.code(), "git.transport", "{e}");
}

#[test]
fn stalled_server_times_out() {
    let f = fixture();
    let s = http_server(&f.root, &["--stall"]);
    let mut o = FetchOptions::new(&format!("http://127.0.0.1:{}/repo.git", s.port));
    o.timeout = Duration::from_secs(2);
    let e = checkout(o, &dest(&f, "stall")).unwrap_err();
    assert_eq!(e.code(), "git.timeout", "{e}");
}

#[test]
fn progress_reports_objects_and_bytes() {
    let f = fixture();
    let s = http_server(&f.root, &[]);
    let mut seen: Vec<Progress> = Vec::new();
    let mut cb = |p: Progress| seen.push(p);
    let mut o = FetchOptions::new(&format!("http://127.0.0.1:{}/repo.git", s.port));
    o.progress = Some(&mut cb);
    checkout(o, &dest(&f, "prog")).unwrap();
    let last = seen.last().expect("progress reports");
    assert_eq!(last.phase, "done");
    assert!(last.objects > 0 && last.bytes > 0, "{last:?}");
}

#[test]
fn size_limit_stops_the_checkout() {
    let tmp = Tmp::new("big");
    let work = tmp.path().join("w");
    std::fs::create_dir_all(&work).unwrap();
    git(&work, &["init", "-q", "-b", "master"]);
    let big: String = (0..200_000)
        .map(|i| char::from(b'a' + (i * 7 % 26) as u8))
        .collect();
    commit(&work, &[("big.txt", &big)], "big", 1);
    let mut o = FetchOptions::new(&format!("file://{}", work.display()));
    o.max_size = Some(50_000);
    let e = checkout(o, &tmp.path().join("o")).unwrap_err();
    assert_eq!(e.code(), "git.too_large", "{e}");
}

#[test]
fn symlinks_are_written_as_links_never_followed() {
    let tmp = Tmp::new("links");
    let work = tmp.path().join("w");
    std::fs::create_dir_all(&work).unwrap();
    git(&work, &["init", "-q", "-b", "master"]);
    std::os::unix::fs::symlink("/etc/passwd", work.join("passwd")).unwrap();
    std::os::unix::fs::symlink("../../outside", work.join("up")).unwrap();
    commit(
        &work,
        &[("a.yaml", "a: 1\n"), ("bin/run.sh", "#!/bin/sh\n")],
        "links",
        1,
    );
    let out = tmp.path().join("o");
    let co = fetch(
        &format!("file://{}", work.display()),
        GitRef::default(),
        &out,
    )
    .unwrap();
    assert_eq!(co.files, 2);
    assert!(std::fs::symlink_metadata(out.join("passwd"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(!tmp.path().join("outside").exists());
}

#[test]
fn sparse_checkout_writes_only_the_listed_dirs() {
    let f = fixture();
    let mut o = FetchOptions::new(&format!("file://{}", f.root.join("repo.git").display()));
    o.sparse_checkout = vec!["./deploy".into()];
    let d = dest(&f, "sparse");
    checkout(o, &d).unwrap();
    assert!(d.join("deploy/app.yaml").exists());
    assert!(!d.join("file.txt").exists());
}

#[test]
fn ssh_deploy_key_against_a_real_sshd() {
    let f = fixture();
    let keys = f.scratch.join("sshd");
    std::fs::create_dir_all(&keys).unwrap();
    let sshd = match sshd(&keys) {
        Ok(s) => s,
        Err(why) => {
            eprintln!("SKIPPED ssh_deploy_key_against_a_real_sshd: {why}");
            return;
        }
    };
    let url = format!(
        "ssh://{}@127.0.0.1:{}{}",
        sshd.user,
        sshd.server.port,
        f.root.join("repo.git").display()
    );
    let ssh_dirs = || -> usize {
        std::fs::read_dir(std::env::temp_dir())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("fluxcd-core-ssh-{}-", std::process::id()))
            })
            .count()
    };
    let mut o = FetchOptions::new(&url);
    o.reference = GitRef {
        tag: Some("v1.1.0".into()),
        ..Default::default()
    };
    o.auth = Auth {
        identity: Some(sshd.client_key.clone()),
        known_hosts: Some(sshd.known_hosts.clone()),
        ..Default::default()
    };
    let co = checkout(o, &dest(&f, "ssh-ok")).unwrap();
    assert_eq!(co.revision, format!("v1.1.0@sha1:{}", f.commits["v1.1.0"]));
    // A host key that is not the server's is refused.
    let mut o = FetchOptions::new(&url);
    o.auth = Auth {
        identity: Some(sshd.client_key.clone()),
        known_hosts: Some(sshd.wrong_known_hosts.clone()),
        ..Default::default()
    };
    let e = checkout(o, &dest(&f, "ssh-wrong-host")).unwrap_err();
    assert_eq!(e.code(), "git.transport", "{e}");
    // No identity: the upstream validation text.
    let mut o = FetchOptions::new(&url);
    o.auth = Auth {
        known_hosts: Some(sshd.known_hosts.clone()),
        ..Default::default()
    };
    let e = checkout(o, &dest(&f, "ssh-noid")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid 'ssh' auth option: 'identity' is required"
    );
    // The key and known_hosts files are gone after each fetch.
    assert_eq!(ssh_dirs(), 0, "temporary ssh files left behind");
}

//! Test support: git repositories built with the git CLI in temp dirs, served
//! for real on 127.0.0.1 by `git daemon` and by git-http-backend behind
//! `git_http_server.py`.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A temp dir removed on drop.
pub struct Tmp(pub PathBuf);

impl Tmp {
    pub fn new(tag: &str) -> Tmp {
        use std::sync::atomic::{AtomicU64, Ordering};
        static N: AtomicU64 = AtomicU64::new(0);
        let p = std::env::temp_dir().join(format!(
            "fluxcd-core-test-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Tmp(p)
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Tmp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs git in `dir` with a hermetic config; returns trimmed stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    git_env(dir, args, &[])
}

pub fn git_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut c = Command::new("git");
    c.current_dir(dir)
        .args([
            "-c",
            "user.name=Flux Test",
            "-c",
            "user.email=test@example.com",
        ])
        .args([
            "-c",
            "init.defaultBranch=master",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", "2024-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2024-01-01T00:00:00Z");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Writes `files` into the work tree `dir` and commits them at `time` (seconds).
pub fn commit(dir: &Path, files: &[(&str, &str)], msg: &str, time: i64) -> String {
    for (name, content) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
    }
    git(dir, &["add", "-A"]);
    let date = format!("@{time} +0000");
    git_env(
        dir,
        &["commit", "-q", "--allow-empty", "-m", msg],
        &[("GIT_AUTHOR_DATE", &date), ("GIT_COMMITTER_DATE", &date)],
    );
    git(dir, &["rev-parse", "HEAD"])
}

/// A bare copy of the work repo `work` at `root/<name>.git`; returns its path.
pub fn bare(work: &Path, root: &Path, name: &str) -> PathBuf {
    let dest = root.join(format!("{name}.git"));
    git(
        root,
        &[
            "clone",
            "-q",
            "--bare",
            "--mirror",
            work.to_str().unwrap(),
            dest.to_str().unwrap(),
        ],
    );
    // Let git daemon and http-backend serve it; allow fetching any commit.
    git(&dest, &["config", "uploadpack.allowAnySHA1InWant", "true"]);
    dest
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_port(port: u16) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(15) {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("server on port {port} did not start");
}

/// A running server, killed on drop.
pub struct Server {
    pub child: Child,
    pub port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `git daemon` exporting every repository under `root`; URL `git://127.0.0.1:<port>/<name>.git`.
pub fn git_daemon(root: &Path) -> Server {
    for _ in 0..5 {
        let port = free_port();
        let child = Command::new("git")
            .args([
                "daemon",
                "--export-all",
                "--reuseaddr",
                "--listen=127.0.0.1",
                &format!("--port={port}"),
                &format!("--base-path={}", root.display()),
                root.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("git daemon starts");
        let mut s = Server { child, port };
        std::thread::sleep(Duration::from_millis(100));
        if s.child.try_wait().ok().flatten().is_none() {
            wait_port(port);
            return s;
        }
        let _ = s.child.kill();
    }
    panic!("git daemon did not start");
}

/// The smart-HTTP server (git-http-backend) serving `root`, with extra flags
/// (`--auth u:p`, `--cut-after N`, `--stall`); URL `http://127.0.0.1:<port>/<name>.git`.
pub fn http_server(root: &Path, flags: &[&str]) -> Server {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/git_http_server.py");
    let script = if script.exists() {
        script
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../flux-core/tests/support/git_http_server.py")
    };
    let mut child = Command::new("python3")
        .arg(script)
        .arg(root)
        .args(flags)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("python3 runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .trim()
        .strip_prefix("PORT ")
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("bad server banner {line:?}"));
    Server { child, port }
}

/// The source-controller checkoutStrategy fixture (semantics §5.3): tags
/// `non-semver-tag, v0.1.0, 0.2.0, v0.2.1, v1.0.0-alpha, v1.1.0, v2.0.0` (the
/// first three annotated), branch `staging`, ref `refs/pull/420/head`.
/// Returns (work dir, map of name -> commit hash).
pub fn strategy_fixture(work: &Path) -> std::collections::BTreeMap<String, String> {
    let mut m = std::collections::BTreeMap::new();
    git(work, &["init", "-q", "-b", "master"]);
    let mut t = 1_700_000_000;
    let tags = [
        "non-semver-tag",
        "v0.1.0",
        "0.2.0",
        "v0.2.1",
        "v1.0.0-alpha",
        "v1.1.0",
        "v2.0.0",
    ];
    for (i, tag) in tags.iter().enumerate() {
        t += 60;
        let c = commit(
            work,
            &[
                ("file.txt", &format!("{tag}\n")),
                ("deploy/app.yaml", &format!("v: {i}\n")),
            ],
            tag,
            t,
        );
        if i < 3 {
            git(work, &["tag", "-a", tag, "-m", &format!("annotated {tag}")]);
        } else {
            git(work, &["tag", tag]);
        }
        m.insert(tag.to_string(), c);
    }
    t += 60;
    let head = commit(work, &[("file.txt", "master\n")], "master head", t);
    m.insert("master".into(), head);
    git(work, &["checkout", "-q", "-b", "staging"]);
    t += 60;
    let staging = commit(work, &[("staging.txt", "staging\n")], "staging", t);
    m.insert("staging".into(), staging);
    t += 60;
    let pr = commit(work, &[("pr.txt", "pr\n")], "pull request", t);
    git(work, &["update-ref", "refs/pull/420/head", &pr]);
    git(work, &["reset", "-q", "--hard", "staging~0"]);
    git(work, &["reset", "-q", "--hard", &m["staging"]]);
    git(work, &["checkout", "-q", "master"]);
    m.insert("pull".into(), pr);
    m
}

/// A real sshd on 127.0.0.1 with its own host key, config and authorized client key,
/// letting the current user in. `None` (with the reason) when sshd cannot run here.
pub struct Sshd {
    pub server: Server,
    pub user: String,
    /// The client's private key (OpenSSH format).
    pub client_key: Vec<u8>,
    /// A known_hosts line for the server.
    pub known_hosts: Vec<u8>,
    /// A known_hosts line with another key (a wrong host).
    pub wrong_known_hosts: Vec<u8>,
}

pub fn sshd(dir: &Path) -> Result<Sshd, String> {
    let sshd_bin = Path::new("/usr/sbin/sshd");
    if !sshd_bin.exists() {
        return Err("/usr/sbin/sshd is not installed (apt-get install openssh-server)".into());
    }
    let user = Command::new("id")
        .arg("-un")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .map_err(|e| e.to_string())?;
    // Running as root, sshd wants its privilege separation directory.
    if user == "root" && !Path::new("/run/sshd").exists() {
        std::fs::create_dir_all("/run/sshd")
            .map_err(|e| format!("cannot create /run/sshd: {e}"))?;
    }
    for name in ["host", "client", "other"] {
        let st = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-f"])
            .arg(dir.join(name))
            .status()
            .map_err(|e| format!("ssh-keygen: {e}"))?;
        if !st.success() {
            return Err("ssh-keygen failed".into());
        }
    }
    std::fs::copy(dir.join("client.pub"), dir.join("authorized_keys"))
        .map_err(|e| e.to_string())?;
    let port = free_port();
    let cfg = format!(
        "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host\nPidFile {d}/sshd.pid\nAuthorizedKeysFile {d}/authorized_keys\n\
         StrictModes no\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
         UsePAM no\nPermitRootLogin prohibit-password\n",
        d = dir.display()
    );
    std::fs::write(dir.join("sshd_config"), cfg).map_err(|e| e.to_string())?;
    let child = Command::new(sshd_bin)
        .args(["-D", "-e", "-f"])
        .arg(dir.join("sshd_config"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("sshd: {e}"))?;
    let mut server = Server { child, port };
    let start = Instant::now();
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        if let Ok(Some(st)) = server.child.try_wait() {
            return Err(format!("sshd exited at start ({st}) as user {user}"));
        }
        if start.elapsed() > Duration::from_secs(10) {
            let _ = server.child.kill();
            return Err("sshd did not listen within 10s".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let host_pub = std::fs::read_to_string(dir.join("host.pub")).map_err(|e| e.to_string())?;
    let other_pub = std::fs::read_to_string(dir.join("other.pub")).map_err(|e| e.to_string())?;
    let line = |p: &str| {
        let mut it = p.split_whitespace();
        format!(
            "[127.0.0.1]:{port} {} {}\n",
            it.next().unwrap_or(""),
            it.next().unwrap_or("")
        )
        .into_bytes()
    };
    Ok(Sshd {
        known_hosts: line(&host_pub),
        wrong_known_hosts: line(&other_pub),
        client_key: std::fs::read(dir.join("client")).map_err(|e| e.to_string())?,
        user,
        server,
    })
}

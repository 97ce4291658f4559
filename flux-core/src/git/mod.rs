//! Fetching GitRepository sources with [gix](https://github.com/GitoxideLabs/gitoxide):
//! local paths, `file://`, `git://`, smart HTTP(S) (reqwest + rustls) and
//! `ssh://` (the system `ssh` with a deploy key from the secret), with
//! source-controller's reference precedence (§5.2), revision strings (§5.3),
//! a timeout, shallow clones and progress reports.
//!
//! ```no_run
//! use std::path::Path;
//! use fluxcd_core::git::{checkout, FetchOptions, refs::GitRef};
//!
//! let mut opts = FetchOptions::new("https://github.com/stefanprodan/podinfo");
//! opts.reference = GitRef { tag: Some("6.7.0".into()), ..Default::default() };
//! let co = checkout(opts, Path::new("/tmp/podinfo")).unwrap();
//! assert!(co.revision.starts_with("6.7.0@sha1:"));
//! ```
#![deny(missing_docs)]

mod artifact;
pub mod auth;
mod progress;
pub mod refs;
pub mod revision;
pub mod worktree;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

pub use artifact::{
    fetch_artifact, name_from_url, verify, ArtifactSpec, FetchResult, Include, Verify,
};
use auth::{redact_url, scheme_of, scrub, url_has_credentials, Scheme};
pub use auth::{Auth, AuthError};
pub use progress::Progress;
use refs::{GitRef, Strategy, TagCandidate};

/// The default timeout of a fetch (source-controller's `spec.timeout` default).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a fetch failed. `Display` never holds a credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GitError {
    /// The URL cannot be used (unsupported scheme, unparsable).
    #[error("invalid URL '{url}': {reason}")]
    InvalidUrl {
        /// The URL, redacted.
        url: String,
        /// Why.
        reason: String,
    },
    /// The URL carries credentials (they belong in the secret).
    #[error("URL cannot contain credentials: '{0}' (put them in the secret: username/password or bearerToken)")]
    UrlCredentials(String),
    /// The credentials in the secret cannot be used.
    #[error("{0}")]
    Auth(AuthError),
    /// `spec.ref.name` starts or ends with `/` (upstream text).
    #[error("{0}")]
    InvalidRef(String),
    /// The reference does not exist on the remote (upstream text).
    #[error("{0}")]
    RefNotFound(String),
    /// The remote repository has no commit.
    #[error("git repository is empty")]
    EmptyRepository,
    /// `spec.ref.semver` does not parse: `semver parse error: ...`.
    #[error("semver parse error: {0}")]
    SemverParse(String),
    /// No tag satisfies `spec.ref.semver`: `no match found for semver: ...`.
    #[error("no match found for semver: {0}")]
    NoSemverMatch(String),
    /// The transport failed (connection, authentication, protocol, a pack cut short).
    #[error("unable to clone '{url}': {message}")]
    Transport {
        /// The URL, redacted.
        url: String,
        /// The transport's message, scrubbed of secrets.
        message: String,
    },
    /// The fetch did not finish in time.
    #[error("fetch of '{url}' timed out after {seconds}s")]
    Timeout {
        /// The URL, redacted.
        url: String,
        /// The timeout.
        seconds: u64,
    },
    /// More bytes than the size limit.
    #[error("{what} exceeds the size limit of {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
        /// What exceeded it.
        what: String,
    },
    /// A tree entry would write outside the checkout (`..`, `.git`, a path through a symlink).
    #[error("refusing to check out unsafe path '{0}'")]
    UnsafePath(String),
    /// The fetched objects cannot be read or checked out.
    #[error("checkout failed: {0}")]
    Checkout(String),
    /// A file system operation failed.
    #[error("{0}")]
    Io(String),
    /// The operation was interrupted.
    #[error("interrupted")]
    Interrupted,
    /// `spec.verify` failed (the signature module's code and message).
    #[error("{message}")]
    Verification {
        /// The `signature.*` code.
        code: &'static str,
        /// source-controller's message.
        message: String,
    },
    /// Include, sparse check or archive failed (the artifact module's code and message).
    #[error("{message}")]
    Artifact {
        /// The `artifact.*` code.
        code: &'static str,
        /// The message.
        message: String,
    },
}

impl GitError {
    /// The stable dotted code (see `docs/error-codes.md`).
    pub fn code(&self) -> &'static str {
        match self {
            GitError::InvalidUrl { .. } => "git.invalid_url",
            GitError::UrlCredentials(_) => "git.url_credentials",
            GitError::Auth(_) => "git.auth",
            GitError::InvalidRef(_) => "git.invalid_ref",
            GitError::RefNotFound(_) => "git.ref_not_found",
            GitError::EmptyRepository => "git.empty_repository",
            GitError::SemverParse(_) => "git.semver_parse",
            GitError::NoSemverMatch(_) => "git.semver_no_match",
            GitError::Transport { .. } => "git.transport",
            GitError::Timeout { .. } => "git.timeout",
            GitError::TooLarge { .. } => "git.too_large",
            GitError::UnsafePath(_) => "git.unsafe_path",
            GitError::Checkout(_) => "git.checkout",
            GitError::Io(_) => "git.io",
            GitError::Interrupted => "git.interrupted",
            GitError::Verification { code, .. } | GitError::Artifact { code, .. } => code,
        }
    }
}

/// What to fetch and how.
pub struct FetchOptions<'a> {
    /// The repository URL: a path, `file://`, `git://`, `http(s)://`, `ssh://` or `user@host:path`.
    pub url: String,
    /// `spec.ref`.
    pub reference: GitRef,
    /// Credentials (see [`Auth::from_secret`]).
    pub auth: Auth,
    /// Timeout of the whole fetch (default 60 s).
    pub timeout: Duration,
    /// History depth: `None` = upstream's choice (1, full history for a commit), `Some(0)` = full.
    pub depth: Option<u32>,
    /// Called with progress reports (objects and bytes received) on the calling thread.
    pub progress: Option<&'a mut dyn FnMut(Progress)>,
    /// Limit on the bytes received and on the bytes checked out.
    pub max_size: Option<u64>,
    /// `spec.sparseCheckout`: only these directories are checked out.
    pub sparse_checkout: Vec<String>,
}

impl<'a> FetchOptions<'a> {
    /// Options for `url` with the defaults (branch `master`, 60 s, shallow).
    pub fn new(url: &str) -> FetchOptions<'a> {
        FetchOptions {
            url: url.to_string(),
            reference: GitRef::default(),
            auth: Auth::default(),
            timeout: DEFAULT_TIMEOUT,
            depth: None,
            progress: None,
            max_size: None,
            sparse_checkout: Vec::new(),
        }
    }
}

/// A checked-out commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkout {
    /// The commit hash (40 hex).
    pub commit: String,
    /// The full reference it was reached by (`refs/heads/main`), if any.
    pub reference: Option<String>,
    /// The artifact revision (§5.3): `main@sha1:<h>`, `v1.0.0@sha1:<h>`, `sha1:<h>`, `refs/pull/1/head@sha1:<h>`.
    pub revision: String,
    /// The commit object's bytes (header and message, signature included).
    pub raw_commit: Vec<u8>,
    /// For an annotated tag: its name and the tag object's bytes.
    pub raw_tag: Option<(String, Vec<u8>)>,
    /// Regular files written.
    pub files: usize,
}

/// Fetches the commit `opts.reference` designates and writes its tree to
/// `dest` (created if missing; it must not hold a `.git`). The repository
/// metadata stays in `dest/.git`.
pub fn checkout(mut opts: FetchOptions<'_>, dest: &Path) -> Result<Checkout, GitError> {
    let url = opts.url.trim().to_string();
    let shown = redact_url(&url);
    let scheme = scheme_of(&url).ok_or_else(|| GitError::InvalidUrl {
        url: shown.clone(),
        reason: "unsupported scheme (use a path, file://, git://, http(s):// or ssh://)".into(),
    })?;
    if url.is_empty() {
        return Err(GitError::InvalidUrl {
            url: shown,
            reason: "empty".into(),
        });
    }
    if url_has_credentials(&url) {
        return Err(GitError::UrlCredentials(shown));
    }
    if opts.auth.bearer_token.is_some() && opts.auth.has_basic() {
        return Err(GitError::Auth(AuthError::BasicAndBearer));
    }
    if scheme == Scheme::Ssh {
        if opts.auth.identity.is_none() {
            return Err(GitError::Auth(AuthError::MissingIdentity));
        }
        if opts.auth.known_hosts.is_none() {
            return Err(GitError::Auth(AuthError::MissingKnownHosts));
        }
    }
    let strategy = opts.reference.strategy();
    match &strategy {
        Strategy::RefName(n) => {
            if let Some(msg) = refs::invalid_ref_name(n) {
                return Err(GitError::InvalidRef(msg));
            }
        }
        Strategy::Semver(c) => {
            crate::semver::Constraints::parse(c)
                .map_err(|e| GitError::SemverParse(e.to_string()))?;
        }
        _ => {}
    }
    let timeout = if opts.timeout.is_zero() {
        DEFAULT_TIMEOUT
    } else {
        opts.timeout
    };
    let interrupt = Arc::new(AtomicBool::new(false));
    let shared = Arc::new(progress::Shared::default());
    let job = Job {
        url: url.clone(),
        scheme,
        strategy,
        auth: opts.auth.clone(),
        depth: opts.depth,
        max_size: opts.max_size,
        sparse: worktree::normalise_sparse(&opts.sparse_checkout),
        dest: dest.to_path_buf(),
        interrupt: interrupt.clone(),
        shared: shared.clone(),
    };
    let secrets = opts.auth.secret_values();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("fluxcd-core-git-fetch".into())
        .spawn(move || {
            let r = job.run();
            let _ = tx.send(r);
        })
        .map_err(|e| GitError::Io(format!("unable to start the fetch thread: {e}")))?;
    let deadline = Instant::now() + timeout;
    let mut last = (u64::MAX, u64::MAX);
    let mut too_large = None;
    let report = |phase: &str, opts: &mut FetchOptions<'_>, last: &mut (u64, u64), force: bool| {
        let (bytes, objects, total) = shared.snapshot();
        if let Some(cb) = opts.progress.as_mut() {
            if force || (bytes, objects) != *last {
                cb(Progress {
                    objects,
                    total_objects: (total > 0).then_some(total),
                    bytes,
                    phase: phase.to_string(),
                });
            }
        }
        *last = (bytes, objects);
        bytes
    };
    report("connecting", &mut opts, &mut last, true);
    loop {
        let now = Instant::now();
        let wait = deadline
            .saturating_duration_since(now)
            .min(Duration::from_millis(100));
        match rx.recv_timeout(wait) {
            Ok(result) => {
                report("done", &mut opts, &mut last, true);
                if let Some(e) = too_large {
                    return Err(e);
                }
                return result.map_err(|e| match e {
                    GitError::Transport { url, message } => GitError::Transport {
                        url,
                        message: scrub(&message, &secrets),
                    },
                    other => other,
                });
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let bytes = report("receiving", &mut opts, &mut last, false);
                if let Some(max) = opts.max_size {
                    if bytes > max && too_large.is_none() {
                        interrupt.store(true, Ordering::SeqCst);
                        too_large = Some(GitError::TooLarge {
                            limit: max,
                            what: "the fetched pack".into(),
                        });
                    }
                }
                if Instant::now() >= deadline {
                    interrupt.store(true, Ordering::SeqCst);
                    return Err(GitError::Timeout {
                        url: shown,
                        seconds: timeout.as_secs(),
                    });
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(GitError::Checkout(
                    "the fetch thread stopped unexpectedly".into(),
                ))
            }
        }
    }
}

struct Job {
    url: String,
    scheme: Scheme,
    strategy: Strategy,
    auth: Auth,
    depth: Option<u32>,
    max_size: Option<u64>,
    sparse: Vec<String>,
    dest: PathBuf,
    interrupt: Arc<AtomicBool>,
    shared: Arc<progress::Shared>,
}

/// A temporary file removed on drop (the SSH key and known_hosts).
struct TempFile(PathBuf);

impl TempFile {
    fn create(dir: &Path, name: &str, data: &[u8]) -> Result<TempFile, GitError> {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let path = dir.join(name);
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&path)
            .map_err(|e| GitError::Io(format!("unable to write a temporary file: {e}")))?;
        let mut data = data.to_vec();
        if name == "identity" && !data.ends_with(b"\n") {
            data.push(b'\n');
        }
        f.write_all(&data)
            .map_err(|e| GitError::Io(format!("unable to write a temporary file: {e}")))?;
        Ok(TempFile(path))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, GitError> {
        use std::os::unix::fs::DirBuilderExt;
        static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = N.fetch_add(1, Ordering::SeqCst);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let p = std::env::temp_dir().join(format!(
            "fluxcd-core-ssh-{}-{n}-{nanos}",
            std::process::id()
        ));
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&p)
            .map_err(|e| GitError::Io(format!("unable to create a temporary directory: {e}")))?;
        Ok(TempDir(p))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

impl Job {
    fn transport(&self, message: impl std::fmt::Display) -> GitError {
        GitError::Transport {
            url: redact_url(&self.url),
            message: message.to_string(),
        }
    }

    fn not_found(&self, message: String) -> GitError {
        GitError::RefNotFound(format!(
            "unable to clone: {message}: git repository: '{}'",
            redact_url(&self.url)
        ))
    }

    fn run(self) -> Result<Checkout, GitError> {
        std::fs::create_dir_all(&self.dest).map_err(|e| {
            GitError::Io(format!("unable to create '{}': {e}", self.dest.display()))
        })?;
        // SSH: the key and known_hosts live in a private temp dir for the duration of the fetch.
        let mut overrides: Vec<String> = vec![
            "protocol.allow=always".into(),
            "core.logAllRefUpdates=false".into(),
            "user.name=fluxcd-core".into(),
            "user.email=fluxcd-core@localhost".into(),
        ];
        let mut files = Vec::new();
        let ssh_dir = if self.scheme == Scheme::Ssh {
            let dir = TempDir::new()?;
            let key = TempFile::create(
                &dir.0,
                "identity",
                self.auth.identity.as_deref().unwrap_or_default(),
            )?;
            let kh = TempFile::create(
                &dir.0,
                "known_hosts",
                self.auth.known_hosts.as_deref().unwrap_or_default(),
            )?;
            let cmd = format!(
                "ssh -F /dev/null -i {} -o IdentitiesOnly=yes -o IdentityAgent=none -o UserKnownHostsFile={} -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes -o BatchMode=yes -o PasswordAuthentication=no -o LogLevel=ERROR",
                shell_quote(&key.0.to_string_lossy()),
                shell_quote(&kh.0.to_string_lossy())
            );
            overrides.push(format!("core.sshCommand={cmd}"));
            files.push(key);
            files.push(kh);
            Some(dir)
        } else {
            None
        };
        let result = self.fetch(overrides);
        drop(files);
        drop(ssh_dir);
        result
    }

    fn fetch(&self, overrides: Vec<String>) -> Result<Checkout, GitError> {
        use gix::remote::Direction;
        let open = gix::open::Options::isolated().config_overrides(overrides);
        let repo = gix::ThreadSafeRepository::init_opts(
            &self.dest,
            gix::create::Kind::WithWorktree,
            gix::create::Options::default(),
            open,
        )
        .map_err(|e| {
            GitError::Io(format!(
                "unable to initialise a repository in '{}': {}",
                self.dest.display(),
                chain(&e)
            ))
        })?
        .to_thread_local();

        let (specs, shallow_default): (Vec<String>, bool) = match &self.strategy {
            Strategy::Branch(b) => (
                vec![format!("+refs/heads/{b}:refs/remotes/origin/{b}")],
                true,
            ),
            Strategy::Tag(t) => (vec![format!("+refs/tags/{t}:refs/tags/{t}")], true),
            Strategy::Semver(_) => (vec!["+refs/tags/*:refs/tags/*".into()], true),
            Strategy::RefName(n) => (vec![format!("+{n}:refs/flux/checkout")], true),
            Strategy::Commit {
                branch: Some(b), ..
            } => (
                vec![format!("+refs/heads/{b}:refs/remotes/origin/{b}")],
                false,
            ),
            Strategy::Commit { branch: None, .. } => {
                (vec!["+refs/heads/*:refs/remotes/origin/*".into()], false)
            }
        };
        let depth = match self.depth {
            Some(0) => None,
            Some(d) => Some(d),
            None if shallow_default => Some(1),
            None => None,
        };
        let remote = repo
            .remote_at(self.url.as_str())
            .map_err(|e| GitError::InvalidUrl {
                url: redact_url(&self.url),
                reason: chain(&e),
            })?
            .with_fetch_tags(gix::remote::fetch::Tags::None)
            .with_refspecs(specs.iter().map(String::as_str), Direction::Fetch)
            .map_err(|e| self.bad_ref(chain(&e)))?;
        let mut conn = remote
            .connect(Direction::Fetch)
            .map_err(|e| self.transport(chain(&e)))?;
        if matches!(self.scheme, Scheme::Http | Scheme::Https) {
            let mut http = gix::protocol::transport::client::blocking_io::http::Options {
                connect_timeout: Some(Duration::from_secs(30)),
                ..Default::default()
            };
            if let Some(t) = &self.auth.bearer_token {
                http.extra_headers
                    .push(format!("Authorization: Bearer {t}"));
            } else if self.auth.has_basic() {
                use base64::Engine;
                let pair = format!(
                    "{}:{}",
                    self.auth.username.as_deref().unwrap_or_default(),
                    self.auth.password.as_deref().unwrap_or_default()
                );
                http.extra_headers.push(format!(
                    "Authorization: Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ));
            }
            conn = conn.with_transport_options(Box::new(http));
        }
        // Basic auth goes in a header too: like source-controller, credentials are sent over
        // plain http:// as well (gix itself refuses that through its credentials callback).
        // The callback below only answers a server that asks again: with an error, never a prompt.
        let conn = conn.with_credentials(move |_action| {
            Err(gix::error::message(
                "authentication required: the server refused the credentials (or none were given: set username/password or bearerToken in the secret)",
            )
            .into())
        });
        let tracker = progress::Tracker::root(self.shared.clone());
        let prepare = conn
            .prepare_fetch(
                tracker,
                gix::remote::ref_map::Options {
                    prefix_from_spec_as_filter_on_remote: false,
                    ..Default::default()
                },
            )
            .map_err(|e| self.transport(chain(&e)))?;
        let remote_refs: Vec<(String, gix::ObjectId, Option<gix::ObjectId>)> = prepare
            .ref_map()
            .remote_refs
            .iter()
            .filter_map(|r| {
                use gix::protocol::handshake::Ref;
                match r {
                    Ref::Peeled {
                        full_ref_name,
                        tag,
                        object,
                    } => Some((full_ref_name.to_string(), *object, Some(*tag))),
                    Ref::Direct {
                        full_ref_name,
                        object,
                    } => Some((full_ref_name.to_string(), *object, None)),
                    Ref::Symbolic {
                        full_ref_name,
                        object,
                        tag,
                        ..
                    } => Some((full_ref_name.to_string(), *object, *tag)),
                    Ref::Unborn { .. } => None,
                }
            })
            .collect();
        let has_mapping = !prepare.ref_map().mappings.is_empty();
        let empty = remote_refs.is_empty();
        // Reference checks before any object is transferred.
        match &self.strategy {
            Strategy::Branch(b) => {
                if empty {
                    return Err(GitError::EmptyRepository);
                }
                if !has_mapping {
                    return Err(
                        self.not_found(format!("couldn't find remote ref 'refs/heads/{b}'"))
                    );
                }
            }
            Strategy::Tag(t) => {
                if empty {
                    return Err(self.not_found("remote repository is empty".into()));
                }
                if !has_mapping {
                    return Err(self.not_found(format!("couldn't find remote ref 'refs/tags/{t}'")));
                }
            }
            Strategy::RefName(n) => {
                if !remote_refs.iter().any(|(name, _, _)| name == n) {
                    return Err(GitError::RefNotFound(format!(
                        "unable to resolve ref '{n}' to a specific commit"
                    )));
                }
            }
            Strategy::Semver(c) => {
                if empty {
                    return Err(self.not_found("remote repository is empty".into()));
                }
                if !has_mapping {
                    return Err(GitError::NoSemverMatch(c.clone()));
                }
            }
            Strategy::Commit { branch, .. } => {
                if empty {
                    return Err(self.not_found("remote repository is empty".into()));
                }
                if let (Some(b), false) = (branch, has_mapping) {
                    return Err(
                        self.not_found(format!("couldn't find remote ref 'refs/heads/{b}'"))
                    );
                }
            }
        }
        let mut prepare = prepare;
        if let Some(d) = depth.and_then(std::num::NonZeroU32::new) {
            prepare = prepare.with_shallow(gix::remote::fetch::Shallow::DepthAtRemote(d));
        }
        let tracker = progress::Tracker::root(self.shared.clone());
        prepare.receive(tracker, &self.interrupt).map_err(|e| {
            if self.interrupt.load(Ordering::SeqCst) {
                GitError::Interrupted
            } else {
                self.transport(chain(&e))
            }
        })?;

        // Resolve the commit.
        let (commit_id, reference, tag_obj): (
            gix::ObjectId,
            Option<String>,
            Option<(String, gix::ObjectId)>,
        ) = match &self.strategy {
            Strategy::Branch(b) => {
                let (_, id, _) =
                    find_ref(&remote_refs, &format!("refs/heads/{b}")).ok_or_else(|| {
                        self.not_found(format!("couldn't find remote ref 'refs/heads/{b}'"))
                    })?;
                (id, Some(format!("refs/heads/{b}")), None)
            }
            Strategy::Tag(t) => {
                let full = format!("refs/tags/{t}");
                let (_, id, tag) = find_ref(&remote_refs, &full)
                    .ok_or_else(|| self.not_found(format!("couldn't find remote ref '{full}'")))?;
                (id, Some(full), tag.map(|o| (t.clone(), o)))
            }
            Strategy::RefName(n) => {
                let (_, id, tag) = find_ref(&remote_refs, n).ok_or_else(|| {
                    GitError::RefNotFound(format!(
                        "unable to resolve ref '{n}' to a specific commit"
                    ))
                })?;
                let label = n.strip_prefix("refs/tags/").unwrap_or(n).to_string();
                (id, Some(n.clone()), tag.map(|o| (label, o)))
            }
            Strategy::Semver(c) => {
                let mut cands = Vec::new();
                for (name, id, _) in &remote_refs {
                    let Some(short) = name.strip_prefix("refs/tags/") else {
                        continue;
                    };
                    if short.ends_with("^{}") {
                        continue;
                    }
                    let time = peel_commit(&repo, *id)
                        .ok()
                        .and_then(|cid| repo.find_commit(cid).ok())
                        .and_then(|co| co.committer().ok().map(|s| s.seconds()))
                        .unwrap_or(0);
                    cands.push(TagCandidate {
                        name: short.to_string(),
                        commit_time: time,
                    });
                }
                let chosen = refs::select_semver(c, &cands).map_err(|e| match e {
                    refs::SelectError::Parse(m) => GitError::SemverParse(m),
                    refs::SelectError::NoMatch(m) => GitError::NoSemverMatch(m),
                })?;
                let full = format!("refs/tags/{chosen}");
                let (_, id, tag) = find_ref(&remote_refs, &full)
                    .ok_or_else(|| self.not_found(format!("couldn't find remote ref '{full}'")))?;
                (id, Some(full), tag.map(|o| (chosen.clone(), o)))
            }
            Strategy::Commit {
                commit,
                branch,
                name,
            } => {
                let id = gix::ObjectId::from_hex(commit.as_bytes()).map_err(|_| {
                    GitError::RefNotFound(format!(
                        "unable to resolve commit object for '{commit}': object not found"
                    ))
                })?;
                let reference = name
                    .clone()
                    .or_else(|| branch.as_ref().map(|b| format!("refs/heads/{b}")));
                (id, reference, None)
            }
        };
        let commit_id = peel_commit(&repo, commit_id).map_err(|_| match &self.strategy {
            Strategy::Commit { commit, .. } => GitError::RefNotFound(format!(
                "unable to resolve commit object for '{commit}': object not found"
            )),
            _ => GitError::Checkout(format!("unable to resolve commit object for '{commit_id}'")),
        })?;
        let commit = repo.find_commit(commit_id).map_err(|e| {
            GitError::Checkout(format!("unable to read commit {commit_id}: {}", chain(&e)))
        })?;
        let raw_commit = commit.data.clone();
        let tree_id = commit
            .tree_id()
            .map_err(|e| {
                GitError::Checkout(format!(
                    "unable to read the tree of {commit_id}: {}",
                    chain(&e)
                ))
            })?
            .detach();
        let raw_tag = match tag_obj {
            Some((label, id)) => match repo.find_object(id) {
                Ok(o) if o.kind == gix::objs::Kind::Tag => Some((label, o.data.clone())),
                _ => None,
            },
            None => None,
        };
        drop(commit);
        let mut writer = worktree::Writer {
            repo: &repo,
            sparse: self.sparse.clone(),
            max_size: self.max_size,
            interrupt: &self.interrupt,
            written: 0,
            files: 0,
        };
        writer.write_tree(tree_id, &self.dest, "")?;
        let files = writer.files;
        let hex = commit_id.to_string();
        let revision = match (&self.strategy, &reference) {
            (Strategy::RefName(_), Some(r)) => revision::absolute_reference(r, &hex),
            (Strategy::Commit { name: Some(_), .. }, Some(r)) => {
                revision::absolute_reference(r, &hex)
            }
            (_, r) => revision::commit_string(r.as_deref().unwrap_or(""), &hex),
        };
        Ok(Checkout {
            commit: hex,
            reference,
            revision,
            raw_commit,
            raw_tag,
            files,
        })
    }

    fn bad_ref(&self, message: String) -> GitError {
        match &self.strategy {
            Strategy::RefName(n) => GitError::InvalidRef(format!("ref {n} is invalid: {message}")),
            _ => GitError::InvalidRef(format!("invalid reference: {message}")),
        }
    }
}

/// The messages of an error and its causes, joined with `: ` (duplicates dropped).
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        let text = err.to_string();
        let text = text.lines().next().unwrap_or("").trim().to_string();
        if !text.is_empty() && !parts.iter().any(|p| p == &text) {
            parts.push(text);
        }
        cur = err.source();
    }
    parts.join(": ")
}

fn find_ref<'r>(
    refs: &'r [(String, gix::ObjectId, Option<gix::ObjectId>)],
    name: &str,
) -> Option<(&'r str, gix::ObjectId, Option<gix::ObjectId>)> {
    refs.iter()
        .find(|(n, _, _)| n == name)
        .map(|(n, o, t)| (n.as_str(), *o, *t))
}

/// Follows tag objects down to a commit.
fn peel_commit(repo: &gix::Repository, id: gix::ObjectId) -> Result<gix::ObjectId, ()> {
    let obj = repo.find_object(id).map_err(|_| ())?;
    let commit = obj.peel_to_kind(gix::objs::Kind::Commit).map_err(|_| ())?;
    Ok(commit.id)
}

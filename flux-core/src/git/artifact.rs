//! `fetch_artifact`: a GitRepository's whole reconcile of its source, as
//! source-controller orders it — checkout → `spec.verify` → `spec.include` →
//! sparse check → archive to `gitrepository/<ns>/<name>/<commit>.tar.gz`.
//!
//! ```no_run
//! use std::path::Path;
//! use fluxcd_core::git::{fetch_artifact, ArtifactSpec, FetchOptions};
//!
//! let spec = ArtifactSpec { namespace: "flux-system".into(), name: "podinfo".into(), ..Default::default() };
//! let r = fetch_artifact(&spec, FetchOptions::new("https://github.com/stefanprodan/podinfo"), Path::new("/tmp/store")).unwrap();
//! assert!(r.storage_path.starts_with("gitrepository/flux-system/podinfo/"));
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{checkout, FetchOptions, GitError};
use crate::artifact::{self, ArchiveOptions};

/// An entry of `spec.include`: another GitRepository's artifact (a `.tar.gz`
/// file or a directory) copied into the checkout.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Include {
    /// `repository.name` (used in messages and as the default `toPath`).
    pub name: String,
    /// The included artifact: a `.tar.gz` file or a directory.
    pub artifact: PathBuf,
    /// `fromPath` (default: the artifact root).
    pub from_path: Option<String>,
    /// `toPath` (default: `name`).
    pub to_path: Option<String>,
}

/// `spec.verify`: the mode and the verification Secret's data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verify {
    /// `HEAD`, `Tag` or `TagAndHEAD` (any other value reads as `HEAD`).
    pub mode: String,
    /// The Secret's data: `.asc` keys are PGP keyrings, `.sshpub` keys SSH authorized_keys.
    pub keys: BTreeMap<String, Vec<u8>>,
}

/// The parts of a GitRepository spec beyond the fetch itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArtifactSpec {
    /// `metadata.namespace` (storage path); `default` when empty.
    pub namespace: String,
    /// `metadata.name` (storage path); derived from the URL when empty.
    pub name: String,
    /// `spec.ignore`.
    pub ignore: Option<String>,
    /// `spec.include`, in order.
    pub include: Vec<Include>,
    /// `spec.verify`.
    pub verify: Option<Verify>,
    /// Most regular files in the artifact.
    pub max_files: Option<usize>,
}

/// The artifact written by [`fetch_artifact`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FetchResult {
    /// The revision (§5.3).
    pub revision: String,
    /// `sha256:<hex>` of the `.tar.gz`.
    pub digest: String,
    /// The artifact file written.
    pub path: PathBuf,
    /// The storage path `gitrepository/<ns>/<name>/<commit>.tar.gz`.
    pub storage_path: String,
    /// Compressed size in bytes.
    pub size: u64,
    /// Regular files in the artifact.
    pub files: usize,
    /// The commit hash.
    pub commit: String,
    /// The full reference, when there is one.
    pub reference: Option<String>,
    /// The `SourceVerified` message when `spec.verify` was checked.
    pub verified: Option<String>,
}

/// A name for the storage path from a URL's last segment (`.git` dropped).
pub fn name_from_url(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    let last = trimmed.rsplit(['/', ':']).next().unwrap_or("repository");
    let last = last.strip_suffix(".git").unwrap_or(last);
    let clean: String = last
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let clean = clean.trim_matches(['-', '.']).to_string();
    if clean.is_empty() {
        "repository".into()
    } else {
        clean
    }
}

struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn artifact_err(e: artifact::ArtifactError) -> GitError {
    GitError::Artifact {
        code: e.code(),
        message: e.to_string(),
    }
}

/// `spec.verify` on a checkout: source-controller's `verifySignature`; returns
/// the `SourceVerified` message.
pub fn verify(co: &super::Checkout, v: &Verify) -> Result<String, GitError> {
    use crate::signature::{verify_checkout, CheckoutObjects, KeyRing, VerifyMode};
    let keys = KeyRing::from_secret(&v.keys);
    let objects = CheckoutObjects {
        commit: &co.commit,
        reference: co.reference.as_deref(),
        raw_commit: &co.raw_commit,
        raw_tag: co.raw_tag.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
    };
    verify_checkout(VerifyMode::from_spec(&v.mode), &objects, &keys)
        .map(|r| r.message)
        .map_err(|e| GitError::Verification {
            code: e.code(),
            message: e.to_string(),
        })
}

/// Fetches the source and writes its artifact under `out_dir` at the storage
/// path; returns what source-controller records in `status.artifact`.
pub fn fetch_artifact(
    spec: &ArtifactSpec,
    opts: FetchOptions<'_>,
    out_dir: &Path,
) -> Result<FetchResult, GitError> {
    let namespace = if spec.namespace.is_empty() {
        "default".to_string()
    } else {
        spec.namespace.clone()
    };
    let name = if spec.name.is_empty() {
        name_from_url(&opts.url)
    } else {
        spec.name.clone()
    };
    let sparse = opts.sparse_checkout.clone();
    let max_size = opts.max_size;
    static N: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let scratch = Scratch(std::env::temp_dir().join(format!(
        "fluxcd-core-fetch-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
    )));
    let _ = std::fs::remove_dir_all(&scratch.0);
    let co = checkout(opts, &scratch.0)?;
    // The repository metadata never goes into the artifact.
    std::fs::remove_dir_all(scratch.0.join(".git"))
        .map_err(|e| GitError::Io(format!("unable to remove .git: {e}")))?;

    let verified = match &spec.verify {
        Some(v) if !v.mode.is_empty() => Some(verify(&co, v)?),
        _ => None,
    };
    for inc in &spec.include {
        let to = inc.to_path.clone().unwrap_or_else(|| inc.name.clone());
        artifact::apply_named_include(
            &inc.name,
            &scratch.0,
            &inc.artifact,
            inc.from_path.as_deref(),
            &to,
        )
        .map_err(artifact_err)?;
    }
    if !sparse.is_empty() {
        artifact::check_sparse(&scratch.0, &sparse).map_err(artifact_err)?;
    }
    let storage_path = artifact::artifact_path("GitRepository", &namespace, &name, &co.commit);
    let file = out_dir.join(&storage_path);
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| GitError::Io(format!("unable to create '{}': {e}", parent.display())))?;
    }
    let archived = artifact::archive(
        &scratch.0,
        &file,
        &ArchiveOptions {
            ignore: spec.ignore.clone(),
            max_size,
            max_files: spec.max_files,
        },
    )
    .map_err(artifact_err)?;
    Ok(FetchResult {
        revision: co.revision,
        digest: archived.digest,
        path: file,
        storage_path,
        size: archived.size,
        files: archived.files,
        commit: co.commit,
        reference: co.reference,
        verified,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_urls() {
        assert_eq!(
            name_from_url("https://github.com/org/Podinfo.git"),
            "podinfo"
        );
        assert_eq!(name_from_url("git@github.com:org/repo.git"), "repo");
        assert_eq!(name_from_url("/tmp/x/my_repo/"), "my-repo");
        assert_eq!(name_from_url(""), "repository");
    }
}

//! `spec.ref` of a GitRepository: which reference a checkout uses, in the
//! precedence of fluxcd/pkg `gogit.Client.Clone` (semantics §5.2), and the
//! semver tag selection of `cloneSemVer`.
//!
//! ```
//! use fluxcd_core::git::refs::{parse_version, GitRef, Strategy};
//!
//! // commit > name > tag > semver > branch > default branch `master`
//! let r = GitRef { tag: Some("v1.0.0".into()), semver: Some("*".into()), ..Default::default() };
//! assert_eq!(r.strategy(), Strategy::Tag("v1.0.0".into()));
//! assert_eq!(GitRef::default().strategy(), Strategy::Branch("master".into()));
//!
//! // fluxcd/pkg/version.ParseVersion: at least three dot-separated parts.
//! assert!(parse_version("v2025.02.03-rc.1").is_ok());
//! assert!(parse_version("v1.2").is_err());
//! ```

use serde::{Deserialize, Serialize};

use crate::semver::{Constraints, Version};

/// The default branch when `spec.ref` names nothing (`git.DefaultBranch`);
/// the remote's HEAD is not consulted.
pub const DEFAULT_BRANCH: &str = "master";

/// `spec.ref` of a GitRepository (`GitRepositoryRef`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GitRef {
    /// `branch`: a branch name (`main`, `feature/x`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// `tag`: a tag name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// `semver`: a Masterminds/semver v3 constraint over the tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semver: Option<String>,
    /// `name`: a full reference (`refs/heads/x`, `refs/pull/420/head`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `commit`: a full commit hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// What a checkout fetches, after applying the precedence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Strategy {
    /// A commit, optionally within a branch (`commit` + `branch`).
    Commit {
        /// The commit hash.
        commit: String,
        /// The branch to clone it from, if set.
        branch: Option<String>,
        /// The full reference recorded with it (`name` when also set).
        name: Option<String>,
    },
    /// A full reference (`name`).
    RefName(String),
    /// A tag.
    Tag(String),
    /// A semver constraint over the tags.
    Semver(String),
    /// A branch (possibly the default `master`).
    Branch(String),
}

fn set(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

impl GitRef {
    /// A reference to a branch.
    pub fn branch(b: &str) -> GitRef {
        GitRef {
            branch: Some(b.to_string()),
            ..Default::default()
        }
    }

    /// The strategy the upstream client picks: commit > name > tag > semver >
    /// branch > `master` (empty strings count as unset).
    pub fn strategy(&self) -> Strategy {
        if let Some(c) = set(&self.commit) {
            return Strategy::Commit {
                commit: c.to_string(),
                branch: set(&self.branch).map(str::to_string),
                name: set(&self.name).map(str::to_string),
            };
        }
        if let Some(n) = set(&self.name) {
            return Strategy::RefName(n.to_string());
        }
        if let Some(t) = set(&self.tag) {
            return Strategy::Tag(t.to_string());
        }
        if let Some(s) = set(&self.semver) {
            return Strategy::Semver(s.to_string());
        }
        Strategy::Branch(set(&self.branch).unwrap_or(DEFAULT_BRANCH).to_string())
    }

    /// Whether the checkout goes through a tag (`tag`, `semver` or
    /// `name: refs/tags/...`), which `spec.verify.mode: Tag` requires.
    pub fn is_tag(&self) -> bool {
        match self.strategy() {
            Strategy::Tag(_) | Strategy::Semver(_) => true,
            Strategy::RefName(n) => n.starts_with("refs/tags/"),
            _ => false,
        }
    }
}

/// The error text for a `name` that starts or ends with `/`, or `None` when
/// the name is acceptable.
pub fn invalid_ref_name(name: &str) -> Option<String> {
    if name.starts_with('/') || name.ends_with('/') {
        Some(format!(
            "ref {name} is invalid; Git refs cannot begin or end with a slash '/'"
        ))
    } else {
        None
    }
}

/// Why [`parse_version`] rejects a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionError {
    /// Fewer than three dot-separated parts.
    TooFewParts,
    /// Masterminds `NewVersion` rejects it.
    Semver(crate::semver::SemverError),
}

/// fluxcd/pkg `version.ParseVersion`: a version with at least three
/// dot-separated parts (two or more dots), then read by Masterminds
/// `NewVersion` (optional `v`, leading zeros allowed).
pub fn parse_version(tag: &str) -> Result<Version, VersionError> {
    if tag.matches('.').count() < 2 {
        return Err(VersionError::TooFewParts);
    }
    Version::parse(tag).map_err(VersionError::Semver)
}

/// A tag candidate for semver selection.
#[derive(Debug, Clone)]
pub struct TagCandidate {
    /// The tag name (without `refs/tags/`).
    pub name: String,
    /// Committer time (seconds since the epoch) of the commit it points to.
    pub commit_time: i64,
}

/// Why semver selection failed; `Display` is upstream's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// The constraint does not parse.
    #[error("semver parse error: {0}")]
    Parse(String),
    /// No tag satisfies the constraint.
    #[error("no match found for semver: {0}")]
    NoMatch(String),
}

/// Picks the tag of `cloneSemVer`: among the tags [`parse_version`] accepts and
/// the constraint admits, the highest version; versions equal up to build
/// metadata are ordered by the committer time of their commit (latest wins).
pub fn select_semver(constraint: &str, tags: &[TagCandidate]) -> Result<String, SelectError> {
    let c = Constraints::parse(constraint).map_err(|e| SelectError::Parse(e.to_string()))?;
    let mut matched: Vec<(Version, i64)> = tags
        .iter()
        .filter_map(|t| parse_version(&t.name).ok().map(|v| (v, t.commit_time)))
        .filter(|(v, _)| c.check(v))
        .collect();
    if matched.is_empty() {
        return Err(SelectError::NoMatch(constraint.to_string()));
    }
    // Stable sort: version first, then committer time.
    matched.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    Ok(matched
        .last()
        .map(|(v, _)| v.original().to_string())
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(name: &str, t: i64) -> TagCandidate {
        TagCandidate {
            name: name.into(),
            commit_time: t,
        }
    }

    #[test]
    fn precedence_is_the_code_order() {
        let all = GitRef {
            branch: Some("b".into()),
            tag: Some("t".into()),
            semver: Some("*".into()),
            name: Some("refs/heads/n".into()),
            commit: Some("c".into()),
        };
        assert_eq!(
            all.strategy(),
            Strategy::Commit {
                commit: "c".into(),
                branch: Some("b".into()),
                name: Some("refs/heads/n".into())
            }
        );
        let mut r = all.clone();
        r.commit = None;
        assert_eq!(r.strategy(), Strategy::RefName("refs/heads/n".into()));
        r.name = None;
        assert_eq!(r.strategy(), Strategy::Tag("t".into()));
        r.tag = None;
        assert_eq!(r.strategy(), Strategy::Semver("*".into()));
        r.semver = None;
        assert_eq!(r.strategy(), Strategy::Branch("b".into()));
        r.branch = Some(String::new());
        assert_eq!(r.strategy(), Strategy::Branch("master".into()));
    }

    #[test]
    fn tag_refs_for_verification() {
        assert!(GitRef {
            semver: Some("1.x".into()),
            ..Default::default()
        }
        .is_tag());
        assert!(GitRef {
            name: Some("refs/tags/v1".into()),
            ..Default::default()
        }
        .is_tag());
        assert!(!GitRef::branch("main").is_tag());
    }

    #[test]
    fn ref_name_slashes() {
        assert_eq!(
            invalid_ref_name("/refs/heads/main").unwrap(),
            "ref /refs/heads/main is invalid; Git refs cannot begin or end with a slash '/'"
        );
        assert!(invalid_ref_name("refs/heads/main/").is_some());
        assert!(invalid_ref_name("refs/heads/main").is_none());
    }

    #[test]
    fn parse_version_rule() {
        assert!(parse_version("v1.2.3").is_ok());
        assert!(parse_version("0.2.0").is_ok());
        assert!(parse_version("v2025.02.03-rc.1").is_ok());
        assert!(parse_version("v0.1.0+build-1").is_ok());
        assert_eq!(
            parse_version("v1.2").unwrap_err(),
            VersionError::TooFewParts
        );
        assert_eq!(parse_version("1").unwrap_err(), VersionError::TooFewParts);
        assert!(parse_version("non-semver-tag").is_err());
        assert!(parse_version("a.b.c").is_err());
    }

    // source-controller checkoutStrategy tags (semantics §5.3).
    fn controller_tags() -> Vec<TagCandidate> {
        [
            "non-semver-tag",
            "v0.1.0",
            "0.2.0",
            "v0.2.1",
            "v1.0.0-alpha",
            "v1.1.0",
            "v2.0.0",
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| cand(t, i as i64))
        .collect()
    }

    #[test]
    fn controller_semver_vectors() {
        let tags = controller_tags();
        assert_eq!(select_semver("*", &tags).unwrap(), "v2.0.0");
        assert_eq!(select_semver("<v0.2.1", &tags).unwrap(), "0.2.0");
        assert_eq!(
            select_semver(">=1.0.0-0 <1.1.0-0", &tags).unwrap(),
            "v1.0.0-alpha"
        );
    }

    // fluxcd/pkg clone_test cloneSemVer: build-metadata ties broken by commit time.
    #[test]
    fn pkg_semver_vectors() {
        let tags = vec![
            cand("v0.0.1", 1),
            cand("v0.1.0+build-1", 2),
            cand("v0.1.0+build-2", 3),
            cand("v0.1.0+build-3", 4),
            cand("0.2.0", 5),
        ];
        assert_eq!(select_semver(">0.1.0", &tags).unwrap(), "0.2.0");
        assert_eq!(select_semver("<0.2.0", &tags).unwrap(), "v0.1.0+build-3");
        assert_eq!(
            select_semver(">=1.0.0", &tags).unwrap_err().to_string(),
            "no match found for semver: >=1.0.0"
        );
        // The tie follows the commit time, not the tag name.
        let mut swapped = tags.clone();
        swapped[1].commit_time = 10;
        assert_eq!(select_semver("<0.2.0", &swapped).unwrap(), "v0.1.0+build-1");
    }

    #[test]
    fn bad_constraint_text() {
        let e = select_semver("!!1", &controller_tags()).unwrap_err();
        assert!(e.to_string().starts_with("semver parse error: "), "{e}");
    }
}

//! Revision strings of a GitRepository artifact (semantics §5.3), as
//! fluxcd/pkg `git` writes them: `Commit.String()`, `AbsoluteReference()`,
//! `TransformRevision` and the hash digest label.
//!
//! ```
//! use fluxcd_core::git::revision::{absolute_reference, commit_string, transform_revision};
//!
//! let h = "5394cb7f48332b2de7c17dd8b8384bbc84b7e738";
//! assert_eq!(commit_string("refs/heads/main", h), format!("main@sha1:{h}"));
//! assert_eq!(absolute_reference("refs/heads/main", h), format!("refs/heads/main@sha1:{h}"));
//! assert_eq!(commit_string("", h), format!("sha1:{h}"));
//! assert_eq!(transform_revision(&format!("main/{h}")), format!("main@sha1:{h}"));
//! ```

/// The hash as a digest string: `sha1:<hex>` for a 40-character hash,
/// `<unknown>:<hex>` for any other length (`git.Hash.Digest`).
pub fn hash_digest(hash: &str) -> String {
    let algo = match hash.len() {
        40 => "sha1",
        _ => "<unknown>",
    };
    format!("{algo}:{hash}")
}

/// The short form of a full reference: the reference without its first two
/// path segments (`refs/heads/feature/x` ⇒ `feature/x`); a reference with
/// fewer than three segments is returned unchanged.
pub fn short_reference(reference: &str) -> &str {
    let mut parts = reference.splitn(3, '/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(_), Some(rest)) => rest,
        _ => reference,
    }
}

/// `Commit.String()`: `<short reference>@sha1:<hash>`, or `sha1:<hash>` when
/// there is no reference.
pub fn commit_string(reference: &str, hash: &str) -> String {
    if reference.is_empty() {
        return hash_digest(hash);
    }
    format!("{}@{}", short_reference(reference), hash_digest(hash))
}

/// `Commit.AbsoluteReference()`: `<full reference>@sha1:<hash>`, or
/// `sha1:<hash>` when there is no reference.
pub fn absolute_reference(reference: &str, hash: &str) -> String {
    if reference.is_empty() {
        return hash_digest(hash);
    }
    format!("{reference}@{}", hash_digest(hash))
}

/// `TransformRevision`: converts a legacy `<branch>/<hash>` revision to the
/// current `<branch>@sha1:<hash>` form (`HEAD/<hash>` ⇒ `sha1:<hash>`);
/// revisions that already hold a `:` (or are empty) are returned unchanged.
pub fn transform_revision(revision: &str) -> String {
    if revision.is_empty() || revision.contains(':') {
        return revision.to_string();
    }
    match revision.rsplit_once('/') {
        Some((name, hash)) => {
            if name == "HEAD" {
                hash_digest(hash)
            } else {
                format!("{name}@{}", hash_digest(hash))
            }
        }
        None => hash_digest(revision),
    }
}

/// The hash part of a revision (`main@sha1:<h>` ⇒ `<h>`, `sha1:<h>` ⇒ `<h>`,
/// legacy `main/<h>` ⇒ `<h>`), as `ExtractHashFromRevision` reads it.
pub fn extract_hash(revision: &str) -> String {
    let rev = transform_revision(revision);
    let after_at = rev.rsplit_once('@').map_or(rev.as_str(), |(_, r)| r);
    after_at
        .split_once(':')
        .map_or(after_at, |(_, h)| h)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: &str = "5394cb7f48332b2de7c17dd8b8384bbc84b7e738";

    // fluxcd/pkg git/git_test.go vectors (semantics §5.3).
    #[test]
    fn commit_string_vectors() {
        assert_eq!(
            commit_string("refs/heads/main", H),
            format!("main@sha1:{H}")
        );
        assert_eq!(
            commit_string("refs/heads/feature/branch", H),
            format!("feature/branch@sha1:{H}")
        );
        assert_eq!(commit_string("", H), format!("sha1:{H}"));
        assert_eq!(
            commit_string("refs/tags/v1.0.0", H),
            format!("v1.0.0@sha1:{H}")
        );
    }

    #[test]
    fn absolute_reference_vectors() {
        assert_eq!(
            absolute_reference("refs/heads/main", H),
            format!("refs/heads/main@sha1:{H}")
        );
        assert_eq!(
            absolute_reference("refs/pull/420/head", H),
            format!("refs/pull/420/head@sha1:{H}")
        );
        assert_eq!(absolute_reference("", H), format!("sha1:{H}"));
    }

    #[test]
    fn digest_label_depends_on_length() {
        assert_eq!(hash_digest(H), format!("sha1:{H}"));
        assert_eq!(hash_digest("abc"), "<unknown>:abc");
    }

    #[test]
    fn transform_legacy_revisions() {
        assert_eq!(
            transform_revision(&format!("main/{H}")),
            format!("main@sha1:{H}")
        );
        assert_eq!(
            transform_revision(&format!("feature/branch/{H}")),
            format!("feature/branch@sha1:{H}")
        );
        assert_eq!(
            transform_revision(&format!("HEAD/{H}")),
            format!("sha1:{H}")
        );
        assert_eq!(transform_revision(H), format!("sha1:{H}"));
        let current = format!("main@sha1:{H}");
        assert_eq!(transform_revision(&current), current);
        assert_eq!(transform_revision(""), "");
    }

    #[test]
    fn extract_hash_from_any_form() {
        assert_eq!(extract_hash(&format!("main@sha1:{H}")), H);
        assert_eq!(extract_hash(&format!("sha1:{H}")), H);
        assert_eq!(extract_hash(&format!("main/{H}")), H);
        assert_eq!(extract_hash(&format!("refs/pull/420/head@sha1:{H}")), H);
    }
}

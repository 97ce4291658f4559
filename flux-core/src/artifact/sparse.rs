//! `spec.sparseCheckout` validation (§5.6): after checkout every listed path must
//! exist (`validateSparseCheckoutPaths`).

use std::path::Path;

use super::include::secure_join;
use super::{os_error_text, ArtifactError};

/// Checks that every sparse checkout path exists in `checkout` (resolved with
/// `SecureJoin`, tested with `lstat`), in order; the first missing one is the
/// error, with source-controller's text.
///
/// ```
/// use fluxcd_core::artifact::check_sparse;
///
/// let dir = std::env::temp_dir().join(format!("fluxcd-core-doc-sparse-{}", std::process::id()));
/// std::fs::create_dir_all(dir.join("apps")).unwrap();
/// assert!(check_sparse(&dir, &["./apps".to_string()]).is_ok());
/// let err = check_sparse(&dir, &["apps".to_string(), "infra".to_string()]).unwrap_err();
/// assert!(err.to_string().starts_with(
///     "failed to sparse checkout directories : sparse checkout dir 'infra' does not exist in repository: lstat "
/// ));
/// std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn check_sparse(checkout: &Path, dirs: &[String]) -> Result<(), ArtifactError> {
    for dir in dirs {
        let full = secure_join(checkout, dir).map_err(|e| ArtifactError::SparseResolve {
            dir: dir.clone(),
            message: os_error_text(&e),
        })?;
        if let Err(e) = std::fs::symlink_metadata(&full) {
            return Err(ArtifactError::SparseMissing {
                dir: dir.clone(),
                message: format!("lstat {}: {}", full.display(), os_error_text(&e)),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests_support::TempDir;
    use super::*;

    #[test]
    fn missing_and_escaping_paths() {
        let tmp = TempDir::new("sparse");
        let root = tmp.path().join("repo");
        std::fs::create_dir_all(root.join("apps/base")).unwrap();
        std::fs::create_dir_all(tmp.path().join("outside")).unwrap();
        assert!(check_sparse(&root, &[]).is_ok());
        assert!(check_sparse(&root, &["apps/base".into(), "./apps".into()]).is_ok());
        let err = check_sparse(&root, &["nope".into()]).unwrap_err();
        assert_eq!(err.code(), "artifact.sparse_missing");
        assert_eq!(
            err.to_string(),
            format!(
                "failed to sparse checkout directories : sparse checkout dir 'nope' does not exist in repository: lstat {}: no such file or directory",
                root.join("nope").display()
            )
        );
        // `..` stays inside the checkout: ../outside is <root>/outside, which does not exist.
        let err = check_sparse(&root, &["../outside".into()]).unwrap_err();
        assert!(err
            .to_string()
            .contains(&format!("lstat {}", root.join("outside").display())));
    }
}

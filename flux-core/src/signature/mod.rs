//! GitRepository `spec.verify`: checking the OpenPGP or SSH signature of the
//! fetched commit and/or the tag it was checked out through, with the keys of
//! the verification Secret, exactly as source-controller v1.9 (Flux 2.9, with
//! fluxcd/pkg/git v0.52.0 and go-git v5.19) does it.
//!
//! - [`VerifyMode`]: `HEAD`, `Tag`, `TagAndHEAD` (`GetMode`: anything else
//!   means `HEAD`; an absent or empty mode skips verification);
//! - [`KeyRing::from_secret`]: Secret keys ending in `.asc` are PGP key rings,
//!   `.sshpub` are authorized_keys texts, any other key is a PGP key ring;
//! - [`verify_commit`] / [`verify_tag`]: one raw git object (the bytes of
//!   `git cat-file commit|tag`), the signature split off as git does, its
//!   type detected (`openpgp`, `ssh`, else `unsupported signature type`),
//!   verified with rpgp or ssh-key; success gives the key id as Flux prints
//!   it (16 uppercase hex digits of the PGP primary key, or the SSH key's
//!   `SHA256:` fingerprint);
//! - [`verify_checkout`]: which objects a mode verifies for a checkout, with
//!   Flux's errors and its `SourceVerified` success message.
//!
//! Error messages are the controller's, word for word; [`SignatureError::code`]
//! gives the stable `signature.*` code and [`SignatureError::reason`] the
//! condition reason Flux records.
//!
//! ```
//! use std::collections::BTreeMap;
//! use fluxcd_core::signature::{verify_commit, KeyRing, VerifyMode};
//!
//! assert_eq!(VerifyMode::from_spec("head"), VerifyMode::Head); // invalid => HEAD
//! assert_eq!(VerifyMode::from_spec_opt(Some("")), None); // skipped
//!
//! let keys = KeyRing::from_secret(&BTreeMap::from([(
//!     "author.sshpub".to_string(),
//!     b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBfSjfQsLtaGNMaCX+KXojaQ5Wgx/PQnyCy7frvSSHq8".to_vec(),
//! )]));
//! assert_eq!((keys.pgp_len(), keys.ssh_len()), (0, 1));
//!
//! let unsigned = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n\nunsigned\n";
//! let err = verify_commit(unsigned, "0123456789abcdef0123456789abcdef01234567", &keys).unwrap_err();
//! assert_eq!(err.code(), "signature.unsupported_type");
//! assert_eq!(
//!     err.to_string(),
//!     "signature verification of commit '0123456789abcdef0123456789abcdef01234567' failed: unsupported signature type: empty"
//! );
//! ```

mod gobase64;
mod object;
mod openpgp;
mod ssh;

use std::collections::BTreeMap;
use std::fmt;

/// Secret data keys with this suffix hold PGP key rings.
pub const PUBLIC_KEY_PGP_SUFFIX: &str = ".asc";
/// Secret data keys with this suffix hold SSH authorized_keys.
pub const PUBLIC_KEY_SSH_SUFFIX: &str = ".sshpub";

/// Which git objects `spec.verify` checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum VerifyMode {
    /// The commit checked out (`HEAD`, the CRD default).
    Head,
    /// The annotated tag the checkout went through (`Tag`).
    Tag,
    /// Both the tag and the commit (`TagAndHEAD`).
    TagAndHead,
}

impl VerifyMode {
    /// `GitRepositoryVerification.GetMode`: `HEAD`, `Tag` and `TagAndHEAD`
    /// are themselves, any other text (including `head`, which the CRD enum
    /// admits) is `HEAD`.
    pub fn from_spec(mode: &str) -> VerifyMode {
        match mode {
            "Tag" => VerifyMode::Tag,
            "TagAndHEAD" => VerifyMode::TagAndHead,
            _ => VerifyMode::Head,
        }
    }

    /// The mode of an optional `spec.verify.mode`: `None` when absent or
    /// empty, where the controller skips verification (and drops the
    /// `SourceVerified` condition).
    pub fn from_spec_opt(mode: Option<&str>) -> Option<VerifyMode> {
        match mode {
            None | Some("") => None,
            Some(m) => Some(VerifyMode::from_spec(m)),
        }
    }

    /// The spelling Flux records in `status.sourceVerificationMode`.
    pub fn as_str(&self) -> &'static str {
        match self {
            VerifyMode::Head => "HEAD",
            VerifyMode::Tag => "Tag",
            VerifyMode::TagAndHead => "TagAndHEAD",
        }
    }

    /// Whether the commit is verified (`VerifyHEAD`).
    pub fn verifies_head(&self) -> bool {
        matches!(self, VerifyMode::Head | VerifyMode::TagAndHead)
    }

    /// Whether the tag is verified (`VerifyTag`).
    pub fn verifies_tag(&self) -> bool {
        matches!(self, VerifyMode::Tag | VerifyMode::TagAndHead)
    }
}

impl fmt::Display for VerifyMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// source-controller `requiresVerification`: with verification configured,
/// the object must be verified again (forcing a full reconcile) when nothing
/// was observed yet, or when the observed mode was `Tag` and the new one
/// verifies HEAD, or it was `HEAD` and the new one verifies the tag.
/// (An observed `TagAndHEAD` never forces it.)
pub fn requires_verification(observed: Option<VerifyMode>, mode: VerifyMode) -> bool {
    match observed {
        None => true,
        Some(VerifyMode::Tag) => mode.verifies_head(),
        Some(VerifyMode::Head) => mode.verifies_tag(),
        Some(VerifyMode::TagAndHead) => false,
    }
}

/// The public keys of a verification Secret, sorted by Secret data key.
/// Entries are parsed when used, as Flux does, so a bad entry only matters
/// when no other entry of the same kind can be read.
#[derive(Clone, Default)]
pub struct KeyRing {
    pgp: Vec<(String, Vec<u8>)>,
    ssh: Vec<(String, Vec<u8>)>,
}

impl fmt::Debug for KeyRing {
    // Key material stays out of logs: names only.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing")
            .field("pgp", &self.pgp.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("ssh", &self.ssh.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .finish()
    }
}

impl KeyRing {
    /// An empty key ring.
    pub fn new() -> KeyRing {
        KeyRing::default()
    }

    /// Sort a Secret's `data` (already base64-decoded) into PGP key rings
    /// (`.asc`, and any key without a known suffix) and SSH authorized_keys
    /// (`.sshpub`).
    pub fn from_secret(data: &BTreeMap<String, Vec<u8>>) -> KeyRing {
        let mut ring = KeyRing::new();
        for (k, v) in data {
            if k.ends_with(PUBLIC_KEY_SSH_SUFFIX) {
                ring.ssh.push((k.clone(), v.clone()));
            } else {
                ring.pgp.push((k.clone(), v.clone()));
            }
        }
        ring
    }

    /// Add one armored PGP key ring.
    pub fn add_pgp(&mut self, name: &str, armored: &[u8]) {
        self.pgp.push((name.to_string(), armored.to_vec()));
    }

    /// Add one authorized_keys text.
    pub fn add_ssh(&mut self, name: &str, authorized_keys: &[u8]) {
        self.ssh.push((name.to_string(), authorized_keys.to_vec()));
    }

    /// How many PGP key-ring entries there are.
    pub fn pgp_len(&self) -> usize {
        self.pgp.len()
    }

    /// How many SSH authorized_keys entries there are.
    pub fn ssh_len(&self) -> usize {
        self.ssh.len()
    }

    fn pgp_entries(&self) -> Vec<&[u8]> {
        self.pgp.iter().map(|(_, v)| v.as_slice()).collect()
    }

    fn ssh_entries(&self) -> Vec<&[u8]> {
        self.ssh.iter().map(|(_, v)| v.as_slice()).collect()
    }
}

/// The kind of a signature, as fluxcd/pkg `GetSignatureType` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum SignatureType {
    /// `-----BEGIN PGP SIGNATURE-----`.
    OpenPgp,
    /// `-----BEGIN SSH SIGNATURE-----`.
    Ssh,
    /// `-----BEGIN SIGNED MESSAGE-----` (S/MIME; Flux cannot verify it).
    X509,
    /// No signature at all.
    Empty,
    /// Anything else.
    Unknown,
}

impl SignatureType {
    /// Detect the type of a signature text (leading and trailing white space
    /// ignored).
    pub fn detect(signature: &str) -> SignatureType {
        let t = signature.trim();
        if t.starts_with("-----BEGIN PGP SIGNATURE-----") {
            SignatureType::OpenPgp
        } else if t.starts_with("-----BEGIN SSH SIGNATURE-----") {
            SignatureType::Ssh
        } else if t.starts_with("-----BEGIN SIGNED MESSAGE-----") {
            SignatureType::X509
        } else if signature.is_empty() {
            SignatureType::Empty
        } else {
            SignatureType::Unknown
        }
    }

    /// The name Flux prints (`openpgp`, `ssh`, `x509`, `empty`, `unknown`).
    pub fn as_str(&self) -> &'static str {
        match self {
            SignatureType::OpenPgp => "openpgp",
            SignatureType::Ssh => "ssh",
            SignatureType::X509 => "x509",
            SignatureType::Empty => "empty",
            SignatureType::Unknown => "unknown",
        }
    }
}

impl fmt::Display for SignatureType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A successful verification.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verified {
    /// The key as Flux prints it: the PGP primary key id (16 uppercase hex
    /// digits) or the SSH key's `SHA256:` fingerprint.
    pub key_id: String,
    /// The kind of signature that was verified.
    pub signature_type: SignatureType,
}

/// Git object kinds that carry signatures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum ObjectKind {
    /// A commit object.
    Commit,
    /// An annotated tag object.
    Tag,
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ObjectKind::Commit => "commit",
            ObjectKind::Tag => "tag",
        })
    }
}

/// Why the signature of one object was not accepted: the text fluxcd/pkg and
/// source-controller put after `signature verification of ... failed: `.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A PGP signature and no PGP key ring in the Secret.
    NoPgpKeys,
    /// An SSH signature and no `.sshpub` entry in the Secret.
    NoSshKeys,
    /// Not signed, or signed in a format Flux cannot check.
    Unsupported(SignatureType),
    /// No PGP key-ring entry could be read (the first entry's error).
    PgpKeyRing(String),
    /// PGP key rings were read but none verified the signature.
    PgpNoMatch,
    /// The SSH signature cannot be decoded.
    SshUnarmor(String),
    /// No authorized_keys entry could be read (the first entry's error).
    SshKeys(String),
    /// Keys were read but none verified the signature; the distinct errors.
    SshNoMatch(Vec<String>),
}

impl Failure {
    fn text(&self, kind: ObjectKind) -> String {
        let git = match kind {
            ObjectKind::Commit => "Git commit",
            ObjectKind::Tag => "Git tag",
        };
        match self {
            Failure::NoPgpKeys => format!(
                "PGP signature detected but no PGP public keys found in secret (keys with {PUBLIC_KEY_PGP_SUFFIX} suffix)"
            ),
            Failure::NoSshKeys => format!(
                "SSH signature detected but no SSH public keys found in secret (keys with {PUBLIC_KEY_SSH_SUFFIX} suffix)"
            ),
            Failure::Unsupported(t) => format!("unsupported signature type: {t}"),
            Failure::PgpKeyRing(e) => format!(
                "unable to verify {git}: {}",
                openpgp::PgpFailure::ReadKeyRing(e.clone())
            ),
            Failure::PgpNoMatch => {
                format!("unable to verify {git}: {}", openpgp::PgpFailure::NoMatch)
            }
            Failure::SshUnarmor(e) => format!(
                "unable to verify {git} SSH signature: {}",
                ssh::SshFailure::Unarmor(e.clone())
            ),
            Failure::SshKeys(e) => format!(
                "unable to verify {git} SSH signature: {}",
                ssh::SshFailure::ParseKeys(e.clone())
            ),
            Failure::SshNoMatch(errs) => format!(
                "unable to verify {git} SSH signature: {}",
                ssh::SshFailure::NoMatch(errs.clone())
            ),
        }
    }

    fn code(&self) -> &'static str {
        match self {
            Failure::NoPgpKeys => "signature.no_pgp_keys",
            Failure::NoSshKeys => "signature.no_ssh_keys",
            Failure::Unsupported(_) => "signature.unsupported_type",
            Failure::PgpKeyRing(_) | Failure::SshKeys(_) => "signature.unreadable_keys",
            Failure::SshUnarmor(_) => "signature.unreadable_signature",
            Failure::PgpNoMatch | Failure::SshNoMatch(_) => "signature.no_matching_key",
        }
    }
}

/// Why verification failed. `Display` is source-controller's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// Mode `Tag`/`TagAndHEAD` but the checkout did not go through a tag
    /// (reason `InvalidVerificationMode`; the object is stalled).
    #[error("cannot verify tag object's signature if a tag reference is not specified")]
    NoTagReference,
    /// The tag is lightweight or its annotated object carries no signature
    /// (reason `InvalidGitObject`). `tag` is `<name>` for a lightweight tag,
    /// `<name>@<tag object hash>` for an annotated one.
    #[error("cannot verify signature of tag '{tag}' since it is not signed")]
    TagNotSigned {
        /// The tag as Flux prints it.
        tag: String,
    },
    /// The signature of the commit or tag was not accepted (reason
    /// `InvalidCommitSignature` / `InvalidTagSignature`).
    #[error("signature verification of {kind} '{label}' failed: {}", .failure.text(*.kind))]
    Failed {
        /// Which object.
        kind: ObjectKind,
        /// The commit hash, or the tag as `<name>@<tag object hash>`.
        label: String,
        /// Why.
        failure: Failure,
        /// Who made the signature, when it could be read: the PGP issuer key
        /// id(s) or the SSH key fingerprint. Not part of Flux's message; it
        /// tells which key the Secret is missing.
        signed_by: Vec<String>,
    },
    /// The bytes are not a commit or tag object git (go-git) can read.
    #[error("unable to read {kind} object '{label}': {reason}")]
    Malformed {
        /// Which object.
        kind: ObjectKind,
        /// The commit hash or tag label given.
        label: String,
        /// What is wrong.
        reason: String,
    },
}

impl SignatureError {
    /// The stable diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            SignatureError::NoTagReference => "signature.no_tag_reference",
            SignatureError::TagNotSigned { .. } => "signature.tag_not_signed",
            SignatureError::Failed { failure, .. } => failure.code(),
            SignatureError::Malformed { .. } => "signature.malformed_object",
        }
    }

    /// The condition reason source-controller records with this error.
    pub fn reason(&self) -> &'static str {
        match self {
            SignatureError::NoTagReference => "InvalidVerificationMode",
            SignatureError::TagNotSigned { .. } => "InvalidGitObject",
            SignatureError::Failed {
                kind: ObjectKind::Commit,
                ..
            } => "InvalidCommitSignature",
            SignatureError::Failed {
                kind: ObjectKind::Tag,
                ..
            } => "InvalidTagSignature",
            SignatureError::Malformed { .. } => "InvalidGitObject",
        }
    }

    /// Whether Flux stalls the object (no retry until the spec changes).
    pub fn is_stalling(&self) -> bool {
        matches!(self, SignatureError::NoTagReference)
    }

    /// A hint for people: which key signed, when it is known and did not match.
    pub fn hint(&self) -> Option<String> {
        match self {
            SignatureError::Failed {
                failure: Failure::PgpNoMatch | Failure::SshNoMatch(_),
                signed_by,
                ..
            } if !signed_by.is_empty() => Some(format!(
                "the signature was made by key {}; add its public key to the verification Secret if it is trusted",
                signed_by.join(", ")
            )),
            SignatureError::Failed {
                failure: Failure::NoPgpKeys,
                ..
            } => Some("add the signer's armored public key under a key ending in `.asc`".into()),
            SignatureError::Failed {
                failure: Failure::NoSshKeys,
                ..
            } => Some("add the signer's public key (authorized_keys line) under a key ending in `.sshpub`".into()),
            _ => None,
        }
    }
}

/// Verify a signature text over a payload (fluxcd `verifyGitObject`).
fn verify_object(
    kind: ObjectKind,
    label: &str,
    signature: &str,
    payload: &[u8],
    keys: &KeyRing,
) -> Result<Verified, SignatureError> {
    let fail = |failure: Failure, signed_by: Vec<String>| SignatureError::Failed {
        kind,
        label: label.to_string(),
        failure,
        signed_by,
    };
    let typ = SignatureType::detect(signature);
    match typ {
        SignatureType::OpenPgp => {
            if keys.pgp.is_empty() {
                return Err(fail(Failure::NoPgpKeys, Vec::new()));
            }
            let (result, issuers) = openpgp::verify(signature.trim(), payload, &keys.pgp_entries());
            match result {
                Ok(key_id) => Ok(Verified {
                    key_id,
                    signature_type: typ,
                }),
                Err(openpgp::PgpFailure::ReadKeyRing(e)) => {
                    Err(fail(Failure::PgpKeyRing(e), issuers))
                }
                Err(openpgp::PgpFailure::NoMatch) => Err(fail(Failure::PgpNoMatch, issuers)),
            }
        }
        SignatureType::Ssh => {
            if keys.ssh.is_empty() {
                return Err(fail(Failure::NoSshKeys, Vec::new()));
            }
            let (result, signer) = ssh::verify(signature.trim(), payload, &keys.ssh_entries());
            let signed_by: Vec<String> = signer.into_iter().collect();
            match result {
                Ok(key_id) => Ok(Verified {
                    key_id,
                    signature_type: typ,
                }),
                Err(ssh::SshFailure::Unarmor(e)) => Err(fail(Failure::SshUnarmor(e), signed_by)),
                Err(ssh::SshFailure::ParseKeys(e)) => Err(fail(Failure::SshKeys(e), signed_by)),
                Err(ssh::SshFailure::NoMatch(errs)) => {
                    Err(fail(Failure::SshNoMatch(errs), signed_by))
                }
            }
        }
        other => Err(fail(Failure::Unsupported(other), Vec::new())),
    }
}

/// Verify the signature of a raw commit object (the bytes `git cat-file
/// commit <hash>` prints), `commit_hash` being its 40-hex id as Flux prints
/// it. An unsigned commit fails with `unsupported signature type: empty`.
pub fn verify_commit(
    raw_commit: &[u8],
    commit_hash: &str,
    keys: &KeyRing,
) -> Result<Verified, SignatureError> {
    let split = object::split_commit(raw_commit).map_err(|reason| SignatureError::Malformed {
        kind: ObjectKind::Commit,
        label: commit_hash.to_string(),
        reason,
    })?;
    verify_object(
        ObjectKind::Commit,
        commit_hash,
        &split.signature,
        &split.payload,
        keys,
    )
}

/// Verify the signature of a raw annotated tag object (the bytes `git
/// cat-file tag <name>` prints). `tag_label` is the tag as Flux prints it,
/// `<name>@<tag object hash>` (see [`tag_label`]). An unsigned tag fails with
/// `unsupported signature type: empty`; [`verify_checkout`] reports it as
/// not signed first, as Flux does.
pub fn verify_tag(
    raw_tag: &[u8],
    tag_label: &str,
    keys: &KeyRing,
) -> Result<Verified, SignatureError> {
    let split = object::split_tag(raw_tag).map_err(|reason| SignatureError::Malformed {
        kind: ObjectKind::Tag,
        label: tag_label.to_string(),
        reason,
    })?;
    verify_object(
        ObjectKind::Tag,
        tag_label,
        &split.signature,
        &split.payload,
        keys,
    )
}

/// The hash git gives an object of `kind` with these bytes (SHA-1).
pub fn object_hash(kind: ObjectKind, raw: &[u8]) -> String {
    let mut data = format!("{kind} {}\0", raw.len()).into_bytes();
    data.extend_from_slice(raw);
    crate::sha1::sha1_hex(&data)
}

/// The tag as Flux prints it (go `Tag.String()`): `<name>@<tag object hash>`,
/// the name read from the object's `tag` header (`fallback_name` when the
/// bytes have none).
pub fn tag_label(raw_tag: &[u8], fallback_name: &str) -> String {
    let name = match object::split_tag(raw_tag) {
        Ok(s) if !s.tag_name.is_empty() => s.tag_name,
        _ => fallback_name.to_string(),
    };
    format!("{name}@{}", object_hash(ObjectKind::Tag, raw_tag))
}

/// Which objects a mode verifies for a checkout made through `reference`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerifyPlan {
    /// The tag to verify (its short name, `refs/tags/` removed), for `Tag` and
    /// `TagAndHEAD`.
    pub tag: Option<String>,
    /// Whether the commit is verified (`HEAD`, `TagAndHEAD`).
    pub head: bool,
}

/// Decide what `mode` verifies for a checkout made through `reference` (the
/// full ref: `tag`, `semver` and `name: refs/tags/...` checkouts give
/// `refs/tags/<tag>`; `branch`, `commit` and other names do not). A tag mode
/// without a tag reference is Flux's stalling `InvalidVerificationMode` error.
/// The git module uses this to know whether the annotated tag object must be
/// kept for [`verify_checkout`].
pub fn plan_verification(
    mode: VerifyMode,
    reference: Option<&str>,
) -> Result<VerifyPlan, SignatureError> {
    let tag = if mode.verifies_tag() {
        match reference.and_then(|r| r.strip_prefix("refs/tags/")) {
            Some(t) => Some(t.to_string()),
            None => return Err(SignatureError::NoTagReference),
        }
    } else {
        None
    };
    Ok(VerifyPlan {
        tag,
        head: mode.verifies_head(),
    })
}

/// What a checkout gives verification (the fields of the git module's
/// `Checkout`).
#[derive(Debug, Clone, Copy)]
pub struct CheckoutObjects<'a> {
    /// The commit checked out, 40 hex digits.
    pub commit: &'a str,
    /// The full reference checked out through (`refs/heads/main`,
    /// `refs/tags/v1.0.0`, ...), `None` for a bare commit checkout.
    pub reference: Option<&'a str>,
    /// The raw commit object.
    pub raw_commit: &'a [u8],
    /// The annotated tag object when the checkout went through an annotated
    /// tag (`tag`, `semver` or `name: refs/tags/...`); `None` for a
    /// lightweight tag, and also when a `commit` was given with a tag `name`
    /// (Flux does not load the tag object then).
    pub raw_tag: Option<(&'a str, &'a [u8])>,
}

/// The outcome of [`verify_checkout`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verification {
    /// The mode applied (recorded as `status.sourceVerificationMode`).
    pub mode: VerifyMode,
    /// The tag verified, as `(label, result)`.
    pub tag: Option<(String, Verified)>,
    /// The commit verified, as `(hash, result)`.
    pub commit: Option<(String, Verified)>,
    /// The `SourceVerified=True` condition message.
    pub message: String,
}

/// Verify a checkout as source-controller's `verifySignature` does for
/// `mode`: the tag first (modes `Tag`, `TagAndHEAD`: the checkout must have
/// gone through `refs/tags/...`, and the tag must be an annotated, signed
/// one), then the commit (modes `HEAD`, `TagAndHEAD`).
pub fn verify_checkout(
    mode: VerifyMode,
    checkout: &CheckoutObjects<'_>,
    keys: &KeyRing,
) -> Result<Verification, SignatureError> {
    let plan = plan_verification(mode, checkout.reference)?;
    let mut message = String::new();
    let mut tag = None;
    if let Some(short) = plan.tag.as_deref() {
        let (label, split) = match checkout.raw_tag {
            None => (short.to_string(), None),
            Some((name, raw)) => {
                let label = tag_label(raw, name);
                let split = object::split_tag(raw).map_err(|reason| SignatureError::Malformed {
                    kind: ObjectKind::Tag,
                    label: label.clone(),
                    reason,
                })?;
                (label, Some(split))
            }
        };
        let split = match split {
            Some(s) if !s.signature.is_empty() => s,
            _ => return Err(SignatureError::TagNotSigned { tag: label }),
        };
        let verified = verify_object(
            ObjectKind::Tag,
            &label,
            &split.signature,
            &split.payload,
            keys,
        )?;
        message.push_str(&format!(
            "verified signature of\n\t- tag '{label}' with key '{}'",
            verified.key_id
        ));
        tag = Some((label, verified));
    }
    let mut commit = None;
    if plan.head {
        let verified = verify_commit(checkout.raw_commit, checkout.commit, keys)?;
        if message.is_empty() {
            message.push_str("verified signature of");
        }
        message.push_str(&format!(
            "\n\t- commit '{}' with key '{}'",
            checkout.commit, verified.key_id
        ));
        commit = Some((checkout.commit.to_string(), verified));
    }
    Ok(Verification {
        mode,
        tag,
        commit,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMIT: &[u8] = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@b> 1 +0000\ncommitter A <a@b> 1 +0000\n\nm\n";
    const HASH: &str = "0123456789abcdef0123456789abcdef01234567";

    #[test]
    fn get_mode_rules() {
        assert_eq!(VerifyMode::from_spec("HEAD"), VerifyMode::Head);
        assert_eq!(VerifyMode::from_spec("head"), VerifyMode::Head);
        assert_eq!(VerifyMode::from_spec("Tag"), VerifyMode::Tag);
        assert_eq!(VerifyMode::from_spec("tag"), VerifyMode::Head);
        assert_eq!(VerifyMode::from_spec("TagAndHEAD"), VerifyMode::TagAndHead);
        assert_eq!(VerifyMode::from_spec("bogus"), VerifyMode::Head);
        assert_eq!(VerifyMode::from_spec_opt(None), None);
        assert_eq!(VerifyMode::from_spec_opt(Some("")), None);
        assert_eq!(VerifyMode::from_spec_opt(Some("x")), Some(VerifyMode::Head));
        assert_eq!(VerifyMode::TagAndHead.as_str(), "TagAndHEAD");
        assert!(VerifyMode::TagAndHead.verifies_head() && VerifyMode::TagAndHead.verifies_tag());
        assert!(!VerifyMode::Tag.verifies_head() && !VerifyMode::Head.verifies_tag());
    }

    #[test]
    fn requires_verification_table() {
        use VerifyMode::*;
        assert!(requires_verification(None, Head));
        assert!(requires_verification(Some(Tag), Head));
        assert!(requires_verification(Some(Tag), TagAndHead));
        assert!(!requires_verification(Some(Tag), Tag));
        assert!(requires_verification(Some(Head), Tag));
        assert!(requires_verification(Some(Head), TagAndHead));
        assert!(!requires_verification(Some(Head), Head));
        assert!(!requires_verification(Some(TagAndHead), Head));
        assert!(!requires_verification(Some(TagAndHead), Tag));
    }

    #[test]
    fn secret_keys_are_sorted_by_suffix() {
        let data = BTreeMap::from([
            ("a.asc".to_string(), b"x".to_vec()),
            ("b.sshpub".to_string(), b"y".to_vec()),
            ("legacy".to_string(), b"z".to_vec()),
            ("c.sshpub.bak".to_string(), b"w".to_vec()),
        ]);
        let ring = KeyRing::from_secret(&data);
        assert_eq!((ring.pgp_len(), ring.ssh_len()), (3, 1));
        let dbg = format!("{ring:?}");
        assert!(dbg.contains("a.asc") && !dbg.contains("\"x\""), "{dbg}");
    }

    #[test]
    fn signature_type_detection() {
        assert_eq!(SignatureType::detect(""), SignatureType::Empty);
        assert_eq!(SignatureType::detect("  \n"), SignatureType::Unknown);
        assert_eq!(
            SignatureType::detect("\n-----BEGIN PGP SIGNATURE-----\n"),
            SignatureType::OpenPgp
        );
        assert_eq!(
            SignatureType::detect("-----BEGIN PGP MESSAGE-----\n"),
            SignatureType::Unknown
        );
        assert_eq!(
            SignatureType::detect("-----BEGIN SIGNED MESSAGE-----\n"),
            SignatureType::X509
        );
        assert_eq!(
            SignatureType::detect("-----BEGIN SSH SIGNATURE-----"),
            SignatureType::Ssh
        );
    }

    #[test]
    fn missing_key_kinds_are_named() {
        let pgp_commit = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n -----END PGP SIGNATURE-----\n\nm\n";
        let mut ssh_only = KeyRing::new();
        ssh_only.add_ssh("k.sshpub", b"ssh-ed25519 AAAA");
        let e = verify_commit(pgp_commit, HASH, &ssh_only).unwrap_err();
        assert_eq!(e.code(), "signature.no_pgp_keys");
        assert_eq!(e.reason(), "InvalidCommitSignature");
        assert_eq!(
            e.to_string(),
            format!("signature verification of commit '{HASH}' failed: PGP signature detected but no PGP public keys found in secret (keys with .asc suffix)")
        );
        let ssh_commit = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ngpgsig -----BEGIN SSH SIGNATURE-----\n -----END SSH SIGNATURE-----\n\nm\n";
        let mut pgp_only = KeyRing::new();
        pgp_only.add_pgp("k.asc", b"x");
        let e = verify_commit(ssh_commit, HASH, &pgp_only).unwrap_err();
        assert_eq!(e.code(), "signature.no_ssh_keys");
        assert_eq!(
            e.to_string(),
            format!("signature verification of commit '{HASH}' failed: SSH signature detected but no SSH public keys found in secret (keys with .sshpub suffix)")
        );
    }

    #[test]
    fn checkout_rules_before_any_crypto() {
        let keys = KeyRing::new();
        let co = CheckoutObjects {
            commit: HASH,
            reference: Some("refs/heads/main"),
            raw_commit: COMMIT,
            raw_tag: None,
        };
        let e = verify_checkout(VerifyMode::Tag, &co, &keys).unwrap_err();
        assert_eq!(e, SignatureError::NoTagReference);
        assert!(e.is_stalling());
        assert_eq!(e.reason(), "InvalidVerificationMode");
        let co = CheckoutObjects {
            reference: Some("refs/tags/v1.0.0"),
            ..co
        };
        let e = verify_checkout(VerifyMode::TagAndHead, &co, &keys).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot verify signature of tag 'v1.0.0' since it is not signed"
        );
        let raw_tag = b"object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ntype commit\ntag v1.0.0\ntagger T <t@x> 1 +0000\n\nunsigned\n";
        let co = CheckoutObjects {
            raw_tag: Some(("v1.0.0", raw_tag)),
            ..co
        };
        let e = verify_checkout(VerifyMode::Tag, &co, &keys).unwrap_err();
        let label = format!("v1.0.0@{}", object_hash(ObjectKind::Tag, raw_tag));
        assert_eq!(e, SignatureError::TagNotSigned { tag: label });
        // HEAD mode ignores the tag and fails on the unsigned commit.
        let e = verify_checkout(VerifyMode::Head, &co, &keys).unwrap_err();
        assert_eq!(e.code(), "signature.unsupported_type");
    }

    #[test]
    fn plan_by_mode_and_reference() {
        use VerifyMode::*;
        let p = plan_verification(TagAndHead, Some("refs/tags/v1.0.0")).unwrap();
        assert_eq!((p.tag.as_deref(), p.head), (Some("v1.0.0"), true));
        let p = plan_verification(Tag, Some("refs/tags/v1.0.0")).unwrap();
        assert_eq!((p.tag.as_deref(), p.head), (Some("v1.0.0"), false));
        let p = plan_verification(Head, Some("refs/tags/v1.0.0")).unwrap();
        assert_eq!((p.tag, p.head), (None, true));
        let p = plan_verification(Head, None).unwrap();
        assert_eq!((p.tag, p.head), (None, true));
        for r in [
            None,
            Some("refs/heads/main"),
            Some("refs/pull/420/head"),
            Some("tags/v1"),
        ] {
            assert_eq!(
                plan_verification(Tag, r),
                Err(SignatureError::NoTagReference)
            );
            assert_eq!(
                plan_verification(TagAndHead, r),
                Err(SignatureError::NoTagReference)
            );
        }
    }

    #[test]
    fn object_hash_is_git_hash() {
        // `git hash-object -t blob /dev/null`-style check with the empty tree.
        assert_eq!(
            object_hash(ObjectKind::Commit, b""),
            crate::sha1::sha1_hex(b"commit 0\0")
        );
    }
}

//! SSH signatures (git `gpg.format=ssh`, the SSHSIG format with namespace
//! `git`), verified with the `ssh-key` crate the way fluxcd/pkg
//! `signature.VerifySSHSignature` does it with hiddeco/sshsig:
//!
//! - each key-ring entry is an authorized_keys text; blank lines and lines
//!   starting with `#` are skipped and ONE bad line makes the whole entry
//!   unreadable (reported only when no entry could be read);
//! - every key of every readable entry is tried in order; per key the checks
//!   are those of `sshsig.Verify`: the key must be the one in the signature
//!   (`public key does not match`), the namespace must be `git`
//!   (`namespace does not match`), then the signature itself;
//! - success gives the key's `SHA256:<base64>` fingerprint; failure lists
//!   the distinct errors met after `no matching key`, one per line (Go
//!   `errors.Join`).

use ssh_key::{Algorithm, HashAlg, PublicKey, SshSig};

use super::gobase64;

/// The namespace git signs with.
pub(crate) const NAMESPACE: &str = "git";

/// Why an SSH verification failed (inner texts of fluxcd/pkg).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SshFailure {
    /// The armored signature cannot be decoded.
    Unarmor(String),
    /// No authorized_keys entry could be read; the first entry's error.
    ParseKeys(String),
    /// Keys were read but none verified; the distinct errors met.
    NoMatch(Vec<String>),
}

impl std::fmt::Display for SshFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SshFailure::Unarmor(e) => write!(f, "unable to unarmor SSH signature: {e}"),
            SshFailure::ParseKeys(e) => write!(f, "unable to parse authorized keys: {e}"),
            SshFailure::NoMatch(errors) => {
                f.write_str(
                    "unable to verify payload with any of the given authorized keys: no matching key",
                )?;
                for e in errors {
                    write!(f, "\n{e}")?;
                }
                Ok(())
            }
        }
    }
}

const PUBLIC_KEY_MISMATCH: &str = "public key does not match";
const NAMESPACE_MISMATCH: &str = "namespace does not match";
const RSA_VERIFICATION: &str = "crypto/rsa: verification error";

/// Key types x/crypto/ssh `ParsePublicKey` knows.
const KNOWN_KEY_TYPES: &[&str] = &[
    "ssh-rsa",
    "ssh-dss",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-ed25519",
    "sk-ssh-ed25519@openssh.com",
];

/// x/crypto/ssh `parseAuthorizedKey`: the first field is base64 of the key
/// blob (the key type written before it is not consulted).
fn parse_key_field(input: &[u8]) -> Result<PublicKey, String> {
    let input = trim(input);
    let end = input
        .iter()
        .position(|b| *b == b' ' || *b == b'\t')
        .unwrap_or(input.len());
    let blob = gobase64::decode(&input[..end]).map_err(gobase64::corrupt)?;
    // The algorithm name leads the blob.
    let algorithm = blob
        .get(..4)
        .map(|n| u32::from_be_bytes([n[0], n[1], n[2], n[3]]) as usize)
        .and_then(|n| blob.get(4..4usize.checked_add(n)?))
        .ok_or_else(|| "ssh: short read".to_string())?;
    let algorithm = String::from_utf8_lossy(algorithm);
    let base = algorithm
        .strip_suffix("-cert-v01@openssh.com")
        .unwrap_or(&algorithm);
    if !KNOWN_KEY_TYPES.contains(&base) {
        return Err(format!("ssh: unknown key algorithm: {algorithm}"));
    }
    PublicKey::from_bytes(&blob).map_err(|e| {
        if format!("{e:?}").contains("TrailingData") {
            "ssh: trailing junk in public key".to_string()
        } else {
            "ssh: short read".to_string()
        }
    })
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end.max(start)]
}

/// x/crypto/ssh `ParseAuthorizedKey` on one line: `<type> <base64> [comment]`,
/// optionally after an options field.
fn parse_authorized_key(line: &[u8]) -> Result<PublicKey, String> {
    let mut input = line;
    if let Some(cr) = input.iter().position(|b| *b == b'\r') {
        input = &input[..cr];
    }
    let input = trim(input);
    let mut last_error: Option<String> = None;
    let space = |b: &[u8]| b.iter().position(|c| *c == b' ' || *c == b'\t');
    if !input.is_empty() && input[0] != b'#' {
        if let Some(i) = space(input) {
            match parse_key_field(&input[i..]) {
                Ok(k) => return Ok(k),
                Err(e) => last_error = Some(e),
            }
            // Maybe an options field comes first: skip it (quotes protect
            // spaces and commas).
            let mut in_quote = false;
            let mut i = 0;
            while i < input.len() {
                let b = input[i];
                if !in_quote && (b == b' ' || b == b'\t') {
                    break;
                }
                if b == b'"' && (i == 0 || input[i - 1] != b'\\') {
                    in_quote = !in_quote;
                }
                i += 1;
            }
            while i < input.len() && (input[i] == b' ' || input[i] == b'\t') {
                i += 1;
            }
            if i < input.len() {
                let rest = &input[i..];
                if let Some(j) = space(rest) {
                    match parse_key_field(&rest[j..]) {
                        Ok(k) => return Ok(k),
                        Err(e) => last_error = Some(e),
                    }
                }
            }
        }
    }
    Err(match last_error {
        Some(e) => format!("ssh: no key found; last parsing error for ignored line: {e}"),
        None => "ssh: no key found".to_string(),
    })
}

/// Parse one authorized_keys entry (fluxcd/pkg `ParseAuthorizedKeys`): blank
/// lines and `#` lines skipped, any bad line fails the entry.
fn parse_authorized_keys(data: &[u8]) -> Result<Vec<PublicKey>, String> {
    let mut keys = Vec::new();
    for line in data.split_inclusive(|b| *b == b'\n') {
        let line = trim(line);
        if line.is_empty() || line.starts_with(b"#") {
            continue;
        }
        keys.push(
            parse_authorized_key(line)
                .map_err(|e| format!("unable to parse authorized key: {e}"))?,
        );
    }
    Ok(keys)
}

/// Decode the armored signature (sshsig `Unarmor`: Go `pem.Decode`, then the
/// SSHSIG blob).
fn unarmor(signature: &str) -> Result<SshSig, String> {
    let mut in_block = false;
    let mut found_end = false;
    let mut body = String::new();
    for line in signature.lines() {
        let l = line.trim_end();
        if !in_block {
            if l == "-----BEGIN SSH SIGNATURE-----" {
                in_block = true;
            }
            continue;
        }
        if l == "-----END SSH SIGNATURE-----" {
            found_end = true;
            break;
        }
        body.push_str(l.trim());
    }
    use base64::Engine as _;
    if !found_end
        || base64::engine::general_purpose::STANDARD
            .decode(&body)
            .is_err()
    {
        return Err("invalid PEM block".into());
    }
    SshSig::from_pem(signature.trim()).map_err(|e| format!("{e}"))
}

/// The text x/crypto/ssh gives when the signature itself does not verify.
fn crypto_error(alg: &Algorithm) -> &'static str {
    match alg {
        Algorithm::Rsa { .. } => RSA_VERIFICATION,
        _ => "ssh: signature did not verify",
    }
}

/// Verify `signature` (armored) over `payload` with the authorized_keys
/// entries. Returns the fingerprint, or why not, plus the fingerprint of the
/// key inside the signature when it could be read.
pub(crate) fn verify(
    signature: &str,
    payload: &[u8],
    entries: &[&[u8]],
) -> (Result<String, SshFailure>, Option<String>) {
    let sig = match unarmor(signature) {
        Ok(s) => s,
        Err(e) => return (Err(SshFailure::Unarmor(e)), None),
    };
    let signer = sig.public_key().fingerprint(HashAlg::Sha256);
    let signer_text = Some(signer.to_string());
    let mut read_error = None;
    let mut attempted = false;
    let mut errors: Vec<String> = Vec::new();
    let mut push = |e: &str, dedup: bool| {
        // Sentinel errors are reported once; a fresh `errors.New` each time.
        if !dedup || !errors.iter().any(|x| x == e) {
            errors.push(e.to_string());
        }
    };
    for data in entries {
        let keys = match parse_authorized_keys(data) {
            Ok(k) => k,
            Err(e) => {
                if read_error.is_none() {
                    read_error = Some(e);
                }
                continue;
            }
        };
        attempted = true;
        for key in keys {
            let fingerprint = key.fingerprint(HashAlg::Sha256);
            if fingerprint != signer {
                push(PUBLIC_KEY_MISMATCH, true);
                continue;
            }
            if sig.namespace() != NAMESPACE {
                push(NAMESPACE_MISMATCH, true);
                continue;
            }
            match key.verify(NAMESPACE, payload, &sig) {
                Ok(()) => return (Ok(fingerprint.to_string()), signer_text),
                Err(_) => {
                    let alg = key.algorithm();
                    push(crypto_error(&alg), matches!(alg, Algorithm::Rsa { .. }));
                }
            }
        }
    }
    match (attempted, read_error) {
        (false, Some(e)) => (Err(SshFailure::ParseKeys(e)), signer_text),
        _ => (Err(SshFailure::NoMatch(errors)), signer_text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_bad_line_spoils_the_entry() {
        let good = "# comment\n\nssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBfSjfQsLtaGNMaCX+KXojaQ5Wgx/PQnyCy7frvSSHq8 a@b\n";
        assert_eq!(parse_authorized_keys(good.as_bytes()).unwrap().len(), 1);
        let bad = format!("{good}not a key\n");
        assert_eq!(
            parse_authorized_keys(bad.as_bytes()).unwrap_err(),
            "unable to parse authorized key: ssh: no key found; last parsing error for ignored line: illegal base64 data at input byte 0"
        );
        assert_eq!(
            parse_authorized_keys(b"lonely").unwrap_err(),
            "unable to parse authorized key: ssh: no key found"
        );
        assert_eq!(
            parse_authorized_keys(b"ssh-ed25519 AAAA-not-a-key").unwrap_err(),
            "unable to parse authorized key: ssh: no key found; last parsing error for ignored line: illegal base64 data at input byte 4"
        );
        // The key type in front is not consulted; options are skipped.
        let blob = "AAAAC3NzaC1lZDI1NTE5AAAAIBfSjfQsLtaGNMaCX+KXojaQ5Wgx/PQnyCy7frvSSHq8";
        assert_eq!(
            parse_authorized_keys(format!("ssh-rsa {blob}").as_bytes())
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            parse_authorized_keys(
                format!("no-pty,command=\"a b\" ssh-ed25519 {blob} c").as_bytes()
            )
            .unwrap()
            .len(),
            1
        );
        assert_eq!(
            parse_authorized_keys(b"x AAAAB3Nzb2Zvbw==").unwrap_err(),
            "unable to parse authorized key: ssh: no key found; last parsing error for ignored line: ssh: short read"
        );
        // Expected texts from x/crypto/ssh v0.53.0 ParseAuthorizedKey.
        assert_eq!(
            parse_authorized_keys(format!("x {blob}AAAA").as_bytes()).unwrap_err(),
            "unable to parse authorized key: ssh: no key found; last parsing error for ignored line: ssh: trailing junk in public key"
        );
        assert_eq!(
            parse_authorized_keys(b"x AAAAB2Zvby1iYXI=").unwrap_err(),
            "unable to parse authorized key: ssh: no key found; last parsing error for ignored line: ssh: unknown key algorithm: foo-bar"
        );
    }

    #[test]
    fn garbage_armor_is_an_error_not_a_panic() {
        for s in [
            "-----BEGIN SSH SIGNATURE-----\n",
            "-----BEGIN SSH SIGNATURE-----\n!!!\n-----END SSH SIGNATURE-----\n",
            "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n",
            "-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n",
        ] {
            let (r, _) = verify(s, b"payload", &[b"ssh-ed25519 AAAA"]);
            assert!(matches!(r, Err(SshFailure::Unarmor(_))), "{s:?} gave {r:?}");
        }
        let (r, _) = verify("-----BEGIN SSH SIGNATURE-----\n", b"p", &[]);
        assert_eq!(
            r.unwrap_err().to_string(),
            "unable to unarmor SSH signature: invalid PEM block"
        );
    }
}

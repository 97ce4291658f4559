//! OpenPGP detached signatures (git `gpg.format=openpgp`), verified with rpgp
//! the way fluxcd/pkg `signature.VerifyPGPSignature` does it with
//! ProtonMail/go-crypto:
//!
//! - every key-ring entry is one armored block (`PGP PUBLIC KEY BLOCK` or
//!   `PGP PRIVATE KEY BLOCK`); an entry that cannot be read is skipped, and its
//!   error is reported only when no entry could be read at all;
//! - the first signature packet whose issuer has a signing-capable key in the
//!   ring is checked against each such key (primary key with the sign flag, or
//!   a bound subkey with the sign flag);
//! - success gives the key id of the PRIMARY key of the entity, as 16
//!   uppercase hex digits (go-crypto `KeyIdString`).

use pgp::composed::{Deserializable, DetachedSignature, PublicOrSecret, SignedPublicKey};
use pgp::packet::Signature;
use pgp::types::{KeyDetails, Tag};

use super::gobase64;

/// Why a PGP verification failed (inner texts of fluxcd/pkg).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PgpFailure {
    /// No key-ring entry could be read; the first entry's error.
    ReadKeyRing(String),
    /// Key rings were read but none verified the signature.
    NoMatch,
}

impl std::fmt::Display for PgpFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PgpFailure::ReadKeyRing(e) => write!(f, "unable to read armored key ring: {e}"),
            PgpFailure::NoMatch => f.write_str(
                "unable to verify payload with any of the given key rings: no matching key",
            ),
        }
    }
}

/// Uppercase hex of a key id (go `%016X`).
fn upper_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// Go's `bufio.Reader.ReadLine` with go-crypto's 100-byte buffer: lines
/// without their end of line, and whether each was too long for the buffer.
fn go_lines(data: &[u8]) -> Vec<(&[u8], bool)> {
    let mut out = Vec::new();
    for mut line in data.split_inclusive(|b| *b == b'\n') {
        line = line.strip_suffix(b"\n").unwrap_or(line);
        line = line.strip_suffix(b"\r").unwrap_or(line);
        out.push((line, line.len() >= 100));
    }
    out
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

const ARMOR_START: &[u8] = b"-----BEGIN ";
const ARMOR_END: &[u8] = b"-----END ";
const NO_ARMOR: &str = "openpgp: invalid argument: no armored data found";
const ARMOR_CORRUPT: &str = "openpgp: invalid data: armor invalid";

/// go-crypto's `armor.Decode` followed by the base64 body as
/// `ReadArmoredKeyRing` reads it: the block type and the decoded body, or the
/// error text Go gives.
fn dearmor_like_go(data: &[u8]) -> Result<(String, Vec<u8>), String> {
    let lines = go_lines(data);
    let mut i = 0;
    'next_block: loop {
        // Find a `-----BEGIN ` line (over-long lines are skipped).
        let typ = loop {
            let Some((line, long)) = lines.get(i) else {
                return Err(NO_ARMOR.into());
            };
            i += 1;
            if *long {
                continue;
            }
            let t = trim(line);
            if t.len() > ARMOR_START.len() + 5 && t.starts_with(ARMOR_START) {
                break String::from_utf8_lossy(&t[ARMOR_START.len()..t.len() - 5]).into_owned();
            }
        };
        // Header lines `Key: value` up to a blank line; any other line means
        // this was no armor block after all.
        loop {
            let Some((line, _)) = lines.get(i) else {
                return Err(NO_ARMOR.into());
            };
            i += 1;
            let t = trim(line);
            if t.is_empty() {
                break;
            }
            if !t.contains(&b':') {
                continue 'next_block;
            }
        }
        if typ != "PGP PUBLIC KEY BLOCK" && typ != "PGP PRIVATE KEY BLOCK" {
            return Err(format!(
                "openpgp: invalid argument: expected public or private key block, got: {typ}"
            ));
        }
        // The body: trimmed lines up to `-----END ` or the `=XXXX` checksum.
        let mut body = Vec::new();
        for (line, long) in &lines[i..] {
            if *long {
                return Err(ARMOR_CORRUPT.into());
            }
            let t = trim(line);
            if t.starts_with(ARMOR_END) || (t.len() == 5 && t[0] == b'=') {
                break;
            }
            if t.len() > 96 {
                return Err(ARMOR_CORRUPT.into());
            }
            body.extend_from_slice(t);
        }
        // Go's streaming decoder: a trailing partial quantum is an unexpected EOF.
        let whole = body.len() / 4 * 4;
        let decoded = gobase64::decode(&body[..whole]).map_err(gobase64::corrupt)?;
        if whole != body.len() {
            return Err("unexpected EOF".into());
        }
        return Ok((typ, decoded));
    }
}

/// Read one key-ring entry (go-crypto `ReadArmoredKeyRing`): the armor and
/// its base64 as Go reads them, then the packets with rpgp.
fn read_key_ring(data: &[u8]) -> Result<Vec<SignedPublicKey>, String> {
    let (_typ, packets) = dearmor_like_go(data)?;
    if packets.is_empty() {
        return Ok(Vec::new());
    }
    let keys = PublicOrSecret::from_bytes_many(packets.as_slice()).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut last_error = None;
    for key in keys {
        match key {
            Ok(PublicOrSecret::Public(k)) => out.push(k),
            // A private key block: its public part (go-crypto does the same).
            Ok(PublicOrSecret::Secret(k)) => out.push(SignedPublicKey::from(k)),
            Err(e) => last_error = Some(e.to_string()),
        }
    }
    match (out.is_empty(), last_error) {
        (true, Some(e)) => Err(e),
        _ => Ok(out),
    }
}

/// The issuer key ids of a signature (from the issuer key id subpacket or the
/// low 8 bytes of the issuer fingerprint), uppercase hex.
pub(crate) fn issuers(sig: &Signature) -> Vec<String> {
    let mut out: Vec<String> = sig
        .issuer_key_id()
        .iter()
        .map(|id| upper_hex(id.as_ref()))
        .collect();
    for fp in sig.issuer_fingerprint() {
        let bytes = fp.as_bytes();
        // v4: key id = last 8 bytes of the fingerprint; v6: the first 8.
        let id = if bytes.len() == 20 {
            upper_hex(&bytes[12..])
        } else {
            upper_hex(&bytes[..8.min(bytes.len())])
        };
        if !out.contains(&id) {
            out.push(id);
        }
    }
    out
}

/// Whether the primary key may sign: one of its valid self-signatures (user-id
/// certification or direct-key signature) carries the sign flag. Third-party
/// certifications are ignored, as go-crypto does.
fn primary_can_sign(key: &SignedPublicKey) -> bool {
    let own_id = upper_hex(key.primary_key.legacy_key_id().as_ref());
    let own = |s: &Signature| issuers(s).contains(&own_id);
    let by_user = key.details.users.iter().any(|u| {
        u.signatures.iter().any(|s| {
            own(s)
                && s.key_flags().sign()
                && s.verify_certification(&key.primary_key, Tag::UserId, &u.id)
                    .is_ok()
        })
    });
    by_user
        || key
            .details
            .direct_signatures
            .iter()
            .any(|s| own(s) && s.key_flags().sign() && s.verify_key(&key.primary_key).is_ok())
}

/// Verify `signature` (armored) over `payload` with the key-ring entries.
/// Returns the primary key id, or why not, plus the signature's issuers.
pub(crate) fn verify(
    signature: &str,
    payload: &[u8],
    key_rings: &[&[u8]],
) -> (Result<String, PgpFailure>, Vec<String>) {
    // The signature is parsed once; an unreadable one matches no key (go-crypto
    // reports it only as a failed check, which fluxcd/pkg turns into "no match").
    let sigs: Vec<Signature> = match DetachedSignature::from_string_many(signature) {
        Ok((it, _)) => it.filter_map(Result::ok).map(|d| d.signature).collect(),
        Err(_) => Vec::new(),
    };
    let issuer_ids: Vec<String> = sigs.iter().flat_map(issuers).collect();
    let mut read_error = None;
    let mut attempted = false;
    for data in key_rings {
        let ring = match read_key_ring(data) {
            Ok(r) => r,
            Err(e) => {
                if read_error.is_none() {
                    read_error = Some(e);
                }
                continue;
            }
        };
        attempted = true;
        if let Some(id) = check_with_ring(&sigs, payload, &ring) {
            return (Ok(id), issuer_ids);
        }
    }
    match (attempted, read_error) {
        (false, Some(e)) => (Err(PgpFailure::ReadKeyRing(e)), issuer_ids),
        _ => (Err(PgpFailure::NoMatch), issuer_ids),
    }
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn lifetime(d: Option<pgp::types::Duration>) -> u64 {
    d.map_or(0, |d| std::time::Duration::from(d).as_secs())
}

/// go-crypto `SigExpired`: a signature with a lifetime is expired after it.
fn sig_expired(sig: &Signature, now: u64) -> bool {
    let life = lifetime(sig.signature_expiration_time());
    match sig.created() {
        Some(c) if life > 0 => now > u64::from(c.as_secs()) + life,
        _ => false,
    }
}

/// The newest valid self-signature of the primary key over a user id.
fn primary_self_signature(key: &SignedPublicKey) -> Option<&Signature> {
    let own = upper_hex(key.primary_key.legacy_key_id().as_ref());
    let own_id = &own;
    key.details
        .users
        .iter()
        .flat_map(|u| {
            u.signatures.iter().filter(move |s| {
                issuers(s).contains(own_id)
                    && s.verify_certification(&key.primary_key, Tag::UserId, &u.id)
                        .is_ok()
            })
        })
        .max_by_key(|s| s.created().map_or(0, |c| c.as_secs()))
}

/// go-crypto `checkMessageSignatureDetails`: the key (and the signing subkey)
/// must not be revoked or expired, and no signature involved expired.
fn details_ok(
    entity: &SignedPublicKey,
    sub: Option<&pgp::composed::SignedPublicSubKey>,
    sig: &Signature,
) -> bool {
    let now = now_secs();
    let revoked = entity
        .details
        .revocation_signatures
        .iter()
        .any(|r| r.verify_key(&entity.primary_key).is_ok());
    if revoked {
        return false;
    }
    let self_sig = primary_self_signature(entity);
    let created = u64::from(entity.primary_key.created_at().as_secs());
    if let Some(ss) = self_sig {
        let life = lifetime(ss.key_expiration_time());
        if life > 0 && now > created + life {
            return false;
        }
    }
    let mut sigs: Vec<&Signature> = vec![sig];
    sigs.extend(self_sig);
    if let Some(sub) = sub {
        let sub_revoked = sub.signatures.iter().any(|s| {
            s.typ() == Some(pgp::packet::SignatureType::SubkeyRevocation)
                && s.verify_subkey_binding(&entity.primary_key, &sub.key)
                    .is_ok()
        });
        if sub_revoked {
            return false;
        }
        let binding = sub
            .signatures
            .iter()
            .filter(|s| s.typ() == Some(pgp::packet::SignatureType::SubkeyBinding))
            .max_by_key(|s| s.created().map_or(0, |c| c.as_secs()));
        if let Some(b) = binding {
            let sub_created = u64::from(sub.key.created_at().as_secs());
            let life = lifetime(b.key_expiration_time());
            if life > 0 && now > sub_created + life {
                return false;
            }
            sigs.push(b);
        }
    }
    !sigs.iter().any(|s| sig_expired(s, now))
}

/// go-crypto `CheckDetachedSignature` on one key ring: the first signature
/// whose issuer has signing keys in the ring is checked against those keys;
/// a key that verifies it must also pass the expiry/revocation checks.
fn check_with_ring(sigs: &[Signature], payload: &[u8], ring: &[SignedPublicKey]) -> Option<String> {
    for sig in sigs {
        let ids = issuers(sig);
        if ids.is_empty() {
            // go-crypto: "signature doesn't have an issuer".
            return None;
        }
        let mut candidates = 0usize;
        for entity in ring {
            let primary_id = upper_hex(entity.primary_key.legacy_key_id().as_ref());
            if ids.contains(&primary_id) && primary_can_sign(entity) {
                candidates += 1;
                if sig.verify(&entity.primary_key, payload).is_ok() {
                    return details_ok(entity, None, sig).then_some(primary_id);
                }
            }
            for sub in &entity.public_subkeys {
                let sub_id = upper_hex(sub.key.legacy_key_id().as_ref());
                if !ids.contains(&sub_id) {
                    continue;
                }
                let signs = sub.signatures.iter().any(|s| s.key_flags().sign());
                if !signs || sub.verify_bindings(&entity.primary_key).is_err() {
                    continue;
                }
                candidates += 1;
                if sig.verify(&sub.key, payload).is_ok() {
                    return details_ok(entity, Some(sub), sig).then(|| primary_id.clone());
                }
            }
        }
        if candidates > 0 {
            // Only the first signature with known keys is checked.
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unreadable_rings_report_go_crypto_texts() {
        assert_eq!(
            read_key_ring(b"ssh-ed25519 AAAA").unwrap_err(),
            "openpgp: invalid argument: no armored data found"
        );
        assert_eq!(
            read_key_ring(b"-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n")
                .unwrap_err(),
            "openpgp: invalid argument: expected public or private key block, got: PGP SIGNATURE"
        );
        // Garbage inside a key block: Go's base64 error, never a panic.
        assert_eq!(
            read_key_ring(
                b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ!!not base64!!!!\n-----END PGP PUBLIC KEY BLOCK-----\n"
            )
            .unwrap_err(),
            "illegal base64 data at input byte 2"
        );
        // No blank line after the armor line: Go looks for another block.
        assert_eq!(
            read_key_ring(b"-----BEGIN PGP PUBLIC KEY BLOCK-----\nmQINBF\n-----END PGP PUBLIC KEY BLOCK-----\n")
                .unwrap_err(),
            "openpgp: invalid argument: no armored data found"
        );
        assert_eq!(
            read_key_ring(b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQI\n-----END PGP PUBLIC KEY BLOCK-----\n")
                .unwrap_err(),
            "unexpected EOF"
        );
        let long = format!(
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n{}\n",
            "A".repeat(97)
        );
        assert_eq!(
            read_key_ring(long.as_bytes()).unwrap_err(),
            "openpgp: invalid data: armor invalid"
        );
        // An empty body is an empty key ring.
        assert!(read_key_ring(
            b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n-----END PGP PUBLIC KEY BLOCK-----\n"
        )
        .unwrap()
        .is_empty());
    }

    #[test]
    fn no_readable_ring_gives_the_first_read_error_else_no_match() {
        let (r, _) = verify(
            "-----BEGIN PGP SIGNATURE-----\n",
            b"x",
            &[b"nope", b"-----BEGIN X-----"],
        );
        assert_eq!(
            r.unwrap_err().to_string(),
            "unable to read armored key ring: openpgp: invalid argument: no armored data found"
        );
        let (r, _) = verify("garbage", b"x", &[]);
        assert_eq!(r.unwrap_err(), PgpFailure::NoMatch);
    }
}

//! Splitting a raw git commit or tag object into the signature and the bytes
//! it signs, the way go-git v5.19 (pinned by fluxcd/pkg/git v0.52.0) reads them:
//!
//! - commit: the `gpgsig` header (its value plus every continuation line with
//!   the leading space removed) is the signature; the payload is the raw object
//!   with the `gpgsig ` and `gpgsig-sha256 ` header lines and their
//!   continuation lines dropped from the header block (message untouched);
//! - tag: the signature starts at the LAST line of the message that opens an
//!   armored block git knows (`-----BEGIN PGP SIGNATURE-----`,
//!   `-----BEGIN PGP MESSAGE-----`, `-----BEGIN SIGNED MESSAGE-----`,
//!   `-----BEGIN CERTIFICATE-----`, `-----BEGIN SSH SIGNATURE-----`) and runs
//!   to the end; the payload is everything before it (with signature headers
//!   dropped as for commits).

/// The prefixes go-git splits a tag message on (git's `parse_signed_buffer`).
const SPLIT_PREFIXES: &[&[u8]] = &[
    b"-----BEGIN PGP SIGNATURE-----",
    b"-----BEGIN PGP MESSAGE-----",
    b"-----BEGIN CERTIFICATE-----",
    b"-----BEGIN SIGNED MESSAGE-----",
    b"-----BEGIN SSH SIGNATURE-----",
];

/// A signed object taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Split {
    /// The signature text as go-git stores it (empty when unsigned).
    pub signature: String,
    /// The exact bytes the signature was made over.
    pub payload: Vec<u8>,
    /// The tag name (`tag` header) for tags; empty for commits.
    pub tag_name: String,
}

/// Lines of `data`, each with its trailing `\n` when it has one.
fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split_inclusive(|b| *b == b'\n')
}

fn is_blank(line: &[u8]) -> bool {
    line == b"\n"
}

/// The header key and value of a header line (split at the first space).
fn split_header(line: &[u8]) -> (&[u8], &[u8]) {
    let trimmed = line.strip_suffix(b"\n").unwrap_or(line);
    match trimmed.iter().position(|b| *b == b' ') {
        Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
        None => (trimmed, &[]),
    }
}

fn is_hex_id(v: &[u8]) -> bool {
    v.len() == 40 && v.iter().all(|b| b.is_ascii_hexdigit())
}

/// Drop `gpgsig `/`gpgsig-sha256 ` header lines and their continuation lines
/// from the header block; everything from the blank line on is kept verbatim.
fn strip_header_signatures(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut in_body = false;
    let mut skipping = false;
    for line in lines(raw) {
        let mut write = true;
        if !in_body {
            if skipping && line.first() == Some(&b' ') {
                write = false;
            } else if line.starts_with(b"gpgsig ") || line.starts_with(b"gpgsig-sha256 ") {
                skipping = true;
                write = false;
            } else if is_blank(line) {
                skipping = false;
                in_body = true;
            } else {
                skipping = false;
            }
        }
        if write {
            out.extend_from_slice(line);
        }
    }
    out
}

/// Take a commit object apart. Errors name what go-git would reject.
pub(crate) fn split_commit(raw: &[u8]) -> Result<Split, String> {
    let mut it = lines(raw);
    match it.next() {
        None => return Err("malformed commit: missing tree header".into()),
        Some(first) if is_blank(first) => {
            return Err("malformed commit: missing tree header".into())
        }
        Some(first) => {
            let (key, value) = split_header(first);
            if key != b"tree" {
                return Err("malformed commit: tree header must be first".into());
            }
            if !is_hex_id(value) {
                return Err("malformed commit: bad tree hash".into());
            }
        }
    }
    let mut signature = Vec::new();
    let mut in_gpgsig = false;
    for line in it {
        if is_blank(line) {
            break;
        }
        if line.first() == Some(&b' ') {
            if in_gpgsig {
                signature.extend_from_slice(&line[1..]);
            }
            continue;
        }
        let (key, value) = split_header(line);
        in_gpgsig = key == b"gpgsig";
        if in_gpgsig {
            signature.extend_from_slice(value);
            signature.push(b'\n');
        }
    }
    Ok(Split {
        signature: String::from_utf8_lossy(&signature).into_owned(),
        payload: strip_header_signatures(raw),
        tag_name: String::new(),
    })
}

/// The offset of the last line of `data` that starts a signature block.
fn last_signature_start(data: &[u8]) -> Option<usize> {
    let mut found = None;
    let mut offset = 0;
    for line in lines(data) {
        if SPLIT_PREFIXES.iter().any(|p| line.starts_with(p)) {
            found = Some(offset);
        }
        offset += line.len();
    }
    found
}

/// Take a tag object apart. Errors name what go-git would reject.
pub(crate) fn split_tag(raw: &[u8]) -> Result<Split, String> {
    let mut it = lines(raw);
    let mut expect = |key: &[u8], missing: &str, order: &str| -> Result<Vec<u8>, String> {
        match it.next() {
            None => Err(format!("malformed tag: missing {missing} header")),
            Some(l) if is_blank(l) => Err(format!("malformed tag: missing {missing} header")),
            Some(l) => {
                let (k, v) = split_header(l);
                if k != key {
                    return Err(format!("malformed tag: {order}"));
                }
                Ok(v.to_vec())
            }
        }
    };
    let object = expect(b"object", "object", "object header must be first")?;
    if !is_hex_id(&object) {
        return Err("malformed tag: bad object hash".into());
    }
    expect(b"type", "type", "type header must follow object")?;
    let name = expect(b"tag", "tag", "tag header must follow type")?;
    // The message is everything after the first blank line.
    let mut offset = 0;
    let mut body_start = raw.len();
    for line in lines(raw) {
        offset += line.len();
        if is_blank(line) {
            body_start = offset;
            break;
        }
    }
    let body = &raw[body_start..];
    let signature = match last_signature_start(body) {
        Some(at) => String::from_utf8_lossy(&body[at..]).into_owned(),
        None => String::new(),
    };
    let signed = match last_signature_start(raw) {
        Some(at) => &raw[..at],
        None => raw,
    };
    Ok(Split {
        signature,
        payload: strip_header_signatures(signed),
        tag_name: String::from_utf8_lossy(&name).into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TREE: &str = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n";

    #[test]
    fn commit_gpgsig_and_continuations_are_removed_from_the_payload() {
        let raw = format!(
            "{TREE}author A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\ngpgsig -----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n -----END SSH SIGNATURE-----\n\nmsg\n gpgsig not a header\n"
        );
        let s = split_commit(raw.as_bytes()).unwrap();
        assert_eq!(
            s.signature,
            "-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n"
        );
        assert_eq!(
            String::from_utf8(s.payload).unwrap(),
            format!("{TREE}author A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nmsg\n gpgsig not a header\n")
        );
    }

    #[test]
    fn gpgsig_sha256_is_dropped_but_not_the_signature() {
        let raw = format!("{TREE}gpgsig-sha256 X\n Y\nencoding latin1\n\nm");
        let s = split_commit(raw.as_bytes()).unwrap();
        assert_eq!(s.signature, "");
        assert_eq!(
            String::from_utf8(s.payload).unwrap(),
            format!("{TREE}encoding latin1\n\nm")
        );
    }

    #[test]
    fn mergetag_continuations_are_not_taken_as_signature() {
        let raw = format!(
            "{TREE}mergetag object x\n -----BEGIN PGP SIGNATURE-----\n -----END PGP SIGNATURE-----\n\nm\n"
        );
        let s = split_commit(raw.as_bytes()).unwrap();
        assert_eq!(s.signature, "");
        assert_eq!(s.payload, raw.as_bytes());
    }

    #[test]
    fn malformed_commits_are_rejected() {
        assert!(split_commit(b"").is_err());
        assert!(split_commit(b"\n").is_err());
        assert!(split_commit(b"parent 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n").is_err());
        assert!(split_commit(b"tree nothex\n").is_err());
    }

    #[test]
    fn tag_signature_is_the_last_block_of_the_message() {
        let head = "object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ntype commit\ntag v1\ntagger T <t@x> 1 +0000\n\n";
        let raw = format!(
            "{head}line\n-----BEGIN PGP SIGNATURE-----\nquoted\n-----END PGP SIGNATURE-----\n-----BEGIN SSH SIGNATURE-----\nabc\n-----END SSH SIGNATURE-----\n"
        );
        let s = split_tag(raw.as_bytes()).unwrap();
        assert_eq!(s.tag_name, "v1");
        assert_eq!(
            s.signature,
            "-----BEGIN SSH SIGNATURE-----\nabc\n-----END SSH SIGNATURE-----\n"
        );
        assert_eq!(
            String::from_utf8(s.payload).unwrap(),
            format!(
                "{head}line\n-----BEGIN PGP SIGNATURE-----\nquoted\n-----END PGP SIGNATURE-----\n"
            )
        );
        let unsigned = format!("{head}just a message\n");
        let s = split_tag(unsigned.as_bytes()).unwrap();
        assert_eq!(s.signature, "");
        assert_eq!(s.payload, unsigned.as_bytes());
    }

    #[test]
    fn malformed_tags_are_rejected() {
        assert!(split_tag(b"").is_err());
        assert!(split_tag(b"type commit\n").is_err());
        assert!(split_tag(b"object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ntag x\n").is_err());
        assert!(
            split_tag(b"object 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ntype commit\n\n").is_err()
        );
    }
}

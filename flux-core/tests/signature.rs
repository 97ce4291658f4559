//! Signature verification against real signed objects: commits and annotated
//! tags signed by the git CLI with GnuPG keys (RSA, ed25519, a signing subkey)
//! and SSH keys (ed25519, RSA, ECDSA), made in temporary directories that are
//! removed afterwards (the temporary GnuPG agent is stopped).
#![cfg(all(feature = "git", not(target_arch = "wasm32")))]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use fluxcd_core::signature::{
    object_hash, tag_label, verify_checkout, verify_commit, verify_tag, CheckoutObjects, KeyRing,
    ObjectKind, SignatureError, SignatureType, VerifyMode,
};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A temporary directory removed on drop; with a GnuPG home inside, its agent
/// is stopped first.
struct Scratch {
    dir: PathBuf,
    gnupg: Option<PathBuf>,
}

impl Scratch {
    fn new(tag: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "fluxcd-sig-{tag}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch { dir, gnupg: None }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(home) = &self.gnupg {
            let _ = Command::new("gpgconf")
                .args(["--kill", "all"])
                .env("GNUPGHOME", home)
                .output();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn have(tool: &str, arg: &str) -> bool {
    Command::new(tool)
        .arg(arg)
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// Run a command, panic with its output on failure, return stdout.
fn run(cmd: &mut Command) -> Vec<u8> {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn text(b: Vec<u8>) -> String {
    String::from_utf8(b).unwrap().trim().to_string()
}

/// A git repository in a scratch dir, isolated from the user's configuration.
struct Repo {
    dir: PathBuf,
    gnupg: Option<PathBuf>,
    n: usize,
}

impl Repo {
    fn new(dir: &Path, gnupg: Option<&Path>) -> Repo {
        std::fs::create_dir_all(dir).unwrap();
        let r = Repo {
            dir: dir.to_path_buf(),
            gnupg: gnupg.map(Path::to_path_buf),
            n: 0,
        };
        run(r.git().args(["init", "-q", "-b", "main"]));
        r
    }

    fn git(&self) -> Command {
        let mut c = Command::new("git");
        c.current_dir(&self.dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("HOME", &self.dir)
            .env("GIT_AUTHOR_NAME", "Signer")
            .env("GIT_AUTHOR_EMAIL", "signer@example.com")
            .env("GIT_COMMITTER_NAME", "Signer")
            .env("GIT_COMMITTER_EMAIL", "signer@example.com")
            .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"]);
        if let Some(h) = &self.gnupg {
            c.env("GNUPGHOME", h);
        }
        c
    }

    /// Make a commit (signed when `sign` holds `-c` options) and return its hash.
    fn commit(&mut self, sign: &[&str]) -> String {
        self.n += 1;
        std::fs::write(self.dir.join("file.txt"), format!("content {}\n", self.n)).unwrap();
        run(self.git().args(["add", "file.txt"]));
        let mut c = self.git();
        c.args(sign);
        c.args(["commit", "-q", "-m", &format!("change {}", self.n)]);
        if !sign.is_empty() {
            c.arg("-S");
        }
        run(&mut c);
        text(run(self.git().args(["rev-parse", "HEAD"])))
    }

    fn tag(&self, name: &str, sign: &[&str]) {
        let mut c = self.git();
        c.args(sign);
        if sign.is_empty() {
            c.args(["tag", "-a", name, "-m", "release"]);
        } else {
            c.args(["tag", "-s", name, "-m", "release"]);
        }
        run(&mut c);
    }

    fn cat(&self, kind: &str, rev: &str) -> Vec<u8> {
        run(self.git().args(["cat-file", kind, rev]))
    }

    fn rev(&self, rev: &str) -> String {
        text(run(self.git().args(["rev-parse", rev])))
    }
}

fn ring(entries: &[(&str, &[u8])]) -> KeyRing {
    let map: BTreeMap<String, Vec<u8>> = entries
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_vec()))
        .collect();
    KeyRing::from_secret(&map)
}

/// Flip one byte of the commit message (after the header block) so the
/// signature no longer covers the content.
fn tamper(raw: &[u8]) -> Vec<u8> {
    let mut out = raw.to_vec();
    let body = out.windows(2).position(|w| w == b"\n\n").unwrap() + 2;
    let at = out[body..]
        .iter()
        .position(|b| b.is_ascii_alphabetic())
        .unwrap()
        + body;
    out[at] = if out[at] == b'x' { b'y' } else { b'x' };
    out
}

/// Cheap deterministic mutations of an object; verification must never panic.
fn mutate_all(raw: &[u8], keys: &KeyRing) {
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    for _ in 0..150 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut m = raw.to_vec();
        let at = (seed as usize) % m.len();
        match seed % 3 {
            0 => m[at] ^= 1 << (seed % 8),
            1 => m.truncate(at),
            _ => m.insert(at, (seed >> 8) as u8),
        }
        let _ = verify_commit(&m, "0000000000000000000000000000000000000000", keys);
        let _ = verify_tag(&m, "t@0", keys);
    }
}

struct Gpg {
    home: PathBuf,
}

impl Gpg {
    fn cmd(&self) -> Command {
        let mut c = Command::new("gpg");
        c.env("GNUPGHOME", &self.home).args([
            "--batch",
            "--quiet",
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "",
        ]);
        c
    }

    fn gen(&self, uid: &str, algo: &str, usage: &str) {
        run(self
            .cmd()
            .args(["--quick-gen-key", uid, algo, usage, "never"]));
    }

    /// The fingerprint and the 16-hex key id of the primary key of `email`.
    fn ids(&self, email: &str) -> (String, String) {
        let out = String::from_utf8(run(self.cmd().args([
            "--with-colons",
            "--fingerprint",
            "--list-keys",
            email,
        ])))
        .unwrap();
        let keyid = out
            .lines()
            .find(|l| l.starts_with("pub:"))
            .unwrap()
            .split(':')
            .nth(4)
            .unwrap()
            .to_string();
        let fpr = out
            .lines()
            .find(|l| l.starts_with("fpr:"))
            .unwrap()
            .split(':')
            .nth(9)
            .unwrap()
            .to_string();
        (fpr, keyid)
    }

    fn export(&self, email: &str) -> Vec<u8> {
        run(self.cmd().args(["--armor", "--export", email]))
    }
}

/// `git -c` options signing with the GnuPG key of fingerprint `fpr`.
fn pgp_opts(fpr: &str) -> Vec<String> {
    vec![
        "-c".into(),
        "gpg.format=openpgp".into(),
        "-c".into(),
        format!("user.signingkey={fpr}"),
    ]
}

#[test]
fn openpgp_signed_commits_and_tags() {
    if !have("gpg", "--version") || !have("git", "--version") || !have("gpgconf", "--version") {
        eprintln!("SKIPPED: gpg, gpgconf or git is not installed");
        return;
    }
    let mut scratch = Scratch::new("pgp");
    let home = scratch.dir.join("gnupg");
    std::fs::create_dir_all(&home).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    scratch.gnupg = Some(home.clone());
    let gpg = Gpg { home: home.clone() };

    gpg.gen("RSA Signer <rsa@example.com>", "rsa2048", "sign");
    gpg.gen("Ed Signer <ed@example.com>", "ed25519", "sign");
    // A certify-only primary key with a signing subkey: Flux reports the
    // PRIMARY key id even though the subkey signed.
    gpg.gen("Sub Signer <sub@example.com>", "ed25519", "cert");
    let (sub_fpr, sub_primary_id) = gpg.ids("sub@example.com");
    run(gpg
        .cmd()
        .args(["--quick-add-key", &sub_fpr, "ed25519", "sign", "never"]));

    let (rsa_fpr, rsa_id) = gpg.ids("rsa@example.com");
    let (ed_fpr, ed_id) = gpg.ids("ed@example.com");
    assert_eq!(rsa_id.len(), 16);
    let rsa_pub = gpg.export("rsa@example.com");
    let ed_pub = gpg.export("ed@example.com");
    let sub_pub = gpg.export("sub@example.com");

    let mut repo = Repo::new(&scratch.dir.join("repo"), Some(&home));
    let rsa_opts = pgp_opts(&rsa_fpr);
    let rsa_sign: Vec<&str> = rsa_opts.iter().map(String::as_str).collect();
    let ed_opts = pgp_opts(&ed_fpr);
    let ed_sign: Vec<&str> = ed_opts.iter().map(String::as_str).collect();
    let sub_opts = pgp_opts(&sub_fpr);
    let sub_sign: Vec<&str> = sub_opts.iter().map(String::as_str).collect();

    // --- RSA-signed commit.
    let hash = repo.commit(&rsa_sign);
    let raw = repo.cat("commit", &hash);
    assert!(String::from_utf8_lossy(&raw).contains("\ngpgsig -----BEGIN PGP SIGNATURE-----"));
    assert_eq!(object_hash(ObjectKind::Commit, &raw), hash);

    let right = ring(&[("rsa.asc", &rsa_pub)]);
    let v = verify_commit(&raw, &hash, &right).unwrap();
    assert_eq!(v.key_id, rsa_id);
    assert_eq!(v.signature_type, SignatureType::OpenPgp);

    // Without a suffix the entry is still a PGP key ring (backwards compatibility).
    let legacy = ring(&[("identity", &rsa_pub)]);
    assert_eq!(verify_commit(&raw, &hash, &legacy).unwrap().key_id, rsa_id);
    // Several entries: the matching one wins whatever the order.
    let both = ring(&[("a.asc", &ed_pub), ("b.asc", &rsa_pub)]);
    assert_eq!(verify_commit(&raw, &hash, &both).unwrap().key_id, rsa_id);
    // An unreadable entry next to a good one does not matter.
    let with_bad = ring(&[("0-bad.asc", b"not a key"), ("rsa.asc", &rsa_pub)]);
    assert_eq!(
        verify_commit(&raw, &hash, &with_bad).unwrap().key_id,
        rsa_id
    );

    // Wrong key.
    let wrong = ring(&[("ed.asc", &ed_pub)]);
    let e = verify_commit(&raw, &hash, &wrong).unwrap_err();
    assert_eq!(e.code(), "signature.no_matching_key");
    assert_eq!(e.reason(), "InvalidCommitSignature");
    assert_eq!(
        e.to_string(),
        format!("signature verification of commit '{hash}' failed: unable to verify Git commit: unable to verify payload with any of the given key rings: no matching key")
    );
    let hint = e.hint().unwrap();
    assert!(hint.contains(&rsa_id), "{hint}");
    assert!(
        !e.to_string().contains("BEGIN PGP"),
        "no key material in messages"
    );

    // Tampered payload with the right key.
    let bad = tamper(&raw);
    let e = verify_commit(&bad, &hash, &right).unwrap_err();
    assert_eq!(e.code(), "signature.no_matching_key");

    // Only SSH keys for a PGP signature.
    let ssh_only = ring(&[(
        "k.sshpub",
        b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBfSjfQsLtaGNMaCX+KXojaQ5Wgx/PQnyCy7frvSSHq8",
    )]);
    let e = verify_commit(&raw, &hash, &ssh_only).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("signature verification of commit '{hash}' failed: PGP signature detected but no PGP public keys found in secret (keys with .asc suffix)")
    );

    // Garbage key rings only: the first entry's read error.
    let garbage = ring(&[
        ("a.asc", b"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n%%%% garbage %%%%\n-----END PGP PUBLIC KEY BLOCK-----\n"),
        ("b.asc", b"hello"),
    ]);
    let e = verify_commit(&raw, &hash, &garbage).unwrap_err();
    assert_eq!(e.code(), "signature.unreadable_keys");
    assert!(
        e.to_string().starts_with(&format!(
            "signature verification of commit '{hash}' failed: unable to verify Git commit: unable to read armored key ring: "
        )),
        "{e}"
    );
    let e = verify_commit(&raw, &hash, &ring(&[("b.asc", b"hello")])).unwrap_err();
    assert!(e.to_string().ends_with(
        "unable to verify Git commit: unable to read armored key ring: openpgp: invalid argument: no armored data found"
    ));

    // A corrupted signature block: no match, no panic.
    let text_raw = String::from_utf8(raw.clone()).unwrap();
    let corrupt = text_raw
        .replacen("\n =", "\n !", 1)
        .replacen("\n i", "\n #", 1);
    let e = verify_commit(corrupt.as_bytes(), &hash, &right).unwrap_err();
    assert_eq!(e.code(), "signature.no_matching_key");
    mutate_all(&raw, &right);

    // --- ed25519-signed commit and signed tag, TagAndHEAD.
    let hash2 = repo.commit(&ed_sign);
    let raw2 = repo.cat("commit", &hash2);
    assert_eq!(verify_commit(&raw2, &hash2, &both).unwrap().key_id, ed_id);
    repo.tag("v1.0.0", &ed_sign);
    let raw_tag = repo.cat("tag", "v1.0.0");
    let tag_hash = repo.rev("v1.0.0");
    assert_eq!(object_hash(ObjectKind::Tag, &raw_tag), tag_hash);
    let label = tag_label(&raw_tag, "v1.0.0");
    assert_eq!(label, format!("v1.0.0@{tag_hash}"));
    assert_eq!(verify_tag(&raw_tag, &label, &both).unwrap().key_id, ed_id);
    let e = verify_tag(&raw_tag, &label, &right).unwrap_err();
    assert_eq!(e.reason(), "InvalidTagSignature");
    assert_eq!(
        e.to_string(),
        format!("signature verification of tag '{label}' failed: unable to verify Git tag: unable to verify payload with any of the given key rings: no matching key")
    );
    let e = verify_tag(&tamper(&raw_tag), &label, &both).unwrap_err();
    assert_eq!(e.code(), "signature.no_matching_key");
    mutate_all(&raw_tag, &both);

    let co = CheckoutObjects {
        commit: &hash2,
        reference: Some("refs/tags/v1.0.0"),
        raw_commit: &raw2,
        raw_tag: Some(("v1.0.0", &raw_tag)),
    };
    let v = verify_checkout(VerifyMode::TagAndHead, &co, &both).unwrap();
    assert_eq!(
        v.message,
        format!("verified signature of\n\t- tag '{label}' with key '{ed_id}'\n\t- commit '{hash2}' with key '{ed_id}'")
    );
    let v = verify_checkout(VerifyMode::Tag, &co, &both).unwrap();
    assert_eq!(
        v.message,
        format!("verified signature of\n\t- tag '{label}' with key '{ed_id}'")
    );
    assert!(v.commit.is_none());
    let v = verify_checkout(VerifyMode::Head, &co, &both).unwrap();
    assert_eq!(
        v.message,
        format!("verified signature of\n\t- commit '{hash2}' with key '{ed_id}'")
    );
    // The tag is checked first: with only the RSA key the tag fails.
    let e = verify_checkout(VerifyMode::TagAndHead, &co, &right).unwrap_err();
    assert_eq!(e.reason(), "InvalidTagSignature");

    // --- Unsigned commit, unsigned annotated tag, lightweight tag.
    let hash3 = repo.commit(&[]);
    let raw3 = repo.cat("commit", &hash3);
    let e = verify_commit(&raw3, &hash3, &both).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "signature verification of commit '{hash3}' failed: unsupported signature type: empty"
        )
    );
    repo.tag("v2.0.0", &[]);
    let raw_tag2 = repo.cat("tag", "v2.0.0");
    let co = CheckoutObjects {
        commit: &hash3,
        reference: Some("refs/tags/v2.0.0"),
        raw_commit: &raw3,
        raw_tag: Some(("v2.0.0", &raw_tag2)),
    };
    let e = verify_checkout(VerifyMode::Tag, &co, &both).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "cannot verify signature of tag 'v2.0.0@{}' since it is not signed",
            repo.rev("v2.0.0")
        )
    );
    run(repo.git().args(["tag", "light"]));
    let co = CheckoutObjects {
        reference: Some("refs/tags/light"),
        raw_tag: None,
        ..co
    };
    let e = verify_checkout(VerifyMode::TagAndHead, &co, &both).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot verify signature of tag 'light' since it is not signed"
    );
    assert_eq!(e.code(), "signature.tag_not_signed");
    let co = CheckoutObjects {
        reference: Some("refs/heads/main"),
        ..co
    };
    assert_eq!(
        verify_checkout(VerifyMode::Tag, &co, &both).unwrap_err(),
        SignatureError::NoTagReference
    );

    // --- Signing subkey: the primary key id is reported.
    let hash4 = repo.commit(&sub_sign);
    let raw4 = repo.cat("commit", &hash4);
    let subring = ring(&[("sub.asc", &sub_pub)]);
    assert_eq!(
        verify_commit(&raw4, &hash4, &subring).unwrap().key_id,
        sub_primary_id
    );
    assert!(verify_commit(&raw4, &hash4, &right).is_err());
}

struct SshKey {
    private: PathBuf,
    public: Vec<u8>,
    fingerprint: String,
}

fn ssh_key(dir: &Path, name: &str, args: &[&str]) -> SshKey {
    let private = dir.join(name);
    run(Command::new("ssh-keygen")
        .args(["-q", "-N", "", "-C", &format!("{name}@example.com"), "-f"])
        .arg(&private)
        .args(args));
    let pub_path = private.with_extension("pub");
    let public = std::fs::read(&pub_path).unwrap();
    let fp = text(run(Command::new("ssh-keygen")
        .args(["-l", "-E", "sha256", "-f"])
        .arg(&pub_path)));
    let fingerprint = fp.split_whitespace().nth(1).unwrap().to_string();
    SshKey {
        private,
        public,
        fingerprint,
    }
}

#[test]
fn ssh_signed_commits_and_tags() {
    if !have("ssh-keygen", "-?") && !Path::new("/usr/bin/ssh-keygen").exists()
        || !have("git", "--version")
    {
        eprintln!("SKIPPED: ssh-keygen or git is not installed");
        return;
    }
    let scratch = Scratch::new("ssh");
    let keys_dir = scratch.dir.join("keys");
    std::fs::create_dir_all(&keys_dir).unwrap();
    let ed = ssh_key(&keys_dir, "ed", &["-t", "ed25519"]);
    let rsa = ssh_key(&keys_dir, "rsa", &["-t", "rsa", "-b", "2048"]);
    let ecdsa = ssh_key(&keys_dir, "ecdsa", &["-t", "ecdsa", "-b", "256"]);
    assert!(ed.fingerprint.starts_with("SHA256:"));

    let mut repo = Repo::new(&scratch.dir.join("repo"), None);
    let opts = |k: &SshKey| -> Vec<String> {
        vec![
            "-c".into(),
            "gpg.format=ssh".into(),
            "-c".into(),
            format!("user.signingkey={}", k.private.display()),
        ]
    };

    for (key, other) in [(&ed, &rsa), (&rsa, &ecdsa), (&ecdsa, &ed)] {
        let o = opts(key);
        let sign: Vec<&str> = o.iter().map(String::as_str).collect();
        let hash = repo.commit(&sign);
        let raw = repo.cat("commit", &hash);
        assert!(String::from_utf8_lossy(&raw).contains("\ngpgsig -----BEGIN SSH SIGNATURE-----"));

        let right = ring(&[("me.sshpub", &key.public)]);
        let v = verify_commit(&raw, &hash, &right).unwrap();
        assert_eq!(v.key_id, key.fingerprint);
        assert_eq!(v.signature_type, SignatureType::Ssh);

        // One entry holding several keys (authorized_keys lines, comments).
        let mut many = b"# team keys\n\n".to_vec();
        many.extend_from_slice(&other.public);
        many.extend_from_slice(&key.public);
        let v = verify_commit(&raw, &hash, &ring(&[("team.sshpub", &many)])).unwrap();
        assert_eq!(v.key_id, key.fingerprint);

        // Wrong key.
        let wrong = ring(&[("other.sshpub", &other.public)]);
        let e = verify_commit(&raw, &hash, &wrong).unwrap_err();
        assert_eq!(e.code(), "signature.no_matching_key");
        assert_eq!(
            e.to_string(),
            format!("signature verification of commit '{hash}' failed: unable to verify Git commit SSH signature: unable to verify payload with any of the given authorized keys: no matching key\npublic key does not match")
        );
        assert!(e.hint().unwrap().contains(&key.fingerprint));

        // Tampered payload with the right key.
        let e = verify_commit(&tamper(&raw), &hash, &right).unwrap_err();
        let crypto = if std::ptr::eq(key, &rsa) {
            "crypto/rsa: verification error"
        } else {
            "ssh: signature did not verify"
        };
        assert_eq!(
            e.to_string(),
            format!("signature verification of commit '{hash}' failed: unable to verify Git commit SSH signature: unable to verify payload with any of the given authorized keys: no matching key\n{crypto}")
        );

        // PGP keys only.
        let e = verify_commit(&raw, &hash, &ring(&[("k.asc", b"x")])).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("signature verification of commit '{hash}' failed: SSH signature detected but no SSH public keys found in secret (keys with .sshpub suffix)")
        );

        // Unreadable authorized_keys only / next to a good entry.
        let e =
            verify_commit(&raw, &hash, &ring(&[("bad.sshpub", b"garbage line\n")])).unwrap_err();
        assert_eq!(e.code(), "signature.unreadable_keys");
        assert_eq!(
            e.to_string(),
            format!("signature verification of commit '{hash}' failed: unable to verify Git commit SSH signature: unable to parse authorized keys: unable to parse authorized key: ssh: no key found; last parsing error for ignored line: ssh: short read")
        );
        let mixed = ring(&[("a.sshpub", b"garbage line\n"), ("b.sshpub", &key.public)]);
        assert_eq!(
            verify_commit(&raw, &hash, &mixed).unwrap().key_id,
            key.fingerprint
        );

        // Corrupted signature block.
        let t = String::from_utf8(raw.clone()).unwrap();
        let corrupt = t.replacen("\n U1NIU0lH", "\n ~~~~~~~~", 1);
        assert_ne!(corrupt, t);
        let e = verify_commit(corrupt.as_bytes(), &hash, &right).unwrap_err();
        assert_eq!(e.code(), "signature.unreadable_signature");
        mutate_all(&raw, &right);
    }

    // Signed tag, checkout through the tag.
    let o = opts(&ed);
    let sign: Vec<&str> = o.iter().map(String::as_str).collect();
    let hash = repo.commit(&sign);
    repo.tag("v1.2.3", &sign);
    let raw_tag = repo.cat("tag", "v1.2.3");
    assert!(String::from_utf8_lossy(&raw_tag).contains("\n-----BEGIN SSH SIGNATURE-----"));
    let label = tag_label(&raw_tag, "v1.2.3");
    assert_eq!(label, format!("v1.2.3@{}", repo.rev("v1.2.3")));
    let keys = ring(&[("ed.sshpub", &ed.public), ("rsa.sshpub", &rsa.public)]);
    let v = verify_tag(&raw_tag, &label, &keys).unwrap();
    assert_eq!(v.key_id, ed.fingerprint);
    let e = verify_tag(&tamper(&raw_tag), &label, &keys).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("signature verification of tag '{label}' failed: unable to verify Git tag SSH signature: unable to verify payload with any of the given authorized keys: no matching key\nssh: signature did not verify\npublic key does not match")
    );
    let raw = repo.cat("commit", &hash);
    let co = CheckoutObjects {
        commit: &hash,
        reference: Some("refs/tags/v1.2.3"),
        raw_commit: &raw,
        raw_tag: Some(("v1.2.3", &raw_tag)),
    };
    let v = verify_checkout(VerifyMode::TagAndHead, &co, &keys).unwrap();
    assert_eq!(
        v.message,
        format!(
            "verified signature of\n\t- tag '{label}' with key '{fp}'\n\t- commit '{hash}' with key '{fp}'",
            fp = ed.fingerprint
        )
    );
    mutate_all(&raw_tag, &keys);
}

#!/usr/bin/env bash
# Writes conformance/signature/objects.input.json: real git objects signed by the
# git CLI with fresh GnuPG keys (RSA 2048, ed25519, an ed25519 signing subkey under a
# certify-only primary key) and SSH keys (ed25519, RSA 2048, ECDSA P-256), plus the
# public keys and the cases to check. Private keys live in a temporary directory that
# is removed at the end (the temporary gpg-agent is stopped). The expected answers are
# then computed by the Go oracle (`go run . ../signature`), never written by hand.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here/../signature/objects.input.json}"
work="$(mktemp -d)"
export GNUPGHOME="$work/gnupg"
cleanup() { gpgconf --kill all >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
mkdir -m 700 "$GNUPGHOME"
gpg_() { gpg --batch --quiet --pinentry-mode loopback --passphrase '' "$@"; }
gpg_ --quick-gen-key 'RSA Signer <rsa@example.com>' rsa2048 sign never
gpg_ --quick-gen-key 'Ed Signer <ed@example.com>' ed25519 sign never
gpg_ --quick-gen-key 'Sub Signer <sub@example.com>' ed25519 cert never
fpr() { gpg_ --with-colons --fingerprint --list-keys "$1" | awk -F: '/^fpr:/ {print $10; exit}'; }
gpg_ --quick-add-key "$(fpr sub@example.com)" ed25519 sign never
# A key that expired in 2020 (made and used with a faked clock), and one revoked after use.
gpg_ --faked-system-time '20200101T000000!' --quick-gen-key 'Old Signer <old@example.com>' ed25519 sign 1d
gpg_ --quick-gen-key 'Revoked Signer <revoked@example.com>' ed25519 sign never
printf '#!/bin/sh\nexec gpg --faked-system-time 20200101T120000! "$@"\n' > "$work/gpg-2020"
chmod +x "$work/gpg-2020"
mkdir "$work/keys"
for e in rsa ed sub old; do gpg_ --armor --export "$e@example.com" > "$work/keys/pgp_$e.asc"; done
ssh-keygen -q -N '' -C ed@example.com -t ed25519 -f "$work/ssh_ed"
ssh-keygen -q -N '' -C rsa@example.com -t rsa -b 2048 -f "$work/ssh_rsa"
ssh-keygen -q -N '' -C ecdsa@example.com -t ecdsa -b 256 -f "$work/ssh_ecdsa"
for k in ed rsa ecdsa; do cp "$work/ssh_$k.pub" "$work/keys/ssh_$k.pub"; done

repo="$work/repo"
git init -q -b main "$repo"
g() {
  GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME="$work" \
  GIT_AUTHOR_NAME=Signer GIT_AUTHOR_EMAIL=signer@example.com \
  GIT_COMMITTER_NAME=Signer GIT_COMMITTER_EMAIL=signer@example.com \
  GIT_AUTHOR_DATE='2026-01-02T03:04:05Z' GIT_COMMITTER_DATE='2026-01-02T03:04:05Z' \
  git -C "$repo" -c commit.gpgsign=false -c tag.gpgsign=false "$@"
}
pgp() { echo "-c gpg.format=openpgp -c user.signingkey=$(fpr "$1@example.com")"; }
pgp_2020() { echo "-c gpg.format=openpgp -c gpg.program=$work/gpg-2020 -c user.signingkey=$(fpr "$1@example.com")"; }
ssh_() { echo "-c gpg.format=ssh -c user.signingkey=$work/ssh_$1"; }
mkdir "$work/objects"
n=0
commit() { # name, signing options (may be empty)
  n=$((n + 1)); echo "content $n" > "$repo/file.txt"; g add file.txt
  # shellcheck disable=SC2086
  if [ -n "$2" ]; then g $2 commit -q -S -m "change $n"; else g commit -q -m "change $n"; fi
  g cat-file commit HEAD > "$work/objects/$1.commit"; g rev-parse HEAD > "$work/objects/$1.commit.hash"
}
tag() { # name, tag, signing options (may be empty)
  # shellcheck disable=SC2086
  if [ -n "$3" ]; then g $3 tag -s "$2" -m "release $2"; else g tag -a "$2" -m "release $2"; fi
  g cat-file tag "$2" > "$work/objects/$1.tag"; echo "$2" > "$work/objects/$1.tag.name"
  g rev-parse "$2^{commit}" > "$work/objects/$1.tag.commit"
}
commit c_pgp_rsa "$(pgp rsa)"
commit c_pgp_ed "$(pgp ed)"
tag t_pgp_ed v1.0.0 "$(pgp ed)"
commit c_pgp_sub "$(pgp sub)"
commit c_ssh_ed "$(ssh_ ed)"
tag t_ssh_ed v1.1.0 "$(ssh_ ed)"
commit c_ssh_rsa "$(ssh_ rsa)"
tag t_ssh_rsa v1.2.0 "$(ssh_ rsa)"
commit c_ssh_ecdsa "$(ssh_ ecdsa)"
commit c_pgp_expired "$(pgp_2020 old)"
commit c_pgp_revoked "$(pgp revoked)"
rev="$GNUPGHOME/openpgp-revocs.d/$(fpr revoked@example.com).rev"
sed 's/^:-----/-----/' "$rev" | gpg_ --import 2>/dev/null
gpg_ --armor --export revoked@example.com > "$work/keys/pgp_revoked.asc"
commit c_unsigned ""
tag t_unsigned v2.0.0 ""

python3 - "$work" "$out" <<'PY'
import base64, hashlib, json, os, sys
work, out = sys.argv[1], sys.argv[2]
keys = {}
for f in sorted(os.listdir(f"{work}/keys")):
    keys[f.rsplit(".", 1)[0]] = open(f"{work}/keys/{f}").read()
keys["garbage_armor"] = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n%%%% not base64 %%%%\n-----END PGP PUBLIC KEY BLOCK-----\n"
keys["not_armored"] = "this is not a key\n"
keys["signature_block"] = "-----BEGIN PGP SIGNATURE-----\n\niQ==\n-----END PGP SIGNATURE-----\n"
keys["bad_authorized_keys"] = "# comment\nssh-ed25519 AAAA-not-a-key\n"
objects = {}
for f in sorted(os.listdir(f"{work}/objects")):
    name, kind = f.split(".")[0], f.split(".")[1]
    if f.count(".") > 1:
        continue
    raw = open(f"{work}/objects/{f}", "rb").read()
    o = {"kind": "commit" if kind == "commit" else "tag", "raw": base64.b64encode(raw).decode()}
    if kind == "commit":
        o["hash"] = open(f"{work}/objects/{f}.hash").read().strip()
    else:
        o["name"] = open(f"{work}/objects/{f}.name").read().strip()
        o["commit"] = open(f"{work}/objects/{f}.commit").read().strip()
    objects[name] = o

def tampered(raw_b64):
    raw = bytearray(base64.b64decode(raw_b64))
    body = raw.index(b"\n\n") + 2
    i = body + next(j for j, c in enumerate(raw[body:]) if chr(c).isalpha())
    raw[i] = ord("x") if raw[i] != ord("x") else ord("y")
    return base64.b64encode(bytes(raw)).decode()

for name in list(objects):
    t = dict(objects[name]); t["raw"] = tampered(t["raw"]); objects[name + "_tampered"] = t
    if t["kind"] == "commit":
        # The hash a checkout of the changed object reports (git's object id).
        raw = base64.b64decode(t["raw"])
        t["hash"] = hashlib.sha1(b"commit %d\0" % len(raw) + raw).hexdigest()

# Secrets: data key -> key text name. Keys without a known suffix are PGP key rings.
secrets = {
    "pgp_rsa": {"rsa.asc": "pgp_rsa"},
    "pgp_ed": {"ed.asc": "pgp_ed"},
    "pgp_sub": {"sub.asc": "pgp_sub"},
    "pgp_old_revoked": {"old.asc": "pgp_old", "revoked.asc": "pgp_revoked"},
    "pgp_all": {"a-rsa.asc": "pgp_rsa", "b-ed.asc": "pgp_ed", "c-sub.asc": "pgp_sub"},
    "pgp_legacy_name": {"identity": "pgp_ed", "other": "pgp_rsa"},
    "pgp_garbage_then_good": {"0.asc": "garbage_armor", "1.asc": "pgp_rsa", "2.asc": "pgp_ed"},
    "pgp_garbage": {"a.asc": "garbage_armor", "b.asc": "not_armored"},
    "pgp_not_armored": {"a.asc": "not_armored"},
    "pgp_signature_block": {"a.asc": "signature_block", "b.asc": "garbage_armor"},
    "ssh_ed": {"ed.sshpub": "ssh_ed"},
    "ssh_rsa": {"rsa.sshpub": "ssh_rsa"},
    "ssh_ecdsa": {"ecdsa.sshpub": "ssh_ecdsa"},
    "ssh_all": {"a.sshpub": "ssh_ecdsa", "b.sshpub": "ssh_ed", "c.sshpub": "ssh_rsa"},
    "ssh_others_ed": {"a.sshpub": "ssh_rsa", "b.sshpub": "ssh_ecdsa"},
    "ssh_bad_then_good": {"a.sshpub": "bad_authorized_keys", "b.sshpub": "ssh_ed", "c.sshpub": "ssh_rsa", "d.sshpub": "ssh_ecdsa"},
    "ssh_bad": {"a.sshpub": "bad_authorized_keys"},
    "mixed_all": {"a.asc": "pgp_ed", "b.asc": "pgp_rsa", "c.asc": "pgp_sub", "d.sshpub": "ssh_ed", "e.sshpub": "ssh_rsa", "f.sshpub": "ssh_ecdsa"},
    "empty": {},
}
cases = []
for obj in sorted(objects):
    for sec in secrets:
        cases.append({"name": f"{obj}/{sec}", "verify": objects[obj]["kind"], "object": obj, "secret": sec})
# Whole verifySignature flows: mode x how the checkout was made.
flows = [
    ("c_pgp_ed", None, "refs/heads/main"), ("c_pgp_ed", "t_pgp_ed", "refs/tags/v1.0.0"),
    ("c_ssh_ed", "t_ssh_ed", "refs/tags/v1.1.0"), ("c_ssh_rsa", "t_ssh_rsa", "refs/tags/v1.2.0"),
    ("c_unsigned", "t_unsigned", "refs/tags/v2.0.0"), ("c_unsigned", None, "refs/tags/light"),
    ("c_pgp_rsa", None, None), ("c_ssh_ecdsa", None, "refs/pull/420/head"),
    ("c_pgp_ed", "t_pgp_ed_tampered", "refs/tags/v1.0.0"),
]
for mode in ["HEAD", "head", "Tag", "TagAndHEAD", "bogus"]:
    for commit, tag, ref in flows:
        for sec in ["mixed_all", "pgp_all", "ssh_all", "ssh_ed", "empty"]:
            cases.append({"name": f"checkout/{mode}/{commit}/{tag or '-'}/{ref or '-'}/{sec}", "verify": "checkout",
                          "mode": mode, "object": commit, "tagObject": tag, "reference": ref, "secret": sec})
doc = {
    "description": "git commit and tag signatures verified as source-controller v1.9 verifySignature does (fluxcd/pkg/git v0.52.0 Commit/Tag VerifyPGP/VerifySSH, go-git v5.19.1 decoding): objects signed by the git CLI with GnuPG (RSA, ed25519, signing subkey) and ssh-keygen (ed25519, RSA, ECDSA) keys, tampered copies, unsigned objects, and Secrets of .asc / .sshpub / suffix-less keys.",
    "source": "conformance/oracle-signature/gen-fixtures.sh; expectations computed by conformance/oracle-signature",
    "keys": keys,
    "secrets": secrets,
    "objects": objects,
    "cases": cases,
}
with open(out, "w") as f:
    json.dump(doc, f, indent=1, sort_keys=False)
    f.write("\n")
print(f"{out}: {len(cases)} cases, {len(objects)} objects")
PY

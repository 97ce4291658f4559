//! The Helm release a HelmRelease installs: its name, namespaces and the
//! HelmChart helm-controller generates for it (helm-controller v1.6.x, which
//! pins Helm v4).
//!
//! - The **composed name** is `spec.releaseName` when set, else
//!   `<spec.targetNamespace>-<metadata.name>` when a target namespace is set,
//!   else `metadata.name`.
//! - The **release name** Helm sees is the composed name, shortened when it is
//!   longer than 53 bytes: its first 40 bytes, `-`, and the first 12 lowercase
//!   hex digits of the SHA-256 of the whole composed name (always 53 bytes).
//! - Helm then rejects a release name that is longer than 53 bytes or is not a
//!   lowercase DNS-1123 subdomain (`[a-z0-9]([-a-z0-9]*[a-z0-9])?` labels
//!   joined by `.`).
//! - The **release namespace** is `spec.targetNamespace` or the HelmRelease's
//!   namespace; the **storage namespace** (where Helm keeps its release
//!   Secrets) is `spec.storageNamespace` or the HelmRelease's namespace.
//! - With `spec.chart`, helm-controller creates a HelmChart named
//!   `<namespace>-<name>` (never shortened) in
//!   `spec.chart.spec.sourceRef.namespace` or the HelmRelease's namespace;
//!   `status.helmChart` reads `<chartNamespace>/<chartName>`. With
//!   `spec.chartRef` there is no generated HelmChart.
//!
//! Upstream cuts at byte 40 even inside a multi-byte character; this module
//! reports [`ReleaseError::SplitCharacter`] instead (Helm would reject the
//! resulting name anyway). [`shorten_name_bytes`] keeps the byte-exact cut.
//!
//! ```
//! use fluxcd_core::release::{resolve, shorten_name};
//! use fluxcd_core::api::FluxObject;
//! use serde_json::json;
//!
//! assert_eq!(
//!     shorten_name("release-name-with-very-long-name-which-is-longer-than-53-characters").unwrap(),
//!     "release-name-with-very-long-name-which-i-788ca0d0d7b0"
//! );
//!
//! let doc = json!({
//!     "apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
//!     "metadata": {"name": "podinfo", "namespace": "flux-system"},
//!     "spec": {"interval": "10m", "targetNamespace": "apps", "chart": {"spec": {
//!         "chart": "podinfo",
//!         "sourceRef": {"kind": "HelmRepository", "name": "podinfo", "namespace": "sources"}}}}
//! });
//! let Some(FluxObject::HelmRelease(hr)) = FluxObject::from_value(&doc).unwrap() else { panic!() };
//! let info = resolve(&hr, "default").unwrap();
//! assert_eq!(info.release_name, "apps-podinfo");
//! assert_eq!(info.release_namespace, "apps");
//! assert_eq!(info.storage_namespace, "flux-system");
//! assert_eq!(info.helm_chart.unwrap().to_string(), "sources/flux-system-podinfo");
//!
//! // A name Helm would refuse is an error with a stable code.
//! let bad = json!({"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
//!                  "metadata": {"name": "x", "namespace": "ns"},
//!                  "spec": {"interval": "10m", "releaseName": "My_Release"}});
//! let Some(FluxObject::HelmRelease(hr)) = FluxObject::from_value(&bad).unwrap() else { panic!() };
//! assert_eq!(resolve(&hr, "default").unwrap_err().code(), "release.invalid_name");
//! ```
#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::fmt;

use crate::api::generated::helm::HelmRelease;
use crate::api::FluxObject;
use crate::diagnostic::{Diagnostic, Location};
use crate::manifest::{Manifest, ManifestSet};
use crate::sha256::sha256;

/// Helm's longest release name, in bytes.
pub const MAX_RELEASE_NAME_LEN: usize = 53;
/// How many hex digits of the SHA-256 a shortened name ends with.
pub const SHORT_HASH_LEN: usize = 12;
/// How many bytes of the composed name a shortened name keeps (53 - 12 - 1).
pub const SHORT_PREFIX_LEN: usize = MAX_RELEASE_NAME_LEN - SHORT_HASH_LEN - 1;
/// The pattern Helm's `ValidateReleaseName` matches release names against.
pub const HELM_RELEASE_NAME_PATTERN: &str =
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
/// The helm-controller version whose rules this module reproduces.
pub const HELM_CONTROLLER_VERSION: &str = "v1.6.3";

/// Why a HelmRelease has no usable release name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReleaseError {
    /// The HelmRelease has no `metadata.name`, so nothing can be composed.
    #[error("the HelmRelease has no metadata.name")]
    MissingName,
    /// The composed name is longer than 53 bytes and byte 40 falls inside a
    /// multi-byte character: the shortened name would not be UTF-8.
    #[error(
        "release name {name:?} is {len} bytes long and would be shortened inside a multi-byte character (byte {SHORT_PREFIX_LEN}); Helm rejects the result"
    )]
    SplitCharacter {
        /// The composed name.
        name: String,
        /// Its length in bytes.
        len: usize,
    },
    /// Helm's `ValidateReleaseName` rejects the (shortened) release name.
    #[error("invalid release name {name:?}{composed_note}: must match regex {HELM_RELEASE_NAME_PATTERN} and the length must not be longer than 53", composed_note = composed_note(composed, name))]
    InvalidName {
        /// The release name Helm would receive.
        name: String,
        /// The composed name it comes from.
        composed: String,
    },
}

fn composed_note(composed: &str, name: &str) -> String {
    if composed == name {
        String::new()
    } else {
        format!(" (shortened from {composed:?})")
    }
}

impl ReleaseError {
    /// The stable diagnostic code.
    pub fn code(&self) -> &'static str {
        match self {
            ReleaseError::MissingName => "release.missing_name",
            ReleaseError::SplitCharacter { .. } => "release.split_character",
            ReleaseError::InvalidName { .. } => "release.invalid_name",
        }
    }
}

/// A `<namespace>/<name>` reference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct NamespacedName {
    /// The namespace.
    pub namespace: String,
    /// The name.
    pub name: String,
}

impl fmt::Display for NamespacedName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.namespace, self.name)
    }
}

/// Everything about the Helm release of one HelmRelease.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseInfo {
    /// The composed name, before shortening.
    pub composed_name: String,
    /// The name Helm sees (shortened when the composed name is over 53 bytes).
    pub release_name: String,
    /// True when [`ReleaseInfo::release_name`] is a shortened name.
    pub shortened: bool,
    /// Where the chart's objects go.
    pub release_namespace: String,
    /// Where Helm stores the release (its Secrets).
    pub storage_namespace: String,
    /// The generated HelmChart (`None` with `spec.chartRef`).
    pub helm_chart: Option<NamespacedName>,
}

/// The composed release name: `release_name`, else `target_namespace-name`,
/// else `name` (an empty string counts as unset, as in Go).
pub fn compose_name(
    name: &str,
    target_namespace: Option<&str>,
    release_name: Option<&str>,
) -> String {
    match (
        release_name.filter(|s| !s.is_empty()),
        target_namespace.filter(|s| !s.is_empty()),
    ) {
        (Some(r), _) => r.to_string(),
        (None, Some(t)) => format!("{t}-{name}"),
        (None, None) => name.to_string(),
    }
}

/// helm-controller's shortening, byte for byte: names of at most 53 bytes are
/// returned as they are, longer ones become their first 40 bytes, `-` and 12
/// hex digits of their SHA-256. The result may not be UTF-8 when byte 40 falls
/// inside a character.
pub fn shorten_name_bytes(name: &[u8]) -> Vec<u8> {
    if name.len() <= MAX_RELEASE_NAME_LEN {
        return name.to_vec();
    }
    let mut out = Vec::with_capacity(MAX_RELEASE_NAME_LEN);
    out.extend_from_slice(&name[..SHORT_PREFIX_LEN]);
    out.push(b'-');
    out.extend_from_slice(&short_hash(name));
    out
}

/// The first 12 lowercase hex digits of the SHA-256 of `data`.
fn short_hash(data: &[u8]) -> [u8; SHORT_HASH_LEN] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let digest = sha256(data);
    let mut out = [0u8; SHORT_HASH_LEN];
    for (i, b) in digest[..SHORT_HASH_LEN / 2].iter().enumerate() {
        out[2 * i] = HEX[(b >> 4) as usize];
        out[2 * i + 1] = HEX[(b & 15) as usize];
    }
    out
}

/// helm-controller's shortening on text; an error when the 40-byte cut would
/// split a character.
pub fn shorten_name(name: &str) -> Result<String, ReleaseError> {
    if name.len() <= MAX_RELEASE_NAME_LEN {
        return Ok(name.to_string());
    }
    if !name.is_char_boundary(SHORT_PREFIX_LEN) {
        return Err(ReleaseError::SplitCharacter {
            name: name.to_string(),
            len: name.len(),
        });
    }
    let mut out = String::with_capacity(MAX_RELEASE_NAME_LEN);
    out.push_str(&name[..SHORT_PREFIX_LEN]);
    out.push('-');
    // The hash is ASCII hex.
    for b in short_hash(name.as_bytes()) {
        out.push(char::from(b));
    }
    Ok(out)
}

/// True when Helm's `ValidateReleaseName` accepts `name`: not empty, at most
/// 53 bytes, and matching [`HELM_RELEASE_NAME_PATTERN`].
pub fn is_valid_release_name(name: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    !name.is_empty()
        && name.len() <= MAX_RELEASE_NAME_LEN
        && name.split('.').all(|label| {
            let b = label.as_bytes();
            !b.is_empty()
                && alnum(b[0])
                && alnum(b[b.len() - 1])
                && b.iter().all(|&c| alnum(c) || c == b'-')
        })
}

/// The release name Helm sees for a composed name, checked as Helm checks it.
pub fn release_name(composed: &str) -> Result<String, ReleaseError> {
    let short = shorten_name(composed)?;
    if !is_valid_release_name(&short) {
        return Err(ReleaseError::InvalidName {
            name: short,
            composed: composed.to_string(),
        });
    }
    Ok(short)
}

/// Resolves the release of a HelmRelease. `default_namespace` stands for a
/// missing `metadata.namespace` (what the applier would set).
pub fn resolve(hr: &HelmRelease, default_namespace: &str) -> Result<ReleaseInfo, ReleaseError> {
    let name = hr
        .metadata
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .ok_or(ReleaseError::MissingName)?;
    let namespace = hr
        .metadata
        .namespace
        .as_deref()
        .filter(|n| !n.is_empty())
        .unwrap_or(default_namespace);
    let spec = hr.spec.as_ref();
    let target = spec.and_then(|s| nonempty(s.target_namespace.as_ref()));
    let storage = spec.and_then(|s| nonempty(s.storage_namespace.as_ref()));
    let explicit = spec.and_then(|s| nonempty(s.release_name.as_ref()));
    let composed = compose_name(name, target, explicit);
    let release = release_name(&composed)?;
    let helm_chart = spec
        .and_then(|s| s.chart.as_ref())
        .map(|chart| NamespacedName {
            namespace: nonempty(chart.spec.source_ref.namespace.as_ref())
                .unwrap_or(namespace)
                .to_string(),
            name: format!("{namespace}-{name}"),
        });
    Ok(ReleaseInfo {
        shortened: release != composed,
        composed_name: composed,
        release_name: release,
        release_namespace: target.unwrap_or(namespace).to_string(),
        storage_namespace: storage.unwrap_or(namespace).to_string(),
        helm_chart,
    })
}

fn nonempty(s: Option<&String>) -> Option<&str> {
    s.map(String::as_str).filter(|s| !s.is_empty())
}

/// The namespace [`check`] assumes for a HelmRelease without one.
pub const CHECK_DEFAULT_NAMESPACE: &str = "default";

/// Checks every HelmRelease of a repository: an invalid release name is an
/// error (`release.invalid_name`, `release.split_character`,
/// `release.missing_name`); two HelmReleases with the same storage namespace
/// and (shortened) release name are an error (`release.duplicate`), since Helm
/// would see one release; a shortened name is reported as information
/// (`release.shortened`). HelmReleases without namespace are taken to be in
/// [`CHECK_DEFAULT_NAMESPACE`].
pub fn check(set: &ManifestSet) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: BTreeMap<(String, String), Vec<&Manifest>> = BTreeMap::new();
    for (m, obj) in set.flux_objects() {
        let FluxObject::HelmRelease(hr) = obj else {
            continue;
        };
        let field = if hr
            .spec
            .as_ref()
            .and_then(|s| s.release_name.as_ref())
            .is_some_and(|r| !r.is_empty())
        {
            "spec.releaseName"
        } else {
            "metadata.name"
        };
        let id = format!(
            "HelmRelease {}/{}",
            m.namespace().unwrap_or(CHECK_DEFAULT_NAMESPACE),
            m.name()
        );
        match resolve(hr, CHECK_DEFAULT_NAMESPACE) {
            Err(e) => {
                out.push(Diagnostic::error(e.code(), format!("{id}: {e}")).at(m.locate(field)))
            }
            Ok(info) => {
                if info.shortened {
                    out.push(
                        Diagnostic::info(
                            "release.shortened",
                            format!(
                                "{id}: the composed release name {:?} is {} bytes long; Helm sees {:?}",
                                info.composed_name,
                                info.composed_name.len(),
                                info.release_name
                            ),
                        )
                        .at(m.locate(field))
                        .with_hint("set spec.releaseName (at most 53 characters) to choose a readable name"),
                    );
                }
                seen.entry((info.storage_namespace, info.release_name))
                    .or_default()
                    .push(m);
            }
        }
    }
    for ((storage, release), mut ms) in seen {
        // The same object written twice (alternative files, one folder per
        // cluster) is one object in a cluster, not two releases competing.
        let mut ids = std::collections::BTreeSet::new();
        ms.retain(|m| ids.insert((m.namespace().unwrap_or(CHECK_DEFAULT_NAMESPACE), m.name())));
        if ms.len() < 2 {
            continue;
        }
        let first = ms[0];
        for other in &ms[1..] {
            out.push(
                Diagnostic::error(
                    "release.duplicate",
                    format!(
                        "HelmRelease {}/{} ({}) and HelmRelease {}/{} ({}) both manage Helm release {release:?} stored in namespace {storage:?}",
                        first.namespace().unwrap_or(CHECK_DEFAULT_NAMESPACE),
                        first.name(),
                        loc(&first.location),
                        other.namespace().unwrap_or(CHECK_DEFAULT_NAMESPACE),
                        other.name(),
                        loc(&other.location),
                    ),
                )
                .at(other.location.clone())
                .with_hint("set a distinct spec.releaseName or spec.storageNamespace on one of them (in a repository with one folder per cluster this is expected)"),
            );
        }
    }
    out
}

fn loc(l: &Location) -> String {
    format!("{}:{}", l.file.as_deref().unwrap_or("<input>"), l.line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn sha256_standard_vectors() {
        // FIPS 180-4 / NIST examples.
        assert_eq!(
            hex(&sha256(b"")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hex(&sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex(&sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        assert_eq!(
            hex(&sha256(b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu")),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        );
        let million_a = vec![b'a'; 1_000_000];
        assert_eq!(
            hex(&sha256(&million_a)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        );
        // Padding edges: 55, 56, 63, 64 bytes.
        assert_eq!(
            hex(&sha256(&[b'a'; 55])),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"
        );
        assert_eq!(
            hex(&sha256(&[b'a'; 56])),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"
        );
        assert_eq!(
            hex(&sha256(&[b'a'; 64])),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"
        );
    }

    #[test]
    fn shortening_edges() {
        let a53 = "a".repeat(53);
        assert_eq!(shorten_name(&a53).unwrap(), a53);
        assert_eq!(
            shorten_name(&"a".repeat(54)).unwrap(),
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-a3f01b693925"
        );
        assert_eq!(
            shorten_name("a-very-lengthy-target-namespace-with-a-nice-object-name").unwrap(),
            "a-very-lengthy-target-namespace-with-a-n-97af5d7f41f3"
        );
        // "é" is two bytes; 39 ASCII bytes put it across byte 40.
        let split = format!("{}é{}", "a".repeat(39), "b".repeat(20));
        let err = shorten_name(&split).unwrap_err();
        assert_eq!(err.code(), "release.split_character");
        // Upstream keeps the first byte of the character only.
        let bytes = shorten_name_bytes(split.as_bytes());
        assert_eq!(bytes.len(), 53);
        assert_eq!(&bytes[38..41], &[b'a', 0xc3, b'-']);
        assert!(std::str::from_utf8(&bytes).is_err());
        // 38 ASCII bytes: the character ends at byte 40, the cut is clean, but Helm refuses it.
        let clean = format!("{}é{}", "a".repeat(38), "b".repeat(20));
        assert_eq!(
            release_name(&clean).unwrap_err().code(),
            "release.invalid_name"
        );
    }

    #[test]
    fn helm_validation() {
        for ok in ["a", "a.b", "a-b", "0", "a1.b-2.c", &"a".repeat(53)] {
            assert!(is_valid_release_name(ok), "{ok}");
        }
        for bad in [
            "",
            "-a",
            "a-",
            "A",
            "a_b",
            "a..b",
            ".a",
            "a.",
            "a.-b",
            &"a".repeat(54),
            "é",
        ] {
            assert!(!is_valid_release_name(bad), "{bad}");
        }
        // A cut that ends in '-' gives "--", which Helm accepts; one that ends
        // in '.' gives ".-", which it refuses.
        let dash = format!("{}-{}", "a".repeat(39), "b".repeat(20));
        assert_eq!(
            release_name(&dash).unwrap(),
            format!("{}--223f6f9789ce", "a".repeat(39))
        );
        let dot = format!("{}.{}", "a".repeat(39), "b".repeat(20));
        assert_eq!(
            release_name(&dot).unwrap_err().code(),
            "release.invalid_name"
        );
    }

    fn hr(name: &str, ns: &str, spec: &str) -> String {
        format!("---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  interval: 10m\n  chartRef:\n    kind: OCIRepository\n    name: c\n{spec}")
    }

    #[test]
    fn fleet_check() {
        let long = "a".repeat(60);
        let text = [
            hr(
                "web",
                "team-a",
                "  releaseName: shared\n  storageNamespace: helm\n",
            ),
            hr(
                "api",
                "team-b",
                "  releaseName: shared\n  storageNamespace: helm\n",
            ),
            hr("web", "team-c", "  releaseName: shared\n"),
            // The same object twice (alternative files): one release, no report.
            hr("dup", "apps", ""),
            hr("dup", "apps", ""),
            hr(&long, "apps", ""),
            hr("bad", "apps", "  releaseName: Bad\n"),
        ]
        .concat();
        let set = crate::manifest::load_str(&text, Some("fleet.yaml"));
        let diags = check(&set);
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "release.shortened",
                "release.invalid_name",
                "release.duplicate"
            ]
        );
        let dup = &diags[2];
        assert!(
            dup.message.contains("team-a/web (fleet.yaml:2)"),
            "{}",
            dup.message
        );
        assert!(
            dup.message.contains("team-b/api (fleet.yaml:15)"),
            "{}",
            dup.message
        );
        assert!(dup.message.contains("\"helm\""), "{}", dup.message);
        assert_eq!(dup.location.line, 15);
        assert!(diags[0].message.contains(&long), "{}", diags[0].message);
        assert!(diags[0].message.contains("aaaa-"), "{}", diags[0].message);
        assert_eq!(diags[1].location.path, "spec.releaseName");
    }
}

//! The Flux kinds and their served apiVersions, the versions Flux no longer serves,
//! and [`migrate`], which moves manifests to the served versions.
//!
//! Every Flux CRD serves exactly one version today ([`served_kinds`]). Older versions
//! were dropped release by release ([`removed_versions`]); an object written with one
//! of them is rejected by the API server. [`version_status`] tells which case an
//! `apiVersion` + `kind` pair is in.
//!
//! [`migrate`] rewrites the `apiVersion` of such objects in YAML text. It edits only
//! the apiVersion values and leaves every other byte alone (comments, quoting,
//! CRLF line ends, a missing final newline). Unlike `flux migrate -f`, which
//! needs `kind:` on the line right after `apiVersion:`, it finds the kind
//! anywhere in the document's top-level mapping.
//!
//! ```
//! use fluxcd_core::migrate::{migrate, version_status, VersionStatus};
//!
//! let text = "\
//! # podinfo release
//! kind: HelmRelease
//! metadata:
//!   name: podinfo
//! apiVersion: helm.toolkit.fluxcd.io/v2beta1 # old
//! ";
//! let out = migrate(text);
//! assert_eq!(out.text, text.replace("/v2beta1", "/v2"));
//! assert_eq!(out.changes.len(), 1);
//! assert_eq!((out.changes[0].line, out.changes[0].column), (5, 13));
//! assert_eq!(out.changes[0].from, "helm.toolkit.fluxcd.io/v2beta1");
//! assert_eq!(out.changes[0].to, "helm.toolkit.fluxcd.io/v2");
//!
//! assert_eq!(
//!     version_status("helm.toolkit.fluxcd.io/v2beta2", "HelmRelease"),
//!     VersionStatus::Removed { current: "helm.toolkit.fluxcd.io/v2", removed_in: "2.8" },
//! );
//! assert_eq!(version_status("v1", "ConfigMap"), VersionStatus::NotFlux);
//! ```

use std::ops::Range;

use crate::diagnostic::{Diagnostic, Location};

/// A kind Flux serves, with its group and only served version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KindInfo {
    /// API group, e.g. `source.toolkit.fluxcd.io`.
    pub group: &'static str,
    /// The one version the CRD serves, e.g. `v1`.
    pub version: &'static str,
    /// Kind, e.g. `GitRepository`.
    pub kind: &'static str,
    /// Resource plural, e.g. `gitrepositories`.
    pub plural: &'static str,
    /// `kubectl` short names, e.g. `["gitrepo"]`.
    pub short_names: &'static [&'static str],
}

impl KindInfo {
    /// The full served apiVersion, `group/version`.
    pub fn api_version(&self) -> String {
        format!("{}/{}", self.group, self.version)
    }
}

/// A version of a Flux API group that Flux no longer serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RemovedVersion {
    /// API group, e.g. `helm.toolkit.fluxcd.io`.
    pub group: &'static str,
    /// The removed version, e.g. `v2beta1`.
    pub version: &'static str,
    /// The Flux minor release that stopped serving it, e.g. `"2.7"`, or
    /// `"before 2.0"` for the early alpha versions.
    pub removed_in: &'static str,
}

/// Where an `apiVersion` + `kind` pair stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VersionStatus {
    /// The version the CRD serves.
    Served,
    /// A version Flux used to serve and removed.
    Removed {
        /// The served apiVersion for this kind, e.g. `helm.toolkit.fluxcd.io/v2`.
        current: &'static str,
        /// The Flux release that removed the version, e.g. `"2.7"`.
        removed_in: &'static str,
    },
    /// A Flux kind with a version its group never had (e.g. Alert at
    /// `notification.toolkit.fluxcd.io/v1`, which does not exist).
    UnknownVersion {
        /// The served apiVersion for this kind.
        current: &'static str,
    },
    /// Not a Flux kind: another group, or a kind no Flux CRD defines in that group.
    NotFlux,
}

const SOURCE: &str = "source.toolkit.fluxcd.io";
const KUSTOMIZE: &str = "kustomize.toolkit.fluxcd.io";
const HELM: &str = "helm.toolkit.fluxcd.io";
const IMAGE: &str = "image.toolkit.fluxcd.io";
const NOTIFICATION: &str = "notification.toolkit.fluxcd.io";
const SOURCE_EXTENSIONS: &str = "source.extensions.fluxcd.io";

/// The served apiVersions as full strings, so that [`VersionStatus`] can hand out
/// `&'static str`.
const SERVED_API_VERSIONS: &[&str] = &[
    "source.toolkit.fluxcd.io/v1",
    "kustomize.toolkit.fluxcd.io/v1",
    "helm.toolkit.fluxcd.io/v2",
    "image.toolkit.fluxcd.io/v1",
    "notification.toolkit.fluxcd.io/v1beta3",
    "notification.toolkit.fluxcd.io/v1",
    "source.extensions.fluxcd.io/v1beta1",
];

const fn kind(
    group: &'static str,
    version: &'static str,
    kind: &'static str,
    plural: &'static str,
    short_names: &'static [&'static str],
) -> KindInfo {
    KindInfo {
        group,
        version,
        kind,
        plural,
        short_names,
    }
}

static KINDS: [KindInfo; 15] = [
    kind(
        SOURCE,
        "v1",
        "GitRepository",
        "gitrepositories",
        &["gitrepo"],
    ),
    kind(
        SOURCE,
        "v1",
        "OCIRepository",
        "ocirepositories",
        &["ocirepo"],
    ),
    kind(
        SOURCE,
        "v1",
        "HelmRepository",
        "helmrepositories",
        &["helmrepo"],
    ),
    kind(SOURCE, "v1", "HelmChart", "helmcharts", &["hc"]),
    kind(SOURCE, "v1", "Bucket", "buckets", &[]),
    kind(
        SOURCE,
        "v1",
        "ExternalArtifact",
        "externalartifacts",
        &["ea"],
    ),
    kind(KUSTOMIZE, "v1", "Kustomization", "kustomizations", &["ks"]),
    kind(HELM, "v2", "HelmRelease", "helmreleases", &["hr"]),
    kind(
        IMAGE,
        "v1",
        "ImageRepository",
        "imagerepositories",
        &["imgrepo", "imagerepo"],
    ),
    kind(
        IMAGE,
        "v1",
        "ImagePolicy",
        "imagepolicies",
        &["imgpol", "imagepol"],
    ),
    kind(
        IMAGE,
        "v1",
        "ImageUpdateAutomation",
        "imageupdateautomations",
        &["iua", "imgupd", "imgauto"],
    ),
    kind(NOTIFICATION, "v1beta3", "Provider", "providers", &[]),
    kind(NOTIFICATION, "v1beta3", "Alert", "alerts", &[]),
    kind(NOTIFICATION, "v1", "Receiver", "receivers", &[]),
    kind(
        SOURCE_EXTENSIONS,
        "v1beta1",
        "ArtifactGenerator",
        "artifactgenerators",
        &["ag"],
    ),
];

const BEFORE_2_0: &str = "before 2.0";

static REMOVED: [RemovedVersion; 16] = [
    RemovedVersion {
        group: SOURCE,
        version: "v1alpha1",
        removed_in: BEFORE_2_0,
    },
    RemovedVersion {
        group: SOURCE,
        version: "v1beta1",
        removed_in: "2.7",
    },
    RemovedVersion {
        group: SOURCE,
        version: "v1beta2",
        removed_in: "2.8",
    },
    RemovedVersion {
        group: KUSTOMIZE,
        version: "v1alpha1",
        removed_in: BEFORE_2_0,
    },
    RemovedVersion {
        group: KUSTOMIZE,
        version: "v1beta1",
        removed_in: "2.7",
    },
    RemovedVersion {
        group: KUSTOMIZE,
        version: "v1beta2",
        removed_in: "2.8",
    },
    RemovedVersion {
        group: HELM,
        version: "v2alpha1",
        removed_in: BEFORE_2_0,
    },
    RemovedVersion {
        group: HELM,
        version: "v2beta1",
        removed_in: "2.7",
    },
    RemovedVersion {
        group: HELM,
        version: "v2beta2",
        removed_in: "2.8",
    },
    RemovedVersion {
        group: NOTIFICATION,
        version: "v1alpha1",
        removed_in: BEFORE_2_0,
    },
    RemovedVersion {
        group: NOTIFICATION,
        version: "v1beta1",
        removed_in: "2.7",
    },
    RemovedVersion {
        group: NOTIFICATION,
        version: "v1beta2",
        removed_in: "2.9",
    },
    RemovedVersion {
        group: IMAGE,
        version: "v1alpha1",
        removed_in: BEFORE_2_0,
    },
    RemovedVersion {
        group: IMAGE,
        version: "v1alpha2",
        removed_in: BEFORE_2_0,
    },
    RemovedVersion {
        group: IMAGE,
        version: "v1beta1",
        removed_in: "2.7",
    },
    RemovedVersion {
        group: IMAGE,
        version: "v1beta2",
        removed_in: "2.9",
    },
];

/// The 15 kinds Flux serves, each with its only served version.
pub fn served_kinds() -> &'static [KindInfo] {
    &KINDS
}

/// The versions of the Flux groups that are no longer served, with the Flux release
/// that removed each.
///
/// Removal is per group: every kind of the group lost the version in that release.
pub fn removed_versions() -> &'static [RemovedVersion] {
    &REMOVED
}

/// True for the API groups of the Flux CRDs (`source.toolkit.fluxcd.io`, ...).
pub fn is_flux_group(group: &str) -> bool {
    KINDS.iter().any(|k| k.group == group)
}

/// The kind when `api_version` is exactly its served apiVersion.
pub fn served(api_version: &str, kind: &str) -> Option<&'static KindInfo> {
    let (group, version) = api_version.split_once('/')?;
    lookup_kind(group, kind).filter(|k| k.version == version)
}

/// The Flux kind `kind` of `group`, whatever the version.
pub fn lookup_kind(group: &str, kind: &str) -> Option<&'static KindInfo> {
    KINDS.iter().find(|k| k.group == group && k.kind == kind)
}

/// Whether `api_version` is served, removed or unknown for the Flux kind `kind`.
///
/// An apiVersion without a `/` (the core group, e.g. `v1`) or a kind that no Flux
/// CRD of that group defines gives [`VersionStatus::NotFlux`].
pub fn version_status(api_version: &str, kind: &str) -> VersionStatus {
    let Some((group, version)) = api_version.split_once('/') else {
        return VersionStatus::NotFlux;
    };
    let Some(info) = lookup_kind(group, kind) else {
        return VersionStatus::NotFlux;
    };
    if info.version == version {
        return VersionStatus::Served;
    }
    let current = served_api_version(info);
    match REMOVED
        .iter()
        .find(|r| r.group == group && r.version == version)
    {
        Some(r) => VersionStatus::Removed {
            current,
            removed_in: r.removed_in,
        },
        None => VersionStatus::UnknownVersion { current },
    }
}

fn served_api_version(info: &KindInfo) -> &'static str {
    SERVED_API_VERSIONS
        .iter()
        .copied()
        .find(|av| av.split_once('/') == Some((info.group, info.version)))
        .expect("every served kind has its apiVersion listed")
}

/// One apiVersion rewritten by [`migrate`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Migration {
    /// 1-based line of the apiVersion value.
    pub line: u32,
    /// 1-based column (in characters) of the apiVersion value; for a quoted value,
    /// the opening quote.
    pub column: u32,
    /// The document's kind.
    pub kind: String,
    /// The old apiVersion, e.g. `helm.toolkit.fluxcd.io/v2beta1`.
    pub from: String,
    /// The new apiVersion, e.g. `helm.toolkit.fluxcd.io/v2`.
    pub to: String,
}

/// What [`migrate`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrateResult {
    /// The migrated text; byte-identical to the input when nothing changed.
    pub text: String,
    /// Every rewritten apiVersion, in text order.
    pub changes: Vec<Migration>,
    /// Findings that blocked a rewrite (`migrate.bad_api_version`).
    pub warnings: Vec<Diagnostic>,
}

/// Rewrites the `apiVersion` of every Flux object on a removed or never-served
/// version to the served one, in YAML text.
///
/// The text is split into documents at `---` lines (and `...` ends); in each, the
/// top-level `apiVersion` and `kind` keys are found wherever they are, in any order.
/// Keys of nested mappings and lines inside block scalars or multi-line flow values
/// are never read. Only the apiVersion value changes; quotes, trailing comments and
/// line ends stay as they were. Objects of other groups are left alone. An
/// apiVersion of a Flux group that is not `group/version` (more than one `/`) is
/// left as it is and reported as a `migrate.bad_api_version` warning.
pub fn migrate(text: &str) -> MigrateResult {
    let lines = split_lines(text);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut changes = Vec::new();
    let mut warnings = Vec::new();

    for doc in documents(&lines) {
        if doc.opaque {
            continue;
        }
        // The first occurrence of each key counts, readable or not.
        let mut api_version: Option<Option<Scalar>> = None;
        let mut kind: Option<Option<Scalar>> = None;
        for (key, value) in top_level_entries(&lines[doc.lines.clone()]) {
            match key.as_str() {
                "apiVersion" if api_version.is_none() => api_version = Some(value),
                "kind" if kind.is_none() => kind = Some(value),
                _ => {}
            }
        }
        let Some(av) = api_version.flatten() else {
            continue;
        };
        let kind = kind.flatten().map(|k| k.value);

        if av.value.matches('/').count() > 1 {
            let group = av.value.split('/').next().unwrap_or_default();
            if is_flux_group(group) {
                let mut warning = Diagnostic::warning(
                    "migrate.bad_api_version",
                    format!("unexpected GroupVersion string: {}", av.value),
                )
                .at(Location {
                    file: None,
                    document: doc.index,
                    line: av.line,
                    column: av.column,
                    path: "apiVersion".into(),
                });
                if let Some(info) = kind.as_deref().and_then(|k| lookup_kind(group, k)) {
                    warning = warning.with_hint(format!(
                        "the served apiVersion of {} is {}",
                        info.kind,
                        served_api_version(info)
                    ));
                }
                warnings.push(warning);
            }
            continue;
        }
        let Some(kind) = kind else {
            continue;
        };
        let current = match version_status(&av.value, &kind) {
            VersionStatus::Removed { current, .. } | VersionStatus::UnknownVersion { current } => {
                current
            }
            VersionStatus::Served | VersionStatus::NotFlux => continue,
        };
        edits.push((av.span.clone(), current.to_string()));
        changes.push(Migration {
            line: av.line,
            column: av.column,
            kind,
            from: av.value,
            to: current.to_string(),
        });
    }

    let text = if edits.is_empty() {
        text.to_string()
    } else {
        let mut out = String::with_capacity(text.len());
        let mut pos = 0;
        for (span, replacement) in &edits {
            out.push_str(&text[pos..span.start]);
            out.push_str(replacement);
            pos = span.end;
        }
        out.push_str(&text[pos..]);
        out
    };
    MigrateResult {
        text,
        changes,
        warnings,
    }
}

/// One line of the input, without its line end.
struct Line<'a> {
    /// Byte offset of `text` in the whole input.
    start: usize,
    /// The line without `\n` / `\r\n` (and without a leading BOM on line 1).
    text: &'a str,
    /// 1-based line number.
    number: u32,
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut number = 1u32;
    while start < text.len() || (start == 0 && text.is_empty()) {
        let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let mut content = &text[start..end];
        content = content.strip_suffix('\r').unwrap_or(content);
        let mut content_start = start;
        if start == 0 {
            if let Some(rest) = content.strip_prefix('\u{feff}') {
                content = rest;
                content_start += '\u{feff}'.len_utf8();
            }
        }
        lines.push(Line {
            start: content_start,
            text: content,
            number,
        });
        number = number.saturating_add(1);
        start = end + 1;
        if text.is_empty() {
            break;
        }
    }
    lines
}

struct Document {
    /// Zero-based index among the stream's documents.
    index: usize,
    /// Line indices of the document's content (markers excluded).
    lines: Range<usize>,
    /// The `---` line carries content (a root scalar, tag or flow node): the
    /// document is not a block mapping we can read line by line.
    opaque: bool,
}

/// `---` or `...` at column 0, alone or followed by whitespace.
fn marker<'a>(line: &'a str, mark: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(mark)?;
    if rest.is_empty() || rest.starts_with([' ', '\t']) {
        Some(rest)
    } else {
        None
    }
}

fn is_content(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\t']);
    !(t.is_empty() || t.starts_with('#') || line.starts_with('%'))
}

fn documents(lines: &[Line<'_>]) -> Vec<Document> {
    let mut docs = Vec::new();
    let mut start = 0;
    // Whether the current document was opened by `---` (then it counts even when
    // empty) and whether that marker line carried content.
    let mut explicit = false;
    let mut opaque = false;
    let close = |docs: &mut Vec<Document>, range: Range<usize>, explicit: bool, opaque| {
        if explicit || lines[range.clone()].iter().any(|l| is_content(l.text)) {
            let index = docs.len();
            docs.push(Document {
                index,
                lines: range,
                opaque,
            });
        }
    };
    for (i, line) in lines.iter().enumerate() {
        if let Some(rest) = marker(line.text, "---") {
            close(&mut docs, start..i, explicit, opaque);
            start = i + 1;
            explicit = true;
            opaque = is_content(rest);
        } else if marker(line.text, "...").is_some() {
            close(&mut docs, start..i, explicit, opaque);
            start = i + 1;
            explicit = false;
            opaque = false;
        }
    }
    close(&mut docs, start..lines.len(), explicit, opaque);
    docs
}

/// A scalar value read from a line.
struct Scalar {
    /// The value, without quotes.
    value: String,
    /// Byte range of the value's characters in the input (inside the quotes).
    span: Range<usize>,
    /// 1-based line of the value node.
    line: u32,
    /// 1-based character column of the value node (the quote, when quoted).
    column: u32,
}

/// The keys of a document's root mapping, each with its value when that value is a
/// single-line scalar on the key's line.
fn top_level_entries(lines: &[Line<'_>]) -> Vec<(String, Option<Scalar>)> {
    let mut entries = Vec::new();
    // The root mapping's indentation is that of the first content line.
    let Some(indent) = lines
        .iter()
        .find(|l| is_content(l.text))
        .map(|l| indentation(l.text))
    else {
        return entries;
    };
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        i += 1;
        if indentation(line.text) != indent {
            continue;
        }
        let body = &line.text[indent..];
        let Some((key, value_at)) = split_key(body) else {
            continue;
        };
        let value_offset = indent + value_at;
        let rest = &line.text[value_offset..];
        let lead = rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let value_text = &rest[lead..];
        // Skip the lines a multi-line quoted or flow value runs over, so that
        // nothing inside it is taken for a key.
        let mut state = FlowState::start(value_text);
        while !state.done() && i < lines.len() {
            state.feed(lines[i].text);
            i += 1;
        }
        let scalar = read_scalar(value_text).map(|(value, inner, node_at)| {
            let base = value_offset + lead;
            let column = line.text[..base + node_at].chars().count() + 1;
            Scalar {
                value,
                span: line.start + base + inner.start..line.start + base + inner.end,
                line: line.number,
                column: u32::try_from(column).unwrap_or(u32::MAX),
            }
        });
        entries.push((key, scalar));
    }
    entries
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// Splits `key: value` at the start of `body`; returns the unquoted key and the byte
/// offset just after the `:`. Sequence entries, comments, flow nodes, complex keys
/// and anything that is not a key line give `None`.
fn split_key(body: &str) -> Option<(String, usize)> {
    let first = body.chars().next()?;
    let (key, after) = match first {
        '"' | '\'' => {
            let (key, len) = read_quoted(body)?;
            (key, len)
        }
        '#' | '-' | '[' | '{' | '?' | ':' | '&' | '*' | '!' | '|' | '>' | '%' | '@' | '`'
        | '\t' => return None,
        _ => {
            let mut end = None;
            for (i, c) in body.char_indices() {
                if c == ':' {
                    let next = body[i + 1..].chars().next();
                    if next.is_none() || matches!(next, Some(' ' | '\t')) {
                        end = Some(i);
                        break;
                    }
                }
                if c == '#' && body[..i].ends_with([' ', '\t']) {
                    return None;
                }
            }
            let end = end?;
            (body[..end].trim_end().to_string(), end)
        }
    };
    let rest = &body[after..];
    let spaces = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let rest = &rest[spaces..];
    let colon = rest.strip_prefix(':')?;
    if !(colon.is_empty() || colon.starts_with([' ', '\t'])) {
        return None;
    }
    Some((key, after + spaces + 1))
}

/// Reads a quoted scalar at the start of `s`; returns the unescaped text and the
/// byte length including both quotes. Double-quoted text with escapes is not
/// decoded (`None`): apiVersion and kind values never need them.
fn read_quoted(s: &str) -> Option<(String, usize)> {
    let quote = s.chars().next()?;
    let body = &s[1..];
    if quote == '"' {
        let end = body.find(['"', '\\'])?;
        if body[end..].starts_with('\\') {
            return None;
        }
        Some((body[..end].to_string(), end + 2))
    } else {
        let mut value = String::new();
        let mut chars = body.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if matches!(chars.peek(), Some((_, '\''))) {
                    chars.next();
                    value.push('\'');
                } else {
                    return Some((value, i + 2));
                }
            } else {
                value.push(c);
            }
        }
        None
    }
}

/// Reads a single-line scalar value: the text, the byte range of its characters and
/// the byte offset of the node (the opening quote for quoted values). Values that
/// continue on later lines, block scalars, flow collections, anchors, aliases and
/// tags give `None`.
fn read_scalar(s: &str) -> Option<(String, Range<usize>, usize)> {
    let first = s.chars().next()?;
    match first {
        '"' | '\'' => {
            let (value, len) = read_quoted(s)?;
            let tail = s[len..].trim_start_matches([' ', '\t']);
            if !(tail.is_empty() || tail.starts_with('#')) {
                return None;
            }
            if first == '\'' && value.len() != len - 2 {
                // Escaped quotes inside: the characters do not map one to one.
                return None;
            }
            Some((value, 1..len - 1, 0))
        }
        '#' | '|' | '>' | '[' | '{' | '&' | '*' | '!' | '%' | '@' | '`' => None,
        _ => {
            let mut end = s.len();
            for (i, c) in s.char_indices() {
                if c == '#' && i > 0 && s[..i].ends_with([' ', '\t']) {
                    end = i;
                    break;
                }
            }
            let value = s[..end].trim_end_matches([' ', '\t']);
            if value.is_empty() {
                return None;
            }
            Some((value.to_string(), 0..value.len(), 0))
        }
    }
}

/// Tracks a quoted scalar or flow collection that may run over several lines.
enum FlowState {
    Done,
    Double,
    Single,
    /// Nesting depth of `[`/`{`, and the quote we are inside, if any.
    Flow {
        depth: usize,
        quote: Option<char>,
    },
}

impl FlowState {
    fn start(value: &str) -> Self {
        let mut state = match value.chars().next() {
            Some('"') => FlowState::Double,
            Some('\'') => FlowState::Single,
            Some('[' | '{') => FlowState::Flow {
                depth: 0,
                quote: None,
            },
            _ => return FlowState::Done,
        };
        // The opening quote itself is not content.
        let body = match state {
            FlowState::Double | FlowState::Single => &value[1..],
            _ => value,
        };
        state.feed(body);
        state
    }

    fn done(&self) -> bool {
        matches!(self, FlowState::Done)
    }

    fn feed(&mut self, line: &str) {
        let mut chars = line.chars().peekable();
        // A `#` starts a comment only at the start of a line or after a blank.
        let mut after_blank = true;
        while let Some(c) = chars.next() {
            let comment_ok = after_blank;
            after_blank = c == ' ' || c == '\t';
            match self {
                FlowState::Done => return,
                FlowState::Double => match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => *self = FlowState::Done,
                    _ => {}
                },
                FlowState::Single => {
                    if c == '\'' {
                        if chars.peek() == Some(&'\'') {
                            chars.next();
                        } else {
                            *self = FlowState::Done;
                        }
                    }
                }
                FlowState::Flow { depth, quote } => match (*quote, c) {
                    (Some('"'), '\\') => {
                        chars.next();
                    }
                    (Some('\''), '\'') if chars.peek() == Some(&'\'') => {
                        chars.next();
                    }
                    (Some(q), c) if c == q => *quote = None,
                    (Some(_), _) => {}
                    (None, '"' | '\'') => *quote = Some(c),
                    (None, '[' | '{') => *depth += 1,
                    (None, ']' | '}') => {
                        *depth = depth.saturating_sub(1);
                        if *depth == 0 {
                            *self = FlowState::Done;
                        }
                    }
                    (None, '#') if comment_ok => return,
                    (None, _) => {}
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    fn changes(r: &MigrateResult) -> Vec<(u32, u32, &str, &str, &str)> {
        r.changes
            .iter()
            .map(|m| {
                (
                    m.line,
                    m.column,
                    m.kind.as_str(),
                    m.from.as_str(),
                    m.to.as_str(),
                )
            })
            .collect()
    }

    #[track_caller]
    fn assert_untouched(text: &str) {
        let r = migrate(text);
        assert_eq!(r.text, text);
        assert!(r.changes.is_empty(), "{:?}", r.changes);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    // ---------- tables ----------

    #[test]
    fn fifteen_served_kinds() {
        assert_eq!(served_kinds().len(), 15);
        let mut kinds: Vec<_> = served_kinds().iter().map(|k| k.kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds.len(), 15);
        for k in served_kinds() {
            assert_eq!(served(&k.api_version(), k.kind), Some(k));
            assert_eq!(served_api_version(k), k.api_version());
            assert_eq!(
                version_status(&k.api_version(), k.kind),
                VersionStatus::Served
            );
            assert!(k.plural.chars().all(|c| c.is_ascii_lowercase()));
            // No removed version of the group is a served one.
            assert!(!removed_versions()
                .iter()
                .any(|r| r.group == k.group && r.version == k.version));
        }
    }

    #[test]
    fn served_and_lookup() {
        let hr = served("helm.toolkit.fluxcd.io/v2", "HelmRelease").unwrap();
        assert_eq!(hr.plural, "helmreleases");
        assert_eq!(hr.short_names, &["hr"]);
        assert!(served("helm.toolkit.fluxcd.io/v2beta2", "HelmRelease").is_none());
        assert!(served("helm.toolkit.fluxcd.io", "HelmRelease").is_none());
        assert!(served("source.toolkit.fluxcd.io/v1", "HelmRelease").is_none());
        assert_eq!(
            served("notification.toolkit.fluxcd.io/v1beta3", "Alert")
                .unwrap()
                .plural,
            "alerts"
        );
        assert!(served("notification.toolkit.fluxcd.io/v1", "Alert").is_none());
        assert_eq!(
            lookup_kind("image.toolkit.fluxcd.io", "ImageUpdateAutomation")
                .unwrap()
                .short_names,
            &["iua", "imgupd", "imgauto"]
        );
        assert_eq!(
            lookup_kind("source.extensions.fluxcd.io", "ArtifactGenerator")
                .unwrap()
                .version,
            "v1beta1"
        );
        assert!(lookup_kind("source.toolkit.fluxcd.io", "Kustomization").is_none());
        assert!(lookup_kind("apps", "Deployment").is_none());
        assert!(is_flux_group("image.toolkit.fluxcd.io"));
        assert!(!is_flux_group("fluxcd.io"));
    }

    #[test]
    fn version_status_table() {
        use VersionStatus::*;
        let cases: &[(&str, &str, VersionStatus)] = &[
            ("source.toolkit.fluxcd.io/v1", "GitRepository", Served),
            (
                "source.toolkit.fluxcd.io/v1beta1",
                "GitRepository",
                Removed {
                    current: "source.toolkit.fluxcd.io/v1",
                    removed_in: "2.7",
                },
            ),
            (
                "source.toolkit.fluxcd.io/v1beta2",
                "OCIRepository",
                Removed {
                    current: "source.toolkit.fluxcd.io/v1",
                    removed_in: "2.8",
                },
            ),
            (
                "source.toolkit.fluxcd.io/v1alpha1",
                "GitRepository",
                Removed {
                    current: "source.toolkit.fluxcd.io/v1",
                    removed_in: "before 2.0",
                },
            ),
            (
                "kustomize.toolkit.fluxcd.io/v1beta2",
                "Kustomization",
                Removed {
                    current: "kustomize.toolkit.fluxcd.io/v1",
                    removed_in: "2.8",
                },
            ),
            (
                "helm.toolkit.fluxcd.io/v2beta1",
                "HelmRelease",
                Removed {
                    current: "helm.toolkit.fluxcd.io/v2",
                    removed_in: "2.7",
                },
            ),
            (
                "helm.toolkit.fluxcd.io/v2beta2",
                "HelmRelease",
                Removed {
                    current: "helm.toolkit.fluxcd.io/v2",
                    removed_in: "2.8",
                },
            ),
            (
                "helm.toolkit.fluxcd.io/v2alpha1",
                "HelmRelease",
                Removed {
                    current: "helm.toolkit.fluxcd.io/v2",
                    removed_in: "before 2.0",
                },
            ),
            (
                "helm.toolkit.fluxcd.io/v1",
                "HelmRelease",
                UnknownVersion {
                    current: "helm.toolkit.fluxcd.io/v2",
                },
            ),
            ("notification.toolkit.fluxcd.io/v1beta3", "Alert", Served),
            ("notification.toolkit.fluxcd.io/v1beta3", "Provider", Served),
            (
                "notification.toolkit.fluxcd.io/v1",
                "Alert",
                UnknownVersion {
                    current: "notification.toolkit.fluxcd.io/v1beta3",
                },
            ),
            (
                "notification.toolkit.fluxcd.io/v1beta2",
                "Provider",
                Removed {
                    current: "notification.toolkit.fluxcd.io/v1beta3",
                    removed_in: "2.9",
                },
            ),
            ("notification.toolkit.fluxcd.io/v1", "Receiver", Served),
            (
                "notification.toolkit.fluxcd.io/v1beta1",
                "Receiver",
                Removed {
                    current: "notification.toolkit.fluxcd.io/v1",
                    removed_in: "2.7",
                },
            ),
            (
                "notification.toolkit.fluxcd.io/v1beta2",
                "Receiver",
                Removed {
                    current: "notification.toolkit.fluxcd.io/v1",
                    removed_in: "2.9",
                },
            ),
            (
                "notification.toolkit.fluxcd.io/v1beta3",
                "Receiver",
                UnknownVersion {
                    current: "notification.toolkit.fluxcd.io/v1",
                },
            ),
            (
                "image.toolkit.fluxcd.io/v1beta2",
                "ImagePolicy",
                Removed {
                    current: "image.toolkit.fluxcd.io/v1",
                    removed_in: "2.9",
                },
            ),
            (
                "image.toolkit.fluxcd.io/v1alpha2",
                "ImageUpdateAutomation",
                Removed {
                    current: "image.toolkit.fluxcd.io/v1",
                    removed_in: "before 2.0",
                },
            ),
            (
                "source.extensions.fluxcd.io/v1beta1",
                "ArtifactGenerator",
                Served,
            ),
            (
                "source.extensions.fluxcd.io/v1",
                "ArtifactGenerator",
                UnknownVersion {
                    current: "source.extensions.fluxcd.io/v1beta1",
                },
            ),
            ("v1", "ConfigMap", NotFlux),
            ("apps/v1", "Deployment", NotFlux),
            ("source.toolkit.fluxcd.io/v1", "Kustomization", NotFlux),
            ("source.toolkit.fluxcd.io/v1", "gitrepository", NotFlux),
            ("", "", NotFlux),
        ];
        for (av, kind, want) in cases {
            assert_eq!(version_status(av, kind), *want, "{av} {kind}");
        }
    }

    // ---------- upstream golden facts (flux migrate -f) ----------

    #[test]
    fn golden_single_file() {
        let text = "apiVersion: image.toolkit.fluxcd.io/v1beta1\nkind: ImageRepository\n---\n\n\n\napiVersion: image.toolkit.fluxcd.io/v1beta2\nkind: ImagePolicy\n\n\n---\n\napiVersion: image.toolkit.fluxcd.io/v1/v2\nkind: ImagePolicy\n\n";
        let r = migrate(text);
        assert_eq!(
            r.text,
            "apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\n---\n\n\n\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\n\n\n---\n\napiVersion: image.toolkit.fluxcd.io/v1/v2\nkind: ImagePolicy\n\n"
        );
        assert_eq!(
            changes(&r),
            vec![
                (
                    1,
                    13,
                    "ImageRepository",
                    "image.toolkit.fluxcd.io/v1beta1",
                    "image.toolkit.fluxcd.io/v1"
                ),
                (
                    7,
                    13,
                    "ImagePolicy",
                    "image.toolkit.fluxcd.io/v1beta2",
                    "image.toolkit.fluxcd.io/v1"
                ),
            ]
        );
        assert_eq!(r.warnings.len(), 1);
        let w = &r.warnings[0];
        assert_eq!(w.code, "migrate.bad_api_version");
        assert_eq!(w.severity, Severity::Warning);
        assert_eq!(
            w.message,
            "unexpected GroupVersion string: image.toolkit.fluxcd.io/v1/v2"
        );
        assert_eq!((w.location.line, w.location.column), (13, 13));
        assert_eq!(w.location.document, 2);
        assert_eq!(w.location.path, "apiVersion");
        assert_eq!(
            w.hint.as_deref(),
            Some("the served apiVersion of ImagePolicy is image.toolkit.fluxcd.io/v1")
        );
    }

    #[test]
    fn golden_non_adjacent_kind() {
        let text = "apiVersion: image.toolkit.fluxcd.io/v1beta1\nmetadata:\n  name: podinfo\nkind: ImageRepository\n---\nmetadata:\n  name: alpine\nkind: ImagePolicy\napiVersion: image.toolkit.fluxcd.io/v1beta2\n---\nkind: ImageUpdateAutomation\nmetadata:\n  name: flux-system\napiVersion: image.toolkit.fluxcd.io/v1beta1\n";
        let r = migrate(text);
        assert_eq!(
            r.text,
            text.replace("/v1beta1", "/v1").replace("/v1beta2", "/v1")
        );
        let lines: Vec<_> = r
            .changes
            .iter()
            .map(|c| (c.line, c.kind.as_str()))
            .collect();
        assert_eq!(
            lines,
            vec![
                (1, "ImageRepository"),
                (9, "ImagePolicy"),
                (14, "ImageUpdateAutomation")
            ]
        );
        assert!(r.warnings.is_empty());
    }

    // ---------- layout ----------

    #[test]
    fn kind_before_api_version_far_apart() {
        let text = "kind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\n  labels:\n    a: b\nspec:\n  interval: 10m\n  path: ./apps\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\napiVersion: kustomize.toolkit.fluxcd.io/v1beta2\n";
        let r = migrate(text);
        assert_eq!(
            r.text,
            text.replace(
                "kustomize.toolkit.fluxcd.io/v1beta2",
                "kustomize.toolkit.fluxcd.io/v1"
            )
        );
        assert_eq!(
            changes(&r),
            vec![(
                14,
                13,
                "Kustomization",
                "kustomize.toolkit.fluxcd.io/v1beta2",
                "kustomize.toolkit.fluxcd.io/v1"
            )]
        );
    }

    #[test]
    fn nested_kind_is_not_the_document_kind() {
        // `kind: GitRepository` inside sourceRef must not be taken as the kind.
        let text = "apiVersion: source.toolkit.fluxcd.io/v1beta2\nspec:\n  sourceRef:\n    kind: GitRepository\n";
        assert_untouched(text);
    }

    #[test]
    fn block_scalar_is_immune() {
        let text = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: embedded
data:
  release.yaml: |
    apiVersion: helm.toolkit.fluxcd.io/v2beta1
    kind: HelmRelease
  other: >-
    apiVersion: source.toolkit.fluxcd.io/v1beta2

    kind: GitRepository
";
        assert_untouched(text);
    }

    #[test]
    fn nested_values_are_immune() {
        let text = "\
apiVersion: helm.toolkit.fluxcd.io/v2beta2
kind: HelmRelease
metadata:
  name: app
spec:
  values:
    extraObjects:
      - apiVersion: source.toolkit.fluxcd.io/v1beta2
        kind: GitRepository
    nested:
      apiVersion: kustomize.toolkit.fluxcd.io/v1beta1
      kind: Kustomization
";
        let r = migrate(text);
        assert_eq!(
            r.text,
            text.replacen(
                "helm.toolkit.fluxcd.io/v2beta2",
                "helm.toolkit.fluxcd.io/v2",
                1
            )
        );
        assert_eq!(r.changes.len(), 1);
        assert_eq!(r.changes[0].line, 1);
    }

    #[test]
    fn list_of_objects_is_not_rewritten() {
        // A v1 List keeps its items nested; only root keys are read.
        let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: helm.toolkit.fluxcd.io/v2beta1\n  kind: HelmRelease\n";
        assert_untouched(text);
    }

    #[test]
    fn root_block_scalar_document_is_skipped() {
        let text = "--- |\napiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\n";
        assert_untouched(text);
    }

    #[test]
    fn multi_line_flow_values_are_skipped() {
        let text = "\
kind: HelmRelease
note: \"first line
apiVersion: helm.toolkit.fluxcd.io/v2beta1
still inside\"
list: [a,
apiVersion: x,
]
apiVersion: helm.toolkit.fluxcd.io/v2beta2
";
        let r = migrate(text);
        assert_eq!(
            changes(&r),
            vec![(
                8,
                13,
                "HelmRelease",
                "helm.toolkit.fluxcd.io/v2beta2",
                "helm.toolkit.fluxcd.io/v2"
            )]
        );
    }

    #[test]
    fn indented_root_mapping() {
        let text = "  apiVersion: helm.toolkit.fluxcd.io/v2beta1\n  kind: HelmRelease\n";
        let r = migrate(text);
        assert_eq!(
            r.text,
            "  apiVersion: helm.toolkit.fluxcd.io/v2\n  kind: HelmRelease\n"
        );
        assert_eq!((r.changes[0].line, r.changes[0].column), (1, 15));
    }

    // ---------- value syntax ----------

    #[test]
    fn double_quotes_are_kept() {
        let text = "apiVersion: \"helm.toolkit.fluxcd.io/v2beta1\"\nkind: \"HelmRelease\"\n";
        let r = migrate(text);
        assert_eq!(
            r.text,
            "apiVersion: \"helm.toolkit.fluxcd.io/v2\"\nkind: \"HelmRelease\"\n"
        );
        assert_eq!(
            changes(&r),
            vec![(
                1,
                13,
                "HelmRelease",
                "helm.toolkit.fluxcd.io/v2beta1",
                "helm.toolkit.fluxcd.io/v2"
            )]
        );
    }

    #[test]
    fn single_quotes_are_kept() {
        let text = "kind: 'GitRepository'\n'apiVersion':   'source.toolkit.fluxcd.io/v1beta2'   # pinned\n";
        let r = migrate(text);
        assert_eq!(
            r.text,
            "kind: 'GitRepository'\n'apiVersion':   'source.toolkit.fluxcd.io/v1'   # pinned\n"
        );
        assert_eq!((r.changes[0].line, r.changes[0].column), (2, 17));
    }

    #[test]
    fn trailing_comments_are_kept() {
        let text =
            "apiVersion: notification.toolkit.fluxcd.io/v1beta2 # old\nkind: Alert # the alert\n";
        let r = migrate(text);
        assert_eq!(
            r.text,
            "apiVersion: notification.toolkit.fluxcd.io/v1beta3 # old\nkind: Alert # the alert\n"
        );
        assert_eq!(r.changes[0].kind, "Alert");
    }

    #[test]
    fn crlf_and_missing_final_newline() {
        let text = "# header\r\napiVersion: source.toolkit.fluxcd.io/v1beta2\r\nkind: HelmRepository\r\nspec:\r\n  url: https://x\r\n---\r\nkind: Bucket\r\napiVersion: source.toolkit.fluxcd.io/v1beta1";
        let r = migrate(text);
        assert_eq!(
            r.text,
            "# header\r\napiVersion: source.toolkit.fluxcd.io/v1\r\nkind: HelmRepository\r\nspec:\r\n  url: https://x\r\n---\r\nkind: Bucket\r\napiVersion: source.toolkit.fluxcd.io/v1"
        );
        assert_eq!(
            r.changes
                .iter()
                .map(|c| (c.line, c.column))
                .collect::<Vec<_>>(),
            vec![(2, 13), (8, 13)]
        );
        assert_eq!(r.changes[1].kind, "Bucket");
    }

    #[test]
    fn bom_does_not_shift_columns() {
        let text = "\u{feff}apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\n";
        let r = migrate(text);
        assert_eq!(
            r.text,
            "\u{feff}apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\n"
        );
        assert_eq!((r.changes[0].line, r.changes[0].column), (1, 13));
    }

    #[test]
    fn unknown_version_is_rewritten() {
        let text = "apiVersion: notification.toolkit.fluxcd.io/v1\nkind: Provider\n";
        let r = migrate(text);
        assert_eq!(
            r.text,
            "apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Provider\n"
        );
    }

    #[test]
    fn non_flux_and_unknown_kinds_are_untouched() {
        assert_untouched("apiVersion: apps/v1beta2\nkind: Deployment\n");
        assert_untouched("apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: Kustomization\n");
        assert_untouched("apiVersion: example.com/v1/v2\nkind: Thing\n");
        assert_untouched("apiVersion: source.toolkit.fluxcd.io/v1beta2\n");
        assert_untouched("kind: HelmRelease\n");
        assert_untouched("apiVersion:\n  helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\n");
        assert_untouched("- apiVersion: helm.toolkit.fluxcd.io/v2beta1\n  kind: HelmRelease\n");
        // A duplicate key does not replace an unreadable first one.
        assert_untouched(
            "apiVersion: &v helm.toolkit.fluxcd.io/v2beta1\napiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\n",
        );
        // `#` inside a flow collection is not a comment unless after a blank.
        assert_untouched(
            "kind: HelmRelease\nx: [a#b,\napiVersion: helm.toolkit.fluxcd.io/v2beta1\n]\n",
        );
        assert_untouched("");
        assert_untouched("\n\n---\n");
        assert_untouched("# apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\n");
    }

    #[test]
    fn bad_api_version_warns_even_without_kind() {
        let r = migrate("---\n---\napiVersion: helm.toolkit.fluxcd.io/v2/beta1\n");
        assert_eq!(
            r.text,
            "---\n---\napiVersion: helm.toolkit.fluxcd.io/v2/beta1\n"
        );
        assert!(r.changes.is_empty());
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(r.warnings[0].location.document, 1);
        assert_eq!(r.warnings[0].location.line, 3);
        assert!(r.warnings[0].hint.is_none());
    }

    #[test]
    fn document_indices() {
        // Comments before the first marker do not make a document; content does.
        let r = migrate("# c\n---\napiVersion: a/b/c.fluxcd\n");
        assert!(r.warnings.is_empty());
        let r = migrate("# c\n---\napiVersion: source.toolkit.fluxcd.io/a/b\n");
        assert_eq!(r.warnings[0].location.document, 0);
        let r = migrate("a: 1\n---\napiVersion: source.toolkit.fluxcd.io/a/b\n");
        assert_eq!(r.warnings[0].location.document, 1);
        let r = migrate("a: 1\n...\n---\napiVersion: source.toolkit.fluxcd.io/a/b\n");
        assert_eq!(r.warnings[0].location.document, 1);
    }

    #[test]
    fn several_documents_and_first_key_wins() {
        let text = "\
apiVersion: source.toolkit.fluxcd.io/v1beta2
kind: GitRepository
---
apiVersion: v1
kind: Namespace
---
apiVersion: kustomize.toolkit.fluxcd.io/v1beta1
kind: Kustomization
kind: Ignored
";
        let r = migrate(text);
        assert_eq!(
            r.changes
                .iter()
                .map(|c| (c.line, c.kind.as_str(), c.to.as_str()))
                .collect::<Vec<_>>(),
            vec![
                (1, "GitRepository", "source.toolkit.fluxcd.io/v1"),
                (7, "Kustomization", "kustomize.toolkit.fluxcd.io/v1"),
            ]
        );
    }

    // ---------- round trips ----------

    const MIXED: &str = "\
# fleet
apiVersion: source.toolkit.fluxcd.io/v1beta2 # pinned
kind: GitRepository
metadata:
  name: flux-system
---
kind: HelmRelease
apiVersion: \"helm.toolkit.fluxcd.io/v2beta1\"
spec:
  values:
    apiVersion: helm.toolkit.fluxcd.io/v2beta1
---
apiVersion: v1
kind: ConfigMap
data:
  x: |
    apiVersion: image.toolkit.fluxcd.io/v1beta2
";

    #[test]
    fn idempotent() {
        let once = migrate(MIXED);
        assert_eq!(once.changes.len(), 2);
        let twice = migrate(&once.text);
        assert!(twice.changes.is_empty());
        assert_eq!(twice.text, once.text);
        let crlf = MIXED.replace('\n', "\r\n");
        let once = migrate(&crlf);
        assert_eq!(once.changes.len(), 2);
        assert!(migrate(&once.text).changes.is_empty());
        assert_eq!(once.text, migrate(MIXED).text.replace('\n', "\r\n"));
    }

    #[test]
    fn current_text_is_byte_identical() {
        let text = "\
# already current
apiVersion: source.toolkit.fluxcd.io/v1   # keep    spacing
kind: GitRepository
---
apiVersion: 'notification.toolkit.fluxcd.io/v1beta3'
kind: Alert
---
kind: Receiver
apiVersion: \"notification.toolkit.fluxcd.io/v1\"\r
---
apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator";
        assert_untouched(text);
    }
}

//! Semantic versions and version constraints exactly as
//! [Masterminds/semver](https://github.com/Masterminds/semver) v3.5.0 reads them:
//! the library Flux 2.9 pins in image-reflector-controller v1.2 (`semver` image
//! policies), source-controller v1.9 and fluxcd/pkg/git v0.52 (GitRepository
//! `spec.ref.semver`). Its rules differ from Cargo's (the `semver` crate):
//!
//! - [`Version::parse`] is `NewVersion` in its default coercing mode: an optional
//!   `v`, one to three numeric parts (`1.2` reads as `1.2.0`), leading zeros allowed
//!   in the numeric parts (`01.02.03` is `1.2.3`) but not in numeric pre-release
//!   identifiers, at most 256 bytes.
//! - Ordering compares major, minor, patch, then the pre-release (a version without
//!   one is higher); build metadata is ignored, so `1.0.0+a == 1.0.0+b`.
//! - [`Constraints::parse`] reads `||`-separated groups of space- or
//!   comma-separated comparisons (`=`, `!=`, `>`, `<`, `>=`, `=>`, `<=`, `=<`, `~`,
//!   `~>`, `^`, or none), wildcards (`1.2.x`, `1.*`, `*`), hyphen ranges
//!   (`1.2 - 1.4.5`), at most 512 bytes and 32 groups.
//! - A pre-release version satisfies a group only when some comparison of that
//!   group itself carries a pre-release (`>=1.2.3-0` admits `1.2.4-rc.1`, `>=1.2.3`
//!   does not).
//!
//! Error texts are Go's (`invalid semantic version`, `improper constraint: "x"`, ...).
//!
//! ```
//! use fluxcd_core::semver::{Constraints, Version};
//!
//! let v = Version::parse("v1.2").unwrap();
//! assert_eq!((v.major(), v.minor(), v.patch()), (1, 2, 0));
//! assert_eq!(v.original(), "v1.2");
//! assert!(Version::parse("1.0.0-rc.1").unwrap() < Version::parse("1.0.0").unwrap());
//! assert_eq!(Version::parse("1.0.0+a").unwrap(), Version::parse("1.0.0+b").unwrap());
//!
//! let c = Constraints::parse(">=1.0.0 <2.0.0").unwrap();
//! assert!(c.check(&Version::parse("1.9.3").unwrap()));
//! assert!(!c.check(&Version::parse("1.9.4-rc.1").unwrap())); // no pre-release asked for
//! assert!(Constraints::parse(">=1.9.0-0").unwrap().check(&Version::parse("1.9.4-rc.1").unwrap()));
//! assert!(Constraints::parse("^1.2").unwrap().check(&Version::parse("1.99.0").unwrap()));
//! assert!(!Constraints::parse("~1.2").unwrap().check(&Version::parse("1.3.0").unwrap()));
//!
//! let err = Constraints::parse("!!1").unwrap_err();
//! assert_eq!(err.to_string(), "improper constraint: \"!!1\"");
//! assert_eq!(err.code(), "semver.invalid_constraint");
//! assert_eq!(Version::parse("1.2.3.4").unwrap_err().to_string(), "invalid semantic version");
//! ```
#![deny(missing_docs)]

use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

use regex::Regex;

use crate::values::strvals::go_quote;

/// The longest version string `NewVersion` reads, in bytes.
pub const MAX_VERSION_LEN: usize = 256;
/// The longest constraint string `NewConstraint` reads, in bytes.
pub const MAX_CONSTRAINT_LEN: usize = 512;
/// The most `||` groups a constraint may have.
pub const MAX_CONSTRAINT_GROUPS: usize = 32;

/// Why a version or a constraint cannot be read. `Display` is the Go library's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SemverError {
    /// The text is not a (loose) semantic version.
    #[error("invalid semantic version")]
    InvalidVersion {
        /// The text.
        input: String,
    },
    /// The version text is longer than [`MAX_VERSION_LEN`] bytes.
    #[error("version string is too long (max 256 bytes)")]
    VersionTooLong {
        /// The length of the text in bytes.
        len: usize,
    },
    /// A numeric pre-release identifier has a leading zero (`1.0.0-01`).
    #[error("version segment starts with 0")]
    SegmentStartsZero {
        /// The text.
        input: String,
    },
    /// A numeric part does not fit in 64 bits.
    #[error("error parsing version segment: strconv.ParseUint: parsing \"{digits}\": value out of range")]
    SegmentOutOfRange {
        /// The digits of the part.
        digits: String,
    },
    /// The constraint text is longer than [`MAX_CONSTRAINT_LEN`] bytes.
    #[error("constraint string is too long (max 512 bytes)")]
    ConstraintTooLong {
        /// The length of the text in bytes.
        len: usize,
    },
    /// The constraint has more than [`MAX_CONSTRAINT_GROUPS`] `||` groups.
    #[error("too many constraint groups (max 32)")]
    TooManyGroups {
        /// The number of groups.
        groups: usize,
    },
    /// An `||` group (after hyphen ranges are rewritten) is not a list of comparisons.
    #[error("improper constraint: {}", go_quote(.group))]
    ImproperConstraint {
        /// The group's text.
        group: String,
    },
    /// A comparison's version is not a version once wildcards are read (`1x`, `1.2.3-01`).
    #[error("constraint parser error")]
    ConstraintParser {
        /// The comparison's text.
        constraint: String,
    },
}

impl SemverError {
    /// The stable code: `semver.invalid_version` or `semver.invalid_constraint`.
    pub fn code(&self) -> &'static str {
        match self {
            SemverError::InvalidVersion { .. }
            | SemverError::VersionTooLong { .. }
            | SemverError::SegmentStartsZero { .. }
            | SemverError::SegmentOutOfRange { .. } => "semver.invalid_version",
            _ => "semver.invalid_constraint",
        }
    }
}

/// A semantic version as `NewVersion` reads it. Equality and order are
/// Masterminds' `Compare`: build metadata is ignored.
#[derive(Debug, Clone)]
pub struct Version {
    major: u64,
    minor: u64,
    patch: u64,
    pre: String,
    metadata: String,
    original: String,
}

// Go's `\s` is ASCII `[\t\n\f\r ]` (no vertical tab); the `regex` crate's is Unicode.
const WS: &str = r"[\t\n\x0C\r ]";
const LOOSE: &str = r"^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?$";
const CV: &str = r"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
const OPS: &str = r"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

struct Regexes {
    loose: Regex,
    constraint: Regex,
    range: Regex,
    find: Regex,
    valid: Regex,
}

fn regexes() -> &'static Regexes {
    static R: OnceLock<Regexes> = OnceLock::new();
    R.get_or_init(|| {
        let s = WS;
        let build = |p: String| Regex::new(&p).expect("static semver regex");
        Regexes {
            loose: build(LOOSE.to_string()),
            constraint: build(format!(r"^{s}*({OPS}){s}*({CV}){s}*$")),
            range: build(format!(r"{s}*({CV}){s}+-{s}+({CV}){s}*")),
            find: build(format!(r"({OPS}){s}*({CV})")),
            valid: build(format!(
                r"^({s}*({OPS}){s}*({CV}){s}*)((?:{s}+|,{s}*)({OPS}){s}*({CV}){s}*)*$"
            )),
        }
    })
}

fn parse_u64(digits: &str) -> Result<u64, SemverError> {
    digits
        .parse::<u64>()
        .map_err(|_| SemverError::SegmentOutOfRange {
            digits: digits.to_string(),
        })
}

fn validate_prerelease(pre: &str, input: &str) -> Result<(), SemverError> {
    // The regex admits only non-empty identifiers of [0-9A-Za-z-]; what remains to
    // check is a leading zero in a numeric identifier.
    for part in pre.split('.') {
        if part.bytes().all(|b| b.is_ascii_digit()) && part.len() > 1 && part.starts_with('0') {
            return Err(SemverError::SegmentStartsZero {
                input: input.to_string(),
            });
        }
    }
    Ok(())
}

impl Version {
    /// Reads a version as `NewVersion` does (coercing mode, Masterminds' default).
    ///
    /// # Errors
    ///
    /// [`SemverError`] with Go's text: `invalid semantic version`, `version string
    /// is too long (max 256 bytes)`, `version segment starts with 0`, or `error
    /// parsing version segment: ...` for a part above 2^64-1.
    pub fn parse(s: &str) -> Result<Version, SemverError> {
        if s.len() > MAX_VERSION_LEN {
            return Err(SemverError::VersionTooLong { len: s.len() });
        }
        let m = regexes()
            .loose
            .captures(s)
            .ok_or_else(|| SemverError::InvalidVersion {
                input: s.to_string(),
            })?;
        let group = |i: usize| m.get(i).map_or("", |g| g.as_str());
        let major = parse_u64(group(1))?;
        let minor = match group(2) {
            "" => 0,
            g => parse_u64(&g[1..])?,
        };
        let patch = match group(3) {
            "" => 0,
            g => parse_u64(&g[1..])?,
        };
        let pre = group(5).to_string();
        if !pre.is_empty() {
            validate_prerelease(&pre, s)?;
        }
        Ok(Version {
            major,
            minor,
            patch,
            pre,
            metadata: group(8).to_string(),
            original: s.to_string(),
        })
    }

    /// The text it was read from.
    pub fn original(&self) -> &str {
        &self.original
    }

    /// The major number.
    pub fn major(&self) -> u64 {
        self.major
    }

    /// The minor number (0 when the text had none).
    pub fn minor(&self) -> u64 {
        self.minor
    }

    /// The patch number (0 when the text had none).
    pub fn patch(&self) -> u64 {
        self.patch
    }

    /// The pre-release (after `-`), or `""`.
    pub fn prerelease(&self) -> &str {
        &self.pre
    }

    /// The build metadata (after `+`), or `""`.
    pub fn metadata(&self) -> &str {
        &self.metadata
    }

    /// Masterminds' `Compare`: -1, 0 or 1 as an [`Ordering`].
    pub fn compare(&self, o: &Version) -> Ordering {
        self.major
            .cmp(&o.major)
            .then(self.minor.cmp(&o.minor))
            .then(self.patch.cmp(&o.patch))
            .then_with(|| match (self.pre.is_empty(), o.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => compare_prerelease(&self.pre, &o.pre),
            })
    }
}

impl fmt::Display for Version {
    /// `major.minor.patch[-pre][+metadata]` (Go's `String()`, without a `v`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.compare(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.compare(other)
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    let ap: Vec<&str> = a.split('.').collect();
    let bp: Vec<&str> = b.split('.').collect();
    for i in 0..ap.len().max(bp.len()) {
        let s = ap.get(i).copied().unwrap_or("");
        let o = bp.get(i).copied().unwrap_or("");
        let d = compare_pre_part(s, o);
        if d != Ordering::Equal {
            return d;
        }
    }
    Ordering::Equal
}

fn compare_pre_part(s: &str, o: &str) -> Ordering {
    if s == o {
        return Ordering::Equal;
    }
    if s.is_empty() {
        return Ordering::Less;
    }
    if o.is_empty() {
        return Ordering::Greater;
    }
    // Identifiers that parse as u64 are numbers; numbers sort below strings. Two
    // different numeric texts never compare equal (Go returns -1 for `si <= oi`).
    match (s.parse::<u64>(), o.parse::<u64>()) {
        (Err(_), Err(_)) => {
            if s > o {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Ok(si), Ok(oi)) => {
            if si > oi {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    TildeOrEqual,
    NotEqual,
    Greater,
    Less,
    GreaterEqual,
    LessEqual,
    Tilde,
    Caret,
}

#[derive(Debug, Clone)]
struct Constraint {
    con: Version,
    orig: String,
    func: String,
    op: Op,
    minor_dirty: bool,
    patch_dirty: bool,
    dirty: bool,
}

/// A parsed constraint (`NewConstraint`): `||` groups of comparisons that must
/// all hold.
#[derive(Debug, Clone)]
pub struct Constraints {
    groups: Vec<Vec<Constraint>>,
    contains_pre: Vec<bool>,
}

fn is_x(s: &str) -> bool {
    matches!(s, "x" | "*" | "X")
}

fn rewrite_range(input: &str) -> String {
    let r = regexes();
    let mut out = input.to_string();
    for m in r.range.captures_iter(input) {
        let whole = m.get(0).map_or("", |g| g.as_str());
        let from = m.get(1).map_or("", |g| g.as_str());
        let to = m.get(11).map_or("", |g| g.as_str());
        // Like Go's strings.Replace(o, whole, t, 1): the first occurrence in the
        // text rewritten so far, not necessarily where the match was.
        out = out.replacen(whole, &format!(">= {from}, <= {to} "), 1);
    }
    out
}

fn parse_constraint(c: &str) -> Result<Constraint, SemverError> {
    if c.is_empty() {
        return Ok(Constraint {
            con: Version::parse("0.0.0").expect("0.0.0"),
            orig: String::new(),
            func: String::new(),
            op: Op::TildeOrEqual,
            minor_dirty: false,
            patch_dirty: false,
            dirty: true,
        });
    }
    let m = regexes()
        .constraint
        .captures(c)
        .ok_or_else(|| SemverError::ImproperConstraint {
            group: c.to_string(),
        })?;
    let g = |i: usize| m.get(i).map_or("", |x| x.as_str());
    let func = g(1);
    let op = match func {
        "" | "=" => Op::TildeOrEqual,
        "!=" => Op::NotEqual,
        ">" => Op::Greater,
        "<" => Op::Less,
        ">=" | "=>" => Op::GreaterEqual,
        "<=" | "=<" => Op::LessEqual,
        "~" | "~>" => Op::Tilde,
        _ => Op::Caret,
    };
    let (m3, m4, m5, m6) = (g(3), g(4), g(5), g(6));
    let mut ver = g(2).to_string();
    let (mut minor_dirty, mut patch_dirty, mut dirty) = (false, false, false);
    if is_x(m3) || m3.is_empty() {
        ver = format!("0.0.0{m6}");
        dirty = true;
    } else if is_x(m4.strip_prefix('.').unwrap_or(m4)) || m4.is_empty() {
        minor_dirty = true;
        dirty = true;
        ver = format!("{m3}.0.0{m6}");
    } else if is_x(m5.strip_prefix('.').unwrap_or(m5)) || m5.is_empty() {
        dirty = true;
        patch_dirty = true;
        ver = format!("{m3}{m4}.0{m6}");
    }
    let con = Version::parse(&ver).map_err(|_| SemverError::ConstraintParser {
        constraint: c.to_string(),
    })?;
    Ok(Constraint {
        con,
        orig: g(2).to_string(),
        func: func.to_string(),
        op,
        minor_dirty,
        patch_dirty,
        dirty,
    })
}

impl Constraints {
    /// Reads a constraint as `NewConstraint` does.
    ///
    /// # Errors
    ///
    /// [`SemverError`] with Go's text: `constraint string is too long (max 512
    /// bytes)`, `too many constraint groups (max 32)`, `improper constraint: "<group>"`
    /// or `constraint parser error`.
    pub fn parse(s: &str) -> Result<Constraints, SemverError> {
        if s.len() > MAX_CONSTRAINT_LEN {
            return Err(SemverError::ConstraintTooLong { len: s.len() });
        }
        let c = rewrite_range(s);
        let ors: Vec<&str> = c.split("||").collect();
        if ors.len() > MAX_CONSTRAINT_GROUPS {
            return Err(SemverError::TooManyGroups { groups: ors.len() });
        }
        let r = regexes();
        let mut groups = Vec::with_capacity(ors.len());
        let mut contains_pre = Vec::with_capacity(ors.len());
        for v in ors {
            if !r.valid.is_match(v) {
                return Err(SemverError::ImproperConstraint {
                    group: v.to_string(),
                });
            }
            let mut found: Vec<&str> = r.find.find_iter(v).map(|m| m.as_str()).collect();
            if found.is_empty() {
                found.push(v);
            }
            let mut group = Vec::with_capacity(found.len());
            let mut has_pre = false;
            for f in found {
                let pc = parse_constraint(f)?;
                has_pre |= !pc.con.pre.is_empty();
                group.push(pc);
            }
            groups.push(group);
            contains_pre.push(has_pre);
        }
        Ok(Constraints {
            groups,
            contains_pre,
        })
    }

    /// Whether `v` satisfies some `||` group (`Check`). A pre-release `v` only
    /// satisfies a group with a pre-release in one of its comparisons.
    pub fn check(&self, v: &Version) -> bool {
        self.groups
            .iter()
            .zip(&self.contains_pre)
            .any(|(group, &pre)| group.iter().all(|c| c.check(v, pre)))
    }
}

impl fmt::Display for Constraints {
    /// Go's `String()`: each comparison as operator + version text, groups joined
    /// by ` || `.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|g| {
                g.iter()
                    .map(|c| format!("{}{}", c.func, c.orig))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        write!(f, "{}", groups.join(" || "))
    }
}

impl Constraint {
    fn check(&self, v: &Version, include_pre: bool) -> bool {
        if !v.pre.is_empty() && !include_pre {
            return false;
        }
        let c = &self.con;
        match self.op {
            Op::NotEqual => {
                if self.dirty {
                    if c.major != v.major {
                        return true;
                    }
                    if c.minor != v.minor && !self.minor_dirty {
                        return true;
                    } else if self.minor_dirty {
                        return false;
                    } else if c.patch != v.patch && !self.patch_dirty {
                        return true;
                    } else if self.patch_dirty {
                        if !v.pre.is_empty() || !c.pre.is_empty() {
                            return compare_prerelease(&v.pre, &c.pre) != Ordering::Equal;
                        }
                        return false;
                    }
                }
                v != c
            }
            Op::Greater => {
                if !self.dirty {
                    return v.compare(c) == Ordering::Greater;
                }
                if v.major > c.major {
                    true
                } else if v.major < c.major || self.minor_dirty {
                    false
                } else if self.patch_dirty {
                    v.minor > c.minor
                } else {
                    v.compare(c) == Ordering::Greater
                }
            }
            Op::Less => v.compare(c) == Ordering::Less,
            Op::GreaterEqual => v.compare(c) != Ordering::Less,
            Op::LessEqual => {
                if !self.dirty {
                    return v.compare(c) != Ordering::Greater;
                }
                !(v.major > c.major
                    || (v.major == c.major && v.minor > c.minor && !self.minor_dirty))
            }
            Op::Tilde => self.tilde(v),
            Op::TildeOrEqual => {
                if self.dirty {
                    self.tilde(v)
                } else {
                    v == c
                }
            }
            Op::Caret => self.caret(v),
        }
    }

    fn tilde(&self, v: &Version) -> bool {
        let c = &self.con;
        if v < c {
            return false;
        }
        if c.major == 0 && c.minor == 0 && c.patch == 0 && !self.minor_dirty && !self.patch_dirty {
            return true;
        }
        if v.major != c.major {
            return false;
        }
        v.minor == c.minor || self.minor_dirty
    }

    fn caret(&self, v: &Version) -> bool {
        let c = &self.con;
        if v < c {
            return false;
        }
        if c.major > 0 || self.minor_dirty {
            return v.major == c.major;
        }
        if v.major > 0 {
            return false;
        }
        if c.minor > 0 || self.patch_dirty {
            return v.minor == c.minor;
        }
        if v.minor > 0 {
            return false;
        }
        c.patch == v.patch
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    fn check(c: &str, ver: &str) -> bool {
        Constraints::parse(c).unwrap().check(&v(ver))
    }

    #[test]
    fn versions_coerce_like_masterminds() {
        assert_eq!(v("1.2").to_string(), "1.2.0");
        assert_eq!(v("v1").to_string(), "1.0.0");
        assert_eq!(v("01.002.0003").to_string(), "1.2.3");
        assert_eq!(v("1.2.3-beta.1+build.5").prerelease(), "beta.1");
        assert_eq!(v("1.2.3-beta.1+build.5").metadata(), "build.5");
        for bad in [
            "", "V1.2.3", "1.2.3.4", "1.2.3-", "1.2.3+", "1.2.3 ", "1.2.3\n", "x",
        ] {
            let e = Version::parse(bad).unwrap_err();
            assert_eq!(e.to_string(), "invalid semantic version", "{bad:?}");
        }
        assert_eq!(
            Version::parse("1.2.3-01").unwrap_err().to_string(),
            "version segment starts with 0"
        );
        assert_eq!(
            Version::parse("18446744073709551616.0.0")
                .unwrap_err()
                .to_string(),
            "error parsing version segment: strconv.ParseUint: parsing \"18446744073709551616\": value out of range"
        );
        let long = "1".repeat(257);
        assert_eq!(
            Version::parse(&long).unwrap_err().to_string(),
            "version string is too long (max 256 bytes)"
        );
    }

    #[test]
    fn order_ignores_metadata_and_ranks_prereleases() {
        let mut list: Vec<Version> = [
            "1.0.0",
            "1.0.0-rc.1",
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-beta.11",
            "1.0.0-beta.2",
            "0.9.9",
        ]
        .iter()
        .map(|s| v(s))
        .collect();
        list.sort();
        let order: Vec<String> = list.iter().map(|x| x.original().to_string()).collect();
        assert_eq!(
            order,
            [
                "0.9.9",
                "1.0.0-alpha",
                "1.0.0-alpha.1",
                "1.0.0-beta.2",
                "1.0.0-beta.11",
                "1.0.0-rc.1",
                "1.0.0"
            ]
        );
        assert_eq!(v("1.0.0+a"), v("1.0.0+b"));
    }

    #[test]
    fn constraints_read_like_masterminds() {
        assert!(check("1.0.x", "1.0.7"));
        assert!(!check("1.0.x", "1.1.0"));
        assert!(check(">=1.0.0 <2.0.0", "1.5.0"));
        assert!(check(">=1.0.0, <2.0.0", "1.5.0"));
        assert!(!check(">=1.0.0 <2.0.0", "2.0.0"));
        assert!(check("<1 || >=3", "3.1.0"));
        assert!(check("1.2 - 1.4.5", "1.4.5"));
        assert!(!check("1.2 - 1.4.5", "1.4.6"));
        assert!(check("*", "0.0.1"));
        assert!(!check("*", "0.0.1-alpha"));
        assert!(check(">=1.2.3-0", "1.2.4-rc.1"));
        assert!(check("^0.2.3", "0.2.9"));
        assert!(!check("^0.2.3", "0.3.0"));
        assert!(check("~1.2.3", "1.2.9"));
        assert!(!check("~1.2.3", "1.3.0"));
        assert!(check("!=1.2.x", "1.3.0"));
        assert!(!check("!=1.2.x", "1.2.3"));
        assert_eq!(
            Constraints::parse(">= 1.2, <3").unwrap().to_string(),
            ">=1.2 <3"
        );
    }

    #[test]
    fn constraint_errors_are_go_text() {
        let e = |s: &str| Constraints::parse(s).unwrap_err().to_string();
        assert_eq!(e(""), "improper constraint: \"\"");
        assert_eq!(e("foo"), "improper constraint: \"foo\"");
        assert_eq!(e("1x"), "constraint parser error");
        assert_eq!(
            e(&"1".repeat(513)),
            "constraint string is too long (max 512 bytes)"
        );
        assert_eq!(
            e(&vec!["1"; 33].join("||")),
            "too many constraint groups (max 32)"
        );
        assert_eq!(e("\u{7}"), "improper constraint: \"\\a\"");
    }
}

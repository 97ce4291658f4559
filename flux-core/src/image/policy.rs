//! Which tag an ImagePolicy selects from a list of tags, as image-reflector-controller
//! v1.2 (`internal/policy` and the reconciler's `applyPolicy`) computes it.
//!
//! - The policy is `spec.policy.semver` (checked first), else `alphabetical`, else
//!   `numerical`; an order is upper-cased and must be `ASC` or `DESC` (default `ASC`).
//! - With `spec.filterTags`, tags not matching `pattern` (Go RE2) are dropped; with
//!   `extract`, the policy sees the expansion (`$1`, `${name}`) and the selected value
//!   maps back to its original tag (of several tags with one expansion, the last wins).
//! - `semver`: tags with at least two dots that Masterminds/semver reads and the range
//!   admits; the highest wins (the first of equal versions). `alphabetical`: the
//!   greatest string for `ASC`, the least for `DESC`. `numerical`: every candidate must
//!   parse as a Go float (`strconv.ParseFloat`); the highest (`ASC`) or lowest (`DESC`)
//!   wins, the last of equal values.
//!
//! Upstream keeps the extracted tags in a Go map, so with `filterTags` the winner among
//! equal semver versions (`1.0.0+a`, `1.0.0+b`) or equal numbers (`1`, `1.0`) depends
//! on map order and can change between reconciliations; [`Selection::ambiguous`] lists
//! the tags that could be picked in that case (we pick the first in list order).
//!
//! ```
//! use fluxcd_core::image::policy::select;
//! use serde_json::json;
//!
//! let policy = json!({"apiVersion": "image.toolkit.fluxcd.io/v1", "kind": "ImagePolicy",
//!     "metadata": {"name": "app", "namespace": "apps"},
//!     "spec": {"imageRepositoryRef": {"name": "app"},
//!              "filterTags": {"pattern": "^main-[a-f0-9]+-(?P<ts>[0-9]+)$", "extract": "$ts"},
//!              "policy": {"numerical": {"order": "asc"}}}});
//! let tags = ["main-abc123-100", "main-def456-120", "latest", "main-0a1b2c-90"];
//! let s = select(&policy, &tags).unwrap();
//! assert_eq!(s.tag, "main-def456-120");
//! assert_eq!(s.dropped, ["latest"]);
//!
//! let semver = json!({"spec": {"policy": {"semver": {"range": ">=1.0.0 <2.0.0"}}}});
//! assert_eq!(select(&semver, &["1.2.0", "1.10.1", "2.0.0", "1.11.0-rc.1", "v1.9"]).unwrap().tag, "1.10.1");
//! let err = select(&semver, &["latest"]).unwrap_err();
//! assert_eq!(err.to_string(), "unable to determine latest version from provided list");
//! ```

use serde::Serialize;
use serde_json::Value;

use super::goregex::GoRegex;
use crate::semver::{Constraints, Version};

/// Why no tag can be selected. `Display` is the controller's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// No policy, an unknown order, or a semver range Masterminds rejects.
    #[error("invalid policy: {0}")]
    InvalidPolicy(String),
    /// `filterTags.pattern` is not a Go regular expression.
    #[error("failed to filter tags: invalid regular expression pattern '{pattern}': error parsing regexp: {reason}")]
    InvalidPattern {
        /// The pattern.
        pattern: String,
        /// What is wrong with it (our wording).
        reason: String,
    },
    /// No tag is left (none given, or none matched the filter).
    #[error("version list argument cannot be empty")]
    NoCandidates,
    /// `semver`: no tag is a version in the range.
    #[error("unable to determine latest version from provided list")]
    NoMatch,
    /// `numerical`: a candidate is not a number.
    #[error("failed to parse invalid numeric value '{0}'")]
    NotNumeric(String),
    /// `digestReflectionPolicy: Always` without `interval` (the controller stalls).
    #[error("spec.interval must be set when spec.digestReflectionPolicy is set to 'Always'")]
    IntervalRequired,
    /// `interval` without `digestReflectionPolicy: Always` (the API server refuses it).
    #[error("spec.interval is only accepted when spec.digestReflectionPolicy is set to 'Always'")]
    IntervalNotAccepted,
}

impl PolicyError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            PolicyError::InvalidPolicy(_) => "imagepolicy.invalid_policy",
            PolicyError::InvalidPattern { .. } => "imagepolicy.invalid_pattern",
            PolicyError::NoCandidates => "imagepolicy.no_candidates",
            PolicyError::NoMatch => "imagepolicy.no_match",
            PolicyError::NotNumeric(_) => "imagepolicy.not_numeric",
            PolicyError::IntervalRequired => "imagepolicy.interval_required",
            PolicyError::IntervalNotAccepted => "imagepolicy.interval_not_accepted",
        }
    }
}

/// The selected tag and how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selection {
    /// The original tag Flux would set.
    pub tag: String,
    /// What the policy compared (extracted values with `extract`), in list order.
    pub candidates: Vec<String>,
    /// Tags the filter dropped, in list order.
    pub dropped: Vec<String>,
    /// With `filterTags`, every original tag that upstream's map order could make the
    /// answer (empty when the answer is certain).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ambiguous: Vec<String>,
}

enum Policer {
    SemVer(Constraints),
    Alphabetical { desc: bool },
    Numerical { desc: bool },
}

fn order(v: &Value) -> Result<bool, PolicyError> {
    let o = v
        .get("order")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_uppercase();
    match o.as_str() {
        "" | "ASC" => Ok(false),
        "DESC" => Ok(true),
        _ => Err(PolicyError::InvalidPolicy(format!(
            "invalid order argument provided: '{o}', must be one of: ASC, DESC"
        ))),
    }
}

fn policer(spec: &Value) -> Result<Policer, PolicyError> {
    let p = &spec["policy"];
    if let Some(s) = p.get("semver").filter(|v| v.is_object()) {
        let range = s.get("range").and_then(Value::as_str).unwrap_or("");
        return Constraints::parse(range)
            .map(Policer::SemVer)
            .map_err(|e| PolicyError::InvalidPolicy(e.to_string()));
    }
    if let Some(a) = p.get("alphabetical").filter(|v| v.is_object()) {
        return Ok(Policer::Alphabetical { desc: order(a)? });
    }
    if let Some(n) = p.get("numerical").filter(|v| v.is_object()) {
        return Ok(Policer::Numerical { desc: order(n)? });
    }
    Err(PolicyError::InvalidPolicy(
        "given ImagePolicyChoice object is invalid".into(),
    ))
}

/// `fluxcd/pkg/version.ParseVersion`: at least two dots, then Masterminds' `NewVersion`.
pub fn parse_flux_version(tag: &str) -> Option<Version> {
    if tag.splitn(3, '.').count() != 3 {
        return None;
    }
    Version::parse(tag).ok()
}

/// Indices of the winners: the chosen one first, then others upstream's map order
/// could choose instead (only computed when `unordered`).
fn latest(p: &Policer, items: &[&str], unordered: bool) -> Result<Vec<usize>, PolicyError> {
    if items.is_empty() {
        return Err(PolicyError::NoCandidates);
    }
    match p {
        Policer::SemVer(c) => {
            let mut best: Option<(usize, Version)> = None;
            let mut all: Vec<(usize, Version)> = Vec::new();
            for (i, t) in items.iter().enumerate() {
                if let Some(v) = parse_flux_version(t) {
                    if c.check(&v) {
                        if best.as_ref().is_none_or(|(_, b)| v > *b) {
                            best = Some((i, v.clone()));
                        }
                        all.push((i, v));
                    }
                }
            }
            let (bi, bv) = best.ok_or(PolicyError::NoMatch)?;
            let mut out = vec![bi];
            if unordered {
                out.extend(
                    all.iter()
                        .filter(|(i, v)| *i != bi && *v == bv)
                        .map(|(i, _)| *i),
                );
            }
            Ok(out)
        }
        Policer::Alphabetical { desc } => {
            let mut bi = 0;
            for (i, t) in items.iter().enumerate() {
                if (*desc && *t < items[bi]) || (!*desc && *t > items[bi]) {
                    bi = i;
                }
            }
            Ok(vec![bi])
        }
        Policer::Numerical { desc } => {
            let mut vals = Vec::with_capacity(items.len());
            for t in items {
                vals.push(go_parse_float(t).ok_or_else(|| PolicyError::NotNumeric(t.to_string()))?);
            }
            let mut bi = 0;
            for (i, cv) in vals.iter().enumerate().skip(1) {
                let pv = vals[bi];
                if (!*desc && *cv < pv) || (*desc && *cv > pv) {
                    continue;
                }
                bi = i;
            }
            let mut out = vec![bi];
            if unordered {
                let bv = vals[bi];
                let extreme = |x: f64| {
                    if x.is_nan() || bv.is_nan() {
                        return true;
                    }
                    x == bv
                };
                out.extend((0..vals.len()).filter(|&i| i != bi && extreme(vals[i])));
            }
            Ok(out)
        }
    }
}

/// Go's `strconv.ParseFloat(s, 64)`: `None` where Go returns an error (bad syntax, or
/// a finite spelling beyond the float64 range).
pub fn go_parse_float(s: &str) -> Option<f64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let sign = if neg { -1.0 } else { 1.0 };
    match lower.as_str() {
        "inf" | "infinity" => return Some(sign * f64::INFINITY),
        "nan" if body.len() == s.len() => return Some(f64::NAN),
        _ => {}
    }
    // Underscores may only separate digits (or follow the `0x` prefix), as in Go literals.
    let hex = lower.starts_with("0x");
    let b = lower.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let digit = |x: Option<&u8>| {
                x.is_some_and(|d| {
                    if hex {
                        d.is_ascii_hexdigit()
                    } else {
                        d.is_ascii_digit()
                    }
                })
            };
            let after_prefix = hex && i == 2;
            if !(digit(b.get(i.wrapping_sub(1))) || after_prefix) || !digit(b.get(i + 1)) {
                return None;
            }
        }
    }
    let clean: String = lower.chars().filter(|c| *c != '_').collect();
    let v = if hex {
        parse_hex_float(&clean[2..])?
    } else {
        // Decimal: digits with an optional point and exponent.
        let b = clean.as_bytes();
        let mut i = 0;
        let mut digits = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
            digits += 1;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
                digits += 1;
            }
        }
        if digits == 0 {
            return None;
        }
        if i < b.len() && b[i] == b'e' {
            i += 1;
            if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
                i += 1;
            }
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        if i != b.len() {
            return None;
        }
        clean.parse::<f64>().ok()?
    };
    if v.is_infinite() {
        return None; // ErrRange
    }
    Some(sign * v)
}

fn parse_hex_float(s: &str) -> Option<f64> {
    // mantissa hex digits (with '_' separators allowed after the prefix), optional
    // '.', required 'p' exponent.
    let (mant, exp) = s.split_once('p')?;
    let mant: String = mant.chars().filter(|c| *c != '_').collect();
    let (int, frac) = mant.split_once('.').unwrap_or((&mant, ""));
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let mut v = 0f64;
    for c in int.chars() {
        v = v * 16.0 + c.to_digit(16)? as f64;
    }
    let mut scale = 1.0 / 16.0;
    for c in frac.chars() {
        v += c.to_digit(16)? as f64 * scale;
        scale /= 16.0;
    }
    let exp: String = exp.chars().filter(|c| *c != '_').collect();
    let e: i32 = exp.parse().ok()?;
    Some(v * 2f64.powi(e))
}

/// The tag `policy` (an ImagePolicy as JSON, or just its `spec` wrapped in
/// `{"spec": ...}`) selects from `tags`.
///
/// # Errors
///
/// [`PolicyError`] with the controller's message.
pub fn select<S: AsRef<str>>(policy: &Value, tags: &[S]) -> Result<Selection, PolicyError> {
    let spec = &policy["spec"];
    let always = spec.get("digestReflectionPolicy").and_then(Value::as_str) == Some("Always");
    let has_interval = spec.get("interval").is_some_and(|v| !v.is_null());
    if always && !has_interval {
        return Err(PolicyError::IntervalRequired);
    }
    if has_interval && !always {
        return Err(PolicyError::IntervalNotAccepted);
    }
    let p = policer(spec)?;
    let tags: Vec<&str> = tags.iter().map(AsRef::as_ref).collect();
    let Some(filter) = spec.get("filterTags").filter(|v| v.is_object()) else {
        let won = latest(&p, &tags, false)?;
        return Ok(Selection {
            tag: tags[won[0]].to_string(),
            candidates: tags.iter().map(|t| t.to_string()).collect(),
            dropped: Vec::new(),
            ambiguous: Vec::new(),
        });
    };
    let pattern = filter.get("pattern").and_then(Value::as_str).unwrap_or("");
    let extract = filter.get("extract").and_then(Value::as_str).unwrap_or("");
    let re = GoRegex::new(pattern).map_err(|reason| PolicyError::InvalidPattern {
        pattern: pattern.to_string(),
        reason,
    })?;
    // extracted value -> original (last wins), in first-appearance order.
    let mut keys: Vec<String> = Vec::new();
    let mut originals: std::collections::HashMap<String, &str> = Default::default();
    let mut dropped = Vec::new();
    for t in &tags {
        let key = if extract.is_empty() {
            re.is_match(t).then(|| t.to_string())
        } else {
            re.expand(t, extract)
        };
        match key {
            Some(k) => {
                if originals.insert(k.clone(), t).is_none() {
                    keys.push(k);
                }
            }
            None => dropped.push(t.to_string()),
        }
    }
    let items: Vec<&str> = keys.iter().map(String::as_str).collect();
    let won = latest(&p, &items, true)?;
    let tag = originals[items[won[0]]].to_string();
    let ambiguous: Vec<String> = if won.len() > 1 {
        won.iter()
            .map(|&i| originals[items[i]].to_string())
            .collect()
    } else {
        Vec::new()
    };
    Ok(Selection {
        tag,
        candidates: keys,
        dropped,
        ambiguous,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pol(policy: Value) -> Value {
        json!({"spec": {"policy": policy}})
    }

    #[test]
    fn orders_and_errors() {
        let tags = ["b", "a", "c"];
        assert_eq!(
            select(&pol(json!({"alphabetical": {}})), &tags)
                .unwrap()
                .tag,
            "c"
        );
        assert_eq!(
            select(&pol(json!({"alphabetical": {"order": "desc"}})), &tags)
                .unwrap()
                .tag,
            "a"
        );
        let e = select(&pol(json!({"alphabetical": {"order": "up"}})), &tags).unwrap_err();
        assert_eq!(
            e.to_string(),
            "invalid policy: invalid order argument provided: 'UP', must be one of: ASC, DESC"
        );
        assert_eq!(
            select(&pol(json!({})), &tags).unwrap_err().code(),
            "imagepolicy.invalid_policy"
        );
        let n = ["1", "1.5", "-2", "1e1"];
        assert_eq!(
            select(&pol(json!({"numerical": {}})), &n).unwrap().tag,
            "1e1"
        );
        assert_eq!(
            select(&pol(json!({"numerical": {"order": "DESC"}})), &n)
                .unwrap()
                .tag,
            "-2"
        );
        assert_eq!(
            select(&pol(json!({"numerical": {}})), &["1", "x"])
                .unwrap_err()
                .to_string(),
            "failed to parse invalid numeric value 'x'"
        );
        let empty: [&str; 0] = [];
        assert_eq!(
            select(&pol(json!({"numerical": {}})), &empty).unwrap_err(),
            PolicyError::NoCandidates
        );
        let s = pol(json!({"semver": {"range": "1.x"}}));
        assert_eq!(
            select(&s, &["1.0", "1.2.3", "1.3.0-rc.1", "v1.2.4"])
                .unwrap()
                .tag,
            "v1.2.4"
        );
        let bad = pol(json!({"semver": {"range": "foo"}}));
        assert_eq!(
            select(&bad, &["1.0.0"]).unwrap_err().to_string(),
            "invalid policy: improper constraint: \"foo\""
        );
    }

    #[test]
    fn go_floats() {
        for (s, v) in [
            ("1", 1.0),
            ("-1.5e2", -150.0),
            (".5", 0.5),
            ("5.", 5.0),
            ("0x1p-2", 0.25),
            ("+Inf", f64::INFINITY),
        ] {
            assert_eq!(go_parse_float(s), Some(v), "{s}");
        }
        assert_eq!(go_parse_float("1_000"), Some(1000.0));
        assert_eq!(go_parse_float("1_0e1_0"), Some(1e11));
        assert_eq!(go_parse_float("0x1_0p0"), Some(16.0));
        for s in [
            "", "_1", "1__0", "1_", "-nan", "1e", "0x10", "0x1p", "1e400", "abc", " 1", "1f",
            "0b101",
        ] {
            assert_eq!(go_parse_float(s), None, "{s}");
        }
        assert!(go_parse_float("NaN").unwrap().is_nan());
    }

    #[test]
    fn filter_interval_and_ambiguity() {
        let p = json!({"spec": {"filterTags": {"pattern": "^v(?P<v>.*)-(prod|dev)$", "extract": "$v"},
                                "policy": {"semver": {"range": ">=1.0.0"}}}});
        let s = select(&p, &["v1.0.0-prod", "v1.1.0+a-prod", "v1.1.0+b-dev", "x"]).unwrap();
        assert_eq!(s.tag, "v1.1.0+a-prod");
        assert_eq!(s.ambiguous, ["v1.1.0+a-prod", "v1.1.0+b-dev"]);
        assert_eq!(s.dropped, ["x"]);
        let bad =
            json!({"spec": {"filterTags": {"pattern": "(x"}, "policy": {"alphabetical": {}}}});
        assert_eq!(
            select(&bad, &["x"]).unwrap_err().code(),
            "imagepolicy.invalid_pattern"
        );
        let iv =
            json!({"spec": {"digestReflectionPolicy": "Always", "policy": {"alphabetical": {}}}});
        assert_eq!(
            select(&iv, &["x"]).unwrap_err(),
            PolicyError::IntervalRequired
        );
        let iv = json!({"spec": {"interval": "5m", "policy": {"alphabetical": {}}}});
        assert_eq!(
            select(&iv, &["x"]).unwrap_err(),
            PolicyError::IntervalNotAccepted
        );
    }

    #[test]
    fn a_hundred_thousand_tags() {
        let tags: Vec<String> = (0..100_000)
            .map(|i| format!("1.{}.{}", i / 100, i % 100))
            .collect();
        let p = json!({"spec": {"filterTags": {"pattern": "^(?P<v>[0-9.]+)$", "extract": "$v"},
                                "policy": {"semver": {"range": ">=1.0.0"}}}});
        assert_eq!(select(&p, &tags).unwrap().tag, "1.999.99");
    }
}

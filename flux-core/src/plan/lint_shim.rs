//! TEMPORARY stand-in for helper hc2's `crate::lint` module (branch
//! `lint-rules`), with the same API and no rules, so the plan engine builds
//! before that branch is merged. Replaced by `crate::lint` on merge.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostic::Diagnostic;
use crate::manifest::ManifestSet;

/// Stand-in for `lint::Profiles`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profiles(BTreeSet<String>);

impl Profiles {
    /// Stand-in for `lint::Profiles::parse`.
    pub fn parse(list: &str) -> Result<Profiles, String> {
        let mut set = BTreeSet::new();
        for p in list.split(',').map(str::trim) {
            match p {
                "flux" | "conventions" => {
                    set.insert(p.to_string());
                }
                other => return Err(format!("unknown lint profile {other:?}")),
            }
        }
        Ok(Profiles(set))
    }
}

/// Stand-in for `lint::Config`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Profiles.
    pub profiles: Option<Profiles>,
    /// Disabled codes.
    pub disabled: BTreeSet<String>,
}

impl Config {
    /// Stand-in for `lint::Config::load`.
    pub fn load(_repo_root: &Path) -> Result<Config, Diagnostic> {
        Ok(Config::default())
    }
    /// Stand-in for `lint::Config::is_enabled`.
    pub fn is_enabled(&self, code: &str) -> bool {
        !self.disabled.contains(code)
    }
}

/// Stand-in for `lint::check_set`.
pub fn check_set(_set: &ManifestSet, _profiles: &Profiles) -> Vec<Diagnostic> {
    Vec::new()
}

/// Stand-in for `lint::to_sarif`.
pub fn to_sarif(
    _diagnostics: &[Diagnostic],
    _tool_version: &str,
    _repo_root: Option<&Path>,
) -> serde_json::Value {
    serde_json::Value::Null
}

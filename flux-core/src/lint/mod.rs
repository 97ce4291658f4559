//! Lint rules over a loaded fleet: Flux's silent gotchas (profile `flux`) and
//! platform conventions (profile `conventions`), a repository configuration file
//! (`.fluxcd-core.yaml`) that selects profiles and disables rules, and SARIF 2.1.0
//! output for code scanning.
//!
//! The rules here need only the typed objects ([`check_objects`]) and the
//! `kustomization.yaml` files ([`check_kustomize_configs`]); [`check_set`] runs
//! both on a [`ManifestSet`](crate::manifest::ManifestSet). Every finding carries a
//! stable code listed by [`rules()`] and in `docs/lint-rules.md`, the location of
//! the offending field and a fix hint.
//!
//! ```
//! use fluxcd_core::lint::{check_objects, rules, Profile, Profiles};
//! use fluxcd_core::manifest::load_str;
//!
//! let set = load_str(
//!     "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\nspec:\n  interval: 10m\n  prune: true\n  wait: true\n  healthChecks:\n    - kind: Deployment\n      name: web\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n",
//!     Some("apps.yaml"),
//! );
//! let found = check_objects(&set.objects, &Profiles::default());
//! assert_eq!(found[0].code, "plan.wait_ignores_health_checks");
//! assert_eq!((found[0].location.line, found[0].location.column), (9, 3));
//! assert!(found[0].hint.is_some());
//!
//! let both = Profiles::parse("flux,conventions").unwrap();
//! assert!(both.contains(Profile::Conventions));
//! assert!(rules().iter().any(|r| r.code == "conventions.secret_literal"));
//! ```

pub mod config;
pub mod rules;
pub mod sarif;

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::Serialize;

pub use config::Config;
pub use rules::{check_kustomize_configs, check_objects, check_set, rules, RuleInfo};
pub use sarif::to_sarif;

/// A group of rules that can be switched on together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// `flux` (default): correctness, what Flux silently does differently from what is written.
    Flux,
    /// `conventions` (opt-in): the platform conventions of the example fleet.
    Conventions,
}

impl Profile {
    /// Every profile.
    pub const ALL: &'static [Profile] = &[Profile::Flux, Profile::Conventions];

    /// The name used on the command line and in `.fluxcd-core.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Flux => "flux",
            Profile::Conventions => "conventions",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Profile {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s {
            "flux" => Ok(Profile::Flux),
            "conventions" => Ok(Profile::Conventions),
            other => Err(Error::UnknownProfile {
                name: other.to_string(),
            }),
        }
    }
}

/// A set of profiles; the default is `{flux}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Profiles(BTreeSet<Profile>);

impl Default for Profiles {
    fn default() -> Self {
        Profiles([Profile::Flux].into_iter().collect())
    }
}

impl Profiles {
    /// Parses a comma-separated list such as `flux,conventions` (spaces allowed).
    pub fn parse(list: &str) -> Result<Profiles, Error> {
        Self::from_names(list.split(','))
    }

    /// Builds the set from profile names; at least one is required.
    pub fn from_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Profiles, Error> {
        let mut set = BTreeSet::new();
        for name in names {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            set.insert(name.parse()?);
        }
        if set.is_empty() {
            return Err(Error::NoProfile);
        }
        Ok(Profiles(set))
    }

    /// Every profile.
    pub fn all() -> Profiles {
        Profiles(Profile::ALL.iter().copied().collect())
    }

    /// True when `profile` is selected.
    pub fn contains(&self, profile: Profile) -> bool {
        self.0.contains(&profile)
    }

    /// The selected profiles, in order.
    pub fn iter(&self) -> impl Iterator<Item = Profile> + '_ {
        self.0.iter().copied()
    }
}

impl fmt::Display for Profiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.iter().map(Profile::as_str).collect();
        f.write_str(&names.join(","))
    }
}

/// Errors of this module (selecting profiles).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A profile name that does not exist.
    #[error("unknown lint profile {name:?}: the profiles are `flux` and `conventions`")]
    UnknownProfile {
        /// The name given.
        name: String,
    },
    /// An empty profile list.
    #[error("no lint profile given: the profiles are `flux` and `conventions`")]
    NoProfile,
}

impl Error {
    /// Stable error code.
    pub fn code(&self) -> &'static str {
        "lint.profile"
    }
}

/// Codes reported by other engines that belong to the `flux` profile (listed in
/// `docs/lint-rules.md`; `plan` wires them). A trailing `.` means every code of
/// that prefix.
pub const OTHER_FLUX_CODES: &[&str] = &[
    "api.removed_version",
    "schema.unknown_field",
    "subst.",
    "postbuild.",
    "values.target_path_overridden",
    "release.shortened",
    "release.duplicate",
    "deps.missing",
    "deps.cycle",
    "plan.source_not_found",
    "plan.path_not_found",
    "plan.not_applied",
];

/// The Markdown written to `docs/lint-rules.md` (`cargo run -p xtask -- lint-rules`).
pub fn markdown() -> String {
    let cell = |s: &str| s.replace('|', "\\|");
    let mut s = String::from(
        "# Lint rules\n\n<!-- generated by `cargo run -q -p xtask -- lint-rules`; do not edit -->\n\n\
         `fluxcd-core plan` reports these rules with a stable code, the file:line:column of the \
         offending field and a fix hint. Profile `flux` (correctness) runs by default; profile \
         `conventions` (the platform conventions of `examples/fleet/`) is opt-in with \
         `--profile flux,conventions` or a `.fluxcd-core.yaml` at the repository root:\n\n\
         ```yaml\nprofiles: [flux, conventions]\ndisable: [conventions.retry_interval, plan.not_applied]  # codes, or `prefix.*`\n```\n\n\
         Unknown keys, profiles or codes in that file are a `lint.config` error located in it.\n",
    );
    for profile in Profile::ALL {
        s.push_str(&format!(
            "\n## Profile `{profile}`\n\n| code | severity | what it catches | fix | upstream reason |\n|---|---|---|---|---|\n"
        ));
        for r in rules().iter().filter(|r| r.profile == *profile) {
            s.push_str(&format!(
                "| `{}` | {} | {} | {} | {} |\n",
                r.code,
                r.severity,
                cell(r.summary),
                cell(r.fix),
                cell(r.reason)
            ));
        }
        if *profile == Profile::Flux {
            s.push_str(
                "\nAlso in profile `flux`, reported by the other engines (see docs/error-codes.md):\n\n\
                 | code | severity | meaning |\n|---|---|---|\n",
            );
            for c in crate::codes::all() {
                let listed = OTHER_FLUX_CODES.iter().any(|o| {
                    if o.ends_with('.') {
                        c.code.starts_with(o)
                    } else {
                        c.code == *o
                    }
                });
                if listed {
                    s.push_str(&format!(
                        "| `{}` | {} | {} |\n",
                        c.code,
                        c.severity,
                        cell(&c.summary)
                    ));
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_parse() {
        let p = Profiles::parse(" conventions , flux").unwrap();
        assert!(p.contains(Profile::Flux) && p.contains(Profile::Conventions));
        assert_eq!(p.to_string(), "flux,conventions");
        assert_eq!(Profiles::parse("flux").unwrap(), Profiles::default());
        assert!(!Profiles::default().contains(Profile::Conventions));
        assert_eq!(
            Profiles::parse("flux,strict"),
            Err(Error::UnknownProfile {
                name: "strict".into()
            })
        );
        assert_eq!(Profiles::parse(" , "), Err(Error::NoProfile));
        assert_eq!(
            Profiles::all(),
            Profiles::parse("conventions,flux").unwrap()
        );
    }
}

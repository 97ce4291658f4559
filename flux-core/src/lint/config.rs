//! `.fluxcd-core.yaml` at the repository root: which profiles run and which rules are off.
//!
//! ```yaml
//! profiles: [flux, conventions]      # or "flux,conventions"; absent = the command line's choice
//! disable: [conventions.retry_interval, plan.not_applied]
//! ```
//!
//! A `disable` entry is a code (any code of `docs/error-codes.md` or a lint rule)
//! or a prefix ending in `.*` (`conventions.*`). Unknown keys, profiles and codes
//! are a `lint.config` error located in the file.
//!
//! ```
//! use fluxcd_core::lint::{Config, Profile};
//!
//! let c = Config::parse("profiles: [flux, conventions]\ndisable: [conventions.retry_interval]\n", ".fluxcd-core.yaml").unwrap();
//! assert!(c.profiles.as_ref().unwrap().contains(Profile::Conventions));
//! assert!(!c.is_enabled("conventions.retry_interval"));
//! assert!(c.is_enabled("conventions.crd_prune"));
//!
//! let e = Config::parse("disable: [conventions.retry_intervall]\n", ".fluxcd-core.yaml").unwrap_err();
//! assert_eq!(e.code, "lint.config");
//! assert_eq!((e.location.line, e.location.column), (1, 11));
//! assert_eq!(e.hint.as_deref(), Some("did you mean `conventions.retry_interval`?"));
//! ```

#![allow(clippy::result_large_err)] // the contract returns a `Diagnostic` (located in the file) as error

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Location};
use crate::yaml::{self, LoadOptions, Node, NodeValue};

use super::Profiles;

/// The name of the configuration file at the repository root.
pub const FILE_NAME: &str = ".fluxcd-core.yaml";

/// The repository's lint configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// The profiles to run, when the file names them.
    pub profiles: Option<Profiles>,
    /// Disabled codes, and prefixes written `prefix.*`.
    pub disabled: BTreeSet<String>,
    /// The file it was read from (relative to the repository root), when one was.
    pub file: Option<String>,
}

impl Config {
    /// Reads `.fluxcd-core.yaml` from `repo_root`; an absent file gives the default.
    pub fn load(repo_root: &Path) -> Result<Config, Diagnostic> {
        Self::load_in(&crate::plan::fs::Disk, repo_root)
    }

    /// [`Config::load`] from the file system `fs`.
    pub fn load_in(
        fs: &dyn crate::plan::fs::FileSystem,
        repo_root: &Path,
    ) -> Result<Config, Diagnostic> {
        let path = repo_root.join(FILE_NAME);
        match fs.read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => Self::parse(&text, FILE_NAME),
                Err(_) => Err(error(
                    FILE_NAME,
                    1,
                    1,
                    "the file is not UTF-8 text".into(),
                    None,
                )),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(error(
                FILE_NAME,
                0,
                0,
                format!("cannot read the file: {e}"),
                None,
            )),
        }
    }

    /// Parses the file's text; `file` names it in locations.
    pub fn parse(text: &str, file: &str) -> Result<Config, Diagnostic> {
        let (docs, diags) = yaml::parse_documents(text, &LoadOptions::default());
        if let Some(mut d) = diags.into_iter().find(Diagnostic::is_error) {
            d.location.file = Some(file.to_string());
            return Err(error(
                file,
                d.location.line,
                d.location.column,
                format!("invalid YAML: {}", d.message),
                None,
            ));
        }
        let mut roots = docs.into_iter().filter_map(|d| d.root);
        let mut config = Config {
            file: Some(file.to_string()),
            ..Config::default()
        };
        let Some(root) = roots.next() else {
            return Ok(config);
        };
        if let Some(extra) = roots.next() {
            return Err(error(
                file,
                extra.pos.line,
                extra.pos.column,
                "the file must hold a single YAML document".into(),
                None,
            ));
        }
        let entries = match &root.value {
            NodeValue::Map(entries) => entries,
            NodeValue::Null => return Ok(config),
            _ => {
                return Err(error(
                    file,
                    root.pos.line,
                    root.pos.column,
                    format!("the file must be a mapping, not {}", root.type_name()),
                    Some("write `profiles: [flux]` and `disable: [code, ...]`".into()),
                ))
            }
        };
        for e in entries {
            match e.key.as_str() {
                "profiles" => {
                    let names = strings(&e.value, file, "profiles")?;
                    if names.is_empty() {
                        return Err(error(
                            file,
                            e.key_pos.line,
                            e.key_pos.column,
                            "`profiles` is empty".into(),
                            Some("the profiles are `flux` and `conventions`".into()),
                        ));
                    }
                    for (name, node) in &names {
                        if name.parse::<super::Profile>().is_err() {
                            let hint = crate::validate::did_you_mean(name, ["flux", "conventions"])
                                .map(|s| format!("did you mean `{s}`?"))
                                .or_else(|| {
                                    Some("the profiles are `flux` and `conventions`".into())
                                });
                            return Err(error(
                                file,
                                node.pos.line,
                                node.pos.column,
                                format!("unknown profile `{name}`"),
                                hint,
                            ));
                        }
                    }
                    config.profiles =
                        Profiles::from_names(names.iter().map(|(n, _)| n.as_str())).ok();
                }
                "disable" => {
                    let known = known_codes();
                    for (code, node) in strings(&e.value, file, "disable")? {
                        let ok = match code.strip_suffix(".*") {
                            Some(prefix) => {
                                known.iter().any(|k| k.starts_with(&format!("{prefix}.")))
                            }
                            None => known.iter().any(|k| *k == code),
                        };
                        if !ok {
                            let hint = crate::validate::did_you_mean(&code, known.iter().copied())
                                .map(|s| format!("did you mean `{s}`?"));
                            return Err(error(
                                file,
                                node.pos.line,
                                node.pos.column,
                                format!("unknown rule code `{code}` in `disable`"),
                                hint.or_else(|| {
                                    Some("see docs/lint-rules.md and docs/error-codes.md".into())
                                }),
                            ));
                        }
                        config.disabled.insert(code);
                    }
                }
                other => {
                    let hint = crate::validate::did_you_mean(other, ["profiles", "disable"])
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| Some("the keys are `profiles` and `disable`".into()));
                    return Err(error(
                        file,
                        e.key_pos.line,
                        e.key_pos.column,
                        format!("unknown key `{other}`"),
                        hint,
                    ));
                }
            }
        }
        Ok(config)
    }

    /// False when `code` is disabled, by itself or by a `prefix.*` entry.
    pub fn is_enabled(&self, code: &str) -> bool {
        if self.disabled.contains(code) {
            return false;
        }
        !self.disabled.iter().any(|d| {
            d.strip_suffix(".*").is_some_and(|prefix| {
                code.strip_prefix(prefix)
                    .is_some_and(|r| r.starts_with('.'))
            })
        })
    }

    /// Keeps the diagnostics whose code is enabled.
    pub fn filter(&self, diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
        diagnostics
            .into_iter()
            .filter(|d| self.is_enabled(&d.code))
            .collect()
    }
}

fn known_codes() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = crate::codes::all().into_iter().map(|c| c.code).collect();
    out.extend(super::rules().iter().map(|r| r.code));
    out.sort();
    out.dedup();
    out
}

/// A list of strings, or one comma-separated string.
fn strings<'a>(
    node: &'a Node,
    file: &str,
    key: &str,
) -> Result<Vec<(String, &'a Node)>, Diagnostic> {
    let bad = |n: &Node| {
        error(
            file,
            n.pos.line,
            n.pos.column,
            format!("`{key}` must be a list of strings, not {}", n.type_name()),
            None,
        )
    };
    match &node.value {
        NodeValue::Seq(items) => items
            .iter()
            .map(|n| {
                n.as_str()
                    .map(|s| (s.trim().to_string(), n))
                    .ok_or_else(|| bad(n))
            })
            .collect(),
        NodeValue::Null => Ok(Vec::new()),
        _ => match node.as_str() {
            Some(s) => Ok(s
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| (s.to_string(), node))
                .collect()),
            None => Err(bad(node)),
        },
    }
}

fn error(file: &str, line: u32, column: u32, message: String, hint: Option<String>) -> Diagnostic {
    let mut d = Diagnostic::error("lint.config", format!("{FILE_NAME}: {message}")).at(Location {
        file: Some(file.to_string()),
        document: 0,
        line,
        column,
        path: String::new(),
    });
    d.hint = hint;
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::Profile;

    fn err(text: &str) -> Diagnostic {
        Config::parse(text, FILE_NAME).unwrap_err()
    }

    #[test]
    fn full_file() {
        let c = Config::parse(
            "# repo lint settings\nprofiles: [flux, conventions]\ndisable:\n  - conventions.retry_interval\n  - plan.not_applied\n  - release.*\n",
            FILE_NAME,
        )
        .unwrap();
        let p = c.profiles.clone().unwrap();
        assert!(p.contains(Profile::Flux) && p.contains(Profile::Conventions));
        assert!(!c.is_enabled("conventions.retry_interval"));
        assert!(!c.is_enabled("plan.not_applied"));
        assert!(!c.is_enabled("release.shortened"));
        assert!(c.is_enabled("releasex.shortened"));
        assert!(c.is_enabled("conventions.crd_prune"));
        let kept = c.filter(vec![
            Diagnostic::warning("conventions.retry_interval", "x"),
            Diagnostic::warning("conventions.crd_prune", "y"),
        ]);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].code, "conventions.crd_prune");
    }

    #[test]
    fn string_forms_and_empty_files() {
        let c = Config::parse("profiles: conventions\n", FILE_NAME).unwrap();
        assert!(!c.profiles.unwrap().contains(Profile::Flux));
        let c = Config::parse("profiles: flux, conventions\n", FILE_NAME).unwrap();
        assert_eq!(c.profiles.unwrap(), Profiles::all());
        for text in ["", "# nothing\n", "~\n"] {
            let c = Config::parse(text, FILE_NAME).unwrap();
            assert_eq!(c.profiles, None);
            assert!(c.disabled.is_empty());
        }
    }

    #[test]
    fn unknown_key_profile_code_are_located() {
        let e = err("profiles: [flux]\ndisabled: [plan.not_applied]\n");
        assert_eq!(
            (e.code.as_str(), e.location.line, e.location.column),
            ("lint.config", 2, 1)
        );
        assert_eq!(e.location.file.as_deref(), Some(FILE_NAME));
        assert_eq!(e.hint.as_deref(), Some("did you mean `disable`?"));

        let e = err("profiles:\n  - flux\n  - convention\n");
        assert_eq!((e.location.line, e.location.column), (3, 5));
        assert!(
            e.message.contains("unknown profile `convention`"),
            "{}",
            e.message
        );
        assert_eq!(e.hint.as_deref(), Some("did you mean `conventions`?"));

        let e = err("disable: [api.removed_version, nope.nothing]\n");
        assert_eq!((e.location.line, e.location.column), (1, 32));
        assert!(e.message.contains("nope.nothing"));

        let e = err("disable: [nope.*]\n");
        assert!(e.message.contains("nope.*"));

        let e = err("profiles: []\n");
        assert!(e.message.contains("empty"));
        let e = err("disable: {a: b}\n");
        assert!(e.message.contains("list of strings"));
        let e = err("- flux\n");
        assert!(e.message.contains("mapping"));
        let e = err("profiles: [flux\n");
        assert!(e.message.contains("invalid YAML"));
        let e = err("profiles: [flux]\n---\nprofiles: [flux]\n");
        assert!(e.message.contains("single"));
    }

    #[test]
    fn load_from_disk() {
        let dir =
            std::env::temp_dir().join(format!("fluxcd-core-lint-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(Config::load(&dir).unwrap(), Config::default());
        std::fs::write(dir.join(FILE_NAME), "disable: [conventions.*]\n").unwrap();
        let c = Config::load(&dir);
        std::fs::write(dir.join(FILE_NAME), "profile: [flux]\n").unwrap();
        let e = Config::load(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        let c = c.unwrap();
        assert!(!c.is_enabled("conventions.health_checks"));
        assert_eq!(c.file.as_deref(), Some(FILE_NAME));
        let e = e.unwrap_err();
        assert_eq!(e.location.line, 1);
        assert_eq!(e.hint.as_deref(), Some("did you mean `profiles`?"));
    }
}

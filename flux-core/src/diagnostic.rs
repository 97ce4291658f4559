//! Diagnostics: what every check in this crate reports, with a stable code and a location.
//!
//! A [`Diagnostic`] is data, not an error: loading a fleet goes on after a bad
//! document, and the caller decides what to do with what was found.
//!
//! ```
//! use fluxcd_core::diagnostic::{Diagnostic, Location, Severity};
//!
//! let d = Diagnostic::new("schema.required", Severity::Error, "missing required field `interval`")
//!     .at(Location { file: Some("clusters/prod/flux.yaml".into()), document: 0, line: 3, column: 1, path: "spec".into() });
//! assert_eq!(d.to_string(), "clusters/prod/flux.yaml:3:1: error[schema.required]: missing required field `interval` (at spec)");
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

/// How bad a finding is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Flux (or the API server) would reject or fail on this.
    Error,
    /// Flux accepts it, but it is very likely a mistake.
    Warning,
    /// Worth knowing; nothing is wrong.
    Info,
}

impl Severity {
    /// The lowercase wire name: `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding points: file, document, line:column (1-based) and the field's path.
#[derive(
    Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Location {
    /// The file the document came from, when it came from a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Zero-based index of the YAML document in its file (empty documents count).
    pub document: usize,
    /// 1-based line; 0 when unknown.
    pub line: u32,
    /// 1-based column (in characters); 0 when unknown.
    pub column: u32,
    /// Dotted path of the field inside the document, e.g. `spec.ref.branch` or
    /// `spec.dependsOn[1].name`; empty for the document itself.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub path: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.as_deref().unwrap_or("<input>");
        write!(f, "{file}:{}:{}", self.line, self.column)
    }
}

/// One finding of a check, with a stable dotted code such as `schema.required`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// Stable dotted code (`yaml.syntax`, `schema.enum`, `api.removed_version`, ...).
    pub code: String,
    /// How bad it is.
    pub severity: Severity,
    /// Human-readable message. Never contains Secret values.
    pub message: String,
    /// Where it points (flattened into `file`, `document`, `line`, `column`, `path` on the wire).
    #[serde(flatten)]
    pub location: Location,
    /// A suggestion for fixing it, when there is one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with an unknown location.
    pub fn new(code: impl Into<String>, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.into(),
            severity,
            message: message.into(),
            location: Location::default(),
            hint: None,
        }
    }

    /// An error-level diagnostic.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message)
    }

    /// A warning-level diagnostic.
    pub fn warning(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message)
    }

    /// An info-level diagnostic.
    pub fn info(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Info, message)
    }

    /// Sets the location.
    pub fn at(mut self, location: Location) -> Self {
        self.location = location;
        self
    }

    /// Sets the fix hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for error-level diagnostics.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}[{}]: {}",
            self.location, self.severity, self.code, self.message
        )?;
        if !self.location.path.is_empty() {
            write!(f, " (at {})", self.location.path)?;
        }
        Ok(())
    }
}

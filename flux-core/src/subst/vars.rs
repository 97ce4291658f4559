//! Variable files for `fluxcd-core envsubst --vars FILE`: a JSON or YAML map, or a dotenv file.
//!
//! ```
//! use fluxcd_core::subst::vars::parse_vars;
//!
//! let yaml = parse_vars("cluster: prod\nreplicas: 2\nenabled: true\n").unwrap();
//! assert_eq!(yaml["replicas"], "2");
//! assert_eq!(yaml["enabled"], "true");
//! let dotenv = parse_vars("# comment\nexport DOMAIN=example.com\nGREETING=\"hello world\"\n").unwrap();
//! assert_eq!(dotenv["DOMAIN"], "example.com");
//! assert_eq!(dotenv["GREETING"], "hello world");
//! ```

use std::collections::BTreeMap;

use serde_json::Value;

use crate::yaml::{parse_documents, LoadOptions, NodeValue};

/// A variables file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VarsError {
    /// A dotenv line without `=`.
    #[error("line {line}: expected KEY=VALUE")]
    BadLine {
        /// 1-based line number.
        line: usize,
    },
    /// A map value that is a list or a map.
    #[error("variable {key:?}: value must be a string, number, boolean or null")]
    NotScalar {
        /// The key.
        key: String,
    },
    /// Not valid YAML.
    #[error("{message}")]
    Yaml {
        /// The parser's message.
        message: String,
    },
}

impl VarsError {
    /// Stable code.
    pub fn code(&self) -> &'static str {
        "subst.vars_file"
    }
}

/// Reads variables from a JSON/YAML map or, when the text is not a map, a dotenv file
/// (`KEY=VALUE` lines, `#` comments, optional `export `, single or double quotes).
/// Scalars become their text: numbers and booleans as written by JSON, null as `""`.
pub fn parse_vars(text: &str) -> Result<BTreeMap<String, String>, VarsError> {
    let (docs, diags) = parse_documents(text, &LoadOptions::default());
    let root = docs.iter().find_map(|d| d.root.as_ref());
    if let Some(root) = root.filter(|r| matches!(r.value, NodeValue::Map(_))) {
        if let Some(d) = diags.iter().find(|d| d.is_error()) {
            return Err(VarsError::Yaml {
                message: d.to_string(),
            });
        }
        let mut out = BTreeMap::new();
        if let Value::Object(map) = root.to_json() {
            for (k, v) in map {
                let s = match v {
                    Value::String(s) => s,
                    Value::Null => String::new(),
                    Value::Bool(_) | Value::Number(_) => v.to_string(),
                    _ => return Err(VarsError::NotScalar { key: k }),
                };
                out.insert(k, s);
            }
        }
        return Ok(out);
    }
    parse_dotenv(text)
}

fn parse_dotenv(text: &str) -> Result<BTreeMap<String, String>, VarsError> {
    let mut out = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let line = line.strip_prefix("export ").unwrap_or(line);
        let (k, v) = line
            .split_once('=')
            .ok_or(VarsError::BadLine { line: i + 1 })?;
        let v = v.trim();
        let v = if v.len() >= 2
            && ((v.starts_with('"') && v.ends_with('"'))
                || (v.starts_with('\'') && v.ends_with('\'')))
        {
            &v[1..v.len() - 1]
        } else {
            v
        };
        out.insert(k.trim().to_string(), v.to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_map_and_errors() {
        let m = parse_vars(r#"{"a": "x", "n": 1.5, "z": null}"#).unwrap();
        assert_eq!(m["a"], "x");
        assert_eq!(m["n"], "1.5");
        assert_eq!(m["z"], "");
        assert_eq!(
            parse_vars("a: [1]\n"),
            Err(VarsError::NotScalar { key: "a".into() })
        );
        assert_eq!(
            parse_vars("A=1\nnot a pair\n"),
            Err(VarsError::BadLine { line: 2 })
        );
    }
}

//! The Setters update strategy of ImageUpdateAutomation (image-automation-controller
//! v1.2 `internal/update`): YAML fields marked with a line comment
//! `# {"$imagepolicy": "<namespace>:<name>"}` receive the policy's latest image
//! (`<image>:<tag>`, `@<digest>` appended when known); the `:tag`, `:name` and
//! `:digest` forms receive the tag, the image name and the digest.
//!
//! Only files containing the text `"$imagepolicy"` are read, as upstream's screening
//! reader does, and only policies in the automation's namespace are setters.
//! Rewriting is textual: the file stays byte-identical except for the changed scalars
//! (upstream re-serialises changed files with kyaml, which can also re-indent them).
//! A `#` inside a quoted scalar is not a comment, so a marker inside a string is no
//! marker.
//!
//! ```
//! use fluxcd_core::image::setters::rewrite;
//! let text = "spec:\n  image: ghcr.io/acme/app:1.0.0 # {\"$imagepolicy\": \"apps:app\"}\n  tag: \"1.0.0\" # {\"$imagepolicy\": \"apps:app:tag\"}\n";
//! let out = rewrite(text, &|setter: &str| match setter {
//!     "apps:app" => Some("ghcr.io/acme/app:1.1.0".to_string()),
//!     "apps:app:tag" => Some("1.1.0".to_string()),
//!     _ => None,
//! });
//! assert_eq!(out.content, "spec:\n  image: ghcr.io/acme/app:1.1.0 # {\"$imagepolicy\": \"apps:app\"}\n  tag: \"1.1.0\" # {\"$imagepolicy\": \"apps:app:tag\"}\n");
//! assert_eq!(out.changes.len(), 2);
//! ```

use serde::Serialize;

/// A marker found in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Marker {
    /// 1-based line.
    pub line: usize,
    /// The setter name: `ns:name`, `ns:name:tag`, `ns:name:name` or `ns:name:digest`.
    pub setter: String,
    /// The policy's namespace.
    pub namespace: String,
    /// The policy's name.
    pub name: String,
    /// The marked scalar's current value.
    pub value: String,
}

/// One field changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// 1-based line.
    pub line: usize,
    /// The setter.
    pub setter: String,
    /// The value before.
    pub old: String,
    /// The value after.
    pub new: String,
}

/// The result of [`rewrite`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rewrite {
    /// The new text (the input when nothing changed).
    pub content: String,
    /// Every marker found.
    pub markers: Vec<Marker>,
    /// Every field changed.
    pub changes: Vec<Change>,
}

/// Where the comment of a YAML line starts (`#` after a blank, outside quotes).
fn comment_start(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(b'"') if c == b'\\' => i += 1,
            Some(q) if c == q => {
                if q == b'\'' && b.get(i + 1) == Some(&b'\'') {
                    i += 1;
                } else {
                    quote = None;
                }
            }
            Some(_) => {}
            None => {
                if c == b'#' && (i == 0 || b[i - 1] == b' ' || b[i - 1] == b'\t') {
                    return Some(i);
                }
                // A quote opens a scalar only at its start (after `: `, `- `, `[`, `,`).
                if (c == b'"' || c == b'\'')
                    && (i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'[' | b','))
                {
                    quote = Some(c);
                }
            }
        }
        i += 1;
    }
    None
}

/// The setter a comment names, if it is a `{"$imagepolicy": "..."}` marker.
fn marker_setter(comment: &str) -> Option<String> {
    let body = comment.trim_start_matches('#').trim();
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    v.get("$imagepolicy")?.as_str().map(str::to_string)
}

/// The span of the scalar value on a line (before the comment): after `key: ` or `- `.
fn value_span(line: &str, end: usize) -> Option<(usize, usize)> {
    let head = &line[..end];
    let trimmed_end = head.trim_end().len();
    let start = if let Some(p) = find_mapping_colon(head) {
        p + 1
    } else {
        let t = head.trim_start();
        let lead = head.len() - t.len();
        if !t.starts_with("- ") && t != "-" {
            return None;
        }
        lead + 1
    };
    let rest = &head[start..trimmed_end];
    let s = start + (rest.len() - rest.trim_start().len());
    (s < trimmed_end).then_some((s, trimmed_end))
}

fn find_mapping_colon(head: &str) -> Option<usize> {
    let b = head.as_bytes();
    let mut quote: Option<u8> = None;
    for i in 0..b.len() {
        let c = b[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => {
                if (c == b'"' || c == b'\'') && (i == 0 || matches!(b[i - 1], b' ' | b'-')) {
                    quote = Some(c);
                } else if c == b':' && (i + 1 == b.len() || b[i + 1] == b' ' || b[i + 1] == b'\t') {
                    return Some(i);
                }
            }
        }
    }
    None
}

fn unquote(raw: &str) -> (String, Option<char>) {
    if raw.len() >= 2 && raw.starts_with('"') && raw.ends_with('"') {
        let v: Option<String> = serde_json::from_str(raw).ok();
        return (
            v.unwrap_or_else(|| raw[1..raw.len() - 1].to_string()),
            Some('"'),
        );
    }
    if raw.len() >= 2 && raw.starts_with('\'') && raw.ends_with('\'') {
        return (raw[1..raw.len() - 1].replace("''", "'"), Some('\''));
    }
    (raw.to_string(), None)
}

fn requote(v: &str, style: Option<char>) -> String {
    match style {
        Some('"') => serde_json::to_string(v).unwrap_or_else(|_| format!("\"{v}\"")),
        Some(_) => format!("'{}'", v.replace('\'', "''")),
        None => v.to_string(),
    }
}

/// Rewrites every marked field of `text` whose setter `value_of` knows.
pub fn rewrite(text: &str, value_of: &dyn Fn(&str) -> Option<String>) -> Rewrite {
    let mut out = String::with_capacity(text.len());
    let mut markers = Vec::new();
    let mut changes = Vec::new();
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let eol = &line[body.len()..];
        let Some(c) = comment_start(body) else {
            out.push_str(line);
            continue;
        };
        let Some(setter) = marker_setter(&body[c..]) else {
            out.push_str(line);
            continue;
        };
        let Some((s, e)) = value_span(body, c) else {
            out.push_str(line);
            continue;
        };
        let (old, style) = unquote(&body[s..e]);
        let mut parts = setter.splitn(3, ':');
        let namespace = parts.next().unwrap_or("").to_string();
        let name = parts.next().unwrap_or("").to_string();
        markers.push(Marker {
            line: n + 1,
            setter: setter.clone(),
            namespace,
            name,
            value: old.clone(),
        });
        match value_of(&setter) {
            Some(new) if new != old => {
                out.push_str(&body[..s]);
                out.push_str(&requote(&new, style));
                out.push_str(&body[e..]);
                out.push_str(eol);
                changes.push(Change {
                    line: n + 1,
                    setter,
                    old,
                    new,
                });
            }
            _ => out.push_str(line),
        }
    }
    Rewrite {
        content: out,
        markers,
        changes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> Rewrite {
        rewrite(text, &|s: &str| (s == "ns:p").then(|| "img:2".to_string()))
    }

    #[test]
    fn rewrites_only_marked_scalars() {
        let text = "a:\n  - img:1 # {\"$imagepolicy\": \"ns:p\"}\n  - image: 'img:1'   #   {\"$imagepolicy\": \"ns:p\"}  \r\nb: \"x # {\\\"$imagepolicy\\\": \\\"ns:p\\\"}\"\nc: img:1 # {\"$imagepolicy\": \"other:p\"}\n";
        let r = set(text);
        assert_eq!(
            r.content,
            "a:\n  - img:2 # {\"$imagepolicy\": \"ns:p\"}\n  - image: 'img:2'   #   {\"$imagepolicy\": \"ns:p\"}  \r\nb: \"x # {\\\"$imagepolicy\\\": \\\"ns:p\\\"}\"\nc: img:1 # {\"$imagepolicy\": \"other:p\"}\n"
        );
        assert_eq!(r.changes.len(), 2);
        assert_eq!(
            r.markers.len(),
            3,
            "the marker inside a string is no marker"
        );
    }

    #[test]
    fn long_files_are_linear() {
        let line = "  image: img:1 # {\"$imagepolicy\": \"ns:p\"}\n";
        let text = line.repeat(100_000);
        assert_eq!(set(&text).changes.len(), 100_000);
    }
}

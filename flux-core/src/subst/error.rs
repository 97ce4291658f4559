//! Errors of the substitution module.

use crate::diagnostic::{Diagnostic, Location};

/// Where an error points in the source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Position {
    /// Byte offset in the text.
    pub offset: usize,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Position {
    /// The position of byte `offset` in `text` (clamped to the text's length).
    pub fn locate(text: &str, offset: usize) -> Position {
        let bytes = text.as_bytes();
        let offset = offset.min(bytes.len());
        let before = &bytes[..offset];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
        // Characters, not bytes: count the bytes that start a character.
        let column = 1 + before[line_start..]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count();
        Position {
            offset,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }
}

/// Go's `%q` rendering of a variable name (names hold only letters, digits and
/// `_`, so this only has to handle what can never occur in one defensively).
fn quote(name: &str) -> String {
    let mut s = String::with_capacity(name.len() + 2);
    s.push('"');
    for c in name.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\t' => s.push_str("\\t"),
            '\r' => s.push_str("\\r"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                s.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// A substitution error. Every variant's message starts with the text Flux's
/// envsubst reports for the same input, followed by the position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Strict mode, and a variable used without a default operator is not set.
    #[error("variable not set (strict mode): {} (line {}, column {})", quote(name), at.line, at.column)]
    Undefined {
        /// The variable's name.
        name: String,
        /// Where the `${` of the expression is.
        at: Position,
    },
    /// A `${name` is followed by a character that starts no operator, or by
    /// the end of the text.
    #[error("missing closing brace (line {}, column {})", at.line, at.column)]
    MissingBrace {
        /// The offending character (or the end of the text).
        at: Position,
    },
    /// An operator is malformed or not closed where it must be.
    #[error("bad substitution (line {}, column {})", at.line, at.column)]
    BadSubstitution {
        /// The offending character (or the end of the text).
        at: Position,
    },
    /// `${` is not followed by a variable name.
    #[error("unable to parse variable name (line {}, column {})", at.line, at.column)]
    BadName {
        /// The offending character (or the end of the text).
        at: Position,
    },
    /// An operator's argument cannot be read (e.g. it is empty, or the text
    /// ends inside it).
    #[error("unable to parse substitution within function (line {}, column {})", at.line, at.column)]
    BadFunction {
        /// The offending character (or the end of the text).
        at: Position,
    },
    /// A default operator cannot be read. (Kept for completeness: the reference
    /// grammar never reaches this error.)
    #[error("unable to parse default function (line {}, column {})", at.line, at.column)]
    BadDefault {
        /// The offending character.
        at: Position,
    },
    /// `${v:offset:length}` where the end falls before the start (a negative
    /// length, or an overflowing sum). Flux's envsubst v1.7.0 panics here.
    #[error(
        "substring ${{{name}:{offset}:{length}}} ends before it starts on a value of {value_len} bytes; \
         Flux's envsubst panics on this (slice bounds out of range) (line {}, column {})",
        at.line, at.column
    )]
    NegativeLength {
        /// The variable's name.
        name: String,
        /// The offset argument, after counting a negative one from the end.
        offset: i64,
        /// The length argument.
        length: i64,
        /// The value's length in bytes.
        value_len: usize,
        /// Where the `${` of the expression is.
        at: Position,
    },
    /// The output would exceed [`Options::max_output`](super::Options::max_output)
    /// (a fluxcd-core limit; Flux would try to allocate it).
    #[error("substitution output exceeds the limit of {limit} bytes (nested replacements multiply sizes; raise subst::Options::max_output) (line {}, column {})", at.line, at.column)]
    OutputTooLarge {
        /// The limit in effect.
        limit: usize,
        /// The `${` of the expression whose result crossed the limit.
        at: Position,
    },
    /// Expressions nest deeper than [`Options::max_depth`](super::Options::max_depth)
    /// (a fluxcd-core limit).
    #[error("expressions nested deeper than the limit of {limit} (raise subst::Options::max_depth) (line {}, column {})", at.line, at.column)]
    TooDeep {
        /// The limit in effect.
        limit: usize,
        /// The `${` of the expression past the limit.
        at: Position,
    },
    /// The result is not valid UTF-8 (a byte-based substring or pattern removal
    /// cut a character in two). Flux produces these bytes, then fails to read
    /// them back as YAML; [`envsubst_bytes`](super::envsubst_bytes) returns them.
    #[error("the substituted text is not valid UTF-8 (line {}, column {})", at.line, at.column)]
    InvalidUtf8 {
        /// The top-level `${` whose output holds the first invalid byte.
        at: Position,
    },
}

impl Error {
    pub(crate) fn bad_substitution(at: Position) -> Error {
        Error::BadSubstitution { at }
    }
    pub(crate) fn missing_brace(at: Position) -> Error {
        Error::MissingBrace { at }
    }
    pub(crate) fn bad_name(at: Position) -> Error {
        Error::BadName { at }
    }
    pub(crate) fn bad_function(at: Position) -> Error {
        Error::BadFunction { at }
    }
    pub(crate) fn bad_default(at: Position) -> Error {
        Error::BadDefault { at }
    }

    /// The stable code: `subst.undefined`, `subst.missing_brace`,
    /// `subst.bad_substitution`, `subst.bad_name`, `subst.bad_function`,
    /// `subst.negative_length`, `subst.invalid_utf8`,
    /// `subst.output_too_large` or `subst.too_deep`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Undefined { .. } => "subst.undefined",
            Error::MissingBrace { .. } => "subst.missing_brace",
            Error::BadSubstitution { .. } => "subst.bad_substitution",
            Error::BadName { .. } => "subst.bad_name",
            Error::BadFunction { .. } | Error::BadDefault { .. } => "subst.bad_function",
            Error::NegativeLength { .. } => "subst.negative_length",
            Error::InvalidUtf8 { .. } => "subst.invalid_utf8",
            Error::OutputTooLarge { .. } => "subst.output_too_large",
            Error::TooDeep { .. } => "subst.too_deep",
        }
    }

    /// Where it points.
    pub fn position(&self) -> Position {
        match self {
            Error::Undefined { at, .. }
            | Error::MissingBrace { at }
            | Error::BadSubstitution { at }
            | Error::BadName { at }
            | Error::BadFunction { at }
            | Error::BadDefault { at }
            | Error::NegativeLength { at, .. }
            | Error::InvalidUtf8 { at }
            | Error::OutputTooLarge { at, .. }
            | Error::TooDeep { at, .. } => *at,
        }
    }

    /// Byte offset in the text.
    pub fn offset(&self) -> usize {
        self.position().offset
    }

    /// 1-based line.
    pub fn line(&self) -> u32 {
        self.position().line
    }

    /// 1-based column, in characters.
    pub fn column(&self) -> u32 {
        self.position().column
    }

    /// Flux's own message for this error, without our position suffix (for
    /// [`Error::NegativeLength`] and [`Error::InvalidUtf8`], where Flux has none,
    /// our description).
    pub fn upstream_message(&self) -> String {
        let full = self.to_string();
        match full.rfind(" (line ") {
            Some(i) => full[..i].to_string(),
            None => full,
        }
    }

    /// This error as a [`Diagnostic`]; `file`, `document` and `path` locate the
    /// text, the error's line and column are counted inside it.
    pub fn to_diagnostic(&self, file: Option<&str>, document: usize, path: &str) -> Diagnostic {
        let at = self.position();
        Diagnostic::error(self.code(), self.upstream_message()).at(Location {
            file: file.map(str::to_string),
            document,
            line: at.line,
            column: at.column,
            path: path.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let p = Position::locate("ab\ncé${x", 6);
        assert_eq!((p.offset, p.line, p.column), (6, 2, 3));
        let p = Position::locate("abc", 99);
        assert_eq!((p.offset, p.line, p.column), (3, 1, 4));
        let p = Position::locate("", 0);
        assert_eq!((p.line, p.column), (1, 1));
    }

    #[test]
    fn messages_carry_the_upstream_text() {
        let e = Error::Undefined {
            name: "x".into(),
            at: Position::locate("${x}", 0),
        };
        assert_eq!(
            e.to_string(),
            "variable not set (strict mode): \"x\" (line 1, column 1)"
        );
        assert_eq!(
            e.upstream_message(),
            "variable not set (strict mode): \"x\""
        );
        assert_eq!(e.code(), "subst.undefined");
    }
}

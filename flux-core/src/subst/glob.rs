//! The glob of the `#`, `##`, `%` and `%%` operators.
//!
//! It is the shell-style pattern language of Go's `path.Match` as Flux's envsubst
//! forked it: `*` matches any run of bytes and `?` any one character, both
//! *including* `/`; `[...]` and `[^...]` are character classes with ranges
//! `a-z` and escapes `\c`; `\c` matches `c`. Matching works on bytes (a `?`
//! takes a whole character when one starts there, else one byte). Like the fork,
//! it is greedy: a chunk after a `*` is taken at its leftmost match and never
//! reconsidered, and a malformed pattern is only noticed when matching reaches
//! the malformed part, so whether a pattern is "bad" depends on the text.

use super::unicode::{decode, REPLACEMENT};

/// The pattern is malformed (at the point matching reached).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadPattern;

/// Whether all of `name` matches `pattern`.
pub(crate) fn matches(mut pattern: &[u8], mut name: &[u8]) -> Result<bool, BadPattern> {
    'chunks: while !pattern.is_empty() {
        let (star, chunk, rest) = next_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing `*` takes everything that is left.
            return Ok(true);
        }
        let last = pattern.is_empty();
        // Try at the current position.
        let first = match_chunk(chunk, name);
        if let Ok(Some(t)) = first {
            if t.is_empty() || !last {
                name = t;
                continue;
            }
        }
        first?;
        if star {
            // Try at every later byte offset.
            for i in 0..name.len() {
                match match_chunk(chunk, &name[i + 1..])? {
                    Some(t) if last && !t.is_empty() => continue,
                    Some(t) => {
                        name = t;
                        continue 'chunks;
                    }
                    None => {}
                }
            }
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Splits off the leading stars and the star-free chunk after them.
fn next_chunk(mut pattern: &[u8]) -> (bool, &[u8], &[u8]) {
    let mut star = false;
    while let Some((&b'*', rest)) = pattern.split_first() {
        pattern = rest;
        star = true;
    }
    let mut in_class = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            // An escape takes the next byte along (a trailing one is left for
            // matching to reject).
            b'\\' if i + 1 < pattern.len() => i += 1,
            b'[' => in_class = true,
            b']' => in_class = false,
            b'*' if !in_class => break,
            _ => {}
        }
        i += 1;
    }
    (star, &pattern[..i], &pattern[i..])
}

/// Matches `chunk` (no `*` outside classes) at the start of `s`: the rest of
/// `s` on a match, `None` on a mismatch.
fn match_chunk<'s>(mut chunk: &[u8], mut s: &'s [u8]) -> Result<Option<&'s [u8]>, BadPattern> {
    while let Some(&c) = chunk.first() {
        if s.is_empty() {
            return Ok(None);
        }
        match c {
            b'[' => {
                let (r, n) = decode(s);
                s = &s[n..];
                chunk = &chunk[1..];
                let mut negated = false;
                if chunk.first() == Some(&b'^') {
                    negated = true;
                    chunk = &chunk[1..];
                }
                let mut found = false;
                let mut ranges = 0;
                loop {
                    if ranges > 0 && chunk.first() == Some(&b']') {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = class_char(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk[0] == b'-' {
                        let (h, rest) = class_char(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if lo <= r && r <= hi {
                        found = true;
                    }
                    ranges += 1;
                }
                if found == negated {
                    return Ok(None);
                }
            }
            b'?' => {
                let (_, n) = decode(s);
                s = &s[n..];
                chunk = &chunk[1..];
            }
            _ => {
                if c == b'\\' {
                    chunk = &chunk[1..];
                    if chunk.is_empty() {
                        return Err(BadPattern);
                    }
                }
                if chunk[0] != s[0] {
                    return Ok(None);
                }
                s = &s[1..];
                chunk = &chunk[1..];
            }
        }
    }
    Ok(Some(s))
}

/// Reads one (possibly escaped) character of a class. Something must follow it
/// in the chunk (at least the closing `]`).
fn class_char(chunk: &[u8]) -> Result<(u32, &[u8]), BadPattern> {
    let mut chunk = chunk;
    match chunk.first() {
        None | Some(b'-') | Some(b']') => return Err(BadPattern),
        Some(b'\\') => {
            chunk = &chunk[1..];
            if chunk.is_empty() {
                return Err(BadPattern);
            }
        }
        Some(_) => {}
    }
    let (r, n) = decode(chunk);
    if r == REPLACEMENT && n == 1 {
        return Err(BadPattern);
    }
    let rest = &chunk[n..];
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((r, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, s: &str) -> Result<bool, BadPattern> {
        matches(p.as_bytes(), s.as_bytes())
    }

    #[test]
    fn basics() {
        assert_eq!(m("*", "a/b"), Ok(true));
        assert_eq!(m("?", "/"), Ok(true));
        assert_eq!(m("*.", "bash."), Ok(true));
        assert_eq!(m("*/", "path/"), Ok(true));
        assert_eq!(m("a*b", "axxb"), Ok(true));
        assert_eq!(m("a*b", "axxbc"), Ok(false));
        assert_eq!(m("[a-c]x", "bx"), Ok(true));
        assert_eq!(m("[^a-c]x", "bx"), Ok(false));
        assert_eq!(m("\\*", "*"), Ok(true));
        assert_eq!(m("?", "é"), Ok(true));
    }

    #[test]
    fn bad_patterns_are_found_lazily() {
        assert_eq!(m("a[", "b"), Ok(false));
        assert_eq!(m("a[", "ab"), Err(BadPattern));
        assert_eq!(m("\\", "x"), Err(BadPattern));
        assert_eq!(m("[]", "x"), Err(BadPattern));
        assert_eq!(m("[x-]", "x"), Err(BadPattern));
    }
}

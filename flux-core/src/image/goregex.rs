//! Go RE2 patterns (`regexp.Compile`) on the `regex` crate, and Go's
//! `Regexp.ExpandString` for `filterTags.extract`.
//!
//! Both engines are RE2-style (linear time, leftmost-first submatches), but their
//! syntaxes differ; the pattern is rewritten before it is compiled:
//!
//! - `\d \w \s \b` (and negations, inside classes too) are ASCII in Go, Unicode in the
//!   crate: they become explicit ASCII classes / `(?-u:\b)`;
//! - Go's `\Q...\E` literal text and octal escapes (`\0`, `\012`) are spelled out;
//! - `\<`, `\>` are literal characters in Go (word boundaries in the crate), `\b{` is a
//!   boundary then a literal `{`;
//! - capture names are removed (Go accepts any `[A-Za-z0-9_]+` name, even `1a`, the
//!   crate only identifiers) and kept in our own table for `${name}`;
//! - flags Go does not know (`x`, `u`, `R`) and repeat counts above 1000 are rejected,
//!   as Go rejects them.
//!
//! ```
//! use fluxcd_core::image::goregex::GoRegex;
//! let re = GoRegex::new(r"^main-(?P<ts>\d+)-[a-f0-9]+$").unwrap();
//! assert_eq!(re.expand("main-42-abc", "$ts").as_deref(), Some("42"));
//! assert!(GoRegex::new(r"^\d+$").unwrap().is_match("12"));
//! assert!(!GoRegex::new(r"^\d+$").unwrap().is_match("١٢")); // Arabic-Indic digits: not \d in Go
//! ```

use regex::Regex;

/// A compiled Go pattern.
#[derive(Debug, Clone)]
pub struct GoRegex {
    re: Regex,
    /// Capture names by group index (index 0 is the whole match, unnamed).
    names: Vec<Option<String>>,
}

const MAX_REPEAT: u32 = 1000;

fn class_item(c: char, negated_form: bool) -> Option<&'static str> {
    // What `\c` means inside a bracket class (returned as class items) or outside
    // (a whole class) — `negated_form` picks the outside spelling.
    let _ = negated_form;
    match c {
        'd' => Some("0-9"),
        'w' => Some("0-9A-Za-z_"),
        's' => Some("\\t\\n\\x0C\\r "),
        _ => None,
    }
}

fn push_literal(out: &mut String, c: char) {
    out.push_str(&format!("\\x{{{:X}}}", c as u32));
}

impl GoRegex {
    /// Compiles `pattern` with Go's syntax.
    ///
    /// # Errors
    ///
    /// The syntax problem, as text (Go's `error parsing regexp: ...` wording is not
    /// reproduced word for word).
    pub fn new(pattern: &str) -> Result<GoRegex, String> {
        let (translated, names) = translate(pattern)?;
        let re = regex::RegexBuilder::new(&translated)
            .size_limit(32 << 20)
            .nest_limit(1000)
            .build()
            .map_err(|e| match e {
                regex::Error::Syntax(s) => s.lines().last().unwrap_or("").trim().to_string(),
                regex::Error::CompiledTooBig(_) => "expression too large".to_string(),
                other => other.to_string(),
            })?;
        if re.captures_len() != names.len() {
            return Err("capture groups could not be matched up".to_string());
        }
        Ok(GoRegex { re, names })
    }

    /// Whether the pattern matches anywhere in `s` (Go's `MatchString`).
    pub fn is_match(&self, s: &str) -> bool {
        self.re.is_match(s)
    }

    /// `FindStringSubmatchIndex` + `ExpandString(template)`: `None` when there is no
    /// match, else the expanded template.
    pub fn expand(&self, s: &str, template: &str) -> Option<String> {
        let caps = self.re.captures(s)?;
        let group = |i: usize| caps.get(i).map(|m| m.as_str());
        let mut out = String::new();
        let mut rest = template;
        while let Some(pos) = rest.find('$') {
            out.push_str(&rest[..pos]);
            rest = &rest[pos + 1..];
            if let Some(r) = rest.strip_prefix('$') {
                out.push('$');
                rest = r;
                continue;
            }
            let Some((name, num, after)) = extract_name(rest) else {
                out.push('$');
                continue;
            };
            rest = after;
            if let Some(n) = num {
                if let Some(g) = group(n) {
                    out.push_str(g);
                }
            } else if let Some(i) = self.names.iter().position(|x| x.as_deref() == Some(name)) {
                if let Some(g) = group(i) {
                    out.push_str(g);
                }
            }
        }
        out.push_str(rest);
        Some(out)
    }
}

/// Go's `extract`: `name` or `{name}` (letters, digits, `_`); the group number when
/// the name is a number without a leading zero (below 1e8).
fn extract_name(s: &str) -> Option<(&str, Option<usize>, &str)> {
    let (brace, body) = match s.strip_prefix('{') {
        Some(b) => (true, b),
        None => (false, s),
    };
    let end = body
        .char_indices()
        .find(|(_, c)| !(c.is_alphabetic() || is_go_digit(*c) || *c == '_'))
        .map_or(body.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let name = &body[..end];
    let mut rest = &body[end..];
    if brace {
        rest = rest.strip_prefix('}')?;
    }
    let mut num: Option<usize> = Some(0);
    for b in name.bytes() {
        match num {
            Some(n) if b.is_ascii_digit() && n < 100_000_000 => {
                num = Some(n * 10 + (b - b'0') as usize)
            }
            _ => {
                num = None;
                break;
            }
        }
    }
    if name.len() > 1 && name.starts_with('0') {
        num = None;
    }
    Some((name, num, rest))
}

fn is_go_digit(c: char) -> bool {
    // unicode.IsDigit: decimal digits (Nd).
    c.is_ascii_digit() || is_nd(c)
}

fn is_nd(c: char) -> bool {
    // Nd characters come in runs of ten starting at a code point whose value is 0;
    // the standard library has no category lookup, so accept what `char::is_numeric`
    // says for the common decimal blocks.
    let u = c as u32;
    [
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0xFF10,
    ]
    .iter()
    .any(|&b| (b..b + 10).contains(&u))
}

type Translated = (String, Vec<Option<String>>);

fn translate(p: &str) -> Result<Translated, String> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = String::with_capacity(p.len() + 16);
    let mut names: Vec<Option<String>> = vec![None];
    let mut i = 0;
    let mut in_class = false;
    // 0: the last token is no repetition; 1: a repetition; 2: a lazy repetition (`*?`).
    let mut repeat_state = 0u8;
    while i < chars.len() {
        let c = chars[i];
        let was = repeat_state;
        repeat_state = 0;
        if c == '\\' {
            let Some(&n) = chars.get(i + 1) else {
                return Err("trailing backslash at end of expression".into());
            };
            i += 2;
            match n {
                'Q' if !in_class => {
                    while i < chars.len() {
                        if chars[i] == '\\' && chars.get(i + 1) == Some(&'E') {
                            i += 2;
                            break;
                        }
                        push_literal(&mut out, chars[i]);
                        i += 1;
                    }
                }
                'd' | 'w' | 's' => {
                    let items = class_item(n, false).unwrap_or("");
                    if in_class {
                        out.push_str(items);
                    } else {
                        out.push('[');
                        out.push_str(items);
                        out.push(']');
                    }
                }
                'D' | 'W' | 'S' => {
                    let items = class_item(n.to_ascii_lowercase(), true).unwrap_or("");
                    out.push_str("[^");
                    out.push_str(items);
                    out.push(']');
                }
                'b' | 'B' if !in_class => {
                    out.push_str(if n == 'b' { "(?-u:\\b)" } else { "(?-u:\\B)" });
                }
                '0'..='7' => {
                    // Octal: `\0`, `\0NN`, `\NNN`; a lone `\1`-`\7` is a backreference.
                    if n != '0' && !chars.get(i).is_some_and(|d| d.is_ascii_digit()) {
                        return Err(format!("invalid escape sequence: `\\{n}`"));
                    }
                    let mut v = n.to_digit(8).unwrap_or(0);
                    let mut k = 0;
                    while k < 2 && chars.get(i).is_some_and(|d| ('0'..='7').contains(d)) {
                        v = v * 8 + chars[i].to_digit(8).unwrap_or(0);
                        i += 1;
                        k += 1;
                    }
                    push_literal(&mut out, char::from_u32(v).unwrap_or('\0'));
                }
                '<' | '>' | '{' | '}' | '-' | '~' | '#' | '&' | '%' | '!' | '@' | '\'' | '"'
                | ',' | ':' | ';' | '=' | '`' | '/' | '_' => push_literal(&mut out, n),
                c2 if c2.is_ascii_alphanumeric() => {
                    if !"aftnrvxpPAzCb".contains(c2) {
                        return Err(format!("invalid escape sequence: `\\{c2}`"));
                    }
                    if c2 == 'C' {
                        return Err("invalid escape sequence: `\\C`".into());
                    }
                    out.push('\\');
                    out.push(c2);
                }
                c2 if c2.is_ascii_punctuation() => {
                    out.push('\\');
                    out.push(c2);
                }
                c2 => return Err(format!("invalid escape sequence: `\\{c2}`")),
            }
            continue;
        }
        if in_class {
            if c == '[' && chars.get(i + 1) == Some(&':') {
                // POSIX class [:name:] — copied as is (ASCII in both).
                if let Some(end) = (i + 2..chars.len().saturating_sub(1))
                    .find(|&k| chars[k] == ':' && chars[k + 1] == ']')
                {
                    out.extend(&chars[i..end + 2]);
                    i = end + 2;
                    continue;
                }
            }
            if c == '[' {
                out.push_str("\\[");
                i += 1;
                continue;
            }
            if (c == '&' || c == '~' || c == '-') && chars.get(i + 1) == Some(&c) {
                // Set operations in the crate; plain characters in Go.
                push_literal(&mut out, c);
                i += 1;
                continue;
            }
            if c == ']' {
                in_class = false;
            }
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '[' => {
                in_class = true;
                out.push('[');
                i += 1;
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i) == Some(&']') {
                    out.push_str("\\]");
                    i += 1;
                }
            }
            '(' => {
                if chars.get(i + 1) == Some(&'?') {
                    let rest: String = chars[i + 2..].iter().take(3).collect();
                    let named = if rest.starts_with("P<") {
                        Some(i + 4)
                    } else if rest.starts_with('<') {
                        Some(i + 3)
                    } else {
                        None
                    };
                    if let Some(start) = named {
                        let end = (start..chars.len())
                            .find(|&k| chars[k] == '>')
                            .ok_or("invalid named capture")?;
                        let name: String = chars[start..end].iter().collect();
                        if name.is_empty()
                            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        {
                            return Err(format!(
                                "invalid named capture: `{}`",
                                chars[i..=end].iter().collect::<String>()
                            ));
                        }
                        if names.iter().any(|n| n.as_deref() == Some(name.as_str())) {
                            return Err(format!("duplicate capture group name: `{name}`"));
                        }
                        names.push(Some(name));
                        out.push('(');
                        i = end + 1;
                        continue;
                    }
                    // Flags: Go knows i, m, s, U (and `-`), then `)` or `:`.
                    let mut k = i + 2;
                    while k < chars.len() && chars[k] != ')' && chars[k] != ':' {
                        if !"imsU-".contains(chars[k]) {
                            return Err(format!(
                                "invalid or unsupported Perl syntax: `{}`",
                                chars[i..=k].iter().collect::<String>()
                            ));
                        }
                        k += 1;
                    }
                    out.extend(&chars[i..k.min(chars.len())]);
                    i = k;
                    continue;
                }
                names.push(None);
                out.push('(');
                i += 1;
            }
            '{' => {
                // A repeat `{n}`, `{n,}`, `{n,m}` (else a literal `{` in Go).
                let close = (i + 1..chars.len()).find(|&k| chars[k] == '}');
                let body: Option<String> = close.map(|e| chars[i + 1..e].iter().collect());
                let parsed = body.as_deref().and_then(|b| {
                    let (a, z) = b.split_once(',').map_or((b, None), |(a, z)| (a, Some(z)));
                    let num = |s: &str| {
                        (!s.is_empty() && s.bytes().all(|x| x.is_ascii_digit()))
                            .then(|| s.parse::<u64>().unwrap_or(u64::MAX))
                    };
                    let lo = num(a)?;
                    let hi = match z {
                        None => Some(lo),
                        Some("") => None,
                        Some(z) => Some(num(z)?),
                    };
                    Some((lo, hi))
                });
                match parsed {
                    Some((lo, hi)) => {
                        if was != 0 {
                            return Err(format!(
                                "invalid nested repetition operator: `{{{}}}`",
                                body.unwrap_or_default()
                            ));
                        }
                        repeat_state = 1;
                        if lo > MAX_REPEAT as u64
                            || hi.is_some_and(|h| h > MAX_REPEAT as u64 || h < lo)
                        {
                            return Err(format!(
                                "invalid repeat count: `{{{}}}`",
                                body.unwrap_or_default()
                            ));
                        }
                        let e = close.unwrap_or(i);
                        out.extend(&chars[i..=e]);
                        i = e + 1;
                    }
                    None => {
                        push_literal(&mut out, '{');
                        i += 1;
                    }
                }
            }
            '}' => {
                push_literal(&mut out, '}');
                i += 1;
            }
            '*' | '+' | '?' => {
                if was == 1 && c == '?' {
                    repeat_state = 2;
                } else if was != 0 {
                    return Err(format!("invalid nested repetition operator: `{c}`"));
                } else {
                    repeat_state = 1;
                }
                out.push(c);
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    if in_class {
        return Err("missing closing ]".into());
    }
    Ok((out, names))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_syntax_translates() {
        let re = GoRegex::new(r"^(?P<1a>\d+)\.(?<b>[\w-]+)$").unwrap();
        assert_eq!(
            re.expand("12.x-y", "${1a}/$b/$2/$$/$").as_deref(),
            Some("12/x-y/x-y/$/$")
        );
        assert_eq!(re.expand("12.x-y", "$1x|$01|${b").as_deref(), Some("||${b"));
        assert!(GoRegex::new(r"\Qa.b\E").unwrap().is_match("a.b"));
        assert!(!GoRegex::new(r"^\Qa.b\E$").unwrap().is_match("axb"));
        assert!(GoRegex::new(r"^\<x\>$").unwrap().is_match("<x>"));
        assert!(GoRegex::new(r"^\101$").unwrap().is_match("A"));
        assert!(GoRegex::new(r"^[[:alpha:]\d]+$").unwrap().is_match("ab1"));
        assert!(GoRegex::new(r"^[]a]+$").unwrap().is_match("]a"));
        assert!(GoRegex::new(r"^a{,2}$").unwrap().is_match("a{,2}"));
        assert!(GoRegex::new(r"^[a&&b]$").unwrap().is_match("&"));
        for bad in [
            r"a*??",
            r"a{2}{3}",
            r"(?x)a",
            r"a{1001}",
            r"\1",
            r"(a",
            r"[a",
            r"(?P<a>x)(?P<a>y)",
            r"\C",
            "a**",
        ] {
            assert!(GoRegex::new(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn catastrophic_patterns_run_in_linear_time() {
        let re = GoRegex::new(r"^(a+)+$").unwrap();
        let s = "a".repeat(100_000) + "!";
        assert!(!re.is_match(&s));
        let re = GoRegex::new(r"(x+x+)+y").unwrap();
        assert!(!re.is_match(&"x".repeat(50_000)));
    }
}

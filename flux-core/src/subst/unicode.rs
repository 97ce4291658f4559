//! Byte-level UTF-8 handling with Go's rules, and the Unicode predicates and case
//! mappings of the Go toolchain (see `tables.rs`).
//!
//! envsubst works on Go strings, which are byte strings: a byte-based substring can
//! cut a character in two, and the result then flows into other operators. Every
//! helper here therefore takes bytes and treats an invalid sequence the way Go's
//! `unicode/utf8` does: one byte at a time, each read as U+FFFD.

use super::tables::{CASE_RANGES, DIGIT, LETTER, UPPER_LOWER};

/// U+FFFD, what a byte that does not start a valid sequence decodes to.
pub(crate) const REPLACEMENT: u32 = 0xFFFD;

/// Decodes the first character of `b`: `(code point, width in bytes)`.
///
/// Empty input gives `(REPLACEMENT, 0)`; an invalid, truncated, overlong or
/// surrogate sequence gives `(REPLACEMENT, 1)`.
pub(crate) fn decode(b: &[u8]) -> (u32, usize) {
    let Some(&b0) = b.first() else {
        return (REPLACEMENT, 0);
    };
    if b0 < 0x80 {
        return (u32::from(b0), 1);
    }
    // Length and the allowed range of the second byte for each leading byte.
    let (len, lo, hi) = match b0 {
        0xC2..=0xDF => (2, 0x80, 0xBF),
        0xE0 => (3, 0xA0, 0xBF),
        0xE1..=0xEC | 0xEE..=0xEF => (3, 0x80, 0xBF),
        0xED => (3, 0x80, 0x9F),
        0xF0 => (4, 0x90, 0xBF),
        0xF1..=0xF3 => (4, 0x80, 0xBF),
        0xF4 => (4, 0x80, 0x8F),
        _ => return (REPLACEMENT, 1),
    };
    if b.len() < len || !(lo..=hi).contains(&b[1]) {
        return (REPLACEMENT, 1);
    }
    if b[2..len].iter().any(|&c| !(0x80..=0xBF).contains(&c)) {
        return (REPLACEMENT, 1);
    }
    let mut cp = u32::from(b0) & (0x7F >> len);
    for &c in &b[1..len] {
        cp = (cp << 6) | (u32::from(c) & 0x3F);
    }
    (cp, len)
}

/// Appends the UTF-8 encoding of `cp` (an invalid code point becomes U+FFFD).
pub(crate) fn push_char(out: &mut Vec<u8>, cp: u32) {
    let c = char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER);
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

fn in_ranges(table: &[(u32, u32)], cp: u32) -> bool {
    table
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Whether `cp` may appear in a variable name: a letter (category L), a decimal
/// digit (category Nd) or `_`.
pub(crate) fn is_name_char(cp: u32) -> bool {
    if cp < 0x80 {
        let b = cp as u8;
        return b.is_ascii_alphanumeric() || b == b'_';
    }
    in_ranges(LETTER, cp) || in_ranges(DIGIT, cp)
}

#[derive(Clone, Copy)]
enum Case {
    Upper,
    Lower,
}

/// The simple (one code point to one code point) case mapping.
fn map_case(cp: u32, case: Case) -> u32 {
    let idx = CASE_RANGES.binary_search_by(|&(lo, hi, _, _)| {
        if hi < cp {
            std::cmp::Ordering::Less
        } else if lo > cp {
            std::cmp::Ordering::Greater
        } else {
            std::cmp::Ordering::Equal
        }
    });
    let Ok(i) = idx else {
        return cp;
    };
    let (lo, _, up, down) = CASE_RANGES[i];
    let delta = match case {
        Case::Upper => up,
        Case::Lower => down,
    };
    if delta == UPPER_LOWER {
        // Alternating range starting with an upper case letter: even offsets are
        // upper case, odd offsets lower case.
        let off = cp - lo;
        return match case {
            Case::Upper => lo + (off & !1),
            Case::Lower => lo + (off | 1),
        };
    }
    cp.wrapping_add_signed(delta)
}

fn map_all(s: &[u8], case: Case) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i] < 0x80 {
            out.push(match case {
                Case::Upper => s[i].to_ascii_uppercase(),
                Case::Lower => s[i].to_ascii_lowercase(),
            });
            i += 1;
            continue;
        }
        let (cp, w) = decode(&s[i..]);
        push_char(&mut out, map_case(cp, case));
        i += w;
    }
    out
}

fn map_first(s: &[u8], case: Case) -> Vec<u8> {
    if s.is_empty() {
        return Vec::new();
    }
    let (cp, w) = decode(s);
    let mut out = Vec::with_capacity(s.len() + 2);
    push_char(&mut out, map_case(cp, case));
    out.extend_from_slice(&s[w..]);
    out
}

/// Every character in upper case (`^^`).
pub(crate) fn to_upper(s: &[u8]) -> Vec<u8> {
    map_all(s, Case::Upper)
}

/// Every character in lower case (`,,`).
pub(crate) fn to_lower(s: &[u8]) -> Vec<u8> {
    map_all(s, Case::Lower)
}

/// The first character in upper case (`^`).
pub(crate) fn upper_first(s: &[u8]) -> Vec<u8> {
    map_first(s, Case::Upper)
}

/// The first character in lower case (`,`).
pub(crate) fn lower_first(s: &[u8]) -> Vec<u8> {
    map_first(s, Case::Lower)
}

/// Reverses `s` character by character; every invalid byte becomes U+FFFD.
pub(crate) fn reverse(s: &[u8]) -> Vec<u8> {
    let mut chars = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let (cp, w) = decode(&s[i..]);
        chars.push(cp);
        i += w;
    }
    let mut out = Vec::with_capacity(s.len());
    for &cp in chars.iter().rev() {
        push_char(&mut out, cp);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_follows_go() {
        assert_eq!(decode(b""), (REPLACEMENT, 0));
        assert_eq!(decode(b"a"), ('a' as u32, 1));
        assert_eq!(decode("é".as_bytes()), (0xE9, 2));
        assert_eq!(decode("€".as_bytes()), (0x20AC, 3));
        assert_eq!(decode("😀".as_bytes()), (0x1F600, 4));
        assert_eq!(decode(b"\xC3"), (REPLACEMENT, 1));
        assert_eq!(decode(b"\xE2\x82"), (REPLACEMENT, 1));
        assert_eq!(decode(b"\xC0\x80"), (REPLACEMENT, 1)); // overlong
        assert_eq!(decode(b"\xED\xA0\x80"), (REPLACEMENT, 1)); // surrogate
        assert_eq!(decode(b"\xF4\x90\x80\x80"), (REPLACEMENT, 1)); // > U+10FFFF
        assert_eq!(decode(b"\xA9"), (REPLACEMENT, 1));
    }

    #[test]
    fn simple_case_mapping() {
        assert_eq!(to_upper("straße".as_bytes()), "STRAßE".as_bytes());
        assert_eq!(to_lower("İ".as_bytes()), "i".as_bytes());
        assert_eq!(to_upper("ǆ".as_bytes()), "Ǆ".as_bytes());
        assert_eq!(to_lower("ǅ".as_bytes()), "ǆ".as_bytes());
        assert_eq!(to_upper("āă".as_bytes()), "ĀĂ".as_bytes());
        assert_eq!(to_lower("ĀĂ".as_bytes()), "āă".as_bytes());
        assert_eq!(upper_first("ébc".as_bytes()), "Ébc".as_bytes());
        assert_eq!(upper_first(b"\xA9x"), "\u{FFFD}x".as_bytes());
        assert_eq!(to_upper(b"a\xA9"), "A\u{FFFD}".as_bytes());
    }

    #[test]
    fn names() {
        assert!(is_name_char('a' as u32));
        assert!(is_name_char('_' as u32));
        assert!(is_name_char('٣' as u32)); // Arabic-Indic digit three (Nd)
        assert!(is_name_char('é' as u32));
        assert!(!is_name_char('Ⅳ' as u32)); // Nl, not L or Nd
        assert!(!is_name_char('-' as u32));
        assert!(!is_name_char(REPLACEMENT));
    }

    #[test]
    fn reversing() {
        assert_eq!(reverse("abé".as_bytes()), "éba".as_bytes());
        assert_eq!(reverse(b"\xA9a"), "a\u{FFFD}".as_bytes());
    }
}

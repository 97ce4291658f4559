//! Evaluation of a [`Template`] and the operators.
//!
//! Evaluation is a post-order walk over an explicit stack. All output goes to one
//! byte buffer: an expression's arguments are written where its own result will
//! go, then replaced by the result. A default operator whose value is empty
//! keeps its arguments as they are, so chains of nested defaults cost no copies.
//!
//! Like Flux, every argument is evaluated before the operator runs, even one the
//! operator will not use: in strict mode `${a:=${b}}` fails when `b` is not set,
//! whatever `a` is.

use super::error::{Error, Position};
use super::glob;
use super::parse::{Node, NodeId, Template};
use super::unicode::{decode, lower_first, reverse, to_lower, to_upper, upper_first};
use super::{Lookup, Operator, Options};

/// An expression being evaluated.
struct Frame {
    id: NodeId,
    /// Next argument to evaluate.
    next: usize,
    /// Where its output starts in the buffer.
    start: usize,
    /// Where its argument offsets start in the shared `bounds` stack.
    bounds: usize,
}

/// Evaluates `t`, appending to `out`. `tops` receives `(output offset, source
/// offset)` for every top-level node, to locate bytes of the output.
pub(crate) fn eval<L: Lookup + ?Sized>(
    t: &Template,
    vars: &L,
    opts: Options,
    out: &mut Vec<u8>,
    tops: &mut Vec<(usize, usize)>,
) -> Result<(), Error> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut bounds: Vec<usize> = Vec::new();
    for &id in &t.root {
        tops.push((out.len(), t.node(id).span().start));
        match t.node(id) {
            Node::Text(text) => out.extend_from_slice(text.value.as_bytes()),
            Node::Expr(_) => {
                stack.push(Frame {
                    id,
                    next: 0,
                    start: out.len(),
                    bounds: 0,
                });
                while let Some(top) = stack.last_mut() {
                    let Node::Expr(e) = t.node(top.id) else {
                        unreachable!("frames hold expressions")
                    };
                    if let Some(&arg) = e.args.get(top.next) {
                        top.next += 1;
                        bounds.push(out.len());
                        match t.node(arg) {
                            Node::Text(text) => out.extend_from_slice(text.value.as_bytes()),
                            Node::Expr(inner) if stack.len() >= opts.max_nesting() => {
                                return Err(Error::TooDeep {
                                    limit: opts.max_nesting(),
                                    at: Position::locate(&t.source, inner.span.start),
                                });
                            }
                            Node::Expr(_) => stack.push(Frame {
                                id: arg,
                                next: 0,
                                start: out.len(),
                                bounds: bounds.len(),
                            }),
                        }
                        continue;
                    }
                    let frame = stack.pop().expect("non-empty");
                    apply(
                        t,
                        frame.id,
                        vars,
                        opts,
                        out,
                        frame.start,
                        &bounds[frame.bounds..],
                    )?;
                    bounds.truncate(frame.bounds);
                }
            }
        }
    }
    Ok(())
}

/// Runs the operator of expression `id`. Its arguments are `out[starts[i]..]`
/// up to the next start (the last one to the end); its result replaces
/// `out[start..]`.
fn apply<L: Lookup + ?Sized>(
    t: &Template,
    id: NodeId,
    vars: &L,
    opts: Options,
    out: &mut Vec<u8>,
    start: usize,
    starts: &[usize],
) -> Result<(), Error> {
    let Node::Expr(e) = t.node(id) else {
        unreachable!("apply is called on expressions")
    };
    let op = e.operator();
    let value = vars.lookup(&e.name);
    if value.is_none() && opts.strict && !op.is_default() {
        return Err(Error::Undefined {
            name: e.name.clone(),
            at: Position::locate(&t.source, e.span.start),
        });
    }
    let v = value.as_deref().unwrap_or("").as_bytes();

    if op == Operator::Default {
        if v.is_empty() && !starts.is_empty() {
            // The arguments, concatenated, are already in place.
            return Ok(());
        }
        out.truncate(start);
        out.extend_from_slice(v);
        return Ok(());
    }

    let end = out.len();
    let arg = |i: usize| -> &[u8] {
        let from = starts[i];
        let to = starts.get(i + 1).copied().unwrap_or(end);
        &out[from..to]
    };
    let result: Vec<u8> = match op {
        Operator::Value | Operator::Default | Operator::MixedCase => v.to_vec(),
        Operator::Length => v.len().to_string().into_bytes(),
        Operator::UpperFirst => upper_first(v),
        Operator::Upper => to_upper(v),
        Operator::LowerFirst => lower_first(v),
        Operator::Lower => to_lower(v),
        Operator::Substring => {
            let off = starts.first().map(|_| arg(0));
            let len = starts.get(1).map(|_| arg(1));
            match substring(v, off, len) {
                Ok(r) => r.to_vec(),
                Err((offset, length)) => {
                    return Err(Error::NegativeLength {
                        name: e.name.clone(),
                        offset,
                        length,
                        value_len: v.len(),
                        at: Position::locate(&t.source, e.span.start),
                    })
                }
            }
        }
        Operator::TrimShortestPrefix => trim_prefix(v, arg(0), false),
        Operator::TrimLongestPrefix => trim_prefix(v, arg(0), true),
        Operator::TrimShortestSuffix => trim_suffix(v, arg(0), false),
        Operator::TrimLongestSuffix => trim_suffix(v, arg(0), true),
        Operator::ReplaceFirst | Operator::ReplaceAll => {
            let limit = if op == Operator::ReplaceAll {
                usize::MAX
            } else {
                1
            };
            let cap = opts.max_output_bytes().saturating_sub(start);
            let replaced = match starts.len() {
                0 => Some(v.to_vec()),
                1 => replace_capped(v, arg(0), b"", limit, cap),
                _ => replace_capped(v, arg(0), arg(1), limit, cap),
            };
            match replaced {
                Some(r) => r,
                None => {
                    return Err(Error::OutputTooLarge {
                        limit: opts.max_output_bytes(),
                        at: Position::locate(&t.source, e.span.start),
                    })
                }
            }
        }
        Operator::ReplacePrefix => {
            if starts.len() == 2 && v.starts_with(arg(0)) {
                let mut r = arg(1).to_vec();
                r.extend_from_slice(&v[arg(0).len()..]);
                r
            } else {
                v.to_vec()
            }
        }
        Operator::ReplaceSuffix => {
            if starts.len() == 2 && v.ends_with(arg(0)) {
                let mut r = v[..v.len() - arg(0).len()].to_vec();
                r.extend_from_slice(arg(1));
                r
            } else {
                v.to_vec()
            }
        }
    };
    if start + result.len() > opts.max_output_bytes() {
        return Err(Error::OutputTooLarge {
            limit: opts.max_output_bytes(),
            at: Position::locate(&t.source, e.span.start),
        });
    }
    out.truncate(start);
    out.extend_from_slice(&result);
    Ok(())
}

/// Go's `strconv.Atoi` on a 64-bit platform: an optional sign and decimal
/// digits, nothing else, within the range of `i64`.
pub(crate) fn atoi(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    if neg {
        if n > 1u64 << 63 {
            return None;
        }
        Some((n as i64).wrapping_neg())
    } else {
        i64::try_from(n).ok()
    }
}

/// `${v:offset}` and `${v:offset:length}` on bytes. An argument that is not an
/// integer gives the whole value. `Err((offset, length))` where the reference
/// implementation slices with an end before the start (and panics).
fn substring<'v>(
    v: &'v [u8],
    offset: Option<&[u8]>,
    length: Option<&[u8]>,
) -> Result<&'v [u8], (i64, i64)> {
    let Some(offset) = offset else {
        return Ok(v);
    };
    let Some(mut pos) = atoi(offset) else {
        return Ok(v);
    };
    // A value's length always fits in i64.
    let n = v.len() as i64;
    if pos < 0 {
        pos = (n + pos).max(0);
    }
    let rest = |pos: i64| if pos < n { &v[pos as usize..] } else { &v[..0] };
    let Some(length) = length else {
        return Ok(rest(pos));
    };
    let Some(length) = atoi(length) else {
        return Ok(v);
    };
    // Go's int arithmetic wraps.
    let end = pos.wrapping_add(length);
    if end >= n {
        return Ok(rest(pos));
    }
    if end < pos {
        return Err((pos, length));
    }
    Ok(&v[pos as usize..end as usize])
}

/// Go's `strings.Replace(s, old, new, limit)`. An empty `old` matches before
/// every character and at the end.
#[cfg(test)]
fn replace(s: &[u8], old: &[u8], new: &[u8], limit: usize) -> Vec<u8> {
    replace_capped(s, old, new, limit, usize::MAX).unwrap_or_default()
}

/// [`replace`] that gives up (`None`) as soon as the result would exceed `cap`
/// bytes, so that a hostile replacement never allocates past the output limit.
fn replace_capped(s: &[u8], old: &[u8], new: &[u8], limit: usize, cap: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len().min(cap));
    let mut done = 0;
    if old.is_empty() {
        let mut i = 0;
        loop {
            if done == limit {
                out.extend_from_slice(&s[i..]);
                return (out.len() <= cap).then_some(out);
            }
            out.extend_from_slice(new);
            done += 1;
            if out.len() > cap {
                return None;
            }
            if i >= s.len() {
                return Some(out);
            }
            let (_, w) = decode(&s[i..]);
            out.extend_from_slice(&s[i..i + w]);
            i += w;
        }
    }
    let finder = Finder::new(old);
    let mut from = 0;
    while done < limit {
        let Some(at) = finder.find(&s[from..]) else {
            break;
        };
        out.extend_from_slice(&s[from..from + at]);
        out.extend_from_slice(new);
        if out.len() > cap {
            return None;
        }
        from += at + old.len();
        done += 1;
    }
    out.extend_from_slice(&s[from..]);
    (out.len() <= cap).then_some(out)
}

/// Knuth–Morris–Pratt search, so that replacing is linear in the value's length.
struct Finder<'n> {
    needle: &'n [u8],
    fail: Vec<usize>,
}

impl<'n> Finder<'n> {
    fn new(needle: &'n [u8]) -> Self {
        let mut fail = vec![0; needle.len()];
        let mut k = 0;
        for i in 1..needle.len() {
            while k > 0 && needle[i] != needle[k] {
                k = fail[k - 1];
            }
            if needle[i] == needle[k] {
                k += 1;
            }
            fail[i] = k;
        }
        Finder { needle, fail }
    }

    /// Offset of the first occurrence in `hay` (the needle is not empty).
    fn find(&self, hay: &[u8]) -> Option<usize> {
        let mut k = 0;
        for (i, &b) in hay.iter().enumerate() {
            while k > 0 && b != self.needle[k] {
                k = self.fail[k - 1];
            }
            if b == self.needle[k] {
                k += 1;
            }
            if k == self.needle.len() {
                return Some(i + 1 - k);
            }
        }
        None
    }
}

/// Removes the shortest (or longest) prefix of `v` matching the glob `pattern`.
///
/// Candidate prefixes are byte slices, from the whole value down to its first
/// byte (the empty prefix is never tried). A malformed pattern, noticed while
/// trying a candidate, leaves the value unchanged. Cost: one glob match per
/// candidate, i.e. quadratic in the value's length, as in Flux.
fn trim_prefix(v: &[u8], pattern: &[u8], longest: bool) -> Vec<u8> {
    let mut shortest = 0;
    for len in (1..=v.len()).rev() {
        match glob::matches(pattern, &v[..len]) {
            Err(glob::BadPattern) => return v.to_vec(),
            Ok(true) if longest => return v[len..].to_vec(),
            Ok(true) => shortest = len,
            Ok(false) => {}
        }
    }
    v[shortest..].to_vec()
}

/// Removes a matching suffix: both the value and the pattern are reversed
/// character by character (invalid bytes becoming U+FFFD), the prefix is
/// removed, and the rest is reversed back.
fn trim_suffix(v: &[u8], pattern: &[u8], longest: bool) -> Vec<u8> {
    let rv = reverse(v);
    let rp = reverse(pattern);
    reverse(&trim_prefix(&rv, &rp, longest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atoi_like_go() {
        assert_eq!(atoi(b"12"), Some(12));
        assert_eq!(atoi(b"+7"), Some(7));
        assert_eq!(atoi(b"-0"), Some(0));
        assert_eq!(atoi(b"007"), Some(7));
        assert_eq!(atoi(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(atoi(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(atoi(b"9223372036854775808"), None);
        assert_eq!(atoi(b"-9223372036854775809"), None);
        for bad in [&b""[..], b"-", b"+", b" 1", b"1 ", b"1_0", b"0x1", b"--1"] {
            assert_eq!(atoi(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn substrings() {
        let s = b"123456789123456789";
        let sub = |o: &str, l: Option<&str>| substring(s, Some(o.as_bytes()), l.map(str::as_bytes));
        assert_eq!(sub("0", Some("8")), Ok(&b"12345678"[..]));
        assert_eq!(sub("1", Some("8")), Ok(&b"23456789"[..]));
        assert_eq!(sub("9", None), Ok(&b"123456789"[..]));
        assert_eq!(sub("9", Some("50")), Ok(&b"123456789"[..]));
        assert_eq!(sub("-3", Some("2")), Ok(&b"78"[..]));
        assert_eq!(sub("-300", Some("3")), Ok(&b"123"[..]));
        assert_eq!(sub("x", Some("3")), Ok(&s[..]));
        assert_eq!(sub("2", Some("-1")), Err((2, -1)));
        assert_eq!(sub("1", Some("9223372036854775807")), Err((1, i64::MAX)));
        assert_eq!(sub("30", Some("-1")), Ok(&b""[..]));
    }

    #[test]
    fn replacing() {
        assert_eq!(replace(b"abcabc", b"b", b"X", usize::MAX), b"aXcaXc");
        assert_eq!(replace(b"abcabc", b"b", b"X", 1), b"aXcabc");
        assert_eq!(replace(b"ab", b"", b"X", usize::MAX), b"XaXbX");
        assert_eq!(replace(b"ab", b"", b"X", 1), b"Xab");
        assert_eq!(replace(b"", b"", b"X", usize::MAX), b"X");
        assert_eq!(replace(b"aaaa", b"aa", b"b", usize::MAX), b"bb");
        assert_eq!(replace(b"abababc", b"ababc", b"X", 1), b"abX");
    }

    #[test]
    fn trimming() {
        assert_eq!(trim_prefix(b"bash.string.txt", b"*.", false), b"string.txt");
        assert_eq!(trim_prefix(b"bash.string.txt", b"*.", true), b"txt");
        assert_eq!(
            trim_suffix(b"bash.string.txt", b".*", false),
            b"bash.string"
        );
        assert_eq!(trim_suffix(b"bash.string.txt", b".*", true), b"bash");
        assert_eq!(trim_prefix("é".as_bytes(), b"?", false), b"\xA9");
        assert_eq!(
            trim_suffix("é".as_bytes(), b"?", false),
            "\u{FFFD}".as_bytes()
        );
    }
}

//! A fast path for the commonest values documents: block mappings of plain keys
//! and plain scalars, nothing else. Anything outside that subset (sequences,
//! flow collections, quotes, anchors, tags, block scalars, multi-line plain
//! scalars, documents markers, non-ASCII text, tabs...) returns `None`, and the
//! caller uses the full YAML loader. Where it answers, the answer is the full
//! loader's (scalars are resolved by the loader's own resolver); the unit tests
//! compare both on generated documents.

use std::collections::BTreeMap;

use super::{MapRef, Val};
use crate::yaml::NodeValue;

/// Longest input tried (larger ones go to the full loader, which enforces limits).
const MAX_LEN: usize = 8 << 20;
/// Deepest nesting tried (the loader's limit is 128).
const MAX_DEPTH: usize = 64;
/// Most lines tried (the loader limits nodes to 250,000).
const MAX_LINES: usize = 100_000;
/// Longest key tried (go-yaml refuses implicit keys over 1024 characters).
const MAX_KEY: usize = 1000;

struct Frame {
    indent: usize,
    map: MapRef,
    /// Entries in document order; the map is built when the frame closes.
    entries: Vec<(String, Val)>,
}

impl Frame {
    fn new(indent: usize, map: MapRef) -> Self {
        Frame {
            indent,
            map,
            entries: Vec::new(),
        }
    }

    /// Fills the map: sorted, the last of duplicate keys wins (as the loader's).
    fn close(self) {
        let mut entries = self.entries;
        entries.sort_by(|a, b| a.0.cmp(&b.0)); // stable: duplicates keep their order
        let mut unique: Vec<(String, Val)> = Vec::with_capacity(entries.len());
        for e in entries {
            match unique.last_mut() {
                Some(last) if last.0 == e.0 => *last = e,
                _ => unique.push(e),
            }
        }
        *self.map.borrow_mut() = unique.into_iter().collect::<BTreeMap<_, _>>();
    }
}

/// A scalar as `Node::to_json` then `Val::from_json` give it (numbers are
/// float64, non-finite floats null).
fn scalar(v: NodeValue) -> Option<Val> {
    Some(match v {
        NodeValue::Null => Val::Null,
        NodeValue::Bool(b) => Val::Bool(b),
        NodeValue::Int(i) => Val::Float(i as f64),
        NodeValue::UInt(u) => Val::Float(u as f64),
        NodeValue::Float(f) if f.is_finite() => Val::Float(f),
        NodeValue::Float(_) => Val::Null,
        NodeValue::String(s) => Val::Str(s),
        NodeValue::Seq(_) | NodeValue::Map(_) => return None,
    })
}

/// The values of `text`, when it is in the simple subset.
pub(super) fn read(text: &str) -> Option<MapRef> {
    if text.len() > MAX_LEN || !text.is_ascii() {
        return None;
    }
    let root = Val::new_map();
    let mut stack = vec![Frame::new(0, root.clone())];
    // A key written without a value: a nested mapping follows, or it is null.
    let mut pending: Option<(String, usize)> = None;
    let mut entries = 0usize;
    for (n, line) in text.split('\n').enumerate() {
        if n >= MAX_LINES {
            return None;
        }
        let bytes = line.as_bytes();
        if bytes.iter().any(|&b| b < 0x20 || b == 0x7f) {
            return None;
        }
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        let content = &line[indent..];
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if indent == 0
            && (content.starts_with("---")
                || content.starts_with("...")
                || content.starts_with('%'))
        {
            return None;
        }
        if let Some((key, parent)) = pending.take() {
            let top = stack.last_mut()?;
            if indent > parent {
                let child = Val::new_map();
                top.entries.push((key, Val::Map(child.clone())));
                stack.push(Frame::new(indent, child));
                if stack.len() > MAX_DEPTH {
                    return None;
                }
            } else {
                top.entries.push((key, Val::Null));
            }
        }
        while indent < stack.last()?.indent {
            stack.pop()?.close();
        }
        let frame = stack.last_mut()?;
        if indent != frame.indent {
            return None;
        }
        let (key, value) = split_entry(content)?;
        entries += 1;
        if value.is_empty() {
            pending = Some((key.to_string(), indent));
            continue;
        }
        let v = scalar(crate::yaml::kubernetes_plain_scalar(value)?)?;
        frame.entries.push((key.to_string(), v));
    }
    if let Some((key, _)) = pending {
        stack.last_mut()?.entries.push((key, Val::Null));
    }
    while let Some(frame) = stack.pop() {
        frame.close();
    }
    (entries > 0).then_some(root)
}

/// `key: value` (or `key:`) with a plain string key and a plain scalar value
/// (empty when absent or only a comment); `None` for anything else.
fn split_entry(content: &str) -> Option<(&str, &str)> {
    let b = content.as_bytes();
    let colon = (0..b.len()).find(|&i| b[i] == b':' && (i + 1 == b.len() || b[i + 1] == b' '))?;
    let key = &content[..colon];
    if key.is_empty()
        || key.len() > MAX_KEY
        || key.ends_with(' ')
        || key.starts_with(is_indicator)
        || key.contains(['#', '[', ']', '{', '}'])
        || key == "<<"
        || !crate::yaml::v2_plain_is_str(key)
    {
        return None;
    }
    let rest = content[colon + 1..].trim_start_matches(' ');
    if rest.is_empty() || rest.starts_with('#') {
        return Some((key, ""));
    }
    let value = rest.trim_end_matches(' ');
    let first_ok = match value.as_bytes() {
        [b'-', second, ..] => second.is_ascii_digit() || *second == b'.',
        [c, ..] => !is_indicator(char::from(*c)),
        [] => false,
    };
    // One pass: no comment (` #`), no `: ` or final `:`, no flow brackets.
    let vb = value.as_bytes();
    let bad = vb.iter().enumerate().any(|(i, &c)| match c {
        b'[' | b']' | b'{' | b'}' => true,
        b'#' => i > 0 && vb[i - 1] == b' ',
        b':' => vb.get(i + 1).is_none_or(|&n| n == b' '),
        _ => false,
    });
    if !first_ok || bad {
        return None;
    }
    Some((key, value))
}

fn is_indicator(c: char) -> bool {
    matches!(
        c,
        '-' | '?'
            | ':'
            | ','
            | '['
            | ']'
            | '{'
            | '}'
            | '#'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
    )
}

#[cfg(test)]
mod tests {
    use super::read;
    use crate::values::{read_values_full, Val};

    struct Rng(u64);

    impl Rng {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        /// Mostly one of the first `good` tokens (in the subset), sometimes any.
        fn pick(&mut self, xs: &[&'static str], good: usize) -> &'static str {
            if self.next(4) == 0 {
                xs[self.next(xs.len())]
            } else {
                xs[self.next(good)]
            }
        }
    }

    /// Compares the fast path with the full loader wherever the fast path answers.
    fn check(text: &str) -> bool {
        match read(text) {
            None => false,
            Some(fast) => {
                let full = read_values_full(text).expect("the full loader accepts it");
                assert_eq!(
                    Val::Map(fast).to_json(),
                    Val::Map(full).to_json(),
                    "{text:?}"
                );
                true
            }
        }
    }

    #[test]
    fn agrees_with_the_full_loader_on_generated_documents() {
        let keys = [
            "a",
            "b",
            "image",
            "tag",
            "x y",
            "k.dot",
            "k/s",
            "http://h",
            "a-b",
            "A",
            "-a",
            "yes",
            "on",
            "1",
            "0x1F",
            "null",
            "~",
            "a:b",
            "_",
            "é",
            "a#b",
            "2001-12-14",
            "1e3",
            ".5",
        ];
        let values = [
            "v",
            "1",
            "-5",
            "007",
            "0755",
            "08",
            "1.5",
            "-.5",
            "1e3",
            "1e400",
            "0x1F",
            "0o17",
            "0b101",
            "1_000",
            "true",
            "True",
            "yes",
            "No",
            "on",
            "OFF",
            "y",
            "n",
            "null",
            "~",
            "NULL",
            ".inf",
            "-.Inf",
            ".nan",
            "2001-12-14",
            "2001-12-14t21:59:43.10-05:00",
            "12:30",
            "a,b",
            "a b  c",
            "x:y",
            "a\\b",
            "'q'",
            "\"q\"",
            "-",
            "- x",
            "?x",
            "*a",
            "&a x",
            "!t x",
            "|",
            ">",
            "%x",
            "@x",
            "`x",
            "a # c",
            "# c",
            "[1]",
            "{}",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551616",
            "+1",
            "+.5",
            "0.",
            "1e+06",
            "-0",
        ];
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let mut answered = 0;
        for _ in 0..4000 {
            let mut text = String::new();
            let mut depth = 0usize;
            for _ in 0..1 + rng.next(8) {
                match rng.next(10) {
                    0 if depth < 3 => {
                        text.push_str(&format!("{}{}:\n", "  ".repeat(depth), rng.pick(&keys, 10)));
                        depth += 1;
                    }
                    1 if depth > 0 => depth -= 1,
                    2 => text.push_str("# comment\n"),
                    3 => text.push('\n'),
                    _ => text.push_str(&format!(
                        "{}{}: {}{}\n",
                        "  ".repeat(depth),
                        rng.pick(&keys, 10),
                        rng.pick(&values, 35),
                        if rng.next(6) == 0 { "  # c" } else { "" }
                    )),
                }
            }
            if check(&text) {
                answered += 1;
            }
        }
        // The fast path must actually take most of these.
        assert!(answered > 800, "fast path answered {answered} of 4000");
    }

    #[test]
    fn declines_what_it_does_not_know() {
        for text in [
            "",
            "# only a comment\n",
            "a:\n- x\n",
            "a: [1, 2]\n",
            "a: 'q'\n",
            "a: |\n  x\n",
            "a: &x 1\nb: *x\n",
            "---\na: 1\n",
            "a: 1\n  b\n",
            "  a: 1\nb: 2\n",
            "a:\n    b: 1\n  c: 2\n",
            "a: b: c\n",
            "a:\tb\n",
            "a: 1\r\n",
            "é: 1\n",
            "yes: 1\n",
            "<<: {}\n",
        ] {
            assert!(read(text).is_none(), "{text:?}");
        }
        assert!(check("a: 1\nb:\n  c: x\n  d:\ne: ~\n"));
    }
}

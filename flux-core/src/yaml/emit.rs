//! YAML text exactly as Flux's kustomize-controller writes a resource before post-build
//! substitution.
//!
//! The controller turns each resource into YAML text (kustomize's `Resource.AsYAML`,
//! which is `sigs.k8s.io/yaml.JSONToYAML` over the resource's JSON) and runs `envsubst`
//! over that text, so the exact bytes matter: a long string is folded at 80 columns and a
//! `${var:=a b}` default can end up split over two lines. [`json_to_yaml`] reproduces
//! `JSONToYAML` (sigs.k8s.io/yaml v1.6.0, go-yaml v2.4.4) byte for byte:
//!
//! - the value is first taken through the JSON text Go's `encoding/json` writes and
//!   go-yaml v2 reads back, so a float that Go writes without a fraction (`1.0` is
//!   written `1`) comes back as an integer, integers above `i64::MAX` as unsigned, and
//!   characters that go-yaml's reader refuses (`U+007F`, C1 controls, `U+FFFE`,
//!   `U+FFFF`) make the conversion fail as it does in Flux;
//! - mapping keys are sorted as go-yaml v2 sorts them (runs of digits compare as
//!   numbers, letters sort after other characters; see [`go_yaml_key_less`]);
//! - strings are plain when go-yaml would read them back as the same string, double
//!   quoted otherwise (`"on"`, `"1.5"`, `""`, `"2001-12-14"`), single quoted or double
//!   quoted by the emitter's character rules, and literal (`|`, `|-`, `|+`) when they
//!   hold a line break;
//! - sequences inside mappings are not indented (`- ` at the column of the key), the
//!   indentation step is 2, empty collections are `{}` and `[]`, keys longer than 128
//!   bytes or holding a line break are written as `? key` / `: value`;
//! - floats use Go's `strconv.FormatFloat(f, 'g', -1, 64)` (`1e+06`, `1.5e-07`).
//!
//! Nothing in here panics, and deep values are walked with explicit stacks (go-yaml
//! refuses JSON nested deeper than [`MAX_DEPTH`] levels, and so does this module).
//!
//! ```
//! use fluxcd_core::yaml::emit::json_to_yaml;
//! use serde_json::json;
//!
//! let value = json!({
//!     "kind": "ConfigMap",
//!     "data": {"enabled": "on", "replicas": 3.0, "empty": "", "list": ["a", "b c"]},
//!     "metadata": {"name": "demo", "labels": {}},
//! });
//! let text = json_to_yaml(&value).unwrap();
//! assert_eq!(
//!     text,
//!     "data:\n  empty: \"\"\n  enabled: \"on\"\n  list:\n  - a\n  - b c\n  replicas: 3\n\
//!      kind: ConfigMap\nmetadata:\n  labels: {}\n  name: demo\n"
//! );
//! ```

use std::borrow::Cow;

use serde_json::Value;

mod unicode;

/// Deepest nesting of arrays and objects go-yaml v2 reads back: one more level fails
/// with `exceeded max depth of 10000`, and so does [`json_to_yaml`].
pub const MAX_DEPTH: usize = 10_000;

/// Longest mapping key go-yaml v2 reads back, in characters of its JSON text (escapes
/// such as `\u003c` count in full, the quotes do not).
const MAX_KEY_JSON_CHARS: usize = 1022;

/// Lines are folded after this column.
const BEST_WIDTH: usize = 80;

/// Indentation step.
const BEST_INDENT: i64 = 2;

/// Why a value has no YAML text: go-yaml v2 cannot read back the JSON text Go writes for
/// it, and `JSONToYAML` fails (so does the Flux reconciliation).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EmitError {
    /// Arrays and objects nest deeper than [`MAX_DEPTH`] levels (Go: `yaml: exceeded max
    /// depth of 10000`).
    #[error("yaml: exceeded max depth of 10000")]
    TooDeep,
    /// A string holds a character that Go's JSON encoder writes as is and go-yaml's
    /// reader refuses: `U+007F`, `U+0080`..`U+009F` except `U+0085`, `U+FFFE` or `U+FFFF`
    /// (Go: `yaml: control characters are not allowed`).
    #[error("yaml: control characters are not allowed (U+{code:04X} in a string)")]
    ControlCharacter {
        /// The refused character's code point.
        code: u32,
    },
    /// A mapping key holds `U+0085` (a line break for YAML) or is longer than 1022
    /// characters of JSON text, so go-yaml does not read it as a key (Go: `yaml: did not
    /// find expected ',' or '}'`).
    #[error("yaml: did not find expected ',' or '}}' (a mapping key holds U+0085 or is longer than 1022 characters of JSON)")]
    UnreadableKey,
    /// A string holds `U+0085` followed by `---` or `...` and a space, which go-yaml reads
    /// as a document marker (Go: `yaml: found unexpected document indicator`).
    #[error(
        "yaml: found unexpected document indicator (U+0085 followed by `---` or `...` in a string)"
    )]
    DocumentIndicator,
}

/// Converts a JSON value to YAML text as `sigs.k8s.io/yaml.JSONToYAML` (v1.6.0) does
/// with the JSON text Go's `encoding/json` writes for the value.
///
/// The output ends with a line break. Object keys are sorted (the order of the map
/// does not matter).
///
/// # Errors
///
/// [`EmitError`] when go-yaml could not read the value's JSON text back (see its
/// variants); `JSONToYAML` fails on the same values.
pub fn json_to_yaml(value: &Value) -> Result<String, EmitError> {
    let events = build_events(value, false)?;
    let mut emitter = Emitter::new(&events);
    emitter.run();
    Ok(emitter.out)
}

/// Writes a value as go-yaml v2's `Marshal` writes the Go value directly (not
/// through JSON text), with every map's keys sorted by byte order first, as
/// `chartutil.Encode(w, values, SortMapSlice)` does for the values digest: a
/// float number is written with `strconv.FormatFloat(f, 'g', -1, 64)`
/// (`1e+06`), an integer as is.
///
/// ```
/// use fluxcd_core::yaml::emit::go_yaml_marshal_sorted;
/// use serde_json::json;
///
/// let v = json!({"b": 1000000.0, "c": 0.00001, "a10": 1, "a9": [true, null]});
/// assert_eq!(
///     go_yaml_marshal_sorted(&v).unwrap(),
///     "a10: 1\na9:\n- true\n- null\nb: 1000000\nc: 1e-05\n"
/// );
/// ```
///
/// # Errors
///
/// [`EmitError::TooDeep`] past the nesting limit.
pub fn go_yaml_marshal_sorted(value: &Value) -> Result<String, EmitError> {
    let events = build_events(value, true)?;
    let mut emitter = Emitter::new(&events);
    emitter.run();
    Ok(emitter.out)
}

/// A scalar as go-yaml v2 marshals the Go value itself.
fn direct_scalar(v: &Value) -> Scalar<'_> {
    let plain = |text: String| Scalar {
        text: Cow::Owned(text),
        style: Style::Plain,
    };
    match v {
        Value::Null => plain("null".to_string()),
        Value::Bool(b) => plain(b.to_string()),
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(0.0);
            // sigs.k8s.io/yaml's JSONObjectToYAMLObject turns an integral float64
            // into an int (or uint64) first.
            if f.fract() == 0.0
                && (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f)
            {
                return plain((f as i64).to_string());
            }
            if f.fract() == 0.0 && (0.0..18_446_744_073_709_551_616.0).contains(&f) {
                return plain((f as u64).to_string());
            }
            let t = go_format_float_g(f);
            plain(match t.as_str() {
                "+Inf" => ".inf".to_string(),
                "-Inf" => "-.inf".to_string(),
                "NaN" => ".nan".to_string(),
                _ => t,
            })
        }
        Value::Number(n) => plain(n.to_string()),
        Value::String(s) => string_scalar(Cow::Borrowed(s)),
        Value::Array(_) | Value::Object(_) => plain(String::new()),
    }
}

/// go-yaml v2's order of mapping keys (`keyList.Less`), which [`json_to_yaml`] sorts
/// keys by: at the first character where the keys differ, letters sort after all other
/// characters and among themselves by code point; otherwise the runs of digits starting
/// there compare as numbers, then by length, then the characters by code point. A key
/// that is a prefix of another sorts first. "Letter" and "digit" are Unicode categories
/// L and Nd (Go's `unicode.IsLetter`, `unicode.IsDigit`).
///
/// This is a total order on most key sets but not on all of them (it is not transitive
/// for some mixes of digit runs and letters, such as `9-`, `19٣b`, `1Z`); Go's output
/// for such sets changes from run to run, because Go sorts keys as its map hands them
/// out, in random order.
///
/// ```
/// use fluxcd_core::yaml::emit::go_yaml_key_less;
///
/// assert!(go_yaml_key_less("a9", "a10"));
/// assert!(go_yaml_key_less("Z", "a"));
/// assert!(go_yaml_key_less("_x", "1"));
/// assert!(go_yaml_key_less("1", "a"));
/// ```
pub fn go_yaml_key_less(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    key_less(&a, &b)
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)`: the shortest digits that read back as
/// `f`, in `%e` form when the decimal exponent is below -4 or at least 6 (`1e+06`,
/// `1.5e-07`, `123456.5`, `0.0001`). Infinities and NaN are `+Inf`, `-Inf` and `NaN`.
///
/// ```
/// use fluxcd_core::yaml::emit::go_format_float_g;
///
/// assert_eq!(go_format_float_g(1234567.5), "1.2345675e+06");
/// assert_eq!(go_format_float_g(0.00001), "1e-05");
/// assert_eq!(go_format_float_g(100000.0), "100000");
/// ```
pub fn go_format_float_g(f: f64) -> String {
    if let Some(special) = non_finite(f) {
        return special.to_string();
    }
    let (neg, digits, exp) = shortest_digits(f);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if !(-4..6).contains(&exp) {
        push_e_form(&mut out, &digits, exp);
    } else {
        push_f_form(&mut out, &digits, exp);
    }
    out
}

/// The text Go's `encoding/json` writes for a float64: `strconv` `'f'` form, or `'e'`
/// form (with `e-07` shortened to `e-7`) when the magnitude is below `1e-6` or at least
/// `1e21`. Infinities and NaN, which Go refuses to encode, give `+Inf`, `-Inf`, `NaN`.
///
/// ```
/// use fluxcd_core::yaml::emit::go_json_float;
///
/// assert_eq!(go_json_float(100000.0), "100000");
/// assert_eq!(go_json_float(1e21), "1e+21");
/// assert_eq!(go_json_float(1e-7), "1e-7");
/// assert_eq!(go_json_float(0.000001), "0.000001");
/// ```
pub fn go_json_float(f: f64) -> String {
    if let Some(special) = non_finite(f) {
        return special.to_string();
    }
    let (neg, digits, exp) = shortest_digits(f);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        push_e_form(&mut out, &digits, exp);
        // Go's encoder shortens a two-digit negative exponent with a leading zero.
        let b = out.as_bytes();
        let n = b.len();
        if n >= 4 && b[n - 4] == b'e' && b[n - 3] == b'-' && b[n - 2] == b'0' {
            out.remove(n - 2);
        }
    } else {
        push_f_form(&mut out, &digits, exp);
    }
    out
}

fn non_finite(f: f64) -> Option<&'static str> {
    if f.is_nan() {
        Some("NaN")
    } else if f == f64::INFINITY {
        Some("+Inf")
    } else if f == f64::NEG_INFINITY {
        Some("-Inf")
    } else {
        None
    }
}

/// Sign, shortest round-trip decimal digits (no leading or trailing zeros; `"0"` for
/// zero) and decimal exponent of the first digit, as Go's shortest formatting gives them.
fn shortest_digits(f: f64) -> (bool, String, i32) {
    let split = |sci: &str| -> (String, i32) {
        let (mantissa, exp) = sci.split_once('e').unwrap_or((sci, "0"));
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        (digits, exp.parse().unwrap_or(0))
    };
    // Rust's `{:e}` gives the shortest digits that read back as the same value. When two
    // digit strings of that length are equally close to the value, Go takes the even
    // one, as correctly rounded formatting to that many digits does.
    let (mut digits, mut exp) = split(&format!("{:e}", f.abs()));
    if digits.len() > 1 {
        let rounded = format!("{:.*e}", digits.len() - 1, f.abs());
        if rounded.parse::<f64>().ok() == Some(f.abs()) {
            (digits, exp) = split(&rounded);
        }
    }
    let digits = match digits.trim_end_matches('0') {
        "" => "0".to_string(),
        d => d.to_string(),
    };
    (f.is_sign_negative(), digits, exp)
}

/// `d.ddde±XX` with at least two exponent digits.
fn push_e_form(out: &mut String, digits: &str, exp: i32) {
    out.push_str(&digits[..1]);
    if digits.len() > 1 {
        out.push('.');
        out.push_str(&digits[1..]);
    }
    out.push('e');
    out.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e < 10 {
        out.push('0');
    }
    out.push_str(&e.to_string());
}

/// Fixed notation with exactly the digits needed.
fn push_f_form(out: &mut String, digits: &str, exp: i32) {
    let nd = i64::try_from(digits.len()).unwrap_or(i64::MAX);
    let dp = i64::from(exp) + 1;
    if digits == "0" {
        out.push('0');
    } else if dp <= 0 {
        out.push_str("0.");
        for _ in 0..-dp {
            out.push('0');
        }
        out.push_str(digits);
    } else if dp >= nd {
        out.push_str(digits);
        for _ in 0..dp - nd {
            out.push('0');
        }
    } else {
        let dp = usize::try_from(dp).unwrap_or(0);
        out.push_str(&digits[..dp]);
        out.push('.');
        out.push_str(&digits[dp..]);
    }
}

// ---------------------------------------------------------------------------
// From the JSON value to emitter events (the value as go-yaml v2 reads it back)
// ---------------------------------------------------------------------------

/// How a scalar asks to be written (the emitter may pick another style).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
}

#[derive(Debug)]
struct Scalar<'a> {
    text: Cow<'a, str>,
    style: Style,
}

#[derive(Debug)]
enum Event<'a> {
    Scalar(Scalar<'a>),
    SeqStart,
    SeqEnd,
    MapStart,
    MapEnd,
}

/// The events go-yaml's encoder produces for the value, walking it with an explicit
/// stack.
fn build_events(value: &Value, direct: bool) -> Result<Vec<Event<'_>>, EmitError> {
    enum Frame<'v> {
        Seq(std::slice::Iter<'v, Value>),
        Map(std::vec::IntoIter<(&'v str, &'v Value)>),
    }
    let mut events = Vec::new();
    let mut stack: Vec<Frame<'_>> = Vec::new();
    let mut next = Some(value);
    loop {
        if let Some(v) = next.take() {
            match v {
                Value::Array(items) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(EmitError::TooDeep);
                    }
                    events.push(Event::SeqStart);
                    stack.push(Frame::Seq(items.iter()));
                }
                Value::Object(map) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(EmitError::TooDeep);
                    }
                    events.push(Event::MapStart);
                    let entries = if direct {
                        let mut e: Vec<(&str, &Value)> =
                            map.iter().map(|(k, v)| (k.as_str(), v)).collect();
                        e.sort_by(|a, b| a.0.cmp(b.0));
                        e
                    } else {
                        sorted_entries(map)?
                    };
                    stack.push(Frame::Map(entries.into_iter()));
                }
                scalar if direct => events.push(Event::Scalar(direct_scalar(scalar))),
                scalar => events.push(Event::Scalar(scalar_of(scalar)?)),
            }
        }
        match stack.last_mut() {
            None => break,
            Some(Frame::Seq(items)) => match items.next() {
                Some(v) => next = Some(v),
                None => {
                    stack.pop();
                    events.push(Event::SeqEnd);
                }
            },
            Some(Frame::Map(entries)) => match entries.next() {
                Some((k, v)) => {
                    events.push(Event::Scalar(string_scalar(Cow::Borrowed(k))));
                    next = Some(v);
                }
                None => {
                    stack.pop();
                    events.push(Event::MapEnd);
                }
            },
        }
    }
    Ok(events)
}

/// An object's entries, checked as go-yaml reads keys and sorted as it sorts them.
fn sorted_entries(map: &serde_json::Map<String, Value>) -> Result<Vec<(&str, &Value)>, EmitError> {
    let mut keyed: Vec<(Vec<char>, &str, &Value)> = Vec::with_capacity(map.len());
    for (k, v) in map {
        check_key(k)?;
        keyed.push((k.chars().collect(), k.as_str(), v));
    }
    let sorted = sort_keys(keyed, |a, b| key_less(&a.0, &b.0));
    Ok(sorted.into_iter().map(|(_, k, v)| (k, v)).collect())
}

/// A key go-yaml reads back as a simple key: no line break, not too long.
fn check_key(k: &str) -> Result<(), EmitError> {
    let mut json_chars = 0usize;
    for c in k.chars() {
        refuse_control(c)?;
        if c == '\u{85}' {
            return Err(EmitError::UnreadableKey);
        }
        json_chars += json_escaped_len(c);
    }
    if json_chars > MAX_KEY_JSON_CHARS {
        return Err(EmitError::UnreadableKey);
    }
    Ok(())
}

/// Characters Go's JSON encoder writes for `c` (with HTML escaping, as `json.Marshal`).
fn json_escaped_len(c: char) -> usize {
    match c {
        '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
        '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => 6,
        c if (c as u32) < 0x20 => 6,
        _ => 1,
    }
}

/// Characters Go's JSON encoder leaves raw and go-yaml's reader refuses.
fn refuse_control(c: char) -> Result<(), EmitError> {
    let code = c as u32;
    if code == 0x7F
        || ((0x80..=0x9F).contains(&code) && code != 0x85)
        || code == 0xFFFE
        || code == 0xFFFF
    {
        return Err(EmitError::ControlCharacter { code });
    }
    Ok(())
}

fn scalar_of(v: &Value) -> Result<Scalar<'_>, EmitError> {
    let plain = |text: String| Scalar {
        text: Cow::Owned(text),
        style: Style::Plain,
    };
    Ok(match v {
        Value::Null => plain("null".to_string()),
        Value::Bool(b) => plain(b.to_string()),
        Value::Number(n) => plain(number_text(n)),
        Value::String(s) => string_scalar(reread_string(s)?),
        // Collections never get here.
        Value::Array(_) | Value::Object(_) => plain(String::new()),
    })
}

/// A number as go-yaml v2 writes it after reading Go's JSON text for it.
fn number_text(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let f = n.as_f64().unwrap_or(0.0);
    let text = go_json_float(f);
    if !text.contains(['.', 'e', 'n', 'N', 'I']) {
        // Go wrote it as an integer: go-yaml reads an int64, else a uint64, else a float.
        if let Ok(i) = text.parse::<i64>() {
            return i.to_string();
        }
        if let Ok(u) = text.parse::<u64>() {
            return u.to_string();
        }
    }
    go_format_float_g(f)
}

/// The string go-yaml v2 reads from the double-quoted JSON text of `s`: a raw `U+0085`
/// is a line break there, and line breaks in a quoted scalar fold.
fn reread_string(s: &str) -> Result<Cow<'_, str>, EmitError> {
    for c in s.chars() {
        refuse_control(c)?;
    }
    if !s.contains('\u{85}') {
        return Ok(Cow::Borrowed(s));
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != ' ' && c != '\u{85}' {
            out.push(c);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\u{85}') {
            i += 1;
        }
        let run = &chars[start..i];
        let breaks = run.iter().filter(|&&c| c == '\u{85}').count();
        match breaks {
            0 => out.extend(run),
            // Blanks around a single line break fold into one space.
            1 => out.push(' '),
            // Further line breaks are kept; the first one is dropped.
            n => out.extend(std::iter::repeat_n('\n', n - 1)),
        }
        if run.last() == Some(&'\u{85}') {
            let rest = &chars[i..];
            let marker = rest.starts_with(&['-', '-', '-']) || rest.starts_with(&['.', '.', '.']);
            if marker && matches!(rest.get(3), Some(' ' | '\u{85}')) {
                return Err(EmitError::DocumentIndicator);
            }
        }
    }
    Ok(Cow::Owned(out))
}

/// go-yaml v2's encoder for a string: literal when it holds a `\n`, plain when it reads
/// back as the same string, double quoted otherwise.
fn string_scalar(text: Cow<'_, str>) -> Scalar<'_> {
    let style = if text.contains('\n') {
        Style::Literal
    } else if super::v2_plain_is_str(&text) && !is_base60_float(&text) {
        Style::Plain
    } else {
        Style::DoubleQuoted
    };
    Scalar { text, style }
}

/// YAML 1.1 sexagesimal floats (`1:20`, `-1_0:5:59.5`), which go-yaml quotes.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    if !(first == b'+' || first == b'-' || first.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    let mut i = usize::from(first == b'+' || first == b'-');
    if !b.get(i).is_some_and(u8::is_ascii_digit) {
        return false;
    }
    i += 1;
    while b.get(i).is_some_and(|&c| c.is_ascii_digit() || c == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while b.get(i) == Some(&b':') {
        i += 1;
        match (b.get(i), b.get(i + 1)) {
            (Some(b'0'..=b'5'), Some(c)) if c.is_ascii_digit() => i += 2,
            (Some(c), _) if c.is_ascii_digit() => i += 1,
            _ => return false,
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(|&c| c.is_ascii_digit() || c == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

// ---------------------------------------------------------------------------
// Key order: go-yaml v2's keyList.Less and Go's sort.Sort
// ---------------------------------------------------------------------------

fn in_table(table: &[u32], c: char) -> bool {
    let c = c as u32;
    let pairs = table.len() / 2;
    let (mut lo, mut hi) = (0usize, pairs);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let (start, end) = (table[2 * mid], table[2 * mid + 1]);
        if c < start {
            hi = mid;
        } else if c > end {
            lo = mid + 1;
        } else {
            return true;
        }
    }
    false
}

/// Go's `unicode.IsLetter`.
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    in_table(unicode::LETTER, c)
}

/// Go's `unicode.IsDigit`.
fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    in_table(unicode::DIGIT, c)
}

/// go-yaml v2's order of string keys: at the first differing character, letters sort
/// after everything else and among themselves by code point; otherwise the digit runs
/// starting there compare as numbers (with Go's wrapping 64-bit arithmetic), then by
/// length, then by code point. A key that is a prefix of another sorts first.
fn key_less(a: &[char], b: &[char]) -> bool {
    for i in 0..a.len().min(b.len()) {
        let (ca, cb) = (a[i], b[i]);
        if ca == cb {
            continue;
        }
        let (la, lb) = (is_letter(ca), is_letter(cb));
        if la && lb {
            return ca < cb;
        }
        if la || lb {
            return lb;
        }
        let (mut an, mut bn) = (0i64, 0i64);
        if ca == '0' || cb == '0' {
            // A zero inside a number (after a non-zero digit) is not a leading zero.
            for &p in a[..i].iter().rev() {
                if !is_digit(p) {
                    break;
                }
                if p != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let digit = |c: char| i64::from(c as u32) - i64::from(b'0');
        let mut ai = i;
        while ai < a.len() && is_digit(a[ai]) {
            an = an.wrapping_mul(10).wrapping_add(digit(a[ai]));
            ai += 1;
        }
        let mut bi = i;
        while bi < b.len() && is_digit(b[bi]) {
            bn = bn.wrapping_mul(10).wrapping_add(digit(b[bi]));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ca < cb;
    }
    a.len() < b.len()
}

/// Sorts by go-yaml v2's key order with a merge sort (stable, and safe with any order).
///
/// Go sorts keys as its map hands them out, in random order. For the rare key sets
/// that the order does not rank consistently (it is not transitive for some mixes of
/// digit runs and letters, such as `9-`, `19٣b`, `1Z`), Go's own output changes from
/// run to run; everywhere else every correct sort gives Go's result.
fn sort_keys<T>(items: Vec<T>, less: impl Fn(&T, &T) -> bool) -> Vec<T> {
    let n = items.len();
    let mut idx: Vec<usize> = (0..n).collect();
    let mut buf = vec![0usize; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in &mut buf[start..end] {
                let take_right = j < end && (i >= mid || less(&items[idx[j]], &items[idx[i]]));
                if take_right {
                    *slot = idx[j];
                    j += 1;
                } else {
                    *slot = idx[i];
                    i += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut idx, &mut buf);
        width *= 2;
    }
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    idx.into_iter()
        .filter_map(|i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

// ---------------------------------------------------------------------------
// The emitter (go-yaml v2's emitterc.go, for the events above)
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    DocumentEnd,
    FlowSeqFirstItem,
    FlowSeqItem,
    FlowMapFirstKey,
    FlowMapKey,
    FlowMapSimpleValue,
    FlowMapValue,
    BlockSeqFirstItem,
    BlockSeqItem,
    BlockMapFirstKey,
    BlockMapKey,
    BlockMapSimpleValue,
    BlockMapValue,
    End,
}

/// What the emitter's scalar analysis allows for the current scalar.
#[derive(Debug, Clone, Copy, Default)]
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_blankz(c: char) -> bool {
    is_blank(c) || is_break(c) || c == '\0'
}

/// Characters the emitter writes as they are (others are escaped and force double
/// quotes): no C0/C1 controls but `\n`, no `U+FEFF`, `U+FFFE`, `U+FFFF`, nothing
/// outside the Basic Multilingual Plane.
fn is_printable(c: char) -> bool {
    let v = c as u32;
    v == 0x0A
        || (0x20..=0x7E).contains(&v)
        || (0xA0..=0xD7FF).contains(&v)
        || ((0xE000..=0xFFFD).contains(&v) && v != 0xFEFF)
}

/// go-yaml's `yaml_emitter_analyze_scalar`.
fn analyze(value: &[char]) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = false;
    let mut flow_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if value.starts_with(&['-', '-', '-']) || value.starts_with(&['.', '.', '.']) {
        block_indicators = true;
        flow_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    let n = value.len();
    for (i, &c) in value.iter().enumerate() {
        let followed_by_whitespace = i + 1 >= n || is_blank(value[i + 1]);
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                '?' | ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '-' if followed_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_indicators = true,
                ':' => {
                    flow_indicators = true;
                    if followed_by_whitespace {
                        block_indicators = true;
                    }
                }
                '#' if preceded_by_whitespace => {
                    flow_indicators = true;
                    block_indicators = true;
                }
                _ => {}
            }
        }
        if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(c);
    }

    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_indicators {
        a.flow_plain_allowed = false;
    }
    if block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

struct Emitter<'e, 'a> {
    events: &'e [Event<'a>],
    out: String,
    /// Column in characters.
    column: usize,
    indent: i64,
    indents: Vec<i64>,
    whitespace: bool,
    indention: bool,
    flow_level: usize,
    mapping_context: bool,
    simple_key_context: bool,
    state: State,
    states: Vec<State>,
    /// The current scalar's characters and analysis.
    chars: Vec<char>,
    analysis: Analysis,
}

impl<'e, 'a> Emitter<'e, 'a> {
    fn new(events: &'e [Event<'a>]) -> Self {
        Emitter {
            events,
            out: String::new(),
            column: 0,
            indent: -1,
            indents: Vec::new(),
            whitespace: true,
            indention: true,
            flow_level: 0,
            mapping_context: false,
            simple_key_context: false,
            state: State::End,
            states: Vec::new(),
            chars: Vec::new(),
            analysis: Analysis::default(),
        }
    }

    fn run(&mut self) {
        if self.events.is_empty() {
            return;
        }
        // An implicit document start writes nothing; the root node comes next.
        self.analyze_event(0);
        self.states.push(State::DocumentEnd);
        self.emit_node(0, false, false);
        for i in 1..self.events.len() {
            self.analyze_event(i);
            match self.state {
                State::FlowSeqFirstItem => self.emit_flow_sequence_item(i, true),
                State::FlowSeqItem => self.emit_flow_sequence_item(i, false),
                State::FlowMapFirstKey => self.emit_flow_mapping_key(i, true),
                State::FlowMapKey => self.emit_flow_mapping_key(i, false),
                State::FlowMapSimpleValue => self.emit_flow_mapping_value(i, true),
                State::FlowMapValue => self.emit_flow_mapping_value(i, false),
                State::BlockSeqFirstItem => self.emit_block_sequence_item(i, true),
                State::BlockSeqItem => self.emit_block_sequence_item(i, false),
                State::BlockMapFirstKey => self.emit_block_mapping_key(i, true),
                State::BlockMapKey => self.emit_block_mapping_key(i, false),
                State::BlockMapSimpleValue => self.emit_block_mapping_value(i, true),
                State::BlockMapValue => self.emit_block_mapping_value(i, false),
                // Well-formed event lists never get here.
                State::DocumentEnd | State::End => {}
            }
        }
        // Implicit document end.
        self.write_indent();
    }

    fn analyze_event(&mut self, i: usize) {
        if let Some(Event::Scalar(s)) = self.events.get(i) {
            self.chars.clear();
            self.chars.extend(s.text.chars());
            self.analysis = analyze(&self.chars);
        }
    }

    fn pop_state(&mut self) {
        self.state = self.states.pop().unwrap_or(State::End);
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn is_event(&self, i: usize, want: fn(&Event<'a>) -> bool) -> bool {
        self.events.get(i).is_some_and(want)
    }

    // -- output primitives ---------------------------------------------------

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn write_indent(&mut self) {
        let indent = usize::try_from(self.indent.max(0)).unwrap_or(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    // -- states --------------------------------------------------------------

    fn emit_flow_sequence_item(&mut self, i: usize, first: bool) {
        if first {
            self.write_indicator("[", true, true, false);
            self.increase_indent(true, false);
            self.flow_level += 1;
        }
        if self.is_event(i, |e| matches!(e, Event::SeqEnd)) {
            self.flow_level = self.flow_level.saturating_sub(1);
            self.pop_indent();
            self.write_indicator("]", false, false, false);
            self.pop_state();
            return;
        }
        if !first {
            self.write_indicator(",", false, false, false);
        }
        if self.column > BEST_WIDTH {
            self.write_indent();
        }
        self.states.push(State::FlowSeqItem);
        self.emit_node(i, false, false);
    }

    fn emit_flow_mapping_key(&mut self, i: usize, first: bool) {
        if first {
            self.write_indicator("{", true, true, false);
            self.increase_indent(true, false);
            self.flow_level += 1;
        }
        if self.is_event(i, |e| matches!(e, Event::MapEnd)) {
            self.flow_level = self.flow_level.saturating_sub(1);
            self.pop_indent();
            self.write_indicator("}", false, false, false);
            self.pop_state();
            return;
        }
        if !first {
            self.write_indicator(",", false, false, false);
        }
        if self.column > BEST_WIDTH {
            self.write_indent();
        }
        if self.check_simple_key(i) {
            self.states.push(State::FlowMapSimpleValue);
            self.emit_node(i, true, true);
        } else {
            self.write_indicator("?", true, false, false);
            self.states.push(State::FlowMapValue);
            self.emit_node(i, true, false);
        }
    }

    fn emit_flow_mapping_value(&mut self, i: usize, simple: bool) {
        if simple {
            self.write_indicator(":", false, false, false);
        } else {
            if self.column > BEST_WIDTH {
                self.write_indent();
            }
            self.write_indicator(":", true, false, false);
        }
        self.states.push(State::FlowMapKey);
        self.emit_node(i, true, false);
    }

    fn emit_block_sequence_item(&mut self, i: usize, first: bool) {
        if first {
            let indentless = self.mapping_context && !self.indention;
            self.increase_indent(false, indentless);
        }
        if self.is_event(i, |e| matches!(e, Event::SeqEnd)) {
            self.pop_indent();
            self.pop_state();
            return;
        }
        self.write_indent();
        self.write_indicator("-", true, false, true);
        self.states.push(State::BlockSeqItem);
        self.emit_node(i, false, false);
    }

    fn emit_block_mapping_key(&mut self, i: usize, first: bool) {
        if first {
            self.increase_indent(false, false);
        }
        if self.is_event(i, |e| matches!(e, Event::MapEnd)) {
            self.pop_indent();
            self.pop_state();
            return;
        }
        self.write_indent();
        if self.check_simple_key(i) {
            self.states.push(State::BlockMapSimpleValue);
            self.emit_node(i, true, true);
        } else {
            self.write_indicator("?", true, false, true);
            self.states.push(State::BlockMapValue);
            self.emit_node(i, true, false);
        }
    }

    fn emit_block_mapping_value(&mut self, i: usize, simple: bool) {
        if simple {
            self.write_indicator(":", false, false, false);
        } else {
            self.write_indent();
            self.write_indicator(":", true, false, true);
        }
        self.states.push(State::BlockMapKey);
        self.emit_node(i, true, false);
    }

    /// Starts the node of event `i`: `mapping` when it is a mapping key or value,
    /// `simple_key` when it is a key written without `?`.
    fn emit_node(&mut self, i: usize, mapping: bool, simple_key: bool) {
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match self.events.get(i) {
            Some(Event::Scalar(_)) => self.emit_scalar(i),
            Some(Event::SeqStart) => {
                self.state = if self.flow_level > 0 || self.check_empty_sequence(i) {
                    State::FlowSeqFirstItem
                } else {
                    State::BlockSeqFirstItem
                };
            }
            Some(Event::MapStart) => {
                self.state = if self.flow_level > 0 || self.check_empty_mapping(i) {
                    State::FlowMapFirstKey
                } else {
                    State::BlockMapFirstKey
                };
            }
            // Well-formed event lists never get here.
            _ => {}
        }
    }

    fn check_empty_sequence(&self, i: usize) -> bool {
        self.is_event(i, |e| matches!(e, Event::SeqStart))
            && self.is_event(i + 1, |e| matches!(e, Event::SeqEnd))
    }

    fn check_empty_mapping(&self, i: usize) -> bool {
        self.is_event(i, |e| matches!(e, Event::MapStart))
            && self.is_event(i + 1, |e| matches!(e, Event::MapEnd))
    }

    fn check_simple_key(&self, i: usize) -> bool {
        match self.events.get(i) {
            Some(Event::Scalar(s)) => !self.analysis.multiline && s.text.len() <= 128,
            Some(Event::SeqStart) => self.check_empty_sequence(i),
            Some(Event::MapStart) => self.check_empty_mapping(i),
            _ => false,
        }
    }

    fn emit_scalar(&mut self, i: usize) {
        let Some(Event::Scalar(scalar)) = self.events.get(i) else {
            return;
        };
        let style = self.select_scalar_style(scalar.style);
        self.increase_indent(true, false);
        let allow_breaks = !self.simple_key_context;
        let chars = std::mem::take(&mut self.chars);
        match style {
            Style::Plain => self.write_plain(&chars, allow_breaks),
            Style::SingleQuoted => self.write_single_quoted(&chars, allow_breaks),
            Style::DoubleQuoted => self.write_double_quoted(&chars, allow_breaks),
            Style::Literal => self.write_literal(&chars),
        }
        self.chars = chars;
        self.pop_indent();
        self.pop_state();
    }

    fn select_scalar_style(&self, requested: Style) -> Style {
        let a = self.analysis;
        let mut style = requested;
        if self.simple_key_context && a.multiline {
            style = Style::DoubleQuoted;
        }
        if style == Style::Plain {
            if (self.flow_level > 0 && !a.flow_plain_allowed)
                || (self.flow_level == 0 && !a.block_plain_allowed)
            {
                style = Style::SingleQuoted;
            }
            if self.chars.is_empty() && (self.flow_level > 0 || self.simple_key_context) {
                style = Style::SingleQuoted;
            }
        }
        if style == Style::SingleQuoted && !a.single_quoted_allowed {
            style = Style::DoubleQuoted;
        }
        if style == Style::Literal
            && (!a.block_allowed || self.flow_level > 0 || self.simple_key_context)
        {
            style = Style::DoubleQuoted;
        }
        style
    }

    // -- scalar writers ------------------------------------------------------

    fn write_plain(&mut self, value: &[char], allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in value.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && value.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &[char], allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let n = value.len();
        let mut spaces = false;
        let mut breaks = false;
        for (i, &c) in value.iter().enumerate() {
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < n
                    && value.get(i + 1) != Some(&' ')
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &[char], allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        // go-yaml tests for a byte order mark at the start of the value, not at each
        // character: a value that starts with one is escaped throughout.
        let bom = value.first() == Some(&'\u{FEFF}');
        let n = value.len();
        let mut spaces = false;
        for (i, &c) in value.iter().enumerate() {
            if !is_printable(c) || bom || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                let v = c as u32;
                let short = match v {
                    0x00 => Some('0'),
                    0x07 => Some('a'),
                    0x08 => Some('b'),
                    0x09 => Some('t'),
                    0x0A => Some('n'),
                    0x0B => Some('v'),
                    0x0C => Some('f'),
                    0x0D => Some('r'),
                    0x1B => Some('e'),
                    0x22 => Some('"'),
                    0x5C => Some('\\'),
                    0x85 => Some('N'),
                    0xA0 => Some('_'),
                    0x2028 => Some('L'),
                    0x2029 => Some('P'),
                    _ => None,
                };
                match short {
                    Some(s) => self.put(s),
                    None => {
                        let (letter, width) = if v <= 0xFF {
                            ('x', 2)
                        } else if v <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        for k in (0..width).rev() {
                            let digit = (v >> (4 * k)) & 0xF;
                            self.put(
                                char::from_digit(digit, 16).map_or('0', |d| d.to_ascii_uppercase()),
                            );
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i + 1 < n {
                    self.write_indent();
                    if value.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &[char]) {
        self.write_indicator("|", true, false, false);
        // Block scalar hints: an indentation indicator when the text starts with a space
        // or a break, and the chomping indicator.
        if value.first().is_some_and(|&c| c == ' ' || is_break(c)) {
            self.write_indicator("2", false, false, false);
        }
        let n = value.len();
        let chomp = match value.last() {
            None => Some("-"),
            Some(&last) if !is_break(last) => Some("-"),
            Some(_) if n == 1 => Some("+"),
            Some(_) if is_break(value[n - 2]) => Some("+"),
            Some(_) => None,
        };
        if let Some(chomp) = chomp {
            self.write_indicator(chomp, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in value {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn y(v: Value) -> String {
        json_to_yaml(&v).unwrap()
    }

    #[test]
    fn scalars_at_the_root() {
        assert_eq!(y(json!(null)), "null\n");
        assert_eq!(y(json!(true)), "true\n");
        assert_eq!(y(json!("abc")), "abc\n");
        assert_eq!(y(json!("")), "\"\"\n");
        assert_eq!(y(json!({})), "{}\n");
        assert_eq!(y(json!([])), "[]\n");
        assert_eq!(y(json!("a\nb\n")), "|\n  a\n  b\n");
    }

    #[test]
    fn strings_that_would_read_back_as_something_else_are_quoted() {
        for s in [
            "on",
            "yes",
            "N",
            "true",
            "null",
            "~",
            "1",
            "0x1F",
            "1e3",
            ".5",
            "-.inf",
            "2001-12-14",
            "1:20",
            "0b-1",
        ] {
            assert_eq!(y(json!({ "k": s })), format!("k: \"{s}\"\n"), "{s}");
        }
        for s in [
            "onx",
            "1.2.3",
            "2001-13-14",
            "0b",
            "--",
            "1:70",
            "<<",
            "0o-1",
        ] {
            let out = y(json!({ "k": s }));
            assert!(!out.contains('"'), "{s}: {out}");
        }
    }

    #[test]
    fn emitter_quoting_rules() {
        assert_eq!(y(json!({"k": "- a"})), "k: '- a'\n");
        assert_eq!(y(json!({"k": "a: b"})), "k: 'a: b'\n");
        assert_eq!(y(json!({"k": "it's #1"})), "k: 'it''s #1'\n");
        assert_eq!(y(json!({"k": " lead"})), "k: ' lead'\n");
        assert_eq!(y(json!({"k": "a\tb"})), "k: \"a\\tb\"\n");
        assert_eq!(y(json!({"k": "a😀"})), "k: \"a\\U0001F600\"\n");
        assert_eq!(y(json!({"k": "\u{feff}ab"})), "k: \"\\uFEFF\\x61\\x62\"\n");
        assert_eq!(y(json!({"k": "${VAR}"})), "k: ${VAR}\n");
        assert_eq!(y(json!({"k": "{a}"})), "k: '{a}'\n");
    }

    #[test]
    fn literal_block_headers() {
        assert_eq!(y(json!({"k": "a\nb"})), "k: |-\n  a\n  b\n");
        assert_eq!(y(json!({"k": "a\n"})), "k: |\n  a\n");
        assert_eq!(y(json!({"k": "a\n\n"})), "k: |+\n  a\n\n");
        assert_eq!(y(json!({"k": "\n"})), "k: |2+\n\n");
        assert_eq!(y(json!({"k": " a\nb"})), "k: |2-\n   a\n  b\n");
        // Trailing spaces on a line make it double quoted.
        assert_eq!(y(json!({"k": "a \nb"})), "k: \"a \\nb\"\n");
    }

    #[test]
    fn sequences_in_mappings_are_not_indented() {
        assert_eq!(
            y(json!({"a": [1, {"b": [[2, 3]], "c": []}]})),
            "a:\n- 1\n- b:\n  - - 2\n    - 3\n  c: []\n"
        );
    }

    #[test]
    fn long_strings_fold_at_80_columns() {
        let words = vec!["word"; 30].join(" ");
        let out = y(json!({ "key": words }));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2, "{out}");
        assert!(lines[0].len() > 80 && lines[0].len() <= 86, "{out}");
        assert!(lines[1].starts_with("  word"), "{out}");
        // Double quoted: a break before a second space escapes it with `\`.
        let s = format!("{}  x\t", "y".repeat(79));
        let out = y(json!({ "k": s }));
        assert_eq!(out, format!("k: \"{}\n  \\ x\\t\"\n", "y".repeat(79)));
    }

    #[test]
    fn long_and_multi_line_keys() {
        let k = "k".repeat(129);
        let v = Value::Object([(k.clone(), json!("v"))].into_iter().collect());
        assert_eq!(y(v), format!("? {k}\n: v\n"));
        assert_eq!(y(json!({"a\nb": "v"})), "? |-\n  a\n  b\n: v\n");
        let one = |k: String| Value::Object([(k, json!(1))].into_iter().collect());
        assert!(json_to_yaml(&one("k".repeat(1022))).is_ok());
        assert_eq!(
            json_to_yaml(&one("k".repeat(1023))),
            Err(EmitError::UnreadableKey)
        );
        assert_eq!(
            json_to_yaml(&one("<".repeat(171))),
            Err(EmitError::UnreadableKey)
        );
        assert!(json_to_yaml(&one("<".repeat(170))).is_ok());
    }

    #[test]
    fn numbers_take_the_go_json_round_trip() {
        assert_eq!(
            y(
                json!({"a": 1.5, "b": 1e21, "c": 1e20, "d": 1234567.5, "e": 1e-7, "f": 100000.0, "g": -0.0, "h": 0.000001, "i": 9.3e18, "j": -1e19, "k": u64::MAX, "l": i64::MIN})
            ),
            "a: 1.5\nb: 1e+21\nc: 1e+20\nd: 1.2345675e+06\ne: 1e-07\nf: 100000\ng: 0\nh: 1e-06\n\
             i: 9300000000000000000\nj: -1e+19\nk: 18446744073709551615\nl: -9223372036854775808\n"
        );
    }

    #[test]
    fn go_float_formats() {
        assert_eq!(go_format_float_g(0.0), "0");
        assert_eq!(go_format_float_g(-0.0), "-0");
        assert_eq!(go_format_float_g(123456.0), "123456");
        assert_eq!(go_format_float_g(0.0001), "0.0001");
        assert_eq!(go_format_float_g(1e100), "1e+100");
        assert_eq!(go_format_float_g(f64::NAN), "NaN");
        assert_eq!(go_json_float(-1.5e-10), "-1.5e-10");
        assert_eq!(go_json_float(1.5e300), "1.5e+300");
        assert_eq!(go_json_float(-0.0), "-0");
        assert_eq!(go_json_float(0.1), "0.1");
    }

    #[test]
    fn key_order() {
        let v = json!({"b": 1, "a10": 1, "a9": 1, "A": 1, "_x": 1, "1": 1, "10": 1, "2": 1, "a": 1, "é": 1});
        let out = y(v);
        let keys: Vec<&str> = out
            .lines()
            .map(|l| l.split(':').next().unwrap_or(""))
            .collect();
        // `_` sorts before digits here: a non-digit counts as the number 0.
        assert_eq!(
            keys,
            ["_x", "\"1\"", "\"2\"", "\"10\"", "A", "a", "a9", "a10", "b", "é"]
        );
    }

    #[test]
    fn key_sort_is_a_permutation_even_with_an_inconsistent_order() {
        let keys: Vec<Vec<char>> = [
            "001", "00a", "01", "1", "1a", "0", "-", ".", "a", "00", "10", "9",
        ]
        .iter()
        .cycle()
        .take(300)
        .enumerate()
        .map(|(i, k)| format!("{k}{}", i % 7).chars().collect())
        .collect();
        let mut before = keys.clone();
        let mut after = sort_keys(keys, |a, b| key_less(a, b));
        before.sort();
        after.sort();
        assert_eq!(before, after);
        let sorted = sort_keys(vec![5, 3, 9, 1, 1, 0, 7], |a, b| a < b);
        assert_eq!(sorted, [0, 1, 1, 3, 5, 7, 9]);
    }

    #[test]
    fn unreadable_values_are_errors() {
        assert_eq!(
            json_to_yaml(&json!({"a": "x\u{7f}"})),
            Err(EmitError::ControlCharacter { code: 0x7F })
        );
        assert_eq!(
            json_to_yaml(&json!(["\u{9f}"])),
            Err(EmitError::ControlCharacter { code: 0x9F })
        );
        assert_eq!(
            json_to_yaml(&json!({"a\u{85}b": 1})),
            Err(EmitError::UnreadableKey)
        );
        assert_eq!(
            json_to_yaml(&json!({"a": "x\u{85}--- y"})),
            Err(EmitError::DocumentIndicator)
        );
        assert_eq!(y(json!({"a": "x \u{85}  y"})), "a: x y\n");
        assert_eq!(y(json!({"a": "x\u{85}\u{85}y"})), "a: |-\n  x\n  y\n");
        assert_eq!(y(json!({"a": "x\u{85}---"})), "a: x ---\n");
    }

    #[test]
    fn depth_limit() {
        let mut v = json!(1);
        for _ in 0..MAX_DEPTH {
            v = Value::Array(vec![v]);
        }
        assert!(json_to_yaml(&v).is_ok());
        let v = Value::Object([("a".to_string(), v)].into_iter().collect());
        assert_eq!(json_to_yaml(&v), Err(EmitError::TooDeep));
        // Dropping a deep `Value` recurses in serde_json; take it apart first.
        let mut pending = vec![v];
        while let Some(mut v) = pending.pop() {
            match &mut v {
                Value::Array(items) => pending.append(items),
                Value::Object(map) => {
                    pending.extend(std::mem::take(map).into_iter().map(|(_, v)| v))
                }
                _ => {}
            }
        }
    }
}

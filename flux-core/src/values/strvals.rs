//! Helm's `--set` parser (`helm.sh/helm/v4/pkg/strvals` v4.2.2, as
//! `github.com/fluxcd/pkg/chartutil` v1.27.1 and helm-controller v1.6.3 use it for
//! `valuesFrom[].targetPath`).
//!
//! A line is `name1=value1,name2=value2`. Names are split on `.` (a map) and
//! `[N]` (a list index, `a[0][1]` for nested lists); `\` escapes the next
//! character anywhere; `{a,b,c}` is a list. [`parse_into`] types values
//! (`true`/`false`/`null` in any case, `0`, base-10 int64 not starting with `0`,
//! else a string); [`parse_into_string`] keeps every value a string.
//!
//! Values are written into the destination **in place**: maps and lists already
//! in it are mutated, so anything sharing them (see [`super::Val`]) sees the
//! write, exactly as Go's maps and slices share their storage.
//!
//! ```
//! use fluxcd_core::values::{strvals, Val};
//!
//! let dest = Val::new_map();
//! strvals::parse_into("a.b[2]=true,c=007,d=-5", &dest).unwrap();
//! assert_eq!(
//!     Val::Map(dest.clone()).to_json(),
//!     serde_json::json!({"a": {"b": [null, null, true]}, "c": "007", "d": -5})
//! );
//! let err = strvals::parse_into("x=1,y", &dest).unwrap_err();
//! assert_eq!(err.to_string(), "key \"y\" has no value");
//! ```

use super::{MapRef, Val};
use std::cell::RefCell;
use std::rc::Rc;

/// Largest list index accepted (`MaxIndex`).
pub const MAX_INDEX: i64 = 65536;
/// Deepest `.` nesting of a name (`MaxNestedNameLevel`).
pub const MAX_NESTED_NAME_LEVEL: usize = 30;
/// Deepest nesting of list indexes (`a[0][0]...`) in one line. Helm has no such
/// limit; fluxcd-core stops here so that parsing never recurses without bound
/// (a CRD-valid `targetPath` is at most 250 characters, so at most 83 indexes).
pub const MAX_NESTED_LIST_LEVEL: usize = 128;

/// A `--set` parse error, with Helm's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

/// Parses `line` and writes typed values into `dest` (Helm `strvals.ParseInto`).
///
/// # Errors
///
/// [`ParseError`] with Helm's message; values written before the error stay written.
pub fn parse_into(line: &str, dest: &MapRef) -> Result<(), ParseError> {
    Parser::new(line, false).parse(dest)
}

/// Parses `line` and writes string values into `dest` (Helm `strvals.ParseIntoString`).
///
/// # Errors
///
/// As [`parse_into`].
pub fn parse_into_string(line: &str, dest: &MapRef) -> Result<(), ParseError> {
    Parser::new(line, true).parse(dest)
}

/// How a step of the parse stopped.
enum Fail {
    /// `io.EOF`: the input ended (not an error at the top).
    Eof,
    /// An error returned by value.
    Err(String),
    /// A Go panic (a type assertion failed); the nearest `key` frame turns it into
    /// `unable to parse key: ...`.
    Panic(String),
}

impl Fail {
    fn text(&self) -> String {
        match self {
            Fail::Eof => "EOF".to_string(),
            Fail::Err(s) | Fail::Panic(s) => s.clone(),
        }
    }
}

struct Parser {
    sc: Vec<char>,
    pos: usize,
    strings: bool,
    list_level: usize,
}

const KEY_STOP: &[char] = &['=', '[', ',', '.'];
const ITEM_STOP: &[char] = &['[', '.', '='];

impl Parser {
    fn new(line: &str, strings: bool) -> Self {
        Parser {
            sc: line.chars().collect(),
            pos: 0,
            strings,
            list_level: 0,
        }
    }

    fn parse(mut self, dest: &MapRef) -> Result<(), ParseError> {
        loop {
            match self.key(dest, 0) {
                Ok(()) => {}
                Err(Fail::Eof) => return Ok(()),
                Err(f) => return Err(ParseError(f.text())),
            }
        }
    }

    fn read(&mut self) -> Option<char> {
        let c = self.sc.get(self.pos).copied();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    fn unread(&mut self) {
        self.pos -= 1;
    }

    /// `runesUntil`: the runes up to a stop rune (backslash escapes the next rune);
    /// `None` as the stop means the input ended.
    fn until(&mut self, stop: &[char]) -> (String, Option<char>) {
        let mut v = String::new();
        loop {
            match self.read() {
                None => return (v, None),
                Some(c) if stop.contains(&c) => return (v, Some(c)),
                Some('\\') => match self.read() {
                    None => return (v, None),
                    Some(n) => v.push(n),
                },
                Some(c) => v.push(c),
            }
        }
    }

    fn typed(&self, v: String) -> Val {
        if self.strings {
            return Val::Str(v);
        }
        typed_val(v)
    }

    fn key(&mut self, data: &MapRef, level: usize) -> Result<(), Fail> {
        match self.key_inner(data, level) {
            Err(Fail::Panic(m)) => Err(Fail::Err(format!("unable to parse key: {m}"))),
            other => other,
        }
    }

    fn key_inner(&mut self, data: &MapRef, level: usize) -> Result<(), Fail> {
        let (k, last) = self.until(KEY_STOP);
        match last {
            None => {
                if k.is_empty() {
                    Err(Fail::Eof)
                } else {
                    Err(Fail::Err(format!("key {} has no value", go_quote(&k))))
                }
            }
            Some('[') => {
                let i = self.key_index().map_err(index_error)?;
                let existing = data.borrow().get(&k).cloned();
                let list = match existing {
                    Some(Val::List(l)) => l,
                    Some(other) => return Err(Fail::Panic(conversion(&other, "[]interface {}"))),
                    None => new_list(Vec::new()),
                };
                let (list, res) = self.list_item(list, i, level);
                set(data, &k, Val::List(list));
                res
            }
            Some('=') => match self.val_list() {
                Ok(vl) => {
                    set(data, &k, Val::List(new_list(vl)));
                    Ok(())
                }
                Err(ListFail::Eof) => {
                    set(data, &k, Val::Str(String::new()));
                    Err(Fail::Eof)
                }
                Err(ListFail::NotList) => {
                    // Upstream returns the converter's (nil) error here, not the
                    // reader's EOF.
                    let (rs, _) = self.val();
                    let v = self.typed(rs);
                    set(data, &k, v);
                    Ok(())
                }
                Err(ListFail::Err(e)) => Err(Fail::Err(e)),
            },
            Some(',') => {
                set(data, &k, Val::Str(String::new()));
                Err(Fail::Err(format!(
                    "key {} has no value (cannot end with ,)",
                    go_quote(&k)
                )))
            }
            _ => {
                // '.'
                let level = level + 1;
                if level > MAX_NESTED_NAME_LEVEL {
                    return Err(Fail::Err(format!(
                        "value name nested level is greater than maximum supported nested level of {MAX_NESTED_NAME_LEVEL}"
                    )));
                }
                let existing = data.borrow().get(&k).cloned();
                let inner = match existing {
                    Some(Val::Map(m)) => m,
                    Some(other) => {
                        return Err(Fail::Panic(conversion(&other, "map[string]interface {}")))
                    }
                    None => Val::new_map(),
                };
                let e = self.key(&inner, level);
                let empty = inner.borrow().is_empty();
                if e.is_ok() && empty {
                    return Err(Fail::Err(format!("key map {} has no value", go_quote(&k))));
                }
                if !empty {
                    set(data, &k, Val::Map(inner));
                }
                e
            }
        }
    }

    /// `keyIndex`: the text up to `]` as a Go `strconv.Atoi`.
    fn key_index(&mut self) -> Result<i64, Fail> {
        let (v, last) = self.until(&[']']);
        if last.is_none() {
            return Err(Fail::Eof);
        }
        go_atoi(&v).map_err(Fail::Err)
    }

    /// `listItem`: returns the list to store (the same one or a grown copy) and
    /// the outcome.
    fn list_item(
        &mut self,
        list: Rc<RefCell<Vec<Val>>>,
        i: i64,
        level: usize,
    ) -> (Rc<RefCell<Vec<Val>>>, Result<(), Fail>) {
        if i < 0 {
            return (
                list,
                Err(Fail::Err(format!("negative {i} index not allowed"))),
            );
        }
        let (k, last) = self.until(ITEM_STOP);
        if !k.is_empty() {
            let runes: Vec<String> = k.chars().map(go_quote_rune).collect();
            return (
                list,
                Err(Fail::Err(format!(
                    "unexpected data at end of array index: [{}]",
                    runes.join(" ")
                ))),
            );
        }
        match last {
            None => (list, Err(Fail::Eof)),
            Some('=') => match self.val_list() {
                Ok(vl) => set_index(list, i, Val::List(new_list(vl))),
                Err(ListFail::Eof) => set_index(list, i, Val::Str(String::new())),
                Err(ListFail::NotList) => {
                    let (rs, _) = self.val();
                    let v = self.typed(rs);
                    set_index(list, i, v)
                }
                Err(ListFail::Err(e)) => (list, Err(Fail::Err(e))),
            },
            Some('[') => {
                let next = match self.key_index() {
                    Ok(n) => n,
                    Err(f) => return (list, Err(index_error(f))),
                };
                if self.list_level >= MAX_NESTED_LIST_LEVEL {
                    return (
                        list,
                        Err(Fail::Err(format!(
                            "list index nested level is greater than maximum supported nested level of {MAX_NESTED_LIST_LEVEL}"
                        ))),
                    );
                }
                let current = {
                    let l = list.borrow();
                    if (l.len() as i64) > i {
                        Some(l[i as usize].clone())
                    } else {
                        None
                    }
                };
                let crt = match current {
                    None | Some(Val::Null) => new_list(Vec::new()),
                    Some(Val::List(l)) => l,
                    Some(other) => {
                        return (list, Err(Fail::Panic(conversion(&other, "[]interface {}"))))
                    }
                };
                self.list_level += 1;
                let (list2, res) = self.list_item(crt, next, level);
                self.list_level -= 1;
                if let Err(f) = res {
                    return (list, Err(f));
                }
                set_index(list, i, Val::List(list2))
            }
            _ => {
                // '.': a map inside the list.
                let inner = {
                    let len = list.borrow().len() as i64;
                    if len > i {
                        let cur = list.borrow()[i as usize].clone();
                        match cur {
                            Val::Map(m) => m,
                            _ => {
                                let m = Val::new_map();
                                list.borrow_mut()[i as usize] = Val::Map(m.clone());
                                m
                            }
                        }
                    } else {
                        Val::new_map()
                    }
                };
                if let Err(e) = self.key(&inner, level) {
                    return (list, Err(e));
                }
                set_index(list, i, Val::Map(inner))
            }
        }
    }

    /// `val`: the runes up to `,`; `true` when the input ended.
    fn val(&mut self) -> (String, bool) {
        let (v, last) = self.until(&[',']);
        (v, last.is_none())
    }

    /// `valList`: a `{a,b,c}` list, or why not.
    fn val_list(&mut self) -> Result<Vec<Val>, ListFail> {
        match self.read() {
            None => return Err(ListFail::Eof),
            Some('{') => {}
            Some(_) => {
                self.unread();
                return Err(ListFail::NotList);
            }
        }
        let mut list = Vec::new();
        loop {
            let (rs, last) = self.until(&[',', '}']);
            match last {
                None => return Err(ListFail::Err("list must terminate with '}'".to_string())),
                Some('}') => {
                    if let Some(c) = self.read() {
                        if c != ',' {
                            self.unread();
                        }
                    }
                    list.push(self.typed(rs));
                    return Ok(list);
                }
                _ => list.push(self.typed(rs)),
            }
        }
    }
}

/// `fmt.Errorf("error parsing index: %w", err)`: a wrapped EOF still ends the
/// parse quietly (`errors.Is(err, io.EOF)`).
fn index_error(f: Fail) -> Fail {
    match f {
        Fail::Eof => Fail::Eof,
        f => Fail::Err(format!("error parsing index: {}", f.text())),
    }
}

enum ListFail {
    Eof,
    NotList,
    Err(String),
}

fn new_list(v: Vec<Val>) -> Rc<RefCell<Vec<Val>>> {
    Rc::new(RefCell::new(v))
}

fn set(data: &MapRef, key: &str, val: Val) {
    if key.is_empty() {
        return;
    }
    data.borrow_mut().insert(key.to_string(), val);
}

/// `setIndex`: writes in place when the list is long enough (the storage is
/// shared with every holder of the list), else into a new, longer list filled with
/// nulls.
fn set_index(
    list: Rc<RefCell<Vec<Val>>>,
    index: i64,
    val: Val,
) -> (Rc<RefCell<Vec<Val>>>, Result<(), Fail>) {
    if index < 0 {
        return (
            list,
            Err(Fail::Err(format!("negative {index} index not allowed"))),
        );
    }
    if index > MAX_INDEX {
        return (
            list,
            Err(Fail::Err(format!(
                "index of {index} is greater than maximum supported index of {MAX_INDEX}"
            ))),
        );
    }
    let index = index as usize;
    let len = list.borrow().len();
    let list = if len <= index {
        let mut v = Vec::with_capacity(index + 1);
        v.extend(list.borrow().iter().cloned());
        v.resize(index + 1, Val::Null);
        new_list(v)
    } else {
        list
    };
    list.borrow_mut()[index] = val;
    (list, Ok(()))
}

/// Helm's `typedVal` for the typed parse.
pub fn typed_val(val: String) -> Val {
    if val.eq_ignore_ascii_case("true") {
        return Val::Bool(true);
    }
    if val.eq_ignore_ascii_case("false") {
        return Val::Bool(false);
    }
    if val.eq_ignore_ascii_case("null") {
        return Val::Null;
    }
    if val == "0" {
        return Val::Int(0);
    }
    if !val.is_empty() && !val.starts_with('0') {
        if let Ok(i) = go_atoi(&val) {
            return Val::Int(i);
        }
    }
    Val::Str(val)
}

/// Go's `strconv.ParseInt(s, 10, 64)` / `Atoi` with its error text.
fn go_atoi(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "strconv.Atoi: parsing {}: invalid syntax",
            go_quote(s)
        ));
    }
    let neg = s.starts_with('-');
    let mut v: i128 = 0;
    for b in digits.bytes() {
        v = v * 10 + i128::from(b - b'0');
        if v > i128::from(i64::MAX) + 1 {
            break;
        }
    }
    let v = if neg { -v } else { v };
    i64::try_from(v)
        .map_err(|_| format!("strconv.Atoi: parsing {}: value out of range", go_quote(s)))
}

/// The Go type name of a value, as a failed type assertion prints it.
fn go_type(v: &Val) -> &'static str {
    match v {
        Val::Null => "nil",
        Val::Bool(_) => "bool",
        Val::Int(_) => "int64",
        Val::Float(_) => "float64",
        Val::Str(_) => "string",
        Val::Map(_) => "map[string]interface {}",
        Val::List(_) => "[]interface {}",
    }
}

fn conversion(v: &Val, want: &str) -> String {
    format!(
        "interface conversion: interface {{}} is {}, not {want}",
        go_type(v)
    )
}

/// Go's `%q` for a string (`strconv.Quote`).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_escaped(&mut out, c, '"');
    }
    out.push('"');
    out
}

fn go_quote_rune(c: char) -> String {
    let mut out = String::from("'");
    push_escaped(&mut out, c, '\'');
    out.push('\'');
    out
}

fn push_escaped(out: &mut String, c: char, quote: char) {
    match c {
        '\x07' => out.push_str("\\a"),
        '\x08' => out.push_str("\\b"),
        '\x0c' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\x0b' => out.push_str("\\v"),
        '\\' => out.push_str("\\\\"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if (c as u32) < 0x20 || c == '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if c.is_control() || c == '\u{feff}' => {
            if (c as u32) <= 0xffff {
                out.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                out.push_str(&format!("\\U{:08x}", c as u32));
            }
        }
        c => out.push(c),
    }
}

//! Post-build variable substitution: the `${var}` language of Flux's
//! kustomize-controller (`spec.postBuild`), with Flux's answers byte for byte.
//!
//! Flux runs the envsubst fork of `github.com/fluxcd/pkg/envsubst` (v1.7.0 for
//! kustomize-controller v1.9.4, Flux 2.9) over each resource's YAML. This module
//! reproduces its grammar, operators and errors, including the surprising parts:
//!
//! * only `${…}` is substituted; `$var` stays as it is, and `$$` is `$` in text;
//! * every default operator (`=`, `:=`, `:-`, and also `:?`, `:+`) means "use the
//!   argument when the value is empty"; `${v-x}`, `${v+x}` and `${v?}` are errors;
//! * `${#v}` and `${v:offset:length}` count bytes, not characters, so a result
//!   can cut a character in two (see [`envsubst_bytes`]);
//! * `#`, `##`, `%`, `%%` use a glob where `*` and `?` also match `/`;
//!   `/`, `//`, `/#`, `/%` replace literal text, with `\/`, `\\` and `$$`
//!   escapes in their arguments only;
//! * arguments are evaluated first, even when unused, so in strict mode
//!   `${a:=${b}}` fails when `b` is unset;
//! * strict mode (the default since Flux 2.9) fails on an unset variable used
//!   without a default operator, transformation operators included;
//! * a NUL character ends the text: nothing after it is read or output.
//!
//! ```
//! use std::collections::HashMap;
//! use fluxcd_core::subst::{envsubst, placeholders, Options, Operator};
//!
//! let vars = HashMap::from([("cluster".to_string(), "prod-eu".to_string())]);
//! let text = "env: ${cluster^^}\nregion: ${cluster#*-}\ntier: ${tier:=standard}\nliteral: $${cluster}";
//! let out = envsubst(text, &vars, Options::strict(true)).unwrap();
//! assert_eq!(out, "env: PROD-EU\nregion: eu\ntier: standard\nliteral: ${cluster}");
//!
//! // Strict mode: an unset variable without a default is an error, with a position.
//! let err = envsubst("a: 1\nb: ${missing}", &vars, Options::strict(true)).unwrap_err();
//! assert_eq!(err.code(), "subst.undefined");
//! assert_eq!((err.line(), err.column()), (2, 4));
//! assert!(err.to_string().starts_with("variable not set (strict mode): \"missing\""));
//!
//! // Every placeholder, for linters.
//! let found = placeholders(text).unwrap();
//! assert_eq!(found.len(), 3);
//! assert_eq!(found[2].name, "tier");
//! assert_eq!(found[2].operator, Operator::Default);
//! assert!(found[2].has_default);
//! assert_eq!(&text[found[0].span.clone()], "${cluster^^}");
//! ```
//!
//! Cost: parsing and evaluation are linear in the size of the text and of the
//! output, and use no recursion. Two limits that Flux does not have stop
//! hostile templates: [`Options::max_output`] (64 MiB by default; nested
//! replacements can multiply sizes) and [`Options::max_depth`] (100,000 nested
//! expressions by default), with the codes `subst.output_too_large` and
//! `subst.too_deep`. The
//! glob removal operators (`#`, `##`, `%`, `%%`) try every prefix of the value,
//! which is quadratic in the value's length, exactly as in Flux.
#![deny(missing_docs)]

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasher;
use std::ops::Range;

mod error;
mod eval;
mod glob;
mod parse;
mod scan;
mod tables;
mod unicode;
pub mod vars;

pub use error::{Error, Position};
pub use parse::{Expr, Node, NodeId, Template, Text};

/// The version of `github.com/fluxcd/pkg/envsubst` whose behaviour this module
/// reproduces.
pub const ENVSUBST_VERSION: &str = "v1.7.0";

/// The Unicode version of the letter, digit and case tables (the one of the Go
/// toolchain Flux is built with).
pub const UNICODE_VERSION: &str = tables::UNICODE_VERSION;

/// Default of [`Options::max_output`]: 64 MiB of output per text.
pub const DEFAULT_MAX_OUTPUT: usize = 64 * 1024 * 1024;

/// Default of [`Options::max_depth`]: 100,000 levels of `${…}` nested in the
/// arguments of another (far beyond any real template; Flux itself evaluates the
/// 10,000-level templates of the conformance vectors, so the default must accept them).
pub const DEFAULT_MAX_DEPTH: usize = 100_000;

/// Evaluation options.
///
/// Build them with struct update syntax so that new limits keep their
/// defaults: `Options { strict: true, ..Options::default() }` or
/// [`Options::strict`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// Strict mode (kustomize-controller's `StrictPostBuildSubstitutions`
    /// feature gate, on by default since Flux 2.9): an unset variable used
    /// without a default operator is an error. Otherwise it reads as `""`.
    pub strict: bool,
    /// Largest output in bytes; `None` means [`DEFAULT_MAX_OUTPUT`]. Nested
    /// replacements multiply sizes (`${a//a/${a//a/x}}` is `len(a)²` bytes),
    /// so a short text could otherwise ask for gigabytes; past the limit the
    /// evaluation stops with [`Error::OutputTooLarge`] (Flux has no such
    /// limit: it runs out of memory).
    pub max_output: Option<usize>,
    /// Deepest nesting of expressions inside the arguments of others; `None`
    /// means [`DEFAULT_MAX_DEPTH`]. Deeper templates fail with
    /// [`Error::TooDeep`] (Flux has no such limit).
    pub max_depth: Option<usize>,
}

impl Options {
    /// Strict or not, with the default limits.
    pub const fn strict(strict: bool) -> Self {
        Options {
            strict,
            max_output: None,
            max_depth: None,
        }
    }

    /// The output limit in effect.
    pub fn max_output_bytes(&self) -> usize {
        self.max_output.unwrap_or(DEFAULT_MAX_OUTPUT)
    }

    /// The nesting limit in effect.
    pub fn max_nesting(&self) -> usize {
        self.max_depth.unwrap_or(DEFAULT_MAX_DEPTH)
    }
}

/// Where variable values come from. `None` means "not set"; in strict mode that
/// differs from an empty value.
///
/// Implemented for `HashMap<String, String>`, `BTreeMap<String, String>`, and
/// closures `Fn(&str) -> Option<String>`.
pub trait Lookup {
    /// The value of `name`, or `None` when it is not set.
    fn lookup(&self, name: &str) -> Option<Cow<'_, str>>;
}

impl<S: BuildHasher> Lookup for HashMap<String, String, S> {
    fn lookup(&self, name: &str) -> Option<Cow<'_, str>> {
        self.get(name).map(|v| Cow::Borrowed(v.as_str()))
    }
}

impl Lookup for BTreeMap<String, String> {
    fn lookup(&self, name: &str) -> Option<Cow<'_, str>> {
        self.get(name).map(|v| Cow::Borrowed(v.as_str()))
    }
}

impl<F: Fn(&str) -> Option<String>> Lookup for F {
    fn lookup(&self, name: &str) -> Option<Cow<'_, str>> {
        self(name).map(Cow::Owned)
    }
}

/// What an expression does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operator {
    /// `${v}`.
    Value,
    /// `${#v}`: the length in bytes.
    Length,
    /// `${v^}`: first character upper case.
    UpperFirst,
    /// `${v^^}`: upper case.
    Upper,
    /// `${v,}`: first character lower case.
    LowerFirst,
    /// `${v,,}`: lower case.
    Lower,
    /// `${v^,}` or `${v,^}`: accepted, and gives the value unchanged.
    MixedCase,
    /// `${v:offset}`, `${v:offset:length}` (bytes).
    Substring,
    /// `${v#glob}`.
    TrimShortestPrefix,
    /// `${v##glob}`.
    TrimLongestPrefix,
    /// `${v%glob}`.
    TrimShortestSuffix,
    /// `${v%%glob}`.
    TrimLongestSuffix,
    /// `${v/old/new}`.
    ReplaceFirst,
    /// `${v//old/new}`.
    ReplaceAll,
    /// `${v/#old/new}`.
    ReplacePrefix,
    /// `${v/%old/new}`.
    ReplaceSuffix,
    /// `${v=d}`, `${v:=d}`, `${v:-d}`, `${v:?d}`, `${v:+d}`: the arguments when
    /// the value is empty or unset, else the value.
    Default,
}

impl Operator {
    /// The meaning of operator text `op` with `args` arguments (`#` is the
    /// length without arguments and a prefix removal with one).
    pub(crate) fn classify(op: &str, args: usize) -> Operator {
        // Every text the parser can produce is listed; anything else is a
        // default-like operator upstream too.
        match op {
            "" => Operator::Value,
            "#" if args == 0 => Operator::Length,
            "#" => Operator::TrimShortestPrefix,
            "##" => Operator::TrimLongestPrefix,
            "%" => Operator::TrimShortestSuffix,
            "%%" => Operator::TrimLongestSuffix,
            "^" => Operator::UpperFirst,
            "^^" => Operator::Upper,
            "," => Operator::LowerFirst,
            ",," => Operator::Lower,
            "^," | ",^" => Operator::MixedCase,
            ":" => Operator::Substring,
            "/" => Operator::ReplaceFirst,
            "//" => Operator::ReplaceAll,
            "/#" => Operator::ReplacePrefix,
            "/%" => Operator::ReplaceSuffix,
            _ => Operator::Default,
        }
    }

    /// Whether an unset variable is fine in strict mode (the default operators).
    pub fn is_default(self) -> bool {
        self == Operator::Default
    }
}

/// One `${…}` of a text, for linters and provenance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// Byte range of the whole expression, `$` to `}`.
    pub span: Range<usize>,
    /// The variable's name.
    pub name: String,
    /// Byte range of the name.
    pub name_span: Range<usize>,
    /// What it does.
    pub operator: Operator,
    /// The operator as written (`""`, `":="`, `"##"`, …).
    pub op: &'static str,
    /// Whether strict mode tolerates the variable being unset (a default
    /// operator). Note that its arguments are evaluated regardless: a nested
    /// placeholder inside a default still needs its own variable.
    pub has_default: bool,
    /// Index (in the same list) of the placeholder whose argument holds this
    /// one; `None` at top level.
    pub parent: Option<usize>,
    /// Nesting depth: 0 at top level.
    pub depth: usize,
}

impl Template {
    /// Every expression in source order, nested ones included.
    pub fn placeholders(&self) -> Vec<Placeholder> {
        // Nodes are stored in pre-order, so walking the tree in order meets the
        // expressions in the order they are stored.
        let mut out = Vec::new();
        let mut stack: Vec<(NodeId, Option<usize>, usize)> =
            self.root.iter().rev().map(|&id| (id, None, 0)).collect();
        while let Some((id, parent, depth)) = stack.pop() {
            let Node::Expr(e) = self.node(id) else {
                continue;
            };
            let operator = e.operator();
            out.push(Placeholder {
                span: e.span.clone(),
                name: e.name.clone(),
                name_span: e.name_span.clone(),
                operator,
                op: e.op,
                has_default: operator.is_default(),
                parent,
                depth,
            });
            let me = out.len() - 1;
            stack.extend(e.args.iter().rev().map(|&a| (a, Some(me), depth + 1)));
        }
        out
    }

    /// Substitutes, returning the exact bytes Flux produces.
    pub fn eval_bytes<L: Lookup + ?Sized>(
        &self,
        vars: &L,
        opts: Options,
    ) -> Result<Vec<u8>, Error> {
        let mut out = Vec::with_capacity(self.source.len());
        eval::eval(self, vars, opts, &mut out, &mut Vec::new())?;
        Ok(out)
    }

    /// Substitutes. Fails with [`Error::InvalidUtf8`] when the result is not
    /// UTF-8 (see [`envsubst_bytes`]).
    pub fn eval<L: Lookup + ?Sized>(&self, vars: &L, opts: Options) -> Result<String, Error> {
        let mut out = Vec::with_capacity(self.source.len());
        let mut tops = Vec::new();
        eval::eval(self, vars, opts, &mut out, &mut tops)?;
        String::from_utf8(out).map_err(|e| {
            let bad = e.utf8_error().valid_up_to();
            // The last top-level node starting at or before the bad byte.
            let i = tops.partition_point(|&(o, _)| o <= bad).saturating_sub(1);
            let src = tops.get(i).map_or(0, |&(_, s)| s);
            Error::InvalidUtf8 {
                at: Position::locate(&self.source, src),
            }
        })
    }
}

/// Parses `text` into a [`Template`] (Flux reports the same parse errors
/// whatever the variables are).
pub fn parse(text: &str) -> Result<Template, Error> {
    parse::parse(text)
}

/// Every `${…}` of `text`, in source order, nested ones included.
pub fn placeholders(text: &str) -> Result<Vec<Placeholder>, Error> {
    Ok(parse(text)?.placeholders())
}

/// Substitutes the variables of `text` as Flux's kustomize-controller does.
///
/// Fails with [`Error::InvalidUtf8`] when a byte-based substring or glob removal
/// cuts a character in two; [`envsubst_bytes`] returns those bytes instead.
pub fn envsubst<L: Lookup + ?Sized>(text: &str, vars: &L, opts: Options) -> Result<String, Error> {
    if let Some(out) = fast_eval(text, vars) {
        if out.len() > opts.max_output_bytes() {
            return Err(Error::OutputTooLarge {
                limit: opts.max_output_bytes(),
                at: Position::locate(text, 0),
            });
        }
        return Ok(out);
    }
    parse(text)?.eval(vars, opts)
}

/// The common case without building a [`Template`]: literal text, `$$`,
/// plain `${name}` with an ASCII name whose variable is set, and the default
/// operators with a literal argument. Anything else
/// (operators, unset variables, NUL, non-ASCII names, malformed expressions)
/// returns `None` and the caller takes the full path, which gives the same
/// result for these inputs and the exact errors for the others.
fn fast_eval<L: Lookup + ?Sized>(text: &str, vars: &L) -> Option<String> {
    let b = text.as_bytes();
    if b.contains(&0) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'$') {
        let at = i + off;
        out.push_str(&text[i..at]);
        match b.get(at + 1) {
            Some(b'$') => {
                out.push('$');
                i = at + 2;
            }
            Some(b'{') => {
                let start = at + 2;
                let len = b[start..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))?;
                if len == 0 {
                    return None;
                }
                let name = &text[start..start + len];
                let after = start + len;
                if b[after] == b'}' {
                    let value = vars.lookup(name)?;
                    out.push_str(&value);
                    i = after + 1;
                    continue;
                }
                // `${name:=lit}`, `${name:-lit}`, `${name:?lit}`, `${name:+lit}`,
                // `${name=lit}` with a literal argument: all "use the argument
                // when the value is empty".
                let op = match (b[after], b.get(after + 1)) {
                    (b':', Some(b'=' | b'-' | b'?' | b'+')) => 2,
                    (b'=', _) => 1,
                    _ => return None,
                };
                // The argument: literal text and plain `${name}` (evaluated
                // first, as upstream does, so an unset one takes the full path).
                let mut j = after + op;
                let mut arg = String::new();
                loop {
                    let k = j + b[j..]
                        .iter()
                        .position(|&c| matches!(c, b'}' | b'$' | b'{'))?;
                    arg.push_str(&text[j..k]);
                    if b[k] == b'}' {
                        j = k + 1;
                        break;
                    }
                    if b[k] != b'$' || b.get(k + 1) != Some(&b'{') {
                        return None;
                    }
                    let n = b[k + 2..]
                        .iter()
                        .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))?;
                    if n == 0 || b[k + 2 + n] != b'}' {
                        return None;
                    }
                    arg.push_str(&vars.lookup(&text[k + 2..k + 2 + n])?);
                    j = k + 3 + n;
                }
                match vars.lookup(name) {
                    Some(v) if !v.is_empty() => out.push_str(&v),
                    _ => out.push_str(&arg),
                }
                i = j;
            }
            _ => {
                out.push('$');
                i = at + 1;
            }
        }
    }
    out.push_str(&text[i..]);
    Some(out)
}

/// Substitutes the variables of `text`, returning exactly the bytes Flux's
/// envsubst produces (which need not be UTF-8).
pub fn envsubst_bytes<L: Lookup + ?Sized>(
    text: &str,
    vars: &L,
    opts: Options,
) -> Result<Vec<u8>, Error> {
    parse(text)?.eval_bytes(vars, opts)
}

#[cfg(test)]
mod tests;

//! Checking `dependsOn[].readyExpr`: the CEL expression must compile, with the
//! variables `self` and `dep`, to a `bool`.
//!
//! kustomize-controller and helm-controller compile the expression with
//! fluxcd/pkg `runtime/cel` (`NewExpression` with `WithCompile`,
//! `WithStructVariables("self", "dep")` and `WithOutputType(bool)`) before they
//! evaluate it; a failure is terminal (`InvalidCELExpression`). This module
//! parses with the [`cel`] crate and runs a small type inference of its own over
//! the syntax tree:
//!
//! * `self` and `dep` are `google.protobuf.Struct`, which CEL reads as
//!   `map(string, dyn)`; a field of them is `dyn`, and so is anything selected
//!   or indexed from a `dyn`;
//! * comparisons, `in`, `!`, `&&`, `||`, `has()`, `all`/`exists`/`exists_one`
//!   and the string predicates are `bool`; a conditional is the common type of
//!   its branches, `dyn` when one of them is `dyn`;
//! * the result must be exactly `bool`: a bare `dep.status.ready` is `dyn` and
//!   fails with `CEL expression output type mismatch: expected bool, got dyn`.
//!
//! Where the inference does not know a function's type it says nothing, so it
//! never rejects what Flux accepts: it finds the common mistakes, not all of
//! them. The vectors in `conformance/deps/ready-expr.json` compare it with the
//! Go code.
//!
//! The `cel` crate's parser is generated from the same ANTLR grammar as
//! cel-go's, so syntax errors read as Flux prints them. Its parser recurses, so
//! parsing runs on a thread of its own with a large stack, and inputs that could
//! still exhaust it (more than [`MAX_CODE_POINTS`] characters, or more than
//! [`MAX_OPERATORS`] operators) are rejected before parsing.

use std::collections::HashMap;
use std::fmt;

use cel::common::ast::{operators, EntryExpr, Expr, IdedExpr, LiteralValue, SourceInfo};
use cel::parser::Parser;

use super::Error;

/// cel-go's default limit on the size of an expression, in code points.
pub const MAX_CODE_POINTS: usize = 100_000;

/// Expressions with more operator characters than this are not parsed (cel-go
/// rejects such expressions by its recursion limit long before).
pub const MAX_OPERATORS: usize = 5_000;

/// cel-go's default parser recursion limit.
const MAX_RECURSION: u16 = 250;

/// Deeper than this the inference stops and says nothing.
const MAX_CHECK_DEPTH: usize = 4_000;

/// The stack of the parsing thread.
#[cfg(not(target_arch = "wasm32"))]
const PARSER_STACK: usize = 64 << 20;

/// Checks a `readyExpr` as Flux compiles it.
///
/// Returns [`Error::ReadyExprSyntax`] when the expression does not compile
/// (syntax error, unknown variable, operands of the wrong type), with cel-go's
/// message, and [`Error::ReadyExprType`] when it is not a `bool`.
///
/// ```
/// use fluxcd_core::deps::check_ready_expr;
///
/// assert!(check_ready_expr("dep.status.ready == true").is_ok());
/// let err = check_ready_expr("dep.status.ready").unwrap_err();
/// assert_eq!(err.to_string(), "CEL expression output type mismatch: expected bool, got dyn");
/// assert_eq!(err.code(), "deps.ready_expr_type");
/// assert_eq!(check_ready_expr("dep.status ==").unwrap_err().code(), "deps.ready_expr_syntax");
/// ```
pub fn check_ready_expr(expr: &str) -> Result<(), Error> {
    let syntax = |detail: String| Error::ReadyExprSyntax {
        expr: expr.to_string(),
        detail,
    };
    let size = expr.chars().count();
    if size > MAX_CODE_POINTS {
        return Err(syntax(format!(
            "ERROR: <input>:-1:0: expression code point size exceeds limit: size: {size}, limit {MAX_CODE_POINTS}"
        )));
    }
    if bracket_depth(expr) >= usize::from(MAX_RECURSION) {
        return Err(syntax(format!(
            "ERROR: <input>:-1:0: expression recursion limit exceeded: {MAX_RECURSION}"
        )));
    }
    let operators = expr
        .bytes()
        .filter(|b| b"()[]{}.,?:!&|=<>+-*/%".contains(b))
        .count();
    if operators > MAX_OPERATORS {
        return Err(syntax(format!(
            "ERROR: <input>:-1:0: expression too large to check: more than {MAX_OPERATORS} operators"
        )));
    }
    let outcome = run_parser(expr);
    match outcome {
        // The parser could not run: say nothing rather than guess.
        None | Some(Outcome::Ok) => Ok(()),
        Some(Outcome::Errors(detail)) => Err(syntax(detail)),
        Some(Outcome::NotBool(got)) => Err(Error::ReadyExprType { got }),
    }
}

/// Runs the parser on a thread with a stack of [`PARSER_STACK`]; `None` when it
/// could not run.
#[cfg(not(target_arch = "wasm32"))]
fn run_parser(expr: &str) -> Option<Outcome> {
    let owned = expr.to_string();
    std::thread::Builder::new()
        .name("ready-expr".into())
        .stack_size(PARSER_STACK)
        .spawn(move || check_on_this_thread(&owned))
        .ok()
        .and_then(|handle| handle.join().ok())
}

/// WebAssembly has no threads: the parser runs on the caller's stack, which the
/// WebAssembly package makes large enough for [`MAX_RECURSION`] (its `build.rs`).
#[cfg(target_arch = "wasm32")]
fn run_parser(expr: &str) -> Option<Outcome> {
    Some(check_on_this_thread(expr))
}

/// The deepest nesting of `(`, `[` and `{` outside string literals.
fn bracket_depth(expr: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut quote: Option<u8> = None;
    let mut escaped = false;
    for &b in expr.as_bytes() {
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == q {
                quote = None;
            }
            continue;
        }
        match b {
            b'\'' | b'"' => quote = Some(b),
            b'(' | b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

enum Outcome {
    Ok,
    Errors(String),
    NotBool(String),
}

fn check_on_this_thread(expr: &str) -> Outcome {
    let parsed = Parser::new()
        .max_recursion_depth(MAX_RECURSION)
        .enable_optional_syntax(true)
        .parse_with_source_info(expr);
    let (ast, info) = match parsed {
        Ok(x) => x,
        Err(errors) => {
            let mut found: Vec<Found> = errors
                .errors
                .iter()
                .map(|e| {
                    let message = syntax_message(&e.msg);
                    // cel-go reports its limits without a position, and the
                    // end of an empty text at column 0.
                    let (line, column) = if message.starts_with("expression recursion limit") {
                        (-1, -1)
                    } else if expr.is_empty() {
                        (1, -1)
                    } else {
                        (e.pos.0, e.pos.1 - 1)
                    };
                    Found {
                        line,
                        column,
                        message,
                    }
                })
                .collect();
            // cel-go stops at its recursion limit: that error alone.
            if let Some(limit) = found.iter().position(|f| f.line == -1) {
                found = vec![found.swap_remove(limit)];
            }
            // The crate's visitor complains about the trees ANTLR's error
            // recovery leaves; cel-go does not.
            if found.iter().any(|f| !internal(&f.message)) {
                found.retain(|f| !internal(&f.message));
            }
            found.sort_by_key(|f| (f.line, f.column));
            return Outcome::Errors(render(expr, &found));
        }
    };
    if nesting(&ast) > usize::from(MAX_RECURSION) {
        return Outcome::Errors("ERROR: <input>:-1:0: max recursion depth exceeded".into());
    }
    let mut checker = Checker {
        info: &info,
        source: expr,
        scopes: vec![],
        errors: vec![],
        depth: 0,
    };
    let ty = checker.check(&ast);
    if !checker.errors.is_empty() {
        checker.errors.sort_by_key(|f| (f.line, f.column));
        return Outcome::Errors(render(expr, &checker.errors));
    }
    match ty {
        Ty::Bool | Ty::Unknown => Outcome::Ok,
        other => Outcome::NotBool(other.to_string()),
    }
}

/// How deeply the tree nests, not counting `&&` and `||` (cel-go balances
/// those): close to the depth cel-go's parser limits to 250. Iterative.
fn nesting(root: &IdedExpr) -> usize {
    let mut deepest = 0;
    let mut stack = vec![(root, 1usize)];
    while let Some((e, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match &e.expr {
            Expr::Call(c) => {
                let flat =
                    c.func_name == operators::LOGICAL_AND || c.func_name == operators::LOGICAL_OR;
                let d = if flat { depth } else { depth + 1 };
                if let Some(t) = &c.target {
                    stack.push((t, d));
                }
                for a in &c.args {
                    stack.push((a, d));
                }
            }
            Expr::Select(s) => stack.push((&s.operand, depth + 1)),
            Expr::List(l) => stack.extend(l.elements.iter().map(|x| (x, depth + 1))),
            Expr::Map(m) => {
                for entry in &m.entries {
                    match &entry.expr {
                        EntryExpr::MapEntry(me) => {
                            stack.push((&me.key, depth + 1));
                            stack.push((&me.value, depth + 1));
                        }
                        EntryExpr::StructField(f) => stack.push((&f.value, depth + 1)),
                    }
                }
            }
            Expr::Struct(st) => {
                for entry in &st.entries {
                    if let EntryExpr::StructField(f) = &entry.expr {
                        stack.push((&f.value, depth + 1));
                    }
                }
            }
            Expr::Comprehension(c) => {
                stack.push((&c.iter_range, depth + 1));
                stack.push((&c.loop_step, depth + 1));
            }
            Expr::Unspecified | Expr::Ident(_) | Expr::Literal(_) => {}
        }
    }
    deepest
}

/// Messages of the crate's visitor about incomplete trees.
fn internal(msg: &str) -> bool {
    (msg.starts_with("Incomplete `") || msg.starts_with("No `")) && msg.ends_with('!')
}

/// The crate reports a recursion limit as a debug dump; cel-go's words instead.
fn syntax_message(msg: &str) -> String {
    if msg.contains("Recursion limit of") {
        format!("expression recursion limit exceeded: {MAX_RECURSION}")
    } else {
        msg.to_string()
    }
}

/// One error with its 1-based line and 0-based column (in characters).
struct Found {
    line: isize,
    column: isize,
    message: String,
}

/// cel-go's `Errors.ToDisplayString`: each error with the line and a caret.
fn render(source: &str, errors: &[Found]) -> String {
    let mut out = Vec::with_capacity(errors.len());
    for e in errors {
        let mut s = format!("ERROR: <input>:{}:{}: {}", e.line, e.column + 1, e.message);
        let snippet = usize::try_from(e.line - 1)
            .ok()
            .and_then(|l| source.split('\n').nth(l));
        if let Some(snippet) = snippet.filter(|s| !s.is_empty() && s.len() <= 16_384) {
            let snippet = snippet.replace('\t', " ");
            s.push_str("\n | ");
            s.push_str(&snippet);
            s.push_str("\n | ");
            let mut chars = snippet.chars();
            for _ in 0..e.column.max(0) {
                match chars.next() {
                    Some(c) if c.len_utf8() > 1 => s.push('\u{ff0e}'),
                    Some(_) => s.push('.'),
                    None => break,
                }
            }
            match chars.next() {
                Some(c) if c.len_utf8() > 1 => s.push('\u{ff3e}'),
                _ => s.push('^'),
            }
        }
        out.push(s);
    }
    out.join("\n")
}

/// What the inference knows of a value's type.
#[derive(Debug, Clone, PartialEq)]
enum Ty {
    /// The inference does not know: nothing is reported.
    Unknown,
    /// The element type of an empty list or map literal.
    Empty,
    Dyn,
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Null,
    Timestamp,
    Duration,
    List(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
    Optional(Box<Ty>),
}

impl Ty {
    /// Known all the way down.
    fn known(&self) -> bool {
        match self {
            Ty::Unknown => false,
            Ty::List(t) | Ty::Optional(t) => t.known(),
            Ty::Map(k, v) => k.known() && v.known(),
            _ => true,
        }
    }

    fn struct_map() -> Ty {
        Ty::Map(Box::new(Ty::String), Box::new(Ty::Dyn))
    }

    fn is_primitive(&self) -> bool {
        matches!(
            self,
            Ty::Bool | Ty::Int | Ty::Uint | Ty::Double | Ty::String | Ty::Bytes
        )
    }

    fn is_number(&self) -> bool {
        matches!(self, Ty::Int | Ty::Uint | Ty::Double)
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Unknown | Ty::Empty | Ty::Dyn => f.write_str("dyn"),
            Ty::Bool => f.write_str("bool"),
            Ty::Int => f.write_str("int"),
            Ty::Uint => f.write_str("uint"),
            Ty::Double => f.write_str("double"),
            Ty::String => f.write_str("string"),
            Ty::Bytes => f.write_str("bytes"),
            Ty::Null => f.write_str("null_type"),
            Ty::Timestamp => f.write_str("google.protobuf.Timestamp"),
            Ty::Duration => f.write_str("google.protobuf.Duration"),
            Ty::List(t) => write!(f, "list({t})"),
            Ty::Map(k, v) => write!(f, "map({k}, {v})"),
            Ty::Optional(t) => write!(f, "optional_type({t})"),
        }
    }
}

/// Type names that are values of type `type` in CEL.
const TYPE_NAMES: &[&str] = &[
    "bool",
    "int",
    "uint",
    "double",
    "string",
    "bytes",
    "list",
    "map",
    "null_type",
    "type",
    "dyn",
];

/// Namespaces of the functions Flux's environment declares (strings, sets,
/// encoders, optional types).
const NAMESPACES: &[&str] = &["sets", "base64", "strings", "optional"];

struct Checker<'a> {
    info: &'a SourceInfo,
    source: &'a str,
    /// Comprehension variables, innermost last.
    scopes: Vec<HashMap<String, Ty>>,
    errors: Vec<Found>,
    depth: usize,
}

impl Checker<'_> {
    fn error(&mut self, id: u64, message: String) {
        let (line, column) = self.position(id);
        self.errors.push(Found {
            line,
            column,
            message,
        });
    }

    /// 1-based line and 0-based column (characters) of an expression.
    fn position(&self, id: u64) -> (isize, isize) {
        let Some((start, _)) = self.info.offset_for(id) else {
            return (-1, -1);
        };
        let (mut line, mut column) = (1isize, 0isize);
        for (i, c) in self.source.chars().enumerate() {
            if i as u32 >= start {
                break;
            }
            if c == '\n' {
                line += 1;
                column = 0;
            } else {
                column += 1;
            }
        }
        (line, column)
    }

    fn lookup(&self, name: &str) -> Option<Ty> {
        for scope in self.scopes.iter().rev() {
            if let Some(t) = scope.get(name) {
                return Some(t.clone());
            }
        }
        match name {
            "self" | "dep" => Some(Ty::struct_map()),
            _ => None,
        }
    }

    fn check(&mut self, e: &IdedExpr) -> Ty {
        if self.depth >= MAX_CHECK_DEPTH {
            return Ty::Unknown;
        }
        self.depth += 1;
        let t = self.check_inner(e);
        self.depth -= 1;
        t
    }

    fn check_inner(&mut self, e: &IdedExpr) -> Ty {
        match &e.expr {
            Expr::Unspecified => Ty::Unknown,
            Expr::Literal(l) => match l {
                LiteralValue::Boolean(_) => Ty::Bool,
                LiteralValue::Bytes(_) => Ty::Bytes,
                LiteralValue::Double(_) => Ty::Double,
                LiteralValue::Int(_) => Ty::Int,
                LiteralValue::Null => Ty::Null,
                LiteralValue::String(_) => Ty::String,
                LiteralValue::UInt(_) => Ty::Uint,
            },
            Expr::Ident(name) => match self.lookup(name) {
                Some(t) => t,
                None if TYPE_NAMES.contains(&name.as_str()) => Ty::Unknown,
                None => {
                    self.error(
                        e.id,
                        format!("undeclared reference to '{name}' (in container '')"),
                    );
                    Ty::Unknown
                }
            },
            Expr::Select(s) => {
                // A qualified name whose root is not a variable: a type or an
                // extension; not checked.
                if let Expr::Ident(root) = &s.operand.expr {
                    if self.lookup(root).is_none() {
                        if NAMESPACES.contains(&root.as_str()) || root == "google" {
                            return Ty::Unknown;
                        }
                        let t = self.check(&s.operand);
                        return if s.test { Ty::Bool } else { t };
                    }
                }
                let operand = self.check(&s.operand);
                if s.test {
                    return Ty::Bool;
                }
                match operand {
                    Ty::Map(_, v) => *v,
                    Ty::Dyn => Ty::Dyn,
                    _ => Ty::Unknown,
                }
            }
            Expr::List(list) => {
                let types: Vec<(u64, Ty)> = list
                    .elements
                    .iter()
                    .map(|el| (el.id, self.check(el)))
                    .collect();
                if !list.optional_indices.is_empty() {
                    return Ty::Unknown;
                }
                let elem = self.homogeneous(&types);
                Ty::List(Box::new(elem))
            }
            Expr::Map(map) => {
                let mut keys = Vec::new();
                let mut values = Vec::new();
                let mut optional = false;
                for entry in &map.entries {
                    match &entry.expr {
                        EntryExpr::MapEntry(m) => {
                            keys.push((m.key.id, self.check(&m.key)));
                            values.push((m.value.id, self.check(&m.value)));
                            optional |= m.optional;
                        }
                        EntryExpr::StructField(f) => {
                            self.check(&f.value);
                            optional = true;
                        }
                    }
                }
                if optional {
                    return Ty::Unknown;
                }
                let k = self.homogeneous(&keys);
                let v = self.homogeneous(&values);
                Ty::Map(Box::new(k), Box::new(v))
            }
            Expr::Struct(s) => {
                for entry in &s.entries {
                    if let EntryExpr::StructField(f) = &entry.expr {
                        self.check(&f.value);
                    }
                }
                if s.type_name == "google.protobuf.Struct" {
                    Ty::struct_map()
                } else {
                    Ty::Unknown
                }
            }
            Expr::Comprehension(c) => {
                let range = self.check(&c.iter_range);
                let elem = match &range {
                    Ty::List(t) => match **t {
                        Ty::Empty => Ty::Dyn,
                        ref t => t.clone(),
                    },
                    Ty::Map(k, _) => match **k {
                        Ty::Empty => Ty::Dyn,
                        ref k => k.clone(),
                    },
                    Ty::Dyn => Ty::Dyn,
                    _ => Ty::Unknown,
                };
                let init = self.check(&c.accu_init);
                let mut scope = HashMap::new();
                scope.insert(c.iter_var.clone(), elem.clone());
                if let Some(v2) = &c.iter_var2 {
                    scope.insert(v2.clone(), Ty::Unknown);
                }
                // An empty list accumulator takes the type of what is appended;
                // find it with a first pass whose errors are dropped.
                let mut accu = init.clone();
                if init == Ty::List(Box::new(Ty::Empty)) {
                    let mut trial = scope.clone();
                    trial.insert(c.accu_var.clone(), init.clone());
                    self.scopes.push(trial);
                    let before = self.errors.len();
                    let step = self.check(&c.loop_step);
                    self.errors.truncate(before);
                    self.scopes.pop();
                    accu = match step {
                        Ty::List(t) if *t != Ty::Empty => Ty::List(t),
                        Ty::List(_) => init,
                        _ => Ty::Unknown,
                    };
                }
                scope.insert(c.accu_var.clone(), accu);
                self.scopes.push(scope);
                self.check(&c.loop_cond);
                self.check(&c.loop_step);
                let result = self.check(&c.result);
                self.scopes.pop();
                result
            }
            Expr::Call(call) => self.check_call(e.id, call),
        }
    }

    /// HomogeneousAggregateLiterals: every element has the first one's type.
    fn homogeneous(&mut self, types: &[(u64, Ty)]) -> Ty {
        let Some((_, first)) = types.first() else {
            return Ty::Empty;
        };
        if !first.known() {
            return Ty::Unknown;
        }
        let first = first.clone();
        let mut all_known = true;
        for (id, t) in &types[1..] {
            if !t.known() {
                all_known = false;
            } else if *t != first {
                self.error(*id, format!("expected type '{first}' but found '{t}'"));
            }
        }
        if all_known {
            first
        } else {
            Ty::Unknown
        }
    }

    fn check_call(&mut self, id: u64, call: &cel::common::ast::CallExpr) -> Ty {
        let target = call.target.as_ref().map(|t| {
            // `sets.contains(...)` and the like: a namespace, not a variable.
            match &t.expr {
                Expr::Ident(n) if self.lookup(n).is_none() && NAMESPACES.contains(&n.as_str()) => {
                    Ty::Unknown
                }
                _ => self.check(t),
            }
        });
        let args: Vec<(u64, Ty)> = call.args.iter().map(|a| (a.id, self.check(a))).collect();
        // A function cel-go's environment does not have: a macro name with
        // the wrong arguments (it was not expanded), or a function of an
        // unknown namespace.
        let unknown_namespace = matches!(
            call.target.as_deref().map(|t| &t.expr),
            Some(Expr::Ident(n)) if self.lookup(n).is_none() && !NAMESPACES.contains(&n.as_str())
        );
        if unknown_namespace
            || matches!(
                call.func_name.as_str(),
                "all" | "exists" | "exists_one" | "map" | "filter" | "has"
            )
        {
            self.error(
                id,
                format!(
                    "undeclared reference to '{}' (in container '')",
                    call.func_name
                ),
            );
            return Ty::Unknown;
        }
        let arg = |i: usize| args.get(i).map(|(_, t)| t.clone()).unwrap_or(Ty::Unknown);
        let name = call.func_name.as_str();
        match name {
            operators::LOGICAL_AND | operators::LOGICAL_OR => {
                for (aid, t) in &args {
                    if t.known() && !matches!(t, Ty::Bool | Ty::Dyn) {
                        self.error(*aid, format!("expected type 'bool' but found '{t}'"));
                    }
                }
                Ty::Bool
            }
            operators::LOGICAL_NOT => {
                let t = arg(0);
                if t.known() && !matches!(t, Ty::Bool | Ty::Dyn) {
                    self.no_overload(id, name, &[t]);
                }
                Ty::Bool
            }
            operators::NOT_STRICTLY_FALSE | operators::IN => Ty::Bool,
            operators::EQUALS | operators::NOT_EQUALS => {
                let (a, b) = (arg(0), arg(1));
                if a.is_primitive() && b.is_primitive() && a != b {
                    self.no_overload(id, name, &[a, b]);
                }
                Ty::Bool
            }
            operators::LESS
            | operators::LESS_EQUALS
            | operators::GREATER
            | operators::GREATER_EQUALS => {
                let (a, b) = (arg(0), arg(1));
                let comparable =
                    |t: &Ty| t.is_primitive() || matches!(t, Ty::Timestamp | Ty::Duration);
                if comparable(&a) && comparable(&b) && a != b && !(a.is_number() && b.is_number()) {
                    self.no_overload(id, name, &[a, b]);
                }
                Ty::Bool
            }
            operators::CONDITIONAL => {
                let (c, a, b) = (arg(0), arg(1), arg(2));
                if c.known() && !matches!(c, Ty::Bool | Ty::Dyn) {
                    self.no_overload(id, name, &[c, a, b]);
                    return Ty::Unknown;
                }
                let empty_list = Ty::List(Box::new(Ty::Empty));
                if !a.known() || !b.known() {
                    Ty::Unknown
                } else if a == b || (matches!(a, Ty::List(_)) && b == empty_list) {
                    a
                } else if matches!(b, Ty::List(_)) && a == empty_list {
                    b
                } else if a == Ty::Dyn || b == Ty::Dyn {
                    Ty::Dyn
                } else if a.is_primitive() && b.is_primitive() {
                    self.no_overload(id, name, &[c, a, b]);
                    Ty::Unknown
                } else {
                    Ty::Unknown
                }
            }
            operators::ADD
            | operators::SUBSTRACT
            | operators::MULTIPLY
            | operators::DIVIDE
            | operators::MODULO => {
                let (a, b) = (arg(0), arg(1));
                match (&a, &b) {
                    (Ty::List(x), Ty::List(y)) if name == operators::ADD => {
                        if **x == Ty::Empty {
                            Ty::List(y.clone())
                        } else if **y == Ty::Empty || x == y {
                            Ty::List(x.clone())
                        } else {
                            Ty::Unknown
                        }
                    }
                    _ if a.is_primitive() && b.is_primitive() => {
                        let ok = a == b
                            && match name {
                                operators::ADD => !matches!(a, Ty::Bool),
                                operators::MODULO => matches!(a, Ty::Int | Ty::Uint),
                                _ => a.is_number(),
                            };
                        if ok {
                            a
                        } else {
                            self.no_overload(id, name, &[a, b]);
                            Ty::Unknown
                        }
                    }
                    _ => Ty::Unknown,
                }
            }
            operators::NEGATE => match arg(0) {
                t @ (Ty::Int | Ty::Double | Ty::Dyn) => t,
                _ => Ty::Unknown,
            },
            operators::INDEX => match arg(0) {
                Ty::List(t) => match *t {
                    Ty::Empty => Ty::Unknown,
                    t => t,
                },
                Ty::Map(_, v) => match *v {
                    Ty::Empty => Ty::Unknown,
                    v => v,
                },
                Ty::Dyn => Ty::Dyn,
                _ => Ty::Unknown,
            },
            operators::OPT_INDEX | operators::OPT_SELECT => match arg(0) {
                Ty::Map(_, v) if *v == Ty::Dyn => Ty::Optional(Box::new(Ty::Dyn)),
                Ty::Dyn => Ty::Optional(Box::new(Ty::Dyn)),
                _ => Ty::Unknown,
            },
            _ => self.check_function(name, target, &args),
        }
    }

    fn no_overload(&mut self, id: u64, name: &str, types: &[Ty]) {
        let list: Vec<String> = types.iter().map(Ty::to_string).collect();
        self.error(
            id,
            format!(
                "found no matching overload for '{name}' applied to '({})'",
                list.join(", ")
            ),
        );
    }

    fn check_function(&mut self, name: &str, target: Option<Ty>, args: &[(u64, Ty)]) -> Ty {
        let member = target.is_some();
        match name {
            "startsWith" | "endsWith" | "contains" | "matches" if member => Ty::Bool,
            "matches" if args.len() == 2 => Ty::Bool,
            "hasValue" if member => Ty::Bool,
            "size" => Ty::Int,
            "indexOf" | "lastIndexOf" if member => Ty::Int,
            "lowerAscii" | "upperAscii" | "trim" | "replace" | "substring" | "charAt"
            | "reverse" | "format"
                if matches!(target, Some(Ty::String | Ty::Dyn)) =>
            {
                Ty::String
            }
            "split" if matches!(target, Some(Ty::String | Ty::Dyn)) => {
                Ty::List(Box::new(Ty::String))
            }
            "orValue" | "value" if member => match target {
                Some(Ty::Optional(t)) if *t == Ty::Dyn => Ty::Dyn,
                _ => Ty::Unknown,
            },
            "bool" if !member => Ty::Bool,
            "int" if !member => Ty::Int,
            "uint" if !member => Ty::Uint,
            "double" if !member => Ty::Double,
            "string" if !member => Ty::String,
            "bytes" if !member => Ty::Bytes,
            "dyn" if !member => Ty::Dyn,
            "timestamp" if !member => Ty::Timestamp,
            "duration" if !member => Ty::Duration,
            _ => Ty::Unknown,
        }
    }
}

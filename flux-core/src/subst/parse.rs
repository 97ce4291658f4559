//! The parser: text → [`Template`], a flat tree of text runs and `${…}` expressions
//! with the byte span of each in the source.
//!
//! The parser is a loop over an explicit stack of open expressions, so nesting
//! depth costs heap memory, never call-stack depth, and the tree is stored in one
//! vector (dropping it does not recurse either).

use std::ops::Range;

use super::error::Error;
use super::scan::{Accept, Scanner, Token, ESCAPE, ESC_ALL, ESC_DOLLAR, IDENT, LBRACK, RBRACK};
use super::Operator;

/// Index of a node in its [`Template`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub(crate) usize);

impl NodeId {
    /// The index in [`Template::nodes`].
    pub fn index(self) -> usize {
        self.0
    }
}

/// A run of literal text, escapes already applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// Byte range in the source.
    pub span: Range<usize>,
    /// The text it produces: `$$` is `$` at top level; in the arguments of the
    /// replace operators `\/` is `/`, `\\` is `\` and `$$` is `$`.
    pub value: String,
}

/// One `${…}` expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    /// Byte range in the source, from `$` to the closing `}` included.
    pub span: Range<usize>,
    /// The variable name.
    pub name: String,
    /// Byte range of the name in the source.
    pub name_span: Range<usize>,
    /// The operator as written: `""` for `${v}`, `"#"` for `${#v}` and for
    /// `${v#pattern}`, `":"`, `":="`, `"//"`, …
    pub op: &'static str,
    /// The arguments in order. Each is one text run or one nested expression;
    /// the default operators concatenate theirs, the others use them by position.
    pub args: Vec<NodeId>,
}

impl Expr {
    /// The operator's meaning.
    pub fn operator(&self) -> Operator {
        Operator::classify(self.op, self.args.len())
    }
}

/// A node of a [`Template`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// Literal text.
    Text(Text),
    /// A `${…}` expression.
    Expr(Expr),
}

impl Node {
    /// Byte range in the source.
    pub fn span(&self) -> Range<usize> {
        match self {
            Node::Text(t) => t.span.clone(),
            Node::Expr(e) => e.span.clone(),
        }
    }
}

/// A parsed text: the top-level sequence of nodes and every node in pre-order
/// (a parent expression comes before its arguments, and expressions appear in
/// source order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub(crate) source: String,
    pub(crate) nodes: Vec<Node>,
    pub(crate) root: Vec<NodeId>,
}

impl Template {
    /// The text this template was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The top-level nodes, in order.
    pub fn root(&self) -> &[NodeId] {
        &self.root
    }

    /// One node.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.0]
    }

    /// Every node, in pre-order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Whether the text contains no `${…}` at all.
    pub fn is_literal(&self) -> bool {
        self.nodes.iter().all(|n| matches!(n, Node::Text(_)))
    }
}

/// Every operator text the grammar can produce.
const OPS: &[&str] = &[
    "#", "##", "%", "%%", ",", ",,", "^", "^^", ",^", "^,", ":", "/", "//", "/#", "/%", "=", ":=",
    ":-", ":?", ":+",
];

/// The static copy of an operator text (one allocation less per expression).
fn intern_op(op: &str) -> &'static str {
    OPS.iter()
        .find(|&&o| o == op)
        .copied()
        .unwrap_or_else(|| unreachable!("the scanner only accepts operators in OPS, got {op:?}"))
}

/// Parses `text`.
pub(crate) fn parse(text: &str) -> Result<Template, Error> {
    let mut p = Parser {
        sc: Scanner::new(text),
        nodes: Vec::new(),
        text,
    };
    let root = p.top_level()?;
    Ok(Template {
        source: text.to_string(),
        nodes: p.nodes,
        root,
    })
}

/// The argument layout of an open expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `${v:offset}` / `${v:offset:length}`.
    Substring,
    /// `${v#p}` `${v##p}` `${v%p}` `${v%%p}`.
    Remove,
    /// `${v/p/r}` `${v//p/r}` `${v/#p/r}` `${v/%p/r}`.
    Replace,
    /// `${v=d}` `${v:=d}` `${v:-d}` `${v:?d}` `${v:+d}`.
    Default,
}

/// An expression whose closing brace has not been read yet.
struct Open {
    id: NodeId,
    shape: Shape,
    /// Where it is in its argument list (see `Parser::step`).
    stage: u8,
}

/// What `step` did with the top expression.
enum Step {
    /// An argument starts with a nested `${` (at this offset).
    Nested(usize),
    /// The closing brace was read.
    Closed,
}

/// What parsing an argument found.
enum Param {
    Text(NodeId),
    Nested(usize),
}

/// What parsing the head (`${name` and the operator) of an expression found.
enum Head {
    Closed(NodeId),
    Open(Open),
}

struct Parser<'a> {
    sc: Scanner<'a>,
    nodes: Vec<Node>,
    text: &'a str,
}

impl Parser<'_> {
    fn err(&self, make: fn(super::error::Position) -> Error, offset: usize) -> Error {
        make(super::error::Position::locate(self.text, offset))
    }

    fn push(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        NodeId(self.nodes.len() - 1)
    }

    fn expr_mut(&mut self, id: NodeId) -> &mut Expr {
        match &mut self.nodes[id.0] {
            Node::Expr(e) => e,
            Node::Text(_) => unreachable!("open nodes are expressions"),
        }
    }

    fn text_node(&mut self) -> NodeId {
        let node = Node::Text(Text {
            span: self.sc.start..self.sc.pos,
            value: self.sc.text(),
        });
        self.push(node)
    }

    fn top_level(&mut self) -> Result<Vec<NodeId>, Error> {
        let mut root = Vec::new();
        loop {
            self.sc.accept = Accept::Any;
            self.sc.mode = IDENT | LBRACK | ESCAPE;
            self.sc.escapes = ESC_DOLLAR;
            match self.sc.scan() {
                Token::Ident => root.push(self.text_node()),
                Token::Eof => return Ok(root),
                Token::Lbrack => {
                    let start = self.sc.start;
                    root.push(self.expression(start)?);
                }
                _ => return Err(self.err(Error::bad_substitution, self.sc.start)),
            }
        }
    }

    /// Parses one expression whose `${` starts at `dollar` and has been read,
    /// nested expressions included.
    fn expression(&mut self, dollar: usize) -> Result<NodeId, Error> {
        let mut stack: Vec<Open> = Vec::new();
        let mut begin = Some(dollar);
        let mut done: Option<NodeId> = None;
        loop {
            if let Some(d) = begin.take() {
                match self.head(d)? {
                    Head::Closed(id) => done = Some(id),
                    Head::Open(open) => stack.push(open),
                }
            }
            let Some(top) = stack.last_mut() else {
                return Ok(done.expect("an expression was parsed"));
            };
            if let Some(child) = done.take() {
                // A nested expression completed one argument of `top`.
                let id = top.id;
                top.stage += 1;
                self.expr_mut(id).args.push(child);
            }
            let mut open = stack.pop().expect("non-empty");
            match self.step(&mut open)? {
                Step::Nested(d) => {
                    stack.push(open);
                    begin = Some(d);
                }
                Step::Closed => {
                    let end = self.sc.pos;
                    self.expr_mut(open.id).span.end = end;
                    done = Some(open.id);
                }
            }
        }
    }

    /// Reads one argument.
    fn param(&mut self, accept: Accept, mode: u8) -> Result<Param, Error> {
        self.sc.accept = accept;
        self.sc.mode = mode | LBRACK;
        match self.sc.scan() {
            Token::Lbrack => Ok(Param::Nested(self.sc.start)),
            Token::Ident | Token::Rbrack => Ok(Param::Text(self.text_node())),
            _ => Err(self.err(Error::bad_function, self.sc.start)),
        }
    }

    fn consume_rbrack(&mut self) -> Result<(), Error> {
        self.sc.mode = RBRACK;
        if self.sc.scan() != Token::Rbrack {
            return Err(self.err(Error::bad_substitution, self.sc.start));
        }
        Ok(())
    }

    /// Reads an argument of `open` and moves it on; `Ok(Some(offset))` when the
    /// argument is a nested expression starting at `offset`.
    fn arg(&mut self, open: &mut Open, accept: Accept, mode: u8) -> Result<Option<usize>, Error> {
        match self.param(accept, mode)? {
            Param::Text(t) => {
                self.expr_mut(open.id).args.push(t);
                open.stage += 1;
                Ok(None)
            }
            Param::Nested(d) => Ok(Some(d)),
        }
    }

    /// Advances an open expression until it closes or an argument nests.
    ///
    /// Stages: an even stage reads an argument (and becomes odd once it has it);
    /// an odd stage reads what follows an argument.
    fn step(&mut self, open: &mut Open) -> Result<Step, Error> {
        loop {
            match (open.shape, open.stage) {
                (Shape::Substring, 0) => {
                    if let Some(d) = self.arg(open, Accept::NotColonClose, IDENT)? {
                        return Ok(Step::Nested(d));
                    }
                }
                (Shape::Substring, 1) => {
                    self.sc.accept = Accept::Colons;
                    self.sc.mode = IDENT | RBRACK;
                    match self.sc.scan() {
                        Token::Rbrack => return Ok(Step::Closed),
                        Token::Ident => open.stage = 2,
                        _ => return Err(self.err(Error::bad_substitution, self.sc.start)),
                    }
                }
                (Shape::Substring, 2) | (Shape::Replace, 2) => {
                    let mode = if open.shape == Shape::Replace {
                        IDENT | ESCAPE
                    } else {
                        IDENT
                    };
                    if let Some(d) = self.arg(open, Accept::NotClosing, mode)? {
                        return Ok(Step::Nested(d));
                    }
                }
                (Shape::Remove, 0) => {
                    if let Some(d) = self.arg(open, Accept::NotClosing, IDENT)? {
                        return Ok(Step::Nested(d));
                    }
                }
                (Shape::Replace, 0) => {
                    if let Some(d) = self.arg(open, Accept::NotSlash, IDENT | ESCAPE)? {
                        return Ok(Step::Nested(d));
                    }
                }
                (Shape::Replace, 1) => {
                    self.sc.accept = Accept::Slashes;
                    self.sc.mode = IDENT;
                    if self.sc.scan() != Token::Ident {
                        return Err(self.err(Error::bad_substitution, self.sc.start));
                    }
                    if self.sc.peek() == '}' as u32 {
                        self.consume_rbrack()?;
                        return Ok(Step::Closed);
                    }
                    open.stage = 2;
                }
                (Shape::Default, s) if s % 2 == 1 => {
                    // After an argument: the default operators take any number.
                    open.stage = 0;
                }
                (Shape::Default, _) => {
                    if self.sc.peek() == '}' as u32 {
                        self.consume_rbrack()?;
                        return Ok(Step::Closed);
                    }
                    if let Some(d) = self.arg(open, Accept::NotClosing, IDENT)? {
                        return Ok(Step::Nested(d));
                    }
                }
                // After the last argument.
                _ => {
                    self.consume_rbrack()?;
                    return Ok(Step::Closed);
                }
            }
        }
    }

    fn new_expr(&mut self, dollar: usize, name: String, name_span: Range<usize>) -> NodeId {
        self.push(Node::Expr(Expr {
            span: dollar..self.sc.pos,
            name,
            name_span,
            op: "",
            args: Vec::new(),
        }))
    }

    /// Scans the operator with `accept`; `make` is the error when there is none.
    fn operator(
        &mut self,
        id: NodeId,
        accept: Accept,
        make: fn(super::error::Position) -> Error,
    ) -> Result<(), Error> {
        self.sc.accept = accept;
        self.sc.mode = IDENT;
        if self.sc.scan() != Token::Ident {
            return Err(self.err(make, self.sc.start));
        }
        let op = intern_op(&self.sc.text());
        self.expr_mut(id).op = op;
        Ok(())
    }

    fn open(id: NodeId, shape: Shape) -> Head {
        Head::Open(Open {
            id,
            shape,
            stage: 0,
        })
    }

    /// Parses `name` and the operator after a `${` at `dollar`.
    fn head(&mut self, dollar: usize) -> Result<Head, Error> {
        self.sc.escapes = ESC_ALL;
        if self.sc.peek() == '#' as u32 {
            // ${#name}
            let id = self.new_expr(dollar, String::new(), 0..0);
            self.operator(id, Accept::OneHash, Error::bad_substitution)?;
            self.sc.accept = Accept::Name;
            self.sc.mode = IDENT;
            if self.sc.scan() != Token::Ident {
                return Err(self.err(Error::bad_substitution, self.sc.start));
            }
            let (name, span) = (self.sc.text(), self.sc.start..self.sc.pos);
            let e = self.expr_mut(id);
            e.name = name;
            e.name_span = span;
            self.consume_rbrack()?;
            self.expr_mut(id).span.end = self.sc.pos;
            return Ok(Head::Closed(id));
        }

        self.sc.accept = Accept::Name;
        self.sc.mode = IDENT;
        if self.sc.scan() != Token::Ident {
            return Err(self.err(Error::bad_name, self.sc.start));
        }
        let name = self.sc.text();
        let id = self.new_expr(dollar, name, self.sc.start..self.sc.pos);

        let next = char::from_u32(self.sc.peek()).unwrap_or('\0');
        match next {
            ':' => self.default_or_substring(id),
            '=' => {
                self.operator(id, Accept::OneEqual, Error::bad_default)?;
                Ok(Self::open(id, Shape::Default))
            }
            ',' | '^' => {
                self.operator(id, Accept::Casing, Error::bad_substitution)?;
                self.consume_rbrack()?;
                self.expr_mut(id).span.end = self.sc.pos;
                Ok(Head::Closed(id))
            }
            '/' => {
                self.operator(id, Accept::Replace, Error::bad_substitution)?;
                Ok(Self::open(id, Shape::Replace))
            }
            '#' => {
                self.operator(id, Accept::Hashes, Error::bad_substitution)?;
                Ok(Self::open(id, Shape::Remove))
            }
            '%' => {
                self.operator(id, Accept::Percents, Error::bad_substitution)?;
                Ok(Self::open(id, Shape::Remove))
            }
            _ => {
                self.sc.accept = Accept::Name;
                self.sc.mode = RBRACK;
                if self.sc.scan() != Token::Rbrack {
                    return Err(self.err(Error::missing_brace, self.sc.start));
                }
                self.expr_mut(id).span.end = self.sc.pos;
                Ok(Head::Closed(id))
            }
        }
    }

    /// `${name:` is either a default operator (`:=`, `:-`, `:?`, `:+`) or a
    /// substring.
    ///
    /// The look-ahead steps back by the width of the character *after* the colon,
    /// so when that character is longer than one byte the scanner lands before the
    /// colon and the substring operator cannot be read: `${v:é}` is a "bad
    /// substitution", as in Flux. At the end of the input it steps back by
    /// nothing, and `${v:` is a "bad substitution" too.
    fn default_or_substring(&mut self, id: NodeId) -> Result<Head, Error> {
        let colon = self.sc.pos;
        self.sc.read();
        let r = self.sc.peek();
        self.sc.unread();
        if [b'=', b'-', b'?', b'+'].iter().any(|&c| r == u32::from(c)) {
            let accept = if self.sc.peek() == '=' as u32 {
                Accept::OneEqual
            } else {
                Accept::ColonDefault
            };
            self.operator(id, accept, Error::bad_default)?;
            return Ok(Self::open(id, Shape::Default));
        }
        match self.operator(id, Accept::OneColon, Error::bad_substitution) {
            Ok(()) => Ok(Self::open(id, Shape::Substring)),
            // Report the character after the colon rather than where the
            // scanner landed.
            Err(e) => Err(self.err(Error::bad_substitution, e.offset().max(colon + 1))),
        }
    }
}

//! Multi-document YAML loading into a position-carrying tree.
//!
//! [`parse_documents`] (or [`parse_bytes`] for raw file contents) splits a YAML
//! stream into its documents, parses each one separately with `serde-saphyr`
//! and returns a [`Node`] tree per document, in which every node and every
//! mapping key carries its 1-based line and column in the *whole* input.
//! A broken document does not lose the others: it gets `root: None` and a
//! [`Diagnostic`], and loading goes on with the next document. Nothing in here
//! panics, whatever the input.
//!
//! Diagnostic codes produced:
//!
//! | code | severity | when |
//! | --- | --- | --- |
//! | `yaml.syntax` | error | the document is not valid YAML |
//! | `yaml.duplicate_key` | error | a mapping repeats a key (the last value is kept) |
//! | `yaml.complex_key` | error | a mapping key is itself a mapping or a sequence (the entry is dropped) |
//! | `yaml.limit` | error | nesting, alias or node limits were exceeded (alias bombs, deep nesting) |
//! | `yaml.file_too_large` | error | the input is larger than [`LoadOptions::max_bytes`] |
//! | `yaml.invalid_utf8` | error | [`parse_bytes`] found bytes that are not UTF-8 |
//! | `yaml.empty` | info | no document has any content |
//!
//! Messages never quote the YAML source (a Secret's values must not leak into
//! reports): they are the parser's short message only, and its position.
//!
//! ```
//! use fluxcd_core::yaml::{parse_documents, parse_path, LoadOptions, Pos};
//!
//! let text = "\
//! ---
//! apiVersion: v1
//! kind: ConfigMap
//! metadata:
//!   name: demo
//! data:
//!   replicas: \"3\"
//! ---
//! kind: Namespace
//! ";
//! let (docs, diags) = parse_documents(text, &LoadOptions::default());
//! assert!(diags.is_empty());
//! assert_eq!(docs.len(), 2);
//! assert_eq!(docs[1].start_line, 8);
//!
//! let root = docs[0].root.as_ref().unwrap();
//! assert_eq!(root.get("kind").and_then(|n| n.as_str()), Some("ConfigMap"));
//! let name = root.find(&parse_path("metadata.name")).unwrap();
//! assert_eq!(name.as_str(), Some("demo"));
//! // Positions of fields point at the key.
//! assert_eq!(root.locate("metadata.name"), Some(Pos { line: 5, column: 3 }));
//! assert_eq!(root.to_json()["data"]["replicas"], "3");
//! ```

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_saphyr::granit_parser::ErrorKind as ScanErrorKind;
use serde_saphyr::{
    Budget, DuplicateKeyPolicy, ExternalMessageSource, MessageFormatter, NonFiniteFloatPolicy,
    Options, Spanned, UserMessageFormatter,
};

use crate::diagnostic::{Diagnostic, Location};

/// A 1-based line and column (in characters) in the loaded input.
///
/// `0` means unknown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// 1-based line in the whole input (not in the document).
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One YAML node with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node starts. For an alias (`*a`) this is where the alias is used.
    pub pos: Pos,
    /// The node's value.
    pub value: NodeValue,
}

/// The value of a [`Node`], following the YAML 1.2 core schema as `serde-saphyr` resolves it.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// `null`, `~`, or an empty value.
    Null,
    /// A boolean (`serde-saphyr` also accepts the YAML 1.1 forms `yes`/`no`/`on`/`off`/`y`/`n`).
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// A positive integer above `i64::MAX` that fits `u64`.
    UInt(u64),
    /// A floating-point number (possibly non-finite: `.inf`, `.nan`).
    Float(f64),
    /// A string; quoted scalars always stay strings.
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order, with unique keys (for a duplicated key the last value is kept).
    Map(Vec<Entry>),
}

/// One mapping entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as a string; non-string scalar keys get their string form (`1`, `true`, `null`).
    pub key: String,
    /// Where the key is.
    pub key_pos: Pos,
    /// The value.
    pub value: Node,
}

/// One document of a YAML stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Zero-based index of the document in the stream; empty documents count.
    pub index: usize,
    /// Line of the document's `---` marker, or of its first content line when it has no marker.
    pub start_line: u32,
    /// The document's root node; `None` for an empty document or one that failed to load.
    pub root: Option<Node>,
}

/// Limits applied while loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Largest input accepted, in bytes; larger inputs give `yaml.file_too_large`. Default 32 MiB.
    pub max_bytes: usize,
    /// Deepest nesting of collections in a document. Default 128.
    pub max_depth: usize,
    /// Most alias (`*name`) uses in a document. Default 1000.
    pub max_aliases: usize,
    /// Most nodes in a document, counting nodes produced by aliases. Default 1,000,000.
    pub max_nodes: usize,
    /// Most parser events replayed or retained for anchors and aliases in a document
    /// (the budget that stops "billion laughs" alias bombs). Default 100,000.
    pub max_alias_events: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_bytes: 32 * 1024 * 1024,
            max_depth: 128,
            max_aliases: 1000,
            max_nodes: 1_000_000,
            max_alias_events: 100_000,
        }
    }
}

/// One step of a path into a document: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSeg {
    /// A mapping key.
    Key(String),
    /// A zero-based sequence index.
    Index(usize),
}

// ---------------------------------------------------------------------------
// Node accessors
// ---------------------------------------------------------------------------

impl Node {
    /// Converts the tree to JSON; mappings keep their key order.
    ///
    /// Non-finite floats (`.inf`, `.nan`) have no JSON form and become `null`.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Int(i) => Value::from(*i),
            NodeValue::UInt(u) => Value::from(*u),
            NodeValue::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number)
            }
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            NodeValue::Map(entries) => {
                let mut map = serde_json::Map::with_capacity(entries.len());
                for e in entries {
                    map.insert(e.key.clone(), e.value.to_json());
                }
                Value::Object(map)
            }
        }
    }

    /// The value of `key` when this node is a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The entry (key, key position and value) of `key` when this node is a mapping.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.value {
            NodeValue::Map(entries) => entries.iter().find(|e| e.key == key),
            _ => None,
        }
    }

    /// The string when this node is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean when this node is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self.value {
            NodeValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The integer when this node is an integer that fits `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self.value {
            NodeValue::Int(i) => Some(i),
            _ => None,
        }
    }

    /// The items when this node is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            NodeValue::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The entries when this node is a mapping.
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            NodeValue::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// True when this node is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.value, NodeValue::Null)
    }

    /// The JSON-schema name of the node's type: `null`, `boolean`, `integer`, `number`,
    /// `string`, `array` or `object`.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "boolean",
            NodeValue::Int(_) | NodeValue::UInt(_) => "integer",
            NodeValue::Float(_) => "number",
            NodeValue::String(_) => "string",
            NodeValue::Seq(_) => "array",
            NodeValue::Map(_) => "object",
        }
    }

    /// The node at `path` below this one (an empty path gives this node).
    pub fn find(&self, path: &[PathSeg]) -> Option<&Node> {
        let mut node = self;
        for seg in path {
            node = node.step(seg)?.1;
        }
        Some(node)
    }

    /// The position to report for the dotted `path` (see [`parse_path`]).
    ///
    /// Walks as far as the path exists and returns the position of the deepest node
    /// reached; a node reached through a mapping entry is reported at its key, since
    /// diagnostics point at the field name. So for a missing last key this is the
    /// position of the parent mapping (its key, or the node itself at the root).
    /// With an empty path it is this node's own position; the result is always `Some`.
    pub fn locate(&self, path: &str) -> Option<Pos> {
        let mut node = self;
        let mut pos = self.pos;
        for seg in parse_path(path) {
            match node.step(&seg) {
                Some((p, next)) => {
                    pos = p;
                    node = next;
                }
                None => break,
            }
        }
        Some(pos)
    }

    /// One step down: the position to report for the child and the child itself.
    fn step(&self, seg: &PathSeg) -> Option<(Pos, &Node)> {
        match (seg, &self.value) {
            (PathSeg::Key(k), NodeValue::Map(entries)) => entries
                .iter()
                .find(|e| e.key == *k)
                .map(|e| (e.key_pos, &e.value)),
            (PathSeg::Index(i), NodeValue::Seq(items)) => items.get(*i).map(|n| (n.pos, n)),
            _ => None,
        }
    }
}

/// Parses a dotted path such as `spec.dependsOn[1].name` into its steps.
///
/// Keys are separated by `.`; `[N]` is a sequence index; a key containing dots or
/// brackets is written `["a.b"]` (or `['a.b']`, with `\"`/`\\` escapes inside).
/// The parser is lenient: an unquoted non-numeric `[x]` is taken as the key `x`,
/// an unterminated bracket makes the rest a key, and empty keys between dots are skipped.
pub fn parse_path(p: &str) -> Vec<PathSeg> {
    let mut out = Vec::new();
    let mut chars = p.char_indices().peekable();
    let mut key = String::new();
    let flush = |key: &mut String, out: &mut Vec<PathSeg>| {
        if !key.is_empty() {
            out.push(PathSeg::Key(std::mem::take(key)));
        }
    };
    while let Some((i, c)) = chars.next() {
        match c {
            '.' => flush(&mut key, &mut out),
            '[' => {
                flush(&mut key, &mut out);
                let rest = &p[i + 1..];
                match parse_bracket(rest) {
                    Some((seg, used)) => {
                        out.push(seg);
                        // Skip the consumed characters (`used` bytes of `rest`).
                        while let Some(&(j, _)) = chars.peek() {
                            if j < i + 1 + used {
                                chars.next();
                            } else {
                                break;
                            }
                        }
                    }
                    None => {
                        // Unterminated: the rest of the path is one key.
                        if !rest.is_empty() {
                            out.push(PathSeg::Key(rest.to_string()));
                        }
                        return out;
                    }
                }
            }
            _ => key.push(c),
        }
    }
    flush(&mut key, &mut out);
    out
}

/// Parses the inside of `[...]` (without the `[`); returns the step and the bytes used
/// including the closing `]`.
fn parse_bracket(rest: &str) -> Option<(PathSeg, usize)> {
    let mut it = rest.char_indices();
    match it.next() {
        Some((_, q @ ('"' | '\''))) => {
            let mut key = String::new();
            let mut escaped = false;
            for (j, c) in it {
                if escaped {
                    key.push(c);
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    // Expect the closing bracket right after the quote.
                    let after = &rest[j + c.len_utf8()..];
                    return if after.starts_with(']') {
                        Some((PathSeg::Key(key), j + c.len_utf8() + 1))
                    } else {
                        None
                    };
                } else {
                    key.push(c);
                }
            }
            None
        }
        _ => {
            let end = rest.find(']')?;
            let inner = rest[..end].trim();
            let seg = match inner.parse::<usize>() {
                Ok(i) => PathSeg::Index(i),
                Err(_) => PathSeg::Key(inner.to_string()),
            };
            Some((seg, end + 1))
        }
    }
}

// ---------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------

/// Loads every document of a YAML stream given as raw bytes.
///
/// Checks the size limit first (without looking at the bytes), then decodes: bytes
/// that are not UTF-8 give one `yaml.invalid_utf8` error at the first bad byte, and
/// the lossily decoded text (bad bytes replaced by U+FFFD) is loaded anyway, so the
/// other documents still load. See [`parse_documents`].
pub fn parse_bytes(bytes: &[u8], opts: &LoadOptions) -> (Vec<Document>, Vec<Diagnostic>) {
    if bytes.len() > opts.max_bytes {
        return (Vec::new(), vec![too_large(bytes.len(), opts.max_bytes)]);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_documents(text, opts),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let line = count_newlines(good) + 1;
            // The prefix is valid UTF-8, so counting non-continuation bytes counts characters.
            let mut column = good[line_start..]
                .iter()
                .filter(|&&b| (b & 0xC0) != 0x80)
                .count()
                + 1;
            if line == 1 && good.starts_with("\u{feff}".as_bytes()) {
                column -= 1; // a leading BOM is not a column
            }
            let text = String::from_utf8_lossy(bytes);
            let (docs, mut diags) = parse_documents(&text, opts);
            let line = to_u32(line);
            let document = docs
                .iter()
                .rev()
                .find(|d| d.start_line <= line)
                .map_or(0, |d| d.index);
            let d = Diagnostic::error(
                "yaml.invalid_utf8",
                "input is not valid UTF-8; invalid bytes were replaced with U+FFFD",
            )
            .at(location(
                document,
                Pos {
                    line,
                    column: to_u32(column),
                },
            ))
            .with_hint("save the file as UTF-8");
            diags.insert(0, d);
            (docs, diags)
        }
    }
}

/// Loads every document of a YAML stream.
///
/// Returns one [`Document`] per document of the stream (empty ones included, with
/// `root: None`) and the diagnostics found, in input order. Diagnostics carry the
/// document index and whole-input line:column; their `file` is left `None` for the
/// caller to fill in.
pub fn parse_documents(text: &str, opts: &LoadOptions) -> (Vec<Document>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    if text.len() > opts.max_bytes {
        diags.push(too_large(text.len(), opts.max_bytes));
        return (Vec::new(), diags);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let chunks = split_documents(text);
    let saphyr = saphyr_options(opts);
    let mut docs = Vec::with_capacity(chunks.len());
    for (index, chunk) in chunks.iter().enumerate() {
        let root = if chunk.empty {
            None
        } else {
            parse_chunk(
                &text[chunk.start..chunk.end],
                chunk,
                index,
                &saphyr,
                opts,
                &mut diags,
            )
        };
        docs.push(Document {
            index,
            start_line: chunk.start_line,
            root,
        });
    }
    if docs.iter().all(|d| d.root.is_none()) && !diags.iter().any(Diagnostic::is_error) {
        diags.push(
            Diagnostic::info("yaml.empty", "no YAML documents")
                .at(location(0, Pos { line: 1, column: 1 })),
        );
    }
    (docs, diags)
}

fn too_large(len: usize, max: usize) -> Diagnostic {
    Diagnostic::error(
        "yaml.file_too_large",
        format!("input is {len} bytes, more than the limit of {max} bytes; nothing was loaded"),
    )
    .at(location(0, Pos { line: 1, column: 1 }))
}

fn location(document: usize, pos: Pos) -> Location {
    Location {
        file: None,
        document,
        line: pos.line,
        column: pos.column,
        path: String::new(),
    }
}

fn count_newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------
// Splitting a stream into documents
// ---------------------------------------------------------------------------

/// A byte range of the input holding one document.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Chunk {
    start: usize,
    end: usize,
    /// Line of `start` (1-based): parser lines are offset by `first_line - 1`.
    first_line: u32,
    /// [`Document::start_line`].
    start_line: u32,
    /// No content at all: not parsed, `root: None`.
    empty: bool,
}

struct OpenChunk {
    start: usize,
    first_line: u32,
    start_line: u32,
    explicit: bool,
    has_content: bool,
    has_directive: bool,
}

impl OpenChunk {
    fn new(start: usize, first_line: u32) -> Self {
        OpenChunk {
            start,
            first_line,
            start_line: 0,
            explicit: false,
            has_content: false,
            has_directive: false,
        }
    }

    /// Whether it is a document (rather than comments between documents).
    fn is_document(&self) -> bool {
        self.explicit || self.has_content || self.has_directive
    }

    fn finish(&self, end: usize) -> Chunk {
        Chunk {
            start: self.start,
            end,
            first_line: self.first_line,
            start_line: if self.start_line == 0 {
                self.first_line
            } else {
                self.start_line
            },
            empty: !self.has_content,
        }
    }
}

/// `---` or `...` at column 0, followed by whitespace or the end of the line.
fn is_marker(line: &[u8], c: u8) -> bool {
    line.len() >= 3
        && line[0] == c
        && line[1] == c
        && line[2] == c
        && matches!(line.get(3), None | Some(b' ' | b'\t' | b'\r' | b'\n'))
}

/// Whether a line (outside a `---`/`...` marker) is neither blank nor a comment.
fn is_content(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\t', '\r', '\n']);
    !t.is_empty() && !t.starts_with('#')
}

/// Splits the stream at document markers. YAML forbids `---` and `...` at column 0 inside
/// a document's content, so these lines always separate documents.
fn split_documents(text: &str) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut cur = OpenChunk::new(0, 1);
    let mut offset = 0usize;
    let mut line_no: u32 = 0;
    for line in text.split_inclusive('\n') {
        line_no = line_no.saturating_add(1);
        let line_start = offset;
        offset += line.len();
        let bytes = line.as_bytes();
        if is_marker(bytes, b'-') {
            if cur.explicit || cur.has_content {
                chunks.push(cur.finish(line_start));
                cur = OpenChunk::new(line_start, line_no);
            } else if !cur.has_directive {
                // Only comments so far: they belong to no document.
                cur = OpenChunk::new(line_start, line_no);
            }
            // else: directives before `---` stay in this document's text.
            cur.explicit = true;
            cur.start_line = line_no;
            if is_content(&line[3..]) {
                cur.has_content = true;
            }
        } else if is_marker(bytes, b'.') {
            if cur.is_document() {
                chunks.push(cur.finish(offset));
            }
            cur = OpenChunk::new(offset, line_no.saturating_add(1));
        } else if !cur.has_content && is_content(line) {
            if !cur.explicit && bytes[0] == b'%' {
                cur.has_directive = true;
            } else {
                cur.has_content = true;
                if cur.start_line == 0 {
                    cur.start_line = line_no;
                }
            }
        }
    }
    if cur.is_document() {
        chunks.push(cur.finish(text.len()));
    }
    chunks
}

// ---------------------------------------------------------------------------
// Parsing one document
// ---------------------------------------------------------------------------

fn saphyr_options(opts: &LoadOptions) -> Options {
    let mut budget = Budget::default();
    budget.max_depth = opts.max_depth;
    budget.flow_nesting_limit = opts.max_depth.saturating_add(1);
    budget.max_aliases = opts.max_aliases;
    budget.max_nodes = opts.max_nodes;
    budget.max_events = opts.max_nodes.saturating_mul(3);
    budget.max_recorded_anchor_events = opts.max_alias_events;
    // The replay limits below stop alias bombs; the ratio heuristic would only add
    // false positives on files that use one anchor many times.
    budget.enforce_alias_anchor_ratio = false;

    let mut o = Options::default();
    o.budget = Some(budget);
    o.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    o.alias_limits.max_total_replayed_events = opts.max_alias_events;
    o.non_finite_float_policy = NonFiniteFloatPolicy::PassThrough;
    // Never render source snippets into errors: they could show Secret values.
    o.with_snippet = false;
    o.crop_radius = 0;
    o
}

/// A finding made inside the visitors (positions are already whole-input).
struct Pending {
    code: &'static str,
    message: String,
    pos: Pos,
}

thread_local! {
    /// Lines before the document being parsed (added to parser line numbers).
    static LINE_BASE: Cell<u32> = const { Cell::new(0) };
    /// Current collection nesting in the visitors.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// Nesting at which the visitors give up (a backstop behind the parser budget).
    static MAX_DEPTH: Cell<usize> = const { Cell::new(usize::MAX) };
    /// Whether the visitors stopped on their own depth limit.
    static LIMIT_HIT: Cell<bool> = const { Cell::new(false) };
    /// Findings of the visitors for the document being parsed.
    static PENDING: RefCell<Vec<Pending>> = const { RefCell::new(Vec::new()) };
}

fn record(code: &'static str, message: String, pos: Pos) {
    PENDING.with(|p| p.borrow_mut().push(Pending { code, message, pos }));
}

fn parse_chunk(
    src: &str,
    chunk: &Chunk,
    index: usize,
    saphyr: &Options,
    opts: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> Option<Node> {
    let base = chunk.first_line - 1;
    LINE_BASE.set(base);
    DEPTH.set(0);
    MAX_DEPTH.set(opts.max_depth.saturating_add(8));
    LIMIT_HIT.set(false);
    PENDING.with(|p| p.borrow_mut().clear());

    let result = serde_saphyr::from_str_with_options::<NodeDe>(src, saphyr.clone());

    let pending = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
    for p in pending {
        let mut d = Diagnostic::error(p.code, p.message).at(location(index, p.pos));
        if p.code == "yaml.duplicate_key" {
            d = d.with_hint("Kubernetes rejects duplicate keys; keep only one of them");
        }
        diags.push(d);
    }
    match result {
        Ok(NodeDe(node)) => Some(node),
        Err(err) => {
            let code = if is_limit_error(&err) || LIMIT_HIT.get() {
                "yaml.limit"
            } else {
                "yaml.syntax"
            };
            let pos = match err.location() {
                Some(loc) if loc.line() > 0 => {
                    let last_line = base.saturating_add(count_newlines(src.as_bytes()) as u32 + 1);
                    Pos {
                        line: base.saturating_add(clamp_u32(loc.line())).min(last_line),
                        column: clamp_u32(loc.column()).max(1),
                    }
                }
                _ => Pos {
                    line: chunk.start_line,
                    column: 1,
                },
            };
            diags.push(Diagnostic::error(code, error_message(&err)).at(location(index, pos)));
            None
        }
    }
}

fn clamp_u32(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The error inside snippet and alias wrappers.
fn innermost(mut err: &serde_saphyr::Error) -> &serde_saphyr::Error {
    loop {
        match err {
            serde_saphyr::Error::WithSnippet { error, .. }
            | serde_saphyr::Error::AliasError { error, .. } => err = error,
            _ => return err,
        }
    }
}

fn is_limit_error(err: &serde_saphyr::Error) -> bool {
    use serde_saphyr::Error as E;
    match innermost(err) {
        E::Budget { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => true,
        E::ExternalMessage { source, .. } => matches!(
            source.as_ref(),
            ExternalMessageSource::Parser(scan)
                if matches!(scan.kind(), ScanErrorKind::RecursionLimitExceeded)
        ),
        _ => false,
    }
}

/// The parser's short message: no source snippet, no location suffix, no control characters.
fn error_message(err: &serde_saphyr::Error) -> String {
    let msg = UserMessageFormatter.format_message(innermost(err));
    let mut out = String::with_capacity(msg.len().min(200));
    for c in msg.chars() {
        if out.len() >= 200 {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { ' ' } else { c });
    }
    let trimmed = out.trim();
    if trimmed.is_empty() {
        "invalid YAML".to_string()
    } else {
        trimmed.to_string()
    }
}

/// Shortens and escapes a key for a message.
fn show_key(key: &str) -> String {
    let mut s: String = key
        .chars()
        .take(80)
        .collect::<String>()
        .escape_debug()
        .collect();
    if key.chars().count() > 80 {
        s.push('…');
    }
    s
}

// ---------------------------------------------------------------------------
// Deserialization into Node
// ---------------------------------------------------------------------------

fn pos_of(loc: &serde_saphyr::Location) -> Pos {
    let line = loc.line();
    if line == 0 {
        return Pos::default();
    }
    Pos {
        line: LINE_BASE.get().saturating_add(clamp_u32(line)),
        column: clamp_u32(loc.column()),
    }
}

/// A [`Node`] read from `serde-saphyr`; private so that only this module drives it.
struct NodeDe(Node);

impl<'de> Deserialize<'de> for NodeDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<ValueDe>::deserialize(d)?;
        Ok(NodeDe(Node {
            pos: pos_of(&s.referenced),
            value: s.value.0,
        }))
    }
}

struct ValueDe(NodeValue);

impl<'de> Deserialize<'de> for ValueDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor).map(ValueDe)
    }
}

/// Counts collection nesting while it lives.
struct DepthGuard;

impl DepthGuard {
    fn enter<E: de::Error>() -> Result<Self, E> {
        let depth = DEPTH.get() + 1;
        DEPTH.set(depth);
        if depth > MAX_DEPTH.get() {
            LIMIT_HIT.set(true);
            return Err(E::custom("collections are nested too deeply"));
        }
        Ok(DepthGuard)
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.set(DEPTH.get().saturating_sub(1));
    }
}

/// Mappings longer than this get a hash index for duplicate detection.
const LINEAR_SCAN_MAX: usize = 16;

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = NodeValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<NodeValue, E> {
        Ok(NodeValue::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<NodeValue, E> {
        Ok(NodeValue::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<NodeValue, E> {
        Ok(match i64::try_from(v) {
            Ok(i) => NodeValue::Int(i),
            Err(_) => NodeValue::UInt(v),
        })
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<NodeValue, E> {
        Ok(if let Ok(i) = i64::try_from(v) {
            NodeValue::Int(i)
        } else if let Ok(u) = u64::try_from(v) {
            NodeValue::UInt(u)
        } else {
            NodeValue::Float(v as f64)
        })
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<NodeValue, E> {
        Ok(if let Ok(i) = i64::try_from(v) {
            NodeValue::Int(i)
        } else if let Ok(u) = u64::try_from(v) {
            NodeValue::UInt(u)
        } else {
            NodeValue::Float(v as f64)
        })
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<NodeValue, E> {
        Ok(NodeValue::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<NodeValue, E> {
        Ok(NodeValue::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<NodeValue, E> {
        Ok(NodeValue::String(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<NodeValue, E> {
        Ok(NodeValue::String(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<NodeValue, E> {
        Ok(NodeValue::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<NodeValue, D::Error> {
        d.deserialize_any(ValueVisitor)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<NodeValue, D::Error> {
        d.deserialize_any(ValueVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<NodeValue, A::Error> {
        let _guard = DepthGuard::enter::<A::Error>()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(NodeDe(node)) = seq.next_element()? {
            items.push(node);
        }
        Ok(NodeValue::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NodeValue, A::Error> {
        let _guard = DepthGuard::enter::<A::Error>()?;
        let mut entries: Vec<Entry> = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1024));
        let mut index: Option<HashMap<String, usize>> = None;
        while let Some(key) = map.next_key::<Spanned<KeyDe>>()? {
            let key_pos = pos_of(&key.referenced);
            let key = match key.value {
                KeyDe::Str(k) => k,
                KeyDe::Complex => {
                    map.next_value::<IgnoredAny>()?;
                    record(
                        "yaml.complex_key",
                        "a mapping or sequence used as a mapping key is not supported; the entry is ignored"
                            .to_string(),
                        key_pos,
                    );
                    continue;
                }
            };
            let NodeDe(value) = map.next_value()?;
            let existing = match &index {
                Some(ix) => ix.get(key.as_str()).copied(),
                None => entries.iter().position(|e| e.key == key),
            };
            if let Some(i) = existing {
                record(
                    "yaml.duplicate_key",
                    format!(
                        "duplicate key `{}` (first at line {}); the last value is kept",
                        show_key(&key),
                        entries[i].key_pos.line
                    ),
                    key_pos,
                );
                let e = &mut entries[i];
                e.key_pos = key_pos;
                e.value = value;
                continue;
            }
            if let Some(ix) = &mut index {
                ix.insert(key.clone(), entries.len());
            }
            entries.push(Entry {
                key,
                key_pos,
                value,
            });
            if index.is_none() && entries.len() > LINEAR_SCAN_MAX {
                index = Some(
                    entries
                        .iter()
                        .enumerate()
                        .map(|(i, e)| (e.key.clone(), i))
                        .collect(),
                );
            }
        }
        Ok(NodeValue::Map(entries))
    }
}

/// A mapping key: its string form, or a collection (unsupported).
enum KeyDe {
    Str(String),
    Complex,
}

impl<'de> Deserialize<'de> for KeyDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = KeyDe;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<KeyDe, E> {
        Ok(KeyDe::Str(if v { "true" } else { "false" }.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<KeyDe, E> {
        Ok(KeyDe::Str(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<KeyDe, E> {
        Ok(KeyDe::Str(v.to_string()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<KeyDe, E> {
        Ok(KeyDe::Str(v.to_string()))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<KeyDe, E> {
        Ok(KeyDe::Str(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<KeyDe, E> {
        Ok(KeyDe::Str(v.to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyDe, E> {
        Ok(KeyDe::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<KeyDe, E> {
        Ok(KeyDe::Str(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<KeyDe, E> {
        Ok(KeyDe::Str(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<KeyDe, E> {
        Ok(KeyDe::Str("null".to_string()))
    }

    fn visit_none<E: de::Error>(self) -> Result<KeyDe, E> {
        Ok(KeyDe::Str("null".to_string()))
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<KeyDe, D::Error> {
        d.deserialize_any(KeyVisitor)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<KeyDe, D::Error> {
        d.deserialize_any(KeyVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyDe, A::Error> {
        let _guard = DepthGuard::enter::<A::Error>()?;
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(KeyDe::Complex)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<KeyDe, A::Error> {
        let _guard = DepthGuard::enter::<A::Error>()?;
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(KeyDe::Complex)
    }
}

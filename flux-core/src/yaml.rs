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
//! | `yaml.complex_key` | error | a mapping key is a mapping, a sequence or an unreadable tagged scalar (the entry is dropped) |
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
    /// Where the node starts, as the parser reports it: a block mapping or sequence
    /// starts at its first key or `-`, a flow collection at its bracket, a quoted scalar
    /// at its quote, a block scalar (`|`, `>`) at its first content line. For an alias
    /// (`*a`) and for entries brought in by a merge key (`<<: *a`) it is where they
    /// are used, not where the anchor is defined.
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
    /// Deepest nesting of collections in a document. Default 128; values above 10,000
    /// are treated as 10,000.
    pub max_depth: usize,
    /// Most alias (`*name`) uses in a document. Default 1000.
    pub max_aliases: usize,
    /// Most nodes in a document, counting nodes produced by aliases. Default 250,000
    /// (the largest real CRD documents have about 20,000).
    pub max_nodes: usize,
    /// Most parser events recorded for anchors in a document (twice as many may be
    /// replayed by aliases): the budget that stops "billion laughs" alias bombs.
    /// Default 20,000. The number of merge keys (`<<`) is capped at `max_aliases`.
    pub max_alias_events: usize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_bytes: 32 * 1024 * 1024,
            max_depth: 128,
            max_aliases: 1000,
            max_nodes: 250_000,
            max_alias_events: 20_000,
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
/// that are not UTF-8 give one `yaml.invalid_utf8` error (listed first) at the first
/// bad byte, and the lossily decoded text (bad bytes replaced by U+FFFD) is loaded
/// anyway, so the other documents still load. Input starting with a UTF-16 byte order
/// mark gets only that error. See [`parse_documents`].
pub fn parse_bytes(bytes: &[u8], opts: &LoadOptions) -> (Vec<Document>, Vec<Diagnostic>) {
    if bytes.len() > opts.max_bytes {
        return (Vec::new(), vec![too_large(bytes.len(), opts.max_bytes)]);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let d = Diagnostic::error(
            "yaml.invalid_utf8",
            "input looks like UTF-16 (it starts with a UTF-16 byte order mark); only UTF-8 is \
             supported, nothing was loaded",
        )
        .at(location(0, Pos { line: 1, column: 1 }))
        .with_hint("save the file as UTF-8");
        return (Vec::new(), vec![d]);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => load_text(text, opts),
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
            // The size was checked on the bytes; the lossy text may be longer.
            let text = String::from_utf8_lossy(bytes);
            let (docs, mut diags) = load_text(&text, opts);
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
    if text.len() > opts.max_bytes {
        return (Vec::new(), vec![too_large(text.len(), opts.max_bytes)]);
    }
    load_text(text, opts)
}

/// [`parse_documents`] without the size check.
fn load_text(text: &str, opts: &LoadOptions) -> (Vec<Document>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let chunks = split_documents(text);
    let mut docs = Vec::with_capacity(chunks.len());
    for (index, chunk) in chunks.iter().enumerate() {
        let root = if chunk.empty {
            None
        } else {
            parse_chunk(
                &text[chunk.start..chunk.end],
                chunk,
                index,
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

/// Nesting up to which a document is parsed on the caller's stack. `serde-saphyr`
/// recurses once per nesting level, with large frames (about 5 KiB a level in release
/// builds, 25-50 KiB in debug builds), so a document that nests deeper than this is
/// parsed again on a thread with a stack sized for [`LoadOptions::max_depth`]. Real
/// Kubernetes documents nest at most about 40 levels (big CRD schemas).
const SHALLOW_DEPTH: usize = if cfg!(debug_assertions) { 16 } else { 64 };

/// Stack bytes reserved per nesting level on the deep-parse thread (generous for debug builds).
const STACK_PER_LEVEL: usize = 64 * 1024;

/// Deepest nesting ever allowed, whatever [`LoadOptions::max_depth`] says (keeps the
/// deep-parse thread's stack reservation bounded).
const DEPTH_CEILING: usize = 10_000;

fn saphyr_options(opts: &LoadOptions, max_depth: usize) -> Options {
    let mut budget = Budget::default();
    budget.max_depth = max_depth;
    budget.flow_nesting_limit = max_depth.saturating_add(1);
    budget.max_aliases = opts.max_aliases;
    budget.max_nodes = opts.max_nodes;
    budget.max_events = opts.max_nodes.saturating_mul(3);
    budget.max_recorded_anchor_events = opts.max_alias_events;
    budget.max_merge_keys = opts.max_aliases;
    // The replay limits below stop alias bombs; the ratio heuristic would only add
    // false positives on files that use one anchor many times.
    budget.enforce_alias_anchor_ratio = false;

    let mut o = Options::default();
    o.budget = Some(budget);
    o.duplicate_keys = DuplicateKeyPolicy::PassThrough;
    o.alias_limits.max_total_replayed_events = opts.max_alias_events.saturating_mul(2);
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

/// Why a document did not load.
struct Failure {
    code: &'static str,
    message: String,
    pos: Pos,
    /// The document nests deeper than the depth it was parsed with.
    too_deep: bool,
}

/// What parsing one document gave.
struct Outcome {
    result: Result<Node, Failure>,
    pending: Vec<Pending>,
}

fn parse_chunk(
    src: &str,
    chunk: &Chunk,
    index: usize,
    opts: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> Option<Node> {
    let max_depth = opts.max_depth.min(DEPTH_CEILING);
    let shallow = max_depth.min(SHALLOW_DEPTH);
    let mut outcome = parse_with_depth(src, chunk, opts, shallow);
    let too_deep = matches!(&outcome.result, Err(f) if f.too_deep);
    if too_deep && max_depth > shallow {
        let stack = (32 << 20) + max_depth * STACK_PER_LEVEL;
        let deep = std::thread::scope(|scope| {
            std::thread::Builder::new()
                .name("yaml-deep".into())
                .stack_size(stack)
                .spawn_scoped(scope, || parse_with_depth(src, chunk, opts, max_depth))
                .ok()
                .and_then(|handle| handle.join().ok())
        });
        outcome = deep.unwrap_or_else(|| Outcome {
            result: Err(Failure {
                code: "yaml.limit",
                message: format!(
                    "document nests deeper than {shallow} levels and the thread to parse it \
                     could not be run"
                ),
                pos: Pos {
                    line: chunk.start_line,
                    column: 1,
                },
                too_deep: true,
            }),
            pending: Vec::new(),
        });
    }
    for p in outcome.pending {
        let mut d = Diagnostic::error(p.code, p.message).at(location(index, p.pos));
        if p.code == "yaml.duplicate_key" {
            d = d.with_hint("Kubernetes rejects duplicate keys; keep only one of them");
        }
        diags.push(d);
    }
    match outcome.result {
        Ok(node) => Some(node),
        Err(f) => {
            diags.push(Diagnostic::error(f.code, f.message).at(location(index, f.pos)));
            None
        }
    }
}

/// Parses one document on the current thread, allowing `max_depth` levels of nesting.
fn parse_with_depth(src: &str, chunk: &Chunk, opts: &LoadOptions, max_depth: usize) -> Outcome {
    let base = chunk.first_line - 1;
    LINE_BASE.set(base);
    DEPTH.set(0);
    MAX_DEPTH.set(max_depth.saturating_add(2));
    LIMIT_HIT.set(false);
    PENDING.with(|p| p.borrow_mut().clear());

    let result =
        serde_saphyr::from_str_with_options::<NodeDe>(src, saphyr_options(opts, max_depth));
    let pending = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
    let result = match result {
        Ok(NodeDe(node)) => Ok(node),
        Err(err) => {
            let limit = limit_kind(&err);
            let too_deep = limit == Some(Limit::Depth) || LIMIT_HIT.get();
            let pos = match err.location() {
                Some(loc) if loc.line() > 0 => {
                    // An error at the very end of the text would otherwise point at the
                    // next document's `---` line.
                    let lines = count_newlines(src.as_bytes()) + usize::from(!src.ends_with('\n'));
                    let last_line = base.saturating_add(to_u32(lines.max(1)));
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
            let message = if too_deep {
                format!("collections nest deeper than the limit of {max_depth} levels")
            } else if limit.is_some() {
                limit_message(&err, opts)
            } else {
                error_message(&err)
            };
            Err(Failure {
                code: if limit.is_some() || too_deep {
                    "yaml.limit"
                } else {
                    "yaml.syntax"
                },
                message,
                pos,
                too_deep,
            })
        }
    };
    Outcome { result, pending }
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    Depth,
    Other,
}

/// Which resource limit, if any, stopped the parse.
fn limit_kind(err: &serde_saphyr::Error) -> Option<Limit> {
    use serde_saphyr::budget::BudgetBreach;
    use serde_saphyr::Error as E;
    match innermost(err) {
        E::Budget {
            breach: BudgetBreach::Depth { .. },
            ..
        } => Some(Limit::Depth),
        E::Budget { .. }
        | E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => Some(Limit::Other),
        E::ExternalMessage { source, .. } => match source.as_ref() {
            ExternalMessageSource::Parser(scan)
                if matches!(scan.kind(), ScanErrorKind::RecursionLimitExceeded) =>
            {
                Some(Limit::Depth)
            }
            _ => None,
        },
        _ => None,
    }
}

/// A message for a resource-limit error (the parser's own wording is a debug dump).
fn limit_message(err: &serde_saphyr::Error, opts: &LoadOptions) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    use serde_saphyr::Error as E;
    const BOMB: &str = "anchors and aliases expand to too much data (the shape of an alias bomb)";
    match innermost(err) {
        E::Budget { breach, .. } => match breach {
            B::Aliases { .. } => format!(
                "more than {} aliases (`*name`) in one document",
                opts.max_aliases
            ),
            B::MergeKeys { .. } => format!(
                "more than {} merge keys (`<<`) in one document",
                opts.max_aliases
            ),
            B::Nodes { .. } | B::Events { .. } => format!(
                "more than {} nodes in one document, counting those produced by aliases",
                opts.max_nodes
            ),
            B::RecordedAnchorEvents { .. } | B::RecordedAnchorBytes { .. } => format!(
                "{BOMB}: more than {} events recorded for anchors",
                opts.max_alias_events
            ),
            B::Anchors { .. } => "too many anchors (`&name`) in one document".to_string(),
            B::ScalarBytes { .. } => "scalars are too large in total".to_string(),
            _ => "the document exceeds a parser resource limit".to_string(),
        },
        _ => format!(
            "{BOMB}: more than {} events replayed for aliases",
            opts.max_alias_events.saturating_mul(2)
        ),
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
                        "mapping key is not a string-like scalar (a mapping, a sequence or an \
                         unreadable tagged scalar); the entry is ignored"
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

/// A mapping key: its string form, or something that has none (a collection).
///
/// Keys are read as strings, which keeps their spelling (`0x1F: a` has the key `0x1F`);
/// `null`, `~` and empty keys become `null`. Reading a collection as a string fails
/// inside the key's own recorded events (serde-saphyr replays each key from a buffer),
/// so the failure is contained and the entry can be skipped.
enum KeyDe {
    Str(String),
    Complex,
}

impl<'de> Deserialize<'de> for KeyDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_option(KeyVisitor)
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
        Ok(d.deserialize_str(KeyVisitor).unwrap_or(KeyDe::Complex))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use std::time::{Duration, Instant};

    fn load(text: &str) -> (Vec<Document>, Vec<Diagnostic>) {
        parse_documents(text, &LoadOptions::default())
    }

    /// The first document's root, asserting there were no errors.
    fn root(text: &str) -> Node {
        let (docs, diags) = load(text);
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:#?}");
        docs.into_iter().find_map(|d| d.root).expect("a root")
    }

    fn pos(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }

    /// (document, line, column) of a diagnostic.
    fn at(d: &Diagnostic) -> (usize, u32, u32) {
        (d.location.document, d.location.line, d.location.column)
    }

    fn codes(diags: &[Diagnostic]) -> Vec<&str> {
        diags.iter().map(|d| d.code.as_str()).collect()
    }

    fn keys(node: &Node) -> Vec<&str> {
        node.as_map()
            .unwrap()
            .iter()
            .map(|e| e.key.as_str())
            .collect()
    }

    /// Every diagnostic has a usable location and a one-line message.
    fn assert_well_formed(diags: &[Diagnostic]) {
        for d in diags {
            assert!(d.location.line >= 1 && d.location.column >= 1, "{d:?}");
            assert!(
                d.location.file.is_none() && d.location.path.is_empty(),
                "{d:?}"
            );
            assert!(!d.message.is_empty() && !d.message.contains('\n'), "{d:?}");
        }
    }

    // -- positions ---------------------------------------------------------

    #[test]
    fn positions_in_block_mappings() {
        let r = root(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: demo\n  labels:\n    app: web\ndata:\n  key: value\n",
        );
        assert_eq!(r.pos, pos(1, 1));
        let kind = r.entry("kind").unwrap();
        assert_eq!(kind.key_pos, pos(2, 1));
        assert_eq!(kind.value.pos, pos(2, 7));
        let meta = r.get("metadata").unwrap();
        assert_eq!(meta.pos, pos(4, 3));
        let app = meta.get("labels").unwrap().entry("app").unwrap();
        assert_eq!((app.key_pos, app.value.pos), (pos(6, 5), pos(6, 10)));
        assert_eq!(r.locate("metadata.labels.app"), Some(pos(6, 5)));
        assert_eq!(r.locate("data.key"), Some(pos(8, 3)));
        assert_eq!(r.locate(""), Some(pos(1, 1)));
    }

    #[test]
    fn positions_in_block_sequences() {
        let r = root(
            "spec:\n  dependsOn:\n    - name: a\n    - name: b\n      namespace: x\n  items:\n  - one\n  - two\n",
        );
        let deps = r.find(&parse_path("spec.dependsOn")).unwrap();
        assert_eq!(deps.pos, pos(3, 5));
        assert_eq!(deps.as_seq().unwrap()[1].pos, pos(4, 7));
        assert_eq!(r.locate("spec.dependsOn[1]"), Some(pos(4, 7)));
        assert_eq!(r.locate("spec.dependsOn[1].namespace"), Some(pos(5, 7)));
        let items = r.find(&parse_path("spec.items")).unwrap().as_seq().unwrap();
        assert_eq!(items[1].pos, pos(8, 5));
        assert_eq!(items[1].as_str(), Some("two"));
    }

    #[test]
    fn positions_in_flow_collections() {
        let r = root("labels: {a: 1, b: [x, \"y\"]}\n");
        let labels = r.get("labels").unwrap();
        assert_eq!(labels.pos, pos(1, 9));
        let a = labels.entry("a").unwrap();
        assert_eq!((a.key_pos, a.value.pos), (pos(1, 10), pos(1, 13)));
        let b = labels.entry("b").unwrap();
        assert_eq!((b.key_pos, b.value.pos), (pos(1, 16), pos(1, 19)));
        let items = b.value.as_seq().unwrap();
        assert_eq!((items[0].pos, items[1].pos), (pos(1, 20), pos(1, 23)));
        assert_eq!(r.locate("labels.b[1]"), Some(pos(1, 23)));
    }

    #[test]
    fn positions_of_multi_line_scalars_and_keys() {
        let text = "plain: this is\n  a multi line\nquoted: \"a\n  b\"\nlit: |\n  line1\n  line2\nfolded: >-\n  x\n  y\n\"quoted.key\": 1\n? explicit\n: v\n";
        let r = root(text);
        let plain = r.entry("plain").unwrap();
        assert_eq!(plain.value.as_str(), Some("this is a multi line"));
        assert_eq!(plain.value.pos, pos(1, 8));
        let quoted = r.entry("quoted").unwrap();
        assert_eq!(quoted.value.as_str(), Some("a b"));
        assert_eq!((quoted.key_pos, quoted.value.pos), (pos(3, 1), pos(3, 9)));
        // Block scalars are reported at their first content line (where the parser puts them).
        let lit = r.entry("lit").unwrap();
        assert_eq!(lit.value.as_str(), Some("line1\nline2\n"));
        assert_eq!((lit.key_pos, lit.value.pos), (pos(5, 1), pos(6, 3)));
        let folded = r.entry("folded").unwrap();
        assert_eq!(folded.value.as_str(), Some("x y"));
        assert_eq!(folded.key_pos, pos(8, 1));
        assert_eq!(r.entry("quoted.key").unwrap().key_pos, pos(11, 1));
        assert_eq!(r.locate("[\"quoted.key\"]"), Some(pos(11, 1)));
        let explicit = r.entry("explicit").unwrap();
        assert_eq!(
            (explicit.key_pos, explicit.value.pos),
            (pos(12, 3), pos(13, 3))
        );
    }

    #[test]
    fn positions_are_relative_to_the_whole_input() {
        let (docs, diags) = load("# c\na: 1\n---\nb:\n  c: 2\n---\n\n\nd: [1,\n  2]\n");
        assert!(diags.is_empty(), "{diags:?}");
        let r1 = docs[1].root.as_ref().unwrap();
        assert_eq!(r1.locate("b.c"), Some(pos(5, 3)));
        let r2 = docs[2].root.as_ref().unwrap();
        assert_eq!(r2.locate("d[1]"), Some(pos(10, 3)));
        assert_eq!(docs[0].start_line, 2);
        assert_eq!(docs[1].start_line, 3);
        assert_eq!(docs[2].start_line, 6);
    }

    #[test]
    fn alias_nodes_are_positioned_where_used() {
        let r = root("base: &b\n  x: 1\nuse: *b\n");
        let used = r.get("use").unwrap();
        assert_eq!(used.get("x").and_then(Node::as_i64), Some(1));
        assert_eq!(used.pos, pos(3, 6));
    }

    // -- documents -----------------------------------------------------------

    #[test]
    fn document_indices_count_empty_documents() {
        let text = "# header comment\n---\na: 1\n---\n---\n# only comment\n---\nb: 2\n...\n# between\n---\n";
        let (docs, diags) = load(text);
        assert!(diags.is_empty(), "{diags:?}");
        let summary: Vec<(usize, u32, bool)> = docs
            .iter()
            .map(|d| (d.index, d.start_line, d.root.is_some()))
            .collect();
        assert_eq!(
            summary,
            vec![
                (0, 2, true),
                (1, 4, false),
                (2, 5, false),
                (3, 7, true),
                (4, 11, false)
            ]
        );
        assert_eq!(docs[3].root.as_ref().unwrap().locate("b"), Some(pos(8, 1)));
    }

    #[test]
    fn leading_marker_does_not_create_a_document() {
        let (docs, _) = load("---\na: 1\n");
        assert_eq!(docs.len(), 1);
        assert_eq!((docs[0].index, docs[0].start_line), (0, 1));
        let (docs, _) = load("a: 1\n---\nb: 2\n");
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].root.as_ref().unwrap().locate("b"), Some(pos(3, 1)));
        // Comments before the first marker belong to no document.
        let (docs, _) = load("# x\n\n# y\n---\na: 1\n");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].start_line, 4);
    }

    #[test]
    fn content_on_the_marker_line() {
        let (docs, diags) =
            load("--- {a: 1}\n--- !tag\nb: 2\n--- |\n  text\n--- 42\n---   # comment\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(docs.len(), 5);
        let r0 = docs[0].root.as_ref().unwrap();
        assert_eq!(r0.get("a").and_then(Node::as_i64), Some(1));
        assert_eq!(r0.locate("a"), Some(pos(1, 6)));
        assert_eq!(docs[1].root.as_ref().unwrap().locate("b"), Some(pos(3, 1)));
        assert_eq!(docs[2].root.as_ref().unwrap().as_str(), Some("text\n"));
        assert_eq!(docs[3].root.as_ref().unwrap().as_i64(), Some(42));
        assert!(docs[4].root.is_none());
    }

    #[test]
    fn directives_and_document_end_markers() {
        let text = "%YAML 1.2\n---\na: 1\n...\n%YAML 1.2\n%TAG ! tag:example.com,2000:\n---\nb: 2\n...\nc: 3\n";
        let (docs, diags) = load(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].start_line, 2);
        assert_eq!(docs[0].root.as_ref().unwrap().locate("a"), Some(pos(3, 1)));
        assert_eq!(docs[1].start_line, 7);
        assert_eq!(docs[1].root.as_ref().unwrap().locate("b"), Some(pos(8, 1)));
        assert_eq!(docs[2].start_line, 10);
        assert_eq!(docs[2].root.as_ref().unwrap().locate("c"), Some(pos(10, 1)));
    }

    #[test]
    fn crlf_line_endings() {
        let (docs, diags) = load("a: 1\r\n---\r\nb:\r\n  c: x\r\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(docs.len(), 2);
        let r = docs[1].root.as_ref().unwrap();
        assert_eq!(r.find(&parse_path("b.c")).unwrap().as_str(), Some("x"));
        assert_eq!(r.locate("b.c"), Some(pos(4, 3)));
    }

    #[test]
    fn roots_that_are_not_mappings_are_returned() {
        assert_eq!(root("- a\n- b\n").type_name(), "array");
        assert_eq!(root("hello\n").as_str(), Some("hello"));
        let (docs, diags) = load("--- null\n");
        assert!(diags.is_empty());
        assert!(docs[0].root.as_ref().unwrap().is_null());
    }

    #[test]
    fn byte_order_mark_is_tolerated() {
        let r = root("\u{feff}a: 1\n");
        assert_eq!(r.locate("a"), Some(pos(1, 1)));
        let (docs, diags) = parse_bytes(b"\xef\xbb\xbf---\na: 1\n", &LoadOptions::default());
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].root.as_ref().unwrap().locate("a"), Some(pos(2, 1)));
    }

    // -- scalars and keys --------------------------------------------------------

    #[test]
    fn scalar_resolution() {
        let r = root(concat!(
            "s1: \"007\"\ns2: 'true'\ns3: \"123\"\ns4: plain text\ns5: !!str 12\n",
            "i: 42\nneg: -7\nbig: 18446744073709551615\nhuge: 99999999999999999999\n",
            "f: 1.5\ne: 1e3\nver: 1.10\nn1: null\nn2: ~\nn3:\nb1: true\nb2: False\n",
            "hex: 0x1F\noct: 0o17\nlz: 007\ndate: 2024-01-01\ninf: .inf\n",
        ));
        let v = |k: &str| r.get(k).unwrap().value.clone();
        assert_eq!(v("s1"), NodeValue::String("007".into()));
        assert_eq!(v("s2"), NodeValue::String("true".into()));
        assert_eq!(v("s3"), NodeValue::String("123".into()));
        assert_eq!(v("s4"), NodeValue::String("plain text".into()));
        assert_eq!(v("s5"), NodeValue::String("12".into()));
        assert_eq!(v("i"), NodeValue::Int(42));
        assert_eq!(v("neg"), NodeValue::Int(-7));
        assert_eq!(v("big"), NodeValue::UInt(u64::MAX));
        assert_eq!(v("huge"), NodeValue::Float(1e20));
        assert_eq!(v("f"), NodeValue::Float(1.5));
        assert_eq!(v("e"), NodeValue::Float(1000.0));
        assert_eq!(v("ver"), NodeValue::Float(1.1));
        assert_eq!(v("n1"), NodeValue::Null);
        assert_eq!(v("n2"), NodeValue::Null);
        assert_eq!(v("n3"), NodeValue::Null);
        assert_eq!(v("b1"), NodeValue::Bool(true));
        assert_eq!(v("b2"), NodeValue::Bool(false));
        assert_eq!(v("hex"), NodeValue::Int(31));
        assert_eq!(v("oct"), NodeValue::Int(15));
        // serde-saphyr resolves a plain decimal with leading zeros to a float (not octal,
        // not a string): `007` is 7.0. Kubernetes (YAML 1.1) would read octal 7.
        assert_eq!(v("lz"), NodeValue::Float(7.0));
        // No timestamp type: dates stay strings.
        assert_eq!(v("date"), NodeValue::String("2024-01-01".into()));
        assert_eq!(v("inf"), NodeValue::Float(f64::INFINITY));
        assert_eq!(r.get("inf").unwrap().to_json(), serde_json::Value::Null);
        assert_eq!(r.get("big").unwrap().type_name(), "integer");
        assert_eq!(r.get("f").unwrap().type_name(), "number");
    }

    #[test]
    fn yaml11_booleans_as_serde_saphyr_resolves_them() {
        // serde-saphyr (strict_booleans off, its default) resolves the YAML 1.1 spellings
        // yes/no/on/off/y/n to booleans, as Kubernetes' YAML 1.1 parser does too.
        // Quoted, they stay strings.
        let r = root("a: yes\nb: no\nc: on\nd: off\ne: Yes\nf: OFF\ng: y\nh: n\nq: \"yes\"\n");
        let b = |k: &str| r.get(k).unwrap().value.clone();
        assert_eq!(b("a"), NodeValue::Bool(true));
        assert_eq!(b("b"), NodeValue::Bool(false));
        assert_eq!(b("c"), NodeValue::Bool(true));
        assert_eq!(b("d"), NodeValue::Bool(false));
        assert_eq!(b("e"), NodeValue::Bool(true));
        assert_eq!(b("f"), NodeValue::Bool(false));
        assert_eq!(b("g"), NodeValue::Bool(true));
        assert_eq!(b("h"), NodeValue::Bool(false));
        assert_eq!(b("q"), NodeValue::String("yes".into()));
    }

    #[test]
    fn tags() {
        // Unknown (application) tags are ignored; standard ones are applied.
        let r =
            root("a: !Ref foo\nb: !!str 1.0\nc: !!float 1\nd: !custom {x: 1}\ne: !!binary aGk=\n");
        assert_eq!(r.get("a").and_then(Node::as_str), Some("foo"));
        assert_eq!(r.get("b").and_then(Node::as_str), Some("1.0"));
        assert_eq!(r.get("c").unwrap().value, NodeValue::Float(1.0));
        assert_eq!(r.get("d").unwrap().get("x").and_then(Node::as_i64), Some(1));
        assert_eq!(r.get("e").and_then(Node::as_str), Some("hi"));
        // serde-saphyr cannot read `!!timestamp` scalars into an untyped value: the
        // document fails (rare in Kubernetes manifests).
        let (docs, diags) = load("a: !!timestamp 2001-12-14\n---\nb: 1\n");
        assert_eq!(codes(&diags), vec!["yaml.syntax"]);
        assert!(docs[0].root.is_none() && docs[1].root.is_some());
    }

    #[test]
    fn non_string_keys_get_their_string_form() {
        let r = root("1: a\ntrue: b\nnull: c\n0x1F: d\n1.5: e\n\"q\": f\n");
        assert_eq!(keys(&r), vec!["1", "true", "null", "0x1F", "1.5", "q"]);
        assert_eq!(keys(&root("~: x\n")), vec!["null"]);
        assert_eq!(r.locate("[\"1.5\"]"), Some(pos(5, 1)));
    }

    #[test]
    fn complex_keys_are_reported_and_skipped() {
        let (docs, diags) = load("? [a, b]\n: 1\nz: 2\n? {k: v}\n: 3\n");
        assert_eq!(codes(&diags), vec!["yaml.complex_key", "yaml.complex_key"]);
        assert_eq!(at(&diags[0]), (0, 1, 3));
        assert_eq!(at(&diags[1]), (0, 4, 3));
        assert!(diags.iter().all(Diagnostic::is_error));
        assert_well_formed(&diags);
        let r = docs[0].root.as_ref().unwrap();
        assert_eq!(keys(r), vec!["z"]);
    }

    #[test]
    fn merge_keys_work() {
        let text = "defaults: &d\n  interval: 5m\n  timeout: 1m\napp:\n  <<: *d\n  timeout: 2m\n";
        let r = root(text);
        let app = r.get("app").unwrap();
        assert_eq!(app.get("interval").and_then(Node::as_str), Some("5m"));
        assert_eq!(app.get("timeout").and_then(Node::as_str), Some("2m"));
        assert_eq!(app.as_map().unwrap().len(), 2);
        // A few anchors and aliases, as real fleets use them.
        let mut text = String::from("x: &common {a: 1, b: [1, 2, 3]}\nitems:\n");
        for i in 0..200 {
            text.push_str(&format!("  - name: n{i}\n    <<: *common\n"));
        }
        let r = root(&text);
        assert_eq!(r.get("items").unwrap().as_seq().unwrap().len(), 200);
    }

    // -- bad input ---------------------------------------------------------

    #[test]
    fn syntax_error_is_located_and_other_documents_load() {
        let text = "a: 1\n---\nb: [1, 2\n---\nc: ok\n";
        let (docs, diags) = load(text);
        assert_eq!(docs.len(), 3);
        assert_eq!(codes(&diags), vec!["yaml.syntax"]);
        assert_eq!(diags[0].severity, Severity::Error);
        assert_eq!(at(&diags[0]), (1, 3, 4));
        assert_well_formed(&diags);
        assert!(docs[0].root.is_some() && docs[1].root.is_none() && docs[2].root.is_some());
        assert_eq!(docs[2].root.as_ref().unwrap().locate("c"), Some(pos(5, 1)));
    }

    #[test]
    fn syntax_error_messages_do_not_quote_the_source() {
        let cases = [
            "password: \"s3cr3t-value\n  oops: [\n",
            "token: s3cr3t-value\n  : bad\n",
            "data:\n  key: s3cr3t-value: bad\n",
            "- s3cr3t-value\nkey: s3cr3t-value\n",
            "a: *s3cr3t-value\n",
        ];
        for text in cases {
            let (_, diags) = load(text);
            assert!(!diags.is_empty(), "{text:?}");
            assert_well_formed(&diags);
            for d in &diags {
                assert!(d.is_error(), "{d:?}");
                assert!(!d.message.contains("s3cr3t"), "{text:?}: {}", d.message);
                assert!(!d.message.contains(" | "), "{}", d.message);
            }
        }
        let (_, diags) = load("a: b: c\n");
        assert_eq!(
            diags[0].message,
            "mapping values are not allowed in this context"
        );
        assert_eq!(at(&diags[0]), (0, 1, 5));
    }

    #[test]
    fn error_at_end_of_document_stays_in_that_document() {
        let (docs, diags) = load("a: 1\n---\npassword: \"abc\n---\nb: 2\n");
        assert_eq!(codes(&diags), vec!["yaml.syntax"]);
        let (doc, line, _) = at(&diags[0]);
        assert_eq!(doc, 1);
        assert!((3..=4).contains(&line), "{line}");
        assert!(docs[2].root.is_some());
    }

    #[test]
    fn duplicate_keys_keep_the_last_value() {
        let text = "kind: A\n---\nmetadata:\n  name: a\n  labels: {}\n  name: b\n";
        let (docs, diags) = load(text);
        assert_eq!(codes(&diags), vec!["yaml.duplicate_key"]);
        assert_eq!(at(&diags[0]), (1, 6, 3));
        assert!(diags[0].message.contains("`name`"), "{}", diags[0].message);
        assert!(diags[0].is_error());
        let r = docs[1].root.as_ref().unwrap();
        let meta = r.get("metadata").unwrap();
        assert_eq!(keys(meta), vec!["name", "labels"]);
        assert_eq!(meta.get("name").and_then(Node::as_str), Some("b"));
        assert_eq!(r.locate("metadata.name"), Some(pos(6, 3)));
    }

    #[test]
    fn duplicate_keys_in_flow_and_large_mappings() {
        let (_, diags) = load("m: {a: 1, b: 2, a: 3}\n");
        assert_eq!(codes(&diags), vec!["yaml.duplicate_key"]);
        assert_eq!(at(&diags[0]), (0, 1, 17));

        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&format!("k{i}: {i}\n"));
        }
        text.push_str("k5: again\nk39: again\n");
        let (docs, diags) = load(&text);
        assert_eq!(
            codes(&diags),
            vec!["yaml.duplicate_key", "yaml.duplicate_key"]
        );
        assert_eq!(at(&diags[0]), (0, 41, 1));
        assert_eq!(at(&diags[1]), (0, 42, 1));
        let r = docs[0].root.as_ref().unwrap();
        assert_eq!(r.as_map().unwrap().len(), 40);
        assert_eq!(r.get("k5").and_then(Node::as_str), Some("again"));
    }

    fn billion_laughs() -> String {
        let mut text = String::from(
            "l0: &l0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for i in 1..10 {
            let prev = i - 1;
            let refs = vec![format!("*l{prev}"); 9].join(",");
            text.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
        }
        text
    }

    #[test]
    fn alias_bomb_is_stopped_quickly() {
        let text = format!("a: 1\n---\n{}---\nb: 2\n", billion_laughs());
        let start = Instant::now();
        let (docs, diags) = load(&text);
        let elapsed = start.elapsed();
        // Well under 100 ms in release builds; debug builds are slower, so be lenient here.
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
        assert_eq!(codes(&diags), vec!["yaml.limit"]);
        assert_eq!(diags[0].location.document, 1);
        assert!(diags[0].location.line >= 3, "{:?}", diags[0]);
        assert_well_formed(&diags);
        assert!(docs[0].root.is_some() && docs[1].root.is_none() && docs[2].root.is_some());
    }

    #[test]
    fn merge_key_bomb_is_stopped_quickly() {
        let mut text = String::from("l0: &l0\n  a: 1\n");
        for i in 1..12 {
            text.push_str(&format!("l{i}: &l{i}\n"));
            for j in 0..9 {
                text.push_str(&format!("  m{j}:\n    <<: *l{}\n", i - 1));
            }
        }
        let start = Instant::now();
        let (_, diags) = load(&text);
        assert!(start.elapsed() < Duration::from_secs(2));
        assert_eq!(codes(&diags), vec!["yaml.limit"]);
        assert_well_formed(&diags);
    }

    #[test]
    fn limit_messages_are_readable() {
        let (_, diags) = load(&billion_laughs());
        assert!(
            diags[0].message.contains("alias bomb"),
            "{}",
            diags[0].message
        );
        let (_, diags) = load(&format!("a: {}\n", "[".repeat(200)));
        assert_eq!(
            diags[0].message,
            "collections nest deeper than the limit of 128 levels"
        );
        let opts = LoadOptions {
            max_nodes: 100,
            ..LoadOptions::default()
        };
        let (_, diags) = parse_documents(&format!("a: [{}]\n", vec!["1"; 200].join(",")), &opts);
        assert_eq!(codes(&diags), vec!["yaml.limit"]);
        assert!(
            diags[0].message.contains("more than 100 nodes"),
            "{}",
            diags[0].message
        );
        for d in &diags {
            assert!(!d.message.contains('{'), "{}", d.message);
        }
    }

    #[test]
    fn depth_limit_is_exact_and_configurable() {
        // The root mapping is one level: 1 + 127 sequences = 128 levels load.
        let nested = |n: usize| format!("a: {}1{}\n", "[".repeat(n), "]".repeat(n));
        assert!(load(&nested(127)).1.is_empty());
        assert_eq!(codes(&load(&nested(128)).1), vec!["yaml.limit"]);
        let opts = LoadOptions {
            max_depth: 5,
            ..LoadOptions::default()
        };
        assert!(parse_documents(&nested(4), &opts).1.is_empty());
        let (_, diags) = parse_documents(&nested(5), &opts);
        assert_eq!(codes(&diags), vec!["yaml.limit"]);
        assert!(diags[0].message.contains("limit of 5 levels"));
        // Deeper than the shallow pass but within the limit: loads (on the deep thread),
        // with positions and findings intact.
        let text = format!("x: 1\nx: 2\na: {}1{}\n", "[".repeat(100), "]".repeat(100));
        let (docs, diags) = load(&text);
        assert_eq!(codes(&diags), vec!["yaml.duplicate_key"]);
        assert_eq!(at(&diags[0]), (0, 2, 1));
        let r = docs[0].root.as_ref().unwrap();
        assert_eq!(r.locate("a[0][0]"), Some(pos(3, 6)));
    }

    #[test]
    fn alias_count_limit() {
        let mut text = String::from("a: &a x\nl:\n");
        for _ in 0..1001 {
            text.push_str("  - *a\n");
        }
        let (_, diags) = load(&text);
        assert_eq!(codes(&diags), vec!["yaml.limit"]);
    }

    #[test]
    fn deep_flow_nesting_is_a_limit_error() {
        for n in [10_000usize, 100_000] {
            let text = format!("a: {}{}\n", "[".repeat(n), "]".repeat(n));
            let (docs, diags) = load(&text);
            assert_eq!(codes(&diags), vec!["yaml.limit"], "{n}: {diags:?}");
            assert!(docs[0].root.is_none());
            assert_well_formed(&diags);
        }
        // Unterminated, and mappings.
        let (_, diags) = load(&"[".repeat(100_000));
        assert_eq!(codes(&diags), vec!["yaml.limit"]);
        let (_, diags) = load(&"{a: ".repeat(10_000));
        assert_eq!(codes(&diags), vec!["yaml.limit"]);
        // Nesting inside a key.
        let (_, diags) = load(&format!("? {}\n: 1\n", "[".repeat(10_000)));
        assert_eq!(codes(&diags), vec!["yaml.limit"]);
    }

    #[test]
    fn deep_block_nesting_is_a_limit_error() {
        let mut text = String::new();
        for i in 0..1000 {
            text.push_str(&" ".repeat(i * 2));
            text.push_str("a:\n");
        }
        let (docs, diags) = load(&text);
        assert_eq!(codes(&diags), vec!["yaml.limit"]);
        assert!(docs[0].root.is_none());
        let mut text = String::new();
        for i in 0..1000 {
            text.push_str(&" ".repeat(i * 2));
            text.push_str("-\n");
        }
        let (_, diags) = load(&text);
        assert_eq!(codes(&diags), vec!["yaml.limit"]);
    }

    #[test]
    fn nesting_within_the_limit_loads() {
        let n = 100;
        let r = root(&format!("a: {}1{}\n", "[".repeat(n), "]".repeat(n)));
        let mut node = r.get("a").unwrap();
        for _ in 0..n {
            node = &node.as_seq().unwrap()[0];
        }
        assert_eq!(node.as_i64(), Some(1));
    }

    #[test]
    fn nesting_through_aliases_is_limited() {
        let inner = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let text = format!(
            "a: &a {inner}\nb: {}*a{}\n",
            "[".repeat(100),
            "]".repeat(100)
        );
        let (_, diags) = load(&text);
        assert_eq!(codes(&diags), vec!["yaml.limit"]);
    }

    #[test]
    fn too_large_input_is_rejected_fast() {
        let text = "a: 1\n".repeat(20_000_000); // 100 MB
        let start = Instant::now();
        let (docs, diags) = load(&text);
        let (docs2, diags2) = parse_bytes(text.as_bytes(), &LoadOptions::default());
        assert!(start.elapsed() < Duration::from_millis(100));
        assert!(docs.is_empty() && docs2.is_empty());
        assert_eq!(codes(&diags), vec!["yaml.file_too_large"]);
        assert_eq!(at(&diags[0]), (0, 1, 1));
        assert_eq!(diags, diags2);
        let small = LoadOptions {
            max_bytes: 4,
            ..LoadOptions::default()
        };
        assert_eq!(
            codes(&parse_documents("a: 1\n", &small).1),
            vec!["yaml.file_too_large"]
        );
        assert!(parse_documents("a: 1", &small).1.is_empty());
    }

    #[test]
    fn invalid_utf8_is_reported_and_the_rest_loads() {
        let bytes = b"a: 1\n---\nb: caf\xe9\nc: 2\n---\nd: 3\n";
        let (docs, diags) = parse_bytes(bytes, &LoadOptions::default());
        assert_eq!(codes(&diags), vec!["yaml.invalid_utf8"]);
        assert_eq!(at(&diags[0]), (1, 3, 7));
        assert!(diags[0].is_error());
        assert_eq!(docs.len(), 3);
        let r1 = docs[1].root.as_ref().unwrap();
        assert_eq!(r1.get("b").and_then(Node::as_str), Some("caf\u{fffd}"));
        assert_eq!(r1.get("c").and_then(Node::as_i64), Some(2));
        assert!(docs[2].root.is_some());
        // Columns count characters, not bytes.
        let (_, diags) = parse_bytes(
            "é: x"
                .as_bytes()
                .iter()
                .copied()
                .chain([0xff])
                .collect::<Vec<_>>()
                .as_slice(),
            &LoadOptions::default(),
        );
        assert_eq!(at(&diags[0]), (0, 1, 5));
        let (docs, diags) = parse_bytes(b"a\xff", &LoadOptions::default());
        assert_eq!(at(&diags[0]), (0, 1, 2));
        assert_eq!(docs[0].root.as_ref().unwrap().as_str(), Some("a\u{fffd}"));
        // UTF-16 is named as such and not parsed.
        let (docs, diags) = parse_bytes(b"\xff\xfea\x00:\x00 \x001\x00", &LoadOptions::default());
        assert!(docs.is_empty());
        assert_eq!(codes(&diags), vec!["yaml.invalid_utf8"]);
        assert!(diags[0].message.contains("UTF-16"));
    }

    #[test]
    fn empty_inputs() {
        for text in [
            "",
            "\n\n",
            "# only a comment\n",
            "---\n",
            "---\n---\n",
            "...\n",
            "--- # c\n...",
        ] {
            let (docs, diags) = load(text);
            assert!(docs.iter().all(|d| d.root.is_none()), "{text:?}");
            assert_eq!(codes(&diags), vec!["yaml.empty"], "{text:?}");
            assert_eq!(diags[0].severity, Severity::Info);
            assert_eq!(diags[0].message, "no YAML documents");
            assert_eq!(at(&diags[0]), (0, 1, 1));
        }
        assert!(load("").0.is_empty());
        assert_eq!(load("---\n").0.len(), 1);
        assert_eq!(load("---\n---\n").0.len(), 2);
        // A failed document is an error, not "empty".
        assert_eq!(codes(&load("[").1), vec!["yaml.syntax"]);
    }

    #[test]
    fn garbage_does_not_panic() {
        let cases = [
            "{{{{",
            "}}}}",
            "]]]]",
            ": : :",
            "\t\t- \t:",
            "\t",
            "a:\n\tb: 1",
            "&a *a",
            "*a",
            "!!!",
            "%%%",
            "%YAML 1.2\n",
            "%YAML 1.2\n%YAML 1.2\n---\n",
            "---\n---\n...\n...",
            "\0\0",
            "? ? ? ?",
            "- - - -",
            "a: &x\n  b: *x",
            "[*a]",
            "<<: 1",
            "<<: [1, 2]",
            "a: {<<: *x}",
            "a: !!binary ???",
            "a: !!int xyz",
            "a: !!float q",
            "a: !!map [1]",
            "\"\\u12\"",
            "'",
            "\"",
            "|",
            ">",
            "|-9\n x",
            "- |\n-",
            "a:\n- b\n -c",
            "@",
            "`",
            "a: 'b''",
            "? |\n  x\n: y",
            "!<tag:yaml.org,2002:str> 1",
            "&a [*a]",
            "a: &a\n  b: *a",
            "{a: [}",
            "[a: ]",
            "- ? a\n  : b",
            "\u{feff}\u{feff}a: 1",
            "a: \u{85}b",
            "key: \"\\x\"",
            "---\n%YAML 1.2\n---",
            "a: 1\n...\nb\n: c\n... x",
            "=",
            "!",
            "&",
            "!a!b c",
            "!!null x",
            "? - a\n  - b\n: c",
        ];
        for text in cases {
            let (docs, diags) = load(text);
            assert_well_formed(&diags);
            for (i, d) in docs.iter().enumerate() {
                assert_eq!(d.index, i);
            }
        }
    }

    #[test]
    fn random_bytes_do_not_panic() {
        const ALPHABET: &[u8] = b"-:[]{},&*!|>'\"#%@`?<=~ \t\n\n\n\r.abcxyz019eE+_\\";
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as u32
        };
        let opts = LoadOptions::default();
        for round in 0..3000 {
            let len = (next() % 120) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    if round % 4 == 0 {
                        next() as u8 // fully random bytes
                    } else {
                        ALPHABET[next() as usize % ALPHABET.len()]
                    }
                })
                .collect();
            let (docs, diags) = parse_bytes(&bytes, &opts);
            assert_well_formed(&diags);
            for (i, d) in docs.iter().enumerate() {
                assert_eq!(d.index, i);
                if let Some(r) = &d.root {
                    let _ = r.to_json();
                }
            }
        }
    }

    // -- accessors -----------------------------------------------------------

    #[test]
    fn path_parsing() {
        use PathSeg::{Index, Key};
        let k = |s: &str| Key(s.to_string());
        assert_eq!(
            parse_path("spec.dependsOn[1].name"),
            vec![k("spec"), k("dependsOn"), Index(1), k("name")]
        );
        assert_eq!(
            parse_path("metadata.annotations[\"kustomize.toolkit.fluxcd.io/reconcile\"]"),
            vec![
                k("metadata"),
                k("annotations"),
                k("kustomize.toolkit.fluxcd.io/reconcile")
            ]
        );
        assert_eq!(parse_path("['a.b'].c"), vec![k("a.b"), k("c")]);
        assert_eq!(parse_path("[\"a\\\"b]\"]"), vec![k("a\"b]")]);
        assert_eq!(parse_path("a[0][2]"), vec![k("a"), Index(0), Index(2)]);
        assert_eq!(parse_path("a[x]"), vec![k("a"), k("x")]);
        assert_eq!(parse_path("a..b."), vec![k("a"), k("b")]);
        assert_eq!(parse_path("a.[b"), vec![k("a"), k("b")]);
        assert_eq!(parse_path("a[\"b"), vec![k("a"), k("\"b")]);
        assert_eq!(parse_path("é.ü[3]"), vec![k("é"), k("ü"), Index(3)]);
        assert!(parse_path("").is_empty());
    }

    #[test]
    fn find_get_and_locate() {
        let r = root("spec:\n  dependsOn:\n    - name: a\n  ref:\n    branch: main\n");
        assert_eq!(r.find(&[]).unwrap().pos, r.pos);
        assert_eq!(
            r.find(&parse_path("spec.dependsOn[0].name"))
                .and_then(Node::as_str),
            Some("a")
        );
        assert!(r.find(&parse_path("spec.dependsOn[1]")).is_none());
        assert!(r.find(&parse_path("spec.ref.branch.x")).is_none());
        assert!(r.get("nope").is_none());
        assert!(r
            .get("spec")
            .unwrap()
            .get("ref")
            .unwrap()
            .get("branch")
            .unwrap()
            .get("x")
            .is_none());
        // Missing last key: the parent mapping, reported at its key.
        assert_eq!(r.locate("spec.ref.tag"), Some(pos(4, 3)));
        // Index out of range: the sequence, at its key.
        assert_eq!(r.locate("spec.dependsOn[5].name"), Some(pos(2, 3)));
        // Nothing exists: the root.
        assert_eq!(r.locate("status.conditions"), Some(pos(1, 1)));
        // Walking into a scalar stops at the scalar's key.
        assert_eq!(r.locate("spec.ref.branch.deeper"), Some(pos(5, 5)));
    }

    #[test]
    fn json_conversion_and_type_names() {
        let r = root("z: 1\na: 2\nm: [1, 2.5, true, null, x, 18446744073709551615]\nn: {}\n");
        assert_eq!(
            serde_json::to_string(&r.to_json()).unwrap(),
            r#"{"z":1,"a":2,"m":[1,2.5,true,null,"x",18446744073709551615],"n":{}}"#
        );
        let m = r.get("m").unwrap().as_seq().unwrap();
        let names: Vec<&str> = m.iter().map(Node::type_name).collect();
        assert_eq!(
            names,
            vec!["integer", "number", "boolean", "null", "string", "integer"]
        );
        assert_eq!(r.type_name(), "object");
        assert_eq!(r.get("m").unwrap().type_name(), "array");
        assert_eq!(m[2].as_bool(), Some(true));
        assert_eq!(m[0].as_str(), None);
    }

    #[test]
    fn many_documents_load() {
        let mut text = String::new();
        for i in 0..2000 {
            text.push_str(&format!("---\nkind: K{i}\n"));
        }
        let (docs, diags) = load(&text);
        assert!(diags.is_empty());
        assert_eq!(docs.len(), 2000);
        assert_eq!(
            docs[1999].root.as_ref().unwrap().locate("kind"),
            Some(pos(4000, 1))
        );
    }
}

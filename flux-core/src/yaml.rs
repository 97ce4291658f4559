//! Multi-document YAML loading into a position-carrying tree.
//!
//! [`parse_documents`] (or [`parse_bytes`] for raw file contents) splits a YAML
//! stream into its documents, parses each one separately with the `granit-parser`
//! event parser and builds a [`Node`] tree per document (with an explicit stack, so
//! no input nests deep enough to overflow the call stack), in which every node and
//! every mapping key carries its 1-based line and column in the *whole* input.
//! A broken document does not lose the others: it gets `root: None` and a
//! [`Diagnostic`], and loading goes on with the next document. Nothing in here
//! panics, whatever the input.
//!
//! Values are resolved as Kubernetes and the Flux controllers read YAML
//! (sigs.k8s.io/yaml: go-yaml v2 with YAML 1.1 rules): `yes`/`no`/`on`/`off`/`y`/`n`
//! are booleans, `0755` is octal, `0x1F` hexadecimal, `1_000` an integer, dates stay
//! strings, a scalar with an application tag (`!Ref 12`) is a string, and mapping keys
//! take the string form sigs.k8s.io/yaml gives them (`1.5: a` has the key `1.5`,
//! `yes: a` the key `true`). Aliases copy the anchored node; merge keys (`<<`) merge as
//! go-yaml v2 does. `conformance/yaml/scalars.json` holds the upstream behaviour this
//! is tested against, and `conformance/COMPATIBILITY.md` the few intended differences.
//!
//! With [`LoadOptions::schema`] set to [`Schema::Kustomize`], values and keys are read
//! as kustomize reads them (kyaml, go-yaml v3, turned into JSON by `RNode.MarshalJSON`):
//! only `true`/`false` are booleans, dates become RFC 3339 strings
//! (`2001-12-14T00:00:00Z`), keys keep their spelling (`0x1F: a` has the key `0x1F`),
//! merge keys never override a mapping's own keys, a quoted `"<<"` key written before any
//! other `<<` is dropped with its value, and folded scalars (`>`) come back as kyaml's
//! write-and-read round trip changes them. [`emit`] writes values back as the YAML text
//! Flux's kustomize-controller produces (`sigs.k8s.io/yaml.JSONToYAML`).
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
//! | `yaml.too_many_documents` | error | the stream has more than [`LoadOptions::max_documents`] documents |
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

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use granit_parser::{
    ErrorKind as ScanErrorKind, Event, Marker, Parser, ScalarStyle, ScanError, Span,
    StructureStyle, Tag,
};

use crate::diagnostic::{Diagnostic, Location};

pub mod emit;

pub use emit::{json_to_yaml, EmitError};

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

/// The value of a [`Node`], resolved as Kubernetes resolves it (go-yaml v2, YAML 1.1 rules)
/// or, with [`Schema::Kustomize`], as kustomize does (go-yaml v3).
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    /// `null`, `~`, or an empty value.
    Null,
    /// A boolean: `true`/`false` and, with [`Schema::Kubernetes`] only, the YAML 1.1 forms
    /// `yes`/`no`/`on`/`off`/`y`/`n`, in lower case, capitalized or upper case.
    Bool(bool),
    /// An integer that fits `i64` (Go integer syntax: `0x1F`, `0o17`, `0755`, `0b101`, `1_000`).
    Int(i64),
    /// A positive integer above `i64::MAX` that fits `u64`.
    UInt(u64),
    /// A floating-point number (possibly non-finite: `.inf`, `.nan`).
    Float(f64),
    /// A string; quoted scalars always stay strings. With [`Schema::Kustomize`] a plain
    /// timestamp (`2001-12-14`) is the RFC 3339 text Go writes for it
    /// (`2001-12-14T00:00:00Z`).
    String(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order, with unique keys (for a duplicated key the last value is kept).
    Map(Vec<Entry>),
}

/// One mapping entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key as a string; other scalar keys get the string form sigs.k8s.io/yaml gives
    /// them (`1`, `31` for `0x1F`, `true` for `yes`, `1.5`, `1e+06` for `1e6`), and a null
    /// key (which Kubernetes rejects) is `null`. With [`Schema::Kustomize`] a key keeps
    /// its spelling (`0x1F`), and an entry with a null key is dropped.
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
    /// Most nodes (mapping keys included) under anchors (`&name`) in a document, and half
    /// the most nodes that aliases may copy: the budget that stops "billion laughs" alias
    /// bombs. Default 20,000. The number of merge keys (`<<`) is capped at `max_aliases`.
    pub max_alias_events: usize,
    /// Most documents in one stream (file); the documents after the limit are
    /// not loaded and `yaml.too_many_documents` says so. Default 10,000.
    pub max_documents: usize,
    /// Most YAML files loaded from one folder by [`crate::manifest::load_files`]
    /// (and so by `plan`, `validate`, `lint`); the files after the limit, in
    /// sorted order, are not loaded and `manifest.too_many_files` says so.
    /// Default 50,000.
    pub max_files: usize,
    /// Which rules resolve scalars and keys. Default [`Schema::Kubernetes`].
    pub schema: Schema,
}

/// Which Go YAML reader's rules resolve plain scalars and mapping keys.
///
/// ```
/// use fluxcd_core::yaml::{parse_documents, LoadOptions, Schema};
///
/// let text = "a: yes\nb: 0x1F\nc: 2001-12-14\n0x10: d\n";
/// let (docs, _) = parse_documents(text, &LoadOptions::default());
/// let k8s = docs[0].root.as_ref().unwrap().to_json();
/// assert_eq!(k8s, serde_json::json!({"a": true, "b": 31, "c": "2001-12-14", "16": "d"}));
///
/// let opts = LoadOptions { schema: Schema::Kustomize, ..LoadOptions::default() };
/// let (docs, _) = parse_documents(text, &opts);
/// let kustomize = docs[0].root.as_ref().unwrap().to_json();
/// assert_eq!(
///     kustomize,
///     serde_json::json!({"a": "yes", "b": 31, "c": "2001-12-14T00:00:00Z", "0x10": "d"})
/// );
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Schema {
    /// As Kubernetes and the Flux controllers read YAML: sigs.k8s.io/yaml over go-yaml
    /// v2, YAML 1.1 (`yes`/`on`/`y` are booleans, dates stay strings, non-string keys
    /// get their JSON string form, a later merge key overrides earlier keys).
    #[default]
    Kubernetes,
    /// As kustomize reads YAML: kyaml over go-yaml v3, turned into JSON by
    /// `RNode.MarshalJSON`. Only `true`/`false` (in three spellings) are booleans;
    /// `0o17` and `0755` are octal; plain dates and times are timestamps, written as
    /// Go's RFC 3339 text (`2001-12-14T00:00:00Z`); a `!` tag does not force a string.
    /// Mapping keys keep their spelling; an entry whose key is null is dropped. Only the
    /// keys of the document's root mapping (and of mappings merged with `<<`) may be
    /// non-strings: elsewhere kustomize cannot write JSON for the mapping, which is
    /// reported as `yaml.complex_key`, as are `.inf` and `.nan` values (`yaml.syntax`).
    /// A mapping's own keys win over merged ones wherever they are, and a second `<<` in
    /// a mapping is a `yaml.duplicate_key` error.
    Kustomize,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            max_bytes: 32 * 1024 * 1024,
            max_depth: 128,
            max_aliases: 1000,
            max_nodes: 250_000,
            max_alias_events: 20_000,
            max_documents: 10_000,
            max_files: 50_000,
            schema: Schema::Kubernetes,
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
    let mut chunks = split_documents(text);
    if chunks.len() > opts.max_documents {
        let first_dropped = chunks[opts.max_documents].start_line;
        diags.push(
            Diagnostic::error(
                "yaml.too_many_documents",
                format!(
                    "the stream has {} documents, more than the limit of {}; documents from \
                     here on were not loaded",
                    chunks.len(),
                    opts.max_documents
                ),
            )
            .at(location(
                opts.max_documents,
                Pos {
                    line: first_dropped,
                    column: 1,
                },
            ))
            .with_hint("split the file, or raise LoadOptions::max_documents"),
        );
        chunks.truncate(opts.max_documents);
    }
    let mut docs = Vec::with_capacity(chunks.len());
    for (index, chunk) in chunks.iter().enumerate() {
        let root = if let (Schema::Kustomize, Some(line)) = (opts.schema, chunk.directive) {
            // kyaml splits the stream at every `---` line before parsing: the directive
            // is left in a document of its own, without `---`, which go-yaml v3 rejects.
            diags.push(
                Diagnostic::error(
                    "yaml.syntax",
                    "a directive (`%YAML`, `%TAG`): kustomize splits the stream at `---` \
                     lines before parsing, which leaves the directive without its document \
                     (`did not find expected <document start>`)",
                )
                .at(location(index, Pos { line, column: 1 }))
                .with_hint("remove the directive"),
            );
            None
        } else if chunk.empty {
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
    /// The line of the first directive (`%YAML`, `%TAG`) when a `---` line that ends
    /// with a line break follows it (kyaml splits the stream there, see [`load_text`]).
    directive: Option<u32>,
}

struct OpenChunk {
    start: usize,
    first_line: u32,
    start_line: u32,
    explicit: bool,
    has_content: bool,
    has_directive: bool,
    /// Line of the first directive.
    directive_line: u32,
    /// [`Chunk::directive`].
    directive: Option<u32>,
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
            directive_line: 0,
            directive: None,
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
            directive: self.directive,
        }
    }
}

/// The index of the next `\n` at or after `from` (a word at a time).
fn next_newline(b: &[u8], from: usize) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const NL: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let mut i = from;
    while let Some(word) = b.get(i..i + 8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let x = u64::from_le_bytes(w) ^ NL;
        let found = x.wrapping_sub(LO) & !x & HI;
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b.get(i..)?.iter().position(|&c| c == b'\n').map(|p| i + p)
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
    let all = text.as_bytes();
    let mut offset = 0usize;
    let mut line_no: u32 = 0;
    while offset < all.len() {
        let line_start = offset;
        offset = next_newline(all, offset).map_or(all.len(), |i| i + 1);
        line_no = line_no.saturating_add(1);
        let bytes = &all[line_start..offset];
        if cur.has_content && !matches!(bytes[0], b'-' | b'.') {
            continue;
        }
        // Line breaks are character boundaries.
        let line = &text[line_start..offset];
        if is_marker(bytes, b'-') {
            if cur.explicit || cur.has_content {
                chunks.push(cur.finish(line_start));
                cur = OpenChunk::new(line_start, line_no);
            } else if !cur.has_directive {
                // Only comments so far: they belong to no document.
                cur = OpenChunk::new(line_start, line_no);
            }
            // else: directives before `---` stay in this document's text.
            if cur.has_directive && !cur.explicit && bytes.ends_with(b"\n") {
                cur.directive = Some(cur.directive_line);
            }
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
                if !cur.has_directive {
                    cur.directive_line = line_no;
                }
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

/// Deepest nesting ever allowed, whatever [`LoadOptions::max_depth`] says.
const DEPTH_CEILING: usize = 10_000;

/// Nesting the parser itself allows beyond the depth limit, so that the tree builder
/// (which reports the limit with its own message and position) always stops first.
const PARSER_DEPTH_SLACK: usize = 16;

/// Mappings longer than this get a hash index for duplicate detection.
const LINEAR_SCAN_MAX: usize = 16;

/// Why a document did not load.
struct Failure {
    code: &'static str,
    message: String,
    pos: Pos,
}

impl Failure {
    fn syntax(message: impl Into<String>, pos: Pos) -> Self {
        Failure {
            code: "yaml.syntax",
            message: message.into(),
            pos,
        }
    }

    fn limit(message: String, pos: Pos) -> Self {
        Failure {
            code: "yaml.limit",
            message,
            pos,
        }
    }
}

/// Parses one document (a chunk of the stream) into its root node, adding its findings
/// to `diags`.
fn parse_chunk(
    src: &str,
    chunk: &Chunk,
    index: usize,
    opts: &LoadOptions,
    diags: &mut Vec<Diagnostic>,
) -> Option<Node> {
    let mut scratch = SCRATCH.with(|s| s.take());
    let mut builder = Builder::new(opts, chunk.first_line - 1, index, diags, &mut scratch);
    let result = builder.run(src);
    drop(builder);
    scratch.clear();
    SCRATCH.with(|s| s.set(scratch));
    match result {
        Ok(root) => root,
        Err(f) => {
            // An error at the very end of the text would otherwise point at the next
            // document's `---` line.
            let lines = count_newlines(src.as_bytes()) + usize::from(!src.ends_with('\n'));
            let last_line = (chunk.first_line - 1).saturating_add(to_u32(lines.max(1)));
            let pos = if f.pos.line == 0 {
                Pos {
                    line: chunk.start_line,
                    column: 1,
                }
            } else {
                Pos {
                    line: f.pos.line.min(last_line),
                    column: f.pos.column.max(1),
                }
            };
            diags.push(Diagnostic::error(f.code, f.message).at(location(index, pos)));
            None
        }
    }
}

/// Buffers of the tree builder, kept between documents so that they do not grow anew
/// for each one.
#[derive(Default)]
struct Scratch {
    stack: Vec<Frame>,
    /// Items of the open sequences, innermost last (each sequence gets one exact
    /// allocation when it ends).
    items: Vec<Node>,
    /// Entries of the open mappings, innermost last.
    entries: Vec<Entry>,
}

impl Scratch {
    fn clear(&mut self) {
        // Left over only when a document failed; its partial trees can be deep.
        self.stack.clear();
        self.items.drain(..).for_each(dispose);
        self.entries.drain(..).for_each(|e| dispose(e.value));
        // Do not keep the memory of an unusually wide or deep document.
        const KEEP: usize = 4096;
        if self.stack.capacity() > KEEP {
            self.stack = Vec::new();
        }
        if self.items.capacity() > KEEP {
            self.items = Vec::new();
        }
        if self.entries.capacity() > KEEP {
            self.entries = Vec::new();
        }
    }
}

thread_local! {
    static SCRATCH: Cell<Scratch> = Cell::new(Scratch::default());
}

/// A collection being built.
enum Frame {
    Seq(SeqFrame),
    Map(MapFrame),
}

/// What every open collection records about itself.
struct FrameMeta {
    pos: Pos,
    /// Anchor id defined on the collection (`0`: none).
    anchor: usize,
    /// The document's node count before this collection.
    nodes_before: usize,
    /// Nesting height of the deepest child (`0`: only scalars or nothing).
    height: usize,
    /// In (or is) a flow collection.
    flow: bool,
    /// [`Schema::Kustomize`]: never decoded (see [`Builder::undecoded`]).
    undecoded: bool,
    /// [`Schema::Kustomize`]: a failure go-yaml v3 meets if it decodes the collection
    /// through an alias (found where nothing was decoded).
    latent: Option<Latent>,
}

/// A failure waiting in a part of the document that is not decoded (see [`FrameMeta`]).
#[derive(Debug, Clone)]
struct Latent {
    message: String,
}

struct SeqFrame {
    meta: FrameMeta,
    /// Where its items start in [`Builder::items`].
    start: usize,
}

struct MapFrame {
    meta: FrameMeta,
    /// Where its entries start in [`Builder::entries`].
    start: usize,
    /// Hash of each key to its entry, once the mapping outgrows a linear scan.
    index: Option<HashMap<u64, usize, BuildHasherDefault<KeyHasher>>>,
    /// Which entries were last set by a merge key (empty until the first merge).
    merged: Vec<bool>,
    state: KeyState,
    /// [`Schema::Kustomize`]: where the first key that is not a string is.
    non_string_key: Option<Pos>,
    /// [`Schema::Kustomize`]: where the first merge key (`<<`) is.
    merge_at: Option<Pos>,
    /// [`Schema::Kustomize`]: the spellings and places of null keys (their entries are
    /// dropped).
    dropped: Vec<(String, Pos)>,
    /// [`Schema::Kustomize`]: keys of entries set by a key that is not a string.
    non_str: Vec<String>,
    /// [`Schema::Kustomize`]: a key spelled `<<` was met. kyaml removes the first entry
    /// whose key is spelled `<<`, whatever its style or tag (see [`Builder::scalar`]).
    cleared: bool,
}

/// Where a mapping is between its keys and values.
enum KeyState {
    /// The next node is a key.
    Key,
    /// The next node is the value of this key.
    /// (With [`Schema::Kustomize`], `true` when the key is not a string.)
    Value(String, Pos, bool),
    /// The next node is the value of a merge key (`<<`) at this position.
    Merge(Pos),
    /// The next node is the value of an entry that is dropped (its key was a collection).
    Skip,
}

/// A node defined with `&name`, kept for its aliases.
struct Anchor {
    node: Node,
    /// Nodes in the subtree (mapping keys included).
    nodes: usize,
    /// Nesting height of the subtree (`0` for a scalar).
    height: usize,
    /// [`Schema::Kustomize`]: the key a scalar makes when an alias uses it as a key.
    key: Option<KeyText>,
    /// [`Schema::Kustomize`]: a mapping with a key that is not a string (where the key is).
    non_string_key: Option<Pos>,
    /// [`Schema::Kustomize`]: a failure met inside the anchored node where it was not
    /// decoded.
    latent: Option<Latent>,
}

/// What kustomize (go-yaml v3 decoding into `map[string]interface{}`) makes of a scalar
/// used as a mapping key.
#[derive(Debug, Clone)]
enum KeyText {
    /// A string key (quoted, `!!str`, or plain text that resolves to a string).
    Str(String),
    /// Another scalar: its spelling is the key where keys are read as strings (the root
    /// mapping, merged mappings); elsewhere kustomize cannot write the mapping as JSON.
    NonStr(String),
    /// A null key (its spelling): the entry is dropped (and, as for `NonStr`, a nested
    /// mapping fails).
    Null(String),
}

/// Builds a document's tree from the parser's events, with an explicit stack.
struct Builder<'a> {
    opts: &'a LoadOptions,
    max_depth: usize,
    /// Lines before the chunk (added to parser line numbers).
    base: u32,
    document: usize,
    diags: &'a mut Vec<Diagnostic>,
    stack: &'a mut Vec<Frame>,
    items: &'a mut Vec<Node>,
    entries: &'a mut Vec<Entry>,
    root: Option<Node>,
    /// Anchors by the parser's id (a redefined name gets a new id).
    anchors: HashMap<usize, Anchor>,
    nodes: usize,
    aliases: usize,
    merges: usize,
    recorded: usize,
    replayed: usize,
    /// [`Schema::Kustomize`]: the text, as parsed, of the block scalars (by position)
    /// whose value changed in kustomize's round trip (see [`kyaml_reread_block`]); an
    /// alias copying them into a flow collection gets this text back.
    refolded: HashMap<Pos, String>,
}

const NON_STRING_KEY: &str = "a nested mapping has a key that is not a string (a number, \
                              boolean, null, date or tagged scalar); kustomize cannot convert \
                              the document to JSON";

const BOMB: &str = "anchors and aliases expand to too much data (the shape of an alias bomb)";

impl<'a> Builder<'a> {
    fn new(
        opts: &'a LoadOptions,
        base: u32,
        document: usize,
        diags: &'a mut Vec<Diagnostic>,
        scratch: &'a mut Scratch,
    ) -> Self {
        Builder {
            opts,
            max_depth: opts.max_depth.min(DEPTH_CEILING),
            base,
            document,
            diags,
            stack: &mut scratch.stack,
            items: &mut scratch.items,
            entries: &mut scratch.entries,
            root: None,
            anchors: HashMap::new(),
            nodes: 0,
            aliases: 0,
            merges: 0,
            recorded: 0,
            replayed: 0,
            refolded: HashMap::new(),
        }
    }

    fn pos(&self, m: &Marker) -> Pos {
        Pos {
            line: self.base.saturating_add(to_u32(m.line())),
            column: to_u32(m.col().saturating_add(1)),
        }
    }

    fn run(&mut self, src: &str) -> Result<Option<Node>, Failure> {
        let nesting = self.max_depth.saturating_add(PARSER_DEPTH_SLACK);
        let mut options = granit_parser::Options::default();
        options.set_emit_comments(false);
        options.flow_nesting_limit = nesting;
        options.block_nesting_limit = nesting;
        let mut parser = Parser::new_from_str_with_options(src, options);
        let mut documents = 0usize;
        // Where the previous event ends (a block scalar's header is after it).
        let mut last_end = 0usize;
        while let Some(next) = parser.next_event() {
            let (event, span) = match next {
                Ok(ev) => ev,
                Err(e) => return Err(self.scan_failure(&e)),
            };
            let start = last_end;
            last_end = span.end.byte_offset().unwrap_or(last_end).max(last_end);
            match event {
                Event::DocumentStart(_, version) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(Failure::syntax(
                            "a second document starts here without a `---` line of its own",
                            self.pos(&span.start),
                        ));
                    }
                    if version.is_some_and(|v| v.major != 1 || v.minor != 1) {
                        return Err(Failure::syntax(
                            "found incompatible YAML document: go-yaml reads only `%YAML 1.1`",
                            self.pos(&span.start),
                        ));
                    }
                }
                Event::Scalar(text, style, anchor, tag) => {
                    let pos = self.pos(&span.start);
                    if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
                        && block_scalar_tab(src, start, &span)
                    {
                        return Err(Failure::syntax(
                            "found a tab character where an indentation space is expected \
                             (go-yaml finds a block scalar's indentation in spaces only; give \
                             it an indentation indicator such as `|2`)",
                            pos,
                        ));
                    }
                    // The parser reports an empty node as a plain `~`; the source tells
                    // them apart.
                    let empty = style == ScalarStyle::Plain
                        && (text.is_empty()
                            || (text == "~"
                                && tag.is_none()
                                && span
                                    .start
                                    .byte_offset()
                                    .is_some_and(|b| src.as_bytes().get(b) != Some(&b'~'))));
                    self.scalar(text, style, anchor, tag.as_deref(), pos, empty)?;
                }
                Event::SequenceStart(style, anchor, _) => {
                    let meta = self.open(anchor, &span, style == StructureStyle::Flow)?;
                    self.stack.push(Frame::Seq(SeqFrame {
                        meta,
                        start: self.items.len(),
                    }));
                }
                Event::MappingStart(style, anchor, _) => {
                    let meta = self.open(anchor, &span, style == StructureStyle::Flow)?;
                    self.stack.push(Frame::Map(MapFrame {
                        meta,
                        start: self.entries.len(),
                        index: None,
                        merged: Vec::new(),
                        state: KeyState::Key,
                        non_string_key: None,
                        merge_at: None,
                        dropped: Vec::new(),
                        non_str: Vec::new(),
                        cleared: false,
                    }));
                }
                Event::SequenceEnd | Event::MappingEnd => self.close()?,
                Event::Alias(id) => {
                    let pos = self.pos(&span.start);
                    self.alias(id, pos)?;
                }
                // Stream and document ends, and metadata events.
                _ => {}
            }
        }
        Ok(self.root.take())
    }

    /// A parser error as a failure; its message is the parser's short message only.
    fn scan_failure(&self, e: &ScanError) -> Failure {
        let pos = self.pos(e.marker());
        if matches!(e.kind(), ScanErrorKind::RecursionLimitExceeded) {
            return Failure::limit(self.depth_message(), pos);
        }
        Failure::syntax(clean_message(&e.kind().to_string()), pos)
    }

    fn depth_message(&self) -> String {
        format!(
            "collections nest deeper than the limit of {} levels",
            self.max_depth
        )
    }

    fn count_nodes(&mut self, n: usize, pos: Pos) -> Result<(), Failure> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.opts.max_nodes {
            return Err(Failure::limit(
                format!(
                    "more than {} nodes in one document, counting those produced by aliases",
                    self.opts.max_nodes
                ),
                pos,
            ));
        }
        Ok(())
    }

    /// Starts a collection: checks the limits and gives its frame data.
    fn open(&mut self, anchor: usize, span: &Span, flow: bool) -> Result<FrameMeta, Failure> {
        let pos = self.pos(&span.start);
        if self.stack.len() >= self.max_depth {
            return Err(Failure::limit(self.depth_message(), pos));
        }
        let nodes_before = self.nodes;
        self.count_nodes(1, pos)?;
        let flow = flow || self.in_flow();
        let undecoded = self.undecoded(true);
        Ok(FrameMeta {
            pos,
            anchor,
            nodes_before,
            height: 0,
            flow,
            undecoded,
            latent: None,
        })
    }

    /// True inside a flow collection (`[...]`, `{...}`).
    fn in_flow(&self) -> bool {
        match self.stack.last() {
            Some(Frame::Seq(s)) => s.meta.flow,
            Some(Frame::Map(m)) => m.meta.flow,
            None => false,
        }
    }

    /// [`Schema::Kustomize`]: true when the next node is never decoded: it is (inside)
    /// the value of an entry that is dropped (a null key) or, with `keys`, (inside) a
    /// mapping key. go-yaml v3 checks tags, merges and duplicate keys only while
    /// decoding.
    fn undecoded(&self, keys: bool) -> bool {
        self.kustomize()
            && match self.stack.last() {
                Some(Frame::Seq(s)) => s.meta.undecoded,
                Some(Frame::Map(m)) => {
                    m.meta.undecoded
                        || matches!(m.state, KeyState::Skip)
                        || (keys && matches!(m.state, KeyState::Key))
                }
                None => false,
            }
    }

    /// [`Schema::Kustomize`]: records a failure met where nothing is decoded.
    fn latent(&mut self, message: String) {
        match self.stack.last_mut() {
            Some(Frame::Seq(s)) => {
                s.meta.latent = s.meta.latent.take().or(Some(Latent { message }))
            }
            Some(Frame::Map(m)) => {
                m.meta.latent = m.meta.latent.take().or(Some(Latent { message }))
            }
            None => {}
        }
    }

    /// [`Schema::Kustomize`]: the innermost collection is never decoded.
    fn frame_undecoded(&self) -> bool {
        match self.stack.last() {
            Some(Frame::Seq(s)) => s.meta.undecoded,
            Some(Frame::Map(m)) => m.meta.undecoded,
            None => false,
        }
    }

    /// Ends the innermost collection and attaches it to its parent.
    fn close(&mut self) -> Result<(), Failure> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (meta, value, non_string_key) = match frame {
            Frame::Seq(s) => (
                s.meta,
                NodeValue::Seq(self.items.drain(s.start..).collect()),
                None,
            ),
            Frame::Map(m) => (
                m.meta,
                NodeValue::Map(self.entries.drain(m.start..).collect()),
                m.non_string_key,
            ),
        };
        let node = Node {
            pos: meta.pos,
            value,
        };
        let height = meta.height + 1;
        if meta.anchor != 0 {
            let nodes = self.nodes - meta.nodes_before;
            self.define(meta.anchor, &node, nodes, height, None, non_string_key)?;
            if let Some(a) = self.anchors.get_mut(&meta.anchor) {
                a.latent.clone_from(&meta.latent);
            }
        }
        if let Some(l) = meta.latent {
            self.latent(l.message);
        }
        if let Some(at) = non_string_key {
            if self.value_position() {
                if self.undecoded(true) {
                    self.latent(NON_STRING_KEY.to_string());
                } else {
                    self.non_string_key(at);
                }
            }
        }
        self.attach(node, height, None)
    }

    fn kustomize(&self) -> bool {
        self.opts.schema == Schema::Kustomize
    }

    /// True when the next node is a mapping key.
    fn key_position(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map(m)) if matches!(m.state, KeyState::Key))
    }

    /// True when kustomize decodes the next node as a free-standing value
    /// (`interface{}`): not the root (a `map[string]interface{}`), not a key, not a
    /// mapping merged with `<<` (its keys go into the merging mapping), not the value of
    /// a dropped entry.
    fn decoded_as_value(&self) -> bool {
        !self.undecoded(true) && self.value_position()
    }

    /// True when the next node is a value in the document's structure (see
    /// [`Builder::decoded_as_value`]), whether or not it is decoded.
    fn value_position(&self) -> bool {
        let n = self.stack.len();
        match self.stack.last() {
            None => false,
            Some(Frame::Map(m)) => matches!(m.state, KeyState::Value(..)),
            Some(Frame::Seq(_)) => {
                !(n >= 2
                    && matches!(&self.stack[n - 2], Frame::Map(m) if matches!(m.state, KeyState::Merge(_))))
            }
        }
    }

    /// [`Schema::Kustomize`]: a nested mapping has a key that is not a string.
    fn non_string_key(&mut self, at: Pos) {
        self.diags.push(
            Diagnostic::error("yaml.complex_key", NON_STRING_KEY)
                .at(location(self.document, at))
                .with_hint("quote the key"),
        );
    }

    /// [`Schema::Kustomize`]: values JSON cannot hold.
    fn check_json_value(&mut self, value: &NodeValue, at: Pos) {
        if matches!(value, NodeValue::Float(f) if !f.is_finite()) {
            self.diags.push(
                Diagnostic::error(
                    "yaml.syntax",
                    "`.inf` and `.nan` have no JSON form; kustomize cannot convert the \
                     document to JSON",
                )
                .at(location(self.document, at))
                .with_hint("quote the value"),
            );
        }
    }

    /// Records an anchored node for later aliases.
    fn define(
        &mut self,
        id: usize,
        node: &Node,
        nodes: usize,
        height: usize,
        key: Option<KeyText>,
        non_string_key: Option<Pos>,
    ) -> Result<(), Failure> {
        self.recorded = self.recorded.saturating_add(nodes);
        if self.recorded > self.opts.max_alias_events {
            return Err(Failure::limit(
                format!(
                    "{BOMB}: more than {} events recorded for anchors",
                    self.opts.max_alias_events
                ),
                node.pos,
            ));
        }
        self.anchors.insert(
            id,
            Anchor {
                node: copy_tree(node, None, None),
                nodes,
                height,
                key,
                non_string_key,
                latent: None,
            },
        );
        Ok(())
    }

    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        pos: Pos,
        empty: bool,
    ) -> Result<(), Failure> {
        self.count_nodes(1, pos)?;
        let tag = tag_kind(tag);
        let plain = style == ScalarStyle::Plain;
        let kustomize = self.kustomize();
        if let Some(Frame::Map(m)) = self.stack.last_mut() {
            if matches!(m.state, KeyState::Key) && text == "<<" {
                // go-yaml's merge key.
                let merge = (plain && matches!(tag, TagKind::None | TagKind::NonSpecific))
                    || tag == TagKind::Merge;
                if kustomize && !std::mem::replace(&mut m.cleared, true) && !merge {
                    // kyaml (`DeAnchor`, when it reads the resource) merges the value of
                    // the merge key, then removes the first entry whose key is spelled
                    // `<<`: a quoted or otherwise tagged `<<` written first disappears
                    // with its value.
                    m.state = KeyState::Skip;
                    return Ok(());
                }
                if merge {
                    m.state = KeyState::Merge(pos);
                    return Ok(());
                }
            }
        }
        let mut text = text;
        // kustomize writes the document out and reads it back before making JSON, and
        // go-yaml v3 writes a block scalar back as a block scalar unless it sits in a
        // flow collection or is a one-line key (see `kyaml_reread_block`).
        if kustomize
            && matches!(style, ScalarStyle::Literal | ScalarStyle::Folded)
            && !self.in_flow()
            && (!self.key_position() || text.contains('\n'))
        {
            match kyaml_reread_block(&text, style == ScalarStyle::Folded) {
                Reread::Same => {}
                Reread::Changed(new) => {
                    self.refolded.insert(pos, text.into_owned());
                    text = Cow::Owned(new);
                }
                Reread::Fails => self.diags.push(
                    Diagnostic::error(
                        "yaml.syntax",
                        "a block scalar (`|`, `>`) starting with a tab: kustomize writes it \
                         back without an indentation indicator and cannot read it again \
                         (`found a tab character where an indentation space is expected`)",
                    )
                    .at(location(self.document, pos))
                    .with_hint("use a double-quoted string (`\"\\t...\"`)"),
                ),
            }
        }
        let schema = self.opts.schema;
        let key_position = self.key_position();
        let undecoded = self.undecoded(false);
        let key = if self.kustomize() && (anchor != 0 || key_position) {
            match kustomize_key(&text, plain, tag) {
                Ok(k) => Some(k),
                Err(m) if undecoded => {
                    self.latent(m);
                    None
                }
                Err(m) => return Err(Failure::syntax(m, pos)),
            }
        } else {
            None
        };
        // kustomize writes the document out and reads it back before making JSON; in a
        // flow collection a plain scalar with a `:` comes back quoted, so a date with a
        // time stays a string there.
        let timestamps = schema == Schema::Kustomize && !(self.in_flow() && text.contains(':'));
        let empty_in_flow = schema == Schema::Kustomize
            && empty
            && matches!(tag, TagKind::None | TagKind::NonSpecific)
            && self.in_flow()
            && !key_position;
        let value = if empty_in_flow {
            // Written back as `''` in a flow collection: an empty string, not null.
            NodeValue::String(String::new())
        } else if undecoded {
            match scalar_value(text.clone(), plain, tag, schema, timestamps) {
                Ok(v) => v,
                Err(m) => {
                    self.latent(m);
                    NodeValue::String(text.into_owned())
                }
            }
        } else {
            scalar_value(text, plain, tag, schema, timestamps)
                .map_err(|m| Failure::syntax(m, pos))?
        };
        if self.kustomize() && !key_position && !undecoded {
            self.check_json_value(&value, pos);
        }
        let node = Node { pos, value };
        if anchor != 0 {
            self.define(anchor, &node, 1, 0, key.clone(), None)?;
        }
        self.attach(node, 0, key)
    }

    fn alias(&mut self, id: usize, pos: Pos) -> Result<(), Failure> {
        self.aliases += 1;
        if self.aliases > self.opts.max_aliases {
            return Err(Failure::limit(
                format!(
                    "more than {} aliases (`*name`) in one document",
                    self.opts.max_aliases
                ),
                pos,
            ));
        }
        let (nodes, height, key, non_string_key, latent) = match self.anchors.get(&id) {
            Some(a) => (
                a.nodes,
                a.height,
                a.key.clone(),
                a.non_string_key,
                a.latent.clone(),
            ),
            _ => {
                let open = self.stack.iter().any(|f| match f {
                    Frame::Seq(s) => s.meta.anchor == id,
                    Frame::Map(m) => m.meta.anchor == id,
                });
                if open && self.undecoded(true) {
                    // go-yaml v3 only fails on a recursive alias when it decodes it.
                    self.latent(
                        "an alias refers to a node that contains it (a recursive structure)"
                            .to_string(),
                    );
                    let node = Node {
                        pos,
                        value: NodeValue::Null,
                    };
                    return self.attach(node, 0, None);
                }
                let message = if open {
                    "an alias refers to a node that contains it (a recursive structure)"
                } else {
                    "an alias refers to an unknown anchor"
                };
                return Err(Failure::syntax(message, pos));
            }
        };
        self.replayed = self.replayed.saturating_add(nodes);
        if self.replayed > self.opts.max_alias_events.saturating_mul(2) {
            return Err(Failure::limit(
                format!(
                    "{BOMB}: more than {} events replayed for aliases",
                    self.opts.max_alias_events.saturating_mul(2)
                ),
                pos,
            ));
        }
        if self.stack.len() + height > self.max_depth {
            return Err(Failure::limit(self.depth_message(), pos));
        }
        self.count_nodes(nodes, pos)?;
        // In a flow collection go-yaml v3 writes block scalars quoted: their text comes
        // back unchanged.
        let raw = (self.in_flow() && !self.refolded.is_empty()).then_some(&self.refolded);
        let node = match self.anchors.get(&id) {
            Some(a) => copy_tree(&a.node, Some(pos), raw),
            _ => return Ok(()),
        };
        if let Some(l) = latent {
            if self.undecoded(false) {
                self.latent(l.message);
            } else {
                return Err(Failure::syntax(l.message, pos));
            }
        }
        if self.kustomize() {
            if non_string_key.is_some() && self.decoded_as_value() {
                self.non_string_key(pos);
            }
            if !self.key_position() && !self.undecoded(false) {
                self.check_json_value(&node.value, pos);
            }
        }
        self.attach(node, height, key)
    }

    /// Attaches a finished node to the innermost collection, or makes it the root. `key`
    /// is what the node makes as a mapping key with [`Schema::Kustomize`] (scalars only).
    fn attach(&mut self, node: Node, height: usize, key: Option<KeyText>) -> Result<(), Failure> {
        let state = match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                return Ok(());
            }
            Some(Frame::Seq(s)) => {
                s.meta.height = s.meta.height.max(height);
                self.items.push(node);
                return Ok(());
            }
            Some(Frame::Map(m)) => {
                m.meta.height = m.meta.height.max(height);
                std::mem::replace(&mut m.state, KeyState::Key)
            }
        };
        match state {
            KeyState::Key => {
                let pos = node.pos;
                let quiet = self.frame_undecoded();
                let mut non_str = false;
                let text = match key {
                    // Kustomize: scalar keys keep their spelling.
                    Some(KeyText::Str(s)) => {
                        self.check_dropped_duplicate(&s, pos);
                        Some(s)
                    }
                    Some(KeyText::NonStr(s)) => {
                        self.mark_non_string_key(pos);
                        self.check_dropped_duplicate(&s, pos);
                        non_str = true;
                        Some(s)
                    }
                    Some(KeyText::Null(s)) => {
                        self.mark_non_string_key(pos);
                        self.drop_null_key(s, pos);
                        None
                    }
                    None if quiet => key_string(node.value),
                    None => {
                        let unsupported = match &node.value {
                            NodeValue::Null => Some("null"),
                            NodeValue::UInt(_) => Some("an integer above the int64 range"),
                            _ => None,
                        };
                        if let Some(what) = unsupported {
                            self.diags.push(
                                Diagnostic::error(
                                    "yaml.unsupported_key",
                                    format!(
                                        "mapping key is {what}: Kubernetes' YAML reader rejects the \
                                         document (unsupported map key); the entry is kept under its text"
                                    ),
                                )
                                .at(location(self.document, pos)),
                            );
                        }
                        key_string(node.value)
                    }
                    .or_else(|| {
                        self.diags.push(
                            Diagnostic::error(
                                "yaml.complex_key",
                                "mapping key is not a string-like scalar (a mapping, a sequence \
                                 or an unreadable tagged scalar); the entry is ignored",
                            )
                            .at(location(self.document, pos)),
                        );
                        None
                    }),
                };
                let next = match text {
                    Some(key) => KeyState::Value(key, pos, non_str),
                    None => KeyState::Skip,
                };
                if let Some(Frame::Map(m)) = self.stack.last_mut() {
                    m.state = next;
                }
            }
            KeyState::Value(key, key_pos, non_str) => {
                let quiet = self.frame_undecoded();
                let kustomize = self.kustomize();
                let duplicate = match self.stack.last_mut() {
                    // go-yaml v3 merges after setting a mapping's own keys, and a key that
                    // is not a string does not stop a merged key with the same spelling.
                    Some(Frame::Map(m))
                        if kustomize && non_str && m.merged_at(self.entries, &key) =>
                    {
                        dispose(node);
                        None
                    }
                    Some(Frame::Map(m)) => {
                        if kustomize && non_str {
                            m.non_str.push(key.clone());
                        }
                        m.insert(self.entries, key, key_pos, node, false)
                    }
                    _ => None,
                };
                if let Some((key, first_line)) = duplicate.filter(|_| !quiet) {
                    let d = Diagnostic::error(
                        "yaml.duplicate_key",
                        format!(
                            "duplicate key `{}` (first at line {first_line}); the last value is kept",
                            show_key(&key)
                        ),
                    )
                    .at(location(self.document, key_pos))
                    .with_hint("Kubernetes rejects duplicate keys; keep only one of them");
                    self.diags.push(d);
                }
            }
            KeyState::Merge(pos) => {
                self.merges += 1;
                if self.merges > self.opts.max_aliases {
                    return Err(Failure::limit(
                        format!(
                            "more than {} merge keys (`<<`) in one document",
                            self.opts.max_aliases
                        ),
                        pos,
                    ));
                }
                let kustomize = self.kustomize();
                if kustomize && self.frame_undecoded() {
                    dispose(node);
                    return Ok(());
                }
                let mut again = None;
                if let Some(Frame::Map(m)) = self.stack.last_mut() {
                    if kustomize {
                        again = m.merge_at.replace(pos);
                    }
                    m.merge(self.entries, node, kustomize)?;
                }
                if let Some(first) = again {
                    // go-yaml v3 rejects a repeated key, `<<` included.
                    self.diags.push(
                        Diagnostic::error(
                            "yaml.duplicate_key",
                            format!("duplicate merge key `<<` (first at line {})", first.line),
                        )
                        .at(location(self.document, pos))
                        .with_hint("merge several mappings with one `<<: [*a, *b]`"),
                    );
                }
            }
            KeyState::Skip => dispose(node),
        }
        Ok(())
    }

    /// [`Schema::Kustomize`]: the innermost mapping has a key that is not a string.
    fn mark_non_string_key(&mut self, at: Pos) {
        if let Some(Frame::Map(m)) = self.stack.last_mut() {
            m.non_string_key.get_or_insert(at);
        }
    }

    /// [`Schema::Kustomize`]: an entry with a null key is dropped; go-yaml v3 still
    /// rejects its key when it repeats the spelling of another key.
    fn drop_null_key(&mut self, key: String, at: Pos) {
        let start = match self.stack.last() {
            Some(Frame::Map(m)) => m.start.min(self.entries.len()),
            _ => return,
        };
        let first = self.entries[start..]
            .iter()
            .find(|e| e.key == key)
            .map(|e| e.key_pos);
        let quiet = self.frame_undecoded();
        if let Some(Frame::Map(m)) = self.stack.last_mut() {
            let first = first.or_else(|| m.dropped.iter().find(|(k, _)| *k == key).map(|d| d.1));
            m.dropped.push((key.clone(), at));
            if let Some(first) = first.filter(|_| !quiet) {
                self.report_duplicate(&key, first.line, at);
            }
        }
    }

    /// [`Schema::Kustomize`]: a key repeating the spelling of a dropped null key.
    fn check_dropped_duplicate(&mut self, key: &str, at: Pos) {
        let first = match self.stack.last() {
            Some(Frame::Map(m)) if !m.meta.undecoded => {
                m.dropped.iter().find(|(k, _)| k == key).map(|d| d.1)
            }
            _ => None,
        };
        if let Some(first) = first {
            self.report_duplicate(key, first.line, at);
        }
    }

    fn report_duplicate(&mut self, key: &str, first_line: u32, at: Pos) {
        let d = Diagnostic::error(
            "yaml.duplicate_key",
            format!(
                "duplicate key `{}` (first at line {first_line}); the last value is kept",
                show_key(key)
            ),
        )
        .at(location(self.document, at))
        .with_hint("Kubernetes rejects duplicate keys; keep only one of them");
        self.diags.push(d);
    }
}

impl MapFrame {
    /// The entry holding `key` among `entries` (the mapping's own entries; `hash` is
    /// [`hash_key`] of the key when the index exists).
    fn find(&self, entries: &[Entry], key: &str, hash: u64) -> Option<usize> {
        match &self.index {
            None => entries.iter().position(|e| e.key == key),
            Some(ix) => match ix.get(&hash) {
                None => None,
                Some(&i) if entries[i].key == key => Some(i),
                // A hash collision: fall back to a scan.
                Some(_) => entries.iter().position(|e| e.key == key),
            },
        }
    }

    /// Sets `key` (a later value replaces an earlier one, as in go-yaml) in the mapping,
    /// whose entries are `all[self.start..]`. Returns the key and the line of its earlier
    /// occurrence when an explicit key repeats an explicit key.
    fn insert(
        &mut self,
        all: &mut Vec<Entry>,
        key: String,
        key_pos: Pos,
        value: Node,
        from_merge: bool,
    ) -> Option<(String, u32)> {
        let hash = if self.index.is_some() {
            hash_key(&key)
        } else {
            0
        };
        let start = self.start.min(all.len());
        if let Some(i) = self.find(&all[start..], &key, hash) {
            let was_merged = self.merged.get(i).copied().unwrap_or(false);
            let len = all.len() - start;
            self.mark(len, i, from_merge);
            let e = &mut all[start + i];
            let first_line = e.key_pos.line;
            e.key_pos = key_pos;
            dispose(std::mem::replace(&mut e.value, value));
            return (!from_merge && !was_merged).then_some((key, first_line));
        }
        let i = all.len() - start;
        if let Some(ix) = &mut self.index {
            ix.entry(hash).or_insert(i);
        }
        all.push(Entry {
            key,
            key_pos,
            value,
        });
        self.mark(i + 1, i, from_merge);
        if self.index.is_none() && i + 1 > LINEAR_SCAN_MAX {
            let mut ix = HashMap::with_capacity_and_hasher(
                (i + 1) * 2,
                BuildHasherDefault::<KeyHasher>::default(),
            );
            for (i, e) in all[start..].iter().enumerate() {
                ix.entry(hash_key(&e.key)).or_insert(i);
            }
            self.index = Some(ix);
        }
        None
    }

    /// Records whether entry `i` (of `len`) was last set by a merge key.
    fn mark(&mut self, len: usize, i: usize, from_merge: bool) {
        if !from_merge && self.merged.is_empty() {
            return;
        }
        if self.merged.len() < len {
            self.merged.resize(len, false);
        }
        if let Some(m) = self.merged.get_mut(i) {
            *m = from_merge;
        }
    }

    /// Applies a merge key's value as go-yaml v2 does: the merged entries are set in
    /// order (replacing keys set before the `<<`, and replaced by keys set after it);
    /// of a sequence of mappings, earlier mappings win over later ones. With `keep`
    /// (go-yaml v3, [`Schema::Kustomize`]) keys already set are never replaced.
    fn merge(&mut self, all: &mut Vec<Entry>, node: Node, keep: bool) -> Result<(), Failure> {
        const WANT_MAP: &str =
            "the value of a merge key (`<<`) must be a mapping or a sequence of mappings";
        match node.value {
            NodeValue::Map(entries) => {
                for e in entries {
                    self.merge_entry(all, e, keep);
                }
                Ok(())
            }
            NodeValue::Seq(items) => {
                if let Some(bad) = items.iter().find(|n| !matches!(n.value, NodeValue::Map(_))) {
                    return Err(Failure::syntax(WANT_MAP, bad.pos));
                }
                let ordered: Box<dyn Iterator<Item = Node>> = if keep {
                    Box::new(items.into_iter())
                } else {
                    Box::new(items.into_iter().rev())
                };
                for item in ordered {
                    if let NodeValue::Map(entries) = item.value {
                        for e in entries {
                            self.merge_entry(all, e, keep);
                        }
                    }
                }
                Ok(())
            }
            _ => Err(Failure::syntax(WANT_MAP, node.pos)),
        }
    }

    /// Sets one merged entry; with `keep`, only when the key is not set yet by a string
    /// key or an earlier merge.
    fn merge_entry(&mut self, all: &mut Vec<Entry>, e: Entry, keep: bool) {
        if keep {
            if let Some(i) = self.position(all, &e.key) {
                let merged = self.merged.get(i).copied().unwrap_or(false);
                if merged || !self.non_str.contains(&e.key) {
                    dispose(e.value);
                    return;
                }
                self.non_str.retain(|k| *k != e.key);
            }
        }
        self.insert(all, e.key, e.key_pos, e.value, true);
    }

    /// The index (among the mapping's own entries in `all`) of `key`.
    fn position(&self, all: &[Entry], key: &str) -> Option<usize> {
        let start = self.start.min(all.len());
        let hash = if self.index.is_some() {
            hash_key(key)
        } else {
            0
        };
        self.find(&all[start..], key, hash)
    }

    /// True when `key` was last set by a merge key.
    fn merged_at(&self, all: &[Entry], key: &str) -> bool {
        self.position(all, key)
            .is_some_and(|i| self.merged.get(i).copied().unwrap_or(false))
    }
}

impl Drop for Builder<'_> {
    fn drop(&mut self) {
        for (_, anchor) in self.anchors.drain() {
            dispose(anchor.node);
        }
    }
}

/// Drops a tree without recursion (dropping a deep tree the usual way recurses once per
/// level).
fn dispose(node: Node) {
    if !matches!(node.value, NodeValue::Seq(_) | NodeValue::Map(_)) {
        return;
    }
    let mut pending = vec![node];
    while let Some(mut n) = pending.pop() {
        match &mut n.value {
            NodeValue::Seq(items) => pending.append(items),
            NodeValue::Map(entries) => pending.extend(entries.drain(..).map(|e| e.value)),
            _ => {}
        }
    }
}

/// A hasher for keys that already are hashes (see [`hash_key`]).
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(HASH_MUL);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

const HASH_MUL: u64 = 0x517c_c1b7_2722_0a95;

/// A fast hash of a mapping key (collisions are handled by the caller).
fn hash_key(key: &str) -> u64 {
    let mut h = key.len() as u64;
    for chunk in key.as_bytes().chunks(8) {
        let mut buf = [0u8; 8];
        buf[..chunk.len()].copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(HASH_MUL);
    }
    h
}

/// Copies a tree without recursion; with `pos`, every node and key of the copy gets
/// that position (an alias is reported where it is used). With `raw`, a string whose
/// position is in it takes the text found there instead (see [`Builder::refolded`]).
fn copy_tree(src: &Node, pos: Option<Pos>, raw: Option<&HashMap<Pos, String>>) -> Node {
    enum Level<'n> {
        Seq(Pos, std::slice::Iter<'n, Node>, Vec<Node>),
        Map(Pos, std::slice::Iter<'n, Entry>, Vec<Entry>, String, Pos),
    }
    let at = |p: Pos| pos.unwrap_or(p);
    let mut stack: Vec<Level<'_>> = Vec::new();
    let mut next = Some(src);
    loop {
        let mut done = None;
        if let Some(n) = next.take() {
            match &n.value {
                NodeValue::Seq(items) => stack.push(Level::Seq(
                    at(n.pos),
                    items.iter(),
                    Vec::with_capacity(items.len()),
                )),
                NodeValue::Map(entries) => stack.push(Level::Map(
                    at(n.pos),
                    entries.iter(),
                    Vec::with_capacity(entries.len()),
                    String::new(),
                    Pos::default(),
                )),
                scalar => {
                    let value = match (scalar, raw.and_then(|r| r.get(&n.pos))) {
                        (NodeValue::String(_), Some(text)) => NodeValue::String(text.clone()),
                        _ => scalar.clone(),
                    };
                    done = Some(Node {
                        pos: at(n.pos),
                        value,
                    })
                }
            }
        }
        // Attach finished nodes upwards until a level has another child to copy.
        loop {
            if let Some(node) = done.take() {
                match stack.last_mut() {
                    None => return node,
                    Some(Level::Seq(_, _, out)) => out.push(node),
                    Some(Level::Map(_, _, out, key, key_pos)) => out.push(Entry {
                        key: std::mem::take(key),
                        key_pos: *key_pos,
                        value: node,
                    }),
                }
            }
            match stack.last_mut() {
                None => {
                    return Node {
                        pos: Pos::default(),
                        value: NodeValue::Null,
                    }
                }
                Some(Level::Seq(_, rest, _)) => {
                    if let Some(child) = rest.next() {
                        next = Some(child);
                        break;
                    }
                }
                Some(Level::Map(_, rest, _, key, key_pos)) => {
                    if let Some(e) = rest.next() {
                        key.clone_from(&e.key);
                        *key_pos = at(e.key_pos);
                        next = Some(&e.value);
                        break;
                    }
                }
            }
            done = match stack.pop() {
                Some(Level::Seq(p, _, items)) => Some(Node {
                    pos: p,
                    value: NodeValue::Seq(items),
                }),
                Some(Level::Map(p, _, entries, _, _)) => Some(Node {
                    pos: p,
                    value: NodeValue::Map(entries),
                }),
                None => None,
            };
        }
    }
}

// ---------------------------------------------------------------------------
// kustomize's round trip of block scalars
// ---------------------------------------------------------------------------

/// A block scalar whose first line starts with a tab, right after the indentation that
/// go-yaml (v2 and v3) finds by itself: it counts only spaces there and fails (`found a
/// tab character where an indentation space is expected`), where YAML 1.2 reads the tab
/// as content. With an indentation indicator (`|2`) the tab is content for go-yaml too.
/// `from` is where the previous event ends: the header (`|`, `>`...) is between it and
/// the content.
fn block_scalar_tab(src: &str, from: usize, span: &Span) -> bool {
    let Some(content) = span.start.byte_offset() else {
        return false;
    };
    if src.as_bytes().get(content) != Some(&b'\t') {
        return false;
    }
    src.get(from.min(content)..content)
        .and_then(block_header_indicator)
        .is_some_and(|explicit| !explicit)
}

/// In the text between a block scalar's previous event and its content: whether its
/// header (`|`, `>` with their indicators) has an explicit indentation indicator.
/// Comments, tags (`!...`) and anchors (`&...`) are skipped; `None` when no header is
/// found.
fn block_header_indicator(text: &str) -> Option<bool> {
    let mut chars = text.chars().peekable();
    let mut token_start = true;
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            token_start = true;
            continue;
        }
        if !token_start {
            continue;
        }
        token_start = false;
        match c {
            '#' => {
                // A comment, to the end of the line.
                for c in chars.by_ref() {
                    if c == '\n' {
                        token_start = true;
                        break;
                    }
                }
            }
            '|' | '>' => {
                let mut explicit = false;
                while let Some(&c) = chars.peek() {
                    match c {
                        '1'..='9' => explicit = true,
                        '+' | '-' => {}
                        _ => break,
                    }
                    chars.next();
                }
                return Some(explicit);
            }
            // Other tokens (`:`, `-`, `?`, `---`, tags, anchors) are skipped whole.
            _ => {}
        }
    }
    None
}

/// What a block scalar's text becomes when kustomize writes it back and reads it again.
#[derive(Debug, PartialEq, Eq)]
enum Reread {
    Same,
    Changed(String),
    /// go-yaml v3 cannot read back what it wrote.
    Fails,
}

/// [`Schema::Kustomize`]: the text of a literal (`|`) or folded (`>`) scalar after
/// kyaml's `RNode.MarshalJSON`, which encodes the node with go-yaml v3 (keeping its
/// style) and decodes the text again. The caller checks that go-yaml writes the scalar
/// in block style at all (not in a flow collection, not a one-line key).
///
/// - go-yaml v3 keeps the block style only for text it can write so (not empty, no
///   trailing space, no space before a line break, only printable characters: no
///   control character but tab, no `U+FEFF`, nothing above `U+FFFF`); other text is
///   written quoted and comes back as it was.
/// - It writes an indentation indicator only when the text starts with a space or a
///   line break: text starting with a tab cannot be read back.
/// - Writing folded text, it adds an empty line after every line that does not start
///   with a space or tab, whenever the text's first line (after its leading line breaks)
///   does not start with one either: its test for "is the next line more indented"
///   looks at the start of the text instead of at the next line. Read back, the extra
///   empty line adds a line break before a more indented line, before the trailing line
///   breaks of `>+`, or before a line starting with a tab.
///
/// Line separators (`U+2028`, `U+2029`), which go-yaml treats as line breaks, are not
/// modelled: such text is left as it is.
fn kyaml_reread_block(text: &str, folded: bool) -> Reread {
    if text.is_empty() || text.ends_with(' ') {
        return Reread::Same;
    }
    let mut after_space = false;
    for c in text.chars() {
        let v = u32::from(c);
        let printable = c == '\n'
            || c == '\t'
            || (0x20..=0x7E).contains(&v)
            || (0xA0..=0xD7FF).contains(&v)
            || ((0xE000..=0xFFFD).contains(&v) && v != 0xFEFF);
        if !printable || (after_space && c == '\n') {
            return Reread::Same;
        }
        after_space = c == ' ';
    }
    if text.starts_with('\t') {
        return Reread::Fails;
    }
    if !folded || text.contains(['\u{2028}', '\u{2029}']) {
        return Reread::Same;
    }
    let refolded = refold(text);
    if refolded == text {
        Reread::Same
    } else {
        Reread::Changed(refolded)
    }
}

/// Folded text as go-yaml v3 writes it (without indentation), then read back by go-yaml
/// v3 (see [`kyaml_reread_block`]).
fn refold(text: &str) -> String {
    // Writing: every line break, plus the extra empty lines.
    let extra = text
        .trim_start_matches('\n')
        .starts_with(|c: char| c != ' ' && c != '\t');
    let mut written = String::with_capacity(text.len() + text.len() / 8 + 1);
    let mut at_line_start = true;
    let mut blank_start = true;
    for c in text.chars() {
        if c == '\n' {
            if !at_line_start && !blank_start && extra {
                written.push('\n');
            }
            at_line_start = true;
        } else if at_line_start {
            blank_start = c == ' ' || c == '\t';
            at_line_start = false;
        }
        written.push(c);
    }
    // The next node starts on a new line.
    if !text.ends_with('\n') {
        written.push('\n');
    }
    // The chomping indicator written: `-` without a final line break, `+` with two
    // (or a text that is one line break), none with one.
    let strip = !text.ends_with('\n');
    let keep = text.ends_with("\n\n") || text == "\n";

    // Reading: YAML folding as go-yaml v3 does it.
    let mut out = String::with_capacity(text.len());
    let mut pending_break = false;
    let mut empty_lines = 0usize;
    let mut blank_before = false;
    for line in written.split_terminator('\n') {
        if line.is_empty() {
            empty_lines += 1;
            continue;
        }
        let blank = line.starts_with([' ', '\t']);
        if pending_break && !blank_before && !blank {
            if empty_lines == 0 {
                out.push(' ');
            }
        } else if pending_break {
            out.push('\n');
        }
        out.extend(std::iter::repeat_n('\n', empty_lines));
        empty_lines = 0;
        blank_before = blank;
        out.push_str(line);
        pending_break = true;
    }
    if !strip && pending_break {
        out.push('\n');
    }
    if keep {
        out.extend(std::iter::repeat_n('\n', empty_lines));
    }
    out
}

// ---------------------------------------------------------------------------
// Scalar resolution, as Kubernetes reads YAML (sigs.k8s.io/yaml: go-yaml v2, YAML 1.1)
// ---------------------------------------------------------------------------

/// What a tag asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TagKind {
    /// No tag.
    None,
    /// The non-specific tag `!`.
    NonSpecific,
    Str,
    Bool,
    Int,
    Float,
    Null,
    Timestamp,
    Binary,
    Merge,
    /// Any other tag (application tags such as `!Ref`, `!!seq` on a scalar...).
    Other,
}

const CORE_PREFIX: &str = "tag:yaml.org,2002:";

fn tag_kind(tag: Option<&Tag>) -> TagKind {
    let Some(tag) = tag else {
        return TagKind::None;
    };
    let (handle, suffix) = (tag.handle(), tag.suffix());
    let core = if handle == CORE_PREFIX {
        suffix
    } else if handle.is_empty() {
        // Verbatim tags (`!<...>`) and the non-specific `!`.
        if suffix == "!" {
            return TagKind::NonSpecific;
        }
        match suffix.strip_prefix(CORE_PREFIX) {
            Some(s) => s,
            None => return TagKind::Other,
        }
    } else if handle == "!" && suffix.is_empty() {
        return TagKind::NonSpecific;
    } else {
        return TagKind::Other;
    };
    match core {
        "str" => TagKind::Str,
        "bool" => TagKind::Bool,
        "int" => TagKind::Int,
        "float" => TagKind::Float,
        "null" => TagKind::Null,
        "timestamp" => TagKind::Timestamp,
        "binary" => TagKind::Binary,
        "merge" => TagKind::Merge,
        _ => TagKind::Other,
    }
}

/// The value of a scalar: plain untagged scalars are resolved, quoted and block scalars
/// stay strings, and the standard tags are applied as go-yaml v2 (or v3, for
/// [`Schema::Kustomize`]) applies them (a value that does not fit its tag is an error;
/// other tags leave a string).
///
/// `timestamps`: plain untagged dates become timestamps (go-yaml v3).
fn scalar_value(
    text: Cow<'_, str>,
    plain: bool,
    tag: TagKind,
    schema: Schema,
    timestamps: bool,
) -> Result<NodeValue, String> {
    match tag {
        TagKind::None if plain => resolve_plain(text, schema, timestamps),
        // go-yaml v3 resolves a plain scalar tagged `!` as an untagged one.
        TagKind::NonSpecific if plain && schema == Schema::Kustomize => {
            resolve_plain(text, schema, timestamps)
        }
        TagKind::None | TagKind::NonSpecific | TagKind::Str | TagKind::Merge | TagKind::Other => {
            Ok(NodeValue::String(text.into_owned()))
        }
        TagKind::Binary => match decode_base64(&text) {
            Some(bytes) => Ok(NodeValue::String(go_lossy_utf8(&bytes))),
            None => Err("a scalar tagged !!binary is not valid base64".to_string()),
        },
        TagKind::Bool | TagKind::Int | TagKind::Float | TagKind::Null | TagKind::Timestamp => {
            resolve_tagged(text, tag, schema)
        }
    }
}

/// Bytes as Go's JSON encoder writes them into a string: each byte that does not start
/// a valid UTF-8 sequence becomes one `U+FFFD`.
fn go_lossy_utf8(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                out.push_str(s);
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                out.push_str(std::str::from_utf8(valid).unwrap_or_default());
                out.push('\u{FFFD}');
                rest = after.get(1..).unwrap_or_default();
            }
        }
    }
    out
}

/// What kustomize makes of a scalar used as a mapping key (go-yaml v3 decoding it into a
/// Go string): its spelling, or the decoded bytes of `!!binary`; an error when the
/// scalar does not fit its standard tag.
fn kustomize_key(text: &str, plain: bool, tag: TagKind) -> Result<KeyText, String> {
    let schema = Schema::Kustomize;
    Ok(match tag {
        TagKind::Str | TagKind::Merge => KeyText::Str(text.to_string()),
        TagKind::None | TagKind::NonSpecific if !plain => KeyText::Str(text.to_string()),
        TagKind::None | TagKind::NonSpecific => match resolve(text, true, schema) {
            Resolved::Str => KeyText::Str(text.to_string()),
            Resolved::Null => KeyText::Null(text.to_string()),
            _ => KeyText::NonStr(text.to_string()),
        },
        TagKind::Other => KeyText::NonStr(text.to_string()),
        TagKind::Binary => match decode_base64(text) {
            Some(bytes) => KeyText::NonStr(go_lossy_utf8(&bytes)),
            None => return Err("a scalar tagged !!binary is not valid base64".to_string()),
        },
        TagKind::Bool | TagKind::Int | TagKind::Float | TagKind::Null | TagKind::Timestamp => {
            match resolve_tagged(Cow::Borrowed(text), tag, schema)? {
                NodeValue::Null => KeyText::Null(text.to_string()),
                _ => KeyText::NonStr(text.to_string()),
            }
        }
    })
}

/// The value the loader gives an untagged plain scalar `text` in block context
/// under [`Schema::Kubernetes`]; `None` when the scalar is an error. For fast paths
/// that must agree with the full loader.
pub(crate) fn kubernetes_plain_scalar(text: &str) -> Option<NodeValue> {
    resolve_plain(Cow::Borrowed(text), Schema::Kubernetes, false).ok()
}

/// True when go-yaml v2 reads the plain scalar `s` back as the string `s` (its encoder
/// writes such strings unquoted).
pub(crate) fn v2_plain_is_str(s: &str) -> bool {
    matches!(resolve(s, true, Schema::Kubernetes), Resolved::Str)
}

/// What go-yaml v2's `resolve` makes of a scalar's text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Resolved {
    Str,
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    /// A timestamp (Kubernetes keeps its text as a string).
    Timestamp,
}

impl Resolved {
    fn tag(self) -> &'static str {
        match self {
            Resolved::Str => "!!str",
            Resolved::Null => "!!null",
            Resolved::Bool(_) => "!!bool",
            Resolved::Int(_) | Resolved::UInt(_) => "!!int",
            Resolved::Float(_) => "!!float",
            Resolved::Timestamp => "!!timestamp",
        }
    }
}

fn resolve_plain(
    text: Cow<'_, str>,
    schema: Schema,
    timestamps: bool,
) -> Result<NodeValue, String> {
    Ok(match resolve(&text, timestamps, schema) {
        Resolved::Str => NodeValue::String(text.into_owned()),
        Resolved::Timestamp => NodeValue::String(timestamp_text(&text, schema)?),
        Resolved::Null => NodeValue::Null,
        Resolved::Bool(b) => NodeValue::Bool(b),
        Resolved::Int(i) => NodeValue::Int(i),
        Resolved::UInt(u) => NodeValue::UInt(u),
        Resolved::Float(f) => NodeValue::Float(f),
    })
}

/// A timestamp's JSON string: its text (go-yaml v2) or Go's RFC 3339 form (go-yaml v3
/// gives a `time.Time`, which Go's JSON encoder writes so).
fn timestamp_text(text: &str, schema: Schema) -> Result<String, String> {
    if schema == Schema::Kubernetes {
        return Ok(text.to_string());
    }
    match parse_timestamp(text).map(|t| t.rfc3339_nano()) {
        Some(Some(s)) => Ok(s),
        Some(None) => Err(
            "a timestamp's zone offset is 24 hours or more, which Go cannot write as JSON"
                .to_string(),
        ),
        None => Ok(text.to_string()),
    }
}

fn resolve_tagged(text: Cow<'_, str>, tag: TagKind, schema: Schema) -> Result<NodeValue, String> {
    let r = resolve(&text, tag == TagKind::Timestamp, schema);
    Ok(match (tag, r) {
        (TagKind::Bool, Resolved::Bool(b)) => NodeValue::Bool(b),
        (TagKind::Int, Resolved::Int(i)) => NodeValue::Int(i),
        (TagKind::Int, Resolved::UInt(u)) => NodeValue::UInt(u),
        (TagKind::Float, Resolved::Float(f)) => NodeValue::Float(f),
        // go-yaml v2 turns signed integers (only) into floats for `!!float`.
        (TagKind::Float, Resolved::Int(i)) => NodeValue::Float(i as f64),
        (TagKind::Null, Resolved::Null) => NodeValue::Null,
        (TagKind::Timestamp, Resolved::Timestamp) => {
            NodeValue::String(timestamp_text(&text, schema)?)
        }
        (_, r) => {
            let want = match tag {
                TagKind::Bool => "!!bool",
                TagKind::Int => "!!int",
                TagKind::Float => "!!float",
                TagKind::Null => "!!null",
                _ => "!!timestamp",
            };
            return Err(format!("cannot read a {} scalar as {want}", r.tag()));
        }
    })
}

/// go-yaml v2's (or v3's, for [`Schema::Kustomize`]) `resolve` for an untagged plain
/// scalar (or one tagged with a resolvable standard tag): booleans and nulls, Go integer
/// syntax, floats, and timestamps when `timestamps` is set.
fn resolve(s: &str, timestamps: bool, schema: Schema) -> Resolved {
    let Some(&first) = s.as_bytes().first() else {
        return Resolved::Null;
    };
    match first {
        b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~' => {
            special(s, schema).unwrap_or(Resolved::Str)
        }
        b'.' => special(s, schema)
            .or_else(|| parse_float_dot(s).map(Resolved::Float))
            .unwrap_or(Resolved::Str),
        b'+' | b'-' | b'0'..=b'9' => {
            if let Some(r) = special(s, schema) {
                return r;
            }
            if timestamps && is_timestamp(s) {
                return Resolved::Timestamp;
            }
            resolve_number(s, schema)
        }
        _ => Resolved::Str,
    }
}

/// go-yaml's table of special plain scalars (v3 has no YAML 1.1 booleans).
fn special(s: &str, schema: Schema) -> Option<Resolved> {
    if s.len() > 6 {
        return None;
    }
    let yaml11 = schema == Schema::Kubernetes;
    Some(match s {
        "true" | "True" | "TRUE" => Resolved::Bool(true),
        "false" | "False" | "FALSE" => Resolved::Bool(false),
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" if yaml11 => Resolved::Bool(true),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" if yaml11 => Resolved::Bool(false),
        "~" | "null" | "Null" | "NULL" => Resolved::Null,
        ".nan" | ".NaN" | ".NAN" => Resolved::Float(f64::NAN),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Resolved::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Resolved::Float(f64::NEG_INFINITY),
        _ => return None,
    })
}

/// A scalar starting with a sign or a digit: `strconv.ParseInt(s, 0, 64)` after removing
/// `_`, then `ParseUint`, then a float matching go-yaml's float pattern, then go-yaml's
/// own reading of `0b` (and, in v3, `0o`) prefixes, which lets a sign follow the prefix.
fn resolve_number(s: &str, schema: Schema) -> Resolved {
    let cleaned: Cow<'_, str> = if s.contains('_') {
        Cow::Owned(s.replace('_', ""))
    } else {
        Cow::Borrowed(s)
    };
    let p = cleaned.as_ref();
    if let Some(i) = go_parse_int(p) {
        return Resolved::Int(i);
    }
    if let Some(u) = go_parse_uint(p) {
        return Resolved::UInt(u);
    }
    if is_yaml_float(p) {
        if let Ok(f) = p.parse::<f64>() {
            // Go reports overflow as an error (the scalar stays a string).
            if f.is_finite() {
                return Resolved::Float(f);
            }
        }
    }
    let mut prefixes = vec![("0b", 2)];
    if schema == Schema::Kustomize {
        prefixes.push(("0o", 8));
    }
    for (prefix, base) in prefixes {
        if let Some(rest) = p.strip_prefix(prefix) {
            if let Some(i) = go_parse_int_base(rest, base) {
                return Resolved::Int(i);
            }
            if let Some(u) = go_parse_uint_base(rest.as_bytes(), base) {
                return Resolved::UInt(u);
            }
        } else if let Some(rest) = p.strip_prefix('-').and_then(|r| r.strip_prefix(prefix)) {
            if let Some(i) = go_parse_int_base(&format!("-{rest}"), base) {
                return Resolved::Int(i);
            }
        }
    }
    Resolved::Str
}

/// Go's `strconv.ParseUint(s, base, 64)` for an explicit base (no prefix, no sign, no `_`).
fn go_parse_uint_base(digits: &[u8], base: u64) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &c in digits {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'z' => c - b'a' + 10,
            b'A'..=b'Z' => c - b'A' + 10,
            _ => return None,
        };
        let d = u64::from(d);
        if d >= base {
            return None;
        }
        n = n.checked_mul(base)?.checked_add(d)?;
    }
    Some(n)
}

/// Go's `strconv.ParseInt(s, base, 64)` for an explicit base (an optional sign).
fn go_parse_int_base(s: &str, base: u64) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = go_parse_uint_base(rest.as_bytes(), base)?;
    if neg {
        (u <= 1u64 << 63).then(|| 0i64.wrapping_sub(u as i64))
    } else {
        i64::try_from(u).ok()
    }
}

/// Go's `strconv.ParseUint(s, 0, 64)` (base prefixes `0x`, `0o`, `0b`, and `0` for octal).
fn go_parse_uint(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let first = *b.first()?;
    let (base, digits): (u64, &[u8]) = if first == b'0' {
        match b.get(1).map(|c| c | 0x20) {
            Some(b'b') if b.len() >= 3 => (2, &b[2..]),
            Some(b'o') if b.len() >= 3 => (8, &b[2..]),
            Some(b'x') if b.len() >= 3 => (16, &b[2..]),
            _ => (8, &b[1..]),
        }
    } else {
        (10, b)
    };
    if digits.is_empty() {
        // `0` alone (octal with no further digits).
        return Some(0);
    }
    go_parse_uint_base(digits, base)
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
fn go_parse_int(s: &str) -> Option<i64> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'+') => (false, &s[1..]),
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let u = go_parse_uint(rest)?;
    if neg {
        if u <= 1u64 << 63 {
            Some(0i64.wrapping_sub(u as i64))
        } else {
            None
        }
    } else {
        i64::try_from(u).ok()
    }
}

/// go-yaml's float pattern `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            digits(&mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Go's `strconv.ParseFloat(s, 64)` for a scalar starting with `.` (decimal digits, an
/// optional exponent, and `_` between digits).
fn parse_float_dot(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let mut i = 1;
    let mut mantissa = 0;
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        mantissa += usize::from(b[i] != b'_');
        i += 1;
    }
    if mantissa == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    if i != b.len() {
        return None;
    }
    let f = if s.contains('_') {
        if !go_underscores_ok(s) {
            return None;
        }
        s.replace('_', "").parse::<f64>().ok()?
    } else {
        s.parse::<f64>().ok()?
    };
    f.is_finite().then_some(f)
}

/// Go's `underscoreOK`: underscores only between digits (decimal numbers).
fn go_underscores_ok(s: &str) -> bool {
    // Last character class seen: '^' start, '0' digit, '_' underscore, '!' other.
    let mut saw = b'^';
    let b = s.as_bytes();
    let b = match b.first() {
        Some(b'+' | b'-') => &b[1..],
        _ => b,
    };
    for &c in b {
        if c.is_ascii_digit() {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
    }
    saw != b'_'
}

/// go-yaml's `parseTimestamp`: one of the layouts `2006-1-2T15:4:5.999999999Z07:00`
/// (also with `t`), `2006-1-2 15:4:5.999999999` or `2006-1-2`, as Go's `time.Parse`
/// reads them.
fn is_timestamp(s: &str) -> bool {
    parse_timestamp(s).is_some()
}

/// A time as Go's `time.Parse` reads a timestamp scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct GoTime {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// Nanoseconds (the first nine digits of the fraction).
    nanos: u32,
    /// Zone offset in minutes east of UTC.
    offset: i32,
}

impl GoTime {
    /// Go's `time.Time.MarshalJSON` text without the quotes (RFC 3339 with the fraction
    /// trimmed of zeros, `Z` for UTC); `None` when Go refuses to write the zone offset
    /// (24 hours or more).
    fn rfc3339_nano(&self) -> Option<String> {
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        if self.nanos > 0 {
            let frac = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        if self.offset == 0 {
            out.push('Z');
        } else {
            let zone = self.offset.unsigned_abs();
            if zone / 60 >= 24 {
                return None;
            }
            out.push(if self.offset < 0 { '-' } else { '+' });
            out.push_str(&format!("{:02}:{:02}", zone / 60, zone % 60));
        }
        Some(out)
    }
}

/// Reads a timestamp as go-yaml does (see [`is_timestamp`]).
fn parse_timestamp(s: &str) -> Option<GoTime> {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return None;
    }
    let year: u32 = b[..4].iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
    let mut i = 5;
    // Go's getnum: one or two digits.
    let num = |i: &mut usize| -> Option<u32> {
        let d0 = *b.get(*i).filter(|c| c.is_ascii_digit())?;
        *i += 1;
        match b.get(*i).filter(|c| c.is_ascii_digit()) {
            Some(&d1) => {
                *i += 1;
                Some(u32::from(d0 - b'0') * 10 + u32::from(d1 - b'0'))
            }
            None => Some(u32::from(d0 - b'0')),
        }
    };
    let month = num(&mut i)?;
    if !(1..=12).contains(&month) || b.get(i) != Some(&b'-') {
        return None;
    }
    i += 1;
    let day = num(&mut i)?;
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day < 1 || day > days {
        return None;
    }
    let mut t = GoTime {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
        offset: 0,
    };
    if i == b.len() {
        return Some(t);
    }
    // Time part: `T`/`t` with a zone, or spaces without one.
    let zoned = match b[i] {
        b'T' | b't' => {
            i += 1;
            true
        }
        b' ' => {
            while b.get(i) == Some(&b' ') {
                i += 1;
            }
            false
        }
        _ => return None,
    };
    let clock = |i: &mut usize, max: u32| num(i).filter(|&n| n < max);
    t.hour = clock(&mut i, 24)?;
    if b.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    t.minute = clock(&mut i, 60)?;
    if b.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    t.second = clock(&mut i, 60)?;
    // Optional fraction: `.` or `,` and digits (Go keeps the first nine).
    if matches!(b.get(i), Some(b'.' | b',')) && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        let mut scale = 100_000_000;
        while let Some(&d) = b.get(i).filter(|c| c.is_ascii_digit()) {
            t.nanos += u32::from(d - b'0') * scale;
            scale /= 10;
            i += 1;
        }
    }
    if zoned {
        match b.get(i) {
            Some(b'Z') => i += 1,
            Some(&sign @ (b'+' | b'-')) => {
                let two = |j: usize| {
                    b.get(j..j + 2)
                        .filter(|d| d.iter().all(u8::is_ascii_digit))
                        .map(|d| u32::from(d[0] - b'0') * 10 + u32::from(d[1] - b'0'))
                };
                match (two(i + 1), b.get(i + 3), two(i + 4)) {
                    (Some(h), Some(b':'), Some(m)) if h <= 24 && m <= 60 => {
                        let minutes = i32::try_from(h * 60 + m).unwrap_or(0);
                        t.offset = if sign == b'-' { -minutes } else { minutes };
                        i += 6;
                    }
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    (i == b.len()).then_some(t)
}

/// Go's `base64.StdEncoding.DecodeString` (padding required, line breaks ignored).
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        Some(u32::from(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        }))
    }
    let clean: Vec<u8> = s.bytes().filter(|&c| c != b'\r' && c != b'\n').collect();
    if !clean.len().is_multiple_of(4) {
        return None;
    }
    let mut out = Vec::with_capacity(clean.len() / 4 * 3);
    let quads = clean.len() / 4;
    for (q, quad) in clean.chunks(4).enumerate() {
        let pad = match (quad[2], quad[3]) {
            (b'=', b'=') => 2,
            (_, b'=') => 1,
            _ => 0,
        };
        if pad > 0 && q + 1 != quads {
            return None;
        }
        let mut n = 0u32;
        for &c in &quad[..4 - pad] {
            n = (n << 6) | value(c)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// The string form of a scalar used as a mapping key, as sigs.k8s.io/yaml converts keys
/// to JSON (a float key is formatted as Go's `strconv.FormatFloat(f, 'g', -1, 32)`).
/// `None` for a collection.
fn key_string(value: NodeValue) -> Option<String> {
    Some(match value {
        NodeValue::String(s) => s,
        NodeValue::Int(i) => i.to_string(),
        NodeValue::UInt(u) => u.to_string(),
        NodeValue::Float(f) => go_float32_key(f),
        NodeValue::Bool(b) => b.to_string(),
        NodeValue::Null => "null".to_string(),
        NodeValue::Seq(_) | NodeValue::Map(_) => return None,
    })
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)`, with `.inf`, `-.inf` and `.nan`.
fn go_float32_key(f: f64) -> String {
    let x = f as f32;
    if x.is_nan() {
        return ".nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    // Rust's `{:e}` gives the shortest digits that read back as the same f32.
    let sci = format!("{x:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let neg = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if digits.bytes().all(|d| d == b'0') {
        out.push('0');
        return out;
    }
    let nd = i32::try_from(digits.len()).unwrap_or(i32::MAX);
    if !(-4..6).contains(&exp) {
        out.push_str(&digits[..1]);
        if nd > 1 {
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
    } else {
        let dp = exp + 1;
        if dp <= 0 {
            out.push_str("0.");
            for _ in 0..-dp {
                out.push('0');
            }
            out.push_str(&digits);
        } else if dp >= nd {
            out.push_str(&digits);
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
    out
}

/// The parser's short message: no control characters, at most about 200 bytes.
fn clean_message(msg: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

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
        let text = "%YAML 1.1\n---\na: 1\n...\n%YAML 1.1\n%TAG ! tag:example.com,2000:\n---\nb: 2\n...\nc: 3\n";
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
        // A plain decimal with a leading zero is octal, as in Kubernetes (go-yaml v2 reads
        // it with Go's `strconv.ParseInt(s, 0, 64)`): `007` is 7. (With serde-saphyr this
        // loader used to give the float 7.0.)
        assert_eq!(v("lz"), NodeValue::Int(7));
        // No timestamp type: dates stay strings.
        assert_eq!(v("date"), NodeValue::String("2024-01-01".into()));
        assert_eq!(v("inf"), NodeValue::Float(f64::INFINITY));
        assert_eq!(r.get("inf").unwrap().to_json(), serde_json::Value::Null);
        assert_eq!(r.get("big").unwrap().type_name(), "integer");
        assert_eq!(r.get("f").unwrap().type_name(), "number");
    }

    #[test]
    fn yaml11_booleans_as_kubernetes_resolves_them() {
        // Kubernetes' YAML 1.1 parser (go-yaml v2) resolves the spellings yes/no/on/off/y/n
        // to booleans. Quoted, they stay strings.
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
        // Application tags are ignored on collections; on a scalar they leave a string
        // (go-yaml v2 resolves only untagged and standard-tagged scalars). Standard tags
        // are applied.
        let r =
            root("a: !Ref foo\nb: !!str 1.0\nc: !!float 1\nd: !custom {x: 1}\ne: !!binary aGk=\n");
        assert_eq!(r.get("a").and_then(Node::as_str), Some("foo"));
        assert_eq!(r.get("b").and_then(Node::as_str), Some("1.0"));
        assert_eq!(r.get("c").unwrap().value, NodeValue::Float(1.0));
        assert_eq!(r.get("d").unwrap().get("x").and_then(Node::as_i64), Some(1));
        assert_eq!(r.get("e").and_then(Node::as_str), Some("hi"));
        assert_eq!(
            root("a: !Ref 12\n").get("a").and_then(Node::as_str),
            Some("12")
        );
        // A timestamp keeps its text, as in Kubernetes (go-yaml v2 gives a string for
        // untyped values). With serde-saphyr the document used to fail.
        let (docs, diags) = load("a: !!timestamp 2001-12-14\n---\nb: 1\n");
        assert!(diags.is_empty(), "{diags:?}");
        let a = docs[0].root.as_ref().unwrap().get("a").unwrap();
        assert_eq!(a.as_str(), Some("2001-12-14"));
        // A scalar that does not fit its standard tag fails the document, as in Kubernetes.
        for text in [
            "a: !!int xyz\n",
            "a: !!bool 1\n",
            "a: !!null x\n",
            "a: !!timestamp 12\n",
        ] {
            let (docs, diags) = load(&format!("{text}---\nb: 1\n"));
            assert_eq!(codes(&diags), vec!["yaml.syntax"], "{text}");
            assert!(!diags[0].message.contains("xyz"), "{}", diags[0].message);
            assert!(docs[0].root.is_none() && docs[1].root.is_some());
        }
    }

    #[test]
    fn non_string_keys_get_their_string_form() {
        // As sigs.k8s.io/yaml converts keys: `0x1F` is the integer 31, `yes` the boolean
        // true. (With serde-saphyr keys kept their spelling, `0x1F`.) A `null` key, which
        // Kubernetes rejects, is kept as "null".
        let r = root("1: a\ntrue: b\n0x1F: d\n1.5: e\n\"q\": f\n");
        assert_eq!(keys(&r), vec!["1", "true", "31", "1.5", "q"]);
        let (docs, diags) = load("a: 1\nnull: c\n18446744073709551615: d\n");
        assert_eq!(
            codes(&diags),
            vec!["yaml.unsupported_key", "yaml.unsupported_key"]
        );
        assert_eq!(at(&diags[0]), (0, 2, 1));
        let keys_kept = keys(docs[0].root.as_ref().unwrap());
        assert_eq!(keys_kept, vec!["a", "null", "18446744073709551615"]);
        assert_eq!(keys(&root("yes: a\nOff: b\n")), vec!["true", "false"]);
        assert_eq!(
            keys(&root("1e6: a\n0.1: b\n\"0x1F\": c\n")),
            vec!["1e+06", "0.1", "0x1F"]
        );
        assert_eq!(
            keys(load("~: x\n").0[0].root.as_ref().unwrap()),
            vec!["null"]
        );
        assert_eq!(r.locate("[\"1.5\"]"), Some(pos(4, 1)));
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

    // -- Schema::Kustomize (go-yaml v3, kyaml's MarshalJSON) -------------------

    fn kustomize(text: &str) -> (Option<serde_json::Value>, Vec<Diagnostic>) {
        let opts = LoadOptions {
            schema: Schema::Kustomize,
            ..LoadOptions::default()
        };
        let (docs, diags) = parse_documents(text, &opts);
        let json = docs
            .first()
            .and_then(|d| d.root.as_ref())
            .map(Node::to_json);
        (json, diags)
    }

    #[test]
    fn kustomize_rereads_block_scalars() {
        // Values as kyaml's MarshalJSON gives them (checked against Go): go-yaml v3 writes
        // folded text back with an extra empty line after each line that does not start
        // with a blank, unless the text's first line does.
        let (json, diags) = kustomize(concat!(
            "keep: >+\n  a\n  b\n\n",
            "more: >\n  a\n    indented\n  b\n",
            "tab: >\n  a\n  \tb\n",
            "same: >\n  a\n  b\n\n  c\n",
            "first: >2\n   x\n  a\n\n  b\n",
            "lead: >\n\n  a\n    b\n",
            "lit: |\n  a\n    b\n",
            "quoted: >\n  a  \n    b\n",
            "seq:\n- >-\n  a\n    b\n",
            "anchor: &f >\n  a\n    b\n",
            "block: *f\n",
            "flow: [*f]\n",
        ));
        assert!(diags.is_empty(), "{diags:?}");
        let want = serde_json::json!({
            "keep": "a b\n\n\n", "more": "a\n\n  indented\nb\n", "tab": "a\n\n\tb\n",
            "same": "a b\nc\n", "first": " x\na b\n", "lead": "\na\n\n  b\n",
            "lit": "a\n  b\n", "quoted": "a  \n  b\n", "seq": ["a\n\n  b"],
            "anchor": "a\n\n  b\n", "block": "a\n\n  b\n",
            // In a flow collection go-yaml v3 writes it quoted: unchanged.
            "flow": ["a\n  b\n"],
        });
        assert_eq!(json, Some(want));
        // The default schema reads them as YAML says.
        let r = root("keep: >+\n  a\n  b\n\nmore: >\n  a\n    indented\n  b\n");
        assert_eq!(
            r.to_json(),
            serde_json::json!({"keep": "a b\n\n", "more": "a\n  indented\nb\n"})
        );
        // A block scalar starting with a tab cannot be read back.
        let (_, diags) = kustomize("v: |2\n  \tx\n");
        assert_eq!(codes(&diags), vec!["yaml.syntax"]);
        assert!(load("v: |2\n  \tx\n").1.is_empty());
    }

    #[test]
    fn block_scalar_indentation_with_a_tab() {
        // go-yaml finds the indentation in spaces only: a tab right after it fails,
        // unless an indentation indicator is given.
        for text in [
            "v: |\n  \ta\n",
            "v: >\n\n  \ta\n",
            "l:\n- |\n  \tx\n",
            "v: |  # a |2 comment\n  \tx\n",
            "v: # |2\n  |\n    \tx\n",
        ] {
            let (_, diags) = load(text);
            assert_eq!(codes(&diags), vec!["yaml.syntax"], "{text:?}");
        }
        for text in [
            "v: |2\n  \ta\n",
            "v: &a !!str >1-\n \ta\n",
            "v: |\n  a\n  \tb\n",
        ] {
            let (_, diags) = load(text);
            assert!(diags.is_empty(), "{text:?}: {diags:?}");
        }
    }

    #[test]
    fn kustomize_drops_the_first_key_spelled_merge() {
        // kyaml removes the first entry whose key is spelled `<<` after merging.
        let (json, diags) = kustomize(concat!(
            "a: {\"<<\": {k: v}, x: 1}\n",
            "b: {'<<': 1, <<: {k: v}}\n",
            "c: {<<: {k: v}, \"<<\": 1}\n",
            "d: {!!str <<: 1, '<<': 2}\n",
        ));
        assert!(diags.is_empty(), "{diags:?}");
        let want = serde_json::json!({
            "a": {"x": 1}, "b": {"k": "v"}, "c": {"<<": 1, "k": "v"}, "d": {"<<": 2},
        });
        assert_eq!(json, Some(want));
        // The default schema keeps them.
        assert_eq!(
            root("a: {\"<<\": {k: v}}\n").to_json(),
            serde_json::json!({"a": {"<<": {"k": "v"}}})
        );
    }

    #[test]
    fn directives() {
        // kustomize splits the stream at `---` lines: a directive loses its document.
        let text = "%YAML 1.1\n---\na: 1\n";
        let (json, diags) = kustomize(text);
        assert_eq!((json, codes(&diags)), (None, vec!["yaml.syntax"]));
        assert!(load(text).1.is_empty());
        // go-yaml reads only YAML 1.1.
        let (_, diags) = load("%YAML 1.2\n---\na: 1\n");
        assert_eq!(codes(&diags), vec!["yaml.syntax"]);
    }

    #[test]
    fn kustomize_scalar_resolution() {
        let (json, diags) = kustomize(concat!(
            "a: yes\nb: True\nc: 0o17\nd: 0755\ne: 0b-1\nf: 0o-5\ng: 2001-12-14\n",
            "h: 2001-12-14t21:59:43.1234567891-00:00\ni: 2001-12-14 21:59:43.50\n",
            "j: 2001-12-14T21:59:43+05:30\n",
            "k: {t: 2001-12-14T21:59:43Z, d: 2001-12-14, e: , n: ~, q: '~'}\n",
            "l: ! 12\nm: '0x1F'\nn: 1_000\no: !!timestamp 2001-12-14\np: -x\n",
        ));
        assert!(diags.is_empty(), "{diags:?}");
        // Values as kyaml's MarshalJSON gives them (checked against Go).
        let want = serde_json::json!({
            "a": "yes", "b": true, "c": 15, "d": 493, "e": -1, "f": -5,
            "g": "2001-12-14T00:00:00Z", "h": "2001-12-14T21:59:43.123456789Z",
            "i": "2001-12-14T21:59:43.5Z", "j": "2001-12-14T21:59:43+05:30",
            // In a flow collection kustomize's round trip quotes dates with a time and
            // empty values.
            "k": {"t": "2001-12-14T21:59:43Z", "d": "2001-12-14T00:00:00Z", "e": "", "n": null, "q": "~"},
            "l": 12, "m": "0x1F", "n": 1000, "o": "2001-12-14T00:00:00Z", "p": "-x",
        });
        assert_eq!(json, Some(want));
        // The default schema is unchanged but for go-yaml's `0b-1`.
        let r = root("a: yes\ng: 2001-12-14\nk: {e: }\nl: ! 12\ne: 0b-1\nf: 0o-5\n");
        assert_eq!(
            r.to_json(),
            serde_json::json!({"a": true, "g": "2001-12-14", "k": {"e": null}, "l": "12", "e": -1, "f": "0o-5"})
        );
    }

    #[test]
    fn kustomize_values_without_json_form() {
        let (_, diags) = kustomize("a: .inf\nb: [-.inf, .nan]\n");
        assert_eq!(codes(&diags), vec!["yaml.syntax"; 3]);
        assert_eq!(at(&diags[1]), (0, 2, 5));
        // A zone offset of 24 hours or more has no RFC 3339 form.
        for offset in ["+24:00", "-23:60"] {
            let (json, diags) = kustomize(&format!("a: 2001-12-14T01:02:03{offset}\n"));
            assert_eq!(codes(&diags), vec!["yaml.syntax"], "{offset}");
            assert_eq!(json, None);
        }
        let (json, _) = kustomize("a: 2001-12-14T01:02:03-23:59\n");
        assert_eq!(
            json,
            Some(serde_json::json!({"a": "2001-12-14T01:02:03-23:59"}))
        );
    }

    #[test]
    fn kustomize_keys_keep_their_spelling() {
        let (json, diags) = kustomize("0x1F: a\n~: dropped\n1.5: b\nyes: c\n!!binary aGk=: d\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            json,
            Some(serde_json::json!({"0x1F": "a", "1.5": "b", "yes": "c", "hi": "d"}))
        );
        // Below the root, kustomize cannot write a mapping with a key that is not a
        // string.
        for text in [
            "m:\n  1: a\n",
            "- {~: 1}\n",
            "m: {2001-12-14: x}\n",
            "a: &x {1: b}\nc: {k: *x}\n",
        ] {
            let (_, diags) = kustomize(text);
            assert!(
                codes(&diags).contains(&"yaml.complex_key"),
                "{text}: {diags:?}"
            );
        }
        // ... unless the mapping is merged into another one (its keys are read as
        // strings), or never read (the value of a null key).
        let (json, diags) = kustomize("m:\n  <<: {1: x, k: y}\n  k: z\n~:\n  n: {1: x}\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(json, Some(serde_json::json!({"m": {"1": "x", "k": "z"}})));
        // go-yaml v3 rejects repeated spellings, null keys included.
        let (_, diags) = kustomize("~: 2\n~: 3\n");
        assert_eq!(codes(&diags), vec!["yaml.duplicate_key"]);
        let (_, diags) = kustomize("~: 2\nnull: 3\n");
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn kustomize_merge_keys() {
        // The mapping's own keys win wherever they are; earlier merged mappings win.
        let (json, diags) = kustomize("m:\n  k: z\n  <<: [{a: 1, k: y}, {a: 2, b: 2}]\n  b: 3\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            json,
            Some(serde_json::json!({"m": {"k": "z", "a": 1, "b": 3}}))
        );
        // A key that is not a string does not keep a merged string key out.
        let (json, _) = kustomize("1: x\ny: &a {'1': z}\n<<: *a\n");
        assert_eq!(json, Some(serde_json::json!({"1": "z", "y": {"1": "z"}})));
        let (json, _) = kustomize("y: &a {'1': z}\n<<: *a\n1: x\n");
        assert_eq!(json, Some(serde_json::json!({"1": "z", "y": {"1": "z"}})));
        // A second `<<` is a repeated key.
        let (_, diags) = kustomize("m:\n  <<: {k: y}\n  <<: {j: v}\n");
        assert_eq!(codes(&diags), vec!["yaml.duplicate_key"]);
        // The default schema lets a later merge override earlier keys, as go-yaml v2.
        let r = root("m:\n  k: z\n  <<: {k: w}\n");
        assert_eq!(r.to_json(), serde_json::json!({"m": {"k": "w"}}));
    }

    #[test]
    fn kustomize_checks_only_what_it_decodes() {
        // The value of a null key is never decoded: bad tags, recursive aliases and
        // duplicates in it pass, until an alias brings them into the document.
        let (json, diags) = kustomize("~: &a\n  k: !!int x\n  r: *a\n  d: 1\n  d: 2\nb: 1\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(json, Some(serde_json::json!({"b": 1})));
        let (json, diags) = kustomize("~: &a\n  k: !!int x\nb: *a\n");
        assert_eq!(codes(&diags), vec!["yaml.syntax"]);
        assert_eq!(json, None);
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
        let (docs, diags) = load(&text);
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
        let (_, diags) = load(&text);
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
        // Deep but within the limit: loads,
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
    fn deep_documents_do_not_recurse() {
        // 5,000 levels, an alias copying them, and a failed document holding a deep
        // subtree, loaded on a thread with a small stack: the builder keeps its own stack
        // and takes its partial trees and anchors apart without recursion.
        let handle = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(|| {
                let opts = LoadOptions {
                    max_depth: 10_000,
                    ..LoadOptions::default()
                };
                let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
                let text = format!("a: &x {deep}\nb: *x\n---\nc: {deep}\nd: [\n");
                let (docs, diags) = parse_documents(&text, &opts);
                let codes: Vec<String> = diags.iter().map(|d| d.code.clone()).collect();
                let loaded: Vec<bool> = docs.iter().map(|d| d.root.is_some()).collect();
                // Dropping a returned tree the usual way recurses once per level.
                for d in docs {
                    if let Some(root) = d.root {
                        dispose(root);
                    }
                }
                (codes, loaded)
            })
            .unwrap();
        let (codes, loaded) = handle.join().expect("no stack overflow");
        assert_eq!(codes, vec!["yaml.syntax"]);
        assert_eq!(loaded, vec![true, false]);
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
        let (docs, diags) = load(&text);
        let (docs2, diags2) = parse_bytes(text.as_bytes(), &LoadOptions::default());
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
        let kustomize = LoadOptions {
            schema: Schema::Kustomize,
            ..LoadOptions::default()
        };
        for text in cases {
            let (docs, diags) = load(text);
            assert_well_formed(&diags);
            for (i, d) in docs.iter().enumerate() {
                assert_eq!(d.index, i);
            }
            let (docs, diags) = parse_documents(text, &kustomize);
            assert_well_formed(&diags);
            for d in &docs {
                if let Some(r) = &d.root {
                    let _ = json_to_yaml(&r.to_json());
                }
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
        for round in 0..3000 {
            let opts = LoadOptions {
                schema: if round % 2 == 0 {
                    Schema::Kubernetes
                } else {
                    Schema::Kustomize
                },
                ..LoadOptions::default()
            };
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
                    let _ = json_to_yaml(&r.to_json());
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
        // The key `n` is the YAML 1.1 boolean false, as in Kubernetes (serde-saphyr kept "n").
        let r = root("z: 1\na: 2\nm: [1, 2.5, true, null, x, 18446744073709551615]\nn: {}\n");
        assert_eq!(
            serde_json::to_string(&r.to_json()).unwrap(),
            r#"{"z":1,"a":2,"m":[1,2.5,true,null,"x",18446744073709551615],"false":{}}"#
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

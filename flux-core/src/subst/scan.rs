//! The character scanner of the envsubst grammar.
//!
//! The grammar is context dependent: what a character means depends on the parse
//! state, so the parser reconfigures the scanner before every token with a *mode*
//! (which token kinds may start here) and an *accept* rule (which characters may
//! continue an identifier-like token). The quirks of the reference scanner are
//! kept on purpose, because they decide what Flux outputs:
//!
//! * a NUL character reads as end of input (the rest of the text is ignored);
//! * an escape pair (`$$`, `\/`, `\\`) keeps its second character and drops the
//!   first, and the escaped character is never checked against the accept rule;
//! * "unread" steps back by the width of the *last character read*, which is not
//!   always the character being unread (see `Parser::default_or_substring`).
//!
//! Unlike the reference, dropping an escape character does not copy the buffer:
//! positions stay offsets into the original text and the dropped bytes are
//! remembered per token, which keeps scanning linear.

use super::unicode::{decode, is_name_char};

/// What `read` returns at the end of the input (and for a NUL character).
pub(crate) const EOF: u32 = 0;

/// Token kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Token {
    Illegal,
    Eof,
    Ident,
    Lbrack,
    Rbrack,
}

/// Mode bits: which tokens may be recognised.
pub(crate) const IDENT: u8 = 1;
pub(crate) const LBRACK: u8 = 2;
pub(crate) const RBRACK: u8 = 4;
pub(crate) const ESCAPE: u8 = 8;

/// Escape bits: which escape pairs are active when `ESCAPE` is on.
pub(crate) const ESC_DOLLAR: u8 = 1;
pub(crate) const ESC_BACKSLASH: u8 = 2;
pub(crate) const ESC_ALL: u8 = ESC_DOLLAR | ESC_BACKSLASH;

/// Which characters an identifier-like token accepts. `i` is the token's length
/// in bytes including the character being tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Accept {
    /// Anything.
    Any,
    /// Letters, decimal digits and `_`.
    Name,
    /// Any number of `:`.
    Colons,
    /// A single `#`.
    OneHash,
    /// Anything but `}`.
    NotClosing,
    /// `#` or `##`.
    Hashes,
    /// `%` or `%%`.
    Percents,
    /// `:` followed by one of `=-?+`.
    ColonDefault,
    /// `/` optionally followed by one of `/#%`.
    Replace,
    /// A single `=`.
    OneEqual,
    /// A single `:`.
    OneColon,
    /// Anything but `:` and `}`.
    NotColonClose,
    /// Any number of `/`.
    Slashes,
    /// Anything but `/`.
    NotSlash,
    /// One or two of `,` and `^`.
    Casing,
}

impl Accept {
    fn accepts(self, r: u32, i: usize) -> bool {
        let is = |c: char| r == c as u32;
        match self {
            Accept::Any => true,
            Accept::Name => is_name_char(r),
            Accept::Colons => is(':'),
            Accept::OneHash => is('#') && i == 1,
            Accept::NotClosing => !is('}'),
            Accept::Hashes => is('#') && i < 3,
            Accept::Percents => is('%') && i < 3,
            Accept::ColonDefault => {
                (i == 1 && is(':')) || (i == 2 && (is('=') || is('-') || is('?') || is('+')))
            }
            Accept::Replace => (i == 1 && is('/')) || (i == 2 && (is('/') || is('#') || is('%'))),
            Accept::OneEqual => i == 1 && is('='),
            Accept::OneColon => i == 1 && is(':'),
            Accept::NotColonClose => !is(':') && !is('}'),
            Accept::Slashes => is('/'),
            Accept::NotSlash => !is('/'),
            Accept::Casing => (is(',') || is('^')) && i < 3,
        }
    }
}

/// The scanner state. Positions are byte offsets into the original text.
pub(crate) struct Scanner<'a> {
    src: &'a [u8],
    pub(crate) pos: usize,
    pub(crate) start: usize,
    width: usize,
    pub(crate) mode: u8,
    pub(crate) escapes: u8,
    pub(crate) accept: Accept,
    /// Offsets of the escape characters dropped from the current token.
    dropped: Vec<usize>,
}

impl<'a> Scanner<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        Scanner {
            src: src.as_bytes(),
            pos: 0,
            start: 0,
            width: 0,
            mode: 0,
            escapes: 0,
            accept: Accept::Any,
            dropped: Vec::new(),
        }
    }

    /// Reads the next character; `EOF` at the end (width 0) or for a NUL (width 1).
    pub(crate) fn read(&mut self) -> u32 {
        if self.pos >= self.src.len() {
            self.width = 0;
            return EOF;
        }
        let (r, w) = decode(&self.src[self.pos..]);
        self.width = w;
        self.pos += w;
        r
    }

    /// Steps back by the width of the last character read.
    pub(crate) fn unread(&mut self) {
        self.pos -= self.width;
    }

    /// The next character, without consuming it (but it does set the width).
    pub(crate) fn peek(&mut self) -> u32 {
        let r = self.read();
        self.unread();
        r
    }

    /// Drops the escape character just read and keeps the escaped one.
    fn skip(&mut self) {
        self.dropped.push(self.pos - 1);
        // The escaped character is one byte (`$`, `/` or `\`); it is consumed as
        // part of the token without being tested by the accept rule.
        self.pos += 1;
        self.width = 1;
    }

    /// The token's length in bytes so far, escape characters excluded.
    fn token_len(&self) -> usize {
        self.pos - self.start - self.dropped.len()
    }

    /// The text of the token just scanned, escape characters dropped.
    pub(crate) fn text(&self) -> String {
        let mut out = Vec::with_capacity(self.pos - self.start);
        let mut from = self.start;
        for &d in &self.dropped {
            out.extend_from_slice(&self.src[from..d]);
            from = d + 1;
        }
        out.extend_from_slice(&self.src[from..self.pos]);
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// Scans one token.
    pub(crate) fn scan(&mut self) -> Token {
        self.start = self.pos;
        self.dropped.clear();
        let r = self.read();
        if r == EOF {
            return Token::Eof;
        }
        if self.lbrack(r) {
            return Token::Lbrack;
        }
        if self.mode & RBRACK != 0 && r == '}' as u32 {
            return Token::Rbrack;
        }
        if self.ident(r) {
            return Token::Ident;
        }
        Token::Illegal
    }

    fn lbrack(&mut self, r: u32) -> bool {
        if self.mode & LBRACK == 0 || r != '$' as u32 {
            return false;
        }
        if self.read() == '{' as u32 {
            return true;
        }
        self.unread();
        false
    }

    fn escaped(&mut self, r: u32) -> bool {
        if self.mode & ESCAPE == 0 {
            return false;
        }
        if r == '$' as u32 && self.escapes & ESC_DOLLAR != 0 && self.peek() == '$' as u32 {
            return true;
        }
        if r == '\\' as u32 && self.escapes & ESC_BACKSLASH != 0 {
            let next = self.peek();
            return next == '/' as u32 || next == '\\' as u32;
        }
        false
    }

    fn ident(&mut self, first: u32) -> bool {
        if self.mode & IDENT == 0 {
            return false;
        }
        if self.escaped(first) {
            self.skip();
        } else if !self.accept.accepts(first, self.token_len()) {
            return false;
        }
        loop {
            let r = self.read();
            if r == EOF {
                self.unread();
                break;
            }
            if self.lbrack(r) {
                self.unread();
                self.unread();
                break;
            }
            if self.escaped(r) {
                self.skip();
                continue;
            }
            if !self.accept.accepts(r, self.token_len()) {
                self.unread();
                break;
            }
        }
        true
    }
}

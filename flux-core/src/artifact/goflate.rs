//! A DEFLATE encoder that emits the bits Go's `compress/flate` writes at its
//! default level (6), so the gzip artifact — and its `sha256:` digest — can be
//! source-controller's own. It reimplements that encoder's choices: a 32 KiB
//! window slid by half, 17-bit multiplicative hashing of 4-byte groups with hash
//! chains, lazy matching (good 8, lazy 16, nice 128, chain 128), blocks of at
//! most 16384 tokens, and for each block the cheapest of stored / fixed /
//! dynamic Huffman coding, with Go's length-limited code construction.

use std::io::{self, Write};

const WINDOW: usize = 1 << 15;
const WINDOW_MASK: usize = WINDOW - 1;
const MIN_MATCH: usize = 4;
const MAX_MATCH: usize = 258;
const BASE_MATCH_LENGTH: usize = 3;
const MAX_BLOCK_TOKENS: usize = 1 << 14;
const MAX_STORED: usize = 65535;
const HASH_BITS: u32 = 17;
const HASH_SIZE: usize = 1 << HASH_BITS;
const MAX_HASH_OFFSET: isize = 1 << 24;
const GOOD: usize = 8;
const LAZY: usize = 16;
const NICE: usize = 128;
const CHAIN: usize = 128;
const HASH_MUL: u32 = 0x1e35a7bd;

const NUM_LIT: usize = 286;
const NUM_OFF: usize = 30;
const END_BLOCK: usize = 256;
const LENGTH_CODES_START: usize = 257;
const NUM_CODEGEN: usize = 19;
const BAD_CODE: u8 = 255;

// RFC 1951 tables.
const LENGTH_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const LENGTH_BASE: [u32; 29] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128,
    160, 192, 224, 255,
];
const OFFSET_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
const OFFSET_BASE: [u32; 30] = [
    0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024, 1536,
    2048, 3072, 4096, 6144, 8192, 12288, 16384, 24576,
];
const CODEGEN_ORDER: [usize; 19] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// A token: a literal byte, or a match (length - 3, offset - 1).
#[derive(Clone, Copy)]
enum Token {
    Lit(u8),
    End,
    Match { len: u32, off: u32 },
}

fn length_code(len: u32) -> usize {
    LENGTH_BASE.iter().rposition(|&b| b <= len).unwrap_or(0)
}

fn offset_code(off: u32) -> usize {
    OFFSET_BASE.iter().rposition(|&b| b <= off).unwrap_or(0)
}

fn hash4(b: &[u8]) -> usize {
    let v = u32::from(b[3]) | u32::from(b[2]) << 8 | u32::from(b[1]) << 16 | u32::from(b[0]) << 24;
    (v.wrapping_mul(HASH_MUL) >> (32 - HASH_BITS)) as usize
}

fn reverse_bits(number: u16, len: u16) -> u16 {
    (number << (16 - len)).reverse_bits()
}

#[derive(Clone, Copy, Default)]
struct Code {
    code: u16,
    len: u16,
}

struct Encoder {
    codes: Vec<Code>,
}

impl Encoder {
    fn new(size: usize) -> Self {
        Encoder {
            codes: vec![Code::default(); size],
        }
    }

    fn fixed_literal() -> Self {
        let mut e = Encoder::new(NUM_LIT);
        for ch in 0..NUM_LIT as u16 {
            let (bits, size) = match ch {
                0..=143 => (ch + 48, 8),
                144..=255 => (ch + 400 - 144, 9),
                256..=279 => (ch - 256, 7),
                _ => (ch + 192 - 280, 8),
            };
            e.codes[ch as usize] = Code {
                code: reverse_bits(bits, size),
                len: size,
            };
        }
        e
    }

    fn fixed_offset() -> Self {
        let mut e = Encoder::new(NUM_OFF);
        for (ch, c) in e.codes.iter_mut().enumerate() {
            *c = Code {
                code: reverse_bits(ch as u16, 5),
                len: 5,
            };
        }
        e
    }

    fn bit_length(&self, freq: &[i32]) -> i64 {
        freq.iter()
            .zip(&self.codes)
            .filter(|(f, _)| **f != 0)
            .map(|(f, c)| i64::from(*f) * i64::from(c.len))
            .sum()
    }

    /// Go's length-limited Huffman construction for `freq` (at most `max_bits`).
    fn generate(&mut self, freq: &[i32], max_bits: i32) {
        let mut list: Vec<(u16, i32)> = Vec::with_capacity(freq.len() + 1);
        for (i, &f) in freq.iter().enumerate() {
            if f != 0 {
                list.push((i as u16, f));
            } else {
                self.codes[i].len = 0;
            }
        }
        if list.len() <= 2 {
            for (i, &(lit, _)) in list.iter().enumerate() {
                self.codes[lit as usize] = Code {
                    code: i as u16,
                    len: 1,
                };
            }
            return;
        }
        list.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        let bit_count = bit_counts(&list, max_bits);
        let mut code: u16 = 0;
        let mut rest = &mut list[..];
        for (n, &bits) in bit_count.iter().enumerate() {
            code <<= 1;
            if n == 0 || bits == 0 {
                continue;
            }
            let split = rest.len() - bits as usize;
            let (head, chunk) = rest.split_at_mut(split);
            chunk.sort_by_key(|x| x.0);
            for &(lit, _) in chunk.iter() {
                self.codes[lit as usize] = Code {
                    code: reverse_bits(code, n as u16),
                    len: n as u16,
                };
                code = code.wrapping_add(1);
            }
            rest = head;
        }
    }
}

#[derive(Clone, Copy, Default)]
struct Level {
    level: i32,
    last_freq: i32,
    next_char_freq: i32,
    next_pair_freq: i32,
    needed: i32,
}

/// How many literals get each code length (index = bits), Go's package-merge variant.
fn bit_counts(list: &[(u16, i32)], max_bits: i32) -> Vec<i32> {
    let n = list.len() as i32;
    let freq = |i: i32| -> i32 {
        if i >= n {
            i32::MAX
        } else {
            list[i as usize].1
        }
    };
    let max_bits = max_bits.min(n - 1);
    let mut levels = [Level::default(); 18];
    let mut leaf = [[0i32; 18]; 18];
    for level in 1..=max_bits {
        levels[level as usize] = Level {
            level,
            last_freq: freq(1),
            next_char_freq: freq(2),
            next_pair_freq: freq(0).wrapping_add(freq(1)),
            needed: 0,
        };
        leaf[level as usize][level as usize] = 2;
        if level == 1 {
            levels[1].next_pair_freq = i32::MAX;
        }
    }
    levels[max_bits as usize].needed = 2 * n - 4;
    let mut level = max_bits as usize;
    loop {
        let l = levels[level];
        if l.next_pair_freq == i32::MAX && l.next_char_freq == i32::MAX {
            levels[level].needed = 0;
            levels[level + 1].next_pair_freq = i32::MAX;
            level += 1;
            continue;
        }
        let prev_freq = l.last_freq;
        if l.next_char_freq < l.next_pair_freq {
            let c = leaf[level][level] + 1;
            levels[level].last_freq = l.next_char_freq;
            leaf[level][level] = c;
            levels[level].next_char_freq = freq(c);
        } else {
            levels[level].last_freq = l.next_pair_freq;
            let (lo, hi) = leaf.split_at_mut(level);
            hi[0][..level].copy_from_slice(&lo[level - 1][..level]);
            levels[l.level as usize - 1].needed = 2;
        }
        levels[level].needed -= 1;
        if levels[level].needed == 0 {
            if levels[level].level == max_bits {
                break;
            }
            let lf = levels[level].last_freq;
            levels[level + 1].next_pair_freq = prev_freq.wrapping_add(lf);
            level += 1;
        } else {
            while levels[level - 1].needed > 0 {
                level -= 1;
            }
        }
    }
    let mut out = vec![0i32; max_bits as usize + 1];
    let counts = &leaf[max_bits as usize];
    for (bits, level) in (1..).zip((1..=max_bits as usize).rev()) {
        out[bits] = counts[level] - counts[level - 1];
    }
    out
}

struct BitWriter<W: Write> {
    w: W,
    bits: u64,
    nbits: u32,
    buf: Vec<u8>,
    lit_freq: Vec<i32>,
    off_freq: Vec<i32>,
    codegen: Vec<u8>,
    codegen_freq: [i32; NUM_CODEGEN],
    lit_enc: Encoder,
    off_enc: Encoder,
    codegen_enc: Encoder,
    fixed_lit: Encoder,
    fixed_off: Encoder,
}

impl<W: Write> BitWriter<W> {
    fn new(w: W) -> Self {
        BitWriter {
            w,
            bits: 0,
            nbits: 0,
            buf: Vec::with_capacity(1 << 16),
            lit_freq: vec![0; NUM_LIT],
            off_freq: vec![0; NUM_OFF],
            codegen: vec![0; NUM_LIT + NUM_OFF + 1],
            codegen_freq: [0; NUM_CODEGEN],
            lit_enc: Encoder::new(NUM_LIT),
            off_enc: Encoder::new(NUM_OFF),
            codegen_enc: Encoder::new(NUM_CODEGEN),
            fixed_lit: Encoder::fixed_literal(),
            fixed_off: Encoder::fixed_offset(),
        }
    }

    fn write_bits(&mut self, b: u32, nb: u32) {
        self.bits |= u64::from(b) << self.nbits;
        self.nbits += nb;
        while self.nbits >= 8 {
            self.buf.push(self.bits as u8);
            self.bits >>= 8;
            self.nbits -= 8;
        }
    }

    fn write_code(&mut self, c: Code) {
        self.write_bits(u32::from(c.code), u32::from(c.len));
    }

    fn flush_bits(&mut self) {
        if self.nbits > 0 {
            self.buf.push(self.bits as u8);
        }
        self.bits = 0;
        self.nbits = 0;
    }

    fn drain(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.w.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn write_stored_header(&mut self, len: usize, eof: bool) {
        self.write_bits(u32::from(eof), 3);
        self.flush_bits();
        self.write_bits(len as u32, 16);
        self.write_bits(u32::from(!(len as u16)), 16);
    }

    fn index_tokens(&mut self, tokens: &[Token]) -> (usize, usize) {
        self.lit_freq.iter_mut().for_each(|f| *f = 0);
        self.off_freq.iter_mut().for_each(|f| *f = 0);
        for t in tokens {
            match *t {
                Token::Lit(b) => self.lit_freq[b as usize] += 1,
                Token::End => self.lit_freq[END_BLOCK] += 1,
                Token::Match { len, off } => {
                    self.lit_freq[LENGTH_CODES_START + length_code(len)] += 1;
                    self.off_freq[offset_code(off)] += 1;
                }
            }
        }
        let mut num_lit = NUM_LIT;
        while self.lit_freq[num_lit - 1] == 0 {
            num_lit -= 1;
        }
        let mut num_off = NUM_OFF;
        while num_off > 0 && self.off_freq[num_off - 1] == 0 {
            num_off -= 1;
        }
        if num_off == 0 {
            self.off_freq[0] = 1;
            num_off = 1;
        }
        self.lit_enc.generate(&self.lit_freq, 15);
        self.off_enc.generate(&self.off_freq, 15);
        (num_lit, num_off)
    }

    fn generate_codegen(&mut self, num_lit: usize, num_off: usize) {
        self.codegen_freq = [0; NUM_CODEGEN];
        let cg = &mut self.codegen;
        for (dst, c) in cg.iter_mut().zip(&self.lit_enc.codes[..num_lit]) {
            *dst = c.len as u8;
        }
        for (dst, c) in cg[num_lit..].iter_mut().zip(&self.off_enc.codes[..num_off]) {
            *dst = c.len as u8;
        }
        cg[num_lit + num_off] = BAD_CODE;
        let mut size = cg[0];
        let mut count: i32 = 1;
        let mut out = 0usize;
        let mut input = 1usize;
        while size != BAD_CODE {
            let next = cg[input];
            input += 1;
            if next == size {
                count += 1;
                continue;
            }
            if size != 0 {
                cg[out] = size;
                out += 1;
                self.codegen_freq[size as usize] += 1;
                count -= 1;
                while count >= 3 {
                    let n = count.min(6);
                    cg[out] = 16;
                    cg[out + 1] = (n - 3) as u8;
                    out += 2;
                    self.codegen_freq[16] += 1;
                    count -= n;
                }
            } else {
                while count >= 11 {
                    let n = count.min(138);
                    cg[out] = 18;
                    cg[out + 1] = (n - 11) as u8;
                    out += 2;
                    self.codegen_freq[18] += 1;
                    count -= n;
                }
                if count >= 3 {
                    cg[out] = 17;
                    cg[out + 1] = (count - 3) as u8;
                    out += 2;
                    self.codegen_freq[17] += 1;
                    count = 0;
                }
            }
            count -= 1;
            while count >= 0 {
                cg[out] = size;
                out += 1;
                self.codegen_freq[size as usize] += 1;
                count -= 1;
            }
            size = next;
            count = 1;
        }
        cg[out] = BAD_CODE;
    }

    fn write_block(&mut self, tokens: &mut Vec<Token>, input: Option<&[u8]>) {
        tokens.push(Token::End);
        let (num_lit, num_off) = self.index_tokens(tokens);
        let stored = input.filter(|i| i.len() <= MAX_STORED);
        let mut extra: i64 = 0;
        if stored.is_some() {
            for code in LENGTH_CODES_START + 8..num_lit {
                extra += i64::from(self.lit_freq[code])
                    * i64::from(LENGTH_EXTRA[code - LENGTH_CODES_START]);
            }
            for (f, e) in self.off_freq[..num_off].iter().zip(OFFSET_EXTRA).skip(4) {
                extra += i64::from(*f) * i64::from(e);
            }
        }
        let fixed_size = 3
            + self.fixed_lit.bit_length(&self.lit_freq)
            + self.fixed_off.bit_length(&self.off_freq)
            + extra;
        self.generate_codegen(num_lit, num_off);
        let cf = self.codegen_freq;
        self.codegen_enc.generate(&cf, 7);
        let mut num_codegens = NUM_CODEGEN;
        while num_codegens > 4 && self.codegen_freq[CODEGEN_ORDER[num_codegens - 1]] == 0 {
            num_codegens -= 1;
        }
        let header = 3
            + 5
            + 5
            + 4
            + 3 * num_codegens as i64
            + self.codegen_enc.bit_length(&self.codegen_freq)
            + i64::from(self.codegen_freq[16]) * 2
            + i64::from(self.codegen_freq[17]) * 3
            + i64::from(self.codegen_freq[18]) * 7;
        let dynamic_size = header
            + self.lit_enc.bit_length(&self.lit_freq)
            + self.off_enc.bit_length(&self.off_freq)
            + extra;
        let use_dynamic = dynamic_size < fixed_size;
        let size = fixed_size.min(dynamic_size);
        if let Some(input) = stored {
            if (((input.len() + 5) * 8) as i64) < size {
                self.write_stored_header(input.len(), false);
                self.buf.extend_from_slice(input);
                return;
            }
        }
        if use_dynamic {
            self.write_bits(4, 3);
            self.write_bits((num_lit - 257) as u32, 5);
            self.write_bits((num_off - 1) as u32, 5);
            self.write_bits((num_codegens - 4) as u32, 4);
            for &o in CODEGEN_ORDER.iter().take(num_codegens) {
                let len = self.codegen_enc.codes[o].len;
                self.write_bits(u32::from(len), 3);
            }
            let mut i = 0;
            loop {
                let word = self.codegen[i];
                i += 1;
                if word == BAD_CODE {
                    break;
                }
                let c = self.codegen_enc.codes[word as usize];
                self.write_code(c);
                let extra_bits = match word {
                    16 => 2,
                    17 => 3,
                    18 => 7,
                    _ => 0,
                };
                if extra_bits > 0 {
                    let v = self.codegen[i];
                    i += 1;
                    self.write_bits(u32::from(v), extra_bits);
                }
            }
        } else {
            self.write_bits(2, 3);
        }
        for t in tokens.iter() {
            let (lit_codes, off_codes) = if use_dynamic {
                (&self.lit_enc.codes, &self.off_enc.codes)
            } else {
                (&self.fixed_lit.codes, &self.fixed_off.codes)
            };
            match *t {
                Token::Lit(b) => {
                    let c = lit_codes[b as usize];
                    self.write_code(c);
                }
                Token::End => {
                    let c = lit_codes[END_BLOCK];
                    self.write_code(c);
                }
                Token::Match { len, off } => {
                    let lc = length_code(len);
                    let c = lit_codes[LENGTH_CODES_START + lc];
                    let oc = offset_code(off);
                    let o = off_codes[oc];
                    self.write_code(c);
                    if LENGTH_EXTRA[lc] > 0 {
                        self.write_bits(len - LENGTH_BASE[lc], u32::from(LENGTH_EXTRA[lc]));
                    }
                    self.write_code(o);
                    if OFFSET_EXTRA[oc] > 0 {
                        self.write_bits(off - OFFSET_BASE[oc], u32::from(OFFSET_EXTRA[oc]));
                    }
                }
            }
        }
    }
}

/// Go's `flate.NewWriter(w, flate.DefaultCompression)` as a [`Write`].
pub struct GoDeflater<W: Write> {
    out: BitWriter<W>,
    window: Vec<u8>,
    window_end: usize,
    index: usize,
    block_start: usize,
    byte_available: bool,
    sync: bool,
    tokens: Vec<Token>,
    length: usize,
    offset: usize,
    max_insert_index: isize,
    chain_head: isize,
    hash_head: Vec<u32>,
    hash_prev: Vec<u32>,
    hash_offset: isize,
}

impl<W: Write> GoDeflater<W> {
    /// A level-6 encoder writing raw DEFLATE to `w`.
    pub fn new(w: W) -> Self {
        GoDeflater {
            out: BitWriter::new(w),
            window: vec![0; 2 * WINDOW],
            window_end: 0,
            index: 0,
            block_start: 0,
            byte_available: false,
            sync: false,
            tokens: Vec::with_capacity(MAX_BLOCK_TOKENS + 1),
            length: MIN_MATCH - 1,
            offset: 0,
            max_insert_index: 0,
            chain_head: -1,
            hash_head: vec![0; HASH_SIZE],
            hash_prev: vec![0; WINDOW],
            hash_offset: 1,
        }
    }

    fn fill(&mut self, b: &[u8]) -> usize {
        if self.index >= 2 * WINDOW - (MIN_MATCH + MAX_MATCH) {
            self.window.copy_within(WINDOW..2 * WINDOW, 0);
            self.index -= WINDOW;
            self.window_end -= WINDOW;
            if self.block_start >= WINDOW {
                self.block_start -= WINDOW;
            } else {
                self.block_start = usize::MAX;
            }
            self.hash_offset += WINDOW as isize;
            if self.hash_offset > MAX_HASH_OFFSET {
                let delta = self.hash_offset - 1;
                self.hash_offset -= delta;
                self.chain_head -= delta;
                for v in self.hash_prev.iter_mut().chain(self.hash_head.iter_mut()) {
                    *v = if *v as isize > delta {
                        (*v as isize - delta) as u32
                    } else {
                        0
                    };
                }
            }
        }
        let n = b.len().min(self.window.len() - self.window_end);
        self.window[self.window_end..self.window_end + n].copy_from_slice(&b[..n]);
        self.window_end += n;
        n
    }

    fn write_block(&mut self, index: usize) -> io::Result<()> {
        if index > 0 {
            let mut tokens = std::mem::take(&mut self.tokens);
            let input = if self.block_start <= index {
                Some(&self.window[self.block_start..index])
            } else {
                None
            };
            self.out.write_block(&mut tokens, input);
            self.block_start = index;
            tokens.clear();
            self.tokens = tokens;
            self.out.drain()?;
        }
        Ok(())
    }

    fn find_match(
        &self,
        pos: usize,
        prev_head: isize,
        prev_length: usize,
        lookahead: usize,
    ) -> Option<(usize, usize)> {
        let min_look = MAX_MATCH.min(lookahead);
        let win = &self.window[..pos + min_look];
        let nice = (win.len() - pos).min(NICE);
        let mut tries = CHAIN;
        let mut length = prev_length;
        if length >= GOOD {
            tries >>= 2;
        }
        let mut w_end = win[pos + length];
        let min_index = pos as isize - WINDOW as isize;
        let mut found = None;
        let mut i = prev_head;
        while tries > 0 {
            let iu = i as usize;
            if w_end == win[iu + length] {
                let a = &win[iu..iu + min_look];
                let b = &win[pos..pos + min_look];
                let n = a
                    .iter()
                    .zip(b)
                    .position(|(x, y)| x != y)
                    .unwrap_or(min_look);
                if n > length && (n > MIN_MATCH || pos - iu <= 4096) {
                    length = n;
                    found = Some((n, pos - iu));
                    if n >= nice {
                        break;
                    }
                    w_end = win[pos + n];
                }
            }
            if i == min_index {
                break;
            }
            i = self.hash_prev[iu & WINDOW_MASK] as isize - self.hash_offset;
            if i < min_index || i < 0 {
                break;
            }
            tries -= 1;
        }
        found
    }

    fn insert(&mut self, index: usize) {
        let h = hash4(&self.window[index..index + MIN_MATCH]);
        self.hash_prev[index & WINDOW_MASK] = self.hash_head[h];
        self.hash_head[h] = (index as isize + self.hash_offset) as u32;
    }

    fn step(&mut self) -> io::Result<()> {
        if self.window_end - self.index < MIN_MATCH + MAX_MATCH && !self.sync {
            return Ok(());
        }
        self.max_insert_index = self.window_end as isize - (MIN_MATCH as isize - 1);
        loop {
            let lookahead = self.window_end - self.index;
            if lookahead < MIN_MATCH + MAX_MATCH {
                if !self.sync {
                    break;
                }
                if lookahead == 0 {
                    if self.byte_available {
                        self.tokens.push(Token::Lit(self.window[self.index - 1]));
                        self.byte_available = false;
                    }
                    if !self.tokens.is_empty() {
                        self.write_block(self.index)?;
                    }
                    break;
                }
            }
            if (self.index as isize) < self.max_insert_index {
                let h = hash4(&self.window[self.index..self.index + MIN_MATCH]);
                self.chain_head = self.hash_head[h] as isize;
                self.hash_prev[self.index & WINDOW_MASK] = self.chain_head as u32;
                self.hash_head[h] = (self.index as isize + self.hash_offset) as u32;
            }
            let prev_length = self.length;
            let prev_offset = self.offset;
            self.length = MIN_MATCH - 1;
            self.offset = 0;
            let min_index = (self.index as isize - WINDOW as isize).max(0);
            if self.chain_head - self.hash_offset >= min_index
                && lookahead > prev_length
                && prev_length < LAZY
            {
                if let Some((l, o)) = self.find_match(
                    self.index,
                    self.chain_head - self.hash_offset,
                    MIN_MATCH - 1,
                    lookahead,
                ) {
                    self.length = l;
                    self.offset = o;
                }
            }
            if prev_length >= MIN_MATCH && self.length <= prev_length {
                self.tokens.push(Token::Match {
                    len: (prev_length - BASE_MATCH_LENGTH) as u32,
                    off: (prev_offset - 1) as u32,
                });
                let new_index = self.index + prev_length - 1;
                let mut index = self.index + 1;
                while index < new_index {
                    if (index as isize) < self.max_insert_index {
                        self.insert(index);
                    }
                    index += 1;
                }
                self.index = index;
                self.byte_available = false;
                self.length = MIN_MATCH - 1;
                if self.tokens.len() == MAX_BLOCK_TOKENS {
                    self.write_block(self.index)?;
                }
            } else {
                if self.byte_available {
                    let i = self.index - 1;
                    self.tokens.push(Token::Lit(self.window[i]));
                    if self.tokens.len() == MAX_BLOCK_TOKENS {
                        self.write_block(i + 1)?;
                    }
                }
                self.index += 1;
                self.byte_available = true;
            }
        }
        Ok(())
    }

    /// Flushes everything with a final empty stored block (Go's `Close`) and
    /// returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.sync = true;
        self.step()?;
        self.out.write_stored_header(0, true);
        self.out.flush_bits();
        self.out.drain()?;
        Ok(self.out.w)
    }
}

impl<W: Write> Write for GoDeflater<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut b = buf;
        while !b.is_empty() {
            self.step()?;
            let n = self.fill(b);
            b = &b[n..];
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn roundtrip(data: &[u8]) -> Vec<u8> {
        let mut d = GoDeflater::new(Vec::new());
        d.write_all(data).unwrap();
        let z = d.finish().unwrap();
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(&z[..])
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, data);
        z
    }

    #[test]
    fn valid_deflate_for_many_shapes() {
        roundtrip(b"");
        roundtrip(b"a");
        roundtrip(b"abcabcabcabcabcabcabcabc");
        let mut x: u32 = 1;
        let noise: Vec<u8> = (0..200_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x % 7) as u8 + b'a'
            })
            .collect();
        roundtrip(&noise);
        roundtrip(&vec![0u8; 300_000]);
        let text: Vec<u8> = "kind: ConfigMap\nmetadata:\n  name: x\n"
            .repeat(5000)
            .into_bytes();
        roundtrip(&text);
    }

    #[test]
    fn go_empty_stream() {
        // No data: only the final empty stored block.
        let d = GoDeflater::new(Vec::new());
        assert_eq!(d.finish().unwrap(), vec![1, 0, 0, 0xff, 0xff]);
    }
}

//! What the dependency graphs use internally: a fast hasher, the interning of
//! `(namespace, name)` keys into vertex numbers, and adjacency lists in one
//! flat array.
//!
//! The keys hashed here are object names from the input, in tables that live
//! for one call, so SipHash's cost buys little. [`FxHasher`] mixes each 8-byte
//! word with a folded 64x64->128 multiplication (as foldhash and wyhash do),
//! which spreads every input bit over both the low bits (the bucket index)
//! and the high bits (hashbrown's tag), unlike a plain FxHash whose low bits
//! only see low input bits. Each table starts from a random seed, which makes
//! names crafted to collide much harder to find. No result depends on the
//! hash: numbers follow first mentions, and maps are only looked up.

use std::collections::hash_map::RandomState;
use std::collections::HashSet;
use std::hash::{BuildHasher, Hasher};

/// The multiplier: the fractional part of pi (as in foldhash).
const K: u64 = 0x243f_6a88_85a3_08d3;

/// A small FxHash-style [`Hasher`] with a folded multiply per word.
#[derive(Clone, Copy)]
pub(crate) struct FxHasher {
    hash: u64,
}

/// A random seed for one table (the per-process keys of `RandomState`,
/// varied per call as `RandomState` does).
fn random_seed() -> u64 {
    RandomState::new().hash_one(K)
}

#[inline]
fn folded_multiply(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = folded_multiply(self.hash ^ word, K);
    }
}

/// Calls `f` with each word of `bytes`: one per 8 bytes, the last one read
/// overlapping the one before (as wyhash does), and short inputs packed into
/// one word. For inputs of the same length, equal words mean equal bytes.
#[inline(always)]
fn words(bytes: &[u8], mut f: impl FnMut(u64)) {
    let len = bytes.len();
    let word = |at: usize| -> u64 {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(w)
    };
    let half = |at: usize| -> u64 {
        let mut w = [0u8; 4];
        w.copy_from_slice(&bytes[at..at + 4]);
        u64::from(u32::from_le_bytes(w))
    };
    if len > 8 {
        let mut at = 0;
        while at + 8 < len {
            f(word(at));
            at += 8;
        }
        f(word(len - 8));
    } else if len >= 4 {
        f(half(0) | (half(len - 4) << 32));
    } else if len > 0 {
        f(u64::from(bytes[0])
            | (u64::from(bytes[len / 2]) << 8)
            | (u64::from(bytes[len - 1]) << 16));
    }
}

impl Hasher for FxHasher {
    /// The words of [`words`], then the length, so that consecutive writes
    /// (a namespace, then a name) cannot be confused with another split of
    /// the same bytes.
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        words(bytes, |w| self.add(w));
        self.add(bytes.len() as u64);
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

/// The [`BuildHasher`] of [`FxHasher`], with a random seed.
#[derive(Clone)]
pub(crate) struct FxBuildHasher {
    seed: u64,
}

impl Default for FxBuildHasher {
    fn default() -> Self {
        FxBuildHasher {
            seed: random_seed(),
        }
    }
}

impl BuildHasher for FxBuildHasher {
    type Hasher = FxHasher;

    #[inline]
    fn build_hasher(&self) -> FxHasher {
        FxHasher { hash: self.seed }
    }
}

/// A `HashMap` with [`FxHasher`].
pub(crate) type FxHashMap<K, V> = std::collections::HashMap<K, V, FxBuildHasher>;
/// A `HashSet` with [`FxHasher`].
pub(crate) type FxHashSet<T> = HashSet<T, FxBuildHasher>;

/// Numbers `(namespace, name)` keys `0, 1, 2, ...` in order of first
/// mention, the namespace given by its own number.
///
/// An open-addressing table of its own rather than a `HashMap` of borrowed
/// strings: its slots are 8 bytes (32 bits of the hash and the number), and
/// each distinct key is kept as words (its namespace number, the length of
/// its name and the [`words`] of its name) in one compact array, so that
/// confirming a match reads neither the input's scattered strings nor more
/// than a few words. Two keys are equal exactly when their words are.
pub(crate) struct Interner {
    /// `0` when empty, else `(hash >> 32) << 32 | (number + 1)`.
    slots: Vec<u64>,
    /// The words of each numbered key, one after the other.
    words: Vec<u64>,
    /// Where each number's words start; one more entry for the end.
    starts: Vec<usize>,
    /// The hash of each number (to grow).
    hashes: Vec<u64>,
    /// The words of the key being looked up.
    key: Vec<u64>,
    /// The seed of the hashes.
    seed: u64,
}

impl Interner {
    /// A table with room for about `n` distinct keys.
    pub(crate) fn with_capacity(n: usize) -> Self {
        let mut starts = Vec::with_capacity(n + 1);
        starts.push(0);
        Interner {
            slots: vec![0; (n.max(4) * 2).next_power_of_two()],
            words: Vec::with_capacity(n * 4),
            starts,
            hashes: Vec::with_capacity(n),
            key: Vec::with_capacity(8),
            seed: random_seed(),
        }
    }

    /// The number of the name `name` in the namespace numbered `namespace`,
    /// and whether it is new.
    #[inline]
    pub(crate) fn intern(&mut self, namespace: usize, name: &str) -> (usize, bool) {
        let name = name.as_bytes();
        let mut h = FxHasher { hash: self.seed };
        h.add(namespace as u64 ^ (name.len() as u64).rotate_left(32));
        let key = &mut self.key;
        key.clear();
        key.push(namespace as u64);
        key.push(name.len() as u64);
        words(name, |w| {
            h.add(w);
            key.push(w);
        });
        let hash = h.finish();
        let tag = hash >> 32;
        let mask = self.slots.len() - 1;
        let mut i = hash as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                break;
            }
            if slot >> 32 == tag {
                let id = (slot & 0xffff_ffff) as usize - 1;
                let known = &self.words[self.starts[id]..self.starts[id + 1]];
                // A loop rather than `==`, which calls `memcmp` for a few words.
                if known.len() == key.len() && known.iter().zip(key.iter()).all(|(a, b)| a == b) {
                    return (id, false);
                }
            }
            i = (i + 1) & mask;
        }
        let id = self.hashes.len();
        let number = u32::try_from(id + 1).expect("fewer than 2^32 objects");
        self.slots[i] = tag << 32 | u64::from(number);
        self.hashes.push(hash);
        self.words.extend_from_slice(key);
        self.starts.push(self.words.len());
        if self.hashes.len() * 2 > self.slots.len() {
            self.grow();
        }
        (id, true)
    }

    /// Doubles the table (at most half full, for short probes).
    fn grow(&mut self) {
        let mut slots = vec![0u64; self.slots.len() * 2];
        let mask = slots.len() - 1;
        for (id, &hash) in self.hashes.iter().enumerate() {
            let mut i = hash as usize & mask;
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = (hash >> 32) << 32 | (id as u64 + 1);
        }
        self.slots = slots;
    }
}

/// Adjacency lists in one flat array (compressed sparse rows): the
/// neighbours of `u` are `targets[offsets[u]..offsets[u + 1]]`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Csr {
    offsets: Vec<usize>,
    targets: Vec<usize>,
}

impl Csr {
    /// The lists of `n` vertices from `(from, to)` pairs: each vertex's list
    /// keeps the pairs' order (a stable counting sort).
    pub(crate) fn from_pairs(n: usize, pairs: &[(usize, usize)]) -> Csr {
        Csr::from_iter(n, pairs.len(), || pairs.iter().copied())
    }

    /// As [`Csr::from_pairs`], from an iterator made twice (`len` pairs).
    fn from_iter<I: Iterator<Item = (usize, usize)>>(
        n: usize,
        len: usize,
        pairs: impl Fn() -> I,
    ) -> Csr {
        let mut offsets = vec![0usize; n + 1];
        for (u, _) in pairs() {
            offsets[u + 1] += 1;
        }
        for u in 0..n {
            offsets[u + 1] += offsets[u];
        }
        let mut fill = offsets[..n].to_vec();
        let mut targets = vec![0usize; len];
        for (u, v) in pairs() {
            targets[fill[u]] = v;
            fill[u] += 1;
        }
        Csr { offsets, targets }
    }

    /// Drops repeated entries of each list, keeping the first of each.
    pub(crate) fn dedup(&mut self) {
        let n = self.len();
        // `seen[v] == u + 1` while the list of `u` is scanned and has `v`.
        let mut seen = vec![0usize; n];
        let mut write = 0;
        let mut start = 0;
        for u in 0..n {
            let end = self.offsets[u + 1];
            self.offsets[u] = write;
            for i in start..end {
                let v = self.targets[i];
                if seen[v] != u + 1 {
                    seen[v] = u + 1;
                    self.targets[write] = v;
                    write += 1;
                }
            }
            start = end;
        }
        self.offsets[n] = write;
        self.targets.truncate(write);
    }

    /// The number of vertices.
    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// The number of entries.
    #[inline]
    pub(crate) fn edge_count(&self) -> usize {
        self.targets.len()
    }

    /// Where the list of `u` is in [`Csr::targets`].
    #[inline]
    pub(crate) fn range(&self, u: usize) -> std::ops::Range<usize> {
        self.offsets[u]..self.offsets[u + 1]
    }

    /// Every list, one after the other.
    #[inline]
    pub(crate) fn targets(&self) -> &[usize] {
        &self.targets
    }

    /// The list of `u`.
    #[inline]
    pub(crate) fn get(&self, u: usize) -> &[usize] {
        &self.targets[self.offsets[u]..self.offsets[u + 1]]
    }

    /// Each vertex's list, in vertex order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[usize]> + '_ {
        (0..self.len()).map(move |u| self.get(u))
    }

    /// The reversed lists: `u` is in the list of `v` for each `v` in the list
    /// of `u`, in increasing `u` order.
    pub(crate) fn reversed(&self) -> Csr {
        Csr::from_iter(self.len(), self.edge_count(), || {
            self.iter()
                .enumerate()
                .flat_map(|(u, vs)| vs.iter().map(move |&v| (v, u)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn h<T: Hash>(t: T) -> u64 {
        thread_local! {
            static BUILD: FxBuildHasher = FxBuildHasher::default();
        }
        BUILD.with(|b| b.hash_one(t))
    }

    #[test]
    fn hashes_tell_apart_what_equality_does() {
        assert_ne!(h(("a", "bc")), h(("ab", "c")));
        assert_ne!(h("a"), h("a\0"));
        assert_ne!(h(("a", "")), h(("", "a")));
        assert_ne!(h(""), h("\0"));
        assert_eq!(h(("ns", "name")), h(("ns", "name")));
        // The low bits (the bucket index) see the last bytes of a name.
        let low: FxHashSet<u64> = (0..1000)
            .map(|i| h(("flux-system", format!("ks-{i:05}").as_str())) & 0x3ff)
            .collect();
        assert!(low.len() > 500, "{}", low.len());
    }

    #[test]
    fn interner_numbers_keys_in_first_mention_order() {
        let names: Vec<String> = (0..1000).map(|i| format!("n{i}")).collect();
        let mut keys = vec![(0, "bc"), (1, "c"), (2, "abc"), (0, "bc"), (2, "")];
        keys.extend(names.iter().map(|n| (3, n.as_str())));
        keys.extend(names.iter().rev().map(|n| (3, n.as_str())));
        keys.extend(names.iter().map(|n| (2, n.as_str())));
        keys.push((1, "c"));
        let mut t = Interner::with_capacity(1);
        let ids: Vec<(usize, bool)> = keys.iter().map(|&(ns, n)| t.intern(ns, n)).collect();
        assert_eq!(
            ids[..5],
            [(0, true), (1, true), (2, true), (0, false), (3, true)]
        );
        for k in 0..1000 {
            assert_eq!(ids[5 + k], (k + 4, true));
            assert_eq!(ids[1005 + k], (1003 - k, false));
            assert_eq!(ids[2005 + k], (k + 1004, true));
        }
        assert_eq!(ids[3005], (1, false));
    }

    #[test]
    fn words_tell_apart_names_of_a_length() {
        let names = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "abc",
            "acb",
            "abcd",
            "abdc",
            "abcdefg",
            "abcdefh",
            "abcdefgh",
            "abcdefgi",
            "abcdefghi",
            "abcdefghj",
            "bbcdefghi",
            "abcdefghijklmnop",
            "abcdefghijklmnoq",
            "abcdefghijklmnopq",
            "abcdefghijklmnoqq",
        ];
        let mut t = Interner::with_capacity(1);
        for (i, n) in names.iter().enumerate() {
            assert_eq!(t.intern(0, n), (i, true));
        }
        for (i, n) in names.iter().enumerate() {
            assert_eq!(t.intern(0, n), (i, false));
            assert_eq!(t.intern(1, n), (names.len() + i, true));
        }
    }

    #[test]
    fn csr_keeps_order_and_dedups() {
        let mut c = Csr::from_pairs(3, &[(2, 0), (0, 1), (2, 1), (2, 0), (0, 1), (0, 2)]);
        assert_eq!(c.get(0), [1, 1, 2]);
        assert_eq!(c.get(1), [] as [usize; 0]);
        assert_eq!(c.get(2), [0, 1, 0]);
        c.dedup();
        assert_eq!(c.get(0), [1, 2]);
        assert_eq!(c.get(2), [0, 1]);
        assert_eq!(c.edge_count(), 4);
        let r = c.reversed();
        assert_eq!(r.get(0), [2]);
        assert_eq!(r.get(1), [0, 2]);
        assert_eq!(r.get(2), [0]);
    }
}

//! A fast hasher for the crate's fixed lookup tables (gazetteer phrases and the like).
//!
//! The standard library's SipHash resists hash flooding, which costs about as much as the
//! lookups it protects. This is the multiply-rotate hash of `rustc-hash` (FxHash): several
//! times faster on short words. Use it only for tables built from the crate's own data, where
//! input text is looked up but never inserted, so no input can degrade the table.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A map keyed by the crate's own data; see the module documentation.
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;
/// A set of the crate's own data; see the module documentation.
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            // The length keeps "a" and "a\0" apart.
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 56));
        }
    }

    #[inline]
    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    #[inline]
    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }
}

/// Appends `text` lowercased character by character (`char::to_lowercase`, as
/// `chars().flat_map(char::to_lowercase)` would), with a fast path for ASCII.
pub(crate) fn push_lowercase(buf: &mut String, text: &str) {
    if text.is_ascii() {
        // Copied whole and lower-cased in place: pushing char by char cost five times as much.
        let start = buf.len();
        buf.push_str(text);
        if let Some(copied) = buf.get_mut(start..) {
            copied.make_ascii_lowercase();
        }
    } else {
        buf.extend(text.chars().flat_map(char::to_lowercase));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_map_finds_what_it_holds() {
        let words = ["", "a", "ab", "kyiv", "united nations", "washington , d.c."];
        let map: FastMap<String, usize> = words
            .iter()
            .enumerate()
            .map(|(idx, word)| (word.to_string(), idx))
            .collect();
        for (idx, word) in words.iter().enumerate() {
            assert_eq!(map.get(*word), Some(&idx));
        }
        assert_eq!(map.get("a\0"), None);
    }

    #[test]
    fn lowercase_matches_char_by_char() {
        for text in ["Kyiv", "ŁÓDŹ", "İstanbul", "ΟΔΟΣ", "plain", "MiXeD 12"] {
            let mut buf = String::new();
            push_lowercase(&mut buf, text);
            let expected: String = text.chars().flat_map(char::to_lowercase).collect();
            assert_eq!(buf, expected);
        }
    }
}

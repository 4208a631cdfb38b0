//! Hashing for the crate's tables, by foldhash: several times faster than the standard
//! library's SipHash on short words.
//!
//! Tables built from the crate's own data (gazetteer phrases, cue words), where input text is
//! looked up but never inserted, are [`FastMap`] and [`FastSet`]: a fixed seed, so that
//! nothing about them depends on the process. Tables that input text is inserted into (the
//! per-article tables of `entities`) use foldhash's seeded `HashMap` and `HashSet`, so that
//! no text can be written to make them slow.

use std::collections::{HashMap, HashSet};

use foldhash::fast::FixedState;

/// A map keyed by the crate's own data; see the module documentation.
pub(crate) type FastMap<K, V> = HashMap<K, V, FixedState>;
/// A set of the crate's own data; see the module documentation.
pub(crate) type FastSet<K> = HashSet<K, FixedState>;

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

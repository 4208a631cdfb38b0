//! Known places and organisations (`data/places.tsv`): recognised whatever their case
//! ("kyiv" → Kyiv), clustered under one name ("US" = "United States"), and their demonyms
//! ("Russian", "Turkish"), which titles are made of ("Russian President").

use std::sync::LazyLock;

use article::EntityKind;

use crate::hash::{FastMap, FastSet, push_lowercase};
use crate::text;

static DATA: &str = include_str!("../data/places.tsv");

/// One known place or organisation.
#[derive(Debug, Clone)]
pub struct Entry {
    /// What it is.
    pub kind: EntityKind,
    /// The name it is given in the model ("United States").
    pub name: &'static str,
    /// Matched only as written, never in another case.
    pub case_sensitive: bool,
    /// A city: a place whose name clubs also bear.
    pub names_clubs: bool,
}

/// A phrase of the gazetteer: a name, an alias or a demonym.
#[derive(Debug, Clone, Copy)]
struct Phrase {
    entry: usize,
    /// The phrase as written in the data file, tokens joined by one space.
    form: &'static str,
    demonym: bool,
}

/// The most tokens a phrase may have (the data has at most 7; a test checks it).
const MAX_PHRASE_TOKENS: usize = 16;

/// The gazetteer, built once from the data file.
#[derive(Debug, Default)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    /// Lowercased phrase (tokens joined by one space) → phrases.
    phrases: FastMap<String, Vec<Phrase>>,
    /// The lowercased starts of the phrases of several tokens, without their last token
    /// ("new", "new york" of "new york city"), tokens joined by one space.
    prefixes: FastSet<String>,
    /// A bit per [`folded_hash`] of the ASCII first token of every phrase: a word whose
    /// bit is clear starts none, and most words of a text are turned away here without
    /// being lowercased or looked up.
    first_word_filter: Vec<u64>,
    max_tokens: usize,
}

/// Bits of [`Gazetteer::first_word_filter`] (8 KiB). The data sets 907 of them, so about one
/// word in seventy that starts no phrase passes it (a test keeps it under one in fifty).
const FIRST_WORD_BITS: usize = 1 << 16;

/// A hash of an ASCII word as lowercased (FNV-1a over the lowercased bytes, finalised),
/// without copying it.
fn folded_hash(word: &[u8]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for &byte in word {
        hash = (hash ^ u64::from(byte.to_ascii_lowercase())).wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The filter bit of a [`folded_hash`]: its top bits, the best mixed.
fn filter_bit(hash: u64) -> usize {
    (hash >> (64 - FIRST_WORD_BITS.trailing_zeros())) as usize
}

/// A match of the gazetteer in a token sequence.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'g> {
    /// What was matched.
    pub entry: &'g Entry,
    /// Number of tokens matched.
    pub n_tokens: usize,
    /// True when the match is a demonym ("Russian"), not the name of the place.
    pub demonym: bool,
}

/// The shared gazetteer.
pub fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| Gazetteer::parse(DATA));
    &GAZETTEER
}

fn is_acronym(form: &str) -> bool {
    form.chars().any(char::is_alphabetic)
        && !form.chars().any(char::is_lowercase)
        && form.chars().filter(|c| c.is_alphabetic()).count() <= 6
}

impl Gazetteer {
    fn parse(data: &'static str) -> Gazetteer {
        let mut gazetteer = Gazetteer::default();
        let mut tokens = Vec::new();
        for line in data.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&'static str> = line.split('\t').collect();
            let names_clubs = fields.first() == Some(&"city");
            let kind = match fields.first().copied() {
                Some("place" | "city") => EntityKind::Place,
                Some("organization") => EntityKind::Organization,
                Some("other") => EntityKind::Other,
                _ => continue,
            };
            let Some(name) = fields.get(1).map(|name| name.trim()) else {
                continue;
            };
            let case_sensitive = fields.iter().skip(2).any(|field| *field == "case");
            let entry_idx = gazetteer.entries.len();
            gazetteer.entries.push(Entry {
                kind,
                name,
                case_sensitive,
                names_clubs,
            });
            let aliases = fields.get(2).copied().unwrap_or("");
            let demonyms = fields.get(3).copied().unwrap_or("");
            let names = std::iter::once(name)
                .chain(aliases.split('|'))
                .map(|form| (form, false));
            let demonyms = demonyms.split('|').map(|form| (form, true));
            for (form, demonym) in names.chain(demonyms) {
                let form = form.trim();
                if form.is_empty() || form == "case" {
                    continue;
                }
                tokens.clear();
                text::tokenize(form, &mut tokens);
                let lowercase: Vec<String> = tokens
                    .iter()
                    .map(|range| form[range.clone()].to_lowercase())
                    .collect();
                for n_tokens in 1..lowercase.len() {
                    gazetteer.prefixes.insert(lowercase[..n_tokens].join(" "));
                }
                let key = lowercase.join(" ");
                gazetteer.max_tokens = gazetteer.max_tokens.max(tokens.len());
                gazetteer.phrases.entry(key).or_default().push(Phrase {
                    entry: entry_idx,
                    form,
                    demonym,
                });
            }
        }
        gazetteer.first_word_filter = vec![0; FIRST_WORD_BITS / 64];
        for key in gazetteer.phrases.keys() {
            let first = key.split(' ').next().unwrap_or_default();
            // A word with other than ASCII skips the filter (see `longest_match`), and an
            // ASCII word never lowercases to one that is not ASCII.
            if first.is_ascii() {
                let bit = filter_bit(folded_hash(first.as_bytes()));
                if let Some(word) = gazetteer.first_word_filter.get_mut(bit / 64) {
                    *word |= 1 << (bit % 64);
                }
            }
        }
        gazetteer
    }

    /// The entry named exactly `name` (its canonical name), if any.
    pub fn entry_named(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|entry| entry.name == name)
    }

    /// The longest phrase starting at `tokens[0]`, matched case-insensitively except for
    /// acronyms and names flagged `case`, which must match as written. `buf` is scratch.
    pub fn longest_match(&self, tokens: &[&str], buf: &mut String) -> Option<Hit<'_>> {
        let first = tokens.first()?;
        if first.is_ascii() && !self.may_start_phrase(first) {
            return None;
        }
        self.longest_match_unfiltered(tokens, buf)
    }

    /// Whether a phrase of several words starts with `word`, in any case. `buf` is scratch.
    pub fn starts_a_longer_phrase(&self, word: &str, buf: &mut String) -> bool {
        if word.is_ascii() && !self.may_start_phrase(word) {
            return false;
        }
        buf.clear();
        push_lowercase(buf, word);
        self.prefixes.contains(buf.as_str())
    }

    /// False when no phrase starts with the ASCII word `word`, in any case; true when one
    /// may.
    fn may_start_phrase(&self, word: &str) -> bool {
        let bit = filter_bit(folded_hash(word.as_bytes()));
        self.first_word_filter
            .get(bit / 64)
            .is_none_or(|filter| filter & (1 << (bit % 64)) != 0)
    }

    /// [`Gazetteer::longest_match`] without the first-word filter.
    fn longest_match_unfiltered(&self, tokens: &[&str], buf: &mut String) -> Option<Hit<'_>> {
        let first = tokens.first()?;
        buf.clear();
        push_lowercase(buf, first);
        // Every candidate phrase is a prefix of the longest one: lowercase and join the
        // tokens while what is joined starts a longer phrase, noting where each prefix ends,
        // then look the prefixes up from the longest down.
        let max = self.max_tokens.min(tokens.len()).min(MAX_PHRASE_TOKENS);
        let mut ends = [0; MAX_PHRASE_TOKENS];
        ends[0] = buf.len();
        let mut joined = 1;
        while joined < max && self.prefixes.contains(buf.as_str()) {
            buf.push(' ');
            push_lowercase(buf, tokens[joined]);
            ends[joined] = buf.len();
            joined += 1;
        }
        for n_tokens in (1..=joined).rev() {
            let Some(phrases) = buf
                .get(..ends[n_tokens - 1])
                .and_then(|key| self.phrases.get(key))
            else {
                continue;
            };
            for phrase in phrases {
                let Some(entry) = self.entries.get(phrase.entry) else {
                    continue;
                };
                if self.case_matches(phrase, entry, &tokens[..n_tokens]) {
                    return Some(Hit {
                        entry,
                        n_tokens,
                        demonym: phrase.demonym,
                    });
                }
            }
        }
        None
    }

    fn case_matches(&self, phrase: &Phrase, entry: &Entry, tokens: &[&str]) -> bool {
        let exact = || {
            let mut form_tokens = phrase.form.split(' ');
            // Forms with inner punctuation ("Washington, D.C.") are compared token-wise
            // after removing spaces.
            let joined_form: String = phrase.form.split_whitespace().collect();
            let joined_tokens: String = tokens.concat();
            joined_form == joined_tokens
                || tokens
                    .iter()
                    .all(|token| form_tokens.next() == Some(*token))
        };
        if phrase.demonym || entry.case_sensitive || is_acronym(phrase.form) {
            return exact();
        }
        true
    }

    /// The entry a demonym names ("Russian" → Russia), matched as written.
    pub fn demonym(&self, word: &str) -> Option<&Entry> {
        let key = word.to_lowercase();
        self.phrases.get(&key)?.iter().find_map(|phrase| {
            (phrase.demonym && phrase.form == word)
                .then(|| self.entries.get(phrase.entry))
                .flatten()
        })
    }

    /// The entry a name or alias names, matched as the gazetteer would in text.
    pub fn lookup(&self, name: &str) -> Option<&Entry> {
        let mut ranges = Vec::new();
        text::tokenize(name, &mut ranges);
        let tokens: Vec<&str> = ranges
            .iter()
            .filter_map(|range| name.get(range.clone()))
            .collect();
        let mut buf = String::new();
        let hit = self.longest_match(&tokens, &mut buf)?;
        (hit.n_tokens == tokens.len() && !hit.demonym).then_some(hit.entry)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_word_filter_turns_away_only_words_that_start_no_phrase() {
        let gazetteer = gazetteer();
        let set: u32 = gazetteer
            .first_word_filter
            .iter()
            .map(|word| word.count_ones())
            .sum();
        assert!(set as usize * 50 < FIRST_WORD_BITS, "{set} bits set");
        for key in gazetteer.phrases.keys() {
            let first = key.split(' ').next().unwrap_or_default();
            for form in [first.to_string(), first.to_uppercase()] {
                if form.is_ascii() {
                    assert!(gazetteer.may_start_phrase(&form), "{form:?} of {key:?}");
                }
            }
        }
        // Every window of the sample articles' words matches as it did without the filter,
        // and most words are turned away by it.
        let folder =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/wikinews");
        let (mut n_words, mut n_passed, mut n_hits) = (0, 0, 0);
        let (mut buf, mut ranges) = (String::new(), Vec::new());
        for entry in std::fs::read_dir(&folder).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            ranges.clear();
            text::tokenize(&text, &mut ranges);
            let words: Vec<&str> = ranges.iter().map(|range| &text[range.clone()]).collect();
            for start in 0..words.len() {
                let window = &words[start..words.len().min(start + 8)];
                let filtered = gazetteer.longest_match(window, &mut buf);
                let unfiltered = gazetteer.longest_match_unfiltered(window, &mut buf);
                assert_eq!(
                    filtered.map(|hit| (hit.entry.name, hit.n_tokens, hit.demonym)),
                    unfiltered.map(|hit| (hit.entry.name, hit.n_tokens, hit.demonym)),
                    "{window:?}"
                );
                n_words += 1;
                n_passed += usize::from(
                    !words[start].is_ascii() || gazetteer.may_start_phrase(words[start]),
                );
                n_hits += usize::from(unfiltered.is_some());
            }
        }
        assert!(n_hits > 1_000, "{n_hits} matches");
        assert!(
            n_passed * 5 < n_words,
            "{n_passed} of {n_words} words pass the filter"
        );
    }

    /// The longest match as found before the prefix set: every prefix up to the longest
    /// phrase's length, looked up from the longest down.
    fn every_prefix_match<'g>(gazetteer: &'g Gazetteer, tokens: &[&str]) -> Option<Hit<'g>> {
        let max = gazetteer.max_tokens.min(tokens.len());
        (1..=max).rev().find_map(|n_tokens| {
            let key = tokens[..n_tokens]
                .iter()
                .map(|token| token.to_lowercase())
                .collect::<Vec<_>>()
                .join(" ");
            let phrases = gazetteer.phrases.get(&key)?;
            phrases.iter().find_map(|phrase| {
                let entry = gazetteer.entries.get(phrase.entry)?;
                gazetteer
                    .case_matches(phrase, entry, &tokens[..n_tokens])
                    .then_some(Hit {
                        entry,
                        n_tokens,
                        demonym: phrase.demonym,
                    })
            })
        })
    }

    #[test]
    fn joining_only_the_starts_of_phrases_finds_the_longest_match() {
        let gazetteer = gazetteer();
        let mut buf = String::new();
        let mut ranges = Vec::new();
        // Every phrase, in its own case and in capitals, alone and before more words.
        let mut texts: Vec<String> = Vec::new();
        for key in gazetteer.phrases.keys() {
            texts.push(format!("{key} said on Monday"));
            texts.push(format!("{} city centre", key.to_uppercase()));
            for phrase in &gazetteer.phrases[key] {
                texts.push(format!("{} and others", phrase.form));
            }
        }
        let folder =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/wikinews");
        for entry in std::fs::read_dir(&folder).unwrap() {
            texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
        }
        let mut n_long = 0;
        for text in &texts {
            ranges.clear();
            text::tokenize(text, &mut ranges);
            let words: Vec<&str> = ranges.iter().map(|range| &text[range.clone()]).collect();
            for start in 0..words.len() {
                let window = &words[start..words.len().min(start + 10)];
                let found = gazetteer.longest_match_unfiltered(window, &mut buf);
                let expected = every_prefix_match(gazetteer, window);
                assert_eq!(
                    found.map(|hit| (hit.entry.name, hit.n_tokens, hit.demonym)),
                    expected.map(|hit| (hit.entry.name, hit.n_tokens, hit.demonym)),
                    "{window:?}"
                );
                n_long += usize::from(found.is_some_and(|hit| hit.n_tokens >= 3));
            }
        }
        assert!(n_long > 100, "{n_long} matches of three tokens or more");
    }

    #[test]
    fn names_aliases_and_case() {
        let gazetteer = gazetteer();
        assert!(gazetteer.entries.len() > 300);
        assert!(gazetteer.max_tokens <= MAX_PHRASE_TOKENS);
        assert_eq!(gazetteer.lookup("kyiv").map(|e| e.name), Some("Kyiv"));
        assert_eq!(
            gazetteer.lookup("US").map(|e| e.name),
            Some("United States")
        );
        assert_eq!(
            gazetteer.lookup("U.S.").map(|e| e.name),
            Some("United States")
        );
        assert!(gazetteer.lookup("us").is_none());
        assert!(gazetteer.lookup("turkey").is_none());
        assert_eq!(gazetteer.lookup("Turkey").map(|e| e.name), Some("Turkey"));
        assert_eq!(
            gazetteer.lookup("united nations").map(|e| e.name),
            Some("United Nations")
        );
        assert_eq!(gazetteer.demonym("Russian").map(|e| e.name), Some("Russia"));
        assert!(gazetteer.demonym("russian").is_none());
        assert_eq!(
            gazetteer.lookup("Washington, D.C.").map(|e| e.name),
            Some("Washington")
        );
    }
}

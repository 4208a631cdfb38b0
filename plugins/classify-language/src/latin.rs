//! whatlang's answer for Latin-script text, computed with an inverted trigram index.
//!
//! whatlang (its default, combined method) scores every Latin-script language by its alphabet
//! and by the distance between the text's most frequent trigrams and the language's 300 most
//! frequent ones. For the distances it looks each of a language's 300 trigrams up in the
//! text's table: 37 languages × 300 lookups on every call, whatever the length of the text,
//! which made language detection about a seventh of the whole pipeline's time. Here each of
//! the text's trigrams (at most 600) is looked up once in an index from trigram to the
//! languages that list it, with its rank in each.
//!
//! The answer is whatlang's own, bit for bit: the same integer distances, the same
//! floating-point operations in the same order, and the same sorts over the same sequences of
//! the same types (so ties fall the same way). The tables in `data/` are whatlang's, written by
//! `data/extract-latin.py` from the version in `Cargo.lock`; the tests compare this with
//! whatlang on every bundled article and on text in every Latin-script language, so a
//! whatlang upgrade that changes them fails until they are extracted again.

use std::cmp::Reverse;

use whatlang::Lang;

/// whatlang's Latin-script trigram profiles: a language's 639-3 code, a tab, and its trigrams
/// from most to least frequent, separated by `|` (never part of a trigram: whatlang turns
/// punctuation into spaces).
const TRIGRAMS: &str = include_str!("../data/latin-trigrams.tsv");
/// whatlang's Latin alphabets: a language's code, a tab, and its letters.
const ALPHABETS: &str = include_str!("../data/latin-alphabets.tsv");

/// A trigram's distance when the text lacks it, and the rank it is compared at.
const MAX_TRIGRAM_DISTANCE: u32 = 300;
const MAX_TOTAL_DISTANCE: u32 = MAX_TRIGRAM_DISTANCE * MAX_TRIGRAM_DISTANCE;
/// The text's most frequent trigrams that take part.
const TEXT_TRIGRAMS_SIZE: usize = 600;

type Trigram = (char, char, char);

/// The index and tables, built once per plugin instance.
pub(crate) struct Latin {
    /// The languages with a trigram profile, in whatlang's profile order.
    profiled: Vec<Lang>,
    /// Per profiled language, the length of its profile.
    profile_len: Vec<u32>,
    /// Per trigram (see [`key`]), where its entries start in `entries` and how many there
    /// are. Small on purpose: it is read for every article between the other stages' tables,
    /// so it should evict as little of them from the processor's caches as it can.
    index: foldhash::HashMap<u64, (u16, u16)>,
    /// Per trigram, the profiled languages (by index) that list it with its rank in each, all
    /// of a trigram's entries together.
    entries: Vec<(u8, u16)>,
    /// `Script::Latin`'s languages in whatlang's order, each with its alphabet as the bit of
    /// every letter in `letters`.
    alphabet_langs: Vec<Lang>,
    /// Per letter of any alphabet, the bit set of the languages (by place in `alphabet_langs`)
    /// whose alphabet has it.
    letters: foldhash::HashMap<char, u64>,
    /// The languages the answer may be, as whatlang's allowlist; `None` for all.
    only: Option<Vec<Lang>>,
}

impl Latin {
    /// Builds the index from the embedded tables, for answers among `only` (whatlang's
    /// allowlist) or, with `None`, among all languages. `None` if the tables do not match this
    /// build's whatlang (a language it does not know, or more than 64 of them); the caller
    /// then asks whatlang itself.
    pub(crate) fn new(only: Option<Vec<Lang>>) -> Option<Latin> {
        let mut profiled = Vec::new();
        let mut profile_len = Vec::new();
        // (trigram, language, rank), then sorted by trigram into runs.
        let mut listed: Vec<(u64, u8, u16)> = Vec::new();
        for line in TRIGRAMS.lines().filter(|line| !line.is_empty()) {
            let (code, trigrams) = line.split_once('\t')?;
            let lang_idx = u8::try_from(profiled.len()).ok()?;
            profiled.push(Lang::from_code(code)?);
            let mut n_trigrams = 0u32;
            for (rank, trigram) in trigrams.split('|').enumerate() {
                let mut chars = trigram.chars();
                let (Some(c1), Some(c2), Some(c3), None) =
                    (chars.next(), chars.next(), chars.next(), chars.next())
                else {
                    return None;
                };
                listed.push((key((c1, c2, c3)), lang_idx, u16::try_from(rank).ok()?));
                n_trigrams += 1;
            }
            profile_len.push(n_trigrams);
        }
        listed.sort_unstable();
        let mut index: foldhash::HashMap<u64, (u16, u16)> = foldhash::HashMap::default();
        let mut entries = Vec::with_capacity(listed.len());
        for (trigram, lang_idx, rank) in listed {
            let start = u16::try_from(entries.len()).ok()?;
            let run = index.entry(trigram).or_insert((start, 0));
            run.1 += 1;
            entries.push((lang_idx, rank));
        }
        let mut alphabets: Vec<(Lang, &str)> = Vec::new();
        for line in ALPHABETS.lines().filter(|line| !line.is_empty()) {
            let (code, letters) = line.split_once('\t')?;
            alphabets.push((Lang::from_code(code)?, letters));
        }
        let alphabet_langs = whatlang::Script::Latin.langs().to_vec();
        if alphabet_langs.len() > 64
            || alphabet_langs.len() != alphabets.len()
            || profiled.len() != alphabets.len()
        {
            return None;
        }
        let mut letters: foldhash::HashMap<char, u64> = foldhash::HashMap::default();
        for (bit, lang) in alphabet_langs.iter().enumerate() {
            let (_, alphabet) = alphabets.iter().find(|(known, _)| known == lang)?;
            for letter in alphabet.chars() {
                *letters.entry(letter).or_default() |= 1 << bit;
            }
        }
        Some(Latin {
            profiled,
            profile_len,
            index,
            entries,
            alphabet_langs,
            letters,
            only,
        })
    }

    /// whatlang's language and confidence for `text`. `None` when whatlang's script detection
    /// does not find it to be Latin, for a text without a single trigram (whatlang's scores
    /// are undefined there), or when no Latin-script language is allowed; the caller then
    /// asks whatlang.
    pub(crate) fn detect(&self, text: &str) -> Option<whatlang::Info> {
        if !is_latin_script(text) {
            return None;
        }
        let text = text.to_lowercase();
        let (n_letters, alphabet_scores) = self.alphabet_scores(&text);
        let (n_trigrams, trigram_scores) = self.trigram_scores(&text)?;

        // Combined: the alphabet weighs less the more letters there are.
        let mut langs: Vec<Lang> = alphabet_scores.iter().map(|(lang, _)| *lang).collect();
        for (lang, _) in &trigram_scores {
            if !langs.contains(lang) {
                langs.push(*lang);
            }
        }
        let alphabet_weight = (-(n_letters as f64 / 300.0) + 2.0 / 3.0).clamp(1.0 / 3.0, 2.0 / 3.0);
        let trigram_weight = 1.0 - alphabet_weight;
        let score_of = |scores: &[(Lang, f64)], lang: Lang| {
            scores
                .iter()
                .find(|(known, _)| *known == lang)
                .map_or(0.0, |(_, score)| *score)
        };
        let mut scores: Vec<(Lang, f64)> = Vec::with_capacity(langs.len());
        for lang in langs {
            let alphabet = score_of(&alphabet_scores, lang);
            let trigram = score_of(&trigram_scores, lang);
            scores.push((lang, alphabet * alphabet_weight + trigram * trigram_weight));
        }
        scores.sort_unstable_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Less));
        let (lang, best) = *scores.first()?;
        let confidence = match scores.get(1) {
            Some(&(_, second)) => confidence(best, second, n_trigrams),
            None => 1.0,
        };
        Some(whatlang::Info::new(
            whatlang::Script::Latin,
            lang,
            confidence,
        ))
    }

    fn allows(&self, lang: Lang) -> bool {
        self.only.as_ref().is_none_or(|only| only.contains(&lang))
    }

    /// The number of letters (characters other than whatlang's stop characters) and each
    /// language's share of letters in its alphabet, best first.
    fn alphabet_scores(&self, text: &str) -> (usize, Vec<(Lang, f64)>) {
        // How often each letter occurs, then each language's count from its letters.
        let mut ascii = [0usize; 128];
        let mut other: Vec<(char, usize)> = Vec::new();
        let mut n_letters = 0usize;
        for character in text.chars().filter(|character| !is_stop_char(*character)) {
            n_letters += 1;
            if character.is_ascii() {
                ascii[character as usize] += 1;
            } else if let Some(seen) = other.iter_mut().find(|(known, _)| *known == character) {
                seen.1 += 1;
            } else {
                other.push((character, 1));
            }
        }
        let mut in_alphabet = vec![0usize; self.alphabet_langs.len()];
        let ascii_counts = ascii
            .iter()
            .enumerate()
            .filter(|(_, count)| **count > 0)
            .map(|(code, count)| (char::from(code as u8), *count));
        for (letter, count) in ascii_counts.chain(other) {
            let Some(&langs) = self.letters.get(&letter) else {
                continue;
            };
            for (bit, total) in in_alphabet.iter_mut().enumerate() {
                if langs & (1 << bit) != 0 {
                    *total += count;
                }
            }
        }
        // whatlang's raw score: letters in the alphabet minus letters outside it, at least 0.
        let mut raw: Vec<(Lang, usize)> = self
            .alphabet_langs
            .iter()
            .zip(&in_alphabet)
            .filter(|(lang, _)| self.allows(**lang))
            .map(|(lang, total)| (*lang, (2 * total).saturating_sub(n_letters)))
            .collect();
        raw.sort_unstable_by_key(|(_, score)| Reverse(*score));
        let scores = raw
            .into_iter()
            .map(|(lang, score)| (lang, score as f64 / n_letters as f64))
            .collect();
        (n_letters, scores)
    }

    /// The number of the text's trigrams taking part, and each language's similarity to the
    /// text, best first. `None` for a text without trigrams.
    fn trigram_scores(&self, text: &str) -> Option<(usize, Vec<(Lang, f64)>)> {
        let ranked = text_trigrams(text);
        let n_trigrams = ranked.len();
        if n_trigrams == 0 {
            return None;
        }
        // Each language starts as if the text had none of its trigrams; every trigram it
        // does have replaces that trigram's maximal distance with the difference in ranks.
        let mut totals: Vec<i64> = self
            .profile_len
            .iter()
            .map(|len| i64::from(*len) * i64::from(MAX_TRIGRAM_DISTANCE))
            .collect();
        for (text_rank, trigram) in ranked.iter().enumerate() {
            let Some(&(start, len)) = self.index.get(trigram) else {
                continue;
            };
            let listed = self
                .entries
                .get(usize::from(start)..usize::from(start) + usize::from(len))
                .unwrap_or_default();
            for &(lang_idx, lang_rank) in listed {
                let distance = (text_rank as i64 - i64::from(lang_rank)).abs();
                totals[usize::from(lang_idx)] += distance - i64::from(MAX_TRIGRAM_DISTANCE);
            }
        }
        let count = n_trigrams as u32;
        let mut distances: Vec<(Lang, u32)> = Vec::with_capacity(self.profiled.len());
        for (lang, total) in self.profiled.iter().zip(totals) {
            if !self.allows(*lang) {
                continue;
            }
            // whatlang sums in `u32` and its arithmetic wraps in release builds; so does this.
            let mut distance = u32::try_from(total).unwrap_or(u32::MAX);
            if MAX_TRIGRAM_DISTANCE > count {
                distance =
                    distance.wrapping_sub((MAX_TRIGRAM_DISTANCE - count) * MAX_TRIGRAM_DISTANCE);
            }
            distances.push((*lang, distance.min(MAX_TOTAL_DISTANCE)));
        }
        distances.sort_unstable_by_key(|(_, distance)| *distance);
        let max_distance = count * MAX_TRIGRAM_DISTANCE;
        let scores = distances
            .into_iter()
            .map(|(lang, distance)| {
                let similarity = max_distance.wrapping_sub(distance);
                (lang, f64::from(similarity) / f64::from(max_distance))
            })
            .collect();
        Some((n_trigrams, scores))
    }
}

/// The text's trigrams (see [`key`]) from most to least frequent (ties: the greater trigram
/// first, as [`key`] keeps their order), at most [`TEXT_TRIGRAMS_SIZE`]. Stop characters count
/// as spaces, the text is taken to start and end with a space, and trigrams with a space in
/// the middle next to another space are not counted.
fn text_trigrams(text: &str) -> Vec<u64> {
    let mut counts: foldhash::HashMap<u64, u32> = foldhash::HashMap::default();
    counts.reserve(text.len().min(2048));
    let mut chars = text
        .chars()
        .map(|character| {
            if is_stop_char(character) {
                ' '
            } else {
                character
            }
        })
        .chain(Some(' '));
    let mut c1 = ' ';
    let Some(mut c2) = chars.next() else {
        return Vec::new();
    };
    for c3 in chars {
        if !(c2 == ' ' && (c1 == ' ' || c3 == ' ')) {
            *counts.entry(key((c1, c2, c3))).or_default() += 1;
        }
        c1 = c2;
        c2 = c3;
    }
    let mut by_count: Vec<(u32, u64)> = counts
        .into_iter()
        .map(|(trigram, count)| (count, trigram))
        .collect();
    by_count.sort_unstable_by(|a, b| b.cmp(a));
    by_count
        .into_iter()
        .take(TEXT_TRIGRAMS_SIZE)
        .map(|(_, trigram)| trigram)
        .collect()
}

/// Whether whatlang's script detection finds `text` to be Latin. It counts the characters of
/// each script, leaving out its stop characters, and takes the most frequent: in ASCII text
/// the only characters it counts are the letters, all Latin, so that text is Latin exactly when
/// it has a letter. Other text is asked of whatlang.
fn is_latin_script(text: &str) -> bool {
    if text.is_ascii() {
        return text.bytes().any(|byte| byte.is_ascii_alphabetic());
    }
    whatlang::detect_script(text) == Some(whatlang::Script::Latin)
}

/// A trigram as one number, 21 bits per character: numbers compare as the trigrams do.
fn key((c1, c2, c3): Trigram) -> u64 {
    (u64::from(c1) << 42) | (u64::from(c2) << 21) | u64::from(c3)
}

/// whatlang's stop characters: ASCII space, punctuation and digits.
fn is_stop_char(character: char) -> bool {
    matches!(character, '\u{0000}'..='\u{0040}' | '\u{005B}'..='\u{0060}' | '\u{007B}'..='\u{007E}')
}

/// whatlang's confidence that the best of two scores is right, given the number of trigrams
/// (or letters) behind them.
fn confidence(best: f64, second: f64, count: usize) -> f64 {
    if best == 0.0 {
        return 0.0;
    }
    if second == 0.0 {
        return best;
    }
    let confident_rate = (3.0 / count as f64) + 0.015;
    let rate = (best - second) / second;
    if rate > confident_rate {
        1.0
    } else {
        rate / confident_rate
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{Latin, TRIGRAMS};

    /// This module's answer and whatlang's, side by side, for a text that whatlang finds to be
    /// in Latin script (false for any other text: this module does not answer for it).
    fn assert_same(latin: &Latin, detector: &whatlang::Detector, text: &str) -> bool {
        let Some(ours) = latin.detect(text) else {
            assert_ne!(
                whatlang::detect_script(text),
                Some(whatlang::Script::Latin),
                "no answer for Latin-script {text:?}"
            );
            return false;
        };
        let answer =
            |info: &whatlang::Info| (info.lang(), info.confidence().to_bits(), info.is_reliable());
        assert_eq!(
            Some(answer(&ours)),
            detector.detect(text).as_ref().map(answer),
            "on {text:?}"
        );
        true
    }

    fn latin() -> Latin {
        Latin::new(None).unwrap_or_else(|| panic!("the embedded tables do not match whatlang"))
    }

    #[test]
    fn the_script_is_whatlangs() {
        // Every ASCII character alone and after a letter, and texts of other scripts.
        let mut texts: Vec<String> = (0u8..128)
            .flat_map(|byte| {
                let character = char::from(byte);
                [
                    character.to_string(),
                    format!("a{character}"),
                    format!("{character}1 !"),
                ]
            })
            .collect();
        texts.extend(
            [
                "",
                "  12, 34!",
                "Hello, world",
                "Привет, мир",
                "Hello мир мир",
                "日本語 text",
            ]
            .map(str::to_string),
        );
        for text in &texts {
            assert_eq!(
                super::is_latin_script(text),
                whatlang::detect_script(text) == Some(whatlang::Script::Latin),
                "on {text:?}"
            );
        }
    }

    #[test]
    fn same_answers_as_whatlang_on_the_samples() {
        let latin = latin();
        let detector = whatlang::Detector::new();
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/wikinews");
        let mut paths: Vec<_> = std::fs::read_dir(&folder)
            .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
            .collect();
        paths.sort();
        assert!(paths.len() > 200, "{} samples", paths.len());
        let mut n_compared = 0;
        for path in paths {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            // Short and long texts: the alphabet weighs more in short ones, and only long
            // ones have more than 600 distinct trigrams.
            for n_chars in [25, 60, 150, 500, 2000, usize::MAX] {
                let prefix: String = text.chars().take(n_chars).collect();
                n_compared += usize::from(assert_same(&latin, &detector, &prefix));
            }
        }
        assert!(n_compared > 1000, "{n_compared} texts compared");
    }

    #[test]
    fn same_answers_as_whatlang_in_every_latin_language() {
        // Text made of each language's own frequent trigrams, alone and mixed with the next
        // language's, so that the answers include every language and close calls between
        // two of them.
        let latin = latin();
        let detector = whatlang::Detector::new();
        let profiles: Vec<Vec<&str>> = TRIGRAMS
            .lines()
            .filter_map(|line| line.split_once('\t'))
            .map(|(_, trigrams)| trigrams.split('|').collect())
            .collect();
        let mut answers = std::collections::HashSet::new();
        for (idx, profile) in profiles.iter().enumerate() {
            let next = &profiles[(idx + 1) % profiles.len()];
            for n_trigrams in [5, 20, 80, 300] {
                let own = profile[..n_trigrams].join(" ");
                assert_same(&latin, &detector, &own);
                answers.extend(latin.detect(&own).map(|info| info.lang()));
                for n_next in [2, 10, n_trigrams] {
                    let mixed = format!("{own} {}", next[..n_next].join(" "));
                    assert_same(&latin, &detector, &mixed);
                }
            }
        }
        assert!(
            answers.len() * 10 >= profiles.len() * 9,
            "only {} of {} languages came up",
            answers.len(),
            profiles.len()
        );
    }

    #[test]
    fn same_answers_as_whatlang_with_an_allowlist() {
        let lists = [
            vec![
                whatlang::Lang::Eng,
                whatlang::Lang::Fra,
                whatlang::Lang::Deu,
            ],
            vec![
                whatlang::Lang::Spa,
                whatlang::Lang::Por,
                whatlang::Lang::Rus,
            ],
        ];
        for only in lists {
            let latin = Latin::new(Some(only.clone()))
                .unwrap_or_else(|| panic!("the embedded tables do not match whatlang"));
            let detector = whatlang::Detector::with_allowlist(only);
            for line in TRIGRAMS.lines() {
                let Some((_, trigrams)) = line.split_once('\t') else {
                    continue;
                };
                let text: Vec<&str> = trigrams.split('|').take(60).collect();
                assert_same(&latin, &detector, &text.join(" "));
            }
        }
    }
}

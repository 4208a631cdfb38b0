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

use std::cell::RefCell;
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

/// The characters that make up almost every trigram of English news once stop characters are
/// spaces: ' ' and 'a' to 'z', numbered 0 to 26 in that (the characters') order.
const DENSE_CHARS: usize = 27;
/// The trigrams of those characters, each with its own slot in the tables indexed by
/// [`dense_slot`].
const DENSE_SLOTS: usize = DENSE_CHARS * DENSE_CHARS * DENSE_CHARS;
const _: () = assert!(DENSE_SLOTS <= 1 << u16::BITS, "a slot is kept as a `u16`");

type Trigram = (char, char, char);

/// The index and tables, built once per plugin instance.
pub(crate) struct Latin {
    /// The languages with a trigram profile, in whatlang's profile order.
    profiled: Vec<Lang>,
    /// Per profiled language, the length of its profile.
    profile_len: Vec<u32>,
    /// Per trigram of ' ' and 'a' to 'z' (by [`dense_slot`]), where its entries start in
    /// `entries` and how many there are (0: no language lists it). Nearly all of a text's
    /// trigrams are of these characters, and a slot of an array is one read where a hash-map
    /// probe is a hash and a few cache misses. Small matters too: the tables are read for
    /// every article between the other stages' tables, so they should evict as little of
    /// those from the processor's caches as they can; this one (77 KB) and `index` (about
    /// 34 KB) together are smaller than one hash map of all the trigrams (about 136 KB).
    dense: Box<[(u16, u16)]>,
    /// The same for every other trigram (see [`key`]): those with an accented letter.
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
        let mut dense = vec![(0u16, 0u16); DENSE_SLOTS].into_boxed_slice();
        let mut index: foldhash::HashMap<u64, (u16, u16)> = foldhash::HashMap::default();
        let mut entries = Vec::with_capacity(listed.len());
        for (trigram, lang_idx, rank) in listed {
            let start = u16::try_from(entries.len()).ok()?;
            let run = match dense_slot(trigram) {
                Some(slot) => {
                    let run = dense.get_mut(slot)?;
                    if run.1 == 0 {
                        run.0 = start;
                    }
                    run
                }
                None => index.entry(trigram).or_insert((start, 0)),
            };
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
            dense,
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
            for &(lang_idx, lang_rank) in self.listing(*trigram) {
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

    /// The profiled languages that list `trigram` (see [`key`]), with its rank in each; empty
    /// when none does.
    fn listing(&self, trigram: u64) -> &[(u8, u16)] {
        let run = match dense_slot(trigram) {
            Some(slot) => self.dense.get(slot),
            None => self.index.get(&trigram),
        };
        let Some(&(start, len)) = run else {
            return &[];
        };
        self.entries
            .get(usize::from(start)..usize::from(start) + usize::from(len))
            .unwrap_or_default()
    }
}

/// The text's trigrams (see [`key`]) from most to least frequent (ties: the greater trigram
/// first, as [`key`] keeps their order), at most [`TEXT_TRIGRAMS_SIZE`]. Stop characters count
/// as spaces, the text is taken to start and end with a space, and trigrams with a space in
/// the middle next to another space are not counted.
///
/// Trigrams of ' ' and 'a' to 'z' are counted in the thread's [`DenseCounts`] (an array
/// index rather than a hash-map probe per trigram), the rest in a hash map, which stays empty,
/// and unallocated, for most English text.
fn text_trigrams(text: &str) -> Vec<u64> {
    let count = |dense: &mut DenseCounts| count_trigrams(text, dense);
    DENSE_COUNTS
        .try_with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut dense) => count(&mut dense),
            // Only if the thread's scratch is in use or gone (a call from a thread-local's
            // destructor): a fresh one does the same, more slowly.
            Err(_) => count(&mut DenseCounts::new()),
        })
        .unwrap_or_else(|_| count(&mut DenseCounts::new()))
}

/// Every trigram of `text` that takes part (see [`key`]), in order: stop characters count as
/// spaces, the text is taken to start and end with a space, and a trigram with a space in the
/// middle next to another space is left out.
fn trigrams(text: &str) -> impl Iterator<Item = u64> + '_ {
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
    let mut c2 = chars.next();
    chars.filter_map(move |c3| {
        let middle = c2.replace(c3)?;
        let trigram = (!(middle == ' ' && (c1 == ' ' || c3 == ' '))).then(|| key((c1, middle, c3)));
        c1 = middle;
        trigram
    })
}

/// [`text_trigrams`], counting in `dense` and leaving it zeroed again.
fn count_trigrams(text: &str, dense: &mut DenseCounts) -> Vec<u64> {
    let mut others: foldhash::HashMap<u64, u32> = foldhash::HashMap::default();
    for trigram in trigrams(text) {
        match dense_slot(trigram) {
            Some(slot) => dense.add(slot),
            None => *others.entry(trigram).or_default() += 1,
        }
    }
    // Each kind ranked on its own, then merged: the two never share a trigram, so this is the
    // order of ranking them together. The dense ones, nearly all, rank as single integers
    // (see `DenseCounts::take`), which sort in about half the time of (count, trigram) pairs.
    let mut dense_ranked: Vec<u64> = dense.take().collect();
    dense_ranked.sort_unstable();
    let mut dense_ranked = dense_ranked
        .into_iter()
        .rev()
        .map(DenseCounts::unpack)
        .peekable();
    let mut others_ranked: Vec<(u32, u64)> = others
        .into_iter()
        .map(|(trigram, count)| (count, trigram))
        .collect();
    others_ranked.sort_unstable_by(|a, b| b.cmp(a));
    let mut others_ranked = others_ranked.into_iter().peekable();
    let mut ranked =
        Vec::with_capacity(TEXT_TRIGRAMS_SIZE.min(dense_ranked.len() + others_ranked.len()));
    while ranked.len() < TEXT_TRIGRAMS_SIZE {
        let next = match (dense_ranked.peek(), others_ranked.peek()) {
            (Some(dense), Some(other)) if other > dense => others_ranked.next(),
            (Some(_), _) => dense_ranked.next(),
            (None, _) => others_ranked.next(),
        };
        let Some((_, trigram)) = next else {
            break;
        };
        ranked.push(trigram);
    }
    ranked
}

thread_local! {
    /// Each thread's counters for [`text_trigrams`], kept between calls: zeroing (and
    /// allocating) all of them for every article would cost more than the hash map did.
    static DENSE_COUNTS: RefCell<DenseCounts> = RefCell::new(DenseCounts::new());
}

/// A count per trigram of ' ' and 'a' to 'z' (by [`dense_slot`]), and the slots counted, so
/// that reading the counts out visits (and zeroes) only those rather than all the slots.
struct DenseCounts {
    /// Per slot, the trigram's count: all 0 between calls.
    counts: Box<[u32]>,
    /// The slots with a count other than 0, in the order first counted.
    touched: Vec<u16>,
}

impl DenseCounts {
    fn new() -> DenseCounts {
        DenseCounts {
            counts: vec![0; DENSE_SLOTS].into_boxed_slice(),
            touched: Vec::new(),
        }
    }

    /// Counts the trigram in `slot` (below [`DENSE_SLOTS`], which fits a `u16`).
    fn add(&mut self, slot: usize) {
        let Some(count) = self.counts.get_mut(slot) else {
            return;
        };
        if *count == 0 {
            self.touched.push(slot as u16);
        }
        *count += 1;
    }

    /// Each counted trigram with its count, leaving all counts 0. Packed in one integer, the
    /// count above the slot: as slots keep the trigrams' order, the integers compare as
    /// (count, trigram) pairs do.
    fn take(&mut self) -> impl Iterator<Item = u64> + '_ {
        self.touched.drain(..).map(|slot| {
            let count = self
                .counts
                .get_mut(usize::from(slot))
                .map_or(0, std::mem::take);
            (u64::from(count) << u16::BITS) | u64::from(slot)
        })
    }

    /// A count and trigram (see [`key`]) packed by [`DenseCounts::take`].
    fn unpack(packed: u64) -> (u32, u64) {
        let count = (packed >> u16::BITS) as u32;
        (count, dense_key(usize::from(packed as u16)))
    }
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

/// The slot of a trigram (see [`key`]) in the tables of trigrams of ' ' and 'a' to 'z':
/// `None` for a trigram with any other character. Slots keep the trigrams' order.
fn dense_slot(trigram: u64) -> Option<usize> {
    const CHAR_MASK: u64 = (1 << 21) - 1;
    let number = |character: u64| match character {
        0x20 => Some(0),
        0x61..=0x7A => Some((character - 0x60) as usize),
        _ => None,
    };
    let c1 = number(trigram >> 42)?;
    let c2 = number((trigram >> 21) & CHAR_MASK)?;
    let c3 = number(trigram & CHAR_MASK)?;
    Some((c1 * DENSE_CHARS + c2) * DENSE_CHARS + c3)
}

/// The trigram (see [`key`]) in `slot` (below [`DENSE_SLOTS`]): [`dense_slot`]'s inverse.
fn dense_key(slot: usize) -> u64 {
    let character = |number: usize| match number {
        0 => 0x20,
        letter => 0x60 + letter as u64,
    };
    let c1 = character(slot / (DENSE_CHARS * DENSE_CHARS));
    let c2 = character(slot / DENSE_CHARS % DENSE_CHARS);
    let c3 = character(slot % DENSE_CHARS);
    (c1 << 42) | (c2 << 21) | c3
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

    use super::{
        DENSE_SLOTS, Latin, TEXT_TRIGRAMS_SIZE, TRIGRAMS, dense_key, dense_slot, key, text_trigrams,
    };

    /// News sentences in Latin-script languages with accents, digits and punctuation, and
    /// English with a few accented names and typographic quotes.
    const ACCENTED: &[&str] = &[
        "Le Premier ministre a annoncé, mardi 14 mars 2023, une réforme des retraites qui \
         repousse l'âge légal à 64 ans ; les syndicats appellent à la grève générale dès jeudi \
         (selon l'AFP, 1,2 million de manifestants).",
        "Die Bundesregierung hat am Mittwoch beschlossen, die Mehrwertsteuer für Gas von 19 auf \
         7 Prozent zu senken. Verbraucherschützer begrüßten den Schritt, Ökonomen äußerten \
         jedoch Zweifel: „Das hilft nur kurzfristig“, sagte ein Sprecher.",
        "El Gobierno español aprobó el martes un plan de 3.500 millones de euros para ayudar a \
         los agricultores afectados por la sequía; según el ministro, «la situación es crítica \
         en Andalucía y Castilla-La Mancha».",
        "O presidente do Brasil anunciou nesta quinta-feira (12) um pacote de investimentos de \
         R$ 60 bilhões em infraestrutura, com ênfase em ferrovias e saneamento básico nas \
         regiões Norte e Nordeste.",
        "Il governo italiano ha approvato venerdì un decreto che prevede 2,5 miliardi di euro \
         per le famiglie più colpite dall'aumento delle bollette; l'opposizione parla di \
         «misure insufficienti».",
        "Sejm przyjął w piątek ustawę o podwyżce płacy minimalnej do 4242 zł brutto. Według \
         ministra finansów zmiana obejmie około 3 mln pracowników, a koszt dla budżetu wyniesie \
         1,5 mld zł.",
        "Vláda v pondělí schválila návrh rozpočtu na rok 2024 se schodkem 252 miliard korun; \
         ministr financí uvedl, že úspory se dotknou především státní správy a dotací.",
        "Türkiye Büyük Millet Meclisi, çarşamba günü yapılan oylamada yeni vergi düzenlemesini \
         312 oyla kabul etti; muhalefet partileri düzenlemenin işçileri olumsuz etkileyeceğini \
         söyledi.",
        "Regeringen föreslår att skatten på bensin och diesel sänks med 1,80 kronor per liter \
         från och med den 1 juli, enligt finansministern som höll en presskonferens på \
         tisdagen.",
        "A kormány szerdán bejelentette, hogy 2024. január 1-jétől 10 százalékkal emelik a \
         nyugdíjakat; a pénzügyminiszter szerint ez évente mintegy 400 milliárd forintba kerül.",
        "Guvernul a aprobat joi o ordonanță de urgență privind plafonarea prețurilor la energie \
         până la 31 martie 2025, a anunțat ministrul Energiei într-o conferință de presă.",
        "Chính phủ Việt Nam đã thông qua kế hoạch đầu tư 15 tỷ đô la vào hạ tầng giao thông \
         trong giai đoạn 2021-2025, theo thông báo của Bộ Kế hoạch và Đầu tư.",
        "Het kabinet wil de accijns op brandstof per 1 januari met 21 procent verlagen; de \
         Tweede Kamer stemt volgende week over het voorstel, meldt de NOS.",
        "Café owner José Müller, 42, told the BBC: “We’ve lost €15,000 since the naïve \
         rezoning plan—it’s a disaster.” Señor Ñúñez agreed (see p. 3, §2).",
    ];

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

    #[test]
    fn same_answers_as_whatlang_on_accented_text() {
        // Accented letters next to ASCII ones, digits and punctuation, whole and cut short, in
        // either case, and two languages one after the other.
        let latin = latin();
        let detector = whatlang::Detector::new();
        let mut texts: Vec<String> = Vec::new();
        for (idx, sentence) in ACCENTED.iter().enumerate() {
            let next = ACCENTED[(idx + 1) % ACCENTED.len()];
            for n_chars in [20, 60, 150, usize::MAX] {
                texts.push(sentence.chars().take(n_chars).collect());
            }
            texts.push(sentence.to_uppercase());
            texts.push(format!("{sentence} {next}"));
            texts.push(format!("{}\n{sentence}", next.to_lowercase()));
        }
        texts.push(ACCENTED.join("\n"));
        texts.extend(["12,5 % — 3 € !", "«» „“ 1 é 2", "ÉTÉ 2024 : été"].map(str::to_string));
        let n_compared: usize = texts
            .iter()
            .map(|text| usize::from(assert_same(&latin, &detector, text)))
            .sum();
        assert!(n_compared + 5 > texts.len(), "{n_compared} texts compared");
        let only = vec![
            whatlang::Lang::Fra,
            whatlang::Lang::Spa,
            whatlang::Lang::Por,
            whatlang::Lang::Ita,
        ];
        let latin = Latin::new(Some(only.clone()))
            .unwrap_or_else(|| panic!("the embedded tables do not match whatlang"));
        let detector = whatlang::Detector::with_allowlist(only);
        for text in &texts {
            assert_same(&latin, &detector, text);
        }
    }

    /// [`text_trigrams`] as it was before the dense counts, kept as the reference: every
    /// trigram counted in a hash map, then one sort of (count, trigram) pairs; `limit` is
    /// [`TEXT_TRIGRAMS_SIZE`] but for counting a text's distinct trigrams.
    fn reference_text_trigrams(text: &str, limit: usize) -> Vec<u64> {
        let mut counts: foldhash::HashMap<u64, u32> = foldhash::HashMap::default();
        for trigram in super::trigrams(text) {
            *counts.entry(trigram).or_default() += 1;
        }
        let mut by_count: Vec<(u32, u64)> = counts
            .into_iter()
            .map(|(trigram, count)| (count, trigram))
            .collect();
        by_count.sort_unstable_by(|a, b| b.cmp(a));
        by_count
            .into_iter()
            .take(limit)
            .map(|(_, trigram)| trigram)
            .collect()
    }

    #[test]
    fn text_trigrams_are_the_reference_ones() {
        let english = "The Bank of England raised interest rates to 5.25% on Thursday, the \
                       fourteenth rise in a row, and said that inflation would fall faster \
                       than it had expected in May.";
        // Over 600 distinct trigrams, so that the cut falls among many ties.
        let long = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/wikinews/wn2019-001.txt"),
        )
        .unwrap_or_else(|error| panic!("{error}"))
            + &ACCENTED.join(" ");
        assert!(
            reference_text_trigrams(&long, usize::MAX).len() > TEXT_TRIGRAMS_SIZE + 100,
            "the long text is too short"
        );
        let mut texts: Vec<String> = vec![
            String::new(),
            " ".to_string(),
            "a".to_string(),
            "!?... 12,345 -- (\"$%\") ;: 678 [] {} ~".to_string(),
            english.to_string(),
            english.to_lowercase(),
            // Ties between trigrams of ' ' and 'a' to 'z' and others, above and below them
            // (uppercase letters are below, accented ones above); both kinds alone.
            "zé zé za za éa éa Aa Aa aA aA ab ab".to_string(),
            "aé ab aé ab Za za Za za".to_string(),
            "abc abd abe abf abc abd abe abf".to_string(),
            "éèê ôöü ñçå".to_string(),
            "Привет, мир; hello мир".to_string(),
            "日本語 text 😀 emoji\u{0}\t\r\n end".to_string(),
            long.clone(),
            long.to_lowercase(),
        ];
        texts.extend(ACCENTED.iter().map(|text| text.to_string()));
        texts.extend(ACCENTED.iter().map(|text| text.to_lowercase()));
        // Twice over: each call must leave the thread's counts as it found them.
        for text in texts.iter().chain(&texts) {
            assert_eq!(
                text_trigrams(text),
                reference_text_trigrams(text, TEXT_TRIGRAMS_SIZE),
                "on {text:?}"
            );
        }
        // And on another thread, with its own counts.
        std::thread::scope(|scope| {
            scope.spawn(|| {
                assert_eq!(
                    text_trigrams(&long),
                    reference_text_trigrams(&long, TEXT_TRIGRAMS_SIZE)
                );
            });
        });
    }

    #[test]
    fn dense_slots_keep_the_trigrams_order() {
        let keys: Vec<u64> = (0..DENSE_SLOTS).map(dense_key).collect();
        assert!(keys.windows(2).all(|pair| pair[0] < pair[1]));
        for (slot, trigram) in keys.iter().enumerate() {
            assert_eq!(dense_slot(*trigram), Some(slot));
        }
        assert_eq!(keys.first(), Some(&key((' ', ' ', ' '))));
        assert_eq!(keys.last(), Some(&key(('z', 'z', 'z'))));
        assert_eq!(dense_key(28), key((' ', 'a', 'a')));
        for outside in [
            ('A', 'a', 'a'),
            ('a', '{', 'a'),
            ('a', 'a', 'é'),
            ('`', ' ', ' '),
        ] {
            assert_eq!(dense_slot(key(outside)), None, "{outside:?}");
        }
    }

    #[test]
    fn every_listed_trigram_is_found() {
        // Each trigram of every profile, dense or not, lists each language that has it once,
        // at its rank there.
        let latin = latin();
        let mut expected: std::collections::HashMap<u64, Vec<(u8, u16)>> = Default::default();
        for (lang_idx, line) in TRIGRAMS.lines().filter(|line| !line.is_empty()).enumerate() {
            let Some((_, trigrams)) = line.split_once('\t') else {
                panic!("{line:?}");
            };
            for (rank, trigram) in trigrams.split('|').enumerate() {
                let chars: Vec<char> = trigram.chars().collect();
                let trigram = key((chars[0], chars[1], chars[2]));
                expected
                    .entry(trigram)
                    .or_default()
                    .push((lang_idx as u8, rank as u16));
            }
        }
        assert!(
            expected
                .keys()
                .any(|trigram| dense_slot(*trigram).is_none())
        );
        for (trigram, listed) in &expected {
            assert_eq!(latin.listing(*trigram), listed.as_slice(), "{trigram:x}");
        }
        for absent in [
            key(('q', 'q', 'q')),
            key(('x', 'é', 'x')),
            key(('A', 'B', 'C')),
        ] {
            assert!(latin.listing(absent).is_empty());
        }
    }
}

//! Text → sparse hashed feature vector.
//!
//! Words are Unicode words (UAX #29, as `unicode-segmentation` finds them; split by the `words`
//! crate), lower-cased. Each word, each pair of consecutive words and (optionally) each
//! character n-gram of `<word>` is hashed with xxh3 into a table of `2^hash_bits` buckets. No
//! `String` is made per token: a word is lower-cased into a reused scratch buffer and hashed
//! from there.
//!
//! Weighting: words and word pairs `(1 + ln count) · idf`, L2-normalised. Character n-grams by
//! [`CharWeighting`]: with `Word` (the default) each n-gram of a distinct word adds
//! `(1 + ln count of the word) · idf`, so that the family is a sum over words and a word's share
//! of the class scores can be kept per thread ([`word_char_scores`]); with `Document` (models of
//! format version 1) `(1 + ln count of the n-gram) · idf`, L2-normalised. Both families are then
//! scaled by `1/√2`.

use std::collections::hash_map::Entry;

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Which features a model extracts. Stored in the model file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeatureConfig {
    /// The hash table has `2^hash_bits` buckets (12..=26).
    pub hash_bits: u8,
    /// Longest word n-gram: 1 = words only, 2 = words and word pairs.
    pub word_ngrams: u8,
    /// Shortest character n-gram of `<word>`; 0 turns character n-grams off.
    pub char_ngram_min: u8,
    /// Longest character n-gram.
    pub char_ngram_max: u8,
    /// How character n-grams are counted and weighed.
    pub char_weighting: CharWeighting,
}

/// How a document's character n-grams become feature values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharWeighting {
    /// Per n-gram of the document: `(1 + ln count) · idf`, the whole family L2-normalised.
    /// Models of format version 1.
    Document,
    /// Per word: each n-gram of a distinct word adds `(1 + ln count of the word) · idf`, and the
    /// family is divided by `√(Σ over words of (1 + ln count)² · Σ over its n-grams of idf²)`.
    /// Linear in the words, so that a word's contribution to the class scores can be kept
    /// from one document to the next.
    Word,
}

impl Default for FeatureConfig {
    fn default() -> Self {
        FeatureConfig {
            hash_bits: 20,
            word_ngrams: 2,
            char_ngram_min: 3,
            char_ngram_max: 4,
            char_weighting: CharWeighting::Word,
        }
    }
}

impl FeatureConfig {
    pub(crate) fn is_valid(&self) -> bool {
        (12..=26).contains(&self.hash_bits)
            && (1..=2).contains(&self.word_ngrams)
            && (self.char_ngram_min == 0
                || (1..=8).contains(&self.char_ngram_min)
                    && (self.char_ngram_min..=8).contains(&self.char_ngram_max))
    }

    pub(crate) fn n_buckets(&self) -> usize {
        1usize << self.hash_bits
    }

    fn bucket(&self, hash: u64) -> u32 {
        // The high bits of a finalised hash are the best mixed.
        (mix(hash) >> (64 - u32::from(self.hash_bits))) as u32
    }
}

const BIGRAM_SALT: u64 = 0x9e37_79b9_7f4a_7c15;
const CHAR_SEED: u64 = 0x5851_f42d_4c95_7f2d;

/// The splitmix64 finaliser: spreads the bits of a combined hash over the whole word.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Buffers reused from one document to the next, so that extraction allocates only while they
/// grow to the size of the longest document seen.
#[derive(Default, Debug)]
pub(crate) struct Scratch {
    word: String,
    char_offsets: Vec<usize>,
    /// (bucket, raw count) of word features, each bucket once, in order of first occurrence.
    pub(crate) words: Counter,
    /// (bucket, raw count) of character n-gram features, as `words`; with
    /// [`CharWeighting::Word`], the sum over the n-gram's words of `1 + ln count`.
    pub(crate) chars: Counter,
    /// With [`CharWeighting::Word`]: per entry of `chars`, in the same order, the sum over the
    /// n-gram's words of `(1 + ln count)²`.
    pub(crate) chars_squared: Counter,
    /// The document's distinct lower-cased words, in order of first occurrence, with their
    /// counts: a word's character n-grams are counted once per distinct word, times its count.
    distinct: DistinctWords,
    grams: GramMemo,
    gram_buckets: Vec<u32>,
    /// Per word, its character n-grams' share of the class scores (see [`word_char_scores`]).
    scores: ScoreMemo,
    /// True when the character family was scored by [`word_char_scores`] rather than counted
    /// into `chars`, and has an n-gram: [`weigh`] then scales the word family as if `chars`
    /// held it.
    pub(crate) chars_scored_by_word: bool,
    /// The final weighted vector: word features, then character features. A bucket may occur
    /// twice, once per family; dot products do not mind.
    pub(crate) vector: Vec<(u32, f32)>,
}

/// Counts buckets in an open-addressing table that is reused between documents: sorting the
/// few thousand features of an article to merge them cost more than hashing and scoring.
#[derive(Default, Debug)]
pub(crate) struct Counter {
    /// Open addressing by bucket; a slot holds its bucket, so that a probe reads one place.
    slots: Vec<CounterSlot>,
    pub(crate) entries: Vec<(u32, f32)>,
    /// The slot of each entry, to clear the table in time proportional to its use.
    entry_slots: Vec<u32>,
}

#[derive(Clone, Copy, Debug)]
struct CounterSlot {
    bucket: u32,
    /// Index into `entries`, or `u32::MAX` for an empty slot.
    entry: u32,
}

const EMPTY_COUNTER_SLOT: CounterSlot = CounterSlot {
    bucket: 0,
    entry: u32::MAX,
};

impl Counter {
    pub(crate) fn clear(&mut self) {
        for &slot in &self.entry_slots {
            self.slots[slot as usize] = EMPTY_COUNTER_SLOT;
        }
        self.entry_slots.clear();
        self.entries.clear();
    }

    fn slot_of(&self, bucket: u32) -> usize {
        // Buckets are already well-mixed hash bits; a multiply spreads them over any size.
        let table_bits = self.slots.len().trailing_zeros();
        (u64::from(bucket.wrapping_mul(0x9e37_79b1)) << table_bits >> 32) as usize
    }

    pub(crate) fn add(&mut self, bucket: u32, count: f32) {
        if (self.entries.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut slot = self.slot_of(bucket);
        loop {
            let found = self.slots[slot];
            if found.entry == u32::MAX {
                self.slots[slot] = CounterSlot {
                    bucket,
                    entry: self.entries.len() as u32,
                };
                self.entry_slots.push(slot as u32);
                self.entries.push((bucket, count));
                return;
            }
            if found.bucket == bucket {
                if let Some(entry) = self.entries.get_mut(found.entry as usize) {
                    entry.1 += count;
                }
                return;
            }
            slot = (slot + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        self.slots.clear();
        self.slots.resize(size, EMPTY_COUNTER_SLOT);
        let mask = size - 1;
        for (entry_idx, &(bucket, _)) in self.entries.iter().enumerate() {
            let mut slot = self.slot_of(bucket);
            while self.slots[slot].entry != u32::MAX {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = CounterSlot {
                bucket,
                entry: entry_idx as u32,
            };
            self.entry_slots[entry_idx] = slot as u32;
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Distinct words of a document: their text in one buffer, their counts, and an index by hash.
#[derive(Default, Debug)]
struct DistinctWords {
    /// Per word: its end in `text` (it starts where the previous one ends), its count and its
    /// xxh3 hash.
    words: Vec<(usize, u32, u64)>,
    text: String,
    /// xxh3 hash of a word → its index in `words`.
    index: foldhash::HashMap<u64, usize>,
}

impl DistinctWords {
    /// Each distinct word, in order of first occurrence: its text, count and hash.
    fn iter(&self) -> impl Iterator<Item = (&str, u32, u64)> {
        let starts = std::iter::once(0).chain(self.words.iter().map(|&(end, _, _)| end));
        self.words
            .iter()
            .zip(starts)
            .map(|(&(end, count, hash), start)| {
                (self.text.get(start..end).unwrap_or_default(), count, hash)
            })
    }

    fn clear(&mut self) {
        self.words.clear();
        self.text.clear();
        self.index.clear();
    }

    fn add(&mut self, hash: u64, word: &str) {
        match self.index.entry(hash) {
            Entry::Occupied(entry) => {
                if let Some((_, count, _)) = self.words.get_mut(*entry.get()) {
                    *count += 1;
                }
            }
            Entry::Vacant(entry) => {
                entry.insert(self.words.len());
                self.text.push_str(word);
                self.words.push((self.text.len(), 1, hash));
            }
        }
    }
}

/// Fills `scratch.words` and `scratch.chars` with `(bucket, count)` pairs. The parts are read
/// as one stream of words (a word pair may span two parts).
///
/// Character n-grams are counted per distinct word, each n-gram of a word adding the word's
/// count. The counts and the order of first occurrence (the order of `chars.entries`) are
/// those of counting every n-gram of every word in turn: counts are small integers, exact in
/// `f32`, and a repeated word brings no n-gram that its first occurrence did not.
pub(crate) fn count_features(config: &FeatureConfig, parts: &[&str], scratch: &mut Scratch) {
    count_words(config, parts, scratch);
    count_chars(config, scratch);
}

/// The word half of [`count_features`]: fills `scratch.words` and the document's distinct
/// words, and empties the character counts.
pub(crate) fn count_words(config: &FeatureConfig, parts: &[&str], scratch: &mut Scratch) {
    let Scratch {
        word,
        words,
        chars,
        chars_squared,
        distinct,
        ..
    } = scratch;
    words.clear();
    chars.clear();
    chars_squared.clear();
    distinct.clear();
    let mut previous_hash: Option<u64> = None;
    for part in parts {
        for token in words::words(part) {
            word.clear();
            if token.is_ascii() {
                // Most words: no typographic apostrophe, and lower-casing is per byte.
                word.push_str(token);
                word.make_ascii_lowercase();
            } else {
                for c in token.chars() {
                    match c {
                        // Typographic apostrophes are spelt both ways in news text.
                        '\u{2019}' | '\u{2018}' => word.push('\''),
                        c if c.is_ascii() => word.push(c.to_ascii_lowercase()),
                        c => word.extend(c.to_lowercase()),
                    }
                }
            }
            let hash = xxh3_64(word.as_bytes());
            words.add(config.bucket(hash), 1.0);
            if config.word_ngrams >= 2 {
                if let Some(previous) = previous_hash {
                    let pair = previous.rotate_left(23) ^ hash ^ BIGRAM_SALT;
                    words.add(config.bucket(pair), 1.0);
                }
                previous_hash = Some(hash);
            }
            if config.char_ngram_min > 0 {
                distinct.add(hash, word);
            }
        }
    }
}

/// The character half of [`count_features`], over the distinct words [`count_words`] found.
fn count_chars(config: &FeatureConfig, scratch: &mut Scratch) {
    let Scratch {
        word,
        char_offsets,
        chars,
        chars_squared,
        distinct,
        grams,
        gram_buckets,
        ..
    } = scratch;
    if config.char_ngram_min == 0 || distinct.words.is_empty() {
        return;
    }
    grams.prepare(config);
    let by_word = config.char_weighting == CharWeighting::Word;
    for (text, count, hash) in distinct.iter() {
        let count = if by_word {
            log_count(count as f32)
        } else {
            count as f32
        };
        let buckets = match grams.get(hash) {
            Some(buckets) => buckets,
            None => {
                char_ngrams_of(config, text, word, char_offsets, gram_buckets);
                grams.insert(hash, gram_buckets);
                gram_buckets.as_slice()
            }
        };
        for &bucket in buckets {
            chars.add(bucket, count);
            if by_word {
                chars_squared.add(bucket, count * count);
            }
        }
    }
}

/// `1 + ln count`: the weight of a feature counted `count` times, and under
/// [`CharWeighting::Word`] of the character n-grams of a word met `count` times.
pub(crate) fn log_count(count: f32) -> f32 {
    // Most features occur once, and ln(1) is exactly 0: skip the call.
    if count == 1.0 { 1.0 } else { 1.0 + count.ln() }
}

/// The character n-gram buckets of words already seen by this thread, per word hash, for the
/// model configuration they were computed for: the words of news text repeat from one article
/// to the next, and hashing their n-grams was most of the feature work. Direct-mapped (a word
/// takes over the slot of its hash), bounded, and holding exactly what
/// [`push_char_ngrams`] gives; words with more n-grams than a slot holds are not kept.
#[derive(Debug, Default)]
pub(crate) struct GramMemo {
    config: Option<FeatureConfig>,
    slots: Vec<GramSlot>,
}

/// N-grams a slot holds: with the default n from 3 to 4, all those of a word of up to 13
/// characters.
const MEMO_GRAMS: usize = 25;
/// Slots in a memo (2^13 × 112 bytes = 0.875 MiB per thread).
const MEMO_SLOTS: usize = 1 << 13;

#[derive(Debug, Clone, Copy)]
struct GramSlot {
    hash: u64,
    /// Buckets held; `u8::MAX` for an empty slot.
    len: u8,
    buckets: [u32; MEMO_GRAMS],
}

const EMPTY_SLOT: GramSlot = GramSlot {
    hash: 0,
    len: u8::MAX,
    buckets: [0; MEMO_GRAMS],
};

impl GramMemo {
    /// Empties the memo unless it was filled for `config`.
    fn prepare(&mut self, config: &FeatureConfig) {
        if self.config.as_ref() != Some(config) || self.slots.is_empty() {
            self.config = Some(*config);
            self.slots.clear();
            self.slots.resize(MEMO_SLOTS, EMPTY_SLOT);
        }
    }

    fn get(&self, hash: u64) -> Option<&[u32]> {
        let slot = self.slots.get(hash as usize & (MEMO_SLOTS - 1))?;
        (slot.len != u8::MAX && slot.hash == hash).then(|| &slot.buckets[..usize::from(slot.len)])
    }

    fn insert(&mut self, hash: u64, buckets: &[u32]) {
        if buckets.len() > MEMO_GRAMS {
            return;
        }
        if let Some(slot) = self.slots.get_mut(hash as usize & (MEMO_SLOTS - 1)) {
            slot.hash = hash;
            slot.len = buckets.len() as u8;
            slot.buckets[..buckets.len()].copy_from_slice(buckets);
        }
    }
}

/// Per word hash, the word's character n-grams' share of the class scores under one model, for
/// the words this thread has seen: `Σ idf²` over its n-grams, then per class `Σ idf · weight`.
/// With [`CharWeighting::Word`] a document's character family is the sum of its words'
/// shares, so most of its words cost one look-up here instead of a count, an idf and a row per
/// n-gram. Direct-mapped, bounded, and holding exactly what the model gives.
#[derive(Debug, Default)]
pub(crate) struct ScoreMemo {
    /// The model the shares are of (see `Model::id`); 0 before the first use.
    model: u64,
    /// `1 + n_classes` values per slot.
    stride: usize,
    /// Per slot, the word hash it holds. An empty slot holds the complement of its index,
    /// which no hash mapped to that slot can equal.
    hashes: Vec<u64>,
    values: Vec<f32>,
}

/// Slots in a score memo: with four classes, 2^15 × 28 bytes = 0.875 MiB per thread (a quarter
/// of that, 2^13 slots, made the topic classifier 5 % slower on the BBC articles).
const SCORE_SLOTS: usize = 1 << 15;

/// How many words ahead of its use a word's slot in the score memo is prefetched.
const SCORE_PREFETCH_AHEAD: usize = 8;

/// Asks the processor to start loading the cache line of `item` (a hint: it never faults and
/// changes nothing but timing).
#[inline(always)]
pub(crate) fn prefetch<T>(item: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: `_mm_prefetch` is a hint that does not access memory architecturally, so it
        // is sound for any address; this one lies within `item` anyway.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((item as *const T).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}

impl ScoreMemo {
    /// Empties the memo unless it holds `model`'s shares.
    fn prepare(&mut self, model: u64, n_classes: usize) {
        if self.model != model || self.stride != n_classes + 1 || self.hashes.is_empty() {
            self.model = model;
            self.stride = n_classes + 1;
            self.hashes.clear();
            self.hashes
                .extend((0..SCORE_SLOTS as u64).map(|slot| !slot));
            self.values.clear();
            self.values.resize(SCORE_SLOTS * self.stride, 0.0);
        }
    }
}

/// The character family under [`CharWeighting::Word`], from the distinct words that
/// [`count_words`] found: adds into `sums` (one per class) `Σ (1 + ln count) · share` over the
/// words, and returns `Σ (1 + ln count)² · Σ idf²`, the square of the family's length before
/// normalisation (0 when the document has no n-gram). `share(buckets, out)` writes into `out`
/// the share of a word with these n-gram buckets: `Σ idf²`, then per class `Σ idf · weight`.
/// `model` identifies the model `share` reads, for the memo.
pub(crate) fn word_char_scores(
    config: &FeatureConfig,
    model: u64,
    scratch: &mut Scratch,
    sums: &mut [f64],
    share: impl Fn(&[u32], &mut [f32]),
) -> f64 {
    let Scratch {
        word,
        char_offsets,
        distinct,
        gram_buckets,
        scores,
        ..
    } = scratch;
    if config.char_ngram_min == 0 || distinct.words.is_empty() {
        return 0.0;
    }
    scores.prepare(model, sums.len());
    let stride = scores.stride;
    let mut sum_squares = 0.0f64;
    for (word_idx, (text, count, hash)) in distinct.iter().enumerate() {
        // The memo is most of a megabyte, read at the words' random slots in an order known
        // in advance: ask for a later word's slot now.
        if let Some(&(_, _, ahead)) = distinct.words.get(word_idx + SCORE_PREFETCH_AHEAD) {
            let slot = ahead as usize & (SCORE_SLOTS - 1);
            if let (Some(hash), Some(values)) =
                (scores.hashes.get(slot), scores.values.get(slot * stride))
            {
                prefetch(hash);
                prefetch(values);
            }
        }
        let slot = hash as usize & (SCORE_SLOTS - 1);
        let Some(values) = scores.values.get_mut(slot * stride..(slot + 1) * stride) else {
            continue;
        };
        if scores.hashes[slot] != hash {
            char_ngrams_of(config, text, word, char_offsets, gram_buckets);
            values.fill(0.0);
            share(gram_buckets, values);
            scores.hashes[slot] = hash;
        }
        let weight = f64::from(log_count(count as f32));
        sum_squares += weight * weight * f64::from(values[0]);
        for (sum, &value) in sums.iter_mut().zip(&values[1..]) {
            *sum += weight * f64::from(value);
        }
    }
    sum_squares
}

/// The buckets of the character n-grams of `<text>`, in order, into `buckets` (emptied
/// first); `word` and `char_offsets` are scratch.
fn char_ngrams_of(
    config: &FeatureConfig,
    text: &str,
    word: &mut String,
    char_offsets: &mut Vec<usize>,
    buckets: &mut Vec<u32>,
) {
    word.clear();
    word.push_str(text);
    buckets.clear();
    push_char_ngrams(config, word, char_offsets, buckets);
}

/// Appends the bucket of each character n-gram of `<word>` to `buckets`, in order.
fn push_char_ngrams(
    config: &FeatureConfig,
    word: &mut String,
    char_offsets: &mut Vec<usize>,
    buckets: &mut Vec<u32>,
) {
    word.insert(0, '<');
    word.push('>');
    let (min_n, max_n) = (
        usize::from(config.char_ngram_min),
        usize::from(config.char_ngram_max),
    );
    if word.is_ascii() {
        // One byte per character: the n-grams are byte windows (same order as below).
        for n in min_n..=max_n {
            for gram in word.as_bytes().windows(n) {
                buckets.push(config.bucket(xxh3_64_with_seed(gram, CHAR_SEED)));
            }
        }
        return;
    }
    char_offsets.clear();
    char_offsets.extend(word.char_indices().map(|(offset, _)| offset));
    char_offsets.push(word.len());
    let n_chars = char_offsets.len() - 1;
    for n in min_n..=max_n.min(n_chars) {
        for start in 0..=(n_chars - n) {
            let gram = &word.as_bytes()[char_offsets[start]..char_offsets[start + n]];
            buckets.push(config.bucket(xxh3_64_with_seed(gram, CHAR_SEED)));
        }
    }
}

/// Turns the counts in `scratch` into the final unit-length vector in `scratch.vector`.
/// `key_of(bucket)` gives the key under which a bucket's value is stored in the vector (the
/// bucket itself, or a model row, looked up only once), `idf_of(key)` its inverse document
/// frequency.
pub(crate) fn weigh(
    scratch: &mut Scratch,
    key_of: impl Fn(u32) -> u32,
    idf_of: impl Fn(u32) -> f32,
) {
    let Scratch {
        words,
        chars,
        chars_squared,
        vector,
        chars_scored_by_word,
        ..
    } = scratch;
    vector.clear();
    let groups_present =
        usize::from(!words.is_empty()) + usize::from(!chars.is_empty() || *chars_scored_by_word);
    let group_scale = if groups_present == 2 {
        std::f32::consts::FRAC_1_SQRT_2
    } else {
        1.0
    };
    for (group_idx, group) in [&words.entries, &chars.entries].into_iter().enumerate() {
        let start = vector.len();
        if group_idx == 1 && !chars_squared.is_empty() {
            // `CharWeighting::Word`: the counts are already weighted by word.
            vector.extend(group.iter().map(|&(bucket, _)| (key_of(bucket), 0.0)));
            let mut sum_squares = 0.0f32;
            for ((entry, &(_, weight)), &(_, squared)) in vector[start..]
                .iter_mut()
                .zip(group)
                .zip(&chars_squared.entries)
            {
                let idf = idf_of(entry.0);
                sum_squares += squared * idf * idf;
                entry.1 = weight * idf;
            }
            if sum_squares > 0.0 {
                let scale = group_scale / sum_squares.sqrt();
                for entry in &mut vector[start..] {
                    entry.1 *= scale;
                }
            }
            continue;
        }
        // Keys first, then idfs: at prediction both are lookups at random places in model
        // tables that the rest of the pipeline has mostly evicted from the cache. In separate
        // loops no lookup waits for another, so the processor overlaps their cache misses.
        vector.extend(group.iter().map(|&(bucket, _)| (key_of(bucket), 0.0)));
        let mut sum_squares = 0.0f32;
        for (entry, &(_, count)) in vector[start..].iter_mut().zip(group) {
            let value = log_count(count) * idf_of(entry.0);
            sum_squares += value * value;
            entry.1 = value;
        }
        if sum_squares > 0.0 {
            let scale = group_scale / sum_squares.sqrt();
            for entry in &mut vector[start..] {
                entry.1 *= scale;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{FeatureConfig, MEMO_SLOTS, Scratch, count_features};
    use crate::tests::sample_texts;

    #[test]
    fn memoised_ngrams_count_as_freshly_hashed_ones() {
        let texts = sample_texts();
        assert!(texts.len() > 100, "sample articles missing");
        let config = FeatureConfig::default();
        // One scratch for all texts: its memo fills up, evicts and serves repeated words.
        let distinct: std::collections::HashSet<String> = texts
            .iter()
            .flat_map(|text| words::words(text).map(str::to_lowercase))
            .collect();
        assert!(distinct.len() > MEMO_SLOTS, "{} words", distinct.len());
        let mut shared = Scratch::default();
        for text in &texts {
            count_features(&config, &[text], &mut shared);
            let mut fresh = Scratch::default();
            count_features(&config, &[text], &mut fresh);
            assert_eq!(shared.chars.entries, fresh.chars.entries);
            assert_eq!(shared.words.entries, fresh.words.entries);
        }
        // Another configuration must not be served the first one's buckets.
        let other = FeatureConfig {
            hash_bits: 16,
            ..config
        };
        let mut fresh = Scratch::default();
        count_features(&other, &[&texts[0]], &mut shared);
        count_features(&other, &[&texts[0]], &mut fresh);
        assert_eq!(shared.chars.entries, fresh.chars.entries);
    }
}

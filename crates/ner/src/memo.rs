//! Per-word memo of feature weights, for tagging.
//!
//! About thirty of a token's forty-odd features depend on one word only: its own form,
//! shape, affixes and flags, and the lowercase form and short shape it lends to the tokens
//! up to two places either side. Looking each of them up in the weight table is most of
//! the tagger's time, and the words of news text repeat: "the", "said", "Mr", "Minister".
//! The memo keeps, per word, those weights summed (one vector for the word itself, one per
//! neighbouring position it lends its features to), so that a word seen before costs five
//! vector additions instead of thirty table look-ups.
//!
//! The memo is direct-mapped: a word's slot is fixed by its hash, and a word whose slot
//! holds another is recomputed and takes the slot over. Its size is bounded and it never
//! changes what is tagged: an entry holds exactly the sums the table gives, and the memo
//! empties itself when used with another table.

use crate::features::{
    Neighbour, TokenInfo, push_boundary_keys, push_neighbour_keys, push_own_keys,
};
use crate::model::{FeatureTable, Scores};

/// Slots in a memo: enough for the words that make up most of the tokens of news text
/// (`2^14` × 784 bytes = 12.2 MiB per thread). Over the 2,225 BBC articles, of 959,608
/// look-ups 82,443 filled a slot with `2^13` slots, 56,314 with `2^14` and 39,821 with
/// `2^15`; timed, `2^14` is the fastest (`docs/performance.md`).
const SLOTS: usize = 1 << 14;

/// A word's summed weights.
#[derive(Clone, Copy)]
pub(crate) struct WordWeights {
    /// The xxh3 hash of the word; meaningful only if `filled`.
    word: u64,
    filled: bool,
    pub info: TokenInfo,
    /// The weights of the word's own features ([`push_own_keys`]).
    pub own: Scores,
    /// The weights of the features the word lends to the token it is the neighbour of,
    /// in [`Neighbour::ALL`] order ([`push_neighbour_keys`]).
    pub as_neighbour: [Scores; 4],
}

const EMPTY: WordWeights = WordWeights {
    word: 0,
    filled: false,
    info: TokenInfo::EMPTY,
    own: [[0; crate::label::N_LABELS]; crate::model::MAX_STAGES],
    as_neighbour: [[[0; crate::label::N_LABELS]; crate::model::MAX_STAGES]; 4],
};

/// Bits of the set of words seen once.
const SEEN_BITS: usize = 1 << 16;

/// What the memo knows of a token's word.
pub(crate) enum Word<'a> {
    /// Its summed weights.
    Memoised(&'a WordWeights),
    /// Nothing yet: the word's features are to be looked up one by one.
    New(TokenInfo),
}

#[derive(Default)]
pub(crate) struct WordMemo {
    /// The [`FeatureTable::id`] the entries were summed from.
    table_id: u64,
    slots: Vec<WordWeights>,
    /// The weights of the features a sentence's edge lends, in [`Neighbour::ALL`] order.
    boundary: [Scores; 4],
    /// Words seen once, by a hash bit each.
    seen: Vec<u64>,
    n_seen: usize,
    keys: Vec<u64>,
    found: Vec<u32>,
}

impl WordMemo {
    /// Readies the memo for `table`, emptying it if it was filled from another.
    pub fn prepare(&mut self, table: &FeatureTable) {
        if self.table_id == table.id() && !self.slots.is_empty() {
            return;
        }
        self.table_id = table.id();
        self.slots.clear();
        self.slots.resize(SLOTS, EMPTY);
        self.seen.clear();
        self.seen.resize(SEEN_BITS / 64, 0);
        self.n_seen = 0;
        for (neighbour, weights) in Neighbour::ALL.into_iter().zip(&mut self.boundary) {
            self.keys.clear();
            push_boundary_keys(neighbour, &mut self.keys);
            *weights = table.score_keys(&self.keys);
        }
    }

    /// The weights of `token` in `table` if the word is worth keeping, else only its
    /// [`TokenInfo`] (from `info_of`), for its features to be looked up one by one.
    /// [`WordMemo::prepare`] must have been called with `table` (once per document).
    ///
    /// A word is kept from its second sighting on: most words seen once are seen only
    /// once, and keeping them would evict the frequent ones and cost more memory traffic
    /// than their look-ups. First sightings are remembered in a small bit set, which is
    /// emptied as it fills up.
    /// `word` is the hash of `token` ([`crate::features::word_hash`]).
    pub fn word(
        &mut self,
        word: u64,
        token: &str,
        table: &FeatureTable,
        info_of: impl FnOnce(&str) -> TokenInfo,
    ) -> Word<'_> {
        let bit = (word >> 40) as usize & (SEEN_BITS - 1);
        let (Some(entry), Some(seen)) = (
            self.slots.get_mut(word as usize & (SLOTS - 1)),
            self.seen.get_mut(bit / 64),
        ) else {
            // Not prepared for any table: nothing to keep the word in.
            return Word::New(info_of(token));
        };
        if entry.filled && entry.word == word {
            return Word::Memoised(entry);
        }
        let mask = 1u64 << (bit % 64);
        let info = info_of(token);
        if *seen & mask == 0 {
            *seen |= mask;
            self.n_seen += 1;
            if self.n_seen >= SEEN_BITS / 4 {
                self.seen.fill(0);
                self.n_seen = 0;
            }
            return Word::New(info);
        }
        fill(entry, word, info, table, &mut self.keys, &mut self.found);
        Word::Memoised(entry)
    }

    /// Asks the processor to start loading the slot of the word hashed `word`: the memo is
    /// megabytes, most look-ups miss the cache, and tagging asks for words in an order known
    /// in advance.
    #[inline]
    pub fn prefetch(&self, word: u64) {
        if let Some(entry) = self.slots.get(word as usize & (SLOTS - 1)) {
            crate::model::prefetch_all(entry);
        }
    }

    /// The weights of the features a sentence's edge lends, in [`Neighbour::ALL`] order.
    pub fn boundary(&self) -> &[Scores; 4] {
        &self.boundary
    }
}

fn fill(
    entry: &mut WordWeights,
    word: u64,
    info: TokenInfo,
    table: &FeatureTable,
    keys: &mut Vec<u64>,
    found: &mut Vec<u32>,
) {
    entry.word = word;
    entry.filled = true;
    entry.info = info;
    // The word's own keys, then those it lends each neighbour: five groups, looked up
    // together.
    keys.clear();
    push_own_keys(&info, keys);
    let mut ends = [0; 5];
    ends[0] = keys.len();
    for (neighbour, end) in Neighbour::ALL.into_iter().zip(&mut ends[1..]) {
        push_neighbour_keys(neighbour, info.lower, info.short_shape, keys);
        *end = keys.len();
    }
    let mut sums = [[[0; crate::label::N_LABELS]; crate::model::MAX_STAGES]; 5];
    table.score_key_groups(keys, &ends, found, &mut sums);
    let [own, as_neighbour @ ..] = sums;
    entry.own = own;
    entry.as_neighbour = as_neighbour;
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use crate::features::Extractor;
    use crate::label::N_LABELS;
    use crate::model::{MAX_STAGES, Scores};
    use crate::{Tagger, split_sentences};

    use super::WordMemo;

    /// The sample articles as whitespace tokens in sentences, as `Tagger::tag` splits them.
    fn documents() -> Vec<(Vec<String>, Vec<Range<usize>>)> {
        crate::tests::sample_texts()
            .iter()
            .map(|text| {
                let tokens: Vec<String> = text.split_whitespace().map(str::to_string).collect();
                let mut sentences = Vec::new();
                split_sentences(&tokens, &mut sentences);
                (tokens, sentences)
            })
            .collect()
    }

    fn keyed_scores(tagger: &Tagger, tokens: &[String], sentences: &[Range<usize>]) -> Vec<Scores> {
        let mut extractor = Extractor::default();
        extractor.extract(tokens, sentences, tagger.model.gazetteer(), None);
        let mut scores = vec![[[0; N_LABELS]; MAX_STAGES]; tokens.len()];
        tagger
            .model
            .table()
            .add_document_scores(&extractor.features, &mut Vec::new(), &mut scores);
        scores
    }

    fn memo_scores(
        tagger: &Tagger,
        memo: &mut WordMemo,
        tokens: &[String],
        sentences: &[Range<usize>],
    ) -> Vec<Scores> {
        memo_scores_quiet(tagger, memo, tokens, sentences, &[])
    }

    fn memo_scores_quiet(
        tagger: &Tagger,
        memo: &mut WordMemo,
        tokens: &[String],
        sentences: &[Range<usize>],
        quiet: &[bool],
    ) -> Vec<Scores> {
        let mut extractor = Extractor::default();
        let mut scores = vec![[[0; N_LABELS]; MAX_STAGES]; tokens.len()];
        extractor.extract_scored(
            tokens,
            sentences,
            quiet,
            tagger.model.gazetteer(),
            tagger.model.table(),
            memo,
            &mut Vec::new(),
            &mut scores,
        );
        scores
    }

    #[test]
    fn memoised_scores_are_those_of_every_feature_looked_up() {
        let tagger = Tagger::default_model();
        let documents = documents();
        let n_tokens: usize = documents.iter().map(|(tokens, _)| tokens.len()).sum();
        // The samples have more distinct words than the memo has slots: words evict each
        // other, and evicted words come back.
        let mut distinct = std::collections::HashSet::new();
        distinct.extend(documents.iter().flat_map(|(tokens, _)| tokens.iter()));
        assert!(distinct.len() > super::SLOTS, "{} words", distinct.len());
        let mut memo = WordMemo::default();
        for (tokens, sentences) in &documents {
            assert!(
                memo_scores(tagger, &mut memo, tokens, sentences)
                    == keyed_scores(tagger, tokens, sentences),
                "scores differ on a document of {} tokens",
                tokens.len()
            );
        }
        assert!(n_tokens > 100_000, "{n_tokens} tokens");
    }

    #[test]
    fn tokens_that_are_not_quiet_get_every_weight_whatever_the_memo_skipped() {
        // The memo skips quiet tokens' own weights, and a token that is scored still gets the
        // weights of all its neighbours' features, memoised or not.
        let tagger = Tagger::default_model();
        let mut memo = WordMemo::default();
        let (mut plain, mut quiet) = (Vec::new(), Vec::new());
        let (mut n_scored, mut n_quiet) = (0, 0);
        for (tokens, sentences) in &documents() {
            crate::features::mark_quiet(tokens, sentences, &mut plain, &mut quiet);
            let scored = memo_scores_quiet(tagger, &mut memo, tokens, sentences, &quiet);
            let keyed = keyed_scores(tagger, tokens, sentences);
            for sentence in sentences {
                for idx in sentence.clone() {
                    if quiet[idx] {
                        n_quiet += 1;
                    } else {
                        assert!(scored[idx] == keyed[idx], "token {idx}: {:?}", tokens[idx]);
                        n_scored += 1;
                    }
                }
            }
        }
        assert!(n_quiet * 4 > n_scored, "{n_quiet} quiet, {n_scored} scored");
    }

    #[test]
    fn a_memo_used_with_another_model_starts_over() {
        let default = Tagger::default_model();
        let empty = Tagger::empty();
        let documents = documents();
        let (tokens, sentences) = &documents[0];
        let mut memo = WordMemo::default();
        let first = memo_scores(default, &mut memo, tokens, sentences);
        let with_empty = memo_scores(&empty, &mut memo, tokens, sentences);
        assert!(
            with_empty
                .iter()
                .flatten()
                .flatten()
                .all(|&score| score == 0)
        );
        assert!(first.iter().flatten().flatten().any(|&score| score != 0));
        assert!(memo_scores(default, &mut memo, tokens, sentences) == first);
    }
}

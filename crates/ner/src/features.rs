//! Feature extraction: every feature is a 64-bit hash of (template, value), so no string
//! is built per token. Features do not depend on labels (the label interactions live in
//! the transition matrix), which lets training extract them once and lets decoding use
//! Viterbi.
//!
//! Features are computed over a document (a list of sentences), because some of the
//! strongest clues are document-level: a capitalised word that also occurs in lowercase
//! elsewhere is probably not a name, and a sentence-initial or all-caps headline word that
//! occurs capitalised mid-sentence elsewhere probably is.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use xxhash_rust::xxh3::xxh3_64;

use crate::gazetteer::{Gazetteer, PhraseCounts};
use crate::label::{self, Label};
use crate::memo::{Word, WordMemo};
use crate::model::{FeatureTable, Scores, add_scores};

/// A hasher for keys that already are good 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

pub(crate) type HashMap64<V> = HashMap<u64, V, BuildHasherDefault<IdentityHasher>>;
pub(crate) type HashSet64 = HashSet<u64, BuildHasherDefault<IdentityHasher>>;

/// The hash of a token's exact form: the word feature's value, and the key of its slot in
/// the tagging memo.
pub(crate) fn word_hash(token: &str) -> u64 {
    xxh3_64(token.as_bytes())
}

/// Finaliser of splitmix64: spreads `value` over all 64 bits.
pub(crate) fn mix(template: u64, value: u64) -> u64 {
    let mut hash = value ^ template.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    hash = (hash ^ (hash >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    hash = (hash ^ (hash >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    hash ^ (hash >> 31)
}

fn mix2(template: u64, first: u64, second: u64) -> u64 {
    mix(
        template,
        first.rotate_left(29).wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ second,
    )
}

/// Feature templates. The discriminant is hashed into each feature, so reordering them
/// invalidates a trained model.
#[derive(Clone, Copy)]
#[repr(u64)]
enum Template {
    Bias = 1,
    Word,
    Lower,
    LowerPrev,
    LowerNext,
    LowerPrev2,
    LowerNext2,
    Shape,
    ShortShape,
    ShortShapePrev,
    ShortShapeNext,
    ShortShapePrevCur,
    ShortShapeCurNext,
    Prefix,
    Suffix,
    Flag,
    BigramPrev,
    BigramNext,
    LowerPrevShape,
    ShapeLowerNext,
    HeadlineShape,
    Doc,
    Gazetteer,
    GazetteerPrev,
    GazetteerNext,
    Length,
    ShortShapePrev2,
    ShortShapeNext2,
    Consistency,
}

// Token flags, each emitted as its own feature when set.
const INIT_CAP: u16 = 1;
const ALL_CAPS: u16 = 1 << 1;
const HAS_DIGIT: u16 = 1 << 2;
const ALL_DIGITS: u16 = 1 << 3;
const HAS_HYPHEN: u16 = 1 << 4;
const HAS_PERIOD: u16 = 1 << 5;
const HAS_APOSTROPHE: u16 = 1 << 6;
const NO_ALPHANUMERIC: u16 = 1 << 7;
const MIXED_CASE: u16 = 1 << 8;
const SENTENCE_INITIAL: u16 = 1 << 9;
const NON_ASCII: u16 = 1 << 10;
const SINGLE_CAP_LETTER: u16 = 1 << 11;
const N_FLAGS: u32 = 12;
/// Not a feature: marks tokens with a lowercase letter, for headline detection.
const HAS_LOWER: u16 = 1 << 12;

const BOUNDARY_BEFORE: u64 = 0x5EED_0000_0000_0001;
const BOUNDARY_AFTER: u64 = 0x5EED_0000_0000_0002;
const MAX_SHAPE_CHARS: usize = 24;
const MAX_AFFIX_CHARS: usize = 4;

#[derive(Clone, Copy, Default)]
pub(crate) struct TokenInfo {
    word: u64,
    pub(crate) lower: u64,
    shape: u64,
    pub(crate) short_shape: u64,
    prefixes: [u64; MAX_AFFIX_CHARS],
    suffixes: [u64; MAX_AFFIX_CHARS],
    n_chars: u32,
    flags: u16,
}

impl TokenInfo {
    pub(crate) const EMPTY: TokenInfo = TokenInfo {
        word: 0,
        lower: 0,
        shape: 0,
        short_shape: 0,
        prefixes: [0; MAX_AFFIX_CHARS],
        suffixes: [0; MAX_AFFIX_CHARS],
        n_chars: 0,
        flags: 0,
    };
}

/// Features of every token of a document, flattened: the features of token `i` are
/// `keys[offsets[i]..offsets[i + 1]]`.
#[derive(Default)]
pub(crate) struct FeatureBuf {
    pub keys: Vec<u64>,
    pub offsets: Vec<usize>,
}

impl FeatureBuf {
    pub fn token(&self, idx: usize) -> &[u64] {
        match (self.offsets.get(idx), self.offsets.get(idx + 1)) {
            (Some(&start), Some(&end)) => self.keys.get(start..end).unwrap_or_default(),
            _ => &[],
        }
    }
}

/// Buffers reused across calls so that extraction does not allocate in steady state.
#[derive(Default)]
pub(crate) struct Extractor {
    infos: Vec<TokenInfo>,
    /// Per token, in tagging: the hash its word is memoised by.
    word_hashes: Vec<u64>,
    /// Per token, in tagging: whether its word's weights came from the memo.
    memoised: Vec<bool>,
    lower_buf: String,
    char_ends: Vec<usize>,
    lowercase_words: HashSet64,
    capitalised_words: HashSet64,
    gazetteer_marks: Vec<u16>,
    sentence_lowers: Vec<u64>,
    pub features: FeatureBuf,
    consistency: Consistency,
}

/// What a first tagging pass said about the document, for the second pass.
#[derive(Default)]
struct Consistency {
    /// Per capitalised word: how often it was tagged O, PER, LOC, ORG, MISC.
    word_kinds: HashMap64<[u32; 5]>,
    /// Per word: its types when inside multi-token entities ("Clinton" in "Bill Clinton").
    inner_kinds: HashMap64<[u32; 5]>,
    /// Per entity phrase: its types.
    phrase_kinds: HashMap64<[u32; 5]>,
    /// Per capitalised word: the position and type of its first occurrence.
    first_kind: HashMap64<(usize, usize)>,
    /// Per token: the phrase hash of the entity it is in, and whether that has more
    /// than one token.
    token_phrase: Vec<Option<(u64, bool)>>,
    spans: Vec<crate::EntitySpan>,
}

impl Extractor {
    /// Extracts the features of a document given as its tokens and sentence ranges,
    /// which must cover the tokens in order (feature offsets are per token index).
    /// `exclude` holds phrase counts to subtract from the gazetteer (the document's own
    /// entities during training, so the model learns how reliable an unseen-name
    /// gazetteer hit is rather than trusting a memorised answer).
    pub fn extract<S: AsRef<str>>(
        &mut self,
        tokens: &[S],
        sentences: &[Range<usize>],
        gazetteer: &Gazetteer,
        exclude: Option<&PhraseCounts>,
    ) {
        self.infos.clear();
        for token in tokens {
            let token = token.as_ref();
            let info = self.token_info(token, word_hash(token));
            self.infos.push(info);
        }
        self.emit_features(sentences, gazetteer, exclude, true, &[]);
    }

    /// Tagging's form of [`Extractor::extract`]: adds the weights of every token's features
    /// (in every stage of `table`) to `scores`, which has a zeroed row per token, instead
    /// of listing the features. Those that depend on one word only ([`push_own_keys`],
    /// [`push_neighbour_keys`]) come summed per word from `memo`; the rest are listed and
    /// looked up as in `extract`. The scores are exactly those of `extract` followed by
    /// [`FeatureTable::add_document_scores`], since integer sums do not depend on their
    /// order. Tokens that `quiet` marks (see [`mark_quiet`]) get no scores: the caller
    /// labels them `O` without decoding them.
    #[allow(clippy::too_many_arguments)]
    pub fn extract_scored<S: AsRef<str>>(
        &mut self,
        tokens: &[S],
        sentences: &[Range<usize>],
        quiet: &[bool],
        gazetteer: &Gazetteer,
        table: &FeatureTable,
        memo: &mut WordMemo,
        found: &mut Vec<u32>,
        scores: &mut [Scores],
    ) {
        self.infos.clear();
        self.memoised.clear();
        memo.prepare(table);
        self.word_hashes.clear();
        self.word_hashes
            .extend(tokens.iter().map(|token| word_hash(token.as_ref())));
        let mut remaining = sentences.iter();
        let mut sentence = 0..0;
        for (idx, token) in tokens.iter().enumerate() {
            while sentence.end <= idx {
                sentence = remaining.next().cloned().unwrap_or(usize::MAX..usize::MAX);
            }
            if let Some(&ahead) = self.word_hashes.get(idx + MEMO_PREFETCH_AHEAD) {
                memo.prefetch(ahead);
            }
            let hash = self.word_hashes.get(idx).copied().unwrap_or_default();
            let word = match memo.word(hash, token.as_ref(), table, |token| {
                self.token_info(token, hash)
            }) {
                Word::New(info) => {
                    self.infos.push(info);
                    self.memoised.push(false);
                    continue;
                }
                Word::Memoised(word) => word,
            };
            self.infos.push(word.info);
            self.memoised.push(true);
            if !sentence.contains(&idx) {
                continue;
            }
            if !is_quiet(quiet, idx)
                && let Some(row) = scores.get_mut(idx)
            {
                add_scores(row, &word.own);
            }
            for (neighbour, weights) in Neighbour::ALL.into_iter().zip(&word.as_neighbour) {
                // This token is the `neighbour` of the token `-offset` away.
                if let Some(target) = idx.checked_add_signed(-neighbour.offset())
                    && sentence.contains(&target)
                    && !is_quiet(quiet, target)
                    && let Some(row) = scores.get_mut(target)
                {
                    add_scores(row, weights);
                }
            }
        }
        for sentence in sentences {
            for idx in sentence.clone() {
                if is_quiet(quiet, idx) {
                    continue;
                }
                let Some(row) = scores.get_mut(idx) else {
                    continue;
                };
                for (neighbour, weights) in Neighbour::ALL.into_iter().zip(memo.boundary()) {
                    let beyond = idx
                        .checked_add_signed(neighbour.offset())
                        .is_none_or(|at| !sentence.contains(&at));
                    if beyond {
                        add_scores(row, weights);
                    }
                }
            }
        }
        self.emit_features(sentences, gazetteer, None, false, quiet);
        table.add_document_scores(&self.features, found, scores);
    }

    /// Lists into `self.features` the features of every sentence's tokens, whose `infos`
    /// are in place: all of them if `all`, else those [`Extractor::extract_scored`] did not
    /// take from its memo (see [`Extractor::emit_sentence`]). Tokens marked in `quiet` get
    /// none.
    fn emit_features(
        &mut self,
        sentences: &[Range<usize>],
        gazetteer: &Gazetteer,
        exclude: Option<&PhraseCounts>,
        all: bool,
        quiet: &[bool],
    ) {
        self.collect_document_words(sentences);
        self.mark_gazetteer(sentences, gazetteer, exclude);
        self.features.keys.clear();
        self.features.offsets.clear();
        self.features.offsets.push(0);
        for sentence in sentences {
            let quiet = quiet.get(sentence.clone()).unwrap_or_default();
            self.emit_sentence(sentence.clone(), all, quiet);
        }
    }

    fn mark_gazetteer(
        &mut self,
        sentences: &[Range<usize>],
        gazetteer: &Gazetteer,
        exclude: Option<&PhraseCounts>,
    ) {
        self.gazetteer_marks.clear();
        self.gazetteer_marks.resize(self.infos.len(), 0);
        for sentence in sentences {
            let (Some(infos), Some(marks)) = (
                self.infos.get(sentence.clone()),
                self.gazetteer_marks.get_mut(sentence.clone()),
            ) else {
                continue;
            };
            self.sentence_lowers.clear();
            self.sentence_lowers
                .extend(infos.iter().map(|info| info.lower));
            gazetteer.mark(&self.sentence_lowers, exclude, marks);
        }
    }

    /// Writes into `out` document-consistency features for the tokens of the last
    /// [`Extractor::extract`] call, derived from a first pass's `labels` (one per token):
    /// the most frequent type of the same word and of the same entity phrase elsewhere in
    /// the document, the type of the word's first occurrence and the token's own label.
    /// This is the two-stage idea of Krishnan and Manning (2006).
    /// Tokens marked in `quiet` get none.
    pub fn extract_consistency(
        &mut self,
        sentences: &[Range<usize>],
        labels: &[Label],
        quiet: &[bool],
        out: &mut FeatureBuf,
    ) {
        self.collect_consistency(sentences, labels);
        let consistency = &self.consistency;
        out.keys.clear();
        out.offsets.clear();
        out.offsets.push(0);
        for (idx, info) in self.infos.iter().enumerate() {
            if is_quiet(quiet, idx) {
                out.offsets.push(out.keys.len());
                continue;
            }
            let label = labels.get(idx).copied().unwrap_or(label::OUTSIDE);
            out.keys
                .push(mix2(Template::Consistency as u64, 0, u64::from(label)));
            let own_kind = kind_slot(label);
            if info.flags & (INIT_CAP | ALL_CAPS) != 0 {
                if let Some(counts) = consistency.word_kinds.get(&info.lower)
                    && let Some(kind) = majority_without(counts, own_kind)
                {
                    out.keys
                        .push(mix2(Template::Consistency as u64, 1, kind as u64));
                }
                let phrase = consistency.token_phrase.get(idx).copied().flatten();
                if let Some(counts) = consistency.inner_kinds.get(&info.lower) {
                    let own = if phrase.is_some_and(|(_, multi)| multi) {
                        own_kind
                    } else {
                        usize::MAX
                    };
                    if let Some(kind) = majority_without(counts, own) {
                        out.keys
                            .push(mix2(Template::Consistency as u64, 2, kind as u64));
                    }
                }
                if let Some(counts) =
                    phrase.and_then(|(phrase, _)| consistency.phrase_kinds.get(&phrase))
                    && let Some(kind) = majority_without(counts, own_kind)
                {
                    out.keys
                        .push(mix2(Template::Consistency as u64, 3, kind as u64));
                }
                if let Some(&(first_idx, kind)) = consistency.first_kind.get(&info.lower)
                    && first_idx != idx
                {
                    out.keys
                        .push(mix2(Template::Consistency as u64, 4, kind as u64));
                }
            }
            out.offsets.push(out.keys.len());
        }
    }

    fn collect_consistency(&mut self, sentences: &[Range<usize>], labels: &[Label]) {
        let consistency = &mut self.consistency;
        consistency.word_kinds.clear();
        consistency.inner_kinds.clear();
        consistency.phrase_kinds.clear();
        consistency.first_kind.clear();
        consistency.token_phrase.clear();
        consistency.token_phrase.resize(self.infos.len(), None);
        for (idx, info) in self.infos.iter().enumerate() {
            if info.flags & (INIT_CAP | ALL_CAPS) == 0 {
                continue;
            }
            let kind = kind_slot(labels.get(idx).copied().unwrap_or(label::OUTSIDE));
            consistency.word_kinds.entry(info.lower).or_default()[kind] += 1;
            consistency
                .first_kind
                .entry(info.lower)
                .or_insert((idx, kind));
        }
        for sentence in sentences {
            let Some(sentence_labels) = labels.get(sentence.clone()) else {
                continue;
            };
            consistency.spans.clear();
            label::spans(sentence_labels, sentence.start, &mut consistency.spans);
            for span in &consistency.spans {
                let Some(infos) = self.infos.get(span.start..span.end) else {
                    continue;
                };
                let kind = 1 + span.kind.index();
                let multi = infos.len() > 1;
                let mut phrase = 0x9E37_79B9_u64;
                for info in infos {
                    phrase = mix(phrase, info.lower);
                    if multi {
                        consistency.inner_kinds.entry(info.lower).or_default()[kind] += 1;
                    }
                }
                consistency.phrase_kinds.entry(phrase).or_default()[kind] += 1;
                for slot in consistency
                    .token_phrase
                    .iter_mut()
                    .take(span.end)
                    .skip(span.start)
                {
                    *slot = Some((phrase, multi));
                }
            }
        }
    }

    fn collect_document_words(&mut self, sentences: &[Range<usize>]) {
        self.lowercase_words.clear();
        self.capitalised_words.clear();
        for sentence in sentences {
            let Some(infos) = self.infos.get(sentence.clone()) else {
                continue;
            };
            let headline = is_headline(infos);
            for (position, info) in infos.iter().enumerate() {
                if info.flags & (INIT_CAP | ALL_CAPS | HAS_DIGIT | NO_ALPHANUMERIC) == 0 {
                    self.lowercase_words.insert(info.lower);
                } else if position > 0 && !headline && info.flags & INIT_CAP != 0 {
                    self.capitalised_words.insert(info.lower);
                }
            }
        }
    }

    /// Lists the features of a sentence's tokens: all of them if `all`, else (tagging) all
    /// but those [`Extractor::extract_scored`] took summed from its memo: the memoised
    /// words' own and neighbour features, and those of the sentence's edges. Positions
    /// marked in `quiet` (indexed within the sentence) get none.
    fn emit_sentence(&mut self, sentence: Range<usize>, all: bool, quiet: &[bool]) {
        let Some(infos) = self.infos.get(sentence.clone()) else {
            return;
        };
        let memoised = if all {
            &[]
        } else {
            self.memoised.get(sentence.clone()).unwrap_or_default()
        };
        let listed = |position: usize| !memoised.get(position).copied().unwrap_or(false);
        let context = SentenceContext {
            infos,
            marks: self
                .gazetteer_marks
                .get(sentence.clone())
                .unwrap_or_default(),
            headline: is_headline(infos),
            lowercase_words: &self.lowercase_words,
            capitalised_words: &self.capitalised_words,
        };
        let keys = &mut self.features.keys;
        for (position, info) in infos.iter().enumerate() {
            if is_quiet(quiet, position) {
                self.features.offsets.push(keys.len());
                continue;
            }
            if listed(position) {
                push_own_keys(info, keys);
            }
            for neighbour in Neighbour::ALL {
                let at = position.checked_add_signed(neighbour.offset());
                match at.and_then(|at| Some((at, infos.get(at)?))) {
                    Some((at, info)) if listed(at) => {
                        push_neighbour_keys(neighbour, info.lower, info.short_shape, keys);
                    }
                    Some(_) => {}
                    None if all => push_boundary_keys(neighbour, keys),
                    None => {}
                }
            }
            context.push_context_keys(position, keys);
            self.features.offsets.push(keys.len());
        }
    }

    /// What the features need of `token`, whose [`word_hash`] is `word`.
    fn token_info(&mut self, token: &str, word: u64) -> TokenInfo {
        let mut info = TokenInfo {
            word,
            ..TokenInfo::default()
        };
        // Lowercase with digits folded to '0': "1996" and "1997" share their statistics.
        self.lower_buf.clear();
        let mut n_upper = 0u32;
        let mut n_lower = 0u32;
        let mut n_digit = 0u32;
        let mut n_chars = 0u32;
        let mut shape = [0u8; MAX_SHAPE_CHARS];
        let mut short_shape = [0u8; MAX_SHAPE_CHARS];
        let mut n_short = 0usize;
        for character in token.chars().map(normalise_char) {
            let class = if character.is_uppercase() {
                n_upper += 1;
                b'X'
            } else if character.is_lowercase() {
                n_lower += 1;
                b'x'
            } else if character.is_numeric() {
                n_digit += 1;
                b'd'
            } else if character.is_alphabetic() {
                // Scripts without case (CJK, Arabic, …).
                b'a'
            } else {
                match character {
                    '-' => info.flags |= HAS_HYPHEN,
                    '.' => info.flags |= HAS_PERIOD,
                    '\'' => info.flags |= HAS_APOSTROPHE,
                    _ => {}
                }
                if character.is_ascii_punctuation() {
                    character as u8
                } else {
                    b'_'
                }
            };
            if !character.is_ascii() {
                info.flags |= NON_ASCII;
            }
            if (n_chars as usize) < MAX_SHAPE_CHARS {
                shape[n_chars as usize] = class;
            }
            if n_short < MAX_SHAPE_CHARS && (n_short == 0 || short_shape[n_short - 1] != class) {
                short_shape[n_short] = class;
                n_short += 1;
            }
            n_chars += 1;
            if character.is_ascii_digit() {
                self.lower_buf.push('0');
            } else if character.is_ascii() {
                self.lower_buf.push(character.to_ascii_lowercase());
            } else {
                self.lower_buf.extend(character.to_lowercase());
            }
        }
        info.n_chars = n_chars;
        info.lower = xxh3_64(self.lower_buf.as_bytes());
        info.shape = xxh3_64(&shape[..(n_chars as usize).min(MAX_SHAPE_CHARS)]);
        info.short_shape = xxh3_64(&short_shape[..n_short]);
        if token.chars().next().is_some_and(char::is_uppercase) {
            info.flags |= INIT_CAP;
        }
        if n_lower > 0 {
            info.flags |= HAS_LOWER;
        }
        if n_upper > 0 && n_lower == 0 {
            info.flags |= if n_chars == 1 {
                SINGLE_CAP_LETTER
            } else {
                ALL_CAPS
            };
        }
        if n_upper > 0 && n_lower > 0 && !(n_upper == 1 && info.flags & INIT_CAP != 0) {
            info.flags |= MIXED_CASE;
        }
        if n_digit > 0 {
            info.flags |= HAS_DIGIT;
            if n_digit == n_chars {
                info.flags |= ALL_DIGITS;
            }
        }
        if n_upper + n_lower + n_digit == 0 && !token.chars().any(char::is_alphanumeric) {
            info.flags |= NO_ALPHANUMERIC;
        }
        self.char_ends.clear();
        self.char_ends.extend(
            self.lower_buf
                .char_indices()
                .map(|(at, c)| at + c.len_utf8()),
        );
        let lower = self.lower_buf.as_bytes();
        for n in 0..MAX_AFFIX_CHARS.min(self.char_ends.len()) {
            let prefix_end = self.char_ends[n];
            info.prefixes[n] = xxh3_64(&lower[..prefix_end]);
            let suffix_start = if n + 1 == self.char_ends.len() {
                0
            } else {
                self.char_ends[self.char_ends.len() - n - 2]
            };
            info.suffixes[n] = xxh3_64(&lower[suffix_start..]);
        }
        info
    }
}

/// Whether `quiet` marks the token at `idx` (an empty `quiet` marks none).
#[inline]
fn is_quiet(quiet: &[bool], idx: usize) -> bool {
    quiet.get(idx).copied().unwrap_or(false)
}

/// How many tokens ahead of its look-up a word's memo slot is prefetched.
const MEMO_PREFETCH_AHEAD: usize = 8;

/// How far from a token its features look (the ±2 window of `Neighbour`).
const REACH: usize = 2;

/// Marks in `out` (one flag per token; `plain` is scratch) the quiet tokens, which
/// tagging labels `O` without scoring them: tokens of lowercase running text, where
/// neither the token nor any token within [`REACH`] of it in its sentence has a capital
/// letter or a letter of a script without case (digits and punctuation are plain). The
/// model sees no capital anywhere in such a token's window, and names sit among capitals.
/// `ner-lab eval --check-quiet` tags CoNLL-2003 both ways: on its development data scoring
/// every token finds the same 5,942 entities; on its training data, whose names the model
/// has learnt, 10 of 23,498 differ ("interior ministry"). 44 % of its tokens are quiet.
pub(crate) fn mark_quiet<S: AsRef<str>>(
    tokens: &[S],
    sentences: &[Range<usize>],
    plain: &mut Vec<bool>,
    out: &mut Vec<bool>,
) {
    plain.clear();
    plain.extend(tokens.iter().map(|token| is_plain(token.as_ref())));
    out.clear();
    out.resize(tokens.len(), false);
    for sentence in sentences {
        let (Some(plain), Some(marks)) =
            (plain.get(sentence.clone()), out.get_mut(sentence.clone()))
        else {
            continue;
        };
        // The distance to the nearest token that is not plain, on the left, then on the
        // right: a token is quiet when both are beyond the reach.
        let mut since = usize::MAX;
        for (mark, &plain) in marks.iter_mut().zip(plain) {
            since = if plain { since.saturating_add(1) } else { 0 };
            *mark = since > REACH;
        }
        since = usize::MAX;
        for (mark, &plain) in marks.iter_mut().zip(plain).rev() {
            since = if plain { since.saturating_add(1) } else { 0 };
            *mark &= since > REACH;
        }
    }
}

/// A token with no capital letter and no letter of a script without case.
fn is_plain(token: &str) -> bool {
    // One pass over the bytes for ASCII tokens; the first byte of any other character
    // sends the whole token to the character test.
    for byte in token.bytes() {
        if byte.is_ascii_uppercase() {
            return false;
        }
        if !byte.is_ascii() {
            return token
                .chars()
                .all(|character| character.is_lowercase() || !character.is_alphanumeric());
        }
    }
    true
}

/// 0 for `O`, `1 + t` for entity type `t`.
fn kind_slot(label: Label) -> usize {
    label::kind(label).map_or(0, |kind| 1 + kind.index())
}

/// The most frequent slot of `counts` once one count is taken off `own` (the token's own
/// vote); `None` if no other vote is left. Ties go to the lowest slot.
fn majority_without(counts: &[u32; 5], own: usize) -> Option<usize> {
    let mut best: Option<(usize, u32)> = None;
    for (slot, &count) in counts.iter().enumerate() {
        let count = if slot == own {
            count.saturating_sub(1)
        } else {
            count
        };
        if count > 0 && best.is_none_or(|(_, best_count)| count > best_count) {
            best = Some((slot, count));
        }
    }
    best.map(|(slot, _)| slot)
}

/// Maps typographic punctuation to the ASCII that CoNLL-2003 (the training data) uses,
/// so that "Putin’s" tokenised by copydesk as `Putin ’s` looks like CoNLL's `Putin 's`.
fn normalise_char(character: char) -> char {
    match character {
        '‘' | '’' | 'ʼ' | '′' | '`' | '´' => '\'',
        '“' | '”' | '„' | '″' | '«' | '»' => '"',
        '‐' | '‑' | '‒' | '–' | '—' | '−' => '-',
        other => other,
    }
}

/// The lowercased, digit-folded hash of a token, as the gazetteer stores it.
pub(crate) fn lower_hash(token: &str, buf: &mut String) -> u64 {
    buf.clear();
    for character in token.chars().map(normalise_char) {
        if character.is_ascii_digit() {
            buf.push('0');
        } else if character.is_ascii() {
            buf.push(character.to_ascii_lowercase());
        } else {
            buf.extend(character.to_lowercase());
        }
    }
    xxh3_64(buf.as_bytes())
}

/// A sentence with at least two capitalised words and no lowercase letter: a headline
/// or a shouted line, where capitalisation says nothing.
fn is_headline(infos: &[TokenInfo]) -> bool {
    let mut n_caps = 0;
    for info in infos {
        if info.flags & HAS_LOWER != 0 {
            return false;
        }
        if info.flags & (ALL_CAPS | SINGLE_CAP_LETTER) != 0 {
            n_caps += 1;
        }
    }
    n_caps >= 2
}

fn push_marks(keys: &mut Vec<u64>, template: Template, mark: u16) {
    for bit in 0..16u64 {
        if mark & (1 << bit) != 0 {
            keys.push(mix(template as u64, bit));
        }
    }
}

/// A token's neighbour within its sentence, whose lowercase form and short shape are
/// features of the token.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Neighbour {
    Prev2,
    Prev,
    Next,
    Next2,
}

impl Neighbour {
    pub(crate) const ALL: [Neighbour; 4] = [
        Neighbour::Prev2,
        Neighbour::Prev,
        Neighbour::Next,
        Neighbour::Next2,
    ];

    /// The neighbour of the token at `i` is the token at `i + offset`.
    pub(crate) fn offset(self) -> isize {
        match self {
            Neighbour::Prev2 => -2,
            Neighbour::Prev => -1,
            Neighbour::Next => 1,
            Neighbour::Next2 => 2,
        }
    }

    /// What stands for a neighbour beyond the sentence.
    fn beyond(self) -> u64 {
        match self {
            Neighbour::Prev2 | Neighbour::Prev => BOUNDARY_BEFORE,
            Neighbour::Next | Neighbour::Next2 => BOUNDARY_AFTER,
        }
    }

    fn templates(self) -> (Template, Template) {
        match self {
            Neighbour::Prev2 => (Template::LowerPrev2, Template::ShortShapePrev2),
            Neighbour::Prev => (Template::LowerPrev, Template::ShortShapePrev),
            Neighbour::Next => (Template::LowerNext, Template::ShortShapeNext),
            Neighbour::Next2 => (Template::LowerNext2, Template::ShortShapeNext2),
        }
    }
}

/// The features of a token that depend on nothing but its own text: the same for every
/// occurrence of a word, which lets tagging sum their weights once per word
/// ([`crate::memo::WordMemo`]).
pub(crate) fn push_own_keys(info: &TokenInfo, keys: &mut Vec<u64>) {
    keys.push(mix(Template::Bias as u64, 0));
    keys.push(mix(Template::Word as u64, info.word));
    keys.push(mix(Template::Lower as u64, info.lower));
    keys.push(mix(Template::Shape as u64, info.shape));
    keys.push(mix(Template::ShortShape as u64, info.short_shape));
    for (n_chars, (&prefix, &suffix)) in info.prefixes.iter().zip(info.suffixes.iter()).enumerate()
    {
        if n_chars as u32 >= info.n_chars {
            break;
        }
        keys.push(mix2(Template::Prefix as u64, n_chars as u64, prefix));
        keys.push(mix2(Template::Suffix as u64, n_chars as u64, suffix));
    }
    // `SENTENCE_INITIAL` is never among a token's own flags: it is a context feature.
    for flag in 0..N_FLAGS {
        if info.flags & (1 << flag) != 0 {
            keys.push(mix(Template::Flag as u64, u64::from(flag)));
        }
    }
    keys.push(mix(
        Template::Length as u64,
        u64::from(info.n_chars.min(12)),
    ));
}

/// The features a token gets from its `neighbour`, given that neighbour's lowercase form
/// and short shape (both [`Neighbour::beyond`] past the sentence's edge). Like the own
/// features, they depend on one word only.
pub(crate) fn push_neighbour_keys(
    neighbour: Neighbour,
    lower: u64,
    short_shape: u64,
    keys: &mut Vec<u64>,
) {
    let (lower_template, shape_template) = neighbour.templates();
    keys.push(mix(lower_template as u64, lower));
    keys.push(mix(shape_template as u64, short_shape));
}

/// The features of [`Neighbour::beyond`]: those of a token at a sentence's edge.
pub(crate) fn push_boundary_keys(neighbour: Neighbour, keys: &mut Vec<u64>) {
    push_neighbour_keys(neighbour, neighbour.beyond(), neighbour.beyond(), keys);
}

/// What the features of a sentence's tokens depend on beyond each token and its
/// neighbours.
struct SentenceContext<'a> {
    infos: &'a [TokenInfo],
    marks: &'a [u16],
    headline: bool,
    lowercase_words: &'a HashSet64,
    capitalised_words: &'a HashSet64,
}

impl SentenceContext<'_> {
    /// The lowercase form and short shape of the `neighbour` of the token at `position`.
    fn neighbour(&self, position: usize, neighbour: Neighbour) -> (u64, u64) {
        position
            .checked_add_signed(neighbour.offset())
            .and_then(|idx| self.infos.get(idx))
            .map_or((neighbour.beyond(), neighbour.beyond()), |info| {
                (info.lower, info.short_shape)
            })
    }

    /// The features that depend on the token with its neighbours together, on its place in
    /// the sentence, or on the rest of the document.
    fn push_context_keys(&self, position: usize, keys: &mut Vec<u64>) {
        let Some(info) = self.infos.get(position) else {
            return;
        };
        if position == 0 {
            keys.push(mix(
                Template::Flag as u64,
                u64::from(SENTENCE_INITIAL.trailing_zeros()),
            ));
        }
        let (lower_prev, short_prev) = self.neighbour(position, Neighbour::Prev);
        let (lower_next, short_next) = self.neighbour(position, Neighbour::Next);
        keys.push(mix2(
            Template::ShortShapePrevCur as u64,
            short_prev,
            info.short_shape,
        ));
        keys.push(mix2(
            Template::ShortShapeCurNext as u64,
            info.short_shape,
            short_next,
        ));
        keys.push(mix2(Template::BigramPrev as u64, lower_prev, info.lower));
        keys.push(mix2(Template::BigramNext as u64, info.lower, lower_next));
        keys.push(mix2(
            Template::LowerPrevShape as u64,
            lower_prev,
            info.short_shape,
        ));
        keys.push(mix2(
            Template::ShapeLowerNext as u64,
            info.short_shape,
            lower_next,
        ));
        if self.headline {
            keys.push(mix(Template::HeadlineShape as u64, info.short_shape));
        }
        let capitalised = info.flags & (INIT_CAP | ALL_CAPS) != 0;
        let position_kind = u64::from(position == 0 || self.headline);
        if capitalised && self.lowercase_words.contains(&info.lower) {
            keys.push(mix2(Template::Doc as u64, 1, position_kind));
        }
        if capitalised && self.capitalised_words.contains(&info.lower) {
            keys.push(mix2(Template::Doc as u64, 2, position_kind));
        }
        let mark_at = |idx: Option<usize>| {
            idx.and_then(|idx| self.marks.get(idx))
                .copied()
                .unwrap_or(0)
        };
        push_marks(keys, Template::Gazetteer, mark_at(Some(position)));
        push_marks(
            keys,
            Template::GazetteerPrev,
            mark_at(position.checked_sub(1)),
        );
        push_marks(keys, Template::GazetteerNext, mark_at(Some(position + 1)));
    }
}

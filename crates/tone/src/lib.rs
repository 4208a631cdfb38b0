//! Document tone in the spirit of GDELT's V2Tone, scored with the VADER sentiment lexicon.
//!
//! Every word of the headline and paragraphs is looked up, lower-cased, in the VADER lexicon
//! (Hutto & Gilbert, ICWSM 2014; MIT licence; `data/README.md` says how our copy was derived).
//! A word found there has a valence from −4 to +4, which its context then adjusts, VADER-style:
//!
//! - **Boosters and dampeners**: "very", "extremely" … raise the magnitude by 0.293, "slightly",
//!   "somewhat" … lower it by 0.293, when within the three preceding words of the same sentence
//!   (the second word back counts 95 %, the third 90 %).
//! - **Emphasis**: a word written in capitals (two letters or more) in text that is not all
//!   capitals gets its magnitude raised by 0.3 (VADER uses 0.733 for social media; in news,
//!   capitals are rarer and mostly acronyms, so we weigh them lightly).
//! - **Negation**: a negator ("not", "never", "without", any "…n't" …) within the three
//!   preceding words of the same sentence multiplies the valence by −0.74: "not good" is
//!   negative, and weaker than "bad".
//! - **Multi-word entries** ("fed up", "can't stand", "self-confident") are matched as phrases,
//!   longest first; a few news phrases whose words would mislead the lexicon are neutral
//!   ("gross domestic product", "as well", "kind of").
//!
//! A sentence ends at `.`, `!`, `?`, `;` or `:`; a part (headline or paragraph) always ends one.
//! Negators are context, never scored themselves (VADER's "no" is −1.2 on its own).
//!
//! Scoring allocates nothing per word: words are lower-cased into one reused buffer per call
//! and looked up once each, when read, in a hash map built once (with foldhash: the
//! lexicon is our own data, so the DoS-resistant default hasher only costs time).

use std::collections::HashMap;
use std::sync::OnceLock;

use foldhash::fast::FixedState;

/// The tone of a document. All percentages are of `n_words`, the number of words
/// (Unicode word segments, numbers included) in the headline and paragraphs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tone {
    /// Percentage of words whose adjusted valence is positive (GDELT's "Positive Score").
    pub positive: f64,
    /// Percentage of words whose adjusted valence is negative (GDELT's "Negative Score"),
    /// given as a positive number.
    pub negative: f64,
    /// `positive + negative`: how emotionally charged the text is (GDELT's "Polarity").
    pub polarity: f64,
    /// Normalised tone in `[-1, 1]`: `(P − N) / (P + N + 4)`, where `P` and `N` are the summed
    /// magnitudes of the positive and of the negative adjusted valences. The balance of
    /// positive and negative language, weighed by strength, independent of document length; the
    /// `+ 4` (one strongly valenced word) pulls texts with little evidence towards 0. 0 for a
    /// text without sentiment words.
    pub tone: f64,
    pub n_words: usize,
}

impl Tone {
    /// GDELT's V2Tone "Tone": `positive − negative`, in percentage points (−100 to 100; news
    /// mostly falls between −10 and +10).
    pub fn v2tone(&self) -> f64 {
        self.positive - self.negative
    }
}

/// Scores an article given as a headline and paragraphs.
pub fn score(headline: &str, paragraphs: &[String]) -> Tone {
    let mut scorer = Scorer::new();
    scorer.add_part(headline);
    for paragraph in paragraphs {
        scorer.add_part(paragraph);
    }
    scorer.finish()
}

/// Scores one piece of text.
pub fn score_text(text: &str) -> Tone {
    let mut scorer = Scorer::new();
    scorer.add_part(text);
    scorer.finish()
}

const BOOSTER_STEP: f32 = 0.293;
const CAPS_STEP: f32 = 0.3;
const NEGATION_FACTOR: f32 = -0.74;
/// Weight of a booster or negator one, two and three words back.
const DISTANCE_WEIGHT: [f32; 3] = [1.0, 0.95, 0.9];
const TONE_SMOOTHING: f64 = 4.0;

/// What a word does, besides (or instead of) carrying a valence.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    Plain,
    Negator,
    /// Added to the magnitude of a following valenced word: positive boosts, negative dampens.
    Booster(f32),
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    valence: f32,
    role: Role,
}

struct Phrase {
    /// Words after the first.
    rest: Vec<Box<str>>,
    valence: f32,
}

/// What the lexicon knows of a word.
#[derive(Clone, Copy, Debug, Default)]
struct Known {
    /// Its single-word entry, if any.
    entry: Option<Entry>,
    /// Whether some phrase starts with it.
    starts_phrase: bool,
}

struct Lexicon {
    /// Every word with an entry or starting a phrase: one lookup per word of the text.
    words: HashMap<Box<str>, Known, FixedState>,
    /// Multi-word entries by first word, longest first.
    phrases: HashMap<Box<str>, Vec<Phrase>, FixedState>,
}

static VADER_TSV: &str = include_str!("../data/vader-lexicon.tsv");

/// Our own lists (not VADER's): news rarely uses VADER's slang boosters.
const NEGATORS: &[&str] = &[
    "not", "no", "never", "neither", "nor", "none", "nobody", "nothing", "nowhere", "without",
    "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont",
    "wouldnt", "shouldnt", "couldnt", "hasnt", "havent", "hadnt", "aint",
];
const INTENSIFIERS: &[&str] = &[
    "absolutely",
    "completely",
    "considerably",
    "deeply",
    "enormously",
    "entirely",
    "especially",
    "exceptionally",
    "extremely",
    "greatly",
    "highly",
    "hugely",
    "incredibly",
    "particularly",
    "really",
    "remarkably",
    "so",
    "substantially",
    "thoroughly",
    "totally",
    "tremendously",
    "truly",
    "utterly",
    "very",
    "most",
    "more",
    "much",
    "immensely",
    "intensely",
    "exceedingly",
];
const DAMPENERS: &[&str] = &[
    "barely",
    "hardly",
    "scarcely",
    "slightly",
    "somewhat",
    "marginally",
    "partly",
    "partially",
    "less",
    "little",
    "fairly",
    "moderately",
    "occasionally",
    "almost",
    "relatively",
];
/// Phrases whose words the lexicon would misread in news text.
const NEUTRAL_PHRASES: &[&str] = &[
    "gross domestic product",
    "gross domestic",
    "as well",
    "kind of",
    "sort of",
    "no doubt",
];

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut words: HashMap<Box<str>, Known, FixedState> = HashMap::default();
        let mut phrases: HashMap<Box<str>, Vec<Phrase>, FixedState> = HashMap::default();
        let mut add_phrase = |tokens: Vec<&str>, valence: f32| {
            if let Some((first, rest)) = tokens.split_first() {
                let rest = rest.iter().map(|word| Box::from(*word)).collect();
                phrases
                    .entry(Box::from(*first))
                    .or_default()
                    .push(Phrase { rest, valence });
            }
        };
        for line in VADER_TSV.lines() {
            let Some((term, valence)) = line.split_once('\t') else {
                continue;
            };
            let Ok(valence) = valence.trim().parse::<f32>() else {
                continue;
            };
            let tokens: Vec<&str> = words::words(term).collect();
            match tokens.as_slice() {
                [] => {}
                [word] => {
                    words.entry(Box::from(*word)).or_default().entry = Some(Entry {
                        valence,
                        role: Role::Plain,
                    });
                }
                _ => add_phrase(tokens, valence),
            }
        }
        if let Some(like) = words.get_mut("like") {
            like.entry = None;
        }
        for phrase in NEUTRAL_PHRASES {
            add_phrase(words::words(phrase).collect(), 0.0);
        }
        for (first, list) in &mut phrases {
            list.sort_by_key(|phrase| std::cmp::Reverse(phrase.rest.len()));
            words.entry(first.clone()).or_default().starts_phrase = true;
        }
        let roles = NEGATORS
            .iter()
            .map(|word| (word, Role::Negator))
            .chain(
                INTENSIFIERS
                    .iter()
                    .map(|word| (word, Role::Booster(BOOSTER_STEP))),
            )
            .chain(
                DAMPENERS
                    .iter()
                    .map(|word| (word, Role::Booster(-BOOSTER_STEP))),
            );
        for (word, role) in roles {
            let entry = words
                .entry(Box::from(*word))
                .or_default()
                .entry
                .get_or_insert(Entry { valence: 0.0, role });
            entry.role = role;
            if role == Role::Negator {
                entry.valence = 0.0;
            }
        }
        Lexicon { words, phrases }
    })
}

/// A word of the current sentence: its lower-cased form is `lower[start..end]`.
#[derive(Clone, Copy, Debug)]
struct Word {
    start: usize,
    end: usize,
    all_caps: bool,
    /// Its lexicon entry (a `…n't` word unknown to the lexicon is a negator).
    entry: Option<Entry>,
    starts_phrase: bool,
}

struct Scorer {
    lexicon: &'static Lexicon,
    /// The current sentence, lower-cased.
    lower: String,
    words: Vec<Word>,
    n_words: usize,
    n_positive: usize,
    n_negative: usize,
    positive_sum: f64,
    negative_sum: f64,
    /// Whether any lower-case letter was seen: capitals only emphasise in mixed-case text.
    /// Decided per sentence, before it is scored.
    sentence_has_lowercase: bool,
}

impl Scorer {
    fn new() -> Self {
        Scorer {
            lexicon: lexicon(),
            lower: String::new(),
            words: Vec::new(),
            n_words: 0,
            n_positive: 0,
            n_negative: 0,
            positive_sum: 0.0,
            negative_sum: 0.0,
            sentence_has_lowercase: false,
        }
    }

    fn add_part(&mut self, text: &str) {
        // The words are the UAX #29 word segments with a letter or digit, and the text between
        // two words is the other segments: a sentence ends where it holds a sentence mark.
        // `words::word_indices` splits ASCII text by table look-ups per byte; the per-character
        // look-ups of `split_word_bounds` were a third of the scoring time.
        let mut gap_start = 0;
        for (start, word) in words::word_indices(text) {
            let gap = text.get(gap_start..start).unwrap_or_default();
            if gap.contains(['.', '!', '?', ';', ':']) {
                self.end_sentence();
            }
            self.push_word(word);
            gap_start = start + word.len();
        }
        // Marks after the last word end the sentence that the end of the part ends anyway.
        self.end_sentence();
    }

    fn push_word(&mut self, segment: &str) {
        let start = self.lower.len();
        let (mut n_upper, mut n_letters) = (0, 0);
        if segment.is_ascii() {
            // Most words: what the loop below does, over bytes, and the word copied whole and
            // lower-cased in place rather than pushed char by char.
            for byte in segment.bytes().filter(u8::is_ascii_alphabetic) {
                n_letters += 1;
                if byte.is_ascii_uppercase() {
                    n_upper += 1;
                } else {
                    self.sentence_has_lowercase = true;
                }
            }
            self.lower.push_str(segment);
            if let Some(copied) = self.lower.get_mut(start..) {
                copied.make_ascii_lowercase();
            }
        } else {
            for c in segment.chars() {
                if c.is_alphabetic() {
                    n_letters += 1;
                    if c.is_uppercase() {
                        n_upper += 1;
                    } else if c.is_lowercase() {
                        self.sentence_has_lowercase = true;
                    }
                }
                match c {
                    '\u{2019}' | '\u{2018}' => self.lower.push('\''),
                    c if c.is_ascii() => self.lower.push(c.to_ascii_lowercase()),
                    c => self.lower.extend(c.to_lowercase()),
                }
            }
        }
        let all_caps = n_letters >= 2 && n_upper == n_letters;
        let lower = &self.lower[start..];
        let known = self.lexicon.words.get(lower).copied().unwrap_or_default();
        let entry = match known.entry {
            None if lower.ends_with("n't") => Some(Entry {
                valence: 0.0,
                role: Role::Negator,
            }),
            entry => entry,
        };
        self.words.push(Word {
            start,
            end: self.lower.len(),
            all_caps,
            entry,
            starts_phrase: known.starts_phrase,
        });
        self.n_words += 1;
    }

    fn word(&self, word_idx: usize) -> &str {
        let word = self.words[word_idx];
        &self.lower[word.start..word.end]
    }

    fn entry(&self, word_idx: usize) -> Option<Entry> {
        self.words[word_idx].entry
    }

    /// The longest phrase starting at `word_idx`: its valence and length in words.
    fn phrase_at(&self, word_idx: usize) -> Option<(f32, usize)> {
        if !self.words[word_idx].starts_phrase {
            return None;
        }
        let candidates = self.lexicon.phrases.get(self.word(word_idx))?;
        candidates.iter().find_map(|phrase| {
            let end = word_idx + 1 + phrase.rest.len();
            let matches = end <= self.words.len()
                && phrase
                    .rest
                    .iter()
                    .enumerate()
                    .all(|(offset, rest)| self.word(word_idx + 1 + offset) == &**rest);
            matches.then_some((phrase.valence, phrase.rest.len() + 1))
        })
    }

    fn end_sentence(&mut self) {
        let mut word_idx = 0;
        while word_idx < self.words.len() {
            let (valence, n_covered, role) = match self.phrase_at(word_idx) {
                Some((valence, n_covered)) => (valence, n_covered, Role::Plain),
                None => match self.entry(word_idx) {
                    Some(entry) => (entry.valence, 1, entry.role),
                    None => (0.0, 1, Role::Plain),
                },
            };
            if valence != 0.0 && role != Role::Negator {
                let adjusted = self.adjust(word_idx, n_covered, valence);
                if adjusted > 0.0 {
                    self.n_positive += 1;
                    self.positive_sum += f64::from(adjusted);
                } else if adjusted < 0.0 {
                    self.n_negative += 1;
                    self.negative_sum -= f64::from(adjusted);
                }
            }
            word_idx += n_covered;
        }
        self.words.clear();
        self.lower.clear();
        self.sentence_has_lowercase = false;
    }

    /// The valence of the word (or phrase) at `word_idx`, adjusted for capitals, the boosters
    /// and negators among the three preceding words.
    fn adjust(&self, word_idx: usize, n_covered: usize, valence: f32) -> f32 {
        let direction = valence.signum();
        let mut adjusted = valence;
        let emphasised = self.sentence_has_lowercase
            && self.words[word_idx..word_idx + n_covered]
                .iter()
                .any(|w| w.all_caps);
        if emphasised {
            adjusted += direction * CAPS_STEP;
        }
        let mut negated = false;
        for (distance, weight) in DISTANCE_WEIGHT.iter().enumerate() {
            let Some(previous_idx) = word_idx.checked_sub(distance + 1) else {
                break;
            };
            match self.entry(previous_idx).map(|entry| entry.role) {
                Some(Role::Booster(step)) => {
                    let mut step = step;
                    if self.sentence_has_lowercase && self.words[previous_idx].all_caps {
                        step += step.signum() * CAPS_STEP;
                    }
                    adjusted += direction * step * weight;
                }
                Some(Role::Negator) => negated = true,
                _ => {}
            }
        }
        // A dampener never flips the sign of a word by itself.
        if adjusted.signum() != direction {
            adjusted = 0.0;
        }
        if negated {
            adjusted *= NEGATION_FACTOR;
        }
        adjusted
    }

    fn finish(mut self) -> Tone {
        self.end_sentence();
        if self.n_words == 0 {
            return Tone::default();
        }
        let percent = |count: usize| 100.0 * count as f64 / self.n_words as f64;
        let positive = percent(self.n_positive);
        let negative = percent(self.n_negative);
        let tone = (self.positive_sum - self.negative_sum)
            / (self.positive_sum + self.negative_sum + TONE_SMOOTHING);
        Tone {
            positive,
            negative,
            polarity: positive + negative,
            tone,
            n_words: self.n_words,
        }
    }
}

#[cfg(test)]
mod tests;

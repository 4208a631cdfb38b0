//! A statistical named-entity tagger for English news: finds PER, LOC, ORG and MISC
//! names in tokenised text.
//!
//! The model is a structured (Collins) averaged perceptron over BILOU labels, decoded
//! with Viterbi, in two stages: the second sees the first one's labels for the whole
//! document, so a name is tagged consistently across an article. Features are hashed
//! (see `features.rs`): word, lowercase word and shape of a ±2 window, affixes,
//! capitalisation, document-level case evidence and a gazetteer of names seen in
//! CoNLL-2003 training data. The committed model (`model/ner.bin`) is embedded in the
//! library; [`Tagger::default_model`] decodes it once. Tokens of lowercase running text,
//! with no capital within two tokens, are labelled `O` without being scored (see
//! [`quiet_tokens`]): some 44 % of news text, with the same entities found.
//!
//! Tagging is total: it returns for any input and never panics. Give it a whole article
//! at once ([`Tagger::tag_sentences`] if sentences are known): document-level evidence
//! is much of its accuracy.
//!
//! Codemap: `lib.rs` (API, tagging), `features.rs` (feature hashing), `gazetteer.rs`,
//! `decode.rs` (Viterbi), `label.rs` (BILOU), `model.rs` (weights and file format),
//! `train.rs`, `conll.rs` (reader), `eval.rs` (conlleval scoring), `bin/ner-lab.rs`.
//!
//! ```
//! let tagger = ner::Tagger::default_model();
//! let tokens = ["Vladimir", "Putin", "visited", "Moscow", "."];
//! let spans = tagger.tag(&tokens);
//! assert!(spans.iter().any(|span| span.start == 3 && span.kind == ner::EntityType::Loc));
//! ```

pub mod conll;
mod decode;
pub mod eval;
mod features;
mod gazetteer;
mod label;
mod memo;
mod model;
pub mod train;

use std::cell::Cell;
use std::ops::Range;
use std::sync::OnceLock;

pub use model::ModelError;

use decode::Viterbi;
use features::Extractor;
use label::{Label, N_LABELS};
use model::{MAX_STAGES, Model, Stage};

/// The kind of a named entity, as in CoNLL-2003.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntityType {
    /// People, including fictional ones.
    Per,
    /// Places: countries, cities, regions, geographical features.
    Loc,
    /// Organisations: companies, institutions, teams, parties.
    Org,
    /// Other names: nationalities, events, works, languages.
    Misc,
}

impl EntityType {
    pub const ALL: [EntityType; 4] = [
        EntityType::Per,
        EntityType::Loc,
        EntityType::Org,
        EntityType::Misc,
    ];

    /// The CoNLL name: `PER`, `LOC`, `ORG` or `MISC`.
    pub fn name(self) -> &'static str {
        match self {
            EntityType::Per => "PER",
            EntityType::Loc => "LOC",
            EntityType::Org => "ORG",
            EntityType::Misc => "MISC",
        }
    }

    pub fn from_name(name: &str) -> Option<EntityType> {
        EntityType::ALL.into_iter().find(|kind| kind.name() == name)
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    pub(crate) fn from_index(idx: usize) -> Option<EntityType> {
        EntityType::ALL.get(idx).copied()
    }
}

/// A tagged entity: tokens `start..end` (half-open) of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntitySpan {
    pub start: usize,
    pub end: usize,
    pub kind: EntityType,
}

/// A trained tagger. Cheap to share: tagging takes `&self` and is thread-safe.
#[derive(Clone, Debug, PartialEq)]
pub struct Tagger {
    model: Model,
}

static DEFAULT_MODEL_BYTES: &[u8] = include_bytes!("../model/ner.bin");

impl Tagger {
    /// The model committed in `crates/ner/model/`, decoded on first use.
    ///
    /// The embedded bytes are checked by this crate's tests; should they still fail to
    /// decode, this returns a tagger that finds no entities rather than panicking.
    pub fn default_model() -> &'static Tagger {
        static DEFAULT: OnceLock<Tagger> = OnceLock::new();
        DEFAULT.get_or_init(|| {
            Tagger::from_bytes(DEFAULT_MODEL_BYTES).unwrap_or_else(|_| Tagger::empty())
        })
    }

    /// The file of the model [`Tagger::default_model`] decodes (format described in
    /// `model.rs`), for timing or re-encoding it.
    pub fn default_model_bytes() -> &'static [u8] {
        DEFAULT_MODEL_BYTES
    }

    /// A tagger without features: it finds nothing.
    pub fn empty() -> Tagger {
        let stage = Stage::quantise(Vec::new(), &[[0.0; N_LABELS]; N_LABELS + 1], 0.0);
        Tagger {
            model: Model::new(vec![stage], Default::default()),
        }
    }

    /// Decodes a model written by [`Tagger::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        Ok(Tagger {
            model: Model::from_bytes(bytes)?,
        })
    }

    /// Encodes the model; the format is described in `model.rs`.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.model.to_bytes()
    }

    /// The number of weighted features in the model, over all its stages.
    pub fn n_features(&self) -> usize {
        self.model.n_features()
    }

    pub(crate) fn from_model(model: Model) -> Tagger {
        Tagger { model }
    }

    /// Tags one text: a sentence or, better, a whole article. Sentences are split after
    /// tokens made only of `.`, `!`, `?` or `…` (optionally followed by closing quotes);
    /// the text is one document for the document-level features. Spans index into
    /// `tokens`, are sorted and do not overlap.
    pub fn tag<S: AsRef<str>>(&self, tokens: &[S]) -> Vec<EntitySpan> {
        with_scratch(|scratch| {
            split_sentences(tokens, &mut scratch.sentences);
            let sentences = std::mem::take(&mut scratch.sentences);
            let spans = self.tag_ranges(scratch, tokens, &sentences, Coverage::SkipQuiet);
            scratch.sentences = sentences;
            spans
        })
    }

    /// Tags a document (an article) that is already split into sentences. Spans index
    /// into the concatenation of the sentences, are sorted and do not overlap.
    pub fn tag_sentences<S: AsRef<str>>(&self, sentences: &[&[S]]) -> Vec<EntitySpan> {
        self.tag_sentences_with(sentences, Coverage::SkipQuiet)
    }

    /// [`Tagger::tag_sentences`] scoring and decoding every token, the quiet ones too
    /// (see [`quiet_tokens`]): slower, and meant for checking that passing over them
    /// changes no label (`ner-lab eval --check-quiet`).
    pub fn tag_sentences_exhaustive<S: AsRef<str>>(&self, sentences: &[&[S]]) -> Vec<EntitySpan> {
        self.tag_sentences_with(sentences, Coverage::Every)
    }

    fn tag_sentences_with<S: AsRef<str>>(
        &self,
        sentences: &[&[S]],
        coverage: Coverage,
    ) -> Vec<EntitySpan> {
        let (tokens, ranges) = flatten(sentences);
        with_scratch(|scratch| self.tag_ranges(scratch, &tokens, &ranges, coverage))
    }

    fn tag_ranges<S: AsRef<str>>(
        &self,
        scratch: &mut Scratch,
        tokens: &[S],
        sentences: &[Range<usize>],
        coverage: Coverage,
    ) -> Vec<EntitySpan> {
        self.label_document(scratch, tokens, sentences, coverage);
        let mut spans = Vec::new();
        for sentence in sentences {
            if let Some(labels) = scratch.labels.get(sentence.clone()) {
                label::spans(labels, sentence.start, &mut spans);
            }
        }
        spans
    }

    /// Labels every token of a document into `scratch.labels`: the first stage from the
    /// text, the second from the text and the first stage's labels. Quiet tokens (see
    /// [`features::mark_quiet`]) are labelled `O` and not scored.
    fn label_document<S: AsRef<str>>(
        &self,
        scratch: &mut Scratch,
        tokens: &[S],
        sentences: &[Range<usize>],
        coverage: Coverage,
    ) {
        scratch.labels.clear();
        scratch.labels.resize(tokens.len(), label::OUTSIDE);
        match coverage {
            Coverage::SkipQuiet => {
                features::mark_quiet(tokens, sentences, &mut scratch.plain, &mut scratch.quiet);
            }
            Coverage::Every => scratch.quiet.clear(),
        }
        let table = self.model.table();
        scratch.scores.clear();
        scratch
            .scores
            .resize(tokens.len(), [[0; N_LABELS]; MAX_STAGES]);
        scratch.extractor.extract_scored(
            tokens,
            sentences,
            &scratch.quiet,
            self.model.gazetteer(),
            table,
            &mut scratch.memo,
            &mut scratch.found,
            &mut scratch.scores,
        );
        for (stage_idx, stage) in self.model.stages().iter().enumerate() {
            if stage_idx > 0 {
                scratch.extractor.extract_consistency(
                    sentences,
                    &scratch.labels,
                    &scratch.quiet,
                    &mut scratch.stage_features,
                );
                table.add_document_scores(
                    &scratch.stage_features,
                    &mut scratch.found,
                    &mut scratch.scores,
                );
            }
            let transitions = decode::StageTransitions::new(&stage.transitions);
            for sentence in sentences {
                let Some(scores) = scratch.scores.get(sentence.clone()) else {
                    continue;
                };
                scratch.emissions.clear();
                scratch
                    .emissions
                    .extend(scores.iter().map(|scores| scores[stage_idx]));
                scratch.viterbi.decode_around_quiet(
                    &scratch.emissions,
                    scratch.quiet.get(sentence.clone()).unwrap_or_default(),
                    &transitions,
                    &mut scratch.sentence_labels,
                );
                if let Some(labels) = scratch.labels.get_mut(sentence.clone()) {
                    for (label, &decoded) in labels.iter_mut().zip(&scratch.sentence_labels) {
                        *label = decoded;
                    }
                }
            }
        }
    }

    /// The labels of every token of a document given as sentences (for training).
    pub(crate) fn document_labels(
        &self,
        tokens: &[&str],
        sentences: &[Range<usize>],
    ) -> Vec<Label> {
        with_scratch(|scratch| {
            self.label_document(scratch, tokens, sentences, Coverage::SkipQuiet);
            scratch.labels.clone()
        })
    }
}

/// Which tokens of a document tagging scores and decodes.
#[derive(Clone, Copy)]
enum Coverage {
    /// All but the quiet ones, which are labelled `O`.
    SkipQuiet,
    Every,
}

/// The tokens of `sentences` one after another, and each sentence's range of them.
fn flatten<'a, S: AsRef<str>>(sentences: &[&'a [S]]) -> (Vec<&'a str>, Vec<Range<usize>>) {
    let mut tokens: Vec<&str> =
        Vec::with_capacity(sentences.iter().map(|sentence| sentence.len()).sum());
    let mut ranges = Vec::with_capacity(sentences.len());
    for sentence in sentences {
        let start = tokens.len();
        tokens.extend(sentence.iter().map(|token| token.as_ref()));
        ranges.push(start..tokens.len());
    }
    (tokens, ranges)
}

/// How many tokens of a document tagging passes over as quiet: tokens of lowercase
/// running text, where neither the token nor any token within two of it in its sentence
/// has a capital letter or a letter of a script without case. Their features could only
/// speak for `O`; the tagger labels them `O` without scoring them and decodes the rest of
/// each sentence around them. That gives the labels of decoding every token whenever the
/// best labelling has `O` on the quiet ones, which `ner-lab eval --check-quiet` counts.
pub fn quiet_tokens<S: AsRef<str>>(sentences: &[&[S]]) -> usize {
    let (tokens, ranges) = flatten(sentences);
    let (mut plain, mut quiet) = (Vec::new(), Vec::new());
    features::mark_quiet(&tokens, &ranges, &mut plain, &mut quiet);
    quiet.iter().filter(|&&quiet| quiet).count()
}

/// Splits `tokens` into sentences (into `out`, as ranges) after each token that ends one,
/// the way [`Tagger::tag`] reads a document that comes unsplit.
pub(crate) fn split_sentences<S: AsRef<str>>(tokens: &[S], out: &mut Vec<Range<usize>>) {
    out.clear();
    let mut start = 0;
    for (idx, token) in tokens.iter().enumerate() {
        if ends_sentence(token.as_ref()) {
            out.push(start..idx + 1);
            start = idx + 1;
        }
    }
    if start < tokens.len() {
        out.push(start..tokens.len());
    }
}

fn ends_sentence(token: &str) -> bool {
    let core = token.trim_end_matches(['"', '\'', '”', '’', ')']);
    !core.is_empty()
        && core
            .chars()
            .all(|character| matches!(character, '.' | '!' | '?' | '…'))
}

/// Buffers reused across calls on one thread.
#[derive(Default)]
struct Scratch {
    extractor: Extractor,
    viterbi: Viterbi,
    emissions: Vec<[i32; N_LABELS]>,
    stage_features: features::FeatureBuf,
    /// Per token, the label scores of every stage.
    scores: Vec<model::Scores>,
    memo: memo::WordMemo,
    sentence_labels: Vec<Label>,
    /// Per feature key, its row in the model's table (see `add_document_scores`).
    found: Vec<u32>,
    labels: Vec<Label>,
    sentences: Vec<Range<usize>>,
    /// Per token: whether it is plain, and whether it is quiet (see
    /// [`features::mark_quiet`]).
    plain: Vec<bool>,
    quiet: Vec<bool>,
}

thread_local! {
    static SCRATCH: Cell<Scratch> = Cell::new(Scratch::default());
}

/// Runs `work` with this thread's scratch buffers. They are moved out for the call, so a
/// re-entrant call or one during thread teardown gets fresh buffers instead of panicking.
fn with_scratch<T>(work: impl FnOnce(&mut Scratch) -> T) -> T {
    let mut scratch = SCRATCH.try_with(Cell::take).unwrap_or_default();
    let value = work(&mut scratch);
    let _ = SCRATCH.try_with(|cell| cell.set(scratch));
    value
}

#[cfg(test)]
mod tests;

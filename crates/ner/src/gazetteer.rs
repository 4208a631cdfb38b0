//! A gazetteer of entity names seen in the training data: lowercased, digit-folded token
//! sequences with how often each was annotated as PER, LOC, ORG and MISC. Phrases are
//! stored as hashes, matched on every token span up to [`MAX_PHRASE_TOKENS`] long, with a
//! set of proper prefixes so that matching stops as soon as no phrase can continue.

use crate::conll::Document;
use crate::features::{HashMap64, HashSet64, lower_hash, mix};
use crate::label;

pub(crate) const MAX_PHRASE_TOKENS: usize = 6;
const PHRASE_SEED: u64 = 0x6A2E_77E7_0000_0001;

/// Per-type counts of phrases, keyed by phrase hash.
pub(crate) type PhraseCounts = HashMap64<[u32; 4]>;

#[derive(Default, Clone, PartialEq, Debug)]
pub(crate) struct Gazetteer {
    pub phrases: PhraseCounts,
    pub prefixes: HashSet64,
}

pub(crate) fn extend_phrase(phrase: u64, token_lower: u64) -> u64 {
    mix(phrase, token_lower)
}

impl Gazetteer {
    pub fn from_documents(documents: &[Document]) -> Gazetteer {
        let mut gazetteer = Gazetteer::default();
        for document in documents {
            for (phrase, counts) in document_phrases(document) {
                let entry = gazetteer.phrases.entry(phrase).or_default();
                for (total, count) in entry.iter_mut().zip(counts) {
                    *total += count;
                }
            }
            let mut buf = String::new();
            let mut spans = Vec::new();
            for sentence in &document.sentences {
                spans.clear();
                label::spans(&sentence.labels, 0, &mut spans);
                for span in &spans {
                    let Some(tokens) = sentence.tokens.get(span.start..span.end) else {
                        continue;
                    };
                    let mut phrase = PHRASE_SEED;
                    for token in tokens
                        .iter()
                        .take(MAX_PHRASE_TOKENS - 1)
                        .take(tokens.len() - 1)
                    {
                        phrase = extend_phrase(phrase, lower_hash(token, &mut buf));
                        gazetteer.prefixes.insert(phrase);
                    }
                }
            }
        }
        gazetteer
    }

    /// Sets, for each token of a sentence, bit `3t` if a phrase of type `t` starts there,
    /// `3t + 1` if one continues there and `3t + 2` if a one-token phrase of type `t`
    /// matches it. Counts in `exclude` are subtracted first.
    pub fn mark(&self, lowers: &[u64], exclude: Option<&PhraseCounts>, marks: &mut [u16]) {
        for start in 0..lowers.len() {
            let mut phrase = PHRASE_SEED;
            for (n_tokens, &lower) in lowers[start..].iter().take(MAX_PHRASE_TOKENS).enumerate() {
                phrase = extend_phrase(phrase, lower);
                if let Some(counts) = self.phrases.get(&phrase) {
                    let excluded = exclude.and_then(|exclude| exclude.get(&phrase));
                    for (kind, &count) in counts.iter().enumerate() {
                        let own = excluded.map_or(0, |excluded| excluded[kind]);
                        if count <= own {
                            continue;
                        }
                        let base = 3 * kind as u16;
                        if n_tokens == 0 {
                            if let Some(mark) = marks.get_mut(start) {
                                *mark |= 1 << (base + 2);
                            }
                        } else {
                            for (offset, mark) in
                                marks.iter_mut().skip(start).take(n_tokens + 1).enumerate()
                            {
                                *mark |= 1 << (base + u16::from(offset > 0));
                            }
                        }
                    }
                }
                if !self.prefixes.contains(&phrase) {
                    break;
                }
            }
        }
    }
}

/// The entity phrases annotated in one document, with their per-type counts.
pub(crate) fn document_phrases(document: &Document) -> PhraseCounts {
    let mut counts = PhraseCounts::default();
    let mut buf = String::new();
    let mut spans = Vec::new();
    for sentence in &document.sentences {
        spans.clear();
        label::spans(&sentence.labels, 0, &mut spans);
        for span in &spans {
            let Some(tokens) = sentence.tokens.get(span.start..span.end) else {
                continue;
            };
            if tokens.len() > MAX_PHRASE_TOKENS {
                continue;
            }
            let mut phrase = PHRASE_SEED;
            for token in tokens {
                phrase = extend_phrase(phrase, lower_hash(token, &mut buf));
            }
            counts.entry(phrase).or_default()[span.kind.index()] += 1;
        }
    }
    counts
}

//! Entity-level evaluation with conlleval's rules: a predicted entity counts only if its
//! start, end and type all match a gold entity.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::conll::Document;
use crate::{EntitySpan, EntityType, Tagger, label};

/// Exact-match counts for one entity type (or all of them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub true_positives: usize,
    pub false_positives: usize,
    pub false_negatives: usize,
}

impl Counts {
    pub fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives,
        )
    }

    pub fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives,
        )
    }

    pub fn f1(&self) -> f64 {
        let (precision, recall) = (self.precision(), self.recall());
        if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        }
    }

    fn add(&mut self, other: Counts) {
        self.true_positives += other.true_positives;
        self.false_positives += other.false_positives;
        self.false_negatives += other.false_negatives;
    }
}

fn ratio(numerator: usize, denominator: usize) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        numerator as f64 / denominator as f64
    }
}

/// The result of tagging an annotated corpus.
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    pub overall: Counts,
    pub per_type: BTreeMap<EntityType, Counts>,
    pub n_tokens: usize,
    /// Time spent in [`Tagger::tag_sentences`] only (not reading or scoring).
    pub tagging_time: Duration,
}

impl Evaluation {
    /// Adds one document's comparison: `gold` and `predicted` are its entities as token spans
    /// (in any order).
    pub fn score(&mut self, gold: &[EntitySpan], predicted: &[EntitySpan]) {
        for kind in EntityType::ALL {
            let counts = compare(gold, predicted, kind);
            self.per_type.entry(kind).or_default().add(counts);
            self.overall.add(counts);
        }
    }

    /// Precision, recall, F1 and the number of gold entities per type and overall, one line
    /// each under a header line.
    pub fn table(&self) -> String {
        let row = |name: &str, counts: Counts| {
            format!(
                "{:<8} {:>9.4} {:>9.4} {:>9.4} {:>7}\n",
                name,
                counts.precision(),
                counts.recall(),
                counts.f1(),
                counts.true_positives + counts.false_negatives
            )
        };
        let mut out = format!(
            "{:<8} {:>9} {:>9} {:>9} {:>7}\n",
            "type", "precision", "recall", "f1", "gold"
        );
        for kind in EntityType::ALL {
            let counts = self.per_type.get(&kind).copied().unwrap_or_default();
            out.push_str(&row(kind.name(), counts));
        }
        out.push_str(&row("overall", self.overall));
        out
    }

    pub fn tokens_per_second(&self) -> f64 {
        let seconds = self.tagging_time.as_secs_f64();
        if seconds == 0.0 {
            0.0
        } else {
            self.n_tokens as f64 / seconds
        }
    }
}

/// Tags every document (one [`Tagger::tag_sentences`] call each, on this thread) and
/// compares with the gold labels.
pub fn evaluate(tagger: &Tagger, documents: &[Document]) -> Evaluation {
    let mut evaluation = Evaluation::default();
    let mut gold = Vec::new();
    for document in documents {
        let sentences = document.sentence_tokens();
        let started = Instant::now();
        let predicted = tagger.tag_sentences(&sentences);
        evaluation.tagging_time += started.elapsed();
        evaluation.n_tokens += document.n_tokens();

        gold.clear();
        let mut offset = 0;
        for sentence in &document.sentences {
            label::spans(&sentence.labels, offset, &mut gold);
            offset += sentence.tokens.len();
        }
        evaluation.score(&gold, &predicted);
    }
    evaluation
}

fn compare(gold: &[EntitySpan], predicted: &[EntitySpan], kind: EntityType) -> Counts {
    let mut gold_spans: Vec<_> = gold.iter().filter(|span| span.kind == kind).collect();
    let mut predicted_spans: Vec<_> = predicted.iter().filter(|span| span.kind == kind).collect();
    gold_spans.sort_unstable();
    predicted_spans.sort_unstable();
    let true_positives = predicted_spans
        .iter()
        .filter(|span| gold_spans.binary_search(span).is_ok())
        .count();
    Counts {
        true_positives,
        false_positives: predicted_spans.len() - true_positives,
        false_negatives: gold_spans.len() - true_positives,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_exact_matches_only() {
        let span = |start, end, kind| EntitySpan { start, end, kind };
        let gold = [span(0, 2, EntityType::Per), span(3, 4, EntityType::Loc)];
        let predicted = [span(0, 2, EntityType::Per), span(3, 5, EntityType::Loc)];
        assert_eq!(
            compare(&gold, &predicted, EntityType::Per).true_positives,
            1
        );
        let loc = compare(&gold, &predicted, EntityType::Loc);
        assert_eq!(
            (loc.true_positives, loc.false_positives, loc.false_negatives),
            (0, 1, 1)
        );
    }

    #[test]
    fn a_score_adds_each_document_per_type_and_overall() {
        let span = |start, end, kind| EntitySpan { start, end, kind };
        let mut evaluation = Evaluation::default();
        evaluation.score(
            &[span(0, 2, EntityType::Per), span(3, 4, EntityType::Loc)],
            &[span(0, 2, EntityType::Per), span(3, 4, EntityType::Org)],
        );
        evaluation.score(&[span(1, 2, EntityType::Per)], &[]);
        let per = evaluation.per_type[&EntityType::Per];
        assert_eq!(
            (per.true_positives, per.false_positives, per.false_negatives),
            (1, 0, 1)
        );
        let overall = evaluation.overall;
        assert_eq!(
            (
                overall.true_positives,
                overall.false_positives,
                overall.false_negatives
            ),
            (1, 1, 2)
        );
        let table = evaluation.table();
        assert!(
            table
                .lines()
                .any(|line| line.starts_with("PER") && line.ends_with(" 2")),
            "{table}"
        );
        assert!(
            table.lines().any(|line| line.starts_with("overall")),
            "{table}"
        );
    }
}

//! `analyze-lab entities --conll FILE`: the entities copydesk exports, scored against a
//! CoNLL-2003 file.
//!
//! `ner-lab eval` scores the tagger alone. This scores what an article's record holds after
//! the whole analysis (`analyze::analyze`): the tagger's spans trimmed and extended, the
//! gazetteer's additions and kinds, the spans dropped as no names, and the speakers the quote
//! attributor adds. Each CoNLL document becomes one article, each sentence one paragraph (its
//! tokens joined by single spaces), so every token keeps a known code-point range.
//!
//! A predicted entity is every mention of every entity of the record, typed by its entity's
//! kind (person PER, organization ORG, place LOC, other MISC). It counts when its start, end
//! and type match a gold entity's (conlleval's rule); a mention that does not start and end
//! on token boundaries matches nothing. Dates are resolved against 1996-08-30, in the weeks
//! the corpus covers (it changes no entity).

use std::collections::BTreeMap;
use std::error::Error;
use std::path::Path;

use article::{Article, EntityKind};
use ner::eval::Counts;
use ner::{EntitySpan, EntityType};

/// The scores over a corpus.
#[derive(Debug, Default)]
pub struct Report {
    per_type: BTreeMap<&'static str, Counts>,
    overall: Counts,
    n_documents: usize,
    /// Predicted mentions that do not start and end on token boundaries.
    n_unaligned: usize,
}

fn type_name(kind: EntityType) -> &'static str {
    match kind {
        EntityType::Per => "PER",
        EntityType::Loc => "LOC",
        EntityType::Org => "ORG",
        EntityType::Misc => "MISC",
    }
}

fn type_of(kind: EntityKind) -> EntityType {
    match kind {
        EntityKind::Person => EntityType::Per,
        EntityKind::Place => EntityType::Loc,
        EntityKind::Organization => EntityType::Org,
        EntityKind::Other => EntityType::Misc,
    }
}

/// Scores every document of the CoNLL file at `path`; with `errors`, prints each missed and
/// each wrong entity to stderr.
pub fn evaluate(path: &Path, errors: bool) -> Result<Report, Box<dyn Error>> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
    let documents =
        ner::conll::parse(&text).map_err(|error| format!("{}: {error}", path.display()))?;
    let mut report = Report::default();
    for kind in EntityType::ALL {
        report.per_type.insert(type_name(kind), Counts::default());
    }
    let options = analyze::Options {
        reference_date: Some("1996-08-30".to_string()),
    };
    for document in &documents {
        report.n_documents += 1;
        let mut article = Article::new(format!("conll-{}", report.n_documents));
        // Per paragraph: the global index of its first token, and each token's code-point
        // start and end.
        let mut bounds: Vec<(usize, Vec<(usize, usize)>)> = Vec::new();
        let mut gold = Vec::new();
        let mut offset = 0;
        for sentence in &document.sentences {
            let mut paragraph = String::new();
            let mut tokens = Vec::with_capacity(sentence.tokens.len());
            let mut chars = 0;
            for token in &sentence.tokens {
                if !paragraph.is_empty() {
                    paragraph.push(' ');
                    chars += 1;
                }
                let length = token.chars().count();
                tokens.push((chars, chars + length));
                paragraph.push_str(token);
                chars += length;
            }
            gold.extend(sentence.entities(offset));
            bounds.push((offset, tokens));
            offset += sentence.tokens.len();
            article.paragraphs.push(paragraph);
        }
        analyze::analyze(&mut article, &options);
        let mut predicted = Vec::new();
        for entity in &article.entities {
            for mention in &entity.mentions {
                let span = bounds
                    .get(mention.span.paragraph)
                    .and_then(|(first, tokens)| {
                        let start = tokens
                            .iter()
                            .position(|&(start, _)| start == mention.span.start)?;
                        let end = tokens
                            .iter()
                            .position(|&(_, end)| end == mention.span.end)?;
                        (start <= end).then(|| EntitySpan {
                            start: first + start,
                            end: first + end + 1,
                            kind: type_of(entity.kind),
                        })
                    });
                match span {
                    Some(span) => predicted.push(span),
                    None => {
                        report.n_unaligned += 1;
                        if errors {
                            eprintln!("unaligned {:?} {:?}", entity.kind, mention.text);
                        }
                    }
                }
            }
        }
        predicted.sort_unstable();
        predicted.dedup();
        gold.sort_unstable();
        for kind in EntityType::ALL {
            let gold_of: Vec<&EntitySpan> = gold.iter().filter(|span| span.kind == kind).collect();
            let predicted_of: Vec<&EntitySpan> =
                predicted.iter().filter(|span| span.kind == kind).collect();
            let true_positives = predicted_of
                .iter()
                .filter(|span| gold_of.binary_search(span).is_ok())
                .count();
            if errors {
                let words = |span: &EntitySpan| {
                    document
                        .sentences
                        .iter()
                        .flat_map(|sentence| sentence.tokens.iter())
                        .skip(span.start)
                        .take(span.end - span.start)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(" ")
                };
                for span in predicted_of
                    .iter()
                    .filter(|span| gold_of.binary_search(span).is_err())
                {
                    eprintln!("wrong  {} {:?}", type_name(kind), words(span));
                }
                for span in gold_of
                    .iter()
                    .filter(|span| predicted_of.binary_search(span).is_err())
                {
                    eprintln!("missed {} {:?}", type_name(kind), words(span));
                }
            }
            let counts = Counts {
                true_positives,
                false_positives: predicted_of.len() - true_positives,
                false_negatives: gold_of.len() - true_positives,
            };
            for total in [
                report.per_type.entry(type_name(kind)).or_default(),
                &mut report.overall,
            ] {
                total.true_positives += counts.true_positives;
                total.false_positives += counts.false_positives;
                total.false_negatives += counts.false_negatives;
            }
        }
    }
    Ok(report)
}

impl Report {
    /// The table: precision, recall and F1 per type and overall.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{} documents, each sentence a paragraph, analysed whole (analyze::analyze)\n",
            self.n_documents
        );
        out.push_str(&format!(
            "{:<8} {:>9} {:>9} {:>9} {:>7}\n",
            "type", "precision", "recall", "f1", "gold"
        ));
        let row = |name: &str, counts: &Counts| {
            format!(
                "{:<8} {:>9.4} {:>9.4} {:>9.4} {:>7}\n",
                name,
                counts.precision(),
                counts.recall(),
                counts.f1(),
                counts.true_positives + counts.false_negatives
            )
        };
        for name in ["PER", "LOC", "ORG", "MISC"] {
            if let Some(counts) = self.per_type.get(name) {
                out.push_str(&row(name, counts));
            }
        }
        out.push_str(&row("overall", &self.overall));
        out.push_str(&format!(
            "mentions not on token boundaries (counted as wrong): {}\n",
            self.n_unaligned
        ));
        out
    }

    /// One JSON line with the figures.
    pub fn json(&self) -> String {
        let scores = |counts: &Counts| {
            serde_json::json!({
                "precision": (counts.precision() * 10_000.0).round() / 10_000.0,
                "recall": (counts.recall() * 10_000.0).round() / 10_000.0,
                "f1": (counts.f1() * 10_000.0).round() / 10_000.0,
            })
        };
        let per_type: serde_json::Map<String, serde_json::Value> = self
            .per_type
            .iter()
            .map(|(name, counts)| (name.to_string(), scores(counts)))
            .collect();
        serde_json::json!({
            "overall": scores(&self.overall),
            "per_type": per_type,
            "n_documents": self.n_documents,
            "n_unaligned": self.n_unaligned,
        })
        .to_string()
    }
}

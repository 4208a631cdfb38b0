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

use std::error::Error;
use std::path::Path;

use article::{Article, EntityKind};
use ner::eval::Evaluation;
use ner::{EntitySpan, EntityType};

/// The scores over a corpus.
#[derive(Debug, Default)]
pub struct Report {
    evaluation: Evaluation,
    n_documents: usize,
    /// Predicted mentions that do not start and end on token boundaries.
    n_unaligned: usize,
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
        report.evaluation.score(&gold, &predicted);
        if errors {
            let words = |span: &EntitySpan| {
                let tokens = document
                    .sentences
                    .iter()
                    .flat_map(|sentence| &sentence.tokens);
                let words: Vec<&str> = tokens
                    .skip(span.start)
                    .take(span.end - span.start)
                    .map(String::as_str)
                    .collect();
                words.join(" ")
            };
            for span in predicted
                .iter()
                .filter(|span| gold.binary_search(span).is_err())
            {
                eprintln!("wrong  {} {:?}", span.kind.name(), words(span));
            }
            for span in gold
                .iter()
                .filter(|span| predicted.binary_search(span).is_err())
            {
                eprintln!("missed {} {:?}", span.kind.name(), words(span));
            }
        }
    }
    Ok(report)
}

impl Report {
    /// The table: precision, recall and F1 per type and overall.
    pub fn table(&self) -> String {
        format!(
            "{} documents, each sentence a paragraph, analysed whole (analyze::analyze)\n{}\
             mentions not on token boundaries (counted as wrong): {}\n",
            self.n_documents,
            self.evaluation.table(),
            self.n_unaligned
        )
    }

    /// One JSON line with the figures.
    pub fn json(&self) -> String {
        let scores = |counts: &ner::eval::Counts| {
            serde_json::json!({
                "precision": (counts.precision() * 10_000.0).round() / 10_000.0,
                "recall": (counts.recall() * 10_000.0).round() / 10_000.0,
                "f1": (counts.f1() * 10_000.0).round() / 10_000.0,
            })
        };
        let per_type: serde_json::Map<String, serde_json::Value> = EntityType::ALL
            .iter()
            .map(|kind| {
                let counts = self
                    .evaluation
                    .per_type
                    .get(kind)
                    .copied()
                    .unwrap_or_default();
                (kind.name().to_string(), scores(&counts))
            })
            .collect();
        serde_json::json!({
            "overall": scores(&self.evaluation.overall),
            "per_type": per_type,
            "n_documents": self.n_documents,
            "n_unaligned": self.n_unaligned,
        })
        .to_string()
    }
}

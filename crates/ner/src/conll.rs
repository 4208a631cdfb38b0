//! Reader for the CoNLL-2003 column format.
//!
//! One token per line, `token POS chunk NER`, blank lines between sentences and a
//! `-DOCSTART-` line at the start of each document. Only the first and last columns
//! are read: copydesk has raw text at run time, so POS and chunk tags must not become
//! features. The NER column may be IOB2 (`B-` starts every entity) or IOB1 (`B-` only
//! between two adjacent entities of the same type); both are converted to BILOU.

use crate::label::{self, Label};

/// A sentence with its gold annotation.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    pub tokens: Vec<String>,
    /// One BILOU label per token (see `label.rs`).
    pub(crate) labels: Vec<Label>,
}

impl Sentence {
    /// The gold entities, as token spans shifted by `offset`.
    pub fn entities(&self, offset: usize) -> Vec<crate::EntitySpan> {
        let mut spans = Vec::new();
        label::spans(&self.labels, offset, &mut spans);
        spans
    }
}

/// A document: sentences that share the document-level features.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub sentences: Vec<Sentence>,
}

impl Document {
    /// The tokens of each sentence, as [`crate::Tagger::tag_sentences`] takes them.
    pub fn sentence_tokens(&self) -> Vec<&[String]> {
        self.sentences
            .iter()
            .map(|sentence| sentence.tokens.as_slice())
            .collect()
    }

    pub fn n_tokens(&self) -> usize {
        self.sentences
            .iter()
            .map(|sentence| sentence.tokens.len())
            .sum()
    }
}

/// Why a CoNLL file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConllError {
    #[error("line {line}: expected at least two columns (token and ner tag)")]
    MissingColumn { line: usize },
    #[error("line {line}: unknown ner tag {tag:?}")]
    UnknownTag { line: usize, tag: String },
}

/// Parses a whole CoNLL file. Text before the first `-DOCSTART-` forms its own document,
/// so files without document markers are read as one document.
pub fn parse(text: &str) -> Result<Vec<Document>, ConllError> {
    let mut documents = Vec::new();
    let mut document = Document::default();
    let mut sentence = Sentence::default();
    let mut tags = Vec::new();
    for (line_idx, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush_sentence(&mut document, &mut sentence, &mut tags);
            continue;
        }
        let mut columns = line.split_whitespace();
        let token = columns.next().unwrap_or_default();
        if token == "-DOCSTART-" {
            flush_sentence(&mut document, &mut sentence, &mut tags);
            if !document.sentences.is_empty() {
                documents.push(std::mem::take(&mut document));
            }
            continue;
        }
        let tag = columns
            .last()
            .ok_or(ConllError::MissingColumn { line: line_idx + 1 })?;
        let parsed = label::parse_iob(tag).ok_or_else(|| ConllError::UnknownTag {
            line: line_idx + 1,
            tag: tag.to_string(),
        })?;
        sentence.tokens.push(token.to_string());
        tags.push(parsed);
    }
    flush_sentence(&mut document, &mut sentence, &mut tags);
    if !document.sentences.is_empty() {
        documents.push(document);
    }
    Ok(documents)
}

fn flush_sentence(document: &mut Document, sentence: &mut Sentence, tags: &mut Vec<label::IobTag>) {
    if sentence.tokens.is_empty() {
        return;
    }
    sentence.labels = label::from_iob(tags);
    tags.clear();
    document.sentences.push(std::mem::take(sentence));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::EntityType;
    use crate::label::Part;

    #[test]
    fn reads_documents_and_converts_iob1() {
        let text = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\n\n\
                    -DOCSTART- -X- -X- O\n\nPeter NNP B-NP I-PER\nBlackburn NNP I-NP I-PER\n\
                    Smith NNP I-NP B-PER\n";
        let documents = parse(text).unwrap();
        assert_eq!(documents.len(), 2);
        let labels = &documents[1].sentences[0].labels;
        assert_eq!(labels[0], label::label(EntityType::Per, Part::Begin));
        assert_eq!(labels[1], label::label(EntityType::Per, Part::Last));
        assert_eq!(labels[2], label::label(EntityType::Per, Part::Unit));
        assert_eq!(
            documents[0].sentences[0].labels[0],
            label::label(EntityType::Org, Part::Unit)
        );
    }

    #[test]
    fn unknown_tag_is_an_error() {
        assert!(matches!(
            parse("x NN B-NP B-FOO\n"),
            Err(ConllError::UnknownTag { line: 1, .. })
        ));
    }
}

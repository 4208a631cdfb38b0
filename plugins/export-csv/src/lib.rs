//! Writes three CSV files for spreadsheets and pandas: `articles.csv` (one row per article),
//! `quotes.csv` (one row per quote) and `entities.csv` (one row per entity of an article).
//!
//! RFC 4180 through the `csv` crate: UTF-8 without a byte-order mark, a header row, `\r\n`
//! line ends, and any field holding a comma, a quote or a line break quoted. Lists inside one
//! field (aliases, titles, top people) are joined with `"; "`. Offsets count code points, as
//! everywhere in copydesk. Each file is written under a temporary name and renamed at finish.

use std::collections::BTreeMap;

use plugin_api::article::{Article, EntityKind, Quote, QuoteKind, Span};
use plugin_api::{AtomicFile, ExportContext, Exporter, PluginError, Record};
use serde::Deserialize;

/// Options of the `csv` exporter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Classifier whose top label fills the `language` column.
    #[serde(default = "default_language")]
    pub language_classifier: String,
    /// Classifier whose top label fills the `topic` column.
    #[serde(default = "default_topic")]
    pub topic_classifier: String,
    /// Classifier whose top label gives the `tone` column (its `extra.tone`, else its score).
    #[serde(default = "default_tone")]
    pub tone_classifier: String,
    /// How many people the `top_people` column names (most mentioned first).
    #[serde(default = "default_top_people")]
    pub top_people: usize,
}

fn default_language() -> String {
    "language".to_string()
}

fn default_topic() -> String {
    "topic".to_string()
}

fn default_tone() -> String {
    "tone".to_string()
}

fn default_top_people() -> usize {
    3
}

const ARTICLES_HEADER: &[&str] = &[
    "id",
    "source_path",
    "source_line",
    "source_url",
    "publisher",
    "headline",
    "published",
    "language",
    "topic",
    "tone",
    "n_paragraphs",
    "n_words",
    "n_quotes",
    "n_people",
    "n_places",
    "n_organizations",
    "top_people",
];

const QUOTES_HEADER: &[&str] = &[
    "article_id",
    "quote_idx",
    "kind",
    "speaker",
    "speaker_entity",
    "speaker_title",
    "addressee",
    "addressee_entity",
    "cue",
    "text",
    "paragraph",
    "start",
    "end",
    "spans",
    "confidence",
    "rule",
];

const ENTITIES_HEADER: &[&str] = &[
    "article_id",
    "entity_id",
    "kind",
    "name",
    "aliases",
    "titles",
    "n_mentions",
];

/// The exporter.
pub struct Csv {
    options: Options,
    articles: Option<csv::Writer<AtomicFile>>,
    quotes: Option<csv::Writer<AtomicFile>>,
    entities: Option<csv::Writer<AtomicFile>>,
}

impl Exporter for Csv {
    const NAME: &'static str = "csv";
    const DESCRIPTION: &'static str = "articles.csv, quotes.csv and entities.csv (RFC 4180)";
    type Options = Options;

    fn open(context: ExportContext, options: Options) -> Result<Self, PluginError> {
        let open = |name: &str, header: &[&str]| -> Result<csv::Writer<AtomicFile>, PluginError> {
            let file = AtomicFile::create(context.out_dir.join(name))?;
            let mut writer = csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(file);
            writer.write_record(header).map_err(csv_error)?;
            Ok(writer)
        };
        Ok(Csv {
            articles: Some(open("articles.csv", ARTICLES_HEADER)?),
            quotes: Some(open("quotes.csv", QUOTES_HEADER)?),
            entities: Some(open("entities.csv", ENTITIES_HEADER)?),
            options,
        })
    }

    fn write(&mut self, record: &Record<'_>) -> Result<(), PluginError> {
        let article = record.article()?;
        self.write_article(article)?;
        let titles: BTreeMap<&str, String> = article
            .entities
            .iter()
            .map(|entity| (entity.id.as_str(), entity.titles.join("; ")))
            .collect();
        for (quote_idx, quote) in article.quotes.iter().enumerate() {
            self.write_quote(&article.id, quote_idx, quote, &titles)?;
        }
        let entities = open_writer(&mut self.entities)?;
        for entity in &article.entities {
            entities
                .write_record([
                    article.id.as_str(),
                    entity.id.as_str(),
                    entity.kind.as_str(),
                    entity.name.as_str(),
                    &entity.aliases.join("; "),
                    &entity.titles.join("; "),
                    &entity.mentions.len().to_string(),
                ])
                .map_err(csv_error)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), PluginError> {
        for slot in [&mut self.articles, &mut self.quotes, &mut self.entities] {
            let Some(writer) = slot.take() else { continue };
            let mut file = writer.into_inner().map_err(|error| {
                PluginError::new(format!("cannot write CSV: {}", error.error()))
            })?;
            file.commit()?;
        }
        Ok(())
    }
}

impl Csv {
    fn write_article(&mut self, article: &Article) -> Result<(), PluginError> {
        let count = |kind: EntityKind| {
            article
                .entities
                .iter()
                .filter(|entity| entity.kind == kind)
                .count()
                .to_string()
        };
        let mut people: Vec<(&str, usize)> = article
            .entities
            .iter()
            .filter(|entity| entity.kind == EntityKind::Person)
            .map(|entity| (entity.name.as_str(), entity.mentions.len()))
            .collect();
        // Most mentioned first; ties in order of first appearance (the sort is stable).
        people.sort_by_key(|(_, n_mentions)| std::cmp::Reverse(*n_mentions));
        let top_people: Vec<&str> = people
            .iter()
            .take(self.options.top_people)
            .map(|(name, _)| *name)
            .collect();
        let source = &article.source;
        open_writer(&mut self.articles)?
            .write_record([
                article.id.as_str(),
                source.path.as_deref().unwrap_or_default(),
                &source.line.map(|line| line.to_string()).unwrap_or_default(),
                source.url.as_deref().unwrap_or_default(),
                source.publisher.as_deref().unwrap_or_default(),
                article.headline.as_str(),
                article.published.as_deref().unwrap_or_default(),
                article
                    .top_value(&self.options.language_classifier)
                    .unwrap_or_default(),
                article
                    .top_value(&self.options.topic_classifier)
                    .unwrap_or_default(),
                &article
                    .tone(&self.options.tone_classifier)
                    .map(|tone| tone.to_string())
                    .unwrap_or_default(),
                &article.paragraphs.len().to_string(),
                &article.n_words().to_string(),
                &article.quotes.len().to_string(),
                &count(EntityKind::Person),
                &count(EntityKind::Place),
                &count(EntityKind::Organization),
                &top_people.join("; "),
            ])
            .map_err(csv_error)
    }

    fn write_quote(
        &mut self,
        article_id: &str,
        quote_idx: usize,
        quote: &Quote,
        titles: &BTreeMap<&str, String>,
    ) -> Result<(), PluginError> {
        let speaker_title = quote
            .speaker
            .as_ref()
            .and_then(|speaker| titles.get(speaker.entity.as_str()))
            .cloned()
            .unwrap_or_default();
        let first = quote.spans.first();
        let last = quote.spans.last();
        let number = |value: Option<usize>| value.map(|n| n.to_string()).unwrap_or_default();
        open_writer(&mut self.quotes)?
            .write_record([
                article_id,
                &quote_idx.to_string(),
                match quote.kind {
                    QuoteKind::Direct => "direct",
                    QuoteKind::Indirect => "indirect",
                },
                quote
                    .speaker
                    .as_ref()
                    .map_or("", |speaker| speaker.name.as_str()),
                quote
                    .speaker
                    .as_ref()
                    .map_or("", |speaker| speaker.entity.as_str()),
                &speaker_title,
                quote
                    .addressee
                    .as_ref()
                    .map_or("", |addressee| addressee.name.as_str()),
                quote
                    .addressee
                    .as_ref()
                    .map_or("", |addressee| addressee.entity.as_str()),
                quote.cue.as_deref().unwrap_or_default(),
                quote.text.as_str(),
                &number(first.map(|span| span.paragraph)),
                &number(first.map(|span| span.start)),
                // `end` is in the last paragraph the quote covers; `spans` lists them all.
                &number(last.map(|span| span.end)),
                &spans_text(&quote.spans),
                &quote.confidence.to_string(),
                quote.rule.as_str(),
            ])
            .map_err(csv_error)
    }
}

fn open_writer(
    slot: &mut Option<csv::Writer<AtomicFile>>,
) -> Result<&mut csv::Writer<AtomicFile>, PluginError> {
    slot.as_mut()
        .ok_or_else(|| PluginError::new("the CSV files are already closed"))
}

/// `0:10-52 1:0-31`: paragraph, start and end of every span.
fn spans_text(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|span| format!("{}:{}-{}", span.paragraph, span.start, span.end))
        .collect::<Vec<_>>()
        .join(" ")
}

fn csv_error(error: csv::Error) -> PluginError {
    PluginError::new(format!("cannot write CSV: {error}"))
}

plugin_api::export_exporter!(Csv);

#[cfg(test)]
mod tests {
    use super::*;

    fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
        result.unwrap_or_else(|error| panic!("{error}"))
    }

    /// Exports `tests/fixtures/exporters/annotated.jsonl` (the full model) into a fresh folder.
    fn export_annotated() -> tempfile::TempDir {
        let fixture = ok(std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/exporters/annotated.jsonl"
        )));
        let dir = ok(tempfile::tempdir());
        let context = ExportContext {
            out_dir: dir.path().to_path_buf(),
        };
        let mut exporter = ok(Csv::open(context, ok(serde_json::from_str("{}"))));
        for line in fixture.lines() {
            ok(exporter.write(&Record::new(line.as_bytes())));
        }
        ok(exporter.finish());
        dir
    }

    #[test]
    fn annotated_articles_become_three_csv_files() {
        let dir = export_annotated();
        for file in ["articles.csv", "quotes.csv", "entities.csv"] {
            let text = ok(std::fs::read_to_string(dir.path().join(file)));
            insta::assert_snapshot!(file, text);
        }
    }

    #[test]
    fn embedded_line_breaks_and_quotes_survive_a_csv_reader() {
        let dir = export_annotated();
        let mut reader = ok(csv::Reader::from_path(dir.path().join("articles.csv")));
        let headlines: Vec<String> = reader.records().map(|row| ok(row)[5].to_string()).collect();
        assert_eq!(
            headlines[1],
            "River bridge to close for summer repairs; ferry to run, \"safest choice\" says mayor"
        );
        let mut reader = ok(csv::Reader::from_path(dir.path().join("quotes.csv")));
        assert_eq!(reader.records().count(), 10);
    }

    #[test]
    fn unknown_options_are_refused() {
        let error = serde_json::from_str::<Options>(r#"{"delimiter": ";"}"#)
            .err()
            .map(|error| error.to_string())
            .unwrap_or_default();
        assert!(error.contains("delimiter"), "{error}");
    }
}

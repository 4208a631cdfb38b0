//! Writes `articles.parquet` (one row per article, with its paragraphs, labels, entities, dates
//! and credits as nested lists) and `quotes.parquet` (one row per quote, with its spans as a
//! list), readable by pyarrow, pandas, polars and DuckDB.
//!
//! Memory is bounded: articles are gathered into columns `row_group_size` at a time, and each
//! such batch is written out as one row group. Both files are written under temporary names
//! and renamed at finish. Snappy compression.

use std::sync::Arc;

use arrow::array::{
    Array, ArrayRef, Date32Array, Float64Array, ListArray, StringArray, StructArray, UInt32Array,
    UInt64Array,
};
use arrow::buffer::OffsetBuffer;
use arrow::datatypes::{Field, Fields};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use plugin_api::article::{Article, QuoteKind};
use plugin_api::{AtomicFile, ExportContext, Exporter, PluginError, Record};
use serde::Deserialize;

/// Options of the `parquet` exporter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Articles per row group: the most the exporter holds in memory at once.
    #[serde(default = "default_row_group_size")]
    pub row_group_size: usize,
    /// Classifier whose top label fills `language`.
    #[serde(default = "default_language")]
    pub language_classifier: String,
    /// Classifier whose top label fills `topic`.
    #[serde(default = "default_topic")]
    pub topic_classifier: String,
    /// Classifier whose top label gives `tone` (its `extra.tone`, else its score).
    #[serde(default = "default_tone")]
    pub tone_classifier: String,
}

fn default_row_group_size() -> usize {
    4096
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

/// The exporter.
pub struct Parquet {
    options: Options,
    articles: Option<ArrowWriter<AtomicFile>>,
    quotes: Option<ArrowWriter<AtomicFile>>,
    article_rows: ArticleColumns,
    quote_rows: QuoteColumns,
}

impl Exporter for Parquet {
    const NAME: &'static str = "parquet";
    const DESCRIPTION: &'static str = "articles.parquet and quotes.parquet, nested lists";
    type Options = Options;

    fn open(context: ExportContext, options: Options) -> Result<Self, PluginError> {
        if options.row_group_size == 0 {
            return Err(PluginError::new(
                "option `row_group_size` must be at least 1",
            ));
        }
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!(
                "copydesk export-parquet {}",
                env!("CARGO_PKG_VERSION")
            ))
            .build();
        let open =
            |name: &str, empty: RecordBatch| -> Result<ArrowWriter<AtomicFile>, PluginError> {
                let file = AtomicFile::create(context.out_dir.join(name))?;
                ArrowWriter::try_new(file, empty.schema(), Some(properties.clone()))
                    .map_err(|error| parquet_error(name, &error))
            };
        Ok(Parquet {
            articles: Some(open(
                "articles.parquet",
                ArticleColumns::default().take_batch()?,
            )?),
            quotes: Some(open(
                "quotes.parquet",
                QuoteColumns::default().take_batch()?,
            )?),
            options,
            article_rows: ArticleColumns::default(),
            quote_rows: QuoteColumns::default(),
        })
    }

    fn write(&mut self, record: &Record<'_>) -> Result<(), PluginError> {
        let article = record.article()?;
        self.article_rows.push(article, &self.options);
        self.quote_rows.push(article);
        if self.article_rows.len() >= self.options.row_group_size {
            self.flush()?;
        }
        Ok(())
    }

    fn finish(&mut self) -> Result<(), PluginError> {
        self.flush()?;
        for (name, writer) in [
            ("articles.parquet", self.articles.take()),
            ("quotes.parquet", self.quotes.take()),
        ] {
            let Some(writer) = writer else { continue };
            let mut file = writer
                .into_inner()
                .map_err(|error| parquet_error(name, &error))?;
            file.commit()?;
        }
        Ok(())
    }
}

impl Parquet {
    /// Writes the gathered rows as one row group in each file.
    fn flush(&mut self) -> Result<(), PluginError> {
        if self.article_rows.len() > 0 {
            let batch = self.article_rows.take_batch()?;
            write_group("articles.parquet", self.articles.as_mut(), &batch)?;
        }
        if self.quote_rows.len() > 0 {
            let batch = self.quote_rows.take_batch()?;
            write_group("quotes.parquet", self.quotes.as_mut(), &batch)?;
        }
        Ok(())
    }
}

fn write_group(
    name: &str,
    writer: Option<&mut ArrowWriter<AtomicFile>>,
    batch: &RecordBatch,
) -> Result<(), PluginError> {
    let writer = writer.ok_or_else(|| PluginError::new(format!("{name} is already closed")))?;
    writer
        .write(batch)
        .map_err(|error| parquet_error(name, &error))?;
    writer.flush().map_err(|error| parquet_error(name, &error))
}

/// Columns of `articles.parquet`, gathered for one row group.
#[derive(Default)]
struct ArticleColumns {
    id: Vec<String>,
    source_path: Vec<Option<String>>,
    source_line: Vec<Option<u64>>,
    source_url: Vec<Option<String>>,
    publisher: Vec<Option<String>>,
    headline: Vec<String>,
    published: Vec<Option<i32>>,
    byline: Strings,
    dateline: Vec<Option<String>>,
    paragraphs: Strings,
    language: Vec<Option<String>>,
    topic: Vec<Option<String>>,
    tone: Vec<Option<f64>>,
    n_words: Vec<u64>,
    n_quotes: Vec<u32>,
    labels: Labels,
    entities: Entities,
    dates: Dates,
    credits: Credits,
}

impl ArticleColumns {
    fn len(&self) -> usize {
        self.id.len()
    }

    fn push(&mut self, article: &Article, options: &Options) {
        let top = |classifier: &str| article.top_value(classifier).map(str::to_string);
        self.id.push(article.id.clone());
        self.source_path.push(article.source.path.clone());
        self.source_line.push(article.source.line);
        self.source_url.push(article.source.url.clone());
        self.publisher.push(article.source.publisher.clone());
        self.headline.push(article.headline.clone());
        self.published
            .push(article.published.as_deref().and_then(days_since_epoch));
        self.byline.push(article.byline.iter().cloned());
        self.dateline.push(
            article
                .dateline
                .as_ref()
                .map(|dateline| dateline.text.clone()),
        );
        self.paragraphs.push(article.paragraphs.iter().cloned());
        self.language.push(top(&options.language_classifier));
        self.topic.push(top(&options.topic_classifier));
        self.tone.push(article.tone(&options.tone_classifier));
        self.n_words.push(article.n_words() as u64);
        self.n_quotes.push(article.quotes.len() as u32);
        self.labels.push(article);
        self.entities.push(article);
        self.dates.push(article);
        self.credits.push(article);
    }

    fn take_batch(&mut self) -> Result<RecordBatch, PluginError> {
        let columns = std::mem::take(self);
        batch([
            ("id", strings(columns.id)),
            ("source_path", optional_strings(columns.source_path)),
            ("source_line", array(UInt64Array::from(columns.source_line))),
            ("source_url", optional_strings(columns.source_url)),
            ("publisher", optional_strings(columns.publisher)),
            ("headline", strings(columns.headline)),
            ("published", array(Date32Array::from(columns.published))),
            ("byline", columns.byline.finish()),
            ("dateline", optional_strings(columns.dateline)),
            ("paragraphs", columns.paragraphs.finish()),
            ("language", optional_strings(columns.language)),
            ("topic", optional_strings(columns.topic)),
            ("tone", array(Float64Array::from(columns.tone))),
            ("n_words", array(UInt64Array::from(columns.n_words))),
            ("n_quotes", array(UInt32Array::from(columns.n_quotes))),
            ("labels", columns.labels.finish()),
            ("entities", columns.entities.finish()),
            ("dates", columns.dates.finish()),
            ("credits", columns.credits.finish()),
        ])
        .map_err(|error| PluginError::new(format!("articles.parquet: {error}")))
    }
}

/// Columns of `quotes.parquet`.
#[derive(Default)]
struct QuoteColumns {
    article_id: Vec<String>,
    quote_idx: Vec<u32>,
    kind: Vec<&'static str>,
    text: Vec<String>,
    cue: Vec<Option<String>>,
    speaker: Vec<Option<String>>,
    speaker_entity: Vec<Option<String>>,
    speaker_titles: Strings,
    addressee: Vec<Option<String>>,
    addressee_entity: Vec<Option<String>>,
    confidence: Vec<f64>,
    rule: Vec<String>,
    spans: Spans,
}

impl QuoteColumns {
    fn len(&self) -> usize {
        self.article_id.len()
    }

    fn push(&mut self, article: &Article) {
        for (quote_idx, quote) in article.quotes.iter().enumerate() {
            let speaker = quote.speaker.as_ref();
            let addressee = quote.addressee.as_ref();
            let titles = speaker
                .and_then(|speaker| {
                    article
                        .entities
                        .iter()
                        .find(|entity| entity.id == speaker.entity)
                })
                .map(|entity| entity.titles.as_slice())
                .unwrap_or_default();
            self.article_id.push(article.id.clone());
            self.quote_idx.push(quote_idx as u32);
            self.kind.push(match quote.kind {
                QuoteKind::Direct => "direct",
                QuoteKind::Indirect => "indirect",
            });
            self.text.push(quote.text.clone());
            self.cue.push(quote.cue.clone());
            self.speaker
                .push(speaker.map(|speaker| speaker.name.clone()));
            self.speaker_entity
                .push(speaker.map(|speaker| speaker.entity.clone()));
            self.speaker_titles.push(titles.iter().cloned());
            self.addressee
                .push(addressee.map(|addressee| addressee.name.clone()));
            self.addressee_entity
                .push(addressee.map(|addressee| addressee.entity.clone()));
            self.confidence.push(quote.confidence);
            self.rule.push(quote.rule.clone());
            self.spans.push(
                quote
                    .spans
                    .iter()
                    .map(|span| (span.paragraph, span.start, span.end)),
            );
        }
    }

    fn take_batch(&mut self) -> Result<RecordBatch, PluginError> {
        let columns = std::mem::take(self);
        batch([
            ("article_id", strings(columns.article_id)),
            ("quote_idx", array(UInt32Array::from(columns.quote_idx))),
            ("kind", array(StringArray::from(columns.kind))),
            ("text", strings(columns.text)),
            ("cue", optional_strings(columns.cue)),
            ("speaker", optional_strings(columns.speaker)),
            ("speaker_entity", optional_strings(columns.speaker_entity)),
            ("speaker_titles", columns.speaker_titles.finish()),
            ("addressee", optional_strings(columns.addressee)),
            (
                "addressee_entity",
                optional_strings(columns.addressee_entity),
            ),
            ("confidence", array(Float64Array::from(columns.confidence))),
            ("rule", strings(columns.rule)),
            ("spans", columns.spans.finish()),
        ])
        .map_err(|error| PluginError::new(format!("quotes.parquet: {error}")))
    }
}

/// A list-of-strings column: every row's items end to end, and each row's length.
#[derive(Default)]
struct Strings {
    values: Vec<String>,
    lengths: Vec<usize>,
}

impl Strings {
    fn push(&mut self, items: impl Iterator<Item = String>) {
        let before = self.values.len();
        self.values.extend(items);
        self.lengths.push(self.values.len() - before);
    }

    fn finish(self) -> ArrayRef {
        list(strings(self.values), &self.lengths)
    }
}

/// `labels: list<struct<classifier, rank, value, score>>`, every classifier's labels best first.
#[derive(Default)]
struct Labels {
    classifier: Vec<String>,
    rank: Vec<u32>,
    value: Vec<String>,
    score: Vec<f64>,
    lengths: Vec<usize>,
}

impl Labels {
    fn push(&mut self, article: &Article) {
        let before = self.value.len();
        for (classifier, labels) in &article.labels {
            for (rank, label) in labels.iter().enumerate() {
                self.classifier.push(classifier.clone());
                self.rank.push(rank as u32);
                self.value.push(label.value.clone());
                self.score.push(label.score);
            }
        }
        self.lengths.push(self.value.len() - before);
    }

    fn finish(self) -> ArrayRef {
        let items = structure([
            ("classifier", strings(self.classifier)),
            ("rank", array(UInt32Array::from(self.rank))),
            ("value", strings(self.value)),
            ("score", array(Float64Array::from(self.score))),
        ]);
        list(items, &self.lengths)
    }
}

/// `entities: list<struct<id, kind, name, aliases: list<string>, titles: list<string>,
/// n_mentions>>`.
#[derive(Default)]
struct Entities {
    id: Vec<String>,
    kind: Vec<&'static str>,
    name: Vec<String>,
    aliases: Strings,
    titles: Strings,
    n_mentions: Vec<u32>,
    lengths: Vec<usize>,
}

impl Entities {
    fn push(&mut self, article: &Article) {
        for entity in &article.entities {
            self.id.push(entity.id.clone());
            self.kind.push(entity.kind.as_str());
            self.name.push(entity.name.clone());
            self.aliases.push(entity.aliases.iter().cloned());
            self.titles.push(entity.titles.iter().cloned());
            self.n_mentions.push(entity.mentions.len() as u32);
        }
        self.lengths.push(article.entities.len());
    }

    fn finish(self) -> ArrayRef {
        let items = structure([
            ("id", strings(self.id)),
            ("kind", array(StringArray::from(self.kind))),
            ("name", strings(self.name)),
            ("aliases", self.aliases.finish()),
            ("titles", self.titles.finish()),
            ("n_mentions", array(UInt32Array::from(self.n_mentions))),
        ]);
        list(items, &self.lengths)
    }
}

/// `dates: list<struct<text, value, resolution, paragraph, start, end>>`.
#[derive(Default)]
struct Dates {
    text: Vec<String>,
    value: Vec<String>,
    resolution: Vec<String>,
    spans: SpanColumns,
    lengths: Vec<usize>,
}

impl Dates {
    fn push(&mut self, article: &Article) {
        for date in &article.dates {
            self.text.push(date.text.clone());
            self.value.push(date.value.clone());
            self.resolution.push(date.resolution.clone());
            self.spans
                .push(date.span.paragraph, date.span.start, date.span.end);
        }
        self.lengths.push(article.dates.len());
    }

    fn finish(self) -> ArrayRef {
        let [paragraph, start, end] = self.spans.finish();
        let items = structure([
            ("text", strings(self.text)),
            ("value", strings(self.value)),
            ("resolution", strings(self.resolution)),
            ("paragraph", paragraph),
            ("start", start),
            ("end", end),
        ]);
        list(items, &self.lengths)
    }
}

/// `credits: list<struct<agency, text>>`.
#[derive(Default)]
struct Credits {
    agency: Vec<String>,
    text: Vec<String>,
    lengths: Vec<usize>,
}

impl Credits {
    fn push(&mut self, article: &Article) {
        for credit in &article.credits {
            self.agency.push(credit.agency.clone());
            self.text.push(credit.text.clone());
        }
        self.lengths.push(article.credits.len());
    }

    fn finish(self) -> ArrayRef {
        let items = structure([
            ("agency", strings(self.agency)),
            ("text", strings(self.text)),
        ]);
        list(items, &self.lengths)
    }
}

/// `spans: list<struct<paragraph, start, end>>`.
#[derive(Default)]
struct Spans {
    spans: SpanColumns,
    lengths: Vec<usize>,
}

impl Spans {
    fn push(&mut self, spans: impl Iterator<Item = (usize, usize, usize)>) {
        let mut n_spans = 0;
        for (paragraph, start, end) in spans {
            self.spans.push(paragraph, start, end);
            n_spans += 1;
        }
        self.lengths.push(n_spans);
    }

    fn finish(self) -> ArrayRef {
        let [paragraph, start, end] = self.spans.finish();
        let items = structure([("paragraph", paragraph), ("start", start), ("end", end)]);
        list(items, &self.lengths)
    }
}

#[derive(Default)]
struct SpanColumns {
    paragraph: Vec<u32>,
    start: Vec<u32>,
    end: Vec<u32>,
}

impl SpanColumns {
    fn push(&mut self, paragraph: usize, start: usize, end: usize) {
        let narrow = |value: usize| u32::try_from(value).unwrap_or(u32::MAX);
        self.paragraph.push(narrow(paragraph));
        self.start.push(narrow(start));
        self.end.push(narrow(end));
    }

    fn finish(self) -> [ArrayRef; 3] {
        [
            array(UInt32Array::from(self.paragraph)),
            array(UInt32Array::from(self.start)),
            array(UInt32Array::from(self.end)),
        ]
    }
}

/// A record batch whose every column is nullable, so the schema is the same for every batch
/// whatever nulls it holds.
fn batch<const N: usize>(
    columns: [(&str, ArrayRef); N],
) -> Result<RecordBatch, arrow::error::ArrowError> {
    RecordBatch::try_from_iter_with_nullable(
        columns
            .into_iter()
            .map(|(name, column)| (name, column, true)),
    )
}

fn array(values: impl Array + 'static) -> ArrayRef {
    Arc::new(values)
}

fn strings(values: Vec<String>) -> ArrayRef {
    array(StringArray::from(values))
}

fn optional_strings(values: Vec<Option<String>>) -> ArrayRef {
    array(StringArray::from(values))
}

/// A list column: row `i` holds the next `lengths[i]` items of `items`.
fn list(items: ArrayRef, lengths: &[usize]) -> ArrayRef {
    let field = Arc::new(Field::new("item", items.data_type().clone(), true));
    Arc::new(ListArray::new(
        field,
        OffsetBuffer::from_lengths(lengths.iter().copied()),
        items,
        None,
    ))
}

/// A struct array of non-null fields.
fn structure<const N: usize>(children: [(&str, ArrayRef); N]) -> ArrayRef {
    let fields: Fields = children
        .iter()
        .map(|(name, array)| Field::new(*name, array.data_type().clone(), true))
        .collect();
    let arrays: Vec<ArrayRef> = children.into_iter().map(|(_, array)| array).collect();
    Arc::new(StructArray::new(fields, arrays, None))
}

/// Days from 1970-01-01 to an ISO date `YYYY-MM-DD` (proleptic Gregorian), the physical value
/// of Arrow's `Date32`. Written by hand: this is the only date arithmetic the exporter needs.
fn days_since_epoch(date: &str) -> Option<i32> {
    let mut parts = date.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.get(..2)?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    i32::try_from(era * 146_097 + day_of_era - 719_468).ok()
}

fn parquet_error(name: &str, error: &dyn std::error::Error) -> PluginError {
    PluginError::new(format!("cannot write {name}: {error}"))
}

plugin_api::export_exporter!(Parquet);

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::{Array, AsArray};
    use arrow::datatypes::Date32Type;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
        result.unwrap_or_else(|error| panic!("{error}"))
    }

    /// Reads one file back: its row groups and its batches.
    fn read_back(path: &std::path::Path) -> (usize, Vec<RecordBatch>) {
        let builder = ok(ParquetRecordBatchReaderBuilder::try_new(ok(
            std::fs::File::open(path),
        )));
        let n_row_groups = builder.metadata().num_row_groups();
        let batches = ok(builder.build()).map(ok).collect();
        (n_row_groups, batches)
    }

    #[test]
    fn annotated_articles_read_back_with_nested_lists_in_row_groups() {
        let fixture = ok(std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/exporters/annotated.jsonl"
        )));
        let dir = ok(tempfile::tempdir());
        let context = ExportContext {
            out_dir: dir.path().to_path_buf(),
        };
        let options = ok(serde_json::from_str(r#"{"row_group_size": 2}"#));
        let mut exporter = ok(Parquet::open(context, options));
        for line in fixture.lines() {
            ok(exporter.write(&Record::new(line.as_bytes())));
        }
        ok(exporter.finish());

        let (n_row_groups, batches) = read_back(&dir.path().join("articles.parquet"));
        assert_eq!(n_row_groups, 2, "3 articles, 2 per row group");
        let articles = ok(arrow::compute::concat_batches(
            &batches[0].schema(),
            &batches,
        ));
        assert_eq!(articles.num_rows(), 3);
        let column = |name: &str| {
            articles
                .column_by_name(name)
                .unwrap_or_else(|| panic!("no column {name}"))
                .clone()
        };
        let published = column("published");
        let published = published.as_primitive::<Date32Type>();
        assert_eq!(published.value(0), 19_108, "2022-04-26");
        assert!(published.is_null(2));
        let topic = column("topic");
        assert_eq!(topic.as_string::<i32>().value(0), "world");
        let tone = column("tone");
        let tone = tone.as_primitive::<arrow::datatypes::Float64Type>();
        assert!((tone.value(0) + 0.31).abs() < 1e-9);
        let entities = column("entities");
        let seed_entities = entities.as_list::<i32>().value(0);
        let seed_entities = seed_entities.as_struct();
        assert_eq!(seed_entities.len(), 15);
        let names = seed_entities
            .column_by_name("name")
            .map(|names| names.as_string::<i32>().value(0).to_string());
        assert_eq!(names.as_deref(), Some("Vladimir Putin"));
        let titles = seed_entities.column_by_name("titles").map(|titles| {
            titles
                .as_list::<i32>()
                .value(0)
                .as_string::<i32>()
                .value(0)
                .to_string()
        });
        assert_eq!(titles.as_deref(), Some("Russian President"));
        let paragraphs = column("paragraphs");
        assert_eq!(paragraphs.as_list::<i32>().value(0).len(), 10);

        let (_, batches) = read_back(&dir.path().join("quotes.parquet"));
        let quotes = ok(arrow::compute::concat_batches(
            &batches[0].schema(),
            &batches,
        ));
        assert_eq!(quotes.num_rows(), 10);
        let speakers = quotes
            .column_by_name("speaker")
            .map(|speakers| speakers.as_string::<i32>().clone());
        let speakers = speakers.unwrap_or_else(|| panic!("no speaker column"));
        assert_eq!(speakers.value(0), "Vladimir Putin");
        assert!(speakers.is_null(9), "the unattributed quote has no speaker");
        let spans = quotes
            .column_by_name("spans")
            .map(|spans| spans.as_list::<i32>().value(2));
        let spans = spans.unwrap_or_else(|| panic!("no spans column"));
        let start = spans.as_struct().column_by_name("start").map(|start| {
            start
                .as_primitive::<arrow::datatypes::UInt32Type>()
                .value(0)
        });
        assert!(start.is_some_and(|start| start > 0));
    }

    #[test]
    fn days_since_epoch_matches_known_dates() {
        assert_eq!(days_since_epoch("1970-01-01"), Some(0));
        assert_eq!(days_since_epoch("2000-03-01"), Some(11_017));
        assert_eq!(days_since_epoch("2022-04-26"), Some(19_108));
        assert_eq!(days_since_epoch("1969-12-31"), Some(-1));
        assert_eq!(days_since_epoch("2022-13-01"), None);
    }
}

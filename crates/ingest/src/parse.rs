//! Raw documents to articles: the plain-text layout and JSON records with the field names
//! that common scrapers (news-please, newspaper, trafilatura) write.

use article::{Article, Source, stable_id};
use serde_json::{Map, Value};

use crate::text::{decode, split_layout, split_paragraphs};
use crate::{Format, RawDoc};

const TITLE_FIELDS: &[&str] = &["title", "headline"];
const TEXT_FIELDS: &[&str] = &[
    "text",
    "maintext",
    "body",
    "content",
    "article",
    "description",
];
const DATE_FIELDS: &[&str] = &[
    "date_publish",
    "published",
    "date",
    "date_published",
    "publish_date",
    "pubdate",
];
const AUTHOR_FIELDS: &[&str] = &["authors", "author", "byline"];
const PUBLISHER_FIELDS: &[&str] = &["source_domain", "publisher", "source", "site_name"];

/// Parses one raw document into an article with its headline, paragraphs and metadata; the
/// error is the reason it cannot be one.
pub fn parse(raw: &RawDoc) -> Result<Article, String> {
    match raw.format {
        Format::Text => parse_text(raw),
        Format::JsonRecord => parse_record(raw).map_err(|error| error.to_string()),
    }
}

/// Why a JSON record cannot be an article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// The bytes are not UTF-8.
    #[error("invalid UTF-8 at byte {valid_up_to} (JSON must be UTF-8)")]
    InvalidUtf8 {
        /// Length of the valid prefix.
        valid_up_to: usize,
    },
    /// Not JSON.
    #[error("invalid JSON: {0}")]
    InvalidJson(String),
    /// JSON, but not an object.
    #[error("expected a JSON object, found {0}")]
    NotAnObject(&'static str),
    /// An object without a title or a text.
    #[error(
        "record has neither a title nor a text (looked for {} and {})",
        TITLE_FIELDS.join(", "),
        TEXT_FIELDS.join(", ")
    )]
    NoText {
        /// The record's own `id`, when it has one.
        id: Option<String>,
    },
}

impl RecordError {
    /// A short, stable name for the kind of problem: `invalid-utf8`, `invalid-json`,
    /// `not-an-object`, `no-text`.
    pub fn kind(&self) -> &'static str {
        match self {
            RecordError::InvalidUtf8 { .. } => "invalid-utf8",
            RecordError::InvalidJson(_) => "invalid-json",
            RecordError::NotAnObject(_) => "not-an-object",
            RecordError::NoText { .. } => "no-text",
        }
    }
}

fn parse_text(raw: &RawDoc) -> Result<Article, String> {
    if raw.bytes.is_empty() {
        return Err("empty file".to_string());
    }
    let decoded = decode(&raw.bytes)?;
    let (headline, paragraphs) = split_layout(&decoded.text);
    if headline.is_empty() {
        return Err("no text (only whitespace)".to_string());
    }
    let mut article = Article::new(stable_id(&[
        b"text",
        raw.origin.name.as_bytes(),
        &raw.bytes,
    ]));
    article.source = Source {
        path: Some(raw.origin.path.clone()),
        line: raw.origin.line,
        url: None,
        publisher: None,
    };
    article.headline = headline;
    article.paragraphs = paragraphs;
    article.repairs = decoded.repairs;
    Ok(article)
}

/// Parses one JSON record (a line of JSON Lines, whatever `raw.format` says) into an article;
/// the error says why it cannot be one, by kind. [`parse`] gives the same errors as text.
pub fn parse_record(raw: &RawDoc) -> Result<Article, RecordError> {
    let text = std::str::from_utf8(&raw.bytes).map_err(|error| RecordError::InvalidUtf8 {
        valid_up_to: error.valid_up_to(),
    })?;
    let value: Value =
        serde_json::from_str(text).map_err(|error| RecordError::InvalidJson(error.to_string()))?;
    let Value::Object(record) = value else {
        return Err(RecordError::NotAnObject(kind_of(&value)));
    };
    let headline = first_string(&record, TITLE_FIELDS).unwrap_or_default();
    let paragraphs = match record.get("paragraphs") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .filter(|paragraph| !paragraph.is_empty())
            .map(str::to_string)
            .collect(),
        _ => first_string(&record, TEXT_FIELDS)
            .map(|body| paragraphs_of(&body))
            .unwrap_or_default(),
    };
    if headline.trim().is_empty() && paragraphs.is_empty() {
        return Err(RecordError::NoText {
            id: record_id(&record),
        });
    }
    let id = record_id(&record).unwrap_or_else(|| stable_id(&[b"record", &raw.bytes]));
    let mut article = Article::new(id);
    article.source = Source {
        path: (raw.origin.path != "-").then(|| raw.origin.path.clone()),
        line: raw.origin.line,
        url: first_string(&record, &["url", "link"]),
        publisher: first_string(&record, PUBLISHER_FIELDS),
    };
    article.headline = headline.trim().to_string();
    article.paragraphs = paragraphs;
    article.byline = authors(&record);
    article.published = first_string(&record, DATE_FIELDS).and_then(|date| iso_date(&date));
    Ok(article)
}

/// The record's own `id`: a non-blank string (trimmed) or a number.
fn record_id(record: &Map<String, Value>) -> Option<String> {
    match record.get("id") {
        Some(Value::String(id)) if !id.trim().is_empty() => Some(id.trim().to_string()),
        Some(Value::Number(number)) => Some(number.to_string()),
        _ => None,
    }
}

/// Paragraphs of a text field: blank lines separate them when there are any, else every line
/// is one.
fn paragraphs_of(body: &str) -> Vec<String> {
    let normalised = body.replace("\r\n", "\n");
    if normalised.contains("\n\n") {
        split_paragraphs(normalised.split('\n').map(str::trim))
    } else {
        normalised
            .split('\n')
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect()
    }
}

fn first_string(record: &Map<String, Value>, fields: &[&str]) -> Option<String> {
    fields.iter().find_map(|field| match record.get(*field) {
        Some(Value::String(text)) if !text.trim().is_empty() => Some(text.clone()),
        _ => None,
    })
}

fn authors(record: &Map<String, Value>) -> Vec<String> {
    for field in AUTHOR_FIELDS {
        match record.get(*field) {
            Some(Value::String(name)) if !name.trim().is_empty() => {
                return vec![name.trim().to_string()];
            }
            Some(Value::Array(names)) => {
                return names
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::trim)
                    .filter(|name| !name.is_empty())
                    .map(str::to_string)
                    .collect();
            }
            _ => {}
        }
    }
    Vec::new()
}

/// The `YYYY-MM-DD` that starts a date or timestamp, if it is a real calendar date.
pub(crate) fn iso_date(text: &str) -> Option<String> {
    let text = text.trim();
    let date = text.get(..10)?;
    let bytes = date.as_bytes();
    let digits_at = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    if !(digits_at(0..4)
        && bytes[4] == b'-'
        && digits_at(5..7)
        && bytes[7] == b'-'
        && digits_at(8..10))
    {
        return None;
    }
    let year = date[0..4].parse().ok()?;
    let month = date[5..7].parse().ok()?;
    let day = date[8..10].parse().ok()?;
    // The calendar (month lengths, leap years) is jiff's.
    jiff::civil::Date::new(year, month, day)
        .is_ok()
        .then(|| date.to_string())
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Origin;

    fn record(json: &str) -> Result<Article, String> {
        parse(&RawDoc {
            origin: Origin {
                path: "in.jsonl".into(),
                name: "in.jsonl".into(),
                line: Some(3),
            },
            bytes: json.as_bytes().to_vec(),
            format: Format::JsonRecord,
        })
    }

    #[test]
    fn news_please_fields_are_read() {
        let article = record(
            r#"{"title":"T","maintext":"One.\n\nTwo.","date_publish":"2020-02-29 10:00:00","authors":["A B"],"url":"https://x/y","source_domain":"x"}"#,
        )
        .unwrap();
        assert_eq!(article.headline, "T");
        assert_eq!(article.paragraphs, vec!["One.", "Two."]);
        assert_eq!(article.published.as_deref(), Some("2020-02-29"));
        assert_eq!(article.byline, vec!["A B"]);
        assert_eq!(article.source.publisher.as_deref(), Some("x"));
    }

    #[test]
    fn bad_records_say_why() {
        assert!(
            record("[1]")
                .unwrap_err()
                .contains("expected a JSON object")
        );
        assert!(record("{\"title\": ").unwrap_err().contains("invalid JSON"));
        assert!(
            record("{\"x\": 1}")
                .unwrap_err()
                .contains("neither a title")
        );
        assert_eq!(iso_date("2021-02-29"), None);
    }
}

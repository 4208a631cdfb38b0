//! The copydesk article model, schema version 1.
//!
//! Everything copydesk knows about one article lives in [`Article`]. The JSON field names of
//! these types are a public contract: exporters, plugins, tests and users' scripts rely on them.
//! Fields are only ever added (with a default), never renamed or removed, within one
//! [`SCHEMA_VERSION`].
//!
//! # Offsets
//!
//! Every offset in the model counts **Unicode code points** (as Python's `str` slicing does),
//! not bytes and not UTF-16 units. A [`Span`] names the paragraph it points into (an index into
//! [`Article::paragraphs`]) and a half-open range `start..end` of code points within it, so
//! `paragraphs[span.paragraph].chars().skip(span.start).take(span.end - span.start)` is the
//! text the span covers. [`Span::text`] does exactly that.
//!
//! This crate does no I/O and every function in it is total.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Version of the JSON shape of [`Article`]. Bumped only on an incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

/// One news article: what was read, what was split off, and what was found in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Article {
    /// Version of this record's shape; always [`SCHEMA_VERSION`] when written by copydesk.
    #[serde(default = "schema_version")]
    pub schema_version: u32,
    /// Stable identifier: the same input gives the same id on every run.
    pub id: String,
    /// Where the article came from.
    #[serde(default)]
    pub source: Source,
    /// The headline, whitespace-trimmed.
    #[serde(default)]
    pub headline: String,
    /// Names of the authors.
    #[serde(default)]
    pub byline: Vec<String>,
    /// Publication date as an ISO 8601 date (`YYYY-MM-DD`), when known.
    #[serde(default)]
    pub published: Option<String>,
    /// The dateline that opens the story ("MOSCOW (Reuters) -"), when there is one.
    #[serde(default)]
    pub dateline: Option<Dateline>,
    /// The body of the story, one string per paragraph. Offsets point into these strings.
    #[serde(default)]
    pub paragraphs: Vec<String>,
    /// Paragraphs split off as not part of the story (publisher notices, share prompts).
    #[serde(default)]
    pub boilerplate: Vec<String>,
    /// Wire agencies credited for the story.
    #[serde(default)]
    pub credits: Vec<Credit>,
    /// Every change copydesk made to the text it read, so nothing is silently rewritten.
    #[serde(default)]
    pub repairs: Vec<Repair>,
    /// Classifier output: plugin name → labels, best first.
    #[serde(default)]
    pub labels: BTreeMap<String, Vec<Label>>,
    /// Quotations, direct and reported, with their speakers.
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// People, organisations, places and other names, each with all its mentions.
    #[serde(default)]
    pub entities: Vec<Entity>,
    /// Date expressions, normalised.
    #[serde(default)]
    pub dates: Vec<DateMention>,
}

fn schema_version() -> u32 {
    SCHEMA_VERSION
}

impl Article {
    /// An empty article with the given id.
    pub fn new(id: impl Into<String>) -> Article {
        Article {
            schema_version: SCHEMA_VERSION,
            id: id.into(),
            source: Source::default(),
            headline: String::new(),
            byline: Vec::new(),
            published: None,
            dateline: None,
            paragraphs: Vec::new(),
            boilerplate: Vec::new(),
            credits: Vec::new(),
            repairs: Vec::new(),
            labels: BTreeMap::new(),
            quotes: Vec::new(),
            entities: Vec::new(),
            dates: Vec::new(),
        }
    }

    /// The text a span covers, or `None` when the span does not fit this article.
    pub fn span_text(&self, span: &Span) -> Option<&str> {
        span.text(self.paragraphs.get(span.paragraph)?)
    }

    /// The top label of one classifier, if it gave any.
    pub fn top_label(&self, classifier: &str) -> Option<&Label> {
        self.labels
            .get(classifier)
            .and_then(|labels| labels.first())
    }

    /// The value of one classifier's top label, if it gave any.
    pub fn top_value(&self, classifier: &str) -> Option<&str> {
        self.top_label(classifier).map(|label| label.value.as_str())
    }

    /// The article's tone by one classifier: its top label's `extra.tone` when it reports one,
    /// else that label's score (the built-in `tone` classifier's first label carries the tone,
    /// in [-1, 1], as its score).
    pub fn tone(&self, classifier: &str) -> Option<f64> {
        let label = self.top_label(classifier)?;
        Some(
            label
                .extra
                .get("tone")
                .and_then(|tone| tone.as_f64())
                .unwrap_or(label.score),
        )
    }

    /// Number of words in the body: runs of characters between Unicode white space, as
    /// `split_whitespace` counts them. Exporters call it for every article, so text that is all
    /// ASCII (nearly all of it) is counted byte by byte, with the same white space
    /// (`\t` to `\r`, and space).
    pub fn n_words(&self) -> usize {
        self.paragraphs
            .iter()
            .map(|paragraph| {
                if !paragraph.is_ascii() {
                    return paragraph.split_whitespace().count();
                }
                let mut n_words = 0;
                let mut in_word = false;
                for &byte in paragraph.as_bytes() {
                    let space = matches!(byte, b'\t'..=b'\r' | b' ');
                    n_words += usize::from(!space && !in_word);
                    in_word = !space;
                }
                n_words
            })
            .sum()
    }
}

/// The place an article was read from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    /// Path of the input file, as given on the command line or found in a folder.
    #[serde(default)]
    pub path: Option<String>,
    /// 1-based line number, for JSON Lines input.
    #[serde(default)]
    pub line: Option<u64>,
    /// Canonical URL of the article, when the input carries one.
    #[serde(default)]
    pub url: Option<String>,
    /// Publisher name or domain, when known.
    #[serde(default)]
    pub publisher: Option<String>,
}

/// A range of code points in one paragraph.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
pub struct Span {
    /// Index into [`Article::paragraphs`].
    pub paragraph: usize,
    /// First code point, counted from the start of the paragraph.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

impl Span {
    /// The text this span covers in `paragraph`, or `None` if it does not fit.
    pub fn text<'a>(&self, paragraph: &'a str) -> Option<&'a str> {
        if self.start > self.end {
            return None;
        }
        let start = char_to_byte(paragraph, self.start)?;
        let end = char_to_byte(paragraph, self.end)?;
        paragraph.get(start..end)
    }

    /// Number of code points covered.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Byte offset of the code point at `char_idx` (or the end of `text` when `char_idx` equals its
/// length); `None` past the end.
pub fn char_to_byte(text: &str, char_idx: usize) -> Option<usize> {
    if char_idx == 0 {
        return Some(0);
    }
    match text.char_indices().nth(char_idx) {
        Some((byte_idx, _)) => Some(byte_idx),
        None if text.chars().count() == char_idx => Some(text.len()),
        None => None,
    }
}

/// Converts byte offsets into code-point offsets in one pass over a text; cheap when the
/// offsets are asked for in increasing order, as analysers do.
#[derive(Debug)]
pub struct CharIndex<'a> {
    text: &'a str,
    byte_pos: usize,
    char_pos: usize,
}

impl<'a> CharIndex<'a> {
    /// A converter over `text`.
    pub fn new(text: &'a str) -> CharIndex<'a> {
        CharIndex {
            text,
            byte_pos: 0,
            char_pos: 0,
        }
    }

    /// The code-point offset of `byte_idx` (clamped to the text, rounded down to a char
    /// boundary).
    pub fn char_of(&mut self, byte_idx: usize) -> usize {
        let mut byte_idx = byte_idx.min(self.text.len());
        while !self.text.is_char_boundary(byte_idx) {
            byte_idx -= 1;
        }
        if byte_idx < self.byte_pos {
            self.byte_pos = 0;
            self.char_pos = 0;
        }
        self.char_pos += self.text[self.byte_pos..byte_idx].chars().count();
        self.byte_pos = byte_idx;
        self.char_pos
    }
}

/// A wire-agency credit ("With information from AFP").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Credit {
    /// Normalised agency name ("AFP", "Reuters", "AP").
    pub agency: String,
    /// The text the credit was read from.
    pub text: String,
}

/// The dateline that opens a story: "WASHINGTON, April 26 (AP) —".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Dateline {
    /// The dateline as written.
    pub text: String,
    /// Where it points in the text.
    pub span: Span,
    /// The place named, if any.
    #[serde(default)]
    pub place: Option<String>,
    /// The agency named, if any.
    #[serde(default)]
    pub agency: Option<String>,
    /// The date named, as an ISO date, if any.
    #[serde(default)]
    pub date: Option<String>,
}

/// One change made to the text as read, recorded so it can be checked and undone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Repair {
    /// What kind of repair: `decode-windows-1252`, `split-glued-word`, `strip-control-chars`, …
    pub kind: String,
    /// Where the repaired text now stands; `None` for repairs of the whole input (decoding).
    #[serde(default)]
    pub span: Option<Span>,
    /// The text before the repair (for decoding: a description of what was invalid).
    pub before: String,
    /// The text after the repair.
    pub after: String,
}

/// One label given by a classifier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Label {
    /// The label ("en", "world", "negative").
    pub value: String,
    /// Confidence or magnitude; its meaning is documented by the classifier.
    pub score: f64,
    /// Extra facts a classifier reports with the label (for example `reliable`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl Label {
    /// A label with no extra facts.
    pub fn new(value: impl Into<String>, score: f64) -> Label {
        Label {
            value: value.into(),
            score,
            extra: BTreeMap::new(),
        }
    }

    /// Adds one extra fact.
    pub fn with(mut self, key: impl Into<String>, value: impl Into<serde_json::Value>) -> Label {
        self.extra.insert(key.into(), value.into());
        self
    }
}

/// Whether a quote is in quotation marks or reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuoteKind {
    /// Words in quotation marks.
    Direct,
    /// Reported speech without quotation marks ("Lavrov said that …").
    Indirect,
}

/// A reference from a quote to an entity of the same article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EntityRef {
    /// The [`Entity::id`] referred to.
    pub entity: String,
    /// That entity's canonical name, repeated for readers of flat exports.
    pub name: String,
    /// The mention in the text that names it for this quote.
    #[serde(default)]
    pub span: Option<Span>,
}

/// A quotation and who said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Quote {
    /// Direct or indirect.
    pub kind: QuoteKind,
    /// The quoted words, without the quotation marks; paragraphs joined by a newline.
    pub text: String,
    /// Where the words stand: one span per paragraph the quote covers.
    pub spans: Vec<Span>,
    /// The speech verb or phrase ("said", "told", "according to").
    #[serde(default)]
    pub cue: Option<String>,
    /// Where the cue stands.
    #[serde(default)]
    pub cue_span: Option<Span>,
    /// Who said it; `None` when the text does not say.
    #[serde(default)]
    pub speaker: Option<EntityRef>,
    /// Whom it was said to, when the text names them ("Putin told Guterres").
    #[serde(default)]
    pub addressee: Option<EntityRef>,
    /// The words that name who said it when they name no entity ("the board", "The ad",
    /// "one of those advisers"): the text does say who spoke, but not as a name. `None` when
    /// `speaker` is set or the text does not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Mention>,
    /// How sure the attribution is, from 0 to 1.
    pub confidence: f64,
    /// The rule or model that attributed the speaker.
    pub rule: String,
}

/// What kind of thing an entity is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A person.
    Person,
    /// A company, party, agency, team or other body.
    Organization,
    /// A country, city, region or other place.
    Place,
    /// Other names: nationalities, events, works.
    Other,
}

impl EntityKind {
    /// The JSON spelling of this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Other => "other",
        }
    }
}

/// One mention of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Mention {
    /// The text as written.
    pub text: String,
    /// Where it stands.
    pub span: Span,
}

/// A person, organisation, place or other name, with all its mentions in the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Entity {
    /// Identifier within the article (`e1`, `e2`, …), used by quotes.
    pub id: String,
    /// What it is.
    pub kind: EntityKind,
    /// The fullest name the article gives ("Vladimir Putin").
    pub name: String,
    /// Other names it goes by in this article ("Putin").
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Titles and roles as the text gives them ("Russian President").
    #[serde(default)]
    pub titles: Vec<String>,
    /// Every mention, in text order.
    #[serde(default)]
    pub mentions: Vec<Mention>,
}

/// A date expression and its normalised value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DateMention {
    /// The expression as written ("Tuesday, April 26").
    pub text: String,
    /// Where it stands.
    pub span: Span,
    /// ISO 8601 date (`2022-04-26`), month (`2022-04`), year, or range (`2022-04-25/2022-04-29`).
    pub value: String,
    /// How the value was found: `absolute`, `weekday`, `relative`, `reference-year`, …
    pub resolution: String,
}

/// Stable 64-bit hash of a byte string (xxh3), printed as 16 hex digits; used for article ids.
pub fn stable_id(parts: &[&[u8]]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    format!("{:016x}", hasher.digest())
}

/// The JSON Schema of [`Article`], pretty-printed.
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Article);
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn n_words_counts_as_split_whitespace_does() {
        for text in [
            "",
            "  ",
            "one",
            " two  words ",
            "tab\tnew\nline\x0bvertical\x0cfeed\rreturn",
            "\x1c not white space \x1f",
            "non\u{a0}breaking and\u{2003}em space, café",
        ] {
            let mut article = Article::new("words");
            article.paragraphs = vec![text.to_string(), format!("{text} and more")];
            let expected: usize = article
                .paragraphs
                .iter()
                .map(|paragraph| paragraph.split_whitespace().count())
                .sum();
            assert_eq!(article.n_words(), expected, "{text:?}");
        }
    }

    #[test]
    fn span_text_counts_code_points() {
        let paragraph = "kyiv — “Despite” é";
        let span = Span {
            paragraph: 0,
            start: 8,
            end: 15,
        };
        assert_eq!(span.text(paragraph), Some("Despite"));
        let past_end = Span {
            paragraph: 0,
            start: 3,
            end: 99,
        };
        assert_eq!(past_end.text(paragraph), None);
    }

    #[test]
    fn char_index_converts_bytes() {
        let text = "a“b”c";
        let mut index = CharIndex::new(text);
        assert_eq!(index.char_of(0), 0);
        assert_eq!(index.char_of(4), 2);
        assert_eq!(index.char_of(text.len()), 5);
        assert_eq!(index.char_of(1), 1);
    }

    #[test]
    fn stable_id_separates_parts() {
        assert_ne!(stable_id(&[b"ab", b"c"]), stable_id(&[b"a", b"bc"]));
        assert_eq!(stable_id(&[b"x"]), stable_id(&[b"x"]));
    }
}

//! Decoding the article a classifier is called on, limited to the parts it reads
//! ([`Classifier::READS`](crate::Classifier::READS)).
//!
//! The host sends the whole analysed article, and most of its JSON is analysis (quotes,
//! entities with every mention, dates): on BBC news, about 7 KB of a 9.5 KB record, and most of
//! the decoding time, as they are thousands of small strings. A classifier that reads only the
//! text is given an `Article` without them, and the decoder skips them without allocating.
//!
//! Once every field that is wanted has been decoded, the rest of the record is not even read:
//! the host writes the article's fields in declaration order, so a text classifier stops after
//! `labels`, before the analysis. The JSON is the host's own encoding, valid by the ABI's
//! contract; were a field missing or the order different, the decoder just reads to the end.

use std::fmt;

use article::Article;
use serde::Deserializer;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};

use crate::sdk::Reads;

/// Decodes the parts of an article that `reads` names; the others are left empty. The error
/// says why the record is not an article.
///
/// The record is checked as UTF-8 once, whole, and then read as text: read from bytes, every
/// one of its thousands of small strings was checked on its own, and decoding took 1.3 to 1.7
/// times as long (`cargo bench -p microbench -- boundary_decode`, three runs).
pub(crate) fn article(json: &[u8], reads: Reads) -> Result<Article, String> {
    let text = std::str::from_utf8(json).map_err(|error| format!("not UTF-8: {error}"))?;
    decode_text(text, reads).map_err(|error| error.to_string())
}

fn decode_text(json: &str, reads: Reads) -> Result<Article, serde_json::Error> {
    if reads == Reads::EVERYTHING {
        return serde_json::from_str(json);
    }
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let mut finished_early = None;
    let result = (&mut deserializer).deserialize_map(PartialArticle {
        wanted: wanted_fields(reads),
        finished_early: &mut finished_early,
    });
    match (result, finished_early) {
        (Ok(article), _) => {
            deserializer.end()?;
            Ok(article)
        }
        // serde_json insists that a map visitor reads the map to its end, so the visitor stops
        // early by returning an error after handing over the article it has decoded.
        (Err(_), Some(article)) => Ok(article),
        (Err(error), None) => Err(error),
    }
}

/// The top-level fields of an article, as the host writes them. A test checks this list
/// against `Article`'s serialisation, so that a new field cannot be silently dropped here.
const FIELD_NAMES: [&str; 15] = [
    "schema_version",
    "id",
    "source",
    "headline",
    "byline",
    "published",
    "dateline",
    "paragraphs",
    "boilerplate",
    "credits",
    "repairs",
    "labels",
    "quotes",
    "entities",
    "dates",
];

/// Bits (by index in [`FIELD_NAMES`]) of the fields a classifier that `reads` wants.
fn wanted_fields(reads: Reads) -> u32 {
    let bit = |name: &str| {
        FIELD_NAMES
            .iter()
            .position(|field| *field == name)
            .map_or(0, |field_idx| 1u32 << field_idx)
    };
    let mut wanted = (1u32 << FIELD_NAMES.len()) - 1;
    for (name, is_read) in [
        ("quotes", reads.quotes),
        ("entities", reads.entities),
        ("dates", reads.dates),
    ] {
        if !is_read {
            wanted &= !bit(name);
        }
    }
    wanted
}

/// A top-level key: its index in [`FIELD_NAMES`], or `None` for a field this SDK does not know
/// (a newer host's; ignored, as the derived decoder does).
struct Field(Option<usize>);

impl<'de> de::Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Field, D::Error> {
        deserializer.deserialize_identifier(FieldVisitor)
    }
}

struct FieldVisitor;

impl Visitor<'_> for FieldVisitor {
    type Value = Field;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a field name")
    }

    // Borrowed from the input when it has no escapes: no allocation per key.
    fn visit_str<E: de::Error>(self, name: &str) -> Result<Field, E> {
        Ok(Field(FIELD_NAMES.iter().position(|field| *field == name)))
    }
}

struct PartialArticle<'a> {
    /// Bits of the fields to decode; the others are skipped.
    wanted: u32,
    /// Where the article goes when the visitor stops before the end of the map.
    finished_early: &'a mut Option<Article>,
}

impl<'de> Visitor<'de> for PartialArticle<'_> {
    type Value = Article;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an article")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Article, A::Error> {
        let mut article = Article::new(String::new());
        let mut seen = 0u32;
        while let Some(Field(field_idx)) = map.next_key()? {
            let Some(field_idx) = field_idx else {
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let bit = 1u32 << field_idx;
            if seen & bit != 0 {
                return Err(de::Error::duplicate_field(FIELD_NAMES[field_idx]));
            }
            seen |= bit;
            if self.wanted & bit == 0 {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            match field_idx {
                0 => article.schema_version = map.next_value()?,
                1 => article.id = map.next_value()?,
                2 => article.source = map.next_value()?,
                3 => article.headline = map.next_value()?,
                4 => article.byline = map.next_value()?,
                5 => article.published = map.next_value()?,
                6 => article.dateline = map.next_value()?,
                7 => article.paragraphs = map.next_value()?,
                8 => article.boilerplate = map.next_value()?,
                9 => article.credits = map.next_value()?,
                10 => article.repairs = map.next_value()?,
                11 => article.labels = map.next_value()?,
                12 => article.quotes = map.next_value()?,
                13 => article.entities = map.next_value()?,
                _ => article.dates = map.next_value()?,
            }
            if seen & self.wanted == self.wanted {
                *self.finished_early = Some(article);
                return Err(de::Error::custom(
                    "stopped after the fields the plugin reads",
                ));
            }
        }
        // As the derived decoder: `id` is the one field without a default.
        if seen & 1 << 1 == 0 {
            return Err(de::Error::missing_field("id"));
        }
        Ok(article)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An article with every field set, as the analysis would leave it.
    fn full_article() -> Article {
        let json = serde_json::json!({
            "schema_version": 1,
            "id": "a1",
            "source": { "path": "x.txt", "publisher": "BBC" },
            "headline": "Rates \"rise\" again",
            "byline": ["A. Writer"],
            "published": "2022-04-30",
            "dateline": { "text": "LONDON", "span": { "paragraph": 0, "start": 0, "end": 6 },
                          "place": "London" },
            "paragraphs": ["LONDON - The bank raised rates on Friday.", "\"It hurts,\" she said."],
            "boilerplate": ["Subscribe now"],
            "credits": [{ "agency": "Reuters", "text": "(Reuters)" }],
            "repairs": [{ "kind": "glued", "before": "theBank", "after": "the Bank" }],
            "labels": { "language": [{ "value": "en", "score": 1.0 }] },
            "quotes": [{ "kind": "direct", "text": "It hurts,", "spans": [
                { "paragraph": 1, "start": 1, "end": 10 }], "confidence": 0.9, "rule": "r1" }],
            "entities": [{ "id": "e1", "kind": "organization", "name": "Bank", "mentions": [
                { "text": "bank", "span": { "paragraph": 0, "start": 13, "end": 17 } }] }],
            "dates": [{ "text": "Friday", "span": { "paragraph": 0, "start": 33, "end": 39 },
                        "value": "2022-04-29", "resolution": "day" }],
        });
        serde_json::from_value(json).unwrap_or_else(|error| panic!("{error}"))
    }

    fn text_only(mut article: Article) -> Article {
        article.quotes.clear();
        article.entities.clear();
        article.dates.clear();
        article
    }

    #[test]
    fn field_names_are_the_fields_of_an_article() {
        let value = serde_json::to_value(full_article()).unwrap_or_default();
        let keys: Vec<&str> = value
            .as_object()
            .map(|object| object.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut expected = FIELD_NAMES.to_vec();
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
    }

    #[test]
    fn text_reads_everything_but_the_analysis() {
        let full = full_article();
        let json = serde_json::to_vec(&full).unwrap_or_default();
        let decoded = article(&json, Reads::TEXT).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(decoded, text_only(full.clone()));
        let everything =
            article(&json, Reads::EVERYTHING).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(everything, full);
        let with_entities =
            article(&json, Reads::TEXT.and_entities()).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(with_entities.entities, full.entities);
        assert!(with_entities.quotes.is_empty() && with_entities.dates.is_empty());
        let all_three = Reads::TEXT.and_quotes().and_entities().and_dates();
        assert_eq!(all_three, Reads::EVERYTHING);
    }

    #[test]
    fn any_field_order_and_unknown_fields_decode_the_same() {
        let full = full_article();
        let value = serde_json::to_value(&full).unwrap_or_default();
        let mut reversed = String::from("{\"from_a_newer_host\":{\"x\":[1,2]}");
        if let Some(object) = value.as_object() {
            for (key, field) in object.iter().rev() {
                reversed.push_str(&format!(
                    ",{}:{field}",
                    serde_json::Value::from(key.as_str())
                ));
            }
        }
        reversed.push('}');
        let decoded =
            article(reversed.as_bytes(), Reads::TEXT).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(decoded, text_only(full));
    }

    #[test]
    fn missing_fields_default_as_in_the_derived_decoder() {
        let json = br#"{"id": "a2", "headline": "Only a headline"}"#;
        let decoded = article(json, Reads::TEXT).unwrap_or_else(|error| panic!("{error}"));
        let derived: Article =
            serde_json::from_slice(json).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(decoded, derived);
    }

    #[test]
    fn bad_records_are_errors() {
        for json in [
            &br#"{"headline": "no id"}"#[..],
            br#"["not", "an", "object"]"#,
            br#"{"id": "a3", "paragraphs": "not a list"}"#,
            br#"{"id": "a3", "id": "a4"}"#,
            br#"{"id": "a3"} trailing"#,
            br#"{"id": "a3", "headline": "#,
        ] {
            let text = String::from_utf8_lossy(json);
            assert!(article(json, Reads::TEXT).is_err(), "{text}");
        }
    }
}

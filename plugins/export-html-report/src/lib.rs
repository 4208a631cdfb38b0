//! Writes `report.html`: one self-contained page an editor opens in a browser. Corpus
//! overview, topic, language and source distributions, tone and volume over time, the most
//! quoted people with their titles and quotes, the most mentioned organisations and places,
//! and a searchable, sortable list of articles, each opening its analysed view (quotes
//! highlighted in the text, entities marked).
//!
//! Self-contained means no network at all: the CSS and the small script are inline, the charts
//! are SVG drawn here, and a Content-Security-Policy forbids the page any request.
//!
//! # Scale
//!
//! The report aggregates as articles come, in memory that does not grow with the corpus:
//! - the article list keeps one row (about 150 bytes) for each of the first
//!   `max_listed_articles` articles (default 100,000: a page of about 15 MB that the list shows
//!   500 rows at a time); later articles are counted in every figure but not listed;
//! - article bodies, with their analysed view, are inlined for the first `max_inline_articles`
//!   listed articles (default 2,000);
//! - the tables of people, organisations, places, sources, languages and topics keep at most
//!   `max_names` names each (default 20,000), by lossy counting (`tally.rs`): counts are exact
//!   until a table fills, and the page says by how much they may be short once it has;
//! - distinct counts (sources, people quoted) come from a HyperLogLog++ sketch once a table has
//!   dropped names, and are marked as estimates.

mod render;
mod svg;
mod tally;

use std::collections::BTreeMap;

use cardinality_estimator::CardinalityEstimator;
use plugin_api::article::{Article, EntityKind};
use plugin_api::{AtomicFile, ExportContext, Exporter, PluginError, Record};
use serde::Deserialize;

use tally::{Rank, Tally};

/// Options of the `html-report` exporter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// File name inside the output folder.
    #[serde(default = "default_file")]
    pub file: String,
    /// Title of the report.
    #[serde(default = "default_title")]
    pub title: String,
    /// How many articles get their body and analysed view inlined (the first ones, in input
    /// order). The rest are listed without a view.
    #[serde(default = "default_max_inline_articles")]
    pub max_inline_articles: usize,
    /// How many articles the article list holds (the first ones, in input order). Every
    /// article counts in the figures and tables; the list stops growing here.
    #[serde(default = "default_max_listed_articles")]
    pub max_listed_articles: usize,
    /// The most names each table (people, organisations, places, sources, languages, topics)
    /// holds; at least `top_n` and at least 10. See the crate documentation.
    #[serde(default = "default_max_names")]
    pub max_names: usize,
    /// Rows of the people, organisation and place tables.
    #[serde(default = "default_top_n")]
    pub top_n: usize,
    /// Quotes shown per person.
    #[serde(default = "default_quotes_per_person")]
    pub quotes_per_person: usize,
    /// Classifier whose top label is the article's language.
    #[serde(default = "default_language")]
    pub language_classifier: String,
    /// Classifier whose top label is the article's topic.
    #[serde(default = "default_topic")]
    pub topic_classifier: String,
    /// Classifier whose top label gives the article's tone (its `extra.tone`, else its score).
    #[serde(default = "default_tone")]
    pub tone_classifier: String,
}

fn default_file() -> String {
    "report.html".to_string()
}

fn default_title() -> String {
    "copydesk report".to_string()
}

fn default_max_inline_articles() -> usize {
    2000
}

fn default_max_listed_articles() -> usize {
    100_000
}

fn default_max_names() -> usize {
    20_000
}

/// The distinct titles kept per person (the page shows the three most frequent).
const MAX_TITLES: usize = 16;

fn default_top_n() -> usize {
    15
}

fn default_quotes_per_person() -> usize {
    3
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

/// The exporter: aggregates while articles come, renders the page at finish.
pub struct HtmlReport {
    out: AtomicFile,
    options: Options,
    corpus: Corpus,
}

impl Exporter for HtmlReport {
    const NAME: &'static str = "html-report";
    const DESCRIPTION: &'static str = "report.html: a self-contained report with inline SVG charts";
    type Options = Options;

    fn open(context: ExportContext, options: Options) -> Result<Self, PluginError> {
        if options.max_names < options.top_n.max(10) {
            return Err(PluginError::new(format!(
                "option `max_names` ({}) must be at least `top_n` ({}) and at least 10",
                options.max_names, options.top_n
            )));
        }
        Ok(HtmlReport {
            out: context.create_file(&options.file)?,
            corpus: Corpus::new(&options),
            options,
        })
    }

    fn write(&mut self, record: &Record<'_>) -> Result<(), PluginError> {
        let article = record.article()?;
        self.corpus.add(article, &self.options);
        Ok(())
    }

    fn finish(&mut self) -> Result<(), PluginError> {
        render::write_page(&mut self.out, &self.corpus, &self.options)?;
        self.out.commit()?;
        Ok(())
    }
}

/// Everything the report shows, gathered article by article.
pub struct Corpus {
    n_articles: u64,
    n_words: u64,
    n_quotes: u64,
    /// Articles with a language label, and with a topic label.
    n_with_language: u64,
    n_with_topic: u64,
    sources: Tally<u64>,
    languages: Tally<u64>,
    topics: Tally<u64>,
    /// Distinct sources and distinct quoted people, for when their tables have dropped names.
    distinct_sources: CardinalityEstimator<str>,
    distinct_speakers: CardinalityEstimator<str>,
    /// ISO date → articles published that day, and the tone figures of those with a tone.
    days: BTreeMap<String, Day>,
    n_undated: u64,
    people: Tally<Person>,
    organizations: Tally<Named>,
    places: Tally<Named>,
    rows: Vec<Row>,
    /// Analysed views of the first articles, by row index.
    views: Vec<String>,
}

#[derive(Default)]
struct Day {
    n_articles: u64,
    n_toned: u64,
    tone_sum: f64,
}

struct Person {
    n_quotes: u64,
    n_mentions: u64,
    n_articles: u64,
    titles: Tally<u64>,
    /// Quotes as the page shows them (shortened), with the index of their article.
    quotes: Vec<(String, u64)>,
}

impl Default for Person {
    fn default() -> Person {
        Person {
            n_quotes: 0,
            n_mentions: 0,
            n_articles: 0,
            titles: Tally::new(MAX_TITLES),
            quotes: Vec::new(),
        }
    }
}

impl Rank for Person {
    fn rank(&self) -> (u64, u64) {
        (self.n_quotes, self.n_mentions)
    }
}

#[derive(Default)]
struct Named {
    n_mentions: u64,
    n_articles: u64,
}

impl Rank for Named {
    fn rank(&self) -> (u64, u64) {
        (self.n_mentions, self.n_articles)
    }
}

/// One line of the article list.
#[derive(serde::Serialize)]
struct Row(
    // headline, date, source, language, topic, tone, quotes, people, has a view
    String,
    String,
    String,
    String,
    String,
    Option<f64>,
    usize,
    usize,
    bool,
);

impl Corpus {
    fn new(options: &Options) -> Corpus {
        Corpus {
            n_articles: 0,
            n_words: 0,
            n_quotes: 0,
            n_with_language: 0,
            n_with_topic: 0,
            sources: Tally::new(options.max_names),
            languages: Tally::new(options.max_names),
            topics: Tally::new(options.max_names),
            distinct_sources: CardinalityEstimator::new(),
            distinct_speakers: CardinalityEstimator::new(),
            days: BTreeMap::new(),
            n_undated: 0,
            people: Tally::new(options.max_names),
            organizations: Tally::new(options.max_names),
            places: Tally::new(options.max_names),
            rows: Vec::new(),
            views: Vec::new(),
        }
    }

    fn add(&mut self, article: &Article, options: &Options) {
        let article_idx = self.n_articles;
        self.n_articles += 1;
        self.n_words += article.n_words() as u64;
        self.n_quotes += article.quotes.len() as u64;
        let source = source_of(article);
        self.sources.update(&source, |count| *count += 1);
        self.distinct_sources.insert(&source);
        let language = article.top_value(&options.language_classifier);
        let topic = article.top_value(&options.topic_classifier);
        if let Some(language) = language {
            self.n_with_language += 1;
            self.languages.update(language, |count| *count += 1);
        }
        if let Some(topic) = topic {
            self.n_with_topic += 1;
            self.topics.update(topic, |count| *count += 1);
        }
        let tone = article.tone(&options.tone_classifier);
        match article
            .published
            .as_deref()
            .filter(|date| svg::is_date(date))
        {
            Some(date) => {
                let day = self.days.entry(date.to_string()).or_default();
                day.n_articles += 1;
                if let Some(tone) = tone {
                    day.n_toned += 1;
                    day.tone_sum += tone;
                }
            }
            None => self.n_undated += 1,
        }

        let mut n_people = 0;
        for entity in &article.entities {
            let n_mentions = entity.mentions.len() as u64;
            match entity.kind {
                EntityKind::Person => {
                    n_people += 1;
                    self.people.update(&entity.name, |person| {
                        person.n_mentions += n_mentions;
                        person.n_articles += 1;
                        for title in &entity.titles {
                            person.titles.update(title, |count| *count += 1);
                        }
                    });
                }
                EntityKind::Organization | EntityKind::Place => {
                    let table = if entity.kind == EntityKind::Place {
                        &mut self.places
                    } else {
                        &mut self.organizations
                    };
                    table.update(&entity.name, |named| {
                        named.n_mentions += n_mentions;
                        named.n_articles += 1;
                    });
                }
                EntityKind::Other => {}
            }
        }
        for quote in &article.quotes {
            // The people table and its "people quoted" card count people: not the
            // organisations that speak too ("Labour said", "Microsoft said").
            let Some(speaker) = quote.speaker.as_ref().filter(|speaker| {
                article
                    .entities
                    .iter()
                    .any(|entity| entity.id == speaker.entity && entity.kind == EntityKind::Person)
            }) else {
                continue;
            };
            self.distinct_speakers.insert(&speaker.name);
            self.people.update(&speaker.name, |person| {
                person.n_quotes += 1;
                if person.quotes.len() < options.quotes_per_person {
                    person.quotes.push((
                        render::shorten(&quote.text, render::QUOTE_CHARS),
                        article_idx,
                    ));
                }
            });
        }

        let listed = article_idx < options.max_listed_articles as u64;
        let has_view = listed && article_idx < options.max_inline_articles as u64;
        if has_view {
            self.views.push(render::article_view(article, options));
        }
        if listed {
            self.rows.push(Row(
                article.headline.clone(),
                article.published.clone().unwrap_or_default(),
                source,
                language.unwrap_or_default().to_string(),
                topic.unwrap_or_default().to_string(),
                tone.map(|tone| (tone * 1000.0).round() / 1000.0),
                article.quotes.len(),
                n_people,
                has_view,
            ));
        }
    }
}

/// Where an article comes from, for the sources chart: its publisher, else the host of its
/// URL, else the folder of its file.
fn source_of(article: &Article) -> String {
    if let Some(publisher) = &article.source.publisher {
        return publisher.clone();
    }
    if let Some(url) = &article.source.url {
        let host = url
            .split("://")
            .nth(1)
            .unwrap_or(url)
            .split('/')
            .next()
            .unwrap_or_default();
        return host.trim_start_matches("www.").to_string();
    }
    match &article.source.path {
        Some(path) => match path.rfind('/') {
            Some(slash) => path[..slash].to_string(),
            None => ".".to_string(),
        },
        None => "stdin".to_string(),
    }
}

plugin_api::export_exporter!(HtmlReport);

#[cfg(test)]
mod tests {
    use super::*;

    fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
        result.unwrap_or_else(|error| panic!("{error}"))
    }

    fn fixture() -> Vec<String> {
        ok(std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/exporters/annotated.jsonl"
        )))
        .lines()
        .map(str::to_string)
        .collect()
    }

    fn report(options: &str) -> String {
        report_of(&fixture(), options)
    }

    fn report_of(lines: &[String], options: &str) -> String {
        let dir = ok(tempfile::tempdir());
        let context = ExportContext {
            out_dir: dir.path().to_path_buf(),
        };
        let mut exporter = ok(HtmlReport::open(context, ok(serde_json::from_str(options))));
        for line in lines {
            ok(exporter.write(&Record::new(line.as_bytes())));
        }
        ok(exporter.finish());
        ok(std::fs::read_to_string(dir.path().join("report.html")))
    }

    /// `n` copies of the seed article in which every person, organisation and place, and
    /// every speaker, has a name of its own, and so does the source: a corpus of many names.
    fn distinct_names(n: usize) -> Vec<String> {
        let seed: serde_json::Value = ok(serde_json::from_str(&fixture()[0]));
        (0..n)
            .map(|copy| {
                let mut article = seed.clone();
                article["id"] = format!("copy-{copy}").into();
                article["source"]["publisher"] = format!("Publisher {copy}").into();
                for field in ["entities", "quotes"] {
                    for item in article[field].as_array_mut().into_iter().flatten() {
                        let name = if field == "quotes" {
                            &mut item["speaker"]["name"]
                        } else {
                            &mut item["name"]
                        };
                        if let Some(text) = name.as_str() {
                            *name = format!("{text} {copy}").into();
                        }
                    }
                }
                article.to_string()
            })
            .collect()
    }

    #[test]
    fn the_analysed_view_marks_quotes_and_entities() {
        let lines = fixture();
        let article: Article = ok(serde_json::from_str(&lines[0]));
        let options: Options = ok(serde_json::from_str("{}"));
        let view = render::article_view(&article, &options);
        insta::assert_snapshot!("seed_article_view", view.replace("<p", "\n<p"));
    }

    #[test]
    fn the_report_is_self_contained_and_aggregates_the_model() {
        let page = report("{}");
        assert!(page.contains("default-src 'none'"));
        assert!(!page.contains("href=\"http") && !page.contains("src="));
        assert_eq!(page.matches("<svg").count(), 5);
        assert_eq!(page.matches("<template id=\"view-").count(), 3);
        // The most quoted person leads the people table, with a title and a quote.
        let people = &page[page.find("id=\"people\"").unwrap_or(0)..];
        let blinken = people.find("Antony Blinken").unwrap_or(usize::MAX);
        let putin = people.find("Vladimir Putin").unwrap_or(0);
        assert!(blinken < putin, "Blinken (5 quotes) before Putin (2)");
        assert!(people.contains("head of US diplomacy"));
        // Text from articles cannot become markup.
        assert!(page.contains("&lt;b&gt;here&lt;/b&gt; &amp; there"));
    }

    #[test]
    fn only_people_count_as_quoted_people() {
        let mut article: serde_json::Value = ok(serde_json::from_str(&fixture()[0]));
        let quoted_people = |page: &str| {
            let card = r#"</div><div class="label">people quoted"#;
            let end = page.find(card).unwrap_or(0);
            let start = page[..end].rfind('>').map_or(0, |idx| idx + 1);
            page[start..end].to_string()
        };
        let before = report_of(&[article.to_string()], "{}");
        assert!(before.contains("Vladimir Putin"));
        // The same article with Putin's entity an organisation: its quotes leave the table.
        for entity in article["entities"].as_array_mut().into_iter().flatten() {
            if entity["name"] == "Vladimir Putin" {
                entity["kind"] = "organization".into();
            }
        }
        let after = report_of(&[article.to_string()], "{}");
        let people = &after[after.find("id=\"people\"").unwrap_or(0)..];
        let people = &people[..people.find("</section>").unwrap_or(people.len())];
        assert!(!people.contains("Vladimir Putin"), "{people}");
        let before: u32 = ok(quoted_people(&before).parse());
        let after: u32 = ok(quoted_people(&after).parse());
        assert_eq!(after + 1, before, "one person fewer quoted");
    }

    #[test]
    fn every_count_is_exact_while_the_tables_have_room() {
        let page = report_of(&distinct_names(30), "{}");
        assert!(!page.contains("option <code>max_names</code>"));
        assert!(!page.contains("≈"));
        // 30 copies × 3 quoted people, each a name of its own; 30 publishers.
        assert!(page.contains(r#"<div class="value">90</div><div class="label">people quoted"#));
        assert!(page.contains(r#"<div class="value">30</div><div class="label">sources"#));
    }

    #[test]
    fn full_tables_drop_names_and_say_so() {
        let page = report_of(&distinct_names(30), r#"{"max_names": 20, "top_n": 5}"#);
        for table in ["people", "organisations", "places", "sources"] {
            assert!(
                page.contains(&format!("The {table} table holds")),
                "a note under the {table} table"
            );
        }
        // Distinct counts become estimates, marked as such; the estimator is exact this small.
        assert!(page.contains(r#"<div class="value">≈ 90</div><div class="label">people quoted"#));
        assert!(page.contains(r#"<div class="value">≈ 30</div><div class="label">sources"#));
        // The sources chart still accounts for every article: the dropped ones are "(other)".
        assert!(page.contains("(other)"));
    }

    #[test]
    fn a_table_smaller_than_what_the_page_shows_is_refused() {
        let dir = ok(tempfile::tempdir());
        let context = ExportContext {
            out_dir: dir.path().to_path_buf(),
        };
        let options: Options = ok(serde_json::from_str(r#"{"max_names": 9}"#));
        match HtmlReport::open(context, options) {
            Ok(_) => panic!("max_names 9 was accepted"),
            Err(error) => assert!(error.to_string().contains("option `max_names` (9)")),
        }
    }

    #[test]
    fn the_list_stops_at_its_limit_and_the_figures_do_not() {
        let page = report_of(&distinct_names(5), r#"{"max_listed_articles": 2}"#);
        assert!(page.contains("The list holds the first 2 of the 5 articles"));
        assert!(page.contains(r#"<div class="value">5</div><div class="label">articles"#));
        assert_eq!(page.matches("<template id=\"view-").count(), 2);
    }

    #[test]
    fn bodies_are_inlined_only_up_to_the_limit() {
        let page = report(r#"{"max_inline_articles": 1}"#);
        assert_eq!(page.matches("<template id=\"view-").count(), 1);
        assert!(page.contains("The first 1 articles open their analysed view"));
    }
}

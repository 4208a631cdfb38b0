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
//! The report aggregates as articles come; what it keeps per article is one row of the
//! article list (about 150 bytes). Article bodies, with their analysed view, are inlined only
//! for the first `max_inline_articles` articles (default 2,000); later articles are listed and
//! searchable by headline but open no view. At 100,000 articles the page is about 15 MB plus
//! the inlined views, and the list shows 500 rows at a time.

mod render;
mod svg;

use std::collections::BTreeMap;

use plugin_api::article::{Article, EntityKind};
use plugin_api::{AtomicFile, ExportContext, Exporter, PluginError, Record};
use serde::Deserialize;

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
        Ok(HtmlReport {
            out: context.create_file(&options.file)?,
            options,
            corpus: Corpus::default(),
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
#[derive(Default)]
pub struct Corpus {
    n_articles: u64,
    n_words: u64,
    n_quotes: u64,
    sources: BTreeMap<String, u64>,
    languages: BTreeMap<String, u64>,
    topics: BTreeMap<String, u64>,
    /// ISO date → articles published that day, and the tone figures of those with a tone.
    days: BTreeMap<String, Day>,
    n_undated: u64,
    people: BTreeMap<String, Person>,
    organizations: BTreeMap<String, Named>,
    places: BTreeMap<String, Named>,
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

#[derive(Default)]
struct Person {
    n_quotes: u64,
    n_mentions: u64,
    n_articles: u64,
    titles: BTreeMap<String, u64>,
    quotes: Vec<(String, usize)>,
}

#[derive(Default)]
struct Named {
    n_mentions: u64,
    n_articles: u64,
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
    fn add(&mut self, article: &Article, options: &Options) {
        let row_idx = self.rows.len();
        self.n_articles += 1;
        self.n_words += article.n_words() as u64;
        self.n_quotes += article.quotes.len() as u64;
        let source = source_of(article);
        *self.sources.entry(source.clone()).or_default() += 1;
        let language = article
            .top_value(&options.language_classifier)
            .map(str::to_string);
        let topic = article
            .top_value(&options.topic_classifier)
            .map(str::to_string);
        if let Some(language) = &language {
            *self.languages.entry(language.clone()).or_default() += 1;
        }
        if let Some(topic) = &topic {
            *self.topics.entry(topic.clone()).or_default() += 1;
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
                    let person = self.people.entry(entity.name.clone()).or_default();
                    person.n_mentions += n_mentions;
                    person.n_articles += 1;
                    for title in &entity.titles {
                        *person.titles.entry(title.clone()).or_default() += 1;
                    }
                }
                EntityKind::Organization | EntityKind::Place => {
                    let table = if entity.kind == EntityKind::Place {
                        &mut self.places
                    } else {
                        &mut self.organizations
                    };
                    let named = table.entry(entity.name.clone()).or_default();
                    named.n_mentions += n_mentions;
                    named.n_articles += 1;
                }
                EntityKind::Other => {}
            }
        }
        for quote in &article.quotes {
            let Some(speaker) = &quote.speaker else {
                continue;
            };
            let person = self.people.entry(speaker.name.clone()).or_default();
            person.n_quotes += 1;
            if person.quotes.len() < options.quotes_per_person {
                person.quotes.push((quote.text.clone(), row_idx));
            }
        }

        let has_view = row_idx < options.max_inline_articles;
        if has_view {
            self.views.push(render::article_view(article, options));
        }
        self.rows.push(Row(
            article.headline.clone(),
            article.published.clone().unwrap_or_default(),
            source,
            language.unwrap_or_default(),
            topic.unwrap_or_default(),
            tone.map(|tone| (tone * 1000.0).round() / 1000.0),
            article.quotes.len(),
            n_people,
            has_view,
        ));
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
        let dir = ok(tempfile::tempdir());
        let context = ExportContext {
            out_dir: dir.path().to_path_buf(),
        };
        let mut exporter = ok(HtmlReport::open(context, ok(serde_json::from_str(options))));
        for line in fixture() {
            ok(exporter.write(&Record::new(line.as_bytes())));
        }
        ok(exporter.finish());
        ok(std::fs::read_to_string(dir.path().join("report.html")))
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
    fn bodies_are_inlined_only_up_to_the_limit() {
        let page = report(r#"{"max_inline_articles": 1}"#);
        assert_eq!(page.matches("<template id=\"view-").count(), 1);
        assert!(page.contains("The first 1 articles open their analysed view"));
    }
}

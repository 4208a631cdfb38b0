//! Writes `digest.md`: one readable digest of the run. For each article, in input order: its
//! headline, date and source, its labels, and its quotes grouped by speaker (speakers in order
//! of their first quote; unattributed quotes last). Written as articles come, so memory does
//! not grow with the corpus; under a temporary name, renamed at finish.

use std::io::Write;

use plugin_api::article::{Article, Quote};
use plugin_api::{AtomicFile, ExportContext, Exporter, PluginError, Record};
use serde::Deserialize;

/// Options of the `markdown` exporter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// File name inside the output folder.
    #[serde(default = "default_file")]
    pub file: String,
    /// Title of the digest.
    #[serde(default = "default_title")]
    pub title: String,
}

fn default_file() -> String {
    "digest.md".to_string()
}

fn default_title() -> String {
    "copydesk digest".to_string()
}

/// The exporter.
pub struct Markdown {
    out: AtomicFile,
    n_articles: usize,
}

impl Exporter for Markdown {
    const NAME: &'static str = "markdown";
    const DESCRIPTION: &'static str = "digest.md: headlines, dates, labels, quotes by speaker";
    type Options = Options;

    fn open(context: ExportContext, options: Options) -> Result<Self, PluginError> {
        let mut out = context.create_file(&options.file)?;
        writeln!(out, "# {}\n", escape(&options.title))?;
        Ok(Markdown { out, n_articles: 0 })
    }

    fn write(&mut self, record: &Record<'_>) -> Result<(), PluginError> {
        let article = record.article()?;
        self.n_articles += 1;
        self.out.write_all(article_section(article).as_bytes())?;
        Ok(())
    }

    fn finish(&mut self) -> Result<(), PluginError> {
        let noun = if self.n_articles == 1 {
            "article"
        } else {
            "articles"
        };
        writeln!(self.out, "---\n\n{} {noun}.", self.n_articles)?;
        self.out.commit()?;
        Ok(())
    }
}

/// The digest of one article, ending with a blank line.
pub fn article_section(article: &Article) -> String {
    let mut section = String::new();
    let headline = if article.headline.is_empty() {
        "(no headline)"
    } else {
        &article.headline
    };
    section.push_str(&format!("## {}\n\n", escape(headline)));

    let mut facts = vec![
        article
            .published
            .as_deref()
            .unwrap_or("undated")
            .to_string(),
    ];
    if let Some(place) = article
        .dateline
        .as_ref()
        .and_then(|dateline| dateline.place.as_deref())
    {
        facts.push(escape(place));
    }
    if let Some(source) = article
        .source
        .url
        .as_deref()
        .or(article.source.path.as_deref())
    {
        facts.push(format!("`{}`", source.replace('`', "'")));
    }
    facts.push(format!("id `{}`", article.id));
    section.push_str(&format!("*{}*\n\n", facts.join(" · ")));

    if !article.labels.is_empty() {
        let labels: Vec<String> = article
            .labels
            .iter()
            .filter_map(|(classifier, labels)| {
                let top = labels.first()?;
                Some(format!(
                    "{}: **{}** ({:.2})",
                    escape(classifier),
                    escape(&top.value),
                    top.score
                ))
            })
            .collect();
        section.push_str(&format!("Labels: {}\n\n", labels.join(" · ")));
    }

    for (speaker, quotes) in quotes_by_speaker(article) {
        match speaker {
            Some(speaker) => {
                let titles = article
                    .entities
                    .iter()
                    .find(|entity| entity.id == speaker.entity)
                    .map(|entity| entity.titles.join(", "))
                    .unwrap_or_default();
                if titles.is_empty() {
                    section.push_str(&format!("**{}**\n\n", escape(&speaker.name)));
                } else {
                    section.push_str(&format!(
                        "**{}**, {}\n\n",
                        escape(&speaker.name),
                        escape(&titles)
                    ));
                }
            }
            None => section.push_str("**Unattributed**\n\n"),
        }
        for quote in quotes {
            section.push_str(&quote_line(quote));
        }
    }
    section
}

/// Quotes grouped by speaker entity, speakers in order of their first quote, the quotes with
/// no speaker last.
fn quotes_by_speaker(
    article: &Article,
) -> Vec<(Option<&plugin_api::article::EntityRef>, Vec<&Quote>)> {
    let mut groups: Vec<(Option<&plugin_api::article::EntityRef>, Vec<&Quote>)> = Vec::new();
    let mut unattributed = Vec::new();
    for quote in &article.quotes {
        let Some(speaker) = quote.speaker.as_ref() else {
            unattributed.push(quote);
            continue;
        };
        match groups
            .iter_mut()
            .find(|(known, _)| known.is_some_and(|known| known.entity == speaker.entity))
        {
            Some((_, quotes)) => quotes.push(quote),
            None => groups.push((Some(speaker), vec![quote])),
        }
    }
    if !unattributed.is_empty() {
        groups.push((None, unattributed));
    }
    groups
}

/// One quote as a block quote, its cue and addressee after it.
fn quote_line(quote: &Quote) -> String {
    let text = quote
        .text
        .lines()
        .map(escape)
        .collect::<Vec<_>>()
        .join("\n> ");
    let mut context = Vec::new();
    if let Some(cue) = &quote.cue {
        context.push(escape(cue));
    }
    if let Some(addressee) = &quote.addressee {
        // "told Guterres" reads as written; with no cue, "to Guterres".
        let to = if quote.cue.is_some() { "" } else { "to " };
        context.push(format!("{to}{}", escape(&addressee.name)));
    }
    if context.is_empty() {
        format!("> {text}\n\n")
    } else {
        format!("> {text}\n>\n> — *{}*\n\n", context.join(" "))
    }
}

/// Text with Markdown's inline syntax characters escaped, so an article cannot turn into
/// markup (a headline starting with `#`, an `<img>` in a scraped body).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(
            character,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~'
        ) {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}

plugin_api::export_exporter!(Markdown);

#[cfg(test)]
mod tests {
    use super::*;

    fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
        result.unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn annotated_articles_make_a_digest_with_quotes_by_speaker() {
        let fixture = ok(std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/exporters/annotated.jsonl"
        )));
        let dir = ok(tempfile::tempdir());
        let context = ExportContext {
            out_dir: dir.path().to_path_buf(),
        };
        let mut exporter = ok(Markdown::open(context, ok(serde_json::from_str("{}"))));
        for line in fixture.lines() {
            ok(exporter.write(&Record::new(line.as_bytes())));
        }
        ok(exporter.finish());
        let digest = ok(std::fs::read_to_string(dir.path().join("digest.md")));
        insta::assert_snapshot!("annotated_digest", digest);
    }
}

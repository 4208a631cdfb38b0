//! The page: sections rendered as HTML strings from the aggregates.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::io;

use plugin_api::article::{Article, EntityKind};

use crate::svg::{self, Period};
use crate::tally::{Rank, Tally};
use crate::{Corpus, Options};

const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// The page forbids itself every request: no fetch, no image, no font, no frame, no form.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     script-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

/// Rows of the article list shown at once.
const PAGE_ROWS: usize = 500;

/// The longest quote the people table shows, in characters.
pub(crate) const QUOTE_CHARS: usize = 240;

/// Writes the whole page. The sections are built as one string; the inlined views, most of the
/// page, go straight from the corpus to `out` rather than being copied into it first.
pub fn write_page(out: &mut impl io::Write, corpus: &Corpus, options: &Options) -> io::Result<()> {
    let mut html = String::with_capacity(64 * 1024);
    let title = escape(&options.title);
    let _ = write!(
        html,
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="copydesk export-html-report {version}">
<title>{title}</title>
<style>{STYLE}</style>
</head>
<body>
<header><h1>{title}</h1><nav><a href="#overview">Overview</a> <a href="#time">Over time</a> <a href="#people">People</a> <a href="#entities">Organisations and places</a> <a href="#articles">Articles</a></nav></header>
<main>
"##,
        version = env!("CARGO_PKG_VERSION"),
    );
    overview(&mut html, corpus);
    over_time(&mut html, corpus);
    people(&mut html, corpus, options);
    entities(&mut html, corpus, options);
    article_list(&mut html, corpus);
    html.push_str("</main>\n");
    out.write_all(html.as_bytes())?;
    for (idx, view) in corpus.views.iter().enumerate() {
        write!(out, r#"<template id="view-{idx}">"#)?;
        out.write_all(view.as_bytes())?;
        out.write_all(b"</template>\n")?;
    }
    out.write_all(br#"<script type="application/json" id="article-rows">"#)?;
    // Written as it is encoded: the rows are the largest thing the report holds.
    serde_json::to_writer(ScriptSafe(&mut *out), &corpus.rows)?;
    write!(
        out,
        "</script>\n<script>const PAGE_ROWS = {PAGE_ROWS};\n{SCRIPT}</script>\n</body>\n</html>\n",
    )
}

/// JSON made safe inside `<script>` as it is written: no `<` at all, so neither `</script>`
/// nor `<!--` can appear. `<` only occurs inside JSON strings, where `\u003c` means the same.
struct ScriptSafe<W>(W);

impl<W: io::Write> io::Write for ScriptSafe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        while let Some(at) = rest.iter().position(|&byte| byte == b'<') {
            self.0.write_all(&rest[..at])?;
            self.0.write_all(b"\\u003c")?;
            rest = &rest[at + 1..];
        }
        self.0.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// "12,345", or "≈ 12,300" for an estimate.
fn distinct(exact: Option<usize>, estimate: usize) -> String {
    match exact {
        Some(n) => thousands(n as u64),
        None => format!("≈ {}", thousands(estimate as u64)),
    }
}

/// A note under a table that has dropped names, saying how short its counts may be.
fn dropped_note<V: Rank>(html: &mut String, table: &Tally<V>, what: &str, parts: [&str; 2]) {
    if table.n_dropped() == 0 {
        return;
    }
    let (first, second) = table.dropped();
    let mut bound = format!("{} {}", thousands(first), parts[0]);
    if !parts[1].is_empty() {
        let _ = write!(bound, " and {} {}", thousands(second), parts[1]);
    }
    let _ = write!(
        html,
        r#"<p class="note">The {what} table holds {} names (at most <code>max_names</code>). Less frequent names were dropped {} times to make room, so a count shown may be short by up to {bound}; every name counted more often than that is here.</p>"#,
        thousands(table.len() as u64),
        thousands(table.n_dropped()),
    );
}

fn overview(html: &mut String, corpus: &Corpus) {
    let first = corpus.days.keys().next();
    let last = corpus.days.keys().next_back();
    let range = match (first, last) {
        (Some(first), Some(last)) if first == last => first.clone(),
        (Some(first), Some(last)) => format!("{first} – {last}"),
        _ => "no dates".to_string(),
    };
    let n_speakers = (corpus.people.n_dropped() == 0).then(|| {
        corpus
            .people
            .iter()
            .filter(|(_, person)| person.n_quotes > 0)
            .count()
    });
    let n_sources = (corpus.sources.n_dropped() == 0).then(|| corpus.sources.len());
    let cards = [
        ("articles", thousands(corpus.n_articles)),
        (
            "sources",
            distinct(n_sources, corpus.distinct_sources.estimate()),
        ),
        ("words", thousands(corpus.n_words)),
        ("quotes", thousands(corpus.n_quotes)),
        (
            "people quoted",
            distinct(n_speakers, corpus.distinct_speakers.estimate()),
        ),
        ("published", range),
    ];
    html.push_str(r#"<section id="overview"><h2>Overview</h2><div class="cards">"#);
    for (label, value) in cards {
        let _ = write!(
            html,
            r#"<div class="card"><div class="value">{}</div><div class="label">{label}</div></div>"#,
            escape(&value)
        );
    }
    if corpus.n_undated > 0 {
        let _ = write!(
            html,
            r#"<p class="note">{} of {} articles carry no publication date.</p>"#,
            thousands(corpus.n_undated),
            thousands(corpus.n_articles)
        );
    }
    html.push_str(r#"</div><div class="charts">"#);
    for (title, counts, total) in [
        ("Topics", &corpus.topics, corpus.n_with_topic),
        ("Languages", &corpus.languages, corpus.n_with_language),
        ("Sources", &corpus.sources, corpus.n_articles),
    ] {
        let _ = write!(
            html,
            r#"<figure><figcaption>{title}</figcaption>{}</figure>"#,
            svg::bar_chart(title, &largest(counts, total, 10))
        );
    }
    html.push_str("</div>");
    dropped_note(html, &corpus.sources, "sources", ["articles", ""]);
    html.push_str("</section>\n");
}

/// The `n` largest counts, largest first, with the rest of `total` as "other" (also what
/// the table dropped).
fn largest(counts: &Tally<u64>, total: u64, n: usize) -> Vec<(String, u64)> {
    let mut items: Vec<(String, u64)> = counts
        .top(n)
        .into_iter()
        .map(|(name, count)| (name.to_string(), *count))
        .collect();
    if counts.len() > n {
        items.truncate(n - 1);
        let shown: u64 = items.iter().map(|(_, count)| count).sum();
        items.push(("(other)".to_string(), total.saturating_sub(shown)));
    }
    items
}

fn over_time(html: &mut String, corpus: &Corpus) {
    let (Some(first), Some(last)) = (corpus.days.keys().next(), corpus.days.keys().next_back())
    else {
        html.push_str(r#"<section id="time"><h2>Over time</h2><div class="charts">"#);
        html.push_str(&svg::volume_chart("Articles over time", &[]));
        html.push_str(&svg::tone_chart("Tone over time", &[]));
        html.push_str("</div></section>\n");
        return;
    };
    let period = Period::for_range(first, last);
    let mut volume: BTreeMap<String, u64> = BTreeMap::new();
    let mut tone: BTreeMap<String, (f64, u64)> = BTreeMap::new();
    for (date, day) in &corpus.days {
        let key = period.of(date);
        *volume.entry(key.clone()).or_default() += day.n_articles;
        if day.n_toned > 0 {
            let entry = tone.entry(key).or_default();
            entry.0 += day.tone_sum;
            entry.1 += day.n_toned;
        }
    }
    let volume: Vec<(String, u64)> = volume.into_iter().collect();
    let tone: Vec<(String, f64, u64)> = tone
        .into_iter()
        .map(|(key, (sum, n))| (key, sum / n as f64, n))
        .collect();
    let _ = writeln!(
        html,
        r#"<section id="time"><h2>Over time</h2><p class="note">One point per {}.</p><div class="charts"><figure><figcaption>Articles published</figcaption>{}</figure><figure><figcaption>Mean tone (−1 negative … +1 positive)</figcaption>{}</figure></div></section>"#,
        period.name(),
        svg::volume_chart("Articles published over time", &volume),
        svg::tone_chart("Mean tone over time", &tone),
    );
}

fn people(html: &mut String, corpus: &Corpus, options: &Options) {
    let ranked = corpus.people.top(options.top_n);
    html.push_str(r#"<section id="people"><h2>Most quoted people</h2>"#);
    if ranked.is_empty() {
        html.push_str(r#"<p class="note">No people were found in this run.</p></section>"#);
        html.push('\n');
        return;
    }
    html.push_str(
        r#"<table class="data"><thead><tr><th>Person</th><th>Titles</th><th class="n">Quotes</th><th class="n">Mentions</th><th class="n">Articles</th><th>Quoted saying</th></tr></thead><tbody>"#,
    );
    for (name, person) in ranked {
        let titles: Vec<String> = person
            .titles
            .top(3)
            .into_iter()
            .map(|(title, _)| escape(title))
            .collect();
        let quotes: String = person
            .quotes
            .iter()
            .map(|(text, article_idx)| {
                let link = if *article_idx < corpus.views.len() as u64 {
                    format!(r##" <a href="#a-{article_idx}">article</a>"##)
                } else {
                    String::new()
                };
                format!("<blockquote>“{}”{link}</blockquote>", escape(text))
            })
            .collect();
        let _ = write!(
            html,
            r#"<tr><td>{}</td><td>{}</td><td class="n">{}</td><td class="n">{}</td><td class="n">{}</td><td>{quotes}</td></tr>"#,
            escape(name),
            titles.join("; "),
            person.n_quotes,
            person.n_mentions,
            person.n_articles,
        );
    }
    html.push_str("</tbody></table>");
    dropped_note(html, &corpus.people, "people", ["quotes", "mentions"]);
    html.push_str("</section>\n");
}

fn entities(html: &mut String, corpus: &Corpus, options: &Options) {
    html.push_str(r#"<section id="entities"><h2>Most mentioned organisations and places</h2><div class="charts">"#);
    for (caption, table) in [
        ("Organisations", &corpus.organizations),
        ("Places", &corpus.places),
    ] {
        let ranked = table.top(options.top_n);
        let _ = write!(
            html,
            r#"<div><h3>{caption}</h3><table class="data"><thead><tr><th>Name</th><th class="n">Mentions</th><th class="n">Articles</th></tr></thead><tbody>"#
        );
        if ranked.is_empty() {
            html.push_str(r#"<tr><td colspan="3" class="note">none found in this run</td></tr>"#);
        }
        for (name, named) in ranked {
            let _ = write!(
                html,
                r#"<tr><td>{}</td><td class="n">{}</td><td class="n">{}</td></tr>"#,
                escape(name),
                named.n_mentions,
                named.n_articles
            );
        }
        html.push_str("</tbody></table>");
        dropped_note(
            html,
            table,
            &caption.to_lowercase(),
            ["mentions", "articles"],
        );
        html.push_str("</div>");
    }
    html.push_str("</div></section>\n");
}

fn article_list(html: &mut String, corpus: &Corpus) {
    let mut limit_note = String::new();
    if corpus.rows.len() > corpus.views.len() {
        let _ = write!(
            limit_note,
            " The first {} articles open their analysed view; the others are listed only (option <code>max_inline_articles</code>).",
            thousands(corpus.views.len() as u64)
        );
    }
    if (corpus.rows.len() as u64) < corpus.n_articles {
        let _ = write!(
            limit_note,
            " The list holds the first {} of the {} articles (option <code>max_listed_articles</code>); every article counts in the figures above.",
            thousands(corpus.rows.len() as u64),
            thousands(corpus.n_articles)
        );
    }
    let _ = write!(
        html,
        r##"<section id="articles"><h2>Articles</h2>
<p class="note">Search headlines, sources and labels; click a column to sort; click a headline to open its analysed view.{limit_note}</p>
<div class="toolbar"><input id="search" type="search" placeholder="Search articles" aria-label="Search articles"> <span id="match-count"></span></div>
<table class="data" id="article-table"><thead><tr><th data-key="0">Headline</th><th data-key="1">Published</th><th data-key="2">Source</th><th data-key="3">Language</th><th data-key="4">Topic</th><th data-key="5" class="n">Tone</th><th data-key="6" class="n">Quotes</th><th data-key="7" class="n">People</th></tr></thead><tbody></tbody></table>
<button id="more" type="button" hidden>Show more</button>
</section>
<section id="view" hidden><p><a href="#articles">← all articles</a></p><div id="view-body"></div></section>
"##
    );
}

/// The analysed view of one article: the text with quotes highlighted and entities marked,
/// then its quotes, entities and dates.
pub fn article_view(article: &Article, options: &Options) -> String {
    // The text and its markup, without growing the string step by step.
    let text_bytes: usize = article.paragraphs.iter().map(String::len).sum();
    let mut view = String::with_capacity(2 * text_bytes + 1024);
    let _ = write!(
        view,
        "<article><h2>{}</h2><p class=\"meta\">{} · {} · <code>{}</code></p>",
        escape(&article.headline),
        escape(article.published.as_deref().unwrap_or("undated")),
        escape(
            article
                .source
                .url
                .as_deref()
                .or(article.source.path.as_deref())
                .unwrap_or("")
        ),
        escape(&article.id),
    );
    if !article.labels.is_empty() {
        view.push_str(r#"<p class="labels">"#);
        for (classifier, labels) in &article.labels {
            if let Some(top) = labels.first() {
                let _ = write!(
                    view,
                    r#"<span class="label">{}: <b>{}</b> {:.2}</span> "#,
                    escape(classifier),
                    escape(&top.value),
                    top.score
                );
            }
        }
        view.push_str("</p>");
    }
    view.push_str(r#"<p class="legend"><mark class="q">quote</mark> <span class="e e-person">person</span> <span class="e e-organization">organisation</span> <span class="e e-place">place</span> <span class="e e-other">other name</span></p>"#);
    for (paragraph_idx, paragraph) in article.paragraphs.iter().enumerate() {
        view.push_str("<p class=\"body\">");
        marked_paragraph(&mut view, article, paragraph_idx, paragraph);
        view.push_str("</p>");
    }
    if !article.quotes.is_empty() {
        view.push_str(r#"<h3>Quotes</h3><ol class="quotes">"#);
        for quote in &article.quotes {
            let speaker = quote
                .speaker
                .as_ref()
                .map_or("unattributed".to_string(), |speaker| escape(&speaker.name));
            let addressee = quote
                .addressee
                .as_ref()
                .map(|addressee| format!(" to {}", escape(&addressee.name)))
                .unwrap_or_default();
            let _ = write!(
                view,
                "<li><b>{speaker}</b>{addressee} <i>{}</i>: “{}”</li>",
                escape(quote.cue.as_deref().unwrap_or("")),
                escape(&quote.text)
            );
        }
        view.push_str("</ol>");
    }
    if !article.entities.is_empty() {
        view.push_str(r#"<h3>Entities</h3><ul class="entities">"#);
        for entity in &article.entities {
            let titles = if entity.titles.is_empty() {
                String::new()
            } else {
                format!(" — {}", escape(&entity.titles.join("; ")))
            };
            let _ = write!(
                view,
                r#"<li><span class="e e-{kind}">{}</span>{titles} <small>{kind}, {} mentions</small></li>"#,
                escape(&entity.name),
                entity.mentions.len(),
                kind = entity.kind.as_str(),
            );
        }
        view.push_str("</ul>");
    }
    if !article.dates.is_empty() {
        view.push_str("<h3>Dates</h3><ul>");
        for date in &article.dates {
            let _ = write!(
                view,
                "<li>{} → <code>{}</code> <small>{}</small></li>",
                escape(&date.text),
                escape(&date.value),
                escape(&date.resolution)
            );
        }
        view.push_str("</ul>");
    }
    let _ = options;
    view.push_str("</article>");
    view
}

/// Writes a paragraph with quote spans in `<mark>` and entity mentions in `<span>`. Each code
/// point gets the quote and the entity covering it (the later one where several do); a new
/// element starts wherever either changes, so overlapping spans never produce badly nested
/// markup.
fn marked_paragraph(html: &mut String, article: &Article, paragraph_idx: usize, paragraph: &str) {
    let quote_spans = article
        .quotes
        .iter()
        .enumerate()
        .flat_map(|(quote_idx, quote)| {
            quote
                .spans
                .iter()
                .filter(move |span| span.paragraph == paragraph_idx)
                .map(move |span| (quote_idx, span))
        });
    let mention_spans = article
        .entities
        .iter()
        .enumerate()
        .flat_map(|(entity_idx, entity)| {
            entity
                .mentions
                .iter()
                .filter(move |mention| mention.span.paragraph == paragraph_idx)
                .map(move |mention| (entity_idx, &mention.span))
        });
    // Most paragraphs hold neither quote nor mention: they are plain escaped text.
    if quote_spans.clone().next().is_none() && mention_spans.clone().next().is_none() {
        escape_into(html, paragraph);
        return;
    }
    // Spans count code points: the byte offset of every code point, and of the end, unless
    // the paragraph is ASCII, where the two are the same.
    let ascii = paragraph.is_ascii();
    let bounds: Vec<usize> = if ascii {
        Vec::new()
    } else {
        paragraph
            .char_indices()
            .map(|(offset, _)| offset)
            .chain([paragraph.len()])
            .collect()
    };
    let byte_offset = |char_idx: usize| if ascii { char_idx } else { bounds[char_idx] };
    let n_chars = if ascii {
        paragraph.len()
    } else {
        bounds.len() - 1
    };
    let mut quote_at: Vec<Option<usize>> = vec![None; n_chars];
    let mut entity_at: Vec<Option<usize>> = vec![None; n_chars];
    for (quote_idx, span) in quote_spans {
        for slot in quote_at.iter_mut().take(span.end).skip(span.start) {
            *slot = Some(quote_idx);
        }
    }
    for (entity_idx, span) in mention_spans {
        for slot in entity_at.iter_mut().take(span.end).skip(span.start) {
            *slot = Some(entity_idx);
        }
    }
    let mut run_start = 0;
    while run_start < n_chars {
        let state = (quote_at[run_start], entity_at[run_start]);
        let mut run_end = run_start + 1;
        while run_end < n_chars && (quote_at[run_end], entity_at[run_end]) == state {
            run_end += 1;
        }
        if let Some(quote_idx) = state.0 {
            let quote = &article.quotes[quote_idx];
            let speaker = quote
                .speaker
                .as_ref()
                .map_or("unattributed", |speaker| speaker.name.as_str());
            let _ = write!(html, r#"<mark class="q" title="quote {} — "#, quote_idx + 1);
            escape_into(html, speaker);
            html.push_str("\">");
        }
        if let Some(entity_idx) = state.1 {
            let entity = &article.entities[entity_idx];
            let _ = write!(
                html,
                r#"<span class="e e-{}" title=""#,
                entity.kind.as_str()
            );
            escape_into(html, &entity.name);
            let _ = write!(html, r#" ({})">"#, kind_name(entity.kind));
        }
        escape_into(
            html,
            &paragraph[byte_offset(run_start)..byte_offset(run_end)],
        );
        if state.1.is_some() {
            html.push_str("</span>");
        }
        if state.0.is_some() {
            html.push_str("</mark>");
        }
        run_start = run_end;
    }
}

fn kind_name(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "person",
        EntityKind::Organization => "organisation",
        EntityKind::Place => "place",
        EntityKind::Other => "other",
    }
}

/// Text made safe for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    escape_into(&mut escaped, text);
    escaped
}

/// [`escape`], appended to `html`: the text between special characters is copied whole.
pub fn escape_into(html: &mut String, text: &str) {
    let mut rest = text;
    // The special characters are ASCII, so a byte search never splits a code point.
    while let Some(at) = rest
        .bytes()
        .position(|byte| matches!(byte, b'&' | b'<' | b'>' | b'"' | b'\''))
    {
        html.push_str(&rest[..at]);
        html.push_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[at + 1..];
    }
    html.push_str(rest);
}

pub(crate) fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_string();
    }
    let mut short: String = text.chars().take(max_chars - 1).collect();
    short.push('…');
    short
}

/// `12,345`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (idx, digit) in digits.chars().enumerate() {
        if idx > 0 && (digits.len() - idx).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(294), "294");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn script_json_cannot_close_the_script() {
        let mut out = Vec::new();
        let rows = ["</script>", "a<b<<c", "<"];
        let written = serde_json::to_writer(ScriptSafe(&mut out), &rows);
        assert!(written.is_ok());
        assert_eq!(
            String::from_utf8_lossy(&out),
            r#"["\u003c/script>","a\u003cb\u003c\u003cc","\u003c"]"#
        );
    }
}

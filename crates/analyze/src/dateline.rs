//! Datelines and bylines: "MOSCOW (Reuters) -", "WASHINGTON, April 26 (AP) —", Wikinews'
//! opening "Friday, January 4, 2019", "By Jane Doe", "Reporting by …; Editing by …".
//!
//! Nothing is removed from the text: a dateline is recorded with its span in the paragraph
//! it opens, even when that paragraph is nothing but the date.

use std::sync::LazyLock;

use article::{Article, CharIndex, Credit, Dateline, Span};
use jiff::civil::Date;
use regex::Regex;

use crate::{clean, dates, gazetteer};

/// "MOSCOW (Reuters) -", "WASHINGTON, April 26 (AP) —", "KYIV, Ukraine —", "London (AFP) -".
///
/// Three repetitions are bounded (a place's run of letters, its region, the agency), and a
/// bounded repetition of a large Unicode class compiles to one copy of the class per count:
/// this pattern took a run's start-up 30 ms to compile. [`wire_captures`] first tries the same
/// pattern with those repetitions unbounded ([`WIRE_DATELINE_UNBOUNDED`], 1 ms), and compiles
/// this one only for a text where that is not enough.
static WIRE_DATELINE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(&wire_dateline_pattern(Some(WIRE_BOUNDS))).ok());

static WIRE_DATELINE_UNBOUNDED: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(&wire_dateline_pattern(None)).ok());

/// Most characters of the `run`, `region` and `agency` groups.
const WIRE_BOUNDS: [usize; 3] = [40, 30, 40];
const WIRE_GROUPS: [&str; 3] = ["run", "region", "agency"];

fn wire_dateline_pattern(bounds: Option<[usize; 3]>) -> String {
    let [run, region, agency] = match bounds {
        Some(most) => most.map(|most| format!("{{1,{most}}}")),
        None => ["+".to_string(), "+".to_string(), "+".to_string()],
    };
    format!(
        concat!(
            r"^(?P<place>[\p{{Lu}}](?P<run>[\p{{Lu}}\p{{M}}.'’ -]{run}?)",
            r"(?:,\s*\p{{Lu}}(?P<region>[\p{{L}}.' ]{region}?))?",
            r"|\p{{Lu}}[\p{{Ll}}\p{{M}}.'’-]+(?: \p{{Lu}}[\p{{Ll}}\p{{M}}.'’-]+)?)",
            r"(?:,\s*(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{{1,2}}(?:,\s*\d{{4}})?))?",
            r"\s*(?:\((?P<agency>[^()]{agency})\))?",
            r"\s*(?P<dash>--|[-—–:])\s"
        ),
        run = run,
        region = region,
        agency = agency
    )
}

/// What [`WIRE_DATELINE`] captures in `paragraph`. Every match of the bounded pattern is one of
/// the unbounded pattern, whose paths only add more repetitions, in the same order of
/// preference. So when the unbounded pattern's preferred match keeps each group within its
/// bound, it is the bounded pattern's preferred match too; when it does not (a place or an
/// agency of more than 40 characters), the bounded pattern decides.
fn wire_captures(paragraph: &str) -> Option<regex::Captures<'_>> {
    let captures = WIRE_DATELINE_UNBOUNDED.as_ref()?.captures(paragraph)?;
    let within_bounds = WIRE_GROUPS.iter().zip(WIRE_BOUNDS).all(|(group, most)| {
        captures
            .name(group)
            .is_none_or(|text| text.as_str().chars().count() <= most)
    });
    if within_bounds {
        Some(captures)
    } else {
        WIRE_DATELINE.as_ref()?.captures(paragraph)
    }
}

/// "(Reporting by Jane Doe in Moscow; Editing by John Smith)".
static REPORTING_BY: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^[(\[]?\s*(?:additional\s+)?(?:reporting|writing|written|compiled)\s+by\s+(?P<names>[^;)\]]{3,200})")
        .ok()
});

/// Longest paragraph that can be a byline or a date line.
const MAX_SHORT_PARAGRAPH: usize = 120;

/// Finds the dateline and byline, fills [`Article::dateline`], [`Article::byline`] (when the
/// input gave none), [`Article::credits`] and, when the input gave no date,
/// [`Article::published`]. `reference` resolves a dateline date without a year.
pub fn find_dateline(article: &mut Article, reference: Option<Date>) {
    let mut bylines = Vec::new();
    let mut agencies = Vec::new();
    let mut dateline = None;
    for (paragraph_idx, paragraph) in article.paragraphs.iter().enumerate().take(3) {
        if let Some(names) = byline_names(paragraph, &mut agencies) {
            bylines.extend(names);
            continue;
        }
        if dateline.is_none() {
            dateline = date_line(paragraph_idx, paragraph, reference)
                .or_else(|| wire_dateline(paragraph_idx, paragraph, reference));
        }
        break;
    }
    let trailer = article
        .paragraphs
        .iter()
        .rev()
        .take(3)
        .chain(article.boilerplate.iter().rev().take(3));
    for paragraph in trailer {
        if let Some(names) = reporting_names(paragraph) {
            for name in names {
                if !bylines.contains(&name) {
                    bylines.push(name);
                }
            }
        }
    }
    if article.byline.is_empty() {
        article.byline = bylines;
    }
    if let Some(dateline) = &dateline {
        if let Some(agency) = dateline.agency.as_deref().and_then(clean::agency_of) {
            agencies.push((agency, dateline.text.clone()));
        }
        if article.published.is_none() {
            article.published = dateline
                .date
                .clone()
                .filter(|date| crate::is_iso_date(date));
        }
    }
    for (agency, text) in agencies {
        if !article.credits.iter().any(|credit| credit.agency == agency) {
            article.credits.push(Credit {
                agency: agency.to_string(),
                text,
            });
        }
    }
    article.dateline = dateline;
}

/// A paragraph that is only a date: Wikinews' "Friday, January 4, 2019".
fn date_line(paragraph_idx: usize, paragraph: &str, reference: Option<Date>) -> Option<Dateline> {
    let trimmed = paragraph.trim();
    if trimmed.is_empty() || trimmed.len() > 60 {
        return None;
    }
    let (value, bytes) = dates::parse_expression(trimmed, reference)?;
    let rest = format!(
        "{}{}",
        trimmed.get(..bytes.start)?,
        trimmed.get(bytes.end..)?
    );
    if rest.chars().any(char::is_alphanumeric) || !crate::is_iso_date(&value) {
        return None;
    }
    let offset = paragraph.len() - paragraph.trim_start().len();
    Some(Dateline {
        text: trimmed.to_string(),
        span: span_of(paragraph_idx, paragraph, offset, offset + trimmed.len()),
        place: None,
        agency: None,
        date: Some(value),
    })
}

fn wire_dateline(
    paragraph_idx: usize,
    paragraph: &str,
    reference: Option<Date>,
) -> Option<Dateline> {
    let captures = wire_captures(paragraph)?;
    let whole = captures.get(0)?;
    let place_text = captures.name("place")?.as_str().trim();
    let agency_text = captures.name("agency").map(|agency| agency.as_str().trim());
    let shouting = place_text
        .split(',')
        .next()
        .is_some_and(|city| !city.chars().any(char::is_lowercase));
    let dash = captures
        .name("dash")
        .map(|dash| dash.as_str())
        .unwrap_or("");
    // A title-case place ("London") only with an agency, and a colon never without one:
    // otherwise "Officials said - …" would be a dateline.
    if agency_text.is_none() && (!shouting || dash == ":") {
        return None;
    }
    if place_text.chars().filter(|c| c.is_alphabetic()).count() < 2 {
        return None;
    }
    let agency = agency_text.map(|agency| {
        clean::agency_of(agency)
            .map(str::to_string)
            .unwrap_or_else(|| agency.to_string())
    });
    let date = captures
        .name("date")
        .and_then(|date| dates::parse_expression(date.as_str(), reference))
        .map(|(value, _)| value);
    let text = whole.as_str().trim_end();
    Some(Dateline {
        text: text.to_string(),
        span: span_of(paragraph_idx, paragraph, 0, text.len()),
        place: Some(place_name(place_text)),
        agency,
        date,
    })
}

/// The place a dateline names: the gazetteer's name ("KYIV" → "Kyiv"), else the words in
/// title case ("NEW BRUNSWICK" → "New Brunswick").
fn place_name(place: &str) -> String {
    let city = place.split(',').next().unwrap_or(place).trim();
    if let Some(entry) = gazetteer::gazetteer().lookup(city) {
        return entry.name.to_string();
    }
    if !city.chars().any(char::is_lowercase) {
        return city
            .split(' ')
            .map(|word| {
                let mut chars = word.chars();
                match chars.next() {
                    Some(first) => first
                        .to_uppercase()
                        .chain(chars.flat_map(char::to_lowercase))
                        .collect(),
                    None => String::new(),
                }
            })
            .collect::<Vec<String>>()
            .join(" ");
    }
    city.to_string()
}

fn span_of(paragraph_idx: usize, paragraph: &str, start: usize, end: usize) -> Span {
    let mut index = CharIndex::new(paragraph);
    Span {
        paragraph: paragraph_idx,
        start: index.char_of(start),
        end: index.char_of(end),
    }
}

/// True for a person's name as bylines write it: two to four capitalised words.
fn looks_like_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|word| {
            word.chars().next().is_some_and(char::is_uppercase)
                && word
                    .chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-'))
        })
}

/// Splits "Jane Doe, John Smith and Ann Lee" into names.
fn split_names(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '&', '|', '/'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .filter(|part| !part.is_empty())
}

/// "By Jane Doe and John Smith, Reuters": the names, with agencies pushed to `agencies`.
fn byline_names(
    paragraph: &str,
    agencies: &mut Vec<(&'static str, String)>,
) -> Option<Vec<String>> {
    let trimmed = paragraph.trim();
    if trimmed.len() > MAX_SHORT_PARAGRAPH {
        return None;
    }
    let rest = trimmed
        .strip_prefix("By ")
        .or_else(|| trimmed.strip_prefix("BY "))?;
    let mut names = Vec::new();
    let mut found_agencies = Vec::new();
    for part in split_names(rest) {
        if let Some(agency) = clean::agency_of(part) {
            found_agencies.push(agency);
        } else if looks_like_name(part) {
            names.push(part.to_string());
        } else {
            return None;
        }
    }
    if names.is_empty() && found_agencies.is_empty() {
        return None;
    }
    agencies.extend(
        found_agencies
            .into_iter()
            .map(|agency| (agency, trimmed.to_string())),
    );
    Some(names)
}

/// "Reporting by Jane Doe in Moscow and John Smith; Editing by …": the reporters.
fn reporting_names(paragraph: &str) -> Option<Vec<String>> {
    let trimmed = paragraph.trim();
    if trimmed.len() > 300 {
        return None;
    }
    let captures = REPORTING_BY.as_ref()?.captures(trimmed)?;
    let names_text = captures.name("names")?.as_str();
    let names: Vec<String> = split_names(names_text)
        .map(|part| {
            // "Jane Doe in Moscow" → "Jane Doe".
            part.split(" in ")
                .next()
                .unwrap_or(part)
                .trim()
                .trim_end_matches('.')
                .to_string()
        })
        .filter(|name| looks_like_name(name))
        .collect();
    (!names.is_empty()).then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analysed(paragraphs: &[&str]) -> Article {
        let mut article = Article::new("x");
        article.paragraphs = paragraphs.iter().map(|p| p.to_string()).collect();
        find_dateline(&mut article, dates::parse_iso("2022-05-01"));
        article
    }

    #[test]
    fn wire_datelines() {
        let article = analysed(&["MOSCOW (Reuters) - Russia said on Monday it would."]);
        let dateline = article.dateline.as_ref().map(|d| {
            (
                d.text.as_str(),
                d.place.as_deref(),
                d.agency.as_deref(),
                d.date.as_deref(),
            )
        });
        assert_eq!(
            dateline,
            Some(("MOSCOW (Reuters) -", Some("Moscow"), Some("Reuters"), None))
        );
        assert_eq!(article.credits[0].agency, "Reuters");
        assert_eq!(article.published, None);

        let article = analysed(&["WASHINGTON, April 26 (AP) — The Senate voted."]);
        let dateline = article.dateline.as_ref().map(|d| {
            (
                d.text.as_str(),
                d.place.as_deref(),
                d.agency.as_deref(),
                d.date.as_deref(),
            )
        });
        assert_eq!(
            dateline,
            Some((
                "WASHINGTON, April 26 (AP) —",
                Some("Washington"),
                Some("AP"),
                Some("2022-04-26")
            ))
        );
        assert_eq!(article.published.as_deref(), Some("2022-04-26"));
        assert!(
            analysed(&["The minister said - in private - that"])
                .dateline
                .is_none()
        );
        assert!(
            analysed(&["Officials: the vote failed."])
                .dateline
                .is_none()
        );
    }

    #[test]
    fn the_unbounded_pattern_answers_as_the_bounded_one() {
        fn groups(captures: Option<regex::Captures<'_>>) -> Vec<Option<(usize, usize)>> {
            captures.map_or_else(Vec::new, |captures| {
                captures
                    .iter()
                    .map(|group| group.map(|group| (group.start(), group.end())))
                    .collect()
            })
        }
        let (Some(bounded), Some(unbounded)) =
            (WIRE_DATELINE.as_ref(), WIRE_DATELINE_UNBOUNDED.as_ref())
        else {
            panic!("the dateline patterns compile");
        };
        // Places, regions and agencies on both sides of their bounds (40, 30, 40 characters).
        let caps = |n: usize| "ABCDE FGHÉ".chars().cycle().take(n).collect::<String>();
        let lower = |n: usize| "Abcde fghé".chars().cycle().take(n).collect::<String>();
        let mut places = vec![
            "MOSCOW".to_string(),
            "London".to_string(),
            "New York".to_string(),
        ];
        let mut regions = vec![String::new()];
        let mut agencies = vec![String::new(), " (Reuters)".to_string()];
        for n in [29, 30, 31, 39, 40, 41, 42, 60] {
            places.push(caps(n));
            places.push(format!("{}, Ukraine", caps(n)));
            regions.push(format!(", {}", lower(n)));
            agencies.push(format!(" ({})", lower(n)));
        }
        let (mut compared, mut unbounded_differs) = (0, 0);
        for place in &places {
            for region in &regions {
                for date in ["", ", April 26", ", Sept. 3, 2021"] {
                    for agency in &agencies {
                        for dash in [" - ", " — ", ": ", " -- ", " x "] {
                            let text = format!("{place}{region}{date}{agency}{dash}The story.");
                            assert_eq!(
                                groups(wire_captures(&text)),
                                groups(bounded.captures(&text)),
                                "{text}"
                            );
                            compared += 1;
                            if groups(unbounded.captures(&text)) != groups(bounded.captures(&text))
                            {
                                unbounded_differs += 1;
                            }
                        }
                    }
                }
            }
        }
        // The texts do reach the bounds, where the bounded pattern has to decide.
        assert!(
            compared > 10_000 && unbounded_differs > 1_000,
            "{unbounded_differs}"
        );
    }

    #[test]
    fn wikinews_date_line_and_bylines() {
        let article = analysed(&[
            "By Jane Doe and John Smith",
            "Friday, January 4, 2019",
            "An apartment building collapsed.",
            "(Reporting by Ann Lee in Moscow; Editing by Tom Brown)",
        ]);
        let dateline = article.dateline.as_ref();
        assert_eq!(
            dateline.map(|d| d.text.as_str()),
            Some("Friday, January 4, 2019")
        );
        assert_eq!(dateline.map(|d| d.span.paragraph), Some(1));
        assert_eq!(article.published.as_deref(), Some("2019-01-04"));
        assert_eq!(article.byline, vec!["Jane Doe", "John Smith", "Ann Lee"]);
        assert_eq!(article.paragraphs.len(), 4);
        assert!(
            analysed(&["By law, all men must register."])
                .byline
                .is_empty()
        );
    }
}

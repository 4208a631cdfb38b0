//! Text analysis: an [`Article`] in, the same article enriched out.
//!
//! No I/O happens here and every public function is total: any input, however broken, gives a
//! result. Rules live as data (pattern tables in [`rules`]), not as one-off string matches.

pub mod clean;
pub mod rules;

use article::Article;

/// Settings for one analysis run.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The date relative expressions are resolved against when the article has no
    /// publication date (ISO `YYYY-MM-DD`).
    pub reference_date: Option<String>,
}

/// Splits off boilerplate and credits and repairs known defects: the "parse" half of the
/// pipeline that needs no linguistic analysis.
pub fn clean(article: &mut Article) {
    clean::split_trailing(article);
    clean::repair_glued_words(article);
}

/// The linguistic stage of the pipeline: dateline and byline, entities with titles and aliases,
/// dates, and quotes with their speakers.
///
/// On `main` it does not change the article yet: the analysers are being integrated (see the
/// closing notes of the news-understanding issue). The engine already times it as its own
/// stage, so nothing else changes when they land.
pub fn analyze(article: &mut Article, options: &Options) {
    let _ = (article, options);
}

/// True for a real calendar date written `YYYY-MM-DD`.
pub fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|byte| byte.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days_in_month).contains(&day)
}

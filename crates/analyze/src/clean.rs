//! Splitting off what is not the story, and repairing known defects of scraped text.

use std::sync::LazyLock;

use article::{Article, CharIndex, Credit, Repair, Span};
use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use crate::rules;

fn compile(patterns: &[&str]) -> Vec<Regex> {
    // Patterns are constants, checked by a unit test; one that failed to compile would only be
    // skipped, never panic at run time.
    patterns
        .iter()
        .filter_map(|pattern| {
            RegexBuilder::new(pattern)
                .case_insensitive(true)
                .size_limit(1 << 22)
                .build()
                .ok()
        })
        .collect()
}

/// The patterns as one case-insensitive set. Should one fail to compile, the set is made of
/// the others, as [`compile`] would.
fn compile_set(patterns: &[&str]) -> RegexSet {
    let build = |patterns: &[&str]| {
        RegexSetBuilder::new(patterns)
            .case_insensitive(true)
            .size_limit(1 << 24)
            .build()
    };
    build(patterns).unwrap_or_else(|_| {
        let compiling: Vec<&str> = patterns
            .iter()
            .copied()
            .filter(|pattern| !compile(&[pattern]).is_empty())
            .collect();
        build(&compiling).unwrap_or_else(|_| RegexSet::empty())
    })
}

static CREDIT_LINES: LazyLock<Vec<Regex>> = LazyLock::new(|| compile(rules::CREDIT_LINES));
/// Each boilerplate family is one set: a paragraph is tested in one pass, not once per pattern.
static BOILERPLATE_ANYWHERE: LazyLock<RegexSet> =
    LazyLock::new(|| compile_set(rules::BOILERPLATE_ANYWHERE));
static BOILERPLATE_TRAILING: LazyLock<RegexSet> =
    LazyLock::new(|| compile_set(rules::BOILERPLATE_TRAILING));
static AGENCY_SEPARATORS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?:/|,|&|\band\b|\bwith\b|\bvia\b)\s*").unwrap_or_else(|_| never_matches())
});
static GLUED: LazyLock<Regex> = LazyLock::new(|| {
    let words = rules::GLUED_WORDS.join("|");
    Regex::new(&format!(r"\b(\d{{1,4}})({words})\b")).unwrap_or_else(|_| never_matches())
});

fn never_matches() -> Regex {
    // `[^\s\S]` matches nothing and always compiles.
    Regex::new(r"[^\s\S]").unwrap_or_else(|_| unreachable!("a constant pattern compiles"))
}

/// Longest credit paragraph considered: credit lines are short.
const MAX_CREDIT_CHARS: usize = 120;

/// The agency a spelling names, if any.
pub fn agency_of(spelling: &str) -> Option<&'static str> {
    let spelling = spelling
        .trim()
        .trim_matches(|c: char| matches!(c, '(' | ')' | '[' | ']' | '.'));
    rules::AGENCIES
        .iter()
        .find(|(_, spellings)| spellings.contains(&spelling))
        .map(|(agency, _)| *agency)
}

/// The agencies a credit paragraph names, when the whole paragraph is a credit line.
pub fn credit_agencies(paragraph: &str) -> Vec<&'static str> {
    let paragraph = paragraph.trim();
    if !at_most_chars(paragraph, MAX_CREDIT_CHARS) {
        return Vec::new();
    }
    for pattern in CREDIT_LINES.iter() {
        let Some(captures) = pattern.captures(paragraph) else {
            continue;
        };
        let Some(named) = captures.name("agencies") else {
            continue;
        };
        let mut agencies = Vec::new();
        let all_known = AGENCY_SEPARATORS
            .split(named.as_str())
            .filter(|part| !part.trim().is_empty())
            .all(|part| match agency_of(part) {
                Some(agency) => {
                    if !agencies.contains(&agency) {
                        agencies.push(agency);
                    }
                    true
                }
                None => matches!(
                    part.trim().to_ascii_lowercase().as_str(),
                    "agencies" | "staff" | "wires" | "wire services" | "news agencies"
                ),
            });
        if all_known && !agencies.is_empty() {
            return agencies;
        }
    }
    Vec::new()
}

fn is_boilerplate_anywhere(paragraph: &str) -> bool {
    let paragraph = paragraph.trim();
    at_most_chars(paragraph, 200) && BOILERPLATE_ANYWHERE.is_match(paragraph)
}

fn is_boilerplate_trailing(paragraph: &str) -> bool {
    let paragraph = paragraph.trim();
    at_most_chars(paragraph, 400) && BOILERPLATE_TRAILING.is_match(paragraph)
}

/// True if `text` has at most `most` characters, counted only when its length in bytes (one
/// to four per character) does not settle it.
fn at_most_chars(text: &str, most: usize) -> bool {
    text.len() <= most || text.len() <= most * 4 && text.chars().count() <= most
}

/// Moves publisher boilerplate to [`Article::boilerplate`] and credit lines to
/// [`Article::credits`]: short stock paragraphs wherever they stand, and the trailing run of
/// paragraphs that are boilerplate or credits.
pub fn split_trailing(article: &mut Article) {
    let mut keep = vec![true; article.paragraphs.len()];
    let mut credit_idxs = Vec::new();
    for (paragraph_idx, paragraph) in article.paragraphs.iter().enumerate().rev() {
        if !credit_agencies(paragraph).is_empty() {
            credit_idxs.push(paragraph_idx);
        } else if !is_boilerplate_trailing(paragraph) && !is_boilerplate_anywhere(paragraph) {
            break;
        }
        keep[paragraph_idx] = false;
    }
    for (paragraph_idx, paragraph) in article.paragraphs.iter().enumerate() {
        if keep[paragraph_idx] && is_boilerplate_anywhere(paragraph) {
            keep[paragraph_idx] = false;
        }
    }
    if keep.iter().all(|kept| *kept) || keep.iter().all(|kept| !kept) {
        // Nothing to split, or everything would go: an article is never emptied by clean-up.
        return;
    }
    let paragraphs = std::mem::take(&mut article.paragraphs);
    for (paragraph_idx, paragraph) in paragraphs.into_iter().enumerate() {
        if keep[paragraph_idx] {
            article.paragraphs.push(paragraph);
        } else if credit_idxs.contains(&paragraph_idx) {
            for agency in credit_agencies(&paragraph) {
                article.credits.push(Credit {
                    agency: agency.to_string(),
                    text: paragraph.trim().to_string(),
                });
            }
        } else {
            article.boilerplate.push(paragraph);
        }
    }
}

/// Puts back the space lost between a number and the next word ("February 24it" →
/// "February 24 it"), recording each repair with its span in the repaired paragraph.
pub fn repair_glued_words(article: &mut Article) {
    for (paragraph_idx, paragraph) in article.paragraphs.iter_mut().enumerate() {
        if !has_glued_word(paragraph) || !GLUED.is_match(paragraph) {
            continue;
        }
        let original = std::mem::take(paragraph);
        let mut repaired = String::with_capacity(original.len() + 8);
        let mut index = CharIndex::new(&original);
        let mut last_end = 0;
        let mut shift = 0usize;
        for captures in GLUED.captures_iter(&original) {
            let (Some(whole), Some(number), Some(word)) =
                (captures.get(0), captures.get(1), captures.get(2))
            else {
                continue;
            };
            repaired.push_str(&original[last_end..whole.start()]);
            let after = format!("{} {}", number.as_str(), word.as_str());
            let start = index.char_of(whole.start()) + shift;
            let end = start + after.chars().count();
            repaired.push_str(&after);
            article.repairs.push(Repair {
                kind: "split-glued-word".to_string(),
                span: Some(Span {
                    paragraph: paragraph_idx,
                    start,
                    end,
                }),
                before: whole.as_str().to_string(),
                after,
            });
            shift += 1;
            last_end = whole.end();
        }
        repaired.push_str(&original[last_end..]);
        *paragraph = repaired;
    }
}

/// True if a numeric character is directly followed by a run of alphabetic characters that
/// is one of the glued words: what every match of [`GLUED`] has (its `\d` is numeric, its
/// words alphabetic, and its closing `\b` ends the run). Most paragraphs with a digit before
/// a letter have units ("5bn", "3pm"), not glued words, and this look is far cheaper than the
/// pattern's (whose `\b` is Unicode-aware).
fn has_glued_word(text: &str) -> bool {
    let mut previous_numeric = false;
    let mut chars = text.char_indices();
    while let Some((start, character)) = chars.next() {
        if !(previous_numeric && character.is_alphabetic()) {
            previous_numeric = character.is_numeric();
            continue;
        }
        let mut end = text.len();
        previous_numeric = false;
        for (idx, next) in chars.by_ref() {
            if !next.is_alphabetic() {
                end = idx;
                previous_numeric = next.is_numeric();
                break;
            }
        }
        if rules::GLUED_WORDS.contains(&&text[start..end]) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        for patterns in [
            rules::CREDIT_LINES,
            rules::BOILERPLATE_ANYWHERE,
            rules::BOILERPLATE_TRAILING,
        ] {
            assert_eq!(compile(patterns).len(), patterns.len());
            assert_eq!(compile_set(patterns).len(), patterns.len());
        }
        assert!(GLUED.is_match("24it"));
    }

    #[test]
    fn credit_lines() {
        assert_eq!(credit_agencies("With information from AFP"), vec!["AFP"]);
        assert_eq!(credit_agencies("(Reuters)"), vec!["Reuters"]);
        assert_eq!(credit_agencies("— AP"), vec!["AP"]);
        assert_eq!(
            credit_agencies("Additional reporting by Reuters and AFP."),
            vec!["Reuters", "AFP"]
        );
        assert!(credit_agencies("With information from the minister of health").is_empty());
        assert!(credit_agencies("The AFP reported that the talks failed.").is_empty());
    }

    #[test]
    fn glued_words_are_split_and_recorded() {
        let mut article = Article::new("x");
        article.paragraphs =
            vec!["On February 24it became clear; on the 24th at 10am in the 1990s.".into()];
        repair_glued_words(&mut article);
        assert_eq!(
            article.paragraphs[0],
            "On February 24 it became clear; on the 24th at 10am in the 1990s."
        );
        let repair = &article.repairs[0];
        assert_eq!(repair.before, "24it");
        assert_eq!(article.span_text(&repair.span.unwrap()), Some("24 it"));
    }

    #[test]
    fn the_glued_word_prefilter_passes_every_match_of_the_pattern() {
        for text in ["24it", "On ٢٤the day", "x 9was."] {
            assert!(has_glued_word(text), "{text}");
        }
        for text in ["On February 24 it", "", "abc", "24", "5bn", "10am", "a-1-b"] {
            assert!(!has_glued_word(text), "{text}");
            assert!(!GLUED.is_match(text), "{text}");
        }
        // Every string of up to four pieces: digits of two scripts, glued words and words
        // that start like them, word characters that are not letters, a combining mark.
        let pieces = [
            "2", "٢", "12345", " ", "-", "_", "it", "the", "then", "thenx", "é", "\u{301}", "bn",
        ];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|text| pieces.iter().map(move |piece| format!("{text}{piece}")))
                .collect();
            for text in &longer {
                if GLUED.is_match(text) {
                    assert!(has_glued_word(text), "{text:?}");
                }
            }
            texts = longer;
        }
    }

    #[test]
    fn trailing_boilerplate_and_credits_are_split_off() {
        let mut article = Article::new("x");
        article.paragraphs = vec![
            "Story.".into(),
            "Advertisement".into(),
            "More story.".into(),
            "With information from AFP".into(),
            "All content will be freely accessible to our readers on all platforms.".into(),
            "Leave a Replay".into(),
        ];
        split_trailing(&mut article);
        assert_eq!(article.paragraphs, vec!["Story.", "More story."]);
        assert_eq!(article.boilerplate.len(), 3);
        assert_eq!(article.credits[0].agency, "AFP");
    }
}

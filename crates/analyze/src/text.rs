//! Sentences and tokens of news text.
//!
//! Written by hand rather than with `unicode-segmentation`: UAX #29 sentence rules end a
//! sentence after "Mr." and "U.S." and do not split "Putin’s" into "Putin" + "’s", while the
//! NER tagger was trained on CoNLL-2003 (Penn Treebank style) tokens. The splitter knows news
//! abbreviations ("U.S.", "Mr.", "Jan.", "No. 10", "Gen."), initials ("J. K. Rowling"),
//! decimals and thousands ("1,000.5"), quotes that close a sentence (`."`, `?”`) and ellipses.
//!
//! Offsets here are **byte** offsets into one paragraph; the model's code-point offsets are
//! made from them with [`article::CharIndex`]. Nothing here allocates per token.

use std::ops::Range;

/// One token: a byte range of its paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Index of the paragraph in [`article::Article::paragraphs`].
    pub paragraph: usize,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// One sentence: a byte range of its paragraph and the tokens it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Index of the paragraph.
    pub paragraph: usize,
    /// First byte of the first token.
    pub start: usize,
    /// One past the last byte of the last token.
    pub end: usize,
    /// Indices into [`Text::tokens`].
    pub tokens: Range<usize>,
}

/// An article's paragraphs as tokens and sentences. Sentences never cross paragraphs.
#[derive(Debug, Clone, Default)]
pub struct Text {
    /// Every token of every paragraph, in text order.
    pub tokens: Vec<Token>,
    /// Every sentence, in text order.
    pub sentences: Vec<Sentence>,
}

impl Text {
    /// Tokenises and splits the given paragraphs.
    pub fn new(paragraphs: &[String]) -> Text {
        let mut text = Text::default();
        let mut ranges = Vec::new();
        let mut sentence_ranges = Vec::new();
        for (paragraph_idx, paragraph) in paragraphs.iter().enumerate() {
            ranges.clear();
            tokenize(paragraph, &mut ranges);
            sentence_ranges.clear();
            split_token_ranges(paragraph, &ranges, &mut sentence_ranges);
            let first_token = text.tokens.len();
            text.tokens.extend(ranges.iter().map(|range| Token {
                paragraph: paragraph_idx,
                start: range.start,
                end: range.end,
            }));
            for tokens in &sentence_ranges {
                let (Some(first), Some(last)) = (
                    ranges.get(tokens.start),
                    ranges.get(tokens.end.saturating_sub(1)),
                ) else {
                    continue;
                };
                text.sentences.push(Sentence {
                    paragraph: paragraph_idx,
                    start: first.start,
                    end: last.end,
                    tokens: first_token + tokens.start..first_token + tokens.end,
                });
            }
        }
        text
    }

    /// The text of token `idx` ("" when out of range).
    pub fn token_str<'a>(&self, paragraphs: &'a [String], idx: usize) -> &'a str {
        self.tokens
            .get(idx)
            .and_then(|token| paragraphs.get(token.paragraph)?.get(token.start..token.end))
            .unwrap_or("")
    }
}

/// The sentences of one paragraph, as byte ranges (trimmed to their first and last token).
pub fn sentences(paragraph: &str) -> Vec<Range<usize>> {
    let mut tokens = Vec::new();
    tokenize(paragraph, &mut tokens);
    let mut sentence_tokens = Vec::new();
    split_token_ranges(paragraph, &tokens, &mut sentence_tokens);
    sentence_tokens
        .iter()
        .filter_map(|range| {
            let first = tokens.get(range.start)?;
            let last = tokens.get(range.end.checked_sub(1)?)?;
            Some(first.start..last.end)
        })
        .collect()
}

/// Appends the tokens of `text` to `out` as byte ranges.
pub fn tokenize(text: &str, out: &mut Vec<Range<usize>>) {
    let mut chunk_start = None;
    let bytes = text.as_bytes();
    let mut idx = 0;
    while let Some(&byte) = bytes.get(idx) {
        // Most characters are ASCII: a space or control character there is a byte up to
        // 0x20, or 0x7F. Others are decoded.
        let (separates, len) = if byte.is_ascii() {
            (byte <= b' ' || byte == 0x7F, 1)
        } else {
            match text.get(idx..).and_then(|rest| rest.chars().next()) {
                Some(character) => (
                    character.is_whitespace() || character.is_control(),
                    character.len_utf8(),
                ),
                None => (false, 1),
            }
        };
        if separates {
            if let Some(start) = chunk_start.take() {
                tokenize_chunk(text, start, idx, out);
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(idx);
        }
        idx += len;
    }
    if let Some(start) = chunk_start {
        tokenize_chunk(text, start, text.len(), out);
    }
}

fn is_opening(character: char) -> bool {
    matches!(
        character,
        '"' | '“'
            | '‘'
            | '\''
            | '«'
            | '„'
            | '‚'
            | '‹'
            | '('
            | '['
            | '{'
            | '¿'
            | '¡'
            | '$'
            | '£'
            | '€'
            | '¥'
            | '#'
            | '*'
            | '•'
            | '·'
            | '—'
            | '–'
            | '…'
            | '/'
    )
}

fn is_closing(character: char) -> bool {
    matches!(
        character,
        '"' | '”'
            | '’'
            | '\''
            | '»'
            | '›'
            | ')'
            | ']'
            | '}'
            | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | '%'
            | '*'
            | '—'
            | '–'
            | '…'
            | '“'
            | '/'
    )
}

/// Words whose final period belongs to them (case-sensitive, without the period).
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Lt", "Col", "Capt", "Cpt", "Sgt", "Maj", "Adm",
    "Cmdr", "Gov", "Sen", "Rep", "Rev", "Hon", "Pres", "Supt", "Insp", "Det", "Fr", "St", "Mt",
    "Ft", "Jr", "Sr", "No", "Nos", "Vol", "Art", "Fig", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul",
    "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mon", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs",
    "Fri", "Sat", "Sun", "Inc", "Ltd", "Co", "Corp", "Bros", "Plc", "Ave", "Rd", "Blvd", "vs",
    "etc", "approx", "est", "cf", "al", "Ph", "Esq",
];

/// Abbreviations that may also close a sentence ("… in the U.S. The …").
const ABBREVIATIONS_ENDING: &[&str] = &["etc", "Inc", "Ltd", "Co", "Corp", "Jr", "Sr", "Plc"];

/// Words that after a possible sentence end ("… the U.S. The …") start a new sentence.
const SENTENCE_STARTERS: &[&str] = &[
    "The",
    "A",
    "An",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "You",
    "This",
    "That",
    "These",
    "Those",
    "But",
    "And",
    "In",
    "On",
    "At",
    "For",
    "If",
    "When",
    "While",
    "After",
    "Before",
    "There",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "Some",
    "Many",
    "Most",
    "No",
    "So",
    "Yet",
    "However",
    "Meanwhile",
    "Still",
    "Also",
    "As",
    "Since",
    "Although",
    "Officials",
    "According",
];

/// True when the word (without a final period) keeps its period: an abbreviation, an
/// initial ("J"), or a dotted acronym ("U.S", "a.m").
fn keeps_period(word: &str) -> bool {
    if ABBREVIATIONS.contains(&word) {
        return true;
    }
    let mut chars = word.chars();
    match (chars.next(), chars.next()) {
        (Some(first), None) => first.is_alphabetic(),
        _ => {
            word.contains('.')
                && word
                    .split('.')
                    .all(|part| part.chars().count() <= 2 && part.chars().all(char::is_alphabetic))
        }
    }
}

fn push(out: &mut Vec<Range<usize>>, start: usize, end: usize) {
    if start < end {
        out.push(start..end);
    }
}

/// Tokenises one whitespace-free chunk `text[start..end]`.
fn tokenize_chunk(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let mut start = start;
    let mut end = end;
    // Leading punctuation, one token each (runs of dots or dashes as one).
    while start < end {
        let Some(character) = text.get(start..end).and_then(|rest| rest.chars().next()) else {
            return;
        };
        if !is_opening(character) {
            break;
        }
        let run_end = run_of(text, start, end, character);
        push(out, start, run_end);
        start = run_end;
    }
    // Trailing punctuation, collected right to left then emitted in order.
    let mut trailing: [Range<usize>; 8] = std::array::from_fn(|_| 0..0);
    let mut n_trailing = 0;
    while start < end && n_trailing < trailing.len() {
        let Some(rest) = text.get(start..end) else {
            return;
        };
        let Some(character) = rest.chars().next_back() else {
            break;
        };
        let char_start = end - character.len_utf8();
        if character == '.' {
            let dots = rest.len() - rest.trim_end_matches('.').len();
            if dots >= 2 {
                trailing[n_trailing] = end - dots..end;
                n_trailing += 1;
                end -= dots;
                continue;
            }
            if char_start == start {
                trailing[n_trailing] = char_start..end;
                n_trailing += 1;
                end = char_start;
                continue;
            }
            if keeps_period(&rest[..rest.len() - 1]) {
                break;
            }
            trailing[n_trailing] = char_start..end;
            n_trailing += 1;
            end = char_start;
            continue;
        }
        if !is_closing(character) {
            break;
        }
        let run_start = run_back(text, start, end, character);
        trailing[n_trailing] = run_start..end;
        n_trailing += 1;
        end = run_start;
    }
    tokenize_word(text, start, end, out);
    for range in trailing[..n_trailing].iter().rev() {
        push(out, range.start, range.end);
    }
}

/// End of the run of `character` (dots, dashes) starting at `start`; other characters are
/// runs of one.
fn run_of(text: &str, start: usize, end: usize, character: char) -> usize {
    let len = character.len_utf8();
    if !matches!(character, '.' | '-' | '—' | '–' | '*') {
        return start + len;
    }
    let mut idx = start;
    while idx < end
        && text
            .get(idx..)
            .is_some_and(|rest| rest.starts_with(character))
    {
        idx += len;
    }
    idx
}

fn run_back(text: &str, start: usize, end: usize, character: char) -> usize {
    let len = character.len_utf8();
    if !matches!(character, '-' | '—' | '–' | '*' | '!' | '?') {
        return end - len;
    }
    let mut idx = end;
    while idx >= start + len
        && text
            .get(..idx)
            .is_some_and(|rest| rest.ends_with(character))
    {
        idx -= len;
    }
    idx
}

/// The middle of a chunk: splits em dashes ("war—and"), double hyphens, possessive "’s" and
/// "n’t"; keeps hyphenated words, numbers ("1,000.5") and dotted acronyms whole.
fn tokenize_word(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    if start >= end {
        return;
    }
    let Some(word) = text.get(start..end) else {
        return;
    };
    // Dashes inside a word: em dash always, en dash and "--" unless between digits.
    let mut piece_start = start;
    let mut iter = word.char_indices().peekable();
    while let Some((offset, character)) = iter.next() {
        let idx = start + offset;
        let is_dash = match character {
            '—' => true,
            '–' => {
                let before = text.get(..idx).and_then(|t| t.chars().next_back());
                let after = iter.peek().map(|(_, c)| *c);
                !(before.is_some_and(|c| c.is_ascii_digit())
                    && after.is_some_and(|c| c.is_ascii_digit()))
            }
            '-' => iter.peek().is_some_and(|(_, c)| *c == '-'),
            _ => false,
        };
        if is_dash && idx > piece_start {
            split_clitics(text, piece_start, idx, out);
            let run_end = run_of(text, idx, end, character);
            push(out, idx, run_end);
            piece_start = run_end;
            while iter.peek().is_some_and(|(next, _)| start + next < run_end) {
                iter.next();
            }
        }
    }
    split_clitics(text, piece_start, end, out);
}

fn split_clitics(text: &str, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let Some(word) = text.get(start..end) else {
        return;
    };
    // Every clitic ends in s or t: most words are settled by their last byte.
    if !word.ends_with(['s', 'S', 't', 'T']) {
        push(out, start, end);
        return;
    }
    for clitic in ["'s", "’s", "'S", "’S", "n't", "n’t", "N'T", "N’T"] {
        if word.len() > clitic.len() && word.ends_with(clitic) {
            let split = end - clitic.len();
            push(out, start, split);
            push(out, split, end);
            return;
        }
    }
    push(out, start, end);
}

fn first_char(text: &str, range: &Range<usize>) -> Option<char> {
    text.get(range.clone())?.chars().next()
}

/// True for a token that is a closing quote or bracket in context (a straight `"` is closing
/// when no letter follows it directly).
fn is_closer(text: &str, range: &Range<usize>) -> bool {
    match text.get(range.clone()) {
        Some("”" | "’" | "»" | "›" | ")" | "]" | "}") => true,
        Some("\"" | "'") => !text
            .get(range.end..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_alphanumeric),
        _ => false,
    }
}

/// Splits a paragraph's tokens into sentences (ranges of token indices).
fn split_token_ranges(text: &str, tokens: &[Range<usize>], out: &mut Vec<Range<usize>>) {
    let mut sentence_start = 0;
    let mut idx = 0;
    while idx < tokens.len() {
        let Some(token) = text.get(tokens[idx].clone()) else {
            idx += 1;
            continue;
        };
        let strong = matches!(token, "." | "!" | "?" | "?!" | "!?")
            || token.bytes().all(|byte| byte == b'!' || byte == b'?');
        let ellipsis = token == "…" || (token.len() >= 2 && token.bytes().all(|byte| byte == b'.'));
        let abbreviation = !strong && !ellipsis && token.ends_with('.') && token.len() > 1 && {
            let word = &token[..token.len() - 1];
            word.contains('.') || ABBREVIATIONS_ENDING.contains(&word)
        };
        if !(strong || ellipsis || abbreviation) {
            idx += 1;
            continue;
        }
        let mut end = idx + 1;
        while end < tokens.len() && is_closer(text, &tokens[end]) {
            end += 1;
        }
        let next = tokens.get(end).and_then(|range| {
            let first = first_char(text, range)?;
            Some((first, text.get(range.clone())?))
        });
        let ends = match next {
            None => true,
            Some((first, next_token)) => {
                if strong {
                    !first.is_lowercase() && !matches!(first, ',' | ';' | ':' | ')' | '%')
                } else if ellipsis {
                    first.is_uppercase() || matches!(first, '"' | '“' | '‘' | '«')
                } else {
                    SENTENCE_STARTERS.contains(&next_token)
                        || matches!(first, '"' | '“' | '‘' | '«')
                }
            }
        };
        if ends {
            out.push(sentence_start..end);
            sentence_start = end;
        }
        idx = end;
    }
    if sentence_start < tokens.len() {
        out.push(sentence_start..tokens.len());
    }
}

/// The form of a token the NER model was trained on (CoNLL-2003, Reuters): straight quotes,
/// "--" for dashes, "..." for an ellipsis.
pub fn conll_form(token: &str) -> &str {
    // Every form replaced has a character beyond ASCII; most tokens have none, and the match
    // below compares a token with each pattern of its length ("the" with "“", "”", …).
    if token.is_ascii() {
        return token;
    }
    match token {
        "“" | "”" | "„" | "«" | "»" | "‟" | "″" => "\"",
        "‘" | "’" | "‚" | "‹" | "›" => "'",
        "’s" => "'s",
        "’S" => "'S",
        "n’t" => "n't",
        "—" | "–" | "―" => "--",
        "…" => "...",
        _ => token,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_split_at_every_space_and_control_character() {
        // What `tokenize` did character by character, before its byte loop.
        fn by_characters(text: &str) -> Vec<Range<usize>> {
            let mut out = Vec::new();
            let mut chunk_start = None;
            for (idx, character) in text.char_indices() {
                if character.is_whitespace() || character.is_control() {
                    if let Some(start) = chunk_start.take() {
                        tokenize_chunk(text, start, idx, &mut out);
                    }
                } else if chunk_start.is_none() {
                    chunk_start = Some(idx);
                }
            }
            if let Some(start) = chunk_start {
                tokenize_chunk(text, start, text.len(), &mut out);
            }
            out
        }
        let mut texts: Vec<String> = [
            "Plain words, then \"quotes\" (and brackets).",
            "no\u{a0}break\u{2028}line\u{85}next\u{3000}ideographic\u{2009}thin\u{200b}zero",
            "tab\tnew\nline\r\nvertical\u{b}form\u{c}unit\u{1f}del\u{7f}c1\u{9f}end",
            "Zürich’s «café» — “naïve” 東京 ‘x’…",
            "",
            "   ",
        ]
        .map(str::to_string)
        .to_vec();
        // Every character up to U+3000 between two words.
        texts.push(
            (0u32..0x3001)
                .filter_map(char::from_u32)
                .map(|character| format!("a{character}b "))
                .collect(),
        );
        for text in &texts {
            let mut out = Vec::new();
            tokenize(text, &mut out);
            assert_eq!(out, by_characters(text), "{text:?}");
        }
    }

    #[test]
    fn conll_forms_replace_typographic_marks_only() {
        for (token, form) in [
            ("“", "\""),
            ("»", "\""),
            ("’", "'"),
            ("’s", "'s"),
            ("n’t", "n't"),
            ("—", "--"),
            ("…", "..."),
            ("the", "the"),
            ("\"", "\""),
            ("n't", "n't"),
            ("Zürich", "Zürich"),
            ("“Yes", "“Yes"),
        ] {
            assert_eq!(conll_form(token), form, "{token:?}");
        }
    }

    fn tokens(text: &str) -> Vec<&str> {
        let mut ranges = Vec::new();
        tokenize(text, &mut ranges);
        ranges.into_iter().map(|range| &text[range]).collect()
    }

    fn split(text: &str) -> Vec<&str> {
        sentences(text)
            .into_iter()
            .map(|range| &text[range])
            .collect()
    }

    #[test]
    fn news_tokens() {
        assert_eq!(
            tokens("“We’re here,” Mr. Putin’s aide said in the U.S. on Jan. 5 (at 3.5%)."),
            vec![
                "“", "We’re", "here", ",", "”", "Mr.", "Putin", "’s", "aide", "said", "in", "the",
                "U.S.", "on", "Jan.", "5", "(", "at", "3.5", "%", ")", "."
            ]
        );
        assert_eq!(
            tokens("war—and 1,000 people... J. K. Rowling don't NATO.”"),
            vec![
                "war", "—", "and", "1,000", "people", "...", "J.", "K.", "Rowling", "do", "n't",
                "NATO", ".", "”"
            ]
        );
        assert_eq!(tokens(""), Vec::<&str>::new());
        assert_eq!(tokens("...“"), vec!["...", "“"]);
    }

    #[test]
    fn news_sentences() {
        assert_eq!(
            split("Mr. Smith went to No. 10 Downing St. on Jan. 5. He met Gen. J. R. Allen."),
            vec![
                "Mr. Smith went to No. 10 Downing St. on Jan. 5.",
                "He met Gen. J. R. Allen."
            ]
        );
        assert_eq!(
            split("“It is over.” He left. “Why?” he asked. It cost $3.5m... Then it rose."),
            vec![
                "“It is over.”",
                "He left.",
                "“Why?” he asked.",
                "It cost $3.5m...",
                "Then it rose."
            ]
        );
        assert_eq!(
            split("He lives in the U.S. The rest live in the U.S. Virgin Islands."),
            vec![
                "He lives in the U.S.",
                "The rest live in the U.S. Virgin Islands."
            ]
        );
    }
}

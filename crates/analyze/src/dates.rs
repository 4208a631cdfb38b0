//! Date expressions, normalised against a reference date (the article's publication date,
//! else [`crate::Options::reference_date`]).
//!
//! Works on tokens, left to right, each token in at most one expression:
//! - absolute: "Friday, January 4, 2019", "4 January 2019", "April 2022", "in 2019",
//!   "2022-04-26" → `absolute`;
//! - no year but a weekday: "Tuesday, April 26" → the latest year, not after the reference,
//!   in which April 26 is a Tuesday → `weekday`;
//! - no year: "February 24", "in April" → the occurrence nearest the reference →
//!   `reference-year`;
//! - relative: "yesterday", "on Monday" (the latest Monday on or before the reference: wire
//!   copy filed on a Monday says "on Monday" of that day), "last week" (Monday to Sunday),
//!   "next month", "two days ago" → `relative`.
//!
//! An article with no publication date is dated by its own text when it can be: the latest
//! weekday-fixed date in it ("Tuesday, April 26", not after the given reference) becomes the
//! reference for everything else, since news names the days around its own day that way. So
//! "February 24" in a story about April 2022 is 2022-02-24, not the next February after the
//! day the batch ran.
//!
//! Without a reference date, only expressions that carry their year are kept. Impossible
//! dates ("February 30") are left out. Calendar arithmetic is jiff's.

use std::ops::Range;

use article::{Article, CharIndex, DateMention, Span};
use jiff::civil::{Date, Weekday};
use jiff::{Span as Duration, ToSpan};

use crate::text::Text;

const MONTHS: &[(&str, i8)] = &[
    ("January", 1),
    ("February", 2),
    ("March", 3),
    ("April", 4),
    ("May", 5),
    ("June", 6),
    ("July", 7),
    ("August", 8),
    ("September", 9),
    ("October", 10),
    ("November", 11),
    ("December", 12),
    ("Jan.", 1),
    ("Feb.", 2),
    ("Mar.", 3),
    ("Apr.", 4),
    ("Jun.", 6),
    ("Jul.", 7),
    ("Aug.", 8),
    ("Sep.", 9),
    ("Sept.", 9),
    ("Oct.", 10),
    ("Nov.", 11),
    ("Dec.", 12),
    ("Jan", 1),
    ("Feb", 2),
    ("Aug", 8),
    ("Sept", 9),
    ("Oct", 10),
    ("Nov", 11),
    ("Dec", 12),
];

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("Monday", Weekday::Monday),
    ("Tuesday", Weekday::Tuesday),
    ("Wednesday", Weekday::Wednesday),
    ("Thursday", Weekday::Thursday),
    ("Friday", Weekday::Friday),
    ("Saturday", Weekday::Saturday),
    ("Sunday", Weekday::Sunday),
];

/// Words before a bare month name or year that make it a date ("in April", "since 1998").
const DATE_PREPOSITIONS: &[&str] = &[
    "in",
    "since",
    "until",
    "till",
    "by",
    "from",
    "during",
    "through",
    "throughout",
    "before",
    "after",
    "early",
    "late",
    "mid",
    "of",
    "In",
    "Since",
    "Until",
    "By",
    "From",
    "During",
    "Before",
    "After",
    "Early",
    "Late",
];

const NUMBER_WORDS: &[(&str, i32)] = &[
    ("a", 1),
    ("an", 1),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("a few", 3),
];

/// A resolved value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Day(Date),
    Month(i16, i8),
    Year(i16),
    Range(Date, Date),
}

impl Value {
    fn iso(&self) -> String {
        match self {
            Value::Day(date) => iso_date(*date),
            Value::Month(year, month) => format!("{year:04}-{month:02}"),
            Value::Year(year) => format!("{year:04}"),
            Value::Range(first, last) => format!("{}/{}", iso_date(*first), iso_date(*last)),
        }
    }
}

fn iso_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Parses `YYYY-MM-DD` into a date.
pub fn parse_iso(text: &str) -> Option<Date> {
    if !crate::is_iso_date(text) {
        return None;
    }
    let year = text.get(0..4)?.parse().ok()?;
    let month = text.get(5..7)?.parse().ok()?;
    let day = text.get(8..10)?.parse().ok()?;
    Date::new(year, month, day).ok()
}

/// Finds and normalises the date expressions of an article into [`Article::dates`].
/// `dated` says whether `reference` is the article's own publication date; when it is not,
/// the text's latest weekday-fixed date stands in for it (see the module docs).
pub fn find_dates(article: &mut Article, text: &Text, reference: Option<Date>, dated: bool) {
    find_dates_against(article, text, reference);
    if dated {
        return;
    }
    let anchor = article
        .dates
        .iter()
        .filter(|date| date.resolution == "weekday")
        .filter_map(|date| parse_iso(&date.value))
        .max();
    if anchor.is_some() && anchor != reference {
        find_dates_against(article, text, anchor);
    }
}

fn find_dates_against(article: &mut Article, text: &Text, reference: Option<Date>) {
    let mut found: Vec<(Range<usize>, Value, &'static str)> = Vec::new();
    {
        let paragraphs = &article.paragraphs;
        let words: Vec<&str> = (0..text.tokens.len())
            .map(|idx| text.token_str(paragraphs, idx))
            .collect();
        for sentence in &text.sentences {
            let mut idx = sentence.tokens.start;
            while idx < sentence.tokens.end {
                let scanner = Scanner {
                    words: &words,
                    end: sentence.tokens.end,
                    reference,
                };
                match scanner.expression(idx) {
                    Some((end, value, resolution)) if end > idx => {
                        found.push((idx..end, value, resolution));
                        idx = end;
                    }
                    _ => idx += 1,
                }
            }
        }
    }
    let mut dates = Vec::with_capacity(found.len());
    let mut index: Option<(usize, CharIndex<'_>)> = None;
    for (tokens, value, resolution) in found {
        let (Some(first), Some(last)) = (
            text.tokens.get(tokens.start),
            text.tokens.get(tokens.end.saturating_sub(1)),
        ) else {
            continue;
        };
        let Some(paragraph) = article.paragraphs.get(first.paragraph) else {
            continue;
        };
        let Some(expression) = paragraph.get(first.start..last.end) else {
            continue;
        };
        if index
            .as_ref()
            .is_none_or(|(idx, _)| *idx != first.paragraph)
        {
            index = Some((first.paragraph, CharIndex::new(paragraph)));
        }
        let Some((_, chars)) = index.as_mut() else {
            continue;
        };
        let start = chars.char_of(first.start);
        let end = chars.char_of(last.end);
        dates.push(DateMention {
            text: expression.to_string(),
            span: Span {
                paragraph: first.paragraph,
                start,
                end,
            },
            value: value.iso(),
            resolution: resolution.to_string(),
        });
    }
    article.dates = dates;
}

/// Finds one date expression in a text of its own (a dateline), resolved against
/// `reference`; returns its value and the byte range it covers.
pub fn parse_expression(text: &str, reference: Option<Date>) -> Option<(String, Range<usize>)> {
    let mut ranges = Vec::new();
    crate::text::tokenize(text, &mut ranges);
    let words: Vec<&str> = ranges
        .iter()
        .filter_map(|range| text.get(range.clone()))
        .collect();
    let scanner = Scanner {
        words: &words,
        end: words.len(),
        reference,
    };
    (0..words.len()).find_map(|start| {
        let (end, value, _) = scanner.expression(start)?;
        let bytes = ranges.get(start)?.start..ranges.get(end.checked_sub(1)?)?.end;
        Some((value.iso(), bytes))
    })
}

struct Scanner<'w> {
    words: &'w [&'w str],
    /// One past the last token of the sentence.
    end: usize,
    reference: Option<Date>,
}

/// The full weekday and month names, capitalised: "Monday" … "Sunday", "January" …
/// "December".
fn calendar_names() -> impl Iterator<Item = &'static str> {
    let weekdays = WEEKDAYS.iter().map(|(name, _)| *name);
    // `MONTHS` starts with the twelve full names, then abbreviations.
    weekdays.chain(MONTHS.iter().take(12).map(|(name, _)| *name))
}

/// True for a month's name or abbreviation in any letter case ("May", "Sept.", "DEC").
pub(crate) fn is_month_name(word: &str) -> bool {
    MONTHS
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case(word))
}

/// True for a full weekday or month name as written in running text ("Monday", "May"): never
/// a name, a title or a speaker, which the other analysers' stop lists rely on.
pub(crate) fn is_calendar_name(word: &str) -> bool {
    calendar_names().any(|name| name == word)
}

/// [`is_calendar_name`] in any letter case ("monday", "MAY").
pub(crate) fn is_calendar_name_any_case(word: &str) -> bool {
    calendar_names().any(|name| name.eq_ignore_ascii_case(word))
}

fn month_of(word: &str) -> Option<i8> {
    MONTHS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, month)| *month)
}

fn weekday_of(word: &str) -> Option<Weekday> {
    WEEKDAYS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word) && starts_upper(word))
        .map(|(_, weekday)| *weekday)
}

fn starts_upper(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// "26", "26th", "1st" → the day number.
fn day_of(word: &str) -> Option<i8> {
    let digits = word
        .strip_suffix("st")
        .or_else(|| word.strip_suffix("nd"))
        .or_else(|| word.strip_suffix("rd"))
        .or_else(|| word.strip_suffix("th"))
        .unwrap_or(word);
    if digits.is_empty() || digits.len() > 2 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let day: i8 = digits.parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

/// "25-29" / "25–29" → the two day numbers.
fn day_range_of(word: &str) -> Option<(i8, i8)> {
    let (first, last) = word.split_once(['-', '–'])?;
    Some((day_of(first)?, day_of(last)?))
}

fn year_of(word: &str) -> Option<i16> {
    if word.len() != 4 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i16 = word.parse().ok()?;
    (1000..=2999).contains(&year).then_some(year)
}

fn number_of(word: &str) -> Option<i32> {
    if let Some((_, number)) = NUMBER_WORDS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
    {
        return Some(*number);
    }
    if word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok();
    }
    None
}

/// The bytes of `word` in ASCII lowercase, written into `buf`; empty when it is longer than
/// `buf` or not ASCII (no date word is). Saves an allocation per token, and the words are
/// matched as bytes, so that no check that they are UTF-8 runs on every token.
fn ascii_lower<'b>(word: &str, buf: &'b mut [u8; 16]) -> &'b [u8] {
    let bytes = word.as_bytes();
    if bytes.len() > buf.len() || !word.is_ascii() {
        return &[];
    }
    let out = &mut buf[..bytes.len()];
    out.copy_from_slice(bytes);
    out.make_ascii_lowercase();
    out
}

/// `word` without the `s`es it ends with ("days" → "day").
fn without_final_s(mut word: &[u8]) -> &[u8] {
    while let Some(rest) = word.strip_suffix(b"s") {
        word = rest;
    }
    word
}

/// The latest date on or before `date` falling on `weekday`.
fn on_or_before(date: Date, weekday: Weekday) -> Option<Date> {
    date.tomorrow().ok()?.nth_weekday(-1, weekday).ok()
}

fn add_days(date: Date, days: i32) -> Option<Date> {
    date.checked_add(days.days()).ok()
}

fn add_months(year: i16, month: i8, months: i32) -> Option<(i16, i8)> {
    let index = i32::from(year) * 12 + i32::from(month) - 1 + months;
    let year = i16::try_from(index.div_euclid(12)).ok()?;
    let month = i8::try_from(index.rem_euclid(12) + 1).ok()?;
    Some((year, month))
}

/// Monday and Sunday of the week holding `date`.
fn week_of(date: Date) -> Option<(Date, Date)> {
    let monday = on_or_before(date, Weekday::Monday)?;
    Some((monday, add_days(monday, 6)?))
}

fn days_between(a: Date, b: Date) -> i64 {
    a.since(b)
        .map(|span: Duration| i64::from(span.get_days()).abs())
        .unwrap_or(i64::MAX)
}

impl Scanner<'_> {
    fn word(&self, idx: usize) -> Option<&str> {
        (idx < self.end)
            .then(|| self.words.get(idx).copied())
            .flatten()
    }

    fn is(&self, idx: usize, expected: &str) -> bool {
        self.word(idx)
            .is_some_and(|word| word.eq_ignore_ascii_case(expected))
    }

    /// The date expression starting at token `start`: its end, value and resolution.
    fn expression(&self, start: usize) -> Option<(usize, Value, &'static str)> {
        let word = self.word(start)?;
        let first = word.chars().next()?;
        if first.is_ascii_digit() {
            return self
                .day_first(start)
                .or_else(|| self.iso(start))
                .or_else(|| self.ago(start));
        }
        if first.is_ascii_lowercase() {
            // Most words. Weekday and month names start with a capital (`weekday_of` asks
            // for one, `MONTHS` has no other), so only a relative expression can start here.
            return self.relative(start);
        }
        if let Some(weekday) = weekday_of(word) {
            return self.weekday_date(start, weekday);
        }
        if month_of(word).is_some() {
            return self.month_first(start, None);
        }
        self.relative(start)
    }

    fn iso(&self, start: usize) -> Option<(usize, Value, &'static str)> {
        let date = parse_iso(self.word(start)?)?;
        Some((start + 1, Value::Day(date), "absolute"))
    }

    /// "Tuesday, April 26", "Tuesday 26 April 2022", else the weekday alone ("on Monday").
    fn weekday_date(&self, start: usize, weekday: Weekday) -> Option<(usize, Value, &'static str)> {
        let mut next = start + 1;
        if self.word(next) == Some(",") {
            next += 1;
        }
        if self.word(next).and_then(month_of).is_some() {
            // "Tuesday, February 30" is no date at all, not a bare "Tuesday".
            return self.month_first(next, Some(weekday));
        }
        if self.word(next).and_then(day_of).is_some()
            && self.word(next + 1).and_then(month_of).is_some()
        {
            return self.day_first_with(next, Some(weekday));
        }
        // A bare weekday, with "last"/"next"/"this" before it handled by `relative`. After a
        // preposition it is a date ("on Tuesday Putin discussed"); otherwise not when it
        // qualifies a name or follows a possessive or article ("GMTV's Sunday programme",
        // "the Sunday Times").
        let previous = start
            .checked_sub(1)
            .and_then(|prev| self.words.get(prev))
            .copied()
            .unwrap_or("");
        let after_preposition = matches!(
            previous,
            "on" | "On"
                | "since"
                | "Since"
                | "until"
                | "by"
                | "from"
                | "before"
                | "after"
                | "till"
                | "late"
                | "early"
                | "Late"
                | "Early"
        );
        let qualifies = matches!(previous, "'s" | "’s" | "the" | "The" | "a" | "A" | "every")
            || self.word(start + 1).is_some_and(starts_upper);
        if !after_preposition && qualifies {
            return None;
        }
        let reference = self.reference?;
        let mut end = start + 1;
        if self
            .word(end)
            .is_some_and(|word| matches!(word, "morning" | "afternoon" | "evening" | "night"))
        {
            end += 1;
        }
        Some((
            end,
            Value::Day(on_or_before(reference, weekday)?),
            "relative",
        ))
    }

    /// "April 26", "April 26, 2022", "April 25-29", "April 2022", "in April".
    fn month_first(
        &self,
        start: usize,
        weekday: Option<Weekday>,
    ) -> Option<(usize, Value, &'static str)> {
        let month = month_of(self.word(start)?)?;
        let next = self.word(start + 1);
        if let Some((first, last)) = next.and_then(day_range_of) {
            let (end, year) = self.year_after(start + 2);
            return self.resolve_range(end, year, month, first, last);
        }
        if let Some(day) = next.and_then(day_of) {
            let (end, year) = self.year_after(start + 2);
            return self.resolve(end, year, month, day, weekday);
        }
        if weekday.is_some() {
            return None;
        }
        if let Some(year) = next.and_then(year_of) {
            return Some((start + 2, Value::Month(year, month), "absolute"));
        }
        // A bare month only after a preposition: "in May", not "May God protect".
        let preceded = start
            .checked_sub(1)
            .and_then(|prev| self.words.get(prev))
            .is_some_and(|prev| DATE_PREPOSITIONS.contains(prev));
        if !preceded || self.word(start)?.len() < 5 && !self.is(start, "May") {
            return None;
        }
        let reference = self.reference?;
        let (year, month) = nearest_month(reference, month)?;
        Some((start + 1, Value::Month(year, month), "reference-year"))
    }

    /// "26 April", "26th of April 2022", "in 2019".
    fn day_first(&self, start: usize) -> Option<(usize, Value, &'static str)> {
        self.day_first_with(start, None).or_else(|| {
            let year = year_of(self.word(start)?)?;
            let preceded = start
                .checked_sub(1)
                .and_then(|prev| self.words.get(prev))
                .is_some_and(|prev| DATE_PREPOSITIONS.contains(prev));
            let followed_by_unit = self.word(start + 1).is_some_and(|next| {
                next.chars().next().is_some_and(char::is_lowercase)
                    && !matches!(next, "and" | "to" | "when" | "as" | "after" | "before")
            });
            (preceded && !followed_by_unit).then_some((start + 1, Value::Year(year), "absolute"))
        })
    }

    fn day_first_with(
        &self,
        start: usize,
        weekday: Option<Weekday>,
    ) -> Option<(usize, Value, &'static str)> {
        let day = day_of(self.word(start)?)?;
        let mut month_idx = start + 1;
        if self.is(month_idx, "of") {
            month_idx += 1;
        }
        let month = month_of(self.word(month_idx)?)?;
        let (end, year) = self.year_after(month_idx + 1);
        self.resolve(end, year, month, day, weekday)
    }

    /// An optional ", 2022" or " 2022" at `idx`: where the expression ends and the year.
    fn year_after(&self, idx: usize) -> (usize, Option<i16>) {
        if let Some(year) = self.word(idx).and_then(year_of) {
            return (idx + 1, Some(year));
        }
        match (self.word(idx), self.word(idx + 1).and_then(year_of)) {
            (Some(","), Some(year)) => (idx + 2, Some(year)),
            _ => (idx, None),
        }
    }

    fn resolve(
        &self,
        end: usize,
        year: Option<i16>,
        month: i8,
        day: i8,
        weekday: Option<Weekday>,
    ) -> Option<(usize, Value, &'static str)> {
        if let Some(year) = year {
            let date = Date::new(year, month, day).ok()?;
            return Some((end, Value::Day(date), "absolute"));
        }
        let reference = self.reference?;
        if let Some(weekday) = weekday {
            // The latest year, not after the reference, in which the date falls on the
            // weekday; 28 years hold every calendar (and 29 Februaries).
            let date = (0..=400)
                .filter_map(|back| Date::new(reference.year().checked_sub(back)?, month, day).ok())
                .find(|date| *date <= reference && date.weekday() == weekday)?;
            return Some((end, Value::Day(date), "weekday"));
        }
        let date = nearest_date(reference, month, day)?;
        Some((end, Value::Day(date), "reference-year"))
    }

    fn resolve_range(
        &self,
        end: usize,
        year: Option<i16>,
        month: i8,
        first: i8,
        last: i8,
    ) -> Option<(usize, Value, &'static str)> {
        if first >= last {
            return None;
        }
        let (first_date, resolution) = match year {
            Some(year) => (Date::new(year, month, first).ok()?, "absolute"),
            None => (
                nearest_date(self.reference?, month, first)?,
                "reference-year",
            ),
        };
        let last_date = Date::new(first_date.year(), month, last).ok()?;
        Some((end, Value::Range(first_date, last_date), resolution))
    }

    /// "N days ago", "two weeks ago".
    fn ago(&self, start: usize) -> Option<(usize, Value, &'static str)> {
        let count = number_of(self.word(start)?)?;
        self.ago_with(start, count, start + 1)
    }

    fn ago_with(
        &self,
        start: usize,
        count: i32,
        unit_idx: usize,
    ) -> Option<(usize, Value, &'static str)> {
        let mut buf = [0u8; 16];
        let unit = ascii_lower(self.word(unit_idx)?, &mut buf);
        if !self.is(unit_idx + 1, "ago") || count > 400 {
            return None;
        }
        let reference = self.reference?;
        let end = unit_idx + 2;
        let _ = start;
        let value = match without_final_s(unit) {
            b"day" => Value::Day(add_days(reference, -count)?),
            b"week" => {
                let (monday, sunday) = week_of(add_days(reference, -7 * count)?)?;
                Value::Range(monday, sunday)
            }
            b"month" => {
                let (year, month) = add_months(reference.year(), reference.month(), -count)?;
                Value::Month(year, month)
            }
            b"year" => Value::Year(reference.year().checked_sub(i16::try_from(count).ok()?)?),
            _ => return None,
        };
        Some((end, value, "relative"))
    }

    /// "yesterday", "last week", "next month", "this year", "earlier this week", "last
    /// Monday", "a week ago".
    fn relative(&self, start: usize) -> Option<(usize, Value, &'static str)> {
        let word = self.word(start)?;
        let mut buf = [0u8; 16];
        let lower = ascii_lower(word, &mut buf);
        let reference = self.reference?;
        let day = |offset: i32, end: usize| {
            Some((end, Value::Day(add_days(reference, offset)?), "relative"))
        };
        match lower {
            b"today" | b"tonight" => return day(0, start + 1),
            b"yesterday" => return day(-1, start + 1),
            b"tomorrow" => return day(1, start + 1),
            b"the"
                if self.is(start + 1, "day")
                    && self.is(start + 2, "before")
                    && self.is(start + 3, "yesterday") =>
            {
                return day(-2, start + 4);
            }
            b"the"
                if self.is(start + 1, "day")
                    && self.is(start + 2, "after")
                    && self.is(start + 3, "tomorrow") =>
            {
                return day(2, start + 4);
            }
            b"a" | b"an" | b"one" | b"two" | b"three" | b"four" | b"five" | b"six" | b"seven"
            | b"eight" | b"nine" | b"ten" | b"eleven" | b"twelve" => {
                let count = number_of(word)?;
                if self.is(start + 1, "few") {
                    return self.ago_with(start, 3, start + 2);
                }
                return self.ago_with(start, count, start + 1);
            }
            b"earlier" | b"later" if self.is(start + 1, "this") => {
                let (end, value, resolution) = self.relative(start + 1)?;
                return Some((end, value, resolution));
            }
            _ => {}
        }
        let offset = match lower {
            b"last" | b"past" => -1,
            b"this" => 0,
            b"next" | b"coming" => 1,
            _ => return None,
        };
        let unit = self.word(start + 1)?;
        if let Some(weekday) = weekday_of(unit) {
            let date = match offset {
                -1 => reference.nth_weekday(-1, weekday).ok()?,
                0 => on_or_before(reference, weekday)?,
                _ => reference.nth_weekday(1, weekday).ok()?,
            };
            return Some((start + 2, Value::Day(date), "relative"));
        }
        if lower == b"last" && self.is(start + 1, "night") {
            return day(-1, start + 2);
        }
        if let Some(month) = month_of(unit).filter(|_| unit.len() >= 3 && !unit.ends_with('.')) {
            // "last April": the latest April before the reference month.
            let year = match offset {
                -1 if month >= reference.month() => reference.year().checked_sub(1)?,
                1 if month <= reference.month() => reference.year().checked_add(1)?,
                _ => reference.year(),
            };
            return Some((start + 2, Value::Month(year, month), "relative"));
        }
        let mut unit_buf = [0u8; 16];
        let value = match ascii_lower(unit, &mut unit_buf) {
            b"week" => {
                let (monday, sunday) = week_of(add_days(reference, 7 * offset)?)?;
                Value::Range(monday, sunday)
            }
            b"weekend" => {
                let (monday, _) = week_of(add_days(reference, 7 * offset)?)?;
                Value::Range(add_days(monday, 5)?, add_days(monday, 6)?)
            }
            b"month" => {
                let (year, month) = add_months(reference.year(), reference.month(), offset)?;
                Value::Month(year, month)
            }
            b"year" => Value::Year(reference.year().checked_add(i16::try_from(offset).ok()?)?),
            b"morning" | b"afternoon" | b"evening" if offset == 0 => Value::Day(reference),
            _ => return None,
        };
        Some((start + 2, value, "relative"))
    }
}

/// The date `month`/`day` nearest the reference (within half a year either side).
fn nearest_date(reference: Date, month: i8, day: i8) -> Option<Date> {
    [0i16, -1, 1]
        .into_iter()
        .filter_map(|offset| Date::new(reference.year().checked_add(offset)?, month, day).ok())
        .min_by_key(|date| days_between(*date, reference))
}

/// The year of the month nearest the reference.
fn nearest_month(reference: Date, month: i8) -> Option<(i16, i8)> {
    let date = nearest_date(reference, month, 1)?;
    Some((date.year(), month))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_names_are_the_seven_days_and_twelve_months() {
        let names: Vec<&str> = calendar_names().collect();
        assert_eq!(names.len(), 19);
        assert_eq!(names[7], "January");
        assert_eq!(names[18], "December");
        assert!(is_calendar_name("May") && !is_calendar_name("may"));
        assert!(is_calendar_name_any_case("may") && is_calendar_name_any_case("SUNDAY"));
        assert!(!is_calendar_name_any_case("Jan.") && !is_calendar_name_any_case("Mayor"));
    }

    #[test]
    fn month_and_weekday_names_start_with_a_capital() {
        // `Scanner::expression` sends lowercase words straight to `relative` on this promise.
        for (name, _) in MONTHS {
            assert!(name.starts_with(|c: char| c.is_ascii_uppercase()), "{name}");
        }
        for (name, _) in WEEKDAYS {
            assert!(name.starts_with(|c: char| c.is_ascii_uppercase()), "{name}");
            assert!(weekday_of(&name.to_lowercase()).is_none(), "{name}");
        }
    }

    fn dates(paragraph: &str, reference: &str) -> Vec<(String, String, String)> {
        let mut article = Article::new("x");
        article.paragraphs = vec![paragraph.to_string()];
        let text = Text::new(&article.paragraphs);
        find_dates(&mut article, &text, parse_iso(reference), true);
        article
            .dates
            .into_iter()
            .map(|date| (date.text, date.value, date.resolution))
            .collect()
    }

    fn values(paragraph: &str, reference: &str) -> Vec<String> {
        dates(paragraph, reference)
            .into_iter()
            .map(|(text, value, _)| format!("{text}={value}"))
            .collect()
    }

    #[test]
    fn weekday_fixes_the_year() {
        assert_eq!(
            dates("on Tuesday, April 26, that", "2022-05-01"),
            vec![(
                "Tuesday, April 26".into(),
                "2022-04-26".into(),
                "weekday".into()
            )]
        );
        assert_eq!(
            values("Monday, April 25", "2022-05-01"),
            vec!["Monday, April 25=2022-04-25"]
        );
        // April 26 was a Tuesday in 2022, and before that in 2016.
        assert_eq!(
            values("Tuesday, April 26", "2022-04-01"),
            vec!["Tuesday, April 26=2016-04-26"]
        );
        assert_eq!(
            values("Friday, January 4, 2019", "2022-05-01"),
            vec!["Friday, January 4, 2019=2019-01-04"]
        );
    }

    #[test]
    fn years_and_months() {
        assert_eq!(
            values("the invasion of February 24 it", "2022-05-01"),
            vec!["February 24=2022-02-24"]
        );
        assert_eq!(
            values("on 4 January 2019 and in May 2020", "2022-05-01"),
            vec!["4 January 2019=2019-01-04", "May 2020=2020-05"]
        );
        assert_eq!(
            values("in December, since 1998", "2022-01-10"),
            vec!["December=2021-12", "1998=1998"]
        );
        assert_eq!(
            values("May God protect them; 2019 people", "2022-05-01"),
            Vec::<String>::new()
        );
        assert_eq!(
            values("April 25-29", "2022-05-01"),
            vec!["April 25-29=2022-04-25/2022-04-29"]
        );
    }

    #[test]
    fn relative_dates() {
        assert_eq!(
            values(
                "yesterday, on Monday, last week, next month, two days ago, last year",
                "2022-05-01"
            ),
            vec![
                "yesterday=2022-04-30",
                "Monday=2022-04-25",
                "last week=2022-04-18/2022-04-24",
                "next month=2022-06",
                "two days ago=2022-04-29",
                "last year=2021"
            ]
        );
        assert_eq!(values("on Sunday", "2022-05-01"), vec!["Sunday=2022-05-01"]);
    }

    #[test]
    fn an_undated_article_is_dated_by_its_weekday_fixed_dates() {
        let mut article = Article::new("x");
        article.paragraphs = vec![
            "Putin told Guterres on Tuesday, April 26, that talks had stalled since the \
             invasion of February 24. On Monday Lavrov spoke."
                .into(),
        ];
        let text = Text::new(&article.paragraphs);
        // Run years later: without the anchor "February 24" would be 2027-02-24.
        find_dates(&mut article, &text, parse_iso("2026-11-28"), false);
        let found: Vec<(&str, &str)> = article
            .dates
            .iter()
            .map(|date| (date.text.as_str(), date.value.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("Tuesday, April 26", "2022-04-26"),
                ("February 24", "2022-02-24"),
                ("Monday", "2022-04-25"),
            ]
        );
        // A publication date is never overridden by the text.
        find_dates(&mut article, &text, parse_iso("2026-11-28"), true);
        assert_eq!(article.dates[1].value, "2027-02-24");
    }

    #[test]
    fn impossible_and_unresolvable_dates_are_left_out() {
        assert!(values("February 30, 2022 and February 30", "2022-05-01").is_empty());
        assert!(values("Tuesday, February 30", "2022-05-01").is_empty());
        let mut article = Article::new("x");
        article.paragraphs = vec!["yesterday and April 26, 2022".into()];
        let text = Text::new(&article.paragraphs);
        find_dates(&mut article, &text, None, false);
        assert_eq!(article.dates.len(), 1);
        assert_eq!(article.dates[0].value, "2022-04-26");
    }
}

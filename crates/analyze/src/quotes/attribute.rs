//! Who said it: the cue next to a quote, the noun phrase it attaches to, and the entity that
//! phrase names (a name, a pronoun's antecedent, the holder of a title).

use article::{EntityKind, Span};

use crate::titles::is_title_word;

use super::cues::{self, CueInfo};
use super::doc::{Doc, Para};

/// A resolved speaker or addressee.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Who {
    /// Index into the doc's entities; `None` when the words name no entity ("the board",
    /// "a spokesman" when nobody in the article holds that role).
    pub entity: Option<usize>,
    /// The words that name it for this quote (a name, a pronoun, a title, a noun phrase).
    pub span: Span,
    /// How it was resolved: `name`, `pronoun`, `title`, `relative`, `phrase`.
    pub how: &'static str,
}

/// The cue found for a quote.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cue {
    pub paragraph: usize,
    /// Token range of the cue words.
    pub toks: (usize, usize),
    pub info: CueInfo,
}

impl Cue {
    pub fn span(&self, doc: &Doc) -> Span {
        let para = &doc.paras[self.paragraph];
        Span {
            paragraph: self.paragraph,
            start: para.toks[self.toks.0].start,
            end: para.toks[self.toks.1 - 1].end,
        }
    }

    pub fn text(&self, doc: &Doc) -> String {
        let span = self.span(doc);
        doc.paras[self.paragraph].text(span.start, span.end)
    }
}

/// Words that may stand between a subject and its verb ("Blinken also said").
const BETWEEN_SUBJECT_AND_CUE: &[&str] = &[
    "also",
    "later",
    "then",
    "has",
    "have",
    "had",
    "was",
    "is",
    "previously",
    "once",
    "again",
    "repeatedly",
    "recently",
    "reportedly",
    "would",
    "will",
    "could",
    "did",
    "does",
    "do",
    "further",
    "simply",
    "flatly",
    "quickly",
    "angrily",
    "just",
    "told",
    "often",
    "never",
    "always",
    "publicly",
    "privately",
    "bluntly",
    "famously",
    "subsequently",
    "already",
    "even",
    "sarcastically",
    "jokingly",
    "not",
    "would've",
    "may",
    "might",
    "shall",
    "should",
    "can",
    "been",
    "being",
    "are",
    "were",
    "frequently",
    "firmly",
    "softly",
    "emphatically",
    "herself",
    "himself",
    "themselves",
    "finally",
    "first",
    "initially",
    "ultimately",
    "ominously",
    "proudly",
    "falsely",
    "correctly",
    "rightly",
    "wrongly",
    "openly",
    "tweeted",
    "explicitly",
];

/// Verbs whose object, not subject, does what a following gerund says ("accused Biden of
/// … by proclaiming").
const OBJECT_VERBS: &[&str] = &[
    "accused",
    "blamed",
    "criticized",
    "criticised",
    "credited",
    "praised",
    "attacked",
    "faulted",
    "slammed",
    "thanked",
    "mocked",
    "condemned",
    "chided",
    "scolded",
    "ridiculed",
];

/// The cue at token `tok_idx`, with its extent ("according to" is two tokens).
pub(crate) fn cue_at(para: &Para, tok_idx: usize) -> Option<((usize, usize), CueInfo)> {
    let word = para.lower(tok_idx);
    if word == "according" && para.lower(tok_idx + 1) == "to" {
        let info = CueInfo {
            speech: true,
            clause: true,
            addressee: false,
            gerund: false,
        };
        return Some(((tok_idx, tok_idx + 2), info));
    }
    if matches!(word, "point" | "pointed" | "points" | "pointing") {
        // Only "pointed out".
        let info = CueInfo {
            speech: true,
            clause: true,
            addressee: false,
            gerund: word == "pointing",
        };
        return (para.lower(tok_idx + 1) == "out").then_some(((tok_idx, tok_idx + 2), info));
    }
    if matches!(word, "put" | "puts") && para.lower(tok_idx + 1) == "it" {
        // "As Trump put it, “…”".
        let info = CueInfo {
            speech: true,
            clause: false,
            addressee: false,
            gerund: false,
        };
        return Some(((tok_idx, tok_idx + 2), info));
    }
    let info = para.cue(tok_idx)?;
    Some(((tok_idx, tok_idx + 1), info))
}

/// A candidate noun phrase for a speaker inside a token range.
#[derive(Debug, Clone, Copy)]
enum Candidate {
    /// An entity mention (its entity index and code-point range).
    Mention(usize, usize, usize),
    /// A capitalised name no entity covers: token range.
    Name(usize, usize),
    /// A personal pronoun token and whether it is singular.
    Pronoun(usize, bool),
    /// "who", "which": token.
    Relative(usize),
    /// "the minister", "a spokesman for X": token range of the role phrase.
    Role(usize, usize),
    /// A common-noun phrase that names no entity ("the board", "The ad", "officials"):
    /// token range.
    Phrase(usize, usize),
}

/// Words that open a noun phrase naming a source ("the board", "one of those advisers").
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "one", "another", "this", "that", "these", "those", "his", "her", "their",
    "its", "our", "some", "many", "several", "two", "three", "both", "each", "most", "other", "no",
    "few",
];

/// Lowercase words that end a source noun phrase instead of belonging to it.
const NOT_SOURCE_HEADS: &[&str] = &[
    "and",
    "or",
    "but",
    "it",
    "this",
    "that",
    "which",
    "who",
    "there",
    "here",
    "so",
    "then",
    "now",
    "also",
    "as",
    "when",
    "if",
    "because",
    "while",
    "what",
    "how",
    "why",
    "is",
    "was",
    "are",
    "were",
    "has",
    "have",
    "had",
    "be",
    "been",
    "not",
    "to",
    "of",
    "in",
    "on",
    "at",
    "for",
    "with",
    "by",
    "from",
    "about",
    "time",
    "times",
    "day",
    "days",
    "week",
    "year",
    "years",
    "people",
    "way",
    "thing",
    "things",
    "everyone",
    "nobody",
    "someone",
    "anyone",
    "could",
    "would",
    "will",
    "should",
    "can",
    "may",
    "might",
    "must",
    "did",
    "does",
    "do",
    "follows",
    "following",
];

/// Whether the words from token `next`, after a number written as a word, make it a share:
/// more number words, then "percent", "per cent" or "in" and a number ("nine percent", "in
/// 10").
fn share_after_number(para: &Para, next: usize) -> bool {
    let mut tok_idx = next;
    while crate::entities::is_lowercase_number_word(para.lower(tok_idx)) {
        tok_idx += 1;
    }
    let word = para.lower(tok_idx);
    let after = para.lower(tok_idx + 1);
    matches!(word, "percent" | "per" | "%")
        || word == "in"
            && (!after.is_empty() && after.bytes().all(|b| b.is_ascii_digit())
                || crate::entities::is_lowercase_number_word(after))
}

/// A common-noun phrase ending at token `last` (inclusive) that can be a source: a determiner
/// and up to five words, "of" allowed ("one of those advisers"), or a bare plural
/// ("officials", "Republicans") opening its clause.
fn source_phrase(para: &Para, lo: usize, last: usize) -> Option<Candidate> {
    let tok = para.toks.get(last)?;
    let head = para.lower(last);
    if !tok.word
        || tok.capitalized && last > lo && !para.toks[last - 1].capitalized
        || NOT_SOURCE_HEADS.contains(&head)
        || head.ends_with("ly")
        || head.chars().any(|c| c.is_ascii_digit())
        || cues::pronoun(head).is_some()
        || cues::cue(head).is_some()
    {
        return None;
    }
    let mut first = last;
    loop {
        if DETERMINERS.contains(&para.lower(first)) {
            return (first < last).then_some(Candidate::Phrase(first, last + 1));
        }
        let opens_clause = first == lo
            || para
                .punct(first - 1)
                .is_some_and(|c| matches!(c, ',' | ';' | '—' | '–' | '(' | ':'))
            || matches!(para.lower(first - 1), "and" | "but" | "while" | "as");
        if opens_clause {
            let plural = head.ends_with('s') && !head.ends_with("ss");
            return plural.then_some(Candidate::Phrase(first, last + 1));
        }
        if last - first >= 5 || !para.toks[first - 1].word {
            return None;
        }
        first -= 1;
        let word = para.lower(first);
        if NOT_SOURCE_HEADS.contains(&word) && word != "of" {
            return None;
        }
    }
}

/// True for a party-and-state tag ("R-Wis", "D-S"): skipped between a name and its cue.
fn is_party_tag(para: &Para, tok_idx: usize) -> bool {
    let word = para.lower(tok_idx);
    let bytes = word.as_bytes();
    bytes.len() >= 3 && matches!(bytes[0], b'r' | b'd' | b'i') && bytes[1] == b'-'
}

fn is_name_word(para: &Para, tok_idx: usize) -> bool {
    let Some(tok) = para.toks.get(tok_idx) else {
        return false;
    };
    let lower = para.lower(tok_idx);
    tok.word
        && tok.capitalized
        && (!tok.common || cues::is_group_noun(lower))
        && para.cue(tok_idx).is_none()
        && !cues::is_not_a_name(lower)
}

fn is_honorific(para: &Para, tok_idx: usize) -> bool {
    cues::HONORIFICS.contains(&para.lower(tok_idx))
}

/// One past the run of name words that starts at token `first`, before `hi`. The period of
/// an abbreviated title stays inside the run: "Mr. Trump".
fn name_run_end(para: &Para, first: usize, hi: usize) -> usize {
    let mut last = first + 1;
    while last < hi
        && (is_name_word(para, last)
            || para.punct(last) == Some('.') && is_honorific(para, last - 1))
    {
        last += 1;
    }
    last
}

/// True when the run of tokens `first..last` is titles alone ("Mr", "President"), naming
/// nobody. A title's word after a personal title ("Mr. King", "Mr. Prince") is a surname, and
/// so is a last word that is the name of someone already known ("King" once "Charlie King"
/// is).
fn is_title_only(doc: &Doc, para: &Para, first: usize, last: usize) -> bool {
    let mut words = (first..last).filter(|&idx| para.toks[idx].word);
    let Some(mut last_word) = words.next() else {
        return true;
    };
    let mut before_last = None;
    for idx in words {
        before_last = Some(last_word);
        last_word = idx;
    }
    let titles_only = (first..last).all(|idx| !para.toks[idx].word || is_honorific(para, idx));
    titles_only
        && !before_last.is_some_and(|idx| cues::PERSONAL_TITLES.contains(&para.lower(idx)))
        && doc
            .find_named(&para.text(para.toks[last_word].start, para.toks[last_word].end))
            .is_none()
}

/// The subject of a cue: the nearest noun phrase before the cue within `lo..cue_tok` that can
/// speak, as a candidate.
/// The person named right before an appositive that ends at the comma `comma`, as in "Massimo
/// Franco, a columnist for the Italian newspaper Corriere della Sera, said": the comma that
/// opens the appositive at most 14 words back, after `lo`, with no quote, cue or other comma
/// between, and a person's mention ending right before it.
fn person_before_appositive(
    doc: &Doc,
    paragraph: usize,
    lo: usize,
    comma: usize,
) -> Option<Candidate> {
    let para = &doc.paras[paragraph];
    let mut n_words = 0;
    let mut idx = comma;
    while idx > lo + 1 {
        idx -= 1;
        let tok = para.toks.get(idx)?;
        if tok.word {
            n_words += 1;
            if n_words > 14 || para.is_quoted(tok.start) || cue_at(para, idx).is_some() {
                return None;
            }
            continue;
        }
        match para.punct(idx) {
            Some(',') => break,
            Some('.' | '\'' | '’' | '-' | '&') => continue,
            _ => return None,
        }
    }
    if n_words == 0 || para.punct(idx) != Some(',') {
        return None;
    }
    let name = para.toks.get(idx.checked_sub(1)?)?;
    let located = doc
        .mentions_in(paragraph, name.start, name.end)
        .filter(|located| {
            located.end == name.end
                && doc.kind(located.entity) == EntityKind::Person
                && !para.is_quoted(located.start)
        })
        .last()?;
    Some(Candidate::Mention(
        located.entity,
        located.start,
        located.end,
    ))
}

fn subject_before(doc: &Doc, paragraph: usize, lo: usize, cue_tok: usize) -> Option<Candidate> {
    let para = &doc.paras[paragraph];
    let mut tok_idx = cue_tok;
    let mut n_words = 0;
    let mut seen_comma = false;
    // The last word of the phrase: a role phrase runs to it ("the head of US diplomacy").
    let mut phrase_end: Option<usize> = None;
    while tok_idx > lo {
        tok_idx -= 1;
        let tok = &para.toks[tok_idx];
        if !tok.word {
            let c = para.chars[tok.start];
            if c == ',' && !seen_comma {
                // An appositive: "Antony Blinken, stated …", "X, the minister, said". A person
                // named before a whole appositive speaks, not a name inside it ("James B. Comey
                // Jr., the director of the Federal Bureau of Investigation, said").
                if let Some(person) = person_before_appositive(doc, paragraph, lo, tok_idx) {
                    return Some(person);
                }
                seen_comma = true;
                continue;
            }
            if c == ')' {
                // A parenthesis: "Rep. Trey Gowdy (R-S.C.) said", "Wikileaks (sic)".
                let mut depth = 0;
                let mut open = tok_idx;
                while open > lo {
                    open -= 1;
                    match para.punct(open) {
                        Some(')') => depth += 1,
                        Some('(') if depth == 0 => break,
                        Some('(') => depth -= 1,
                        _ => {}
                    }
                }
                if para.punct(open) == Some('(') {
                    tok_idx = open;
                }
                continue;
            }
            if c == '.'
                && tok_idx > lo
                && (is_party_tag(para, tok_idx - 1)
                    || cues::ABBREVIATIONS.contains(&para.lower(tok_idx - 1)))
            {
                continue;
            }
            if c == ',' || c == '(' || c == '—' || c == '–' {
                continue;
            }
            return None;
        }
        n_words += 1;
        if n_words > 14 {
            return None;
        }
        let word = para.lower(tok_idx);
        if BETWEEN_SUBJECT_AND_CUE.contains(&word) && n_words <= 3 || is_party_tag(para, tok_idx) {
            continue;
        }
        let first_word = phrase_end.is_none();
        phrase_end.get_or_insert(tok_idx);
        if first_word
            && !seen_comma
            && (!tok.capitalized || tok.common)
            && !cues::ROLE_NOUNS.contains(&word.trim_end_matches('s'))
            && !para.is_quoted(tok.start)
            && let Some(phrase) = source_phrase(para, lo, tok_idx)
        {
            // "the board said", "The ad claims": unless a name heads the phrase.
            let Candidate::Phrase(first, _) = phrase else {
                return Some(phrase);
            };
            let has_mention = doc
                .mentions_in(paragraph, para.toks[first].start, tok.end)
                .any(|located| doc.kind(located.entity) == EntityKind::Person);
            // "the head of US diplomacy": a role, resolved through titles below.
            let has_role = (first..tok_idx)
                .any(|idx| cues::ROLE_NOUNS.contains(&para.lower(idx).trim_end_matches('s')));
            if !has_mention && !has_role {
                return Some(phrase);
            }
        }
        if let Some((_, singular)) = cues::pronoun(word) {
            return Some(Candidate::Pronoun(tok_idx, singular));
        }
        if cues::RELATIVES.contains(&word) && word != "that" {
            return Some(Candidate::Relative(tok_idx));
        }
        // A mention ending here.
        let mention = doc
            .mentions_in(paragraph, tok.start, tok.end)
            .filter(|located| !para.is_quoted(located.start))
            .last();
        if let Some(located) = mention {
            let is_place = doc.kind(located.entity) == EntityKind::Place;
            if is_modifier(para, doc, located.start, located.end)
                || is_place && (n_words > 1 || seen_comma)
            {
                continue;
            }
            return Some(Candidate::Mention(
                located.entity,
                located.start,
                located.end,
            ));
        }
        if is_name_word(para, tok_idx) && !para.is_quoted(tok.start) {
            let mut first = tok_idx;
            while first > lo
                && (is_name_word(para, first - 1)
                    || is_honorific(para, first - 1) && para.toks[first - 1].capitalized
                    || para.punct(first - 1) == Some('.')
                        && first >= 2
                        && is_honorific(para, first - 2))
            {
                first -= 1;
            }
            let start = para.toks[first].start;
            let end = tok.end;
            if is_modifier(para, doc, start, end) {
                tok_idx = first;
                continue;
            }
            if !is_title_only(doc, para, first, tok_idx + 1) {
                if first == tok_idx && cues::is_group_noun(word) {
                    // "Analysts said", "the MPs said": a group, not a person.
                    let with_determiner = first > lo
                        && para.toks[first - 1].word
                        && DETERMINERS.contains(&para.lower(first - 1));
                    let phrase_start = if with_determiner { first - 1 } else { first };
                    return Some(Candidate::Phrase(phrase_start, tok_idx + 1));
                }
                return Some(Candidate::Name(first, tok_idx + 1));
            }
            // Titles alone name nobody: "Mr" before "Kok's report" is passed over, "The
            // President said" is a role (below). But "Mr. Trump tries": a capitalised word
            // after a personal title is a surname even where it failed the name-word test.
            if cues::PERSONAL_TITLES.contains(&word) {
                let mut next = tok_idx + 1;
                while para.punct(next) == Some('.') {
                    next += 1;
                }
                // Not a surname already passed over as a modifier ("Mr Kok's report").
                if next < cue_tok
                    && let Some(after) = para.toks.get(next)
                    && after.word
                    && after.capitalized
                    && !is_modifier(para, doc, para.toks[first].start, after.end)
                {
                    return Some(Candidate::Name(first, next + 1));
                }
            }
        }
        if cues::ROLE_NOUNS.contains(&word.trim_end_matches('s')) {
            // Walk back to the determiner.
            let mut first = tok_idx;
            while first > lo && para.toks[first - 1].word && tok_idx - first < 8 {
                first -= 1;
                if matches!(
                    para.lower(first),
                    "the" | "a" | "an" | "his" | "her" | "their"
                ) {
                    break;
                }
            }
            // Prefer a name that stands just before the role phrase ("Trump's spokeswoman
            // Hope Hicks" was handled above; "Blinken, the secretary, said" comes here).
            let end = phrase_end.unwrap_or(tok_idx).max(tok_idx);
            return Some(Candidate::Role(first, end + 1));
        }
    }
    None
}

/// True when a name is a modifier, not a head: "a spokesman for Clinton", "Trump’s campaign".
fn is_modifier(para: &Para, _doc: &Doc, start: usize, end: usize) -> bool {
    let first_tok = para.tok_at(start);
    let last_tok = para.tok_at(end).saturating_sub(1);
    let possessive = para.toks.get(last_tok).is_some_and(|_| {
        let lower = para.lower(last_tok);
        lower.ends_with("’s") || lower.ends_with("'s") || lower.ends_with("s’")
    }) || para
        .punct(last_tok + 1)
        .is_some_and(|c| c == '’' || c == '\'');
    let after_preposition = first_tok > 0
        && matches!(
            para.lower(first_tok - 1),
            "for"
                | "of"
                | "to"
                | "at"
                | "with"
                | "from"
                | "about"
                | "against"
                | "on"
                | "by"
                | "in"
                | "told"
                | "asked"
                | "called"
                | "urged"
                | "thanked"
                | "accused"
                | "like"
        );
    possessive || after_preposition
}

/// The token after a possessive name spanning `start..end` ("Gartner's", "Microsoft’s"), or
/// `None` when the name is not possessive. A bare apostrophe after a name is not taken for
/// one: it may close a quotation.
fn after_possessive(para: &Para, start: usize, end: usize) -> Option<usize> {
    let last = para.tok_at(end).checked_sub(1)?;
    if last < para.tok_at(start) {
        return None;
    }
    let lower = para.lower(last);
    if lower.ends_with("'s") || lower.ends_with("’s") {
        return Some(last + 1);
    }
    // The apostrophe and the "s" as tokens of their own.
    let s_tok = last + 2;
    (matches!(para.punct(last + 1), Some('\'' | '’'))
        && para.toks.get(s_tok).is_some_and(|tok| tok.word)
        && para.lower(s_tok) == "s")
        .then_some(s_tok + 1)
}

/// True when a name word comes within the next few words from `from`, before `hi` and before
/// any punctuation: "Gartner's principal analyst Kobita Desai".
fn name_within(para: &Para, from: usize, hi: usize) -> bool {
    (from..hi.min(para.toks.len()).min(from + 4))
        .take_while(|&idx| para.toks[idx].word)
        .any(|idx| is_name_word(para, idx))
}

/// The speaker named right after a cue ("said Blinken", "according to the minister").
fn subject_after(doc: &Doc, paragraph: usize, from: usize, hi: usize) -> Option<Candidate> {
    let para = &doc.paras[paragraph];
    let mut tok_idx = from;
    let mut n_words = 0;
    while tok_idx < hi.min(para.toks.len()) {
        let tok = &para.toks[tok_idx];
        if !tok.word {
            return None;
        }
        n_words += 1;
        if n_words > 8 {
            return None;
        }
        let word = para.lower(tok_idx);
        if let Some((_, singular)) = cues::pronoun(word) {
            return Some(Candidate::Pronoun(tok_idx, singular));
        }
        let mention = doc
            .mentions_in(paragraph, tok.start, tok.end)
            .find(|located| !para.is_quoted(located.start));
        if let Some(located) = mention {
            if doc.kind(located.entity) == EntityKind::Place && n_words > 1 {
                return None;
            }
            if let Some(next) = after_possessive(para, located.start, located.end)
                && name_within(para, next, hi)
            {
                // "said Gartner's principal analyst Kobita Desai": the speaker comes later
                // (but "according to Politico's analysis" is Politico's).
                tok_idx = next;
                continue;
            }
            return Some(Candidate::Mention(
                located.entity,
                located.start,
                located.end,
            ));
        }
        if matches!(
            word,
            "in" | "at"
                | "on"
                | "during"
                | "to"
                | "with"
                | "after"
                | "before"
                | "from"
                | "for"
                | "about"
                | "that"
                | "of"
        ) {
            return None;
        }
        if is_name_word(para, tok_idx) || is_honorific(para, tok_idx) && tok.capitalized {
            let last = name_run_end(para, tok_idx, para.toks.len());
            // Skip honorifics at the start of the run.
            let mut first = tok_idx;
            while first + 1 < last && (is_honorific(para, first) || para.punct(first) == Some('.'))
            {
                first += 1;
            }
            if let Some(next) =
                after_possessive(para, para.toks[tok_idx].start, para.toks[last - 1].end)
                && name_within(para, next, hi)
            {
                tok_idx = next;
                continue;
            }
            if is_name_word(para, first) {
                return Some(Candidate::Name(first, last));
            }
        }
        if cues::ROLE_NOUNS.contains(&word.trim_end_matches('s')) {
            // "said the minister, Sergei Lavrov": a name after the comma wins.
            return Some(Candidate::Role(from, tok_idx + 1));
        }
        if tok_idx == from && DETERMINERS.contains(&word) {
            // "said the board", "according to a statement from …".
            let mut last = tok_idx + 1;
            while last < hi.min(para.toks.len())
                && last - tok_idx <= 4
                && para.toks[last].word
                && !para.toks[last].capitalized
                && !NOT_SOURCE_HEADS.contains(&para.lower(last))
            {
                last += 1;
            }
            if last > tok_idx + 1 && source_phrase(para, tok_idx, last - 1).is_some() {
                return Some(Candidate::Phrase(tok_idx, last));
            }
        }
        if !matches!(word, "the" | "a" | "an" | "his" | "her" | "their" | "its") && n_words > 3 {
            return None;
        }
        tok_idx += 1;
    }
    None
}

/// Resolves a candidate to an entity.
fn resolve(doc: &mut Doc, paragraph: usize, candidate: Candidate) -> Option<Who> {
    let para = &doc.paras[paragraph];
    let span_of = |start: usize, end: usize| Span {
        paragraph,
        start,
        end,
    };
    match candidate {
        Candidate::Mention(entity, start, end) => {
            // "Sony has said it wanted …": a one-word person is a company.
            if doc.kind(entity) == EntityKind::Person
                && speaks_as_it(para, para.tok_at(end))
                && doc.is_bare_single_name(entity)
            {
                doc.retype_as_organization(entity);
            }
            Some(Who {
                entity: Some(entity),
                span: span_of(start, end),
                how: "name",
            })
        }
        Candidate::Name(run_first, last) => {
            let mut first = run_first;
            while first + 1 < last && (is_honorific(para, first) || para.punct(first) == Some('.'))
            {
                first += 1;
            }
            if is_title_only(doc, para, run_first, last) {
                // "said Mr.": nobody named.
                return None;
            }
            let start = para.toks[first].start;
            let end = para.toks[last - 1].end;
            let name = para.text(start, end);
            let name = name.trim_end_matches(['’', '\'']).to_string();
            // A group names nobody ("said analysts").
            if last == first + 1 && cues::is_group_noun(para.lower(first)) {
                return Some(Who {
                    entity: None,
                    span: span_of(start, end),
                    how: "phrase",
                });
            }
            // Nor does a title alone, not after an honorific ("Mr. Prince said"), unless a
            // person of the article holds it: "the Cardinal will ask" after "Cardinal Cormac
            // Murphy-O'Connor", but "the most recent female MP … told" with no MP named.
            if last == first + 1
                && first == run_first
                && crate::titles::is_head(&name)
                && doc.find_named(&name).is_none()
            {
                let head = name.to_lowercase();
                let holder =
                    title_holder_by_head(doc, paragraph, start, std::slice::from_ref(&head), &head);
                return Some(Who {
                    entity: holder,
                    span: span_of(start, end),
                    how: if holder.is_some() { "title" } else { "phrase" },
                });
            }
            if crate::entities::is_not_a_name_alone(&name) {
                // "at 1230 GMT on …", "the PC vendors, asks …": a word that names nobody.
                return None;
            }
            let kind = if looks_like_organization(&name) || speaks_as_it(para, last) {
                EntityKind::Organization
            } else {
                EntityKind::Person
            };
            // A number opening the subject names nobody ("Seventeen rockets struck …"); a
            // share of people is the source ("Fifty percent of Europeans said", "Six in 10
            // say"): then the phrase takes in the few words up to the cue or the first mark. (A
            // channel so named speaks as an organisation: "Five said it had received".)
            if kind == EntityKind::Person
                && last == first + 1
                && crate::entities::is_number_word(&name)
            {
                if !share_after_number(para, last) {
                    return None;
                }
                let phrase_end = (last..para.sentence_end(first).min(last + 6))
                    .find(|&tok_idx| !para.toks[tok_idx].word || para.cue(tok_idx).is_some())
                    .map_or(end, |stop| para.toks[stop - 1].end);
                return Some(Who {
                    entity: None,
                    span: span_of(start, phrase_end),
                    how: "phrase",
                });
            }
            let span = span_of(start, end);
            let entity = doc.entity_for_name(&name, span, kind);
            Some(Who {
                entity: Some(entity),
                span,
                how: "name",
            })
        }
        Candidate::Pronoun(tok_idx, singular) => {
            let tok = &para.toks[tok_idx];
            let span = span_of(tok.start, tok.end);
            let word = cues::pronoun(para.lower(tok_idx)).map_or("", |(pronoun, _)| pronoun);
            if word == "i" {
                return None;
            }
            let wanted: &[EntityKind] = if singular {
                &[EntityKind::Person]
            } else if word == "it" {
                &[EntityKind::Organization]
            } else {
                &[EntityKind::Organization, EntityKind::Person]
            };
            let entity = antecedent(doc, paragraph, tok.start, wanted, singular)?;
            Some(Who {
                entity: Some(entity),
                span,
                how: "pronoun",
            })
        }
        Candidate::Relative(tok_idx) => {
            // "Paul, who accused …": the phrase before "who".
            let lo = para.sentence_start(tok_idx);
            let candidate = subject_before(doc, paragraph, lo, tok_idx)?;
            if matches!(candidate, Candidate::Relative(_) | Candidate::Phrase(..)) {
                return None;
            }
            let mut who = resolve(doc, paragraph, candidate)?;
            who.how = "relative";
            Some(who)
        }
        Candidate::Role(first, last) => {
            let start = para.toks[first].start;
            let end = para.toks[last - 1].end;
            let words: Vec<String> = (first..last)
                .map(|tok_idx| para.lower(tok_idx).to_string())
                .filter(|word| {
                    para.toks.iter().any(|_| true)
                        && !matches!(
                            word.as_str(),
                            "the" | "a" | "an" | "of" | "for" | "his" | "her" | "their" | "its"
                        )
                })
                .collect();
            // Nobody in the article holds the role: a short phrase still says who spoke.
            let entity = title_holder(doc, paragraph, start, &words);
            if entity.is_none() && source_phrase(para, first, last - 1).is_none() {
                return None;
            }
            Some(Who {
                entity,
                span: span_of(start, end),
                how: if entity.is_some() { "title" } else { "phrase" },
            })
        }
        Candidate::Phrase(first, last) => Some(Who {
            entity: None,
            span: span_of(para.toks[first].start, para.toks[last - 1].end),
            how: "phrase",
        }),
    }
}

/// True when the name ending before token `after` is followed by a cue whose clause speaks
/// of the speaker as "it": "Sony has said it wanted …", "Yukos argued that it had …". A
/// person is not "it"; a company, a party or a government is.
fn speaks_as_it(para: &Para, after: usize) -> bool {
    let Some(cue) = (after..para.toks.len().min(after + 4))
        .take_while(|&idx| para.toks[idx].word)
        .find(|&idx| para.cue(idx).is_some())
    else {
        return false;
    };
    let mut next = cue + 1;
    if para.toks.get(next).is_some_and(|tok| tok.word) && para.lower(next) == "that" {
        next += 1;
    }
    para.toks.get(next).is_some_and(|tok| tok.word) && matches!(para.lower(next), "it" | "its")
}

fn looks_like_organization(name: &str) -> bool {
    const ORG_WORDS: &[&str] = &[
        "Committee",
        "Party",
        "Department",
        "News",
        "Times",
        "Post",
        "Campaign",
        "Council",
        "Association",
        "Institute",
        "Foundation",
        "Ministry",
        "Agency",
        "Office",
        "Bureau",
        "Inc",
        "Corp",
        "Company",
        "University",
        "Journal",
        "Network",
        "Club",
        "Center",
        "Centre",
        "Commission",
        "Group",
        "Service",
        "Administration",
        "Court",
        "Congress",
        "Senate",
        "House",
        "Reuters",
        "Press",
        "Fund",
        "PAC",
        "Bank",
        "Parliament",
        "Government",
        "Cabinet",
    ];
    name.split(' ').any(|word| ORG_WORDS.contains(&word))
}

/// The most recent entity of a wanted kind mentioned before a position, outside quotes:
/// first among mentions that stand as subjects (not after a preposition or a verb, not
/// possessive), then among any mention; singular pronouns look back over the whole article,
/// plural ones over this paragraph and the one before.
fn antecedent(
    doc: &Doc,
    paragraph: usize,
    before: usize,
    wanted: &[EntityKind],
    singular: bool,
) -> Option<usize> {
    let first_paragraph = if singular {
        paragraph.saturating_sub(12)
    } else {
        paragraph.saturating_sub(1)
    };
    for subjects_only in [true, false] {
        for paragraph_idx in (first_paragraph..=paragraph).rev() {
            let para = &doc.paras[paragraph_idx];
            let limit = if paragraph_idx == paragraph {
                before
            } else {
                usize::MAX
            };
            let found = doc.mentions[paragraph_idx]
                .iter()
                .rev()
                .filter(|located| located.end <= limit && !para.is_quoted(located.start))
                .filter(|located| {
                    !subjects_only || !is_modifier(para, doc, located.start, located.end)
                })
                .find(|located| wanted.contains(&doc.kind(located.entity)));
            if let Some(located) = found {
                return Some(located.entity);
            }
        }
    }
    None
}

/// The person holding a title in this article: the most recently mentioned entity whose
/// titles share the most words with the phrase's.
fn title_holder(doc: &Doc, paragraph: usize, before: usize, words: &[String]) -> Option<usize> {
    let head = words
        .iter()
        .rev()
        .find(|word| cues::ROLE_NOUNS.contains(&word.trim_end_matches('s')))?;
    title_holder_by_head(doc, paragraph, before, words, head)
}

/// [`title_holder`] for the head word `head` of the title.
fn title_holder_by_head(
    doc: &Doc,
    paragraph: usize,
    before: usize,
    words: &[String],
    head: &str,
) -> Option<usize> {
    let mut best: Option<(usize, (usize, usize, usize))> = None;
    let n_entities = doc.base.len() + doc.extra.len();
    for entity_idx in 0..n_entities {
        let Some(entity) = doc.entity(entity_idx) else {
            continue;
        };
        if entity.kind != EntityKind::Person {
            continue;
        }
        let mut score = 0;
        for title in &entity.titles {
            let title = title.to_lowercase();
            let title_words: Vec<&str> = title.split_whitespace().collect();
            if !title_words.contains(&head) {
                continue;
            }
            let shared = words
                .iter()
                .filter(|word| title_words.contains(&word.as_str()))
                .count();
            score = score.max(shared);
        }
        if score == 0 {
            continue;
        }
        let last_mention = entity
            .mentions
            .iter()
            .filter(|mention| (mention.span.paragraph, mention.span.start) < (paragraph, before))
            .map(|mention| (mention.span.paragraph, mention.span.start))
            .max()
            .unwrap_or((0, 0));
        let key = (score, last_mention.0, last_mention.1);
        if best.is_none_or(|(_, best_key)| key > best_key) {
            best = Some((entity_idx, key));
        }
    }
    best.map(|(entity_idx, _)| entity_idx)
}

/// The result of attributing one quote.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Attribution {
    pub cue: Option<Cue>,
    pub speaker: Option<Who>,
    pub addressee: Option<Who>,
    pub rule: &'static str,
    pub confidence: f64,
}

impl Attribution {
    pub fn none() -> Attribution {
        Attribution {
            cue: None,
            speaker: None,
            addressee: None,
            rule: "none",
            confidence: 0.0,
        }
    }
}

/// The addressee after a cue that takes one ("told Guterres").
fn addressee(doc: &mut Doc, paragraph: usize, cue: &Cue) -> Option<Who> {
    if !cue.info.addressee {
        return None;
    }
    let para = &doc.paras[paragraph];
    let tok_idx = cue.toks.1;
    let tok = para.toks.get(tok_idx)?;
    let candidate = if let Some(located) = doc.mentions_in(paragraph, tok.start, tok.end).next() {
        Candidate::Mention(located.entity, located.start, located.end)
    } else if is_name_word(para, tok_idx) || is_honorific(para, tok_idx) && tok.capitalized {
        let mut last = tok_idx + 1;
        while last < para.toks.len() && is_name_word(para, last) {
            last += 1;
        }
        Candidate::Name(tok_idx, last)
    } else {
        return None;
    };
    resolve(doc, paragraph, candidate)
}

fn confidence_of(how: &str, inverted: bool) -> f64 {
    let base: f64 = match how {
        "name" => 0.95,
        "relative" => 0.8,
        "title" => 0.8,
        "pronoun" => 0.75,
        "phrase" => 0.6,
        _ => 0.5,
    };
    if inverted { base - 0.03 } else { base }
}

/// A name opening the words after a quote and followed by an appositive: "“…,” Trump, the
/// 2016 GOP frontrunner …, said".
fn lead_name(doc: &Doc, paragraph: usize, lo: usize, hi: usize) -> Option<(Candidate, usize)> {
    let para = &doc.paras[paragraph];
    let mut first = lo;
    if para.punct(first) == Some(',') {
        first += 1;
    }
    let tok = para.toks.get(first)?;
    if first >= hi || !tok.word {
        return None;
    }
    let (candidate, after) = mention_or_name(doc, paragraph, first, hi)?;
    (para.punct(after) == Some(',')).then_some((candidate, after))
}

/// The entity mention, or else the run of name words before `hi`, that starts at token
/// `first`, and the token after it; `None` for a place or anything else.
fn mention_or_name(
    doc: &Doc,
    paragraph: usize,
    first: usize,
    hi: usize,
) -> Option<(Candidate, usize)> {
    let para = &doc.paras[paragraph];
    let tok = para.toks.get(first)?;
    if let Some(located) = doc
        .mentions_in(paragraph, tok.start, tok.end)
        .find(|located| located.start == tok.start)
    {
        if doc.kind(located.entity) == EntityKind::Place {
            return None;
        }
        return Some((
            Candidate::Mention(located.entity, located.start, located.end),
            para.tok_at(located.end),
        ));
    }
    if !is_name_word(para, first) {
        return None;
    }
    let last = name_run_end(para, first, hi);
    // "Mr. Trump's penchant": the name only qualifies the subject.
    if is_modifier(para, doc, tok.start, para.toks[last - 1].end) {
        return None;
    }
    Some((Candidate::Name(first, last), last))
}

/// Attribution from the words after a quote's closing mark: "…,” Putin told Guterres",
/// "…,” said Blinken", "…,” he added".
pub(crate) fn after_quote(
    doc: &mut Doc,
    paragraph: usize,
    close: usize,
    quote_ends_sentence: bool,
) -> Option<Attribution> {
    let para = &doc.paras[paragraph];
    let mut lo = para.tok_at(close + 1);
    // The second apostrophe of a doubled closing mark (''…'' in the New York Times' style),
    // which would otherwise end the window as a sentence of its own.
    while matches!(para.punct(lo), Some('\'' | '’')) {
        lo += 1;
    }
    let hi = para.sentence_end(lo.min(para.toks.len().saturating_sub(1)));
    let hi = if lo >= para.toks.len() { lo } else { hi };
    // The window stops at the next quote.
    let hi = (lo..hi)
        .find(|&tok_idx| para.is_quoted(para.toks[tok_idx].start))
        .unwrap_or(hi);
    let lead = lead_name(doc, paragraph, lo, hi);
    let max_words = if lead.is_some() { 40 } else { 9 };
    let para = &doc.paras[paragraph];
    let mut tok_idx = lo;
    let mut n_words = 0;
    while tok_idx < hi {
        if para.toks[tok_idx].word {
            n_words += 1;
        }
        if n_words > max_words {
            return None;
        }
        if let Some((toks, info)) = cue_at(para, tok_idx)
            && !info.gerund
        {
            let cue = Cue {
                paragraph,
                toks,
                info,
            };
            if quote_ends_sentence {
                // "“….” Trump said the rally …" starts a new statement unless the clause
                // is a short attribution.
                let rest_words = (toks.1..hi).filter(|&t| para.toks[t].word).count();
                if rest_words > 8 || para.lower(toks.1) == "that" {
                    return None;
                }
            }
            let inverted;
            let before = subject_before(doc, paragraph, lo, tok_idx).or(lead.map(|(c, _)| c));
            let candidate = match before {
                Some(candidate) => {
                    inverted = false;
                    Some(candidate)
                }
                None => {
                    inverted = true;
                    subject_after(doc, paragraph, toks.1, hi)
                }
            };
            let speaker = candidate.and_then(|candidate| resolve(doc, paragraph, candidate));
            let addressee = addressee(doc, paragraph, &cue);
            let rule = match (speaker.map(|who| who.how), inverted) {
                (Some("pronoun"), _) => "pronoun-cue",
                (Some("title"), _) => "title-cue",
                (Some("phrase"), _) => "phrase-cue",
                (Some(_), true) => "cue-name",
                (Some(_), false) => "name-cue",
                (None, _) => "cue-unresolved",
            };
            let confidence = speaker.map_or(0.3, |who| confidence_of(who.how, inverted));
            return Some(Attribution {
                cue: Some(cue),
                speaker,
                addressee,
                rule,
                confidence,
            });
        }
        tok_idx += 1;
    }
    None
}

/// Whether a conjunction stands between the quote closing at code point `close` and `cue`
/// ("…,” for instance, and Trump vowed"): the cue opens a clause of its own.
pub(crate) fn conjunction_between(para: &Para, close: usize, cue: Cue) -> bool {
    (para.tok_at(close + 1)..cue.toks.0)
        .any(|tok_idx| matches!(para.lower(tok_idx), "and" | "but" | "while" | "whereas"))
}

/// Whether a speech cue ends right before the quote opening at code point `open`, with only
/// punctuation between ("Brafman said, “…", "Ms Cooper said: “…").
pub(crate) fn cue_right_before(para: &Para, open: usize) -> bool {
    let hi = para.tok_at(open);
    let Some(last_word) = (0..hi)
        .rev()
        .find(|&tok_idx| para.toks.get(tok_idx).is_some_and(|tok| tok.word))
    else {
        return false;
    };
    (last_word.saturating_sub(1)..=last_word).any(|start| {
        cue_at(para, start).is_some_and(|((_, end), info)| end == last_word + 1 && info.speech)
    })
}

/// Whether the quote opening at code point `open` follows a word of a clause that a speech cue
/// earlier in its sentence reports ("Cruz said he'd make sand “glow …").
pub(crate) fn inside_reported_clause(para: &Para, open: usize) -> bool {
    let hi = para.tok_at(open);
    if hi == 0 || !para.toks.get(hi - 1).is_some_and(|tok| tok.word) {
        return false;
    }
    let lo = para.sentence_start(hi - 1);
    (lo..hi.saturating_sub(1)).any(|tok_idx| {
        !para.is_quoted(para.toks[tok_idx].start)
            && cue_at(para, tok_idx).is_some_and(|(_, info)| info.speech && info.clause)
    })
}

/// Attribution from the words before a quote's opening mark: "Ms Hewitt said: “…”",
/// "Blinken stated that Putin “is not serious”", "According to X, “…”".
pub(crate) fn before_quote(doc: &mut Doc, paragraph: usize, open: usize) -> Option<Attribution> {
    let para = &doc.paras[paragraph];
    let hi = para.tok_at(open);
    if hi == 0 {
        return None;
    }
    let mut lo = para.sentence_start(hi.saturating_sub(1));
    // Not across an earlier quote.
    for tok_idx in (lo..hi).rev() {
        if para.is_quoted(para.toks[tok_idx].start) {
            lo = tok_idx + 1;
            break;
        }
    }
    // The cue nearest the quote.
    let mut found = None;
    let mut tok_idx = hi;
    while tok_idx > lo {
        tok_idx -= 1;
        if let Some((toks, info)) = cue_at(para, tok_idx) {
            found = Some((toks, info));
            break;
        }
    }
    let colon = para.punct(hi - 1) == Some(':');
    let Some((toks, info)) = found else {
        if colon {
            // "Trump on Twitter: “…”"; a common noun only when it opens the sentence
            // ("The statement: “…”", not "recalled the freeze: “…”").
            let candidate = subject_before(doc, paragraph, lo, hi - 1)?;
            if let Candidate::Phrase(first, _) = candidate
                && first != lo
            {
                return None;
            }
            let speaker = resolve(doc, paragraph, candidate)?;
            let colon_tok = hi - 1;
            return Some(Attribution {
                cue: Some(Cue {
                    paragraph,
                    toks: (colon_tok, colon_tok + 1),
                    info: CueInfo {
                        speech: true,
                        clause: false,
                        addressee: false,
                        gerund: false,
                    },
                }),
                speaker: Some(speaker),
                addressee: None,
                rule: "colon",
                confidence: 0.7,
            });
        }
        return sentence_subject(doc, paragraph, lo, hi);
    };
    let cue = Cue {
        paragraph,
        toks,
        info,
    };
    // "…, with Gorka noting “…”": the person named between "with" and the gerund is its
    // subject.
    let with_person = info
        .gerund
        .then(|| {
            (lo..toks.0)
                .rev()
                .take(5)
                .find(|&t| para.lower(t) == "with")
        })
        .flatten()
        .filter(|&with| {
            with + 1 < toks.0
                && (with + 1..toks.0).all(|t| {
                    para.toks
                        .get(t)
                        .is_some_and(|tok| tok.word && tok.capitalized)
                })
        })
        .and_then(|with| {
            let (first, last) = (para.toks.get(with + 1)?, para.toks.get(toks.0 - 1)?);
            doc.mentions_in(paragraph, first.start, last.end)
                .filter(|located| doc.kind(located.entity) == EntityKind::Person)
                .last()
                .map(|located| Candidate::Mention(located.entity, located.start, located.end))
        });
    let (candidate, inverted) = if let Some(person) = with_person {
        (Some(person), false)
    } else if info.gerund {
        // "…, saying “…”", "tried to laugh it off by interjecting “…”": the subject of the
        // main clause; but after "accused Biden of … by proclaiming “…”" the words are not
        // the subject's, and whose they are is not said.
        let main_verb = (lo..toks.0).rev().find(|&t| {
            cue_at(para, t).is_some_and(|(_, info)| !info.gerund)
                || para.toks[t].word && para.lower(t).ends_with("ed")
        });
        let accusation = main_verb.is_some_and(|t| OBJECT_VERBS.contains(&para.lower(t)));
        if accusation {
            return Some(Attribution {
                cue: Some(cue),
                speaker: None,
                addressee: None,
                rule: "cue-unresolved",
                confidence: 0.2,
            });
        }
        // Without a main verb the list knows ("Trump shot back in a statement, saying"), the
        // phrase opening the sentence.
        let subject = match main_verb {
            Some(main_verb) => subject_before(doc, paragraph, lo, main_verb),
            None => opening_subject(doc, paragraph, lo, toks.0).map(|(candidate, _)| candidate),
        };
        (subject, false)
    } else if toks.0 == lo || subject_before(doc, paragraph, lo, toks.0).is_none() {
        (subject_after(doc, paragraph, toks.1, hi), true)
    } else {
        (subject_before(doc, paragraph, lo, toks.0), false)
    };
    let speaker = candidate.and_then(|candidate| resolve(doc, paragraph, candidate));
    let addressee = addressee(doc, paragraph, &cue);
    let rule = match (speaker.map(|who| who.how), inverted, colon) {
        (Some("pronoun"), _, _) => "pronoun-cue-before",
        (Some("title"), _, _) => "title-cue-before",
        (Some("phrase"), _, _) => "phrase-cue-before",
        (Some(_), _, true) => "colon",
        (Some(_), true, _) => "cue-name-before",
        (Some(_), false, _) => "name-cue-before",
        (None, _, _) => "cue-unresolved",
    };
    let confidence = speaker.map_or(0.3, |who| confidence_of(who.how, inverted) - 0.05);
    Some(Attribution {
        cue: Some(cue),
        speaker,
        addressee,
        rule,
        confidence,
    })
}

/// A fragment quoted inside a sentence with no speech verb ("He called her handling
/// “extremely careless”"): the sentence's subject, when it opens the sentence and a verb
/// follows it. A weaker rule, and said so by its confidence.
fn sentence_subject(doc: &mut Doc, paragraph: usize, lo: usize, hi: usize) -> Option<Attribution> {
    let (candidate, after) = opening_subject(doc, paragraph, lo, hi)?;
    let para = &doc.paras[paragraph];
    let verb = para.toks.get(after)?;
    if !verb.word || verb.capitalized || after >= hi {
        return None;
    }
    let speaker = resolve(doc, paragraph, candidate)?;
    Some(Attribution {
        cue: None,
        speaker: Some(speaker),
        addressee: None,
        rule: "sentence-subject",
        confidence: 0.5,
    })
}

/// The name or pronoun opening a sentence, and the token after it: past an opening clause
/// ("As …, Kennedy called"), past common words and titles before a name ("Former Arkansas
/// governor Mike Huckabee called").
fn opening_subject(
    doc: &Doc,
    paragraph: usize,
    lo: usize,
    hi: usize,
) -> Option<(Candidate, usize)> {
    let para = &doc.paras[paragraph];
    let mut first = lo;
    let word = loop {
        while first < hi
            && (para.punct(first).is_some()
                || matches!(
                    para.lower(first),
                    "and" | "but" | "then" | "later" | "still" | "so"
                ))
        {
            first += 1;
        }
        if first + 1 >= hi {
            return None;
        }
        let word = para.lower(first);
        if !OPENS_A_CLAUSE.contains(&word) {
            break word;
        }
        // "As Tory leader Michael Howard began his campaign, Charles Kennedy called …": the
        // subject follows the opening clause.
        first = (first + 1..hi).find(|&idx| para.punct(idx) == Some(','))? + 1;
    };
    let (candidate, after) = if let Some((_, singular)) = cues::pronoun(word) {
        (Candidate::Pronoun(first, singular), first + 1)
    } else {
        // "Former Arkansas governor Mike Huckabee called …": common words or a title before
        // the name.
        let tok = &para.toks[first];
        let qualified = (tok.common || is_honorific(para, first))
            && !cues::is_group_noun(word)
            && doc
                .mentions_in(paragraph, tok.start, tok.end)
                .next()
                .is_none();
        match qualified
            .then(|| subject_head(doc, paragraph, first + 1, hi))
            .flatten()
        {
            Some(head) => head,
            None if tok.common => return None,
            None => mention_or_name(doc, paragraph, first, hi)?,
        }
    };
    Some((candidate, after))
}

/// Words that open a sentence with a clause or phrase of their own ("As Tory leader Michael
/// Howard kicked off his campaign, the Lib Dem leader …"): the name after them is not the
/// sentence's subject.
const OPENS_A_CLAUSE: &[&str] = &[
    "after",
    "although",
    "amid",
    "among",
    "as",
    "at",
    "because",
    "before",
    "by",
    "despite",
    "during",
    "following",
    "for",
    "from",
    "if",
    "in",
    "like",
    "on",
    "once",
    "since",
    "though",
    "under",
    "unlike",
    "until",
    "when",
    "whether",
    "while",
    "with",
    "without",
];

/// The person or organisation heading a subject that opens with common words, from token
/// `from`: "Former Arkansas governor Mike Huckabee called …", "Club chief executive Ken Bates
/// said …".
/// Only what may qualify a name is passed over on the way: mentions of places and of other
/// things ("Most European leaders"), names in the possessive, capitalised words, and the words
/// of titles ([`is_title_word`]); any other word ("This means that …"), punctuation, or more than six words, and
/// there is none.
fn subject_head(doc: &Doc, paragraph: usize, from: usize, hi: usize) -> Option<(Candidate, usize)> {
    let para = &doc.paras[paragraph];
    let mut tok_idx = from;
    while tok_idx < hi.min(from + 6) {
        let tok = para.toks.get(tok_idx)?;
        if !tok.word {
            return None;
        }
        if let Some(located) = doc
            .mentions_in(paragraph, tok.start, tok.end)
            .find(|located| located.start == tok.start)
        {
            let speaks = matches!(
                doc.kind(located.entity),
                EntityKind::Person | EntityKind::Organization
            );
            if speaks && !is_modifier(para, doc, located.start, located.end) {
                return Some((
                    Candidate::Mention(located.entity, located.start, located.end),
                    para.tok_at(located.end),
                ));
            }
            // A modifier: "The EU's move", "Arkansas governor", "the Joneses’ house".
            tok_idx = para.tok_at(located.end).max(tok_idx + 1);
            if matches!(para.punct(tok_idx), Some('’' | '\'')) {
                tok_idx += 1;
            }
            continue;
        }
        let qualifies =
            tok.capitalized || is_honorific(para, tok_idx) || is_title_word(para.lower(tok_idx));
        if !qualifies {
            return None;
        }
        tok_idx += 1;
    }
    None
}

/// The speaker announced at the end of the previous paragraph ("… he said:").
pub(crate) fn previous_colon(doc: &mut Doc, paragraph: usize) -> Option<Attribution> {
    let previous = paragraph.checked_sub(1)?;
    let para = &doc.paras[previous];
    let last = para.toks.len().checked_sub(1)?;
    if para.punct(last) != Some(':') {
        return None;
    }
    let mut attribution = before_quote(doc, previous, para.toks[last].end)?;
    attribution.rule = match attribution.speaker {
        Some(_) => "colon-previous-paragraph",
        None => "cue-unresolved",
    };
    attribution.confidence = (attribution.confidence - 0.05).max(0.0);
    Some(attribution)
}

/// Subject and content of reported speech around a cue: see `indirect`.
pub(crate) fn subject_of_cue(
    doc: &mut Doc,
    paragraph: usize,
    lo: usize,
    cue_tok: usize,
    cue_end: usize,
    hi: usize,
) -> Option<(Who, bool)> {
    if is_expletive_it(&doc.paras[paragraph], lo, cue_tok) {
        return None;
    }
    if let Some(candidate) = subject_before(doc, paragraph, lo, cue_tok) {
        return resolve(doc, paragraph, candidate).map(|who| (who, false));
    }
    let candidate = subject_after(doc, paragraph, cue_end, hi)?;
    resolve(doc, paragraph, candidate).map(|who| (who, true))
}

/// Adverbs that may stand between "it", its auxiliaries and the cue ("it is widely expected").
const EXPLETIVE_ADVERBS: &[&str] = &[
    "widely",
    "also",
    "now",
    "generally",
    "still",
    "increasingly",
    "commonly",
    "often",
    "already",
    "further",
    "not",
    "long",
];

/// True when the cue at `cue_tok` has an empty "it" for its subject, which names no one: a
/// passive ("it is thought that", "It was widely expected", "it has been reported") or
/// "it seems", "it appears". A passive's subject is never the speaker, and "it" there
/// stands for no entity.
fn is_expletive_it(para: &super::doc::Para, lo: usize, cue_tok: usize) -> bool {
    let mut idx = cue_tok;
    let step_back = |idx: &mut usize| -> Option<&str> {
        while *idx > lo && EXPLETIVE_ADVERBS.contains(&para.lower(*idx - 1)) {
            *idx -= 1;
        }
        (*idx > lo).then(|| {
            *idx -= 1;
            para.lower(*idx)
        })
    };
    let cue = para.lower(cue_tok);
    let subject = if matches!(cue, "seems" | "seemed" | "appears" | "appeared") {
        step_back(&mut idx)
    } else {
        match step_back(&mut idx) {
            // The quotes' tokens keep "it's" whole.
            Some("it's" | "it’s") => Some("it"),
            Some("is" | "was") => step_back(&mut idx),
            Some("been") => match step_back(&mut idx) {
                Some("has" | "had" | "have") => step_back(&mut idx),
                _ => None,
            },
            Some("be") => match step_back(&mut idx) {
                Some("will" | "would" | "could" | "may" | "might" | "should" | "must" | "can") => {
                    step_back(&mut idx)
                }
                _ => None,
            },
            _ => None,
        }
    };
    subject == Some("it")
}

/// True when a subject phrase stands right before the cue (the cue is a finite verb here,
/// not an infinitive or a noun).
pub(crate) fn has_subject(doc: &Doc, paragraph: usize, lo: usize, cue_tok: usize) -> bool {
    let para = &doc.paras[paragraph];
    if cue_tok == 0 || cue_tok <= lo {
        return false;
    }
    let before = para.lower(cue_tok - 1);
    !matches!(
        before,
        "to" | "the" | "a" | "an" | "of" | "and" | "or" | "for" | "be"
    ) && para.toks[cue_tok - 1].word
        || para.punct(cue_tok - 1) == Some(',')
}

/// The confidence of an attribution rule, exported for indirect speech.
pub(crate) fn confidence_for(who: &Who, inverted: bool) -> f64 {
    confidence_of(who.how, inverted)
}

/// The addressee of a cue, exported for indirect speech.
pub(crate) fn addressee_of(doc: &mut Doc, paragraph: usize, cue: &Cue) -> Option<Who> {
    addressee(doc, paragraph, cue)
}

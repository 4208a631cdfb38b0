//! Reported speech without quotation marks: "Lavrov said that Moscow supports peace
//! negotiations", "The talks had been derailed, Putin said", "According to X, …".

use article::EntityKind;

use super::attribute::{self, Attribution, Cue};
use super::doc::Doc;

/// Reported speech found in one paragraph: token range of the content and its attribution.
pub(crate) struct Reported {
    pub paragraph: usize,
    pub toks: (usize, usize),
    pub attribution: Attribution,
}

/// Words that start a reported clause when "that" is left out ("said the talks …").
const CLAUSE_STARTS: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "these",
    "those",
    "he",
    "she",
    "they",
    "we",
    "i",
    "it",
    "there",
    "his",
    "her",
    "their",
    "its",
    "our",
    "my",
    "your",
    "you",
    "some",
    "many",
    "most",
    "no",
    "all",
    "both",
    "nobody",
    "everyone",
    "anyone",
    "something",
    "nothing",
    "if",
    "whether",
    "such",
    "any",
    "every",
    "each",
    "one",
    "two",
    "much",
    "more",
    "mr",
    "mrs",
    "ms",
    "dr",
];

/// Words after "said" that start an adverbial or an object, not a reported clause.
const NOT_CLAUSE_STARTS: &[&str] = &[
    "on",
    "in",
    "at",
    "of",
    "to",
    "for",
    "with",
    "about",
    "during",
    "after",
    "before",
    "from",
    "by",
    "as",
    "through",
    "last",
    "this",
    "earlier",
    "later",
    "yesterday",
    "today",
    "tonight",
    "recently",
    "previously",
    "repeatedly",
    "publicly",
    "privately",
    "again",
    "also",
    "then",
    "so",
    "nothing",
    "something",
    "anything",
    "yes",
    "no",
    "little",
    "much",
    "otherwise",
    "over",
    "under",
    "when",
    "while",
    "until",
    "since",
    "afterward",
    "afterwards",
    "too",
    "thursday",
    "here",
    "there",
    "goodbye",
    "hello",
    "sorry",
    "thanks",
    "words",
    "things",
];

/// Cues that take a clause without "that" ("said the talks …"); the others need "that".
const THATLESS: &[&str] = &[
    "said",
    "says",
    "say",
    "added",
    "adds",
    "argued",
    "argues",
    "claimed",
    "claims",
    "insisted",
    "insists",
    "believes",
    "believe",
    "believed",
    "thinks",
    "think",
    "thought",
    "predicted",
    "wrote",
    "writes",
    "suggested",
    "suggests",
    "contended",
    "feared",
    "fears",
    "stressed",
    "warned",
    "noted",
    "notes",
    "acknowledged",
    "conceded",
    "hopes",
    "hoped",
    "knew",
    "knows",
];

/// Words that may stand between a cue and "that" ("said on Monday, April 25, that …").
const BEFORE_THAT: &[&str] = &[
    "on",
    "in",
    "at",
    "a",
    "an",
    "the",
    "statement",
    "interview",
    "last",
    "this",
    "week",
    "today",
    "yesterday",
    "earlier",
    "later",
    "also",
    "repeatedly",
    "publicly",
    "privately",
    "recently",
    "during",
    "speech",
    "press",
    "conference",
    "to",
    "reporters",
    "told",
    "with",
    "him",
    "her",
    "them",
    "us",
    "me",
    "year",
    "month",
    "night",
    "morning",
    "afternoon",
    "evening",
    "previously",
    "again",
    "told",
    "tweet",
    "twitter",
];

/// Where a reported clause stops: ", but …", "; …", ", according to …".
fn clause_end(doc: &Doc, paragraph: usize, from: usize, sentence_end: usize) -> usize {
    let para = &doc.paras[paragraph];
    let mut tok_idx = from;
    while tok_idx < sentence_end {
        if let Some(c) = para.punct(tok_idx) {
            if c == ';' {
                return tok_idx;
            }
            if c == ',' {
                let next = para.lower(tok_idx + 1);
                if matches!(
                    next,
                    "but"
                        | "while"
                        | "although"
                        | "though"
                        | "according"
                        | "adding"
                        | "saying"
                        | "noting"
                        | "arguing"
                        | "whereas"
                ) {
                    return tok_idx;
                }
            }
        }
        tok_idx += 1;
    }
    sentence_end
}

fn n_words(doc: &Doc, paragraph: usize, toks: (usize, usize)) -> usize {
    let para = &doc.paras[paragraph];
    (toks.0..toks.1)
        .filter(|&tok_idx| para.toks[tok_idx].word)
        .count()
}

/// True when half or more of the content is inside quotation marks: a direct quote covers it.
fn mostly_quoted(doc: &Doc, paragraph: usize, toks: (usize, usize)) -> bool {
    let para = &doc.paras[paragraph];
    let words: Vec<usize> = (toks.0..toks.1)
        .filter(|&tok_idx| para.toks[tok_idx].word)
        .collect();
    let quoted = words
        .iter()
        .filter(|&&tok_idx| para.is_quoted(para.toks[tok_idx].start))
        .count();
    quoted * 2 > words.len()
}

/// Trims punctuation from the ends of a token range.
fn trim(doc: &Doc, paragraph: usize, mut toks: (usize, usize)) -> (usize, usize) {
    let para = &doc.paras[paragraph];
    while toks.0 < toks.1
        && para
            .punct(toks.0)
            .is_some_and(|c| matches!(c, ',' | ':' | '—' | '–' | '-'))
    {
        toks.0 += 1;
    }
    while toks.1 > toks.0
        && para
            .punct(toks.1 - 1)
            .is_some_and(|c| matches!(c, '.' | ',' | ';' | ':' | '—' | '–' | '-'))
    {
        toks.1 -= 1;
    }
    toks
}

/// Every reported statement in a paragraph.
pub(crate) fn find(doc: &mut Doc, paragraph: usize, used_cues: &[(usize, usize)]) -> Vec<Reported> {
    let mut found = Vec::new();
    let n_sentences = doc.paras[paragraph].sentence_starts.len();
    for sentence_idx in 0..n_sentences {
        let para = &doc.paras[paragraph];
        let start = para.sentence_starts[sentence_idx];
        let end = para
            .sentence_starts
            .get(sentence_idx + 1)
            .copied()
            .unwrap_or(para.toks.len());
        let mut tok_idx = start;
        while tok_idx < end {
            let para = &doc.paras[paragraph];
            if para.is_quoted(para.toks[tok_idx].start) {
                tok_idx += 1;
                continue;
            }
            let Some((cue_toks, info)) = attribute::cue_at(para, tok_idx) else {
                if let Some(reported) = stance(doc, paragraph, start, end, tok_idx, &found) {
                    tok_idx = reported.toks.1;
                    found.push(reported);
                } else {
                    tok_idx += 1;
                }
                continue;
            };
            if used_cues.contains(&(paragraph, cue_toks.0)) {
                tok_idx = cue_toks.1;
                continue;
            }
            if !info.clause {
                // "asked the department to investigate …": a stance, if anything.
                if let Some(reported) = stance(doc, paragraph, start, end, tok_idx, &found) {
                    tok_idx = reported.toks.1;
                    found.push(reported);
                } else {
                    tok_idx = cue_toks.1;
                }
                continue;
            }
            let cue = Cue {
                paragraph,
                toks: cue_toks,
                info,
            };
            let reported = if para.lower(tok_idx) == "according" {
                according_to(doc, paragraph, start, end, cue)
            } else if info.gerund {
                // "…, saying the talks had failed": the main clause's subject said it.
                (tok_idx > start && para.punct(tok_idx - 1) == Some(','))
                    .then(|| clause_after(doc, paragraph, start, end, cue))
                    .flatten()
            } else if attribute::has_subject(doc, paragraph, start, tok_idx) {
                clause_after(doc, paragraph, start, end, cue)
                    .or_else(|| clause_before(doc, paragraph, start, end, cue))
            } else {
                clause_before(doc, paragraph, start, end, cue)
            };
            let reported = match reported {
                Some(reported) => Some(reported),
                None if !info.gerund => stance(doc, paragraph, start, end, tok_idx, &found),
                None => None,
            };
            tok_idx = cue_toks.1;
            if let Some(reported) = reported {
                found.push(reported);
            }
        }
    }
    found
}

fn attribution(doc: &mut Doc, cue: Cue, lo: usize, hi: usize, rule: &'static str) -> Attribution {
    let speaker = attribute::subject_of_cue(doc, cue.paragraph, lo, cue.toks.0, cue.toks.1, hi);
    let addressee = attribute::addressee_of(doc, cue.paragraph, &cue);
    Attribution {
        cue: Some(cue),
        speaker: speaker.map(|(who, _)| who),
        addressee,
        rule: if speaker.is_some() {
            rule
        } else {
            "cue-unresolved"
        },
        confidence: speaker.map_or(0.3, |(who, inverted)| {
            attribute::confidence_for(&who, inverted) - 0.1
        }),
    }
}

/// "X said (that) CLAUSE."
fn clause_after(
    doc: &mut Doc,
    paragraph: usize,
    start: usize,
    end: usize,
    cue: Cue,
) -> Option<Reported> {
    let para = &doc.paras[paragraph];
    let mut content_start = cue.toks.1;
    // Look for "that" past adverbials and an addressee.
    let mut that = None;
    for tok_idx in cue.toks.1..(cue.toks.1 + 10).min(end) {
        let word = para.lower(tok_idx);
        if word == "that" {
            that = Some(tok_idx);
            break;
        }
        let tok = &para.toks[tok_idx];
        let skippable = !tok.word && para.chars[tok.start] == ','
            || tok.word
                && (before_that(word)
                    || tok.capitalized && cue.info.addressee
                    || word.chars().all(|c| c.is_ascii_digit())
                    || doc
                        .mentions_in(paragraph, tok.start, tok.end)
                        .next()
                        .is_some());
        if !skippable {
            break;
        }
    }
    match that {
        // PolNeAR's content, and the reader's, includes the complementiser: "that Moscow …".
        Some(that_idx) => content_start = that_idx,
        None => {
            let word = para.lower(content_start);
            // "he’s", "they’d": the pronoun opens the clause.
            let word = word.split_once(['’', '\'']).map_or(word, |(stem, _)| stem);
            let tok = para.toks.get(content_start)?;
            let plain_say = matches!(
                para.lower(cue.toks.0),
                "said" | "says" | "say" | "added" | "adds" | "argued" | "argues" | "insisted"
            );
            let starts_clause = tok.word
                && (CLAUSE_STARTS.contains(&word)
                    || tok.capitalized && !cue.info.addressee
                    || plain_say && !NOT_CLAUSE_STARTS.contains(&word));
            let thatless = THATLESS.contains(&para.lower(cue.toks.0))
                || cue.info.speech && !cue.info.addressee
                || matches!(word, "he" | "she" | "they" | "it" | "there" | "we" | "i");
            if !starts_clause || !thatless {
                return None;
            }
        }
    }
    let content_end = clause_end(doc, paragraph, content_start, end);
    let toks = trim(doc, paragraph, (content_start, content_end));
    // Content that opens with words of the writer's own and goes on in quoted fragments
    // ("Bush says the billionaire “can’t win”") is reported speech as a whole.
    let opens_unquoted = doc.paras[paragraph]
        .toks
        .get(toks.0)
        .is_some_and(|tok| tok.word && !doc.paras[paragraph].is_quoted(tok.start));
    if n_words(doc, paragraph, toks) < 3 || !opens_unquoted && mostly_quoted(doc, paragraph, toks) {
        return None;
    }
    let para = &doc.paras[paragraph];
    if para.punct(toks.0).is_some_and(super::marks::is_mark) {
        return None;
    }
    let attribution = attribution(doc, cue, start, cue.toks.0, "reported-clause");
    Some(Reported {
        paragraph,
        toks,
        attribution,
    })
}

/// "CLAUSE, X said." and "CLAUSE, said X."
fn clause_before(
    doc: &mut Doc,
    paragraph: usize,
    start: usize,
    end: usize,
    cue: Cue,
) -> Option<Reported> {
    let para = &doc.paras[paragraph];
    let after = (cue.toks.1..end).filter(|&t| para.toks[t].word).count();
    if after > 6 {
        return None;
    }
    // Only adverbials or the inverted speaker follow: "…, Lavrov said on Monday.",
    // "…, said Lavrov." — not an object ("does not believe Putin’s words").
    let next_ok = match para.toks.get(cue.toks.1) {
        None => true,
        Some(tok) if !tok.word => true,
        Some(_) => {
            let next = para.lower(cue.toks.1);
            before_that(next) && !matches!(next, "a" | "an" | "the" | "that")
                || cue.toks.0 > 0 && para.punct(cue.toks.0 - 1) == Some(',')
        }
    };
    if !next_ok {
        return None;
    }
    // The comma that ends the clause.
    let comma = (start..cue.toks.0)
        .rev()
        .take(8)
        .find(|&tok_idx| para.punct(tok_idx) == Some(','))?;
    let toks = trim(doc, paragraph, (start, comma));
    if n_words(doc, paragraph, toks) < 4 || mostly_quoted(doc, paragraph, toks) {
        return None;
    }
    let attribution = attribution(doc, cue, comma + 1, end, "reported-clause-before");
    attribution.speaker?;
    Some(Reported {
        paragraph,
        toks,
        attribution,
    })
}

/// "According to X, CLAUSE." and "CLAUSE, according to X."
fn according_to(
    doc: &mut Doc,
    paragraph: usize,
    start: usize,
    end: usize,
    cue: Cue,
) -> Option<Reported> {
    let para = &doc.paras[paragraph];
    let toks = if cue.toks.0 <= start + 1 {
        let comma = (cue.toks.1..end).find(|&tok_idx| para.punct(tok_idx) == Some(','))?;
        (comma + 1, clause_end(doc, paragraph, comma + 1, end))
    } else if para.punct(cue.toks.0 - 1) == Some(',') {
        let clause_start = (start..cue.toks.0 - 1)
            .rev()
            .find(|&tok_idx| para.punct(tok_idx) == Some(';'))
            .map_or(start, |semicolon| semicolon + 1);
        (clause_start, cue.toks.0 - 1)
    } else {
        return None;
    };
    let toks = trim(doc, paragraph, toks);
    if n_words(doc, paragraph, toks) < 3 || mostly_quoted(doc, paragraph, toks) {
        return None;
    }
    let attribution = attribution(doc, cue, cue.toks.1, end, "according-to");
    Some(Reported {
        paragraph,
        toks,
        attribution,
    })
}

/// A lowercase word of [`BEFORE_THAT`], or a weekday or month name.
fn before_that(word: &str) -> bool {
    BEFORE_THAT.contains(&word) || crate::dates::is_calendar_name_any_case(word)
}

/// Words between a subject and a stance verb ("has long supported", "would not want").
const BEFORE_STANCE: &[&str] = &[
    "has",
    "have",
    "had",
    "will",
    "would",
    "also",
    "not",
    "never",
    "long",
    "strongly",
    "all",
    "publicly",
    "openly",
    "quickly",
    "already",
    "still",
    "did",
    "does",
    "do",
    "don’t",
    "doesn’t",
    "didn’t",
    "won’t",
    "don't",
    "doesn't",
    "didn't",
    "won't",
    "both",
    "always",
    "repeatedly",
    "previously",
    "once",
    "now",
    "then",
    "later",
    "reportedly",
    "even",
    "nevertheless",
];

/// Verbs that "back" follows as their particle ("bounced back", "flew back", "buy back"),
/// not as a verb of its own: of motion, of money and of time.
const PARTICLE_VERBS: &[&str] = &[
    "bounce", "bounced", "bounces", "bouncing", "fly", "flew", "flies", "flying", "flown", "go",
    "goes", "going", "gone", "went", "come", "comes", "coming", "came", "bring", "brings",
    "bringing", "brought", "put", "puts", "putting", "buy", "buys", "buying", "bought", "pay",
    "pays", "paying", "paid", "cut", "cuts", "cutting", "scale", "scaled", "scaling", "roll",
    "rolled", "rolling", "trace", "traced", "hold", "holding", "held", "get", "gets", "got",
    "getting", "look", "looked", "looking", "step", "stepped", "head", "headed", "heading", "jump",
    "jumped", "jumps", "win", "won", "winning", "wrest", "wrested", "dial", "pare", "send", "sent",
    "give", "gave", "given", "turn", "turned", "move", "moved", "sit", "sat", "stand", "stood",
    "set", "keep", "kept", "run", "ran", "hurried", "fall", "fell", "land", "landed", "lands",
    "pull", "pulled", "think", "harkened", "harkens", "take", "took", "taking", "clawed", "live",
    "lived", "living", "popped", "sprang", "date", "dates", "dated",
];

/// "Christie endorsed Trump", "Rubio wants to emerge as …": a stance verb with a subject
/// before it; the content runs from the verb to the end of its clause.
fn stance(
    doc: &mut Doc,
    paragraph: usize,
    start: usize,
    end: usize,
    verb: usize,
    inside: &[Reported],
) -> Option<Reported> {
    let para = &doc.paras[paragraph];
    if !para.is_stance(verb) {
        return None;
    }
    // Inside reported speech ("Lavrov said that Moscow supports …") the stance is the
    // speaker's report, already found as such.
    if inside
        .iter()
        .any(|reported| reported.toks.0 <= verb && verb < reported.toks.1)
    {
        return None;
    }
    let mut subject_end = verb;
    while subject_end > start && BEFORE_STANCE.contains(&para.lower(subject_end - 1)) {
        subject_end -= 1;
    }
    if subject_end == start || !para.toks[subject_end - 1].word {
        return None;
    }
    // "like" holds a view only as a wish ("would like to see"); otherwise it is mostly a
    // preposition ("artists like Joss Stone") or a taste ("people who like Robbie").
    if matches!(para.lower(verb), "like" | "likes" | "liked") {
        let wish = para.lower(verb - 1);
        if !(wish == "would" || wish.ends_with("'d") || wish.ends_with("’d")) {
            return None;
        }
    }
    let before = para.lower(subject_end - 1);
    // "back" as the particle of a verb of motion or money ("has bounced back", "flew back",
    // "to buy back shares") is no stance; after a retort ("shot back", "fired back") or
    // its subject ("Unions back the plan") it may be one.
    if para.lower(verb) == "back" && PARTICLE_VERBS.contains(&before) {
        return None;
    }
    if matches!(
        before,
        "to" | "the"
            | "a"
            | "an"
            | "of"
            | "and"
            | "or"
            | "for"
            | "be"
            | "his"
            | "her"
            | "their"
            | "its"
            | "our"
            | "my"
            | "your"
            | "this"
            | "that"
            | "in"
            | "on"
            | "with"
            | "is"
            | "was"
            | "are"
            | "were"
            | "been"
            | "being"
            | "by"
            | "as"
    ) {
        return None;
    }
    let content_end = clause_end(doc, paragraph, verb + 1, end);
    let toks = trim(doc, paragraph, (verb + 1, content_end));
    if toks.0 >= toks.1 || n_words(doc, paragraph, toks) > 40 {
        return None;
    }
    let para = &doc.paras[paragraph];
    if para.punct(toks.0).is_some_and(super::marks::is_mark) || !para.toks[toks.0].word {
        return None;
    }
    let cue = Cue {
        paragraph,
        toks: (verb, verb + 1),
        info: super::cues::CueInfo {
            speech: false,
            clause: false,
            addressee: false,
            gerund: false,
        },
    };
    let speaker = attribute::subject_of_cue(doc, paragraph, start, subject_end, verb + 1, start)?;
    // A stance verb has no speech in it, so its subject must be someone who can hold a view:
    // "a Republican critic … who accused" is not spoken by "Republican".
    // So can a group ("Critics accuse …", "Voters want …").
    let holds_views = match speaker.0.entity {
        Some(entity) => matches!(
            doc.kind(entity),
            EntityKind::Person | EntityKind::Organization
        ),
        None => {
            // A short phrase headed by a group noun: "Voters", "her aides", "both unions";
            // not "including lawmakers" or a longer run that only ends in one.
            let span = speaker.0.span;
            let para = &doc.paras[span.paragraph];
            let (first, end) = (para.tok_at(span.start), para.tok_at(span.end));
            let words = (first..end).filter(|&idx| para.toks[idx].word);
            end > first
                && words.clone().count() <= 3
                && words.clone().all(|idx| {
                    !matches!(
                        para.lower(idx),
                        "including" | "whom" | "who" | "when" | "and" | "or" | "of" | "as"
                    )
                })
                && super::cues::is_group_noun(para.lower(end - 1))
        }
    };
    if !holds_views {
        return None;
    }
    Some(Reported {
        paragraph,
        toks,
        attribution: Attribution {
            cue: Some(cue),
            speaker: Some(speaker.0),
            addressee: None,
            rule: "stance",
            confidence: (attribute::confidence_for(&speaker.0, false) - 0.3).max(0.1),
        },
    })
}

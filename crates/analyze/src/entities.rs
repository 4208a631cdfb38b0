//! People, organisations, places and other names: the NER tagger over the whole article, the
//! gazetteer for known places in any case ("kyiv"), then one [`Entity`] per real-world thing
//! with its canonical name, aliases, titles and every mention.
//!
//! Clustering is within one article: a surname joins the full name it abbreviates ("Putin" →
//! "Vladimir Putin"), honorifics are stripped ("Ms Hewitt" → "Patricia Hewitt"), gazetteer
//! aliases share their entry ("US" = "United States"), and an acronym joins the name whose
//! initials it spells ("FSB" = "Federal Security Service").

use std::cell::{Cell, OnceCell};
use std::ops::Range;

use article::{Article, CharIndex, Entity, EntityKind, Mention, Span};
// Per-article tables that input text goes into: foldhash seeded per process (see `crate::hash`).
use foldhash::{HashMap, HashMapExt, HashSet};
use ner::{EntityType, Tagger};

use crate::gazetteer::{self, Entry};
use crate::text::{self, Text};
use crate::titles;

/// Capitalised words that are never a name on their own (function words, sentence starters,
/// days, months, and stock web words such as "Replay").
const NOT_A_NAME: &[&str] = &[
    "The",
    "A",
    "An",
    "And",
    "But",
    "Or",
    "If",
    "In",
    "On",
    "At",
    "As",
    "By",
    "For",
    "From",
    "To",
    "With",
    "Of",
    "Despite",
    "Sitting",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "This",
    "That",
    "These",
    "Those",
    "There",
    "Here",
    "What",
    "Who",
    "Why",
    "How",
    "Yes",
    "No",
    "Not",
    "So",
    "Yet",
    "Also",
    "However",
    "Meanwhile",
    "Mr",
    "Mrs",
    "Ms",
    "Dr",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Replay",
    "Reply",
    "Share",
    "Advertisement",
    "Comments",
    "Comment",
    "Read",
    "More",
    "Click",
    "Subscribe",
    "Follow",
    "Watch",
    "Video",
    "Photo",
    "Image",
    "Copyright",
    "Getty",
    "Images",
    "Related",
    "Update",
    "Updated",
    "Breaking",
    "President",
    "Minister",
    "Senator",
    "Secretary",
    "General",
    "Government",
    "Parliament",
    "Ministry",
    "Court",
    "Police",
    "Army",
    "Council",
    "Committee",
    "Party",
    "State",
    "City",
    "Republic",
    "Internet",
    "Web",
    "Online",
    "Mother",
    "Father",
    "God",
    "Unlike",
    "Like",
    "Only",
    "Even",
    "Just",
    "Every",
    "Each",
    "Other",
    "Another",
    "Such",
    "Several",
    "Both",
    "All",
    "Any",
    "Some",
    "Many",
    "Most",
    "Officials",
    "Search",
    "Rescue",
    "Residents",
];

/// Words the tagger takes for names that are none when they stand alone: "I" with a
/// contraction, holidays ("for Christmas"), the acronyms of things ("the PC division", "a
/// DVD") and words that open sentences ("Well, …", "Thank you"). In a longer name they stay
/// ("I'm a Celebrity", "Christmas Island"). Time zones stay names of the kind other ("1830
/// GMT"), as CoNLL-2003 has them.
const NOT_A_NAME_ALONE: &[&str] = &[
    "I'm",
    "I’m",
    "I've",
    "I’ve",
    "I'll",
    "I’ll",
    "I'd",
    "I’d",
    "Christmas",
    "Easter",
    "Ramadan",
    "Diwali",
    "Hanukkah",
    "Thanksgiving",
    "Halloween",
    "Passover",
    "PC",
    "PCs",
    "DVD",
    "DVDs",
    "CD",
    "CDs",
    "ID",
    "IDs",
    "TV",
    "TVs",
    "GDP",
    "CEO",
    "CEOs",
    "VAT",
    "SMS",
    "ATM",
    "ATMs",
    "DNA",
    "LCD",
    "GPS",
    "MP3",
    "SUV",
    "SUVs",
    "PDA",
    "PDAs",
    "CPU",
    "PIN",
    "HDTV",
    "PAC",
    "PACs",
    "R&B",
    "My",
    "Your",
    "Myself",
    "Well",
    "Thank",
    "Thanks",
    "Please",
    "Okay",
    "Part",
    "Are",
    "Is",
    "Do",
    "Does",
    "Did",
    "Oh",
    "Ah",
    "Um",
    "Uh",
    "Hmm",
    "Which",
    "Initial",
    "Federal",
    // "Sens. Ted Cruz and Marco Rubio", "ABC's \"This Week\"".
    "Sens",
    "Reps",
    "Week",
    // Pronouns, conjunctions and adverbs that open sentences ("Neither will appear",
    // "Anybody who says", "Unless further rivals quit"): no given name or surname among them.
    "Anybody",
    "Anyone",
    "Anything",
    "Everybody",
    "Everyone",
    "Everything",
    "Nobody",
    "Somebody",
    "Someone",
    "Something",
    "Somewhere",
    "Whatever",
    "Whenever",
    "Wherever",
    "Whoever",
    "Neither",
    "Either",
    "Nor",
    "Unless",
    "Until",
    "Among",
    "Between",
    "Than",
    "Ever",
    "Never",
    "Less",
    "Few",
    "Others",
    "Should",
    "Doing",
    "Being",
];

/// Religious and ethnic groups, which the tagger takes for people or organisations ("bar
/// Muslims from entering"): alone, they are names of the kind other, as CoNLL-2003 has them.
const GROUP_NAMES: &[&str] = &[
    "Muslim",
    "Muslims",
    "Christian",
    "Christians",
    "Jew",
    "Jews",
    "Hindu",
    "Hindus",
    "Sikh",
    "Sikhs",
    "Buddhist",
    "Buddhists",
    "Catholic",
    "Catholics",
    "Protestant",
    "Protestants",
    "Latino",
    "Latinos",
    "Latina",
    "Latinas",
    "Hispanic",
    "Hispanics",
    "Arab",
    "Arabs",
    "Kurd",
    "Kurds",
    "Sunni",
    "Sunnis",
    "Shia",
    "Shiite",
    "Shiites",
    "Mormon",
    "Mormons",
    "Evangelicals",
];

/// A party and state after a US legislator's name, "(I-Vt.)", "R-Fla": no name.
fn is_party_state(word: &str) -> bool {
    let word = word.trim_end_matches('.');
    word.len() >= 4
        && matches!(&word.as_bytes()[..2], b"R-" | b"D-" | b"I-")
        && word[2..].starts_with(|c: char| c.is_ascii_uppercase())
        && word[2..]
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '.')
}

/// A word of [`NOT_A_NAME_ALONE`]: no name by itself.
pub(crate) fn is_not_a_name_alone(word: &str) -> bool {
    NOT_A_NAME_ALONE.contains(&word)
}

/// A word of [`NOT_A_NAME`], or a weekday or month name.
fn is_not_a_name(word: &str) -> bool {
    NOT_A_NAME.contains(&word) || crate::dates::is_calendar_name(word)
}

/// Last words that make a tagged name a place ("Karl Marx Avenue").
const PLACE_SUFFIXES: &[&str] = &[
    "Avenue",
    "Street",
    "Road",
    "Square",
    "Boulevard",
    "Lane",
    "Bridge",
    "Airport",
    "Station",
    "Park",
    "Highway",
    "Prospekt",
];

/// Time zones, which the tagger finds as organisations or places ("1800 UTC"): of the kind
/// other where it finds them, as CoNLL-2003 has them; never looked for where it does not.
const TIME_ZONES: &[&str] = &[
    "UTC", "GMT", "BST", "CET", "CEST", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT",
];

/// Last words that make a name the tagger calls a person an organisation ("Johns Hopkins
/// Center", "Paul Getty Trust").
const ORGANIZATION_SUFFIXES: &[&str] = &[
    "Center",
    "Centre",
    "University",
    "Institute",
    "Foundation",
    "Trust",
    "Hospital",
    "College",
    "School",
    "Academy",
    "Museum",
    "Company",
    "Corporation",
    "Group",
    "Association",
    "Society",
    "Council",
    "Committee",
    "Commission",
    "Agency",
    "Department",
    "Ministry",
    "Party",
    "Fund",
    "Bank",
    "Airlines",
    "Airways",
];

/// One mention before clustering: tokens `tokens` (global token indices) of one paragraph.
#[derive(Debug, Clone)]
struct Candidate {
    tokens: Range<usize>,
    kind: EntityKind,
    /// The gazetteer entry it names, if any.
    known: Option<&'static Entry>,
}

/// Everything the analysers need about the article's tokens.
/// How many times an article's tokens are scanned for a lowercase word before they are put
/// in a set (see [`Tokens::written_in_lowercase`]).
const LOWERCASE_SCANS: usize = 8;

struct Tokens<'a> {
    text: &'a Text,
    surfaces: Vec<&'a str>,
    /// Index of the sentence of each token.
    sentence_of: Vec<usize>,
    /// Words written in lowercase somewhere in the article, built once
    /// [`Tokens::written_in_lowercase`] has been asked [`LOWERCASE_SCANS`] times.
    lowercase_words: OnceCell<HashSet<&'a str>>,
    lowercase_asked: Cell<usize>,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a Text, paragraphs: &'a [String]) -> Tokens<'a> {
        let surfaces = (0..text.tokens.len())
            .map(|idx| text.token_str(paragraphs, idx))
            .collect();
        let mut sentence_of = vec![0; text.tokens.len()];
        for (sentence_idx, sentence) in text.sentences.iter().enumerate() {
            for slot in sentence_of
                .get_mut(sentence.tokens.clone())
                .unwrap_or(&mut [])
            {
                *slot = sentence_idx;
            }
        }
        Tokens {
            text,
            surfaces,
            sentence_of,
            lowercase_words: OnceCell::new(),
            lowercase_asked: Cell::new(0),
        }
    }

    /// True if `word` is written, as it is, somewhere in the article and starts with a
    /// lowercase letter. Most articles ask this of a word or two (the candidates that open a
    /// sentence), so the first questions scan the tokens, which costs less than hashing them
    /// all; an article that keeps asking gets a set.
    fn written_in_lowercase(&self, word: &str) -> bool {
        let starts_lowercase =
            |surface: &str| surface.chars().next().is_some_and(char::is_lowercase);
        if !starts_lowercase(word) {
            return false;
        }
        let asked = self.lowercase_asked.get() + 1;
        self.lowercase_asked.set(asked);
        if asked <= LOWERCASE_SCANS {
            return self.surfaces.contains(&word);
        }
        self.lowercase_words
            .get_or_init(|| {
                self.surfaces
                    .iter()
                    .copied()
                    .filter(|surface| starts_lowercase(surface))
                    .collect()
            })
            .contains(word)
    }

    fn sentence_bounds(&self, token_idx: usize) -> Range<usize> {
        self.sentence_of
            .get(token_idx)
            .and_then(|&sentence_idx| self.text.sentences.get(sentence_idx))
            .map(|sentence| sentence.tokens.clone())
            .unwrap_or(token_idx..token_idx + 1)
    }

    fn surface(&self, idx: usize) -> &'a str {
        self.surfaces.get(idx).copied().unwrap_or("")
    }

    /// The paragraph text a token range covers.
    fn slice(&self, paragraphs: &'a [String], range: &Range<usize>) -> Option<&'a str> {
        let first = self.text.tokens.get(range.start)?;
        let last = self.text.tokens.get(range.end.checked_sub(1)?)?;
        if first.paragraph != last.paragraph {
            return None;
        }
        paragraphs.get(first.paragraph)?.get(first.start..last.end)
    }
}

/// Finds the article's entities and stores them in [`Article::entities`].
pub fn find_entities(article: &mut Article, text: &Text) {
    let entities = {
        let paragraphs = &article.paragraphs;
        let tokens = Tokens::new(text, paragraphs);
        let mut candidates = tag(&tokens);
        add_gazetteer_places(&tokens, &mut candidates);
        candidates.sort_by_key(|candidate| (candidate.tokens.start, candidate.tokens.end));
        build_entities(&tokens, paragraphs, &candidates)
    };
    article.entities = entities;
}

fn kind_of(entity_type: EntityType) -> EntityKind {
    match entity_type {
        EntityType::Per => EntityKind::Person,
        EntityType::Org => EntityKind::Organization,
        EntityType::Loc => EntityKind::Place,
        EntityType::Misc => EntityKind::Other,
    }
}

/// Runs the tagger over the whole article and cleans up what it returns.
fn tag(tokens: &Tokens<'_>) -> Vec<Candidate> {
    let forms: Vec<&str> = tokens
        .surfaces
        .iter()
        .map(|s| text::conll_form(s))
        .collect();
    let mut global_of = Vec::with_capacity(forms.len());
    let mut sentences: Vec<&[&str]> = Vec::with_capacity(tokens.text.sentences.len());
    for sentence in &tokens.text.sentences {
        if let Some(slice) = forms.get(sentence.tokens.clone()) {
            sentences.push(slice);
            global_of.extend(sentence.tokens.clone());
        }
    }
    let spans = Tagger::default_model().tag_sentences(&sentences);
    let gazetteer = gazetteer::gazetteer();
    let mut buf = String::new();
    let mut candidates = Vec::with_capacity(spans.len());
    // The tagger's people who are one word of a known place, and the place.
    let mut places_as_people = Vec::new();
    // The candidates the gazetteer does not know.
    let mut unknown = Vec::new();
    for span in spans {
        let (Some(&start), Some(&last)) = (
            global_of.get(span.start),
            global_of.get(span.end.saturating_sub(1)),
        ) else {
            continue;
        };
        let kind = kind_of(span.kind);
        let Some(range) = trim(tokens, start..last + 1, kind) else {
            continue;
        };
        let mut known = |range: &Range<usize>| {
            let surfaces = tokens.surfaces.get(range.clone()).unwrap_or(&[]);
            gazetteer
                .longest_match(surfaces, &mut buf)
                .filter(|hit| hit.n_tokens == surfaces.len() && !hit.demonym)
        };
        // A sovereign or pope is a person with the numeral of the reign ("Pope Benedict XVI",
        // "Queen Elizabeth II"), which the tagger leaves out or takes for an organisation.
        let (mut kind, range) = with_regnal_number(tokens, range, kind);
        let mut hit = known(&range);
        // A known name keeps its words ("Republicans have 24 seats, Democrats 10"); another
        // may take the number after it.
        let mut range = match hit {
            Some(_) => range,
            None => {
                let with_number = with_number(tokens, range.clone(), kind);
                if with_number != range {
                    hit = known(&with_number);
                }
                with_number
            }
        };
        if let Some(hit) = hit {
            // The tagger's person is trusted ("Paris Hilton", "Jordan"); a known place or
            // organisation otherwise gets its gazetteer kind. But one word that is a known
            // organisation's or award's name ("Tory", "NATO", "Sony", "Oscar") is no person.
            let single_organization =
                matches!(hit.entry.kind, EntityKind::Organization | EntityKind::Other)
                    && range.len() == 1;
            // Nor is a known name of several words that is no given name ("North Carolina",
            // "Agence France-Presse", "Golden Globe"), nor, below, one word of a known place
            // that no person of the article bears ("Delaware").
            let several_words = range.len() > 1
                && (!hit.entry.case_sensitive || hit.entry.kind != EntityKind::Place);
            // A club named after its city is the tagger's to see ("Liverpool won", "CHICAGO
            // 71 54"): a known city does not override an organisation. A country or a state
            // does: the tagger's "Fiji" or "South Carolina" as an organisation is more often
            // its mistake, except before a score ("Florida 10 ST LOUIS 9", "MINNESOTA 67
            // 67 .500"), where the tagger's organisation is the state's team.
            let team = kind == EntityKind::Organization
                && (hit.entry.names_clubs || before_a_score(tokens, &range));
            if !team && (kind != EntityKind::Person || single_organization || several_words) {
                kind = hit.entry.kind;
            } else if kind == EntityKind::Person
                && range.len() == 1
                && hit.entry.kind == EntityKind::Place
            {
                places_as_people.push((candidates.len(), hit.entry));
            }
        }
        if hit.is_none() && is_junk(tokens, &range) {
            continue;
        }
        // A number written out is nobody ("Nine men from West Yorkshire", "Fifty percent of
        // Europeans"); a network or a team of that name ("Nine") is left to the tagger.
        if kind == EntityKind::Person
            && range.len() == 1
            && is_number_word(tokens.surface(range.start))
        {
            continue;
        }
        if range.len() == 1
            && (GROUP_NAMES.contains(&tokens.surface(range.start))
                || TIME_ZONES.contains(&tokens.surface(range.start)))
        {
            kind = EntityKind::Other;
        }
        // A people's name alone is no person ("Britons spent", "the Danes"). A surname that
        // is one ("Bill English") joins its person when the entities are clustered.
        if range.len() == 1
            && kind == EntityKind::Person
            && gazetteer.demonym(tokens.surface(range.start)).is_some()
        {
            kind = EntityKind::Other;
        }
        if range.len() > 1 && PLACE_SUFFIXES.contains(&tokens.surface(range.end - 1)) {
            kind = EntityKind::Place;
        }
        if range.len() > 1
            && kind == EntityKind::Person
            && ORGANIZATION_SUFFIXES.contains(&tokens.surface(range.end - 1))
        {
            kind = EntityKind::Organization;
        }
        // A storm is named like a person ("Hurricane Maria", "Typhoon Haiyan"); see below for
        // its name alone.
        if range.len() > 1 && is_storm_word(tokens.surface(range.start)) {
            kind = EntityKind::Other;
        }
        // A name after an honorific, or opening with one, is a person's ("Mr Cable", "Lord
        // Goldsmith"), whatever kind the tagger gave it.
        if kind != EntityKind::Person && hit.is_none() {
            let after_one = range.start.checked_sub(1).is_some_and(|before| {
                is_personal_honorific(tokens.surface(before))
                    && followed_closely(tokens, &(before..range.start))
            });
            // Not a title ("Lord Chancellor", "Lord Mayor of Melbourne") nor a pageant ("Miss
            // Universe").
            let names_a_person = |name: &Range<usize>| {
                tokens.surfaces.get(name.clone()).is_some_and(|words| {
                    words.iter().all(|word| {
                        word.starts_with(char::is_uppercase) && !titles::is_title_word(word)
                    })
                })
            };
            let opens_with_one = range.len() > 1
                && tokens.surface(range.start) != "Miss"
                && is_personal_honorific(tokens.surface(range.start));
            if after_one {
                kind = EntityKind::Person;
            } else if opens_with_one
                && let Some(name) = trim(tokens, range.clone(), EntityKind::Person)
                && names_a_person(&name)
                // Only honorifics and titles trimmed: not "Lord Of the Rings".
                && (range.start..name.start).all(|idx| {
                    let word = tokens.surface(idx);
                    is_personal_honorific(word) || titles::is_title_word(word)
                })
            {
                kind = EntityKind::Person;
                range = name;
            }
        }
        // "the Obama administration", "the Trump presidency": a president's name.
        if hit.is_none()
            && range.len() == 1
            && matches!(kind, EntityKind::Organization | EntityKind::Place)
            && followed_closely(tokens, &range)
            && matches!(tokens.surface(range.end), "administration" | "presidency")
        {
            kind = EntityKind::Person;
        }
        if hit.is_none() {
            unknown.push(candidates.len());
        }
        candidates.push(Candidate {
            tokens: range,
            kind,
            known: hit.map(|hit| hit.entry).filter(|entry| entry.kind == kind),
        });
    }
    take_in_given_names(tokens, &mut candidates);
    people_named_otherwise(tokens, &mut candidates, &unknown);
    organisations_named_as_people(tokens, &mut candidates);
    works_named_as_people(tokens, &mut candidates);
    // A storm's name alone ("Maria" after "Hurricane Maria") is the storm.
    let storms: Vec<&str> = candidates
        .iter()
        .filter(|candidate| {
            candidate.tokens.len() == 2 && is_storm_word(tokens.surface(candidate.tokens.start))
        })
        .map(|candidate| tokens.surface(candidate.tokens.start + 1))
        .collect();
    for candidate in &mut candidates {
        if candidate.tokens.len() == 1 && storms.contains(&tokens.surface(candidate.tokens.start)) {
            candidate.kind = EntityKind::Other;
            candidate.known = None;
        }
    }
    // A known place the tagger calls a person ("in Connecticut, Delaware, Maryland", "Boise,
    // Idaho") is the place, unless the article names a person with that word ("Paris Hilton
    // ... Paris", "Michael Jordan ... Jordan"). Organisations are not held back so: the
    // tagger's people "Sony Ericsson" and "Tory MP Michael Mates" do not make "Sony" or "Tory"
    // people.
    let people = people_of_several_words(tokens, &candidates);
    for (idx, entry) in places_as_people {
        let Some(word) = candidates.get(idx).map(|c| tokens.surface(c.tokens.start)) else {
            continue;
        };
        let bears_it = people.iter().any(|person| person.contains(&word));
        if !bears_it && let Some(candidate) = candidates.get_mut(idx) {
            candidate.kind = entry.kind;
            candidate.known = Some(entry);
        }
    }
    candidates
}

/// Gives a person of one word the given name the tagger left out before it: in "the singer
/// Ray Charles" the tagger finds "Charles" alone, and "Ray" became part of his title.
///
/// The word before must look like a given name and nothing else: capitalised, in the same
/// sentence, no title (nor a title's abbreviation: "Prof"), honorific, month, gerund or known
/// place, and neither it nor the surname ever written in lowercase in the article ("Will",
/// "Rose" in an article with "will" or "rose" are left alone); the two words must not be a
/// known name ("Capitol Hill"). Nor may they be part of a longer name or phrase: after another
/// capitalised word ("Blackpool Pleasure Beach", "Radio Five Live"; a title, an honorific or a
/// people's name may stand there: "Sen. Ted Cruz", "Republican Ted Cruz"), an article ("the
/// Situation Room"), a possessive ("Bill and Ted's Excellent Adventure") or a number ("the 1965
/// Fender Stratocaster"). Where any word is capitalised, at the start of a sentence or after a
/// quotation mark ("Playing Trump", a title; "Crooked Hillary", a nickname), the given name is
/// taken only if the article also names the person so inside a sentence, or the tagger found
/// the two words together.
fn take_in_given_names(tokens: &Tokens<'_>, candidates: &mut [Candidate]) {
    let gazetteer = gazetteer::gazetteer();
    let mut buf = String::new();
    let lowercase = |word: &str| tokens.written_in_lowercase(&word.to_lowercase());
    let looks_given = |word: &str, buf: &mut String| {
        let mut chars = word.chars();
        chars.next().is_some_and(char::is_uppercase)
            && word.chars().count() > 1
            && chars.all(char::is_lowercase)
            && !word.ends_with("ing")
            && !matches!(word, "St" | "Saint")
            && !titles::is_title_word(word)
            && !is_personal_honorific(word)
            && !is_not_a_name_alone(word)
            && !is_not_a_name(word)
            && gazetteer.demonym(word).is_none()
            && gazetteer.longest_match(&[word], buf).is_none()
            && !lowercase(word)
    };
    // (index of the candidate, whether the given name needs confirming)
    let mut found = Vec::new();
    let mut previous_end = 0;
    for (candidate_idx, candidate) in candidates.iter().enumerate() {
        let range = candidate.tokens.clone();
        let free_before = previous_end < range.start;
        previous_end = range.end;
        if candidate.kind != EntityKind::Person
            || candidate.known.is_some()
            || range.len() != 1
            || !free_before
        {
            continue;
        }
        let sentence_start = tokens.sentence_bounds(range.start).start;
        let Some(given) = range
            .start
            .checked_sub(1)
            .filter(|&idx| idx >= sentence_start)
        else {
            continue;
        };
        let (first, last) = (tokens.surface(given), tokens.surface(range.start));
        if !looks_given(first, &mut buf)
            || lowercase(last)
            || gazetteer
                .longest_match(&[first, last], &mut buf)
                .is_some_and(|hit| hit.n_tokens == 2)
        {
            continue;
        }
        let before = given
            .checked_sub(1)
            .filter(|&idx| idx >= sentence_start)
            .map(|idx| tokens.surface(idx));
        let part_of_a_phrase = before.is_some_and(|word| {
            let bare = word.trim_end_matches('.');
            let introduces = titles::is_title_word(bare)
                || is_personal_honorific(bare)
                || gazetteer.demonym(word).is_some();
            (word.starts_with(char::is_uppercase) && !introduces)
                || matches!(word, "the" | "a" | "an" | "'s" | "’s")
                || word.starts_with(|c: char| c.is_ascii_digit())
        });
        if part_of_a_phrase {
            continue;
        }
        let unconfirmed = before.is_some_and(is_quote_mark) || opens_sentence(tokens, given);
        found.push((candidate_idx, unconfirmed));
    }
    if found.is_empty() {
        return;
    }
    let mut confirmed: HashSet<(&str, &str)> = found
        .iter()
        .filter(|(_, unconfirmed)| !unconfirmed)
        .filter_map(|&(idx, _)| candidates.get(idx))
        .map(|candidate| {
            let start = candidate.tokens.start;
            (tokens.surface(start - 1), tokens.surface(start))
        })
        .collect();
    if found.iter().any(|&(_, unconfirmed)| unconfirmed) {
        for name in people_of_several_words(tokens, candidates) {
            confirmed.extend(name.windows(2).map(|pair| (pair[0], pair[1])));
        }
    }
    for (idx, unconfirmed) in found {
        let Some(candidate) = candidates.get_mut(idx) else {
            continue;
        };
        let start = candidate.tokens.start;
        if !unconfirmed || confirmed.contains(&(tokens.surface(start - 1), tokens.surface(start))) {
            candidate.tokens = start - 1..candidate.tokens.end;
        }
    }
}

/// A word that goes before a person's name ("Mr", "Dr", "Lord").
fn is_personal_honorific(word: &str) -> bool {
    titles::is_honorific(word)
        || matches!(
            word,
            "Dr" | "Dr." | "Sir" | "Lord" | "Lady" | "Dame" | "Baroness" | "Baron"
        )
}

/// Cardinal numbers written as words, capitalised as at the start of a sentence ("Nine",
/// "Fifty", "Hundreds").
const NUMBER_WORDS: &[&str] = &[
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
    "Twenty",
    "Thirty",
    "Forty",
    "Fifty",
    "Sixty",
    "Seventy",
    "Eighty",
    "Ninety",
    "Hundred",
    "Hundreds",
    "Thousand",
    "Thousands",
    "Million",
    "Millions",
];

/// A word of [`NUMBER_WORDS`].
pub(crate) fn is_number_word(word: &str) -> bool {
    NUMBER_WORDS.contains(&word)
}

/// A word of [`NUMBER_WORDS`] written in lowercase ("nine", "fifty").
pub(crate) fn is_lowercase_number_word(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_lowercase())
        && NUMBER_WORDS
            .iter()
            .any(|number| number.eq_ignore_ascii_case(word))
}

/// A token of quotation marks ("``", "“").
fn is_quote_mark(word: &str) -> bool {
    !word.is_empty() && word.chars().all(crate::quotes::is_mark)
}

/// A word that names a storm by the name after it ("Hurricane Maria").
fn is_storm_word(word: &str) -> bool {
    matches!(word, "Hurricane" | "Typhoon" | "Cyclone" | "Storm")
}

/// The words of each candidate that is a person named by several words.
fn people_of_several_words<'t>(
    tokens: &'t Tokens<'_>,
    candidates: &[Candidate],
) -> Vec<&'t [&'t str]> {
    candidates
        .iter()
        .filter(|candidate| candidate.kind == EntityKind::Person && candidate.tokens.len() > 1)
        .filter_map(|candidate| tokens.surfaces.get(candidate.tokens.clone()))
        .collect()
}

/// The tagger's places and organisations that name a person of the article: by the person's
/// whole name, where the tagger more often makes it a person ("Donald Trump" as an
/// organisation; not "Star Wars", a person once and an organisation twice); by the last word
/// of it ("about Obama, Hillary, and the Democratic Party" after "Barack Obama"); or followed
/// by "of" and a place ("Senator Bernie Sanders of Vermont" as one organisation: the person,
/// and the gazetteer finds the place). Only names the gazetteer does not know (`unknown`,
/// indices into `candidates`): "Washington" stays the place after "George Washington".
fn people_named_otherwise(tokens: &Tokens<'_>, candidates: &mut [Candidate], unknown: &[usize]) {
    let words_of = |candidate: &Candidate| tokens.surfaces.get(candidate.tokens.clone());
    let people = people_of_several_words(tokens, candidates);
    if people.is_empty() {
        return;
    }
    // How often the tagger makes each name of several words a person, and something else.
    let mut tallies: HashMap<&[&str], (usize, usize)> = HashMap::new();
    for candidate in candidates
        .iter()
        .filter(|candidate| candidate.tokens.len() > 1)
    {
        if let Some(words) = words_of(candidate) {
            let tally = tallies.entry(words).or_default();
            if candidate.kind == EntityKind::Person {
                tally.0 += 1;
            } else {
                tally.1 += 1;
            }
        }
    }
    let is_person = |words: &[&str]| match words {
        [word] => people.iter().any(|person| person.last() == Some(word)),
        _ => tallies
            .get(words)
            .is_some_and(|&(as_person, as_other)| as_person > as_other),
    };
    let mut found = Vec::new();
    for &idx in unknown {
        let Some(candidate) = candidates.get(idx) else {
            continue;
        };
        let Some(words) = words_of(candidate) else {
            continue;
        };
        if candidate.kind == EntityKind::Person {
            continue;
        }
        if is_person(words) {
            found.push((idx, candidate.tokens.clone()));
        } else if let Some(of) = words.iter().position(|word| *word == "of")
            && of > 0
            && is_person(&words[..of])
        {
            found.push((idx, candidate.tokens.start..candidate.tokens.start + of));
        }
    }
    for (idx, range) in found {
        if let Some(candidate) = candidates.get_mut(idx) {
            candidate.tokens = range;
            candidate.kind = EntityKind::Person;
        }
    }
}

/// Nouns that make the names listed after them organisations: "anti-virus firm Sophos",
/// "firms such as Dell and Hewlett-Packard", "companies such as Creative, Sony and Philips".
/// Not "rival" ("his rival Brown") nor "group" ("the group Smith founded").
const ORGANISATION_NOUNS: &[&str] = &[
    "firm",
    "firms",
    "company",
    "companies",
    "maker",
    "makers",
    "giant",
    "giants",
    "retailer",
    "retailers",
    "carrier",
    "carriers",
    "broadcaster",
    "broadcasters",
    "publisher",
    "publishers",
    "studio",
    "studios",
    "label",
    "labels",
    "band",
    "bands",
    "club",
    "clubs",
    "network",
    "networks",
    "service",
    "services",
    "website",
    "websites",
];

/// A club's people, named after it: "Chelsea boss Jose Mourinho", "as Chelsea manager",
/// "Chelsea assistant boss Steve Clarke". Not
/// "coach", who may be one player's ("Henman coach Paul Annacone").
const SQUAD_ROLES: &[&str] = &[
    "manager",
    "boss",
    "chairman",
    "captain",
    "skipper",
    "striker",
    "winger",
    "midfielder",
    "playmaker",
    "defender",
    "full-back",
    "left-back",
    "right-back",
    "centre-back",
    "centre-half",
    "goalkeeper",
    "keeper",
    "flanker",
    "fly-half",
    "scrum-half",
];

/// Words that may open the clause whose subject a name is: "but Chelsea are", "when
/// Chelsea have". Not "and" or a comma, before which the plural is the list's ("Arsenal and
/// Chelsea are", "Blair and Brown are"), nor a noun or a verb whose own plural or object the
/// name may be ("thoughts of quitting Anfield are", "the reaches of the Yangtze are").
const OPENS_A_CLAUSE: &[&str] = &[
    "but", "when", "while", "as", "that", "because", "if", "after", "before", "since", "though",
    "although", "where", "so", "now", "until", "unless", "whether", "once", "yet", ":", ";", "-",
    "–", "—", "(",
];

/// The tagger's people of one word that the article shows to be organisations, by one of
/// three clues around any of their mentions:
/// - a verb in the plural right after the name, as British English puts it after a club, a
///   band or a firm ("Chelsea have sacked", "but Chelsea are doing very well"), but never
///   after one person's name. Only where the name opens its sentence or its clause
///   ([`OPENS_A_CLAUSE`]): not "Vice President Biden have", "she and sister Venus are";
/// - a role in a squad right after it ("Chelsea boss Jose Mourinho", "as Chelsea manager");
/// - a noun for a firm before it, or before the list it is in ("anti-virus firm Sophos",
///   "companies such as Creative, Sony and Philips").
///
/// Every one-word mention of such a name in the article becomes an organisation: the tagger
/// is rarely consistent over a whole article ("Chelsea's win", "when Chelsea take on"). Not a
/// name any person of several words in the article bears ("Chelsea Clinton"), nor a title word
/// ("the most recent female MP").
fn organisations_named_as_people(tokens: &Tokens<'_>, candidates: &mut [Candidate]) {
    let one_word_person = |candidate: &Candidate| {
        candidate.kind == EntityKind::Person
            && candidate.known.is_none()
            && candidate.tokens.len() == 1
    };
    let mut names: Vec<&str> = Vec::new();
    for candidate in candidates.iter().filter(|c| one_word_person(c)) {
        let word = tokens.surface(candidate.tokens.start);
        if !names.contains(&word) && !titles::is_title_word(word) {
            names.push(word);
        }
    }
    if names.is_empty() {
        return;
    }
    // Every occurrence of each name, tagged or not, and of any kind: the clue and the tagger's
    // person are often different mentions ("as Chelsea manager", an organisation; "Chelsea
    // began to dominate", a person).
    let mut clues = vec![false; names.len()];
    for (idx, surface) in tokens.surfaces.iter().enumerate() {
        let Some(name_idx) = names.iter().position(|name| name == surface) else {
            continue;
        };
        if clues[name_idx] {
            continue;
        }
        let name = idx..idx + 1;
        let plural = plural_verb_after(tokens, &name)
            && (idx == tokens.sentence_bounds(idx).start
                || OPENS_A_CLAUSE
                    .iter()
                    .any(|opener| opener.eq_ignore_ascii_case(tokens.surface(idx - 1))));
        clues[name_idx] =
            plural || squad_role_after(tokens, &name) || organisation_noun_before(tokens, idx);
    }
    let several_words = people_of_several_words(tokens, candidates);
    let organisations: Vec<&str> = names
        .iter()
        .zip(&clues)
        .filter(|&(name, &clue)| clue && !several_words.iter().any(|words| words.contains(name)))
        .map(|(name, _)| *name)
        .collect();
    if organisations.is_empty() {
        return;
    }
    for candidate in candidates.iter_mut() {
        if one_word_person(candidate)
            && organisations.contains(&tokens.surface(candidate.tokens.start))
        {
            candidate.kind = EntityKind::Organization;
        }
    }
}

/// "Chelsea have", "Chelsea are": see [`organisations_named_as_people`].
fn plural_verb_after(tokens: &Tokens<'_>, name: &Range<usize>) -> bool {
    followed_closely(tokens, name) && matches!(tokens.surface(name.end), "have" | "are")
}

/// "Chelsea boss …": see [`organisations_named_as_people`].
fn squad_role_after(tokens: &Tokens<'_>, name: &Range<usize>) -> bool {
    if !followed_closely(tokens, name) {
        return false;
    }
    let role = match tokens.surface(name.end) {
        "assistant" if followed_closely(tokens, &(name.end..name.end + 1)) => name.end + 1,
        _ => name.end,
    };
    SQUAD_ROLES.contains(&tokens.surface(role))
}

/// "firm Sophos", "firms such as Dell and …", "companies such as Creative, Sony and Philips":
/// the noun before the name, or before the list of capitalised names it ends.
fn organisation_noun_before(tokens: &Tokens<'_>, start: usize) -> bool {
    let sentence = tokens.sentence_bounds(start);
    let word_at = |idx: usize| {
        if sentence.contains(&idx) {
            tokens.surface(idx)
        } else {
            ""
        }
    };
    let capitalised = |idx: usize| word_at(idx).starts_with(char::is_uppercase);
    let mut first = start;
    // Back over the list the name ends: "Creative, Sony and", "Nokia, Intel,".
    while first > sentence.start && matches!(word_at(first - 1), "," | "and" | "or") {
        let mut item = first - 1;
        while item > sentence.start && capitalised(item - 1) {
            item -= 1;
        }
        if item == first - 1 {
            break;
        }
        first = item;
    }
    let mut before = first;
    if before >= 2 && word_at(before - 1) == "as" && word_at(before - 2) == "such" {
        before -= 2;
    } else if before >= 1 && matches!(word_at(before - 1), "including" | "like") {
        before -= 1;
    }
    before >= 1 && ORGANISATION_NOUNS.contains(&word_at(before - 1))
}

/// Nouns of works whose titles the tagger takes for people ("the British film Vera Drake",
/// "his novel Godless", "the album Final Straw"). Not those that are also verbs before a
/// name ("play", "show", "hit", "book": "to play Andre Agassi", "polls show Blair ahead").
const WORK_NOUNS: &[&str] = &[
    "film",
    "movie",
    "documentary",
    "biopic",
    "drama",
    "comedy",
    "thriller",
    "sitcom",
    "cartoon",
    "musical",
    "opera",
    "programme",
    "series",
    "album",
    "song",
    "single",
    "novel",
    "memoir",
];

/// Nouns of publications the tagger takes for people ("US magazine Rolling Stone", "gadget
/// magazine Stuff").
const PUBLICATION_NOUNS: &[&str] = &["magazine", "newspaper", "tabloid"];

/// The tagger's people named right after a noun for a work or a publication, one space after
/// it in the same sentence: a work is of the kind other, as CoNLL-2003 has titles, and a
/// publication an organisation. The other people of the article with the same words change
/// with it ("the period drama Vera Drake … Vera Drake has 11 nominations"). A title of one word
/// that is the last word of a person of the article goes back into that person when the
/// entities are clustered ("the musical Oliver" and Jamie Oliver), as any surname does.
fn works_named_as_people(tokens: &Tokens<'_>, candidates: &mut [Candidate]) {
    // (candidate index, kind) of each person named right after such a noun.
    let mut found: Vec<(usize, EntityKind)> = Vec::new();
    for (idx, candidate) in candidates.iter().enumerate() {
        if candidate.kind != EntityKind::Person || candidate.known.is_some() {
            continue;
        }
        let Some(before) = candidate.tokens.start.checked_sub(1) else {
            continue;
        };
        if !followed_closely(tokens, &(before..candidate.tokens.start)) {
            continue;
        }
        let noun = tokens.surface(before);
        if WORK_NOUNS.contains(&noun) {
            found.push((idx, EntityKind::Other));
        } else if PUBLICATION_NOUNS.contains(&noun) {
            found.push((idx, EntityKind::Organization));
        }
    }
    if found.is_empty() {
        return;
    }
    let names: Vec<(&[&str], EntityKind)> = found
        .iter()
        .filter_map(|&(idx, kind)| {
            let candidate = candidates.get(idx)?;
            Some((tokens.surfaces.get(candidate.tokens.clone())?, kind))
        })
        .collect();
    for candidate in candidates
        .iter_mut()
        .filter(|candidate| candidate.kind == EntityKind::Person)
    {
        let words = tokens.surfaces.get(candidate.tokens.clone()).unwrap_or(&[]);
        if let Some(&(_, kind)) = names.iter().find(|(name, _)| *name == words) {
            candidate.kind = kind;
        }
    }
}

/// Words that make the number before them a count or a measure, not part of a name ("Sony 3
/// million", "Humberto 75 miles north").
const COUNTED: &[&str] = &[
    "million",
    "billion",
    "trillion",
    "bn",
    "m",
    "per",
    "percent",
    "and",
    "or",
    "to",
    "of",
    "year",
    "years",
    "month",
    "months",
    "week",
    "weeks",
    "day",
    "days",
    "hours",
    "minutes",
    "seconds",
    "points",
    "runs",
    "wickets",
    "times",
    "goals",
    "seats",
    "people",
    "states",
    "countries",
    "members",
    "votes",
    "miles",
    "mile",
    "km",
    "kilometres",
    "kilometers",
    "metres",
    "meters",
    "feet",
    "yards",
    "tonnes",
    "tons",
    "pounds",
    "dollars",
    "degrees",
];

/// Extends an organisation or other name over the number that follows it, as in "Radio 1
/// said", "Channel 4's", "Halo 2 sold" or "Commodore 64.": the tagger, trained on text where
/// names rarely hold digits, stops before them. Only a number of one to three digits, one
/// space after the name in its sentence and followed by a lowercase word that is no count
/// ("Sony 3 million"), by punctuation or by the end of the sentence; never before a capital
/// ("Chelsea 2 Arsenal 1") or a bracket ("Faye (Berkovic 83)", a minute). The caller keeps a
/// known name as it is.
fn with_number(tokens: &Tokens<'_>, range: Range<usize>, kind: EntityKind) -> Range<usize> {
    if !matches!(kind, EntityKind::Organization | EntityKind::Other) {
        return range;
    }
    let number = range.end;
    let sentence = tokens.sentence_bounds(range.start);
    let word = tokens.surface(number);
    if !followed_closely(tokens, &range)
        || !(1..=3).contains(&word.len())
        || !word.bytes().all(|byte| byte.is_ascii_digit())
    {
        return range;
    }
    let after = tokens.surface(number + 1);
    let ends_it = !sentence.contains(&(number + 1))
        || matches!(
            after,
            "," | "." | ";" | "!" | "?" | "'s" | "’s" | "\"" | "”"
        )
        || (after.starts_with(|c: char| c.is_lowercase()) && !COUNTED.contains(&after));
    if ends_it && !lists_results(tokens, sentence, number) {
        range.start..number + 1
    } else {
        range
    }
}

/// Whether the sentence of the number at `number` also pairs another name with a score, as in
/// results ("Lotte 6 Hyundai 2", "Warwickshire 195, Surrey 429-7 (C. Lewis 80 not out)",
/// "Leicestershire 22 points, Somerset 4."): there the number is a score, not part of the name.
/// A score pair is a capitalised word, not a month, and a number after it that comes before a
/// unit of play ("22 points"), or before a capital or a bracket with another number soon
/// after ("Lotte 6 Hyundai 2"; not "Radio 1 DJ Trevor Nelson"). One that ends a clause is a score
/// only where the sentence has no more lowercase words than capitalised ones, as in a results
/// line: "Halo 2, Half-Life 2 and Doom 3" stay names.
fn lists_results(tokens: &Tokens<'_>, sentence: Range<usize>, number: usize) -> bool {
    let mut clause_end_pairs = false;
    for idx in sentence.start + 1..sentence.end {
        if idx == number || !is_score(tokens.surface(idx)) {
            continue;
        }
        let name = tokens.surface(idx - 1);
        if !name.starts_with(char::is_uppercase) || crate::dates::is_month_name(name) {
            continue;
        }
        let after = tokens.surface(idx + 1);
        if !sentence.contains(&(idx + 1)) || (is_punctuation(after) && after != "(") {
            clause_end_pairs = true;
        } else if UNITS_OF_PLAY.contains(&after)
            || ((after == "(" || after.starts_with(char::is_uppercase))
                && (idx + 2..(idx + 6).min(sentence.end))
                    .any(|next| is_score(tokens.surface(next))))
        {
            return true;
        }
    }
    clause_end_pairs && {
        let (mut lower, mut upper) = (0, 0);
        for word in tokens.surfaces.get(sentence).unwrap_or(&[]) {
            match word.chars().next() {
                Some(c) if c.is_lowercase() => lower += 1,
                Some(c) if c.is_uppercase() => upper += 1,
                _ => {}
            }
        }
        lower <= upper
    }
}

/// Words after a score in results ("22 points", "5 seconds behind").
const UNITS_OF_PLAY: &[&str] = &[
    "points", "pts", "runs", "wickets", "goals", "seconds", "secs", "minutes", "laps", "strokes",
    "shots",
];

/// Words that name a sovereign or a pope by the numeral of the reign.
const REGNAL_TITLES: &[&str] = &[
    "King", "Queen", "Pope", "Emperor", "Empress", "Tsar", "Czar", "Kaiser", "Sultan",
];

/// A person's name with the Roman numeral after it ("Benedict XVI", "Charles III"), and a
/// sovereign's name the tagger took for an organisation ("Queen Elizabeth II") as the person,
/// without the title, which the person's titles keep.
fn with_regnal_number(
    tokens: &Tokens<'_>,
    range: Range<usize>,
    kind: EntityKind,
) -> (EntityKind, Range<usize>) {
    match kind {
        EntityKind::Person
            if followed_closely(tokens, &range) && is_regnal_number(tokens.surface(range.end)) =>
        {
            return (kind, range.start..range.end + 1);
        }
        EntityKind::Organization | EntityKind::Other
            if range.len() > 2
                && REGNAL_TITLES.contains(&tokens.surface(range.start))
                && is_regnal_number(tokens.surface(range.end - 1)) =>
        {
            if let Some(name) = trim(tokens, range.clone(), EntityKind::Person) {
                return (EntityKind::Person, name);
            }
        }
        _ => {}
    }
    (kind, range)
}

/// A Roman numeral of two letters or more, as a reign's ("II", "XVI"; not "I", "V" or "X",
/// which are also words and initials).
fn is_regnal_number(word: &str) -> bool {
    (2..=6).contains(&word.len())
        && word.bytes().all(|b| matches!(b, b'I' | b'V' | b'X'))
        && !word.contains("IIII")
        && !word.contains("VV")
}

/// Whether a score follows the name at `range`, as [`followed_closely`].
fn before_a_score(tokens: &Tokens<'_>, range: &Range<usize>) -> bool {
    followed_closely(tokens, range) && is_score(tokens.surface(range.end))
}

/// Whether a token follows the name at `range` in its sentence, one space after it.
fn followed_closely(tokens: &Tokens<'_>, range: &Range<usize>) -> bool {
    let (Some(last), Some(next)) = (
        range
            .end
            .checked_sub(1)
            .and_then(|idx| tokens.text.tokens.get(idx)),
        tokens.text.tokens.get(range.end),
    ) else {
        return false;
    };
    last.paragraph == next.paragraph
        && last.end + 1 == next.start
        && tokens.sentence_bounds(range.start).contains(&range.end)
}

/// A number of one to three digits, or a score or figure such as "429-7" or "4-38".
fn is_score(word: &str) -> bool {
    let mut parts = word.split(['-', '/']);
    let first_ok = parts.next().is_some_and(|part| {
        (1..=3).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit())
    });
    first_ok
        && parts.all(|part| {
            !part.is_empty() && part.len() <= 3 && part.bytes().all(|b| b.is_ascii_digit())
        })
}

fn is_punctuation(word: &str) -> bool {
    !word.chars().any(char::is_alphanumeric)
}

/// Trims a tagged span to the name: no punctuation or "the" at the ends, no possessive, and
/// for people no honorific or title ("Senator Rand Paul" → "Rand Paul").
fn trim(tokens: &Tokens<'_>, range: Range<usize>, kind: EntityKind) -> Option<Range<usize>> {
    let mut start = range.start;
    let mut end = range.end;
    while start < end {
        let word = tokens.surface(start);
        // An institution named by its kind and what it is of stays whole: "the Ministry of
        // Defence", "the Court of Session", "the State of Palestine".
        let heads_an_institution = kind != EntityKind::Person && tokens.surface(start + 1) == "of";
        let strip = is_punctuation(word)
            || (end - start > 1 && is_not_a_name(word) && !heads_an_institution)
            || matches!(word, "the" | "The")
            || (kind == EntityKind::Person
                && end - start > 1
                && (titles::is_title_word(word) || gazetteer::gazetteer().demonym(word).is_some()));
        if !strip {
            break;
        }
        start += 1;
    }
    while start < end {
        let word = tokens.surface(end - 1);
        if !(is_punctuation(word) || matches!(word, "'s" | "’s" | "'" | "’")) {
            break;
        }
        // A bracket the name opened closes it: "Radnicki (N)".
        if word == ")" && (start..end - 1).any(|idx| tokens.surface(idx) == "(") {
            break;
        }
        end -= 1;
    }
    (start < end).then_some(start..end)
}

/// A tagged span that is not a name: no capital anywhere, a stock word, or a single
/// sentence-initial word that the article also writes in lowercase.
fn is_junk(tokens: &Tokens<'_>, range: &Range<usize>) -> bool {
    let words = tokens.surfaces.get(range.clone()).unwrap_or(&[]);
    if !words.iter().any(|word| {
        word.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    }) {
        return true;
    }
    if !words
        .iter()
        .any(|word| word.chars().any(char::is_alphabetic))
    {
        return true;
    }
    // "5.45m Euros", or "Euros" alone when the tagger left the number out ("885,000 Euros").
    let after_number = || {
        range
            .start
            .checked_sub(1)
            .filter(|&prev| tokens.sentence_bounds(prev).contains(&range.start))
            .map(|prev| tokens.surface(prev))
            .is_some_and(|number| {
                number.starts_with(|c: char| c.is_ascii_digit()) || is_amount(&[number])
            })
    };
    if is_amount(words) || words.iter().all(|word| is_currency_word(word)) && after_number() {
        return true;
    }
    let [word] = words else {
        return false;
    };
    // One letter, or an initial alone ("E." of "E. coli").
    if word.trim_end_matches('.').chars().count() < 2
        || is_not_a_name(word)
        || is_not_a_name_alone(word)
        || is_regnal_number(word)
        || is_party_state(word)
        || titles::is_title_word(word)
    {
        return true;
    }
    if opens_sentence(tokens, range.start) {
        let lower = word.to_lowercase();
        if lower != *word && tokens.written_in_lowercase(&lower) {
            return true;
        }
        // An adverb opening its sentence ("Generally, …", "Historically when …"); names
        // that end so are short ("Sally", "McNally").
        if word.len() >= 8 && lower.ends_with("ally") {
            return true;
        }
    }
    false
}

/// Currency names that may follow an amount ("5.45m Euros").
const CURRENCY_WORDS: &[&str] = &[
    "euro", "euros", "dollar", "dollars", "pound", "pounds", "yen", "yuan", "renminbi", "rupee",
    "rupees", "franc", "francs", "rouble", "roubles", "ruble", "rubles", "peso", "pesos", "krona",
    "kronor", "krone", "kroner", "won", "rand", "real", "reais", "lira", "dinar", "dinars",
    "dirham", "dirhams", "riyal", "riyals", "shekel", "shekels", "zloty",
];

fn is_currency_word(word: &str) -> bool {
    CURRENCY_WORDS
        .iter()
        .any(|currency| currency.eq_ignore_ascii_case(word))
}

/// Magnitudes written on a number ("£3m", "$1.2bn", "500k").
const MAGNITUDES: &[&str] = &["m", "bn", "tn", "k", "mn"];

/// An amount of money: a number with a currency sign ("HK$327m", "US$42m", "€15") or a
/// magnitude ("3m", whose "£" the tokenizer split off), optionally followed by a currency
/// name ("5.45m Euros"). The tagger takes some of these for names, as they start with a
/// capital or a digit; "3M" (a capital) and "Radio 4" (a word first) are not amounts.
pub(crate) fn is_amount(words: &[&str]) -> bool {
    let Some((first, rest)) = words.split_first() else {
        return false;
    };
    // A currency code of up to three capitals may be written before the sign ("HK$", "US$").
    let code_len = first
        .bytes()
        .take_while(u8::is_ascii_uppercase)
        .count()
        .min(3);
    let after_code = &first[code_len..];
    let signed = after_code.strip_prefix(['$', '£', '€', '¥']);
    let number = match signed {
        Some(number) => number,
        None if code_len == 0 => after_code,
        None => return false,
    };
    if !number.starts_with(|c: char| c.is_ascii_digit())
        || !rest.iter().all(|word| {
            is_currency_word(word) || matches!(*word, "million" | "billion" | "trillion")
        })
    {
        return false;
    }
    let digits_end = number
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(number.len());
    let suffix = &number[digits_end..];
    let magnitude = MAGNITUDES.contains(&suffix);
    (suffix.is_empty() || magnitude) && (signed.is_some() || magnitude || !rest.is_empty())
}

/// Whether token `idx` opens its sentence: nothing before it in the sentence but punctuation
/// and bracketed labels ("“Well, …", "((WN)) Thank you very much.", Wikinews' interviews).
fn opens_sentence(tokens: &Tokens<'_>, idx: usize) -> bool {
    let start = tokens.sentence_bounds(idx).start;
    let mut depth = 0usize;
    for prev in (start..idx).rev() {
        let word = tokens.surface(prev);
        let closing = word.matches(')').count();
        let opening = word.matches('(').count();
        depth += closing;
        if depth == 0 && !is_punctuation(word) {
            return false;
        }
        depth = depth.saturating_sub(opening);
    }
    depth == 0
}

/// Adds known places and organisations the tagger missed (any case for places: "kyiv").
fn add_gazetteer_places(tokens: &Tokens<'_>, candidates: &mut Vec<Candidate>) {
    let mut covered = vec![false; tokens.surfaces.len()];
    // Where a candidate of the tagger starts.
    let mut opens = vec![false; tokens.surfaces.len()];
    for candidate in candidates.iter() {
        for slot in covered.get_mut(candidate.tokens.clone()).unwrap_or(&mut []) {
            *slot = true;
        }
        if let Some(slot) = opens.get_mut(candidate.tokens.start) {
            *slot = true;
        }
    }
    let gazetteer = gazetteer::gazetteer();
    let mut buf = String::new();
    let mut idx = 0;
    while idx < tokens.surfaces.len() {
        let word = tokens.surface(idx);
        // A covered word may still open a known name that takes in the tagger's ("Islamic
        // State", of which the tagger saw "Islamic").
        if idx >= covered.len()
            || covered[idx] && !(opens[idx] && gazetteer.starts_a_longer_phrase(word, &mut buf))
            || !word.chars().any(char::is_alphabetic)
        {
            idx += 1;
            continue;
        }
        let sentence_end = tokens.sentence_bounds(idx).end.max(idx + 1);
        let window = tokens.surfaces.get(idx..sentence_end).unwrap_or(&[]);
        let Some(hit) = gazetteer.longest_match(window, &mut buf) else {
            idx += 1;
            continue;
        };
        let range = idx..idx + hit.n_tokens;
        let free = covered
            .get(range.clone())
            .is_some_and(|slots| slots.iter().all(|covered| !covered));
        // A known name of several words may take in what the tagger found of it ("Lib Dem",
        // of which the tagger saw "Dem"), but not part of a longer name.
        let takes_in = !free
            && hit.n_tokens > 1
            && !matches!(word, "the" | "The")
            // Something the tagger left out: never just the tagger's own span again.
            && covered
                .get(range.clone())
                .is_some_and(|slots| slots.iter().any(|covered| !covered))
            && candidates.iter().all(|candidate| {
                candidate.tokens.end <= range.start
                    || range.end <= candidate.tokens.start
                    || range.start <= candidate.tokens.start && candidate.tokens.end <= range.end
            });
        // Organisations only as written ("UN"), places in any case; never a demonym.
        let lowercase_ok = hit.entry.kind == EntityKind::Place;
        let capitalised = word.chars().next().is_some_and(char::is_uppercase);
        if (free || takes_in) && !hit.demonym && (capitalised || lowercase_ok) {
            if takes_in {
                candidates.retain(|candidate| {
                    candidate.tokens.end <= range.start || range.end <= candidate.tokens.start
                });
                for slot in covered.get_mut(range.clone()).unwrap_or(&mut []) {
                    *slot = true;
                }
            }
            candidates.push(Candidate {
                tokens: range.clone(),
                kind: hit.entry.kind,
                known: Some(hit.entry),
            });
            idx = range.end;
        } else {
            idx += 1;
        }
    }
}

/// One entity being built.
struct Cluster<'a> {
    kind: EntityKind,
    known: Option<&'static Entry>,
    /// Name tokens of the fullest mention.
    name_words: Vec<&'a str>,
    name: &'a str,
    /// Indices into the candidate list, in text order.
    mentions: Vec<usize>,
    titles: Vec<String>,
}

/// True when `short` names the same person as `long`: its words are a suffix of `long`'s
/// ("Putin" of "Vladimir Putin", "Tayyip Erdogan" of "Recep Tayyip Erdogan").
fn abbreviates(short: &[&str], long: &[&str]) -> bool {
    !short.is_empty() && short.len() <= long.len() && long.ends_with(short)
}

fn same_words(a: &[&str], b: &[&str]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.eq_ignore_ascii_case(b))
}

/// Lookups over the clusters, so that clustering stays linear in the number of mentions
/// whatever the input. Entries may be stale (a cluster renamed or emptied since); every
/// lookup checks the cluster it finds.
#[derive(Default)]
struct ClusterIndex<'a> {
    /// Last word of a person's name → person clusters.
    people_by_last: HashMap<&'a str, Vec<usize>>,
    /// First word of a person's name → person clusters.
    people_by_first: HashMap<&'a str, Vec<usize>>,
    /// Kind, then lowercased name ([`thing_key`]) of an organisation, place or other name →
    /// its cluster. By kind first, so that a name is looked up without a key of its own.
    things: HashMap<EntityKind, HashMap<String, usize>>,
    /// Gazetteer entry name → its cluster.
    known: HashMap<&'static str, usize>,
}

impl<'a> ClusterIndex<'a> {
    /// Indexes cluster `cluster_idx`; `key` is scratch.
    fn add(&mut self, clusters: &[Cluster<'a>], cluster_idx: usize, key: &mut String) {
        let Some(cluster) = clusters.get(cluster_idx) else {
            return;
        };
        if cluster.kind == EntityKind::Person {
            if let Some(last) = cluster.name_words.last() {
                let bucket = self.people_by_last.entry(last).or_default();
                if !bucket.contains(&cluster_idx) {
                    bucket.push(cluster_idx);
                }
            }
            if let Some(first) = cluster.name_words.first() {
                let bucket = self.people_by_first.entry(first).or_default();
                if !bucket.contains(&cluster_idx) {
                    bucket.push(cluster_idx);
                }
            }
        } else {
            let name = thing_key(&cluster.name_words, key);
            let names = self.things.entry(cluster.kind).or_default();
            if !names.contains_key(name) {
                names.insert(name.to_string(), cluster_idx);
            }
        }
        if let Some(entry) = cluster.known {
            self.known.entry(entry.name).or_insert(cluster_idx);
        }
    }

    fn people_by_last(&self, word: Option<&str>) -> &[usize] {
        word.and_then(|word| self.people_by_last.get(word))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

/// The key of `words` in [`ClusterIndex::things`], written into `key`: the words joined by
/// spaces and lowercased (as `words.join(" ").to_lowercase()`, without allocating for ASCII).
fn thing_key<'k>(words: &[&str], key: &'k mut String) -> &'k str {
    key.clear();
    for (word_idx, word) in words.iter().enumerate() {
        if word_idx > 0 {
            key.push(' ');
        }
        key.push_str(word);
    }
    if key.is_ascii() {
        key.make_ascii_lowercase();
    } else {
        *key = key.to_lowercase();
    }
    key
}

/// The only element of an iterator, if it has exactly one.
fn only<T>(mut items: impl Iterator<Item = T>) -> Option<T> {
    let first = items.next();
    if items.next().is_some() { None } else { first }
}

fn build_entities<'a>(
    tokens: &Tokens<'a>,
    paragraphs: &'a [String],
    candidates: &[Candidate],
) -> Vec<Entity> {
    let mut clusters: Vec<Cluster<'a>> = Vec::new();
    let mut index = ClusterIndex::default();
    let mut cluster_of: Vec<usize> = Vec::with_capacity(candidates.len());
    let mut key = String::new();
    for (candidate_idx, candidate) in candidates.iter().enumerate() {
        let words = tokens.surfaces.get(candidate.tokens.clone()).unwrap_or(&[]);
        let found = match candidate.kind {
            EntityKind::Person => find_person(&clusters, &index, words),
            _ => find_thing(&clusters, &index, candidate, words, &mut key),
        };
        let cluster_idx = found.unwrap_or_else(|| {
            clusters.push(Cluster {
                kind: candidate.kind,
                known: candidate.known,
                name_words: Vec::new(),
                name: "",
                mentions: Vec::new(),
                titles: Vec::new(),
            });
            clusters.len() - 1
        });
        if let Some(cluster) = clusters.get_mut(cluster_idx) {
            if words.len() > cluster.name_words.len() {
                cluster.name = tokens.slice(paragraphs, &candidate.tokens).unwrap_or("");
                cluster.name_words = words.to_vec();
            }
            cluster.mentions.push(candidate_idx);
        }
        index.add(&clusters, cluster_idx, &mut key);
        cluster_of.push(cluster_idx);
    }
    merge_late_full_names(&mut clusters, &index, &mut cluster_of);
    merge_acronyms(tokens, candidates, &mut clusters, &mut cluster_of);
    adopt_mistagged_surnames(&mut clusters, &index, &mut cluster_of);
    merge_same_names(&mut clusters, &mut cluster_of);
    find_titles(tokens, paragraphs, candidates, &mut clusters);
    emit(tokens, paragraphs, candidates, &clusters)
}

/// The person cluster a name belongs to: the same words, or a cluster whose name it
/// abbreviates (the most recently mentioned), a first name alone that only one person has,
/// or the one cluster whose name abbreviates it ("Putin" … "Vladimir Putin").
fn find_person(
    clusters: &[Cluster<'_>],
    index: &ClusterIndex<'_>,
    words: &[&str],
) -> Option<usize> {
    let by_last = index.people_by_last(words.last().copied());
    let person = |cluster_idx: &&usize| {
        clusters
            .get(**cluster_idx)
            .is_some_and(|cluster| cluster.kind == EntityKind::Person)
    };
    let last_mention = |cluster_idx: usize| {
        clusters
            .get(cluster_idx)
            .and_then(|cluster| cluster.mentions.last().copied())
    };
    if let Some(&exact) = by_last
        .iter()
        .filter(person)
        .find(|&&cluster_idx| clusters[cluster_idx].name_words == words)
    {
        return Some(exact);
    }
    if let Some(&recent) = by_last
        .iter()
        .filter(person)
        .filter(|&&cluster_idx| abbreviates(words, &clusters[cluster_idx].name_words))
        .max_by_key(|&&cluster_idx| last_mention(cluster_idx))
    {
        return Some(recent);
    }
    if let [word] = words {
        let by_first = index
            .people_by_first
            .get(*word)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if let Some(&first_name) = only(by_first.iter().filter(person).filter(|&&cluster_idx| {
            let name = &clusters[cluster_idx].name_words;
            name.len() >= 2 && name.first() == Some(word)
        })) {
            return Some(first_name);
        }
    }
    only(
        by_last
            .iter()
            .filter(person)
            .filter(|&&cluster_idx| abbreviates(&clusters[cluster_idx].name_words, words)),
    )
    .copied()
}

fn find_thing(
    clusters: &[Cluster<'_>],
    index: &ClusterIndex<'_>,
    candidate: &Candidate,
    words: &[&str],
    key: &mut String,
) -> Option<usize> {
    if let Some(entry) = candidate.known {
        return index.known.get(entry.name).copied();
    }
    let name = thing_key(words, key);
    let found = index
        .things
        .get(&candidate.kind)
        .and_then(|names| names.get(name));
    found.copied().filter(|&cluster_idx| {
        clusters.get(cluster_idx).is_some_and(|cluster| {
            cluster.known.is_none() && same_words(&cluster.name_words, words)
        })
    })
}

/// Merges a short name into the one fuller name it abbreviates when the short form came
/// first and no fuller form had been seen yet.
fn merge_late_full_names(
    clusters: &mut [Cluster<'_>],
    index: &ClusterIndex<'_>,
    cluster_of: &mut [usize],
) {
    for short_idx in 0..clusters.len() {
        if clusters[short_idx].kind != EntityKind::Person || clusters[short_idx].mentions.is_empty()
        {
            continue;
        }
        let by_last = index.people_by_last(clusters[short_idx].name_words.last().copied());
        let target = only(by_last.iter().copied().filter(|&long_idx| {
            long_idx != short_idx
                && clusters[long_idx].kind == EntityKind::Person
                && !clusters[long_idx].mentions.is_empty()
                && clusters[long_idx].name_words.len() > clusters[short_idx].name_words.len()
                && abbreviates(
                    &clusters[short_idx].name_words,
                    &clusters[long_idx].name_words,
                )
        }));
        if let Some(long_idx) = target {
            move_mentions(clusters, cluster_of, short_idx, long_idx);
        }
    }
}

fn move_mentions(clusters: &mut [Cluster<'_>], cluster_of: &mut [usize], from: usize, to: usize) {
    if from == to || from >= clusters.len() || to >= clusters.len() {
        return;
    }
    let moved = std::mem::take(&mut clusters[from].mentions);
    for &candidate_idx in &moved {
        if let Some(slot) = cluster_of.get_mut(candidate_idx) {
            *slot = to;
        }
    }
    clusters[to].mentions.extend(moved);
    clusters[to].mentions.sort_unstable();
    let titles = std::mem::take(&mut clusters[from].titles);
    clusters[to].titles.extend(titles);
}

/// The initials of a name's capitalised words ("Federal Security Service" → "FSS"), skipping
/// function words.
fn initials(words: &[&str]) -> String {
    words
        .iter()
        .filter(|word| !matches!(**word, "of" | "the" | "and" | "for" | "de" | "&"))
        .filter_map(|word| word.chars().next())
        .filter(|c| c.is_uppercase())
        .collect()
}

fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    (2..=6).contains(&letters) && word.chars().all(|c| c.is_uppercase() || c == '.')
}

/// Joins an acronym ("FSB") to the name it abbreviates: the name right before it in
/// brackets ("Federal Security Service (FSB)"), else the one name whose initials spell it.
fn merge_acronyms(
    tokens: &Tokens<'_>,
    candidates: &[Candidate],
    clusters: &mut [Cluster<'_>],
    cluster_of: &mut [usize],
) {
    let mut by_initials: HashMap<String, Vec<usize>> = HashMap::new();
    for (cluster_idx, cluster) in clusters.iter().enumerate() {
        if cluster.kind != EntityKind::Person && cluster.name_words.len() >= 2 {
            by_initials
                .entry(initials(&cluster.name_words))
                .or_default()
                .push(cluster_idx);
        }
    }
    let candidate_ending_at: HashMap<usize, usize> = candidates
        .iter()
        .enumerate()
        .map(|(candidate_idx, candidate)| (candidate.tokens.end, candidate_idx))
        .collect();
    for short_idx in 0..clusters.len() {
        let [acronym] = clusters[short_idx].name_words[..] else {
            continue;
        };
        if !is_acronym(acronym)
            || clusters[short_idx].known.is_some()
            || clusters[short_idx].kind == EntityKind::Person
        {
            continue;
        }
        let letters: String = acronym.chars().filter(|c| c.is_alphabetic()).collect();
        let bracketed = clusters[short_idx]
            .mentions
            .iter()
            .find_map(|&candidate_idx| {
                let before = candidates.get(candidate_idx)?.tokens.start.checked_sub(1)?;
                if tokens.surface(before) != "(" {
                    return None;
                }
                let other_idx = *candidate_ending_at.get(&before)?;
                cluster_of.get(other_idx).copied()
            });
        let target = bracketed.or_else(|| {
            only(
                by_initials
                    .get(&letters)
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                    .iter()
                    .copied()
                    .filter(|&long_idx| long_idx != short_idx),
            )
        });
        if let Some(long_idx) = target
            && clusters
                .get(long_idx)
                .is_some_and(|long| long.kind != EntityKind::Person && !long.mentions.is_empty())
        {
            move_mentions(clusters, cluster_of, short_idx, long_idx);
        }
    }
}

/// A one-word mention the tagger called an organisation or other name that is a person's
/// surname in this article ("Guterres" tagged ORG once) joins that person.
fn adopt_mistagged_surnames(
    clusters: &mut [Cluster<'_>],
    index: &ClusterIndex<'_>,
    cluster_of: &mut [usize],
) {
    for short_idx in 0..clusters.len() {
        let cluster = &clusters[short_idx];
        if cluster.kind == EntityKind::Person
            || cluster.known.is_some()
            || cluster.mentions.is_empty()
            || cluster.name_words.len() != 1
        {
            continue;
        }
        let by_last = index.people_by_last(cluster.name_words.last().copied());
        let target = only(by_last.iter().copied().filter(|&long_idx| {
            let long = &clusters[long_idx];
            long.kind == EntityKind::Person
                && !long.mentions.is_empty()
                && (long.name_words.len() >= 2 || long.mentions.len() >= 2)
                && long.name_words.last() == clusters[short_idx].name_words.last()
        }));
        if let Some(long_idx) = target {
            move_mentions(clusters, cluster_of, short_idx, long_idx);
        }
    }
}

/// One name the tagger gave different kinds in one article ("Civic Platform" as a person
/// and as an organisation) is one entity, of the kind most of its mentions have.
fn merge_same_names(clusters: &mut [Cluster<'_>], cluster_of: &mut [usize]) {
    let mut first_of: HashMap<String, usize> = HashMap::new();
    for later_idx in 0..clusters.len() {
        if clusters[later_idx].mentions.is_empty() || clusters[later_idx].known.is_some() {
            continue;
        }
        let key = clusters[later_idx].name_words.join(" ").to_lowercase();
        let Some(&earlier_idx) = first_of.get(&key) else {
            first_of.insert(key, later_idx);
            continue;
        };
        if earlier_idx == later_idx || clusters[earlier_idx].kind == clusters[later_idx].kind {
            continue;
        }
        if clusters[later_idx].mentions.len() > clusters[earlier_idx].mentions.len() {
            clusters[earlier_idx].kind = clusters[later_idx].kind;
        }
        move_mentions(clusters, cluster_of, later_idx, earlier_idx);
    }
}

/// Titles of every person mention, before the name or in apposition.
fn find_titles<'a>(
    tokens: &Tokens<'a>,
    paragraphs: &'a [String],
    candidates: &[Candidate],
    clusters: &mut [Cluster<'_>],
) {
    let mut is_person_token = vec![false; tokens.surfaces.len()];
    for candidate in candidates {
        if candidate.kind == EntityKind::Person {
            for slot in is_person_token
                .get_mut(candidate.tokens.clone())
                .unwrap_or(&mut [])
            {
                *slot = true;
            }
        }
    }
    for cluster in clusters.iter_mut() {
        if cluster.kind != EntityKind::Person {
            continue;
        }
        for &candidate_idx in &cluster.mentions {
            let Some(candidate) = candidates.get(candidate_idx) else {
                continue;
            };
            let name = candidate.tokens.clone();
            let sentence = tokens.sentence_bounds(name.start);
            let blocked = |idx: usize| is_person_token.get(idx).copied().unwrap_or(true);
            let found = [
                titles::before(&tokens.surfaces, name.start, sentence.start, blocked),
                titles::after(&tokens.surfaces, name.end, sentence.end),
                titles::before_apposition(&tokens.surfaces, name.start, name.end, sentence.start),
            ];
            for range in found.into_iter().flatten() {
                let Some(title) = tokens.slice(paragraphs, &range) else {
                    continue;
                };
                let title = normalise_title(title, range.start == sentence.start);
                if !title.is_empty() && !cluster.titles.contains(&title) {
                    cluster.titles.push(title);
                }
            }
        }
    }
}

/// A title as written, with a sentence-initial "The" lowercased ("The head of US diplomacy"
/// → "the head of US diplomacy").
fn normalise_title(title: &str, sentence_initial: bool) -> String {
    let title = title.trim();
    match title.strip_prefix("The ") {
        Some(rest) if sentence_initial => format!("the {rest}"),
        _ => title.to_string(),
    }
}

/// Drops a title that is the tail of a longer one ("President" when "Russian President" is
/// there).
fn prune_titles(titles: &[String]) -> Vec<String> {
    titles
        .iter()
        .filter(|title| {
            !titles.iter().any(|other| {
                let tail = other.len() > title.len()
                    && other.ends_with(title.as_str())
                    && other[..other.len() - title.len()].ends_with(' ');
                // "Mayor" when "mayor of the Polish city of Gdańsk" is there.
                let word = !title.contains(' ')
                    && other.len() > title.len()
                    && other
                        .split(' ')
                        .any(|word| word.eq_ignore_ascii_case(title.as_str()));
                tail || word
            })
        })
        .cloned()
        .collect()
}

fn emit(
    tokens: &Tokens<'_>,
    paragraphs: &[String],
    candidates: &[Candidate],
    clusters: &[Cluster<'_>],
) -> Vec<Entity> {
    // Code-point spans of every candidate, computed in text order.
    let mut spans: Vec<Option<(Span, &str)>> = Vec::with_capacity(candidates.len());
    let mut index: Option<(usize, CharIndex<'_>)> = None;
    for candidate in candidates {
        let (Some(first), Some(last)) = (
            tokens.text.tokens.get(candidate.tokens.start),
            tokens
                .text
                .tokens
                .get(candidate.tokens.end.saturating_sub(1)),
        ) else {
            spans.push(None);
            continue;
        };
        let Some(paragraph) = paragraphs.get(first.paragraph) else {
            spans.push(None);
            continue;
        };
        if index
            .as_ref()
            .is_none_or(|(idx, _)| *idx != first.paragraph)
        {
            index = Some((first.paragraph, CharIndex::new(paragraph)));
        }
        let Some((_, chars)) = index.as_mut() else {
            spans.push(None);
            continue;
        };
        let start = chars.char_of(first.start);
        let end = chars.char_of(last.end);
        spans.push(paragraph.get(first.start..last.end).map(|text| {
            (
                Span {
                    paragraph: first.paragraph,
                    start,
                    end,
                },
                text,
            )
        }));
    }
    let mut order: Vec<(usize, &Cluster<'_>)> = clusters
        .iter()
        .filter_map(|cluster| Some((*cluster.mentions.first()?, cluster)))
        .collect();
    order.sort_by_key(|(first, _)| *first);
    let mut entities = Vec::with_capacity(order.len());
    for cluster in order.into_iter().map(|(_, cluster)| cluster) {
        let mentions: Vec<Mention> = cluster
            .mentions
            .iter()
            .filter_map(|&candidate_idx| spans.get(candidate_idx).copied().flatten())
            .map(|(span, text)| Mention {
                text: text.to_string(),
                span,
            })
            .collect();
        if mentions.is_empty() {
            continue;
        }
        let name = match cluster.known {
            Some(entry) => entry.name.to_string(),
            None if cluster.name.is_empty() => mentions[0].text.clone(),
            None => cluster.name.to_string(),
        };
        let mut aliases: Vec<String> = Vec::new();
        for mention in &mentions {
            if mention.text != name && !aliases.contains(&mention.text) {
                aliases.push(mention.text.clone());
            }
        }
        entities.push(Entity {
            id: format!("e{}", entities.len() + 1),
            kind: cluster.kind,
            name,
            aliases,
            titles: prune_titles(&cluster.titles),
            mentions,
        });
    }
    entities
}

#[cfg(test)]
mod tests {
    use super::{LOWERCASE_SCANS, Tokens};
    use crate::text::Text;

    #[test]
    fn words_in_lowercase_are_found_by_scan_and_by_set_alike() {
        let paragraphs = vec![
            "Will Smith said he will go. Rose Byrne's sales rose.".to_string(),
            "Brown bread, 3d printing and Éclair owners; the éclair is sweet.".to_string(),
        ];
        let text = Text::new(&paragraphs);
        let tokens = Tokens::new(&text, &paragraphs);
        let asked = [
            ("will", true),
            ("rose", true),
            ("brown", false),
            ("smith", false),
            ("éclair", true),
            ("bread", true),
            // Written so, but not starting with a lowercase letter.
            ("3d", false),
            ("Will", false),
            ("", false),
        ];
        // The first questions scan the tokens, the later ones look in the set.
        let mut n_asked = 0;
        for _ in 0..3 {
            for (word, expected) in asked {
                assert_eq!(tokens.written_in_lowercase(word), expected, "{word:?}");
                n_asked += 1;
            }
        }
        assert!(n_asked > 2 * LOWERCASE_SCANS);
        assert!(tokens.lowercase_words.get().is_some());
    }
}

//! Titles and roles of people, as the text gives them: before the name ("Russian Foreign
//! Minister Sergei Lavrov", "fashion designer Tim Gunn"), in apposition after it ("Jane Doe,
//! director general of the British Chambers of Commerce,") or before it ("The head of US
//! diplomacy, Antony Blinken,"). Tokens are given as their surface strings; every function
//! returns token ranges, never panics, and looks at most a few tokens away.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

/// Words that head a title or role ("President", "minister", "spokesman"). Case-insensitive.
const HEADS: &[&str] = &[
    "president",
    "president-elect",
    "vice-president",
    "premier",
    "minister",
    "secretary",
    "secretary-general",
    "general",
    "gen.",
    "senator",
    "sen.",
    "representative",
    "rep.",
    "congressman",
    "congresswoman",
    "governor",
    "gov.",
    "mayor",
    "chancellor",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "cardinal",
    "archbishop",
    "bishop",
    "imam",
    "rabbi",
    "judge",
    "justice",
    "ambassador",
    "envoy",
    "speaker",
    "chairman",
    "chairwoman",
    "chairperson",
    "chair",
    "chief",
    "head",
    "director",
    "director-general",
    "commissioner",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "leader",
    "captain",
    "capt.",
    "colonel",
    "col.",
    "lieutenant",
    "lt.",
    "major",
    "maj.",
    "sergeant",
    "sgt.",
    "admiral",
    "adm.",
    "commander",
    "marshal",
    "officer",
    "inspector",
    "detective",
    "superintendent",
    "constable",
    "sheriff",
    "professor",
    "prof.",
    "dr",
    "dr.",
    "doctor",
    "sir",
    "dame",
    "lord",
    "lady",
    "baroness",
    "baron",
    "sheikh",
    "emir",
    "sultan",
    "ayatollah",
    "reverend",
    "rev.",
    "father",
    "coach",
    "manager",
    "ceo",
    "executive",
    "founder",
    "co-founder",
    "treasurer",
    "attorney",
    "attorney-general",
    "prosecutor",
    "counsel",
    "editor",
    "correspondent",
    "analyst",
    "economist",
    "scientist",
    "researcher",
    "designer",
    "drummer",
    "singer",
    "actor",
    "actress",
    "director",
    "producer",
    "author",
    "writer",
    "novelist",
    "journalist",
    "striker",
    "midfielder",
    "defender",
    "goalkeeper",
    "winger",
    "boss",
    "vice-chairman",
    "deputy",
    "adviser",
    "advisor",
    "aide",
    "lawmaker",
    "legislator",
    "mp",
    "mep",
    "mayor-elect",
    "councillor",
    "councilman",
    "councilwoman",
    "biologist",
    "physicist",
    "chemist",
    "historian",
    "astronaut",
    "pilot",
    "spokesmen",
    "premier",
    "chieftain",
    "delegate",
    "negotiator",
    "campaigner",
    "activist",
    "lawyer",
    "owner",
    "chairmen",
    "ministers",
    "presidents",
    "senators",
    "governors",
    "mayors",
    "secretaries",
    "generals",
    "judges",
    "representatives",
    "leaders",
    "directors",
    "officers",
    "kings",
    "queens",
    "princes",
];

/// Words that modify a title ("Foreign Minister", "former President"). Case-insensitive.
const MODIFIERS: &[&str] = &[
    "former",
    "ex",
    "then",
    "acting",
    "interim",
    "deputy",
    "vice",
    "assistant",
    "associate",
    "senior",
    "junior",
    "chief",
    "executive",
    "managing",
    "general",
    "prime",
    "foreign",
    "interior",
    "defence",
    "defense",
    "finance",
    "health",
    "home",
    "shadow",
    "first",
    "supreme",
    "state",
    "outgoing",
    "incoming",
    "new",
    "current",
    "longtime",
    "veteran",
];

/// Honorifics stripped from names and not kept as titles.
const HONORIFICS: &[&str] = &[
    "Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Miss", "Mx", "Mx.", "Messrs", "Messrs.", "MR", "MRS",
    "MS",
];

/// Capitalised words that never open a title (sentence starters, days, months).
const NOT_TITLE: &[&str] = &[
    "The",
    "A",
    "An",
    "And",
    "But",
    "Or",
    "On",
    "In",
    "At",
    "As",
    "By",
    "For",
    "From",
    "To",
    "With",
    "Of",
    "When",
    "While",
    "After",
    "Before",
    "Since",
    "Then",
    "If",
    "That",
    "This",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "His",
    "Her",
    "Their",
    "Its",
    "Our",
    "Yesterday",
    "Today",
    "Tomorrow",
    "Meanwhile",
    "However",
    "Also",
    "Both",
    "Some",
    "Many",
    "According",
    "Earlier",
    "Later",
    "Last",
    "Next",
    "Under",
    "Over",
    "Dear",
    "Only",
    "Even",
    "Just",
    "Unlike",
    "Like",
    "Every",
    "Each",
    "Such",
    "Not",
    "Now",
    "Yet",
];

/// Tokens that end a title phrase in apposition.
const PHRASE_ENDS: &[&str] = &[
    ",", ";", ".", ":", "(", ")", "!", "?", "\"", "“", "”", "—", "–", "--", "-", "who", "which",
    "whose", "whom", "said", "says", "told",
];

/// A word of [`NOT_TITLE`], or a weekday or month name.
fn is_not_title(word: &str) -> bool {
    NOT_TITLE.contains(&word) || crate::dates::is_calendar_name(word)
}

fn in_list(word: &str, list: &[&str]) -> bool {
    list.iter().any(|item| item.eq_ignore_ascii_case(word))
}

/// The lowercased [`HEADS`], for a lookup per token instead of a scan of the list.
static HEAD_SET: LazyLock<HashSet<String>> =
    LazyLock::new(|| HEADS.iter().map(|head| head.to_ascii_lowercase()).collect());

/// `word` in ASCII lowercase in `buf`, or `None` when it cannot be a listed word (too long
/// or not ASCII).
fn ascii_lower<'b>(word: &str, buf: &'b mut [u8; 24]) -> Option<&'b str> {
    let bytes = word.as_bytes();
    if bytes.len() > buf.len() || !word.is_ascii() {
        return None;
    }
    let out = &mut buf[..bytes.len()];
    out.copy_from_slice(bytes);
    out.make_ascii_lowercase();
    std::str::from_utf8(out).ok()
}

/// True for a word that heads a title, a listed abbreviation written without its dot included
/// ("Prof", "Rev", "Gen": British style drops the dot of "prof.", "rev.", "gen.").
pub fn is_head(word: &str) -> bool {
    let mut buf = [0; 24];
    let Some(lower) = ascii_lower(word, &mut buf) else {
        return false;
    };
    if HEAD_SET.contains(lower) {
        return true;
    }
    let len = lower.len();
    if lower.ends_with('.') || len + 1 > buf.len() {
        return false;
    }
    buf[len] = b'.';
    std::str::from_utf8(&buf[..=len]).is_ok_and(|dotted| HEAD_SET.contains(dotted))
}

/// True for "Mr", "Ms" and the like.
pub fn is_honorific(word: &str) -> bool {
    HONORIFICS.contains(&word)
}

/// True for a word that may lead a name's tokens but belongs to a title.
pub fn is_title_word(word: &str) -> bool {
    is_head(word) || in_list(word, MODIFIERS) || is_honorific(word)
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn is_lowercase_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_lowercase)
        && word.chars().all(|c| c.is_alphabetic() || c == '-')
}

/// The title written right before a name (`tokens[name_start]`), not reaching before
/// `floor`: "Russian Foreign Minister", "UN Secretary General", "Trade and Industry
/// Secretary", "fashion designer". `blocked` marks tokens of other names.
pub fn before(
    tokens: &[&str],
    name_start: usize,
    floor: usize,
    blocked: impl Fn(usize) -> bool,
) -> Option<Range<usize>> {
    let mut start = name_start;
    let mut idx = name_start;
    let mut has_head = false;
    // Whether the last accepted token was part of a lowercase role ("fire service spokesman").
    let mut lowercase_run = false;
    let mut n_lowercase_extra = 0;
    let mut n_tokens = 0;
    while idx > floor && n_tokens < 8 {
        let candidate = idx - 1;
        let Some(word) = tokens.get(candidate).copied() else {
            break;
        };
        if blocked(candidate) {
            break;
        }
        if is_honorific(word) && candidate + 1 == name_start {
            idx = candidate;
            start = idx;
            continue;
        }
        if is_lowercase_word(word) {
            if is_head(word) {
                has_head = true;
                lowercase_run = true;
            } else if in_list(word, MODIFIERS) {
            } else if lowercase_run && n_lowercase_extra < 1 && !in_list(word, PHRASE_ENDS) {
                n_lowercase_extra += 1;
            } else if matches!(word, "of" | "and" | "for")
                && start < name_start
                && tokens.get(start).copied().is_some_and(is_capitalised)
                && tokens
                    .get(candidate.wrapping_sub(1))
                    .copied()
                    .is_some_and(|left| {
                        is_capitalised(left)
                            && !in_list(left, NOT_TITLE)
                            && !crate::dates::is_calendar_name_any_case(left)
                    })
                && candidate > floor
            {
            } else {
                break;
            }
        } else if is_capitalised(word) {
            if is_not_title(word) {
                break;
            }
            if is_head(word) {
                has_head = true;
            }
            lowercase_run = false;
        } else if word.ends_with('.') && is_head(word) {
            has_head = true;
        } else {
            break;
        }
        idx = candidate;
        start = idx;
        n_tokens += 1;
    }
    // Drop a leading connector or honorific; a title must have a head.
    while start < name_start
        && tokens
            .get(start)
            .is_some_and(|word| matches!(*word, "of" | "and" | "for") || is_honorific(word))
    {
        start += 1;
    }
    let end = (start..name_start)
        .rev()
        .find(|&idx| tokens.get(idx).copied().is_some_and(|w| !is_honorific(w)))
        .map(|idx| idx + 1)?;
    (has_head && start < end).then_some(start..end)
}

fn starts_like_a_title(tokens: &[&str], idx: usize) -> bool {
    let Some(word) = tokens.get(idx).copied() else {
        return false;
    };
    matches!(word, "a" | "an" | "the" | "A" | "An" | "The")
        || is_head(word)
        || in_list(word, MODIFIERS)
        || tokens
            .get(idx + 1)
            .is_some_and(|next| matches!(*next, "'s" | "’s"))
        || (is_capitalised(word) && !is_not_title(word))
}

/// A head word among the first few tokens of `range`, before any preposition.
fn head_early(tokens: &[&str], range: &Range<usize>) -> bool {
    for idx in range.clone().take(6) {
        let Some(word) = tokens.get(idx).copied() else {
            return false;
        };
        if is_head(word) {
            return true;
        }
        if matches!(
            word,
            "of" | "at" | "in" | "for" | "from" | "with" | "on" | "to" | "by"
        ) {
            return false;
        }
    }
    false
}

/// A title in apposition after a name ending at `name_end`: "…, director general of the
/// British Chambers of Commerce," "…, a fire service spokesman,". Leading "a"/"an" are
/// dropped from the returned range.
pub fn after(tokens: &[&str], name_end: usize, ceiling: usize) -> Option<Range<usize>> {
    if tokens.get(name_end).copied() != Some(",") {
        return None;
    }
    let mut start = name_end + 1;
    let mut end = start;
    while end < ceiling && end - start < 14 {
        let word = tokens.get(end).copied()?;
        if in_list(word, PHRASE_ENDS) {
            break;
        }
        end += 1;
    }
    if end == start || end - start >= 14 {
        return None;
    }
    if !starts_like_a_title(tokens, start) || !head_early(tokens, &(start..end)) {
        return None;
    }
    if tokens
        .get(start)
        .is_some_and(|word| matches!(*word, "a" | "an" | "A" | "An"))
    {
        start += 1;
    }
    (start < end).then_some(start..end)
}

/// A title in apposition before a name starting at `name_start` and ending at `name_end`:
/// "The head of US diplomacy, Antony Blinken, …". The phrase opens its clause (sentence
/// start, or after a comma or semicolon) with "the" or a possessive.
pub fn before_apposition(
    tokens: &[&str],
    name_start: usize,
    name_end: usize,
    floor: usize,
) -> Option<Range<usize>> {
    if name_start < floor + 2 || tokens.get(name_start - 1).copied() != Some(",") {
        return None;
    }
    if !matches!(tokens.get(name_end).copied(), Some("," | "." | ";" | ")")) {
        return None;
    }
    let end = name_start - 1;
    let mut start = end;
    while start > floor && end - start < 12 {
        let word = tokens.get(start - 1).copied()?;
        if matches!(word, "," | ";" | ":" | "(" | "\"" | "“" | "”" | "—" | "--") {
            break;
        }
        start -= 1;
    }
    if start == end || end - start >= 12 {
        return None;
    }
    let first = tokens.get(start).copied()?;
    let possessive = tokens
        .get(start + 1)
        .is_some_and(|next| matches!(*next, "'s" | "’s"));
    if !(matches!(first, "the" | "The") || possessive) {
        return None;
    }
    head_early(tokens, &(start..end)).then_some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        text.split(' ').collect()
    }

    #[test]
    fn titles_before_names() {
        let tokens = words("told UN Secretary General Antonio Guterres on Tuesday");
        assert_eq!(before(&tokens, 4, 0, |_| false), Some(1..4));
        let tokens = words("to Russian Foreign Minister Sergei Lavrov .");
        assert_eq!(before(&tokens, 4, 0, |_| false), Some(1..4));
        let tokens = words("on Tuesday Putin discussed");
        assert_eq!(before(&tokens, 2, 0, |_| false), None);
        let tokens = words("by the Trade and Industry Secretary Patricia Hewitt .");
        assert_eq!(before(&tokens, 6, 0, |_| false), Some(2..6));
        let tokens = words("as fashion designer Tim Gunn");
        assert_eq!(before(&tokens, 3, 0, |_| false), Some(1..3));
        let tokens = words("from Senator Rand Paul ,");
        assert_eq!(before(&tokens, 2, 0, |_| false), Some(1..2));
        let tokens = words("Republican Kevin McCarthy ,");
        assert_eq!(before(&tokens, 1, 0, |_| false), None);
    }

    #[test]
    fn an_abbreviated_title_without_its_dot_is_one() {
        for word in ["Prof", "Rev", "Gen", "Sen", "Rep.", "prof."] {
            assert!(is_head(word), "{word}");
        }
        for word in ["Pro", "Reva", "Genes", "Ray", "."] {
            assert!(!is_head(word), "{word}");
        }
        // British style: the title before "Prof Etzioni" is found without a dot too.
        let tokens = words("criticised by Prof Etzioni on Monday");
        assert_eq!(before(&tokens, 3, 0, |_| false), Some(2..3));
    }

    #[test]
    fn titles_in_apposition() {
        let tokens =
            words("Jane Doe , director general of the British Chambers of Commerce , said");
        assert_eq!(after(&tokens, 2, tokens.len()), Some(3..11));
        let tokens = words("Rand Paul , a Republican critic of US interventionism who accused");
        assert_eq!(after(&tokens, 2, tokens.len()), None);
        let tokens = words("The head of US diplomacy , Antony Blinken , stated");
        assert_eq!(before_apposition(&tokens, 6, 8, 0), Some(0..5));
    }
}

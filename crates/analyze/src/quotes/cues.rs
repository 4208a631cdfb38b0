//! The word lists quote attribution reads: speech and belief verbs with their forms, pronouns,
//! honorifics, and words that are never a speaker's name. Data, not code: add a verb here and
//! every rule that reads cues sees it.

use std::sync::LazyLock;

use crate::hash::FastMap;

/// What a cue word can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CueInfo {
    /// The verb introduces a quotation ("said", "added").
    pub speech: bool,
    /// The verb takes a reported clause ("said that …", "believes …"): indirect speech.
    pub clause: bool,
    /// The verb takes the hearer as its object ("told Guterres", "asked reporters").
    pub addressee: bool,
    /// A gerund or participle ("saying", "proclaiming"): its subject is not next to it.
    pub gerund: bool,
}

/// Verb lemmas with their forms (third person, past, -ing) and what they can introduce:
/// `S` quotation only, `C` quotation and reported clause, `A` also takes an addressee,
/// `B` belief or stance verb (reported clause, rarely a quotation).
const VERBS: &[(&str, &str, &str, &str, &str)] = &[
    ("say", "says", "said", "saying", "C"),
    ("tell", "tells", "told", "telling", "CA"),
    ("add", "adds", "added", "adding", "C"),
    ("state", "states", "stated", "stating", "C"),
    ("warn", "warns", "warned", "warning", "CA"),
    ("insist", "insists", "insisted", "insisting", "C"),
    ("claim", "claims", "claimed", "claiming", "C"),
    ("argue", "argues", "argued", "arguing", "C"),
    ("explain", "explains", "explained", "explaining", "C"),
    ("note", "notes", "noted", "noting", "C"),
    ("write", "writes", "wrote", "writing", "C"),
    ("tweet", "tweets", "tweeted", "tweeting", "C"),
    ("post", "posts", "posted", "posting", "S"),
    ("ask", "asks", "asked", "asking", "SA"),
    ("reply", "replies", "replied", "replying", "C"),
    ("respond", "responds", "responded", "responding", "C"),
    ("answer", "answers", "answered", "answering", "S"),
    ("announce", "announces", "announced", "announcing", "C"),
    ("declare", "declares", "declared", "declaring", "C"),
    (
        "acknowledge",
        "acknowledges",
        "acknowledged",
        "acknowledging",
        "C",
    ),
    ("admit", "admits", "admitted", "admitting", "C"),
    ("suggest", "suggests", "suggested", "suggesting", "C"),
    ("continue", "continues", "continued", "continuing", "S"),
    ("recall", "recalls", "recalled", "recalling", "C"),
    ("conclude", "concludes", "concluded", "concluding", "C"),
    ("predict", "predicts", "predicted", "predicting", "C"),
    ("promise", "promises", "promised", "promising", "CA"),
    ("vow", "vows", "vowed", "vowing", "C"),
    ("pledge", "pledges", "pledged", "pledging", "C"),
    ("urge", "urges", "urged", "urging", "SA"),
    ("observe", "observes", "observed", "observing", "C"),
    ("remark", "remarks", "remarked", "remarking", "C"),
    ("comment", "comments", "commented", "commenting", "S"),
    ("report", "reports", "reported", "reporting", "C"),
    ("confirm", "confirms", "confirmed", "confirming", "C"),
    ("deny", "denies", "denied", "denying", "C"),
    ("assert", "asserts", "asserted", "asserting", "C"),
    ("contend", "contends", "contended", "contending", "C"),
    ("maintain", "maintains", "maintained", "maintaining", "C"),
    ("emphasize", "emphasizes", "emphasized", "emphasizing", "C"),
    ("emphasise", "emphasises", "emphasised", "emphasising", "C"),
    ("stress", "stresses", "stressed", "stressing", "C"),
    ("complain", "complains", "complained", "complaining", "C"),
    ("joke", "jokes", "joked", "joking", "C"),
    ("quip", "quips", "quipped", "quipping", "S"),
    ("agree", "agrees", "agreed", "agreeing", "C"),
    ("recount", "recounts", "recounted", "recounting", "C"),
    ("shout", "shouts", "shouted", "shouting", "S"),
    ("yell", "yells", "yelled", "yelling", "S"),
    ("boast", "boasts", "boasted", "boasting", "C"),
    ("brag", "brags", "bragged", "bragging", "C"),
    ("proclaim", "proclaims", "proclaimed", "proclaiming", "C"),
    ("charge", "charges", "charged", "charging", "C"),
    ("counter", "counters", "countered", "countering", "C"),
    ("retort", "retorts", "retorted", "retorting", "S"),
    ("muse", "muses", "mused", "musing", "S"),
    ("reiterate", "reiterates", "reiterated", "reiterating", "C"),
    ("repeat", "repeats", "repeated", "repeating", "S"),
    ("assure", "assures", "assured", "assuring", "CA"),
    ("inform", "informs", "informed", "informing", "CA"),
    ("remind", "reminds", "reminded", "reminding", "CA"),
    (
        "interject",
        "interjects",
        "interjected",
        "interjecting",
        "S",
    ),
    ("caution", "cautions", "cautioned", "cautioning", "CA"),
    ("cry", "cries", "cried", "crying", "S"),
    ("chant", "chants", "chanted", "chanting", "S"),
    ("mutter", "mutters", "muttered", "muttering", "S"),
    ("whisper", "whispers", "whispered", "whispering", "S"),
    ("scoff", "scoffs", "scoffed", "scoffing", "S"),
    ("sigh", "sighs", "sighed", "sighing", "S"),
    ("laugh", "laughs", "laughed", "laughing", "S"),
    ("testify", "testifies", "testified", "testifying", "C"),
    ("allege", "alleges", "alleged", "alleging", "C"),
    ("reveal", "reveals", "revealed", "revealing", "C"),
    ("indicate", "indicates", "indicated", "indicating", "C"),
    ("signal", "signals", "signaled", "signaling", "C"),
    ("hint", "hints", "hinted", "hinting", "C"),
    ("point", "points", "pointed", "pointing", "C"),
    ("concede", "concedes", "conceded", "conceding", "C"),
    ("lament", "laments", "lamented", "lamenting", "C"),
    ("ponder", "ponders", "pondered", "pondering", "S"),
    ("command", "commands", "commanded", "commanding", "S"),
    ("demand", "demands", "demanded", "demanding", "C"),
    ("exclaim", "exclaims", "exclaimed", "exclaiming", "S"),
    ("plead", "pleads", "pleaded", "pleading", "S"),
    ("gloat", "gloats", "gloated", "gloating", "S"),
    ("gush", "gushes", "gushed", "gushing", "S"),
    ("tout", "touts", "touted", "touting", "S"),
    ("grumble", "grumbles", "grumbled", "grumbling", "S"),
    ("protest", "protests", "protested", "protesting", "S"),
    ("opine", "opines", "opined", "opining", "C"),
    ("reason", "reasons", "reasoned", "reasoning", "C"),
    ("clarify", "clarifies", "clarified", "clarifying", "C"),
    ("elaborate", "elaborates", "elaborated", "elaborating", "S"),
    ("summarize", "summarizes", "summarized", "summarizing", "S"),
    ("snap", "snaps", "snapped", "snapping", "S"),
    ("scream", "screams", "screamed", "screaming", "S"),
    ("blast", "blasts", "blasted", "blasting", "S"),
    ("slam", "slams", "slammed", "slamming", "S"),
    ("vent", "vents", "vented", "venting", "S"),
    ("rail", "rails", "railed", "railing", "S"),
    (
        "anticipate",
        "anticipates",
        "anticipated",
        "anticipating",
        "B",
    ),
    ("believe", "believes", "believed", "believing", "B"),
    ("think", "thinks", "thought", "thinking", "B"),
    ("feel", "feels", "felt", "feeling", "B"),
    ("fear", "fears", "feared", "fearing", "B"),
    ("hope", "hopes", "hoped", "hoping", "B"),
    ("expect", "expects", "expected", "expecting", "B"),
    ("worry", "worries", "worried", "worrying", "B"),
    ("know", "knows", "knew", "knowing", "B"),
    ("estimate", "estimates", "estimated", "estimating", "B"),
    ("find", "finds", "found", "finding", "B"),
    ("show", "shows", "showed", "showing", "B"),
    ("conclude", "concludes", "concluded", "concluding", "B"),
    (
        "understand",
        "understands",
        "understood",
        "understanding",
        "B",
    ),
    ("realize", "realizes", "realized", "realizing", "B"),
    ("doubt", "doubts", "doubted", "doubting", "B"),
    ("guess", "guesses", "guessed", "guessing", "B"),
    ("speculate", "speculates", "speculated", "speculating", "B"),
    ("wonder", "wonders", "wondered", "wondering", "B"),
    (
        "acknowledge",
        "acknowledges",
        "acknowledged",
        "acknowledging",
        "B",
    ),
];

/// Forms that look like a verb above but are too often something else to be cues.
const NOT_CUES: &[&str] = &[
    "post",
    "point",
    "points",
    "show",
    "report",
    "comment",
    "state",
    "states",
    "note",
    "answer",
    "find",
    "finding",
    "feeling",
    "understanding",
    "knowing",
    "warning",
    "writing",
    "posting",
    "saying",
    "hope",
    "fear",
    "doubt",
    "reporting",
    "counter",
    "charge",
    "charges",
    "promise",
    "pledge",
    "guess",
    "signal",
    "signals",
    "hint",
    "hints",
    "estimate",
    "estimates",
    "remarks",
    "cry",
    "chant",
    "laugh",
    "sigh",
    "repeat",
    "reason",
    "reasons",
    "reasoning",
    "protest",
    "protests",
    "rail",
    "rails",
    "railing",
    "vent",
    "vents",
    "snap",
    "slam",
    "blast",
    "command",
    "demand",
    "demands",
    "demanding",
    "commanding",
    "summarizing",
    "elaborate",
];

static CUES: LazyLock<FastMap<&'static str, CueInfo>> = LazyLock::new(|| {
    let mut cues = FastMap::default();
    for &(lemma, third, past, gerund, flags) in VERBS {
        let believe = flags.contains('B');
        let info = CueInfo {
            speech: !believe,
            clause: flags.contains('C') || believe,
            addressee: flags.contains('A'),
            gerund: false,
        };
        for form in [lemma, third, past] {
            if !NOT_CUES.contains(&form) {
                cues.entry(form).or_insert(info);
            }
        }
        // "saying" is a cue after a comma ("…, saying …"), never a noun; keep it explicitly.
        if !NOT_CUES.contains(&gerund) || gerund == "saying" {
            cues.entry(gerund).or_insert(CueInfo {
                gerund: true,
                ..info
            });
        }
    }
    cues
});

/// The cue a (lowercase) word is, if any.
pub(crate) fn cue(word_lower: &str) -> Option<CueInfo> {
    if word_lower.len() < 3 || word_lower.len() > 13 {
        return None;
    }
    CUES.get(word_lower).copied()
}

/// Personal pronouns that can be a speaker, and whether each refers to one person.
pub(crate) const PRONOUNS: &[(&str, bool)] = &[
    ("he", true),
    ("she", true),
    ("they", false),
    ("we", false),
    ("i", true),
    ("it", false),
];

/// Endings of a contracted pronoun: "I'm", "she's", "they're", "we've", "he'd", "you'll".
const CONTRACTIONS: &[&str] = &["m", "s", "re", "ve", "d", "ll"];

/// The subject pronoun a lower-case word is, alone or contracted ("i'm", "she’s"): the pronoun
/// of [`PRONOUNS`] and whether it is singular.
pub(crate) fn pronoun(word: &str) -> Option<(&'static str, bool)> {
    let head = match word.split_once(['\'', '’']) {
        Some((head, ending)) if CONTRACTIONS.contains(&ending) => head,
        Some(_) => return None,
        None => word,
    };
    PRONOUNS
        .iter()
        .find(|(pronoun, _)| *pronoun == head)
        .copied()
}

/// Relative pronouns: "Paul, who accused …": the speaker is the noun phrase before them.
pub(crate) const RELATIVES: &[&str] = &["who", "which", "that"];

/// Honorifics that only ever stand before a name: the capitalised word after one is a
/// surname, even a word that is also a title ("Mr. King", "Mr. Prince").
pub(crate) const PERSONAL_TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "dr", "prof", "rev", "sir", "dame", "lord", "lady",
];

/// Honorifics that precede a name and are not part of it.
pub(crate) const HONORIFICS: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "sen",
    "rep",
    "gov",
    "gen",
    "prof",
    "rev",
    "sir",
    "dame",
    "lord",
    "lady",
    "president",
    "senator",
    "governor",
    "minister",
    "secretary",
    "sheriff",
    "mayor",
    "judge",
    "justice",
    "chancellor",
    "premier",
    "speaker",
    "chairman",
    "chairwoman",
    "representative",
    "congressman",
    "congresswoman",
    "ambassador",
    "general",
    "admiral",
    "colonel",
    "captain",
    "officer",
    "detective",
    "prime",
    "vice",
    "foreign",
    "defense",
    "defence",
    "state",
    "former",
    "candidate",
    "nominee",
    "leader",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "chief",
    "director",
    "spokesman",
    "spokeswoman",
    "spokesperson",
];

/// Capitalised words that start sentences or clauses and are never names.
pub(crate) const NOT_NAMES: &[&str] = &[
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "but",
    "and",
    "or",
    "so",
    "yet",
    "in",
    "on",
    "at",
    "as",
    "if",
    "when",
    "while",
    "after",
    "before",
    "since",
    "then",
    "there",
    "here",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "you",
    "his",
    "her",
    "their",
    "our",
    "my",
    "its",
    "meanwhile",
    "however",
    "still",
    "also",
    "both",
    "today",
    "yesterday",
    "tomorrow",
    "last",
    "next",
    "one",
    "some",
    "many",
    "most",
    "all",
    "no",
    "not",
    "what",
    "who",
    "why",
    "how",
    "where",
    "for",
    "with",
    "from",
    "by",
    "to",
    "of",
    "said",
    "says",
    "asked",
    "told",
    "according",
    "later",
    "earlier",
    "instead",
    "now",
    "once",
    "even",
    "just",
    "only",
    "other",
    "others",
    "another",
    "each",
    "every",
    "such",
    "because",
    "though",
    "although",
    "despite",
    "during",
    "without",
    "within",
    "about",
    "over",
    "under",
];

/// Nouns for a group of speakers: capitalised at the start of a sentence ("Analysts said",
/// "Police said") or as an abbreviation ("MPs"), they look like names but name nobody. A
/// speaker so named is a phrase, not a person.
const GROUP_NOUNS: &[&str] = &[
    "academics",
    "activists",
    "advisers",
    "advisors",
    "aides",
    "analysts",
    "attorneys",
    "authorities",
    "bosses",
    "brokers",
    "campaigners",
    "candidates",
    "commentators",
    "companies",
    "councillors",
    "critics",
    "dealers",
    "delegates",
    "demonstrators",
    "detectives",
    "diplomats",
    "doctors",
    "economists",
    "employees",
    "executives",
    "experts",
    "firms",
    "forecasters",
    "historians",
    "insiders",
    "inspectors",
    "investigators",
    "investors",
    "judges",
    "lawmakers",
    "lawyers",
    "legislators",
    "meps",
    "militants",
    "ministers",
    "mps",
    "negotiators",
    "observers",
    "officers",
    "officials",
    "opponents",
    "organisers",
    "organizers",
    "police",
    "pollsters",
    "prosecutors",
    "protesters",
    "rebels",
    "regulators",
    "rescuers",
    "researchers",
    "respondents",
    "residents",
    "scientists",
    "shareholders",
    "sources",
    "staff",
    "strategists",
    "supporters",
    "traders",
    "unions",
    "users",
    "voters",
    "witnesses",
    "workers",
];

/// True for a lowercase noun of [`GROUP_NOUNS`].
pub(crate) fn is_group_noun(lower: &str) -> bool {
    GROUP_NOUNS.contains(&lower)
}

/// A lowercase word of [`NOT_NAMES`], or a weekday or month name.
pub(crate) fn is_not_a_name(lower: &str) -> bool {
    NOT_NAMES.contains(&lower) || crate::dates::is_calendar_name_any_case(lower)
}

/// Common nouns that name a speaker by role ("a spokesman said"): resolved through entity
/// titles when one person in the article holds the role, otherwise left without a speaker.
pub(crate) const ROLE_NOUNS: &[&str] = &[
    "minister",
    "president",
    "senator",
    "secretary",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "governor",
    "mayor",
    "chief",
    "head",
    "director",
    "candidate",
    "nominee",
    "chairman",
    "chairwoman",
    "leader",
    "official",
    "ambassador",
    "congressman",
    "congresswoman",
    "representative",
    "judge",
    "general",
    "manager",
    "adviser",
    "advisor",
    "aide",
    "strategist",
    "businessman",
    "billionaire",
    "mogul",
    "frontrunner",
    "front-runner",
    "democrat",
    "republican",
    "lawmaker",
    "speaker",
    "chancellor",
    "premier",
    "king",
    "queen",
];

/// Abbreviations whose final period does not end a sentence.
pub(crate) const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt", "st", "jr",
    "sr", "inc", "corp", "co", "ltd", "vs", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "prof", "rev", "ft", "mt", "u.s", "u.k", "u.n", "d.c",
    "e.g", "i.e", "a.m", "p.m", "etc", "approx", "dept", "univ", "ave", "blvd",
];

/// Belief and stance verbs whose object, not a clause, is what the subject holds ("Christie
/// endorsed Trump", "Rubio wants to emerge as …", "voters asked how much …"): attributions
/// in PolNeAR's sense, though not speech. Read only for reported content, never as the cue
/// of a direct quote.
const STANCE_VERBS: &[(&str, &str, &str)] = &[
    ("want", "wants", "wanted"),
    ("support", "supports", "supported"),
    ("endorse", "endorses", "endorsed"),
    ("oppose", "opposes", "opposed"),
    ("propose", "proposes", "proposed"),
    ("criticize", "criticizes", "criticized"),
    ("criticise", "criticises", "criticised"),
    ("accuse", "accuses", "accused"),
    ("praise", "praises", "praised"),
    ("defend", "defends", "defended"),
    ("call", "calls", "called"),
    ("vow", "vows", "vowed"),
    ("urge", "urges", "urged"),
    ("ask", "asks", "asked"),
    ("seek", "seeks", "sought"),
    ("promise", "promises", "promised"),
    ("pledge", "pledges", "pledged"),
    ("reject", "rejects", "rejected"),
    ("blame", "blames", "blamed"),
    ("attack", "attacks", "attacked"),
    ("condemn", "condemns", "condemned"),
    ("demand", "demands", "demanded"),
    ("favor", "favors", "favored"),
    ("favour", "favours", "favoured"),
    ("prefer", "prefers", "preferred"),
    ("dismiss", "dismisses", "dismissed"),
    ("describe", "describes", "described"),
    ("cite", "cites", "cited"),
    ("mention", "mentions", "mentioned"),
    ("discuss", "discusses", "discussed"),
    ("announce", "announces", "announced"),
    ("plan", "plans", "planned"),
    ("intend", "intends", "intended"),
    ("refuse", "refuses", "refused"),
    ("decline", "declines", "declined"),
    ("threaten", "threatens", "threatened"),
    ("question", "questions", "questioned"),
    ("deny", "denies", "denied"),
    ("acknowledge", "acknowledges", "acknowledged"),
    ("admit", "admits", "admitted"),
    ("recommend", "recommends", "recommended"),
    ("back", "backs", "backed"),
    ("applaud", "applauds", "applauded"),
    ("welcome", "welcomes", "welcomed"),
    ("like", "likes", "liked"),
    ("love", "loves", "loved"),
    ("hate", "hates", "hated"),
    ("seem", "seems", "seemed"),
    ("appear", "appears", "appeared"),
];

static STANCE: LazyLock<FastMap<&'static str, ()>> = LazyLock::new(|| {
    STANCE_VERBS
        .iter()
        .flat_map(|&(lemma, third, past)| [lemma, third, past])
        .map(|form| (form, ()))
        .collect()
});

/// What a word is to attribution, looked up once per token when the paragraph is tokenised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WordClass {
    pub cue: Option<CueInfo>,
    pub stance: bool,
}

static CLASSES: LazyLock<FastMap<&'static str, WordClass>> = LazyLock::new(|| {
    let mut classes: FastMap<&'static str, WordClass> = FastMap::default();
    for (&word, &info) in CUES.iter() {
        classes
            .entry(word)
            .or_insert(WordClass {
                cue: None,
                stance: false,
            })
            .cue = Some(info);
    }
    for &word in STANCE.keys() {
        classes
            .entry(word)
            .or_insert(WordClass {
                cue: None,
                stance: false,
            })
            .stance = true;
    }
    classes
});

/// The class of a (lowercase) word, if it is a cue or a stance verb.
pub(crate) fn classify(word_lower: &str) -> Option<WordClass> {
    if word_lower.len() < 3 || word_lower.len() > 13 {
        return None;
    }
    CLASSES.get(word_lower).copied()
}

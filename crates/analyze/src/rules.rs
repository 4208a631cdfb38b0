//! Pattern tables the analysers use. Extending copydesk to a new publisher's boilerplate or a
//! new wire agency is an edit here, not new code.

/// Wire agencies: the name used in credits, then every spelling that names it. Matched
/// case-sensitively as whole words (so "ap" in running text is not AP).
pub const AGENCIES: &[(&str, &[&str])] = &[
    (
        "AFP",
        &[
            "AFP",
            "Agence France-Presse",
            "Agence France Presse",
            "France-Presse",
        ],
    ),
    ("AP", &["AP", "Associated Press", "The Associated Press"]),
    ("Reuters", &["Reuters", "REUTERS", "Thomson Reuters"]),
    ("EFE", &["EFE", "Agencia EFE"]),
    ("dpa", &["dpa", "DPA", "Deutsche Presse-Agentur"]),
    ("ANSA", &["ANSA"]),
    ("Xinhua", &["Xinhua", "XINHUA"]),
    ("TASS", &["TASS", "Tass"]),
    ("Interfax", &["Interfax"]),
    ("RIA Novosti", &["RIA Novosti", "RIA"]),
    ("Bloomberg", &["Bloomberg"]),
    ("UPI", &["UPI", "United Press International"]),
    ("PA", &["PA", "PA Media", "Press Association"]),
    ("Europa Press", &["Europa Press"]),
    ("Kyodo", &["Kyodo", "Kyodo News"]),
    ("Yonhap", &["Yonhap"]),
    ("Anadolu", &["Anadolu", "Anadolu Agency"]),
    ("Ukrinform", &["Ukrinform"]),
    ("PTI", &["PTI", "Press Trust of India"]),
    ("IANS", &["IANS"]),
    ("AAP", &["AAP", "Australian Associated Press"]),
    ("CP", &["CP", "The Canadian Press", "Canadian Press"]),
    ("Lusa", &["Lusa"]),
    ("Notimex", &["Notimex"]),
    ("Sputnik", &["Sputnik"]),
    ("ANI", &["ANI"]),
];

/// A paragraph that is nothing but a credit line: the agencies it names are the credits.
/// Case-insensitive; the agency names themselves are found with [`AGENCIES`].
pub const CREDIT_LINES: &[&str] = &[
    r"^(?:with additional reporting|with information|with reporting|additional reporting|information|reporting|sources|source|courtesy|copyright|with)(?:\s+(?:from|by|of))?\s*:?\s*(?P<agencies>.{1,80}?)\.?$",
    r"^[-—–(\[]*\s*(?P<agencies>[A-Za-z][A-Za-z ./,&-]{0,40}?)\s*[)\]]*\.?$",
];

/// Paragraphs that are publisher boilerplate wherever they stand. Case-insensitive, whole
/// paragraph.
pub const BOILERPLATE_ANYWHERE: &[&str] = &[
    r"^advertisement$",
    r"^(?:share|tweet|email|print)(?: this)?(?: article| story| page)?$",
    r"^(?:read|see)\s+(?:more|also)\s*:?.{0,120}$",
    r"^related(?: articles| stories| coverage)?\s*:?$",
    r"^(?:\d+\s+)?comments?$",
    r"^(?:tags?|topics?)\s*:.{0,200}$",
];

/// Paragraphs that are publisher boilerplate when they close the article (only the trailing
/// run of such paragraphs is split off). Case-insensitive, searched anywhere in the paragraph.
pub const BOILERPLATE_TRAILING: &[&str] = &[
    r"^leave a (?:reply|replay|comment)",
    r"freely accessible to (?:all )?(?:our )?(?:readers|subscribers)",
    r"^(?:subscribe|sign up|register)(?: now| today)?(?: to| for)\b",
    r"\bnewsletter\b.{0,60}\b(?:sign up|subscribe|inbox)\b",
    r"^follow (?:us|\w+) on (?:twitter|x|facebook|instagram|telegram|whatsapp|google news)",
    r"^(?:click|tap) here\b",
    r"^(?:copyright\b|©|\(c\) \d{4})",
    r"\ball rights reserved\b",
    r"^we use cookies\b",
    r"^(?:this (?:article|story|content) (?:is|was) (?:available|free|brought to you))",
    r"^(?:download|get) (?:our|the) app\b",
    r"^(?:report an error|did you find an error)\b",
    r"^(?:support|become a member of) (?:our|independent) journalism\b",
];

/// Words that, glued to a number by a lost space ("February 24it"), are split off and the
/// repair recorded. Deliberately function words only: "24th", "10am", "5km", "1990s" must not
/// be touched, and no unit or suffix is a function word.
pub const GLUED_WORDS: &[&str] = &[
    "it", "the", "and", "in", "on", "of", "to", "at", "as", "is", "was", "were", "for", "but",
    "by", "he", "she", "we", "they", "that", "this", "with", "when", "while", "after", "before",
    "which", "who", "from", "or", "his", "her", "their", "its", "has", "had", "have", "will",
    "would", "said", "says", "also", "then", "there", "where",
];

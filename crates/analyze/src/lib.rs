//! Text analysis: an [`Article`] in, the same article enriched out.
//!
//! No I/O happens here and every public function is total: any input, however broken, gives a
//! result. Rules live as data (pattern tables in [`rules`]), not as one-off string matches.

pub mod clean;
pub mod dateline;
pub mod dates;
pub mod entities;
pub mod gazetteer;
mod hash;
pub mod quotes;
pub mod rules;
pub mod text;
pub mod titles;

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

/// Enriches an article in place with what the text says: dateline and byline, entities with
/// titles and aliases, dates, and quotes with their speakers. Every analyser keeps the crate's
/// promise: no I/O, no panic, offsets in code points.
pub fn analyze(article: &mut Article, options: &Options) {
    // Each analyser reads what the earlier ones found (quotes need the entities).
    let given_reference = options.reference_date.as_deref().and_then(dates::parse_iso);
    let published = article.published.as_deref().and_then(dates::parse_iso);
    dateline::find_dateline(article, published.or(given_reference));
    let published = article.published.as_deref().and_then(dates::parse_iso);
    let text = text::Text::new(&article.paragraphs);
    entities::find_entities(article, &text);
    dates::find_dates(
        article,
        &text,
        published.or(given_reference),
        published.is_some(),
    );
    // Last: quotes resolve speakers through the entities found above.
    quotes::find_quotes(article);
}

/// Builds what the analysis loads on first use (the NER model, the gazetteer, the word
/// tables, the patterns) by analysing a short built-in article. The first article analysed
/// would otherwise pay for it; a caller with other start-up work (loading plugins, opening
/// inputs) can run this on another thread meanwhile. Later calls cost one short analysis.
pub fn warm_up() {
    // The NER model first: it takes longest, and the first article's first steps (cleaning,
    // the dateline) need the patterns instead, which that article's thread then builds
    // meanwhile.
    ner::Tagger::default_model();
    warm_up_article();
}

/// The analysed warm-up article: one that goes down every path with a first-use cost.
fn warm_up_article() -> Article {
    let mut article = Article::new("warm-up");
    article.headline = "Minister says talks will resume".to_string();
    article.paragraphs = [
        "LONDON (Reuters) - Foreign Minister Anna Berg said on Monday that talks with \
         the United Nations in Geneva would resume next week.",
        "\"We are ready,\" she told reporters. Berg, 54, added that the European Union \
         had agreed to the plan on March 3, 2021.",
        "(Reporting by Jane Doe; Editing by John Smith)",
    ]
    .map(str::to_string)
    .to_vec();
    clean(&mut article);
    analyze(&mut article, &Options::default());
    article
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
    // The calendar (month lengths, leap years) is jiff's.
    let (Ok(year), Ok(month), Ok(day)) =
        (i16::try_from(year), i8::try_from(month), i8::try_from(day))
    else {
        return false;
    };
    jiff::civil::Date::new(year, month, day).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_warm_up_article_goes_down_every_analysis_path() {
        let article = super::warm_up_article();
        assert!(article.dateline.is_some(), "no dateline: {article:?}");
        assert!(!article.byline.is_empty(), "no byline: {article:?}");
        assert!(!article.quotes.is_empty(), "no quote: {article:?}");
        assert!(!article.dates.is_empty(), "no date: {article:?}");
        use article::EntityKind::{Organization, Person, Place};
        for kind in [Person, Organization, Place] {
            assert!(
                article.entities.iter().any(|entity| entity.kind == kind),
                "no {kind:?}: {:?}",
                article.entities
            );
        }
    }

    /// An article of `paragraphs`, analysed.
    fn analysed(paragraphs: &[&str]) -> article::Article {
        let mut article = article::Article::new("t");
        article.paragraphs = paragraphs.iter().map(|text| text.to_string()).collect();
        super::analyze(&mut article, &super::Options::default());
        article
    }

    #[test]
    fn a_party_is_one_organisation_whatever_it_is_called() {
        let article = analysed(&[
            "The Tories said the plan would fail.",
            "Tory leader Michael Howard spoke on Monday.",
            "The Conservatives and Labour disagreed.",
        ]);
        let party = article
            .entities
            .iter()
            .find(|entity| entity.name == "Conservative Party")
            .unwrap_or_else(|| panic!("no party: {:?}", article.entities));
        assert_eq!(party.kind, article::EntityKind::Organization);
        assert_eq!(party.mentions.len(), 3, "{party:?}");
        assert!(
            article
                .entities
                .iter()
                .any(|entity| entity.name == "Michael Howard"),
            "{:?}",
            article.entities
        );
    }

    /// The names of the entities `analyze` finds in `paragraphs`.
    fn entity_names(paragraphs: &[&str]) -> Vec<String> {
        analysed(paragraphs)
            .entities
            .into_iter()
            .map(|entity| entity.name)
            .collect()
    }

    #[test]
    fn a_name_takes_the_number_that_follows_it_but_not_a_count_or_a_score() {
        let names = entity_names(&[
            "Radio 1 said the station was not trying to replace Peel.",
            "The controller of BBC Radio 1 defended the choice, and Channel 4 agreed.",
        ]);
        assert_found(&names, &["Radio 1"]);
        assert_found(&names, &["Channel 4"]);
        assert!(!names.iter().any(|name| name == "Radio"), "{names:?}");
        let names = entity_names(&["Microsoft sold 3 million copies, and Google 2 million."]);
        assert!(!names.iter().any(|name| name.ends_with(" 2")), "{names:?}");
        let names = entity_names(&["Chelsea 2 Arsenal 1: the champions were beaten at home."]);
        assert!(!names.iter().any(|name| name == "Chelsea 2"), "{names:?}");
        // A known name keeps its words.
        let names = entity_names(&["Republicans have 24 seats up in November, Democrats 10."]);
        assert_found(&names, &["Democratic Party"]);
        assert!(!names.iter().any(|name| name.ends_with("10")), "{names:?}");
    }

    #[test]
    fn a_name_in_a_line_of_results_takes_no_score() {
        // Results lines of CoNLL-2003's Reuters sports pages, where each was a name.
        for text in [
            "Lotte 6 Hyundai 2",
            "Wigan 42 Bradford Bulls 36",
            "Leicestershire 22 points, Somerset 4.",
            "London (The Oval): Warwickshire 195, Surrey 429-7 (C. Lewis 80 not out).",
            "Giovanni Lombardi (Italy) Polti 5 seconds behind",
        ] {
            let names = entity_names(&[text]);
            assert!(
                !names.iter().any(|name| name.ends_with(char::is_numeric)),
                "{text}: {names:?}"
            );
        }
        // Sentences of the BBC corpus with several names that hold a number.
        let names = entity_names(&[
            "The likes of Halo 2 and Half-Life 2 triumphed in virtually every department.",
            "The details of PlayStation 3, Xbox 2 (codename Xenon) and Nintendo's so-called \
             Revolution are still to be finalised.",
            "Pundits included BBC Radio 1 DJ Trevor Nelson and BBC Radio 2 music editor Colin \
             Martin.",
        ]);
        assert_found(&names, &["Half-Life 2", "PlayStation 3", "BBC Radio 2"]);
    }

    #[test]
    fn a_name_keeps_the_bracket_it_opened() {
        // CoNLL-2003's Yugoslav fixtures name a club with its town's initial in brackets.
        let names = entity_names(&["Radnicki (N) - Spartak (to be played on Sunday)"]);
        assert_found(&names, &["Radnicki (N)"]);
    }

    #[test]
    fn an_institution_named_by_its_kind_keeps_it() {
        // The samples, where the trim of "Ministry" or "Court" left "of Foreign Affairs".
        let names = entity_names(&[
            "According to the Ministry of Foreign Affairs he died at Gleneagles Hospital.",
            "On Wednesday, the Court of Session in Scotland issued an opinion.",
        ]);
        assert_found(&names, &["Ministry of Foreign Affairs", "Court of Session"]);
        assert!(
            !names.iter().any(|name| name.starts_with("of ")),
            "{names:?}"
        );
        // Nor do interjections and initials name anything (interviews of the samples).
        let names = entity_names(&[
            "((Christian Keysers))  Ah.  So very briefly, what we do is this.",
            "Strains of Escherichia coli (E. coli) bacteria were found.",
        ]);
        for word in ["Ah", "E."] {
            assert!(!names.iter().any(|name| name == word), "{word}: {names:?}");
        }
    }

    #[test]
    fn a_peoples_name_alone_is_no_person() {
        // BBC sentences where the tagger made each a person.
        let names = typed_names(&[
            "In 2003, Britons spent £1,152m on games, more than ever before.",
            "By contrast Danes were most adept at losing mobile phones.",
        ]);
        assert_found(&names, &["other:Britons", "other:Danes"]);
        // A surname stays a person.
        let names = typed_names(&[
            "New Zealand Prime Minister Bill English announced the budget on Thursday.",
            "\"We will cut taxes,\" English said.",
        ]);
        assert_none_of_kind(&names, "other:");
    }

    #[test]
    fn a_known_place_the_tagger_calls_a_person_is_the_place() {
        // PolNeAR and the samples, where the tagger made each state a person.
        for (text, name) in [
            (
                "Voters head to the polls, along with those in Connecticut, Delaware, Maryland \
                 and Rhode Island.",
                "place:Delaware",
            ),
            (
                "On Tuesday, Democrats vote in Arizona, Idaho and Utah, with 131 delegates up \
                 for grabs.",
                "place:Idaho",
            ),
        ] {
            let names = typed_names(&[text]);
            assert_found(&names, &[name]);
        }
        // The word of a person's name stays the person's.
        let names = typed_names(&[
            "Michael Jordan scored 40 points.",
            "Jordan said the team had played well.",
        ]);
        assert_none_of_kind(&names, "place:");
    }

    #[test]
    fn a_sovereign_is_a_person_with_the_numeral_of_the_reign() {
        // The samples, where "Queen Elizabeth II" was an organisation and "XVI" one of its own.
        let article = analysed(&[
            "Queen Elizabeth II suspended parliament at the behest of Boris Johnson.",
            "Pope Benedict XVI and King Charles III met on Tuesday.",
        ]);
        let people: Vec<(String, Vec<String>)> = article
            .entities
            .iter()
            .filter(|entity| entity.kind == article::EntityKind::Person)
            .map(|entity| (entity.name.clone(), entity.titles.clone()))
            .collect();
        for (name, title) in [
            ("Elizabeth II", "Queen"),
            ("Benedict XVI", "Pope"),
            ("Charles III", "King"),
        ] {
            assert!(
                people
                    .iter()
                    .any(|(found, titles)| found == name && titles == &[title]),
                "{name}: {people:?}"
            );
        }
        assert_eq!(people.len(), 4, "{people:?}");
    }

    #[test]
    fn a_person_named_like_an_institution_is_an_organisation() {
        // The samples, where the tagger made it a person.
        let names = typed_names(&[
            "According to Johns Hopkins Center for Systems Science and Engineering, there are \
             142 cases.",
        ]);
        assert_found(&names, &["organization:Johns Hopkins Center"]);
    }

    #[test]
    fn a_name_after_an_honorific_is_a_person() {
        // BBC and PolNeAR, where the tagger made each a place.
        let names = typed_names(&[
            "The Attorney General, Lord Goldsmith, gave his advice on Monday.",
            "The Washington Post columnist Ruth Marcus has been critical of Mr. Trump.",
        ]);
        for name in &names {
            if name.contains("Goldsmith") || name.contains("Trump") {
                assert!(name.starts_with("person:"), "{names:?}");
            }
        }
        assert!(
            names
                .iter()
                .filter(|name| name.starts_with("person:"))
                .count()
                >= 3,
            "{names:?}"
        );
        // A title or a pageant is not one.
        let names = typed_names(&["The Lord Mayor of Melbourne met Miss Universe on Friday."]);
        assert!(!names.iter().any(|name| name.contains(":of ")), "{names:?}");
        assert!(
            !names.iter().any(|name| name == "person:Universe"),
            "{names:?}"
        );
    }

    #[test]
    fn a_storm_is_of_the_kind_other() {
        // The samples, where the tagger made each a person.
        let names = typed_names(&[
            "Puerto Rico had still not fully recovered from 2017's Hurricane Maria.",
            "Phanfone damaged similar regions to Typhoon Haiyan, which killed over 6,000 people \
             in 2013. It is like the younger sibling of Haiyan.",
        ]);
        let storms: Vec<&String> = names
            .iter()
            .filter(|name| name.contains("Maria") || name.contains("Haiyan"))
            .collect();
        assert!(storms.len() >= 2, "{names:?}");
        assert!(
            storms.iter().all(|name| name.starts_with("other:")),
            "{names:?}"
        );
    }

    #[test]
    fn a_time_zone_is_of_the_kind_other() {
        // The samples, where the tagger made "UTC" an organisation.
        let names = typed_names(&["At 17:00 UTC the polls closed in Texas."]);
        assert_found(&names, &["other:UTC"]);
    }

    #[test]
    fn a_place_or_organisation_named_as_a_person_of_the_article_is_the_person() {
        // PolNeAR, where the tagger made "Bernie Sanders of Vermont" one organisation.
        let names = typed_names(&[
            "Despite a month of sharpened attacks, Bernie Sanders has failed to dent Hillary \
             Clinton's lead.",
            "\"We will win,\" Mr. Sanders told supporters on Monday.",
            "But one naysayer remained - Senator Bernie Sanders of Vermont, who had opposed a \
             similar effort.",
        ]);
        assert!(names.iter().all(|name| !name.contains(" of ")), "{names:?}");
        assert_found(&names, &["place:Vermont"]);
        // PolNeAR, where the tagger made the president a place.
        let names = typed_names(&[
            "It was a violation of the Memorandum of Understanding with the Obama \
             administration.",
        ]);
        assert_found(&names, &["person:Obama"]);
    }

    #[test]
    fn a_state_before_a_score_is_its_team() {
        // CoNLL-2003 results, where the gazetteer made the states' teams places; in a sentence
        // of prose the state stays a place.
        let names = typed_names(&["Florida 10 St Louis 9", "Cincinnati 18 COLORADO 7"]);
        assert_found(&names, &["organization:Florida", "organization:COLORADO"]);
        let names = typed_names(&["Voters in Florida went to the polls on Tuesday."]);
        assert!(
            names.iter().any(|found| found == "place:Florida"),
            "{names:?}"
        );
    }

    #[test]
    fn an_amount_of_money_is_no_name() {
        let texts = [
            "Lenovo's profit for the three months to December was HK$327m (US$42m; £22m), \
             less than 1% up on the year before.",
            "Lenovo's sales were down 3.7% by revenue to HK$6.31bn.",
            "Jugnot made 5.45m Euros (£3.77m) last year, according to a table.",
            "Audrey Tautou was in 10th place, earning 885,000 Euros (£611,000).",
            "Depardieu made 3.35m Euros (£2.31m), putting him third.",
            "Preview performances of the £3m musical Billy Elliot have been delayed.",
            "The Passion of the Christ made more than US$370m (£196m) in the US alone.",
        ];
        for text in texts {
            let names = entity_names(&[text]);
            let amounts: Vec<&String> = names
                .iter()
                .filter(|name| name.contains(|c: char| c.is_ascii_digit()) || *name == "Euros")
                .collect();
            assert!(amounts.is_empty(), "{text}: {names:?}");
        }
        // Names with digits stay names.
        let names = entity_names(&["3M said its sales rose, and Radio 4 reported it."]);
        assert_found(&names, &["3M", "Radio 4"]);
        for (words, amount) in [
            (&["HK$327m"][..], true),
            (&["US$42m"], true),
            (&["€15"], true),
            (&["3m"], true),
            (&["5.45m", "Euros"], true),
            (&["885,000", "Euros"], true),
            (&["3M"], false),
            (&["G7"], false),
            (&["DB9"], false),
            (&["1988", "Lockerbie"], false),
            (&["Euro", "2004"], false),
            (&["2000"], false),
        ] {
            assert_eq!(crate::entities::is_amount(words), amount, "{words:?}");
        }
    }

    /// Asserts that `names` holds each of `expected`.
    fn assert_found(names: &[String], expected: &[&str]) {
        for name in expected {
            assert!(names.iter().any(|found| found == name), "{name}: {names:?}");
        }
    }

    /// Asserts that no name of `names` is of the kind `kind` ("other:").
    fn assert_none_of_kind(names: &[String], kind: &str) {
        assert!(
            !names.iter().any(|found| found.starts_with(kind)),
            "{names:?}"
        );
    }

    /// The entities `analyze` finds in `paragraphs`, as "kind:name".
    fn typed_names(paragraphs: &[&str]) -> Vec<String> {
        analysed(paragraphs)
            .entities
            .into_iter()
            .map(|entity| format!("{}:{}", entity.kind.as_str(), entity.name))
            .collect()
    }

    #[test]
    fn words_that_name_nothing_alone_are_no_entities() {
        // Sentences of the BBC corpus where these were people, places or organisations.
        let texts = [
            "Before joining I'm a Celebrity, he had signed up to play.",
            "It was just like God's doing that. I'm one with them records right there.",
            "Consumers spent gift vouchers they had been given for Christmas.",
            "It signed a deal to buy the PC division of personal computer pioneer IBM.",
            "The film is out on DVD next month.",
            "Griffin is the twelfth man to be arrested. Nine men from West Yorkshire were held.",
            // PolNeAR.
            "Oh, okay. I guess that settles it, said Simon.",
            "Clinton said on ABC's \"This Week\" on Sunday that she would win.",
            "He is ahead of his rivals, particularly Sens. Ted Cruz and Marco Rubio.",
            "Committee Chairman Trey Gowdy (R-S.C.) sent a letter to Comey.",
            // Pronouns, conjunctions and adverbs opening sentences (BBC, PolNeAR, samples).
            "It had been expected. Neither will appear in either debate on Tuesday.",
            "Anybody who says he doesn't deserve it is jealous, said Robbie Williams.",
            "The race goes on. Unless further rivals quit, he cannot be stopped.",
            "((Perttu Ahola))  Historically when making most of my development contribution in \
             Minetest, or currently?",
            "''Personally, I would rather see him making an impact at local level first.",
        ];
        for text in texts {
            let names = typed_names(&[text]);
            for word in [
                "I'm",
                "Christmas",
                "PC",
                "DVD",
                "Nine",
                "Oh",
                "Week",
                "Sens",
                "Neither",
                "Anybody",
                "Unless",
                "Historically",
                "Personally",
                "R-S.C",
            ] {
                assert!(
                    !names.iter().any(|name| name.ends_with(&format!(":{word}"))),
                    "{text}: {names:?}"
                );
            }
        }
        // Nor do they speak: the quote has no speaker rather than one called "PC".
        let article = analysed(&[
            "The PC division of the company was sold last year.",
            "\"It will be lively,\" PC said.",
        ]);
        assert!(
            !article.entities.iter().any(|entity| entity.name == "PC"),
            "{:?}",
            article.entities
        );
    }

    #[test]
    fn known_companies_and_awards_get_their_kind() {
        let names = typed_names(&[
            "The quarter was dwarfed by the $204m announced by rival Google earlier in the week.",
            "Panels made by the likes of Sony and Samsung use liquid-crystal displays.",
            "He co-wrote the screenplay and got an Oscar nomination for it.",
            // PolNeAR, where it was a place in 25 articles.
            "Islamic State claimed responsibility for the attack on Friday.",
        ]);
        for expected in [
            "organization:Islamic State",
            "organization:Google",
            "organization:Sony",
            "organization:Samsung",
            "other:Academy Awards",
        ] {
            assert!(
                names.iter().any(|name| name == expected),
                "{expected}: {names:?}"
            );
        }
        // A known name takes in the part of it the tagger found ("Dem" of "Lib Dem").
        let names =
            typed_names(&["Meanwhile Lib Dem leader Charles Kennedy is expected to speak."]);
        assert_found(&names, &["organization:Liberal Democrats"]);
        assert!(
            !names.iter().any(|name| name.ends_with(":Dem")),
            "{names:?}"
        );
        // A known name of several words is not the person the tagger took it for, whether or
        // not its words are also common ones ("Golden Globe").
        let names = typed_names(&[
            "Voters in North Carolina and Rhode Island went to the polls.",
            "His portrayal of Ray Charles had already earned him a prestigious Golden Globe \
             award.",
        ]);
        for expected in [
            "place:North Carolina",
            "place:Rhode Island",
            "other:Golden Globe Awards",
        ] {
            assert!(
                names.iter().any(|name| name == expected),
                "{expected}: {names:?}"
            );
        }
        // In an interview, a word after the speaker's label opens its sentence.
        let names = typed_names(&[
            "((WN))  Thank you very much. Well, that would be all, thank you.",
            "((Valeria Gazzola))  Well, in a way, I would say it went well.",
            "((WN))  Tell me about your most memorable tournament.",
            "((WN))  Tell me about the challenges you had faced as a chess prodigy living in Iran.",
            "((WN))  Back in 2017, the World Rapid and Blitz Championship was held in Riyadh.",
            "((Dorsa Derakhshani))  I could not tell them, and I never went back.",
        ]);
        for word in [":Thank", ":Well", ":Tell", ":Back"] {
            assert!(!names.iter().any(|name| name.ends_with(word)), "{names:?}");
        }
        // A known name keeps a word that is no name by itself ("All").
        let names =
            typed_names(&["The All Blacks beat Wales, and All Black captain Tana Umaga smiled."]);
        assert_found(&names, &["organization:All Blacks"]);
        // PolNeAR's political news: a name opening with a word the analysis strips, groups,
        // and a legislator's party and state.
        let names = typed_names(&[
            "Sen. Bernie Sanders (I-Vt.) said the State Department had kept the emails.",
            "In response to Donald Trump’s proposal to bar Muslims from entering the United \
             States, Hillary Clinton spoke. Sen. Marco Rubio (R-Fla.) spoke on Capitol Hill.",
            "Trump has been under fire about recent comments he made regarding Muslims.",
        ]);
        for expected in [
            "organization:State Department",
            "other:Muslims",
            "place:Capitol Hill",
        ] {
            assert!(
                names.iter().any(|name| name == expected),
                "{expected}: {names:?}"
            );
        }
        for wrong in [":Department", ":I-Vt", ":R-Fla"] {
            assert!(
                !names.iter().any(|name| name.ends_with(wrong)),
                "{wrong}: {names:?}"
            );
        }
        // A club bears its city's name: the tagger's organisation stays one.
        let names = typed_names(&[
            "Liverpool manager Rafael Benitez was pleased after Liverpool beat Chelsea 2-1.",
        ]);
        assert_found(&names, &["organization:Liverpool"]);
        // A person's name that holds a company's stays a person.
        let names = typed_names(&["Sony chief Howard Stringer said sales rose."]);
        assert_found(&names, &["person:Howard Stringer"]);
    }

    #[test]
    fn a_given_name_the_tagger_left_out_joins_its_person() {
        // The tagger finds "Charles" alone; "Ray" had become part of the title.
        let article = analysed(&[
            "The soul singer Ray Charles has died at his home in Los Angeles.",
            "Ray Charles was 73. Charles was born in Georgia.",
        ]);
        let people: Vec<(&str, &[String])> = article
            .entities
            .iter()
            .filter(|entity| entity.kind == article::EntityKind::Person)
            .map(|entity| (entity.name.as_str(), entity.titles.as_slice()))
            .collect();
        assert_eq!(people.len(), 1, "{people:?}");
        assert_eq!(people[0].0, "Ray Charles");
        assert_eq!(people[0].1, ["soul singer".to_string()]);
        // A title's abbreviation, written without its dot, is the title, not a given name, and
        // the person is the one named in full (BBC).
        let article = analysed(&[
            "Amitai Etzioni, a key influence on New Labour thinking, says the US is wrong.",
            "\"We must recognise that we will be unable to stop all attacks,\" Prof Etzioni \
             continues.",
            "The book says Prof Etzioni criticises the US.",
        ]);
        let people: Vec<&str> = article
            .entities
            .iter()
            .filter(|entity| entity.kind == article::EntityKind::Person)
            .map(|entity| entity.name.as_str())
            .collect();
        assert_eq!(people, ["Amitai Etzioni"]);
        // Two words inside a longer name, after a possessive or a number, are no given name and
        // surname, nor is a saint's or a title's abbreviation: whatever the tagger made of the
        // last word, the one before stays out.
        // (Sentences of the BBC and PolNeAR corpora where the tagger takes the last word for a
        // person.)
        for (text, word) in [
            (
                "It is the second most visited attraction, behind Blackpool Pleasure Beach.",
                "Pleasure",
            ),
            (
                "The 1965 Fender Stratocaster was one of a number of guitars sold.",
                "Fender",
            ),
            (
                "He found fame in the comedy Bill and Ted's Excellent Adventure, and went on.",
                "Excellent",
            ),
            (
                "Sanders was raised when the two men talked at last month's Congressional Ball.",
                "Congressional",
            ),
            (
                "The incident happened at 0400 GMT on Monday in Chalfont St Peter.",
                "St",
            ),
            ("The service was led by Rev Jones yesterday.", "Rev"),
        ] {
            let names = typed_names(&[text]);
            assert!(
                !names
                    .iter()
                    .any(|name| name.starts_with("person:") && name.contains(word)),
                "{text}: {names:?}"
            );
        }
    }

    #[test]
    fn one_word_people_that_the_article_shows_to_be_organisations_are_organisations() {
        // Sentences of the BBC corpus, some shortened, where the tagger's person is a club or a
        // firm: a verb in the plural after it, a role in a squad, a noun for a firm before it
        // or its list.
        let organisations: [(&[&str], &str); 4] = [
            (
                &[
                    "Marcel Desailly insists there is no chance of history repeating itself when \
                     Chelsea take on Barcelona on Wednesday.",
                    "The French star was part of the Chelsea side crushed 5-1 at the Nou Camp in \
                     2000. \"Now everyone knows about Chelsea and is a little bit afraid of \
                     them,\" he said. Chelsea have not played Barcelona since that quarter-final \
                     tie five years ago.",
                ],
                "organization:Chelsea",
            ),
            (
                &["In a monthly report anti-virus firm Sophos said two messages made the list."],
                "organization:Sophos",
            ),
            (
                &[
                    "Support came from companies such as Nokia, Intel, Philips, Alcatel, France \
                   Telecom, Thomson and Telefonica.",
                ],
                "organization:Thomson",
            ),
            (
                &["But Larne boss Jimmy McGeough has yet to confirm the deal."],
                "organization:Larne",
            ),
        ];
        for (paragraphs, expected) in organisations {
            let names = typed_names(paragraphs);
            assert_found(&names, &[expected]);
        }
        // A plural after a list, a title or a verb is no clue, and a person of the article
        // bears the name of the last.
        let people: [(&[&str], &str); 5] = [
            (
                &["Serena Williams rejected claims that she and sister Venus are in decline."],
                "organization:Venus",
            ),
            (
                &["Both President Obama and Vice President Biden have survived criticism."],
                "organization:Biden",
            ),
            (
                &["He insisted thoughts of quitting Anfield are not in his mind right now."],
                "organization:Anfield",
            ),
            (
                &["Health Secretary John Reid and Labour peer Lord Haskins are warning of it."],
                "organization:Haskins",
            ),
            (
                &[
                    "Rock star Ozzy Osbourne tackled a burglar at his home.",
                    "The jewellery included two handmade wedding bands Ozzy gave her.",
                ],
                "organization:Ozzy",
            ),
        ];
        for (paragraphs, unexpected) in people {
            let names = typed_names(paragraphs);
            assert!(!names.iter().any(|name| name == unexpected), "{names:?}");
        }
    }

    #[test]
    fn works_and_publications_named_as_people_are_not_people() {
        // Sentences of the BBC corpus, some shortened: a title right after a noun for a work
        // is of the kind other, a publication's an organisation.
        let cases: [(&[&str], &[&str]); 3] = [
            (
                &[
                    "Its rivals include Finding Neverland and the British film Vera Drake, which \
                   has 11 nominations.",
                ],
                &["other:Vera Drake"],
            ),
            (
                &[
                    "The iPod mini is likely to be a hit, predicts Oliver Irish, editor of gadget \
                   magazine Stuff.",
                ],
                &["organization:Stuff", "person:Oliver Irish"],
            ),
            // Every mention of the title changes with it.
            (
                &[
                    "Mike Leigh was nominated for the period drama Vera Drake.",
                    "Vera Drake has 11 nominations.",
                    "Leigh said Vera Drake was made on a small budget.",
                ],
                &["other:Vera Drake"],
            ),
        ];
        for (paragraphs, expected) in cases {
            let names = typed_names(paragraphs);
            assert_found(&names, expected);
            assert!(
                !names.iter().any(|name| name == "person:Vera Drake"),
                "{names:?}"
            );
        }
    }
}

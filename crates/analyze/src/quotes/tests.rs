//! Data-driven tests: small texts and the quotes and speakers expected in them.
//!
//! The style cases run `find_quotes` alone, on articles without entities, so they also cover
//! the fallback that names speakers no entity covers. The seed article runs the whole
//! `analyze`.

use article::{Article, QuoteKind};

use super::find_quotes;

fn article_of(paragraphs: &[&str]) -> Article {
    let mut article = Article::new("t");
    article.paragraphs = paragraphs.iter().map(|p| p.to_string()).collect();
    article
}

/// An article of `paragraphs` through the whole analysis.
fn analysed(paragraphs: &[&str]) -> Article {
    let mut article = article_of(paragraphs);
    crate::analyze(&mut article, &crate::Options::default());
    article
}

/// (kind, text, speaker name or "" for none) for every quote found.
fn quotes_of(article: &Article) -> Vec<(QuoteKind, String, String)> {
    article
        .quotes
        .iter()
        .map(|quote| {
            (
                quote.kind,
                quote.text.clone(),
                quote
                    .speaker
                    .as_ref()
                    .map(|speaker| speaker.name.clone())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

/// The speaker of every quote found, or of those of `kind`, in order ("" for none).
fn speakers_of(article: &Article, kind: Option<QuoteKind>) -> Vec<String> {
    quotes_of(article)
        .into_iter()
        .filter(|(found, _, _)| kind.is_none_or(|kind| *found == kind))
        .map(|(_, _, speaker)| speaker)
        .collect()
}

/// A person `e1` of the article as the entity recogniser leaves it: `name` with `titles`, one
/// mention of the whole name at code points `start..` of paragraph `paragraph`.
fn person(name: &str, titles: &[&str], paragraph: usize, start: usize) -> article::Entity {
    article::Entity {
        id: "e1".into(),
        kind: article::EntityKind::Person,
        name: name.into(),
        aliases: Vec::new(),
        titles: titles.iter().map(|title| title.to_string()).collect(),
        mentions: vec![article::Mention {
            text: name.into(),
            span: article::Span {
                paragraph,
                start,
                end: start + name.chars().count(),
            },
        }],
    }
}

const D: QuoteKind = QuoteKind::Direct;
const I: QuoteKind = QuoteKind::Indirect;

struct Case {
    name: &'static str,
    paragraphs: &'static [&'static str],
    expected: &'static [(QuoteKind, &'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        name: "curly double, name then cue",
        paragraphs: &["“We will win,” Smith said."],
        expected: &[(D, "We will win,", "Smith")],
    },
    Case {
        name: "straight double, inverted cue",
        paragraphs: &["\"The plan is dead,\" said Maria Lopez, the mayor."],
        expected: &[(D, "The plan is dead,", "Maria Lopez")],
    },
    Case {
        name: "single marks with apostrophes inside",
        paragraphs: &["‘We haven’t seen Putin’s plan yet,’ Jones told reporters."],
        expected: &[(D, "We haven’t seen Putin’s plan yet,", "Jones")],
    },
    Case {
        name: "guillemets and low-high marks",
        paragraphs: &["«We shall see about that», Macron said. Merkel said: „Wir schaffen das.“"],
        expected: &[
            (D, "We shall see about that", "Macron"),
            (D, "Wir schaffen das.", "Merkel"),
        ],
    },
    Case {
        name: "nested quotes stay inside the outer quote",
        paragraphs: &["“He told me ‘never again’ and left,” Brown said."],
        expected: &[(D, "He told me ‘never again’ and left,", "Brown")],
    },
    Case {
        name: "colon before the quote",
        paragraphs: &["Ms Hewitt said: “Exports are falling and firms are worried.”"],
        expected: &[(D, "Exports are falling and firms are worried.", "Hewitt")],
    },
    Case {
        name: "pronoun resolves to the last person named",
        paragraphs: &[
            "“We are ready for the inspection,” Ann Baker said on Monday.",
            "“This factory will stay open,” she added.",
        ],
        expected: &[
            (D, "We are ready for the inspection,", "Ann Baker"),
            (D, "This factory will stay open,", "Ann Baker"),
        ],
    },
    Case {
        name: "carried over to the next quote in the paragraph",
        paragraphs: &["“First point,” Jones said. “And a second point that matters.”"],
        expected: &[
            (D, "First point,", "Jones"),
            (D, "And a second point that matters.", "Jones"),
        ],
    },
    Case {
        name: "multi-paragraph quote reopened at each paragraph",
        paragraphs: &[
            "Lee said: “The first part of the statement goes on here.",
            "“And the second part ends here.”",
        ],
        expected: &[(
            D,
            "The first part of the statement goes on here.\nAnd the second part ends here.",
            "Lee",
        )],
    },
    Case {
        name: "fragment inside reported speech",
        paragraphs: &["Antony Blinken stated that Putin “is not serious” about talks."],
        expected: &[
            (
                I,
                "that Putin “is not serious” about talks",
                "Antony Blinken",
            ),
            (D, "is not serious", "Antony Blinken"),
        ],
    },
    Case {
        name: "scare quotes are not quotations",
        paragraphs: &["The so-called “undercard” debate drew few viewers last night."],
        expected: &[],
    },
    Case {
        name: "indirect speech with and without that",
        paragraphs: &[
            "Sergei Lavrov said on Monday that Moscow supports peace negotiations.",
            "The talks had been derailed by the accusations, Lavrov said.",
        ],
        expected: &[
            (
                I,
                "that Moscow supports peace negotiations",
                "Sergei Lavrov",
            ),
            (
                I,
                "The talks had been derailed by the accusations",
                "Sergei Lavrov",
            ),
        ],
    },
    Case {
        name: "according to",
        paragraphs: &["According to Maria Lopez, the budget will be cut next year."],
        expected: &[(I, "the budget will be cut next year", "Maria Lopez")],
    },
    Case {
        name: "apostrophes alone make no quote",
        paragraphs: &["Putin’s aides haven’t seen the ’90s files at the Joneses’ house."],
        expected: &[],
    },
    Case {
        name: "a contracted I is the interviewee, no name",
        paragraphs: &["And I’m like, “That’s okay. I still love him.”"],
        expected: &[(D, "That’s okay. I still love him.", "")],
    },
    Case {
        name: "a capitalised group noun is no person",
        paragraphs: &["Analysts said the growth in new jobs was weaker than expected."],
        expected: &[(I, "the growth in new jobs was weaker than expected", "")],
    },
    Case {
        name: "a title before a possessive names nobody",
        paragraphs: &["As Mr Kok’s report noted: “The ink had scarcely dried.”"],
        expected: &[(D, "The ink had scarcely dried.", "")],
    },
    Case {
        name: "a surname after Mr. is a name, even a title's word",
        paragraphs: &["“It is particularly risky,” Mr. Prince said."],
        expected: &[(D, "It is particularly risky,", "Prince")],
    },
    Case {
        name: "Mr. and a surname open the sentence",
        paragraphs: &["Mr. Trump tries it, alternately shouting “Get them out of here.”"],
        expected: &[(D, "Get them out of here.", "Trump")],
    },
    Case {
        name: "a possessive after the cue qualifies the speaker",
        paragraphs: &["“The market is huge,” said Gartner’s principal analyst Kobita Desai."],
        expected: &[(D, "The market is huge,", "Kobita Desai")],
    },
    Case {
        name: "a decimal point ends no sentence",
        paragraphs: &["TimeWarner said fourth quarter sales rose 2% to $11.1bn from $10.9bn."],
        expected: &[(
            I,
            "fourth quarter sales rose 2% to $11.1bn from $10.9bn",
            "TimeWarner",
        )],
    },
    Case {
        name: "a common word opening a sentence names nobody",
        paragraphs: &[
            "More recently, the more cautious buyers said prices would fall.",
            "Speaking on BBC Radio 4, Jane Hill said the plan would fail.",
            "Originally called “Jerry’s Guide to the World Wide Web”, the site grew fast.",
            "Optimists say the market will recover.",
        ],
        expected: &[
            (I, "prices would fall", ""),
            (I, "the plan would fail", "Jane Hill"),
            (D, "Jerry’s Guide to the World Wide Web", ""),
            (I, "the market will recover", ""),
        ],
    },
    Case {
        name: "unknown speaker stays null",
        paragraphs: &["“Nobody knows what happens next in this race.”"],
        expected: &[(D, "Nobody knows what happens next in this race.", "")],
    },
];

#[test]
fn quotation_styles_and_speakers() {
    let mut failures = Vec::new();
    for case in CASES {
        let mut article = article_of(case.paragraphs);
        find_quotes(&mut article);
        let found = quotes_of(&article);
        let expected: Vec<(QuoteKind, String, String)> = case
            .expected
            .iter()
            .map(|(kind, text, speaker)| (*kind, text.to_string(), speaker.to_string()))
            .collect();
        if found != expected {
            failures.push(format!(
                "{}:\n  expected {expected:?}\n  found    {found:?}",
                case.name
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn title_resolves_to_the_holder() {
    let mut article = article_of(&[
        "The head of US diplomacy, Antony Blinken, spoke to senators.",
        "“We have tried,” the head of US diplomacy said.",
    ]);
    let mut blinken = person("Antony Blinken", &["the head of US diplomacy"], 0, 27);
    blinken.aliases = vec!["Blinken".into()];
    article.entities = vec![blinken];
    find_quotes(&mut article);
    let quote = &article.quotes[0];
    let speaker = quote.speaker.as_ref().expect("a speaker");
    assert_eq!(speaker.entity, "e1");
    assert_eq!(quote.rule, "title-cue");
    assert_eq!(
        article.span_text(&speaker.span.expect("a span")),
        Some("the head of US diplomacy")
    );
}

#[test]
fn spans_point_at_the_words() {
    let mut article = article_of(&["Intro. “Despite é the fact,” Putin told Guterres."]);
    find_quotes(&mut article);
    let quote = &article.quotes[0];
    assert_eq!(
        article.span_text(&quote.spans[0]),
        Some("Despite é the fact,")
    );
    assert_eq!(
        article.span_text(&quote.cue_span.expect("cue")),
        Some("told")
    );
    let addressee = quote.addressee.as_ref().expect("an addressee");
    assert_eq!(addressee.name, "Guterres");
    let speaker = quote.speaker.as_ref().expect("a speaker");
    assert!(
        article
            .entities
            .iter()
            .any(|entity| entity.id == speaker.entity)
    );
}

#[test]
fn the_person_with_introduces_before_a_gerund_speaks() {
    // PolNeAR: not a name of the main clause ("the United States", "Republicans"), but the
    // person "with" introduces.
    let article = analysed(&[
        "The attack sparked a fresh debate over how the United States responds to militant \
         violence at home and abroad, with Republican Senator John McCain telling reporters on \
         Thursday he viewed Obama as “directly responsible” for the attack.",
        "Republicans were quick to chime in, with Donald Trump tweeting that it was a \
         \"disaster\" for Clinton.",
    ]);
    let speakers = speakers_of(&article, None);
    assert_eq!(speakers, ["John McCain", "Donald Trump"]);
}

#[test]
fn the_person_before_an_appositive_speaks() {
    // PolNeAR, where a name inside the appositive spoke, or the title found another holder.
    let article = analysed(&[
        "\"We think the government is in an overreach position,\" Matdos Santos, legal director \
         for ACLU of Oregon, said over the phone.",
        "\"Twitter works as a way to sell books,\" James B. Comey Jr., the director of the \
         Federal Bureau of Investigation, said on Wednesday.",
        "\"Trump is the leader of a populism that is growing,\" Massimo Franco, a columnist for \
         the Italian newspaper Corriere della Sera, said in an interview.",
    ]);
    let speakers = speakers_of(&article, None);
    assert_eq!(
        speakers,
        ["Matdos Santos", "James B. Comey Jr.", "Massimo Franco"]
    );
}

#[test]
fn a_quote_that_ends_its_sentence_after_a_cue_is_that_cues() {
    // As in BBC and PolNeAR: the next sentence's cue introduces the next quote.
    let article = analysed(&[
        "Sarah Cooper and Scott Sullivan met the board on Monday.",
        "Ms Cooper said: \"We will win this case.\" Mr Sullivan added: \"Nobody doubts it.\"",
    ]);
    let speakers = speakers_of(&article, None);
    assert_eq!(speakers, ["Sarah Cooper", "Scott Sullivan"]);
}

#[test]
fn a_fragment_of_a_reported_clause_is_its_cues() {
    // PolNeAR: the next clause's cue, after "and", is not the fragment's; nor is a place in
    // an apposition before the cue its speaker.
    let article = analysed(&[
        "Mostly, they've offered colorful language about dropping bombs. Ted Cruz said he'd make \
         sand \"glow in the dark,\" for instance, and Donald Trump vowed to bomb them.",
        "Hillary Clinton, during a town hall meeting in Columbus, Ohio, said she was \"going to \
         put a lot of coal miners out of business,\" while explaining her plan.",
    ]);
    let speakers = speakers_of(&article, Some(D));
    assert_eq!(speakers, ["Ted Cruz", "Hillary Clinton"]);
}

#[test]
fn a_speaker_follows_a_doubled_apostrophe_closing() {
    // The New York Times' style in PolNeAR: ''…'' for quotation marks.
    let article = analysed(&[
        "Hillary Clinton and Elizabeth Warren spoke in Cincinnati.",
        "''Why do the richest Americans get away with it?'' Mrs. Clinton asked.",
    ]);
    let speakers = speakers_of(&article, Some(D));
    assert_eq!(speakers, ["Hillary Clinton"]);
}

#[test]
fn a_contracted_pronoun_resolves_as_the_pronoun() {
    let speakers = |cue: &str| -> Vec<String> {
        let article = analysed(&[
            "Maria Lopez, the mayor of Riverton, opened the meeting on Monday.",
            &format!("“We will win this vote,” {cue}."),
        ]);
        quotes_of(&article)
            .into_iter()
            .map(|(_, _, speaker)| speaker)
            .collect()
    };
    assert_eq!(speakers("she said"), ["Maria Lopez"]);
    assert_eq!(speakers("she’d said"), ["Maria Lopez"]);
    assert_eq!(speakers("she's said"), ["Maria Lopez"]);
}

#[test]
fn a_subject_opening_with_common_words_is_headed_by_its_name() {
    let article = analysed(&[
        "The former governor spoke first.",
        "Former Arkansas governor Mike Huckabee called the program “worse than amnesty.”",
        "As Tory leader Michael Howard began his campaign, Charles Kennedy called the Tories a “fading” force.",
    ]);
    let direct: Vec<(String, String)> = quotes_of(&article)
        .into_iter()
        .filter(|(kind, _, _)| *kind == D)
        .map(|(_, text, speaker)| (text, speaker))
        .collect();
    let expected = [
        ("worse than amnesty.", "Mike Huckabee"),
        ("fading", "Charles Kennedy"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(text, speaker)| (text.to_string(), speaker.to_string()))
        .collect();
    assert_eq!(direct, expected);
}

#[test]
fn groups_and_titles_make_no_entities() {
    let mut article = article_of(&[
        "Analysts said the growth in new jobs was weaker than expected.",
        "The MPs said the regulator should have more power.",
        "Critics accuse the board of throwing away a lead.",
        "The MEP said he was ashamed to have joined the party.",
    ]);
    find_quotes(&mut article);
    assert!(article.entities.is_empty(), "{:?}", article.entities);
    let sources: Vec<&str> = article
        .quotes
        .iter()
        .filter_map(|quote| Some(quote.source.as_ref()?.text.as_str()))
        .collect();
    // A group holds views, so a stance verb after one is an attribution too.
    assert_eq!(sources, ["Analysts", "The MPs", "Critics", "MEP"]);
    assert!(article.quotes.iter().all(|quote| quote.speaker.is_none()));
}

#[test]
fn a_number_is_nobody_and_a_share_of_people_is_a_source() {
    let mut article = article_of(&[
        "Fifty percent of Europeans said the size of a phone mattered most.",
        "Six in 10 say he is at least somewhat decisive.",
        "Seventeen rockets struck near the base, said Mr Jones.",
        "Eighty firms have switched on software to stop attacks automatically.",
        "Five said it had received 100 complaints.",
    ]);
    find_quotes(&mut article);
    let people: Vec<(&str, article::EntityKind)> = article
        .entities
        .iter()
        .map(|entity| (entity.name.as_str(), entity.kind))
        .collect();
    // A channel so named speaks as an organisation.
    assert_eq!(
        people,
        [
            ("Jones", article::EntityKind::Person),
            ("Five", article::EntityKind::Organization)
        ]
    );
    let sources: Vec<&str> = article
        .quotes
        .iter()
        .filter_map(|quote| Some(quote.source.as_ref()?.text.as_str()))
        .collect();
    assert_eq!(sources, ["Fifty percent of Europeans", "Six in 10"]);
    // No quote of the firms' software: "Eighty" cannot hold a stance.
    assert!(
        article
            .quotes
            .iter()
            .all(|quote| !quote.text.contains("automatically")),
        "{:?}",
        article.quotes
    );
}

#[test]
fn a_title_alone_is_its_holder_or_nobody_and_a_name_after_an_honorific_is_a_name() {
    let mut article = article_of(&[
        "Cardinal Cormac Murphy-O'Connor spoke of the war.",
        "On Friday, the Cardinal will ask the congregation to search for peace.",
        "Mr. Prince said the company would appeal.",
    ]);
    article.entities = vec![person("Cormac Murphy-O'Connor", &["Cardinal"], 0, 9)];
    find_quotes(&mut article);
    assert_eq!(
        speakers_of(&article, None),
        ["Cormac Murphy-O'Connor", "Prince"]
    );
}

#[test]
fn an_empty_it_names_no_speaker_and_like_and_back_are_mostly_no_stance() {
    let speakers = |paragraphs: &[&str]| -> Vec<(String, String)> {
        analysed(paragraphs)
            .quotes
            .iter()
            .map(|quote| {
                let speaker = quote.speaker.as_ref().map(|speaker| speaker.name.clone());
                (
                    quote.cue.clone().unwrap_or_default(),
                    speaker.unwrap_or_default(),
                )
            })
            .collect()
    };
    let opening =
        "The European Union said on Monday that its trade had risen by a tenth last year.";
    for (sentence, cue) in [
        (
            "It is thought that the brand will be sold before the summer.",
            "thought",
        ),
        (
            "It was widely expected that the board would approve the sale.",
            "expected",
        ),
        (
            "It has been reported that the buyer is a rival firm from Japan.",
            "reported",
        ),
        (
            "It's hoped the deal will close before the end of the year.",
            "hoped",
        ),
    ] {
        let found = speakers(&[opening, sentence]);
        assert!(
            found.contains(&(cue.to_string(), String::new())),
            "{sentence}: {found:?}"
        );
    }
    // "it" that stands for the union still names it.
    let found = speakers(&[
        opening,
        "It said that the brand would be sold before the summer.",
    ]);
    assert!(
        found.contains(&("said".to_string(), "European Union".to_string())),
        "{found:?}"
    );
    // "It seems" holds no one's view, nor do "artists like …" or "people who like …".
    for sentence in [
        "It seems that the brand will be sold before the summer.",
        "Unilever has signed artists like Joss Stone for its adverts.",
        "People who like the brand will be sad to see it sold.",
    ] {
        let found = speakers(&[opening, sentence]);
        assert!(
            !found
                .iter()
                .any(|(cue, _)| matches!(cue.as_str(), "seems" | "like")),
            "{sentence}: {found:?}"
        );
    }
    // "back" after a verb of motion or money is its particle; after its subject, a stance.
    let found = speakers(&[opening, "It has bounced back strongly since the spring."]);
    assert!(!found.iter().any(|(cue, _)| cue == "back"), "{found:?}");
    let found = speakers(&["The unions back the plan to sell the brand before the summer."]);
    assert!(found.iter().any(|(cue, _)| cue == "back"), "{found:?}");
    // A wish is a stance.
    let found = speakers(&["Unilever would like to sell the brand before the summer."]);
    assert!(
        found.contains(&("like".to_string(), "Unilever".to_string())),
        "{found:?}"
    );
}

#[test]
fn a_speaker_spoken_of_as_it_is_an_organisation() {
    let kinds = |paragraphs: &[&str]| -> Vec<(String, article::EntityKind)> {
        let mut article = article_of(paragraphs);
        find_quotes(&mut article);
        article
            .entities
            .iter()
            .map(|entity| (entity.name.clone(), entity.kind))
            .collect()
    };
    use article::EntityKind::{Organization, Person};
    assert_eq!(
        kinds(&["Zantor said it would appeal against the ruling."]),
        [("Zantor".to_string(), Organization)]
    );
    // The first quote made a person of the name; the second shows it is not one.
    assert_eq!(
        kinds(&[
            "Zantor said the ruling was wrong.",
            "Zantor has said that it would appeal against the ruling.",
        ]),
        [("Zantor".to_string(), Organization)]
    );
    assert_eq!(
        kinds(&["Zantor said she would appeal against the ruling."]),
        [("Zantor".to_string(), Person)]
    );
    // An institution is an organisation whatever pronoun follows.
    assert_eq!(
        kinds(&["Last week Tony Blair assured Parliament that the bill was fair."]),
        [
            ("Tony Blair".to_string(), Person),
            ("Parliament".to_string(), Organization)
        ]
    );
}

#[test]
fn a_tagged_one_word_person_spoken_of_as_it_is_an_organisation() {
    use article::EntityKind;
    // As the tagger leaves it: "Zantor" a person, once after "Mr" in the second case.
    let kind_after = |paragraph: &str, start: usize| -> EntityKind {
        let mut article = article_of(&[paragraph]);
        article.entities.push(person("Zantor", &[], 0, start));
        find_quotes(&mut article);
        article.entities[0].kind
    };
    assert_eq!(
        kind_after("Zantor has said it wanted to sell more games.", 0),
        EntityKind::Organization
    );
    assert_eq!(
        kind_after("Mr Zantor has said it wanted to sell more games.", 3),
        EntityKind::Person
    );
    assert_eq!(
        kind_after("Zantor has said she wanted to sell more games.", 0),
        EntityKind::Person
    );
}

#[test]
fn seed_article() {
    let seed = include_str!("../../../../samples/seed-article.txt");
    let mut article = article_of(&seed.split("\n\n").skip(1).collect::<Vec<_>>());
    crate::clean(&mut article);
    crate::analyze(&mut article, &crate::Options::default());
    let speaker_of = |start: &str| -> Option<String> {
        article
            .quotes
            .iter()
            .find(|quote| quote.kind == QuoteKind::Direct && quote.text.starts_with(start))
            .map(|quote| {
                quote
                    .speaker
                    .as_ref()
                    .map(|speaker| speaker.name.clone())
                    .unwrap_or_default()
            })
    };
    for (start, speaker) in [
        ("Despite the fact", "Vladimir Putin"),
        ("There was a provocation", "Vladimir Putin"),
        ("We haven’t seen any signs", "Antony Blinken"),
        ("Our purpose is", "Antony Blinken"),
        ("We have tried", "Antony Blinken"),
        ("It was very clear", "Antony Blinken"),
        ("is not serious", "Antony Blinken"),
        // Paul says Biden proclaimed it; the text does not make it anyone's own words.
        ("Ukrainian entry into NATO.", ""),
    ] {
        assert_eq!(
            speaker_of(start).as_deref(),
            Some(speaker),
            "quote {start:?}"
        );
    }
    let first = article
        .quotes
        .iter()
        .find(|quote| quote.text.starts_with("Despite the fact"))
        .expect("the first quote");
    assert_eq!(
        first.addressee.as_ref().map(|who| who.name.as_str()),
        Some("Antonio Guterres")
    );
    let lavrov = article
        .quotes
        .iter()
        .find(|quote| quote.kind == QuoteKind::Indirect && quote.text.starts_with("that Moscow"))
        .expect("Lavrov's reported speech");
    assert_eq!(
        lavrov.speaker.as_ref().map(|who| who.name.as_str()),
        Some("Sergei Lavrov")
    );
}

#[test]
fn the_subject_follows_any_number_of_opening_clauses() {
    // Every clause is passed over on the way to the subject, 200,000 of them in one sentence.
    for n_clauses in [1, 200_000] {
        let paragraph = format!("{}Kim Reyes wore a “hat”.", "In a, ".repeat(n_clauses));
        let mut article = article_of(&[&paragraph]);
        find_quotes(&mut article);
        let found = quotes_of(&article);
        assert_eq!(found, [(D, "hat".to_string(), "Kim Reyes".to_string())]);
    }
}

#[test]
fn adversarial_input_returns() {
    let long = "“a ".repeat(300_000);
    let inputs = [
        "\"\"\"'''“”“”‘’‘’«»»«„“‚‘",
        "“unclosed quote that never ends and goes on",
        "” said he “",
        "\u{0}\u{1}“\u{7}\u{1b}” said X\u{0}",
        "said said said, according to according to, he he said:",
        long.as_str(),
        "مرحبا “قال” 你好 «说» Привет „сказал“",
        ".",
        "",
    ];
    for input in inputs {
        let mut article = article_of(&[input, input]);
        find_quotes(&mut article);
        for quote in &article.quotes {
            for span in &quote.spans {
                assert!(article.span_text(span).is_some());
            }
        }
    }
}

use super::*;

fn text(text: &str) -> Tone {
    score_text(text)
}

#[test]
fn empty_input_is_neutral() {
    assert_eq!(score("", &[]), Tone::default());
    assert_eq!(text(" \n\t ... !!! "), Tone::default());
    let no_sentiment = text("The committee met on Tuesday in Geneva.");
    assert_eq!(no_sentiment.n_words, 7);
    assert_eq!(
        (
            no_sentiment.positive,
            no_sentiment.negative,
            no_sentiment.tone
        ),
        (0.0, 0.0, 0.0)
    );
}

#[test]
fn clear_sentences_have_the_right_sign() {
    let positive = text("The talks were a great success and everyone was happy.");
    assert!(positive.tone > 0.3, "{positive:?}");
    assert!(positive.positive > 0.0 && positive.negative == 0.0);
    let negative = text("The attack killed dozens and left the city in terrible fear.");
    assert!(negative.tone < -0.3, "{negative:?}");
    assert!(negative.negative > 0.0 && negative.positive == 0.0);
    assert_eq!(negative.polarity, negative.positive + negative.negative);
    assert_eq!(negative.v2tone(), -negative.negative);
}

#[test]
fn percentages_count_words() {
    // "good" is 1 word of 4; "bad" 1 of 4.
    let tone = text("good food, bad service");
    assert_eq!(tone.n_words, 4);
    assert_eq!(tone.positive, 25.0);
    assert_eq!(tone.negative, 25.0);
    assert_eq!(tone.polarity, 50.0);
}

#[test]
fn negation_flips_the_valence() {
    let good = text("The result was good.");
    let not_good = text("The result was not good.");
    assert!(good.tone > 0.0);
    assert!(not_good.tone < 0.0, "{not_good:?}");
    assert!(not_good.negative > 0.0 && not_good.positive == 0.0);
    assert!(text("It wasn’t good").tone < 0.0, "typographic apostrophe");
    assert!(text("They never won anything good").tone < 0.0);
    // The window is three words and stops at the end of a sentence.
    assert!(text("Not that it was, in any case, good").tone > 0.0);
    assert!(text("Not again. It was good.").tone > 0.0);
}

#[test]
fn boosters_and_capitals_strengthen_dampeners_weaken() {
    let good = text("The plan is good").tone;
    let very_good = text("The plan is very good").tone;
    let extremely_good = text("The plan is extremely good").tone;
    let slightly_good = text("The plan is slightly good").tone;
    let caps_good = text("The plan is GOOD").tone;
    assert!(
        very_good > good && extremely_good > good,
        "{good} {very_good} {extremely_good}"
    );
    assert!(
        slightly_good < good && slightly_good > 0.0,
        "{good} {slightly_good}"
    );
    assert!(caps_good > good, "{good} {caps_good}");
    // An all-capitals sentence is not emphasis.
    assert_eq!(text("THE PLAN IS GOOD").tone, good);
    assert!(text("The losses were very bad").tone < text("The losses were bad").tone);
}

#[test]
fn phrases_are_matched_as_a_whole() {
    assert!(text("Voters are fed up").tone < 0.0);
    assert!(text("She is self-confident").tone > 0.0);
    let gdp = text("Gross domestic product rose 2 percent");
    assert_eq!((gdp.positive, gdp.negative), (0.0, 0.0), "{gdp:?}");
}

#[test]
fn tone_is_bounded_and_total() {
    let long: Vec<String> = (0..200)
        .map(|_| "Wonderful, amazing, excellent, superb!".to_string())
        .collect();
    let tone = score("GREAT", &long);
    assert!(tone.tone > 0.9 && tone.tone < 1.0);
    for odd in [
        "\u{0}",
        "日本語のテキスト",
        "n't n't n't",
        "very very very",
        "😀😀",
        "’’’",
    ] {
        let tone = text(odd);
        assert!(
            (-1.0..=1.0).contains(&tone.tone) && tone.tone.is_finite(),
            "{odd}: {tone:?}"
        );
    }
}

#[test]
fn lexicon_loads_completely() {
    let lexicon = lexicon();
    assert!(lexicon.words.len() > 7000, "{}", lexicon.words.len());
    assert!(lexicon.phrases.contains_key("fed"));
}

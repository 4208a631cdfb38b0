use std::path::Path;

use unicode_segmentation::UnicodeSegmentation;

use super::{word_indices, words};

/// Fails with the text when this crate and `unicode_segmentation` disagree on it.
fn assert_same_words(text: &str) {
    let expected: Vec<(usize, &str)> = text.unicode_word_indices().collect();
    let found: Vec<(usize, &str)> = word_indices(text).collect();
    assert_eq!(found, expected, "{text:?}");
}

/// Characters of every case the ASCII rules tell apart, and characters those rules leave to
/// `unicode_segmentation` next to them: a letter with an accent, a typographic apostrophe, a
/// combining mark, a zero-width joiner, a no-break space, Hebrew, Katakana, a regional
/// indicator, a spacing mark that is a letter, an Arabic-Indic digit.
const CASES: [char; 26] = [
    'a',
    'Z',
    '7',
    '_',
    ':',
    '.',
    '\'',
    ',',
    ';',
    '"',
    '-',
    ' ',
    '\t',
    '\n',
    '\r',
    '\u{b}',
    'é',
    '’',
    '\u{301}',
    '\u{200d}',
    '\u{a0}',
    'א',
    'ア',
    '\u{1f1ec}',
    '\u{903}',
    '٣',
];

#[test]
fn every_short_string_of_the_rules_cases_splits_as_unicode_segmentation_splits_it() {
    let mut text = String::new();
    let n = CASES.len();
    for length in 0..=4u32 {
        for mut code in 0..n.pow(length) {
            text.clear();
            for _ in 0..length {
                text.push(CASES[code % n]);
                code /= n;
            }
            assert_same_words(&text);
        }
    }
}

#[test]
fn random_strings_split_as_unicode_segmentation_splits_them() {
    // Mostly ASCII words and marks, as in news, with the other cases now and then.
    const COMMON: &[char] = &[
        'a', 'b', 'T', '4', '0', ' ', ' ', ' ', '.', ',', '\'', ':', ';', '-', '_', '(', ')', '"',
        '\n', '$', '%',
    ];
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut random = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let mut text = String::new();
    for _ in 0..50_000 {
        text.clear();
        for _ in 0..random(40) {
            text.push(if random(8) == 0 {
                CASES[random(CASES.len())]
            } else {
                COMMON[random(COMMON.len())]
            });
        }
        assert_same_words(&text);
    }
}

fn texts_in(folder: &Path) -> Vec<String> {
    let mut texts = Vec::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return texts;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            texts.extend(texts_in(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            texts.push(String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    texts
}

#[test]
fn the_sample_articles_split_as_unicode_segmentation_splits_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let samples = texts_in(&root.join("samples"));
    assert!(samples.len() > 250, "{} sample files", samples.len());
    for text in &samples {
        assert_same_words(text);
        assert!(words(text).eq(text.unicode_words()));
    }
    let bbc = root.join("../shared/data/bbc");
    if bbc.is_dir() {
        let articles = texts_in(&bbc);
        assert!(articles.len() > 2000, "{} BBC files", articles.len());
        articles.iter().for_each(|text| assert_same_words(text));
    } else {
        println!("skipped: {} is absent", bbc.display());
    }
}

#[test]
fn words_of_news_text() {
    let text = "U.S. stocks rose 1,234.5 points; e.g. Apple's shares (AAPL) didn't: 3:30 p.m. £5bn";
    let found: Vec<&str> = words(text).collect();
    assert_eq!(
        found,
        [
            "U.S", "stocks", "rose", "1,234.5", "points", "e.g", "Apple's", "shares", "AAPL",
            "didn't", "3", "30", "p.m", "5bn"
        ]
    );
    assert_same_words(text);
}

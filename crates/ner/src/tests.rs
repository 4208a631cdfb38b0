//! Tests of the public API: the committed model, totality and the model format.

use crate::conll;
use crate::train::{TrainConfig, train};
use crate::{EntitySpan, EntityType, Tagger};

fn span(start: usize, end: usize, kind: EntityType) -> EntitySpan {
    EntitySpan { start, end, kind }
}

#[test]
fn default_model_tags_the_seed_sentence() {
    let tagger = Tagger::default_model();
    assert!(tagger.n_features() > 0, "the embedded model did not decode");
    let text =
        "Russian President Vladimir Putin told UN Secretary General Antonio Guterres in Moscow .";
    let tokens: Vec<&str> = text.split(' ').collect();
    let spans = tagger.tag(&tokens);
    for expected in [
        span(2, 4, EntityType::Per),
        span(5, 6, EntityType::Org),
        span(8, 10, EntityType::Per),
        span(11, 12, EntityType::Loc),
    ] {
        assert!(
            spans.contains(&expected),
            "{expected:?} missing from {spans:?}"
        );
    }
}

#[test]
fn tagging_is_total() {
    let tagger = Tagger::default_model();
    assert!(tagger.tag::<&str>(&[]).is_empty());
    assert!(tagger.tag_sentences::<&str>(&[]).is_empty());
    assert!(tagger.tag_sentences::<&str>(&[&[], &[]]).is_empty());

    let long_token = "Ab".repeat(50_000);
    let junk = [
        "",
        " ",
        "\0",
        "\u{7}\u{1b}[31m",
        "\n\n",
        "\u{feff}",
        "🦀🦀",
        "مرحبا",
        "東京",
        "Ǆ",
        "İstanbul",
        "ﬃ",
        "\u{0301}",
        "---",
        "...",
        "?!",
        &long_token,
        "U.S.",
        "Mr.",
        "1996-08-22",
    ];
    let spans = tagger.tag(&junk);
    assert!(
        spans
            .iter()
            .all(|span| span.start < span.end && span.end <= junk.len())
    );

    let huge: Vec<&str> = (0..12_000)
        .map(|idx| ["Putin", "met", "the", "UN", "in", "Geneva", ",", "London"][idx % 8])
        .collect();
    let spans = tagger.tag(&huge);
    assert!(!spans.is_empty());
    assert!(
        spans
            .iter()
            .all(|span| span.start < span.end && span.end <= huge.len())
    );
}

#[test]
fn tagging_random_unicode_is_total() {
    // A fixed pseudo-random soup of characters from many blocks, in tokens of 0–12 chars.
    let mut state = 0x1234_5678_u64;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as u32
    };
    let blocks: [(u32, u32); 8] = [
        (0x0000, 0x0080),
        (0x00C0, 0x0250),
        (0x0300, 0x0370),
        (0x0400, 0x0500),
        (0x0600, 0x0700),
        (0x2000, 0x2070),
        (0x4E00, 0x4F00),
        (0x1F300, 0x1F600),
    ];
    let tokens: Vec<String> = (0..3000)
        .map(|_| {
            (0..next() % 13)
                .filter_map(|_| {
                    let (low, high) = blocks[(next() % 8) as usize];
                    char::from_u32(low + next() % (high - low))
                })
                .collect()
        })
        .collect();
    let tagger = Tagger::default_model();
    let spans = tagger.tag(&tokens);
    assert!(spans.windows(2).all(|pair| pair[0].end <= pair[1].start));
    assert!(
        spans
            .iter()
            .all(|span| span.start < span.end && span.end <= tokens.len())
    );
    let sentences: Vec<&[String]> = tokens.chunks(7).collect();
    let spans = tagger.tag_sentences(&sentences);
    assert!(
        spans
            .iter()
            .all(|span| span.start < span.end && span.end <= tokens.len())
    );
}

#[test]
fn tagging_is_thread_safe_and_repeatable() {
    let tokens = [
        "Angela", "Merkel", "met", "Emmanuel", "Macron", "in", "Berlin", ".",
    ];
    let expected = Tagger::default_model().tag(&tokens);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| Tagger::default_model().tag(&tokens)))
            .collect();
        for handle in handles {
            assert_eq!(handle.join().unwrap(), expected);
        }
    });
    assert_eq!(Tagger::default_model().tag(&tokens), expected);
}

#[test]
fn model_bytes_round_trip() {
    // Encoding is canonical, so decoding and re-encoding gives the committed bytes.
    let tagger = Tagger::from_bytes(crate::DEFAULT_MODEL_BYTES).unwrap();
    assert_eq!(&tagger, Tagger::default_model());
    assert!(tagger.to_bytes() == crate::DEFAULT_MODEL_BYTES);
}

#[test]
fn corrupt_models_are_errors() {
    let bytes = crate::DEFAULT_MODEL_BYTES;
    assert!(Tagger::from_bytes(&[]).is_err());
    assert!(Tagger::from_bytes(b"not a model at all").is_err());
    assert!(Tagger::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    let mut flipped = bytes.to_vec();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x40;
    assert!(matches!(
        Tagger::from_bytes(&flipped),
        Err(crate::ModelError::Checksum)
    ));

    // A valid checksum over a payload that is not a model, in either compression.
    let payload = [17, 0, 0, 0, 1, 0, 0, 0, 1, 2, 3];
    for (magic, compressed) in [
        (
            &bytes[..8],
            lz4_flex::block::compress_prepend_size(&payload),
        ),
        (b"CDNER02\n".as_slice(), zlib(&payload)),
    ] {
        assert!(matches!(
            Tagger::from_bytes(&with_checksum(magic, &compressed)),
            Err(crate::ModelError::Truncated { .. })
        ));
    }

    // An LZ4 block that claims a payload of 4 GiB is refused before anything is allocated.
    let mut huge = u32::MAX.to_le_bytes().to_vec();
    huge.extend_from_slice(&[0; 16]);
    let refused = Tagger::from_bytes(&with_checksum(&bytes[..8], &huge));
    assert!(
        matches!(&refused, Err(crate::ModelError::Decompress(why)) if why.contains("more than a model can have")),
        "{refused:?}"
    );
}

/// A model file: `magic`, the checksum of `compressed`, then `compressed`.
fn with_checksum(magic: &[u8], compressed: &[u8]) -> Vec<u8> {
    let mut file = magic.to_vec();
    file.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(compressed).to_le_bytes());
    file.extend_from_slice(compressed);
    file
}

fn zlib(payload: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(payload).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn version_2_models_are_read() {
    // Version 2 is version 3's payload compressed with zlib instead of LZ4.
    let bytes = crate::DEFAULT_MODEL_BYTES;
    assert_eq!(&bytes[..8], b"CDNER03\n");
    let payload = lz4_flex::block::decompress_size_prepended(&bytes[16..]).unwrap();
    let version_2 = with_checksum(b"CDNER02\n", &zlib(&payload));
    let tagger = Tagger::from_bytes(&version_2).unwrap();
    assert_eq!(&tagger, Tagger::default_model());
    // Written again, it is version 3.
    assert!(tagger.to_bytes() == bytes);
}

const TINY_CORPUS: &str = "\
-DOCSTART- -X- -X- O

Alice NNP B-NP B-PER
Smith NNP I-NP I-PER
flew VBD B-VP O
to TO B-PP O
Paris NNP B-NP B-LOC
. . O O

Bob NNP B-NP B-PER
Jones NNP I-NP I-PER
joined VBD B-VP O
Acme NNP B-NP B-ORG
Corp NNP I-NP I-ORG
in IN B-PP O
Berlin NNP B-NP B-LOC
. . O O

-DOCSTART- -X- -X- O

Acme NNP B-NP B-ORG
Corp NNP I-NP I-ORG
hired VBD B-VP O
Carol NNP B-NP B-PER
White NNP I-NP I-PER
for IN B-PP O
the DT B-NP O
Olympics NNPS I-NP B-MISC
. . O O
";

#[test]
fn training_learns_a_tiny_corpus() {
    let documents = conll::parse(TINY_CORPUS).unwrap();
    let config = TrainConfig {
        epochs: 10,
        seed: 7,
        ..TrainConfig::default()
    };
    let mut n_epochs = 0;
    let tagger = train(&documents, &config, |_, _| n_epochs += 1);
    assert_eq!(n_epochs, 20);
    let evaluation = crate::eval::evaluate(&tagger, &documents);
    assert_eq!(evaluation.overall.f1(), 1.0, "{evaluation:?}");

    let again = train(&documents, &config, |_, _| {});
    assert_eq!(
        again.to_bytes(),
        tagger.to_bytes(),
        "training is not deterministic"
    );
}

#[test]
fn default_model_scores_on_conll_dev_data() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/conll2003/eng.testa");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipped: {} is absent", path.display());
        return;
    };
    let documents = conll::parse(&text).unwrap();
    let sample = &documents[..documents.len().min(20)];
    let evaluation = crate::eval::evaluate(Tagger::default_model(), sample);
    assert!(evaluation.overall.f1() > 0.85, "{evaluation:?}");
}

/// The quiet flags `mark_quiet` gives the tokens of `sentences`, as a string of `q` (quiet)
/// and `.` per token, sentences separated by `|`.
fn quiet_pattern(sentences: &[&[&str]]) -> String {
    let mut tokens = Vec::new();
    let mut ranges = Vec::new();
    for sentence in sentences {
        let start = tokens.len();
        tokens.extend_from_slice(sentence);
        ranges.push(start..tokens.len());
    }
    let (mut plain, mut quiet) = (Vec::new(), Vec::new());
    crate::features::mark_quiet(&tokens, &ranges, &mut plain, &mut quiet);
    ranges
        .iter()
        .map(|range| {
            quiet[range.clone()]
                .iter()
                .map(|&quiet| if quiet { 'q' } else { '.' })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("|")
}

#[test]
fn quiet_tokens_are_two_tokens_or_more_from_any_capital() {
    let sentence = [
        "the", "talks", "with", "Moscow", "went", "on", "for", "a", "long", "while", ".",
    ];
    assert_eq!(quiet_pattern(&[&sentence]), "q.....qqqqq");
    // The window stops at the sentence: the capital of the first does not reach the second.
    assert_eq!(
        quiet_pattern(&[&["It", "grew", "."], &["and", "then", "it", "grew", "."]]),
        "...|qqqqq"
    );
    // Digits and punctuation are plain; letters of scripts without case never are.
    assert_eq!(
        quiet_pattern(&[&["in", "2004", ",", "prices", "rose", "by", "5.1", "%"]]),
        "qqqqqqqq"
    );
    assert_eq!(
        quiet_pattern(&[&["le", "prix", "de", "l'élan", "à", "東京", "a", "été", "bas"]]),
        "qqq.....q"
    );
    assert_eq!(
        quiet_pattern(&[&[
            "une",
            "visite",
            "à",
            "l'Élysée",
            "hier",
            "soir",
            "et",
            "puis"
        ]]),
        "q.....qq"
    );
    assert_eq!(quiet_pattern(&[&[]]), "");
}

/// Splits text into sentences of tokens: whitespace, with punctuation peeled off both
/// ends of each word; a sentence ends after `.`, `!` or `?`.
fn rough_sentences(text: &str) -> Vec<Vec<&str>> {
    let mut sentences = vec![Vec::new()];
    for word in text.split_whitespace() {
        let core = word.trim_matches(|c: char| c.is_ascii_punctuation() || "“”‘’".contains(c));
        let start = word
            .find(core)
            .filter(|_| !core.is_empty())
            .unwrap_or(word.len());
        let (lead, rest) = word.split_at(start);
        let (core, trail) = rest.split_at(core.len());
        let tokens = sentences.last_mut().expect("never empty");
        tokens.extend(
            lead.char_indices()
                .map(|(at, c)| &lead[at..at + c.len_utf8()]),
        );
        if !core.is_empty() {
            tokens.push(core);
        }
        for (at, c) in trail.char_indices() {
            let tokens = sentences.last_mut().expect("never empty");
            tokens.push(&trail[at..at + c.len_utf8()]);
            if matches!(c, '.' | '!' | '?') {
                sentences.push(Vec::new());
            }
        }
    }
    sentences.retain(|sentence| !sentence.is_empty());
    sentences
}

/// The text of every sample article (`samples/wikinews`), in file name order.
pub(crate) fn sample_texts() -> Vec<String> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/wikinews");
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .collect()
        })
        .unwrap_or_default();
    paths.retain(|path| path.extension().is_some_and(|ext| ext == "txt"));
    paths.sort();
    assert!(
        paths.len() > 100,
        "sample articles missing from {}",
        folder.display()
    );
    paths
        .iter()
        .map(|path| std::fs::read_to_string(path).unwrap_or_default())
        .collect()
}

#[test]
fn passing_over_quiet_tokens_changes_no_entity_in_the_samples() {
    let tagger = Tagger::default_model();
    let (mut n_tokens, mut n_quiet, mut n_entities) = (0, 0, 0);
    for (idx, text) in sample_texts().iter().enumerate() {
        let sentences = rough_sentences(text);
        let sentences: Vec<&[&str]> = sentences.iter().map(Vec::as_slice).collect();
        n_tokens += sentences
            .iter()
            .map(|sentence| sentence.len())
            .sum::<usize>();
        n_quiet += crate::quiet_tokens(&sentences);
        let exhaustive = tagger.tag_sentences_exhaustive(&sentences);
        n_entities += exhaustive.len();
        assert_eq!(tagger.tag_sentences(&sentences), exhaustive, "sample {idx}");
    }
    // The comparison means something only if much is passed over and much is found.
    assert!(
        n_quiet * 4 > n_tokens,
        "{n_quiet} quiet of {n_tokens} tokens"
    );
    assert!(n_entities > 10_000, "{n_entities} entities");
}

#[test]
fn a_panic_while_tagging_leaves_no_buffers_behind() {
    // copydesk rejects the one article its analysis panics on and goes on with the next on the
    // same thread, so a panic mid-tagging must not leave half-written buffers or memo entries
    // for that next call: the thread's scratch is moved out for each call and a panic drops it.
    let tokens = [
        "Angela", "Merkel", "met", "Emmanuel", "Macron", "in", "Berlin", ".",
    ];
    let tagger = Tagger::default_model();
    let expected = tagger.tag(&tokens);
    let panicked = std::panic::catch_unwind(|| {
        crate::with_scratch(|scratch| {
            crate::split_sentences(&tokens, &mut scratch.sentences);
            scratch.sentences.push(0..usize::MAX);
            scratch.labels.push(0);
            panic!("a bug mid-tagging");
        })
    });
    assert!(panicked.is_err());
    let left_behind = crate::with_scratch(|scratch| scratch.sentences.len() + scratch.labels.len());
    assert_eq!(
        left_behind, 0,
        "the next call got the panicked call's buffers"
    );
    assert_eq!(tagger.tag(&tokens), expected);
}

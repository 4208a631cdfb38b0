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

    // A valid checksum over a payload that is not a model.
    let garbage = {
        use std::io::Write;
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder
            .write_all(&[17, 0, 0, 0, 1, 0, 0, 0, 1, 2, 3])
            .unwrap();
        encoder.finish().unwrap()
    };
    let mut forged = bytes[..8].to_vec();
    forged.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&garbage).to_le_bytes());
    forged.extend_from_slice(&garbage);
    assert!(matches!(
        Tagger::from_bytes(&forged),
        Err(crate::ModelError::Truncated { .. })
    ));
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

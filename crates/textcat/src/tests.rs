use super::*;

fn tiny_corpus() -> Vec<(String, String)> {
    let sports = [
        "The striker scored twice as the home team won the football match",
        "The coach praised the goalkeeper after a tense cup final",
        "The tennis champion won the title in straight sets",
        "Fans cheered as the team scored a late goal to win the league",
        "The sprinter broke the world record at the athletics championship",
        "The captain was injured during the rugby match on Saturday",
    ];
    let business = [
        "Shares fell as the bank reported lower quarterly profits",
        "The company raised its dividend after strong annual earnings",
        "Oil prices pushed the stock market lower on Monday",
        "Investors sold shares after the central bank raised interest rates",
        "The retailer said sales and profits rose in the third quarter",
        "The merger will create the largest bank in the country, the firm said",
    ];
    let mut examples = Vec::new();
    for (sport, money) in sports.iter().zip(business) {
        examples.push((sport.to_string(), "sport".to_string()));
        examples.push((money.to_string(), "business".to_string()));
    }
    examples
}

fn small_config() -> TrainConfig {
    TrainConfig {
        features: FeatureConfig {
            hash_bits: 14,
            ..FeatureConfig::default()
        },
        min_df: 1,
        ..TrainConfig::default()
    }
}

fn assert_distribution(distribution: &[(String, f64)], n_classes: usize) {
    assert_eq!(distribution.len(), n_classes);
    let total: f64 = distribution.iter().map(|(_, p)| p).sum();
    assert!((total - 1.0).abs() < 1e-9, "probabilities sum to {total}");
    assert!(
        distribution.windows(2).all(|pair| pair[0].1 >= pair[1].1),
        "not best first: {distribution:?}"
    );
    assert!(distribution.iter().all(|(_, p)| p.is_finite() && *p >= 0.0));
}

#[test]
fn learns_a_tiny_corpus() {
    let model = Model::train(&tiny_corpus(), &small_config());
    assert_eq!(model.labels(), ["business", "sport"]);
    let sport = model.predict("The team won the match after the striker scored a goal");
    assert_distribution(&sport, 2);
    assert_eq!(sport[0].0, "sport");
    let business = model.predict("Bank shares rose after profits beat forecasts");
    assert_eq!(business[0].0, "business");
    let article = model.predict_article(
        "Late goal wins the cup",
        &["The captain scored.".to_string()],
    );
    assert_eq!(article[0].0, "sport");
}

#[test]
fn any_text_gives_a_distribution() {
    let model = Model::train(&tiny_corpus(), &small_config());
    for text in [
        "",
        " ",
        "!!!",
        "ÉTÉ 😀 日本語のテキスト",
        "a\u{0}b",
        "\u{2019}\u{2019}",
    ] {
        assert_distribution(&model.predict(text), 2);
    }
    assert_distribution(&Model::train(&[], &small_config()).predict("anything"), 1);
}

#[test]
fn training_is_deterministic() {
    let first = Model::train(&tiny_corpus(), &small_config()).to_bytes();
    let second = Model::train(&tiny_corpus(), &small_config()).to_bytes();
    assert_eq!(first, second);
}

#[test]
fn bytes_round_trip() {
    let model = Model::train(&tiny_corpus(), &small_config());
    let bytes = model.to_bytes();
    let decoded = Model::from_bytes(&bytes).expect("own bytes decode");
    assert_eq!(decoded.to_bytes(), bytes);
    let text = "The striker scored as shares fell";
    assert_eq!(decoded.predict(text), model.predict(text));
}

#[test]
fn bad_bytes_are_errors() {
    let bytes = Model::train(&tiny_corpus(), &small_config()).to_bytes();
    assert_eq!(
        Model::from_bytes(&[]).err(),
        Some(Error::Truncated { offset: 0 })
    );
    assert_eq!(
        Model::from_bytes(b"NOTAMODELATALL").err(),
        Some(Error::NotAModel)
    );
    let mut wrong_version = bytes.clone();
    wrong_version[8] = 9;
    assert_eq!(
        Model::from_bytes(&wrong_version).err(),
        Some(Error::UnsupportedVersion {
            found: 9,
            supported: 2
        })
    );
    assert!(Model::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(Model::from_bytes(&trailing).is_err());
    // Every single-byte corruption either decodes to a usable model or is an error.
    for position in 0..bytes.len().min(400) {
        let mut corrupted = bytes.clone();
        corrupted[position] ^= 0xa5;
        if let Ok(model) = Model::from_bytes(&corrupted) {
            let n_classes = model.labels().len();
            assert_eq!(model.predict("shares fell").len(), n_classes);
        }
    }
}

#[test]
fn default_model_decodes_and_reads_the_seed_article_as_world() {
    let model = Model::default_model();
    assert_eq!(
        model.labels(),
        ["business", "science-technology", "sports", "world"]
    );
    assert_distribution(&model.predict(""), 4);
    let text = include_str!("../../../samples/seed-article.txt");
    let (headline, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let paragraphs: Vec<String> = body.split("\n\n").map(str::to_owned).collect();
    assert_eq!(model.predict_article(headline, &paragraphs)[0].0, "world");
    assert_eq!(model.predict(headline)[0].0, "world");
}

#[test]
fn splits_are_stratified_and_seeded() {
    let labels: Vec<usize> = (0..103).map(|i| i % 3).collect();
    let is_train = eval::stratified_split(&labels, 0.8, 7);
    assert_eq!(is_train, eval::stratified_split(&labels, 0.8, 7));
    for class in 0..3 {
        let n_class = labels.iter().filter(|&&l| l == class).count();
        let n_train = labels
            .iter()
            .zip(&is_train)
            .filter(|(l, t)| **l == class && **t)
            .count();
        assert_eq!(n_train, (0.8 * n_class as f64).round() as usize);
    }
    let folds = eval::stratified_folds(&labels, 5, 7);
    for fold in 0..5 {
        let n_fold = folds.iter().filter(|&&f| f == fold).count();
        assert!((20..=21).contains(&n_fold), "fold {fold} has {n_fold}");
    }
}

#[test]
fn metrics_count_correctly() {
    let metrics = eval::metrics(&[0, 0, 1, 1], &[0, 1, 1, 1], 2);
    assert_eq!(metrics.accuracy, 0.75);
    assert_eq!(metrics.per_class[0].precision, 1.0);
    assert_eq!(metrics.per_class[0].recall, 0.5);
    assert_eq!(metrics.per_class[1].precision, 2.0 / 3.0);
}

#[test]
fn default_model_reads_bbc_sport_as_sports() {
    let folder =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/bbc/sport");
    let texts: Vec<String> = (1..=20)
        .filter_map(|number| std::fs::read(folder.join(format!("{number:03}.txt"))).ok())
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .collect();
    if texts.is_empty() {
        println!("skipped: {} not found", folder.display());
        return;
    }
    let model = Model::default_model();
    let n_sports = texts
        .iter()
        .filter(|text| model.predict(text)[0].0 == "sports")
        .count();
    assert!(
        n_sports * 10 >= texts.len() * 9,
        "{n_sports} of {} read as sports",
        texts.len()
    );
}

/// The class scores of `text` from its whole feature vector, as training sees documents:
/// every character n-gram counted, weighed and looked up one by one.
fn probabilities_by_vector(model: &Model, text: &str) -> Vec<f64> {
    let mut scratch = features::Scratch::default();
    features::count_features(&model.features, &[text], &mut scratch);
    features::weigh(
        &mut scratch,
        |bucket| model.index.row(bucket).map_or(NO_ROW, |row| row as u32),
        |row| match row {
            NO_ROW => model.default_idf,
            row => model.index.idf(row as usize),
        },
    );
    let mut scores: Vec<f64> = model.bias.iter().map(|&b| f64::from(b)).collect();
    for &(row, value) in &scratch.vector {
        if row != NO_ROW {
            for (score, &weight) in scores.iter_mut().zip(model.index.weights(row as usize)) {
                *score += f64::from(value * weight);
            }
        }
    }
    softmax(&mut scores, f64::from(model.temperature));
    scores
}

/// The bundled Wikinews sample articles.
pub(crate) fn sample_texts() -> Vec<String> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/wikinews");
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok())
                .map(|entry| entry.path())
        })
        .map(Iterator::collect)
        .unwrap_or_else(|_| Vec::new());
    paths.retain(|path| path.extension().is_some_and(|ext| ext == "txt"));
    paths.sort();
    paths
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect()
}

#[test]
fn scores_by_word_are_those_of_the_whole_vector() {
    let model = Model::default_model();
    assert_eq!(model.features.char_weighting, CharWeighting::Word);
    let texts = sample_texts();
    assert!(texts.len() > 100, "sample articles missing");
    // One thread's memo for all texts (it fills, evicts and serves repeated words), against
    // every feature counted afresh; then the texts again, now served from the memo.
    for round in 0..2 {
        for text in &texts {
            let mut by_word = Vec::new();
            model.probabilities_into(&[text], &mut by_word);
            let by_vector = probabilities_by_vector(model, text);
            for (a, b) in by_word.iter().zip(&by_vector) {
                assert!(
                    (a - b).abs() < 1e-4,
                    "round {round}: {by_word:?} against {by_vector:?}"
                );
            }
        }
    }
    let mut empty = Vec::new();
    model.probabilities_into(&[""], &mut empty);
    assert_eq!(empty, probabilities_by_vector(model, ""));
}

#[test]
fn the_memo_of_word_shares_is_per_model() {
    let corpus = tiny_corpus();
    let sport = Model::train(&corpus, &small_config());
    let swapped: Vec<(String, String)> = corpus
        .iter()
        .map(|(text, label)| {
            let other = if label == "sport" {
                "business"
            } else {
                "sport"
            };
            (text.clone(), other.to_string())
        })
        .collect();
    let business = Model::train(&swapped, &small_config());
    let text = "The striker scored twice as the home team won";
    // The same words on this thread under two models: each gets its own shares.
    let first = sport.predict(text);
    let second = business.predict(text);
    assert_eq!(first[0].0, "sport");
    assert_eq!(second[0].0, "business");
    assert_eq!(sport.predict(text), first);
}

#[test]
fn a_model_of_format_version_1_counts_ngrams_per_document() {
    let config = TrainConfig {
        features: FeatureConfig {
            char_weighting: CharWeighting::Document,
            ..small_config().features
        },
        ..small_config()
    };
    let model = Model::train(&tiny_corpus(), &config);
    let bytes = model.to_bytes();
    // Version 1 is version 2 without the weighting byte (after the four feature settings).
    let mut version_1 = bytes.clone();
    version_1[8] = 1;
    version_1.remove(8 + 2 + 4);
    let decoded = Model::from_bytes(&version_1).expect("a version 1 model decodes");
    assert_eq!(decoded.features.char_weighting, CharWeighting::Document);
    assert_eq!(decoded.to_bytes(), bytes);
    for text in [
        "The striker scored as shares fell",
        "shares shares fell fell fell",
    ] {
        assert_eq!(decoded.predict(text), model.predict(text));
        let mut direct = Vec::new();
        decoded.probabilities_into(&[text], &mut direct);
        assert_eq!(direct, probabilities_by_vector(&decoded, text));
    }
    let mut unknown = bytes.clone();
    unknown[8 + 2 + 4] = 7;
    assert!(matches!(
        Model::from_bytes(&unknown),
        Err(Error::Invalid { reason, .. }) if reason.contains("weighting")
    ));
}

#[test]
fn a_model_with_more_classes_than_the_memo_holds_counts_per_document() {
    // One class per example: more classes than `MAX_CLASSES_BY_WORD`.
    let texts = tiny_corpus();
    let corpus: Vec<(String, String)> = (0..MAX_CLASSES_BY_WORD + 4)
        .map(|idx| {
            let (text, _) = &texts[idx % texts.len()];
            (format!("{text} {idx}"), format!("class-{idx:02}"))
        })
        .collect();
    let model = Model::train(&corpus, &small_config());
    assert!(model.labels().len() > MAX_CLASSES_BY_WORD);
    for text in [
        "The striker scored as shares fell",
        "shares shares fell fell fell",
        "",
    ] {
        let mut direct = Vec::new();
        model.probabilities_into(&[text], &mut direct);
        assert_eq!(direct, probabilities_by_vector(&model, text));
    }
}

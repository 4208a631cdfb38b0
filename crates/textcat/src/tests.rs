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
            supported: 1
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

//! The built-in classifiers (`language`, `topic`, `tone`) through the binary: their labels on
//! chosen articles pinned as a snapshot, short text, and options checked at load time.

use std::collections::BTreeMap;
use std::path::Path;

use tests::{DEFAULT_PLUGINS, copydesk, describe, plugin_folder};

/// The default plugins and the two classifiers tested here.
fn classifier_plugins() -> tempfile::TempDir {
    let mut libraries = DEFAULT_PLUGINS.to_vec();
    libraries.extend_from_slice(&[
        ("copydesk_classify_topic", "classify_topic"),
        ("copydesk_classify_tone", "classify_tone"),
    ]);
    plugin_folder(&libraries)
}

/// Runs `copydesk run INPUTS` with every classifier and returns the exported articles.
fn run_classifiers(inputs: &[&str]) -> Vec<serde_json::Value> {
    let plugins = classifier_plugins();
    let out = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let plugins_arg = plugins.path().to_string_lossy().into_owned();
    let out_arg = out.path().to_string_lossy().into_owned();
    let mut args = vec![
        "run",
        "--quiet",
        "--config",
        "tests/fixtures/pipelines/classifiers.toml",
        "--plugins",
        &plugins_arg,
        "--out",
        &out_arg,
    ];
    args.extend_from_slice(inputs);
    let output = copydesk(&args);
    assert!(output.status.success(), "{}", describe(&output));
    read_articles(&out.path().join("articles.jsonl"))
}

fn read_articles(path: &Path) -> Vec<serde_json::Value> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    text.lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("{error}: {line}")))
        .collect()
}

/// The seed article, and three Wikinews articles whose tone is plain to a reader: a car bomb
/// that kills dozens, a fan convention that welcomes its visitors, a marathon record.
const TONE_ARTICLES: &[&str] = &[
    "samples/seed-article.txt",
    "samples/wikinews/wn2019-017.txt",
    "samples/wikinews/wn2019-045.txt",
    "samples/wikinews/wn2019-142.txt",
];

#[test]
fn labels_of_the_seed_article_and_three_articles_with_an_obvious_tone() {
    let articles = run_classifiers(TONE_ARTICLES);
    let labels: BTreeMap<String, serde_json::Value> = articles
        .iter()
        .map(|article| {
            let path = article["source"]["path"].as_str().unwrap_or_default();
            (path.to_string(), article["labels"].clone())
        })
        .collect();
    assert_eq!(labels.len(), TONE_ARTICLES.len(), "{labels:#?}");
    let seed = &labels["samples/seed-article.txt"];
    assert_eq!(seed["topic"][0]["value"], "world", "{seed:#}");
    for (path, article_labels) in &labels {
        let total: f64 = article_labels["topic"]
            .as_array()
            .map(|topics| {
                topics
                    .iter()
                    .filter_map(|topic| topic["score"].as_f64())
                    .sum()
            })
            .unwrap_or_default();
        assert!(
            (total - 1.0).abs() < 1e-9,
            "{path}: topic scores sum to {total}"
        );
    }
    insta::assert_yaml_snapshot!(labels);
}

#[test]
fn every_sample_gets_a_topic_a_tone_and_a_language() {
    let articles = run_classifiers(&["samples"]);
    assert_eq!(articles.len(), 294);
    for article in &articles {
        let labels = &article["labels"];
        for (plugin, n_labels) in [("language", 1), ("topic", 4), ("tone", 2)] {
            assert_eq!(
                labels[plugin].as_array().map(Vec::len),
                Some(n_labels),
                "{plugin} of {}: {labels}",
                article["source"]["path"]
            );
        }
    }
}

#[test]
fn a_three_word_article_is_undetermined_language() {
    let dir = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
    let input = dir.path().join("short.jsonl");
    std::fs::write(&input, "{\"title\": \"Storm\", \"text\": \"hits coast\"}\n")
        .unwrap_or_else(|error| panic!("{error}"));
    let articles = run_classifiers(&[&input.to_string_lossy()]);
    assert_eq!(articles.len(), 1);
    let language = &articles[0]["labels"]["language"];
    assert_eq!(
        language,
        &serde_json::json!([{ "value": "und", "score": 0.0, "extra": { "reliable": false } }])
    );
}

#[test]
fn plugins_lists_topic_and_tone() {
    let plugins = classifier_plugins();
    let output = copydesk(&["plugins", "--plugins", &plugins.path().to_string_lossy()]);
    assert!(output.status.success(), "{}", describe(&output));
    let listing = String::from_utf8_lossy(&output.stdout);
    for name in ["topic", "tone"] {
        let listed = listing
            .lines()
            .any(|line| line.split_whitespace().take(2).eq([name, "classifier"]));
        assert!(listed, "{name} in {listing}");
    }
}

#[test]
fn invalid_options_are_load_time_errors_naming_plugin_and_option() {
    let plugins = classifier_plugins();
    let cases = [
        (
            "bad-topic-options.toml",
            "classifier `topic`",
            "option `top`",
        ),
        (
            "unknown-topic-option.toml",
            "classifier `topic`",
            "unknown field `modle`",
        ),
        (
            "bad-tone-options.toml",
            "classifier `tone`",
            "option `threshold`",
        ),
    ];
    for (pipeline, plugin, option) in cases {
        let out = tempfile::tempdir().unwrap_or_else(|error| panic!("{error}"));
        let run = copydesk(&[
            "run",
            "samples/seed-article.txt",
            "--quiet",
            "--config",
            &format!("tests/fixtures/pipelines/{pipeline}"),
            "--plugins",
            &plugins.path().to_string_lossy(),
            "--out",
            &out.path().to_string_lossy(),
        ]);
        assert_eq!(run.status.code(), Some(1), "{pipeline}: {}", describe(&run));
        let message = String::from_utf8_lossy(&run.stderr);
        assert!(message.contains(plugin), "{pipeline}: {message}");
        assert!(message.contains(option), "{pipeline}: {message}");
        assert!(
            !out.path().join("articles.jsonl").exists(),
            "{pipeline}: nothing may run with a plugin that refused its options"
        );
    }
}

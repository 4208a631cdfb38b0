//! The `topic` labels: the article's news topic by the `textcat` linear text classifier, best
//! first, then the rest of the distribution. Scores are the model's probabilities over all its
//! classes, rounded to 4 decimals in a way that keeps their sum 1 (the largest remainder
//! method); they sum to 1 over the full distribution, also when `top` keeps only the first few.
//!
//! Without a `model` option the built-in model predicts the AG News classes (`world`, `sports`,
//! `business`, `science-technology`); see `crates/textcat/model/README.md` for how it was
//! trained, how accurate it is, and its licence caveat (non-commercial research use). A
//! newsroom trains its own sections with `textcat-lab train` and names the file in `model`.
//!
//! ```toml
//! [[classify]]
//! plugin = "topic"
//! [classify.options]
//! model = "models/sections.bin"   # optional; relative to the working directory
//! top = 1                         # optional; default: every class
//! ```

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use plugin_api::{Article, Classifier, Label, PluginError, Reads};
use serde::{Deserialize, Deserializer};
use textcat::Model;

/// Options of the `topic` classifier.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// A model file written by `textcat-lab train`; without it, the built-in AG News model.
    #[serde(default, deserialize_with = "model_option")]
    pub model: Option<PathBuf>,
    /// How many labels to output, best first (at least 1); without it, every class.
    #[serde(default, deserialize_with = "top_option")]
    pub top: Option<usize>,
}

/// The classifier.
pub struct Topic {
    model: Cow<'static, Model>,
    top: usize,
}

impl Classifier for Topic {
    const NAME: &'static str = "topic";
    const DESCRIPTION: &'static str =
        "news topic (default model: world, sports, business, science-technology), by textcat";
    type Options = Options;
    // Only the headline and paragraphs: the SDK skips the analysis (quotes, entities, dates),
    // most of the record and of its decoding time.
    const READS: Reads = Reads::TEXT;

    fn new(options: Options) -> Result<Self, PluginError> {
        let top = match options.top {
            Some(0) => return Err(PluginError::new("option `top` must be at least 1")),
            Some(top) => top,
            None => usize::MAX,
        };
        let model = match &options.model {
            Some(path) => Cow::Owned(load_model(path)?),
            None => Cow::Borrowed(Model::default_model()),
        };
        Ok(Topic { model, top })
    }

    fn classify(&self, article: &Article) -> Result<Vec<Label>, PluginError> {
        let mut distribution = self
            .model
            .predict_article(&article.headline, &article.paragraphs);
        round_keeping_the_sum(&mut distribution);
        Ok(distribution
            .into_iter()
            .take(self.top)
            .map(|(topic, probability)| Label::new(topic, probability))
            .collect())
    }
}

/// Rounds probabilities (best first) to multiples of 1/10,000 that still sum to 1: each is
/// rounded down, then the units missing from the total go to the largest remainders. Order is
/// kept: a larger probability never rounds below a smaller one.
fn round_keeping_the_sum(distribution: &mut [(String, f64)]) {
    const UNITS: f64 = 10_000.0;
    let mut rounded: Vec<(usize, f64, f64)> = distribution
        .iter()
        .enumerate()
        .map(|(label_idx, (_, probability))| {
            let scaled = probability * UNITS;
            (label_idx, scaled.floor(), scaled - scaled.floor())
        })
        .collect();
    let n_missing = (UNITS - rounded.iter().map(|(_, units, _)| units).sum::<f64>()).round();
    rounded.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    for (rank, (label_idx, units, _)) in rounded.into_iter().enumerate() {
        let bonus = if (rank as f64) < n_missing { 1.0 } else { 0.0 };
        distribution[label_idx].1 = (units + bonus) / UNITS;
    }
}

fn load_model(path: &Path) -> Result<Model, PluginError> {
    let bytes = std::fs::read(path).map_err(|error| {
        PluginError::new(format!(
            "option `model`: cannot read {}: {error}",
            path.display()
        ))
    })?;
    Model::from_bytes(&bytes)
        .map_err(|error| PluginError::new(format!("option `model`: {}: {error}", path.display())))
}

// serde's type errors ("invalid type: string, expected usize") do not say which field they are
// about; these name the option.
fn model_option<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<PathBuf>, D::Error> {
    named_option("model", deserializer).map(Some)
}

fn top_option<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<usize>, D::Error> {
    named_option("top", deserializer).map(Some)
}

fn named_option<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    name: &str,
    deserializer: D,
) -> Result<T, D::Error> {
    T::deserialize(deserializer)
        .map_err(|error| serde::de::Error::custom(format!("option `{name}`: {error}")))
}

plugin_api::export_classifier!(Topic);

#[cfg(test)]
mod tests {
    use super::*;

    fn options(json: &str) -> Result<Options, String> {
        serde_json::from_str(json).map_err(|error| error.to_string())
    }

    fn article(headline: &str, paragraphs: &[&str]) -> Article {
        let json = serde_json::json!({ "id": "t", "headline": headline, "paragraphs": paragraphs });
        serde_json::from_value(json).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn labels_are_the_whole_distribution_best_first() {
        let topic = Topic::new(Options::default()).unwrap_or_else(|error| panic!("{error}"));
        let labels = topic
            .classify(&article(
                "Striker scores twice as United beat City",
                &["The derby ended 2-1 after a late goal in the second half of the match."],
            ))
            .unwrap_or_else(|error| panic!("{error}"));
        let values: Vec<&str> = labels.iter().map(|label| label.value.as_str()).collect();
        assert_eq!(values[0], "sports", "{labels:?}");
        assert_eq!(values.len(), 4, "{labels:?}");
        let total: f64 = labels.iter().map(|label| label.score).sum();
        assert!((total - 1.0).abs() < 1e-9, "{labels:?}");
        assert!(labels.windows(2).all(|pair| pair[0].score >= pair[1].score));
    }

    #[test]
    fn rounding_keeps_the_sum_and_the_order() {
        let mut distribution: Vec<(String, f64)> = [
            ("world", 0.997_146_455),
            ("business", 0.001_231_166),
            ("sports", 0.000_898_739),
            ("science-technology", 0.000_723_640),
        ]
        .into_iter()
        .map(|(label, probability)| (label.to_string(), probability))
        .collect();
        round_keeping_the_sum(&mut distribution);
        let rounded: Vec<f64> = distribution.iter().map(|(_, score)| *score).collect();
        assert_eq!(rounded, [0.9972, 0.0012, 0.0009, 0.0007]);
    }

    #[test]
    fn top_keeps_the_best_labels_with_their_unrenormalised_scores() {
        let all = Topic::new(Options::default()).unwrap_or_else(|error| panic!("{error}"));
        let one = Topic::new(options(r#"{"top": 1}"#).unwrap_or_else(|error| panic!("{error}")))
            .unwrap_or_else(|error| panic!("{error}"));
        let text = article("Shares fall as the central bank raises rates", &[]);
        let all_labels = all
            .classify(&text)
            .unwrap_or_else(|error| panic!("{error}"));
        let one_label = one
            .classify(&text)
            .unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(one_label, all_labels[..1]);
    }

    #[test]
    fn invalid_options_name_the_option() {
        let unknown = options(r#"{"colour": "blue"}"#).err().unwrap_or_default();
        assert!(unknown.contains("unknown field `colour`"), "{unknown}");
        let wrong_type = options(r#"{"top": "three"}"#).err().unwrap_or_default();
        assert!(wrong_type.starts_with("option `top`: "), "{wrong_type}");
        let zero = options(r#"{"top": 0}"#).unwrap_or_else(|error| panic!("{error}"));
        let error = Topic::new(zero).err().map(|error| error.0);
        assert_eq!(error.as_deref(), Some("option `top` must be at least 1"));
    }

    #[test]
    fn a_model_file_that_is_missing_or_not_a_model_is_an_error_naming_it() {
        let missing =
            options(r#"{"model": "/no/such/model.bin"}"#).unwrap_or_else(|error| panic!("{error}"));
        let error = Topic::new(missing).err().map(|error| error.0);
        assert!(
            error
                .as_deref()
                .is_some_and(|message| message
                    .starts_with("option `model`: cannot read /no/such/model.bin: ")),
            "{error:?}"
        );
        let not_a_model = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let json = serde_json::json!({ "model": not_a_model }).to_string();
        let error = Topic::new(options(&json).unwrap_or_else(|error| panic!("{error}")))
            .err()
            .map(|error| error.0);
        assert!(
            error
                .as_deref()
                .is_some_and(|message| message.ends_with("not a textcat model (bad magic bytes)")),
            "{error:?}"
        );
    }
}

//! The `tone` labels: document tone in the spirit of GDELT's V2Tone, scored with the VADER
//! sentiment lexicon by the `tone` crate (negation, boosters and dampeners handled there).
//!
//! Two labels, always in this order:
//!
//! 1. `tone`: score = the normalised tone in `[-1, 1]` (the balance of positive and negative
//!    language weighed by strength; 0 without sentiment words), with extra facts
//!    - `positive`, `negative`: percentage of the words that are positive, negative (GDELT's
//!      Positive and Negative Score),
//!    - `polarity`: `positive + negative`, how emotionally charged the text is,
//!    - `v2tone`: `positive − negative`, GDELT's V2Tone "Tone" in percentage points,
//!    - `n_words`: the number of words scored (headline and paragraphs).
//! 2. `positive`, `negative` or `neutral` with the same score: `positive` when the tone is above
//!    the `threshold` option, `negative` when below minus it, `neutral` otherwise.
//!
//! Figures are rounded to 4 decimals.
//!
//! ```toml
//! [[classify]]
//! plugin = "tone"
//! [classify.options]
//! threshold = 0.2   # the default; in [0, 1)
//! ```
//!
//! # Credit
//!
//! The lexicon is VADER's (C.J. Hutto and E.E. Gilbert, "VADER: A Parsimonious Rule-based
//! Model for Sentiment Analysis of Social Media Text", ICWSM 2014), released under the MIT
//! licence; its notice is in `crates/tone/data/LICENSE-VADER.txt` and how our copy was derived
//! in `crates/tone/data/README.md`.

use plugin_api::{Article, Classifier, Label, PluginError, Reads};
use serde::{Deserialize, Deserializer};

/// Options of the `tone` classifier.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// Tone above this is `positive`, below minus this `negative`, otherwise `neutral`.
    #[serde(default = "default_threshold", deserialize_with = "threshold_option")]
    pub threshold: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threshold: default_threshold(),
        }
    }
}

/// On the 294 bundled samples, 0.2 leaves 28 % of the articles neutral (107 positive, 104
/// negative, 83 neutral); the seed article, a message of hope about a war, is neutral (-0.10).
fn default_threshold() -> f64 {
    0.2
}

/// The classifier.
pub struct Tone {
    threshold: f64,
}

impl Classifier for Tone {
    const NAME: &'static str = "tone";
    const DESCRIPTION: &'static str =
        "document tone in [-1, 1] and GDELT V2Tone scores, from the VADER lexicon";
    type Options = Options;
    // Only the headline and paragraphs: the SDK skips the analysis (quotes, entities, dates),
    // most of the record and of its decoding time.
    const READS: Reads = Reads::TEXT;

    fn new(options: Options) -> Result<Self, PluginError> {
        if !(0.0..1.0).contains(&options.threshold) {
            return Err(PluginError::new(format!(
                "option `threshold` must be at least 0 and less than 1, not {}",
                options.threshold
            )));
        }
        Ok(Tone {
            threshold: options.threshold,
        })
    }

    fn classify(&self, article: &Article) -> Result<Vec<Label>, PluginError> {
        let scores = tone::score(&article.headline, &article.paragraphs);
        let tone = round(scores.tone);
        let polarity = if tone > self.threshold {
            "positive"
        } else if tone < -self.threshold {
            "negative"
        } else {
            "neutral"
        };
        Ok(vec![
            Label::new("tone", tone)
                .with("positive", round(scores.positive))
                .with("negative", round(scores.negative))
                .with("polarity", round(scores.polarity))
                .with("v2tone", round(scores.v2tone()))
                .with("n_words", scores.n_words),
            Label::new(polarity, tone),
        ])
    }
}

/// Four decimals are more than the lexicon's precision, and keep the output readable.
fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

// serde's type errors ("invalid type: string, expected f64") do not say which field they are
// about; this names the option.
fn threshold_option<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
    f64::deserialize(deserializer)
        .map_err(|error| serde::de::Error::custom(format!("option `threshold`: {error}")))
}

plugin_api::export_classifier!(Tone);

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(options: Options, headline: &str, paragraphs: &[&str]) -> Vec<Label> {
        let json = serde_json::json!({ "id": "t", "headline": headline, "paragraphs": paragraphs });
        let article: Article =
            serde_json::from_value(json).unwrap_or_else(|error| panic!("{error}"));
        Tone::new(options)
            .and_then(|tone| tone.classify(&article))
            .unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn tone_then_polarity() {
        let labels = classify(
            Options::default(),
            "Flood kills dozens",
            &["Rescuers fear the death toll from the disaster will rise."],
        );
        assert_eq!(labels.len(), 2);
        assert_eq!(labels[0].value, "tone");
        assert!(labels[0].score < -0.1, "{labels:?}");
        for fact in ["positive", "negative", "polarity", "v2tone", "n_words"] {
            assert!(labels[0].extra.contains_key(fact), "{fact} in {labels:?}");
        }
        assert_eq!(labels[0].extra["n_words"], 13);
        assert_eq!(labels[1].value, "negative");
        assert_eq!(labels[1].score, labels[0].score);
    }

    #[test]
    fn text_without_sentiment_is_neutral() {
        let labels = classify(Options::default(), "Council meets on Tuesday", &[]);
        assert_eq!(labels[0].score, 0.0);
        assert_eq!(labels[1].value, "neutral");
    }

    #[test]
    fn threshold_decides_what_is_neutral() {
        let headline = "Residents welcome the new bridge";
        let default = classify(Options::default(), headline, &[]);
        assert_eq!(default[1].value, "positive", "{default:?}");
        let wide = classify(Options { threshold: 0.9 }, headline, &[]);
        assert_eq!(wide[1].value, "neutral", "{wide:?}");
    }

    #[test]
    fn invalid_options_name_the_option() {
        let parse = |json: &str| serde_json::from_str::<Options>(json).map_err(|e| e.to_string());
        let unknown = parse(r#"{"treshold": 0.2}"#).err().unwrap_or_default();
        assert!(unknown.contains("unknown field `treshold`"), "{unknown}");
        let wrong_type = parse(r#"{"threshold": "low"}"#).err().unwrap_or_default();
        assert!(
            wrong_type.starts_with("option `threshold`: "),
            "{wrong_type}"
        );
        let error = Tone::new(Options { threshold: 1.5 })
            .err()
            .map(|error| error.0);
        assert_eq!(
            error.as_deref(),
            Some("option `threshold` must be at least 0 and less than 1, not 1.5")
        );
    }
}

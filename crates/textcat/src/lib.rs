//! A small trainable linear text classifier, used by copydesk for news topics.
//!
//! - Features: lower-cased Unicode words, word pairs and character 3–4-grams of `<word>`,
//!   hashed into `2^20` buckets (see [`FeatureConfig`]); `(1 + ln count) · idf` weights, the
//!   count of a character n-gram being that of its word ([`CharWeighting`]), each feature
//!   family normalised.
//! - Classifier: one linear SVM per class (one-vs-rest, squared hinge, dual coordinate descent)
//!   on NBSVM-scaled features (Wang & Manning 2012), turned into a distribution by a softmax
//!   whose temperature is fitted on a held-out tenth of the training set.
//! - Model file: compact binary with 8-bit weights, described in [`format`](mod@crate::format).
//!
//! Prediction allocates only the returned distribution: tokens are hashed on the fly and the
//! per-document buffers are reused (one set per thread). Each thread keeps, per word it has
//! seen, the word's character n-grams' share of the class scores, so a known word costs one
//! look-up rather than one per n-gram.
//!
//! ```
//! let model = textcat::Model::default_model();
//! let distribution = model.predict("Putin sends message of hope to the UN to end the war in Ukraine");
//! assert_eq!(distribution[0].0, "world");
//! ```

use std::cell::RefCell;
use std::sync::OnceLock;

pub mod eval;
mod features;
pub mod format;
pub mod rng;
mod train;

pub use features::{CharWeighting, FeatureConfig};

#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum Error {
    #[error("not a textcat model (bad magic bytes)")]
    NotAModel,
    #[error("unsupported textcat model version {found} (this build reads version {supported})")]
    UnsupportedVersion { found: u16, supported: u16 },
    #[error("textcat model truncated at byte {offset}")]
    Truncated { offset: usize },
    #[error("invalid textcat model at byte {offset}: {reason}")]
    Invalid { offset: usize, reason: &'static str },
}

/// Training settings. `Default` gives the settings of the committed model.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
    /// Invalid settings (see [`FeatureConfig`]) fall back to `FeatureConfig::default()`.
    pub features: FeatureConfig,
    /// Buckets seen in fewer training documents get no weight (they still count towards the
    /// length of a document's vector).
    pub min_df: u32,
    /// SVM cost: larger fits the training set more closely.
    pub c: f32,
    /// Upper bound on passes over the data per class.
    pub max_epochs: u32,
    /// Stop when the projected gradient spread falls below this (liblinear's `-e`).
    pub tolerance: f32,
    /// Fraction of the training set held out to fit the softmax temperature (then the model is
    /// refitted on everything). 0 uses a fixed temperature of 5.
    pub calibration_fraction: f64,
    /// NBSVM log-count-ratio feature scaling with this smoothing; 0 turns it off.
    pub nb_smoothing: f32,
    /// Seeds every shuffle: same data and config give the same model, byte for byte.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            features: FeatureConfig::default(),
            min_df: 2,
            c: 0.5,
            max_epochs: 50,
            tolerance: 0.1,
            calibration_fraction: 0.1,
            nb_smoothing: 1.0,
            seed: 42,
        }
    }
}

/// A trained classifier. `Send + Sync`: predict from any number of threads.
#[derive(Clone)]
pub struct Model {
    /// See [`next_model_id`]; a clone has the same weights and keeps it.
    id: u64,
    features: FeatureConfig,
    labels: Vec<String>,
    temperature: f32,
    default_idf: f32,
    bias: Vec<f32>,
    /// What prediction reads: `idf` and `weights` again, laid out for fast lookup by bucket.
    index: Index,
    /// Row → bucket, increasing.
    buckets: Vec<u32>,
    idf: Vec<f32>,
    /// Row-major, `labels.len()` weights per row.
    weights: Vec<f32>,
}

const NO_ROW: u32 = u32::MAX;

/// Models with up to this many classes score character n-grams through the per-thread memo
/// of word shares (with [`CharWeighting::Word`]); others count them per document.
const MAX_CLASSES_BY_WORD: usize = 16;

/// Identifies a model's weights for the per-thread memo of word shares: each model built or
/// re-quantised takes the next number.
static NEXT_MODEL_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_model_id() -> u64 {
    NEXT_MODEL_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The model's rows laid out for prediction, where every one of an article's few thousand
/// features is looked up at a random bucket, mostly in a cold cache (the analysis runs between
/// two articles). A plain bucket → row table is 4 MB for `2^20` buckets, and with separate idf
/// and weight tables each feature cost three cache misses; here it is one 16-byte entry of
/// `presence` (256 KB in all) and one row of `rows`. (Blocks of 512 presence bits per cache
/// line, with a rank per block, halve `presence` but were slower: up to eight popcounts per
/// lookup.)
#[derive(Clone, Default)]
struct Index {
    /// Per 64 buckets: which have a row, and how many rows the buckets before them have.
    presence: Vec<Presence>,
    /// `1 + n_classes` values per row, in bucket order: the idf, then the class weights.
    rows: Vec<f32>,
    stride: usize,
}

#[derive(Clone, Copy, Default)]
struct Presence {
    bits: u64,
    rows_before: u32,
}

impl Index {
    fn new(
        n_buckets: usize,
        n_classes: usize,
        buckets: &[u32],
        idf: &[f32],
        weights: &[f32],
    ) -> Index {
        let mut presence = vec![Presence::default(); n_buckets.div_ceil(64)];
        for &bucket in buckets {
            if let Some(entry) = presence.get_mut(bucket as usize / 64) {
                entry.bits |= 1 << (bucket % 64);
            }
        }
        let mut n_rows = 0u32;
        for entry in &mut presence {
            entry.rows_before = n_rows;
            n_rows += entry.bits.count_ones();
        }
        let stride = 1 + n_classes;
        let mut rows = vec![0.0; n_rows as usize * stride];
        for (row_idx, &bucket) in buckets.iter().enumerate() {
            let (Some(row), Some(&row_idf), Some(row_weights)) = (
                Index::find(&presence, bucket),
                idf.get(row_idx),
                weights.get(row_idx * n_classes..(row_idx + 1) * n_classes),
            ) else {
                continue;
            };
            let out = &mut rows[row * stride..(row + 1) * stride];
            out[0] = row_idf;
            out[1..].copy_from_slice(row_weights);
        }
        Index {
            presence,
            rows,
            stride,
        }
    }

    fn find(presence: &[Presence], bucket: u32) -> Option<usize> {
        let entry = presence.get(bucket as usize / 64)?;
        let bit = 1u64 << (bucket % 64);
        (entry.bits & bit != 0)
            .then(|| entry.rows_before as usize + (entry.bits & (bit - 1)).count_ones() as usize)
    }

    /// Asks the processor to start loading what [`Index::row`] reads for `bucket`.
    fn prefetch(&self, bucket: u32) {
        if let Some(entry) = self.presence.get(bucket as usize / 64) {
            features::prefetch(entry);
        }
    }

    /// The row of a bucket, if it has one.
    fn row(&self, bucket: u32) -> Option<usize> {
        Index::find(&self.presence, bucket)
    }

    fn idf(&self, row: usize) -> f32 {
        self.rows[row * self.stride]
    }

    fn weights(&self, row: usize) -> &[f32] {
        &self.rows[row * self.stride + 1..(row + 1) * self.stride]
    }
}

/// Everything a model is made of, before the bucket index is built.
pub(crate) struct Parts {
    pub(crate) features: FeatureConfig,
    pub(crate) labels: Vec<String>,
    pub(crate) temperature: f32,
    pub(crate) default_idf: f32,
    pub(crate) bias: Vec<f32>,
    pub(crate) buckets: Vec<u32>,
    pub(crate) idf: Vec<f32>,
    pub(crate) weights: Vec<f32>,
}

impl std::fmt::Debug for Model {
    // The weight tables are megabytes: show what identifies the model instead.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("labels", &self.labels)
            .field("features", &self.features)
            .field("temperature", &self.temperature)
            .field("n_rows", &self.buckets.len())
            .finish_non_exhaustive()
    }
}

static DEFAULT_MODEL_BYTES: &[u8] = include_bytes!("../model/ag-news.bin");

thread_local! {
    static SCRATCH: RefCell<features::Scratch> = RefCell::new(features::Scratch::default());
}

impl Model {
    /// Trains a model on `(text, label)` pairs. Deterministic for a given `config.seed`.
    /// With no examples the model knows no class and predicts the single label `unknown`.
    pub fn train(examples: &[(String, String)], config: &TrainConfig) -> Model {
        if examples.is_empty() {
            return Model::uninformative();
        }
        train::train(examples, config)
    }

    /// The committed news topic model (`model/ag-news.bin`: world, sports, business,
    /// science-technology), decoded on first use.
    pub fn default_model() -> &'static Model {
        static MODEL: OnceLock<Model> = OnceLock::new();
        // The bytes are committed and a test decodes them, so the fallback never shows.
        MODEL.get_or_init(|| {
            Model::from_bytes(DEFAULT_MODEL_BYTES).unwrap_or_else(|_| Model::uninformative())
        })
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Model, Error> {
        format::from_bytes(bytes)
    }

    /// Encodes the model in the [`format`](mod@crate::format) `from_bytes` reads.
    pub fn to_bytes(&self) -> Vec<u8> {
        format::to_bytes(self)
    }

    /// Class labels, sorted.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    pub fn feature_config(&self) -> FeatureConfig {
        self.features
    }

    /// Number of hash buckets that carry weights.
    pub fn n_rows(&self) -> usize {
        self.buckets.len()
    }

    /// The probability of every class, best first (ties in label order); sums to 1.
    pub fn predict(&self, text: &str) -> Vec<(String, f64)> {
        self.predict_parts(&[text])
    }

    /// [`predict`](Self::predict) on an article without joining its text: the headline and
    /// paragraphs are read as one stream of words, as if joined by spaces.
    pub fn predict_article(&self, headline: &str, paragraphs: &[String]) -> Vec<(String, f64)> {
        let mut parts: Vec<&str> = Vec::with_capacity(paragraphs.len() + 1);
        parts.push(headline);
        parts.extend(paragraphs.iter().map(String::as_str));
        self.predict_parts(&parts)
    }

    /// The probability of every class in label order, written into `probabilities` (resized to
    /// the number of labels). The allocation-free core of [`predict`](Self::predict).
    pub fn probabilities_into(&self, parts: &[&str], probabilities: &mut Vec<f64>) {
        probabilities.clear();
        probabilities.extend(self.bias.iter().map(|&b| f64::from(b)));
        SCRATCH.with(|scratch| {
            let Ok(mut scratch) = scratch.try_borrow_mut() else {
                // Only reachable if `idf` lookups re-entered prediction; they do not.
                return;
            };
            let by_word = self.features.char_weighting == CharWeighting::Word;
            let mut char_sums = [0.0f64; MAX_CLASSES_BY_WORD];
            let mut char_sum_squares = 0.0;
            if by_word && self.labels.len() <= MAX_CLASSES_BY_WORD {
                features::count_words(&self.features, parts, &mut scratch);
                char_sum_squares = features::word_char_scores(
                    &self.features,
                    self.id,
                    &mut scratch,
                    &mut char_sums[..self.labels.len()],
                    |buckets, share| self.char_share(buckets, share),
                );
                scratch.chars_scored_by_word = char_sum_squares > 0.0;
            } else {
                features::count_features(&self.features, parts, &mut scratch);
                scratch.chars_scored_by_word = false;
            }
            features::weigh(
                &mut scratch,
                |bucket| self.index.row(bucket).map_or(NO_ROW, |row| row as u32),
                |row| match row {
                    NO_ROW => self.default_idf,
                    row => self.index.idf(row as usize),
                },
            );
            for &(row, value) in &scratch.vector {
                if row != NO_ROW {
                    for (score, &weight) in probabilities
                        .iter_mut()
                        .zip(self.index.weights(row as usize))
                    {
                        *score += f64::from(value * weight);
                    }
                }
            }
            if char_sum_squares > 0.0 {
                let group_scale = if scratch.words.is_empty() {
                    1.0
                } else {
                    std::f64::consts::FRAC_1_SQRT_2
                };
                let scale = group_scale / char_sum_squares.sqrt();
                for (score, &sum) in probabilities.iter_mut().zip(&char_sums) {
                    *score += sum * scale;
                }
            }
        });
        softmax(probabilities, f64::from(self.temperature));
    }

    /// A word's share of the class scores under [`CharWeighting::Word`], from the buckets of
    /// its character n-grams: `Σ idf²` into `share[0]`, then per class `Σ idf · weight`.
    fn char_share(&self, buckets: &[u32], share: &mut [f32]) {
        let Some((squares, classes)) = share.split_first_mut() else {
            return;
        };
        // The buckets' index entries are at random places: ask for all of them first.
        for &bucket in buckets {
            self.index.prefetch(bucket);
        }
        for &bucket in buckets {
            match self.index.row(bucket) {
                Some(row) => {
                    let idf = self.index.idf(row);
                    *squares += idf * idf;
                    for (class, &weight) in classes.iter_mut().zip(self.index.weights(row)) {
                        *class += idf * weight;
                    }
                }
                None => *squares += self.default_idf * self.default_idf,
            }
        }
    }

    fn predict_parts(&self, parts: &[&str]) -> Vec<(String, f64)> {
        let mut probabilities = Vec::with_capacity(self.labels.len());
        self.probabilities_into(parts, &mut probabilities);
        let mut ranked: Vec<(String, f64)> =
            self.labels.iter().cloned().zip(probabilities).collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked
    }

    /// Index (into [`labels`](Self::labels)) of the most probable class.
    pub fn predict_index(&self, text: &str) -> usize {
        let mut probabilities = Vec::with_capacity(self.labels.len());
        self.probabilities_into(&[text], &mut probabilities);
        let mut best = 0;
        for (class_idx, &p) in probabilities.iter().enumerate() {
            if p > probabilities[best] {
                best = class_idx;
            }
        }
        best
    }

    fn uninformative() -> Model {
        Model::from_parts(Parts {
            features: FeatureConfig::default(),
            labels: vec!["unknown".to_owned()],
            temperature: 1.0,
            default_idf: 1.0,
            bias: vec![0.0],
            buckets: Vec::new(),
            idf: Vec::new(),
            weights: Vec::new(),
        })
    }

    pub(crate) fn from_parts(parts: Parts) -> Model {
        let Parts {
            features,
            labels,
            temperature,
            default_idf,
            bias,
            buckets,
            idf,
            weights,
        } = parts;
        let index = Index::new(features.n_buckets(), labels.len(), &buckets, &idf, &weights);
        Model {
            id: next_model_id(),
            features,
            labels,
            temperature,
            default_idf,
            bias,
            index,
            buckets,
            idf,
            weights,
        }
    }

    /// The same model with idf and weights rounded as the file format stores them, so that a
    /// freshly trained model predicts exactly what its saved copy will.
    pub(crate) fn quantised(mut self) -> Model {
        let n_classes = self.labels.len();
        let range = format::idf_range(&self.idf);
        for idf in &mut self.idf {
            *idf = format::dequantise_idf(format::quantise_idf(*idf, range), range);
        }
        let scales = format::weight_scales(&self.weights, n_classes);
        for row in self.weights.chunks_mut(n_classes.max(1)) {
            for (weight, &scale) in row.iter_mut().zip(&scales) {
                *weight = f32::from(format::quantise_weight(*weight, scale)) * scale;
            }
        }
        self.id = next_model_id();
        self.index = Index::new(
            self.features.n_buckets(),
            n_classes,
            &self.buckets,
            &self.idf,
            &self.weights,
        );
        self
    }
}

/// In place: `p_k = exp(T·s_k) / Σ exp(T·s_j)`, shifted by the maximum for stability.
fn softmax(scores: &mut [f64], temperature: f64) {
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        let uniform = 1.0 / scores.len().max(1) as f64;
        scores.iter_mut().for_each(|p| *p = uniform);
        return;
    }
    let mut sum = 0.0;
    for score in scores.iter_mut() {
        *score = ((*score - max) * temperature).exp();
        sum += *score;
    }
    for score in scores.iter_mut() {
        *score /= sum;
    }
}

#[cfg(test)]
mod tests;

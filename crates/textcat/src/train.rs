//! Training: hashed TF-IDF vectors, one-vs-rest linear SVMs, softmax temperature.
//!
//! Each class gets an L2-regularised squared-hinge linear SVM, solved in the dual by coordinate
//! descent (Hsieh et al., ICML 2008, the liblinear `-s 1` solver). It is written here because no
//! maintained pure-Rust crate offers it on sparse hashed inputs without pulling in a dense
//! linear-algebra stack; it is about forty lines.

use std::collections::BTreeSet;

use crate::features::{self, FeatureConfig, Scratch};
use crate::rng::SplitMix64;
use crate::{Model, TrainConfig};

/// Sparse rows: `indices[offsets[i]..offsets[i + 1]]` are the buckets of example `i`.
#[derive(Default)]
struct Csr {
    offsets: Vec<usize>,
    indices: Vec<u32>,
    values: Vec<f32>,
}

impl Csr {
    fn new() -> Self {
        Csr {
            offsets: vec![0],
            ..Csr::default()
        }
    }

    fn push_row(&mut self, row: impl IntoIterator<Item = (u32, f32)>) {
        for (index, value) in row {
            self.indices.push(index);
            self.values.push(value);
        }
        self.offsets.push(self.indices.len());
    }

    fn row(&self, row_idx: usize) -> (&[u32], &[f32]) {
        let range = self.offsets[row_idx]..self.offsets[row_idx + 1];
        (&self.indices[range.clone()], &self.values[range])
    }

    fn n_rows(&self) -> usize {
        self.offsets.len() - 1
    }
}

/// One linear scorer per class over the training dimensions.
struct Linear {
    /// `n_classes` dense weight vectors of `n_dims` each, class-major.
    weights: Vec<Vec<f32>>,
    bias: Vec<f32>,
    /// The dual variables of each class, by example index (0 outside the fitted subset): they
    /// warm-start the final fit from the calibration fit.
    alpha: Vec<Vec<f32>>,
}

impl Linear {
    fn scores(&self, indices: &[u32], values: &[f32], out: &mut [f32]) {
        for (class_idx, score) in out.iter_mut().enumerate() {
            let weights = &self.weights[class_idx];
            *score = self.bias[class_idx]
                + indices
                    .iter()
                    .zip(values)
                    .map(|(&b, &v)| weights[b as usize] * v)
                    .sum::<f32>();
        }
    }
}

pub(crate) fn train(examples: &[(String, String)], config: &TrainConfig) -> Model {
    let features = if config.features.is_valid() {
        config.features
    } else {
        FeatureConfig::default()
    };
    let labels: Vec<String> = examples
        .iter()
        .map(|(_, label)| label.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let classes: Vec<usize> = examples
        .iter()
        .map(|(_, label)| labels.binary_search(label).unwrap_or_default())
        .collect();

    // Raw counts, kept to be weighed once the document frequencies are known.
    let mut scratch = Scratch::default();
    let mut word_counts = Csr::new();
    let mut char_counts = Csr::new();
    let mut char_squares = Csr::new();
    let mut document_frequency = vec![0u32; features.n_buckets()];
    for (text, _) in examples {
        features::count_features(&features, &[text.as_str()], &mut scratch);
        for &(bucket, _) in scratch.words.entries.iter().chain(&scratch.chars.entries) {
            document_frequency[bucket as usize] += 1;
        }
        word_counts.push_row(scratch.words.entries.iter().copied());
        char_counts.push_row(scratch.chars.entries.iter().copied());
        char_squares.push_row(scratch.chars_squared.entries.iter().copied());
    }

    let n_documents = examples.len() as f32;
    let default_idf = (1.0 + n_documents).ln() + 1.0;
    let min_df = config.min_df.max(1);
    let idf_of = |bucket: u32| {
        let df = document_frequency[bucket as usize];
        if df >= min_df {
            ((1.0 + n_documents) / (1.0 + df as f32)).ln() + 1.0
        } else {
            default_idf
        }
    };
    // Training works on the kept buckets only, renumbered densely: the weight vectors then
    // take a fraction of the hash table's memory and stay in cache.
    let kept_buckets: Vec<u32> = (0..features.n_buckets() as u32)
        .filter(|&b| document_frequency[b as usize] >= min_df)
        .collect();
    let mut dimension_of_bucket = vec![u32::MAX; features.n_buckets()];
    for (dimension, &bucket) in kept_buckets.iter().enumerate() {
        dimension_of_bucket[bucket as usize] = dimension as u32;
    }
    let n_dims = kept_buckets.len();
    let mut vectors = Csr::new();
    for example_idx in 0..examples.len() {
        scratch.words.clear();
        scratch.chars.clear();
        scratch.chars_squared.clear();
        let (indices, values) = word_counts.row(example_idx);
        for (&bucket, &count) in indices.iter().zip(values) {
            scratch.words.add(bucket, count);
        }
        let (indices, values) = char_counts.row(example_idx);
        for (&bucket, &count) in indices.iter().zip(values) {
            scratch.chars.add(bucket, count);
        }
        let (indices, values) = char_squares.row(example_idx);
        for (&bucket, &squared) in indices.iter().zip(values) {
            scratch.chars_squared.add(bucket, squared);
        }
        features::weigh(&mut scratch, |bucket| bucket, idf_of);
        // Rare buckets count towards the length, as unknown buckets do at prediction time, but
        // get no weight.
        vectors.push_row(scratch.vector.iter().filter_map(|&(bucket, value)| {
            let dimension = dimension_of_bucket[bucket as usize];
            (dimension != u32::MAX).then_some((dimension, value))
        }));
    }
    drop(word_counts);
    drop(char_counts);
    drop(char_squares);

    let (temperature, calibration_fit) =
        calibrated_temperature(&vectors, &classes, labels.len(), n_dims, config);
    let all: Vec<usize> = (0..vectors.n_rows()).collect();
    let linear = fit(
        &vectors,
        &classes,
        &all,
        labels.len(),
        n_dims,
        config,
        calibration_fit.as_ref(),
    );

    let weighted_dimensions: Vec<usize> = (0..n_dims)
        .filter(|&d| linear.weights.iter().any(|weights| weights[d] != 0.0))
        .collect();
    let idf = weighted_dimensions
        .iter()
        .map(|&d| idf_of(kept_buckets[d]))
        .collect();
    let mut weights = Vec::with_capacity(weighted_dimensions.len() * labels.len());
    for &dimension in &weighted_dimensions {
        weights.extend(
            linear
                .weights
                .iter()
                .map(|class_weights| class_weights[dimension]),
        );
    }
    let kept_buckets = weighted_dimensions
        .iter()
        .map(|&d| kept_buckets[d])
        .collect();
    Model::from_parts(crate::Parts {
        features,
        labels,
        temperature,
        default_idf,
        bias: linear.bias,
        buckets: kept_buckets,
        idf,
        weights,
    })
    .quantised()
}

/// Fits the one-vs-rest SVMs on the examples `subset`.
fn fit(
    vectors: &Csr,
    classes: &[usize],
    subset: &[usize],
    n_classes: usize,
    n_dims: usize,
    config: &TrainConfig,
    warm_start: Option<&Linear>,
) -> Linear {
    let mut linear = Linear {
        weights: Vec::with_capacity(n_classes),
        bias: Vec::new(),
        alpha: Vec::new(),
    };
    let mut rng = SplitMix64::new(config.seed);
    for class_idx in 0..n_classes {
        let is_positive = |i: usize| classes[i] == class_idx;
        let scale = (config.nb_smoothing > 0.0)
            .then(|| log_count_ratios(vectors, subset, is_positive, n_dims, config.nb_smoothing));
        let initial_alpha = warm_start.and_then(|warm| warm.alpha.get(class_idx));
        let problem = BinaryProblem {
            vectors,
            subset,
            sign: subset
                .iter()
                .map(|&i| if is_positive(i) { 1.0 } else { -1.0 })
                .collect(),
            scale: scale.as_deref(),
            initial_alpha: initial_alpha.map(Vec::as_slice),
        };
        let (weights, bias, alpha) = fit_binary(&problem, n_dims, config, &mut rng);
        linear.weights.push(weights);
        linear.bias.push(bias);
        linear.alpha.push(alpha);
    }
    linear
}

/// One class against the rest, on the examples `subset`.
struct BinaryProblem<'a> {
    vectors: &'a Csr,
    subset: &'a [usize],
    /// +1 or −1 for each example of `subset`.
    sign: Vec<f32>,
    /// NBSVM scale per dimension.
    scale: Option<&'a [f32]>,
    /// Dual variables to start from, by example index.
    initial_alpha: Option<&'a [f32]>,
}

/// Dual coordinate descent for `min ½‖w‖² + C Σ max(0, 1 − yᵢ w·(r∘xᵢ))²`, with a bias
/// feature of 1, where `r` is the NBSVM scale (1 without it). Returns the effective weights
/// `r∘w`, the bias and the dual variables by example index. The effective weights apply to
/// unscaled vectors; keeping those (with `r²` beside each, for the update) saves a lookup per
/// feature in the inner loops.
fn fit_binary(
    problem: &BinaryProblem<'_>,
    n_dims: usize,
    config: &TrainConfig,
    rng: &mut SplitMix64,
) -> (Vec<f32>, f32, Vec<f32>) {
    let BinaryProblem {
        vectors,
        subset,
        sign,
        scale,
        initial_alpha,
    } = problem;
    let c = if config.c.is_finite() && config.c > 0.0 {
        config.c
    } else {
        1.0
    };
    let diagonal = 0.5 / c;
    // [effective weight, r²] per dimension.
    let mut weights: Vec<[f32; 2]> = match scale {
        Some(scale) => scale.iter().map(|r| [0.0, r * r]).collect(),
        None => vec![[0.0, 1.0]; n_dims],
    };
    let mut bias = 0.0f32;
    let q_diagonal: Vec<f32> = subset
        .iter()
        .map(|&i| {
            let (indices, values) = vectors.row(i);
            indices
                .iter()
                .zip(values)
                .map(|(&d, v)| v * v * weights[d as usize][1])
                .sum::<f32>()
                + 1.0
                + diagonal
        })
        .collect();
    let mut alpha: Vec<f32> = subset
        .iter()
        .map(|&i| {
            initial_alpha
                .and_then(|initial| initial.get(i))
                .copied()
                .unwrap_or(0.0)
        })
        .collect();
    for (k, &i) in subset.iter().enumerate() {
        if alpha[k] != 0.0 {
            let step = alpha[k] * sign[k];
            let (indices, values) = vectors.row(i);
            for (&d, &v) in indices.iter().zip(values) {
                let weight = &mut weights[d as usize];
                weight[0] += step * v * weight[1];
            }
            bias += step;
        }
    }
    let mut order: Vec<usize> = (0..subset.len()).collect();
    for _epoch in 0..config.max_epochs.max(1) {
        rng.shuffle(&mut order);
        let (mut max_pg, mut min_pg) = (f32::NEG_INFINITY, f32::INFINITY);
        for &k in &order {
            let (indices, values) = vectors.row(subset[k]);
            let margin = bias
                + indices
                    .iter()
                    .zip(values)
                    .map(|(&d, &v)| weights[d as usize][0] * v)
                    .sum::<f32>();
            let gradient = sign[k] * margin - 1.0 + diagonal * alpha[k];
            let projected = if alpha[k] == 0.0 {
                gradient.min(0.0)
            } else {
                gradient
            };
            max_pg = max_pg.max(projected);
            min_pg = min_pg.min(projected);
            if projected != 0.0 {
                let new_alpha = (alpha[k] - gradient / q_diagonal[k]).max(0.0);
                let step = (new_alpha - alpha[k]) * sign[k];
                alpha[k] = new_alpha;
                for (&d, &v) in indices.iter().zip(values) {
                    let weight = &mut weights[d as usize];
                    weight[0] += step * v * weight[1];
                }
                bias += step;
            }
        }
        if max_pg - min_pg < config.tolerance {
            break;
        }
    }
    let mut alpha_by_example = vec![0.0; vectors.n_rows()];
    for (k, &i) in subset.iter().enumerate() {
        alpha_by_example[i] = alpha[k];
    }
    (
        weights.into_iter().map(|[weight, _]| weight).collect(),
        bias,
        alpha_by_example,
    )
}

/// The softmax temperature that minimises the log-loss on a stratified held-out part of the
/// training set (the first fold of `round(1 / calibration_fraction)`), fitted on the rest;
/// also returns that fit, to warm-start the final one.
fn calibrated_temperature(
    vectors: &Csr,
    classes: &[usize],
    n_classes: usize,
    n_dims: usize,
    config: &TrainConfig,
) -> (f32, Option<Linear>) {
    const FALLBACK: f32 = 5.0;
    let fraction = config.calibration_fraction;
    if !(fraction > 0.0 && fraction < 0.5) || n_classes < 2 || classes.len() < 20 {
        return (FALLBACK, None);
    }
    let n_folds = (1.0 / fraction).round() as usize;
    let folds = crate::eval::stratified_folds(classes, n_folds, config.seed ^ 0xca1b);
    let (fit_part, held_out): (Vec<usize>, Vec<usize>) =
        (0..classes.len()).partition(|&i| folds[i] != 0);
    let linear = fit(vectors, classes, &fit_part, n_classes, n_dims, config, None);
    let mut all_scores = vec![0.0f32; held_out.len() * n_classes];
    for (row, &example_idx) in all_scores.chunks_mut(n_classes).zip(&held_out) {
        let (indices, values) = vectors.row(example_idx);
        linear.scores(indices, values, row);
    }
    let log_loss = |temperature: f32| -> f64 {
        all_scores
            .chunks(n_classes)
            .zip(&held_out)
            .map(|(scores, &example_idx)| {
                let max = scores.iter().fold(f32::NEG_INFINITY, |m, &s| m.max(s));
                let log_sum = scores
                    .iter()
                    .map(|&s| f64::from((s - max) * temperature).exp())
                    .sum::<f64>()
                    .ln();
                log_sum - f64::from((scores[classes[example_idx]] - max) * temperature)
            })
            .sum()
    };
    // A log-spaced grid is enough: the loss is smooth and flat near its minimum.
    let temperature = (0..=60)
        .map(|step| 0.5 * 1.1f32.powi(step))
        .map(|temperature| (temperature, log_loss(temperature)))
        .fold((FALLBACK, f64::INFINITY), |best, candidate| {
            if candidate.1 < best.1 {
                candidate
            } else {
                best
            }
        })
        .0;
    (temperature, Some(linear))
}

/// NBSVM feature scaling (Wang & Manning, ACL 2012): the log ratio of how often a bucket
/// occurs in positive and in negative documents, smoothed by `smoothing`.
fn log_count_ratios(
    vectors: &Csr,
    subset: &[usize],
    is_positive: impl Fn(usize) -> bool,
    n_dims: usize,
    smoothing: f32,
) -> Vec<f32> {
    let mut positive = vec![smoothing; n_dims];
    let mut negative = vec![smoothing; n_dims];
    for &i in subset {
        let counts = if is_positive(i) {
            &mut positive
        } else {
            &mut negative
        };
        for &b in vectors.row(i).0 {
            counts[b as usize] += 1.0;
        }
    }
    let positive_total: f32 = positive.iter().sum();
    let negative_total: f32 = negative.iter().sum();
    positive
        .iter()
        .zip(&negative)
        .map(|(&p, &q)| ((p / positive_total) / (q / negative_total)).ln())
        .collect()
}

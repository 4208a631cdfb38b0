//! Seeded stratified splits and classification metrics, shared by `textcat-lab` and tests.

use crate::rng::SplitMix64;

/// Assigns each example to one of `n_folds` folds so that every class is spread evenly:
/// the examples of each class (in class order of first appearance, then input order) are
/// shuffled with `seed` and dealt round-robin, the deal continuing from class to class.
/// Returns the fold of each example.
pub fn stratified_folds(labels: &[usize], n_folds: usize, seed: u64) -> Vec<usize> {
    let n_folds = n_folds.max(1);
    let mut rng = SplitMix64::new(seed);
    let mut folds = vec![0; labels.len()];
    let mut next_fold = 0;
    for members in members_by_class(labels) {
        let mut members = members;
        rng.shuffle(&mut members);
        for example_idx in members {
            folds[example_idx] = next_fold;
            next_fold = (next_fold + 1) % n_folds;
        }
    }
    folds
}

/// A stratified train/test split: within each class (in class order of first appearance) the
/// examples are shuffled with `seed` and the first `round(train_fraction · n_class)` go to
/// training. Returns `true` for training examples.
pub fn stratified_split(labels: &[usize], train_fraction: f64, seed: u64) -> Vec<bool> {
    let train_fraction = if train_fraction.is_finite() {
        train_fraction.clamp(0.0, 1.0)
    } else {
        0.8
    };
    let mut rng = SplitMix64::new(seed);
    let mut is_train = vec![false; labels.len()];
    for members in members_by_class(labels) {
        let mut members = members;
        rng.shuffle(&mut members);
        let n_train = (train_fraction * members.len() as f64).round() as usize;
        for &example_idx in &members[..n_train.min(members.len())] {
            is_train[example_idx] = true;
        }
    }
    is_train
}

/// Example indices of each class, classes in order of first appearance.
fn members_by_class(labels: &[usize]) -> Vec<Vec<usize>> {
    let mut class_order: Vec<usize> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for (example_idx, &label) in labels.iter().enumerate() {
        let slot = match class_order.iter().position(|&seen| seen == label) {
            Some(slot) => slot,
            None => {
                class_order.push(label);
                members.push(Vec::new());
                members.len() - 1
            }
        };
        members[slot].push(example_idx);
    }
    members
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClassMetrics {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Number of true examples of the class.
    pub support: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Metrics {
    pub per_class: Vec<ClassMetrics>,
    pub accuracy: f64,
    /// Unweighted mean of the per-class F1.
    pub macro_f1: f64,
}

/// Metrics of `predicted` against `truth`, for classes `0..n_classes`.
pub fn metrics(truth: &[usize], predicted: &[usize], n_classes: usize) -> Metrics {
    let mut true_positives = vec![0usize; n_classes];
    let mut n_predicted = vec![0usize; n_classes];
    let mut n_true = vec![0usize; n_classes];
    for (&actual, &guess) in truth.iter().zip(predicted) {
        if let Some(count) = n_true.get_mut(actual) {
            *count += 1;
        }
        if let Some(count) = n_predicted.get_mut(guess) {
            *count += 1;
        }
        if actual == guess
            && let Some(count) = true_positives.get_mut(actual)
        {
            *count += 1;
        }
    }
    let ratio = |num: usize, den: usize| {
        if den == 0 {
            0.0
        } else {
            num as f64 / den as f64
        }
    };
    let per_class: Vec<ClassMetrics> = (0..n_classes)
        .map(|class| {
            let precision = ratio(true_positives[class], n_predicted[class]);
            let recall = ratio(true_positives[class], n_true[class]);
            let f1 = if precision + recall == 0.0 {
                0.0
            } else {
                2.0 * precision * recall / (precision + recall)
            };
            ClassMetrics {
                precision,
                recall,
                f1,
                support: n_true[class],
            }
        })
        .collect();
    let n_correct: usize = true_positives.iter().sum();
    let macro_f1 = if n_classes == 0 {
        0.0
    } else {
        per_class.iter().map(|class| class.f1).sum::<f64>() / n_classes as f64
    };
    Metrics {
        per_class,
        accuracy: ratio(n_correct, truth.len()),
        macro_f1,
    }
}

//! Training: a structured averaged perceptron (Collins 2002) over BILOU label sequences,
//! in two stages.
//!
//! Features are extracted once (they do not depend on the labels being decided), interned
//! to dense indices, and each epoch visits the sentences in a seeded shuffled order,
//! decodes with Viterbi and, on a wrong sequence, adds the gold features and subtracts the
//! predicted ones. Weights are integers, averaged with the usual "weight minus timestamped
//! sum" trick, so training is exactly reproducible for a given seed.
//!
//! The second stage sees the first stage's labels for the whole document (see
//! `Extractor::extract_consistency`). To train it on labels as noisy as those it will see
//! on new text, the training documents are labelled by jackknifing: split into folds,
//! each fold tagged by a first stage (and gazetteer) trained on the other folds.

use std::ops::Range;

use crate::Tagger;
use crate::conll::Document;
use crate::decode::{Transitions, Viterbi};
use crate::features::{Extractor, FeatureBuf, HashMap64};
use crate::gazetteer::{Gazetteer, document_phrases};
use crate::label::{Label, N_LABELS};
use crate::model::{Model, Stage};

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    pub epochs: usize,
    pub seed: u64,
    /// Features whose averaged weights are all below this are dropped from the model.
    pub prune_below: f32,
    /// Train the second, document-consistency stage.
    pub two_stage: bool,
    /// Number of jackknife folds used to label the training data for the second stage.
    pub folds: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 10,
            seed: 1,
            prune_below: 0.0,
            two_stage: true,
            folds: 4,
        }
    }
}

/// Progress after each epoch of the final model's stages (the jackknife models train
/// silently).
#[derive(Debug, Clone, Copy)]
pub struct EpochReport {
    /// 1 or 2.
    pub stage: usize,
    /// From 1.
    pub epoch: usize,
    /// The share of training sentences decoded wrongly during the epoch.
    pub sentence_error_rate: f64,
}

/// Trains a tagger on `documents`. `on_epoch` is called after every epoch with a way to
/// build the averaged model so far (e.g. to evaluate it on development data).
pub fn train(
    documents: &[Document],
    config: &TrainConfig,
    mut on_epoch: impl FnMut(EpochReport, &dyn Fn() -> Tagger),
) -> Tagger {
    let gazetteer = Gazetteer::from_documents(documents);
    let tagger_with =
        |stages: Vec<Stage>| Tagger::from_model(Model::new(stages, gazetteer.clone()));
    let first = train_stage(
        documents,
        &gazetteer,
        None,
        config,
        &mut |report, averaged| {
            on_epoch(EpochReport { stage: 1, ..report }, &|| {
                tagger_with(vec![averaged()])
            });
        },
    );
    if !config.two_stage {
        return tagger_with(vec![first]);
    }
    let previous_labels = jackknife_labels(documents, config);
    let second = train_stage(
        documents,
        &gazetteer,
        Some(&previous_labels),
        config,
        &mut |report, averaged| {
            on_epoch(EpochReport { stage: 2, ..report }, &|| {
                tagger_with(vec![first.clone(), averaged()])
            });
        },
    );
    tagger_with(vec![first, second])
}

/// First-stage labels for every training document, each predicted by a model that did
/// not see the document (nor its names in the gazetteer).
fn jackknife_labels(documents: &[Document], config: &TrainConfig) -> Vec<Vec<Label>> {
    let n_folds = config.folds.max(2);
    let mut labels = vec![Vec::new(); documents.len()];
    for fold in 0..n_folds {
        let (held_out, kept): (Vec<_>, Vec<_>) = documents
            .iter()
            .enumerate()
            .partition(|(idx, _)| idx % n_folds == fold);
        let kept: Vec<Document> = kept
            .into_iter()
            .map(|(_, document)| document.clone())
            .collect();
        let gazetteer = Gazetteer::from_documents(&kept);
        let stage = train_stage(&kept, &gazetteer, None, config, &mut |_, _| {});
        let tagger = Tagger::from_model(Model::new(vec![stage], gazetteer));
        for (idx, document) in held_out {
            let (tokens, ranges) = flatten(document);
            labels[idx] = tagger.document_labels(&tokens, &ranges);
        }
    }
    labels
}

/// A document's tokens and the range of each sentence in them.
fn flatten(document: &Document) -> (Vec<&str>, Vec<Range<usize>>) {
    let mut tokens = Vec::with_capacity(document.n_tokens());
    let mut ranges = Vec::with_capacity(document.sentences.len());
    for sentence in &document.sentences {
        let start = tokens.len();
        tokens.extend(sentence.tokens.iter().map(String::as_str));
        ranges.push(start..tokens.len());
    }
    (tokens, ranges)
}

struct Sentence {
    /// Feature indices, flattened per token.
    features: Vec<u32>,
    offsets: Vec<u32>,
    labels: Vec<Label>,
}

fn train_stage(
    documents: &[Document],
    gazetteer: &Gazetteer,
    previous_labels: Option<&[Vec<Label>]>,
    config: &TrainConfig,
    on_epoch: &mut dyn FnMut(EpochReport, &dyn Fn() -> Stage),
) -> Stage {
    let mut feature_keys: Vec<u64> = Vec::new();
    let sentences = extract_all(documents, gazetteer, previous_labels, &mut feature_keys);
    let n_features = feature_keys.len();
    let mut state = Perceptron {
        weights: vec![0; n_features * N_LABELS],
        sums: vec![0; n_features * N_LABELS],
        transitions: vec![0; (N_LABELS + 1) * N_LABELS],
        transition_sums: vec![0; (N_LABELS + 1) * N_LABELS],
        clock: 1,
    };
    let mut order: Vec<usize> = (0..sentences.len()).collect();
    let mut rng = SplitMix64(config.seed);
    let mut viterbi = Viterbi::default();
    let mut emissions = Vec::new();
    let mut predicted = Vec::new();
    for epoch in 1..=config.epochs {
        shuffle(&mut order, &mut rng);
        let mut n_wrong = 0usize;
        for &sentence_idx in &order {
            let sentence = &sentences[sentence_idx];
            state.emissions(sentence, &mut emissions);
            let transitions = state.current_transitions();
            viterbi.decode(&emissions, &transitions, &mut predicted);
            if predicted != sentence.labels {
                n_wrong += 1;
                state.update(sentence, &predicted);
            }
            state.clock += 1;
        }
        let sentence_error_rate = n_wrong as f64 / sentences.len().max(1) as f64;
        on_epoch(
            EpochReport {
                stage: 1,
                epoch,
                sentence_error_rate,
            },
            &|| state.averaged(&feature_keys, 0.0),
        );
    }
    state.averaged(&feature_keys, config.prune_below)
}

fn extract_all(
    documents: &[Document],
    gazetteer: &Gazetteer,
    previous_labels: Option<&[Vec<Label>]>,
    feature_keys: &mut Vec<u64>,
) -> Vec<Sentence> {
    let mut interner: HashMap64<u32> = HashMap64::default();
    let mut extractor = Extractor::default();
    let mut stage_features = FeatureBuf::default();
    let mut sentences = Vec::new();
    for (document_idx, document) in documents.iter().enumerate() {
        let (tokens, ranges) = flatten(document);
        // Leave the document's own names out of the gazetteer, as they would be for
        // unseen text.
        let own_phrases = document_phrases(document);
        extractor.extract(&tokens, &ranges, gazetteer, Some(&own_phrases));
        stage_features.keys.clear();
        stage_features.offsets.clear();
        if let Some(labels) = previous_labels.and_then(|labels| labels.get(document_idx)) {
            extractor.extract_consistency(&ranges, labels, &[], &mut stage_features);
        }
        for (sentence, range) in document.sentences.iter().zip(&ranges) {
            let mut indices = Vec::new();
            let mut offsets = vec![0u32];
            for idx in range.clone() {
                for &key in extractor
                    .features
                    .token(idx)
                    .iter()
                    .chain(stage_features.token(idx))
                {
                    let next = feature_keys.len() as u32;
                    let feature = *interner.entry(key).or_insert_with(|| {
                        feature_keys.push(key);
                        next
                    });
                    indices.push(feature);
                }
                offsets.push(indices.len() as u32);
            }
            sentences.push(Sentence {
                features: indices,
                offsets,
                labels: sentence.labels.clone(),
            });
        }
    }
    sentences
}

struct Perceptron {
    weights: Vec<i32>,
    /// Σ clock × update, for averaging: average = weight − sum / clock.
    sums: Vec<i64>,
    transitions: Vec<i32>,
    transition_sums: Vec<i64>,
    clock: i64,
}

impl Perceptron {
    fn emissions(&self, sentence: &Sentence, out: &mut Vec<[i64; N_LABELS]>) {
        out.clear();
        for window in sentence.offsets.windows(2) {
            let mut emission = [0i64; N_LABELS];
            for &feature in &sentence.features[window[0] as usize..window[1] as usize] {
                let row = &self.weights[feature as usize * N_LABELS..][..N_LABELS];
                for (score, &weight) in emission.iter_mut().zip(row) {
                    *score += i64::from(weight);
                }
            }
            out.push(emission);
        }
    }

    fn current_transitions(&self) -> Transitions {
        let mut transitions = [[0i64; N_LABELS]; N_LABELS + 1];
        for (idx, weight) in transitions.iter_mut().flatten().enumerate() {
            *weight = i64::from(self.transitions[idx]);
        }
        transitions
    }

    fn update(&mut self, sentence: &Sentence, predicted: &[Label]) {
        let clock = self.clock;
        let mut previous_gold = 0usize;
        let mut previous_predicted = 0usize;
        for (idx, (&gold, &guess)) in sentence.labels.iter().zip(predicted).enumerate() {
            let (gold, guess) = (gold as usize, guess as usize);
            if gold != guess {
                let start = sentence.offsets[idx] as usize;
                let end = sentence.offsets[idx + 1] as usize;
                for &feature in &sentence.features[start..end] {
                    let row = feature as usize * N_LABELS;
                    self.weights[row + gold] += 1;
                    self.sums[row + gold] += clock;
                    self.weights[row + guess] -= 1;
                    self.sums[row + guess] -= clock;
                }
            }
            if gold != guess || previous_gold != previous_predicted {
                let gold_transition = previous_gold * N_LABELS + gold;
                let guess_transition = previous_predicted * N_LABELS + guess;
                self.transitions[gold_transition] += 1;
                self.transition_sums[gold_transition] += clock;
                self.transitions[guess_transition] -= 1;
                self.transition_sums[guess_transition] -= clock;
            }
            previous_gold = 1 + gold;
            previous_predicted = 1 + guess;
        }
    }

    fn averaged(&self, feature_keys: &[u64], prune_below: f32) -> Stage {
        let clock = self.clock as f64;
        let average = |weight: i32, sum: i64| (f64::from(weight) - sum as f64 / clock) as f32;
        let mut features = Vec::with_capacity(feature_keys.len());
        for (idx, &key) in feature_keys.iter().enumerate() {
            let mut row = [0f32; N_LABELS];
            let mut any = false;
            for (label, weight) in row.iter_mut().enumerate() {
                let at = idx * N_LABELS + label;
                *weight = average(self.weights[at], self.sums[at]);
                any |= *weight != 0.0;
            }
            if any {
                features.push((key, row));
            }
        }
        let mut transitions = [[0f32; N_LABELS]; N_LABELS + 1];
        for (idx, weight) in transitions.iter_mut().flatten().enumerate() {
            *weight = average(self.transitions[idx], self.transition_sums[idx]);
        }
        Stage::quantise(features, &transitions, prune_below)
    }
}

/// A small, seedable generator, so that training does not need a `rand` dependency.
/// splitmix64: the seeded random numbers of training (and of tests).
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        crate::features::mix(0, self.0)
    }
}

fn shuffle(order: &mut [usize], rng: &mut SplitMix64) {
    for idx in (1..order.len()).rev() {
        let other = (rng.next() % (idx as u64 + 1)) as usize;
        order.swap(idx, other);
    }
}

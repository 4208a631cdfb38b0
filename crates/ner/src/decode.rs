//! Viterbi decoding over BILOU labels with first-order transitions. The decoder enforces
//! well-formed sequences (`I-x`/`L-x` only after `B-x`/`I-x`, no open entity at the end)
//! rather than learning them.
//!
//! Decoding is a large share of tagging time, so the inner loop is written for speed: the
//! transitions it reads are gathered into small dense tables, and tagging decodes in `i32`
//! (four scores per SSE2 instruction) whenever the inputs are small enough for that to give
//! exactly the labels `i64` would; training, whose weights are unbounded, always uses `i64`.

use std::ops::{Add, Sub};

use crate::label::{self, Label, N_LABELS, Part};

/// Transition scores: row 0 is the sentence start, row `1 + l` follows label `l`.
pub(crate) type Transitions = [[i64; N_LABELS]; N_LABELS + 1];

const N_OPENING: usize = label::OPENING_LABELS.len();
const N_CLOSED: usize = label::CLOSED_LABELS.len();
/// `N_OPENING` rounded up to whole SSE2 vectors of `i32`; the extra lanes are computed and
/// ignored.
const OPENING_LANES: usize = N_OPENING.next_multiple_of(4);

/// The largest emission or transition magnitude for which decoding in `i32` is exact.
///
/// Why: let `E` and `T` bound the emissions and transitions and `D = 2 (E + T)`, the most
/// one step can separate two paths. After each step scores are shifted so the best is 0.
/// The best closed label (`O`, `L-x`, `U-x`) is then never below `-D` (`O` or `L-x` follows
/// the previous best directly), opening labels are never below `-2D` and continuing ones
/// (`I-x`, `L-x`) never below `-3D`; the unshifted first step is within `±(E + T)`. With
/// `E, T ≤ 2^24` every live score is within `±2^28`, far from `i32`'s `±2^31` and above
/// [`Score::FORBIDDEN`] (`-2^30`): no sum overflows, the clamp to `FORBIDDEN` never touches a
/// live score (in `i64` it is `-2^50`), and a path through a forbidden label loses every
/// comparison in both types. So every comparison, and thus every label, is the same.
const I32_EXACT_LIMIT: i64 = 1 << 24;

/// A score type the decoder runs in.
trait Score: Copy + Ord + Add<Output = Self> + Sub<Output = Self> {
    const ZERO: Self;
    const MIN: Self;
    /// The score of a forbidden start or end: low enough to lose against any allowed
    /// path, high enough not to overflow when a transition is added.
    const FORBIDDEN: Self;
    /// `value`, which the caller knows to be in range.
    fn from_i64(value: i64) -> Self;
    /// A small non-negative count held in a score, as an index.
    fn to_index(self) -> usize;
}

impl Score for i64 {
    const ZERO: i64 = 0;
    const MIN: i64 = i64::MIN;
    const FORBIDDEN: i64 = -(1 << 50);
    fn from_i64(value: i64) -> i64 {
        value
    }
    fn to_index(self) -> usize {
        usize::try_from(self).unwrap_or(usize::MAX)
    }
}

impl Score for i32 {
    const ZERO: i32 = 0;
    const MIN: i32 = i32::MIN;
    const FORBIDDEN: i32 = -(1 << 30);
    fn from_i64(value: i64) -> i32 {
        // Only called on values within `I32_EXACT_LIMIT`.
        value as i32
    }
    fn to_index(self) -> usize {
        usize::try_from(self).unwrap_or(usize::MAX)
    }
}

#[derive(Default)]
pub(crate) struct Viterbi {
    back: Vec<[u8; N_LABELS]>,
    /// Emissions widened to `i64` when they are too large for exact `i32` decoding.
    wide: Vec<[i64; N_LABELS]>,
    /// The emissions and labels of one stretch between quiet tokens.
    stretch: Vec<[i32; N_LABELS]>,
    stretch_labels: Vec<Label>,
}

/// One stage's transitions as [`Viterbi::decode_around_quiet`] uses them.
pub(crate) struct StageTransitions<'a> {
    transitions: &'a Transitions,
    /// The same with the start row replaced by the row after `O`: for a stretch of a
    /// sentence that follows a quiet token.
    after_outside: Transitions,
    fit_i32: bool,
}

impl<'a> StageTransitions<'a> {
    pub fn new(transitions: &'a Transitions) -> StageTransitions<'a> {
        let mut after_outside = *transitions;
        after_outside[0] = transitions[1 + usize::from(label::OUTSIDE)];
        StageTransitions {
            transitions,
            after_outside,
            fit_i32: transitions_fit_i32(transitions),
        }
    }
}

impl Viterbi {
    /// Writes the best well-formed label sequence for `emissions` into `out`.
    ///
    /// Only allowed transitions are scored: `O`, `B-x` and `U-x` follow a closed label
    /// (`O`, `L-y`, `U-y`); `I-x` and `L-x` follow `B-x` or `I-x`. That is 97 of the
    /// 289 label pairs.
    pub fn decode(
        &mut self,
        emissions: &[[i64; N_LABELS]],
        transitions: &Transitions,
        out: &mut Vec<Label>,
    ) {
        decode_in(&mut self.back, emissions, transitions, out);
    }

    /// [`Viterbi::decode`] for `i32` emissions (a tagger's scores): the same labels, about
    /// twice as fast when the scores allow (see [`I32_EXACT_LIMIT`]). `transitions_fit_i32`
    /// is [`transitions_fit_i32`] of `transitions`, which a tagger works out once per stage
    /// rather than for every sentence it decodes with them.
    pub fn decode_i32(
        &mut self,
        emissions: &[[i32; N_LABELS]],
        transitions: &Transitions,
        transitions_fit_i32: bool,
        out: &mut Vec<Label>,
    ) {
        // Folds rather than `all`: without an early exit (which the nearly always small
        // scores never take) the loop has no branch per value and vectorises. Signed
        // comparisons and `|`, because baseline x86-64 (SSE2) has vector instructions for
        // those but none for an unsigned maximum.
        let limit = I32_EXACT_LIMIT as i32;
        let small_emissions = !emissions.iter().flatten().fold(false, |large, &score| {
            large | (score > limit) | (score < -limit)
        });
        if small_emissions && transitions_fit_i32 {
            decode_i32_fast(&mut self.back, emissions, transitions, out);
        } else {
            self.wide.clear();
            self.wide
                .extend(emissions.iter().map(|scores| scores.map(i64::from)));
            decode_in(&mut self.back, &self.wide, transitions, out);
        }
    }
}

impl Viterbi {
    /// The best well-formed labels of a sentence whose `quiet` tokens (one flag per token;
    /// empty for none) must be `O`, into `out`: exactly those of [`Viterbi::decode_i32`]
    /// with every label but `O` forbidden on the quiet tokens, without decoding them. Each
    /// stretch between quiet tokens is decoded alone: one that follows a quiet token
    /// starts from `O` rather than from the sentence start, and one that precedes a quiet
    /// token ends with a closed label (as a sentence does) and pays its transition into
    /// `O`. The quiet tokens' own emissions add the same to every allowed labelling and
    /// are not read.
    pub fn decode_around_quiet(
        &mut self,
        emissions: &[[i32; N_LABELS]],
        quiet: &[bool],
        transitions: &StageTransitions,
        out: &mut Vec<Label>,
    ) {
        out.clear();
        out.resize(emissions.len(), label::OUTSIDE);
        let is_quiet = |idx: usize| quiet.get(idx).copied().unwrap_or(false);
        let mut start = 0;
        while start < emissions.len() {
            if is_quiet(start) {
                start += 1;
                continue;
            }
            let mut end = start + 1;
            while end < emissions.len() && !is_quiet(end) {
                end += 1;
            }
            let mut stretch = std::mem::take(&mut self.stretch);
            stretch.clear();
            stretch.extend_from_slice(emissions.get(start..end).unwrap_or_default());
            let stretch_transitions = if start > 0 {
                &transitions.after_outside
            } else {
                transitions.transitions
            };
            let before_quiet = end < emissions.len();
            let mut fits_i32 = true;
            if before_quiet && let Some(last) = stretch.last_mut() {
                for (previous, into_outside) in into_outside(transitions.transitions) {
                    match i32::try_from(i64::from(last[previous]) + into_outside) {
                        Ok(sum) => last[previous] = sum,
                        Err(_) => fits_i32 = false,
                    }
                }
            }
            let mut labels = std::mem::take(&mut self.stretch_labels);
            if fits_i32 {
                self.decode_i32(
                    &stretch,
                    stretch_transitions,
                    transitions.fit_i32,
                    &mut labels,
                );
            } else {
                // Weights beyond `i32`, which no trained model has: the exact sums in `i64`.
                let mut wide = std::mem::take(&mut self.wide);
                wide.clear();
                wide.extend(
                    emissions
                        .get(start..end)
                        .unwrap_or_default()
                        .iter()
                        .map(|row| row.map(i64::from)),
                );
                if let Some(last) = wide.last_mut() {
                    for (previous, into_outside) in into_outside(transitions.transitions) {
                        last[previous] = last[previous].saturating_add(into_outside);
                    }
                }
                decode_in(&mut self.back, &wide, stretch_transitions, &mut labels);
                self.wide = wide;
            }
            if let Some(out) = out.get_mut(start..end) {
                out.copy_from_slice(&labels);
            }
            self.stretch = stretch;
            self.stretch_labels = labels;
            start = end;
        }
    }
}

/// The weight of moving into `O` from each closed label (by index), the way a stretch before
/// a quiet token ends.
fn into_outside(transitions: &Transitions) -> impl Iterator<Item = (usize, i64)> + '_ {
    label::CLOSED_LABELS.iter().map(|&previous| {
        let previous = usize::from(previous);
        (
            previous,
            transitions[1 + previous][usize::from(label::OUTSIDE)],
        )
    })
}

/// True when every weight of `transitions` is within [`I32_EXACT_LIMIT`], as
/// [`Viterbi::decode_i32`] needs to decode in `i32`.
pub(crate) fn transitions_fit_i32(transitions: &Transitions) -> bool {
    transitions
        .iter()
        .flatten()
        .all(|weight| weight.unsigned_abs() <= I32_EXACT_LIMIT as u64)
}

/// [`decode_in`] for `i32`, compiled for AVX2 when the processor has it: its 8-lane compares
/// and selects (`vpcmpgtd`, `vpblendvb`) do the inner loop in a third of SSE2's
/// instructions. The labels are the same either way; only the instructions differ.
fn decode_i32_fast(
    back_pointers: &mut Vec<[u8; N_LABELS]>,
    emissions: &[[i32; N_LABELS]],
    transitions: &Transitions,
    out: &mut Vec<Label>,
) {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2")]
        fn decode_avx2(
            back_pointers: &mut Vec<[u8; N_LABELS]>,
            emissions: &[[i32; N_LABELS]],
            transitions: &Transitions,
            out: &mut Vec<Label>,
        ) {
            decode_in(back_pointers, emissions, transitions, out);
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor was just found to support AVX2, the only requirement of
            // calling a function compiled with `target_feature(enable = "avx2")`.
            unsafe { decode_avx2(back_pointers, emissions, transitions, out) };
            return;
        }
    }
    decode_in(back_pointers, emissions, transitions, out);
}

#[inline(always)]
fn decode_in<S: Score>(
    back_pointers: &mut Vec<[u8; N_LABELS]>,
    emissions: &[[S; N_LABELS]],
    transitions: &Transitions,
    out: &mut Vec<Label>,
) {
    out.clear();
    let Some(first) = emissions.first() else {
        return;
    };
    back_pointers.clear();
    let mut scores = [S::ZERO; N_LABELS];
    for (label, score) in scores.iter_mut().enumerate() {
        let allowed = label::allowed(None, label as Label);
        *score = if allowed {
            first[label] + S::from_i64(transitions[0][label])
        } else {
            S::FORBIDDEN
        };
    }
    back_pointers.push([0; N_LABELS]);
    // The transitions into an opening label from a closed one, gathered once per call into
    // a dense table (`opening[p][j]`: from `CLOSED_LABELS[p]` to `OPENING_LABELS[j]`), so
    // that the inner loop reads consecutive memory instead of chasing label indices.
    let mut opening = [[S::ZERO; OPENING_LANES]; N_CLOSED];
    for (row, &previous) in opening.iter_mut().zip(&label::CLOSED_LABELS) {
        for (weight, &label) in row.iter_mut().zip(&label::OPENING_LABELS) {
            *weight = S::from_i64(transitions[1 + previous as usize][label as usize]);
        }
    }
    // The same for the continuations: per entity type, from `B-x` and `I-x` into `I-x`
    // and `L-x`.
    let continuations = crate::EntityType::ALL.map(|kind| {
        let begin = label::label(kind, Part::Begin);
        let inside = label::label(kind, Part::Inside);
        [inside, label::label(kind, Part::Last)].map(|target| {
            [
                S::from_i64(transitions[1 + begin as usize][target as usize]),
                S::from_i64(transitions[1 + inside as usize][target as usize]),
            ]
        })
    });
    for emission in &emissions[1..] {
        let mut next = [S::ZERO; N_LABELS];
        let mut back = [0u8; N_LABELS];
        // For every opening label, the best closed predecessor; on a tie the first in
        // `CLOSED_LABELS` order wins (strict `>`). Indexed loops over constant bounds
        // compile to branch-free vector code without bounds checks.
        let mut closed = [S::ZERO; N_CLOSED];
        for (score, &previous) in closed.iter_mut().zip(&label::CLOSED_LABELS) {
            *score = scores[previous as usize];
        }
        let mut best = [S::ZERO; OPENING_LANES];
        // The index into `CLOSED_LABELS`, as wide as a score so that it is selected in the
        // same vector lanes.
        let mut best_from = [S::ZERO; OPENING_LANES];
        for j in 0..OPENING_LANES {
            best[j] = closed[0] + opening[0][j];
        }
        let mut from_index = S::ZERO;
        let one = S::from_i64(1);
        for from in 1..N_CLOSED {
            from_index = from_index + one;
            for j in 0..OPENING_LANES {
                let score = closed[from] + opening[from][j];
                let better = score > best[j];
                best[j] = if better { score } else { best[j] };
                best_from[j] = if better { from_index } else { best_from[j] };
            }
        }
        for j in 0..N_OPENING {
            let label = label::OPENING_LABELS[j] as usize;
            next[label] = best[j];
            back[label] = label::CLOSED_LABELS
                .get(best_from[j].to_index())
                .copied()
                .unwrap_or(label::OUTSIDE);
        }
        for (kind, targets) in crate::EntityType::ALL.into_iter().zip(&continuations) {
            let begin = label::label(kind, Part::Begin);
            let inside = label::label(kind, Part::Inside);
            let labels = [inside, label::label(kind, Part::Last)];
            for (&target, &[from_begin, from_inside]) in labels.iter().zip(targets) {
                let from_begin = scores[begin as usize] + from_begin;
                let from_inside = scores[inside as usize] + from_inside;
                let (score, previous) = if from_inside > from_begin {
                    (from_inside, inside)
                } else {
                    (from_begin, begin)
                };
                next[target as usize] = score;
                back[target as usize] = previous;
            }
        }
        // Keep scores near zero so that very long inputs cannot overflow.
        let best = next
            .iter()
            .zip(emission)
            .map(|(&score, &weight)| score + weight)
            .max()
            .unwrap_or(S::ZERO);
        for (score, &weight) in next.iter_mut().zip(emission) {
            *score = (*score + weight - best).max(S::FORBIDDEN);
        }
        scores = next;
        back_pointers.push(back);
    }
    for (label, score) in scores.iter_mut().enumerate() {
        if !label::may_end(label as Label) {
            *score = S::MIN;
        }
    }
    let mut label = best_label(&scores);
    out.resize(emissions.len(), label::OUTSIDE);
    for idx in (0..emissions.len()).rev() {
        out[idx] = label;
        label = back_pointers[idx][label as usize];
    }
}

fn best_label<S: Score>(scores: &[S; N_LABELS]) -> Label {
    let mut best = 0;
    for (label, &score) in scores.iter().enumerate() {
        if score > scores[best] {
            best = label;
        }
    }
    best as Label
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::train::SplitMix64;

    /// Random transitions and emissions for 1 to `max_length` tokens, all within `±range`.
    fn random_scores(
        rng: &mut SplitMix64,
        range: u64,
        max_length: u64,
    ) -> (Transitions, Vec<[i32; N_LABELS]>) {
        let score = |rng: &mut SplitMix64| (rng.next() % (2 * range)) as i64 - range as i64;
        let mut transitions = [[0i64; N_LABELS]; N_LABELS + 1];
        for weight in transitions.iter_mut().flatten() {
            *weight = score(rng);
        }
        let length = 1 + (rng.next() % max_length) as usize;
        let emissions = (0..length)
            .map(|_| std::array::from_fn(|_| score(rng) as i32))
            .collect();
        (transitions, emissions)
    }

    #[test]
    fn every_i32_decoder_gives_the_labels_of_the_i64_one() {
        let mut rng = SplitMix64(7);
        for round in 0..400 {
            // Small ranges make ties, which must break the same way.
            let range = if round % 2 == 0 {
                3
            } else {
                I32_EXACT_LIMIT as u64
            };
            let (mut transitions, emissions) = random_scores(&mut rng, range, 40);
            let wide: Vec<[i64; N_LABELS]> =
                emissions.iter().map(|row| row.map(i64::from)).collect();
            let (mut expected, mut fast, mut portable) = (Vec::new(), Vec::new(), Vec::new());
            let mut back = Vec::new();
            decode_in::<i64>(&mut back, &wide, &transitions, &mut expected);
            decode_i32_fast(&mut back, &emissions, &transitions, &mut fast);
            decode_in::<i32>(&mut back, &emissions, &transitions, &mut portable);
            assert_eq!(fast, expected, "round {round}");
            assert_eq!(portable, expected, "round {round}");
            // The public entry point, with transitions that fit and with some that do not.
            let mut viterbi = Viterbi::default();
            let mut checked = Vec::new();
            for weight in [0, 4 * I32_EXACT_LIMIT] {
                transitions[1][2] = weight;
                decode_in::<i64>(&mut back, &wide, &transitions, &mut expected);
                let fits = transitions_fit_i32(&transitions);
                assert_eq!(fits, weight == 0 && range <= I32_EXACT_LIMIT as u64);
                viterbi.decode_i32(&emissions, &transitions, fits, &mut checked);
                assert_eq!(checked, expected, "round {round}, transition {weight}");
            }
        }
    }

    #[test]
    fn decoding_around_quiet_tokens_is_decoding_with_o_forced_on_them() {
        let mut rng = SplitMix64(11);
        let mut viterbi = Viterbi::default();
        let (mut expected, mut around, mut back) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..2000 {
            // Wide ranges, so that ties (which may break differently) are rare; transitions
            // into and out of `O` as strong as emissions, so that a stretch decoded from the
            // sentence start or without its way into `O` gives other labels. Some rounds'
            // scores are too large for `i32` sums.
            let range = if round % 20 == 0 {
                1 << 31
            } else {
                1 << (8 + round % 12)
            };
            let (transitions, emissions) = random_scores(&mut rng, range, 30);
            let length = emissions.len();
            let quiet: Vec<bool> = (0..length).map(|_| rng.next().is_multiple_of(3)).collect();
            // Decoded whole, with every label but `O` out of reach on the quiet tokens.
            let forced: Vec<[i64; N_LABELS]> = emissions
                .iter()
                .zip(&quiet)
                .map(|(row, &quiet)| {
                    let mut row = row.map(i64::from);
                    if quiet {
                        for (label, score) in row.iter_mut().enumerate() {
                            if label != usize::from(label::OUTSIDE) {
                                *score = -(1 << 40);
                            }
                        }
                    }
                    row
                })
                .collect();
            decode_in::<i64>(&mut back, &forced, &transitions, &mut expected);
            viterbi.decode_around_quiet(
                &emissions,
                &quiet,
                &StageTransitions::new(&transitions),
                &mut around,
            );
            assert_eq!(around, expected, "round {round}, quiet {quiet:?}");
            // No quiet token: the labels of decoding the sentence.
            let wide: Vec<[i64; N_LABELS]> =
                emissions.iter().map(|row| row.map(i64::from)).collect();
            decode_in::<i64>(&mut back, &wide, &transitions, &mut expected);
            viterbi.decode_around_quiet(
                &emissions,
                &[],
                &StageTransitions::new(&transitions),
                &mut around,
            );
            assert_eq!(around, expected, "round {round}");
        }
    }
}

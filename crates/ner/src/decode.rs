//! Viterbi decoding over BILOU labels with first-order transitions. The decoder enforces
//! well-formed sequences (`I-x`/`L-x` only after `B-x`/`I-x`, no open entity at the end)
//! rather than learning them.

use crate::label::{self, Label, N_LABELS, Part};

/// Transition scores: row 0 is the sentence start, row `1 + l` follows label `l`.
pub(crate) type Transitions = [[i64; N_LABELS]; N_LABELS + 1];

/// The score of a forbidden start or end: low enough to lose against any allowed path.
const FORBIDDEN: i64 = -(1 << 50);

#[derive(Default)]
pub(crate) struct Viterbi {
    back: Vec<[u8; N_LABELS]>,
}

impl Viterbi {
    /// Writes the best well-formed label sequence for `emissions` into `out`.
    ///
    /// Only allowed transitions are scored: `O`, `B-x` and `U-x` follow a closed label
    /// (`O`, `L-y`, `U-y`); `I-x` and `L-x` follow `B-x` or `I-x`. That is 97 of the
    /// 289 label pairs, which matters as decoding is a large share of tagging time.
    pub fn decode(
        &mut self,
        emissions: &[[i64; N_LABELS]],
        transitions: &Transitions,
        out: &mut Vec<Label>,
    ) {
        out.clear();
        let Some(first) = emissions.first() else {
            return;
        };
        self.back.clear();
        let mut scores = [0i64; N_LABELS];
        for (label, score) in scores.iter_mut().enumerate() {
            let allowed = label::allowed(None, label as Label);
            *score = if allowed {
                first[label] + transitions[0][label]
            } else {
                FORBIDDEN
            };
        }
        self.back.push([0; N_LABELS]);
        for emission in &emissions[1..] {
            let mut next = [i64::MIN; N_LABELS];
            let mut back = [0u8; N_LABELS];
            for &previous in &label::CLOSED_LABELS {
                let previous_score = scores[previous as usize];
                let row = &transitions[1 + previous as usize];
                for &label in label::OPENING_LABELS.iter() {
                    let score = previous_score + row[label as usize];
                    if score > next[label as usize] {
                        next[label as usize] = score;
                        back[label as usize] = previous;
                    }
                }
            }
            for kind in crate::EntityType::ALL {
                let begin = label::label(kind, Part::Begin);
                let inside = label::label(kind, Part::Inside);
                for target in [inside, label::label(kind, Part::Last)] {
                    let from_begin =
                        scores[begin as usize] + transitions[1 + begin as usize][target as usize];
                    let from_inside =
                        scores[inside as usize] + transitions[1 + inside as usize][target as usize];
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
                .map(|(score, weight)| score + weight)
                .max()
                .unwrap_or(0);
            for (score, &weight) in next.iter_mut().zip(emission) {
                *score = (*score + weight - best).max(FORBIDDEN);
            }
            scores = next;
            self.back.push(back);
        }
        for (label, score) in scores.iter_mut().enumerate() {
            if !label::may_end(label as Label) {
                *score = i64::MIN;
            }
        }
        let mut label = best_label(&scores);
        out.resize(emissions.len(), label::OUTSIDE);
        for idx in (0..emissions.len()).rev() {
            out[idx] = label;
            label = self.back[idx][label as usize];
        }
    }
}

fn best_label(scores: &[i64; N_LABELS]) -> Label {
    let mut best = 0;
    for (label, &score) in scores.iter().enumerate() {
        if score > scores[best] {
            best = label;
        }
    }
    best as Label
}

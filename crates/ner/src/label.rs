//! Labels as small integers, in the BILOU scheme: `0` is `O`, and for the
//! [`EntityType`] with index `t`, `1 + 4t` begins a multi-token entity, `2 + 4t` is
//! inside one, `3 + 4t` is its last token and `4 + 4t` is a one-token entity. BILOU lets
//! the model learn what ends a name, not only what starts one (Ratinov and Roth 2009).
//!
//! CoNLL files use IOB1 or IOB2; [`from_iob`] converts them.

use crate::{EntitySpan, EntityType};

pub type Label = u8;

pub const N_LABELS: usize = 17;
pub const OUTSIDE: Label = 0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Begin,
    Inside,
    Last,
    Unit,
}

pub fn label(kind: EntityType, part: Part) -> Label {
    let part = match part {
        Part::Begin => 0,
        Part::Inside => 1,
        Part::Last => 2,
        Part::Unit => 3,
    };
    1 + 4 * kind.index() as u8 + part
}

pub fn kind(label: Label) -> Option<EntityType> {
    if label == OUTSIDE {
        return None;
    }
    EntityType::from_index(usize::from((label - 1) / 4))
}

pub fn part(label: Label) -> Option<Part> {
    kind(label)?;
    Some(match (label - 1) % 4 {
        0 => Part::Begin,
        1 => Part::Inside,
        2 => Part::Last,
        _ => Part::Unit,
    })
}

/// Labels that may follow a closed label (or start a sentence): `O`, `B-x`, `U-x`.
pub const OPENING_LABELS: [Label; 9] = [0, 1, 4, 5, 8, 9, 12, 13, 16];

/// Labels after which no entity is open: `O`, `L-x`, `U-x`.
pub const CLOSED_LABELS: [Label; 9] = [0, 3, 4, 7, 8, 11, 12, 15, 16];

/// Whether `next` may follow `previous` (`None` is the sentence start).
pub fn allowed(previous: Option<Label>, next: Label) -> bool {
    let open = previous.and_then(|previous| match part(previous) {
        Some(Part::Begin | Part::Inside) => kind(previous),
        _ => None,
    });
    match (open, part(next)) {
        (Some(open), Some(Part::Inside | Part::Last)) => kind(next) == Some(open),
        (Some(_), _) => false,
        (None, Some(Part::Inside | Part::Last)) => false,
        (None, _) => true,
    }
}

/// Whether a sentence may end with `label`.
pub fn may_end(label: Label) -> bool {
    !matches!(part(label), Some(Part::Begin | Part::Inside))
}

/// An IOB tag as found in CoNLL files: its type and whether it is `B-`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IobTag {
    pub kind: Option<EntityType>,
    pub begin: bool,
}

pub fn parse_iob(tag: &str) -> Option<IobTag> {
    if tag == "O" {
        return Some(IobTag {
            kind: None,
            begin: false,
        });
    }
    let (prefix, name) = tag.split_once('-')?;
    let kind = Some(EntityType::from_name(name)?);
    match prefix {
        "B" => Some(IobTag { kind, begin: true }),
        "I" => Some(IobTag { kind, begin: false }),
        _ => None,
    }
}

/// Converts IOB1 or IOB2 tags to BILOU labels. An entity starts at `B-` or at an `I-`
/// that does not continue an entity of its type (conlleval's rule), so both schemes read
/// the same.
pub fn from_iob(tags: &[IobTag]) -> Vec<Label> {
    let mut labels = vec![OUTSIDE; tags.len()];
    let mut idx = 0;
    while idx < tags.len() {
        let Some(kind) = tags[idx].kind else {
            idx += 1;
            continue;
        };
        let mut end = idx + 1;
        while end < tags.len() && tags[end].kind == Some(kind) && !tags[end].begin {
            end += 1;
        }
        write_entity(&mut labels[idx..end], kind);
        idx = end;
    }
    labels
}

fn write_entity(labels: &mut [Label], kind: EntityType) {
    let n_tokens = labels.len();
    for (offset, label) in labels.iter_mut().enumerate() {
        *label = match (offset, n_tokens) {
            (_, 1) => self::label(kind, Part::Unit),
            (0, _) => self::label(kind, Part::Begin),
            (offset, n_tokens) if offset + 1 == n_tokens => self::label(kind, Part::Last),
            _ => self::label(kind, Part::Inside),
        };
    }
}

/// Entity spans of a label sequence, shifted by `offset`. Lenient with sequences the
/// decoder would not produce: an unfinished entity ends where its type changes.
pub fn spans(labels: &[Label], offset: usize, out: &mut Vec<EntitySpan>) {
    let mut open: Option<(usize, EntityType)> = None;
    for (idx, &label) in labels.iter().enumerate() {
        let (kind, part) = (kind(label), part(label));
        let continues = matches!((open, part), (Some((_, open_kind)), Some(Part::Inside | Part::Last)) if kind == Some(open_kind));
        if !continues {
            if let Some((start, open_kind)) = open.take() {
                out.push(EntitySpan {
                    start: offset + start,
                    end: offset + idx,
                    kind: open_kind,
                });
            }
            if let Some(kind) = kind {
                open = Some((idx, kind));
            }
        }
        if let (Some((start, open_kind)), Some(Part::Last | Part::Unit)) = (open, part) {
            out.push(EntitySpan {
                start: offset + start,
                end: offset + idx + 1,
                kind: open_kind,
            });
            open = None;
        }
    }
    if let Some((start, kind)) = open {
        out.push(EntitySpan {
            start: offset + start,
            end: offset + labels.len(),
            kind,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iob_converts_to_bilou_and_back() {
        let tags: Vec<IobTag> = [
            "B-PER", "I-PER", "I-PER", "O", "I-LOC", "B-LOC", "I-ORG", "I-MISC",
        ]
        .iter()
        .map(|tag| parse_iob(tag).unwrap())
        .collect();
        let labels = from_iob(&tags);
        let mut spans_out = Vec::new();
        spans(&labels, 10, &mut spans_out);
        let expected = [
            (10, 13, EntityType::Per),
            (14, 15, EntityType::Loc),
            (15, 16, EntityType::Loc),
            (16, 17, EntityType::Org),
            (17, 18, EntityType::Misc),
        ];
        let found: Vec<_> = spans_out
            .iter()
            .map(|span| (span.start, span.end, span.kind))
            .collect();
        assert_eq!(found, expected);
        let mut previous = None;
        for &label in &labels {
            assert!(allowed(previous, label));
            previous = Some(label);
        }
        assert!(labels.last().is_some_and(|&label| may_end(label)));
    }

    #[test]
    fn label_classes_match_the_transition_rules() {
        for label in 0..N_LABELS as Label {
            assert_eq!(
                OPENING_LABELS.contains(&label),
                allowed(None, label),
                "{label}"
            );
            assert_eq!(CLOSED_LABELS.contains(&label), may_end(label), "{label}");
            for previous in 0..N_LABELS as Label {
                let expected = if CLOSED_LABELS.contains(&previous) {
                    OPENING_LABELS.contains(&label)
                } else {
                    !OPENING_LABELS.contains(&label) && kind(label) == kind(previous)
                };
                assert_eq!(
                    allowed(Some(previous), label),
                    expected,
                    "{previous} -> {label}"
                );
            }
        }
    }
}

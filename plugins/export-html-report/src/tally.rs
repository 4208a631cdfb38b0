//! Named counts in bounded memory.
//!
//! A corpus of millions of articles names hundreds of thousands of people, organisations,
//! places and sources, while the report shows the first few of each. A [`Tally`] keeps at most
//! `capacity` names: a new name arriving at a full table first drops the lower-ranked half of
//! it. A name dropped and seen again counts from then on, so its count is short of the truth by
//! what it had lost; this is lossy counting (Manku and Motwani, 2002) with the table's size,
//! not a fixed error, as its budget.
//!
//! The bound: every entry carries `floor`, the most its name can have lost before the entry
//! was made, so its true count lies between its count and its count plus its floor. A dropped
//! entry's upper end raises the table's bound ([`Tally::dropped`]), and every entry made later
//! takes that bound as its floor. Hence every count held is short by at most the bound, and a
//! name counted more than the bound in all is in the table. Until the table first fills,
//! every floor is 0 and every count exact.

use std::collections::BTreeMap;

/// What a table ranks its entries by, most significant first. Entries with the largest ranks
/// are kept when the table shrinks, and come first in [`Tally::top`].
pub trait Rank: Default {
    fn rank(&self) -> (u64, u64);
}

impl Rank for u64 {
    fn rank(&self) -> (u64, u64) {
        (*self, 0)
    }
}

/// At most `capacity` named entries; see the module documentation.
#[derive(Debug)]
pub struct Tally<V> {
    entries: BTreeMap<String, Held<V>>,
    capacity: usize,
    /// Per part of the rank, the most any name held now may have lost to drops.
    dropped: (u64, u64),
    n_dropped: u64,
}

#[derive(Debug)]
struct Held<V> {
    value: V,
    /// Per part of the rank, the most this name may have lost before this entry was made.
    floor: (u64, u64),
}

impl<V: Rank> Tally<V> {
    /// An empty table that never holds more than `capacity` names (at least 1).
    pub fn new(capacity: usize) -> Tally<V> {
        Tally {
            entries: BTreeMap::new(),
            capacity: capacity.max(1),
            dropped: (0, 0),
            n_dropped: 0,
        }
    }

    /// Updates the entry of `name`, created with `V::default()` when missing.
    pub fn update(&mut self, name: &str, update: impl FnOnce(&mut V)) {
        match self.entries.get_mut(name) {
            Some(held) => update(&mut held.value),
            None => {
                if self.entries.len() >= self.capacity {
                    self.shrink();
                }
                let mut value = V::default();
                update(&mut value);
                let floor = self.dropped;
                self.entries.insert(name.to_string(), Held { value, floor });
            }
        }
    }

    /// Drops the lower-ranked half of the entries (ties: the later name in byte order).
    fn shrink(&mut self) {
        let keep = (self.capacity / 2).max(1);
        let mut ranked: Vec<(String, Held<V>)> =
            std::mem::take(&mut self.entries).into_iter().collect();
        ranked.sort_by(|left, right| {
            by_rank(
                left.0.as_str(),
                &left.1.value,
                right.0.as_str(),
                &right.1.value,
            )
        });
        for (_, held) in ranked.iter().skip(keep) {
            // The most this name can have been counted in all: what it lost before, and now.
            let (first, second) = held.value.rank();
            let (first, second) = (first + held.floor.0, second + held.floor.1);
            self.dropped = (self.dropped.0.max(first), self.dropped.1.max(second));
            self.n_dropped += 1;
        }
        ranked.truncate(keep);
        self.entries = ranked.into_iter().collect();
    }

    /// The `n` highest-ranked entries, highest first (ties: by name).
    pub fn top(&self, n: usize) -> Vec<(&str, &V)> {
        let mut ranked: Vec<(&str, &V)> = self
            .entries
            .iter()
            .map(|(name, held)| (name.as_str(), &held.value))
            .collect();
        ranked.sort_by(|left, right| by_rank(left.0, left.1, right.0, right.1));
        ranked.truncate(n);
        ranked
    }

    /// The entries held, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &V)> {
        self.entries
            .iter()
            .map(|(name, held)| (name.as_str(), &held.value))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// How many entries were dropped to make room; 0 means every count is exact.
    pub fn n_dropped(&self) -> u64 {
        self.n_dropped
    }

    /// Per part of the rank, the most a count held can be short by; (0, 0) while nothing was
    /// dropped.
    pub fn dropped(&self) -> (u64, u64) {
        self.dropped
    }
}

fn by_rank<V: Rank>(left_name: &str, left: &V, right_name: &str, right: &V) -> std::cmp::Ordering {
    right
        .rank()
        .cmp(&left.rank())
        .then_with(|| left_name.cmp(right_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(tally: &mut Tally<u64>, name: &str, n: u64) {
        tally.update(name, |count| *count += n);
    }

    #[test]
    fn counts_are_exact_until_the_table_fills() {
        let mut tally = Tally::new(4);
        for (name, n) in [("a", 3), ("b", 1), ("a", 2), ("c", 7), ("d", 1)] {
            add(&mut tally, name, n);
        }
        assert_eq!(tally.n_dropped(), 0);
        assert_eq!(tally.top(2), vec![("c", &7), ("a", &5)]);
        assert_eq!(tally.top(9).len(), 4);
    }

    #[test]
    fn a_full_table_drops_its_lower_half_and_remembers_how_much() {
        let mut tally = Tally::new(4);
        for (name, n) in [("a", 5), ("b", 1), ("c", 7), ("d", 2)] {
            add(&mut tally, name, n);
        }
        // Full: "e" makes room by dropping "b" and "d", the lower half.
        add(&mut tally, "e", 1);
        assert_eq!(tally.len(), 3);
        assert_eq!(tally.n_dropped(), 2);
        assert_eq!(tally.dropped(), (2, 0));
        assert_eq!(tally.top(9), vec![("c", &7), ("a", &5), ("e", &1)]);
        // A dropped name counts again from zero.
        add(&mut tally, "b", 1);
        assert_eq!(tally.top(9).last(), Some(&("e", &1)));
        assert_eq!(tally.iter().find(|(name, _)| *name == "b"), Some(("b", &1)));
    }

    #[test]
    fn a_name_dropped_twice_is_still_within_the_bound() {
        let mut tally = Tally::new(2);
        let mut truth: BTreeMap<String, u64> = BTreeMap::new();
        // "n" keeps being pushed out by pairs of busier names, and keeps coming back.
        for round in 0..50u64 {
            for (name, n) in [
                ("n", 1),
                (&*format!("a{round}"), 3),
                (&*format!("b{round}"), 3),
            ] {
                add(&mut tally, name, n);
                *truth.entry(name.to_string()).or_default() += n;
            }
        }
        let bound = tally.dropped().0;
        assert!(tally.n_dropped() > 0);
        for (name, held) in tally.iter() {
            let true_count = truth.get(name).copied().unwrap_or_default();
            assert!(
                *held <= true_count && true_count <= held + bound,
                "{name}: {held} of {true_count}, bound {bound}"
            );
        }
        // Every name counted more than the bound in all is held.
        for (name, count) in &truth {
            if *count > bound {
                assert!(
                    tally.iter().any(|(held, _)| held == name),
                    "{name} ({count}) was lost"
                );
            }
        }
        // "n" was counted 50 times but dropped again and again: a bound of the largest count
        // ever dropped alone (3) would be wrong.
        assert!(bound >= 3);
    }

    #[test]
    fn memory_stays_bounded_and_the_frequent_names_survive() {
        let mut tally = Tally::new(100);
        // 10,000 names seen once each, and three frequent ones seen throughout.
        for idx in 0..10_000u64 {
            add(&mut tally, &format!("rare {idx}"), 1);
            for frequent in ["x", "y", "z"] {
                if idx % 10 == 0 {
                    add(&mut tally, frequent, 1);
                }
            }
            assert!(tally.len() <= 100);
        }
        let top: Vec<&str> = tally.top(3).into_iter().map(|(name, _)| name).collect();
        assert_eq!(top, ["x", "y", "z"]);
        // Each was held from its first arrival, before any drop: 1,000 times, exactly.
        assert!(tally.top(3).iter().all(|(_, count)| **count == 1_000));
        // The rare names made after a drop cannot be told from names seen before, so each
        // takes the bound as its floor, and the bound grows by about one per drop of them.
        let (bound, _) = tally.dropped();
        assert!((1..1_000).contains(&bound), "{bound}");
    }
}

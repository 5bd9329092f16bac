//! Garbage kinds (種別: 燃やすごみ, 資源 …) as an area's columns, and sets of them.
//!
//! A schedule answers "what is collected on this day" for every citizen of an area the evening
//! before, so the answer is a bit set of column indices: no allocation, and the union and
//! difference that exceptions need are one instruction each.

/// The most kinds one calendar can have (the bits of [`KindSet`]). Cities publish 4 to 15.
pub const MAX_KINDS: usize = 64;

/// A set of kinds, by their column index in the area's calendar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct KindSet(u64);

impl KindSet {
    /// No kind.
    pub const EMPTY: KindSet = KindSet(0);

    /// Every kind a calendar of `count` kinds has.
    pub fn all(count: usize) -> KindSet {
        if count >= MAX_KINDS {
            KindSet(u64::MAX)
        } else {
            KindSet((1u64 << count) - 1)
        }
    }

    /// The set holding only `index` (empty if `index` is not below [`MAX_KINDS`]).
    pub fn single(index: usize) -> KindSet {
        u32::try_from(index)
            .ok()
            .and_then(|shift| 1u64.checked_shl(shift))
            .map_or(KindSet::EMPTY, KindSet)
    }

    /// The set of the given indices (those not below [`MAX_KINDS`] are left out).
    pub fn of(indices: impl IntoIterator<Item = usize>) -> KindSet {
        indices.into_iter().fold(KindSet::EMPTY, |set, index| {
            set.union(KindSet::single(index))
        })
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether `index` is in the set.
    pub fn contains(self, index: usize) -> bool {
        !self.intersection(KindSet::single(index)).is_empty()
    }

    /// The kinds in either set.
    pub fn union(self, other: KindSet) -> KindSet {
        KindSet(self.0 | other.0)
    }

    /// The kinds in both sets.
    pub fn intersection(self, other: KindSet) -> KindSet {
        KindSet(self.0 & other.0)
    }

    /// The kinds of `self` that are not in `other`.
    pub fn difference(self, other: KindSet) -> KindSet {
        KindSet(self.0 & !other.0)
    }

    /// How many kinds are in the set.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The indices in the set, lowest (leftmost column) first.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let index = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(index)
        })
    }
}

/// One kind as the calendar of an area knows it: its label and the rules of its column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindRules {
    /// The kind's label, as in the header of `area_days.csv` (`燃やすごみ`).
    pub label: String,
    /// The days it is collected; empty when the area has no collection of this kind.
    pub rules: Vec<super::rules::Rule>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_iterate_in_column_order_and_combine() {
        let set = KindSet::of([5, 0, 3]);
        assert_eq!(set.iter().collect::<Vec<_>>(), [0, 3, 5]);
        assert_eq!(set.len(), 3);
        assert!(set.contains(3) && !set.contains(4));
        assert_eq!(set.difference(KindSet::single(3)), KindSet::of([0, 5]));
        assert_eq!(set.intersection(KindSet::all(4)), KindSet::of([0, 3]));
        assert_eq!(KindSet::all(64).len(), 64);
        assert_eq!(KindSet::single(64), KindSet::EMPTY);
        assert_eq!(KindSet::all(64).iter().last(), Some(63));
    }
}

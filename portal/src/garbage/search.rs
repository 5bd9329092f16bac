//! The 分別 search: a citizen types an item (`ペットボトル`, `ﾍﾟｯﾄ`, `あいろん`) and learns which
//! kind it goes out as, with the city's note.
//!
//! Names and readings are [folded](super::kana::fold) once when the dictionary is built, so a
//! search is one pass of substring tests over ~1,000 items. Best matches come first: the exact
//! name, then names that start with the query, then readings that do, then names and readings
//! that merely contain it; ties go to the earlier match in the name, then the shorter name,
//! then the city's order.

use super::data::Target;
use super::kana::fold;

/// How well an item matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchRank {
    /// The name is the query.
    ExactName,
    /// The name starts with the query.
    NamePrefix,
    /// The reading (furigana) starts with the query.
    ReadingPrefix,
    /// The name contains the query.
    NameContains,
    /// The reading contains the query.
    ReadingContains,
}

/// One item found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchHit<'a> {
    /// The item: its kind, name, notice and reading.
    pub target: &'a Target,
    /// How well it matched.
    pub rank: MatchRank,
}

/// The 分別 dictionary of a city (its `target.csv`), ready to search.
#[derive(Debug, Clone, Default)]
pub struct SortingDictionary {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    target: Target,
    name: String,
    reading: String,
}

impl SortingDictionary {
    /// Builds the dictionary from the city's items, in the city's order.
    pub fn new(targets: impl IntoIterator<Item = Target>) -> Self {
        let entries = targets
            .into_iter()
            .map(|target| Entry {
                name: fold(&target.name),
                reading: fold(&target.furigana),
                target,
            })
            .collect();
        SortingDictionary { entries }
    }

    /// How many items the dictionary has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the dictionary has no items.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The items matching `query`, best first, at most `limit`. Words separated by spaces
    /// must each match (`紙 袋`); an item ranks by its worst-matching word. An empty query
    /// finds nothing.
    pub fn search(&self, query: &str, limit: usize) -> Vec<SearchHit<'_>> {
        let query = fold(query);
        let words: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut found: Vec<(MatchRank, usize, usize, usize)> = self
            .entries
            .iter()
            .enumerate()
            .filter_map(|(order, entry)| {
                let rank = if entry.name == query {
                    MatchRank::ExactName
                } else {
                    words
                        .iter()
                        .map(|word| rank_word(entry, word))
                        .try_fold(MatchRank::ExactName, |worst, rank| Some(worst.max(rank?)))?
                };
                let position = words
                    .first()
                    .and_then(|word| entry.name.find(word))
                    .unwrap_or(usize::MAX);
                Some((rank, position, entry.name.chars().count(), order))
            })
            .collect();
        found.sort_unstable();
        found
            .into_iter()
            .take(limit)
            .filter_map(|(rank, _, _, order)| {
                let entry = self.entries.get(order)?;
                Some(SearchHit {
                    target: &entry.target,
                    rank,
                })
            })
            .collect()
    }
}

/// How one folded word of the query matches an entry, if it does.
fn rank_word(entry: &Entry, word: &str) -> Option<MatchRank> {
    if entry.name.starts_with(word) {
        Some(MatchRank::NamePrefix)
    } else if entry.reading.starts_with(word) {
        Some(MatchRank::ReadingPrefix)
    } else if entry.name.contains(word) {
        Some(MatchRank::NameContains)
    } else if entry.reading.contains(word) {
        Some(MatchRank::ReadingContains)
    } else {
        None
    }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;

//! 危険区域 — the hazard zones a citizen says their place lies in (土砂災害警戒区域 …), as data.
//!
//! The zones and their names come from the catalog (they are national designations whose names
//! change with the law), each with a small stable number. A set of zones is one `u64` so that
//! matching an alert against a citizen's zones is a single `&`. 該当なし ("none applies") is not
//! a zone: it is the absence of one, kept as [`ZoneChoice::NoneApplies`].

use serde::{Deserialize, Serialize};

use super::languages::{Language, PerLanguage};

/// The stable number of a hazard zone, below [`ZoneId::LIMIT`]. Stored in settings; never reused
/// for another zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ZoneId(pub u8);

impl ZoneId {
    /// Zone numbers are below this, so a set of them fits in [`ZoneSet`].
    pub const LIMIT: u8 = 64;
}

/// A set of hazard zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ZoneSet(u64);

impl ZoneSet {
    /// No zone.
    pub const EMPTY: ZoneSet = ZoneSet(0);

    /// The set as stored (bit `n` is [`ZoneId`] `n`).
    pub fn bits(self) -> u64 {
        self.0
    }

    /// The set from stored bits.
    pub fn from_bits(bits: u64) -> ZoneSet {
        ZoneSet(bits)
    }

    /// The set with `zone` added (a number past [`ZoneId::LIMIT`] adds nothing).
    pub fn with(self, zone: ZoneId) -> ZoneSet {
        ZoneSet(self.0 | 1u64.checked_shl(u32::from(zone.0)).unwrap_or(0))
    }

    /// Whether `zone` is in the set.
    pub fn contains(self, zone: ZoneId) -> bool {
        !ZoneSet::EMPTY.with(zone).intersection(self).is_empty()
    }

    /// The zones in both sets.
    pub fn intersection(self, other: ZoneSet) -> ZoneSet {
        ZoneSet(self.0 & other.0)
    }

    /// Whether the sets share a zone.
    pub fn meets(self, other: ZoneSet) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The zones, lowest number first.
    pub fn iter(self) -> impl Iterator<Item = ZoneId> {
        (0..ZoneId::LIMIT)
            .map(ZoneId)
            .filter(move |zone| self.contains(*zone))
    }
}

impl FromIterator<ZoneId> for ZoneSet {
    fn from_iter<I: IntoIterator<Item = ZoneId>>(iter: I) -> Self {
        iter.into_iter().fold(ZoneSet::EMPTY, ZoneSet::with)
    }
}

/// What a citizen said about one of their areas: the zones their place lies in, or 該当なし.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "zones")]
pub enum ZoneChoice {
    /// 該当なし: the place lies in no hazard zone. Such a citizen hears about the area only
    /// when an alert is for all of it (see [`super::targeting`]).
    NoneApplies,
    /// The zones the place lies in; never empty in a validated setting.
    Zones(ZoneSet),
}

/// A hazard zone as the catalog lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HazardZone {
    /// Its stable number.
    pub id: ZoneId,
    /// Its name per language; Japanese is always there.
    pub names: PerLanguage<String>,
}

impl HazardZone {
    /// The name in `language`, or the Japanese one.
    pub fn name(&self, language: Language) -> &str {
        self.names
            .get_or_japanese(language)
            .map_or("", String::as_str)
    }
}

/// The hazard zones a city uses, looked up by number.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HazardZones {
    zones: Vec<HazardZone>,
    known: ZoneSet,
}

impl HazardZones {
    /// The zones, which the catalog has already checked (numbers below the limit, no duplicate).
    pub(super) fn new(zones: Vec<HazardZone>) -> HazardZones {
        let known = zones.iter().map(|zone| zone.id).collect();
        HazardZones { zones, known }
    }

    /// The zones in the order the setting page lists them.
    pub fn all(&self) -> &[HazardZone] {
        &self.zones
    }

    /// Every known zone, as a set.
    pub fn known(&self) -> ZoneSet {
        self.known
    }

    /// The zone numbered `id`.
    pub fn get(&self, id: ZoneId) -> Option<&HazardZone> {
        self.zones.iter().find(|zone| zone.id == id)
    }

    /// The zones' names in `language`, in list order, joined for running text.
    pub fn names(&self, set: ZoneSet, language: Language) -> String {
        let names: Vec<&str> = self
            .zones
            .iter()
            .filter(|zone| set.contains(zone.id))
            .map(|zone| zone.name(language))
            .collect();
        names.join(language.list_separator())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zone_sets_hold_numbers_below_the_limit() {
        let set: ZoneSet = [ZoneId(0), ZoneId(5), ZoneId(63), ZoneId(64)]
            .into_iter()
            .collect();
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            [ZoneId(0), ZoneId(5), ZoneId(63)]
        );
        assert!(set.meets(ZoneSet::EMPTY.with(ZoneId(5))));
        assert!(!set.meets(ZoneSet::EMPTY.with(ZoneId(6))));
        assert_eq!(ZoneSet::from_bits(set.bits()), set);
    }
}

//! `Occupancy`: the live 混雑状況 of a center, retained on
//! `shimin/v1/centers/{center_id}/occupancy`, and the rule that turns a count into a level.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Message, V1};
use crate::ids::CenterId;

/// The congestion level as Japanese displays show it. The wire carries the stable code;
/// [`Self::label_ja`] is the text to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CongestionLevel {
    /// 空いています — below the "somewhat crowded" threshold.
    Vacant,
    /// やや混雑 — at or above the "somewhat crowded" threshold.
    SomewhatCrowded,
    /// 混雑 — at or above the "crowded" threshold.
    Crowded,
    /// 満 — at or above capacity.
    Full,
    /// 利用停止中 — the center is closed now.
    Closed,
}

impl CongestionLevel {
    /// The text a Japanese display shows for this level.
    pub fn label_ja(self) -> &'static str {
        match self {
            Self::Vacant => "空いています",
            Self::SomewhatCrowded => "やや混雑",
            Self::Crowded => "混雑",
            Self::Full => "満",
            Self::Closed => "利用停止中",
        }
    }

    /// The stable wire code, e.g. `"somewhat_crowded"`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Vacant => "vacant",
            Self::SomewhatCrowded => "somewhat_crowded",
            Self::Crowded => "crowded",
            Self::Full => "full",
            Self::Closed => "closed",
        }
    }
}

/// Where the levels start, in percent of capacity (full is always at 100 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thresholds {
    /// やや混雑 from this share of capacity (default 50).
    pub somewhat_crowded_from: u8,
    /// 混雑 from this share of capacity (default 80).
    pub crowded_from: u8,
}

impl Default for Thresholds {
    fn default() -> Self {
        Self {
            somewhat_crowded_from: 50,
            crowded_from: 80,
        }
    }
}

impl Thresholds {
    /// Checks `0 < somewhat_crowded_from < crowded_from <= 100`.
    pub fn check(&self) -> Result<(), String> {
        if 0 < self.somewhat_crowded_from
            && self.somewhat_crowded_from < self.crowded_from
            && self.crowded_from <= 100
        {
            Ok(())
        } else {
            Err("thresholds must satisfy 0 < somewhat_crowded_from < crowded_from <= 100".into())
        }
    }

    /// The level of a center with `families_in` families present out of `capacity`.
    /// A closed center is [`CongestionLevel::Closed`] whatever the count; a capacity of 0 means
    /// "not set" and gives [`CongestionLevel::Vacant`].
    pub fn level(&self, families_in: u32, capacity: u32, open: bool) -> CongestionLevel {
        if !open {
            return CongestionLevel::Closed;
        }
        // Compare in whole percent without rounding: n/c >= t/100  <=>  100 n >= t c.
        let share = u64::from(families_in) * 100;
        let at = |percent: u8| share >= u64::from(percent) * u64::from(capacity);
        if capacity == 0 {
            // No capacity set: there is nothing to compare with.
            CongestionLevel::Vacant
        } else if families_in >= capacity {
            CongestionLevel::Full
        } else if at(self.crowded_from) {
            CongestionLevel::Crowded
        } else if at(self.somewhat_crowded_from) {
            CongestionLevel::SomewhatCrowded
        } else {
            CongestionLevel::Vacant
        }
    }
}

/// The occupancy of one center, as the portal computed it from the events it applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occupancy {
    /// Always 1.
    pub v: V1,
    /// The center.
    pub center_id: CenterId,
    /// Children checked in now.
    pub children_in: u32,
    /// Families (guardians with at least one child in) checked in now.
    pub families_in: u32,
    /// The center's capacity, in families (親子の組数), as centers publish it.
    pub capacity: u32,
    /// The level computed from `families_in` and `capacity` with the portal's thresholds.
    pub level: CongestionLevel,
    /// When the portal last changed this occupancy.
    pub updated_at: Timestamp,
    /// Grows by at least one with every new occupancy of this center (and of its
    /// [`super::Presence`]): a reader keeps the one with the highest `seq`.
    pub seq: u64,
}

impl Message for Occupancy {
    const NAME: &'static str = "Occupancy";

    fn check(&self) -> Result<(), String> {
        if self.families_in > self.children_in {
            return Err("families_in cannot exceed children_in".into());
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use CongestionLevel::*;

    #[test]
    fn levels_follow_the_share_of_capacity() {
        let t = Thresholds::default();
        let levels: Vec<_> = [0, 9, 10, 15, 16, 19, 20, 25]
            .into_iter()
            .map(|n| t.level(n, 20, true))
            .collect();
        assert_eq!(
            levels,
            [
                Vacant,
                Vacant,
                SomewhatCrowded,
                SomewhatCrowded,
                Crowded,
                Crowded,
                Full,
                Full
            ]
        );
    }

    #[test]
    fn closed_wins_and_zero_capacity_is_not_a_division() {
        let t = Thresholds::default();
        assert_eq!(t.level(3, 20, false), Closed);
        assert_eq!(t.level(0, 0, true), Vacant);
        assert_eq!(t.level(5, 0, true), Vacant);
    }

    #[test]
    fn thresholds_must_be_ordered() {
        assert!(Thresholds::default().check().is_ok());
        let bad = Thresholds {
            somewhat_crowded_from: 80,
            crowded_from: 50,
        };
        assert!(bad.check().is_err());
    }

    #[test]
    fn labels_are_the_japanese_ones() {
        assert_eq!(SomewhatCrowded.label_ja(), "やや混雑");
        assert_eq!(Closed.label_ja(), "利用停止中");
        assert_eq!(
            serde_json::to_string(&SomewhatCrowded).unwrap(),
            format!("\"{}\"", SomewhatCrowded.code())
        );
    }
}

//! `Presence`: who is checked in at a center, retained per kiosk on
//! `shimin/v1/kiosks/{kiosk_id}/presence`.
//!
//! A kiosk needs it to toggle correctly when a family checked in at another kiosk of the same
//! center, and to see the portal's automatic check-out at closing time. It carries ids only, no
//! names, and goes only to the kiosks of that center.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Message, V1};
use crate::ids::{CenterId, ChildNo, GuardianId};

/// One family with at least one child checked in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresentFamily {
    /// The guardian.
    pub guardian_id: GuardianId,
    /// The guardian's children checked in now (never empty).
    pub children: Vec<ChildNo>,
    /// When the earliest of them checked in.
    pub since: Timestamp,
}

/// Every family checked in at one center, as the portal knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Presence {
    /// Always 1.
    pub v: V1,
    /// The center.
    pub center_id: CenterId,
    /// The families in, in no particular order.
    #[serde(default)]
    pub families: Vec<PresentFamily>,
    /// When the portal last changed it.
    pub updated_at: Timestamp,
    /// The same sequence as the center's [`super::Occupancy`]: keep the highest.
    pub seq: u64,
}

impl Presence {
    /// Whether the portal has `child` of `guardian` checked in.
    pub fn is_in(&self, guardian: &GuardianId, child: ChildNo) -> bool {
        self.families
            .iter()
            .any(|f| &f.guardian_id == guardian && f.children.contains(&child))
    }

    /// Children checked in, all families together.
    pub fn children_in(&self) -> usize {
        self.families.iter().map(|f| f.children.len()).sum()
    }
}

impl Message for Presence {
    const NAME: &'static str = "Presence";

    fn check(&self) -> Result<(), String> {
        if self.families.iter().any(|f| f.children.is_empty()) {
            return Err("a present family has at least one child in".into());
        }
        Ok(())
    }
}

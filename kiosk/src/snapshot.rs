//! What the screen shows besides answers, as the sync loop sees it after each change: online or
//! not, events waiting to sync, the center, its occupancy, who is in and today's visits; and
//! what the screen asks the loop to do (staff entering a check-in or check-out by hand).

use jiff::{Timestamp, tz::TimeZone};
use shimin_sync::{
    ids::{ChildNo, GuardianId},
    messages::EventKind,
};

use crate::{
    answer::LocalOccupancy,
    core::Kiosk,
    view::center_zone,
    visits::{self, Names, Visit},
};

/// A family in the lists of the staff screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyRow {
    /// The guardian.
    pub guardian: GuardianId,
    /// Their children concerned (in now, or checked out today).
    pub children: Vec<ChildNo>,
    /// Since when (in), or when they left.
    pub at: Timestamp,
    /// The children's given names in the order of `children`, when this kiosk has seen them on
    /// a pass (empty otherwise).
    pub names: Vec<String>,
}

/// The most of today's visits the staff screen lists.
pub const TODAY_LISTED: usize = 100;

/// The state the screen draws, besides the latest answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    /// Connected to the broker.
    pub online: bool,
    /// Events recorded here and not yet acknowledged by the portal.
    pub pending: usize,
    /// The center's name, once the portal has sent the configuration.
    pub center_name: Option<String>,
    /// 定員 (families), 0 when unknown.
    pub capacity: u32,
    /// Families and children in, and the level.
    pub occupancy: LocalOccupancy,
    /// Who is in now, longest in first.
    pub present: Vec<FamilyRow>,
    /// Families seen here today with children out now, latest first (`at`: their last visit).
    pub left: Vec<FamilyRow>,
    /// Today's check-ins and check-outs at this kiosk, newest first (at most
    /// [`TODAY_LISTED`]).
    pub today: Vec<Visit>,
    /// Check-ins at this kiosk today (all of them, not only those listed).
    pub today_check_ins: usize,
}

/// What the screen asks the loop to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Staff check `children` of `guardian` in or out by hand, with a note.
    Manual {
        /// In or out.
        kind: EventKind,
        /// The family.
        guardian: GuardianId,
        /// The children.
        children: Vec<ChildNo>,
        /// Why it was done by hand.
        note: String,
    },
}

impl Kiosk {
    /// The screen's state at `now`.
    pub fn snapshot(&self, online: bool, now: Timestamp) -> Snapshot {
        let config = self.config();
        // One view for both the occupancy and who is in.
        let view = self.view(now);
        let names = Names::from_visits(self.visits());
        let zone = config.map_or(TimeZone::UTC, center_zone);
        let today = visits::today(self.visits(), now, &zone);
        let row = |(guardian, children, at): (GuardianId, Vec<ChildNo>, Timestamp)| FamilyRow {
            names: names.of(guardian, &children),
            guardian,
            children,
            at,
        };
        Snapshot {
            online,
            pending: self.pending_events(),
            center_name: config.map(|c| c.center_name.clone()),
            capacity: config.map_or(0, |c| c.capacity),
            occupancy: view.occupancy(config, now),
            present: view.families_in().into_iter().map(row).collect(),
            left: visits::left(&today, |g, c| view.is_in(g, c))
                .into_iter()
                .map(row)
                .collect(),
            today_check_ins: today
                .iter()
                .filter(|v| v.kind == EventKind::CheckIn)
                .count(),
            today: today.into_iter().take(TODAY_LISTED).cloned().collect(),
        }
    }
}

//! The day's visits at this kiosk (pure): every check-in and check-out recorded here, by pass
//! or by hand, with the children's given names when the pass carried them. The staff screen
//! lists today's, and names the families in from them. The store keeps them
//! [`KEEP_VISITS`] and no longer: they hold names, and the portal has the record.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp, tz::TimeZone};
use shimin_sync::{
    ids::{ChildNo, EventId, GuardianId},
    messages::{EventKind, KioskEvent},
};

/// How long the kiosk keeps its visits (long enough for "today" in any time zone).
pub const KEEP_VISITS: SignedDuration = SignedDuration::from_hours(48);

/// One check-in or check-out recorded at this kiosk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// The event.
    pub event_id: EventId,
    /// When.
    pub at: Timestamp,
    /// In or out.
    pub kind: EventKind,
    /// The family.
    pub guardian: GuardianId,
    /// The children.
    pub children: Vec<ChildNo>,
    /// Their given names, in the order of `children` (empty when unknown).
    pub names: Vec<String>,
    /// Entered by staff rather than by a pass.
    pub manual: bool,
}

impl Visit {
    /// The visit an event records, with the children's `names` (or none).
    pub fn of(event: &KioskEvent, names: Vec<String>) -> Self {
        let names = if names.len() == event.children.len() {
            names
        } else {
            Vec::new()
        };
        Self {
            event_id: event.event_id,
            at: event.occurred_at,
            kind: event.kind,
            guardian: event.guardian_id,
            children: event.children.clone(),
            names,
            manual: event.manual,
        }
    }
}

/// The names in `names` (one per child of `all`) of the children in `chosen`; empty unless
/// every chosen child has one.
pub fn names_of(all: &[ChildNo], names: &[String], chosen: &[ChildNo]) -> Vec<String> {
    if names.len() != all.len() {
        return Vec::new();
    }
    chosen
        .iter()
        .map(|child| {
            all.iter()
                .position(|c| c == child)
                .map(|i| names[i].clone())
        })
        .collect::<Option<Vec<_>>>()
        .unwrap_or_default()
}

/// The given names this kiosk has seen, per child, the latest kept.
#[derive(Debug, Clone, Default)]
pub struct Names(HashMap<(GuardianId, ChildNo), String>);

impl Names {
    /// The names the `visits` carried (in the order recorded: later ones win).
    pub fn from_visits<'a>(visits: impl IntoIterator<Item = &'a Visit>) -> Self {
        let mut names = HashMap::new();
        for visit in visits {
            for (child, name) in visit.children.iter().zip(&visit.names) {
                names.insert((visit.guardian, *child), name.clone());
            }
        }
        Self(names)
    }

    /// The names of `children` of `guardian`; empty unless every one is known.
    pub fn of(&self, guardian: GuardianId, children: &[ChildNo]) -> Vec<String> {
        children
            .iter()
            .map(|child| self.0.get(&(guardian, *child)).cloned())
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default()
    }
}

/// The visits of the local day of `now` in `zone`, newest first.
pub fn today<'a>(visits: &'a [Visit], now: Timestamp, zone: &TimeZone) -> Vec<&'a Visit> {
    let day = now.to_zoned(zone.clone()).date();
    let mut list: Vec<&Visit> = visits
        .iter()
        .filter(|v| v.at.to_zoned(zone.clone()).date() == day)
        .collect();
    list.sort_by_key(|v| std::cmp::Reverse((v.at, v.event_id)));
    list
}

/// The families in `today` (newest first) with children who are out now by `is_in`: each with
/// those children and the time of the family's latest visit, most recent first. Staff check
/// them back in by hand (a parent back without the phone).
pub fn left(
    today: &[&Visit],
    is_in: impl Fn(&GuardianId, ChildNo) -> bool,
) -> Vec<(GuardianId, Vec<ChildNo>, Timestamp)> {
    let mut families: Vec<(GuardianId, Vec<ChildNo>, Timestamp)> = Vec::new();
    for visit in today {
        let index = match families.iter().position(|(g, _, _)| *g == visit.guardian) {
            Some(index) => index,
            None => {
                families.push((visit.guardian, Vec::new(), visit.at));
                families.len() - 1
            }
        };
        let children = &mut families[index].1;
        for child in &visit.children {
            if !children.contains(child) && !is_in(&visit.guardian, *child) {
                children.push(*child);
            }
        }
    }
    families.retain(|(_, children, _)| !children.is_empty());
    for (_, children, _) in &mut families {
        children.sort_unstable();
    }
    families
}

#[cfg(test)]
#[path = "visits_tests.rs"]
mod tests;

//! The kiosk's own view of who is in at its center (pure): the latest `Presence` from the
//! portal, the events still in the outbox applied on top by the latest `occurred_at`
//! (PROTOCOL.md §7), and the closing-time clear (§9), so the toggle is right while offline.

use std::collections::BTreeMap;

use jiff::{Timestamp, tz::TimeZone};
use shimin_sync::{
    ids::{ChildNo, EventId, GuardianId},
    messages::{EventKind, KioskConfig, KioskEvent, Presence},
};

use crate::answer::LocalOccupancy;

/// One child's latest known state: in or out, since when, by which event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ChildState {
    is_in: bool,
    at: Timestamp,
    /// The event that set it; `None` for the portal's presence (ties go to an event).
    by: Option<EventId>,
}

/// Who is in, per child.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    children: BTreeMap<(GuardianId, ChildNo), ChildState>,
}

impl View {
    /// The view from the portal's `presence` with the `pending` events (not yet acknowledged)
    /// applied on top, then cleared at the last closing time before `now` per `config`.
    pub fn build<'a>(
        presence: Option<&Presence>,
        pending: impl IntoIterator<Item = &'a KioskEvent>,
        config: Option<&KioskConfig>,
        now: Timestamp,
    ) -> Self {
        let mut view = Self::default();
        if let Some(presence) = presence {
            for family in &presence.families {
                for child in &family.children {
                    view.children.insert(
                        (family.guardian_id, *child),
                        ChildState {
                            is_in: true,
                            // `since` is the family's earliest check-in: each child's latest
                            // event is at least that late.
                            at: family.since,
                            by: None,
                        },
                    );
                }
            }
        }
        for event in pending {
            view.apply(event);
        }
        if let Some(config) = config {
            view.clear_at_closing(config, now);
        }
        view
    }

    /// Applies one event by the latest-`occurred_at` rule (ties broken by event id).
    pub fn apply(&mut self, event: &KioskEvent) {
        let is_in = event.kind == EventKind::CheckIn;
        for child in &event.children {
            let key = (event.guardian_id, *child);
            let newer = match self.children.get(&key) {
                None => true,
                Some(old) => (event.occurred_at, Some(event.event_id)) > (old.at, old.by),
            };
            if newer {
                self.children.insert(
                    key,
                    ChildState {
                        is_in,
                        at: event.occurred_at,
                        by: Some(event.event_id),
                    },
                );
            }
        }
    }

    /// Checks out every child whose check-in came before a closing time that has passed.
    pub fn clear_at_closing(&mut self, config: &KioskConfig, now: Timestamp) {
        let tz = center_zone(config);
        for state in self.children.values_mut() {
            if state.is_in && config.last_closing_between(state.at, now, &tz).is_some() {
                state.is_in = false;
            }
        }
    }

    /// Whether `child` of `guardian` is in.
    pub fn is_in(&self, guardian: &GuardianId, child: ChildNo) -> bool {
        self.children
            .get(&(*guardian, child))
            .is_some_and(|s| s.is_in)
    }

    /// The families with at least one child in, each with its children in and since when
    /// (the earliest of their latest check-ins), longest in first.
    pub fn families_in(&self) -> Vec<(GuardianId, Vec<ChildNo>, Timestamp)> {
        let mut families: BTreeMap<GuardianId, (Vec<ChildNo>, Timestamp)> = BTreeMap::new();
        for ((guardian, child), state) in &self.children {
            if state.is_in {
                let entry = families.entry(*guardian).or_insert((Vec::new(), state.at));
                entry.0.push(*child);
                entry.1 = entry.1.min(state.at);
            }
        }
        let mut list: Vec<_> = families
            .into_iter()
            .map(|(guardian, (children, since))| (guardian, children, since))
            .collect();
        list.sort_by_key(|(guardian, _, since)| (*since, *guardian));
        list
    }

    /// The occupancy: families and children in, and the level at `now` by the center's
    /// thresholds and hours (vacant with no capacity or no configuration).
    pub fn occupancy(&self, config: Option<&KioskConfig>, now: Timestamp) -> LocalOccupancy {
        let inside: Vec<&(GuardianId, ChildNo)> = self
            .children
            .iter()
            .filter(|(_, s)| s.is_in)
            .map(|(k, _)| k)
            .collect();
        let mut families: Vec<GuardianId> = inside.iter().map(|(g, _)| *g).collect();
        families.dedup();
        let families_in = u32::try_from(families.len()).unwrap_or(u32::MAX);
        let children_in = u32::try_from(inside.len()).unwrap_or(u32::MAX);
        let level = match config {
            Some(config) => {
                let open = config.is_open_at(now, &center_zone(config));
                config.thresholds.level(families_in, config.capacity, open)
            }
            None => shimin_sync::messages::Thresholds::default().level(families_in, 0, true),
        };
        LocalOccupancy {
            families_in,
            children_in,
            level,
        }
    }
}

/// The center's time zone; Asia/Tokyo when the configured one is unknown to the bundled
/// database (the protocol's default, named explicitly: never the host's zone).
pub fn center_zone(config: &KioskConfig) -> TimeZone {
    config
        .time_zone()
        .or_else(|_| TimeZone::get("Asia/Tokyo"))
        .unwrap_or(TimeZone::UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::tests::{config, event, guardian, kids, ts};
    use shimin_sync::messages::{CongestionLevel, PresentFamily, V1};

    #[test]
    fn pending_events_go_on_top_of_the_presence_by_latest_time() {
        let presence = Presence {
            v: V1,
            center_id: "chuo".parse().unwrap(),
            families: vec![PresentFamily {
                guardian_id: guardian(),
                children: kids(&[1, 2]),
                since: ts("2026-04-01T01:00:00Z"),
            }],
            updated_at: ts("2026-04-01T01:00:01Z"),
            seq: 3,
        };
        // An older check-out (before `since`) changes nothing; a newer one of child 2 does.
        let old = event(EventKind::CheckOut, &[1], "2026-04-01T00:30:00Z");
        let new = event(EventKind::CheckOut, &[2], "2026-04-01T01:30:00Z");
        let c = config();
        let now = ts("2026-04-01T02:00:00Z");
        let view = View::build(Some(&presence), [&new, &old], Some(&c), now);
        assert!(view.is_in(&guardian(), kids(&[1])[0]));
        assert!(!view.is_in(&guardian(), kids(&[2])[0]));
        let occupancy = view.occupancy(Some(&c), now);
        assert_eq!((occupancy.families_in, occupancy.children_in), (1, 1));
        assert_eq!(occupancy.level, CongestionLevel::Vacant);
    }

    #[test]
    fn closing_time_checks_everyone_out() {
        let c = config();
        let checkin = event(EventKind::CheckIn, &[1], "2026-04-01T05:00:00Z"); // 14:00 JST
        let before = View::build(None, [&checkin], Some(&c), ts("2026-04-01T06:59:00Z"));
        assert!(before.is_in(&guardian(), kids(&[1])[0]));
        // 16:00 JST is 07:00Z: cleared, and the center shows closed.
        let after = View::build(None, [&checkin], Some(&c), ts("2026-04-01T07:00:00Z"));
        assert!(!after.is_in(&guardian(), kids(&[1])[0]));
        let occupancy = after.occupancy(Some(&c), ts("2026-04-01T07:00:00Z"));
        assert_eq!(occupancy.level, CongestionLevel::Closed);
        assert_eq!(occupancy.children_in, 0);
    }
}

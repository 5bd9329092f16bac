//! Who is in at a center, per child, and how one event changes it (PROTOCOL.md §7.6, §9).
//!
//! Each child's presence follows its **latest** event by `occurred_at` (ties broken by event
//! id), not the order events arrive in. A kiosk that was offline for a day delivers its events
//! late and out of turn with other kiosks; the end state is the same as if it never had been.

use jiff::Timestamp;
use shimin_sync::{ids::EventId, messages::EventKind};

/// One child's presence at one center.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildPresence {
    /// In the center now.
    pub is_in: bool,
    /// When its latest event happened.
    pub latest_at: Timestamp,
    /// Its latest event.
    pub latest_event: EventId,
    /// When the current stay began (only while in).
    pub since: Option<Timestamp>,
}

/// A child's presence after an event, or `None` when the event is older than the child's
/// latest one (it is kept in the visit history but changes nothing).
pub fn after_event(
    current: Option<&ChildPresence>,
    kind: EventKind,
    occurred_at: Timestamp,
    event_id: EventId,
) -> Option<ChildPresence> {
    if let Some(current) = current
        && (current.latest_at, current.latest_event) >= (occurred_at, event_id)
    {
        return None;
    }
    let is_in = kind == EventKind::CheckIn;
    let since = match (is_in, current) {
        (false, _) => None,
        (true, Some(current)) if current.is_in => current.since,
        (true, _) => Some(occurred_at),
    };
    Some(ChildPresence {
        is_in,
        latest_at: occurred_at,
        latest_event: event_id,
        since,
    })
}

/// Counts of a center's presence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Children in.
    pub children_in: u32,
    /// Guardians with at least one child in.
    pub families_in: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn event(text: &str) -> EventId {
        EventId::new_v7(at(text))
    }

    #[test]
    fn events_in_any_order_end_in_the_state_of_the_latest() {
        let check_in = (EventKind::CheckIn, at("2026-04-01T01:00:00Z"));
        let check_out = (EventKind::CheckOut, at("2026-04-01T02:00:00Z"));
        let (in_id, out_id) = (event("2026-04-01T01:00:00Z"), event("2026-04-01T02:00:00Z"));

        let first = after_event(None, check_in.0, check_in.1, in_id).unwrap();
        assert!(first.is_in);
        assert_eq!(first.since, Some(check_in.1));
        let second = after_event(Some(&first), check_out.0, check_out.1, out_id).unwrap();
        assert!(!second.is_in);

        // The check-out arrives first, the check-in (older) after it: still out.
        let out_first = after_event(None, check_out.0, check_out.1, out_id).unwrap();
        assert_eq!(
            after_event(Some(&out_first), check_in.0, check_in.1, in_id),
            None
        );
        assert_eq!(out_first, second);
    }

    #[test]
    fn the_same_event_again_changes_nothing_and_a_second_check_in_keeps_the_stay() {
        let t1 = at("2026-04-01T01:00:00Z");
        let id = event("2026-04-01T01:00:00Z");
        let first = after_event(None, EventKind::CheckIn, t1, id).unwrap();
        assert_eq!(after_event(Some(&first), EventKind::CheckIn, t1, id), None);
        let t2 = at("2026-04-01T01:30:00Z");
        let again = after_event(
            Some(&first),
            EventKind::CheckIn,
            t2,
            event("2026-04-01T01:30:00Z"),
        );
        assert_eq!(again.unwrap().since, Some(t1));
    }

    #[test]
    fn equal_times_are_ordered_by_event_id() {
        let t = at("2026-04-01T01:00:00Z");
        let (low, high) = {
            let (a, b) = (event("2026-04-01T01:00:00Z"), event("2026-04-01T01:00:00Z"));
            if a < b { (a, b) } else { (b, a) }
        };
        let from_low = after_event(None, EventKind::CheckIn, t, low).unwrap();
        let high_wins = after_event(Some(&from_low), EventKind::CheckOut, t, high).unwrap();
        assert!(!high_wins.is_in);
        assert_eq!(
            after_event(Some(&high_wins), EventKind::CheckIn, t, low),
            None
        );
    }
}

//! Property tests of applications: random sequences of applications, cancellations and
//! capacity changes, checked against what families would notice — more confirmed than the
//! capacity, a place left empty while someone waits, the queue jumped, someone lost.

use proptest::prelude::*;

use super::fixtures::portal_event;
use super::*;
use crate::events::tokyo_instant;

#[derive(Debug, Clone)]
enum Step {
    Apply(u8),
    Cancel(u8),
    Capacity(u32),
}

fn any_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u8..12).prop_map(Step::Apply),
        2 => (0u8..12).prop_map(Step::Cancel),
        1 => (1u32..6).prop_map(Step::Capacity),
    ]
}

proptest! {
    #[test]
    fn the_roster_keeps_its_promises(capacity in 1u32..6, steps in prop::collection::vec(any_step(), 0..60)) {
        let mut event = portal_event(Some(capacity));
        let now = tokyo_instant(jiff::civil::date(2026, 12, 2).at(12, 0, 0, 0));
        let mut roster: Roster<u8> = Roster::default();
        // Every family in the order it applied; the roster is that order, split at the capacity,
        // except that cancelled families leave it.
        let mut queue: Vec<u8> = Vec::new();
        // The most that may be confirmed: the capacity, or more when staff lowered it below
        // those already confirmed (who keep their places, and no one joins them).
        let mut bound = capacity as usize;
        for step in steps {
            match step {
                Step::Apply(family) => {
                    let before = roster.clone();
                    match roster.apply(&event, family, now) {
                        Ok(Placement::Confirmed) => prop_assert_eq!(roster.confirmed.last(), Some(&family)),
                        Ok(Placement::Waitlisted { position }) => {
                            prop_assert_eq!(position as usize, roster.waiting.len());
                            prop_assert_eq!(roster.waiting.last(), Some(&family));
                        }
                        Err(error) => {
                            prop_assert_eq!(error, ApplyError::AlreadyApplied);
                            prop_assert!(queue.contains(&family));
                            prop_assert_eq!(&roster, &before);
                        }
                    }
                    if !queue.contains(&family) {
                        queue.push(family);
                    }
                }
                Step::Cancel(family) => {
                    let waiting_before = roster.waiting.clone();
                    let cancelled = roster.cancel(&family, event.capacity).map(|c| c.promoted.into_iter().copied().collect::<Vec<_>>());
                    prop_assert_eq!(cancelled.is_some(), queue.contains(&family));
                    if let Some(promoted) = cancelled {
                        // Those moved up are the first who were waiting, in order.
                        prop_assert!(promoted.len() <= 1);
                        prop_assert_eq!(&promoted[..], &waiting_before[..promoted.len()]);
                    }
                    queue.retain(|f| *f != family);
                }
                Step::Capacity(new) => {
                    event.capacity = Some(new);
                    roster.fill(event.capacity);
                    bound = roster.confirmed.len().max(new as usize);
                }
            }
            let capacity = event.capacity.unwrap_or(u32::MAX) as usize;
            // Never more confirmed than the capacity, unless staff lowered it below them.
            prop_assert!(roster.confirmed.len() <= bound);
            bound = bound.min(roster.confirmed.len().max(capacity));
            // Nobody waits while there is room.
            prop_assert!(roster.waiting.is_empty() || roster.confirmed.len() >= capacity);
            // Nobody lost, nobody twice, the waiting list in the order families applied.
            let mut everyone: Vec<u8> = roster.confirmed.iter().chain(&roster.waiting).copied().collect();
            let mut sorted_queue = queue.clone();
            everyone.sort_unstable();
            sorted_queue.sort_unstable();
            prop_assert_eq!(everyone, sorted_queue);
            let order: Vec<usize> = roster.waiting.iter().filter_map(|f| queue.iter().position(|q| q == f)).collect();
            prop_assert!(order.windows(2).all(|pair| pair[0] < pair[1]));
        }
    }

    #[test]
    fn with_a_fixed_capacity_the_confirmed_are_the_first_who_applied(capacity in 1u32..6, families in prop::collection::vec(0u8..20, 0..30)) {
        let event = portal_event(Some(capacity));
        let now = tokyo_instant(jiff::civil::date(2026, 12, 2).at(12, 0, 0, 0));
        let mut roster = Roster::default();
        let mut first_seen: Vec<u8> = Vec::new();
        for family in families {
            let _ = roster.apply(&event, family, now);
            if !first_seen.contains(&family) {
                first_seen.push(family);
            }
        }
        let cut = first_seen.len().min(capacity as usize);
        prop_assert_eq!(&roster.confirmed[..], &first_seen[..cut]);
        prop_assert_eq!(&roster.waiting[..], &first_seen[cut..]);
    }
}

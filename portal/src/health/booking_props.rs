//! Property tests of booking: however concurrent attempts on a slot are interleaved, the store
//! decides them one after the other inside its transaction, so running the decisions in any
//! sequence must never put more citizens in a slot than its capacity nor give a citizen two
//! bookings of a service — and must not refuse a citizen for a reason that is not true.

use std::collections::HashSet;

use proptest::prelude::*;

use super::*;
use crate::health::fixtures::{at, booked, citizen, slot};
use crate::health::service::{BookingId, Service};

#[derive(Debug, Clone, Copy)]
enum Attempt {
    Book { who: u128, slot: usize },
    Change { who: u128, slot: usize },
    Cancel { who: u128 },
}

fn any_attempt() -> impl Strategy<Value = Attempt> {
    prop_oneof![
        6 => (0u128..8, 0usize..2).prop_map(|(who, slot)| Attempt::Book { who, slot }),
        2 => (0u128..8, 0usize..2).prop_map(|(who, slot)| Attempt::Change { who, slot }),
        1 => (0u128..8).prop_map(|who| Attempt::Cancel { who }),
    ]
}

/// The store as the transaction sees it: the bookings written so far.
struct Store {
    slots: Vec<Slot>,
    bookings: Vec<Booking>,
}

impl Store {
    fn of_slot(&self, slot: &Slot) -> Vec<Booking> {
        self.bookings
            .iter()
            .filter(|b| b.slot_id == slot.slot_id)
            .cloned()
            .collect()
    }

    fn of_citizen(&self, who: u128) -> Vec<BookedSlot> {
        self.bookings
            .iter()
            .filter(|b| b.citizen_id == citizen(who))
            .filter_map(|b| {
                self.slots
                    .iter()
                    .find(|s| s.slot_id == b.slot_id)
                    .map(|s| booked(b, s))
            })
            .collect()
    }

    fn apply(&mut self, attempt: Attempt, n: usize) -> Result<(), BookingError> {
        let policy = BookingPolicy::default();
        let now = at("2026-12-01T12:00");
        match attempt {
            Attempt::Book { who, slot } => {
                let slot = self.slots[slot].clone();
                let new = decide_booking(
                    &policy,
                    &slot,
                    &self.of_slot(&slot),
                    citizen(who),
                    &self.of_citizen(who),
                    now,
                )?;
                self.bookings.push(Booking {
                    booking_id: BookingId(uuid::Uuid::from_u128(n as u128)),
                    slot_id: new.slot_id,
                    citizen_id: new.citizen_id,
                    booked_at: new.booked_at,
                    cancelled_at: None,
                });
            }
            Attempt::Change { who, slot } => {
                let to = self.slots[slot].clone();
                let mine = self.of_citizen(who);
                let Some(current) = mine.iter().find(|b| b.booking.is_active()) else {
                    return Ok(());
                };
                decide_change(
                    &policy,
                    current,
                    &to,
                    &self.of_slot(&to),
                    citizen(who),
                    &mine,
                    now,
                )?;
                let id = current.booking.booking_id;
                if let Some(b) = self.bookings.iter_mut().find(|b| b.booking_id == id) {
                    b.slot_id = to.slot_id;
                }
            }
            Attempt::Cancel { who } => {
                let mine = self.of_citizen(who);
                let Some(current) = mine.iter().find(|b| b.booking.is_active()) else {
                    return Ok(());
                };
                decide_cancel(current, citizen(who), now)?;
                let id = current.booking.booking_id;
                if let Some(b) = self.bookings.iter_mut().find(|b| b.booking_id == id) {
                    b.cancelled_at = Some(now);
                }
            }
        }
        Ok(())
    }
}

fn two_slots(first: u16, second: u16) -> Vec<Slot> {
    vec![
        slot(
            1,
            Service::BoshiTecho,
            "2026-12-08T09:00",
            "2026-12-08T09:30",
            first,
        ),
        slot(
            2,
            Service::BoshiTecho,
            "2026-12-08T09:30",
            "2026-12-08T10:00",
            second,
        ),
    ]
}

proptest! {
    #[test]
    fn no_interleaving_overbooks_a_slot_or_double_books_a_citizen(
        capacities in (1u16..4, 1u16..4),
        attempts in prop::collection::vec(any_attempt(), 1..40),
    ) {
        let mut store = Store { slots: two_slots(capacities.0, capacities.1), bookings: Vec::new() };
        for (n, attempt) in attempts.into_iter().enumerate() {
            let before_full: Vec<bool> = store.slots.iter().map(|s| places_left(s, &store.of_slot(s)) == 0).collect();
            let result = store.apply(attempt, n);
            match (attempt, &result) {
                (Attempt::Book { slot, .. }, Err(BookingError::Full)) => prop_assert!(before_full[slot]),
                (Attempt::Book { who, .. }, Err(BookingError::AlreadyBooked { .. })) => {
                    prop_assert!(store.of_citizen(who).iter().any(|b| b.booking.is_active()));
                }
                (Attempt::Book { slot, who }, Ok(())) => {
                    prop_assert!(!before_full[slot], "booked {who} into a full slot");
                }
                _ => {}
            }
            for slot in &store.slots {
                let active = store.bookings.iter().filter(|b| b.slot_id == slot.slot_id && b.is_active()).count();
                prop_assert!(active <= usize::from(slot.capacity), "slot over capacity");
            }
            let mut holders = HashSet::new();
            for b in store.bookings.iter().filter(|b| b.is_active()) {
                prop_assert!(holders.insert(b.citizen_id), "a citizen holds two bookings");
            }
        }
    }

    #[test]
    fn a_rush_on_one_slot_fills_it_exactly(
        capacity in 1u16..6,
        order in prop::collection::vec(0u128..10, 1..40),
    ) {
        let mut store = Store { slots: two_slots(capacity, 1), bookings: Vec::new() };
        for (n, who) in order.iter().enumerate() {
            let _ = store.apply(Attempt::Book { who: *who, slot: 0 }, n);
        }
        let distinct = order.iter().collect::<HashSet<_>>().len();
        prop_assert_eq!(store.bookings.len(), distinct.min(usize::from(capacity)));
    }
}

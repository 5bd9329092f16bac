//! Booking decisions: whether a citizen may book a slot, move a booking to another slot of the
//! same service, or cancel it, and when a booking's reminder is due.
//!
//! Each decision is a pure function of the slot, the bookings the store holds and `now`. The
//! store runs it inside the transaction that writes the result (`BEGIN IMMEDIATE` in SQLite), so
//! concurrent attempts are decided one after the other against what the previous ones wrote:
//! that is what keeps a slot from taking more than its capacity and a citizen from holding two
//! bookings of one service (see `booking_props.rs`).

use jiff::{SignedDuration, Timestamp};

use super::booking_error::BookingError;
use super::service::{BookingId, SlotId};
use super::slot::Slot;
use crate::domain::AccountId;

/// The health office's booking settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingPolicy {
    /// Booking (and moving into) a slot closes this long before it starts, so staff can
    /// prepare; cancelling stays open until the start.
    pub closes_before: SignedDuration,
    /// The reminder goes out this long before the start.
    pub remind_before: SignedDuration,
}

impl Default for BookingPolicy {
    /// Closes 24 hours before; reminds 48 hours before, while the citizen can still move it.
    fn default() -> Self {
        Self {
            closes_before: SignedDuration::from_hours(24),
            remind_before: SignedDuration::from_hours(48),
        }
    }
}

/// A citizen's booking of a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    /// Its id.
    pub booking_id: BookingId,
    /// The slot it is in (changes when the booking moves).
    pub slot_id: SlotId,
    /// Who booked.
    pub citizen_id: AccountId,
    /// When it was made (or last moved).
    pub booked_at: Timestamp,
    /// When it was cancelled; `None` while it stands.
    pub cancelled_at: Option<Timestamp>,
}

impl Booking {
    /// Whether it was not cancelled.
    pub fn is_active(&self) -> bool {
        self.cancelled_at.is_none()
    }
}

/// A booking with its slot: what a citizen's list, the double-booking rule, changes, cancels
/// and reminders need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookedSlot {
    /// The booking.
    pub booking: Booking,
    /// Its slot.
    pub slot: Slot,
}

impl BookedSlot {
    /// Whether the citizen holds it at `now`: not cancelled, and the slot not over.
    pub fn holds(&self, now: Timestamp) -> bool {
        self.booking.is_active() && self.slot.ends_at > now
    }
}

/// A booking the store is to write, once [`decide_booking`] said yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking {
    /// The slot.
    pub slot_id: SlotId,
    /// Who books.
    pub citizen_id: AccountId,
    /// When.
    pub booked_at: Timestamp,
}

/// How many citizens `slot` still takes, given the bookings the store holds for it
/// (cancelled ones and those of other slots do not count).
pub fn places_left(slot: &Slot, slot_bookings: &[Booking]) -> u16 {
    let taken = slot_bookings
        .iter()
        .filter(|booking| booking.slot_id == slot.slot_id && booking.is_active())
        .count();
    u16::try_from(usize::from(slot.capacity).saturating_sub(taken)).unwrap_or(0)
}

/// When booking `slot` closes.
pub fn closes_at(policy: &BookingPolicy, slot: &Slot) -> Timestamp {
    slot.starts_at
        .checked_sub(policy.closes_before)
        .unwrap_or(slot.starts_at)
}

/// Whether `citizen_id` may book `slot` at `now`: refused when the slot has started or
/// booking it has closed, when the citizen already holds a booking of the service, or when it
/// is full. `slot_bookings` are the slot's bookings, `citizen_bookings` the citizen's (any
/// service; cancelled and past ones are ignored).
pub fn decide_booking(
    policy: &BookingPolicy,
    slot: &Slot,
    slot_bookings: &[Booking],
    citizen_id: AccountId,
    citizen_bookings: &[BookedSlot],
    now: Timestamp,
) -> Result<NewBooking, BookingError> {
    check_open(policy, slot, now)?;
    check_not_holding(slot, citizen_bookings, None, now)?;
    if places_left(slot, slot_bookings) == 0 {
        return Err(BookingError::Full);
    }
    Ok(NewBooking {
        slot_id: slot.slot_id,
        citizen_id,
        booked_at: now,
    })
}

/// Whether `citizen_id` may move `current` to `to` at `now`: the booking is theirs, stands and
/// has not started; `to` is another slot of the same service that [`decide_booking`] would
/// accept, not counting `current` itself as a double booking. The store moves the booking (same
/// id) in one transaction, so the citizen never holds both slots or neither.
pub fn decide_change(
    policy: &BookingPolicy,
    current: &BookedSlot,
    to: &Slot,
    to_bookings: &[Booking],
    citizen_id: AccountId,
    citizen_bookings: &[BookedSlot],
    now: Timestamp,
) -> Result<(), BookingError> {
    check_own_standing(current, citizen_id)?;
    if now >= current.slot.starts_at {
        return Err(BookingError::TooLateToChange);
    }
    if to.service != current.slot.service {
        return Err(BookingError::OtherService);
    }
    if to.slot_id == current.slot.slot_id {
        return Err(BookingError::SameSlot);
    }
    check_open(policy, to, now)?;
    check_not_holding(to, citizen_bookings, Some(current.booking.booking_id), now)?;
    if places_left(to, to_bookings) == 0 {
        return Err(BookingError::Full);
    }
    Ok(())
}

/// Whether `citizen_id` may cancel `booking` at `now`: theirs, standing, and its slot not yet
/// started. (Staff cancelling for a citizen pass the booking's own citizen.)
pub fn decide_cancel(
    booking: &BookedSlot,
    citizen_id: AccountId,
    now: Timestamp,
) -> Result<(), BookingError> {
    check_own_standing(booking, citizen_id)?;
    if now >= booking.slot.starts_at {
        return Err(BookingError::TooLateToCancel);
    }
    Ok(())
}

/// A booking's reminder, to send once (by `key`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// `health-reminder:{booking}:{slot}`: a moved booking is reminded of its new slot.
    pub key: String,
    /// Who to remind.
    pub citizen_id: AccountId,
    /// The booking.
    pub booking_id: BookingId,
}

/// The reminder of `booked` if it is due at `now`: from `remind_before` the start until the
/// start, for a standing booking made before the reminder time (a booking made later has
/// just been confirmed, and needs no reminder).
pub fn reminder_due(
    policy: &BookingPolicy,
    booked: &BookedSlot,
    now: Timestamp,
) -> Option<Reminder> {
    let remind_at = booked
        .slot
        .starts_at
        .checked_sub(policy.remind_before)
        .ok()?;
    let due = booked.booking.is_active()
        && booked.booking.booked_at < remind_at
        && remind_at <= now
        && now < booked.slot.starts_at;
    due.then(|| Reminder {
        key: format!(
            "health-reminder:{}:{}",
            booked.booking.booking_id, booked.slot.slot_id
        ),
        citizen_id: booked.booking.citizen_id,
        booking_id: booked.booking.booking_id,
    })
}

fn check_open(policy: &BookingPolicy, slot: &Slot, now: Timestamp) -> Result<(), BookingError> {
    if now >= slot.starts_at {
        return Err(BookingError::Started);
    }
    let closes_at = closes_at(policy, slot);
    if now >= closes_at {
        return Err(BookingError::Closed { closes_at });
    }
    Ok(())
}

fn check_not_holding(
    slot: &Slot,
    citizen_bookings: &[BookedSlot],
    moving: Option<BookingId>,
    now: Timestamp,
) -> Result<(), BookingError> {
    let held = citizen_bookings.iter().find(|held| {
        held.holds(now)
            && held.slot.service == slot.service
            && Some(held.booking.booking_id) != moving
    });
    match held {
        Some(held) => Err(BookingError::AlreadyBooked {
            service: held.slot.service,
            starts_at: held.slot.starts_at,
        }),
        None => Ok(()),
    }
}

fn check_own_standing(booked: &BookedSlot, citizen_id: AccountId) -> Result<(), BookingError> {
    if booked.booking.citizen_id != citizen_id {
        return Err(BookingError::NotYours);
    }
    if !booked.booking.is_active() {
        return Err(BookingError::Cancelled);
    }
    Ok(())
}

#[cfg(test)]
#[path = "booking_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "booking_props.rs"]
mod props;

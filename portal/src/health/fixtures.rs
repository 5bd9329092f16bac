//! Slots, bookings and moments for the tests, in Asia/Tokyo.

use jiff::{Timestamp, civil::DateTime};
use uuid::Uuid;

use super::booking::{BookedSlot, Booking};
use super::service::{BookingId, Service, SlotId};
use super::slot::{Place, Slot};
use crate::{clock::tokyo, domain::AccountId};

/// The moment `2026-12-02T09:00` (or another) in Asia/Tokyo.
pub fn at(tokyo_time: &str) -> Timestamp {
    tokyo_time
        .parse::<DateTime>()
        .unwrap()
        .to_zoned(tokyo())
        .unwrap()
        .timestamp()
}

/// Citizen number `n`.
pub fn citizen(n: u128) -> AccountId {
    AccountId(Uuid::from_u128(n))
}

/// Slot number `n` of `service` from `start` to `end` (Tokyo times) at the health center.
pub fn slot(n: u128, service: Service, start: &str, end: &str, capacity: u16) -> Slot {
    Slot {
        slot_id: SlotId(Uuid::from_u128(n)),
        service,
        starts_at: at(start),
        ends_at: at(end),
        place: Place::Venue("東広島市保健センター".into()),
        capacity,
    }
}

/// Booking number `n` of `slot` by `citizen`, made at `booked_at`.
pub fn booking(n: u128, slot: &Slot, citizen: AccountId, booked_at: &str) -> Booking {
    Booking {
        booking_id: BookingId(Uuid::from_u128(1000 + n)),
        slot_id: slot.slot_id,
        citizen_id: citizen,
        booked_at: at(booked_at),
        cancelled_at: None,
    }
}

/// `booking` with its slot.
pub fn booked(booking: &Booking, slot: &Slot) -> BookedSlot {
    BookedSlot {
        booking: booking.clone(),
        slot: slot.clone(),
    }
}

//! The store seam for the health office's reservations: slots, bookings with their 問診
//! answers, and the log of every staff read of those answers. Each booking decision of
//! [`crate::health`] runs inside the transaction that writes it, so two citizens booking the
//! last place at once cannot both get it.

use async_trait::async_trait;
use jiff::Timestamp;

use super::StoreError;
use crate::{
    domain::AccountId,
    health::{BookedSlot, Booking, BookingError, BookingId, BookingPolicy, Service, Slot, SlotId},
};

/// A booking with who made it and their answers, for the health office.
#[derive(Debug, Clone)]
pub struct BookingRecord {
    /// The booking and its slot.
    pub booked: BookedSlot,
    /// The citizen's name.
    pub name: String,
    /// Their email address.
    pub email: String,
    /// Their 問診 answers (JSON of `health::Answers`).
    pub answers: String,
}

/// Slots and bookings.
#[async_trait]
pub trait HealthStore: Send + Sync + 'static {
    /// Keeps new slots.
    async fn add_slots(
        &self,
        slots: Vec<Slot>,
        by: AccountId,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// The slots of a service (all with `None`) starting in `[from, until)`, each with its
    /// bookings, by start.
    async fn slots(
        &self,
        service: Option<Service>,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<(Slot, Vec<Booking>)>, StoreError>;

    /// One slot with its bookings.
    async fn slot(&self, slot_id: SlotId) -> Result<Option<(Slot, Vec<Booking>)>, StoreError>;

    /// A citizen's bookings with their slots (cancelled ones too), newest slot first.
    async fn citizen_bookings(&self, citizen: AccountId) -> Result<Vec<BookedSlot>, StoreError>;

    /// Books `slot_id` for `citizen` with their answers, if [`crate::health::decide_booking`]
    /// allows it, in one transaction.
    async fn book(
        &self,
        policy: BookingPolicy,
        slot_id: SlotId,
        citizen: AccountId,
        answers: String,
        now: Timestamp,
    ) -> Result<Result<BookingId, BookingError>, StoreError>;

    /// Moves a booking to another slot, if [`crate::health::decide_change`] allows it.
    async fn change(
        &self,
        policy: BookingPolicy,
        booking_id: BookingId,
        to: SlotId,
        citizen: AccountId,
        now: Timestamp,
    ) -> Result<Result<(), BookingError>, StoreError>;

    /// Cancels a booking, if [`crate::health::decide_cancel`] allows it.
    async fn cancel(
        &self,
        booking_id: BookingId,
        citizen: AccountId,
        now: Timestamp,
    ) -> Result<Result<(), BookingError>, StoreError>;

    /// Bookings with answers, for staff: one (`booking`) or those of a service's slots in
    /// `[from, until)`; the read is logged in the same transaction.
    async fn read_bookings(
        &self,
        staff: AccountId,
        what: ReadWhat,
        now: Timestamp,
    ) -> Result<Vec<BookingRecord>, StoreError>;

    /// Standing bookings whose slot starts in `[from, until)` and whose reminder `key` was not
    /// yet sent, for the reminder.
    async fn bookings_starting(
        &self,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<(BookedSlot, Option<String>)>, StoreError>;

    /// Records a booking's reminder as sent.
    async fn mark_reminded(&self, booking_id: BookingId, key: &str) -> Result<(), StoreError>;

    /// How many times staff read answers (for the audit page and tests): (staff, what, rows).
    async fn answer_reads(&self) -> Result<Vec<(AccountId, String, u64)>, StoreError>;
}

/// Which answers staff read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadWhat {
    /// One booking's.
    Booking(BookingId),
    /// Every booking of one slot (its page).
    Slot(SlotId),
    /// Every booking of a service's slots in `[from, until)` (the CSV export).
    Export(Service, Timestamp, Timestamp),
}

//! The store seam for the 子育てイベントカレンダー: the events staff publish and each event's
//! applications. Applying, cancelling and filling the places freed by a larger capacity each
//! load the event's [`crate::events::Roster`] in order, let it decide, and write it back in one
//! write transaction, so two families applying for the last place cannot both get it.

use async_trait::async_trait;
use jiff::{Timestamp, civil::Date};

use super::StoreError;
use crate::{
    domain::AccountId,
    events::{ApplyError, Event, EventId, Placement},
};

/// An event as kept, with how many have applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// The event.
    pub event: Event,
    /// When staff called it off (中止), if they did.
    pub cancelled_at: Option<Timestamp>,
    /// Families with a place.
    pub confirmed: u32,
    /// Families on the waiting list.
    pub waiting: u32,
}

impl StoredEvent {
    /// Places still free (`None`: no limit).
    pub fn places_left(&self) -> Option<u32> {
        self.event
            .capacity
            .map(|capacity| capacity.saturating_sub(self.confirmed))
    }
}

/// One family's application, for the staff's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventApplicant {
    /// The account that applied.
    pub account_id: AccountId,
    /// Its holder's name, 姓 名.
    pub name: String,
    /// Its holder's email address.
    pub email: String,
    /// Confirmed, or waiting at a position.
    pub placement: Placement,
    /// When they applied.
    pub applied_at: Timestamp,
}

/// What an application did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventApplyOutcome {
    /// Confirmed or on the waiting list.
    Placed(Placement),
    /// Refused by [`crate::events::Roster::apply`]; nothing changed.
    Refused(ApplyError),
    /// No such event, or it was called off.
    NoEvent,
}

/// What cancelling an application did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventCancelOutcome {
    /// Cancelled; these families moved up from the waiting list (to be told), in order.
    Cancelled {
        /// The families now confirmed.
        promoted: Vec<AccountId>,
    },
    /// The family had not applied (or there is no such event).
    NotApplied,
    /// The event has started: too late to cancel on the portal.
    Started,
}

/// Events and their applications.
#[async_trait]
pub trait EventStore: Send + Sync + 'static {
    /// Keeps a new event published by `by`.
    async fn save_event(
        &self,
        event: Event,
        by: AccountId,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Replaces an event's details and, in the same transaction, gives the places a larger
    /// capacity frees to the waiting list ([`crate::events::Roster::fill`]). The families
    /// moved up, in order; `None` when there is no such event.
    async fn update_event(
        &self,
        event: Event,
        now: Timestamp,
    ) -> Result<Option<Vec<AccountId>>, StoreError>;

    /// Calls an event off (中止); `false` when there is no such event.
    async fn cancel_event(&self, event_id: &EventId, now: Timestamp) -> Result<bool, StoreError>;

    /// The events (called off ones too) with a day from `from` to `until` (no end: `None`),
    /// in no particular order.
    async fn events_between(
        &self,
        from: Date,
        until: Option<Date>,
    ) -> Result<Vec<StoredEvent>, StoreError>;

    /// One event.
    async fn event(&self, event_id: &EventId) -> Result<Option<StoredEvent>, StoreError>;

    /// Where `account_id` stands for an event, if they applied.
    async fn placement(
        &self,
        event_id: &EventId,
        account_id: AccountId,
    ) -> Result<Option<Placement>, StoreError>;

    /// Everyone who applied, confirmed first, each list in order.
    async fn applicants(&self, event_id: &EventId) -> Result<Vec<EventApplicant>, StoreError>;

    /// Applies `account_id` for an event at `now`, as [`crate::events::Roster::apply`]
    /// decides, in one transaction.
    async fn apply(
        &self,
        event_id: &EventId,
        account_id: AccountId,
        now: Timestamp,
    ) -> Result<EventApplyOutcome, StoreError>;

    /// Cancels `account_id`'s application before the event starts, as
    /// [`crate::events::Roster::cancel`] decides, in one transaction.
    async fn cancel_application(
        &self,
        event_id: &EventId,
        account_id: AccountId,
        now: Timestamp,
    ) -> Result<EventCancelOutcome, StoreError>;
}

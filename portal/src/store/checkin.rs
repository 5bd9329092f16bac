//! The store seam for check-in/out at centers: pass-signing keys, kiosks, the visit history
//! and who is in now.

use async_trait::async_trait;
use jiff::Timestamp;
use shimin_sync::{
    ids::{CenterId, ChildNo, EventId, GuardianId, KioskId},
    messages::{EventKind, KioskState, PresentFamily, RejectReason},
    pass::PassNonce,
};

use super::StoreError;
use crate::domain::{
    passkeys::{NewKey, StoredKey},
    presence::Counts,
};

/// A kiosk as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kiosk {
    /// Its id (and MQTT user name).
    pub kiosk_id: KioskId,
    /// The center it stands at.
    pub center_id: CenterId,
    /// Where in the center (受付, 入口 …), for staff.
    pub label: String,
    /// When it was registered.
    pub created_at: Timestamp,
    /// When it was retired (its credentials stop working).
    pub retired_at: Option<Timestamp>,
    /// Its last reported state and when the portal learned it.
    pub state: Option<(KioskState, Timestamp)>,
    /// Its software, as it reported it.
    pub software: Option<String>,
    /// Events waiting in its outbox, as it last reported.
    pub pending_events: Option<u32>,
}

/// Who made an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventSource {
    /// A pass scanned at a kiosk.
    Pass,
    /// Staff, by hand at a kiosk.
    Manual,
    /// The portal, at closing time.
    Closing,
}

impl EventSource {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Manual => "manual",
            Self::Closing => "closing",
        }
    }
}

/// An event to apply.
#[derive(Debug, Clone)]
pub struct EventToApply {
    /// Its id (the idempotency key).
    pub event_id: EventId,
    /// The center.
    pub center_id: CenterId,
    /// The kiosk that recorded it (none for the portal's own).
    pub kiosk_id: Option<KioskId>,
    /// In or out.
    pub kind: EventKind,
    /// The guardian.
    pub guardian_id: GuardianId,
    /// The children it names.
    pub children: Vec<ChildNo>,
    /// The pass's nonce (pass events only).
    pub pass_nonce: Option<PassNonce>,
    /// Who made it.
    pub source: EventSource,
    /// Why, for a manual event.
    pub staff_note: Option<String>,
    /// When it happened.
    pub occurred_at: Timestamp,
    /// When the portal received it.
    pub received_at: Timestamp,
}

/// A center's presence and occupancy at one sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CenterSnapshot {
    /// The center.
    pub center_id: CenterId,
    /// Grows with every change.
    pub seq: u64,
    /// When it last changed (`None`: never).
    pub updated_at: Option<Timestamp>,
    /// How many are in.
    pub counts: Counts,
    /// The families in, by guardian id.
    pub families: Vec<PresentFamily>,
}

/// What applying an event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyOutcome {
    /// Applied now (whether or not it changed who is in: an older event only joins the
    /// history).
    Applied,
    /// Applied at an earlier delivery: nothing changed.
    AlreadyApplied,
    /// Refused for good.
    Rejected(RejectReason, String),
}

/// One row of the visit history, for staff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// The event.
    pub event_id: EventId,
    /// In or out.
    pub kind: EventKind,
    /// Who made it.
    pub source: EventSource,
    /// The kiosk, if one did.
    pub kiosk_id: Option<KioskId>,
    /// The guardian's name (姓 名).
    pub guardian_name: String,
    /// The children's given names (or `#n` for a child removed since).
    pub children: Vec<String>,
    /// Staff's note.
    pub staff_note: Option<String>,
    /// When it happened.
    pub occurred_at: Timestamp,
}

/// Pass keys, kiosks, events and presence.
#[async_trait]
pub trait CheckinStore: Send + Sync + 'static {
    /// Every pass-signing key, oldest first.
    async fn pass_keys(&self) -> Result<Vec<StoredKey>, StoreError>;

    /// Stores a new key; `false` when another instance made that key first.
    async fn add_pass_key(
        &self,
        key: NewKey,
        seed: [u8; 32],
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Registers a kiosk with its password hash; `false` when the id is taken.
    async fn create_kiosk(&self, kiosk: Kiosk, password_hash: String) -> Result<bool, StoreError>;

    /// Every kiosk (retired ones too), by center and id.
    async fn kiosks(&self) -> Result<Vec<Kiosk>, StoreError>;

    /// A kiosk and its password hash.
    async fn kiosk(&self, kiosk_id: &KioskId) -> Result<Option<(Kiosk, String)>, StoreError>;

    /// Replaces a kiosk's password hash (new credentials); `false` when it is unknown.
    async fn set_kiosk_password(
        &self,
        kiosk_id: &KioskId,
        password_hash: String,
    ) -> Result<bool, StoreError>;

    /// Retires a kiosk; `false` when it is unknown or already retired.
    async fn retire_kiosk(&self, kiosk_id: &KioskId, now: Timestamp) -> Result<bool, StoreError>;

    /// Records what a kiosk said of itself.
    async fn record_kiosk_status(
        &self,
        kiosk_id: &KioskId,
        state: KioskState,
        at: Timestamp,
        software: Option<String>,
        pending_events: Option<u32>,
    ) -> Result<(), StoreError>;

    /// Applies events exactly once each (PROTOCOL.md §7, steps 4–6), in order, in one
    /// transaction: one outcome per event, and the new state of every center whose presence
    /// changed.
    async fn apply_events(
        &self,
        events: Vec<EventToApply>,
    ) -> Result<(Vec<ApplyOutcome>, Vec<CenterSnapshot>), StoreError>;

    /// A center's current presence and occupancy.
    async fn snapshot(&self, center_id: &CenterId) -> Result<CenterSnapshot, StoreError>;

    /// Checks out every child still in at the center whose latest event is before `closes_at`
    /// (PROTOCOL.md §9), recording one portal-made event per family; the new state when
    /// anyone was checked out.
    async fn close_center(
        &self,
        center_id: &CenterId,
        closes_at: Timestamp,
        now: Timestamp,
    ) -> Result<Option<CenterSnapshot>, StoreError>;

    /// A center's check-ins between two times (the portal's closing-time check-outs aside):
    /// when, and how many children, for the staff's charts.
    async fn checkins(
        &self,
        center_id: &CenterId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<crate::domain::visit_stats::CheckIn>, StoreError>;

    /// The visit history of a center between two times, newest first.
    async fn visits(
        &self,
        center_id: &CenterId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<Visit>, StoreError>;
}

//! The store seam for the library: the citizen's 図書館利用カード (number and photo) and what
//! is lent on it now.

use async_trait::async_trait;
use jiff::Timestamp;

use super::StoreError;
use shimin_sync::{
    ids::{EventId, KioskId},
    messages::{Authority, CircAnswer, CircOp, KioskState},
};

pub use crate::domain::ledger::Loan;
use crate::domain::{
    AccountId,
    card_photo::CardPhoto,
    ledger::{Decision, LedgerView},
};

/// A registered library card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryCard {
    /// The card number, ASCII digits.
    pub number: String,
    /// The photo's size in pixels, when a photo is kept.
    pub photo: Option<(u32, u32)>,
    /// When it was first registered.
    pub registered_at: Timestamp,
    /// When it was last changed.
    pub updated_at: Timestamp,
}

/// Whose card a number is, for librarians.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardHolder {
    /// The account.
    pub account_id: AccountId,
    /// 姓 名 as registered.
    pub name: String,
    /// The card.
    pub card: LibraryCard,
}

/// What saving a card did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardSaved {
    /// Saved.
    Saved,
    /// Another account has registered this number; nothing changed.
    NumberTaken,
}

/// A kiosk at a library counter, as registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryKiosk {
    /// Its id (and MQTT user name): `library{n}`.
    pub kiosk_id: KioskId,
    /// Where it stands (本館 貸出カウンター …), for staff.
    pub label: String,
    /// When it was registered.
    pub created_at: Timestamp,
    /// When it was retired (its credentials stop working).
    pub retired_at: Option<Timestamp>,
    /// Its last reported state and when the portal learned it.
    pub state: Option<(KioskState, Timestamp)>,
    /// Its software, as it reported it.
    pub software: Option<String>,
}

/// A circulation request as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CircRecord {
    /// The kiosk's id for it.
    pub request_id: EventId,
    /// The kiosk.
    pub kiosk_id: KioskId,
    /// Checkout, checkin or renew (lookups are not kept).
    pub op: CircOp,
    /// Ledger or ILS.
    pub authority: Authority,
    /// The card, if the request names one.
    pub card: Option<String>,
    /// The item.
    pub item: String,
    /// When it happened at the counter.
    pub occurred_at: Timestamp,
    /// When the portal received it.
    pub received_at: Timestamp,
}

/// The ledger's decision, made inside the store's transaction from what it read.
pub type Decide = Box<dyn FnOnce(&LedgerView) -> Decision + Send>;

/// What [`LibraryStore::circulate`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Circulated {
    /// Decided and applied now.
    Applied(CircAnswer),
    /// Applied at an earlier delivery: the answer given then (without patron details).
    Repeated(CircAnswer),
}

/// Library cards and loans, always scoped to one account or one card number.
#[async_trait]
pub trait LibraryStore: Send + Sync + 'static {
    /// The account's card, if registered.
    async fn library_card(&self, account_id: AccountId) -> Result<Option<LibraryCard>, StoreError>;

    /// Registers or replaces the account's card. `photo: None` keeps the photo already kept
    /// (a change of number alone).
    async fn save_library_card(
        &self,
        account_id: AccountId,
        number: String,
        photo: Option<CardPhoto>,
        now: Timestamp,
    ) -> Result<CardSaved, StoreError>;

    /// Removes the account's card and its photo; `false` when there was none.
    async fn delete_library_card(&self, account_id: AccountId) -> Result<bool, StoreError>;

    /// The JPEG of the account's card photo.
    async fn library_card_photo(
        &self,
        account_id: AccountId,
    ) -> Result<Option<Vec<u8>>, StoreError>;

    /// Who registered `number`, for librarians.
    async fn card_holder(&self, number: String) -> Result<Option<CardHolder>, StoreError>;

    /// What is lent on `number` now, soonest due first.
    async fn loans(&self, number: String) -> Result<Vec<Loan>, StoreError>;

    /// Registers a library kiosk with its password hash; `false` when the id is taken.
    async fn create_library_kiosk(
        &self,
        kiosk: LibraryKiosk,
        password_hash: String,
    ) -> Result<bool, StoreError>;

    /// Every library kiosk (retired ones too), by id.
    async fn library_kiosks(&self) -> Result<Vec<LibraryKiosk>, StoreError>;

    /// A library kiosk and its password hash.
    async fn library_kiosk(
        &self,
        kiosk_id: &KioskId,
    ) -> Result<Option<(LibraryKiosk, String)>, StoreError>;

    /// Retires a library kiosk; `false` when it is unknown or already retired.
    async fn retire_library_kiosk(
        &self,
        kiosk_id: &KioskId,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Records what a library kiosk said of itself.
    async fn record_library_kiosk_status(
        &self,
        kiosk_id: &KioskId,
        state: KioskState,
        at: Timestamp,
        software: Option<String>,
    ) -> Result<(), StoreError>;

    /// What the ledger knows of `card` and `item` now.
    async fn ledger_view(
        &self,
        card: Option<String>,
        item: Option<String>,
    ) -> Result<LedgerView, StoreError>;

    /// Applies `record` once: a request id seen before gets its earlier answer and changes
    /// nothing; otherwise `decide` is given what the ledger knows, and its change and answer
    /// are kept, in one transaction.
    async fn circulate(&self, record: CircRecord, decide: Decide)
    -> Result<Circulated, StoreError>;
}

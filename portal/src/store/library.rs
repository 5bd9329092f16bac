//! The store seam for the library: the citizen's 図書館利用カード (number and photo) and what
//! is lent on it now.

use async_trait::async_trait;
use jiff::{Timestamp, civil::Date};

use super::StoreError;
use crate::domain::{AccountId, card_photo::CardPhoto};

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

/// One item on loan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loan {
    /// The item's barcode.
    pub item_id: String,
    /// Its title, as the library system gave it (may be empty).
    pub title: String,
    /// When it was lent.
    pub lent_at: Timestamp,
    /// When it is due back.
    pub due_date: Date,
    /// How many times it was renewed.
    pub renewals: u32,
}

/// What saving a card did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardSaved {
    /// Saved.
    Saved,
    /// Another account has registered this number; nothing changed.
    NumberTaken,
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
}

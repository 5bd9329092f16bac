//! The library service: a citizen's 図書館利用カード (registered with its number twice and a
//! photo of the card, shown as the barcode the library's scanners read) and what is lent on it.

pub mod barcode;
mod desk;
pub mod heic;
pub mod kiosks;

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use shimin_sync::library::card::CardRules;

use crate::{
    clock::Clock,
    domain::{
        card_photo::{self, CardPhoto, PhotoError, PhotoKind, Upright},
        ledger::LedgerSettings,
        roles::Role,
        validation::FieldErrors,
    },
    store::{Account, CardHolder, CardSaved, LibraryCard, LibraryStore, Loan, StoreError},
};
pub use barcode::CardBarcode;
use heic::HeicDecoder;

/// The library's settings (`[library]` in the portal's configuration).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct LibrarySettings {
    /// The library's name as pages show it. Default `市立図書館`.
    pub name: String,
    /// The card numbers' length and check digit scheme (`[library.card]`: `min_len`,
    /// `max_len`, `check` = `none`, `dr7`, `dsr7`, `dr9`, `dsr9`, `mod10_w21`, `mod10_w31`,
    /// `mod11_w27` or `mod16`). Default 10 digits, `mod10_w21`.
    pub card: CardRules,
    /// How the card's barcode is drawn (`[library.barcode]`). Default NW-7 `A…A`.
    pub barcode: CardBarcode,
    /// libheif's `heif-convert`, which turns iPhone (HEIC) photos into PNG. Default
    /// `heif-convert` on `PATH` (Debian: `libheif-examples`).
    pub heif_convert: std::path::PathBuf,
    /// The portal's loan ledger, for a library without a system of its own
    /// (`[library.ledger]`: `loan_days`, `max_loans`, `max_renewals`).
    pub ledger: LedgerSettings,
}

impl Default for LibrarySettings {
    fn default() -> Self {
        Self {
            name: "市立図書館".to_owned(),
            card: CardRules::default(),
            barcode: CardBarcode::default(),
            heif_convert: std::path::PathBuf::from("heif-convert"),
            ledger: LedgerSettings::default(),
        }
    }
}

/// Why a library change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// The form has errors; nothing changed.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// No card is registered.
    #[error("no library card")]
    NotFound,
    /// The staff member is not a librarian.
    #[error("not a librarian")]
    Forbidden,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The card form as sent: the number twice, and the photo's bytes when one was chosen.
#[derive(Debug, Clone, Default)]
pub struct CardInput {
    /// 図書館利用カード番号.
    pub number: String,
    /// The same, again.
    pub number_again: String,
    /// The photo file, if one was chosen.
    pub photo: Option<Vec<u8>>,
}

/// The library service.
#[derive(Clone)]
pub struct Library {
    store: Arc<dyn LibraryStore>,
    heic: Arc<dyn HeicDecoder>,
    clock: Arc<dyn Clock>,
    settings: Arc<LibrarySettings>,
}

fn invalid(field: &'static str, key: &'static str) -> LibraryError {
    let mut errors = FieldErrors::default();
    errors.add(field, key);
    LibraryError::Invalid(errors)
}

impl Library {
    /// A service over `store`.
    pub fn new(
        store: Arc<dyn LibraryStore>,
        heic: Arc<dyn HeicDecoder>,
        clock: Arc<dyn Clock>,
        settings: LibrarySettings,
    ) -> Self {
        Self {
            store,
            heic,
            clock,
            settings: Arc::new(settings),
        }
    }

    /// The settings.
    pub fn settings(&self) -> &LibrarySettings {
        &self.settings
    }

    /// The citizen's card, if registered.
    pub async fn card(&self, citizen: &Account) -> Result<Option<LibraryCard>, LibraryError> {
        Ok(self.store.library_card(citizen.account_id).await?)
    }

    /// 図書館利用カード設定: checks the number (twice, by the library's rules) and the photo
    /// (required the first time), then saves both. Nothing changes on any error.
    pub async fn save_card(&self, citizen: &Account, input: CardInput) -> Result<(), LibraryError> {
        let mut errors = FieldErrors::default();
        let number = match self.settings.card.read(&input.number) {
            Ok(number) => Some(number),
            Err(error) => {
                errors.add("number", card_error_key(error.code()));
                None
            }
        };
        if let Some(number) = &number
            && self.settings.card.read(&input.number_again).ok().as_ref() != Some(number)
        {
            errors.add("number_again", "error.card_mismatch");
        }
        let existing = self.store.library_card(citizen.account_id).await?;
        let photo = match input.photo {
            Some(bytes) => match self.photo_from(bytes).await {
                Ok(photo) => Some(photo),
                Err(error) => {
                    errors.add("photo", error.code());
                    None
                }
            },
            None if existing.as_ref().is_some_and(|card| card.photo.is_some()) => None,
            None => {
                errors.add("photo", "error.photo_required");
                None
            }
        };
        let (Some(number), true) = (number, errors.is_empty()) else {
            return Err(LibraryError::Invalid(errors));
        };
        match self
            .store
            .save_library_card(citizen.account_id, number, photo, self.clock.now())
            .await?
        {
            CardSaved::Saved => Ok(()),
            CardSaved::NumberTaken => Err(invalid("number", "error.card_taken")),
        }
    }

    /// Reads, converts and re-encodes an uploaded photo off the async runtime.
    async fn photo_from(&self, bytes: Vec<u8>) -> Result<CardPhoto, PhotoError> {
        let (bytes, upright) = match card_photo::check(&bytes)? {
            PhotoKind::Heic => (self.heic.to_png(bytes).await?, Upright::AsDecoded),
            PhotoKind::Jpeg | PhotoKind::Png => (bytes, Upright::ByExif),
        };
        tokio::task::spawn_blocking(move || card_photo::reencode(&bytes, upright))
            .await
            .map_err(|error| PhotoError::Unreadable(error.to_string()))?
    }

    /// Removes the citizen's card and its photo.
    pub async fn delete_card(&self, citizen: &Account) -> Result<(), LibraryError> {
        if self.store.delete_library_card(citizen.account_id).await? {
            Ok(())
        } else {
            Err(LibraryError::NotFound)
        }
    }

    /// The JPEG of the citizen's own card photo.
    pub async fn own_photo(&self, citizen: &Account) -> Result<Vec<u8>, LibraryError> {
        self.store
            .library_card_photo(citizen.account_id)
            .await?
            .ok_or(LibraryError::NotFound)
    }

    /// What is lent on `card` now, soonest due first.
    pub async fn loans(&self, card: &LibraryCard) -> Result<Vec<Loan>, LibraryError> {
        Ok(self.store.loans(card.number.clone()).await?)
    }

    /// A librarian looks a card number up: whose it is, and its photo to compare with the
    /// card or the person at the counter.
    pub async fn holder(
        &self,
        librarian: &Account,
        typed: &str,
    ) -> Result<(CardHolder, Vec<Loan>), LibraryError> {
        if !librarian.roles.contains(&Role::Librarian) {
            return Err(LibraryError::Forbidden);
        }
        let number = self
            .settings
            .card
            .read(typed)
            .map_err(|error| invalid("number", card_error_key(error.code())))?;
        let holder = self
            .store
            .card_holder(number.clone())
            .await?
            .ok_or(LibraryError::NotFound)?;
        let loans = self.store.loans(number).await?;
        Ok((holder, loans))
    }

    /// The photo of a holder's card, for librarians only.
    pub async fn holder_photo(
        &self,
        librarian: &Account,
        holder: crate::domain::AccountId,
    ) -> Result<Vec<u8>, LibraryError> {
        if !librarian.roles.contains(&Role::Librarian) {
            return Err(LibraryError::Forbidden);
        }
        self.store
            .library_card_photo(holder)
            .await?
            .ok_or(LibraryError::NotFound)
    }
}

/// The message key of a card number error code (`card_length` → `error.card_length`).
fn card_error_key(code: &str) -> &'static str {
    match code {
        "card_empty" => "error.card_empty",
        "card_not_digits" => "error.card_not_digits",
        "card_length" => "error.card_length",
        "card_prefix" => "error.card_prefix",
        _ => "error.card_check_digit",
    }
}

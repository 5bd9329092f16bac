//! [`LibraryStore`] on SQLite.

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, params};
use shimin_sync::{ids::KioskId, messages::KioskState};

use super::rows::{corrupt, ts};
use super::{SqliteStore, library_circulation};
use crate::{
    domain::{AccountId, card_photo::CardPhoto, ledger::LedgerView},
    store::{
        CardHolder, CardSaved, CircRecord, Circulated, Decide, LibraryCard, LibraryKiosk,
        LibraryStore, Loan, StoreError,
    },
};

/// The columns [`card_from_row`] reads, in order.
const CARD_COLUMNS: &str = "card_number, photo_width, photo_height, registered_at, updated_at";

fn card_from_row(row: &Row<'_>, first: usize) -> Result<LibraryCard, StoreError> {
    let width: Option<i64> = row.get(first + 1)?;
    let height: Option<i64> = row.get(first + 2)?;
    let photo = match (width, height) {
        (Some(w), Some(h)) => Some((
            u32::try_from(w).map_err(|_| corrupt("photo width", &w.to_string()))?,
            u32::try_from(h).map_err(|_| corrupt("photo height", &h.to_string()))?,
        )),
        _ => None,
    };
    Ok(LibraryCard {
        number: row.get(first)?,
        photo,
        registered_at: ts(&row.get::<_, String>(first + 3)?)?,
        updated_at: ts(&row.get::<_, String>(first + 4)?)?,
    })
}

#[async_trait]
impl LibraryStore for SqliteStore {
    async fn library_card(&self, account_id: AccountId) -> Result<Option<LibraryCard>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(&format!(
                    "SELECT {CARD_COLUMNS} FROM library_cards WHERE account_id = ?1"
                ))?;
                let mut rows = statement.query([account_id.to_string()])?;
                match rows.next()? {
                    Some(row) => Ok(Some(card_from_row(row, 0)?)),
                    None => Ok(None),
                }
            })
            .await
    }

    async fn save_library_card(
        &self,
        account_id: AccountId,
        number: String,
        photo: Option<CardPhoto>,
        now: Timestamp,
    ) -> Result<CardSaved, StoreError> {
        self.db
            .write(move |tx| {
                let holder: Option<String> = tx
                    .query_row(
                        "SELECT account_id FROM library_cards WHERE card_number = ?1",
                        [&number],
                        |row| row.get(0),
                    )
                    .optional()?;
                if holder.is_some_and(|holder| holder != account_id.to_string()) {
                    return Ok(CardSaved::NumberTaken);
                }
                let (bytes, width, height) = match photo {
                    Some(photo) => (Some(photo.jpeg), Some(photo.width), Some(photo.height)),
                    None => (None, None, None),
                };
                // A new photo replaces the old; none keeps it (COALESCE).
                tx.execute(
                    "INSERT INTO library_cards (account_id, card_number, photo, photo_width, \
                     photo_height, registered_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) \
                     ON CONFLICT (account_id) DO UPDATE SET card_number = excluded.card_number, \
                     photo = COALESCE(excluded.photo, photo), \
                     photo_width = COALESCE(excluded.photo_width, photo_width), \
                     photo_height = COALESCE(excluded.photo_height, photo_height), \
                     updated_at = excluded.updated_at",
                    params![
                        account_id.to_string(),
                        number,
                        bytes,
                        width,
                        height,
                        now.to_string()
                    ],
                )?;
                Ok(CardSaved::Saved)
            })
            .await
    }

    async fn delete_library_card(&self, account_id: AccountId) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                Ok(tx.execute(
                    "DELETE FROM library_cards WHERE account_id = ?1",
                    [account_id.to_string()],
                )? > 0)
            })
            .await
    }

    async fn library_card_photo(
        &self,
        account_id: AccountId,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        self.db
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT photo FROM library_cards WHERE account_id = ?1",
                        [account_id.to_string()],
                        |row| row.get::<_, Option<Vec<u8>>>(0),
                    )
                    .optional()?
                    .flatten())
            })
            .await
    }

    async fn card_holder(&self, number: String) -> Result<Option<CardHolder>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(&format!(
                    "SELECT a.account_id, a.family_name, a.given_name, {CARD_COLUMNS} \
                     FROM library_cards c JOIN accounts a USING (account_id) \
                     WHERE c.card_number = ?1"
                ))?;
                let mut rows = statement.query([&number])?;
                let Some(row) = rows.next()? else {
                    return Ok(None);
                };
                let account_id: String = row.get(0)?;
                let family: String = row.get(1)?;
                let given: String = row.get(2)?;
                Ok(Some(CardHolder {
                    account_id: account_id
                        .parse()
                        .map_err(|_| corrupt("account id", &account_id))?,
                    name: format!("{family} {given}"),
                    card: card_from_row(row, 3)?,
                }))
            })
            .await
    }

    async fn loans(&self, number: String) -> Result<Vec<Loan>, StoreError> {
        self.db
            .read(move |conn| library_circulation::card_loans(conn, &number))
            .await
    }

    async fn create_library_kiosk(
        &self,
        kiosk: LibraryKiosk,
        password_hash: String,
    ) -> Result<bool, StoreError> {
        library_circulation::create_kiosk(&self.db, kiosk, password_hash).await
    }

    async fn library_kiosks(&self) -> Result<Vec<LibraryKiosk>, StoreError> {
        library_circulation::kiosks(&self.db).await
    }

    async fn library_kiosk(
        &self,
        kiosk_id: &KioskId,
    ) -> Result<Option<(LibraryKiosk, String)>, StoreError> {
        library_circulation::kiosk(&self.db, kiosk_id).await
    }

    async fn retire_library_kiosk(
        &self,
        kiosk_id: &KioskId,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        library_circulation::retire_kiosk(&self.db, kiosk_id, now).await
    }

    async fn record_library_kiosk_status(
        &self,
        kiosk_id: &KioskId,
        state: KioskState,
        at: Timestamp,
        software: Option<String>,
    ) -> Result<(), StoreError> {
        library_circulation::record_status(&self.db, kiosk_id, state, at, software).await
    }

    async fn ledger_view(
        &self,
        card: Option<String>,
        item: Option<String>,
    ) -> Result<LedgerView, StoreError> {
        self.db
            .read(move |conn| library_circulation::view(conn, card.as_deref(), item.as_deref()))
            .await
    }

    async fn circulate(
        &self,
        record: CircRecord,
        decide: Decide,
    ) -> Result<Circulated, StoreError> {
        library_circulation::circulate(&self.db, record, decide).await
    }
}

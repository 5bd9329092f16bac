//! [`LineLinkStore`] on SQLite.

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, presence::sortable};
use crate::{
    domain::AccountId,
    store::{LineLinkStore, LinkOutcome, StoreError},
};

fn account_id(text: &str) -> Result<AccountId, StoreError> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("account id {text:?}")))
}

#[async_trait]
impl LineLinkStore for SqliteStore {
    async fn create_link_nonce(
        &self,
        nonce_hash: [u8; 32],
        account_id: AccountId,
        expires_at: Timestamp,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                // Old nonces of anyone go at the same time: a nonce lives far less than an
                // hour, so one expiring an hour before this one is long dead.
                let stale = expires_at
                    .checked_sub(jiff::SignedDuration::from_hours(1))
                    .unwrap_or(expires_at);
                tx.execute(
                    "DELETE FROM line_link_nonces WHERE expires_at < ?1",
                    [sortable(stale)],
                )?;
                tx.execute(
                    "INSERT INTO line_link_nonces (nonce_hash, account_id, expires_at) \
                     VALUES (?1, ?2, ?3)",
                    params![
                        nonce_hash.as_slice(),
                        account_id.to_string(),
                        sortable(expires_at)
                    ],
                )?;
                Ok(())
            })
            .await
    }

    async fn link_with_nonce(
        &self,
        nonce_hash: [u8; 32],
        line_user_id: &str,
        now: Timestamp,
    ) -> Result<LinkOutcome, StoreError> {
        let line_user_id = line_user_id.to_owned();
        self.db
            .write(move |tx| {
                let found: Option<(String, String)> = tx
                    .query_row(
                        "DELETE FROM line_link_nonces WHERE nonce_hash = ?1 \
                         RETURNING account_id, expires_at",
                        [nonce_hash.as_slice()],
                        |row| Ok((row.get(0)?, row.get(1)?)),
                    )
                    .optional()?;
                let Some((account, expires_at)) = found else {
                    return Ok(LinkOutcome::UnknownNonce);
                };
                if expires_at < sortable(now) {
                    return Ok(LinkOutcome::UnknownNonce);
                }
                // One LINE user, one account: a new link replaces the old of either side.
                tx.execute(
                    "DELETE FROM line_links WHERE account_id = ?1 OR line_user_id = ?2",
                    params![account, line_user_id],
                )?;
                tx.execute(
                    "INSERT INTO line_links (account_id, line_user_id, linked_at) \
                     VALUES (?1, ?2, ?3)",
                    params![account, line_user_id, sortable(now)],
                )?;
                Ok(LinkOutcome::Linked(account_id(&account)?))
            })
            .await
    }

    async fn line_user(&self, account: AccountId) -> Result<Option<String>, StoreError> {
        self.db
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT line_user_id FROM line_links WHERE account_id = ?1",
                        [account.to_string()],
                        |row| row.get(0),
                    )
                    .optional()?)
            })
            .await
    }

    async fn unlink_account(&self, account: AccountId) -> Result<Option<String>, StoreError> {
        self.db
            .write(move |tx| {
                Ok(tx
                    .query_row(
                        "DELETE FROM line_links WHERE account_id = ?1 RETURNING line_user_id",
                        [account.to_string()],
                        |row| row.get(0),
                    )
                    .optional()?)
            })
            .await
    }

    async fn account_of_line_user(
        &self,
        line_user_id: &str,
    ) -> Result<Option<AccountId>, StoreError> {
        let line_user_id = line_user_id.to_owned();
        let account: Option<String> = self
            .db
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT account_id FROM line_links WHERE line_user_id = ?1",
                        [line_user_id],
                        |row| row.get(0),
                    )
                    .optional()?)
            })
            .await?;
        account.as_deref().map(account_id).transpose()
    }

    async fn unlink_line_user(&self, line_user_id: &str) -> Result<Option<AccountId>, StoreError> {
        let line_user_id = line_user_id.to_owned();
        let account: Option<String> = self
            .db
            .write(move |tx| {
                Ok(tx
                    .query_row(
                        "DELETE FROM line_links WHERE line_user_id = ?1 RETURNING account_id",
                        [line_user_id],
                        |row| row.get(0),
                    )
                    .optional()?)
            })
            .await?;
        account.as_deref().map(account_id).transpose()
    }

    async fn first_sight(
        &self,
        webhook_event_id: &str,
        now: Timestamp,
        forget_before: Timestamp,
    ) -> Result<bool, StoreError> {
        let event_id = webhook_event_id.to_owned();
        self.db
            .write(move |tx| {
                tx.execute(
                    "DELETE FROM line_webhook_events WHERE received_at < ?1",
                    [sortable(forget_before)],
                )?;
                let inserted = tx.execute(
                    "INSERT INTO line_webhook_events (webhook_event_id, received_at) \
                     VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    params![event_id, sortable(now)],
                )?;
                Ok(inserted == 1)
            })
            .await
    }

    async fn forget_event(&self, webhook_event_id: &str) -> Result<(), StoreError> {
        let event_id = webhook_event_id.to_owned();
        self.db
            .write(move |tx| {
                tx.execute(
                    "DELETE FROM line_webhook_events WHERE webhook_event_id = ?1",
                    [event_id],
                )?;
                Ok(())
            })
            .await
    }
}

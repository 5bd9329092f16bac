//! [`SessionStore`] on SQLite.

use async_trait::async_trait;
use jiff::{SignedDuration, Timestamp};
use rusqlite::{OptionalExtension, params};

use super::{
    SqliteStore,
    rows::{ACCOUNT_COLUMN_COUNT, ACCOUNT_COLUMNS, credentials_from_row, ts},
};
use crate::{
    domain::tokens::SESSION_IDLE,
    store::{Account, NewSession, SessionInfo, SessionKind, SessionStore, StoreError},
};

/// A session's expiry is slid forward only when less than this much of its idle lifetime is
/// left, so a busy session writes at most once a day instead of on every request.
const SLIDE_WHEN_LEFT: SignedDuration = SignedDuration::from_hours(24 * 13);

#[async_trait]
impl SessionStore for SqliteStore {
    async fn create_session(&self, session: NewSession) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO sessions (token_hash, account_id, kind, created_at, expires_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![
                        session.token_hash.as_slice(),
                        session.account_id.to_string(),
                        session.kind.as_str(),
                        session.created_at.to_string(),
                        session.expires_at.to_string(),
                    ],
                )?;
                Ok(())
            })
            .await
    }

    async fn find_session(
        &self,
        token_hash: [u8; 32],
        now: Timestamp,
    ) -> Result<Option<(Account, SessionInfo)>, StoreError> {
        let found = self
            .db
            .read(move |conn| {
                let sql = format!(
                    "SELECT {ACCOUNT_COLUMNS}, s.kind, s.expires_at FROM sessions s \
                     JOIN accounts a ON a.account_id = s.account_id \
                     WHERE s.token_hash = ?1 AND a.status = 'active'"
                );
                let row = conn
                    .prepare_cached(&sql)?
                    .query_row([token_hash.as_slice()], |row| {
                        Ok((
                            credentials_from_row(row),
                            row.get::<_, String>(ACCOUNT_COLUMN_COUNT)?,
                            row.get::<_, String>(ACCOUNT_COLUMN_COUNT + 1)?,
                        ))
                    })
                    .optional()?;
                let Some((credentials, kind, expires_at)) = row else {
                    return Ok(None);
                };
                let account = credentials?.account;
                let kind = if kind == "api" {
                    SessionKind::Api
                } else {
                    SessionKind::Web
                };
                Ok(Some((
                    account,
                    SessionInfo {
                        token_hash,
                        kind,
                        expires_at: ts(&expires_at)?,
                    },
                )))
            })
            .await?;
        let Some((account, mut info)) = found else {
            return Ok(None);
        };
        if info.expires_at <= now {
            return Ok(None);
        }
        if info.expires_at.duration_since(now) < SLIDE_WHEN_LEFT {
            let expires_at = now.checked_add(SESSION_IDLE).unwrap_or(info.expires_at);
            self.db
                .write(move |tx| {
                    tx.execute(
                        "UPDATE sessions SET expires_at = ?2 WHERE token_hash = ?1",
                        params![token_hash.as_slice(), expires_at.to_string()],
                    )?;
                    Ok(())
                })
                .await?;
            info.expires_at = expires_at;
        }
        Ok(Some((account, info)))
    }

    async fn delete_session(&self, token_hash: [u8; 32]) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "DELETE FROM sessions WHERE token_hash = ?1",
                    [token_hash.as_slice()],
                )?;
                Ok(())
            })
            .await
    }

    async fn purge_expired(&self, now: Timestamp) -> Result<u64, StoreError> {
        self.db
            .write(move |tx| {
                let now = now.to_string();
                let sessions = tx.execute("DELETE FROM sessions WHERE expires_at <= ?1", [&now])?;
                let tokens =
                    tx.execute("DELETE FROM account_tokens WHERE expires_at <= ?1", [&now])?;
                Ok((sessions + tokens) as u64)
            })
            .await
    }
}

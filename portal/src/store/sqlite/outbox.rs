//! [`MailOutbox`] on SQLite.

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::{SqliteStore, rows::ts};
use crate::store::{MailOutbox, OutgoingMail, QueuedMail, StoreError};

const MAIL_COLUMNS: &str = "mail_id, to_addr, subject, text_body, html_body, created_at, attempts";

/// Reads rows of [`MAIL_COLUMNS`].
fn read_mail(
    statement: &mut rusqlite::CachedStatement<'_>,
    params: impl rusqlite::Params,
) -> Result<Vec<QueuedMail>, StoreError> {
    let rows = statement.query_map(params, |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, String>(3)?,
            row.get::<_, String>(4)?,
            row.get::<_, String>(5)?,
            row.get::<_, u32>(6)?,
        ))
    })?;
    let mut mail = Vec::new();
    for row in rows {
        let (mail_id, to, subject, text, html, created_at, attempts) = row?;
        mail.push(QueuedMail {
            mail: OutgoingMail {
                mail_id: Uuid::parse_str(&mail_id)
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?,
                to,
                subject,
                text,
                html,
                created_at: ts(&created_at)?,
            },
            attempts,
        });
    }
    Ok(mail)
}

#[async_trait]
impl MailOutbox for SqliteStore {
    async fn mail_to(&self, address: &str) -> Result<Vec<QueuedMail>, StoreError> {
        let address = address.to_owned();
        self.db
            .read(move |conn| {
                let sql = format!(
                    "SELECT {MAIL_COLUMNS} FROM mail_outbox WHERE to_addr = ?1 ORDER BY rowid"
                );
                read_mail(&mut conn.prepare_cached(&sql)?, [address])
            })
            .await
    }

    async fn release_claims(&self, instance: &str, now: Timestamp) -> Result<u64, StoreError> {
        let instance = instance.to_owned();
        self.db
            .write(move |tx| {
                let released = tx.execute(
                    "UPDATE mail_outbox SET next_attempt_at = ?2, claimed_by = NULL \
                     WHERE claimed_by = ?1 AND sent_at IS NULL AND next_attempt_at IS NOT NULL",
                    params![instance, now.to_string()],
                )?;
                Ok(released as u64)
            })
            .await
    }

    async fn claim_due_mail(
        &self,
        instance: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> Result<Vec<QueuedMail>, StoreError> {
        let instance = instance.to_owned();
        self.db
            .write(move |conn| {
                let sql = format!(
                    "SELECT {MAIL_COLUMNS} FROM mail_outbox WHERE next_attempt_at IS NOT NULL \
                     AND next_attempt_at <= ?1 ORDER BY next_attempt_at LIMIT ?2"
                );
                let due = read_mail(
                    &mut conn.prepare_cached(&sql)?,
                    params![now.to_string(), i64::try_from(limit).unwrap_or(i64::MAX)],
                )?;
                let mut lease = conn.prepare_cached(
                    "UPDATE mail_outbox SET next_attempt_at = ?2, claimed_by = ?3 WHERE mail_id = ?1",
                )?;
                for queued in &due {
                    lease.execute(params![
                        queued.mail.mail_id.to_string(),
                        lease_until.to_string(),
                        instance
                    ])?;
                }
                Ok(due)
            })
            .await
    }

    async fn mark_sent(&self, mail_id: Uuid, now: Timestamp) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "UPDATE mail_outbox SET sent_at = ?2, next_attempt_at = NULL, claimed_by = NULL, \
                     attempts = attempts + 1, last_error = NULL WHERE mail_id = ?1",
                    params![mail_id.to_string(), now.to_string()],
                )?;
                Ok(())
            })
            .await
    }

    async fn mark_failed(
        &self,
        mail_id: Uuid,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> Result<(), StoreError> {
        let error = error.to_owned();
        self.db
            .write(move |tx| {
                tx.execute(
                    "UPDATE mail_outbox SET attempts = attempts + 1, last_error = ?2, \
                     next_attempt_at = ?3, claimed_by = NULL WHERE mail_id = ?1",
                    params![
                        mail_id.to_string(),
                        error,
                        retry_at.map(|at| at.to_string())
                    ],
                )?;
                Ok(())
            })
            .await
    }

    async fn next_due(&self) -> Result<Option<Timestamp>, StoreError> {
        let next = self
            .db
            .read(|conn| {
                Ok(conn
                    .query_row(
                        "SELECT min(next_attempt_at) FROM mail_outbox \
                         WHERE next_attempt_at IS NOT NULL",
                        [],
                        |row| row.get::<_, Option<String>>(0),
                    )
                    .optional()?
                    .flatten())
            })
            .await?;
        next.as_deref().map(ts).transpose()
    }

    async fn purge_sent(&self, before: Timestamp) -> Result<u64, StoreError> {
        self.db
            .write(move |tx| {
                let purged = tx.execute(
                    "DELETE FROM mail_outbox WHERE sent_at IS NOT NULL AND sent_at < ?1",
                    [before.to_string()],
                )?;
                Ok(purged as u64)
            })
            .await
    }
}

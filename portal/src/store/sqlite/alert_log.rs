//! [`AlertLog`] on SQLite.

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::{
    SqliteStore,
    alert_rows::{COLUMNS, alert_of, id, insert},
    rows::{corrupt, ts},
};
use crate::{
    domain::AccountId,
    store::{AlertLog, StoreError, StoredAlert, StoredAnswer},
};

#[async_trait]
impl AlertLog for SqliteStore {
    async fn insert_alert(&self, alert: StoredAlert) -> Result<(), StoreError> {
        self.db.write(move |tx| insert(tx, &alert)).await
    }

    async fn alert(&self, alert_id: Uuid) -> Result<Option<StoredAlert>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn
                    .prepare_cached(&format!("SELECT {COLUMNS} FROM alerts WHERE alert_id = ?1"))?;
                let mut rows = statement.query([alert_id.to_string()])?;
                rows.next()?.map(alert_of).transpose()
            })
            .await
    }

    async fn alerts(&self, limit: u32) -> Result<Vec<StoredAlert>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM alerts ORDER BY created_at DESC, alert_id DESC \
                     LIMIT ?1"
                ))?;
                let mut rows = statement.query([limit])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(alert_of(row)?);
                }
                Ok(out)
            })
            .await
    }

    async fn unsent_alerts(&self) -> Result<Vec<Uuid>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT alert_id FROM alerts WHERE status = 'approved' ORDER BY created_at",
                )?;
                let ids = statement
                    .query_map([], |row| row.get::<_, String>(0))?
                    .collect::<Result<Vec<_>, _>>()?;
                ids.into_iter()
                    .map(|id| id.parse().map_err(|_| corrupt("alert id", &id)))
                    .collect()
            })
            .await
    }

    async fn approve_alert(&self, alert_id: Uuid, by: AccountId) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                let changed = tx.execute(
                    "UPDATE alerts SET status = 'approved', approved_by = ?2 \
                     WHERE alert_id = ?1 AND status = 'pending'",
                    params![alert_id.to_string(), by.to_string()],
                )?;
                Ok(changed == 1)
            })
            .await
    }

    async fn mark_alert_sent(
        &self,
        alert_id: Uuid,
        recipients: u64,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                let changed = tx.execute(
                    "UPDATE alerts SET status = 'sent', sent_at = ?3, recipients = ?2 \
                     WHERE alert_id = ?1 AND status = 'approved'",
                    params![alert_id.to_string(), recipients, now.to_string()],
                )?;
                Ok(changed == 1)
            })
            .await
    }

    async fn cancel_alert(
        &self,
        alert_id: Uuid,
        by: AccountId,
        now: Timestamp,
        notice: StoredAlert,
    ) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                let changed = tx.execute(
                    "UPDATE alerts SET status = 'cancelled', cancelled_by = ?2, cancelled_at = ?3 \
                     WHERE alert_id = ?1 AND status = 'sent'",
                    params![alert_id.to_string(), by.to_string(), now.to_string()],
                )?;
                if changed == 1 {
                    // Messages not yet taken by a sender are withdrawn: nobody should get the
                    // alert after its 取消. (One being handed over right now still goes.)
                    let withdrawn = tx.execute(
                        "DELETE FROM delivery_recipients WHERE state = 'queued' \
                         AND claimed_by IS NULL AND delivery_id = \
                         (SELECT delivery_id FROM deliveries WHERE source = ?1)",
                        [format!("alert:{alert_id}")],
                    )?;
                    tx.execute(
                        "UPDATE alerts SET withdrawn = ?2 WHERE alert_id = ?1",
                        params![alert_id.to_string(), withdrawn],
                    )?;
                    insert(tx, &notice)?;
                }
                Ok(changed == 1)
            })
            .await
    }

    async fn alert_delivery(&self, alert_id: Uuid) -> Result<Option<Uuid>, StoreError> {
        self.db
            .read(move |conn| {
                let delivery: Option<String> = conn
                    .query_row(
                        "SELECT delivery_id FROM deliveries WHERE source = ?1",
                        [format!("alert:{alert_id}")],
                        |row| row.get(0),
                    )
                    .optional()?;
                id("delivery id", delivery)
            })
            .await
    }

    async fn save_answer(
        &self,
        alert_id: Uuid,
        account_id: AccountId,
        answer: &str,
        area: Option<u32>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let answer = answer.to_owned();
        self.db
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO alert_answers (alert_id, account_id, answer, area_id, answered_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (alert_id, account_id) DO UPDATE \
                     SET answer = excluded.answer, area_id = excluded.area_id, \
                     answered_at = excluded.answered_at",
                    params![
                        alert_id.to_string(),
                        account_id.to_string(),
                        answer,
                        area,
                        now.to_string()
                    ],
                )?;
                Ok(())
            })
            .await
    }

    async fn answers(&self, alert_id: Uuid) -> Result<Vec<StoredAnswer>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT a.account_id, c.family_name || ' ' || c.given_name, c.email, \
                     a.area_id, a.answer, a.answered_at FROM alert_answers a \
                     JOIN accounts c ON c.account_id = a.account_id WHERE a.alert_id = ?1",
                )?;
                let mut rows = statement.query([alert_id.to_string()])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let account: String = row.get(0)?;
                    out.push(StoredAnswer {
                        account_id: account
                            .parse()
                            .map_err(|_| corrupt("account id", &account))?,
                        name: row.get(1)?,
                        email: row.get(2)?,
                        area: row.get(3)?,
                        answer: row.get(4)?,
                        at: ts(&row.get::<_, String>(5)?)?,
                    });
                }
                Ok(out)
            })
            .await
    }

    async fn answer_of(
        &self,
        alert_id: Uuid,
        account_id: AccountId,
    ) -> Result<Option<(String, Option<u32>)>, StoreError> {
        self.db
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT answer, area_id FROM alert_answers \
                         WHERE alert_id = ?1 AND account_id = ?2",
                        params![alert_id.to_string(), account_id.to_string()],
                        |row| Ok((row.get(0)?, row.get(1)?)),
                    )
                    .optional()?)
            })
            .await
    }
}

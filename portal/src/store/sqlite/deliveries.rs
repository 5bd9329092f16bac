//! [`DeliveryStore`] on SQLite: claims, outcomes, the staff's views and channel choices.
//! Making a delivery is in [`super::fanout`].

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::rows::corrupt;
use super::{SqliteStore, fanout::insert_delivery, presence::sortable, rows::ts};
use crate::{
    domain::{
        AccountId,
        notify::{Channel, ChannelChoice, Service},
    },
    store::{
        Content, DeliveryStore, DeliverySummary, EmailJob, LineBatch, NewDelivery, RecipientStatus,
        StateCounts, StoreError,
    },
};

fn uuid(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| corrupt("uuid", text))
}

fn counts(
    conn: &rusqlite::Connection,
    delivery_id: &str,
) -> Result<(StateCounts, StateCounts), StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT channel, state, count(*) FROM delivery_recipients WHERE delivery_id = ?1 \
         GROUP BY channel, state",
    )?;
    let mut rows = statement.query([delivery_id])?;
    let (mut email, mut line) = (StateCounts::default(), StateCounts::default());
    while let Some(row) = rows.next()? {
        let channel: String = row.get(0)?;
        let state: String = row.get(1)?;
        let count: u64 = row.get(2)?;
        let counts = if channel == "line" {
            &mut line
        } else {
            &mut email
        };
        match state.as_str() {
            "queued" => counts.queued = count,
            "sent" => counts.sent = count,
            _ => counts.dead = count,
        }
    }
    Ok((email, line))
}

fn summary(
    conn: &rusqlite::Connection,
    row: &rusqlite::Row<'_>,
) -> Result<DeliverySummary, StoreError> {
    let id: String = row.get(0)?;
    let (email, line) = counts(conn, &id)?;
    Ok(DeliverySummary {
        delivery_id: uuid(&id)?,
        kind: row.get(1)?,
        service: row.get(2)?,
        title: row.get(3)?,
        created_at: ts(&row.get::<_, String>(4)?)?,
        email,
        line,
    })
}

#[async_trait]
impl DeliveryStore for SqliteStore {
    async fn create_delivery(
        &self,
        delivery: NewDelivery,
        now: Timestamp,
    ) -> Result<Option<u64>, StoreError> {
        self.db
            .write(move |tx| insert_delivery(tx, &delivery, now))
            .await
    }

    async fn content(&self, delivery_id: Uuid, lang: &str) -> Result<Option<Content>, StoreError> {
        let lang = lang.to_owned();
        self.db
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT lang, subject, text_body, html_body, line_text, line_actions \
                         FROM delivery_contents WHERE delivery_id = ?1 AND lang IN (?2, 'ja') \
                         ORDER BY lang = ?2 DESC LIMIT 1",
                        params![delivery_id.to_string(), lang],
                        |row| {
                            Ok(Content {
                                lang: row.get(0)?,
                                subject: row.get(1)?,
                                text: row.get(2)?,
                                html: row.get(3)?,
                                line_text: row.get(4)?,
                                line_actions: row
                                    .get::<_, Option<String>>(5)?
                                    .and_then(|json| serde_json::from_str(&json).ok())
                                    .unwrap_or_default(),
                            })
                        },
                    )
                    .optional()?)
            })
            .await
    }

    async fn claim_email(
        &self,
        instance: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> Result<Vec<EmailJob>, StoreError> {
        let instance = instance.to_owned();
        self.db
            .write(move |tx| {
                let mut due = tx.prepare_cached(
                    "SELECT r.recipient_id, r.delivery_id, r.address, r.lang, r.attempts, \
                     d.created_at FROM delivery_recipients r \
                     JOIN deliveries d ON d.delivery_id = r.delivery_id \
                     WHERE r.channel = 'email' AND r.next_attempt_at IS NOT NULL \
                     AND r.next_attempt_at <= ?1 ORDER BY r.next_attempt_at LIMIT ?2",
                )?;
                let rows = due.query_map(
                    params![sortable(now), i64::try_from(limit).unwrap_or(i64::MAX)],
                    |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, String>(3)?,
                            row.get::<_, u32>(4)?,
                            row.get::<_, String>(5)?,
                        ))
                    },
                )?;
                let mut jobs = Vec::new();
                for row in rows {
                    let (recipient_id, delivery_id, address, lang, attempts, created_at) = row?;
                    jobs.push(EmailJob {
                        recipient_id,
                        delivery_id: uuid(&delivery_id)?,
                        address,
                        lang,
                        attempts,
                        created_at: ts(&created_at)?,
                    });
                }
                let mut lease = tx.prepare_cached(
                    "UPDATE delivery_recipients SET next_attempt_at = ?2, claimed_by = ?3 \
                     WHERE recipient_id = ?1",
                )?;
                for job in &jobs {
                    lease.execute(params![job.recipient_id, sortable(lease_until), instance])?;
                }
                Ok(jobs)
            })
            .await
    }

    async fn claim_line(
        &self,
        instance: &str,
        now: Timestamp,
        lease_until: Timestamp,
        limit: usize,
    ) -> Result<Vec<LineBatch>, StoreError> {
        let instance = instance.to_owned();
        self.db
            .write(move |tx| {
                let mut due = tx.prepare_cached(
                    "SELECT DISTINCT batch_id FROM delivery_recipients \
                     WHERE channel = 'line' AND next_attempt_at IS NOT NULL \
                     AND next_attempt_at <= ?1 LIMIT ?2",
                )?;
                let batch_ids = due
                    .query_map(
                        params![sortable(now), i64::try_from(limit).unwrap_or(i64::MAX)],
                        |row| row.get::<_, Option<String>>(0),
                    )?
                    .collect::<Result<Vec<_>, _>>()?;
                let mut members = tx.prepare_cached(
                    "SELECT recipient_id, delivery_id, address, lang, attempts \
                     FROM delivery_recipients WHERE batch_id = ?1 AND state = 'queued' \
                     ORDER BY recipient_id",
                )?;
                let mut lease = tx.prepare_cached(
                    "UPDATE delivery_recipients SET next_attempt_at = ?2, claimed_by = ?3 \
                     WHERE batch_id = ?1 AND state = 'queued'",
                )?;
                let mut batches = Vec::new();
                for batch_id in batch_ids.into_iter().flatten() {
                    let mut batch: Option<LineBatch> = None;
                    let rows = members.query_map([&batch_id], |row| {
                        Ok((
                            row.get::<_, i64>(0)?,
                            row.get::<_, String>(1)?,
                            row.get::<_, String>(2)?,
                            row.get::<_, String>(3)?,
                            row.get::<_, u32>(4)?,
                        ))
                    })?;
                    for row in rows {
                        let (recipient_id, delivery_id, address, lang, attempts) = row?;
                        let entry = match &mut batch {
                            Some(entry) => entry,
                            None => batch.insert(LineBatch {
                                batch_id: uuid(&batch_id)?,
                                delivery_id: uuid(&delivery_id)?,
                                lang,
                                recipients: Vec::new(),
                                attempts: 0,
                            }),
                        };
                        entry.attempts = entry.attempts.max(attempts);
                        entry.recipients.push((recipient_id, address));
                    }
                    lease.execute(params![batch_id, sortable(lease_until), instance])?;
                    batches.extend(batch);
                }
                Ok(batches)
            })
            .await
    }

    async fn mark_sent(&self, recipient_ids: Vec<i64>, now: Timestamp) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                let mut sent = tx.prepare_cached(
                    "UPDATE delivery_recipients SET state = 'sent', sent_at = ?2, \
                     next_attempt_at = NULL, claimed_by = NULL, last_error = NULL \
                     WHERE recipient_id = ?1",
                )?;
                for id in recipient_ids {
                    sent.execute(params![id, sortable(now)])?;
                }
                Ok(())
            })
            .await
    }

    async fn mark_failed(
        &self,
        recipient_ids: Vec<i64>,
        error: &str,
        retry_at: Option<Timestamp>,
        counts: bool,
    ) -> Result<(), StoreError> {
        let error: String = error.chars().take(500).collect();
        self.db
            .write(move |tx| {
                let mut failed = tx.prepare_cached(
                    "UPDATE delivery_recipients SET attempts = attempts + ?2, last_error = ?3, \
                     next_attempt_at = ?4, claimed_by = NULL, \
                     state = CASE WHEN ?4 IS NULL THEN 'dead' ELSE 'queued' END \
                     WHERE recipient_id = ?1",
                )?;
                for id in recipient_ids {
                    failed.execute(params![
                        id,
                        u32::from(counts),
                        error,
                        retry_at.map(sortable)
                    ])?;
                }
                Ok(())
            })
            .await
    }

    async fn release_claims(&self, instance: &str, now: Timestamp) -> Result<u64, StoreError> {
        let instance = instance.to_owned();
        self.db
            .write(move |tx| {
                let released = tx.execute(
                    "UPDATE delivery_recipients SET next_attempt_at = ?2, claimed_by = NULL \
                     WHERE claimed_by = ?1 AND state = 'queued'",
                    params![instance, sortable(now)],
                )?;
                Ok(released as u64)
            })
            .await
    }

    async fn next_due(&self, channel: Channel) -> Result<Option<Timestamp>, StoreError> {
        let next = self
            .db
            .read(move |conn| {
                Ok(conn.query_row(
                    "SELECT min(next_attempt_at) FROM delivery_recipients \
                     WHERE channel = ?1 AND next_attempt_at IS NOT NULL",
                    [channel.as_str()],
                    |row| row.get::<_, Option<String>>(0),
                )?)
            })
            .await?;
        next.as_deref().map(ts).transpose()
    }

    async fn deliveries(&self, limit: u32) -> Result<Vec<DeliverySummary>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT delivery_id, kind, service, title, created_at FROM deliveries \
                     ORDER BY created_at DESC LIMIT ?1",
                )?;
                let mut rows = statement.query([limit])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(summary(conn, row)?);
                }
                Ok(out)
            })
            .await
    }

    async fn delivery(&self, delivery_id: Uuid) -> Result<Option<DeliverySummary>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT delivery_id, kind, service, title, created_at FROM deliveries \
                     WHERE delivery_id = ?1",
                )?;
                let mut rows = statement.query([delivery_id.to_string()])?;
                rows.next()?.map(|row| summary(conn, row)).transpose()
            })
            .await
    }

    async fn recipients(
        &self,
        delivery_id: Uuid,
        state: Option<&'static str>,
        limit: u32,
    ) -> Result<Vec<RecipientStatus>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT recipient_id, channel, address, state, attempts, last_error, sent_at \
                     FROM delivery_recipients WHERE delivery_id = ?1 \
                     AND (?2 IS NULL OR state = ?2) ORDER BY recipient_id LIMIT ?3",
                )?;
                let mut rows = statement.query(params![delivery_id.to_string(), state, limit])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let channel: String = row.get(1)?;
                    let sent_at: Option<String> = row.get(6)?;
                    out.push(RecipientStatus {
                        recipient_id: row.get(0)?,
                        channel: Channel::parse(&channel)
                            .ok_or_else(|| corrupt("channel", &channel))?,
                        address: row.get(2)?,
                        state: row.get(3)?,
                        attempts: row.get(4)?,
                        last_error: row.get(5)?,
                        sent_at: sent_at.as_deref().map(ts).transpose()?,
                    });
                }
                Ok(out)
            })
            .await
    }

    async fn resend_dead(&self, delivery_id: Uuid, now: Timestamp) -> Result<u64, StoreError> {
        self.db
            .write(move |tx| {
                let queued = tx.execute(
                    "UPDATE delivery_recipients SET state = 'queued', attempts = 0, \
                     next_attempt_at = ?2 WHERE delivery_id = ?1 AND state = 'dead'",
                    params![delivery_id.to_string(), sortable(now)],
                )?;
                Ok(queued as u64)
            })
            .await
    }

    async fn channel_choices(
        &self,
        account_id: AccountId,
    ) -> Result<Vec<(Service, ChannelChoice)>, StoreError> {
        let stored = self
            .db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT service, email, line FROM notification_prefs WHERE account_id = ?1",
                )?;
                let rows = statement.query_map([account_id.to_string()], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, bool>(1)?,
                        row.get::<_, bool>(2)?,
                    ))
                })?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .await?;
        Ok(Service::ALL
            .into_iter()
            .map(|service| {
                let choice = stored
                    .iter()
                    .find(|(name, _, _)| name == service.as_str())
                    .map_or_else(ChannelChoice::default, |(_, email, line)| ChannelChoice {
                        email: *email,
                        line: *line,
                    });
                (service, choice)
            })
            .collect())
    }

    async fn set_channel_choices(
        &self,
        account_id: AccountId,
        choices: Vec<(Service, ChannelChoice)>,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                let mut upsert = tx.prepare_cached(
                    "INSERT INTO notification_prefs (account_id, service, email, line) \
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (account_id, service) \
                     DO UPDATE SET email = excluded.email, line = excluded.line",
                )?;
                for (service, choice) in choices {
                    upsert.execute(params![
                        account_id.to_string(),
                        service.as_str(),
                        choice.email,
                        choice.line
                    ])?;
                }
                Ok(())
            })
            .await
    }
}

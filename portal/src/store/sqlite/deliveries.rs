//! [`DeliveryStore`] on SQLite: a delivery and its recipients are made by `INSERT … SELECT`
//! in one transaction (200,000 rows without a round trip each); LINE recipients are inserted
//! grouped by language so each run of up to 500 consecutive rows gets one retry key.

use std::collections::HashSet;

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction, params};
use uuid::Uuid;

use super::{SqliteStore, presence::sortable, rows::ts};
use crate::{
    domain::{
        AccountId,
        notify::{Channel, ChannelChoice, MULTICAST_MAX, Service},
    },
    store::{
        Audience, Content, DeliveryStore, DeliverySummary, EmailJob, LineBatch, NewDelivery,
        RecipientStatus, Source, StateCounts, StoreError,
    },
};

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{what} {value:?}"))
}

fn uuid(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| corrupt("uuid", text))
}

/// The tables that yield the audience's accounts as `a`, the condition on them, and the value
/// of parameter `?4` in it.
fn audience_sql(audience: &Audience) -> Result<(&'static str, &'static str, String), StoreError> {
    Ok(match audience {
        Audience::Category(category_id) => (
            "category_subscriptions s JOIN accounts a ON a.account_id = s.account_id",
            "s.category_id = ?4",
            category_id.clone(),
        ),
        Audience::Accounts(ids) => {
            let unique: HashSet<String> = ids.iter().map(AccountId::to_string).collect();
            let json = serde_json::to_string(&unique)
                .map_err(|error| StoreError::Corrupt(error.to_string()))?;
            (
                "json_each(?4) s JOIN accounts a ON a.account_id = s.value",
                "?4 IS NOT NULL",
                json,
            )
        }
    })
}

/// Inserts the recipients on `channel`; returns the range of recipient ids made
/// (consecutive: this transaction is the only writer). LINE rows go in language order, so
/// each language's rows are consecutive for [`assign_batches`].
fn insert_recipients(
    tx: &Transaction<'_>,
    delivery: &NewDelivery,
    channel: Channel,
    now: Timestamp,
) -> Result<Option<(i64, i64)>, StoreError> {
    let (tables, condition, value) = audience_sql(&delivery.audience)?;
    let (address, join, wants, order) = match channel {
        Channel::Email => ("a.email", "", "(p.email IS NULL OR p.email = 1)", ""),
        Channel::Line => (
            "l.line_user_id",
            "JOIN line_links l ON l.account_id = a.account_id",
            "(p.line IS NULL OR p.line = 1)",
            "ORDER BY a.lang",
        ),
    };
    let sql = format!(
        "INSERT INTO delivery_recipients \
         (delivery_id, account_id, channel, address, lang, state, next_attempt_at) \
         SELECT ?1, a.account_id, ?2, {address}, a.lang, 'queued', ?3 \
         FROM {tables} {join} \
         LEFT JOIN notification_prefs p ON p.account_id = a.account_id AND p.service = ?5 \
         WHERE {condition} AND a.status = 'active' AND {wants} {order}"
    );
    let inserted = tx.execute(
        &sql,
        params![
            delivery.delivery_id.to_string(),
            channel.as_str(),
            sortable(now),
            value,
            delivery.service.as_str()
        ],
    )?;
    if inserted == 0 {
        return Ok(None);
    }
    let last = tx.last_insert_rowid();
    let count = i64::try_from(inserted).unwrap_or(i64::MAX);
    Ok(Some((last - count + 1, last)))
}

/// Gives LINE recipients `first..=last` (one language) their retry keys: runs of up to 500.
fn assign_batches(tx: &Transaction<'_>, (first, last): (i64, i64)) -> Result<(), StoreError> {
    let mut assign = tx.prepare_cached(
        "UPDATE delivery_recipients SET batch_id = ?1 WHERE recipient_id BETWEEN ?2 AND ?3",
    )?;
    let step = i64::try_from(MULTICAST_MAX).unwrap_or(500);
    let mut start = first;
    while start <= last {
        let end = (start + step - 1).min(last);
        assign.execute(params![Uuid::now_v7().to_string(), start, end])?;
        start = end + 1;
    }
    Ok(())
}

/// Inserts every recipient and gives the LINE rows their retry keys; returns how many.
fn insert_all_recipients(
    tx: &Transaction<'_>,
    delivery: &NewDelivery,
    now: Timestamp,
) -> Result<i64, StoreError> {
    let span = |range: Option<(i64, i64)>| range.map_or(0, |(first, last)| last - first + 1);
    let email = insert_recipients(tx, delivery, Channel::Email, now)?;
    let line = insert_recipients(tx, delivery, Channel::Line, now)?;
    if let Some((first, last)) = line {
        // Each language's run within the LINE rows (a range scan of the primary key).
        let mut runs = tx.prepare_cached(
            "SELECT min(recipient_id), max(recipient_id) FROM delivery_recipients \
             WHERE recipient_id BETWEEN ?1 AND ?2 GROUP BY lang",
        )?;
        let runs = runs
            .query_map(params![first, last], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<Vec<(i64, i64)>, _>>()?;
        for run in runs {
            assign_batches(tx, run)?;
        }
    }
    Ok(span(email) + span(line))
}

fn insert_delivery(
    tx: &Transaction<'_>,
    delivery: &NewDelivery,
    now: Timestamp,
) -> Result<Option<u64>, StoreError> {
    let inserted = tx.execute(
        "INSERT INTO deliveries (delivery_id, kind, service, source, title, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (source) DO NOTHING",
        params![
            delivery.delivery_id.to_string(),
            delivery.kind,
            delivery.service.as_str(),
            delivery.source.key(),
            delivery.title,
            sortable(now)
        ],
    )?;
    if inserted == 0 {
        return Ok(None);
    }
    let mut content = tx.prepare_cached(
        "INSERT INTO delivery_contents \
         (delivery_id, lang, subject, text_body, html_body, line_text) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for c in &delivery.contents {
        content.execute(params![
            delivery.delivery_id.to_string(),
            c.lang,
            c.subject,
            c.text,
            c.html,
            c.line_text
        ])?;
    }
    let total = insert_all_recipients(tx, delivery, now)?;
    tx.execute(
        "UPDATE deliveries SET recipients = ?2 WHERE delivery_id = ?1",
        params![delivery.delivery_id.to_string(), total],
    )?;
    if let Source::Announcement(id) = delivery.source {
        tx.execute(
            "UPDATE announcements SET delivered_at = ?2 WHERE announcement_id = ?1",
            params![id.to_string(), sortable(now)],
        )?;
    }
    Ok(Some(total as u64))
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
                        "SELECT lang, subject, text_body, html_body, line_text \
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

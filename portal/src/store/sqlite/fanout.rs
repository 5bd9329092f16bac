//! Making a delivery: the delivery row, its contents, and every recipient row chosen by
//! `INSERT … SELECT` in one transaction (200,000 rows without a round trip each). LINE rows
//! are inserted in language order, so each language's run of up to 500 consecutive rows gets
//! one retry key by primary-key range.

use std::collections::HashSet;

use jiff::Timestamp;
use rusqlite::{Transaction, params};
use uuid::Uuid;

use super::presence::sortable;
use crate::{
    domain::{
        AccountId,
        notify::{Channel, MULTICAST_MAX},
    },
    store::{Audience, NewDelivery, Source, StoreError},
};

/// The tables that yield the audience's accounts as `a`, the condition on them, the value of
/// parameter `?4` in it, and each recipient's content language.
fn audience_sql(
    audience: &Audience,
) -> Result<(&'static str, &'static str, String, &'static str), StoreError> {
    let (tables, condition, value) = match audience {
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
        Audience::SchoolNotice(notice_id) => (
            "school_notice_recipients s JOIN accounts a ON a.account_id = s.account_id",
            "s.notice_id = ?4",
            notice_id.to_string(),
        ),
        Audience::AccountsIn(chosen) => {
            let pairs: Vec<(String, &str)> = chosen
                .iter()
                .map(|(id, lang)| (id.to_string(), lang.as_str()))
                .collect();
            let json = serde_json::to_string(&pairs)
                .map_err(|error| StoreError::Corrupt(error.to_string()))?;
            return Ok((
                "json_each(?4) s JOIN accounts a ON a.account_id = json_extract(s.value, '$[0]')",
                "?4 IS NOT NULL",
                json,
                "json_extract(s.value, '$[1]')",
            ));
        }
    };
    Ok((tables, condition, value, "a.lang"))
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
    let (tables, condition, value, lang) = audience_sql(&delivery.audience)?;
    let (address, join, wants, order) = match channel {
        Channel::Email => (
            "a.email",
            "",
            "(p.email IS NULL OR p.email = 1)",
            String::new(),
        ),
        Channel::Line => (
            "l.line_user_id",
            "JOIN line_links l ON l.account_id = a.account_id",
            "(p.line IS NULL OR p.line = 1)",
            format!("ORDER BY {lang}"),
        ),
    };
    let sql = format!(
        "INSERT INTO delivery_recipients \
         (delivery_id, account_id, channel, address, lang, state, next_attempt_at) \
         SELECT ?1, a.account_id, ?2, {address}, {lang}, 'queued', ?3 \
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

pub(super) fn insert_delivery(
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
         (delivery_id, lang, subject, text_body, html_body, line_text, line_actions) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for c in &delivery.contents {
        let actions = if c.line_actions.is_empty() {
            None
        } else {
            Some(
                serde_json::to_string(&c.line_actions)
                    .map_err(|error| StoreError::Corrupt(error.to_string()))?,
            )
        };
        content.execute(params![
            delivery.delivery_id.to_string(),
            c.lang,
            c.subject,
            c.text,
            c.html,
            c.line_text,
            actions
        ])?;
    }
    let total = insert_all_recipients(tx, delivery, now)?;
    tx.execute(
        "UPDATE deliveries SET recipients = ?2 WHERE delivery_id = ?1",
        params![delivery.delivery_id.to_string(), total],
    )?;
    match delivery.source {
        Source::Announcement(id) => {
            tx.execute(
                "UPDATE announcements SET delivered_at = ?2 WHERE announcement_id = ?1",
                params![id.to_string(), sortable(now)],
            )?;
        }
        Source::SchoolNotice(id) => {
            tx.execute(
                "UPDATE school_notices SET delivered_at = ?2 WHERE notice_id = ?1",
                params![id.to_string(), sortable(now)],
            )?;
        }
        Source::GarbageReminder(slot, area_id) => {
            let reminded = match &delivery.audience {
                Audience::Accounts(accounts) => accounts.as_slice(),
                _ => &[],
            };
            super::garbage::mark_run(tx, slot, area_id, reminded, now)?;
        }
        Source::Other(..) => {}
    }
    Ok(Some(total as u64))
}

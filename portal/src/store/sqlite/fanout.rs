//! Making a delivery: the delivery row, its contents, and every recipient row chosen by
//! `INSERT … SELECT` in one transaction (200,000 rows without a round trip each). LINE rows
//! are inserted in language order, so each language's run of up to 500 consecutive rows gets
//! one retry key by primary-key range.
//!
//! Accounts chosen by a rule elsewhere (an alert's recipients, a garbage reminder's citizens)
//! are first written to a temporary table of the write connection, `temp.chosen`, in account
//! order and each once, and joined from there (as the outer loop) like any other audience. For
//! an alert's 153,584 recipients this took 0.86–0.90 s of CPU where passing them as one JSON
//! array through `json_each` took 0.97–0.99 s, and looking each up and inserting its rows with
//! prepared statements 1.14–1.26 s (BENCHMARKS.md, 避難情報).

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

/// Makes `temp.chosen` (dropped again by [`insert_all_recipients`], and with the transaction if
/// it fails) holding `accounts`, each once (the first time it is named) in account order, with
/// its content language (`None`: its page language).
fn fill_chosen<'a>(
    tx: &Transaction<'_>,
    accounts: impl Iterator<Item = (AccountId, Option<&'a str>)>,
) -> Result<(), StoreError> {
    let mut accounts: Vec<(AccountId, Option<&str>)> = accounts.collect();
    // Stable: of an account named twice, the first stays first and is the one kept. Ids sort
    // as their text does.
    accounts.sort_by_key(|(account, _)| *account);
    accounts.dedup_by_key(|(account, _)| *account);
    tx.execute_batch(
        "CREATE TEMP TABLE chosen (account_id TEXT PRIMARY KEY, lang TEXT) WITHOUT ROWID",
    )?;
    let mut insert = tx.prepare("INSERT INTO temp.chosen (account_id, lang) VALUES (?1, ?2)")?;
    for (account, lang) in &accounts {
        insert.execute(params![account.to_string(), lang])?;
    }
    Ok(())
}

/// The tables that yield the audience's accounts as `a`, the condition on them, the value of
/// parameter `?4` in it, and each recipient's content language.
fn audience_sql(audience: &Audience) -> (&'static str, &'static str, String, &'static str) {
    let chosen = (
        "temp.chosen s CROSS JOIN accounts a ON a.account_id = s.account_id",
        "?4 = 'chosen'",
        "chosen".to_owned(),
        "coalesce(s.lang, a.lang)",
    );
    match audience {
        Audience::Category(category_id) => (
            "category_subscriptions s JOIN accounts a ON a.account_id = s.account_id",
            "s.category_id = ?4",
            category_id.clone(),
            "a.lang",
        ),
        Audience::SchoolNotice(notice_id) => (
            "school_notice_recipients s JOIN accounts a ON a.account_id = s.account_id",
            "s.notice_id = ?4",
            notice_id.to_string(),
            "a.lang",
        ),
        Audience::Accounts(_) | Audience::AccountsIn(_) => chosen,
    }
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
    let (tables, condition, value, lang) = audience_sql(&delivery.audience);
    // Chosen accounts are the outer loop, each looked up in turn (see the module's comment).
    let line_join = match delivery.audience {
        Audience::Accounts(_) | Audience::AccountsIn(_) => {
            "CROSS JOIN line_links l ON l.account_id = a.account_id"
        }
        Audience::Category(_) | Audience::SchoolNotice(_) => {
            "JOIN line_links l ON l.account_id = a.account_id"
        }
    };
    let (address, join, wants, order) = match channel {
        Channel::Email => (
            "a.email",
            "",
            "(p.email IS NULL OR p.email = 1)",
            String::new(),
        ),
        Channel::Line => (
            "l.line_user_id",
            line_join,
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
    match &delivery.audience {
        Audience::Accounts(accounts) => {
            fill_chosen(tx, accounts.iter().map(|id| (*id, None)))?;
        }
        Audience::AccountsIn(chosen) => {
            let accounts = chosen.iter().map(|(id, lang)| (*id, Some(lang.as_str())));
            fill_chosen(tx, accounts)?;
        }
        Audience::Category(_) | Audience::SchoolNotice(_) => {}
    }
    let email = insert_recipients(tx, delivery, Channel::Email, now)?;
    let line = insert_recipients(tx, delivery, Channel::Line, now)?;
    if matches!(
        delivery.audience,
        Audience::Accounts(_) | Audience::AccountsIn(_)
    ) {
        tx.execute_batch("DROP TABLE temp.chosen")?;
    }
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

#[cfg(test)]
#[path = "fanout_tests.rs"]
mod tests;

//! The library's circulation on SQLite: library counter kiosks, and applying their requests
//! to `library_loans` exactly once (`library_requests` keeps each request id and its answer).

use jiff::{Timestamp, civil::Date};
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use shimin_sync::{
    ids::KioskId,
    messages::{self, CircAnswer, KioskState},
};

use super::{
    Db,
    rows::{corrupt, kiosk_state, kiosk_state_name, ts},
};
use crate::{
    domain::ledger::{LedgerView, LoanChange},
    store::{CircRecord, Circulated, Decide, LibraryKiosk, Loan, StoreError},
};

const KIOSK_COLUMNS: &str =
    "kiosk_id, label, created_at, retired_at, state, state_at, software, password_hash";

fn kiosk_from_row(row: &Row<'_>) -> Result<(LibraryKiosk, String), StoreError> {
    let kiosk_id: String = row.get(0)?;
    let state = kiosk_state(row.get(4)?, row.get(5)?)?;
    let retired: Option<String> = row.get(3)?;
    Ok((
        LibraryKiosk {
            kiosk_id: KioskId::new(&kiosk_id).map_err(|_| corrupt("kiosk id", &kiosk_id))?,
            label: row.get(1)?,
            created_at: ts(&row.get::<_, String>(2)?)?,
            retired_at: retired.as_deref().map(ts).transpose()?,
            state,
            software: row.get(6)?,
        },
        row.get(7)?,
    ))
}

pub(super) async fn create_kiosk(
    db: &Db,
    kiosk: LibraryKiosk,
    hash: String,
) -> Result<bool, StoreError> {
    db.write(move |tx| {
        let added = tx.execute(
            "INSERT INTO library_kiosks (kiosk_id, label, password_hash, created_at) \
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            params![
                kiosk.kiosk_id.as_str(),
                kiosk.label,
                hash,
                kiosk.created_at.to_string()
            ],
        )?;
        Ok(added == 1)
    })
    .await
}

pub(super) async fn kiosks(db: &Db) -> Result<Vec<LibraryKiosk>, StoreError> {
    db.read(|conn| {
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {KIOSK_COLUMNS} FROM library_kiosks ORDER BY length(kiosk_id), kiosk_id"
        ))?;
        let mut rows = statement.query([])?;
        let mut kiosks = Vec::new();
        while let Some(row) = rows.next()? {
            kiosks.push(kiosk_from_row(row)?.0);
        }
        Ok(kiosks)
    })
    .await
}

pub(super) async fn kiosk(
    db: &Db,
    kiosk_id: &KioskId,
) -> Result<Option<(LibraryKiosk, String)>, StoreError> {
    let kiosk_id = kiosk_id.clone();
    db.read(move |conn| {
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {KIOSK_COLUMNS} FROM library_kiosks WHERE kiosk_id = ?1"
        ))?;
        let mut rows = statement.query([kiosk_id.as_str()])?;
        rows.next()?.map(kiosk_from_row).transpose()
    })
    .await
}

pub(super) async fn retire_kiosk(
    db: &Db,
    kiosk_id: &KioskId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let kiosk_id = kiosk_id.clone();
    db.write(move |tx| {
        Ok(tx.execute(
            "UPDATE library_kiosks SET retired_at = ?2 WHERE kiosk_id = ?1 AND retired_at IS NULL",
            params![kiosk_id.as_str(), now.to_string()],
        )? == 1)
    })
    .await
}

pub(super) async fn record_status(
    db: &Db,
    kiosk_id: &KioskId,
    state: KioskState,
    at: Timestamp,
    software: Option<String>,
) -> Result<(), StoreError> {
    let kiosk_id = kiosk_id.clone();
    let state = kiosk_state_name(state);
    db.write(move |tx| {
        tx.execute(
            "UPDATE library_kiosks SET state = ?2, state_at = ?3, \
             software = COALESCE(?4, software) WHERE kiosk_id = ?1",
            params![kiosk_id.as_str(), state, at.to_string(), software],
        )?;
        Ok(())
    })
    .await
}

fn loan_from_row(row: &Row<'_>, first: usize) -> Result<Loan, StoreError> {
    let due: String = row.get(first + 3)?;
    let renewals: i64 = row.get(first + 4)?;
    Ok(Loan {
        item_id: row.get(first)?,
        title: row.get(first + 1)?,
        lent_at: ts(&row.get::<_, String>(first + 2)?)?,
        due_date: due.parse::<Date>().map_err(|_| corrupt("due date", &due))?,
        renewals: u32::try_from(renewals)
            .map_err(|_| corrupt("renewals", &renewals.to_string()))?,
    })
}

/// The columns [`loan_from_row`] reads, in order.
pub(super) const LOAN_COLUMNS: &str = "item_id, title, lent_at, due_date, renewals";

pub(super) fn card_loans(conn: &Connection, card: &str) -> Result<Vec<Loan>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {LOAN_COLUMNS} FROM library_loans WHERE card_number = ?1 \
         ORDER BY due_date, item_id"
    ))?;
    let mut rows = statement.query([card])?;
    let mut loans = Vec::new();
    while let Some(row) = rows.next()? {
        loans.push(loan_from_row(row, 0)?);
    }
    Ok(loans)
}

pub(super) fn view(
    conn: &Connection,
    card: Option<&str>,
    item: Option<&str>,
) -> Result<LedgerView, StoreError> {
    let mut view = LedgerView::default();
    if let Some(card) = card {
        view.holder = conn
            .query_row(
                "SELECT a.family_name FROM library_cards c JOIN accounts a USING (account_id) \
                 WHERE c.card_number = ?1",
                [card],
                |row| row.get(0),
            )
            .optional()?;
        view.card_loans = card_loans(conn, card)?;
    }
    if let Some(item) = item {
        let mut statement = conn.prepare_cached(&format!(
            "SELECT card_number, {LOAN_COLUMNS} FROM library_loans WHERE item_id = ?1"
        ))?;
        let mut rows = statement.query([item])?;
        if let Some(row) = rows.next()? {
            view.item_loan = Some((row.get(0)?, loan_from_row(row, 1)?));
        }
        let latest: Option<String> = conn.query_row(
            "SELECT MAX(occurred_at) FROM library_requests WHERE item_id = ?1 AND changed = 1",
            [item],
            |row| row.get(0),
        )?;
        view.item_latest = latest.as_deref().map(ts).transpose()?;
    }
    Ok(view)
}

fn apply(tx: &Transaction<'_>, record: &CircRecord, change: &LoanChange) -> Result<(), StoreError> {
    match change {
        LoanChange::Nothing => {}
        LoanChange::Lend {
            card,
            item,
            title,
            due,
        } => {
            tx.execute(
                "INSERT INTO library_loans (item_id, card_number, title, lent_at, due_date, \
                 renewals, kiosk_id) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6) \
                 ON CONFLICT (item_id) DO UPDATE SET card_number = excluded.card_number, \
                 title = excluded.title, lent_at = excluded.lent_at, \
                 due_date = excluded.due_date, renewals = 0, kiosk_id = excluded.kiosk_id",
                params![
                    item,
                    card,
                    title,
                    record.occurred_at.to_string(),
                    due.to_string(),
                    record.kiosk_id.as_str()
                ],
            )?;
        }
        LoanChange::Renew { item, due } => {
            tx.execute(
                "UPDATE library_loans SET due_date = ?2, renewals = renewals + 1 \
                 WHERE item_id = ?1",
                params![item, due.to_string()],
            )?;
        }
        LoanChange::Return { item } => {
            tx.execute("DELETE FROM library_loans WHERE item_id = ?1", [item])?;
            // The loan is over: forget who had the item.
            tx.execute(
                "UPDATE library_requests SET card_number = NULL WHERE item_id = ?1",
                [item],
            )?;
        }
    }
    Ok(())
}

pub(super) async fn circulate(
    db: &Db,
    record: CircRecord,
    decide: Decide,
) -> Result<Circulated, StoreError> {
    db.write(move |tx| {
        let earlier: Option<String> = tx
            .query_row(
                "SELECT answer FROM library_requests WHERE request_id = ?1",
                [record.request_id.to_string()],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(answer) = earlier {
            let answer = messages::decode::<CircAnswer>(answer.as_bytes())
                .map_err(|error| corrupt("circulation answer", &error.to_string()))?;
            return Ok(Circulated::Repeated(answer));
        }
        let view = view(tx, record.card.as_deref(), Some(&record.item))?;
        let decision = decide(&view);
        apply(tx, &record, &decision.change)?;
        let changed = decision.change != LoanChange::Nothing;
        // Kept without the patron's loans: a resend is told the outcome, not the reading list.
        let kept = CircAnswer {
            patron: None,
            ..decision.answer.clone()
        };
        // A card is kept only with a loan it holds: not once the item is back, and not for a
        // request that changed nothing (a refusal, an unregistered card's report).
        let card = match decision.change {
            LoanChange::Lend { .. } | LoanChange::Renew { .. } => record.card.clone(),
            LoanChange::Return { .. } | LoanChange::Nothing => None,
        };
        tx.execute(
            "INSERT INTO library_requests (request_id, kiosk_id, op, authority, card_number, \
             item_id, occurred_at, received_at, changed, answer) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                record.request_id.to_string(),
                record.kiosk_id.as_str(),
                serde_plain(&record.op),
                serde_plain(&record.authority),
                card,
                record.item,
                record.occurred_at.to_string(),
                record.received_at.to_string(),
                changed,
                messages::encode(&kept),
            ],
        )?;
        Ok(Circulated::Applied(decision.answer))
    })
    .await
}

/// A unit enum's wire name (`"checkout"`).
fn serde_plain<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|value| value.as_str().map(str::to_owned))
        .unwrap_or_default()
}

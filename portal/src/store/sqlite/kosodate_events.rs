//! [`EventStore`] on SQLite. Apply, cancel and fill each load the event and its roster, let
//! [`crate::events::Roster`] decide, and write the outcome in one write transaction (SQLite has
//! one writer at a time), so every decision sees every application made before it.

use async_trait::async_trait;
use jiff::{Timestamp, civil::Date};
use rusqlite::{params, params_from_iter};

use super::{
    SqliteStore,
    kosodate_event_rows::{
        EVENT_COLUMNS, WRITE_COLUMNS, confirm, event_of, event_params, is_live, roster,
        stored_event,
    },
    rows::{corrupt, ts},
};
use crate::{
    domain::AccountId,
    events::{Event, EventId, Placement},
    store::{
        EventApplicant, EventApplyOutcome, EventCancelOutcome, EventStore, StoreError, StoredEvent,
    },
};

#[async_trait]
impl EventStore for SqliteStore {
    async fn save_event(
        &self,
        event: Event,
        by: AccountId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                let mut values = event_params(&event);
                values.push(event.event_id.0.clone().into());
                values.push(by.to_string().into());
                values.push(now.to_string().into());
                values.push(now.to_string().into());
                let columns = WRITE_COLUMNS.join(", ");
                let marks = (1..=values.len())
                    .map(|n| format!("?{n}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                tx.execute(
                    &format!(
                        "INSERT INTO kosodate_events ({columns}, event_id, created_by, \
                         created_at, updated_at) VALUES ({marks})"
                    ),
                    params_from_iter(values),
                )?;
                Ok(())
            })
            .await
    }

    async fn update_event(
        &self,
        event: Event,
        now: Timestamp,
    ) -> Result<Option<Vec<AccountId>>, StoreError> {
        self.db
            .write(move |tx| {
                let id = event.event_id.0.clone();
                let mut values = event_params(&event);
                let sets = WRITE_COLUMNS
                    .iter()
                    .zip(1..)
                    .map(|(column, n)| format!("{column} = ?{n}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let n = values.len();
                values.push(now.to_string().into());
                values.push(id.clone().into());
                let changed = tx.execute(
                    &format!(
                        "UPDATE kosodate_events SET {sets}, updated_at = ?{} \
                         WHERE event_id = ?{}",
                        n + 1,
                        n + 2
                    ),
                    params_from_iter(values),
                )?;
                if changed == 0 {
                    return Ok(None);
                }
                let mut roster = roster(tx, &id)?;
                let moved = roster.fill(event.capacity);
                let kept = roster.confirmed.len().saturating_sub(moved);
                let promoted: Vec<AccountId> = roster.confirmed.split_off(kept);
                confirm(tx, &id, &promoted)?;
                Ok(Some(promoted))
            })
            .await
    }

    async fn cancel_event(&self, event_id: &EventId, now: Timestamp) -> Result<bool, StoreError> {
        let id = event_id.0.clone();
        self.db
            .write(move |tx| {
                let changed = tx.execute(
                    "UPDATE kosodate_events SET cancelled_at = ?2, updated_at = ?2 \
                     WHERE event_id = ?1 AND cancelled_at IS NULL",
                    params![id, now.to_string()],
                )?;
                Ok(changed > 0)
            })
            .await
    }

    async fn events_between(
        &self,
        from: Date,
        until: Option<Date>,
    ) -> Result<Vec<StoredEvent>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(&format!(
                    "SELECT {EVENT_COLUMNS} FROM kosodate_events e WHERE e.last_day >= ?1 \
                     AND (?2 IS NULL OR e.first_day <= ?2) ORDER BY e.first_day, e.event_id"
                ))?;
                let mut rows =
                    statement.query(params![from.to_string(), until.map(|d| d.to_string())])?;
                let mut events = Vec::new();
                while let Some(row) = rows.next()? {
                    events.push(event_of(row)?);
                }
                Ok(events)
            })
            .await
    }

    async fn event(&self, event_id: &EventId) -> Result<Option<StoredEvent>, StoreError> {
        let id = event_id.0.clone();
        self.db.read(move |conn| stored_event(conn, &id)).await
    }

    async fn placement(
        &self,
        event_id: &EventId,
        account_id: AccountId,
    ) -> Result<Option<Placement>, StoreError> {
        let id = event_id.0.clone();
        self.db
            .read(move |conn| Ok(placement_in(&roster(conn, &id)?, account_id)))
            .await
    }

    async fn applicants(&self, event_id: &EventId) -> Result<Vec<EventApplicant>, StoreError> {
        let id = event_id.0.clone();
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT p.account_id, a.family_name || ' ' || a.given_name, a.email, \
                     p.status, p.applied_at FROM kosodate_event_applications p \
                     JOIN accounts a ON a.account_id = p.account_id WHERE p.event_id = ?1 \
                     ORDER BY p.status = 'waiting', p.seq",
                )?;
                let mut rows = statement.query([id])?;
                let mut applicants = Vec::new();
                let mut waiting = 0;
                while let Some(row) = rows.next()? {
                    let account: String = row.get(0)?;
                    let status: String = row.get(3)?;
                    let applied_at: String = row.get(4)?;
                    let placement = if status == "waiting" {
                        waiting += 1;
                        Placement::Waitlisted { position: waiting }
                    } else {
                        Placement::Confirmed
                    };
                    applicants.push(EventApplicant {
                        account_id: account
                            .parse()
                            .map_err(|_| corrupt("account id", &account))?,
                        name: row.get(1)?,
                        email: row.get(2)?,
                        placement,
                        applied_at: ts(&applied_at)?,
                    });
                }
                Ok(applicants)
            })
            .await
    }

    async fn apply(
        &self,
        event_id: &EventId,
        account_id: AccountId,
        now: Timestamp,
    ) -> Result<EventApplyOutcome, StoreError> {
        let id = event_id.0.clone();
        self.db
            .write(move |tx| {
                let Some(stored) = stored_event(tx, &id)?.filter(|e| e.cancelled_at.is_none())
                else {
                    return Ok(EventApplyOutcome::NoEvent);
                };
                let mut roster = roster(tx, &id)?;
                let placed = match roster.apply(&stored.event, account_id, now) {
                    Ok(placed) => placed,
                    Err(refused) => return Ok(EventApplyOutcome::Refused(refused)),
                };
                let status = match placed {
                    Placement::Confirmed => "confirmed",
                    Placement::Waitlisted { .. } => "waiting",
                };
                tx.execute(
                    "INSERT INTO kosodate_event_applications (event_id, account_id, status, \
                     applied_at) VALUES (?1, ?2, ?3, ?4)",
                    params![id, account_id.to_string(), status, now.to_string()],
                )?;
                Ok(EventApplyOutcome::Placed(placed))
            })
            .await
    }

    async fn cancel_application(
        &self,
        event_id: &EventId,
        account_id: AccountId,
        now: Timestamp,
    ) -> Result<EventCancelOutcome, StoreError> {
        let id = event_id.0.clone();
        self.db
            .write(move |tx| {
                let Some(stored) = stored_event(tx, &id)? else {
                    return Ok(EventCancelOutcome::NotApplied);
                };
                if now >= stored.event.time.start_at() {
                    return Ok(EventCancelOutcome::Started);
                }
                let mut roster = roster(tx, &id)?;
                // A called-off event frees no places: nobody moves up to an event not held.
                let capacity = if is_live(tx, &id)? {
                    stored.event.capacity
                } else {
                    Some(0)
                };
                let Some(cancelled) = roster.cancel(&account_id, capacity) else {
                    return Ok(EventCancelOutcome::NotApplied);
                };
                let promoted: Vec<AccountId> = cancelled.promoted.into_iter().copied().collect();
                tx.execute(
                    "DELETE FROM kosodate_event_applications WHERE event_id = ?1 \
                     AND account_id = ?2",
                    params![id, account_id.to_string()],
                )?;
                confirm(tx, &id, &promoted)?;
                Ok(EventCancelOutcome::Cancelled { promoted })
            })
            .await
    }
}

/// Where `account_id` stands in `roster`.
fn placement_in(
    roster: &crate::events::Roster<AccountId>,
    account_id: AccountId,
) -> Option<Placement> {
    if roster.confirmed.contains(&account_id) {
        return Some(Placement::Confirmed);
    }
    let index = roster.waiting.iter().position(|a| *a == account_id)?;
    Some(Placement::Waitlisted {
        position: u32::try_from(index + 1).unwrap_or(u32::MAX),
    })
}

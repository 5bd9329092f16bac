//! The `visits` table: each event recorded here with the children's names, kept
//! [`KEEP_VISITS`] for the staff screen's list of the day, written in the same transaction as
//! the event's outbox row.

use jiff::Timestamp;
use rusqlite::{Connection, params};
use shimin_sync::messages::{KioskEvent, decode, encode};

use super::{StoreError, corrupt, time};
use crate::visits::{KEEP_VISITS, Visit};

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS visits (
    event_id TEXT PRIMARY KEY,
    occurred_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    names TEXT NOT NULL
);
";

/// Adds the visit of `event` with `names` (inside the caller's transaction).
pub(super) fn insert(
    db: &Connection,
    event: &KioskEvent,
    names: &[String],
) -> Result<(), StoreError> {
    let names = serde_json::to_string(names).map_err(|e| corrupt("visit names", e))?;
    db.execute(
        "INSERT INTO visits (event_id, occurred_at, payload, names) VALUES (?1, ?2, ?3, ?4)",
        params![
            event.event_id.to_string(),
            event.occurred_at.to_string(),
            encode(event),
            names
        ],
    )?;
    Ok(())
}

/// Every visit kept, oldest first.
pub(super) fn load(db: &Connection) -> Result<Vec<Visit>, StoreError> {
    let mut select = db.prepare("SELECT payload, names FROM visits")?;
    let rows = select.query_map([], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })?;
    let mut visits = Vec::new();
    for row in rows {
        let (payload, names) = row?;
        let event: KioskEvent = decode(payload.as_bytes()).map_err(|e| corrupt("visit", e))?;
        let names: Vec<String> =
            serde_json::from_str(&names).map_err(|e| corrupt("visit names", e))?;
        visits.push(Visit::of(&event, names));
    }
    visits.sort_by_key(|v| (v.at, v.event_id));
    Ok(visits)
}

/// Drops the visits older than [`KEEP_VISITS`] at `now`; returns how many.
pub(super) fn forget(db: &Connection, now: Timestamp) -> Result<usize, StoreError> {
    let cutoff = now - KEEP_VISITS;
    let rows: Vec<(String, String)> = {
        let mut select = db.prepare("SELECT event_id, occurred_at FROM visits")?;
        select
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?
    };
    let mut removed = 0;
    for (event_id, at) in rows {
        if time(&at, "visit time")? < cutoff {
            removed += db.execute("DELETE FROM visits WHERE event_id = ?1", [event_id])?;
        }
    }
    Ok(removed)
}

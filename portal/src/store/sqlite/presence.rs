//! [`CheckinStore`]'s events and presence on SQLite: applying an event exactly once, a
//! center's snapshot, the closing-time check-out and the visit history.
//!
//! Times in these tables are written with nine fraction digits ([`sortable`]) so that SQL's
//! text order is time order.

use std::collections::BTreeMap;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use shimin_sync::{
    ids::{CenterId, ChildNo, EventId, GuardianId},
    messages::{EventKind, PresentFamily, RejectReason},
};

use super::rows::corrupt;
use super::rows::ts;
use crate::{
    domain::presence::{ChildPresence, Counts, after_event},
    store::{ApplyOutcome, CenterSnapshot, EventToApply, StoreError},
};

/// A timestamp as fixed-width text that sorts in time order.
pub(super) fn sortable(at: Timestamp) -> String {
    at.strftime("%Y-%m-%dT%H:%M:%S%.9fZ").to_string()
}

fn kind_str(kind: EventKind) -> &'static str {
    match kind {
        EventKind::CheckIn => "check_in",
        EventKind::CheckOut => "check_out",
    }
}

pub(super) fn parse_kind(text: &str) -> Result<EventKind, StoreError> {
    match text {
        "check_in" => Ok(EventKind::CheckIn),
        "check_out" => Ok(EventKind::CheckOut),
        other => Err(corrupt("event kind", other)),
    }
}

fn presence_of(
    conn: &Connection,
    center: &CenterId,
    guardian: GuardianId,
    child: ChildNo,
) -> Result<Option<ChildPresence>, StoreError> {
    let row = conn
        .prepare_cached(
            "SELECT is_in, latest_at, latest_event, since FROM child_presence \
             WHERE center_id = ?1 AND guardian_id = ?2 AND child_no = ?3",
        )?
        .query_row(
            params![center.as_str(), guardian.to_string(), child.get()],
            |row| {
                Ok((
                    row.get::<_, bool>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Option<String>>(3)?,
                ))
            },
        )
        .optional()?;
    row.map(|(is_in, latest_at, latest_event, since)| {
        Ok(ChildPresence {
            is_in,
            latest_at: ts(&latest_at)?,
            latest_event: latest_event
                .parse()
                .map_err(|_| corrupt("event id", &latest_event))?,
            since: since.as_deref().map(ts).transpose()?,
        })
    })
    .transpose()
}

fn set_presence(
    conn: &Connection,
    center: &CenterId,
    guardian: GuardianId,
    child: ChildNo,
    presence: &ChildPresence,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO child_presence (center_id, guardian_id, child_no, is_in, latest_at, \
         latest_event, since) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) \
         ON CONFLICT (center_id, guardian_id, child_no) DO UPDATE SET is_in = ?4, \
         latest_at = ?5, latest_event = ?6, since = ?7",
    )?
    .execute(params![
        center.as_str(),
        guardian.to_string(),
        child.get(),
        presence.is_in,
        sortable(presence.latest_at),
        presence.latest_event.to_string(),
        presence.since.map(sortable),
    ])?;
    Ok(())
}

fn insert_event(conn: &Connection, event: &EventToApply) -> Result<(), StoreError> {
    let children: Vec<u16> = event.children.iter().map(|child| child.get()).collect();
    conn.prepare_cached(
        "INSERT INTO center_events (event_id, center_id, kiosk_id, guardian_id, kind, children, \
         pass_nonce, source, staff_note, occurred_at, received_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        event.event_id.to_string(),
        event.center_id.as_str(),
        event.kiosk_id.as_ref().map(|kiosk| kiosk.as_str()),
        event.guardian_id.to_string(),
        kind_str(event.kind),
        serde_json::to_string(&children).map_err(|error| StoreError::Corrupt(error.to_string()))?,
        event.pass_nonce.map(|nonce| nonce.to_string()),
        event.source.as_str(),
        event.staff_note,
        sortable(event.occurred_at),
        sortable(event.received_at),
    ])?;
    Ok(())
}

/// Steps 4–6 of PROTOCOL.md §7 inside the caller's transaction; with `Applied`, whether the
/// event changed who is in.
pub(super) fn apply(
    conn: &Connection,
    event: &EventToApply,
) -> Result<(ApplyOutcome, bool), StoreError> {
    let known: Option<String> = conn
        .prepare_cached("SELECT center_id FROM center_events WHERE event_id = ?1")?
        .query_row([event.event_id.to_string()], |row| row.get(0))
        .optional()?;
    if known.is_some() {
        return Ok((ApplyOutcome::AlreadyApplied, false));
    }
    if let Some(nonce) = event.pass_nonce {
        let used_by: Option<String> = conn
            .prepare_cached(
                "SELECT event_id FROM center_events WHERE center_id = ?1 AND pass_nonce = ?2",
            )?
            .query_row(
                params![event.center_id.as_str(), nonce.to_string()],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(used_by) = used_by {
            let detail = format!(
                "nonce {nonce} already used at {} by {used_by}",
                event.center_id
            );
            return Ok((
                ApplyOutcome::Rejected(RejectReason::PassReused, detail),
                false,
            ));
        }
    }
    let guardian = event.guardian_id.to_string();
    let exists: Option<i64> = conn
        .prepare_cached("SELECT 1 FROM accounts WHERE account_id = ?1 AND status = 'active'")?
        .query_row([&guardian], |row| row.get(0))
        .optional()?;
    if exists.is_none() {
        let detail = format!("no active account {guardian}");
        return Ok((
            ApplyOutcome::Rejected(RejectReason::UnknownGuardian, detail),
            false,
        ));
    }
    for child in &event.children {
        let found: Option<i64> = conn
            .prepare_cached("SELECT 1 FROM children WHERE account_id = ?1 AND child_no = ?2")?
            .query_row(params![&guardian, child.get()], |row| row.get(0))
            .optional()?;
        if found.is_none() {
            let detail = format!("account {guardian} has no child {}", child.get());
            return Ok((
                ApplyOutcome::Rejected(RejectReason::UnknownChild, detail),
                false,
            ));
        }
    }
    insert_event(conn, event)?;
    let mut changed = false;
    for &child in &event.children {
        let current = presence_of(conn, &event.center_id, event.guardian_id, child)?;
        if let Some(next) = after_event(
            current.as_ref(),
            event.kind,
            event.occurred_at,
            event.event_id,
        ) {
            changed |= current.is_none_or(|current| current.is_in != next.is_in);
            set_presence(conn, &event.center_id, event.guardian_id, child, &next)?;
        }
    }
    if changed {
        bump_seq(conn, &event.center_id, event.received_at)?;
    }
    Ok((ApplyOutcome::Applied, changed))
}

fn bump_seq(conn: &Connection, center: &CenterId, now: Timestamp) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO center_seq (center_id, seq, updated_at) VALUES (?1, 1, ?2) \
         ON CONFLICT (center_id) DO UPDATE SET seq = seq + 1, updated_at = ?2",
    )?
    .execute(params![center.as_str(), sortable(now)])?;
    Ok(())
}

/// A center's presence and occupancy, read inside any connection or transaction.
pub(super) fn snapshot(conn: &Connection, center: &CenterId) -> Result<CenterSnapshot, StoreError> {
    let (seq, updated_at) = conn
        .prepare_cached("SELECT seq, updated_at FROM center_seq WHERE center_id = ?1")?
        .query_row([center.as_str()], |row| {
            Ok((row.get::<_, u64>(0)?, row.get::<_, String>(1)?))
        })
        .optional()?
        .map_or(Ok((0, None)), |(seq, at)| ts(&at).map(|at| (seq, Some(at))))?;
    let mut statement = conn.prepare_cached(
        "SELECT guardian_id, child_no, since FROM child_presence \
         WHERE center_id = ?1 AND is_in = 1 ORDER BY guardian_id, child_no",
    )?;
    let mut rows = statement.query([center.as_str()])?;
    let mut families: BTreeMap<String, PresentFamily> = BTreeMap::new();
    let mut children_in = 0_u32;
    while let Some(row) = rows.next()? {
        let guardian: String = row.get(0)?;
        let number: u16 = row.get(1)?;
        let since: Option<String> = row.get(2)?;
        let child =
            ChildNo::new(number).map_err(|_| corrupt("child number", &number.to_string()))?;
        let since = ts(&since.ok_or_else(|| corrupt("stay without a start of", &guardian))?)?;
        let guardian_id: GuardianId = guardian
            .parse()
            .map_err(|_| corrupt("guardian", &guardian))?;
        let family = families.entry(guardian).or_insert_with(|| PresentFamily {
            guardian_id,
            children: Vec::new(),
            since,
        });
        family.children.push(child);
        family.since = family.since.min(since);
        children_in += 1;
    }
    let families: Vec<PresentFamily> = families.into_values().collect();
    Ok(CenterSnapshot {
        center_id: center.clone(),
        seq,
        updated_at,
        counts: Counts {
            children_in,
            families_in: u32::try_from(families.len()).unwrap_or(u32::MAX),
        },
        families,
    })
}

/// Every child still in whose latest event is before `closes_at`, by guardian.
pub(super) fn still_in_before(
    conn: &Connection,
    center: &CenterId,
    closes_at: Timestamp,
) -> Result<BTreeMap<GuardianId, Vec<ChildNo>>, StoreError> {
    let mut statement = conn.prepare_cached(
        "SELECT guardian_id, child_no FROM child_presence \
         WHERE center_id = ?1 AND is_in = 1 AND latest_at < ?2 ORDER BY guardian_id, child_no",
    )?;
    let mut rows = statement.query(params![center.as_str(), sortable(closes_at)])?;
    let mut families: BTreeMap<GuardianId, Vec<ChildNo>> = BTreeMap::new();
    while let Some(row) = rows.next()? {
        let guardian: String = row.get(0)?;
        let number: u16 = row.get(1)?;
        families
            .entry(
                guardian
                    .parse()
                    .map_err(|_| corrupt("guardian", &guardian))?,
            )
            .or_default()
            .push(ChildNo::new(number).map_err(|_| corrupt("child number", &number.to_string()))?);
    }
    Ok(families)
}

/// Parses a stored event id.
pub(super) fn event_id(text: &str) -> Result<EventId, StoreError> {
    text.parse().map_err(|_| corrupt("event id", text))
}

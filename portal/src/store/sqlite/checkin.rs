//! [`CheckinStore`] on SQLite: the trait's methods, each one transaction.

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::params;
use shimin_sync::{
    ids::{CenterId, EventId, KioskId},
    messages::{EventKind, KioskState},
};

use super::{
    SqliteStore, kiosks,
    presence::{self, sortable},
    rows::ts,
};
use crate::{
    domain::passkeys::{NewKey, StoredKey},
    store::{
        ApplyOutcome, CenterSnapshot, CheckinStore, EventSource, EventToApply, Kiosk, StoreError,
        Visit,
    },
};

#[async_trait]
impl CheckinStore for SqliteStore {
    async fn pass_keys(&self) -> Result<Vec<StoredKey>, StoreError> {
        kiosks::pass_keys(&self.db).await
    }

    async fn add_pass_key(
        &self,
        key: NewKey,
        seed: [u8; 32],
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        kiosks::add_pass_key(&self.db, key, seed, now).await
    }

    async fn create_kiosk(&self, kiosk: Kiosk, password_hash: String) -> Result<bool, StoreError> {
        kiosks::create_kiosk(&self.db, kiosk, password_hash).await
    }

    async fn kiosks(&self) -> Result<Vec<Kiosk>, StoreError> {
        kiosks::kiosks(&self.db).await
    }

    async fn kiosk(&self, kiosk_id: &KioskId) -> Result<Option<(Kiosk, String)>, StoreError> {
        kiosks::kiosk(&self.db, kiosk_id).await
    }

    async fn set_kiosk_password(
        &self,
        kiosk_id: &KioskId,
        password_hash: String,
    ) -> Result<bool, StoreError> {
        kiosks::set_kiosk_password(&self.db, kiosk_id, password_hash).await
    }

    async fn retire_kiosk(&self, kiosk_id: &KioskId, now: Timestamp) -> Result<bool, StoreError> {
        kiosks::retire_kiosk(&self.db, kiosk_id, now).await
    }

    async fn record_kiosk_status(
        &self,
        kiosk_id: &KioskId,
        state: KioskState,
        at: Timestamp,
        software: Option<String>,
        pending_events: Option<u32>,
    ) -> Result<(), StoreError> {
        kiosks::record_kiosk_status(&self.db, kiosk_id, state, at, software, pending_events).await
    }

    async fn apply_events(
        &self,
        events: Vec<EventToApply>,
    ) -> Result<(Vec<ApplyOutcome>, Vec<CenterSnapshot>), StoreError> {
        self.db
            .write(move |tx| {
                let mut outcomes = Vec::with_capacity(events.len());
                let mut changed: Vec<CenterId> = Vec::new();
                for event in &events {
                    let (outcome, moved) = presence::apply(tx, event)?;
                    if moved && !changed.contains(&event.center_id) {
                        changed.push(event.center_id.clone());
                    }
                    outcomes.push(outcome);
                }
                let snapshots = changed
                    .iter()
                    .map(|center| presence::snapshot(tx, center))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok((outcomes, snapshots))
            })
            .await
    }

    async fn snapshot(&self, center_id: &CenterId) -> Result<CenterSnapshot, StoreError> {
        let center_id = center_id.clone();
        self.db
            .read(move |conn| presence::snapshot(conn, &center_id))
            .await
    }

    async fn close_center(
        &self,
        center_id: &CenterId,
        closes_at: Timestamp,
        now: Timestamp,
    ) -> Result<Option<CenterSnapshot>, StoreError> {
        let center_id = center_id.clone();
        self.db
            .write(move |tx| {
                let families = presence::still_in_before(tx, &center_id, closes_at)?;
                let mut any = false;
                for (guardian_id, children) in families {
                    let event = EventToApply {
                        event_id: EventId::new_v7(closes_at),
                        center_id: center_id.clone(),
                        kiosk_id: None,
                        kind: EventKind::CheckOut,
                        guardian_id,
                        children,
                        pass_nonce: None,
                        source: EventSource::Closing,
                        staff_note: None,
                        occurred_at: closes_at,
                        received_at: now,
                    };
                    any |= presence::apply(tx, &event)?.1;
                }
                if any {
                    presence::snapshot(tx, &center_id).map(Some)
                } else {
                    Ok(None)
                }
            })
            .await
    }

    async fn checkins(
        &self,
        center_id: &CenterId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<crate::domain::visit_stats::CheckIn>, StoreError> {
        let center_id = center_id.clone();
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT occurred_at, json_array_length(children) FROM center_events \
                     WHERE center_id = ?1 AND kind = 'check_in' \
                     AND occurred_at >= ?2 AND occurred_at < ?3",
                )?;
                let mut rows = statement.query(params![
                    center_id.as_str(),
                    sortable(from),
                    sortable(until)
                ])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let at: String = row.get(0)?;
                    out.push(crate::domain::visit_stats::CheckIn {
                        at: super::rows::ts(&at)?,
                        children: row.get(1)?,
                    });
                }
                Ok(out)
            })
            .await
    }

    async fn visits(
        &self,
        center_id: &CenterId,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<Visit>, StoreError> {
        let center_id = center_id.clone();
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT e.event_id, e.kind, e.source, e.kiosk_id, \
                     a.family_name || ' ' || a.given_name, e.children, e.staff_note, \
                     e.occurred_at, e.guardian_id \
                     FROM center_events e JOIN accounts a ON a.account_id = e.guardian_id \
                     WHERE e.center_id = ?1 AND e.occurred_at >= ?2 AND e.occurred_at < ?3 \
                     ORDER BY e.occurred_at DESC LIMIT 1000",
                )?;
                let mut names = conn.prepare_cached(
                    "SELECT given_name FROM children WHERE account_id = ?1 AND child_no = ?2",
                )?;
                let mut rows = statement.query(params![
                    center_id.as_str(),
                    sortable(from),
                    sortable(until)
                ])?;
                let mut visits = Vec::new();
                while let Some(row) = rows.next()? {
                    let children: String = row.get(5)?;
                    let guardian: String = row.get(8)?;
                    let numbers: Vec<u16> = serde_json::from_str(&children)
                        .map_err(|_| StoreError::Corrupt(format!("children {children:?}")))?;
                    let mut children = Vec::new();
                    for number in numbers {
                        let name: Option<String> = names
                            .query_row(params![&guardian, number], |row| row.get(0))
                            .ok();
                        children.push(name.unwrap_or_else(|| format!("#{number}")));
                    }
                    let kiosk: Option<String> = row.get(3)?;
                    visits.push(Visit {
                        event_id: presence::event_id(&row.get::<_, String>(0)?)?,
                        kind: presence::parse_kind(&row.get::<_, String>(1)?)?,
                        source: match row.get::<_, String>(2)?.as_str() {
                            "manual" => EventSource::Manual,
                            "closing" => EventSource::Closing,
                            _ => EventSource::Pass,
                        },
                        kiosk_id: kiosk.and_then(|kiosk| KioskId::new(kiosk).ok()),
                        guardian_name: row.get(4)?,
                        children,
                        staff_note: row.get(6)?,
                        occurred_at: ts(&row.get::<_, String>(7)?)?,
                    });
                }
                Ok(visits)
            })
            .await
    }
}

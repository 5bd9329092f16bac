//! [`CheckinStore`]'s pass keys and kiosks on SQLite. Events and presence are in
//! [`super::presence`].

use jiff::Timestamp;
use rusqlite::{Row, params};
use shimin_sync::{
    ids::{CenterId, KeyId, KioskId},
    messages::KioskState,
    pass::PassSigner,
};

use super::rows::{corrupt, kiosk_state, kiosk_state_name};
use super::{Db, rows::ts};
use crate::{
    domain::passkeys::{NewKey, StoredKey},
    store::{Kiosk, StoreError},
};

fn opt_ts(text: Option<String>) -> Result<Option<Timestamp>, StoreError> {
    text.as_deref().map(ts).transpose()
}

pub(super) async fn pass_keys(db: &Db) -> Result<Vec<StoredKey>, StoreError> {
    db.read(|conn| {
        let mut statement = conn.prepare_cached(
            "SELECT kid, seq, seed, valid_from, valid_until, created_at FROM pass_keys \
             ORDER BY seq",
        )?;
        let rows = statement.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, u32>(1)?,
                row.get::<_, Vec<u8>>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
            ))
        })?;
        let mut keys = Vec::new();
        for row in rows {
            let (kid, seq, seed, valid_from, valid_until, created_at) = row?;
            let seed: [u8; 32] = seed.try_into().map_err(|_| corrupt("seed of key", &kid))?;
            let kid = KeyId::new(&kid).map_err(|_| corrupt("key id", &kid))?;
            keys.push(StoredKey {
                seq,
                signer: PassSigner::from_seed(kid, &seed),
                valid_from: ts(&valid_from)?,
                valid_until: ts(&valid_until)?,
                created_at: ts(&created_at)?,
            });
        }
        Ok(keys)
    })
    .await
}

pub(super) async fn add_pass_key(
    db: &Db,
    key: NewKey,
    seed: [u8; 32],
    now: Timestamp,
) -> Result<bool, StoreError> {
    db.write(move |tx| {
        let added = tx.execute(
            "INSERT INTO pass_keys (kid, seq, seed, valid_from, valid_until, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            params![
                key.kid.as_str(),
                key.seq,
                seed.as_slice(),
                key.valid_from.to_string(),
                key.valid_until.to_string(),
                now.to_string(),
            ],
        )?;
        Ok(added == 1)
    })
    .await
}

const KIOSK_COLUMNS: &str = "kiosk_id, center_id, label, created_at, retired_at, state, \
                             state_at, software, pending_events, password_hash";

fn kiosk_from_row(row: &Row<'_>) -> Result<(Kiosk, String), StoreError> {
    let kiosk_id: String = row.get(0)?;
    let center_id: String = row.get(1)?;
    let state = kiosk_state(row.get(5)?, row.get(6)?)?;
    Ok((
        Kiosk {
            kiosk_id: KioskId::new(&kiosk_id).map_err(|_| corrupt("kiosk id", &kiosk_id))?,
            center_id: CenterId::new(&center_id).map_err(|_| corrupt("center id", &center_id))?,
            label: row.get(2)?,
            created_at: ts(&row.get::<_, String>(3)?)?,
            retired_at: opt_ts(row.get(4)?)?,
            state,
            software: row.get(7)?,
            pending_events: row.get(8)?,
        },
        row.get(9)?,
    ))
}

pub(super) async fn create_kiosk(
    db: &Db,
    kiosk: Kiosk,
    password_hash: String,
) -> Result<bool, StoreError> {
    db.write(move |tx| {
        let added = tx.execute(
            "INSERT INTO kiosks (kiosk_id, center_id, label, password_hash, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            params![
                kiosk.kiosk_id.as_str(),
                kiosk.center_id.as_str(),
                kiosk.label,
                password_hash,
                kiosk.created_at.to_string(),
            ],
        )?;
        Ok(added == 1)
    })
    .await
}

pub(super) async fn kiosks(db: &Db) -> Result<Vec<Kiosk>, StoreError> {
    db.read(|conn| {
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {KIOSK_COLUMNS} FROM kiosks ORDER BY center_id, created_at, kiosk_id"
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
) -> Result<Option<(Kiosk, String)>, StoreError> {
    let kiosk_id = kiosk_id.clone();
    db.read(move |conn| {
        let mut statement = conn.prepare_cached(&format!(
            "SELECT {KIOSK_COLUMNS} FROM kiosks WHERE kiosk_id = ?1"
        ))?;
        let mut rows = statement.query([kiosk_id.as_str()])?;
        rows.next()?.map(kiosk_from_row).transpose()
    })
    .await
}

pub(super) async fn set_kiosk_password(
    db: &Db,
    kiosk_id: &KioskId,
    password_hash: String,
) -> Result<bool, StoreError> {
    let kiosk_id = kiosk_id.clone();
    db.write(move |tx| {
        let changed = tx.execute(
            "UPDATE kiosks SET password_hash = ?2 WHERE kiosk_id = ?1 AND retired_at IS NULL",
            params![kiosk_id.as_str(), password_hash],
        )?;
        Ok(changed == 1)
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
        let changed = tx.execute(
            "UPDATE kiosks SET retired_at = ?2 WHERE kiosk_id = ?1 AND retired_at IS NULL",
            params![kiosk_id.as_str(), now.to_string()],
        )?;
        Ok(changed == 1)
    })
    .await
}

pub(super) async fn record_kiosk_status(
    db: &Db,
    kiosk_id: &KioskId,
    state: KioskState,
    at: Timestamp,
    software: Option<String>,
    pending_events: Option<u32>,
) -> Result<(), StoreError> {
    let kiosk_id = kiosk_id.clone();
    let state = kiosk_state_name(state);
    db.write(move |tx| {
        tx.execute(
            "UPDATE kiosks SET state = ?2, state_at = ?3, software = COALESCE(?4, software), \
             pending_events = ?5 WHERE kiosk_id = ?1",
            params![
                kiosk_id.as_str(),
                state,
                at.to_string(),
                software,
                pending_events
            ],
        )?;
        Ok(())
    })
    .await
}

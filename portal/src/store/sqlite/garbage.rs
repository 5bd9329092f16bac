//! [`GarbageStore`] on SQLite.

use async_trait::async_trait;
use jiff::{Timestamp, civil::Date};
use rusqlite::{OptionalExtension, Transaction, params};

use super::{
    SqliteStore,
    rows::{corrupt, ts},
};
use crate::{
    domain::AccountId,
    garbage::Five374Files,
    store::{
        ExceptionKind, GarbageSetting, GarbageStore, Remind, Slot, StoreError, StoredException,
        StoredGarbage,
    },
};

fn date(text: &str) -> Result<Date, StoreError> {
    text.parse().map_err(|_| corrupt("date", text))
}

fn account(text: &str) -> Result<AccountId, StoreError> {
    text.parse().map_err(|_| corrupt("account id", text))
}

#[async_trait]
impl GarbageStore for SqliteStore {
    async fn garbage(&self) -> Result<Option<StoredGarbage>, StoreError> {
        self.db
            .read(|conn| {
                let files = conn
                    .query_row(
                        "SELECT area_days, center, description, target, remarks, revision, \
                         imported_at FROM garbage_files WHERE id = 1",
                        [],
                        |row| {
                            Ok((
                                Five374Files {
                                    area_days: row.get(0)?,
                                    center: row.get(1)?,
                                    description: row.get(2)?,
                                    target: row.get(3)?,
                                    remarks: row.get(4)?,
                                },
                                row.get::<_, i64>(5)?,
                                row.get::<_, String>(6)?,
                            ))
                        },
                    )
                    .optional()?;
                let Some((files, revision, imported_at)) = files else {
                    return Ok(None);
                };
                let mut statement = conn.prepare_cached(
                    "SELECT area_id, name, active FROM garbage_areas ORDER BY area_id",
                )?;
                let areas = statement
                    .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Some(StoredGarbage {
                    files,
                    revision,
                    imported_at: ts(&imported_at)?,
                    areas,
                }))
            })
            .await
    }

    async fn garbage_revision(&self) -> Result<i64, StoreError> {
        self.db
            .read(|conn| {
                Ok(conn
                    .query_row(
                        "SELECT revision FROM garbage_files WHERE id = 1",
                        [],
                        |row| row.get(0),
                    )
                    .optional()?
                    .unwrap_or(0))
            })
            .await
    }

    async fn save_garbage(
        &self,
        files: Five374Files,
        areas: Vec<String>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO garbage_files (id, area_days, center, description, target, \
                     remarks, revision, imported_at) VALUES (1, ?1, ?2, ?3, ?4, ?5, 1, ?6) \
                     ON CONFLICT (id) DO UPDATE SET area_days = excluded.area_days, \
                     center = excluded.center, description = excluded.description, \
                     target = excluded.target, remarks = excluded.remarks, \
                     revision = revision + 1, imported_at = excluded.imported_at",
                    params![
                        files.area_days,
                        files.center,
                        files.description,
                        files.target,
                        files.remarks,
                        now.to_string()
                    ],
                )?;
                tx.execute("UPDATE garbage_areas SET active = 0", [])?;
                let mut upsert = tx.prepare_cached(
                    "INSERT INTO garbage_areas (name, active) VALUES (?1, 1) \
                     ON CONFLICT (name) DO UPDATE SET active = 1",
                )?;
                for name in &areas {
                    upsert.execute([name])?;
                }
                Ok(())
            })
            .await
    }

    async fn garbage_exceptions(&self) -> Result<Vec<StoredException>, StoreError> {
        self.db
            .read(|conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT exception_id, area_id, kind, from_date, to_date, kinds, note \
                     FROM garbage_exceptions ORDER BY exception_id",
                )?;
                let mut rows = statement.query([])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let kind: String = row.get(2)?;
                    let to: Option<String> = row.get(4)?;
                    let kinds: String = row.get(5)?;
                    out.push(StoredException {
                        exception_id: row.get(0)?,
                        area_id: row.get(1)?,
                        kind: ExceptionKind::parse(&kind)
                            .ok_or_else(|| corrupt("exception kind", &kind))?,
                        from: date(&row.get::<_, String>(3)?)?,
                        to: to.as_deref().map(date).transpose()?,
                        kinds: serde_json::from_str(&kinds)
                            .map_err(|_| corrupt("exception kinds", &kinds))?,
                        note: row.get(6)?,
                    });
                }
                Ok(out)
            })
            .await
    }

    async fn add_garbage_exception(
        &self,
        exception: StoredException,
        now: Timestamp,
    ) -> Result<i64, StoreError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO garbage_exceptions (area_id, kind, from_date, to_date, kinds, \
                     note, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        exception.area_id,
                        exception.kind.as_str(),
                        exception.from.to_string(),
                        exception.to.map(|d| d.to_string()),
                        serde_json::to_string(&exception.kinds).unwrap_or_else(|_| "[]".into()),
                        exception.note,
                        now.to_string()
                    ],
                )?;
                let id = tx.last_insert_rowid();
                tx.execute(
                    "UPDATE garbage_files SET revision = revision + 1 WHERE id = 1",
                    [],
                )?;
                Ok(id)
            })
            .await
    }

    async fn delete_garbage_exception(&self, exception_id: i64) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                let deleted = tx.execute(
                    "DELETE FROM garbage_exceptions WHERE exception_id = ?1",
                    [exception_id],
                )? == 1;
                if deleted {
                    tx.execute(
                        "UPDATE garbage_files SET revision = revision + 1 WHERE id = 1",
                        [],
                    )?;
                }
                Ok(deleted)
            })
            .await
    }

    async fn garbage_setting(
        &self,
        account_id: AccountId,
    ) -> Result<Option<GarbageSetting>, StoreError> {
        self.db
            .read(move |conn| {
                let row = conn
                    .query_row(
                        "SELECT area_id, remind, hour FROM garbage_settings WHERE account_id = ?1",
                        [account_id.to_string()],
                        |row| Ok((row.get(0)?, row.get::<_, String>(1)?, row.get::<_, u8>(2)?)),
                    )
                    .optional()?;
                row.map(|(area_id, remind, hour)| {
                    Ok(GarbageSetting {
                        area_id,
                        remind: Remind::parse(&remind).ok_or_else(|| corrupt("remind", &remind))?,
                        hour,
                    })
                })
                .transpose()
            })
            .await
    }

    async fn save_garbage_setting(
        &self,
        account_id: AccountId,
        setting: Option<GarbageSetting>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                match setting {
                    Some(setting) => tx.execute(
                        "INSERT INTO garbage_settings (account_id, area_id, remind, hour, \
                         updated_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (account_id) DO \
                         UPDATE SET area_id = excluded.area_id, remind = excluded.remind, \
                         hour = excluded.hour, updated_at = excluded.updated_at",
                        params![
                            account_id.to_string(),
                            setting.area_id,
                            setting.remind.as_str(),
                            setting.hour,
                            now.to_string()
                        ],
                    )?,
                    None => tx.execute(
                        "DELETE FROM garbage_settings WHERE account_id = ?1",
                        [account_id.to_string()],
                    )?,
                };
                Ok(())
            })
            .await
    }

    async fn garbage_slot_due(&self, slot: Slot) -> Result<Vec<(i64, Vec<AccountId>)>, StoreError> {
        self.db
            .read(move |conn| {
                // Areas of the slot not yet done, and in them the citizens not yet reminded
                // (an area whose citizens were all reminded still comes, with nobody: its run
                // is then marked done).
                let mut statement = conn.prepare_cached(
                    "SELECT s.area_id, CASE WHEN a.status = 'active' AND NOT EXISTS (SELECT 1 \
                     FROM garbage_reminded g WHERE g.account_id = s.account_id \
                     AND g.collection_date = ?3) THEN s.account_id END \
                     FROM garbage_settings s JOIN accounts a USING (account_id) \
                     WHERE s.remind = ?1 AND s.hour = ?2 AND NOT EXISTS (SELECT 1 FROM \
                     garbage_runs r WHERE r.collection_date = ?3 AND r.remind = ?1 \
                     AND r.hour = ?2 AND r.area_id = s.area_id) ORDER BY s.area_id",
                )?;
                let mut rows = statement.query(params![
                    slot.remind.as_str(),
                    slot.hour,
                    slot.date.to_string()
                ])?;
                let mut due: Vec<(i64, Vec<AccountId>)> = Vec::new();
                while let Some(row) = rows.next()? {
                    let area_id: i64 = row.get(0)?;
                    let citizen: Option<String> = row.get(1)?;
                    if due.last().is_none_or(|(last, _)| *last != area_id) {
                        due.push((area_id, Vec::new()));
                    }
                    if let (Some(citizen), Some((_, citizens))) = (citizen, due.last_mut()) {
                        citizens.push(account(&citizen)?);
                    }
                }
                Ok(due)
            })
            .await
    }

    async fn finish_garbage_run(
        &self,
        slot: Slot,
        area_id: i64,
        reminded: Vec<AccountId>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| mark_run(tx, slot, area_id, &reminded, now))
            .await
    }

    async fn garbage_slot_kinds(&self) -> Result<Vec<(Remind, u8)>, StoreError> {
        self.db
            .read(|conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT DISTINCT remind, hour FROM garbage_settings WHERE remind != 'off'",
                )?;
                let rows = statement
                    .query_map([], |row| {
                        Ok((row.get::<_, String>(0)?, row.get::<_, u8>(1)?))
                    })?
                    .collect::<Result<Vec<_>, _>>()?;
                rows.into_iter()
                    .map(|(remind, hour)| {
                        Ok((
                            Remind::parse(&remind).ok_or_else(|| corrupt("remind", &remind))?,
                            hour,
                        ))
                    })
                    .collect()
            })
            .await
    }
}

/// Marks `slot` done for `area_id` and `reminded` as reminded of its day (inside the
/// delivery's transaction when there is one).
pub(super) fn mark_run(
    tx: &Transaction<'_>,
    slot: Slot,
    area_id: i64,
    reminded: &[AccountId],
    now: Timestamp,
) -> Result<(), StoreError> {
    let day = slot.date.to_string();
    tx.execute(
        "INSERT OR IGNORE INTO garbage_runs (collection_date, remind, hour, area_id, \
         recipients, done_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            day,
            slot.remind.as_str(),
            slot.hour,
            area_id,
            reminded.len(),
            now.to_string()
        ],
    )?;
    let mut mark = tx.prepare_cached(
        "INSERT OR IGNORE INTO garbage_reminded (account_id, collection_date) VALUES (?1, ?2)",
    )?;
    for account_id in reminded {
        mark.execute(params![account_id.to_string(), day])?;
    }
    Ok(())
}

//! [`AlertStore`] on SQLite.

use std::collections::HashMap;

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, rows::corrupt};
use crate::{
    domain::AccountId,
    store::{AlertStore, StoreError, StoredAlertSetting},
};

fn setting_of(
    receive: Option<bool>,
    lang: Option<String>,
    areas: Option<String>,
) -> Result<Option<StoredAlertSetting>, StoreError> {
    let (Some(receive), Some(lang)) = (receive, lang) else {
        return Ok(None);
    };
    let areas = areas
        .map(|json| serde_json::from_str(&json).map_err(|_| corrupt("alert areas", &json)))
        .transpose()?;
    Ok(Some(StoredAlertSetting {
        receive,
        lang,
        areas,
    }))
}

#[async_trait]
impl AlertStore for SqliteStore {
    async fn alert_areas(&self) -> Result<Vec<(u32, String)>, StoreError> {
        self.db
            .read(|conn| {
                let mut statement =
                    conn.prepare_cached("SELECT area_id, name FROM alert_areas ORDER BY area_id")?;
                let areas = statement
                    .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(areas)
            })
            .await
    }

    async fn add_alert_areas(&self, areas: Vec<(u32, String)>) -> Result<u64, StoreError> {
        self.db
            .write(move |tx| {
                let mut insert = tx.prepare_cached(
                    "INSERT OR IGNORE INTO alert_areas (area_id, name) VALUES (?1, ?2)",
                )?;
                let mut added = 0;
                for (id, name) in &areas {
                    added += insert.execute(params![id, name])? as u64;
                }
                Ok(added)
            })
            .await
    }

    async fn alert_setting(
        &self,
        account_id: AccountId,
    ) -> Result<Option<StoredAlertSetting>, StoreError> {
        self.db
            .read(move |conn| {
                let row = conn
                    .query_row(
                        "SELECT receive, lang, areas FROM alert_settings WHERE account_id = ?1",
                        [account_id.to_string()],
                        |row| {
                            Ok((
                                row.get::<_, bool>(0)?,
                                row.get::<_, String>(1)?,
                                row.get::<_, Option<String>>(2)?,
                            ))
                        },
                    )
                    .optional()?;
                row.map(|(receive, lang, areas)| {
                    let areas = areas
                        .map(|json| {
                            serde_json::from_str(&json).map_err(|_| corrupt("alert areas", &json))
                        })
                        .transpose()?;
                    Ok(StoredAlertSetting {
                        receive,
                        lang,
                        areas,
                    })
                })
                .transpose()
            })
            .await
    }

    async fn save_alert_setting(
        &self,
        account_id: AccountId,
        setting: StoredAlertSetting,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let areas = setting
            .areas
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        self.db
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO alert_settings (account_id, receive, lang, areas, updated_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (account_id) DO UPDATE SET \
                     receive = excluded.receive, lang = excluded.lang, areas = excluded.areas, \
                     updated_at = excluded.updated_at",
                    params![
                        account_id.to_string(),
                        setting.receive,
                        setting.lang,
                        areas,
                        now.to_string()
                    ],
                )?;
                Ok(())
            })
            .await
    }

    async fn alert_audience(
        &self,
    ) -> Result<Vec<(AccountId, Option<StoredAlertSetting>)>, StoreError> {
        self.db
            .read(|conn| {
                // Two plain scans in one read transaction, joined here: probing alert_settings
                // once per account (a LEFT JOIN) took most of the time for 200,000 accounts
                // (BENCHMARKS.md, 避難情報).
                let tx = conn.unchecked_transaction()?;
                let mut settings = HashMap::new();
                let mut statement = tx.prepare_cached(
                    "SELECT account_id, receive, lang, areas FROM alert_settings",
                )?;
                let mut rows = statement.query([])?;
                while let Some(row) = rows.next()? {
                    let id: String = row.get(0)?;
                    if let Some(setting) = setting_of(row.get(1)?, row.get(2)?, row.get(3)?)? {
                        settings.insert(id, setting);
                    }
                }
                let mut statement =
                    tx.prepare_cached("SELECT account_id FROM accounts WHERE status = 'active'")?;
                let mut rows = statement.query([])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let id: String = row.get(0)?;
                    let account = id.parse().map_err(|_| corrupt("account id", &id))?;
                    out.push((account, settings.remove(&id)));
                }
                Ok(out)
            })
            .await
    }
}

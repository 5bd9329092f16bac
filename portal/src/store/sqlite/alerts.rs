//! [`AlertStore`] on SQLite.

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::{
    SqliteStore,
    rows::{corrupt, ts},
};
use crate::{
    domain::AccountId,
    store::{AlertStore, SentAlert, StoreError, StoredAlertSetting},
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
                let mut statement = conn.prepare_cached(
                    "SELECT a.account_id, s.receive, s.lang, s.areas FROM accounts a \
                     LEFT JOIN alert_settings s USING (account_id) WHERE a.status = 'active'",
                )?;
                let mut rows = statement.query([])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let id: String = row.get(0)?;
                    let account = id.parse().map_err(|_| corrupt("account id", &id))?;
                    out.push((account, setting_of(row.get(1)?, row.get(2)?, row.get(3)?)?));
                }
                Ok(out)
            })
            .await
    }

    async fn save_sent_alert(&self, alert: SentAlert) -> Result<(), StoreError> {
        let texts: serde_json::Map<String, serde_json::Value> = alert
            .texts
            .iter()
            .map(|(lang, title, body)| {
                (
                    lang.clone(),
                    serde_json::json!({"title": title, "body": body}),
                )
            })
            .collect();
        let shelters = serde_json::to_string(&alert.shelters)
            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
        let texts = serde_json::Value::Object(texts).to_string();
        self.db
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO alerts (alert_id, kind, target, shelters, texts, issued_at, \
                     sent_by, sent_at, recipients) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    params![
                        alert.alert_id.to_string(),
                        alert.kind,
                        alert.target,
                        shelters,
                        texts,
                        alert.issued_at.to_string(),
                        alert.sent_by.to_string(),
                        alert.sent_at.to_string(),
                        alert.recipients
                    ],
                )?;
                Ok(())
            })
            .await
    }

    async fn sent_alerts(&self, limit: u32) -> Result<Vec<SentAlert>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT alert_id, kind, target, shelters, texts, issued_at, sent_by, \
                     sent_at, recipients FROM alerts ORDER BY sent_at DESC LIMIT ?1",
                )?;
                let mut rows = statement.query([limit])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    let id: String = row.get(0)?;
                    let shelters: String = row.get(3)?;
                    let texts: String = row.get(4)?;
                    let by: String = row.get(6)?;
                    let texts: serde_json::Map<String, serde_json::Value> =
                        serde_json::from_str(&texts).map_err(|_| corrupt("alert texts", &texts))?;
                    out.push(SentAlert {
                        alert_id: id.parse().map_err(|_| corrupt("alert id", &id))?,
                        kind: row.get(1)?,
                        target: row.get(2)?,
                        shelters: serde_json::from_str(&shelters)
                            .map_err(|_| corrupt("shelters", &shelters))?,
                        texts: texts
                            .into_iter()
                            .map(|(lang, text)| {
                                let field = |name: &str| {
                                    text.get(name)
                                        .and_then(|v| v.as_str())
                                        .unwrap_or_default()
                                        .to_owned()
                                };
                                (lang, field("title"), field("body"))
                            })
                            .collect(),
                        issued_at: ts(&row.get::<_, String>(5)?)?,
                        sent_by: by.parse().map_err(|_| corrupt("account id", &by))?,
                        sent_at: ts(&row.get::<_, String>(7)?)?,
                        recipients: row.get(8)?,
                    });
                }
                Ok(out)
            })
            .await
    }
}

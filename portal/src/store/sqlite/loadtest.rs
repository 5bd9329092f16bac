//! Synthetic citizens for load tests and benchmarks (`portal admin load-citizens`): active
//! accounts that cannot log in (no password), each wanting one 分野, a share of them linked to
//! LINE and taking 市からのお知らせ by LINE only. Never for a city's real portal: the addresses
//! are under `load.invalid`. Their ごみ収集日 (`load-garbage`) and 防災情報の通知設定
//! (`load-alerts`, the spread in [`super::loadtest_alerts`]) are given here too.

use jiff::Timestamp;
use rusqlite::params;
use uuid::Uuid;

use super::{SqliteStore, loadtest_alerts::alert_setting, presence::sortable};
use crate::store::StoreError;

/// What to add.
#[derive(Debug, Clone)]
pub struct LoadCitizens {
    /// How many citizens.
    pub count: u64,
    /// The 分野 they all want (must exist).
    pub category_id: String,
    /// Of every 100, how many are linked to LINE and take 市からのお知らせ by LINE only.
    pub line_percent: u8,
    /// Of every 100, how many read English.
    pub en_percent: u8,
}

/// Rows per transaction.
const CHUNK: u64 = 20_000;

impl SqliteStore {
    /// Adds the citizens; returns how many were added. Numbering continues after citizens
    /// added before, so it can be run again.
    pub async fn add_load_citizens(&self, spec: LoadCitizens) -> Result<u64, StoreError> {
        let now = sortable(Timestamp::now());
        let category = spec.category_id.clone();
        let (first, known): (u64, bool) = self
            .db
            .read(move |conn| {
                let first = conn.query_row(
                    "SELECT count(*) FROM accounts WHERE email LIKE '%@load.invalid'",
                    [],
                    |row| row.get(0),
                )?;
                let known = conn.query_row(
                    "SELECT count(*) > 0 FROM categories WHERE category_id = ?1",
                    [category],
                    |row| row.get(0),
                )?;
                Ok((first, known))
            })
            .await?;
        if !known {
            return Err(StoreError::Setup(format!(
                "there is no 分野 {:?} (see /admin/categories)",
                spec.category_id
            )));
        }
        let mut done = 0;
        while done < spec.count {
            let chunk = CHUNK.min(spec.count - done);
            let start = first + done;
            let spec = spec.clone();
            let now = now.clone();
            self.db
                .write(move |tx| {
                    let mut account = tx.prepare_cached(
                        "INSERT INTO accounts (account_id, email, family_name, given_name, \
                         status, lang, created_at) VALUES (?1, ?2, '負荷', ?3, 'active', ?4, ?5)",
                    )?;
                    let mut want = tx.prepare_cached(
                        "INSERT INTO category_subscriptions (account_id, category_id) \
                         VALUES (?1, ?2)",
                    )?;
                    let mut link = tx.prepare_cached(
                        "INSERT INTO line_links (account_id, line_user_id, linked_at) \
                         VALUES (?1, ?2, ?3)",
                    )?;
                    let mut line_only = tx.prepare_cached(
                        "INSERT INTO notification_prefs (account_id, service, email, line) \
                         VALUES (?1, 'oshirase', 0, 1)",
                    )?;
                    for n in start..start + chunk {
                        let id = Uuid::now_v7().to_string();
                        let lang = if n % 100 < u64::from(spec.en_percent) {
                            "en"
                        } else {
                            "ja"
                        };
                        account.execute(params![
                            id,
                            format!("citizen{n:07}@load.invalid"),
                            format!("{n}"),
                            lang,
                            now
                        ])?;
                        want.execute(params![id, spec.category_id])?;
                        // Spread LINE users evenly rather than in one block.
                        if (n * 37) % 100 < u64::from(spec.line_percent) {
                            link.execute(params![id, format!("U{:032x}", n + 1), now])?;
                            line_only.execute([&id])?;
                        }
                    }
                    Ok(())
                })
                .await?;
            done += chunk;
        }
        self.db.checkpoint().await?;
        Ok(done)
    }
}

impl SqliteStore {
    /// Gives every synthetic citizen a ごみ収集日 setting (`portal admin load-garbage`): the
    /// active areas in turn; 90 % reminded the evening before at `hour`, 5 % in the morning at
    /// 6:00, 5 % not at all; those linked to LINE take the reminder by LINE only. With
    /// `extra_day`, every area also collects every kind that day (all citizens are due), and
    /// the reminders of the day before count as made (so a run measures that day alone).
    pub async fn add_load_garbage(
        &self,
        hour: u8,
        extra_day: Option<jiff::civil::Date>,
    ) -> Result<u64, StoreError> {
        let now = Timestamp::now().to_string();
        self.db
            .write(move |tx| {
                let areas: Vec<i64> = tx
                    .prepare("SELECT area_id FROM garbage_areas WHERE active = 1 ORDER BY area_id")?
                    .query_map([], |row| row.get(0))?
                    .collect::<Result<_, _>>()?;
                if areas.is_empty() {
                    return Err(StoreError::Setup(
                        "no garbage areas (portal garbage import-5374 first)".into(),
                    ));
                }
                let citizens: Vec<(String, bool)> = tx
                    .prepare(
                        "SELECT a.account_id, l.account_id IS NOT NULL FROM accounts a \
                         LEFT JOIN line_links l USING (account_id) \
                         WHERE a.email LIKE '%@load.invalid' ORDER BY a.email",
                    )?
                    .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                    .collect::<Result<_, _>>()?;
                let mut setting = tx.prepare(
                    "INSERT OR REPLACE INTO garbage_settings (account_id, area_id, remind, hour, \
                     updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?;
                let mut line_only = tx.prepare(
                    "INSERT OR REPLACE INTO notification_prefs (account_id, service, email, line) \
                     VALUES (?1, 'gomi', 0, 1)",
                )?;
                for (n, (id, linked)) in citizens.iter().enumerate() {
                    let area = areas.get(n % areas.len()).copied().unwrap_or_default();
                    let (remind, at) = match n % 20 {
                        0 => ("morning", 6),
                        1 => ("off", hour),
                        _ => ("evening", hour),
                    };
                    setting.execute(params![id, area, remind, at, now])?;
                    if *linked {
                        line_only.execute([id])?;
                    }
                }
                if let Some(day) = extra_day {
                    // Only the extra day is measured: reminders for the day before are done.
                    let before = day.yesterday().unwrap_or(day).to_string();
                    tx.execute(
                        "INSERT OR IGNORE INTO garbage_runs (collection_date, remind, hour, \
                         area_id, recipients, done_at) SELECT ?1, s.remind, s.hour, s.area_id, 0, \
                         ?2 FROM (SELECT DISTINCT remind, hour, area_id FROM garbage_settings) s",
                        params![before, now],
                    )?;
                    tx.execute(
                        "INSERT INTO garbage_exceptions (area_id, kind, from_date, to_date, kinds, \
                         note, created_at) VALUES (NULL, 'extra', ?1, NULL, '[]', '負荷試験', ?2)",
                        params![day.to_string(), now],
                    )?;
                    tx.execute(
                        "UPDATE garbage_files SET revision = revision + 1 WHERE id = 1",
                        [],
                    )?;
                }
                Ok(citizens.len() as u64)
            })
            .await
    }
}

/// What `portal admin load-alerts` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadedAlerts {
    /// Synthetic citizens seen.
    pub citizens: u64,
    /// Of them, with a saved setting (the rest keep the 初期設定).
    pub settings: u64,
    /// Of those, 「配信を希望しない」.
    pub opted_out: u64,
    /// Of those, 「特定の地域の情報だけ」.
    pub only_my_areas: u64,
}

impl SqliteStore {
    /// Gives the synthetic citizens the 防災情報の通知設定 of [`alert_setting`] (by their number,
    /// among the city's areas) and has those linked to LINE take 避難情報 by LINE only, as
    /// `load-citizens` has them take 市からのお知らせ.
    pub async fn add_load_alerts(&self) -> Result<LoadedAlerts, StoreError> {
        let now = Timestamp::now().to_string();
        self.db
            .write(move |tx| {
                let areas: Vec<u32> = tx
                    .prepare("SELECT area_id FROM alert_areas ORDER BY area_id")?
                    .query_map([], |row| row.get(0))?
                    .collect::<Result<_, _>>()?;
                if areas.is_empty() {
                    return Err(StoreError::Setup(
                        "no alert areas (portal bousai import-areas first)".into(),
                    ));
                }
                let citizens: Vec<(String, String, bool)> = tx
                    .prepare(
                        "SELECT a.account_id, a.email, l.account_id IS NOT NULL FROM accounts a \
                         LEFT JOIN line_links l USING (account_id) \
                         WHERE a.email LIKE '%@load.invalid'",
                    )?
                    .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
                    .collect::<Result<_, _>>()?;
                let mut save = tx.prepare(
                    "INSERT OR REPLACE INTO alert_settings (account_id, receive, lang, areas, \
                     updated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?;
                let mut line_only = tx.prepare(
                    "INSERT OR REPLACE INTO notification_prefs (account_id, service, email, line) \
                     VALUES (?1, 'bousai', 0, 1)",
                )?;
                let mut loaded = LoadedAlerts {
                    citizens: citizens.len() as u64,
                    settings: 0,
                    opted_out: 0,
                    only_my_areas: 0,
                };
                for (id, email, linked) in &citizens {
                    let number = email
                        .strip_prefix("citizen")
                        .and_then(|rest| rest.strip_suffix("@load.invalid"))
                        .and_then(|digits| digits.parse().ok());
                    if let Some(setting) = number.and_then(|n| alert_setting(n, &areas)) {
                        let areas = setting
                            .areas
                            .as_ref()
                            .map(serde_json::to_string)
                            .transpose()
                            .map_err(|error| StoreError::Corrupt(error.to_string()))?;
                        save.execute(params![id, setting.receive, setting.lang, areas, now])?;
                        loaded.settings += 1;
                        loaded.opted_out += u64::from(!setting.receive);
                        loaded.only_my_areas += u64::from(areas.is_some());
                    }
                    if *linked {
                        line_only.execute([id])?;
                    }
                }
                Ok(loaded)
            })
            .await
    }
}

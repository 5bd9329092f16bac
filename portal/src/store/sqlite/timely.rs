//! [`TimelyStore`] on SQLite.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use async_trait::async_trait;
use jiff::{Timestamp, civil::Date};
use rusqlite::{OptionalExtension, params};

use super::{SqliteStore, presence::sortable, rows::corrupt};
use crate::{
    domain::AccountId,
    store::{StoreError, TimelyChild, TimelyFamily, TimelyStore},
};

fn date(text: &str) -> Result<Date, StoreError> {
    text.parse().map_err(|_| corrupt("date", text))
}

fn account(text: &str) -> Result<AccountId, StoreError> {
    text.parse().map_err(|_| corrupt("account id", text))
}

/// The family of `account_id` in `families`, made empty the first time.
fn family<'a>(
    families: &'a mut BTreeMap<String, TimelyFamily>,
    account_id: &str,
) -> Result<&'a mut TimelyFamily, StoreError> {
    if !families.contains_key(account_id) {
        let family = TimelyFamily {
            account_id: account(account_id)?,
            children: Vec::new(),
            due_date: None,
            pregnancy: None,
            turned_off: BTreeSet::new(),
        };
        families.insert(account_id.to_owned(), family);
    }
    families
        .get_mut(account_id)
        .ok_or_else(|| corrupt("family", account_id))
}

#[async_trait]
impl TimelyStore for SqliteStore {
    async fn timely_families(&self) -> Result<Vec<TimelyFamily>, StoreError> {
        self.db
            .read(|conn| {
                let mut families = BTreeMap::new();
                let mut children = conn.prepare_cached(
                    "SELECT c.account_id, c.child_id, c.given_name, c.birth_date \
                     FROM children c JOIN accounts a ON a.account_id = c.account_id \
                     WHERE a.status = 'active' ORDER BY c.account_id, c.birth_date, c.child_id",
                )?;
                let rows = children.query_map([], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                    ))
                })?;
                for row in rows {
                    let (account_id, child_id, given_name, birth_date) = row?;
                    family(&mut families, &account_id)?
                        .children
                        .push(TimelyChild {
                            child_id: child_id
                                .parse()
                                .map_err(|_| corrupt("child id", &child_id))?,
                            given_name,
                            birth_date: date(&birth_date)?,
                        });
                }
                let mut due_dates = conn.prepare_cached(
                    "SELECT d.account_id, d.due_date, p.pregnancy_key, p.due_date \
                     FROM due_dates d JOIN accounts a ON a.account_id = d.account_id \
                     LEFT JOIN timely_pregnancies p ON p.account_id = d.account_id \
                     WHERE a.status = 'active'",
                )?;
                let rows = due_dates.query_map([], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, Option<String>>(2)?,
                        row.get::<_, Option<String>>(3)?,
                    ))
                })?;
                for row in rows {
                    let (account_id, due_date, key, key_due) = row?;
                    let entry = family(&mut families, &account_id)?;
                    entry.due_date = Some(date(&due_date)?);
                    entry.pregnancy = match (key, key_due) {
                        (Some(key), Some(key_due)) => Some((key, date(&key_due)?)),
                        _ => None,
                    };
                }
                let mut turned_off =
                    conn.prepare_cached("SELECT account_id, category FROM timely_turned_off")?;
                let rows = turned_off.query_map([], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                })?;
                for row in rows {
                    let (account_id, category) = row?;
                    if let Some(entry) = families.get_mut(&account_id) {
                        entry.turned_off.insert(category);
                    }
                }
                Ok(families.into_values().collect())
            })
            .await
    }

    async fn set_timely_pregnancy(
        &self,
        account_id: AccountId,
        pregnancy_key: String,
        due_date: Date,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO timely_pregnancies (account_id, pregnancy_key, due_date) \
                     VALUES (?1, ?2, ?3) ON CONFLICT (account_id) DO UPDATE SET \
                     pregnancy_key = excluded.pregnancy_key, due_date = excluded.due_date",
                    params![account_id.to_string(), pregnancy_key, due_date.to_string()],
                )?;
                Ok(())
            })
            .await
    }

    async fn timely_turned_off(
        &self,
        account_id: AccountId,
    ) -> Result<BTreeSet<String>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT category FROM timely_turned_off WHERE account_id = ?1",
                )?;
                let rows = statement.query_map([account_id.to_string()], |row| row.get(0))?;
                Ok(rows.collect::<Result<BTreeSet<String>, _>>()?)
            })
            .await
    }

    async fn set_timely_turned_off(
        &self,
        account_id: AccountId,
        categories: BTreeSet<String>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "DELETE FROM timely_turned_off WHERE account_id = ?1",
                    [account_id.to_string()],
                )?;
                let mut insert = tx.prepare_cached(
                    "INSERT INTO timely_turned_off (account_id, category, updated_at) \
                     VALUES (?1, ?2, ?3)",
                )?;
                for category in categories {
                    insert.execute(params![account_id.to_string(), category, sortable(now)])?;
                }
                Ok(())
            })
            .await
    }

    async fn timely_sent(&self, keys: Vec<String>) -> Result<HashSet<String>, StoreError> {
        if keys.is_empty() {
            return Ok(HashSet::new());
        }
        let json =
            serde_json::to_string(&keys).map_err(|error| StoreError::Corrupt(error.to_string()))?;
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT s.message_key FROM json_each(?1) k \
                     JOIN timely_sent s ON s.message_key = k.value",
                )?;
                let rows = statement.query_map([json], |row| row.get(0))?;
                Ok(rows.collect::<Result<HashSet<String>, _>>()?)
            })
            .await
    }

    async fn mark_timely_sent(
        &self,
        key: String,
        account_id: AccountId,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO timely_sent (message_key, account_id, sent_at) \
                     VALUES (?1, ?2, ?3) ON CONFLICT (message_key) DO NOTHING",
                    params![key, account_id.to_string(), sortable(now)],
                )?;
                Ok(())
            })
            .await
    }

    async fn timely_day_finished(&self, day: Date) -> Result<bool, StoreError> {
        self.db
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT 1 FROM timely_days WHERE day = ?1",
                        [day.to_string()],
                        |_| Ok(()),
                    )
                    .optional()?
                    .is_some())
            })
            .await
    }

    async fn finish_timely_day(&self, day: Date, now: Timestamp) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "INSERT INTO timely_days (day, finished_at) VALUES (?1, ?2) \
                     ON CONFLICT (day) DO NOTHING",
                    params![day.to_string(), sortable(now)],
                )?;
                Ok(())
            })
            .await
    }
}

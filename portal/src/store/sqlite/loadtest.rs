//! Synthetic citizens for load tests and benchmarks (`portal admin load-citizens`): active
//! accounts that cannot log in (no password), each wanting one 分野, a share of them linked to
//! LINE and taking 市からのお知らせ by LINE only. Never for a city's real portal: the addresses
//! are under `load.invalid`.

use jiff::Timestamp;
use rusqlite::params;
use uuid::Uuid;

use super::{SqliteStore, presence::sortable};
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

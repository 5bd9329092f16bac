//! The kiosk's durable local store: the outbox of events not yet acknowledged, the replay
//! records, the day's visits, and the latest key set, configuration and presence received (the kiosk verifies
//! passes offline after a restart with them).
//!
//! [`Store`] is the seam; [`SqliteStore`] is the real one: SQLite in WAL mode with
//! `synchronous=FULL`, so a committed scan survives a power cut. A scan's event and its replay
//! record are written in one transaction ([`Store::record_scan`]) before the kiosk answers.

use std::path::Path;

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use shimin_sync::{
    ids::EventId,
    messages::{KeySet, KioskConfig, KioskEvent, Presence, decode, encode},
    outbox::OutboxEntry,
    pass::PassNonce,
    replay::NonceUse,
};

use crate::{scan::UsedAnswer, visits::Visit};

mod visits;

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused (disk full, damaged file, …).
    #[error("local store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored row could not be read back.
    #[error("local store holds an unreadable {what}: {detail}")]
    Corrupt {
        /// What was being read.
        what: &'static str,
        /// Why it could not be.
        detail: String,
    },
    /// The data directory could not be made.
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: String,
        /// Why.
        source: std::io::Error,
    },
}

/// Everything the kiosk keeps across a restart.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    /// Events waiting for their ack, oldest first, with their payloads parsed back.
    pub outbox: Vec<(OutboxEntry, KioskEvent)>,
    /// Replay records still in force, with what each use answered.
    pub uses: Vec<(NonceUse, UsedAnswer)>,
    /// The newest key set received.
    pub keys: Option<KeySet>,
    /// The latest configuration received.
    pub config: Option<KioskConfig>,
    /// The latest presence received.
    pub presence: Option<Presence>,
    /// The visits recorded here and kept, oldest first.
    pub visits: Vec<Visit>,
}

/// The kiosk's durable state.
pub trait Store: Send {
    /// Everything stored; outbox entries are due at `now` (the kiosk resends all on start).
    fn load(&self, now: Timestamp) -> Result<Stored, StoreError>;
    /// Stores a scan's event (into the outbox and the visits, with the children's `names`)
    /// and its replay record, in one transaction.
    fn record_scan(
        &mut self,
        event: &KioskEvent,
        used: &NonceUse,
        answer: &UsedAnswer,
        names: &[String],
    ) -> Result<(), StoreError>;
    /// Stores an event staff entered by hand (into the outbox and the visits), in one
    /// transaction.
    fn record_manual(&mut self, event: &KioskEvent, names: &[String]) -> Result<(), StoreError>;
    /// Removes acknowledged events from the outbox; returns how many were there.
    fn settle(&mut self, event_ids: &[EventId]) -> Result<usize, StoreError>;
    /// Drops replay records whose pass can no longer verify at `now`, and visits older than
    /// [`crate::visits::KEEP_VISITS`].
    fn forget_uses(&mut self, now: Timestamp) -> Result<usize, StoreError>;
    /// Keeps `keys` as the key set.
    fn save_keys(&mut self, keys: &KeySet) -> Result<(), StoreError>;
    /// Keeps `config` as the configuration.
    fn save_config(&mut self, config: &KioskConfig) -> Result<(), StoreError>;
    /// Keeps `presence` as the presence.
    fn save_presence(&mut self, presence: &Presence) -> Result<(), StoreError>;
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    enqueued_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS used_nonces (
    nonce TEXT PRIMARY KEY,
    event_id TEXT NOT NULL,
    used_at TEXT NOT NULL,
    forget_after TEXT NOT NULL,
    answer TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS received (
    topic_kind TEXT PRIMARY KEY,
    payload TEXT NOT NULL
);
";

/// The SQLite store (`DATA_DIR/kiosk.sqlite3`).
#[derive(Debug)]
pub struct SqliteStore {
    db: Connection,
}

impl SqliteStore {
    /// Opens (creating) the store in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::DataDir {
            path: data_dir.display().to_string(),
            source,
        })?;
        Self::with_connection(Connection::open(data_dir.join("kiosk.sqlite3"))?)
    }

    /// An in-memory store, for tests.
    pub fn in_memory() -> Result<Self, StoreError> {
        Self::with_connection(Connection::open_in_memory()?)
    }

    fn with_connection(db: Connection) -> Result<Self, StoreError> {
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "FULL")?;
        db.busy_timeout(std::time::Duration::from_secs(5))?;
        db.execute_batch(SCHEMA)?;
        db.execute_batch(visits::SCHEMA)?;
        Ok(Self { db })
    }

    fn save_received(&mut self, kind: &str, payload: &str) -> Result<(), StoreError> {
        self.db.execute(
            "INSERT INTO received (topic_kind, payload) VALUES (?1, ?2)
             ON CONFLICT (topic_kind) DO UPDATE SET payload = excluded.payload",
            params![kind, payload],
        )?;
        Ok(())
    }

    fn load_received<M: shimin_sync::messages::Message>(
        &self,
        kind: &'static str,
    ) -> Result<Option<M>, StoreError> {
        let payload: Option<String> = self
            .db
            .query_row(
                "SELECT payload FROM received WHERE topic_kind = ?1",
                [kind],
                |row| row.get(0),
            )
            .optional()?;
        payload
            .map(|p| decode::<M>(p.as_bytes()))
            .transpose()
            .map_err(|e| corrupt(kind, e))
    }
}

fn corrupt(what: &'static str, detail: impl ToString) -> StoreError {
    StoreError::Corrupt {
        what,
        detail: detail.to_string(),
    }
}

fn time(text: &str, what: &'static str) -> Result<Timestamp, StoreError> {
    text.parse().map_err(|e| corrupt(what, e))
}

impl Store for SqliteStore {
    fn load(&self, now: Timestamp) -> Result<Stored, StoreError> {
        let mut stored = Stored::default();
        let mut rows = self
            .db
            .prepare("SELECT seq, payload, enqueued_at FROM outbox ORDER BY seq")?;
        let outbox = rows.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
            ))
        })?;
        for row in outbox {
            let (seq, payload, enqueued_at) = row?;
            let event: KioskEvent =
                decode(payload.as_bytes()).map_err(|e| corrupt("outbox event", e))?;
            let entry = OutboxEntry {
                event_id: event.event_id,
                payload,
                seq: u64::try_from(seq).unwrap_or_default(),
                enqueued_at: time(&enqueued_at, "outbox time")?,
                attempts: 0,
                backoff_step: 0,
                next_due: now,
                last_sent_at: None,
            };
            stored.outbox.push((entry, event));
        }
        let mut rows = self
            .db
            .prepare("SELECT nonce, event_id, used_at, forget_after, answer FROM used_nonces")?;
        let uses = rows.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
            ))
        })?;
        for row in uses {
            let (nonce, event_id, used_at, forget_after, answer) = row?;
            let nonce: PassNonce = serde_json::from_value(serde_json::Value::String(nonce))
                .map_err(|e| corrupt("nonce", e))?;
            let (kind, children) =
                serde_json::from_str(&answer).map_err(|e| corrupt("used answer", e))?;
            stored.uses.push((
                NonceUse {
                    nonce,
                    event_id: event_id.parse().map_err(|e| corrupt("event id", e))?,
                    used_at: time(&used_at, "use time")?,
                    forget_after: time(&forget_after, "forget time")?,
                },
                UsedAnswer { kind, children },
            ));
        }
        stored.keys = self.load_received("keys")?;
        stored.config = self.load_received("config")?;
        stored.presence = self.load_received("presence")?;
        stored.visits = visits::load(&self.db)?;
        Ok(stored)
    }

    fn record_scan(
        &mut self,
        event: &KioskEvent,
        used: &NonceUse,
        answer: &UsedAnswer,
        names: &[String],
    ) -> Result<(), StoreError> {
        let tx = self.db.transaction()?;
        visits::insert(&tx, event, names)?;
        tx.execute(
            "INSERT INTO outbox (event_id, payload, enqueued_at) VALUES (?1, ?2, ?3)",
            params![
                event.event_id.to_string(),
                encode(event),
                event.occurred_at.to_string()
            ],
        )?;
        let answer_json = serde_json::to_string(&(answer.kind, &answer.children))
            .map_err(|e| corrupt("used answer", e))?;
        tx.execute(
            "INSERT OR IGNORE INTO used_nonces (nonce, event_id, used_at, forget_after, answer)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                used.nonce.to_string(),
                used.event_id.to_string(),
                used.used_at.to_string(),
                used.forget_after.to_string(),
                answer_json
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn record_manual(&mut self, event: &KioskEvent, names: &[String]) -> Result<(), StoreError> {
        let tx = self.db.transaction()?;
        tx.execute(
            "INSERT INTO outbox (event_id, payload, enqueued_at) VALUES (?1, ?2, ?3)",
            params![
                event.event_id.to_string(),
                encode(event),
                event.occurred_at.to_string()
            ],
        )?;
        visits::insert(&tx, event, names)?;
        tx.commit()?;
        Ok(())
    }

    fn settle(&mut self, event_ids: &[EventId]) -> Result<usize, StoreError> {
        let tx = self.db.transaction()?;
        let mut removed = 0;
        {
            let mut delete = tx.prepare_cached("DELETE FROM outbox WHERE event_id = ?1")?;
            for id in event_ids {
                removed += delete.execute([id.to_string()])?;
            }
        }
        tx.commit()?;
        Ok(removed)
    }

    fn forget_uses(&mut self, now: Timestamp) -> Result<usize, StoreError> {
        // RFC 3339 UTC texts with the same precision would compare as text, but fractions of
        // seconds vary: compare as times.
        let rows: Vec<(String, String)> = {
            let mut select = self
                .db
                .prepare("SELECT nonce, forget_after FROM used_nonces")?;
            select
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        let tx = self.db.transaction()?;
        let mut removed = 0;
        for (nonce, forget_after) in rows {
            if time(&forget_after, "forget time")? <= now {
                removed += tx.execute("DELETE FROM used_nonces WHERE nonce = ?1", [nonce])?;
            }
        }
        visits::forget(&tx, now)?;
        tx.commit()?;
        Ok(removed)
    }

    fn save_keys(&mut self, keys: &KeySet) -> Result<(), StoreError> {
        self.save_received("keys", &encode(keys))
    }

    fn save_config(&mut self, config: &KioskConfig) -> Result<(), StoreError> {
        self.save_received("config", &encode(config))
    }

    fn save_presence(&mut self, presence: &Presence) -> Result<(), StoreError> {
        self.save_received("presence", &encode(presence))
    }
}

#[cfg(test)]
mod tests;

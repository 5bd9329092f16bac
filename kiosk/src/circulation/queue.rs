//! Offline circulation: what the counter did while the library system could not be reached,
//! kept in its own SQLite file (`synchronous=FULL`: a lending the patron walked away with
//! survives a power cut) and replayed in order once the library system answers again.
//!
//! Nothing is lost or done twice:
//! - a transaction is stored before the kiosk answers on screen;
//! - before each replay attempt its attempt count is committed; if the kiosk dies after the
//!   library system took it but before it was marked done, the next replay is refused ("item
//!   already charged"), and because it was attempted before, the kiosk asks whether it already
//!   holds (the item is on the patron's loans, or a return is no longer on loan) and marks it
//!   done instead of a conflict;
//! - a refusal on a first attempt is a conflict (the item was lent to someone else meanwhile,
//!   the card is unknown …), kept with the library system's message for the librarian;
//! - an unreachable library system stops the replay, to go on later in the same order.

use std::{
    path::Path,
    sync::{Mutex, MutexGuard},
};

use jiff::civil::{Date, DateTime};
use rusqlite::{Connection, params};

use super::{CircError, Circulation, NoBlock};

/// What was done at the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A lending.
    Lend,
    /// A renewal.
    Renew,
    /// A return.
    Return,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Lend => "lend",
            Self::Renew => "renew",
            Self::Return => "return",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [Self::Lend, Self::Renew, Self::Return]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// One transaction done offline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offline {
    /// Its place in the queue.
    pub seq: i64,
    /// What was done.
    pub kind: Kind,
    /// The patron's card (empty for a return).
    pub card: String,
    /// The item.
    pub item: String,
    /// When, by the kiosk's clock (local time).
    pub at: DateTime,
    /// The due date the kiosk gave (for a return, the return date).
    pub due: Date,
    /// Replay attempts so far.
    pub attempts: u32,
}

/// A transaction the library system refused on replay, for the librarian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    /// The transaction.
    pub offline: Offline,
    /// What the library system said.
    pub message: String,
}

/// What a replay did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Replayed {
    /// Taken by the library system.
    pub done: usize,
    /// Refused, now waiting for the librarian.
    pub conflicts: usize,
    /// Still waiting (the library system stopped answering).
    pub waiting: usize,
}

/// Garbage answers to one transaction after which it becomes a conflict instead of blocking
/// the queue.
const GARBAGE_ATTEMPTS: u32 = 3;

/// The queue's store (one connection, locked per statement, never across an await).
pub struct Queue {
    db: Mutex<Connection>,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS offline_circulation (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    kind     TEXT NOT NULL,
    card     TEXT NOT NULL,
    item     TEXT NOT NULL,
    at       TEXT NOT NULL,
    due      TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    state    TEXT NOT NULL DEFAULT 'pending',   -- pending | done | conflict
    message  TEXT NOT NULL DEFAULT ''
);";

fn corrupt(what: &str) -> rusqlite::Error {
    rusqlite::Error::InvalidColumnType(0, what.to_owned(), rusqlite::types::Type::Text)
}

impl Queue {
    /// Opens (or makes) `circulation.db` in `data_dir`.
    pub fn open(data_dir: &Path) -> rusqlite::Result<Self> {
        Self::with(Connection::open(data_dir.join("circulation.db"))?)
    }

    /// A queue in memory (tests).
    pub fn in_memory() -> rusqlite::Result<Self> {
        Self::with(Connection::open_in_memory()?)
    }

    fn with(db: Connection) -> rusqlite::Result<Self> {
        db.pragma_update(None, "journal_mode", "WAL")?;
        db.pragma_update(None, "synchronous", "FULL")?;
        db.execute_batch(SCHEMA)?;
        Ok(Self { db: Mutex::new(db) })
    }

    fn db(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held left no half-done statement: SQLite rolled it back.
        self.db
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Stores a transaction done offline; its place in the queue.
    pub fn push(
        &self,
        kind: Kind,
        card: &str,
        item: &str,
        at: DateTime,
        due: Date,
    ) -> rusqlite::Result<i64> {
        let db = self.db();
        db.execute(
            "INSERT INTO offline_circulation (kind, card, item, at, due) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![kind.as_str(), card, item, at.to_string(), due.to_string()],
        )?;
        Ok(db.last_insert_rowid())
    }

    fn select(&self, state: &str) -> rusqlite::Result<Vec<(Offline, String)>> {
        let db = self.db();
        let mut statement = db.prepare_cached(
            "SELECT seq, kind, card, item, at, due, attempts, message FROM offline_circulation \
             WHERE state = ?1 ORDER BY seq",
        )?;
        let rows = statement.query_map([state], |row| {
            let kind: String = row.get(1)?;
            let at: String = row.get(4)?;
            let due: String = row.get(5)?;
            Ok((
                Offline {
                    seq: row.get(0)?,
                    kind: Kind::parse(&kind).ok_or_else(|| corrupt("kind"))?,
                    card: row.get(2)?,
                    item: row.get(3)?,
                    at: at.parse().map_err(|_| corrupt("at"))?,
                    due: due.parse().map_err(|_| corrupt("due"))?,
                    attempts: row.get(6)?,
                },
                row.get::<_, String>(7)?,
            ))
        })?;
        rows.collect()
    }

    /// What waits to be replayed, oldest first.
    pub fn pending(&self) -> rusqlite::Result<Vec<Offline>> {
        Ok(self
            .select("pending")?
            .into_iter()
            .map(|(o, _)| o)
            .collect())
    }

    /// What the library system refused, for the librarian.
    pub fn conflicts(&self) -> rusqlite::Result<Vec<Conflict>> {
        Ok(self
            .select("conflict")?
            .into_iter()
            .map(|(offline, message)| Conflict { offline, message })
            .collect())
    }

    /// The librarian has dealt with a conflict: it leaves the list.
    pub fn resolve(&self, seq: i64) -> rusqlite::Result<bool> {
        Ok(self.db().execute(
            "UPDATE offline_circulation SET state = 'done' WHERE seq = ?1 AND state = 'conflict'",
            [seq],
        )? == 1)
    }

    fn set(&self, seq: i64, state: &str, message: &str) -> rusqlite::Result<()> {
        self.db().execute(
            "UPDATE offline_circulation SET state = ?2, message = ?3 WHERE seq = ?1",
            params![seq, state, message],
        )?;
        Ok(())
    }

    /// Replays what waits, in order, until the library system stops answering.
    pub async fn replay(&self, ils: &mut dyn Circulation) -> rusqlite::Result<Replayed> {
        let mut replayed = Replayed::default();
        let pending = self.pending()?;
        let total = pending.len();
        for mut offline in pending {
            self.db().execute(
                "UPDATE offline_circulation SET attempts = attempts + 1 WHERE seq = ?1",
                [offline.seq],
            )?;
            offline.attempts += 1;
            let no_block = Some(NoBlock {
                at: offline.at,
                due: offline.due.to_datetime(jiff::civil::Time::midnight()),
            });
            let result = match offline.kind {
                Kind::Lend => ils
                    .lend(&offline.card, &offline.item, no_block)
                    .await
                    .map(drop),
                Kind::Renew => ils
                    .renew(&offline.card, &offline.item, no_block)
                    .await
                    .map(drop),
                Kind::Return => ils.give_back(&offline.item, no_block).await.map(drop),
            };
            match result {
                Ok(()) => {
                    self.set(offline.seq, "done", "")?;
                    replayed.done += 1;
                }
                Err(CircError::Unreachable(_)) => {
                    replayed.waiting = total - replayed.done - replayed.conflicts;
                    return Ok(replayed);
                }
                Err(CircError::Refused(message)) => {
                    if offline.attempts > 1 && already_held(ils, &offline).await {
                        self.set(offline.seq, "done", "")?;
                        replayed.done += 1;
                    } else {
                        self.set(offline.seq, "conflict", &message)?;
                        replayed.conflicts += 1;
                    }
                }
                Err(CircError::Garbage(message)) if offline.attempts >= GARBAGE_ATTEMPTS => {
                    self.set(offline.seq, "conflict", &message)?;
                    replayed.conflicts += 1;
                }
                Err(CircError::Garbage(_)) => {
                    replayed.waiting = total - replayed.done - replayed.conflicts;
                    return Ok(replayed);
                }
            }
        }
        Ok(replayed)
    }
}

/// Whether a transaction refused on a later attempt had in fact been taken on an earlier one.
async fn already_held(ils: &mut dyn Circulation, offline: &Offline) -> bool {
    match offline.kind {
        // A return refused means the item is not on loan: what the return wanted.
        Kind::Return => true,
        Kind::Lend | Kind::Renew => ils
            .patron(&offline.card)
            .await
            .is_ok_and(|patron| patron.loans.contains(&offline.item)),
    }
}

//! The SQLite store.
//!
//! Concurrency design: SQLite allows one writer at a time, so the store keeps exactly one
//! write connection behind a mutex and a small pool of read-only connections (WAL mode lets
//! readers run beside the writer). Every query runs on tokio's blocking thread pool through
//! [`Db::write`] / [`Db::read`], so a slow disk never stalls the async runtime. Writes use
//! `BEGIN IMMEDIATE` transactions and `synchronous=FULL`: a commit is on disk before the
//! portal answers, so a kill -9 loses nothing that was acknowledged.

mod accounts;
mod alert_log;
mod alert_rows;
mod alerts;
mod categories;
mod centers;
mod checkin;
mod deliveries;
mod family;
mod fanout;
mod garbage;
mod health;
mod health_rows;
mod kiosks;
mod kosodate_event_rows;
mod kosodate_events;
mod library;
mod library_circulation;
mod line_links;
pub mod loadtest;
pub mod loadtest_alerts;
mod migrations;
mod outbox;
mod presence;
mod rows;
mod school_enroll;
mod school_groups;
mod school_notices;
mod schools;
mod sessions;
mod timely;

use std::{
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use super::StoreError;

/// Read connections kept open.
const READERS: usize = 4;

/// The database handle: one writer, a pool of readers.
#[derive(Clone)]
pub struct Db {
    writer: Arc<Mutex<Connection>>,
    readers: Arc<Vec<Mutex<Connection>>>,
    next_reader: Arc<AtomicUsize>,
    path: PathBuf,
}

/// The SQLite implementation of every store trait.
#[derive(Clone)]
pub struct SqliteStore {
    db: Db,
}

impl SqliteStore {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(Self {
            db: Db::open(path)?,
        })
    }

    /// The underlying handle (for backups and tests).
    pub fn db(&self) -> &Db {
        &self.db
    }
}

fn configure(conn: &Connection) -> Result<(), rusqlite::Error> {
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    Ok(())
}

impl Db {
    /// Opens the database file, switches it to WAL, applies pending migrations and opens the
    /// reader pool.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut writer = Connection::open(path)?;
        let mode: String = writer.query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Setup(format!(
                "{} cannot use WAL (journal_mode={mode})",
                path.display()
            )));
        }
        configure(&writer)?;
        migrations::apply(&mut writer)?;
        let mut readers = Vec::with_capacity(READERS);
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            configure(&reader)?;
            readers.push(Mutex::new(reader));
        }
        Ok(Self {
            writer: Arc::new(Mutex::new(writer)),
            readers: Arc::new(readers),
            next_reader: Arc::new(AtomicUsize::new(0)),
            path: path.to_owned(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction on the writer connection, on the
    /// blocking pool. The transaction commits when `work` returns `Ok`.
    pub async fn write<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Transaction<'_>) -> Result<T, StoreError> + Send + 'static,
    {
        let writer = Arc::clone(&self.writer);
        tokio::task::spawn_blocking(move || {
            let mut conn = writer
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = work(&tx)?;
            tx.commit()?;
            Ok(value)
        })
        .await?
    }

    /// Copies the write-ahead log into the database file and truncates it (as far as readers
    /// allow), after a bulk load.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        let writer = Arc::clone(&self.writer);
        tokio::task::spawn_blocking(move || {
            let conn = writer
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(())
        })
        .await?
    }

    /// Runs `work` on a reader connection, on the blocking pool.
    pub async fn read<T, F>(&self, work: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let readers = Arc::clone(&self.readers);
        let start = self.next_reader.fetch_add(1, Ordering::Relaxed);
        tokio::task::spawn_blocking(move || {
            // Take the first free reader from a rotating start; if all are busy, wait for one.
            let count = readers.len();
            let guard = (0..count)
                .find_map(|offset| readers.get((start + offset) % count)?.try_lock().ok());
            match guard {
                Some(conn) => work(&conn),
                None => {
                    let slot = readers
                        .get(start % count)
                        .ok_or_else(|| StoreError::Setup("no reader connections".into()))?;
                    let conn = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                    work(&conn)
                }
            }
        })
        .await?
    }

    /// Writes a consistent copy of the database to `target` while the portal keeps serving
    /// (SQLite's online backup API).
    pub async fn backup_to(&self, target: PathBuf) -> Result<(), StoreError> {
        let readers = Arc::clone(&self.readers);
        tokio::task::spawn_blocking(move || {
            let slot = readers
                .first()
                .ok_or_else(|| StoreError::Setup("no reader connections".into()))?;
            let conn = slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let mut dest = Connection::open(&target)?;
            let backup = rusqlite::backup::Backup::new(&conn, &mut dest)?;
            backup.run_to_completion(256, Duration::from_millis(5), None)?;
            Ok(())
        })
        .await?
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::SqliteStore;

    /// A fresh store in a temporary directory (kept alive by the returned guard).
    pub fn store() -> (SqliteStore, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("portal.db")).unwrap();
        (store, dir)
    }
}

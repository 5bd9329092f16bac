//! Reporting to the portal what the library's ILS did (PROTOCOL.md §13, `"authority": "ils"`),
//! so citizens see their loans and due dates on the portal's card page.
//!
//! [`Reporting`] wraps the ILS's [`Circulation`]: each loan, renewal and return the ILS
//! accepted (live, or replayed from the offline queue) is written to a durable outbox
//! ([`Reports`], its own SQLite file with `synchronous=FULL`) before the counter shows it;
//! [`send`] delivers the outbox in order until the portal answers each report. The portal
//! applies each report once (by its request id) and orders them by when they happened, so a
//! resend or a late report does no harm.

use std::{
    path::Path,
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use async_trait::async_trait;
use rusqlite::{Connection, params};
use shimin_sync::{
    ids::{EventId, KioskId},
    messages::{self, Authority, CircOp, CircRequest},
};
use tokio::sync::Notify;

use super::{
    CircError, Circulation, Lent, NoBlock, Patron, Returned,
    portal::{PortalLink, new_request},
};

/// The durable outbox of reports.
pub struct Reports {
    conn: Mutex<Connection>,
}

impl Reports {
    /// Opens (or creates) `DATA/circulation-reports.db`.
    pub fn open(data_dir: &Path) -> rusqlite::Result<Self> {
        Self::with(Connection::open(data_dir.join("circulation-reports.db"))?)
    }

    /// An outbox in memory (tests).
    pub fn in_memory() -> rusqlite::Result<Self> {
        Self::with(Connection::open_in_memory()?)
    }

    fn with(conn: Connection) -> rusqlite::Result<Self> {
        conn.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
             CREATE TABLE IF NOT EXISTS reports (
                 seq        INTEGER PRIMARY KEY AUTOINCREMENT,
                 request_id TEXT NOT NULL UNIQUE,
                 request    TEXT NOT NULL
             );",
        )?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic elsewhere cannot leave a SQLite connection half-changed: recover it.
        self.conn
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Keeps `report` until the portal answers it.
    pub fn push(&self, report: &CircRequest) -> rusqlite::Result<()> {
        self.conn().execute(
            "INSERT OR IGNORE INTO reports (request_id, request) VALUES (?1, ?2)",
            params![report.request_id.to_string(), messages::encode(report)],
        )?;
        Ok(())
    }

    /// The reports waiting, oldest first.
    pub fn pending(&self) -> rusqlite::Result<Vec<CircRequest>> {
        let conn = self.conn();
        let mut statement = conn.prepare_cached("SELECT request FROM reports ORDER BY seq")?;
        let texts = statement
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(texts
            .into_iter()
            .filter_map(|text| match messages::decode(text.as_bytes()) {
                Ok(report) => Some(report),
                Err(error) => {
                    tracing::error!(%error, "an unreadable report in the outbox");
                    None
                }
            })
            .collect())
    }

    /// Forgets a report the portal answered.
    pub fn settle(&self, request_id: &EventId) -> rusqlite::Result<()> {
        self.conn().execute(
            "DELETE FROM reports WHERE request_id = ?1",
            [request_id.to_string()],
        )?;
        Ok(())
    }
}

/// The ILS's [`Circulation`], reporting what it accepted to the portal.
pub struct Reporting {
    ils: Box<dyn Circulation>,
    reports: Arc<Reports>,
    kiosk_id: KioskId,
    wake: Arc<Notify>,
}

impl Reporting {
    /// Wraps `ils`; `wake` is notified after each new report.
    pub fn new(
        ils: Box<dyn Circulation>,
        reports: Arc<Reports>,
        kiosk_id: KioskId,
        wake: Arc<Notify>,
    ) -> Self {
        Self {
            ils,
            reports,
            kiosk_id,
            wake,
        }
    }

    fn report(
        &self,
        op: CircOp,
        card: Option<&str>,
        item: &str,
        title: &str,
        lent: Option<&Lent>,
        offline: Option<NoBlock>,
    ) {
        let mut report = new_request(
            &self.kiosk_id,
            op,
            Authority::Ils,
            card,
            Some(item),
            offline,
        );
        report.title =
            (!title.is_empty()).then(|| title.chars().take(messages::MAX_TITLE).collect());
        report.due = lent.and_then(|lent| lent.due);
        match self.reports.push(&report) {
            Ok(()) => self.wake.notify_one(),
            // The loan itself is done at the ILS; only the citizen's view of it is missed.
            Err(error) => tracing::error!(%error, item, "cannot keep the report for the portal"),
        }
    }
}

#[async_trait]
impl Circulation for Reporting {
    async fn patron(&mut self, card: &str) -> Result<Patron, CircError> {
        self.ils.patron(card).await
    }

    async fn lend(
        &mut self,
        card: &str,
        item: &str,
        offline: Option<NoBlock>,
    ) -> Result<Lent, CircError> {
        let lent = self.ils.lend(card, item, offline).await?;
        self.report(
            CircOp::Checkout,
            Some(card),
            item,
            &lent.title,
            Some(&lent),
            offline,
        );
        Ok(lent)
    }

    async fn renew(
        &mut self,
        card: &str,
        item: &str,
        offline: Option<NoBlock>,
    ) -> Result<Lent, CircError> {
        let lent = self.ils.renew(card, item, offline).await?;
        self.report(
            CircOp::Renew,
            Some(card),
            item,
            &lent.title,
            Some(&lent),
            offline,
        );
        Ok(lent)
    }

    async fn give_back(
        &mut self,
        item: &str,
        offline: Option<NoBlock>,
    ) -> Result<Returned, CircError> {
        let returned = self.ils.give_back(item, offline).await?;
        self.report(CircOp::Checkin, None, item, &returned.title, None, offline);
        Ok(returned)
    }
}

/// Sends the outbox to the portal, oldest first, forever: after each new report (`wake`) and
/// every `every` while reports wait. A report leaves the outbox once the portal answers it.
pub async fn send(reports: Arc<Reports>, link: PortalLink, wake: Arc<Notify>, every: Duration) {
    loop {
        match reports.pending() {
            Ok(pending) => {
                for report in pending {
                    match link.ask(&report).await {
                        Ok(answer) => {
                            if let Some(reason) = answer.refused {
                                tracing::warn!(?reason, detail = ?answer.detail, "the portal refused a report");
                            }
                            if let Err(error) = reports.settle(&report.request_id) {
                                tracing::error!(%error, "cannot settle a report");
                            }
                        }
                        Err(error) => {
                            tracing::debug!(%error, "reports wait for the portal");
                            break;
                        }
                    }
                }
            }
            Err(error) => tracing::error!(%error, "cannot read the reports outbox"),
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(every) => {}
        }
    }
}

#[cfg(test)]
#[path = "reports_tests.rs"]
mod tests;

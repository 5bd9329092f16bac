//! Embedded, append-only schema migrations. Each applied migration's text is recorded with its
//! SHA-256; if a released migration is ever edited, the portal refuses to start instead of
//! running on a schema that differs from what the code expects.

use rusqlite::{Connection, params};
use sha2::{Digest, Sha256};

use crate::store::StoreError;

/// The migrations, in order. Never edit or reorder one that has been released: append.
pub const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("migrations/0001_accounts.sql")),
    (2, include_str!("migrations/0002_family.sql")),
    (3, include_str!("migrations/0003_centers.sql")),
    (4, include_str!("migrations/0004_mail_claims.sql")),
    (5, include_str!("migrations/0005_checkin.sql")),
    (6, include_str!("migrations/0006_categories.sql")),
    (7, include_str!("migrations/0007_announcements.sql")),
    (8, include_str!("migrations/0008_notifications.sql")),
    (9, include_str!("migrations/0009_schools.sql")),
    (10, include_str!("migrations/0010_attachments.sql")),
    (11, include_str!("migrations/0011_library.sql")),
    (12, include_str!("migrations/0012_library_circulation.sql")),
    (13, include_str!("migrations/0013_garbage.sql")),
    (14, include_str!("migrations/0014_alerts.sql")),
    (15, include_str!("migrations/0015_alerts_sent.sql")),
    (16, include_str!("migrations/0016_alerts_flow.sql")),
    (17, include_str!("migrations/0017_health.sql")),
    (18, include_str!("migrations/0018_timely.sql")),
    (19, include_str!("migrations/0019_events.sql")),
];

/// Applies every migration not yet applied, each in its own transaction.
pub fn apply(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY,
             sha256     TEXT NOT NULL,
             applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now'))
         );",
    )?;
    for (version, sql) in MIGRATIONS {
        let digest = hex::encode(Sha256::digest(sql.as_bytes()));
        let recorded: Option<String> = conn
            .query_row(
                "SELECT sha256 FROM schema_migrations WHERE version = ?1",
                [version],
                |row| row.get(0),
            )
            .map(Some)
            .or_else(|error| match error {
                rusqlite::Error::QueryReturnedNoRows => Ok(None),
                other => Err(other),
            })?;
        match recorded {
            Some(existing) if existing == digest => {}
            Some(_) => {
                return Err(StoreError::Setup(format!(
                    "migration {version} differs from the one applied to this database; \
                     migrations are append-only"
                )));
            }
            None => {
                let tx = conn.transaction()?;
                tx.execute_batch(sql)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, sha256) VALUES (?1, ?2)",
                    params![version, digest],
                )?;
                tx.commit()?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_from_one() {
        for (index, (version, _)) in MIGRATIONS.iter().enumerate() {
            assert_eq!(*version as usize, index + 1);
        }
    }

    #[test]
    fn applying_twice_is_a_no_op_and_an_edited_migration_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        apply(&mut conn).unwrap();
        apply(&mut conn).unwrap();
        let count: i64 = conn
            .query_row("SELECT count(*) FROM schema_migrations", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(count as usize, MIGRATIONS.len());
        conn.execute(
            "UPDATE schema_migrations SET sha256 = 'edited' WHERE version = 1",
            [],
        )
        .unwrap();
        assert!(matches!(apply(&mut conn), Err(StoreError::Setup(_))));
    }
}

//! [`CenterStore`] on SQLite.

use async_trait::async_trait;
use jiff::{Timestamp, civil::Time};
use rusqlite::params;
use shimin_sync::ids::CenterId;

use super::rows::corrupt;
use super::{
    SqliteStore,
    rows::{ACCOUNT_COLUMNS, credentials_from_row},
};
use crate::{
    domain::{AccountId, centers::ValidCenter},
    store::{Account, Center, CenterStore, StoreError},
};

#[async_trait]
impl CenterStore for SqliteStore {
    async fn centers(&self) -> Result<Vec<Center>, StoreError> {
        self.db
            .read(|conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT center_id, name, address, capacity, opens, closes FROM centers \
                     ORDER BY center_id",
                )?;
                let rows = statement.query_map([], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, u32>(3)?,
                        row.get::<_, String>(4)?,
                        row.get::<_, String>(5)?,
                    ))
                })?;
                let mut centers = Vec::new();
                for row in rows {
                    let (id, name, address, capacity, opens, closes) = row?;
                    centers.push(Center {
                        details: ValidCenter {
                            center_id: CenterId::new(id.clone())
                                .map_err(|_| corrupt("center id", &id))?,
                            name,
                            address,
                            capacity,
                            opens: opens
                                .parse::<Time>()
                                .map_err(|_| corrupt("opens", &opens))?,
                            closes: closes
                                .parse::<Time>()
                                .map_err(|_| corrupt("closes", &closes))?,
                        },
                    });
                }
                Ok(centers)
            })
            .await
    }

    async fn create_center(&self, center: ValidCenter, now: Timestamp) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                let inserted = tx.execute(
                    "INSERT INTO centers (center_id, name, address, capacity, opens, closes, \
                     created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7) \
                     ON CONFLICT (center_id) DO NOTHING",
                    params![
                        center.center_id.as_str(),
                        center.name,
                        center.address,
                        center.capacity,
                        center.opens.to_string(),
                        center.closes.to_string(),
                        now.to_string(),
                    ],
                )?;
                Ok(inserted == 1)
            })
            .await
    }

    async fn update_center(&self, center: ValidCenter, now: Timestamp) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                let changed = tx.execute(
                    "UPDATE centers SET name = ?2, address = ?3, capacity = ?4, opens = ?5, \
                     closes = ?6, updated_at = ?7 WHERE center_id = ?1",
                    params![
                        center.center_id.as_str(),
                        center.name,
                        center.address,
                        center.capacity,
                        center.opens.to_string(),
                        center.closes.to_string(),
                        now.to_string(),
                    ],
                )?;
                Ok(changed == 1)
            })
            .await
    }

    async fn set_center_staff(
        &self,
        center_id: &CenterId,
        account_id: AccountId,
        assigned: bool,
    ) -> Result<(), StoreError> {
        let center_id = center_id.as_str().to_owned();
        self.db
            .write(move |tx| {
                if assigned {
                    tx.execute(
                        "INSERT INTO center_staff (center_id, account_id) VALUES (?1, ?2) \
                         ON CONFLICT DO NOTHING",
                        params![center_id, account_id.to_string()],
                    )?;
                } else {
                    tx.execute(
                        "DELETE FROM center_staff WHERE center_id = ?1 AND account_id = ?2",
                        params![center_id, account_id.to_string()],
                    )?;
                }
                Ok(())
            })
            .await
    }

    async fn center_staff(&self, center_id: &CenterId) -> Result<Vec<Account>, StoreError> {
        let center_id = center_id.as_str().to_owned();
        self.db
            .read(move |conn| {
                let sql = format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM center_staff s \
                     JOIN accounts a ON a.account_id = s.account_id \
                     WHERE s.center_id = ?1 ORDER BY a.family_name, a.given_name"
                );
                let mut statement = conn.prepare_cached(&sql)?;
                let rows = statement.query_map([center_id], |row| Ok(credentials_from_row(row)))?;
                let mut staff = Vec::new();
                for row in rows {
                    staff.push(row??.account);
                }
                Ok(staff)
            })
            .await
    }
}

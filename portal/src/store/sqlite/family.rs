//! [`FamilyStore`] on SQLite.

use async_trait::async_trait;
use jiff::{Timestamp, civil::Date};
use rusqlite::{OptionalExtension, params};
use shimin_sync::ids::ChildNo;

use super::SqliteStore;
use super::rows::corrupt;
use crate::{
    domain::{
        AccountId, ChildId,
        family::{Relationship, Sex, ValidChild},
    },
    store::{Child, FamilyStore, StoreError},
};

#[async_trait]
impl FamilyStore for SqliteStore {
    async fn children(&self, account_id: AccountId) -> Result<Vec<Child>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT child_id, family_name, given_name, sex, birth_date, relationship, \
                     child_no FROM children WHERE account_id = ?1 ORDER BY birth_date, child_id",
                )?;
                let rows = statement.query_map([account_id.to_string()], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                        row.get::<_, String>(3)?,
                        row.get::<_, String>(4)?,
                        row.get::<_, String>(5)?,
                        row.get::<_, i64>(6)?,
                    ))
                })?;
                let mut children = Vec::new();
                for row in rows {
                    let (
                        child_id,
                        family_name,
                        given_name,
                        sex,
                        birth_date,
                        relationship,
                        child_no,
                    ) = row?;
                    children.push(Child {
                        child_no: u16::try_from(child_no)
                            .ok()
                            .and_then(|n| ChildNo::new(n).ok())
                            .ok_or_else(|| corrupt("child number", &child_no.to_string()))?,
                        child_id: child_id
                            .parse()
                            .map_err(|_| corrupt("child id", &child_id))?,
                        details: ValidChild {
                            family_name,
                            given_name,
                            sex: sex.parse::<Sex>().map_err(|()| corrupt("sex", &sex))?,
                            birth_date: birth_date
                                .parse::<Date>()
                                .map_err(|_| corrupt("birth date", &birth_date))?,
                            relationship: relationship
                                .parse::<Relationship>()
                                .map_err(|()| corrupt("relationship", &relationship))?,
                        },
                    });
                }
                Ok(children)
            })
            .await
    }

    async fn add_child(
        &self,
        account_id: AccountId,
        child: ValidChild,
        now: Timestamp,
    ) -> Result<ChildId, StoreError> {
        let child_id = ChildId::new();
        self.db
            .write(move |tx| {
                // Numbers are never reused in an account: a pass issued before a child was
                // removed must not name the next child registered.
                let child_no: i64 = tx.query_row(
                    "INSERT INTO child_numbers (account_id, last_no) VALUES (?1, 1) \
                     ON CONFLICT (account_id) DO UPDATE SET last_no = last_no + 1 \
                     RETURNING last_no",
                    [account_id.to_string()],
                    |row| row.get(0),
                )?;
                if child_no > i64::from(u16::MAX) {
                    return Err(StoreError::Corrupt(format!(
                        "account {account_id} has used every child number"
                    )));
                }
                tx.execute(
                    "INSERT INTO children (child_id, account_id, family_name, given_name, sex, \
                     birth_date, relationship, created_at, updated_at, child_no) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
                    params![
                        child_id.to_string(),
                        account_id.to_string(),
                        child.family_name,
                        child.given_name,
                        child.sex.as_str(),
                        child.birth_date.to_string(),
                        child.relationship.as_str(),
                        now.to_string(),
                        child_no,
                    ],
                )?;
                Ok(child_id)
            })
            .await
    }

    async fn update_child(
        &self,
        account_id: AccountId,
        child_id: ChildId,
        child: ValidChild,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                let changed = tx.execute(
                    "UPDATE children SET family_name = ?3, given_name = ?4, sex = ?5, \
                     birth_date = ?6, relationship = ?7, updated_at = ?8 \
                     WHERE child_id = ?1 AND account_id = ?2",
                    params![
                        child_id.to_string(),
                        account_id.to_string(),
                        child.family_name,
                        child.given_name,
                        child.sex.as_str(),
                        child.birth_date.to_string(),
                        child.relationship.as_str(),
                        now.to_string(),
                    ],
                )?;
                Ok(changed == 1)
            })
            .await
    }

    async fn delete_child(
        &self,
        account_id: AccountId,
        child_id: ChildId,
    ) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                let deleted = tx.execute(
                    "DELETE FROM children WHERE child_id = ?1 AND account_id = ?2",
                    params![child_id.to_string(), account_id.to_string()],
                )?;
                Ok(deleted == 1)
            })
            .await
    }

    async fn due_date(&self, account_id: AccountId) -> Result<Option<Date>, StoreError> {
        let stored = self
            .db
            .read(move |conn| {
                Ok(conn
                    .query_row(
                        "SELECT due_date FROM due_dates WHERE account_id = ?1",
                        [account_id.to_string()],
                        |row| row.get::<_, String>(0),
                    )
                    .optional()?)
            })
            .await?;
        stored
            .map(|text| text.parse::<Date>().map_err(|_| corrupt("due date", &text)))
            .transpose()
    }

    async fn set_due_date(
        &self,
        account_id: AccountId,
        due_date: Option<Date>,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                match due_date {
                    Some(date) => tx.execute(
                        "INSERT INTO due_dates (account_id, due_date, updated_at) VALUES (?1, ?2, ?3) \
                         ON CONFLICT (account_id) DO UPDATE SET due_date = ?2, updated_at = ?3",
                        params![account_id.to_string(), date.to_string(), now.to_string()],
                    )?,
                    None => tx.execute("DELETE FROM due_dates WHERE account_id = ?1", [account_id.to_string()])?,
                };
                Ok(())
            })
            .await
    }
}

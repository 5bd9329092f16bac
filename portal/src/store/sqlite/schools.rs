//! [`SchoolStore`] on SQLite.

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, params};
use uuid::Uuid;

use super::{
    SqliteStore,
    presence::sortable,
    rows::{ACCOUNT_COLUMNS, corrupt, credentials_from_row, ts},
};
use crate::{
    domain::{
        AccountId,
        schools::{GroupKind, SchoolKind},
    },
    store::{
        Account, EnrollOutcome, Enrollment, Group, NewEnrollment, School, SchoolStore, StoreError,
    },
};

/// The school columns, in the order [`school_from`] reads them from `offset`.
pub(super) const SCHOOL_COLUMNS: &str = "s.school_code, s.name, s.kind";

/// Reads a school from three columns starting at `offset`.
pub(super) fn school_from(row: &Row<'_>, offset: usize) -> Result<School, StoreError> {
    let kind: String = row.get(offset + 2)?;
    Ok(School {
        code: row.get(offset)?,
        name: row.get(offset + 1)?,
        kind: SchoolKind::parse(&kind).ok_or_else(|| corrupt("school kind", &kind))?,
    })
}

pub(super) fn uuid(text: &str) -> Result<Uuid, StoreError> {
    text.parse().map_err(|_| corrupt("uuid", text))
}

/// The schools a query of [`SCHOOL_COLUMNS`] yields.
fn schools_where(
    conn: &rusqlite::Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<School>, StoreError> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement.query_map(params, |row| Ok(school_from(row, 0)))?;
    let mut schools = Vec::new();
    for row in rows {
        schools.push(row??);
    }
    Ok(schools)
}

#[async_trait]
impl SchoolStore for SqliteStore {
    async fn schools(&self) -> Result<Vec<School>, StoreError> {
        self.db
            .read(|conn| {
                let sql = format!("SELECT {SCHOOL_COLUMNS} FROM schools s ORDER BY s.school_code");
                schools_where(conn, &sql, [])
            })
            .await
    }

    async fn schools_of(&self, account_id: AccountId) -> Result<Vec<School>, StoreError> {
        self.db
            .read(move |conn| {
                let sql = format!(
                    "SELECT {SCHOOL_COLUMNS} FROM school_staff t \
                     JOIN schools s ON s.school_code = t.school_code \
                     WHERE t.account_id = ?1 ORDER BY s.school_code"
                );
                schools_where(conn, &sql, [account_id.to_string()])
            })
            .await
    }

    async fn school(&self, code: &str) -> Result<Option<School>, StoreError> {
        let code = code.to_owned();
        self.db
            .read(move |conn| {
                let sql =
                    format!("SELECT {SCHOOL_COLUMNS} FROM schools s WHERE s.school_code = ?1");
                Ok(schools_where(conn, &sql, [&code])?.into_iter().next())
            })
            .await
    }

    async fn create_school(&self, school: School, now: Timestamp) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                let inserted = tx.execute(
                    "INSERT INTO schools (school_code, name, kind, created_at) \
                     VALUES (?1, ?2, ?3, ?4) ON CONFLICT (school_code) DO NOTHING",
                    params![
                        school.code,
                        school.name,
                        school.kind.as_str(),
                        sortable(now)
                    ],
                )?;
                if inserted == 0 {
                    return Ok(false);
                }
                let mut group = tx.prepare_cached(
                    "INSERT INTO school_groups (group_id, school_code, kind, grade, name, \
                     created_at) VALUES (?1, ?2, ?3, ?4, '', ?5)",
                )?;
                group.execute(params![
                    Uuid::now_v7().to_string(),
                    school.code,
                    "whole",
                    0,
                    sortable(now)
                ])?;
                for grade in school.kind.grades() {
                    group.execute(params![
                        Uuid::now_v7().to_string(),
                        school.code,
                        "grade",
                        grade,
                        sortable(now)
                    ])?;
                }
                Ok(true)
            })
            .await
    }

    async fn school_staff(&self, code: &str) -> Result<Vec<Account>, StoreError> {
        let code = code.to_owned();
        self.db
            .read(move |conn| {
                let sql = format!(
                    "SELECT {ACCOUNT_COLUMNS} FROM school_staff s \
                     JOIN accounts a ON a.account_id = s.account_id \
                     WHERE s.school_code = ?1 ORDER BY a.family_name, a.given_name"
                );
                let mut statement = conn.prepare_cached(&sql)?;
                let rows = statement.query_map([code], |row| Ok(credentials_from_row(row)))?;
                let mut staff = Vec::new();
                for row in rows {
                    staff.push(row??.account);
                }
                Ok(staff)
            })
            .await
    }

    async fn set_school_staff(
        &self,
        code: &str,
        account_id: AccountId,
        member: bool,
    ) -> Result<(), StoreError> {
        let code = code.to_owned();
        self.db
            .write(move |tx| {
                let sql = if member {
                    "INSERT INTO school_staff (school_code, account_id) VALUES (?1, ?2) \
                     ON CONFLICT DO NOTHING"
                } else {
                    "DELETE FROM school_staff WHERE school_code = ?1 AND account_id = ?2"
                };
                tx.execute(sql, params![code, account_id.to_string()])?;
                Ok(())
            })
            .await
    }

    async fn groups(&self, code: &str) -> Result<Vec<Group>, StoreError> {
        let code = code.to_owned();
        self.db
            .read(move |conn| super::school_groups::groups(conn, &code))
            .await
    }

    async fn add_group(
        &self,
        code: &str,
        group_id: Uuid,
        kind: GroupKind,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let code = code.to_owned();
        self.db
            .write(move |tx| {
                let (kind, grade, name) = super::school_groups::group_columns(&kind);
                let inserted = tx.execute(
                    "INSERT INTO school_groups (group_id, school_code, kind, grade, name, \
                     created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
                    params![group_id.to_string(), code, kind, grade, name, sortable(now)],
                )?;
                Ok(inserted == 1)
            })
            .await
    }

    async fn delete_group(&self, code: &str, group_id: Uuid) -> Result<bool, StoreError> {
        let code = code.to_owned();
        self.db
            .write(move |tx| {
                let deleted = tx.execute(
                    "DELETE FROM school_groups WHERE group_id = ?1 AND school_code = ?2 \
                     AND kind IN ('class', 'other')",
                    params![group_id.to_string(), code],
                )?;
                Ok(deleted == 1)
            })
            .await
    }

    async fn code_failures(
        &self,
        account_id: AccountId,
        since: Timestamp,
    ) -> Result<Vec<Timestamp>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT failed_at FROM school_code_failures \
                     WHERE account_id = ?1 AND failed_at > ?2",
                )?;
                let rows = statement
                    .query_map(params![account_id.to_string(), sortable(since)], |row| {
                        row.get::<_, String>(0)
                    })?;
                let mut times = Vec::new();
                for row in rows {
                    times.push(ts(&row?)?);
                }
                Ok(times)
            })
            .await
    }

    async fn record_code_failure(
        &self,
        account_id: AccountId,
        now: Timestamp,
        forget_before: Timestamp,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "DELETE FROM school_code_failures WHERE account_id = ?1 AND failed_at < ?2",
                    params![account_id.to_string(), sortable(forget_before)],
                )?;
                tx.execute(
                    "INSERT INTO school_code_failures (account_id, failed_at) VALUES (?1, ?2)",
                    params![account_id.to_string(), sortable(now)],
                )?;
                Ok(())
            })
            .await
    }

    async fn enroll(
        &self,
        enrollment: NewEnrollment,
        now: Timestamp,
    ) -> Result<EnrollOutcome, StoreError> {
        self.db
            .write(move |tx| super::school_enroll::enroll(tx, &enrollment, now))
            .await
    }

    async fn enrollments(&self, account_id: AccountId) -> Result<Vec<Enrollment>, StoreError> {
        self.db
            .read(move |conn| super::school_enroll::enrollments(conn, account_id))
            .await
    }

    async fn remove_enrollment(
        &self,
        account_id: AccountId,
        enrollment_id: Uuid,
    ) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                let deleted = tx.execute(
                    "DELETE FROM enrollments WHERE enrollment_id = ?1 AND child_id IN \
                     (SELECT child_id FROM children WHERE account_id = ?2)",
                    params![enrollment_id.to_string(), account_id.to_string()],
                )?;
                Ok(deleted == 1)
            })
            .await
    }
}

/// Whether a row exists for a query with these parameters.
pub(super) fn exists(
    tx: &rusqlite::Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<bool, StoreError> {
    Ok(tx
        .prepare_cached(sql)?
        .query_row(params, |_| Ok(()))
        .optional()?
        .is_some())
}

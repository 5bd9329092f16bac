//! [`SchoolNoticeStore`] on SQLite. Posting a notice chooses its recipients in the same
//! transaction: the guardians of the children in its groups at that moment.

use std::collections::BTreeMap;

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, Transaction, params};
use uuid::Uuid;

use super::{
    SqliteStore,
    presence::sortable,
    rows::{corrupt, ts},
    schools::school_from,
};
use crate::{
    domain::{AccountId, school_notices::NoticeKind, schools::SchoolKind},
    store::{NewNotice, NoticeSummary, Receipt, SchoolNotice, SchoolNoticeStore, StoreError},
};

/// The notice columns (with its school's), in the order [`notice_from`] reads them.
const NOTICE_COLUMNS: &str = "n.notice_id, s.school_code, s.name, s.kind, n.kind, n.urgent, \
     n.title, n.body, n.groups, n.posted_at";

/// How many columns [`NOTICE_COLUMNS`] has.
const NOTICE_COLUMN_COUNT: usize = 10;

/// The read counts of a notice `n`, after [`NOTICE_COLUMNS`].
const COUNTS: &str = "(SELECT count(*) FROM school_notice_recipients r \
      WHERE r.notice_id = n.notice_id), \
     (SELECT count(r.read_at) FROM school_notice_recipients r WHERE r.notice_id = n.notice_id)";

fn notice_from(row: &Row<'_>) -> Result<SchoolNotice, StoreError> {
    let id: String = row.get(0)?;
    let kind: String = row.get(4)?;
    let posted_at: String = row.get(9)?;
    Ok(SchoolNotice {
        notice_id: id.parse().map_err(|_| corrupt("notice id", &id))?,
        school: school_from(row, 1)?,
        kind: NoticeKind::parse(&kind).ok_or_else(|| corrupt("notice kind", &kind))?,
        urgent: row.get(5)?,
        title: row.get(6)?,
        body: row.get(7)?,
        groups: row.get(8)?,
        posted_at: ts(&posted_at)?,
    })
}

fn summary_from(row: &Row<'_>) -> Result<NoticeSummary, StoreError> {
    Ok(NoticeSummary {
        notice: notice_from(row)?,
        recipients: row.get(NOTICE_COLUMN_COUNT)?,
        read: row.get(NOTICE_COLUMN_COUNT + 1)?,
    })
}

fn summaries(
    conn: &Connection,
    condition: &str,
    param: &str,
    limit: u32,
) -> Result<Vec<NoticeSummary>, StoreError> {
    let sql = format!(
        "SELECT {NOTICE_COLUMNS}, {COUNTS} FROM school_notices n \
         JOIN schools s ON s.school_code = n.school_code \
         WHERE {condition} ORDER BY n.posted_at DESC, n.notice_id DESC LIMIT ?2"
    );
    let mut statement = conn.prepare_cached(&sql)?;
    let rows = statement.query_map(params![param, limit], |row| Ok(summary_from(row)))?;
    let mut found = Vec::new();
    for row in rows {
        found.push(row??);
    }
    Ok(found)
}

/// The guardians of the children in the notice's groups, each with the children it concerns
/// ("山田 太郎（3年1組）"), by account.
fn recipients(
    tx: &Transaction<'_>,
    notice: &NewNotice,
    kind: SchoolKind,
) -> Result<BTreeMap<String, Vec<String>>, StoreError> {
    let groups: Vec<String> = notice.notice.groups.iter().map(Uuid::to_string).collect();
    let groups =
        serde_json::to_string(&groups).map_err(|error| StoreError::Corrupt(error.to_string()))?;
    let mut statement = tx.prepare_cached(
        "WITH chosen AS (SELECT value AS group_id FROM json_each(?2)), \
         members AS ( \
           SELECT e.enrollment_id FROM enrollments e \
           JOIN school_groups g ON g.school_code = e.school_code \
           JOIN chosen c ON c.group_id = g.group_id \
           WHERE g.kind = 'whole' OR (g.kind = 'grade' AND e.grade = g.grade) \
              OR (g.kind = 'class' AND e.class_group_id = g.group_id) \
           UNION \
           SELECT m.enrollment_id FROM enrollment_groups m JOIN chosen c ON c.group_id = m.group_id) \
         SELECT ch.account_id, ch.family_name || ' ' || ch.given_name, e.grade, cg.name \
         FROM members mb JOIN enrollments e ON e.enrollment_id = mb.enrollment_id \
         JOIN children ch ON ch.child_id = e.child_id \
         JOIN accounts a ON a.account_id = ch.account_id AND a.status = 'active' \
         LEFT JOIN school_groups cg ON cg.group_id = e.class_group_id \
         WHERE e.school_code = ?1 ORDER BY ch.birth_date",
    )?;
    let rows = statement.query_map(params![notice.school_code, groups], |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, u8>(2)?,
            row.get::<_, Option<String>>(3)?,
        ))
    })?;
    let mut by_account: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows {
        let (account, child, grade, class) = row?;
        let place = format!("{}{}", kind.grade_name(grade), class.unwrap_or_default());
        by_account
            .entry(account)
            .or_default()
            .push(format!("{child}（{place}）"));
    }
    Ok(by_account)
}

fn post(
    tx: &Transaction<'_>,
    notice: &NewNotice,
    now: Timestamp,
) -> Result<Option<u64>, StoreError> {
    let kind: Option<String> = tx
        .query_row(
            "SELECT kind FROM schools WHERE school_code = ?1",
            [&notice.school_code],
            |row| row.get(0),
        )
        .optional()?;
    let Some(kind) = kind else {
        return Ok(None);
    };
    let kind = SchoolKind::parse(&kind).ok_or_else(|| corrupt("school kind", &kind))?;
    let recipients = recipients(tx, notice, kind)?;
    if recipients.is_empty() {
        return Ok(None);
    }
    let id = notice.notice_id.to_string();
    tx.execute(
        "INSERT INTO school_notices (notice_id, school_code, kind, urgent, title, body, groups, \
         posted_by, posted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            notice.school_code,
            notice.notice.kind.as_str(),
            notice.notice.urgent,
            notice.notice.title,
            notice.notice.body,
            notice.group_names,
            notice.posted_by.to_string(),
            sortable(now)
        ],
    )?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO school_notice_recipients (notice_id, account_id, children) \
         VALUES (?1, ?2, ?3)",
    )?;
    for (account, children) in &recipients {
        insert.execute(params![id, account, children.join("、")])?;
    }
    Ok(Some(recipients.len() as u64))
}

#[async_trait]
impl SchoolNoticeStore for SqliteStore {
    async fn post_notice(
        &self,
        notice: NewNotice,
        now: Timestamp,
    ) -> Result<Option<u64>, StoreError> {
        self.db.write(move |tx| post(tx, &notice, now)).await
    }

    async fn undelivered_notices(&self, limit: u32) -> Result<Vec<SchoolNotice>, StoreError> {
        self.db
            .read(move |conn| {
                let sql = format!(
                    "SELECT {NOTICE_COLUMNS} FROM school_notices n \
                     JOIN schools s ON s.school_code = n.school_code \
                     WHERE n.delivered_at IS NULL ORDER BY n.posted_at LIMIT ?1"
                );
                let mut statement = conn.prepare_cached(&sql)?;
                let rows = statement.query_map([limit], |row| Ok(notice_from(row)))?;
                let mut found = Vec::new();
                for row in rows {
                    found.push(row??);
                }
                Ok(found)
            })
            .await
    }

    async fn school_notices(
        &self,
        code: &str,
        limit: u32,
    ) -> Result<Vec<NoticeSummary>, StoreError> {
        let code = code.to_owned();
        self.db
            .read(move |conn| summaries(conn, "n.school_code = ?1", &code, limit))
            .await
    }

    async fn notice(&self, notice_id: Uuid) -> Result<Option<NoticeSummary>, StoreError> {
        self.db
            .read(move |conn| {
                Ok(
                    summaries(conn, "n.notice_id = ?1", &notice_id.to_string(), 1)?
                        .into_iter()
                        .next(),
                )
            })
            .await
    }

    async fn receipts(&self, notice_id: Uuid) -> Result<Vec<Receipt>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT a.family_name || ' ' || a.given_name, r.children, r.read_at \
                     FROM school_notice_recipients r JOIN accounts a ON a.account_id = r.account_id \
                     WHERE r.notice_id = ?1 ORDER BY r.read_at IS NOT NULL, r.children",
                )?;
                let rows = statement.query_map([notice_id.to_string()], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, Option<String>>(2)?,
                    ))
                })?;
                let mut receipts = Vec::new();
                for row in rows {
                    let (guardian, children, read_at) = row?;
                    receipts.push(Receipt {
                        guardian,
                        children,
                        read_at: read_at.as_deref().map(ts).transpose()?,
                    });
                }
                Ok(receipts)
            })
            .await
    }

    async fn notices_for(
        &self,
        account_id: AccountId,
        limit: u32,
    ) -> Result<Vec<(SchoolNotice, Option<Timestamp>)>, StoreError> {
        self.db
            .read(move |conn| {
                let sql = format!(
                    "SELECT {NOTICE_COLUMNS}, r.read_at FROM school_notice_recipients r \
                     JOIN school_notices n ON n.notice_id = r.notice_id \
                     JOIN schools s ON s.school_code = n.school_code \
                     WHERE r.account_id = ?1 ORDER BY n.posted_at DESC LIMIT ?2"
                );
                let mut statement = conn.prepare_cached(&sql)?;
                let rows = statement.query_map(params![account_id.to_string(), limit], |row| {
                    let read_at: Option<String> = row.get(NOTICE_COLUMN_COUNT)?;
                    Ok(notice_from(row)
                        .and_then(|notice| Ok((notice, read_at.as_deref().map(ts).transpose()?))))
                })?;
                let mut found = Vec::new();
                for row in rows {
                    found.push(row??);
                }
                Ok(found)
            })
            .await
    }

    async fn mark_read(
        &self,
        notice_id: Uuid,
        account_id: AccountId,
        now: Timestamp,
    ) -> Result<Option<Timestamp>, StoreError> {
        self.db
            .write(move |tx| {
                let read_at: Option<String> = tx
                    .query_row(
                        "UPDATE school_notice_recipients SET read_at = coalesce(read_at, ?3) \
                         WHERE notice_id = ?1 AND account_id = ?2 RETURNING read_at",
                        params![notice_id.to_string(), account_id.to_string(), sortable(now)],
                        |row| row.get(0),
                    )
                    .optional()?;
                read_at.as_deref().map(ts).transpose()
            })
            .await
    }
}

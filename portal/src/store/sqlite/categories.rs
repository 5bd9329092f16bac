//! [`CategoryStore`] on SQLite.

use async_trait::async_trait;
use jiff::Timestamp;
use rusqlite::params;

use rusqlite::OptionalExtension;

use super::{
    SqliteStore,
    presence::sortable,
    rows::{corrupt, ts},
};
use crate::{
    domain::{
        AccountId, announcements::ValidAnnouncement, attachments::FileKind,
        categories::ValidCategory,
    },
    store::{Announcement, Category, CategoryStore, StoreError},
};

#[async_trait]
impl CategoryStore for SqliteStore {
    async fn categories(&self) -> Result<Vec<Category>, StoreError> {
        self.db
            .read(|conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT c.category_id, c.name, \
                     (SELECT COUNT(*) FROM category_subscriptions s \
                      WHERE s.category_id = c.category_id) \
                     FROM categories c ORDER BY c.sort_order, c.category_id",
                )?;
                let rows = statement.query_map([], |row| {
                    Ok(Category {
                        category_id: row.get(0)?,
                        name: row.get(1)?,
                        subscribers: row.get(2)?,
                    })
                })?;
                Ok(rows.collect::<Result<Vec<_>, _>>()?)
            })
            .await
    }

    async fn create_category(
        &self,
        category: ValidCategory,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                let added = tx.execute(
                    "INSERT INTO categories (category_id, name, sort_order, created_at) \
                     VALUES (?1, ?2, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM categories), ?3) \
                     ON CONFLICT DO NOTHING",
                    params![category.category_id, category.name, now.to_string()],
                )?;
                Ok(added == 1)
            })
            .await
    }

    async fn delete_category(&self, category_id: &str) -> Result<bool, StoreError> {
        let category_id = category_id.to_owned();
        self.db
            .write(move |tx| {
                let deleted = tx.execute(
                    "DELETE FROM categories WHERE category_id = ?1 AND NOT EXISTS \
                     (SELECT 1 FROM announcements WHERE category_id = ?1)",
                    [category_id],
                )?;
                Ok(deleted == 1)
            })
            .await
    }

    async fn subscriptions(&self, account_id: AccountId) -> Result<Vec<String>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(
                    "SELECT s.category_id FROM category_subscriptions s \
                     JOIN categories c ON c.category_id = s.category_id \
                     WHERE s.account_id = ?1 ORDER BY c.sort_order",
                )?;
                let rows = statement.query_map([account_id.to_string()], |row| row.get(0))?;
                Ok(rows.collect::<Result<Vec<String>, _>>()?)
            })
            .await
    }

    async fn set_subscriptions(
        &self,
        account_id: AccountId,
        category_ids: Vec<String>,
    ) -> Result<(), StoreError> {
        self.db
            .write(move |tx| {
                tx.execute(
                    "DELETE FROM category_subscriptions WHERE account_id = ?1",
                    [account_id.to_string()],
                )?;
                let mut insert = tx.prepare_cached(
                    "INSERT INTO category_subscriptions (account_id, category_id) \
                     SELECT ?1, category_id FROM categories WHERE category_id = ?2 \
                     ON CONFLICT DO NOTHING",
                )?;
                for category_id in category_ids {
                    insert.execute(params![account_id.to_string(), category_id])?;
                }
                Ok(())
            })
            .await
    }

    async fn create_announcement(
        &self,
        announcement_id: uuid::Uuid,
        announcement: ValidAnnouncement,
        by: AccountId,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        self.db
            .write(move |tx| {
                let added = tx.execute(
                    "INSERT INTO announcements (announcement_id, category_id, title, body, link, \
                     publish_at, created_by, created_at) \
                     SELECT ?1, category_id, ?3, ?4, ?5, ?6, ?7, ?8 FROM categories \
                     WHERE category_id = ?2",
                    params![
                        announcement_id.to_string(),
                        announcement.category_id,
                        announcement.title,
                        announcement.body,
                        announcement.link,
                        sortable(announcement.publish_at),
                        by.to_string(),
                        now.to_string(),
                    ],
                )?;
                if added == 1
                    && let Some(file) = &announcement.attachment
                {
                    tx.execute(
                        "INSERT INTO announcement_attachments (announcement_id, file_name, \
                         media_type, size, bytes) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![
                            announcement_id.to_string(),
                            file.file_name,
                            file.kind.media_type(),
                            file.bytes.len() as u64,
                            file.bytes
                        ],
                    )?;
                }
                Ok(added == 1)
            })
            .await
    }

    async fn announcements(
        &self,
        now: Timestamp,
        category_id: Option<String>,
        include_scheduled: bool,
        limit: u32,
    ) -> Result<Vec<Announcement>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(&format!(
                    "SELECT {ANNOUNCEMENT_COLUMNS} WHERE (?1 OR a.publish_at <= ?2) \
                     AND (?3 IS NULL OR a.category_id = ?3) \
                     ORDER BY a.publish_at DESC, a.announcement_id DESC LIMIT ?4"
                ))?;
                let mut rows = statement.query(params![
                    include_scheduled,
                    sortable(now),
                    category_id,
                    limit
                ])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(announcement_from_row(row)?);
                }
                Ok(out)
            })
            .await
    }

    async fn undelivered_announcements(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<Announcement>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(&format!(
                    "SELECT {ANNOUNCEMENT_COLUMNS} WHERE a.delivered_at IS NULL \
                     AND a.publish_at <= ?1 ORDER BY a.publish_at LIMIT ?2"
                ))?;
                let mut rows = statement.query(params![sortable(now), limit])?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(announcement_from_row(row)?);
                }
                Ok(out)
            })
            .await
    }

    async fn attachment_bytes(
        &self,
        announcement_id: uuid::Uuid,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        self.db
            .read(move |conn| {
                Ok(conn
                    .prepare_cached(
                        "SELECT bytes FROM announcement_attachments WHERE announcement_id = ?1",
                    )?
                    .query_row([announcement_id.to_string()], |row| row.get(0))
                    .optional()?)
            })
            .await
    }

    async fn announcement(
        &self,
        announcement_id: uuid::Uuid,
    ) -> Result<Option<Announcement>, StoreError> {
        self.db
            .read(move |conn| {
                let mut statement = conn.prepare_cached(&format!(
                    "SELECT {ANNOUNCEMENT_COLUMNS} WHERE a.announcement_id = ?1"
                ))?;
                let mut rows = statement.query([announcement_id.to_string()])?;
                rows.next()?.map(announcement_from_row).transpose()
            })
            .await
    }
}

const ANNOUNCEMENT_COLUMNS: &str = "a.announcement_id, a.category_id, c.name, a.title, a.body, \
     a.link, a.publish_at, f.file_name, f.media_type, f.size \
     FROM announcements a JOIN categories c ON c.category_id = a.category_id \
     LEFT JOIN announcement_attachments f ON f.announcement_id = a.announcement_id";

fn announcement_from_row(row: &rusqlite::Row<'_>) -> Result<Announcement, StoreError> {
    let id: String = row.get(0)?;
    Ok(Announcement {
        announcement_id: id
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("announcement id {id:?}")))?,
        category: (row.get(1)?, row.get(2)?),
        title: row.get(3)?,
        body: row.get(4)?,
        link: row.get(5)?,
        publish_at: ts(&row.get::<_, String>(6)?)?,
        attachment: match row.get::<_, Option<String>>(7)? {
            Some(name) => {
                let media_type: String = row.get(8)?;
                let kind = FileKind::from_media_type(&media_type)
                    .ok_or_else(|| corrupt("attachment type", &media_type))?;
                Some((name, kind, row.get(9)?))
            }
            None => None,
        },
    })
}

//! The store seam for 市からのお知らせ's 分野 and who wants each.

use async_trait::async_trait;
use jiff::Timestamp;

use super::StoreError;
use crate::domain::{
    AccountId, announcements::ValidAnnouncement, attachments::FileKind, categories::ValidCategory,
};

/// A category as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    /// Its id.
    pub category_id: String,
    /// Its name.
    pub name: String,
    /// How many citizens want it.
    pub subscribers: u64,
}

/// An announcement as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announcement {
    /// Its id (UUIDv7).
    pub announcement_id: uuid::Uuid,
    /// Its 分野 and the 分野's name.
    pub category: (String, String),
    /// 件名
    pub title: String,
    /// 本文
    pub body: String,
    /// 関連リンク
    pub link: Option<String>,
    /// When it is (or was) published.
    pub publish_at: Timestamp,
    /// 添付ファイル: its name, kind and size in bytes.
    pub attachment: Option<(String, FileKind, u64)>,
}

/// Categories, subscriptions and announcements.
#[async_trait]
pub trait CategoryStore: Send + Sync + 'static {
    /// Every category, in the staff's order.
    async fn categories(&self) -> Result<Vec<Category>, StoreError>;

    /// Adds a category at the end; `false` when the id is taken.
    async fn create_category(
        &self,
        category: ValidCategory,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Removes a category and every subscription to it; `false` when there was none or it
    /// has announcements (they keep it).
    async fn delete_category(&self, category_id: &str) -> Result<bool, StoreError>;

    /// The ids of the categories a citizen wants.
    async fn subscriptions(&self, account_id: AccountId) -> Result<Vec<String>, StoreError>;

    /// Replaces a citizen's categories (unknown ids are ignored), in one transaction.
    async fn set_subscriptions(
        &self,
        account_id: AccountId,
        category_ids: Vec<String>,
    ) -> Result<(), StoreError>;

    /// Stores an announcement; `false` when its category does not exist.
    async fn create_announcement(
        &self,
        announcement_id: uuid::Uuid,
        announcement: ValidAnnouncement,
        by: AccountId,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Announcements published by `now` (newest first; of one category if given), at most
    /// `limit`; with `include_scheduled`, those set for later too.
    async fn announcements(
        &self,
        now: Timestamp,
        category_id: Option<String>,
        include_scheduled: bool,
        limit: u32,
    ) -> Result<Vec<Announcement>, StoreError>;

    /// Announcements published by `now` whose delivery has not been made yet, oldest first,
    /// at most `limit`.
    async fn undelivered_announcements(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> Result<Vec<Announcement>, StoreError>;

    /// One announcement, published or not.
    async fn announcement(
        &self,
        announcement_id: uuid::Uuid,
    ) -> Result<Option<Announcement>, StoreError>;

    /// The content of an announcement's attachment.
    async fn attachment_bytes(
        &self,
        announcement_id: uuid::Uuid,
    ) -> Result<Option<Vec<u8>>, StoreError>;
}

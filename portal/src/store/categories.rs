//! The store seam for 市からのお知らせ's 分野 and who wants each.

use async_trait::async_trait;
use jiff::Timestamp;

use super::StoreError;
use crate::domain::{AccountId, categories::ValidCategory};

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

/// Categories and subscriptions.
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

    /// Removes a category and every subscription to it; `false` when there was none.
    async fn delete_category(&self, category_id: &str) -> Result<bool, StoreError>;

    /// The ids of the categories a citizen wants.
    async fn subscriptions(&self, account_id: AccountId) -> Result<Vec<String>, StoreError>;

    /// Replaces a citizen's categories (unknown ids are ignored), in one transaction.
    async fn set_subscriptions(
        &self,
        account_id: AccountId,
        category_ids: Vec<String>,
    ) -> Result<(), StoreError>;
}

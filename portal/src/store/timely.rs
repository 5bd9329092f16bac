//! The store seam for 子育てのタイミング情報: every family the sender looks at once a day, the
//! pregnancy each 出産予定日 belongs to, the categories a citizen turned off, the message keys
//! already sent and the days whose sending is done.

use std::collections::{BTreeSet, HashSet};

use async_trait::async_trait;
use jiff::{Timestamp, civil::Date};

use super::StoreError;
use crate::domain::{AccountId, ChildId};

/// One child of a family as the sender needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelyChild {
    /// The child's id (part of each message's key).
    pub child_id: ChildId,
    /// 名, for `{name}` in the messages.
    pub given_name: String,
    /// 生年月日.
    pub birth_date: Date,
}

/// One active citizen with children or a 出産予定日, and what they turned off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelyFamily {
    /// The guardian's account.
    pub account_id: AccountId,
    /// The registered children.
    pub children: Vec<TimelyChild>,
    /// The 出産予定日, if registered.
    pub due_date: Option<Date>,
    /// The pregnancy last seen for this account: its key and the due date it had.
    pub pregnancy: Option<(String, Date)>,
    /// The categories turned off.
    pub turned_off: BTreeSet<String>,
}

/// What timely information keeps.
#[async_trait]
pub trait TimelyStore: Send + Sync + 'static {
    /// Every active citizen with a child or a 出産予定日.
    async fn timely_families(&self) -> Result<Vec<TimelyFamily>, StoreError>;

    /// Records the pregnancy key a due date belongs to (replacing the account's previous one).
    async fn set_timely_pregnancy(
        &self,
        account_id: AccountId,
        pregnancy_key: String,
        due_date: Date,
    ) -> Result<(), StoreError>;

    /// The categories a citizen turned off.
    async fn timely_turned_off(
        &self,
        account_id: AccountId,
    ) -> Result<BTreeSet<String>, StoreError>;

    /// Replaces the categories a citizen turned off.
    async fn set_timely_turned_off(
        &self,
        account_id: AccountId,
        categories: BTreeSet<String>,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Which of `keys` were sent already.
    async fn timely_sent(&self, keys: Vec<String>) -> Result<HashSet<String>, StoreError>;

    /// Records that the message `key` was sent to `account_id` (again: no change).
    async fn mark_timely_sent(
        &self,
        key: String,
        account_id: AccountId,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Whether the sending of `day` (Asia/Tokyo) is done.
    async fn timely_day_finished(&self, day: Date) -> Result<bool, StoreError>;

    /// Records that the sending of `day` is done.
    async fn finish_timely_day(&self, day: Date, now: Timestamp) -> Result<(), StoreError>;
}

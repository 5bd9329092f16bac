//! The store seam for 避難情報: the city's areas and citizens' 防災情報の通知設定.

use async_trait::async_trait;
use jiff::Timestamp;

use super::StoreError;
use crate::{alerts::AreaChoice, domain::AccountId};

/// A citizen's alert setting as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAlertSetting {
    /// 配信を希望するか.
    pub receive: bool,
    /// The language code (`ja`, `en` …).
    pub lang: String,
    /// Their areas when they take only those; `None` for city-wide.
    pub areas: Option<Vec<AreaChoice>>,
}

/// An alert as sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentAlert {
    /// Its id (UUIDv7), also its delivery's source.
    pub alert_id: uuid::Uuid,
    /// The catalog kind's id.
    pub kind: String,
    /// Whom it was for (JSON of `alerts::AlertTarget`).
    pub target: String,
    /// The opened shelters.
    pub shelters: Vec<String>,
    /// Its message per language code: (code, title, body).
    pub texts: Vec<(String, String, String)>,
    /// When it was issued (発令時刻).
    pub issued_at: Timestamp,
    /// Who sent it.
    pub sent_by: AccountId,
    /// When it was sent.
    pub sent_at: Timestamp,
    /// How many citizens it was chosen for.
    pub recipients: u64,
}

/// Areas and settings.
#[async_trait]
pub trait AlertStore: Send + Sync + 'static {
    /// The city's areas: number and name, by number.
    async fn alert_areas(&self) -> Result<Vec<(u32, String)>, StoreError>;

    /// Adds areas (a number or name already there is kept as it is); how many were added.
    async fn add_alert_areas(&self, areas: Vec<(u32, String)>) -> Result<u64, StoreError>;

    /// The citizen's setting, if they saved one.
    async fn alert_setting(
        &self,
        account_id: AccountId,
    ) -> Result<Option<StoredAlertSetting>, StoreError>;

    /// Saves the citizen's setting.
    async fn save_alert_setting(
        &self,
        account_id: AccountId,
        setting: StoredAlertSetting,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Every active account with its setting (`None`: the 初期設定), for choosing recipients.
    async fn alert_audience(
        &self,
    ) -> Result<Vec<(AccountId, Option<StoredAlertSetting>)>, StoreError>;

    /// Keeps a sent alert.
    async fn save_sent_alert(&self, alert: SentAlert) -> Result<(), StoreError>;

    /// The newest alerts, newest first.
    async fn sent_alerts(&self, limit: u32) -> Result<Vec<SentAlert>, StoreError>;
}

//! The store seam for 避難情報: the city's areas and citizens' 防災情報の通知設定 (the alerts
//! themselves and their answers are in [`super::alert_log`]).

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
}

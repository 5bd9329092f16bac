//! 避難情報・避難指示通知, the portal's service over the pure rules of [`crate::alerts`]: the
//! city's areas, and each citizen's 防災情報の通知設定 — whether to receive (everyone does unless
//! they opt out), the language, and "only my areas" with up to three areas and the 危険区域 of
//! each. Writing, approving, sending and cancelling alerts is in [`crate::bousai_send`];
//! answers and progress in [`crate::bousai_follow`].

use std::sync::Arc;

use crate::{
    alerts::{
        Area, AreaId, Areas, Catalog, CatalogError, Language, Setting, SettingError, SettingInput,
        check_setting,
    },
    clock::Clock,
    domain::AccountId,
    store::{AlertLog, AlertStore, StoreError, StoredAlertSetting},
};

/// Why a setting was not saved.
#[derive(Debug, thiserror::Error)]
pub enum BousaiError {
    /// The setting was refused (the message is in the error, in both languages).
    #[error("{0}")]
    Invalid(SettingError),
    /// The city's areas are not valid data (the line and why).
    #[error("{0}")]
    Areas(String),
    /// Not disaster office staff.
    #[error("not disaster office staff")]
    Forbidden,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The service's settings (`[bousai]`).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct BousaiSettings {
    /// Whether an alert waits for a second staff member's approval before it is sent
    /// (default: no, it is sent at once).
    pub require_approval: bool,
}

/// The 避難情報 service. Cheap to clone.
#[derive(Clone)]
pub struct Bousai {
    store: Arc<dyn AlertStore>,
    log: Arc<dyn AlertLog>,
    catalog: Arc<Catalog>,
    clock: Arc<dyn Clock>,
    settings: BousaiSettings,
}

impl Bousai {
    /// The service with the portal's embedded catalog of kinds and zones.
    pub fn new(
        store: Arc<dyn AlertStore>,
        log: Arc<dyn AlertLog>,
        clock: Arc<dyn Clock>,
        settings: BousaiSettings,
    ) -> Result<Self, CatalogError> {
        Ok(Self {
            store,
            log,
            catalog: Arc::new(Catalog::embedded()?),
            clock,
            settings,
        })
    }

    /// The settings.
    pub fn settings(&self) -> &BousaiSettings {
        &self.settings
    }

    /// The alerts and answers kept.
    pub(crate) fn log(&self) -> &dyn AlertLog {
        self.log.as_ref()
    }

    /// The catalog (kinds, zones).
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The store (for [`crate::bousai_send`]).
    pub(crate) fn store(&self) -> &dyn AlertStore {
        self.store.as_ref()
    }

    /// Now, by the service's clock.
    pub(crate) fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    /// A stored setting as the rules read it (the 初期設定 when there is none).
    pub(crate) fn setting_of(&self, stored: Option<StoredAlertSetting>) -> Setting {
        match stored {
            Some(stored) => Setting::from_stored(
                stored.receive,
                Language::parse_or_japanese(&stored.lang),
                stored.areas.as_deref(),
            ),
            None => Setting::default(),
        }
    }

    /// The city's areas.
    pub async fn areas(&self) -> Result<Areas, BousaiError> {
        let areas = self
            .store
            .alert_areas()
            .await?
            .into_iter()
            .map(|(id, name)| Area::new(AreaId(id), &name))
            .collect();
        Areas::new(areas).map_err(|error| BousaiError::Areas(error.to_string()))
    }

    /// The citizen's setting (the 初期設定 until they save one).
    pub async fn setting(&self, citizen: AccountId) -> Result<Setting, BousaiError> {
        Ok(self.setting_of(self.store.alert_setting(citizen).await?))
    }

    /// Checks and saves the citizen's setting; nothing changes when it is refused.
    pub async fn save_setting(
        &self,
        citizen: AccountId,
        input: &SettingInput,
    ) -> Result<Setting, BousaiError> {
        let areas = self.areas().await?;
        let setting =
            check_setting(input, &areas, self.catalog.zones()).map_err(BousaiError::Invalid)?;
        let stored = StoredAlertSetting {
            receive: setting.receive(),
            lang: setting.language().code().to_owned(),
            areas: setting.only_my_areas().map(<[_]>::to_vec),
        };
        self.store
            .save_alert_setting(citizen, stored, self.clock.now())
            .await?;
        Ok(setting)
    }
}

impl Bousai {
    /// Adds the city's areas from a CSV of `番号,地域名` (the disaster office or admins); how
    /// many were new. A bad row refuses all, with its line.
    pub async fn import_areas(
        &self,
        by: &crate::store::Account,
        csv: &str,
    ) -> Result<u64, BousaiError> {
        use crate::domain::Role;
        if !(by.has_role(Role::Disaster) || by.has_role(Role::Admin)) {
            return Err(BousaiError::Forbidden);
        }
        let areas = read_areas_csv(csv).map_err(BousaiError::Areas)?;
        let added = self.store.add_alert_areas(areas).await?;
        tracing::info!(added, by = %by.account_id, "alert areas imported");
        Ok(added)
    }
}

/// Reads the city's areas from a CSV of `番号,地域名` rows (a header row first): every row is
/// checked before anything is kept, and the first bad one is named by its line.
pub fn read_areas_csv(text: &str) -> Result<Vec<(u32, String)>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut areas: Vec<(u32, String)> = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record =
            record.map_err(|error| format!("{line} 行目: CSV として読めません ({error})"))?;
        let (Some(number), Some(name), None) = (record.get(0), record.get(1), record.get(2)) else {
            return Err(format!("{line} 行目: 「番号,地域名」の2列にしてください"));
        };
        let number = number
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| format!("{line} 行目: 番号「{number}」は1以上の整数にしてください"))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("{line} 行目: 地域名が空です"));
        }
        if areas.iter().any(|(n, other)| *n == number || other == name) {
            return Err(format!("{line} 行目: 番号か地域名が前の行と重なっています"));
        }
        areas.push((number, name.to_owned()));
    }
    Ok(areas)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_read_whole_or_refused_at_their_line() {
        let good = "\u{feff}番号,地域名\r\n1,西条町\r\n2, 八本松町 \r\n";
        assert_eq!(
            read_areas_csv(good),
            Ok(vec![(1, "西条町".into()), (2, "八本松町".into())])
        );
        for (bad, line) in [
            ("番号,地域名\n1,西条町\n1,志和町\n", "3 行目"),
            ("番号,地域名\n0,西条町\n", "2 行目"),
            ("番号,地域名\n1,西条町\nx,志和町\n", "3 行目"),
            ("番号,地域名\n1,西条町,余分\n", "2 行目"),
            ("番号,地域名\n1, \n", "2 行目"),
        ] {
            let error = read_areas_csv(bad).unwrap_err();
            assert!(error.starts_with(line), "{error}");
        }
    }
}

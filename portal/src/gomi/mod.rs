//! ごみ収集日の通知, the portal's service over the pure rules of [`crate::garbage`]: the city's
//! data (imported from and exported to the 5374 files, exceptions kept by the waste office),
//! each citizen's area and reminder, the calendar and the 分別 search, and the reminder of
//! tomorrow's collection ([`reminders`]).
//!
//! - [`city`]: the data compiled per revision (schedules, dictionary), kept in memory and
//!   rebuilt when the store's revision changes (an import or an exception, on any instance).
//! - [`reminders`]: which reminder slots are due, and the dispatcher that makes their
//!   deliveries through the delivery engine, once per citizen and collection day.

pub mod city;
pub mod files;
pub mod ics;
pub mod reminders;
mod staff;

pub use staff::{AreaInput, ExceptionInput};

use std::sync::{Arc, RwLock};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::{
    clock::{Clock, tokyo},
    domain::{AccountId, validation::FieldErrors},
    garbage::{Five374Files, GarbageImportError, ImportWarning, export, import},
    notify::Notifier,
    store::{GarbageSetting, GarbageStore, Remind, StoreError},
};
use city::City;

/// The service's settings (`[garbage]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct GomiSettings {
    /// By when garbage must be out on the collection day (`HH:MM`, Asia/Tokyo): a reminder
    /// missed (the portal was down) is still sent until then, never after. Default `08:00`.
    pub put_out_by: String,
    /// The evening hour a new setting proposes. Default 18.
    pub default_hour: u8,
}

impl Default for GomiSettings {
    fn default() -> Self {
        Self {
            put_out_by: "08:00".to_owned(),
            default_hour: 18,
        }
    }
}

/// Why a garbage change did not happen.
#[derive(Debug, thiserror::Error)]
pub enum GomiError {
    /// The form has errors; nothing changed.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// The 5374 files were refused (the line and the reason); nothing changed.
    #[error("{0}")]
    Import(GarbageImportError),
    /// A rule cell could not be read: the kind and why, in the user's language.
    #[error("{0}")]
    Rule(String),
    /// No garbage data has been imported yet.
    #[error("no garbage data")]
    NoData,
    /// Not waste office staff.
    #[error("not waste office staff")]
    Forbidden,
    /// The stored data cannot be read.
    #[error("garbage data: {0}")]
    Corrupt(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The ごみ収集日 service. Cheap to clone.
#[derive(Clone)]
pub struct Gomi {
    store: Arc<dyn GarbageStore>,
    notifier: Notifier,
    clock: Arc<dyn Clock>,
    settings: Arc<GomiSettings>,
    city: Arc<RwLock<Option<Arc<City>>>>,
}

fn invalid(field: &'static str, key: &'static str) -> GomiError {
    let mut errors = FieldErrors::default();
    errors.add(field, key);
    GomiError::Invalid(errors)
}

impl Gomi {
    /// The service over `store`, delivering through `notifier`.
    pub fn new(
        store: Arc<dyn GarbageStore>,
        notifier: Notifier,
        clock: Arc<dyn Clock>,
        settings: GomiSettings,
    ) -> Self {
        Self {
            store,
            notifier,
            clock,
            settings: Arc::new(settings),
            city: Arc::default(),
        }
    }

    /// Today in Asia/Tokyo.
    pub fn today(&self) -> Date {
        self.clock.now().to_zoned(tokyo()).date()
    }

    /// The city's data as of the store's current revision (`None` before any import).
    pub async fn city(&self) -> Result<Option<Arc<City>>, GomiError> {
        let revision = self.store.garbage_revision().await?;
        if revision == 0 {
            return Ok(None);
        }
        if let Some(city) = self.cached().filter(|city| city.revision == revision) {
            return Ok(Some(city));
        }
        let Some(stored) = self.store.garbage().await? else {
            return Ok(None);
        };
        let exceptions = self.store.garbage_exceptions().await?;
        let city = Arc::new(City::build(&stored, exceptions).map_err(GomiError::Corrupt)?);
        *self
            .city
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::clone(&city));
        Ok(Some(city))
    }

    fn cached(&self) -> Option<Arc<City>> {
        self.city
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Imports the city's 5374 files (checked whole first: one bad row refuses all and
    /// changes nothing); what staff should look at.
    pub async fn import_5374(&self, files: &Five374Files) -> Result<Vec<ImportWarning>, GomiError> {
        let imported = import(files).map_err(GomiError::Import)?;
        let areas = imported
            .data
            .areas
            .iter()
            .map(|area| area.name.clone())
            .collect();
        // Kept in the canonical form export writes, which reads back as the same data.
        self.store
            .save_garbage(export(&imported.data), areas, self.clock.now())
            .await?;
        tracing::info!(
            areas = imported.data.areas.len(),
            kinds = imported.data.kinds.len(),
            items = imported.data.targets.len(),
            warnings = imported.warnings.len(),
            "garbage data imported"
        );
        Ok(imported.warnings)
    }

    /// The city's data as 5374 files.
    pub async fn export_5374(&self) -> Result<Five374Files, GomiError> {
        let city = self.city().await?.ok_or(GomiError::NoData)?;
        Ok(export(&city.data))
    }

    /// The citizen's setting, if they chose an area.
    pub async fn setting(&self, citizen: AccountId) -> Result<Option<GarbageSetting>, GomiError> {
        Ok(self.store.garbage_setting(citizen).await?)
    }

    /// Saves the citizen's area and reminder, checked: an active area, an hour 0–23.
    pub async fn save_setting(
        &self,
        citizen: AccountId,
        area_id: i64,
        remind: Remind,
        hour: u8,
    ) -> Result<(), GomiError> {
        let city = self.city().await?.ok_or(GomiError::NoData)?;
        if city.area(area_id).is_none() {
            return Err(invalid("area", "error.gomi_area"));
        }
        if hour > 23 {
            return Err(invalid("hour", "error.gomi_hour"));
        }
        let setting = GarbageSetting {
            area_id,
            remind,
            hour,
        };
        self.store
            .save_garbage_setting(citizen, Some(setting), self.clock.now())
            .await?;
        Ok(())
    }

    /// Forgets the citizen's area (no calendar, no reminders).
    pub async fn clear_setting(&self, citizen: AccountId) -> Result<(), GomiError> {
        self.store
            .save_garbage_setting(citizen, None, self.clock.now())
            .await?;
        Ok(())
    }

    /// The settings.
    pub fn settings(&self) -> &GomiSettings {
        &self.settings
    }
}

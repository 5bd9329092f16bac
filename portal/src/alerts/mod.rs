//! 避難情報・避難指示通知 — the pure rules of disaster alerts: what kinds there are, who gets an
//! alert and in which language, what it says, how it is written in OASIS CAP 1.2, and how
//! citizens' one-tap answers add up.
//!
//! Nothing here does I/O or reads a clock: the store passes settings in, the delivery engine
//! takes recipients out, and times are given in Asia/Tokyo by the caller.
//!
//! - [`languages`]: the seven delivery languages and the fallback to Japanese.
//! - [`catalog`]: kinds, names, templates and hazard zones as data ([`catalog_error`], [`template`]).
//! - [`areas`] and [`hazards`]: 地域 and 危険区域.
//! - [`settings`]: a citizen's 防災情報の通知設定, checked.
//! - [`targeting`]: who receives an alert, and in which language.
//! - [`mod@compose`]: an alert draft, checked and filled into every language.
//! - [`cap`]: CAP 1.2 XML out and in ([`cap_values`] holds its enumerations, [`cap_error`]
//!   its errors); [`cap_import`] starts a draft from a CAP file.
//! - [`cancel`]: the 取消 notice of a cancelled alert.
//! - [`answer_words`]: the words around the answers on an alert's page, per language.
//! - [`answers`]: 無事です / 避難しました / 助けが必要, tallied by area.

pub mod answer_words;
pub mod answers;
pub mod areas;
pub mod cancel;
pub mod cap;
pub mod cap_error;
pub mod cap_import;
mod cap_parse;
pub mod cap_values;
pub mod catalog;
pub mod catalog_error;
pub mod compose;
mod draft_error;
pub mod hazards;
pub mod languages;
pub mod settings;
mod settings_error;
pub mod targeting;
pub mod template;

#[cfg(test)]
mod fixtures;

pub use answers::{Answer, AnswerRecord, AreaTally, Tally, tally};
pub use areas::{Area, AreaId, Areas, AreasError};
pub use cap::{CapAlert, CapEnvelope};
pub use cap_error::CapError;
pub use cap_import::{ImportedDraft, draft_from_cap};
pub use catalog::{AlertKind, CapProfile, Catalog, KindTemplate};
pub use catalog_error::CatalogError;
pub use compose::{AlertDraft, AlertText, ComposedAlert, DraftError, compose};
pub use hazards::{HazardZone, HazardZones, ZoneChoice, ZoneId, ZoneSet};
pub use languages::{Language, LanguageSet, PerLanguage};
pub use settings::{
    AreaChoice, AreaChoiceInput, Scope, Setting, SettingError, SettingInput, check_setting,
};
pub use targeting::{AlertTarget, Audience, TargetArea, TargetZones, choose_recipients};

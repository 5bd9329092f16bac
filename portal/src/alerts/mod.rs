//! 避難情報・避難指示通知 — the pure rules of disaster alerts: what kinds there are, who gets an
//! alert and in which language, what it says, how it is written in OASIS CAP 1.2, and how
//! citizens' one-tap answers add up.
//!
//! Nothing here does I/O or reads a clock: the store passes settings in, the delivery engine
//! takes recipients out, and times are given in Asia/Tokyo by the caller.
//!
//! - [`languages`]: the seven delivery languages and the fallback to Japanese.
//! - [`catalog`]: kinds, names, templates and hazard zones as data ([`catalog_error`], [`template`]).
//! - [`hazards`] holds the 危険区域 (hazard zones) citizens choose from.
//! - [`cap_values`]: the enumerations of OASIS CAP 1.2, which the catalog's kinds name.

pub mod cap_values;
pub mod catalog;
pub mod catalog_error;
pub mod hazards;
pub mod languages;
pub mod template;

pub use catalog::{AlertKind, CapProfile, Catalog, KindTemplate};
pub use catalog_error::CatalogError;
pub use hazards::{HazardZone, HazardZones, ZoneChoice, ZoneId, ZoneSet};
pub use languages::{Language, LanguageSet, PerLanguage};

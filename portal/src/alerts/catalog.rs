//! The catalog: the kinds of alert staff can send (警戒レベル3 高齢者等避難, 警戒レベル4 避難指示,
//! 警戒レベル5 緊急安全確保, 解除, free-form 情報), their names and message templates in every
//! language, how each is written in CAP, and the hazard zones citizens choose from.
//!
//! All of it is data because the official names change (the 2021 and 2026 revisions renamed
//! levels and warnings): a city edits a TOML file, and [`Catalog::embedded`] is the one shipped
//! in `portal/data/alert-catalog.toml`. Nothing in the rules below names a kind.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;

use super::cap_values::{Category, Certainty, Severity, Urgency};
use super::catalog_error::CatalogError;
use super::hazards::{HazardZone, HazardZones, ZoneId};
use super::languages::{Language, PerLanguage};
use super::template::Template;

/// The catalog shipped with the portal.
pub const EMBEDDED_CATALOG: &str = include_str!("../../data/alert-catalog.toml");

/// A kind's message: the title and body templates in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindTemplate {
    /// The title (the email subject, the first line on LINE).
    pub title: Template,
    /// The body.
    pub body: Template,
}

/// How a kind is written in CAP 1.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapProfile {
    /// `<category>`.
    pub category: Category,
    /// `<urgency>`.
    pub urgency: Urgency,
    /// `<severity>`.
    pub severity: Severity,
    /// `<certainty>`.
    pub certainty: Certainty,
}

/// One kind of alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertKind {
    /// Its stable id (`level4`), stored in drafts and sent alerts.
    pub id: String,
    /// Its 警戒レベル (1 to 5), if it has one.
    pub level: Option<u8>,
    /// Its name per language; Japanese is always there.
    pub names: PerLanguage<String>,
    /// Whether staff write its text themselves (情報) instead of filling templates.
    pub free_form: bool,
    /// Its templates per language; Japanese is always there unless `free_form`.
    pub templates: PerLanguage<KindTemplate>,
    /// How it is written in CAP.
    pub cap: CapProfile,
}

impl AlertKind {
    /// The name in `language`, or the Japanese one.
    pub fn name(&self, language: Language) -> &str {
        self.names
            .get_or_japanese(language)
            .map_or("", String::as_str)
    }
}

/// A checked catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    kinds: Vec<AlertKind>,
    zones: HazardZones,
}

impl Catalog {
    /// The catalog shipped with the portal ([`EMBEDDED_CATALOG`]); a test keeps it valid.
    pub fn embedded() -> Result<Catalog, CatalogError> {
        Catalog::from_toml(EMBEDDED_CATALOG)
    }

    /// Reads and checks a catalog; the first problem found refuses it.
    pub fn from_toml(text: &str) -> Result<Catalog, CatalogError> {
        let raw: RawCatalog =
            toml::from_str(text).map_err(|e| CatalogError::Toml(e.message().to_owned()))?;
        if raw.kind.is_empty() {
            return Err(CatalogError::NoKinds);
        }
        let mut zone_ids = HashSet::new();
        let mut zones = Vec::with_capacity(raw.zone.len());
        for zone in raw.zone {
            let owner = format!("zone {}", zone.id);
            if zone.id >= ZoneId::LIMIT {
                return Err(CatalogError::ZoneOutOfRange(zone.id));
            }
            if !zone_ids.insert(zone.id) {
                return Err(CatalogError::DuplicateZone(zone.id));
            }
            let names = names(&owner, zone.names)?;
            zones.push(HazardZone {
                id: ZoneId(zone.id),
                names,
            });
        }
        let mut kind_ids = HashSet::new();
        let mut kinds = Vec::with_capacity(raw.kind.len());
        for kind in raw.kind {
            if kind.id.trim().is_empty() {
                return Err(CatalogError::EmptyKindId);
            }
            if !kind_ids.insert(kind.id.clone()) {
                return Err(CatalogError::DuplicateKind(kind.id));
            }
            kinds.push(kind.check()?);
        }
        Ok(Catalog {
            kinds,
            zones: HazardZones::new(zones),
        })
    }

    /// The kinds, in the order staff see them.
    pub fn kinds(&self) -> &[AlertKind] {
        &self.kinds
    }

    /// The kind with id `id`.
    pub fn kind(&self, id: &str) -> Option<&AlertKind> {
        self.kinds.iter().find(|kind| kind.id == id)
    }

    /// The hazard zones.
    pub fn zones(&self) -> &HazardZones {
        &self.zones
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    #[serde(default)]
    zone: Vec<RawZone>,
    #[serde(default)]
    kind: Vec<RawKind>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawZone {
    id: u8,
    names: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKind {
    id: String,
    level: Option<u8>,
    #[serde(default)]
    free_form: bool,
    names: BTreeMap<String, String>,
    #[serde(default)]
    templates: BTreeMap<String, RawTemplate>,
    cap: RawCap,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTemplate {
    title: String,
    body: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCap {
    category: String,
    urgency: String,
    severity: String,
    certainty: String,
}

/// The language of a catalog key: only the exact codes, since a catalog is written by people
/// who can be told the list, and a near miss (`zh`) should be fixed rather than guessed.
fn language(owner: &str, code: &str) -> Result<Language, CatalogError> {
    Language::ALL
        .into_iter()
        .find(|language| language.code() == code)
        .ok_or_else(|| CatalogError::UnknownLanguage {
            owner: owner.to_owned(),
            code: code.to_owned(),
        })
}

fn names(owner: &str, raw: BTreeMap<String, String>) -> Result<PerLanguage<String>, CatalogError> {
    let mut names = PerLanguage::default();
    for (code, name) in raw {
        names.insert(language(owner, &code)?, name.trim().to_owned());
    }
    match names.get(Language::Ja) {
        Some(name) if !name.is_empty() => Ok(names),
        _ => Err(CatalogError::NoJapaneseName(owner.to_owned())),
    }
}

fn cap_value<T>(
    kind: &str,
    field: &'static str,
    value: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<T, CatalogError> {
    parse(value).ok_or_else(|| CatalogError::BadCapValue {
        kind: kind.to_owned(),
        field,
        value: value.to_owned(),
    })
}

impl RawKind {
    fn check(self) -> Result<AlertKind, CatalogError> {
        let id = self.id;
        if let Some(level) = self.level.filter(|level| !(1..=5).contains(level)) {
            return Err(CatalogError::BadLevel { kind: id, level });
        }
        let names = names(&id, self.names)?;
        if self.free_form && !self.templates.is_empty() {
            return Err(CatalogError::FreeFormWithTemplates(id));
        }
        let mut templates = PerLanguage::default();
        for (code, raw) in self.templates {
            let language = language(&id, &code)?;
            let read = |text: &str| {
                Template::parse(text).map_err(|problem| CatalogError::BadTemplate {
                    kind: id.clone(),
                    language: code.clone(),
                    problem,
                })
            };
            templates.insert(
                language,
                KindTemplate {
                    title: read(&raw.title)?,
                    body: read(&raw.body)?,
                },
            );
        }
        if !self.free_form && templates.get(Language::Ja).is_none() {
            return Err(CatalogError::NoJapaneseTemplate(id));
        }
        let cap = CapProfile {
            category: cap_value(&id, "category", &self.cap.category, Category::parse)?,
            urgency: cap_value(&id, "urgency", &self.cap.urgency, Urgency::parse)?,
            severity: cap_value(&id, "severity", &self.cap.severity, Severity::parse)?,
            certainty: cap_value(&id, "certainty", &self.cap.certainty, Certainty::parse)?,
        };
        Ok(AlertKind {
            id,
            level: self.level,
            names,
            free_form: self.free_form,
            templates,
            cap,
        })
    }
}

#[cfg(test)]
#[path = "catalog_tests.rs"]
mod tests;

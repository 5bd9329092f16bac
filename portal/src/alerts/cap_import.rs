//! A CAP alert read in (from L-Alert, JMA, or the portal's own export) starts a draft: the
//! disaster office checks it, fixes what could not be matched, and sends it through the usual
//! rules. Nothing read from outside is sent as it is.
//!
//! The portal's own CAP carries its kind, areas, zones, shelters and free text in `shimin:…`
//! pairs and reads back exactly; another sender's is matched by its words: the `<event>` against
//! the catalog's names, each `<areaDesc>` against the city's area names.

use std::collections::BTreeSet;

use super::areas::{AreaId, Areas};
use super::cap::{
    CapAlert, CapInfo, GEOCODE_AREA, GEOCODE_ZONES, NameValue, PARAM_KIND, PARAM_SHELTER,
    PARAM_TEXT,
};
use super::cap_error::CapError;
use super::catalog::{AlertKind, Catalog};
use super::compose::{AlertDraft, whole_city};
use super::hazards::{ZoneId, ZoneSet};
use super::languages::{Language, PerLanguage};
use super::targeting::{AlertTarget, TargetArea, TargetZones};

/// A draft started from CAP, and what staff must look at before sending it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedDraft {
    /// The draft.
    pub draft: AlertDraft,
    /// `<areaDesc>`s that name no area of the city (staff pick the areas by hand).
    pub unmatched_areas: Vec<String>,
    /// `<language>`s the portal does not send in, left out.
    pub skipped_languages: Vec<String>,
}

fn first<'a>(pairs: &'a [NameValue], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|p| p.name == name)
        .map(|p| p.value.as_str())
}

/// The catalog kind an `<info>` is: named by the portal's own parameter, or else the kind with
/// the `<event>` as a name, or whose Japanese name ends with it (避難指示 is 警戒レベル4 避難指示);
/// otherwise the first free-form kind.
fn kind<'c>(info: &CapInfo, catalog: &'c Catalog) -> Option<&'c AlertKind> {
    let event = info.event.trim();
    first(&info.parameters, PARAM_KIND)
        .and_then(|id| catalog.kind(id))
        .or_else(|| {
            catalog
                .kinds()
                .iter()
                .find(|k| k.names.iter().any(|(_, name)| name == event))
        })
        .or_else(|| {
            catalog
                .kinds()
                .iter()
                .find(|k| !k.free_form && k.name(Language::Ja).ends_with(event))
        })
        .or_else(|| catalog.kinds().iter().find(|k| k.free_form))
}

fn target(info: &CapInfo, areas: &Areas, unmatched: &mut Vec<String>) -> AlertTarget {
    let mut targets = Vec::new();
    for area in &info.areas {
        let by_code = first(&area.geocodes, GEOCODE_AREA)
            .and_then(|code| code.parse().ok())
            .map(AreaId)
            .filter(|id| areas.contains(*id));
        let Some(id) = by_code.or_else(|| areas.find_by_name(&area.area_desc).map(|a| a.id)) else {
            if area.area_desc.trim() == whole_city(Language::Ja) {
                return AlertTarget::CityWide;
            }
            unmatched.push(area.area_desc.clone());
            continue;
        };
        let zones: ZoneSet = first(&area.geocodes, GEOCODE_ZONES)
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(|zone| zone.parse().ok().map(ZoneId))
            .collect();
        let zones = if zones.is_empty() {
            TargetZones::All
        } else {
            TargetZones::Only(zones)
        };
        targets.push(TargetArea { area: id, zones });
    }
    AlertTarget::Areas(targets)
}

/// Starts a draft from a CAP alert; refused only when it has no Japanese `<info>`.
pub fn draft_from_cap(
    cap: &CapAlert,
    catalog: &Catalog,
    areas: &Areas,
) -> Result<ImportedDraft, CapError> {
    let mut infos: PerLanguage<&CapInfo> = PerLanguage::default();
    let mut skipped = BTreeSet::new();
    for info in &cap.infos {
        match Language::parse(&info.language) {
            Some(language) if infos.get(language).is_none() => {
                infos.insert(language, info);
            }
            Some(_) => {}
            None => {
                skipped.insert(info.language.clone());
            }
        }
    }
    let japanese = *infos.get(Language::Ja).ok_or(CapError::NoJapaneseInfo)?;
    let kind = kind(japanese, catalog);
    let mut unmatched = Vec::new();
    let target = target(japanese, areas, &mut unmatched);
    let free_form = kind.is_none_or(|k| k.free_form);
    let (mut title, mut text) = (PerLanguage::default(), PerLanguage::default());
    for (language, info) in infos.iter() {
        if free_form {
            title.insert(
                language,
                info.headline.clone().unwrap_or_else(|| info.event.clone()),
            );
            let parts = [&info.description, &info.instruction];
            let body: Vec<&str> = parts.iter().filter_map(|p| p.as_deref()).collect();
            text.insert(language, body.join("\n"));
        } else if let Some(free) = first(&info.parameters, PARAM_TEXT)
            .map(str::to_owned)
            .or_else(|| info.instruction.clone())
        {
            text.insert(language, free);
        }
    }
    let shelters = japanese
        .parameters
        .iter()
        .filter(|p| p.name == PARAM_SHELTER)
        .map(|p| p.value.clone())
        .collect();
    let draft = AlertDraft {
        kind: kind.map_or_else(|| japanese.event.clone(), |k| k.id.clone()),
        target,
        shelters,
        issued_at: japanese.effective.unwrap_or(cap.sent),
        title,
        text,
    };
    Ok(ImportedDraft {
        draft,
        unmatched_areas: unmatched,
        skipped_languages: skipped.into_iter().collect(),
    })
}

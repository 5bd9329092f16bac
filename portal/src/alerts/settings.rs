//! 防災情報の通知設定 — a citizen's alert setting: 「配信を希望するか」, 「配信を希望する言語」,
//! and 「特定の地域の情報だけを希望するか」 with up to three 地域, each with the 危険区域 its
//! place lies in (or 該当なし).
//!
//! A [`Setting`] is small and fixed-size (no heap) because targeting reads 200,000 of them per
//! alert. It is made two ways: [`check_setting`] from what a citizen submitted, refusing what the
//! page would refuse; and [`Setting::from_stored`] from what the store kept, trusting it.

use serde::{Deserialize, Serialize};

use super::areas::{AreaId, Areas};
use super::hazards::{HazardZones, ZoneChoice, ZoneId, ZoneSet};
use super::languages::Language;
pub use super::settings_error::SettingError;

/// At most this many areas (「地域は最大3件まで選択可能です」).
pub const MAX_AREAS: usize = 3;

/// One of a citizen's areas and what applies to their place there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AreaChoice {
    /// The area.
    pub area: AreaId,
    /// The hazard zones the place lies in, or 該当なし.
    pub zones: ZoneChoice,
}

/// Up to [`MAX_AREAS`] area choices, kept inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AreaChoices {
    len: u8,
    items: [AreaChoice; MAX_AREAS],
}

impl AreaChoices {
    const FILLER: AreaChoice = AreaChoice {
        area: AreaId(0),
        zones: ZoneChoice::NoneApplies,
    };

    /// The first [`MAX_AREAS`] of `choices`.
    fn first_of(choices: &[AreaChoice]) -> AreaChoices {
        let mut items = [Self::FILLER; MAX_AREAS];
        let len = choices.len().min(MAX_AREAS);
        for (slot, choice) in items.iter_mut().zip(choices) {
            *slot = *choice;
        }
        AreaChoices {
            len: len as u8,
            items,
        }
    }

    /// The choices, in the order the citizen gave them.
    pub fn as_slice(&self) -> &[AreaChoice] {
        self.items.get(..usize::from(self.len)).unwrap_or_default()
    }
}

/// Which alerts a citizen takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every alert, city-wide or for any area (the 初期設定).
    CityWide,
    /// 特定の地域の情報だけ: city-wide alerts, and area alerts that match a choice.
    OnlyMyAreas(AreaChoices),
}

/// A citizen's alert setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    receive: bool,
    language: Language,
    scope: Scope,
}

impl Default for Setting {
    /// The 初期設定: 「市民ポータルサイトに登録されている方全員に防災情報が通知されます」 —
    /// receive, in Japanese, everything.
    fn default() -> Self {
        Setting {
            receive: true,
            language: Language::Ja,
            scope: Scope::CityWide,
        }
    }
}

impl Setting {
    /// A setting as the store kept it, which [`check_setting`] checked when it was saved; past
    /// [`MAX_AREAS`] choices are dropped and an empty list means city-wide, so that a stored
    /// row can never make a citizen unreachable.
    pub fn from_stored(
        receive: bool,
        language: Language,
        only_my_areas: Option<&[AreaChoice]>,
    ) -> Setting {
        let scope = match only_my_areas {
            Some(choices) if !choices.is_empty() => {
                Scope::OnlyMyAreas(AreaChoices::first_of(choices))
            }
            _ => Scope::CityWide,
        };
        Setting {
            receive,
            language,
            scope,
        }
    }

    /// Whether the citizen wants alerts at all (「配信を希望するか」).
    pub fn receive(&self) -> bool {
        self.receive
    }

    /// The language they want alerts in.
    pub fn language(&self) -> Language {
        self.language
    }

    /// Which alerts they take.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// Their areas if they take only those; `None` if they take everything.
    pub fn only_my_areas(&self) -> Option<&[AreaChoice]> {
        match &self.scope {
            Scope::CityWide => None,
            Scope::OnlyMyAreas(choices) => Some(choices.as_slice()),
        }
    }
}

/// One area as submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaChoiceInput {
    /// The area.
    pub area: AreaId,
    /// The hazard zones ticked.
    #[serde(default)]
    pub zones: Vec<ZoneId>,
    /// Whether 該当なし was ticked.
    #[serde(default)]
    pub none_applies: bool,
}

/// The setting as submitted from the 防災情報の通知設定 page or the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingInput {
    /// 配信を希望するか.
    pub receive: bool,
    /// 配信を希望する言語, as a code (`ja`, `en` …; tags such as `pt-BR` are understood).
    pub language: String,
    /// 特定の地域の情報だけを希望するか.
    pub only_my_areas: bool,
    /// The areas; read only when `only_my_areas`, so that switching back to city-wide is never
    /// refused over an area left half filled in.
    #[serde(default)]
    pub areas: Vec<AreaChoiceInput>,
}

/// Checks a submitted setting against the city's areas and the catalog's zones.
pub fn check_setting(
    input: &SettingInput,
    areas: &Areas,
    zones: &HazardZones,
) -> Result<Setting, SettingError> {
    let language = Language::parse(&input.language)
        .ok_or_else(|| SettingError::UnknownLanguage(input.language.clone()))?;
    if !input.only_my_areas {
        return Ok(Setting {
            receive: input.receive,
            language,
            scope: Scope::CityWide,
        });
    }
    if input.areas.is_empty() {
        return Err(SettingError::NoArea);
    }
    if input.areas.len() > MAX_AREAS {
        return Err(SettingError::TooManyAreas(input.areas.len()));
    }
    let mut choices = Vec::with_capacity(MAX_AREAS);
    for choice in &input.areas {
        if !areas.contains(choice.area) {
            return Err(SettingError::UnknownArea(choice.area));
        }
        if choices.iter().any(|c: &AreaChoice| c.area == choice.area) {
            return Err(SettingError::DuplicateArea(choice.area));
        }
        if let Some(zone) = choice
            .zones
            .iter()
            .find(|zone| !zones.known().contains(**zone))
        {
            return Err(SettingError::UnknownZone(*zone));
        }
        let zone_set: ZoneSet = choice.zones.iter().copied().collect();
        let zones = match (choice.none_applies, zone_set.is_empty()) {
            (true, true) => ZoneChoice::NoneApplies,
            (false, false) => ZoneChoice::Zones(zone_set),
            (true, false) => return Err(SettingError::NoneWithZones(choice.area)),
            (false, true) => return Err(SettingError::NoZoneChosen(choice.area)),
        };
        choices.push(AreaChoice {
            area: choice.area,
            zones,
        });
    }
    Ok(Setting::from_stored(
        input.receive,
        language,
        Some(&choices),
    ))
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;

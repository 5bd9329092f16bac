//! 地域 — the areas of the city a citizen picks (up to three) and an alert is sent to.
//!
//! Areas are the city's own data (the demo city, or what staff keep); this module only holds
//! them, checks them once and answers lookups by number or by name.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::languages::{Language, PerLanguage};
use crate::i18n::Lang;

/// The stable number of an area; settings and alert targets store it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AreaId(pub u32);

impl std::fmt::Display for AreaId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// One area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Area {
    /// Its number.
    pub id: AreaId,
    /// Its name per language; Japanese (西条町寺家) is always there, others only where the
    /// city gives one (a romanised name for English, say).
    pub names: PerLanguage<String>,
}

impl Area {
    /// An area with only its Japanese name.
    pub fn new(id: AreaId, japanese_name: &str) -> Area {
        Area {
            id,
            names: [(Language::Ja, japanese_name.to_owned())]
                .into_iter()
                .collect(),
        }
    }

    /// The name in `language`, or the Japanese one.
    pub fn name(&self, language: Language) -> &str {
        self.names
            .get_or_japanese(language)
            .map_or("", String::as_str)
    }
}

/// Why a city's list of areas was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub enum AreasError {
    /// Two areas with one number.
    DuplicateId(AreaId),
    /// An area without a Japanese name.
    NoJapaneseName(AreaId),
    /// Two areas with one Japanese name (staff and CAP files name areas, so names must tell
    /// them apart).
    DuplicateName(String),
}

impl AreasError {
    /// A stable name of the error, for programs and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::DuplicateId(_) => "area_duplicate_id",
            Self::NoJapaneseName(_) => "area_no_japanese_name",
            Self::DuplicateName(_) => "area_duplicate_name",
        }
    }

    /// The error for a person, in Japanese or English.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (Self::DuplicateId(id), Lang::Ja) => format!("地域番号 {id} が二つあります"),
            (Self::DuplicateId(id), Lang::En) => format!("two areas are numbered {id}"),
            (Self::NoJapaneseName(id), Lang::Ja) => {
                format!("地域番号 {id} に日本語の名前がありません")
            }
            (Self::NoJapaneseName(id), Lang::En) => format!("area {id} has no Japanese name"),
            (Self::DuplicateName(name), Lang::Ja) => format!("地域名「{name}」が二つあります"),
            (Self::DuplicateName(name), Lang::En) => format!("two areas are named \"{name}\""),
        }
    }
}

/// The city's areas, checked: unique numbers, unique Japanese names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Areas {
    areas: Vec<Area>,
    by_id: HashMap<AreaId, usize>,
}

impl Areas {
    /// Checks and keeps the areas, in the order the setting page lists them.
    pub fn new(areas: Vec<Area>) -> Result<Areas, AreasError> {
        let mut by_id = HashMap::with_capacity(areas.len());
        let mut names = HashMap::with_capacity(areas.len());
        for (position, area) in areas.iter().enumerate() {
            let name = area
                .names
                .get(Language::Ja)
                .filter(|name| !name.trim().is_empty())
                .ok_or(AreasError::NoJapaneseName(area.id))?;
            if by_id.insert(area.id, position).is_some() {
                return Err(AreasError::DuplicateId(area.id));
            }
            if names.insert(name.as_str(), position).is_some() {
                return Err(AreasError::DuplicateName(name.clone()));
            }
        }
        Ok(Areas { areas, by_id })
    }

    /// The areas in list order.
    pub fn all(&self) -> &[Area] {
        &self.areas
    }

    /// The area numbered `id`.
    pub fn get(&self, id: AreaId) -> Option<&Area> {
        self.by_id
            .get(&id)
            .and_then(|&position| self.areas.get(position))
    }

    /// Whether the city has an area numbered `id`.
    pub fn contains(&self, id: AreaId) -> bool {
        self.by_id.contains_key(&id)
    }

    /// The area whose name in any language is `name` (trimmed; for CAP's `<areaDesc>`).
    pub fn find_by_name(&self, name: &str) -> Option<&Area> {
        let name = name.trim();
        self.areas
            .iter()
            .find(|area| area.names.iter().any(|(_, own)| own == name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_unique_by_number_and_name() {
        let ok = Areas::new(vec![
            Area::new(AreaId(1), "西条町寺家"),
            Area::new(AreaId(2), "八本松町"),
        ])
        .unwrap();
        assert_eq!(
            ok.get(AreaId(2)).map(|a| a.name(Language::En)),
            Some("八本松町")
        );
        assert_eq!(
            ok.find_by_name(" 西条町寺家 ").map(|a| a.id),
            Some(AreaId(1))
        );
        let twice = Areas::new(vec![Area::new(AreaId(1), "a"), Area::new(AreaId(1), "b")]);
        assert_eq!(twice.unwrap_err().code(), "area_duplicate_id");
        let same = Areas::new(vec![Area::new(AreaId(1), "a"), Area::new(AreaId(2), "a")]);
        assert_eq!(same.unwrap_err(), AreasError::DuplicateName("a".into()));
        let nameless = Areas::new(vec![Area::new(AreaId(3), " ")]);
        assert_eq!(
            nameless.unwrap_err().message(Lang::En),
            "area 3 has no Japanese name"
        );
    }
}

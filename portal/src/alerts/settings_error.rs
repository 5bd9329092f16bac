//! Why a submitted 防災情報の通知設定 was refused, in the page's own words: a stable code for
//! the API, and a message in Japanese (the [`std::fmt::Display`]) or English for the form.

use super::areas::AreaId;
use super::hazards::ZoneId;
use super::settings::MAX_AREAS;
use crate::i18n::Lang;

/// A refused setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub enum SettingError {
    /// A language that is not offered.
    UnknownLanguage(String),
    /// 特定の地域の情報だけ, with no area.
    NoArea,
    /// More than [`MAX_AREAS`] areas.
    TooManyAreas(usize),
    /// The same area twice.
    DuplicateArea(AreaId),
    /// An area the city does not have.
    UnknownArea(AreaId),
    /// A hazard zone the catalog does not have.
    UnknownZone(ZoneId),
    /// Neither a zone nor 該当なし ticked for an area.
    NoZoneChosen(AreaId),
    /// 該当なし ticked together with zones.
    NoneWithZones(AreaId),
}

impl SettingError {
    /// A stable name of the error, for the API and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownLanguage(_) => "alert_setting_unknown_language",
            Self::NoArea => "alert_setting_no_area",
            Self::TooManyAreas(_) => "alert_setting_too_many_areas",
            Self::DuplicateArea(_) => "alert_setting_duplicate_area",
            Self::UnknownArea(_) => "alert_setting_unknown_area",
            Self::UnknownZone(_) => "alert_setting_unknown_zone",
            Self::NoZoneChosen(_) => "alert_setting_no_zone_chosen",
            Self::NoneWithZones(_) => "alert_setting_none_with_zones",
        }
    }

    /// The area the error is about, so the form can mark it.
    pub fn area(&self) -> Option<AreaId> {
        match self {
            Self::DuplicateArea(area)
            | Self::UnknownArea(area)
            | Self::NoZoneChosen(area)
            | Self::NoneWithZones(area) => Some(*area),
            _ => None,
        }
    }

    /// The error for a person, in Japanese or English.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Self::UnknownLanguage(code) if ja => {
                format!("配信を希望する言語「{code}」は選べません")
            }
            Self::UnknownLanguage(code) => {
                format!("\"{code}\" is not a language alerts are sent in")
            }
            Self::NoArea if ja => {
                "特定の地域の情報だけを希望する場合は、地域を選択してください".into()
            }
            Self::NoArea => "choose an area to receive only the information for your areas".into(),
            Self::TooManyAreas(_) if ja => format!("地域は最大{MAX_AREAS}件まで選択可能です"),
            Self::TooManyAreas(n) => format!("{n} areas chosen; at most {MAX_AREAS} can be"),
            Self::DuplicateArea(_) if ja => "同じ地域が二度選択されています".into(),
            Self::DuplicateArea(_) => "the same area is chosen twice".into(),
            Self::UnknownArea(_) if ja => "選択された地域は本市の地域にありません".into(),
            Self::UnknownArea(_) => "the chosen area is not one of the city's areas".into(),
            Self::UnknownZone(_) if ja => "選択された危険区域はありません".into(),
            Self::UnknownZone(_) => "the chosen hazard zone does not exist".into(),
            Self::NoZoneChosen(_) if ja => {
                "危険区域を選択してください。該当するものが無い場合は「該当なし」を選択してください"
                    .into()
            }
            Self::NoZoneChosen(_) => {
                "choose the hazard zones, or \"none applies\" (該当なし)".into()
            }
            Self::NoneWithZones(_) if ja => "「該当なし」と危険区域は同時に選択できません".into(),
            Self::NoneWithZones(_) => {
                "\"none applies\" (該当なし) cannot be chosen together with hazard zones".into()
            }
        }
    }
}

//! Why an alert draft cannot be sent, said to the staff member writing it: a stable code, and
//! a message in Japanese (the [`std::fmt::Display`]) or English.

use super::areas::AreaId;
use super::compose::{
    MAX_BODY_CHARS, MAX_SHELTER_NAME_CHARS, MAX_SHELTERS, MAX_TEXT_CHARS, MAX_TITLE_CHARS,
};
use super::hazards::ZoneId;
use super::languages::Language;
use crate::i18n::Lang;

/// A draft that cannot be sent as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub enum DraftError {
    /// A kind the catalog does not have.
    UnknownKind(String),
    /// A target with no area, or an area with an empty set of zones.
    EmptyTarget,
    /// An area the city does not have.
    UnknownArea(AreaId),
    /// A hazard zone the catalog does not have.
    UnknownZone(ZoneId),
    /// More shelters than [`MAX_SHELTERS`].
    TooManyShelters(usize),
    /// A shelter with an empty name.
    EmptyShelterName,
    /// A shelter name longer than [`MAX_SHELTER_NAME_CHARS`].
    ShelterNameTooLong(String),
    /// A free-form alert without its Japanese title and text.
    NoJapaneseText,
    /// A free-form alert with a title but no text in a language, or the other way round.
    HalfWritten(Language),
    /// Free text longer than [`MAX_TEXT_CHARS`].
    TextTooLong(Language),
    /// A title, filled in, longer than [`MAX_TITLE_CHARS`].
    TitleTooLong(Language),
    /// A body, filled in, longer than [`MAX_BODY_CHARS`] (too many areas or shelters, perhaps).
    BodyTooLong(Language),
}

impl DraftError {
    /// A stable name of the error, for the API and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownKind(_) => "alert_draft_unknown_kind",
            Self::EmptyTarget => "alert_draft_empty_target",
            Self::UnknownArea(_) => "alert_draft_unknown_area",
            Self::UnknownZone(_) => "alert_draft_unknown_zone",
            Self::TooManyShelters(_) => "alert_draft_too_many_shelters",
            Self::EmptyShelterName => "alert_draft_empty_shelter_name",
            Self::ShelterNameTooLong(_) => "alert_draft_shelter_name_too_long",
            Self::NoJapaneseText => "alert_draft_no_japanese_text",
            Self::HalfWritten(_) => "alert_draft_half_written",
            Self::TextTooLong(_) => "alert_draft_text_too_long",
            Self::TitleTooLong(_) => "alert_draft_title_too_long",
            Self::BodyTooLong(_) => "alert_draft_body_too_long",
        }
    }

    /// The error for a person, in Japanese or English.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Self::UnknownKind(id) if ja => format!("種類「{id}」はカタログにありません"),
            Self::UnknownKind(id) => format!("the catalog has no kind \"{id}\""),
            Self::EmptyTarget if ja => "配信先の地域(と危険区域)を選択してください".into(),
            Self::EmptyTarget => "choose the areas (and hazard zones) the alert is for".into(),
            Self::UnknownArea(id) if ja => format!("地域番号 {id} は本市の地域にありません"),
            Self::UnknownArea(id) => format!("area {id} is not one of the city's areas"),
            Self::UnknownZone(id) if ja => format!("危険区域の番号 {} はありません", id.0),
            Self::UnknownZone(id) => format!("there is no hazard zone numbered {}", id.0),
            Self::TooManyShelters(n) if ja => {
                format!("避難所が{n}件あります(最大{MAX_SHELTERS}件)")
            }
            Self::TooManyShelters(n) => format!("{n} shelters listed (at most {MAX_SHELTERS})"),
            Self::EmptyShelterName if ja => "名前が空の避難所があります".into(),
            Self::EmptyShelterName => "a shelter has an empty name".into(),
            Self::ShelterNameTooLong(name) if ja => {
                format!("避難所名「{name}」が長すぎます(最大{MAX_SHELTER_NAME_CHARS}文字)")
            }
            Self::ShelterNameTooLong(name) => {
                format!(
                    "the shelter name \"{name}\" is too long (at most {MAX_SHELTER_NAME_CHARS} characters)"
                )
            }
            Self::NoJapaneseText if ja => "日本語の件名と本文を入力してください".into(),
            Self::NoJapaneseText => "write the Japanese title and text".into(),
            Self::HalfWritten(language) if ja => {
                format!(
                    "{}の件名と本文は両方入力してください",
                    language.native_name()
                )
            }
            Self::HalfWritten(language) => {
                format!(
                    "write both the title and the text in {}",
                    language.native_name()
                )
            }
            Self::TextTooLong(language) if ja => {
                format!(
                    "{}の本文が長すぎます(最大{MAX_TEXT_CHARS}文字)",
                    language.native_name()
                )
            }
            Self::TextTooLong(language) => {
                format!(
                    "the {} text is too long (at most {MAX_TEXT_CHARS} characters)",
                    language.native_name()
                )
            }
            Self::TitleTooLong(language) if ja => {
                format!(
                    "{}の件名が長すぎます(最大{MAX_TITLE_CHARS}文字)",
                    language.native_name()
                )
            }
            Self::TitleTooLong(language) => {
                format!(
                    "the {} title is too long (at most {MAX_TITLE_CHARS} characters)",
                    language.native_name()
                )
            }
            Self::BodyTooLong(language) if ja => format!(
                "{}のメッセージが長すぎます(最大{MAX_BODY_CHARS}文字)。地域や避難所を分けて送ってください",
                language.native_name()
            ),
            Self::BodyTooLong(language) => format!(
                "the {} message is too long (at most {MAX_BODY_CHARS} characters); send areas or shelters in parts",
                language.native_name()
            ),
        }
    }
}

//! An alert draft and its text in every language at once: a standard kind's templates filled
//! with the draft's areas, shelters (避難所), time and free text; a free-form kind's text as
//! staff wrote it. The result is checked before anything is sent, so that what staff preview is
//! what citizens get.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::areas::Areas;
use super::catalog::{AlertKind, Catalog};
pub use super::draft_error::DraftError;
use super::languages::{Language, LanguageSet, PerLanguage};
use super::targeting::{AlertTarget, TargetZones};
use super::template::Field;

/// The longest title, filled in (an email subject, the first line on LINE), in characters.
pub const MAX_TITLE_CHARS: usize = 100;
/// The longest message body, filled in, in characters (LINE takes 5,000; people read far less).
pub const MAX_BODY_CHARS: usize = 2000;
/// The longest free text staff add, in characters.
pub const MAX_TEXT_CHARS: usize = 1000;
/// The most shelters one alert lists.
pub const MAX_SHELTERS: usize = 50;
/// The longest shelter name, in characters.
pub const MAX_SHELTER_NAME_CHARS: usize = 60;

/// An alert as staff are writing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertDraft {
    /// The catalog kind's id (`level4`).
    pub kind: String,
    /// Whom it is for.
    pub target: AlertTarget,
    /// The opened shelters, as staff name them (the same in every language: they are places).
    pub shelters: Vec<String>,
    /// When the information was issued (発令時刻); shown in Asia/Tokyo.
    pub issued_at: Timestamp,
    /// For a free-form kind only: the title per language.
    pub title: PerLanguage<String>,
    /// A free-form kind's text, or the free text (`{text}`) added to a standard kind's
    /// message, per language; a language without it gets the Japanese one.
    pub text: PerLanguage<String>,
}

/// One language's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertText {
    /// The title.
    pub title: String,
    /// The body.
    pub body: String,
}

/// An alert ready to send: its kind and its message in every language it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposedAlert {
    /// The kind's id.
    pub kind: String,
    /// The messages; Japanese is always there.
    pub texts: PerLanguage<AlertText>,
}

impl ComposedAlert {
    /// The languages the alert has text in, for [`super::targeting::Audience::new`].
    pub fn languages(&self) -> LanguageSet {
        self.texts.languages()
    }

    /// What a citizen who wants `language` reads (the Japanese text if there is none in it).
    pub fn preview(&self, language: Language) -> Option<&AlertText> {
        self.texts.get_or_japanese(language)
    }
}

/// Checks a draft and writes its message in every language; the first problem refuses it.
pub fn compose(
    draft: &AlertDraft,
    catalog: &Catalog,
    areas: &Areas,
) -> Result<ComposedAlert, DraftError> {
    let kind = check_draft(draft, catalog, areas)?;
    let texts: PerLanguage<AlertText> = if kind.free_form {
        draft
            .title
            .iter()
            .filter_map(|(language, title)| {
                let body = draft.text.get(language)?;
                Some((
                    language,
                    AlertText {
                        title: title.trim().to_owned(),
                        body: body.trim().to_owned(),
                    },
                ))
            })
            .collect()
    } else {
        kind.templates.map(|language, template| {
            let value = |field| field_value(field, language, kind, draft, catalog, areas);
            AlertText {
                title: template.title.fill(value),
                body: template.body.fill(value),
            }
        })
    };
    for (language, text) in texts.iter() {
        if text.title.chars().count() > MAX_TITLE_CHARS {
            return Err(DraftError::TitleTooLong(language));
        }
        if text.body.chars().count() > MAX_BODY_CHARS {
            return Err(DraftError::BodyTooLong(language));
        }
    }
    Ok(ComposedAlert {
        kind: kind.id.clone(),
        texts,
    })
}

/// Checks what can be checked before filling anything in, and finds the kind.
pub fn check_draft<'c>(
    draft: &AlertDraft,
    catalog: &'c Catalog,
    areas: &Areas,
) -> Result<&'c AlertKind, DraftError> {
    let kind = catalog
        .kind(&draft.kind)
        .ok_or_else(|| DraftError::UnknownKind(draft.kind.clone()))?;
    if let AlertTarget::Areas(targets) = &draft.target {
        if targets.is_empty() {
            return Err(DraftError::EmptyTarget);
        }
        for target in targets {
            if !areas.contains(target.area) {
                return Err(DraftError::UnknownArea(target.area));
            }
            if let TargetZones::Only(zones) = target.zones {
                if zones.is_empty() {
                    return Err(DraftError::EmptyTarget);
                }
                if let Some(zone) = zones
                    .iter()
                    .find(|zone| !catalog.zones().known().contains(*zone))
                {
                    return Err(DraftError::UnknownZone(zone));
                }
            }
        }
    }
    if draft.shelters.len() > MAX_SHELTERS {
        return Err(DraftError::TooManyShelters(draft.shelters.len()));
    }
    for shelter in &draft.shelters {
        if shelter.trim().is_empty() {
            return Err(DraftError::EmptyShelterName);
        }
        if shelter.chars().count() > MAX_SHELTER_NAME_CHARS {
            return Err(DraftError::ShelterNameTooLong(shelter.clone()));
        }
    }
    for (language, text) in draft.text.iter() {
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(DraftError::TextTooLong(language));
        }
    }
    if kind.free_form {
        let written = |texts: &PerLanguage<String>, language| {
            texts.get(language).is_some_and(|t| !t.trim().is_empty())
        };
        if !written(&draft.title, Language::Ja) || !written(&draft.text, Language::Ja) {
            return Err(DraftError::NoJapaneseText);
        }
        if let Some(language) = Language::ALL
            .into_iter()
            .find(|&language| written(&draft.title, language) != written(&draft.text, language))
        {
            return Err(DraftError::HalfWritten(language));
        }
    }
    Ok(kind)
}

fn field_value(
    field: Field,
    language: Language,
    kind: &AlertKind,
    draft: &AlertDraft,
    catalog: &Catalog,
    areas: &Areas,
) -> String {
    match field {
        Field::Kind => kind.name(language).to_owned(),
        Field::Areas => area_names(&draft.target, language, catalog, areas),
        Field::Shelters => draft
            .shelters
            .iter()
            .map(|s| s.trim())
            .collect::<Vec<_>>()
            .join(language.list_separator()),
        Field::Time => tokyo_time(draft.issued_at, language),
        Field::Text => draft
            .text
            .get_or_japanese(language)
            .map(|t| t.trim().to_owned())
            .unwrap_or_default(),
    }
}

/// The target in words: 市内全域, or each area with the zones the alert is for.
pub fn area_names(
    target: &AlertTarget,
    language: Language,
    catalog: &Catalog,
    areas: &Areas,
) -> String {
    let AlertTarget::Areas(targets) = target else {
        return whole_city(language).to_owned();
    };
    let names: Vec<String> = targets
        .iter()
        .map(|target| {
            let area = areas
                .get(target.area)
                .map_or("", |area| area.name(language));
            match target.zones {
                TargetZones::All => area.to_owned(),
                TargetZones::Only(zones) => {
                    let zones = catalog.zones().names(zones, language);
                    match language {
                        Language::Ja | Language::ZhHans => format!("{area}({zones})"),
                        _ => format!("{area} ({zones})"),
                    }
                }
            }
        })
        .collect();
    names.join(language.list_separator())
}

/// 市内全域 in each language.
pub(super) fn whole_city(language: Language) -> &'static str {
    match language {
        Language::Ja => "市内全域",
        Language::JaEasy => "しの ぜんぶの ところ",
        Language::En => "the whole city",
        Language::ZhHans => "全市",
        Language::Ko => "시 전역",
        Language::Vi => "toàn thành phố",
        Language::Pt => "toda a cidade",
    }
}

/// The time in Asia/Tokyo as each language writes it.
pub fn tokyo_time(at: Timestamp, language: Language) -> String {
    let t = at.to_zoned(crate::clock::tokyo());
    let (month, day, hour, minute) = (t.month(), t.day(), t.hour(), t.minute());
    match language {
        Language::Ja | Language::JaEasy => format!("{month}月{day}日 {hour}時{minute:02}分"),
        Language::En => {
            let months = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            let name = usize::try_from(month - 1)
                .ok()
                .and_then(|m| months.get(m))
                .unwrap_or(&"");
            format!("{hour}:{minute:02} on {day} {name}")
        }
        Language::ZhHans => format!("{month}月{day}日 {hour}:{minute:02}"),
        Language::Ko => format!("{month}월 {day}일 {hour}:{minute:02}"),
        Language::Vi => format!("{hour}:{minute:02} ngày {day}/{month}"),
        Language::Pt => format!("{hour}h{minute:02} de {day}/{month}"),
    }
}

#[cfg(test)]
#[path = "compose_tests.rs"]
mod tests;

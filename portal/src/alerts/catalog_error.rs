//! Why a catalog of alert kinds was refused, said so that whoever edited the TOML can fix it:
//! a stable code for programs, a message in Japanese (the [`std::fmt::Display`]) or English.

use crate::i18n::Lang;

use super::template::TemplateProblem;

/// A catalog that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub enum CatalogError {
    /// Not TOML, or not the catalog's shape (an unknown key, a missing one); toml's own words.
    Toml(String),
    /// No kind at all.
    NoKinds,
    /// A kind with an empty id.
    EmptyKindId,
    /// Two kinds with one id.
    DuplicateKind(String),
    /// A level outside 1 to 5 (警戒レベル).
    BadLevel {
        /// The kind.
        kind: String,
        /// The level given.
        level: u8,
    },
    /// A language code that is not one of [`super::Language::ALL`].
    UnknownLanguage {
        /// The kind id, or `zone N`.
        owner: String,
        /// The code.
        code: String,
    },
    /// A kind or zone without a Japanese name.
    NoJapaneseName(String),
    /// A standard kind (not `free_form`) with no Japanese template.
    NoJapaneseTemplate(String),
    /// A `free_form` kind with templates, which would never be used.
    FreeFormWithTemplates(String),
    /// A template that cannot be read.
    BadTemplate {
        /// The kind.
        kind: String,
        /// The template's language.
        language: String,
        /// What is wrong.
        problem: TemplateProblem,
    },
    /// A CAP value (category, urgency, severity, certainty) that CAP 1.2 does not have.
    BadCapValue {
        /// The kind.
        kind: String,
        /// The field.
        field: &'static str,
        /// The value given.
        value: String,
    },
    /// A zone number not below 64.
    ZoneOutOfRange(u8),
    /// Two zones with one number.
    DuplicateZone(u8),
}

impl CatalogError {
    /// A stable name of the error, for programs and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Toml(_) => "catalog_toml",
            Self::NoKinds => "catalog_no_kinds",
            Self::EmptyKindId => "catalog_empty_kind_id",
            Self::DuplicateKind(_) => "catalog_duplicate_kind",
            Self::BadLevel { .. } => "catalog_bad_level",
            Self::UnknownLanguage { .. } => "catalog_unknown_language",
            Self::NoJapaneseName(_) => "catalog_no_japanese_name",
            Self::NoJapaneseTemplate(_) => "catalog_no_japanese_template",
            Self::FreeFormWithTemplates(_) => "catalog_free_form_with_templates",
            Self::BadTemplate { .. } => "catalog_bad_template",
            Self::BadCapValue { .. } => "catalog_bad_cap_value",
            Self::ZoneOutOfRange(_) => "catalog_zone_out_of_range",
            Self::DuplicateZone(_) => "catalog_duplicate_zone",
        }
    }

    /// The error for a person, in Japanese or English.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Self::Toml(detail) if ja => format!("カタログのTOMLが読めません: {detail}"),
            Self::Toml(detail) => format!("the catalog is not readable TOML: {detail}"),
            Self::NoKinds if ja => "種類([[kind]])が一つもありません".into(),
            Self::NoKinds => "no kind ([[kind]]) at all".into(),
            Self::EmptyKindId if ja => "id が空の種類があります".into(),
            Self::EmptyKindId => "a kind has an empty id".into(),
            Self::DuplicateKind(id) if ja => format!("種類「{id}」が二つあります"),
            Self::DuplicateKind(id) => format!("two kinds have the id \"{id}\""),
            Self::BadLevel { kind, level } if ja => {
                format!("種類「{kind}」の警戒レベル {level} は1から5ではありません")
            }
            Self::BadLevel { kind, level } => {
                format!("kind \"{kind}\": level {level} is not 1 to 5")
            }
            Self::UnknownLanguage { owner, code } if ja => format!(
                "「{owner}」の言語コード「{code}」は使えません(ja, ja-easy, en, zh-Hans, ko, vi, pt)"
            ),
            Self::UnknownLanguage { owner, code } => format!(
                "\"{owner}\": unknown language code \"{code}\" (ja, ja-easy, en, zh-Hans, ko, vi, pt)"
            ),
            Self::NoJapaneseName(owner) if ja => {
                format!("「{owner}」に日本語(ja)の名前がありません")
            }
            Self::NoJapaneseName(owner) => format!("\"{owner}\" has no Japanese (ja) name"),
            Self::NoJapaneseTemplate(kind) if ja => {
                format!("種類「{kind}」に日本語(ja)の文面がありません")
            }
            Self::NoJapaneseTemplate(kind) => {
                format!("kind \"{kind}\" has no Japanese (ja) template")
            }
            Self::FreeFormWithTemplates(kind) if ja => {
                format!("種類「{kind}」は自由記述(free_form)なので文面は持てません")
            }
            Self::FreeFormWithTemplates(kind) => {
                format!("kind \"{kind}\" is free_form and cannot have templates")
            }
            Self::BadTemplate {
                kind,
                language,
                problem,
            } => {
                let what = match (problem, ja) {
                    (TemplateProblem::UnknownField(f), true) => {
                        format!("{{{f}}} という項目はありません")
                    }
                    (TemplateProblem::UnknownField(f), false) => {
                        format!("there is no field {{{f}}}")
                    }
                    (TemplateProblem::Unclosed, true) => "「{」が閉じていません".into(),
                    (TemplateProblem::Unclosed, false) => "a \"{\" is not closed".into(),
                    (TemplateProblem::StrayClose, true) => {
                        "対応する「{」のない「}」があります".into()
                    }
                    (TemplateProblem::StrayClose, false) => "a \"}\" has no \"{\"".into(),
                };
                if ja {
                    format!("種類「{kind}」の文面({language}): {what}")
                } else {
                    format!("kind \"{kind}\", template {language}: {what}")
                }
            }
            Self::BadCapValue { kind, field, value } if ja => {
                format!("種類「{kind}」の cap.{field}「{value}」はCAP 1.2の値ではありません")
            }
            Self::BadCapValue { kind, field, value } => {
                format!("kind \"{kind}\": cap.{field} \"{value}\" is not a CAP 1.2 value")
            }
            Self::ZoneOutOfRange(id) if ja => {
                format!("危険区域の番号 {id} は0から63にしてください")
            }
            Self::ZoneOutOfRange(id) => format!("zone number {id} must be 0 to 63"),
            Self::DuplicateZone(id) if ja => format!("危険区域の番号 {id} が二つあります"),
            Self::DuplicateZone(id) => format!("two zones are numbered {id}"),
        }
    }
}

//! Why a CAP file was refused, said so that the disaster office can tell the sender (L-Alert,
//! JMA, another city) what is wrong: a stable code, a message in Japanese (the
//! [`std::fmt::Display`]) or English.

use crate::i18n::Lang;

/// A refused CAP file, or one that cannot start a draft.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.message(Lang::Ja))]
pub enum CapError {
    /// Not well-formed XML; quick-xml's words.
    NotXml(String),
    /// The root element is not `<alert>`.
    WrongRoot(String),
    /// `<alert>` is not in CAP 1.2's namespace (an older CAP, or none).
    WrongNamespace(String),
    /// A required element is missing (its path, like `info/event`).
    Missing(&'static str),
    /// An element whose value CAP 1.2 does not allow.
    BadValue {
        /// Its path.
        element: &'static str,
        /// The value found.
        value: String,
    },
    /// A date and time not in CAP's form `2026-07-03T14:05:00+09:00`.
    BadDateTime {
        /// Its path.
        element: &'static str,
        /// The value found.
        value: String,
    },
    /// An `Update` or `Cancel` that does not say which alert it updates.
    MissingReferences,
    /// For a draft: no `<info>` in a language the portal sends, Japanese first.
    NoJapaneseInfo,
}

impl CapError {
    /// A stable name of the error, for the API and logs.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotXml(_) => "cap_not_xml",
            Self::WrongRoot(_) => "cap_wrong_root",
            Self::WrongNamespace(_) => "cap_wrong_namespace",
            Self::Missing(_) => "cap_missing_element",
            Self::BadValue { .. } => "cap_bad_value",
            Self::BadDateTime { .. } => "cap_bad_date_time",
            Self::MissingReferences => "cap_missing_references",
            Self::NoJapaneseInfo => "cap_no_japanese_info",
        }
    }

    /// The error for a person, in Japanese or English.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            Self::NotXml(detail) if ja => format!("XMLとして読めません({detail})"),
            Self::NotXml(detail) => format!("not readable as XML ({detail})"),
            Self::WrongRoot(name) if ja => format!("ルート要素が <alert> ではなく <{name}> です"),
            Self::WrongRoot(name) => format!("the root element is <{name}>, not <alert>"),
            Self::WrongNamespace(ns) if ja => {
                format!(
                    "名前空間「{ns}」はCAP 1.2(urn:oasis:names:tc:emergency:cap:1.2)ではありません"
                )
            }
            Self::WrongNamespace(ns) => {
                format!(
                    "the namespace \"{ns}\" is not CAP 1.2 (urn:oasis:names:tc:emergency:cap:1.2)"
                )
            }
            Self::Missing(path) if ja => format!("必須の要素 <{path}> がありません"),
            Self::Missing(path) => format!("the required element <{path}> is missing"),
            Self::BadValue { element, value } if ja => {
                format!("<{element}> の値「{value}」はCAP 1.2で使えません")
            }
            Self::BadValue { element, value } => {
                format!("<{element}>: \"{value}\" is not a CAP 1.2 value")
            }
            Self::BadDateTime { element, value } if ja => format!(
                "<{element}> の日時「{value}」は 2026-07-03T14:05:00+09:00 の形ではありません"
            ),
            Self::BadDateTime { element, value } => format!(
                "<{element}>: \"{value}\" is not a date and time like 2026-07-03T14:05:00+09:00"
            ),
            Self::MissingReferences if ja => {
                "Update・Cancel には対象の警報を示す <references> が必要です".into()
            }
            Self::MissingReferences => {
                "an Update or Cancel needs <references> to the alert it changes".into()
            }
            Self::NoJapaneseInfo if ja => "日本語の <info> がないため下書きにできません".into(),
            Self::NoJapaneseInfo => "no Japanese <info>, so it cannot start a draft".into(),
        }
    }
}

//! An alert's draft as the store keeps it: the staff's own words per language beside the
//! composed texts, read back into an [`AlertDraft`] for CAP and for starting a 続報 from it.

use crate::{
    alerts::{AlertDraft, Language, PerLanguage},
    store::{StoreError, StoredAlert},
};

fn corrupt(error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(error.to_string())
}

/// The draft's own words as kept (`{title: {lang: s}, text: {lang: s}}`).
pub fn draft_text_json(draft: &AlertDraft) -> String {
    let words = |texts: &PerLanguage<String>| -> serde_json::Map<_, _> {
        texts
            .iter()
            .map(|(language, text)| (language.code().to_owned(), text.clone().into()))
            .collect()
    };
    serde_json::json!({"title": words(&draft.title), "text": words(&draft.text)}).to_string()
}

/// The draft an alert was written from, read back.
pub fn draft_of(alert: &StoredAlert) -> Result<AlertDraft, StoreError> {
    let words: serde_json::Value = serde_json::from_str(&alert.draft_text).map_err(corrupt)?;
    let read = |field: &str| -> PerLanguage<String> {
        words
            .get(field)
            .and_then(|v| v.as_object())
            .into_iter()
            .flatten()
            .filter_map(|(code, text)| Some((Language::parse(code)?, text.as_str()?.to_owned())))
            .collect()
    };
    Ok(AlertDraft {
        kind: alert.kind.clone(),
        target: serde_json::from_str(&alert.target).map_err(corrupt)?,
        shelters: alert.shelters.clone(),
        issued_at: alert.issued_at,
        title: read("title"),
        text: read("text"),
    })
}

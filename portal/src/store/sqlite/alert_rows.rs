//! Reading and writing one alert's row (for [`super::alert_log`]).

use jiff::Timestamp;
use rusqlite::{Row, Transaction, params};

use super::rows::{corrupt, ts};
use crate::store::{AlertMsgType, AlertStatus, StoreError, StoredAlert};

pub(super) const COLUMNS: &str = "alert_id, msg_type, refers_to, status, kind, target, shelters, \
     draft_text, texts, issued_at, created_by, created_at, approved_by, sent_at, recipients, \
     cancelled_at, withdrawn";

fn json(value: &impl serde::Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|error| StoreError::Corrupt(error.to_string()))
}

pub(super) fn id<T: std::str::FromStr>(
    what: &str,
    text: Option<String>,
) -> Result<Option<T>, StoreError> {
    text.map(|text| text.parse().map_err(|_| corrupt(what, &text)))
        .transpose()
}

fn time(text: Option<String>) -> Result<Option<Timestamp>, StoreError> {
    text.as_deref().map(ts).transpose()
}

/// A language code's place in the portal's order of languages (Japanese first).
fn language_order(code: &str) -> usize {
    crate::alerts::Language::parse(code).map_or(usize::MAX, crate::alerts::Language::index)
}

pub(super) fn alert_of(row: &Row<'_>) -> Result<StoredAlert, StoreError> {
    let alert_id: String = row.get(0)?;
    let msg_type: String = row.get(1)?;
    let status: String = row.get(3)?;
    let shelters: String = row.get(6)?;
    let texts: String = row.get(8)?;
    let texts: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&texts).map_err(|_| corrupt("alert texts", &texts))?;
    let by: String = row.get(10)?;
    let mut texts: Vec<(String, String, String)> = texts
        .into_iter()
        .map(|(lang, text)| {
            let field = |name: &str| {
                text.get(name)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_owned()
            };
            (lang, field("title"), field("body"))
        })
        .collect();
    texts.sort_by_key(|(lang, _, _)| language_order(lang));
    Ok(StoredAlert {
        alert_id: alert_id
            .parse()
            .map_err(|_| corrupt("alert id", &alert_id))?,
        msg_type: AlertMsgType::parse(&msg_type).ok_or_else(|| corrupt("msg type", &msg_type))?,
        refers_to: id("alert id", row.get(2)?)?,
        status: AlertStatus::parse(&status).ok_or_else(|| corrupt("alert status", &status))?,
        kind: row.get(4)?,
        target: row.get(5)?,
        shelters: serde_json::from_str(&shelters).map_err(|_| corrupt("shelters", &shelters))?,
        draft_text: row.get(7)?,
        texts,
        issued_at: ts(&row.get::<_, String>(9)?)?,
        created_by: by.parse().map_err(|_| corrupt("account id", &by))?,
        created_at: ts(&row.get::<_, String>(11)?)?,
        approved_by: id("account id", row.get(12)?)?,
        sent_at: time(row.get(13)?)?,
        recipients: row.get(14)?,
        cancelled_at: time(row.get(15)?)?,
        withdrawn: row.get(16)?,
    })
}

pub(super) fn insert(tx: &Transaction<'_>, alert: &StoredAlert) -> Result<(), StoreError> {
    let texts: serde_json::Map<String, serde_json::Value> = alert
        .texts
        .iter()
        .map(|(lang, title, body)| {
            (
                lang.clone(),
                serde_json::json!({"title": title, "body": body}),
            )
        })
        .collect();
    tx.execute(
        &format!(
            "INSERT INTO alerts ({COLUMNS}) VALUES \
             (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
        ),
        params![
            alert.alert_id.to_string(),
            alert.msg_type.code(),
            alert.refers_to.map(|id| id.to_string()),
            alert.status.code(),
            alert.kind,
            alert.target,
            json(&alert.shelters)?,
            alert.draft_text,
            serde_json::Value::Object(texts).to_string(),
            alert.issued_at.to_string(),
            alert.created_by.to_string(),
            alert.created_at.to_string(),
            alert.approved_by.map(|id| id.to_string()),
            alert.sent_at.map(|at| at.to_string()),
            alert.recipients,
            alert.cancelled_at.map(|at| at.to_string()),
            alert.withdrawn,
        ],
    )?;
    Ok(())
}

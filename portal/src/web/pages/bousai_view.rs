//! How an alert is shown in lists and pages: its title in the reader's language, its kind,
//! where it stands, and whom it is for in words.

use crate::{
    alerts::{AlertTarget, Areas, Language, compose::area_names},
    bousai::Bousai,
    bousai_follow::shown_at,
    clock::tokyo_date_time,
    store::{AlertMsgType, AlertStatus, StoredAlert},
};

/// An alert as a row.
pub struct AlertRow {
    /// Its id.
    pub id: String,
    /// Its title in the reader's language (or Japanese).
    pub title: String,
    /// Its body in the same language.
    pub body: String,
    /// The language the title and body are in.
    pub lang: String,
    /// The message key of where it stands.
    pub status: &'static str,
    /// The message key of 続報 / 取消, if it is one.
    pub msg: Option<&'static str>,
    /// When it was sent (or written), in Asia/Tokyo.
    pub time: String,
    /// 発令時刻, in Asia/Tokyo.
    pub issued: String,
    /// Citizens chosen.
    pub recipients: u64,
    /// The alert it follows.
    pub refers_to: Option<String>,
    /// Whether it is sent (and so may get a 続報 or 取消).
    pub sent: bool,
    /// Whether it was cancelled.
    pub cancelled: bool,
    /// Whether it is a 取消 notice.
    pub is_cancel: bool,
    /// Messages its 取消 withdrew before they were handed over.
    pub withdrawn: u64,
}

/// The alert's (code, title, body) in `language`, else in Japanese, else the first.
pub fn text_in(alert: &StoredAlert, language: Language) -> (&str, &str, &str) {
    let find = |code: &str| alert.texts.iter().find(|(c, _, _)| c == code);
    find(language.code())
        .or_else(|| find("ja"))
        .or_else(|| alert.texts.first())
        .map_or(("ja", "", ""), |(c, t, b)| {
            (c.as_str(), t.as_str(), b.as_str())
        })
}

/// The row of an alert for a reader of `language`.
pub fn row(alert: &StoredAlert, language: Language) -> AlertRow {
    let (lang, title, body) = text_in(alert, language);
    AlertRow {
        id: alert.alert_id.to_string(),
        title: title.to_owned(),
        body: body.to_owned(),
        lang: lang.to_owned(),
        status: match alert.status {
            AlertStatus::Pending => "page.bousai_staff.pending",
            AlertStatus::Approved => "page.bousai_staff.sending",
            AlertStatus::Sent => "page.bousai_staff.sent",
            AlertStatus::Cancelled => "page.bousai_staff.cancelled",
        },
        msg: match alert.msg_type {
            AlertMsgType::Alert => None,
            AlertMsgType::Update => Some("page.bousai_staff.update"),
            AlertMsgType::Cancel => Some("page.bousai_staff.cancel_notice"),
        },
        time: tokyo_date_time(shown_at(alert)),
        issued: tokyo_date_time(alert.issued_at),
        recipients: alert.recipients,
        refers_to: alert.refers_to.map(|id| id.to_string()),
        sent: alert.status == AlertStatus::Sent && alert.msg_type != AlertMsgType::Cancel,
        cancelled: alert.status == AlertStatus::Cancelled,
        is_cancel: alert.msg_type == AlertMsgType::Cancel,
        withdrawn: alert.withdrawn,
    }
}

/// Whom an alert is for, in words (市内全域, or each area with its zones).
pub fn target_words(
    bousai: &Bousai,
    alert: &StoredAlert,
    language: Language,
    areas: &Areas,
) -> String {
    serde_json::from_str::<AlertTarget>(&alert.target)
        .map(|target| area_names(&target, language, bousai.catalog(), areas))
        .unwrap_or_default()
}

//! The store seam for alerts as the disaster office writes, approves, sends and cancels them,
//! and for citizens' one-tap answers.

use async_trait::async_trait;
use jiff::Timestamp;
use uuid::Uuid;

use super::StoreError;
use crate::domain::AccountId;

/// Where an alert stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertStatus {
    /// Written; a second staff member must approve it (承認待ち).
    Pending,
    /// Approved (or needing no approval) and being sent: a crash here is resumed.
    Approved,
    /// Sent (送信済み).
    Sent,
    /// Cancelled (取消); a cancel notice follows it.
    Cancelled,
}

impl AlertStatus {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            AlertStatus::Pending => "pending",
            AlertStatus::Approved => "approved",
            AlertStatus::Sent => "sent",
            AlertStatus::Cancelled => "cancelled",
        }
    }

    /// Reads a stored code.
    pub fn parse(code: &str) -> Option<AlertStatus> {
        [
            AlertStatus::Pending,
            AlertStatus::Approved,
            AlertStatus::Sent,
            AlertStatus::Cancelled,
        ]
        .into_iter()
        .find(|status| status.code() == code)
    }
}

/// What an alert is to the ones before it (CAP's `msgType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertMsgType {
    /// A first alert.
    Alert,
    /// A 続報: replaces the one it refers to.
    Update,
    /// A 取消: the one it refers to was cancelled.
    Cancel,
}

impl AlertMsgType {
    /// The stored code.
    pub fn code(self) -> &'static str {
        match self {
            AlertMsgType::Alert => "alert",
            AlertMsgType::Update => "update",
            AlertMsgType::Cancel => "cancel",
        }
    }

    /// Reads a stored code.
    pub fn parse(code: &str) -> Option<AlertMsgType> {
        [
            AlertMsgType::Alert,
            AlertMsgType::Update,
            AlertMsgType::Cancel,
        ]
        .into_iter()
        .find(|kind| kind.code() == code)
    }
}

/// An alert as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAlert {
    /// Its id (UUIDv7); its delivery's source is `alert:{id}`.
    pub alert_id: Uuid,
    /// First alert, 続報 or 取消.
    pub msg_type: AlertMsgType,
    /// The alert a 続報 or 取消 follows.
    pub refers_to: Option<Uuid>,
    /// Where it stands.
    pub status: AlertStatus,
    /// The catalog kind's id.
    pub kind: String,
    /// Whom it is for (JSON of `alerts::AlertTarget`).
    pub target: String,
    /// The opened shelters.
    pub shelters: Vec<String>,
    /// The draft's own words (JSON `{title: {lang: s}, text: {lang: s}}`).
    pub draft_text: String,
    /// Its message per language code, as composed: (code, title, body).
    pub texts: Vec<(String, String, String)>,
    /// When it was issued (発令時刻).
    pub issued_at: Timestamp,
    /// Who wrote it.
    pub created_by: AccountId,
    /// When.
    pub created_at: Timestamp,
    /// Who approved it, when approval was required.
    pub approved_by: Option<AccountId>,
    /// When it was sent.
    pub sent_at: Option<Timestamp>,
    /// How many citizens it was chosen for.
    pub recipients: u64,
    /// When it was cancelled.
    pub cancelled_at: Option<Timestamp>,
    /// Messages withdrawn by its 取消 before they were handed over.
    pub withdrawn: u64,
}

/// One citizen's answer as kept, with who they are (for the office's list of those who need
/// help).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredAnswer {
    /// Their account.
    pub account_id: AccountId,
    /// Their name (氏名).
    pub name: String,
    /// Their email address.
    pub email: String,
    /// The area they answered for.
    pub area: Option<u32>,
    /// The answer's code.
    pub answer: String,
    /// When.
    pub at: Timestamp,
}

/// Alerts and answers.
#[async_trait]
pub trait AlertLog: Send + Sync + 'static {
    /// Keeps a new alert.
    async fn insert_alert(&self, alert: StoredAlert) -> Result<(), StoreError>;

    /// One alert.
    async fn alert(&self, alert_id: Uuid) -> Result<Option<StoredAlert>, StoreError>;

    /// The newest alerts (pending ones too), newest first.
    async fn alerts(&self, limit: u32) -> Result<Vec<StoredAlert>, StoreError>;

    /// The alerts still to be sent (approved, not yet sent: a crash stopped them).
    async fn unsent_alerts(&self) -> Result<Vec<Uuid>, StoreError>;

    /// Pending → approved by `by`; false when it was not pending.
    async fn approve_alert(&self, alert_id: Uuid, by: AccountId) -> Result<bool, StoreError>;

    /// Approved → sent to `recipients`; false when it was not approved.
    async fn mark_alert_sent(
        &self,
        alert_id: Uuid,
        recipients: u64,
        now: Timestamp,
    ) -> Result<bool, StoreError>;

    /// Cancels a sent alert, withdraws its messages no sender has taken yet, and keeps its
    /// cancel notice (approved, to be sent), in one transaction; false (and nothing changed)
    /// when it was not sent.
    async fn cancel_alert(
        &self,
        alert_id: Uuid,
        by: AccountId,
        now: Timestamp,
        notice: StoredAlert,
    ) -> Result<bool, StoreError>;

    /// The id of the alert's delivery, once made.
    async fn alert_delivery(&self, alert_id: Uuid) -> Result<Option<Uuid>, StoreError>;

    /// Keeps a citizen's answer (replacing their earlier one).
    async fn save_answer(
        &self,
        alert_id: Uuid,
        account_id: AccountId,
        answer: &str,
        area: Option<u32>,
        now: Timestamp,
    ) -> Result<(), StoreError>;

    /// Every answer to an alert.
    async fn answers(&self, alert_id: Uuid) -> Result<Vec<StoredAnswer>, StoreError>;

    /// A citizen's answer to an alert: (answer code, area).
    async fn answer_of(
        &self,
        alert_id: Uuid,
        account_id: AccountId,
    ) -> Result<Option<(String, Option<u32>)>, StoreError>;
}

//! LINE: the Messaging API client behind the [`LineApi`] seam ([`client`]), webhooks
//! ([`webhook`]: signature and events) and account linking ([`linking`]: the rich menu's
//! 「市民ポータルサイト LINE連携」 → link token → the portal's login → nonce → `accountLink`).

pub mod client;
pub mod linking;
pub mod webhook;

use async_trait::async_trait;
use serde_json::Value;
use uuid::Uuid;

use crate::domain::notify::SendFailure;

/// Why a LINE call did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    /// No channel access token is configured (`PORTAL_LINE_CHANNEL_TOKEN`).
    #[error("LINE is not configured (PORTAL_LINE_CHANNEL_TOKEN)")]
    NotConfigured,
    /// The platform refused or could not be reached.
    #[error("{}", .0.message())]
    Failure(SendFailure),
}

impl LineError {
    /// The failure as the delivery engine decides on it.
    pub fn failure(&self) -> SendFailure {
        match self {
            LineError::NotConfigured => SendFailure::Transient(self.to_string()),
            LineError::Failure(failure) => failure.clone(),
        }
    }
}

/// The Messaging API operations the portal uses. Push and multicast carry an
/// `X-Line-Retry-Key`: calling again with the same key never delivers twice.
#[async_trait]
pub trait LineApi: Send + Sync + 'static {
    /// `POST /v2/bot/message/push` to one user.
    async fn push(&self, to: &str, messages: &[Value], retry_key: Uuid) -> Result<(), LineError>;

    /// `POST /v2/bot/message/multicast` to up to 500 users.
    async fn multicast(
        &self,
        to: &[String],
        messages: &[Value],
        retry_key: Uuid,
    ) -> Result<(), LineError>;

    /// `POST /v2/bot/message/reply` to a webhook event's reply token.
    async fn reply(&self, reply_token: &str, messages: &[Value]) -> Result<(), LineError>;

    /// `POST /v2/bot/user/{userId}/linkToken`.
    async fn issue_link_token(&self, user_id: &str) -> Result<String, LineError>;

    /// Whether a channel token is configured.
    fn configured(&self) -> bool;
}

/// A LINE text message object.
pub fn text_message(text: &str) -> Value {
    serde_json::json!({ "type": "text", "text": crate::domain::notify::fit_line_text(text) })
}

/// The most quick-reply buttons LINE shows under a message.
pub const MAX_QUICK_REPLIES: usize = 13;

/// A LINE text message with quick-reply buttons that answer by postback (the label is also
/// what the chat shows the user as having said).
pub fn text_message_with_replies(text: &str, actions: &[crate::store::LineAction]) -> Value {
    let mut message = text_message(text);
    if !actions.is_empty() {
        let items: Vec<Value> = actions
            .iter()
            .take(MAX_QUICK_REPLIES)
            .map(|action| {
                let label: String = action.label.chars().take(20).collect();
                serde_json::json!({
                    "type": "action",
                    "action": {
                        "type": "postback",
                        "label": label,
                        "data": action.data,
                        "displayText": action.label,
                    }
                })
            })
            .collect();
        message["quickReply"] = serde_json::json!({ "items": items });
    }
    message
}

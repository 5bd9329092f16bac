//! Webhook events as the LINE platform sends them: event objects for `follow`,
//! `unfollow`, `message` (text) and `accountLink`, a body validated against
//! LINE's `webhook.yml` (`CallbackRequest`), its `X-Line-Signature`, and a POST
//! of it to the portal's webhook URL.
//!
//! Events that carry a reply token register it with the fake, so a
//! `POST /v2/bot/message/reply` with it delivers to that user.

use anyhow::{Context, Result, ensure};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use super::{LineFake, schema};

/// The bot's own user id, as `destination` of every webhook body (`U` + 32 hex).
pub const DESTINATION: &str = "U0123456789abcdef0123456789abcdef";

/// `X-Line-Signature` of `body`: base64 of HMAC-SHA256 over the raw bytes, keyed
/// with the channel secret.
pub fn signature(channel_secret: &str, body: &[u8]) -> String {
    #[allow(clippy::expect_used)] // HMAC accepts a key of any length
    let mut mac = Hmac::<Sha256>::new_from_slice(channel_secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// A webhook body ready to send: the exact bytes and their signature.
#[derive(Debug, Clone)]
pub struct SignedWebhook {
    /// The raw JSON body.
    pub body: String,
    /// The `X-Line-Signature` header value for it.
    pub signature: String,
}

/// A fresh id in the 26-character shape of LINE's ULID `webhookEventId`s.
fn event_id() -> String {
    const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let bits = uuid::Uuid::now_v7().as_u128();
    (0..26)
        .rev()
        .map(|i| char::from(CROCKFORD[((bits >> (i * 5)) & 31) as usize]))
        .collect()
}

impl LineFake {
    /// The fields every event has, from `user_id`, with `extra` merged in.
    fn event(&self, kind: &str, user_id: &str, extra: Value) -> Value {
        let mut event = json!({
            "type": kind,
            "mode": "active",
            "timestamp": jiff::Timestamp::now().as_millisecond(),
            "source": { "type": "user", "userId": user_id },
            "webhookEventId": event_id(),
            "deliveryContext": { "isRedelivery": false },
        });
        if let (Some(event), Value::Object(extra)) = (event.as_object_mut(), extra) {
            event.extend(extra);
        }
        if let Some(token) = event.get("replyToken").and_then(Value::as_str) {
            let mut records = self.shared.lock();
            records
                .reply_tokens
                .insert(token.to_owned(), user_id.to_owned());
        }
        event
    }

    /// A new reply token.
    fn reply_token() -> String {
        uuid::Uuid::now_v7().simple().to_string()
    }

    /// `follow`: the user added the official account as a friend (or unblocked it).
    pub fn follow_event(&self, user_id: &str) -> Value {
        let extra =
            json!({ "replyToken": Self::reply_token(), "follow": { "isUnblocked": false } });
        self.event("follow", user_id, extra)
    }

    /// `unfollow`: the user blocked the official account.
    pub fn unfollow_event(&self, user_id: &str) -> Value {
        self.event("unfollow", user_id, json!({}))
    }

    /// `message` with a text message the user sent.
    pub fn text_message_event(&self, user_id: &str, text: &str) -> Value {
        let message =
            json!({ "type": "text", "id": event_id(), "text": text, "quoteToken": event_id() });
        let extra = json!({ "replyToken": Self::reply_token(), "message": message });
        self.event("message", user_id, extra)
    }

    /// `postback`: the user tapped a rich-menu button whose action is a postback with `data`.
    pub fn postback_event(&self, user_id: &str, data: &str) -> Value {
        let extra = json!({ "replyToken": Self::reply_token(), "postback": { "data": data } });
        self.event("postback", user_id, extra)
    }

    /// `accountLink`: the user finished (`ok`) or failed LINE's account-link flow
    /// with the nonce the portal issued. A failed link has no reply token, as on LINE.
    pub fn account_link_event(&self, user_id: &str, nonce: &str, ok: bool) -> Value {
        let result = if ok { "ok" } else { "failed" };
        let mut extra = json!({ "link": { "result": result, "nonce": nonce } });
        if ok {
            extra["replyToken"] = Value::String(Self::reply_token());
        }
        self.event("accountLink", user_id, extra)
    }

    /// A webhook body holding `events`, validated against `webhook.yml`, and signed
    /// with the channel secret.
    pub fn signed_webhook(&self, events: Vec<Value>) -> Result<SignedWebhook> {
        let callback = json!({ "destination": DESTINATION, "events": events });
        let errors = schema::webhook()?.validate_named("CallbackRequest", &callback);
        ensure!(
            errors.is_empty(),
            "webhook body breaks webhook.yml: {errors:?}"
        );
        let body = serde_json::to_string(&callback)?;
        let signature = signature(&self.shared.config.channel_secret, body.as_bytes());
        Ok(SignedWebhook { body, signature })
    }

    /// Signs `events` and POSTs them to `url` (the portal's `/webhooks/line`), as LINE does.
    pub async fn post_webhook(&self, url: &str, events: Vec<Value>) -> Result<reqwest::Response> {
        let signed = self.signed_webhook(events)?;
        reqwest::Client::new()
            .post(url)
            .header("content-type", "application/json; charset=utf-8")
            .header("x-line-signature", signed.signature)
            .body(signed.body)
            .send()
            .await
            .with_context(|| format!("posting a LINE webhook to {url}"))
    }
}

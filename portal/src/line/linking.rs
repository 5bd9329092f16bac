//! LINE account linking, as the city's guide (登録手順3) describes it:
//!
//! 1. the citizen taps 「市民ポータルサイト LINE連携」 in the official account's rich menu; the
//!    webhook receives it, the portal asks LINE for a link token for that user and replies
//!    with a link to `/line/link?linkToken=…`;
//! 2. the citizen logs in to the portal there and confirms; the portal stores a single-use
//!    nonce (its hash) for the account and sends the browser to LINE's account-link dialog;
//! 3. LINE sends an `accountLink` event with the nonce; the portal links the account to the
//!    LINE user and says so in LINE.
//!
//! Unlinking happens from the portal's settings, and when the user blocks the account
//! (`unfollow`).

use std::sync::Arc;

use jiff::SignedDuration;
use sha2::{Digest, Sha256};

use super::{
    LineApi, text_message,
    webhook::{self, Action, Event},
};
use crate::{
    clock::Clock,
    domain::AccountId,
    store::{LineLinkStore, LinkOutcome, StoreError},
};

/// LINE's account-link dialog the browser is sent to with the link token and nonce.
pub const ACCOUNT_LINK_DIALOG: &str = "https://access.line.me/dialog/bot/accountLink";

/// How long a nonce waits for LINE's `accountLink` event.
pub const NONCE_LIFETIME: SignedDuration = SignedDuration::from_mins(10);

/// How long webhook event ids are remembered against redeliveries.
const REMEMBER_EVENTS: SignedDuration = SignedDuration::from_hours(72);

/// Why a webhook was refused.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// No channel secret is configured, so no signature can be checked.
    #[error("LINE is not configured")]
    NotConfigured,
    /// The `X-Line-Signature` is missing or does not sign the body.
    #[error("bad X-Line-Signature")]
    BadSignature,
    /// The body is not a webhook body.
    #[error("not a webhook body")]
    Malformed,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The LINE side of the portal: webhooks and links.
#[derive(Clone)]
pub struct LineLinking {
    api: Arc<dyn LineApi>,
    links: Arc<dyn LineLinkStore>,
    clock: Arc<dyn Clock>,
    channel_secret: Option<String>,
    base_url: String,
    answers: Option<Arc<dyn AnswerSink>>,
}

/// Where a linked citizen's one-tap answer to an alert goes (the 避難情報 service).
#[async_trait::async_trait]
pub trait AnswerSink: Send + Sync + 'static {
    /// Keeps `account`'s answer to `alert`; returns the reply to show them, in their language.
    async fn answer(
        &self,
        account: crate::domain::AccountId,
        alert: uuid::Uuid,
        answer: &str,
    ) -> Result<String, StoreError>;
}

fn nonce_hash(nonce: &str) -> [u8; 32] {
    Sha256::digest(nonce.as_bytes()).into()
}

impl LineLinking {
    /// The service; `base_url` is the portal's public address (links in LINE messages).
    pub fn new(
        api: Arc<dyn LineApi>,
        links: Arc<dyn LineLinkStore>,
        clock: Arc<dyn Clock>,
        channel_secret: Option<String>,
        base_url: String,
    ) -> Self {
        Self {
            api,
            links,
            clock,
            channel_secret: channel_secret.filter(|secret| !secret.is_empty()),
            base_url,
            answers: None,
        }
    }

    /// The same, passing one-tap answers to alerts on to `answers`.
    pub fn with_answers(mut self, answers: Arc<dyn AnswerSink>) -> Self {
        self.answers = Some(answers);
        self
    }

    /// Whether the portal can take part in linking (a channel secret and token are set).
    pub fn configured(&self) -> bool {
        self.channel_secret.is_some() && self.api.configured()
    }

    /// Checks a webhook's signature and handles its events; a redelivered event is handled
    /// once. Returns how many events were new.
    pub async fn webhook(
        &self,
        body: &[u8],
        signature: Option<&str>,
    ) -> Result<usize, WebhookError> {
        let secret = self
            .channel_secret
            .as_deref()
            .ok_or(WebhookError::NotConfigured)?;
        let signature = signature.ok_or(WebhookError::BadSignature)?;
        if !webhook::signature_is_valid(secret, body, signature) {
            return Err(WebhookError::BadSignature);
        }
        let events = webhook::parse(body).ok_or(WebhookError::Malformed)?;
        let mut new = 0;
        for event in events {
            let now = self.clock.now();
            let forget = now.checked_sub(REMEMBER_EVENTS).unwrap_or(now);
            if !event.webhook_event_id.is_empty()
                && !self
                    .links
                    .first_sight(&event.webhook_event_id, now, forget)
                    .await?
            {
                continue;
            }
            new += 1;
            let event_id = event.webhook_event_id.clone();
            if let Err(error) = self.handle(event).await {
                // Not handled: let LINE's redelivery of it through.
                if !event_id.is_empty() {
                    self.links.forget_event(&event_id).await?;
                }
                return Err(error.into());
            }
        }
        Ok(new)
    }

    async fn reply(&self, event: &Event, text: &str) {
        let Some(token) = &event.reply_token else {
            return;
        };
        if let Err(error) = self.api.reply(token, &[text_message(text)]).await {
            tracing::warn!(%error, "LINE reply failed");
        }
    }

    async fn handle(&self, event: Event) -> Result<(), StoreError> {
        let Some(user_id) = event.user_id.clone() else {
            return Ok(());
        };
        match &event.action {
            Action::Follow => {
                self.reply(
                    &event,
                    "友だち追加ありがとうございます。\n市民ポータルサイトからのお知らせをLINEで受け取るには、メニューの「市民ポータルサイト LINE連携」を押してください。",
                )
                .await;
            }
            Action::Unfollow => {
                if let Some(account) = self.links.unlink_line_user(&user_id).await? {
                    tracing::info!(%account, "LINE link removed: the user blocked the account");
                }
            }
            Action::LinkRequest => match self.api.issue_link_token(&user_id).await {
                Ok(link_token) => {
                    let url = format!(
                        "{}/line/link?linkToken={}",
                        self.base_url.trim_end_matches('/'),
                        urlencode(&link_token)
                    );
                    let text = format!(
                        "市民ポータルサイトとLINEを連携します。\n次のページで市民ポータルサイトに登録した「メールアドレス」と「パスワード」でログインしてください。\n{url}"
                    );
                    self.reply(&event, &text).await;
                }
                Err(error) => {
                    tracing::warn!(%error, "LINE link token could not be issued");
                    self.reply(
                        &event,
                        "ただいま連携を開始できません。しばらくしてからもう一度お試しください。",
                    )
                    .await;
                }
            },
            Action::AccountLinked { nonce: Some(nonce) } => {
                match self
                    .links
                    .link_with_nonce(nonce_hash(nonce), &user_id, self.clock.now())
                    .await?
                {
                    LinkOutcome::Linked(account) => {
                        tracing::info!(%account, "LINE account linked");
                        self.reply(
                            &event,
                            "市民ポータルサイトとの連携が完了しました。お知らせがLINEにも届きます。",
                        )
                        .await;
                    }
                    LinkOutcome::UnknownNonce => {
                        tracing::warn!("accountLink with an unknown or expired nonce");
                        self.reply(
                            &event,
                            "連携の有効期限が切れました。もう一度メニューの「市民ポータルサイト LINE連携」からお試しください。",
                        )
                        .await;
                    }
                }
            }
            Action::AccountLinked { nonce: None } => {
                tracing::info!("LINE reported a failed account link");
            }
            Action::Answer { alert, answer } => {
                let Some(answers) = &self.answers else {
                    return Ok(());
                };
                match self.links.account_of_line_user(&user_id).await? {
                    Some(account) => {
                        let reply = answers.answer(account, *alert, answer).await?;
                        self.reply(&event, &reply).await;
                    }
                    None => {
                        self.reply(
                            &event,
                            "回答するには、メニューの「市民ポータルサイト LINE連携」から連携してください。",
                        )
                        .await;
                    }
                }
            }
            Action::Text(_) | Action::Ignored => {}
        }
        Ok(())
    }

    /// Starts the last step for a signed-in citizen who came with `link_token`: stores a
    /// nonce and returns LINE's account-link dialog URL to send the browser to.
    pub async fn start_link(
        &self,
        account_id: AccountId,
        link_token: &str,
    ) -> Result<String, StoreError> {
        let nonce = crate::domain::tokens::new_token().secret;
        let expires_at = self
            .clock
            .now()
            .checked_add(NONCE_LIFETIME)
            .unwrap_or_else(|_| self.clock.now());
        self.links
            .create_link_nonce(nonce_hash(&nonce), account_id, expires_at)
            .await?;
        Ok(format!(
            "{ACCOUNT_LINK_DIALOG}?linkToken={}&nonce={}",
            urlencode(link_token),
            urlencode(&nonce)
        ))
    }

    /// The LINE user the account is linked to.
    pub async fn linked_user(&self, account_id: AccountId) -> Result<Option<String>, StoreError> {
        self.links.line_user(account_id).await
    }

    /// Removes the account's link; whether there was one.
    pub async fn unlink(&self, account_id: AccountId) -> Result<bool, StoreError> {
        let removed = self.links.unlink_account(account_id).await?;
        if removed.is_some() {
            tracing::info!(account = %account_id, "LINE link removed by the citizen");
        }
        Ok(removed.is_some())
    }
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Whether `text` looks like a LINE link token (what `/line/link` accepts).
pub fn plausible_link_token(text: &str) -> bool {
    (8..=128).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use async_trait::async_trait;
    use base64::Engine;
    use hmac::{Hmac, Mac};
    use serde_json::{Value, json};
    use uuid::Uuid;

    use super::*;
    use crate::{
        clock::FixedClock,
        domain::Email,
        line::LineError,
        store::{AccountStatus, AccountStore, NewAccount, sqlite::test_support},
    };

    #[derive(Default)]
    struct Line {
        tokens_issued: Mutex<u32>,
        replies: Mutex<Vec<String>>,
    }

    #[async_trait]
    impl LineApi for Line {
        async fn push(&self, _: &str, _: &[Value], _: Uuid) -> Result<(), LineError> {
            Ok(())
        }
        async fn multicast(&self, _: &[String], _: &[Value], _: Uuid) -> Result<(), LineError> {
            Ok(())
        }
        async fn reply(&self, _: &str, messages: &[Value]) -> Result<(), LineError> {
            let text = messages[0]["text"].as_str().unwrap().to_owned();
            self.replies.lock().unwrap().push(text);
            Ok(())
        }
        async fn issue_link_token(&self, _: &str) -> Result<String, LineError> {
            *self.tokens_issued.lock().unwrap() += 1;
            Ok("linktoken0123456789".into())
        }
        fn configured(&self) -> bool {
            true
        }
    }

    fn signed(events: Value) -> (Vec<u8>, String) {
        let body = json!({ "destination": "U0", "events": events }).to_string();
        let mut mac = Hmac::<Sha256Mac>::new_from_slice(b"secret").unwrap();
        mac.update(body.as_bytes());
        let signature =
            base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        (body.into_bytes(), signature)
    }

    type Sha256Mac = sha2::Sha256;

    /// Starts the portal's step for `account_id` and returns the nonce in LINE's dialog URL.
    async fn nonce_of(linking: &LineLinking, account_id: AccountId) -> String {
        let dialog = linking
            .start_link(account_id, "linktoken0123456789")
            .await
            .unwrap();
        let url = url::Url::parse(&dialog).unwrap();
        let (_, nonce) = url.query_pairs().find(|(k, _)| k == "nonce").unwrap();
        nonce.into_owned()
    }

    fn event(id: &str, kind: &str, extra: Value) -> Value {
        let mut event = json!({
            "type": kind, "webhookEventId": id, "replyToken": format!("r-{id}"),
            "source": { "type": "user", "userId": "U1" },
        });
        event
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        event
    }

    #[tokio::test]
    async fn a_link_request_and_its_account_link_event_link_the_account_once() {
        let (store, _dir) = test_support::store();
        let clock = FixedClock::new("2026-12-02T09:00:00Z".parse().unwrap());
        let line = Arc::new(Line::default());
        let linking = LineLinking::new(
            line.clone(),
            Arc::new(store.clone()),
            Arc::new(clock.clone()),
            Some("secret".into()),
            "https://portal.example.jp".into(),
        );
        let account_id = AccountId::new();
        let account = NewAccount {
            account_id,
            email: Email::parse("hanako@example.jp").unwrap(),
            family_name: "山田".into(),
            given_name: "花子".into(),
            password_hash: None,
            status: AccountStatus::Active,
            lang: "ja".into(),
            roles: vec![],
            created_at: clock.now(),
            terms_accepted_at: None,
        };
        store.create_account(account, None, None).await.unwrap();

        let (body, signature) = signed(json!([event(
            "E1",
            "postback",
            json!({"postback": {"data": "action=link"}})
        )]));
        assert!(matches!(
            linking.webhook(&body, Some("bm90IGl0")).await,
            Err(WebhookError::BadSignature)
        ));
        assert_eq!(linking.webhook(&body, Some(&signature)).await.unwrap(), 1);
        // The same event again (a redelivery) is not handled twice.
        assert_eq!(linking.webhook(&body, Some(&signature)).await.unwrap(), 0);
        assert_eq!(*line.tokens_issued.lock().unwrap(), 1);
        let replies = line.replies.lock().unwrap().clone();
        assert!(
            replies[0]
                .contains("https://portal.example.jp/line/link?linkToken=linktoken0123456789")
        );

        let nonce = nonce_of(&linking, account_id).await;
        // An expired nonce does not link.
        clock.advance(NONCE_LIFETIME + SignedDuration::from_secs(1));
        let (late, late_sig) = signed(json!([event(
            "E2",
            "accountLink",
            json!({"link": {"result": "ok", "nonce": nonce}})
        )]));
        linking.webhook(&late, Some(&late_sig)).await.unwrap();
        assert_eq!(linking.linked_user(account_id).await.unwrap(), None);

        let nonce = nonce_of(&linking, account_id).await;
        let (ok, ok_sig) = signed(json!([event(
            "E3",
            "accountLink",
            json!({"link": {"result": "ok", "nonce": nonce}})
        )]));
        linking.webhook(&ok, Some(&ok_sig)).await.unwrap();
        assert_eq!(
            linking.linked_user(account_id).await.unwrap().as_deref(),
            Some("U1")
        );

        let (gone, gone_sig) = signed(json!([event("E4", "unfollow", json!({}))]));
        linking.webhook(&gone, Some(&gone_sig)).await.unwrap();
        assert_eq!(linking.linked_user(account_id).await.unwrap(), None);
    }
}

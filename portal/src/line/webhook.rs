//! LINE webhooks, apart from any I/O: the `X-Line-Signature` check (base64 HMAC-SHA256 of the
//! raw body with the channel secret, compared in constant time) and the events the portal acts
//! on, read from the body LINE sends (`webhook.yml`'s `CallbackRequest`).

use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// Whether `signature` (the header's value) signs `body` with `channel_secret`.
pub fn signature_is_valid(channel_secret: &str, body: &[u8], signature: &str) -> bool {
    let Ok(expected) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(channel_secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

/// What a webhook event asks of the portal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// The user added the official account as a friend.
    Follow,
    /// The user blocked the official account: unlink.
    Unfollow,
    /// The user asked to link their portal account (the rich menu's 「市民ポータルサイト
    /// LINE連携」, as a postback or as text).
    LinkRequest,
    /// LINE's account-link flow ended; `nonce` is the portal's, when it succeeded.
    AccountLinked {
        /// The nonce the portal issued, `None` when LINE reports a failure.
        nonce: Option<String>,
    },
    /// A one-tap answer to an alert, from the quick-reply buttons under it.
    Answer {
        /// The alert.
        alert: uuid::Uuid,
        /// The answer's code (`safe`, `evacuated`, `need_help`).
        answer: String,
    },
    /// Any other text the user sent.
    Text(String),
    /// Something the portal does not act on.
    Ignored,
}

/// One event of a webhook body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Its `webhookEventId` (for redeliveries).
    pub webhook_event_id: String,
    /// The LINE user it came from (events from groups and rooms carry none the portal uses).
    pub user_id: Option<String>,
    /// A reply token, if the event carries one.
    pub reply_token: Option<String>,
    /// What it asks.
    pub action: Action,
}

/// The texts and postback data that ask for a link.
const LINK_WORDS: &[&str] = &[
    "市民ポータルサイト LINE連携",
    "市民ポータルサイトLINE連携",
    "LINE連携",
    "連携",
    "link",
];

/// The postback data of the rich menu's link button.
pub const LINK_POSTBACK: &str = "action=link";

/// The postback data of an alert's one-tap answer.
pub fn answer_postback(alert: uuid::Uuid, answer: &str) -> String {
    format!("action=answer&alert={alert}&answer={answer}")
}

/// Reads an answer's postback data.
fn answer(data: &str) -> Option<Action> {
    let mut pairs = url::form_urlencoded::parse(data.as_bytes());
    if pairs.next()? != ("action".into(), "answer".into()) {
        return None;
    }
    let (mut alert, mut answer) = (None, None);
    for (key, value) in pairs {
        match key.as_ref() {
            "alert" => alert = uuid::Uuid::parse_str(&value).ok(),
            "answer" => answer = Some(value.into_owned()),
            _ => {}
        }
    }
    Some(Action::Answer {
        alert: alert?,
        answer: answer?,
    })
}

fn action(event: &Value) -> Action {
    match event["type"].as_str().unwrap_or_default() {
        "follow" => Action::Follow,
        "unfollow" => Action::Unfollow,
        "postback" if event["postback"]["data"] == LINK_POSTBACK => Action::LinkRequest,
        "postback" => event["postback"]["data"]
            .as_str()
            .and_then(answer)
            .unwrap_or(Action::Ignored),
        "message" if event["message"]["type"] == "text" => {
            let text = event["message"]["text"].as_str().unwrap_or_default().trim();
            if LINK_WORDS
                .iter()
                .any(|word| text.eq_ignore_ascii_case(word))
            {
                Action::LinkRequest
            } else {
                Action::Text(text.to_owned())
            }
        }
        "accountLink" => Action::AccountLinked {
            nonce: (event["link"]["result"] == "ok")
                .then(|| event["link"]["nonce"].as_str().map(str::to_owned))
                .flatten(),
        },
        _ => Action::Ignored,
    }
}

/// The events of a webhook body; `None` when it is not a webhook body at all.
pub fn parse(body: &[u8]) -> Option<Vec<Event>> {
    let callback: Value = serde_json::from_slice(body).ok()?;
    let events = callback.get("events")?.as_array()?;
    Some(
        events
            .iter()
            .map(|event| Event {
                webhook_event_id: event["webhookEventId"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                user_id: (event["source"]["type"] == "user")
                    .then(|| event["source"]["userId"].as_str().map(str::to_owned))
                    .flatten(),
                reply_token: event["replyToken"].as_str().map(str::to_owned),
                action: action(event),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(body);
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    }

    #[test]
    fn only_the_channel_secret_signs_a_body() {
        let body = br#"{"destination":"U1","events":[]}"#;
        let good = sign("secret", body);
        assert!(signature_is_valid("secret", body, &good));
        assert!(!signature_is_valid("other", body, &good));
        assert!(!signature_is_valid("secret", b"{}", &good));
        assert!(!signature_is_valid("secret", body, "not base64!"));
        assert!(!signature_is_valid("secret", body, ""));
    }

    #[test]
    fn events_are_read_as_actions() {
        let body = serde_json::json!({
            "destination": "U0",
            "events": [
                {"type": "follow", "webhookEventId": "E1", "replyToken": "r1",
                 "source": {"type": "user", "userId": "U1"}},
                {"type": "message", "webhookEventId": "E2", "replyToken": "r2",
                 "source": {"type": "user", "userId": "U1"},
                 "message": {"type": "text", "id": "1", "text": " 市民ポータルサイト LINE連携 "}},
                {"type": "postback", "webhookEventId": "E3", "replyToken": "r3",
                 "source": {"type": "user", "userId": "U1"}, "postback": {"data": "action=link"}},
                {"type": "accountLink", "webhookEventId": "E4", "replyToken": "r4",
                 "source": {"type": "user", "userId": "U1"},
                 "link": {"result": "ok", "nonce": "n0nce"}},
                {"type": "accountLink", "webhookEventId": "E5",
                 "source": {"type": "user", "userId": "U1"},
                 "link": {"result": "failed", "nonce": "n0nce"}},
                {"type": "unfollow", "webhookEventId": "E6",
                 "source": {"type": "group", "groupId": "G1"}},
                {"type": "message", "webhookEventId": "E7",
                 "source": {"type": "user", "userId": "U1"},
                 "message": {"type": "text", "id": "2", "text": "こんにちは"}}
            ]
        });
        let events = parse(body.to_string().as_bytes()).unwrap();
        let actions: Vec<&Action> = events.iter().map(|e| &e.action).collect();
        assert_eq!(
            actions,
            [
                &Action::Follow,
                &Action::LinkRequest,
                &Action::LinkRequest,
                &Action::AccountLinked {
                    nonce: Some("n0nce".into())
                },
                &Action::AccountLinked { nonce: None },
                &Action::Unfollow,
                &Action::Text("こんにちは".into()),
            ]
        );
        assert_eq!(events[0].user_id.as_deref(), Some("U1"));
        assert_eq!(events[0].reply_token.as_deref(), Some("r1"));
        assert_eq!(events[5].user_id, None);
        assert_eq!(parse(b"not json"), None);
    }

    #[test]
    fn an_answer_postback_reads_back_and_other_data_is_ignored() {
        let alert = uuid::Uuid::now_v7();
        assert_eq!(
            answer(&answer_postback(alert, "need_help")),
            Some(Action::Answer {
                alert,
                answer: "need_help".into()
            })
        );
        assert_eq!(answer("action=answer&alert=not-a-uuid&answer=safe"), None);
        assert_eq!(answer(&format!("action=answer&alert={alert}")), None);
        assert_eq!(
            answer(&format!("action=other&alert={alert}&answer=safe")),
            None
        );
        let body = serde_json::json!({"destination": "U0", "events": [
            {"type": "postback", "webhookEventId": "E9", "source": {"type": "user", "userId": "U1"},
             "postback": {"data": "action=unknown"}}
        ]});
        let events = parse(body.to_string().as_bytes()).unwrap();
        assert_eq!(events[0].action, Action::Ignored);
    }
}

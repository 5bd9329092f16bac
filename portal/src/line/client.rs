//! The LINE Messaging API over HTTPS (reqwest): push, multicast, reply and link tokens, with
//! each answer classified for the delivery engine (429 with its `Retry-After`, 409 to a retry
//! key as "already accepted", 5xx and network failures as transient, other 4xx as refusals).

use std::time::Duration;

use async_trait::async_trait;
use jiff::Timestamp;
use serde_json::{Value, json};
use uuid::Uuid;

use super::{LineApi, LineError};
use crate::domain::notify::{SendFailure, parse_retry_after};

/// A LINE Messaging API client for one channel.
#[derive(Clone)]
pub struct HttpLineApi {
    http: reqwest::Client,
    base: String,
    token: Option<String>,
}

impl std::fmt::Debug for HttpLineApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpLineApi")
            .field("base", &self.base)
            .field("token", &self.token.as_ref().map(|_| "…"))
            .finish()
    }
}

impl HttpLineApi {
    /// A client of the platform at `base` (`https://api.line.me`) with the channel access
    /// token, if configured. Connections are kept alive and reused.
    pub fn new(base: &str, token: Option<String>) -> Result<Self, LineError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .pool_max_idle_per_host(16)
            .build()
            .map_err(|error| LineError::Failure(SendFailure::Transient(error.to_string())))?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_owned(),
            token: token.filter(|token| !token.is_empty()),
        })
    }

    async fn call(
        &self,
        path: &str,
        body: Option<Value>,
        retry_key: Option<Uuid>,
    ) -> Result<Value, LineError> {
        let token = self.token.as_deref().ok_or(LineError::NotConfigured)?;
        let mut request = self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(token);
        if let Some(body) = &body {
            request = request.json(body);
        }
        if let Some(key) = retry_key {
            request = request.header("X-Line-Retry-Key", key.to_string());
        }
        let response = request.send().await.map_err(|error| {
            LineError::Failure(SendFailure::Transient(format!("LINE: {error}")))
        })?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| parse_retry_after(value, Timestamp::now()));
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        classify(status, answer, retry_after, retry_key.is_some())
    }
}

/// What an answer of the platform means for the caller.
pub fn classify(
    status: u16,
    answer: Value,
    retry_after: Option<jiff::SignedDuration>,
    had_retry_key: bool,
) -> Result<Value, LineError> {
    let message = || {
        let text = answer["message"].as_str().unwrap_or("no message");
        format!("LINE {status}: {text}")
    };
    match status {
        200..=299 => Ok(answer),
        // The same retry key was accepted before: this request was delivered already.
        409 if had_retry_key => Ok(answer),
        429 => Err(LineError::Failure(SendFailure::RateLimited {
            message: message(),
            retry_after,
        })),
        // A wrong or expired channel token is fixed by the city, not by the message: keep
        // retrying until it is.
        401 | 403 | 408 | 500..=599 => Err(LineError::Failure(SendFailure::Transient(message()))),
        _ => Err(LineError::Failure(SendFailure::Permanent(message()))),
    }
}

#[async_trait]
impl LineApi for HttpLineApi {
    async fn push(&self, to: &str, messages: &[Value], retry_key: Uuid) -> Result<(), LineError> {
        let body = json!({ "to": to, "messages": messages });
        self.call("/v2/bot/message/push", Some(body), Some(retry_key))
            .await
            .map(|_| ())
    }

    async fn multicast(
        &self,
        to: &[String],
        messages: &[Value],
        retry_key: Uuid,
    ) -> Result<(), LineError> {
        let body = json!({ "to": to, "messages": messages });
        self.call("/v2/bot/message/multicast", Some(body), Some(retry_key))
            .await
            .map(|_| ())
    }

    async fn reply(&self, reply_token: &str, messages: &[Value]) -> Result<(), LineError> {
        let body = json!({ "replyToken": reply_token, "messages": messages });
        self.call("/v2/bot/message/reply", Some(body), None)
            .await
            .map(|_| ())
    }

    async fn issue_link_token(&self, user_id: &str) -> Result<String, LineError> {
        let path = format!("/v2/bot/user/{user_id}/linkToken");
        let answer = self.call(&path, None, None).await?;
        answer["linkToken"]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| {
                LineError::Failure(SendFailure::Transient(
                    "LINE: no linkToken in the answer".into(),
                ))
            })
    }

    fn configured(&self) -> bool {
        self.token.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(result: Result<Value, LineError>) -> SendFailure {
        match result {
            Err(LineError::Failure(failure)) => failure,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    #[test]
    fn answers_are_classified_as_the_delivery_engine_needs() {
        assert!(classify(200, json!({}), None, true).is_ok());
        // 409 to a retry key: LINE accepted it before a crash.
        assert!(classify(409, json!({"message": "accepted"}), None, true).is_ok());
        assert!(matches!(
            failure(classify(409, json!({}), None, false)),
            SendFailure::Permanent(_)
        ));
        let wait = Some(jiff::SignedDuration::from_secs(3));
        assert_eq!(
            failure(classify(429, json!({"message": "slow down"}), wait, true)),
            SendFailure::RateLimited {
                message: "LINE 429: slow down".into(),
                retry_after: wait
            }
        );
        assert!(matches!(
            failure(classify(503, Value::Null, None, true)),
            SendFailure::Transient(_)
        ));
        assert!(matches!(
            failure(classify(400, json!({"message": "bad"}), None, true)),
            SendFailure::Permanent(_)
        ));
    }
}

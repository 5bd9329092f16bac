//! A local fake of the LINE platform for the tests — the one stand-in the project
//! allows, because LINE cannot be reached from a test.
//!
//! [`LineFake::start`] serves the Messaging API operations the portal calls
//! (push, multicast, reply, profile, link token) on `127.0.0.1:0`. Every request
//! is checked against LINE's own `messaging-api.yml` (vendored in
//! `tests/line-openapi/`, see `SOURCE.txt` there): the operation must exist, the
//! bearer token must be the channel token and the JSON body must validate. Bad
//! requests get LINE's 400 error shape and are recorded ([`LineFake::invalid_requests`]);
//! every response the fake sends is validated too, and a fake bug is recorded
//! in [`LineFake::response_errors`]. [`LineFake::assert_clean`] checks both.
//!
//! Behaviour follows LINE's documentation: `X-Line-Retry-Key` repeats answer 409
//! with `x-line-accepted-request-id` and deliver nothing twice; rate limits per
//! second answer 429; [`LineFake::set_outage`] makes every call answer 500 or 503.
//! [`webhook`] builds signed webhook bodies and posts them.

mod handler;
pub mod schema;
#[cfg(test)]
mod tests;
pub mod webhook;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use serde_json::Value;
use tokio::task::JoinHandle;

/// What the fake is configured with.
#[derive(Debug, Clone)]
pub struct LineFakeConfig {
    /// The channel access token every request must carry as `Authorization: Bearer`.
    pub channel_token: String,
    /// The channel secret webhook bodies are signed with.
    pub channel_secret: String,
    /// Push requests accepted per second (LINE publishes 2,000/s).
    pub push_per_second: u32,
    /// Multicast requests accepted per second (LINE publishes 200/s).
    pub multicast_per_second: u32,
    /// How long a retry key is remembered (LINE: 24 hours).
    pub retry_key_window: Duration,
}

impl Default for LineFakeConfig {
    fn default() -> Self {
        Self {
            channel_token: "test-channel-token".to_owned(),
            channel_secret: "test-channel-secret".to_owned(),
            push_per_second: 2_000,
            multicast_per_second: 200,
            retry_key_window: Duration::from_secs(24 * 60 * 60),
        }
    }
}

/// A fault to simulate: every API call answers with this status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// Normal service.
    None,
    /// `500 Internal Server Error` to every call.
    InternalError,
    /// `503 Service Unavailable` to every call.
    Unavailable,
}

/// One message a user "received".
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// The LINE user id it went to.
    pub user_id: String,
    /// The message object as sent (`{"type":"text","text":…}`).
    pub message: Value,
    /// The operation that delivered it (`pushMessage`, `multicast`, `replyMessage`).
    pub via: String,
    /// The request's `X-Line-Retry-Key`, if any.
    pub retry_key: Option<String>,
    /// When the fake accepted it.
    pub received_at: std::time::SystemTime,
}

/// A request the fake refused as not matching LINE's description.
#[derive(Debug, Clone)]
pub struct InvalidRequest {
    /// `METHOD /path`.
    pub request: String,
    /// The status answered (400, 401, 404 …).
    pub status: u16,
    /// What was wrong, as `(property, message)`.
    pub errors: Vec<(String, String)>,
}

/// A link token the fake issued.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedLinkToken {
    /// The user it was issued for.
    pub user_id: String,
    /// The token.
    pub link_token: String,
}

/// Everything the server mutates, behind one lock.
#[derive(Debug, Default)]
struct Records {
    deliveries: Vec<Delivery>,
    invalid: Vec<InvalidRequest>,
    response_errors: Vec<String>,
    link_tokens: Vec<IssuedLinkToken>,
    /// Retry key → (request id of the accepted request, when, its 200 body).
    retry_keys: HashMap<String, (String, Instant, Value)>,
    /// Operation id → (start of the current one-second window, requests in it).
    rate_windows: HashMap<String, (Instant, u32)>,
    profiles: HashMap<String, Value>,
    /// Reply token (from a webhook event built here) → the user it replies to.
    reply_tokens: HashMap<String, String>,
    outage: Option<Outage>,
    next_id: u64,
}

/// State shared by the server task and the test.
#[derive(Debug)]
struct Shared {
    config: LineFakeConfig,
    records: Mutex<Records>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Records> {
        self.records
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The running fake; the server stops when this is dropped.
#[derive(Debug)]
pub struct LineFake {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl LineFake {
    /// Starts the fake on a free port of 127.0.0.1.
    pub async fn start(config: LineFakeConfig) -> Result<Self> {
        schema::messaging_api()?;
        schema::webhook()?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding 127.0.0.1:0 for the LINE fake")?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config,
            records: Mutex::default(),
        });
        let app = handler::app(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { addr, shared, task })
    }

    /// The base URL to give the portal as `PORTAL_LINE_API_BASE` (`http://127.0.0.1:PORT`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The configuration it runs with (token, secret, limits).
    pub fn config(&self) -> &LineFakeConfig {
        &self.shared.config
    }

    /// Every message delivered, in order.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.lock().deliveries.clone()
    }

    /// The messages `user_id` received, in order.
    pub fn received(&self, user_id: &str) -> Vec<Value> {
        let records = self.shared.lock();
        let mine = records.deliveries.iter().filter(|d| d.user_id == user_id);
        mine.map(|d| d.message.clone()).collect()
    }

    /// Waits until `user_id` has received at least `count` messages (the portal
    /// sends from a background task), then returns them all; fails after `timeout`.
    pub async fn wait_for_received(
        &self,
        user_id: &str,
        count: usize,
        timeout: Duration,
    ) -> Result<Vec<Value>> {
        let deadline = Instant::now() + timeout;
        loop {
            let received = self.received(user_id);
            if received.len() >= count {
                return Ok(received);
            }
            ensure!(
                Instant::now() < deadline,
                "{user_id} received {} LINE message(s) within {timeout:?}, not {count}: {received:?}",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The requests refused as invalid (bad body, token, path).
    pub fn invalid_requests(&self) -> Vec<InvalidRequest> {
        self.shared.lock().invalid.clone()
    }

    /// Responses of the fake that broke LINE's description (a bug in the fake).
    pub fn response_errors(&self) -> Vec<String> {
        self.shared.lock().response_errors.clone()
    }

    /// Link tokens issued so far.
    pub fn link_tokens(&self) -> Vec<IssuedLinkToken> {
        self.shared.lock().link_tokens.clone()
    }

    /// Makes `GET /v2/bot/profile/{user_id}` answer this display name (unknown users get 404).
    pub fn add_profile(&self, user_id: &str, display_name: &str) {
        let profile =
            serde_json::json!({ "userId": user_id, "displayName": display_name, "language": "ja" });
        self.shared
            .lock()
            .profiles
            .insert(user_id.to_owned(), profile);
    }

    /// Switches a simulated outage on ([`Outage::InternalError`], [`Outage::Unavailable`]) or off.
    pub fn set_outage(&self, outage: Outage) {
        self.shared.lock().outage = Some(outage).filter(|o| *o != Outage::None);
    }

    /// Fails unless every request was valid and every response matched the description.
    pub fn assert_clean(&self) -> Result<()> {
        let records = self.shared.lock();
        ensure!(
            records.invalid.is_empty(),
            "invalid LINE requests: {:#?}",
            records.invalid
        );
        ensure!(
            records.response_errors.is_empty(),
            "the LINE fake answered outside LINE's description: {:#?}",
            records.response_errors
        );
        Ok(())
    }
}

impl Drop for LineFake {
    fn drop(&mut self) {
        self.task.abort();
    }
}

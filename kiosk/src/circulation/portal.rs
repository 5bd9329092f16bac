//! The library kiosk's MQTT link to the portal (PROTOCOL.md §13): it publishes circulation
//! requests on its `circulation` topic and hands each answer from `circulation-answers` to
//! whoever waits for it; key sets (for the signed card QR codes) go to [`CardKeys`]. On every
//! connection it subscribes and publishes its `online` status;
//! its last will is `offline`.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use jiff::Timestamp;
use serde::Deserialize;
use shimin_sync::{
    ids::{EventId, KioskId},
    messages::{self, Authority, CircAnswer, CircOp, CircRequest, KioskState, KioskStatus, V1},
    mqtt::{self, LinkEvent, LinkHandle, LinkOptions, Will},
    topics::{Topic, kiosk_client_id, library_kiosk_filters},
};
use tokio::sync::oneshot;

use super::{CircError, NoBlock, card_keys::CardKeys, library_zone};

/// How the library kiosk reaches the portal (`[portal]` in `library-kiosk.toml`), as the
/// portal's `/admin/library/kiosks` page issued it.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortalSettings {
    /// The kiosk's id, `library{n}`.
    pub kiosk_id: KioskId,
    /// The broker, `mqtt://host:1883` or `mqtts://host:8883`.
    pub broker_url: String,
    /// The broker password.
    pub password: String,
    /// PEM file of the CA certificates trusted for `mqtts://`.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Seconds to wait for the portal's answer before lending on trust. Default 4.
    #[serde(default = "default_wait", with = "super::secs")]
    pub wait: Duration,
}

fn default_wait() -> Duration {
    Duration::from_secs(4)
}

impl std::fmt::Debug for PortalSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalSettings")
            .field("kiosk_id", &self.kiosk_id)
            .field("broker_url", &self.broker_url)
            .field("password", &"(hidden)")
            .field("ca_file", &self.ca_file)
            .field("wait", &self.wait)
            .finish()
    }
}

type Waiting = Arc<Mutex<HashMap<EventId, oneshot::Sender<CircAnswer>>>>;

/// The link to the portal; cheap to clone.
#[derive(Clone)]
pub struct PortalLink {
    kiosk_id: KioskId,
    handle: LinkHandle,
    connected: Arc<AtomicBool>,
    waiting: Waiting,
    wait: Duration,
}

fn status(kiosk_id: &KioskId, state: KioskState, at: Timestamp) -> String {
    messages::encode(&KioskStatus {
        v: V1,
        kiosk_id: kiosk_id.clone(),
        state,
        connected_at: at,
        software: Some(format!("kiosk {} (library)", env!("CARGO_PKG_VERSION"))),
        pending_events: None,
    })
}

impl PortalLink {
    /// Connects (and keeps reconnecting) in the background; key sets go to `keys`. Must be
    /// called inside a runtime.
    pub fn start(settings: &PortalSettings, keys: CardKeys) -> Result<Self, mqtt::LinkError> {
        let kiosk_id = settings.kiosk_id.clone();
        let mut options = LinkOptions::new(&settings.broker_url, kiosk_client_id(&kiosk_id));
        options.credentials = Some((kiosk_id.to_string(), settings.password.clone()));
        options.ca_file = settings.ca_file.clone();
        let status_topic = Topic::KioskStatus(kiosk_id.clone()).to_string();
        options.last_will = Some(Will {
            topic: status_topic.clone(),
            payload: status(&kiosk_id, KioskState::Offline, Timestamp::now()).into_bytes(),
            retain: true,
        });
        let (handle, mut events, _task) = mqtt::start(&options)?;
        let link = Self {
            kiosk_id: kiosk_id.clone(),
            handle: handle.clone(),
            connected: Arc::new(AtomicBool::new(false)),
            waiting: Arc::default(),
            wait: settings.wait,
        };
        let connected = Arc::clone(&link.connected);
        let waiting = Arc::clone(&link.waiting);
        let answers = Topic::KioskCirculationAnswers(kiosk_id.clone()).to_string();
        let keys_topic = Topic::Keys.to_string();
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                match event {
                    LinkEvent::Connected { .. } => {
                        tracing::info!("connected to the portal");
                        if let Err(error) = handle.subscribe(library_kiosk_filters(&kiosk_id)).await
                        {
                            tracing::warn!(%error, "subscribing to the portal's answers");
                        }
                        let online = status(&kiosk_id, KioskState::Online, Timestamp::now());
                        if let Err(error) = handle.publish(&status_topic, online, true).await {
                            tracing::warn!(%error, "publishing the online status");
                        }
                        connected.store(true, Ordering::SeqCst);
                    }
                    LinkEvent::Disconnected { reason } => {
                        tracing::warn!(%reason, "lost the portal; reconnecting");
                        connected.store(false, Ordering::SeqCst);
                    }
                    LinkEvent::Message { topic, payload } if topic == answers => {
                        deliver(&waiting, &payload);
                    }
                    LinkEvent::Message { topic, payload } if topic == keys_topic => {
                        keys.offer(&payload);
                    }
                    LinkEvent::Message { topic, .. } => {
                        tracing::debug!(topic, "ignored a message");
                    }
                }
            }
        });
        Ok(link)
    }

    /// The kiosk's id.
    pub fn kiosk_id(&self) -> &KioskId {
        &self.kiosk_id
    }

    /// A new request of this kiosk: see [`new_request`].
    pub fn request(
        &self,
        op: CircOp,
        authority: Authority,
        card: Option<&str>,
        item: Option<&str>,
        offline: Option<NoBlock>,
    ) -> CircRequest {
        new_request(&self.kiosk_id, op, authority, card, item, offline)
    }

    /// Sends `request` and waits for its answer. Not connected, or no answer in time:
    /// [`CircError::Unreachable`] (the caller keeps the request for later).
    pub async fn ask(&self, request: &CircRequest) -> Result<CircAnswer, CircError> {
        if !self.connected.load(Ordering::SeqCst) {
            return Err(CircError::Unreachable("not connected to the portal".into()));
        }
        let (tx, rx) = oneshot::channel();
        lock(&self.waiting).insert(request.request_id, tx);
        let topic = Topic::KioskCirculation(self.kiosk_id.clone()).to_string();
        let sent = self
            .handle
            .publish(topic, messages::encode(request), false)
            .await;
        let answer = match sent {
            Ok(()) => tokio::time::timeout(self.wait, rx).await,
            Err(error) => {
                lock(&self.waiting).remove(&request.request_id);
                return Err(CircError::Unreachable(error.to_string()));
            }
        };
        lock(&self.waiting).remove(&request.request_id);
        match answer {
            Ok(Ok(answer)) => Ok(answer),
            _ => Err(CircError::Unreachable(
                "the portal did not answer in time".into(),
            )),
        }
    }

    /// Publishes the `offline` status and disconnects (a clean shutdown).
    pub async fn close(&self) {
        let offline = status(&self.kiosk_id, KioskState::Offline, Timestamp::now());
        let topic = Topic::KioskStatus(self.kiosk_id.clone()).to_string();
        if self.handle.publish(topic, offline, true).await.is_err()
            || self.handle.disconnect().await.is_err()
        {
            tracing::debug!("the portal link had already ended");
        }
    }
}

/// A new request of `kiosk_id` (a fresh request id), at the time it happened: now, or when it
/// was done offline (`offline`, then also sent with "no block").
pub fn new_request(
    kiosk_id: &KioskId,
    op: CircOp,
    authority: Authority,
    card: Option<&str>,
    item: Option<&str>,
    offline: Option<NoBlock>,
) -> CircRequest {
    let occurred_at = offline
        .and_then(|offline| offline.at.to_zoned(library_zone()).ok())
        .map_or_else(Timestamp::now, |at| at.timestamp());
    CircRequest {
        v: V1,
        request_id: EventId::new_v7(Timestamp::now()),
        kiosk_id: kiosk_id.clone(),
        op,
        authority,
        card: card.map(str::to_owned),
        item: item.map(str::to_owned),
        occurred_at,
        no_block: offline.is_some(),
        title: None,
        due: None,
    }
}

fn lock(
    waiting: &Waiting,
) -> std::sync::MutexGuard<'_, HashMap<EventId, oneshot::Sender<CircAnswer>>> {
    // A panic while holding this lock cannot leave the map inconsistent: recover it.
    waiting
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Hands an answer to whoever waits for it; late or unreadable answers are logged.
fn deliver(waiting: &Waiting, payload: &[u8]) {
    match messages::decode::<CircAnswer>(payload) {
        Ok(answer) => match lock(waiting).remove(&answer.request_id) {
            Some(tx) => {
                let _ = tx.send(answer);
            }
            None => tracing::debug!(request = %answer.request_id, "an answer nobody waits for"),
        },
        Err(error) => tracing::warn!(%error, "unreadable answer from the portal"),
    }
}

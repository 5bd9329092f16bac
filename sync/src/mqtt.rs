//! The MQTT client link shared by the kiosk and the portal: a thin shell around rumqttc
//! (feature `mqtt`).
//!
//! [`start`] spawns one task that drives rumqttc's `EventLoop`, reconnects after a failure
//! with a capped exponential backoff, and reports what happens as [`LinkEvent`]s on a tokio
//! channel. A cloneable [`LinkHandle`] publishes (always QoS 1) and subscribes.
//!
//! What the link does **not** do, on purpose: keep anything on disk or decide anything. MQTT
//! clients keep nothing across a reconnect; rumqttc drops queued publishes when the broker
//! answers with no session. So a caller makes what matters durable itself and acts on
//! [`LinkEvent::Connected`]: the kiosk subscribes, publishes its status and resends its outbox;
//! the portal subscribes and republishes its retained state.
//!
//! Every session is persistent (`clean_session = false`, a fixed client id), keep alive is 30 s,
//! and packets up to [`MAX_PACKET`] bytes pass (a [`MAX_PAYLOAD`] payload plus its topic and
//! header).

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use rumqttc::{AsyncClient, ConnectionError, Event, EventLoop, LastWill, MqttOptions, Packet, QoS};
use tokio::{sync::mpsc, task::JoinHandle};

use crate::messages::MAX_PAYLOAD;

/// The largest MQTT packet the link sends or accepts: a [`MAX_PAYLOAD`] payload plus room for
/// the topic and the fixed and variable headers. Larger payloads are refused by the readers
/// anyway ([`crate::messages::decode`]).
pub const MAX_PACKET: usize = MAX_PAYLOAD + 1024;

/// The keep-alive interval of every connection (PROTOCOL.md §4).
pub const KEEP_ALIVE: Duration = Duration::from_secs(30);

/// Why the link could not be set up or a request could not be queued.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The broker URL is not `mqtt://host[:port]` or `mqtts://host[:port]`.
    #[error("broker URL {url:?} is not mqtt://HOST[:PORT] or mqtts://HOST[:PORT]: {why}")]
    BadUrl {
        /// The URL given.
        url: String,
        /// What is wrong with it.
        why: String,
    },
    /// The client id is empty (a persistent session needs one).
    #[error("the MQTT client id is empty")]
    EmptyClientId,
    /// TLS could not be set up (the CA file is missing or unreadable).
    #[error("TLS setup: {0}")]
    Tls(String),
    /// The link task has ended (after [`LinkHandle::disconnect`], or every receiver dropped).
    #[error("the MQTT link is closed")]
    Closed,
    /// The request queue is full ([`LinkHandle::try_publish`] only).
    #[error("the MQTT request queue is full")]
    Full,
}

/// A message the broker publishes for the client when the connection dies without a clean
/// disconnect (QoS 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Will {
    /// The topic of the will.
    pub topic: String,
    /// Its payload.
    pub payload: Vec<u8>,
    /// Whether the broker retains it.
    pub retain: bool,
}

/// How to reach the broker and who to be.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkOptions {
    /// `mqtt://host[:port]` (port 1883 by default) or `mqtts://host[:port]` (8883, TLS with
    /// the CA certificates of [`Self::ca_file`]).
    pub url: String,
    /// The fixed client id (a kiosk: `shimin-kiosk-{kiosk_id}`, see
    /// [`crate::topics::kiosk_client_id`]).
    pub client_id: String,
    /// User name and password, if the broker asks for them.
    pub credentials: Option<(String, String)>,
    /// The last will, if any (a kiosk's `offline` status).
    pub last_will: Option<Will>,
    /// PEM file of the CA certificates trusted for `mqtts://` (default: Debian's bundle,
    /// `/etc/ssl/certs/ca-certificates.crt`).
    pub ca_file: Option<std::path::PathBuf>,
    /// The first wait before reconnecting (default 500 ms); it doubles after each failure.
    pub reconnect_first: Duration,
    /// The longest wait before reconnecting (default 30 s).
    pub reconnect_max: Duration,
}

impl std::fmt::Debug for LinkOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkOptions")
            .field("url", &self.url)
            .field("client_id", &self.client_id)
            .field("user", &self.credentials.as_ref().map(|(user, _)| user))
            .field("last_will", &self.last_will.as_ref().map(|w| &w.topic))
            .field("ca_file", &self.ca_file)
            .finish_non_exhaustive()
    }
}

impl LinkOptions {
    /// Options for `url` as `client_id`, with no credentials, no will and the default backoff.
    pub fn new(url: impl Into<String>, client_id: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            client_id: client_id.into(),
            credentials: None,
            last_will: None,
            ca_file: None,
            reconnect_first: Duration::from_millis(500),
            reconnect_max: Duration::from_secs(30),
        }
    }

    /// The rumqttc options these stand for.
    fn to_mqtt(&self) -> Result<MqttOptions, LinkError> {
        if self.client_id.is_empty() {
            return Err(LinkError::EmptyClientId);
        }
        let (tls, host, port) = parse_url(&self.url)?;
        let mut options = MqttOptions::new(self.client_id.clone(), host, port);
        options
            .set_clean_session(false)
            .set_keep_alive(KEEP_ALIVE)
            .set_max_packet_size(MAX_PACKET, MAX_PACKET)
            // Room for a batch of events on top of what is in flight.
            .set_request_channel_capacity(1024);
        if let Some((user, password)) = &self.credentials {
            options.set_credentials(user.clone(), password.clone());
        }
        if let Some(will) = &self.last_will {
            options.set_last_will(LastWill::new(
                will.topic.clone(),
                will.payload.clone(),
                QoS::AtLeastOnce,
                will.retain,
            ));
        }
        if tls {
            let ca_path = self
                .ca_file
                .clone()
                .unwrap_or_else(|| "/etc/ssl/certs/ca-certificates.crt".into());
            let ca = std::fs::read(&ca_path)
                .map_err(|e| LinkError::Tls(format!("reading {}: {e}", ca_path.display())))?;
            // Only the ring provider is compiled in; make it the process default so rumqttc's
            // `ClientConfig::builder()` finds it (an error means one is installed already).
            let _ = rustls::crypto::ring::default_provider().install_default();
            options.set_transport(rumqttc::Transport::tls_with_config(
                rumqttc::TlsConfiguration::Simple {
                    ca,
                    alpn: None,
                    client_auth: None,
                },
            ));
        }
        Ok(options)
    }
}

/// Reads `mqtt://host[:port]` / `mqtts://host[:port]` into (tls, host, port).
fn parse_url(text: &str) -> Result<(bool, String, u16), LinkError> {
    let bad = |why: &str| LinkError::BadUrl {
        url: text.to_owned(),
        why: why.to_owned(),
    };
    let url = url::Url::parse(text).map_err(|e| bad(&e.to_string()))?;
    let (tls, default_port) = match url.scheme() {
        "mqtt" | "tcp" => (false, 1883),
        "mqtts" | "ssl" => (true, 8883),
        _ => return Err(bad("the scheme is not mqtt or mqtts")),
    };
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| bad("no host"))?;
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    if !matches!(url.path(), "" | "/") || url.query().is_some() {
        return Err(bad("a broker URL has no path or query"));
    }
    Ok((tls, host, url.port().unwrap_or(default_port)))
}

/// What happened on the link, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkEvent {
    /// The broker accepted the connection. `session_present`: it still had this client's
    /// session (subscriptions and queued QoS 1 messages). Subscribe and republish here.
    Connected {
        /// Whether the broker kept the session from an earlier connection.
        session_present: bool,
    },
    /// A live connection was lost; the link reconnects by itself.
    Disconnected {
        /// Why, for the logs.
        reason: String,
    },
    /// A message arrived on a subscribed topic (already acknowledged to the broker).
    Message {
        /// The topic it was published on.
        topic: String,
        /// Its payload (possibly empty: a cleared retained message).
        payload: Vec<u8>,
    },
}

/// Publishes and subscribes on the link; cheap to clone.
#[derive(Debug, Clone)]
pub struct LinkHandle {
    client: AsyncClient,
    stopping: Arc<AtomicBool>,
}

impl LinkHandle {
    /// Queues a QoS 1 publish; waits while the request queue is full. A publish queued while
    /// the link is down may be dropped at the reconnection (when the broker has no session):
    /// what must arrive is made durable by the caller and sent again on
    /// [`LinkEvent::Connected`].
    pub async fn publish(
        &self,
        topic: impl Into<String>,
        payload: impl Into<Vec<u8>>,
        retain: bool,
    ) -> Result<(), LinkError> {
        self.client
            .publish(topic, QoS::AtLeastOnce, retain, payload)
            .await
            .map_err(|_| LinkError::Closed)
    }

    /// Queues a QoS 1 publish, or fails at once with [`LinkError::Full`] when the queue is full.
    pub fn try_publish(
        &self,
        topic: impl Into<String>,
        payload: impl Into<Vec<u8>>,
        retain: bool,
    ) -> Result<(), LinkError> {
        self.client
            .try_publish(topic, QoS::AtLeastOnce, retain, payload)
            .map_err(|e| match e {
                rumqttc::ClientError::TryRequest(_) if !self.stopping.load(Ordering::SeqCst) => {
                    LinkError::Full
                }
                _ => LinkError::Closed,
            })
    }

    /// Subscribes to `filters` with QoS 1.
    pub async fn subscribe(
        &self,
        filters: impl IntoIterator<Item = String>,
    ) -> Result<(), LinkError> {
        let filters: Vec<rumqttc::SubscribeFilter> = filters
            .into_iter()
            .map(|f| rumqttc::SubscribeFilter::new(f, QoS::AtLeastOnce))
            .collect();
        if filters.is_empty() {
            return Ok(());
        }
        self.client
            .subscribe_many(filters)
            .await
            .map_err(|_| LinkError::Closed)
    }

    /// Disconnects cleanly (the broker then discards the will) after everything queued
    /// before it; the link task ends and sends no more events.
    pub async fn disconnect(&self) -> Result<(), LinkError> {
        self.stopping.store(true, Ordering::SeqCst);
        self.client
            .disconnect()
            .await
            .map_err(|_| LinkError::Closed)
    }
}

/// Starts the link: a task that connects, reconnects and reports [`LinkEvent`]s on the
/// returned receiver (the task ends when the receiver is dropped, after
/// [`LinkHandle::disconnect`], or when every handle is dropped). Must be called inside a
/// tokio runtime.
pub fn start(
    options: &LinkOptions,
) -> Result<(LinkHandle, mpsc::Receiver<LinkEvent>, JoinHandle<()>), LinkError> {
    let mqtt = options.to_mqtt()?;
    let capacity = mqtt.request_channel_capacity();
    let (client, mut eventloop) = AsyncClient::new(mqtt, capacity);
    // Small messages one at a time: without TCP_NODELAY, Nagle's algorithm holds each one back
    // until the broker's delayed ACK (~40 ms on Linux).
    let mut network = rumqttc::NetworkOptions::new();
    network.set_tcp_nodelay(true);
    eventloop.set_network_options(network);
    let (tx, rx) = mpsc::channel(256);
    let stopping = Arc::new(AtomicBool::new(false));
    let task = tokio::spawn(drive(
        eventloop,
        tx,
        Arc::clone(&stopping),
        options.reconnect_first,
        options.reconnect_max,
    ));
    Ok((LinkHandle { client, stopping }, rx, task))
}

/// The link task: poll, translate, back off after failures.
async fn drive(
    mut eventloop: EventLoop,
    tx: mpsc::Sender<LinkEvent>,
    stopping: Arc<AtomicBool>,
    first: Duration,
    max: Duration,
) {
    let mut wait = first;
    let mut connected = false;
    loop {
        let event = match eventloop.poll().await {
            Ok(Event::Incoming(Packet::ConnAck(ack))) => {
                connected = true;
                wait = first;
                tracing::info!(
                    session_present = ack.session_present,
                    "connected to the MQTT broker"
                );
                LinkEvent::Connected {
                    session_present: ack.session_present,
                }
            }
            Ok(Event::Incoming(Packet::Publish(publish))) => LinkEvent::Message {
                topic: publish.topic,
                payload: publish.payload.to_vec(),
            },
            Ok(Event::Outgoing(rumqttc::Outgoing::Disconnect)) => {
                tracing::info!("disconnected from the MQTT broker");
                return;
            }
            Ok(_) => continue,
            Err(ConnectionError::RequestsDone) => return,
            Err(error) => {
                if stopping.load(Ordering::SeqCst) {
                    return;
                }
                let reason = error.to_string();
                let report = connected.then(|| LinkEvent::Disconnected {
                    reason: reason.clone(),
                });
                if connected {
                    tracing::warn!(%reason, "lost the MQTT connection; reconnecting");
                } else {
                    tracing::debug!(%reason, retry_in = ?wait, "cannot reach the MQTT broker");
                }
                connected = false;
                if let Some(report) = report
                    && tx.send(report).await.is_err()
                {
                    return;
                }
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(max);
                continue;
            }
        };
        if tx.send(event).await.is_err() {
            return;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn urls_name_the_broker_and_default_the_port() {
        assert_eq!(
            parse_url("mqtt://127.0.0.1:18830").unwrap(),
            (false, "127.0.0.1".into(), 18830)
        );
        assert_eq!(
            parse_url("mqtt://broker.city.example").unwrap(),
            (false, "broker.city.example".into(), 1883)
        );
        assert_eq!(
            parse_url("mqtts://broker.city.example/").unwrap(),
            (true, "broker.city.example".into(), 8883)
        );
        assert_eq!(parse_url("mqtt://[::1]:1883").unwrap().1, "::1");
        for bad in [
            "http://x",
            "mqtt://",
            "broker:1883",
            "mqtt://x/topic",
            "mqtt://x?a=b",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn options_are_persistent_sessions_with_room_for_64_kib() {
        let mut options = LinkOptions::new("mqtt://127.0.0.1:1883", "shimin-kiosk-chuo-1");
        options.credentials = Some(("chuo-1".into(), "secret".into()));
        options.last_will = Some(Will {
            topic: "shimin/v1/kiosks/chuo-1/status".into(),
            payload: b"{}".to_vec(),
            retain: true,
        });
        let mqtt = options.to_mqtt().unwrap();
        assert!(!mqtt.clean_session());
        assert_eq!(mqtt.keep_alive(), KEEP_ALIVE);
        assert!(mqtt.max_packet_size() >= 64 * 1024 + 5);
        let will = mqtt.last_will().unwrap();
        assert_eq!((will.qos, will.retain), (QoS::AtLeastOnce, true));
        assert!(!format!("{options:?}").contains("secret"));
        assert!(matches!(
            LinkOptions::new("mqtt://x", "").to_mqtt(),
            Err(LinkError::EmptyClientId)
        ));
    }

    #[test]
    fn mqtts_reads_its_ca_file_and_says_which_is_missing() {
        let mut options = LinkOptions::new("mqtts://broker.city.example", "shimin-portal");
        options.ca_file = Some("/nonexistent/city-ca.pem".into());
        let err = options.to_mqtt().unwrap_err();
        assert!(
            matches!(&err, LinkError::Tls(why) if why.contains("city-ca.pem")),
            "{err}"
        );
        let dir = std::env::temp_dir().join(format!("shimin-mqtt-ca-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca = dir.join("ca.pem");
        std::fs::write(&ca, "").unwrap();
        options.ca_file = Some(ca);
        let mqtt = options.to_mqtt().unwrap();
        assert!(matches!(mqtt.transport(), rumqttc::Transport::Tls(_)));
        assert_eq!(mqtt.broker_address().1, 8883);
        let _ = std::fs::remove_dir_all(dir);
    }
}

//! `KioskStatus`: whether a kiosk is connected, retained on
//! `shimin/v1/kiosks/{kiosk_id}/status`.
//!
//! On connecting, the kiosk registers an `offline` status as its MQTT last will (retained,
//! QoS 1) and then publishes `online` (retained). The broker publishes the will when the
//! connection dies without a clean disconnect; a kiosk shutting down cleanly publishes
//! `offline` itself first.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Message, V1};
use crate::ids::KioskId;

/// Connected or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KioskState {
    /// Connected to the broker.
    Online,
    /// Disconnected (the last will, or a clean shutdown).
    Offline,
}

/// A kiosk's connection status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskStatus {
    /// Always 1.
    pub v: V1,
    /// The kiosk; must match the topic.
    pub kiosk_id: KioskId,
    /// Online or offline.
    pub state: KioskState,
    /// When the connection this status belongs to was opened. The last will is written at
    /// connect time, so for an `offline` will this is *not* when the kiosk went away: the portal
    /// takes its own receipt time for that.
    pub connected_at: Timestamp,
    /// The kiosk's software, e.g. `"kiosk 0.1.0"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub software: Option<String>,
    /// Events waiting in the kiosk's outbox when this was published (online only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_events: Option<u32>,
}

impl Message for KioskStatus {
    const NAME: &'static str = "KioskStatus";
}

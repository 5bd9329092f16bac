//! The JSON messages carried on the topics of [`crate::topics`], one file per message kind.
//!
//! Every message is a UTF-8 JSON object with `"v": 1`. Readers ignore fields they do not know
//! (so a newer sender may add fields without breaking older readers) and refuse a message whose
//! `v` they do not know, with [`DecodeError::UnsupportedVersion`]. [`decode`] is the one way in:
//! it checks size, JSON, version, the message's own shape, then its rules ([`Message::check`]).

mod ack;
mod circulation;
mod config;
mod event;
mod keys;
mod occupancy;
mod presence;
mod status;

pub use ack::{Ack, MAX_ACK_IDS, RejectReason, Rejection};
pub use circulation::{
    Authority, CircAnswer, CircItem, CircOp, CircPatron, CircRefusal, CircRequest, MAX_CODE,
    MAX_LOANS, MAX_TITLE, PatronBlock, peek_request_id,
};
pub use config::{DayHours, KioskConfig, Weekday, WeeklyHours};
pub use event::{EventKind, KioskEvent, MAX_CHILDREN, MAX_STAFF_NOTE, peek_event_id};
pub use keys::{KeyEntry, KeySet, PublicKey};
pub use occupancy::{CongestionLevel, Occupancy, Thresholds};
pub use presence::{Presence, PresentFamily};
pub use status::{KioskState, KioskStatus};

use serde::{Deserialize, Serialize, de::DeserializeOwned};

/// The largest payload a reader accepts (64 KiB); the broker should be set to the same limit
/// (Mosquitto: `message_size_limit 65536`).
pub const MAX_PAYLOAD: usize = 64 * 1024;

/// The protocol version field, `"v": 1`. A unit value: it serialises as `1` and reads only `1`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct V1;

impl Serialize for V1 {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u8(1)
    }
}

impl<'de> Deserialize<'de> for V1 {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match u64::deserialize(deserializer)? {
            1 => Ok(V1),
            other => Err(serde::de::Error::custom(format!(
                "unsupported message version {other}; this program understands v1"
            ))),
        }
    }
}

/// A message of this protocol.
pub trait Message: Serialize + DeserializeOwned {
    /// The message's name in errors and logs, e.g. `"KioskEvent"`.
    const NAME: &'static str;

    /// Rules the JSON shape alone cannot say (a manual event needs a staff note, …).
    /// [`decode`] calls it; senders should call it before publishing.
    fn check(&self) -> Result<(), String> {
        Ok(())
    }
}

/// Why a payload is not a valid message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// An empty payload: on a retained topic this means "cleared", not an error to report.
    #[error("empty payload")]
    Empty,
    /// Larger than [`MAX_PAYLOAD`].
    #[error("payload of {len} bytes is larger than the {max}-byte limit")]
    TooLarge {
        /// The payload's size in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Not UTF-8 JSON.
    #[error("payload is not JSON: {0}")]
    NotJson(String),
    /// JSON, but not an object with a `v` field.
    #[error("payload has no \"v\" version field")]
    MissingVersion,
    /// A `v` this program does not understand (a newer sender, or garbage).
    #[error("unsupported message version {found}; this program understands v1")]
    UnsupportedVersion {
        /// The `v` value found, as JSON text.
        found: String,
    },
    /// Version 1, but not a valid message of the expected kind.
    #[error("invalid {message}: {detail}")]
    Invalid {
        /// The expected message ([`Message::NAME`]).
        message: &'static str,
        /// What is wrong.
        detail: String,
    },
}

/// Reads a message of kind `M` from an MQTT payload.
pub fn decode<M: Message>(payload: &[u8]) -> Result<M, DecodeError> {
    if payload.is_empty() {
        return Err(DecodeError::Empty);
    }
    if payload.len() > MAX_PAYLOAD {
        return Err(DecodeError::TooLarge {
            len: payload.len(),
            max: MAX_PAYLOAD,
        });
    }
    let value: serde_json::Value =
        serde_json::from_slice(payload).map_err(|e| DecodeError::NotJson(e.to_string()))?;
    match value.get("v") {
        None => return Err(DecodeError::MissingVersion),
        Some(v) if v.as_u64() == Some(1) => {}
        Some(v) => {
            return Err(DecodeError::UnsupportedVersion {
                found: v.to_string(),
            });
        }
    }
    let invalid = |detail: String| DecodeError::Invalid {
        message: M::NAME,
        detail,
    };
    let message = M::deserialize(value).map_err(|e| invalid(e.to_string()))?;
    message.check().map_err(invalid)?;
    Ok(message)
}

/// Writes a message as the JSON payload to publish.
pub fn encode<M: Message>(message: &M) -> String {
    // Serialising these plain structs to a string cannot fail: no maps with non-string keys,
    // no custom serialisers that error.
    serde_json::to_string(message).unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;

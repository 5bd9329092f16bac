//! `Ack`: the portal's answer to a kiosk's events, on `shimin/v1/kiosks/{kiosk_id}/acks`.
//!
//! Both lists are final: an accepted event has been applied (now or at an earlier delivery), a
//! rejected one never will be. Either way the kiosk removes it from its outbox.

use serde::{Deserialize, Serialize};

use super::{Message, V1};
use crate::ids::EventId;

/// The most event ids one ack carries; the portal splits larger answers.
pub const MAX_ACK_IDS: usize = 500;

/// Why the portal refused an event. Unknown codes from a newer portal read as [`Self::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RejectReason {
    /// Another event already used this pass at this center (a replayed screenshot, or the same
    /// pass shown at two kiosks of one center).
    PassReused,
    /// The event's `kiosk_id` is not the kiosk of the topic it came on.
    TopicMismatch,
    /// The event's `center_id` is not the center the kiosk is registered to.
    WrongCenter,
    /// The kiosk is not registered (or was retired).
    UnknownKiosk,
    /// No such guardian (e.g. the account was withdrawn).
    UnknownGuardian,
    /// A named child does not exist in the guardian's account.
    UnknownChild,
    /// The payload was not a valid event (the detail says why).
    Malformed,
    /// The event's `v` is one the portal does not understand.
    UnsupportedVersion,
    /// A reason this program does not know.
    #[serde(other)]
    Other,
}

impl RejectReason {
    /// The stable wire code, e.g. `"pass_reused"`.
    pub fn code(self) -> &'static str {
        match self {
            Self::PassReused => "pass_reused",
            Self::TopicMismatch => "topic_mismatch",
            Self::WrongCenter => "wrong_center",
            Self::UnknownKiosk => "unknown_kiosk",
            Self::UnknownGuardian => "unknown_guardian",
            Self::UnknownChild => "unknown_child",
            Self::Malformed => "malformed",
            Self::UnsupportedVersion => "unsupported_version",
            Self::Other => "other",
        }
    }
}

/// One refused event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    /// The refused event.
    pub event_id: EventId,
    /// Why, as a stable code.
    pub reason: RejectReason,
    /// Details for the logs (English, for operators), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The portal's answer to some events of one kiosk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    /// Always 1.
    pub v: V1,
    /// Events applied (now, or already at an earlier delivery of the same event id).
    #[serde(default)]
    pub accepted: Vec<EventId>,
    /// Events refused for good.
    #[serde(default)]
    pub rejected: Vec<Rejection>,
}

impl Ack {
    /// Every event id this ack settles, accepted or rejected: what the kiosk removes from its
    /// outbox.
    pub fn settled(&self) -> impl Iterator<Item = &EventId> {
        self.accepted
            .iter()
            .chain(self.rejected.iter().map(|r| &r.event_id))
    }
}

impl Message for Ack {
    const NAME: &'static str = "Ack";

    fn check(&self) -> Result<(), String> {
        if self.accepted.len() + self.rejected.len() > MAX_ACK_IDS {
            return Err(format!("an ack settles at most {MAX_ACK_IDS} events"));
        }
        Ok(())
    }
}

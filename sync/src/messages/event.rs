//! `KioskEvent`: one check-in or check-out recorded by a kiosk, sent up on
//! `shimin/v1/kiosks/{kiosk_id}/events` until the portal acknowledges it.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::{Message, RejectReason, V1};
use crate::{
    ids::{CenterId, ChildNo, EventId, GuardianId, KioskId},
    pass::PassNonce,
};

/// Whether the children came in or went out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The children entered the center.
    CheckIn,
    /// The children left the center.
    CheckOut,
}

/// The most children one event may name (a pass never names more).
pub const MAX_CHILDREN: usize = 16;

/// The longest staff note, in characters.
pub const MAX_STAFF_NOTE: usize = 200;

/// One check-in or check-out of some of a guardian's children at a center.
///
/// Made and stored by the kiosk before it answers on screen; identified by `event_id`, which the
/// portal applies at most once however often it arrives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskEvent {
    /// Always 1.
    pub v: V1,
    /// UUIDv7 made by the kiosk when the event happened.
    pub event_id: EventId,
    /// The kiosk that recorded it; must match the topic.
    pub kiosk_id: KioskId,
    /// The kiosk's center; must be the center the kiosk is registered to.
    pub center_id: CenterId,
    /// In or out.
    pub kind: EventKind,
    /// The guardian whose children these are (from the pass, or picked by staff).
    pub guardian_id: GuardianId,
    /// The children concerned: one or more, no repeats.
    pub children: Vec<ChildNo>,
    /// The nonce of the pass that was scanned; absent for a manual event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass_nonce: Option<PassNonce>,
    /// When it happened, by the kiosk's clock (RFC 3339, UTC).
    pub occurred_at: Timestamp,
    /// Whether staff entered it by hand on the kiosk instead of a pass being scanned.
    #[serde(default)]
    pub manual: bool,
    /// The staff's note for a manual event (why it was done by hand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub staff_note: Option<String>,
}

impl Message for KioskEvent {
    const NAME: &'static str = "KioskEvent";

    fn check(&self) -> Result<(), String> {
        if self.children.is_empty() {
            return Err("an event names at least one child".into());
        }
        if self.children.len() > MAX_CHILDREN {
            return Err(format!("an event names at most {MAX_CHILDREN} children"));
        }
        let mut sorted = self.children.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() != self.children.len() {
            return Err("a child is named twice".into());
        }
        match (self.manual, &self.pass_nonce) {
            (false, None) => return Err("a scanned event carries its pass_nonce".into()),
            (true, Some(_)) => return Err("a manual event carries no pass_nonce".into()),
            _ => {}
        }
        if self
            .staff_note
            .as_ref()
            .is_some_and(|note| note.chars().count() > MAX_STAFF_NOTE)
        {
            return Err(format!(
                "staff_note is longer than {MAX_STAFF_NOTE} characters"
            ));
        }
        Ok(())
    }
}

impl KioskEvent {
    /// The portal's check that the event came from where it claims: the kiosk named in the
    /// topic it arrived on, at the center that kiosk is registered to.
    pub fn check_origin(
        &self,
        topic_kiosk: &KioskId,
        registered_center: &CenterId,
    ) -> Result<(), RejectReason> {
        if &self.kiosk_id != topic_kiosk {
            Err(RejectReason::TopicMismatch)
        } else if &self.center_id != registered_center {
            Err(RejectReason::WrongCenter)
        } else {
            Ok(())
        }
    }
}

/// Reads just the `event_id` of a payload that may not be a valid event, so the portal can
/// still reject it by id (a kiosk would otherwise resend it forever).
pub fn peek_event_id(payload: &[u8]) -> Option<EventId> {
    #[derive(Deserialize)]
    struct Probe {
        event_id: EventId,
    }
    if payload.len() > super::MAX_PAYLOAD {
        return None;
    }
    serde_json::from_slice::<Probe>(payload)
        .ok()
        .map(|probe| probe.event_id)
}

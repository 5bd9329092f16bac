//! What one decoded text means (pure): verify the pass with the stored key set, check its
//! center, apply the replay rule, toggle against the kiosk's view, and make the event.
//!
//! [`decide`] changes nothing; [`crate::core::Kiosk`] stores a [`Decision::Record`] (event and
//! replay record in one transaction) before it answers, and only then updates its memory.

use std::collections::HashMap;

use jiff::Timestamp;
use shimin_sync::{
    ids::{ChildNo, EventId, KioskId},
    messages::{EventKind, KeySet, KioskConfig, KioskEvent, V1},
    pass::{self, PassError, VerifiedPass, VerifyPolicy},
    replay::{ReplayDecision, ReplayGuard, SAME_PRESENTATION},
    toggle::toggle,
};

use crate::{answer::Refusal, view::View};

/// What an earlier use of a pass produced, to show the same answer again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsedAnswer {
    /// In or out.
    pub kind: EventKind,
    /// The children of the event.
    pub children: Vec<ChildNo>,
}

/// Everything a scan is decided from.
#[derive(Debug, Clone, Copy)]
pub struct ScanInputs<'a> {
    /// This kiosk.
    pub kiosk_id: &'a KioskId,
    /// The latest key set received, if any.
    pub keys: Option<&'a KeySet>,
    /// The kiosk's configuration (its center), if received.
    pub config: Option<&'a KioskConfig>,
    /// The nonces used at this center that may come back.
    pub replay: &'a ReplayGuard,
    /// What each remembered use answered, by event id.
    pub used: &'a HashMap<EventId, UsedAnswer>,
    /// Who is in, as this kiosk sees it.
    pub view: &'a View,
    /// Verification tolerances.
    pub policy: &'a VerifyPolicy,
}

/// The outcome of one scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Refused; nothing to record.
    Refuse(Refusal),
    /// The same pass still in front of the camera: show the earlier answer again.
    Repeat {
        /// The event the first scan recorded.
        event_id: EventId,
        /// What it did.
        answer: UsedAnswer,
        /// The children's names, from the pass shown again.
        names: Vec<String>,
    },
    /// A new event: store it with the pass's replay record, then answer.
    Record {
        /// The event to store and send.
        event: KioskEvent,
        /// The verified pass (for the replay record).
        pass: Box<VerifiedPass>,
    },
}

/// Decides what the scan of `text` at `now` does.
pub fn decide(inputs: ScanInputs<'_>, text: &str, now: Timestamp) -> Decision {
    let empty = KeySet::new(Timestamp::UNIX_EPOCH, Vec::new());
    let keys = inputs.keys.unwrap_or(&empty);
    let verified = match pass::verify_with(text, keys, now, inputs.policy) {
        Ok(verified) => verified,
        // With no key set yet, every pass is signed by an "unknown" key: say "not ready".
        Err(PassError::UnknownKey(_)) if inputs.keys.is_none() => {
            return Decision::Refuse(Refusal::NotReady);
        }
        Err(error) => return Decision::Refuse(Refusal::from(&error)),
    };
    let Some(config) = inputs.config else {
        return Decision::Refuse(Refusal::NotReady);
    };
    if let Err(error) = verified.check_center(&config.center_id) {
        return Decision::Refuse(Refusal::from(&error));
    }
    if let ReplayDecision::AlreadyUsed(used) = inputs.replay.check(&verified) {
        let answer = inputs.used.get(&used.event_id);
        return match answer {
            Some(answer) if used.is_same_presentation(now, SAME_PRESENTATION) => Decision::Repeat {
                event_id: used.event_id,
                answer: answer.clone(),
                names: crate::visits::names_of(
                    &verified.children,
                    &verified.names,
                    &answer.children,
                ),
            },
            _ => Decision::Refuse(Refusal::Reused),
        };
    }
    let step = toggle(&verified.children, |child| {
        inputs.view.is_in(&verified.guardian_id, child)
    });
    let event = KioskEvent {
        v: V1,
        event_id: EventId::new_v7(now),
        kiosk_id: inputs.kiosk_id.clone(),
        center_id: config.center_id.clone(),
        kind: step.kind,
        guardian_id: verified.guardian_id,
        children: step.children,
        pass_nonce: Some(verified.nonce),
        occurred_at: now,
        manual: false,
        staff_note: None,
    };
    Decision::Record {
        event,
        pass: Box::new(verified),
    }
}

#[cfg(test)]
pub(crate) mod tests;

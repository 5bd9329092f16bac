//! What center staff do by hand on the kiosk: see who is in, check a family in or out without
//! a pass (a manual event, with the staff's note), and correct a mistake (the opposite of an
//! event). A manual event is stored in the outbox before it is answered, like a scan.

use jiff::Timestamp;
use shimin_sync::{
    ids::{ChildNo, EventId, GuardianId},
    messages::{self, EventKind, KioskEvent, V1},
};

use super::Kiosk;
use crate::{
    answer::{Answer, Refusal},
    visits::{Names, Visit},
};

/// The longest staff note kept with a manual event.
pub const MAX_NOTE_CHARS: usize = 200;

impl Kiosk {
    /// The families in now, each with its children in and since when, longest in first.
    pub fn present(&self, now: Timestamp) -> Vec<(GuardianId, Vec<ChildNo>, Timestamp)> {
        self.view(now).families_in()
    }

    /// Records a check-in or check-out of `children` of `guardian` entered by staff, with
    /// their `note`; refuses it when the kiosk has no configuration yet or nothing is given.
    pub fn manual(
        &mut self,
        kind: EventKind,
        guardian: GuardianId,
        children: Vec<ChildNo>,
        note: &str,
        now: Timestamp,
    ) -> Answer {
        let Some(config) = self.config.as_ref() else {
            return Answer::refused(Refusal::NotReady, self.occupancy(now));
        };
        if children.is_empty() {
            return Answer::refused(Refusal::NotRecorded, self.occupancy(now));
        }
        let note: String = note.trim().chars().take(MAX_NOTE_CHARS).collect();
        let event = KioskEvent {
            v: V1,
            event_id: EventId::new_v7(now),
            kiosk_id: self.kiosk_id.clone(),
            center_id: config.center_id.clone(),
            kind,
            guardian_id: guardian,
            children: children.clone(),
            pass_nonce: None,
            occurred_at: now,
            manual: true,
            staff_note: (!note.is_empty()).then_some(note),
        };
        let names = Names::from_visits(&self.visits).of(guardian, &children);
        if let Err(error) = self.store.record_manual(&event, &names) {
            tracing::error!(%error, "could not record a manual event");
            return Answer::refused(Refusal::NotRecorded, self.occupancy(now));
        }
        self.outbox
            .enqueue(event.event_id, messages::encode(&event), now);
        let event_id = event.event_id;
        self.visits.push(Visit::of(&event, names.clone()));
        self.pending.insert(event_id, event);
        tracing::info!(%event_id, ?kind, "manual event recorded");
        let mut answer = Answer::accepted(kind, children, event_id, self.occupancy(now));
        answer.guardian = Some(guardian);
        answer.names = names;
        answer
    }

    /// The visits recorded here that are kept, oldest first.
    pub fn visits(&self) -> &[Visit] {
        &self.visits
    }
}

//! What the portal does with each message a kiosk publishes (PROTOCOL.md §7): events are
//! checked, applied exactly once and acknowledged after the occupancy they changed is queued;
//! statuses are recorded. Every refusal is logged once here, with its reason.

use shimin_sync::{
    ids::{EventId, KioskId},
    messages::{
        self, Ack, DecodeError, KioskEvent, KioskStatus, MAX_ACK_IDS, MAX_PAYLOAD, RejectReason,
        Rejection,
    },
    topics::Topic,
};

use super::{Checkin, Outbound};
use crate::{
    accounts::AccountError,
    store::{ApplyOutcome, EventSource, EventToApply},
};

/// How one event ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventOutcome {
    /// Applied now.
    Applied,
    /// Applied before; acknowledged again.
    Duplicate,
    /// Refused for good.
    Rejected(RejectReason),
    /// Not answerable (no readable event id): dropped.
    Dropped,
}

/// An ack split so that none settles more than [`MAX_ACK_IDS`] events.
fn chunks(ack: Ack) -> Vec<Ack> {
    let mut out = Vec::new();
    let mut accepted = ack.accepted.into_iter().peekable();
    let mut rejected = ack.rejected.into_iter().peekable();
    while accepted.peek().is_some() || rejected.peek().is_some() {
        let mut chunk = Ack::default();
        while chunk.accepted.len() + chunk.rejected.len() < MAX_ACK_IDS {
            if let Some(id) = accepted.next() {
                chunk.accepted.push(id);
            } else if let Some(rejection) = rejected.next() {
                chunk.rejected.push(rejection);
            } else {
                break;
            }
        }
        out.push(chunk);
    }
    out
}

impl EventOutcome {
    fn label(&self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Duplicate => "duplicate",
            Self::Rejected(reason) => reason.code(),
            Self::Dropped => "dropped",
        }
    }
}

/// An ack being put together for one kiosk.
#[derive(Default)]
struct Acks {
    by_kiosk: Vec<(KioskId, Ack)>,
}

impl Acks {
    fn entry(&mut self, kiosk_id: &KioskId) -> &mut Ack {
        let index = match self
            .by_kiosk
            .iter()
            .position(|(kiosk, _)| kiosk == kiosk_id)
        {
            Some(index) => index,
            None => {
                self.by_kiosk.push((kiosk_id.clone(), Ack::default()));
                self.by_kiosk.len() - 1
            }
        };
        &mut self.by_kiosk[index].1
    }

    fn accept(&mut self, kiosk_id: &KioskId, event_id: EventId) {
        self.entry(kiosk_id).accepted.push(event_id);
    }

    fn reject(
        &mut self,
        kiosk_id: &KioskId,
        event_id: EventId,
        reason: RejectReason,
        detail: String,
    ) {
        tracing::warn!(kiosk = %kiosk_id, event = %event_id, reason = reason.code(), %detail, "refused a kiosk event");
        self.entry(kiosk_id).rejected.push(Rejection {
            event_id,
            reason,
            detail: Some(detail),
        });
    }
}

fn count(outcome: &EventOutcome) {
    metrics::counter!("portal_kiosk_events_total", "outcome" => outcome.label()).increment(1);
}

impl Checkin {
    /// Handles one message from the broker (see [`Self::handle_messages`]).
    pub async fn handle_message(&self, topic: &str, payload: &[u8]) -> Result<(), AccountError> {
        self.handle_messages(vec![(topic.to_owned(), payload.to_vec())])
            .await
    }

    /// Handles messages from the broker, in order. The events among them are applied in one
    /// transaction; then each changed center's state is queued, then one ack per kiosk
    /// (PROTOCOL.md §7.7). Messages on topics the portal does not read are ignored.
    pub async fn handle_messages(
        &self,
        messages: Vec<(String, Vec<u8>)>,
    ) -> Result<(), AccountError> {
        let mut acks = Acks::default();
        let mut to_apply: Vec<(KioskId, EventToApply)> = Vec::new();
        let mut kiosks: Vec<(KioskId, Option<crate::store::Kiosk>)> = Vec::new();
        for (topic, payload) in messages {
            if payload.len() > MAX_PAYLOAD {
                tracing::warn!(
                    topic,
                    len = payload.len(),
                    "dropped an oversized MQTT message"
                );
                count(&EventOutcome::Dropped);
                continue;
            }
            match Topic::parse(&topic) {
                Ok(Topic::KioskEvents(kiosk_id)) => {
                    let kiosk = match kiosks.iter().find(|(id, _)| id == &kiosk_id) {
                        Some((_, kiosk)) => kiosk.clone(),
                        None => {
                            let kiosk = self
                                .inner
                                .store
                                .kiosk(&kiosk_id)
                                .await?
                                .map(|(kiosk, _)| kiosk)
                                .filter(|kiosk| kiosk.retired_at.is_none());
                            kiosks.push((kiosk_id.clone(), kiosk.clone()));
                            kiosk
                        }
                    };
                    if let Some(event) =
                        self.check_event(&kiosk_id, kiosk.as_ref(), &payload, &mut acks)
                    {
                        to_apply.push((kiosk_id, event));
                    }
                }
                Ok(Topic::KioskStatus(kiosk_id)) => self.handle_status(&kiosk_id, &payload).await?,
                Ok(_) => {}
                Err(error) => {
                    tracing::warn!(topic, %error, "message on a topic outside the protocol")
                }
            }
        }
        if !to_apply.is_empty() {
            let (kiosk_ids, events): (Vec<KioskId>, Vec<EventToApply>) =
                to_apply.into_iter().unzip();
            let ids: Vec<EventId> = events.iter().map(|event| event.event_id).collect();
            let (outcomes, snapshots) = self.inner.store.apply_events(events).await?;
            for ((kiosk_id, event_id), outcome) in kiosk_ids.iter().zip(ids).zip(outcomes) {
                match outcome {
                    ApplyOutcome::Applied => {
                        count(&EventOutcome::Applied);
                        acks.accept(kiosk_id, event_id);
                    }
                    ApplyOutcome::AlreadyApplied => {
                        count(&EventOutcome::Duplicate);
                        acks.accept(kiosk_id, event_id);
                    }
                    ApplyOutcome::Rejected(reason, detail) => {
                        count(&EventOutcome::Rejected(reason));
                        acks.reject(kiosk_id, event_id, reason, detail);
                    }
                }
            }
            // Occupancy and presence first, then the acks (PROTOCOL.md §7.7).
            for snapshot in &snapshots {
                self.publish_center(snapshot).await?;
            }
        }
        for (kiosk_id, ack) in acks.by_kiosk {
            for chunk in chunks(ack) {
                self.send(Outbound::new(&Topic::KioskAcks(kiosk_id.clone()), &chunk));
            }
        }
        Ok(())
    }

    /// Steps 1–3 of PROTOCOL.md §7: the event to apply, or `None` (refused or dropped).
    fn check_event(
        &self,
        topic_kiosk: &KioskId,
        kiosk: Option<&crate::store::Kiosk>,
        payload: &[u8],
        acks: &mut Acks,
    ) -> Option<EventToApply> {
        let event = match messages::decode::<KioskEvent>(payload) {
            Ok(event) => event,
            Err(error) => {
                let Some(event_id) = messages::peek_event_id(payload) else {
                    tracing::warn!(kiosk = %topic_kiosk, %error, "dropped an unreadable kiosk event");
                    count(&EventOutcome::Dropped);
                    return None;
                };
                let reason = match error {
                    DecodeError::UnsupportedVersion { .. } => RejectReason::UnsupportedVersion,
                    _ => RejectReason::Malformed,
                };
                count(&EventOutcome::Rejected(reason));
                acks.reject(topic_kiosk, event_id, reason, error.to_string());
                return None;
            }
        };
        let Some(kiosk) = kiosk else {
            count(&EventOutcome::Rejected(RejectReason::UnknownKiosk));
            acks.reject(
                topic_kiosk,
                event.event_id,
                RejectReason::UnknownKiosk,
                format!("kiosk {topic_kiosk} is not registered"),
            );
            return None;
        };
        if let Err(reason) = event.check_origin(topic_kiosk, &kiosk.center_id) {
            let detail = format!(
                "event names kiosk {} at {}; topic is kiosk {topic_kiosk} at {}",
                event.kiosk_id, event.center_id, kiosk.center_id
            );
            count(&EventOutcome::Rejected(reason));
            acks.reject(topic_kiosk, event.event_id, reason, detail);
            return None;
        }
        Some(EventToApply {
            event_id: event.event_id,
            center_id: event.center_id,
            kiosk_id: Some(event.kiosk_id),
            kind: event.kind,
            guardian_id: event.guardian_id,
            children: event.children,
            pass_nonce: event.pass_nonce,
            source: if event.manual {
                EventSource::Manual
            } else {
                EventSource::Pass
            },
            staff_note: event.staff_note,
            occurred_at: event.occurred_at,
            received_at: self.inner.clock.now(),
        })
    }

    async fn handle_status(
        &self,
        topic_kiosk: &KioskId,
        payload: &[u8],
    ) -> Result<(), AccountError> {
        let status = match messages::decode::<KioskStatus>(payload) {
            Ok(status) => status,
            Err(DecodeError::Empty) => return Ok(()),
            Err(error) => {
                tracing::warn!(kiosk = %topic_kiosk, %error, "unreadable kiosk status");
                return Ok(());
            }
        };
        if &status.kiosk_id != topic_kiosk {
            tracing::warn!(kiosk = %topic_kiosk, named = %status.kiosk_id, "kiosk status on another kiosk's topic");
            return Ok(());
        }
        if self.inner.store.kiosk(topic_kiosk).await?.is_none() {
            tracing::warn!(kiosk = %topic_kiosk, "status from an unknown kiosk");
            return Ok(());
        }
        tracing::info!(kiosk = %topic_kiosk, state = ?status.state, pending = ?status.pending_events, "kiosk status");
        self.inner
            .store
            .record_kiosk_status(
                topic_kiosk,
                status.state,
                self.inner.clock.now(),
                status.software,
                status.pending_events,
            )
            .await?;
        Ok(())
    }
}

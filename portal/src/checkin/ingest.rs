//! What the portal does with each message a kiosk publishes (PROTOCOL.md §7): events are
//! checked, applied exactly once and acknowledged after the occupancy they changed is queued;
//! statuses are recorded. Every refusal is logged once here, with its reason.

use shimin_sync::{
    ids::KioskId,
    messages::{
        self, Ack, DecodeError, KioskEvent, KioskStatus, MAX_PAYLOAD, RejectReason, Rejection,
    },
    topics::Topic,
};

use super::{Checkin, Outbound, state};
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

impl Checkin {
    /// Handles one message from the broker. Messages on topics the portal does not read are
    /// ignored.
    pub async fn handle_message(&self, topic: &str, payload: &[u8]) -> Result<(), AccountError> {
        if payload.len() > MAX_PAYLOAD {
            tracing::warn!(
                topic,
                len = payload.len(),
                "dropped an oversized MQTT message"
            );
            return Ok(());
        }
        match Topic::parse(topic) {
            Ok(Topic::KioskEvents(kiosk_id)) => {
                let outcome = self.handle_event(&kiosk_id, payload).await?;
                metrics::counter!("portal_kiosk_events_total", "outcome" => outcome.label())
                    .increment(1);
                Ok(())
            }
            Ok(Topic::KioskStatus(kiosk_id)) => self.handle_status(&kiosk_id, payload).await,
            Ok(_) => Ok(()),
            Err(error) => {
                tracing::warn!(topic, %error, "message on a topic outside the protocol");
                Ok(())
            }
        }
    }

    fn ack(&self, kiosk_id: &KioskId, ack: &Ack) {
        self.send(Outbound::new(&Topic::KioskAcks(kiosk_id.clone()), ack));
    }

    fn reject(
        &self,
        kiosk_id: &KioskId,
        event_id: shimin_sync::ids::EventId,
        reason: RejectReason,
        detail: String,
    ) -> EventOutcome {
        tracing::warn!(kiosk = %kiosk_id, event = %event_id, reason = reason.code(), %detail, "refused a kiosk event");
        self.ack(
            kiosk_id,
            &Ack {
                rejected: vec![Rejection {
                    event_id,
                    reason,
                    detail: Some(detail),
                }],
                ..Ack::default()
            },
        );
        EventOutcome::Rejected(reason)
    }

    /// Checks, applies and acknowledges one event from the kiosk of the topic.
    pub async fn handle_event(
        &self,
        topic_kiosk: &KioskId,
        payload: &[u8],
    ) -> Result<EventOutcome, AccountError> {
        let event = match messages::decode::<KioskEvent>(payload) {
            Ok(event) => event,
            Err(error) => {
                let Some(event_id) = messages::peek_event_id(payload) else {
                    tracing::warn!(kiosk = %topic_kiosk, %error, "dropped an unreadable kiosk event");
                    return Ok(EventOutcome::Dropped);
                };
                let reason = match error {
                    DecodeError::UnsupportedVersion { .. } => RejectReason::UnsupportedVersion,
                    _ => RejectReason::Malformed,
                };
                return Ok(self.reject(topic_kiosk, event_id, reason, error.to_string()));
            }
        };
        let kiosk = match self.inner.store.kiosk(topic_kiosk).await? {
            Some((kiosk, _)) if kiosk.retired_at.is_none() => kiosk,
            _ => {
                return Ok(self.reject(
                    topic_kiosk,
                    event.event_id,
                    RejectReason::UnknownKiosk,
                    format!("kiosk {topic_kiosk} is not registered"),
                ));
            }
        };
        if let Err(reason) = event.check_origin(topic_kiosk, &kiosk.center_id) {
            let detail = format!(
                "event names kiosk {} at {}; topic is kiosk {topic_kiosk} at {}",
                event.kiosk_id, event.center_id, kiosk.center_id
            );
            return Ok(self.reject(topic_kiosk, event.event_id, reason, detail));
        }
        let event_id = event.event_id;
        let to_apply = EventToApply {
            event_id,
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
        };
        let outcome = match self.inner.store.apply_event(to_apply).await? {
            ApplyOutcome::Applied(snapshot) => {
                // Occupancy and presence first, then the ack (PROTOCOL.md §7.7).
                self.publish_center(&snapshot).await?;
                EventOutcome::Applied
            }
            ApplyOutcome::AlreadyApplied => EventOutcome::Duplicate,
            ApplyOutcome::Rejected(reason, detail) => {
                return Ok(self.reject(topic_kiosk, event_id, reason, detail));
            }
        };
        self.ack(
            topic_kiosk,
            &Ack {
                accepted: vec![event_id],
                ..Ack::default()
            },
        );
        Ok(outcome)
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

    /// The minute's work: check out everyone still in at a center past its closing time, and
    /// republish a center whose level changed with the hour (opening, closing).
    pub async fn tick(&self) -> Result<(), AccountError> {
        let now = self.inner.clock.now();
        for center in self.inner.centers.centers().await? {
            let center = center.details;
            if let Some(closes) = state::closed_since(&center, now)
                && let Some(snapshot) = self
                    .inner
                    .store
                    .close_center(&center.center_id, closes, now)
                    .await?
            {
                tracing::info!(center = %center.center_id, "checked out everyone still in at closing time");
                self.publish_center(&snapshot).await?;
                continue;
            }
            let open = state::is_open(&center, now);
            let last = self
                .inner
                .levels
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .get(&center.center_id)
                .copied();
            let closed_now = !open;
            let was_closed = last == Some(shimin_sync::messages::CongestionLevel::Closed);
            if last.is_none() || closed_now != was_closed {
                let snapshot = self.inner.store.snapshot(&center.center_id).await?;
                self.publish_center(&snapshot).await?;
            }
        }
        Ok(())
    }
}

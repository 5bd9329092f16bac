//! The portal's side of the library counter (PROTOCOL.md §13): what it does with each message
//! a library kiosk publishes. A circulation request is checked, decided by the loan ledger
//! ([`crate::domain::ledger`]) or recorded as the ILS's report, applied exactly once, and
//! answered on the kiosk's `circulation-answers` topic; a status is recorded.

use shimin_sync::{
    ids::KioskId,
    messages::{self, CircAnswer, CircOp, CircRefusal, CircRequest, DecodeError, KioskStatus},
    topics::Topic,
};

use super::Library;
use crate::{
    checkin::Outbound,
    clock::tokyo,
    domain::ledger,
    store::{CircRecord, Circulated, StoreError},
};

impl Library {
    /// Handles one message on a library kiosk's topic; the answers to publish. A store error
    /// leaves the request unanswered: the kiosk sends it again.
    pub async fn handle_message(
        &self,
        topic: &Topic,
        payload: &[u8],
    ) -> Result<Vec<Outbound>, StoreError> {
        match topic {
            Topic::KioskCirculation(kiosk_id) => {
                let answer = self.circulation(kiosk_id, payload).await?;
                Ok(answer
                    .map(|answer| {
                        Outbound::new(&Topic::KioskCirculationAnswers(kiosk_id.clone()), &answer)
                    })
                    .into_iter()
                    .collect())
            }
            Topic::KioskStatus(kiosk_id) => {
                self.status(kiosk_id, payload).await?;
                Ok(Vec::new())
            }
            other => {
                tracing::warn!(topic = %other, "not a library kiosk's topic");
                Ok(Vec::new())
            }
        }
    }

    async fn circulation(
        &self,
        topic_kiosk: &KioskId,
        payload: &[u8],
    ) -> Result<Option<CircAnswer>, StoreError> {
        let request = match messages::decode::<CircRequest>(payload) {
            Ok(request) => request,
            Err(error) => {
                let Some(request_id) = messages::peek_request_id(payload) else {
                    tracing::warn!(kiosk = %topic_kiosk, %error, "dropped an unreadable circulation request");
                    return Ok(None);
                };
                let reason = match error {
                    DecodeError::UnsupportedVersion { .. } => CircRefusal::UnsupportedVersion,
                    _ => CircRefusal::Malformed,
                };
                tracing::warn!(kiosk = %topic_kiosk, %error, "refused a circulation request");
                return Ok(Some(CircAnswer::refusal(
                    request_id,
                    reason,
                    error.to_string(),
                )));
            }
        };
        let active = self
            .store
            .library_kiosk(topic_kiosk)
            .await?
            .is_some_and(|(kiosk, _)| kiosk.retired_at.is_none());
        if !active {
            tracing::warn!(kiosk = %topic_kiosk, "circulation request from an unknown library kiosk");
            return Ok(Some(CircAnswer::refusal(
                request.request_id,
                CircRefusal::UnknownKiosk,
                format!("{topic_kiosk} is not a registered library kiosk"),
            )));
        }
        if &request.kiosk_id != topic_kiosk {
            return Ok(Some(CircAnswer::refusal(
                request.request_id,
                CircRefusal::TopicMismatch,
                format!("request names {}", request.kiosk_id),
            )));
        }
        let today = request.occurred_at.to_zoned(tokyo()).date();
        let settings = self.settings.ledger;
        if request.op == CircOp::Patron {
            let view = self.store.ledger_view(request.card.clone(), None).await?;
            return Ok(Some(
                ledger::decide(&request, &view, today, &settings).answer,
            ));
        }
        let Some(item) = request.item.clone() else {
            // `decode` checked that every op but a patron lookup names an item.
            return Ok(None);
        };
        let record = CircRecord {
            request_id: request.request_id,
            kiosk_id: request.kiosk_id.clone(),
            op: request.op,
            authority: request.authority,
            card: request.card.clone(),
            item,
            occurred_at: request.occurred_at,
            received_at: self.clock.now(),
        };
        let decide = Box::new(move |view: &ledger::LedgerView| {
            ledger::decide(&request, view, today, &settings)
        });
        let answer = match self.store.circulate(record, decide).await? {
            Circulated::Applied(answer) => answer,
            Circulated::Repeated(answer) => {
                tracing::debug!(kiosk = %topic_kiosk, request = %answer.request_id, "repeated circulation request");
                answer
            }
        };
        tracing::info!(
            kiosk = %topic_kiosk,
            request = %answer.request_id,
            refused = ?answer.refused,
            "circulation request answered"
        );
        Ok(Some(answer))
    }

    async fn status(&self, topic_kiosk: &KioskId, payload: &[u8]) -> Result<(), StoreError> {
        let status = match messages::decode::<KioskStatus>(payload) {
            Ok(status) if &status.kiosk_id == topic_kiosk => status,
            Ok(_) | Err(DecodeError::Empty) => return Ok(()),
            Err(error) => {
                tracing::warn!(kiosk = %topic_kiosk, %error, "unreadable library kiosk status");
                return Ok(());
            }
        };
        tracing::info!(kiosk = %topic_kiosk, state = ?status.state, "library kiosk status");
        self.store
            .record_library_kiosk_status(
                topic_kiosk,
                status.state,
                self.clock.now(),
                status.software,
            )
            .await
    }
}

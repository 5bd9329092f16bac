//! The kiosk's state and the rules that change it, with the store underneath: a scan is
//! stored before it is answered, an ack settles the store before memory, what the portal sends
//! is stored before it is used. No network and no clock here: the sync loop
//! ([`crate::sync`]) feeds messages and the time in, and sends what [`Kiosk::due`] returns.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use shimin_sync::{
    ids::{EventId, KioskId},
    messages::{self, Ack, DecodeError, KeySet, KioskConfig, KioskEvent, Presence},
    outbox::{Backoff, Outbox},
    pass::VerifyPolicy,
    replay::ReplayGuard,
    topics::Topic,
};

use crate::{
    answer::{Answer, LocalOccupancy, Refusal},
    scan::{Decision, ScanInputs, UsedAnswer, decide},
    store::{Store, StoreError},
    view::View,
    visits::{self, KEEP_VISITS, Visit},
};

/// Why a received message was not taken.
#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    /// Not a topic of ours, or another kiosk's.
    #[error("ignoring a message on {0}")]
    NotForUs(String),
    /// The payload is not a valid message of the topic's kind.
    #[error("bad message on {topic}: {error}")]
    Invalid {
        /// The topic.
        topic: String,
        /// What is wrong.
        error: DecodeError,
    },
    /// It could not be stored (then it is not used either).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a received message changed, for the logs and the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    /// An ack removed these events from the outbox.
    Settled(Vec<EventId>),
    /// A newer key set is in force.
    Keys,
    /// The configuration changed.
    Config,
    /// The presence changed.
    Presence,
    /// Nothing changed (an older key set or presence, a cleared retained message, …).
    Nothing,
}

/// The running kiosk's state.
pub struct Kiosk {
    kiosk_id: KioskId,
    store: Box<dyn Store>,
    keys: Option<KeySet>,
    config: Option<KioskConfig>,
    presence: Option<Presence>,
    outbox: Outbox,
    pending: BTreeMap<EventId, KioskEvent>,
    /// Events settled by an ack but perhaps not yet in the presence received: the portal
    /// publishes the presence before the ack, but MQTT orders messages per topic only, so they
    /// stay in the view until the next presence arrives (which includes them).
    settled: Vec<KioskEvent>,
    replay: ReplayGuard,
    used: HashMap<EventId, UsedAnswer>,
    policy: VerifyPolicy,
    /// The visits recorded here in the last [`KEEP_VISITS`], oldest first.
    visits: Vec<Visit>,
}

impl std::fmt::Debug for Kiosk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kiosk")
            .field("kiosk_id", &self.kiosk_id)
            .field("pending", &self.outbox.len())
            .finish_non_exhaustive()
    }
}

impl Kiosk {
    /// The kiosk `kiosk_id` as `store` left it (everything in the outbox is due at `now`).
    pub fn open(
        kiosk_id: KioskId,
        store: Box<dyn Store>,
        now: Timestamp,
    ) -> Result<Self, StoreError> {
        let stored = store.load(now)?;
        let mut pending = BTreeMap::new();
        let entries = stored.outbox.into_iter().map(|(entry, event)| {
            pending.insert(event.event_id, event);
            entry
        });
        let outbox = Outbox::restore(Backoff::default(), entries.collect::<Vec<_>>());
        let mut used = HashMap::new();
        let replay = ReplayGuard::from_uses(
            stored
                .uses
                .into_iter()
                .map(|(nonce_use, answer)| {
                    used.insert(nonce_use.event_id, answer);
                    nonce_use
                })
                .collect::<Vec<_>>(),
        );
        Ok(Self {
            kiosk_id,
            store,
            keys: stored.keys,
            config: stored.config,
            presence: stored.presence,
            outbox,
            pending,
            settled: Vec::new(),
            replay,
            used,
            policy: VerifyPolicy::default(),
            visits: stored.visits,
        })
    }

    /// This kiosk's id.
    pub fn kiosk_id(&self) -> &KioskId {
        &self.kiosk_id
    }

    /// The configuration received from the portal, if any.
    pub fn config(&self) -> Option<&KioskConfig> {
        self.config.as_ref()
    }

    pub(crate) fn view(&self, now: Timestamp) -> View {
        View::build(
            self.presence.as_ref(),
            self.settled.iter().chain(self.pending.values()),
            self.config.as_ref(),
            now,
        )
    }

    /// The center's occupancy as this kiosk sees it at `now`.
    pub fn occupancy(&self, now: Timestamp) -> LocalOccupancy {
        self.view(now).occupancy(self.config.as_ref(), now)
    }

    /// Handles the decoded `text` of a code scanned at `now`: refuses it, repeats an earlier
    /// answer, or records a new event durably and then answers.
    pub fn scan(&mut self, text: &str, now: Timestamp) -> Answer {
        let view = self.view(now);
        let inputs = ScanInputs {
            kiosk_id: &self.kiosk_id,
            keys: self.keys.as_ref(),
            config: self.config.as_ref(),
            replay: &self.replay,
            used: &self.used,
            view: &view,
            policy: &self.policy,
        };
        match decide(inputs, text, now) {
            Decision::Refuse(why) => {
                Answer::refused(why, view.occupancy(self.config.as_ref(), now))
            }
            Decision::Repeat {
                event_id,
                answer,
                names,
            } => {
                let occupancy = view.occupancy(self.config.as_ref(), now);
                let mut shown = Answer::accepted(answer.kind, answer.children, event_id, occupancy);
                shown.repeat = true;
                shown.names = names;
                shown
            }
            Decision::Record { event, pass } => {
                let answer = UsedAnswer {
                    kind: event.kind,
                    children: event.children.clone(),
                };
                // The record the guard will keep; computed first so it is stored as kept.
                let mut probe = self.replay.clone();
                let nonce_use = probe.record(&pass, event.event_id, now, self.policy.clock_skew);
                let names = visits::names_of(&pass.children, &pass.names, &event.children);
                if let Err(error) = self.store.record_scan(&event, &nonce_use, &answer, &names) {
                    tracing::error!(%error, "could not record a scan; refusing it");
                    let occupancy = view.occupancy(self.config.as_ref(), now);
                    return Answer::refused(Refusal::NotRecorded, occupancy);
                }
                self.replay = probe;
                self.used.insert(event.event_id, answer.clone());
                self.outbox
                    .enqueue(event.event_id, messages::encode(&event), now);
                let event_id = event.event_id;
                let guardian = event.guardian_id;
                self.visits.push(Visit::of(&event, names.clone()));
                self.pending.insert(event_id, event);
                let occupancy = self.occupancy(now);
                let mut shown = Answer::accepted(answer.kind, answer.children, event_id, occupancy);
                shown.guardian = Some(guardian);
                shown.names = names;
                shown
            }
        }
    }

    /// The answer to a frame that could not be read at all.
    pub fn unreadable(&self, now: Timestamp) -> Answer {
        Answer::refused(Refusal::Unreadable, self.occupancy(now))
    }

    /// Takes a message the broker delivered on `topic`.
    pub fn receive(&mut self, topic: &str, payload: &[u8]) -> Result<Received, ReceiveError> {
        let not_for_us = || ReceiveError::NotForUs(topic.to_owned());
        let parsed = Topic::parse(topic).map_err(|_| not_for_us())?;
        if parsed.kiosk().is_some_and(|k| k != &self.kiosk_id) {
            return Err(not_for_us());
        }
        let invalid = |error| ReceiveError::Invalid {
            topic: topic.to_owned(),
            error,
        };
        if payload.is_empty() {
            // A cleared retained message: keep what we have (the kiosk must keep verifying
            // offline; a retired kiosk is switched off by staff, not by the broker).
            return Ok(Received::Nothing);
        }
        match parsed {
            Topic::KioskAcks(_) => {
                let ack: Ack = messages::decode(payload).map_err(invalid)?;
                for rejection in &ack.rejected {
                    tracing::warn!(event_id = %rejection.event_id, reason = rejection.reason.code(),
                        detail = rejection.detail.as_deref().unwrap_or(""), "the portal rejected an event");
                }
                let ids: Vec<EventId> = ack
                    .settled()
                    .filter(|id| self.pending.contains_key(id))
                    .copied()
                    .collect();
                if ids.is_empty() {
                    return Ok(Received::Nothing);
                }
                self.store.settle(&ids)?;
                let removed = self.outbox.ack(&ids);
                for id in &removed {
                    if let Some(event) = self.pending.remove(id) {
                        self.settled.push(event);
                    }
                }
                Ok(Received::Settled(removed))
            }
            Topic::Keys => {
                let keys: KeySet = messages::decode(payload).map_err(invalid)?;
                if self
                    .keys
                    .as_ref()
                    .is_some_and(|current| !keys.supersedes(current))
                {
                    return Ok(Received::Nothing);
                }
                self.store.save_keys(&keys)?;
                self.keys = Some(keys);
                Ok(Received::Keys)
            }
            Topic::KioskConfig(_) => {
                let config: KioskConfig = messages::decode(payload).map_err(invalid)?;
                if config.kiosk_id != self.kiosk_id {
                    return Err(not_for_us());
                }
                if self.config.as_ref() == Some(&config) {
                    return Ok(Received::Nothing);
                }
                self.store.save_config(&config)?;
                self.config = Some(config);
                Ok(Received::Config)
            }
            Topic::KioskPresence(_) => {
                let presence: Presence = messages::decode(payload).map_err(invalid)?;
                let older = self.presence.as_ref().is_some_and(|current| {
                    current.center_id == presence.center_id && current.seq >= presence.seq
                });
                if older {
                    return Ok(Received::Nothing);
                }
                self.store.save_presence(&presence)?;
                self.presence = Some(presence);
                self.settled.clear();
                Ok(Received::Presence)
            }
            Topic::CenterOccupancy(_) => Ok(Received::Nothing),
            Topic::KioskEvents(_)
            | Topic::KioskStatus(_)
            | Topic::KioskCirculation(_)
            | Topic::KioskCirculationAnswers(_) => Err(not_for_us()),
        }
    }

    /// After a (re)connection: everything in the outbox is due at `now`.
    pub fn reconnected(&mut self, now: Timestamp) {
        self.outbox.reconnected(now);
    }

    /// The events due at `now`, oldest first, at most `limit`: (event id, payload).
    pub fn due(&self, now: Timestamp, limit: usize) -> Vec<(EventId, String)> {
        self.outbox
            .due(now, limit)
            .into_iter()
            .map(|e| (e.event_id, e.payload.clone()))
            .collect()
    }

    /// Records that `event_id` was handed to the MQTT client at `now` (`jitter` in 0–1).
    /// Kept in memory only: after a restart every event is due at once anyway.
    pub fn mark_sent(&mut self, event_id: &EventId, now: Timestamp, jitter: f64) {
        self.outbox.mark_sent(event_id, now, jitter);
    }

    /// When something next becomes due, if anything waits.
    pub fn next_wakeup(&self) -> Option<Timestamp> {
        self.outbox.next_wakeup()
    }

    /// How many events wait for their ack.
    pub fn pending_events(&self) -> usize {
        self.outbox.len()
    }

    /// Forgets replay records whose pass can no longer verify, and old visits (store first).
    pub fn forget_expired(&mut self, now: Timestamp) -> Result<(), StoreError> {
        self.store.forget_uses(now)?;
        let before: Vec<EventId> = self.replay.uses().map(|u| u.event_id).collect();
        self.replay.forget_expired(now);
        let kept: std::collections::HashSet<EventId> =
            self.replay.uses().map(|u| u.event_id).collect();
        for id in before.into_iter().filter(|id| !kept.contains(id)) {
            self.used.remove(&id);
        }
        self.visits.retain(|visit| visit.at >= now - KEEP_VISITS);
        Ok(())
    }
}

mod manual;
#[cfg(test)]
mod manual_tests;
#[cfg(test)]
mod tests;

//! The kiosk's outbox as a pure state machine: its methods only change state, the MQTT loop
//! does the I/O around them (as rumqttc's `MqttState` does).
//!
//! The life of an event: [`Outbox::enqueue`] (the kiosk stores it in SQLite in the same
//! transaction) → it is due at once → the loop publishes what [`Outbox::due`] returns and calls
//! [`Outbox::mark_sent`] → if no ack comes within the [`Backoff`] delay it is due again → the
//! portal's ack ([`Outbox::ack`], accepted or rejected) removes it. On every (re)connection
//! [`Outbox::reconnected`] makes everything still unacked due at once, because the broker may
//! have lost what was in flight. Resending is always safe: the portal applies each event id once.

mod backoff;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;

pub use backoff::Backoff;

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;

use crate::ids::EventId;

/// One event waiting for its ack. The kiosk persists every field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxEntry {
    /// The event.
    pub event_id: EventId,
    /// The JSON payload to publish (the encoded [`crate::messages::KioskEvent`]).
    pub payload: String,
    /// Enqueue order: events are sent oldest first.
    pub seq: u64,
    /// When it was enqueued.
    pub enqueued_at: Timestamp,
    /// How many times it has been sent in all.
    pub attempts: u32,
    /// Sends since the last (re)connection: drives the backoff.
    pub backoff_step: u32,
    /// When it is next due to be sent.
    pub next_due: Timestamp,
    /// When it was last sent, if ever.
    pub last_sent_at: Option<Timestamp>,
}

/// What [`Outbox::enqueue`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enqueued {
    /// A new entry, due now.
    Added,
    /// The event id was already waiting; nothing changed.
    AlreadyQueued,
}

/// The events not yet acknowledged by the portal.
#[derive(Debug, Clone, Default)]
pub struct Outbox {
    backoff: Backoff,
    by_seq: BTreeMap<u64, OutboxEntry>,
    seq_of: HashMap<EventId, u64>,
    next_seq: u64,
}

impl Outbox {
    /// An empty outbox.
    pub fn new(backoff: Backoff) -> Self {
        Self {
            backoff,
            ..Self::default()
        }
    }

    /// The outbox as stored (after a restart). An event id stored twice keeps its first entry.
    pub fn restore(backoff: Backoff, entries: impl IntoIterator<Item = OutboxEntry>) -> Self {
        let mut outbox = Self::new(backoff);
        for entry in entries {
            if outbox.seq_of.contains_key(&entry.event_id) || outbox.by_seq.contains_key(&entry.seq)
            {
                continue;
            }
            outbox.next_seq = outbox.next_seq.max(entry.seq.saturating_add(1));
            outbox.seq_of.insert(entry.event_id, entry.seq);
            outbox.by_seq.insert(entry.seq, entry);
        }
        outbox
    }

    /// Adds an event, due at once. Enqueueing an id already waiting changes nothing.
    pub fn enqueue(&mut self, event_id: EventId, payload: String, now: Timestamp) -> Enqueued {
        if self.seq_of.contains_key(&event_id) {
            return Enqueued::AlreadyQueued;
        }
        let seq = self.next_seq;
        self.next_seq += 1;
        self.seq_of.insert(event_id, seq);
        self.by_seq.insert(
            seq,
            OutboxEntry {
                event_id,
                payload,
                seq,
                enqueued_at: now,
                attempts: 0,
                backoff_step: 0,
                next_due: now,
                last_sent_at: None,
            },
        );
        Enqueued::Added
    }

    /// The entries due at `now`, oldest first, at most `limit` (so a day's backlog goes out in
    /// batches the client's in-flight window can take).
    pub fn due(&self, now: Timestamp, limit: usize) -> Vec<&OutboxEntry> {
        self.by_seq
            .values()
            .filter(|e| e.next_due <= now)
            .take(limit)
            .collect()
    }

    /// Records that `event_id` was handed to the MQTT client at `now`; it is due again after
    /// the backoff delay, shortened by `jitter` (a draw from 0–1). Returns the updated entry to
    /// store, or `None` if the event is no longer waiting (acked meanwhile).
    pub fn mark_sent(
        &mut self,
        event_id: &EventId,
        now: Timestamp,
        jitter: f64,
    ) -> Option<&OutboxEntry> {
        let seq = self.seq_of.get(event_id)?;
        let entry = self.by_seq.get_mut(seq)?;
        entry.attempts = entry.attempts.saturating_add(1);
        entry.backoff_step = entry.backoff_step.saturating_add(1);
        entry.last_sent_at = Some(now);
        let delay = self.backoff.delay(entry.backoff_step, jitter);
        entry.next_due = now.checked_add(delay).unwrap_or(now);
        Some(entry)
    }

    /// Removes the acknowledged events (accepted or rejected alike); returns the ids actually
    /// removed. Unknown ids and ids acked twice are ignored.
    pub fn ack<'a>(&mut self, event_ids: impl IntoIterator<Item = &'a EventId>) -> Vec<EventId> {
        let mut removed = Vec::new();
        for id in event_ids {
            if let Some(seq) = self.seq_of.remove(id) {
                self.by_seq.remove(&seq);
                removed.push(*id);
            }
        }
        removed
    }

    /// After a (re)connection: every unacked event is due at `now`, and its backoff restarts.
    pub fn reconnected(&mut self, now: Timestamp) {
        for entry in self.by_seq.values_mut() {
            entry.next_due = now;
            entry.backoff_step = 0;
        }
    }

    /// The earliest time something becomes due, so the loop knows how long it may sleep.
    pub fn next_wakeup(&self) -> Option<Timestamp> {
        self.by_seq.values().map(|e| e.next_due).min()
    }

    /// The entry of `event_id`, if it is waiting.
    pub fn get(&self, event_id: &EventId) -> Option<&OutboxEntry> {
        self.by_seq.get(self.seq_of.get(event_id)?)
    }

    /// Every waiting entry, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = &OutboxEntry> {
        self.by_seq.values()
    }

    /// How many events wait for their ack.
    pub fn len(&self) -> usize {
        self.by_seq.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.by_seq.is_empty()
    }
}

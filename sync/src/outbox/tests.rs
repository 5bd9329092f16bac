//! Outbox tests: examples first, then randomized runs (seeded, so failures reproduce) against a
//! simulated lossy link and a portal that applies each event id once.

use std::collections::{BTreeSet, HashMap};

use jiff::{SignedDuration, Timestamp};
use rand::{Rng, SeedableRng, rngs::StdRng};
use uuid::Uuid;

use super::*;

fn t0() -> Timestamp {
    "2026-04-01T01:00:00Z".parse().unwrap()
}

fn id(n: u128) -> EventId {
    EventId(Uuid::from_u128(n))
}

fn secs(s: i64) -> SignedDuration {
    SignedDuration::from_secs(s)
}

fn due_ids(outbox: &Outbox, now: Timestamp) -> Vec<EventId> {
    outbox
        .due(now, usize::MAX)
        .iter()
        .map(|e| e.event_id)
        .collect()
}

#[test]
fn an_event_is_due_at_once_then_after_each_backoff() {
    let mut outbox = Outbox::new(Backoff::default());
    assert_eq!(outbox.enqueue(id(1), "{}".into(), t0()), Enqueued::Added);
    assert_eq!(due_ids(&outbox, t0()), [id(1)]);
    outbox.mark_sent(&id(1), t0(), 0.0).unwrap();
    assert!(due_ids(&outbox, t0() + secs(4)).is_empty());
    assert_eq!(due_ids(&outbox, t0() + secs(5)), [id(1)]);
    let entry = outbox.mark_sent(&id(1), t0() + secs(5), 0.0).unwrap();
    assert_eq!((entry.attempts, entry.next_due), (2, t0() + secs(15)));
    assert_eq!(outbox.next_wakeup(), Some(t0() + secs(15)));
}

#[test]
fn events_go_oldest_first_in_batches() {
    let mut outbox = Outbox::new(Backoff::default());
    for n in [5, 3, 9] {
        outbox.enqueue(id(n), String::new(), t0());
    }
    let batch: Vec<EventId> = outbox.due(t0(), 2).iter().map(|e| e.event_id).collect();
    assert_eq!(batch, [id(5), id(3)]);
}

#[test]
fn an_ack_removes_exactly_that_event_and_twice_is_harmless() {
    let mut outbox = Outbox::new(Backoff::default());
    for n in 1..=3 {
        outbox.enqueue(id(n), format!("payload {n}"), t0());
    }
    assert_eq!(outbox.ack([&id(2)]), [id(2)]);
    assert_eq!(outbox.ack([&id(2), &id(99)]), Vec::<EventId>::new());
    let left: Vec<&str> = outbox.entries().map(|e| e.payload.as_str()).collect();
    assert_eq!(left, ["payload 1", "payload 3"]);
    assert!(outbox.mark_sent(&id(2), t0(), 0.0).is_none());
}

#[test]
fn enqueueing_the_same_event_twice_keeps_one_entry() {
    let mut outbox = Outbox::new(Backoff::default());
    outbox.enqueue(id(1), "first".into(), t0());
    outbox.mark_sent(&id(1), t0(), 0.0);
    assert_eq!(
        outbox.enqueue(id(1), "second".into(), t0() + secs(1)),
        Enqueued::AlreadyQueued
    );
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox.get(&id(1)).unwrap().payload, "first");
    assert_eq!(outbox.get(&id(1)).unwrap().attempts, 1);
}

#[test]
fn reconnecting_makes_everything_unacked_due_and_restarts_the_backoff() {
    let mut outbox = Outbox::new(Backoff::default());
    for n in 1..=3 {
        outbox.enqueue(id(n), String::new(), t0());
        for k in 0..4 {
            outbox.mark_sent(&id(n), t0() + secs(k), 0.0);
        }
    }
    let later = t0() + secs(10);
    assert!(due_ids(&outbox, later).is_empty());
    outbox.reconnected(later);
    assert_eq!(due_ids(&outbox, later), [id(1), id(2), id(3)]);
    let entry = outbox.mark_sent(&id(1), later, 0.0).unwrap();
    assert_eq!((entry.attempts, entry.next_due), (5, later + secs(5)));
}

#[test]
fn a_restored_outbox_continues_where_it_stopped() {
    let mut outbox = Outbox::new(Backoff::default());
    for n in 1..=3 {
        outbox.enqueue(id(n), String::new(), t0());
    }
    outbox.mark_sent(&id(2), t0(), 0.0);
    outbox.ack([&id(1)]);
    let stored: Vec<OutboxEntry> = outbox.entries().cloned().collect();
    let mut restored = Outbox::restore(Backoff::default(), stored.into_iter().rev());
    assert_eq!(
        restored.entries().collect::<Vec<_>>(),
        outbox.entries().collect::<Vec<_>>()
    );
    restored.enqueue(id(4), String::new(), t0());
    assert_eq!(restored.get(&id(4)).unwrap().seq, 3);
}

/// The simulated world of a random run: the kiosk's outbox, a link that may lose sends and
/// acks, and a portal that counts deliveries per event id.
struct Sim {
    rng: StdRng,
    seed: u64,
    backoff: Backoff,
    outbox: Outbox,
    now: Timestamp,
    connected: bool,
    next_id: u128,
    /// Enqueued and not yet acked: what the outbox must hold.
    expected: BTreeSet<EventId>,
    /// Portal side: deliveries per event id.
    applied: HashMap<EventId, u32>,
    acks_in_flight: Vec<Vec<EventId>>,
}

impl Sim {
    fn new(seed: u64) -> Self {
        let backoff = Backoff::default();
        Self {
            rng: StdRng::seed_from_u64(seed),
            seed,
            backoff,
            outbox: Outbox::new(backoff),
            now: t0(),
            connected: true,
            next_id: 0,
            expected: BTreeSet::new(),
            applied: HashMap::new(),
            acks_in_flight: Vec::new(),
        }
    }

    /// One random step; `lossy` allows losses, disconnections and new events.
    fn step(&mut self, lossy: bool) {
        match self.rng.gen_range(0..10) {
            0 | 1 if lossy => {
                self.next_id += 1;
                let id = id(self.next_id);
                let added = self
                    .outbox
                    .enqueue(id, format!("{}", self.next_id), self.now);
                assert_eq!(added, Enqueued::Added);
                self.expected.insert(id);
            }
            2 if lossy && !self.expected.is_empty() => {
                let again = *self.expected.iter().next().unwrap();
                let added = self.outbox.enqueue(again, String::new(), self.now);
                assert_eq!(added, Enqueued::AlreadyQueued);
            }
            3 if lossy => {
                self.connected = !self.connected;
                if self.connected {
                    self.outbox.reconnected(self.now);
                }
            }
            4 | 5 => self.now += secs(self.rng.gen_range(0..40)),
            6 | 7 if self.connected => self.send(lossy),
            _ => self.deliver_acks(),
        }
        self.check_invariants();
    }

    fn send(&mut self, lossy: bool) {
        let limit = self.rng.gen_range(1..20);
        let sent: Vec<EventId> = self
            .outbox
            .due(self.now, limit)
            .iter()
            .map(|e| e.event_id)
            .collect();
        let mut ack = Vec::new();
        for id in sent {
            self.outbox
                .mark_sent(&id, self.now, self.rng.r#gen())
                .unwrap();
            if lossy && self.rng.gen_bool(0.3) {
                continue; // the publish was lost
            }
            *self.applied.entry(id).or_default() += 1;
            ack.push(id);
        }
        if !(lossy && self.rng.gen_bool(0.3)) {
            self.acks_in_flight.push(ack);
        }
    }

    fn deliver_acks(&mut self) {
        for ack in std::mem::take(&mut self.acks_in_flight) {
            // The portal may answer the same event twice; a second ack removes nothing.
            let removed = self.outbox.ack(ack.iter().chain(ack.iter()));
            let unique: BTreeSet<EventId> = ack.iter().copied().collect();
            let should: BTreeSet<EventId> = unique.intersection(&self.expected).copied().collect();
            assert_eq!(removed.len(), should.len(), "seed {}", self.seed);
            assert_eq!(removed.iter().copied().collect::<BTreeSet<_>>(), should);
            for id in removed {
                self.expected.remove(&id);
            }
        }
    }

    /// The outbox holds exactly the unacked events, oldest first, and each is due now or
    /// within the backoff cap of its last send.
    fn check_invariants(&self) {
        let held: BTreeSet<EventId> = self.outbox.entries().map(|e| e.event_id).collect();
        assert_eq!(held, self.expected, "seed {}", self.seed);
        let entries: Vec<&OutboxEntry> = self.outbox.entries().collect();
        assert!(entries.windows(2).all(|w| w[0].seq < w[1].seq));
        for entry in entries {
            let base = entry.last_sent_at.unwrap_or(entry.enqueued_at);
            let latest = (base + self.backoff.max).max(self.now);
            assert!(entry.next_due <= latest, "seed {}: {entry:?}", self.seed);
        }
    }
}

/// A random run: events enqueued at random over a lossy link with disconnections, duplicate
/// acks and time passing; then the link heals and every event must reach the portal and leave
/// the outbox within a bounded number of steps.
fn random_run(seed: u64) {
    let mut sim = Sim::new(seed);
    let steps = sim.rng.gen_range(50..300);
    for _ in 0..steps {
        sim.step(true);
    }
    sim.connected = true;
    sim.outbox.reconnected(sim.now);
    let mut rounds = 0;
    while !sim.outbox.is_empty() {
        sim.step(false);
        rounds += 1;
        assert!(rounds < 10_000, "seed {seed}: the outbox never drained");
    }
    assert!(sim.expected.is_empty());
    for n in 1..=sim.next_id {
        assert!(
            sim.applied.contains_key(&id(n)),
            "seed {seed}: event {n} never reached the portal"
        );
    }
}

#[test]
fn every_event_is_sent_until_acked_over_a_lossy_link() {
    for seed in 0..300 {
        random_run(seed);
    }
}

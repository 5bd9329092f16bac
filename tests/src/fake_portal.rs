//! A stand-in for the portal's MQTT side, for kiosk tests: it speaks PROTOCOL.md over
//! `shimin_sync::mqtt` for one kiosk. On every connection it subscribes and republishes its
//! retained state (key set, the kiosk's configuration and presence), as a portal must after a
//! broker restart; it records every event delivery and status; and it applies events by the
//! latest-`occurred_at` rule, publishing the new presence and then the ack (§7.7), at once
//! ([`FakePortal::set_auto_ack`]) or when told ([`FakePortal::ack_all`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, MutexGuard};

use jiff::Timestamp;
use shimin_sync::{
    ids::{CenterId, ChildNo, EventId, GuardianId, KioskId},
    messages::{
        Ack, EventKind, KeySet, KioskConfig, KioskEvent, KioskState, KioskStatus, Presence,
        PresentFamily, V1, decode, encode,
    },
    mqtt::{self, LinkEvent, LinkHandle, LinkOptions},
    topics::{Topic, portal_filters},
};

use super::*;
use crate::mosquitto::PORTAL_USER;

/// What the fake portal saw and did.
#[derive(Debug)]
struct Seen {
    kiosk: KioskId,
    center: CenterId,
    /// Every event delivery in arrival order (duplicates included).
    deliveries: Vec<EventId>,
    /// The distinct events.
    events: HashMap<EventId, KioskEvent>,
    /// The events applied (and acknowledged).
    applied: HashSet<EventId>,
    /// The kiosk's statuses, in order.
    statuses: Vec<KioskStatus>,
    /// Events seen on another kiosk's topic (the ACL must stop these).
    foreign: usize,
    /// Per child: (in?, occurred_at, event id) of the latest event applied.
    inside: BTreeMap<(GuardianId, ChildNo), (bool, Timestamp, EventId)>,
    /// The presence sequence number.
    seq: u64,
}

impl Seen {
    /// Applies `id` once, by the latest-`occurred_at` rule (ties by event id).
    fn apply(&mut self, id: EventId) {
        if !self.applied.insert(id) {
            return;
        }
        let Some(event) = self.events.get(&id).cloned() else {
            return;
        };
        for child in &event.children {
            let key = (event.guardian_id, *child);
            let newer = self
                .inside
                .get(&key)
                .is_none_or(|(_, at, by)| (event.occurred_at, event.event_id) > (*at, *by));
            if newer {
                let is_in = event.kind == EventKind::CheckIn;
                self.inside
                    .insert(key, (is_in, event.occurred_at, event.event_id));
            }
        }
    }

    /// The kiosk's presence, with the next sequence number.
    fn presence(&mut self) -> Presence {
        self.seq += 1;
        let mut families: BTreeMap<GuardianId, PresentFamily> = BTreeMap::new();
        for ((guardian, child), (is_in, at, _)) in &self.inside {
            if *is_in {
                let family = families.entry(*guardian).or_insert(PresentFamily {
                    guardian_id: *guardian,
                    children: Vec::new(),
                    since: *at,
                });
                family.children.push(*child);
                family.since = family.since.min(*at);
            }
        }
        Presence {
            v: V1,
            center_id: self.center.clone(),
            families: families.into_values().collect(),
            updated_at: Timestamp::now(),
            seq: self.seq,
        }
    }

    /// Takes one message; returns the id of a kiosk event received.
    fn receive(&mut self, topic: &str, payload: &[u8]) -> Option<EventId> {
        match Topic::parse(topic).ok()? {
            Topic::KioskEvents(kiosk) if kiosk == self.kiosk => {
                let event: KioskEvent = decode(payload).ok()?;
                event.check_origin(&kiosk, &self.center).ok()?;
                let id = event.event_id;
                self.deliveries.push(id);
                self.events.entry(id).or_insert(event);
                Some(id)
            }
            Topic::KioskEvents(_) => {
                self.foreign += 1;
                None
            }
            Topic::KioskStatus(kiosk) if kiosk == self.kiosk => {
                if let Ok(status) = decode(payload) {
                    self.statuses.push(status);
                }
                None
            }
            _ => None,
        }
    }
}

/// The portal's MQTT side for one kiosk (see the module docs).
pub struct FakePortal {
    link: LinkHandle,
    seen: Arc<Mutex<Seen>>,
    auto_ack: Arc<Mutex<bool>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl FakePortal {
    /// Connects to `url` as the user `portal` with `password` and serves the kiosk of
    /// `config` with `keys` and `config`. Auto-ack is on.
    pub fn start(url: &str, password: &str, keys: KeySet, config: KioskConfig) -> Result<Self> {
        let mut options = LinkOptions::new(url, "shimin-portal-test");
        options.credentials = Some((PORTAL_USER.into(), password.into()));
        options.reconnect_max = Duration::from_secs(1);
        let (link, mut events, _task) = mqtt::start(&options)?;
        let seen = Arc::new(Mutex::new(Seen {
            kiosk: config.kiosk_id.clone(),
            center: config.center_id.clone(),
            deliveries: Vec::new(),
            events: HashMap::new(),
            applied: HashSet::new(),
            statuses: Vec::new(),
            foreign: 0,
            inside: BTreeMap::new(),
            seq: 0,
        }));
        let auto_ack = Arc::new(Mutex::new(true));
        let portal = Self {
            link: link.clone(),
            seen: Arc::clone(&seen),
            auto_ack: Arc::clone(&auto_ack),
        };
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                match event {
                    LinkEvent::Connected { .. } => {
                        let kiosk = lock(&seen).kiosk.clone();
                        let presence = lock(&seen).presence();
                        let retained = [
                            (Topic::Keys, encode(&keys)),
                            (Topic::KioskConfig(kiosk.clone()), encode(&config)),
                            (Topic::KioskPresence(kiosk), encode(&presence)),
                        ];
                        let _ = link.subscribe(portal_filters()).await;
                        for (topic, payload) in retained {
                            let _ = link.publish(topic.to_string(), payload, true).await;
                        }
                    }
                    LinkEvent::Disconnected { .. } => {}
                    LinkEvent::Message { topic, payload } => {
                        let received = lock(&seen).receive(&topic, &payload);
                        if let Some(id) = received
                            && *lock(&auto_ack)
                        {
                            publish_applied(&link, &seen, vec![id]).await;
                        }
                    }
                }
            }
        });
        Ok(portal)
    }

    /// Whether each event is applied and acknowledged as it arrives.
    pub fn set_auto_ack(&self, on: bool) {
        *lock(&self.auto_ack) = on;
    }

    /// Applies and acknowledges every event received so far.
    pub async fn ack_all(&self) {
        let ids: Vec<EventId> = lock(&self.seen).events.keys().copied().collect();
        for chunk in ids.chunks(500) {
            publish_applied(&self.link, &self.seen, chunk.to_vec()).await;
        }
    }

    /// The distinct events received.
    pub fn event_ids(&self) -> BTreeSet<EventId> {
        lock(&self.seen).events.keys().copied().collect()
    }

    /// The event `id`, if received.
    pub fn event(&self, id: &EventId) -> Option<KioskEvent> {
        lock(&self.seen).events.get(id).cloned()
    }

    /// How many event deliveries arrived (duplicates included).
    pub fn delivery_count(&self) -> usize {
        lock(&self.seen).deliveries.len()
    }

    /// How many events arrived on another kiosk's topic.
    pub fn foreign_events(&self) -> usize {
        lock(&self.seen).foreign
    }

    /// How many statuses the kiosk has published.
    pub fn status_count(&self) -> usize {
        lock(&self.seen).statuses.len()
    }

    /// Waits until every event of `ids` has arrived.
    pub async fn wait_for_events(&self, ids: &BTreeSet<EventId>, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.event_ids();
            if ids.is_subset(&got) {
                return Ok(());
            }
            if Instant::now() > deadline {
                let have = ids.intersection(&got).count();
                bail!("the portal has {have} of {} events", ids.len());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits (up to 20 s) for a status in `state` among those after the first `after`.
    pub async fn wait_for_status(&self, after: usize, state: KioskState) -> Result<KioskStatus> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let found = lock(&self.seen)
                .statuses
                .iter()
                .skip(after)
                .find(|s| s.state == state)
                .cloned();
            if let Some(status) = found {
                return Ok(status);
            }
            if Instant::now() > deadline {
                bail!("no {state:?} status from the kiosk");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// Applies `ids`, publishes the kiosk's new presence, then the ack (PROTOCOL.md §7.7).
async fn publish_applied(link: &LinkHandle, seen: &Mutex<Seen>, ids: Vec<EventId>) {
    let (kiosk, presence) = {
        let mut seen = lock(seen);
        for id in &ids {
            seen.apply(*id);
        }
        (seen.kiosk.clone(), seen.presence())
    };
    let topic = Topic::KioskPresence(kiosk.clone()).to_string();
    let _ = link.publish(topic, encode(&presence), true).await;
    let ack = Ack {
        accepted: ids,
        ..Ack::default()
    };
    let topic = Topic::KioskAcks(kiosk).to_string();
    let _ = link.publish(topic, encode(&ack), false).await;
}

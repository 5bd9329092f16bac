//! The headless kiosk against a real Mosquitto (configured from `config/mosquitto.conf` with
//! the ACL of PROTOCOL.md §5). The test plays the portal over `shimin_sync::mqtt`: it publishes
//! the key set and the kiosk's configuration (retained), signs passes, shows them to the kiosk
//! as QR images in its frames folder, reads the kiosk's answers on its stdout, and receives and
//! acknowledges the events the kiosk publishes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Result, bail};
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;
use shimin_e2e::{kiosk::KioskProcess, mosquitto::Mosquitto};
use shimin_sync::{
    ids::{CenterId, ChildNo, EventId, GuardianId, KeyId, KioskId},
    messages::{
        Ack, EventKind, KeySet, KioskConfig, KioskEvent, KioskState, KioskStatus, Presence,
        PresentFamily, V1, decode, encode,
    },
    mqtt::{self, LinkEvent, LinkHandle, LinkOptions},
    pass::{PassClaims, PassNonce, PassSigner, issue},
    topics::{Topic, portal_filters},
};

const KIOSK: &str = "chuo-1";
const KIOSK_PASSWORD: &str = "kiosk-secret-1";
const PORTAL_PASSWORD: &str = "portal-secret";

fn kiosk_id() -> KioskId {
    KioskId::new(KIOSK).unwrap()
}

fn signer() -> PassSigner {
    PassSigner::from_seed(KeyId::new("k1").unwrap(), &[7; 32])
}

fn key_set() -> KeySet {
    let entry = signer().key_entry(
        "2020-01-01T00:00:00Z".parse().unwrap(),
        "2100-01-01T00:00:00Z".parse().unwrap(),
    );
    KeySet::new(Timestamp::now(), vec![entry])
}

/// Center `chuo`, open every day (so the level is never "closed" while the test runs).
fn kiosk_config() -> KioskConfig {
    let json = serde_json::json!({
        "v": 1, "kiosk_id": KIOSK, "center_id": "chuo",
        "center_name": "中央子育て支援センター", "capacity": 10, "time_zone": "Asia/Tokyo",
        "opening_hours": [{"days": ["mon","tue","wed","thu","fri","sat","sun"],
                           "opens": "00:00", "closes": "23:59:59"}],
        "updated_at": Timestamp::now().to_string(),
    });
    decode(json.to_string().as_bytes()).unwrap()
}

/// A guardian id that differs per `n`.
fn guardian(n: u32) -> GuardianId {
    format!("0190f3a2-7b1c-7d4e-8f00-{n:012x}").parse().unwrap()
}

/// A nonce never used before in this test process.
fn fresh_nonce() -> PassNonce {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let base = u64::try_from(Timestamp::now().as_nanosecond()).unwrap_or(1);
    PassNonce((base ^ NEXT.fetch_add(1, Ordering::SeqCst).rotate_left(40)).to_be_bytes())
}

/// A pass for `children` of `guardian`, issued `age` ago, optionally bound to `center`.
fn pass_with(
    signer: &PassSigner,
    guardian: GuardianId,
    children: &[u16],
    age: SignedDuration,
    center: Option<&str>,
) -> String {
    let children = children.iter().map(|c| ChildNo::new(*c).unwrap()).collect();
    let issued = Timestamp::now().checked_sub(age).unwrap();
    let mut claims = PassClaims::new(
        guardian,
        children,
        issued,
        SignedDuration::from_mins(5),
        fresh_nonce(),
    )
    .unwrap();
    claims.center_id = center.map(|c| CenterId::new(c).unwrap());
    issue(signer, &claims).unwrap()
}

fn pass(guardian: GuardianId, children: &[u16]) -> String {
    pass_with(&signer(), guardian, children, SignedDuration::ZERO, None)
}

/// What the fake portal saw.
#[derive(Debug, Default)]
struct Seen {
    /// Every event delivery, in arrival order (duplicates included), with its arrival time.
    deliveries: Vec<(EventId, Instant)>,
    /// The distinct events.
    events: HashMap<EventId, KioskEvent>,
    /// When each event was acknowledged.
    acked_at: HashMap<EventId, Instant>,
    /// The kiosk's statuses, in order.
    statuses: Vec<KioskStatus>,
    /// Events seen on another kiosk's topic (the ACL must stop these).
    foreign: usize,
    /// Who is in, by the latest event applied: (in?, occurred_at, event id) per child.
    inside: BTreeMap<(GuardianId, ChildNo), (bool, Timestamp, EventId)>,
    /// The presence sequence number.
    seq: u64,
}

impl Seen {
    /// Applies `id` (once) by the latest-`occurred_at` rule; true if it was new.
    fn apply(&mut self, id: EventId) -> bool {
        if self.acked_at.contains_key(&id) {
            return false;
        }
        self.acked_at.insert(id, Instant::now());
        let Some(event) = self.events.get(&id).cloned() else {
            return false;
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
        true
    }

    /// The kiosk's presence message as the portal would publish it.
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
            center_id: CenterId::new("chuo").unwrap(),
            families: families.into_values().collect(),
            updated_at: Timestamp::now(),
            seq: self.seq,
        }
    }
}

/// The test's stand-in for the portal: republishes the retained keys and configuration on
/// every connection, records events and statuses, and acknowledges events when `auto_ack` is
/// on.
struct FakePortal {
    link: LinkHandle,
    seen: Arc<Mutex<Seen>>,
    auto_ack: Arc<Mutex<bool>>,
}

impl FakePortal {
    fn start(url: &str) -> Result<Self> {
        let mut options = LinkOptions::new(url, "shimin-portal-test");
        options.credentials = Some(("portal".into(), PORTAL_PASSWORD.into()));
        options.reconnect_max = Duration::from_secs(1);
        let (link, mut events, _task) = mqtt::start(&options)?;
        let seen = Arc::new(Mutex::new(Seen::default()));
        let auto_ack = Arc::new(Mutex::new(true));
        let (seen2, auto2, link2) = (Arc::clone(&seen), Arc::clone(&auto_ack), link.clone());
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                match event {
                    LinkEvent::Connected { .. } => {
                        link2.subscribe(portal_filters()).await.unwrap();
                        let keys = encode(&key_set());
                        link2
                            .publish(Topic::Keys.to_string(), keys, true)
                            .await
                            .unwrap();
                        let config = encode(&kiosk_config());
                        let topic = Topic::KioskConfig(kiosk_id()).to_string();
                        link2.publish(topic, config, true).await.unwrap();
                    }
                    LinkEvent::Disconnected { .. } => {}
                    LinkEvent::Message { topic, payload } => {
                        let auto = *auto2.lock().unwrap();
                        if let Some(id) = handle(&seen2, &topic, &payload)
                            && auto
                        {
                            publish_applied(&link2, &seen2, vec![id]).await;
                        }
                    }
                }
            }
        });
        Ok(Self {
            link,
            seen,
            auto_ack,
        })
    }

    fn set_auto_ack(&self, on: bool) {
        *self.auto_ack.lock().unwrap() = on;
    }

    /// Applies and acknowledges every event received so far.
    async fn ack_all(&self) {
        let ids: Vec<EventId> = self.seen.lock().unwrap().events.keys().copied().collect();
        for chunk in ids.chunks(500) {
            publish_applied(&self.link, &self.seen, chunk.to_vec()).await;
        }
    }

    fn event_ids(&self) -> BTreeSet<EventId> {
        self.seen.lock().unwrap().events.keys().copied().collect()
    }

    /// Waits until the portal holds every event of `ids`.
    async fn wait_for_events(&self, ids: &BTreeSet<EventId>, timeout: Duration) -> Result<()> {
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.event_ids();
            if ids.is_subset(&got) {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "the portal has {} of {} events",
                    ids.intersection(&got).count(),
                    ids.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for a status of the kiosk matching `state` published after `after` statuses.
    async fn wait_for_status(&self, after: usize, state: KioskState) -> Result<KioskStatus> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let found = {
                let seen = self.seen.lock().unwrap();
                seen.statuses
                    .iter()
                    .skip(after)
                    .find(|s| s.state == state)
                    .cloned()
            };
            if let Some(status) = found {
                return Ok(status);
            }
            if Instant::now() > deadline {
                bail!("no {state:?} status from the kiosk");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn status_count(&self) -> usize {
        self.seen.lock().unwrap().statuses.len()
    }

    /// How many event deliveries the portal has seen (duplicates included).
    fn delivery_count(&self) -> usize {
        self.seen.lock().unwrap().deliveries.len()
    }
}

/// Applies `ids`, then publishes the kiosk's new presence, then the ack (PROTOCOL.md §7.7).
async fn publish_applied(link: &LinkHandle, seen: &Mutex<Seen>, ids: Vec<EventId>) {
    let presence = {
        let mut seen = seen.lock().unwrap();
        for id in &ids {
            seen.apply(*id);
        }
        seen.presence()
    };
    let topic = Topic::KioskPresence(kiosk_id()).to_string();
    link.publish(topic, encode(&presence), true).await.unwrap();
    let ack = Ack {
        accepted: ids,
        ..Ack::default()
    };
    let topic = Topic::KioskAcks(kiosk_id()).to_string();
    link.publish(topic, encode(&ack), false).await.unwrap();
}

/// The portal's handling of one message; returns the id of a kiosk event received.
fn handle(seen: &Mutex<Seen>, topic: &str, payload: &[u8]) -> Option<EventId> {
    let mut seen = seen.lock().unwrap();
    match Topic::parse(topic).ok()? {
        Topic::KioskEvents(kiosk) if kiosk == kiosk_id() => {
            let event: KioskEvent = decode(payload).expect("the kiosk sent a valid event");
            event
                .check_origin(&kiosk, &CenterId::new("chuo").unwrap())
                .expect("the event comes from its kiosk and center");
            seen.deliveries.push((event.event_id, Instant::now()));
            let id = event.event_id;
            seen.events.entry(id).or_insert(event);
            Some(id)
        }
        Topic::KioskEvents(_) => {
            seen.foreign += 1;
            None
        }
        Topic::KioskStatus(kiosk) if kiosk == kiosk_id() && !payload.is_empty() => {
            seen.statuses.push(decode(payload).expect("a valid status"));
            None
        }
        _ => None,
    }
}

/// A broker, the fake portal and a kiosk that has received its keys and configuration.
struct Setup {
    broker: Mosquitto,
    portal: FakePortal,
    kiosk: KioskProcess,
}

async fn setup() -> Result<Setup> {
    let broker = Mosquitto::start(
        PORTAL_PASSWORD,
        &[(KIOSK, KIOSK_PASSWORD), ("kita-1", "kita")],
    )
    .await?;
    let portal = FakePortal::start(&broker.url())?;
    let mut kiosk = KioskProcess::start(&broker.url(), KIOSK, KIOSK_PASSWORD).await?;
    wait_ready(&mut kiosk).await?;
    Ok(Setup {
        broker,
        portal,
        kiosk,
    })
}

/// Shows passes bound to another center until the kiosk answers "wrong_center": it then has
/// both the keys (the signature verified) and its configuration (it knows its center).
async fn wait_ready(kiosk: &mut KioskProcess) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = pass_with(
            &signer(),
            guardian(999),
            &[1],
            SignedDuration::ZERO,
            Some("kita"),
        );
        let answer = kiosk.scan(&text).await?;
        match answer["code"].as_str() {
            Some("wrong_center") => return Ok(()),
            Some("not_ready") if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            _ => bail!("kiosk not ready: {answer}"),
        }
    }
}

fn code(answer: &Value) -> &str {
    answer["code"].as_str().unwrap_or("")
}

fn answered_id(answer: &Value) -> EventId {
    answer["event_id"]
        .as_str()
        .expect("an event id")
        .parse()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_in_then_out_and_every_bad_pass_is_refused_with_its_reason() -> Result<()> {
    let Setup {
        broker,
        portal,
        mut kiosk,
    } = setup().await?;
    let mother = guardian(1);

    let first = pass(mother, &[1, 2]);
    let answer = kiosk.scan(&first).await?;
    assert_eq!(code(&answer), "checked_in", "{answer}");
    assert_eq!(answer["screen"], "accepted");
    assert_eq!(answer["children"], serde_json::json!([1, 2]));
    assert_eq!(
        (
            answer["families_in"].as_u64(),
            answer["children_in"].as_u64()
        ),
        (Some(1), Some(2))
    );
    assert!(
        answer["message_ja"]
            .as_str()
            .unwrap()
            .contains("チェックイン")
    );
    let checked_in = answered_id(&answer);

    // The phone still in front of the camera: the same answer, nothing new recorded.
    let again = kiosk.scan(&first).await?;
    assert_eq!(
        (code(&again), again["repeat"].as_bool()),
        ("checked_in", Some(true))
    );
    assert_eq!(answered_id(&again), checked_in);

    let answer = kiosk.scan(&pass(mother, &[1, 2])).await?;
    assert_eq!(
        (code(&answer), answer["children_in"].as_u64()),
        ("checked_out", Some(0))
    );
    let checked_out = answered_id(&answer);

    let forger = PassSigner::from_seed(KeyId::new("k1").unwrap(), &[8; 32]);
    let refusals = [
        (
            pass_with(&signer(), mother, &[1], SignedDuration::from_mins(10), None),
            "expired",
            "有効期限",
        ),
        (
            pass_with(&forger, mother, &[1], SignedDuration::ZERO, None),
            "bad_signature",
            "確認できません",
        ),
        (
            pass_with(&signer(), mother, &[1], SignedDuration::ZERO, Some("kita")),
            "wrong_center",
            "別のセンター",
        ),
        (
            "https://city.example.jp/".to_owned(),
            "not_a_pass",
            "入館コードではありません",
        ),
    ];
    for (text, want, words) in refusals {
        let answer = kiosk.scan(&text).await?;
        assert_eq!(
            (answer["screen"].as_str(), code(&answer)),
            (Some("refused"), want),
            "{answer}"
        );
        assert!(
            answer["message_ja"].as_str().unwrap().contains(words),
            "{answer}"
        );
        assert!(!answer["message_en"].as_str().unwrap().is_empty());
    }

    // The first pass shown again later: a screenshot, refused as reused.
    tokio::time::sleep(Duration::from_secs(11)).await;
    let answer = kiosk.scan(&first).await?;
    assert_eq!(code(&answer), "reused", "{answer}");
    assert!(
        answer["message_ja"]
            .as_str()
            .unwrap()
            .contains("すでに使われています")
    );

    // The portal got exactly the two events, in and out, and acknowledged them.
    let both: BTreeSet<EventId> = [checked_in, checked_out].into();
    portal
        .wait_for_events(&both, Duration::from_secs(20))
        .await?;
    assert_eq!(portal.event_ids(), both);

    // A kiosk's credentials cannot speak for another kiosk (the ACL).
    let mut rogue = LinkOptions::new(broker.url(), "shimin-kiosk-rogue");
    rogue.credentials = Some((KIOSK.into(), KIOSK_PASSWORD.into()));
    let (rogue, mut rogue_events, _task) = mqtt::start(&rogue)?;
    while !matches!(rogue_events.recv().await, Some(LinkEvent::Connected { .. })) {}
    let forged = encode(&portal.seen.lock().unwrap().events[&checked_in]);
    rogue
        .publish("shimin/v1/kiosks/kita-1/events", forged, false)
        .await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(portal.seen.lock().unwrap().foreign, 0);

    // SIGTERM: a clean stop that says "offline" itself.
    let before = portal.status_count();
    let status = kiosk.terminate(Duration::from_secs(10)).await?;
    assert!(status.success(), "{status}");
    portal.wait_for_status(before, KioskState::Offline).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_queue_while_the_broker_is_down_arrives_once_each() -> Result<()> {
    let Setup {
        mut broker,
        portal,
        mut kiosk,
    } = setup().await?;
    let mut answered = BTreeSet::new();
    for n in 0..10 {
        let answer = kiosk.scan(&pass(guardian(n), &[1])).await?;
        assert_eq!(code(&answer), "checked_in", "{answer}");
        answered.insert(answered_id(&answer));
    }
    // The broker dies mid-stream; the kiosk keeps answering from its own store.
    broker.kill9();
    for n in 10..210 {
        let answer = kiosk.scan(&pass(guardian(n), &[1, 2])).await?;
        assert_eq!(code(&answer), "checked_in", "{answer}");
        answered.insert(answered_id(&answer));
    }
    assert_eq!(answered.len(), 210);
    broker.restart().await?;
    portal
        .wait_for_events(&answered, Duration::from_secs(90))
        .await?;
    assert_eq!(
        portal.event_ids(),
        answered,
        "no event the kiosk did not answer"
    );

    // Once the acks are in, nothing is sent again. (An ack lost with the killed broker makes
    // one resend after the restart: at least once, and harmless. So let that settle first.)
    tokio::time::sleep(Duration::from_secs(3)).await;
    let settled = portal.delivery_count();
    tokio::time::sleep(Duration::from_secs(7)).await;
    assert_eq!(
        portal.delivery_count(),
        settled,
        "events resent after their ack"
    );
    // And a restarted kiosk has nothing left to send.
    kiosk.terminate(Duration::from_secs(10)).await?;
    let before = portal.status_count();
    kiosk.restart().await?;
    let status = portal.wait_for_status(before, KioskState::Online).await?;
    assert_eq!(status.pending_events, Some(0));
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_killed_with_sigkill_loses_and_doubles_nothing() -> Result<()> {
    let Setup {
        broker: _broker,
        portal,
        mut kiosk,
    } = setup().await?;
    portal.set_auto_ack(false);
    let mut answered = BTreeSet::new();
    let mut shown = Vec::new();
    for n in 0..5 {
        let text = pass(guardian(100 + n), &[1]);
        let answer = kiosk.scan(&text).await?;
        assert_eq!(code(&answer), "checked_in", "{answer}");
        answered.insert(answered_id(&answer));
        shown.push(text);
    }
    // One more shown, and the kiosk killed at once: it may or may not have recorded it, but
    // if it printed an answer, the event must arrive.
    kiosk.show(&pass(guardian(200), &[1]))?;
    kiosk.kill9();
    kiosk.restart().await?;
    if let Ok(answer) = kiosk.next_answer(Duration::from_millis(500)).await {
        answered.insert(answered_id(&answer));
    }
    // The used passes are remembered across the crash: a screenshot is still refused.
    tokio::time::sleep(Duration::from_secs(10)).await;
    let answer = kiosk.scan(&shown[0]).await?;
    assert_eq!(code(&answer), "reused", "{answer}");

    portal
        .wait_for_events(&answered, Duration::from_secs(30))
        .await?;
    portal.ack_all().await;
    portal.set_auto_ack(true);
    let sent = portal.event_ids();
    assert!(answered.is_subset(&sent));
    assert!(
        sent.len() <= answered.len() + 1,
        "only the last, unanswered scan may be extra"
    );

    // After the acks nothing is pending: a restarted kiosk says so.
    tokio::time::sleep(Duration::from_secs(1)).await;
    kiosk.kill9();
    let before = portal.status_count();
    kiosk.restart().await?;
    let status = portal.wait_for_status(before, KioskState::Online).await?;
    assert_eq!(status.pending_events, Some(0));
    Ok(())
}

//! The headless kiosk against a real Mosquitto (configured from `config/mosquitto.conf` with
//! the ACL of PROTOCOL.md §5). The test plays the portal over `shimin_sync::mqtt`: it publishes
//! the key set and the kiosk's configuration (retained; `shimin_e2e::fake_portal`), signs passes, shows them to the kiosk
//! as QR images in its frames folder, reads the kiosk's answers on its stdout, and receives and
//! acknowledges the events the kiosk publishes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    collections::BTreeSet,
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

use anyhow::{Result, bail};
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;
use shimin_e2e::{fake_portal::FakePortal, kiosk::KioskProcess, mosquitto::Mosquitto};
use shimin_sync::{
    ids::{CenterId, ChildNo, EventId, GuardianId, KeyId},
    messages::{KeySet, KioskConfig, KioskState, decode, encode},
    mqtt::{self, LinkEvent, LinkOptions},
    pass::{PassClaims, PassNonce, PassSigner, issue},
};

const KIOSK: &str = "chuo-1";
const KIOSK_PASSWORD: &str = "kiosk-secret-1";
const PORTAL_PASSWORD: &str = "portal-secret";

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
    let portal = FakePortal::start(&broker.url(), PORTAL_PASSWORD, key_set(), kiosk_config())?;
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
    let forged = encode(&portal.event(&checked_in).unwrap());
    rogue
        .publish("shimin/v1/kiosks/kita-1/events", forged, false)
        .await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(portal.foreign_events(), 0);

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

//! The kiosk's state over a real (file) store, on a fake clock: a scan is stored before it is
//! answered, acks settle it, a restart forgets nothing, and what the portal sends is kept only
//! when it is newer.

use jiff::SignedDuration;
use shimin_sync::{
    ids::{CenterId, GuardianId, KeyId},
    messages::{Ack, KeySet, KioskConfig, Presence, PresentFamily, decode, encode},
    pass::{PassClaims, PassNonce, PassSigner, issue},
};

use super::*;
use crate::{
    clock::{Clock as _, FakeClock},
    store::SqliteStore,
};

pub(super) fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

fn me() -> KioskId {
    KioskId::new("chuo-1").unwrap()
}

pub(super) fn guardian() -> GuardianId {
    "0190f3a2-7b1c-7d4e-8f00-1234567890ab".parse().unwrap()
}

fn signer() -> PassSigner {
    PassSigner::from_seed(KeyId::new("k1").unwrap(), &[1; 32])
}

fn keys(issued_at: &str) -> KeySet {
    let entry = signer().key_entry(ts("2026-01-01T00:00:00Z"), ts("2027-01-01T00:00:00Z"));
    KeySet::new(ts(issued_at), vec![entry])
}

fn config() -> KioskConfig {
    let json = r#"{"v":1,"kiosk_id":"chuo-1","center_id":"chuo",
        "center_name":"中央子育て支援センター","capacity":2,
        "opening_hours":[{"days":["mon","tue","wed","thu","fri"],"opens":"09:30","closes":"16:00"}],
        "updated_at":"2026-04-01T00:00:00Z"}"#;
    decode(json.as_bytes()).unwrap()
}

pub(super) fn pass(nonce: u8, children: &[u16], at: Timestamp) -> String {
    named_pass(nonce, children, &[], at)
}

/// A pass that carries the children's given names (none when `names` is empty).
pub(super) fn named_pass(nonce: u8, children: &[u16], names: &[&str], at: Timestamp) -> String {
    let children = children.iter().map(|c| child(*c)).collect();
    let claims = PassClaims::new(
        guardian(),
        children,
        at,
        SignedDuration::from_mins(5),
        PassNonce([nonce; 8]),
    )
    .and_then(|c| c.with_names(names))
    .unwrap();
    issue(&signer(), &claims).unwrap()
}

fn child(n: u16) -> shimin_sync::ids::ChildNo {
    shimin_sync::ids::ChildNo::new(n).unwrap()
}

pub(super) fn open(dir: &std::path::Path, now: Timestamp) -> Kiosk {
    Kiosk::open(me(), Box::new(SqliteStore::open(dir).unwrap()), now).unwrap()
}

fn topic(t: Topic) -> String {
    t.to_string()
}

/// A kiosk that has its keys and config (10:00 JST on a Wednesday).
pub(super) fn ready(dir: &std::path::Path, clock: &FakeClock) -> Kiosk {
    let mut kiosk = open(dir, clock.now());
    let got = kiosk.receive(
        &topic(Topic::Keys),
        encode(&keys("2026-03-01T00:00:00Z")).as_bytes(),
    );
    assert_eq!(got.unwrap(), Received::Keys);
    let got = kiosk.receive(
        &topic(Topic::KioskConfig(me())),
        encode(&config()).as_bytes(),
    );
    assert_eq!(got.unwrap(), Received::Config);
    kiosk
}

#[test]
fn check_in_then_out_is_sent_and_settled_by_the_ack() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::new(ts("2026-04-01T01:00:00Z"));
    let mut kiosk = ready(dir.path(), &clock);
    let answer = kiosk.scan(&pass(1, &[1, 2], clock.now()), clock.now());
    assert_eq!(
        (answer.code, answer.children_in, answer.families_in),
        ("checked_in", 2, 1)
    );
    assert_eq!(
        answer.level,
        shimin_sync::messages::CongestionLevel::SomewhatCrowded
    );
    clock.advance(SignedDuration::from_mins(30));
    let out = kiosk.scan(&pass(2, &[1, 2], clock.now()), clock.now());
    assert_eq!((out.code, out.children_in), ("checked_out", 0));

    let due = kiosk.due(clock.now(), 10);
    assert_eq!(due.len(), 2);
    let first: KioskEvent = decode(due[0].1.as_bytes()).unwrap();
    assert_eq!(
        (first.kind, first.center_id.as_str()),
        (shimin_sync::messages::EventKind::CheckIn, "chuo")
    );
    for (id, _) in &due {
        kiosk.mark_sent(id, clock.now(), 0.0);
    }
    assert!(kiosk.due(clock.now(), 10).is_empty());
    let ack = Ack {
        accepted: due.iter().map(|(id, _)| *id).collect(),
        ..Ack::default()
    };
    let topic_acks = topic(Topic::KioskAcks(me()));
    let settled = kiosk.receive(&topic_acks, encode(&ack).as_bytes()).unwrap();
    assert!(matches!(settled, Received::Settled(ids) if ids.len() == 2));
    assert_eq!(kiosk.pending_events(), 0);
    // The same ack again changes nothing.
    assert_eq!(
        kiosk.receive(&topic_acks, encode(&ack).as_bytes()).unwrap(),
        Received::Nothing
    );
    // And a restart finds nothing to resend.
    drop(kiosk);
    assert_eq!(open(dir.path(), clock.now()).pending_events(), 0);
}

#[test]
fn a_restart_keeps_the_outbox_the_keys_and_the_used_passes() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::new(ts("2026-04-01T01:00:00Z"));
    let text = pass(1, &[1], clock.now());
    {
        let mut kiosk = ready(dir.path(), &clock);
        assert_eq!(kiosk.scan(&text, clock.now()).code, "checked_in");
    }
    clock.advance(SignedDuration::from_secs(5));
    let mut kiosk = open(dir.path(), clock.now());
    assert_eq!(kiosk.pending_events(), 1);
    assert_eq!(kiosk.due(clock.now(), 10).len(), 1);
    let again = kiosk.scan(&text, clock.now());
    assert_eq!((again.code, again.repeat), ("checked_in", true));
    clock.advance(SignedDuration::from_secs(30));
    assert_eq!(kiosk.scan(&text, clock.now()).code, "reused");
    // Offline, with the stored keys: a new pass still checks the child out.
    let out = kiosk.scan(&pass(2, &[1], clock.now()), clock.now());
    assert_eq!(out.code, "checked_out");
    assert_eq!(kiosk.pending_events(), 2);
    // Once the pass has expired (plus skew) its record is forgotten, in the store too.
    clock.advance(SignedDuration::from_mins(10));
    kiosk.forget_expired(clock.now()).unwrap();
    drop(kiosk);
    let stored = SqliteStore::open(dir.path()).unwrap();
    assert!(
        crate::store::Store::load(&stored, clock.now())
            .unwrap()
            .uses
            .is_empty()
    );
}

#[test]
fn older_keys_and_presence_and_other_kiosks_messages_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::new(ts("2026-04-01T01:00:00Z"));
    let mut kiosk = ready(dir.path(), &clock);
    let older = keys("2026-02-01T00:00:00Z");
    assert_eq!(
        kiosk
            .receive(&topic(Topic::Keys), encode(&older).as_bytes())
            .unwrap(),
        Received::Nothing
    );
    // A newer set without the key revokes it.
    let revoked = KeySet::new(ts("2026-03-02T00:00:00Z"), Vec::new());
    assert_eq!(
        kiosk
            .receive(&topic(Topic::Keys), encode(&revoked).as_bytes())
            .unwrap(),
        Received::Keys
    );
    assert_eq!(
        kiosk.scan(&pass(1, &[1], clock.now()), clock.now()).code,
        "unknown_key"
    );

    let presence = |seq: u64, in_: bool| Presence {
        v: shimin_sync::messages::V1,
        center_id: CenterId::new("chuo").unwrap(),
        families: if in_ {
            vec![PresentFamily {
                guardian_id: guardian(),
                children: vec![child(1)],
                since: ts("2026-04-01T00:50:00Z"),
            }]
        } else {
            Vec::new()
        },
        updated_at: ts("2026-04-01T00:50:00Z"),
        seq,
    };
    let t = topic(Topic::KioskPresence(me()));
    assert_eq!(
        kiosk
            .receive(&t, encode(&presence(5, true)).as_bytes())
            .unwrap(),
        Received::Presence
    );
    assert_eq!(
        kiosk
            .receive(&t, encode(&presence(4, false)).as_bytes())
            .unwrap(),
        Received::Nothing
    );
    assert_eq!(kiosk.occupancy(clock.now()).children_in, 1);
    assert!(kiosk.receive(&t, b"").is_ok());

    let other = topic(Topic::KioskAcks(KioskId::new("kita-1").unwrap()));
    assert!(matches!(
        kiosk.receive(&other, b"{}"),
        Err(ReceiveError::NotForUs(_))
    ));
    assert!(matches!(
        kiosk.receive(&topic(Topic::KioskAcks(me())), b"{\"v\":2}"),
        Err(ReceiveError::Invalid { .. })
    ));
}

#[test]
fn an_ack_that_overtakes_the_presence_does_not_forget_a_check_in() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::new(ts("2026-04-01T01:00:00Z"));
    let mut kiosk = ready(dir.path(), &clock);
    let answer = kiosk.scan(&pass(1, &[1], clock.now()), clock.now());
    let id: EventId = answer.event_id.unwrap();
    let ack = Ack {
        accepted: vec![id],
        ..Ack::default()
    };
    let acks = topic(Topic::KioskAcks(me()));
    kiosk.receive(&acks, encode(&ack).as_bytes()).unwrap();
    assert_eq!(kiosk.pending_events(), 0);
    assert_eq!(kiosk.occupancy(clock.now()).children_in, 1);
    // The presence that includes it arrives; later another kiosk checks the child out.
    let presence = |seq: u64, families: Vec<PresentFamily>| Presence {
        v: shimin_sync::messages::V1,
        center_id: CenterId::new("chuo").unwrap(),
        families,
        updated_at: clock.now(),
        seq,
    };
    let inside = vec![PresentFamily {
        guardian_id: guardian(),
        children: vec![child(1)],
        since: clock.now(),
    }];
    let t = topic(Topic::KioskPresence(me()));
    kiosk
        .receive(&t, encode(&presence(1, inside)).as_bytes())
        .unwrap();
    assert_eq!(kiosk.occupancy(clock.now()).children_in, 1);
    kiosk
        .receive(&t, encode(&presence(2, Vec::new())).as_bytes())
        .unwrap();
    assert_eq!(kiosk.occupancy(clock.now()).children_in, 0);
}

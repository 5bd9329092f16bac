//! The store keeps what a restarted kiosk needs, and forgets what it may.

use super::*;
use crate::scan::tests::{config, event, kids, ts};
use shimin_sync::messages::EventKind;

fn used(event: &KioskEvent, forget_after: &str) -> NonceUse {
    NonceUse {
        nonce: PassNonce([7; 8]),
        event_id: event.event_id,
        used_at: event.occurred_at,
        forget_after: ts(forget_after),
    }
}

#[test]
fn a_scan_survives_reopening_and_settles_once() {
    let dir = tempfile::tempdir().unwrap();
    let first = event(EventKind::CheckIn, &[1, 2], "2026-04-01T01:00:00Z");
    let second = event(EventKind::CheckOut, &[1], "2026-04-01T01:10:00Z");
    {
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let answer = UsedAnswer {
            kind: EventKind::CheckIn,
            children: kids(&[1, 2]),
        };
        store
            .record_scan(&first, &used(&first, "2026-04-01T01:06:00Z"), &answer, &[])
            .unwrap();
        let mut other = used(&second, "2026-04-01T01:16:00Z");
        other.nonce = PassNonce([8; 8]);
        store.record_scan(&second, &other, &answer, &[]).unwrap();
        store.save_config(&config()).unwrap();
    }
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let now = ts("2026-04-01T02:00:00Z");
    let stored = store.load(now).unwrap();
    let ids: Vec<EventId> = stored.outbox.iter().map(|(e, _)| e.event_id).collect();
    assert_eq!(ids, [first.event_id, second.event_id]);
    assert_eq!(stored.outbox[0].1, first);
    assert!(stored.outbox.iter().all(|(e, _)| e.next_due == now));
    assert_eq!(stored.uses.len(), 2);
    assert_eq!(stored.uses[0].1.children, kids(&[1, 2]));
    assert_eq!(stored.config, Some(config()));
    assert!(stored.keys.is_none());

    assert_eq!(store.settle(&[first.event_id]).unwrap(), 1);
    assert_eq!(store.settle(&[first.event_id]).unwrap(), 0);
    assert_eq!(store.load(now).unwrap().outbox.len(), 1);
    assert_eq!(store.forget_uses(ts("2026-04-01T01:10:00Z")).unwrap(), 1);
    assert_eq!(store.load(now).unwrap().uses.len(), 1);
}

#[test]
fn the_same_nonce_is_stored_once_and_the_event_id_once() {
    let mut store = SqliteStore::in_memory().unwrap();
    let e = event(EventKind::CheckIn, &[1], "2026-04-01T01:00:00Z");
    let answer = UsedAnswer {
        kind: EventKind::CheckIn,
        children: kids(&[1]),
    };
    store
        .record_scan(&e, &used(&e, "2026-04-01T01:06:00Z"), &answer, &[])
        .unwrap();
    // The same event again fails as a whole: nothing half-written.
    assert!(
        store
            .record_scan(&e, &used(&e, "2026-04-01T01:06:00Z"), &answer, &[])
            .is_err()
    );
    let stored = store.load(ts("2026-04-01T01:00:01Z")).unwrap();
    assert_eq!((stored.outbox.len(), stored.uses.len()), (1, 1));
    assert_eq!(
        stored.visits.len(),
        1,
        "a failed record leaves no visit either"
    );
}

#[test]
fn visits_keep_their_names_for_two_days_then_go() {
    let dir = tempfile::tempdir().unwrap();
    let scanned = event(EventKind::CheckIn, &[1, 2], "2026-04-01T01:00:00Z");
    let mut by_hand = event(EventKind::CheckOut, &[2], "2026-04-02T03:00:00Z");
    by_hand.manual = true;
    by_hand.pass_nonce = None;
    {
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let answer = UsedAnswer {
            kind: EventKind::CheckIn,
            children: kids(&[1, 2]),
        };
        let names = ["はると".to_owned(), "ゆい".to_owned()];
        store
            .record_scan(
                &scanned,
                &used(&scanned, "2026-04-01T01:06:00Z"),
                &answer,
                &names,
            )
            .unwrap();
        store.record_manual(&by_hand, &["ゆい".to_owned()]).unwrap();
    }
    let mut store = SqliteStore::open(dir.path()).unwrap();
    let visits = store.load(ts("2026-04-02T04:00:00Z")).unwrap().visits;
    assert_eq!(visits.len(), 2);
    assert_eq!(visits[0].names, ["はると", "ゆい"]);
    assert!(!visits[0].manual);
    assert_eq!(
        (visits[1].names.as_slice(), visits[1].manual),
        (&["ゆい".to_owned()][..], true)
    );
    // 48 hours after the scan it is forgotten; the later one stays.
    store.forget_uses(ts("2026-04-03T01:00:01Z")).unwrap();
    let visits = store.load(ts("2026-04-03T01:00:01Z")).unwrap().visits;
    assert_eq!(visits.len(), 1);
    assert_eq!(visits[0].event_id, by_hand.event_id);
}

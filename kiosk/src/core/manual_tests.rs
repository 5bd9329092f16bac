//! Staff's by-hand events over a real store: who is in, a manual check-out with its note that
//! is stored, sent and kept across a restart, and a refusal before the kiosk is configured.

use jiff::SignedDuration;
use shimin_sync::messages::{EventKind, KioskEvent, decode};

use super::tests::{guardian, named_pass, open, pass, ready, ts};
use crate::{
    answer::Refusal,
    clock::{Clock as _, FakeClock},
};

#[test]
fn staff_check_a_family_out_by_hand_and_it_is_kept_and_sent() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::new(ts("2026-04-01T01:00:00Z"));
    let mut kiosk = ready(dir.path(), &clock);
    let answer = kiosk.scan(&pass(1, &[1, 2], clock.now()), clock.now());
    assert_eq!(answer.code, "checked_in");
    assert_eq!(answer.guardian, Some(guardian()));
    let present = kiosk.present(clock.now());
    assert_eq!(present.len(), 1);
    assert_eq!(present[0].1.len(), 2);
    clock.advance(SignedDuration::from_mins(20));
    let children = present[0].1.clone();
    let out = kiosk.manual(
        EventKind::CheckOut,
        guardian(),
        children,
        " 職員による退室 ",
        clock.now(),
    );
    assert_eq!((out.code, out.children_in), ("checked_out", 0));
    assert!(kiosk.present(clock.now()).is_empty());
    let snapshot = kiosk.snapshot(true, clock.now());
    assert_eq!(snapshot.pending, 2);
    assert_eq!(
        snapshot.center_name.as_deref(),
        Some("中央子育て支援センター")
    );
    // Stored: a restart still has it to send, as a manual event with the note and no pass.
    drop(kiosk);
    let kiosk = open(dir.path(), clock.now());
    let due = kiosk.due(clock.now(), 10);
    assert_eq!(due.len(), 2);
    let manual: KioskEvent = decode(due[1].1.as_bytes()).unwrap();
    assert!(manual.manual);
    assert_eq!(manual.pass_nonce, None);
    assert_eq!(manual.staff_note.as_deref(), Some("職員による退室"));
    assert_eq!(manual.kind, EventKind::CheckOut);
}

#[test]
fn nothing_is_entered_by_hand_before_the_center_is_known() {
    let dir = tempfile::tempdir().unwrap();
    let now = ts("2026-04-01T01:00:00Z");
    let mut kiosk = open(dir.path(), now);
    let child = shimin_sync::ids::ChildNo::new(1).unwrap();
    let answer = kiosk.manual(EventKind::CheckIn, guardian(), vec![child], "", now);
    assert_eq!(answer.code, Refusal::NotReady.code());
    assert_eq!(kiosk.pending_events(), 0);
}

#[test]
fn names_on_the_pass_greet_the_children_and_name_them_on_the_staff_screen() {
    let dir = tempfile::tempdir().unwrap();
    let clock = FakeClock::new(ts("2026-04-01T01:00:00Z"));
    let mut kiosk = ready(dir.path(), &clock);
    let text = named_pass(1, &[1, 2], &["はると", "ゆい"], clock.now());
    let answer = kiosk.scan(&text, clock.now());
    assert_eq!(answer.names, ["はると", "ゆい"]);
    assert!(
        answer
            .to_json_line()
            .contains("\"names\":[\"はると\",\"ゆい\"]")
    );
    // Held up again: the repeat greets them by name too.
    clock.advance(SignedDuration::from_secs(2));
    let again = kiosk.scan(&text, clock.now());
    assert!(again.repeat);
    assert_eq!(again.names, ["はると", "ゆい"]);
    // Staff check one child out by hand: the record keeps the name.
    clock.advance(SignedDuration::from_mins(30));
    let child = shimin_sync::ids::ChildNo::new(2).unwrap();
    let out = kiosk.manual(
        EventKind::CheckOut,
        guardian(),
        vec![child],
        "",
        clock.now(),
    );
    assert_eq!(out.names, ["ゆい"]);
    // After a restart the staff screen still names who is in, and lists the day.
    drop(kiosk);
    let kiosk = open(dir.path(), clock.now());
    let snapshot = kiosk.snapshot(false, clock.now());
    assert_eq!(snapshot.present.len(), 1);
    assert_eq!(snapshot.present[0].names, ["はると"]);
    assert_eq!(snapshot.today_check_ins, 1);
    let listed: Vec<(EventKind, bool)> =
        snapshot.today.iter().map(|v| (v.kind, v.manual)).collect();
    assert_eq!(
        listed,
        [(EventKind::CheckOut, true), (EventKind::CheckIn, false)],
        "newest first, the by-hand one marked"
    );
    // A pass without names: nobody is named, nothing breaks.
    let mut kiosk = kiosk;
    let plain = kiosk.scan(&pass(2, &[3], clock.now()), clock.now());
    assert_eq!(plain.code, "checked_in");
    assert!(plain.names.is_empty());
}

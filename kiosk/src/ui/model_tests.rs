use jiff::{SignedDuration, Timestamp};
use shimin_sync::{
    ids::{ChildNo, EventId, GuardianId},
    messages::{CongestionLevel, EventKind},
};

use super::*;
use crate::{
    answer::{Answer, LocalOccupancy, Refusal},
    snapshot::{Command, FamilyRow, Snapshot},
};

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_second(1_800_000_000 + seconds).unwrap()
}

fn occupancy() -> LocalOccupancy {
    LocalOccupancy {
        families_in: 1,
        children_in: 2,
        level: CongestionLevel::Vacant,
    }
}

pub(super) fn accepted(kind: EventKind, guardian: GuardianId, now: Timestamp) -> Answer {
    let children = vec![ChildNo::new(1).unwrap(), ChildNo::new(2).unwrap()];
    let mut answer = Answer::accepted(kind, children, EventId::new_v7(now), occupancy());
    answer.guardian = Some(guardian);
    answer
}

fn guardian() -> GuardianId {
    GuardianId(uuid::Uuid::from_u128(7))
}

#[test]
fn answers_stay_for_their_time_refusals_longer() {
    let mut model = Model::new(None, at(0));
    model.answered(accepted(EventKind::CheckIn, guardian(), at(0)), at(0));
    model.tick(at(3));
    assert!(model.answer.is_some());
    model.tick(at(4));
    assert!(model.answer.is_none(), "gone after {ACCEPTED_FOR:?}");
    model.answered(Answer::refused(Refusal::Expired, occupancy()), at(10));
    model.tick(at(15));
    assert!(model.answer.is_some());
    model.tick(at(17));
    assert!(model.answer.is_none());
    // Only new records are kept for corrections.
    assert_eq!(model.recent.len(), 1);
}

#[test]
fn the_pin_opens_staff_screens_and_wrong_ones_lock_the_pad() {
    let mut model = Model::new(Some("2468".into()), at(0));
    model.open_staff(at(0));
    for d in "1111".chars() {
        model.pin_key(Some(d), at(1));
    }
    model.pin_submit(at(1));
    assert!(
        matches!(&model.screen, Screen::Pin { failures: 1, entered, .. } if entered.is_empty())
    );
    for _ in 1..MAX_PIN_FAILURES {
        model.pin_key(Some('9'), at(2));
        model.pin_submit(at(2));
    }
    let Screen::Pin { locked_until, .. } = &model.screen else {
        panic!("not on the pad: {:?}", model.screen)
    };
    assert_eq!(*locked_until, Some(at(2) + PIN_LOCK));
    // Locked: even the right PIN is not taken.
    for d in "2468".chars() {
        model.pin_key(Some(d), at(30));
    }
    model.pin_submit(at(30));
    assert!(matches!(model.screen, Screen::Pin { .. }));
    // After the lock, ← and the right PIN.
    for d in "24689".chars() {
        model.pin_key(Some(d), at(70));
    }
    model.pin_key(None, at(70));
    model.pin_submit(at(70));
    assert_eq!(model.screen, Screen::Staff);
    // Untouched for two minutes, it closes by itself.
    model.tick(at(70) + STAFF_IDLE);
    assert_eq!(model.screen, Screen::Center);
}

#[test]
fn without_a_pin_there_are_no_staff_screens() {
    let mut model = Model::new(Some(String::new()), at(0));
    assert!(!model.has_staff());
    model.open_staff(at(0));
    assert_eq!(model.screen, Screen::Center);
}

#[test]
fn staff_check_out_by_hand_and_undo_a_record() {
    let mut model = Model::new(Some("1".into()), at(0));
    let family = FamilyRow {
        guardian: guardian(),
        children: vec![ChildNo::new(3).unwrap()],
        at: at(-600),
        names: Vec::new(),
    };
    model.updated(Snapshot {
        online: false,
        pending: 2,
        center_name: Some("西条子育て支援センター".into()),
        capacity: 12,
        occupancy: occupancy(),
        present: vec![family.clone()],
        left: vec![family],
        today: Vec::new(),
        today_check_ins: 0,
    });
    model.answered(accepted(EventKind::CheckIn, guardian(), at(0)), at(0));
    // Not on the staff screen: nothing happens.
    assert_eq!(model.check_out(0, at(1)), None);
    model.open_staff(at(1));
    model.pin_key(Some('1'), at(1));
    model.pin_submit(at(1));
    let Some(Command::Manual { kind, children, .. }) = model.check_out(0, at(2)) else {
        panic!("no command");
    };
    assert_eq!(kind, EventKind::CheckOut);
    assert_eq!(children, vec![ChildNo::new(3).unwrap()]);
    assert_eq!(model.check_out(5, at(2)), None, "no such family");
    let Some(Command::Manual { kind, note, .. }) = model.check_in(0, at(2)) else {
        panic!("no check-in by hand");
    };
    assert_eq!(
        (kind, note.as_str()),
        (EventKind::CheckIn, "職員による入室")
    );
    assert_eq!(model.check_in(1, at(2)), None, "no such family");
    let Some(Command::Manual { kind, note, .. }) = model.undo(0, at(3)) else {
        panic!("no undo");
    };
    assert_eq!(
        kind,
        EventKind::CheckOut,
        "a check-in is undone by a check-out"
    );
    assert!(note.contains("取り消し"));
    assert!(model.recent.is_empty());
    model.tick(at(3) + SignedDuration::from_secs(1));
    assert_eq!(model.screen, Screen::Staff);
}

#[test]
fn the_language_switches_back_and_forth() {
    let mut model = Model::new(None, at(0));
    model.toggle_lang();
    assert_eq!(model.lang, Lang::En);
    model.toggle_lang();
    assert_eq!(model.lang, Lang::Ja);
}

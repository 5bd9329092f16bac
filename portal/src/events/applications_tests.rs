use jiff::{Timestamp, civil::DateTime};

use super::fixtures::portal_event;
use super::*;
use crate::i18n::Lang;

fn at(civil: &str) -> Timestamp {
    tokyo_instant(civil.parse::<DateTime>().unwrap())
}

#[test]
fn applications_are_taken_only_while_the_window_is_open_in_tokyo() {
    let event = portal_event(Some(2));
    let mut roster = Roster::default();
    // 08:59 in Tokyo is still the day before in UTC; the window is Tokyo's.
    assert_eq!(
        roster.apply(&event, 1, at("2026-12-01T08:59")),
        Err(ApplyError::NotOpenYet)
    );
    assert_eq!(
        roster.apply(&event, 1, at("2026-12-01T09:00")),
        Ok(Placement::Confirmed)
    );
    assert_eq!(
        roster.apply(&event, 2, at("2026-12-04T17:00")),
        Err(ApplyError::Closed)
    );
    assert_eq!(
        roster.apply(&event, 2, at("2026-12-05T10:00")),
        Err(ApplyError::Started)
    );
    assert_eq!(roster.confirmed, [1]);
}

#[test]
fn without_a_window_applications_run_until_the_start() {
    let mut event = portal_event(None);
    event.application = Application::Portal {
        opens: None,
        closes: None,
    };
    assert_eq!(check_open(&event, at("2026-12-05T09:59")), Ok(()));
    assert_eq!(
        check_open(&event, at("2026-12-05T10:00")),
        Err(ApplyError::Started)
    );
    event.application = Application::Other {
        how: "電話で".into(),
    };
    assert_eq!(
        check_open(&event, at("2026-12-02T10:00")),
        Err(ApplyError::NotThroughPortal)
    );
    event.application = Application::None;
    assert_eq!(
        check_open(&event, at("2026-12-02T10:00")),
        Err(ApplyError::NotThroughPortal)
    );
}

#[test]
fn a_full_event_puts_families_on_the_waiting_list_once_each() {
    let event = portal_event(Some(1));
    let now = at("2026-12-02T12:00");
    let mut roster = Roster::default();
    assert_eq!(roster.apply(&event, "山田", now), Ok(Placement::Confirmed));
    assert_eq!(
        roster.apply(&event, "佐藤", now),
        Ok(Placement::Waitlisted { position: 1 })
    );
    assert_eq!(
        roster.apply(&event, "鈴木", now),
        Ok(Placement::Waitlisted { position: 2 })
    );
    assert_eq!(
        roster.apply(&event, "佐藤", now),
        Err(ApplyError::AlreadyApplied)
    );
    assert_eq!(
        roster.apply(&event, "山田", now),
        Err(ApplyError::AlreadyApplied)
    );
    assert_eq!(roster.waiting, ["佐藤", "鈴木"]);
}

#[test]
fn a_cancelled_place_goes_to_the_first_waiting() {
    let mut roster = Roster {
        confirmed: vec![1, 2],
        waiting: vec![3, 4],
    };
    assert_eq!(
        roster.cancel(&4, Some(2)),
        Some(Cancelled { promoted: vec![] })
    );
    assert_eq!(
        roster.cancel(&1, Some(2)),
        Some(Cancelled { promoted: vec![&3] })
    );
    assert_eq!(
        roster,
        Roster {
            confirmed: vec![2, 3],
            waiting: vec![]
        }
    );
    assert_eq!(roster.cancel(&9, Some(2)), None);
}

#[test]
fn raising_the_capacity_confirms_the_waiting_in_order() {
    let mut roster = Roster {
        confirmed: vec![1],
        waiting: vec![2, 3, 4],
    };
    assert_eq!(roster.fill(Some(3)), 2);
    assert_eq!(
        roster,
        Roster {
            confirmed: vec![1, 2, 3],
            waiting: vec![4]
        }
    );
    assert_eq!(roster.fill(None), 1);
    assert!(roster.waiting.is_empty());
    assert_eq!(placement(3, 0, None), Placement::Confirmed);
    assert_eq!(
        placement(3, 4, Some(3)),
        Placement::Waitlisted { position: 5 }
    );
}

#[test]
fn refusals_speak_japanese_and_english() {
    assert_eq!(ApplyError::Closed.to_string(), "申込の受付は締め切りました");
    assert_eq!(
        ApplyError::AlreadyApplied.message(Lang::En),
        "you have applied for this event already"
    );
    assert_eq!(ApplyError::Started.code(), "event_apply_started");
}

use jiff::civil::date;

use super::*;
use crate::i18n::Lang;

fn draft() -> EventDraft {
    EventDraft {
        title: " ベビーマッサージ教室 ".into(),
        description: "バスタオルをお持ちください".into(),
        place: "西条子育て支援センター".into(),
        start_date: "2026-12-05".into(),
        start_time: "10:00".into(),
        end_time: "11:30".into(),
        age_from_months: "2".into(),
        age_to_months: "6".into(),
        capacity: "10".into(),
        application: "portal".into(),
        opens: "2026-12-01T09:00".into(),
        closes: "2026/12/04 17:00".into(),
        ..EventDraft::default()
    }
}

fn codes(draft: &EventDraft) -> Vec<(&'static str, &'static str)> {
    check_event(EventId("1".into()), draft)
        .unwrap_err()
        .iter()
        .map(|error| (error.field(), error.code()))
        .collect()
}

#[test]
fn a_complete_form_becomes_the_event_staff_meant() {
    let event = check_event(EventId("e1".into()), &draft()).unwrap();
    assert_eq!(event.title, "ベビーマッサージ教室");
    assert_eq!(
        event.time,
        EventTime::Timed {
            start: date(2026, 12, 5).at(10, 0, 0, 0),
            end: Some(date(2026, 12, 5).at(11, 30, 0, 0)),
        }
    );
    assert_eq!(event.ages.months, Some(MonthRange { from: 2, to: 6 }));
    assert_eq!(event.capacity, Some(10));
    assert_eq!(
        event.application,
        Application::Portal {
            opens: Some(date(2026, 12, 1).at(9, 0, 0, 0)),
            closes: Some(date(2026, 12, 4).at(17, 0, 0, 0)),
        }
    );
}

#[test]
fn an_all_day_event_lasts_from_its_first_date_to_its_last() {
    let mut form = draft();
    form.all_day = true;
    form.start_time = "bad".into();
    form.end_date = "2026-12-20".into();
    form.closes.clear();
    let event = check_event(EventId("e".into()), &form).unwrap();
    assert_eq!(
        event.time,
        EventTime::AllDay {
            first: date(2026, 12, 5),
            last: date(2026, 12, 20)
        }
    );
}

#[test]
fn every_problem_is_reported_beside_its_field_at_once() {
    let form = EventDraft {
        title: "あ".repeat(MAX_TITLE_CHARS + 1),
        start_date: "2026-12-05".into(),
        start_time: "10:00".into(),
        end_time: "09:00".into(),
        capacity: "0".into(),
        age_from_months: "12".into(),
        age_to_months: "6".into(),
        application: "other".into(),
        url: "javascript:alert(1)".into(),
        ..EventDraft::default()
    };
    assert_eq!(
        codes(&form),
        [
            ("title", "event_title_too_long"),
            ("place", "event_place_missing"),
            ("end_time", "event_end_before_start"),
            ("age_to_months", "event_ages_reversed"),
            ("capacity", "event_bad_capacity"),
            ("how", "event_how_missing"),
            ("url", "event_bad_url"),
        ]
    );
}

#[test]
fn dates_times_and_ages_that_cannot_be_read_are_named() {
    let mut form = draft();
    form.start_date = "12月5日".into();
    form.age_to_months.clear();
    assert_eq!(
        codes(&form),
        [
            ("start_date", "event_malformed"),
            ("age_to_months", "event_half_age_range")
        ]
    );
    let mut form = draft();
    form.start_time.clear();
    form.age_from_months = "300".into();
    assert_eq!(
        codes(&form),
        [
            ("start_time", "event_start_time_missing"),
            ("age_from_months", "event_bad_age")
        ]
    );
}

#[test]
fn the_application_window_closes_after_it_opens_and_before_the_start() {
    let mut form = draft();
    form.closes = "2026-12-05T10:30".into();
    assert_eq!(codes(&form), [("closes", "event_closes_after_start")]);
    form.closes = "2026-11-30T10:30".into();
    assert_eq!(codes(&form), [("closes", "event_window_reversed")]);
    form.application = "maybe".into();
    assert_eq!(codes(&form), [("application", "event_bad_application")]);
}

#[test]
fn messages_speak_japanese_and_english() {
    let error = EventDraftError::TitleTooLong;
    assert_eq!(error.to_string(), "タイトルは100文字以内にしてください");
    assert_eq!(
        error.message(Lang::En),
        "the title is too long (at most 100 characters)"
    );
    assert!(
        EventDraftError::Malformed("opens")
            .message(Lang::Ja)
            .contains("2026-12-05")
    );
}

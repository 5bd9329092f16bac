use jiff::{Timestamp, civil::date};

use super::fixtures::{event, portal_event};
use super::*;

#[test]
fn a_month_is_weeks_from_monday_with_each_event_on_its_days() {
    let mut fair = event("f", "子育てフェア", date(2026, 11, 28));
    fair.time = EventTime::AllDay {
        first: date(2026, 11, 28),
        last: date(2026, 12, 2),
    };
    let events = vec![
        event("b", "おはなし会", date(2026, 12, 2)),
        fair,
        event("a", "リズム遊び", date(2026, 12, 31)),
        event("z", "来年", date(2027, 1, 1)),
    ];
    let month = MonthView::new(date(2026, 12, 15), &events);
    assert_eq!(month.first, date(2026, 12, 1));
    // 1 December 2026 is a Tuesday; the 31st a Thursday.
    assert_eq!(month.weeks.len(), 5);
    assert!(month.weeks[0][0].is_none());
    assert_eq!(month.weeks[0][1].as_ref().unwrap().date, date(2026, 12, 1));
    assert_eq!(month.weeks[4][3].as_ref().unwrap().date, date(2026, 12, 31));
    assert!(month.weeks[4][4].is_none());
    let titles = |day| -> Vec<&str> {
        month
            .day(day)
            .unwrap()
            .events
            .iter()
            .map(|e| e.title.as_str())
            .collect()
    };
    // The all-day fair comes before the timed talk.
    assert_eq!(titles(date(2026, 12, 2)), ["子育てフェア", "おはなし会"]);
    assert_eq!(titles(date(2026, 12, 3)), Vec::<&str>::new());
    assert_eq!(titles(date(2026, 12, 31)), ["リズム遊び"]);
    assert!(month.day(date(2027, 1, 1)).is_none());
}

#[test]
fn the_list_shows_what_is_not_over_by_day_then_time() {
    let mut late = event("c", "午後の部", date(2026, 12, 5));
    late.time = EventTime::Timed {
        start: date(2026, 12, 5).at(14, 0, 0, 0),
        end: None,
    };
    let events = vec![
        late,
        event("b", "午前の部", date(2026, 12, 5)),
        event("a", "終わった会", date(2026, 11, 20)),
        event("d", "今日の会", date(2026, 11, 25)),
    ];
    let titles: Vec<&str> = upcoming(&events, date(2026, 11, 25))
        .iter()
        .map(|e| e.title.as_str())
        .collect();
    assert_eq!(titles, ["今日の会", "午前の部", "午後の部"]);
}

#[test]
fn the_list_can_keep_the_events_for_a_familys_children() {
    let mut babies = event("b", "赤ちゃん広場", date(2026, 12, 5));
    babies.ages.months = Some(MonthRange { from: 0, to: 11 });
    let mut toddlers = event("t", "親子体操", date(2026, 12, 5));
    toddlers.ages.months = Some(MonthRange { from: 12, to: 47 });
    let everyone = event("e", "子育て講演会", date(2026, 12, 6));
    let events = vec![babies, toddlers, everyone];
    let today = date(2026, 11, 25);
    let list = upcoming(&events, today);
    let kept = for_family(list, &[date(2025, 3, 3)], None, today);
    let titles: Vec<&str> = kept.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["親子体操", "子育て講演会"]);
}

#[test]
fn the_feed_has_each_event_in_utc_with_its_place_and_page() {
    let mut talk = portal_event(Some(10));
    talk.description = "持ち物: バスタオル, 飲み物; 動きやすい服装で".into();
    let mut fair = event("fair", "子育てフェア", date(2026, 11, 28));
    fair.time = EventTime::AllDay {
        first: date(2026, 11, 28),
        last: date(2026, 11, 29),
    };
    fair.place = "東広島芸術文化ホールくらら 展示室(西条栄町7番19号)".repeat(2);
    let text = ics::calendar(
        "子育てイベント",
        &[&talk, &fair],
        "portal.example.jp",
        |event| {
            format!(
                "https://portal.example.jp/kosodate/events/{}",
                event.event_id
            )
        },
        Timestamp::UNIX_EPOCH,
    );
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
    // 10:00 to 11:30 in Tokyo is 01:00 to 02:30 UTC.
    assert!(text.contains("UID:event-massage@portal.example.jp\r\n"));
    assert!(text.contains("DTSTART:20261205T010000Z\r\nDTEND:20261205T023000Z\r\n"));
    assert!(text.contains("DTSTART;VALUE=DATE:20261128\r\nDTEND;VALUE=DATE:20261130\r\n"));
    assert!(text.contains("URL:https://portal.example.jp/kosodate/events/fair\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{line}");
    }
    let unfolded = text.replace("\r\n ", "");
    assert!(unfolded.contains("持ち物: バスタオル\\, 飲み物\\; 動きやすい服装で"));
    assert!(unfolded.contains("対象: どなたでも\\n定員: 10\\n申込: 必要(市民ポータルサイトから)"));
    assert!(unfolded.contains(&format!("LOCATION:{}", fair.place)));
}

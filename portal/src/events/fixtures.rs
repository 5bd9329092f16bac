//! Events for the tests.

use jiff::civil::{Date, date};

use super::{Application, Event, EventId, EventTime, MonthRange, TargetAges};

/// A timed event on `day` from 10:00 to 11:30, for everyone, with no application.
pub fn event(id: &str, title: &str, day: Date) -> Event {
    Event {
        event_id: EventId(id.into()),
        title: title.into(),
        description: String::new(),
        place: "子育て支援センター".into(),
        time: EventTime::Timed {
            start: day.at(10, 0, 0, 0),
            end: Some(day.at(11, 30, 0, 0)),
        },
        ages: TargetAges::default(),
        capacity: None,
        application: Application::None,
        url: None,
    }
}

/// An event for children of `from` to `to` months.
pub fn for_ages(day: Date, from: u32, to: u32) -> Event {
    let mut event = event("ages", "ふれあい遊び", day);
    event.ages.months = Some(MonthRange { from, to });
    event
}

/// ベビーマッサージ on 2026-12-05 at 10:00, applied for on the portal from 12-01 09:00 to
/// 12-04 17:00, for `capacity`.
pub fn portal_event(capacity: Option<u32>) -> Event {
    let mut event = event("massage", "ベビーマッサージ", date(2026, 12, 5));
    event.capacity = capacity;
    event.application = Application::Portal {
        opens: Some(date(2026, 12, 1).at(9, 0, 0, 0)),
        closes: Some(date(2026, 12, 4).at(17, 0, 0, 0)),
    };
    event
}

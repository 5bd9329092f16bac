//! An event in words: its time as a poster writes it, and back into the form staff edit.

use jiff::civil::{Date, DateTime, Weekday};

use crate::events::{Application, Event, EventDraft, EventTime};

fn weekday_ja(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "月",
        Weekday::Tuesday => "火",
        Weekday::Wednesday => "水",
        Weekday::Thursday => "木",
        Weekday::Friday => "金",
        Weekday::Saturday => "土",
        Weekday::Sunday => "日",
    }
}

/// "12月5日(土)".
pub fn day_ja(date: Date) -> String {
    format!(
        "{}月{}日({})",
        date.month(),
        date.day(),
        weekday_ja(date.weekday())
    )
}

fn clock(at: DateTime) -> String {
    at.strftime("%-H:%M").to_string()
}

/// When an event is, as a poster says it: "2026年12月5日(土) 10:00〜11:30",
/// "12月5日(土)〜12月7日(月) 終日".
pub fn when_ja(time: &EventTime) -> String {
    match *time {
        EventTime::AllDay { first, last } if first == last => {
            format!("{}年{} 終日", first.year(), day_ja(first))
        }
        EventTime::AllDay { first, last } => {
            format!("{}年{}〜{}", first.year(), day_ja(first), day_ja(last))
        }
        EventTime::Timed { start, end } => {
            let from = format!(
                "{}年{} {}",
                start.year(),
                day_ja(start.date()),
                clock(start)
            );
            match end {
                None => format!("{from}〜"),
                Some(end) if end.date() == start.date() => format!("{from}〜{}", clock(end)),
                Some(end) => format!("{from}〜{} {}", day_ja(end.date()), clock(end)),
            }
        }
    }
}

fn moment(at: Option<DateTime>) -> String {
    at.map(|at| at.strftime("%Y-%m-%dT%H:%M").to_string())
        .unwrap_or_default()
}

/// The form of a published event, for staff to edit.
pub fn draft_of(event: &Event) -> EventDraft {
    let mut draft = EventDraft {
        title: event.title.clone(),
        description: event.description.clone(),
        place: event.place.clone(),
        pregnant: event.ages.pregnant,
        url: event.url.clone().unwrap_or_default(),
        capacity: event.capacity.map(|c| c.to_string()).unwrap_or_default(),
        ..EventDraft::default()
    };
    match event.time {
        EventTime::AllDay { first, last } => {
            draft.all_day = true;
            draft.start_date = first.to_string();
            if last != first {
                draft.end_date = last.to_string();
            }
        }
        EventTime::Timed { start, end } => {
            draft.start_date = start.date().to_string();
            draft.start_time = start.strftime("%H:%M").to_string();
            if let Some(end) = end {
                if end.date() != start.date() {
                    draft.end_date = end.date().to_string();
                }
                draft.end_time = end.strftime("%H:%M").to_string();
            }
        }
    }
    if let Some(range) = event.ages.months {
        draft.age_from_months = range.from.to_string();
        draft.age_to_months = range.to.to_string();
    }
    match &event.application {
        Application::None => draft.application = "none".to_owned(),
        Application::Portal { opens, closes } => {
            draft.application = "portal".to_owned();
            draft.opens = moment(*opens);
            draft.closes = moment(*closes);
        }
        Application::Other { how } => {
            draft.application = "other".to_owned();
            draft.how = how.clone();
        }
    }
    draft
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::events::{EventId, check_event};

    #[test]
    fn a_timed_event_reads_as_a_poster_writes_it() {
        let time = EventTime::Timed {
            start: date(2026, 12, 5).at(10, 0, 0, 0),
            end: Some(date(2026, 12, 5).at(11, 30, 0, 0)),
        };
        assert_eq!(when_ja(&time), "2026年12月5日(土) 10:00〜11:30");
        let days = EventTime::AllDay {
            first: date(2026, 12, 5),
            last: date(2026, 12, 7),
        };
        assert_eq!(when_ja(&days), "2026年12月5日(土)〜12月7日(月)");
    }

    #[test]
    fn an_event_goes_back_into_its_form_unchanged() {
        let draft = EventDraft {
            title: "離乳食教室".into(),
            place: "西条子育て支援センター".into(),
            start_date: "2026-12-05".into(),
            start_time: "10:00".into(),
            end_time: "11:30".into(),
            age_from_months: "5".into(),
            age_to_months: "8".into(),
            capacity: "12".into(),
            application: "portal".into(),
            opens: "2026-12-01T09:00".into(),
            closes: "2026-12-04T17:00".into(),
            ..EventDraft::default()
        };
        let event = check_event(EventId("x".into()), &draft).unwrap();
        assert_eq!(draft_of(&event), draft);
        assert_eq!(
            check_event(EventId("x".into()), &draft_of(&event)),
            Ok(event)
        );
    }
}

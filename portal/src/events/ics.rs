//! The calendar as an iCalendar feed (RFC 5545) citizens subscribe to in their phone's
//! calendar. Times are written in UTC (`…Z`), which every calendar reads without a VTIMEZONE;
//! all-day events are dates. Lines are folded and text escaped by [`crate::gomi::ics`].

use jiff::Timestamp;

use super::model::{Application, Event, EventTime, tokyo_instant};
use crate::gomi::ics::{escape, fold};

/// The feed called `name` of `events`, stamped `now`. `host` makes UIDs unique
/// (`event-<id>@host`); `page_url` gives each event's page on the portal.
pub fn calendar(
    name: &str,
    events: &[&Event],
    host: &str,
    page_url: impl Fn(&Event) -> String,
    now: Timestamp,
) -> String {
    let stamp = utc(now);
    let mut out = String::with_capacity(300 + events.len() * 400);
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Shimin Portal//kosodate events//JA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(line, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", escape(name)), &mut out);
    fold("X-WR-TIMEZONE:Asia/Tokyo", &mut out);
    for event in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:event-{}@{host}", event.event_id), &mut out);
        fold(&format!("DTSTAMP:{stamp}"), &mut out);
        match event.time {
            EventTime::AllDay { first, last } => {
                let after = last.tomorrow().unwrap_or(last);
                fold(
                    &format!("DTSTART;VALUE=DATE:{}", first.strftime("%Y%m%d")),
                    &mut out,
                );
                fold(
                    &format!("DTEND;VALUE=DATE:{}", after.strftime("%Y%m%d")),
                    &mut out,
                );
            }
            EventTime::Timed { start, end } => {
                fold(&format!("DTSTART:{}", utc(tokyo_instant(start))), &mut out);
                if let Some(end) = end {
                    fold(&format!("DTEND:{}", utc(tokyo_instant(end))), &mut out);
                }
            }
        }
        fold(&format!("SUMMARY:{}", escape(&event.title)), &mut out);
        fold(&format!("LOCATION:{}", escape(&event.place)), &mut out);
        fold(
            &format!("DESCRIPTION:{}", escape(&description(event))),
            &mut out,
        );
        fold(&format!("URL:{}", page_url(event)), &mut out);
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

fn utc(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// The description with who it is for, the capacity and how to apply, which a calendar app
/// shows nowhere else.
fn description(event: &Event) -> String {
    let mut lines = vec![format!("対象: {}", event.ages.label_ja())];
    if let Some(capacity) = event.capacity {
        lines.push(format!("定員: {capacity}"));
    }
    lines.push(match &event.application {
        Application::None => "申込: 不要".to_owned(),
        Application::Portal { .. } => "申込: 必要(市民ポータルサイトから)".to_owned(),
        Application::Other { how } => format!("申込: 必要({how})"),
    });
    if !event.description.is_empty() {
        lines.push(String::new());
        lines.push(event.description.clone());
    }
    if let Some(url) = &event.url {
        lines.push(url.clone());
    }
    lines.join("\n")
}

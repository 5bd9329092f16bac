//! An area's collection days as an iCalendar feed (RFC 5545) that citizens subscribe to in
//! their phone's calendar: one all-day event per collection day, its kinds in the summary.

use jiff::{Timestamp, civil::Date};

/// Escapes a TEXT value (RFC 5545 §3.3.11); shared with the other iCalendar feeds.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            other => out.push(other),
        }
    }
    out
}

/// Writes a content line to `out`, folded at 75 octets, never inside a UTF-8 character, and
/// ended with CRLF (§3.1); shared with the other iCalendar feeds.
pub fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// The feed of `area` (its id and name) with `days` (date and kinds), stamped `now`.
pub fn calendar(
    area_id: i64,
    area: &str,
    days: &[(Date, Vec<&str>)],
    host: &str,
    now: Timestamp,
) -> String {
    let stamp = now.strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::with_capacity(200 + days.len() * 200);
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Shimin Portal//gomi//JA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        fold(line, &mut out);
    }
    fold(
        &format!("X-WR-CALNAME:{}", escape(&format!("ごみ収集日 {area}"))),
        &mut out,
    );
    fold("X-WR-TIMEZONE:Asia/Tokyo", &mut out);
    for (date, kinds) in days {
        let day = date.strftime("%Y%m%d").to_string();
        let next = date
            .tomorrow()
            .unwrap_or(*date)
            .strftime("%Y%m%d")
            .to_string();
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:gomi-{area_id}-{day}@{host}"), &mut out);
        fold(&format!("DTSTAMP:{stamp}"), &mut out);
        fold(&format!("DTSTART;VALUE=DATE:{day}"), &mut out);
        fold(&format!("DTEND;VALUE=DATE:{next}"), &mut out);
        fold(&format!("SUMMARY:{}", escape(&kinds.join("・"))), &mut out);
        fold("TRANSP:TRANSPARENT", &mut out);
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn each_collection_day_is_an_all_day_event_and_long_lines_fold_between_characters() {
        let days = vec![
            (date(2027, 1, 4), vec!["燃やすごみ"]),
            (date(2027, 1, 6), vec!["資源", "びん"]),
        ];
        let long = "かなり長い地区名".repeat(6);
        let text = calendar(3, &long, &days, "portal.example.jp", Timestamp::UNIX_EPOCH);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert!(text.contains("DTSTART;VALUE=DATE:20270106\r\nDTEND;VALUE=DATE:20270107\r\n"));
        assert!(text.contains("SUMMARY:資源・びん\r\n"));
        assert!(text.contains("UID:gomi-3-20270104@portal.example.jp"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        // Unfolded, the calendar's name is whole again.
        assert!(text.replace("\r\n ", "").contains(&long));
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}

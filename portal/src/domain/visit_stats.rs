//! A center's visits counted for its staff: check-ins per day over a period and per hour of the
//! day (when families come), and a plain SVG bar chart of either — drawn on the server, so the
//! page needs no script, with the numbers also in a table beside it.

use jiff::{Timestamp, civil::Date};

/// One check-in as the kiosks reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckIn {
    /// When.
    pub at: Timestamp,
    /// How many children came in with it.
    pub children: u32,
}

/// Visits counted: families (check-ins) and the children they brought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    /// Check-ins.
    pub families: u32,
    /// Children checked in.
    pub children: u32,
}

impl Count {
    fn add(&mut self, checkin: &CheckIn) {
        self.families += 1;
        self.children += checkin.children;
    }
}

/// Every day from `from` to `to` (both included, at most 366) with its count in Asia/Tokyo.
pub fn per_day(checkins: &[CheckIn], from: Date, to: Date) -> Vec<(Date, Count)> {
    let mut days: Vec<(Date, Count)> = Vec::new();
    let mut day = from;
    while day <= to && days.len() < 366 {
        days.push((day, Count::default()));
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    for checkin in checkins {
        let date = checkin.at.to_zoned(crate::clock::tokyo()).date();
        if let Ok(index) = days.binary_search_by_key(&date, |(d, _)| *d)
            && let Some((_, count)) = days.get_mut(index)
        {
            count.add(checkin);
        }
    }
    days
}

/// Check-ins by hour of the day (0–23, Asia/Tokyo) over the whole period, from the first hour
/// with a visit to the last (opening hours, as the data shows them).
pub fn per_hour(checkins: &[CheckIn]) -> Vec<(i8, Count)> {
    let mut hours = [Count::default(); 24];
    for checkin in checkins {
        let hour = checkin.at.to_zoned(crate::clock::tokyo()).hour();
        if let Some(count) = usize::try_from(hour).ok().and_then(|h| hours.get_mut(h)) {
            count.add(checkin);
        }
    }
    let used = |count: &Count| count.families > 0;
    let (Some(first), Some(last)) = (hours.iter().position(used), hours.iter().rposition(used))
    else {
        return Vec::new();
    };
    (first..=last)
        .filter_map(|h| Some((i8::try_from(h).ok()?, *hours.get(h)?)))
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A bar chart as an SVG element: one bar per (label, value), the value above each bar, every
/// `label_every`-th label under the axis; `title` is its accessible name.
pub fn bar_chart_svg(title: &str, bars: &[(String, u32)], label_every: usize) -> String {
    const HEIGHT: u32 = 160;
    const TOP: u32 = 18;
    let width_each = if bars.len() > 24 { 16 } else { 28 };
    let width = (bars.len() as u32).max(1) * width_each + 8;
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" \
         aria-label=\"{}\" viewBox=\"0 0 {width} {}\" width=\"{width}\" height=\"{}\">",
        escape(title),
        HEIGHT + TOP + 20,
        HEIGHT + TOP + 20
    );
    svg.push_str(&format!(
        "<line x1=\"4\" y1=\"{y}\" x2=\"{x}\" y2=\"{y}\" class=\"axis\"/>",
        y = HEIGHT + TOP,
        x = width - 4
    ));
    for (index, (label, value)) in bars.iter().enumerate() {
        let x = 4 + index as u32 * width_each;
        let h = value * HEIGHT / max;
        let y = HEIGHT + TOP - h;
        svg.push_str(&format!(
            "<rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{h}\" class=\"bar\"><title>{}: {value}</title></rect>",
            x + 2,
            width_each - 4,
            escape(label)
        ));
        if *value > 0 && width_each >= 28 {
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" class=\"value\">{value}</text>",
                x + width_each / 2,
                y.saturating_sub(3)
            ));
        }
        if label_every > 0 && index % label_every == 0 {
            svg.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" class=\"label\">{}</text>",
                x + width_each / 2,
                HEIGHT + TOP + 15,
                escape(label)
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, children: u32) -> CheckIn {
        CheckIn {
            at: text.parse().unwrap(),
            children,
        }
    }

    #[test]
    fn days_are_tokyo_days_and_every_day_of_the_period_is_there() {
        // 23:30 UTC on the 1st is 08:30 on the 2nd in Tokyo.
        let checkins = [
            at("2026-12-01T23:30:00Z", 2),
            at("2026-12-02T01:00:00Z", 1),
            at("2026-11-30T01:00:00Z", 1),
        ];
        let days = per_day(
            &checkins,
            "2026-12-01".parse().unwrap(),
            "2026-12-03".parse().unwrap(),
        );
        let counts: Vec<(String, u32, u32)> = days
            .iter()
            .map(|(d, c)| (d.to_string(), c.families, c.children))
            .collect();
        assert_eq!(
            counts,
            vec![
                ("2026-12-01".into(), 0, 0),
                ("2026-12-02".into(), 2, 3),
                ("2026-12-03".into(), 0, 0)
            ]
        );
    }

    #[test]
    fn hours_run_from_the_first_visit_to_the_last_in_tokyo() {
        let checkins = [
            at("2026-12-02T00:15:00Z", 1), // 09:15
            at("2026-12-02T00:45:00Z", 2), // 09:45
            at("2026-12-03T05:10:00Z", 1), // 14:10
        ];
        let hours = per_hour(&checkins);
        assert_eq!(hours.first().map(|(h, c)| (*h, c.families)), Some((9, 2)));
        assert_eq!(hours.last().map(|(h, c)| (*h, c.children)), Some((14, 1)));
        assert_eq!(hours.len(), 6);
        assert!(per_hour(&[]).is_empty());
    }

    #[test]
    fn a_chart_has_a_bar_per_value_scaled_to_the_largest_and_escapes_its_words() {
        let bars = vec![
            ("9時".to_owned(), 4),
            ("10時".to_owned(), 8),
            ("<11>".to_owned(), 0),
        ];
        let svg = bar_chart_svg("時間帯別 \"利用\"", &bars, 1);
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(svg.contains("height=\"160\" class=\"bar\""), "{svg}");
        assert!(svg.contains("height=\"80\" class=\"bar\""));
        assert!(svg.contains("&lt;11&gt;"));
        assert!(svg.contains("aria-label=\"時間帯別 &quot;利用&quot;\""));
        // All zero: no division by zero, flat bars.
        let flat = bar_chart_svg("x", &[("a".to_owned(), 0)], 1);
        assert!(flat.contains("height=\"0\" class=\"bar\""));
    }
}

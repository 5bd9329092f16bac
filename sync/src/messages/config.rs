//! `KioskConfig`: what a kiosk needs to know about its center, retained per kiosk on
//! `shimin/v1/kiosks/{kiosk_id}/config`, and the opening-hours rules computed from it.
//!
//! Children still checked in at a day's closing time are checked out automatically. The portal
//! does it (it is the system of record and records it in the visit history); the kiosk clears
//! its local view at the same instant by the same rule, so neither needs to tell the other.

use jiff::{
    Timestamp,
    civil::{self, Date, Time},
    tz::TimeZone,
};
use serde::{Deserialize, Serialize};

use super::{Message, Thresholds, V1};
use crate::ids::{CenterId, KioskId};

/// A day of the week, on the wire as `mon` … `sun`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weekday {
    /// 月曜日
    Mon,
    /// 火曜日
    Tue,
    /// 水曜日
    Wed,
    /// 木曜日
    Thu,
    /// 金曜日
    Fri,
    /// 土曜日
    Sat,
    /// 日曜日
    Sun,
}

impl From<civil::Weekday> for Weekday {
    fn from(day: civil::Weekday) -> Self {
        match day {
            civil::Weekday::Monday => Self::Mon,
            civil::Weekday::Tuesday => Self::Tue,
            civil::Weekday::Wednesday => Self::Wed,
            civil::Weekday::Thursday => Self::Thu,
            civil::Weekday::Friday => Self::Fri,
            civil::Weekday::Saturday => Self::Sat,
            civil::Weekday::Sunday => Self::Sun,
        }
    }
}

/// Opening hours that repeat every week on the given days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyHours {
    /// The days these hours apply to.
    pub days: Vec<Weekday>,
    /// Opening time, local (`"09:30:00"`; `"09:30"` is read too).
    pub opens: Time,
    /// Closing time, local: the automatic check-out happens here.
    pub closes: Time,
}

/// The hours of one particular day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayHours {
    /// Opening time, local.
    pub opens: Time,
    /// Closing time, local.
    pub closes: Time,
}

/// The configuration of one kiosk and its center.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KioskConfig {
    /// Always 1.
    pub v: V1,
    /// The kiosk this is for; must match the topic.
    pub kiosk_id: KioskId,
    /// The center the kiosk is registered to: the `center_id` of its events.
    pub center_id: CenterId,
    /// The center's name to show, e.g. `"中央子育て支援センター"`.
    pub center_name: String,
    /// Capacity in families (親子の組数); 0 means not set.
    pub capacity: u32,
    /// IANA time zone of the hours below; `"Asia/Tokyo"` when absent.
    #[serde(default = "tokyo")]
    pub time_zone: String,
    /// Weekly opening hours; a day no entry names is closed. The first entry naming a day wins.
    #[serde(default)]
    pub opening_hours: Vec<WeeklyHours>,
    /// Dates the center is closed whatever the weekly hours say (holidays, 年末年始).
    #[serde(default)]
    pub closed_dates: Vec<Date>,
    /// Congestion thresholds, the same as the portal's, so the kiosk shows the same level.
    #[serde(default)]
    pub thresholds: Thresholds,
    /// When the portal made this configuration.
    pub updated_at: Timestamp,
}

fn tokyo() -> String {
    "Asia/Tokyo".to_owned()
}

impl KioskConfig {
    /// The configured time zone (from the system's time zone database).
    pub fn time_zone(&self) -> Result<TimeZone, jiff::Error> {
        TimeZone::get(&self.time_zone)
    }

    /// The hours on `date`, or `None` when the center is closed all that day.
    pub fn hours_on(&self, date: Date) -> Option<DayHours> {
        if self.closed_dates.contains(&date) {
            return None;
        }
        let day = Weekday::from(date.weekday());
        self.opening_hours
            .iter()
            .find(|h| h.days.contains(&day))
            .map(|h| DayHours {
                opens: h.opens,
                closes: h.closes,
            })
    }

    /// Whether the center is open at `now`.
    pub fn is_open_at(&self, now: Timestamp, tz: &TimeZone) -> bool {
        let local = now.to_zoned(tz.clone());
        self.hours_on(local.date())
            .is_some_and(|h| h.opens <= local.time() && local.time() < h.closes)
    }

    /// The latest closing instant in `(after, up_to]`, if any: when the kiosk should last have
    /// cleared its local view of who is in. Looks back at most 366 days.
    pub fn last_closing_between(
        &self,
        after: Timestamp,
        up_to: Timestamp,
        tz: &TimeZone,
    ) -> Option<Timestamp> {
        let mut date = up_to.to_zoned(tz.clone()).date();
        for _ in 0..=366 {
            if let Some(hours) = self.hours_on(date) {
                let closing = tz.to_timestamp(date.to_datetime(hours.closes)).ok()?;
                if closing <= after {
                    return None;
                }
                if closing <= up_to {
                    return Some(closing);
                }
            }
            date = date.yesterday().ok()?;
        }
        None
    }
}

impl Message for KioskConfig {
    const NAME: &'static str = "KioskConfig";

    fn check(&self) -> Result<(), String> {
        if self.center_name.trim().is_empty() {
            return Err("center_name is empty".into());
        }
        self.thresholds.check()?;
        for hours in &self.opening_hours {
            if hours.days.is_empty() {
                return Err("opening_hours entry names no day".into());
            }
            if hours.opens >= hours.closes {
                return Err("opening_hours: opens is not before closes".into());
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn config() -> KioskConfig {
        let json = r#"{"v":1,"kiosk_id":"chuo-1","center_id":"chuo",
            "center_name":"中央子育て支援センター","capacity":20,
            "opening_hours":[{"days":["mon","tue","wed","thu","fri"],"opens":"09:30","closes":"16:00"},
                             {"days":["sat"],"opens":"10:00","closes":"12:00"}],
            "closed_dates":["2026-04-29"],
            "updated_at":"2026-04-01T00:00:00Z"}"#;
        crate::messages::decode(json.as_bytes()).unwrap()
    }

    fn ts(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn defaults_name_tokyo_and_the_default_thresholds() {
        let c = config();
        assert_eq!(c.time_zone, "Asia/Tokyo");
        assert_eq!(c.thresholds, Thresholds::default());
    }

    #[test]
    fn open_follows_local_tokyo_hours() {
        let c = config();
        let tz = c.time_zone().unwrap();
        // 2026-04-01 is a Wednesday. 09:29 / 09:30 / 15:59 / 16:00 JST.
        assert!(!c.is_open_at(ts("2026-04-01T00:29:00Z"), &tz));
        assert!(c.is_open_at(ts("2026-04-01T00:30:00Z"), &tz));
        assert!(c.is_open_at(ts("2026-04-01T06:59:00Z"), &tz));
        assert!(!c.is_open_at(ts("2026-04-01T07:00:00Z"), &tz));
        // Sunday closed; a closed date (昭和の日, a Wednesday) closed.
        assert!(!c.is_open_at(ts("2026-04-05T02:00:00Z"), &tz));
        assert!(!c.is_open_at(ts("2026-04-29T02:00:00Z"), &tz));
    }

    #[test]
    fn the_last_closing_is_found_across_closed_days() {
        let c = config();
        let tz = c.time_zone().unwrap();
        // From Saturday 11:00 JST to Monday 10:00 JST: the closing is Saturday 12:00 JST.
        let found =
            c.last_closing_between(ts("2026-04-04T02:00:00Z"), ts("2026-04-06T01:00:00Z"), &tz);
        assert_eq!(found, Some(ts("2026-04-04T03:00:00Z")));
        // Nothing closed between Monday 10:00 and 15:00.
        let none =
            c.last_closing_between(ts("2026-04-06T01:00:00Z"), ts("2026-04-06T06:00:00Z"), &tz);
        assert_eq!(none, None);
    }

    #[test]
    fn hours_must_make_sense() {
        let mut c = config();
        c.opening_hours[0].closes = c.opening_hours[0].opens;
        assert!(crate::messages::Message::check(&c).is_err());
    }
}

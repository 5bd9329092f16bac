//! 妊娠週数 from the 出産予定日: the due date is 妊娠40週0日, so 妊娠0週0日 is 280 days before
//! it (the first day of the last period, as the 母子健康手帳 counts).

use std::fmt;

use jiff::{ToSpan, civil::Date};

use super::age::days_between;

/// Days from 妊娠0週0日 to the 出産予定日 (40 weeks).
pub const DUE_DAY: i64 = 280;

/// A day of pregnancy as 妊娠n週m日.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PregnancyWeek {
    /// Completed weeks (n in n週m日); negative before 妊娠0週0日.
    pub weeks: i64,
    /// Days into the week, 0 to 6.
    pub days: i64,
}

impl PregnancyWeek {
    /// The week and day `total_days` after 妊娠0週0日.
    pub fn from_days(total_days: i64) -> Self {
        Self {
            weeks: total_days.div_euclid(7),
            days: total_days.rem_euclid(7),
        }
    }

    /// Days since 妊娠0週0日.
    pub fn total_days(self) -> i64 {
        self.weeks * 7 + self.days
    }

    /// 妊娠月数 as the 母子健康手帳 counts it (4 weeks a month, 1か月 = 0–3週): 妊娠12週 is
    /// 妊娠4か月.
    pub fn months(self) -> i64 {
        self.weeks.div_euclid(4) + 1
    }
}

/// `妊娠12週3日`.
impl fmt::Display for PregnancyWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "妊娠{}週{}日", self.weeks, self.days)
    }
}

/// The 妊娠週数 on `on` of a pregnancy due on `due` (past the due date it keeps counting:
/// 妊娠41週2日).
pub fn pregnancy_week(due: Date, on: Date) -> PregnancyWeek {
    PregnancyWeek::from_days(DUE_DAY - days_between(on, due))
}

/// The day a pregnancy due on `due` reaches `week`, or `None` past the end of the calendar.
pub fn day_of_week(due: Date, week: PregnancyWeek) -> Option<Date> {
    due.checked_add((week.total_days() - DUE_DAY).days()).ok()
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn the_due_date_is_week_40_day_0() {
        let due = date(2026, 10, 1);
        let at = |d| pregnancy_week(due, d);
        assert_eq!(at(due), PregnancyWeek { weeks: 40, days: 0 });
        assert_eq!(at(date(2026, 9, 30)), PregnancyWeek { weeks: 39, days: 6 });
        assert_eq!(at(date(2026, 10, 10)).to_string(), "妊娠41週2日");
        // 280 days before: the first day of the last period.
        assert_eq!(at(date(2025, 12, 25)), PregnancyWeek { weeks: 0, days: 0 });
        assert_eq!(at(date(2025, 12, 24)), PregnancyWeek { weeks: -1, days: 6 });
        assert_eq!(
            day_of_week(due, PregnancyWeek { weeks: 12, days: 0 }),
            Some(date(2026, 3, 19))
        );
        assert_eq!(at(date(2026, 3, 19)).to_string(), "妊娠12週0日");
        assert_eq!(at(date(2026, 3, 19)).months(), 4);
        assert_eq!(PregnancyWeek { weeks: 3, days: 6 }.months(), 1);
        assert_eq!(PregnancyWeek { weeks: 36, days: 0 }.months(), 10);
    }

    #[test]
    fn weeks_count_across_a_leap_day() {
        // 2028 is a leap year: 2月29日 is one more day, not a skipped one.
        let due = date(2028, 3, 1);
        assert_eq!(
            pregnancy_week(due, date(2028, 2, 28)).to_string(),
            "妊娠39週5日"
        );
        assert_eq!(
            pregnancy_week(due, date(2028, 2, 29)).to_string(),
            "妊娠39週6日"
        );
        assert_eq!(
            pregnancy_week(due, date(2028, 3, 1)).to_string(),
            "妊娠40週0日"
        );
    }

    proptest! {
        #[test]
        fn a_week_and_its_day_agree(offset in -400i64..400, week in 0i64..45, day in 0i64..7) {
            let due = date(2026, 6, 15).checked_add(offset.days()).unwrap();
            let wanted = PregnancyWeek { weeks: week, days: day };
            let on = day_of_week(due, wanted).unwrap();
            prop_assert_eq!(pregnancy_week(due, on), wanted);
            prop_assert_eq!(pregnancy_week(due, on.tomorrow().unwrap()).total_days(), wanted.total_days() + 1);
        }
    }
}

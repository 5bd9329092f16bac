//! A child's age in months and days, as the city counts it for checkups: a child born on the
//! 15th is 4 months old on the 15th four months later. When that month is too short for the
//! birth day, the last day of the month counts (born 1月31日 → 1か月 on 2月28日, or 29日 in a
//! leap year; born 2月29日 → 1歳 on 2月28日 of a common year).
//!
//! This is the count for 乳幼児健診 and 予防接種 guidance, not the legal age of the 年齢計算ニ
//! 関スル法律 (which turns over the day before the birthday, for school years).

use jiff::{ToSpan, civil::Date};

/// A child's age on a day: whole months, and days since the last month turned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Age {
    /// Whole months since birth (16 for 1歳4か月).
    pub months: i32,
    /// Days since the child turned `months` months old.
    pub days: i32,
}

impl Age {
    /// Whole years (1 for 1歳4か月).
    pub fn years(self) -> i32 {
        self.months / 12
    }

    /// The age as the city writes it: `4か月12日`, `1歳6か月`, `3歳`.
    pub fn ja(self) -> String {
        match (self.years(), self.months % 12) {
            (0, months) => format!("{months}か月{}日", self.days),
            (years, 0) => format!("{years}歳"),
            (years, months) => format!("{years}歳{months}か月"),
        }
    }
}

/// Whole months from `birth` to `on` (0 on the birth day and until the first month turns;
/// negative when `on` is before `birth`, counted the same way backwards).
///
/// The month turns on the birth day of the month, or on the month's last day when the month
/// is shorter than that.
pub fn months_between(birth: Date, on: Date) -> i32 {
    if on < birth {
        return -months_between(on, birth);
    }
    let whole = (i32::from(on.year()) - i32::from(birth.year())) * 12
        + (i32::from(on.month()) - i32::from(birth.month()));
    let turns_on = birth.day().min(on.days_in_month());
    if on.day() < turns_on {
        whole - 1
    } else {
        whole
    }
}

/// The day the child born on `birth` turns `months` months old (its 月齢の日), or `None` past
/// the end of the calendar.
pub fn turns_months(birth: Date, months: i32) -> Option<Date> {
    // jiff constrains the day to the month's length, which is the city's rule above.
    birth.checked_add(months.months()).ok()
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.duration_until(to).as_secs().div_euclid(86_400)
}

/// The age of a child born on `birth`, on `on`; `None` before birth.
pub fn age_on(birth: Date, on: Date) -> Option<Age> {
    if on < birth {
        return None;
    }
    let months = months_between(birth, on);
    let turned = turns_months(birth, months)?;
    let days = i32::try_from(days_between(turned, on)).ok()?;
    Some(Age { months, days })
}

#[cfg(test)]
#[path = "age_tests.rs"]
mod tests;

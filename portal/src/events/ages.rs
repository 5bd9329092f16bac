//! Ages in whole months, reckoned as Japanese law does, and the ages an event is for.
//!
//! 年齢計算ニ関スル法律 and 民法第143条 count a period of months from the day of birth: a child
//! is N months old from the day of the N-th month that has the birth day's number, and when that
//! month has no such day (born on the 31st, or on 29 February) from the 1st of the month after.
//! So a child born on 31 January is still 0か月 on 28 February and 1か月 on 1 March.
//! [`crate::domain::family::age`] clamps to the month's end instead; it is for display, this is
//! for deciding who an event is for.

use jiff::civil::Date;

/// The oldest age (in months) an event can be for: 17歳11か月, the last month of childhood.
pub const MAX_AGE_MONTHS: u32 = 18 * 12 - 1;

/// The whole months from `birth` to `on`, or `None` before the birth.
pub fn months_old(birth: Date, on: Date) -> Option<u32> {
    if on < birth {
        return None;
    }
    let months = (i32::from(on.year()) * 12 + i32::from(on.month()))
        - (i32::from(birth.year()) * 12 + i32::from(birth.month()));
    // The month's anniversary is not reached until the birth day's number (or, in a month too
    // short to have it, the 1st of the next month, which the next month's count covers).
    let months = if on.day() < birth.day() {
        months - 1
    } else {
        months
    };
    u32::try_from(months).ok()
}

/// An inclusive range of ages in whole months: 0か月〜11か月, 1歳〜3歳 (12 to 47).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MonthRange {
    /// The youngest age, in months.
    pub from: u32,
    /// The oldest age, in months (3歳 means up to 3歳11か月, 47).
    pub to: u32,
}

impl MonthRange {
    /// Whether `months` lies in the range.
    pub fn contains(self, months: u32) -> bool {
        self.from <= months && months <= self.to
    }

    /// The range as people read it: "0か月〜11か月", "1歳〜3歳", "1歳6か月〜2歳".
    pub fn label_ja(self) -> String {
        let whole_years = self.from.is_multiple_of(12) && (self.to + 1).is_multiple_of(12);
        if whole_years && self.to >= 12 {
            let (from, to) = (self.from / 12, (self.to + 1) / 12 - 1);
            if from == to {
                return format!("{from}歳");
            }
            return format!("{from}歳〜{to}歳");
        }
        let from = months_label(self.from);
        let to = months_label(self.to);
        if from == to {
            from
        } else {
            format!("{from}〜{to}")
        }
    }
}

fn months_label(months: u32) -> String {
    match (months / 12, months % 12) {
        (0, m) => format!("{m}か月"),
        (y, 0) => format!("{y}歳"),
        (y, m) => format!("{y}歳{m}か月"),
    }
}

/// Who an event is for. With no range and not for pregnant women, it is for everyone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TargetAges {
    /// The children's ages on the event's day, if the event is for children of some ages.
    pub months: Option<MonthRange>,
    /// Whether the event is for pregnant women (妊婦); with a range, for both.
    pub pregnant: bool,
}

impl TargetAges {
    /// Whether the event is for everyone (どなたでも).
    pub fn is_open(self) -> bool {
        self.months.is_none() && !self.pregnant
    }

    /// The target as people read it: "どなたでも", "妊婦の方", "0か月〜11か月", "妊婦の方・0歳".
    pub fn label_ja(self) -> String {
        match (self.months, self.pregnant) {
            (None, false) => "どなたでも".into(),
            (None, true) => "妊婦の方".into(),
            (Some(range), false) => range.label_ja(),
            (Some(range), true) => format!("妊婦の方・{}", range.label_ja()),
        }
    }
}

/// Whether a family suits `target` on some day from `first` to `last` (an event's days, the
/// first of them no earlier than today for the caller's purposes): a child whose age on one
/// of those days is in the range, the baby expected on `due_date` counted as born that day,
/// or a pregnancy that lasts until one of those days.
pub fn family_fits(
    target: TargetAges,
    first: Date,
    last: Date,
    birth_dates: &[Date],
    due_date: Option<Date>,
) -> bool {
    if target.is_open() {
        return true;
    }
    if target.pregnant && due_date.is_some_and(|due| due >= first) {
        return true;
    }
    let Some(range) = target.months else {
        return false;
    };
    // Ages only grow, so a child fits some day of the span when its age on the last day is not
    // below the range and its age on the first day is not above it.
    birth_dates.iter().chain(due_date.iter()).any(|&birth| {
        let oldest = months_old(birth, last);
        let youngest = months_old(birth, first).unwrap_or(0);
        oldest.is_some_and(|oldest| oldest >= range.from) && youngest <= range.to
    })
}

#[cfg(test)]
#[path = "ages_tests.rs"]
mod tests;

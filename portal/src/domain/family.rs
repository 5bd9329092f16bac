//! こども情報 and 出産予定日: what a guardian registers about their children and pregnancy,
//! and the rules that keep it sensible. Dates are civil dates in Asia/Tokyo; "today" is passed in.

use std::{fmt, str::FromStr};

use jiff::{ToSpan, civil::Date};
use serde::{Deserialize, Serialize};

use super::validation::{self, FieldErrors};

/// 性別 as the guardian chooses to give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// 男
    Male,
    /// 女
    Female,
    /// 回答しない
    Unspecified,
}

/// こどもとの関係 (the guardian's relationship to the child).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// 母
    Mother,
    /// 父
    Father,
    /// 祖母
    Grandmother,
    /// 祖父
    Grandfather,
    /// その他
    Other,
}

macro_rules! stable_names {
    ($type:ty, $($variant:ident => $name:literal),+ $(,)?) => {
        impl $type {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [$type] = &[$(<$type>::$variant),+];

            /// The stable name stored and posted.
            pub fn as_str(self) -> &'static str {
                match self { $(<$type>::$variant => $name),+ }
            }

            /// The message-catalogue key of the display name.
            pub fn label_key(self) -> &'static str {
                match self { $(<$type>::$variant => concat!("form.", $name)),+ }
            }
        }

        impl FromStr for $type {
            type Err = ();

            fn from_str(s: &str) -> Result<Self, ()> {
                match s { $($name => Ok(<$type>::$variant),)+ _ => Err(()) }
            }
        }

        impl fmt::Display for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

stable_names!(Sex, Male => "sex_male", Female => "sex_female", Unspecified => "sex_unspecified");
stable_names!(
    Relationship,
    Mother => "rel_mother",
    Father => "rel_father",
    Grandmother => "rel_grandmother",
    Grandfather => "rel_grandfather",
    Other => "rel_other",
);

/// The oldest child the child-rearing services are for (a birth date further back is a typo).
pub const MAX_CHILD_AGE_YEARS: i16 = 18;

/// こども情報 as typed into the form.
#[derive(Debug, Clone, Default)]
pub struct ChildInput {
    /// 姓
    pub family_name: String,
    /// 名
    pub given_name: String,
    /// 性別 (stable name)
    pub sex: String,
    /// 生年月日 (YYYY-MM-DD, as an HTML date input sends it)
    pub birth_date: String,
    /// こどもとの関係 (stable name)
    pub relationship: String,
}

/// こども情報 that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidChild {
    /// 姓
    pub family_name: String,
    /// 名
    pub given_name: String,
    /// 性別
    pub sex: Sex,
    /// 生年月日
    pub birth_date: Date,
    /// こどもとの関係
    pub relationship: Relationship,
}

/// Checks a child's details against `today` (Asia/Tokyo): the birth date may not be in the
/// future nor more than [`MAX_CHILD_AGE_YEARS`] back.
pub fn child(input: &ChildInput, today: Date) -> Result<ValidChild, FieldErrors> {
    let mut errors = FieldErrors::default();
    let family_name = validation::name(&mut errors, "family_name", &input.family_name);
    let given_name = validation::name(&mut errors, "given_name", &input.given_name);
    let sex = input.sex.parse::<Sex>().ok();
    if sex.is_none() {
        errors.add("sex", "error.choose_one");
    }
    let relationship = input.relationship.parse::<Relationship>().ok();
    if relationship.is_none() {
        errors.add("relationship", "error.choose_one");
    }
    let birth_date = match parse_date(&input.birth_date) {
        None => {
            errors.add("birth_date", "error.date_malformed");
            None
        }
        Some(date) if date > today => {
            errors.add("birth_date", "error.birth_date_future");
            None
        }
        Some(date) if today.saturating_sub(MAX_CHILD_AGE_YEARS.years()) > date => {
            errors.add("birth_date", "error.birth_date_too_old");
            None
        }
        Some(date) => Some(date),
    };
    match (sex, relationship, birth_date) {
        (Some(sex), Some(relationship), Some(birth_date)) if errors.is_empty() => Ok(ValidChild {
            family_name,
            given_name,
            sex,
            birth_date,
            relationship,
        }),
        _ => Err(errors),
    }
}

/// The earliest and latest 出産予定日 accepted on `today`: a pregnancy lasts about 280 days,
/// so a due date more than 300 days ahead is a typo; one up to 30 days past is kept (babies
/// come late, and the guardian may not have updated it yet).
pub fn due_date_window(today: Date) -> (Date, Date) {
    (
        today.saturating_sub(30.days()),
        today.saturating_add(300.days()),
    )
}

/// Checks a 出産予定日 typed as YYYY-MM-DD.
pub fn due_date(raw: &str, today: Date) -> Result<Date, FieldErrors> {
    let mut errors = FieldErrors::default();
    let (earliest, latest) = due_date_window(today);
    match parse_date(raw) {
        None => errors.add("due_date", "error.date_malformed"),
        Some(date) if date < earliest => errors.add("due_date", "error.due_date_past"),
        Some(date) if date > latest => errors.add("due_date", "error.due_date_far"),
        Some(date) => return Ok(date),
    }
    Err(errors)
}

/// Parses YYYY-MM-DD (also with slashes, as people type it); `None` for anything else.
pub fn parse_date(raw: &str) -> Option<Date> {
    raw.trim().replace('/', "-").parse::<Date>().ok()
}

/// Age in whole years and months on `today` (for display: 1歳6か月).
pub fn age(birth_date: Date, today: Date) -> (i32, i32) {
    let months = birth_date
        .until((jiff::Unit::Month, today))
        .map(|span| span.get_months())
        .unwrap_or(0)
        .max(0);
    (months / 12, months % 12)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn input(birth: &str) -> ChildInput {
        ChildInput {
            family_name: "山田".into(),
            given_name: "陽向".into(),
            sex: "sex_male".into(),
            birth_date: birth.into(),
            relationship: "rel_mother".into(),
        }
    }

    #[test]
    fn a_birth_date_today_is_fine_tomorrow_is_not() {
        let today = date(2026, 11, 25);
        assert_eq!(
            child(&input("2026-11-25"), today).unwrap().birth_date,
            today
        );
        let err = child(&input("2026-11-26"), today).unwrap_err();
        assert_eq!(err.get("birth_date"), Some("error.birth_date_future"));
        assert!(child(&input("2026/11/24"), today).is_ok());
    }

    #[test]
    fn a_birth_date_more_than_eighteen_years_back_is_a_typo() {
        let today = date(2026, 11, 25);
        assert!(child(&input("2008-11-25"), today).is_ok());
        let err = child(&input("2008-11-24"), today).unwrap_err();
        assert_eq!(err.get("birth_date"), Some("error.birth_date_too_old"));
        assert_eq!(
            child(&input("2026-02-30"), today)
                .unwrap_err()
                .get("birth_date"),
            Some("error.date_malformed")
        );
    }

    #[test]
    fn unknown_choices_are_refused_beside_their_fields() {
        let mut bad = input("2025-01-01");
        bad.sex = "x".into();
        bad.relationship = String::new();
        let err = child(&bad, date(2026, 11, 25)).unwrap_err();
        assert_eq!(err.get("sex"), Some("error.choose_one"));
        assert_eq!(err.get("relationship"), Some("error.choose_one"));
    }

    #[test]
    fn the_due_date_window_is_thirty_days_back_to_three_hundred_ahead() {
        let today = date(2026, 11, 25);
        assert_eq!(due_date("2026-10-26", today), Ok(date(2026, 10, 26)));
        assert_eq!(
            due_date("2026-10-25", today).unwrap_err().get("due_date"),
            Some("error.due_date_past")
        );
        assert_eq!(due_date("2027-09-21", today), Ok(date(2027, 9, 21)));
        assert_eq!(
            due_date("2027-09-22", today).unwrap_err().get("due_date"),
            Some("error.due_date_far")
        );
        assert_eq!(
            due_date("来年", today).unwrap_err().get("due_date"),
            Some("error.date_malformed")
        );
    }

    #[test]
    fn ages_count_whole_months() {
        assert_eq!(age(date(2025, 5, 25), date(2026, 11, 25)), (1, 6));
        assert_eq!(age(date(2025, 5, 26), date(2026, 11, 25)), (1, 5));
        assert_eq!(age(date(2026, 11, 25), date(2026, 11, 25)), (0, 0));
    }

    #[test]
    fn names_round_trip() {
        for sex in Sex::ALL {
            assert_eq!(sex.as_str().parse::<Sex>(), Ok(*sex));
        }
        for rel in Relationship::ALL {
            assert_eq!(rel.as_str().parse::<Relationship>(), Ok(*rel));
        }
    }
}

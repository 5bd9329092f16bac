use jiff::civil::date;
use proptest::prelude::*;

use super::*;

#[test]
fn a_month_turns_on_the_birth_day_of_the_month() {
    let birth = date(2026, 3, 15);
    assert_eq!(months_between(birth, date(2026, 3, 15)), 0);
    assert_eq!(months_between(birth, date(2026, 4, 14)), 0);
    assert_eq!(months_between(birth, date(2026, 4, 15)), 1);
    assert_eq!(months_between(birth, date(2026, 7, 15)), 4);
    assert_eq!(months_between(birth, date(2027, 9, 14)), 17);
    assert_eq!(months_between(birth, date(2027, 9, 15)), 18);
}

#[test]
fn born_on_the_31st_turns_on_the_last_day_of_short_months() {
    let birth = date(2026, 1, 31);
    assert_eq!(months_between(birth, date(2026, 2, 27)), 0);
    assert_eq!(months_between(birth, date(2026, 2, 28)), 1);
    assert_eq!(months_between(birth, date(2026, 3, 30)), 1);
    assert_eq!(months_between(birth, date(2026, 3, 31)), 2);
    assert_eq!(months_between(birth, date(2026, 4, 30)), 3);
    // A leap year: February has its 29th, and the month turns on it, not on the 28th.
    let leap = date(2028, 1, 31);
    assert_eq!(months_between(leap, date(2028, 2, 28)), 0);
    assert_eq!(months_between(leap, date(2028, 2, 29)), 1);
    assert_eq!(turns_months(leap, 1), Some(date(2028, 2, 29)));
    assert_eq!(turns_months(birth, 1), Some(date(2026, 2, 28)));
}

#[test]
fn born_on_a_leap_day_turns_a_year_on_the_28th_of_february() {
    let birth = date(2024, 2, 29);
    assert_eq!(months_between(birth, date(2025, 2, 27)), 11);
    assert_eq!(months_between(birth, date(2025, 2, 28)), 12);
    assert_eq!(months_between(birth, date(2028, 2, 28)), 47);
    assert_eq!(months_between(birth, date(2028, 2, 29)), 48);
    assert_eq!(months_between(birth, date(2024, 3, 29)), 1);
    assert_eq!(turns_months(birth, 12), Some(date(2025, 2, 28)));
}

#[test]
fn before_birth_the_count_is_negative() {
    let birth = date(2026, 5, 10);
    assert_eq!(months_between(birth, date(2026, 5, 9)), 0);
    assert_eq!(months_between(birth, date(2026, 4, 10)), -1);
    assert_eq!(age_on(birth, date(2026, 5, 9)), None);
}

#[test]
fn age_has_days_since_the_month_turned_and_reads_as_the_city_writes_it() {
    let birth = date(2026, 1, 31);
    let age = age_on(birth, date(2026, 3, 10)).unwrap();
    assert_eq!(
        age,
        Age {
            months: 1,
            days: 10
        }
    );
    assert_eq!(age.ja(), "1か月10日");
    let eighteen = age_on(date(2025, 6, 1), date(2026, 12, 1)).unwrap();
    assert_eq!(eighteen.ja(), "1歳6か月");
    assert_eq!(
        age_on(date(2023, 6, 1), date(2026, 6, 1)).unwrap().ja(),
        "3歳"
    );
    assert_eq!(days_between(date(2026, 2, 28), date(2026, 3, 1)), 1);
    assert_eq!(days_between(date(2026, 3, 1), date(2026, 2, 28)), -1);
}

fn any_date() -> impl Strategy<Value = Date> {
    (1990i16..2080, 1i8..=12, 1i8..=31).prop_map(|(y, m, d)| {
        let first = date(y, m, 1);
        date(y, m, d.min(first.days_in_month()))
    })
}

proptest! {
    #[test]
    fn months_never_go_down_as_days_go_by(birth in any_date(), on in any_date(), step in 1i64..400) {
        let later = on.checked_add(jiff::Span::new().days(step)).unwrap();
        prop_assert!(months_between(birth, on) <= months_between(birth, later));
    }

    #[test]
    fn the_month_turns_exactly_on_its_day(birth in any_date(), months in 1i32..240) {
        let turned = turns_months(birth, months).unwrap();
        prop_assert_eq!(months_between(birth, turned), months);
        prop_assert_eq!(months_between(birth, turned.yesterday().unwrap()), months - 1);
        prop_assert_eq!(age_on(birth, turned), Some(Age { months, days: 0 }));
    }

    #[test]
    fn an_age_adds_back_up_to_the_day(birth in any_date(), on in any_date()) {
        prop_assume!(on >= birth);
        let age = age_on(birth, on).unwrap();
        prop_assert!(age.days >= 0 && age.days < 31);
        let back = turns_months(birth, age.months)
            .unwrap()
            .checked_add(jiff::Span::new().days(i64::from(age.days)))
            .unwrap();
        prop_assert_eq!(back, on);
    }
}

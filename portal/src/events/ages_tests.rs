use jiff::civil::date;

use super::*;
use crate::events::fixtures::for_ages;

#[test]
fn a_month_is_reached_on_the_day_with_the_birth_days_number() {
    let birth = date(2026, 4, 15);
    assert_eq!(months_old(birth, date(2026, 4, 15)), Some(0));
    assert_eq!(months_old(birth, date(2026, 5, 14)), Some(0));
    assert_eq!(months_old(birth, date(2026, 5, 15)), Some(1));
    assert_eq!(months_old(birth, date(2027, 4, 14)), Some(11));
    assert_eq!(months_old(birth, date(2027, 4, 15)), Some(12));
    assert_eq!(months_old(birth, date(2026, 4, 14)), None);
}

#[test]
fn born_at_a_months_end_the_short_month_waits_for_the_first_of_the_next() {
    // 民法143条: no 31 February, so the month is over at the end of 28 February.
    let birth = date(2027, 1, 31);
    assert_eq!(months_old(birth, date(2027, 2, 28)), Some(0));
    assert_eq!(months_old(birth, date(2027, 3, 1)), Some(1));
    assert_eq!(months_old(birth, date(2027, 3, 30)), Some(1));
    assert_eq!(months_old(birth, date(2027, 3, 31)), Some(2));
    // 30 April has no 31st either.
    assert_eq!(months_old(birth, date(2027, 4, 30)), Some(2));
    assert_eq!(months_old(birth, date(2027, 5, 1)), Some(3));
    // Born on the 28th: February has the day, so no waiting.
    assert_eq!(months_old(date(2027, 1, 28), date(2027, 2, 28)), Some(1));
}

#[test]
fn a_leap_day_baby_turns_one_on_the_first_of_march() {
    let birth = date(2028, 2, 29);
    assert_eq!(months_old(birth, date(2029, 2, 28)), Some(11));
    assert_eq!(months_old(birth, date(2029, 3, 1)), Some(12));
    assert_eq!(months_old(birth, date(2032, 2, 29)), Some(48));
    // In a leap year, 29 January's month ends on 28 February.
    assert_eq!(months_old(date(2028, 1, 29), date(2028, 2, 29)), Some(1));
    assert_eq!(months_old(date(2027, 1, 29), date(2027, 2, 28)), Some(0));
}

#[test]
fn age_ranges_read_as_on_the_citys_posters() {
    let range = |from, to| MonthRange { from, to };
    assert_eq!(range(0, 11).label_ja(), "0か月〜11か月");
    assert_eq!(range(12, 47).label_ja(), "1歳〜3歳");
    assert_eq!(range(0, 11).label_ja(), "0か月〜11か月");
    assert_eq!(range(12, 23).label_ja(), "1歳");
    assert_eq!(range(18, 24).label_ja(), "1歳6か月〜2歳");
    assert_eq!(range(4, 4).label_ja(), "4か月");
    let pregnant = TargetAges {
        months: Some(range(0, 11)),
        pregnant: true,
    };
    assert_eq!(pregnant.label_ja(), "妊婦の方・0か月〜11か月");
    assert_eq!(TargetAges::default().label_ja(), "どなたでも");
}

#[test]
fn a_baby_event_suits_a_child_of_the_age_on_the_events_day_not_today() {
    let today = date(2026, 11, 25);
    let event = for_ages(date(2026, 12, 10), 0, 11);
    // Eleven months today, a year old on 10 December: too old by then.
    assert!(!event.fits_ages(&[date(2025, 12, 10)], None, today));
    assert!(event.fits_ages(&[date(2025, 12, 11)], None, today));
    // One of the children is enough.
    assert!(event.fits_ages(&[date(2020, 1, 1), date(2026, 6, 1)], None, today));
    assert!(!event.fits_ages(&[], None, today));
}

#[test]
fn an_expected_baby_counts_from_the_due_date_and_a_pregnancy_until_it() {
    let today = date(2026, 11, 25);
    let baby = for_ages(date(2027, 3, 10), 0, 11);
    assert!(baby.fits_ages(&[], Some(date(2027, 1, 20)), today));
    assert!(!baby.fits_ages(&[], Some(date(2027, 4, 1)), today));
    let mut classes = for_ages(date(2027, 1, 15), 0, 0);
    classes.ages = TargetAges {
        months: None,
        pregnant: true,
    };
    assert!(classes.fits_ages(&[], Some(date(2027, 3, 1)), today));
    assert!(!classes.fits_ages(&[], Some(date(2027, 1, 10)), today));
    assert!(!classes.fits_ages(&[date(2026, 1, 1)], None, today));
    let mut open = for_ages(date(2027, 1, 15), 0, 0);
    open.ages = TargetAges::default();
    assert!(open.fits_ages(&[], None, today));
}

#[test]
fn a_child_fits_a_long_event_on_any_day_still_to_come() {
    use crate::events::EventTime;
    let mut event = for_ages(date(2026, 12, 1), 12, 23);
    event.time = EventTime::AllDay {
        first: date(2026, 12, 1),
        last: date(2026, 12, 20),
    };
    // One on 15 December: fits from then.
    assert!(event.fits_ages(&[date(2025, 12, 15)], None, date(2026, 11, 25)));
    // Two on 10 December: fitted only until then.
    assert!(event.fits_ages(&[date(2024, 12, 10)], None, date(2026, 12, 9)));
    assert!(!event.fits_ages(&[date(2024, 12, 10)], None, date(2026, 12, 10)));
}

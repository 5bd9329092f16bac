use std::collections::BTreeSet;

use jiff::civil::{Weekday, date, time};

use super::*;
use crate::health::fixtures::at;
use crate::health::series::{SeriesInput, generate_series};
use crate::i18n::Lang;

const NOW: &str = "2026-11-30T10:00";

fn input() -> SlotInput {
    SlotInput {
        service: Service::BoshiTecho,
        date: date(2026, 12, 2),
        start: time(9, 0, 0, 0),
        end: time(9, 30, 0, 0),
        place: Place::Venue(" 東広島市保健センター ".into()),
        capacity: 2,
    }
}

#[test]
fn a_sensible_slot_is_taken_in_tokyo_time() {
    let slot = check_slot(&input(), at(NOW)).unwrap();
    assert_eq!(slot.starts_at.to_string(), "2026-12-02T00:00:00Z");
    assert_eq!(slot.place, Place::Venue("東広島市保健センター".into()));
    let stored = slot.with_id(SlotId::new());
    assert_eq!(stored.date(), date(2026, 12, 2));
    assert_eq!(stored.when_ja(), "2026年12月2日 09:00〜09:30");
}

#[test]
fn a_staff_slot_is_refused_for_what_is_wrong_with_it() {
    let refused = |change: fn(&mut SlotInput)| {
        let mut input = input();
        change(&mut input);
        check_slot(&input, at(NOW)).unwrap_err()
    };
    assert_eq!(refused(|i| i.end = i.start), SlotError::EndNotAfterStart);
    assert_eq!(refused(|i| i.end = time(18, 0, 0, 0)), SlotError::TooLong);
    assert_eq!(refused(|i| i.capacity = 0), SlotError::Capacity(0));
    assert_eq!(refused(|i| i.capacity = 101), SlotError::Capacity(101));
    assert_eq!(refused(|i| i.date = date(2026, 11, 30)), SlotError::InPast);
    assert_eq!(
        refused(|i| i.date = date(2028, 1, 5)),
        SlotError::TooFarAhead
    );
    assert_eq!(
        refused(|i| i.place = Place::Venue("  ".into())),
        SlotError::NoPlace
    );
    assert_eq!(
        refused(|i| i.place = Place::Venue("会".repeat(101))),
        SlotError::PlaceTooLong
    );
    let home = refused(|i| i.place = Place::Home);
    assert_eq!(home, SlotError::HomeNotForService(Service::BoshiTecho));
    assert_eq!(
        home.to_string(),
        "母子健康手帳の交付は訪問(ご自宅)では行えません"
    );
    assert_eq!(
        refused(|i| i.capacity = 0).message(Lang::En),
        "capacity 0 must be 1 to 100"
    );
    let mut visit = input();
    visit.service = Service::AkachanHoumon;
    visit.place = Place::Home;
    assert_eq!(check_slot(&visit, at(NOW)).unwrap().place, Place::Home);
}

fn series() -> SeriesInput {
    SeriesInput {
        service: Service::BoshiTecho,
        place: Place::Venue("東広島市保健センター".into()),
        first_day: date(2026, 11, 30),
        last_day: date(2026, 12, 13),
        weekdays: vec![
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ],
        skip_days: BTreeSet::from([date(2026, 12, 4)]),
        day_start: time(9, 0, 0, 0),
        day_end: time(12, 0, 0, 0),
        slot_minutes: 30,
        capacity: 2,
    }
}

#[test]
fn a_series_fills_the_weekdays_of_two_weeks_every_30_minutes() {
    let slots = generate_series(&series(), at(NOW)).unwrap();
    // 10 weekdays less the skipped Friday, 6 slots a day; today (10:00 now) loses the 09:00,
    // 09:30 and 10:00 slots, which have started.
    assert_eq!(slots.len(), 9 * 6 - 3);
    let first = slots.first().unwrap().clone().with_id(SlotId::new());
    assert_eq!(first.when_ja(), "2026年11月30日 10:30〜11:00");
    let last = slots.last().unwrap().clone().with_id(SlotId::new());
    assert_eq!(last.when_ja(), "2026年12月11日 11:30〜12:00");
    assert!(slots.iter().all(|s| s.capacity == 2));
    assert!(slots.windows(2).all(|w| w[0].starts_at < w[1].starts_at));
    let days: BTreeSet<_> = slots
        .iter()
        .map(|s| s.clone().with_id(SlotId::new()).date())
        .collect();
    assert!(!days.contains(&date(2026, 12, 4)) && !days.contains(&date(2026, 12, 5)));
}

#[test]
fn a_slot_that_would_run_past_the_end_of_the_day_is_not_made() {
    let mut input = series();
    input.first_day = date(2026, 12, 1);
    input.last_day = date(2026, 12, 1);
    input.slot_minutes = 50;
    let slots = generate_series(&input, at(NOW)).unwrap();
    let ends: Vec<String> = slots
        .into_iter()
        .map(|s| s.with_id(SlotId::new()).when_ja())
        .collect();
    assert_eq!(
        ends,
        [
            "2026年12月1日 09:00〜09:50",
            "2026年12月1日 09:50〜10:40",
            "2026年12月1日 10:40〜11:30"
        ]
    );
}

#[test]
fn a_series_is_refused_for_what_is_wrong_with_it() {
    let refused = |change: fn(&mut SeriesInput)| {
        let mut input = series();
        change(&mut input);
        generate_series(&input, at(NOW)).unwrap_err()
    };
    assert_eq!(
        refused(|i| i.last_day = date(2026, 11, 29)),
        SlotError::SeriesDays
    );
    assert_eq!(
        refused(|i| i.first_day = date(2026, 11, 29)),
        SlotError::SeriesDays
    );
    assert_eq!(
        refused(|i| i.last_day = date(2027, 3, 31)),
        SlotError::SeriesTooLong
    );
    assert_eq!(refused(|i| i.weekdays.clear()), SlotError::NoWeekdays);
    assert_eq!(refused(|i| i.slot_minutes = 0), SlotError::SlotMinutes(0));
    assert_eq!(
        refused(|i| i.day_end = time(9, 20, 0, 0)),
        SlotError::NoSlotFits
    );
    assert_eq!(refused(|i| i.capacity = 0), SlotError::Capacity(0));
    let many = refused(|i| {
        i.last_day = date(2027, 2, 27);
        i.weekdays.extend([Weekday::Saturday, Weekday::Sunday]);
        i.day_start = time(0, 0, 0, 0);
        i.day_end = time(23, 59, 0, 0);
        i.slot_minutes = 5;
    });
    assert_eq!(many.code(), "slot_too_many");
}

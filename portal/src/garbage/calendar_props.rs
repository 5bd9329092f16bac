//! Property tests of [`Schedule`]: random rules and exceptions over two years, checked day by
//! day against the meaning of a schedule written out plainly.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday, date};
use proptest::prelude::*;

use super::*;

const WINDOW_DAYS: i64 = 800;

fn day_in_window() -> impl Strategy<Value = Date> {
    (0..WINDOW_DAYS).prop_map(|n| date(2026, 12, 1).checked_add(n.days()).unwrap())
}

fn any_rule() -> impl Strategy<Value = Rule> {
    prop_oneof![
        (0i8..7).prop_map(|n| Rule::Weekly(Weekday::from_monday_zero_offset(n).unwrap())),
        (0i8..7, 1u8..=5).prop_map(|(n, nth)| Rule::NthWeekday {
            weekday: Weekday::from_monday_zero_offset(n).unwrap(),
            nth,
        }),
        day_in_window().prop_map(Rule::Date),
    ]
}

fn any_exception() -> impl Strategy<Value = Exception> {
    let kinds = (0u64..16).prop_map(|bits| KindSet::of((0..4).filter(|i| bits & (1 << i) != 0)));
    prop_oneof![
        (day_in_window(), 0i64..20).prop_map(|(from, len)| Exception::Pause {
            from,
            to: from.checked_add(len.days()).unwrap(),
        }),
        (day_in_window(), kinds.clone()).prop_map(|(date, kinds)| Exception::Skip { date, kinds }),
        (day_in_window(), day_in_window(), kinds.clone())
            .prop_map(|(from, to, kinds)| Exception::Move { from, to, kinds }),
        (day_in_window(), kinds).prop_map(|(date, kinds)| Exception::Extra { date, kinds }),
    ]
}

fn any_schedule() -> impl Strategy<Value = Schedule> {
    let kinds = prop::collection::vec(prop::collection::vec(any_rule(), 0..4), 1..=4);
    (kinds, prop::collection::vec(any_exception(), 0..6)).prop_map(|(columns, exceptions)| {
        let kinds = columns
            .into_iter()
            .enumerate()
            .map(|(n, rules)| KindRules {
                label: format!("kind{n}"),
                rules,
            })
            .collect();
        Schedule::new(kinds, exceptions).unwrap()
    })
}

/// The meaning of a schedule written out plainly, to check the compiled tables against.
fn reference(schedule: &Schedule, day: Date) -> KindSet {
    let by_rules =
        |d: Date| {
            KindSet::of(
                schedule.kinds().iter().enumerate().filter_map(|(i, kind)| {
                    kind.rules.iter().any(|rule| rule.matches(d)).then_some(i)
                }),
            )
        };
    let (mut paused, mut removed, mut added) = (false, KindSet::EMPTY, KindSet::EMPTY);
    for exception in schedule.exceptions() {
        match *exception {
            Exception::Pause { from, to } => paused |= from <= day && day <= to,
            Exception::Skip { date, kinds } if date == day => removed = removed.union(kinds),
            Exception::Extra { date, kinds } if date == day => added = added.union(kinds),
            Exception::Move { from, to, kinds } => {
                if from == day {
                    removed = removed.union(by_rules(from).intersection(kinds));
                }
                if to == day {
                    added = added.union(by_rules(from).intersection(kinds));
                }
            }
            _ => {}
        }
    }
    let due = if paused {
        KindSet::EMPTY
    } else {
        by_rules(day).difference(removed)
    };
    due.union(added).intersection(schedule.all_kinds())
}

proptest! {
    #[test]
    fn expansion_is_sorted_inside_the_range_and_agrees_with_each_day(
        schedule in any_schedule(),
        from in day_in_window(),
        to in day_in_window(),
    ) {
        let expanded = schedule.collection_sets(from, to);
        prop_assert!(expanded.windows(2).all(|pair| pair[0].0 < pair[1].0));
        prop_assert!(expanded.iter().all(|(d, set)| from <= *d && *d <= to && !set.is_empty()));
        for day in from.series(1.day()).take_while(|d| *d <= to) {
            let in_expansion = expanded
                .iter()
                .find(|(d, _)| *d == day)
                .map_or(KindSet::EMPTY, |(_, set)| *set);
            prop_assert_eq!(schedule.collects_on_set(day), in_expansion);
            prop_assert_eq!(in_expansion, reference(&schedule, day), "{}", day);
        }
    }

    #[test]
    fn next_collection_is_the_first_collection_after_the_day(
        schedule in any_schedule(),
        after in day_in_window(),
    ) {
        let horizon = after.checked_add((NEXT_SEARCH_DAYS as i64).days()).unwrap();
        let expanded = schedule.collection_sets(after.tomorrow().unwrap(), horizon);
        for (index, (_, next)) in schedule.next_collections(after).into_iter().enumerate() {
            let first = expanded.iter().find(|(_, set)| set.contains(index)).map(|(d, _)| *d);
            prop_assert_eq!(next, first);
        }
    }
}

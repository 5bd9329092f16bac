use jiff::civil::{Date, Weekday, date};
use proptest::prelude::*;

use super::*;
use crate::i18n::Lang;

fn every_day_of(year: i16) -> impl Iterator<Item = Date> {
    use jiff::ToSpan;
    date(year, 1, 1)
        .series(1.day())
        .take_while(move |day| day.year() == year)
}

#[test]
fn reads_the_three_kinds_of_rule() {
    assert_eq!(
        parse_rules("月 木").unwrap(),
        [
            Rule::Weekly(Weekday::Monday),
            Rule::Weekly(Weekday::Thursday)
        ]
    );
    assert_eq!(
        parse_rules("火1 火3").unwrap(),
        [
            Rule::NthWeekday {
                weekday: Weekday::Tuesday,
                nth: 1
            },
            Rule::NthWeekday {
                weekday: Weekday::Tuesday,
                nth: 3
            },
        ]
    );
    assert_eq!(
        parse_rules("20270105 20270119").unwrap(),
        [Rule::Date(date(2027, 1, 5)), Rule::Date(date(2027, 1, 19))]
    );
    assert_eq!(parse_rules("").unwrap(), []);
    assert_eq!(parse_rules("  ").unwrap(), []);
}

#[test]
fn full_width_spaces_and_digits_are_read_and_written_back_canonically() {
    let rules = parse_rules("月　木  水２ ２０２７０１０５").unwrap();
    assert_eq!(
        rules,
        [
            Rule::Weekly(Weekday::Monday),
            Rule::Weekly(Weekday::Thursday),
            Rule::NthWeekday {
                weekday: Weekday::Wednesday,
                nth: 2
            },
            Rule::Date(date(2027, 1, 5)),
        ]
    );
    assert_eq!(format_rules(&rules), "月 木 水2 20270105");
}

#[test]
fn every_kanazawa_style_cell_round_trips_exactly() {
    for cell in [
        "月 木",
        "水2",
        "火1 火3",
        "水4",
        "日 土5",
        "20270105 20270119",
        "",
    ] {
        assert_eq!(format_rules(&parse_rules(cell).unwrap()), cell);
    }
}

#[test]
fn bad_tokens_are_named_in_the_error() {
    let error = parse_rules("月 月曜 木").unwrap_err();
    assert_eq!(error.token, "月曜");
    assert_eq!(error.reason, RuleErrorReason::UnknownToken);
    assert!(error.to_string().contains("「月曜」"), "{error}");
    assert!(error.message(Lang::En).contains("\"月曜\""));

    for (cell, token, reason) in [
        ("水6", "水6", RuleErrorReason::NthOutOfRange),
        ("火1 水0", "水0", RuleErrorReason::NthOutOfRange),
        ("水12", "水12", RuleErrorReason::NthOutOfRange),
        ("20270230", "20270230", RuleErrorReason::NoSuchDate),
        ("20270229", "20270229", RuleErrorReason::NoSuchDate),
        ("2027015", "2027015", RuleErrorReason::UnknownToken),
        ("Mon", "Mon", RuleErrorReason::UnknownToken),
        ("水2a", "水2a", RuleErrorReason::UnknownToken),
        ("毎週", "毎週", RuleErrorReason::UnknownToken),
    ] {
        let error = parse_rules(cell).unwrap_err();
        assert_eq!(
            (error.token.as_str(), error.reason),
            (token, reason),
            "{cell}"
        );
        assert!(error.to_string().contains(token));
    }
    assert_eq!(
        parse_rules("20280229").unwrap(),
        [Rule::Date(date(2028, 2, 29))],
        "2028 is a leap year"
    );
}

#[test]
fn second_wednesdays_of_2027_are_exactly_the_twelve_jiff_finds() {
    let rule = Rule::parse_token("水2").unwrap();
    let matched: Vec<Date> = every_day_of(2027).filter(|d| rule.matches(*d)).collect();
    let expected: Vec<Date> = (1..=12)
        .map(|month| {
            date(2027, month, 1)
                .nth_weekday_of_month(2, Weekday::Wednesday)
                .unwrap()
        })
        .collect();
    assert_eq!(matched, expected);
    assert_eq!(matched.first(), Some(&date(2027, 1, 13)));
}

#[test]
fn fifth_weekdays_fall_only_in_the_months_that_have_one() {
    for year in [2027, 2028] {
        for weekday in [Weekday::Monday, Weekday::Friday, Weekday::Sunday] {
            let rule = Rule::NthWeekday { weekday, nth: 5 };
            let matched: Vec<Date> = every_day_of(year).filter(|d| rule.matches(*d)).collect();
            let expected: Vec<Date> = (1..=12)
                .filter_map(|m| date(year, m, 1).nth_weekday_of_month(5, weekday).ok())
                .collect();
            assert_eq!(matched, expected, "{year} {weekday:?}");
            assert!((4..=5).contains(&matched.len()), "{year} {weekday:?}");
        }
    }
    // 2028-02-29 is a Tuesday: the leap day makes February's only fifth weekday.
    let fifth_tuesday = Rule::parse_token("火5").unwrap();
    assert!(fifth_tuesday.matches(date(2028, 2, 29)));
    assert!(!every_day_of(2027).any(|d| d.month() == 2 && fifth_tuesday.matches(d)));
}

#[test]
fn weekly_rules_match_every_such_day_of_a_leap_year() {
    let rule = Rule::parse_token("日").unwrap();
    let sundays = every_day_of(2028).filter(|d| rule.matches(*d)).count();
    let by_jiff = every_day_of(2028)
        .filter(|d| d.weekday() == Weekday::Sunday)
        .count();
    assert_eq!(
        (sundays, by_jiff),
        (53, 53),
        "2028 starts on a Saturday, 366 days"
    );
}

fn any_weekday() -> impl Strategy<Value = Weekday> {
    (0i8..7).prop_map(|n| Weekday::from_monday_zero_offset(n).unwrap())
}

pub(super) fn any_rule() -> impl Strategy<Value = Rule> {
    prop_oneof![
        any_weekday().prop_map(Rule::Weekly),
        (any_weekday(), 1..=MAX_NTH).prop_map(|(weekday, nth)| Rule::NthWeekday { weekday, nth }),
        (1900i16..=2100, 1i8..=12, 1i8..=31)
            .prop_filter_map("a calendar date", |(y, m, d)| Date::new(y, m, d).ok())
            .prop_map(Rule::Date),
    ]
}

proptest! {
    #[test]
    fn formatting_then_reading_gives_the_same_rules(rules in prop::collection::vec(any_rule(), 0..6)) {
        let cell = format_rules(&rules);
        prop_assert_eq!(parse_rules(&cell).unwrap(), rules);
        prop_assert_eq!(format_rules(&parse_rules(&cell).unwrap()), cell);
    }

    #[test]
    fn reading_any_text_never_panics_and_errors_name_a_token_of_it(cell in "\\PC{0,20}") {
        if let Err(error) = parse_rules(&cell) {
            prop_assert!(cell.contains(&error.token));
        }
    }
}

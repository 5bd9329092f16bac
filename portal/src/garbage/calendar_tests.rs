use jiff::ToSpan;
use jiff::civil::{Weekday, date};

use super::*;
use crate::garbage::rules::parse_rules;

/// 浅野 of Kanazawa's data: 燃やすごみ 月 木, 燃やさないごみ 水2, 資源 火1 火3, びん 水4.
fn asano(exceptions: Vec<Exception>) -> Schedule {
    let columns = [
        ("燃やすごみ", "月 木"),
        ("燃やさないごみ", "水2"),
        ("資源", "火1 火3"),
        ("びん", "水4"),
    ];
    let kinds = columns
        .iter()
        .map(|(label, cell)| KindRules {
            label: (*label).to_owned(),
            rules: parse_rules(cell).unwrap(),
        })
        .collect();
    Schedule::new(kinds, exceptions).unwrap()
}

/// 年末年始 as Kanazawa's center.csv has it, one year on.
fn new_year_pause() -> Exception {
    Exception::Pause {
        from: date(2027, 12, 29),
        to: date(2028, 1, 3),
    }
}

#[test]
fn a_whole_year_has_every_rule_day_and_no_other() {
    let schedule = asano(vec![]);
    let days = schedule.collection_days(date(2027, 1, 1), date(2027, 12, 31));
    let burnable = days
        .iter()
        .filter(|(_, k)| k.contains(&"燃やすごみ"))
        .count();
    let by_jiff = date(2027, 1, 1)
        .series(1.day())
        .take_while(|d| d.year() == 2027)
        .filter(|d| matches!(d.weekday(), Weekday::Monday | Weekday::Thursday))
        .count();
    assert_eq!((burnable, by_jiff), (104, 104));
    // 104 Mondays and Thursdays, 12 second and 12 fourth Wednesdays, 24 first and third Tuesdays.
    assert_eq!(days.len(), 104 + 12 + 12 + 24);
    assert_eq!(
        days.first(),
        Some(&(date(2027, 1, 4), vec!["燃やすごみ"])),
        "2027-01-01 is a Friday; the 4th is the first Monday"
    );
    assert_eq!(days.get(1), Some(&(date(2027, 1, 5), vec!["資源"])));
    assert!(
        schedule
            .collection_days(date(2027, 2, 1), date(2027, 1, 31))
            .is_empty()
    );
}

#[test]
fn kinds_of_one_day_keep_the_column_order() {
    // 夕日寺: 燃やさないごみ and びん both on the first Wednesday.
    let kinds = vec![
        KindRules {
            label: "燃やさないごみ".into(),
            rules: parse_rules("水1").unwrap(),
        },
        KindRules {
            label: "びん".into(),
            rules: parse_rules("水1").unwrap(),
        },
    ];
    let schedule = Schedule::new(kinds, vec![]).unwrap();
    assert_eq!(
        schedule.collects_on(date(2027, 1, 6)),
        ["燃やさないごみ", "びん"]
    );
    assert!(schedule.collects_on(date(2027, 1, 13)).is_empty());
}

#[test]
fn a_pause_across_the_year_end_stops_every_kind_between_its_days() {
    let schedule = asano(vec![new_year_pause()]);
    let days = schedule.collection_days(date(2027, 12, 20), date(2028, 1, 10));
    assert_eq!(
        days,
        [
            (date(2027, 12, 20), vec!["燃やすごみ"]),
            (date(2027, 12, 21), vec!["資源"]),
            (date(2027, 12, 22), vec!["びん"]),
            (date(2027, 12, 23), vec!["燃やすごみ"]),
            (date(2027, 12, 27), vec!["燃やすごみ"]),
            // 12/30 (Thu) and 1/3 (Mon) are paused.
            (date(2028, 1, 4), vec!["資源"]),
            (date(2028, 1, 6), vec!["燃やすごみ"]),
            (date(2028, 1, 10), vec!["燃やすごみ"]),
        ]
    );
    assert!(
        asano(vec![])
            .collects_on_set(date(2027, 12, 30))
            .contains(0)
    );
}

#[test]
fn moved_skipped_and_extra_days_change_only_what_they_name() {
    let burnable = KindSet::single(0);
    let bottles = KindSet::single(3);
    let schedule = asano(vec![
        new_year_pause(),
        // The paused Thursday's 燃やすごみ is collected on Tuesday the 28th instead.
        Exception::Move {
            from: date(2027, 12, 30),
            to: date(2027, 12, 28),
            kinds: burnable,
        },
        Exception::Skip {
            date: date(2028, 1, 6),
            kinds: burnable,
        },
        // Explicit days win over the pause.
        Exception::Extra {
            date: date(2028, 1, 2),
            kinds: bottles,
        },
        // Nothing of びん is due on 1/10, so nothing moves.
        Exception::Move {
            from: date(2028, 1, 10),
            to: date(2028, 1, 11),
            kinds: bottles,
        },
    ]);
    let days = schedule.collection_days(date(2027, 12, 27), date(2028, 1, 11));
    assert_eq!(
        days,
        [
            (date(2027, 12, 27), vec!["燃やすごみ"]),
            (date(2027, 12, 28), vec!["燃やすごみ"]),
            (date(2028, 1, 2), vec!["びん"]),
            (date(2028, 1, 4), vec!["資源"]),
            (date(2028, 1, 10), vec!["燃やすごみ"]),
        ]
    );
}

#[test]
fn a_move_takes_only_the_named_kinds_off_the_day() {
    // 2027-01-14 is a Thursday; make it also a びん day, then move only 燃やすごみ.
    let schedule = asano(vec![
        Exception::Extra {
            date: date(2027, 1, 14),
            kinds: KindSet::single(3),
        },
        Exception::Move {
            from: date(2027, 1, 14),
            to: date(2027, 1, 15),
            kinds: KindSet::single(0),
        },
    ]);
    assert_eq!(schedule.collects_on(date(2027, 1, 14)), ["びん"]);
    assert_eq!(schedule.collects_on(date(2027, 1, 15)), ["燃やすごみ"]);
}

#[test]
fn next_collection_of_each_kind_jumps_over_the_pause() {
    let schedule = asano(vec![new_year_pause()]);
    assert_eq!(
        schedule.next_collections(date(2027, 12, 27)),
        [
            ("燃やすごみ", Some(date(2028, 1, 6))),
            ("燃やさないごみ", Some(date(2028, 1, 12))),
            ("資源", Some(date(2028, 1, 4))),
            ("びん", Some(date(2028, 1, 26))),
        ]
    );
    let once = Schedule::new(
        vec![KindRules {
            label: "粗大ごみ".into(),
            rules: parse_rules("20270105").unwrap(),
        }],
        vec![],
    )
    .unwrap();
    assert_eq!(
        once.next_collections(date(2027, 1, 4)),
        [("粗大ごみ", Some(date(2027, 1, 5)))]
    );
    assert_eq!(
        once.next_collections(date(2027, 1, 5)),
        [("粗大ごみ", None)]
    );
}

#[test]
fn bad_schedules_are_refused() {
    let pause = Exception::Pause {
        from: date(2028, 1, 3),
        to: date(2027, 12, 29),
    };
    let kinds = asano(vec![]).kinds().to_vec();
    assert_eq!(
        Schedule::new(kinds, vec![pause]),
        Err(ScheduleError::PauseEndsBeforeStart {
            from: date(2028, 1, 3),
            to: date(2027, 12, 29)
        })
    );
    let many = (0..65)
        .map(|n| KindRules {
            label: format!("kind{n}"),
            rules: vec![],
        })
        .collect();
    assert_eq!(
        Schedule::new(many, vec![]),
        Err(ScheduleError::TooManyKinds(65))
    );
}

#[test]
fn areas_collecting_on_a_day_are_found_without_expanding() {
    let collecting = asano(vec![]);
    let empty = Schedule::new(
        vec![KindRules {
            label: "資源".into(),
            rules: vec![],
        }],
        vec![],
    )
    .unwrap();
    assert!(empty.has_no_rules() && !collecting.has_no_rules());
    let areas = [("浅野", &collecting), ("空", &empty)];
    assert_eq!(
        areas_collecting_on(areas, date(2027, 1, 4)),
        [("浅野", KindSet::single(0))]
    );
    assert!(areas_collecting_on(areas, date(2027, 1, 1)).is_empty());
}

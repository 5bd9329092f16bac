//! The city compiled from real data (Kanazawa's 5374 files): areas found by name, calendars
//! with the exceptions staff add, and exceptions that name a kind the data lost.

#![allow(clippy::unwrap_used)]

use jiff::{Timestamp, civil::date};

use super::*;
use crate::garbage::Five374Files;

fn kanazawa() -> StoredGarbage {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/data/5374/kanazawa/");
    let read = |name: &str| std::fs::read_to_string(format!("{dir}{name}")).unwrap();
    let files = Five374Files {
        area_days: read("area_days.csv"),
        center: read("center.csv"),
        description: read("description.csv"),
        target: read("target.csv"),
        remarks: None,
    };
    let data = import(&files).unwrap().data;
    StoredGarbage {
        files,
        revision: 3,
        imported_at: Timestamp::UNIX_EPOCH,
        areas: data
            .areas
            .iter()
            .enumerate()
            .map(|(n, area)| (n as i64 + 1, area.name.clone(), true))
            .collect(),
    }
}

fn exception(
    area_id: Option<i64>,
    kind: ExceptionKind,
    from: Date,
    kinds: &[&str],
) -> StoredException {
    StoredException {
        exception_id: 7,
        area_id,
        kind,
        from,
        to: None,
        kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
        note: "祝日".into(),
    }
}

#[test]
fn areas_are_found_by_name_and_calendars_follow_the_rules() {
    let city = City::build(&kanazawa(), Vec::new()).unwrap();
    assert_eq!(city.areas.len(), 71);
    let asano = city.search_areas("浅野", 10);
    assert_eq!(asano.first().unwrap().name, "浅野", "the exact name first");
    assert!(asano.iter().any(|area| area.name == "浅野川"));
    assert!(city.search_areas("", 10).is_empty());
    let id = asano.first().unwrap().area_id;
    // 浅野: 燃やすごみ on Mondays and Thursdays. 2014-01-06 is a Monday after the pause.
    let days = city
        .calendar(id, date(2014, 1, 6), date(2014, 1, 9))
        .unwrap();
    assert_eq!(
        days.first().unwrap(),
        &(date(2014, 1, 6), vec!["燃やすごみ"])
    );
    assert!(days.iter().any(|(d, _)| *d == date(2014, 1, 9)));
}

#[test]
fn exceptions_change_the_calendar_and_stale_ones_are_reported() {
    let stored = kanazawa();
    let id = 1;
    let monday = date(2014, 1, 6);
    let skip = exception(Some(id), ExceptionKind::Skip, monday, &["燃やすごみ"]);
    let other_area = exception(Some(2), ExceptionKind::Skip, date(2014, 1, 9), &[]);
    let stale = StoredException {
        exception_id: 8,
        ..exception(None, ExceptionKind::Extra, monday, &["粗大ごみ"])
    };
    let city = City::build(&stored, vec![skip, other_area, stale]).unwrap();
    assert!(city.schedule(id).unwrap().collects_on(monday).is_empty());
    assert_eq!(city.stale_exceptions, [8]);
    assert_eq!(city.exceptions.len(), 3);
}

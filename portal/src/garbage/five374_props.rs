//! Property test of the 5374 round trip: any data the importer can return — names and notes
//! with commas, quotes, line breaks and full-width spaces inside — is written and read back
//! unchanged.

use std::collections::BTreeSet;

use jiff::ToSpan;
use jiff::civil::{Weekday, date};
use proptest::prelude::*;

use super::*;
use crate::garbage::data::{Area, Center, KindDescription, Remark, Target};
use crate::garbage::rules::Rule;

/// Text as the importer keeps it: trimmed, with the characters CSV must quote inside.
fn text() -> impl Strategy<Value = String> {
    "[a-zあ-ん燃資,\"\r\n 　]{0,8}".prop_map(|s| s.trim().to_owned())
}

fn name() -> impl Strategy<Value = String> {
    text().prop_filter("a name is not empty", |s| !s.is_empty())
}

fn rule() -> impl Strategy<Value = Rule> {
    let weekday = (0i8..7).prop_map(|n| Weekday::from_monday_zero_offset(n).unwrap());
    prop_oneof![
        weekday.clone().prop_map(Rule::Weekly),
        (weekday, 1u8..=5).prop_map(|(weekday, nth)| Rule::NthWeekday { weekday, nth }),
        (0i64..3000).prop_map(|n| Rule::Date(date(2026, 1, 1).checked_add(n.days()).unwrap())),
    ]
}

fn garbage_data() -> impl Strategy<Value = GarbageData> {
    let kinds = prop::collection::btree_set(name(), 1..5);
    let centers = prop::collection::btree_set(name(), 0..3);
    let areas = prop::collection::btree_set(name(), 0..5);
    (kinds, centers, areas).prop_flat_map(|(kinds, centers, areas)| {
        let kinds: Vec<String> = kinds.into_iter().collect();
        let count = kinds.len();
        let center_names: Vec<String> = centers.iter().cloned().collect();
        let pauses =
            prop::collection::vec(prop::option::of((0i64..800, 0i64..30)), center_names.len());
        let area_rows = prop::collection::vec(
            (
                prop::option::of(0..center_names.len().max(1)),
                prop::collection::vec(prop::collection::vec(rule(), 0..3), count),
            ),
            areas.len(),
        );
        let descriptions = prop::collection::vec((text(), text(), text(), text()), count);
        let targets = prop::collection::vec((0..count, name(), text(), text()), 0..5);
        let remarks = prop::option::of(prop::collection::vec((name(), text()), 0..3));
        (
            Just(kinds),
            Just(center_names),
            Just(areas),
            pauses,
            area_rows,
            descriptions,
            targets,
            remarks,
        )
            .prop_map(build)
    })
}

type Parts = (
    Vec<String>,
    Vec<String>,
    BTreeSet<String>,
    Vec<Option<(i64, i64)>>,
    Vec<(Option<usize>, Vec<Vec<Rule>>)>,
    Vec<(String, String, String, String)>,
    Vec<(usize, String, String, String)>,
    Option<Vec<(String, String)>>,
);

fn build(parts: Parts) -> GarbageData {
    let (kinds, center_names, areas, pauses, area_rows, descriptions, targets, remarks) = parts;
    let day = |n: i64| date(2026, 12, 1).checked_add(n.days()).unwrap();
    GarbageData {
        descriptions: kinds
            .iter()
            .rev()
            .zip(descriptions)
            .map(
                |(label, (sublabel, description, styles, bgcolor))| KindDescription {
                    label: label.clone(),
                    sublabel,
                    description,
                    styles,
                    bgcolor,
                },
            )
            .collect(),
        centers: center_names
            .iter()
            .zip(pauses)
            .map(|(name, pause)| Center {
                name: name.clone(),
                pause: pause.map(|(start, len)| (day(start), day(start + len))),
            })
            .collect(),
        areas: areas
            .into_iter()
            .zip(area_rows)
            .map(|(name, (center, rules))| Area {
                name,
                center: center.and_then(|i| center_names.get(i).cloned()),
                rules,
            })
            .collect(),
        targets: targets
            .into_iter()
            .map(|(kind, name, notice, furigana)| Target {
                kind: kinds[kind].clone(),
                name,
                notice,
                furigana,
            })
            .collect(),
        remarks: remarks.map(|rows| {
            rows.into_iter()
                .map(|(id, text)| Remark { id, text })
                .collect()
        }),
        kinds,
    }
}

proptest! {
    #[test]
    fn export_then_import_gives_back_the_same_data(data in garbage_data()) {
        let imported = import(&export(&data));
        prop_assert!(imported.is_ok(), "{:?}", imported);
        prop_assert_eq!(imported.unwrap().data, data);
    }
}

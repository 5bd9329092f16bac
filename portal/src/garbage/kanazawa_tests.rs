//! The importer over Kanazawa's real 5374 files (kept in `portal/data/5374/kanazawa/`).

use jiff::civil::{Weekday, date};

use super::*;
use crate::garbage::rules::Rule;

macro_rules! kanazawa {
    ($file:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/5374/kanazawa/",
            $file
        ))
    };
}

fn kanazawa_files() -> Five374Files {
    Five374Files {
        area_days: kanazawa!("area_days.csv").to_owned(),
        center: kanazawa!("center.csv").to_owned(),
        description: kanazawa!("description.csv").to_owned(),
        target: kanazawa!("target.csv").to_owned(),
        remarks: None,
    }
}

#[test]
fn kanazawa_imports_with_its_own_kinds_areas_and_dictionary() {
    let Imported { data, warnings } = import(&kanazawa_files()).unwrap();
    assert_eq!(warnings, []);
    assert_eq!(data.kinds, ["燃やすごみ", "燃やさないごみ", "資源", "びん"]);
    assert_eq!(data.areas.len(), 71);
    assert_eq!(data.centers.len(), 2);
    assert_eq!(data.targets.len(), 1037);
    assert_eq!(data.remarks, None);
    assert_eq!(
        data.description("燃やすごみ").map(|d| d.styles.as_str()),
        Some("img/moyasu02.svg")
    );

    let asano = data.area("浅野").unwrap();
    assert_eq!(asano.center.as_deref(), Some("東部管理センター"));
    assert_eq!(
        asano.rules.first().unwrap(),
        &[
            Rule::Weekly(Weekday::Monday),
            Rule::Weekly(Weekday::Thursday)
        ]
    );
    assert_eq!(
        data.center("東部管理センター").unwrap().pause,
        Some((date(2013, 12, 29), date(2014, 1, 3)))
    );

    let icepick = data
        .targets
        .iter()
        .find(|t| t.name == "アイスピック")
        .unwrap();
    assert_eq!(icepick.kind, "燃やさないごみ");
    assert!(icepick.notice.starts_with("先端部を紙で包み"));
    let can = data.targets.iter().find(|t| t.name == "アルミ缶").unwrap();
    assert_eq!(can.kind, "資源");
}

#[test]
fn kanazawa_calendar_stops_over_new_year_and_resumes() {
    let data = import(&kanazawa_files()).unwrap().data;
    let asano = data.schedule(data.area("浅野").unwrap(), &[]).unwrap();
    assert_eq!(
        asano.collection_days(date(2013, 12, 23), date(2014, 1, 9)),
        [
            (date(2013, 12, 23), vec!["燃やすごみ"]),
            (date(2013, 12, 25), vec!["びん"]),
            (date(2013, 12, 26), vec!["燃やすごみ"]),
            // 12/30 (Mon) and 1/2 (Thu) fall in the 年末年始 pause.
            (date(2014, 1, 6), vec!["燃やすごみ"]),
            (date(2014, 1, 7), vec!["資源"]),
            (date(2014, 1, 8), vec!["燃やさないごみ"]),
            (date(2014, 1, 9), vec!["燃やすごみ"]),
        ]
    );
    // Every area collects 燃やすごみ twice a week: from the day after the pause to 12/28 of 2014
    // there are 51 Mondays and 51 Thursdays, and 51 Tuesdays and 51 Fridays.
    for area in &data.areas {
        let schedule = data.schedule(area, &[]).unwrap();
        let days = schedule.collection_days(date(2014, 1, 4), date(2014, 12, 28));
        let burnable = days
            .iter()
            .filter(|(_, k)| k.contains(&"燃やすごみ"))
            .count();
        assert_eq!(burnable, 102, "{}", area.name);
    }
}

#[test]
fn kanazawa_exports_back_to_the_same_data_and_nearly_the_same_bytes() {
    let first = import(&kanazawa_files()).unwrap();
    let exported = export(&first.data);
    assert_eq!(import(&exported).unwrap(), first);
    // The rule cells and centers come out as Kanazawa wrote them (but for a final line break);
    // description.csv gains the empty bgcolor column.
    let original = kanazawa_files();
    assert_eq!(exported.area_days.trim_end(), original.area_days.trim_end());
    assert_eq!(exported.center.trim_end(), original.center.trim_end());
    assert_eq!(exported.remarks, None);
    // The dictionary too, except 8 notices that end in full-width spaces, which fields lose.
    let lines = exported.target.lines().zip(original.target.lines());
    let changed: Vec<(&str, &str)> = lines.filter(|(out, was)| out != was).collect();
    assert_eq!(changed.len(), 8);
    for (out, was) in changed {
        assert_eq!(out, was.replace("　", ""));
    }
    assert_eq!(
        exported.target.lines().count(),
        original.target.lines().count()
    );
}

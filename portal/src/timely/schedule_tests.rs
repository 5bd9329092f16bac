use super::*;

const MINIMAL: &str = r#"
[[category]]
id = "checkup"
name = { ja = "乳幼児健診" }

[[child]]
id = "kenshin-4m"
category = "checkup"
months = 4
title = { ja = "4か月児健診" }
body = { ja = "{name}さん" }
"#;

fn refused(text: &str) -> ScheduleError {
    Schedule::from_toml(text).unwrap_err()
}

#[test]
fn the_embedded_schedule_has_the_city_checkups_and_stages() {
    let schedule = Schedule::embedded().unwrap();
    let ids: Vec<&str> = schedule
        .categories()
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["pregnancy", "checkup", "vaccination", "event"]);
    let item = |id: &str| schedule.items().iter().find(|i| i.id == id).unwrap();
    assert_eq!(item("week20").when, When::PregnancyWeek(20));
    assert_eq!(item("week20").title.ja, "両親学級のご案内");
    assert_eq!(
        item("kenshin-4m").when,
        When::ChildAge {
            months: 4,
            days: 0,
            remind_days_before: 14
        }
    );
    assert!(matches!(
        item("kenshin-1y6m").when,
        When::ChildAge { months: 18, .. }
    ));
    assert_eq!(item("kenshin-3y").title.get(Lang::Ja), "3歳児健診のご案内");
    for item in schedule.items() {
        assert!(
            item.title.en.is_some() && item.body.en.is_some(),
            "{}",
            item.id
        );
    }
}

#[test]
fn english_falls_back_to_japanese() {
    let schedule = Schedule::from_toml(MINIMAL).unwrap();
    let item = schedule.items().first().unwrap();
    assert_eq!(item.title.get(Lang::En), "4か月児健診");
}

#[test]
fn a_broken_file_is_refused_with_its_line() {
    let error = refused("[[category]]\nid = \"a\"\nname = { ja = \"x\" \n");
    assert_eq!(error.code(), "timely_toml");
    assert_eq!(error.line, 3);
    assert!(error.message(Lang::Ja).starts_with("3行目: "), "{error}");
    assert!(error.message(Lang::En).starts_with("line 3: "));
}

#[test]
fn an_unknown_key_is_refused_with_its_line() {
    let text = MINIMAL.replace("months = 4", "months = 4\nweeks = 2");
    let error = refused(&text);
    assert_eq!(error.code(), "timely_toml");
    assert_eq!(error.line, 10);
    assert!(
        error.message(Lang::En).contains("weeks"),
        "{}",
        error.message(Lang::En)
    );
}

#[test]
fn an_item_in_an_unlisted_category_names_the_category_line() {
    let error = refused(&MINIMAL.replace("category = \"checkup\"", "category = \"kenshin\""));
    assert_eq!(
        error,
        ScheduleError {
            line: 8,
            problem: ScheduleProblem::UnknownCategory("kenshin".into())
        }
    );
    assert_eq!(
        error.to_string(),
        "8行目: 分類「kenshin」は [[category]] にありません"
    );
}

#[test]
fn ranges_ids_and_japanese_are_checked() {
    let twice = format!(
        "{MINIMAL}{}",
        &MINIMAL[MINIMAL.find("[[child]]").unwrap()..]
    );
    assert_eq!(
        refused(&twice).problem,
        ScheduleProblem::DuplicateId("kenshin-4m".into())
    );
    assert_eq!(refused(&twice).line, 13);
    let months = refused(&MINIMAL.replace("months = 4", "months = 300"));
    assert_eq!((months.line, months.code()), (9, "timely_age_out_of_range"));
    let remind = refused(&MINIMAL.replace("months = 4", "months = 4\nremind_days_before = 400"));
    assert_eq!(remind.problem, ScheduleProblem::RemindTooEarly(400));
    let id = refused(&MINIMAL.replace("kenshin-4m", "健診"));
    assert_eq!(id.problem, ScheduleProblem::BadId("健診".into()));
    let title = refused(&MINIMAL.replace("4か月児健診", " "));
    assert_eq!(title.problem, ScheduleProblem::NoJapanese);
    let week = MINIMAL
        .replace("[[child]]", "[[pregnancy]]")
        .replace("months = 4", "week = 45");
    assert_eq!(refused(&week).problem, ScheduleProblem::WeekOutOfRange(45));
    assert_eq!(refused(&week).line, 9);
    let none = refused("");
    assert_eq!((none.line, none.code()), (0, "timely_no_categories"));
}

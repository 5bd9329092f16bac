use jiff::civil::date;
use proptest::prelude::*;
use uuid::Uuid;

use super::*;

fn schedule() -> Schedule {
    Schedule::embedded().unwrap()
}

fn child(birth: Date) -> ChildFacts {
    ChildFacts {
        child_id: ChildId(Uuid::from_u128(7)),
        given_name: "はると".into(),
        birth_date: birth,
    }
}

fn family(due: Option<Date>, births: &[Date]) -> FamilyFacts {
    FamilyFacts {
        pregnancies: due
            .map(|due_date| Pregnancy {
                key: "p1".into(),
                due_date,
            })
            .into_iter()
            .collect(),
        children: births.iter().copied().map(child).collect(),
    }
}

fn ids(messages: &[DueMessage]) -> Vec<&str> {
    messages.iter().map(|m| m.item_id.as_str()).collect()
}

const NOTHING_OFF: &BTreeSet<String> = &BTreeSet::new();

#[test]
fn a_pregnancy_stage_message_is_due_on_the_first_day_of_its_week() {
    let due_date = date(2026, 10, 1);
    let family = family(Some(due_date), &[]);
    // 妊娠20週0日 is 140 days before the due date.
    let week20 = date(2026, 5, 14);
    let messages = due(&schedule(), &family, week20, NOTHING_OFF, 0);
    assert_eq!(ids(&messages), ["week20"]);
    let message = messages.first().unwrap();
    assert_eq!(message.key, "pregnancy:p1:week20");
    assert_eq!(message.subject, Subject::Pregnancy("p1".into()));
    assert_eq!(message.title(Lang::Ja), "両親学級のご案内");
    assert_eq!(message.title(Lang::En), "Classes for parents-to-be");
    assert_eq!((message.send_on, message.reached_on), (week20, week20));
    assert!(due(&schedule(), &family, date(2026, 5, 13), NOTHING_OFF, 0).is_empty());
    assert!(due(&schedule(), &family, date(2026, 5, 15), NOTHING_OFF, 0).is_empty());
}

#[test]
fn a_checkup_reminder_goes_out_its_lead_before_the_age() {
    let birth = date(2026, 1, 31);
    let family = family(None, &[birth]);
    // 4か月 on 5月31日; the reminder 14 days before.
    let messages = due(&schedule(), &family, date(2026, 5, 17), NOTHING_OFF, 0);
    assert_eq!(ids(&messages), ["kenshin-4m"]);
    let message = messages.first().unwrap();
    assert_eq!(message.reached_on, date(2026, 5, 31));
    assert_eq!(
        message.key,
        format!("child:{}:kenshin-4m", Uuid::from_u128(7))
    );
    assert!(
        message
            .body(Lang::Ja)
            .starts_with("はるとさんはもうすぐ生後4か月です。")
    );
    assert!(
        message
            .body(Lang::En)
            .starts_with("はると will soon be 4 months old.")
    );
    // 2か月 on 3月31日 (the 31st exists): the vaccination reminder a week before.
    let vaccines = due(&schedule(), &family, date(2026, 3, 24), NOTHING_OFF, 0);
    assert_eq!(ids(&vaccines), ["vaccine-2m"]);
    // 1歳6か月 on 2027年7月31日.
    let eighteen = due(&schedule(), &family, date(2027, 7, 17), NOTHING_OFF, 0);
    assert_eq!(ids(&eighteen), ["kenshin-1y6m"]);
}

#[test]
fn a_month_end_birth_reaches_one_month_on_the_last_of_february() {
    let text = r#"
[[category]]
id = "checkup"
name = { ja = "健診" }
[[child]]
id = "kenshin-1m"
category = "checkup"
months = 1
title = { ja = "1か月児健診" }
body = { ja = "{name}さん" }
"#;
    let schedule = Schedule::from_toml(text).unwrap();
    let on = |birth, today| {
        ids(&due(
            &schedule,
            &family(None, &[birth]),
            today,
            NOTHING_OFF,
            0,
        ))
        .len()
    };
    assert_eq!(on(date(2026, 1, 31), date(2026, 2, 28)), 1);
    assert_eq!(on(date(2028, 1, 31), date(2028, 2, 28)), 0);
    assert_eq!(on(date(2028, 1, 31), date(2028, 2, 29)), 1);
}

#[test]
fn a_turned_off_category_sends_nothing_of_it() {
    let family = family(None, &[date(2025, 11, 12)]);
    // 5か月 on 2026年4月12日: BCG (7 days before) and 離乳食教室 (on the day).
    let today = date(2026, 4, 12);
    let all = due(&schedule(), &family, today, NOTHING_OFF, 7);
    assert_eq!(ids(&all), ["vaccine-bcg", "rinyushoku"]);
    let off = BTreeSet::from(["vaccination".to_owned()]);
    assert_eq!(
        ids(&due(&schedule(), &family, today, &off, 7)),
        ["rinyushoku"]
    );
}

#[test]
fn the_catch_up_window_reaches_back_and_no_further() {
    let family = family(None, &[date(2026, 1, 31)]);
    // The 4-month reminder was due on 5月17日.
    let late = |today, window| ids(&due(&schedule(), &family, today, NOTHING_OFF, window)).len();
    assert_eq!(late(date(2026, 5, 20), 3), 1);
    assert_eq!(late(date(2026, 5, 21), 3), 0);
    assert_eq!(late(date(2026, 5, 16), 3), 0);
}

#[test]
fn twins_and_a_pregnancy_get_their_own_keys() {
    let mut family = family(Some(date(2026, 10, 1)), &[]);
    for n in [1, 2] {
        family.children.push(ChildFacts {
            child_id: ChildId(Uuid::from_u128(n)),
            given_name: format!("子{n}"),
            birth_date: date(2025, 1, 31),
        });
    }
    let all = timeline(&schedule(), &family, date(2025, 1, 1), date(2028, 12, 31));
    let keys: BTreeSet<&str> = all.iter().map(|m| m.key.as_str()).collect();
    assert_eq!(keys.len(), all.len(), "every message its own key");
    let days: Vec<Date> = all.iter().map(|m| m.send_on).collect();
    assert!(days.is_sorted());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn over_any_run_of_days_each_message_is_due_exactly_once(
        birth_offset in 0i64..2000,
        due_offset in 0i64..600,
    ) {
        let start = date(2025, 4, 1);
        let birth = start.checked_sub(birth_offset.days()).unwrap();
        let due_date = start.checked_add(due_offset.days()).unwrap();
        let family = family(Some(due_date), &[birth]);
        let schedule = schedule();
        let mut seen = BTreeSet::new();
        let mut day = start;
        let end = date(2027, 4, 1);
        while day <= end {
            for message in due(&schedule, &family, day, NOTHING_OFF, 0) {
                prop_assert!(seen.insert(message.key.clone()), "{} twice", message.key);
                prop_assert_eq!(message.send_on, day);
            }
            day = day.tomorrow().unwrap();
        }
        let expected = timeline(&schedule, &family, start, end);
        prop_assert_eq!(seen.len(), expected.len());
    }
}

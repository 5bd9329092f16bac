use jiff::civil::date;

use super::*;
use crate::health::service::Service;

fn techo() -> Questionnaire {
    Questionnaire::embedded(Service::BoshiTecho).unwrap()
}

fn visit() -> Questionnaire {
    Questionnaire::embedded(Service::AkachanHoumon).unwrap()
}

fn raw(pairs: &[(&str, &str)]) -> RawAnswers {
    let mut raw = RawAnswers::new();
    for (id, value) in pairs {
        raw.entry((*id).to_owned())
            .or_default()
            .push((*value).to_owned());
    }
    raw
}

const TODAY: Date = date(2026, 6, 1);

fn complete_techo() -> Vec<(&'static str, &'static str)> {
    vec![
        ("weeks", "10"),
        ("first_pregnancy", "yes"),
        ("feeling", "happy"),
        ("history", "asthma_allergy"),
        ("history", "thyroid"),
        ("smoking", "never"),
        ("smoking_household", "no"),
        ("drinking", "no"),
        ("support", "yes"),
        ("csrf", "token"),
    ]
}

#[test]
fn a_complete_questionnaire_is_taken_with_only_what_was_answered() {
    let answers = check_answers(&techo(), &raw(&complete_techo()), TODAY).unwrap();
    assert_eq!(answers.get("weeks"), Some(&Answer::Number(10)));
    assert_eq!(answers.get("first_pregnancy"), Some(&Answer::YesNo(true)));
    // Many-of answers come in the questionnaire's order, whatever the order posted.
    assert_eq!(
        answers.get("history"),
        Some(&Answer::ManyOf(vec![
            "thyroid".into(),
            "asthma_allergy".into()
        ]))
    );
    assert!(!answers.contains_key("consult"));
    assert!(!answers.contains_key("csrf"));
    let json = serde_json::to_string(&answers).unwrap();
    assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), answers);
}

#[test]
fn every_missing_required_answer_is_named_at_once() {
    let mut pairs = complete_techo();
    pairs.retain(|(id, _)| !matches!(*id, "weeks" | "smoking"));
    pairs.push(("support", "  "));
    pairs.retain(|(id, v)| *id != "support" || v.trim().is_empty());
    let errors = check_answers(&techo(), &raw(&pairs), TODAY).unwrap_err();
    let ids: Vec<&str> = errors.0.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["weeks", "smoking", "support"]);
    let missing = errors.for_question("weeks").unwrap();
    assert_eq!(missing.code(), "answer_missing");
    assert_eq!(missing.to_string(), "この質問は必須です。ご回答ください");
    assert_eq!(missing.message(Lang::En), "this question must be answered");
}

#[test]
fn numbers_are_read_as_people_type_them_and_kept_in_range() {
    let q = visit();
    let weight = |value: &str| {
        let mut pairs = vec![
            ("birth_date", "2026-05-20"),
            ("feeding", "mixed"),
            ("mother_health", "good"),
        ];
        pairs.extend([
            ("low_mood", "no"),
            ("no_interest", "no"),
            ("helper", "yes"),
            ("worries", "sleep"),
        ]);
        pairs.push(("birth_weight", value));
        check_answers(&q, &raw(&pairs), TODAY)
    };
    assert_eq!(
        weight("3,120").unwrap().get("birth_weight"),
        Some(&Answer::Number(3120))
    );
    assert_eq!(
        weight("３１２０").unwrap().get("birth_weight"),
        Some(&Answer::Number(3120))
    );
    let low = weight("250").unwrap_err();
    let error = low.for_question("birth_weight").unwrap();
    assert_eq!(
        error,
        &AnswerError::OutOfRange {
            min: 300,
            max: 6000
        }
    );
    assert_eq!(error.to_string(), "300から6000までの数でご記入ください");
    assert_eq!(
        weight("3.1kg").unwrap_err().for_question("birth_weight"),
        Some(&AnswerError::NotANumber)
    );
}

#[test]
fn choices_dates_and_lengths_are_checked_per_question() {
    let mut pairs = complete_techo();
    pairs.retain(|(id, _)| !matches!(*id, "feeling" | "history" | "first_pregnancy"));
    pairs.extend([
        ("feeling", "ecstatic"),
        ("history", "none"),
        ("history", "diabetes"),
        ("first_pregnancy", "maybe"),
        ("due_date", "2026-05-01"),
    ]);
    let long = "あ".repeat(201);
    pairs.push(("history_detail", long.as_str()));
    let errors = check_answers(&techo(), &raw(&pairs), TODAY).unwrap_err();
    assert_eq!(
        errors.for_question("feeling"),
        Some(&AnswerError::UnknownChoice("ecstatic".into()))
    );
    assert_eq!(
        errors.for_question("history").unwrap().message(Lang::Ja),
        "「なし」はほかの項目と一緒には選べません"
    );
    assert_eq!(
        errors.for_question("first_pregnancy"),
        Some(&AnswerError::NotYesNo)
    );
    assert_eq!(
        errors.for_question("due_date"),
        Some(&AnswerError::DateNotFuture)
    );
    assert_eq!(
        errors.for_question("history_detail"),
        Some(&AnswerError::TooLong { max_chars: 200 })
    );
    let two = raw(&[("smoking", "never"), ("smoking", "smokes")]);
    let errors = check_answers(&techo(), &two, TODAY).unwrap_err();
    assert_eq!(errors.for_question("smoking"), Some(&AnswerError::OneOnly));
}

#[test]
fn dates_take_slashes_and_full_width_digits() {
    let mut pairs = complete_techo();
    pairs.push(("due_date", "２０２７／１／５"));
    let answers = check_answers(&techo(), &raw(&pairs), TODAY).unwrap();
    assert_eq!(
        answers.get("due_date"),
        Some(&Answer::Date(date(2027, 1, 5)))
    );
    pairs.pop();
    pairs.push(("due_date", "来年1月"));
    let errors = check_answers(&techo(), &raw(&pairs), TODAY).unwrap_err();
    assert_eq!(
        errors.for_question("due_date").unwrap().code(),
        "answer_not_a_date"
    );
}

#[test]
fn answers_read_as_staff_see_them() {
    let q = techo();
    let answers = check_answers(&q, &raw(&complete_techo()), TODAY).unwrap();
    let show = |id: &str, lang| answers[id].display(q.question(id).unwrap(), lang);
    assert_eq!(show("weeks", Lang::Ja), "10週");
    assert_eq!(show("weeks", Lang::En), "10 weeks");
    assert_eq!(show("first_pregnancy", Lang::Ja), "はい");
    assert_eq!(
        show("history", Lang::Ja),
        "甲状腺の病気、ぜんそく・アレルギー"
    );
    assert_eq!(show("smoking", Lang::En), "I do not smoke");
}

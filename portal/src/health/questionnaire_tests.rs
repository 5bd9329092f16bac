use super::*;
use crate::health::questionnaire_error::QuestionnaireProblem as P;

const MINIMAL: &str = r#"
service = "boshi_techo"
title = { ja = "問診" }

[[question]]
id = "weeks"
kind = "number"
label = { ja = "妊娠週数" }
required = true
min = 4
max = 42
"#;

fn refused(text: &str) -> QuestionnaireError {
    Questionnaire::from_toml(text).unwrap_err()
}

#[test]
fn the_shipped_questionnaires_read_and_ask_what_the_office_asks() {
    let techo = Questionnaire::embedded(Service::BoshiTecho).unwrap();
    assert_eq!(techo.service, Service::BoshiTecho);
    let weeks = techo.question("weeks").unwrap();
    assert!(weeks.required);
    assert!(matches!(
        weeks.kind,
        QuestionKind::Number {
            min: 4,
            max: 42,
            ..
        }
    ));
    assert_eq!(
        techo.question("first_pregnancy").unwrap().kind,
        QuestionKind::YesNo
    );
    assert!(
        techo
            .question("history")
            .unwrap()
            .kind
            .choices()
            .iter()
            .any(|c| c.exclusive)
    );
    assert_eq!(
        techo.question("smoking").unwrap().label.get(Lang::Ja),
        "喫煙"
    );
    assert!(matches!(
        techo.question("consult").unwrap().kind,
        QuestionKind::LongText { max_chars: 1000 }
    ));
    let visit = Questionnaire::embedded(Service::AkachanHoumon).unwrap();
    assert_eq!(visit.service, Service::AkachanHoumon);
    assert_eq!(
        visit.question("birth_date").unwrap().kind,
        QuestionKind::Date(DateRange::Past)
    );
    assert_eq!(
        visit.question("birth_weight").unwrap().label.get(Lang::Ja),
        "出生体重"
    );
    assert_eq!(
        visit.question("feeding").unwrap().label.get(Lang::En),
        "Feeding"
    );
    for question in techo.questions.iter().chain(&visit.questions) {
        assert!(question.label.en.is_some(), "{}", question.id);
    }
}

#[test]
fn a_file_that_is_not_toml_names_its_line() {
    let error = refused(&MINIMAL.replace("min = 4", "min = "));
    assert_eq!((error.line, error.code()), (10, "questionnaire_toml"));
    assert!(
        error
            .to_string()
            .starts_with("10行目: TOMLとして読めません"),
        "{error}"
    );
}

#[test]
fn each_problem_names_the_line_it_is_on() {
    let kind = refused(&MINIMAL.replace("\"number\"", "\"slider\""));
    assert_eq!(
        (kind.line, kind.problem.clone()),
        (7, P::UnknownKind("slider".into()))
    );
    assert_eq!(
        kind.message(Lang::En),
        "line 7: no kind \"slider\" (text, long_text, yes_no, one_of, many_of, number, date)"
    );
    let range = refused(&MINIMAL.replace("max = 42", "max = 2"));
    assert_eq!((range.line, range.problem), (7, P::BadRange));
    let choices = refused(&MINIMAL.replace("min = 4", "min = 4\nchoices = []"));
    assert_eq!(choices.problem, P::NotForKind("choices"));
    let service = refused(&MINIMAL.replace("boshi_techo", "kenshin"));
    assert_eq!(
        (service.line, service.code()),
        (2, "questionnaire_unknown_service")
    );
    let id = refused(&MINIMAL.replace("\"weeks\"", "\"妊娠週数\""));
    assert_eq!((id.line, id.problem), (6, P::BadId("妊娠週数".into())));
    let twice = format!(
        "{MINIMAL}{}",
        &MINIMAL[MINIMAL.find("[[question]]").unwrap()..]
    );
    assert_eq!(
        (refused(&twice).line, refused(&twice).problem),
        (13, P::DuplicateId("weeks".into()))
    );
    let unknown = refused(&MINIMAL.replace("required = true", "required = true\nmandatory = true"));
    assert_eq!((unknown.line, unknown.code()), (10, "questionnaire_toml"));
    assert!(unknown.message(Lang::En).contains("mandatory"));
}

#[test]
fn choices_need_two_distinct_ids_and_japanese() {
    let one_of = |choices: &str| {
        format!(
            "service = \"akachan_houmon\"\ntitle = {{ ja = \"問診\" }}\n[[question]]\nid = \"feeding\"\nkind = \"one_of\"\nlabel = {{ ja = \"授乳\" }}\nchoices = [{choices}]\n"
        )
    };
    let one = refused(&one_of("{ id = \"breast\", ja = \"母乳\" }"));
    assert_eq!((one.line, one.problem), (5, P::TooFewChoices));
    let twice = refused(&one_of(
        "{ id = \"a\", ja = \"母乳\" }, { id = \"a\", ja = \"ミルク\" }",
    ));
    assert_eq!(twice.problem, P::DuplicateId("a".into()));
    let blank = refused(&one_of(
        "{ id = \"a\", ja = \"母乳\" }, { id = \"b\", ja = \" \" }",
    ));
    assert_eq!(blank.problem, P::NoJapanese);
    let fine = Questionnaire::from_toml(&one_of(
        "{ id = \"a\", ja = \"母乳\" }, { id = \"b\", ja = \"ミルク\", en = \"Formula\" }",
    ))
    .unwrap();
    assert_eq!(
        fine.questions[0].kind.choices()[1].label.get(Lang::En),
        "Formula"
    );
    assert_eq!(
        refused("service = \"boshi_techo\"\ntitle = { ja = \"問診\" }\n").problem,
        P::NoQuestions
    );
}

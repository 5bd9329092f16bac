use super::*;
use crate::i18n::Lang;

const SMALL: &str = r#"[[question]]
id = "event"
text = "出来事"
kind = "one_of"
choices = [
  { value = "birth", label = "出生" },
  { value = "move_in", label = "転入" },
]

[[question]]
id = "kokuho"
text = "国保に加入しますか"
kind = "yes_no"
shown_when = ["event = birth | move_in"]

[[procedure]]
id = "birth_registration"
title = "出生届"
where = "市民課"
needed_when = ["event = birth"]
"#;

/// `SMALL` with `from` replaced by `to` (which must be there), refused.
fn refused(from: &str, to: &str) -> ProceduresError {
    assert!(SMALL.contains(from), "{from}");
    Guide::from_toml(&SMALL.replacen(from, to, 1)).unwrap_err()
}

#[test]
fn a_small_file_reads_with_yes_no_choices_filled_in() {
    let guide = Guide::from_toml(SMALL).unwrap();
    let kokuho = guide.question("kokuho").unwrap();
    assert_eq!(kokuho.kind, QuestionKind::YesNo);
    assert_eq!(kokuho.choice(YES).unwrap().label, "はい");
    assert_eq!(kokuho.shown_when.clauses[0].values, ["birth", "move_in"]);
    assert_eq!(guide.procedures()[0].counter, "市民課");
}

#[test]
fn a_condition_on_a_question_the_file_lacks_is_refused_on_its_line() {
    let error = refused("event = birth\"]", "event = birth\", \"insured = yes\"]");
    assert_eq!(error.problem, Problem::UnknownQuestion("insured".into()));
    assert_eq!(error.line, 20);
    assert_eq!(
        error.to_string(),
        "20行目: 条件の質問「insured」はありません"
    );
    assert_eq!(
        error.message(Lang::En),
        "line 20: the condition's question \"insured\" does not exist"
    );
}

#[test]
fn a_condition_on_a_later_question_or_a_value_not_offered_is_refused() {
    let later = refused(
        "kind = \"one_of\"",
        "kind = \"one_of\"\nshown_when = [\"kokuho = yes\"]",
    );
    assert_eq!(later.problem, Problem::LaterQuestion("kokuho".into()));
    assert_eq!(later.line, 5);
    let value = refused("event = birth\"]", "event = death\"]");
    assert_eq!(
        value.problem,
        Problem::UnknownValue {
            question: "event".into(),
            value: "death".into()
        }
    );
    assert_eq!(value.code(), "procedures_unknown_value");
    let shape = refused("event = birth | move_in", "event birth");
    assert_eq!(shape.problem, Problem::BadCondition("event birth".into()));
    assert_eq!(shape.line, 14);
}

#[test]
fn duplicate_ids_are_refused_where_the_second_one_is() {
    let error = refused("id = \"kokuho\"", "id = \"event\"");
    assert_eq!(error.problem, Problem::DuplicateQuestion("event".into()));
    assert_eq!(error.line, 11);
    let twice = format!(
        "{SMALL}\n[[procedure]]\nid = \"birth_registration\"\ntitle = \"x\"\nwhere = \"y\"\nneeded_when = [\"event = birth\"]\n"
    );
    let error = Guide::from_toml(&twice).unwrap_err();
    assert_eq!(
        error.problem,
        Problem::DuplicateProcedure("birth_registration".into())
    );
    assert_eq!(error.line, 23);
    let choice = refused("value = \"move_in\"", "value = \"birth\"");
    assert_eq!(choice.problem, Problem::DuplicateChoice("birth".into()));
    assert_eq!(choice.line, 7);
}

#[test]
fn missing_fields_and_bad_toml_are_refused_with_tomls_reason_and_the_line() {
    let missing = refused("where = \"市民課\"\n", "");
    assert_eq!(missing.code(), "procedures_toml");
    // The procedure's table starts on line 16.
    assert_eq!(missing.line, 16);
    assert!(missing.to_string().contains("where"), "{missing}");
    let syntax = refused("title = \"出生届\"", "title = 出生届");
    assert_eq!(syntax.line, 18);
    assert!(
        syntax
            .message(Lang::En)
            .starts_with("line 18: not readable TOML")
    );
    let unknown = refused("where = \"市民課\"", "where = \"市民課\"\nwhen = \"14日\"");
    assert!(unknown.to_string().contains("when"), "{unknown}");
    let kind = refused("kind = \"yes_no\"", "kind = \"maybe\"");
    assert_eq!(kind.line, 13);
}

#[test]
fn blanks_empty_conditions_and_choice_mix_ups_are_refused() {
    let blank = refused("where = \"市民課\"", "where = \"  \"");
    assert_eq!(blank.problem, Problem::Blank("where"));
    assert_eq!(blank.line, 19);
    let always = refused("needed_when = [\"event = birth\"]", "needed_when = []");
    assert_eq!(
        always.problem,
        Problem::NoCondition("birth_registration".into())
    );
    let yes_no = refused(
        "kind = \"yes_no\"",
        "kind = \"yes_no\"\nchoices = [{ value = \"a\", label = \"A\" }]",
    );
    assert_eq!(yes_no.problem, Problem::Choices("kokuho".into()));
    let empty = Guide::from_toml("").unwrap_err();
    assert_eq!((empty.line, empty.problem), (0, Problem::Empty));
    let url = refused(
        "where = \"市民課\"",
        "where = \"市民課\"\nurl = \"www.example.jp\"",
    );
    assert_eq!(url.problem, Problem::BadUrl("www.example.jp".into()));
    assert_eq!(url.line, 20);
}

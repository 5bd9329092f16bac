use jiff::civil::date;

use super::*;

fn guide() -> Guide {
    Guide::embedded().unwrap()
}

fn ids<'a>(procedures: &[&'a Procedure]) -> Vec<&'a str> {
    procedures.iter().map(|p| p.id.as_str()).collect()
}

fn question_ids<'a>(questions: &[&'a Question]) -> Vec<&'a str> {
    questions.iter().map(|q| q.id.as_str()).collect()
}

fn satisfy(guide: &Guide, condition: &Condition, answers: &mut Answers) {
    for clause in &condition.clauses {
        satisfy(
            guide,
            &guide.question(&clause.question).unwrap().shown_when,
            answers,
        );
        answers.set(&clause.question, &clause.values[0]);
    }
}

#[test]
fn the_shipped_file_reads_and_every_procedure_can_be_reached() {
    let guide = guide();
    assert_eq!(guide.questions()[0].id, "event");
    let events = &guide.questions()[0].choices;
    let labels: Vec<&str> = events.iter().map(|c| c.label.as_str()).collect();
    assert!(labels.contains(&"子どもが生まれた"), "{labels:?}");
    for procedure in guide.procedures() {
        assert!(!procedure.counter.is_empty(), "{}", procedure.id);
        assert!(procedure.deadline.is_some(), "{} has no 期限", procedure.id);
        // Each condition can be met: answer as its clauses say, and as the clauses that make
        // those questions asked say.
        let mut answers = Answers::default();
        satisfy(&guide, &procedure.needed_when, &mut answers);
        assert!(
            ids(&guide.find(&answers)).contains(&procedure.id.as_str()),
            "{}",
            procedure.id
        );
    }
}

#[test]
fn a_birth_in_the_city_with_national_insurance() {
    let guide = guide();
    let mut answers = Answers::from_pairs([("event", "birth")]);
    assert_eq!(
        question_ids(&guide.unanswered(&answers)),
        ["insurance", "public_servant"]
    );
    answers.set("insurance", "national");
    answers.set("public_servant", NO);
    assert!(guide.unanswered(&answers).is_empty());
    assert_eq!(
        ids(&guide.find(&answers)),
        [
            "birth_registration",
            "birth_national_health_insurance",
            "birth_lump_sum",
            "child_allowance_birth",
            "child_medical_birth",
            "birth_contact",
            "vaccinations_birth",
        ]
    );
}

#[test]
fn a_public_servants_child_allowance_is_through_the_employer() {
    let answers = Answers::from_pairs([
        ("event", "birth"),
        ("insurance", "employer"),
        ("public_servant", "yes"),
    ]);
    let guide = guide();
    let found = ids(&guide.find(&answers));
    assert!(found.contains(&"child_allowance_public_servant"));
    assert!(found.contains(&"birth_employer_insurance"));
    assert!(!found.contains(&"child_allowance_birth"));
    assert!(!found.contains(&"birth_lump_sum"));
}

#[test]
fn moving_in_with_a_school_age_child() {
    let guide = guide();
    let mut answers = Answers::from_pairs([("event", "move_in")]);
    assert_eq!(
        question_ids(&guide.unanswered(&answers)),
        ["with_children", "kokuho"]
    );
    answers.set("with_children", YES);
    assert_eq!(
        question_ids(&guide.unanswered(&answers)),
        [
            "preschool_child",
            "school_child",
            "public_servant_move_in",
            "kokuho"
        ]
    );
    for (question, value) in [
        ("preschool_child", NO),
        ("school_child", YES),
        ("public_servant_move_in", NO),
        ("kokuho", NO),
    ] {
        answers.set(question, value);
    }
    assert!(guide.unanswered(&answers).is_empty());
    assert_eq!(
        ids(&guide.find(&answers)),
        [
            "move_in_notification",
            "child_allowance_move_in",
            "child_medical_move_in",
            "school_transfer",
        ]
    );
}

#[test]
fn answers_to_questions_no_longer_asked_do_not_count() {
    let guide = guide();
    // Answered for a birth, then changed to 入園: the insurance answer is dropped.
    let answers = Answers::from_pairs([
        ("event", "nursery"),
        ("insurance", "national"),
        ("nursery_type", "care"),
        ("unknown", "x"),
    ]);
    let kept = guide.effective(&answers);
    assert_eq!(
        kept.pairs().collect::<Vec<_>>(),
        [("event", "nursery"), ("nursery_type", "care")]
    );
    assert_eq!(ids(&guide.find(&answers)), ["nursery_application"]);
    // A value the question does not offer is no answer.
    let odd = Answers::from_pairs([("event", "marriage")]);
    assert!(guide.find(&odd).is_empty());
    assert_eq!(question_ids(&guide.unanswered(&odd)), ["event"]);
}

#[test]
fn the_text_to_share_lists_each_procedure_with_its_counter_things_and_deadline() {
    let answers = Answers::from_pairs([
        ("event", "birth"),
        ("insurance", "employer"),
        ("public_servant", "no"),
    ]);
    let text = render_text(&guide(), &answers, Some(date(2027, 1, 1)));
    assert!(
        text.starts_with(
            "ライフイベントの手続き\n・どのライフイベントの手続きを調べますか 子どもが生まれた\n"
        ),
        "{text}"
    );
    assert!(text.contains("\n1. 出生届\n   窓口: 市民課(市役所本館1階)・各支所・各出張所\n   持ち物:\n     ・出生届("), "{text}");
    // 1 January plus 13 days: 14 January, a Thursday.
    assert!(text.contains("   期限: 生まれた日を含めて14日以内(期限の日が休日のときは翌開庁日)(2027年1月14日(木)まで)\n"), "{text}");
    assert!(text.contains("児童手当の認定請求\n"));
    assert!(!text.contains("出産育児一時金"));
    let nothing = render_text(&guide(), &Answers::default(), None);
    assert!(nothing.ends_with("必要な手続きは見つかりませんでした。\n"));
}

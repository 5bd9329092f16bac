use proptest::prelude::*;

use super::*;
use crate::alerts::fixtures::{JIKE, SHIWA};

fn at(minute: i64) -> Timestamp {
    Timestamp::from_second(1_783_000_000 + minute * 60).unwrap()
}

fn record(citizen: u32, area: Option<AreaId>, answer: Answer, minute: i64) -> AnswerRecord<u32> {
    AnswerRecord {
        citizen,
        area,
        answer,
        at: at(minute),
    }
}

#[test]
fn codes_and_labels_are_stable() {
    for answer in Answer::ALL {
        assert_eq!(Answer::parse(answer.code()), Some(answer));
    }
    assert_eq!(Answer::NeedHelp.code(), "need_help");
    assert_eq!(Answer::Safe.label(Language::Ja), "無事です");
    assert_eq!(Answer::Evacuated.label(Language::Ja), "避難しました");
    assert_eq!(Answer::NeedHelp.label(Language::Ja), "助けが必要");
    assert_eq!(Answer::parse("ok"), None);
}

#[test]
fn only_the_latest_answer_of_each_citizen_counts() {
    let tally = tally([
        record(1, Some(JIKE), Answer::NeedHelp, 0),
        record(2, Some(JIKE), Answer::Evacuated, 1),
        record(1, Some(JIKE), Answer::Evacuated, 5),
        record(3, Some(SHIWA), Answer::NeedHelp, 2),
        record(2, Some(JIKE), Answer::Safe, 9),
        record(4, None, Answer::NeedHelp, 1),
        // Arrived late over a slow network: older than what 1 said since.
        record(1, Some(JIKE), Answer::NeedHelp, 3),
    ]);
    assert_eq!(
        tally.by_area[&Some(JIKE)],
        AreaTally {
            safe: 1,
            evacuated: 1,
            need_help: 0
        }
    );
    assert_eq!(
        tally.by_area[&Some(SHIWA)],
        AreaTally {
            safe: 0,
            evacuated: 0,
            need_help: 1
        }
    );
    assert_eq!(tally.total.total(), 4);
    assert_eq!(tally.need_help, [(4, None), (3, Some(SHIWA))]);
}

#[test]
fn of_two_answers_at_one_instant_the_later_record_counts() {
    let tally = tally([
        record(1, None, Answer::NeedHelp, 0),
        record(1, None, Answer::Safe, 0),
    ]);
    assert_eq!(
        tally.total,
        AreaTally {
            safe: 1,
            evacuated: 0,
            need_help: 0
        }
    );
}

proptest! {
    #[test]
    fn each_citizen_is_counted_once_whatever_the_order(
        answers in prop::collection::vec((0u32..20, 0usize..3, 0i64..30), 0..80),
    ) {
        let records: Vec<_> = answers
            .iter()
            .enumerate()
            .map(|(n, (citizen, answer, minute))| record(*citizen, Some(AreaId(citizen % 3)), Answer::ALL[*answer], minute * 100 + n as i64))
            .collect();
        let forward = tally(records.clone());
        let citizens: std::collections::HashSet<u32> = answers.iter().map(|(c, _, _)| *c).collect();
        prop_assert_eq!(forward.total.total() as usize, citizens.len());
        let sum: u32 = forward.by_area.values().map(AreaTally::total).sum();
        prop_assert_eq!(sum, forward.total.total());
        let backward = tally(records.into_iter().rev());
        prop_assert_eq!(forward, backward);
    }
}

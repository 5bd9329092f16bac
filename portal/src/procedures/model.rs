//! The questions and procedures of the guide, as read from the city's file, and the answers
//! a citizen gives.

use std::collections::BTreeMap;

use jiff::{ToSpan, civil::Date};

/// The two values of a yes/no question, as written in conditions and answers.
pub const YES: &str = "yes";
/// See [`YES`].
pub const NO: &str = "no";

/// How a question is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuestionKind {
    /// はい / いいえ (`yes` / `no`).
    YesNo,
    /// One of the question's choices.
    OneOf,
}

/// One answer a question offers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Choice {
    /// The value in answers and conditions (`birth`).
    pub value: String,
    /// What the citizen reads (子どもが生まれた).
    pub label: String,
}

/// One clause of a condition: the answer to `question` is one of `values`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Clause {
    /// The question's id.
    pub question: String,
    /// The values any of which satisfies the clause.
    pub values: Vec<String>,
}

/// A condition: every clause holds (an empty condition always holds).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Condition {
    /// The clauses, all of which must hold.
    pub clauses: Vec<Clause>,
}

impl Condition {
    /// Whether `answers` satisfy every clause; an unanswered question satisfies none.
    pub fn holds(&self, answers: &Answers) -> bool {
        self.clauses.iter().all(|clause| {
            answers
                .get(&clause.question)
                .is_some_and(|answer| clause.values.iter().any(|value| value == answer))
        })
    }
}

/// A question of the guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// Its stable id (`event`), used in conditions and in shared links.
    pub id: String,
    /// What the citizen reads.
    pub text: String,
    /// How it is answered.
    pub kind: QuestionKind,
    /// Its choices, in order; for a yes/no question, はい (`yes`) and いいえ (`no`).
    pub choices: Vec<Choice>,
    /// When it is asked: only when earlier answers satisfy this.
    pub shown_when: Condition,
}

impl Question {
    /// The choice with `value`.
    pub fn choice(&self, value: &str) -> Option<&Choice> {
        self.choices.iter().find(|choice| choice.value == value)
    }
}

/// A procedure (手続き) the guide can point to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Procedure {
    /// Its stable id (`birth_registration`).
    pub id: String,
    /// 手続きの名前 (出生届).
    pub title: String,
    /// 窓口: where to go (the file's `where`).
    pub counter: String,
    /// 持ち物, in order.
    pub bring: Vec<String>,
    /// 期限, as the city says it (生まれた日を含めて14日以内), if there is one.
    pub deadline: Option<String>,
    /// The last day as days after the life event's day (14日以内 counting the day itself is 13).
    pub deadline_days: Option<u32>,
    /// A remark (公務員の方は勤務先で), if any.
    pub note: Option<String>,
    /// The city's page about it, if any.
    pub url: Option<String>,
    /// When it is needed.
    pub needed_when: Condition,
}

impl Procedure {
    /// The last day to do it when the life event happened (or happens) on `event_day`.
    pub fn due_date(&self, event_day: Date) -> Option<Date> {
        let days = i64::from(self.deadline_days?);
        event_day.checked_add(days.days()).ok()
    }
}

/// A citizen's answers: question id → value. Build them with [`Answers::from_pairs`] (a
/// form or a shared link) and keep only what counts with [`super::Guide::effective`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers(BTreeMap<String, String>);

impl Answers {
    /// Answers from (question, value) pairs; a later pair for a question wins, blanks are
    /// left out.
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Answers {
        let mut answers = Answers::default();
        for (question, value) in pairs {
            answers.set(question.as_ref(), value.as_ref());
        }
        answers
    }

    /// Sets the answer to `question` (a blank value removes it).
    pub fn set(&mut self, question: &str, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            self.0.remove(question);
        } else {
            self.0.insert(question.to_owned(), value.to_owned());
        }
    }

    /// The answer to `question`.
    pub fn get(&self, question: &str) -> Option<&str> {
        self.0.get(question).map(String::as_str)
    }

    /// The answers as (question, value) pairs, by question id: for a shared link's query.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(q, v)| (q.as_str(), v.as_str()))
    }

    /// Whether there is no answer.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

//! The answers to a 問診, checked against its questions: a missing required answer, a number
//! out of range, an unknown choice… each refused next to its question, all at once.
//!
//! Checked answers are serde-serializable for the store (JSON); the store logs every read of
//! them, since they are health information only the health office may see.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::answer_error::AnswerError;
use super::questionnaire::{DateRange, Question, QuestionKind, Questionnaire};
use crate::i18n::Lang;

/// The answers as posted: question id → the values sent (several for a many-of question).
/// Fields that are not questions (the CSRF token…) are ignored.
pub type RawAnswers = BTreeMap<String, Vec<String>>;

/// One checked answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Answer {
    /// Text (one line or long), trimmed.
    Text(String),
    /// はい (`true`) or いいえ.
    YesNo(bool),
    /// The chosen choice's id.
    OneOf(String),
    /// The chosen choices' ids, in the questionnaire's order.
    ManyOf(Vec<String>),
    /// A whole number in range.
    Number(i64),
    /// A date.
    Date(Date),
}

impl Answer {
    /// The answer as staff read it: choice labels, はい/いいえ, the number with its unit.
    pub fn display(&self, question: &Question, lang: Lang) -> String {
        let label = |id: &str| {
            question
                .kind
                .choices()
                .iter()
                .find(|choice| choice.id == id)
                .map_or_else(|| id.to_owned(), |choice| choice.label.get(lang).to_owned())
        };
        match (self, lang) {
            (Answer::Text(text), _) => text.clone(),
            (Answer::YesNo(true), Lang::Ja) => "はい".into(),
            (Answer::YesNo(false), Lang::Ja) => "いいえ".into(),
            (Answer::YesNo(true), Lang::En) => "Yes".into(),
            (Answer::YesNo(false), Lang::En) => "No".into(),
            (Answer::OneOf(id), _) => label(id),
            (Answer::ManyOf(ids), _) => {
                let labels: Vec<String> = ids.iter().map(|id| label(id)).collect();
                labels.join(if lang == Lang::Ja { "、" } else { ", " })
            }
            (Answer::Number(n), _) => match &question.kind {
                QuestionKind::Number {
                    unit: Some(unit), ..
                } => {
                    let space = if lang == Lang::Ja { "" } else { " " };
                    format!("{n}{space}{}", unit.get(lang))
                }
                _ => n.to_string(),
            },
            (Answer::Date(date), _) => date.to_string(),
        }
    }
}

/// The checked answers of one questionnaire: question id → answer, unanswered optional
/// questions left out.
pub type Answers = BTreeMap<String, Answer>;

/// The errors of a refused submission, per question, in the questionnaire's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnswerErrors(pub Vec<(String, AnswerError)>);

impl AnswerErrors {
    /// The error of question `id`, to show next to it.
    pub fn for_question(&self, id: &str) -> Option<&AnswerError> {
        self.0
            .iter()
            .find(|(question, _)| question == id)
            .map(|(_, error)| error)
    }
}

/// Checks `raw` against `questionnaire` on `today` (Asia/Tokyo), every question at once.
pub fn check_answers(
    questionnaire: &Questionnaire,
    raw: &RawAnswers,
    today: Date,
) -> Result<Answers, AnswerErrors> {
    let mut answers = Answers::new();
    let mut errors = AnswerErrors::default();
    for question in &questionnaire.questions {
        let values: Vec<String> = raw
            .get(&question.id)
            .into_iter()
            .flatten()
            .map(|value| value.trim().to_owned())
            .filter(|value| !value.is_empty())
            .collect();
        match check_one(question, &values, today) {
            Ok(Some(answer)) => {
                answers.insert(question.id.clone(), answer);
            }
            Ok(None) if question.required => {
                errors.0.push((question.id.clone(), AnswerError::Missing))
            }
            Ok(None) => {}
            Err(error) => errors.0.push((question.id.clone(), error)),
        }
    }
    if errors.0.is_empty() {
        Ok(answers)
    } else {
        Err(errors)
    }
}

/// The answer to one question from its non-blank values; `None` when there are none.
fn check_one(
    question: &Question,
    values: &[String],
    today: Date,
) -> Result<Option<Answer>, AnswerError> {
    let Some(first) = values.first() else {
        return Ok(None);
    };
    let single = || {
        if values.len() > 1 {
            Err(AnswerError::OneOnly)
        } else {
            Ok(first.as_str())
        }
    };
    let answer = match &question.kind {
        QuestionKind::Text { max_chars } | QuestionKind::LongText { max_chars } => {
            let text = single()?;
            if text.chars().count() > *max_chars {
                return Err(AnswerError::TooLong {
                    max_chars: *max_chars,
                });
            }
            Answer::Text(text.replace("\r\n", "\n"))
        }
        QuestionKind::YesNo => match single()? {
            "yes" => Answer::YesNo(true),
            "no" => Answer::YesNo(false),
            _ => return Err(AnswerError::NotYesNo),
        },
        QuestionKind::OneOf(choices) => {
            let id = single()?;
            if !choices.iter().any(|choice| choice.id == id) {
                return Err(AnswerError::UnknownChoice(id.to_owned()));
            }
            Answer::OneOf(id.to_owned())
        }
        QuestionKind::ManyOf(choices) => {
            if let Some(unknown) = values.iter().find(|v| !choices.iter().any(|c| &c.id == *v)) {
                return Err(AnswerError::UnknownChoice(unknown.clone()));
            }
            let chosen: Vec<_> = choices.iter().filter(|c| values.contains(&c.id)).collect();
            if let Some(alone) = chosen.iter().find(|choice| choice.exclusive)
                && chosen.len() > 1
            {
                return Err(AnswerError::ExclusiveWithOthers(alone.label.ja.clone()));
            }
            Answer::ManyOf(chosen.iter().map(|choice| choice.id.clone()).collect())
        }
        QuestionKind::Number { min, max, .. } => {
            let n = number(single()?).ok_or(AnswerError::NotANumber)?;
            if !(*min..=*max).contains(&n) {
                return Err(AnswerError::OutOfRange {
                    min: *min,
                    max: *max,
                });
            }
            Answer::Number(n)
        }
        QuestionKind::Date(range) => {
            let date = date(single()?).ok_or(AnswerError::NotADate)?;
            match range {
                DateRange::Past if date > today => return Err(AnswerError::DateNotPast),
                DateRange::Future if date < today => return Err(AnswerError::DateNotFuture),
                _ => Answer::Date(date),
            }
        }
    };
    Ok(Some(answer))
}

/// A whole number as people type it: full-width digits, thousands separators (3,200).
fn number(raw: &str) -> Option<i64> {
    half_width(raw).replace([',', '_'], "").parse().ok()
}

/// A date as people type it: 2026-04-01, 2026/4/1, ２０２６／４／１.
fn date(raw: &str) -> Option<Date> {
    let normal = half_width(raw).replace('/', "-");
    let mut parts = normal
        .split('-')
        .map(|part| part.trim().parse::<i16>().ok());
    let (year, month, day) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() {
        return None;
    }
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// Full-width digits and signs (３２００, －, ／) as their ASCII forms.
fn half_width(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '０'..='９' | '－' | '／' | '，' => {
                char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
            }
            'ー' | '−' => '-',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
#[path = "answers_tests.rs"]
mod tests;

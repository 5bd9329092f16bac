//! Reading the city's procedures file: TOML, then every reference checked, each problem
//! refused with the line it is on.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::error::{Problem, ProceduresError};
use super::guide::Guide;
use super::model::{Choice, Clause, Condition, NO, Procedure, Question, QuestionKind, YES};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    question: Vec<RawQuestion>,
    #[serde(default)]
    procedure: Vec<RawProcedure>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawKind {
    YesNo,
    OneOf,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    text: Spanned<String>,
    kind: RawKind,
    #[serde(default)]
    choices: Vec<Spanned<RawChoice>>,
    #[serde(default)]
    shown_when: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    value: String,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProcedure {
    id: Spanned<String>,
    title: Spanned<String>,
    #[serde(rename = "where")]
    counter: Spanned<String>,
    #[serde(default)]
    bring: Vec<String>,
    deadline: Option<String>,
    deadline_days: Option<u32>,
    note: Option<String>,
    url: Option<Spanned<String>>,
    needed_when: Spanned<Vec<Spanned<String>>>,
}

/// Reads `text`; see [`Guide::from_toml`].
pub(super) fn parse(text: &str) -> Result<Guide, ProceduresError> {
    let line = |offset: usize| {
        text.get(..offset)
            .map_or(0, |before| before.matches('\n').count() + 1)
    };
    let fail = |offset: usize, problem: Problem| ProceduresError {
        line: line(offset),
        problem,
    };
    let raw: RawFile = toml::from_str(text).map_err(|error| ProceduresError {
        line: error.span().map_or(0, |span| line(span.start)),
        problem: Problem::Toml(error.message().trim().to_owned()),
    })?;
    if raw.question.is_empty() || raw.procedure.is_empty() {
        return Err(ProceduresError {
            line: 0,
            problem: Problem::Empty,
        });
    }
    let all_ids: Vec<String> = raw
        .question
        .iter()
        .map(|q| q.id.get_ref().trim().to_owned())
        .collect();
    let mut questions: Vec<Question> = Vec::with_capacity(raw.question.len());
    for question in raw.question {
        let at = question.id.span().start;
        let id = required(&question.id, "id").map_err(|p| fail(at, p))?;
        if questions.iter().any(|q| q.id == id) {
            return Err(fail(at, Problem::DuplicateQuestion(id)));
        }
        let text =
            required(&question.text, "text").map_err(|p| fail(question.text.span().start, p))?;
        let choices = match (question.kind, question.choices.is_empty()) {
            (RawKind::YesNo, true) => vec![choice(YES, "はい"), choice(NO, "いいえ")],
            (RawKind::OneOf, false) => {
                let mut seen = HashSet::new();
                let mut choices = Vec::with_capacity(question.choices.len());
                for raw in &question.choices {
                    let (value, label) = (raw.get_ref().value.trim(), raw.get_ref().label.trim());
                    let at = raw.span().start;
                    if value.is_empty() || label.is_empty() {
                        return Err(fail(at, Problem::Blank("choices")));
                    }
                    if !seen.insert(value) {
                        return Err(fail(at, Problem::DuplicateChoice(value.to_owned())));
                    }
                    choices.push(choice(value, label));
                }
                choices
            }
            _ => return Err(fail(at, Problem::Choices(id))),
        };
        let shown_when =
            condition(&question.shown_when, &questions, &all_ids).map_err(|(at, p)| fail(at, p))?;
        let kind = match question.kind {
            RawKind::YesNo => QuestionKind::YesNo,
            RawKind::OneOf => QuestionKind::OneOf,
        };
        questions.push(Question {
            id,
            text,
            kind,
            choices,
            shown_when,
        });
    }
    let mut procedures: Vec<Procedure> = Vec::with_capacity(raw.procedure.len());
    for procedure in raw.procedure {
        let at = procedure.id.span().start;
        let id = required(&procedure.id, "id").map_err(|p| fail(at, p))?;
        if procedures.iter().any(|p| p.id == id) {
            return Err(fail(at, Problem::DuplicateProcedure(id)));
        }
        let title = required(&procedure.title, "title")
            .map_err(|p| fail(procedure.title.span().start, p))?;
        let counter = required(&procedure.counter, "where")
            .map_err(|p| fail(procedure.counter.span().start, p))?;
        if procedure.needed_when.get_ref().is_empty() {
            return Err(fail(
                procedure.needed_when.span().start,
                Problem::NoCondition(id),
            ));
        }
        let needed_when = condition(procedure.needed_when.get_ref(), &questions, &all_ids)
            .map_err(|(at, p)| fail(at, p))?;
        let url = match procedure.url {
            None => None,
            Some(url) => {
                let value = url.get_ref().trim();
                if !(value.starts_with("https://") || value.starts_with("http://")) {
                    return Err(fail(url.span().start, Problem::BadUrl(value.to_owned())));
                }
                Some(value.to_owned())
            }
        };
        let optional =
            |text: Option<String>| text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        procedures.push(Procedure {
            id,
            title,
            counter,
            bring: procedure
                .bring
                .iter()
                .map(|item| item.trim().to_owned())
                .filter(|item| !item.is_empty())
                .collect(),
            deadline: optional(procedure.deadline),
            deadline_days: procedure.deadline_days,
            note: optional(procedure.note),
            url,
            needed_when,
        });
    }
    Ok(Guide::new(questions, procedures))
}

fn choice(value: &str, label: &str) -> Choice {
    Choice {
        value: value.to_owned(),
        label: label.to_owned(),
    }
}

fn required(value: &Spanned<String>, field: &'static str) -> Result<String, Problem> {
    let trimmed = value.get_ref().trim();
    if trimmed.is_empty() {
        Err(Problem::Blank(field))
    } else {
        Ok(trimmed.to_owned())
    }
}

/// Reads `question = value | value` clauses against the questions asked before (`all` is
/// every question's id, to tell a later question from a missing one).
fn condition(
    raw: &[Spanned<String>],
    earlier: &[Question],
    all: &[String],
) -> Result<Condition, (usize, Problem)> {
    let mut clauses = Vec::with_capacity(raw.len());
    for text in raw {
        let at = text.span().start;
        let bad = || (at, Problem::BadCondition(text.get_ref().clone()));
        let (question, values) = text.get_ref().split_once('=').ok_or_else(bad)?;
        let question = question.trim();
        let values: Vec<String> = values
            .split('|')
            .map(|value| value.trim().to_owned())
            .collect();
        if question.is_empty() || values.iter().any(String::is_empty) {
            return Err(bad());
        }
        let Some(asked) = earlier.iter().find(|q| q.id == question) else {
            let problem = if all.iter().any(|id| id == question) {
                Problem::LaterQuestion(question.to_owned())
            } else {
                Problem::UnknownQuestion(question.to_owned())
            };
            return Err((at, problem));
        };
        if let Some(value) = values.iter().find(|value| asked.choice(value).is_none()) {
            let problem = Problem::UnknownValue {
                question: question.to_owned(),
                value: value.clone(),
            };
            return Err((at, problem));
        }
        clauses.push(Clause {
            question: question.to_owned(),
            values,
        });
    }
    Ok(Condition { clauses })
}

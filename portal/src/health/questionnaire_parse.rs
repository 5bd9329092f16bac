//! Reading a questionnaire file: TOML into raw records with their places, then each checked
//! into a [`Question`], the first problem refusing the file with its line.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::questionnaire::{Choice, DateRange, Question, QuestionKind, Questionnaire, Words};
use super::questionnaire_error::{QuestionnaireError, QuestionnaireProblem as P};
use crate::timely::schedule_error::line_of;

/// The kinds of question.
const KINDS: [&str; 7] = [
    "text",
    "long_text",
    "yes_no",
    "one_of",
    "many_of",
    "number",
    "date",
];

/// The default `max_chars` of a text question.
const TEXT_CHARS: usize = 200;
/// The default `max_chars` of a long text question.
const LONG_TEXT_CHARS: usize = 2000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestionnaire {
    service: Spanned<String>,
    title: Words,
    intro: Option<Words>,
    #[serde(default)]
    question: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    kind: Spanned<String>,
    label: Words,
    help: Option<Words>,
    #[serde(default)]
    required: bool,
    choices: Option<Vec<RawChoice>>,
    min: Option<i64>,
    max: Option<i64>,
    unit: Option<Words>,
    max_chars: Option<usize>,
    when: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    id: String,
    ja: String,
    en: Option<String>,
    #[serde(default)]
    exclusive: bool,
}

/// Reads and checks a questionnaire.
pub(super) fn parse(text: &str) -> Result<Questionnaire, QuestionnaireError> {
    let raw: RawQuestionnaire = toml::from_str(text).map_err(|e| QuestionnaireError {
        line: e.span().map_or(0, |span| line_of(text, span.start)),
        problem: P::Toml(e.message().to_owned()),
    })?;
    let at = |span: std::ops::Range<usize>, problem| QuestionnaireError {
        line: line_of(text, span.start),
        problem,
    };
    let service = raw.service.get_ref().parse().map_err(|()| {
        at(
            raw.service.span(),
            P::UnknownService(raw.service.get_ref().clone()),
        )
    })?;
    words(&raw.title).map_err(|p| at(raw.service.span(), p))?;
    if raw.question.is_empty() {
        return Err(QuestionnaireError {
            line: 0,
            problem: P::NoQuestions,
        });
    }
    let mut ids = HashSet::new();
    let mut questions = Vec::with_capacity(raw.question.len());
    for question in raw.question {
        let id_span = question.id.span();
        let kind_span = question.kind.span();
        check_id(question.id.get_ref(), &mut ids).map_err(|p| at(id_span.clone(), p))?;
        questions.push(
            question
                .check()
                .map_err(|(on_kind, p)| at(if on_kind { kind_span } else { id_span }, p))?,
        );
    }
    Ok(Questionnaire {
        service,
        title: raw.title,
        intro: raw.intro,
        questions,
    })
}

impl RawQuestion {
    /// The checked question, or the problem and whether it lies on the `kind` line (else on
    /// the `id` line).
    fn check(self) -> Result<Question, (bool, P)> {
        let on_id = |p| (false, p);
        let on_kind = |p| (true, p);
        words(&self.label).map_err(on_id)?;
        if let Some(help) = &self.help {
            words(help).map_err(on_id)?;
        }
        let kind = self.kind.get_ref().as_str();
        if !KINDS.contains(&kind) {
            return Err(on_kind(P::UnknownKind(kind.to_owned())));
        }
        let uses = |key: &'static str, present: bool, allowed: &[&str]| {
            if present && !allowed.contains(&kind) {
                Err(on_kind(P::NotForKind(key)))
            } else {
                Ok(())
            }
        };
        uses("choices", self.choices.is_some(), &["one_of", "many_of"])?;
        uses("min", self.min.is_some(), &["number"])?;
        uses("max", self.max.is_some(), &["number"])?;
        uses("unit", self.unit.is_some(), &["number"])?;
        uses(
            "max_chars",
            self.max_chars.is_some(),
            &["text", "long_text"],
        )?;
        uses("when", self.when.is_some(), &["date"])?;
        let max_chars = |default| match self.max_chars {
            None => Ok(default),
            Some(n) if (1..=10_000).contains(&n) => Ok(n),
            Some(_) => Err(on_kind(P::BadMaxChars)),
        };
        let kind = match kind {
            "text" => QuestionKind::Text {
                max_chars: max_chars(TEXT_CHARS)?,
            },
            "long_text" => QuestionKind::LongText {
                max_chars: max_chars(LONG_TEXT_CHARS)?,
            },
            "yes_no" => QuestionKind::YesNo,
            "one_of" => QuestionKind::OneOf(choices(self.choices).map_err(on_kind)?),
            "many_of" => QuestionKind::ManyOf(choices(self.choices).map_err(on_kind)?),
            "number" => match (self.min, self.max) {
                (Some(min), Some(max)) if min <= max => QuestionKind::Number {
                    min,
                    max,
                    unit: self.unit,
                },
                _ => return Err(on_kind(P::BadRange)),
            },
            "date" => QuestionKind::Date(match self.when.as_deref() {
                None | Some("any") => DateRange::Any,
                Some("past") => DateRange::Past,
                Some("future") => DateRange::Future,
                Some(other) => return Err(on_kind(P::BadWhen(other.to_owned()))),
            }),
            other => return Err(on_kind(P::UnknownKind(other.to_owned()))),
        };
        Ok(Question {
            id: self.id.into_inner(),
            label: self.label,
            help: self.help,
            required: self.required,
            kind,
        })
    }
}

fn choices(raw: Option<Vec<RawChoice>>) -> Result<Vec<Choice>, P> {
    let raw = raw.unwrap_or_default();
    if raw.len() < 2 {
        return Err(P::TooFewChoices);
    }
    let mut ids = HashSet::new();
    let mut choices = Vec::with_capacity(raw.len());
    for choice in raw {
        check_id(&choice.id, &mut ids)?;
        let label = Words {
            ja: choice.ja,
            en: choice.en,
        };
        words(&label)?;
        choices.push(Choice {
            id: choice.id,
            label,
            exclusive: choice.exclusive,
        });
    }
    Ok(choices)
}

fn check_id(id: &str, seen: &mut HashSet<String>) -> Result<(), P> {
    let well_formed = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if id.is_empty() || !well_formed {
        return Err(P::BadId(id.to_owned()));
    }
    if !seen.insert(id.to_owned()) {
        return Err(P::DuplicateId(id.to_owned()));
    }
    Ok(())
}

fn words(words: &Words) -> Result<(), P> {
    if words.ja.trim().is_empty() {
        return Err(P::NoJapanese);
    }
    Ok(())
}

//! The 問診 as a form: each question of a [`Questionnaire`] as the fields a page shows, with
//! what the citizen typed and the error next to it when the answers were refused.

use crate::{
    health::{AnswerErrors, QuestionKind, Questionnaire, RawAnswers},
    i18n::Lang,
};

/// A choice as shown.
pub struct ChoiceField {
    /// Its id (the value posted).
    pub id: String,
    /// Its label.
    pub label: String,
    /// Whether it is chosen.
    pub checked: bool,
}

/// A question as shown.
pub struct Field {
    /// The question's id (the field's name).
    pub id: String,
    /// Its label.
    pub label: String,
    /// Its help text.
    pub help: String,
    /// Whether it must be answered.
    pub required: bool,
    /// `text`, `long_text`, `yes_no`, `one_of`, `many_of`, `number` or `date`.
    pub kind: &'static str,
    /// The choices (yes/no included).
    pub choices: Vec<ChoiceField>,
    /// What was typed.
    pub value: String,
    /// The number's range and unit.
    pub min: i64,
    /// The number's upper bound.
    pub max: i64,
    /// The number's unit.
    pub unit: String,
    /// The error to show next to it.
    pub error: String,
}

/// The posted pairs as answers (the CSRF token and other non-questions are left to the rules).
pub fn raw_answers(pairs: &[(String, String)]) -> RawAnswers {
    let mut raw = RawAnswers::new();
    for (name, value) in pairs {
        if name != "csrf" {
            raw.entry(name.clone()).or_default().push(value.clone());
        }
    }
    raw
}

/// The questionnaire's fields, filled with `raw` and `errors`.
pub fn fields(
    questionnaire: &Questionnaire,
    raw: &RawAnswers,
    errors: Option<&AnswerErrors>,
    lang: Lang,
) -> Vec<Field> {
    questionnaire
        .questions
        .iter()
        .map(|question| {
            let given = raw.get(&question.id).cloned().unwrap_or_default();
            let choice = |id: &str, label: String| ChoiceField {
                checked: given.iter().any(|value| value == id),
                id: id.to_owned(),
                label,
            };
            let (kind, choices, min, max, unit) = match &question.kind {
                QuestionKind::Text { .. } => ("text", Vec::new(), 0, 0, String::new()),
                QuestionKind::LongText { .. } => ("long_text", Vec::new(), 0, 0, String::new()),
                QuestionKind::YesNo => {
                    let (yes, no) = match lang {
                        Lang::Ja => ("はい", "いいえ"),
                        Lang::En => ("Yes", "No"),
                    };
                    let choices = vec![choice("yes", yes.into()), choice("no", no.into())];
                    ("yes_no", choices, 0, 0, String::new())
                }
                QuestionKind::OneOf(list) | QuestionKind::ManyOf(list) => {
                    let kind = if matches!(question.kind, QuestionKind::OneOf(_)) {
                        "one_of"
                    } else {
                        "many_of"
                    };
                    let choices = list
                        .iter()
                        .map(|c| choice(&c.id, c.label.get(lang).to_owned()))
                        .collect();
                    (kind, choices, 0, 0, String::new())
                }
                QuestionKind::Number { min, max, unit } => (
                    "number",
                    Vec::new(),
                    *min,
                    *max,
                    unit.as_ref()
                        .map(|u| u.get(lang).to_owned())
                        .unwrap_or_default(),
                ),
                QuestionKind::Date(_) => ("date", Vec::new(), 0, 0, String::new()),
            };
            Field {
                id: question.id.clone(),
                label: question.label.get(lang).to_owned(),
                help: question
                    .help
                    .as_ref()
                    .map(|h| h.get(lang).to_owned())
                    .unwrap_or_default(),
                required: question.required,
                kind,
                choices,
                value: given.first().cloned().unwrap_or_default(),
                min,
                max,
                unit,
                error: errors
                    .and_then(|errors| errors.for_question(&question.id))
                    .map(|error| error.message(lang))
                    .unwrap_or_default(),
            }
        })
        .collect()
}
